/*
 * emit_numeric.c - constants, comparisons, integer and float arithmetic,
 * and the sign-extension operators.
 *
 * Opcodes of one class are laid out identically for each type, so each
 * handler takes the opcode's distance from the first of its run (the WAMR
 * `variant` idea).  Spec rules that LLVM does not give for free:
 *   - div/rem trap on zero; div_s traps on INT_MIN / -1; rem_s of
 *     INT_MIN / -1 is 0 (computed as x rem 1, so no UB);
 *   - shift and rotate counts are taken modulo the width;
 *   - min/max propagate NaN and order -0 below +0 (x_fminmax);
 *   - abs/neg/copysign touch only the sign bit (LLVM defines fabs, fneg
 *     and copysign as bit operations, NaN payloads included).
 */
#include <string.h>

#include "xlate.h"

#include "mewz/abi.h"

static LLVMValueRef bool_to_i32(xfunc *fc, LLVMValueRef c)
{
	return LLVMBuildZExt(fc->b, c, fc->xm->t.i32, "");
}

static bool emit_const(xfunc *fc, const mz_instr *in)
{
	xtypes *t = &fc->xm->t;
	switch (in->op) {
	case MZ_OP_I32_CONST:
		return x_push(fc, LLVMConstInt(t->i32, in->u.i32, 0));
	case MZ_OP_I64_CONST:
		return x_push(fc, LLVMConstInt(t->i64, in->u.i64, 0));
	case MZ_OP_F32_CONST:
		return x_push(
		    fc, LLVMConstBitCast(
			    LLVMConstInt(t->i32, in->u.f32_bits, 0), t->f32));
	default:
		return x_push(
		    fc, LLVMConstBitCast(
			    LLVMConstInt(t->i64, in->u.f64_bits, 0), t->f64));
	}
}

/* eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u */
static const LLVMIntPredicate int_preds[10] = {
    LLVMIntEQ,	LLVMIntNE,  LLVMIntSLT, LLVMIntULT, LLVMIntSGT,
    LLVMIntUGT, LLVMIntSLE, LLVMIntULE, LLVMIntSGE, LLVMIntUGE,
};

/* eq ne lt gt le ge; ne is true for NaN operands */
static const LLVMRealPredicate real_preds[6] = {
    LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT,
    LLVMRealOGT, LLVMRealOLE, LLVMRealOGE,
};

static bool emit_icmp(xfunc *fc, unsigned variant)
{
	LLVMValueRef a, b;
	X_POP(fc, b);
	X_POP(fc, a);
	return x_push(fc,
		      bool_to_i32(fc, LLVMBuildICmp(fc->b, int_preds[variant],
						    a, b, "cmp")));
}

static bool emit_eqz(xfunc *fc)
{
	LLVMValueRef a;
	X_POP(fc, a);
	LLVMValueRef c = LLVMBuildICmp(fc->b, LLVMIntEQ, a,
				       LLVMConstNull(LLVMTypeOf(a)), "eqz");
	return x_push(fc, bool_to_i32(fc, c));
}

static bool emit_fcmp(xfunc *fc, unsigned variant)
{
	LLVMValueRef a, b;
	X_POP(fc, b);
	X_POP(fc, a);
	return x_push(fc,
		      bool_to_i32(fc, LLVMBuildFCmp(fc->b, real_preds[variant],
						    a, b, "fcmp")));
}

static const char *const int_unary_intrinsics[3] = {
    "llvm.ctlz",
    "llvm.cttz",
    "llvm.ctpop",
};

static bool emit_int_unary(xfunc *fc, unsigned variant)
{
	xmod *xm = fc->xm;
	LLVMValueRef a;
	X_POP(fc, a);
	LLVMTypeRef ty = LLVMTypeOf(a);
	LLVMValueRef args[2] = {a, LLVMConstInt(xm->t.i1, 0, 0)};
	/* ctlz/cttz of 0 is the width in Wasm: pass is_zero_poison=false. */
	unsigned nargs = variant == 2 ? 1 : 2;
	return x_push(fc, x_call_intrinsic(xm, int_unary_intrinsics[variant],
					   &ty, 1, args, nargs));
}

