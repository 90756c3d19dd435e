/*
 * native_plat.c - the platform hooks of mewz/plat.h for a Linux process:
 * console = fds 0-2, clocks = clock_gettime, entropy = getrandom, linear
 * memory = mprotect inside the reservation, exit = _exit, the hostcall
 * transport = an AF_UNIX stream socket to mewz-host.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <mewz/plat.h>

#include "hostcall.h"
#include "native.h"

long mewz_plat_console_write(enum mewz_stream stream, const void *buf, size_t len)
{
	int fd = stream == MEWZ_STDERR ? 2 : 1;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return done ? (long)done : -errno;
		done += (size_t)n;
	}
	return (long)done;
}

int mewz_plat_console_readable(void)
{
	struct pollfd p = {.fd = 0, .events = POLLIN};

	return poll(&p, 1, 0) > 0;
}

long mewz_plat_console_read(void *buf, size_t len)
{
	ssize_t n;

	if (!mewz_plat_console_readable())
		return -EAGAIN;
	do
		n = read(0, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : (long)n;
}

static uint64_t mono_origin;

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t clock_res(clockid_t id)
{
	struct timespec ts;

	if (clock_getres(id, &ts))
		return 1;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void native_clock_init(void)
{
	mono_origin = clock_ns(CLOCK_MONOTONIC);
}

uint64_t mewz_plat_monotonic_ns(void) { return clock_ns(CLOCK_MONOTONIC) - mono_origin; }
uint64_t mewz_plat_realtime_ns(void) { return clock_ns(CLOCK_REALTIME); }
uint64_t mewz_plat_monotonic_res_ns(void) { return clock_res(CLOCK_MONOTONIC); }
uint64_t mewz_plat_realtime_res_ns(void) { return clock_res(CLOCK_REALTIME); }

/*
 * Sleep until the deadline, waking early only when stdin *becomes*
 * readable.  If it already is (pending input, end of file, /dev/null), the
 * caller has seen that and is waiting for the clock: waking on it again
 * would spin.
 */
void mewz_plat_block_until(uint64_t deadline_ns)
{
	struct pollfd p = {.fd = 0, .events = POLLIN};
	uint64_t now = mewz_plat_monotonic_ns();
	uint64_t wait_ns;

	if (deadline_ns <= now)
		return;
	/* At most a minute per call: callers loop and re-check. */
	wait_ns = deadline_ns - now > 60000000000ull ? 60000000000ull : deadline_ns - now;
	if (!mewz_plat_console_readable()) {
		poll(&p, 1, (int)((wait_ns + 999999) / 1000000));
		return;
	}
	struct timespec ts = {.tv_sec = (time_t)(wait_ns / 1000000000u),
			      .tv_nsec = (long)(wait_ns % 1000000000u)};
	nanosleep(&ts, NULL);
}

void mewz_plat_yield(void)
{
	sched_yield();
}

int mewz_plat_entropy(void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = getrandom((char *)buf + done, len - done, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

uint64_t mewz_plat_memory_limit(void)
{
	return native_memory.max_bytes;
}

int mewz_plat_memory_resize(uint64_t old_bytes, uint64_t new_bytes)
{
	if (new_bytes <= old_bytes)
		return 0;
	if (new_bytes > native_memory.max_bytes)
		return -ENOMEM;
	if (mprotect(native_memory.base + old_bytes, new_bytes - old_bytes, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	native_memory.size = new_bytes;
	return 0;
}

_Noreturn void mewz_plat_exit(int status)
{
	/* The console is unbuffered: nothing to flush. */
	_exit(status & 0xff);
}

/*
 * The byte stream to mewz-host: a connected AF_UNIX stream socket.
 * MSG_NOSIGNAL: a daemon that went away must become EIO, not SIGPIPE.
 */
static long host_send(void *ctx, const void *buf, size_t len)
{
	int fd = *(int *)ctx;
	size_t done = 0;

	while (done < len) {
		ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return (long)done;
}

/*
 * mewz-host answers the cheap calls on its loop within microseconds, and
 * waking a thread blocked in recv costs more than that (null round trip,
 * `make bench-hostcall`: 47-54 us blocking, 19-22 us with this spin), so
 * poll for HOST_SPIN_NS first, as the VM's link does, then block.
 */
#define HOST_SPIN_NS 50000u

static long host_recv(void *ctx, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	uint64_t until = mewz_plat_monotonic_ns() + HOST_SPIN_NS;
	int flags = MSG_DONTWAIT;

	for (;;) {
		ssize_t n = recv(fd, buf, len, flags);

		if (n >= 0)
			return (long)n;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		if (flags && mewz_plat_monotonic_ns() >= until)
			flags = 0; /* spun long enough: block */
	}
}

static int host_fd = -1;

static int host_connect_path(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* MEWZ_HOST_FD wins over MEWZ_HOST_SOCKET; the names are read before
 * native_args_init hides MEWZ_* from the program (getenv still sees them). */
int native_host_start(void)
{
	const char *fdstr = getenv("MEWZ_HOST_FD");
	const char *path = getenv("MEWZ_HOST_SOCKET");
	struct hostcall_transport t = {.send = host_send, .recv = host_recv, .ctx = &host_fd};
	int rc;

	if (fdstr && *fdstr) {
		char *end;
		long v = strtol(fdstr, &end, 10);

		if (*end || v < 3 || v > INT32_MAX)
			return -EBADF;
		host_fd = (int)v;
		fcntl(host_fd, F_SETFD, FD_CLOEXEC);
	} else if (path && *path) {
		host_fd = host_connect_path(path);
		if (host_fd < 0)
			return host_fd;
	} else {
		return 0;
	}
	rc = hostcall_start(&t);
	if (rc < 0) {
		fprintf(stderr, "mewz: mewz-host: %s\n", strerror(-rc));
		return rc;
	}
	return 0;
}
