/*
 * init.c - everything of the object that is not a function body:
 *   shard 0: memory constants, globals, tables, function descriptors, data
 *   and element segments, the import list section, and __wasm_init, which
 *   instantiates in the spec's order (globals, tables, element segments,
 *   data segments, start function);
 *   every shard: the export symbols and invoke wrappers of the functions it
 *   defines (shard 0 also those of re-exported imports).
 */
#include <stdlib.h>
#include <string.h>

#include "xlate.h"

#include "mewz/abi.h"

/* A private NUL-terminated string constant. */
static LLVMValueRef cstring(xmod *xm, const char *s, size_t len,
			    const char *name)
{
	LLVMTypeRef ty = LLVMArrayType2(xm->t.i8, len + 1);
	LLVMValueRef g = LLVMAddGlobal(xm->mod, ty, name);
	LLVMSetInitializer(g, LLVMConstStringInContext2(xm->ctx, s, len, 0));
	LLVMSetLinkage(g, LLVMPrivateLinkage);
	LLVMSetGlobalConstant(g, 1);
	LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
	return g;
}

static LLVMValueRef u32_const(xmod *xm, const char *name, uint32_t v)
{
	LLVMValueRef g = LLVMAddGlobal(xm->mod, xm->t.i32, name);
	LLVMSetInitializer(g, LLVMConstInt(xm->t.i32, v, 0));
	LLVMSetGlobalConstant(g, 1);
	return g;
}

static void memory_constants(xmod *xm)
{
	const mz_module *m = xm->m;
	uint32_t init = 0, max = 0, flags = 0;
	if (m->num_memories > 0) {
		const mz_memory *mem = &m->memories[0];
		init = (uint32_t)mem->limits.min;
		max = mem->limits.has_max ? (uint32_t)mem->limits.max
					  : MEWZ_MAX_PAGES;
		flags = MEWZ_MEMORY_PRESENT |
			(mem->imported ? MEWZ_MEMORY_IMPORTED : 0);
	}
	u32_const(xm, "__wasm_memory_initial_pages", init);
	u32_const(xm, "__wasm_memory_max_pages", max);
	u32_const(xm, "__wasm_memory_flags", flags);
}

static LLVMValueRef v128_const(xmod *xm, const uint8_t *b)
{
	uint64_t lo = 0, hi = 0;
	for (int i = 7; i >= 0; i--) {
		lo = lo << 8 | b[i];
		hi = hi << 8 | b[8 + i];
	}
	LLVMValueRef el[2] = {LLVMConstInt(xm->t.i64, lo, 0),
			      LLVMConstInt(xm->t.i64, hi, 0)};
	return LLVMConstVector(el, 2);
}

/* The value of a constant expression, or NULL for global.get (run time). */
static LLVMValueRef const_value(xmod *xm, const mz_const_expr *e)
{
	xtypes *t = &xm->t;
	switch (e->kind) {
	case MZ_CONST_I32:
		return LLVMConstInt(t->i32, e->u.i32, 0);
	case MZ_CONST_I64:
		return LLVMConstInt(t->i64, e->u.i64, 0);
	case MZ_CONST_F32:
		return LLVMConstBitCast(LLVMConstInt(t->i32, e->u.f32_bits, 0),
					t->f32);
	case MZ_CONST_F64:
		return LLVMConstBitCast(LLVMConstInt(t->i64, e->u.f64_bits, 0),
					t->f64);
	case MZ_CONST_V128:
		return v128_const(xm, e->u.v128);
	case MZ_CONST_REF_NULL:
		return LLVMConstNull(t->ptr);
	case MZ_CONST_REF_FUNC:
		return x_funcref(xm, e->u.index);
	}
	return NULL;
}

/* The value of a constant expression inside __wasm_init. */
static LLVMValueRef runtime_value(xmod *xm, const mz_const_expr *e)
{
	LLVMValueRef v = const_value(xm, e);
	if (v)
		return v;
	LLVMValueRef g = x_global(xm, e->u.index);
	return LLVMBuildLoad2(xm->b, LLVMGlobalGetValueType(g), g, "gget");
}

