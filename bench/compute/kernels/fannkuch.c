/*
 * fannkuch - the fannkuch-redux permutation benchmark: for every permutation
 * of 1..n count the prefix reversals until 1 is first; prints the checksum
 * and the maximum flip count.
 */
#include "bench.h"

#define MAXN 16

static void fannkuch(int n, int32_t *checksum, int32_t *max_flips)
{
	int perm[MAXN], perm1[MAXN], count[MAXN];
	int r = n, i, perm_count = 0;

	*checksum = 0;
	*max_flips = 0;
	for (i = 0; i < n; i++)
		perm1[i] = i;
	for (;;) {
		int flips = 0, k;

		for (; r != 1; r--)
			count[r - 1] = r;
		for (i = 0; i < n; i++)
			perm[i] = perm1[i];
		while ((k = perm[0]) != 0) {
			int lo = 0, hi = k;
			while (lo < hi) {
				int t = perm[lo];
				perm[lo++] = perm[hi];
				perm[hi--] = t;
			}
			flips++;
		}
		if (flips > *max_flips)
			*max_flips = flips;
		*checksum += perm_count % 2 == 0 ? flips : -flips;
		/* Next permutation in the benchmark's rotation order. */
		for (;;) {
			int p0;
			if (r == n)
				return;
			p0 = perm1[0];
			for (i = 0; i < r; i++)
				perm1[i] = perm1[i + 1];
			perm1[r] = p0;
			if (--count[r] > 0)
				break;
			r++;
		}
		perm_count++;
	}
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(4, bench_scale(argc, argv)), rep;
	uint64_t h = BENCH_HASH_INIT;
	int32_t sum = 0, maxf = 0;

	for (rep = 0; rep < reps; rep++) {
		fannkuch(10, &sum, &maxf);
		h = bench_mix(bench_mix(h, (uint32_t)sum), (uint32_t)maxf);
	}
	printf("Pfannkuchen(10) = %d, checksum %d\n", maxf, sum);
	bench_report("fannkuch", h);
	return 0;
}
