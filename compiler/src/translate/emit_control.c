/*
 * emit_control.c - structured control (block, loop, if/else, end), branches
 * (br, br_if, br_table, return), calls (call, call_indirect), unreachable,
 * nop, drop and select.
 *
 * Each frame has an end block whose phis receive the frame's results from
 * every branch to it; a loop also has a header block whose phis receive its
 * parameters.  An end block nobody branches to is deleted and the code after
 * it is dead.  A branch adds one phi entry per CFG edge, so a br_table with
 * repeated targets adds repeated entries, as LLVM requires.
 */
#include <stdlib.h>
#include <string.h>

#include "xlate.h"

#include "mewz/abi.h"

void x_free_ctrl(xctrl *c)
{
	free(c->end_phis);
	free(c->loop_phis);
	free(c->if_params);
	c->end_phis = c->loop_phis = c->if_params = NULL;
}

static LLVMValueRef *make_phis(xfunc *fc, LLVMBasicBlockRef bb, uint32_t n,
			       const uint8_t *types)
{
	LLVMValueRef *phis = calloc(n + 1, sizeof *phis);
	if (!phis)
		return NULL;
	LLVMBasicBlockRef cur = LLVMGetInsertBlock(fc->b);
	LLVMPositionBuilderAtEnd(fc->b, bb);
	for (uint32_t i = 0; i < n; i++)
		phis[i] = LLVMBuildPhi(fc->b, x_valtype(fc->xm, types[i]), "");
	LLVMPositionBuilderAtEnd(fc->b, cur);
	return phis;
}

static xctrl *push_ctrl(xfunc *fc, uint8_t kind, const mz_instr *in)
{
	xmod *xm = fc->xm;
	if (fc->nctrl == fc->ctrl_cap) {
		uint32_t cap = fc->ctrl_cap ? fc->ctrl_cap * 2 : 16;
		xctrl *c = realloc(fc->ctrl, cap * sizeof *c);
		if (!c) {
			x_fail(xm, fc->offset, false, "out of memory");
			return NULL;
		}
		fc->ctrl = c;
		fc->ctrl_cap = cap;
	}
	xctrl *c = &fc->ctrl[fc->nctrl++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	if (kind == XC_FUNC) {
		c->nresults = fc->ft->nresults;
		c->results = fc->ft->types + fc->ft->nparams;
	} else if (in->u.block.kind == MZ_BLOCK_VALUE) {
		c->one_result = in->u.block.valtype;
		c->nresults = 1;
		c->results = &c->one_result;
	} else if (in->u.block.kind == MZ_BLOCK_TYPE) {
		const mz_functype *bt = &xm->m->types[in->u.block.type_index];
		c->nparams = bt->nparams;
		c->params = bt->types;
		c->nresults = bt->nresults;
		c->results = bt->types + bt->nparams;
	}
	if (fc->sp < c->nparams) {
		fc->nctrl--;
		x_fail(xm, fc->offset, false, "internal: block params");
		return NULL;
	}
	c->height = fc->sp - c->nparams;
	const char *nm = kind == XC_FUNC ? "return" : "end";
	c->end_bb = LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, nm);
	c->end_phis = make_phis(fc, c->end_bb, c->nresults, c->results);
	if (!c->end_phis) {
		x_fail(xm, fc->offset, false, "out of memory");
		return NULL;
	}
	return c;
}

bool x_push_func_frame(xfunc *fc)
{
	return push_ctrl(fc, XC_FUNC, NULL) != NULL;
}

/* Add the top n values as incoming from the current block. */
static void add_incoming(xfunc *fc, LLVMValueRef *phis, uint32_t n)
{
	LLVMBasicBlockRef bb = LLVMGetInsertBlock(fc->b);
	for (uint32_t i = 0; i < n; i++) {
		LLVMValueRef v = fc->stack[fc->sp - n + i];
		LLVMAddIncoming(phis[i], &v, &bb, 1);
	}
}

