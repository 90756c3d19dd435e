/*
 * tcp.c - stream sockets on lwIP's raw TCP API.
 *
 * lwIP calls back (recv, accept, connected, err) only from inside net_poll
 * or a tcp_* call we make, never asynchronously, so the socket's fields
 * need no locking.  The err callback means lwIP has already freed the pcb:
 * from then on s->tcp is NULL and every call sees s->err.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lsock.h"
#include "lwip/tcp.h"
#include "wasi/wasi.h"

static void tcp_detach(struct lsock *s)
{
	tcp_arg(s->tcp, NULL);
	if (s->tcp->state != LISTEN) {
		tcp_recv(s->tcp, NULL);
		tcp_err(s->tcp, NULL);
	} else {
		tcp_accept(s->tcp, NULL);
	}
	s->tcp = NULL;
}

static void on_err(void *arg, err_t err)
{
	struct lsock *s = arg;

	if (!s)
		return;
	s->tcp = NULL; /* already freed by lwIP */
	if (s->connecting && (err == ERR_RST || err == ERR_ABRT))
		s->err = ECONNREFUSED;
	else
		s->err = lsock_errno(err);
	s->connecting = 0;
	s->rx_eof = 1;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
		     err_t err)
{
	struct lsock *s = arg;

	(void)pcb;
	if (err != ERR_OK) {
		if (p)
			pbuf_free(p);
		return ERR_OK;
	}
	if (!p) {
		s->rx_eof = 1;
		return ERR_OK;
	}
	if (s->shut_rd) { /* read side shut: discard, but keep the window */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	if (s->rx)
		pbuf_cat(s->rx, p);
	else
		s->rx = p;
	return ERR_OK;
}

static void tcp_attach(struct lsock *s, struct tcp_pcb *pcb)
{
	s->tcp = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_err(pcb, on_err);
}

int lsock_tcp_open(struct lsock *s)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(
	    s->family == SOCK_FAMILY_INET6 ? IPADDR_TYPE_ANY : IPADDR_TYPE_V4);

	if (!pcb)
		return -ENOMEM;
	tcp_attach(s, pcb);
	return 0;
}

static int tcp_gone(struct lsock *s)
{
	return s->err ? -s->err : -EINVAL;
}

int lsock_tcp_bind(struct lsock *s, const ip_addr_t *ip, uint16_t port)
{
	if (!s->tcp)
		return tcp_gone(s);
	return -lsock_errno(tcp_bind(s->tcp, ip, port));
}

static err_t on_accept(void *arg, struct tcp_pcb *npcb, err_t err)
{
	struct lsock *s = arg, *ns;

	if (err != ERR_OK || !npcb)
		return ERR_VAL;
	if (!s || s->aq_len >= s->backlog)
		return ERR_MEM; /* lwIP aborts npcb: the queue is full */
	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return ERR_MEM;
	ns->family = s->family;
	ns->type = SOCK_TYPE_STREAM;
	ns->connected = 1;
	ns->linger_s = -1;
	tcp_attach(ns, npcb);
	s->acceptq[(s->aq_head + s->aq_len) % LSOCK_ACCEPTQ] = ns;
	s->aq_len++;
	return ERR_OK;
}

int lsock_tcp_listen(struct lsock *s, uint32_t backlog)
{
	struct tcp_pcb *l;
	err_t err = ERR_OK;

	if (!s->tcp)
		return tcp_gone(s);
	if (s->listening)
		return 0;
	if (s->connected || s->connecting)
		return -EINVAL;
	if (backlog == 0 || backlog > LSOCK_ACCEPTQ)
		backlog = LSOCK_ACCEPTQ;
	l = tcp_listen_with_backlog_and_err(s->tcp, 0xff, &err);
	if (!l)
		return -lsock_errno(err);
	/* The old pcb is freed; the listener is a new, smaller one. */
	s->tcp = l;
	s->listening = 1;
	s->backlog = backlog;
	tcp_arg(l, s);
	tcp_accept(l, on_accept);
	return 0;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct lsock *s = arg;

	(void)pcb;
	s->connecting = 0;
	if (err != ERR_OK) {
		s->err = lsock_errno(err);
		return ERR_OK;
	}
	s->connected = 1;
	return ERR_OK;
}

int lsock_tcp_connect(struct lsock *s, const ip_addr_t *ip, uint16_t port)
{
	err_t err;

	if (!s->tcp)
		return tcp_gone(s);
	if (s->listening)
		return -EINVAL;
	if (s->connected)
		return -EISCONN;
	if (s->connecting)
		return -EALREADY;
	err = tcp_connect(s->tcp, ip, port, on_connected);
	if (err != ERR_OK)
		return -lsock_errno(err);
	s->connecting = 1;
	return -EINPROGRESS;
}

int lsock_tcp_accept(struct lsock *s, struct lsock **ns)
{
	if (!s->listening)
		return -EINVAL;
	if (s->aq_len == 0)
		return s->tcp ? -EAGAIN : tcp_gone(s);
	*ns = s->acceptq[s->aq_head];
	s->aq_head = (s->aq_head + 1) % LSOCK_ACCEPTQ;
	s->aq_len--;
	return 0;
}

