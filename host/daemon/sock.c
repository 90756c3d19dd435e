/*
 * net=host sockets: every guest socket is a libuv TCP or UDP handle owned
 * here, named by a per-session u32 handle (its own number space, apart
 * from file handles).  Every request is answered at once and never
 * blocks: recv/accept/send say AGAIN and connect INPROGRESS, and the
 * guest waits with SOCK_POLL, the one request held until something is
 * ready or its timeout passes (PROTOCOL.md, "Sockets").
 *
 * Buffers, so one guest cannot make the daemon hold unbounded memory:
 *  - a stream keeps at most SK_RX_CAP received bytes; above that the
 *    handle stops reading and TCP's window pushes back on the peer (its
 *    buffer, SK_RX_CAP + SK_RX_CHUNK at most: see rx_room);
 *  - a stream accepts sends while less than SK_TX_CAP bytes are queued
 *    in libuv, then says AGAIN until writes drain;
 *  - a datagram socket queues at most SK_DGRAM_MAX datagrams (more are
 *    dropped, as a full socket buffer would).
 * Closing a stream with bytes still queued shuts it down first, so a
 * response the guest wrote just before closing still reaches the peer.
 */
#include "sock.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <uv.h>

#include "errno_map.h"
#include "server.h"
#include "session_priv.h"

#define SK_RX_CAP    (256u * 1024u)
#define SK_RX_CHUNK  (64u * 1024u)
#define SK_TX_CAP    (256u * 1024u)
#define SK_DGRAM_MAX 64u
#define SK_PER_SESS  1024u /* so at most ~512 MiB of buffers per guest */
#define SK_DRAIN_MS  10000u

struct sk_dgram {
	struct sk_dgram *next;
	struct proto_addr from;
	uint32_t len;
	uint8_t data[];
};

struct sk_sess;

struct sk {
	struct sk_sess *ss; /* NULL once the guest closed it */
	uint32_t id;
	uint8_t family, type;
	union {
		uv_handle_t h;
		uv_stream_t st;
		uv_tcp_t tcp;
		uv_udp_t udp;
	} u;
	bool listening, connecting, connected, eof, reading, shut_rd, shut_wr,
	    shut_pending, udp_recv, nodelay, keepalive;
	int32_t linger; /* SO_LINGER as set, plus 1 (0: off) */
	int err;	  /* pending libuv error, reported once */
	uint32_t pending; /* connections waiting for accept */
	uint8_t *rx;	  /* unread bytes: rx_len of them from rx + rx_off */
	size_t rx_off, rx_len, rx_cap;
	size_t tx_queued;
	struct sk_dgram *dq_head, *dq_tail;
	uint32_t dq_n;
	uv_connect_t creq;
	uv_shutdown_t sreq;
	uv_timer_t *drain; /* bounds the drain of a closed stream */
};

struct sk_sess {
	struct mh_session *s;
	struct sk **tab; /* handle = index + 1 */
	uint32_t cap, used;
	struct mh_req *poll_req;
	uv_timer_t timer;
};

struct sk_write {
	uv_write_t w;
	struct sk *sk;
	size_t len;
	uint8_t data[];
};

struct sk_usend {
	uv_udp_send_t u;
	uint8_t data[];
};

struct sk_gai {
	uv_getaddrinfo_t g;
	struct mh_req *r;
	uint32_t max;
};

static uint32_t wasi_err(int uverr)
{
	return mh_wasi_errno(-uverr);
}

bool sock_op(uint16_t op)
{
	return op >= PROTO_OP_SOCK_OPEN && op <= PROTO_OP_SOCK_CLOSE;
}

/* ---- addresses ---------------------------------------------------------- */

static int to_sockaddr(const struct proto_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(a->port);
		memcpy(&in->sin_addr, a->addr, 4);
		return 0;
	}
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(a->port);
	memcpy(&in6->sin6_addr, a->addr, 16);
	in6->sin6_scope_id = a->scope_id;
	return 0;
}

static int from_sockaddr(const struct sockaddr *sa, struct proto_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		a->family = 4;
		a->port = ntohs(in->sin_port);
		memcpy(a->addr, &in->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
		    (const struct sockaddr_in6 *)sa;

		a->family = 6;
		a->port = ntohs(in6->sin6_port);
		memcpy(a->addr, &in6->sin6_addr, 16);
		a->scope_id = in6->sin6_scope_id;
		return 0;
	}
	return -1;
}

/* The request's address string i, checked against the socket's family. */
static uint32_t req_addr(struct mh_req *r, int i, const struct sk *sk,
			 struct proto_addr *a)
{
	if (!proto_addr_get(r->in.str[i].p, r->in.str[i].len, a))
		return PROTO_WASI_EINVAL;
	if (a->family != sk->family)
		return PROTO_WASI_EAFNOSUPPORT;
	return 0;
}

/* ---- sessions and the table ------------------------------------------- */

/* The session's socket table, made on its first SOCK_* request. */
static struct sk_sess *sess_get(struct mh_session *s)
{
	struct sk_sess *ss = s->sock;

