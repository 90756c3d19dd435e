/*
 * A session: framing, dispatch and limits for one connection.
 *
 * Runs on the loop thread.  Bytes arrive through session_feed() in any
 * chunking; a frame is dispatched once whole.  HELLO, PING, CLOSE and the
 * fdstat calls are answered at once; every other file operation becomes a
 * job on libuv's thread pool and is answered from its after-work callback,
 * so replies may overtake each other (the guest matches them by id).
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

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "fs.h"
#include "handles.h"
#include "proto.h"
#include "server.h"
#include "transport.h"

struct mh_req {
	uv_work_t work;
	struct mh_session *s;
	struct mh_req *next; /* pending FIFO */
	struct proto_hdr hdr;
	struct proto_msg in;
	uint8_t *payload;
	struct fs_call call;
	uint8_t *frame; /* reply frame whose data the worker fills, or NULL */
	uint64_t cost;	/* bytes charged to s->inflight */
};

struct mh_session {
	struct mh_server *srv;
	struct mh_conn *conn;
	struct mh_session *prev, *next;
	uint64_t id;
	bool hello_done;
	bool closing;	/* close asked; replies are dropped */
	bool conn_gone; /* the transport will call nothing more */
	bool paused;
	uint32_t max_frame;
	struct mh_htab handles;
	/* The frame being received. */
	uint8_t hdrbuf[PROTO_HDR_LEN];
	uint32_t hdr_have;
	struct mh_req *cur;
	uint32_t pay_have;
	/* Limits. */
	uint64_t inflight;
	struct mh_req *pend_head, *pend_tail;
	uint32_t jobs; /* in the pool */
	uint32_t reqs; /* alive: receiving, pending, in the pool */
};

static void session_pump(struct mh_session *s);

/* Requests whose reply is one string, and which of their numbers bounds
 * its length. */
static int session_reply_len_val(uint16_t op)
{
	switch (op) {
	case PROTO_OP_READ:
	case PROTO_OP_PATH_READLINK:
		return 1;
	case PROTO_OP_PREAD:
	case PROTO_OP_READDIR:
		return 2;
	default:
		return -1;
	}
}

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

static void reply_status(struct mh_req *r, uint32_t status)
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

