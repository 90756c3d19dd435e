/*
 * decode_code.c - instruction sequences in the binary format: function
 * bodies (the code section) and constant expressions.
 *
 * The decoder walks every instruction once, through mz_read_instr, so a
 * malformed body (illegal opcode, bad immediate, misplaced `else`, missing
 * `end`) is a decode error, as the spec wants; types are checked later by
 * the validator.  Block nesting is tracked only to know where a sequence
 * ends and whether an `else` may appear.
 */
#include "decode.h"

#include <stdlib.h>

enum frame_kind {
	FRAME_BLOCK, /* block, loop, or the body itself */
	FRAME_IF,    /* if, before its else */
	FRAME_ELSE,  /* if, after its else */
};

/* Open blocks; small bodies never touch the heap. */
typedef struct nest {
	uint8_t inline_buf[64];
	uint8_t *kinds;
	size_t depth, cap;
} nest;

static bool nest_push(nest *n, uint8_t kind, const mz_reader *r, mz_error *err)
{
	if (n->depth == n->cap) {
		size_t cap = n->cap * 2;
		uint8_t *k;
		if (n->kinds == n->inline_buf) {
			k = malloc(cap);
			if (k)
				for (size_t i = 0; i < n->depth; i++)
					k[i] = n->inline_buf[i];
		} else {
			k = realloc(n->kinds, cap);
		}
		if (!k)
			return mz_error_set(err, mz_pos(r), "out of memory");
		n->kinds = k;
		n->cap = cap;
	}
	n->kinds[n->depth++] = kind;
	return true;
}

static void nest_free(nest *n)
{
	if (n->kinds != n->inline_buf)
		free(n->kinds);
}

/*
 * Read instructions up to and including the `end` that closes the
 * sequence.  `count` gets the number of instructions before that end and
 * `first` the first of them (when count > 0).
 */
static bool walk_seq(mz_reader *r, mz_walk_facts *facts, uint32_t *count,
		     mz_instr *first, mz_error *err)
{
	nest n = {.depth = 0, .cap = sizeof(n.inline_buf)};
	mz_instr in;
	bool ok = false;

	n.kinds = n.inline_buf;
	*count = 0;
	if (!nest_push(&n, FRAME_BLOCK, r, err))
		goto out;
	for (;;) {
		if (!mz_read_instr(r, &in, err))
			goto out;
		switch (in.op) {
		case MZ_OP_BLOCK:
		case MZ_OP_LOOP:
			if (!nest_push(&n, FRAME_BLOCK, r, err))
				goto out;
			break;
		case MZ_OP_IF:
			if (!nest_push(&n, FRAME_IF, r, err))
				goto out;
			break;
		case MZ_OP_ELSE:
			/* Only an if's first else; elsewhere the spec reader
			 * stops the sequence and wants its end. */
			if (n.depth < 2 || n.kinds[n.depth - 1] != FRAME_IF) {
				mz_error_set(err, in.offset,
					     "END opcode expected");
				goto out;
			}
			n.kinds[n.depth - 1] = FRAME_ELSE;
			break;
		case MZ_OP_END:
			if (--n.depth == 0) {
				ok = true;
				goto out;
			}
			break;
		case MZ_OP_MEMORY_INIT:
		case MZ_OP_DATA_DROP:
			facts->uses_data_index = true;
			break;
		}
		if (++*count == 1)
			*first = in;
	}
out:
	nest_free(&n);
	return ok;
}

