/*
 * lz77 - a byte-oriented LZ77 compressor with hash chains and its
 * decompressor, run over 2 MiB of generated text-like data; the round trip
 * must restore the input exactly.
 *
 * Format: a token byte; 0..127 means that many+1 literals follow; 128..255
 * means a match of length (token - 128 + MIN_MATCH) at a 16-bit offset.
 */
#include "bench.h"

#define IN_SIZE (2u << 20)
#define OUT_CAP (IN_SIZE + IN_SIZE / 64 + 16)
#define MIN_MATCH 4
#define MAX_MATCH (127 + MIN_MATCH)
#define WINDOW 65535u
#define HASH_BITS 15
#define CHAIN_LIMIT 16

static uint8_t in[IN_SIZE], out[OUT_CAP], back[IN_SIZE];
static int32_t head[1 << HASH_BITS], prev[IN_SIZE];

static uint32_t hash4(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		     (uint32_t)p[3] << 24;
	return (v * 2654435761u) >> (32 - HASH_BITS);
}

static uint32_t flush_literals(uint8_t *o, const uint8_t *lit, uint32_t n)
{
	uint32_t w = 0;

	while (n > 0) {
		uint32_t run = n > 128 ? 128 : n;
		o[w++] = (uint8_t)(run - 1);
		memcpy(o + w, lit, run);
		w += run, lit += run, n -= run;
	}
	return w;
}

static uint32_t compress(const uint8_t *src, uint32_t n, uint8_t *dst)
{
	uint32_t i = 0, w = 0, lit_start = 0;

	memset(head, -1, sizeof head);
	while (i + MIN_MATCH <= n) {
		uint32_t hsh = hash4(src + i), best_len = 0, best_off = 0;
		int32_t cand = head[hsh];
		int chain = CHAIN_LIMIT;

		while (cand >= 0 && i - (uint32_t)cand <= WINDOW && chain-- > 0) {
			uint32_t len = 0, max = n - i < MAX_MATCH ? n - i : MAX_MATCH;
			while (len < max && src[(uint32_t)cand + len] == src[i + len])
				len++;
			if (len > best_len) {
				best_len = len;
				best_off = i - (uint32_t)cand;
			}
			cand = prev[cand];
		}
		prev[i] = head[hsh];
		head[hsh] = (int32_t)i;
		if (best_len < MIN_MATCH) {
			i++;
			continue;
		}
		w += flush_literals(dst + w, src + lit_start, i - lit_start);
		dst[w++] = (uint8_t)(128 + best_len - MIN_MATCH);
		dst[w++] = (uint8_t)best_off;
		dst[w++] = (uint8_t)(best_off >> 8);
		/* Index the skipped positions so later matches can find them. */
		for (uint32_t k = 1; k < best_len && i + k + MIN_MATCH <= n; k++) {
			uint32_t hk = hash4(src + i + k);
			prev[i + k] = head[hk];
			head[hk] = (int32_t)(i + k);
		}
		i += best_len;
		lit_start = i;
	}
	w += flush_literals(dst + w, src + lit_start, n - lit_start);
	return w;
}

/* Returns the decoded length, or UINT32_MAX on a malformed stream. */
static uint32_t decompress(const uint8_t *src, uint32_t n, uint8_t *dst, uint32_t cap)
{
	uint32_t r = 0, w = 0;

	while (r < n) {
		uint32_t t = src[r++];
		if (t < 128) {
			if (r + t + 1 > n || w + t + 1 > cap)
				return UINT32_MAX;
			memcpy(dst + w, src + r, t + 1);
			r += t + 1, w += t + 1;
		} else {
			uint32_t len = t - 128 + MIN_MATCH, off, k;
			if (r + 2 > n)
				return UINT32_MAX;
			off = src[r] | (uint32_t)src[r + 1] << 8;
			r += 2;
			if (off == 0 || off > w || w + len > cap)
				return UINT32_MAX;
			for (k = 0; k < len; k++, w++) /* may overlap: byte by byte */
				dst[w] = dst[w - off];
		}
	}
	return w;
}

static void make_input(uint64_t seed)
{
	static const char *const frag[] = {
		"int main(void) {", "return 0;", "}\n", "for (i = 0; i < n; i++)",
		" x += y * z;", "/* comment */", "\n\t", "if (p == NULL)",
		"memcpy(dst, src, len);", " ", "while (", ") {\n",
	};
	uint64_t s = seed;
	uint32_t pos = 0;

	while (pos < IN_SIZE) {
		uint64_t x = bench_rand(&s);
		if ((x & 15) == 0) { /* some noise so not everything matches */
			in[pos++] = (uint8_t)(x >> 32);
			continue;
		}
		const char *f = frag[(x >> 8) % (sizeof frag / sizeof frag[0])];
		while (*f && pos < IN_SIZE)
			in[pos++] = (uint8_t)*f++;
	}
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(36, bench_scale(argc, argv)), r;
	uint64_t h = BENCH_HASH_INIT;

	for (r = 0; r < reps; r++) {
		uint32_t clen, dlen;
		make_input(1000 + r);
		clen = compress(in, IN_SIZE, out);
		dlen = decompress(out, clen, back, IN_SIZE);
		if (dlen != IN_SIZE || memcmp(in, back, IN_SIZE) != 0) {
			printf("lz77: round trip failed (rep %u)\n", r);
			return 1;
		}
		h = bench_mix(h, clen);
		h = bench_mix(h, out[clen / 2]);
	}
	bench_report("lz77", h);
	return 0;
}
