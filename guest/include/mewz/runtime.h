/*
 * mewz/runtime.h - what the platform-neutral runtime (guest/wasi) offers a
 * platform: bring-up, running the program, and reporting its endings.
 * A platform's entry calls mewz_runtime_init, sets __wasm_memory_base to
 * its reservation, then calls mewz_runtime_run.
 */
#ifndef MEWZ_RUNTIME_H
#define MEWZ_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/* Defined by the runtime (abi.h: "Provided by the runtime"). */
extern uint8_t *__wasm_memory_base;
extern uint64_t __wasm_memory_size;

/* Empty fd table with the console on fds 0-2. */
void mewz_runtime_init(void);

/*
 * Size the linear memory to the module's initial pages, instantiate
 * (__wasm_init), call the exported _start and exit 0 if it returns.  A
 * module whose initial memory exceeds mewz_plat_memory_limit() ends with
 * MEWZ_EXIT_PANIC and a reason saying how much it needs.
 */
_Noreturn void mewz_runtime_run(void);

/*
 * Report a Wasm trap as "mewz: trap: <reason> in <function>" on stderr and
 * exit with MEWZ_EXIT_TRAP.  pc is an address inside the trapping function
 * (a return address or the faulting instruction).  Fault handlers call it
 * for out-of-bounds accesses and stack exhaustion.
 */
_Noreturn void mewz_trap_report(uint32_t code, uintptr_t pc);

/*
 * Print "mewz: <what>: <msg>" on stderr and exit with status: the one way
 * the runtime and platforms end with a reason line.
 */
_Noreturn void mewz_fatal(int status, const char *what, const char *msg);

/*
 * A fixed buffer for composing reason lines without malloc or printf, so
 * fault paths can use it.  Appends truncate silently at cap.
 */
struct mewz_line {
	char buf[160];
	size_t len;
};
void mewz_line_str(struct mewz_line *l, const char *s);
void mewz_line_dec(struct mewz_line *l, uint64_t v);
void mewz_line_hex(struct mewz_line *l, uint64_t v);
/* Write the line plus '\n' to stderr. */
void mewz_line_emit(struct mewz_line *l);

#endif /* MEWZ_RUNTIME_H */
