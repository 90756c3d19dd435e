/*
 * vsock_guest_unit.c - suite vsock-guest-unit: the guest's virtio-vsock
 * driver (guest/drivers/virtio/vsock.c + ring.c) built for the host under
 * ASan+UBSan, against a fake transport and a scripted peer that plays the
 * device and mewz-host.  The driver polls; its relax hook runs one step
 * of the peer and advances a fake clock, so everything is deterministic.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio.h"
#include "vsock.h"

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

/* --- the fake transport */

struct fq {
	uint16_t size;
	struct gdesc {
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;
	} * desc;
	volatile uint16_t *avail;
	volatile uint8_t *used;
	uint16_t last_avail, used_idx;
};

static struct {
	uint8_t status;
	uint64_t cid;
	struct fq q[3];
	unsigned kicks[3];
} fd_;

static uint64_t f_get_features(struct virtio_dev *d)
{
	(void)d;
	return VIRTIO_F_VERSION_1;
}
static void f_set_features(struct virtio_dev *d, uint64_t f)
{
	(void)d;
	(void)f;
}
static uint8_t f_get_status(struct virtio_dev *d)
{
	(void)d;
	return fd_.status;
}
static void f_set_status(struct virtio_dev *d, uint8_t s)
{
	(void)d;
	fd_.status = s;
}
static int f_config_read(struct virtio_dev *d, uint32_t off, void *buf,
			 size_t len)
{
	(void)d;
	if (off + len > 8)
		return -EINVAL;
	memcpy(buf, (uint8_t *)&fd_.cid + off, len);
	return 0;
}
static uint16_t f_queue_max(struct virtio_dev *d, uint16_t idx)
{
	(void)d;
	return idx < 3 ? 256 : 0;
}
static int f_queue_enable(struct virtio_dev *d, uint16_t idx, uint16_t size,
			  uint64_t desc, uint64_t driver, uint64_t device)
{
	(void)d;
	memset(&fd_.q[idx], 0, sizeof(fd_.q[idx]));
	fd_.q[idx].size = size;
	fd_.q[idx].desc = (struct gdesc *)(uintptr_t)desc;
	fd_.q[idx].avail = (volatile uint16_t *)(uintptr_t)driver;
	fd_.q[idx].used = (volatile uint8_t *)(uintptr_t)device;
	return 0;
}
static void f_queue_notify(struct virtio_dev *d, uint16_t idx)
{
	(void)d;
	fd_.kicks[idx]++;
}

static const struct virtio_config_ops fops = {
    .get_features = f_get_features,
    .set_features = f_set_features,
    .get_status = f_get_status,
    .set_status = f_set_status,
    .config_read = f_config_read,
    .queue_max = f_queue_max,
    .queue_enable = f_queue_enable,
    .queue_notify = f_queue_notify,
};

static struct virtio_dev fdev = {
    .device_id = VIRTIO_ID_VSOCK, .transport = "fake", .ops = &fops};

/* Device side: next available buffer of queue qi (one descriptor). */
static int dev_pop(int qi, uint16_t *head, uint8_t **buf, uint32_t *len)
{
	struct fq *q = &fd_.q[qi];

	if (q->avail[1] == q->last_avail)
		return 0;
	*head = q->avail[2 + q->last_avail % q->size];
	q->last_avail++;
	*buf = (uint8_t *)(uintptr_t)q->desc[*head].addr;
	*len = q->desc[*head].len;
	return 1;
}

static void dev_push(int qi, uint32_t id, uint32_t len)
{
	struct fq *q = &fd_.q[qi];
	uint32_t e[2] = {id, len};

	memcpy((void *)(q->used + 4 + 8 * (q->used_idx % q->size)), e, 8);
	q->used_idx++;
	*(volatile uint16_t *)(q->used + 2) = q->used_idx;
}

/* --- the scripted peer (host CID 2, port 1024) */

struct hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port, len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
} __attribute__((packed));

enum { REQ = 1, RESP, RST, SHUT, RW, CUPD, CREQ };

static struct {
	bool refuse, silent, answer_credit;
	uint32_t buf_alloc;  /* what the peer advertises */
	uint32_t fwd_cnt;    /* bytes the peer consumed */
	uint32_t got_cnt;    /* bytes the peer received */
	uint32_t guest_port; /* of the last connection */
	uint32_t guest_fwd, guest_buf;
	bool overrun;	 /* the guest sent past its credit */
	unsigned ops[8]; /* packets seen per op */
	uint8_t data[1 << 20];
	uint64_t clock;
} peer;

