/*
 * vhost-user vsock transport (--vhost-user PATH): a built-in vhost-user
 * device backend.  We listen on PATH (0600; a stale socket is replaced
 * as for --unix); each QEMU that connects (-chardev socket,path=PATH
 * -device vhost-user-vsock-device|vhost-user-vsock-pci) is one device
 * with its own guest memory, rings and vsock connections.  Guests
 * connect to CID 2 on port 1024, or on the --vsock-port given.
 *
 * libuv handles per device: the socket's poll, one poll per kick eventfd
 * (replaced whenever QEMU sends a new one) and the work idle.  A device
 * is freed once it is dead and its last handle has closed.  QEMU going
 * away (EOF, a malformed message) only ever tears down its own device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "server.h"
#include "vhost_dev.h"

struct vhost_listener {
	uv_poll_t poll;
	int fd;
	struct mh_listener *l;
	struct vhost_dev *devs;
	uint32_t port;
	uint64_t next_cid, next_id;
};

/* --- handles and teardown */

static void dev_maybe_free(struct vhost_dev *d)
{
	if (!d->dead || d->handles)
		return;
	vhost_mem_unmap(&d->mem);
	free(d);
}

static void handle_closed(uv_handle_t *h)
{
	struct vhost_dev *d = h->data;

	d->handles--;
	dev_maybe_free(d);
}

static void sock_closed(uv_handle_t *h)
{
	struct vhost_dev *d = h->data;

	close(d->fd); /* only now: the poll no longer watches it */
	handle_closed(h);
}

static void kick_closed(uv_handle_t *h)
{
	struct kick_watch *k = (struct kick_watch *)h;
	struct vhost_dev *d = k->dev;

	close(k->fd); /* only now: the poll no longer watches it */
	free(k);
	d->handles--;
	dev_maybe_free(d);
}

static void work_cb(uv_idle_t *h);

static void kick_cb(uv_poll_t *p, int status, int events)
{
	struct kick_watch *k = (struct kick_watch *)p;
	uint64_t cnt;

	(void)events;
	/* Any count (pitfall: 2 right after SET_VRING_KICK) means "look". */
	while (read(k->fd, &cnt, sizeof(cnt)) == sizeof(cnt))
		;
	if (status < 0) { /* a broken eventfd: stop watching it */
		uv_poll_stop(p);
		return;
	}
	if (k->qi == VHOST_Q_TX)
		vsock_dev_tx(k->dev);
	else
		vhost_dev_schedule(k->dev); /* new rx buffers: fill them */
	/* No session call is on the stack here, so the work can run now
	 * rather than one loop turn later: a PING answered inside
	 * session_feed goes back to the guest in this same callback. */
	work_cb(&k->dev->work);
}

int vhost_dev_set_kick(struct vhost_dev *d, int qi, int fd)
{
	struct kick_watch *old = d->vq[qi].kick, *k;

	d->vq[qi].kick = NULL;
	if (old) {
		uv_poll_stop(&old->poll);
		uv_close((uv_handle_t *)&old->poll, kick_closed);
	}
	if (fd < 0 || d->dead) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	k = calloc(1, sizeof(*k));
	if (k == NULL || uv_poll_init(d->srv->loop, &k->poll, fd) != 0) {
		free(k);
		close(fd);
		return -ENOMEM;
	}
	k->fd = fd;
	k->dev = d;
	k->qi = qi;
	d->handles++;
	d->vq[qi].kick = k;
	uv_poll_start(&k->poll, UV_READABLE, kick_cb);
	return 0;
}

static void work_cb(uv_idle_t *h)
{
	struct vhost_dev *d = h->data;

	if (!d->work_pending)
		return;
	uv_idle_stop(h);
	d->work_pending = false;
	vsock_dev_work(d);
	if (d->stopping)
		vhost_dev_teardown(d); /* RSTs went out above if they could */
}

void vhost_dev_schedule(struct vhost_dev *d)
{
	if (d->work_pending || d->dead)
		return;
	d->work_pending = true;
	uv_idle_start(&d->work, work_cb);
}

