/*
 * gen-module.c - writes a large, valid, deterministic WebAssembly module for
 * the compile benchmark: thousands of functions with random but well-typed
 * bodies (arithmetic on i32/i64/f64, loads and stores, counted loops, if/else,
 * br_table, direct and indirect calls, early returns), one table holding
 * every function, a memory, globals, a name section and an `_start` export.
 *
 *   gen-module [-n FUNCS] [-b BODY_BYTES] [-s SEED] -o out.wasm
 *
 * BODY_BYTES is the average size of one function body; the module is about
 * FUNCS * BODY_BYTES bytes.  Calls only go to lower-numbered functions and
 * loops count down from a constant, so the program would also terminate if
 * run; it is generated for the compiler, not for its result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- byte buffer ------------------------------------------------------ */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p) {
			perror("gen-module: realloc");
			exit(1);
		}
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void byte(struct buf *b, uint8_t v)
{
	put(b, &v, 1);
}

static void uleb(struct buf *b, uint64_t v)
{
	do {
		uint8_t c = v & 0x7f;
		v >>= 7;
		byte(b, (uint8_t)(c | (v ? 0x80 : 0)));
	} while (v);
}

static void sleb(struct buf *b, int64_t v)
{
	for (;;) {
		uint8_t c = v & 0x7f;
		v >>= 7; /* arithmetic shift: implementation-defined, but so on every target we build */
		if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
			byte(b, c);
			return;
		}
		byte(b, c | 0x80);
	}
}

static void name(struct buf *b, const char *s)
{
	uleb(b, strlen(s));
	put(b, s, strlen(s));
}

/* A section: id, the byte length of `body`, the body; empties `body` for reuse. */
static void section(struct buf *out, uint8_t id, struct buf *body)
{
	byte(out, id);
	uleb(out, body->len);
	put(out, body->p, body->len);
	body->len = 0;
}

/* ---- opcodes and types ------------------------------------------------- */

enum { I32 = 0x7f, I64 = 0x7e, F64 = 0x7c, VOID = 0x40 };

enum {
	OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_IF = 0x04, OP_ELSE = 0x05,
	OP_END = 0x0b, OP_BR_IF = 0x0d, OP_BR_TABLE = 0x0e, OP_RETURN = 0x0f,
	OP_CALL = 0x10, OP_CALL_INDIRECT = 0x11, OP_SELECT = 0x1b,
	OP_LOCAL_GET = 0x20, OP_LOCAL_SET = 0x21, OP_LOCAL_TEE = 0x22,
	OP_GLOBAL_GET = 0x23, OP_GLOBAL_SET = 0x24,
	OP_I32_LOAD = 0x28, OP_I64_LOAD = 0x29, OP_F64_LOAD = 0x2b,
	OP_I32_STORE = 0x36, OP_I64_STORE = 0x37, OP_F64_STORE = 0x39,
	OP_I32_CONST = 0x41, OP_I64_CONST = 0x42, OP_F64_CONST = 0x44,
	OP_I32_EQZ = 0x45, OP_I32_SUB = 0x6b, OP_I32_AND = 0x71,
	OP_I32_WRAP_I64 = 0xa7, OP_I64_EXTEND_I32_S = 0xac,
	OP_I64_EXTEND_I32_U = 0xad, OP_F64_CONVERT_I32_S = 0xb7,
	OP_F64_CONVERT_I64_S = 0xb9, OP_PREFIX_FC = 0xfc,
};

static const uint8_t i32_binops[] = {0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73,
				     0x74, 0x75, 0x76, 0x77, 0x78};
static const uint8_t i32_cmps[] = {0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b,
				   0x4c, 0x4d, 0x4e, 0x4f};
static const uint8_t i32_unops[] = {0x67, 0x68, 0x69};
static const uint8_t i64_binops[] = {0x7c, 0x7d, 0x7e, 0x83, 0x84, 0x85,
				     0x86, 0x87, 0x88, 0x89};
static const uint8_t i64_cmps[] = {0x51, 0x52, 0x53, 0x54, 0x55, 0x56};
static const uint8_t f64_binops[] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5};
static const uint8_t f64_unops[] = {0x99, 0x9a, 0x9b, 0x9c, 0x9f};
static const uint8_t f64_cmps[] = {0x61, 0x62, 0x63, 0x64};

