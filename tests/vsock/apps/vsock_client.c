/*
 * vsock_client.c - a guest test program linked with the kernel (like the
 * stand-ins of tests/guest/apps, but calling the kernel's vsock driver
 * directly, since the WASI hostcall client is wired up elsewhere).  It
 * connects to mewz-host over virtio-vsock (CID 2, port 1024) and speaks
 * proto frames with the one codec.
 *
 * usage (argv after the image name):
 *   basic        HELLO; write hello.txt; read from-host.txt; print both
 *   big MIB      write MIB MiB of a pattern to big.bin (print its cksum),
 *                read it back checking every byte, read rand.bin (print
 *                its cksum); print bandwidths
 *   ping N       N PINGs; print the average and best round trip
 *   hostile      take the device with rings of our own and, after one
 *                good packet, offer the backend a hostile tx chain (six
 *                kinds); then reset and talk to the host properly
 *   loop [S]     PING until a call fails; print the error, exit 3; a
 *                call waits at most S seconds (default 20) for the peer
 * Exit 0 on success, 1 on a failed check, 3 when a call fails (loop).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mewz/abi.h>
#include <mewz/plat.h>

#include "proto.h"
#include "ring.h"
#include "vsock.h"

const uint32_t __wasm_memory_initial_pages = 1;
const uint32_t __wasm_memory_max_pages = 1;
const uint32_t __wasm_memory_flags = MEWZ_MEMORY_PRESENT;

void __wasm_init(void)
{
}

/* From the kernel (plat/kvm/kvm.h, lib/syscalls.c). */
struct virtio_dev *devices_find(uint32_t device_id);
void *mem_boot_alloc(size_t len);
int write(int fd, const void *buf, size_t len);

#define FRAME	 (256u * 1024)
#define HOSTPORT 1024u

static uint8_t txf[FRAME], rxf[FRAME];
static uint8_t chunk[FRAME];
static int conn = -1;
static uint32_t next_id = 1, max_frame = PROTO_FRAME_DEFAULT;
static uint32_t dirh;
static uint64_t dir_rights;

static void say(const char *fmt, ...)
{
	char b[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(b) - 1)
		n = sizeof(b) - 1;
	write(1, b, (size_t)n);
}

static _Noreturn void die(int status, const char *what, long err)
{
	say("vsock-client: %s: %ld\n", what, err);
	mewz_plat_exit(status);
}

static void recv_exact(uint8_t *p, size_t n)
{
	while (n > 0) {
		long r = vsock_recv(conn, p, n);

		if (r <= 0)
			die(3, "recv", r ? r : -EPIPE);
		p += r;
		n -= (size_t)r;
	}
}

/* One round trip; returns the reply's status (a WASI errno). */
static uint32_t call(uint16_t op, const struct proto_msg *req,
		     struct proto_msg *resp)
{
	struct proto_hdr h = {.op = op, .id = next_id++};
	int64_t n = proto_encode(txf, sizeof(txf), &h, req);
	long r;

	if (n < 0)
		die(1, "encode", (long)n);
	r = vsock_send(conn, txf, (size_t)n);
	if (r != n)
		die(3, "send", r);
	recv_exact(rxf, PROTO_HDR_LEN);
	if (proto_decode_hdr(rxf, PROTO_HDR_LEN, FRAME, &h) != 0 ||
	    h.id != next_id - 1 || h.op != op)
		die(1, "reply header", 0);
	recv_exact(rxf + PROTO_HDR_LEN, h.payload_len);
	if (proto_decode(&h, rxf + PROTO_HDR_LEN, resp) != 0)
		die(1, "reply payload", 0);
	return h.status;
}

