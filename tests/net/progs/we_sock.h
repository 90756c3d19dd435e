/*
 * we_sock.h - the WasmEdge socket imports the net tests use (what a
 * program built for WasmEdge declares; wasi-libc covers accept, recv,
 * send, shutdown, poll and close through WASI preview 1).
 */
#ifndef MEWZ_TESTS_WE_SOCK_H
#define MEWZ_TESTS_WE_SOCK_H

#include <stdint.h>

#ifdef __wasm__
#define WE_IMPORT(n)                                                           \
	__attribute__((import_module("wasi_snapshot_preview1"),                \
		       import_name(#n)))

#define WE_AF_INET4	1
#define WE_AF_INET6	2
#define WE_SOCK_DGRAM	1
#define WE_SOCK_STREAM	2

/* WasmEdge's address: a pointer to the raw bytes and their count. */
struct we_addr {
	uint8_t *buf;
	uint32_t buf_len;
};

int32_t we_sock_open(int32_t af, int32_t type, int32_t *fd)
    WE_IMPORT(sock_open);
int32_t we_sock_bind(int32_t fd, struct we_addr *a, int32_t port)
    WE_IMPORT(sock_bind);
int32_t we_sock_listen(int32_t fd, int32_t backlog) WE_IMPORT(sock_listen);
int32_t we_sock_connect(int32_t fd, struct we_addr *a, int32_t port)
    WE_IMPORT(sock_connect);

#else /* a native build (bench/http's reference): the same calls over BSD
       * sockets, errors as errno values */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define WE_AF_INET4    1
#define WE_AF_INET6    2
#define WE_SOCK_DGRAM  1
#define WE_SOCK_STREAM 2

struct we_addr {
	uint8_t *buf;
	uint32_t buf_len;
};

static inline int32_t we_sock_open(int32_t af, int32_t type, int32_t *fd)
{
	int one = 1;

	(void)af;
	*fd = socket(AF_INET, type == WE_SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM,
		     0);
	if (*fd < 0)
		return errno;
	setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return 0;
}

static inline struct sockaddr_in we_sin(const struct we_addr *a, int32_t port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port)};

	memcpy(&sin.sin_addr, a->buf, 4);
	return sin;
}

static inline int32_t we_sock_bind(int32_t fd, struct we_addr *a,
				   int32_t port)
{
	struct sockaddr_in sin = we_sin(a, port);

	return bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ? errno : 0;
}

static inline int32_t we_sock_listen(int32_t fd, int32_t backlog)
{
	return listen(fd, backlog) ? errno : 0;
}

static inline int32_t we_sock_connect(int32_t fd, struct we_addr *a,
				      int32_t port)
{
	struct sockaddr_in sin = we_sin(a, port);

	return connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ? errno : 0;
}
#endif /* __wasm__ */

#endif /* MEWZ_TESTS_WE_SOCK_H */
