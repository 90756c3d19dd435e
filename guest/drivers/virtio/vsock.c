/*
 * vsock.c - virtio-vsock driver and stream client; see vsock.h.
 *
 * Queues and how we wait on them (all polled today):
 *   rx (0)  32 device-writable buffers of 16 KiB (header + payload),
 *           reposted as soon as their payload is copied out.  Polled:
 *           hostcalls are synchronous round trips, and under TCG a spin
 *           on the used index answers in tens of microseconds where an
 *           interrupt round trip costs more (see the shared notes); the
 *           platform's relax hook runs in every turn of a wait and is
 *           told how long the queues have been idle, so it can halt on
 *           a timer once a wait is long (a held SOCK_POLL, an accept).
 *   tx (1)  8 bounce slots of 16 KiB, one descriptor each; a slot is
 *           free again when the device hands it back.  Polled: reclaimed
 *           lazily whenever we look for a slot or poll rx.
 *   event (2) 4 buffers; TRANSPORT_RESET resets every connection and
 *           rereads the guest CID.  Polled with rx.
 * Halting until an interrupt would need the platform to route the
 * device's interrupt (IOAPIC pin on microvm, INTx/MSI-X on q35) to a
 * vector; when it does, only wait_until() has to change.
 *
 * Credit (5.10.6.3): the peer may have VSOCK_CONN_BUF - (bytes received
 * - bytes the application read) in flight to us; we may send it
 * peer_buf_alloc - (tx_cnt - peer_fwd_cnt).  Every packet we send tells
 * the peer our fwd_cnt, and with request/reply traffic that is all it
 * needs.  A CREDIT_UPDATE of its own goes out only when the peer may be
 * about to stall: the room it knows of is under a quarter of the buffer
 * while at least a quarter has been read since it last heard (see
 * consumed()); or when it asks.
 *
 * Everything from the device is checked: ring.c checks ids and lengths,
 * here a header's len must fit what the device wrote, addresses must be
 * ours, and payload beyond the credit we gave resets the connection.
 */
#include <string.h>

#include "ring.h"
#include "vsock.h"

#define VSOCK_HDR_LEN	      44u
#define VSOCK_TYPE_STREAM     1u
#define RX_BUFS		      32
#define RX_BUF_SIZE	      16384u
#define TX_SLOTS	      8
#define TX_SLOT_SIZE	      16384u
#define TX_PAYLOAD_MAX	      (TX_SLOT_SIZE - VSOCK_HDR_LEN)
#define EV_BUFS		      4
#define Q_RX		      0
#define Q_TX		      1
#define Q_EV		      2
#define SHUTDOWN_RCV	      1u
#define SHUTDOWN_SEND	      2u
#define EVENT_TRANSPORT_RESET 0u
#define PORT_FIRST	      49152u

enum {
	OP_REQUEST = 1,
	OP_RESPONSE = 2,
	OP_RST = 3,
	OP_SHUTDOWN = 4,
	OP_RW = 5,
	OP_CREDIT_UPDATE = 6,
	OP_CREDIT_REQUEST = 7,
};

enum conn_state { CS_FREE, CS_CONNECTING, CS_CONNECTED, CS_CLOSED };

struct hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port, len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
} __attribute__((packed));

_Static_assert(sizeof(struct hdr) == VSOCK_HDR_LEN, "virtio_vsock_hdr");

struct conn {
	enum conn_state state;
	int err; /* why it is CS_CLOSED: -ECONNREFUSED, -EIO */
	uint32_t local_port, peer_port;
	uint32_t peer_shut; /* SHUTDOWN_* the peer sent */
	/* peer -> us: a byte ring of VSOCK_CONN_BUF */
	uint32_t rx_head, rx_len; /* read position, bytes held */
	uint32_t fwd_cnt, fwd_reported;
	/* us -> peer */
	uint32_t peer_buf_alloc, peer_fwd_cnt, tx_cnt;
	int need_credit_update, need_rst, credit_asked;
};