static void peer_send(uint16_t op, uint32_t flags, const void *p, uint32_t len)
{
	uint16_t head;
	uint8_t *buf;
	uint32_t blen;
	struct hdr h = {2, fd_.cid, 1024,  peer.guest_port, len,
			1, op,	    flags, peer.buf_alloc,  peer.fwd_cnt};

	if (!dev_pop(0, &head, &buf, &blen) || blen < sizeof(h) + len) {
		printf("peer: no rx buffer\n");
		return;
	}
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), p, len);
	dev_push(0, head, (uint32_t)sizeof(h) + len);
}

/* Handle everything the guest transmitted. */
static void peer_step(void)
{
	uint16_t head;
	uint8_t *buf;
	uint32_t len;
	struct hdr h;

	while (dev_pop(1, &head, &buf, &len)) {
		memcpy(&h, buf, sizeof(h));
		dev_push(1, head, 0);
		if (h.op < 8)
			peer.ops[h.op]++;
		peer.guest_fwd = h.fwd_cnt;
		peer.guest_buf = h.buf_alloc;
		if (peer.silent)
			continue;
		switch (h.op) {
		case REQ:
			peer.guest_port = h.src_port;
			peer_send(peer.refuse ? RST : RESP, 0, NULL, 0);
			break;
		case RW:
			if (peer.got_cnt + h.len - peer.fwd_cnt >
			    peer.buf_alloc)
				peer.overrun = true;
			if (peer.got_cnt + h.len <= sizeof(peer.data))
				memcpy(peer.data + peer.got_cnt,
				       buf + sizeof(h), h.len);
			peer.got_cnt += h.len;
			break;
		case CREQ:
			/* Consume what it has, then tell. */
			peer.fwd_cnt = peer.got_cnt;
			if (peer.answer_credit)
				peer_send(CUPD, 0, NULL, 0);
			break;
		case SHUT:
			peer_send(RST, 0, NULL, 0);
			break;
		}
	}
}

static uint64_t fake_now(void)
{
	return peer.clock;
}

/* Bytes the peer sends, 10000 per relax turn, while the guest waits. */
static const uint8_t *drip;
static uint32_t drip_left;

static void relax(uint64_t idle_ns)
{
	(void)idle_ns;
	peer.clock += 1000000; /* 1 ms per turn */
	peer_step();
	if (drip_left) {
		uint32_t n = drip_left < 10000 ? drip_left : 10000;

		peer_send(5 /* RW */, 0, drip, n);
		drip += n;
		drip_left -= n;
	}
}

/* The driver's memory: page-aligned, kept for the whole run. */
static void *test_alloc(size_t len)
{
	return aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
}

static const struct vsock_plat plat = {fake_now, relax, test_alloc};

static void reset_all(void)
{
	memset(&fd_, 0, sizeof(fd_));
	memset(&peer, 0, sizeof(peer));
	fd_.cid = 42;
	peer.buf_alloc = 65536;
	peer.answer_credit = true;
}

static int setup(void)
{
	reset_all();
	return vsock_init(&fdev, &plat);
}

/* --- tests */

static void test_init(void)
{
	CHECK("init", setup() == 0);
	CHECK("cid from config", vsock_guest_cid() == 42);
	CHECK("rx buffers posted", fd_.q[0].avail[1] == 32);
	CHECK("event buffers posted", fd_.q[2].avail[1] == 4);
	CHECK("DRIVER_OK", fd_.status & VIRTIO_STATUS_DRIVER_OK);
	CHECK("no interrupts asked (polled)", fd_.q[0].avail[0] == 1 &&
						  fd_.q[1].avail[0] == 1 &&
						  fd_.q[2].avail[0] == 1);
	reset_all();
	fd_.cid = 2; /* a device claiming the host's CID */
	CHECK("reserved cid refused", vsock_init(&fdev, &plat) < 0);
	fdev.device_id = VIRTIO_ID_RNG;
	CHECK("wrong device refused", vsock_init(&fdev, &plat) == -EINVAL);
	fdev.device_id = VIRTIO_ID_VSOCK;
}

