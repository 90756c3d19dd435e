/*
 * The net=host socket policy: which host addresses a guest may bind and
 * which destinations it may connect or send to.
 *
 * Defaults: bind 127.0.0.1 (any port); connect to loopback (127.0.0.0/8,
 * ::1).  Each --allow-bind / --allow-connect HOST[:PORT] adds one rule;
 * "*" matches every address and port 0 (or none) every port.  A refusal
 * is ACCES and one log line, so the operator sees what the guest tried.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "sock.h"

#define POLICY_MAX 32

struct rule {
	bool any;
	struct proto_addr a; /* family, addr; port 0 = any */
};

static struct rule bind_rules[POLICY_MAX], conn_rules[POLICY_MAX];
static unsigned nbind, nconn;
static bool locked;

void sock_policy_lockdown(void)
{
	locked = true;
}

/* Parse "HOST", "HOST:PORT", "[V6]:PORT", "V6", "*" or "*:PORT". */
static int parse_rule(const char *spec, struct rule *r)
{
	char host[64];
	const char *port = NULL;
	size_t hl;

	memset(r, 0, sizeof(*r));
	if (spec[0] == '[') {
		const char *e = strchr(spec, ']');

		if (!e || (e[1] && e[1] != ':'))
			return -1;
		hl = (size_t)(e - spec - 1);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, spec + 1, hl);
		host[hl] = 0;
		port = e[1] ? e + 2 : NULL;
	} else {
		const char *c = strchr(spec, ':');

		/* More than one colon without brackets: a bare IPv6 address. */
		if (c && strchr(c + 1, ':'))
			c = NULL;
		hl = c ? (size_t)(c - spec) : strlen(spec);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, spec, hl);
		host[hl] = 0;
		port = c ? c + 1 : NULL;
	}
	if (port) {
		char *end;
		long v = strtol(port, &end, 10);

		if (*port == 0 || *end || v < 0 || v > 65535)
			return -1;
		r->a.port = (uint16_t)v;
	}
	if (strcmp(host, "*") == 0) {
		r->any = true;
		return 0;
	}
	if (inet_pton(AF_INET, host, r->a.addr) == 1) {
		r->a.family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, host, r->a.addr) == 1) {
		r->a.family = 6;
		return 0;
	}
	return -1;
}

int sock_policy_add(bool connect, const char *spec)
{
	struct rule *v = connect ? conn_rules : bind_rules;
	unsigned *n = connect ? &nconn : &nbind;

	if (*n >= POLICY_MAX) {
		fprintf(stderr, "mewz-host: too many --allow-%s rules\n",
			connect ? "connect" : "bind");
		return -1;
	}
	if (parse_rule(spec, &v[*n])) {
		fprintf(stderr, "mewz-host: bad --allow-%s %s\n",
			connect ? "connect" : "bind", spec);
		return -1;
	}
	(*n)++;
	return 0;
}

static bool rule_match(const struct rule *r, const struct proto_addr *a)
{
	if (r->a.port && r->a.port != a->port)
		return false;
	if (r->any)
		return true;
	if (r->a.family != a->family)
		return false;
	return memcmp(r->a.addr, a->addr, a->family == 4 ? 4 : 16) == 0;
}

static bool is_loopback(const struct proto_addr *a)
{
	static const uint8_t v6lo[16] = {[15] = 1};

	if (a->family == 4)
		return a->addr[0] == 127;
	return memcmp(a->addr, v6lo, 16) == 0;
}

static bool allowed(bool connect, const struct proto_addr *a)
{
	const struct rule *v = connect ? conn_rules : bind_rules;
	unsigned n = connect ? nconn : nbind;

	if (locked)
		return false;
	if (connect && is_loopback(a))
		return true;
	if (!connect && a->family == 4 && a->addr[0] == 127 &&
	    a->addr[1] == 0 && a->addr[2] == 0 && a->addr[3] == 1)
		return true;
	for (unsigned i = 0; i < n; i++) {
		if (rule_match(&v[i], a))
			return true;
	}
	return false;
}

uint32_t sock_policy_check(struct mh_server *srv, bool connect,
			   const struct proto_addr *a)
{
	char txt[64];

	if (allowed(connect, a))
		return 0;
	inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, txt,
		  sizeof(txt));
	/* Always printed, not only with -v: a refusal is news. */
	(void)srv;
	fprintf(
	    stderr,
	    "mewz-host: policy: refused %s to %s port %u (see --allow-%s)\n",
	    connect ? "connect" : "bind", txt, a->port,
	    connect ? "connect" : "bind");
	return PROTO_WASI_EACCES;
}
