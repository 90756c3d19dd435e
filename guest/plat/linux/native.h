/*
 * native.h - state shared by the files of the native program runtime
 * (native_*.c): a compiled Wasm program linked with guest/wasi and run as
 * a Linux process.
 */
#ifndef MEWZ_LINUX_NATIVE_H
#define MEWZ_LINUX_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#include "linux_rt.h"

/* The one linear memory of the program (its reservation and limit). */
extern struct mewz_linux_memory native_memory;

/* Runtime settings from MEWZ_* variables, removed from the program's environ. */
struct native_options {
	uint64_t memory_limit; /* bytes; MEWZ_MEMORY_LIMIT, default 4 GiB */
	size_t stack_bytes;    /* MEWZ_STACK_SIZE, default 8 MiB */
};
extern struct native_options native_opts;

/* Keep argv and the environment without the MEWZ_* settings. */
int native_args_init(int argc, char **argv, char **envp);

/* Monotonic clock origin, taken at start. */
void native_clock_init(void);

/*
 * Connect to mewz-host if the environment names one (MEWZ_HOST_FD: an
 * inherited connected stream socket; MEWZ_HOST_SOCKET: an AF_UNIX path)
 * and say HELLO, which installs the preopens.  0 when no host is named or
 * all went well, else a negative errno.
 */
int native_host_start(void);

#endif /* MEWZ_LINUX_NATIVE_H */
