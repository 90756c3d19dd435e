/*
 * wait.c - how the program waits for the network.
 *
 * virtio-net runs with device interrupts suppressed (the driver's header
 * says why), so a halted CPU notices a frame only at its next timer
 * wake-up.  The trade-off: while frames keep moving we poll without
 * halting (a request/response exchange answers in microseconds, not a
 * tick); once the network has been idle for NET_SPIN_NS we halt in ticks
 * of NET_TICK_NS, and after NET_LONG_IDLE_NS of silence in ticks of
 * NET_LONG_TICK_NS, always bounded by the caller's deadline and lwIP's
 * next timer.  A busy server never waits for a tick; an idle one costs a
 * short wake-up every few milliseconds, not a spinning CPU; the first
 * frame after a long silence waits NET_LONG_TICK_NS at worst.
 */
#include <mewz/plat.h>

#include "lwip/timeouts.h"
#include "net.h"

#define NET_SPIN_NS	 2000000ull   /* poll this long after the last frame */
#define NET_TICK_NS	 1000000ull   /* then halt this long at a time */
#define NET_LONG_IDLE_NS 100000000ull /* after this much silence ... */
#define NET_LONG_TICK_NS 5000000ull   /* ... this long at a time */

void net_wait(uint64_t deadline_ns)
{
	uint64_t now = mewz_plat_monotonic_ns();
	uint64_t idle, until, timer;

	net_poll();
	net_flush(); /* nothing may wait in the ring while we do */
	if (now >= deadline_ns)
		return;
	idle = now > net_last_activity_ns ? now - net_last_activity_ns : 0;
	if (idle < NET_SPIN_NS) {
		mewz_plat_yield();
		return;
	}
	until = now + (idle < NET_LONG_IDLE_NS ? NET_TICK_NS : NET_LONG_TICK_NS);
	timer = now + (uint64_t)sys_timeouts_sleeptime() * 1000000ull;
	if (timer < until)
		until = timer;
	if (deadline_ns < until)
		until = deadline_ns;
	mewz_plat_block_until(until);
}
