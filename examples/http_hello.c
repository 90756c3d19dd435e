/*
 * http_hello: an HTTP/1.1 server that answers every request with a
 * greeting; keep-alive (and pipelining) unless the client says
 * "Connection: close" or speaks HTTP/1.0.  One event loop over poll.
 *   http_hello [PORT] [ADDR]     (default 8080 on 127.0.0.1)
 */
#define _GNU_SOURCE /* strcasestr */
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "wasmedge_sock.h"

#define MAX_CONNS 512
#define IN_MAX	  8192
#define OUT_MAX	  16384

static const char body[] = "Hello from Mewz!\n";

struct conn {
	int fd;
	bool closing; /* close once out is sent */
	size_t in_len, out_len, out_off;
	char in[IN_MAX], out[OUT_MAX];
};

static struct conn *conns[MAX_CONNS];
static int nconns;

static void conn_drop(int i)
{
	close(conns[i]->fd);
	free(conns[i]);
	conns[i] = conns[--nconns];
}

/* True if the header block (NUL-terminated) asks to close. */
static bool wants_close(const char *req)
{
	const char *eol = strstr(req, "\r\n");

	if (eol && eol - req >= 8 && strncmp(eol - 8, "HTTP/1.0", 8) == 0)
		return strcasestr(req, "\r\nConnection: keep-alive") == NULL;
	return strcasestr(req, "\r\nConnection: close") != NULL;
}

/* Answer every whole request in c->in; -1 on a malformed one. */
static int conn_parse(struct conn *c)
{
	char *end;

	c->in[c->in_len] = 0;
	while ((end = strstr(c->in, "\r\n\r\n")) != NULL) {
		size_t used = (size_t)(end + 4 - c->in);
		int n;

		end[2] = 0;
		if (strncmp(c->in, "GET ", 4) && strncmp(c->in, "HEAD ", 5))
			return -1;
		if (wants_close(c->in))
			c->closing = true;
		if (c->out_len + 256 > OUT_MAX)
			return 0; /* later, once out drains */
		n = snprintf(c->out + c->out_len, OUT_MAX - c->out_len,
			     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
			     "Content-Length: %zu\r\n%s\r\n%s",
			     sizeof(body) - 1,
			     c->closing ? "Connection: close\r\n" : "",
			     strncmp(c->in, "HEAD ", 5) ? body : "");
		c->out_len += (size_t)n;
		memmove(c->in, c->in + used, c->in_len - used + 1);
		c->in_len -= used;
		if (c->closing)
			break;
	}
	return c->in_len >= IN_MAX - 1 ? -1 : 0;
}

/* One step of I/O: -1 when the connection is over. */
static int conn_step(struct conn *c, short revents)
{
	if ((revents & POLLIN) && !c->closing) {
		ssize_t n =
		    read(c->fd, c->in + c->in_len, IN_MAX - 1 - c->in_len);

		if (n == 0 || (n < 0 && errno != EAGAIN))
			return -1;
		if (n > 0) {
			c->in_len += (size_t)n;
			if (conn_parse(c) < 0)
				return -1;
		}
	}
	while (c->out_off < c->out_len) {
		ssize_t n =
		    write(c->fd, c->out + c->out_off, c->out_len - c->out_off);

		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	if (c->closing)
		return -1;
	return conn_parse(c); /* requests held back by a full buffer */
}

static void accept_all(int lfd)
{
	uint32_t nfd;

	while (nconns < MAX_CONNS && we_sock_accept((uint32_t)lfd, &nfd) == 0) {
		struct conn *c = calloc(1, sizeof(*c));

		if (!c) {
			close((int)nfd);
			return;
		}
		fcntl((int)nfd, F_SETFL, O_NONBLOCK);
		c->fd = (int)nfd;
		conns[nconns++] = c;
	}
}

int main(int argc, char **argv)
{
	uint8_t ip[4] = {127, 0, 0, 1};
	static struct pollfd p[MAX_CONNS + 1];
	int lfd;

	if (argc > 2 && we_parse_v4(argv[2], ip)) {
		fprintf(stderr, "http_hello: bad address %s\n", argv[2]);
		return 2;
	}
	lfd = we_listen(ip, 4, we_port_arg(argc, argv, 1, 8080), 256);
	if (lfd < 0) {
		fprintf(stderr, "http_hello: listen: %s\n", strerror(-lfd));
		return 1;
	}
	fcntl(lfd, F_SETFL, O_NONBLOCK);
	printf("http_hello: listening\n");
	fflush(stdout);
	for (;;) {
		p[0].fd = lfd;
		p[0].events = POLLIN;
		for (int i = 0; i < nconns; i++) {
			p[i + 1].fd = conns[i]->fd;
			p[i + 1].events = conns[i]->out_len ? POLLOUT : POLLIN;
		}
		int n = nconns + 1;

		if (poll(p, (nfds_t)n, -1) < 0) {
			perror("http_hello: poll");
			return 1;
		}
		for (int i = n - 2; i >= 0; i--) {
			if (p[i + 1].revents &&
			    conn_step(conns[i], p[i + 1].revents) < 0)
				conn_drop(i);
		}
		if (p[0].revents)
			accept_all(lfd);
	}
}
