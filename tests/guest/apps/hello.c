/*
 * hello.c - stand-in for hello.wasm: one data segment, one fd_write.
 */
#include "standin.h"

const uint32_t __wasm_memory_initial_pages = 1;
const uint32_t __wasm_memory_max_pages = 65536;
const uint32_t __wasm_memory_flags = MEWZ_MEMORY_PRESENT;

static const char greeting[] = "Hello, world!\n";

/* Active data segment at 1024; the iovec at 16. */
void __wasm_init(void)
{
	__builtin_memcpy(MEM(1024), greeting, sizeof(greeting) - 1);
}

void wasm_start(void) __asm__("__wasm_export._start");
void wasm_start(void)
{
	uint32_t iov[2] = {1024, sizeof(greeting) - 1};

	__builtin_memcpy(MEM(16), iov, sizeof(iov));
	if (wasi_fd_write(1, 16, 1, 32) != 0)
		wasi_proc_exit(1);
}
