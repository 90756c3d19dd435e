/*
 * sock.c - socket fds over whichever backend the platform chose
 * (sock_backend.h), blocking built on the backend's poll, and the imports
 * WASI preview 1 and WasmEdge share: sock_accept (WasmEdge V1, fd and
 * *fd), sock_accept_v2 (WASI's, with fdflags), sock_recv, sock_send,
 * sock_shutdown and their "_v2" names.  Which name a program's import
 * binds to is abi.h's rule (MEWZ_WASMEDGE_V1).  The rest of WasmEdge's
 * extension: sock_we.c, sock_opt.c, sock_gai.c; layouts: sock_addr.c.
 *
 * Backends never block; this file makes blocking fds block: an op that
 * answers -EAGAIN waits in backend->poll (the CPU halts) and retries,
 * until SO_RCVTIMEO / SO_SNDTIMEO if set (then EAGAIN, as on Linux),
 * unless the fd has NONBLOCK (fd_fdstat_set_flags), which passes EAGAIN
 * to the program.  A non-blocking connect answers EINPROGRESS.
 */
#include <errno.h>
#include <stdlib.h>

#include <mewz/plat.h>

#include "hostcall.h"
#include "sock.h"

static const struct sock_backend *backend;

void sock_backend_set(const struct sock_backend *b)
{
	backend = b;
}

/* Without a choice by the platform, mewz-host serves sockets once the
 * hostcall client is up (net=host is the default mode). */
const struct sock_backend *sock_backend_get(void)
{
	/* Kept once chosen: a connection that breaks later makes every
	 * call EIO through the backend, never a NULL backend. */
	if (!backend && hostcall_up())
		backend = &sock_host_backend;
	return backend;
}

/* ---- socket fds -----------------------------------------------------------
 */

#define SOCK_RIGHTS                                                            \
	(WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE |                            \
	 WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_POLL_FD_READWRITE |       \
	 WASI_RIGHT_SOCK_SHUTDOWN | WASI_RIGHT_SOCK_ACCEPT |                   \
	 WASI_RIGHT_FD_FILESTAT_GET)

int sock_is(const struct wasi_fd *f)
{
	return f->kind == WASI_FD_HOST_SOCKET || f->kind == WASI_FD_NET_SOCKET;
}

struct wasi_fd *sock_fd(uint32_t fd, uint64_t rights, int *err)
{
	struct wasi_fd *f = fdt_get(fd, 0, err);

	if (!f)
		return NULL;
	if (!sock_is(f)) {
		*err = -ENOTSOCK;
		return NULL;
	}
	if ((f->rights_base & rights) != rights) {
		*err = -MEWZ_ENOTCAPABLE;
		return NULL;
	}
	return f;
}

struct wasi_fd *sock_arg(int32_t fd, uint64_t rights, int32_t *werr)
{
	int err;
	struct wasi_fd *f;

	if (!sock_backend_get()) {
		/* No socket exists without a backend: tell fds apart. */
		f = fdt_get((uint32_t)fd, 0, &err);
		*werr = wasi_errno(f ? -ENOTSOCK : err);
		return NULL;
	}
	f = sock_fd((uint32_t)fd, rights, &err);
	if (!f)
		*werr = wasi_errno(err);
	return f;
}

static int nonblock(const struct wasi_fd *f)
{
	return (f->flags & WASI_FDFLAG_NONBLOCK) != 0;
}

/* The absolute deadline of a wait bounded by timeout_ns (0: none). */
static uint64_t deadline_of(uint64_t timeout_ns)
{
	uint64_t now;

	if (!timeout_ns)
		return UINT64_MAX;
	now = mewz_plat_monotonic_ns();
	return timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
}

/* Wait until sk has one of events (or an error/hangup): 0, -EAGAIN when
 * the deadline passed first, or a backend error. */
static int wait_one(void *sk, uint32_t events, uint64_t deadline)
{
	struct sock_wait w = {.sk = sk, .events = events};
	int rc = sock_backend_get()->poll(&w, 1, deadline);

	if (rc < 0)
		return rc;
	return rc == 0 ? -EAGAIN : 0;
}

/* One receive, blocking as the fd says. */
static long recv_once(struct wasi_fd *f, const struct wasi_iov *iov, size_t n,
		      uint32_t flags, struct sock_addr *from, uint32_t *oflags)
{
	const struct sock_backend *b = sock_backend_get();
	uint64_t deadline = deadline_of(sock_file(f)->rcvtimeo_ns);

	for (;;) {
		long rc = b->recv(sock_sk(f), iov, n, flags, from, oflags);

		if (rc != -EAGAIN || nonblock(f))
			return rc;
		rc = wait_one(sock_sk(f), SOCK_EV_READ, deadline);
		if (rc < 0)
			return rc;
	}
}

