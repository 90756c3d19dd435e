/*
 * sock_api: checks the socket imports from inside a wasm32-wasi program,
 * one line per case ("ok NAME" / "FAIL NAME: why"), exit status the
 * number of failures.  Run by sock_native.sh against a mewz-host started
 * with --allow-bind ::1.  Uses WasmEdge's imports (examples/
 * wasmedge_sock.h) and wasi-libc's WASI-form accept/recv/send/shutdown.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wasi/api.h>

#include "../../examples/wasmedge_sock.h"

uint32_t we_sock_accept_v2(uint32_t fd, uint32_t flags, uint32_t *nfd)
    WE_IMPORT(sock_accept_v2);

static int failures;

static void check(int cond, const char *name, const char *why)
{
	if (cond) {
		printf("ok   %s\n", name);
	} else {
		printf("FAIL %s: %s\n", name, why);
		failures++;
	}
}

static uint8_t lo4[4] = {127, 0, 0, 1};

static int open_listener(uint32_t *port)
{
	int fd = we_listen(lo4, 4, 0, 16);
	uint8_t ab[16];
	struct we_addr a = {ab, 16};
	uint32_t type = 0;

	if (fd < 0)
		return fd;
	if (we_sock_getlocaladdr((uint32_t)fd, &a, &type, port))
		return -1;
	check(type == 4 && !memcmp(ab, lo4, 4) && *port != 0,
	      "getlocaladdr: type 4, 127.0.0.1, a port", "wrong address");
	return fd;
}

static int connect_to(uint32_t port)
{
	uint32_t fd;
	struct we_addr a = {lo4, 4};

	if (we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd))
		return -1;
	return we_sock_connect(fd, &a, port) ? -1 : (int)fd;
}

/* poll_oneoff on fd for read plus a relative clock of ms. */
static int poll_read_or_clock(int fd, uint64_t ms, int *which)
{
	__wasi_subscription_t s[2];
	__wasi_event_t ev[2];
	__wasi_size_t n = 0;

	memset(s, 0, sizeof(s));
	s[0].userdata = 1;
	s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
	s[0].u.u.fd_read.file_descriptor = (uint32_t)fd;
	s[1].userdata = 2;
	s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
	s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	s[1].u.u.clock.timeout = ms * 1000000ull;
	if (__wasi_poll_oneoff(s, ev, 2, &n) || n < 1)
		return -1;
	*which = (int)ev[0].userdata;
	return (int)n;
}

static void test_stream(void)
{
	uint32_t port = 0, cport = 0, type = 0;
	int lfd = open_listener(&port), cfd, sfd, which = 0;
	char buf[16];
	int32_t v = 0;
	uint32_t vl = 4;

	if (lfd < 0) {
		check(0, "listen", "no listener");
		return;
	}
	check(we_sock_getsockopt((uint32_t)lfd, 0, 1, &v, &vl) == 0 && v == 2,
	      "getsockopt SO_TYPE is stream", "wrong type");
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	check(we_sock_accept((uint32_t)lfd, (uint32_t *)&sfd) == EAGAIN,
	      "non-blocking accept with nothing pending: EAGAIN", "not EAGAIN");
	check(poll_read_or_clock(lfd, 50, &which) == 1 && which == 2,
	      "poll_oneoff: idle listener + 50 ms clock gives the clock",
	      "wrong event");
	cfd = connect_to(port);
	check(cfd >= 0, "blocking connect to the listener", "failed");
	check(poll_read_or_clock(lfd, 10000, &which) >= 1 && which == 1,
	      "poll_oneoff: a pending connection makes the listener readable",
	      "no read event");
	sfd = accept(lfd, NULL, NULL); /* WASI's 3-argument sock_accept */
	check(sfd >= 0, "accept (WASI 3-argument form)", "failed");
	if (cfd < 0 || sfd < 0)
		return;
	check(write(cfd, "ping", 4) == 4, "write on a socket fd", "short");
	check(recv(sfd, buf, sizeof(buf), MSG_PEEK) == 4 &&
		  !memcmp(buf, "ping", 4),
	      "recv MSG_PEEK sees the bytes", "wrong bytes");
	check(read(sfd, buf, sizeof(buf)) == 4 && !memcmp(buf, "ping", 4),
	      "read after peek gets them again", "wrong bytes");
	fcntl(sfd, F_SETFL, O_NONBLOCK);
	errno = 0;
	check(read(sfd, buf, sizeof(buf)) < 0 && errno == EAGAIN,
	      "non-blocking read with no data: EAGAIN", "not EAGAIN");
	uint8_t pb[16];
	struct we_addr pa = {pb, 16};

	check(we_sock_getpeeraddr((uint32_t)cfd, &pa, &type, &cport) == 0 &&
		  type == 4 && cport == port,
	      "getpeeraddr: the listener's port, type 4", "wrong peer");
	int32_t one = 1;

	check(we_sock_setsockopt((uint32_t)cfd, 6, 1, &one, 4) == 0 &&
		  we_sock_getsockopt((uint32_t)cfd, 6, 1, &v, &vl) == 0 &&
		  v == 1,
	      "TCP_NODELAY set and read back", "not set");
	check(shutdown(cfd, SHUT_WR) == 0, "shutdown write side", "failed");
	fcntl(sfd, F_SETFL, 0);
	check(read(sfd, buf, sizeof(buf)) == 0, "peer sees EOF after shutdown",
	      "no EOF");
	close(cfd);
	close(sfd);
	close(lfd);
}

