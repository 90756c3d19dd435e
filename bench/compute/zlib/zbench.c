/*
 * zbench.c - our driver for Debian's zlib: deflate (level 6) and inflate
 * 8 MiB of generated text-like data, check the round trip, and print one
 * checksum line.  argv[1] is the work in percent, as for the kernels.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"

#define IN_SIZE (8u << 20)

static uint64_t rng = 0x1234567887654321ull;

static uint32_t next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

/* Words from a small vocabulary with some numbers and noise. */
static void make_input(uint8_t *buf, uint32_t n)
{
	static const char *const words[] = {
		"request", "response", "header", "GET", "POST", "/index.html",
		"200", "404", "content-length", "keep-alive", "\r\n", " ", ": ",
		"host", "user-agent", "mewz", "unikernel", "wasm", "=", "&",
	};
	uint32_t pos = 0;

	while (pos < n) {
		uint32_t r = next();
		if ((r & 31) == 0) {
			buf[pos++] = (uint8_t)(r >> 8);
			continue;
		}
		if ((r & 31) == 1) { /* a decimal number */
			uint32_t v = r >> 12;
			char digits[12];
			int k = 0;
			do
				digits[k++] = (char)('0' + v % 10);
			while ((v /= 10) != 0);
			while (k > 0 && pos < n)
				buf[pos++] = (uint8_t)digits[--k];
			continue;
		}
		const char *w = words[(r >> 8) % (sizeof words / sizeof words[0])];
		while (*w && pos < n)
			buf[pos++] = (uint8_t)*w++;
	}
}

static int squeeze(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap, uint32_t *len)
{
	z_stream s;

	memset(&s, 0, sizeof s);
	if (deflateInit(&s, 6) != Z_OK)
		return 0;
	s.next_in = (Bytef *)in;
	s.avail_in = n;
	s.next_out = out;
	s.avail_out = cap;
	if (deflate(&s, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&s);
		return 0;
	}
	*len = (uint32_t)s.total_out;
	return deflateEnd(&s) == Z_OK;
}

static int expand(const uint8_t *in, uint32_t n, uint8_t *out, uint32_t cap, uint32_t *len)
{
	z_stream s;

	memset(&s, 0, sizeof s);
	if (inflateInit(&s) != Z_OK)
		return 0;
	s.next_in = (Bytef *)in;
	s.avail_in = n;
	s.next_out = out;
	s.avail_out = cap;
	if (inflate(&s, Z_FINISH) != Z_STREAM_END) {
		inflateEnd(&s);
		return 0;
	}
	*len = (uint32_t)s.total_out;
	return inflateEnd(&s) == Z_OK;
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
	uint32_t reps = (uint32_t)(scale > 0 ? 3 * scale / 100 : 0), r;
	uint32_t cap = IN_SIZE + IN_SIZE / 100 + 1024, clen = 0, dlen = 0;
	uint8_t *in = malloc(IN_SIZE), *z = malloc(cap), *back = malloc(IN_SIZE);
	uLong crc = crc32(0, NULL, 0);

	if (!in || !z || !back)
		return 1;
	if (reps == 0)
		reps = 1;
	for (r = 0; r < reps; r++) {
		make_input(in, IN_SIZE);
		if (!squeeze(in, IN_SIZE, z, cap, &clen) ||
		    !expand(z, clen, back, IN_SIZE, &dlen) || dlen != IN_SIZE ||
		    memcmp(in, back, IN_SIZE) != 0) {
			printf("zlib: round trip failed at rep %u\n", r);
			return 1;
		}
		crc = crc32(crc, z, clen);
	}
	printf("zlib %s: %u -> %u bytes\n", zlibVersion(), IN_SIZE, clen);
	printf("zlib %08lx\n", (unsigned long)crc);
	return 0;
}
