/*
 * sock_backend.h - the contract between the socket imports (sock*.c, which
 * speak WasmEdge's and WASI's ABI) and one socket implementation:
 * mewz-host over the hostcall protocol (net=host, sock_host.c) or the
 * in-guest TCP/IP stack (net=lwip).
 *
 * Every backend op is NON-BLOCKING: where the operation cannot complete
 * now it returns -EAGAIN (recv, send, accept) or -EINPROGRESS (connect).
 * Blocking fds are built on top by sock.c: it retries after poll() says
 * the socket is ready.  So a backend never needs a notion of "blocking
 * mode", and fd_fdstat_set_flags(NONBLOCK) never reaches it.
 *
 * Errors are negative <errno.h> values (sock.c converts them once, at the
 * ABI edge).  Addresses are always struct sock_addr (family 4 or 6, port in
 * host order); the ABI's layouts never reach a backend.
 *
 * A socket is an opaque pointer the backend gives out in open/accept and
 * takes back in close.  The runtime is single-threaded; nothing here is
 * called from interrupt context.
 */
#ifndef MEWZ_SOCK_BACKEND_H
#define MEWZ_SOCK_BACKEND_H

#include <stddef.h>
#include <stdint.h>

struct wasi_iov;

/* Address families as WasmEdge's getlocaladdr reports them: 4 or 6. */
#define SOCK_FAMILY_INET4 4u
#define SOCK_FAMILY_INET6 6u

/* Socket types, with WasmEdge's sock_open values. */
#define SOCK_TYPE_DGRAM	 1u
#define SOCK_TYPE_STREAM 2u

struct sock_addr {
	uint8_t family;	   /* SOCK_FAMILY_INET4 or _INET6 */
	uint16_t port;	   /* host byte order */
	uint8_t addr[16];  /* network order; IPv4 uses the first 4 bytes */
	uint32_t scope_id; /* IPv6 scope, 0 otherwise */
};

/* recv flags (the WASI riflags) and result flags (roflags). */
#define SOCK_RECV_PEEK	    0x1u
#define SOCK_RECV_WAITALL   0x2u /* handled by sock.c; backends ignore it */
#define SOCK_RECV_TRUNCATED 0x1u /* a datagram was longer than the buffers */

/* shutdown how, as WASI sdflags: 1 read, 2 write, 3 both. */
#define SOCK_SHUT_RD 0x1u
#define SOCK_SHUT_WR 0x2u

/*
 * Socket options a backend knows; sock.c maps WasmEdge's (level, name)
 * pairs onto these and refuses the rest with ENOPROTOOPT.  Values are
 * plain ints (booleans 0/1, sizes in bytes, times in microseconds).
 */
enum sock_opt {
	SOCK_OPT_REUSEADDR = 1,
	SOCK_OPT_TYPE,	/* get only: SOCK_TYPE_* */
	SOCK_OPT_ERROR, /* get only: pending error as a positive errno, then
			   cleared */
	SOCK_OPT_BROADCAST,
	SOCK_OPT_SNDBUF,
	SOCK_OPT_RCVBUF,
	SOCK_OPT_KEEPALIVE,
	SOCK_OPT_LINGER,     /* seconds, -1 = off */
	SOCK_OPT_ACCEPTCONN, /* get only */
	SOCK_OPT_NODELAY,    /* TCP_NODELAY */
};

/* Readiness, for poll. */
#define SOCK_EV_READ  0x1u /* data, a datagram, a pending connection, EOF */
#define SOCK_EV_WRITE 0x2u /* send would accept bytes; a connect finished */
#define SOCK_EV_HUP   0x4u /* the peer closed (reads give EOF after data) */
#define SOCK_EV_ERR   0x8u /* an error is pending (SOCK_OPT_ERROR) */