/*
 * What the device reaches by address, from the platform's alloc (not
 * .bss: a VM without the device should not have it zeroed at every
 * boot).  One block at the first vsock_init, kept across re-inits:
 *   0        rx ring (RX_RING_BYTES)      then the tx and event rings
 *   EV_OFF   event buffers                RX_OFF  rx buffers
 *   TX_OFF   tx slots                     MEM_BYTES in all (660 KiB)
 * A slot's receive ring (VSOCK_CONN_BUF) comes at its first connect.
 */
#define RX_RING_BYTES 8192u
#define TX_RING_BYTES 4096u
#define EV_RING_BYTES 4096u
#define EV_OFF	      (RX_RING_BYTES + TX_RING_BYTES + EV_RING_BYTES)
#define RX_OFF	      (EV_OFF + 4096u)
#define TX_OFF	      (RX_OFF + RX_BUFS * RX_BUF_SIZE)
#define MEM_BYTES     (TX_OFF + TX_SLOTS * TX_SLOT_SIZE)

static struct {
	uint8_t *rx_ring, *tx_ring, *ev_ring;
	uint32_t *ev_bufs;
	uint8_t (*rx_bufs)[RX_BUF_SIZE];
	uint8_t (*tx_slots)[TX_SLOT_SIZE];
	uint8_t *conn_buf[VSOCK_MAX_CONNS];
} mem;

static struct {
	struct virtio_dev *dev;
	struct virtq rxq, txq, evq;
	struct vsock_plat plat;
	uint64_t cid;
	uint64_t timeout_ns;
	int ready;
	int tx_busy[TX_SLOTS];
	uint32_t next_port;
	/* RSTs owed to strays: (local, peer) ports; extras are dropped */
	struct {
		uint32_t local, peer;
	} stray[8];
	unsigned nstray;
	struct conn conns[VSOCK_MAX_CONNS];
	/* The connection whose vsock_recv waits with an empty buffer, and
	 * that caller's buffer (see recv_rw). */
	const struct conn *direct;
	uint8_t *direct_buf;
	uint32_t direct_len, direct_got;
	struct vsock_stats stats;
} vs;

static int conn_ok(int c)
{
	return vs.ready && c >= 0 && c < VSOCK_MAX_CONNS &&
	       vs.conns[c].state != CS_FREE;
}

static uint64_t now(void)
{
	return vs.plat.now_ns ? vs.plat.now_ns() : 0;
}

static int dev_broken(void)
{
	return vs.rxq.broken || vs.txq.broken;
}

/* --- sending: one packet per tx slot */

static void reclaim_tx(void)
{
	uint32_t len;
	void *cookie;

	while ((cookie = virtq_get_used(&vs.txq, &len)) != NULL) {
		uintptr_t slot = (uintptr_t)cookie - 1;

		if (slot < TX_SLOTS)
			vs.tx_busy[slot] = 0;
	}
}

static int free_slot(void)
{
	reclaim_tx();
	for (int i = 0; i < TX_SLOTS; i++)
		if (!vs.tx_busy[i])
			return i;
	return -1;
}

/* Queue one packet in slot; the payload is already at slot + 44. */
static int post_slot(int slot, uint32_t local, uint32_t peer, uint16_t op,
		     uint32_t flags, uint32_t len, struct conn *c)
{
	struct hdr h = {
	    .src_cid = vs.cid,
	    .dst_cid = VSOCK_CID_HOST,
	    .src_port = local,
	    .dst_port = peer,
	    .len = len,
	    .type = VSOCK_TYPE_STREAM,
	    .op = op,
	    .flags = flags,
	    .buf_alloc = VSOCK_CONN_BUF,
	    .fwd_cnt = c ? c->fwd_cnt : 0,
	};
	struct virtq_buf b = {(uint64_t)(uintptr_t)mem.tx_slots[slot],
			      VSOCK_HDR_LEN + len};
	int rc;

	memcpy(mem.tx_slots[slot], &h, sizeof(h));
	rc = virtq_add(&vs.txq, &b, 1, 0, (void *)(uintptr_t)(slot + 1));
	if (rc < 0)
		return rc;
	vs.tx_busy[slot] = 1;
	if (c) {
		c->fwd_reported = c->fwd_cnt;
		c->tx_cnt += len;
	}
	vs.stats.tx_pkts++;
	virtq_kick(&vs.txq);
	return 0;
}