static void hello(void)
{
	struct proto_msg req = {.val = {PROTO_VERSION, 0, FRAME}, .nval = 3};
	struct proto_msg resp;
	struct proto_cur cur;
	uint32_t st = call(PROTO_OP_HELLO, &req, &resp), count;

	if (st != 0)
		die(1, "HELLO status", st);
	max_frame = (uint32_t)resp.val[2];
	proto_cur_init(&cur, resp.str[0].p, resp.str[0].len);
	count = proto_get_u32(&cur);
	dirh = proto_get_u32(&cur);
	(void)proto_get_u64(&cur);
	dir_rights = proto_get_u64(&cur); /* inheriting: what OPEN may ask */
	if (cur.bad || count < 1)
		die(1, "HELLO preopens", count);
	say("hello: version %u max_frame %u preopens %u cid %u\n",
	    (unsigned)resp.val[0], max_frame, count,
	    (unsigned)vsock_guest_cid());
}

static uint32_t open_file(const char *path, uint32_t oflags)
{
	struct proto_msg req = {
	    .val = {dirh, 0, oflags, dir_rights, dir_rights, 0},
	    .nval = 6,
	    .str = {{(const uint8_t *)path, (uint32_t)strlen(path)}},
	    .nstr = 1};
	struct proto_msg resp;
	uint32_t st = call(PROTO_OP_OPEN, &req, &resp);

	if (st != 0)
		die(1, path, st);
	return (uint32_t)resp.val[0];
}

static void close_file(uint32_t h)
{
	struct proto_msg req = {.val = {h}, .nval = 1}, resp;

	if (call(PROTO_OP_CLOSE, &req, &resp) != 0)
		die(1, "CLOSE", 0);
}

static void write_all(uint32_t h, const uint8_t *p, size_t n)
{
	uint32_t io = proto_io_max(max_frame);

	while (n > 0) {
		uint32_t len = n < io ? (uint32_t)n : io;
		struct proto_msg req = {.val = {h},
					.nval = 1,
					.str = {{p, len}},
					.nstr = 1},
				 resp;

		if (call(PROTO_OP_WRITE, &req, &resp) != 0 ||
		    resp.val[0] == 0 || resp.val[0] > len)
			die(1, "WRITE", (long)resp.val[0]);
		p += resp.val[0];
		n -= resp.val[0];
	}
}

/* Up to max bytes into out; 0 at end of file. */
static uint32_t read_some(uint32_t h, uint8_t *out, uint32_t max)
{
	struct proto_msg req = {.val = {h, max}, .nval = 2}, resp;

	if (call(PROTO_OP_READ, &req, &resp) != 0 || resp.str[0].len > max)
		die(1, "READ", 0);
	memcpy(out, resp.str[0].p, resp.str[0].len);
	return resp.str[0].len;
}

/* POSIX cksum: CRC-32 (poly 0x04c11db7, MSB first) over the data and
 * then its length, inverted; what `cksum FILE` prints. */
struct cksum {
	uint32_t crc;
	uint64_t len;
};

static void ck_byte(struct cksum *c, uint8_t b)
{
	c->crc ^= (uint32_t)b << 24;
	for (int i = 0; i < 8; i++)
		c->crc = (c->crc & 0x80000000u) ? (c->crc << 1) ^ 0x04c11db7u
						: c->crc << 1;
}

static void ck_add(struct cksum *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_byte(c, p[i]);
	c->len += n;
}

static uint32_t ck_end(struct cksum *c)
{
	for (uint64_t l = c->len; l; l >>= 8)
		ck_byte(c, (uint8_t)l);
	return ~c->crc;
}

static uint8_t pattern(uint64_t i)
{
	return (uint8_t)(i * 131 + (i >> 11) + (i >> 19));
}

static uint64_t now(void)
{
	return mewz_plat_monotonic_ns();
}

static unsigned mbps(uint64_t bytes, uint64_t ns)
{
	return ns ? (unsigned)(bytes * 1000 / ns) : 0; /* bytes/us = MB/s */
}

