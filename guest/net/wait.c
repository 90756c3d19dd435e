/*
 * wait.c - how the program waits for the network.
 *
 * While frames keep moving we poll without halting: a request/response
 * exchange answers in microseconds, and under TCG waking a halted vCPU
 * costs more than a short spin.  Once the network has been idle for a
 * moment the CPU halts, so an idle server leaves the host's CPUs to
 * others.  How it is woken depends on the platform:
 *   - the device's receive interrupt is routed (mewz/devirq.h: microvm's
 *     IOAPIC line, MSI-X on q35): interrupts are turned on for the halt
 *     only, and the first frame ends it; otherwise it lasts until the
 *     caller's deadline or lwIP's next timer.  Spin NET_SPIN_IRQ_NS first.
 *   - not routed (a virtio-pci device without MSI-X, or one that
 *     refused the vector): a halted CPU notices a frame only at its next
 *     timer wake-up, so wait as every polled wait does (mewz_poll_halt_ns:
 *     spin, then halt in ticks, longer ones after a long silence), always
 *     bounded by the deadline and lwIP's timers.
 */
#include <mewz/devirq.h>
#include <mewz/plat.h>

#include "lwip/timeouts.h"
#include "net.h"

#define NET_SPIN_IRQ_NS 50000ull /* with the interrupt: spin this long */

/* Halt until a frame arrives or `until`, whichever comes first. */
static void halt_for_rx(uint64_t until)
{
	if (!net_rx_wake(1))
		mewz_plat_block_until_irq(until);
	net_rx_wake(0);
}

void net_wait(uint64_t deadline_ns)
{
	uint64_t now = mewz_plat_monotonic_ns();
	uint64_t idle, until, timer, spin, halt;
	int irq = net_can_halt_for_rx();

	net_poll();
	net_flush(); /* nothing may wait in the ring while we do */
	if (now >= deadline_ns)
		return;
	idle = now > net_last_activity_ns ? now - net_last_activity_ns : 0;
	spin = irq ? NET_SPIN_IRQ_NS : MEWZ_POLL_SPIN_NS;
	/* No PAUSE (mewz_plat_yield) in this spin: under TCG it leaves the
	 * translated code and takes QEMU's big lock, which the main loop
	 * needs to move our frames. */
	if (idle < spin || net_loop_pending())
		return;
	timer = now + (uint64_t)sys_timeouts_sleeptime() * 1000000ull;
	until = deadline_ns < timer ? deadline_ns : timer;
	if (irq) {
		halt_for_rx(until);
		return;
	}
	halt = mewz_poll_halt_ns(idle);
	if (now + halt < until)
		until = now + halt;
	mewz_plat_block_until(until);
}
