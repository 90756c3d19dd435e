/*
 * test_virtio_net.c - the virtio-net driver (guest/drivers/virtio/
 * virtio_net.c) against a fake transport: negotiation, RX buffers coming
 * back with the lengths the device reports (bad ones bounded), TX chains
 * behind the shared zero header, notifications batched and skipped
 * while the device says NO_NOTIFY, and the queues' interrupt prepared
 * where virtio 1.2 puts it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../../guest/drivers/virtio/virtio_net.h"
#include "check.h"

static uint64_t dev_features = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC;
static uint8_t dev_status;
static unsigned notified[2];
static uint64_t q_driver[2], q_device[2];
static uint16_t seen[2], used_idx[2];
static const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
/* How many queues were enabled, and the status, when irq_prepare ran. */
static int queues_enabled, prepared_after = -1;
static uint8_t prepared_status;

static uint64_t fk_get_features(struct virtio_dev *d)
{
	(void)d;
	return dev_features;
}
static void fk_set_features(struct virtio_dev *d, uint64_t f)
{
	(void)d, (void)f;
}
static uint8_t fk_get_status(struct virtio_dev *d)
{
	(void)d;
	return dev_status;
}
static void fk_set_status(struct virtio_dev *d, uint8_t s)
{
	(void)d;
	dev_status = s;
}
static int fk_config_read(struct virtio_dev *d, uint32_t off, void *buf,
			  size_t len)
{
	(void)d;
	if (off + len > sizeof(mac))
		return -EINVAL;
	memcpy(buf, mac + off, len);
	return 0;
}
static uint16_t fk_queue_max(struct virtio_dev *d, uint16_t idx)
{
	(void)d;
	return idx < 2 ? 256 : 0;
}
static int fk_queue_enable(struct virtio_dev *d, uint16_t idx, uint16_t size,
			   uint64_t desc, uint64_t driver, uint64_t device)
{
	(void)d, (void)size, (void)desc;
	q_driver[idx] = driver;
	q_device[idx] = device;
	queues_enabled++;
	return 0;
}
static int fk_irq_prepare(struct virtio_dev *d)
{
	(void)d;
	prepared_after = queues_enabled;
	prepared_status = dev_status;
	return 0;
}
static void fk_notify(struct virtio_dev *d, uint16_t idx)
{
	(void)d;
	notified[idx]++;
}

static const struct virtio_config_ops fk_ops = {
    .get_features = fk_get_features,
    .set_features = fk_set_features,
    .get_status = fk_get_status,
    .set_status = fk_set_status,
    .config_read = fk_config_read,
    .queue_max = fk_queue_max,
    .queue_enable = fk_queue_enable,
    .queue_notify = fk_notify,
    .irq_prepare = fk_irq_prepare,
};

/* Device side of queue qi: the next chain head it was offered. */
static uint16_t dev_take(struct virtq *q, int qi)
{
	volatile uint16_t *avail = (volatile uint16_t *)(uintptr_t)q_driver[qi];

	return avail[2 + (seen[qi]++ & (q->size - 1))];
}

static void dev_use(struct virtq *q, int qi, uint32_t id, uint32_t len)
{
	volatile uint8_t *used = (volatile uint8_t *)(uintptr_t)q_device[qi];
	volatile uint32_t *e =
	    (volatile uint32_t *)(used + 4 + 8 * (used_idx[qi] & (q->size - 1)));

	e[0] = id;
	e[1] = len;
	used_idx[qi]++;
	*(volatile uint16_t *)(used + 2) = used_idx[qi];
}

static void set_used_flags(int qi, uint16_t flags)
{
	*(volatile uint16_t *)(uintptr_t)q_device[qi] = flags;
}

static struct virtio_dev dev = {.device_id = VIRTIO_ID_NET, .ops = &fk_ops};

