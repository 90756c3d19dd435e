/*
 * wastjson.h - a reader for the JSON that wabt's `wast2json` (1.0.32) writes
 * for a .wast script: a list of commands, each with the module file it
 * names, the action it performs and the results it expects.
 *
 * Usage:
 *     wj_script s;
 *     char err[256];
 *     if (!wj_load("build/x/foo.json", &s, err, sizeof err)) { puts(err); ... }
 *     for (uint32_t i = 0; i < s.ncommands; i++) { const wj_command *c = ... }
 *     wj_free(&s);
 *
 * Strings are decoded (\uXXXX escapes become UTF-8, so a name may contain
 * NUL bytes): use `len`, not strlen.  Every string is also NUL-terminated
 * for convenience.  Module file names are relative to the JSON file's
 * directory; wj_path() joins them.
 *
 * Values keep their exact bits: wast2json writes integers and floats as
 * unsigned decimal bit patterns, so `bits` is that pattern (i32/f32 in the
 * low 32 bits).  NaN patterns ("nan:canonical", "nan:arithmetic") are kept
 * in `nan` (scalars) or `lane_nan[]` (v128 float lanes) instead of bits.
 *
 * Host-side test code only; not part of the compiler.
 */
#ifndef MEWZ_WASTJSON_H
#define MEWZ_WASTJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wj_str {
	char *ptr; /* NUL-terminated, may contain NULs; never NULL once parsed */
	size_t len;
} wj_str;

enum wj_cmd_type {
	WJ_CMD_UNKNOWN,
	WJ_CMD_MODULE,
	WJ_CMD_REGISTER,
	WJ_CMD_ACTION,
	WJ_CMD_ASSERT_RETURN,
	WJ_CMD_ASSERT_TRAP,
	WJ_CMD_ASSERT_EXHAUSTION,
	WJ_CMD_ASSERT_INVALID,
	WJ_CMD_ASSERT_MALFORMED,
	WJ_CMD_ASSERT_UNLINKABLE,
	WJ_CMD_ASSERT_UNINSTANTIABLE,
};

enum wj_module_type {
	WJ_MODULE_NONE,   /* the command names no module file */
	WJ_MODULE_BINARY, /* filename is a .wasm */
	WJ_MODULE_TEXT,   /* filename is a .wat (only text-format failures) */
};

enum wj_val_type {
	WJ_VAL_UNKNOWN,
	WJ_VAL_I32,
	WJ_VAL_I64,
	WJ_VAL_F32,
	WJ_VAL_F64,
	WJ_VAL_V128,
	WJ_VAL_FUNCREF,
	WJ_VAL_EXTERNREF,
};

/* Lane shapes of a v128 value (the JSON's "lane_type"). */
enum wj_lane_type {
	WJ_LANE_NONE,
	WJ_LANE_I8,
	WJ_LANE_I16,
	WJ_LANE_I32,
	WJ_LANE_I64,
	WJ_LANE_F32,
	WJ_LANE_F64,
};

enum wj_nan {
	WJ_NAN_NONE,       /* an exact value */
	WJ_NAN_CANONICAL,  /* "nan:canonical": a canonical NaN of either sign */
	WJ_NAN_ARITHMETIC, /* "nan:arithmetic": a NaN with the quiet bit set */
};

typedef struct wj_value {
	uint8_t type;      /* wj_val_type */
	uint8_t lane_type; /* wj_lane_type, v128 only */
	uint8_t nlanes;    /* v128 only: 16, 8, 4 or 2 */
	uint8_t nan;       /* wj_nan, f32/f64 only */
	uint8_t lane_nan[16]; /* wj_nan per lane, v128 float lanes only */
	bool has_value;    /* false when only the type is given (assert_trap) */
	bool is_null;      /* funcref/externref "null" */
	uint64_t bits;     /* i32/i64/f32/f64 bits; externref host value */
	uint8_t v128[16];  /* v128 bytes, little-endian lanes */
} wj_value;

enum wj_action_type {
	WJ_ACTION_NONE,
	WJ_ACTION_INVOKE,
	WJ_ACTION_GET,
};

typedef struct wj_action {
	uint8_t type;    /* wj_action_type */
	bool has_module; /* module names a registered/named module ("$M") */
	wj_str module;
	wj_str field;
	uint32_t nargs;
	wj_value *args;
} wj_action;

typedef struct wj_command {
	uint8_t type; /* wj_cmd_type */
	uint32_t line;
	wj_str name;     /* module: its "$name" (len 0 if none); register: the module */
	wj_str as;       /* register: the name it is registered as */
	wj_str filename; /* module and assert_{invalid,malformed,unlinkable,...} */
	uint8_t module_type; /* wj_module_type */
	wj_str text;     /* the expected failure text of assert_* commands */
	wj_action action; /* action, assert_return, assert_trap, assert_exhaustion */
	uint32_t nexpected;
	wj_value *expected;
} wj_command;

typedef struct wj_script {
	wj_str source_filename;
	wj_str dir; /* directory of the JSON file ("." if none), for wj_path */
	uint32_t ncommands;
	wj_command *commands;
} wj_script;

/*
 * Parse `len` bytes of JSON text.  On failure returns false, writes a
 * message (with the byte offset) to `err` and leaves `out` empty.  `dir` is
 * stored in out->dir (may be NULL for ".").
 */
bool wj_parse(const char *json, size_t len, const char *dir, wj_script *out,
	      char *err, size_t errlen);

/* Read and parse a file written by wast2json. */
bool wj_load(const char *path, wj_script *out, char *err, size_t errlen);

void wj_free(wj_script *s);

/* Join the script's directory and a command's file name into buf. */
bool wj_path(const wj_script *s, const wj_str *file, char *buf, size_t buflen);

/* The JSON spelling of a command type ("assert_return"). */
const char *wj_cmd_name(uint8_t type);

/* Read a whole file into a malloc'd buffer (for module files too). */
bool wj_read_file(const char *path, uint8_t **data, size_t *len);

#endif /* MEWZ_WASTJSON_H */
