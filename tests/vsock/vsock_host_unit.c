/*
 * vsock_host_unit.c - suite vsock-host-unit: the backend's virtio-vsock
 * stream protocol (host/daemon/vhost_vsock.c) in process, under
 * ASan+UBSan.  A fake guest writes packets into real split rings over a
 * heap "guest memory" and reads what the backend puts in its rx buffers;
 * the session layer and libuv are stubs that record what they are told.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "session.h"
#include "vhost_dev.h"

static int passed, failed;

#define CHECK(name, cond)                                                      \
	do {                                                                   \
		if (cond) {                                                    \
			passed++;                                              \
		} else {                                                       \
			failed++;                                              \
			printf("FAIL %s (%s:%d): %s\n", name, __FILE__,        \
			       __LINE__, #cond);                               \
		}                                                              \
	} while (0)

/* --- stubs: the session layer and the libuv side of the backend */

struct mh_session {
	struct mh_conn *conn;
	uint8_t got[1 << 20];
	size_t ngot;
	size_t sent;	 /* bytes session_sent reported */
	size_t pause_at; /* pause the connection once ngot reaches it */
	int gone;
};

static struct mh_session *sessions[80];
static int nsessions;

struct mh_session *session_new(struct mh_server *srv, struct mh_conn *conn)
{
	struct mh_session *s = calloc(1, sizeof(*s));

	(void)srv;
	s->conn = conn;
	conn->sess = s;
	sessions[nsessions++] = s;
	return s;
}

int session_feed(struct mh_session *s, const uint8_t *p, size_t n)
{
	memcpy(s->got + s->ngot, p, n);
	s->ngot += n;
	if (s->pause_at && s->ngot >= s->pause_at)
		s->conn->ops->pause(s->conn);
	return 0;
}

void session_sent(struct mh_session *s, size_t len)
{
	s->sent += len;
}

void session_conn_gone(struct mh_session *s)
{
	s->gone = 1;
}

void mh_log(const struct mh_server *srv, const char *fmt, ...)
{
	(void)srv;
	(void)fmt;
}

static int scheduled;

void vhost_dev_schedule(struct vhost_dev *d)
{
	(void)d;
	scheduled = 1;
}

bool vhost_vq_ready(const struct vhost_dev *d, int qi)
{
	return d->vq[qi].ring.avail && !d->vq[qi].ring.broken;
}

void vhost_vq_call(struct vhost_dev *d, int qi)
{
	(void)d;
	(void)qi;
}

/* --- the fake guest: 1 MiB at gpa 0x100000 (QEMU sees it at uva UVA) */

#define GPA  0x100000ull
#define UVA  0x7f0000000000ull
#define GMEM (1u << 20)
#define NUM  256u
#define CID  3u
static uint8_t gmem[GMEM] __attribute__((aligned(4096)));
/* Layout: rings of rx at 0, tx at 0x4000; tx buffers 0x10000 (64 KiB
 * each slot... 8 slots), rx buffers 0x90000 (4 KiB each). */
#define RING_RX 0x0u
#define RING_TX 0x4000u
#define TXBUF	0x10000u
#define TXSLOT	0x10000u
#define RXBUF	0x90000u
#define RXSLOT	0x1000u

struct hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port, len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
} __attribute__((packed));

enum { REQ = 1, RESP, RST, SHUT, RW, CUPD, CREQ };

static struct mh_server srv;
static struct vhost_dev *dev;
static struct {
	uint16_t tx_avail, rx_avail, rx_used_seen;
	unsigned tx_slot, rx_slot;
	uint32_t buf_alloc, fwd_cnt; /* what the guest advertises */
} g;

static uint16_t *avail(unsigned ring)
{
	return (uint16_t *)(gmem + ring + 16 * NUM);
}
static uint8_t *used(unsigned ring)
{
	return gmem + ring + 16 * NUM + 0x400;
}

static void desc(unsigned ring, unsigned i, uint64_t addr, uint32_t len,
		 uint16_t flags)
{
	uint8_t *d = gmem + ring + 16 * i;

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memset(d + 14, 0, 2);
}

