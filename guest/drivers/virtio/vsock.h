/*
 * vsock.h - the virtio-vsock driver (virtio 1.x, 5.10, device id 19) and
 * a small stream-socket client on top of it: what the hostcall client
 * uses to reach mewz-host (CID 2, port 1024 by default).
 *
 * One device per VM, a few connections at once.  Every call blocks by
 * polling the rings (see vsock.c for why, per queue) and returns:
 *   connect: a connection number >= 0, or -ECONNREFUSED (the peer reset
 *            the request), -EAGAIN (no free connection slot), -ENOMEM
 *            (no memory for its buffer), -EIO;
 *   send:    len (all of it), or -EIO once the connection is reset or
 *            broken, -EPIPE after the peer shut its receive side;
 *   recv:    1..len bytes, 0 at end of stream (peer shut its send side),
 *            or -EIO (reset, device broken, peer silent too long).
 * A peer that goes away (RST, transport reset, broken ring, or silence
 * beyond the timeout while a call waits) fails the call with -EIO; no
 * call waits forever unless the timeout is 0 (the default).
 *
 * Buffers passed to send/recv may be anywhere (Wasm linear memory
 * included): data is copied through identity-mapped bounce buffers.
 * Not reentrant; interrupt handlers never call in.
 */
#ifndef MEWZ_VIRTIO_VSOCK_H
#define MEWZ_VIRTIO_VSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "virtio.h"

#define VSOCK_CID_HOST	2u
#define VSOCK_MAX_CONNS 2
/*
 * The receive buffer of a connection, the buf_alloc we advertise.  Two
 * hostcall frames (256 KiB each, proto/): a whole reply fits with room
 * to spare, so the host never stalls inside one waiting for credit, and
 * the fwd_cnt our next request carries is all the credit news it needs.
 */
#define VSOCK_CONN_BUF (512u * 1024)

/* What the driver needs from the platform. */
struct vsock_plat {
	uint64_t (*now_ns)(void); /* monotonic; NULL: no timeouts */
	/*
	 * Called in each wait loop turn with how long nothing has arrived
	 * (ns; 0 without now_ns): the platform spins or halts as it sees fit.
	 * NULL: spin.
	 */
	void (*relax)(uint64_t idle_ns);
	/*
	 * Required: len bytes, page-aligned, that the device reaches at
	 * their address (identity-mapped), never freed; contents undefined;
	 * NULL when there is no room.  The driver takes its rings and
	 * buffers (~660 KiB) at the first vsock_init and each connection
	 * slot's receive buffer at its first connect, so a VM without the
	 * device pays nothing.
	 */
	void *(*alloc)(size_t len);
};

/* Negotiate, set up the three queues, post rx and event buffers.
 * 0, -EINVAL (not a vsock device, no plat->alloc), -ENOMEM or -EIO. */
int vsock_init(struct virtio_dev *dev, const struct vsock_plat *plat);
/* 0 until vsock_init succeeded. */
uint64_t vsock_guest_cid(void);
/* How long a waiting call tolerates no packet at all from the device
 * before failing with -EIO; 0 waits forever. */
void vsock_set_timeout(uint64_t ns);

int vsock_connect(uint32_t cid, uint32_t port);
long vsock_send(int c, const void *buf, size_t len);
long vsock_recv(int c, void *buf, size_t len);
/* Bytes recv would return without waiting (after polling once), or
 * -EIO if the connection is gone and nothing is left to read. */
long vsock_readable(int c);
/* SHUTDOWN to the peer (waiting, within the timeout, for a tx slot)
 * and free the slot; 0 or -EINVAL. */
int vsock_close(int c);

/* Counters for tests and benchmarks. */
struct vsock_stats {
	uint64_t rx_pkts, tx_pkts, credit_waits, tx_slot_waits;
};
void vsock_get_stats(struct vsock_stats *s);

#endif /* MEWZ_VIRTIO_VSOCK_H */
