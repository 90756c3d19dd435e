/*
 * sock_we.c - WasmEdge's socket extension beyond WASI's calls: sock_open,
 * sock_bind, sock_connect, sock_listen, sock_recv_from, sock_send_to,
 * sock_getlocaladdr, sock_getpeeraddr, each as WasmEdge's V1 (the plain
 * name) and V2 ("_v2"; abi.h says which one an import binds to).
 *
 * Behaviour read from WasmEdge's lib/host/wasi/wasifunc.cpp and
 * inode-linux.cpp (versions: README.md, "Sockets"); the differences:
 *   - open: family 1 inet4, 2 inet6 (3 unix: ENOSYS, WasmEdge's default
 *     without --allow-af-unix), type 1 dgram, 2 stream; others EINVAL.
 *   - bind, connect, send_to: V1 takes a 4- or 16-byte address, V2 also
 *     a 128-byte WasiAddrStorage; the port is truncated to 16 bits.
 *   - recv_from V1 (fd, iovs, n, *addr, riflags, *len, *roflags) stores
 *     only the address bytes, if the buffer holds them; V2 adds *port
 *     after riflags, a u16 that WasmEdge writes in network byte order
 *     (sin_port as is: WasmEdge issue #2491), and takes a 4-, 16- or
 *     128-byte buffer, whose family field it fills.
 *   - getlocaladdr/getpeeraddr V1 (fd, *addr, *type, *port): a 4- or
 *     16-byte buffer (too short for the address: ENOMEM), *type u32 4 or
 *     6, *port u32 host order.  V2 (fd, *addr, *port): a 128-byte
 *     WasiAddrStorage only.
 */
#include <errno.h>

#include "sock.h"

/* ---- open, listen ---------------------------------------------------------
 */

static int32_t do_open(int32_t af, int32_t type, int32_t fdp)
{
	const struct sock_backend *b = sock_backend_get();
	uint8_t family;
	void *sk;
	int rc, fd;

	if (!wasi_mem((uint32_t)fdp, 4))
		return WASI_EFAULT;
	if (af == WE_AF_INET4 || af == WE_AF_INET6)
		family =
		    af == WE_AF_INET4 ? SOCK_FAMILY_INET4 : SOCK_FAMILY_INET6;
	else
		return af == WE_AF_UNIX ? WASI_ENOSYS : WASI_EINVAL;
	if (type != SOCK_TYPE_DGRAM && type != SOCK_TYPE_STREAM)
		return WASI_EINVAL;
	if (!b)
		return WASI_ENOTSUP;
	rc = b->open(family, (uint8_t)type, &sk);
	if (rc < 0)
		return wasi_errno(rc);
	fd = sock_install(sk, (uint8_t)type, family, 0);
	if (fd < 0)
		return wasi_errno(fd);
	return wasi_errno(wasi_store_u32((uint32_t)fdp, (uint32_t)fd));
}

int32_t wasi_sock_open(int32_t af, int32_t type, int32_t fdp)
    WASI_IMPORT(sock_open);
int32_t wasi_sock_open(int32_t af, int32_t type, int32_t fdp)
{
	return do_open(af, type, fdp);
}

int32_t wasi_sock_open_v2(int32_t af, int32_t type, int32_t fdp)
    WASI_IMPORT(sock_open_v2);
int32_t wasi_sock_open_v2(int32_t af, int32_t type, int32_t fdp)
{
	return do_open(af, type, fdp);
}

static int32_t do_listen(int32_t fd, int32_t backlog)
{
	int32_t werr;
	struct wasi_fd *f = sock_arg(fd, 0, &werr);

	if (!f)
		return werr;
	if (f->filetype != WASI_FILETYPE_SOCKET_STREAM)
		return WASI_ENOTSUP; /* Linux: EOPNOTSUPP for datagrams */
	return wasi_errno(sock_backend_get()->listen(
	    sock_sk(f), backlog < 1 ? 1u : (uint32_t)backlog));
}

int32_t wasi_sock_listen(int32_t fd, int32_t backlog) WASI_IMPORT(sock_listen);
int32_t wasi_sock_listen(int32_t fd, int32_t backlog)
{
	return do_listen(fd, backlog);
}

int32_t wasi_sock_listen_v2(int32_t fd, int32_t backlog)
    WASI_IMPORT(sock_listen_v2);
int32_t wasi_sock_listen_v2(int32_t fd, int32_t backlog)
{
	return do_listen(fd, backlog);
}

/* ---- bind, connect --------------------------------------------------------
 */

/* The address argument at addrp with port: 0 or -errno. */
static int addr_arg(int32_t addrp, int v2, int32_t port, struct sock_addr *a)
{
	struct sock_abuf b;
	int rc = sock_abuf_get((uint32_t)addrp, &b);

	if (rc < 0)
		return rc;
	return sock_abuf_parse(&b, v2, (uint16_t)port, a);
}

/* Linux's answer to an address of the other family: an IPv6 address on
 * an IPv4 socket is EAFNOSUPPORT, an IPv4 one on an IPv6 socket EINVAL. */
