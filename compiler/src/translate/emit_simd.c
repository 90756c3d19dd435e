/*
 * emit_simd.c - fixed-width SIMD: every v128 instruction, mapped to LLVM
 * vector IR.  Values travel as the canonical <2 x i64> and are bitcast to
 * the lane shape each instruction works on (LLVM folds the casts).
 *
 * Spec rules that need care, and how they are met:
 *   - swizzle: an index >= 16 selects 0 (explicit compare per lane);
 *   - shifts: the count is taken modulo the lane width;
 *   - narrow: signed saturation of the inputs (smax/smin), then truncate;
 *   - q15mulr_sat_s: (a*b + 2^14) >> 15 in 32 bits, then saturate;
 *   - min/max: NaN propagation and -0 < +0 (x_fminmax, as for scalars);
 *     pmin/pmax are the plain comparisons b < a ? b : a / a < b ? b : a;
 *   - trunc_sat: llvm.fpto[su]i.sat, which saturates and maps NaN to 0;
 *   - nearest: llvm.roundeven; abs keeps INT_MIN (is_int_min_poison false).
 */
#include <string.h>

#include "xlate.h"

#include "mewz/abi.h"

static LLVMValueRef as(xfunc *fc, LLVMValueRef v, LLVMTypeRef ty)
{
	return LLVMTypeOf(v) == ty ? v : LLVMBuildBitCast(fc->b, v, ty, "");
}

static bool push_v(xfunc *fc, LLVMValueRef v)
{
	if (!v)
		return x_fail(fc->xm, fc->offset, false,
			      "internal: simd value");
	return x_push(fc, as(fc, v, fc->xm->t.v128));
}

static bool pop_v(xfunc *fc, LLVMTypeRef ty, LLVMValueRef *v)
{
	X_POP(fc, *v);
	*v = as(fc, *v, ty);
	return true;
}

static LLVMValueRef i32c(xfunc *fc, uint64_t v)
{
	return LLVMConstInt(fc->xm->t.i32, v, 0);
}

static LLVMValueRef splat(xfunc *fc, LLVMValueRef s, LLVMTypeRef vty)
{
	unsigned n = LLVMGetVectorSize(vty);
	LLVMValueRef v = LLVMBuildInsertElement(fc->b, LLVMGetPoison(vty), s,
						i32c(fc, 0), "");
	LLVMValueRef mask = LLVMConstNull(LLVMVectorType(fc->xm->t.i32, n));
	return LLVMBuildShuffleVector(fc->b, v, LLVMGetPoison(vty), mask,
				      "splat");
}

/* A shuffle of a and b with lanes idx[0..n). */
static LLVMValueRef shuffle(xfunc *fc, LLVMValueRef a, LLVMValueRef b,
			    const unsigned *idx, unsigned n)
{
	LLVMValueRef m[32];
	for (unsigned i = 0; i < n; i++)
		m[i] = i32c(fc, idx[i]);
	return LLVMBuildShuffleVector(fc->b, a, b, LLVMConstVector(m, n), "");
}

/* Lanes [first, first + n) of v (a half, or the even/odd lanes with step 2). */
static LLVMValueRef lanes(xfunc *fc, LLVMValueRef v, unsigned first, unsigned n,
			  unsigned step)
{
	unsigned idx[16];
	for (unsigned i = 0; i < n; i++)
		idx[i] = first + i * step;
	return shuffle(fc, v, LLVMGetPoison(LLVMTypeOf(v)), idx, n);
}

static LLVMTypeRef vec_of(xfunc *fc, LLVMTypeRef el, unsigned n)
{
	(void)fc;
	return LLVMVectorType(el, n);
}

static LLVMValueRef call1(xfunc *fc, const char *name, LLVMValueRef a)
{
	LLVMTypeRef ty = LLVMTypeOf(a);
	return x_call_intrinsic(fc->xm, name, &ty, 1, &a, 1);
}

static LLVMValueRef call2(xfunc *fc, const char *name, LLVMValueRef a,
			  LLVMValueRef b)
{
	LLVMTypeRef ty = LLVMTypeOf(a);
	LLVMValueRef args[2] = {a, b};
	return x_call_intrinsic(fc->xm, name, &ty, 1, args, 2);
}

/* ---- memory --------------------------------------------------------- */

static bool load_ptr(xfunc *fc, const mz_instr *in, unsigned bytes,
		     LLVMValueRef *p)
{
	LLVMValueRef addr;
	X_POP(fc, addr);
	return x_mem_addr(fc, addr, in->u.memarg.offset, bytes, p);
}

static LLVMValueRef load_al1(xfunc *fc, LLVMTypeRef ty, LLVMValueRef p)
{
	LLVMValueRef v = LLVMBuildLoad2(fc->b, ty, p, "vload");
	LLVMSetAlignment(v, 1);
	return v;
}

