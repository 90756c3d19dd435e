/*
 * netif.c - lwIP's network interface over the virtio-net driver.
 *
 * Receive: a pool of buffers in .bss (identity-mapped, so their addresses
 * go to the device as they are).  A received frame is lent to lwIP as a
 * PBUF_REF custom pbuf wrapping the very buffer the device wrote; its free
 * callback puts the buffer back on the free list, and net_poll reposts it.
 * So a buffer is never reused while lwIP (or a socket's receive queue)
 * still holds its data.  Small frames (ACKs, short requests) and frames
 * arriving while the pool runs low are copied into a PBUF_RAM instead and
 * the buffer goes straight back: a 60-byte ACK must not pin 1.5 KiB.
 *
 * Transmit: the pbuf chain's payloads become the descriptors of one chain
 * behind the driver's shared zero header, with a reference held until the
 * device is done (lwIP does not modify a segment whose pbuf is still
 * referenced, tcp_output_segment_busy).  Only chains longer than
 * VNET_TX_SEGS_MAX, or memory outside the identity map, are copied.
 */
#include <errno.h>
#include <string.h>

#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#include <mewz/devirq.h>
#include <mewz/plat.h>

#include "drivers/virtio/virtio_net.h"
#include "net.h"

#define NET_RX_BUF_LEN	1536 /* >= VNET_HDR_LEN + VNET_FRAME_MAX */
#define NET_RX_BUFS	512  /* VNET_QSIZE posted + as many lent out */
#define NET_RX_LOW	64   /* fewer free than this: copy every frame */
#define NET_COPY_MAX	256  /* frames up to this size are always copied */
#define NET_RX_BATCH	64   /* frames per poll, so TX and timers keep up */
#define NET_TX_WAIT_NS	1000000000ull /* ring full this long: drop */
#define IDENTITY_LIMIT	(1ull << 32)

/* plat/kvm/devices.c (kvm.h is not included: its mem_init is the kernel's,
 * and lwipopts.h renames lwIP's). */
struct virtio_dev *devices_find(uint32_t device_id);

struct net_rxbuf {
	uint8_t data[NET_RX_BUF_LEN];
	struct pbuf_custom pc;
	struct net_rxbuf *next;
};

_Static_assert(NET_RX_BUF_LEN >= VNET_HDR_LEN + VNET_FRAME_MAX,
	       "receive buffer too small for a frame");

static struct net_rxbuf rxbufs[NET_RX_BUFS] __attribute__((aligned(64)));
static struct net_rxbuf *rx_free;
static unsigned rx_nfree;
static uint8_t rx_ring[8192] __attribute__((aligned(4096)));
static uint8_t tx_ring[8192] __attribute__((aligned(4096)));
static struct virtio_net vnet;
static struct netif nif;
/* The platform routes virtio-net's interrupt: waits can halt until it. */
static int rx_irq;

struct netif *net_if(void)
{
	return &nif;
}

static void rxbuf_put(struct net_rxbuf *b)
{
	b->next = rx_free;
	rx_free = b;
	rx_nfree++;
}

/* lwIP is done with a lent buffer (any context that frees a pbuf). */
static void rxbuf_pbuf_free(struct pbuf *p)
{
	rxbuf_put((struct net_rxbuf *)((uint8_t *)p -
				       offsetof(struct net_rxbuf, pc)));
}

/* Post free buffers while the ring has room; one kick for the batch. */
static void rx_refill(void)
{
	int posted = 0;

	while (rx_free) {
		struct net_rxbuf *b = rx_free;

		if (virtio_net_rx_post(&vnet, b->data, sizeof(b->data), b) < 0)
			break;
		rx_free = b->next;
		rx_nfree--;
		posted = 1;
	}
	if (posted)
		virtio_net_rx_kick(&vnet);
}

static struct pbuf *rx_to_pbuf(struct net_rxbuf *b, uint32_t len)
{
	struct pbuf *p;

	if (len <= NET_COPY_MAX || rx_nfree < NET_RX_LOW) {
		p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
		if (p)
			memcpy(p->payload, b->data + VNET_HDR_LEN, len);
		rxbuf_put(b);
		return p;
	}
	b->pc.custom_free_function = rxbuf_pbuf_free;
	return pbuf_alloced_custom(PBUF_RAW, (u16_t)len, PBUF_REF, &b->pc,
				   b->data + VNET_HDR_LEN,
				   (u16_t)(sizeof(b->data) - VNET_HDR_LEN));
}

static int rx_poll(void)
{
	int moved = 0;

	for (int i = 0; i < NET_RX_BATCH; i++) {
		uint32_t len = 0;
		struct net_rxbuf *b = virtio_net_rx_next(&vnet, &len);
		struct pbuf *p;

		if (!b)
			break;
		moved = 1;
		if (len == 0) { /* bad length from the device: drop */
			rxbuf_put(b);
			continue;
		}
		p = rx_to_pbuf(b, len);
		if (p && nif.input(p, &nif) != ERR_OK)
			pbuf_free(p);
	}
	return moved;
}

