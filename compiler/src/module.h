/*
 * module.h - the decoded form of a Wasm module, shared by the decoder
 * (decode.c), the validator (validate.c) and the translator (translate/).
 *
 * The decoder fills a mz_module from the bytes it was given and keeps
 * pointers into those bytes (names, data segments, function bodies), so the
 * bytes must outlive the module.  Everything else is owned by the module and
 * freed by mz_module_free().  Index spaces put imports first, as in the spec:
 * funcs[0..num_func_imports) are imports, then the module's own functions;
 * likewise tables, memories and globals.
 */
#ifndef MEWZ_MODULE_H
#define MEWZ_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, with their binary encodings. */
enum mz_valtype {
	MZ_I32 = 0x7f,
	MZ_I64 = 0x7e,
	MZ_F32 = 0x7d,
	MZ_F64 = 0x7c,
	MZ_V128 = 0x7b,
	MZ_FUNCREF = 0x70,
	MZ_EXTERNREF = 0x6f,
};

enum mz_extern_kind {
	MZ_EXTERN_FUNC = 0,
	MZ_EXTERN_TABLE = 1,
	MZ_EXTERN_MEMORY = 2,
	MZ_EXTERN_GLOBAL = 3,
};

/* A byte string inside the module's bytes (names are validated UTF-8). */
typedef struct mz_name {
	const uint8_t *ptr;
	uint32_t len;
} mz_name;

typedef struct mz_functype {
	uint32_t nparams;
	uint32_t nresults;
	uint8_t *types; /* nparams params, then nresults results (mz_valtype) */
} mz_functype;

typedef struct mz_limits {
	uint64_t min;
	uint64_t max; /* valid when has_max */
	bool has_max;
} mz_limits;

typedef struct mz_tabletype {
	uint8_t elem; /* MZ_FUNCREF or MZ_EXTERNREF */
	mz_limits limits;
} mz_tabletype;

typedef struct mz_globaltype {
	uint8_t type;
	bool mut;
} mz_globaltype;

/* A constant expression (Wasm 2.0 allows exactly one of these, then end). */
enum mz_const_kind {
	MZ_CONST_I32,
	MZ_CONST_I64,
	MZ_CONST_F32,
	MZ_CONST_F64,
	MZ_CONST_V128,
	MZ_CONST_REF_NULL, /* ref.null t: type in `type` */
	MZ_CONST_REF_FUNC, /* ref.func x: index in `index` */
	MZ_CONST_GLOBAL_GET, /* global.get x: index in `index` */
	/*
	 * Anything else (several instructions, a non-constant one): the
	 * binary format allows any instruction sequence, so this is well
	 * formed but invalid; the validator re-reads the `len` bytes at
	 * `offset` and reports why ("constant expression required", "type
	 * mismatch", ...).  A validated module never contains one.
	 */
	MZ_CONST_INVALID,
};

typedef struct mz_const_expr {
	uint8_t kind; /* mz_const_kind */
	uint8_t type; /* the value type it produces */
	union {
		uint32_t i32;
		uint64_t i64;
		uint32_t f32_bits;
		uint64_t f64_bits;
		uint8_t v128[16];
		uint32_t index;
	} u;
	uint32_t offset; /* byte offset of the expression in the module */
	uint32_t len;    /* its length in bytes, final `end` included */
} mz_const_expr;

typedef struct mz_import {
	mz_name module;
	mz_name field;
	uint8_t kind; /* mz_extern_kind */
	union {
		uint32_t type_index; /* MZ_EXTERN_FUNC */
		mz_tabletype table;
		mz_limits memory;
		mz_globaltype global;
	} u;
} mz_import;

typedef struct mz_export {
	mz_name name;
	uint8_t kind; /* mz_extern_kind */
	uint32_t index;
} mz_export;

/* A run of locals of one type, as the binary declares them. */
typedef struct mz_local_run {
	uint32_t count;
	uint8_t type;
} mz_local_run;

