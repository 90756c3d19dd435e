/*
 * chacha20.h - the ChaCha20 block function (RFC 8439, section 2.3) and a
 * fast-key-erasure generator built on it.  Pure computation: no platform
 * calls, so it is unit-tested on the host against the RFC's vectors.
 */
#ifndef MEWZ_CHACHA20_H
#define MEWZ_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_SIZE   32
#define CHACHA20_NONCE_SIZE 12
#define CHACHA20_BLOCK_SIZE 64

/* One 64-byte keystream block for (key, counter, nonce). */
void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE],
		    uint8_t out[CHACHA20_BLOCK_SIZE]);

/* XOR len bytes of keystream starting at block `counter` into buf. */
void chacha20_xor(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		  const uint8_t nonce[CHACHA20_NONCE_SIZE], uint8_t *buf,
		  size_t len);

/*
 * The generator: each request first replaces the key with fresh keystream
 * (so a later compromise of the state cannot recover earlier output), then
 * returns keystream from the following blocks.
 */
struct chacha20_rng {
	uint8_t key[CHACHA20_KEY_SIZE];
	uint64_t generated; /* bytes since the last reseed */
};

void chacha20_rng_seed(struct chacha20_rng *rng,
		       const uint8_t seed[CHACHA20_KEY_SIZE]);
void chacha20_rng_fill(struct chacha20_rng *rng, uint8_t *out, size_t len);

#endif /* MEWZ_CHACHA20_H */
