/*
 * check.h - the little harness of the WASI file-system conformance
 * programs (built to wasm32-wasi).  Each check prints one line, "ok NAME"
 * or "FAIL NAME: ...", and done() prints "N passed, M failed" and returns
 * the exit status.  Nothing printed depends on the run (no inode numbers,
 * no times), so the output of two runs (native, QEMU) can be compared.
 */
#ifndef WASI_FS_CHECK_H
#define WASI_FS_CHECK_H

#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int n_passed, n_failed;

#define UNUSED __attribute__((unused))

static UNUSED void check_true(const char *name, int cond, const char *why)
{
	if (cond) {
		n_passed++;
		printf("ok %s\n", name);
	} else {
		n_failed++;
		printf("FAIL %s: %s\n", name, why);
	}
}

/* A WASI call's errno against the expected one. */
static UNUSED void check_errno(const char *name, __wasi_errno_t got,
			__wasi_errno_t want)
{
	char why[96];

	snprintf(why, sizeof(why), "errno %u, want %u", got, want);
	check_true(name, got == want, why);
}

/* A WASI call's errno against a set of acceptable ones (specifications
 * and other hosts differ, e.g. EPERM or ENOTCAPABLE for an escape). */
static UNUSED void check_errno_set(const char *name, __wasi_errno_t got,
				   const __wasi_errno_t *want, size_t n)
{
	char why[96];
	int hit = 0;

	for (size_t i = 0; i < n; i++)
		hit |= got == want[i];
	snprintf(why, sizeof(why), "errno %u, want one of %zu (first %u)", got,
		 n, want[0]);
	check_true(name, hit, why);
}

#define CHECK_ERRNO_IN(name, got, ...)                                         \
	check_errno_set(name, got, (const __wasi_errno_t[]){__VA_ARGS__},      \
			sizeof((const __wasi_errno_t[]){__VA_ARGS__}) /            \
			    sizeof(__wasi_errno_t))

static UNUSED void check_u64(const char *name, unsigned long long got,
		      unsigned long long want)
{
	char why[96];

	snprintf(why, sizeof(why), "got %llu, want %llu", got, want);
	check_true(name, got == want, why);
}

static UNUSED void check_bytes(const char *name, const void *got, const void *want,
			size_t len)
{
	check_true(name, !memcmp(got, want, len), "bytes differ");
}

static UNUSED int done(void)
{
	printf("%d passed, %d failed\n", n_passed, n_failed);
	return n_failed ? 1 : 0;
}

/* The preopen whose guest path is `path`, or -1. */
static UNUSED int preopen_fd(const char *path)
{
	for (__wasi_fd_t fd = 3; fd < 64; fd++) {
		__wasi_prestat_t ps;
		char name[256];

		if (__wasi_fd_prestat_get(fd, &ps) != 0)
			continue;
		if (ps.u.dir.pr_name_len >= sizeof(name) ||
		    __wasi_fd_prestat_dir_name(fd, (uint8_t *)name,
					       ps.u.dir.pr_name_len) != 0)
			continue;
		name[ps.u.dir.pr_name_len] = 0;
		if (!strcmp(name, path))
			return (int)fd;
	}
	return -1;
}

#define R_FILE_ALL                                                             \
	(__WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_READ |                   \
	 __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS |           \
	 __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_TELL |                       \
	 __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ADVISE |                    \
	 __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_GET |           \
	 __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |                                  \
	 __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_POLL_FD_READWRITE)

#define R_DIR_ALL                                                              \
	(__WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC |           \
	 __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_PATH_CREATE_DIRECTORY |       \
	 __WASI_RIGHTS_PATH_CREATE_FILE | __WASI_RIGHTS_PATH_LINK_SOURCE |     \
	 __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_OPEN |            \
	 __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_READLINK |              \
	 __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_RENAME_TARGET | \
	 __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE | \
	 __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FILESTAT_GET | \
	 __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_SYMLINK |    \
	 __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_UNLINK_FILE)

/* Open (or create) a file below dir with every file right. */
static UNUSED __wasi_errno_t open_file(int dir, const char *path, __wasi_oflags_t of,
				__wasi_fdflags_t ff, __wasi_fd_t *fd)
{
	return __wasi_path_open((__wasi_fd_t)dir,
				__WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, of,
				R_FILE_ALL, R_FILE_ALL, ff, fd);
}

static UNUSED __wasi_errno_t write_all(__wasi_fd_t fd, const void *buf, size_t len,
				size_t *n)
{
	__wasi_ciovec_t iov = {.buf = buf, .buf_len = len};

	return __wasi_fd_write(fd, &iov, 1, n);
}

static UNUSED __wasi_errno_t read_some(__wasi_fd_t fd, void *buf, size_t len,
				size_t *n)
{
	__wasi_iovec_t iov = {.buf = buf, .buf_len = len};

	return __wasi_fd_read(fd, &iov, 1, n);
}

/* Create path below dir holding the NUL-terminated text (0 or errno). */
static UNUSED __wasi_errno_t make_file(int dir, const char *path, const char *text)
{
	__wasi_fd_t fd;
	size_t n;
	__wasi_errno_t e = open_file(dir, path,
				     __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
				     0, &fd);

	if (e)
		return e;
	e = write_all(fd, text, strlen(text), &n);
	if (__wasi_fd_close(fd) && !e)
		e = __WASI_ERRNO_IO;
	return e;
}

#endif /* WASI_FS_CHECK_H */