	if (ss)
		return ss;
	ss = calloc(1, sizeof(*ss));
	if (ss == NULL)
		return NULL;
	ss->s = s;
	uv_timer_init(s->srv->loop, &ss->timer);
	uv_unref((uv_handle_t *)&ss->timer);
	ss->timer.data = ss;
	s->sock = ss;
	return ss;
}

static struct sk *sk_get(struct sk_sess *ss, uint64_t id)
{
	if (ss == NULL || id == 0 || id > ss->cap)
		return NULL;
	return ss->tab[id - 1];
}

static uint32_t sk_insert(struct sk_sess *ss, struct sk *sk)
{
	uint32_t i;

	if (ss->used >= SK_PER_SESS)
		return PROTO_WASI_EMFILE;
	for (i = 0; i < ss->cap && ss->tab[i]; i++)
		;
	if (i == ss->cap) {
		uint32_t ncap = ss->cap ? ss->cap * 2 : 16;
		struct sk **nt = realloc(ss->tab, ncap * sizeof(*nt));

		if (nt == NULL)
			return PROTO_WASI_ENOMEM;
		memset(nt + ss->cap, 0, (ncap - ss->cap) * sizeof(*nt));
		ss->tab = nt;
		ss->cap = ncap;
	}
	ss->tab[i] = sk;
	ss->used++;
	sk->ss = ss;
	sk->id = i + 1;
	return 0;
}

/* ---- readiness and SOCK_POLL ------------------------------------------ */

static uint32_t sk_revents(const struct sk *sk, uint32_t *nbytes)
{
	uint32_t ev = 0;

	*nbytes = 0;
	if (sk->err)
		ev |= PROTO_POLL_ERR | PROTO_POLL_READ | PROTO_POLL_WRITE;
	if (sk->type == 1) {
		if (sk->dq_n) {
			ev |= PROTO_POLL_READ;
			*nbytes = sk->dq_head->len;
		}
		return ev | PROTO_POLL_WRITE;
	}
	if (sk->listening)
		return ev | (sk->pending ? PROTO_POLL_READ : 0);
	if (sk->rx_len) {
		ev |= PROTO_POLL_READ;
		*nbytes = (uint32_t)sk->rx_len;
	}
	if (sk->eof)
		ev |= PROTO_POLL_READ | PROTO_POLL_HUP;
	if (sk->connected && sk->tx_queued < SK_TX_CAP)
		ev |= PROTO_POLL_WRITE;
	return ev;
}

/* Answers the held SOCK_POLL if something is ready, or if force. */
static void poll_try(struct sk_sess *ss, bool force)
{
	struct mh_req *r = ss->poll_req;

	if (r == NULL)
		return;
	const struct proto_str *l = &r->in.str[0];
	uint32_t n = l->len / 5, any = 0;
	uint8_t out[PROTO_POLL_MAX * 5];

	for (uint32_t i = 0; i < n; i++) {
		struct sk *sk = sk_get(ss, proto_ld32(l->p + i * 5));
		uint32_t want = l->p[i * 5 + 4], nb = 0, ev;

		/* A handle that is gone is "ready" with an error, like EBADF
		 * in poll_oneoff. */
		ev = sk ? sk_revents(sk, &nb) &
			      (want | PROTO_POLL_HUP | PROTO_POLL_ERR)
			: PROTO_POLL_ERR;
		out[i * 5] = (uint8_t)ev;
		proto_st32(out + i * 5 + 1, nb);
		any |= ev;
	}
	if (!any && !force)
		return;
	struct proto_msg m = {.nstr = 1};

	m.str[0].p = out;
	m.str[0].len = n * 5;
	ss->poll_req = NULL;
	uv_timer_stop(&ss->timer);
	req_reply_msg(r, &m);
}

static void sk_notify(struct sk *sk)
{
	if (sk->ss)
		poll_try(sk->ss, false);
}

static void poll_timeout(uv_timer_t *t)
{
	poll_try(t->data, true);
}

static void do_poll(struct mh_req *r, struct sk_sess *ss)
{
	uint64_t ns = r->in.val[0];

	if (r->in.str[0].len % 5 || r->in.str[0].len / 5 > PROTO_POLL_MAX) {
		req_reply_status(r, PROTO_WASI_EINVAL);
		return;
	}
	if (ss->poll_req) {
		req_reply_status(r, PROTO_WASI_EBUSY);
		return;
	}
	ss->poll_req = r;
	poll_try(ss, ns == 0);
	if (ss->poll_req == NULL || ns == UINT64_MAX)
		return;
	uint64_t ms = ns / 1000000u + (ns % 1000000u != 0);

	uv_timer_start(&ss->timer, poll_timeout, ms, 0);
}

/* ---- close ------------------------------------------------------------- */

static void sk_closed(uv_handle_t *h)
{
	struct sk *sk = h->data;

	while (sk->dq_head) {
		struct sk_dgram *d = sk->dq_head;

		sk->dq_head = d->next;
		free(d);
	}
	free(sk->rx);
	free(sk);
}

static void sk_drain_timeout(uv_timer_t *t);

static void timer_free(uv_handle_t *h)
{
	free(h);
}

/* The drain is over (sent, failed, or out of time): close for good. */
static void sk_drain_end(struct sk *sk)
{
	if (sk->drain) {
		uv_close((uv_handle_t *)sk->drain, timer_free);
		sk->drain = NULL;
	}
	if (!uv_is_closing(&sk->u.h))
		uv_close(&sk->u.h, sk_closed);
}