static int family_check(const struct wasi_fd *f, const struct sock_addr *a)
{
	if (a->family == f->handle)
		return 0;
	return a->family == SOCK_FAMILY_INET6 ? -EAFNOSUPPORT : -EINVAL;
}

static int32_t addr_call(int32_t fd, int32_t addrp, int32_t port, int v2,
			 int connect)
{
	int32_t werr;
	struct wasi_fd *f;
	struct sock_addr a;
	int rc = addr_arg(addrp, v2, port, &a);

	if (rc < 0)
		return wasi_errno(rc);
	f = sock_arg(fd, 0, &werr);
	if (!f)
		return werr;
	rc = family_check(f, &a);
	if (rc < 0)
		return wasi_errno(rc);
	if (connect)
		return wasi_errno(sock_connect_wait(f, &a));
	return wasi_errno(sock_backend_get()->bind(sock_sk(f), &a));
}

int32_t wasi_sock_bind(int32_t fd, int32_t addrp, int32_t port)
    WASI_IMPORT(sock_bind);
int32_t wasi_sock_bind(int32_t fd, int32_t addrp, int32_t port)
{
	return addr_call(fd, addrp, port, 0, 0);
}

int32_t wasi_sock_bind_v2(int32_t fd, int32_t addrp, int32_t port)
    WASI_IMPORT(sock_bind_v2);
int32_t wasi_sock_bind_v2(int32_t fd, int32_t addrp, int32_t port)
{
	return addr_call(fd, addrp, port, 1, 0);
}

int32_t wasi_sock_connect(int32_t fd, int32_t addrp, int32_t port)
    WASI_IMPORT(sock_connect);
int32_t wasi_sock_connect(int32_t fd, int32_t addrp, int32_t port)
{
	return addr_call(fd, addrp, port, 0, 1);
}

int32_t wasi_sock_connect_v2(int32_t fd, int32_t addrp, int32_t port)
    WASI_IMPORT(sock_connect_v2);
int32_t wasi_sock_connect_v2(int32_t fd, int32_t addrp, int32_t port)
{
	return addr_call(fd, addrp, port, 1, 1);
}

/* ---- recv_from, send_to ---------------------------------------------------
 */

/* The received datagram's source into the program's buffer and *port. */
static void from_store(const struct sock_abuf *b, const struct sock_addr *a,
		       uint8_t *port)
{
	if (b->len == WE_STORAGE_LEN && port) /* V2's WasiAddrStorage */
		sock_abuf_put_storage(b, a);
	else
		sock_abuf_put_raw(b, a);
	if (port && a->family) { /* network order, as WasmEdge stores it */
		wasi_put_u8(port, 0, (uint8_t)(a->port >> 8));
		wasi_put_u8(port, 1, (uint8_t)a->port);
	}
}

/* portp 0: V1 (no port argument). */
static int32_t do_recv_from(int32_t fd, int32_t iovs, int32_t iovs_len,
			    int32_t addrp, int32_t riflags, int32_t portp,
			    int32_t lenp, int32_t flagsp, int v2)
{
	struct wasi_fd *f;
	struct sock_addr from = {0};
	struct sock_abuf b;
	uint8_t *port = NULL;
	int32_t werr;
	long rc = sock_abuf_get((uint32_t)addrp, &b);

	if (rc < 0)
		return wasi_errno((int)rc);
	if (v2 && b.len != 4 && b.len != 16 && b.len != WE_STORAGE_LEN)
		return WASI_EINVAL;
	if (v2 && !(port = wasi_mem((uint32_t)portp, 2)))
		return WASI_EFAULT;
	werr = sock_recv_call(fd, iovs, iovs_len, riflags, lenp, flagsp, &from,
			      &f);
	if (werr != WASI_ESUCCESS)
		return werr;
	/* A stream has no source address (Linux: AF_UNSPEC). */
	if (f->filetype == WASI_FILETYPE_SOCKET_STREAM)
		from.family = 0;
	from_store(&b, &from, port);
	return WASI_ESUCCESS;
}

int32_t wasi_sock_recv_from(int32_t fd, int32_t iovs, int32_t iovs_len,
			    int32_t addrp, int32_t flags, int32_t lenp,
			    int32_t flagsp) WASI_IMPORT(sock_recv_from);
int32_t wasi_sock_recv_from(int32_t fd, int32_t iovs, int32_t iovs_len,
			    int32_t addrp, int32_t flags, int32_t lenp,
			    int32_t flagsp)
{
	return do_recv_from(fd, iovs, iovs_len, addrp, flags, 0, lenp, flagsp,
			    0);
}

int32_t wasi_sock_recv_from_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			       int32_t addrp, int32_t flags, int32_t portp,
			       int32_t lenp, int32_t flagsp)
    WASI_IMPORT(sock_recv_from_v2);
int32_t wasi_sock_recv_from_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			       int32_t addrp, int32_t flags, int32_t portp,
			       int32_t lenp, int32_t flagsp)
{
	return do_recv_from(fd, iovs, iovs_len, addrp, flags, portp, lenp,
			    flagsp, 1);
}