/* A header-only packet if a slot is free now; -EAGAIN if not. */
static int send_ctrl(uint32_t local, uint32_t peer, uint16_t op, uint32_t flags,
		     struct conn *c)
{
	int slot = free_slot();

	if (slot < 0)
		return -EAGAIN;
	return post_slot(slot, local, peer, op, flags, 0, c);
}

/* Control packets owed (from inside rx processing), sent when a slot is. */
static void flush_ctrl(void)
{
	for (int i = 0; i < VSOCK_MAX_CONNS; i++) {
		struct conn *c = &vs.conns[i];

		if (c->need_rst &&
		    send_ctrl(c->local_port, c->peer_port, OP_RST, 0, c) == 0)
			c->need_rst = 0;
		if (c->state == CS_CONNECTED && c->need_credit_update &&
		    send_ctrl(c->local_port, c->peer_port, OP_CREDIT_UPDATE, 0,
			      c) == 0)
			c->need_credit_update = 0;
	}
	while (vs.nstray > 0 &&
	       send_ctrl(vs.stray[vs.nstray - 1].local,
			 vs.stray[vs.nstray - 1].peer, OP_RST, 0, NULL) == 0)
		vs.nstray--;
}

/* --- receiving */

static struct conn *conn_for(uint32_t local, uint32_t peer)
{
	for (int i = 0; i < VSOCK_MAX_CONNS; i++) {
		struct conn *c = &vs.conns[i];

		if (c->state != CS_FREE && c->local_port == local &&
		    c->peer_port == peer)
			return c;
	}
	return NULL;
}

static void conn_reset(struct conn *c, int err, int send_rst)
{
	if (c->state == CS_CLOSED || c->state == CS_FREE)
		return;
	c->state = CS_CLOSED;
	c->err = err;
	c->need_rst = send_rst;
}

static void stray(uint32_t local, uint32_t peer)
{
	if (vs.nstray < sizeof(vs.stray) / sizeof(vs.stray[0])) {
		vs.stray[vs.nstray].local = local;
		vs.stray[vs.nstray].peer = peer;
		vs.nstray++;
	}
}

static void recv_rw(struct conn *c, const uint8_t *p, uint32_t len)
{
	uint8_t *ring = mem.conn_buf[c - vs.conns];
	uint32_t tail, first;
	/* More than the credit we gave: the peer broke the protocol.  (Bytes
	 * copied straight to a waiting reader count as held until recv
	 * returns, so the check is the same.) */
	uint32_t held = c->rx_len + (vs.direct == c ? vs.direct_got : 0);

	if (len > VSOCK_CONN_BUF - held) {
		conn_reset(c, -EIO, 1);
		return;
	}
	/* A reader is waiting with an empty buffer: copy straight into its
	 * buffer, saving one copy of every byte on the way in. */
	if (vs.direct == c && c->rx_len == 0 && vs.direct_got < vs.direct_len) {
		uint32_t n = vs.direct_len - vs.direct_got < len
				 ? vs.direct_len - vs.direct_got
				 : len;

		memcpy(vs.direct_buf + vs.direct_got, p, n);
		vs.direct_got += n;
		p += n;
		len -= n;
		if (len == 0)
			return;
	}
	tail = (c->rx_head + c->rx_len) % VSOCK_CONN_BUF;
	first = VSOCK_CONN_BUF - tail < len ? VSOCK_CONN_BUF - tail : len;
	memcpy(ring + tail, p, first);
	memcpy(ring, p + first, len - first);
	c->rx_len += len;
}