/* Drop the first k bytes of iov[0..*n) in place. */
static struct wasi_iov *iov_advance(struct wasi_iov *iov, size_t *n, size_t k)
{
	while (*n && k >= iov->len) {
		k -= iov->len;
		iov++;
		(*n)--;
	}
	if (*n) {
		iov->base = (uint8_t *)iov->base + k;
		iov->len -= k;
	}
	return iov;
}

long sock_recv_wait(struct wasi_fd *f, struct wasi_iov *iov, size_t n,
		    uint32_t riflags, struct sock_addr *from, uint32_t *oflags)
{
	uint32_t flags = riflags & SOCK_RECV_PEEK;
	size_t want = 0;
	long got = 0, rc;

	/* MSG_WAITALL: a stream receive goes on until the buffers are full,
	 * the peer ends or an error comes (then the bytes so far). */
	if (!(riflags & SOCK_RECV_WAITALL) || flags ||
	    f->filetype != WASI_FILETYPE_SOCKET_STREAM)
		return recv_once(f, iov, n, flags, from, oflags);
	want = wasi_iov_total(iov, n);
	do {
		rc = recv_once(f, iov, n, 0, got ? NULL : from, oflags);
		if (rc <= 0)
			return got ? got : rc;
		got += rc;
		iov = iov_advance(iov, &n, (size_t)rc);
	} while ((size_t)got < want);
	return got;
}

long sock_send_wait(struct wasi_fd *f, const struct wasi_iov *iov, size_t n,
		    const struct sock_addr *to)
{
	const struct sock_backend *b = sock_backend_get();
	uint64_t deadline = deadline_of(sock_file(f)->sndtimeo_ns);

	for (;;) {
		long rc = b->send(sock_sk(f), iov, n, to);

		if (rc != -EAGAIN || nonblock(f))
			return rc;
		rc = wait_one(sock_sk(f), SOCK_EV_WRITE, deadline);
		if (rc < 0)
			return rc;
	}
}

int sock_connect_wait(struct wasi_fd *f, const struct sock_addr *a)
{
	const struct sock_backend *b = sock_backend_get();
	int32_t e = 0;
	int rc = b->connect(sock_sk(f), a);

	if (rc != -EINPROGRESS || nonblock(f))
		return rc;
	/* A blocking connect waits for the end and reports how it went;
	 * past SO_SNDTIMEO it stays under way (EINPROGRESS, as on Linux). */
	rc = wait_one(sock_sk(f), SOCK_EV_WRITE,
		      deadline_of(sock_file(f)->sndtimeo_ns));
	if (rc < 0)
		return rc == -EAGAIN ? -EINPROGRESS : rc;
	rc = b->getsockopt(sock_sk(f), SOCK_OPT_ERROR, &e);
	return rc < 0 ? rc : -e;
}

static long sock_readv(struct wasi_fd *f, const struct wasi_iov *iov, size_t n)
{
	uint32_t of;

	return recv_once(f, iov, n, 0, NULL, &of);
}

static long sock_writev(struct wasi_fd *f, const struct wasi_iov *iov, size_t n)
{
	return sock_send_wait(f, iov, n, NULL);
}

static int sock_set_flags(struct wasi_fd *f, uint16_t flags)
{
	if (flags & ~WASI_FDFLAG_NONBLOCK)
		return -EINVAL;
	f->flags = flags;
	return 0;
}

static int sock_filestat(struct wasi_fd *f, struct wasi_filestat *st)
{
	memset(st, 0, sizeof(*st));
	st->filetype = f->filetype;
	return 0;
}

static int sock_readiness(struct wasi_fd *f, uint8_t type, uint64_t *nbytes)
{
	struct sock_wait w = {.sk = sock_sk(f),
			      .events = type == WASI_EVENTTYPE_FD_READ
					    ? SOCK_EV_READ
					    : SOCK_EV_WRITE};
	int rc = sock_backend_get()->poll(&w, 1, 0);

	if (rc < 0)
		return rc;
	*nbytes = w.nbytes;
	return w.revents != 0;
}

static int sock_close(struct wasi_fd *f)
{
	struct sock_file *sf = sock_file(f);
	int rc = sock_backend_get()->close(sf->sk);

	free(sf);
	return rc;
}

