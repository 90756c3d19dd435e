/*
 * mandelbrot - escape-time iteration over a 1024x768 grid of the complex
 * plane (double precision, up to 256 iterations), repeated over zoomed
 * windows; prints a hash of the per-row iteration counts.
 */
#include "bench.h"

#define W 1024
#define H 768
#define MAX_ITER 256

static uint32_t row_iters(double cy, double x0, double dx)
{
	uint32_t total = 0;
	int px;

	for (px = 0; px < W; px++) {
		double cx = x0 + dx * px, zx = 0, zy = 0;
		int it;
		for (it = 0; it < MAX_ITER; it++) {
			double x2 = zx * zx, y2 = zy * zy;
			if (x2 + y2 > 4.0)
				break;
			zy = 2.0 * zx * zy + cy;
			zx = x2 - y2 + cx;
		}
		total += (uint32_t)it;
	}
	return total;
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(4, bench_scale(argc, argv)), r;
	uint64_t h = BENCH_HASH_INIT;

	for (r = 0; r < reps; r++) {
		double zoom = 1.0 / (1.0 + 0.5 * r);
		double x0 = -0.75 - 1.75 * zoom, dx = 3.5 * zoom / W;
		double y0 = -1.25 * zoom, dy = 2.5 * zoom / H;
		int py;
		for (py = 0; py < H; py++)
			h = bench_mix(h, row_iters(y0 + dy * py, x0, dx));
	}
	bench_report("mandelbrot", h);
	return 0;
}
