/*
 * wasi-shim.c - see wasi-shim.h.  Every guest pointer and length is checked
 * against the current memory size before a byte is touched; a bad one is
 * WASI EFAULT, as a real runtime answers.
 */
#include "wasi-shim.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

typedef struct Z_wasi_snapshot_preview1_instance_t wasi_t;

/* WASI errno values (preview 1). */
enum { WASI_OK = 0, WASI_EBADF = 8, WASI_EFAULT = 21, WASI_EINVAL = 28, WASI_EIO = 29,
       WASI_ENOSYS = 52, WASI_ESPIPE = 70, WASI_ENOTCAPABLE = 76 };

extern char **environ;

void wasi_shim_init(wasi_t *w, wasm_rt_memory_t *memory, int argc, char **argv)
{
	w->memory = memory;
	w->argc = argc;
	w->argv = argv;
}

/* Host address of guest range [ptr, ptr+len), or NULL if out of bounds. */
static uint8_t *at(wasi_t *w, uint32_t ptr, uint64_t len)
{
	if ((uint64_t)ptr + len > w->memory->size)
		return NULL;
	return w->memory->data + ptr;
}

static int put_u32(wasi_t *w, uint32_t ptr, uint32_t v)
{
	uint8_t *p = at(w, ptr, 4);

	if (!p)
		return 0;
	memcpy(p, &v, 4); /* the host is little-endian, like wasm */
	return 1;
}

static int put_u64(wasi_t *w, uint32_t ptr, uint64_t v)
{
	uint8_t *p = at(w, ptr, 8);

	if (!p)
		return 0;
	memcpy(p, &v, 8);
	return 1;
}

static int is_stdio(uint32_t fd)
{
	return fd <= 2;
}

/*
 * Shared by args and environ: a NULL-terminated host string vector copied
 * into the guest's pointer array `vec` and byte buffer `buf`.
 */
static uint32_t strings_get(wasi_t *w, char **list, uint32_t n, uint32_t vec,
			    uint32_t buf)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint32_t len = (uint32_t)strlen(list[i]) + 1;
		uint8_t *dst = at(w, buf, len);
		if (!dst || !put_u32(w, vec + 4 * i, buf))
			return WASI_EFAULT;
		memcpy(dst, list[i], len);
		buf += len;
	}
	return WASI_OK;
}

static uint32_t strings_sizes(wasi_t *w, char **list, uint32_t n,
			      uint32_t count_ptr, uint32_t size_ptr)
{
	uint64_t total = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		total += strlen(list[i]) + 1;
	if (total > UINT32_MAX)
		return WASI_EINVAL;
	if (!put_u32(w, count_ptr, n) || !put_u32(w, size_ptr, (uint32_t)total))
		return WASI_EFAULT;
	return WASI_OK;
}

static uint32_t environ_count(void)
{
	uint32_t n = 0;

	while (environ && environ[n])
		n++;
	return n;
}

uint32_t Z_wasi_snapshot_preview1Z_args_get(wasi_t *w, uint32_t vec, uint32_t buf)
{
	return strings_get(w, w->argv, (uint32_t)w->argc, vec, buf);
}

uint32_t Z_wasi_snapshot_preview1Z_args_sizes_get(wasi_t *w, uint32_t count, uint32_t size)
{
	return strings_sizes(w, w->argv, (uint32_t)w->argc, count, size);
}

uint32_t Z_wasi_snapshot_preview1Z_environ_get(wasi_t *w, uint32_t vec, uint32_t buf)
{
	return strings_get(w, environ, environ_count(), vec, buf);
}

uint32_t Z_wasi_snapshot_preview1Z_environ_sizes_get(wasi_t *w, uint32_t count, uint32_t size)
{
	return strings_sizes(w, environ, environ_count(), count, size);
}

static int clock_of(uint32_t id, clockid_t *out)
{
	static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC,
					CLOCK_PROCESS_CPUTIME_ID,
					CLOCK_THREAD_CPUTIME_ID};

	if (id >= sizeof ids / sizeof ids[0])
		return 0;
	*out = ids[id];
	return 1;
}

uint32_t Z_wasi_snapshot_preview1Z_clock_res_get(wasi_t *w, uint32_t id, uint32_t out)
{
	struct timespec ts;
	clockid_t c;

	if (!clock_of(id, &c))
		return WASI_EINVAL;
	if (clock_getres(c, &ts) != 0)
		return WASI_EIO;
	return put_u64(w, out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec)
		       ? WASI_OK : WASI_EFAULT;
}

uint32_t Z_wasi_snapshot_preview1Z_clock_time_get(wasi_t *w, uint32_t id, uint64_t precision, uint32_t out)
{
	struct timespec ts;
	clockid_t c;

	(void)precision;
	if (!clock_of(id, &c))
		return WASI_EINVAL;
	if (clock_gettime(c, &ts) != 0)
		return WASI_EIO;
	return put_u64(w, out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec)
		       ? WASI_OK : WASI_EFAULT;
}