/* sock_accept_v2 with NONBLOCK: the new fd is non-blocking from birth. */
static void test_accept_v2(void)
{
	uint32_t port = 0, nfd = 0;
	int lfd = open_listener(&port), cfd, which = 0;
	char buf[4];
	__wasi_fdstat_t st;

	if (lfd < 0)
		return;
	cfd = connect_to(port);
	poll_read_or_clock(lfd, 10000, &which);
	check(cfd >= 0 && we_sock_accept_v2((uint32_t)lfd,
					    __WASI_FDFLAGS_NONBLOCK, &nfd) == 0,
	      "sock_accept_v2 with NONBLOCK", "failed");
	check(__wasi_fd_fdstat_get(nfd, &st) == 0 &&
		  (st.fs_flags & __WASI_FDFLAGS_NONBLOCK) &&
		  st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM,
	      "the accepted fd: a stream socket with NONBLOCK", "wrong fdstat");
	errno = 0;
	check(read((int)nfd, buf, sizeof(buf)) < 0 && errno == EAGAIN,
	      "the accepted fd reads EAGAIN at once", "blocked or data");
	close((int)nfd);
	close(cfd);
	close(lfd);
}

static void test_refused_nonblocking(void)
{
	uint32_t port = 0, fd;
	int lfd = open_listener(&port), which = 0;
	struct we_addr a = {lo4, 4};
	int32_t err = -1;
	uint32_t el = 4;
	__wasi_subscription_t s;
	__wasi_event_t ev;
	__wasi_size_t n = 0;

	close(lfd); /* now nothing listens on port */
	(void)which;
	we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd);
	fcntl((int)fd, F_SETFL, O_NONBLOCK);
	check(we_sock_connect(fd, &a, port) == EINPROGRESS,
	      "non-blocking connect: EINPROGRESS", "other result");
	memset(&s, 0, sizeof(s));
	s.u.tag = __WASI_EVENTTYPE_FD_WRITE;
	s.u.u.fd_write.file_descriptor = fd;
	check(__wasi_poll_oneoff(&s, &ev, 1, &n) == 0 && n == 1,
	      "poll_oneoff: the connect ends", "no event");
	check(we_sock_getsockopt(fd, 0, 2, &err, &el) == 0 &&
		  err == ECONNREFUSED,
	      "SO_ERROR is ECONNREFUSED", "wrong error");
	close((int)fd);
}

static void test_ipv6(void)
{
	static const uint8_t lo6[16] = {[15] = 1};
	int fd = we_listen(lo6, 16, 0, 4);
	uint8_t ab[16];
	struct we_addr a = {ab, 16};
	uint32_t type = 0, port = 0;

	check(fd >= 0, "IPv6 listen on ::1", "failed");
	if (fd < 0)
		return;
	check(we_sock_getlocaladdr((uint32_t)fd, &a, &type, &port) == 0 &&
		  type == 6 && !memcmp(ab, lo6, 16) && port,
	      "getlocaladdr: type 6, ::1", "wrong address");
	close(fd);
}