/* The block a branch to label `depth` goes to, after feeding its phis. */
static LLVMBasicBlockRef branch_target(xfunc *fc, uint32_t depth)
{
	if (depth >= fc->nctrl) {
		x_fail(fc->xm, fc->offset, false, "internal: bad label");
		return NULL;
	}
	xctrl *c = &fc->ctrl[fc->nctrl - 1 - depth];
	uint32_t n = c->kind == XC_LOOP ? c->nparams : c->nresults;
	if (fc->sp < n) {
		x_fail(fc->xm, fc->offset, false, "internal: branch values");
		return NULL;
	}
	if (c->kind == XC_LOOP) {
		add_incoming(fc, c->loop_phis, n);
		return c->loop_bb;
	}
	add_incoming(fc, c->end_phis, n);
	return c->end_bb;
}

static void set_dead(xfunc *fc)
{
	fc->unreachable = true;
	fc->skip_depth = 0;
}

static bool emit_block(xfunc *fc, const mz_instr *in)
{
	return push_ctrl(fc, XC_BLOCK, in) != NULL;
}

static bool emit_loop(xfunc *fc, const mz_instr *in)
{
	xmod *xm = fc->xm;
	xctrl *c = push_ctrl(fc, XC_LOOP, in);
	if (!c)
		return false;
	c->loop_bb = LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "loop");
	c->loop_phis = make_phis(fc, c->loop_bb, c->nparams, c->params);
	if (!c->loop_phis)
		return x_fail(xm, fc->offset, false, "out of memory");
	add_incoming(fc, c->loop_phis, c->nparams);
	LLVMBuildBr(fc->b, c->loop_bb);
	LLVMPositionBuilderAtEnd(fc->b, c->loop_bb);
	fc->sp = c->height;
	for (uint32_t i = 0; i < c->nparams; i++)
		X_PUSH(fc, c->loop_phis[i]);
	return true;
}

static bool emit_if(xfunc *fc, const mz_instr *in)
{
	xmod *xm = fc->xm;
	LLVMValueRef cond;
	X_POP(fc, cond);
	cond = LLVMBuildICmp(fc->b, LLVMIntNE, cond, LLVMConstNull(xm->t.i32),
			     "if.cond");
	xctrl *c = push_ctrl(fc, XC_IF, in);
	if (!c)
		return false;
	c->if_params = calloc(c->nparams + 1, sizeof *c->if_params);
	if (!c->if_params)
		return x_fail(xm, fc->offset, false, "out of memory");
	if (c->nparams)
		memcpy(c->if_params, fc->stack + c->height,
		       c->nparams * sizeof *c->if_params);
	LLVMBasicBlockRef then_bb =
	    LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "then");
	c->else_bb = LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "else");
	LLVMBuildCondBr(fc->b, cond, then_bb, c->else_bb);
	LLVMPositionBuilderAtEnd(fc->b, then_bb);
	return true;
}

static bool emit_else(xfunc *fc)
{
	xctrl *c = &fc->ctrl[fc->nctrl - 1];
	if (c->kind != XC_IF)
		return x_fail(fc->xm, fc->offset, false, "internal: else");
	if (!fc->unreachable) {
		add_incoming(fc, c->end_phis, c->nresults);
		LLVMBuildBr(fc->b, c->end_bb);
	}
	fc->sp = c->height;
	for (uint32_t i = 0; i < c->nparams; i++)
		X_PUSH(fc, c->if_params[i]);
	c->has_else = true;
	LLVMMoveBasicBlockAfter(c->else_bb, LLVMGetLastBasicBlock(fc->fn));
	LLVMPositionBuilderAtEnd(fc->b, c->else_bb);
	fc->unreachable = false;
	return true;
}

static bool emit_return_block(xfunc *fc, xctrl *c)
{
	xmod *xm = fc->xm;
	if (c->nresults == 0) {
		LLVMBuildRetVoid(fc->b);
		return true;
	}
	if (c->nresults == 1) {
		LLVMBuildRet(fc->b, c->end_phis[0]);
		return true;
	}
	LLVMTypeRef st = x_results_type(xm, xm->m->funcs[fc->idx].type_index);
	for (uint32_t i = 0; i < c->nresults; i++) {
		LLVMValueRef p =
		    LLVMBuildStructGEP2(fc->b, st, fc->sret, i, "");
		LLVMBuildStore(fc->b, c->end_phis[i], p);
	}
	LLVMBuildRetVoid(fc->b);
	return true;
}

