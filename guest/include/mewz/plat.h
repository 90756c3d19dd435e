/*
 * mewz/plat.h - the contract between the platform-neutral runtime
 * (guest/wasi: WASI calls, fd table, memory.grow, table.grow, traps) and a
 * platform that hosts it.
 *
 * Two platforms implement it: guest/plat/kvm (the unikernel under QEMU) and
 * guest/plat/linux (a Linux process, for fast tests and benchmarks).  The
 * WASI layer calls nothing else, so it never sees kernel or OS details.
 *
 * Conventions: functions that can fail return 0 (or a count) on success and
 * a negative <errno.h> value on failure; the WASI layer converts errno
 * values to WASI errno once, at the ABI edge.  Times are nanoseconds.
 * Nothing here is called from interrupt or signal context unless it says so.
 */
#ifndef MEWZ_PLAT_H
#define MEWZ_PLAT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Exit statuses seen by whoever started the program (QEMU's runner or the
 * Linux parent).  A program's own status (proc_exit, or 0 when _start
 * returns) is passed through modulo 256; the runtime's own endings use
 * shell-style 128+n codes and always print a one-line reason on stderr.
 */
#define MEWZ_EXIT_SIGNAL_BASE 128 /* proc_raise(n): 128 + n */
#define MEWZ_EXIT_TRAP	      134 /* a Wasm trap: "mewz: trap: ..." (as SIGABRT) */
#define MEWZ_EXIT_PANIC	      139 /* a kernel fault or panic: "mewz: panic: ..." */
#define MEWZ_EXIT_WATCHDOG                                                     \
	142 /* the watchdog fired: "mewz: watchdog: ..." (as SIGALRM) */

/* Console streams; the numbers are the WASI fds they back. */
enum mewz_stream {
	MEWZ_STDIN = 0,
	MEWZ_STDOUT = 1,
	MEWZ_STDERR = 2,
};

/*
 * Write len bytes to stdout or stderr.  Returns the number of bytes written
 * (all of them unless the console fails) or a negative errno.  Safe to call
 * from a trap or fault path.
 */
long mewz_plat_console_write(enum mewz_stream stream, const void *buf,
			     size_t len);

/*
 * Read up to len bytes from stdin without blocking.  Returns the count
 * (> 0), 0 at end of input, or -EAGAIN when nothing is available yet.
 */
long mewz_plat_console_read(void *buf, size_t len);

/* Non-zero when a console read would not return -EAGAIN. */
int mewz_plat_console_readable(void);

/*
 * Clocks.  Monotonic time starts near 0 at boot and never goes backwards;
 * realtime is nanoseconds since 1970-01-01 UTC.  The resolutions are what
 * clock_res_get reports.
 */
uint64_t mewz_plat_monotonic_ns(void);
uint64_t mewz_plat_realtime_ns(void);
uint64_t mewz_plat_monotonic_res_ns(void);
uint64_t mewz_plat_realtime_res_ns(void);

/*
 * Block the CPU (halt, not spin) until the monotonic clock reaches
 * deadline_ns or something happens that may change the readiness of an fd
 * (an interrupt, console input).  It may return early; callers re-check.
 * UINT64_MAX means no deadline.
 */
void mewz_plat_block_until(uint64_t deadline_ns);

/* Give the CPU to other work, if the platform has any. */
void mewz_plat_yield(void);

/*
 * Fill buf with len bytes of unpredictable entropy (hardware RNG or the
 * OS).  Returns 0, or -EIO when no entropy source exists or it keeps
 * failing; the caller then must not hand out random bytes.
 */
int mewz_plat_entropy(void *buf, size_t len);

/*
 * The program's arguments and environment ("K=V" strings), NUL-terminated
 * byte strings that live for the whole run.  argv[0] is the program name.
 */
struct mewz_plat_args {
	size_t argc;
	const char *const *argv;
	size_t envc;
	const char *const *envp;
};
const struct mewz_plat_args *mewz_plat_args(void);

/*
 * Linear memory.  The platform reserves MEWZ_GUARD_RESERVATION bytes of
 * address space at __wasm_memory_base before __wasm_init runs.
 * mewz_plat_memory_limit() is the largest size in bytes the memory may grow
 * to on this platform (the VM's RAM, a --memory limit), independent of the
 * module's own maximum.  mewz_plat_memory_resize makes bytes [0, new_bytes)
 * accessible (eagerly or on first touch) and returns 0 or -ENOMEM.
 */
uint64_t mewz_plat_memory_limit(void);
int mewz_plat_memory_resize(uint64_t old_bytes, uint64_t new_bytes);

/*
 * The name of the function containing pc, or NULL if unknown.  *offset gets
 * pc minus the function's start.  Safe to call from a trap path.
 */
const char *mewz_plat_symbolize(uintptr_t pc, uintptr_t *offset);

/*
 * End the program with status (0..255 reach the runner unchanged).  Flushes
 * the console first.  Safe to call from a trap or fault path.
 */
_Noreturn void mewz_plat_exit(int status);

#endif /* MEWZ_PLAT_H */