/* The constant instructions a valid constant expression consists of. */
static bool const_from_instr(const mz_instr *in, mz_const_expr *e)
{
	switch (in->op) {
	case MZ_OP_I32_CONST:
		e->kind = MZ_CONST_I32, e->type = MZ_I32, e->u.i32 = in->u.i32;
		return true;
	case MZ_OP_I64_CONST:
		e->kind = MZ_CONST_I64, e->type = MZ_I64, e->u.i64 = in->u.i64;
		return true;
	case MZ_OP_F32_CONST:
		e->kind = MZ_CONST_F32, e->type = MZ_F32;
		e->u.f32_bits = in->u.f32_bits;
		return true;
	case MZ_OP_F64_CONST:
		e->kind = MZ_CONST_F64, e->type = MZ_F64;
		e->u.f64_bits = in->u.f64_bits;
		return true;
	case MZ_OP_V128_CONST:
		e->kind = MZ_CONST_V128, e->type = MZ_V128;
		for (int i = 0; i < 16; i++)
			e->u.v128[i] = in->u.v128[i];
		return true;
	case MZ_OP_REF_NULL:
		e->kind = MZ_CONST_REF_NULL, e->type = in->u.ref_type;
		return true;
	case MZ_OP_REF_FUNC:
		e->kind = MZ_CONST_REF_FUNC, e->type = MZ_FUNCREF;
		e->u.index = in->u.index;
		return true;
	case MZ_OP_GLOBAL_GET:
		/* The type is the global's: mz_decode fills it in last. */
		e->kind = MZ_CONST_GLOBAL_GET, e->type = 0;
		e->u.index = in->u.index;
		return true;
	}
	return false;
}

bool mz_decode_const_expr(mz_reader *r, mz_const_expr *e, mz_walk_facts *facts,
			  mz_error *err)
{
	mz_instr first;
	uint32_t count;

	e->offset = (uint32_t)mz_pos(r);
	if (!walk_seq(r, facts, &count, &first, err))
		return false;
	e->len = (uint32_t)mz_pos(r) - e->offset;
	if (count != 1 || !const_from_instr(&first, e)) {
		e->kind = MZ_CONST_INVALID;
		e->type = 0;
	}
	return true;
}

/* locals: vec(count valtype); the total must fit in a u32. */
static bool read_locals(mz_reader *r, mz_func *f, mz_error *err)
{
	uint32_t n, i;
	uint64_t total = 0;
	size_t at = mz_pos(r);

	if (!mz_read_u32(r, &n, err) ||
	    !mz_alloc_vec(r, n, sizeof(mz_local_run), (void **)&f->local_runs,
			  err))
		return false;
	for (i = 0; i < n; i++) {
		mz_local_run *run = &f->local_runs[i];
		uint8_t t;
		if (!mz_read_u32(r, &run->count, err))
			return false;
		total += run->count;
		if (total > UINT32_MAX)
			return mz_error_set(err, at, "too many locals");
		if (!mz_read_u8(r, &t, err))
			return false;
		switch (t) {
		case MZ_I32:
		case MZ_I64:
		case MZ_F32:
		case MZ_F64:
		case MZ_V128:
		case MZ_FUNCREF:
		case MZ_EXTERNREF:
			break;
		default:
			return mz_error_set(err, mz_pos(r) - 1,
					    "malformed value type");
		}
		run->type = t;
		f->num_local_runs = i + 1;
	}
	f->num_locals = (uint32_t)total;
	return true;
}

static bool read_code(mz_reader *r, mz_func *f, mz_walk_facts *facts,
		      mz_error *err)
{
	uint32_t size, count;
	size_t start;
	mz_instr first;

	if (!mz_read_len(r, &size, err))
		return false;
	start = mz_pos(r);
	if (!read_locals(r, f, err))
		return false;
	f->code = r->p;
	f->code_offset = (uint32_t)mz_pos(r);
	/* Like the reference, read on past the declared size if the body's
	 * end is missing, then report the size. */
	if (!walk_seq(r, facts, &count, &first, err))
		return false;
	if (mz_pos(r) != start + size)
		return mz_error_set(err, start, "section size mismatch");
	f->code_len = (uint32_t)(r->p - f->code);
	return true;
}

bool mz_decode_code_section(mz_reader *r, mz_module *m, uint32_t num_defined,
			    mz_walk_facts *facts, mz_error *err)
{
	uint32_t n, i;
	size_t at = mz_pos(r);

	if (!mz_read_u32(r, &n, err))
		return false;
	if (n != num_defined)
		return mz_error_set(err, at,
				    "function and code section have "
				    "inconsistent lengths");
	for (i = 0; i < n; i++)
		if (!read_code(r, &m->funcs[m->num_func_imports + i], facts,
			       err))
			return false;
	return true;
}
