/*
 * validate_func.c - the type checker for function bodies: an operand
 * stack of value types and a stack of control frames, following the
 * algorithm in the spec's validation appendix.  After unreachable, br,
 * br_table and return the rest of a block is stack-polymorphic: popping
 * below the frame's height yields MZ_UNKNOWN, which matches any type.
 */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "leb.h"

#define MZ_UNKNOWN 0

/* One static byte per value type, so a single-type block can point at it. */
static const uint8_t vt_self[256] = {
    [MZ_I32] = MZ_I32,
    [MZ_I64] = MZ_I64,
    [MZ_F32] = MZ_F32,
    [MZ_F64] = MZ_F64,
    [MZ_V128] = MZ_V128,
    [MZ_FUNCREF] = MZ_FUNCREF,
    [MZ_EXTERNREF] = MZ_EXTERNREF,
};

typedef struct frame {
	uint32_t op; /* MZ_OP_BLOCK, LOOP, IF, ELSE; BLOCK for the body */
	const uint8_t *params;
	uint32_t nparams;
	const uint8_t *results;
	uint32_t nresults;
	size_t height; /* operand stack height at entry */
	bool unreachable;
} frame;

typedef struct checker {
	const mz_module *m;
	mz_error *err;
	size_t at; /* offset of the instruction being checked */

	uint8_t *vals;
	size_t nvals, capvals;
	frame *ctrls;
	size_t nctrls, capctrls;

	/* Locals: parameters, then declared runs; run_end[i] is the index
	 * one past run i. */
	const mz_functype *type;
	uint64_t *run_end;
	uint32_t nruns;
	const mz_local_run *runs;
	uint64_t nlocals;
} checker;

static bool fail(checker *c, const char *msg)
{
	return mz_error_set(c->err, c->at, "%s", msg);
}

static bool fail_index(checker *c, const char *what, uint32_t idx)
{
	return mz_error_set(c->err, c->at, "unknown %s %u", what, idx);
}

static bool is_num(uint8_t t)
{
	return t == MZ_I32 || t == MZ_I64 || t == MZ_F32 || t == MZ_F64 ||
	       t == MZ_UNKNOWN;
}

static bool is_vec(uint8_t t)
{
	return t == MZ_V128 || t == MZ_UNKNOWN;
}

static bool is_ref(uint8_t t)
{
	return t == MZ_FUNCREF || t == MZ_EXTERNREF || t == MZ_UNKNOWN;
}

static bool push(checker *c, uint8_t t)
{
	if (c->nvals == c->capvals) {
		size_t cap = c->capvals ? c->capvals * 2 : 64;
		uint8_t *v = realloc(c->vals, cap);
		if (!v)
			return fail(c, "out of memory");
		c->vals = v;
		c->capvals = cap;
	}
	c->vals[c->nvals++] = t;
	return true;
}

/* Pop any value; *t is MZ_UNKNOWN below an unreachable frame's base. */
static bool pop_any(checker *c, uint8_t *t)
{
	frame *f = &c->ctrls[c->nctrls - 1];

	if (c->nvals == f->height) {
		if (!f->unreachable)
			return fail(c, "type mismatch");
		*t = MZ_UNKNOWN;
		return true;
	}
	*t = c->vals[--c->nvals];
	return true;
}

static bool pop_expect(checker *c, uint8_t expect, uint8_t *actual)
{
	uint8_t t;

	if (!pop_any(c, &t))
		return false;
	if (t != expect && t != MZ_UNKNOWN && expect != MZ_UNKNOWN)
		return fail(c, "type mismatch");
	if (actual)
		*actual = t;
	return true;
}

static bool pop(checker *c, uint8_t expect)
{
	return pop_expect(c, expect, NULL);
}

static bool pop_vals(checker *c, const uint8_t *types, uint32_t n)
{
	while (n > 0)
		if (!pop(c, types[--n]))
			return false;
	return true;
}