static void do_basic(void)
{
	static const char msg[] = "hello from the guest over vsock\n";
	uint8_t buf[256];
	uint32_t h, n;

	h = open_file("hello.txt", PROTO_O_CREAT | PROTO_O_TRUNC);
	write_all(h, (const uint8_t *)msg, sizeof(msg) - 1);
	close_file(h);
	h = open_file("from-host.txt", 0);
	n = read_some(h, buf, sizeof(buf) - 1);
	close_file(h);
	buf[n] = 0;
	say("read: %s", (char *)buf);
	h = open_file("hello.txt", 0);
	n = read_some(h, buf, sizeof(buf) - 1);
	close_file(h);
	if (n != sizeof(msg) - 1 || memcmp(buf, msg, n) != 0)
		die(1, "hello.txt read back differs", n);
	say("basic: ok\n");
}

static void do_big(uint64_t mib)
{
	uint64_t total = mib << 20, off = 0, t0, t1;
	uint32_t io = proto_io_max(max_frame), h, n;
	struct cksum ck = {0, 0};

	h = open_file("big.bin", PROTO_O_CREAT | PROTO_O_TRUNC);
	t0 = now();
	while (off < total) {
		n = total - off < io ? (uint32_t)(total - off) : io;
		for (uint32_t i = 0; i < n; i++)
			chunk[i] = pattern(off + i);
		ck_add(&ck, chunk, n);
		write_all(h, chunk, n);
		off += n;
	}
	t1 = now();
	close_file(h);
	say("big: wrote %llu cksum %u %llu (%u MB/s)\n",
	    (unsigned long long)total, ck_end(&ck), (unsigned long long)total,
	    mbps(total, t1 - t0));
	h = open_file("big.bin", 0);
	off = 0;
	t0 = now();
	while ((n = read_some(h, chunk, io)) > 0) {
		for (uint32_t i = 0; i < n; i++)
			if (chunk[i] != pattern(off + i))
				die(1, "big.bin differs at", (long)(off + i));
		off += n;
	}
	t1 = now();
	close_file(h);
	if (off != total)
		die(1, "big.bin read back short", (long)off);
	say("big: read back %llu ok (%u MB/s)\n", (unsigned long long)off,
	    mbps(off, t1 - t0));
	ck = (struct cksum){0, 0};
	h = open_file("rand.bin", 0);
	off = 0;
	t0 = now();
	while ((n = read_some(h, chunk, io)) > 0) {
		ck_add(&ck, chunk, n);
		off += n;
	}
	t1 = now();
	close_file(h);
	say("big: rand cksum %u %llu\n", ck_end(&ck), (unsigned long long)off);
	/* Sequential read bandwidth without the checksum in the loop. */
	h = open_file("big.bin", 0);
	off = 0;
	t0 = now();
	while ((n = read_some(h, chunk, io)) > 0)
		off += n;
	t1 = now();
	close_file(h);
	say("bench: sequential read %llu bytes in %u-byte reads: %u MB/s\n",
	    (unsigned long long)off, io, mbps(off, t1 - t0));
	/* The same bytes moved by memcpy alone, for the ratio. */
	t0 = now();
	for (uint64_t done = 0; done < off; done += io) {
		memcpy(txf, chunk, io);
		__asm__ volatile("" : : "r"(txf) : "memory");
	}
	t1 = now();
	say("bench: in-guest memcpy of the same bytes: %u MB/s\n",
	    mbps(off, t1 - t0));
}

static void do_ping(unsigned n)
{
	uint64_t best = ~0ull, sum = 0;
	struct proto_msg resp;

	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = now(), d;

		if (call(PROTO_OP_PING, NULL, &resp) != 0)
			die(1, "PING", 0);
		d = now() - t0;
		sum += d;
		if (d < best)
			best = d;
	}
	say("bench: null round trip (PING) x%u: avg %llu ns, best %llu ns\n", n,
	    (unsigned long long)(n ? sum / n : 0), (unsigned long long)best);
}

