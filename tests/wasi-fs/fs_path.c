/*
 * fs_path.c - the path_* calls and their errors: ENOENT, EEXIST, ENOTDIR,
 * EISDIR, ENOTEMPTY, ELOOP under nofollow, trailing slashes, dangling
 * symlinks, escapes, a read-only share.  Runs with an empty share at
 * /data and a read-only share at /ro holding ro.txt ("read only\n").
 * It leaves e/h, e/h2 (a hard link of h) and e/l (a symlink to h) in
 * /data, which the suite checks on the host.
 */
#include "check.h"

static int dir, ro;

static __wasi_filetype_t stat_type(const char *path, int follow,
				   __wasi_errno_t *e)
{
	__wasi_filestat_t st = {0};

	*e = __wasi_path_filestat_get(
	    dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
	return st.filetype;
}

static void t_dirs(void)
{
	check_errno("mkdir d", __wasi_path_create_directory(dir, "d"), 0);
	check_errno("mkdir d again EEXIST",
		    __wasi_path_create_directory(dir, "d"), __WASI_ERRNO_EXIST);
	check_errno("make d/f", make_file(dir, "d/f", "0123456789"), 0);
	check_errno("mkdir over file EEXIST",
		    __wasi_path_create_directory(dir, "d/f"),
		    __WASI_ERRNO_EXIST);
	check_errno("mkdir missing parent ENOENT",
		    __wasi_path_create_directory(dir, "nope/x"),
		    __WASI_ERRNO_NOENT);
	check_errno("mkdir below file ENOTDIR",
		    __wasi_path_create_directory(dir, "d/f/x"),
		    __WASI_ERRNO_NOTDIR);
	check_errno("rmdir non-empty ENOTEMPTY",
		    __wasi_path_remove_directory(dir, "d"),
		    __WASI_ERRNO_NOTEMPTY);
	check_errno("rmdir file ENOTDIR",
		    __wasi_path_remove_directory(dir, "d/f"),
		    __WASI_ERRNO_NOTDIR);
	check_errno("rmdir missing ENOENT",
		    __wasi_path_remove_directory(dir, "missing"),
		    __WASI_ERRNO_NOENT);
	check_errno("mkdir trailing slash",
		    __wasi_path_create_directory(dir, "n/"), 0);
	check_errno("rmdir trailing slash",
		    __wasi_path_remove_directory(dir, "n/"), 0);
	check_errno("unlink dir EISDIR", __wasi_path_unlink_file(dir, "d"),
		    __WASI_ERRNO_ISDIR);
	check_errno("unlink file/ ENOTDIR",
		    __wasi_path_unlink_file(dir, "d/f/"), __WASI_ERRNO_NOTDIR);
	check_errno("unlink missing ENOENT",
		    __wasi_path_unlink_file(dir, "missing"),
		    __WASI_ERRNO_NOENT);
}

static void t_open(void)
{
	__wasi_fd_t fd;

	check_errno("open file/ ENOTDIR", open_file(dir, "d/f/", 0, 0, &fd),
		    __WASI_ERRNO_NOTDIR);
	check_errno("open file O_DIRECTORY ENOTDIR",
		    open_file(dir, "d/f", __WASI_OFLAGS_DIRECTORY, 0, &fd),
		    __WASI_ERRNO_NOTDIR);
	check_errno("open dir/ O_DIRECTORY",
		    __wasi_path_open(dir, 0, "d/", __WASI_OFLAGS_DIRECTORY,
				     R_DIR_ALL, R_DIR_ALL | R_FILE_ALL, 0, &fd),
		    0);
	check_errno("close dir fd", __wasi_fd_close(fd), 0);
	check_errno("open missing ENOENT", open_file(dir, "missing", 0, 0, &fd),
		    __WASI_ERRNO_NOENT);
	check_errno("open empty path ENOENT", open_file(dir, "", 0, 0, &fd),
		    __WASI_ERRNO_NOENT);
	check_errno("open .. escape ENOTCAPABLE",
		    open_file(dir, "../x", 0, 0, &fd),
		    __WASI_ERRNO_NOTCAPABLE);
	check_errno("open absolute ENOTCAPABLE",
		    open_file(dir, "/etc/passwd", 0, 0, &fd),
		    __WASI_ERRNO_NOTCAPABLE);
	check_errno("open excl existing EEXIST",
		    open_file(dir, "d/f",
			      __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, &fd),
		    __WASI_ERRNO_EXIST);
	check_errno("open trunc", open_file(dir, "d/t",
					    __WASI_OFLAGS_CREAT, 0, &fd),
		    0);
	{
		size_t n;
		__wasi_filestat_t st;

		check_errno("write t", write_all(fd, "abc", 3, &n), 0);
		check_errno("close t", __wasi_fd_close(fd), 0);
		check_errno("reopen t with TRUNC",
			    open_file(dir, "d/t", __WASI_OFLAGS_TRUNC, 0, &fd),
			    0);
		check_errno("stat t", __wasi_fd_filestat_get(fd, &st), 0);
		check_u64("TRUNC emptied t", st.size, 0);
		check_errno("close t again", __wasi_fd_close(fd), 0);
		check_errno("unlink t", __wasi_path_unlink_file(dir, "d/t"), 0);
	}
}

static void t_stat(void)
{
	__wasi_filestat_t st;
	__wasi_errno_t e;

	check_errno("stat d/f",
		    __wasi_path_filestat_get(dir, 0, "d/f", &st), 0);
	check_u64("stat d/f type", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
	check_u64("stat d/f size", st.size, 10);
	check_u64("stat d type", stat_type("d", 0, &e),
		  __WASI_FILETYPE_DIRECTORY);
	stat_type("missing", 0, &e);
	check_errno("stat missing ENOENT", e, __WASI_ERRNO_NOENT);
	stat_type("d/f/", 0, &e);
	check_errno("stat file/ ENOTDIR", e, __WASI_ERRNO_NOTDIR);
	check_errno("path set_times",
		    __wasi_path_filestat_set_times(
			dir, 0, "d/f", 3000000000ull, 4000000000ull,
			__WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
		    0);
	check_errno("stat after set_times",
		    __wasi_path_filestat_get(dir, 0, "d/f", &st), 0);
	check_u64("path atim", st.atim, 3000000000ull);
	check_u64("path mtim", st.mtim, 4000000000ull);
	check_errno("path set_times missing ENOENT",
		    __wasi_path_filestat_set_times(dir, 0, "missing", 0, 0,
						   __WASI_FSTFLAGS_MTIM_NOW),
		    __WASI_ERRNO_NOENT);
}

static void t_symlinks(void)
{
	char buf[32];
	size_t n;
	__wasi_fd_t fd;
	__wasi_errno_t e;

	check_errno("symlink d/l -> f", __wasi_path_symlink("f", dir, "d/l"),
		    0);
	check_errno("symlink again EEXIST",
		    __wasi_path_symlink("f", dir, "d/l"), __WASI_ERRNO_EXIST);
	check_errno("readlink d/l",
		    __wasi_path_readlink(dir, "d/l", (uint8_t *)buf,
					 sizeof(buf), &n),
		    0);
	check_true("readlink target", n == 1 && buf[0] == 'f', "not f");
	check_errno("symlink long target",
		    __wasi_path_symlink("target-name", dir, "d/long"), 0);
	check_errno("readlink short buffer",
		    __wasi_path_readlink(dir, "d/long", (uint8_t *)buf, 4, &n),
		    0);
	check_true("readlink truncated", n == 4 && !memcmp(buf, "targ", 4),
		   "not truncated to targ");
	check_errno("readlink regular file EINVAL",
		    __wasi_path_readlink(dir, "d/f", (uint8_t *)buf,
					 sizeof(buf), &n),
		    __WASI_ERRNO_INVAL);
	check_u64("stat link nofollow", stat_type("d/l", 0, &e),
		  __WASI_FILETYPE_SYMBOLIC_LINK);
	check_u64("stat link follow", stat_type("d/l", 1, &e),
		  __WASI_FILETYPE_REGULAR_FILE);
	check_errno("open link nofollow ELOOP",
		    __wasi_path_open(dir, 0, "d/l", 0, __WASI_RIGHTS_FD_READ, 0,
				     0, &fd),
		    __WASI_ERRNO_LOOP);
	check_errno("open link follow", open_file(dir, "d/l", 0, 0, &fd), 0);
	check_errno("read through link", read_some(fd, buf, 4, &n), 0);
	check_bytes("link reads f", buf, "0123", 4);
	check_errno("close link fd", __wasi_fd_close(fd), 0);
	check_errno("symlink dangling",
		    __wasi_path_symlink("nowhere", dir, "dangle"), 0);
	check_u64("stat dangling nofollow", stat_type("dangle", 0, &e),
		  __WASI_FILETYPE_SYMBOLIC_LINK);
	stat_type("dangle", 1, &e);
	check_errno("stat dangling follow ENOENT", e, __WASI_ERRNO_NOENT);
	check_errno("open dangling ENOENT", open_file(dir, "dangle", 0, 0, &fd),
		    __WASI_ERRNO_NOENT);
	check_errno("unlink dangling", __wasi_path_unlink_file(dir, "dangle"),
		    0);
	check_errno("symlink loop1", __wasi_path_symlink("loop2", dir, "loop1"),
		    0);
	check_errno("symlink loop2", __wasi_path_symlink("loop1", dir, "loop2"),
		    0);
	check_errno("open loop ELOOP", open_file(dir, "loop1", 0, 0, &fd),
		    __WASI_ERRNO_LOOP);
	check_errno("unlink loop1", __wasi_path_unlink_file(dir, "loop1"), 0);
	check_errno("unlink loop2", __wasi_path_unlink_file(dir, "loop2"), 0);
	check_errno("symlink escaping ENOTCAPABLE",
		    __wasi_path_symlink("../../etc", dir, "esc"),
		    __WASI_ERRNO_NOTCAPABLE);
	check_errno("symlink absolute ENOTCAPABLE",
		    __wasi_path_symlink("/etc", dir, "esc"),
		    __WASI_ERRNO_NOTCAPABLE);
	check_errno("unlink d/long", __wasi_path_unlink_file(dir, "d/long"), 0);
}

static void t_rename_link(void)
{
	__wasi_filestat_t st;
	__wasi_errno_t e;

	check_errno("rename d/f d/g", __wasi_path_rename(dir, "d/f", dir, "d/g"),
		    0);
	stat_type("d/f", 0, &e);
	check_errno("old name gone", e, __WASI_ERRNO_NOENT);
	check_errno("make d/h", make_file(dir, "d/h", "hhh"), 0);
	check_errno("rename over file", __wasi_path_rename(dir, "d/g", dir, "d/h"),
		    0);
	check_errno("stat replaced",
		    __wasi_path_filestat_get(dir, 0, "d/h", &st), 0);
	check_u64("replaced size", st.size, 10);
	check_errno("rename missing ENOENT",
		    __wasi_path_rename(dir, "d/missing", dir, "d/x"),
		    __WASI_ERRNO_NOENT);
	check_errno("rename dir d e", __wasi_path_rename(dir, "d", dir, "e"), 0);
	check_errno("mkdir x", __wasi_path_create_directory(dir, "x"), 0);
	check_errno("rename file onto dir EISDIR",
		    __wasi_path_rename(dir, "e/h", dir, "x"),
		    __WASI_ERRNO_ISDIR);
	check_errno("rename dir onto file ENOTDIR",
		    __wasi_path_rename(dir, "x", dir, "e/h"),
		    __WASI_ERRNO_NOTDIR);
	check_errno("rename dir onto non-empty ENOTEMPTY",
		    __wasi_path_rename(dir, "x", dir, "e"),
		    __WASI_ERRNO_NOTEMPTY);
	check_errno("rmdir x", __wasi_path_remove_directory(dir, "x"), 0);
	check_errno("link e/h e/h2",
		    __wasi_path_link(dir, 0, "e/h", dir, "e/h2"), 0);
	check_errno("stat linked", __wasi_path_filestat_get(dir, 0, "e/h", &st),
		    0);
	check_u64("nlink 2", st.nlink, 2);
	check_errno("link onto existing EEXIST",
		    __wasi_path_link(dir, 0, "e/h", dir, "e/h2"),
		    __WASI_ERRNO_EXIST);
	check_errno("link directory EPERM",
		    __wasi_path_link(dir, 0, "e", dir, "e2"), __WASI_ERRNO_PERM);
	check_errno("link missing ENOENT",
		    __wasi_path_link(dir, 0, "e/none", dir, "e/x"),
		    __WASI_ERRNO_NOENT);
	check_errno("symlink moved with d EEXIST",
		    __wasi_path_symlink("h", dir, "e/l"), __WASI_ERRNO_EXIST);
	check_errno("unlink e/l old link",
		    __wasi_path_unlink_file(dir, "e/l"), 0);
	check_errno("symlink e/l -> h",
		    __wasi_path_symlink("h", dir, "e/l"), 0);
}

static void t_readonly(void)
{
	__wasi_fd_t fd;
	char buf[16];
	size_t n;

	check_true("preopen /ro", ro > dir, "missing");
	check_errno("ro open for reading",
		    __wasi_path_open(ro, 0, "ro.txt", 0,
				     __WASI_RIGHTS_FD_READ, 0, 0, &fd),
		    0);
	check_errno("ro read", read_some(fd, buf, sizeof(buf), &n), 0);
	check_true("ro content", n == 10 && !memcmp(buf, "read only\n", 10),
		   "wrong content");
	check_errno("ro write EBADF", write_all(fd, "x", 1, &n),
		    __WASI_ERRNO_BADF);
	check_errno("ro close", __wasi_fd_close(fd), 0);
	check_errno("ro open for writing EROFS",
		    open_file(ro, "ro.txt", 0, 0, &fd), __WASI_ERRNO_ROFS);
	check_errno("ro create EROFS",
		    open_file(ro, "new", __WASI_OFLAGS_CREAT, 0, &fd),
		    __WASI_ERRNO_ROFS);
	check_errno("ro mkdir EROFS", __wasi_path_create_directory(ro, "x"),
		    __WASI_ERRNO_ROFS);
	check_errno("ro unlink EROFS", __wasi_path_unlink_file(ro, "ro.txt"),
		    __WASI_ERRNO_ROFS);
	check_errno("rename into ro EROFS",
		    __wasi_path_rename(dir, "e/h2", ro, "h2"),
		    __WASI_ERRNO_ROFS);
}

/* The raw import, so a test can pass pointers wasi-libc never would. */
int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t len)
    __attribute__((import_module("wasi_snapshot_preview1"),
		   import_name("path_create_directory")));

static void t_args(void)
{
	static char longpath[5000];
	__wasi_fd_t fd;

	check_errno("path call on a file fd ENOTDIR",
		    (open_file(dir, "e/h", 0, 0, &fd),
		     __wasi_path_create_directory(fd, "x")),
		    __WASI_ERRNO_NOTDIR);
	check_errno("close file fd", __wasi_fd_close(fd), 0);
	check_errno("path call on stdout ENOTDIR",
		    __wasi_path_create_directory(1, "x"), __WASI_ERRNO_NOTDIR);
	check_errno("path call on unknown fd EBADF",
		    __wasi_path_create_directory(90, "x"), __WASI_ERRNO_BADF);
	check_errno("path outside memory EFAULT",
		    raw_path_create_directory(dir, (int32_t)0xfffffff0, 100),
		    __WASI_ERRNO_FAULT);
	memset(longpath, 'a', sizeof(longpath) - 1);
	check_errno("path longer than 4096 ENAMETOOLONG",
		    __wasi_path_create_directory(dir, longpath),
		    __WASI_ERRNO_NAMETOOLONG);
	check_errno("component longer than 255 ENAMETOOLONG",
		    __wasi_path_create_directory(dir, longpath + 4999 - 300),
		    __WASI_ERRNO_NAMETOOLONG);
}

int main(void)
{
	dir = preopen_fd("/data");
	ro = preopen_fd("/ro");
	if (dir < 0) {
		printf("FAIL no /data preopen\n");
		return 1;
	}
	t_dirs();
	t_open();
	t_stat();
	t_symlinks();
	t_rename_link();
	t_readonly();
	t_args();
	return done();
}
