/*
 * fft - iterative radix-2 complex FFT of 2^16 points, forward then inverse,
 * repeated.  Twiddle factors come from a Taylor series written here, so no
 * libm function (whose last bit differs between C libraries) is involved.
 */
#include "bench.h"

#define LOG2N 16
#define N (1u << LOG2N)

static const double PI = 3.14159265358979323846;

static double re[N], im[N], wre[N / 2], wim[N / 2];

/* sin(x) for |x| <= pi/2 by its Taylor series; accurate to ~1 ulp. */
static double taylor_sin(double x)
{
	double term = x, sum = x, x2 = x * x;
	int k;

	for (k = 1; k < 14; k++) {
		term *= -x2 / (double)((2 * k) * (2 * k + 1));
		sum += term;
	}
	return sum;
}

/* Twiddles w_k = exp(-2 pi i k / N), from sin alone by symmetry. */
static void make_twiddles(void)
{
	uint32_t k;

	for (k = 0; k < N / 2; k++) {
		double t = 2.0 * PI * (double)k / (double)N; /* in [0, pi) */
		double s, c;

		if (t <= PI / 2) {
			s = taylor_sin(t);
			c = taylor_sin(PI / 2 - t);
		} else {
			s = taylor_sin(PI - t);
			c = -taylor_sin(t - PI / 2);
		}
		wre[k] = c;
		wim[k] = -s;
	}
}

static void bit_reverse(void)
{
	uint32_t i, j = 0, bit;

	for (i = 1; i < N; i++) {
		for (bit = N >> 1; j & bit; bit >>= 1)
			j ^= bit;
		j |= bit;
		if (i < j) {
			double t = re[i];
			re[i] = re[j];
			re[j] = t;
			t = im[i];
			im[i] = im[j];
			im[j] = t;
		}
	}
}

/* In place; `inverse` conjugates the twiddles (no 1/N scaling). */
static void fft(int inverse)
{
	uint32_t len, i, k;

	bit_reverse();
	for (len = 2; len <= N; len <<= 1) {
		uint32_t half = len >> 1, step = N / len;
		for (i = 0; i < N; i += len) {
			for (k = 0; k < half; k++) {
				double wr = wre[k * step];
				double wi = inverse ? -wim[k * step] : wim[k * step];
				uint32_t p = i + k, q = p + half;
				double xr = re[q] * wr - im[q] * wi;
				double xi = re[q] * wi + im[q] * wr;
				re[q] = re[p] - xr;
				im[q] = im[p] - xi;
				re[p] += xr;
				im[p] += xi;
			}
		}
	}
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(200, bench_scale(argc, argv)), r, i;
	uint64_t h = BENCH_HASH_INIT, s = 7;

	make_twiddles();
	for (i = 0; i < N; i++) {
		re[i] = bench_rand_unit(&s) - 0.5;
		im[i] = bench_rand_unit(&s) - 0.5;
	}
	for (r = 0; r < reps; r++) {
		fft(0);
		h = bench_mix_double(h, re[r % N]);
		h = bench_mix_double(h, im[(r * 31) % N]);
		fft(1);
		for (i = 0; i < N; i++) {
			re[i] *= 1.0 / N;
			im[i] *= 1.0 / N;
		}
	}
	for (i = 0; i < N; i += 4099)
		h = bench_mix_double(bench_mix_double(h, re[i]), im[i]);
	bench_report("fft", h);
	return 0;
}
