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
 * and socket policy are the daemon's own; --share, --allow-bind and
 * --allow-connect are then an error.
 *
 * For a VM (share_vm_start), mewz-host serves a vhost-user vsock device
 * on a socket in a private temporary directory, and qemu-run.sh
 * (--mewz-host) gives QEMU the device and the shared memory it needs.  A small supervisor process owns the
 * daemon: when the VM's process (mewz, then qemu-run.sh) ends, the kernel
 * signals it (PR_SET_PDEATHSIG), and it stops the daemon and removes the
 * directory.  With --host PATH, PATH is the vhost-user socket of a
 * running `mewz-host --vhost-user PATH`.
 *
 * The daemon's stderr comes through a pipe: mewz reads it until the
 * daemon is ready, so a bad share is reported before the program starts
 * (exit 125) and the "ready" line is shown only with -v; then a small
 * relay process (relay_stderr) copies the rest to our stderr for as long
 * as the daemon lives, so its later errors, and with -v its log (mewz
 * passes -v on), are never lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "share.h"

#define SHARE_MAX 32

static const char *shares[SHARE_MAX];
static size_t nshares;
static const char *host_path;
/* --allow-bind/--allow-connect, passed as they are to the daemon we
 * start; they start none themselves (share.h). */
static const char *policy[2 * SHARE_MAX];
static size_t npolicy;
/* The program makes socket calls: net=host needs a daemon even without shares. */
static bool want_daemon;

void share_need_daemon(bool need)
{
	want_daemon = need;
}

/* Our own daemon serves this run: shares, or sockets (not --host). */
static bool own_daemon(void)
{
	return nshares || (want_daemon && !host_path);
}

/* The daemon never said ready: name what it was started for. */
static void start_failed(void)
{
	if (nshares)
		fprintf(stderr, "mewz: mewz-host did not start (--share %s)\n", shares[0]);
	else
		fprintf(stderr, "mewz: mewz-host did not start (for the program's sockets)\n");
}

/* --share or a policy option with --host: refused, the running daemon
 * has its own shares and policy. */
static bool own_options_with_host(void)
{
	if (!host_path || (!nshares && !npolicy))
		return false;
	fprintf(stderr, "mewz: %s and --host exclude each other "
			"(the running daemon has its own %s)\n",
		nshares ? "--share" : "--allow-bind/--allow-connect",
		nshares ? "shares" : "socket policy");
	return true;
}

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
	if (!strcmp(opt, "--allow-bind") || !strcmp(opt, "--allow-connect")) {
		if (npolicy == sizeof(policy) / sizeof(policy[0])) {
			fprintf(stderr, "mewz: too many %s options\n", opt);
			exit(MEWZ_EXIT_USAGE);
		}
		policy[npolicy++] = opt;
		policy[npolicy++] = arg;
		return true;
	}
	return false;
}

bool share_has_policy(void)
{
	return npolicy > 0;
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

/*
 * In the child: become mewz-host serving the shares over `how` (an
 * option such as --conn-fd or --vhost-user) `what`, stderr on err_fd.
 * conn_fd, if not -1, is the one inherited fd that crosses exec.
 */
static _Noreturn void daemon_exec(const char *exe, const char *how, const char *what,
				  int conn_fd, int err_fd, bool verbose)
{
	const char *argv[4 * SHARE_MAX + 7];
	size_t n = 0;

	argv[n++] = exe;
	if (verbose)
		argv[n++] = "-v";
	for (size_t i = 0; i < nshares; i++) {
		argv[n++] = "--share";
		argv[n++] = shares[i];
	}
	for (size_t i = 0; i < npolicy; i++)
		argv[n++] = policy[i];
	argv[n++] = how;
	argv[n++] = what;
	argv[n] = NULL;
	if (err_fd >= 0 && dup2(err_fd, 2) < 0)
		_exit(127);
	if (conn_fd >= 0)
		fcntl(conn_fd, F_SETFD, 0);
	execv(exe, (char *const *)argv);
	fprintf(stderr, "mewz: cannot run %s: %s\n", exe, strerror(errno));
	_exit(127);
}

/*
 * Relay the daemon's stderr until its "ready" line; 0 once ready, -1 if
 * it ended (or failed) before that.
 */
static int daemon_wait_ready(int err_fd, bool verbose)
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
		if (!strcmp(line, ready)) {
			if (verbose)
				fputs(line, stderr);
			return 0;
		}
		fputs(line, stderr);
		len = 0;
	}
}

/*
 * After the ready line: a child copies the daemon's stderr (err_fd) to
 * ours until the daemon ends.  It keeps only those two fds, so it holds
 * neither the program's connection nor a caller's stdout pipe open, and
 * ignores SIGINT so the daemon's last words after a ^C still come out.
 * If it cannot start, the daemon's later lines are lost, nothing else.
 */