/* Drop n consumed bytes from the queue and open the window by as much. */
static void rx_consume(struct lsock *s, size_t n)
{
	while (n > 0) {
		u16_t step = n > 0xffff ? 0xffff : (u16_t)n;

		s->rx = pbuf_free_header(s->rx, step);
		if (s->tcp)
			tcp_recved(s->tcp, step);
		n -= step;
	}
}

long lsock_tcp_recv(struct lsock *s, const struct wasi_iov *iov, size_t n,
		    uint32_t flags)
{
	size_t got;

	if (s->listening)
		return -ENOTCONN;
	if (!s->rx) {
		if (s->rx_eof || s->shut_rd) {
			/* A reset is an error once; then EOF. */
			if (s->err && s->err != ECONNREFUSED) {
				int e = s->err;

				s->err = 0;
				return e == ECONNABORTED ? 0 : -e;
			}
			return 0;
		}
		if (!s->connected && !s->connecting)
			return s->err ? -s->err : -ENOTCONN;
		return -EAGAIN;
	}
	got = lsock_copy_out(s->rx, 0, iov, n);
	if (!(flags & SOCK_RECV_PEEK))
		rx_consume(s, got);
	return (long)got;
}

long lsock_tcp_send(struct lsock *s, const struct wasi_iov *iov, size_t n)
{
	size_t sent = 0;

	if (!s->tcp)
		return s->err ? -s->err : -EPIPE;
	if (s->shut_wr)
		return -EPIPE;
	if (!s->connected)
		return s->connecting ? -EAGAIN : -ENOTCONN;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = iov[i].base;
		size_t left = iov[i].len;

		while (left > 0) {
			size_t room = tcp_sndbuf(s->tcp);
			size_t chunk = left < room ? left : room;
			err_t err;

			if (chunk > 0xffff)
				chunk = 0xffff;
			if (chunk == 0)
				goto out;
			err = tcp_write(s->tcp, b, (u16_t)chunk,
					TCP_WRITE_FLAG_COPY |
					    (i + 1 < n || chunk < left
						 ? TCP_WRITE_FLAG_MORE
						 : 0));
			if (err == ERR_MEM)
				goto out;
			if (err != ERR_OK)
				return sent ? (long)sent : -lsock_errno(err);
			b += chunk;
			left -= chunk;
			sent += chunk;
		}
	}
out:
	if (sent == 0)
		return -EAGAIN;
	tcp_output(s->tcp);
	return (long)sent;
}

int lsock_tcp_shutdown(struct lsock *s, uint32_t how)
{
	if (!s->connected && !s->listening)
		return -ENOTCONN;
	if (how & SOCK_SHUT_RD) {
		s->shut_rd = 1;
		if (s->rx)
			rx_consume(s, s->rx->tot_len);
	}
	if ((how & SOCK_SHUT_WR) && !s->shut_wr && s->tcp && !s->listening) {
		s->shut_wr = 1;
		return -lsock_errno(tcp_shutdown(s->tcp, 0, 1));
	}
	return 0;
}

/* Close like Linux: unread data or linger 0 resets, otherwise a FIN. */
void lsock_tcp_close(struct lsock *s)
{
	int reset = (s->rx != NULL) || s->linger_s == 0;

	if (s->rx) {
		pbuf_free(s->rx);
		s->rx = NULL;
	}
	while (s->aq_len > 0) {
		struct lsock *ns = s->acceptq[s->aq_head];

		s->aq_head = (s->aq_head + 1) % LSOCK_ACCEPTQ;
		s->aq_len--;
		ns->linger_s = 0;
		lsock_tcp_close(ns);
		free(ns);
	}
	if (!s->tcp)
		return;
	{
		struct tcp_pcb *pcb = s->tcp;

		tcp_detach(s);
		if (reset || tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
}

uint32_t lsock_tcp_events(struct lsock *s, uint64_t *nbytes)
{
	uint32_t ev = 0;

	*nbytes = 0;
	if (s->listening) {
		if (s->aq_len)
			ev |= SOCK_EV_READ;
		*nbytes = s->aq_len;
		return ev;
	}
	if (s->rx) {
		ev |= SOCK_EV_READ;
		*nbytes = s->rx->tot_len;
	}
	if (s->rx_eof || s->shut_rd)
		ev |= SOCK_EV_READ | SOCK_EV_HUP;
	if (s->err)
		ev |= SOCK_EV_ERR | SOCK_EV_WRITE | SOCK_EV_READ;
	if (s->connected && s->tcp && !s->shut_wr &&
	    tcp_sndbuf(s->tcp) > 0 &&
	    tcp_sndqueuelen(s->tcp) < TCP_SND_QUEUELEN) {
		ev |= SOCK_EV_WRITE;
		if (!s->rx)
			*nbytes = tcp_sndbuf(s->tcp);
	}
	return ev;
}
