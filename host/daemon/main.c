/*
 * mewz-host: serves guests' file calls from shared host directories.
 *
 * Parses the command line, opens the shares, starts the listeners and runs
 * the libuv loop until SIGINT or SIGTERM (or the end of a --conn-fd
 * connection); then stops listening, closes every session, lets running
 * thread-pool jobs finish and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "options.h"
#include "server.h"

static uv_signal_t sigs[2]; /* SIGINT, SIGTERM */

static void close_signals(struct mh_server *srv)
{
	(void)srv;
	for (int i = 0; i < 2; i++) {
		if (!uv_is_closing((uv_handle_t *)&sigs[i]))
			uv_close((uv_handle_t *)&sigs[i], NULL);
	}
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct mh_server *srv = h->data;

	mh_log(srv, "signal %d: shutting down", signum);
	/* With the listeners and (through on_stop) the signal handles
	 * closed, the loop ends once the last session is gone. */
	server_stop(srv);
}

static void set_pool_size(unsigned threads)
{
	char n[16];

	/* libuv reads this once, when the pool first starts.  Its default
	 * (4) is shared by every session; more threads let a slow disk hold
	 * some without holding all.  --threads beats the environment, which
	 * beats our default. */
	snprintf(n, sizeof(n), "%u", threads ? threads : 16);
	setenv("UV_THREADPOOL_SIZE", n, threads != 0);
}

/* --ready-fd: whoever started us learns that every listener is up. */
static void announce_ready(struct mh_server *srv)
{
	static const char msg[] = "ready\n";

	if (srv->ready_fd < 0)
		return;
	if (write(srv->ready_fd, msg, sizeof(msg) - 1) < 0)
		perror("mewz-host: --ready-fd");
	close(srv->ready_fd);
	srv->ready_fd = -1;
}

int main(int argc, char **argv)
{
	uv_loop_t *loop = uv_default_loop();
	struct mh_server srv;
	unsigned threads = 0;
	int rc;

	server_defaults(&srv, loop);
	rc = options_parse(&srv, argc, argv, &threads);
	if (rc != 0) {
		server_free(&srv);
		return rc > 0 ? 0 : 2;
	}
	set_pool_size(threads);
	/* A guest that hangs up mid-write must not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	if (server_open_shares(&srv) || server_start(&srv)) {
		server_stop(&srv);
		uv_run(loop, UV_RUN_DEFAULT);
		server_free(&srv);
		return 1;
	}
	srv.on_stop = close_signals;
	for (int i = 0; i < 2; i++) {
		uv_signal_init(loop, &sigs[i]);
		sigs[i].data = &srv;
		uv_signal_start(&sigs[i], on_signal, i ? SIGTERM : SIGINT);
	}
	fprintf(stderr, "mewz-host: ready\n");
	announce_ready(&srv);
	uv_run(loop, UV_RUN_DEFAULT);
	rc = uv_loop_close(loop);
	server_free(&srv);
	return rc == 0 ? 0 : 1;
}