#define PICK(a) ((a)[rnd() % (sizeof(a) / sizeof((a)[0]))])

/*
 * Function types.  Generated function i has type i % NGEN; _start is T_START.
 */
enum { T_II_I, T_ILF_L, T_FF_F, NGEN, T_START = NGEN, NTYPES };

struct type {
	uint8_t nparams;
	uint8_t params[3];
	uint8_t result; /* VOID for none */
};

static const struct type types[NTYPES] = {
	{2, {I32, I32}, I32},
	{3, {I32, I64, F64}, I64},
	{2, {F64, F64}, F64},
	{0, {0}, VOID},
};

/*
 * Locals of a generated function, after its parameters: NVAR_I32 general
 * i32, NVAR_I64 i64, NVAR_F64 f64, then MAX_LOOP_DEPTH loop counters that
 * only their own loop writes.
 */
#define NVAR_I32 4
#define NVAR_I64 2
#define NVAR_F64 2
#define MAX_LOOP_DEPTH 3

#define NGLOBALS 4 /* mutable: i32, i64, f64, i32 */
static const uint8_t global_types[NGLOBALS] = {I32, I64, F64, I32};

/* ---- generator state -------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

struct fn {
	struct buf *code;
	uint32_t index; /* function index; calls go below it */
	const struct type *type;
	/* local index of each kind's first variable */
	uint32_t i32_base, i64_base, f64_base, counter_base;
	int loop_depth;
	int block_depth; /* structured nesting, bounded */
};

static uint32_t nfuncs;

/* The local index of a random value of `t`: a parameter or a variable. */
static uint32_t pick_local(struct fn *f, uint8_t t)
{
	uint32_t cands[8], n = 0, i;

	for (i = 0; i < f->type->nparams; i++)
		if (f->type->params[i] == t)
			cands[n++] = i;
	if (t == I32)
		for (i = 0; i < NVAR_I32; i++)
			cands[n++] = f->i32_base + i;
	if (t == I64)
		for (i = 0; i < NVAR_I64; i++)
			cands[n++] = f->i64_base + i;
	if (t == F64)
		for (i = 0; i < NVAR_F64; i++)
			cands[n++] = f->f64_base + i;
	return cands[rnd() % n];
}

/* A lower-numbered function of type `ty`, or UINT32_MAX if there is none. */
static uint32_t pick_callee(struct fn *f, int ty)
{
	uint32_t below = f->index, k;

	if (below <= (uint32_t)ty)
		return UINT32_MAX;
	/* prefer near neighbours, as real call graphs do, with some far calls */
	k = (rnd() & 3) ? rnd() % 64 : rnd() % below;
	k = k % ((below - (uint32_t)ty + NGEN - 1) / NGEN);
	return (below - 1) - ((below - 1 - (uint32_t)ty) % NGEN) - k * NGEN;
}

static void gen_expr(struct fn *f, uint8_t t, int depth);

static void gen_args(struct fn *f, int ty, int depth)
{
	int i;

	for (i = 0; i < types[ty].nparams; i++)
		gen_expr(f, types[ty].params[i], depth + 1);
}

/* An i32 address inside the first page, aligned to 8, with a small offset. */
static void gen_addr(struct fn *f, int depth)
{
	gen_expr(f, I32, depth + 1);
	byte(f->code, OP_I32_CONST);
	sleb(f->code, 0xfff8 - 64);
	byte(f->code, OP_I32_AND);
}

static void memarg(struct buf *b, uint8_t align)
{
	uleb(b, align);
	uleb(b, (rnd() % 8) * 8);
}

static int type_of_result(uint8_t t)
{
	return t == I32 ? T_II_I : t == I64 ? T_ILF_L : T_FF_F;
}

/* A call (direct or through the table) returning `t`; 0 if none fits. */
static int gen_call(struct fn *f, uint8_t t, int depth)
{
	int ty = type_of_result(t);
	uint32_t callee = pick_callee(f, ty);

	if (callee == UINT32_MAX)
		return 0;
	gen_args(f, ty, depth);
	if (rnd() % 4) {
		byte(f->code, OP_CALL);
		uleb(f->code, callee);
	} else {
		byte(f->code, OP_I32_CONST); /* table slot i holds function i */
		sleb(f->code, callee);
		byte(f->code, OP_CALL_INDIRECT);
		uleb(f->code, (uint32_t)ty);
		byte(f->code, 0x00);
	}
	return 1;
}