static void define_globals(xmod *xm)
{
	const mz_module *m = xm->m;
	for (uint32_t g = m->num_global_imports; g < m->num_globals; g++) {
		LLVMValueRef v = const_value(xm, &m->globals[g].init);
		if (v)
			LLVMSetInitializer(x_global(xm, g), v);
		else
			x_global(xm, g);
	}
}

/* Defined tables start empty; __wasm_init grows them to their minimum. */
static void define_tables(xmod *xm)
{
	const mz_module *m = xm->m;
	for (uint32_t t = m->num_table_imports; t < m->num_tables; t++) {
		const mz_limits *l = &m->tables[t].type.limits;
		uint32_t max = l->has_max ? (uint32_t)l->max : 0xffffffffu;
		LLVMValueRef f[3] = {LLVMConstNull(xm->t.ptr),
				     LLVMConstNull(xm->t.i32),
				     LLVMConstInt(xm->t.i32, max, 0)};
		LLVMSetInitializer(x_table(xm, t),
				   LLVMConstNamedStruct(xm->t.table, f, 3));
	}
}

static bool define_funcrefs(xmod *xm)
{
	const mz_module *m = xm->m;
	for (uint32_t f = 0; f < m->num_funcs; f++) {
		if (m->func_declared && !m->func_declared[f])
			continue;
		char *sig = x_sig_string(m, m->funcs[f].type_index);
		if (!sig)
			return x_fail(xm, 0, false, "out of memory");
		LLVMValueRef fl[3] = {
		    x_func(xm, f),
		    LLVMConstInt(xm->t.i64, mewz_type_key(sig), 0),
		    cstring(xm, sig, strlen(sig), "sig"),
		};
		free(sig);
		LLVMSetInitializer(x_funcref(xm, f),
				   LLVMConstNamedStruct(xm->t.funcdesc, fl, 3));
	}
	return true;
}

static bool define_segments(xmod *xm)
{
	const mz_module *m = xm->m;
	for (uint32_t d = 0; d < m->num_datas; d++)
		x_data(xm, d);
	x_data_dropped(xm);
	x_elem_dropped(xm);
	for (uint32_t e = 0; e < m->num_elems; e++) {
		const mz_elem *el = &m->elems[e];
		LLVMValueRef *items = calloc(el->count + 1, sizeof *items);
		if (!items)
			return x_fail(xm, 0, false, "out of memory");
		for (uint32_t i = 0; i < el->count; i++) {
			items[i] = const_value(xm, &el->items[i]);
			if (!items[i]) /* global.get: filled by __wasm_init */
				items[i] = LLVMConstNull(xm->t.ptr);
		}
		LLVMSetInitializer(
		    x_elem(xm, e),
		    LLVMConstArray2(xm->t.ptr, items, el->count));
		free(items);
	}
	return true;
}

