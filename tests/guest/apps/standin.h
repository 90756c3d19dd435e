/*
 * standin.h - what a module compiled by mewzc looks like to the runtime
 * (compiler/include/mewz/abi.h), written by hand in C: the memory
 * constants, __wasm_init, __wasm_export._start, and WASI imports as
 * undefined symbols with their import names.  Guest "pointers" are i32
 * offsets into linear memory, exactly as compiled code passes them.
 */
#ifndef MEWZ_STANDIN_H
#define MEWZ_STANDIN_H

#include <stdint.h>

#include <mewz/abi.h>

#define WASI(name) __asm__("wasi_snapshot_preview1." #name)

int32_t wasi_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t nwritten)
    WASI(fd_write);
int32_t wasi_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t nread)
    WASI(fd_read);
int32_t wasi_args_sizes_get(int32_t argc, int32_t size) WASI(args_sizes_get);
int32_t wasi_args_get(int32_t argv, int32_t buf) WASI(args_get);
int32_t wasi_environ_sizes_get(int32_t envc, int32_t size)
    WASI(environ_sizes_get);
int32_t wasi_environ_get(int32_t envp, int32_t buf) WASI(environ_get);
int32_t wasi_clock_time_get(int32_t id, int64_t precision, int32_t time)
    WASI(clock_time_get);
int32_t wasi_clock_res_get(int32_t id, int32_t res) WASI(clock_res_get);
int32_t wasi_random_get(int32_t buf, int32_t len) WASI(random_get);
int32_t wasi_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t nevents)
    WASI(poll_oneoff);
int32_t wasi_fd_fdstat_get(int32_t fd, int32_t stat) WASI(fd_fdstat_get);
int32_t wasi_fd_prestat_get(int32_t fd, int32_t stat) WASI(fd_prestat_get);
int32_t wasi_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t,
		       int64_t, int32_t, int32_t) WASI(path_open);
int32_t wasi_proc_raise(int32_t sig) WASI(proc_raise);
int32_t wasi_fd_seek(int32_t fd, int64_t off, int32_t whence, int32_t newoff)
    WASI(fd_seek);
int32_t wasi_fd_renumber(int32_t from, int32_t to) WASI(fd_renumber);
int32_t wasi_fd_close(int32_t fd) WASI(fd_close);
_Noreturn void wasi_proc_exit(int32_t code) WASI(proc_exit);

extern uint8_t *__wasm_memory_base;
extern uint64_t __wasm_memory_size;
int32_t __wasm_memory_grow(uint32_t delta);
_Noreturn void __wasm_trap(uint32_t code);

/* Linear memory at a guest address. */
#define MEM(addr) (__wasm_memory_base + (uint32_t)(addr))

#endif /* MEWZ_STANDIN_H */
