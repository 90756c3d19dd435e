/*
 * A session: one connection's framing, limits, replies and jobs.
 *
 * Runs on the loop thread.  Bytes arrive through session_feed() in any
 * chunking; a frame goes to session_dispatch() (dispatch.c) once whole.
 * File operations come back here as jobs for libuv's thread pool and are
 * answered from the after-work callback, so replies may overtake each
 * other (the guest matches them by id).
 *
 * Limits, per session:
 *  - handles: the table refuses more than max_handles with MFILE;
 *  - jobs: at most max_jobs in the pool at once, the rest wait in a FIFO
 *    here, so one busy guest cannot fill the shared pool's queue ahead of
 *    the others;
 *  - bytes in flight: every request costs its struct, its payload and its
 *    reply buffer from the moment its header arrives until it is answered,
 *    and every reply its length until the transport has sent it.  Above
 *    max_inflight the session stops reading its connection; a guest that
 *    floods requests or never reads replies stalls only itself.
 */
#include "session.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "fs.h"
#include "handles.h"
#include "proto.h"
#include "server.h"
#include "session_priv.h"
#include "sock.h"
#include "transport.h"

static void session_pump(struct mh_session *s);

static void session_maybe_free(struct mh_session *s)
{
	if (!s->conn_gone || s->reqs != 0 || s->jobs != 0)
		return;
	struct mh_server *srv = s->srv;

	if (s->prev)
		s->prev->next = s->next;
	else
		srv->sessions = s->next;
	if (s->next)
		s->next->prev = s->prev;
	srv->nsessions--;
	htab_destroy(&s->handles);
	mh_log(srv, "session %llu: freed", (unsigned long long)s->id);
	free(s);
}

static void session_flow(struct mh_session *s)
{
	bool over = s->inflight > s->srv->limits.max_inflight;

	if (s->closing || s->conn_gone || over == s->paused)
		return;
	s->paused = over;
	if (over)
		s->conn->ops->pause(s->conn);
	else
		s->conn->ops->resume(s->conn);
}

/* Hands a frame to the transport (or drops it if the connection is on its
 * way out).  buf is always consumed. */
static void session_send(struct mh_session *s, uint8_t *buf, size_t len)
{
	if (s->closing || s->conn_gone) {
		free(buf);
		return;
	}
	s->inflight += len;
	s->conn->ops->send(s->conn, buf, len);
}

void session_sent(struct mh_session *s, size_t len)
{
	s->inflight -= len;
	session_flow(s);
}

static void req_free(struct mh_req *r)
{
	struct mh_session *s = r->s;

	for (int i = 0; i < 2; i++) {
		if (r->call.h[i])
			handle_put(r->call.h[i]);
	}
	if (r->call.new_fd >= 0)
		close(r->call.new_fd);
	free(r->frame);
	free(r->payload);
	s->inflight -= r->cost;
	s->reqs--;
	free(r);
	session_flow(s);
	session_maybe_free(s);
}

/* -v -v: one line per reply. */
static void log_reply(const struct mh_req *r, uint32_t status, size_t len)
{
	const char *name = proto_op_name(r->hdr.op);

	if (r->s->srv->verbose < 2)
		return;
	mh_log(r->s->srv, "session %llu: %s id %u -> status %u, %zu bytes",
	       (unsigned long long)r->s->id, name ? name : "?", r->hdr.id,
	       status, len);
}

void req_reply_status(struct mh_req *r, uint32_t status)
{
	log_reply(r, status, PROTO_HDR_LEN);
	struct proto_hdr h = {0, r->hdr.op, PROTO_F_RESPONSE, r->hdr.id,
			      status};
	uint8_t *buf = malloc(PROTO_HDR_LEN);

	if (buf != NULL) {
		proto_encode_hdr(buf, &h);
		session_send(r->s, buf, PROTO_HDR_LEN);
	}
	req_free(r);
}

