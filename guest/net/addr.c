/*
 * addr.c - address and error conversions between the socket contract
 * (sock_backend.h) and lwIP, and copying pbuf data out to iovecs.
 */
#include <errno.h>
#include <string.h>

#include "lsock.h"
#include "lwip/err.h"
#include "wasi/wasi.h"

static const uint8_t v4mapped_prefix[12] = {0, 0, 0, 0, 0, 0,
					    0, 0, 0, 0, 0xff, 0xff};

int lsock_addr_to_ip(const struct sock_addr *a, ip_addr_t *ip)
{
	uint32_t w[4];

	if (a->family == SOCK_FAMILY_INET4) {
		memcpy(w, a->addr, 4);
		ip_addr_set_ip4_u32_val(*ip, w[0]);
		return 0;
	}
	if (a->family != SOCK_FAMILY_INET6)
		return -EAFNOSUPPORT;
	if (memcmp(a->addr, v4mapped_prefix, sizeof(v4mapped_prefix)) == 0) {
		memcpy(w, a->addr + 12, 4);
		ip_addr_set_ip4_u32_val(*ip, w[0]);
		return 0;
	}
	memcpy(w, a->addr, 16);
	IP_ADDR6(ip, w[0], w[1], w[2], w[3]);
	ip6_addr_set_zone(ip_2_ip6(ip), (u8_t)a->scope_id);
	return 0;
}

void lsock_addr_from_ip(struct sock_addr *a, uint8_t family,
			const ip_addr_t *ip, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	a->port = port;
	if (IP_IS_V4(ip)) {
		uint32_t v = ip4_addr_get_u32(ip_2_ip4(ip));

		if (family == SOCK_FAMILY_INET6) {
			memcpy(a->addr, v4mapped_prefix, 12);
			memcpy(a->addr + 12, &v, 4);
		} else {
			memcpy(a->addr, &v, 4);
		}
		return;
	}
	memcpy(a->addr, ip_2_ip6(ip)->addr, 16);
	a->scope_id = ip6_addr_zone(ip_2_ip6(ip));
}

int lsock_errno(int8_t err)
{
	switch (err) {
	case ERR_OK:
		return 0;
	case ERR_MEM:
	case ERR_BUF:
		return ENOBUFS;
	case ERR_TIMEOUT:
		return ETIMEDOUT;
	case ERR_RTE:
		return EHOSTUNREACH;
	case ERR_INPROGRESS:
		return EINPROGRESS;
	case ERR_VAL:
	case ERR_ARG:
		return EINVAL;
	case ERR_WOULDBLOCK:
		return EAGAIN;
	case ERR_USE:
		return EADDRINUSE;
	case ERR_ALREADY:
		return EALREADY;
	case ERR_ISCONN:
		return EISCONN;
	case ERR_CONN:
		return ENOTCONN;
	case ERR_ABRT:
		return ECONNABORTED;
	case ERR_RST:
		return ECONNRESET;
	case ERR_CLSD:
		return ENOTCONN;
	default:
		return EIO;
	}
}

size_t lsock_copy_out(struct pbuf *p, size_t off, const struct wasi_iov *iov,
		      size_t n)
{
	size_t done = 0;

	for (size_t i = 0; i < n && off < p->tot_len; i++) {
		size_t want = iov[i].len;
		u16_t got;

		if (want > (size_t)(p->tot_len - off))
			want = p->tot_len - off;
		got = pbuf_copy_partial(p, iov[i].base, (u16_t)want,
					(u16_t)off);
		done += got;
		off += got;
		if (got < want)
			break;
	}
	return done;
}
