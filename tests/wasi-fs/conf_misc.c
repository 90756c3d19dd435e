/*
 * conf_misc.c - the calls an independent suite checks without files
 * (see conf.h): args and environment passed through exactly (quotes,
 * spaces and a newline included, nothing added), clocks, random_get
 * (1024 bytes, and 0), sched_yield, fd_write to a bad fd, sock_shutdown
 * on a non-socket and on a closed fd, and poll_oneoff on stdin with a
 * timeout and on stdout and stderr for writing; with no preopen, a path
 * cannot be opened (ENOTCAPABLE).
 * Run as: conf_misc.wasm first 'the "second" arg' 3, with exactly the
 * environment a=text, b='escap " ing', c=$'new\nline'.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

#pragma clang diagnostic ignored "-Wunused-result"

static void args_env(int argc, char **argv)
{
	static const char *want_env[] = {"a=text", "b=escap \" ing",
					 "c=new\nline"};
	__wasi_size_t argn = 0, argsz = 0, envn = 0, envsz = 0;
	char *ptrs[16], buf[512];
	int seen = 0;

	check_errno("args_sizes_get", __wasi_args_sizes_get(&argn, &argsz), 0);
	check_u64("args: program and 3", argn, 4);
	check_true("args: argc", argc == 4, "argc differs");
	check_true("args: first", argc > 1 && !strcmp(argv[1], "first"),
		   "differs");
	check_true("args: quoted",
		   argc > 2 && !strcmp(argv[2], "the \"second\" arg"),
		   "differs");
	check_true("args: 3", argc > 3 && !strcmp(argv[3], "3"), "differs");
	check_errno("environ_sizes_get",
		    __wasi_environ_sizes_get(&envn, &envsz), 0);
	check_u64("environ: exactly 3", envn, 3);
	if (envn > 16 || envsz > sizeof(buf))
		return;
	check_errno("environ_get",
		    __wasi_environ_get((uint8_t **)ptrs, (uint8_t *)buf), 0);
	for (__wasi_size_t i = 0; i < envn; i++)
		for (int j = 0; j < 3; j++)
			if (!strcmp(ptrs[i], want_env[j]))
				seen |= 1 << j;
	check_u64("environ: a, b, c as given", seen, 7);
}

static void clocks(void)
{
	__wasi_timestamp_t t0 = 0, t1 = 0, res = 0;
	struct timespec ts;

	check_errno("clock_time_get: precision 1",
		    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0), 0);
	check_errno("clock_time_get: precision 0",
		    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t0), 0);
	__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t1);
	check_true("clock_time_get: monotonic", t0 <= t1, "went back");
	check_errno("clock_res_get: monotonic",
		    __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), 0);
	check_true("clock_getres-monotonic",
		   clock_getres(CLOCK_MONOTONIC, &ts) == 0, "failed");
	check_true("clock_getres-realtime",
		   clock_getres(CLOCK_REALTIME, &ts) == 0, "failed");
	check_true("clock_gettime-monotonic",
		   clock_gettime(CLOCK_MONOTONIC, &ts) == 0, "failed");
	check_true("clock_gettime-realtime",
		   clock_gettime(CLOCK_REALTIME, &ts) == 0, "failed");
	check_errno("sched_yield", __wasi_sched_yield(), 0);
}

/* fd_filestat_get on the console: zero size and times. */
static void stdio_filestat(void)
{
	for (__wasi_fd_t fd = 0; fd < 3; fd++) {
		__wasi_filestat_t st;
		char name[64];

		memset(&st, 0xff, sizeof(st));
		snprintf(name, sizeof(name), "fd_filestat_get: stdio %u", fd);
		check_errno(name, __wasi_fd_filestat_get(fd, &st), 0);
		snprintf(name, sizeof(name),
			 "fd_filestat_get: stdio %u size and times 0", fd);
		check_true(name,
			   st.size == 0 && st.atim == 0 && st.mtim == 0 &&
			       st.ctim == 0,
			   "not zero");
	}
}

static void randoms(void)
{
	uint8_t buf[1024] = {0};
	int any = 0;

	check_errno("big_random_buf: 1024 bytes", __wasi_random_get(buf, 1024),
		    0);
	for (size_t i = 0; i < sizeof(buf); i++)
		any |= buf[i];
	check_true("big_random_buf: not all zero", any != 0, "all zero");
	check_errno("random_get: zero length", __wasi_random_get(buf, 0), 0);
}

/* fopen-with-no-access: run with no preopen at all, so wasi-libc finds
 * none for the path. */
