/*
 * function.c - translation of one function body: prologue (locals, the
 * memory base), the value stack, trap blocks, and the opcode dispatch to
 * the emitter of each instruction class.
 *
 * Dead code (after br, br_table, return, unreachable) is read but not
 * translated: only the nesting of blocks is tracked until the `else` or
 * `end` that makes code reachable again.  The module is validated, so the
 * stack checks here only defend against our own mistakes.
 */
#include <stdlib.h>
#include <string.h>

#include "xlate.h"

#include "mewz/abi.h"

#define X_MAX_LOCALS (1u << 18)

bool x_push(xfunc *fc, LLVMValueRef v)
{
	if (!v)
		return x_fail(fc->xm, fc->offset, false,
			      "internal: LLVM returned no value");
	if (fc->sp == fc->stack_cap) {
		uint32_t cap = fc->stack_cap ? fc->stack_cap * 2 : 64;
		LLVMValueRef *s = realloc(fc->stack, cap * sizeof *s);
		if (!s)
			return x_fail(fc->xm, fc->offset, false,
				      "out of memory");
		fc->stack = s;
		fc->stack_cap = cap;
	}
	fc->stack[fc->sp++] = v;
	return true;
}

bool x_pop(xfunc *fc, LLVMValueRef *v)
{
	uint32_t floor = fc->nctrl ? fc->ctrl[fc->nctrl - 1].height : 0;
	if (fc->sp == 0 || fc->sp <= floor)
		return x_fail(fc->xm, fc->offset, false,
			      "internal: value stack underflow");
	*v = fc->stack[--fc->sp];
	return true;
}

/* Pop n values into out[0..n) in stack order (out[n-1] was on top). */
bool x_pop_n(xfunc *fc, uint32_t n, LLVMValueRef *out)
{
	if (fc->sp < n)
		return x_fail(fc->xm, fc->offset, false,
			      "internal: value stack underflow");
	if (n == 0)
		return true;
	fc->sp -= n;
	memcpy(out, fc->stack + fc->sp, n * sizeof *out);
	return true;
}

LLVMValueRef x_entry_alloca(xfunc *fc, LLVMTypeRef t, const char *name)
{
	LLVMBuilderRef eb = LLVMCreateBuilderInContext(fc->xm->ctx);
	LLVMValueRef first = LLVMGetFirstInstruction(fc->entry_bb);
	if (first)
		LLVMPositionBuilderBefore(eb, first);
	else
		LLVMPositionBuilderAtEnd(eb, fc->entry_bb);
	LLVMValueRef a = LLVMBuildAlloca(eb, t, name);
	LLVMDisposeBuilder(eb);
	return a;
}

/* One shared trap block per trap code and function. */
static LLVMBasicBlockRef trap_block(xfunc *fc, uint32_t code)
{
	if (code < 16 && fc->trap_bbs[code])
		return fc->trap_bbs[code];
	xmod *xm = fc->xm;
	LLVMBasicBlockRef cur = LLVMGetInsertBlock(fc->b);
	LLVMBasicBlockRef bb =
	    LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "trap");
	LLVMPositionBuilderAtEnd(fc->b, bb);
	LLVMValueRef arg = LLVMConstInt(xm->t.i32, code, 0);
	LLVMValueRef fn = x_fn_trap(xm);
	LLVMTypeRef fty = LLVMGlobalGetValueType(fn);
	LLVMValueRef call = LLVMBuildCall2(fc->b, fty, fn, &arg, 1, "");
	unsigned k = LLVMGetEnumAttributeKindForName("cold", 4);
	LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex,
				 LLVMCreateEnumAttribute(xm->ctx, k, 0));
	LLVMBuildUnreachable(fc->b);
	if (cur)
		LLVMPositionBuilderAtEnd(fc->b, cur);
	if (code < 16)
		fc->trap_bbs[code] = bb;
	return bb;
}

bool x_trap_if(xfunc *fc, LLVMValueRef cond, uint32_t code)
{
	LLVMBasicBlockRef trap = trap_block(fc, code);
	LLVMBasicBlockRef cont =
	    LLVMAppendBasicBlockInContext(fc->xm->ctx, fc->fn, "ok");
	if (!LLVMBuildCondBr(fc->b, cond, trap, cont))
		return x_fail(fc->xm, fc->offset, false, "internal: condbr");
	LLVMPositionBuilderAtEnd(fc->b, cont);
	return true;
}

bool x_trap_now(xfunc *fc, uint32_t code)
{
	LLVMBuildBr(fc->b, trap_block(fc, code));
	fc->unreachable = true;
	fc->skip_depth = 0;
	return true;
}

