/*
 * unit_checks.c - decoder and validator edge cases that the spec suite
 * does not reach: allocation bounds on absurd counts, the name section,
 * padded LEBs where toolchains emit them, the decoded form of constant
 * expressions, br_table targets and opcode names.
 */
#include "unit_checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instr.h"
#include "module.h"

static unsigned *g_pass, *g_fail;

#define CHECK(cond, what)                                                      \
	do {                                                                   \
		if (cond) {                                                    \
			(*g_pass)++;                                           \
		} else {                                                       \
			(*g_fail)++;                                           \
			printf("FAIL unit %s:%d: %s\n", __FILE__, __LINE__,     \
			       what);                                          \
		}                                                              \
	} while (0)

#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

static bool decode_msg(const uint8_t *b, size_t n, const char *want)
{
	mz_module m;
	mz_error err = {0};

	if (mz_decode(b, n, &m, &err)) {
		mz_module_free(&m);
		return false;
	}
	if (strncmp(err.msg, want, strlen(want)) != 0) {
		printf("  got \"%s\", want \"%s\"\n", err.msg, want);
		return false;
	}
	return true;
}

static void huge_counts(void)
{
	/* Type section claiming 2^32-1 types in a few bytes. */
	static const uint8_t types[] = {HDR, 0x01, 0x05, 0xff, 0xff, 0xff,
					0xff, 0x0f};
	/* Function section claiming 2^32-1 functions. */
	static const uint8_t funcs[] = {HDR, 0x03, 0x05, 0xff, 0xff, 0xff,
					0xff, 0x0f};
	/* Locals: one run of 2^32-1 i32 is allowed but must not allocate. */
	static const uint8_t locals[] = {HDR,  0x01, 0x04, 0x01, 0x60, 0x00,
					 0x00, 0x03, 0x02, 0x01, 0x00, 0x0a,
					 0x0a, 0x01, 0x08, 0x01, 0xff, 0xff,
					 0xff, 0xff, 0x0f, 0x7f, 0x0b};
	mz_module m;
	mz_error err = {0};

	CHECK(decode_msg(types, sizeof(types),
			 "unexpected end of section or function"),
	      "huge type count fails fast");
	CHECK(decode_msg(funcs, sizeof(funcs), "unexpected end"),
	      "huge function count fails fast");
	CHECK(mz_decode(locals, sizeof(locals), &m, &err),
	      "2^32-1 locals decode");
	if (!err.msg[0]) {
		CHECK(m.funcs[0].num_locals == 0xffffffffu,
		      "local count kept");
		/* Valid, but beyond our implementation limit: unsupported. */
		CHECK(!mz_validate(&m, &err) && err.unsupported &&
		      strncmp(err.msg, "unsupported: ", 13) == 0,
		      "2^32-1 locals are unsupported, not invalid");
		mz_module_free(&m);
	}
}

static void name_section(void)
{
	/* One function named "f", module named "M". */
	static const uint8_t good[] = {
		HDR,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00,       /* type () -> () */
		0x03, 0x02, 0x01, 0x00,                   /* func 0: type 0 */
		0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,       /* code */
		0x00, 0x0f, 0x04, 'n', 'a', 'm', 'e',     /* custom "name" */
		0x00, 0x02, 0x01, 'M',                    /* module name */
		0x01, 0x04, 0x01, 0x00, 0x01, 'f',        /* func names */
	};
	/* Same, but the function map names index 7, which does not exist:
	 * the section is ignored and the module still decodes. */
	uint8_t bad[sizeof(good)];
	mz_module m;
	mz_error err = {0};

	CHECK(mz_decode(good, sizeof(good), &m, &err), "name section decodes");
	if (!err.msg[0]) {
		CHECK(m.funcs[0].name.len == 1 && m.funcs[0].name.ptr[0] == 'f',
		      "function name from name section");
		CHECK(m.module_name.len == 1 && m.module_name.ptr[0] == 'M',
		      "module name from name section");
		mz_module_free(&m);
	}
	memcpy(bad, good, sizeof(good));
	bad[sizeof(bad) - 3] = 7;
	CHECK(mz_decode(bad, sizeof(bad), &m, &err),
	      "bad name section is not fatal");
	if (!err.msg[0]) {
		CHECK(m.funcs[0].name.len == 0 && m.module_name.len == 0,
		      "bad name section ignored as a whole");
		mz_module_free(&m);
	}
}

