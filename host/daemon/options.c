/*
 * mewz-host's command line:
 *
 *   mewz-host --share HOST[:GUEST][:ro] ... [--unix PATH] [--vsock-port N]
 *             [--conn-fd N]
 *             [--vhost-user PATH] [--env K=V]... [--ready-fd N] [-v]
 *             [limits] [-- ARGS...]
 *
 * GUEST defaults to HOST as written (as other WASI hosts name preopens).
 * ARGS and the --env list are what HELLO hands every guest.
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "server.h"
#include "sock.h"

static void usage(FILE *f)
{
	fputs(
	    "usage: mewz-host --share HOST[:GUEST][:ro] ... [--unix PATH]\n"
	    "                 [--vsock-port N] [--vhost-user PATH]\n"
	    "                 [--conn-fd N] [-v]\n"
	    "                 [--allow-bind HOST[:PORT]]... (default 127.0.0.1)\n"
	    "                 [--allow-connect HOST[:PORT]]... (default loopback)\n"
	    "                 [--env K=V]... [--ready-fd N] [--max-handles N]\n"
	    "                 [--max-inflight BYTES] [--jobs N]\n"
	    "                 [--threads N] [--max-frame BYTES] [-- ARGS]\n",
	    f);
}

static int add_share(struct mh_server *srv, const char *spec)
{
	char *copy = strdup(spec), *parts[3] = {NULL, NULL, NULL};
	int n = 0;
	bool ro = false;

	if (copy == NULL)
		return -1;
	for (char *s = copy, *t; n < 3 && (t = strsep(&s, ":")) != NULL;)
		parts[n++] = t;
	if (n >= 2 && strcmp(parts[n - 1], "ro") == 0) {
		ro = true;
		parts[--n] = NULL;
	}
	if (n == 0 || n > 2 || parts[0][0] == 0 ||
	    (n == 2 && parts[1][0] == 0)) {
		fprintf(stderr, "mewz-host: bad --share %s\n", spec);
		free(copy);
		return -1;
	}
	struct mh_share *sh =
	    realloc(srv->shares, (srv->nshares + 1) * sizeof(*sh));

	if (sh == NULL) {
		free(copy);
		return -1;
	}
	srv->shares = sh;
	sh = &srv->shares[srv->nshares++];
	memset(sh, 0, sizeof(*sh));
	sh->root_fd = -1;
	sh->ro = ro;
	sh->host = strdup(parts[0]);
	sh->guest = strdup(n == 2 ? parts[1] : parts[0]);
	free(copy);
	return sh->host && sh->guest ? 0 : -1;
}

static int add_listener(struct mh_server *srv,
			const struct mh_transport_ops *ops, const char *arg)
{
	if (srv->nlisteners >= MH_MAX_LISTENERS) {
		fprintf(stderr, "mewz-host: too many listeners\n");
		return -1;
	}
	struct mh_listener *l = &srv->listeners[srv->nlisteners++];

	l->ops = ops;
	l->srv = srv;
	l->arg = arg;
	return 0;
}

static int add_string(char ***v, uint32_t *n, char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return -1;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static int parse_num(const char *opt, const char *s, unsigned long long min,
		     unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max) {
		fprintf(stderr, "mewz-host: bad %s %s\n", opt, s);
		return -1;
	}
	return 0;
}

/* One option with its value; returns -1 on error. */
static int parse_one(struct mh_server *srv, const char *opt, char *val,
		     unsigned *threads)
{
	unsigned long long n;
	struct mh_limits *lim = &srv->limits;

	if (strcmp(opt, "--share") == 0)
		return add_share(srv, val);
	if (strcmp(opt, "--unix") == 0)
		return add_listener(srv, &mh_transport_unix, val);
	if (strcmp(opt, "--vsock-port") == 0)
		return add_listener(srv, &mh_transport_vsock, val);
	if (strcmp(opt, "--conn-fd") == 0)
		return add_listener(srv, &mh_transport_fd, val);
	if (strcmp(opt, "--vhost-user") == 0)
		return add_listener(srv, &mh_transport_vhost, val);
	if (strcmp(opt, "--allow-bind") == 0)
		return sock_policy_add(false, val);
	if (strcmp(opt, "--allow-connect") == 0)
		return sock_policy_add(true, val);
	if (strcmp(opt, "--env") == 0) {
		if (strchr(val, '=') == NULL) {
			fprintf(stderr, "mewz-host: --env wants K=V\n");
			return -1;
		}
		return add_string(&srv->env, &srv->nenv, val);
	}
	if (strcmp(opt, "--max-handles") == 0) {
		if (parse_num(opt, val, 1, 1u << 20, &n))
			return -1;
		lim->max_handles = (uint32_t)n;
		return 0;
	}
	if (strcmp(opt, "--max-inflight") == 0) {
		if (parse_num(opt, val, PROTO_FRAME_MAX, 1ull << 40, &n))
			return -1;
		lim->max_inflight = n;
		return 0;
	}
	if (strcmp(opt, "--jobs") == 0) {
		if (parse_num(opt, val, 1, 1024, &n))
			return -1;
		lim->max_jobs = (uint32_t)n;
		return 0;
	}
	if (strcmp(opt, "--threads") == 0) {
		if (parse_num(opt, val, 1, 1024, &n))
			return -1;
		*threads = (unsigned)n;
		return 0;
	}
	if (strcmp(opt, "--ready-fd") == 0) {
		if (parse_num(opt, val, 0, 1u << 20, &n))
			return -1;
		srv->ready_fd = (int)n;
		return 0;
	}
	if (strcmp(opt, "--max-frame") == 0) {
		if (parse_num(opt, val, PROTO_FRAME_MIN, PROTO_FRAME_MAX, &n))
			return -1;
		lim->max_frame = (uint32_t)n;
		return 0;
	}
	fprintf(stderr, "mewz-host: unknown option %s\n", opt);
	usage(stderr);
	return -1;
}

int options_parse(struct mh_server *srv, int argc, char **argv,
		  unsigned *threads)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "-v") == 0) {
			srv->verbose++;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "mewz-host: %s needs a value\n", a);
			return -1;
		}
		if (parse_one(srv, a, argv[i + 1], threads))
			return -1;
		i++;
	}
	for (; i < argc; i++) {
		if (add_string(&srv->args, &srv->nargs, argv[i]))
			return -1;
	}
	if (srv->nlisteners == 0) {
		fprintf(stderr, "mewz-host: no transport: give --unix, "
				"--vsock-port, --vhost-user or --conn-fd\n");
		return -1;
	}
	return 0;
}
