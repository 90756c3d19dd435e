/*
 * sock_we: WasmEdge's socket extension called exactly as programs built
 * for WasmEdge call it.  The structs and constants below are written
 * from WasmEdge's own source (thirdparty/wasi/api.hpp, lib/host/wasi/
 * wasifunc.cpp, inode-linux.cpp, environ.h; lib/executor/instantiate/
 * import.cpp for V1/V2) and the wasmedge_wasi_socket crate
 * (src/socket.rs), not from examples/wasmedge_sock.h, so the two are
 * checked against each other.  Every import is used: the V1 names, the
 * V2 forms reached through the plain name by signature, and the "_v2"
 * names.  One line per case ("ok NAME" / "FAIL NAME: why"), exit status
 * the number of failures.  Needs loopback (127.0.0.1 and ::1) only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#define IMP(name)                                                              \
	__attribute__((import_module("wasi_snapshot_preview1"),                \
		       import_name(#name)))

/* __wasi_address_t */
struct waddr {
	uint8_t *buf;
	uint32_t buf_len;
};
/* __wasi_sockaddr_t: family is a u8 enum */
struct wsockaddr {
	uint8_t sa_family;
	uint32_t sa_data_len;
	uint8_t *sa_data;
};
/* __wasi_addrinfo_t, 28 bytes */
struct waddrinfo {
	uint16_t ai_flags;
	uint8_t ai_family;
	uint8_t ai_socktype;
	uint8_t ai_protocol;
	uint32_t ai_addrlen;
	struct wsockaddr *ai_addr;
	char *ai_canonname;
	uint32_t ai_canonname_len;
	struct waddrinfo *ai_next;
};
_Static_assert(sizeof(struct waddrinfo) == 28, "addrinfo layout");
_Static_assert(sizeof(struct wsockaddr) == 12, "sockaddr layout");

struct wiov {
	void *buf;
	uint32_t len;
};

/* V1: the plain names with their pre-0.12 signatures. */
uint32_t s_open(uint32_t af, uint32_t type, uint32_t *fd) IMP(sock_open);
uint32_t s_bind(uint32_t fd, struct waddr *a, uint32_t port) IMP(sock_bind);
uint32_t s_connect(uint32_t fd, struct waddr *a, uint32_t port)
    IMP(sock_connect);
uint32_t s_listen(uint32_t fd, uint32_t backlog) IMP(sock_listen);
uint32_t s_accept(uint32_t fd, uint32_t *nfd) IMP(sock_accept);
uint32_t s_recv(uint32_t fd, struct wiov *iov, uint32_t n, uint32_t flags,
		uint32_t *len, uint16_t *oflags) IMP(sock_recv);
uint32_t s_recv_from(uint32_t fd, struct wiov *iov, uint32_t n, struct waddr *a,
		     uint32_t flags, uint32_t *len, uint16_t *oflags)
    IMP(sock_recv_from);
uint32_t s_send(uint32_t fd, const struct wiov *iov, uint32_t n, uint32_t flags,
		uint32_t *len) IMP(sock_send);
uint32_t s_send_to(uint32_t fd, const struct wiov *iov, uint32_t n,
		   struct waddr *a, uint32_t port, uint32_t flags,
		   uint32_t *len) IMP(sock_send_to);
uint32_t s_shutdown(uint32_t fd, uint32_t how) IMP(sock_shutdown);
uint32_t s_getlocaladdr(uint32_t fd, struct waddr *a, uint32_t *type,
			uint32_t *port) IMP(sock_getlocaladdr);
uint32_t s_getpeeraddr(uint32_t fd, struct waddr *a, uint32_t *type,
		       uint32_t *port) IMP(sock_getpeeraddr);
uint32_t s_setsockopt(uint32_t fd, uint32_t level, uint32_t name, const void *v,
		      uint32_t len) IMP(sock_setsockopt);
uint32_t s_getsockopt(uint32_t fd, uint32_t level, uint32_t name, void *v,
		      uint32_t *len) IMP(sock_getsockopt);
uint32_t s_getaddrinfo(const char *node, uint32_t node_len, const char *svc,
		       uint32_t svc_len, const struct waddrinfo *hints,
		       uint32_t *res, uint32_t max, uint32_t *res_len)
    IMP(sock_getaddrinfo);