/* Every shutdown ends here: the program's (sk still open) or close's. */
static void sk_shut_done(uv_shutdown_t *req, int status)
{
	struct sk *sk = req->handle->data;

	(void)status;
	sk->shut_pending = false;
	if (sk->ss == NULL)
		sk_drain_end(sk);
}

static int sk_start_drain_timer(struct sk *sk)
{
	sk->drain = malloc(sizeof(*sk->drain));
	if (sk->drain == NULL)
		return -1;
	uv_timer_init(sk->u.h.loop, sk->drain);
	uv_unref((uv_handle_t *)sk->drain);
	sk->drain->data = sk;
	uv_timer_start(sk->drain, sk_drain_timeout, SK_DRAIN_MS, 0);
	return 0;
}

static void sk_drain_timeout(uv_timer_t *t)
{
	sk_drain_end(t->data);
}

/*
 * Detached from its session; the handle goes when libuv is done with it.
 * A stream with bytes still queued is shut down first so they reach the
 * peer, for at most SK_DRAIN_MS: a peer that never reads cannot keep the
 * socket, or a stopping daemon, alive.
 */
static void sk_close(struct sk *sk)
{
	sk->ss = NULL;
	if (uv_is_closing(&sk->u.h))
		return;
	if (sk->type == 2 && sk->connected && !sk->err &&
	    (sk->shut_pending || (!sk->shut_wr && sk->tx_queued > 0))) {
		uv_read_stop(&sk->u.st);
		if (!sk->shut_pending) {
			sk->shut_wr = sk->shut_pending = true;
			if (uv_shutdown(&sk->sreq, &sk->u.st, sk_shut_done))
				sk->shut_pending = false;
		}
		if (sk->shut_pending && sk_start_drain_timer(sk) == 0)
			return;
	}
	uv_close(&sk->u.h, sk_closed);
}

static void sess_free_cb(uv_handle_t *h)
{
	struct sk_sess *ss = h->data;

	free(ss->tab);
	free(ss);
}

void sock_session_gone(struct mh_session *s)
{
	struct sk_sess *ss = s->sock;

	if (ss == NULL)
		return;
	s->sock = NULL;
	if (ss->poll_req) {
		struct mh_req *r = ss->poll_req;

		ss->poll_req = NULL;
		req_reply_status(r, PROTO_WASI_ECANCELED);
	}
	for (uint32_t i = 0; i < ss->cap; i++) {
		if (ss->tab[i])
			sk_close(ss->tab[i]);
	}
	uv_close((uv_handle_t *)&ss->timer, sess_free_cb);
}

/* ---- stream I/O callbacks ----------------------------------------------- */

static size_t rx_tail(const struct sk *sk)
{
	return sk->rx_cap - sk->rx_off - sk->rx_len;
}

/*
 * Makes room at the tail for the next read; returns its size (0 if out
 * of memory).  Moving the unread bytes to the front waits until
 * SK_RX_CHUNK bytes were consumed there, so each byte moved is paid for
 * by a byte the guest read (at most (SK_RX_CAP + SK_RX_CHUNK) /
 * SK_RX_CHUNK = 5 times over).  Until then the buffer grows, to
 * SK_RX_CAP + SK_RX_CHUNK at most; at that size the tail is never empty,
 * since a stream reads only while rx_len < SK_RX_CAP.
 */
static size_t rx_room(struct sk *sk)
{
	const size_t max = SK_RX_CAP + SK_RX_CHUNK;

	if (rx_tail(sk) >= SK_RX_CHUNK)
		return rx_tail(sk);
	if (sk->rx_off >= SK_RX_CHUNK) {
		memmove(sk->rx, sk->rx + sk->rx_off, sk->rx_len);
		sk->rx_off = 0;
		return rx_tail(sk);
	}
	size_t ncap = sk->rx_off + sk->rx_len + SK_RX_CHUNK;

	if (ncap > max)
		ncap = max;
	if (ncap > sk->rx_cap) {
		uint8_t *n = realloc(sk->rx, ncap);

		if (n == NULL)
			return rx_tail(sk);
		sk->rx = n;
		sk->rx_cap = ncap;
	}
	return rx_tail(sk);
}

static void rx_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct sk *sk = h->data;
	size_t room = rx_room(sk);

	(void)hint;
	if (room == 0) {
		*buf = uv_buf_init(NULL, 0);
		return;
	}
	*buf = uv_buf_init((char *)sk->rx + sk->rx_off + sk->rx_len,
			   (unsigned)room);
}

/* The guest read n bytes: an empty buffer starts again at its front. */
static void rx_consume(struct sk *sk, size_t n)
{
	sk->rx_len -= n;
	sk->rx_off = sk->rx_len ? sk->rx_off + n : 0;
}

static void rx_done(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	struct sk *sk = st->data;

	(void)buf;
	if (n == 0)
		return;
	if (n > 0) {
		if (!sk->shut_rd)
			sk->rx_len += (size_t)n;
		if (sk->rx_len >= SK_RX_CAP) {
			uv_read_stop(st);
			sk->reading = false;
		}
	} else {
		if (n == UV_EOF)
			sk->eof = true;
		else
			sk->err = (int)n;
		uv_read_stop(st);
		sk->reading = false;
	}
	sk_notify(sk);
}

