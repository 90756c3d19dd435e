/*
 * minimal.S - the smallest PVH kernel that does what hello does: print a
 * line on COM1 and exit through the same status port and isa-debug-exit
 * as the Mewz kernel, so both run under the identical QEMU line.  It stays
 * in 32-bit protected mode: no paging, no long mode, no calibration.
 */
	.section .note.Xen, "a"
	.p2align 2
	.long 4, 4, 18          /* namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long start

	.text
	.code32
	.globl start
start:
	movl $msg, %esi
1:	movb (%esi), %al
	testb %al, %al
	jz 3f
	movw $0x3fd, %dx        /* wait for THR empty */
2:	inb %dx, %al
	testb $0x20, %al
	jz 2b
	movb (%esi), %al
	movw $0x3f8, %dx
	outb %al, %dx
	incl %esi
	jmp 1b
3:	movw $0xea, %dx         /* status "0\n" */
	movb $'0', %al
	outb %al, %dx
	movb $'\n', %al
	outb %al, %dx
	movw $0xf4, %dx         /* isa-debug-exit */
	xorl %eax, %eax
	outl %eax, %dx
4:	hlt
	jmp 4b

msg:	.asciz "Hello, world!\n"