static void recv_pkt(const uint8_t *buf, uint32_t got)
{
	struct hdr h;
	struct conn *c;

	if (got < VSOCK_HDR_LEN)
		return;
	memcpy(&h, buf, sizeof(h));
	if (h.len > got - VSOCK_HDR_LEN || h.dst_cid != vs.cid ||
	    h.src_cid != VSOCK_CID_HOST)
		return; /* malformed or not for us: dropped */
	vs.stats.rx_pkts++;
	c = conn_for(h.dst_port, h.src_port);
	if (c == NULL || c->state == CS_CLOSED) {
		if (h.op != OP_RST)
			stray(h.dst_port, h.src_port);
		return;
	}
	if (h.fwd_cnt != c->peer_fwd_cnt || h.buf_alloc != c->peer_buf_alloc)
		c->credit_asked = 0;
	c->peer_buf_alloc = h.buf_alloc;
	c->peer_fwd_cnt = h.fwd_cnt;
	if (h.op == OP_RST) {
		conn_reset(c, c->state == CS_CONNECTING ? -ECONNREFUSED : -EIO,
			   0);
		return;
	}
	if (c->state == CS_CONNECTING) {
		if (h.op == OP_RESPONSE)
			c->state = CS_CONNECTED;
		else
			conn_reset(c, -ECONNREFUSED, 1);
		return;
	}
	switch (h.op) {
	case OP_RW:
		recv_rw(c, buf + VSOCK_HDR_LEN, h.len);
		break;
	case OP_CREDIT_REQUEST:
		c->need_credit_update = 1;
		break;
	case OP_CREDIT_UPDATE:
		break;
	case OP_SHUTDOWN:
		c->peer_shut |= h.flags & (SHUTDOWN_RCV | SHUTDOWN_SEND);
		if (c->peer_shut == (SHUTDOWN_RCV | SHUTDOWN_SEND))
			conn_reset(c, -EIO, 1);
		break;
	default: /* REQUEST or RESPONSE on an open connection */
		conn_reset(c, -EIO, 1);
		break;
	}
}

static void post_rx(int i)
{
	struct virtq_buf b = {(uint64_t)(uintptr_t)mem.rx_bufs[i], RX_BUF_SIZE};

	(void)virtq_add(&vs.rxq, &b, 0, 1, (void *)(uintptr_t)(i + 1));
}

static void post_ev(int i)
{
	struct virtq_buf b = {(uint64_t)(uintptr_t)&mem.ev_bufs[i],
			      sizeof(mem.ev_bufs[i])};

	(void)virtq_add(&vs.evq, &b, 0, 1, (void *)(uintptr_t)(i + 1));
}

static void read_cid(void)
{
	uint64_t cid = 0;

	if (virtio_config_read(vs.dev, 0, &cid, sizeof(cid)) == 0)
		vs.cid = cid;
}

static void poll_events(void)
{
	uint32_t len;
	void *cookie;
	int posted = 0;

	while ((cookie = virtq_get_used(&vs.evq, &len)) != NULL) {
		uintptr_t i = (uintptr_t)cookie - 1;

		if (i >= EV_BUFS)
			continue;
		if (len >= sizeof(uint32_t) &&
		    mem.ev_bufs[i] == EVENT_TRANSPORT_RESET) {
			for (int c = 0; c < VSOCK_MAX_CONNS; c++)
				conn_reset(&vs.conns[c], -EIO, 0);
			read_cid();
		}
		post_ev((int)i);
		posted = 1;
	}
	if (posted)
		virtq_kick(&vs.evq);
}

/* Look at every queue once; returns how many packets arrived. */
static unsigned poll_once(void)
{
	uint32_t len;
	void *cookie;
	unsigned n = 0;

	while ((cookie = virtq_get_used(&vs.rxq, &len)) != NULL) {
		uintptr_t i = (uintptr_t)cookie - 1;

		if (i >= RX_BUFS)
			continue;
		recv_pkt(mem.rx_bufs[i], len);
		post_rx((int)i);
		n++;
	}
	if (n)
		virtq_kick_if_needed(&vs.rxq); /* it may wait for room */
	poll_events();
	reclaim_tx();
	flush_ctrl();
	return n;
}

