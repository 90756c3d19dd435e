/*
 * The device side of a split virtqueue (virtio 1.x, 2.7), run by the
 * vhost-user backend over guest memory it has mapped.
 *
 * Everything in the ring is written by the guest, possibly while we read
 * it: each field is read once into a local and checked before use (the
 * avail index may move at most `num` past what we consumed, heads and
 * links must be below num, a chain may not be longer than num or hold a
 * device-readable buffer after a writable one, indirect descriptors are
 * not offered so they are refused, and every buffer must translate into
 * mapped memory).  A ring that breaks a rule is marked broken and not
 * touched again until it is set up anew; the daemon never trusts it.
 */
#ifndef MH_VHOST_RING_H
#define MH_VHOST_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "vhost_mem.h"

#define VHOST_RING_MAX	32768u
#define VHOST_CHAIN_MAX 16u

struct vhost_ring {
	/* Set by SET_VRING_NUM/ADDR/BASE. */
	uint32_t num;
	uint64_t desc_uva, avail_uva, used_uva;
	bool addr_set;
	/* Host pointers, valid after vhost_ring_map. */
	volatile uint8_t *desc, *avail, *used;
	uint16_t last_avail; /* next avail entry we will consume */
	uint16_t used_idx;   /* our shadow of used->idx */
	bool broken;
	const char *why; /* what broke it, for the log */
};

/* One chain: out (device-readable) then in (device-writable) buffers. */
struct vhost_chain {
	struct iovec iov[VHOST_CHAIN_MAX];
	unsigned n_out, n_in;
	uint16_t head;
	size_t out_len, in_len;
};

/* Translate the three ring areas; 0 or -EFAULT (and the ring broken). */
int vhost_ring_map(struct vhost_ring *r, const struct vhost_mem *m);

/* 1 and a chain, 0 if none is available, -EIO if the ring is broken. */
int vhost_ring_pop(struct vhost_ring *r, const struct vhost_mem *m,
		   struct vhost_chain *c);

/* Give a chain back with len bytes written into its in buffers. */
void vhost_ring_push(struct vhost_ring *r, uint16_t head, uint32_t len);

/* Does the driver want an interrupt (VRING_AVAIL_F_NO_INTERRUPT clear)? */
bool vhost_ring_want_call(const struct vhost_ring *r);

/*
 * Do we want the driver's kicks (VRING_USED_F_NO_NOTIFY clear) or will we
 * look at the ring on our own (set)?  A hint the driver may ignore; each
 * kick it skips is one VM exit and one wakeup of our loop saved.
 */
void vhost_ring_want_kicks(struct vhost_ring *r, bool want);

/* Copy up to len bytes out of the chain's out buffers, from offset off. */
size_t vhost_chain_read(const struct vhost_chain *c, size_t off, void *buf,
			size_t len);
/* Copy up to len bytes into its in buffers at offset off; returns bytes. */
size_t vhost_chain_write(const struct vhost_chain *c, size_t off,
			 const void *buf, size_t len);

#endif