static _Noreturn void do_loop(void)
{
	struct proto_msg resp;

	say("loop: running\n");
	for (;;) {
		struct proto_hdr h = {.op = PROTO_OP_PING, .id = next_id++};
		int64_t n = proto_encode(txf, sizeof(txf), &h, NULL);
		long r = vsock_send(conn, txf, (size_t)n);
		size_t got = 0;

		while (r == n && got < PROTO_HDR_LEN) {
			long k =
			    vsock_recv(conn, rxf + got, PROTO_HDR_LEN - got);

			if (k <= 0) {
				r = k ? k : -EPIPE;
				break;
			}
			got += (size_t)k;
		}
		if (r < 0) {
			say("loop: call failed: %ld%s\n", r,
			    r == -EIO ? " (EIO)" : "");
			mewz_plat_exit(3);
		}
		(void)resp;
	}
}

/* --- hostile: our own rings on the vsock device */

static uint8_t h_ring[3][4096] __attribute__((aligned(4096)));
static uint8_t h_pkt[64] __attribute__((aligned(64)));
static uint8_t h_rx[8][256] __attribute__((aligned(64)));

struct bad_chain {
	const char *what;
	struct vring_desc d;
	uint16_t head; /* what the avail ring names */
};

/* One round: a good REQUEST, then the bad chain; wait (bounded) until
 * the backend has used the good one, so it has reached the bad one. */
static int hostile_round(struct virtio_dev *dev, const struct bad_chain *b)
{
	struct virtq rx, tx, ev;
	struct virtq_buf pkt = {(uint64_t)(uintptr_t)h_pkt, 44};
	volatile uint16_t *used_idx;
	uint64_t deadline;

	if (!virtio_negotiate(dev, 0) ||
	    virtq_init(&rx, dev, 0, 8, h_ring[0]) < 0 ||
	    virtq_init(&tx, dev, 1, 8, h_ring[1]) < 0 ||
	    virtq_init(&ev, dev, 2, 8, h_ring[2]) < 0)
		return -1;
	virtio_driver_ok(dev);
	for (int i = 0; i < 8; i++) {
		struct virtq_buf r = {(uint64_t)(uintptr_t)h_rx[i],
				      sizeof(h_rx[i])};

		virtq_add(&rx, &r, 0, 1, h_rx[i]);
	}
	virtq_kick(&rx);
	/* A REQUEST from our CID to 2:1024 (virtio_vsock_hdr, LE). */
	uint64_t cid = vsock_guest_cid() ? vsock_guest_cid() : 3;
	memset(h_pkt, 0, sizeof(h_pkt));
	virtio_config_read(dev, 0, &cid, sizeof(cid));
	memcpy(h_pkt, &cid, 8);
	h_pkt[8] = 2;
	h_pkt[16] = 0x99; /* src port 0xc099 */
	h_pkt[17] = 0xc0;
	h_pkt[20] = 0x00; /* dst port 1024 */
	h_pkt[21] = 0x04;
	h_pkt[28] = 1;	  /* STREAM */
	h_pkt[30] = 1;	  /* REQUEST */
	h_pkt[37] = 0x10; /* buf_alloc 4096 */
	if (virtq_add(&tx, &pkt, 1, 0, h_pkt) < 0)
		return -1;
	/* The bad chain, written straight into the ring: descriptor 5. */
	tx.desc[5] = b->d;
	tx.avail[2 + (tx.avail_idx & (tx.size - 1))] = b->head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tx.avail_idx++;
	tx.avail[1] = tx.avail_idx;
	virtq_kick(&tx);
	used_idx = (volatile uint16_t *)(tx.used + 2);
	deadline = now() + 10ull * 1000 * 1000 * 1000;
	while (*used_idx == 0 && now() < deadline)
		__asm__ volatile("pause");
	return *used_idx >= 1 ? 0 : -1;
}