void req_reply_msg(struct mh_req *r, const struct proto_msg *m)
{
	const char *fmt = proto_format(r->hdr.op, true);
	int64_t plen = proto_payload_len(fmt, m);
	struct proto_hdr h = {0, r->hdr.op, PROTO_F_RESPONSE, r->hdr.id, 0};

	if (plen < 0 || (uint64_t)plen > r->s->max_frame - PROTO_HDR_LEN) {
		req_reply_status(r, PROTO_WASI_EIO);
		return;
	}
	uint8_t *buf = malloc(PROTO_HDR_LEN + (size_t)plen);

	if (buf == NULL) {
		req_reply_status(r, PROTO_WASI_ENOMEM);
		return;
	}
	int64_t n = proto_encode(buf, PROTO_HDR_LEN + (size_t)plen, &h, m);

	if (n < 0) {
		free(buf);
		req_reply_status(r, PROTO_WASI_EIO);
		return;
	}
	log_reply(r, 0, (size_t)n);
	session_send(r->s, buf, (size_t)n);
	req_free(r);
}

/* A one-string reply whose data the worker wrote in place after room for
 * the header and the length word. */
static void reply_frame(struct mh_req *r)
{
	uint32_t len = r->call.out.str[0].len;
	struct proto_hdr h = {4 + len, r->hdr.op, PROTO_F_RESPONSE, r->hdr.id,
			      0};
	uint8_t *buf = r->frame;

	r->frame = NULL;
	proto_encode_hdr(buf, &h);
	proto_st32(buf + PROTO_HDR_LEN, len);
	log_reply(r, 0, PROTO_HDR_LEN + 4 + (size_t)len);
	session_send(r->s, buf, PROTO_HDR_LEN + 4 + (size_t)len);
	req_free(r);
}

static void work_cb(uv_work_t *w)
{
	struct mh_req *r = w->data;

	fs_exec(&r->call);
}

static void after_open(struct mh_req *r)
{
	struct mh_session *s = r->s;
	struct fs_call *c = &r->call;
	uint32_t id;

	if (s->closing || s->conn_gone)
		return; /* req_free closes the fd */
	c->status = htab_insert(&s->handles, c->new_fd, c->new_type, c->new_rb,
				c->new_ri, c->h[0]->share, c->new_local, &id);
	if (c->status)
		return;
	c->new_fd = -1; /* the table owns it now */
	c->out.val[0] = id;
}

/* r->call has run: reply (which frees r). */
static void call_done(struct mh_req *r)
{
	if (r->hdr.op == PROTO_OP_OPEN && r->call.status == 0)
		after_open(r);
	if (r->call.status)
		req_reply_status(r, r->call.status);
	else if (r->frame)
		reply_frame(r);
	else
		req_reply_msg(r, &r->call.out);
}

static void after_work_cb(uv_work_t *w, int status)
{
	struct mh_req *r = w->data;
	struct mh_session *s = r->s;

	(void)status; /* jobs are never cancelled */
	call_done(r);
	/* Counted until here so that replying cannot free s under us. */
	s->jobs--;
	session_pump(s);
	session_maybe_free(s);
}

void session_run_now(struct mh_req *r)
{
	fs_exec(&r->call);
	call_done(r);
}

static void session_pump(struct mh_session *s)
{
	while (!s->conn_gone && s->pend_head &&
	       s->jobs < s->srv->limits.max_jobs) {
		struct mh_req *r = s->pend_head;

		s->pend_head = r->next;
		if (s->pend_head == NULL)
			s->pend_tail = NULL;
		r->next = NULL;
		r->work.data = r;
		s->jobs++;
		uv_queue_work(s->srv->loop, &r->work, work_cb, after_work_cb);
	}
}

void session_queue_job(struct mh_req *r)
{
	struct mh_session *s = r->s;

	if (s->pend_tail)
		s->pend_tail->next = r;
	else
		s->pend_head = r;
	s->pend_tail = r;
	session_pump(s);
}