static bool simd_load(xfunc *fc, const mz_instr *in)
{
	xtypes *t = &fc->xm->t;
	LLVMValueRef p, v;
	LLVMTypeRef el = NULL;
	bool sx = false;
	switch (in->op) {
	case MZ_OP_V128_LOAD:
		X_TRY(load_ptr(fc, in, 16, &p));
		return push_v(fc, load_al1(fc, t->v128, p));
	case MZ_OP_V128_LOAD8X8_S:
		sx = true; /* fall through */
	case MZ_OP_V128_LOAD8X8_U:
		el = t->i8;
		break;
	case MZ_OP_V128_LOAD16X4_S:
		sx = true; /* fall through */
	case MZ_OP_V128_LOAD16X4_U:
		el = t->i16;
		break;
	case MZ_OP_V128_LOAD32X2_S:
		sx = true; /* fall through */
	case MZ_OP_V128_LOAD32X2_U:
		el = t->i32;
		break;
	}
	if (el) { /* load 8 bytes as n narrow lanes and extend */
		unsigned w = LLVMGetIntTypeWidth(el), n = 64 / w;
		X_TRY(load_ptr(fc, in, 8, &p));
		v = load_al1(fc, vec_of(fc, el, n), p);
		LLVMTypeRef wide =
		    vec_of(fc, LLVMIntTypeInContext(fc->xm->ctx, w * 2), n);
		return push_v(fc, sx ? LLVMBuildSExt(fc->b, v, wide, "")
				     : LLVMBuildZExt(fc->b, v, wide, ""));
	}
	LLVMTypeRef st;
	unsigned n;
	switch (in->op) {
	case MZ_OP_V128_LOAD8_SPLAT:
		st = t->i8;
		n = 16;
		break;
	case MZ_OP_V128_LOAD16_SPLAT:
		st = t->i16;
		n = 8;
		break;
	case MZ_OP_V128_LOAD32_SPLAT:
		st = t->i32;
		n = 4;
		break;
	case MZ_OP_V128_LOAD64_SPLAT:
		st = t->i64;
		n = 2;
		break;
	case MZ_OP_V128_LOAD32_ZERO:
	case MZ_OP_V128_LOAD64_ZERO: {
		bool w32 = in->op == MZ_OP_V128_LOAD32_ZERO;
		st = w32 ? t->i32 : t->i64;
		X_TRY(load_ptr(fc, in, w32 ? 4 : 8, &p));
		v = load_al1(fc, st, p);
		LLVMTypeRef vt = w32 ? t->i32x4 : t->i64x2;
		return push_v(fc,
			      LLVMBuildInsertElement(fc->b, LLVMConstNull(vt),
						     v, i32c(fc, 0), ""));
	}
	default:
		return x_fail(fc->xm, in->offset, false, "internal: simd load");
	}
	X_TRY(load_ptr(fc, in, LLVMGetIntTypeWidth(st) / 8, &p));
	return push_v(fc, splat(fc, load_al1(fc, st, p), vec_of(fc, st, n)));
}

static LLVMTypeRef lane_int(xfunc *fc, uint32_t op, unsigned *n)
{
	xtypes *t = &fc->xm->t;
	switch (op) {
	case MZ_OP_V128_LOAD8_LANE:
	case MZ_OP_V128_STORE8_LANE:
		*n = 16;
		return t->i8;
	case MZ_OP_V128_LOAD16_LANE:
	case MZ_OP_V128_STORE16_LANE:
		*n = 8;
		return t->i16;
	case MZ_OP_V128_LOAD32_LANE:
	case MZ_OP_V128_STORE32_LANE:
		*n = 4;
		return t->i32;
	default:
		*n = 2;
		return t->i64;
	}
}

static bool simd_lane_mem(xfunc *fc, const mz_instr *in, bool store)
{
	unsigned n;
	LLVMTypeRef el = lane_int(fc, in->op, &n);
	LLVMTypeRef vt = vec_of(fc, el, n);
	LLVMValueRef v, p;
	X_TRY(pop_v(fc, vt, &v));
	X_TRY(load_ptr(fc, in, LLVMGetIntTypeWidth(el) / 8, &p));
	LLVMValueRef lane = i32c(fc, in->u.memarg.lane);
	if (store) {
		LLVMValueRef s = LLVMBuildStore(
		    fc->b, LLVMBuildExtractElement(fc->b, v, lane, ""), p);
		LLVMSetAlignment(s, 1);
		return true;
	}
	return push_v(fc, LLVMBuildInsertElement(fc->b, v, load_al1(fc, el, p),
						 lane, ""));
}

static bool simd_store(xfunc *fc, const mz_instr *in)
{
	LLVMValueRef v, p;
	X_TRY(pop_v(fc, fc->xm->t.v128, &v));
	X_TRY(load_ptr(fc, in, 16, &p));
	LLVMSetAlignment(LLVMBuildStore(fc->b, v, p), 1);
	return true;
}

/* ---- lanes, constants, shuffles --------------------------------------- */

static bool simd_const(xfunc *fc, const mz_instr *in)
{
	xtypes *t = &fc->xm->t;
	uint64_t lo = 0, hi = 0;
	for (int i = 7; i >= 0; i--) {
		lo = lo << 8 | in->u.v128[i];
		hi = hi << 8 | in->u.v128[8 + i];
	}
	LLVMValueRef el[2] = {LLVMConstInt(t->i64, lo, 0),
			      LLVMConstInt(t->i64, hi, 0)};
	return push_v(fc, LLVMConstVector(el, 2));
}

static bool simd_shuffle(xfunc *fc, const mz_instr *in)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, fc->xm->t.i8x16, &b));
	X_TRY(pop_v(fc, fc->xm->t.i8x16, &a));
	unsigned idx[16];
	for (unsigned i = 0; i < 16; i++)
		idx[i] = in->u.shuffle[i] & 31;
	return push_v(fc, shuffle(fc, a, b, idx, 16));
}

static bool simd_swizzle(xfunc *fc)
{
	xtypes *t = &fc->xm->t;
	LLVMValueRef a, s;
	X_TRY(pop_v(fc, t->i8x16, &s));
	X_TRY(pop_v(fc, t->i8x16, &a));
	LLVMValueRef r = LLVMConstNull(t->i8x16);
	for (unsigned i = 0; i < 16; i++) {
		LLVMValueRef idx =
		    LLVMBuildExtractElement(fc->b, s, i32c(fc, i), "");
		LLVMValueRef in = LLVMBuildICmp(fc->b, LLVMIntULT, idx,
						LLVMConstInt(t->i8, 16, 0), "");
		LLVMValueRef safe =
		    LLVMBuildAnd(fc->b, idx, LLVMConstInt(t->i8, 15, 0), "");
		LLVMValueRef v = LLVMBuildExtractElement(
		    fc->b, a, LLVMBuildZExt(fc->b, safe, t->i32, ""), "");
		v = LLVMBuildSelect(fc->b, in, v, LLVMConstNull(t->i8), "");
		r = LLVMBuildInsertElement(fc->b, r, v, i32c(fc, i), "");
	}
	return push_v(fc, r);
}

static bool simd_splat(xfunc *fc, LLVMTypeRef vt)
{
	LLVMValueRef s;
	X_POP(fc, s);
	LLVMTypeRef el = LLVMGetElementType(vt);
	if (LLVMTypeOf(s) != el)
		s = LLVMBuildTrunc(fc->b, s, el, "");
	return push_v(fc, splat(fc, s, vt));
}