static void test_connect(void)
{
	int c;

	setup();
	peer.refuse = true;
	CHECK("refused", vsock_connect(2, 1024) == -ECONNREFUSED);
	peer.refuse = false;
	CHECK("other cid", vsock_connect(7, 1024) == -ENETUNREACH);
	c = vsock_connect(2, 1024);
	CHECK("connect", c >= 0 && peer.ops[REQ] == 2);
	CHECK("request advertises our buffer",
	      peer.guest_buf == VSOCK_CONN_BUF);
	CHECK("close", vsock_close(c) == 0);
	peer_step();
	CHECK("close sends SHUTDOWN", peer.ops[SHUT] == 1);
	CHECK("closed handle", vsock_send(c, "x", 1) == -EINVAL);
	setup();
	peer.silent = true;
	vsock_set_timeout(50000000); /* 50 ms of fake time */
	CHECK("connect times out", vsock_connect(2, 1024) == -EIO);
}

static void test_send_credit(void)
{
	static uint8_t big[300000];
	int c;

	setup();
	peer.buf_alloc = 5000;
	c = vsock_connect(2, 1024);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 9));
	CHECK("send all", vsock_send(c, big, sizeof(big)) == (long)sizeof(big));
	peer_step();
	CHECK("bytes arrive in order",
	      peer.got_cnt == sizeof(big) &&
		  !memcmp(peer.data, big, sizeof(big)));
	CHECK("never past the peer's credit", !peer.overrun);
	CHECK("asked for credit", peer.ops[CREQ] > 0);
	/* A peer that never grants credit: the send fails, never hangs. */
	peer.answer_credit = false;
	vsock_set_timeout(100000000);
	CHECK("no credit: EIO after the timeout",
	      vsock_send(c, big, sizeof(big)) == -EIO);
}

/* The peer sends len bytes in 16000-byte packets; every 32 (the rx
 * ring's size) the guest takes them in without reading them. */
static void peer_send_bulk(int c, const uint8_t *p, size_t len)
{
	for (unsigned k = 1; len > 0; k++) {
		uint32_t n = len < 16000 ? (uint32_t)len : 16000;

		peer_send(RW, 0, p, n);
		p += n;
		len -= n;
		if (k % 32 == 0)
			vsock_readable(c);
	}
}

static void test_recv(void)
{
	static uint8_t src[VSOCK_CONN_BUF + 16000], out[VSOCK_CONN_BUF + 16000];
	/* Past three quarters of the buffer: the room the peer knows of
	 * runs low while the guest reads. */
	const long fill = VSOCK_CONN_BUF - VSOCK_CONN_BUF / 4 + 16000;
	long n, total = 0;
	int c;

	setup();
	c = vsock_connect(2, 1024);
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i ^ (i >> 9));
	peer_send_bulk(c, src, (size_t)fill);
	while (total < fill && (n = vsock_recv(c, out + total, 7000)) > 0)
		total += n;
	CHECK("recv in order", total == fill && !memcmp(out, src, fill));
	peer_step();
	CHECK("one credit update, once the peer's room ran low",
	      peer.ops[CUPD] == 1 && peer.guest_fwd >= VSOCK_CONN_BUF / 4);
	/* One byte more than the credit we gave: the connection is reset. */
	peer_send_bulk(c, src, VSOCK_CONN_BUF + 1);
	n = vsock_recv(c, out, sizeof(out));
	CHECK("data before the overrun is still readable", n > 0);
	while ((n = vsock_recv(c, out, sizeof(out))) > 0)
		;
	CHECK("overrun resets: EIO", n == -EIO);
	peer_step();
	CHECK("and the guest sent RST", peer.ops[RST] == 1);
}

/* A reply as big as a hostcall frame fits the buffer: reading it costs
 * no credit update; the guest's next packet carries its fwd_cnt. */
static void test_frame_no_update(void)
{
	static uint8_t src[256 * 1024], out[65536];
	long n, total = 0;
	int c;

	setup();
	c = vsock_connect(2, 1024);
	memset(src, 0x5a, sizeof(src));
	peer_send_bulk(c, src, sizeof(src));
	while (total < (long)sizeof(src) &&
	       (n = vsock_recv(c, out, sizeof(out))) > 0)
		total += n;
	peer_step();
	CHECK("a frame-sized reply: all read, no credit update",
	      total == (long)sizeof(src) && peer.ops[CUPD] == 0);
	vsock_send(c, "x", 1);
	peer_step();
	CHECK("the next packet tells the peer", peer.guest_fwd == sizeof(src));
	vsock_close(c);
}

