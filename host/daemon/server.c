/* The server: shares, listeners and the set of live sessions. */
#include "proto.h"
#include "server.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session.h"

void server_defaults(struct mh_server *srv, uv_loop_t *loop)
{
	memset(srv, 0, sizeof(*srv));
	srv->loop = loop;
	srv->limits.max_handles = 1024;
	srv->limits.max_inflight = 16u << 20;
	srv->limits.max_jobs = 4;
	srv->limits.max_frame = PROTO_FRAME_MAX;
	srv->ready_fd = -1;
}

void mh_log(const struct mh_server *srv, const char *fmt, ...)
{
	va_list ap;

	if (!srv->verbose)
		return;
	va_start(ap, fmt);
	fputs("mewz-host: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int server_open_shares(struct mh_server *srv)
{
	for (uint32_t i = 0; i < srv->nshares; i++) {
		struct mh_share *sh = &srv->shares[i];

		sh->root_fd =
		    open(sh->host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sh->root_fd < 0) {
			fprintf(stderr, "mewz-host: share %s: %s\n", sh->host,
				strerror(errno));
			return -1;
		}
		sh->local = fs_local(sh->root_fd);
		sh->real = realpath(sh->host, NULL);
		if (sh->real == NULL) {
			fprintf(stderr, "mewz-host: share %s: %s\n", sh->host,
				strerror(errno));
			return -1;
		}
	}
	return 0;
}

int server_start(struct mh_server *srv)
{
	for (uint32_t i = 0; i < srv->nlisteners; i++) {
		struct mh_listener *l = &srv->listeners[i];
		int err = l->ops->start(l);

		if (err) {
			fprintf(stderr, "mewz-host: %s %s: %s\n", l->ops->name,
				l->arg, uv_strerror(err));
			return -1;
		}
		mh_log(srv, "listening on %s %s", l->ops->name, l->arg);
	}
	return 0;
}

void server_stop(struct mh_server *srv)
{
	if (srv->stopping)
		return;
	srv->stopping = true;
	for (uint32_t i = 0; i < srv->nlisteners; i++)
		srv->listeners[i].ops->stop(&srv->listeners[i]);
	session_close_all(srv);
	if (srv->on_stop)
		srv->on_stop(srv);
}

void server_free(struct mh_server *srv)
{
	for (uint32_t i = 0; i < srv->nshares; i++) {
		struct mh_share *sh = &srv->shares[i];

		if (sh->root_fd >= 0)
			close(sh->root_fd);
		free(sh->real);
		free(sh->host);
		free(sh->guest);
	}
	free(srv->shares);
	free(srv->args);
	free(srv->env);
	srv->shares = NULL;
	srv->nshares = 0;
}
