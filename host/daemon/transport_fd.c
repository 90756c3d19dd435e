/*
 * Inherited connection (--conn-fd N): serve one already-connected stream
 * socket the daemon was started with, e.g. one end of a socketpair(2)
 * whose other end the program's runtime holds.  No socket path, no race
 * at start-up, and the daemon ends with that connection: when it closes,
 * the server stops as on SIGTERM.  Through uv_pipe_open it is the same
 * stream connection as an accepted AF_UNIX or AF_VSOCK socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"
#include "stream_conn.h"
#include "transport.h"

static int fd_start(struct mh_listener *l)
{
	char *end;
	long fd;
	int type = 0;
	socklen_t tl = sizeof(type);

	errno = 0;
	fd = strtol(l->arg, &end, 10);
	if (errno || end == l->arg || *end || fd < 0 || fd > 1 << 20)
		return -EINVAL;
	/* Only a stream socket carries frames as a byte stream. */
	if (getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0)
		return -errno;
	if (type != SOCK_STREAM)
		return -ENOTSOCK;
	fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	uv_pipe_t *p = stream_conn_new(l->srv);

	if (p == NULL)
		return -ENOMEM;
	int err = uv_pipe_open(p, (int)fd);

	if (err) {
		stream_conn_discard(p);
		return err;
	}
	stream_conn_stop_server_on_close(p);
	stream_conn_start(p);
	return 0;
}

static void fd_stop(struct mh_listener *l)
{
	/* Nothing listens; the connection is closed with the sessions. */
	(void)l;
}

const struct mh_transport_ops mh_transport_fd = {
    .name = "fd",
    .start = fd_start,
    .stop = fd_stop,
};
