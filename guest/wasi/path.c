/*
 * path.c - the path_* imports.  Paths resolve only below a preopened
 * directory, and directories are host-backed (the next layer proxies them
 * to mewz-host).  Until then no fd is a directory: an unknown fd is EBADF,
 * any other fd ENOTDIR.
 */
#include <errno.h>

#include "wasi.h"

/* The answer for a path call relative to dirfd, whose path is [path, +len). */
static int32_t path_call(int32_t dirfd, int32_t path, int32_t len,
			 uint64_t right)
{
	int err;
	struct wasi_fd *f = fdt_get((uint32_t)dirfd, 0, &err);

	if (!f)
		return wasi_errno(err);
	if (f->filetype != WASI_FILETYPE_DIRECTORY)
		return WASI_ENOTDIR;
	if ((f->rights_base & right) != right)
		return WASI_ENOTCAPABLE;
	if (!wasi_mem((uint32_t)path, (uint32_t)len))
		return WASI_EFAULT;
	/* A directory fd whose kind has no path service yet. */
	return WASI_ENOTSUP;
}

int32_t wasi_path_open(int32_t dirfd, int32_t dirflags, int32_t path,
		       int32_t len, int32_t oflags, int64_t base,
		       int64_t inheriting, int32_t fdflags, int32_t fdp)
    WASI_IMPORT(path_open);
int32_t wasi_path_open(int32_t dirfd, int32_t dirflags, int32_t path,
		       int32_t len, int32_t oflags, int64_t base,
		       int64_t inheriting, int32_t fdflags, int32_t fdp)
{
	(void)dirflags, (void)oflags, (void)base, (void)inheriting,
	    (void)fdflags, (void)fdp;
	return path_call(dirfd, path, len, WASI_RIGHT_PATH_OPEN);
}

int32_t wasi_path_create_directory(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_create_directory);
int32_t wasi_path_create_directory(int32_t fd, int32_t path, int32_t len)
{
	return path_call(fd, path, len, WASI_RIGHT_PATH_CREATE_DIRECTORY);
}

int32_t wasi_path_remove_directory(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_remove_directory);
int32_t wasi_path_remove_directory(int32_t fd, int32_t path, int32_t len)
{
	return path_call(fd, path, len, WASI_RIGHT_PATH_REMOVE_DIRECTORY);
}

int32_t wasi_path_unlink_file(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_unlink_file);
int32_t wasi_path_unlink_file(int32_t fd, int32_t path, int32_t len)
{
	return path_call(fd, path, len, WASI_RIGHT_PATH_UNLINK_FILE);
}

int32_t wasi_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
			       int32_t len, int32_t statp)
    WASI_IMPORT(path_filestat_get);
int32_t wasi_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
			       int32_t len, int32_t statp)
{
	(void)flags, (void)statp;
	return path_call(fd, path, len, WASI_RIGHT_PATH_FILESTAT_GET);
}

int32_t wasi_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path,
				     int32_t len, int64_t atim, int64_t mtim,
				     int32_t fstflags)
    WASI_IMPORT(path_filestat_set_times);
int32_t wasi_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path,
				     int32_t len, int64_t atim, int64_t mtim,
				     int32_t fstflags)
{
	(void)flags, (void)atim, (void)mtim, (void)fstflags;
	return path_call(fd, path, len, WASI_RIGHT_PATH_FILESTAT_SET_TIMES);
}

int32_t wasi_path_readlink(int32_t fd, int32_t path, int32_t len, int32_t buf,
			   int32_t buf_len, int32_t usedp)
    WASI_IMPORT(path_readlink);
int32_t wasi_path_readlink(int32_t fd, int32_t path, int32_t len, int32_t buf,
			   int32_t buf_len, int32_t usedp)
{
	(void)buf, (void)buf_len, (void)usedp;
	return path_call(fd, path, len, WASI_RIGHT_PATH_READLINK);
}

/* Two-directory calls: both fds must be directories. */
static int32_t path2_call(int32_t fd1, int32_t p1, int32_t l1, uint64_t r1,
			  int32_t fd2, int32_t p2, int32_t l2, uint64_t r2)
{
	int32_t rc = path_call(fd1, p1, l1, r1);

	if (rc != WASI_ENOTSUP)
		return rc;
	return path_call(fd2, p2, l2, r2);
}

int32_t wasi_path_rename(int32_t fd, int32_t old, int32_t old_len,
			 int32_t new_fd, int32_t new, int32_t new_len)
    WASI_IMPORT(path_rename);
int32_t wasi_path_rename(int32_t fd, int32_t old, int32_t old_len,
			 int32_t new_fd, int32_t new, int32_t new_len)
{
	return path2_call(fd, old, old_len, WASI_RIGHT_PATH_RENAME_SOURCE,
			  new_fd, new, new_len, WASI_RIGHT_PATH_RENAME_TARGET);
}

int32_t wasi_path_link(int32_t fd, int32_t flags, int32_t old, int32_t old_len,
		       int32_t new_fd, int32_t new, int32_t new_len)
    WASI_IMPORT(path_link);
int32_t wasi_path_link(int32_t fd, int32_t flags, int32_t old, int32_t old_len,
		       int32_t new_fd, int32_t new, int32_t new_len)
{
	(void)flags;
	return path2_call(fd, old, old_len, WASI_RIGHT_PATH_LINK_SOURCE, new_fd,
			  new, new_len, WASI_RIGHT_PATH_LINK_TARGET);
}

int32_t wasi_path_symlink(int32_t old, int32_t old_len, int32_t fd, int32_t new,
			  int32_t new_len) WASI_IMPORT(path_symlink);
int32_t wasi_path_symlink(int32_t old, int32_t old_len, int32_t fd, int32_t new,
			  int32_t new_len)
{
	int32_t rc = path_call(fd, new, new_len, WASI_RIGHT_PATH_SYMLINK);

	if (rc == WASI_ENOTSUP && !wasi_mem((uint32_t)old, (uint32_t)old_len))
		return WASI_EFAULT;
	return rc;
}
