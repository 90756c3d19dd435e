/*
 * sock-unit: the pieces of net=host sockets that need no network: the
 * wire address codec (proto/) and mewz-host's bind/connect policy
 * (host/daemon/sock_policy.c), under ASan+UBSan.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "sock.h"

static int pass, fail;

#define CHECK(name, cond)                                                      \
	do {                                                                   \
		if (cond) {                                                    \
			pass++;                                                \
		} else {                                                       \
			fail++;                                                \
			printf("FAIL %s (%s:%d)\n", name, __FILE__, __LINE__); \
		}                                                              \
	} while (0)

static struct proto_addr addr(const char *ip, uint16_t port)
{
	struct proto_addr a = {.port = port};

	if (inet_pton(AF_INET, ip, a.addr) == 1)
		a.family = 4;
	else if (inet_pton(AF_INET6, ip, a.addr) == 1)
		a.family = 6;
	return a;
}

static int allowed(int connect, const char *ip, uint16_t port)
{
	struct proto_addr a = addr(ip, port);

	return sock_policy_check(NULL, connect, &a) == 0;
}

static void test_codec(void)
{
	struct proto_addr a = addr("10.1.2.3", 8080), b;
	uint8_t buf[PROTO_ADDR_MAX];
	uint32_t n = proto_addr_put(buf, &a);

	CHECK("v4 length", n == PROTO_ADDR4_LEN);
	CHECK("v4 round trip", proto_addr_get(buf, n, &b) && b.family == 4 &&
				   b.port == 8080 &&
				   !memcmp(b.addr, a.addr, 4));
	CHECK("v4 port little-endian", buf[1] == 0x90 && buf[2] == 0x1f);
	a = addr("fe80::1", 443);
	a.scope_id = 7;
	n = proto_addr_put(buf, &a);
	CHECK("v6 length", n == PROTO_ADDR6_LEN);
	CHECK("v6 round trip", proto_addr_get(buf, n, &b) && b.family == 6 &&
				   b.port == 443 && b.scope_id == 7 &&
				   !memcmp(b.addr, a.addr, 16));
	CHECK("v6 bytes under a v4 tag",
	      (buf[0] = 4, !proto_addr_get(buf, n, &b)));
	CHECK("short", !proto_addr_get(buf, 6, &b));
	CHECK("empty", !proto_addr_get(buf, 0, &b));
	a.family = 5;
	CHECK("unknown family not encoded", proto_addr_put(buf, &a) == 0);
}

static void test_policy_defaults(void)
{
	CHECK("bind 127.0.0.1", allowed(0, "127.0.0.1", 8080));
	CHECK("bind 127.0.0.2 refused", !allowed(0, "127.0.0.2", 8080));
	CHECK("bind 0.0.0.0 refused", !allowed(0, "0.0.0.0", 80));
	CHECK("bind ::1 refused by default", !allowed(0, "::1", 80));
	CHECK("connect 127.0.0.1", allowed(1, "127.0.0.1", 1));
	CHECK("connect 127.9.9.9 (loopback /8)", allowed(1, "127.9.9.9", 1));
	CHECK("connect ::1", allowed(1, "::1", 1));
	CHECK("connect 10.0.0.1 refused", !allowed(1, "10.0.0.1", 80));
	CHECK("connect ::ffff:10.0.0.1 refused",
	      !allowed(1, "::ffff:10.0.0.1", 80));
}

static void test_policy_rules(void)
{
	CHECK("bad rule refused", sock_policy_add(false, "nonsense") < 0);
	CHECK("bad port refused", sock_policy_add(false, "1.2.3.4:70000") < 0);
	CHECK("unclosed bracket refused", sock_policy_add(true, "[::1:80") < 0);
	CHECK("add 0.0.0.0:8080", sock_policy_add(false, "0.0.0.0:8080") == 0);
	CHECK("bind 0.0.0.0:8080", allowed(0, "0.0.0.0", 8080));
	CHECK("bind 0.0.0.0:8081 still refused", !allowed(0, "0.0.0.0", 8081));
	CHECK("add ::1", sock_policy_add(false, "::1") == 0);
	CHECK("bind ::1 any port", allowed(0, "::1", 1234));
	CHECK("add [2001:db8::5]:443",
	      sock_policy_add(true, "[2001:db8::5]:443") == 0);
	CHECK("connect 2001:db8::5 port 443", allowed(1, "2001:db8::5", 443));
	CHECK("connect 2001:db8::5 port 80 refused",
	      !allowed(1, "2001:db8::5", 80));
	CHECK("add *:53", sock_policy_add(true, "*:53") == 0);
	CHECK("connect anything on 53", allowed(1, "192.0.2.1", 53));
	CHECK("connect elsewhere still refused", !allowed(1, "192.0.2.1", 54));
	sock_policy_lockdown();
	CHECK("lockdown: no bind, even 127.0.0.1",
	      !allowed(0, "127.0.0.1", 8080));
	CHECK("lockdown: no connect, even loopback",
	      !allowed(1, "127.0.0.1", 80));
}

int main(void)
{
	test_codec();
	test_policy_defaults();
	test_policy_rules();
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
