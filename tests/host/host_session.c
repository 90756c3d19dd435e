/*
 * Suite host-session: a session in process, with a fake transport, to
 * check its limits deterministically: at most max_jobs jobs in the pool
 * with the rest queued, reading paused above max_inflight and resumed when
 * replies leave, teardown with jobs in flight, framing of a stream
 * fed one byte at a time, and a net=host stream's receive buffer.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto.h"
#include "server.h"
#include "session.h"
#include "session_priv.h"
#include "th.h"
#include "transport.h"

#define HELD_MAX 256

struct fake {
	struct mh_conn conn;
	bool hold; /* keep sends as if the peer did not read */
	uint8_t *held[HELD_MAX];
	size_t held_len[HELD_MAX];
	int nheld;
	int replies, bad_replies, pauses, resumes;
	uint32_t ids_seen[HELD_MAX];
	uint8_t *last; /* the last reply, kept if keep_last */
	size_t last_len;
	bool keep_last;
};

static struct mh_server srv;
static uv_loop_t loop;
static char root[] = "/tmp/mewz-host-session.XXXXXX";

static void count_reply(struct fake *f, const uint8_t *buf, size_t len)
{
	struct proto_hdr h;
	struct proto_msg m;

	if (proto_decode_hdr(buf, len, PROTO_FRAME_MAX, &h) != PROTO_OK ||
	    h.payload_len != len - PROTO_HDR_LEN ||
	    proto_decode(&h, buf + PROTO_HDR_LEN, &m) != PROTO_OK ||
	    h.status != 0) {
		f->bad_replies++;
		return;
	}
	if (f->replies < HELD_MAX)
		f->ids_seen[f->replies] = h.id;
	f->replies++;
}

static void fake_send(struct mh_conn *c, uint8_t *buf, size_t len)
{
	struct fake *f = (struct fake *)c;

	count_reply(f, buf, len);
	if (f->keep_last) {
		free(f->last);
		f->last = buf;
		f->last_len = len;
		session_sent(c->sess, len);
		return;
	}
	if (f->hold && f->nheld < HELD_MAX) {
		f->held[f->nheld] = buf;
		f->held_len[f->nheld++] = len;
		return;
	}
	free(buf);
	session_sent(c->sess, len);
}

static void fake_release(struct fake *f)
{
	f->hold = false;
	for (int i = 0; i < f->nheld; i++) {
		free(f->held[i]);
		session_sent(f->conn.sess, f->held_len[i]);
	}
	f->nheld = 0;
}

static void fake_pause(struct mh_conn *c)
{
	((struct fake *)c)->pauses++;
}

static void fake_resume(struct mh_conn *c)
{
	((struct fake *)c)->resumes++;
}

static void fake_close(struct mh_conn *c)
{
	(void)c;
}

static const struct mh_conn_ops fake_ops = {fake_send, fake_pause, fake_resume,
					    fake_close};

static size_t frame(uint8_t *out, uint16_t op, uint32_t id,
		    const struct proto_msg *m)
{
	struct proto_hdr h = {0, op, 0, id, 0};
	int64_t n = proto_encode(out, 4096, &h, m);

	return n > 0 ? (size_t)n : 0;
}

static struct mh_session *open_session(struct fake *f)
{
	uint8_t b[64];
	struct proto_msg m = {{PROTO_VERSION, 0, PROTO_FRAME_MAX}, {{0}}, 3, 0};

	memset(f, 0, sizeof(*f));
	f->conn.ops = &fake_ops;
	struct mh_session *s = session_new(&srv, &f->conn);

	session_feed(s, b, frame(b, PROTO_OP_HELLO, 1, &m));
	return s;
}