static void test_udp(void)
{
	uint32_t a, b, port = 0, type, bport = 0, len = 0, sent = 0;
	uint16_t from_port = 0;
	uint8_t ab[16], bb[16], from[128], buf[64];
	struct we_addr qb = {bb, 16};
	struct we_addr la = {lo4, 4}, qa = {ab, 16}, fa = {from, sizeof(from)};
	struct we_iovec out = {"dgram", 5}, in = {buf, sizeof(buf)};
	uint16_t of = 0;

	we_sock_open(WE_AF_INET4, WE_SOCK_DGRAM, &a);
	we_sock_open(WE_AF_INET4, WE_SOCK_DGRAM, &b);
	check(we_sock_bind(a, &la, 0) == 0 &&
		  we_sock_getlocaladdr(a, &qa, &type, &port) == 0 && port,
	      "UDP bind 127.0.0.1:0", "failed");
	check(we_sock_send_to(b, &out, 1, &la, port, 0, &sent) == 0 &&
		  sent == 5 &&
		  we_sock_getlocaladdr(b, &qb, &type, &bport) == 0,
	      "UDP send_to", "failed");
	check(we_sock_recv_from(a, &in, 1, &fa, 0, &from_port, &len, &of) ==
		      0 &&
		  len == 5 && !memcmp(buf, "dgram", 5) && from[0] == 1 &&
		  !memcmp(from + 2, lo4, 4) &&
		  we_port_from_net(from_port) == bport,
	      "UDP recv_from: data, family 1, 127.0.0.1, the sender's port",
	      "wrong datagram or source");
	close((int)a);
	close((int)b);
}

/* UDP over ::1: recv_from's 128-byte form carries family 2 and 16 bytes. */
static void test_udp6(void)
{
	static const uint8_t lo6[16] = {[15] = 1};
	uint32_t a, b, port = 0, type, len = 0, sent = 0;
	uint16_t from_port = 0;
	uint8_t ab[16], from[128], buf[16];
	struct we_addr la = {(uint8_t *)lo6, 16}, qa = {ab, 16},
		       fa = {from, sizeof(from)};
	struct we_iovec out = {"six", 3}, in = {buf, sizeof(buf)};
	uint16_t of = 0;

	we_sock_open(WE_AF_INET6, WE_SOCK_DGRAM, &a);
	we_sock_open(WE_AF_INET6, WE_SOCK_DGRAM, &b);
	check(we_sock_bind(a, &la, 0) == 0 &&
		  we_sock_getlocaladdr(a, &qa, &type, &port) == 0 && type == 6,
	      "UDP bind [::1]:0", "failed");
	check(we_sock_send_to(b, &out, 1, &la, port, 0, &sent) == 0 &&
		  sent == 3,
	      "UDP send_to [::1]", "failed");
	check(we_sock_recv_from(a, &in, 1, &fa, 0, &from_port, &len, &of) ==
		      0 &&
		  len == 3 && from[0] == 2 && from[1] == 0 &&
		  !memcmp(from + 2, lo6, 16),
	      "UDP recv_from over IPv6: family 2, ::1", "wrong source");
	close((int)a);
	close((int)b);
}

static void test_errors(void)
{
	uint8_t any[4] = {0, 0, 0, 0};
	uint32_t fd;
	struct we_addr a = {any, 4};

	check(we_sock_listen(1, 1) == ENOTSOCK, "stdout is not a socket",
	      "not ENOTSOCK");
	check(we_sock_listen(999, 1) == EBADF, "unknown fd: EBADF",
	      "not EBADF");
	we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd);
	check(we_sock_bind(fd, &a, 0) == EACCES,
	      "bind 0.0.0.0 refused by policy: EACCES", "not EACCES");
	close((int)fd);
}

static void test_getaddrinfo(void)
{
	struct we_addrinfo ai[2],
	    hints = {.ai_family = WE_AF_INET4, .ai_socktype = WE_SOCK_STREAM};
	struct we_sockaddr sa[2];
	uint8_t data[2][26];
	uint32_t res = (uint32_t)(uintptr_t)ai, n = 0;

	memset(ai, 0, sizeof(ai));
	for (int i = 0; i < 2; i++) {
		ai[i].ai_addr = &sa[i];
		sa[i].sa_data = data[i];
		sa[i].sa_data_len = 26;
	}
	ai[0].ai_next = &ai[1];
	check(we_sock_getaddrinfo("localhost", 9, "80", 2, &hints, &res, 2,
				  &n) == 0 &&
		  n >= 1 && sa[0].sa_family == 1 && data[0][0] == 0 &&
		  data[0][1] == 80 && data[0][2] == 127,
	      "getaddrinfo localhost:80 -> 127.x, port 80", "wrong answer");
}

int main(void)
{
	test_stream();
	test_accept_v2();
	test_refused_nonblocking();
	test_ipv6();
	test_udp();
	test_udp6();
	test_errors();
	test_getaddrinfo();
	return failures;
}
