/*
 * hostcall.c - the connection to mewz-host: framing, one request at a
 * time matched by id, HELLO, and the broken state.  See hostcall.h.
 */
#include <errno.h>
#include <stdlib.h>

#include <mewz/plat.h>

#include "hostcall.h"
#include "wasi.h"

static struct hostcall_transport conn;
static int conn_up;	/* HELLO done and nothing went wrong since */
static int conn_broken; /* final: every call is -EIO */
static uint32_t max_frame = PROTO_FRAME_DEFAULT;
static uint32_t next_id = 1;

/* Taken once, at the first hostcall_start (not .bss: a program run
 * without a host should not have 512 KiB zeroed at every boot). */
static uint8_t *tx_buf, *rx_buf;

int hostcall_up(void)
{
	return conn_up && !conn_broken;
}

void hostcall_break(void)
{
	conn_broken = 1;
}

uint32_t hostcall_io_max(void)
{
	return proto_io_max(max_frame);
}

uint8_t *hostcall_scratch(void)
{
	return rx_buf;
}

/* The two frame buffers, once; 0 or -ENOMEM. */
static int bufs_setup(const struct hostcall_transport *t)
{
	uint8_t *m;

	if (tx_buf)
		return 0;
	m = t->alloc ? t->alloc(2 * HOSTCALL_FRAME)
		     : malloc(2 * HOSTCALL_FRAME);
	if (m == NULL)
		return -ENOMEM;
	tx_buf = m;
	rx_buf = m + HOSTCALL_FRAME;
	return 0;
}

static int send_all(const void *buf, size_t len)
{
	long rc = conn.send(conn.ctx, buf, len);

	return rc < 0 ? (int)rc : 0;
}

static int recv_all(uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		long rc = conn.recv(conn.ctx, buf + got, len - got);

		if (rc <= 0)
			return rc < 0 ? (int)rc : -EPIPE;
		got += (size_t)rc;
	}
	return 0;
}

/*
 * Read the next reply to an `op` request into rx_buf and decode it.  The
 * caller checks its id: a host may only answer what was asked.
 */
static int recv_frame(uint16_t op, struct proto_hdr *h, struct proto_msg *resp)
{
	if (recv_all(rx_buf, PROTO_HDR_LEN) < 0)
		return -EIO;
	if (proto_decode_hdr(rx_buf, PROTO_HDR_LEN, max_frame, h) != PROTO_OK)
		return -EIO;
	if (!(h->flags & PROTO_F_RESPONSE) || h->op != op)
		return -EIO;
	if (recv_all(rx_buf + PROTO_HDR_LEN, h->payload_len) < 0)
		return -EIO;
	if (proto_decode(h, rx_buf + PROTO_HDR_LEN, resp) != PROTO_OK)
		return -EIO;
	return 0;
}

/* The reply to (op, id): with one request outstanding, nothing else may
 * come. */
static int recv_reply(uint16_t op, uint32_t id, struct proto_hdr *h,
		      struct proto_msg *resp)
{
	if (recv_frame(op, h, resp) < 0 || h->id != id)
		return -EIO;
	return 0;
}

/* The round trip itself; the caller has checked the connection state. */
static int round_trip(uint16_t op, const struct proto_msg *req,
		      struct proto_msg *resp)
{
	struct proto_hdr h = {.op = op, .id = next_id++};
	int64_t len = proto_encode(tx_buf, max_frame, &h, req);

	if (len < 0)
		return -EINVAL; /* a caller bug: nothing was sent */
	if (send_all(tx_buf, (size_t)len) < 0 ||
	    recv_reply(op, h.id, &h, resp) < 0) {
		conn_broken = 1;
		return -EIO;
	}
	return h.status ? hostcall_errno((uint16_t)h.status) : 0;
}

int hostcall_call(uint16_t op, const struct proto_msg *req,
		  struct proto_msg *resp)
{
	struct proto_msg scratch;

	if (!hostcall_up())
		return -EIO;
	return round_trip(op, req, resp ? resp : &scratch);
}

/*
 * Pipelining: all n requests go out first, then the n replies are taken
 * in whatever order the host sends them (PROTOCOL.md section 3), each
 * matched to its request by id.  An id outside the batch, or one seen
 * twice, breaks the connection.
 */
int hostcall_batch(uint16_t op, const struct proto_msg *reqs, unsigned n,
		   hostcall_reply_fn fn, void *ctx)
{
	const char *fmt = proto_format(op, false);
	uint32_t first = next_id, seen = 0;
	unsigned i;

	if (!hostcall_up())
		return -EIO;
	if (n == 0 || n > HOSTCALL_BATCH_MAX || !fmt)
		return -EINVAL;
	/* Check every request fits before the first is sent. */
	for (i = 0; i < n; i++) {
		int64_t len = proto_payload_len(fmt, &reqs[i]);

		if (len < 0 || (uint64_t)len + PROTO_HDR_LEN > max_frame)
			return -EINVAL;
	}
	next_id += n;
	for (i = 0; i < n; i++) {
		struct proto_hdr h = {.op = op, .id = first + i};
		int64_t len = proto_encode(tx_buf, max_frame, &h, &reqs[i]);

		if (len < 0 || send_all(tx_buf, (size_t)len) < 0)
			goto broken;
	}
	for (i = 0; i < n; i++) {
		struct proto_hdr h;
		struct proto_msg resp;
		uint32_t k;

		if (recv_frame(op, &h, &resp) < 0)
			goto broken;
		k = h.id - first;
		if (k >= n || (seen & (1u << k)))
			goto broken;
		seen |= 1u << k;
		fn(k, h.status ? hostcall_errno((uint16_t)h.status) : 0, &resp,
		   ctx);
	}
	return 0;
broken:
	conn_broken = 1;
	return -EIO;
}

/* ---- HELLO ------------------------------------------------------------ */

int hostcall_start(const struct hostcall_transport *t)
{
	struct proto_msg req = {.nval = 3,
				.val = {PROTO_VERSION, 0, HOSTCALL_FRAME}};
	struct proto_msg resp;
	uint64_t t0;
	int rc;

	if (conn_up || !t || !t->send || !t->recv)
		return -EINVAL;
	rc = bufs_setup(t);
	if (rc < 0)
		return rc;
	conn = *t;
	conn_broken = 0;
	t0 = mewz_plat_monotonic_ns();
	rc = round_trip(PROTO_OP_HELLO, &req, &resp);
	if (rc < 0)
		return rc;
	/* The host answers at most what we offered, never below the floor. */
	if (resp.val[0] != PROTO_VERSION || resp.val[2] < PROTO_FRAME_MIN ||
	    resp.val[2] > HOSTCALL_FRAME) {
		conn_broken = 1;
		return -EPROTO;
	}
	max_frame = (uint32_t)resp.val[2];
	rc = hostcall_hello_apply(&resp, mewz_plat_monotonic_ns() - t0);
	if (rc < 0) {
		conn_broken = 1;
		return rc;
	}
	conn_up = 1;
	return 0;
}
