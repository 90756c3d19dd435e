/*
 * chacha20.c - RFC 8439 ChaCha20, written from the RFC's description.
 */
#include <string.h>

#include "chacha20.h"

static uint32_t rotl32(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#define QUARTER_ROUND(x, a, b, c, d)                                           \
	do {                                                                   \
		x[a] += x[b];                                                  \
		x[d] = rotl32(x[d] ^ x[a], 16);                                \
		x[c] += x[d];                                                  \
		x[b] = rotl32(x[b] ^ x[c], 12);                                \
		x[a] += x[b];                                                  \
		x[d] = rotl32(x[d] ^ x[a], 8);                                 \
		x[c] += x[d];                                                  \
		x[b] = rotl32(x[b] ^ x[c], 7);                                 \
	} while (0)

void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE],
		    uint8_t out[CHACHA20_BLOCK_SIZE])
{
	uint32_t s[16], x[16];
	int i;

	/* "expand 32-byte k" */
	s[0] = 0x61707865;
	s[1] = 0x3320646e;
	s[2] = 0x79622d32;
	s[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		s[4 + i] = load_le32(key + 4 * i);
	s[12] = counter;
	for (i = 0; i < 3; i++)
		s[13 + i] = load_le32(nonce + 4 * i);
	memcpy(x, s, sizeof(x));
	for (i = 0; i < 10; i++) {
		QUARTER_ROUND(x, 0, 4, 8, 12);
		QUARTER_ROUND(x, 1, 5, 9, 13);
		QUARTER_ROUND(x, 2, 6, 10, 14);
		QUARTER_ROUND(x, 3, 7, 11, 15);
		QUARTER_ROUND(x, 0, 5, 10, 15);
		QUARTER_ROUND(x, 1, 6, 11, 12);
		QUARTER_ROUND(x, 2, 7, 8, 13);
		QUARTER_ROUND(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		store_le32(out + 4 * i, x[i] + s[i]);
}

void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t *buf,
		  size_t len)
{
	uint8_t block[CHACHA20_BLOCK_SIZE];

	while (len > 0) {
		size_t n = len < sizeof(block) ? len : sizeof(block);
		size_t i;

		chacha20_block(key, counter++, nonce, block);
		for (i = 0; i < n; i++)
			buf[i] ^= block[i];
		buf += n;
		len -= n;
	}
	memset(block, 0, sizeof(block));
}

void chacha20_rng_seed(struct chacha20_rng *rng,
		       const uint8_t seed[CHACHA20_KEY_SIZE])
{
	size_t i;

	/* Mix into the old key rather than replacing it: a weak seed never
	 * makes the state weaker than it was. */
	for (i = 0; i < CHACHA20_KEY_SIZE; i++)
		rng->key[i] ^= seed[i];
	rng->generated = 0;
}

void chacha20_rng_fill(struct chacha20_rng *rng, uint8_t *out, size_t len)
{
	static const uint8_t nonce[CHACHA20_NONCE_SIZE];
	uint8_t block[CHACHA20_BLOCK_SIZE];
	uint32_t counter = 1;

	/* Block 0 becomes the next key before any output leaves. */
	chacha20_block(rng->key, 0, nonce, block);
	while (len > 0) {
		uint8_t ks[CHACHA20_BLOCK_SIZE];
		size_t n = len < sizeof(ks) ? len : sizeof(ks);

		/* Counter wrap: restart from a fresh key instead of repeating.
		 */
		if (counter == 0) {
			memcpy(rng->key, block, CHACHA20_KEY_SIZE);
			chacha20_block(rng->key, 0, nonce, block);
			counter = 1;
		}
		chacha20_block(rng->key, counter++, nonce, ks);
		memcpy(out, ks, n);
		memset(ks, 0, sizeof(ks));
		out += n;
		len -= n;
		rng->generated += n;
	}
	memcpy(rng->key, block, CHACHA20_KEY_SIZE);
	memset(block, 0, sizeof(block));
}