static void no_preopen(void)
{
	FILE *f;

	check_true("no preopens",
		   preopen_fd("fs-tests.dir") < 0 && preopen_fd("/") < 0,
		   "a preopen exists");
	errno = 0;
	f = fopen("fs-tests.dir/file", "r");
	check_true("fopen-with-no-access: ENOTCAPABLE",
		   f == NULL && errno == ENOTCAPABLE, "opened or other errno");
	if (f)
		fclose(f);
}

static void bad_fds(void)
{
	__wasi_ciovec_t iov = {.buf = (const uint8_t *)"x", .buf_len = 0};
	size_t n;

	check_errno("fd_write-to-invalid-fd",
		    __wasi_fd_write((__wasi_fd_t)-31337, &iov, 0, &n),
		    __WASI_ERRNO_BADF);
	check_errno("sock_shutdown-not_sock",
		    __wasi_sock_shutdown(1, __WASI_SDFLAGS_RD),
		    __WASI_ERRNO_NOTSOCK);
	check_errno("sock_shutdown-invalid_fd",
		    __wasi_sock_shutdown(200, __WASI_SDFLAGS_RD),
		    __WASI_ERRNO_BADF);
}

static __wasi_subscription_t sub_fd(__wasi_userdata_t ud, uint8_t tag,
				    __wasi_fd_t fd)
{
	__wasi_subscription_t s;

	memset(&s, 0, sizeof(s));
	s.userdata = ud;
	s.u.tag = tag;
	s.u.u.fd_read.file_descriptor = fd;
	return s;
}

static __wasi_subscription_t sub_clock(__wasi_userdata_t ud,
					__wasi_timestamp_t ns)
{
	__wasi_subscription_t s;

	memset(&s, 0, sizeof(s));
	s.userdata = ud;
	s.u.tag = __WASI_EVENTTYPE_CLOCK;
	s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
	s.u.u.clock.timeout = ns;
	return s;
}

/* poll_oneoff_stdio: stdin is ready or the clock fires; stdout and stderr
 * are writable before the clock. */
static void poll_stdio(void)
{
	const __wasi_userdata_t clock_id = 0x12345678, stdin_id = 0x87654321;
	__wasi_subscription_t in[3];
	__wasi_event_t ev[3];
	__wasi_size_t n = 0;
	int ok = 1, left = 3;

	in[0] = sub_clock(clock_id, 200000000ull); /* stdin: 200 ms at most */
	in[1] = sub_fd(stdin_id, __WASI_EVENTTYPE_FD_READ, 0);
	check_errno("poll_oneoff_stdio: stdin or clock",
		    __wasi_poll_oneoff(in, ev, 2, &n), 0);
	check_true("poll_oneoff_stdio: at least one event", n >= 1, "none");
	for (__wasi_size_t i = 0; i < n; i++)
		ok &= ev[i].error == 0 &&
		      ((ev[i].type == __WASI_EVENTTYPE_CLOCK &&
			ev[i].userdata == clock_id) ||
		       (ev[i].type == __WASI_EVENTTYPE_FD_READ &&
			ev[i].userdata == stdin_id));
	check_true("poll_oneoff_stdio: events as subscribed", ok, "odd event");
	/* left: bit 0 stdout, bit 1 stderr still to be reported */
	for (int round = 0; round < 4 && left; round++) {
		__wasi_size_t k = 0;

		if (left & 1)
			in[k++] = sub_fd(1, __WASI_EVENTTYPE_FD_WRITE, 1);
		if (left & 2)
			in[k++] = sub_fd(2, __WASI_EVENTTYPE_FD_WRITE, 2);
		/* Only a guard against a hang: a slow host must not fail it. */
		in[k++] = sub_clock(clock_id, 30000000000ull);
		if (__wasi_poll_oneoff(in, ev, k, &n))
			break;
		for (__wasi_size_t i = 0; i < n; i++) {
			if (ev[i].userdata == clock_id)
				round = 4; /* timed out: after this batch */
			else if (ev[i].type == __WASI_EVENTTYPE_FD_WRITE &&
				 ev[i].error == 0 && ev[i].userdata >= 1 &&
				 ev[i].userdata <= 2)
				left &= ~(int)ev[i].userdata;
		}
	}
	check_true("poll_oneoff_stdio: stdout and stderr writable", left == 0,
		   "timed out");
}

int main(int argc, char **argv)
{
	args_env(argc, argv);
	clocks();
	stdio_filestat();
	randoms();
	no_preopen();
	bad_fds();
	poll_stdio();
	return done();
}