/* Section MEWZ_IMPORTS_SECTION: "symbol\0signature\0" per function import. */
static bool import_list(xmod *xm)
{
	const mz_module *m = xm->m;
	size_t cap = 256, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return x_fail(xm, 0, false, "out of memory");
	for (uint32_t f = 0; f < m->num_func_imports; f++) {
		char *sym = x_func_symbol(m, f);
		char *sig = x_sig_string(m, m->funcs[f].type_index);
		size_t need =
		    (sym ? strlen(sym) : 0) + (sig ? strlen(sig) : 0) + 2;
		if (len + need > cap) {
			cap = (len + need) * 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(sym);
				free(sig);
				free(buf);
				return x_fail(xm, 0, false, "out of memory");
			}
			buf = nb;
		}
		if (sym && sig) {
			memcpy(buf + len, sym, strlen(sym) + 1);
			len += strlen(sym) + 1;
			memcpy(buf + len, sig, strlen(sig) + 1);
			len += strlen(sig) + 1;
		}
		free(sym);
		free(sig);
	}
	if (len == 0) {
		free(buf);
		return true;
	}
	LLVMTypeRef ty = LLVMArrayType2(xm->t.i8, len);
	LLVMValueRef g = LLVMAddGlobal(xm->mod, ty, "__wasm_imports");
	LLVMSetInitializer(g, LLVMConstStringInContext2(xm->ctx, buf, len, 1));
	free(buf);
	LLVMSetLinkage(g, LLVMInternalLinkage);
	LLVMSetGlobalConstant(g, 1);
	LLVMSetSection(g, MEWZ_IMPORTS_SECTION);
	LLVMSetAlignment(g, 1);
	/* Nothing references it: llvm.used keeps it through optimisation. */
	LLVMTypeRef uty = LLVMArrayType2(xm->t.ptr, 1);
	LLVMValueRef used = LLVMAddGlobal(xm->mod, uty, "llvm.used");
	LLVMSetLinkage(used, LLVMAppendingLinkage);
	LLVMSetSection(used, "llvm.metadata");
	LLVMSetInitializer(used, LLVMConstArray2(xm->t.ptr, &g, 1));
	return true;
}

static LLVMValueRef byte_slot(xmod *xm, LLVMValueRef arr, uint32_t i)
{
	LLVMValueRef idx[2] = {LLVMConstNull(xm->t.i64),
			       LLVMConstInt(xm->t.i64, i, 0)};
	return LLVMBuildInBoundsGEP2(xm->b, LLVMGlobalGetValueType(arr), arr,
				     idx, 2, "");
}

static void set_dropped(xmod *xm, LLVMValueRef arr, uint32_t i)
{
	LLVMBuildStore(xm->b, LLVMConstInt(xm->t.i8, 1, 0),
		       byte_slot(xm, arr, i));
}

static bool init_tables(xfunc *fc)
{
	xmod *xm = fc->xm;
	const mz_module *m = xm->m;
	for (uint32_t t = m->num_table_imports; t < m->num_tables; t++) {
		uint64_t min = m->tables[t].type.limits.min;
		if (min == 0)
			continue;
		LLVMValueRef fn = x_fn_table_grow(xm);
		LLVMValueRef args[3] = {x_table(xm, t),
					LLVMConstInt(xm->t.i32, min, 0),
					LLVMConstNull(xm->t.ptr)};
		LLVMValueRef r = LLVMBuildCall2(
		    xm->b, LLVMGlobalGetValueType(fn), fn, args, 3, "");
		LLVMValueRef bad = LLVMBuildICmp(
		    xm->b, LLVMIntEQ, r, LLVMConstAllOnes(xm->t.i32), "");
		X_TRY(x_trap_if(fc, bad, MEWZ_TRAP_OOB_TABLE));
	}
	return true;
}