static bool simd_extract(xfunc *fc, const mz_instr *in, LLVMTypeRef vt, int ext)
{
	LLVMValueRef v;
	X_TRY(pop_v(fc, vt, &v));
	LLVMValueRef r =
	    LLVMBuildExtractElement(fc->b, v, i32c(fc, in->u.lane), "lane");
	if (ext > 0)
		r = LLVMBuildSExt(fc->b, r, fc->xm->t.i32, "");
	else if (ext < 0)
		r = LLVMBuildZExt(fc->b, r, fc->xm->t.i32, "");
	return x_push(fc, r);
}

static bool simd_replace(xfunc *fc, const mz_instr *in, LLVMTypeRef vt)
{
	LLVMValueRef v, s;
	X_POP(fc, s);
	X_TRY(pop_v(fc, vt, &v));
	LLVMTypeRef el = LLVMGetElementType(vt);
	if (LLVMTypeOf(s) != el)
		s = LLVMBuildTrunc(fc->b, s, el, "");
	return push_v(
	    fc, LLVMBuildInsertElement(fc->b, v, s, i32c(fc, in->u.lane), ""));
}

/* ---- generic shapes ----------------------------------------------------- */

static bool binop(xfunc *fc, LLVMTypeRef vt, LLVMOpcode op)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	return push_v(fc, LLVMBuildBinOp(fc->b, op, a, b, ""));
}

static bool bin_intrinsic(xfunc *fc, LLVMTypeRef vt, const char *name)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	return push_v(fc, call2(fc, name, a, b));
}

static bool un_intrinsic(xfunc *fc, LLVMTypeRef vt, const char *name)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, vt, &a));
	return push_v(fc, call1(fc, name, a));
}

static bool icmp(xfunc *fc, LLVMTypeRef vt, LLVMIntPredicate p)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	return push_v(
	    fc,
	    LLVMBuildSExt(fc->b, LLVMBuildICmp(fc->b, p, a, b, ""), vt, ""));
}

static bool fcmp(xfunc *fc, LLVMTypeRef vt, LLVMRealPredicate p)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	LLVMTypeRef it =
	    LLVMGetVectorSize(vt) == 4 ? fc->xm->t.i32x4 : fc->xm->t.i64x2;
	return push_v(
	    fc,
	    LLVMBuildSExt(fc->b, LLVMBuildFCmp(fc->b, p, a, b, ""), it, ""));
}

static const LLVMIntPredicate int_preds[10] = {
    LLVMIntEQ,	LLVMIntNE,  LLVMIntSLT, LLVMIntULT, LLVMIntSGT,
    LLVMIntUGT, LLVMIntSLE, LLVMIntULE, LLVMIntSGE, LLVMIntUGE,
};
static const LLVMRealPredicate real_preds[6] = {
    LLVMRealOEQ, LLVMRealUNE, LLVMRealOLT,
    LLVMRealOGT, LLVMRealOLE, LLVMRealOGE,
};
/* i64x2 has eq ne lt_s gt_s le_s ge_s only. */
static const LLVMIntPredicate i64_preds[6] = {
    LLVMIntEQ, LLVMIntNE, LLVMIntSLT, LLVMIntSGT, LLVMIntSLE, LLVMIntSGE,
};

static bool shift(xfunc *fc, LLVMTypeRef vt, LLVMOpcode op)
{
	LLVMValueRef v, c;
	X_POP(fc, c);
	X_TRY(pop_v(fc, vt, &v));
	LLVMTypeRef el = LLVMGetElementType(vt);
	unsigned w = LLVMGetIntTypeWidth(el);
	c = LLVMBuildAnd(fc->b, c, i32c(fc, w - 1), "");
	c = w < 32 ? LLVMBuildTrunc(fc->b, c, el, "")
		   : (w > 32 ? LLVMBuildZExt(fc->b, c, el, "") : c);
	return push_v(fc, LLVMBuildBinOp(fc->b, op, v, splat(fc, c, vt), ""));
}

static bool neg(xfunc *fc, LLVMTypeRef vt)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, vt, &a));
	return push_v(fc, LLVMBuildNeg(fc->b, a, ""));
}

static bool iabs(xfunc *fc, LLVMTypeRef vt)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, vt, &a));
	LLVMValueRef args[2] = {a, LLVMConstInt(fc->xm->t.i1, 0, 0)};
	return push_v(fc,
		      x_call_intrinsic(fc->xm, "llvm.abs", &vt, 1, args, 2));
}

static bool all_true(xfunc *fc, LLVMTypeRef vt)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, vt, &a));
	LLVMValueRef nz =
	    LLVMBuildICmp(fc->b, LLVMIntNE, a, LLVMConstNull(vt), "");
	LLVMTypeRef bt = LLVMTypeOf(nz);
	LLVMValueRef r =
	    x_call_intrinsic(fc->xm, "llvm.vector.reduce.and", &bt, 1, &nz, 1);
	return x_push(fc, LLVMBuildZExt(fc->b, r, fc->xm->t.i32, "alltrue"));
}

static bool bitmask(xfunc *fc, LLVMTypeRef vt)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, vt, &a));
	unsigned n = LLVMGetVectorSize(vt);
	LLVMValueRef neg =
	    LLVMBuildICmp(fc->b, LLVMIntSLT, a, LLVMConstNull(vt), "");
	LLVMValueRef bits = LLVMBuildBitCast(
	    fc->b, neg, LLVMIntTypeInContext(fc->xm->ctx, n), "");
	return x_push(fc, LLVMBuildZExt(fc->b, bits, fc->xm->t.i32, "bitmask"));
}

/* narrow: a's lanes then b's, each saturated into half-width lanes. */
static bool narrow(xfunc *fc, LLVMTypeRef vt, bool is_signed)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	unsigned n = LLVMGetVectorSize(vt);
	unsigned w = LLVMGetIntTypeWidth(LLVMGetElementType(vt));
	unsigned idx[16];
	for (unsigned i = 0; i < 2 * n; i++)
		idx[i] = i;
	LLVMValueRef both = shuffle(fc, a, b, idx, 2 * n);
	LLVMTypeRef wt = LLVMTypeOf(both);
	LLVMTypeRef el = LLVMGetElementType(wt);
	int64_t lo = is_signed ? -(1ll << (w / 2 - 1)) : 0;
	int64_t hi =
	    is_signed ? (1ll << (w / 2 - 1)) - 1 : (1ll << (w / 2)) - 1;
	LLVMValueRef v =
	    call2(fc, "llvm.smax", both,
		  splat(fc, LLVMConstInt(el, (uint64_t)lo, 1), wt));
	v = call2(fc, "llvm.smin", v,
		  splat(fc, LLVMConstInt(el, (uint64_t)hi, 1), wt));
	LLVMTypeRef nt =
	    vec_of(fc, LLVMIntTypeInContext(fc->xm->ctx, w / 2), 2 * n);
	return push_v(fc, LLVMBuildTrunc(fc->b, v, nt, ""));
}

