/*
 * native_main.c - the process entry of a native program: bring-up as a
 * list, then the platform-neutral runtime (guest/wasi) runs the program
 * on the Wasm stack.  Exit statuses are those of mewz/plat.h: the
 * program's own, 134 after a trap, 139 for a runtime failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "native.h"

struct mewz_linux_memory native_memory;
struct native_options native_opts = {
	.memory_limit = (uint64_t)MEWZ_MAX_PAGES * MEWZ_PAGE_SIZE,
	.stack_bytes = MEWZ_LINUX_STACK_DEFAULT,
};

static void run_program(void *arg)
{
	(void)arg;
	mewz_runtime_run(); /* exits through mewz_plat_exit */
}

static _Noreturn void fail(const char *what, int err)
{
	mewz_fatal(MEWZ_EXIT_PANIC, "panic", err ? strerror(-err) : what);
}

int main(int argc, char **argv, char **envp)
{
	struct mewz_linux_trap trap;
	int err;

	/* Arguments, environment and the MEWZ_* settings. */
	if (native_args_init(argc, argv, envp))
		fail("out of memory", 0);
	native_clock_init();
	/* Fault handler, alternate signal stack and the Wasm stack. */
	err = mewz_linux_thread_init(native_opts.stack_bytes);
	if (err)
		fail("Wasm stack", err);
	/* Reserve the linear memory; guest/wasi sizes it through
	 * mewz_plat_memory_resize. */
	err = mewz_linux_memory_init(&native_memory, 0, MEWZ_MAX_PAGES, native_opts.memory_limit);
	if (err)
		fail("memory reservation", err);
	__wasm_memory_base = native_memory.base;
	__wasm_memory_size = 0;
	/* Console on fds 0-2, then mewz-host's preopens from fd 3. */
	mewz_runtime_init();
	err = native_host_start();
	if (err)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic", "cannot reach mewz-host");
	/* Instantiate and run _start. */
	mewz_linux_invoke(run_program, NULL, &trap);
	/* Only a fault comes back here; __wasm_trap reports by itself. */
	mewz_trap_report(trap.code, trap.pc);
}