static int32_t do_send_to(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t addrp, int32_t port, int32_t flags,
			  int32_t lenp, int v2)
{
	struct sock_addr to;
	int rc = addr_arg(addrp, v2, port, &to);

	if (rc < 0)
		return wasi_errno(rc);
	return sock_send_call(fd, iovs, iovs_len, flags, &to, lenp);
}

int32_t wasi_sock_send_to(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t addrp, int32_t port, int32_t flags,
			  int32_t lenp) WASI_IMPORT(sock_send_to);
int32_t wasi_sock_send_to(int32_t fd, int32_t iovs, int32_t iovs_len,
			  int32_t addrp, int32_t port, int32_t flags,
			  int32_t lenp)
{
	return do_send_to(fd, iovs, iovs_len, addrp, port, flags, lenp, 0);
}

int32_t wasi_sock_send_to_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			     int32_t addrp, int32_t port, int32_t flags,
			     int32_t lenp) WASI_IMPORT(sock_send_to_v2);
int32_t wasi_sock_send_to_v2(int32_t fd, int32_t iovs, int32_t iovs_len,
			     int32_t addrp, int32_t port, int32_t flags,
			     int32_t lenp)
{
	return do_send_to(fd, iovs, iovs_len, addrp, port, flags, lenp, 1);
}

/* ---- getlocaladdr, getpeeraddr --------------------------------------------
 */

static int addr_of(int32_t fd, int peer, struct sock_addr *a, int32_t *werr)
{
	struct wasi_fd *f = sock_arg(fd, 0, werr);
	int rc;

	if (!f)
		return -1;
	rc = peer ? sock_backend_get()->getpeeraddr(sock_sk(f), a)
		  : sock_backend_get()->getlocaladdr(sock_sk(f), a);
	if (rc < 0) {
		*werr = wasi_errno(rc);
		return -1;
	}
	return 0;
}

static int32_t addr_get_v1(int32_t fd, int32_t addrp, int32_t typep,
			   int32_t portp, int peer)
{
	struct sock_abuf b;
	struct sock_addr a;
	int32_t werr;
	int rc = sock_abuf_get((uint32_t)addrp, &b);

	if (rc < 0)
		return wasi_errno(rc);
	if (b.len != 4 && b.len != 16)
		return WASI_EINVAL;
	if (!wasi_mem((uint32_t)typep, 4) || !wasi_mem((uint32_t)portp, 4))
		return WASI_EFAULT;
	if (addr_of(fd, peer, &a, &werr) < 0)
		return werr;
	if (b.len < sock_alen(a.family))
		return WASI_ENOMEM;
	memcpy(b.p, a.addr, sock_alen(a.family));
	wasi_store_u32((uint32_t)portp, a.port);
	/* 4 or 6, not the family enum: WasmEdge kept this for old programs */
	wasi_store_u32((uint32_t)typep, a.family);
	return WASI_ESUCCESS;
}

static int32_t addr_get_v2(int32_t fd, int32_t addrp, int32_t portp, int peer)
{
	struct sock_abuf b;
	struct sock_addr a;
	int32_t werr;
	int rc = sock_abuf_get((uint32_t)addrp, &b);

	if (rc < 0)
		return wasi_errno(rc);
	if (!wasi_mem((uint32_t)portp, 4))
		return WASI_EFAULT;
	if (b.len != WE_STORAGE_LEN)
		return WASI_EINVAL;
	if (addr_of(fd, peer, &a, &werr) < 0)
		return werr;
	sock_abuf_put_storage(&b, &a);
	wasi_store_u32((uint32_t)portp, a.port);
	return WASI_ESUCCESS;
}

int32_t wasi_sock_getlocaladdr(int32_t fd, int32_t addrp, int32_t typep,
			       int32_t portp) WASI_IMPORT(sock_getlocaladdr);
int32_t wasi_sock_getlocaladdr(int32_t fd, int32_t addrp, int32_t typep,
			       int32_t portp)
{
	return addr_get_v1(fd, addrp, typep, portp, 0);
}

int32_t wasi_sock_getpeeraddr(int32_t fd, int32_t addrp, int32_t typep,
			      int32_t portp) WASI_IMPORT(sock_getpeeraddr);
int32_t wasi_sock_getpeeraddr(int32_t fd, int32_t addrp, int32_t typep,
			      int32_t portp)
{
	return addr_get_v1(fd, addrp, typep, portp, 1);
}

int32_t wasi_sock_getlocaladdr_v2(int32_t fd, int32_t addrp, int32_t portp)
    WASI_IMPORT(sock_getlocaladdr_v2);
int32_t wasi_sock_getlocaladdr_v2(int32_t fd, int32_t addrp, int32_t portp)
{
	return addr_get_v2(fd, addrp, portp, 0);
}

int32_t wasi_sock_getpeeraddr_v2(int32_t fd, int32_t addrp, int32_t portp)
    WASI_IMPORT(sock_getpeeraddr_v2);
int32_t wasi_sock_getpeeraddr_v2(int32_t fd, int32_t addrp, int32_t portp)
{
	return addr_get_v2(fd, addrp, portp, 1);
}
