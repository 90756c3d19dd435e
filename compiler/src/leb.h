/*
 * leb.h - bounded readers for the primitive encodings of the binary format
 * (5.2 of the spec): bytes, LEB128 integers, fixed-width floats.
 *
 * Every reader takes an mz_reader (p, end, base), checks the bytes it needs
 * before touching them, advances r->p on success and fills `err` with the
 * spec's wording and the byte offset on failure.  They are static inline so
 * that the decoder and the instruction reader share one definition without
 * a call per byte.
 */
#ifndef MEWZ_LEB_H
#define MEWZ_LEB_H

#include "instr.h"

/* Offset of the reader's position in the module, for error reports. */
static inline size_t mz_pos(const mz_reader *r)
{
	return (size_t)(r->p - r->base);
}

static inline size_t mz_left(const mz_reader *r)
{
	return (size_t)(r->end - r->p);
}

static inline bool mz_eof_error(const mz_reader *r, mz_error *err)
{
	return mz_error_set(err, mz_pos(r), "%s", mz_reader_eof_text(r));
}

#define MZ_TOO_LONG "integer representation too long"

static inline bool mz_read_u8(mz_reader *r, uint8_t *out, mz_error *err)
{
	if (r->p >= r->end)
		return mz_eof_error(r, err);
	*out = *r->p++;
	return true;
}

static inline bool mz_read_bytes(mz_reader *r, size_t n, const uint8_t **out,
				 mz_error *err)
{
	if (mz_left(r) < n)
		return mz_eof_error(r, err);
	*out = r->p;
	r->p += n;
	return true;
}

/*
 * Unsigned LEB128 of at most `bits` bits (32 or 64).  The last permitted
 * byte may not set the continuation bit ("integer representation too long")
 * nor any bit beyond `bits` ("integer too large").
 */
static inline bool mz_read_uleb(mz_reader *r, unsigned bits, uint64_t *out,
				mz_error *err)
{
	unsigned maxbytes = (bits + 6) / 7;
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < maxbytes; i++) {
		uint8_t b;
		if (!mz_read_u8(r, &b, err))
			return false;
		if (i == maxbytes - 1) {
			/* `used`: value bits in this last permitted byte. */
			unsigned used = bits - 7 * i;
			if (b & 0x80)
				return mz_error_set(err, mz_pos(r) - 1, "%s",
						    MZ_TOO_LONG);
			if (b >> used)
				return mz_error_set(err, mz_pos(r) - 1,
						    "integer too large");
		}
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			break;
	}
	*out = v;
	return true;
}

/*
 * Signed LEB128 of at most `bits` bits (32, 33 or 64).  In the last
 * permitted byte, the bits beyond `bits` must all copy the sign bit.
 */
static inline bool mz_read_sleb(mz_reader *r, unsigned bits, int64_t *out,
				mz_error *err)
{
	unsigned maxbytes = (bits + 6) / 7;
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned i;
	uint8_t b = 0;

	for (i = 0; i < maxbytes; i++) {
		if (!mz_read_u8(r, &b, err))
			return false;
		if (i == maxbytes - 1) {
			/* `used`: value bits here, sign included; `extra`:
			 * the sign bit and everything above it. */
			unsigned used = bits - 7 * i;
			uint8_t extra = 0x7f & ~((1u << (used - 1)) - 1);
			if (b & 0x80)
				return mz_error_set(err, mz_pos(r) - 1, "%s",
						    MZ_TOO_LONG);
			if ((b & extra) != 0 && (b & extra) != extra)
				return mz_error_set(err, mz_pos(r) - 1,
						    "integer too large");
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (shift < 64 && (b & 0x40))
		v |= ~(uint64_t)0 << shift;
	*out = (int64_t)v;
	return true;
}

static inline bool mz_read_u32(mz_reader *r, uint32_t *out, mz_error *err)
{
	uint64_t v;
	if (!mz_read_uleb(r, 32, &v, err))
		return false;
	*out = (uint32_t)v;
	return true;
}

static inline bool mz_read_s32(mz_reader *r, uint32_t *out, mz_error *err)
{
	int64_t v;
	if (!mz_read_sleb(r, 32, &v, err))
		return false;
	*out = (uint32_t)v;
	return true;
}

static inline bool mz_read_s64(mz_reader *r, uint64_t *out, mz_error *err)
{
	int64_t v;
	if (!mz_read_sleb(r, 64, &v, err))
		return false;
	*out = (uint64_t)v;
	return true;
}

/* Little-endian fixed-width value of `n` bytes (4 or 8). */
static inline bool mz_read_fixed(mz_reader *r, unsigned n, uint64_t *out,
				 mz_error *err)
{
	const uint8_t *b;
	uint64_t v = 0;
	unsigned i;

	if (!mz_read_bytes(r, n, &b, err))
		return false;
	for (i = 0; i < n; i++)
		v |= (uint64_t)b[i] << (8 * i);
	*out = v;
	return true;
}

#endif /* MEWZ_LEB_H */
