/*
 * instr.h - the one reader of the instruction stream.  The validator and the
 * translator both walk function bodies through mz_read_instr(), so immediates
 * are decoded in one place.  opcodes.def lists every opcode once.
 */
#ifndef MEWZ_INSTR_H
#define MEWZ_INSTR_H

#include "module.h"

/* Opcode values: prefix byte (0 for one-byte opcodes, 0xfc, 0xfd) and code. */
#define MZ_OP(prefix, code) (((uint32_t)(prefix) << 16) | (uint32_t)(code))

/* How an opcode's immediates are encoded. */
enum mz_imm {
	MZ_IMM_NONE,
	MZ_IMM_BLOCK,         /* blocktype */
	MZ_IMM_INDEX,         /* one u32: label, func, local, global, table, elem, data */
	MZ_IMM_BR_TABLE,      /* vec(label) label */
	MZ_IMM_CALL_INDIRECT, /* typeidx tableidx */
	MZ_IMM_MEMARG,        /* align offset */
	MZ_IMM_MEMARG_LANE,   /* align offset lane */
	MZ_IMM_I32,
	MZ_IMM_I64,
	MZ_IMM_F32,
	MZ_IMM_F64,
	MZ_IMM_V128,
	MZ_IMM_LANE,          /* one lane byte */
	MZ_IMM_SHUFFLE,       /* 16 lane bytes */
	MZ_IMM_SELECT_T,      /* vec(valtype), length must be 1 */
	MZ_IMM_REF_TYPE,      /* ref.null t */
	MZ_IMM_MEMORY,        /* a memory index byte that must be 0 (memory.size/grow/fill) */
	MZ_IMM_DATA_MEMORY,   /* dataidx, memory byte 0 (memory.init) */
	MZ_IMM_TWO_MEMORY,    /* two memory bytes, both 0 (memory.copy) */
	MZ_IMM_TWO_INDEX,     /* two u32: table.copy dst src; table.init elem table */
};

/*
 * OP(NAME, "text", prefix, code, imm) for every opcode of Wasm 2.0,
 * including all fixed-width SIMD opcodes.
 */
enum mz_opcode {
#define OP(name, text, prefix, code, imm) MZ_OP_##name = MZ_OP(prefix, code),
#include "opcodes.def"
#undef OP
};

enum mz_blocktype_kind {
	MZ_BLOCK_EMPTY,  /* [] -> [] */
	MZ_BLOCK_VALUE,  /* [] -> [valtype] */
	MZ_BLOCK_TYPE,   /* type_index: params -> results */
};

typedef struct mz_instr {
	uint32_t op;     /* mz_opcode */
	uint32_t offset; /* byte offset of the opcode in the module */
	union {
		struct {
			uint8_t kind; /* mz_blocktype_kind */
			uint8_t valtype;
			uint32_t type_index;
		} block;
		uint32_t index;
		struct {
			uint32_t type_index;
			uint32_t table;
		} call_indirect;
		struct {
			uint32_t align; /* log2 of the alignment */
			uint32_t offset;
			uint8_t lane;
		} memarg;
		struct {
			uint32_t count;
			const uint8_t *targets; /* `count` LEB u32s; see mz_br_table_next */
			uint32_t default_target;
		} br_table;
		uint32_t i32;
		uint64_t i64;
		uint32_t f32_bits;
		uint64_t f64_bits;
		uint8_t v128[16];
		uint8_t lane;
		uint8_t shuffle[16];
		/* ref.null t; select t (0 when the vector's length is not 1,
		 * which the validator rejects as "invalid result arity") */
		uint8_t ref_type;
		struct {
			uint32_t a; /* table.copy: dst; table.init: elem; memory.init: data */
			uint32_t b; /* table.copy: src; table.init: table */
		} two;
	} u;
} mz_instr;

/* A cursor over a function body; `base` is the module start, for offsets. */
typedef struct mz_reader {
	const uint8_t *p;
	const uint8_t *end;
	const uint8_t *base;
	/*
	 * What running out of bytes is called.  NULL means "unexpected end"
	 * (the module's own framing); inside a section or a function body the
	 * spec says "unexpected end of section or function".
	 */
	const char *eof_msg;
} mz_reader;

#define MZ_EOF_SECTION "unexpected end of section or function"

static inline void mz_reader_init(mz_reader *r, const mz_module *m,
				  const mz_func *f)
{
	r->p = f->code;
	r->end = f->code + f->code_len;
	r->base = m->bytes;
	r->eof_msg = MZ_EOF_SECTION;
}

/* The text of an end-of-input error for this reader. */
static inline const char *mz_reader_eof_text(const mz_reader *r)
{
	return r->eof_msg ? r->eof_msg : "unexpected end";
}

/*
 * Decode the next instruction at r->p.  Returns false with `err` filled
 * ("unexpected end", "illegal opcode", "integer too large", ...) on
 * malformed input; never reads past r->end.
 */
bool mz_read_instr(mz_reader *r, mz_instr *in, mz_error *err);

/*
 * The next br_table target.  Only for an instruction that mz_read_instr
 * accepted: it already checked every target's encoding.
 */
uint32_t mz_br_table_next(const uint8_t **cursor);

/* The text-format name of an opcode ("i32.add"), or "<unknown>". */
const char *mz_op_name(uint32_t op);

#endif /* MEWZ_INSTR_H */