/* V2 through the plain name: WasmEdge picks X_v2 by the signature. */
uint32_t s_accept3(uint32_t fd, uint32_t flags, uint32_t *nfd) IMP(sock_accept);
uint32_t s_recv_from8(uint32_t fd, struct wiov *iov, uint32_t n,
		      struct waddr *a, uint32_t flags, uint16_t *port,
		      uint32_t *len, uint16_t *oflags) IMP(sock_recv_from);
uint32_t s_getlocaladdr3(uint32_t fd, struct waddr *a, uint32_t *port)
    IMP(sock_getlocaladdr);
uint32_t s_getpeeraddr3(uint32_t fd, struct waddr *a, uint32_t *port)
    IMP(sock_getpeeraddr);

/* The "_v2" names themselves. */
uint32_t s_open_v2(uint32_t af, uint32_t type, uint32_t *fd) IMP(sock_open_v2);
uint32_t s_bind_v2(uint32_t fd, struct waddr *a, uint32_t port)
    IMP(sock_bind_v2);
uint32_t s_connect_v2(uint32_t fd, struct waddr *a, uint32_t port)
    IMP(sock_connect_v2);
uint32_t s_listen_v2(uint32_t fd, uint32_t backlog) IMP(sock_listen_v2);
uint32_t s_accept_v2(uint32_t fd, uint32_t flags, uint32_t *nfd)
    IMP(sock_accept_v2);
uint32_t s_recv_v2(uint32_t fd, struct wiov *iov, uint32_t n, uint32_t flags,
		   uint32_t *len, uint16_t *oflags) IMP(sock_recv_v2);
uint32_t s_recv_from_v2(uint32_t fd, struct wiov *iov, uint32_t n,
			struct waddr *a, uint32_t flags, uint16_t *port,
			uint32_t *len, uint16_t *oflags) IMP(sock_recv_from_v2);
uint32_t s_send_v2(uint32_t fd, const struct wiov *iov, uint32_t n,
		   uint32_t flags, uint32_t *len) IMP(sock_send_v2);
uint32_t s_send_to_v2(uint32_t fd, const struct wiov *iov, uint32_t n,
		      struct waddr *a, uint32_t port, uint32_t flags,
		      uint32_t *len) IMP(sock_send_to_v2);
uint32_t s_getlocaladdr_v2(uint32_t fd, struct waddr *a, uint32_t *port)
    IMP(sock_getlocaladdr_v2);
uint32_t s_getpeeraddr_v2(uint32_t fd, struct waddr *a, uint32_t *port)
    IMP(sock_getpeeraddr_v2);

/* __wasi_address_family_t, __wasi_sock_type_t, __wasi_protocol_t */
enum { AF_UNSPEC_ = 0, AF4 = 1, AF6 = 2, AF_UNIX_ = 3 };
enum { T_ANY = 0, T_DGRAM = 1, T_STREAM = 2 };
enum { P_IP = 0, P_TCP = 1, P_UDP = 2 };
/* __wasi_sock_opt_level_t, __wasi_sock_opt_so_t */
enum { SOL = 0 };
enum {
	SO_REUSEADDR_ = 0,
	SO_TYPE_ = 1,
	SO_ERROR_ = 2,
	SO_BROADCAST_ = 4,
	SO_RCVBUF_ = 6,
	SO_KEEPALIVE_ = 7,
	SO_LINGER_ = 9,
	SO_RCVTIMEO_ = 11,
	SO_SNDTIMEO_ = 12,
	SO_ACCEPTCONN_ = 13,
	SO_BINDTODEVICE_ = 14,
};
/* __wasi_aiflags_t bits and the errno extension */
enum { AI_PASSIVE_ = 1, AI_CANONNAME_ = 2 };
enum {
	EAI_BADFLAG_ = 79,
	EAI_FAMILY_ = 81,
	EAI_MEMORY_ = 82,
	EAI_NONAME_ = 84
};

static int failures;

static void check(int cond, const char *name)
{
	printf(cond ? "ok   %s\n" : "FAIL %s\n", name);
	failures += !cond;
}

static uint8_t lo4[4] = {127, 0, 0, 1};
static uint8_t lo6[16] = {[15] = 1};

/* A WasiAddrStorage: u16 family, then the address. */
static void storage(uint8_t st[128], uint16_t fam, const uint8_t *a, uint32_t n)
{
	memset(st, 0, 128);
	memcpy(st, &fam, 2);
	memcpy(st + 2, a, n);
}