static void init_and_negotiate(struct virtio_net *n, void *rx, void *tx)
{
	struct virtio_dev rng = {.device_id = VIRTIO_ID_RNG, .ops = &fk_ops};

	CHECK_EQ(virtio_net_init(n, &rng, rx, tx), -EINVAL);
	dev_features = VIRTIO_F_VERSION_1; /* no MAC: refused */
	dev_status = 0;
	CHECK_EQ(virtio_net_init(n, &dev, rx, tx), -EINVAL);
	CHECK_EQ(dev_status, VIRTIO_STATUS_FAILED);
	dev_features = VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC;
	queues_enabled = 0;
	CHECK_EQ(virtio_net_init(n, &dev, rx, tx), 0);
	/* The interrupt prepared after negotiation, before the first queue
	 * (virtio-pci maps each queue to it as it is enabled), before
	 * DRIVER_OK. */
	CHECK_EQ(prepared_after, 0);
	CHECK_EQ(prepared_status &
		     (VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK),
		 VIRTIO_STATUS_FEATURES_OK);
	CHECK_EQ(queues_enabled, 2);
	CHECK_EQ(n->ready, 1);
	CHECK_EQ(memcmp(n->mac, mac, 6), 0);
	CHECK_EQ(dev_status & VIRTIO_STATUS_DRIVER_OK, VIRTIO_STATUS_DRIVER_OK);
	/* We poll: both queues ask the device not to interrupt. */
	CHECK_EQ(((volatile uint16_t *)(uintptr_t)q_driver[0])[0], 1);
	CHECK_EQ(((volatile uint16_t *)(uintptr_t)q_driver[1])[0], 1);
}

static void rx_lengths(struct virtio_net *n)
{
	static uint8_t bufs[3][1536];
	uint32_t len = 99;

	CHECK_EQ(virtio_net_rx_post(n, bufs[0], 100, bufs[0]), -EINVAL);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(virtio_net_rx_post(n, bufs[i], sizeof(bufs[i]), bufs[i]),
			 0);
	notified[0] = 0;
	virtio_net_rx_kick(n);
	CHECK_EQ(notified[0], 1);
	set_used_flags(0, 1); /* device busy: no notification needed */
	virtio_net_rx_kick(n);
	CHECK_EQ(notified[0], 1);
	set_used_flags(0, 0);
	CHECK_EQ(virtio_net_rx_next(n, &len) == NULL, 1);
	/* A good frame: length minus the header. */
	dev_use(&n->rx, 0, dev_take(&n->rx, 0), VNET_HDR_LEN + 60);
	CHECK_EQ(virtio_net_rx_next(n, &len) == bufs[0], 1);
	CHECK_EQ(len, 60);
	/* Shorter than header + Ethernet header: the buffer comes back with
	 * frame_len 0 (the caller reposts it), counted as bad. */
	dev_use(&n->rx, 0, dev_take(&n->rx, 0), 5);
	CHECK_EQ(virtio_net_rx_next(n, &len) == bufs[1], 1);
	CHECK_EQ(len, 0);
	CHECK_EQ(n->rx_bad, 1);
	/* Longer than the largest frame (but within the buffer). */
	dev_use(&n->rx, 0, dev_take(&n->rx, 0), VNET_HDR_LEN + VNET_FRAME_MAX + 1);
	CHECK_EQ(virtio_net_rx_next(n, &len) == bufs[2], 1);
	CHECK_EQ(len, 0);
	CHECK_EQ(n->rx_bad, 2);
	/* Longer than the buffer offered: the ring calls the device broken. */
	CHECK_EQ(virtio_net_rx_post(n, bufs[0], sizeof(bufs[0]), bufs[0]), 0);
	dev_use(&n->rx, 0, dev_take(&n->rx, 0), sizeof(bufs[0]) + 1);
	CHECK_EQ(virtio_net_rx_next(n, &len) == NULL, 1);
	CHECK_EQ(n->rx.broken, 1);
}

/* Receive interrupts on for a halt only, and a frame already waiting
 * reported so the caller polls instead of halting. */
