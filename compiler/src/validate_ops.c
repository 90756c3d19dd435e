/*
 * validate_ops.c - operand and result types of the instructions whose
 * types follow from the opcode alone.  Runs of opcodes that share a
 * signature are written as ranges, in opcode order, so the table can be
 * checked against the spec's opcode list line by line.
 */
#include "validate.h"

#include <stddef.h>

uint8_t mz_sig_type(char c)
{
	switch (c) {
	case 'i': return MZ_I32;
	case 'I': return MZ_I64;
	case 'f': return MZ_F32;
	case 'F': return MZ_F64;
	case 'V': return MZ_V128;
	}
	return 0;
}

typedef struct op_range {
	uint16_t first, last; /* inclusive */
	const char *sig;
} op_range;

/* One-byte numeric opcodes, 0x45..0xc4. */
static const op_range numeric[] = {
	{0x45, 0x45, "i:i"},   /* i32.eqz */
	{0x46, 0x4f, "ii:i"},  /* i32 comparisons */
	{0x50, 0x50, "I:i"},   /* i64.eqz */
	{0x51, 0x5a, "II:i"},  /* i64 comparisons */
	{0x5b, 0x60, "ff:i"},  /* f32 comparisons */
	{0x61, 0x66, "FF:i"},  /* f64 comparisons */
	{0x67, 0x69, "i:i"},   /* i32 clz ctz popcnt */
	{0x6a, 0x78, "ii:i"},  /* i32 binary */
	{0x79, 0x7b, "I:I"},   /* i64 clz ctz popcnt */
	{0x7c, 0x8a, "II:I"},  /* i64 binary */
	{0x8b, 0x91, "f:f"},   /* f32 unary */
	{0x92, 0x98, "ff:f"},  /* f32 binary */
	{0x99, 0x9f, "F:F"},   /* f64 unary */
	{0xa0, 0xa6, "FF:F"},  /* f64 binary */
	{0xa7, 0xa7, "I:i"},   /* i32.wrap_i64 */
	{0xa8, 0xa9, "f:i"},   /* i32.trunc_f32_s/u */
	{0xaa, 0xab, "F:i"},   /* i32.trunc_f64_s/u */
	{0xac, 0xad, "i:I"},   /* i64.extend_i32_s/u */
	{0xae, 0xaf, "f:I"},   /* i64.trunc_f32_s/u */
	{0xb0, 0xb1, "F:I"},   /* i64.trunc_f64_s/u */
	{0xb2, 0xb3, "i:f"},   /* f32.convert_i32_s/u */
	{0xb4, 0xb5, "I:f"},   /* f32.convert_i64_s/u */
	{0xb6, 0xb6, "F:f"},   /* f32.demote_f64 */
	{0xb7, 0xb8, "i:F"},   /* f64.convert_i32_s/u */
	{0xb9, 0xba, "I:F"},   /* f64.convert_i64_s/u */
	{0xbb, 0xbb, "f:F"},   /* f64.promote_f32 */
	{0xbc, 0xbc, "f:i"},   /* i32.reinterpret_f32 */
	{0xbd, 0xbd, "F:I"},   /* i64.reinterpret_f64 */
	{0xbe, 0xbe, "i:f"},   /* f32.reinterpret_i32 */
	{0xbf, 0xbf, "I:F"},   /* f64.reinterpret_i64 */
	{0xc0, 0xc1, "i:i"},   /* i32.extend8_s/16_s */
	{0xc2, 0xc4, "I:I"},   /* i64.extend8_s/16_s/32_s */
};

/* 0xfc 0..7: saturating truncations. */
static const op_range misc[] = {
	{0, 1, "f:i"},
	{2, 3, "F:i"},
	{4, 5, "f:I"},
	{6, 7, "F:I"},
};

/* 0xfd without immediates.  Unassigned codes are absent from opcodes.def,
 * so the reader never hands them to us. */
