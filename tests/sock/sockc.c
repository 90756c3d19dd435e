/*
 * sockc - the host-side client of the sock suites: drives the example
 * servers over loopback and checks what comes back.  Each mode prints one
 * line and exits 0 when the check held, 1 when it did not.
 *
 *   sockc echo PORT BYTES        BYTES of patterned data through an echo
 *                                server, sent and read concurrently;
 *                                checksums must match
 *   sockc http PORT CONNS REQS [BODY [ROUNDS]]
 *                                CONNS connections at once, REQS keep-alive
 *                                requests each, every answer checked (its
 *                                body BODY, default the examples' hello);
 *                                ROUNDS times, each round's connections
 *                                opened as soon as the last round's closed
 *   sockc abort PORT PATH BYTES  GET PATH, read BYTES of it, then reset the
 *                                connection (a client leaving mid-transfer)
 *   sockc flood PORT BYTES       send junk until the server closes on us;
 *                                ok if it closes before BYTES are sent
 *   sockc udp PORT COUNT         COUNT datagrams of growing size, each
 *                                echoed intact
 * Every wait is bounded by poll timeouts (10 s without progress).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define STALL_MS 10000

static int tcp_connect(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("sockc: connect");
		exit(1);
	}
	return fd;
}

static uint8_t pattern(uint64_t i)
{
	return (uint8_t)((i * 2654435761u) >> 13);
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static int mode_echo(int port, uint64_t total)
{
	int fd = tcp_connect(port);
	static uint8_t out[65536], in[65536];
	uint64_t sent = 0, got = 0, hs = 14695981039346656037ull, hr = hs;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (got < total) {
		struct pollfd p = {fd, POLLIN | (sent < total ? POLLOUT : 0),
				   0};

		if (poll(&p, 1, STALL_MS) <= 0) {
			printf("echo: stalled at %llu/%llu bytes back\n",
			       (unsigned long long)got,
			       (unsigned long long)total);
			return 1;
		}
		if ((p.revents & POLLOUT) && sent < total) {
			size_t n = total - sent < sizeof(out) ? total - sent
							      : sizeof(out);

			for (size_t i = 0; i < n; i++)
				out[i] = pattern(sent + i);
			ssize_t w = write(fd, out, n);

			if (w > 0) {
				hs = fnv(hs, out, (size_t)w);
				sent += (uint64_t)w;
			}
			if (sent == total)
				shutdown(fd, SHUT_WR);
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(fd, in, sizeof(in));

			if (r == 0 || (r < 0 && errno != EAGAIN)) {
				printf("echo: closed early at %llu bytes\n",
				       (unsigned long long)got);
				return 1;
			}
			if (r > 0) {
				hr = fnv(hr, in, (size_t)r);
				got += (uint64_t)r;
			}
		}
	}
	close(fd);
	printf("echo: %llu bytes, checksum %s\n", (unsigned long long)total,
	       hs == hr ? "intact" : "MISMATCH");
	return hs != hr;
}

struct hconn {
	int fd, done;
	size_t have;
	char buf[4096];
};

static const char *hello_resp_body = "Hello from Mewz!\n";

/* One whole response in c->buf?  Consumes it: 1, 0 not yet, -1 bad. */
static int http_take(struct hconn *c)
{
	char *end, *cl;
	size_t body, len;

	c->buf[c->have] = 0;
	end = strstr(c->buf, "\r\n\r\n");
	if (!end)
		return 0;
	if (strncmp(c->buf, "HTTP/1.1 200 OK\r\n", 17))
		return -1;
	cl = strcasestr(c->buf, "Content-Length: ");
	if (!cl || cl > end)
		return -1;
	body = strtoul(cl + 16, NULL, 10);
	len = (size_t)(end + 4 - c->buf) + body;
	if (c->have < len)
		return 0;
	if (body != strlen(hello_resp_body) ||
	    memcmp(end + 4, hello_resp_body, body))
		return -1;
	memmove(c->buf, c->buf + len, c->have - len);
	c->have -= len;
	return 1;
}

