/*
 * context.c - the per-shard module context: LLVM context, module, builder,
 * cached types, and lazy declarations of every symbol a shard may touch.
 *
 * Module-level storage (globals, tables, function descriptors, segments)
 * is defined by the shard that owns module data (shard 0) and declared by
 * the others; names come from names.c so that all shards agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlate.h"

bool x_fail(xmod *xm, size_t offset, bool unsupported, const char *fmt, ...)
{
	/* Keep the first error: later ones are consequences. */
	if (xm->err.msg[0])
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(xm->err.msg, sizeof xm->err.msg, fmt, ap);
	va_end(ap);
	xm->err.offset = offset;
	xm->err.unsupported = unsupported;
	return false;
}

static void init_types(xmod *xm)
{
	LLVMContextRef c = xm->ctx;
	xtypes *t = &xm->t;
	t->void_ = LLVMVoidTypeInContext(c);
	t->i1 = LLVMInt1TypeInContext(c);
	t->i8 = LLVMInt8TypeInContext(c);
	t->i16 = LLVMInt16TypeInContext(c);
	t->i32 = LLVMInt32TypeInContext(c);
	t->i64 = LLVMInt64TypeInContext(c);
	t->f32 = LLVMFloatTypeInContext(c);
	t->f64 = LLVMDoubleTypeInContext(c);
	t->ptr = LLVMPointerTypeInContext(c, 0);
	t->i8x16 = LLVMVectorType(t->i8, 16);
	t->i16x8 = LLVMVectorType(t->i16, 8);
	t->i32x4 = LLVMVectorType(t->i32, 4);
	t->i64x2 = LLVMVectorType(t->i64, 2);
	t->f32x4 = LLVMVectorType(t->f32, 4);
	t->f64x2 = LLVMVectorType(t->f64, 2);
	t->v128 = t->i64x2;
	LLVMTypeRef tab[3] = {t->ptr, t->i32, t->i32};
	t->table = LLVMStructTypeInContext(c, tab, 3, 0);
	LLVMTypeRef desc[3] = {t->ptr, t->i64, t->ptr};
	t->funcdesc = LLVMStructTypeInContext(c, desc, 3, 0);
}

bool x_mod_init(xmod *xm, const mz_module *m, const mz_xopts *o, uint32_t shard,
		uint32_t nshards, uint32_t func_begin, uint32_t func_end)
{
	memset(xm, 0, sizeof *xm);
	xm->m = m;
	xm->o = o;
	xm->shard = shard;
	xm->nshards = nshards;
	xm->func_begin = func_begin;
	xm->func_end = func_end;
	xm->owns_module_data = shard == 0;
	xm->ctx = LLVMContextCreate();
	char name[32];
	snprintf(name, sizeof name, "shard.%u", shard);
	xm->mod = LLVMModuleCreateWithNameInContext(name, xm->ctx);
	/* The source name lands in the object's STT_FILE symbol: keep it a
	 * function of the module alone so output is reproducible. */
	LLVMSetSourceFileName(xm->mod, name, strlen(name));
	xm->b = LLVMCreateBuilderInContext(xm->ctx);
	init_types(xm);
	xm->md_invariant =
	    LLVMGetMDKindIDInContext(xm->ctx, "invariant.load", 14);
	xm->md_nonnull = LLVMGetMDKindIDInContext(xm->ctx, "nonnull", 7);
	xm->ftypes = calloc(m->num_types + 1, sizeof *xm->ftypes);
	xm->rtypes = calloc(m->num_types + 1, sizeof *xm->rtypes);
	xm->funcs = calloc(m->num_funcs + 1, sizeof *xm->funcs);
	xm->globals = calloc(m->num_globals + 1, sizeof *xm->globals);
	xm->tables = calloc(m->num_tables + 1, sizeof *xm->tables);
	xm->funcrefs = calloc(m->num_funcs + 1, sizeof *xm->funcrefs);
	xm->datas = calloc(m->num_datas + 1, sizeof *xm->datas);
	xm->elems = calloc(m->num_elems + 1, sizeof *xm->elems);
	if (!xm->ftypes || !xm->rtypes || !xm->funcs || !xm->globals ||
	    !xm->tables || !xm->funcrefs || !xm->datas || !xm->elems)
		return x_fail(xm, 0, false, "out of memory");
	return true;
}