static const op_range simd[] = {
	{14, 14, "VV:V"},   /* i8x16.swizzle */
	{15, 17, "i:V"},    /* i8x16/i16x8/i32x4.splat */
	{18, 18, "I:V"},    /* i64x2.splat */
	{19, 19, "f:V"},    /* f32x4.splat */
	{20, 20, "F:V"},    /* f64x2.splat */
	{35, 76, "VV:V"},   /* comparisons */
	{77, 77, "V:V"},    /* v128.not */
	{78, 81, "VV:V"},   /* and andnot or xor */
	{82, 82, "VVV:V"},  /* v128.bitselect */
	{83, 83, "V:i"},    /* v128.any_true */
	{94, 98, "V:V"},    /* demote promote abs neg popcnt */
	{99, 100, "V:i"},   /* i8x16.all_true bitmask */
	{101, 102, "VV:V"}, /* i8x16.narrow */
	{103, 106, "V:V"},  /* f32x4 rounding */
	{107, 109, "Vi:V"}, /* i8x16 shifts */
	{110, 115, "VV:V"}, /* i8x16 add/sub (sat) */
	{116, 117, "V:V"},  /* f64x2.ceil floor */
	{118, 121, "VV:V"}, /* i8x16 min/max */
	{122, 122, "V:V"},  /* f64x2.trunc */
	{123, 123, "VV:V"}, /* i8x16.avgr_u */
	{124, 129, "V:V"},  /* extadd_pairwise, i16x8.abs neg */
	{130, 130, "VV:V"}, /* i16x8.q15mulr_sat_s */
	{131, 132, "V:i"},  /* i16x8.all_true bitmask */
	{133, 134, "VV:V"}, /* i16x8.narrow */
	{135, 138, "V:V"},  /* i16x8.extend */
	{139, 141, "Vi:V"}, /* i16x8 shifts */
	{142, 147, "VV:V"}, /* i16x8 add/sub (sat) */
	{148, 148, "V:V"},  /* f64x2.nearest */
	{149, 159, "VV:V"}, /* i16x8 mul min max avgr extmul */
	{160, 161, "V:V"},  /* i32x4.abs neg */
	{163, 164, "V:i"},  /* i32x4.all_true bitmask */
	{167, 170, "V:V"},  /* i32x4.extend */
	{171, 173, "Vi:V"}, /* i32x4 shifts */
	{174, 191, "VV:V"}, /* i32x4 add sub mul min max dot extmul */
	{192, 193, "V:V"},  /* i64x2.abs neg */
	{195, 196, "V:i"},  /* i64x2.all_true bitmask */
	{199, 202, "V:V"},  /* i64x2.extend */
	{203, 205, "Vi:V"}, /* i64x2 shifts */
	{206, 223, "VV:V"}, /* i64x2 add sub mul compare extmul */
	{224, 227, "V:V"},  /* f32x4.abs neg sqrt */
	{228, 235, "VV:V"}, /* f32x4 arithmetic */
	{236, 239, "V:V"},  /* f64x2.abs neg sqrt */
	{240, 247, "VV:V"}, /* f64x2 arithmetic */
	{248, 255, "V:V"},  /* conversions */
};