static bool emit_end(xfunc *fc)
{
	xctrl *c = &fc->ctrl[fc->nctrl - 1];
	if (!fc->unreachable) {
		add_incoming(fc, c->end_phis, c->nresults);
		LLVMBuildBr(fc->b, c->end_bb);
	}
	if (c->kind == XC_IF && !c->has_else) {
		/* The implicit else passes the params through as results. */
		LLVMPositionBuilderAtEnd(fc->b, c->else_bb);
		LLVMBasicBlockRef bb = c->else_bb;
		for (uint32_t i = 0; i < c->nresults; i++)
			LLVMAddIncoming(c->end_phis[i], &c->if_params[i], &bb,
					1);
		LLVMBuildBr(fc->b, c->end_bb);
	}
	fc->sp = c->height;
	xctrl done = *c;
	fc->nctrl--;
	bool ok = true;
	if (!LLVMGetFirstUse(LLVMBasicBlockAsValue(done.end_bb))) {
		LLVMDeleteBasicBlock(done.end_bb);
		set_dead(fc);
	} else {
		LLVMMoveBasicBlockAfter(done.end_bb,
					LLVMGetLastBasicBlock(fc->fn));
		LLVMPositionBuilderAtEnd(fc->b, done.end_bb);
		fc->unreachable = false;
		if (done.kind == XC_FUNC)
			ok = emit_return_block(fc, &done);
		else
			for (uint32_t i = 0; ok && i < done.nresults; i++)
				ok = x_push(fc, done.end_phis[i]);
	}
	x_free_ctrl(&done);
	return ok;
}

static bool emit_br(xfunc *fc, uint32_t depth)
{
	LLVMBasicBlockRef t = branch_target(fc, depth);
	if (!t)
		return false;
	LLVMBuildBr(fc->b, t);
	set_dead(fc);
	return true;
}

static bool emit_br_if(xfunc *fc, uint32_t depth)
{
	xmod *xm = fc->xm;
	LLVMValueRef cond;
	X_POP(fc, cond);
	cond = LLVMBuildICmp(fc->b, LLVMIntNE, cond, LLVMConstNull(xm->t.i32),
			     "br.cond");
	LLVMBasicBlockRef t = branch_target(fc, depth);
	if (!t)
		return false;
	LLVMBasicBlockRef cont =
	    LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "br.cont");
	LLVMBuildCondBr(fc->b, cond, t, cont);
	LLVMPositionBuilderAtEnd(fc->b, cont);
	return true;
}

static bool emit_br_table(xfunc *fc, const mz_instr *in)
{
	xmod *xm = fc->xm;
	LLVMValueRef idx;
	X_POP(fc, idx);
	LLVMBasicBlockRef def =
	    branch_target(fc, in->u.br_table.default_target);
	if (!def)
		return false;
	uint32_t n = in->u.br_table.count;
	LLVMValueRef sw = LLVMBuildSwitch(fc->b, idx, def, n);
	const uint8_t *cur = in->u.br_table.targets;
	for (uint32_t i = 0; i < n; i++) {
		LLVMBasicBlockRef t = branch_target(fc, mz_br_table_next(&cur));
		if (!t)
			return false;
		LLVMAddCase(sw, LLVMConstInt(xm->t.i32, i, 0), t);
	}
	set_dead(fc);
	return true;
}

/*
 * Pop the params of type `ti`, call, push the results.  More than one
 * result goes through a results struct in the caller's frame (abi.h).
 */
