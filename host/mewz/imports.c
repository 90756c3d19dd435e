/*
 * imports.c - before linking, compare what the object needs with what the
 * Linux runtime defines, so a program with a missing or mistyped import is
 * refused with every offending name listed instead of a linker error (or
 * worse, a call with the wrong arguments).
 */
#include <stdio.h>
#include <string.h>

#include "elfread.h"
#include "mewz.h"
#include "wasi_sigs.h"

static const char *wasi_sig(const char *field)
{
#define WASI_SIG_CASE(name, sig)                                               \
	if (strcmp(field, #name) == 0)                                         \
		return sig;
	WASI_SIG_LIST(WASI_SIG_CASE)
#undef WASI_SIG_CASE
	return NULL;
}

static const char *sig_of(const struct objinfo *o, const char *name)
{
	for (size_t i = 0; i < o->imp_names.n; i++)
		if (strcmp(o->imp_names.v[i], name) == 0)
			return o->imp_sigs.v[i];
	return NULL;
}

int imports_check(const char *wasm, const char *obj, const char *runtime)
{
	static const char wasi[] = "wasi_snapshot_preview1.";
	struct objinfo o;
	struct strlist have;
	char err[512];
	int problems = 0;

	if (elf_read_object(obj, &o, err, sizeof(err))) {
		fprintf(stderr, "mewz: %s\n", err);
		return -1;
	}
	if (ar_read_symbols(runtime, &have, err, sizeof(err))) {
		fprintf(stderr, "mewz: %s\n", err);
		objinfo_free(&o);
		return -1;
	}
	for (size_t i = 0; i < o.undefined.n; i++) {
		const char *u = o.undefined.v[i], *sig = sig_of(&o, u);
		bool provided = strlist_has(&have, u);
		/* Names without a dot are libc's (memcpy, rintf, ...). */
		if (!provided && !strchr(u, '.') && strncmp(u, "__wasm_", 7))
			continue;
		if (!provided) {
			if (!problems++)
				fprintf(stderr, "mewz: %s: imports the Linux runtime does not provide:\n", wasm);
			fprintf(stderr, "  %s%s%s%s\n", u, sig ? " (" : "", sig ? sig : "", sig ? ")" : "");
			continue;
		}
		const char *want = strncmp(u, wasi, sizeof(wasi) - 1) ? NULL : wasi_sig(u + sizeof(wasi) - 1);
		if (sig && want && strcmp(sig, want)) {
			if (!problems++)
				fprintf(stderr, "mewz: %s: imports the Linux runtime does not provide:\n", wasm);
			fprintf(stderr, "  %s (%s; the runtime's is %s)\n", u, sig, want);
		}
	}
	objinfo_free(&o);
	strlist_free(&have);
	return problems ? -1 : 0;
}
