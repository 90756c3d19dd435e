/*
 * virtio_net.h - the virtio-net driver (virtio 1.x, 5.1), on either
 * transport.  It moves frames; buffer ownership stays with its caller
 * (guest/net/netif.c), which is what lets lwIP keep a received buffer for
 * as long as it holds the data without the driver reusing it.
 *
 * Queues: 0 receive, 1 transmit.  No offloads are negotiated (lwIP
 * computes checksums), so every virtio-net header we send is all zeros
 * and one shared read-only header serves every TX chain: the frame's own
 * buffers follow it in the chain without being copied.
 *
 * Both queues are polled, with device interrupts suppressed
 * (VRING_AVAIL_F_NO_INTERRUPT): the socket layer polls whenever it runs
 * or waits, and an interrupt would only add an exit per packet.  A caller
 * about to halt turns receive interrupts on for the halt only
 * (virtio_net_rx_wake), so the first frame wakes it.
 *
 * Every value from the device is bounded: a used length shorter than the
 * header or longer than the buffer offered drops that buffer (the ring
 * already marks the queue broken for lengths past what was offered).
 * Not reentrant; not for interrupt context.
 */
#ifndef MEWZ_VIRTIO_NET_H
#define MEWZ_VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

#define VIRTIO_NET_F_MAC (1ull << 5)
/* struct virtio_net_hdr with VERSION_1 (num_buffers is always present). */
#define VNET_HDR_LEN 12
#define VNET_MTU     1500
/* Largest frame we accept: MTU + Ethernet header + one VLAN tag. */
#define VNET_FRAME_MAX (VNET_MTU + 18)
#define VNET_QSIZE     256

struct virtio_net {
	struct virtio_dev *dev;
	struct virtq rx, tx;
	uint8_t mac[6];
	int ready;
	/* Frames dropped because the device reported a bad length. */
	uint64_t rx_bad;
	/* Frames queued since the device was last notified. */
	unsigned tx_unkicked;
};

/*
 * Negotiate (MAC, VERSION_1), prepare the queues' interrupt
 * (virtio_irq_prepare: the platform routes it afterwards, if it can), set
 * up both queues in rx_mem and tx_mem (each virtq_mem_size(VNET_QSIZE)
 * bytes, page-aligned, identity-mapped) and go DRIVER_OK.  0, -EINVAL
 * (not a net device, or no MAC) or -EIO.
 */
int virtio_net_init(struct virtio_net *n, struct virtio_dev *dev,
		    void *rx_mem, void *tx_mem);

/*
 * Offer a receive buffer (identity-mapped, len >= VNET_HDR_LEN +
 * VNET_FRAME_MAX); cookie comes back from virtio_net_rx_next.  The buffer
 * belongs to the device until then.  0, -ENOSPC or -EIO.  Call
 * virtio_net_rx_kick after a batch.
 */
int virtio_net_rx_post(struct virtio_net *n, void *buf, uint32_t len,
		       void *cookie);
void virtio_net_rx_kick(struct virtio_net *n);

/*
 * The next received buffer's cookie, or NULL.  *frame_len is the frame's
 * length; the frame starts VNET_HDR_LEN bytes into the buffer.  A cookie
 * with *frame_len == 0 is a buffer the device gave back with a bad length:
 * the caller owns it again and just reposts it.
 */
void *virtio_net_rx_next(struct virtio_net *n, uint32_t *frame_len);

/*
 * Ask the device to interrupt on the next received frame (on != 0) or to
 * stop (on == 0).  Turning it on returns non-zero if a frame is already
 * waiting (checked after the request is visible, so none slips between
 * the check and the caller's halt); the caller then polls, not halts.
 */
int virtio_net_rx_wake(struct virtio_net *n, int on);

/*
 * Queue one frame made of nseg identity-mapped segments (at most
 * VNET_TX_SEGS_MAX) as one chain behind the shared header.  cookie comes
 * back from virtio_net_tx_done once the device has read the frame; the
 * segments must stay untouched until then.  0, -ENOSPC (ring full: reap
 * and retry), -EINVAL or -EIO.  The device is told in batches: every
 * VNET_TX_BATCH frames, and at virtio_net_tx_flush, which the caller runs
 * before it waits (guest/net: when the program polls).
 */
#define VNET_TX_SEGS_MAX 16
#define VNET_TX_BATCH	 16
int virtio_net_tx(struct virtio_net *n, const struct virtq_buf *segs,
		  size_t nseg, void *cookie);
void virtio_net_tx_flush(struct virtio_net *n);

/* The cookie of the next frame the device has finished sending, or NULL. */
void *virtio_net_tx_done(struct virtio_net *n);

/* Non-zero if a TX chain of nseg segments fits in the ring now. */
int virtio_net_tx_room(const struct virtio_net *n, size_t nseg);

#endif /* MEWZ_VIRTIO_NET_H */