static bool call_typed(xfunc *fc, LLVMValueRef callee, uint32_t ti)
{
	xmod *xm = fc->xm;
	const mz_functype *ft = &xm->m->types[ti];
	LLVMTypeRef fty = x_functype(xm, ti);
	bool multi = ft->nresults > 1;
	LLVMValueRef *args = calloc(ft->nparams + 2, sizeof *args);
	if (!args || !fty) {
		free(args);
		return x_fail(xm, fc->offset, false, "out of memory");
	}
	LLVMValueRef res_ptr = NULL;
	LLVMTypeRef st = NULL;
	if (multi) {
		st = x_results_type(xm, ti);
		res_ptr = x_entry_alloca(fc, st, "results");
		args[0] = res_ptr;
	}
	if (!x_pop_n(fc, ft->nparams, args + (multi ? 1 : 0))) {
		free(args);
		return false;
	}
	LLVMValueRef call = LLVMBuildCall2(fc->b, fty, callee, args,
					   ft->nparams + (multi ? 1 : 0), "");
	free(args);
	if (!call)
		return x_fail(xm, fc->offset, false, "internal: call");
	if (ft->nresults == 1)
		return x_push(fc, call);
	for (uint32_t i = 0; multi && i < ft->nresults; i++) {
		LLVMValueRef p = LLVMBuildStructGEP2(fc->b, st, res_ptr, i, "");
		LLVMTypeRef t = x_valtype(xm, ft->types[ft->nparams + i]);
		X_PUSH(fc, LLVMBuildLoad2(fc->b, t, p, "result"));
	}
	return true;
}

static bool emit_call(xfunc *fc, uint32_t f)
{
	xmod *xm = fc->xm;
	if (f >= xm->m->num_funcs)
		return x_fail(xm, fc->offset, false, "internal: call index");
	LLVMValueRef callee = x_func(xm, f);
	if (!callee)
		return false;
	return call_typed(fc, callee, xm->m->funcs[f].type_index);
}

/*
 * call_indirect: bounds ("undefined element"), null ("uninitialized
 * element"), then the type key; hashed keys are confirmed by comparing
 * the signature strings (abi.h "Signatures").
 */
static bool emit_call_indirect(xfunc *fc, const mz_instr *in)
{
	xmod *xm = fc->xm;
	uint32_t ti = in->u.call_indirect.type_index;
	LLVMValueRef idx;
	X_POP(fc, idx);
	LLVMValueRef tab = x_table(xm, in->u.call_indirect.table);
	if (!tab)
		return false;
	LLVMValueRef elems_p =
	    LLVMBuildStructGEP2(fc->b, xm->t.table, tab, 0, "");
	LLVMValueRef size_p =
	    LLVMBuildStructGEP2(fc->b, xm->t.table, tab, 1, "");
	LLVMValueRef size = LLVMBuildLoad2(fc->b, xm->t.i32, size_p, "tsize");
	X_TRY(x_trap_if(fc, LLVMBuildICmp(fc->b, LLVMIntUGE, idx, size, ""),
			MEWZ_TRAP_UNDEFINED_ELEMENT));
	LLVMValueRef elems = LLVMBuildLoad2(fc->b, xm->t.ptr, elems_p, "elems");
	LLVMValueRef i64 = LLVMBuildZExt(fc->b, idx, xm->t.i64, "");
	LLVMValueRef slot = LLVMBuildGEP2(fc->b, xm->t.ptr, elems, &i64, 1, "");
	LLVMValueRef desc = LLVMBuildLoad2(fc->b, xm->t.ptr, slot, "desc");
	X_TRY(x_trap_if(fc, LLVMBuildIsNull(fc->b, desc, ""),
			MEWZ_TRAP_UNINITIALIZED_ELEMENT));
	char *sig = x_sig_string(xm->m, ti);
	if (!sig)
		return x_fail(xm, fc->offset, false, "out of memory");
	uint64_t want = mewz_type_key(sig);
	LLVMValueRef key_p =
	    LLVMBuildStructGEP2(fc->b, xm->t.funcdesc, desc, 1, "");
	LLVMValueRef key = LLVMBuildLoad2(fc->b, xm->t.i64, key_p, "key");
	bool ok = x_trap_if(fc,
			    LLVMBuildICmp(fc->b, LLVMIntNE, key,
					  LLVMConstInt(xm->t.i64, want, 0), ""),
			    MEWZ_TRAP_INDIRECT_TYPE_MISMATCH);
	if (ok && (want & MEWZ_TYPE_KEY_HASHED) == MEWZ_TYPE_KEY_HASHED) {
		LLVMValueRef sp =
		    LLVMBuildStructGEP2(fc->b, xm->t.funcdesc, desc, 2, "");
		LLVMValueRef s = LLVMBuildLoad2(fc->b, xm->t.ptr, sp, "sig");
		LLVMValueRef mine = LLVMBuildGlobalStringPtr(fc->b, sig, "sig");
		LLVMValueRef args[2] = {s, mine};
		LLVMValueRef sc = x_fn_strcmp(xm);
		LLVMValueRef r = LLVMBuildCall2(
		    fc->b, LLVMGlobalGetValueType(sc), sc, args, 2, "");
		ok = x_trap_if(fc,
			       LLVMBuildICmp(fc->b, LLVMIntNE, r,
					     LLVMConstNull(xm->t.i32), ""),
			       MEWZ_TRAP_INDIRECT_TYPE_MISMATCH);
	}
	free(sig);
	if (!ok)
		return false;
	LLVMValueRef code = LLVMBuildLoad2(
	    fc->b, xm->t.ptr,
	    LLVMBuildStructGEP2(fc->b, xm->t.funcdesc, desc, 0, ""), "code");
	return call_typed(fc, code, ti);
}