static bool push_vals(checker *c, const uint8_t *types, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (!push(c, types[i]))
			return false;
	return true;
}

/* Check and apply a "params:results" signature. */
static bool apply_sig(checker *c, const char *sig)
{
	const char *colon = strchr(sig, ':');
	const char *p;

	for (p = colon; p > sig;)
		if (!pop(c, mz_sig_type(*--p)))
			return false;
	for (p = colon + 1; *p; p++)
		if (!push(c, mz_sig_type(*p)))
			return false;
	return true;
}

static bool push_ctrl(checker *c, uint32_t op, const uint8_t *params,
		      uint32_t np, const uint8_t *results, uint32_t nr)
{
	frame *f;

	if (c->nctrls == c->capctrls) {
		size_t cap = c->capctrls ? c->capctrls * 2 : 16;
		frame *fs = realloc(c->ctrls, cap * sizeof(frame));
		if (!fs)
			return fail(c, "out of memory");
		c->ctrls = fs;
		c->capctrls = cap;
	}
	f = &c->ctrls[c->nctrls++];
	f->op = op;
	f->params = params;
	f->nparams = np;
	f->results = results;
	f->nresults = nr;
	f->height = c->nvals;
	f->unreachable = false;
	return push_vals(c, params, np);
}

static bool pop_ctrl(checker *c, frame *out)
{
	frame *f = &c->ctrls[c->nctrls - 1];

	if (!pop_vals(c, f->results, f->nresults))
		return false;
	if (c->nvals != f->height)
		return fail(c, "type mismatch");
	*out = *f;
	c->nctrls--;
	return true;
}

static void set_unreachable(checker *c)
{
	frame *f = &c->ctrls[c->nctrls - 1];

	c->nvals = f->height;
	f->unreachable = true;
}

/* The frame `depth` labels out, or NULL ("unknown label"). */
static frame *label(checker *c, uint32_t depth)
{
	if (depth >= c->nctrls)
		return NULL;
	return &c->ctrls[c->nctrls - 1 - depth];
}

static void label_types(const frame *f, const uint8_t **types, uint32_t *n)
{
	if (f->op == MZ_OP_LOOP) {
		*types = f->params;
		*n = f->nparams;
	} else {
		*types = f->results;
		*n = f->nresults;
	}
}

static bool local_type(checker *c, uint32_t idx, uint8_t *t)
{
	uint32_t lo = 0, hi = c->nruns;

	if (idx < c->type->nparams) {
		*t = c->type->types[idx];
		return true;
	}
	if (idx >= c->nlocals)
		return fail_index(c, "local", idx);
	/* First run whose end is beyond idx. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->run_end[mid] > idx)
			hi = mid;
		else
			lo = mid + 1;
	}
	*t = c->runs[lo].type;
	return true;
}

static bool block_sig(checker *c, const mz_instr *in, const uint8_t **params,
		      uint32_t *np, const uint8_t **results, uint32_t *nr)
{
	const mz_functype *ft;

	*params = NULL;
	*np = 0;
	*results = NULL;
	*nr = 0;
	switch (in->u.block.kind) {
	case MZ_BLOCK_EMPTY:
		return true;
	case MZ_BLOCK_VALUE:
		*results = &vt_self[in->u.block.valtype];
		*nr = 1;
		return true;
	}
	if (in->u.block.type_index >= c->m->num_types)
		return fail_index(c, "type", in->u.block.type_index);
	ft = &c->m->types[in->u.block.type_index];
	*params = ft->types;
	*np = ft->nparams;
	*results = ft->types + ft->nparams;
	*nr = ft->nresults;
	return true;
}

static bool check_block(checker *c, const mz_instr *in)
{
	const uint8_t *params, *results;
	uint32_t np, nr;

	if (!block_sig(c, in, &params, &np, &results, &nr))
		return false;
	if (in->op == MZ_OP_IF && !pop(c, MZ_I32))
		return false;
	if (!pop_vals(c, params, np))
		return false;
	return push_ctrl(c, in->op, params, np, results, nr);
}

static bool check_else(checker *c)
{
	frame f;

	if (c->ctrls[c->nctrls - 1].op != MZ_OP_IF)
		return fail(c, "else without if");
	if (!pop_ctrl(c, &f))
		return false;
	return push_ctrl(c, MZ_OP_ELSE, f.params, f.nparams, f.results,
			 f.nresults);
}

static bool same_types(const uint8_t *a, uint32_t na, const uint8_t *b,
		       uint32_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static bool check_end(checker *c)
{
	frame f;

	if (!pop_ctrl(c, &f))
		return false;
	/* An if without else passes its params through the missing branch. */
	if (f.op == MZ_OP_IF &&
	    !same_types(f.params, f.nparams, f.results, f.nresults))
		return fail(c, "type mismatch");
	return push_vals(c, f.results, f.nresults);
}