struct sock_wait {
	void *sk;
	uint32_t
	    events; /* SOCK_EV_READ and/or SOCK_EV_WRITE, from the caller */
	uint32_t revents; /* set by poll: any SOCK_EV_* now true */
	uint64_t nbytes;  /* bytes readable / writable if known, else 0 */
};

/* One getaddrinfo answer. */
struct sock_ai {
	struct sock_addr addr;
	uint8_t socktype; /* SOCK_TYPE_*, 0 = any */
	uint8_t protocol; /* 0, 6 (TCP) or 17 (UDP) */
	uint16_t flags;	  /* hints only: WasmEdge ai_flags, passed through */
};

struct sock_backend {
	const char *name;
	/* family SOCK_FAMILY_*, type SOCK_TYPE_*: a new unbound socket. */
	int (*open)(uint8_t family, uint8_t type, void **sk);
	int (*bind)(void *sk, const struct sock_addr *a);
	int (*listen)(void *sk, uint32_t backlog);
	/*
	 * 0 if connected at once, -EINPROGRESS if under way (then poll gives
	 * SOCK_EV_WRITE when it ends and SOCK_OPT_ERROR says how), or an
	 * error.  For datagram sockets it sets the default destination.
	 */
	int (*connect)(void *sk, const struct sock_addr *a);
	/* A new connected socket, or -EAGAIN when none is pending. */
	int (*accept)(void *sk, void **nsk);
	/*
	 * Bytes received into the iovecs (0 = orderly EOF on a stream), or
	 * -EAGAIN.  from (may be NULL) gets a datagram's source; *oflags gets
	 * SOCK_RECV_TRUNCATED when a datagram did not fit.
	 */
	long (*recv)(void *sk, const struct wasi_iov *iov, size_t n,
		     uint32_t flags, struct sock_addr *from, uint32_t *oflags);
	/*
	 * Bytes accepted for sending (a short count is fine), or -EAGAIN.
	 * to is NULL on connected sockets; a datagram is sent whole or not.
	 */
	long (*send)(void *sk, const struct wasi_iov *iov, size_t n,
		     const struct sock_addr *to);
	int (*shutdown)(void *sk, uint32_t how);
	int (*getlocaladdr)(void *sk, struct sock_addr *a);
	int (*getpeeraddr)(void *sk, struct sock_addr *a);
	int (*setsockopt)(void *sk, enum sock_opt opt, int32_t value);
	int (*getsockopt)(void *sk, enum sock_opt opt, int32_t *value);
	/*
	 * Resolve node (and service, a port number or name; either may be
	 * empty) under hints: up to max answers into res, count in *n.  May
	 * block (it is the one op that may).  Plain errnos: -ENOENT for "no
	 * such name", -EIO for a resolver failure.
	 */
	int (*getaddrinfo)(const char *node, size_t node_len,
			   const char *service, size_t service_len,
			   const struct sock_ai *hints, struct sock_ai *res,
			   size_t max, size_t *n);
	/* Release the socket; sk is invalid afterwards even on error. */
	int (*close)(void *sk);
	/*
	 * Set revents of each entry, and return how many have any.  When none
	 * is ready, wait (halting the CPU through mewz_plat_block_until, or
	 * blocking on the host) until one is or the monotonic clock reaches
	 * deadline_ns; 0 checks without waiting, UINT64_MAX waits forever.
	 * Returning 0 means the deadline passed.  n may be 0 (then it only
	 * sleeps until the deadline).
	 */
	int (*poll)(struct sock_wait *w, size_t n, uint64_t deadline_ns);
};

/*
 * The backend sockets use; NULL until the platform picks one (then every
 * socket call is ENOTSUP).  The platform calls sock_backend_set once at
 * boot, after hostcall_start for net=host or the stack's init for lwip.
 */
void sock_backend_set(const struct sock_backend *b);
const struct sock_backend *sock_backend_get(void);

/* The net=host backend (sock_host.c), over the hostcall client. */
extern const struct sock_backend sock_host_backend;

#endif /* MEWZ_SOCK_BACKEND_H */