static bool emit_select(xfunc *fc)
{
	LLVMValueRef c, a, b;
	X_POP(fc, c);
	X_POP(fc, b);
	X_POP(fc, a);
	c = LLVMBuildICmp(fc->b, LLVMIntNE, c, LLVMConstNull(fc->xm->t.i32),
			  "");
	X_PUSH(fc, LLVMBuildSelect(fc->b, c, a, b, "select"));
	return true;
}

/*
 * With guard pages, a load is also a bounds check: LLVM would delete a
 * load whose value is dropped, and the trap with it.  Such a load (or the
 * load under a dropped extension) becomes volatile.  A load whose value
 * only becomes dead after optimisation can still be deleted; programs
 * that rely on such traps need --bounds=check.
 */
static void keep_dropped_load(xfunc *fc, LLVMValueRef v)
{
	if (fc->xm->o->bounds_check)
		return; /* the explicit compare stays anyway */
	if (LLVMIsAZExtInst(v) || LLVMIsASExtInst(v))
		v = LLVMGetOperand(v, 0);
	if (LLVMIsALoadInst(v))
		LLVMSetVolatile(v, 1);
}

bool x_emit_control(xfunc *fc, const mz_instr *in)
{
	LLVMValueRef v;
	switch (in->op) {
	case MZ_OP_UNREACHABLE:
		return x_trap_now(fc, MEWZ_TRAP_UNREACHABLE);
	case MZ_OP_NOP:
		return true;
	case MZ_OP_BLOCK:
		return emit_block(fc, in);
	case MZ_OP_LOOP:
		return emit_loop(fc, in);
	case MZ_OP_IF:
		return emit_if(fc, in);
	case MZ_OP_ELSE:
		return emit_else(fc);
	case MZ_OP_END:
		return emit_end(fc);
	case MZ_OP_BR:
		return emit_br(fc, in->u.index);
	case MZ_OP_BR_IF:
		return emit_br_if(fc, in->u.index);
	case MZ_OP_BR_TABLE:
		return emit_br_table(fc, in);
	case MZ_OP_RETURN:
		return emit_br(fc, fc->nctrl - 1);
	case MZ_OP_CALL:
		return emit_call(fc, in->u.index);
	case MZ_OP_CALL_INDIRECT:
		return emit_call_indirect(fc, in);
	case MZ_OP_DROP:
		X_POP(fc, v);
		keep_dropped_load(fc, v);
		return true;
	case MZ_OP_SELECT:
	case MZ_OP_SELECT_T:
		return emit_select(fc);
	}
	return x_fail(fc->xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(in->op), fc->idx);
}