static bool init_elems(xfunc *fc)
{
	xmod *xm = fc->xm;
	const mz_module *m = xm->m;
	LLVMBuilderRef B = xm->b;
	for (uint32_t e = 0; e < m->num_elems; e++) {
		const mz_elem *el = &m->elems[e];
		LLVMValueRef arr = x_elem(xm, e);
		for (uint32_t i = 0; i < el->count; i++) {
			if (el->items[i].kind != MZ_CONST_GLOBAL_GET)
				continue;
			LLVMValueRef idx[2] = {LLVMConstNull(xm->t.i64),
					       LLVMConstInt(xm->t.i64, i, 0)};
			LLVMValueRef p = LLVMBuildInBoundsGEP2(
			    B, LLVMGlobalGetValueType(arr), arr, idx, 2, "");
			LLVMBuildStore(B, runtime_value(xm, &el->items[i]), p);
		}
	}
	for (uint32_t e = 0; e < m->num_elems; e++) {
		const mz_elem *el = &m->elems[e];
		if (el->mode == MZ_SEG_PASSIVE)
			continue;
		if (el->mode == MZ_SEG_ACTIVE) {
			LLVMValueRef arr = x_elem(xm, e);
			LLVMValueRef tab = x_table(xm, el->table);
			LLVMValueRef off = LLVMBuildZExt(
			    B, runtime_value(xm, &el->offset), xm->t.i64, "");
			LLVMValueRef size = LLVMBuildLoad2(
			    B, xm->t.i32,
			    LLVMBuildStructGEP2(B, xm->t.table, tab, 1, ""),
			    "");
			LLVMValueRef end = LLVMBuildAdd(
			    B, off, LLVMConstInt(xm->t.i64, el->count, 0), "");
			X_TRY(x_trap_if(
			    fc,
			    LLVMBuildICmp(B, LLVMIntUGT, end,
					  LLVMBuildZExt(B, size, xm->t.i64, ""),
					  ""),
			    MEWZ_TRAP_OOB_TABLE));
			LLVMValueRef elems = LLVMBuildLoad2(
			    B, xm->t.ptr,
			    LLVMBuildStructGEP2(B, xm->t.table, tab, 0, ""),
			    "");
			LLVMValueRef dst = LLVMBuildInBoundsGEP2(
			    B, xm->t.ptr, elems, &off, 1, "");
			if (el->count)
				LLVMBuildMemCpy(
				    B, dst, 8, arr, 8,
				    LLVMConstInt(xm->t.i64,
						 (uint64_t)el->count * 8, 0));
		}
		set_dropped(xm, x_elem_dropped(xm), e);
	}
	return true;
}

static bool init_datas(xfunc *fc)
{
	xmod *xm = fc->xm;
	const mz_module *m = xm->m;
	LLVMBuilderRef B = xm->b;
	for (uint32_t d = 0; d < m->num_datas; d++) {
		const mz_data *ds = &m->datas[d];
		if (ds->mode != MZ_SEG_ACTIVE)
			continue;
		LLVMValueRef off = LLVMBuildZExt(
		    B, runtime_value(xm, &ds->offset), xm->t.i64, "");
		LLVMValueRef size =
		    LLVMBuildLoad2(B, xm->t.i64, x_mem_size_sym(xm), "");
		LLVMValueRef end = LLVMBuildAdd(
		    B, off, LLVMConstInt(xm->t.i64, ds->len, 0), "");
		X_TRY(x_trap_if(fc, LLVMBuildICmp(B, LLVMIntUGT, end, size, ""),
				MEWZ_TRAP_OOB_MEMORY));
		if (ds->len) {
			LLVMValueRef dst = LLVMBuildInBoundsGEP2(
			    B, xm->t.i8, fc->mem_base, &off, 1, "");
			LLVMBuildMemCpy(B, dst, 1, x_data(xm, d), 1,
					LLVMConstInt(xm->t.i64, ds->len, 0));
		}
		set_dropped(xm, x_data_dropped(xm), d);
	}
	return true;
}

static bool define_init(xmod *xm)
{
	const mz_module *m = xm->m;
	LLVMTypeRef fty = LLVMFunctionType(xm->t.void_, NULL, 0, 0);
	LLVMValueRef fn = LLVMAddFunction(xm->mod, "__wasm_init", fty);
	x_add_fn_attr(xm, fn, "nounwind");
	xfunc fc;
	memset(&fc, 0, sizeof fc);
	fc.xm = xm;
	fc.fn = fn;
	fc.b = xm->b;
	fc.idx = UINT32_MAX;
	fc.entry_bb = LLVMAppendBasicBlockInContext(xm->ctx, fn, "entry");
	LLVMPositionBuilderAtEnd(xm->b, fc.entry_bb);
	if (m->num_memories)
		fc.mem_base = LLVMBuildLoad2(xm->b, xm->t.ptr,
					     x_mem_base_sym(xm), "membase");
	for (uint32_t g = m->num_global_imports; g < m->num_globals; g++) {
		const mz_const_expr *e = &m->globals[g].init;
		if (e->kind == MZ_CONST_GLOBAL_GET)
			LLVMBuildStore(xm->b, runtime_value(xm, e),
				       x_global(xm, g));
	}
	X_TRY(init_tables(&fc));
	X_TRY(init_elems(&fc));
	X_TRY(init_datas(&fc));
	if (m->has_start) {
		LLVMValueRef s = x_func(xm, m->start);
		LLVMBuildCall2(xm->b, LLVMGlobalGetValueType(s), s, NULL, 0,
			       "");
	}
	LLVMBuildRetVoid(xm->b);
	return true;
}

