/*
 * sock.c - the socket imports: WASI preview 1 (sock_accept, sock_recv,
 * sock_send, sock_shutdown) and the WasmEdge extension (sock_open,
 * sock_bind, sock_listen, sock_connect, sock_accept's 2-argument form,
 * sock_accept_v2, sock_recv_from, sock_send_to, sock_getlocaladdr,
 * sock_getpeeraddr, sock_setsockopt, sock_getsockopt; sock_getaddrinfo is
 * in sock_gai.c), over whichever backend the platform chose
 * (sock_backend.h).  Layouts and their source: sock_addr.c.
 *
 * Backends never block; this file makes blocking fds block: an op that
 * answers -EAGAIN waits in backend->poll (the CPU halts) and retries,
 * unless the fd has NONBLOCK (fd_fdstat_set_flags), which passes EAGAIN
 * to the program.  A non-blocking connect answers EINPROGRESS.
 *
 * sock_accept has two signatures under one name: WASI's (fd, flags, *fd)
 * and WasmEdge's (fd, *fd).  Both are listed in imports.def and bound to
 * this one function; in the 2-argument form the third register is
 * garbage, so the form is told by the second argument: WASI flags are
 * fdflags (< 0x20), while the 2-argument form passes a result pointer,
 * and no program keeps its results below address 32 (wasm-ld starts data
 * at 1024).  So: arg2 < 0x20 -> WASI form, else WasmEdge form.
 */
#include <errno.h>

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

/* Only called for socket fds, which exist only once a backend did. */
static const struct sock_backend *backend_now(void)
{
	return sock_backend_get();
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

static int nonblock(const struct wasi_fd *f)
{
	return (f->flags & WASI_FDFLAG_NONBLOCK) != 0;
}

/* Wait until sk has one of events (or an error/hangup). */
static int wait_one(void *sk, uint32_t events)
{
	struct sock_wait w = {.sk = sk, .events = events};
	int rc = backend_now()->poll(&w, 1, UINT64_MAX);

	return rc < 0 ? rc : 0;
}

static long sk_recv(struct wasi_fd *f, const struct wasi_iov *iov, size_t n,
		    uint32_t flags, struct sock_addr *from, uint32_t *oflags)
{
	const struct sock_backend *b = backend_now();

	for (;;) {
		long rc = b->recv(sock_sk(f), iov, n, flags, from, oflags);

		if (rc != -EAGAIN || nonblock(f))
			return rc;
		rc = wait_one(sock_sk(f), SOCK_EV_READ);
		if (rc < 0)
			return rc;
	}
}

static long sk_send(struct wasi_fd *f, const struct wasi_iov *iov, size_t n,
		    const struct sock_addr *to)
{
	const struct sock_backend *b = backend_now();

	for (;;) {
		long rc = b->send(sock_sk(f), iov, n, to);

		if (rc != -EAGAIN || nonblock(f))
			return rc;
		rc = wait_one(sock_sk(f), SOCK_EV_WRITE);
		if (rc < 0)
			return rc;
	}
}

static long sock_readv(struct wasi_fd *f, const struct wasi_iov *iov, size_t n)
{
	uint32_t of;

	return sk_recv(f, iov, n, 0, NULL, &of);
}

static long sock_writev(struct wasi_fd *f, const struct wasi_iov *iov, size_t n)
{
	return sk_send(f, iov, n, NULL);
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
	int rc = backend_now()->poll(&w, 1, 0);

	if (rc < 0)
		return rc;
	*nbytes = w.nbytes;
	return w.revents != 0;
}

static int sock_close(struct wasi_fd *f)
{
	return backend_now()->close(sock_sk(f));
}

static const struct wasi_fd_ops sock_ops = {
    .readv = sock_readv,
    .writev = sock_writev,
    .filestat_get = sock_filestat,
    .set_flags = sock_set_flags,
    .readiness = sock_readiness,
    .close = sock_close,
};

/* A new fd for backend socket sk; the socket is closed if no fd is free. */
static int sock_install(void *sk, uint8_t type, uint8_t family, uint16_t flags)
{
	const struct sock_backend *b = backend_now();
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
	    .priv = sk,
	};
	int fd = fdt_install(&t);

	if (fd < 0)
		b->close(sk);
	return fd;
}