static void sk_read_resume(struct sk *sk)
{
	if (sk->reading || sk->eof || sk->err || sk->shut_rd ||
	    sk->rx_len >= SK_RX_CAP || uv_is_closing(&sk->u.h))
		return;
	if (uv_read_start(&sk->u.st, rx_alloc, rx_done) == 0)
		sk->reading = true;
}

static void tx_done(uv_write_t *w, int status)
{
	struct sk_write *sw = (struct sk_write *)w;
	struct sk *sk = sw->sk;

	sk->tx_queued -= sw->len;
	if (status < 0 && status != UV_ECANCELED && !sk->err)
		sk->err = status;
	free(sw);
	sk_notify(sk);
}

static void on_connection(uv_stream_t *server, int status)
{
	struct sk *sk = server->data;

	if (status < 0)
		sk->err = status;
	else
		sk->pending++;
	sk_notify(sk);
}

static void on_connect(uv_connect_t *req, int status)
{
	struct sk *sk = req->data;

	sk->connecting = false;
	if (status < 0) {
		sk->err = status;
	} else {
		sk->connected = true;
		sk_read_resume(sk);
	}
	sk_notify(sk);
}

/* ---- datagram callbacks ------------------------------------------------- */

/* One datagram lands here and is copied out at once (dg_recv), so every
 * socket shares this buffer: everything runs on the loop thread. */
static char dg_buf[65536];

static void dg_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	(void)h;
	(void)hint;
	*buf = uv_buf_init(dg_buf, sizeof(dg_buf));
}

static void dg_recv(uv_udp_t *u, ssize_t n, const uv_buf_t *buf,
		    const struct sockaddr *from, unsigned flags)
{
	struct sk *sk = u->data;

	(void)flags;
	if (n < 0)
		sk->err = (int)n;
	if (n >= 0 && from && sk->dq_n < SK_DGRAM_MAX) {
		struct sk_dgram *d = malloc(sizeof(*d) + (size_t)n);

		if (d) {
			d->next = NULL;
			d->len = (uint32_t)n;
			memcpy(d->data, buf->base, (size_t)n);
			from_sockaddr(from, &d->from);
			if (sk->dq_tail)
				sk->dq_tail->next = d;
			else
				sk->dq_head = d;
			sk->dq_tail = d;
			sk->dq_n++;
		}
	}
	sk_notify(sk);
}

static void dg_start(struct sk *sk)
{
	if (sk->udp_recv)
		return;
	if (uv_udp_recv_start(&sk->u.udp, dg_alloc, dg_recv) == 0)
		sk->udp_recv = true;
}

static void dg_sent(uv_udp_send_t *u, int status)
{
	(void)status;
	free(u);
}

/* ---- the requests ------------------------------------------------------- */

static struct sk *sk_new(struct mh_session *s, uint8_t family, uint8_t type,
			 bool accepted, uint32_t *err)
{
	struct sk *sk = calloc(1, sizeof(*sk));
	int af = family == 4 ? AF_INET : AF_INET6;
	int rc;

	if (sk == NULL) {
		*err = PROTO_WASI_ENOMEM;
		return NULL;
	}
	sk->family = family;
	sk->type = type;
	/* An accepted socket gets its fd from uv_accept, so none here. */
	if (type == 2 && accepted)
		rc = uv_tcp_init(s->srv->loop, &sk->u.tcp);
	else if (type == 2)
		rc = uv_tcp_init_ex(s->srv->loop, &sk->u.tcp, (unsigned)af);
	else
		rc = uv_udp_init_ex(s->srv->loop, &sk->u.udp, (unsigned)af);
	if (rc < 0) {
		free(sk);
		*err = wasi_err(rc);
		return NULL;
	}
	sk->u.h.data = sk;
	/* Sockets never keep the loop alive by themselves: the daemon's
	 * transports do, and a stopping daemon (or an in-process test)
	 * must not wait for a guest's listener. */
	uv_unref(&sk->u.h);
	return sk;
}

static void do_open(struct mh_req *r, struct sk_sess *ss)
{
	uint8_t family = (uint8_t)r->in.val[0], type = (uint8_t)r->in.val[1];
	uint32_t err;
	struct proto_msg m = {.nval = 1};

	if ((family != 4 && family != 6) || (type != 1 && type != 2)) {
		req_reply_status(r, family != 4 && family != 6
					? PROTO_WASI_EAFNOSUPPORT
					: PROTO_WASI_EPROTOTYPE);
		return;
	}
	struct sk *sk = sk_new(r->s, family, type, false, &err);

	if (sk == NULL) {
		req_reply_status(r, err);
		return;
	}
	err = sk_insert(ss, sk);
	if (err) {
		sk_close(sk);
		req_reply_status(r, err);
		return;
	}
	m.val[0] = sk->id;
	req_reply_msg(r, &m);
}