uint32_t Z_wasi_snapshot_preview1Z_random_get(wasi_t *w, uint32_t buf, uint32_t len)
{
	uint8_t *p = at(w, buf, len);
	uint32_t done = 0;

	if (!p)
		return WASI_EFAULT;
	while (done < len) {
		ssize_t n = getrandom(p + done, len - done, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return WASI_EIO;
		done += (uint32_t)n;
	}
	return WASI_OK;
}

/* Shared by fd_read and fd_write: gather the guest's iovecs, then one syscall. */
static uint32_t do_io(wasi_t *w, uint32_t fd, uint32_t iovs, uint32_t n,
		      uint32_t nout, int writing)
{
	struct iovec iov[64];
	uint8_t *raw = at(w, iovs, (uint64_t)n * 8);
	ssize_t r;
	uint32_t i;

	if (!is_stdio(fd))
		return WASI_EBADF;
	if (!raw)
		return WASI_EFAULT;
	if (n > 64)
		n = 64; /* a short transfer is allowed; the caller loops */
	for (i = 0; i < n; i++) {
		uint32_t base, len;
		memcpy(&base, raw + 8 * i, 4);
		memcpy(&len, raw + 8 * i + 4, 4);
		iov[i].iov_base = at(w, base, len);
		iov[i].iov_len = len;
		if (!iov[i].iov_base)
			return WASI_EFAULT;
	}
	do
		r = writing ? writev((int)fd, iov, (int)n) : readv((int)fd, iov, (int)n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return WASI_EIO;
	return put_u32(w, nout, (uint32_t)r) ? WASI_OK : WASI_EFAULT;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_write(wasi_t *w, uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nout)
{
	return do_io(w, fd, iovs, n, nout, 1);
}

uint32_t Z_wasi_snapshot_preview1Z_fd_read(wasi_t *w, uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nout)
{
	return do_io(w, fd, iovs, n, nout, 0);
}

/* fdstat: u8 filetype, u16 flags at 2, uint64_t rights_base at 8, uint64_t inheriting at 16. */
uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_get(wasi_t *w, uint32_t fd, uint32_t out)
{
	uint8_t *p = at(w, out, 24);
	struct stat st;
	uint64_t rights = ~(uint64_t)0;
	uint8_t type = 0; /* unknown: pipes and sockets */

	if (!is_stdio(fd))
		return WASI_EBADF;
	if (!p)
		return WASI_EFAULT;
	if (fstat((int)fd, &st) == 0 && S_ISCHR(st.st_mode)) {
		type = 2;           /* character device: a terminal */
		rights &= ~(uint64_t)(4 | 32); /* no seek/tell, so isatty() holds */
	} else if (fstat((int)fd, &st) == 0 && S_ISREG(st.st_mode)) {
		type = 4;
	}
	memset(p, 0, 24);
	p[0] = type;
	memcpy(p + 8, &rights, 8);
	memcpy(p + 16, &rights, 8);
	return WASI_OK;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(wasi_t *w, uint32_t fd, uint32_t flags)
{
	(void)w, (void)flags;
	return is_stdio(fd) ? WASI_ENOSYS : WASI_EBADF;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_seek(wasi_t *w, uint32_t fd, uint64_t off, uint32_t whence, uint32_t out)
{
	(void)w, (void)off, (void)whence, (void)out;
	return is_stdio(fd) ? WASI_ESPIPE : WASI_EBADF;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_close(wasi_t *w, uint32_t fd)
{
	(void)w;
	return is_stdio(fd) ? WASI_OK : WASI_EBADF; /* stdio stays open for the host */
}

uint32_t Z_wasi_snapshot_preview1Z_fd_renumber(wasi_t *w, uint32_t from, uint32_t to)
{
	(void)w, (void)from, (void)to;
	return WASI_EBADF;
}

/* No preopens: EBADF ends wasi-libc's scan at fd 3. */
uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_get(wasi_t *w, uint32_t fd, uint32_t out)
{
	(void)w, (void)fd, (void)out;
	return WASI_EBADF;
}

uint32_t Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(wasi_t *w, uint32_t fd, uint32_t p, uint32_t len)
{
	(void)w, (void)fd, (void)p, (void)len;
	return WASI_EBADF;
}

uint32_t Z_wasi_snapshot_preview1Z_path_open(wasi_t *w, uint32_t fd, uint32_t dirflags, uint32_t path,
					uint32_t len, uint32_t oflags, uint64_t base, uint64_t inherit,
					uint32_t fdflags, uint32_t out)
{
	(void)w, (void)fd, (void)dirflags, (void)path, (void)len, (void)oflags;
	(void)base, (void)inherit, (void)fdflags, (void)out;
	return WASI_ENOTCAPABLE;
}

uint32_t Z_wasi_snapshot_preview1Z_path_unlink_file(wasi_t *w, uint32_t fd, uint32_t path, uint32_t len)
{
	(void)w, (void)fd, (void)path, (void)len;
	return WASI_ENOTCAPABLE;
}

uint32_t Z_wasi_snapshot_preview1Z_path_remove_directory(wasi_t *w, uint32_t fd, uint32_t path, uint32_t len)
{
	(void)w, (void)fd, (void)path, (void)len;
	return WASI_ENOTCAPABLE;
}

uint32_t Z_wasi_snapshot_preview1Z_path_rename(wasi_t *w, uint32_t fd, uint32_t old, uint32_t old_len,
					  uint32_t nfd, uint32_t new, uint32_t new_len)
{
	(void)w, (void)fd, (void)old, (void)old_len, (void)nfd, (void)new, (void)new_len;
	return WASI_ENOTCAPABLE;
}

uint32_t Z_wasi_snapshot_preview1Z_sched_yield(wasi_t *w)
{
	(void)w;
	return WASI_OK;
}

void Z_wasi_snapshot_preview1Z_proc_exit(wasi_t *w, uint32_t code)
{
	(void)w;
	exit((int)code); /* stdio went straight to write(2): nothing to flush */
}