static const struct wasi_fd_ops sock_ops = {
    .readv = sock_readv,
    .writev = sock_writev,
    .filestat_get = sock_filestat,
    .set_flags = sock_set_flags,
    .readiness = sock_readiness,
    .close = sock_close,
};

int sock_install(void *sk, uint8_t type, uint8_t family, uint16_t flags)
{
	const struct sock_backend *b = sock_backend_get();
	struct sock_file *sf = calloc(1, sizeof(*sf));
	struct wasi_fd t = {
	    .kind = b == &sock_host_backend ? WASI_FD_HOST_SOCKET
					    : WASI_FD_NET_SOCKET,
	    .filetype = type == SOCK_TYPE_DGRAM ? WASI_FILETYPE_SOCKET_DGRAM
						: WASI_FILETYPE_SOCKET_STREAM,
	    .flags = flags,
	    .rights_base = SOCK_RIGHTS,
	    .rights_inheriting = SOCK_RIGHTS,
	    .ops = &sock_ops,
	    .handle = family, /* sockets keep their family here */
	    .priv = sf,
	};
	int fd;

	if (!sf) {
		b->close(sk);
		return -ENOMEM;
	}
	sf->sk = sk;
	fd = fdt_install(&t);
	if (fd < 0) {
		b->close(sk);
		free(sf);
	}
	return fd;
}

long sock_iovs_load(uint32_t iovs, uint32_t n, struct wasi_iov *out)
{
	const uint8_t *v;

	if (n > SOCK_IOV_LIMIT)
		return -EINVAL;
	v = wasi_mem(iovs, (uint64_t)n * 8);
	if (!v)
		return -EFAULT;
	if (n > SOCK_IOV_MAX)
		n = SOCK_IOV_MAX; /* a short transfer, as writev may do */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = wasi_get_u32(v, i * 8),
			 len = wasi_get_u32(v, i * 8 + 4);

		out[i].base = wasi_mem(p, len);
		out[i].len = len;
		if (!out[i].base)
			return -EFAULT;
	}
	return n;
}

/* ---- accept ---------------------------------------------------------------
 */

/* fdflags WasmEdge's sock_accept_v2 takes; only NONBLOCK means anything
 * for a socket, the others are accepted and dropped, as WasmEdge does. */
#define ACCEPT_FDFLAGS 0x1fu

int32_t sock_accept_into(int32_t fd, uint16_t fdflags, int32_t fdp)
{
	int32_t werr;
	struct wasi_fd *f;
	void *nsk;
	int rc;

	if (!wasi_mem((uint32_t)fdp, 4))
		return WASI_EFAULT;
	if (fdflags & ~ACCEPT_FDFLAGS)
		return WASI_EINVAL;
	f = sock_arg(fd, WASI_RIGHT_SOCK_ACCEPT, &werr);
	if (!f)
		return werr;
	uint64_t deadline = deadline_of(sock_file(f)->rcvtimeo_ns);

	for (;;) {
		rc = sock_backend_get()->accept(sock_sk(f), &nsk);
		if (rc != -EAGAIN || nonblock(f))
			break;
		rc = wait_one(sock_sk(f), SOCK_EV_READ, deadline);
		if (rc < 0)
			break;
	}
	if (rc < 0)
		return wasi_errno(rc);
	rc = sock_install(nsk, SOCK_TYPE_STREAM, (uint8_t)f->handle,
			  fdflags & WASI_FDFLAG_NONBLOCK);
	if (rc < 0)
		return wasi_errno(rc);
	return wasi_errno(wasi_store_u32((uint32_t)fdp, (uint32_t)rc));
}

/* WasmEdge V1: (fd, *fd). */
int32_t wasi_sock_accept(int32_t fd, int32_t fdp) WASI_IMPORT(sock_accept);
int32_t wasi_sock_accept(int32_t fd, int32_t fdp)
{
	return sock_accept_into(fd, 0, fdp);
}

/* WASI preview 1's sock_accept and WasmEdge V2: (fd, fdflags, *fd). */
int32_t wasi_sock_accept_v2(int32_t fd, int32_t flags, int32_t fdp)
    WASI_IMPORT(sock_accept_v2);
int32_t wasi_sock_accept_v2(int32_t fd, int32_t flags, int32_t fdp)
{
	if ((uint32_t)flags > 0xffffu)
		return WASI_EINVAL;
	return sock_accept_into(fd, (uint16_t)flags, fdp);
}

/* ---- recv, send, shutdown (V1 and V2 are the same) ------------------------
 */

