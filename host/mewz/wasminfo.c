/*
 * wasminfo.c - the facts `mewz run` needs from a module before boot: how
 * many pages its linear memory starts with (memory 0, defined in the
 * memory section or imported), and whether it imports socket calls (then
 * net=host needs mewz-host even without --share).  Only section framing,
 * the import section and the memory section are read, each length checked
 * before use; the compiler validates the rest.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mewz.h"

struct cursor {
	const uint8_t *p, *end;
};

static int byte(struct cursor *c, uint8_t *v)
{
	if (c->p >= c->end)
		return -1;
	*v = *c->p++;
	return 0;
}

/* Unsigned LEB128 of at most `bits` bits. */
static int leb(struct cursor *c, unsigned bits, uint64_t *v)
{
	uint64_t r = 0;
	uint8_t b;

	for (unsigned shift = 0; shift < bits; shift += 7) {
		if (byte(c, &b))
			return -1;
		if (bits - shift < 7 && (b & 0x7f) >> (bits - shift))
			return -1; /* more bits than the type holds */
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

/* Read a name into (*p, *len) without copying. */
static int name(struct cursor *c, const uint8_t **p, uint64_t *len)
{
	if (leb(c, 32, len) || *len > (uint64_t)(c->end - c->p))
		return -1;
	*p = c->p;
	c->p += *len;
	return 0;
}

static bool name_is(const uint8_t *p, uint64_t len, const char *s)
{
	return len == strlen(s) && !memcmp(p, s, len);
}

/* A WASI or WasmEdge socket call: wasi_snapshot_preview1.sock_* */
static bool is_socket_import(const uint8_t *mod, uint64_t mlen, const uint8_t *field,
			     uint64_t flen)
{
	return name_is(mod, mlen, "wasi_snapshot_preview1") && flen > 5 &&
	       !memcmp(field, "sock_", 5);
}

/* limits: flags (bit 0: has max, bit 2: 64-bit), min, [max]. */
static int limits(struct cursor *c, uint64_t *min)
{
	uint8_t flags;
	uint64_t max;
	unsigned bits;

	if (byte(c, &flags) || flags > 7)
		return -1;
	bits = flags & 4 ? 64 : 32;
	if (leb(c, bits, min))
		return -1;
	return flags & 1 ? leb(c, bits, &max) : 0;
}

/*
 * Import section: f->has_memory and f->initial_pages at the first memory
 * import, f->uses_sockets at any socket call.  0, or -1 if malformed.
 */
static int scan_imports(struct cursor c, struct wasm_facts *f)
{
	uint64_t n, idx, mlen, flen;
	const uint8_t *mod, *field;
	uint8_t kind, t;

	if (leb(&c, 32, &n))
		return -1;
	while (n--) {
		if (name(&c, &mod, &mlen) || name(&c, &field, &flen) || byte(&c, &kind))
			return -1;
		switch (kind) {
		case 0: /* function: type index */
			if (leb(&c, 32, &idx))
				return -1;
			if (is_socket_import(mod, mlen, field, flen))
				f->uses_sockets = true;
			break;
		case 1: /* table: reftype, limits */
			if (byte(&c, &t) || limits(&c, &idx))
				return -1;
			break;
		case 2:
			if (limits(&c, f->has_memory ? &idx : &f->initial_pages))
				return -1;
			f->has_memory = true;
			break;
		case 3: /* global: valtype, mutability */
			if (byte(&c, &t) || byte(&c, &t))
				return -1;
			break;
		case 4: /* tag (exception handling): attribute, type index */
			if (byte(&c, &t) || leb(&c, 32, &idx))
				return -1;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int defined_memory(struct cursor c, struct wasm_facts *f)
{
	uint64_t n;

	if (leb(&c, 32, &n))
		return -1;
	if (n == 0 || f->has_memory)
		return 0;
	f->has_memory = true;
	return limits(&c, &f->initial_pages);
}

int wasm_facts(const uint8_t *bytes, size_t len, struct wasm_facts *f)
{
	struct cursor c = {bytes, bytes + len};
	uint64_t size;
	uint8_t id;

	memset(f, 0, sizeof(*f));
	if (len < 8 || memcmp(bytes, "\0asm", 4))
		return -1;
	c.p += 8;
	while (c.p < c.end) {
		if (byte(&c, &id) || leb(&c, 32, &size) || size > (uint64_t)(c.end - c.p))
			return -1;
		struct cursor body = {c.p, c.p + size};
		c.p += size;
		if (id == 2 && scan_imports(body, f))
			return -1;
		if (id == 5 && defined_memory(body, f))
			return -1;
	}
	return 0;
}

int wasm_initial_pages(const uint8_t *bytes, size_t len, uint64_t *pages)
{
	struct wasm_facts f;

	if (wasm_facts(bytes, len, &f))
		return -1;
	*pages = f.initial_pages;
	return 0;
}
