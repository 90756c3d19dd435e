/*
 * AF_VSOCK transport (--vsock-port N): for hosts whose kernel provides
 * vhost_vsock, where QEMU runs `-device vhost-vsock-pci,guest-cid=C` and
 * guests connect to CID 2 (the host), port N.
 *
 * libuv has no vsock handle, so the listening socket is watched with
 * uv_poll and each accepted socket is wrapped in a uv_pipe_t, which works
 * for any connected stream socket; from there on it is the same stream
 * connection as AF_UNIX.  Only connections from guests are accepted:
 * VMADDR_CID_ANY binds all local CIDs, which on a host means the guests'
 * side.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#include "server.h"
#include "stream_conn.h"
#include "transport.h"

struct vsock_listener {
	uv_poll_t poll;
	int fd;
	struct mh_listener *l;
};

static void vsock_accept_one(struct vsock_listener *v, int fd)
{
	uv_pipe_t *p = stream_conn_new(v->l->srv);

	if (p == NULL) {
		close(fd);
		return;
	}
	if (uv_pipe_open(p, fd) != 0) {
		close(fd);
		stream_conn_discard(p);
		return;
	}
	mh_log(v->l->srv, "vsock: connection on port %s", v->l->arg);
	stream_conn_start(p);
}

static void vsock_on_readable(uv_poll_t *h, int status, int events)
{
	struct vsock_listener *v = h->data;

	if (status < 0 || !(events & UV_READABLE))
		return;
	/* Bounded, like libuv's own accept loop, so one listener cannot
	 * starve the rest of the loop. */
	for (int i = 0; i < 32; i++) {
		int fd =
		    accept4(v->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		vsock_accept_one(v, fd);
	}
}

static int vsock_parse_port(const char *s, unsigned *port)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || n == 0 || n >= VMADDR_PORT_ANY)
		return -EINVAL;
	*port = (unsigned)n;
	return 0;
}

static int vsock_start(struct mh_listener *l)
{
	struct sockaddr_vm sa;
	struct vsock_listener *v;
	unsigned port;
	int err = vsock_parse_port(l->arg, &port);

	if (err)
		return err;
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	v->l = l;
	v->fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (v->fd < 0) {
		err = -errno;
		free(v);
		return err;
	}
	memset(&sa, 0, sizeof(sa));
	sa.svm_family = AF_VSOCK;
	sa.svm_cid = VMADDR_CID_ANY;
	sa.svm_port = port;
	if (bind(v->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(v->fd, 128) != 0) {
		err = -errno;
		close(v->fd);
		free(v);
		return err;
	}
	err = uv_poll_init(l->srv->loop, &v->poll, v->fd);
	if (err) {
		close(v->fd);
		free(v);
		return err;
	}
	v->poll.data = v;
	l->priv = v;
	err = uv_poll_start(&v->poll, UV_READABLE, vsock_on_readable);
	if (err)
		l->ops->stop(l);
	return err;
}

static void vsock_free_cb(uv_handle_t *h)
{
	struct vsock_listener *v = h->data;

	close(v->fd);
	free(v);
}

static void vsock_stop(struct mh_listener *l)
{
	struct vsock_listener *v = l->priv;

	if (v == NULL)
		return;
	l->priv = NULL;
	/* The fd itself is closed (intercepted) in vsock_free_cb. */
	uv_close((uv_handle_t *)&v->poll, vsock_free_cb);
}

const struct mh_transport_ops mh_transport_vsock = {
    .name = "vsock",
    .start = vsock_start,
    .stop = vsock_stop,
};