/* ---- the imports ----------------------------------------------------------
 */

#define SOCK_IOV_MAX 64

/* Check and load a guest iovec list: count, or -EFAULT/-EINVAL. */
static long iovs_load(uint32_t iovs, uint32_t n, struct wasi_iov *out)
{
	const uint8_t *v;

	if (n > SOCK_IOV_MAX)
		n = SOCK_IOV_MAX; /* a short transfer, as writev may do */
	v = wasi_mem(iovs, (uint64_t)n * 8);
	if (!v)
		return -EFAULT;
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

/* The socket fd and a backend, or a WASI errno in *werr. */
static struct wasi_fd *sock_arg(int32_t fd, uint64_t rights, int32_t *werr)
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

/* WasmEdge: AddressFamily Unspec 0, Inet4 1, Inet6 2; SocketType Any 0,
 * Datagram 1, Stream 2. */
int32_t wasi_sock_open(int32_t af, int32_t type, int32_t fdp)
    WASI_IMPORT(sock_open);
int32_t wasi_sock_open(int32_t af, int32_t type, int32_t fdp)
{
	const struct sock_backend *b = sock_backend_get();
	uint8_t family;
	void *sk;
	int rc, fd;

	if (!b)
		return WASI_ENOTSUP;
	if (af == 1 || af == 0)
		family = SOCK_FAMILY_INET4;
	else if (af == 2)
		family = SOCK_FAMILY_INET6;
	else
		return WASI_EAFNOSUPPORT;
	if (type == 0)
		type = SOCK_TYPE_STREAM;
	if (type != SOCK_TYPE_DGRAM && type != SOCK_TYPE_STREAM)
		return WASI_EPROTOTYPE;
	if (!wasi_mem((uint32_t)fdp, 4))
		return WASI_EFAULT;
	rc = b->open(family, (uint8_t)type, &sk);
	if (rc < 0)
		return wasi_errno(rc);
	fd = sock_install(sk, (uint8_t)type, family, 0);
	if (fd < 0)
		return wasi_errno(fd);
	return wasi_errno(wasi_store_u32((uint32_t)fdp, (uint32_t)fd));
}

static int32_t addr_call(int32_t fd, int32_t addrp, int32_t port, int connect)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, 0, &werr);
	struct sock_addr a;
	int rc;

	if (!f)
		return werr;
	if ((uint32_t)port > 65535)
		return WASI_EINVAL;
	rc = sock_addr_read((uint32_t)addrp, (uint16_t)port, &a);
	if (rc < 0)
		return wasi_errno(rc);
	if (a.family != f->handle)
		return WASI_EAFNOSUPPORT;
	if (!connect)
		return wasi_errno(backend_now()->bind(sock_sk(f), &a));
	rc = backend_now()->connect(sock_sk(f), &a);
	if (rc != -EINPROGRESS || nonblock(f))
		return wasi_errno(rc);
	/* A blocking connect waits for the end and reports how it went. */
	rc = wait_one(sock_sk(f), SOCK_EV_WRITE);
	if (rc < 0)
		return wasi_errno(rc);
	int32_t e = 0;

	rc = backend_now()->getsockopt(sock_sk(f), SOCK_OPT_ERROR, &e);
	return wasi_errno(rc < 0 ? rc : -e);
}

int32_t wasi_sock_bind(int32_t fd, int32_t addrp, int32_t port)
    WASI_IMPORT(sock_bind);
int32_t wasi_sock_bind(int32_t fd, int32_t addrp, int32_t port)
{
	return addr_call(fd, addrp, port, 0);
}

int32_t wasi_sock_connect(int32_t fd, int32_t addrp, int32_t port)
    WASI_IMPORT(sock_connect);
int32_t wasi_sock_connect(int32_t fd, int32_t addrp, int32_t port)
{
	return addr_call(fd, addrp, port, 1);
}

