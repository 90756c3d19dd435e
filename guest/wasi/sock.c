/*
 * sock.c - the WASI preview 1 socket imports.  Sockets come from the host
 * (net=host) or the in-guest stack (net=lwip) in later layers; until then
 * an unknown fd is EBADF and any other fd ENOTSOCK.
 */
#include <errno.h>

#include "wasi.h"

static int32_t sock_call(int32_t fd)
{
	int err;
	struct wasi_fd *f = fdt_get((uint32_t)fd, 0, &err);

	if (!f)
		return wasi_errno(err);
	if (f->filetype != WASI_FILETYPE_SOCKET_STREAM &&
	    f->filetype != WASI_FILETYPE_SOCKET_DGRAM)
		return WASI_ENOTSOCK;
	return WASI_ENOTSUP;
}

int32_t wasi_sock_accept(int32_t fd, int32_t flags, int32_t fdp)
    WASI_IMPORT(sock_accept);
int32_t wasi_sock_accept(int32_t fd, int32_t flags, int32_t fdp)
{
	(void)flags, (void)fdp;
	return sock_call(fd);
}

int32_t wasi_sock_recv(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp, int32_t flagsp)
    WASI_IMPORT(sock_recv);
int32_t wasi_sock_recv(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp, int32_t flagsp)
{
	(void)iovs, (void)iovs_len, (void)flags, (void)lenp, (void)flagsp;
	return sock_call(fd);
}

int32_t wasi_sock_send(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp) WASI_IMPORT(sock_send);
int32_t wasi_sock_send(int32_t fd, int32_t iovs, int32_t iovs_len,
		       int32_t flags, int32_t lenp)
{
	(void)iovs, (void)iovs_len, (void)flags, (void)lenp;
	return sock_call(fd);
}

int32_t wasi_sock_shutdown(int32_t fd, int32_t how) WASI_IMPORT(sock_shutdown);
int32_t wasi_sock_shutdown(int32_t fd, int32_t how)
{
	(void)how;
	return sock_call(fd);
}