static void gen_leaf(struct fn *f, uint8_t t)
{
	struct buf *c = f->code;
	uint64_t bits;
	double d;

	switch (rnd() % 4) {
	case 0:
		if (t == I32) {
			byte(c, OP_I32_CONST);
			sleb(c, (int32_t)rnd() >> (rnd() % 31));
		} else if (t == I64) {
			byte(c, OP_I64_CONST);
			sleb(c, (int64_t)((uint64_t)rnd() << 32 | rnd()) >> (rnd() % 63));
		} else {
			byte(c, OP_F64_CONST);
			d = (double)(int32_t)rnd() / 1024.0;
			memcpy(&bits, &d, 8);
			put(c, &bits, 8); /* little-endian host */
		}
		return;
	case 1:
		byte(c, OP_GLOBAL_GET);
		uleb(c, t == I32 ? 0 : t == I64 ? 1 : 2);
		return;
	default:
		byte(c, OP_LOCAL_GET);
		uleb(c, pick_local(f, t));
		return;
	}
}

/* Pushes exactly one value of type t. */
static void gen_expr(struct fn *f, uint8_t t, int depth)
{
	struct buf *c = f->code;
	uint32_t r;

	if (depth > 5) {
		gen_leaf(f, t);
		return;
	}
	r = rnd() % 16;
	if (r < 4) {
		gen_leaf(f, t);
		return;
	}
	if (r == 4 && depth < 3 && gen_call(f, t, depth))
		return;
	if (r == 5) { /* load */
		gen_addr(f, depth);
		byte(c, t == I32 ? OP_I32_LOAD : t == I64 ? OP_I64_LOAD : OP_F64_LOAD);
		memarg(c, t == I32 ? 2 : 3);
		return;
	}
	if (r == 6) { /* select */
		gen_expr(f, t, depth + 1);
		gen_expr(f, t, depth + 1);
		gen_expr(f, I32, depth + 1);
		byte(c, OP_SELECT);
		return;
	}
	if (r == 7 && f->block_depth < 6) { /* if with a result */
		gen_expr(f, I32, depth + 1);
		byte(c, OP_IF);
		byte(c, t);
		f->block_depth++;
		gen_expr(f, t, depth + 1);
		byte(c, OP_ELSE);
		gen_expr(f, t, depth + 1);
		f->block_depth--;
		byte(c, OP_END);
		return;
	}
	if (r == 8) { /* conversions */
		if (t == I32) {
			if (rnd() & 1) {
				gen_expr(f, I64, depth + 1);
				byte(c, OP_I32_WRAP_I64);
			} else {
				gen_expr(f, F64, depth + 1);
				byte(c, OP_PREFIX_FC);
				uleb(c, 2); /* i32.trunc_sat_f64_s */
			}
		} else if (t == I64) {
			gen_expr(f, I32, depth + 1);
			byte(c, (rnd() & 1) ? OP_I64_EXTEND_I32_S : OP_I64_EXTEND_I32_U);
		} else {
			if (rnd() & 1) {
				gen_expr(f, I32, depth + 1);
				byte(c, OP_F64_CONVERT_I32_S);
			} else {
				gen_expr(f, I64, depth + 1);
				byte(c, OP_F64_CONVERT_I64_S);
			}
		}
		return;
	}
	if (r == 9 && t == I32) { /* comparisons give i32 */
		switch (rnd() % 3) {
		case 0:
			gen_expr(f, I32, depth + 1);
			gen_expr(f, I32, depth + 1);
			byte(c, PICK(i32_cmps));
			break;
		case 1:
			gen_expr(f, I64, depth + 1);
			gen_expr(f, I64, depth + 1);
			byte(c, PICK(i64_cmps));
			break;
		default:
			gen_expr(f, F64, depth + 1);
			gen_expr(f, F64, depth + 1);
			byte(c, PICK(f64_cmps));
		}
		return;
	}
	if (r == 10) { /* unary */
		gen_expr(f, t, depth + 1);
		if (t == I32)
			byte(c, PICK(i32_unops));
		else if (t == I64)
			byte(c, 0x7a); /* i64.ctz */
		else
			byte(c, PICK(f64_unops));
		return;
	}
	if (r == 11) { /* local.tee keeps a value for later statements */
		uint32_t l = pick_local(f, t);
		gen_expr(f, t, depth + 1);
		byte(c, OP_LOCAL_TEE);
		uleb(c, l);
		return;
	}
	/* binary arithmetic */
	gen_expr(f, t, depth + 1);
	gen_expr(f, t, depth + 1);
	byte(c, t == I32 ? PICK(i32_binops) : t == I64 ? PICK(i64_binops) : PICK(f64_binops));
}