static bool emit_div(xfunc *fc, unsigned variant, LLVMValueRef a,
		     LLVMValueRef b)
{
	LLVMTypeRef ty = LLVMTypeOf(a);
	LLVMValueRef zero = LLVMConstNull(ty);
	LLVMValueRef m1 = LLVMConstAllOnes(ty);
	X_TRY(x_trap_if(fc, LLVMBuildICmp(fc->b, LLVMIntEQ, b, zero, ""),
			MEWZ_TRAP_INT_DIV_ZERO));
	unsigned width = LLVMGetIntTypeWidth(ty);
	LLVMValueRef min = LLVMConstInt(ty, 1ull << (width - 1), 0);
	switch (variant) {
	case 0: { /* div_s */
		LLVMValueRef ovf = LLVMBuildAnd(
		    fc->b, LLVMBuildICmp(fc->b, LLVMIntEQ, a, min, ""),
		    LLVMBuildICmp(fc->b, LLVMIntEQ, b, m1, ""), "");
		X_TRY(x_trap_if(fc, ovf, MEWZ_TRAP_INT_OVERFLOW));
		return x_push(fc, LLVMBuildSDiv(fc->b, a, b, "div"));
	}
	case 1:
		return x_push(fc, LLVMBuildUDiv(fc->b, a, b, "div"));
	case 2: { /* rem_s: x rem -1 is 0, computed as x rem 1 */
		LLVMValueRef is_m1 = LLVMBuildICmp(fc->b, LLVMIntEQ, b, m1, "");
		LLVMValueRef d = LLVMBuildSelect(fc->b, is_m1,
						 LLVMConstInt(ty, 1, 0), b, "");
		return x_push(fc, LLVMBuildSRem(fc->b, a, d, "rem"));
	}
	default:
		return x_push(fc, LLVMBuildURem(fc->b, a, b, "rem"));
	}
}

/* add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr */
static bool emit_int_binary(xfunc *fc, unsigned variant)
{
	xmod *xm = fc->xm;
	LLVMValueRef a, b;
	X_POP(fc, b);
	X_POP(fc, a);
	LLVMTypeRef ty = LLVMTypeOf(a);
	LLVMValueRef mask = LLVMConstInt(ty, LLVMGetIntTypeWidth(ty) - 1, 0);
	LLVMBuilderRef B = fc->b;
	switch (variant) {
	case 0:
		return x_push(fc, LLVMBuildAdd(B, a, b, "add"));
	case 1:
		return x_push(fc, LLVMBuildSub(B, a, b, "sub"));
	case 2:
		return x_push(fc, LLVMBuildMul(B, a, b, "mul"));
	case 3:
	case 4:
	case 5:
	case 6:
		return emit_div(fc, variant - 3, a, b);
	case 7:
		return x_push(fc, LLVMBuildAnd(B, a, b, "and"));
	case 8:
		return x_push(fc, LLVMBuildOr(B, a, b, "or"));
	case 9:
		return x_push(fc, LLVMBuildXor(B, a, b, "xor"));
	case 10:
		return x_push(
		    fc,
		    LLVMBuildShl(B, a, LLVMBuildAnd(B, b, mask, ""), "shl"));
	case 11:
		return x_push(
		    fc,
		    LLVMBuildAShr(B, a, LLVMBuildAnd(B, b, mask, ""), "shr"));
	case 12:
		return x_push(
		    fc,
		    LLVMBuildLShr(B, a, LLVMBuildAnd(B, b, mask, ""), "shr"));
	default: {
		/* funnel shifts take the count modulo the width */
		LLVMValueRef args[3] = {a, a, b};
		const char *nm = variant == 13 ? "llvm.fshl" : "llvm.fshr";
		return x_push(fc, x_call_intrinsic(xm, nm, &ty, 1, args, 3));
	}
	}
}

/* The integer type with the layout of float type `ty` (scalar or vector). */
static LLVMTypeRef int_like(xmod *xm, LLVMTypeRef ty)
{
	if (LLVMGetTypeKind(ty) == LLVMVectorTypeKind) {
		LLVMTypeRef el = LLVMGetElementType(ty);
		return LLVMVectorType(int_like(xm, el), LLVMGetVectorSize(ty));
	}
	return LLVMGetTypeKind(ty) == LLVMFloatTypeKind ? xm->t.i32 : xm->t.i64;
}

/*
 * Wasm min/max: NaN if either operand is NaN (a + b makes it a quiet,
 * arithmetic NaN), -0 < +0 (for equal operands, OR of the bits gives min,
 * AND gives max), otherwise the ordinary comparison.
 */
