/*
 * roundeven.c - roundeven() and roundevenf(), which newlib 3.3 lacks.
 * mewzc lowers f32.nearest/f64.nearest to them when the target CPU has no
 * SSE4.1 rounding instruction (the portable baseline), so the guest must
 * provide them.  Round half to even, whatever the current rounding mode.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

double roundeven(double x);
float roundevenf(float x);

double roundeven(double x)
{
	double r;
	double diff;

	/* Infinities and values >= 2^52 are already integers. */
	if (isnan(x))
		return x + x; /* quiets a signalling NaN as the spec asks */
	if (!(fabs(x) < 4503599627370496.0))
		return x;
	r = trunc(x);
	diff = fabs(x - r);
	if (diff > 0.5 || (diff == 0.5 && fmod(r, 2.0) != 0.0))
		r += copysign(1.0, x);
	/* Keep the sign of zero: -0.4 rounds to -0. */
	return copysign(r, x);
}

float roundevenf(float x)
{
	float r;
	float diff;

	if (isnan(x))
		return x + x;
	if (!(fabsf(x) < 8388608.0f))
		return x;
	r = truncf(x);
	diff = fabsf(x - r);
	if (diff > 0.5f || (diff == 0.5f && fmodf(r, 2.0f) != 0.0f))
		r += copysignf(1.0f, x);
	return copysignf(r, x);
}
