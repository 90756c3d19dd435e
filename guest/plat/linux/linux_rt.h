/*
 * linux_rt.h - the Linux runtime core for compiled Wasm objects: linear
 * memory reservations, the Wasm stack, and traps.  Used by the native
 * program runtime (native_*.c) and by host-side test runners that load many
 * instances in one process (tests/spec).
 *
 * Memory: every linear memory owns a MEWZ_GUARD_RESERVATION of PROT_NONE
 * address space; the first `size` bytes are read-write.  A fault anywhere in
 * a reservation while Wasm code runs is MEWZ_TRAP_OOB_MEMORY.
 *
 * Stack: Wasm code runs on a dedicated per-thread stack with an unmapped
 * guard region below it; a fault in the guard is MEWZ_TRAP_STACK_EXHAUSTED.
 * The signal handler runs on its own alternate stack.
 *
 * Traps: mewz_linux_invoke() runs a function on the Wasm stack and returns
 * 0, or the trap code when __wasm_trap was called or a fault was turned into
 * a trap (control comes back by siglongjmp; the Wasm frames are abandoned).
 *
 * This core defines none of the abi.h symbols: the native program gets
 * them from guest/wasi, a test runner binds its own per instance.
 *
 * Threads: all state is per thread except the reservation registry, which
 * is written only by mewz_linux_memory_init/fini (callers serialise them)
 * and read by the signal handler.
 */
#ifndef MEWZ_LINUX_RT_H
#define MEWZ_LINUX_RT_H

#include <stddef.h>
#include <stdint.h>

#include "mewz/abi.h"

/*
 * One linear memory.  `base` and `size` are laid out first so that a runner
 * can bind __wasm_memory_base to &m->base and __wasm_memory_size to &m->size.
 */
struct mewz_linux_memory {
	uint8_t *base;       /* start of the reservation; never moves */
	uint64_t size;       /* accessible bytes, a multiple of the page size */
	uint64_t max_bytes;  /* min(module maximum, runtime limit) */
	int slot;            /* index in the reservation registry, -1 if none */
};

/*
 * Reserve the address space, make initial_pages accessible and register the
 * reservation with the fault handler.  max_pages is the module's maximum
 * (MEWZ_MAX_PAGES when it gives none); limit_bytes caps growth further.
 * Returns 0 or a negative errno (-ENOMEM when initial_pages exceed either
 * bound or the address space is exhausted).
 */
int mewz_linux_memory_init(struct mewz_linux_memory *m, uint64_t initial_pages,
			   uint64_t max_pages, uint64_t limit_bytes);

/* memory.grow: the old size in pages, or -1 (beyond a bound, or no RAM). */
int32_t mewz_linux_memory_grow(struct mewz_linux_memory *m, uint32_t delta_pages);

/* Unregister and unmap; the memory may be reused with _init afterwards. */
void mewz_linux_memory_fini(struct mewz_linux_memory *m);

/* Non-zero when addr lies in a registered reservation (signal safe). */
int mewz_linux_memory_owns(uintptr_t addr);

/*
 * table.grow for every runtime: the old size, or -1 beyond the table's
 * maximum or MEWZ_LINUX_TABLE_LIMIT elements.  New elements get `init`.
 */
#define MEWZ_LINUX_TABLE_LIMIT (1u << 24)
int32_t mewz_linux_table_grow(mewz_table_t *t, uint32_t delta, void *init);

/* Release what table growth allocated for t (the runner's own tables). */
void mewz_linux_table_free(mewz_table_t *t);

/*
 * Install the SIGSEGV/SIGBUS handler (once per process) and the calling
 * thread's alternate signal stack and Wasm stack of stack_bytes (0 for the
 * default, MEWZ_LINUX_STACK_DEFAULT).  Returns 0 or a negative errno.
 */
#define MEWZ_LINUX_STACK_DEFAULT ((size_t)8 << 20)
int mewz_linux_thread_init(size_t stack_bytes);

/* Where a trap happened: its code and the program counter, if known. */
struct mewz_linux_trap {
	uint32_t code;
	uintptr_t pc;
};

/*
 * Run fn(arg) on the Wasm stack.  Returns 0 when it returned, or the trap
 * code (also stored in *trap when trap is not NULL).  Nested calls (a host
 * function calling back into Wasm) stay on the current Wasm stack.
 */
uint32_t mewz_linux_invoke(void (*fn)(void *), void *arg, struct mewz_linux_trap *trap);

/*
 * Raise a trap from host code running under mewz_linux_invoke (what a
 * runner's __wasm_trap does).  Without an active invoke it prints the trap and
 * aborts, since nobody could catch it.
 */
_Noreturn void mewz_linux_trap_raise(uint32_t code, uintptr_t pc);

#endif /* MEWZ_LINUX_RT_H */