/* n READDIRs of the share root (handle 0), ids from 100. */
static void feed_readdirs(struct mh_session *s, int n, uint32_t max_len)
{
	uint8_t b[64];

	for (int i = 0; i < n; i++) {
		struct proto_msg m = {{0, 0, max_len}, {{0}}, 3, 0};

		session_feed(s, b,
			     frame(b, PROTO_OP_READDIR, 100 + (uint32_t)i, &m));
	}
}

static int pending(const struct mh_session *s)
{
	int n = 0;

	for (const struct mh_req *r = s->pend_head; r; r = r->next)
		n++;
	return n;
}

static void test_job_cap(void)
{
	struct fake f;
	struct mh_session *s = open_session(&f);

	CHECK_EQ(f.replies, 1); /* HELLO, answered at once */
	feed_readdirs(s, 50, 256);
	CHECK_EQ(s->jobs, srv.limits.max_jobs);
	CHECK_EQ(pending(s), 50 - (int)srv.limits.max_jobs);
	uv_run(&loop, UV_RUN_DEFAULT);
	CHECK_EQ(f.replies, 51);
	CHECK_EQ(f.bad_replies, 0);
	CHECK_EQ(s->jobs, 0);
	CHECK_EQ(pending(s), 0);
	/* Every id answered exactly once. */
	for (uint32_t id = 100; id < 150; id++) {
		int seen = 0;

		for (int i = 0; i < f.replies && i < HELD_MAX; i++)
			seen += f.ids_seen[i] == id;
		CHECK_EQ(seen, 1);
	}
	session_conn_gone(s);
	CHECK_EQ(srv.nsessions, 0);
}

static void test_backpressure(void)
{
	struct fake f;
	struct mh_session *s = open_session(&f);
	uint64_t saved = srv.limits.max_inflight;

	/* Each READDIR reply holds the 40 entries, about 1.3 KiB; twenty
	 * of them unread exceed this limit. */
	srv.limits.max_inflight = 16u << 10;
	f.hold = true; /* the peer stops reading */
	feed_readdirs(s, 20, 65536);
	/* 20 reply buffers of 64 KiB reserved: far above the limit. */
	CHECK(s->inflight > srv.limits.max_inflight);
	CHECK(s->paused);
	CHECK_EQ(f.pauses, 1);
	uv_run(&loop, UV_RUN_DEFAULT);
	/* All answered, but the replies are still "in the socket". */
	CHECK_EQ(f.replies, 21);
	CHECK(s->paused);
	CHECK_EQ(f.resumes, 0);
	fake_release(&f);
	CHECK(!s->paused);
	CHECK_EQ(f.resumes, 1);
	CHECK_EQ(s->inflight, 0);
	session_conn_gone(s);
	CHECK_EQ(srv.nsessions, 0);
	srv.limits.max_inflight = saved;
}

static void test_teardown_midflight(void)
{
	struct fake f;
	struct mh_session *s = open_session(&f);

	feed_readdirs(s, 30, 4096);
	CHECK(s->jobs > 0 && pending(s) > 0);
	session_conn_gone(s);	    /* the guest vanished */
	CHECK_EQ(srv.nsessions, 1); /* kept until its jobs return */
	int before = f.replies;

	uv_run(&loop, UV_RUN_DEFAULT);
	CHECK_EQ(f.replies, before); /* nothing sent after the end */
	CHECK_EQ(srv.nsessions, 0);
}

