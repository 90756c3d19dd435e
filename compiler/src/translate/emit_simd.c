/* emit_simd.c - fixed-width SIMD (placeholder until implemented). */
#include "xlate.h"

bool x_emit_simd(xfunc *fc, const mz_instr *in)
{
	return x_fail(fc->xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(in->op), fc->idx);
}