int32_t sock_recv_call(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t riflags, int32_t lenp, int32_t flagsp,
		       struct sock_addr *from, struct wasi_fd **fp)
{
	int32_t werr;
	struct wasi_fd *f;
	struct wasi_iov iov[SOCK_IOV_MAX];
	uint32_t of = 0;
	long n, rc;

	if ((uint32_t)riflags & ~(SOCK_RECV_PEEK | SOCK_RECV_WAITALL))
		return WASI_EINVAL;
	if ((uint32_t)iovs_len > SOCK_IOV_LIMIT)
		return WASI_EINVAL;
	/* The iovec array itself: sock_iovs_load's check. */
	if (!wasi_mem((uint32_t)lenp, 4) || !wasi_mem((uint32_t)flagsp, 2))
		return WASI_EFAULT;
	n = sock_iovs_load((uint32_t)iovs, (uint32_t)iovs_len, iov);
	if (n < 0)
		return wasi_errno((int)n);
	f = sock_arg(fd, WASI_RIGHT_FD_READ, &werr);
	if (!f)
		return werr;
	rc = sock_recv_wait(f, iov, (size_t)n, (uint32_t)riflags, from, &of);
	if (rc < 0)
		return wasi_errno((int)rc);
	wasi_store_u32((uint32_t)lenp, (uint32_t)rc);
	wasi_put_u16(wasi_mem((uint32_t)flagsp, 2), 0, (uint16_t)of);
	if (fp)
		*fp = f;
	return WASI_ESUCCESS;
}

int32_t wasi_sock_recv(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp, int32_t flagsp)
    WASI_IMPORT(sock_recv);
int32_t wasi_sock_recv(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp, int32_t flagsp)
{
	return sock_recv_call(fd, iovs, iovs_len, flags, lenp, flagsp, NULL,
			      NULL);
}

int32_t wasi_sock_recv_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t flags, int32_t lenp, int32_t flagsp)
    WASI_IMPORT(sock_recv_v2);
int32_t wasi_sock_recv_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t flags, int32_t lenp, int32_t flagsp)
{
	return sock_recv_call(fd, iovs, iovs_len, flags, lenp, flagsp, NULL,
			      NULL);
}

int32_t sock_send_call(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t siflags, const struct sock_addr *to,
		       int32_t lenp)
{
	int32_t werr;
	struct wasi_fd *f;
	struct wasi_iov iov[SOCK_IOV_MAX];
	long n, rc;

	if (siflags != 0) /* WASI defines no siflags */
		return WASI_EINVAL;
	if ((uint32_t)iovs_len > SOCK_IOV_LIMIT)
		return WASI_EINVAL;
	if (!wasi_mem((uint32_t)lenp, 4)) /* the iovecs: sock_iovs_load's */
		return WASI_EFAULT;
	n = sock_iovs_load((uint32_t)iovs, (uint32_t)iovs_len, iov);
	if (n < 0)
		return wasi_errno((int)n);
	f = sock_arg(fd, WASI_RIGHT_FD_WRITE, &werr);
	if (!f)
		return werr;
	rc = sock_send_wait(f, iov, (size_t)n, to);
	if (rc < 0)
		return wasi_errno((int)rc);
	return wasi_errno(wasi_store_u32((uint32_t)lenp, (uint32_t)rc));
}

int32_t wasi_sock_send(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp) WASI_IMPORT(sock_send);
int32_t wasi_sock_send(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp)
{
	return sock_send_call(fd, iovs, iovs_len, flags, NULL, lenp);
}

int32_t wasi_sock_send_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t flags, int32_t lenp) WASI_IMPORT(sock_send_v2);
int32_t wasi_sock_send_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t flags, int32_t lenp)
{
	return sock_send_call(fd, iovs, iovs_len, flags, NULL, lenp);
}

/* sdflags RD 1, WR 2, both 3.  WasmEdge on Linux also takes 0, which
 * ends up as SHUT_RD there; so it does here. */
int32_t wasi_sock_shutdown(int32_t fd, int32_t how) WASI_IMPORT(sock_shutdown);
int32_t wasi_sock_shutdown(int32_t fd, int32_t how)
{
	int32_t werr;
	struct wasi_fd *f;

	if ((uint32_t)how & ~(SOCK_SHUT_RD | SOCK_SHUT_WR))
		return WASI_EINVAL;
	f = sock_arg(fd, WASI_RIGHT_SOCK_SHUTDOWN, &werr);
	if (!f)
		return werr;
	return wasi_errno(sock_backend_get()->shutdown(
	    sock_sk(f), how ? (uint32_t)how : SOCK_SHUT_RD));
}
