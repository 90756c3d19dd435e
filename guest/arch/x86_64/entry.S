/*
 * entry.S - from the PVH entry point (32-bit protected mode, paging off,
 * %ebx = physical address of the hvm_start_info) to C in long mode.
 *
 * Only what C cannot do is here: identity-map the first 4 GiB with 2 MiB
 * pages, enable PAE, long mode, paging and SSE, load a boot GDT, and call
 * kvm_boot(start_info) on the boot stack.  desc.c later replaces the GDT
 * and paging.c refines the page tables.
 */

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_PS 0x80

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)

/* XEN_ELFNOTE_PHYS32_ENTRY: QEMU's -kernel loader looks for this note. */
	.section .note.Xen, "a"
	.p2align 2
	.long 4          /* namesz */
	.long 4          /* descsz */
	.long 18         /* type: XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long pvh_start  /* desc: 32-bit physical entry */

	.section .text.boot, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	/* Zero .bss first: the loader may not, and the page tables live there.
	 * %ebx (start_info) survives; rep stosl uses edi, ecx, eax.  Both ends
	 * are page-aligned (kernel.ld), and dwords are 4x fewer iterations
	 * than bytes, which matters under TCG. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl %ebx, boot_start_info
	movl $boot_stack_top, %esp

	/* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories. */
	movl $boot_pdpt, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, boot_pml4
	movl $boot_pd, %eax
	orl $(PTE_P | PTE_W), %eax
	xorl %ecx, %ecx
1:	movl %eax, boot_pdpt(, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jne 1b

	/* 2048 large pages cover 0..4 GiB; the top GiB (MMIO) is uncached. */
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	cmpl $1536, %ecx
	jb 3f
	orl $(PTE_PCD | PTE_PWT), %eax
3:	movl %eax, boot_pd(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 2b

	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PE | CR0_MP | CR0_PG), %eax
	movl %eax, %cr0

	lgdt boot_gdt_desc
	ljmp $0x08, $long_entry

	.code64
long_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	movl boot_start_info(%rip), %edi
	call kvm_boot
4:	cli
	hlt
	jmp 4b

/* Switch to the stack whose top is %rdi and call %rsi; never returns. */
	.text
	.globl arch_run_on_stack
arch_run_on_stack:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	call *%rsi
5:	cli
	hlt
	jmp 5b

	.section .rodata
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x008f92000000ffff /* 0x10: data, D/B clear as in desc.c */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.data
	.p2align 2
boot_start_info:
	.long 0

	.bss
	.p2align 12
	.globl boot_pml4
boot_pml4:
	.space 4096
boot_pdpt:
	.space 4096
	.globl boot_pd
boot_pd:
	.space 4 * 4096
	/* The boot stack need not be zero (ARCH_NOINIT in arch.h). */
	.section .noinit, "aw", @nobits
	.p2align 4
boot_stack:
	.space 16384
boot_stack_top:
