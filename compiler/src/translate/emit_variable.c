/*
 * emit_variable.c - local.get/set/tee and global.get/set.  Locals are
 * allocas that LLVM's mem2reg turns into SSA values; globals are the
 * storage symbols of abi.h ("Globals"), imported ones included.
 */
#include "xlate.h"

static bool local_index_ok(xfunc *fc, uint32_t i)
{
	if (i < fc->nlocals)
		return true;
	return x_fail(fc->xm, fc->offset, false, "internal: local index");
}

bool x_emit_variable(xfunc *fc, const mz_instr *in)
{
	xmod *xm = fc->xm;
	uint32_t i = in->u.index;
	LLVMValueRef v, g;
	switch (in->op) {
	case MZ_OP_LOCAL_GET:
		X_TRY(local_index_ok(fc, i));
		X_PUSH(fc, LLVMBuildLoad2(fc->b, fc->local_types[i],
					  fc->locals[i], "local"));
		return true;
	case MZ_OP_LOCAL_SET:
		X_TRY(local_index_ok(fc, i));
		X_POP(fc, v);
		LLVMBuildStore(fc->b, v, fc->locals[i]);
		return true;
	case MZ_OP_LOCAL_TEE:
		X_TRY(local_index_ok(fc, i));
		X_POP(fc, v);
		LLVMBuildStore(fc->b, v, fc->locals[i]);
		X_PUSH(fc, v);
		return true;
	case MZ_OP_GLOBAL_GET:
		g = x_global(xm, i);
		if (!g)
			return x_fail(xm, fc->offset, false, "out of memory");
		v = LLVMBuildLoad2(fc->b, LLVMGlobalGetValueType(g), g,
				   "global");
		if (xm->m->globals[i].type.type == MZ_V128)
			LLVMSetAlignment(v, 16);
		X_PUSH(fc, v);
		return true;
	case MZ_OP_GLOBAL_SET:
		g = x_global(xm, i);
		if (!g)
			return x_fail(xm, fc->offset, false, "out of memory");
		X_POP(fc, v);
		v = LLVMBuildStore(fc->b, v, g);
		if (xm->m->globals[i].type.type == MZ_V128)
			LLVMSetAlignment(v, 16);
		return true;
	}
	return x_fail(xm, in->offset, true, "unsupported instruction %s",
		      mz_op_name(in->op));
}