static void setup(void)
{
	if (dev) { /* lets go of every session first */
		vsock_dev_reset(dev, false);
		free(dev);
	}
	for (int i = 0; i < nsessions; i++)
		free(sessions[i]);
	nsessions = 0;
	memset(gmem, 0, sizeof(gmem));
	memset(&g, 0, sizeof(g));
	g.buf_alloc = 65536;
	memset(&srv, 0, sizeof(srv));
	dev = calloc(1, sizeof(*dev));
	dev->srv = &srv;
	dev->port = 1024;
	dev->guest_cid = CID;
	dev->mem.n = 1;
	dev->mem.r[0].d = (struct vhost_region_desc){GPA, GMEM, UVA, 0};
	dev->mem.r[0].host = gmem;
	for (int qi = 0; qi < 2; qi++) {
		struct vhost_ring *r = &dev->vq[qi].ring;
		unsigned base = qi ? RING_TX : RING_RX;

		r->num = NUM;
		r->desc_uva = UVA + base;
		r->avail_uva = UVA + base + 16 * NUM;
		r->used_uva = UVA + base + 16 * NUM + 0x400;
		r->addr_set = true;
		vhost_ring_map(r, &dev->mem);
		dev->vq[qi].enabled = true;
		dev->vq[qi].call_fd = -1;
	}
}

/* Post n rx buffers of len bytes. */
static void rx_post(unsigned n, uint32_t len)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned slot = g.rx_slot++ % 128;

		desc(RING_RX, slot, GPA + RXBUF + slot * RXSLOT, len, 2);
		avail(RING_RX)[2 + g.rx_avail % NUM] = (uint16_t)slot;
		g.rx_avail++;
		avail(RING_RX)[1] = g.rx_avail;
	}
}

/* The guest sends one packet; the backend handles it and its work. */
static void tx(uint16_t op, uint32_t src_port, uint32_t dst_port, const void *p,
	       uint32_t len)
{
	unsigned slot = g.tx_slot++ % 8;
	uint8_t *b = gmem + TXBUF + slot * TXSLOT;
	struct hdr h = {CID, 2,	 src_port, dst_port,	len,
			1,   op, 0,	   g.buf_alloc, g.fwd_cnt};

	memcpy(b, &h, sizeof(h));
	if (len)
		memcpy(b + sizeof(h), p, len);
	desc(RING_TX, slot, GPA + TXBUF + slot * TXSLOT,
	     (uint32_t)sizeof(h) + len, 0);
	avail(RING_TX)[2 + g.tx_avail % NUM] = (uint16_t)slot;
	g.tx_avail++;
	avail(RING_TX)[1] = g.tx_avail;
	vsock_dev_tx(dev);
	vsock_dev_work(dev);
}

static void tx_raw(const struct hdr *h)
{
	unsigned slot = g.tx_slot++ % 8;

	memcpy(gmem + TXBUF + slot * TXSLOT, h, sizeof(*h));
	desc(RING_TX, slot, GPA + TXBUF + slot * TXSLOT, sizeof(*h), 0);
	avail(RING_TX)[2 + g.tx_avail % NUM] = (uint16_t)slot;
	g.tx_avail++;
	avail(RING_TX)[1] = g.tx_avail;
	vsock_dev_tx(dev);
	vsock_dev_work(dev);
}

/* Next packet the backend put in an rx buffer; 0 if none. */
static int rx(struct hdr *h, uint8_t *payload)
{
	uint16_t idx;
	uint32_t e[2];

	memcpy(&idx, used(RING_RX) + 2, 2);
	if (idx == g.rx_used_seen)
		return 0;
	memcpy(e, used(RING_RX) + 4 + 8 * (g.rx_used_seen % NUM), 8);
	g.rx_used_seen++;
	memcpy(h, gmem + RXBUF + e[0] * RXSLOT, sizeof(*h));
	if (payload && h->len)
		memcpy(payload, gmem + RXBUF + e[0] * RXSLOT + sizeof(*h),
		       h->len);
	return e[1] == sizeof(*h) + h->len ? 1 : -1;
}

/* Count packets with op waiting in rx (consuming them). */
static int rx_count(uint16_t op, uint32_t *bytes)
{
	struct hdr h;
	int n = 0;

	while (rx(&h, NULL) == 1)
		if (h.op == op) {
			n++;
			if (bytes)
				*bytes += h.len;
		}
	return n;
}

static void work(void)
{
	vsock_dev_work(dev);
}

/* --- tests */