int32_t wasi_sock_listen(int32_t fd, int32_t backlog) WASI_IMPORT(sock_listen);
int32_t wasi_sock_listen(int32_t fd, int32_t backlog)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, 0, &werr);

	if (!f)
		return werr;
	if (f->filetype != WASI_FILETYPE_SOCKET_STREAM)
		return WASI_ENOTSUP;
	return wasi_errno(backend_now()->listen(
	    sock_sk(f), backlog < 1 ? 1u : (uint32_t)backlog));
}

static int32_t do_accept(int32_t fd, uint16_t flags, int32_t fdp)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, WASI_RIGHT_SOCK_ACCEPT, &werr);
	void *nsk;
	int rc;

	if (!f)
		return werr;
	if (flags & ~WASI_FDFLAG_NONBLOCK)
		return WASI_EINVAL;
	if (!wasi_mem((uint32_t)fdp, 4))
		return WASI_EFAULT;
	for (;;) {
		rc = backend_now()->accept(sock_sk(f), &nsk);
		if (rc != -EAGAIN || nonblock(f))
			break;
		rc = wait_one(sock_sk(f), SOCK_EV_READ);
		if (rc < 0)
			break;
	}
	if (rc < 0)
		return wasi_errno(rc);
	rc = sock_install(nsk, SOCK_TYPE_STREAM, (uint8_t)f->handle, flags);
	if (rc < 0)
		return wasi_errno(rc);
	return wasi_errno(wasi_store_u32((uint32_t)fdp, (uint32_t)rc));
}

/* Both forms (see the top of this file). */
int32_t wasi_sock_accept(int32_t fd, int32_t a, int32_t b)
    WASI_IMPORT(sock_accept);
int32_t wasi_sock_accept(int32_t fd, int32_t a, int32_t b)
{
	if ((uint32_t)a < 0x20)
		return do_accept(fd, (uint16_t)a, b);
	return do_accept(fd, 0, a);
}

int32_t wasi_sock_accept_v2(int32_t fd, int32_t flags, int32_t fdp)
    WASI_IMPORT(sock_accept_v2);
int32_t wasi_sock_accept_v2(int32_t fd, int32_t flags, int32_t fdp)
{
	return do_accept(fd, (uint16_t)flags, fdp);
}

static int32_t recv_common(int32_t fd, int32_t iovs, int32_t iovs_len,
			   int32_t riflags, struct sock_addr *from,
			   int32_t lenp, int32_t flagsp)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, WASI_RIGHT_FD_READ, &werr);
	struct wasi_iov iov[SOCK_IOV_MAX];
	uint32_t of = 0;
	long n, rc;

	if (!f)
		return werr;
	if ((uint32_t)riflags & ~(SOCK_RECV_PEEK | SOCK_RECV_WAITALL))
		return WASI_EINVAL;
	if (!wasi_mem((uint32_t)lenp, 4) || !wasi_mem((uint32_t)flagsp, 2))
		return WASI_EFAULT;
	n = iovs_load((uint32_t)iovs, (uint32_t)iovs_len, iov);
	if (n < 0)
		return wasi_errno((int)n);
	rc = sk_recv(f, iov, (size_t)n, (uint32_t)riflags & SOCK_RECV_PEEK,
		     from, &of);
	if (rc < 0)
		return wasi_errno((int)rc);
	wasi_store_u32((uint32_t)lenp, (uint32_t)rc);
	wasi_put_u16(wasi_mem((uint32_t)flagsp, 2), 0, (uint16_t)of);
	return WASI_ESUCCESS;
}

int32_t wasi_sock_recv(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp, int32_t flagsp)
    WASI_IMPORT(sock_recv);
int32_t wasi_sock_recv(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp, int32_t flagsp)
{
	return recv_common(fd, iovs, iovs_len, flags, NULL, lenp, flagsp);
}

int32_t wasi_sock_recv_from(int32_t fd, int32_t iovs, int32_t iovs_len,
			    int32_t addrp, int32_t flags, int32_t portp,
			    int32_t lenp, int32_t flagsp)
    WASI_IMPORT(sock_recv_from);
