/*
 * server.c - the net tests' guest server: one event loop (poll) over up
 * to CONN_MAX non-blocking connections.  The first line of a connection
 * picks what it does:
 *   GET ...        HTTP/1.1 hello with keep-alive (curl, wrk)
 *   ECHO           echo every byte until EOF
 *   BIG n          send n bytes of pattern(), then close
 *   SUM n          read n bytes, answer their CRC-32 (IEEE) in hex, close
 *   DROP           close at once, with whatever the peer sends unread
 *   PAUSE n        like SUM n, but read nothing until a RESUME arrives:
 *                  the peer must stall (flow control), not fill our memory
 *   RESUME         let every paused connection read again, close
 *   QUIT           exit(0): the test is over
 * usage: server [PORT [A.B.C.D|::]]   (default 8080 on 0.0.0.0; "::" is
 *        an IPv6 socket that also takes IPv4 clients; prints
 *        "listening PORT" when ready)
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "we_sock.h"

#define CONN_MAX 200
#define IN_MAX	 4096
#define CHUNK	 16384

enum mode { M_LINE, M_HTTP, M_ECHO, M_BIG, M_SUM };

struct conn {
	int fd;
	enum mode mode;
	char in[IN_MAX];
	size_t in_len;
	/* pending output: out[out_off..out_len) then big_left pattern bytes */
	char out[CHUNK];
	size_t out_off, out_len;
	unsigned long long big_pos, big_left, sum_left, hash;
	int close_after;
	int paused;
};

static struct conn conns[CONN_MAX];
static struct pollfd pfds[CONN_MAX + 1];

static const char hello[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			    "Content-Length: 13\r\n\r\nHello, world\n";

static unsigned char pattern(unsigned long long i)
{
	return (unsigned char)((i * 131) ^ (i >> 9));
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
}

static void queue_out(struct conn *c, const void *p, size_t n)
{
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (n > sizeof(c->out) - c->out_len)
		n = sizeof(c->out) - c->out_len; /* tests stay far below */
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

/* Fill the output buffer from the pattern stream when it runs dry. */
static void refill_big(struct conn *c)
{
	size_t n;

	if (c->out_off < c->out_len || c->big_left == 0)
		return;
	n = c->big_left < sizeof(c->out) ? c->big_left : sizeof(c->out);
	for (size_t i = 0; i < n; i++)
		c->out[i] = (char)pattern(c->big_pos + i);
	c->out_off = 0;
	c->out_len = n;
	c->big_pos += n;
	c->big_left -= n;
}

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* c->hash holds the running CRC-32, pre-inverted. */
static void hash_bytes(struct conn *c, const char *p, size_t n)
{
	uint32_t crc = (uint32_t)c->hash;

	for (size_t i = 0; i < n; i++)
		crc = crc_table[(crc ^ (unsigned char)p[i]) & 0xff] ^ (crc >> 8);
	c->hash = crc;
}

static void sum_done(struct conn *c)
{
	char line[40];
	int n = snprintf(line, sizeof(line), "%08x\n",
			 (unsigned)(~(uint32_t)c->hash));

	queue_out(c, line, (size_t)n);
	c->close_after = 1;
}

/* Serve complete HTTP requests in c->in (keep-alive). */
static void http_serve(struct conn *c)
{
	char *end;

	while ((end = memmem(c->in, c->in_len, "\r\n\r\n", 4)) != NULL) {
		size_t used = (size_t)(end - c->in) + 4;

		queue_out(c, hello, sizeof(hello) - 1);
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
	}
}

/* The first line is in: pick the mode. */
static int start_mode(struct conn *c)
{
	char *nl = memchr(c->in, '\n', c->in_len);
	size_t used;

	if (c->in_len >= 4 && memcmp(c->in, "GET ", 4) == 0) {
		c->mode = M_HTTP;
		http_serve(c);
		return 0;
	}
	if (!nl)
		return 0;
	*nl = 0;
	used = (size_t)(nl - c->in) + 1;
	if (strcmp(c->in, "QUIT") == 0) {
		printf("quit\n");
		exit(0);
	}
	if (strcmp(c->in, "DROP") == 0)
		return -1;
	if (strcmp(c->in, "ECHO") == 0) {
		c->mode = M_ECHO;
	} else if (strncmp(c->in, "BIG ", 4) == 0) {
		c->mode = M_BIG;
		c->big_left = strtoull(c->in + 4, NULL, 10);
		c->close_after = 1;
	} else if (strcmp(c->in, "RESUME") == 0) {
		for (size_t i = 0; i < CONN_MAX; i++)
			conns[i].paused = 0;
		return -1;
	} else if (strncmp(c->in, "SUM ", 4) == 0 ||
		   strncmp(c->in, "PAUSE ", 6) == 0) {
		c->paused = c->in[0] == 'P';
		c->mode = M_SUM;
		c->sum_left = strtoull(strchr(c->in, ' ') + 1, NULL, 10);
		c->hash = 0xffffffffu;
	} else {
		return -1;
	}
	memmove(c->in, c->in + used, c->in_len - used);
	c->in_len -= used;
	return 1;
}

static void consume_input(struct conn *c)
{
	if (c->mode == M_ECHO) {
		queue_out(c, c->in, c->in_len);
		c->in_len = 0;
	} else if (c->mode == M_SUM) {
		size_t n = c->in_len < c->sum_left ? c->in_len : c->sum_left;

		hash_bytes(c, c->in, n);
		c->sum_left -= n;
		c->in_len = 0;
		if (c->sum_left == 0)
			sum_done(c);
	} else if (c->mode == M_HTTP) {
		http_serve(c);
	} else if (c->mode == M_BIG) {
		c->in_len = 0;
	}
}

static void on_readable(struct conn *c)
{
	size_t room;
	ssize_t n;

	/* Echo waits for its output to drain: that is the flow control. */
	if (c->mode == M_ECHO && c->out_len - c->out_off > 0)
		return;
	room = sizeof(c->in) - c->in_len;
	n = recv(c->fd, c->in + c->in_len, room, 0);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		if (c->mode == M_SUM && c->sum_left)
			fprintf(stderr, "server: SUM cut short\n");
		conn_close(c);
		return;
	}
	c->in_len += (size_t)n;
	if (c->mode == M_LINE) {
		int r = start_mode(c);

		if (r < 0) {
			conn_close(c);
			return;
		}
		if (r == 0) {
			if (c->in_len == sizeof(c->in))
				conn_close(c);
			return;
		}
	}
	consume_input(c);
}

static void on_writable(struct conn *c)
{
	refill_big(c);
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off,
				 c->out_len - c->out_off, 0);

		if (n < 0) {
			if (errno != EAGAIN)
				conn_close(c);
			return;
		}
		c->out_off += (size_t)n;
		refill_big(c);
	}
	if (c->close_after && c->big_left == 0)
		conn_close(c);
}