static void do_hostile(void)
{
	struct virtio_dev *dev = devices_find(VIRTIO_ID_VSOCK);
	uint64_t ok_addr = (uint64_t)(uintptr_t)h_pkt;
	const struct bad_chain bad[] = {
	    {"buffer outside RAM", {1ull << 40, 64, 0, 0}, 5},
	    {"length 4 GiB - 1", {ok_addr, 0xffffffffu, 0, 0}, 5},
	    {"chain loops", {ok_addr, 44, 1, 5}, 5},
	    {"indirect", {ok_addr, 16, 4, 0}, 5},
	    {"link out of range", {ok_addr, 44, 1, 0x7fff}, 5},
	    {"head out of range", {ok_addr, 44, 0, 0}, 0xffff},
	};
	const struct vsock_plat plat = {mewz_plat_monotonic_ns, NULL,
					mem_boot_alloc};
	struct proto_msg resp;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (hostile_round(dev, &bad[i]) < 0)
			die(1, bad[i].what, (long)i);
		say("hostile: %s: offered\n", bad[i].what);
	}
	/* Reset again and use the device as the driver does. */
	if (vsock_init(dev, &plat) < 0)
		die(1, "vsock_init after hostile rounds", 0);
	vsock_set_timeout(20ull * 1000 * 1000 * 1000);
	conn = vsock_connect(VSOCK_CID_HOST, HOSTPORT);
	if (conn < 0)
		die(1, "connect after hostile rounds", conn);
	hello();
	if (call(PROTO_OP_PING, NULL, &resp) != 0)
		die(1, "PING after hostile rounds", 0);
	say("hostile: recovered\n");
}

static void relax(uint64_t idle_ns)
{
	(void)idle_ns;
	__asm__ volatile("pause");
}

void wasm_start(void) __asm__("__wasm_export._start");
void wasm_start(void)
{
	const struct mewz_plat_args *a = mewz_plat_args();
	const struct vsock_plat plat = {mewz_plat_monotonic_ns, relax,
					mem_boot_alloc};
	const char *mode = a->argc > 1 ? a->argv[1] : "basic";
	long arg = a->argc > 2 ? strtol(a->argv[2], NULL, 10) : 0;
	int rc;

	if (strcmp(mode, "hostile") == 0) {
		do_hostile();
		vsock_close(conn);
		return;
	}
	/* The kernel's hostlink (plat/kvm/hostlink.c) has usually set the
	 * device up and holds the first connection: ours is a second one. */
	rc = vsock_guest_cid()
		 ? 0
		 : vsock_init(devices_find(VIRTIO_ID_VSOCK), &plat);
	if (rc < 0)
		die(1, "vsock_init", rc);
	vsock_set_timeout(
	    (strcmp(mode, "loop") == 0 && arg > 0 ? (uint64_t)arg : 20) *
	    1000000000ull);
	conn = vsock_connect(VSOCK_CID_HOST, HOSTPORT);
	if (conn < 0)
		die(1, "connect", conn);
	hello();
	if (strcmp(mode, "basic") == 0)
		do_basic();
	else if (strcmp(mode, "big") == 0)
		do_big(arg > 0 ? (uint64_t)arg : 4);
	else if (strcmp(mode, "ping") == 0)
		do_ping(arg > 0 ? (unsigned)arg : 1000);
	else if (strcmp(mode, "loop") == 0)
		do_loop();
	else
		die(1, "unknown mode", 0);
	vsock_close(conn);
	{
		struct vsock_stats s;

		vsock_get_stats(&s);
		say("stats: rx %llu tx %llu credit-waits %llu slot-waits "
		    "%llu\n",
		    (unsigned long long)s.rx_pkts,
		    (unsigned long long)s.tx_pkts,
		    (unsigned long long)s.credit_waits,
		    (unsigned long long)s.tx_slot_waits);
	}
}
