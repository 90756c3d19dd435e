/*
 * The server: shares, what HELLO hands out, limits, live sessions and
 * listeners.  One per daemon, owned by main and used on the loop thread.
 */
#ifndef MH_SERVER_H
#define MH_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "transport.h"

struct mh_session;

struct mh_share {
	char *host;  /* as given */
	char *guest; /* guest path of the preopen */
	char *real;  /* realpath(host), for symlink depth checks */
	bool ro;
	bool local;  /* fs_local(root_fd): for the preopen handles */
	int root_fd; /* O_RDONLY | O_DIRECTORY */
};

struct mh_limits {
	uint32_t max_handles;  /* open handles per session */
	uint64_t max_inflight; /* bytes held for one session before
				* it stops reading its connection */
	uint32_t max_jobs;     /* thread-pool jobs per session at once */
	uint32_t max_frame;    /* largest frame offered in HELLO */
};

#define MH_MAX_LISTENERS 16

struct mh_server {
	uv_loop_t *loop;
	struct mh_share *shares;
	uint32_t nshares;
	char **args;
	uint32_t nargs;
	char **env;
	uint32_t nenv;
	struct mh_limits limits;
	struct mh_listener listeners[MH_MAX_LISTENERS];
	uint32_t nlisteners;
	struct mh_session *sessions; /* doubly linked through session */
	uint32_t nsessions;
	uint64_t next_session_id;
	bool stopping;
	int verbose;
	int ready_fd; /* --ready-fd: gets "ready\n" once listening, or -1 */
	/* Called once by server_stop(), for main's own handles (signals). */
	void (*on_stop)(struct mh_server *srv);
};

void server_defaults(struct mh_server *srv, uv_loop_t *loop);
/* Opens every share's root; returns 0 or prints why and returns -1. */
int server_open_shares(struct mh_server *srv);
/* Starts every listener; returns 0 or -1 after printing why. */
int server_start(struct mh_server *srv);
/* Stops listening and closes every session; the loop then drains.
 * Called on SIGINT/SIGTERM, and when a --conn-fd connection ends. */
void server_stop(struct mh_server *srv);
/* Frees what server_open_shares and the options made. */
void server_free(struct mh_server *srv);

void mh_log(const struct mh_server *srv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
