/*
 * validate.c - module-level validation (3.4 of the spec): limits, index
 * spaces, constant expressions, exports, the start function and element
 * and data segments; function bodies are checked by validate_func.c.
 *
 * Constant expressions see only imported globals (the context C' of the
 * spec), and only immutable ones count as constant.
 */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PAGES 65536u

/*
 * Implementation limits (allowed by the spec's appendix, and the same as
 * wasmparser's).  Beyond them a valid module is reported as unsupported
 * rather than compiled: the type checker's work per branch grows with a
 * label's arity, and the translator keeps one slot per local.
 */
#define MAX_FUNC_PARAMS 1000u
#define MAX_FUNC_RESULTS 1000u
#define MAX_FUNC_LOCALS 50000u /* parameters included */

static bool unsupported(mz_error *err, size_t at, const char *what,
			uint64_t n, uint32_t max)
{
	mz_error_set(err, at, "unsupported: %s %llu (mewzc allows %u)", what,
		     (unsigned long long)n, max);
	if (err)
		err->unsupported = true;
	return false;
}

static bool check_limits_impl(const mz_module *m, mz_error *err)
{
	uint32_t i;

	for (i = 0; i < m->num_types; i++) {
		const mz_functype *ft = &m->types[i];
		if (ft->nparams > MAX_FUNC_PARAMS)
			return unsupported(err, 0, "function type with params",
					   ft->nparams, MAX_FUNC_PARAMS);
		if (ft->nresults > MAX_FUNC_RESULTS)
			return unsupported(err, 0,
					   "function type with results",
					   ft->nresults, MAX_FUNC_RESULTS);
	}
	for (i = m->num_func_imports; i < m->num_funcs; i++) {
		const mz_func *f = &m->funcs[i];
		uint64_t n = (uint64_t)f->num_locals;
		if (f->type_index < m->num_types)
			n += m->types[f->type_index].nparams;
		if (n > MAX_FUNC_LOCALS)
			return unsupported(err, f->code_offset,
					   "function with locals", n,
					   MAX_FUNC_LOCALS);
	}
	return true;
}

static bool check_table_limits(const mz_limits *l, size_t at, mz_error *err)
{
	if (l->has_max && l->min > l->max)
		return mz_error_set(err, at,
				    "size minimum must not be greater than "
				    "maximum");
	return true;
}

static bool check_memory_limits(const mz_limits *l, size_t at, mz_error *err)
{
	if (l->min > MAX_PAGES || (l->has_max && l->max > MAX_PAGES))
		return mz_error_set(err, at,
				    "memory size must be at most 65536 pages "
				    "(4GiB)");
	return check_table_limits(l, at, err);
}

/* global.get in a constant expression: imported and immutable only. */
static bool const_global(const mz_module *m, uint32_t idx, size_t at,
			 uint8_t *type, mz_error *err)
{
	const mz_global *g;

	if (idx >= m->num_global_imports)
		return mz_error_set(err, at, "unknown global %u", idx);
	g = &m->globals[idx];
	if (g->type.mut)
		return mz_error_set(err, at, "constant expression required");
	*type = g->type.type;
	return true;
}

/*
 * A constant expression the decoder could not reduce to one instruction:
 * re-read it to say why it is invalid (or, in principle, accept it).
 */
static bool check_const_seq(const mz_module *m, const mz_const_expr *e,
			    uint8_t want, mz_error *err)
{
	mz_reader r = {m->bytes + e->offset, m->bytes + e->offset + e->len,
		       m->bytes, MZ_EOF_SECTION};
	uint8_t stack[2];
	uint32_t n = 0;
	mz_instr in;

	for (;;) {
		uint8_t t;
		if (!mz_read_instr(&r, &in, err))
			return false;
		switch (in.op) {
		case MZ_OP_END:
			if (n != 1 || stack[0] != want)
				return mz_error_set(err, in.offset,
						    "type mismatch");
			return true;
		case MZ_OP_I32_CONST:
			t = MZ_I32;
			break;
		case MZ_OP_I64_CONST:
			t = MZ_I64;
			break;
		case MZ_OP_F32_CONST:
			t = MZ_F32;
			break;
		case MZ_OP_F64_CONST:
			t = MZ_F64;
			break;
		case MZ_OP_V128_CONST:
			t = MZ_V128;
			break;
		case MZ_OP_REF_NULL:
			t = in.u.ref_type;
			break;
		case MZ_OP_REF_FUNC:
			if (in.u.index >= m->num_funcs)
				return mz_error_set(err, in.offset,
						    "unknown function %u",
						    in.u.index);
			t = MZ_FUNCREF;
			break;
		case MZ_OP_GLOBAL_GET:
			if (!const_global(m, in.u.index, in.offset, &t, err))
				return false;
			break;
		default:
			return mz_error_set(err, in.offset,
					    "constant expression required");
		}
		/* Only the count matters once there are two values. */
		if (n < 2)
			stack[n] = t;
		n += n < 2;
	}
}

static bool check_const(const mz_module *m, const mz_const_expr *e,
			uint8_t want, mz_error *err)
{
	uint8_t type = e->type;

	switch (e->kind) {
	case MZ_CONST_INVALID:
		return check_const_seq(m, e, want, err);
	case MZ_CONST_GLOBAL_GET:
		if (!const_global(m, e->u.index, e->offset, &type, err))
			return false;
		break;
	case MZ_CONST_REF_FUNC:
		if (e->u.index >= m->num_funcs)
			return mz_error_set(err, e->offset,
					    "unknown function %u", e->u.index);
		break;
	}
	if (type != want)
		return mz_error_set(err, e->offset, "type mismatch");
	return true;
}

