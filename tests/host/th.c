/* The host suites' harness; see th.h. */
#include "th.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto.h"

int th_case_failed;
static int th_pass, th_fail, th_skipped, th_case_skipped;

const char *th_errname(uint32_t e)
{
	static char buf[32];

	switch (e) {
#define TH_X(name, v)                                                          \
	case v:                                                                \
		return #name;
		PROTO_WASI_ERRNOS(TH_X)
#undef TH_X
	default:
		snprintf(buf, sizeof(buf), "errno %u", e);
		return buf;
	}
}

void th_run(const char *name, void (*fn)(void))
{
	th_case_failed = 0;
	th_case_skipped = 0;
	fn();
	if (th_case_failed) {
		th_fail++;
		printf("FAIL %s\n", name);
	} else if (th_case_skipped) {
		th_skipped++;
		printf("skip %s\n", name);
	} else {
		th_pass++;
		printf("ok   %s\n", name);
	}
	fflush(stdout);
}

void th_run_result(const char *name, bool ok)
{
	if (ok)
		th_pass++;
	else
		th_fail++;
	printf("%s %s\n", ok ? "ok  " : "FAIL", name);
	fflush(stdout);
}

void th_skip(const char *why)
{
	printf("  (skipped: %s)\n", why);
	th_case_skipped = 1;
}

int th_report(void)
{
	if (th_skipped)
		printf("%d passed, %d failed, %d skipped\n", th_pass, th_fail,
		       th_skipped);
	else
		printf("%d passed, %d failed\n", th_pass, th_fail);
	return th_fail ? 1 : 0;
}

const char *th_join(char *out, size_t cap, const char *a, const char *b)
{
	snprintf(out, cap, "%s/%s", a, b);
	return out;
}

int th_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	ssize_t n = write(fd, data, len);

	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

ssize_t th_read_file(const char *path, void *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap);

	close(fd);
	return n;
}

static int th_try_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));

	close(fd);
	return r;
}

static void th_sleep_ms(int ms)
{
	struct timespec ts = {0, ms * 1000000L};

	nanosleep(&ts, NULL);
}

int th_env_start(struct th_env *e, const char *bin, const char *const *extra)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char share_arg[320], ro_arg[320], share2_arg[320];
	const char *argv[64];
	int n = 0;

	memset(e, 0, sizeof(*e));
	e->daemon_bin = bin;
	snprintf(e->root, sizeof(e->root), "%s/mewz-host-test.XXXXXX", tmp);
	if (mkdtemp(e->root) == NULL)
		return -1;
	th_join(e->share, sizeof(e->share), e->root, "share");
	th_join(e->ro, sizeof(e->ro), e->root, "ro");
	th_join(e->share2, sizeof(e->share2), e->root, "share2");
	th_join(e->outside, sizeof(e->outside), e->root, "outside");
	th_join(e->sock, sizeof(e->sock), e->root, "sock");
	if (mkdir(e->share, 0755) || mkdir(e->ro, 0755) ||
	    mkdir(e->share2, 0755) || mkdir(e->outside, 0755))
		return -1;
	snprintf(share_arg, sizeof(share_arg), "%s:/data", e->share);
	snprintf(ro_arg, sizeof(ro_arg), "%s:/ro:ro", e->ro);
	snprintf(share2_arg, sizeof(share2_arg), "%s:/data2", e->share2);
	argv[n++] = bin;
	argv[n++] = "--unix";
	argv[n++] = e->sock;
	argv[n++] = "--share";
	argv[n++] = share_arg;
	argv[n++] = "--share";
	argv[n++] = ro_arg;
	argv[n++] = "--share";
	argv[n++] = share2_arg;
	argv[n++] = "--env";
	argv[n++] = "K=V";
	for (int i = 0; extra && extra[i] && n < 56; i++)
		argv[n++] = extra[i];
	argv[n++] = "--";
	argv[n++] = "arg1";
	argv[n++] = "arg 2";
	argv[n] = NULL;
	e->daemon = fork();
	if (e->daemon < 0)
		return -1;
	if (e->daemon == 0) {
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) { /* up to ~10 s */
		if (th_try_connect(e->sock) == 0)
			return 0;
		if (waitpid(e->daemon, NULL, WNOHANG) == e->daemon) {
			e->daemon = 0;
			return -1;
		}
		th_sleep_ms(10);
	}
	return -1;
}

int th_env_stop_daemon(struct th_env *e)
{
	int st;

	if (e->daemon <= 0)
		return -1;
	kill(e->daemon, SIGTERM);
	for (int i = 0; i < 3000; i++) { /* up to ~30 s (ASan is slow) */
		pid_t r = waitpid(e->daemon, &st, WNOHANG);

		if (r == e->daemon) {
			e->daemon = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st)
					     : 128 + WTERMSIG(st);
		}
		th_sleep_ms(10);
	}
	kill(e->daemon, SIGKILL);
	waitpid(e->daemon, &st, 0);
	e->daemon = 0;
	return -1;
}

static int th_rm(const char *path, const struct stat *st, int flag,
		 struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	/* Undo any chmod a test made so the tree can go; directories only,
	 * and never through a symlink (st comes from lstat: FTW_PHYS). */
	if (S_ISDIR(st->st_mode))
		chmod(path, 0700);
	return remove(path);
}

void th_env_clean(struct th_env *e)
{
	if (e->daemon > 0)
		th_env_stop_daemon(e);
	if (e->root[0])
		nftw(e->root, th_rm, 16, FTW_DEPTH | FTW_PHYS);
}