/* recv waiting with an empty buffer gets bytes copied straight in. */
static void test_recv_direct(void)
{
	static uint8_t src[2 * VSOCK_CONN_BUF + 100000],
	    out[2 * VSOCK_CONN_BUF + 100000];
	long n, total = 0;
	int c;

	setup();
	c = vsock_connect(2, 1024);
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i ^ (i >> 8));
	drip = src;
	drip_left = sizeof(src);
	while (total < (long)sizeof(src) &&
	       (n = vsock_recv(c, out + total, sizeof(out) - total)) > 0)
		total += n;
	CHECK("direct recv: all bytes in order",
	      total == (long)sizeof(src) && !memcmp(out, src, sizeof(src)));
	peer_step();
	CHECK("direct recv: credit updates flow",
	      peer.ops[CUPD] >= 1 && sizeof(src) - peer.guest_fwd <=
					 VSOCK_CONN_BUF - VSOCK_CONN_BUF / 4);
	vsock_close(c);
}

static void test_peer_close(void)
{
	char b[8];
	int c;

	setup();
	c = vsock_connect(2, 1024);
	peer_send(RW, 0, "abc", 3);
	peer_send(SHUT, 2 /* SEND */, NULL, 0);
	CHECK("data before shutdown", vsock_recv(c, b, 8) == 3);
	CHECK("then end of stream", vsock_recv(c, b, 8) == 0);
	vsock_close(c);
	c = vsock_connect(2, 1024);
	peer_send(RST, 0, NULL, 0);
	CHECK("reset: recv EIO", vsock_recv(c, b, 8) == -EIO);
	CHECK("reset: send EIO", vsock_send(c, b, 8) == -EIO);
	vsock_close(c);
	c = vsock_connect(2, 1024);
	peer.silent = true;
	vsock_set_timeout(20000000);
	CHECK("silent peer: recv EIO", vsock_recv(c, b, 8) == -EIO);
	vsock_close(c);
}

static void test_hostile_device(void)
{
	uint16_t head;
	uint8_t *buf;
	uint32_t len;
	struct hdr h;
	char b[8];
	int c;

	setup();
	c = vsock_connect(2, 1024);
	/* A header claiming more payload than the device wrote. */
	dev_pop(0, &head, &buf, &len);
	h = (struct hdr){2, 42, 1024, peer.guest_port, 100, 1, RW, 0, 65536, 0};
	memcpy(buf, &h, sizeof(h));
	dev_push(0, head, sizeof(h) + 10);
	/* A packet for another CID, and one for a port nobody uses. */
	dev_pop(0, &head, &buf, &len);
	h = (struct hdr){2, 43, 1024, peer.guest_port, 0, 1, RW, 0, 65536, 0};
	memcpy(buf, &h, sizeof(h));
	dev_push(0, head, sizeof(h));
	dev_pop(0, &head, &buf, &len);
	h = (struct hdr){2, 42, 1024, 7, 0, 1, RW, 0, 65536, 0};
	memcpy(buf, &h, sizeof(h));
	dev_push(0, head, sizeof(h));
	peer.silent = true;
	vsock_set_timeout(5000000);
	CHECK("bogus packets deliver nothing",
	      vsock_recv(c, b, 8) == -EIO || vsock_readable(c) == 0);
	CHECK("stray port gets RST", peer.ops[RST] == 1);
	/* A used id the driver never posted: the ring is broken. */
	setup();
	c = vsock_connect(2, 1024);
	dev_push(0, 999, 44);
	CHECK("bad used id: EIO", vsock_recv(c, b, 8) == -EIO);
	CHECK("and stays EIO",
	      vsock_send(c, b, 8) == -EIO && vsock_connect(2, 1024) == -EIO);
	/* Used length above the buffer. */
	setup();
	c = vsock_connect(2, 1024);
	dev_pop(0, &head, &buf, &len);
	dev_push(0, head, len + 1);
	CHECK("overlong used length: EIO", vsock_recv(c, b, 8) == -EIO);
	/* Transport reset event. */
	setup();
	c = vsock_connect(2, 1024);
	dev_pop(2, &head, &buf, &len);
	memset(buf, 0, 4);
	dev_push(2, head, 4);
	CHECK("transport reset: EIO", vsock_recv(c, b, 8) == -EIO);
}

int main(void)
{
	test_init();
	test_connect();
	test_send_credit();
	test_recv();
	test_frame_no_update();
	test_recv_direct();
	test_peer_close();
	test_hostile_device();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