static bool check_imports(const mz_module *m, mz_error *err)
{
	uint32_t i;

	for (i = 0; i < m->num_imports; i++) {
		const mz_import *im = &m->imports[i];
		size_t at = (size_t)(im->module.ptr - m->bytes);
		switch (im->kind) {
		case MZ_EXTERN_FUNC:
			if (im->u.type_index >= m->num_types)
				return mz_error_set(err, at, "unknown type %u",
						    im->u.type_index);
			break;
		case MZ_EXTERN_TABLE:
			if (!check_table_limits(&im->u.table.limits, at, err))
				return false;
			break;
		case MZ_EXTERN_MEMORY:
			if (!check_memory_limits(&im->u.memory, at, err))
				return false;
			break;
		}
	}
	return true;
}

static bool check_definitions(const mz_module *m, mz_error *err)
{
	uint32_t i;

	for (i = m->num_func_imports; i < m->num_funcs; i++)
		if (m->funcs[i].type_index >= m->num_types)
			return mz_error_set(err, m->funcs[i].code_offset,
					    "unknown type %u",
					    m->funcs[i].type_index);
	for (i = m->num_table_imports; i < m->num_tables; i++)
		if (!check_table_limits(&m->tables[i].type.limits,
					m->tables[i].offset, err))
			return false;
	if (m->num_memories > 1)
		return mz_error_set(err, m->memories[1].offset,
				    "multiple memories");
	for (i = m->num_memory_imports; i < m->num_memories; i++)
		if (!check_memory_limits(&m->memories[i].limits,
					 m->memories[i].offset, err))
			return false;
	for (i = m->num_global_imports; i < m->num_globals; i++)
		if (!check_const(m, &m->globals[i].init,
				 m->globals[i].type.type, err))
			return false;
	return true;
}

static bool check_elems(const mz_module *m, mz_error *err)
{
	uint32_t i, k;

	for (i = 0; i < m->num_elems; i++) {
		const mz_elem *e = &m->elems[i];
		for (k = 0; k < e->count; k++)
			if (!check_const(m, &e->items[k], e->type, err))
				return false;
		if (e->mode != MZ_SEG_ACTIVE)
			continue;
		if (e->table >= m->num_tables)
			return mz_error_set(err, e->offset.offset,
					    "unknown table %u", e->table);
		if (!check_const(m, &e->offset, MZ_I32, err))
			return false;
		if (m->tables[e->table].type.elem != e->type)
			return mz_error_set(err, e->offset.offset,
					    "type mismatch");
	}
	return true;
}

static bool check_datas(const mz_module *m, mz_error *err)
{
	uint32_t i;

	for (i = 0; i < m->num_datas; i++) {
		const mz_data *d = &m->datas[i];
		if (d->mode != MZ_SEG_ACTIVE)
			continue;
		if (d->memory >= m->num_memories)
			return mz_error_set(err, d->offset.offset,
					    "unknown memory %u", d->memory);
		if (!check_const(m, &d->offset, MZ_I32, err))
			return false;
	}
	return true;
}

static bool check_start(const mz_module *m, mz_error *err)
{
	const mz_functype *ft;

	if (!m->has_start)
		return true;
	if (m->start >= m->num_funcs)
		return mz_error_set(err, m->start_offset, "unknown function %u",
				    m->start);
	ft = mz_func_type(m, m->start);
	if (ft->nparams || ft->nresults)
		return mz_error_set(err, m->start_offset, "start function");
	return true;
}

static int cmp_name(const void *a, const void *b)
{
	const mz_name *x = *(const mz_name *const *)a;
	const mz_name *y = *(const mz_name *const *)b;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(x->ptr, y->ptr, n) : 0;

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static bool check_export_index(const mz_module *m, const mz_export *e,
			       mz_error *err)
{
	static const char *const what[] = {"function", "table", "memory",
					   "global"};
	uint32_t limit = 0;
	size_t at = (size_t)(e->name.ptr - m->bytes);

	switch (e->kind) {
	case MZ_EXTERN_FUNC:
		limit = m->num_funcs;
		break;
	case MZ_EXTERN_TABLE:
		limit = m->num_tables;
		break;
	case MZ_EXTERN_MEMORY:
		limit = m->num_memories;
		break;
	case MZ_EXTERN_GLOBAL:
		limit = m->num_globals;
		break;
	}
	if (e->index >= limit)
		return mz_error_set(err, at, "unknown %s %u", what[e->kind],
				    e->index);
	return true;
}

static bool check_exports(const mz_module *m, mz_error *err)
{
	const mz_name **names;
	uint32_t i;
	bool ok = true;

	for (i = 0; i < m->num_exports; i++)
		if (!check_export_index(m, &m->exports[i], err))
			return false;
	if (m->num_exports < 2)
		return true;
	names = malloc(m->num_exports * sizeof(*names));
	if (!names)
		return mz_error_set(err, 0, "out of memory");
	for (i = 0; i < m->num_exports; i++)
		names[i] = &m->exports[i].name;
	qsort(names, m->num_exports, sizeof(*names), cmp_name);
	for (i = 1; ok && i < m->num_exports; i++)
		if (cmp_name(&names[i - 1], &names[i]) == 0)
			ok = mz_error_set(err,
					  (size_t)(names[i]->ptr - m->bytes),
					  "duplicate export name");
	free(names);
	return ok;
}

bool mz_validate(const mz_module *m, mz_error *err)
{
	uint32_t i;

	if (!check_imports(m, err) || !check_definitions(m, err) ||
	    !check_limits_impl(m, err) ||
	    !check_elems(m, err) || !check_datas(m, err) ||
	    !check_start(m, err) || !check_exports(m, err))
		return false;
	for (i = m->num_func_imports; i < m->num_funcs; i++)
		if (!mz_validate_func(m, i, err))
			return false;
	return true;
}
