/*
 * Dispatch: what each request does, on the loop thread.
 *
 * The session hands over a whole frame.  It is decoded against its op's
 * format; HELLO, PING, CLOSE and the fdstat calls are answered here (they
 * touch only the handle table); every other file operation takes
 * references on the handles it names, has their rights checked, gets its
 * reply buffer and is queued for the thread pool, or, if it cannot block
 * (fs_nonblocking: tell, seek, fstat on a local file system...) and the
 * session has no job running or waiting (so it cannot overtake one), run
 * at once.  A two-level switch: on the session's state (before or after
 * HELLO), then on the op.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "handles.h"
#include "proto.h"
#include "server.h"
#include "session_priv.h"
#include "sock.h"

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
				  FS_PREOPEN_RB, FS_PREOPEN_RI, sh, sh->local,
				  &id);
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
		req_reply_status(r, PROTO_WASI_EALREADY);
		return;
	}
	if (v[0] < PROTO_VERSION) {
		req_reply_status(r, PROTO_WASI_EPROTONOSUPPORT);
		return;
	}
	if (v[2] < mf)
		mf = (uint32_t)v[2];
	if (mf < PROTO_FRAME_MIN) {
		req_reply_status(r, PROTO_WASI_EINVAL);
		return;
	}
	/* Three lists in one buffer, each at most a frame. */
	blob = malloc(3 * (size_t)mf);
	if (blob == NULL) {
		req_reply_status(r, PROTO_WASI_ENOMEM);
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
		req_reply_status(r, err);
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
		req_reply_status(r, PROTO_WASI_E2BIG);
		return;
	}
	s->max_frame = mf;
	s->hello_done = true;
	mh_log(s->srv, "session %llu: hello, max frame %u",
	       (unsigned long long)s->id, mf);
	req_reply_msg(r, &m);
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
			req_reply_status(r, PROTO_WASI_EBADF);
			return;
		}
		handle_put(h);
		req_reply_status(r, 0);
		return;
	}
	h = htab_get(&s->handles, r->in.val[0]);
	if (h == NULL) {
		req_reply_status(r, PROTO_WASI_EBADF);
		return;
	}
	r->call.h[0] = h; /* released by req_free */
	if (r->hdr.op == PROTO_OP_FDSTAT_SET_RIGHTS) {
		uint64_t rb = r->in.val[1], ri = r->in.val[2];

		/* Rights only ever shrink. */
		if ((rb & ~h->rb) || (ri & ~h->ri)) {
			req_reply_status(r, PROTO_WASI_ENOTCAPABLE);
			return;
		}
		h->rb = rb;
		h->ri = ri;
		req_reply_status(r, 0);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.val[0] = h->filetype;
	m.val[1] = fs_fdflags(h->fd);
	m.val[2] = h->rb;
	m.val[3] = h->ri;
	m.nval = 4;
	req_reply_msg(r, &m);
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

void session_dispatch(struct mh_req *r)
{
	struct mh_session *s = r->s;
	int dr = proto_decode(&r->hdr, r->payload, &r->in);

	if (dr == PROTO_E_OP) {
		req_reply_status(r, PROTO_WASI_ENOSYS);
		return;
	}
	if (dr != PROTO_OK) {
		req_reply_status(r, PROTO_WASI_EPROTO);
		return;
	}
	if (!s->hello_done && r->hdr.op != PROTO_OP_HELLO &&
	    r->hdr.op != PROTO_OP_PING) {
		req_reply_status(r, PROTO_WASI_EPROTO);
		return;
	}
	switch (r->hdr.op) {
	case PROTO_OP_HELLO:
		do_hello(r);
		return;
	case PROTO_OP_PING:
		req_reply_status(r, 0);
		return;
	case PROTO_OP_CLOSE:
	case PROTO_OP_FDSTAT_GET:
	case PROTO_OP_FDSTAT_SET_RIGHTS:
		do_handle_op(r);
		return;
	default:
		break;
	}
	if (sock_op(r->hdr.op)) {
		sock_dispatch(r);
		return;
	}

	const struct fs_opinfo *info = fs_opinfo(r->hdr.op);

	if (info == NULL) {
		req_reply_status(r, PROTO_WASI_ENOSYS);
		return;
	}
	uint32_t err = fs_prepare(r, info);

	if (err) {
		req_reply_status(r, err);
		return;
	}
	r->call.op = r->hdr.op;
	r->call.in = &r->in;
	if (fs_nonblocking(&r->call) && s->jobs == 0 && s->pend_head == NULL)
		session_run_now(r);
	else
		session_queue_job(r);
}
