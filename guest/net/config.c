/*
 * config.c - the interface's addressing from the kernel command line:
 *   ip=dhcp (the default)  |  ip=ADDR/PREFIX[,GATEWAY]
 *   dns=ADDR               the DNS server (DHCP's otherwise)
 * Pure parsing, no lwIP state touched.
 */
#include <errno.h>
#include <string.h>

#include "lwip/ip4_addr.h"
#include "net.h"

static int parse_ip4(const char *s, size_t len, uint32_t *out)
{
	char buf[16];
	ip4_addr_t a;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = 0;
	if (!ip4addr_aton(buf, &a))
		return -EINVAL;
	*out = ip4_addr_get_u32(&a);
	return 0;
}

static int parse_prefix(const char *s, size_t len, uint32_t *mask)
{
	unsigned v = 0;

	if (len == 0 || len > 2)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 32)
		return -EINVAL;
	*mask = lwip_htonl(v == 32 ? 0xffffffffu : ~(0xffffffffu >> v));
	return 0;
}

static int parse_static(const char *ip, struct net_config *c)
{
	const char *slash = strchr(ip, '/');
	const char *comma = strchr(ip, ',');
	const char *end = comma ? comma : ip + strlen(ip);

	if (!slash || slash > end)
		return -EINVAL;
	if (parse_ip4(ip, (size_t)(slash - ip), &c->addr) < 0 ||
	    parse_prefix(slash + 1, (size_t)(end - slash - 1), &c->mask) < 0)
		return -EINVAL;
	if (comma && parse_ip4(comma + 1, strlen(comma + 1), &c->gw) < 0)
		return -EINVAL;
	return 0;
}

int net_config_parse(const char *ip, const char *dns, struct net_config *c)
{
	memset(c, 0, sizeof(*c));
	if (!ip || strcmp(ip, "dhcp") == 0)
		c->dhcp = 1;
	else if (parse_static(ip, c) < 0)
		return -EINVAL;
	if (dns && parse_ip4(dns, strlen(dns), &c->dns) < 0)
		return -EINVAL;
	return 0;
}
