/*
 * backend.c - the net=lwip socket backend (wasi/sock_backend.h): the ops
 * dispatch on the socket's type to tcp.c or udp.c, and poll waits in
 * net_wait.  Every op first moves the stack (net_poll), so a program that
 * never blocks still makes progress.
 *
 * What send and recv queue (data, ACKs, window updates) reaches the device
 * when the program next polls (poll, or a blocking call waiting in it),
 * not at once: a server answering many connections per poll round then
 * notifies the device once per round instead of once per answer (see
 * net_flush in net.h for why that matters).  connect, shutdown, close and
 * UDP sends still flush at once.  The cost: a program that sends on a TCP
 * socket and then computes for long without touching a socket holds its
 * last frames until then.
 */
#include <errno.h>
#include <stdlib.h>

#include <mewz/plat.h>

#include "lsock.h"
#include "lwip/ip.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "net.h"

static int lb_open(uint8_t family, uint8_t type, void **sk)
{
	struct lsock *s;
	int rc;

	if (family != SOCK_FAMILY_INET4 && family != SOCK_FAMILY_INET6)
		return -EAFNOSUPPORT;
	if (type != SOCK_TYPE_STREAM && type != SOCK_TYPE_DGRAM)
		return -EPROTONOSUPPORT;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->family = family;
	s->type = type;
	s->linger_s = -1;
	rc = type == SOCK_TYPE_STREAM ? lsock_tcp_open(s) : lsock_udp_open(s);
	if (rc < 0) {
		free(s);
		return rc;
	}
	*sk = s;
	return 0;
}

/* The address as lwIP wants it; a v6 socket bound to :: takes v4 too. */
static int to_ip(struct lsock *s, const struct sock_addr *a, ip_addr_t *ip)
{
	int rc;

	if (s->family == SOCK_FAMILY_INET4 && a->family != SOCK_FAMILY_INET4)
		return -EAFNOSUPPORT;
	rc = lsock_addr_to_ip(a, ip);
	if (rc < 0)
		return rc;
	if (s->family == SOCK_FAMILY_INET6 && ip_addr_isany(ip))
		ip_addr_copy(*ip, *IP_ANY_TYPE);
	return 0;
}

/*
 * What the guest serves reaches the host only through the VM's port
 * forwards (mewz run -p), which listen on the host's loopback and arrive
 * on the guest's interface.  So a bind to 127.0.0.1 or ::1 -- "local
 * clients only", which is what net=host gives such a program -- binds
 * every interface, the guest's loopback among them: the same program then
 * serves the same clients in both modes.  getlocaladdr still reports the
 * address the program bound.
 */
static void loopback_to_any(struct lsock *s, const struct sock_addr *a,
			    ip_addr_t *ip)
{
	if (!ip_addr_isloopback(ip))
		return;
	s->bound_loopback = 1;
	s->bound = *a;
	if (s->family == SOCK_FAMILY_INET6)
		ip_addr_copy(*ip, *IP_ANY_TYPE);
	else
		ip_addr_set_any(0, ip);
}

static int lb_bind(void *sk, const struct sock_addr *a)
{
	struct lsock *s = sk;
	ip_addr_t ip;
	int rc;

	net_poll();
	rc = to_ip(s, a, &ip);
	if (rc < 0)
		return rc;
	loopback_to_any(s, a, &ip);
	return s->type == SOCK_TYPE_STREAM ? lsock_tcp_bind(s, &ip, a->port)
					   : lsock_udp_bind(s, &ip, a->port);
}

static int lb_listen(void *sk, uint32_t backlog)
{
	struct lsock *s = sk;

	if (s->type != SOCK_TYPE_STREAM)
		return -EOPNOTSUPP;
	return lsock_tcp_listen(s, backlog);
}

