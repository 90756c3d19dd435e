/*
 * emit_memory.c - loads, stores, memory.size/grow and the bulk memory
 * instructions (memory.init/copy/fill, data.drop).
 *
 * An address is base + zext(i32 addr) + offset computed in 64 bits, so it
 * never wraps.  With --bounds=guard the runtime's reservation catches every
 * access past the current size (abi.h "Bounds"); with --bounds=check each
 * access compares its end with __wasm_memory_size.  Bulk instructions
 * always compare, before writing anything, as the spec requires.
 * Wasm alignment hints promise nothing, so every access is `align 1`.
 */
#include "xlate.h"

#include "mewz/abi.h"

static LLVMValueRef mem_size(xfunc *fc)
{
	return LLVMBuildLoad2(fc->b, fc->xm->t.i64, x_mem_size_sym(fc->xm),
			      "memsize");
}

/* Trap unless start + len <= limit (all i64, no overflow possible). */
static bool check_range(xfunc *fc, LLVMValueRef start, LLVMValueRef len,
			LLVMValueRef limit, uint32_t code)
{
	LLVMValueRef end = LLVMBuildAdd(fc->b, start, len, "end");
	return x_trap_if(fc, LLVMBuildICmp(fc->b, LLVMIntUGT, end, limit, ""),
			 code);
}

bool x_mem_addr(xfunc *fc, LLVMValueRef addr, uint32_t offset, uint32_t size,
		LLVMValueRef *out)
{
	xmod *xm = fc->xm;
	if (!fc->mem_base)
		return x_fail(xm, fc->offset, false, "internal: no memory");
	LLVMValueRef idx = LLVMBuildZExt(fc->b, addr, xm->t.i64, "addr");
	if (offset)
		idx = LLVMBuildNUWAdd(fc->b, idx,
				      LLVMConstInt(xm->t.i64, offset, 0), "ea");
	if (xm->o->bounds_check)
		X_TRY(check_range(fc, idx, LLVMConstInt(xm->t.i64, size, 0),
				  mem_size(fc), MEWZ_TRAP_OOB_MEMORY));
	*out = LLVMBuildInBoundsGEP2(fc->b, xm->t.i8, fc->mem_base, &idx, 1,
				     "ptr");
	return true;
}

typedef struct memop {
	uint32_t op;
	uint8_t bytes; /* access size */
	uint8_t kind;  /* 0 int, 1 f32, 2 f64 */
	uint8_t is64;  /* value is i64 */
	uint8_t sext;  /* loads: sign extend */
} memop;

static const memop loads[] = {
    {MZ_OP_I32_LOAD, 4, 0, 0, 0},     {MZ_OP_I64_LOAD, 8, 0, 1, 0},
    {MZ_OP_F32_LOAD, 4, 1, 0, 0},     {MZ_OP_F64_LOAD, 8, 2, 1, 0},
    {MZ_OP_I32_LOAD8_S, 1, 0, 0, 1},  {MZ_OP_I32_LOAD8_U, 1, 0, 0, 0},
    {MZ_OP_I32_LOAD16_S, 2, 0, 0, 1}, {MZ_OP_I32_LOAD16_U, 2, 0, 0, 0},
    {MZ_OP_I64_LOAD8_S, 1, 0, 1, 1},  {MZ_OP_I64_LOAD8_U, 1, 0, 1, 0},
    {MZ_OP_I64_LOAD16_S, 2, 0, 1, 1}, {MZ_OP_I64_LOAD16_U, 2, 0, 1, 0},
    {MZ_OP_I64_LOAD32_S, 4, 0, 1, 1}, {MZ_OP_I64_LOAD32_U, 4, 0, 1, 0},
};

static const memop stores[] = {
    {MZ_OP_I32_STORE, 4, 0, 0, 0},   {MZ_OP_I64_STORE, 8, 0, 1, 0},
    {MZ_OP_F32_STORE, 4, 1, 0, 0},   {MZ_OP_F64_STORE, 8, 2, 1, 0},
    {MZ_OP_I32_STORE8, 1, 0, 0, 0},  {MZ_OP_I32_STORE16, 2, 0, 0, 0},
    {MZ_OP_I64_STORE8, 1, 0, 1, 0},  {MZ_OP_I64_STORE16, 2, 0, 1, 0},
    {MZ_OP_I64_STORE32, 4, 0, 1, 0},
};