static uint32_t do_bind(struct mh_req *r, struct sk *sk)
{
	struct proto_addr a;
	struct sockaddr_storage sa;
	uint32_t err = req_addr(r, 0, sk, &a);
	int rc;

	if (err)
		return err;
	err = sock_policy_check(r->s->srv, false, &a);
	if (err)
		return err;
	to_sockaddr(&a, &sa);
	if (sk->type == 2)
		return (rc = uv_tcp_bind(&sk->u.tcp, (struct sockaddr *)&sa,
					 a.family == 6 ? UV_TCP_IPV6ONLY : 0)) <
			       0
			   ? wasi_err(rc)
			   : 0;
	rc = uv_udp_bind(&sk->u.udp, (struct sockaddr *)&sa,
			 UV_UDP_REUSEADDR |
			     (a.family == 6 ? UV_UDP_IPV6ONLY : 0));
	if (rc < 0)
		return wasi_err(rc);
	dg_start(sk);
	return 0;
}

static uint32_t do_listen(struct mh_req *r, struct sk *sk)
{
	int backlog = r->in.val[1] > 4096 ? 4096 : (int)r->in.val[1];
	int rc;

	if (sk->type != 2)
		return PROTO_WASI_ENOTSUP;
	rc = uv_listen(&sk->u.st, backlog ? backlog : 1, on_connection);
	if (rc < 0)
		return wasi_err(rc);
	sk->listening = true;
	return 0;
}

static uint32_t do_connect(struct mh_req *r, struct sk *sk)
{
	struct proto_addr a;
	struct sockaddr_storage sa;
	uint32_t err = req_addr(r, 0, sk, &a);
	int rc;

	if (err)
		return err;
	err = sock_policy_check(r->s->srv, true, &a);
	if (err)
		return err;
	to_sockaddr(&a, &sa);
	if (sk->type == 1) {
		rc = uv_udp_connect(&sk->u.udp, (struct sockaddr *)&sa);
		if (rc < 0)
			return wasi_err(rc);
		dg_start(sk);
		return 0;
	}
	if (sk->connected)
		return PROTO_WASI_EISCONN;
	if (sk->connecting)
		return PROTO_WASI_EALREADY;
	sk->creq.data = sk;
	rc = uv_tcp_connect(&sk->creq, &sk->u.tcp, (struct sockaddr *)&sa,
			    on_connect);
	if (rc < 0)
		return wasi_err(rc);
	sk->connecting = true;
	return PROTO_WASI_EINPROGRESS;
}

static void do_accept(struct mh_req *r, struct sk_sess *ss, struct sk *sk)
{
	uint32_t err;
	struct proto_msg m = {.nval = 1};

	if (!sk->listening) {
		req_reply_status(r, PROTO_WASI_EINVAL);
		return;
	}
	if (sk->pending == 0) {
		/* A failed accept is reported once, not as endless AGAIN
		 * while readiness says ERR. */
		uint32_t e = sk->err ? wasi_err(sk->err) : PROTO_WASI_EAGAIN;

		sk->err = 0;
		req_reply_status(r, e);
		return;
	}
	struct sk *n = sk_new(r->s, sk->family, 2, true, &err);

	if (n == NULL) {
		req_reply_status(r, err);
		return;
	}
	int rc = uv_accept(&sk->u.st, &n->u.st);

	sk->pending--;
	if (rc < 0) {
		sk->pending = 0;
		sk_close(n);
		req_reply_status(r, PROTO_WASI_EAGAIN);
		return;
	}
	err = sk_insert(ss, n);
	if (err) {
		sk_close(n);
		req_reply_status(r, err);
		return;
	}
	n->connected = true;
	sk_read_resume(n);
	m.val[0] = n->id;
	req_reply_msg(r, &m);
}

static void reply_recv(struct mh_req *r, uint8_t oflags, const uint8_t *p,
		       uint32_t len, const struct proto_addr *from)
{
	struct proto_msg m = {.nval = 1, .nstr = 2};
	uint8_t abuf[PROTO_ADDR_MAX];

	m.val[0] = oflags;
	m.str[0].p = p;
	m.str[0].len = len;
	m.str[1].p = abuf;
	m.str[1].len = from ? proto_addr_put(abuf, from) : 0;
	req_reply_msg(r, &m);
}

static void do_recv(struct mh_req *r, struct sk *sk)
{
	uint32_t max = proto_io_max(r->s->max_frame) - 64;
	bool peek = r->in.val[2] & 1;

	if (r->in.val[1] < max)
		max = (uint32_t)r->in.val[1];
	if (sk->type == 1) {
		struct sk_dgram *d = sk->dq_head;

		if (d == NULL) {
			req_reply_status(r, sk->err ? wasi_err(sk->err)
						    : PROTO_WASI_EAGAIN);
			sk->err = 0;
			return;
		}
		if (!peek) {
			sk->dq_head = d->next;
			if (!sk->dq_head)
				sk->dq_tail = NULL;
			sk->dq_n--;
		}
		reply_recv(r, d->len > max ? 1 : 0, d->data,
			   d->len > max ? max : d->len, &d->from);
		if (!peek)
			free(d);
		return;
	}
	if (sk->listening || (!sk->connected && !sk->eof)) {
		req_reply_status(r, PROTO_WASI_ENOTCONN);
		return;
	}
	if (sk->rx_len == 0) {
		if (sk->err) {
			req_reply_status(r, wasi_err(sk->err));
			sk->err = 0;
		} else if (sk->eof || sk->shut_rd) {
			reply_recv(r, 0, NULL, 0, NULL);
		} else {
			req_reply_status(r, PROTO_WASI_EAGAIN);
		}
		return;
	}
	uint32_t n = sk->rx_len < max ? (uint32_t)sk->rx_len : max;

	reply_recv(r, 0, sk->rx + sk->rx_off, n, NULL);
	if (peek)
		return;
	rx_consume(sk, n);
	sk_read_resume(sk);
}

