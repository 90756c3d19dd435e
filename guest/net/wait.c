/*
 * wait.c - how the program waits for the network.
 *
 * virtio-net runs with device interrupts suppressed (the driver's header
 * says why), so a halted CPU notices a frame only at its next timer
 * wake-up.  The trade-off: while frames keep moving we poll without
 * halting (a request/response exchange answers in microseconds, not a
 * tick); once the network has been idle for NET_SPIN_NS we halt in ticks
 * of NET_TICK_NS, bounded by the caller's deadline and lwIP's next timer.
 * An idle server therefore costs one short wake-up per tick, not a
 * spinning CPU.
 */
#include <mewz/plat.h>

#include "lwip/timeouts.h"
#include "net.h"

#define NET_SPIN_NS 2000000ull /* poll this long after the last frame */
#define NET_TICK_NS 1000000ull /* then halt this long at a time */

static uint64_t last_activity;

void net_wait(uint64_t deadline_ns)
{
	uint64_t now = mewz_plat_monotonic_ns();
	uint64_t until, timer;

	if (net_poll())
		last_activity = now;
	if (now >= deadline_ns)
		return;
	if (now - last_activity < NET_SPIN_NS) {
		mewz_plat_yield();
		return;
	}
	until = now + NET_TICK_NS;
	timer = now + (uint64_t)sys_timeouts_sleeptime() * 1000000ull;
	if (timer < until)
		until = timer;
	if (deadline_ns < until)
		until = deadline_ns;
	mewz_plat_block_until(until);
}
