/*
 * quicksort - sort 1M random 32-bit integers with a hand-written quicksort
 * (median of three, insertion sort below 16 elements), repeated on fresh
 * data, and check the result is sorted.
 */
#include "bench.h"

#define N (1u << 20)

static int32_t v[N];

static void insertion_sort(int32_t *a, int32_t n)
{
	int32_t i, j;

	for (i = 1; i < n; i++) {
		int32_t x = a[i];
		for (j = i - 1; j >= 0 && a[j] > x; j--)
			a[j + 1] = a[j];
		a[j + 1] = x;
	}
}

static void swap(int32_t *a, int32_t *b)
{
	int32_t t = *a;

	*a = *b;
	*b = t;
}

/* Sorts a[0..n); recurses on the smaller side so depth stays logarithmic. */
static void quicksort(int32_t *a, int32_t n)
{
	while (n > 16) {
		int32_t mid = n / 2, i = 0, j = n - 1, pivot;

		if (a[mid] < a[0])
			swap(&a[mid], &a[0]);
		if (a[n - 1] < a[0])
			swap(&a[n - 1], &a[0]);
		if (a[n - 1] < a[mid])
			swap(&a[n - 1], &a[mid]);
		pivot = a[mid];
		for (;;) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i >= j)
				break;
			swap(&a[i], &a[j]);
			i++;
			j--;
		}
		if (j + 1 < n - j - 1) {
			quicksort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			quicksort(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	insertion_sort(a, n);
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(12, bench_scale(argc, argv)), r, i;
	uint64_t h = BENCH_HASH_INIT, s = 12345;

	for (r = 0; r < reps; r++) {
		for (i = 0; i < N; i++)
			v[i] = (int32_t)(bench_rand(&s) >> 32);
		quicksort(v, (int32_t)N);
		for (i = 1; i < N; i++)
			if (v[i - 1] > v[i]) {
				printf("quicksort: not sorted at %u\n", i);
				return 1;
			}
		for (i = 0; i < N; i += 65521)
			h = bench_mix(h, (uint32_t)v[i]);
	}
	bench_report("quicksort", h);
	return 0;
}
