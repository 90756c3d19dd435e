/*
 * sock_host.c - the net=host socket backend: each socket is a handle on
 * mewz-host, every op one SOCK_* request through the hostcall client
 * (proto/PROTOCOL.md, "Sockets").  The host never blocks a request except
 * SOCK_POLL, which it answers when a socket is ready or the timeout ends;
 * so waiting costs the guest nothing (its CPU halts in the transport).
 */
#include <errno.h>

#include <mewz/plat.h>

#include "hostcall.h"
#include "sock_backend.h"
#include "wasi.h"

/* The data one request may carry, leaving room for an address. */
static uint32_t io_cap(void)
{
	return hostcall_io_max() - 64;
}

static void *sk_of(uint64_t h)
{
	return (void *)(uintptr_t)h;
}

static uint64_t h_of(void *sk)
{
	return (uint64_t)(uintptr_t)sk;
}

static void addr_to_proto(const struct sock_addr *a, struct proto_addr *p)
{
	p->family = a->family;
	p->port = a->port;
	memcpy(p->addr, a->addr, 16);
	p->scope_id = a->scope_id;
}

static int addr_from_str(const struct proto_str *s, struct sock_addr *a)
{
	struct proto_addr p;

	if (!proto_addr_get(s->p, s->len, &p))
		return -EIO;
	a->family = p.family;
	a->port = p.port;
	memcpy(a->addr, p.addr, 16);
	a->scope_id = p.scope_id;
	return 0;
}

static int call_h(uint16_t op, void *sk, uint64_t v1, uint64_t v2, int nval,
		  struct proto_msg *resp)
{
	struct proto_msg req = {.val = {h_of(sk), v1, v2},
				.nval = (uint8_t)nval};

	return hostcall_call(op, &req, resp);
}

static int hs_open(uint8_t family, uint8_t type, void **sk)
{
	struct proto_msg req = {.val = {family, type}, .nval = 2}, resp;
	int rc = hostcall_call(PROTO_OP_SOCK_OPEN, &req, &resp);

	if (rc < 0)
		return rc;
	*sk = sk_of(resp.val[0]);
	return 0;
}

static int call_addr(uint16_t op, void *sk, const struct sock_addr *a)
{
	uint8_t buf[PROTO_ADDR_MAX];
	struct proto_addr p;
	struct proto_msg req = {.val = {h_of(sk)}, .nval = 1, .nstr = 1};

	addr_to_proto(a, &p);
	req.str[0].p = buf;
	req.str[0].len = proto_addr_put(buf, &p);
	if (req.str[0].len == 0)
		return -EAFNOSUPPORT;
	return hostcall_call(op, &req, NULL);
}

static int hs_bind(void *sk, const struct sock_addr *a)
{
	return call_addr(PROTO_OP_SOCK_BIND, sk, a);
}

static int hs_connect(void *sk, const struct sock_addr *a)
{
	return call_addr(PROTO_OP_SOCK_CONNECT, sk, a);
}

static int hs_listen(void *sk, uint32_t backlog)
{
	return call_h(PROTO_OP_SOCK_LISTEN, sk, backlog, 0, 2, NULL);
}

static int hs_accept(void *sk, void **nsk)
{
	struct proto_msg resp;
	int rc = call_h(PROTO_OP_SOCK_ACCEPT, sk, 0, 0, 1, &resp);

	if (rc < 0)
		return rc;
	*nsk = sk_of(resp.val[0]);
	return 0;
}

static long hs_recv(void *sk, const struct wasi_iov *iov, size_t n,
		    uint32_t flags, struct sock_addr *from, uint32_t *oflags)
{
	uint64_t want = 0;
	struct proto_msg resp;
	size_t i, done = 0;

	want = wasi_iov_total(iov, n);
	if (want > io_cap())
		want = io_cap();
	int rc = call_h(PROTO_OP_SOCK_RECV, sk, want, flags & SOCK_RECV_PEEK, 3,
			&resp);

	if (rc < 0)
		return rc;
	const uint8_t *p = resp.str[0].p;
	size_t len = resp.str[0].len;

	if (len > want)
		return -EIO;
	for (i = 0; i < n && done < len; i++) {
		size_t k = iov[i].len < len - done ? iov[i].len : len - done;

		memcpy(iov[i].base, p + done, k);
		done += k;
	}
	*oflags = resp.val[0] ? SOCK_RECV_TRUNCATED : 0;
	if (from && resp.str[1].len && addr_from_str(&resp.str[1], from))
		return -EIO;
	return (long)len;
}