/*
 * Poll until done(c) holds.  -EIO if the device breaks, or if a timeout
 * is set and nothing at all arrives for that long.
 */
static int wait_until(int (*done)(const struct conn *), const struct conn *c)
{
	uint64_t last = now();

	for (;;) {
		if (poll_once())
			last = now();
		if (done(c))
			return 0;
		if (dev_broken())
			return -EIO;
		uint64_t idle = now() - last;
		if (vs.timeout_ns && idle > vs.timeout_ns)
			return -EIO;
		if (vs.plat.relax)
			vs.plat.relax(idle);
		else
			__asm__ volatile("pause");
	}
}

/* --- set-up */

/* The rings and buffers, once (see `mem`); 0 or -ENOMEM. */
static int mem_setup(void)
{
	uint8_t *m;

	if (mem.rx_ring)
		return 0;
	m = vs.plat.alloc(MEM_BYTES);
	if (m == NULL)
		return -ENOMEM;
	mem.rx_ring = m;
	mem.tx_ring = m + RX_RING_BYTES;
	mem.ev_ring = m + RX_RING_BYTES + TX_RING_BYTES;
	mem.ev_bufs = (uint32_t *)(void *)(m + EV_OFF);
	mem.rx_bufs = (uint8_t(*)[RX_BUF_SIZE])(void *)(m + RX_OFF);
	mem.tx_slots = (uint8_t(*)[TX_SLOT_SIZE])(void *)(m + TX_OFF);
	return 0;
}

int vsock_init(struct virtio_dev *dev, const struct vsock_plat *plat)
{
	int rc;

	_Static_assert(EV_BUFS * sizeof(uint32_t) <= RX_OFF - EV_OFF,
		       "event buffers fit their page");
	memset(&vs, 0, sizeof(vs));
	if (dev == NULL || dev->device_id != VIRTIO_ID_VSOCK || plat == NULL ||
	    plat->alloc == NULL)
		return -EINVAL;
	if (virtq_mem_size(RX_BUFS) > RX_RING_BYTES ||
	    virtq_mem_size(TX_SLOTS) > TX_RING_BYTES ||
	    virtq_mem_size(EV_BUFS) > EV_RING_BYTES)
		return -EINVAL;
	vs.plat = *plat;
	if (mem_setup() < 0)
		return -ENOMEM;
	vs.dev = dev;
	vs.next_port = PORT_FIRST;
	if (!virtio_negotiate(dev, 0)) /* VERSION_1 only */
		return -EIO;
	read_cid();
	rc = virtq_init(&vs.rxq, dev, Q_RX, RX_BUFS, mem.rx_ring);
	if (rc == 0)
		rc = virtq_init(&vs.txq, dev, Q_TX, TX_SLOTS, mem.tx_ring);
	if (rc == 0)
		rc = virtq_init(&vs.evq, dev, Q_EV, EV_BUFS, mem.ev_ring);
	if (rc < 0 || vs.cid < 3)
		return virtio_fail(dev, rc < 0 ? rc : -EIO);
	/* We poll every queue, so ask the device not to interrupt
	 * (VRING_AVAIL_F_NO_INTERRUPT, avail->flags): each interrupt would
	 * cost the host an eventfd write and QEMU an injection for nothing.
	 * Set before DRIVER_OK, so the device never sees it change. */
	vs.rxq.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	vs.txq.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	vs.evq.avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
	for (int i = 0; i < RX_BUFS; i++)
		post_rx(i);
	for (int i = 0; i < EV_BUFS; i++)
		post_ev(i);
	virtio_driver_ok(dev);
	virtq_kick(&vs.rxq);
	virtq_kick(&vs.evq);
	vs.ready = 1;
	return 0;
}

uint64_t vsock_guest_cid(void)
{
	return vs.ready ? vs.cid : 0;
}

