/*
 * tcp_echo: a TCP echo server on an event loop (poll + non-blocking fds),
 * so many clients are served at once.
 *   tcp_echo [PORT] [ADDR]     (default 8081 on 127.0.0.1)
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wasmedge_sock.h"

#define MAX_CONNS 256
#define BUF	  65536

struct conn {
	int fd;
	size_t len, off; /* bytes read and not yet echoed: buf[off, len) */
	char *buf;
};

static struct conn conns[MAX_CONNS];
static int nconns;

static void conn_drop(int i)
{
	close(conns[i].fd);
	free(conns[i].buf);
	conns[i] = conns[--nconns];
}

static void accept_all(int lfd)
{
	uint32_t nfd;

	while (nconns < MAX_CONNS && we_sock_accept((uint32_t)lfd, &nfd) == 0) {
		fcntl((int)nfd, F_SETFL, O_NONBLOCK);
		conns[nconns].fd = (int)nfd;
		conns[nconns].len = conns[nconns].off = 0;
		conns[nconns].buf = malloc(BUF);
		if (!conns[nconns].buf) {
			close((int)nfd);
			return;
		}
		nconns++;
	}
}

/* Move data one step; returns -1 when the connection is done. */
static int conn_step(struct conn *c)
{
	if (c->off < c->len) {
		ssize_t n = write(c->fd, c->buf + c->off, c->len - c->off);

		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		c->off += (size_t)n;
		if (c->off == c->len)
			c->off = c->len = 0;
		return 0;
	}
	ssize_t n = read(c->fd, c->buf, BUF);

	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return -1;
	c->len = (size_t)n;
	return conn_step(c);
}

int main(int argc, char **argv)
{
	uint8_t ip[4] = {127, 0, 0, 1};
	static struct pollfd p[MAX_CONNS + 1];
	int lfd;

	if (argc > 2 && we_parse_v4(argv[2], ip)) {
		fprintf(stderr, "tcp_echo: bad address %s\n", argv[2]);
		return 2;
	}
	lfd = we_listen(ip, 4, we_port_arg(argc, argv, 1, 8081), 128);
	if (lfd < 0) {
		fprintf(stderr, "tcp_echo: listen: %s\n", strerror(-lfd));
		return 1;
	}
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	printf("tcp_echo: listening\n");
	fflush(stdout);
	for (;;) {
		p[0].fd = lfd;
		p[0].events = POLLIN;
		for (int i = 0; i < nconns; i++) {
			p[i + 1].fd = conns[i].fd;
			p[i + 1].events =
			    conns[i].off < conns[i].len ? POLLOUT : POLLIN;
		}
		int n = nconns + 1;

		if (poll(p, (nfds_t)n, -1) < 0) {
			perror("tcp_echo: poll");
			return 1;
		}
		/* Back to front, so dropping (which moves the last) is safe. */
		for (int i = n - 2; i >= 0; i--) {
			if (p[i + 1].revents && conn_step(&conns[i]) < 0)
				conn_drop(i);
		}
		if (p[0].revents)
			accept_all(lfd);
	}
}
