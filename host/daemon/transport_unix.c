/*
 * AF_UNIX transport (--unix PATH): used by the Linux platform
 * (`mewz run --native`) and by the tests.
 *
 * A socket file left at PATH by a daemon that died (nobody answers on it)
 * is removed first; a live one, or any other kind of file, is an error.  The
 * socket is made 0600: whoever can connect can use every share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd_sync.h"
#include "server.h"
#include "stream_conn.h"
#include "transport.h"

struct unix_listener {
	uv_pipe_t pipe;
	struct mh_listener *l;
};

static void unix_on_conn(uv_stream_t *server, int status)
{
	struct unix_listener *u = server->data;
	uv_pipe_t *p;

	if (status < 0)
		return;
	p = stream_conn_new(u->l->srv);
	if (p == NULL)
		return;
	if (uv_accept(server, (uv_stream_t *)p) != 0) {
		stream_conn_discard(p);
		return;
	}
	mh_log(u->l->srv, "unix: connection on %s", u->l->arg);
	stream_conn_start(p);
}

/* -EADDRINUSE if a live daemon answers on path, 0 if the socket is stale. */
static int unix_in_use(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return r == 0 ? -EADDRINUSE : 0;
}

int mh_unix_path_claim(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		int busy = S_ISSOCK(st.st_mode) ? unix_in_use(path) : -EEXIST;

		if (busy)
			return busy;
		unlink(path);
	}
	return 0;
}

static int unix_start(struct mh_listener *l)
{
	struct unix_listener *u = calloc(1, sizeof(*u));
	int err;

	if (u == NULL)
		return -ENOMEM;
	err = mh_unix_path_claim(l->arg);
	if (err) {
		free(u);
		return err;
	}
	u->l = l;
	err = uv_pipe_init(l->srv->loop, &u->pipe, 0);
	if (err) {
		free(u);
		return err;
	}
	u->pipe.data = u;
	l->priv = u;
	mode_t old = umask(0077);

	err = uv_pipe_bind(&u->pipe, l->arg);
	umask(old);
	if (!err)
		err = uv_listen((uv_stream_t *)&u->pipe, 128, unix_on_conn);
	if (err) {
		l->ops->stop(l);
		return err;
	}
	return 0;
}

static void unix_free_cb(uv_handle_t *h)
{
	free(h->data);
}

static void unix_stop(struct mh_listener *l)
{
	struct unix_listener *u = l->priv;

	if (u == NULL)
		return;
	l->priv = NULL;
	unlink(l->arg);
	mh_fd_close_begin(); /* uv_close closes the fd before it returns */
	uv_close((uv_handle_t *)&u->pipe, unix_free_cb);
	mh_fd_close_end();
}

const struct mh_transport_ops mh_transport_unix = {
    .name = "unix",
    .start = unix_start,
    .stop = unix_stop,
};