static bool check_br(checker *c, const mz_instr *in, bool conditional)
{
	frame *f = label(c, in->u.index);
	const uint8_t *types;
	uint32_t n;

	if (!f)
		return fail_index(c, "label", in->u.index);
	label_types(f, &types, &n);
	if (conditional) {
		if (!pop(c, MZ_I32) || !pop_vals(c, types, n))
			return false;
		return push_vals(c, types, n);
	}
	if (!pop_vals(c, types, n))
		return false;
	set_unreachable(c);
	return true;
}

/* Pop `n` values checked against `types`, then push back what was there. */
static bool check_vals_keep(checker *c, const uint8_t *types, uint32_t n)
{
	uint8_t *got;
	uint32_t i;
	bool ok = true;

	if (n == 0)
		return true;
	got = malloc(n);
	if (!got)
		return fail(c, "out of memory");
	for (i = n; ok && i > 0; i--)
		ok = pop_expect(c, types[i - 1], &got[i - 1]);
	for (i = 0; ok && i < n; i++)
		ok = push(c, got[i]);
	free(got);
	return ok;
}

static bool check_br_table(checker *c, const mz_instr *in)
{
	const uint8_t *cursor = in->u.br_table.targets;
	const uint8_t *types, *checked = NULL;
	frame *def = label(c, in->u.br_table.default_target);
	uint32_t arity, n, i;

	if (!pop(c, MZ_I32))
		return false;
	if (!def)
		return fail_index(c, "label", in->u.br_table.default_target);
	label_types(def, &types, &arity);
	for (i = 0; i < in->u.br_table.count; i++) {
		uint32_t t = mz_br_table_next(&cursor);
		frame *f = label(c, t);
		if (!f)
			return fail_index(c, "label", t);
		label_types(f, &types, &n);
		if (n != arity)
			return fail(c, "type mismatch");
		/* Checking the same label types again cannot fail: the stack
		 * is as the last check left it.  Skipping keeps a long table
		 * of one label linear. */
		if (n > 0 && types == checked)
			continue;
		if (!check_vals_keep(c, types, n))
			return false;
		checked = types;
	}
	label_types(def, &types, &arity);
	if (!pop_vals(c, types, arity))
		return false;
	set_unreachable(c);
	return true;
}

static bool check_call(checker *c, const mz_functype *ft)
{
	return pop_vals(c, ft->types, ft->nparams) &&
	       push_vals(c, ft->types + ft->nparams, ft->nresults);
}

static bool need_table(checker *c, uint32_t idx)
{
	return idx < c->m->num_tables || fail_index(c, "table", idx);
}

static bool need_memory(checker *c, uint32_t idx)
{
	return idx < c->m->num_memories || fail_index(c, "memory", idx);
}

static bool need_func(checker *c, uint32_t idx)
{
	return idx < c->m->num_funcs || fail_index(c, "function", idx);
}

static bool need_global(checker *c, uint32_t idx)
{
	return idx < c->m->num_globals || fail_index(c, "global", idx);
}