typedef struct mz_func {
	uint32_t type_index;
	bool imported;
	uint32_t import_index; /* into imports[] when imported */
	/* Defined functions only: */
	uint32_t num_locals; /* declared locals, parameters excluded */
	uint32_t num_local_runs;
	mz_local_run *local_runs;
	const uint8_t *code; /* first instruction of the body */
	uint32_t code_len;   /* up to and including the final `end` */
	uint32_t code_offset; /* byte offset of `code` in the module */
	mz_name name; /* from the name section; len 0 when absent */
} mz_func;

typedef struct mz_table {
	mz_tabletype type;
	bool imported;
	uint32_t import_index;
	uint32_t offset; /* byte offset of its type in the module (errors) */
} mz_table;

typedef struct mz_memory {
	mz_limits limits; /* in 64 KiB pages */
	bool imported;
	uint32_t import_index;
	uint32_t offset; /* byte offset of its limits in the module (errors) */
} mz_memory;

typedef struct mz_global {
	mz_globaltype type;
	bool imported;
	uint32_t import_index;
	mz_const_expr init; /* defined globals only */
} mz_global;

enum mz_segment_mode {
	MZ_SEG_ACTIVE,
	MZ_SEG_PASSIVE,
	MZ_SEG_DECLARATIVE, /* element segments only */
};

typedef struct mz_elem {
	uint8_t mode;   /* mz_segment_mode */
	uint8_t type;   /* MZ_FUNCREF or MZ_EXTERNREF */
	uint32_t table; /* active only */
	mz_const_expr offset; /* active only */
	uint32_t count;
	mz_const_expr *items; /* each ref.func x, ref.null t or global.get */
} mz_elem;

typedef struct mz_data {
	uint8_t mode;    /* MZ_SEG_ACTIVE or MZ_SEG_PASSIVE */
	uint32_t memory; /* active only */
	mz_const_expr offset; /* active only */
	const uint8_t *bytes;
	uint32_t len;
} mz_data;

typedef struct mz_module {
	const uint8_t *bytes; /* the whole binary, not owned */
	size_t size;

	uint32_t num_types;
	mz_functype *types;

	uint32_t num_imports;
	mz_import *imports;

	uint32_t num_funcs; /* imports included */
	uint32_t num_func_imports;
	mz_func *funcs;

	uint32_t num_tables;
	uint32_t num_table_imports;
	mz_table *tables;

	uint32_t num_memories;
	uint32_t num_memory_imports;
	mz_memory *memories;

	uint32_t num_globals;
	uint32_t num_global_imports;
	mz_global *globals;

	uint32_t num_exports;
	mz_export *exports;

	bool has_start;
	uint32_t start;
	uint32_t start_offset; /* byte offset of the start index (errors) */

	uint32_t num_elems;
	mz_elem *elems;

	bool has_data_count;
	uint32_t data_count;
	uint32_t num_datas;
	mz_data *datas;

	mz_name module_name; /* from the name section */

	/*
	 * Functions referenced outside function bodies (exports, element
	 * segments, global initialisers) or by ref.func: C.refs in the spec.
	 * Filled by the decoder; one flag per function index.
	 */
	bool *func_declared;
} mz_module;

/* Decoder and validator errors: the spec's wording and a byte offset. */
typedef struct mz_error {
	char msg[200];
	size_t offset;
	bool unsupported; /* a feature mewzc does not implement, named in msg */
} mz_error;

/*
 * Decode `size` bytes at `bytes` into `m` (binary format, 5.x of the spec).
 * Returns false with `err` filled on malformed input; `m` is then freed.
 * Never reads outside [bytes, bytes + size) and bounds every allocation by
 * what the input can justify.
 */
bool mz_decode(const uint8_t *bytes, size_t size, mz_module *m, mz_error *err);

/* Validate a decoded module (3.x of the spec). Returns false with `err`. */
bool mz_validate(const mz_module *m, mz_error *err);

/*
 * Fill `err` (when not NULL) with a printf-formatted message and `offset`;
 * always returns false so that a failing check can `return mz_error_set(...)`.
 */
bool mz_error_set(mz_error *err, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void mz_module_free(mz_module *m);

/* The type of function index `f` (imports included). */
static inline const mz_functype *mz_func_type(const mz_module *m, uint32_t f)
{
	return &m->types[m->funcs[f].type_index];
}

#endif /* MEWZ_MODULE_H */
