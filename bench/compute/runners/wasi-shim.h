/*
 * wasi-shim.h - the WASI preview 1 imports of a wasm2c-translated compute
 * program, written here for the benchmark: args, environ, clocks, random,
 * stdio and proc_exit.  There are no preopened directories, so every path
 * call fails cleanly.  wasm2c (wabt 1.0.32) names the imports
 * Z_wasi_snapshot_preview1Z_<name> and passes them this instance.
 */
#ifndef WASI_SHIM_H
#define WASI_SHIM_H

#include "wasm-rt.h"

struct Z_wasi_snapshot_preview1_instance_t {
	wasm_rt_memory_t *memory; /* the program's memory 0, set after instantiation */
	int argc;
	char **argv;
};

void wasi_shim_init(struct Z_wasi_snapshot_preview1_instance_t *w,
		    wasm_rt_memory_t *memory, int argc, char **argv);

#endif /* WASI_SHIM_H */