static uint32_t send_stream(struct sk *sk, const uint8_t *p, uint32_t len,
			    uint32_t *sent)
{
	if (sk->err) {
		uint32_t e = wasi_err(sk->err);

		sk->err = 0;
		return e;
	}
	if (sk->shut_wr)
		return PROTO_WASI_EPIPE;
	if (!sk->connected)
		return PROTO_WASI_ENOTCONN;
	if (sk->tx_queued >= SK_TX_CAP)
		return PROTO_WASI_EAGAIN;
	uv_buf_t b = uv_buf_init((char *)p, len);
	int rc = sk->tx_queued ? UV_EAGAIN : uv_try_write(&sk->u.st, &b, 1);

	if (rc < 0 && rc != UV_EAGAIN)
		return wasi_err(rc);
	uint32_t done = rc > 0 ? (uint32_t)rc : 0;

	if (done < len) {
		struct sk_write *w = malloc(sizeof(*w) + (len - done));

		if (w == NULL)
			return done ? (*sent = done, 0) : PROTO_WASI_ENOMEM;
		w->sk = sk;
		w->len = len - done;
		memcpy(w->data, p + done, w->len);
		b = uv_buf_init((char *)w->data, (unsigned)w->len);
		rc = uv_write(&w->w, &sk->u.st, &b, 1, tx_done);
		if (rc < 0) {
			free(w);
			if (!done)
				return wasi_err(rc);
		} else {
			sk->tx_queued += w->len;
			done = len;
		}
	}
	*sent = done;
	return 0;
}

static uint32_t send_dgram(struct mh_req *r, struct sk *sk, uint32_t *sent)
{
	const struct proto_str *d = &r->in.str[0];
	struct sockaddr_storage sa;
	struct sockaddr *to = NULL;
	struct proto_addr a;
	uv_buf_t b = uv_buf_init((char *)d->p, d->len);

	if (r->in.str[1].len) {
		uint32_t err = req_addr(r, 1, sk, &a);

		if (err)
			return err;
		err = sock_policy_check(r->s->srv, true, &a);
		if (err)
			return err;
		to_sockaddr(&a, &sa);
		to = (struct sockaddr *)&sa;
	}
	int rc = uv_udp_try_send(&sk->u.udp, &b, 1, to);

	if (rc == UV_EAGAIN) {
		struct sk_usend *u = malloc(sizeof(*u) + d->len);

		if (u == NULL)
			return PROTO_WASI_ENOMEM;
		memcpy(u->data, d->p, d->len);
		b = uv_buf_init((char *)u->data, d->len);
		rc = uv_udp_send(&u->u, &sk->u.udp, &b, 1, to, dg_sent);
		if (rc < 0)
			free(u);
	}
	if (rc < 0)
		return wasi_err(rc);
	dg_start(sk); /* the send bound it: replies can come now */
	*sent = d->len;
	return 0;
}

static void do_send(struct mh_req *r, struct sk *sk)
{
	uint32_t sent = 0, err;
	struct proto_msg m = {.nval = 1};

	if (sk->type == 1)
		err = send_dgram(r, sk, &sent);
	else
		err = send_stream(sk, r->in.str[0].p, r->in.str[0].len, &sent);
	if (err) {
		req_reply_status(r, err);
		return;
	}
	m.val[0] = sent;
	req_reply_msg(r, &m);
}

static uint32_t do_shutdown(struct mh_req *r, struct sk *sk)
{
	uint32_t how = (uint32_t)r->in.val[1];

	if (how == 0 || how > 3)
		return PROTO_WASI_EINVAL;
	if (sk->type != 2 || !sk->connected)
		return PROTO_WASI_ENOTCONN;
	if (how & 1) {
		sk->shut_rd = true;
		rx_consume(sk, sk->rx_len);
	}
	if ((how & 2) && !sk->shut_wr) {
		sk->shut_wr = true;
		int rc = uv_shutdown(&sk->sreq, &sk->u.st, sk_shut_done);

		if (rc < 0)
			return wasi_err(rc);
		sk->shut_pending = true;
	}
	return 0;
}