/*
 * The data of one SOCK_SEND: a single buffer as it is (the encoder
 * copies it into the frame), several gathered into the hostcall
 * scratch buffer first, so a datagram leaves whole in one request.
 */
static int send_data(const struct wasi_iov *iov, size_t n, struct proto_str *d)
{
	size_t len = 0, cap = io_cap();
	uint8_t *g;

	if (n == 1) {
		d->p = iov[0].base;
		d->len = (uint32_t)(iov[0].len < cap ? iov[0].len : cap);
		return 0;
	}
	if ((g = hostcall_scratch()) == NULL)
		return -EIO;
	for (size_t i = 0; i < n && len < cap; i++) {
		size_t k = iov[i].len < cap - len ? iov[i].len : cap - len;

		memcpy(g + len, iov[i].base, k);
		len += k;
	}
	d->p = g;
	d->len = (uint32_t)len;
	return 0;
}

static long hs_send(void *sk, const struct wasi_iov *iov, size_t n,
		    const struct sock_addr *to)
{
	uint8_t abuf[PROTO_ADDR_MAX];
	struct proto_msg req = {.val = {h_of(sk)}, .nval = 1, .nstr = 2}, resp;
	struct proto_addr p;
	int err = send_data(iov, n, &req.str[0]);

	if (err < 0)
		return err;
	req.str[1].p = abuf;
	if (to) {
		addr_to_proto(to, &p);
		req.str[1].len = proto_addr_put(abuf, &p);
	}
	int rc = hostcall_call(PROTO_OP_SOCK_SEND, &req, &resp);

	return rc < 0 ? rc : (long)resp.val[0];
}

static int hs_shutdown(void *sk, uint32_t how)
{
	return call_h(PROTO_OP_SOCK_SHUTDOWN, sk, how, 0, 2, NULL);
}

static int get_addr(void *sk, int peer, struct sock_addr *a)
{
	struct proto_msg resp;
	int rc = call_h(PROTO_OP_SOCK_ADDR, sk, (uint64_t)peer, 0, 2, &resp);

	return rc < 0 ? rc : addr_from_str(&resp.str[0], a);
}

static int hs_getlocaladdr(void *sk, struct sock_addr *a)
{
	return get_addr(sk, 0, a);
}

static int hs_getpeeraddr(void *sk, struct sock_addr *a)
{
	return get_addr(sk, 1, a);
}

/* enum sock_opt and the wire's PROTO_SOCKOPT_* share their numbers. */
static int hs_setsockopt(void *sk, enum sock_opt opt, int32_t v)
{
	return call_h(PROTO_OP_SOCK_SETOPT, sk, (uint64_t)opt, (uint32_t)v, 3,
		      NULL);
}

static int hs_getsockopt(void *sk, enum sock_opt opt, int32_t *v)
{
	struct proto_msg resp;
	int rc = call_h(PROTO_OP_SOCK_GETOPT, sk, (uint64_t)opt, 0, 2, &resp);

	if (rc < 0)
		return rc;
	*v = (int32_t)(uint32_t)resp.val[0];
	if (opt == SOCK_OPT_ERROR && *v)
		*v = -hostcall_errno((uint16_t)*v); /* a positive errno */
	return 0;
}

