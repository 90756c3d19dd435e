/*
 * dns.c - getaddrinfo over lwIP: numeric addresses directly, names through
 * lwIP's DNS client (servers from DHCP or dns=), waiting in net_wait.
 * Services are port numbers, or the few names programs commonly use.
 */
#include <errno.h>
#include <string.h>

#include <mewz/plat.h>

#include "lsock.h"
#include "lwip/dns.h"
#include "net.h"

#define DNS_WAIT_NS 10000000000ull /* lwIP retries inside this */
#define NAME_MAX_LEN 255

struct lookup {
	int done;
	int found;
	ip_addr_t ip;
};

static void on_found(const char *name, const ip_addr_t *ip, void *arg)
{
	struct lookup *l = arg;

	(void)name;
	l->done = 1;
	if (ip) {
		l->found = 1;
		ip_addr_copy(l->ip, *ip);
	}
}

static int resolve(const char *name, ip_addr_t *ip)
{
	struct lookup l = {0};
	uint64_t until;
	err_t err;

	if (ipaddr_aton(name, ip))
		return 0;
	err = dns_gethostbyname(name, ip, on_found, &l);
	if (err == ERR_OK)
		return 0;
	if (err != ERR_INPROGRESS)
		return err == ERR_ARG ? -ENOENT : -EIO;
	until = mewz_plat_monotonic_ns() + DNS_WAIT_NS;
	while (!l.done && mewz_plat_monotonic_ns() < until)
		net_wait(until);
	if (!l.done)
		return -EIO;
	if (!l.found)
		return -ENOENT;
	ip_addr_copy(*ip, l.ip);
	return 0;
}

static int parse_service(const char *s, size_t len, uint16_t *port)
{
	static const struct {
		const char *name;
		uint16_t port;
	} known[] = {{"http", 80}, {"https", 443}, {"domain", 53},
		     {"ftp", 21},  {"ssh", 22},	   {"smtp", 25}};
	unsigned v = 0;

	*port = 0;
	if (len == 0)
		return 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].name) == len &&
		    memcmp(known[i].name, s, len) == 0) {
			*port = known[i].port;
			return 0;
		}
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || (v = v * 10 + (unsigned)(s[i] - '0')) > 65535)
			return -ENOENT;
	}
	*port = (uint16_t)v;
	return 0;
}

int lsock_getaddrinfo(const char *node, size_t node_len, const char *service,
		      size_t service_len, const struct sock_ai *hints,
		      struct sock_ai *res, size_t max, size_t *n)
{
	static const uint8_t types[2] = {SOCK_TYPE_STREAM, SOCK_TYPE_DGRAM};
	char name[NAME_MAX_LEN + 1];
	ip_addr_t ip;
	uint16_t port;
	int rc;

	*n = 0;
	if (node_len > NAME_MAX_LEN || memchr(node, 0, node_len))
		return -ENOENT;
	if (parse_service(service, service_len, &port) < 0)
		return -ENOENT;
	memcpy(name, node, node_len);
	name[node_len] = 0;
	if (node_len == 0)
		ip_addr_set_loopback(0, &ip); /* no loopback netif: 127.0.0.1 */
	else if ((rc = resolve(name, &ip)) < 0)
		return rc;
	for (size_t t = 0; t < 2 && *n < max; t++) {
		struct sock_ai *a = &res[*n];

		if (hints && hints->socktype && hints->socktype != types[t])
			continue;
		memset(a, 0, sizeof(*a));
		lsock_addr_from_ip(&a->addr,
				   IP_IS_V6(&ip) ? SOCK_FAMILY_INET6
						 : SOCK_FAMILY_INET4,
				   &ip, port);
		a->socktype = types[t];
		a->protocol = types[t] == SOCK_TYPE_STREAM ? 6 : 17;
		(*n)++;
	}
	return 0;
}
