/* test_roundeven.c - guest/lib/roundeven.c: round half to even, bit-exact. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

double roundeven(double x);
float roundevenf(float x);

static uint64_t dbits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	return u;
}

static uint32_t fbits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof(u));
	return u;
}

void test_roundeven(void)
{
	static const struct {
		double in, out;
	} d[] = {
	    {0.5, 0.0},   {1.5, 2.0},     {2.5, 2.0},   {-0.5, -0.0},
	    {-1.5, -2.0}, {-2.5, -2.0},   {-0.4, -0.0}, {0.49999999999999994, 0.0},
	    {3.0, 3.0},   {2.5000001, 3.0}, {4503599627370495.5, 4503599627370496.0},
	    {1e300, 1e300}, {-0.0, -0.0}, {INFINITY, INFINITY}, {-INFINITY, -INFINITY},
	};
	static const struct {
		float in, out;
	} f[] = {
	    {0.5f, 0.0f},  {1.5f, 2.0f},   {2.5f, 2.0f},     {-0.5f, -0.0f},
	    {-2.5f, -2.0f}, {-0.4f, -0.0f}, {8388607.5f, 8388608.0f},
	    {16777216.0f, 16777216.0f}, {INFINITY, INFINITY}, {-0.0f, -0.0f},
	};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		CHECK_EQ(dbits(roundeven(d[i].in)), dbits(d[i].out));
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		CHECK_EQ(fbits(roundevenf(f[i].in)), fbits(f[i].out));
	/* NaNs stay NaN, and come back quiet. */
	CHECK_EQ(isnan(roundeven(NAN)), 1);
	CHECK_EQ(fbits(roundevenf(__builtin_nansf(""))) & 0x00400000u, 0x00400000u);
}
