/*
 * instr.c - the one reader of the instruction stream (see instr.h).
 *
 * It decodes exactly one instruction and its immediates and checks only
 * what the binary format says (encodings, reserved zero bytes, known
 * opcodes); whether indices exist and types agree is the validator's job.
 */
#include "instr.h"

#include <string.h>

#include "leb.h"

/* Row of an opcode's prefix in the tables below. */
#define PREFIX_ROW(prefix) ((prefix) == 0 ? 0 : (prefix) == 0xfc ? 1 : 2)

/*
 * Immediate kind + 1 per (prefix, code); 0 marks an unassigned opcode.
 * Built by the compiler from opcodes.def, so it needs no run-time
 * initialisation (the translator reads instructions from many threads).
 */
static const uint8_t imm_table[3][256] = {
#define OP(name, text, prefix, code, imm)                                      \
	[PREFIX_ROW(prefix)][code] = MZ_IMM_##imm + 1,
#include "opcodes.def"
#undef OP
};

/* The immediate kind of an opcode, or -1 when the opcode does not exist. */
static int op_imm(uint32_t op)
{
	uint32_t prefix = op >> 16, code = op & 0xffff;

	if ((prefix != 0 && prefix != 0xfc && prefix != 0xfd) || code > 0xff)
		return -1;
	return (int)imm_table[PREFIX_ROW(prefix)][code] - 1;
}

const char *mz_op_name(uint32_t op)
{
	switch (op) {
#define OP(name, text, prefix, code, imm)                                      \
	case MZ_OP(prefix, code):                                              \
		return text;
#include "opcodes.def"
#undef OP
	}
	return "<unknown>";
}

static bool is_valtype(uint8_t b)
{
	switch (b) {
	case MZ_I32:
	case MZ_I64:
	case MZ_F32:
	case MZ_F64:
	case MZ_V128:
	case MZ_FUNCREF:
	case MZ_EXTERNREF:
		return true;
	}
	return false;
}

/* The opcode: one byte, or a prefix byte and a u32 LEB sub-opcode. */
static bool read_opcode(mz_reader *r, uint32_t *op, mz_error *err)
{
	uint8_t b;
	uint32_t code;

	if (!mz_read_u8(r, &b, err))
		return false;
	if (b != 0xfc && b != 0xfd) {
		*op = b;
		return true;
	}
	if (!mz_read_u32(r, &code, err))
		return false;
	/* MZ_OP keeps 16 bits for the code; every real one fits in 8. */
	if (code > 0xff)
		return mz_error_set(err, mz_pos(r), "illegal opcode %02x %u", b,
				    code);
	*op = MZ_OP(b, code);
	return true;
}

/*
 * blocktype: 0x40, a value type, or a non-negative s33 type index.  The
 * one-byte forms are negative as s33, so a negative s33 is malformed.
 */
static bool read_blocktype(mz_reader *r, mz_instr *in, mz_error *err)
{
	int64_t idx;
	size_t at = mz_pos(r);

	if (r->p >= r->end)
		return mz_eof_error(r, err);
	if (*r->p == 0x40) {
		r->p++;
		in->u.block.kind = MZ_BLOCK_EMPTY;
		return true;
	}
	if (is_valtype(*r->p)) {
		in->u.block.kind = MZ_BLOCK_VALUE;
		in->u.block.valtype = *r->p++;
		return true;
	}
	if (!mz_read_sleb(r, 33, &idx, err))
		return false;
	if (idx < 0)
		return mz_error_set(err, at, "malformed value type");
	if (idx > UINT32_MAX)
		return mz_error_set(err, at, "integer too large");
	in->u.block.kind = MZ_BLOCK_TYPE;
	in->u.block.type_index = (uint32_t)idx;
	return true;
}

static bool read_br_table(mz_reader *r, mz_instr *in, mz_error *err)
{
	uint32_t n, i, t;

	if (!mz_read_u32(r, &n, err))
		return false;
	in->u.br_table.count = n;
	in->u.br_table.targets = r->p;
	/* Each target takes at least one byte, so a huge n fails fast. */
	for (i = 0; i < n; i++)
		if (!mz_read_u32(r, &t, err))
			return false;
	return mz_read_u32(r, &in->u.br_table.default_target, err);
}

/*
 * select t*: the binary allows any count; validation wants exactly one.
 * A count other than one leaves ref_type 0, which the validator reports
 * as "invalid result arity".
 */
static bool read_select_t(mz_reader *r, mz_instr *in, mz_error *err)
{
	uint32_t n, i;
	uint8_t t = 0;

	if (!mz_read_u32(r, &n, err))
		return false;
	for (i = 0; i < n; i++) {
		if (!mz_read_u8(r, &t, err))
			return false;
		if (!is_valtype(t))
			return mz_error_set(err, mz_pos(r) - 1,
					    "malformed value type");
	}
	in->u.ref_type = n == 1 ? t : 0;
	return true;
}