static void test_byte_at_a_time(void)
{
	struct fake f;
	uint8_t b[256];
	size_t n = 0;
	struct proto_msg m = {{PROTO_VERSION, 0, 65536}, {{0}}, 3, 0};

	memset(&f, 0, sizeof(f));
	f.conn.ops = &fake_ops;
	struct mh_session *s = session_new(&srv, &f.conn);

	n += frame(b + n, PROTO_OP_HELLO, 1, &m);
	n += frame(b + n, PROTO_OP_PING, 2, NULL);
	m = (struct proto_msg){{0, 0, 64}, {{0}}, 3, 0};
	n += frame(b + n, PROTO_OP_READDIR, 3, &m);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(session_feed(s, b + i, 1), 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	CHECK_EQ(f.replies, 3);
	CHECK_EQ(f.bad_replies, 0);
	/* A bad header mid-stream: the transport is told to close. */
	struct proto_hdr h = {0xffffff, PROTO_OP_PING, 0, 4, 0};

	proto_encode_hdr(b, &h);
	CHECK_EQ(session_feed(s, b, PROTO_HDR_LEN), -1);
	session_conn_gone(s);
	CHECK_EQ(srv.nsessions, 0);
}

/* ---- a net=host stream ------------------------------------------------ */

/* Sends one request and decodes its reply into m; returns its status. */
static uint32_t sock_call(struct fake *f, uint16_t op,
			  const struct proto_msg *in, struct proto_msg *m)
{
	uint8_t b[4096];
	struct proto_hdr h;

	f->keep_last = true;
	session_feed(f->conn.sess, b, frame(b, op, 7, in));
	if (f->last == NULL ||
	    proto_decode_hdr(f->last, f->last_len, PROTO_FRAME_MAX, &h) !=
		PROTO_OK ||
	    proto_decode(&h, f->last + PROTO_HDR_LEN, m) != PROTO_OK)
		return UINT32_MAX;
	return h.status;
}

/* A loopback listener (the peer's side) on an ephemeral port. */
static int peer_listen(struct proto_addr *a)
{
	struct sockaddr_in in = {.sin_family = AF_INET};
	socklen_t len = sizeof(in);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&in, len) != 0 || listen(fd, 1) != 0 ||
	    getsockname(fd, (struct sockaddr *)&in, &len) != 0) {
		close(fd);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->family = 4;
	a->port = ntohs(in.sin_port);
	memcpy(a->addr, &in.sin_addr, 4);
	return fd;
}

static void never(uv_timer_t *t)
{
	(void)t;
}

/* The guest's stream handle, connected to the listener; the peer's fd. */
static int stream_open(struct fake *f, int lfd, const struct proto_addr *a,
		       uint32_t *h)
{
	uint8_t ab[PROTO_ADDR_MAX];
	struct proto_msg in = {{4, 2}, {{0}}, 2, 0}, m;

	if (sock_call(f, PROTO_OP_SOCK_OPEN, &in, &m) != 0)
		return -1;
	*h = (uint32_t)m.val[0];
	in = (struct proto_msg){{*h}, {{ab, proto_addr_put(ab, a)}}, 1, 1};
	if (sock_call(f, PROTO_OP_SOCK_CONNECT, &in, &m) !=
	    PROTO_WASI_EINPROGRESS)
		return -1;
	int pfd = accept(lfd, NULL, NULL);

	for (int i = 0; i < 1000 && pfd >= 0; i++)
		uv_run(&loop, UV_RUN_NOWAIT); /* on_connect, reading starts */
	if (pfd >= 0)
		fcntl(pfd, F_SETFL, O_NONBLOCK);
	return pfd;
}

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 131 + (i >> 12));
}

/* Reads up to max (<= 64 KiB) bytes at stream offset got, after a peek
 * that must see the same bytes if peek; returns how many arrived (0 on
 * AGAIN), or -1 if any was wrong. */
static long recv_check(struct fake *f, uint32_t h, uint32_t max, size_t got,
		       bool peek)
{
	struct proto_msg in = {{h, max, 1}, {{0}}, 3, 0}, m;
	uint8_t seen[65536];
	uint32_t nseen = 0;

	if (peek && sock_call(f, PROTO_OP_SOCK_RECV, &in, &m) == 0) {
		nseen = m.str[0].len;
		memcpy(seen, m.str[0].p, nseen);
	}
	in.val[2] = 0;
	uint32_t st = sock_call(f, PROTO_OP_SOCK_RECV, &in, &m);

	if (st == PROTO_WASI_EAGAIN && nseen == 0)
		return 0;
	if (st != 0 || (nseen && (m.str[0].len != nseen ||
				  memcmp(seen, m.str[0].p, nseen) != 0)))
		return -1;
	for (uint32_t i = 0; i < m.str[0].len; i++) {
		if (m.str[0].p[i] != pattern(got + i))
			return -1;
	}
	return m.str[0].len;
}

