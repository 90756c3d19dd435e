/*
 * translate.h - the translator's public entry: a validated mz_module in, one
 * relocatable object out (compiler/include/mewz/abi.h describes its symbols).
 * Used by main.c and by the fuzz target; everything else in translate/ is
 * private (xlate.h).
 */
#ifndef MEWZ_TRANSLATE_H
#define MEWZ_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../module.h"

typedef struct mz_xopts {
	unsigned opt_level;   /* 0..3 */
	unsigned jobs;	      /* threads; 0 = number of cores */
	bool bounds_check;    /* --bounds=check: explicit compares */
	const char *cpu;      /* NULL: portable baseline; "native": the host */
	const char *triple;   /* NULL: x86_64-unknown-linux-gnu */
	bool invoke_wrappers; /* also emit __wasm_invoke.<name> */
	bool verify;	      /* run LLVMVerifyModule on every shard */
	bool verbose;	      /* progress on stderr */
} mz_xopts;

/*
 * Translate `m` (already validated) and write the object to `out_path`.
 * Returns false with `err` filled: err->unsupported for a feature mewzc does
 * not implement, otherwise an internal or I/O error.
 */
bool mz_translate(const mz_module *m, const mz_xopts *o, const char *out_path,
		  mz_error *err);

/* Bytes of function code per shard: shards depend on the module alone. */
#define MZ_SHARD_CODE_BUDGET (256u * 1024u)

#endif /* MEWZ_TRANSLATE_H */
