/*
 * timer.c - the LAPIC timer in one-shot mode, shared by two users: the
 * wake-up deadline of mewz_plat_block_until and the watchdog.  It is
 * armed for the earlier of the two and silent otherwise (no periodic
 * tick).  Its rate is calibrated against the TSC at boot.
 */
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "../../arch/x86_64/arch.h"
#include "../../arch/x86_64/cpu.h"
#include "kvm.h"

#define MSR_APIC_BASE  0x1b
#define APIC_EOI       0xb0
#define APIC_SVR       0xf0
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_ICR 0x380
#define APIC_TIMER_CCR 0x390
#define APIC_TIMER_DCR 0x3e0
#define APIC_MASKED    (1u << 16)

/* How long block_until sleeps at most when stdin is the serial line, so
 * input is noticed (the UART is polled, its interrupt is not routed). */
#define POLL_TICK_NS 10000000ull

static volatile uint32_t *lapic;
/* ticks = ns * ns_to_ticks >> 32 (no 128-bit division at run time) */
static uint64_t ns_to_ticks;
static volatile uint64_t wake_deadline = UINT64_MAX;
static volatile uint64_t watchdog_deadline = UINT64_MAX;

static uint32_t lapic_read(uint32_t reg)
{
	return lapic[reg / 4];
}
static void lapic_write(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

int timer_ready(void)
{
	return lapic != NULL;
}

/* Enable the LAPIC and measure its timer; on first use (it needs the
 * calibrated TSC, which costs milliseconds hello should not pay). */
static void timer_setup(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint64_t t0, wait;
	uint32_t left;

	wrmsr(MSR_APIC_BASE, base | (1u << 11)); /* globally enabled */
	lapic = (volatile uint32_t *)(uintptr_t)(base & 0xfffff000u);
	lapic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	lapic_write(APIC_LVT_LINT0, APIC_MASKED);
	lapic_write(APIC_LVT_ERROR, APIC_MASKED);
	lapic_write(APIC_TIMER_DCR, 0x3);	/* divide by 16 */
	lapic_write(APIC_LVT_TIMER, VEC_TIMER); /* one-shot */
	/* Count down for 1 ms of TSC time (interrupts are off here). */
	lapic_write(APIC_TIMER_ICR, 0xffffffffu);
	t0 = rdtsc();
	wait = clock_tsc_hz() / 1000;
	while (rdtsc() - t0 < wait)
		pause();
	left = lapic_read(APIC_TIMER_CCR);
	lapic_write(APIC_TIMER_ICR, 0);
	{
		uint64_t hz = (uint64_t)(0xffffffffu - left) * clock_tsc_hz() /
			      (rdtsc() - t0);

		if (!hz)
			hz = 1000000;
		ns_to_ticks = (hz << 32) / 1000000000u;
	}
}

/* Program the one-shot for the earlier deadline.  Interrupts must be off. */
static void timer_program(void)
{
	uint64_t next = wake_deadline < watchdog_deadline ? wake_deadline
							  : watchdog_deadline;
	uint64_t now, ticks;

	if (!lapic)
		timer_setup();
	if (next == UINT64_MAX) {
		lapic_write(APIC_TIMER_ICR, 0);
		return;
	}
	now = mewz_plat_monotonic_ns();
	ticks =
	    next > now
		? (uint64_t)(((unsigned __int128)(next - now) * ns_to_ticks) >>
			     32)
		: 0;
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu; /* re-armed from the interrupt */
	lapic_write(APIC_TIMER_ICR, (uint32_t)ticks);
}

/* The LAPIC on, for irq.c: it must accept interrupts before an IOAPIC
 * pin is routed to it. */
void lapic_enable(void)
{
	uint64_t flags = irq_save();

	if (!lapic)
		timer_setup();
	irq_restore(flags);
}

uint32_t lapic_id(void)
{
	return lapic_read(0x20) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

void timer_wake_at(uint64_t deadline_ns)
{
	wake_deadline = deadline_ns;
	timer_program();
}

void watchdog_arm(uint64_t deadline_ns)
{
	uint64_t flags = irq_save();

	watchdog_deadline = deadline_ns;
	timer_program();
	irq_restore(flags);
}

/* Interrupt context (IST4, interrupts off). */
void plat_timer_interrupt(void)
{
	uint64_t now = mewz_plat_monotonic_ns();

	lapic_write(APIC_EOI, 0);
	if (now >= watchdog_deadline) {
		watchdog_deadline = UINT64_MAX;
		if (exit_in_progress())
			exit_raw(MEWZ_EXIT_WATCHDOG);
		mewz_fatal(MEWZ_EXIT_WATCHDOG, "watchdog",
			   "the program ran past its time limit");
	}
	if (now >= wake_deadline)
		wake_deadline = UINT64_MAX;
	timer_program();
}

void mewz_plat_block_until(uint64_t deadline_ns)
{
	uint64_t now;

	cli();
	now = mewz_plat_monotonic_ns();
	if (now >= deadline_ns) {
		sti();
		return;
	}
	if (args_stdin_serial() && deadline_ns - now > POLL_TICK_NS)
		deadline_ns = now + POLL_TICK_NS;
	timer_wake_at(deadline_ns);
	sti_hlt();
}

void mewz_plat_yield(void)
{
	pause();
}
