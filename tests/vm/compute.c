/*
 * compute: integer, 64-bit, floating-point and libm work with a fixed
 * output, compared byte for byte between QEMU and `mewz run --native`.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t collatz_steps(uint64_t n)
{
	uint64_t s = 0;

	while (n != 1) {
		n = n & 1 ? 3 * n + 1 : n / 2;
		s++;
	}
	return s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(void)
{
	enum { N = 100000 };
	char *sieve = calloc(N, 1);
	double *v = malloc(4096 * sizeof(*v));
	uint64_t best = 0, arg = 0, h = 1469598103934665603ull;
	unsigned primes = 0;
	double sum = 0;

	if (!sieve || !v)
		return 1;
	for (unsigned i = 2; i < N; i++) {
		if (sieve[i])
			continue;
		primes++;
		for (unsigned j = 2 * i; j < N; j += i)
			sieve[j] = 1;
	}
	for (uint64_t n = 1; n < 30000; n++) {
		uint64_t s = collatz_steps(n);
		if (s > best)
			best = s, arg = n;
	}
	for (int i = 0; i < 4096; i++)
		v[i] = sin(i * 0.37) * exp(-i / 2048.0) + sqrt((double)i);
	qsort(v, 4096, sizeof(*v), cmp_double);
	for (int i = 0; i < 4096; i++) {
		sum += v[i];
		uint64_t bits;
		memcpy(&bits, &v[i], sizeof(bits));
		h = (h ^ bits) * 1099511628211ull;
	}
	printf("primes below %d: %u\n", N, primes);
	printf("longest collatz below 30000: %llu steps from %llu\n", (unsigned long long)best,
	       (unsigned long long)arg);
	printf("sum %.9f min %.9f max %.9f hash %016llx\n", sum, v[0], v[4095], (unsigned long long)h);
	printf("float %.6f %.6f %d\n", (double)fmodf(1e7f, 3.3f), pow(2.5, 7.25), (int)nearbyint(-2.5));
	return 0;
}
