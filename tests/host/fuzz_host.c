/*
 * libFuzzer target: the daemon's request path, in process.  Each input is
 * a byte stream from one guest: it goes through a real session (framing,
 * dispatch, handle table, limits) and the real file operations on a
 * scratch share, with the thread pool, until every job has answered.
 * A valid HELLO is fed first so that inputs reach the file operations.
 * Replies are checked to be well-formed frames.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"
#include "server.h"
#include "session.h"
#include "sock.h"
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mh_server srv;
static uv_loop_t loop;
static char root[] = "/tmp/mewz-fuzz-host.XXXXXX";

struct fake_conn {
	struct mh_conn conn;
	bool closed;
	bool gone;
};

static void fake_send(struct mh_conn *c, uint8_t *buf, size_t len)
{
	struct proto_hdr h;
	struct proto_msg m;

	/* Every reply is a frame the guest's decoder accepts. */
	if (proto_decode_hdr(buf, len, PROTO_FRAME_MAX, &h) != PROTO_OK ||
	    h.payload_len != len - PROTO_HDR_LEN ||
	    !(h.flags & PROTO_F_RESPONSE) ||
	    proto_decode(&h, buf + PROTO_HDR_LEN, &m) != PROTO_OK)
		abort();
	free(buf);
	session_sent(c->sess, len);
}

static void fake_pause(struct mh_conn *c)
{
	(void)c;
}

static void fake_close(struct mh_conn *c)
{
	((struct fake_conn *)c)->closed = true;
}

static const struct mh_conn_ops fake_ops = {
    .send = fake_send,
    .pause = fake_pause,
    .resume = fake_pause,
    .close = fake_close,
};

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* libFuzzer leaves through exit(): take the scratch share with us. */
static void cleanup(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	static char share[64];

	if (mkdtemp(root) == NULL)
		abort();
	atexit(cleanup);
	/* Socket ops in fuzz input must never reach other services here. */
	sock_policy_lockdown();
	snprintf(share, sizeof(share), "%s", root);
	uv_loop_init(&loop);
	server_defaults(&srv, &loop);
	srv.limits.max_inflight = 4u << 20;
	srv.shares = calloc(1, sizeof(*srv.shares));
	srv.nshares = 1;
	srv.shares[0].host = strdup(share);
	srv.shares[0].guest = strdup("/data");
	srv.shares[0].root_fd = -1;
	if (server_open_shares(&srv))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct fake_conn fc = {{&fake_ops, NULL}, false, false};
	uint8_t hello[64];
	struct proto_msg m = {{PROTO_VERSION, 0, 65536}, {{0}}, 3, 0};
	struct proto_hdr h = {0, PROTO_OP_HELLO, 0, 1, 0};

	if (!ready) {
		setup();
		ready = true;
	}
	struct mh_session *s = session_new(&srv, &fc.conn);
	int64_t n = proto_encode(hello, sizeof(hello), &h, &m);

	session_feed(s, hello, (size_t)n);
	/* Feed in two pieces so that split frames are exercised too. */
	size_t cut = size ? data[0] % (size + 1) : 0;

	if (session_feed(s, data, cut) == 0 && !fc.closed)
		session_feed(s, data + cut, size - cut);
	uv_run(&loop, UV_RUN_DEFAULT); /* until every job has answered */
	session_conn_gone(s);
	uv_run(&loop, UV_RUN_DEFAULT);
	if (srv.nsessions != 0)
		abort(); /* the session leaked */
	return 0;
}
