/*
 * sock_gai.c - WasmEdge's sock_getaddrinfo(node, node_len, service,
 * service_len, *hints, *res, max_len, *res_len).
 *
 * Layouts (wasm32), from WasmEdge's thirdparty/wasi/api.hpp and the
 * behaviour of lib/host/wasi/wasifunc.cpp and inode-linux.cpp (versions:
 * README.md, "Sockets"):
 *   __wasi_addrinfo_t, 28 bytes: u16 ai_flags @0 (PASSIVE 1, CANONNAME 2,
 *     NUMERICHOST 4, NUMERICSERV 8, V4MAPPED 16, ALL 32, ADDRCONFIG 64),
 *     u8 ai_family @2 (0 unspec, 1 inet4, 2 inet6), u8 ai_socktype @3
 *     (0 any, 1 dgram, 2 stream), u8 ai_protocol @4 (0 IP, 1 TCP, 2 UDP),
 *     u32 ai_addrlen @8, u32 ai_addr @12, u32 ai_canonname @16,
 *     u32 ai_canonname_len @20, u32 ai_next @24.
 *   __wasi_sockaddr_t, 12 bytes: u8 sa_family @0, u32 sa_data_len @4,
 *     u32 sa_data @8.  sa_data gets what follows sa_family in Linux's
 *     sockaddr: IPv4 14 bytes {u16 port big-endian, 4 address bytes,
 *     8 zero}, IPv6 26 bytes {u16 port big-endian, u32 flowinfo,
 *     16 address bytes, u32 scope id}; ai_addrlen is Linux's sockaddr
 *     length (16 or 28).
 * *res holds the address of the first of max_len entries the program
 * allocated and chained through ai_next, each with its ai_addr, sa_data
 * and ai_canonname buffers; the first *res_len = min(answers, max_len)
 * get the answers.  ai_next and the buffer pointers are never written.
 * Errors are WasmEdge's errno extension (AIxxx, 77..87).
 */
#include <errno.h>

#include "sock.h"

#define AI_SIZE	    28u
#define AI_FLAGS    0
#define AI_FAMILY   2
#define AI_SOCKTYPE 3
#define AI_PROTOCOL 4
#define AI_ADDRLEN  8
#define AI_ADDR	    12
#define AI_CANON    16
#define AI_CANONLEN 20
#define AI_NEXT	    24
#define SA_SIZE	    12u
#define SA_FAMILY   0
#define SA_DATA_LEN 4
#define SA_DATA	    8
#define GAI_MAX	    16u /* answers asked of a backend */

#define WE_AI_PASSIVE	0x01u
#define WE_AI_CANONNAME 0x02u
#define WE_AI_ALLFLAGS	0x7fu

/* WasmEdge's errno extension for getaddrinfo (thirdparty/wasi/api.hpp). */
#define WE_EAI_AGAIN   78
#define WE_EAI_BADFLAG 79
#define WE_EAI_FAIL    80
#define WE_EAI_FAMILY  81
#define WE_EAI_MEMORY  82
#define WE_EAI_NONAME  84

/* The program's result entries, found by walking its ai_next chain. */
struct gai_slot {
	uint8_t *ai, *sa, *data, *canon;
	uint32_t data_len, canon_len;
};

struct gai_hints {
	uint16_t flags;
	uint8_t family, socktype, protocol; /* ours: SOCK_*, IP numbers */
};

/* Check *hints as WasmEdge does: 0 or a WASI errno. */
static int32_t hints_load(const uint8_t *p, size_t node_len,
			  struct gai_hints *h)
{
	uint8_t fam = wasi_get_u8(p, AI_FAMILY);
	uint8_t type = wasi_get_u8(p, AI_SOCKTYPE);
	uint8_t proto = wasi_get_u8(p, AI_PROTOCOL);

	h->flags = wasi_get_u16(p, AI_FLAGS);
	if (h->flags & ~WE_AI_ALLFLAGS)
		return WE_EAI_BADFLAG;
	if ((h->flags & WE_AI_CANONNAME) && node_len == 0)
		return WE_EAI_BADFLAG;
	if (fam > WE_AF_INET6)
		return WE_EAI_FAMILY;
	if (proto > 2 || type > SOCK_TYPE_STREAM)
		return WASI_ENOSYS;
	h->family = fam == WE_AF_INET4	 ? SOCK_FAMILY_INET4
		    : fam == WE_AF_INET6 ? SOCK_FAMILY_INET6
					 : 0;
	h->socktype = type;
	h->protocol = proto == 1 ? 6 : proto == 2 ? 17 : 0;
	return WASI_ESUCCESS;
}

