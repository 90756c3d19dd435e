/*
 * wasmedge_sock.h - the WasmEdge socket extension as a C program sees it
 * (wasi-libc has no BSD socket calls for wasm32-wasi).  The imports keep
 * WasmEdge's names, signatures and layouts, so these programs run on
 * WasmEdge too; the helpers below are plain C over them.  Data moves
 * with read()/write(), readiness with poll(), all from wasi-libc.
 */
#ifndef WASMEDGE_SOCK_H
#define WASMEDGE_SOCK_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define WE_IMPORT(name)                                                        \
	__attribute__((import_module("wasi_snapshot_preview1"),                \
		       import_name(#name)))

/* Address families (sock_open, WasiAddrStorage, addrinfo) and types. */
#define WE_AF_INET4    1
#define WE_AF_INET6    2
#define WE_SOCK_DGRAM  1
#define WE_SOCK_STREAM 2

/* addrinfo: protocols and flags (bits). */
#define WE_IPPROTO_TCP	  1
#define WE_IPPROTO_UDP	  2
#define WE_AI_PASSIVE	  0x1
#define WE_AI_CANONNAME	  0x2
#define WE_AI_NUMERICHOST 0x4
#define WE_AI_NUMERICSERV 0x8

/* sock_setsockopt/sock_getsockopt: level SOL_SOCKET 0 and its names. */
#define WE_SOL_SOCKET	0
#define WE_SO_REUSEADDR 0
#define WE_SO_TYPE	1
#define WE_SO_ERROR	2
#define WE_SO_BROADCAST 4
#define WE_SO_SNDBUF	5
#define WE_SO_RCVBUF	6
#define WE_SO_KEEPALIVE 7
#define WE_SO_LINGER	9
#define WE_SO_RCVTIMEO	11
#define WE_SO_SNDTIMEO	12
#define WE_SO_ACCEPTCONN 13

/* WasmEdge's getaddrinfo errors (its errno extension). */
#define WE_EAI_BADFLAG 79
#define WE_EAI_FAMILY  81
#define WE_EAI_MEMORY  82
#define WE_EAI_NONAME  84

/* __wasi_address_t: raw address bytes (4 or 16), or a 128-byte
 * WasiAddrStorage {u16 family, address bytes} for the V2 calls. */
struct we_addr {
	uint8_t *buf;
	uint32_t buf_len;
};

/* __wasi_sockaddr_t / __wasi_addrinfo_t (wasm32 layouts, 12 and 28
 * bytes).  sa_data gets Linux's sockaddr after its family: port
 * big-endian, then the address (IPv4 at 2, IPv6 at 6). */
struct we_sockaddr {
	uint8_t sa_family;
	uint32_t sa_data_len;
	uint8_t *sa_data;
};
struct we_addrinfo {
	uint16_t ai_flags;
	uint8_t ai_family, ai_socktype, ai_protocol;
	uint32_t ai_addrlen;
	struct we_sockaddr *ai_addr;
	char *ai_canonname;
	uint32_t ai_canonnamelen;
	struct we_addrinfo *ai_next;
};

struct we_iovec {
	void *buf;
	uint32_t len;
};

/* Which version an import is (V1 or V2, by its signature) is WasmEdge's
 * rule; these are the forms WasmEdge's own examples use. */
uint32_t we_sock_open(uint32_t af, uint32_t type, uint32_t *fd)
    WE_IMPORT(sock_open);
uint32_t we_sock_bind(uint32_t fd, struct we_addr *a, uint32_t port)
    WE_IMPORT(sock_bind);
uint32_t we_sock_listen(uint32_t fd, uint32_t backlog) WE_IMPORT(sock_listen);
uint32_t we_sock_accept(uint32_t fd, uint32_t *nfd) WE_IMPORT(sock_accept);
uint32_t we_sock_connect(uint32_t fd, struct we_addr *a, uint32_t port)
    WE_IMPORT(sock_connect);
/* V2 (WasmEdge >= 0.12): *port_be is the sender's port in network byte
 * order, as WasmEdge stores it (see we_port_from_net); a 128-byte buffer
 * gets the family too. */
uint32_t we_sock_recv_from(uint32_t fd, struct we_iovec *iov, uint32_t n,
			   struct we_addr *a, uint32_t flags,
			   uint16_t *port_be, uint32_t *len, uint16_t *oflags)
    WE_IMPORT(sock_recv_from);
uint32_t we_sock_send_to(uint32_t fd, const struct we_iovec *iov, uint32_t n,
			 struct we_addr *a, uint32_t port, uint32_t flags,
			 uint32_t *len) WE_IMPORT(sock_send_to);
/* V1: a 4- or 16-byte buffer, *type 4 or 6, *port in host order. */
uint32_t we_sock_getlocaladdr(uint32_t fd, struct we_addr *a, uint32_t *type,
			      uint32_t *port) WE_IMPORT(sock_getlocaladdr);
uint32_t we_sock_getpeeraddr(uint32_t fd, struct we_addr *a, uint32_t *type,
			     uint32_t *port) WE_IMPORT(sock_getpeeraddr);
uint32_t we_sock_setsockopt(uint32_t fd, int32_t level, int32_t name,
			    const void *val, uint32_t len)
    WE_IMPORT(sock_setsockopt);
uint32_t we_sock_getsockopt(uint32_t fd, int32_t level, int32_t name,
			    void *val, uint32_t *len)
    WE_IMPORT(sock_getsockopt);
uint32_t we_sock_getaddrinfo(const char *node, uint32_t node_len,
			     const char *svc, uint32_t svc_len,
			     const struct we_addrinfo *hints, uint32_t *res,
			     uint32_t max, uint32_t *res_len)
    WE_IMPORT(sock_getaddrinfo);

/* A port as sock_recv_from stores it (network order) in host order. */
static inline uint16_t we_port_from_net(uint16_t be)
{
	const uint8_t *b = (const uint8_t *)&be;

	return (uint16_t)(b[0] << 8 | b[1]);
}

/* Parse dotted IPv4 "a.b.c.d" into 4 bytes: 0 or -1. */
static inline int we_parse_v4(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255 || (i < 3 ? *s++ != '.' : *s != 0))
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* A listening TCP socket on ip:port (ip 4 or 16 bytes): fd or -errno. */
static inline int we_listen(const uint8_t *ip, uint32_t iplen, uint32_t port,
			    uint32_t backlog)
{
	uint32_t fd, e;
	struct we_addr a = {(uint8_t *)ip, iplen};
	int32_t one = 1;

	e = we_sock_open(iplen == 4 ? WE_AF_INET4 : WE_AF_INET6, WE_SOCK_STREAM,
			 &fd);
	if (e)
		return -(int)e;
	we_sock_setsockopt(fd, WE_SOL_SOCKET, WE_SO_REUSEADDR, &one,
			   sizeof(one));
	e = we_sock_bind(fd, &a, port);
	if (!e)
		e = we_sock_listen(fd, backlog);
	return e ? -(int)e : (int)fd;
}

/* The port argv[i] or dflt. */
static inline uint32_t we_port_arg(int argc, char **argv, int i, uint32_t dflt)
{
	uint32_t v = 0;

	if (argc <= i)
		return dflt;
	for (const char *p = argv[i]; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint32_t)(*p - '0');
	return v && v < 65536 ? v : dflt;
}

#endif /* WASMEDGE_SOCK_H */