static void test_connect(void)
{
	struct hdr h;

	setup();
	rx_post(16, 4096);
	tx(REQ, 5000, 1024, NULL, 0);
	CHECK("REQUEST gets RESPONSE",
	      rx(&h, NULL) == 1 && h.op == RESP && h.src_cid == 2 &&
		  h.dst_cid == CID && h.src_port == 1024 &&
		  h.dst_port == 5000 && h.buf_alloc == VSOCK_HOST_BUF);
	CHECK("a session per connection", nsessions == 1);
	tx(RW, 5000, 1024, "hello", 5);
	CHECK("RW reaches the session",
	      sessions[0]->ngot == 5 && !memcmp(sessions[0]->got, "hello", 5));
	tx(REQ, 5001, 999, NULL, 0);
	CHECK("another port: RST", rx(&h, NULL) == 1 && h.op == RST &&
				       h.dst_port == 5001 && nsessions == 1);
	tx(RW, 6000, 1024, "x", 1);
	CHECK("RW without a connection: RST",
	      rx(&h, NULL) == 1 && h.op == RST && h.dst_port == 6000);
	tx(RST, 6001, 1024, NULL, 0);
	CHECK("stray RST: nothing back", rx(&h, NULL) == 0);
	struct hdr spoof = {CID + 1, 2, 5000, 1024, 0, 1, RW, 0, 0, 0};
	tx_raw(&spoof);
	CHECK("spoofed source CID: dropped", rx(&h, NULL) == 0);
	struct hdr dgram = {CID, 2, 5000, 1024, 0, 2, RW, 0, 0, 0};
	tx_raw(&dgram);
	CHECK("seqpacket type: RST", rx(&h, NULL) == 1 && h.op == RST);
	struct hdr longer = {CID, 2, 5000, 1024, 100, 1, RW, 0, 65536, 0};
	tx_raw(&longer);
	CHECK("len beyond the buffer: dropped", sessions[0]->ngot == 5);
	tx(SHUT, 5000, 1024, NULL, 0);
	CHECK("SHUTDOWN: RST back and the session let go",
	      rx(&h, NULL) == 1 && h.op == RST && h.dst_port == 5000 &&
		  sessions[0]->gone);
}

static void test_send_credit(void)
{
	static uint8_t frame[10000], got[10000];
	uint8_t *buf = malloc(sizeof(frame));
	struct hdr h;
	uint32_t total = 0, n;

	setup();
	rx_post(64, 4096);
	g.buf_alloc = 3000;
	tx(REQ, 5000, 1024, NULL, 0);
	rx(&h, NULL);
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 13);
	memcpy(buf, frame, sizeof(frame));
	sessions[0]->conn->ops->send(sessions[0]->conn, buf, sizeof(frame));
	work();
	while (rx(&h, got + total) == 1 && h.op == RW)
		total += h.len;
	CHECK("sends up to the guest's credit", total == 3000);
	CHECK("then asks for credit", h.op == CREQ);
	CHECK("not done yet", sessions[0]->sent == 0);
	/* The guest read it all and says so, twice as much as needed. */
	for (int round = 0; round < 5 && total < sizeof(frame); round++) {
		g.fwd_cnt = total;
		tx(CUPD, 5000, 1024, NULL, 0);
		while ((n = (uint32_t)rx(&h, got + total)) == 1)
			if (h.op == RW)
				total += h.len;
	}
	CHECK("everything arrives in order",
	      total == sizeof(frame) && !memcmp(got, frame, sizeof(frame)));
	CHECK("and the frame is reported sent",
	      sessions[0]->sent == sizeof(frame));
	tx(CREQ, 5000, 1024, NULL, 0);
	CHECK("CREDIT_REQUEST answered", rx(&h, NULL) == 1 && h.op == CUPD);
}

