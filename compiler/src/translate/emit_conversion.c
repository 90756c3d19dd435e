/*
 * emit_conversion.c - wrap/extend, float<->int conversions (trapping and
 * saturating), demote/promote and reinterpret.
 *
 * Trapping truncation checks NaN first ("invalid conversion to integer"),
 * then the exact range ("integer overflow").  The range is open or closed
 * depending on whether the bound is representable in the source type: a
 * value v truncates into a signed N-bit integer iff
 * -2^(N-1) - 1 < v < 2^(N-1); in f32 (and in f64 for N = 64) -2^(N-1) - 1
 * rounds to -2^(N-1), so there the lower test is v >= -2^(N-1) instead.
 * Unsigned: -1 < v < 2^N.  Saturating truncation is LLVM's fpto[su]i.sat,
 * which has exactly Wasm's semantics (NaN gives 0).
 */
#include <math.h>

#include "xlate.h"

#include "mewz/abi.h"

static bool emit_trunc(xfunc *fc, bool is_signed, unsigned bits)
{
	xmod *xm = fc->xm;
	LLVMValueRef x;
	X_POP(fc, x);
	LLVMTypeRef fty = LLVMTypeOf(x);
	bool src64 = LLVMGetTypeKind(fty) == LLVMDoubleTypeKind;
	LLVMTypeRef ity = bits == 32 ? xm->t.i32 : xm->t.i64;
	LLVMValueRef nan = LLVMBuildFCmp(fc->b, LLVMRealUNO, x, x, "isnan");
	X_TRY(x_trap_if(fc, nan, MEWZ_TRAP_INVALID_CONVERSION));

	double hi = ldexp(1.0, is_signed ? (int)bits - 1 : (int)bits);
	LLVMValueRef lo_ok;
	if (!is_signed) {
		lo_ok = LLVMBuildFCmp(fc->b, LLVMRealOGT, x,
				      LLVMConstReal(fty, -1.0), "");
	} else if (src64 && bits == 32) {
		lo_ok = LLVMBuildFCmp(fc->b, LLVMRealOGT, x,
				      LLVMConstReal(fty, -2147483649.0), "");
	} else {
		lo_ok = LLVMBuildFCmp(fc->b, LLVMRealOGE, x,
				      LLVMConstReal(fty, -hi), "");
	}
	LLVMValueRef hi_ok =
	    LLVMBuildFCmp(fc->b, LLVMRealOLT, x, LLVMConstReal(fty, hi), "");
	LLVMValueRef bad =
	    LLVMBuildNot(fc->b, LLVMBuildAnd(fc->b, lo_ok, hi_ok, ""), "");
	X_TRY(x_trap_if(fc, bad, MEWZ_TRAP_INT_OVERFLOW));
	LLVMValueRef r = is_signed ? LLVMBuildFPToSI(fc->b, x, ity, "trunc")
				   : LLVMBuildFPToUI(fc->b, x, ity, "trunc");
	return x_push(fc, r);
}

static bool emit_trunc_sat(xfunc *fc, bool is_signed, unsigned bits)
{
	xmod *xm = fc->xm;
	LLVMValueRef x;
	X_POP(fc, x);
	LLVMTypeRef tys[2] = {bits == 32 ? xm->t.i32 : xm->t.i64,
			      LLVMTypeOf(x)};
	const char *nm = is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat";
	return x_push(fc, x_call_intrinsic(xm, nm, tys, 2, &x, 1));
}

static bool emit_convert(xfunc *fc, bool is_signed, LLVMTypeRef to)
{
	LLVMValueRef x;
	X_POP(fc, x);
	LLVMValueRef r = is_signed ? LLVMBuildSIToFP(fc->b, x, to, "conv")
				   : LLVMBuildUIToFP(fc->b, x, to, "conv");
	return x_push(fc, r);
}

static bool emit_cast(xfunc *fc, LLVMOpcode op, LLVMTypeRef to)
{
	LLVMValueRef x;
	X_POP(fc, x);
	return x_push(fc, LLVMBuildCast(fc->b, op, x, to, "cast"));
}