/*
 * Export symbols of globals and tables name their storage (abi.h).  A
 * re-exported import has no storage here, and ELF cannot alias an
 * undefined symbol: __wasm_export_ref.<name> holds its address instead.
 */
static bool data_export(xmod *xm, const mz_export *ex)
{
	const mz_module *m = xm->m;
	LLVMValueRef target;
	bool imported;
	if (ex->kind == MZ_EXTERN_GLOBAL) {
		target = x_global(xm, ex->index);
		imported = m->globals[ex->index].imported;
	} else if (ex->kind == MZ_EXTERN_TABLE) {
		target = x_table(xm, ex->index);
		imported = m->tables[ex->index].imported;
	} else {
		return true; /* memories name no symbol */
	}
	if (!target)
		return x_fail(xm, 0, false, "out of memory");
	char *name = x_export_symbol(
	    imported ? "__wasm_export_ref." : "__wasm_export.", &ex->name);
	if (!name)
		return x_fail(xm, 0, false, "out of memory");
	if (imported) {
		LLVMValueRef ref = LLVMAddGlobal(xm->mod, xm->t.ptr, name);
		LLVMSetInitializer(ref, target);
		LLVMSetGlobalConstant(ref, 1);
	} else {
		LLVMAddAlias2(xm->mod, LLVMGlobalGetValueType(target), 0,
			      target, name);
	}
	free(name);
	return true;
}

static bool data_exports(xmod *xm)
{
	for (uint32_t i = 0; i < xm->m->num_exports; i++)
		X_TRY(data_export(xm, &xm->m->exports[i]));
	return true;
}

bool x_emit_module_data(xmod *xm)
{
	memory_constants(xm);
	define_globals(xm);
	define_tables(xm);
	X_TRY(define_funcrefs(xm));
	X_TRY(define_segments(xm));
	X_TRY(import_list(xm));
	X_TRY(define_init(xm));
	return data_exports(xm);
}

/* A re-exported import: a thunk that calls it with the same arguments. */
static LLVMValueRef import_thunk(xmod *xm, uint32_t f, const char *name)
{
	uint32_t ti = xm->m->funcs[f].type_index;
	LLVMTypeRef fty = x_functype(xm, ti);
	LLVMValueRef fn = LLVMAddFunction(xm->mod, name, fty);
	x_add_fn_attr(xm, fn, "nounwind");
	LLVMBasicBlockRef bb =
	    LLVMAppendBasicBlockInContext(xm->ctx, fn, "entry");
	LLVMPositionBuilderAtEnd(xm->b, bb);
	unsigned n = LLVMCountParams(fn);
	LLVMValueRef *args = calloc(n + 1, sizeof *args);
	if (!args)
		return NULL;
	for (unsigned i = 0; i < n; i++)
		args[i] = LLVMGetParam(fn, i);
	LLVMValueRef callee = x_func(xm, f);
	LLVMValueRef r = LLVMBuildCall2(xm->b, fty, callee, args, n, "");
	free(args);
	if (LLVMGetTypeKind(LLVMGetReturnType(fty)) == LLVMVoidTypeKind)
		LLVMBuildRetVoid(xm->b);
	else
		LLVMBuildRet(xm->b, r);
	return fn;
}