static void relay_stderr(int err_fd)
{
	char buf[4096];
	pid_t pid = fork();

	if (pid != 0) {
		close(err_fd);
		return;
	}
	signal(SIGINT, SIG_IGN);
	if (dup2(err_fd, 0) < 0)
		_exit(1);
	close(1);
	close_range(3, ~0u, 0);
	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(2, buf + off, (size_t)(n - off))) <= 0)
				_exit(1);
	}
}

int share_native_start(const struct tools *t, char **env)
{
	int sv[2], errp[2];
	char exe[4200];
	pid_t pid;

	if (own_options_with_host())
		return -1;
	if (host_path) {
		snprintf(host_env, sizeof(host_env), "MEWZ_HOST_SOCKET=%s", host_path);
		env_append(env, host_env);
		return 0;
	}
	if (!own_daemon())
		return 0;
	daemon_path(t, exe, sizeof(exe));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) ||
	    pipe2(errp, O_CLOEXEC)) {
		perror("mewz: mewz-host connection");
		return -1;
	}
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("mewz: fork");
		return -1;
	}
	if (pid == 0) {
		char fdarg[16];

		snprintf(fdarg, sizeof(fdarg), "%d", sv[1]);
		daemon_exec(exe, "--conn-fd", fdarg, sv[1], errp[1], t->verbose);
	}
	close(sv[1]);
	close(errp[1]);
	if (daemon_wait_ready(errp[0], t->verbose)) {
		waitpid(pid, NULL, 0);
		start_failed();
		return -1;
	}
	relay_stderr(errp[0]);
	/* The program's end: inherited by the program, not CLOEXEC. */
	if (fcntl(sv[0], F_SETFD, 0)) {
		perror("mewz: mewz-host connection");
		return -1;
	}
	snprintf(host_env, sizeof(host_env), "MEWZ_HOST_FD=%d", sv[0]);
	env_append(env, host_env);
	return 0;
}

/* ---- VM mode ------------------------------------------------------------ */

static char vm_dir[4200], vm_sock[4300];
static char *vm_args[3];

/*
 * The supervisor: start the daemon, then wait for whichever comes first,
 * its end or our parent's (PDEATHSIG), and clean up after it.
 */
static _Noreturn void supervise(const char *exe, int err_fd, pid_t parent, bool verbose)
{
	sigset_t set;
	pid_t daemon;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		_exit(0);
	daemon = fork();
	if (daemon == 0) {
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		daemon_exec(exe, "--vhost-user", vm_sock, -1, err_fd, verbose);
	}
	if (err_fd >= 0)
		close(err_fd);
	do
		sig = sigwaitinfo(&set, NULL);
	while (sig == SIGCHLD && waitpid(daemon, NULL, WNOHANG) == 0);
	if (sig != SIGCHLD && daemon > 0) {
		kill(daemon, SIGTERM);
		waitpid(daemon, NULL, 0);
	}
	unlink(vm_sock);
	rmdir(vm_dir);
	_exit(0);
}

static int vm_daemon_start(const struct tools *t)
{
	const char *tmp = getenv("TMPDIR");
	int errp[2];
	char exe[4200];
	pid_t pid, self = getpid();

	snprintf(vm_dir, sizeof(vm_dir), "%.4000s/mewz-share.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(vm_dir)) {
		fprintf(stderr, "mewz: %s: %s\n", vm_dir, strerror(errno));
		return -1;
	}
	snprintf(vm_sock, sizeof(vm_sock), "%s/vhost-user.sock", vm_dir);
	daemon_path(t, exe, sizeof(exe));
	if (pipe2(errp, O_CLOEXEC)) {
		perror("mewz: pipe");
		return -1;
	}
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("mewz: fork");
		return -1;
	}
	if (pid == 0) {
		close(errp[0]);
		supervise(exe, errp[1], self, t->verbose);
	}
	close(errp[1]);
	if (daemon_wait_ready(errp[0], t->verbose)) {
		start_failed();
		return -1;
	}
	relay_stderr(errp[0]);
	return 0;
}

int share_vm_start(const struct tools *t, char ***extra)
{
	const char *sock;

	*extra = NULL;
	if (own_options_with_host())
		return -1;
	if (host_path) {
		sock = host_path;
	} else if (own_daemon()) {
		if (vm_daemon_start(t))
			return -1;
		sock = vm_sock;
	} else {
		return 0;
	}
	/* qemu-run.sh attaches the device, shares the RAM and tells the kernel. */
	vm_args[0] = "--mewz-host";
	vm_args[1] = (char *)sock;
	vm_args[2] = NULL;
	*extra = vm_args;
	return 0;
}