LLVMValueRef x_fminmax(xfunc *fc, LLVMValueRef a, LLVMValueRef b, bool is_max)
{
	LLVMBuilderRef B = fc->b;
	LLVMTypeRef ty = LLVMTypeOf(a);
	LLVMTypeRef ity = int_like(fc->xm, ty);
	LLVMValueRef uno = LLVMBuildFCmp(B, LLVMRealUNO, a, b, "");
	LLVMValueRef eq = LLVMBuildFCmp(B, LLVMRealOEQ, a, b, "");
	LLVMValueRef lt =
	    LLVMBuildFCmp(B, is_max ? LLVMRealOGT : LLVMRealOLT, a, b, "");
	LLVMValueRef ai = LLVMBuildBitCast(B, a, ity, "");
	LLVMValueRef bi = LLVMBuildBitCast(B, b, ity, "");
	LLVMValueRef both =
	    is_max ? LLVMBuildAnd(B, ai, bi, "") : LLVMBuildOr(B, ai, bi, "");
	LLVMValueRef r = LLVMBuildSelect(B, lt, a, b, "");
	r = LLVMBuildSelect(B, eq, LLVMBuildBitCast(B, both, ty, ""), r, "");
	return LLVMBuildSelect(B, uno, LLVMBuildFAdd(B, a, b, ""), r,
			       is_max ? "fmax" : "fmin");
}

/* A float constant of type ty (scalar, or splat over a vector). */
static LLVMValueRef fconst(LLVMTypeRef ty, double v)
{
	if (LLVMGetTypeKind(ty) != LLVMVectorTypeKind)
		return LLVMConstReal(ty, v);
	LLVMValueRef el[16];
	unsigned n = LLVMGetVectorSize(ty);
	for (unsigned i = 0; i < n && i < 16; i++)
		el[i] = LLVMConstReal(LLVMGetElementType(ty), v);
	return LLVMConstVector(el, n);
}

/*
 * Without SSE4.1 (the x86-64 baseline) LLVM turns ceil/floor/trunc/
 * roundeven into libm calls.  These sequences need only SSE2 and are exact
 * in the default rounding mode: for |x| < 2^52 (f32: 2^23),
 *   nearest: (|x| + 2^52) - 2^52 rounds to an integer, ties to even;
 *   trunc:   int -> float of the truncating conversion;
 *   floor/ceil: trunc, minus/plus one when it went the wrong way;
 * the sign is copied back so -0.5 gives -0; larger values and infinities
 * are already integers; a NaN gives x + x, a quiet NaN.
 */
static bool inline_rounding(xmod *xm)
{
	const char *cpu = xm->o->cpu;
	bool x86 = !xm->o->triple || !strncmp(xm->o->triple, "x86_64", 6);
	return x86 && (!cpu || !strcmp(cpu, "x86-64"));
}

static LLVMValueRef round_sse2(xfunc *fc, LLVMValueRef x, unsigned kind)
{
	LLVMBuilderRef B = fc->b;
	LLVMTypeRef ty = LLVMTypeOf(x);
	bool vec = LLVMGetTypeKind(ty) == LLVMVectorTypeKind;
	LLVMTypeRef el = vec ? LLVMGetElementType(ty) : ty;
	bool is32 = LLVMGetTypeKind(el) == LLVMFloatTypeKind;
	LLVMValueRef lim = fconst(ty, is32 ? 8388608.0 : 4503599627370496.0);
	LLVMValueRef ax = x_call_intrinsic(fc->xm, "llvm.fabs", &ty, 1, &x, 1);
	LLVMValueRef small = LLVMBuildFCmp(B, LLVMRealOLT, ax, lim, "");
	LLVMValueRef r;
	if (kind == 3) { /* nearest */
		r = LLVMBuildFSub(B, LLVMBuildFAdd(B, ax, lim, ""), lim, "");
	} else {
		LLVMTypeRef ity = int_like(fc->xm, ty);
		r = LLVMBuildSIToFP(B, LLVMBuildFPToSI(B, x, ity, ""), ty, "");
	}
	LLVMValueRef cs[2] = {r, x};
	r = x_call_intrinsic(fc->xm, "llvm.copysign", &ty, 1, cs, 2);
	if (kind == 0) /* ceil */
		r = LLVMBuildSelect(B, LLVMBuildFCmp(B, LLVMRealOGT, x, r, ""),
				    LLVMBuildFAdd(B, r, fconst(ty, 1.0), ""), r,
				    "");
	if (kind == 1) /* floor */
		r = LLVMBuildSelect(B, LLVMBuildFCmp(B, LLVMRealOLT, x, r, ""),
				    LLVMBuildFSub(B, r, fconst(ty, 1.0), ""), r,
				    "");
	r = LLVMBuildSelect(B, small, r, x, "");
	LLVMValueRef nan = LLVMBuildFCmp(B, LLVMRealUNO, x, x, "");
	return LLVMBuildSelect(B, nan, LLVMBuildFAdd(B, x, x, ""), r, "round");
}