static void padded_call_indirect(void)
{
	/* call_indirect with type and table indices as 5-byte LEBs, as LLVM
	 * emits them for relocation. */
	static const uint8_t mod[] = {
		HDR,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
		0x03, 0x02, 0x01, 0x00,
		0x04, 0x04, 0x01, 0x70, 0x00, 0x01,       /* table 1 funcref */
		0x0a, 0x11, 0x01, 0x0f, 0x00,
		0x41, 0x00,                               /* i32.const 0 */
		0x11, 0x80, 0x80, 0x80, 0x80, 0x00,       /* type 0 */
		0x80, 0x80, 0x80, 0x80, 0x00,             /* table 0 */
		0x0b,
	};
	mz_module m;
	mz_error err = {0};

	CHECK(mz_decode(mod, sizeof(mod), &m, &err) && mz_validate(&m, &err),
	      "padded call_indirect immediates");
	if (!err.msg[0])
		mz_module_free(&m);
}

static void const_exprs(void)
{
	/* global i64 = -2, global funcref = ref.func 0, elem declares 0. */
	static const uint8_t mod[] = {
		HDR,
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
		0x03, 0x02, 0x01, 0x00,
		0x06, 0x0b, 0x02,
		0x7e, 0x00, 0x42, 0x7e, 0x0b,             /* i64 -2 */
		0x70, 0x00, 0xd2, 0x00, 0x0b,             /* ref.func 0 */
		0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
	};
	mz_module m;
	mz_error err = {0};

	CHECK(mz_decode(mod, sizeof(mod), &m, &err), "const exprs decode");
	if (err.msg[0])
		return;
	CHECK(m.globals[0].init.kind == MZ_CONST_I64 &&
	      m.globals[0].init.u.i64 == (uint64_t)-2, "i64.const -2");
	CHECK(m.globals[1].init.kind == MZ_CONST_REF_FUNC &&
	      m.globals[1].init.u.index == 0, "ref.func 0");
	CHECK(m.func_declared && m.func_declared[0],
	      "ref.func in a global declares the function");
	CHECK(mz_validate(&m, &err), "const exprs validate");
	mz_module_free(&m);
}

static void reader(void)
{
	/* br_table [1 300] 0, then an LEB over 5 bytes, then 0xfd 999. */
	static const uint8_t code[] = {0x0e, 0x02, 0x01, 0xac, 0x02, 0x00,
				       0x41, 0x80, 0x80, 0x80, 0x80, 0x80,
				       0x00, 0xfd, 0xe7, 0x07};
	mz_reader r = {code, code + sizeof(code), code, NULL};
	mz_instr in;
	mz_error err = {0};
	const uint8_t *cur;

	CHECK(mz_read_instr(&r, &in, &err) && in.op == MZ_OP_BR_TABLE,
	      "br_table reads");
	cur = in.u.br_table.targets;
	CHECK(in.u.br_table.count == 2 && mz_br_table_next(&cur) == 1 &&
	      mz_br_table_next(&cur) == 300 && in.u.br_table.default_target == 0,
	      "br_table targets");
	CHECK(!mz_read_instr(&r, &in, &err) &&
	      strcmp(err.msg, "integer representation too long") == 0,
	      "over-long s32");
	r.p = code + 13;
	CHECK(!mz_read_instr(&r, &in, &err) &&
	      strncmp(err.msg, "illegal opcode", 14) == 0,
	      "unknown 0xfd opcode");
	CHECK(strcmp(mz_op_name(MZ_OP_F32X4_MUL), "f32x4.mul") == 0 &&
	      strcmp(mz_op_name(MZ_OP_MEMORY_GROW), "memory.grow") == 0 &&
	      strcmp(mz_op_name(MZ_OP(0xfd, 154)), "<unknown>") == 0,
	      "opcode names");
}

/* Append an unsigned LEB128 (at most 5 bytes). */
static size_t put_leb(uint8_t *p, uint32_t v)
{
	size_t n = 0;

	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		p[n++] = b | (v ? 0x80 : 0);
	} while (v);
	return n;
}

/*
 * A module whose one function is `body` (locals vector included), as
 * type () -> (), built in a malloc'd buffer.
 */