/* demote(promote x) folds to x: keep the NaN quieting it must do. */
static bool emit_demote(xfunc *fc)
{
	LLVMValueRef x;
	X_POP(fc, x);
	LLVMValueRef r = LLVMBuildFPTrunc(fc->b, x, fc->xm->t.f32, "demote");
	if (LLVMIsAInstruction(x) && LLVMGetInstructionOpcode(x) == LLVMFPExt)
		r = x_quiet_nan(fc, r);
	return x_push(fc, r);
}

bool x_emit_conversion(xfunc *fc, const mz_instr *in)
{
	xtypes *t = &fc->xm->t;
	switch (in->op) {
	case MZ_OP_I32_WRAP_I64:
		return emit_cast(fc, LLVMTrunc, t->i32);
	case MZ_OP_I32_TRUNC_F32_S:
	case MZ_OP_I32_TRUNC_F64_S:
		return emit_trunc(fc, true, 32);
	case MZ_OP_I32_TRUNC_F32_U:
	case MZ_OP_I32_TRUNC_F64_U:
		return emit_trunc(fc, false, 32);
	case MZ_OP_I64_TRUNC_F32_S:
	case MZ_OP_I64_TRUNC_F64_S:
		return emit_trunc(fc, true, 64);
	case MZ_OP_I64_TRUNC_F32_U:
	case MZ_OP_I64_TRUNC_F64_U:
		return emit_trunc(fc, false, 64);
	case MZ_OP_I64_EXTEND_I32_S:
		return emit_cast(fc, LLVMSExt, t->i64);
	case MZ_OP_I64_EXTEND_I32_U:
		return emit_cast(fc, LLVMZExt, t->i64);
	case MZ_OP_F32_CONVERT_I32_S:
	case MZ_OP_F32_CONVERT_I64_S:
		return emit_convert(fc, true, t->f32);
	case MZ_OP_F32_CONVERT_I32_U:
	case MZ_OP_F32_CONVERT_I64_U:
		return emit_convert(fc, false, t->f32);
	case MZ_OP_F64_CONVERT_I32_S:
	case MZ_OP_F64_CONVERT_I64_S:
		return emit_convert(fc, true, t->f64);
	case MZ_OP_F64_CONVERT_I32_U:
	case MZ_OP_F64_CONVERT_I64_U:
		return emit_convert(fc, false, t->f64);
	case MZ_OP_F32_DEMOTE_F64:
		return emit_demote(fc);
	case MZ_OP_F64_PROMOTE_F32:
		return emit_cast(fc, LLVMFPExt, t->f64);
	case MZ_OP_I32_REINTERPRET_F32:
		return emit_cast(fc, LLVMBitCast, t->i32);
	case MZ_OP_I64_REINTERPRET_F64:
		return emit_cast(fc, LLVMBitCast, t->i64);
	case MZ_OP_F32_REINTERPRET_I32:
		return emit_cast(fc, LLVMBitCast, t->f32);
	case MZ_OP_F64_REINTERPRET_I64:
		return emit_cast(fc, LLVMBitCast, t->f64);
	case MZ_OP_I32_TRUNC_SAT_F32_S:
	case MZ_OP_I32_TRUNC_SAT_F64_S:
		return emit_trunc_sat(fc, true, 32);
	case MZ_OP_I32_TRUNC_SAT_F32_U:
	case MZ_OP_I32_TRUNC_SAT_F64_U:
		return emit_trunc_sat(fc, false, 32);
	case MZ_OP_I64_TRUNC_SAT_F32_S:
	case MZ_OP_I64_TRUNC_SAT_F64_S:
		return emit_trunc_sat(fc, true, 64);
	case MZ_OP_I64_TRUNC_SAT_F32_U:
	case MZ_OP_I64_TRUNC_SAT_F64_U:
		return emit_trunc_sat(fc, false, 64);
	}
	return x_fail(fc->xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(in->op), fc->idx);
}