/* The first max entries of the chain at first, with their buffers. */
static int32_t slots_load(uint32_t first, uint32_t max, struct gai_slot *s)
{
	for (uint32_t i = 0; i < max; i++) {
		s[i].ai = wasi_mem(first, AI_SIZE);
		if (!s[i].ai)
			return WASI_EFAULT;
		s[i].sa = wasi_mem(wasi_get_u32(s[i].ai, AI_ADDR), SA_SIZE);
		if (!s[i].sa)
			return WASI_EFAULT;
		s[i].data_len = wasi_get_u32(s[i].sa, SA_DATA_LEN);
		s[i].data = wasi_mem(wasi_get_u32(s[i].sa, SA_DATA),
				     s[i].data_len);
		s[i].canon_len = wasi_get_u32(s[i].ai, AI_CANONLEN);
		s[i].canon = wasi_mem(wasi_get_u32(s[i].ai, AI_CANON),
				      s[i].canon_len);
		if (!s[i].data || !s[i].canon)
			return WASI_EFAULT;
		first = wasi_get_u32(s[i].ai, AI_NEXT);
	}
	return WASI_ESUCCESS;
}

/* Linux's sockaddr after sa_family, as WasmEdge copies it to sa_data. */
static uint32_t sa_data_put(uint8_t *d, const struct sock_addr *a)
{
	int v4 = a->family == SOCK_FAMILY_INET4;
	uint32_t n = v4 ? 14 : 26, at = v4 ? 2 : 6;

	memset(d, 0, n);
	wasi_put_u8(d, 0, (uint8_t)(a->port >> 8));
	wasi_put_u8(d, 1, (uint8_t)a->port);
	memcpy(d + at, a->addr, sock_alen(a->family));
	if (!v4)
		wasi_put_u32(d, 22, a->scope_id);
	return n;
}

/*
 * Answer r into slot s: a WASI errno.  canon (len) for the first one.
 * Writes stay within the lengths the program gave (slots_load checked
 * those buffers): sa_data and the canonical name are cut to fit, and
 * their length fields say what was written.
 */
static int32_t slot_store(const struct gai_slot *s, const struct sock_ai *r,
			  uint16_t flags, const char *canon, uint32_t len)
{
	int v4 = r->addr.family == SOCK_FAMILY_INET4;
	uint8_t d[26];
	uint32_t n = sa_data_put(d, &r->addr);

	if (n > s->data_len)
		n = s->data_len;
	memcpy(s->data, d, n);
	wasi_put_u16(s->ai, AI_FLAGS, flags & WE_AI_ALLFLAGS);
	wasi_put_u8(s->ai, AI_SOCKTYPE, r->socktype);
	wasi_put_u8(s->ai, AI_PROTOCOL,
		    r->protocol == 6 ? 1 : r->protocol == 17 ? 2 : 0);
	wasi_put_u8(s->ai, AI_FAMILY, v4 ? WE_AF_INET4 : WE_AF_INET6);
	wasi_put_u32(s->ai, AI_ADDRLEN, v4 ? 16 : 28);
	if (!canon || s->canon_len == 0)
		len = 0;
	else if (len > s->canon_len - 1)
		len = s->canon_len - 1; /* room for the NUL */
	if (canon && s->canon_len) {
		memcpy(s->canon, canon, len);
		s->canon[len] = 0;
	}
	wasi_put_u32(s->ai, AI_CANONLEN, len);
	wasi_put_u8(s->sa, SA_FAMILY, v4 ? WE_AF_INET4 : WE_AF_INET6);
	wasi_put_u32(s->sa, SA_DATA_LEN, n);
	return WASI_ESUCCESS;
}

