/*
 * arch.h - what guest/arch/x86_64 offers the platform (guest/plat/kvm):
 * descriptor tables, paging, the trap frame and the hooks traps call.
 */
#ifndef MEWZ_ARCH_H
#define MEWZ_ARCH_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096u

/*
 * Storage the kernel always writes before it reads (buffers, stacks):
 * kernel.ld keeps it out of the zeroed .bss and out of the loaded
 * segment, so neither QEMU's loader nor entry.S clears it at boot, and
 * only the pages actually used are ever touched.  Its contents at boot
 * are undefined.
 */
#define ARCH_NOINIT __attribute__((section(".noinit")))

/* Interrupt vectors. */
#define VEC_DE	       0
#define VEC_NMI	       2
#define VEC_UD	       6
#define VEC_DF	       8
#define VEC_GP	       13
#define VEC_PF	       14
#define VEC_MC	       18
#define VEC_TIMER      32
#define VEC_DEVICE     33 /* device interrupts routed to wake the CPU */
#define VEC_SPURIOUS   255
#define ISR_TABLE_SIZE 34

/* Pushed by isr.S, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* cpu.c: let compiled code use AVX when the CPU has it. */
void arch_cpu_init(void);

/* desc.c: final GDT, TSS with IST stacks, IDT; then load them. */
void arch_desc_init(void);

/* paging.c */
/* Physical frame source for page tables (and nothing else). */
typedef uint64_t (*frame_alloc_fn)(void);
void arch_paging_init(frame_alloc_fn alloc);
/*
 * Map the 4 KiB page at virtual va to physical pa, writable, not
 * executable.  Returns 0 or -1 when a page-table frame cannot be had.
 */
int arch_map_page(uint64_t va, uint64_t pa);
/* Unmap page 0, so kernel NULL dereferences fault. */
void arch_unmap_null_page(void);

/* entry.S */
_Noreturn void arch_run_on_stack(uintptr_t top, void (*fn)(void));

/* trap.c calls these; the platform defines them. */
/* A page fault at addr: return 1 if resolved (retry), else it does not return.
 */
int plat_page_fault(uint64_t addr, struct trap_frame *f);
void plat_timer_interrupt(void);
void plat_device_interrupt(void);
/* Any other exception: report and end.  Never returns. */
_Noreturn void plat_fatal_exception(struct trap_frame *f, uint64_t cr2);

/* CPU feature bits used by the platform. */
int arch_has_rdrand(void);
int arch_has_rdseed(void);

#endif /* MEWZ_ARCH_H */
