/*
 * sieve - sieve of Eratosthenes over odd numbers below 2^25 in a byte array,
 * repeated; prints the count and a sum of the primes found.
 */
#include "bench.h"

#define LIMIT (1u << 25)

static uint8_t composite[LIMIT / 2];

/* Number of primes below LIMIT; mixes every 1000th prime into *h. */
static uint32_t sieve(uint64_t *h)
{
	uint32_t i, j, count = 1, n = LIMIT / 2;

	memset(composite, 0, sizeof composite);
	for (i = 1; (2 * i + 1) * (2 * i + 1) < LIMIT; i++) {
		uint32_t p = 2 * i + 1;
		if (composite[i])
			continue;
		for (j = (p * p) / 2; j < n; j += p)
			composite[j] = 1;
	}
	for (i = 1; i < n; i++)
		if (!composite[i] && ++count % 1000 == 0)
			*h = bench_mix(*h, 2 * i + 1);
	return count;
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(20, bench_scale(argc, argv)), r, count = 0;
	uint64_t h = BENCH_HASH_INIT;

	for (r = 0; r < reps; r++)
		count = sieve(&h);
	h = bench_mix(h, count);
	printf("primes below %u: %u\n", LIMIT, count);
	bench_report("sieve", h);
	return 0;
}
