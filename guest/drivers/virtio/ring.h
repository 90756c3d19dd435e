/*
 * ring.h - split virtqueues (virtio 1.x, 2.7).
 *
 * Buffers enter with an opaque cookie that comes back when the device has
 * used them.  The driver keeps shadow copies of everything it wrote (the
 * descriptor chain links, the avail index) and checks every id and length
 * the device returns; a device that breaks the rules marks the queue
 * broken, after which every call fails with -EIO instead of trusting it.
 *
 * Return values: 0 or a count on success; -ENOSPC when the ring is full;
 * -EIO when the queue is broken; -EINVAL for bad arguments.
 * Not reentrant: callers serialise (interrupt handlers do not touch rings).
 */
#ifndef MEWZ_VIRTIO_RING_H
#define MEWZ_VIRTIO_RING_H

#include <stddef.h>
#include <stdint.h>

#include "virtio.h"

#define VIRTQ_MAX_SIZE 256

/* avail->flags: the driver polls, the device need not interrupt (2.7.7). */
#define VRING_AVAIL_F_NO_INTERRUPT 1u
/* used->flags: the device will look at the queue on its own (2.7.10). */
#define VRING_USED_F_NO_NOTIFY 1u

/* One element of a buffer chain: guest-physical address and length. */
struct virtq_buf {
	uint64_t addr;
	uint32_t len;
};

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq {
	struct virtio_dev *dev;
	uint16_t index, size;
	struct vring_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[size] */
	volatile uint8_t *used;	  /* flags, idx, {id, len}[size] */
	/* Shadow state: what we wrote, never re-read from shared memory. */
	uint16_t free_head, num_free, avail_idx, last_used;
	uint16_t next[VIRTQ_MAX_SIZE];
	uint16_t chain_len[VIRTQ_MAX_SIZE];
	uint32_t chain_in[VIRTQ_MAX_SIZE]; /* device-writable bytes offered */
	void *cookie[VIRTQ_MAX_SIZE];
	int broken;
};

/* Bytes of ring memory (page-aligned, zeroed, below 4 GiB) a queue needs. */
size_t virtq_mem_size(uint16_t size);

/*
 * Lay out queue `index` of dev in mem (virtq_mem_size(size) bytes,
 * identity-mapped) and enable it.  size must be a power of two no larger
 * than VIRTQ_MAX_SIZE or the device's maximum.
 */
int virtq_init(struct virtq *q, struct virtio_dev *dev, uint16_t index,
	       uint16_t size, void *mem);

/* Post out_n device-readable then in_n device-writable buffers as one chain. */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, size_t out_n,
	      size_t in_n, void *cookie);

/* Tell the device new buffers are available. */
void virtq_kick(struct virtq *q);

/*
 * virtq_kick, unless the device set VRING_USED_F_NO_NOTIFY: a notification
 * is an exit to the hypervisor, and a device busy with the queue picks up
 * new entries on its own.  The fence orders our avail index store before
 * the flag load (the device fences the other way), so a kick the device
 * needs is never skipped; a stale flag costs at most one extra kick.
 */
void virtq_kick_if_needed(struct virtq *q);

/*
 * The cookie of the next used chain and the bytes the device wrote, or
 * NULL if none is ready (or the queue is broken: check q->broken).
 */
void *virtq_get_used(struct virtq *q, uint32_t *len);

/* Non-zero if the device has used a chain we have not collected yet. */
int virtq_has_used(const struct virtq *q);

#endif /* MEWZ_VIRTIO_RING_H */