void x_mod_free(xmod *xm)
{
	if (xm->b)
		LLVMDisposeBuilder(xm->b);
	if (xm->mod)
		LLVMDisposeModule(xm->mod);
	if (xm->tm)
		LLVMDisposeTargetMachine(xm->tm);
	xm->tm = NULL;
	if (xm->ctx)
		LLVMContextDispose(xm->ctx);
	free(xm->ftypes);
	free(xm->rtypes);
	free(xm->funcs);
	free(xm->globals);
	free(xm->tables);
	free(xm->funcrefs);
	free(xm->datas);
	free(xm->elems);
	xm->b = NULL;
	xm->mod = NULL;
	xm->ctx = NULL;
}

LLVMTypeRef x_valtype(xmod *xm, uint8_t t)
{
	switch (t) {
	case MZ_I32:
		return xm->t.i32;
	case MZ_I64:
		return xm->t.i64;
	case MZ_F32:
		return xm->t.f32;
	case MZ_F64:
		return xm->t.f64;
	case MZ_V128:
		return xm->t.v128;
	case MZ_FUNCREF:
	case MZ_EXTERNREF:
		return xm->t.ptr;
	}
	return xm->t.i32;
}

/* Results of a multi-result type: a struct with natural C layout (abi.h). */
LLVMTypeRef x_results_type(xmod *xm, uint32_t ti)
{
	if (xm->rtypes[ti])
		return xm->rtypes[ti];
	const mz_functype *ft = &xm->m->types[ti];
	LLVMTypeRef *el = calloc(ft->nresults + 1, sizeof *el);
	if (!el)
		return NULL;
	for (uint32_t i = 0; i < ft->nresults; i++)
		el[i] = x_valtype(xm, ft->types[ft->nparams + i]);
	xm->rtypes[ti] = LLVMStructTypeInContext(xm->ctx, el, ft->nresults, 0);
	free(el);
	return xm->rtypes[ti];
}

/*
 * The one calling convention (abi.h "Values"): the C ABI, with a hidden
 * results pointer first when there is more than one result.  Internal
 * calls use it too, so a funcref's code pointer is callable by anyone.
 */
LLVMTypeRef x_functype(xmod *xm, uint32_t ti)
{
	if (xm->ftypes[ti])
		return xm->ftypes[ti];
	const mz_functype *ft = &xm->m->types[ti];
	bool multi = ft->nresults > 1;
	LLVMTypeRef *ps = calloc(ft->nparams + 2, sizeof *ps);
	if (!ps)
		return NULL;
	uint32_t n = 0;
	if (multi)
		ps[n++] = xm->t.ptr;
	for (uint32_t i = 0; i < ft->nparams; i++)
		ps[n++] = x_valtype(xm, ft->types[i]);
	LLVMTypeRef ret = xm->t.void_;
	if (ft->nresults == 1)
		ret = x_valtype(xm, ft->types[ft->nparams]);
	xm->ftypes[ti] = LLVMFunctionType(ret, ps, n, 0);
	free(ps);
	return xm->ftypes[ti];
}

void x_set_private(xmod *xm, LLVMValueRef v)
{
	if (xm->nshards == 1) {
		LLVMSetLinkage(v, LLVMInternalLinkage);
		return;
	}
	LLVMSetLinkage(v, LLVMExternalLinkage);
	LLVMSetVisibility(v, LLVMHiddenVisibility);
}

void x_add_fn_attr(xmod *xm, LLVMValueRef fn, const char *kind)
{
	unsigned k = LLVMGetEnumAttributeKindForName(kind, strlen(kind));
	LLVMAttributeRef a = LLVMCreateEnumAttribute(xm->ctx, k, 0);
	LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, a);
}

void x_add_fn_str_attr(xmod *xm, LLVMValueRef fn, const char *k, const char *v)
{
	LLVMAttributeRef a = LLVMCreateStringAttribute(
	    xm->ctx, k, (unsigned)strlen(k), v, (unsigned)strlen(v));
	LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, a);
}

