/*
 * stack.c - the Wasm stack: a mapping with a PROT_NONE guard below it, and
 * the few instructions that switch to it (C cannot set the stack pointer).
 */
#include <errno.h>
#include <sys/mman.h>

#include "stack.h"

/*
 * Compiled functions probe every page of their frames, so one guard page
 * would do; 1 MiB also absorbs a host helper's frame that skips probing.
 */
#define GUARD_BYTES ((size_t)1 << 20)

int wasm_stack_map(struct wasm_stack *s, size_t bytes)
{
	size_t total;
	void *p;

	bytes = (bytes + 4095) & ~(size_t)4095;
	total = bytes + GUARD_BYTES;
	p = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (mprotect((char *)p + GUARD_BYTES, bytes, PROT_READ | PROT_WRITE)) {
		int e = errno;
		munmap(p, total);
		return -e;
	}
	s->guard_start = (uintptr_t)p;
	s->guard_end = (uintptr_t)p + GUARD_BYTES;
	s->top = (uintptr_t)p + total;
	return 0;
}

/*
 * wasm_stack_call(top=%rdi, fn=%rsi, arg=%rdx): keep the caller's frame in
 * %rbp (callee-saved, so fn preserves it), move %rsp to top, call, restore.
 * The CFI lets debuggers unwind from Wasm frames back to the caller.
 */
__asm__(".text\n"
	".globl wasm_stack_call\n"
	".hidden wasm_stack_call\n"
	".type wasm_stack_call,@function\n"
	"wasm_stack_call:\n"
	"	.cfi_startproc\n"
	"	pushq %rbp\n"
	"	.cfi_def_cfa_offset 16\n"
	"	.cfi_offset %rbp, -16\n"
	"	movq %rsp, %rbp\n"
	"	.cfi_def_cfa_register %rbp\n"
	"	movq %rdi, %rsp\n"
	"	movq %rdx, %rdi\n"
	"	callq *%rsi\n"
	"	movq %rbp, %rsp\n"
	"	popq %rbp\n"
	"	.cfi_def_cfa %rsp, 8\n"
	"	retq\n"
	"	.cfi_endproc\n"
	".size wasm_stack_call, .-wasm_stack_call\n");