/* Data segments exist as declared by the data count section. */
static bool need_data(checker *c, uint32_t idx)
{
	uint32_t n = c->m->has_data_count ? c->m->data_count : c->m->num_datas;
	return idx < n || fail_index(c, "data segment", idx);
}

static bool need_elem(checker *c, uint32_t idx)
{
	return idx < c->m->num_elems || fail_index(c, "elem segment", idx);
}

static uint8_t table_elem(checker *c, uint32_t idx)
{
	return c->m->tables[idx].type.elem;
}

static bool check_call_indirect(checker *c, const mz_instr *in)
{
	uint32_t table = in->u.call_indirect.table;
	uint32_t ti = in->u.call_indirect.type_index;

	if (!need_table(c, table))
		return false;
	if (table_elem(c, table) != MZ_FUNCREF)
		return fail(c, "type mismatch");
	if (ti >= c->m->num_types)
		return fail_index(c, "type", ti);
	if (!pop(c, MZ_I32))
		return false;
	return check_call(c, &c->m->types[ti]);
}

static bool check_select(checker *c, const mz_instr *in)
{
	uint8_t t1, t2;

	if (in->op == MZ_OP_SELECT_T) {
		uint8_t t = in->u.ref_type;
		if (t == 0)
			return fail(c, "invalid result arity");
		return pop(c, MZ_I32) && pop(c, t) && pop(c, t) && push(c, t);
	}
	if (!pop(c, MZ_I32) || !pop_any(c, &t1) || !pop_any(c, &t2))
		return false;
	if (!((is_num(t1) && is_num(t2)) || (is_vec(t1) && is_vec(t2))))
		return fail(c, "type mismatch");
	if (t1 != t2 && t1 != MZ_UNKNOWN && t2 != MZ_UNKNOWN)
		return fail(c, "type mismatch");
	return push(c, t1 == MZ_UNKNOWN ? t2 : t1);
}

static bool check_local(checker *c, const mz_instr *in)
{
	uint8_t t;

	if (!local_type(c, in->u.index, &t))
		return false;
	switch (in->op) {
	case MZ_OP_LOCAL_GET:
		return push(c, t);
	case MZ_OP_LOCAL_SET:
		return pop(c, t);
	default: /* local.tee */
		return pop(c, t) && push(c, t);
	}
}

static bool check_global(checker *c, const mz_instr *in)
{
	const mz_global *g;

	if (!need_global(c, in->u.index))
		return false;
	g = &c->m->globals[in->u.index];
	if (in->op == MZ_OP_GLOBAL_GET)
		return push(c, g->type.type);
	if (!g->type.mut)
		return fail(c, "global is immutable");
	return pop(c, g->type.type);
}

static bool check_memarg(checker *c, const mz_instr *in, const char *sig,
			 uint32_t max_align, uint32_t lanes)
{
	if (!need_memory(c, 0))
		return false;
	if (in->u.memarg.align > max_align)
		return fail(c, "alignment must not be larger than natural");
	if (lanes && in->u.memarg.lane >= lanes)
		return fail(c, "invalid lane index");
	return apply_sig(c, sig);
}

static bool check_ref(checker *c, const mz_instr *in)
{
	uint8_t t;

	switch (in->op) {
	case MZ_OP_REF_NULL:
		return push(c, in->u.ref_type);
	case MZ_OP_REF_IS_NULL:
		if (!pop_any(c, &t))
			return false;
		if (!is_ref(t))
			return fail(c, "type mismatch");
		return push(c, MZ_I32);
	default: /* ref.func */
		if (!need_func(c, in->u.index))
			return false;
		if (!c->m->func_declared || !c->m->func_declared[in->u.index])
			return fail(c, "undeclared function reference");
		return push(c, MZ_FUNCREF);
	}
}

