/*
 * devirq.h - device interrupts as wake-ups, and the timer-tick wait where
 * there is none (QEMU/KVM platform only).
 *
 * A driver that polls its queues can still let the CPU halt while it
 * waits: the platform routes the device's interrupt line to a vector whose
 * handler only records that it fired, and mewz_plat_block_until_irq
 * returns as soon as it has.  No driver code runs in interrupt context.
 */
#ifndef MEWZ_DEVIRQ_H
#define MEWZ_DEVIRQ_H

#include <stdint.h>

struct virtio_dev;

/*
 * Route dev's interrupt to wake the CPU, once its driver has set it up
 * (virtio-pci: the driver prepared it, drivers/virtio/virtio.h).  0, or
 * -ENOTSUP where the platform does not know the device's line or the
 * device cannot deliver it (the caller keeps waking on timer ticks).  The
 * device only interrupts when its driver asks it to.
 */
int mewz_plat_irq_wake(struct virtio_dev *dev);

/*
 * mewz_plat_block_until, but returning at once if a routed device
 * interrupt fired since the last return: a driver that re-enabled its
 * interrupts and found its queues empty calls this, and a frame arriving
 * between that check and the halt is not missed.
 */
void mewz_plat_block_until_irq(uint64_t deadline_ns);

/*
 * Without a routed interrupt a halted CPU notices a device only at its
 * next timer wake-up, so a polled wait (the hostcall link's vsock,
 * net=lwip where virtio-net's interrupt is not routed) spins first:
 * replies mostly come within microseconds to a few milliseconds, and
 * under TCG waking a halted vCPU costs more than that spin.  A wait that
 * lasts halts in ticks, longer ones after a long silence; the first
 * message after it waits one tick at worst.
 */
#define MEWZ_POLL_SPIN_NS      2000000ull   /* spin while idle less than this */
#define MEWZ_POLL_TICK_NS      1000000ull   /* then halt this long at a time */
#define MEWZ_POLL_LONG_IDLE_NS 100000000ull /* after this much silence ... */
#define MEWZ_POLL_LONG_TICK_NS 5000000ull   /* ... this long at a time */

/* How long a polled wait idle for idle_ns halts next; 0: keep spinning. */
static inline uint64_t mewz_poll_halt_ns(uint64_t idle_ns)
{
	if (idle_ns < MEWZ_POLL_SPIN_NS)
		return 0;
	return idle_ns < MEWZ_POLL_LONG_IDLE_NS ? MEWZ_POLL_TICK_NS
						: MEWZ_POLL_LONG_TICK_NS;
}

#endif /* MEWZ_DEVIRQ_H */