/* extend_low/high: half of the narrow lanes, extended. */
static bool extend(xfunc *fc, LLVMTypeRef from, bool high, bool is_signed)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, from, &a));
	unsigned n = LLVMGetVectorSize(from) / 2;
	unsigned w = LLVMGetIntTypeWidth(LLVMGetElementType(from));
	LLVMValueRef h = lanes(fc, a, high ? n : 0, n, 1);
	LLVMTypeRef wt =
	    vec_of(fc, LLVMIntTypeInContext(fc->xm->ctx, w * 2), n);
	return push_v(fc, is_signed ? LLVMBuildSExt(fc->b, h, wt, "")
				    : LLVMBuildZExt(fc->b, h, wt, ""));
}

static LLVMValueRef ext_half(xfunc *fc, LLVMValueRef a, unsigned first,
			     unsigned step, bool is_signed)
{
	LLVMTypeRef from = LLVMTypeOf(a);
	unsigned n = LLVMGetVectorSize(from) / 2;
	unsigned w = LLVMGetIntTypeWidth(LLVMGetElementType(from));
	LLVMValueRef h = lanes(fc, a, first, n, step);
	LLVMTypeRef wt =
	    vec_of(fc, LLVMIntTypeInContext(fc->xm->ctx, w * 2), n);
	return is_signed ? LLVMBuildSExt(fc->b, h, wt, "")
			 : LLVMBuildZExt(fc->b, h, wt, "");
}

static bool extmul(xfunc *fc, LLVMTypeRef from, bool high, bool is_signed)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, from, &b));
	X_TRY(pop_v(fc, from, &a));
	unsigned n = LLVMGetVectorSize(from) / 2;
	LLVMValueRef x = ext_half(fc, a, high ? n : 0, 1, is_signed);
	LLVMValueRef y = ext_half(fc, b, high ? n : 0, 1, is_signed);
	return push_v(fc, LLVMBuildMul(fc->b, x, y, "extmul"));
}

static bool extadd_pairwise(xfunc *fc, LLVMTypeRef from, bool is_signed)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, from, &a));
	LLVMValueRef ev = ext_half(fc, a, 0, 2, is_signed);
	LLVMValueRef od = ext_half(fc, a, 1, 2, is_signed);
	return push_v(fc, LLVMBuildAdd(fc->b, ev, od, "extadd"));
}

static bool dot(xfunc *fc)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, fc->xm->t.i16x8, &b));
	X_TRY(pop_v(fc, fc->xm->t.i16x8, &a));
	LLVMValueRef pe = LLVMBuildMul(fc->b, ext_half(fc, a, 0, 2, true),
				       ext_half(fc, b, 0, 2, true), "");
	LLVMValueRef po = LLVMBuildMul(fc->b, ext_half(fc, a, 1, 2, true),
				       ext_half(fc, b, 1, 2, true), "");
	return push_v(fc, LLVMBuildAdd(fc->b, pe, po, "dot"));
}

/* avgr_u: (a + b + 1) >> 1 without overflow, in double-width lanes. */
static bool avgr(xfunc *fc, LLVMTypeRef vt)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	unsigned n = LLVMGetVectorSize(vt);
	unsigned w = LLVMGetIntTypeWidth(LLVMGetElementType(vt));
	LLVMTypeRef el2 = LLVMIntTypeInContext(fc->xm->ctx, w * 2);
	LLVMTypeRef wt = vec_of(fc, el2, n);
	LLVMValueRef s = LLVMBuildAdd(fc->b, LLVMBuildZExt(fc->b, a, wt, ""),
				      LLVMBuildZExt(fc->b, b, wt, ""), "");
	s = LLVMBuildAdd(fc->b, s, splat(fc, LLVMConstInt(el2, 1, 0), wt), "");
	s = LLVMBuildLShr(fc->b, s, splat(fc, LLVMConstInt(el2, 1, 0), wt), "");
	return push_v(fc, LLVMBuildTrunc(fc->b, s, vt, "avgr"));
}

static bool q15mulr(xfunc *fc)
{
	xtypes *t = &fc->xm->t;
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, t->i16x8, &b));
	X_TRY(pop_v(fc, t->i16x8, &a));
	LLVMTypeRef wt = vec_of(fc, t->i32, 8);
	LLVMValueRef p = LLVMBuildMul(fc->b, LLVMBuildSExt(fc->b, a, wt, ""),
				      LLVMBuildSExt(fc->b, b, wt, ""), "");
	p = LLVMBuildAdd(fc->b, p, splat(fc, i32c(fc, 0x4000), wt), "");
	p = LLVMBuildAShr(fc->b, p, splat(fc, i32c(fc, 15), wt), "");
	p = call2(fc, "llvm.smin", p, splat(fc, i32c(fc, 0x7fff), wt));
	p = call2(fc, "llvm.smax", p,
		  splat(fc, LLVMConstInt(t->i32, (uint64_t)-0x8000, 1), wt));
	return push_v(fc, LLVMBuildTrunc(fc->b, p, t->i16x8, "q15mulr"));
}

/* ---- floats ----------------------------------------------------------- */

static bool fneg(xfunc *fc, LLVMTypeRef vt)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, vt, &a));
	return push_v(fc, LLVMBuildFNeg(fc->b, a, ""));
}

static bool round_op(xfunc *fc, LLVMTypeRef vt, unsigned kind)
{
	LLVMValueRef a;
	X_TRY(pop_v(fc, vt, &a));
	return push_v(fc, x_round(fc, a, kind));
}

static bool fminmax(xfunc *fc, LLVMTypeRef vt, bool is_max)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	return push_v(fc, x_fminmax(fc, a, b, is_max));
}

