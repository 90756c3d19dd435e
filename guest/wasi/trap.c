/*
 * trap.c - __wasm_trap and the one trap report every path shares.
 */
#include <mewz/abi.h>
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "wasi.h"

_Noreturn void mewz_trap_report(uint32_t code, uintptr_t pc)
{
	struct mewz_line l = {.len = 0};
	uintptr_t off;
	const char *fn = mewz_plat_symbolize(pc, &off);

	mewz_line_str(&l, "mewz: trap: ");
	mewz_line_str(&l, mewz_trap_text(code));
	mewz_line_str(&l, " in ");
	if (fn)
		mewz_line_str(&l, fn);
	else
		mewz_line_hex(&l, pc);
	mewz_line_emit(&l);
	mewz_plat_exit(MEWZ_EXIT_TRAP);
}

/*
 * Compiled code calls this for every trap.  The return address minus one
 * lies inside the call instruction, so it names the trapping function
 * even when the call is its last instruction.
 */
_Noreturn void __wasm_trap(uint32_t code);
_Noreturn void __wasm_trap(uint32_t code)
{
	mewz_trap_report(code, (uintptr_t)__builtin_return_address(0) - 1);
}
