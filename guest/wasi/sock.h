/*
 * sock.h - inside the socket layer: socket fds (sock.c), WasmEdge's
 * address layouts (sock_addr.c) and poll_oneoff's view of sockets.
 */
#ifndef MEWZ_WASI_SOCK_H
#define MEWZ_WASI_SOCK_H

#include <stdint.h>

#include "sock_backend.h"
#include "wasi.h"

/* The socket behind fd (with rights), or NULL and *err (EBADF, ENOTSOCK,
 * ENOTCAPABLE). */
struct wasi_fd *sock_fd(uint32_t fd, uint64_t rights, int *err);

/* The backend object of a socket fd. */
static inline void *sock_sk(const struct wasi_fd *f)
{
	return f->priv;
}

/* 1 if f is a socket fd. */
int sock_is(const struct wasi_fd *f);

/*
 * WasmEdge's WasiAddress {u32 buf, u32 buf_len} at guest ptr: buf_len 4
 * is IPv4, 16 IPv6 (raw address bytes, network order), 128 the
 * family-prefixed form {u16 family (1 = v4, 2 = v6), address bytes}.
 * Read: 0, -EFAULT or -EINVAL.  Write: 0, -EFAULT or -EINVAL when the
 * buffer cannot hold the address.
 */
int sock_addr_read(uint32_t ptr, uint16_t port, struct sock_addr *a);
int sock_addr_write(uint32_t ptr, const struct sock_addr *a);

#endif /* MEWZ_WASI_SOCK_H */
