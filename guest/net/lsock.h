/*
 * lsock.h - one socket of the lwIP backend, shared by backend.c (the
 * sock_backend ops and poll), tcp.c, udp.c, addr.c and dns.c.
 *
 * Data the program has not read stays in the socket's queue, and TCP's
 * window opens (tcp_recved) only as recv consumes it: the peer can never
 * have more than TCP_WND bytes outstanding per connection, whatever the
 * program's pace.
 */
#ifndef MEWZ_NET_LSOCK_H
#define MEWZ_NET_LSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "wasi/sock_backend.h"

struct tcp_pcb;
struct udp_pcb;
struct wasi_iov;

#define LSOCK_ACCEPTQ 128 /* pending connections per listener, at most */
#define LSOCK_UDPQ    64  /* queued datagrams per UDP socket */

struct lsock_dgram {
	struct pbuf *p;
	ip_addr_t from;
	uint16_t port;
};

struct lsock {
	uint8_t family, type;
	struct tcp_pcb *tcp; /* NULL once lwIP has freed it (error, close) */
	struct udp_pcb *udp;
	int err;	 /* pending error, positive errno (SOCK_OPT_ERROR) */
	int listening;
	int connecting;	 /* connect under way */
	int connected;
	int rx_eof;	 /* the peer's FIN has been queued after the data */
	int shut_rd, shut_wr;
	int linger_s;
	/* bound to 127.0.0.1 or ::1 (served on every interface, backend.c):
	 * getlocaladdr reports this address, as the program asked */
	int bound_loopback;
	struct sock_addr bound;
	/* TCP: received, not yet read (tot_len <= TCP_WND: fits u16). */
	struct pbuf *rx;
	/* listener: connections accepted by lwIP, not yet by the program */
	struct lsock *acceptq[LSOCK_ACCEPTQ];
	unsigned aq_head, aq_len, backlog;
	/* UDP: received datagrams */
	struct lsock_dgram dq[LSOCK_UDPQ];
	unsigned dq_head, dq_len;
};

/* addr.c: sock_addr <-> lwIP addresses.  A v4-mapped IPv6 address is an
 * IPv4 address to lwIP; an IPv4 peer of an IPv6 socket comes back mapped. */
int lsock_addr_to_ip(const struct sock_addr *a, ip_addr_t *ip);
void lsock_addr_from_ip(struct sock_addr *a, uint8_t family,
			const ip_addr_t *ip, uint16_t port);
/* Errno for an lwIP err_t (positive). */
int lsock_errno(int8_t err);
/* Copy up to len bytes of p from offset off into the iovecs. */
size_t lsock_copy_out(struct pbuf *p, size_t off, const struct wasi_iov *iov,
		      size_t n);

/* tcp.c */
int lsock_tcp_open(struct lsock *s);
int lsock_tcp_bind(struct lsock *s, const ip_addr_t *ip, uint16_t port);
int lsock_tcp_listen(struct lsock *s, uint32_t backlog);
int lsock_tcp_connect(struct lsock *s, const ip_addr_t *ip, uint16_t port);
int lsock_tcp_accept(struct lsock *s, struct lsock **ns);
long lsock_tcp_recv(struct lsock *s, const struct wasi_iov *iov, size_t n,
		    uint32_t flags);
long lsock_tcp_send(struct lsock *s, const struct wasi_iov *iov, size_t n);
int lsock_tcp_shutdown(struct lsock *s, uint32_t how);
void lsock_tcp_close(struct lsock *s);
uint32_t lsock_tcp_events(struct lsock *s, uint64_t *nbytes);

/* udp.c */
int lsock_udp_open(struct lsock *s);
int lsock_udp_bind(struct lsock *s, const ip_addr_t *ip, uint16_t port);
int lsock_udp_connect(struct lsock *s, const ip_addr_t *ip, uint16_t port);
long lsock_udp_recv(struct lsock *s, const struct wasi_iov *iov, size_t n,
		    uint32_t flags, struct sock_addr *from, uint32_t *oflags);
long lsock_udp_send(struct lsock *s, const struct wasi_iov *iov, size_t n,
		    const struct sock_addr *to);
void lsock_udp_close(struct lsock *s);
uint32_t lsock_udp_events(struct lsock *s, uint64_t *nbytes);

/* dns.c */
int lsock_getaddrinfo(const char *node, size_t node_len, const char *service,
		      size_t service_len, const struct sock_ai *hints,
		      struct sock_ai *res, size_t max, size_t *n);

#endif /* MEWZ_NET_LSOCK_H */