static int lb_connect(void *sk, const struct sock_addr *a)
{
	struct lsock *s = sk;
	ip_addr_t ip;
	int rc;

	net_poll();
	rc = to_ip(s, a, &ip);
	if (rc < 0)
		return rc;
	if (s->type == SOCK_TYPE_STREAM)
		rc = lsock_tcp_connect(s, &ip, a->port);
	else
		rc = lsock_udp_connect(s, &ip, a->port);
	net_flush(); /* the SYN */
	if (rc == -EINPROGRESS) { /* loopback-fast peers answer at once */
		net_poll();
		if (s->connected)
			return 0;
	}
	return rc;
}

static int lb_accept(void *sk, void **nsk)
{
	struct lsock *ns;
	int rc;

	net_poll();
	rc = lsock_tcp_accept(sk, &ns);
	if (rc == 0)
		*nsk = ns;
	return rc;
}

static long lb_recv(void *sk, const struct wasi_iov *iov, size_t n,
		    uint32_t flags, struct sock_addr *from, uint32_t *oflags)
{
	struct lsock *s = sk;

	net_poll();
	*oflags = 0;
	if (s->type == SOCK_TYPE_STREAM) {
		long r = lsock_tcp_recv(s, iov, n, flags);

		if (r >= 0 && from && s->tcp)
			lsock_addr_from_ip(from, s->family, &s->tcp->remote_ip,
					   s->tcp->remote_port);
		return r;
	}
	return lsock_udp_recv(s, iov, n, flags, from, oflags);
}

static long lb_send(void *sk, const struct wasi_iov *iov, size_t n,
		    const struct sock_addr *to)
{
	struct lsock *s = sk;
	long r;

	net_poll();
	if (s->type == SOCK_TYPE_STREAM)
		return lsock_tcp_send(s, iov, n);
	r = lsock_udp_send(s, iov, n, to);
	net_flush(); /* a datagram goes at once: nothing resends it */
	return r;
}

static int lb_shutdown(void *sk, uint32_t how)
{
	struct lsock *s = sk;

	if (s->type == SOCK_TYPE_STREAM) {
		int rc = lsock_tcp_shutdown(s, how);

		net_flush(); /* the FIN */
		return rc;
	}
	if (!s->connected)
		return -ENOTCONN;
	s->shut_rd |= !!(how & SOCK_SHUT_RD);
	s->shut_wr |= !!(how & SOCK_SHUT_WR);
	return 0;
}

static int lb_getlocaladdr(void *sk, struct sock_addr *a)
{
	struct lsock *s = sk;

	if (s->tcp)
		lsock_addr_from_ip(a, s->family, &s->tcp->local_ip,
				   s->tcp->local_port);
	else if (s->udp)
		lsock_addr_from_ip(a, s->family, &s->udp->local_ip,
				   s->udp->local_port);
	else
		return s->err ? -s->err : -EINVAL;
	if (s->bound_loopback) {
		uint16_t port = a->port;

		*a = s->bound;
		a->port = port;
	}
	return 0;
}

static int lb_getpeeraddr(void *sk, struct sock_addr *a)
{
	struct lsock *s = sk;

	if (!s->connected)
		return -ENOTCONN;
	if (s->tcp)
		lsock_addr_from_ip(a, s->family, &s->tcp->remote_ip,
				   s->tcp->remote_port);
	else if (s->udp)
		lsock_addr_from_ip(a, s->family, &s->udp->remote_ip,
				   s->udp->remote_port);
	else
		return -ENOTCONN;
	return 0;
}

static int set_sof(struct lsock *s, u8_t flag, int32_t on)
{
	if (s->tcp) {
		if (on)
			ip_set_option(s->tcp, flag);
		else
			ip_reset_option(s->tcp, flag);
	} else if (s->udp) {
		if (on)
			ip_set_option(s->udp, flag);
		else
			ip_reset_option(s->udp, flag);
	} else {
		return -EINVAL;
	}
	return 0;
}

