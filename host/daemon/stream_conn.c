/*
 * Connections over libuv streams.
 *
 * Each connection reads into its own fixed buffer (libuv asks for it in
 * alloc_cb and hands it back in read_cb before asking again) and feeds the
 * session.  Frames to send are written as given; the buffer belongs to the
 * write request until its callback, which also runs (with ECANCELED) for
 * writes still queued when the handle closes, before the close callback.
 */
#include "stream_conn.h"

#include <stdlib.h>

#include "fd_sync.h"
#include "server.h"
#include "session.h"
#include "transport.h"

#define STREAM_BUF 65536

struct stream_conn {
	struct mh_conn conn; /* first: container-of is a cast */
	uv_pipe_t pipe;
	struct mh_server *srv;
	bool reading;
	bool closing;
	bool stop_server; /* the daemon's only reason to run (--conn-fd) */
	uint8_t buf[STREAM_BUF];
};

struct stream_write {
	uv_write_t req;
	struct stream_conn *c;
	uint8_t *buf;
	size_t len;
};

static struct stream_conn *sc_of(uv_handle_t *h)
{
	return h->data;
}

static void sc_close_cb(uv_handle_t *h)
{
	struct stream_conn *c = sc_of(h);
	struct mh_server *srv = c->srv;
	bool stop = c->stop_server;

	if (c->conn.sess)
		session_conn_gone(c->conn.sess);
	free(c);
	if (stop)
		server_stop(srv);
}

static void sc_close(struct mh_conn *conn)
{
	struct stream_conn *c = (struct stream_conn *)conn;

	if (c->closing)
		return;
	c->closing = true;
	mh_fd_close_begin(); /* uv_close closes the fd before it returns */
	uv_close((uv_handle_t *)&c->pipe, sc_close_cb);
	mh_fd_close_end();
}

static void sc_alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct stream_conn *c = sc_of(h);

	(void)hint;
	buf->base = (char *)c->buf;
	buf->len = sizeof(c->buf);
}

static void sc_read_cb(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
	struct stream_conn *c = sc_of((uv_handle_t *)st);

	(void)buf;
	if (n == 0 || c->closing)
		return;
	if (n < 0) { /* EOF or error: this connection is over */
		sc_close(&c->conn);
		return;
	}
	if (session_feed(c->conn.sess, c->buf, (size_t)n) != 0)
		sc_close(&c->conn);
}

static void sc_write_cb(uv_write_t *req, int status)
{
	struct stream_write *w = (struct stream_write *)req;

	(void)status; /* a failed write ends in a read error and a close */
	session_sent(w->c->conn.sess, w->len);
	free(w->buf);
	free(w);
}

static void sc_send(struct mh_conn *conn, uint8_t *buf, size_t len)
{
	struct stream_conn *c = (struct stream_conn *)conn;
	struct stream_write *w = malloc(sizeof(*w));
	uv_buf_t b = uv_buf_init((char *)buf, (unsigned)len);

	if (w == NULL)
		goto fail;
	w->c = c;
	w->buf = buf;
	w->len = len;
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &b, 1, sc_write_cb) == 0)
		return;
	free(w);
fail:
	session_sent(conn->sess, len);
	free(buf);
	sc_close(conn);
}

static void sc_pause(struct mh_conn *conn)
{
	struct stream_conn *c = (struct stream_conn *)conn;

	if (c->reading && !c->closing)
		uv_read_stop((uv_stream_t *)&c->pipe);
	c->reading = false;
}

static void sc_resume(struct mh_conn *conn)
{
	struct stream_conn *c = (struct stream_conn *)conn;

	if (c->reading || c->closing)
		return;
	if (uv_read_start((uv_stream_t *)&c->pipe, sc_alloc_cb, sc_read_cb)) {
		sc_close(conn);
		return;
	}
	c->reading = true;
}

static const struct mh_conn_ops stream_conn_ops = {
    .send = sc_send,
    .pause = sc_pause,
    .resume = sc_resume,
    .close = sc_close,
};

uv_pipe_t *stream_conn_new(struct mh_server *srv)
{
	struct stream_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->conn.ops = &stream_conn_ops;
	c->srv = srv;
	if (uv_pipe_init(srv->loop, &c->pipe, 0) != 0) {
		free(c);
		return NULL;
	}
	c->pipe.data = c;
	return &c->pipe;
}

void stream_conn_discard(uv_pipe_t *pipe)
{
	struct stream_conn *c = pipe->data;

	sc_close(&c->conn);
}

void stream_conn_start(uv_pipe_t *pipe)
{
	struct stream_conn *c = pipe->data;

	if (c->srv->stopping || session_new(c->srv, &c->conn) == NULL) {
		sc_close(&c->conn);
		return;
	}
	sc_resume(&c->conn);
}

void stream_conn_stop_server_on_close(uv_pipe_t *pipe)
{
	struct stream_conn *c = pipe->data;

	c->stop_server = true;
}
