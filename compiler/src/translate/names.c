/*
 * names.c - every symbol name and signature string the translator emits.
 * The schemes are the ABI (compiler/include/mewz/abi.h, "Symbols"); keep
 * them in this one file so shards agree on every name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mewz/abi.h"
#include "xlate.h"

char *x_strdupf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Append `len` bytes to `out` at *pos, escaping NUL and '%' (abi.h). */
static size_t escape_into(char *out, size_t pos, const uint8_t *p, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		if (p[i] == 0 || p[i] == '%') {
			pos += (size_t)sprintf(out + pos, "%%%02X", p[i]);
			continue;
		}
		out[pos++] = (char)p[i];
	}
	out[pos] = 0;
	return pos;
}

/* Room for an escaped name: each byte may become three. */
static char *alloc_escaped(size_t extra, uint32_t len)
{
	return malloc(extra + (size_t)len * 3 + 1);
}

static bool name_is(const mz_name *n, const char *s)
{
	return n->len == strlen(s) && memcmp(n->ptr, s, n->len) == 0;
}

/*
 * 1 if imported function f binds to WasmEdge's "<name>_v2" (abi.h,
 * MEWZ_WASMEDGE_V1): a versioned socket function whose signature is not
 * V1's.
 */
static bool wasmedge_v2(const mz_module *m, const mz_func *fn)
{
	static const struct {
		const char *name, *sig;
	} v1[] = {
#define X(name, sig) {#name, sig},
	    MEWZ_WASMEDGE_V1(X)
#undef X
	};
	const mz_import *im = &m->imports[fn->import_index];
	if (!name_is(&im->module, "wasi_snapshot_preview1"))
		return false;
	for (size_t i = 0; i < sizeof(v1) / sizeof(v1[0]); i++) {
		if (!name_is(&im->field, v1[i].name))
			continue;
		char *sig = x_sig_string(m, fn->type_index);
		bool other = sig && strcmp(sig, v1[i].sig) != 0;
		free(sig);
		return other;
	}
	return false;
}

/*
 * Defined function f: "__wasm_func.<f>" or "__wasm_func.<f>.<name>" with
 * the name-section name.  The "__wasm_" prefix is reserved (imports from a
 * module whose name starts with it are rejected), so these can neither
 * collide with an import nor bind to a libc or runtime function.
 */
char *x_func_symbol(const mz_module *m, uint32_t f)
{
	const mz_func *fn = &m->funcs[f];
	if (fn->imported && wasmedge_v2(m, fn)) {
		char *base = x_import_symbol(m, fn->import_index);
		char *s = base ? x_strdupf("%s_v2", base) : NULL;
		free(base);
		return s;
	}
	if (fn->imported)
		return x_import_symbol(m, fn->import_index);
	char *s = alloc_escaped(32, fn->name.len);
	if (!s)
		return NULL;
	size_t pos = (size_t)sprintf(s, "__wasm_func.%u", f);
	if (fn->name.len == 0)
		return s;
	s[pos++] = '.';
	escape_into(s, pos, fn->name.ptr, fn->name.len);
	return s;
}

char *x_import_symbol(const mz_module *m, uint32_t import_index)
{
	const mz_import *im = &m->imports[import_index];
	char *s = alloc_escaped(2, im->module.len + im->field.len);
	if (!s)
		return NULL;
	size_t pos = escape_into(s, 0, im->module.ptr, im->module.len);
	s[pos++] = '.';
	escape_into(s, pos, im->field.ptr, im->field.len);
	return s;
}

char *x_export_symbol(const char *prefix, const mz_name *name)
{
	size_t plen = strlen(prefix);
	char *s = alloc_escaped(plen + 1, name->len);
	if (!s)
		return NULL;
	memcpy(s, prefix, plen);
	escape_into(s, plen, name->ptr, name->len);
	return s;
}

static char sig_letter(uint8_t t)
{
	switch (t) {
	case MZ_I32:
		return 'i';
	case MZ_I64:
		return 'I';
	case MZ_F32:
		return 'f';
	case MZ_F64:
		return 'F';
	case MZ_V128:
		return 'V';
	case MZ_FUNCREF:
		return 'r';
	case MZ_EXTERNREF:
		return 'x';
	}
	return '?';
}

char *x_sig_string(const mz_module *m, uint32_t type_index)
{
	const mz_functype *ft = &m->types[type_index];
	uint32_t n = ft->nparams + ft->nresults;
	char *s = malloc((size_t)n + 2);
	if (!s)
		return NULL;
	size_t pos = 0;
	for (uint32_t i = 0; i < ft->nparams; i++)
		s[pos++] = sig_letter(ft->types[i]);
	s[pos++] = ':';
	for (uint32_t i = 0; i < ft->nresults; i++)
		s[pos++] = sig_letter(ft->types[ft->nparams + i]);
	s[pos] = 0;
	return s;
}