static void do_addr(struct mh_req *r, struct sk *sk)
{
	struct sockaddr_storage sa;
	int len = sizeof(sa), rc;
	struct proto_addr a;
	uint8_t buf[PROTO_ADDR_MAX];
	struct proto_msg m = {.nstr = 1};
	bool peer = r->in.val[1] != 0;

	if (sk->type == 2)
		rc = peer ? uv_tcp_getpeername(&sk->u.tcp,
					       (struct sockaddr *)&sa, &len)
			  : uv_tcp_getsockname(&sk->u.tcp,
					       (struct sockaddr *)&sa, &len);
	else
		rc = peer ? uv_udp_getpeername(&sk->u.udp,
					       (struct sockaddr *)&sa, &len)
			  : uv_udp_getsockname(&sk->u.udp,
					       (struct sockaddr *)&sa, &len);
	if (rc < 0) {
		req_reply_status(r, wasi_err(rc));
		return;
	}
	if (from_sockaddr((struct sockaddr *)&sa, &a)) {
		req_reply_status(r, PROTO_WASI_EAFNOSUPPORT);
		return;
	}
	m.str[0].p = buf;
	m.str[0].len = proto_addr_put(buf, &a);
	req_reply_msg(r, &m);
}

static int sk_fd(struct sk *sk)
{
	uv_os_fd_t fd = -1;

	uv_fileno(&sk->u.h, &fd);
	return fd;
}

static uint32_t do_setopt(struct mh_req *r, struct sk *sk)
{
	int v = (int)(int32_t)r->in.val[2], rc = 0;

	switch (r->in.val[1]) {
	case PROTO_SOCKOPT_REUSEADDR:
		if (sk_fd(sk) >= 0)
			rc = setsockopt(sk_fd(sk), SOL_SOCKET, SO_REUSEADDR, &v,
					sizeof(v));
		return rc ? PROTO_WASI_EINVAL : 0;
	case PROTO_SOCKOPT_NODELAY:
		if (sk->type != 2)
			return PROTO_WASI_ENOPROTOOPT;
		sk->nodelay = v != 0;
		rc = uv_tcp_nodelay(&sk->u.tcp, v != 0);
		break;
	case PROTO_SOCKOPT_KEEPALIVE:
		if (sk->type != 2)
			return PROTO_WASI_ENOPROTOOPT;
		sk->keepalive = v != 0;
		rc = uv_tcp_keepalive(&sk->u.tcp, v != 0, 60);
		break;
	case PROTO_SOCKOPT_BROADCAST:
		if (sk->type != 1)
			return PROTO_WASI_ENOPROTOOPT;
		rc = uv_udp_set_broadcast(&sk->u.udp, v != 0);
		break;
	case PROTO_SOCKOPT_SNDBUF:
		rc = uv_send_buffer_size(&sk->u.h, &v);
		break;
	case PROTO_SOCKOPT_RCVBUF:
		rc = uv_recv_buffer_size(&sk->u.h, &v);
		break;
	case PROTO_SOCKOPT_LINGER:
		/* closing always drains queued bytes (see above); the value
		 * is kept to be read back, as the program set it */
		sk->linger = v < 0 ? 0 : (v > INT32_MAX - 1 ? INT32_MAX : v + 1);
		return 0;
	default:
		return PROTO_WASI_ENOPROTOOPT;
	}
	/* Options on a socket not yet created by bind/connect are EBADF
	 * in libuv; they are best effort here, as in WasmEdge. */
	return rc < 0 && rc != UV_EBADF ? wasi_err(rc) : 0;
}

static void do_getopt(struct mh_req *r, struct sk *sk)
{
	struct proto_msg m = {.nval = 1};
	int v = 0;
	socklen_t vl = sizeof(v);

	switch (r->in.val[1]) {
	case PROTO_SOCKOPT_TYPE:
		v = sk->type;
		break;
	case PROTO_SOCKOPT_ERROR:
		v = sk->err ? (int)wasi_err(sk->err) : 0;
		sk->err = 0;
		break;
	case PROTO_SOCKOPT_ACCEPTCONN:
		v = sk->listening;
		break;
	case PROTO_SOCKOPT_NODELAY:
		v = sk->nodelay;
		break;
	case PROTO_SOCKOPT_KEEPALIVE:
		v = sk->keepalive;
		break;
	case PROTO_SOCKOPT_LINGER:
		v = sk->linger - 1;
		break;
	case PROTO_SOCKOPT_BROADCAST:
		if (sk_fd(sk) >= 0)
			getsockopt(sk_fd(sk), SOL_SOCKET, SO_BROADCAST, &v,
				   &vl);
		break;
	case PROTO_SOCKOPT_REUSEADDR:
		if (sk_fd(sk) >= 0)
			getsockopt(sk_fd(sk), SOL_SOCKET, SO_REUSEADDR, &v,
				   &vl);
		break;
	case PROTO_SOCKOPT_SNDBUF:
		uv_send_buffer_size(&sk->u.h, &v);
		break;
	case PROTO_SOCKOPT_RCVBUF:
		uv_recv_buffer_size(&sk->u.h, &v);
		break;
	default:
		req_reply_status(r, PROTO_WASI_ENOPROTOOPT);
		return;
	}
	m.val[0] = (uint32_t)v;
	req_reply_msg(r, &m);
}

