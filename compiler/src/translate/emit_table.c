/*
 * emit_table.c - reference instructions (ref.null, ref.is_null, ref.func)
 * and table instructions (table.get/set/size/grow/fill/copy/init,
 * elem.drop).  A table is a mewz_table_t (abi.h); its `elems` array can
 * move when the runtime grows it, so it is reloaded at every use.
 * Every bounds check happens before the first write.
 */
#include "xlate.h"

#include "mewz/abi.h"

static LLVMValueRef table_sym(xfunc *fc, uint32_t t)
{
	if (t >= fc->xm->m->num_tables) {
		x_fail(fc->xm, fc->offset, false, "internal: table index");
		return NULL;
	}
	return x_table(fc->xm, t);
}

static LLVMValueRef load_field(xfunc *fc, LLVMValueRef tab, unsigned field)
{
	xmod *xm = fc->xm;
	LLVMValueRef p =
	    LLVMBuildStructGEP2(fc->b, xm->t.table, tab, field, "");
	return LLVMBuildLoad2(fc->b, field == 0 ? xm->t.ptr : xm->t.i32, p,
			      field == 0 ? "elems" : "tsize");
}

static LLVMValueRef zext64(xfunc *fc, LLVMValueRef v)
{
	return LLVMBuildZExt(fc->b, v, fc->xm->t.i64, "");
}

/* &elems[i] (i64 index). */
static LLVMValueRef slot(xfunc *fc, LLVMValueRef elems, LLVMValueRef i64)
{
	return LLVMBuildInBoundsGEP2(fc->b, fc->xm->t.ptr, elems, &i64, 1,
				     "slot");
}

/* Trap unless start + len <= limit, in 64 bits. */
static bool check_range(xfunc *fc, LLVMValueRef start, LLVMValueRef len,
			LLVMValueRef limit)
{
	LLVMValueRef end = LLVMBuildAdd(fc->b, start, len, "");
	return x_trap_if(fc, LLVMBuildICmp(fc->b, LLVMIntUGT, end, limit, ""),
			 MEWZ_TRAP_OOB_TABLE);
}

static bool emit_get_set(xfunc *fc, const mz_instr *in, bool is_set)
{
	LLVMValueRef tab = table_sym(fc, in->u.index), i, v = NULL;
	if (!tab)
		return false;
	if (is_set)
		X_POP(fc, v);
	X_POP(fc, i);
	LLVMValueRef size = load_field(fc, tab, 1);
	X_TRY(x_trap_if(fc, LLVMBuildICmp(fc->b, LLVMIntUGE, i, size, ""),
			MEWZ_TRAP_OOB_TABLE));
	LLVMValueRef p = slot(fc, load_field(fc, tab, 0), zext64(fc, i));
	if (is_set) {
		LLVMBuildStore(fc->b, v, p);
		return true;
	}
	return x_push(fc, LLVMBuildLoad2(fc->b, fc->xm->t.ptr, p, "ref"));
}

static bool emit_grow(xfunc *fc, uint32_t t)
{
	xmod *xm = fc->xm;
	LLVMValueRef tab = table_sym(fc, t), n, init;
	if (!tab)
		return false;
	X_POP(fc, n);
	X_POP(fc, init);
	LLVMValueRef fn = x_fn_table_grow(xm);
	LLVMValueRef args[3] = {tab, n, init};
	return x_push(fc, LLVMBuildCall2(fc->b, LLVMGlobalGetValueType(fn), fn,
					 args, 3, "tgrow"));
}

/* table.fill: a store loop over [d, d + n). */
static bool emit_fill(xfunc *fc, uint32_t t)
{
	xmod *xm = fc->xm;
	LLVMValueRef tab = table_sym(fc, t), d, v, n;
	if (!tab)
		return false;
	X_POP(fc, n);
	X_POP(fc, v);
	X_POP(fc, d);
	d = zext64(fc, d);
	n = zext64(fc, n);
	X_TRY(check_range(fc, d, n, zext64(fc, load_field(fc, tab, 1))));
	LLVMValueRef elems = load_field(fc, tab, 0);
	LLVMValueRef end = LLVMBuildAdd(fc->b, d, n, "");
	LLVMBasicBlockRef pre = LLVMGetInsertBlock(fc->b);
	LLVMBasicBlockRef head =
	    LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "fill");
	LLVMBasicBlockRef body =
	    LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "fill.body");
	LLVMBasicBlockRef done =
	    LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "fill.done");
	LLVMBuildBr(fc->b, head);
	LLVMPositionBuilderAtEnd(fc->b, head);
	LLVMValueRef i = LLVMBuildPhi(fc->b, xm->t.i64, "i");
	LLVMAddIncoming(i, &d, &pre, 1);
	LLVMBuildCondBr(fc->b, LLVMBuildICmp(fc->b, LLVMIntULT, i, end, ""),
			body, done);
	LLVMPositionBuilderAtEnd(fc->b, body);
	LLVMBuildStore(fc->b, v, slot(fc, elems, i));
	LLVMValueRef next =
	    LLVMBuildNUWAdd(fc->b, i, LLVMConstInt(xm->t.i64, 1, 0), "");
	LLVMAddIncoming(i, &next, &body, 1);
	LLVMBuildBr(fc->b, head);
	LLVMPositionBuilderAtEnd(fc->b, done);
	return true;
}