static int hs_getaddrinfo(const char *node, size_t node_len,
			  const char *service, size_t service_len,
			  const struct sock_ai *hints, struct sock_ai *res,
			  size_t max, size_t *n)
{
	struct proto_msg req = {.nval = 3, .nstr = 2}, resp;
	struct proto_cur c;
	uint32_t count;

	req.str[0].p = (const uint8_t *)node;
	req.str[0].len = (uint32_t)node_len;
	req.str[1].p = (const uint8_t *)service;
	req.str[1].len = (uint32_t)service_len;
	req.val[0] = hints ? hints->addr.family : 0;
	req.val[1] = hints ? hints->socktype : 0;
	req.val[2] = max;
	int rc = hostcall_call(PROTO_OP_SOCK_GETADDRINFO, &req, &resp);

	if (rc < 0)
		return rc;
	proto_cur_init(&c, resp.str[0].p, resp.str[0].len);
	count = proto_get_u32(&c);
	*n = 0;
	for (uint32_t i = 0; i < count && !c.bad; i++) {
		uint8_t type = proto_get_u8(&c), proto = proto_get_u8(&c);
		struct proto_str a = proto_get_str(&c);

		if (c.bad || *n >= max)
			break;
		memset(&res[*n], 0, sizeof(res[*n]));
		if (addr_from_str(&a, &res[*n].addr))
			return -EIO;
		res[*n].socktype = type;
		res[*n].protocol = proto;
		(*n)++;
	}
	return c.bad ? -EIO : 0;
}

static int hs_close(void *sk)
{
	return call_h(PROTO_OP_SOCK_CLOSE, sk, 0, 0, 1, NULL);
}

static uint8_t poll_buf[PROTO_POLL_MAX * 5];

/*
 * One SOCK_POLL waits at most this long; a longer wait is several.  The
 * VM's link takes a host silent for 30 s for dead (plat/kvm/hostlink.c),
 * and a held poll must not look like that.
 */
#define POLL_SLICE_NS 5000000000ull

static int poll_once(struct sock_wait *w, size_t n, uint64_t deadline);

static int hs_poll(struct sock_wait *w, size_t n, uint64_t deadline)
{
	for (;;) {
		uint64_t now = mewz_plat_monotonic_ns();
		uint64_t slice = deadline - now > POLL_SLICE_NS
				     ? now + POLL_SLICE_NS
				     : deadline;
		int rc = poll_once(w, n, deadline <= now ? 0 : slice);

		if (rc != 0 || deadline <= mewz_plat_monotonic_ns())
			return rc;
	}
}

static int poll_once(struct sock_wait *w, size_t n, uint64_t deadline)
{
	struct proto_msg req = {.nval = 1, .nstr = 1}, resp;
	uint64_t now = mewz_plat_monotonic_ns();
	int ready = 0;

	if (n > PROTO_POLL_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		proto_st32(poll_buf + i * 5, (uint32_t)h_of(w[i].sk));
		poll_buf[i * 5 + 4] = (uint8_t)w[i].events;
	}
	req.val[0] = deadline == UINT64_MAX ? UINT64_MAX
		     : deadline <= now	    ? 0
					    : deadline - now;
	req.str[0].p = poll_buf;
	req.str[0].len = (uint32_t)(n * 5);
	int rc = hostcall_call(PROTO_OP_SOCK_POLL, &req, &resp);

	if (rc < 0)
		return rc;
	if (resp.str[0].len != n * 5)
		return -EIO;
	for (size_t i = 0; i < n; i++) {
		w[i].revents = resp.str[0].p[i * 5];
		w[i].nbytes = proto_ld32(resp.str[0].p + i * 5 + 1);
		ready += w[i].revents != 0;
	}
	return ready;
}

const struct sock_backend sock_host_backend = {
    .name = "host",
    .open = hs_open,
    .bind = hs_bind,
    .listen = hs_listen,
    .connect = hs_connect,
    .accept = hs_accept,
    .recv = hs_recv,
    .send = hs_send,
    .shutdown = hs_shutdown,
    .getlocaladdr = hs_getlocaladdr,
    .getpeeraddr = hs_getpeeraddr,
    .setsockopt = hs_setsockopt,
    .getsockopt = hs_getsockopt,
    .getaddrinfo = hs_getaddrinfo,
    .close = hs_close,
    .poll = hs_poll,
};