/* __wasm_invoke.<name>(const mewz_slot_t *args, mewz_slot_t *results) */
static bool invoke_wrapper(xmod *xm, uint32_t f, const mz_name *ename)
{
	const mz_module *m = xm->m;
	uint32_t ti = m->funcs[f].type_index;
	const mz_functype *ft = &m->types[ti];
	char *name = x_export_symbol("__wasm_invoke.", ename);
	if (!name)
		return x_fail(xm, 0, false, "out of memory");
	LLVMTypeRef ps[2] = {xm->t.ptr, xm->t.ptr};
	LLVMValueRef fn = LLVMAddFunction(
	    xm->mod, name, LLVMFunctionType(xm->t.void_, ps, 2, 0));
	free(name);
	x_add_fn_attr(xm, fn, "nounwind");
	LLVMBuilderRef B = xm->b;
	LLVMPositionBuilderAtEnd(
	    B, LLVMAppendBasicBlockInContext(xm->ctx, fn, "entry"));
	bool multi = ft->nresults > 1;
	LLVMValueRef *args = calloc(ft->nparams + 2, sizeof *args);
	if (!args)
		return x_fail(xm, 0, false, "out of memory");
	LLVMTypeRef st = multi ? x_results_type(xm, ti) : NULL;
	LLVMValueRef res = multi ? LLVMBuildAlloca(B, st, "results") : NULL;
	unsigned n = 0;
	if (multi)
		args[n++] = res;
	for (uint32_t i = 0; i < ft->nparams; i++) {
		LLVMValueRef off = LLVMConstInt(xm->t.i64, 16 * (uint64_t)i, 0);
		LLVMValueRef p = LLVMBuildGEP2(B, xm->t.i8, LLVMGetParam(fn, 0),
					       &off, 1, "");
		LLVMValueRef v =
		    LLVMBuildLoad2(B, x_valtype(xm, ft->types[i]), p, "");
		LLVMSetAlignment(v, 8);
		args[n++] = v;
	}
	LLVMValueRef callee = x_func(xm, f);
	LLVMValueRef r =
	    LLVMBuildCall2(B, x_functype(xm, ti), callee, args, n, "");
	free(args);
	for (uint32_t i = 0; i < ft->nresults; i++) {
		LLVMValueRef v = r;
		if (multi)
			v = LLVMBuildLoad2(
			    B, x_valtype(xm, ft->types[ft->nparams + i]),
			    LLVMBuildStructGEP2(B, st, res, i, ""), "");
		LLVMValueRef off = LLVMConstInt(xm->t.i64, 16 * (uint64_t)i, 0);
		LLVMValueRef p = LLVMBuildGEP2(B, xm->t.i8, LLVMGetParam(fn, 1),
					       &off, 1, "");
		LLVMSetAlignment(LLVMBuildStore(B, v, p), 8);
	}
	LLVMBuildRetVoid(B);
	return true;
}

bool x_emit_exports(xmod *xm)
{
	const mz_module *m = xm->m;
	for (uint32_t i = 0; i < m->num_exports; i++) {
		const mz_export *ex = &m->exports[i];
		if (ex->kind != MZ_EXTERN_FUNC)
			continue;
		uint32_t f = ex->index;
		bool imported = m->funcs[f].imported;
		bool mine = imported
				? xm->owns_module_data
				: (f >= xm->func_begin && f < xm->func_end);
		if (!mine)
			continue;
		char *name = x_export_symbol("__wasm_export.", &ex->name);
		if (!name)
			return x_fail(xm, 0, false, "out of memory");
		LLVMValueRef ok;
		if (imported) {
			ok = import_thunk(xm, f, name);
		} else {
			LLVMValueRef fn = x_func(xm, f);
			ok = LLVMAddAlias2(xm->mod, LLVMGlobalGetValueType(fn),
					   0, fn, name);
		}
		free(name);
		if (!ok)
			return x_fail(xm, 0, false, "out of memory");
		if (xm->o->invoke_wrappers)
			X_TRY(invoke_wrapper(xm, f, &ex->name));
	}
	return true;
}