static int lb_setsockopt(void *sk, enum sock_opt opt, int32_t value)
{
	struct lsock *s = sk;

	switch (opt) {
	case SOCK_OPT_REUSEADDR:
		return set_sof(s, SOF_REUSEADDR, value);
	case SOCK_OPT_KEEPALIVE:
		return set_sof(s, SOF_KEEPALIVE, value);
	case SOCK_OPT_BROADCAST:
		return set_sof(s, SOF_BROADCAST, value);
	case SOCK_OPT_NODELAY:
		if (!s->tcp)
			return s->type == SOCK_TYPE_STREAM ? -EINVAL
							   : -ENOPROTOOPT;
		if (value)
			tcp_nagle_disable(s->tcp);
		else
			tcp_nagle_enable(s->tcp);
		return 0;
	case SOCK_OPT_LINGER:
		s->linger_s = value;
		return 0;
	case SOCK_OPT_SNDBUF: /* fixed by lwipopts.h; accepted, ignored */
	case SOCK_OPT_RCVBUF:
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int get_sof(struct lsock *s, u8_t flag)
{
	if (s->tcp)
		return !!ip_get_option(s->tcp, flag);
	if (s->udp)
		return !!ip_get_option(s->udp, flag);
	return 0;
}

static int lb_getsockopt(void *sk, enum sock_opt opt, int32_t *value)
{
	struct lsock *s = sk;

	switch (opt) {
	case SOCK_OPT_TYPE:
		*value = s->type;
		return 0;
	case SOCK_OPT_ERROR:
		*value = s->err;
		s->err = 0;
		return 0;
	case SOCK_OPT_ACCEPTCONN:
		*value = s->listening;
		return 0;
	case SOCK_OPT_REUSEADDR:
		*value = get_sof(s, SOF_REUSEADDR);
		return 0;
	case SOCK_OPT_KEEPALIVE:
		*value = get_sof(s, SOF_KEEPALIVE);
		return 0;
	case SOCK_OPT_BROADCAST:
		*value = get_sof(s, SOF_BROADCAST);
		return 0;
	case SOCK_OPT_NODELAY:
		*value = s->tcp ? !!tcp_nagle_disabled(s->tcp) : 0;
		return 0;
	case SOCK_OPT_LINGER:
		*value = s->linger_s;
		return 0;
	case SOCK_OPT_SNDBUF:
		*value = TCP_SND_BUF;
		return 0;
	case SOCK_OPT_RCVBUF:
		*value = TCP_WND;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int lb_close(void *sk)
{
	struct lsock *s = sk;

	if (s->type == SOCK_TYPE_STREAM)
		lsock_tcp_close(s);
	else
		lsock_udp_close(s);
	free(s);
	net_poll();
	net_flush(); /* the FIN or RST */
	return 0;
}

static size_t ready_count(struct sock_wait *w, size_t n)
{
	size_t ready = 0;

	for (size_t i = 0; i < n; i++) {
		struct lsock *s = w[i].sk;
		uint32_t ev = s->type == SOCK_TYPE_STREAM
				  ? lsock_tcp_events(s, &w[i].nbytes)
				  : lsock_udp_events(s, &w[i].nbytes);

		/* HUP and ERR are reported whether asked for or not. */
		w[i].revents =
		    ev & (w[i].events | SOCK_EV_HUP | SOCK_EV_ERR);
		if (w[i].revents)
			ready++;
	}
	return ready;
}

static int lb_poll(struct sock_wait *w, size_t n, uint64_t deadline_ns)
{
	net_flush(); /* what the program sent since its last poll */
	for (;;) {
		size_t ready;

		net_poll();
		ready = ready_count(w, n);
		if (ready)
			return (int)ready;
		if (mewz_plat_monotonic_ns() >= deadline_ns)
			return 0;
		net_wait(deadline_ns);
	}
}

const struct sock_backend net_lwip_backend = {
	.name = "lwip",
	.open = lb_open,
	.bind = lb_bind,
	.listen = lb_listen,
	.connect = lb_connect,
	.accept = lb_accept,
	.recv = lb_recv,
	.send = lb_send,
	.shutdown = lb_shutdown,
	.getlocaladdr = lb_getlocaladdr,
	.getpeeraddr = lb_getpeeraddr,
	.setsockopt = lb_setsockopt,
	.getsockopt = lb_getsockopt,
	.getaddrinfo = lsock_getaddrinfo,
	.close = lb_close,
	.poll = lb_poll,
};