static void gen_stmts(struct fn *f, size_t budget);

static void gen_stmt(struct fn *f)
{
	struct buf *c = f->code;
	uint32_t r = rnd() % 16;
	static const uint8_t vt[3] = {I32, I64, F64};
	uint8_t t = vt[rnd() % 3];

	if (r < 5) { /* local.set */
		gen_expr(f, t, 0);
		byte(c, OP_LOCAL_SET);
		uleb(c, pick_local(f, t));
		return;
	}
	if (r < 7) { /* store */
		gen_addr(f, 0);
		gen_expr(f, t, 1);
		byte(c, t == I32 ? OP_I32_STORE : t == I64 ? OP_I64_STORE : OP_F64_STORE);
		memarg(c, t == I32 ? 2 : 3);
		return;
	}
	if (r == 7) {
		gen_expr(f, t, 0);
		byte(c, OP_GLOBAL_SET);
		uleb(c, t == I32 ? (rnd() & 1) * 3 : t == I64 ? 1 : 2);
		return;
	}
	if (r < 10 && f->block_depth < 5) { /* if / else */
		gen_expr(f, I32, 1);
		byte(c, OP_IF);
		byte(c, VOID);
		f->block_depth++;
		gen_stmts(f, 40 + rnd() % 120);
		if (rnd() & 1) {
			byte(c, OP_ELSE);
			gen_stmts(f, 20 + rnd() % 80);
		}
		f->block_depth--;
		byte(c, OP_END);
		return;
	}
	if (r < 12 && f->loop_depth < MAX_LOOP_DEPTH && f->block_depth < 5) {
		/* counted loop: counter = n; loop { body; br_if (--counter != 0) } */
		uint32_t ctr = f->counter_base + (uint32_t)f->loop_depth;
		byte(c, OP_I32_CONST);
		sleb(c, 1 + rnd() % 100);
		byte(c, OP_LOCAL_SET);
		uleb(c, ctr);
		byte(c, OP_LOOP);
		byte(c, VOID);
		f->loop_depth++;
		f->block_depth++;
		gen_stmts(f, 60 + rnd() % 200);
		f->block_depth--;
		f->loop_depth--;
		byte(c, OP_LOCAL_GET);
		uleb(c, ctr);
		byte(c, OP_I32_CONST);
		sleb(c, 1);
		byte(c, OP_I32_SUB);
		byte(c, OP_LOCAL_TEE);
		uleb(c, ctr);
		byte(c, OP_BR_IF);
		uleb(c, 0);
		byte(c, OP_END);
		return;
	}
	if (r == 12 && f->block_depth < 4) { /* br_table over three nested blocks */
		int i;
		for (i = 0; i < 3; i++) {
			byte(c, OP_BLOCK);
			byte(c, VOID);
		}
		f->block_depth += 3;
		gen_expr(f, I32, 1);
		byte(c, OP_BR_TABLE);
		uleb(c, 3);
		uleb(c, 0);
		uleb(c, 1);
		uleb(c, 2);
		uleb(c, 2);
		byte(c, OP_END);
		gen_stmts(f, 30 + rnd() % 60);
		byte(c, OP_END);
		gen_stmts(f, 30 + rnd() % 60);
		f->block_depth -= 3;
		byte(c, OP_END);
		return;
	}
	if (r == 13 && f->type->result != VOID && f->block_depth > 0) {
		/* early return from inside a construct */
		gen_expr(f, I32, 1);
		byte(c, OP_IF);
		byte(c, VOID);
		gen_expr(f, f->type->result, 1);
		byte(c, OP_RETURN);
		byte(c, OP_END);
		return;
	}
	gen_expr(f, t, 0);
	byte(c, OP_LOCAL_SET);
	uleb(c, pick_local(f, t));
}

