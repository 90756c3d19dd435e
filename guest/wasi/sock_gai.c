/*
 * sock_gai.c - WasmEdge's sock_getaddrinfo(node, node_len, service,
 * service_len, *hints, *res, max_len, *res_len).
 *
 * Layouts (wasm32, from the wasmedge_wasi_socket crate's repr(C) structs,
 * see sock_addr.c for the source note):
 *   WasiAddrinfo, 28 bytes: u16 ai_flags @0, u8 ai_family @2 (0 unspec,
 *     1 inet4, 2 inet6), u8 ai_socktype @3, u8 ai_protocol @4,
 *     u32 ai_addrlen @8, u32 ai_addr @12 (-> WasiSockaddr),
 *     u32 ai_canonname @16, u32 ai_canonnamelen @20, u32 ai_next @24.
 *   WasiSockaddr, 12 bytes: u16 family @0, u32 sa_data_len @4,
 *     u32 sa_data @8 -> {u16 port big-endian, address bytes}.
 * *res holds the address of an array of max_len WasiAddrinfo the program
 * allocated, each with its ai_addr and sa_data buffers; we fill the first
 * *res_len entries and chain them through ai_next.
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
#define AI_CANONLEN 20
#define AI_NEXT	    24
#define SA_FAMILY   0
#define SA_DATA_LEN 4
#define SA_DATA	    8
#define GAI_MAX	    16u

/* Fill the WasiAddrinfo at ai from r: 0 or -EFAULT/-EINVAL. */
static int ai_store(uint32_t ai, const struct sock_ai *r, uint32_t next)
{
	uint8_t *p = wasi_mem(ai, AI_SIZE), *sa, *data;
	uint32_t alen = r->addr.family == SOCK_FAMILY_INET4 ? 4 : 16;

	if (!p)
		return -EFAULT;
	sa = wasi_mem(wasi_get_u32(p, AI_ADDR), 12);
	if (!sa)
		return -EFAULT;
	if (wasi_get_u32(sa, SA_DATA_LEN) < 2 + alen)
		return -EINVAL;
	data = wasi_mem(wasi_get_u32(sa, SA_DATA), 2 + alen);
	if (!data)
		return -EFAULT;
	wasi_put_u8(data, 0, (uint8_t)(r->addr.port >> 8));
	wasi_put_u8(data, 1, (uint8_t)r->addr.port);
	memcpy(data + 2, r->addr.addr, alen);
	wasi_put_u16(sa, SA_FAMILY, alen == 4 ? 1 : 2);
	wasi_put_u32(sa, SA_DATA_LEN, 2 + alen);
	wasi_put_u16(p, AI_FLAGS, 0);
	wasi_put_u8(p, AI_FAMILY, alen == 4 ? 1 : 2);
	wasi_put_u8(p, AI_SOCKTYPE, r->socktype);
	wasi_put_u32(p, AI_PROTOCOL, r->protocol); /* u8 + padding */
	wasi_put_u32(p, AI_ADDRLEN, 2 + alen);
	wasi_put_u32(p, AI_CANONLEN, 0);
	wasi_put_u32(p, AI_NEXT, next);
	return 0;
}

static int hints_load(uint32_t hp, struct sock_ai *h)
{
	const uint8_t *p;

	memset(h, 0, sizeof(*h));
	if (hp == 0)
		return 0;
	p = wasi_mem(hp, AI_SIZE);
	if (!p)
		return -EFAULT;
	h->flags = wasi_get_u16(p, AI_FLAGS);
	switch (wasi_get_u8(p, AI_FAMILY)) {
	case 1:
		h->addr.family = SOCK_FAMILY_INET4;
		break;
	case 2:
		h->addr.family = SOCK_FAMILY_INET6;
		break;
	default:
		break;
	}
	h->socktype = wasi_get_u8(p, AI_SOCKTYPE);
	if (h->socktype > SOCK_TYPE_STREAM)
		h->socktype = 0;
	return 0;
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
	const uint8_t *rp = wasi_mem((uint32_t)resp, 4);
	struct sock_ai hints, res[GAI_MAX];
	size_t cnt = 0,
	       want = (uint32_t)max < GAI_MAX ? (uint32_t)max : GAI_MAX;
	int rc;

	if (!b)
		return WASI_ENOTSUP;
	if (!n || !s || !rp || !wasi_mem((uint32_t)res_lenp, 4))
		return WASI_EFAULT;
	rc = hints_load((uint32_t)hintsp, &hints);
	if (rc < 0)
		return wasi_errno(rc);
	/* Strings may arrive NUL-terminated in their length: trim it. */
	while (node_len > 0 && n[node_len - 1] == 0)
		node_len--;
	while (svc_len > 0 && s[svc_len - 1] == 0)
		svc_len--;
	rc = b->getaddrinfo(n, (size_t)node_len, s, (size_t)svc_len, &hints,
			    res, want, &cnt);
	if (rc < 0)
		return wasi_errno(rc);
	uint32_t base = wasi_get_u32(rp, 0);

	for (size_t i = 0; i < cnt; i++) {
		uint32_t ai = base + (uint32_t)i * AI_SIZE;
		uint32_t next = i + 1 < cnt ? ai + AI_SIZE : 0;

		rc = ai_store(ai, &res[i], next);
		if (rc < 0)
			return wasi_errno(rc);
	}
	return wasi_errno(wasi_store_u32((uint32_t)res_lenp, (uint32_t)cnt));
}