static bool emit_copy(xfunc *fc, uint32_t dt, uint32_t st)
{
	xmod *xm = fc->xm;
	LLVMValueRef dtab = table_sym(fc, dt), stab = table_sym(fc, st);
	LLVMValueRef d, s, n;
	if (!dtab || !stab)
		return false;
	X_POP(fc, n);
	X_POP(fc, s);
	X_POP(fc, d);
	d = zext64(fc, d);
	s = zext64(fc, s);
	n = zext64(fc, n);
	X_TRY(check_range(fc, s, n, zext64(fc, load_field(fc, stab, 1))));
	X_TRY(check_range(fc, d, n, zext64(fc, load_field(fc, dtab, 1))));
	LLVMValueRef bytes =
	    LLVMBuildMul(fc->b, n, LLVMConstInt(xm->t.i64, 8, 0), "");
	LLVMBuildMemMove(fc->b, slot(fc, load_field(fc, dtab, 0), d), 8,
			 slot(fc, load_field(fc, stab, 0), s), 8, bytes);
	return true;
}

static LLVMValueRef dropped_slot(xfunc *fc, uint32_t e)
{
	xmod *xm = fc->xm;
	LLVMValueRef arr = x_elem_dropped(xm);
	LLVMValueRef idx[2] = {LLVMConstNull(xm->t.i64),
			       LLVMConstInt(xm->t.i64, e, 0)};
	return LLVMBuildInBoundsGEP2(fc->b, LLVMGlobalGetValueType(arr), arr,
				     idx, 2, "");
}

static bool emit_init(xfunc *fc, uint32_t e, uint32_t t)
{
	xmod *xm = fc->xm;
	if (e >= xm->m->num_elems)
		return x_fail(xm, fc->offset, false, "internal: elem index");
	LLVMValueRef tab = table_sym(fc, t), d, s, n;
	if (!tab)
		return false;
	X_POP(fc, n);
	X_POP(fc, s);
	X_POP(fc, d);
	d = zext64(fc, d);
	s = zext64(fc, s);
	n = zext64(fc, n);
	LLVMValueRef dr =
	    LLVMBuildLoad2(fc->b, xm->t.i8, dropped_slot(fc, e), "");
	LLVMValueRef len = LLVMBuildSelect(
	    fc->b,
	    LLVMBuildICmp(fc->b, LLVMIntNE, dr, LLVMConstNull(xm->t.i8), ""),
	    LLVMConstNull(xm->t.i64),
	    LLVMConstInt(xm->t.i64, xm->m->elems[e].count, 0), "seglen");
	X_TRY(check_range(fc, s, n, len));
	X_TRY(check_range(fc, d, n, zext64(fc, load_field(fc, tab, 1))));
	LLVMValueRef bytes =
	    LLVMBuildMul(fc->b, n, LLVMConstInt(xm->t.i64, 8, 0), "");
	LLVMBuildMemCpy(fc->b, slot(fc, load_field(fc, tab, 0), d), 8,
			slot(fc, x_elem(xm, e), s), 8, bytes);
	return true;
}

bool x_emit_table(xfunc *fc, const mz_instr *in)
{
	xmod *xm = fc->xm;
	LLVMValueRef v, tab;
	switch (in->op) {
	case MZ_OP_REF_NULL:
		return x_push(fc, LLVMConstNull(xm->t.ptr));
	case MZ_OP_REF_IS_NULL:
		X_POP(fc, v);
		return x_push(fc, LLVMBuildZExt(fc->b,
						LLVMBuildIsNull(fc->b, v, ""),
						xm->t.i32, "isnull"));
	case MZ_OP_REF_FUNC:
		if (in->u.index >= xm->m->num_funcs)
			return x_fail(xm, in->offset, false,
				      "internal: func index");
		return x_push(fc, x_funcref(xm, in->u.index));
	case MZ_OP_TABLE_GET:
		return emit_get_set(fc, in, false);
	case MZ_OP_TABLE_SET:
		return emit_get_set(fc, in, true);
	case MZ_OP_TABLE_SIZE:
		tab = table_sym(fc, in->u.index);
		if (!tab)
			return false;
		return x_push(fc, load_field(fc, tab, 1));
	case MZ_OP_TABLE_GROW:
		return emit_grow(fc, in->u.index);
	case MZ_OP_TABLE_FILL:
		return emit_fill(fc, in->u.index);
	case MZ_OP_TABLE_COPY:
		return emit_copy(fc, in->u.two.a, in->u.two.b);
	case MZ_OP_TABLE_INIT:
		return emit_init(fc, in->u.two.a, in->u.two.b);
	case MZ_OP_ELEM_DROP:
		LLVMBuildStore(fc->b, LLVMConstInt(xm->t.i8, 1, 0),
			       dropped_slot(fc, in->u.index));
		return true;
	}
	return x_fail(xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(in->op), fc->idx);
}
