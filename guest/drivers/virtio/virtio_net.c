/*
 * virtio_net.c - virtio-net (virtio_net.h): negotiation, the two queues,
 * and frame-level post/reap with device-supplied lengths bounded.
 */
#include <string.h>

#include "ring.h"
#include "virtio_net.h"

#define VNET_RXQ 0
#define VNET_TXQ 1
/* All TX headers are zero (no offloads): the device only reads this one. */
static const uint8_t vnet_zero_hdr[VNET_HDR_LEN]
    __attribute__((aligned(16)));

int virtio_net_init(struct virtio_net *n, struct virtio_dev *dev,
		    void *rx_mem, void *tx_mem)
{
	uint64_t feat;
	int rc;

	memset(n, 0, sizeof(*n));
	if (dev->device_id != VIRTIO_ID_NET)
		return -EINVAL;
	feat = virtio_negotiate(dev, VIRTIO_NET_F_MAC);
	if (!feat)
		return -EIO;
	if (!(feat & VIRTIO_NET_F_MAC) ||
	    virtio_config_read(dev, 0, n->mac, sizeof(n->mac)) < 0)
		return virtio_fail(dev, -EINVAL);
	/* The queues' interrupt, for the platform to route if it can (it
	 * asks the transport; -ENOTSUP here is a transport that needs no
	 * preparing, or cannot). */
	virtio_irq_prepare(dev);
	rc = virtq_init(&n->rx, dev, VNET_RXQ, VNET_QSIZE, rx_mem);
	if (rc == 0)
		rc = virtq_init(&n->tx, dev, VNET_TXQ, VNET_QSIZE, tx_mem);
	if (rc < 0)
		return virtio_fail(dev, rc);
	n->rx.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	n->tx.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	n->dev = dev;
	virtio_driver_ok(dev);
	n->ready = 1;
	return 0;
}

int virtio_net_rx_post(struct virtio_net *n, void *buf, uint32_t len,
		       void *cookie)
{
	struct virtq_buf b = {(uint64_t)(uintptr_t)buf, len};

	if (!n->ready)
		return -EIO;
	if (len < VNET_HDR_LEN + VNET_FRAME_MAX)
		return -EINVAL;
	return virtq_add(&n->rx, &b, 0, 1, cookie);
}

void virtio_net_rx_kick(struct virtio_net *n)
{
	if (n->ready)
		virtq_kick_if_needed(&n->rx);
}

void *virtio_net_rx_next(struct virtio_net *n, uint32_t *frame_len)
{
	uint32_t written = 0;
	void *cookie;

	if (!n->ready)
		return NULL;
	cookie = virtq_get_used(&n->rx, &written);
	if (!cookie)
		return NULL;
	/* The ring has checked written <= what we offered; the header and
	 * the largest frame bound it further (no mergeable buffers). */
	if (written < VNET_HDR_LEN + 14 ||
	    written > VNET_HDR_LEN + VNET_FRAME_MAX) {
		n->rx_bad++;
		*frame_len = 0;
		return cookie;
	}
	*frame_len = written - VNET_HDR_LEN;
	return cookie;
}

int virtio_net_rx_wake(struct virtio_net *n, int on)
{
	if (!n->ready)
		return 0;
	n->rx.avail[0] = on ? 0 : VRING_AVAIL_F_NO_INTERRUPT;
	if (!on)
		return 0;
	/* The flag store before the used index load (virtio 1.x, 2.7.7). */
	__asm__ volatile("mfence" ::: "memory");
	return virtq_has_used(&n->rx);
}

int virtio_net_tx_room(const struct virtio_net *n, size_t nseg)
{
	return n->ready && !n->tx.broken && n->tx.num_free >= nseg + 1;
}

int virtio_net_tx(struct virtio_net *n, const struct virtq_buf *segs,
		  size_t nseg, void *cookie)
{
	struct virtq_buf b[VNET_TX_SEGS_MAX + 1];
	int rc;

	if (!n->ready)
		return -EIO;
	if (nseg == 0 || nseg > VNET_TX_SEGS_MAX)
		return -EINVAL;
	b[0].addr = (uint64_t)(uintptr_t)vnet_zero_hdr;
	b[0].len = VNET_HDR_LEN;
	memcpy(b + 1, segs, nseg * sizeof(*segs));
	rc = virtq_add(&n->tx, b, nseg + 1, 0, cookie);
	if (rc < 0)
		return rc;
	if (++n->tx_unkicked >= VNET_TX_BATCH)
		virtio_net_tx_flush(n);
	return 0;
}

void virtio_net_tx_flush(struct virtio_net *n)
{
	if (!n->ready || n->tx_unkicked == 0)
		return;
	n->tx_unkicked = 0;
	virtq_kick_if_needed(&n->tx);
}

void *virtio_net_tx_done(struct virtio_net *n)
{
	uint32_t written;

	if (!n->ready)
		return NULL;
	return virtq_get_used(&n->tx, &written);
}