static bool prologue(xfunc *fc)
{
	xmod *xm = fc->xm;
	const mz_module *m = xm->m;
	const mz_func *f = &m->funcs[fc->idx];
	const mz_functype *ft = fc->ft;
	uint32_t first_param = ft->nresults > 1 ? 1 : 0;

	fc->entry_bb = LLVMAppendBasicBlockInContext(xm->ctx, fc->fn, "entry");
	LLVMPositionBuilderAtEnd(fc->b, fc->entry_bb);
	if (first_param)
		fc->sret = LLVMGetParam(fc->fn, 0);

	uint64_t n = (uint64_t)ft->nparams + f->num_locals;
	/* A few bytes of input can declare billions of locals; one alloca
	 * each is only reasonable up to a limit. */
	if (n > X_MAX_LOCALS)
		return x_fail(
		    xm, f->code_offset, true,
		    "unsupported: %llu locals in function %u (limit %u)",
		    (unsigned long long)n, fc->idx, X_MAX_LOCALS);
	fc->nlocals = (uint32_t)n;
	fc->locals = calloc(n + 1, sizeof *fc->locals);
	fc->local_types = calloc(n + 1, sizeof *fc->local_types);
	if (!fc->locals || !fc->local_types)
		return x_fail(xm, f->code_offset, false, "out of memory");
	uint32_t li = 0;
	for (uint32_t i = 0; i < ft->nparams; i++, li++) {
		LLVMTypeRef t = x_valtype(xm, ft->types[i]);
		fc->local_types[li] = t;
		fc->locals[li] = LLVMBuildAlloca(fc->b, t, "param");
	}
	for (uint32_t r = 0; r < f->num_local_runs; r++) {
		const mz_local_run *run = &f->local_runs[r];
		LLVMTypeRef t = x_valtype(xm, run->type);
		for (uint32_t k = 0; k < run->count; k++, li++) {
			fc->local_types[li] = t;
			fc->locals[li] = LLVMBuildAlloca(fc->b, t, "local");
		}
	}
	for (uint32_t i = 0; i < ft->nparams; i++)
		LLVMBuildStore(fc->b, LLVMGetParam(fc->fn, first_param + i),
			       fc->locals[i]);
	for (uint32_t i = ft->nparams; i < li; i++)
		LLVMBuildStore(fc->b, LLVMConstNull(fc->local_types[i]),
			       fc->locals[i]);

	if (m->num_memories == 0)
		return true;
	/* The base never moves once set (abi.h): one invariant load per
	 * function lets LLVM keep it in a register across calls. */
	LLVMValueRef base =
	    LLVMBuildLoad2(fc->b, xm->t.ptr, x_mem_base_sym(xm), "membase");
	LLVMValueRef empty = LLVMMetadataAsValue(
	    xm->ctx, LLVMMDNodeInContext2(xm->ctx, NULL, 0));
	LLVMSetMetadata(base, xm->md_invariant, empty);
	LLVMSetMetadata(base, xm->md_nonnull, empty);
	fc->mem_base = base;
	return true;
}

/* Which emitter handles an opcode. */
static bool dispatch(xfunc *fc, const mz_instr *in)
{
	uint32_t prefix = in->op >> 16, code = in->op & 0xffff;
	if (prefix == 0xfd)
		return x_emit_simd(fc, in);
	if (prefix == 0xfc) {
		if (code <= 7)
			return x_emit_conversion(fc, in);
		if (code <= 11)
			return x_emit_memory(fc, in);
		return x_emit_table(fc, in);
	}
	if (code <= 0x11 || (code >= 0x1a && code <= 0x1c))
		return x_emit_control(fc, in);
	if (code >= 0x20 && code <= 0x24)
		return x_emit_variable(fc, in);
	if (code == 0x25 || code == 0x26 || (code >= 0xd0 && code <= 0xd2))
		return x_emit_table(fc, in);
	if (code >= 0x28 && code <= 0x40)
		return x_emit_memory(fc, in);
	if (code >= 0xa7 && code <= 0xbf)
		return x_emit_conversion(fc, in);
	if (code >= 0x41 && code <= 0xc4)
		return x_emit_numeric(fc, in);
	return x_fail(fc->xm, in->offset, true,
		      "unsupported instruction %s in function %u",
		      mz_op_name(in->op), fc->idx);
}

/* In dead code only block structure matters. */
static bool skip_dead(xfunc *fc, const mz_instr *in)
{
	switch (in->op) {
	case MZ_OP_BLOCK:
	case MZ_OP_LOOP:
	case MZ_OP_IF:
		fc->skip_depth++;
		return true;
	case MZ_OP_ELSE:
		if (fc->skip_depth)
			return true;
		return x_emit_control(fc, in);
	case MZ_OP_END:
		if (fc->skip_depth) {
			fc->skip_depth--;
			return true;
		}
		return x_emit_control(fc, in);
	default:
		return true;
	}
}

static bool body(xfunc *fc)
{
	xmod *xm = fc->xm;
	const mz_func *f = &xm->m->funcs[fc->idx];
	mz_reader r;
	mz_reader_init(&r, xm->m, f);
	X_TRY(x_push_func_frame(fc));
	while (fc->nctrl > 0) {
		mz_instr in;
		if (r.p >= r.end)
			return x_fail(xm, f->code_offset + f->code_len, false,
				      "unexpected end of function body");
		if (!mz_read_instr(&r, &in, &xm->err))
			return false;
		fc->offset = in.offset;
		if (fc->unreachable) {
			X_TRY(skip_dead(fc, &in));
			continue;
		}
		X_TRY(dispatch(fc, &in));
	}
	return true;
}

bool x_translate_function(xmod *xm, uint32_t f)
{
	xfunc fc;
	memset(&fc, 0, sizeof fc);
	fc.xm = xm;
	fc.idx = f;
	fc.ft = mz_func_type(xm->m, f);
	fc.b = xm->b;
	fc.fn = x_func(xm, f);
	if (!fc.fn)
		return false;
	/* Deep recursion must hit the runtime's guard region (abi.h
	 * "Stack"), and must not turn into a loop: no tail calls. */
	x_add_fn_str_attr(xm, fc.fn, "probe-stack", "inline-asm");
	x_add_fn_str_attr(xm, fc.fn, "disable-tail-calls", "true");
	bool ok = prologue(&fc) && body(&fc);
	for (uint32_t i = 0; i < fc.nctrl; i++)
		x_free_ctrl(&fc.ctrl[i]);
	free(fc.ctrl);
	free(fc.stack);
	free(fc.locals);
	free(fc.local_types);
	return ok;
}