static int tx_reap(void)
{
	struct pbuf *p;
	int moved = 0;

	while ((p = virtio_net_tx_done(&vnet)) != NULL) {
		pbuf_free(p);
		moved = 1;
	}
	return moved;
}

/* When a frame last moved either way (wait.c spins for a while after). */
uint64_t net_last_activity_ns;

int net_poll(void)
{
	int moved;

	if (!vnet.ready)
		return 0;
	moved = tx_reap();
	moved |= rx_poll();
	rx_refill();
	netif_poll_all(); /* loopback traffic (NO_SYS: polled, not queued) */
	sys_check_timeouts();
	/* Frames queued here (ACKs, retransmissions) wait for net_flush. */
	if (moved)
		net_last_activity_ns = mewz_plat_monotonic_ns();
	return moved;
}

int net_can_halt_for_rx(void)
{
	return rx_irq;
}

int net_rx_wake(int on)
{
	return virtio_net_rx_wake(&vnet, on);
}

/* Loopback frames queued for the next net_poll (lwIP's own queue). */
int net_loop_pending(void)
{
	struct netif *n;

	NETIF_FOREACH(n)
	{
		if (n->loop_first)
			return 1;
	}
	return 0;
}

void net_flush(void)
{
	if (vnet.tx_unkicked)
		net_last_activity_ns = mewz_plat_monotonic_ns();
	virtio_net_tx_flush(&vnet);
}

/* The chain as descriptors, or 0 if it must be copied first. */
static size_t tx_segments(struct pbuf *p, struct virtq_buf *segs)
{
	size_t n = 0;

	for (struct pbuf *q = p; q; q = q->next) {
		uintptr_t a = (uintptr_t)q->payload;

		if (q->len == 0)
			continue;
		if (n == VNET_TX_SEGS_MAX || a + q->len > IDENTITY_LIMIT)
			return 0;
		segs[n].addr = a;
		segs[n].len = q->len;
		n++;
	}
	return n;
}

/* Wait for ring room: the device drains TX on its own, so this is short
 * unless the device is stuck (then give up and let TCP retransmit). */
static int tx_wait_room(size_t nseg)
{
	uint64_t until = 0;

	while (!virtio_net_tx_room(&vnet, nseg)) {
		uint64_t now = mewz_plat_monotonic_ns();

		if (vnet.tx.broken)
			return -EIO;
		virtio_net_tx_flush(&vnet);
		if (!until)
			until = now + NET_TX_WAIT_NS;
		else if (now > until)
			return -ENOSPC;
		if (!tx_reap())
			__asm__ volatile("pause");
	}
	return 0;
}

static err_t net_linkoutput(struct netif *n, struct pbuf *p)
{
	struct virtq_buf segs[VNET_TX_SEGS_MAX];
	size_t nseg = tx_segments(p, segs);

	(void)n;
	tx_reap();
	if (nseg) {
		pbuf_ref(p);
	} else {
		p = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!p)
			return ERR_MEM;
		nseg = tx_segments(p, segs);
	}
	if (tx_wait_room(nseg) < 0 ||
	    virtio_net_tx(&vnet, segs, nseg, p) < 0) {
		pbuf_free(p);
		return ERR_IF;
	}
	return ERR_OK;
}

static err_t net_netif_init(struct netif *n)
{
	n->name[0] = 'v';
	n->name[1] = 'n';
	n->mtu = VNET_MTU;
	n->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(n->hwaddr, vnet.mac, ETH_HWADDR_LEN);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		   NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	n->output = etharp_output;
	n->output_ip6 = ethip6_output;
	n->linkoutput = net_linkoutput;
	return ERR_OK;
}

static int net_device_init(void)
{
	struct virtio_dev *dev = devices_find(VIRTIO_ID_NET);

	if (!dev)
		return -ENODEV;
	if (virtq_mem_size(VNET_QSIZE) > sizeof(rx_ring))
		return -EIO;
	if (virtio_net_init(&vnet, dev, rx_ring, tx_ring) < 0)
		return -EIO;
	rx_irq = mewz_plat_irq_wake(dev) == 0;
	for (size_t i = 0; i < NET_RX_BUFS; i++)
		rxbuf_put(&rxbufs[i]);
	rx_refill();
	return 0;
}

int net_if_init(const struct net_config *c)
{
	ip4_addr_t addr, mask, gw;
	int rc = net_device_init();

	if (rc < 0)
		return rc;
	lwip_init();
	ip4_addr_set_u32(&addr, c->addr);
	ip4_addr_set_u32(&mask, c->mask);
	ip4_addr_set_u32(&gw, c->gw);
	if (!netif_add(&nif, &addr, &mask, &gw, NULL, net_netif_init,
		       ethernet_input))
		return -EIO;
	netif_set_default(&nif);
	netif_create_ip6_linklocal_address(&nif, 1);
	netif_set_ip6_autoconfig_enabled(&nif, 1);
	netif_set_up(&nif);
	netif_set_link_up(&nif);
	if (c->dns) {
		ip_addr_t d;

		ip_addr_set_ip4_u32_val(d, c->dns);
		dns_setserver(0, &d);
	}
	if (c->dhcp && dhcp_start(&nif) != ERR_OK)
		return -EIO;
	return 0;
}
