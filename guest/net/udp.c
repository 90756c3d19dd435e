/*
 * udp.c - datagram sockets on lwIP's raw UDP API.  Received datagrams
 * wait in a bounded queue (LSOCK_UDPQ); when it is full new ones are
 * dropped, as a kernel drops on a full socket buffer.
 */
#include <errno.h>
#include <string.h>

#include "lsock.h"
#include "lwip/udp.h"
#include "wasi/wasi.h"

/* Largest UDP payload over IPv4 (65535 - 20 - 8). */
#define UDP_PAYLOAD_MAX 65507

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr, u16_t port)
{
	struct lsock *s = arg;
	struct lsock_dgram *d;

	(void)pcb;
	if (s->dq_len >= LSOCK_UDPQ || s->shut_rd) {
		pbuf_free(p);
		return;
	}
	d = &s->dq[(s->dq_head + s->dq_len) % LSOCK_UDPQ];
	d->p = p;
	ip_addr_copy(d->from, *addr);
	d->port = port;
	s->dq_len++;
}

int lsock_udp_open(struct lsock *s)
{
	s->udp = udp_new_ip_type(s->family == SOCK_FAMILY_INET6
				     ? IPADDR_TYPE_ANY
				     : IPADDR_TYPE_V4);
	if (!s->udp)
		return -ENOMEM;
	udp_recv(s->udp, on_recv, s);
	return 0;
}

int lsock_udp_bind(struct lsock *s, const ip_addr_t *ip, uint16_t port)
{
	return -lsock_errno(udp_bind(s->udp, ip, port));
}

int lsock_udp_connect(struct lsock *s, const ip_addr_t *ip, uint16_t port)
{
	err_t err = udp_connect(s->udp, ip, port);

	if (err != ERR_OK)
		return -lsock_errno(err);
	s->connected = 1;
	return 0;
}

long lsock_udp_recv(struct lsock *s, const struct wasi_iov *iov, size_t n,
		    uint32_t flags, struct sock_addr *from, uint32_t *oflags)
{
	struct lsock_dgram *d;
	size_t got;

	if (s->dq_len == 0)
		return s->shut_rd ? 0 : -EAGAIN;
	d = &s->dq[s->dq_head];
	got = lsock_copy_out(d->p, 0, iov, n);
	if (got < d->p->tot_len)
		*oflags |= SOCK_RECV_TRUNCATED;
	if (from)
		lsock_addr_from_ip(from, s->family, &d->from, d->port);
	if (!(flags & SOCK_RECV_PEEK)) {
		pbuf_free(d->p);
		d->p = NULL;
		s->dq_head = (s->dq_head + 1) % LSOCK_UDPQ;
		s->dq_len--;
	}
	return (long)got;
}

long lsock_udp_send(struct lsock *s, const struct wasi_iov *iov, size_t n,
		    const struct sock_addr *to)
{
	size_t total = wasi_iov_total(iov, n), off = 0;
	struct pbuf *p;
	ip_addr_t ip;
	err_t err;

	if (s->shut_wr)
		return -EPIPE;
	if (total > UDP_PAYLOAD_MAX)
		return -EMSGSIZE;
	if (!to && !s->connected)
		return -EDESTADDRREQ;
	if (to && lsock_addr_to_ip(to, &ip) < 0)
		return -EAFNOSUPPORT;
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)total, PBUF_RAM);
	if (!p)
		return -EAGAIN;
	for (size_t i = 0; i < n; i++) {
		pbuf_take_at(p, iov[i].base, (u16_t)iov[i].len, (u16_t)off);
		off += iov[i].len;
	}
	err = to ? udp_sendto(s->udp, p, &ip, to->port) : udp_send(s->udp, p);
	pbuf_free(p);
	if (err == ERR_MEM)
		return -EAGAIN;
	if (err != ERR_OK)
		return -lsock_errno(err);
	return (long)total;
}

void lsock_udp_close(struct lsock *s)
{
	while (s->dq_len > 0) {
		pbuf_free(s->dq[s->dq_head].p);
		s->dq_head = (s->dq_head + 1) % LSOCK_UDPQ;
		s->dq_len--;
	}
	if (s->udp) {
		udp_remove(s->udp);
		s->udp = NULL;
	}
}

uint32_t lsock_udp_events(struct lsock *s, uint64_t *nbytes)
{
	uint32_t ev = SOCK_EV_WRITE;

	*nbytes = 0;
	if (s->dq_len) {
		ev |= SOCK_EV_READ;
		*nbytes = s->dq[s->dq_head].p->tot_len;
	}
	if (s->shut_rd)
		ev |= SOCK_EV_READ;
	return ev;
}
