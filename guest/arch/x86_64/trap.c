/*
 * trap.c - the C side of every vector: page faults, the timer and device
 * interrupts go to the platform; every other exception is fatal.  A fault taken
 * while a fault is being handled ends the VM at once instead of recursing.
 */
#include "arch.h"
#include "cpu.h"

static volatile int fault_depth;

void arch_trap(struct trap_frame *f);
void arch_trap(struct trap_frame *f)
{
	if (f->vector == VEC_TIMER) {
		plat_timer_interrupt();
		return;
	}
	if (f->vector == VEC_DEVICE) {
		plat_device_interrupt();
		return;
	}
	if (f->vector == VEC_SPURIOUS)
		return;
	if (fault_depth > 0)
		plat_fatal_exception(f, read_cr2());
	fault_depth++;
	if (f->vector == VEC_PF && plat_page_fault(read_cr2(), f)) {
		fault_depth--;
		return;
	}
	plat_fatal_exception(f, read_cr2());
}

int arch_has_rdrand(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return (r[2] >> 30) & 1;
}

int arch_has_rdseed(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return 0;
	cpuid(7, 0, r);
	return (r[1] >> 18) & 1;
}