static bool check_table_op(checker *c, const mz_instr *in)
{
	uint8_t t;

	switch (in->op) {
	case MZ_OP_TABLE_GET:
		if (!need_table(c, in->u.index))
			return false;
		t = table_elem(c, in->u.index);
		return pop(c, MZ_I32) && push(c, t);
	case MZ_OP_TABLE_SET:
		if (!need_table(c, in->u.index))
			return false;
		t = table_elem(c, in->u.index);
		return pop(c, t) && pop(c, MZ_I32);
	case MZ_OP_TABLE_SIZE:
		return need_table(c, in->u.index) && push(c, MZ_I32);
	case MZ_OP_TABLE_GROW:
		if (!need_table(c, in->u.index))
			return false;
		t = table_elem(c, in->u.index);
		return pop(c, MZ_I32) && pop(c, t) && push(c, MZ_I32);
	case MZ_OP_TABLE_FILL:
		if (!need_table(c, in->u.index))
			return false;
		t = table_elem(c, in->u.index);
		return pop(c, MZ_I32) && pop(c, t) && pop(c, MZ_I32);
	case MZ_OP_TABLE_INIT:
		if (!need_table(c, in->u.two.b) || !need_elem(c, in->u.two.a))
			return false;
		if (c->m->elems[in->u.two.a].type != table_elem(c, in->u.two.b))
			return fail(c, "type mismatch");
		return apply_sig(c, "iii:");
	case MZ_OP_TABLE_COPY:
		if (!need_table(c, in->u.two.a) || !need_table(c, in->u.two.b))
			return false;
		if (table_elem(c, in->u.two.a) != table_elem(c, in->u.two.b))
			return fail(c, "type mismatch");
		return apply_sig(c, "iii:");
	default: /* elem.drop */
		return need_elem(c, in->u.index);
	}
}

static bool check_memory_op(checker *c, const mz_instr *in)
{
	if (!need_memory(c, 0))
		return false;
	switch (in->op) {
	case MZ_OP_MEMORY_SIZE:
		return push(c, MZ_I32);
	case MZ_OP_MEMORY_GROW:
		return apply_sig(c, "i:i");
	case MZ_OP_MEMORY_INIT:
		return need_data(c, in->u.two.a) && apply_sig(c, "iii:");
	default: /* memory.copy, memory.fill */
		return apply_sig(c, "iii:");
	}
}

static bool check_shuffle(checker *c, const mz_instr *in)
{
	uint32_t i;

	for (i = 0; i < 16; i++)
		if (in->u.shuffle[i] >= 32)
			return fail(c, "invalid lane index");
	return apply_sig(c, "VV:V");
}

/* Instructions whose types follow from tables in validate_ops.c. */
static bool check_by_table(checker *c, const mz_instr *in)
{
	const char *sig = mz_fixed_sig(in->op);
	uint32_t max_align, lanes;

	if (sig)
		return apply_sig(c, sig);
	if (mz_mem_access(in->op, &sig, &max_align, &lanes))
		return check_memarg(c, in, sig, max_align, lanes);
	if (mz_lane_op(in->op, &sig, &lanes)) {
		if (in->u.lane >= lanes)
			return fail(c, "invalid lane index");
		return apply_sig(c, sig);
	}
	/* Every opcode of opcodes.def is handled above or in check_instr. */
	return mz_error_set(c->err, c->at, "unsupported instruction %s",
			    mz_op_name(in->op));
}

