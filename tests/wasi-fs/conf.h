/*
 * conf.h - helpers of the conformance programs (conf_*.c), which check
 * the behaviour an independent WASI preview 1 suite expects of a host
 * (WebAssembly/wasi-testsuite: its expectations, rewritten as our own
 * checks; each function is named after the case it follows).
 *
 * As in that suite, the program gets the name of its scratch preopen as
 * argv[1] ("fs-tests.dir" or "/"), opens "." below it with the preopen's
 * own rights, and works in subdirectories it creates and removes.
 */
#ifndef WASI_FS_CONF_H
#define WASI_FS_CONF_H

#include <stdlib.h>

#include "check.h"

/* Set-up and clean-up calls (closes, seeks before a read) are not checks
 * of their own: a failure shows in the check that follows. */
#pragma clang diagnostic ignored "-Wunused-result"

/* What a scratch subdirectory is opened with (base, inheriting). */
#define CONF_DIR_BASE                                                          \
	(__WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_READDIR |            \
	 __WASI_RIGHTS_PATH_CREATE_FILE |                                      \
	 __WASI_RIGHTS_PATH_CREATE_DIRECTORY |                                 \
	 __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_OPEN |       \
	 __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_LINK_SOURCE |     \
	 __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_READLINK |        \
	 __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_RENAME_TARGET | \
	 __WASI_RIGHTS_PATH_FILESTAT_GET |                                     \
	 __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE |                                \
	 __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_SYMLINK)
#define CONF_DIR_INHERIT                                                       \
	(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |                      \
	 __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_FILESTAT_GET |            \
	 __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_PATH_LINK_SOURCE |              \
	 __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_OPEN |            \
	 __WASI_RIGHTS_PATH_UNLINK_FILE | __WASI_RIGHTS_PATH_FILESTAT_GET |    \
	 __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC |           \
	 __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_ADVISE |                     \
	 __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |      \
	 __WASI_RIGHTS_FD_FILESTAT_SET_TIMES)

static const char *scratch_name = "fs-tests.dir";

static UNUSED void fd_rights(__wasi_fd_t fd, __wasi_rights_t *base,
			     __wasi_rights_t *inh)
{
	__wasi_fdstat_t st = {0};

	__wasi_fd_fdstat_get(fd, &st);
	*base = st.fs_rights_base;
	*inh = st.fs_rights_inheriting;
}

/*
 * A fresh fd for "." of the preopen named argv[1], opened with the
 * preopen's own rights; exits with status 1 (and a FAIL line) if there is
 * none, as the suite's programs do.
 */
static UNUSED int open_scratch(int argc, char **argv)
{
	__wasi_rights_t b, i;
	__wasi_fd_t fd;
	int pre;

	if (argc > 1)
		scratch_name = argv[1];
	pre = preopen_fd(scratch_name);
	if (pre < 0) {
		printf("FAIL no preopen named %s\n", scratch_name);
		exit(1);
	}
	fd_rights((__wasi_fd_t)pre, &b, &i);
	if (__wasi_path_open((__wasi_fd_t)pre, 0, ".", __WASI_OFLAGS_DIRECTORY,
			     b, i, 0, &fd)) {
		printf("FAIL cannot open . of %s\n", scratch_name);
		exit(1);
	}
	return (int)fd;
}

/* mkdir name below base and open it with the CONF_DIR_* rights; -1 if
 * either step fails (the check says which). */
static UNUSED int tmp_dir(int base, const char *name)
{
	char what[128];
	__wasi_fd_t fd = 0;
	__wasi_errno_t e = __wasi_path_create_directory(base, name);

	snprintf(what, sizeof(what), "mkdir %s", name);
	check_errno(what, e, 0);
	if (e)
		return -1;
	e = __wasi_path_open(base, 0, name, __WASI_OFLAGS_DIRECTORY,
			     CONF_DIR_BASE, CONF_DIR_INHERIT, 0, &fd);
	snprintf(what, sizeof(what), "open %s", name);
	check_errno(what, e, 0);
	return e ? -1 : (int)fd;
}

/* Close a tmp_dir and remove it: the test must have emptied it. */
static UNUSED void tmp_done(int base, int fd, const char *name)
{
	char what[128];

	snprintf(what, sizeof(what), "rmdir %s", name);
	__wasi_fd_close((__wasi_fd_t)fd);
	check_errno(what, __wasi_path_remove_directory(base, name), 0);
}

/* Create an empty file (no rights asked) and close it: 0 or errno. */
static UNUSED __wasi_errno_t create_file(int dir, const char *name)
{
	__wasi_fd_t fd;
	__wasi_errno_t e =
	    __wasi_path_open(dir, 0, name, __WASI_OFLAGS_CREAT, 0, 0, 0, &fd);

	if (e)
		return e;
	return __wasi_fd_close(fd);
}

/* A stat the checks after it rely on: a failure counts as one (its zeroed
 * result would otherwise satisfy "size 0" or "a == b"), a success as
 * nothing, so passing runs print what they did before. */
static UNUSED void stat_failed(const char *what, const char *path,
			       __wasi_errno_t e)
{
	char why[160];

	if (!e)
		return;
	snprintf(why, sizeof(why), "%s %s: errno %u", what, path, e);
	check_true("a stat the next checks need", 0, why);
}

static UNUSED __wasi_filestat_t fstat_of(__wasi_fd_t fd, __wasi_errno_t *e)
{
	__wasi_filestat_t st = {0};

	*e = __wasi_fd_filestat_get(fd, &st);
	stat_failed("fd_filestat_get", "(fd)", *e);
	return st;
}

static UNUSED __wasi_filestat_t pstat_of(int dir, int follow, const char *path,
					 __wasi_errno_t *e)
{
	__wasi_filestat_t st = {0};

	*e = __wasi_path_filestat_get(
	    dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
	stat_failed("path_filestat_get", path, *e);
	return st;
}

/* A path below the scratch preopen as wasi-libc's open() wants it. */
static UNUSED const char *libc_path(char *buf, size_t len, const char *name)
{
	if (!strcmp(scratch_name, "/"))
		snprintf(buf, len, "/%s", name);
	else
		snprintf(buf, len, "%s/%s", scratch_name, name);
	return buf;
}

#endif /* WASI_FS_CONF_H */