/* ceil floor trunc nearest (kind 0..3), scalar or vector. */
LLVMValueRef x_round(xfunc *fc, LLVMValueRef x, unsigned kind)
{
	static const char *const names[4] = {
	    "llvm.ceil",
	    "llvm.floor",
	    "llvm.trunc",
	    "llvm.roundeven",
	};
	if (inline_rounding(fc->xm))
		return round_sse2(fc, x, kind);
	LLVMTypeRef ty = LLVMTypeOf(x);
	return x_call_intrinsic(fc->xm, names[kind], &ty, 1, &x, 1);
}

/* abs neg ceil floor trunc nearest sqrt */
static bool emit_float_unary(xfunc *fc, unsigned variant)
{
	LLVMValueRef a;
	X_POP(fc, a);
	LLVMTypeRef ty = LLVMTypeOf(a);
	switch (variant) {
	case 0:
		return x_push(
		    fc, x_call_intrinsic(fc->xm, "llvm.fabs", &ty, 1, &a, 1));
	case 1:
		return x_push(fc, LLVMBuildFNeg(fc->b, a, "neg"));
	case 6:
		return x_push(
		    fc, x_call_intrinsic(fc->xm, "llvm.sqrt", &ty, 1, &a, 1));
	default:
		return x_push(fc, x_round(fc, a, variant - 2));
	}
}

/*
 * A NaN result with its quiet bit set.  LLVM folds x - 0, x * 1, x / 1,
 * -0 - x and demote(promote x) to x (or -x), which would pass a signalling
 * NaN through where Wasm requires an arithmetic (quiet) one; integer ops on
 * the bits are not folded away.
 */
LLVMValueRef x_quiet_nan(xfunc *fc, LLVMValueRef r)
{
	LLVMBuilderRef B = fc->b;
	LLVMTypeRef ty = LLVMTypeOf(r);
	LLVMTypeRef ity = int_like(fc->xm, ty);
	bool is32 = LLVMGetTypeKind(ty) == LLVMFloatTypeKind;
	LLVMValueRef qbit =
	    LLVMConstInt(ity, is32 ? 0x400000u : 0x8000000000000ull, 0);
	LLVMValueRef q = LLVMBuildBitCast(
	    B, LLVMBuildOr(B, LLVMBuildBitCast(B, r, ity, ""), qbit, ""), ty,
	    "");
	LLVMValueRef nan = LLVMBuildFCmp(B, LLVMRealUNO, r, r, "");
	return LLVMBuildSelect(B, nan, q, r, "quiet");
}

/* Is v a float constant whose magnitude is `mag` (0 or 1)? */
static bool is_const_mag(LLVMValueRef v, double mag)
{
	if (!LLVMIsAConstantFP(v))
		return false;
	LLVMBool loses;
	double d = LLVMConstRealGetDouble(v, &loses);
	return d == mag || d == -mag;
}

static LLVMValueRef guard_identity(xfunc *fc, LLVMValueRef r, LLVMValueRef a,
				   LLVMValueRef b, double mag)
{
	if (is_const_mag(a, mag) || is_const_mag(b, mag))
		return x_quiet_nan(fc, r);
	return r;
}