static uint16_t u16_at(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- sock_open ----------------------------------------------------------- */

static void test_open(void)
{
	uint32_t fd = 77;

	check(s_open(AF_UNSPEC_, T_STREAM, &fd) == EINVAL,
	      "open: family unspec is EINVAL");
	check(s_open(AF_UNIX_, T_STREAM, &fd) == ENOSYS,
	      "open: AF_UNIX is ENOSYS (WasmEdge without --allow-af-unix)");
	check(s_open(AF4, T_ANY, &fd) == EINVAL, "open: type any is EINVAL");
	check(s_open_v2(AF6, 3, &fd) == EINVAL, "open_v2: type 3 is EINVAL");
	check(s_open(AF4, T_STREAM, (uint32_t *)0xfffffff0u) == EFAULT,
	      "open: fd pointer outside memory is EFAULT");
	check(fd == 77, "open: failures store no fd");
}

/* ---- TCP, IPv4 ----------------------------------------------------------- */

/* A listener on 127.0.0.1 (V1 bind, V2 listen): fd, port in *port. */
static int listener4(uint32_t *port)
{
	uint32_t fd, type = 0;
	uint8_t ab[4];
	struct waddr a = {lo4, 4}, q = {ab, 4};
	int32_t one = 1;

	if (s_open(AF4, T_STREAM, &fd))
		return -1;
	s_setsockopt(fd, SOL, SO_REUSEADDR_, &one, 4);
	if (s_bind(fd, &a, 0) || s_listen_v2(fd, 8))
		return -1;
	if (s_getlocaladdr(fd, &q, &type, port) || type != 4)
		return -1;
	return (int)fd;
}

static void test_tcp4(void)
{
	uint32_t port = 0, cfd, sfd, p2 = 0, p3 = 0, cport = 0, pport = 0,
		 type = 0, len = 0, lport = 0;
	int lfd = listener4(&port);
	uint8_t st[128], st2[128], ab[16], buf[32];
	struct waddr sa = {st, 128}, sa2 = {st2, 128}, a16 = {ab, 16};
	struct wiov out = {"hello", 5}, in = {buf, sizeof(buf)};
	uint16_t of = 0;

	check(lfd >= 0 && port != 0,
	      "tcp4: V1 bind 127.0.0.1:0, listen_v2, getlocaladdr V1 type 4");
	if (lfd < 0)
		return;
	memset(st, 0xee, sizeof(st));
	check(s_getlocaladdr_v2((uint32_t)lfd, &sa, &p2) == 0 &&
		  u16_at(st) == AF4 && !memcmp(st + 2, lo4, 4) && p2 == port,
	      "tcp4: getlocaladdr_v2 fills WasiAddrStorage {1, 127.0.0.1}");
	memset(st, 0, sizeof(st));
	check(s_getlocaladdr3((uint32_t)lfd, &sa, &p3) == 0 &&
		  u16_at(st) == AF4 && p3 == port,
	      "tcp4: 3-argument sock_getlocaladdr is V2");
	check(s_getlocaladdr((uint32_t)lfd, &sa, &type, &p2) == EINVAL,
	      "tcp4: getlocaladdr V1 refuses a 128-byte buffer");
	check(s_getlocaladdr_v2((uint32_t)lfd, &a16, &p2) == EINVAL,
	      "tcp4: getlocaladdr_v2 refuses a 16-byte buffer");

	/* connect_v2 with a WasiAddrStorage, accept V1 (fd, *fd). */
	storage(st, AF4, lo4, 4);
	check(s_open_v2(AF4, T_STREAM, &cfd) == 0 &&
		  s_connect_v2(cfd, &sa, port) == 0,
	      "tcp4: connect_v2 with WasiAddrStorage");
	check(s_accept((uint32_t)lfd, &sfd) == 0, "tcp4: accept V1 (fd, *fd)");
	check(s_getlocaladdr(cfd, &a16, &type, &cport) == 0 && type == 4 &&
		  s_getpeeraddr(sfd, &a16, &type, &pport) == 0 && type == 4 &&
		  pport == cport && !memcmp(ab, lo4, 4),
	      "tcp4: getpeeraddr V1 of the accepted fd is the client");
	memset(st2, 0, sizeof(st2));
	check(s_getpeeraddr_v2(cfd, &sa2, &lport) == 0 && u16_at(st2) == AF4 &&
		  lport == port && s_getpeeraddr3(cfd, &sa2, &lport) == 0 &&
		  lport == port,
	      "tcp4: getpeeraddr_v2 and the 3-argument form: the listener");

	/* Data both ways, V1 and V2 names. */
	check(s_send(cfd, &out, 1, 0, &len) == 0 && len == 5, "tcp4: send V1");
	check(s_recv(sfd, &in, 1, 0, &len, &of) == 0 && len == 5 &&
		  !memcmp(buf, "hello", 5) && of == 0,
	      "tcp4: recv V1");
	check(s_send_v2(sfd, &out, 1, 0, &len) == 0 && len == 5 &&
		  s_recv_v2(cfd, &in, 1, 0, &len, &of) == 0 && len == 5,
	      "tcp4: send_v2 / recv_v2");
	check(s_send(cfd, &out, 1, 1, &len) == EINVAL,
	      "tcp4: send with siflags 1 is EINVAL");
	check(s_recv(sfd, &in, 1, 4, &len, &of) == EINVAL,
	      "tcp4: recv with riflags 4 is EINVAL");
	check(s_recv(sfd, &in, 1025, 0, &len, &of) == EINVAL,
	      "tcp4: more than 1024 iovecs is EINVAL");

	/* MSG_WAITALL: two sends, one receive of both. */
	struct wiov w1 = {"ab", 2}, w2 = {"cd", 2}, in4 = {buf, 4};

	memset(buf, 0, sizeof(buf));
	s_send(cfd, &w1, 1, 0, &len);
	s_send(cfd, &w2, 1, 0, &len);
	check(s_recv(sfd, &in4, 1, 2, &len, &of) == 0 && len == 4 &&
		  !memcmp(buf, "abcd", 4),
	      "tcp4: recv WAITALL gathers both sends");

	/* recv_from on a stream: no source address (Linux: AF_UNSPEC). */
	memset(ab, 0xee, sizeof(ab));
	s_send(cfd, &out, 1, 0, &len);
	check(s_recv_from(sfd, &in, 1, &a16, 0, &len, &of) == 0 && len == 5 &&
		  ab[0] == 0xee,
	      "tcp4: recv_from V1 on a stream leaves the address alone");

	check(s_shutdown(cfd, 2) == 0 &&
		  s_recv(sfd, &in, 1, 0, &len, &of) == 0 && len == 0,
	      "tcp4: shutdown(WR) gives the peer EOF");
	check(s_shutdown(cfd, 4) == EINVAL, "tcp4: shutdown 4 is EINVAL");
	close((int)cfd);
	close((int)sfd);

	/* accept_v2 and the 3-argument sock_accept (WASI's). */
	uint32_t c2, c3, n2 = 0, n3 = 0;
	__wasi_fdstat_t fst;

	s_open(AF4, T_STREAM, &c2);
	s_connect(c2, &(struct waddr){lo4, 4}, port);
	check(s_accept_v2((uint32_t)lfd, 0x20, &n2) == EINVAL,
	      "accept_v2: fdflags 0x20 is EINVAL");
	check(s_accept_v2((uint32_t)lfd, 0x5, &n2) == 0 &&
		  __wasi_fd_fdstat_get(n2, &fst) == 0 &&
		  (fst.fs_flags & __WASI_FDFLAGS_NONBLOCK),
	      "accept_v2: APPEND|NONBLOCK taken, the new fd is non-blocking");
	s_open(AF4, T_STREAM, &c3);
	s_connect(c3, &(struct waddr){lo4, 4}, port);
	check(s_accept3((uint32_t)lfd, 0, &n3) == 0 && n3 != n2,
	      "accept: the 3-argument form (WASI's) is V2");
	close((int)c2);
	close((int)c3);
	close((int)n2);
	close((int)n3);

	/* V1 refuses the 128-byte form; EINVAL before anything else. */
	uint32_t fd;

	storage(st, AF4, lo4, 4);
	s_open(AF4, T_STREAM, &fd);
	check(s_bind(fd, &sa, 0) == EINVAL &&
		  s_connect(fd, &sa, port) == EINVAL,
	      "bind/connect V1 refuse a WasiAddrStorage");
	storage(st, AF_UNIX_, lo4, 4);
	check(s_bind_v2(fd, &sa, 0) == EAFNOSUPPORT,
	      "bind_v2: an AF_UNIX storage is EAFNOSUPPORT");
	check(s_bind(fd, &(struct waddr){lo6, 16}, 0) == EAFNOSUPPORT,
	      "bind: an IPv6 address on an IPv4 socket is EAFNOSUPPORT");
	close((int)fd);
	close(lfd);
}

/* ---- UDP ----------------------------------------------------------------- */

static void test_udp4(void)
{
	uint32_t r, s, rport = 0, sport = 0, type = 0, len = 0;
	uint8_t st[128], a16[16], buf[32];
	struct waddr sa = {st, 128}, la = {lo4, 4}, ra = {a16, 16};
	struct wiov out = {"dgram", 5}, in = {buf, sizeof(buf)};
	uint16_t of = 0, pbe = 0;
	int32_t v = 0;
	uint32_t vl = 4;

	storage(st, AF4, lo4, 4);
	check(s_open(AF4, T_DGRAM, &r) == 0 && s_bind_v2(r, &sa, 0) == 0 &&
		  s_getlocaladdr(r, &ra, &type, &rport) == 0 && rport,
	      "udp4: bind_v2 with WasiAddrStorage");
	s_open(AF4, T_DGRAM, &s);
	check(s_getsockopt(s, SOL, SO_TYPE_, &v, &vl) == 0 && v == T_DGRAM &&
		  vl == 4,
	      "udp4: SO_TYPE reads 1 (dgram)");
	check(s_send_to(s, &out, 1, &la, rport, 0, &len) == 0 && len == 5 &&
		  s_getlocaladdr(s, &ra, &type, &sport) == 0,
	      "udp4: send_to V1 (4-byte address, port)");
	memset(a16, 0xee, sizeof(a16));
	check(s_recv_from(r, &in, 1, &ra, 0, &len, &of) == 0 && len == 5 &&
		  !memcmp(a16, lo4, 4) && a16[4] == 0xee,
	      "udp4: recv_from V1 (7 args) stores the 4 address bytes only");

	/* V2 by signature: port is a u16 in network byte order. */
	s_send_to(s, &out, 1, &la, rport, 0, &len);
	memset(st, 0xee, sizeof(st));
	check(s_recv_from8(r, &in, 1, &sa, 0, &pbe, &len, &of) == 0 &&
		  len == 5 && u16_at(st) == AF4 && !memcmp(st + 2, lo4, 4) &&
		  be16((uint8_t *)&pbe) == sport,
	      "udp4: 8-argument recv_from is V2: storage {1, addr}, port "
	      "big-endian");
	storage(st, AF4, lo4, 4);
	check(s_send_to_v2(s, &out, 1, &sa, rport, 0, &len) == 0 && len == 5,
	      "udp4: send_to_v2 with WasiAddrStorage");
	memset(a16, 0xee, sizeof(a16));
	check(s_recv_from_v2(r, &in, 1, &(struct waddr){a16, 4}, 0, &pbe, &len,
			     &of) == 0 &&
		  !memcmp(a16, lo4, 4) && be16((uint8_t *)&pbe) == sport,
	      "udp4: recv_from_v2 with a 4-byte buffer");
	check(s_recv_from_v2(r, &in, 1, &(struct waddr){a16, 8}, 0, &pbe, &len,
			     &of) == EINVAL,
	      "udp4: recv_from_v2 refuses an 8-byte buffer");
	check(s_send_to(s, &out, 1, &sa, rport, 0, &len) == EINVAL,
	      "udp4: send_to V1 refuses a WasiAddrStorage");
	check(s_send_to(s, &out, 1, &la, rport, 1, &len) == EINVAL,
	      "udp4: send_to with siflags 1 is EINVAL");

	/* Truncation: a 5-byte datagram into 3 bytes. */
	struct wiov small = {buf, 3};

	s_send_to(s, &out, 1, &la, rport, 0, &len);
	check(
	    s_recv_from(r, &small, 1, &ra, 0, &len, &of) == 0 && len == 3 &&
		of == 1,
	    "udp4: a datagram larger than the buffer sets RECV_DATA_TRUNCATED");
	close((int)r);
	close((int)s);
}

static void test_udp6(void)
{
	uint32_t r, s, rport = 0, sport = 0, type = 0, len = 0;
	uint8_t st[128], a16[16], a4[4], buf[16];
	struct waddr sa = {st, 128}, la = {lo6, 16}, ra = {a16, 16};
	struct wiov out = {"six", 3}, in = {buf, sizeof(buf)};
	uint16_t of = 0, pbe = 0;

	check(s_open(AF6, T_DGRAM, &r) == 0 && s_bind(r, &la, 0) == 0 &&
		  s_getlocaladdr(r, &ra, &type, &rport) == 0 && type == 6 &&
		  !memcmp(a16, lo6, 16),
	      "udp6: bind [::1]:0, getlocaladdr V1 type 6");
	check(s_getlocaladdr(r, &(struct waddr){a4, 4}, &type, &rport) ==
		  ENOMEM,
	      "udp6: getlocaladdr V1 with a 4-byte buffer is ENOMEM");
	s_open(AF6, T_DGRAM, &s);
	check(s_send_to(s, &out, 1, &la, rport, 0, &len) == 0 &&
		  s_getlocaladdr(s, &ra, &type, &sport) == 0,
	      "udp6: send_to V1 with a 16-byte address");
	memset(st, 0xee, sizeof(st));
	check(s_recv_from8(r, &in, 1, &sa, 0, &pbe, &len, &of) == 0 &&
		  len == 3 && u16_at(st) == AF6 && !memcmp(st + 2, lo6, 16) &&
		  be16((uint8_t *)&pbe) == sport,
	      "udp6: recv_from V2 storage {2, ::1}, port big-endian");
	check(s_connect(s, &(struct waddr){lo4, 4}, rport) == EINVAL,
	      "udp6: an IPv4 address on an IPv6 socket is EINVAL");
	close((int)r);
	close((int)s);
}

/* ---- options ------------------------------------------------------------- */

static void test_opts(void)
{
	uint32_t fd, u, port = 0, vl;
	int32_t v, one = 1, big = 65536;
	int32_t linger[2] = {1, 5}, lg[2] = {0, 0};
	int64_t tv[2] = {0, 200000}, tg[2] = {-1, -1};
	uint8_t b2[2];
	int lfd = listener4(&port);

	s_open(AF4, T_STREAM, &fd);
	vl = 4;
	check(s_setsockopt(fd, SOL, SO_REUSEADDR_, &one, 4) == 0 &&
		  s_getsockopt(fd, SOL, SO_REUSEADDR_, &v, &vl) == 0 &&
		  v == 1 && vl == 4,
	      "opt: SO_REUSEADDR round trip");
	vl = 4;
	check(s_setsockopt(fd, SOL, SO_KEEPALIVE_, &one, 4) == 0 &&
		  s_getsockopt(fd, SOL, SO_KEEPALIVE_, &v, &vl) == 0 && v == 1,
	      "opt: SO_KEEPALIVE round trip");
	vl = 4;
	/* The size read back is the backend's (Linux doubles it, lwIP's is
	 * fixed): only its presence is WasmEdge's contract. */
	check(s_setsockopt(fd, SOL, SO_RCVBUF_, &big, 4) == 0 &&
		  s_getsockopt(fd, SOL, SO_RCVBUF_, &v, &vl) == 0 && v > 0 &&
		  vl == 4,
	      "opt: SO_RCVBUF set 65536, reads a size");
	vl = 8;
	check(s_setsockopt(fd, SOL, SO_LINGER_, linger, 8) == 0 &&
		  s_getsockopt(fd, SOL, SO_LINGER_, lg, &vl) == 0 && vl == 8 &&
		  lg[0] == 1 && lg[1] == 5,
	      "opt: SO_LINGER {1, 5} round trip (8 bytes)");
	check(s_setsockopt(fd, SOL, SO_LINGER_, linger, 4) == EINVAL,
	      "opt: SO_LINGER shorter than 8 bytes is EINVAL");
	vl = 16;
	check(s_setsockopt(fd, SOL, SO_RCVTIMEO_, tv, 16) == 0 &&
		  s_getsockopt(fd, SOL, SO_RCVTIMEO_, tg, &vl) == 0 &&
		  vl == 16 && tg[0] == 0 && tg[1] == 200000,
	      "opt: SO_RCVTIMEO timeval {0, 200000} round trip");
	vl = 16;
	check(s_getsockopt(fd, SOL, SO_SNDTIMEO_, tg, &vl) == 0 && tg[0] == 0 &&
		  tg[1] == 0,
	      "opt: SO_SNDTIMEO is 0 by default");
	vl = 2;
	check(s_getsockopt(fd, SOL, SO_TYPE_, b2, &vl) == 0 && vl == 2 &&
		  b2[0] == T_STREAM,
	      "opt: getsockopt truncates to *len");
	check(s_setsockopt(fd, 1, SO_REUSEADDR_, &one, 4) == EINVAL,
	      "opt: level 1 is EINVAL");
	check(s_setsockopt(fd, SOL, 15, &one, 4) == EINVAL,
	      "opt: name 15 is EINVAL");
	check(s_setsockopt(fd, SOL, SO_TYPE_, &one, 4) == ENOPROTOOPT,
	      "opt: SO_TYPE is read-only (ENOPROTOOPT)");
	check(s_setsockopt(fd, SOL, SO_REUSEADDR_, &one, 2) == EINVAL,
	      "opt: an int option in 2 bytes is EINVAL");
	vl = 4;
	check(s_getsockopt((uint32_t)lfd, SOL, SO_ACCEPTCONN_, &v, &vl) == 0 &&
		  v == 1,
	      "opt: SO_ACCEPTCONN on a listener");
	vl = 4;
	check(s_getsockopt(fd, SOL, SO_ERROR_, &v, &vl) == 0 && v == 0,
	      "opt: SO_ERROR is 0 on a fresh socket");
	close((int)fd);
	close(lfd);

	/* SO_RCVTIMEO bounds a blocking receive: EAGAIN, not a hang. */
	uint32_t len = 0;
	uint16_t of = 0;
	uint8_t buf[8];
	struct wiov in = {buf, sizeof(buf)};

	s_open(AF4, T_DGRAM, &u);
	s_bind(u, &(struct waddr){lo4, 4}, 0);
	vl = 4;
	check(s_setsockopt(u, SOL, SO_BROADCAST_, &one, 4) == 0 &&
		  s_getsockopt(u, SOL, SO_BROADCAST_, &v, &vl) == 0 && v == 1,
	      "opt: SO_BROADCAST round trip on UDP");
	s_setsockopt(u, SOL, SO_RCVTIMEO_, tv, 16);
	check(s_recv(u, &in, 1, 0, &len, &of) == EAGAIN,
	      "opt: recv past SO_RCVTIMEO is EAGAIN");
	close((int)u);
}

/* ---- getaddrinfo --------------------------------------------------------- */

#define NAI 4

static struct waddrinfo ai[NAI];
static struct wsockaddr sa[NAI];
static uint8_t data[NAI][26];
static char canon[NAI][32];

/* Entries chained out of order (2 -> 0 -> 3 -> 1), as a program may. */
static uint32_t chain(void)
{
	static const int order[NAI] = {2, 0, 3, 1};

	memset(ai, 0, sizeof(ai));
	memset(data, 0xee, sizeof(data));
	for (int i = 0; i < NAI; i++) {
		ai[i].ai_addr = &sa[i];
		ai[i].ai_canonname = canon[i];
		ai[i].ai_canonname_len = sizeof(canon[i]);
		sa[i].sa_data = data[i];
		sa[i].sa_data_len = 26;
	}
	for (int i = 0; i + 1 < NAI; i++)
		ai[order[i]].ai_next = &ai[order[i + 1]];
	return (uint32_t)(uintptr_t)&ai[order[0]];
}

static void test_gai(void)
{
	struct waddrinfo h;
	uint32_t res, n = 0;

	/* As the crate calls it: strings with their NUL in the length. */
	memset(&h, 0, sizeof(h));
	h.ai_family = AF4;
	h.ai_socktype = T_STREAM;
	h.ai_protocol = P_TCP;
	res = chain();
	check(s_getaddrinfo("localhost", 10, "8080", 5, &h, &res, NAI, &n) ==
		      0 &&
		  n >= 1,
	      "gai: localhost:8080 (NUL-terminated lengths, as the crate)");
	check(ai[2].ai_family == AF4 && ai[2].ai_socktype == T_STREAM &&
		  ai[2].ai_protocol == P_TCP && ai[2].ai_addrlen == 16,
	      "gai: the first answer is in the chain's head: family 1, "
	      "stream, protocol 1, addrlen 16");
	check(sa[2].sa_family == AF4 && sa[2].sa_data_len == 14 &&
		  be16(data[2]) == 8080 && !memcmp(data[2] + 2, lo4, 4) &&
		  data[2][6] == 0 && data[2][13] == 0 && data[2][14] == 0xee,
	      "gai: sa_data is {port BE, 127.0.0.1, 8 zero}, 14 bytes");
	check(ai[2].ai_next == &ai[0] && ai[0].ai_next == &ai[3] &&
		  ai[2].ai_canonname_len == 0,
	      "gai: ai_next untouched, no canonname unless asked");

	memset(&h, 0, sizeof(h));
	h.ai_family = AF6;
	h.ai_socktype = T_DGRAM;
	res = chain();
	n = 0;
	check(s_getaddrinfo("::1", 3, "53", 2, &h, &res, NAI, &n) == 0 &&
		  n >= 1 && ai[2].ai_family == AF6 && ai[2].ai_addrlen == 28 &&
		  ai[2].ai_socktype == T_DGRAM && ai[2].ai_protocol == P_UDP &&
		  sa[2].sa_family == AF6 && sa[2].sa_data_len == 26 &&
		  be16(data[2]) == 53 && !memcmp(data[2] + 6, lo6, 16),
	      "gai: ::1 dgram: addrlen 28, sa_data {port, flowinfo, ::1, "
	      "scope}, protocol 2");

	memset(&h, 0, sizeof(h));
	h.ai_flags = AI_CANONNAME_;
	h.ai_family = AF4;
	res = chain();
	n = 0;
	check(s_getaddrinfo("localhost", 9, "", 0, &h, &res, 1, &n) == 0 &&
		  n == 1 && ai[2].ai_canonname_len == 9 &&
		  !strcmp(canon[2], "localhost") &&
		  ai[2].ai_flags == AI_CANONNAME_ && ai[0].ai_family == 0,
	      "gai: AI_CANONNAME, max 1: one answer, canonname localhost");

	/* A canonname buffer shorter than the name: cut, never overrun. */
	memset(&h, 0, sizeof(h));
	h.ai_flags = AI_CANONNAME_;
	h.ai_family = AF4;
	res = chain();
	memset(canon[2], 'x', sizeof(canon[2]));
	ai[2].ai_canonname_len = 4;
	n = 0;
	check(s_getaddrinfo("localhost", 9, "", 0, &h, &res, 1, &n) == 0 &&
		  n == 1 && ai[2].ai_canonname_len == 3 &&
		  !strcmp(canon[2], "loc") && canon[2][4] == 'x',
	      "gai: a 4-byte canonname buffer gets \"loc\" and its NUL only");

	memset(&h, 0, sizeof(h));
	res = chain();
	check(s_getaddrinfo("", 0, "", 0, &h, &res, NAI, &n) == EAI_NONAME_,
	      "gai: no node and no service is EAI_NONAME (84)");
	check(s_getaddrinfo("localhost", 9, "", 0, &h, &res, 0, &n) ==
		  EAI_MEMORY_,
	      "gai: max 0 is EAI_MEMORY (82)");
	h.ai_flags = 0x80;
	check(s_getaddrinfo("localhost", 9, "", 0, &h, &res, NAI, &n) ==
		  EAI_BADFLAG_,
	      "gai: unknown flag is EAI_BADFLAG (79)");
	h.ai_flags = AI_CANONNAME_;
	check(s_getaddrinfo("", 0, "80", 2, &h, &res, NAI, &n) == EAI_BADFLAG_,
	      "gai: AI_CANONNAME without a node is EAI_BADFLAG");
	h.ai_flags = 0;
	h.ai_family = 5;
	check(s_getaddrinfo("localhost", 9, "", 0, &h, &res, NAI, &n) ==
		  EAI_FAMILY_,
	      "gai: family 5 is EAI_FAMILY (81)");
	h.ai_family = 0;
	h.ai_protocol = 3;
	check(s_getaddrinfo("localhost", 9, "", 0, &h, &res, NAI, &n) == ENOSYS,
	      "gai: protocol 3 is ENOSYS");
	h.ai_protocol = 0;
	h.ai_flags = AI_PASSIVE_;
	h.ai_family = AF4;
	res = chain();
	n = 0;
	check(s_getaddrinfo("", 0, "80", 2, &h, &res, NAI, &n) == 0 && n >= 1 &&
		  be16(data[2]) == 80 && data[2][2] == 0 && data[2][5] == 0,
	      "gai: AI_PASSIVE without a node gives 0.0.0.0");
}

int main(void)
{
	test_open();
	test_tcp4();
	test_udp4();
	test_udp6();
	test_opts();
	test_gai();
	return failures;
}