static int mode_http(int port, int conns, int reqs)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct hconn *c = calloc((size_t)conns, sizeof(*c));
	struct pollfd *p = calloc((size_t)conns, sizeof(*p));
	int left = conns, bad = 0;

	for (int i = 0; i < conns; i++) {
		c[i].fd = tcp_connect(port);
		if (write(c[i].fd, req, sizeof(req) - 1) != sizeof(req) - 1)
			bad++;
	}
	while (left > 0 && !bad) {
		for (int i = 0; i < conns; i++)
			p[i] = (struct pollfd){c[i].done >= reqs ? -1 : c[i].fd,
					       POLLIN, 0};
		if (poll(p, (nfds_t)conns, STALL_MS) <= 0) {
			printf("http: stalled with %d connections unfinished\n",
			       left);
			bad++;
			break;
		}
		for (int i = 0; i < conns; i++) {
			if (!p[i].revents)
				continue;
			ssize_t r = read(c[i].fd, c[i].buf + c[i].have,
					 sizeof(c[i].buf) - 1 - c[i].have);

			if (r <= 0) {
				bad++;
				break;
			}
			c[i].have += (size_t)r;
			int t;

			while ((t = http_take(&c[i])) == 1) {
				if (++c[i].done == reqs) {
					left--;
					break;
				}
				if (write(c[i].fd, req, sizeof(req) - 1) !=
				    sizeof(req) - 1)
					bad++;
			}
			if (t < 0)
				bad++;
		}
	}
	for (int i = 0; i < conns; i++)
		close(c[i].fd);
	free(c);
	free(p);
	printf("http: %d connections x %d requests: %s\n", conns, reqs,
	       bad ? "BAD ANSWER" : "all answered");
	return bad != 0;
}

static int mode_abort(int port, const char *path, uint64_t want)
{
	int fd = tcp_connect(port);
	char req[512];
	static char buf[65536];
	uint64_t got = 0;
	struct linger lg = {1, 0};

	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n",
			 path);
	if (write(fd, req, (size_t)n) != n)
		return 1;
	while (got < want) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t r;

		if (poll(&p, 1, STALL_MS) <= 0)
			break;
		r = read(fd, buf, sizeof(buf));
		if (r <= 0)
			break;
		got += (uint64_t)r;
	}
	/* Linger 0: close sends a reset, the rudest way to leave. */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
	printf("abort: left after %llu bytes\n", (unsigned long long)got);
	return got < want;
}

static int mode_flood(int port, uint64_t limit)
{
	int fd = tcp_connect(port);
	static char junk[65536];
	uint64_t sent = 0;

	memset(junk, 'x', sizeof(junk));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (sent < limit) {
		struct pollfd p = {fd, POLLOUT | POLLIN, 0};

		if (poll(&p, 1, STALL_MS) <= 0)
			break;
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			char b[256];
			ssize_t r = read(fd, b, sizeof(b));

			if (r == 0 || (r < 0 && errno != EAGAIN)) {
				printf(
				    "flood: server closed after %llu bytes\n",
				    (unsigned long long)sent);
				close(fd);
				return 0;
			}
		}
		if (p.revents & POLLOUT) {
			ssize_t w = write(fd, junk, sizeof(junk));

			if (w < 0 && errno != EAGAIN) {
				printf("flood: server closed (%s) after %llu "
				       "bytes\n",
				       strerror(errno),
				       (unsigned long long)sent);
				close(fd);
				return 0;
			}
			if (w > 0)
				sent += (uint64_t)w;
		}
	}
	printf("flood: server still open after %llu bytes\n",
	       (unsigned long long)sent);
	close(fd);
	return 1;
}

static int mode_udp(int port, int count)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	static uint8_t out[9000], in[9100];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	for (int i = 0; i < count; i++) {
		size_t n = 1 + (size_t)i * 8999 / (count > 1 ? count - 1 : 1);
		struct pollfd p = {fd, POLLIN, 0};

		for (size_t k = 0; k < n; k++)
			out[k] = pattern((uint64_t)i * 131 + k);
		if (send(fd, out, n, 0) != (ssize_t)n)
			return 1;
		if (poll(&p, 1, STALL_MS) <= 0) {
			printf("udp: no echo for datagram %d\n", i);
			return 1;
		}
		ssize_t r = recv(fd, in, sizeof(in), 0);

		if (r != (ssize_t)n || memcmp(in, out, n)) {
			printf(
			    "udp: datagram %d came back wrong (%zd of %zu)\n",
			    i, r, n);
			return 1;
		}
	}
	printf("udp: %d datagrams echoed intact\n", count);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "echo"))
		return mode_echo(atoi(argv[2]), strtoull(argv[3], NULL, 10));
	if (argc >= 5 && !strcmp(argv[1], "http")) {
		int rounds = argc >= 7 ? atoi(argv[6]) : 1, rc = 0;

		if (argc >= 6 && *argv[5])
			hello_resp_body = argv[5];
		for (int i = 0; i < rounds && rc == 0; i++)
			rc = mode_http(atoi(argv[2]), atoi(argv[3]),
				       atoi(argv[4]));
		return rc;
	}
	if (argc >= 5 && !strcmp(argv[1], "abort"))
		return mode_abort(atoi(argv[2]), argv[3],
				  strtoull(argv[4], NULL, 10));
	if (argc >= 4 && !strcmp(argv[1], "flood"))
		return mode_flood(atoi(argv[2]), strtoull(argv[3], NULL, 10));
	if (argc >= 4 && !strcmp(argv[1], "udp"))
		return mode_udp(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: see the top of tests/sock/sockc.c\n");
	return 2;
}
