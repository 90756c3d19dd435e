/*
 * matmul - dense double-precision matrix multiply, C = A * B, in the
 * cache-friendly i-k-j order.  Each repetition feeds part of the result back
 * into A so no repetition can be skipped.
 */
#include "bench.h"

#define N 256

static double a[N][N], b[N][N], c[N][N];

static void fill(uint64_t seed)
{
	uint64_t s = seed;
	int i, j;

	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++) {
			a[i][j] = bench_rand_unit(&s) - 0.5;
			b[i][j] = bench_rand_unit(&s) - 0.5;
		}
}

static void multiply(void)
{
	int i, j, k;

	for (i = 0; i < N; i++) {
		for (j = 0; j < N; j++)
			c[i][j] = 0.0;
		for (k = 0; k < N; k++) {
			double aik = a[i][k];
			for (j = 0; j < N; j++)
				c[i][j] += aik * b[k][j];
		}
	}
}

/* Feed a scaled copy of one row of C back into A, keeping values bounded. */
static void feed_back(int rep)
{
	int row = rep % N, j;

	for (j = 0; j < N; j++)
		a[row][j] = c[row][j] * (1.0 / N);
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(180, bench_scale(argc, argv)), r;
	uint64_t h = BENCH_HASH_INIT;
	int i;

	fill(42);
	for (r = 0; r < reps; r++) {
		multiply();
		feed_back((int)r);
		for (i = 0; i < N; i++)
			h = bench_mix_double(h, c[i][(i * 7 + (int)r) % N]);
	}
	bench_report("matmul", h);
	return 0;
}