static const char *find(const op_range *t, size_t n, uint32_t code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (code >= t[i].first && code <= t[i].last)
			return t[i].sig;
	return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *mz_fixed_sig(uint32_t op)
{
	uint32_t prefix = op >> 16, code = op & 0xffff;

	switch (prefix) {
	case 0:
		return find(numeric, COUNT(numeric), code);
	case 0xfc:
		return find(misc, COUNT(misc), code);
	case 0xfd:
		return find(simd, COUNT(simd), code);
	}
	return NULL;
}

typedef struct mem_op {
	uint32_t op;
	const char *sig;
	uint8_t align; /* natural alignment, log2 bytes */
	uint8_t lanes;
} mem_op;

static const mem_op mem_ops[] = {
	{MZ_OP_I32_LOAD, "i:i", 2, 0},
	{MZ_OP_I64_LOAD, "i:I", 3, 0},
	{MZ_OP_F32_LOAD, "i:f", 2, 0},
	{MZ_OP_F64_LOAD, "i:F", 3, 0},
	{MZ_OP_I32_LOAD8_S, "i:i", 0, 0},
	{MZ_OP_I32_LOAD8_U, "i:i", 0, 0},
	{MZ_OP_I32_LOAD16_S, "i:i", 1, 0},
	{MZ_OP_I32_LOAD16_U, "i:i", 1, 0},
	{MZ_OP_I64_LOAD8_S, "i:I", 0, 0},
	{MZ_OP_I64_LOAD8_U, "i:I", 0, 0},
	{MZ_OP_I64_LOAD16_S, "i:I", 1, 0},
	{MZ_OP_I64_LOAD16_U, "i:I", 1, 0},
	{MZ_OP_I64_LOAD32_S, "i:I", 2, 0},
	{MZ_OP_I64_LOAD32_U, "i:I", 2, 0},
	{MZ_OP_I32_STORE, "ii:", 2, 0},
	{MZ_OP_I64_STORE, "iI:", 3, 0},
	{MZ_OP_F32_STORE, "if:", 2, 0},
	{MZ_OP_F64_STORE, "iF:", 3, 0},
	{MZ_OP_I32_STORE8, "ii:", 0, 0},
	{MZ_OP_I32_STORE16, "ii:", 1, 0},
	{MZ_OP_I64_STORE8, "iI:", 0, 0},
	{MZ_OP_I64_STORE16, "iI:", 1, 0},
	{MZ_OP_I64_STORE32, "iI:", 2, 0},
	{MZ_OP_V128_LOAD, "i:V", 4, 0},
	{MZ_OP_V128_LOAD8X8_S, "i:V", 3, 0},
	{MZ_OP_V128_LOAD8X8_U, "i:V", 3, 0},
	{MZ_OP_V128_LOAD16X4_S, "i:V", 3, 0},
	{MZ_OP_V128_LOAD16X4_U, "i:V", 3, 0},
	{MZ_OP_V128_LOAD32X2_S, "i:V", 3, 0},
	{MZ_OP_V128_LOAD32X2_U, "i:V", 3, 0},
	{MZ_OP_V128_LOAD8_SPLAT, "i:V", 0, 0},
	{MZ_OP_V128_LOAD16_SPLAT, "i:V", 1, 0},
	{MZ_OP_V128_LOAD32_SPLAT, "i:V", 2, 0},
	{MZ_OP_V128_LOAD64_SPLAT, "i:V", 3, 0},
	{MZ_OP_V128_STORE, "iV:", 4, 0},
	{MZ_OP_V128_LOAD8_LANE, "iV:V", 0, 16},
	{MZ_OP_V128_LOAD16_LANE, "iV:V", 1, 8},
	{MZ_OP_V128_LOAD32_LANE, "iV:V", 2, 4},
	{MZ_OP_V128_LOAD64_LANE, "iV:V", 3, 2},
	{MZ_OP_V128_STORE8_LANE, "iV:", 0, 16},
	{MZ_OP_V128_STORE16_LANE, "iV:", 1, 8},
	{MZ_OP_V128_STORE32_LANE, "iV:", 2, 4},
	{MZ_OP_V128_STORE64_LANE, "iV:", 3, 2},
	{MZ_OP_V128_LOAD32_ZERO, "i:V", 2, 0},
	{MZ_OP_V128_LOAD64_ZERO, "i:V", 3, 0},
};

bool mz_mem_access(uint32_t op, const char **sig, uint32_t *max_align,
		   uint32_t *lanes)
{
	size_t i;

	for (i = 0; i < COUNT(mem_ops); i++) {
		if (mem_ops[i].op != op)
			continue;
		*sig = mem_ops[i].sig;
		*max_align = mem_ops[i].align;
		*lanes = mem_ops[i].lanes;
		return true;
	}
	return false;
}

static const struct {
	uint32_t op;
	const char *sig;
	uint8_t lanes;
} lane_ops[] = {
	{MZ_OP_I8X16_EXTRACT_LANE_S, "V:i", 16},
	{MZ_OP_I8X16_EXTRACT_LANE_U, "V:i", 16},
	{MZ_OP_I8X16_REPLACE_LANE, "Vi:V", 16},
	{MZ_OP_I16X8_EXTRACT_LANE_S, "V:i", 8},
	{MZ_OP_I16X8_EXTRACT_LANE_U, "V:i", 8},
	{MZ_OP_I16X8_REPLACE_LANE, "Vi:V", 8},
	{MZ_OP_I32X4_EXTRACT_LANE, "V:i", 4},
	{MZ_OP_I32X4_REPLACE_LANE, "Vi:V", 4},
	{MZ_OP_I64X2_EXTRACT_LANE, "V:I", 2},
	{MZ_OP_I64X2_REPLACE_LANE, "VI:V", 2},
	{MZ_OP_F32X4_EXTRACT_LANE, "V:f", 4},
	{MZ_OP_F32X4_REPLACE_LANE, "Vf:V", 4},
	{MZ_OP_F64X2_EXTRACT_LANE, "V:F", 2},
	{MZ_OP_F64X2_REPLACE_LANE, "VF:V", 2},
};

bool mz_lane_op(uint32_t op, const char **sig, uint32_t *lanes)
{
	size_t i;

	for (i = 0; i < COUNT(lane_ops); i++) {
		if (lane_ops[i].op != op)
			continue;
		*sig = lane_ops[i].sig;
		*lanes = lane_ops[i].lanes;
		return true;
	}
	return false;
}