static void gai_done(uv_getaddrinfo_t *g, int status, struct addrinfo *res)
{
	struct sk_gai *q = (struct sk_gai *)g;
	struct mh_req *r = q->r;
	uint8_t buf[4 + PROTO_GAI_MAX * (2 + 4 + PROTO_ADDR_MAX)];
	struct proto_put w;
	uint32_t n = 0;

	proto_put_init(&w, buf, sizeof(buf));
	proto_put_u32(&w, 0);
	for (struct addrinfo *ai = res; ai && n < q->max; ai = ai->ai_next) {
		struct proto_addr a;
		uint8_t ab[PROTO_ADDR_MAX];

		if (from_sockaddr(ai->ai_addr, &a))
			continue;
		proto_put_u8(&w, ai->ai_socktype == SOCK_DGRAM ? 1 : 2);
		proto_put_u8(&w, (uint8_t)ai->ai_protocol);
		proto_put_str(&w, ab, proto_addr_put(ab, &a));
		n++;
	}
	proto_st32(buf, n);
	if (res)
		uv_freeaddrinfo(res);
	free(q);
	if (status < 0) {
		req_reply_status(r, status == UV_EAI_NONAME ||
					    status == UV_EAI_NODATA
					? PROTO_WASI_ENOENT
					: PROTO_WASI_EIO);
		return;
	}
	struct proto_msg m = {.nstr = 1};

	m.str[0].p = buf;
	m.str[0].len = w.off;
	req_reply_msg(r, &m);
}

static void do_getaddrinfo(struct mh_req *r)
{
	char node[256], svc[64];
	const struct proto_str *ns = &r->in.str[0], *sv = &r->in.str[1];
	struct addrinfo hints;
	struct sk_gai *q;

	if (ns->len >= sizeof(node) || sv->len >= sizeof(svc) ||
	    memchr(ns->p, 0, ns->len) || memchr(sv->p, 0, sv->len)) {
		req_reply_status(r, PROTO_WASI_EINVAL);
		return;
	}
	memcpy(node, ns->p, ns->len);
	node[ns->len] = 0;
	memcpy(svc, sv->p, sv->len);
	svc[sv->len] = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = r->in.val[0] == 4   ? AF_INET
			  : r->in.val[0] == 6 ? AF_INET6
					      : AF_UNSPEC;
	hints.ai_socktype = r->in.val[1] == 1	? SOCK_DGRAM
			    : r->in.val[1] == 2 ? SOCK_STREAM
						: 0;
	q = calloc(1, sizeof(*q));
	if (q == NULL) {
		req_reply_status(r, PROTO_WASI_ENOMEM);
		return;
	}
	q->r = r;
	q->max = r->in.val[2] < PROTO_GAI_MAX ? (uint32_t)r->in.val[2]
					      : PROTO_GAI_MAX;
	int rc =
	    uv_getaddrinfo(r->s->srv->loop, &q->g, gai_done,
			   ns->len ? node : NULL, sv->len ? svc : NULL, &hints);

	if (rc < 0) {
		free(q);
		req_reply_status(r, PROTO_WASI_EIO);
	}
}

static void do_close(struct mh_req *r, struct sk_sess *ss, struct sk *sk)
{
	ss->tab[sk->id - 1] = NULL;
	ss->used--;
	sk_close(sk);
	req_reply_status(r, 0);
}

/* Ops on one socket, after its handle was found. */
static void sock_handle_op(struct mh_req *r, struct sk_sess *ss, struct sk *sk)
{
	uint32_t err;

	switch (r->hdr.op) {
	case PROTO_OP_SOCK_BIND:
		err = do_bind(r, sk);
		break;
	case PROTO_OP_SOCK_LISTEN:
		err = do_listen(r, sk);
		break;
	case PROTO_OP_SOCK_CONNECT:
		err = do_connect(r, sk);
		break;
	case PROTO_OP_SOCK_SHUTDOWN:
		err = do_shutdown(r, sk);
		break;
	case PROTO_OP_SOCK_SETOPT:
		err = do_setopt(r, sk);
		break;
	case PROTO_OP_SOCK_ACCEPT:
		do_accept(r, ss, sk);
		return;
	case PROTO_OP_SOCK_RECV:
		do_recv(r, sk);
		return;
	case PROTO_OP_SOCK_SEND:
		do_send(r, sk);
		return;
	case PROTO_OP_SOCK_ADDR:
		do_addr(r, sk);
		return;
	case PROTO_OP_SOCK_GETOPT:
		do_getopt(r, sk);
		return;
	case PROTO_OP_SOCK_CLOSE:
		do_close(r, ss, sk);
		return;
	default:
		err = PROTO_WASI_ENOSYS;
		break;
	}
	req_reply_status(r, err);
}

void sock_dispatch(struct mh_req *r)
{
	struct sk_sess *ss = sess_get(r->s);

	if (ss == NULL) {
		req_reply_status(r, PROTO_WASI_ENOMEM);
		return;
	}
	switch (r->hdr.op) {
	case PROTO_OP_SOCK_OPEN:
		do_open(r, ss);
		return;
	case PROTO_OP_SOCK_POLL:
		do_poll(r, ss);
		return;
	case PROTO_OP_SOCK_GETADDRINFO:
		do_getaddrinfo(r);
		return;
	default:
		break;
	}
	struct sk *sk = sk_get(ss, r->in.val[0]);

	if (sk == NULL) {
		req_reply_status(r, PROTO_WASI_EBADF);
		return;
	}
	sock_handle_op(r, ss, sk);
	/* A recv or send changed what is ready for a poll held earlier?
	 * No: the guest has one request outstanding; nothing to do. */
}