/* add sub mul div min max copysign */
static bool emit_float_binary(xfunc *fc, unsigned variant)
{
	LLVMValueRef a, b;
	X_POP(fc, b);
	X_POP(fc, a);
	LLVMBuilderRef B = fc->b;
	switch (variant) {
	case 0:
		return x_push(fc,
			      guard_identity(fc, LLVMBuildFAdd(B, a, b, "fadd"),
					     a, b, 0));
	case 1:
		return x_push(fc,
			      guard_identity(fc, LLVMBuildFSub(B, a, b, "fsub"),
					     a, b, 0));
	case 2:
		return x_push(fc,
			      guard_identity(fc, LLVMBuildFMul(B, a, b, "fmul"),
					     a, b, 1));
	case 3:
		return x_push(fc,
			      guard_identity(fc, LLVMBuildFDiv(B, a, b, "fdiv"),
					     a, b, 1));
	case 4:
		return x_push(fc, x_fminmax(fc, a, b, false));
	case 5:
		return x_push(fc, x_fminmax(fc, a, b, true));
	default: {
		LLVMTypeRef ty = LLVMTypeOf(a);
		LLVMValueRef args[2] = {a, b};
		return x_push(fc, x_call_intrinsic(fc->xm, "llvm.copysign", &ty,
						   1, args, 2));
	}
	}
}

/* i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s */
static bool emit_sign_extend(xfunc *fc, unsigned variant)
{
	static const unsigned bits[5] = {8, 16, 8, 16, 32};
	LLVMValueRef a;
	X_POP(fc, a);
	LLVMTypeRef ty = LLVMTypeOf(a);
	LLVMTypeRef narrow = LLVMIntTypeInContext(fc->xm->ctx, bits[variant]);
	LLVMValueRef t = LLVMBuildTrunc(fc->b, a, narrow, "");
	return x_push(fc, LLVMBuildSExt(fc->b, t, ty, "sext"));
}

bool x_emit_numeric(xfunc *fc, const mz_instr *in)
{
	uint32_t op = in->op;
	if (op >= MZ_OP_I32_CONST && op <= MZ_OP_F64_CONST)
		return emit_const(fc, in);
	if (op == MZ_OP_I32_EQZ || op == MZ_OP_I64_EQZ)
		return emit_eqz(fc);
	if (op >= MZ_OP_I32_EQ && op <= MZ_OP_I32_GE_U)
		return emit_icmp(fc, op - MZ_OP_I32_EQ);
	if (op >= MZ_OP_I64_EQ && op <= MZ_OP_I64_GE_U)
		return emit_icmp(fc, op - MZ_OP_I64_EQ);
	if (op >= MZ_OP_F32_EQ && op <= MZ_OP_F32_GE)
		return emit_fcmp(fc, op - MZ_OP_F32_EQ);
	if (op >= MZ_OP_F64_EQ && op <= MZ_OP_F64_GE)
		return emit_fcmp(fc, op - MZ_OP_F64_EQ);
	if (op >= MZ_OP_I32_CLZ && op <= MZ_OP_I32_POPCNT)
		return emit_int_unary(fc, op - MZ_OP_I32_CLZ);
	if (op >= MZ_OP_I32_ADD && op <= MZ_OP_I32_ROTR)
		return emit_int_binary(fc, op - MZ_OP_I32_ADD);
	if (op >= MZ_OP_I64_CLZ && op <= MZ_OP_I64_POPCNT)
		return emit_int_unary(fc, op - MZ_OP_I64_CLZ);
	if (op >= MZ_OP_I64_ADD && op <= MZ_OP_I64_ROTR)
		return emit_int_binary(fc, op - MZ_OP_I64_ADD);
	if (op >= MZ_OP_F32_ABS && op <= MZ_OP_F32_SQRT)
		return emit_float_unary(fc, op - MZ_OP_F32_ABS);
	if (op >= MZ_OP_F32_ADD && op <= MZ_OP_F32_COPYSIGN)
		return emit_float_binary(fc, op - MZ_OP_F32_ADD);
	if (op >= MZ_OP_F64_ABS && op <= MZ_OP_F64_SQRT)
		return emit_float_unary(fc, op - MZ_OP_F64_ABS);
	if (op >= MZ_OP_F64_ADD && op <= MZ_OP_F64_COPYSIGN)
		return emit_float_binary(fc, op - MZ_OP_F64_ADD);
	if (op >= MZ_OP_I32_EXTEND8_S && op <= MZ_OP_I64_EXTEND32_S)
		return emit_sign_extend(fc, op - MZ_OP_I32_EXTEND8_S);
	return x_fail(fc->xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(op), fc->idx);
}