static struct mh_req *req_new(struct mh_session *s, const struct proto_hdr *h)
{
	struct mh_req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->s = s;
	r->hdr = *h;
	r->call.new_fd = -1;
	/* One byte at least, so a zero-length payload still has a valid
	 * pointer for the decoder. */
	r->payload = malloc(h->payload_len ? h->payload_len : 1);
	if (r->payload == NULL) {
		free(r);
		return NULL;
	}
	r->cost = sizeof(*r) + h->payload_len;
	s->inflight += r->cost;
	s->reqs++;
	return r;
}

/* A whole header has arrived: check it and start the frame. */
static int feed_header(struct mh_session *s)
{
	struct proto_hdr h;
	int err = proto_decode_hdr(s->hdrbuf, PROTO_HDR_LEN, s->max_frame, &h);

	s->hdr_have = 0;
	/* A bad length or flag leaves no way to find the next frame, and a
	 * response has no business arriving here: drop the connection. */
	if (err != PROTO_OK || (h.flags & PROTO_F_RESPONSE)) {
		mh_log(s->srv, "session %llu: bad frame header (%d), closing",
		       (unsigned long long)s->id, err);
		return -1;
	}
	s->cur = req_new(s, &h);
	if (s->cur == NULL)
		return -1;
	s->pay_have = 0;
	return 0;
}

int session_feed(struct mh_session *s, const uint8_t *p, size_t n)
{
	while (n > 0 && !s->closing) {
		if (s->cur == NULL) {
			size_t take = PROTO_HDR_LEN - s->hdr_have;

			if (take > n)
				take = n;
			memcpy(s->hdrbuf + s->hdr_have, p, take);
			s->hdr_have += (uint32_t)take;
			p += take;
			n -= take;
			if (s->hdr_have < PROTO_HDR_LEN)
				break;
			if (feed_header(s) != 0)
				return -1;
		} else {
			size_t take = s->cur->hdr.payload_len - s->pay_have;

			if (take > n)
				take = n;
			memcpy(s->cur->payload + s->pay_have, p, take);
			s->pay_have += (uint32_t)take;
			p += take;
			n -= take;
		}
		if (s->cur && s->pay_have == s->cur->hdr.payload_len) {
			struct mh_req *r = s->cur;

			s->cur = NULL;
			session_dispatch(r);
		}
	}
	session_flow(s);
	return 0;
}

struct mh_session *session_new(struct mh_server *srv, struct mh_conn *conn)
{
	struct mh_session *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->srv = srv;
	s->conn = conn;
	s->id = ++srv->next_session_id;
	s->max_frame = PROTO_FRAME_DEFAULT;
	htab_init(&s->handles, srv->limits.max_handles);
	s->next = srv->sessions;
	if (s->next)
		s->next->prev = s;
	srv->sessions = s;
	srv->nsessions++;
	conn->sess = s;
	mh_log(srv, "session %llu: open", (unsigned long long)s->id);
	return s;
}

void session_close(struct mh_session *s)
{
	if (s->closing || s->conn_gone)
		return;
	s->closing = true;
	s->conn->ops->close(s->conn);
}

void session_close_all(struct mh_server *srv)
{
	/* Closing only starts here (the transport finishes it in a later
	 * callback), so the list does not change under us. */
	for (struct mh_session *s = srv->sessions; s; s = s->next)
		session_close(s);
}

void session_conn_gone(struct mh_session *s)
{
	s->conn_gone = true;
	s->closing = true;
	s->conn = NULL;
	/* Hold s while dropping what will never be answered: requests not
	 * yet in the pool and a half-received frame. */
	s->reqs++;
	while (s->pend_head) {
		struct mh_req *r = s->pend_head;

		s->pend_head = r->next;
		req_free(r);
	}
	s->pend_tail = NULL;
	sock_session_gone(s); /* its sockets and a waiting SOCK_POLL */
	if (s->cur) {
		req_free(s->cur);
		s->cur = NULL;
	}
	s->reqs--;
	mh_log(s->srv, "session %llu: connection gone",
	       (unsigned long long)s->id);
	session_maybe_free(s);
}
