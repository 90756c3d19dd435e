/*
 * run.c - instantiate and run the program: the platform-neutral half of
 * every platform's entry.
 */
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "wasi.h"

/* Defined by the compiled module (abi.h). */
void __wasm_init(void);
/* Weak: a module without _start is reported, not a link error. */
extern void wasm_start(void) __asm__("__wasm_export._start")
    __attribute__((weak));

static void report_memory_too_small(void)
{
	extern const uint32_t __wasm_memory_initial_pages;
	struct mewz_line l = {.len = 0};

	mewz_line_str(&l, "mewz: panic: the program needs ");
	mewz_line_dec(&l, (uint64_t)__wasm_memory_initial_pages * 64);
	mewz_line_str(&l, " KiB of linear memory; this VM allows ");
	mewz_line_dec(&l, mewz_plat_memory_limit() / 1024);
	mewz_line_str(&l, " KiB (give it more memory)");
	mewz_line_emit(&l);
	mewz_plat_exit(MEWZ_EXIT_PANIC);
}

_Noreturn void mewz_runtime_run(void)
{
	if (mewz_memory_init() < 0)
		report_memory_too_small();
	__wasm_init();
	if (!wasm_start)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "the program exports no _start");
	wasm_start();
	mewz_plat_exit(0);
}
