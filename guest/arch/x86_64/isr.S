/*
 * isr.S - interrupt and exception entry stubs.  Every vector pushes the
 * same frame (struct trap_frame in arch.h): general registers, vector,
 * error code (0 when the CPU pushes none), then the CPU's iret frame.
 * The SSE state is saved too: the handlers are C that may use SSE, and the
 * interrupted code (compiled Wasm) certainly does.
 */
	.text

.macro ISR_NOERR v
	.p2align 4
isr_\v:
	pushq $0
	pushq $\v
	jmp isr_common
.endm

.macro ISR_ERR v
	.p2align 4
isr_\v:
	pushq $\v
	jmp isr_common
.endm

/* Vectors whose exceptions push an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31
ISR_NOERR 32
ISR_NOERR 33
ISR_NOERR 255

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rbp
	subq $512, %rsp
	andq $-16, %rsp
	fxsave (%rsp)
	movq %rbp, %rdi
	cld
	call arch_trap
	fxrstor (%rsp)
	movq %rbp, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

/* Stub addresses by vector; 0 where no stub exists. */
	.section .rodata
	.p2align 3
	.globl isr_table
isr_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33
	.quad isr_\v
	.endr
	.globl isr_spurious
isr_spurious:
	.quad isr_255