static bool pminmax(xfunc *fc, LLVMTypeRef vt, bool is_max)
{
	LLVMValueRef a, b;
	X_TRY(pop_v(fc, vt, &b));
	X_TRY(pop_v(fc, vt, &a));
	LLVMValueRef c = is_max ? LLVMBuildFCmp(fc->b, LLVMRealOLT, a, b, "")
				: LLVMBuildFCmp(fc->b, LLVMRealOLT, b, a, "");
	return push_v(fc, LLVMBuildSelect(fc->b, c, b, a, ""));
}

static bool trunc_sat(xfunc *fc, LLVMTypeRef from, bool is_signed, bool zero)
{
	xtypes *t = &fc->xm->t;
	LLVMValueRef a;
	X_TRY(pop_v(fc, from, &a));
	unsigned n = LLVMGetVectorSize(from);
	LLVMTypeRef tys[2] = {vec_of(fc, t->i32, n), from};
	LLVMValueRef r = x_call_intrinsic(
	    fc->xm, is_signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat", tys, 2,
	    &a, 1);
	if (zero) {
		unsigned idx[4] = {0, 1, 2, 3};
		r = shuffle(fc, r, LLVMConstNull(tys[0]), idx, 4);
	}
	return push_v(fc, r);
}

static bool convert(xfunc *fc, LLVMTypeRef to, bool is_signed, bool low)
{
	xtypes *t = &fc->xm->t;
	LLVMValueRef a;
	X_TRY(pop_v(fc, t->i32x4, &a));
	if (low)
		a = lanes(fc, a, 0, 2, 1);
	return push_v(fc, is_signed ? LLVMBuildSIToFP(fc->b, a, to, "")
				    : LLVMBuildUIToFP(fc->b, a, to, ""));
}

static bool demote(xfunc *fc)
{
	xtypes *t = &fc->xm->t;
	LLVMValueRef a;
	X_TRY(pop_v(fc, t->f64x2, &a));
	LLVMValueRef r = LLVMBuildFPTrunc(fc->b, a, vec_of(fc, t->f32, 2), "");
	unsigned idx[4] = {0, 1, 2, 3};
	return push_v(fc, shuffle(fc, r, LLVMConstNull(LLVMTypeOf(r)), idx, 4));
}

static bool promote(xfunc *fc)
{
	xtypes *t = &fc->xm->t;
	LLVMValueRef a;
	X_TRY(pop_v(fc, t->f32x4, &a));
	return push_v(
	    fc, LLVMBuildFPExt(fc->b, lanes(fc, a, 0, 2, 1), t->f64x2, ""));
}

/* ---- bitwise ------------------------------------------------------------ */

static bool bitwise(xfunc *fc, uint32_t op)
{
	LLVMTypeRef vt = fc->xm->t.v128;
	LLVMValueRef a, b, c;
	switch (op) {
	case MZ_OP_V128_NOT:
		X_TRY(pop_v(fc, vt, &a));
		return push_v(fc, LLVMBuildNot(fc->b, a, ""));
	case MZ_OP_V128_AND:
		return binop(fc, vt, LLVMAnd);
	case MZ_OP_V128_OR:
		return binop(fc, vt, LLVMOr);
	case MZ_OP_V128_XOR:
		return binop(fc, vt, LLVMXor);
	case MZ_OP_V128_ANDNOT:
		X_TRY(pop_v(fc, vt, &b));
		X_TRY(pop_v(fc, vt, &a));
		return push_v(
		    fc, LLVMBuildAnd(fc->b, a, LLVMBuildNot(fc->b, b, ""), ""));
	case MZ_OP_V128_BITSELECT:
		X_TRY(pop_v(fc, vt, &c));
		X_TRY(pop_v(fc, vt, &b));
		X_TRY(pop_v(fc, vt, &a));
		return push_v(
		    fc,
		    LLVMBuildOr(
			fc->b, LLVMBuildAnd(fc->b, a, c, ""),
			LLVMBuildAnd(fc->b, b, LLVMBuildNot(fc->b, c, ""), ""),
			"bitselect"));
	default: { /* any_true */
		X_TRY(pop_v(fc, vt, &a));
		LLVMValueRef w = LLVMBuildBitCast(
		    fc->b, a, LLVMIntTypeInContext(fc->xm->ctx, 128), "");
		LLVMValueRef nz = LLVMBuildICmp(
		    fc->b, LLVMIntNE, w, LLVMConstNull(LLVMTypeOf(w)), "");
		return x_push(
		    fc, LLVMBuildZExt(fc->b, nz, fc->xm->t.i32, "anytrue"));
	}
	}
}

/* ---- per-shape integer arithmetic ------------------------------------ */