int32_t wasi_sock_recv_from(int32_t fd, int32_t iovs, int32_t iovs_len,
			    int32_t addrp, int32_t flags, int32_t portp,
			    int32_t lenp, int32_t flagsp)
{
	struct sock_addr from = {0};
	int32_t rc;

	if (!wasi_mem((uint32_t)portp, 4))
		return WASI_EFAULT;
	rc = recv_common(fd, iovs, iovs_len, flags, &from, lenp, flagsp);
	if (rc != WASI_ESUCCESS || from.family == 0)
		return rc;
	wasi_store_u32((uint32_t)portp, from.port);
	return wasi_errno(sock_addr_write((uint32_t)addrp, &from));
}

static int32_t send_common(int32_t fd, int32_t iovs, int32_t iovs_len,
			   const struct sock_addr *to, int32_t lenp)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, WASI_RIGHT_FD_WRITE, &werr);
	struct wasi_iov iov[SOCK_IOV_MAX];
	long n, rc;

	if (!f)
		return werr;
	if (!wasi_mem((uint32_t)lenp, 4))
		return WASI_EFAULT;
	n = iovs_load((uint32_t)iovs, (uint32_t)iovs_len, iov);
	if (n < 0)
		return wasi_errno((int)n);
	rc = sk_send(f, iov, (size_t)n, to);
	if (rc < 0)
		return wasi_errno((int)rc);
	return wasi_errno(wasi_store_u32((uint32_t)lenp, (uint32_t)rc));
}

int32_t wasi_sock_send(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp) WASI_IMPORT(sock_send);
int32_t wasi_sock_send(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp)
{
	(void)flags; /* WASI defines no siflags */
	return send_common(fd, iovs, iovs_len, NULL, lenp);
}

int32_t wasi_sock_send_to(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t addrp, int32_t port, int32_t flags,
			  int32_t lenp) WASI_IMPORT(sock_send_to);
int32_t wasi_sock_send_to(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t addrp, int32_t port, int32_t flags,
			  int32_t lenp)
{
	struct sock_addr to;
	int rc;

	(void)flags;
	if ((uint32_t)port > 65535)
		return WASI_EINVAL;
	rc = sock_addr_read((uint32_t)addrp, (uint16_t)port, &to);
	if (rc < 0)
		return wasi_errno(rc);
	return send_common(fd, iovs, iovs_len, &to, lenp);
}

int32_t wasi_sock_shutdown(int32_t fd, int32_t how) WASI_IMPORT(sock_shutdown);
int32_t wasi_sock_shutdown(int32_t fd, int32_t how)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, WASI_RIGHT_SOCK_SHUTDOWN, &werr);

	if (!f)
		return werr;
	if (how < 1 || how > 3)
		return WASI_EINVAL;
	return wasi_errno(backend_now()->shutdown(sock_sk(f), (uint32_t)how));
}

static int32_t addr_get(int32_t fd, int32_t addrp, int32_t typep, int32_t portp,
			int peer)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, 0, &werr);
	struct sock_addr a;
	int rc;

	if (!f)
		return werr;
	if (!wasi_mem((uint32_t)typep, 4) || !wasi_mem((uint32_t)portp, 4))
		return WASI_EFAULT;
	rc = peer ? backend_now()->getpeeraddr(sock_sk(f), &a)
		  : backend_now()->getlocaladdr(sock_sk(f), &a);
	if (rc < 0)
		return wasi_errno(rc);
	rc = sock_addr_write((uint32_t)addrp, &a);
	if (rc < 0)
		return wasi_errno(rc);
	wasi_store_u32((uint32_t)typep, a.family);
	return wasi_errno(wasi_store_u32((uint32_t)portp, a.port));
}

int32_t wasi_sock_getlocaladdr(int32_t fd, int32_t addrp, int32_t typep,
			       int32_t portp) WASI_IMPORT(sock_getlocaladdr);
int32_t wasi_sock_getlocaladdr(int32_t fd, int32_t addrp, int32_t typep,
			       int32_t portp)
{
	return addr_get(fd, addrp, typep, portp, 0);
}

