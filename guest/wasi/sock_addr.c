/*
 * sock_addr.c - WasmEdge's socket address buffers in linear memory.
 *
 * Source (read, not copied; versions in README.md, "Sockets"):
 * github.com/WasmEdge/WasmEdge lib/host/wasi/wasifunc.cpp,
 * include/host/wasi/environ.h (WasiAddrStorage) and
 * thirdparty/wasi/api.hpp (__wasi_address_t).  An address argument points
 * to __wasi_address_t {u32 buf, u32 buf_len}.  The buffer is either the
 * raw address (buf_len 4: IPv4, 16: IPv6, network order, the port passed
 * separately) or, for the V2 imports only, a 128-byte WasiAddrStorage
 * {u16 family (1 inet4, 2 inet6, 3 unix), 126 address bytes}.  V1 imports
 * refuse 128 with EINVAL, as WasmEdge does.
 */
#include <errno.h>

#include "sock.h"

#define WE_ADDR_SIZE 8u

int sock_abuf_get(uint32_t ptr, struct sock_abuf *b)
{
	const uint8_t *wa = wasi_mem(ptr, WE_ADDR_SIZE);

	if (!wa)
		return -EFAULT;
	b->len = wasi_get_u32(wa, 4);
	b->p = wasi_mem(wasi_get_u32(wa, 0), b->len);
	return b->p ? 0 : -EFAULT;
}

static void addr_set(struct sock_addr *a, uint8_t family, const uint8_t *src,
		     uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	a->port = port;
	memcpy(a->addr, src, sock_alen(family));
}

int sock_abuf_parse(const struct sock_abuf *b, int storage_ok, uint16_t port,
		    struct sock_addr *a)
{
	if (b->len == 4 || b->len == 16) {
		addr_set(a,
			 b->len == 4 ? SOCK_FAMILY_INET4 : SOCK_FAMILY_INET6,
			 b->p, port);
		return 0;
	}
	if (b->len != WE_STORAGE_LEN || !storage_ok)
		return -EINVAL;
	switch (wasi_get_u16(b->p, 0)) {
	case WE_AF_INET4:
		addr_set(a, SOCK_FAMILY_INET4, b->p + 2, port);
		return 0;
	case WE_AF_INET6:
		addr_set(a, SOCK_FAMILY_INET6, b->p + 2, port);
		return 0;
	case WE_AF_UNIX:
		return -EAFNOSUPPORT; /* no AF_UNIX sockets here */
	default:
		return -EINVAL;
	}
}

void sock_abuf_put_raw(const struct sock_abuf *b, const struct sock_addr *a)
{
	uint32_t alen = sock_alen(a->family);

	if (a->family && b->len >= alen)
		memcpy(b->p, a->addr, alen);
}

void sock_abuf_put_storage(const struct sock_abuf *b,
			   const struct sock_addr *a)
{
	uint16_t fam = a->family == SOCK_FAMILY_INET4	? WE_AF_INET4
		       : a->family == SOCK_FAMILY_INET6 ? WE_AF_INET6
							: WE_AF_UNSPEC;

	wasi_put_u16(b->p, 0, fam);
	if (fam != WE_AF_UNSPEC)
		memcpy(b->p + 2, a->addr, sock_alen(a->family));
}