LLVMValueRef x_func(xmod *xm, uint32_t f)
{
	if (xm->funcs[f])
		return xm->funcs[f];
	const mz_module *m = xm->m;
	char *name = x_func_symbol(m, f);
	LLVMTypeRef fty = x_functype(xm, m->funcs[f].type_index);
	if (!name || !fty) {
		free(name);
		x_fail(xm, 0, false, "out of memory");
		return NULL;
	}
	/* The same import may appear several times (with one symbol). */
	LLVMValueRef fn =
	    m->funcs[f].imported ? LLVMGetNamedFunction(xm->mod, name) : NULL;
	if (!fn) {
		fn = LLVMAddFunction(xm->mod, name, fty);
		x_add_fn_attr(xm, fn, "nounwind");
	}
	free(name);
	if (!m->funcs[f].imported)
		x_set_private(xm, fn);
	xm->funcs[f] = fn;
	return fn;
}

/* A module-data global: defined (zeroed) in shard 0, declared elsewhere. */
static LLVMValueRef module_global(xmod *xm, LLVMTypeRef ty, const char *name)
{
	LLVMValueRef g = LLVMAddGlobal(xm->mod, ty, name);
	x_set_private(xm, g);
	if (xm->owns_module_data)
		LLVMSetInitializer(g, LLVMConstNull(ty));
	return g;
}

/* An imported global or table; importing one name twice shares it. */
static LLVMValueRef import_global(xmod *xm, LLVMTypeRef ty, const char *name)
{
	LLVMValueRef v = LLVMGetNamedGlobal(xm->mod, name);
	return v ? v : LLVMAddGlobal(xm->mod, ty, name);
}

LLVMValueRef x_global(xmod *xm, uint32_t g)
{
	if (xm->globals[g])
		return xm->globals[g];
	const mz_global *gl = &xm->m->globals[g];
	LLVMTypeRef ty = x_valtype(xm, gl->type.type);
	char *name = gl->imported ? x_import_symbol(xm->m, gl->import_index)
				  : x_strdupf("__wasm_global.%u", g);
	if (!name)
		return NULL;
	LLVMValueRef v;
	if (gl->imported)
		v = import_global(xm, ty, name);
	else
		v = module_global(xm, ty, name);
	if (gl->type.type == MZ_V128)
		LLVMSetAlignment(v, 16);
	free(name);
	xm->globals[g] = v;
	return v;
}

LLVMValueRef x_table(xmod *xm, uint32_t t)
{
	if (xm->tables[t])
		return xm->tables[t];
	const mz_table *tb = &xm->m->tables[t];
	char *name = tb->imported ? x_import_symbol(xm->m, tb->import_index)
				  : x_strdupf("__wasm_table.%u", t);
	if (!name)
		return NULL;
	LLVMValueRef v;
	if (tb->imported)
		v = import_global(xm, xm->t.table, name);
	else
		v = module_global(xm, xm->t.table, name);
	free(name);
	xm->tables[t] = v;
	return v;
}

/* The mewz_func_t of function f; shard 0 fills it in (init.c). */
LLVMValueRef x_funcref(xmod *xm, uint32_t f)
{
	if (xm->funcrefs[f])
		return xm->funcrefs[f];
	char name[40];
	snprintf(name, sizeof name, "__wasm_funcref.%u", f);
	LLVMValueRef v = module_global(xm, xm->t.funcdesc, name);
	LLVMSetGlobalConstant(v, 1);
	xm->funcrefs[f] = v;
	return v;
}

LLVMValueRef x_data(xmod *xm, uint32_t d)
{
	if (xm->datas[d])
		return xm->datas[d];
	const mz_data *ds = &xm->m->datas[d];
	LLVMTypeRef ty = LLVMArrayType2(xm->t.i8, ds->len);
	char name[40];
	snprintf(name, sizeof name, "__wasm_data.%u", d);
	LLVMValueRef v = LLVMAddGlobal(xm->mod, ty, name);
	x_set_private(xm, v);
	LLVMSetGlobalConstant(v, 1);
	if (xm->owns_module_data)
		LLVMSetInitializer(
		    v, LLVMConstStringInContext2(
			   xm->ctx, (const char *)ds->bytes, ds->len, 1));
	xm->datas[d] = v;
	return v;
}

