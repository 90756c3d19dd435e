/*
 * The virtio-vsock stream protocol (virtio 1.x, 5.10), device side, for
 * guest connections to CID 2 on our port.  Each accepted connection is
 * an mh_conn fed to its own session, exactly like an AF_UNIX one.
 *
 * State per connection: open (RESPONSE sent or pending) or closing
 * (reaped at the next work run: queued frames dropped, RST sent unless
 * the guest reset it).  Packets for no connection get a RST, except RST.
 *
 * Credit (5.10.6.3): we may send the guest
 *   peer_buf_alloc - (tx_cnt - peer_fwd_cnt)
 * bytes; it may send us VSOCK_HOST_BUF - (rx_cnt - fwd_cnt).  Bytes
 * count as forwarded once the session has them; while the session
 * pushes back (pause) they wait in the connection's backlog, which the
 * guest's credit bounds.  A guest that sends past its credit is reset.
 * We tell the guest about forwarded bytes on every packet (a reply
 * carries what its request freed), and with a CREDIT_UPDATE of its own
 * only when the guest may be about to stall: the room it knows of is
 * under a quarter of the buffer and a quarter has been forwarded since
 * it last heard (see maybe_credit_update); or when it asks.
 */
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "server.h"
#include "session.h"
#include "vhost_dev.h"

#define VSOCK_HDR_LEN	  44u
#define VSOCK_TYPE_STREAM 1u
enum {
	OP_REQUEST = 1,
	OP_RESPONSE = 2,
	OP_RST = 3,
	OP_SHUTDOWN = 4,
	OP_RW = 5,
	OP_CREDIT_UPDATE = 6,
	OP_CREDIT_REQUEST = 7,
};

struct vsock_hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port, len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
};

static void hdr_decode(const uint8_t *p, struct vsock_hdr *h)
{
	h->src_cid = proto_ld64(p);
	h->dst_cid = proto_ld64(p + 8);
	h->src_port = proto_ld32(p + 16);
	h->dst_port = proto_ld32(p + 20);
	h->len = proto_ld32(p + 24);
	h->type = proto_ld16(p + 28);
	h->op = proto_ld16(p + 30);
	h->flags = proto_ld32(p + 32);
	h->buf_alloc = proto_ld32(p + 36);
	h->fwd_cnt = proto_ld32(p + 40);
}

/* The one place headers to the guest are built. */
static void hdr_encode(uint8_t *p, const struct vhost_dev *d,
		       uint32_t host_port, uint32_t guest_port, uint16_t op,
		       uint32_t len, uint32_t fwd_cnt)
{
	memset(p, 0, VSOCK_HDR_LEN);
	proto_st32(p, VSOCK_CID_HOST);
	proto_st64(p + 8, d->guest_cid);
	proto_st32(p + 16, host_port);
	proto_st32(p + 20, guest_port);
	proto_st32(p + 24, len);
	p[28] = VSOCK_TYPE_STREAM;
	p[30] = (uint8_t)op;
	proto_st32(p + 36, VSOCK_HOST_BUF);
	proto_st32(p + 40, fwd_cnt);
}

static struct vsock_hconn *conn_find(struct vhost_dev *d, uint32_t guest_port)
{
	for (struct vsock_hconn *c = d->conns; c; c = c->next)
		if (c->guest_port == guest_port && !c->closing)
			return c;
	return NULL;
}

static void queue_rst(struct vhost_dev *d, uint32_t guest_port,
		      uint32_t host_port)
{
	unsigned i;

	if (d->rst_n == VSOCK_RST_QUEUE)
		return; /* a guest flooding us with strays loses some RSTs */
	i = (d->rst_head + d->rst_n++) % VSOCK_RST_QUEUE;
	d->rst[i].guest_port = guest_port;
	d->rst[i].host_port = host_port;
}

static void conn_close(struct vsock_hconn *c, bool guest_gone)
{
	if (!c->closing && c->dev->srv->verbose)
		mh_log(c->dev->srv, "vhost %llu: port %u: closed%s",
		       (unsigned long long)c->dev->id, c->guest_port,
		       guest_gone ? " by the guest" : "");
	c->closing = true;
	c->guest_gone = c->guest_gone || guest_gone;
	vhost_dev_schedule(c->dev);
}

/* --- mh_conn ops: called by the session; they only record and schedule */

static void hc_send(struct mh_conn *conn, uint8_t *buf, size_t len)
{
	struct vsock_hconn *c = (struct vsock_hconn *)conn;
	struct out_frame *f;

	if (c->closing || (f = calloc(1, sizeof(*f))) == NULL) {
		session_sent(conn->sess, len);
		free(buf);
		conn_close(c, false);
		return;
	}
	f->buf = buf;
	f->len = len;
	if (c->out_tail)
		c->out_tail->next = f;
	else
		c->out_head = f;
	c->out_tail = f;
	vhost_dev_schedule(c->dev);
}

