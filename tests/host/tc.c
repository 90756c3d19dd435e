/* The test client; see tc.h. */
#include "tc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Bound on every wait for the daemon, in ms: generous for ASan builds on
 * a loaded machine, short enough that a hang fails the suite. */
#define TC_WAIT_MS 30000

void tc_adopt(struct tc *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->max_frame = PROTO_FRAME_DEFAULT;
	c->next_id = 1;
	c->fd = fd;
}

int tc_connect(struct tc *c, const char *sock)
{
	struct sockaddr_un sa;

	tc_adopt(c, socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	if (c->fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

void tc_close(struct tc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->rx);
	c->rx = NULL;
	c->rx_cap = 0;
}

int tc_send_raw(struct tc *c, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len > 0) {
		ssize_t n = send(c->fd, b, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

int tc_send(struct tc *c, uint16_t op, uint32_t id, const struct proto_msg *m)
{
	const char *fmt = proto_format(op, false);
	int64_t plen = fmt ? proto_payload_len(fmt, m) : -1;

	if (plen < 0)
		return -1;
	size_t cap = PROTO_HDR_LEN + (size_t)plen;
	uint8_t *buf = malloc(cap);
	struct proto_hdr h = {0, op, 0, id, 0};

	if (buf == NULL)
		return -1;
	int64_t n = proto_encode(buf, cap, &h, m);
	int r = n < 0 ? -1 : tc_send_raw(c, buf, (size_t)n);

	free(buf);
	return r;
}

/* Exactly len bytes, waiting at most TC_WAIT_MS for each chunk. */
static int tc_read_exact(struct tc *c, uint8_t *p, size_t len)
{
	while (len > 0) {
		struct pollfd pfd = {c->fd, POLLIN, 0};
		int r = poll(&pfd, 1, TC_WAIT_MS);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ssize_t n = recv(c->fd, p, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int tc_recv(struct tc *c, struct proto_hdr *h, struct proto_msg *m)
{
	uint8_t hb[PROTO_HDR_LEN];

	if (tc_read_exact(c, hb, sizeof(hb)))
		return -1;
	/* The client accepts any frame up to the protocol's maximum; the
	 * suites check the negotiated limit separately. */
	if (proto_decode_hdr(hb, sizeof(hb), PROTO_FRAME_MAX, h) != PROTO_OK)
		return -1;
	if (!(h->flags & PROTO_F_RESPONSE))
		return -1;
	if (h->payload_len + 1 > c->rx_cap) {
		free(c->rx);
		c->rx_cap = h->payload_len + 1;
		c->rx = malloc(c->rx_cap);
		if (c->rx == NULL)
			return -1;
	}
	if (tc_read_exact(c, c->rx, h->payload_len))
		return -1;
	return proto_decode(h, c->rx, m) == PROTO_OK ? 0 : -1;
}

bool tc_wait_eof(struct tc *c)
{
	uint8_t b[4096];

	for (;;) {
		struct pollfd pfd = {c->fd, POLLIN, 0};
		int r = poll(&pfd, 1, TC_WAIT_MS);

		if (r <= 0)
			return false;
		ssize_t n = recv(c->fd, b, sizeof(b), 0);

		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0)
			return false;
	}
}

uint32_t tc_call(struct tc *c, uint16_t op, const struct proto_msg *in,
		 struct proto_msg *out)
{
	struct proto_msg tmp;
	struct proto_hdr h;
	uint32_t id = c->next_id++;

	if (out == NULL)
		out = &tmp;
	if (tc_send(c, op, id, in))
		return TC_NOREPLY;
	if (tc_recv(c, &h, out) || h.id != id || h.op != op)
		return TC_NOREPLY;
	return h.status;
}

struct proto_msg tc_msg(const uint64_t *v, size_t nv, const char *const *s,
			size_t ns)
{
	struct proto_msg m;

	memset(&m, 0, sizeof(m));
	for (size_t i = 0; i < nv && i < PROTO_MAX_VALS; i++)
		m.val[m.nval++] = v[i];
	for (size_t i = 0; i < ns && i < PROTO_MAX_STRS; i++) {
		m.str[m.nstr].p = (const uint8_t *)s[i];
		m.str[m.nstr].len = (uint32_t)strlen(s[i]);
		m.nstr++;
	}
	return m;
}

static void tc_copy_str(char *dst, size_t cap, struct proto_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;

	memcpy(dst, s.p, n);
	dst[n] = 0;
}

static int tc_parse_hello(struct tc *c, const struct proto_msg *m)
{
	struct proto_cur cur;

	c->max_frame = (uint32_t)m->val[2];
	c->realtime_ns = m->val[3];
	proto_cur_init(&cur, m->str[0].p, m->str[0].len);
	c->npre = proto_get_u32(&cur);
	if (c->npre > TC_MAX_PREOPENS)
		return -1;
	for (uint32_t i = 0; i < c->npre; i++) {
		struct proto_preopen p;

		if (!proto_get_preopen(&cur, &p))
			return -1;
		c->pre[i].handle = p.handle;
		c->pre[i].rb = p.rights_base;
		c->pre[i].ri = p.rights_inheriting;
		c->pre[i].ro = p.flags & PROTO_PREOPEN_RO;
		tc_copy_str(c->pre[i].path, sizeof(c->pre[i].path), p.path);
	}
	if (!proto_cur_done(&cur))
		return -1;
	for (int k = 1; k <= 2; k++) {
		char(*dst)[64] = k == 1 ? c->args : c->env;
		uint32_t *n = k == 1 ? &c->nargs : &c->nenv;

		proto_cur_init(&cur, m->str[k].p, m->str[k].len);
		*n = proto_get_u32(&cur);
		if (*n > 8)
			return -1;
		for (uint32_t i = 0; i < *n; i++)
			tc_copy_str(dst[i], 64, proto_get_str(&cur));
		if (!proto_cur_done(&cur))
			return -1;
	}
	return 0;
}

uint32_t tc_open_session(struct tc *c, const char *sock, uint32_t max_frame)
{
	struct proto_msg in = tc_msg(TC_V(PROTO_VERSION, 0, max_frame), TC_S0);
	struct proto_msg out;

	if (tc_connect(c, sock))
		return TC_NOREPLY;
	uint32_t st = tc_call(c, PROTO_OP_HELLO, &in, &out);

	if (st)
		return st;
	return tc_parse_hello(c, &out) ? TC_NOREPLY : 0;
}

uint32_t tc_openat(struct tc *c, uint32_t dir, uint32_t lookup,
		   const char *path, uint32_t oflags, uint64_t rb,
		   uint32_t fdflags, uint32_t *h)
{
	struct proto_msg in =
	    tc_msg(TC_V(dir, lookup, oflags, rb, 0, fdflags), TC_S(path));
	struct proto_msg out;

	/* tc_msg puts strings after numbers in their own array, so the
	 * wire order comes from the format; the path is str[0]. */
	uint32_t st = tc_call(c, PROTO_OP_OPEN, &in, &out);

	if (st == 0 && h)
		*h = (uint32_t)out.val[0];
	return st;
}

uint32_t tc_close_h(struct tc *c, uint32_t h)
{
	struct proto_msg in = tc_msg(TC_V(h), TC_S0);

	return tc_call(c, PROTO_OP_CLOSE, &in, NULL);
}

uint32_t tc_write_all(struct tc *c, uint32_t h, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t chunk = proto_io_max(c->max_frame);

	while (len > 0) {
		uint32_t n = len < chunk ? (uint32_t)len : chunk;
		struct proto_msg in = tc_msg(TC_V(h), TC_S0), out;

		in.str[0].p = p;
		in.str[0].len = n;
		in.nstr = 1;
		uint32_t st = tc_call(c, PROTO_OP_WRITE, &in, &out);

		if (st)
			return st;
		if (out.val[0] == 0 || out.val[0] > n)
			return PROTO_WASI_EIO;
		p += out.val[0];
		len -= out.val[0];
	}
	return 0;
}

uint32_t tc_read_all(struct tc *c, uint32_t h, void *buf, size_t len,
		     size_t *got)
{
	uint8_t *p = buf;
	uint32_t chunk = proto_io_max(c->max_frame);

	*got = 0;
	while (*got < len) {
		size_t want = len - *got < chunk ? len - *got : chunk;
		struct proto_msg in = tc_msg(TC_V(h, want), TC_S0), out;
		uint32_t st = tc_call(c, PROTO_OP_READ, &in, &out);

		if (st)
			return st;
		if (out.str[0].len > want)
			return PROTO_WASI_EIO;
		if (out.str[0].len == 0)
			break;
		memcpy(p + *got, out.str[0].p, out.str[0].len);
		*got += out.str[0].len;
	}
	return 0;
}

uint32_t tc_pread(struct tc *c, uint32_t h, uint64_t off, void *buf,
		  uint32_t len, uint32_t *got)
{
	struct proto_msg in = tc_msg(TC_V(h, off, len), TC_S0), out;
	uint32_t st = tc_call(c, PROTO_OP_PREAD, &in, &out);

	*got = 0;
	if (st)
		return st;
	if (out.str[0].len > len)
		return PROTO_WASI_EIO;
	memcpy(buf, out.str[0].p, out.str[0].len);
	*got = out.str[0].len;
	return 0;
}

uint32_t tc_path1(struct tc *c, uint16_t op, uint32_t dir, const char *path)
{
	struct proto_msg in = tc_msg(TC_V(dir), TC_S(path));

	return tc_call(c, op, &in, NULL);
}

uint32_t tc_stat(struct tc *c, uint32_t dir, uint32_t lookup, const char *path,
		 struct proto_msg *st)
{
	struct proto_msg in = tc_msg(TC_V(dir, lookup), TC_S(path));

	return tc_call(c, PROTO_OP_PATH_FILESTAT_GET, &in, st);
}

uint32_t tc_fstat(struct tc *c, uint32_t h, struct proto_msg *st)
{
	struct proto_msg in = tc_msg(TC_V(h), TC_S0);

	return tc_call(c, PROTO_OP_FILESTAT_GET, &in, st);
}

uint32_t tc_rename(struct tc *c, uint32_t d1, const char *p1, uint32_t d2,
		   const char *p2)
{
	struct proto_msg in = tc_msg(TC_V(d1, d2), TC_S(p1, p2));

	return tc_call(c, PROTO_OP_PATH_RENAME, &in, NULL);
}

uint32_t tc_link(struct tc *c, uint32_t d1, uint32_t lookup, const char *p1,
		 uint32_t d2, const char *p2)
{
	struct proto_msg in = tc_msg(TC_V(d1, lookup, d2), TC_S(p1, p2));

	return tc_call(c, PROTO_OP_PATH_LINK, &in, NULL);
}

uint32_t tc_symlink(struct tc *c, const char *target, uint32_t dir,
		    const char *path)
{
	struct proto_msg in = tc_msg(TC_V(dir), TC_S(target, path));

	return tc_call(c, PROTO_OP_PATH_SYMLINK, &in, NULL);
}

uint32_t tc_readlink(struct tc *c, uint32_t dir, const char *path, char *buf,
		     uint32_t cap)
{
	struct proto_msg in = tc_msg(TC_V(dir, cap - 1), TC_S(path)), out;
	uint32_t st = tc_call(c, PROTO_OP_PATH_READLINK, &in, &out);

	buf[0] = 0;
	if (st)
		return st;
	if (out.str[0].len > cap - 1)
		return PROTO_WASI_EIO;
	memcpy(buf, out.str[0].p, out.str[0].len);
	buf[out.str[0].len] = 0;
	return 0;
}

uint32_t tc_slurp(struct tc *c, uint32_t dir, const char *path, char *buf,
		  size_t cap, size_t *len)
{
	uint32_t h, st = tc_openat(c, dir, PROTO_LOOKUP_SYMLINK_FOLLOW, path, 0,
				   PROTO_R_FD_READ, 0, &h);

	*len = 0;
	if (st)
		return st;
	st = tc_read_all(c, h, buf, cap, len);
	tc_close_h(c, h);
	return st;
}
