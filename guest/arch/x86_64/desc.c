/*
 * desc.c - GDT, TSS and IDT.
 *
 *   GDT: 0x00 null | 0x08 kernel code (64-bit) | 0x10 kernel data | 0x18 TSS
 * (16 bytes)
 *                                                                      |
 *   TSS.IST[1..4] ------------------------------------------------------+
 *     IST1  #PF          page faults commit lazy memory and detect the
 *                        stack guard, so they cannot use the faulting stack
 *     IST2  #DF, fatal   a double fault or any fatal exception ends the run
 *           exceptions   from a known-good stack
 *     IST3  NMI, #MC     may arrive at any instruction
 *     IST4  interrupts   the timer: interrupt frames never land on the
 *                        program's stack (no red-zone assumptions, and no
 *                        fault while pushing on a not yet committed page)
 *
 * Everything runs in ring 0, so RSP0 is unused.
 */
#include <string.h>

#include "arch.h"

#define IST_STACK_SIZE 16384

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_entry {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t isr_table[ISR_TABLE_SIZE];
extern const uint64_t isr_spurious;

static uint64_t gdt[5];
static struct tss tss;
static struct idt_entry idt[256];
static uint8_t ist_stacks[4][IST_STACK_SIZE] ARCH_NOINIT __attribute__((aligned(16)));

static void set_gate(int vec, uint64_t handler, int ist)
{
	struct idt_entry *e = &idt[vec];

	e->offset_lo = (uint16_t)handler;
	e->selector = 0x08;
	e->ist = (uint8_t)ist;
	e->type_attr =
	    0x8e; /* present, DPL 0, 64-bit interrupt gate (IF cleared) */
	e->offset_mid = (uint16_t)(handler >> 16);
	e->offset_hi = (uint32_t)(handler >> 32);
	e->reserved = 0;
}

static int ist_for(int vec)
{
	switch (vec) {
	case VEC_PF:
		return 1;
	case VEC_NMI:
	case VEC_MC:
		return 3;
	}
	return vec >= 32 ? 4 : 2;
}

static void gdt_init(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull; /* code: L=1, P, DPL0 */
	/* Data, with D/B clear: long mode ignores it for SS, but QEMU's TCG
	 * keys translations on it, and an interrupt entry loads a null SS
	 * (D/B clear) while iretq reloads this one; with D/B set here, code
	 * run both in and out of a handler would be translated twice. */
	gdt[2] = 0x008f92000000ffffull;
	gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[4] = base >> 32;
}

void arch_desc_init(void)
{
	struct desc_ptr gp = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
	struct desc_ptr ip = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	int i;

	memset(&tss, 0, sizeof(tss));
	for (i = 0; i < 4; i++)
		tss.ist[i] =
		    (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss);
	gdt_init();
	for (i = 0; i < ISR_TABLE_SIZE; i++)
		set_gate(i, isr_table[i], ist_for(i));
	set_gate(VEC_SPURIOUS, isr_spurious, 4);

	__asm__ volatile("lgdt %0" : : "m"(gp));
	/* Reload CS through a far return, then the data segments. */
	__asm__ volatile("pushq $0x08\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw $0x10, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 :
			 :
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(0x18));
	__asm__ volatile("lidt %0" : : "m"(ip));
}