static bool read_zero_byte(mz_reader *r, mz_error *err)
{
	uint8_t b;

	if (!mz_read_u8(r, &b, err))
		return false;
	if (b != 0)
		return mz_error_set(err, mz_pos(r) - 1, "zero byte expected");
	return true;
}

static bool read_memarg(mz_reader *r, mz_instr *in, mz_error *err)
{
	if (!mz_read_u32(r, &in->u.memarg.align, err))
		return false;
	in->u.memarg.lane = 0;
	return mz_read_u32(r, &in->u.memarg.offset, err);
}

static bool read_imm(mz_reader *r, int imm, mz_instr *in, mz_error *err)
{
	const uint8_t *b;
	uint64_t v;

	switch (imm) {
	case MZ_IMM_NONE:
		return true;
	case MZ_IMM_BLOCK:
		return read_blocktype(r, in, err);
	case MZ_IMM_INDEX:
		return mz_read_u32(r, &in->u.index, err);
	case MZ_IMM_BR_TABLE:
		return read_br_table(r, in, err);
	case MZ_IMM_CALL_INDIRECT:
		/* Both LEBs; toolchains pad the table index to 5 bytes. */
		return mz_read_u32(r, &in->u.call_indirect.type_index, err) &&
		       mz_read_u32(r, &in->u.call_indirect.table, err);
	case MZ_IMM_MEMARG:
		return read_memarg(r, in, err);
	case MZ_IMM_MEMARG_LANE:
		return read_memarg(r, in, err) &&
		       mz_read_u8(r, &in->u.memarg.lane, err);
	case MZ_IMM_I32:
		return mz_read_s32(r, &in->u.i32, err);
	case MZ_IMM_I64:
		return mz_read_s64(r, &in->u.i64, err);
	case MZ_IMM_F32:
		if (!mz_read_fixed(r, 4, &v, err))
			return false;
		in->u.f32_bits = (uint32_t)v;
		return true;
	case MZ_IMM_F64:
		return mz_read_fixed(r, 8, &in->u.f64_bits, err);
	case MZ_IMM_V128:
		if (!mz_read_bytes(r, 16, &b, err))
			return false;
		memcpy(in->u.v128, b, 16);
		return true;
	case MZ_IMM_LANE:
		return mz_read_u8(r, &in->u.lane, err);
	case MZ_IMM_SHUFFLE:
		if (!mz_read_bytes(r, 16, &b, err))
			return false;
		memcpy(in->u.shuffle, b, 16);
		return true;
	case MZ_IMM_SELECT_T:
		return read_select_t(r, in, err);
	case MZ_IMM_REF_TYPE:
		if (!mz_read_u8(r, &in->u.ref_type, err))
			return false;
		if (in->u.ref_type != MZ_FUNCREF &&
		    in->u.ref_type != MZ_EXTERNREF)
			return mz_error_set(err, mz_pos(r) - 1,
					    "malformed reference type");
		return true;
	case MZ_IMM_MEMORY:
		in->u.index = 0;
		return read_zero_byte(r, err);
	case MZ_IMM_DATA_MEMORY:
		in->u.two.b = 0;
		return mz_read_u32(r, &in->u.two.a, err) &&
		       read_zero_byte(r, err);
	case MZ_IMM_TWO_MEMORY:
		in->u.two.a = in->u.two.b = 0;
		return read_zero_byte(r, err) && read_zero_byte(r, err);
	case MZ_IMM_TWO_INDEX:
		return mz_read_u32(r, &in->u.two.a, err) &&
		       mz_read_u32(r, &in->u.two.b, err);
	}
	return mz_error_set(err, mz_pos(r), "illegal opcode");
}

bool mz_read_instr(mz_reader *r, mz_instr *in, mz_error *err)
{
	int imm;

	memset(in, 0, sizeof(*in));
	in->offset = (uint32_t)mz_pos(r);
	if (!read_opcode(r, &in->op, err))
		return false;
	imm = op_imm(in->op);
	if (imm < 0) {
		if (in->op > 0xff)
			return mz_error_set(err, in->offset,
					    "illegal opcode %02x %u",
					    in->op >> 16, in->op & 0xffff);
		return mz_error_set(err, in->offset, "illegal opcode %02x",
				    in->op);
	}
	return read_imm(r, imm, in, err);
}

uint32_t mz_br_table_next(const uint8_t **cursor)
{
	const uint8_t *p = *cursor;
	uint32_t v = 0;
	unsigned shift = 0;

	/* mz_read_instr checked this LEB: at most 5 bytes, fits in 32 bits. */
	for (;;) {
		uint8_t b = *p++;
		v |= (uint32_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*cursor = p;
	return v;
}