/* Shared by i8x16/i16x8/i32x4/i64x2: ops whose meaning is the same. */
static bool int_common(xfunc *fc, uint32_t op, LLVMTypeRef vt, bool *done)
{
	*done = true;
	switch (op) {
	case MZ_OP_I8X16_ADD:
	case MZ_OP_I16X8_ADD:
	case MZ_OP_I32X4_ADD:
	case MZ_OP_I64X2_ADD:
		return binop(fc, vt, LLVMAdd);
	case MZ_OP_I8X16_SUB:
	case MZ_OP_I16X8_SUB:
	case MZ_OP_I32X4_SUB:
	case MZ_OP_I64X2_SUB:
		return binop(fc, vt, LLVMSub);
	case MZ_OP_I16X8_MUL:
	case MZ_OP_I32X4_MUL:
	case MZ_OP_I64X2_MUL:
		return binop(fc, vt, LLVMMul);
	case MZ_OP_I8X16_SHL:
	case MZ_OP_I16X8_SHL:
	case MZ_OP_I32X4_SHL:
	case MZ_OP_I64X2_SHL:
		return shift(fc, vt, LLVMShl);
	case MZ_OP_I8X16_SHR_S:
	case MZ_OP_I16X8_SHR_S:
	case MZ_OP_I32X4_SHR_S:
	case MZ_OP_I64X2_SHR_S:
		return shift(fc, vt, LLVMAShr);
	case MZ_OP_I8X16_SHR_U:
	case MZ_OP_I16X8_SHR_U:
	case MZ_OP_I32X4_SHR_U:
	case MZ_OP_I64X2_SHR_U:
		return shift(fc, vt, LLVMLShr);
	case MZ_OP_I8X16_NEG:
	case MZ_OP_I16X8_NEG:
	case MZ_OP_I32X4_NEG:
	case MZ_OP_I64X2_NEG:
		return neg(fc, vt);
	case MZ_OP_I8X16_ABS:
	case MZ_OP_I16X8_ABS:
	case MZ_OP_I32X4_ABS:
	case MZ_OP_I64X2_ABS:
		return iabs(fc, vt);
	case MZ_OP_I8X16_ALL_TRUE:
	case MZ_OP_I16X8_ALL_TRUE:
	case MZ_OP_I32X4_ALL_TRUE:
	case MZ_OP_I64X2_ALL_TRUE:
		return all_true(fc, vt);
	case MZ_OP_I8X16_BITMASK:
	case MZ_OP_I16X8_BITMASK:
	case MZ_OP_I32X4_BITMASK:
	case MZ_OP_I64X2_BITMASK:
		return bitmask(fc, vt);
	case MZ_OP_I8X16_ADD_SAT_S:
	case MZ_OP_I16X8_ADD_SAT_S:
		return bin_intrinsic(fc, vt, "llvm.sadd.sat");
	case MZ_OP_I8X16_ADD_SAT_U:
	case MZ_OP_I16X8_ADD_SAT_U:
		return bin_intrinsic(fc, vt, "llvm.uadd.sat");
	case MZ_OP_I8X16_SUB_SAT_S:
	case MZ_OP_I16X8_SUB_SAT_S:
		return bin_intrinsic(fc, vt, "llvm.ssub.sat");
	case MZ_OP_I8X16_SUB_SAT_U:
	case MZ_OP_I16X8_SUB_SAT_U:
		return bin_intrinsic(fc, vt, "llvm.usub.sat");
	case MZ_OP_I8X16_MIN_S:
	case MZ_OP_I16X8_MIN_S:
	case MZ_OP_I32X4_MIN_S:
		return bin_intrinsic(fc, vt, "llvm.smin");
	case MZ_OP_I8X16_MIN_U:
	case MZ_OP_I16X8_MIN_U:
	case MZ_OP_I32X4_MIN_U:
		return bin_intrinsic(fc, vt, "llvm.umin");
	case MZ_OP_I8X16_MAX_S:
	case MZ_OP_I16X8_MAX_S:
	case MZ_OP_I32X4_MAX_S:
		return bin_intrinsic(fc, vt, "llvm.smax");
	case MZ_OP_I8X16_MAX_U:
	case MZ_OP_I16X8_MAX_U:
	case MZ_OP_I32X4_MAX_U:
		return bin_intrinsic(fc, vt, "llvm.umax");
	case MZ_OP_I8X16_AVGR_U:
	case MZ_OP_I16X8_AVGR_U:
		return avgr(fc, vt);
	}
	*done = false;
	return true;
}

/* The lane shape an opcode works on, from its name's prefix. */
static LLVMTypeRef shape_of(xfunc *fc, uint32_t op)
{
	xtypes *t = &fc->xm->t;
	const char *n = mz_op_name(op);
	if (!strncmp(n, "i8x16", 5))
		return t->i8x16;
	if (!strncmp(n, "i16x8", 5))
		return t->i16x8;
	if (!strncmp(n, "i32x4", 5))
		return t->i32x4;
	if (!strncmp(n, "i64x2", 5))
		return t->i64x2;
	if (!strncmp(n, "f32x4", 5))
		return t->f32x4;
	if (!strncmp(n, "f64x2", 5))
		return t->f64x2;
	return t->v128;
}

static bool float_ops(xfunc *fc, uint32_t op, LLVMTypeRef vt, bool *done)
{
	*done = true;
	switch (op) {
	case MZ_OP_F32X4_ADD:
	case MZ_OP_F64X2_ADD:
		return binop(fc, vt, LLVMFAdd);
	case MZ_OP_F32X4_SUB:
	case MZ_OP_F64X2_SUB:
		return binop(fc, vt, LLVMFSub);
	case MZ_OP_F32X4_MUL:
	case MZ_OP_F64X2_MUL:
		return binop(fc, vt, LLVMFMul);
	case MZ_OP_F32X4_DIV:
	case MZ_OP_F64X2_DIV:
		return binop(fc, vt, LLVMFDiv);
	case MZ_OP_F32X4_MIN:
	case MZ_OP_F64X2_MIN:
		return fminmax(fc, vt, false);
	case MZ_OP_F32X4_MAX:
	case MZ_OP_F64X2_MAX:
		return fminmax(fc, vt, true);
	case MZ_OP_F32X4_PMIN:
	case MZ_OP_F64X2_PMIN:
		return pminmax(fc, vt, false);
	case MZ_OP_F32X4_PMAX:
	case MZ_OP_F64X2_PMAX:
		return pminmax(fc, vt, true);
	case MZ_OP_F32X4_ABS:
	case MZ_OP_F64X2_ABS:
		return un_intrinsic(fc, vt, "llvm.fabs");
	case MZ_OP_F32X4_NEG:
	case MZ_OP_F64X2_NEG:
		return fneg(fc, vt);
	case MZ_OP_F32X4_SQRT:
	case MZ_OP_F64X2_SQRT:
		return un_intrinsic(fc, vt, "llvm.sqrt");
	case MZ_OP_F32X4_CEIL:
	case MZ_OP_F64X2_CEIL:
		return round_op(fc, vt, 0);
	case MZ_OP_F32X4_FLOOR:
	case MZ_OP_F64X2_FLOOR:
		return round_op(fc, vt, 1);
	case MZ_OP_F32X4_TRUNC:
	case MZ_OP_F64X2_TRUNC:
		return round_op(fc, vt, 2);
	case MZ_OP_F32X4_NEAREST:
	case MZ_OP_F64X2_NEAREST:
		return round_op(fc, vt, 3);
	}
	*done = false;
	return true;
}