int32_t wasi_sock_getpeeraddr(int32_t fd, int32_t addrp, int32_t typep,
			      int32_t portp) WASI_IMPORT(sock_getpeeraddr);
int32_t wasi_sock_getpeeraddr(int32_t fd, int32_t addrp, int32_t typep,
			      int32_t portp)
{
	return addr_get(fd, addrp, typep, portp, 1);
}

/*
 * WasmEdge's options: level SOL_SOCKET = 0 with names SO_REUSEADDR 0,
 * SO_TYPE 1, SO_ERROR 2, SO_DONTROUTE 3, SO_BROADCAST 4, SO_SNDBUF 5,
 * SO_RCVBUF 6, SO_KEEPALIVE 7, SO_OOBINLINE 8, SO_LINGER 9, ...
 * SO_ACCEPTCONN 13.  Level 6 (IPPROTO_TCP) name 1 is TCP_NODELAY, our
 * extension.  Values are i32 (linger: {i32 onoff, i32 secs}).
 */
static int opt_map(int32_t level, int32_t name, enum sock_opt *o)
{
	static const int8_t sol[14] = {SOCK_OPT_REUSEADDR,
				       SOCK_OPT_TYPE,
				       SOCK_OPT_ERROR,
				       -1,
				       SOCK_OPT_BROADCAST,
				       SOCK_OPT_SNDBUF,
				       SOCK_OPT_RCVBUF,
				       SOCK_OPT_KEEPALIVE,
				       -1,
				       SOCK_OPT_LINGER,
				       -1,
				       -1,
				       -1,
				       SOCK_OPT_ACCEPTCONN};

	if (level == 6 && name == 1) {
		*o = SOCK_OPT_NODELAY;
		return 0;
	}
	if (level != 0 || name < 0 || name >= 14 || sol[name] < 0)
		return -ENOPROTOOPT;
	*o = (enum sock_opt)sol[name];
	return 0;
}

int32_t wasi_sock_setsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t len)
    WASI_IMPORT(sock_setsockopt);
int32_t wasi_sock_setsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t len)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, 0, &werr);
	enum sock_opt o;
	const uint8_t *v;
	int32_t val;

	if (!f)
		return werr;
	if (opt_map(level, name, &o) < 0)
		return WASI_ENOPROTOOPT;
	if (o == SOCK_OPT_TYPE || o == SOCK_OPT_ERROR ||
	    o == SOCK_OPT_ACCEPTCONN)
		return WASI_EINVAL;
	if (len < 4 || !(v = wasi_mem((uint32_t)valp, (uint32_t)len)))
		return len < 4 ? WASI_EINVAL : WASI_EFAULT;
	val = (int32_t)wasi_get_u32(v, 0);
	if (o == SOCK_OPT_LINGER && len >= 8)
		val = val ? (int32_t)wasi_get_u32(v, 4) : -1;
	return wasi_errno(backend_now()->setsockopt(sock_sk(f), o, val));
}

int32_t wasi_sock_getsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t lenp)
    WASI_IMPORT(sock_getsockopt);
int32_t wasi_sock_getsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t lenp)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, 0, &werr);
	enum sock_opt o;
	const uint8_t *lp;
	uint8_t *v;
	int32_t val = 0;
	int rc;

	if (!f)
		return werr;
	if (opt_map(level, name, &o) < 0)
		return WASI_ENOPROTOOPT;
	lp = wasi_mem((uint32_t)lenp, 4);
	if (!lp)
		return WASI_EFAULT;
	if (wasi_get_u32(lp, 0) < 4)
		return WASI_EINVAL;
	v = wasi_mem((uint32_t)valp, 4);
	if (!v)
		return WASI_EFAULT;
	rc = backend_now()->getsockopt(sock_sk(f), o, &val);
	if (rc < 0)
		return wasi_errno(rc);
	/* SO_ERROR reads as a WASI errno, as WasmEdge reports it. */
	if (o == SOCK_OPT_ERROR && val)
		val = wasi_errno(-val);
	wasi_put_u32(v, 0, (uint32_t)val);
	return wasi_errno(wasi_store_u32((uint32_t)lenp, 4));
}
