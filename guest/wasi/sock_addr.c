/*
 * sock_addr.c - WasmEdge's socket address layouts in linear memory.
 *
 * Source: the WasmEdge socket extension as used by the wasmedge_wasi_socket
 * Rust crate (0.5) and WasmEdge's host functions, from the author's
 * knowledge of them (no code copied): an address argument points to
 * WasiAddress {u32 buf, u32 buf_len}; bind/connect/send_to pass the raw
 * address bytes (buf_len 4 or 16) and the port as a separate u32;
 * recv_from passes a 128-byte buffer that gets {u16 family (1 inet4,
 * 2 inet6), address bytes}; getlocaladdr/getpeeraddr pass a 16-byte
 * buffer that gets the raw bytes, with the type (4 or 6) and the port
 * stored through two more pointers.  Both buffer forms are accepted
 * everywhere, by their length.
 */
#include <errno.h>

#include "sock.h"

#define WE_FAMILY_INET4 1u
#define WE_FAMILY_INET6 2u
#define WE_SOCKADDR_LEN 128u

int sock_addr_read(uint32_t ptr, uint16_t port, struct sock_addr *a)
{
	const uint8_t *wa = wasi_mem(ptr, 8), *buf;
	uint32_t len;

	if (!wa)
		return -EFAULT;
	len = wasi_get_u32(wa, 4);
	memset(a, 0, sizeof(*a));
	a->port = port;
	if (len == 4 || len == 16) {
		buf = wasi_mem(wasi_get_u32(wa, 0), len);
		if (!buf)
			return -EFAULT;
		a->family = len == 4 ? SOCK_FAMILY_INET4 : SOCK_FAMILY_INET6;
		memcpy(a->addr, buf, len);
		return 0;
	}
	if (len < 18)
		return -EINVAL;
	buf = wasi_mem(wasi_get_u32(wa, 0), 18);
	if (!buf)
		return -EFAULT;
	switch (wasi_get_u16(buf, 0)) {
	case WE_FAMILY_INET4:
		a->family = SOCK_FAMILY_INET4;
		memcpy(a->addr, buf + 2, 4);
		return 0;
	case WE_FAMILY_INET6:
		a->family = SOCK_FAMILY_INET6;
		memcpy(a->addr, buf + 2, 16);
		return 0;
	default:
		return -EINVAL;
	}
}

int sock_addr_write(uint32_t ptr, const struct sock_addr *a)
{
	const uint8_t *wa = wasi_mem(ptr, 8);
	uint32_t alen = a->family == SOCK_FAMILY_INET4 ? 4 : 16, len;
	uint8_t *buf;

	if (!wa)
		return -EFAULT;
	len = wasi_get_u32(wa, 4);
	if (len >= 2 + alen && len >= 18 && len != 16) {
		buf = wasi_mem(wasi_get_u32(wa, 0), 2 + alen);
		if (!buf)
			return -EFAULT;
		wasi_put_u16(buf, 0,
			     alen == 4 ? WE_FAMILY_INET4 : WE_FAMILY_INET6);
		memcpy(buf + 2, a->addr, alen);
		return 0;
	}
	if (len < alen)
		return -EINVAL;
	buf = wasi_mem(wasi_get_u32(wa, 0), alen);
	if (!buf)
		return -EFAULT;
	memcpy(buf, a->addr, alen);
	return 0;
}
