/*
 * compute.c - a deterministic compute program (integers, floats, memory
 * growth through malloc, recursion) whose output must be identical under
 * QEMU and `mewz run --native`: the guest-qemu suite compares the two.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fib(uint32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* FNV-1a over a buffer. */
static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	enum { N = 200000 };
	uint32_t *v = malloc(N * sizeof(*v)); /* grows linear memory */
	uint32_t x = 12345, primes = 0;
	double acc = 0;
	char *sieve;

	if (!v)
		return 1;
	for (int i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		v[i] = x;
	}
	qsort(v, N, sizeof(*v), cmp_u32);
	printf("sorted min %u max %u median %u\n", v[0], v[N - 1], v[N / 2]);
	printf("fnv %016llx\n",
	       (unsigned long long)fnv((const uint8_t *)v, N * sizeof(*v)));
	sieve = calloc(1000000, 1);
	for (uint32_t i = 2; i < 1000000; i++) {
		if (sieve[i])
			continue;
		primes++;
		for (uint64_t j = (uint64_t)i * i; j < 1000000; j += i)
			sieve[j] = 1;
	}
	printf("primes below 10^6: %u\n", primes);
	for (int i = 1; i <= 100000; i++)
		acc += sin(i) / i + sqrt((double)i) * 1e-6;
	printf("float %.12f\n", acc);
	printf("fib(27) %u\n", fib(27));
	printf("int64 %lld\n",
	       (long long)((int64_t)-7 / 2 * INT32_MAX % 1000003));
	free(sieve);
	free(v);
	return 0;
}
