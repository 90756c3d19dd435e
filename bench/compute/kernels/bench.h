/*
 * bench.h - what every compute kernel shares: the work scale taken from
 * argv[1] and the one checksum line it prints.
 *
 * The same source is built natively (gcc, LP64) and for wasm32 (ILP32), so
 * kernels use fixed-width types only and hash floating-point results by their
 * bits: equal output means bit-identical results on every peer.  Kernels call
 * no libm function except sqrt, which IEEE 754 rounds exactly everywhere.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Work scale in percent (argv[1], default 100).  100 is sized for about one
 * second natively; the driver passes a small value for quick runs.
 */
static inline uint32_t bench_scale(int argc, char **argv)
{
	long v;

	if (argc < 2)
		return 100;
	v = strtol(argv[1], NULL, 10);
	if (v < 1)
		return 1;
	if (v > 100000)
		return 100000;
	return (uint32_t)v;
}

/* `base` repetitions scaled by `scale` percent, at least one. */
static inline uint32_t bench_reps(uint32_t base, uint32_t scale)
{
	uint64_t r = (uint64_t)base * scale / 100;

	return r ? (uint32_t)r : 1;
}

/* FNV-1a style 64-bit mixing of one value into a running checksum. */
static inline uint64_t bench_mix(uint64_t h, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

static inline uint64_t bench_mix_double(uint64_t h, double d)
{
	uint64_t bits;

	memcpy(&bits, &d, sizeof bits);
	return bench_mix(h, bits);
}

#define BENCH_HASH_INIT 0xcbf29ce484222325ull

/* xorshift64*: the kernels' deterministic input generator. */
static inline uint64_t bench_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* A double in [0, 1) with 53 random bits. */
static inline double bench_rand_unit(uint64_t *state)
{
	return (double)(bench_rand(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* The one line the driver compares across peers. */
static inline void bench_report(const char *name, uint64_t sum)
{
	printf("%s %016llx\n", name, (unsigned long long)sum);
}

#endif /* BENCH_H */
