/*
 * udp_echo: sends every datagram back to where it came from.
 *   udp_echo [PORT] [ADDR]     (default 8082 on 127.0.0.1)
 * A datagram "quit" ends the server (after echoing it).
 */
#include <stdio.h>

#include "wasmedge_sock.h"

int main(int argc, char **argv)
{
	uint8_t ip[4] = {127, 0, 0, 1};
	static uint8_t buf[65536];
	uint32_t fd, e;
	struct we_addr a = {ip, 4};

	if (argc > 2 && we_parse_v4(argv[2], ip)) {
		fprintf(stderr, "udp_echo: bad address %s\n", argv[2]);
		return 2;
	}
	e = we_sock_open(WE_AF_INET4, WE_SOCK_DGRAM, &fd);
	if (!e)
		e = we_sock_bind(fd, &a, we_port_arg(argc, argv, 1, 8082));
	if (e) {
		fprintf(stderr, "udp_echo: %s\n", strerror((int)e));
		return 1;
	}
	printf("udp_echo: listening\n");
	fflush(stdout);
	for (;;) {
		uint8_t from[128];
		struct we_addr fa = {from, sizeof(from)}, to;
		struct we_iovec iov = {buf, sizeof(buf)};
		uint32_t len, sent;
		uint16_t port_be, oflags;

		e = we_sock_recv_from(fd, &iov, 1, &fa, 0, &port_be, &len,
				      &oflags);
		if (e) {
			fprintf(stderr, "udp_echo: recv: %s\n",
				strerror((int)e));
			return 1;
		}
		/* from: u16 family (1 = IPv4, 2 = IPv6), then the address. */
		to.buf = from + 2;
		to.buf_len = from[0] == WE_AF_INET4 ? 4 : 16;
		iov.len = len;
		e = we_sock_send_to(fd, &iov, 1, &to, we_port_from_net(port_be),
				    0, &sent);
		if (e)
			fprintf(stderr, "udp_echo: send: %s\n",
				strerror((int)e));
		if (len == 4 && memcmp(buf, "quit", 4) == 0)
			return 0;
	}
}