/* A backend's errno as getaddrinfo's EAI code (WasmEdge's numbers). */
static int32_t gai_errno(int rc)
{
	switch (rc) {
	case -ENOENT:
		return WE_EAI_NONAME;
	case -EAGAIN:
		return WE_EAI_AGAIN;
	case -ENOMEM:
		return WE_EAI_MEMORY;
	case -EAFNOSUPPORT:
		return WE_EAI_FAMILY;
	default:
		return WE_EAI_FAIL;
	}
}

/* Keep the answers hints allow (the backends take family and type),
 * with AI_PASSIVE and no node giving the wildcard address. */
static size_t answers_filter(struct sock_ai *res, size_t cnt,
			     const struct gai_hints *h, size_t node_len)
{
	size_t k = 0;

	for (size_t i = 0; i < cnt; i++) {
		if (h->protocol && res[i].protocol != h->protocol)
			continue;
		if (h->family && res[i].addr.family != h->family)
			continue;
		if (node_len == 0 && (h->flags & WE_AI_PASSIVE))
			memset(res[i].addr.addr, 0, sizeof(res[i].addr.addr));
		res[k++] = res[i];
	}
	return k;
}

/* A string argument as WasmEdge passes it on: up to its first NUL. */
static size_t c_len(const char *s, size_t len)
{
	const char *z = memchr(s, 0, len);

	return z ? (size_t)(z - s) : len;
}

int32_t wasi_sock_getaddrinfo(int32_t node, int32_t node_len, int32_t svc,
			      int32_t svc_len, int32_t hintsp, int32_t resp,
			      int32_t max, int32_t res_lenp)
    WASI_IMPORT(sock_getaddrinfo);
int32_t wasi_sock_getaddrinfo(int32_t node, int32_t node_len, int32_t svc,
			      int32_t svc_len, int32_t hintsp, int32_t resp,
			      int32_t max, int32_t res_lenp)
{
	const struct sock_backend *b = sock_backend_get();
	const char *n = wasi_mem((uint32_t)node, (uint32_t)node_len);
	const char *s = wasi_mem((uint32_t)svc, (uint32_t)svc_len);
	const uint8_t *hp = wasi_mem((uint32_t)hintsp, AI_SIZE);
	const uint8_t *rp = wasi_mem((uint32_t)resp, 4);
	struct gai_slot slots[GAI_MAX];
	struct gai_hints h;
	struct sock_ai hints = {0}, res[GAI_MAX];
	size_t cnt = 0, nl, sl;
	uint32_t want;
	int32_t e;
	int rc;

	if (!n || !s || !hp || !rp || !wasi_mem((uint32_t)res_lenp, 4))
		return WASI_EFAULT;
	if (node_len == 0 && svc_len == 0)
		return WE_EAI_NONAME;
	if ((uint32_t)max < 1)
		return WE_EAI_MEMORY;
	e = hints_load(hp, (size_t)(uint32_t)node_len, &h);
	if (e != WASI_ESUCCESS)
		return e;
	want = (uint32_t)max < GAI_MAX ? (uint32_t)max : GAI_MAX;
	e = slots_load(wasi_get_u32(rp, 0), want, slots);
	if (e != WASI_ESUCCESS)
		return e;
	if (!b)
		return WASI_ENOTSUP;
	nl = c_len(n, (size_t)(uint32_t)node_len);
	sl = c_len(s, (size_t)(uint32_t)svc_len);
	if (nl == 0 && node_len > 0)
		return WE_EAI_NONAME; /* "" is no name (glibc) */
	hints.addr.family = h.family;
	hints.socktype = h.socktype;
	hints.protocol = h.protocol;
	hints.flags = h.flags;
	rc = b->getaddrinfo(n, nl, s, sl, &hints, res, GAI_MAX, &cnt);
	if (rc < 0)
		return gai_errno(rc);
	cnt = answers_filter(res, cnt, &h, nl);
	if (cnt == 0)
		return WE_EAI_NONAME;
	if (cnt > want)
		cnt = want;
	for (size_t i = 0; i < cnt; i++) {
		int canon = i == 0 && (h.flags & WE_AI_CANONNAME);

		e = slot_store(&slots[i], &res[i], h.flags, canon ? n : NULL,
			       (uint32_t)nl);
		if (e != WASI_ESUCCESS)
			return e;
	}
	return wasi_errno(wasi_store_u32((uint32_t)res_lenp, (uint32_t)cnt));
}
