/*
 * sock.h - inside the socket layer: socket fds and blocking (sock.c),
 * WasmEdge's address buffers (sock_addr.c) and the helpers the import
 * files (sock.c, sock_we.c, sock_opt.c, sock_gai.c) share.  poll.c sees
 * sockets through sock_is and sock_sk.
 */
#ifndef MEWZ_WASI_SOCK_H
#define MEWZ_WASI_SOCK_H

#include <stdint.h>

#include "sock_backend.h"
#include "wasi.h"

/* What a socket fd keeps beside the backend socket (its f->priv). */
struct sock_file {
	void *sk;
	uint64_t rcvtimeo_ns; /* SO_RCVTIMEO, 0 = wait forever */
	uint64_t sndtimeo_ns; /* SO_SNDTIMEO */
};

/* The socket behind fd (with rights), or NULL and *err (EBADF, ENOTSOCK,
 * ENOTCAPABLE). */
struct wasi_fd *sock_fd(uint32_t fd, uint64_t rights, int *err);

/* The same for an import's fd argument, or NULL with a WASI errno in
 * *werr (ENOTSOCK for every fd while no backend exists). */
struct wasi_fd *sock_arg(int32_t fd, uint64_t rights, int32_t *werr);

static inline struct sock_file *sock_file(const struct wasi_fd *f)
{
	return f->priv;
}

/* The backend object of a socket fd. */
static inline void *sock_sk(const struct wasi_fd *f)
{
	return sock_file(f)->sk;
}

/* 1 if f is a socket fd. */
int sock_is(const struct wasi_fd *f);

/* A new fd for backend socket sk (closed if no fd is free): fd or -errno. */
int sock_install(void *sk, uint8_t type, uint8_t family, uint16_t flags);

/* WasmEdge's and WASI's limit on iovec counts (WasmEdge kIOVMax). */
#define SOCK_IOV_LIMIT 1024u
/* How many iovecs one call passes on: more is a short transfer. */
#define SOCK_IOV_MAX 64

/* Check and load a guest iovec list: count, or -EFAULT/-EINVAL. */
long sock_iovs_load(uint32_t iovs, uint32_t n, struct wasi_iov *out);

/*
 * Receive into iov, blocking unless the fd is non-blocking (then
 * -EAGAIN), at most SO_RCVTIMEO (then -EAGAIN).  riflags are WASI's
 * (PEEK, WAITALL); from may be NULL.  Bytes or -errno.
 */
long sock_recv_wait(struct wasi_fd *f, struct wasi_iov *iov, size_t n,
		    uint32_t riflags, struct sock_addr *from, uint32_t *oflags);
/* Send from iov (to: NULL on connected sockets), blocking likewise. */
long sock_send_wait(struct wasi_fd *f, const struct wasi_iov *iov, size_t n,
		    const struct sock_addr *to);
/* Connect, waiting for the end on a blocking fd: 0 or -errno. */
int sock_connect_wait(struct wasi_fd *f, const struct sock_addr *a);
/*
 * sock_recv and sock_recv_from after their address buffer: the source
 * into *from (may be NULL), the socket's fd into *fp (may be NULL) on
 * success; WASI errno.
 */
int32_t sock_recv_call(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t riflags, int32_t lenp, int32_t flagsp,
		       struct sock_addr *from, struct wasi_fd **fp);
/* sock_send and sock_send_to after their address: WASI errno. */
int32_t sock_send_call(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t siflags, const struct sock_addr *to,
		       int32_t lenp);
/* WASI's and WasmEdge's accept: the new fd stored at fdp; WASI errno. */
int32_t sock_accept_into(int32_t fd, uint16_t fdflags, int32_t fdp);

/* ---- WasmEdge's address buffers (sock_addr.c) -------------------------- */

/* WasmEdge's address families: in sock_open, a WasiAddrStorage's family
 * field and an addrinfo (__wasi_address_family_t). */
#define WE_AF_UNSPEC 0u
#define WE_AF_INET4  1u
#define WE_AF_INET6  2u
#define WE_AF_UNIX   3u

/* WasiAddrStorage: {u16 family, 126 address bytes}, 128 bytes. */
#define WE_STORAGE_LEN 128u

/* The buffer a WasiAddress {u32 buf, u32 buf_len} at ptr names. */
struct sock_abuf {
	uint8_t *p;
	uint32_t len;
};

/* Load the WasiAddress at ptr and check its buffer: 0 or -EFAULT. */
int sock_abuf_get(uint32_t ptr, struct sock_abuf *b);

/*
 * The address in b with port: 4 or 16 raw bytes, or (storage_ok, V2
 * imports only) a 128-byte WasiAddrStorage.  0 or -EINVAL; -EAFNOSUPPORT
 * for an AF_UNIX storage.
 */
int sock_abuf_parse(const struct sock_abuf *b, int storage_ok, uint16_t port,
		    struct sock_addr *a);

/* The address bytes of a into a raw buffer, if it holds them (recv_from:
 * a shorter buffer is left alone). */
void sock_abuf_put_raw(const struct sock_abuf *b, const struct sock_addr *a);

/* a into a 128-byte WasiAddrStorage (family 0 when a has none). */
void sock_abuf_put_storage(const struct sock_abuf *b,
			   const struct sock_addr *a);

/* The address length of a family: 4 or 16. */
static inline uint32_t sock_alen(uint8_t family)
{
	return family == SOCK_FAMILY_INET4 ? 4u : 16u;
}

#endif /* MEWZ_WASI_SOCK_H */