/* Statements until about `budget` more bytes of code exist. */
static void gen_stmts(struct fn *f, size_t budget)
{
	size_t start = f->code->len;

	while (f->code->len - start < budget)
		gen_stmt(f);
}

/* One function body (locals and code) into `out`. */
static void gen_body(struct buf *out, uint32_t index, int ty, size_t budget)
{
	struct buf code = {0};
	struct fn f = {0};
	uint32_t np = types[ty].nparams;

	f.code = &code;
	f.index = index;
	f.type = &types[ty];
	f.i32_base = np;
	f.i64_base = np + NVAR_I32;
	f.f64_base = np + NVAR_I32 + NVAR_I64;
	f.counter_base = np + NVAR_I32 + NVAR_I64 + NVAR_F64;

	uleb(&code, 4); /* local declarations */
	uleb(&code, NVAR_I32);
	byte(&code, I32);
	uleb(&code, NVAR_I64);
	byte(&code, I64);
	uleb(&code, NVAR_F64);
	byte(&code, F64);
	uleb(&code, MAX_LOOP_DEPTH);
	byte(&code, I32);
	gen_stmts(&f, budget);
	if (types[ty].result != VOID)
		gen_expr(&f, types[ty].result, 0);
	byte(&code, OP_END);

	uleb(out, code.len);
	put(out, code.p, code.len);
	free(code.p);
}

/* _start: calls the last function of each type so nothing is dead code. */
static void gen_start(struct buf *out)
{
	struct buf code = {0};
	int ty;

	uleb(&code, 0);
	for (ty = 0; ty < NGEN && (uint32_t)ty < nfuncs; ty++) {
		uint32_t last = nfuncs - 1 - ((nfuncs - 1 - (uint32_t)ty) % NGEN);
		uint32_t i;
		for (i = 0; i < types[ty].nparams; i++) {
			uint8_t p = types[ty].params[i];
			byte(&code, p == I32 ? OP_I32_CONST : p == I64 ? OP_I64_CONST : OP_F64_CONST);
			if (p == F64) {
				uint64_t zero = 0;
				put(&code, &zero, 8);
			} else {
				sleb(&code, (int64_t)i + 1);
			}
		}
		byte(&code, OP_CALL);
		uleb(&code, last);
		byte(&code, OP_GLOBAL_SET);
		uleb(&code, (uint32_t)(ty == T_II_I ? 0 : ty == T_ILF_L ? 1 : 2));
	}
	byte(&code, OP_END);
	uleb(out, code.len);
	put(out, code.p, code.len);
	free(code.p);
}

static void usage(void)
{
	fprintf(stderr, "usage: gen-module [-n FUNCS] [-b BODY_BYTES] [-s SEED] -o out.wasm\n");
	exit(2);
}

/* Each writer below fills `sec` with one section's body and appends it. */

static void write_types(struct buf *mod, struct buf *sec)
{
	uint32_t i;

	uleb(sec, NTYPES);
	for (i = 0; i < NTYPES; i++) {
		byte(sec, 0x60);
		uleb(sec, types[i].nparams);
		put(sec, types[i].params, types[i].nparams);
		uleb(sec, types[i].result == VOID ? 0 : 1);
		if (types[i].result != VOID)
			byte(sec, types[i].result);
	}
	section(mod, 1, sec);
}

static void write_functions(struct buf *mod, struct buf *sec)
{
	uint32_t i;

	uleb(sec, nfuncs + 1);
	for (i = 0; i < nfuncs; i++)
		uleb(sec, i % NGEN);
	uleb(sec, T_START);
	section(mod, 3, sec);
}

/* One funcref table with exactly one slot per generated function. */
static void write_table(struct buf *mod, struct buf *sec)
{
	uleb(sec, 1);
	byte(sec, 0x70);
	byte(sec, 0x01);
	uleb(sec, nfuncs);
	uleb(sec, nfuncs);
	section(mod, 4, sec);
}

