/*
 * layout.h - the virtual address map of the unikernel.
 *
 *   0 .. 4 GiB          identity map (2 MiB pages; page 0 unmapped): the
 *                       kernel image at 1 MiB, boot data, MMIO at the top
 *   LINEAR_BASE         Wasm linear memory: MEWZ_GUARD_RESERVATION bytes
 *                       reserved, pages committed on first touch below
 *                       __wasm_memory_size; any other fault there is the
 *                       out-of-bounds trap
 *   STACK_TOP - 1 GiB   stack guard: a fault here is stack exhaustion
 *   STACK_TOP - stack size .. STACK_TOP
 *                       the one kernel/program stack, committed on touch
 *   HEAP_BASE           newlib's heap (sbrk), committed on touch
 *
 * The high regions sit in their own PML4 slots, far from each other, so
 * no access that starts in one region can reach another.
 */
#ifndef MEWZ_KVM_LAYOUT_H
#define MEWZ_KVM_LAYOUT_H

#define LINEAR_BASE 0x0000100000000000ull
#define STACK_TOP   0x0000200000000000ull
/* Default and bounds of the stack size (kernel option stack=SIZE). */
#define STACK_SIZE_DEFAULT (1ull << 20)
#define STACK_SIZE_MIN	   (64ull << 10)
#define STACK_SIZE_MAX	   (512ull << 20)
#define STACK_GUARD_SIZE   (1ull << 30)
#define HEAP_BASE	   0x0000300000000000ull
#define HEAP_MAX	   (1ull << 30)

/* RAM kept out of the linear memory's limit besides the stack: heap and
 * page tables. */
#define MEM_RESERVE_EXTRA (512ull << 10)

#endif /* MEWZ_KVM_LAYOUT_H */
