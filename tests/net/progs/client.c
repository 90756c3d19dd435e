/*
 * client.c - the net tests' guest client.
 *   client udp A.B.C.D PORT       send a datagram to an echo server and
 *                                 expect it back within 10 s
 *   client refused A.B.C.D PORT   connect must fail with ECONNREFUSED
 * Prints "ok ..." and exits 0, or says what went wrong and exits 1.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "we_sock.h"

static int parse_ip4(const char *s, uint8_t ip[4])
{
	unsigned a, b, c, d;

	if (sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || a > 255 ||
	    b > 255 || c > 255 || d > 255)
		return -1;
	ip[0] = (uint8_t)a, ip[1] = (uint8_t)b, ip[2] = (uint8_t)c,
	ip[3] = (uint8_t)d;
	return 0;
}

static int udp_round_trip(uint8_t ip[4], int port)
{
	static const char msg[] = "mewz udp round trip";
	struct we_addr a = {ip, 4};
	struct pollfd p;
	char buf[256];
	int32_t fd;
	ssize_t n;
	int e;

	if ((e = we_sock_open(WE_AF_INET4, WE_SOCK_DGRAM, &fd)) != 0 ||
	    (e = we_sock_connect(fd, &a, port)) != 0) {
		printf("udp: open/connect: wasi errno %d\n", e);
		return 1;
	}
	/* A datagram may be lost (ARP not resolved yet): resend. */
	for (int tries = 0; tries < 10; tries++) {
		if (send(fd, msg, sizeof(msg) - 1, 0) != sizeof(msg) - 1) {
			printf("udp: send: %s\n", strerror(errno));
			return 1;
		}
		p = (struct pollfd){.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n == sizeof(msg) - 1 && memcmp(buf, msg, (size_t)n) == 0) {
			printf("ok udp\n");
			return 0;
		}
		printf("udp: bad answer (%zd bytes)\n", n);
		return 1;
	}
	printf("udp: no answer\n");
	return 1;
}

static int connect_refused(uint8_t ip[4], int port)
{
	struct we_addr a = {ip, 4};
	int32_t fd;
	int e;

	if ((e = we_sock_open(WE_AF_INET4, WE_SOCK_STREAM, &fd)) != 0) {
		printf("refused: open: wasi errno %d\n", e);
		return 1;
	}
	e = we_sock_connect(fd, &a, port);
	if (e == ECONNREFUSED) {
		printf("ok refused\n");
		return 0;
	}
	printf("refused: connect gave wasi errno %d, want %d\n", e,
	       ECONNREFUSED);
	return 1;
}

int main(int argc, char **argv)
{
	uint8_t ip[4];

	if (argc != 4 || parse_ip4(argv[2], ip) < 0) {
		fprintf(stderr, "usage: client udp|refused A.B.C.D PORT\n");
		return 2;
	}
	if (strcmp(argv[1], "udp") == 0)
		return udp_round_trip(ip, atoi(argv[3]));
	if (strcmp(argv[1], "refused") == 0)
		return connect_refused(ip, atoi(argv[3]));
	return 2;
}