void vsock_set_timeout(uint64_t ns)
{
	vs.timeout_ns = vs.plat.now_ns ? ns : 0;
}

void vsock_get_stats(struct vsock_stats *s)
{
	*s = vs.stats;
}

/* --- the stream API */

static int slot_free(const struct conn *c)
{
	(void)c;
	return free_slot() >= 0;
}

static int not_connecting(const struct conn *c)
{
	return c->state != CS_CONNECTING;
}

int vsock_connect(uint32_t cid, uint32_t port)
{
	struct conn *c = NULL;
	int slot, rc, i;

	if (!vs.ready || dev_broken())
		return -EIO;
	for (i = 0; i < VSOCK_MAX_CONNS && !c; i++)
		if (vs.conns[i].state == CS_FREE)
			c = &vs.conns[i];
	if (c == NULL)
		return -EAGAIN;
	if (cid != VSOCK_CID_HOST)
		return -ENETUNREACH; /* the device only reaches the host */
	i = (int)(c - vs.conns);
	if (mem.conn_buf[i] == NULL &&
	    (mem.conn_buf[i] = vs.plat.alloc(VSOCK_CONN_BUF)) == NULL)
		return -ENOMEM;
	memset(c, 0, sizeof(*c));
	c->state = CS_CONNECTING;
	c->local_port = vs.next_port++;
	if (vs.next_port == 0)
		vs.next_port = PORT_FIRST;
	c->peer_port = port;
	rc = free_slot() < 0 ? wait_until(slot_free, c) : 0;
	slot = free_slot();
	if (rc == 0)
		rc = slot < 0 ? -EIO
			      : post_slot(slot, c->local_port, port, OP_REQUEST,
					  0, 0, c);
	if (rc == 0)
		rc = wait_until(not_connecting, c);
	if (rc == 0 && c->state != CS_CONNECTED)
		rc = c->err;
	if (rc < 0) {
		c->state = CS_FREE;
		return rc;
	}
	return (int)(c - vs.conns);
}

static int can_send(const struct conn *c)
{
	return c->state != CS_CONNECTED || (c->peer_shut & SHUTDOWN_RCV) ||
	       c->tx_cnt - c->peer_fwd_cnt < c->peer_buf_alloc;
}

long vsock_send(int ci, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t sent = 0;

	if (!conn_ok(ci))
		return -EINVAL;
	while (sent < len) {
		struct conn *c = &vs.conns[ci];
		uint32_t credit, n;
		int slot, rc;

		if (dev_broken())
			return -EIO; /* either ring: the device cannot be
					trusted */
		if (c->state != CS_CONNECTED)
			return c->err ? c->err : -EIO;
		if (c->peer_shut & SHUTDOWN_RCV)
			return -EPIPE;
		credit =
		    c->tx_cnt - c->peer_fwd_cnt >= c->peer_buf_alloc
			? 0
			: c->peer_buf_alloc - (c->tx_cnt - c->peer_fwd_cnt);
		if (credit == 0) {
			vs.stats.credit_waits++;
			if (!c->credit_asked &&
			    send_ctrl(c->local_port, c->peer_port,
				      OP_CREDIT_REQUEST, 0, c) == 0)
				c->credit_asked = 1;
			if ((rc = wait_until(can_send, c)) < 0)
				return rc;
			continue;
		}
		if ((slot = free_slot()) < 0) {
			vs.stats.tx_slot_waits++;
			if ((rc = wait_until(slot_free, c)) < 0)
				return rc;
			continue;
		}
		n = len - sent < TX_PAYLOAD_MAX ? (uint32_t)(len - sent)
						: TX_PAYLOAD_MAX;
		if (n > credit)
			n = credit;
		memcpy(mem.tx_slots[slot] + VSOCK_HDR_LEN, p + sent, n);
		rc = post_slot(slot, c->local_port, c->peer_port, OP_RW, 0, n,
			       c);
		if (rc < 0)
			return -EIO;
		sent += n;
	}
	return (long)sent;
}