static void hc_pause(struct mh_conn *conn)
{
	((struct vsock_hconn *)conn)->paused = true;
}

static void hc_resume(struct mh_conn *conn)
{
	struct vsock_hconn *c = (struct vsock_hconn *)conn;

	c->paused = false;
	vhost_dev_schedule(c->dev); /* the backlog is fed from the work run */
}

static void hc_close(struct mh_conn *conn)
{
	conn_close((struct vsock_hconn *)conn, false);
}

static const struct mh_conn_ops hconn_ops = {
    .send = hc_send,
    .pause = hc_pause,
    .resume = hc_resume,
    .close = hc_close,
};

/* --- guest -> host */

/* The guest believes it may send VSOCK_HOST_BUF - (rx_cnt -
 * fwd_reported).  A guest stalled on credit has sent all of that, and
 * once a quarter of it is forwarded this sends the update; so no stall
 * waits on the guest's CREDIT_REQUEST. */
static void maybe_credit_update(struct vsock_hconn *c)
{
	if (c->fwd_cnt - c->fwd_reported >= VSOCK_HOST_BUF / 4 &&
	    c->rx_cnt - c->fwd_reported > VSOCK_HOST_BUF - VSOCK_HOST_BUF / 4)
		c->need_credit_update = true;
}

/* Hand bytes to the session, or keep them while it pushes back. */
static void conn_take(struct vsock_hconn *c, const uint8_t *p, size_t n)
{
	if (c->closing || n == 0)
		return;
	if (c->paused || c->blen) {
		if (c->backlog == NULL &&
		    (c->backlog = malloc(VSOCK_HOST_BUF)) == NULL) {
			conn_close(c, false);
			return;
		}
		/* Fits: the caller checked the guest's credit. */
		memcpy(c->backlog + c->blen, p, n);
		c->blen += n;
		return;
	}
	c->fwd_cnt += (uint32_t)n;
	if (session_feed(c->conn.sess, p, n) != 0)
		conn_close(c, false);
	maybe_credit_update(c);
}

static void recv_rw(struct vsock_hconn *c, const struct vhost_chain *ch,
		    uint32_t len)
{
	size_t off = VSOCK_HDR_LEN, left = len;

	if (len > VSOCK_HOST_BUF - (c->rx_cnt - c->fwd_cnt)) {
		mh_log(c->dev->srv, "vhost %llu: port %u: sent past its credit",
		       (unsigned long long)c->dev->id, c->guest_port);
		conn_close(c, false);
		return;
	}
	c->rx_cnt += len;
	/* Straight from guest memory into the session: no copy here. */
	for (unsigned i = 0; i < ch->n_out && left; i++) {
		const uint8_t *base = ch->iov[i].iov_base;
		size_t l = ch->iov[i].iov_len, n;

		if (off >= l) {
			off -= l;
			continue;
		}
		n = l - off < left ? l - off : left;
		conn_take(c, base + off, n);
		left -= n;
		off = 0;
	}
}

static void recv_request(struct vhost_dev *d, const struct vsock_hdr *h)
{
	struct vsock_hconn *c;

	unsigned n = 0;

	for (c = d->conns; c; c = c->next)
		n++;
	/* A guest opening connections without end is refused beyond the
	 * cap rather than allowed to make sessions without end. */
	if (h->dst_port != d->port || d->stopping || d->srv->stopping ||
	    n >= VSOCK_MAX_CONNS_PER_VM ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		queue_rst(d, h->src_port, h->dst_port);
		return;
	}
	c->conn.ops = &hconn_ops;
	c->dev = d;
	c->guest_port = h->src_port;
	c->peer_buf_alloc = h->buf_alloc;
	c->peer_fwd_cnt = h->fwd_cnt;
	if (session_new(d->srv, &c->conn) == NULL) {
		free(c);
		queue_rst(d, h->src_port, h->dst_port);
		return;
	}
	c->next = d->conns;
	d->conns = c;
	c->need_response = true;
	mh_log(d->srv, "vhost %llu: connection from cid %llu port %u",
	       (unsigned long long)d->id, (unsigned long long)d->guest_cid,
	       h->src_port);
}