static LLVMTypeRef mem_type(xmod *xm, const memop *d)
{
	if (d->kind == 1)
		return xm->t.f32;
	if (d->kind == 2)
		return xm->t.f64;
	return LLVMIntTypeInContext(xm->ctx, d->bytes * 8u);
}

static bool emit_load(xfunc *fc, const mz_instr *in, const memop *d)
{
	xmod *xm = fc->xm;
	LLVMValueRef addr, p;
	X_POP(fc, addr);
	X_TRY(x_mem_addr(fc, addr, in->u.memarg.offset, d->bytes, &p));
	LLVMTypeRef mt = mem_type(xm, d);
	LLVMValueRef v = LLVMBuildLoad2(fc->b, mt, p, "load");
	LLVMSetAlignment(v, 1);
	LLVMTypeRef vt = d->is64 ? xm->t.i64 : xm->t.i32;
	if (d->kind == 0 && LLVMGetIntTypeWidth(mt) < LLVMGetIntTypeWidth(vt))
		v = d->sext ? LLVMBuildSExt(fc->b, v, vt, "")
			    : LLVMBuildZExt(fc->b, v, vt, "");
	return x_push(fc, v);
}

static bool emit_store(xfunc *fc, const mz_instr *in, const memop *d)
{
	xmod *xm = fc->xm;
	LLVMValueRef addr, v, p;
	X_POP(fc, v);
	X_POP(fc, addr);
	X_TRY(x_mem_addr(fc, addr, in->u.memarg.offset, d->bytes, &p));
	LLVMTypeRef mt = mem_type(xm, d);
	if (d->kind == 0 && LLVMTypeOf(v) != mt)
		v = LLVMBuildTrunc(fc->b, v, mt, "");
	LLVMValueRef s = LLVMBuildStore(fc->b, v, p);
	LLVMSetAlignment(s, 1);
	return true;
}

static LLVMValueRef zext64(xfunc *fc, LLVMValueRef v)
{
	return LLVMBuildZExt(fc->b, v, fc->xm->t.i64, "");
}

static LLVMValueRef mem_ptr(xfunc *fc, LLVMValueRef off64)
{
	return LLVMBuildInBoundsGEP2(fc->b, fc->xm->t.i8, fc->mem_base, &off64,
				     1, "");
}

static bool emit_copy(xfunc *fc)
{
	LLVMValueRef d, s, n;
	X_POP(fc, n);
	X_POP(fc, s);
	X_POP(fc, d);
	d = zext64(fc, d);
	s = zext64(fc, s);
	n = zext64(fc, n);
	LLVMValueRef size = mem_size(fc);
	X_TRY(check_range(fc, s, n, size, MEWZ_TRAP_OOB_MEMORY));
	X_TRY(check_range(fc, d, n, size, MEWZ_TRAP_OOB_MEMORY));
	LLVMBuildMemMove(fc->b, mem_ptr(fc, d), 1, mem_ptr(fc, s), 1, n);
	return true;
}

static bool emit_fill(xfunc *fc)
{
	LLVMValueRef d, v, n;
	X_POP(fc, n);
	X_POP(fc, v);
	X_POP(fc, d);
	d = zext64(fc, d);
	n = zext64(fc, n);
	X_TRY(check_range(fc, d, n, mem_size(fc), MEWZ_TRAP_OOB_MEMORY));
	v = LLVMBuildTrunc(fc->b, v, fc->xm->t.i8, "");
	LLVMBuildMemSet(fc->b, mem_ptr(fc, d), v, n, 1);
	return true;
}