static int can_recv(const struct conn *c)
{
	return c->rx_len > 0 || vs.direct_got > 0 || c->state != CS_CONNECTED ||
	       (c->peer_shut & SHUTDOWN_SEND);
}

/*
 * n more bytes were read.  The peer believes it may still send
 * VSOCK_CONN_BUF - (what it sent - fwd_reported), where what it sent is
 * fwd_cnt + rx_len.  Tell it about the room read out only when that
 * belief is under a quarter of the buffer and a quarter has been read
 * since (so no trickle of tiny updates).  A reader that finds nothing
 * to read has read everything the peer sent, so if the peer is stalled,
 * all of the buffer was read: an update went out, and no wait depends on
 * the peer's CREDIT_REQUEST.
 */
static void consumed(struct conn *c, uint32_t n)
{
	uint32_t unreported, believed_used;

	c->fwd_cnt += n;
	unreported = c->fwd_cnt - c->fwd_reported;
	believed_used = unreported + c->rx_len;
	if (unreported >= VSOCK_CONN_BUF / 4 &&
	    believed_used > VSOCK_CONN_BUF - VSOCK_CONN_BUF / 4) {
		c->need_credit_update = 1;
		flush_ctrl();
	}
}

long vsock_readable(int ci)
{
	struct conn *c;

	if (!conn_ok(ci))
		return -EINVAL;
	poll_once();
	c = &vs.conns[ci];
	if (c->rx_len)
		return c->rx_len;
	return c->state == CS_CONNECTED ? 0 : -EIO;
}

long vsock_recv(int ci, void *buf, size_t len)
{
	struct conn *c;
	uint8_t *ring, *out = buf;
	uint32_t n, first;
	int rc;

	if (!conn_ok(ci))
		return -EINVAL;
	c = &vs.conns[ci];
	if (len == 0)
		return 0;
	if (c->rx_len == 0) {
		vs.direct = c;
		vs.direct_buf = out;
		vs.direct_len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		vs.direct_got = 0;
	}
	rc = wait_until(can_recv, c);
	n = vs.direct_got;
	vs.direct = NULL;
	vs.direct_got = 0;
	if (n > 0) { /* already in the caller's buffer */
		consumed(c, n);
		return (long)n;
	}
	if (rc < 0)
		return rc;
	if (c->rx_len == 0) {
		if (c->state == CS_CONNECTED) /* peer shut its send side */
			return 0;
		return c->err ? c->err : -EIO;
	}
	ring = mem.conn_buf[ci];
	n = len < c->rx_len ? (uint32_t)len : c->rx_len;
	first =
	    VSOCK_CONN_BUF - c->rx_head < n ? VSOCK_CONN_BUF - c->rx_head : n;
	memcpy(out, ring + c->rx_head, first);
	memcpy(out + first, ring, n - first);
	c->rx_head = (c->rx_head + n) % VSOCK_CONN_BUF;
	c->rx_len -= n;
	consumed(c, n);
	return (long)n;
}

int vsock_close(int ci)
{
	struct conn *c;

	if (!conn_ok(ci))
		return -EINVAL;
	c = &vs.conns[ci];
	poll_once();
	/* The peer must hear of it, or its side stays open for the life of
	 * the VM: wait for a tx slot (bounded by the timeout, if any).  If
	 * none comes, the peer's next packet gets a RST as a stray. */
	if ((c->state == CS_CONNECTED || c->need_rst) && free_slot() < 0)
		(void)wait_until(slot_free, c);
	if (c->state == CS_CONNECTED)
		(void)send_ctrl(c->local_port, c->peer_port, OP_SHUTDOWN,
				SHUTDOWN_RCV | SHUTDOWN_SEND, c);
	else if (c->need_rst)
		(void)send_ctrl(c->local_port, c->peer_port, OP_RST, 0, c);
	/* Ports only grow, so a late RST for this one finds nothing. */
	c->state = CS_FREE;
	return 0;
}