static int wants_write(const struct conn *c)
{
	return c->out_off < c->out_len || c->big_left > 0 ||
	       (c->close_after && c->mode != M_SUM);
}

static int listen_on(int port, const char *ip)
{
	unsigned b[4] = {0, 0, 0, 0};
	uint8_t addr[4];
	struct we_addr a = {addr, 4};
	int32_t fd = -1;
	int e;

	if (ip && strcmp(ip, "::") == 0) { /* dual-stack: IPv6 any */
		uint8_t any6[16] = {0};
		struct we_addr a6 = {any6, 16};

		if ((e = we_sock_open(WE_AF_INET6, WE_SOCK_STREAM, &fd)) != 0 ||
		    (e = we_sock_bind(fd, &a6, port)) != 0 ||
		    (e = we_sock_listen(fd, 128)) != 0) {
			fprintf(stderr, "server: listen [::]: wasi errno %d\n",
				e);
			exit(1);
		}
		fcntl(fd, F_SETFL, O_NONBLOCK);
		return fd;
	}
	if (ip && sscanf(ip, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]) != 4) {
		fprintf(stderr, "server: bad address %s\n", ip);
		exit(2);
	}
	for (int i = 0; i < 4; i++)
		addr[i] = (uint8_t)b[i];
	if ((e = we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd)) != 0 ||
	    (e = we_sock_bind(fd, &a, port)) != 0 ||
	    (e = we_sock_listen(fd, 128)) != 0) {
		fprintf(stderr, "server: listen: wasi errno %d\n", e);
		exit(1);
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/*
 * Accept while a slot is free; the rest wait in the listen backlog.
 * Accepting and closing what does not fit would be a livelock: a client
 * that reconnects at once (wrk) keeps the backlog non-empty, the loop
 * never gets back to the connections whose closing would free a slot,
 * and nothing is served (seen at 128 wrk connections right after 128
 * others closed, when the accept+close round trip is slower than wrk's
 * reconnect, e.g. in a VM).
 */
static void accept_all(int lfd)
{
	size_t i = 0;

	for (;;) {
		int fd;

		while (i < CONN_MAX && conns[i].fd >= 0)
			i++;
		if (i == CONN_MAX || (fd = accept(lfd, NULL, NULL)) < 0)
			return;
		fcntl(fd, F_SETFL, O_NONBLOCK);
		memset(&conns[i], 0, sizeof(conns[i]));
		conns[i].fd = fd;
	}
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 8080;
	int lfd = listen_on(port, argc > 2 ? argv[2] : NULL);

	crc_init();
	for (size_t i = 0; i < CONN_MAX; i++)
		conns[i].fd = -1;
	printf("listening %d\n", port);
	fflush(stdout);
	for (;;) {
		size_t n = 1, used = 0;
		int idx[CONN_MAX];

		for (size_t i = 0; i < CONN_MAX; i++)
			used += conns[i].fd >= 0;
		/* Full: the listener sits out (poll skips a negative fd) and
		 * new connections wait in the backlog. */
		pfds[0] = (struct pollfd){.fd = used < CONN_MAX ? lfd : -1,
					  .events = POLLIN};
		for (size_t i = 0; i < CONN_MAX; i++) {
			/* A paused connection is left out: wasi-libc's poll
			 * refuses an entry with no events (ENOSYS). */
			if (conns[i].fd < 0 || conns[i].paused)
				continue;
			pfds[n].fd = conns[i].fd;
			pfds[n].events = POLLIN;
			if (wants_write(&conns[i]))
				pfds[n].events |= POLLOUT;
			pfds[n].revents = 0;
			idx[n - 1] = (int)i;
			n++;
		}
		if (poll(pfds, n, -1) < 0) {
			perror("server: poll");
			return 1;
		}
		if (pfds[0].revents)
			accept_all(lfd);
		for (size_t k = 1; k < n; k++) {
			struct conn *c = &conns[idx[k - 1]];

			if (c->fd >= 0 && (pfds[k].revents & POLLOUT))
				on_writable(c);
			if (c->fd >= 0 &&
			    (pfds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				on_readable(c);
		}
	}
}