static bool compare(xfunc *fc, uint32_t op, bool *done)
{
	xtypes *t = &fc->xm->t;
	*done = true;
	if (op >= MZ_OP_I8X16_EQ && op <= MZ_OP_I8X16_GE_U)
		return icmp(fc, t->i8x16, int_preds[op - MZ_OP_I8X16_EQ]);
	if (op >= MZ_OP_I16X8_EQ && op <= MZ_OP_I16X8_GE_U)
		return icmp(fc, t->i16x8, int_preds[op - MZ_OP_I16X8_EQ]);
	if (op >= MZ_OP_I32X4_EQ && op <= MZ_OP_I32X4_GE_U)
		return icmp(fc, t->i32x4, int_preds[op - MZ_OP_I32X4_EQ]);
	if (op >= MZ_OP_I64X2_EQ && op <= MZ_OP_I64X2_GE_S)
		return icmp(fc, t->i64x2, i64_preds[op - MZ_OP_I64X2_EQ]);
	if (op >= MZ_OP_F32X4_EQ && op <= MZ_OP_F32X4_GE)
		return fcmp(fc, t->f32x4, real_preds[op - MZ_OP_F32X4_EQ]);
	if (op >= MZ_OP_F64X2_EQ && op <= MZ_OP_F64X2_GE)
		return fcmp(fc, t->f64x2, real_preds[op - MZ_OP_F64X2_EQ]);
	*done = false;
	return true;
}

static bool widening(xfunc *fc, uint32_t op, bool *done)
{
	xtypes *t = &fc->xm->t;
	*done = true;
	switch (op) {
	case MZ_OP_I8X16_NARROW_I16X8_S:
		return narrow(fc, t->i16x8, true);
	case MZ_OP_I8X16_NARROW_I16X8_U:
		return narrow(fc, t->i16x8, false);
	case MZ_OP_I16X8_NARROW_I32X4_S:
		return narrow(fc, t->i32x4, true);
	case MZ_OP_I16X8_NARROW_I32X4_U:
		return narrow(fc, t->i32x4, false);
	case MZ_OP_I16X8_EXTEND_LOW_I8X16_S:
		return extend(fc, t->i8x16, false, true);
	case MZ_OP_I16X8_EXTEND_HIGH_I8X16_S:
		return extend(fc, t->i8x16, true, true);
	case MZ_OP_I16X8_EXTEND_LOW_I8X16_U:
		return extend(fc, t->i8x16, false, false);
	case MZ_OP_I16X8_EXTEND_HIGH_I8X16_U:
		return extend(fc, t->i8x16, true, false);
	case MZ_OP_I32X4_EXTEND_LOW_I16X8_S:
		return extend(fc, t->i16x8, false, true);
	case MZ_OP_I32X4_EXTEND_HIGH_I16X8_S:
		return extend(fc, t->i16x8, true, true);
	case MZ_OP_I32X4_EXTEND_LOW_I16X8_U:
		return extend(fc, t->i16x8, false, false);
	case MZ_OP_I32X4_EXTEND_HIGH_I16X8_U:
		return extend(fc, t->i16x8, true, false);
	case MZ_OP_I64X2_EXTEND_LOW_I32X4_S:
		return extend(fc, t->i32x4, false, true);
	case MZ_OP_I64X2_EXTEND_HIGH_I32X4_S:
		return extend(fc, t->i32x4, true, true);
	case MZ_OP_I64X2_EXTEND_LOW_I32X4_U:
		return extend(fc, t->i32x4, false, false);
	case MZ_OP_I64X2_EXTEND_HIGH_I32X4_U:
		return extend(fc, t->i32x4, true, false);
	case MZ_OP_I16X8_EXTMUL_LOW_I8X16_S:
		return extmul(fc, t->i8x16, false, true);
	case MZ_OP_I16X8_EXTMUL_HIGH_I8X16_S:
		return extmul(fc, t->i8x16, true, true);
	case MZ_OP_I16X8_EXTMUL_LOW_I8X16_U:
		return extmul(fc, t->i8x16, false, false);
	case MZ_OP_I16X8_EXTMUL_HIGH_I8X16_U:
		return extmul(fc, t->i8x16, true, false);
	case MZ_OP_I32X4_EXTMUL_LOW_I16X8_S:
		return extmul(fc, t->i16x8, false, true);
	case MZ_OP_I32X4_EXTMUL_HIGH_I16X8_S:
		return extmul(fc, t->i16x8, true, true);
	case MZ_OP_I32X4_EXTMUL_LOW_I16X8_U:
		return extmul(fc, t->i16x8, false, false);
	case MZ_OP_I32X4_EXTMUL_HIGH_I16X8_U:
		return extmul(fc, t->i16x8, true, false);
	case MZ_OP_I64X2_EXTMUL_LOW_I32X4_S:
		return extmul(fc, t->i32x4, false, true);
	case MZ_OP_I64X2_EXTMUL_HIGH_I32X4_S:
		return extmul(fc, t->i32x4, true, true);
	case MZ_OP_I64X2_EXTMUL_LOW_I32X4_U:
		return extmul(fc, t->i32x4, false, false);
	case MZ_OP_I64X2_EXTMUL_HIGH_I32X4_U:
		return extmul(fc, t->i32x4, true, false);
	case MZ_OP_I16X8_EXTADD_PAIRWISE_I8X16_S:
		return extadd_pairwise(fc, t->i8x16, true);
	case MZ_OP_I16X8_EXTADD_PAIRWISE_I8X16_U:
		return extadd_pairwise(fc, t->i8x16, false);
	case MZ_OP_I32X4_EXTADD_PAIRWISE_I16X8_S:
		return extadd_pairwise(fc, t->i16x8, true);
	case MZ_OP_I32X4_EXTADD_PAIRWISE_I16X8_U:
		return extadd_pairwise(fc, t->i16x8, false);
	case MZ_OP_I32X4_DOT_I16X8_S:
		return dot(fc);
	case MZ_OP_I16X8_Q15MULR_SAT_S:
		return q15mulr(fc);
	case MZ_OP_I8X16_POPCNT:
		return un_intrinsic(fc, t->i8x16, "llvm.ctpop");
	case MZ_OP_I32X4_TRUNC_SAT_F32X4_S:
		return trunc_sat(fc, t->f32x4, true, false);
	case MZ_OP_I32X4_TRUNC_SAT_F32X4_U:
		return trunc_sat(fc, t->f32x4, false, false);
	case MZ_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO:
		return trunc_sat(fc, t->f64x2, true, true);
	case MZ_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO:
		return trunc_sat(fc, t->f64x2, false, true);
	case MZ_OP_F32X4_CONVERT_I32X4_S:
		return convert(fc, t->f32x4, true, false);
	case MZ_OP_F32X4_CONVERT_I32X4_U:
		return convert(fc, t->f32x4, false, false);
	case MZ_OP_F64X2_CONVERT_LOW_I32X4_S:
		return convert(fc, t->f64x2, true, true);
	case MZ_OP_F64X2_CONVERT_LOW_I32X4_U:
		return convert(fc, t->f64x2, false, true);
	case MZ_OP_F32X4_DEMOTE_F64X2_ZERO:
		return demote(fc);
	case MZ_OP_F64X2_PROMOTE_LOW_F32X4:
		return promote(fc);
	}
	*done = false;
	return true;
}

