/*
 * wasminfo.c - the one fact `mewz run` needs from a module before boot:
 * how many pages its linear memory starts with (memory 0, defined in the
 * memory section or imported).  Only section framing, the import section
 * and the memory section are read, each length checked before use; the
 * compiler validates the rest.
 */
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

static int skip(struct cursor *c, uint64_t n)
{
	if (n > (uint64_t)(c->end - c->p))
		return -1;
	c->p += n;
	return 0;
}

static int skip_name(struct cursor *c)
{
	uint64_t n;

	return leb(c, 32, &n) || skip(c, n) ? -1 : 0;
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

/* Import section: 1 and *pages set at the first memory import, else 0. */
static int imported_memory(struct cursor c, uint64_t *pages)
{
	uint64_t n, idx;
	uint8_t kind, t;

	if (leb(&c, 32, &n))
		return -1;
	while (n--) {
		if (skip_name(&c) || skip_name(&c) || byte(&c, &kind))
			return -1;
		switch (kind) {
		case 0: /* function: type index */
			if (leb(&c, 32, &idx))
				return -1;
			break;
		case 1: /* table: reftype, limits */
			if (byte(&c, &t) || limits(&c, &idx))
				return -1;
			break;
		case 2:
			return limits(&c, pages) ? -1 : 1;
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

static int defined_memory(struct cursor c, uint64_t *pages)
{
	uint64_t n;

	if (leb(&c, 32, &n))
		return -1;
	if (n == 0)
		return 0;
	return limits(&c, pages) ? -1 : 1;
}

int wasm_initial_pages(const uint8_t *bytes, size_t len, uint64_t *pages)
{
	struct cursor c = {bytes, bytes + len};
	uint64_t size;
	uint8_t id;
	int r;

	*pages = 0;
	if (len < 8 || memcmp(bytes, "\0asm", 4))
		return -1;
	c.p += 8;
	while (c.p < c.end) {
		if (byte(&c, &id) || leb(&c, 32, &size) || size > (uint64_t)(c.end - c.p))
			return -1;
		struct cursor body = {c.p, c.p + size};
		c.p += size;
		if (id == 2)
			r = imported_memory(body, pages);
		else if (id == 5)
			r = defined_memory(body, pages);
		else
			continue;
		if (r)
			return r < 0 ? -1 : 0;
	}
	return 0; /* no memory at all */
}
