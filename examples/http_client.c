/*
 * http_client: resolve a name, connect, GET a path, print the response.
 *   http_client HOST [PORT] [PATH]     (default port 80, path /)
 * Exits 0 when the status is 200, 1 otherwise.
 */
#include <stdio.h>
#include <unistd.h>

#include "wasmedge_sock.h"

#define MAX_AI 4

/* The first IPv4 or IPv6 stream address of host:port.  0 or WASI errno. */
static uint32_t resolve(const char *host, const char *port, uint8_t ip[16],
			uint32_t *iplen, uint32_t *portnum)
{
	static struct we_addrinfo ai[MAX_AI];
	static struct we_sockaddr sa[MAX_AI];
	static uint8_t data[MAX_AI][26];
	struct we_addrinfo hints = {.ai_socktype = WE_SOCK_STREAM};
	uint32_t res = (uint32_t)(uintptr_t)ai, n = 0, e;

	/* WasmEdge fills the program's entries, found through ai_next. */
	for (int i = 0; i < MAX_AI; i++) {
		ai[i].ai_addr = &sa[i];
		ai[i].ai_next = i + 1 < MAX_AI ? &ai[i + 1] : NULL;
		sa[i].sa_data = data[i];
		sa[i].sa_data_len = sizeof(data[i]);
	}
	e = we_sock_getaddrinfo(host, (uint32_t)strlen(host), port,
				(uint32_t)strlen(port), &hints, &res, MAX_AI,
				&n);
	if (e)
		return e;
	if (n == 0)
		return ENOENT;
	/* sa_data: Linux's sockaddr after the family: port (big-endian),
	 * then the address (IPv6: after a 4-byte flowinfo). */
	*portnum = (uint32_t)data[0][0] << 8 | data[0][1];
	*iplen = sa[0].sa_family == WE_AF_INET4 ? 4 : 16;
	memcpy(ip, data[0] + (*iplen == 4 ? 2 : 6), *iplen);
	return 0;
}

int main(int argc, char **argv)
{
	const char *host = argc > 1 ? argv[1] : "localhost";
	const char *port = argc > 2 ? argv[2] : "80";
	const char *path = argc > 3 ? argv[3] : "/";
	uint8_t ip[16];
	uint32_t iplen, portnum, fd, e;
	static char buf[65536];
	int status = 1;
	int first = 1;

	e = resolve(host, port, ip, &iplen, &portnum);
	if (e) {
		fprintf(stderr, "http_client: resolve %s: %s\n", host,
			strerror((int)e));
		return 1;
	}
	struct we_addr a = {ip, iplen};

	e = we_sock_open(iplen == 4 ? WE_AF_INET4 : WE_AF_INET6, WE_SOCK_STREAM,
			 &fd);
	if (!e)
		e = we_sock_connect(fd, &a, portnum);
	if (e) {
		fprintf(stderr, "http_client: connect: %s\n", strerror((int)e));
		return 1;
	}
	int n =
	    snprintf(buf, sizeof(buf),
		     "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
		     path, host);

	if (write((int)fd, buf, (size_t)n) != n) {
		perror("http_client: write");
		return 1;
	}
	for (;;) {
		ssize_t r = read((int)fd, buf, sizeof(buf));

		if (r < 0) {
			perror("http_client: read");
			return 1;
		}
		if (r == 0)
			break;
		if (first && r >= 12 && memcmp(buf, "HTTP/1.1 200", 12) == 0)
			status = 0;
		first = 0;
		fwrite(buf, 1, (size_t)r, stdout);
	}
	close((int)fd);
	return status;
}