static bool lane_ops(xfunc *fc, const mz_instr *in, bool *done)
{
	xtypes *t = &fc->xm->t;
	*done = true;
	switch (in->op) {
	case MZ_OP_I8X16_SPLAT:
		return simd_splat(fc, t->i8x16);
	case MZ_OP_I16X8_SPLAT:
		return simd_splat(fc, t->i16x8);
	case MZ_OP_I32X4_SPLAT:
		return simd_splat(fc, t->i32x4);
	case MZ_OP_I64X2_SPLAT:
		return simd_splat(fc, t->i64x2);
	case MZ_OP_F32X4_SPLAT:
		return simd_splat(fc, t->f32x4);
	case MZ_OP_F64X2_SPLAT:
		return simd_splat(fc, t->f64x2);
	case MZ_OP_I8X16_EXTRACT_LANE_S:
		return simd_extract(fc, in, t->i8x16, 1);
	case MZ_OP_I8X16_EXTRACT_LANE_U:
		return simd_extract(fc, in, t->i8x16, -1);
	case MZ_OP_I16X8_EXTRACT_LANE_S:
		return simd_extract(fc, in, t->i16x8, 1);
	case MZ_OP_I16X8_EXTRACT_LANE_U:
		return simd_extract(fc, in, t->i16x8, -1);
	case MZ_OP_I32X4_EXTRACT_LANE:
		return simd_extract(fc, in, t->i32x4, 0);
	case MZ_OP_I64X2_EXTRACT_LANE:
		return simd_extract(fc, in, t->i64x2, 0);
	case MZ_OP_F32X4_EXTRACT_LANE:
		return simd_extract(fc, in, t->f32x4, 0);
	case MZ_OP_F64X2_EXTRACT_LANE:
		return simd_extract(fc, in, t->f64x2, 0);
	case MZ_OP_I8X16_REPLACE_LANE:
		return simd_replace(fc, in, t->i8x16);
	case MZ_OP_I16X8_REPLACE_LANE:
		return simd_replace(fc, in, t->i16x8);
	case MZ_OP_I32X4_REPLACE_LANE:
		return simd_replace(fc, in, t->i32x4);
	case MZ_OP_I64X2_REPLACE_LANE:
		return simd_replace(fc, in, t->i64x2);
	case MZ_OP_F32X4_REPLACE_LANE:
		return simd_replace(fc, in, t->f32x4);
	case MZ_OP_F64X2_REPLACE_LANE:
		return simd_replace(fc, in, t->f64x2);
	case MZ_OP_V128_CONST:
		return simd_const(fc, in);
	case MZ_OP_I8X16_SHUFFLE:
		return simd_shuffle(fc, in);
	case MZ_OP_I8X16_SWIZZLE:
		return simd_swizzle(fc);
	case MZ_OP_V128_NOT:
	case MZ_OP_V128_AND:
	case MZ_OP_V128_ANDNOT:
	case MZ_OP_V128_OR:
	case MZ_OP_V128_XOR:
	case MZ_OP_V128_BITSELECT:
	case MZ_OP_V128_ANY_TRUE:
		return bitwise(fc, in->op);
	}
	*done = false;
	return true;
}

static bool memory_ops(xfunc *fc, const mz_instr *in, bool *done)
{
	*done = true;
	switch (in->op) {
	case MZ_OP_V128_LOAD:
	case MZ_OP_V128_LOAD8X8_S:
	case MZ_OP_V128_LOAD8X8_U:
	case MZ_OP_V128_LOAD16X4_S:
	case MZ_OP_V128_LOAD16X4_U:
	case MZ_OP_V128_LOAD32X2_S:
	case MZ_OP_V128_LOAD32X2_U:
	case MZ_OP_V128_LOAD8_SPLAT:
	case MZ_OP_V128_LOAD16_SPLAT:
	case MZ_OP_V128_LOAD32_SPLAT:
	case MZ_OP_V128_LOAD64_SPLAT:
	case MZ_OP_V128_LOAD32_ZERO:
	case MZ_OP_V128_LOAD64_ZERO:
		return simd_load(fc, in);
	case MZ_OP_V128_STORE:
		return simd_store(fc, in);
	case MZ_OP_V128_LOAD8_LANE:
	case MZ_OP_V128_LOAD16_LANE:
	case MZ_OP_V128_LOAD32_LANE:
	case MZ_OP_V128_LOAD64_LANE:
		return simd_lane_mem(fc, in, false);
	case MZ_OP_V128_STORE8_LANE:
	case MZ_OP_V128_STORE16_LANE:
	case MZ_OP_V128_STORE32_LANE:
	case MZ_OP_V128_STORE64_LANE:
		return simd_lane_mem(fc, in, true);
	}
	*done = false;
	return true;
}

bool x_emit_simd(xfunc *fc, const mz_instr *in)
{
	bool done, ok;
	ok = memory_ops(fc, in, &done);
	if (done)
		return ok;
	ok = lane_ops(fc, in, &done);
	if (done)
		return ok;
	ok = compare(fc, in->op, &done);
	if (done)
		return ok;
	ok = widening(fc, in->op, &done);
	if (done)
		return ok;
	LLVMTypeRef vt = shape_of(fc, in->op);
	ok = float_ops(fc, in->op, vt, &done);
	if (done)
		return ok;
	ok = int_common(fc, in->op, vt, &done);
	if (done)
		return ok;
	return x_fail(fc->xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(in->op), fc->idx);
}
