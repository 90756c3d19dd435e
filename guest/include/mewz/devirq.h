/*
 * devirq.h - device interrupts as wake-ups (QEMU/KVM platform only).
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
 * Route dev's interrupt to wake the CPU.  0, or -ENOTSUP where the
 * platform does not know the device's line (the caller keeps waking on
 * timer ticks).  The device only interrupts when its driver asks it to.
 */
int mewz_plat_irq_wake(const struct virtio_dev *dev);

/*
 * mewz_plat_block_until, but returning at once if a routed device
 * interrupt fired since the last return: a driver that re-enabled its
 * interrupts and found its queues empty calls this, and a frame arriving
 * between that check and the halt is not missed.
 */
void mewz_plat_block_until_irq(uint64_t deadline_ns);

#endif /* MEWZ_DEVIRQ_H */
