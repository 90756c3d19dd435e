/*
 * conf_preopen.c - preopened directories as an independent suite checks
 * them (see conf.h): the rights a preopen carries (base and inheriting,
 * the set userland expects of every directory), opening "." below it
 * with those rights, with none, with O_DIRECTORY and read only, and not
 * for writing (EISDIR); NONBLOCK on a directory; closing a preopen; and
 * renumbering another directory over one.
 * Usage: conf_preopen.wasm NAME1 NAME2 (two preopens; the first is the
 * scratch directory, the second is closed).
 */
#include "conf.h"

#define R(x) __WASI_RIGHTS_##x

/* What every directory must carry as base rights. */
static const __wasi_rights_t dir_base =
    R(PATH_CREATE_DIRECTORY) | R(PATH_CREATE_FILE) | R(PATH_LINK_SOURCE) |
    R(PATH_LINK_TARGET) | R(PATH_OPEN) | R(FD_READDIR) | R(PATH_READLINK) |
    R(PATH_RENAME_SOURCE) | R(PATH_RENAME_TARGET) | R(PATH_SYMLINK) |
    R(PATH_REMOVE_DIRECTORY) | R(PATH_UNLINK_FILE) | R(PATH_FILESTAT_GET) |
    R(PATH_FILESTAT_SET_TIMES) | R(FD_FILESTAT_GET) | R(FD_FILESTAT_SET_TIMES);

/* ... and as inheriting rights, these too. */
static const __wasi_rights_t file_inherit =
    R(FD_DATASYNC) | R(FD_READ) | R(FD_SEEK) | R(FD_FDSTAT_SET_FLAGS) |
    R(FD_SYNC) | R(FD_TELL) | R(FD_WRITE) | R(FD_ADVISE) | R(FD_ALLOCATE) |
    R(FD_FILESTAT_GET) | R(FD_FILESTAT_SET_SIZE) | R(FD_FILESTAT_SET_TIMES) |
    R(POLL_FD_READWRITE);

static __wasi_errno_t open_dot(int pre, __wasi_oflags_t of, __wasi_rights_t rb,
			       __wasi_rights_t ri, __wasi_fdflags_t ff)
{
	__wasi_fd_t fd;
	__wasi_errno_t e = __wasi_path_open(pre, 0, ".", of, rb, ri, ff, &fd);

	if (!e)
		__wasi_fd_close(fd);
	return e;
}

static void path_open_preopen(int pre)
{
	__wasi_prestat_t ps;
	__wasi_fdstat_t st;

	check_errno("path_open_preopen: prestat",
		    __wasi_fd_prestat_get(pre, &ps), 0);
	check_u64("path_open_preopen: a directory preopen", ps.tag,
		  __WASI_PREOPENTYPE_DIR);
	check_errno("path_open_preopen: fdstat", __wasi_fd_fdstat_get(pre, &st),
		    0);
	check_u64("path_open_preopen: base rights",
		  st.fs_rights_base & dir_base, dir_base);
	check_u64("path_open_preopen: inheriting rights",
		  st.fs_rights_inheriting & (dir_base | file_inherit),
		  dir_base | file_inherit);
	check_errno(
	    "path_open_preopen: . with its own rights",
	    open_dot(pre, 0, st.fs_rights_base, st.fs_rights_inheriting, 0), 0);
	check_errno("path_open_preopen: . with no rights",
		    open_dot(pre, 0, 0, 0, 0), 0);
	check_errno("path_open_preopen: . O_DIRECTORY, no rights",
		    open_dot(pre, __WASI_OFLAGS_DIRECTORY, 0, 0, 0), 0);
	check_errno("path_open_preopen: . O_DIRECTORY, read",
		    open_dot(pre, __WASI_OFLAGS_DIRECTORY, R(FD_READ), 0, 0),
		    0);
	check_errno("path_open_preopen: . O_DIRECTORY, read+write EISDIR",
		    open_dot(pre, __WASI_OFLAGS_DIRECTORY,
			     R(FD_READ) | R(FD_WRITE), 0, 0),
		    __WASI_ERRNO_ISDIR);
	check_errno("path_open_nonblock: . with NONBLOCK",
		    open_dot(pre, 0, 0, 0, __WASI_FDFLAGS_NONBLOCK), 0);
}

static void close_preopen(int pre)
{
	__wasi_rights_t rb, ri;
	__wasi_prestat_t ps;
	__wasi_fdstat_t st;
	__wasi_fd_t dir;
	__wasi_errno_t e;

	fd_rights(pre, &rb, &ri);
	e = __wasi_path_open(pre, 0, ".", __WASI_OFLAGS_DIRECTORY, rb, ri, 0,
			     &dir);
	check_errno("close_preopen: open .", e, 0);
	if (e)
		return;
	check_true("close_preopen: new fd above", dir > (__wasi_fd_t)pre,
		   "below");
	check_errno("close_preopen: close the preopen", __wasi_fd_close(pre),
		    0);
	check_errno("close_preopen: other fd still open",
		    __wasi_fd_fdstat_get(dir, &st), 0);
	check_u64("close_preopen: still a directory", st.fs_filetype,
		  __WASI_FILETYPE_DIRECTORY);
	check_errno("close_preopen: preopen fd EBADF",
		    __wasi_fd_fdstat_get(pre, &st), __WASI_ERRNO_BADF);
	check_errno("close_preopen: no prestat",
		    __wasi_fd_prestat_get(pre, &ps), __WASI_ERRNO_BADF);
	__wasi_fd_close(dir);
}

static void overwrite_preopen(int pre, int base)
{
	const char *name = "overwrite_preopen_dir.cleanup";
	int dir = tmp_dir(base, name);
	__wasi_filestat_t a, b;
	__wasi_fdstat_t st;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	check_true("overwrite_preopen: dir above the preopen", dir > pre,
		   "below");
	a = fstat_of(dir, &e);
	check_errno("overwrite_preopen: renumber over the preopen",
		    __wasi_fd_renumber(dir, pre), 0);
	b = fstat_of(pre, &e);
	check_errno("overwrite_preopen: preopen fd open", e, 0);
	check_true("overwrite_preopen: now the new directory",
		   a.dev == b.dev && a.ino == b.ino, "other object");
	check_errno("overwrite_preopen: old fd EBADF",
		    __wasi_fd_fdstat_get(dir, &st), __WASI_ERRNO_BADF);
	check_errno("overwrite_preopen: close", __wasi_fd_close(pre), 0);
	check_errno("overwrite_preopen: rmdir",
		    __wasi_path_remove_directory(base, name), 0);
}

int main(int argc, char **argv)
{
	int base = open_scratch(argc, argv);
	int pre = preopen_fd(scratch_name);
	int other = argc > 2 ? preopen_fd(argv[2]) : -1;

	path_open_preopen(pre);
	check_true("second preopen", other >= 0, "missing");
	if (other >= 0)
		close_preopen(other);
	overwrite_preopen(pre, base);
	return done();
}