static void test_backpressure(void)
{
	/* Past three quarters of our buffer, in packets of 60000. */
	enum { PKT = 60000, NPKT = (VSOCK_HOST_BUF - VSOCK_HOST_BUF / 4) / PKT + 1 };
	static uint8_t chunk[100 + NPKT * PKT];
	struct mh_session *s;
	uint32_t sent;
	struct hdr h;

	setup();
	rx_post(64, 4096);
	tx(REQ, 5000, 1024, NULL, 0);
	rx(&h, NULL);
	s = sessions[0];
	s->pause_at = 1;
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (uint8_t)(i ^ (i >> 9));
	tx(RW, 5000, 1024, chunk, 100); /* fed, then the session pauses */
	for (int i = 0; i < NPKT; i++) /* backlog */
		tx(RW, 5000, 1024, chunk + 100 + i * PKT, PKT);
	CHECK("paused: held back", s->ngot == 100);
	CHECK("no credit update while nothing is forwarded",
	      rx_count(CUPD, NULL) == 0);
	s->pause_at = 0;
	s->conn->ops->resume(s->conn);
	work();
	CHECK("resume: backlog fed in order",
	      s->ngot == sizeof(chunk) && !memcmp(s->got, chunk, sizeof(chunk)));
	CHECK("credit update once the guest's room ran low",
	      rx_count(CUPD, NULL) == 1);
	/* Paused again, the guest overruns its credit: reset. */
	s->pause_at = 1;
	tx(RW, 5000, 1024, chunk, 10);
	for (sent = 10; sent <= VSOCK_HOST_BUF; sent += PKT)
		tx(RW, 5000, 1024, chunk, PKT);
	CHECK("sending past the credit resets",
	      rx_count(RST, NULL) == 1 && s->gone);
}

/* A request as big as a frame needs no credit update of its own: the
 * reply carries the fwd_cnt. */
static void test_frame_no_update(void)
{
	static uint8_t chunk[60000];
	struct hdr h;

	setup();
	rx_post(64, 4096);
	tx(REQ, 5000, 1024, NULL, 0);
	rx(&h, NULL);
	for (uint32_t sent = 0; sent < 256 * 1024; sent += sizeof(chunk))
		tx(RW, 5000, 1024, chunk, sizeof(chunk));
	work();
	CHECK("a frame-sized request: no credit update",
	      rx_count(CUPD, NULL) == 0);
}

static void test_limits(void)
{
	struct hdr h;
	uint8_t *buf;
	int resp = 0, rst = 0;

	setup();
	rx_post(128, 4096);
	for (uint32_t p = 0; p < VSOCK_MAX_CONNS_PER_VM + 1; p++)
		tx(REQ, 7000 + p, 1024, NULL, 0);
	while (rx(&h, NULL) == 1) {
		resp += h.op == RESP;
		rst += h.op == RST;
	}
	CHECK("connections per VM capped",
	      resp == VSOCK_MAX_CONNS_PER_VM && rst == 1);
	/* No rx buffer: the reply waits for one, then goes out. */
	setup();
	tx(REQ, 5000, 1024, NULL, 0);
	CHECK("no rx buffer: nothing yet", rx(&h, NULL) == 0);
	/* Out of buffers, the backend asks for the guest's next rx kick. */
	CHECK("no rx buffer: kicks wanted", (*(uint16_t *)used(RING_RX) & 1) == 0);
	rx_post(1, 4096);
	work();
	CHECK("buffer posted: RESPONSE", rx(&h, NULL) == 1 && h.op == RESP);
	/* With buffers again, rx kicks are suppressed (VRING_USED_F_NO_NOTIFY). */
	CHECK("buffer posted: kicks suppressed", (*(uint16_t *)used(RING_RX) & 1) == 1);
	/* A buffer too small for a header is skipped, not written past. */
	rx_post(1, 20);
	rx_post(1, 4096);
	buf = malloc(5);
	memcpy(buf, "reply", 5);
	sessions[0]->conn->ops->send(sessions[0]->conn, buf, 5);
	work();
	CHECK("tiny rx buffer skipped", rx(&h, NULL) == -1);
	CHECK("next buffer used",
	      rx(&h, NULL) == 1 && h.op == RW && h.len == 5);
	/* The session closes: RST to the guest. */
	sessions[0]->conn->ops->close(sessions[0]->conn);
	rx_post(1, 4096);
	work();
	CHECK("session close: RST",
	      rx(&h, NULL) == 1 && h.op == RST && sessions[0]->gone);
	/* Device reset with a connection open: the session is let go. */
	tx(REQ, 5001, 1024, NULL, 0);
	vsock_dev_reset(dev, false);
	CHECK("device reset lets sessions go",
	      sessions[1]->gone && vsock_dev_idle(dev));
}

int main(void)
{
	test_connect();
	test_send_credit();
	test_frame_no_update();
	test_backpressure();
	test_limits();
	setup();
	vsock_dev_reset(dev, false);
	free(dev);
	for (int i = 0; i < nsessions; i++)
		free(sessions[i]);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
