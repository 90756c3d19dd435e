/*
 * trap.c - __wasm_trap and the one trap report every path shares.
 */
#include <mewz/abi.h>
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "wasi.h"

/*
 * Append a function's name as a person knows it: compiled functions are
 * private symbols "__wasm_func.<index>[.<name>]" (abi.h), shown as their
 * name-section name, or as wasm-function[<index>] when they have none;
 * "__wasm_export.<name>" is shown as <name>.
 */
static void append_function(struct mewz_line *l, const char *sym)
{
	static const char prefix[] = "__wasm_func.";
	static const char export_prefix[] = "__wasm_export.";
	const char *p = sym + sizeof(prefix) - 1;
	const char *digits = p;

	/* An exported function without a name-section name: its export name. */
	if (strncmp(sym, export_prefix, sizeof(export_prefix) - 1) == 0 &&
	    sym[sizeof(export_prefix) - 1]) {
		mewz_line_str(l, sym + sizeof(export_prefix) - 1);
		return;
	}
	if (strncmp(sym, prefix, sizeof(prefix) - 1) != 0) {
		mewz_line_str(l, sym);
		return;
	}
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == digits || (*p != '\0' && *p != '.')) {
		mewz_line_str(l, sym);
		return;
	}
	if (*p == '.' && p[1]) {
		mewz_line_str(l, p + 1);
		return;
	}
	mewz_line_str(l, "wasm-function[");
	for (; digits < p; digits++) {
		char c[2] = {*digits, 0};

		mewz_line_str(l, c);
	}
	mewz_line_str(l, "]");
}

_Noreturn void mewz_trap_report(uint32_t code, uintptr_t pc)
{
	struct mewz_line l = {.len = 0};
	uintptr_t off;
	const char *fn = mewz_plat_symbolize(pc, &off);

	mewz_line_str(&l, "mewz: trap: ");
	mewz_line_str(&l, mewz_trap_text(code));
	mewz_line_str(&l, " in ");
	if (fn)
		append_function(&l, fn);
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