/* The peer writes up to 64 KiB more of the pattern, as the socket takes. */
static size_t peer_write(int pfd, size_t sent, size_t total)
{
	uint8_t chunk[8192];

	for (int j = 0; j < 8 && sent < total; j++) {
		size_t want =
		    total - sent < sizeof(chunk) ? total - sent : sizeof(chunk);

		for (size_t k = 0; k < want; k++)
			chunk[k] = pattern(sent + k);
		ssize_t w = write(pfd, chunk, want);

		if (w <= 0)
			break;
		sent += (size_t)w;
	}
	return sent;
}

/* Bytes arrive in order, once, through growth, compaction and peeks: the
 * peer writes 4 MiB (16 x SK_RX_CAP), faster than the guest reads in odd
 * sizes, so the buffer fills, stops reading and resumes many times. */
static void test_stream_rx(void)
{
	static const uint32_t sizes[] = {1, 4093, 65000, 7, 30000, 65536, 3};
	const size_t total = 4u << 20;
	struct fake f;
	struct proto_addr a;
	size_t sent = 0, got = 0;
	uint32_t h = 0;
	int lfd = peer_listen(&a);
	uv_timer_t alive; /* sockets do not keep the loop running: this does */

	uv_timer_init(&loop, &alive);
	uv_timer_start(&alive, never, 600000, 0);
	open_session(&f);
	int pfd = lfd < 0 ? -1 : stream_open(&f, lfd, &a, &h);

	CHECK(pfd >= 0);
	for (long i = 0; pfd >= 0 && got < total && i < 1000000; i++) {
		sent = peer_write(pfd, sent, total);
		uv_run(&loop, UV_RUN_NOWAIT);
		long n = recv_check(&f, h, sizes[i % 7], got, i % 3 == 0);

		if (n < 0)
			break;
		got += (size_t)n;
	}
	CHECK_EQ(got, total);
	if (pfd >= 0)
		close(pfd);
	if (lfd >= 0)
		close(lfd);
	session_conn_gone(f.conn.sess);
	uv_close((uv_handle_t *)&alive, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	free(f.last);
	CHECK_EQ(srv.nsessions, 0);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	alarm(300);
	if (mkdtemp(root) == NULL) {
		printf("mkdtemp failed\n0 passed, 1 failed\n");
		return 1;
	}
	for (int i = 0; i < 40; i++) {
		char p[128];

		snprintf(p, sizeof(p), "%s/file-%02d", root, i);
		th_write_file(p, "x", 1);
	}
	uv_loop_init(&loop);
	server_defaults(&srv, &loop);
	srv.limits.max_inflight = 256u << 10;
	srv.shares = calloc(1, sizeof(*srv.shares));
	srv.nshares = 1;
	srv.shares[0].host = strdup(root);
	srv.shares[0].guest = strdup("/data");
	srv.shares[0].root_fd = -1;
	if (server_open_shares(&srv) != 0) {
		printf("share failed\n0 passed, 1 failed\n");
		return 1;
	}
	th_run("at most max_jobs in the pool, the rest queued", test_job_cap);
	th_run("reading paused above max_inflight, resumed as replies leave",
	       test_backpressure);
	th_run("connection gone with jobs in flight", test_teardown_midflight);
	th_run("one byte at a time; a bad header closes", test_byte_at_a_time);
	th_run("a stream's bytes in order through peeks and compaction",
	       test_stream_rx);
	uv_loop_close(&loop);
	server_free(&srv);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return th_report();
}