static void unlink_dev(struct vhost_dev *d)
{
	struct vhost_dev **pp;

	if (d->lst == NULL)
		return;
	for (pp = &d->lst->devs; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	d->lst = NULL;
}

void vhost_dev_teardown(struct vhost_dev *d)
{
	if (d->dead)
		return;
	mh_log(d->srv, "vhost %llu: gone", (unsigned long long)d->id);
	vsock_dev_reset(d, false);
	d->dead = true;
	unlink_dev(d);
	for (int qi = 0; qi < VHOST_NQUEUES; qi++) {
		vhost_dev_set_kick(d, qi, -1);
		if (d->vq[qi].call_fd >= 0)
			close(d->vq[qi].call_fd);
		d->vq[qi].call_fd = -1;
	}
	for (unsigned i = 0; i < d->nfds; i++)
		close(d->fds[i]);
	d->nfds = 0;
	uv_idle_stop(&d->work);
	uv_close((uv_handle_t *)&d->work, handle_closed);
	uv_poll_stop(&d->sock_poll);
	uv_close((uv_handle_t *)&d->sock_poll, sock_closed);
}

/* --- the vhost-user socket */

static void take_fds(struct vhost_dev *d, struct msghdr *mh)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm;
	     cm = CMSG_NXTHDR(mh, cm)) {
		size_t n;
		int *fds = (int *)CMSG_DATA(cm);

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			if (d->nfds < VHOST_USER_MAX_FDS)
				d->fds[d->nfds++] = fds[i];
			else {
				close(fds[i]);
				d->fd_overflow = true;
			}
		}
	}
}

/* Bytes the message being read still needs. */
static size_t want(const struct vhost_dev *d)
{
	if (d->have < VHOST_USER_HDR_LEN)
		return VHOST_USER_HDR_LEN - d->have;
	return VHOST_USER_HDR_LEN + vhost_msg_size(d->in) - d->have;
}

/* A whole message is in: decode and act.  -1: drop the connection. */
static int dispatch(struct vhost_dev *d)
{
	struct vhost_msg m = {0};
	int err = d->fd_overflow ? -EPROTO
				 : vhost_msg_parse(d->in, d->have, d->nfds, &m);
	int rc = 0;

	if (err == -ENOSYS) {
		mh_log(d->srv, "vhost %llu: request %u ignored",
		       (unsigned long long)d->id, (unsigned)m.req);
	} else if (err) {
		mh_log(d->srv, "vhost %llu: malformed message (request %u)",
		       (unsigned long long)d->id, (unsigned)m.req);
		rc = -1;
	} else {
		rc = vhost_user_handle(d, &m, d->fds, d->nfds);
	}
	for (unsigned i = 0; i < d->nfds; i++) /* what the handler left */
		if (d->fds[i] >= 0)
			close(d->fds[i]);
	d->nfds = 0;
	d->fd_overflow = false;
	d->have = 0;
	return rc;
}

static void sock_cb(uv_poll_t *p, int status, int events)
{
	struct vhost_dev *d = p->data;

	(void)events;
	while (!d->dead) {
		union {
			char buf[CMSG_SPACE(sizeof(int) * VHOST_USER_MAX_FDS)];
			struct cmsghdr align;
		} cbuf;
		struct iovec iov = {d->in + d->have, want(d)};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf.buf,
				    .msg_controllen = sizeof(cbuf.buf)};
		ssize_t n =
		    status < 0 ? -1 : recvmsg(d->fd, &mh, MSG_CMSG_CLOEXEC);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) { /* QEMU went away */
			vhost_dev_teardown(d);
			return;
		}
		take_fds(d, &mh);
		if (mh.msg_flags & MSG_CTRUNC)
			d->fd_overflow = true; /* fds were lost: drop it */
		d->have += (size_t)n;
		if (d->have == VHOST_USER_HDR_LEN &&
		    vhost_msg_size(d->in) > VHOST_USER_PAYLOAD_MAX) {
			mh_log(d->srv, "vhost %llu: message too large",
			       (unsigned long long)d->id);
			vhost_dev_teardown(d);
			return;
		}
		if (want(d) == 0 && dispatch(d) < 0) {
			vhost_dev_teardown(d);
			return;
		}
	}
}

