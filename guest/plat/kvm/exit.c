/*
 * exit.c - every ending of the VM.
 *
 * The exit status travels on its own channel: an isa-debugcon at port
 * 0xea (the "status port") receives "<status>\n", then isa-debug-exit at
 * 0xf4 stops QEMU.  isa-debug-exit alone cannot carry a status: QEMU exits
 * with (value << 1) | 1, so 0 and every even status are unreachable.
 * qemu-run.sh reads the status port's file and exits with it.  Without
 * isa-debug-exit, a triple fault ends QEMU (-no-reboot).
 */
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "../../arch/x86_64/arch.h"
#include "../../arch/x86_64/cpu.h"
#include "kvm.h"

#define STATUS_PORT	0xea
#define DEBUG_EXIT_PORT 0xf4
/* How long a reason line and the exit may take before the watchdog ends it. */
#define EXIT_GRACE_NS 2000000000ull

static volatile int exiting;

int exit_in_progress(void)
{
	return exiting;
}

_Noreturn void exit_raw(int status)
{
	char num[4];
	int n = 0;
	unsigned s = (unsigned)status & 0xff;

	cli();
	if (s >= 100)
		num[n++] = (char)('0' + s / 100);
	if (s >= 10)
		num[n++] = (char)('0' + s / 10 % 10);
	num[n++] = (char)('0' + s % 10);
	num[n++] = '\n';
	for (int i = 0; i < n; i++)
		outb(STATUS_PORT, (uint8_t)num[i]);
	outl(DEBUG_EXIT_PORT, s);
	/* Still here: no isa-debug-exit.  Triple fault. */
	{
		struct {
			uint16_t limit;
			uint64_t base;
		} __attribute__((packed)) null_idt = {0, 0};
		__asm__ volatile("lidt %0; int3" : : "m"(null_idt));
	}
	for (;;)
		__asm__ volatile("hlt");
}

_Noreturn void mewz_plat_exit(int status)
{
	if (exiting)
		exit_raw(status);
	exiting = 1;
	if (args_list_devices()) {
		struct mewz_line l = {.len = 0};

		mewz_line_str(&l, "mewz: device interrupts: ");
		mewz_line_dec(&l, irq_count());
		mewz_line_emit(&l);
	}
	/* Only if time is already set up: calibrating now would delay every
	 * exit, and the host-side timeout covers a VM without a timer. */
	if (timer_ready())
		watchdog_arm(mewz_plat_monotonic_ns() + EXIT_GRACE_NS);
	exit_raw(status);
}

static const char *exception_name(uint64_t vec)
{
	static const char *const names[] = {
	    "divide error",
	    "debug",
	    "NMI",
	    "breakpoint",
	    "overflow",
	    "bound range",
	    "invalid opcode",
	    "device not available",
	    "double fault",
	    "coprocessor overrun",
	    "invalid TSS",
	    "segment not present",
	    "stack fault",
	    "general protection fault",
	    "page fault",
	    "reserved",
	    "x87 floating-point error",
	    "alignment check",
	    "machine check",
	    "SIMD floating-point error",
	    "virtualization exception",
	    "control protection",
	};

	return vec < sizeof(names) / sizeof(names[0]) ? names[vec]
						      : "exception";
}

_Noreturn void plat_fatal_exception(struct trap_frame *f, uint64_t cr2)
{
	static volatile int depth;
	struct mewz_line l = {.len = 0};
	uintptr_t off;
	const char *fn;

	/* A fault while reporting a fault: no more reporting, just end. */
	if (depth++ > 0 || exiting)
		exit_raw(MEWZ_EXIT_PANIC);
	if (args_inject("panic-fault"))
		inject_fault();
	fn = mewz_plat_symbolize(f->rip, &off);
	mewz_line_str(&l, "mewz: panic: ");
	mewz_line_str(&l, exception_name(f->vector));
	mewz_line_str(&l, " in ");
	if (fn) {
		mewz_line_str(&l, fn);
		mewz_line_str(&l, "+");
		mewz_line_hex(&l, off);
	} else {
		mewz_line_hex(&l, f->rip);
	}
	mewz_line_str(&l, " (error ");
	mewz_line_hex(&l, f->error);
	if (f->vector == VEC_PF) {
		mewz_line_str(&l, ", address ");
		mewz_line_hex(&l, cr2);
	}
	mewz_line_str(&l, ")");
	mewz_line_emit(&l);
	mewz_plat_exit(MEWZ_EXIT_PANIC);
}
