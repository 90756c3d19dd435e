/* test_config.c - guest/net/config.c: the ip= and dns= options. */
#include <arpa/inet.h>
#include <errno.h>

#include "../../../guest/net/net.h"
#include "check.h"

static uint32_t a(const char *s)
{
	return inet_addr(s); /* network order, as config.c stores */
}

void test_config(void)
{
	struct net_config c;

	CHECK_EQ(net_config_parse(NULL, NULL, &c), 0);
	CHECK_EQ(c.dhcp, 1);
	CHECK_EQ(net_config_parse("dhcp", "10.0.2.3", &c), 0);
	CHECK_EQ(c.dhcp, 1);
	CHECK_EQ(c.dns, a("10.0.2.3"));
	CHECK_EQ(net_config_parse("10.0.2.15/24,10.0.2.2", NULL, &c), 0);
	CHECK_EQ(c.dhcp, 0);
	CHECK_EQ(c.addr, a("10.0.2.15"));
	CHECK_EQ(c.mask, a("255.255.255.0"));
	CHECK_EQ(c.gw, a("10.0.2.2"));
	CHECK_EQ(net_config_parse("192.168.1.7/32", NULL, &c), 0);
	CHECK_EQ(c.mask, a("255.255.255.255"));
	CHECK_EQ(c.gw, 0);
	CHECK_EQ(net_config_parse("10.1.2.3/1", NULL, &c), 0);
	CHECK_EQ(c.mask, a("128.0.0.0"));
	/* Malformed: each must be refused, never half-applied. */
	CHECK_EQ(net_config_parse("10.0.2.15", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.15/", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.15/0", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.15/33", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.15/2x", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.300/24", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.15/24,", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.15/24,gw", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("10.0.2.15,10.0.2.2/24", NULL, &c), -EINVAL);
	CHECK_EQ(net_config_parse("dhcp", "not-an-ip", &c), -EINVAL);
	CHECK_EQ(net_config_parse("123456789012345678/24", NULL, &c), -EINVAL);
}