static void recv_pkt(struct vhost_dev *d, const struct vsock_hdr *h,
		     const struct vhost_chain *ch)
{
	struct vsock_hconn *c;

	/* Another CID, another address family, another type: not ours.
	 * (A spoofed source CID is dropped, as the spec asks.) */
	if (h->src_cid != d->guest_cid || h->dst_cid != VSOCK_CID_HOST)
		return;
	if (h->type != VSOCK_TYPE_STREAM) {
		if (h->op != OP_RST)
			queue_rst(d, h->src_port, h->dst_port);
		return;
	}
	c = h->dst_port == d->port ? conn_find(d, h->src_port) : NULL;
	if (c == NULL) {
		if (h->op == OP_REQUEST)
			recv_request(d, h);
		else if (h->op != OP_RST)
			queue_rst(d, h->src_port, h->dst_port);
		return;
	}
	if (h->fwd_cnt != c->peer_fwd_cnt || h->buf_alloc != c->peer_buf_alloc)
		c->credit_asked = false;
	c->peer_buf_alloc = h->buf_alloc;
	c->peer_fwd_cnt = h->fwd_cnt;
	switch (h->op) {
	case OP_RW:
		recv_rw(c, ch, h->len);
		break;
	case OP_CREDIT_UPDATE:
		break; /* the credit above is all it carries */
	case OP_CREDIT_REQUEST:
		c->need_credit_update = true;
		break;
	case OP_RST:
		conn_close(c, true);
		break;
	case OP_SHUTDOWN: /* the guest is closing: we reset, as Linux does */
	default:	  /* REQUEST twice, RESPONSE, unknown: reset it */
		conn_close(c, false);
		break;
	}
}

void vsock_dev_tx(struct vhost_dev *d)
{
	struct vhost_vq *q = &d->vq[VHOST_Q_TX];
	struct vhost_chain ch;
	uint8_t raw[VSOCK_HDR_LEN];
	struct vsock_hdr h;
	bool used = false;

	if (!vhost_vq_ready(d, VHOST_Q_TX))
		return;
	while (vhost_ring_pop(&q->ring, &d->mem, &ch) > 0) {
		/* A short header or a length beyond the buffers: dropped. */
		if (vhost_chain_read(&ch, 0, raw, sizeof(raw)) == sizeof(raw)) {
			hdr_decode(raw, &h);
			if (h.len <= ch.out_len - VSOCK_HDR_LEN)
				recv_pkt(d, &h, &ch);
		}
		vhost_ring_push(&q->ring, ch.head, 0);
		used = true;
	}
	if (q->ring.broken)
		mh_log(d->srv, "vhost %llu: tx queue: %s",
		       (unsigned long long)d->id, q->ring.why);
	if (used)
		vhost_vq_call(d, VHOST_Q_TX);
	vhost_dev_schedule(d);
}

/* --- host -> guest */

static uint32_t peer_credit(const struct vsock_hconn *c)
{
	uint32_t in_flight = c->tx_cnt - c->peer_fwd_cnt;

	return in_flight >= c->peer_buf_alloc ? 0
					      : c->peer_buf_alloc - in_flight;
}

/* What the next rx buffer carries. */
enum pkt_kind { PKT_NONE, PKT_RST, PKT_CTRL, PKT_DATA };

static enum pkt_kind next_pkt(struct vhost_dev *d, struct vsock_hconn **out)
{
	if (d->rst_n)
		return PKT_RST;
	for (struct vsock_hconn *c = d->conns; c; c = c->next) {
		if (c->closing)
			continue;
		*out = c;
		if (c->need_response || c->need_credit_update ||
		    c->need_credit_request)
			return PKT_CTRL;
		if (c->out_head && peer_credit(c) > 0)
			return PKT_DATA;
		if (c->out_head && !c->credit_asked) {
			/* Stalled on credit: ask once until the guest's
			 * fwd_cnt moves. */
			c->credit_asked = true;
			c->need_credit_request = true;
			return PKT_CTRL;
		}
	}
	return PKT_NONE;
}

static uint32_t fill_ctrl(struct vhost_dev *d, struct vsock_hconn *c,
			  uint8_t *hdr)
{
	uint16_t op = c->need_response	      ? OP_RESPONSE
		      : c->need_credit_update ? OP_CREDIT_UPDATE
					      : OP_CREDIT_REQUEST;

	if (op == OP_RESPONSE)
		c->need_response = false;
	else if (op == OP_CREDIT_UPDATE)
		c->need_credit_update = false;
	else
		c->need_credit_request = false;
	c->fwd_reported = c->fwd_cnt;
	hdr_encode(hdr, d, d->port, c->guest_port, op, 0, c->fwd_cnt);
	return 0;
}

/* Copy as much of c's queued frames as credit and the buffer allow. */
static uint32_t fill_data(struct vhost_dev *d, struct vsock_hconn *c,
			  const struct vhost_chain *ch, uint8_t *hdr)
{
	size_t room = ch->in_len - VSOCK_HDR_LEN, done = 0;
	uint32_t credit = peer_credit(c);

	if (room > credit)
		room = credit;
	while (c->out_head && done < room) {
		struct out_frame *f = c->out_head;
		size_t n = f->len - f->off;

		if (n > room - done)
			n = room - done;
		vhost_chain_write(ch, VSOCK_HDR_LEN + done, f->buf + f->off, n);
		f->off += n;
		done += n;
		if (f->off < f->len)
			break;
		c->out_head = f->next;
		if (c->out_head == NULL)
			c->out_tail = NULL;
		session_sent(c->conn.sess, f->len);
		free(f->buf);
		free(f);
	}
	c->tx_cnt += (uint32_t)done;
	c->fwd_reported = c->fwd_cnt;
	hdr_encode(hdr, d, d->port, c->guest_port, OP_RW, (uint32_t)done,
		   c->fwd_cnt);
	return (uint32_t)done;
}

