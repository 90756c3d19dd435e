/*
 * random.c - random_get: ChaCha20 keyed from the platform's entropy
 * source, reseeded every RESEED_BYTES.  Without entropy the call fails
 * (EIO) instead of returning predictable bytes.
 */
#include <errno.h>

#include <mewz/plat.h>

#include "chacha20.h"
#include "wasi.h"

#define RESEED_BYTES (1u << 20)

static struct chacha20_rng rng;
static int rng_seeded;

static int rng_reseed(void)
{
	uint8_t seed[CHACHA20_KEY_SIZE];
	int rc = mewz_plat_entropy(seed, sizeof(seed));

	if (rc < 0)
		return rc;
	chacha20_rng_seed(&rng, seed);
	memset(seed, 0, sizeof(seed));
	rng_seeded = 1;
	return 0;
}

int wasi_random_fill(void *buf, size_t len)
{
	if (!rng_seeded || rng.generated >= RESEED_BYTES) {
		int rc = rng_reseed();

		/* A failed periodic reseed keeps the good state; only an
		 * unseeded generator refuses. */
		if (rc < 0 && !rng_seeded)
			return -EIO;
	}
	chacha20_rng_fill(&rng, buf, len);
	return 0;
}

int32_t wasi_random_get(int32_t buf, int32_t len) WASI_IMPORT(random_get);
int32_t wasi_random_get(int32_t buf, int32_t len)
{
	void *p = wasi_mem((uint32_t)buf, (uint32_t)len);

	if (!p)
		return WASI_EFAULT;
	return wasi_errno(wasi_random_fill(p, (uint32_t)len));
}
