/*
 * share.c - `mewz run --share HOST[:GUEST][:ro]` and `--host PATH` for
 * programs run natively (--native): the front-end side of mewz-host.
 *
 * With --share, mewz starts its own mewz-host for the one program: a
 * socketpair connects them, the daemon serves its end (`--conn-fd`) and
 * exits when the program's end closes, whatever way the program ends.  The
 * program learns its end from MEWZ_HOST_FD (guest/plat/linux reads and
 * hides it).  With --host, the program connects to a daemon that is
 * already running on that AF_UNIX socket (MEWZ_HOST_SOCKET) and the shares
 * are the daemon's own; --share is then an error.
 *
 * The daemon's stderr is relayed until it is ready, so a bad share is
 * reported before the program starts (exit 125); after that it is closed
 * (mewz-host ignores SIGPIPE), so the daemon's "ready" line never mixes
 * with the program's output.  With -v it is left on mewz's stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "share.h"

#define SHARE_MAX 32

static const char *shares[SHARE_MAX];
static size_t nshares;
static const char *host_path;
static char host_env[4200];

bool share_option(const char *opt, const char *arg)
{
	if (!arg)
		return false;
	if (!strcmp(opt, "--share")) {
		if (nshares == SHARE_MAX || !*arg) {
			fprintf(stderr, "mewz: --share: at most %d shares, each non-empty\n",
				SHARE_MAX);
			exit(MEWZ_EXIT_USAGE);
		}
		shares[nshares++] = arg;
		return true;
	}
	if (!strcmp(opt, "--host")) {
		host_path = arg;
		return true;
	}
	return false;
}

/* Put one more K=V into the NULL-terminated env (the caller left room). */
static void env_append(char **env, char *kv)
{
	size_t n = 0;

	while (env[n])
		n++;
	env[n] = kv;
	env[n + 1] = NULL;
}

static void daemon_path(const struct tools *t, char *out, size_t len)
{
	const char *e = getenv("MEWZ_HOST_DAEMON");

	if (e && *e)
		snprintf(out, len, "%s", e);
	else
		snprintf(out, len, "%.4000s/host/mewz-host", t->build);
}

/* In the child: become mewz-host serving conn_fd, stderr on err_fd. */
static _Noreturn void daemon_exec(const char *exe, int conn_fd, int err_fd)
{
	char fdarg[16];
	const char *argv[2 * SHARE_MAX + 6];
	size_t n = 0;

	snprintf(fdarg, sizeof(fdarg), "%d", conn_fd);
	argv[n++] = exe;
	for (size_t i = 0; i < nshares; i++) {
		argv[n++] = "--share";
		argv[n++] = shares[i];
	}
	argv[n++] = "--conn-fd";
	argv[n++] = fdarg;
	argv[n] = NULL;
	if (err_fd >= 0 && dup2(err_fd, 2) < 0)
		_exit(127);
	/* Only the daemon's own end of the pair crosses exec. */
	fcntl(conn_fd, F_SETFD, 0);
	execv(exe, (char *const *)argv);
	fprintf(stderr, "mewz: cannot run %s: %s\n", exe, strerror(errno));
	_exit(127);
}

/*
 * Relay the daemon's stderr until its "ready" line; 0 once ready, -1 if
 * it ended (or failed) before that.
 */
static int daemon_wait_ready(int err_fd)
{
	static const char ready[] = "mewz-host: ready\n";
	char line[1024];
	size_t len = 0;

	for (;;) {
		ssize_t n = read(err_fd, line + len, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (line[len] != '\n' && ++len < sizeof(line) - 1)
			continue;
		line[++len] = 0;
		if (!strcmp(line, ready))
			return 0;
		fputs(line, stderr);
		len = 0;
	}
}

int share_native_start(const struct tools *t, char **env)
{
	int sv[2], errp[2] = {-1, -1};
	char exe[4200];
	pid_t pid;

	if (host_path) {
		if (nshares) {
			fprintf(stderr, "mewz: --share and --host exclude each other "
					"(the running daemon has its own shares)\n");
			return -1;
		}
		snprintf(host_env, sizeof(host_env), "MEWZ_HOST_SOCKET=%s", host_path);
		env_append(env, host_env);
		return 0;
	}
	if (!nshares)
		return 0;
	daemon_path(t, exe, sizeof(exe));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ||
	    (!t->verbose && pipe2(errp, O_CLOEXEC))) {
		perror("mewz: mewz-host connection");
		return -1;
	}
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("mewz: fork");
		return -1;
	}
	if (pid == 0)
		daemon_exec(exe, sv[1], errp[1]);
	close(sv[1]);
	if (errp[1] >= 0) {
		close(errp[1]);
		if (daemon_wait_ready(errp[0])) {
			waitpid(pid, NULL, 0);
			fprintf(stderr, "mewz: mewz-host did not start (--share %s)\n", shares[0]);
			return -1;
		}
		close(errp[0]);
	}
	/* The program's end: inherited by the program, not CLOEXEC. */
	if (fcntl(sv[0], F_SETFD, 0)) {
		perror("mewz: mewz-host connection");
		return -1;
	}
	snprintf(host_env, sizeof(host_env), "MEWZ_HOST_FD=%d", sv[0]);
	env_append(env, host_env);
	return 0;
}