static void fill_rx(struct vhost_dev *d)
{
	struct vhost_vq *q = &d->vq[VHOST_Q_RX];
	struct vhost_chain ch;
	struct vsock_hconn *c = NULL;
	enum pkt_kind k;
	bool used = false, stalled = false;

	if (!vhost_vq_ready(d, VHOST_Q_RX))
		return;
	while ((k = next_pkt(d, &c)) != PKT_NONE) {
		uint8_t hdr[VSOCK_HDR_LEN];
		uint32_t n = 0;

		if (vhost_ring_pop(&q->ring, &d->mem, &ch) <= 0) {
			/* No buffer: the guest's rx kick resumes us.  Ask for
			 * it, then look once more, since buffers posted before
			 * the guest saw the request come with no kick. */
			vhost_ring_want_kicks(&q->ring, true);
			if (vhost_ring_pop(&q->ring, &d->mem, &ch) <= 0) {
				stalled = true;
				break;
			}
		}
		if (ch.in_len < VSOCK_HDR_LEN) { /* useless buffer: skip it */
			vhost_ring_push(&q->ring, ch.head, 0);
			used = true;
			continue;
		}
		if (k == PKT_RST) {
			hdr_encode(hdr, d, d->rst[d->rst_head].host_port,
				   d->rst[d->rst_head].guest_port, OP_RST, 0,
				   0);
			d->rst_head = (d->rst_head + 1) % VSOCK_RST_QUEUE;
			d->rst_n--;
		} else if (k == PKT_CTRL) {
			n = fill_ctrl(d, c, hdr);
		} else {
			n = fill_data(d, c, &ch, hdr);
		}
		vhost_chain_write(&ch, 0, hdr, sizeof(hdr));
		vhost_ring_push(&q->ring, ch.head, VSOCK_HDR_LEN + n);
		used = true;
	}
	/* Nothing left to send: the next data schedules this run, which
	 * looks at the ring itself, so the guest's reposts need no kick. */
	if (!stalled)
		vhost_ring_want_kicks(&q->ring, false);
	if (q->ring.broken)
		mh_log(d->srv, "vhost %llu: rx queue: %s",
		       (unsigned long long)d->id, q->ring.why);
	if (used)
		vhost_vq_call(d, VHOST_Q_RX);
}

/* --- deferred work */

static void conn_free(struct vhost_dev *d, struct vsock_hconn *c, bool can_send)
{
	while (c->out_head) {
		struct out_frame *f = c->out_head;

		c->out_head = f->next;
		session_sent(c->conn.sess, f->len);
		free(f->buf);
		free(f);
	}
	if (can_send && !c->guest_gone)
		queue_rst(d, c->guest_port, d->port);
	session_conn_gone(c->conn.sess);
	free(c->backlog);
	free(c);
}

static void reap(struct vhost_dev *d)
{
	struct vsock_hconn **pp = &d->conns;

	while (*pp) {
		struct vsock_hconn *c = *pp;

		if (!c->closing) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		conn_free(d, c, true);
	}
}

/* The session took its foot off the brake: give it what waited. */
static void drain_backlogs(struct vhost_dev *d)
{
	for (struct vsock_hconn *c = d->conns; c; c = c->next) {
		size_t n = c->blen;

		if (c->closing || c->paused || n == 0)
			continue;
		c->blen = 0;
		c->fwd_cnt += (uint32_t)n;
		if (session_feed(c->conn.sess, c->backlog, n) != 0)
			conn_close(c, false);
		maybe_credit_update(c);
	}
}

void vsock_dev_work(struct vhost_dev *d)
{
	if (d->dead)
		return;
	drain_backlogs(d);
	reap(d);
	fill_rx(d);
	reap(d); /* anything a session closed meanwhile */
}

bool vsock_dev_idle(const struct vhost_dev *d)
{
	return d->conns == NULL && d->rst_n == 0;
}

void vsock_dev_reset(struct vhost_dev *d, bool can_send)
{
	for (struct vsock_hconn *c = d->conns; c; c = c->next)
		c->closing = true;
	while (d->conns) {
		struct vsock_hconn *c = d->conns;

		d->conns = c->next;
		conn_free(d, c, can_send);
	}
	if (!can_send)
		d->rst_n = 0;
}