/* One page, at most 16: gen_addr keeps every access in the first page. */
static void write_memory(struct buf *mod, struct buf *sec)
{
	uleb(sec, 1);
	byte(sec, 0x01);
	uleb(sec, 1);
	uleb(sec, 16);
	section(mod, 5, sec);
}

static void write_globals(struct buf *mod, struct buf *sec)
{
	uint32_t i;

	uleb(sec, NGLOBALS);
	for (i = 0; i < NGLOBALS; i++) {
		uint8_t t = global_types[i];
		byte(sec, t);
		byte(sec, 0x01); /* mutable */
		byte(sec, t == I32 ? OP_I32_CONST : t == I64 ? OP_I64_CONST : OP_F64_CONST);
		if (t == F64) {
			uint64_t zero = 0;
			put(sec, &zero, 8);
		} else {
			sleb(sec, (int64_t)i);
		}
		byte(sec, OP_END);
	}
	section(mod, 6, sec);
}

static void write_exports(struct buf *mod, struct buf *sec)
{
	uleb(sec, 2);
	name(sec, "_start");
	byte(sec, 0x00);
	uleb(sec, nfuncs);
	name(sec, "memory");
	byte(sec, 0x02);
	uleb(sec, 0);
	section(mod, 7, sec);
}

/* One active element segment: slot i holds function i. */
static void write_elements(struct buf *mod, struct buf *sec)
{
	uint32_t i;

	uleb(sec, 1);
	uleb(sec, 0);
	byte(sec, OP_I32_CONST);
	sleb(sec, 0);
	byte(sec, OP_END);
	uleb(sec, nfuncs);
	for (i = 0; i < nfuncs; i++)
		uleb(sec, i);
	section(mod, 9, sec);
}

static void write_code(struct buf *mod, struct buf *sec, uint32_t body)
{
	uint32_t i;

	uleb(sec, nfuncs + 1);
	for (i = 0; i < nfuncs; i++)
		gen_body(sec, i, (int)(i % NGEN), body / 2 + rnd() % body);
	gen_start(sec);
	section(mod, 10, sec);
}

/* Custom "name" section, function-names subsection, so symbols get names. */
static void write_names(struct buf *mod, struct buf *sec)
{
	struct buf names = {0};
	char fname[32];
	uint32_t i;

	uleb(&names, nfuncs + 1);
	for (i = 0; i < nfuncs; i++) {
		uleb(&names, i);
		snprintf(fname, sizeof fname, "gen_fn_%u", i);
		name(&names, fname);
	}
	uleb(&names, nfuncs);
	name(&names, "_start");
	name(sec, "name");
	byte(sec, 1);
	uleb(sec, names.len);
	put(sec, names.p, names.len);
	free(names.p);
	section(mod, 0, sec);
}

int main(int argc, char **argv)
{
	struct buf mod = {0}, sec = {0};
	const char *out_path = NULL;
	uint32_t body = 600;
	uint64_t seed = 1;
	FILE *fp;
	int a;

	nfuncs = 5000;
	for (a = 1; a < argc; a++) {
		if (a + 1 >= argc)
			usage();
		if (!strcmp(argv[a], "-n"))
			nfuncs = (uint32_t)strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "-b"))
			body = (uint32_t)strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "-s"))
			seed = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "-o"))
			out_path = argv[++a];
		else
			usage();
	}
	if (!out_path || nfuncs < 1 || nfuncs > 1000000 || body < 16)
		usage();
	rng_state ^= seed * 0x9e3779b97f4a7c15ull;
	if (!rng_state)
		rng_state = 1;

	put(&mod, "\0asm\1\0\0\0", 8);
	write_types(&mod, &sec);
	write_functions(&mod, &sec);
	write_table(&mod, &sec);
	write_memory(&mod, &sec);
	write_globals(&mod, &sec);
	write_exports(&mod, &sec);
	write_elements(&mod, &sec);
	write_code(&mod, &sec, body);
	write_names(&mod, &sec);

	fp = fopen(out_path, "wb");
	if (!fp || fwrite(mod.p, 1, mod.len, fp) != mod.len || fclose(fp) != 0) {
		perror(out_path);
		return 1;
	}
	free(mod.p);
	free(sec.p);
	return 0;
}