static void dev_new(struct vhost_listener *u, int fd)
{
	struct mh_server *srv = u->l->srv;
	struct vhost_dev *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		close(fd);
		return;
	}
	d->srv = srv;
	d->lst = u;
	d->id = ++u->next_id;
	d->port = u->port;
	/* Every device is its own channel, but distinct CIDs read better
	 * in logs (3 is the first CID a guest may have). */
	d->guest_cid = u->next_cid++;
	d->fd = fd;
	for (int qi = 0; qi < VHOST_NQUEUES; qi++)
		d->vq[qi].call_fd = -1;
	if (uv_poll_init(srv->loop, &d->sock_poll, fd) != 0) {
		close(fd);
		free(d);
		return;
	}
	uv_idle_init(srv->loop, &d->work);
	d->sock_poll.data = d;
	d->work.data = d;
	d->handles = 2;
	d->next = u->devs;
	u->devs = d;
	mh_log(srv, "vhost %llu: QEMU connected (guest cid %llu)",
	       (unsigned long long)d->id, (unsigned long long)d->guest_cid);
	uv_poll_start(&d->sock_poll, UV_READABLE, sock_cb);
}

/* --- the listener */

static void accept_cb(uv_poll_t *p, int status, int events)
{
	struct vhost_listener *u = p->data;

	(void)events;
	if (status < 0)
		return;
	for (;;) {
		int fd =
		    accept4(u->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (u->l->srv->stopping) {
			close(fd);
			continue;
		}
		dev_new(u, fd);
	}
}

/* The port guests connect to: --vsock-port's if given, else 1024. */
static uint32_t vsock_port(const struct mh_server *srv)
{
	for (uint32_t i = 0; i < srv->nlisteners; i++) {
		const struct mh_listener *l = &srv->listeners[i];

		if (l->ops == &mh_transport_vsock)
			return (uint32_t)strtoul(l->arg, NULL, 10);
	}
	return VSOCK_PORT_DEFAULT;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa;
	mode_t old;
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	err = mh_unix_path_claim(path); /* a stale socket goes, as for --unix */
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old = umask(0077);
	err = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (err == 0)
		err = listen(fd, 16);
	if (err) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int vhost_start(struct mh_listener *l)
{
	struct vhost_listener *u = calloc(1, sizeof(*u));
	int fd;

	if (u == NULL)
		return -ENOMEM;
	fd = listen_on(l->arg);
	if (fd < 0) {
		free(u);
		return fd;
	}
	u->fd = fd;
	u->l = l;
	u->port = vsock_port(l->srv);
	u->next_cid = 3;
	if (uv_poll_init(l->srv->loop, &u->poll, fd) != 0) {
		close(fd);
		free(u);
		return -ENOMEM;
	}
	u->poll.data = u;
	l->priv = u;
	mh_log(l->srv, "vhost-user: guests connect to cid 2 port %u", u->port);
	return uv_poll_start(&u->poll, UV_READABLE, accept_cb);
}

static void listener_closed(uv_handle_t *h)
{
	struct vhost_listener *u = h->data;

	close(u->fd);
	free(u);
}

/* Stop accepting.  Devices stay until their QEMU goes, except when the
 * daemon itself stops: then each resets its guests' connections (RST,
 * so their calls fail with EIO) and lets go of QEMU. */
static void vhost_stop(struct mh_listener *l)
{
	struct vhost_listener *u = l->priv;

	if (u == NULL)
		return;
	l->priv = NULL;
	unlink(l->arg);
	for (struct vhost_dev *d = u->devs; d; d = d->next) {
		d->lst = NULL;
		if (l->srv->stopping) {
			d->stopping = true;
			vhost_dev_schedule(d);
		}
	}
	u->devs = NULL;
	uv_poll_stop(&u->poll);
	uv_close((uv_handle_t *)&u->poll, listener_closed);
}

const struct mh_transport_ops mh_transport_vhost = {
    .name = "vhost-user",
    .start = vhost_start,
    .stop = vhost_stop,
};