/* One instruction: control, variables, references, tables, memory. */
static bool check_instr(checker *c, const mz_instr *in)
{
	const mz_functype *ft = c->type;

	switch (in->op) {
	case MZ_OP_UNREACHABLE:
		set_unreachable(c);
		return true;
	case MZ_OP_NOP:
		return true;
	case MZ_OP_BLOCK:
	case MZ_OP_LOOP:
	case MZ_OP_IF:
		return check_block(c, in);
	case MZ_OP_ELSE:
		return check_else(c);
	case MZ_OP_END:
		return check_end(c);
	case MZ_OP_BR:
		return check_br(c, in, false);
	case MZ_OP_BR_IF:
		return check_br(c, in, true);
	case MZ_OP_BR_TABLE:
		return check_br_table(c, in);
	case MZ_OP_RETURN:
		if (!pop_vals(c, ft->types + ft->nparams, ft->nresults))
			return false;
		set_unreachable(c);
		return true;
	case MZ_OP_CALL:
		return need_func(c, in->u.index) &&
		       check_call(c, mz_func_type(c->m, in->u.index));
	case MZ_OP_CALL_INDIRECT:
		return check_call_indirect(c, in);
	case MZ_OP_DROP: {
		uint8_t t;
		return pop_any(c, &t);
	}
	case MZ_OP_SELECT:
	case MZ_OP_SELECT_T:
		return check_select(c, in);
	case MZ_OP_LOCAL_GET:
	case MZ_OP_LOCAL_SET:
	case MZ_OP_LOCAL_TEE:
		return check_local(c, in);
	case MZ_OP_GLOBAL_GET:
	case MZ_OP_GLOBAL_SET:
		return check_global(c, in);
	case MZ_OP_TABLE_GET:
	case MZ_OP_TABLE_SET:
	case MZ_OP_TABLE_SIZE:
	case MZ_OP_TABLE_GROW:
	case MZ_OP_TABLE_FILL:
	case MZ_OP_TABLE_INIT:
	case MZ_OP_TABLE_COPY:
	case MZ_OP_ELEM_DROP:
		return check_table_op(c, in);
	case MZ_OP_MEMORY_SIZE:
	case MZ_OP_MEMORY_GROW:
	case MZ_OP_MEMORY_INIT:
	case MZ_OP_MEMORY_COPY:
	case MZ_OP_MEMORY_FILL:
		return check_memory_op(c, in);
	case MZ_OP_DATA_DROP:
		return need_data(c, in->u.index);
	case MZ_OP_I32_CONST:
		return push(c, MZ_I32);
	case MZ_OP_I64_CONST:
		return push(c, MZ_I64);
	case MZ_OP_F32_CONST:
		return push(c, MZ_F32);
	case MZ_OP_F64_CONST:
		return push(c, MZ_F64);
	case MZ_OP_V128_CONST:
		return push(c, MZ_V128);
	case MZ_OP_I8X16_SHUFFLE:
		return check_shuffle(c, in);
	case MZ_OP_REF_NULL:
	case MZ_OP_REF_IS_NULL:
	case MZ_OP_REF_FUNC:
		return check_ref(c, in);
	}
	return check_by_table(c, in);
}

static bool setup_locals(checker *c, const mz_func *f)
{
	uint64_t end = c->type->nparams;
	uint32_t i;

	c->runs = f->local_runs;
	c->nruns = f->num_local_runs;
	if (c->nruns) {
		c->run_end = malloc(c->nruns * sizeof(uint64_t));
		if (!c->run_end)
			return fail(c, "out of memory");
	}
	for (i = 0; i < c->nruns; i++) {
		end += f->local_runs[i].count;
		c->run_end[i] = end;
	}
	c->nlocals = end;
	return true;
}

bool mz_validate_func(const mz_module *m, uint32_t index, mz_error *err)
{
	const mz_func *f = &m->funcs[index];
	checker c = {0};
	mz_reader r;
	mz_instr in;
	bool ok = false;

	c.m = m;
	c.err = err;
	c.at = f->code_offset;
	c.type = mz_func_type(m, index);
	mz_reader_init(&r, m, f);
	if (!setup_locals(&c, f))
		goto out;
	if (!push_ctrl(&c, MZ_OP_BLOCK, NULL, 0,
		       c.type->types + c.type->nparams, c.type->nresults))
		goto out;
	while (c.nctrls > 0) {
		if (!mz_read_instr(&r, &in, err))
			goto out;
		c.at = in.offset;
		if (!check_instr(&c, &in))
			goto out;
	}
	/* The decoder ended the body at this very end. */
	ok = r.p == r.end || fail(&c, "section size mismatch");
out:
	free(c.vals);
	free(c.ctrls);
	free(c.run_end);
	return ok;
}