static uint8_t *module_with_body(const uint8_t *body, size_t body_len,
				 size_t *out_len)
{
	static const uint8_t head[] = {HDR, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
				       0x03, 0x02, 0x01, 0x00};
	uint8_t *m = malloc(sizeof(head) + body_len + 16);
	uint8_t lenbuf[5];
	size_t n = sizeof(head), bl;

	if (!m)
		return NULL;
	memcpy(m, head, sizeof(head));
	bl = put_leb(lenbuf, (uint32_t)body_len);
	m[n++] = 0x0a;
	n += put_leb(m + n, (uint32_t)(1 + bl + body_len));
	m[n++] = 0x01;
	memcpy(m + n, lenbuf, bl);
	n += bl;
	memcpy(m + n, body, body_len);
	*out_len = n + body_len;
	return m;
}

/* 100000 nested blocks: both stacks grow on the heap, nothing recurses. */
static void deep_nesting(void)
{
	enum { DEPTH = 100000 };
	size_t len = 1 + 2 * DEPTH + DEPTH + 1, mlen, i;
	uint8_t *body = malloc(len), *mod;
	mz_module m;
	mz_error err = {0};

	if (!body)
		return;
	body[0] = 0x00; /* no locals */
	for (i = 0; i < DEPTH; i++) {
		body[1 + 2 * i] = 0x02; /* block */
		body[2 + 2 * i] = 0x40; /* [] -> [] */
	}
	memset(body + 1 + 2 * DEPTH, 0x0b, DEPTH + 1); /* ends */
	mod = module_with_body(body, len, &mlen);
	free(body);
	if (!mod)
		return;
	CHECK(mz_decode(mod, mlen, &m, &err), "deep nesting decodes");
	if (!err.msg[0]) {
		CHECK(mz_validate(&m, &err), "deep nesting validates");
		mz_module_free(&m);
	}
	/* One end short: the body runs out before its final end. */
	mod[mlen - 1] = 0x01; /* nop instead of the last end */
	CHECK(decode_msg(mod, mlen, "unexpected end"), "missing final end");
	free(mod);
}

/* br_table claiming 2^32-1 targets in a short body fails fast. */
static void huge_br_table(void)
{
	static const uint8_t body[] = {0x00, 0x41, 0x00, 0x0e, 0xff, 0xff,
				       0xff, 0xff, 0x0f, 0x00, 0x00, 0x0b};
	size_t mlen;
	uint8_t *mod = module_with_body(body, sizeof(body), &mlen);

	if (!mod)
		return;
	CHECK(decode_msg(mod, mlen, "unexpected end"), "huge br_table count");
	free(mod);
}

/* Operand stack effects the spec suite only reaches through text. */
static void operand_stack(void)
{
	/* unreachable; i32.add; drop -- polymorphic stack is valid. */
	static const uint8_t poly[] = {0x00, 0x00, 0x6a, 0x1a, 0x0b};
	/* i32.const 0; if (result i32) i32.const 1 end; drop -- an if
	 * without else must have matching params and results. */
	static const uint8_t if_no_else[] = {0x00, 0x41, 0x00, 0x04, 0x7f,
					     0x41, 0x01, 0x0b, 0x1a, 0x0b};
	size_t mlen;
	uint8_t *mod;
	mz_module m;
	mz_error err = {0};

	mod = module_with_body(poly, sizeof(poly), &mlen);
	if (mod && mz_decode(mod, mlen, &m, &err)) {
		CHECK(mz_validate(&m, &err), "polymorphic stack after unreachable");
		mz_module_free(&m);
	}
	free(mod);
	mod = module_with_body(if_no_else, sizeof(if_no_else), &mlen);
	if (mod && mz_decode(mod, mlen, &m, &err)) {
		CHECK(!mz_validate(&m, &err) &&
		      strcmp(err.msg, "type mismatch") == 0,
		      "if with result needs else");
		mz_module_free(&m);
	}
	free(mod);
}

void run_unit_checks(unsigned *passed, unsigned *failed)
{
	g_pass = passed;
	g_fail = failed;
	huge_counts();
	name_section();
	padded_call_indirect();
	const_exprs();
	reader();
	deep_nesting();
	huge_br_table();
	operand_stack();
}