LLVMValueRef x_elem(xmod *xm, uint32_t e)
{
	if (xm->elems[e])
		return xm->elems[e];
	char name[40];
	snprintf(name, sizeof name, "__wasm_elem.%u", e);
	LLVMTypeRef ty = LLVMArrayType2(xm->t.ptr, xm->m->elems[e].count);
	xm->elems[e] = module_global(xm, ty, name);
	return xm->elems[e];
}

/* One byte per segment: 1 once dropped (data.drop, or applied if active). */
LLVMValueRef x_data_dropped(xmod *xm)
{
	if (!xm->data_dropped)
		xm->data_dropped = module_global(
		    xm, LLVMArrayType2(xm->t.i8, xm->m->num_datas + 1),
		    "__wasm_data_dropped");
	return xm->data_dropped;
}

LLVMValueRef x_elem_dropped(xmod *xm)
{
	if (!xm->elem_dropped)
		xm->elem_dropped = module_global(
		    xm, LLVMArrayType2(xm->t.i8, xm->m->num_elems + 1),
		    "__wasm_elem_dropped");
	return xm->elem_dropped;
}

LLVMValueRef x_mem_base_sym(xmod *xm)
{
	if (!xm->mem_base)
		xm->mem_base =
		    LLVMAddGlobal(xm->mod, xm->t.ptr, "__wasm_memory_base");
	return xm->mem_base;
}

LLVMValueRef x_mem_size_sym(xmod *xm)
{
	if (!xm->mem_size)
		xm->mem_size =
		    LLVMAddGlobal(xm->mod, xm->t.i64, "__wasm_memory_size");
	return xm->mem_size;
}

static LLVMValueRef runtime_fn(xmod *xm, const char *name, LLVMTypeRef ret,
			       LLVMTypeRef *ps, unsigned n)
{
	LLVMValueRef fn = LLVMGetNamedFunction(xm->mod, name);
	if (fn)
		return fn;
	fn = LLVMAddFunction(xm->mod, name, LLVMFunctionType(ret, ps, n, 0));
	x_add_fn_attr(xm, fn, "nounwind");
	return fn;
}

LLVMValueRef x_fn_trap(xmod *xm)
{
	if (xm->fn_trap)
		return xm->fn_trap;
	LLVMTypeRef p[1] = {xm->t.i32};
	xm->fn_trap = runtime_fn(xm, "__wasm_trap", xm->t.void_, p, 1);
	x_add_fn_attr(xm, xm->fn_trap, "noreturn");
	x_add_fn_attr(xm, xm->fn_trap, "cold");
	return xm->fn_trap;
}

LLVMValueRef x_fn_mem_grow(xmod *xm)
{
	if (!xm->fn_mem_grow) {
		LLVMTypeRef p[1] = {xm->t.i32};
		xm->fn_mem_grow =
		    runtime_fn(xm, "__wasm_memory_grow", xm->t.i32, p, 1);
	}
	return xm->fn_mem_grow;
}

LLVMValueRef x_fn_table_grow(xmod *xm)
{
	if (!xm->fn_table_grow) {
		LLVMTypeRef p[3] = {xm->t.ptr, xm->t.i32, xm->t.ptr};
		xm->fn_table_grow =
		    runtime_fn(xm, "__wasm_table_grow", xm->t.i32, p, 3);
	}
	return xm->fn_table_grow;
}

LLVMValueRef x_fn_strcmp(xmod *xm)
{
	if (!xm->fn_strcmp) {
		LLVMTypeRef p[2] = {xm->t.ptr, xm->t.ptr};
		xm->fn_strcmp = runtime_fn(xm, "strcmp", xm->t.i32, p, 2);
	}
	return xm->fn_strcmp;
}

LLVMValueRef x_call_intrinsic(xmod *xm, const char *name, LLVMTypeRef *types,
			      unsigned ntypes, LLVMValueRef *args,
			      unsigned nargs)
{
	unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
	if (!id) {
		x_fail(xm, 0, false, "internal: no intrinsic %s", name);
		return NULL;
	}
	LLVMValueRef fn =
	    LLVMGetIntrinsicDeclaration(xm->mod, id, types, ntypes);
	LLVMTypeRef fty = LLVMIntrinsicGetType(xm->ctx, id, types, ntypes);
	return LLVMBuildCall2(xm->b, fty, fn, args, nargs, "");
}