static void reply_msg(struct mh_req *r, const struct proto_msg *m)
{
	const char *fmt = proto_format(r->hdr.op, true);
	int64_t plen = proto_payload_len(fmt, m);
	struct proto_hdr h = {0, r->hdr.op, PROTO_F_RESPONSE, r->hdr.id, 0};

	if (plen < 0 || (uint64_t)plen > r->s->max_frame - PROTO_HDR_LEN) {
		reply_status(r, PROTO_WASI_EIO);
		return;
	}
	uint8_t *buf = malloc(PROTO_HDR_LEN + (size_t)plen);

	if (buf == NULL) {
		reply_status(r, PROTO_WASI_ENOMEM);
		return;
	}
	int64_t n = proto_encode(buf, PROTO_HDR_LEN + (size_t)plen, &h, m);

	if (n < 0) {
		free(buf);
		reply_status(r, PROTO_WASI_EIO);
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

/* HELLO's preopens list: count, then per share handle, rights, flags and
 * guest path.  Creates the preopen handles. */
static uint32_t hello_preopens(struct mh_session *s, struct proto_put *w)
{
	struct mh_server *srv = s->srv;

	proto_put_u32(w, srv->nshares);
	for (uint32_t i = 0; i < srv->nshares; i++) {
		const struct mh_share *sh = &srv->shares[i];
		int fd = openat(sh->root_fd, ".",
				O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		uint32_t id, err;

		if (fd < 0)
			return PROTO_WASI_EIO;
		err = htab_insert(&s->handles, fd, PROTO_FT_DIRECTORY,
				  FS_PREOPEN_RB, FS_PREOPEN_RI, sh, &id);
		if (err) {
			close(fd);
			return err;
		}
		struct proto_preopen p = {
		    id,
		    FS_PREOPEN_RB,
		    FS_PREOPEN_RI,
		    sh->ro ? PROTO_PREOPEN_RO : 0,
		    {(const uint8_t *)sh->guest, (uint32_t)strlen(sh->guest)}};

		proto_put_preopen(w, &p);
	}
	return 0;
}

static void hello_strings(struct proto_put *w, char **v, uint32_t n)
{
	proto_put_u32(w, n);
	for (uint32_t i = 0; i < n; i++)
		proto_put_str(w, v[i], (uint32_t)strlen(v[i]));
}

static void do_hello(struct mh_req *r)
{
	struct mh_session *s = r->s;
	const uint64_t *v = r->in.val;
	uint32_t mf = s->srv->limits.max_frame;
	struct proto_put w[3];
	struct proto_msg m;
	struct timespec now;
	uint8_t *blob;

	if (s->hello_done) {
		reply_status(r, PROTO_WASI_EALREADY);
		return;
	}
	if (v[0] < PROTO_VERSION) {
		reply_status(r, PROTO_WASI_EPROTONOSUPPORT);
		return;
	}
	if (v[2] < mf)
		mf = (uint32_t)v[2];
	if (mf < PROTO_FRAME_MIN) {
		reply_status(r, PROTO_WASI_EINVAL);
		return;
	}
	/* Three lists in one buffer, each at most a frame. */
	blob = malloc(3 * (size_t)mf);
	if (blob == NULL) {
		reply_status(r, PROTO_WASI_ENOMEM);
		return;
	}
	for (int i = 0; i < 3; i++)
		proto_put_init(&w[i], blob + (size_t)i * mf, mf);
	uint32_t err = hello_preopens(s, &w[0]);

	hello_strings(&w[1], s->srv->args, s->srv->nargs);
	hello_strings(&w[2], s->srv->env, s->srv->nenv);
	if (!err && (w[0].bad || w[1].bad || w[2].bad))
		err = PROTO_WASI_E2BIG;
	if (err) {
		htab_destroy(&s->handles);
		htab_init(&s->handles, s->srv->limits.max_handles);
		free(blob);
		reply_status(r, err);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	memset(&m, 0, sizeof(m));
	m.val[0] = PROTO_VERSION;
	m.val[1] = v[1] & PROTO_FEATURES_KNOWN;
	m.val[2] = mf;
	m.val[3] = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	m.nval = 4;
	for (int i = 0; i < 3; i++) {
		m.str[i].p = w[i].p;
		m.str[i].len = w[i].off;
	}
	m.nstr = 3;
	/* The reply must fit the frame the guest can take. */
	if (proto_payload_len("wqwqsss", &m) > (int64_t)(mf - PROTO_HDR_LEN)) {
		htab_destroy(&s->handles);
		htab_init(&s->handles, s->srv->limits.max_handles);
		free(blob);
		reply_status(r, PROTO_WASI_E2BIG);
		return;
	}
	s->max_frame = mf;
	s->hello_done = true;
	mh_log(s->srv, "session %llu: hello, max frame %u",
	       (unsigned long long)s->id, mf);
	reply_msg(r, &m);
	free(blob);
}

/* CLOSE, FDSTAT_GET, FDSTAT_SET_RIGHTS: handle-table work, no I/O that can
 * block (close(2) of a local file does not wait for the disk). */
static void do_handle_op(struct mh_req *r)
{
	struct mh_session *s = r->s;
	struct proto_msg m;
	struct mh_handle *h;

	if (r->hdr.op == PROTO_OP_CLOSE) {
		h = htab_take(&s->handles, r->in.val[0]);
		if (h == NULL) {
			reply_status(r, PROTO_WASI_EBADF);
			return;
		}
		handle_put(h);
		reply_status(r, 0);
		return;
	}
	h = htab_get(&s->handles, r->in.val[0]);
	if (h == NULL) {
		reply_status(r, PROTO_WASI_EBADF);
		return;
	}
	r->call.h[0] = h; /* released by req_free */
	if (r->hdr.op == PROTO_OP_FDSTAT_SET_RIGHTS) {
		uint64_t rb = r->in.val[1], ri = r->in.val[2];

		/* Rights only ever shrink. */
		if ((rb & ~h->rb) || (ri & ~h->ri)) {
			reply_status(r, PROTO_WASI_ENOTCAPABLE);
			return;
		}
		h->rb = rb;
		h->ri = ri;
		reply_status(r, 0);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.val[0] = h->filetype;
	m.val[1] = fs_fdflags(h->fd);
	m.val[2] = h->rb;
	m.val[3] = h->ri;
	m.nval = 4;
	reply_msg(r, &m);
}

/* Takes the handles an fs op names and checks them.  WASI errno. */
static uint32_t fs_prepare(struct mh_req *r, const struct fs_opinfo *info)
{
	struct mh_session *s = r->s;

	for (int i = 0; i < 2; i++) {
		if (info->hval[i] < 0)
			continue;
		struct mh_handle *h =
		    htab_get(&s->handles, r->in.val[(int)info->hval[i]]);

		if (h == NULL)
			return PROTO_WASI_EBADF;
		r->call.h[i] = h;
		r->call.rb[i] = h->rb;
		r->call.ri[i] = h->ri;
		if (info->path && h->filetype != PROTO_FT_DIRECTORY)
			return PROTO_WASI_ENOTDIR;
		if ((h->rb & info->rights[i]) != info->rights[i])
			return PROTO_WASI_ENOTCAPABLE;
		if (info->writes && h->share->ro)
			return PROTO_WASI_EROFS;
	}
	if (r->hdr.op == PROTO_OP_OPEN && s->handles.used >= s->handles.max)
		return PROTO_WASI_EMFILE;

	int lv = session_reply_len_val(r->hdr.op);

	if (lv >= 0) {
		uint32_t cap = proto_io_max(s->max_frame);

		if (r->in.val[lv] < cap)
			cap = (uint32_t)r->in.val[lv];
		r->frame = malloc(PROTO_HDR_LEN + 4 + (size_t)cap);
		if (r->frame == NULL)
			return PROTO_WASI_ENOMEM;
		r->call.data = r->frame + PROTO_HDR_LEN + 4;
		r->call.cap = cap;
		r->cost += cap;
		s->inflight += cap;
	}
	return 0;
}

static void dispatch(struct mh_req *r)
{
	struct mh_session *s = r->s;
	int dr = proto_decode(&r->hdr, r->payload, &r->in);

	if (dr == PROTO_E_OP) {
		reply_status(r, PROTO_WASI_ENOSYS);
		return;
	}
	if (dr != PROTO_OK) {
		reply_status(r, PROTO_WASI_EPROTO);
		return;
	}
	if (!s->hello_done && r->hdr.op != PROTO_OP_HELLO &&
	    r->hdr.op != PROTO_OP_PING) {
		reply_status(r, PROTO_WASI_EPROTO);
		return;
	}
	switch (r->hdr.op) {
	case PROTO_OP_HELLO:
		do_hello(r);
		return;
	case PROTO_OP_PING:
		reply_status(r, 0);
		return;
	case PROTO_OP_CLOSE:
	case PROTO_OP_FDSTAT_GET:
	case PROTO_OP_FDSTAT_SET_RIGHTS:
		do_handle_op(r);
		return;
	default:
		break;
	}

	const struct fs_opinfo *info = fs_opinfo(r->hdr.op);

	if (info == NULL) {
		reply_status(r, PROTO_WASI_ENOSYS);
		return;
	}
	uint32_t err = fs_prepare(r, info);

	if (err) {
		reply_status(r, err);
		return;
	}
	r->call.op = r->hdr.op;
	r->call.in = &r->in;
	if (s->pend_tail)
		s->pend_tail->next = r;
	else
		s->pend_head = r;
	s->pend_tail = r;
	session_pump(s);
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
				c->new_ri, c->h[0]->share, &id);
	if (c->status)
		return;
	c->new_fd = -1; /* the table owns it now */
	c->out.val[0] = id;
}

static void after_work_cb(uv_work_t *w, int status)
{
	struct mh_req *r = w->data;
	struct mh_session *s = r->s;

	(void)status; /* jobs are never cancelled */
	if (r->hdr.op == PROTO_OP_OPEN && r->call.status == 0)
		after_open(r);
	if (r->call.status)
		reply_status(r, r->call.status);
	else if (r->frame)
		reply_frame(r);
	else
		reply_msg(r, &r->call.out);
	/* Counted until here so that replying cannot free s under us. */
	s->jobs--;
	session_pump(s);
	session_maybe_free(s);
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
			dispatch(r);
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
	if (s->cur) {
		req_free(s->cur);
		s->cur = NULL;
	}
	s->reqs--;
	mh_log(s->srv, "session %llu: connection gone",
	       (unsigned long long)s->id);
	session_maybe_free(s);
}