static void rx_wake(struct virtio_net *n)
{
	static uint8_t buf[1536];
	volatile uint16_t *flags = (volatile uint16_t *)(uintptr_t)q_driver[0];
	uint32_t len;

	CHECK_EQ(virtio_net_rx_post(n, buf, sizeof(buf), buf), 0);
	CHECK_EQ(virtio_net_rx_wake(n, 1), 0); /* nothing used yet */
	CHECK_EQ(flags[0], 0);		       /* the device may interrupt */
	CHECK_EQ(virtio_net_rx_wake(n, 0), 0);
	CHECK_EQ(flags[0], 1);
	dev_use(&n->rx, 0, dev_take(&n->rx, 0), VNET_HDR_LEN + 60);
	CHECK_EQ(virtio_net_rx_wake(n, 1), 1); /* a frame waits: do not halt */
	virtio_net_rx_wake(n, 0);
	CHECK_EQ(flags[0], 1);
	CHECK_EQ(virtio_net_rx_next(n, &len) == buf, 1);
	CHECK_EQ(virtio_net_rx_wake(n, 1), 0); /* collected: halt again */
	virtio_net_rx_wake(n, 0);
	/* TX keeps its own flag. */
	CHECK_EQ(((volatile uint16_t *)(uintptr_t)q_driver[1])[0], 1);
}

static void tx_chains(struct virtio_net *n)
{
	static uint8_t a[100], b[40];
	struct virtq_buf segs[VNET_TX_SEGS_MAX + 1];
	uint16_t head;
	int cookie;

	segs[0] = (struct virtq_buf){(uint64_t)(uintptr_t)a, sizeof(a)};
	segs[1] = (struct virtq_buf){(uint64_t)(uintptr_t)b, sizeof(b)};
	CHECK_EQ(virtio_net_tx(n, segs, 0, &cookie), -EINVAL);
	CHECK_EQ(virtio_net_tx(n, segs, VNET_TX_SEGS_MAX + 1, &cookie), -EINVAL);
	notified[1] = 0;
	CHECK_EQ(virtio_net_tx(n, segs, 2, &cookie), 0);
	/* Batched: nothing told yet; the flush tells once. */
	CHECK_EQ(notified[1], 0);
	virtio_net_tx_flush(n);
	CHECK_EQ(notified[1], 1);
	virtio_net_tx_flush(n); /* nothing new: no notification */
	CHECK_EQ(notified[1], 1);
	/* The chain: the zero header, then the segments as they are. */
	head = dev_take(&n->tx, 1);
	{
		struct vring_desc *d = n->tx.desc;
		const uint8_t *hdr = (const uint8_t *)(uintptr_t)d[head].addr;
		uint8_t zero[VNET_HDR_LEN] = {0};
		uint16_t s1 = d[head].next, s2 = d[s1].next;

		CHECK_EQ(d[head].len, VNET_HDR_LEN);
		CHECK_EQ(memcmp(hdr, zero, VNET_HDR_LEN), 0);
		CHECK_EQ(d[s1].addr, (uint64_t)(uintptr_t)a);
		CHECK_EQ(d[s1].len, sizeof(a));
		CHECK_EQ(d[s2].addr, (uint64_t)(uintptr_t)b);
		CHECK_EQ(d[s2].flags & 3, 0); /* readable, end of chain */
	}
	CHECK_EQ(virtio_net_tx_done(n) == NULL, 1);
	dev_use(&n->tx, 1, head, 0);
	CHECK_EQ(virtio_net_tx_done(n) == &cookie, 1);
	/* A full batch notifies by itself. */
	for (int i = 0; i < VNET_TX_BATCH; i++)
		CHECK_EQ(virtio_net_tx(n, segs, 1, &cookie), 0);
	CHECK_EQ(notified[1], 2);
	/* NO_NOTIFY from the device: the flush stays silent. */
	set_used_flags(1, 1);
	CHECK_EQ(virtio_net_tx(n, segs, 1, &cookie), 0);
	virtio_net_tx_flush(n);
	CHECK_EQ(notified[1], 2);
	/* Room: a chain needs nseg + 1 descriptors. */
	CHECK_EQ(virtio_net_tx_room(n, 1), 1);
	CHECK_EQ(virtio_net_tx_room(n, 300), 0);
}

void test_virtio_net(void)
{
	size_t sz = virtq_mem_size(VNET_QSIZE);
	void *rx = aligned_alloc(4096, sz), *tx = aligned_alloc(4096, sz);
	struct virtio_net n;

	init_and_negotiate(&n, rx, tx);
	rx_wake(&n);
	tx_chains(&n);
	rx_lengths(&n);
	free(rx);
	free(tx);
}
