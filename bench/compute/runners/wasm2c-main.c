/*
 * wasm2c-main.c - the host program around one wasm2c-translated module,
 * which wasm2c was told to name "prog" (-n prog): instantiate, wire the WASI
 * shim to its memory, run _start, and turn a trap into exit status 134.
 * Built once per program, against that program's generated prog.h.
 */
#include <stdio.h>

#include "prog.h"
#include "wasi-shim.h"
#include "wasm-rt-impl.h"

int main(int argc, char **argv)
{
	static Z_prog_instance_t inst; /* static: large for big modules */
	static struct Z_wasi_snapshot_preview1_instance_t wasi;
	wasm_rt_trap_t trap;

	wasm_rt_init();
	Z_prog_init_module();
	Z_prog_instantiate(&inst, &wasi);
	wasi_shim_init(&wasi, Z_progZ_memory(&inst), argc, argv);
	trap = wasm_rt_impl_try();
	if (trap != WASM_RT_TRAP_NONE) {
		fprintf(stderr, "wasm2c: trap: %s\n", wasm_rt_strerror(trap));
		return 134;
	}
	Z_progZ__start(&inst);
	Z_prog_free(&inst);
	wasm_rt_free();
	return 0;
}
