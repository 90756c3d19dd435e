/*
 * spec.h - internals of the WebAssembly spec-suite runner (tests/spec).
 *
 * spec_main.c   finds the .wast files, runs each in a child process (up to
 *               -j at a time), adds up and prints the results
 * spec_file.c   one .wast in one process: wast2json, then every command
 * spec_inst.c   instances: compile with mewzc, link checks, JIT, init
 * spec_jit.c    the ORC LLJIT: one JITDylib per instance
 * spec_value.c  wast values <-> invoke slots, comparison, printing
 * spec_host.c   the `spectest` host module
 */
#ifndef MEWZ_SPEC_H
#define MEWZ_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linux_rt.h"
#include "mewz/abi.h"
#include "module.h"
#include "wastjson.h"

/* ---- configuration (spec_main.c fills it from the command line) ------- */

struct spec_config {
	const char *mewzc;    /* path of the compiler */
	const char *opt;      /* "-O1" */
	const char *workdir;  /* build/tests/spec */
	bool verbose;
};
extern struct spec_config spec_cfg;

/* ---- result reporting (spec_file.c) ------------------------------------ */

/* One line per command on the result stream: "P", "F <why>", "S <why>". */
void spec_pass(uint32_t line);
void spec_fail(uint32_t line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void spec_skip(uint32_t line, const char *why);

/* Run one .wast; results go to fd `out`.  Returns 0 unless it could not start. */
int spec_run_file(const char *wast, int out);

/* ---- instances (spec_inst.c) ------------------------------------------- */

/* A linear memory and the type the linker sees. */
struct spec_memory {
	struct mewz_linux_memory m; /* base and size first: bound as symbols */
	bool has_max;
	uint64_t max_pages; /* the declared maximum */
	void *grow_thunk;   /* this memory's __wasm_memory_grow */
};

/* What an export or a spectest item resolves to. */
struct spec_extern {
	uint8_t kind; /* mz_extern_kind */
	void *addr;   /* func code, global storage, mewz_table_t */
	struct spec_memory *mem;
	const mz_functype *ftype;
	mz_globaltype gtype;
	mz_tabletype ttype; /* limits.min is the current size */
};

struct spec_instance {
	char *name;            /* "$M" or NULL */
	uint8_t *bytes;        /* the module's binary, kept for `mod` */
	size_t size;
	mz_module mod;
	void *jd;              /* LLVMOrcJITDylibRef */
	struct spec_memory *mem; /* own or imported; never NULL */
	struct spec_memory own_mem;
	struct spec_extern *imports; /* what each import resolved to */
	bool is_host;          /* the spectest module */
};

/*
 * Compile `wasm` with mewzc into `obj`.  Returns 0, or mewzc's exit status
 * (or -1 if it could not run) with its stderr in errbuf.
 */
int spec_compile(const char *wasm, const char *obj, bool wrappers, char *errbuf, size_t errlen);

enum spec_inst_status {
	SPEC_INST_OK,
	SPEC_INST_ERROR,      /* our problem or the compiler's: msg says */
	SPEC_INST_UNLINKABLE, /* import missing or mismatched: msg is the spec text */
	SPEC_INST_TRAP,       /* __wasm_init trapped: trap_code */
};

/* Compile, check imports, link and initialise the module in `wasm`. */
enum spec_inst_status spec_instantiate(const char *wasm, struct spec_instance **out,
				       uint32_t *trap_code, char *msg, size_t msglen);

/* Resolve an export by name; false when absent. */
bool spec_export(struct spec_instance *in, const wj_str *name, struct spec_extern *ext);

/* Module registry: register/named/current. */
void spec_register(const wj_str *as, struct spec_instance *in);
struct spec_instance *spec_find_registered(const uint8_t *name, size_t len);

/* ---- the JIT (spec_jit.c) ---------------------------------------------- */

struct spec_sym {
	const char *name;
	void *addr;
	bool callable;
};

int spec_jit_init(char *msg, size_t msglen);
/* A fresh JITDylib holding `syms` as absolute symbols and the object file. */
void *spec_jit_instance(const char *label, const struct spec_sym *syms, size_t nsyms,
			const char *obj, char *msg, size_t msglen);
/* The address of `name` in jd (links the object on first use), or NULL. */
void *spec_jit_lookup(void *jd, const char *name, char *msg, size_t msglen);

/* An executable stub that calls grow(delta, mem): __wasm_memory_grow. */
void *spec_jit_grow_thunk(struct spec_memory *mem);

/* ---- the spectest module (spec_host.c) --------------------------------- */

struct spec_instance *spec_host_instance(void);
bool spec_host_export(const uint8_t *name, size_t len, struct spec_extern *ext);

/* ---- values (spec_value.c) --------------------------------------------- */

/* A wast value as a slot; externref n becomes the pointer n + 1. */
void spec_value_to_slot(const wj_value *v, mewz_slot_t *s);
/* Does the slot (of type `type`) match the expected value? */
bool spec_value_matches(const wj_value *want, const mewz_slot_t *got);
/* Print "i32:5", "f32:nan:canonical", "v128 i32:1 2 3 4", into buf. */
void spec_value_format(const wj_value *v, char *buf, size_t len);
void spec_slot_format(uint8_t valtype, uint8_t lane_type, const mewz_slot_t *s, char *buf, size_t len);
uint8_t spec_valtype_of(const wj_value *v); /* the mz_valtype of a wast value */

/* "__wasm_export." + escaped name: %00 and %25 as abi.h says. */
void spec_symbol(const char *prefix, const uint8_t *name, size_t len, char *buf, size_t buflen);

#endif /* MEWZ_SPEC_H */