/* A segment's current length: 0 once dropped. */
static LLVMValueRef seg_len(xfunc *fc, LLVMValueRef dropped_arr, uint32_t seg,
			    uint32_t len)
{
	xmod *xm = fc->xm;
	LLVMValueRef idx[2] = {LLVMConstNull(xm->t.i64),
			       LLVMConstInt(xm->t.i64, seg, 0)};
	LLVMValueRef p =
	    LLVMBuildInBoundsGEP2(fc->b, LLVMGlobalGetValueType(dropped_arr),
				  dropped_arr, idx, 2, "");
	LLVMValueRef dr = LLVMBuildLoad2(fc->b, xm->t.i8, p, "dropped");
	LLVMValueRef is =
	    LLVMBuildICmp(fc->b, LLVMIntNE, dr, LLVMConstNull(xm->t.i8), "");
	return LLVMBuildSelect(fc->b, is, LLVMConstNull(xm->t.i64),
			       LLVMConstInt(xm->t.i64, len, 0), "seglen");
}

static bool emit_init(xfunc *fc, uint32_t seg)
{
	xmod *xm = fc->xm;
	if (seg >= xm->m->num_datas)
		return x_fail(xm, fc->offset, false, "internal: data index");
	LLVMValueRef d, s, n;
	X_POP(fc, n);
	X_POP(fc, s);
	X_POP(fc, d);
	d = zext64(fc, d);
	s = zext64(fc, s);
	n = zext64(fc, n);
	LLVMValueRef len =
	    seg_len(fc, x_data_dropped(xm), seg, xm->m->datas[seg].len);
	X_TRY(check_range(fc, s, n, len, MEWZ_TRAP_OOB_MEMORY));
	X_TRY(check_range(fc, d, n, mem_size(fc), MEWZ_TRAP_OOB_MEMORY));
	LLVMValueRef src =
	    LLVMBuildInBoundsGEP2(fc->b, xm->t.i8, x_data(xm, seg), &s, 1, "");
	LLVMBuildMemCpy(fc->b, mem_ptr(fc, d), 1, src, 1, n);
	return true;
}

static bool emit_drop(xfunc *fc, uint32_t seg)
{
	xmod *xm = fc->xm;
	LLVMValueRef arr = x_data_dropped(xm);
	LLVMValueRef idx[2] = {LLVMConstNull(xm->t.i64),
			       LLVMConstInt(xm->t.i64, seg, 0)};
	LLVMValueRef p = LLVMBuildInBoundsGEP2(
	    fc->b, LLVMGlobalGetValueType(arr), arr, idx, 2, "");
	LLVMBuildStore(fc->b, LLVMConstInt(xm->t.i8, 1, 0), p);
	return true;
}

bool x_emit_memory(xfunc *fc, const mz_instr *in)
{
	xmod *xm = fc->xm;
	LLVMValueRef v;
	for (unsigned i = 0; i < sizeof loads / sizeof loads[0]; i++)
		if (loads[i].op == in->op)
			return emit_load(fc, in, &loads[i]);
	for (unsigned i = 0; i < sizeof stores / sizeof stores[0]; i++)
		if (stores[i].op == in->op)
			return emit_store(fc, in, &stores[i]);
	switch (in->op) {
	case MZ_OP_MEMORY_SIZE:
		v = LLVMBuildLShr(fc->b, mem_size(fc),
				  LLVMConstInt(xm->t.i64, 16, 0), "");
		return x_push(fc, LLVMBuildTrunc(fc->b, v, xm->t.i32, "pages"));
	case MZ_OP_MEMORY_GROW: {
		LLVMValueRef fn = x_fn_mem_grow(xm);
		X_POP(fc, v);
		return x_push(fc,
			      LLVMBuildCall2(fc->b, LLVMGlobalGetValueType(fn),
					     fn, &v, 1, "grow"));
	}
	case MZ_OP_MEMORY_COPY:
		return emit_copy(fc);
	case MZ_OP_MEMORY_FILL:
		return emit_fill(fc);
	case MZ_OP_MEMORY_INIT:
		return emit_init(fc, in->u.two.a);
	case MZ_OP_DATA_DROP:
		return emit_drop(fc, in->u.index);
	}
	return x_fail(xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(in->op), fc->idx);
}
