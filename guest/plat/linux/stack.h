/*
 * stack.h - the per-thread Wasm stack (internal to guest/plat/linux).
 *
 *   high  +------------------+ <- top (16-byte aligned, entry sp)
 *         |  usable stack    |  read-write, committed on first touch
 *         +------------------+ <- guard_end
 *         |  guard region    |  PROT_NONE: a fault here is stack exhaustion
 *   low   +------------------+ <- guard_start (the mapping's start)
 */
#ifndef MEWZ_LINUX_STACK_H
#define MEWZ_LINUX_STACK_H

#include <stddef.h>
#include <stdint.h>

struct wasm_stack {
	uintptr_t guard_start, guard_end, top;
};

/* Map a stack of `bytes` plus its guard.  Returns 0 or a negative errno. */
int wasm_stack_map(struct wasm_stack *s, size_t bytes);

/* Call fn(arg) with the stack pointer at `top`; returns when fn returns. */
void wasm_stack_call(uintptr_t top, void (*fn)(void *), void *arg);

#endif /* MEWZ_LINUX_STACK_H */
