/*
 * conf_path.c - conformance of the path_* calls as an independent suite
 * checks them (see conf.h): odd paths and escapes, symlinks followed or
 * not (loops, dangling links, links to files and directories), stat and
 * times through links, hard links, rename, create/remove with trailing
 * slashes, readlink truncation.  Where the suite accepts several errnos,
 * so does the check.  Usage: conf_path.wasm PREOPEN-NAME.
 */
#include "conf.h"

/* path_open with an explicit path length. */
int32_t raw_path_open(int32_t dirfd, int32_t dirflags, int32_t path,
		      int32_t len, int32_t oflags, int64_t base, int64_t inh,
		      int32_t fdflags, int32_t fdp)
    __attribute__((import_module("wasi_snapshot_preview1"),
		   import_name("path_open")));

static __wasi_fd_t open0(int dir, __wasi_lookupflags_t lf, const char *path,
			 __wasi_oflags_t of, __wasi_errno_t *e)
{
	__wasi_fd_t fd = 0;

	*e = __wasi_path_open(dir, lf, path, of, 0, 0, 0, &fd);
	if (!*e)
		__wasi_fd_close(fd);
	return fd;
}

static void interesting_paths(int base)
{
	const char *top = "interesting_paths_dir.cleanup";
	char bad[300];
	int dir = tmp_dir(base, top);
	__wasi_errno_t e;

	if (dir < 0)
		return;
	check_errno("interesting_paths: mkdir dir",
		    __wasi_path_create_directory(dir, "dir"), 0);
	check_errno("interesting_paths: mkdir dir/nested",
		    __wasi_path_create_directory(dir, "dir/nested"), 0);
	check_errno("interesting_paths: create",
		    create_file(dir, "dir/nested/file"), 0);
	open0(dir, 0, "/dir/nested/file", 0, &e);
	CHECK_ERRNO_IN("interesting_paths: absolute path", e, __WASI_ERRNO_PERM,
		       __WASI_ERRNO_NOTCAPABLE);
	open0(dir, 0, "dir/.//nested/../../dir/nested/../nested///./file", 0,
	      &e);
	check_errno("interesting_paths: dots and slashes", e, 0);
	{
		/* The NUL is part of the length, which wasi-libc's wrapper
		 * would take from strlen: call the import itself. */
		const char p[] = "dir/nested/file\0";
		__wasi_fd_t fd;

		e = raw_path_open(dir, 0, (int32_t)(intptr_t)p,
				  (int32_t)sizeof(p) - 1, 0, 0, 0, 0,
				  (int32_t)(intptr_t)&fd);
		CHECK_ERRNO_IN("interesting_paths: trailing NUL", e,
			       __WASI_ERRNO_INVAL, __WASI_ERRNO_ILSEQ,
			       __WASI_ERRNO_NOENT);
	}
	open0(dir, 0, "dir/nested/file/", 0, &e);
	CHECK_ERRNO_IN("interesting_paths: file with trailing slash", e,
		       __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
	open0(dir, 0, "dir/nested/file///", 0, &e);
	CHECK_ERRNO_IN("interesting_paths: file with trailing slashes", e,
		       __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT);
	open0(dir, 0, "dir/nested/", 0, &e);
	check_errno("interesting_paths: dir with trailing slash", e, 0);
	open0(dir, 0, "dir/nested///", 0, &e);
	check_errno("interesting_paths: dir with trailing slashes", e, 0);
	snprintf(bad, sizeof(bad), "dir/nested/../../../%s/dir/nested/file",
		 scratch_name);
	open0(dir, 0, bad, 0, &e);
	CHECK_ERRNO_IN("interesting_paths: too many ..", e, __WASI_ERRNO_PERM,
		       __WASI_ERRNO_NOTCAPABLE);
	check_errno("interesting_paths: unlink",
		    __wasi_path_unlink_file(dir, "dir/nested/file"), 0);
	check_errno("interesting_paths: rmdir nested",
		    __wasi_path_remove_directory(dir, "dir/nested"), 0);
	check_errno("interesting_paths: rmdir dir",
		    __wasi_path_remove_directory(dir, "dir"), 0);
	tmp_done(base, dir, top);
}

static void nofollow_errors(int base)
{
	const char *top = "nofollow_errors_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_errno_t e;

	if (dir < 0)
		return;
	check_errno("nofollow_errors: mkdir target",
		    __wasi_path_create_directory(dir, "target"), 0);
	check_errno("nofollow_errors: symlink",
		    __wasi_path_symlink("target", dir, "symlink"), 0);
	open0(dir, 0, "symlink", __WASI_OFLAGS_DIRECTORY, &e);
	CHECK_ERRNO_IN("nofollow_errors: link to dir as dir", e,
		       __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
	open0(dir, 0, "symlink", 0, &e);
	CHECK_ERRNO_IN("nofollow_errors: link to dir", e, __WASI_ERRNO_LOOP,
		       __WASI_ERRNO_ACCES);
	open0(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink",
	      __WASI_OFLAGS_DIRECTORY, &e);
	check_errno("nofollow_errors: followed to the dir", e, 0);
	check_errno("nofollow_errors: unlink link",
		    __wasi_path_unlink_file(dir, "symlink"), 0);
	check_errno("nofollow_errors: rmdir target",
		    __wasi_path_remove_directory(dir, "target"), 0);
	check_errno("nofollow_errors: target file", create_file(dir, "target"),
		    0);
	check_errno("nofollow_errors: symlink again",
		    __wasi_path_symlink("target", dir, "symlink"), 0);
	open0(dir, 0, "symlink", __WASI_OFLAGS_DIRECTORY, &e);
	CHECK_ERRNO_IN("nofollow_errors: link to file as dir", e,
		       __WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR);
	open0(dir, 0, "symlink", 0, &e);
	check_errno("nofollow_errors: link to file ELOOP", e,
		    __WASI_ERRNO_LOOP);
	open0(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink",
	      __WASI_OFLAGS_DIRECTORY, &e);
	check_errno("nofollow_errors: followed to a file as dir ENOTDIR", e,
		    __WASI_ERRNO_NOTDIR);
	__wasi_path_unlink_file(dir, "target");
	check_errno("nofollow_errors: unlink link again",
		    __wasi_path_unlink_file(dir, "symlink"), 0);
	tmp_done(base, dir, top);
}

static void path_exists(int base)
{
	const char *top = "path_exists_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_errno_t e;

	if (dir < 0)
		return;
	__wasi_path_create_directory(dir, "subdir");
	check_u64("path_exists: dir", pstat_of(dir, 0, "subdir", &e).filetype,
		  __WASI_FILETYPE_DIRECTORY);
	check_u64("path_exists: dir followed",
		  pstat_of(dir, 1, "subdir", &e).filetype,
		  __WASI_FILETYPE_DIRECTORY);
	create_file(dir, "subdir/file");
	check_u64("path_exists: file",
		  pstat_of(dir, 0, "subdir/file", &e).filetype,
		  __WASI_FILETYPE_REGULAR_FILE);
	check_u64("path_exists: file followed",
		  pstat_of(dir, 1, "subdir/file", &e).filetype,
		  __WASI_FILETYPE_REGULAR_FILE);
	check_errno("path_exists: link to file",
		    __wasi_path_symlink("subdir/file", dir, "link1"), 0);
	check_u64("path_exists: link1 itself",
		  pstat_of(dir, 0, "link1", &e).filetype,
		  __WASI_FILETYPE_SYMBOLIC_LINK);
	check_u64("path_exists: link1 followed",
		  pstat_of(dir, 1, "link1", &e).filetype,
		  __WASI_FILETYPE_REGULAR_FILE);
	check_errno("path_exists: link to dir",
		    __wasi_path_symlink("subdir", dir, "link2"), 0);
	check_u64("path_exists: link2 itself",
		  pstat_of(dir, 0, "link2", &e).filetype,
		  __WASI_FILETYPE_SYMBOLIC_LINK);
	check_u64("path_exists: link2 followed",
		  pstat_of(dir, 1, "link2", &e).filetype,
		  __WASI_FILETYPE_DIRECTORY);
	__wasi_path_unlink_file(dir, "link1");
	__wasi_path_unlink_file(dir, "link2");
	__wasi_path_unlink_file(dir, "subdir/file");
	check_errno("path_exists: clean up",
		    __wasi_path_remove_directory(dir, "subdir"), 0);
	tmp_done(base, dir, top);
}

static void path_filestat(int base)
{
	const char *top = "path_filestat_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_rights_t rb, ri;
	__wasi_fdflags_t ff = __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC;
	__wasi_rights_t r = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
			    __WASI_RIGHTS_PATH_FILESTAT_GET;
	__wasi_filestat_t st, st2;
	__wasi_fdstat_t fs;
	__wasi_fd_t fd;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	fd_rights(dir, &rb, &ri);
	check_true("path_filestat: PATH_FILESTAT_GET held",
		   (rb & __WASI_RIGHTS_PATH_FILESTAT_GET) != 0, "missing");
	e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, r, 0, ff,
			     &fd);
	if (e == __WASI_ERRNO_NOTSUP) {
		ff = __WASI_FDFLAGS_APPEND;
		e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, r, 0,
				     ff, &fd);
	}
	check_errno("path_filestat: create APPEND|SYNC", e, 0);
	if (e)
		goto out;
	__wasi_fd_fdstat_get(fd, &fs);
	check_u64("path_filestat: fdflags kept", fs.fs_flags & ff, ff);
	st = pstat_of(dir, 0, "file", &e);
	check_u64("path_filestat: size 0", st.size, 0);
	check_errno("path_filestat: set mtim",
		    __wasi_path_filestat_set_times(
			dir, 0, "file", 0, st.mtim - 100, __WASI_FSTFLAGS_MTIM),
		    0);
	st2 = pstat_of(dir, 0, "file", &e);
	check_true("path_filestat: mtim set", st2.mtim == st.mtim - 100,
		   "differs");
	check_errno("path_filestat: MTIM with MTIM_NOW EINVAL",
		    __wasi_path_filestat_set_times(
			dir, 0, "file", 0, st.mtim - 100,
			__WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
		    __WASI_ERRNO_INVAL);
	st2 = pstat_of(dir, 0, "file", &e);
	check_true("path_filestat: mtim untouched by EINVAL",
		   st2.mtim == st.mtim - 100, "changed");
	check_errno("path_filestat: ATIM with ATIM_NOW EINVAL",
		    __wasi_path_filestat_set_times(
			dir, 0, "file", 0, 0,
			__WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
		    __WASI_ERRNO_INVAL);
	__wasi_fd_close(fd);
	check_errno("path_filestat: unlink",
		    __wasi_path_unlink_file(dir, "file"), 0);
out:
	tmp_done(base, dir, top);
}

static void symlink_filestat(int base)
{
	const char *top = "symlink_filestat_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_filestat_t f, s, t;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	create_file(dir, "file");
	f = pstat_of(dir, 0, "file", &e);
	check_errno("symlink_filestat: symlink",
		    __wasi_path_symlink("file", dir, "symlink"), 0);
	s = pstat_of(dir, 0, "symlink", &e);
	check_errno("symlink_filestat: set the link's own mtim",
		    __wasi_path_filestat_set_times(dir, 0, "symlink", 0,
						   s.mtim - 200,
						   __WASI_FSTFLAGS_MTIM),
		    0);
	t = pstat_of(dir, 0, "symlink", &e);
	check_true("symlink_filestat: link mtim changed",
		   t.mtim == s.mtim - 200, "differs");
	t = pstat_of(dir, 0, "file", &e);
	check_true("symlink_filestat: target mtim kept", t.mtim == f.mtim,
		   "changed");
	t = pstat_of(dir, 1, "symlink", &e);
	check_true("symlink_filestat: followed stat is the target's",
		   t.mtim == f.mtim, "differs");
	check_errno("symlink_filestat: set through the link",
		    __wasi_path_filestat_set_times(
			dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", 0,
			s.mtim, __WASI_FSTFLAGS_MTIM),
		    0);
	t = pstat_of(dir, 0, "file", &e);
	check_true("symlink_filestat: target mtim set", t.mtim == s.mtim,
		   "differs");
	__wasi_path_unlink_file(dir, "symlink");
	check_errno("symlink_filestat: unlink",
		    __wasi_path_unlink_file(dir, "file"), 0);
	tmp_done(base, dir, top);
}

#define LINK_RIGHTS                                                            \
	(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_PATH_LINK_SOURCE |              \
	 __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_FD_FILESTAT_GET |      \
	 __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_UNLINK_FILE)

static __wasi_fd_t link_open(int dir, const char *name, __wasi_oflags_t of)
{
	__wasi_fd_t fd = 0;

	if (__wasi_path_open(dir, 0, name, of, LINK_RIGHTS, LINK_RIGHTS, 0,
			     &fd))
		return (__wasi_fd_t)-1;
	return fd;
}

/* The link and the original are one file, seen through equal fds. */
static void same_file(const char *what, __wasi_fd_t a, __wasi_fd_t b)
{
	char name[96];
	__wasi_filestat_t sa, sb;
	__wasi_fdstat_t fa, fb;
	__wasi_errno_t e;

	sa = fstat_of(a, &e);
	sb = fstat_of(b, &e);
	snprintf(name, sizeof(name), "path_link: %s filestat", what);
	check_true(name,
		   sa.dev == sb.dev && sa.ino == sb.ino && sa.atim == sb.atim &&
		       sa.mtim == sb.mtim && sa.ctim == sb.ctim &&
		       sa.size == sb.size && sa.nlink == sb.nlink &&
		       sa.filetype == sb.filetype,
		   "differs");
	__wasi_fd_fdstat_get(a, &fa);
	__wasi_fd_fdstat_get(b, &fb);
	snprintf(name, sizeof(name), "path_link: %s fdstat", what);
	check_true(name,
		   fa.fs_flags == fb.fs_flags &&
		       fa.fs_filetype == fb.fs_filetype &&
		       fa.fs_rights_base == fb.fs_rights_base &&
		       fa.fs_rights_inheriting == fb.fs_rights_inheriting,
		   "differs");
}

static void path_link(int base)
{
	const char *top = "path_link_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_fd_t file, link, sub;

	if (dir < 0)
		return;
	file = link_open(dir, "file", __WASI_OFLAGS_CREAT);
	check_errno("path_link: same directory",
		    __wasi_path_link(dir, 0, "file", dir, "link"), 0);
	link = link_open(dir, "link", 0);
	same_file("same dir", file, link);
	__wasi_fd_close(link);
	__wasi_path_unlink_file(dir, "link");
	__wasi_path_create_directory(dir, "subdir");
	sub = link_open(dir, "subdir", __WASI_OFLAGS_DIRECTORY);
	check_errno("path_link: other directory",
		    __wasi_path_link(dir, 0, "file", sub, "link"), 0);
	link = link_open(sub, "link", 0);
	same_file("subdir", file, link);
	__wasi_fd_close(link);
	__wasi_fd_close(file);
	__wasi_path_unlink_file(sub, "link");
	__wasi_fd_close(sub);
	check_errno("path_link: rmdir subdir",
		    __wasi_path_remove_directory(dir, "subdir"), 0);
	create_file(dir, "link");
	check_errno("path_link: onto a file EEXIST",
		    __wasi_path_link(dir, 0, "file", dir, "link"),
		    __WASI_ERRNO_EXIST);
	__wasi_path_unlink_file(dir, "link");
	check_errno("path_link: onto itself EEXIST",
		    __wasi_path_link(dir, 0, "file", dir, "file"),
		    __WASI_ERRNO_EXIST);
	__wasi_path_create_directory(dir, "link");
	check_errno("path_link: onto a directory EEXIST",
		    __wasi_path_link(dir, 0, "file", dir, "link"),
		    __WASI_ERRNO_EXIST);
	__wasi_path_remove_directory(dir, "link");
	__wasi_path_create_directory(dir, "subdir");
	CHECK_ERRNO_IN("path_link: a directory",
		       __wasi_path_link(dir, 0, "subdir", dir, "link"),
		       __WASI_ERRNO_PERM, __WASI_ERRNO_ACCES);
	__wasi_path_remove_directory(dir, "subdir");
	check_errno("path_link: new name with trailing slash ENOENT",
		    __wasi_path_link(dir, 0, "file", dir, "link/"),
		    __WASI_ERRNO_NOENT);
	check_errno("path_link: dangling symlink",
		    __wasi_path_symlink("target", dir, "symlink"), 0);
	check_errno("path_link: link to a dangling symlink",
		    __wasi_path_link(dir, 0, "symlink", dir, "link"), 0);
	__wasi_path_unlink_file(dir, "symlink");
	__wasi_path_unlink_file(dir, "link");
	check_errno("path_link: symlink loop",
		    __wasi_path_symlink("symlink", dir, "symlink"), 0);
	check_errno("path_link: link to a symlink loop",
		    __wasi_path_link(dir, 0, "symlink", dir, "link"), 0);
	__wasi_path_unlink_file(dir, "symlink");
	__wasi_path_unlink_file(dir, "link");
	__wasi_path_symlink("target", dir, "symlink");
	check_errno("path_link: onto a dangling symlink EEXIST",
		    __wasi_path_link(dir, 0, "file", dir, "symlink"),
		    __WASI_ERRNO_EXIST);
	CHECK_ERRNO_IN("path_link: following a dangling symlink",
		       __wasi_path_link(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
					"symlink", dir, "link"),
		       __WASI_ERRNO_INVAL, __WASI_ERRNO_NOENT);
	__wasi_path_unlink_file(dir, "symlink");
	check_errno("path_link: unlink file",
		    __wasi_path_unlink_file(dir, "file"), 0);
	tmp_done(base, dir, top);
}

static void path_open_misc(int base)
{
	const char *top = "path_open_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_fd_t fd;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	create_file(dir, "file");
	open0(dir, 0, "file", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, &e);
	check_errno("path_open_create_existing: EEXIST", e, __WASI_ERRNO_EXIST);
	open0(dir, 0, "missing", 0, &e);
	check_errno("path_open_missing: ENOENT", e, __WASI_ERRNO_NOENT);
	/* Not from the suite: path_open does not make directories. */
	open0(dir, 0, "newdir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY,
	      &e);
	check_errno("path_open: CREAT|DIRECTORY EINVAL", e, __WASI_ERRNO_INVAL);
	open0(dir, 0, "newdir", 0, &e);
	check_errno("path_open: CREAT|DIRECTORY made nothing", e,
		    __WASI_ERRNO_NOENT);
	e = __wasi_path_open(dir, 0, "file", 0, 0, 0, 0, &fd);
	if (!e) {
		open0(fd, 0, "foo", __WASI_OFLAGS_CREAT, &e);
		CHECK_ERRNO_IN("path_open_dirfd_not_dir", e,
			       __WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOTCAPABLE);
		__wasi_fd_close(fd);
	}
	check_errno("path_open: unlink", __wasi_path_unlink_file(dir, "file"),
		    0);
	tmp_done(base, dir, top);
}

static __wasi_errno_t open_dir_at(int dir, const char *name)
{
	__wasi_errno_t e;

	open0(dir, 0, name, __WASI_OFLAGS_DIRECTORY, &e);
	return e;
}

static __wasi_errno_t open_file_at(int dir, const char *name)
{
	__wasi_errno_t e;

	open0(dir, 0, name, 0, &e);
	return e;
}

static void path_rename(int base)
{
	const char *top = "path_rename_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_errno_t e;

	if (dir < 0)
		return;
	__wasi_path_create_directory(dir, "source");
	check_errno("path_rename: dir to a new name",
		    __wasi_path_rename(dir, "source", dir, "target"), 0);
	check_errno("path_rename: source gone", open_dir_at(dir, "source"),
		    __WASI_ERRNO_NOENT);
	check_errno("path_rename: target there", open_dir_at(dir, "target"), 0);
	__wasi_path_remove_directory(dir, "target");
	__wasi_path_create_directory(dir, "source");
	__wasi_path_create_directory(dir, "target");
	check_errno("path_rename: dir over an empty dir",
		    __wasi_path_rename(dir, "source", dir, "target"), 0);
	check_errno("path_rename: source gone again",
		    open_dir_at(dir, "source"), __WASI_ERRNO_NOENT);
	check_errno("path_rename: target there again",
		    open_dir_at(dir, "target"), 0);
	__wasi_path_remove_directory(dir, "target");
	__wasi_path_create_directory(dir, "source");
	__wasi_path_create_directory(dir, "target");
	create_file(dir, "target/file");
	check_errno("path_rename: dir over a non-empty dir ENOTEMPTY",
		    __wasi_path_rename(dir, "source", dir, "target"),
		    __WASI_ERRNO_NOTEMPTY);
	e = __wasi_path_rename(dir, "source", dir, "target/file");
	CHECK_ERRNO_IN("path_rename: dir over a file", e, 0,
		       __WASI_ERRNO_NOTDIR);
	if (e == 0) {
		__wasi_path_remove_directory(dir, "target/file");
	} else {
		__wasi_path_unlink_file(dir, "target/file");
		__wasi_path_remove_directory(dir, "source");
	}
	check_errno("path_rename: rmdir target",
		    __wasi_path_remove_directory(dir, "target"), 0);
	create_file(dir, "source");
	check_errno("path_rename: file to a new name",
		    __wasi_path_rename(dir, "source", dir, "target"), 0);
	check_errno("path_rename: file source gone",
		    open_file_at(dir, "source"), __WASI_ERRNO_NOENT);
	check_errno("path_rename: file target there",
		    open_file_at(dir, "target"), 0);
	__wasi_path_unlink_file(dir, "target");
	create_file(dir, "source");
	create_file(dir, "target");
	check_errno("path_rename: file over a file",
		    __wasi_path_rename(dir, "source", dir, "target"), 0);
	check_errno("path_rename: replaced source gone",
		    open_file_at(dir, "source"), __WASI_ERRNO_NOENT);
	__wasi_path_unlink_file(dir, "target");
	create_file(dir, "source");
	__wasi_path_create_directory(dir, "target");
	check_errno("path_rename: file over a dir EISDIR",
		    __wasi_path_rename(dir, "source", dir, "target"),
		    __WASI_ERRNO_ISDIR);
	__wasi_path_remove_directory(dir, "target");
	check_errno("path_rename: unlink source",
		    __wasi_path_unlink_file(dir, "source"), 0);
	/* path_rename_dir_trailing_slashes */
	__wasi_path_create_directory(dir, "source");
	check_errno("path_rename: source/ to target",
		    __wasi_path_rename(dir, "source/", dir, "target"), 0);
	check_errno("path_rename: target to source/",
		    __wasi_path_rename(dir, "target", dir, "source/"), 0);
	check_errno("path_rename: source/ to target/",
		    __wasi_path_rename(dir, "source/", dir, "target/"), 0);
	check_errno("path_rename: target to source",
		    __wasi_path_rename(dir, "target", dir, "source"), 0);
	check_errno("path_rename: rmdir source",
		    __wasi_path_remove_directory(dir, "source"), 0);
	tmp_done(base, dir, top);
}

static void path_symlink_trailing_slashes(int base)
{
	const char *top = "path_symlink_trailing_slashes_dir.cleanup";
	int dir = tmp_dir(base, top);

	if (dir < 0)
		return;
	check_errno("symlink_slashes: dangling name/ ENOENT",
		    __wasi_path_symlink("source", dir, "target/"),
		    __WASI_ERRNO_NOENT);
	check_errno("symlink_slashes: dangling",
		    __wasi_path_symlink("source", dir, "target"), 0);
	__wasi_path_unlink_file(dir, "target");
	__wasi_path_create_directory(dir, "target");
	check_errno("symlink_slashes: over dir/ EEXIST",
		    __wasi_path_symlink("source", dir, "target/"),
		    __WASI_ERRNO_EXIST);
	check_errno("symlink_slashes: over dir EEXIST",
		    __wasi_path_symlink("source", dir, "target"),
		    __WASI_ERRNO_EXIST);
	__wasi_path_remove_directory(dir, "target");
	create_file(dir, "target");
	check_errno("symlink_slashes: over file/ ENOTDIR",
		    __wasi_path_symlink("source", dir, "target/"),
		    __WASI_ERRNO_NOTDIR);
	check_errno("symlink_slashes: over file EEXIST",
		    __wasi_path_symlink("source", dir, "target"),
		    __WASI_ERRNO_EXIST);
	/* Not from the suite: the slash follows a link that is there. */
	__wasi_path_symlink("target", dir, "lf");
	__wasi_path_create_directory(dir, "d");
	__wasi_path_symlink("d", dir, "ld");
	__wasi_path_symlink("nowhere", dir, "ln");
	check_errno("symlink_slashes: over link-to-file/ ENOTDIR",
		    __wasi_path_symlink("source", dir, "lf/"),
		    __WASI_ERRNO_NOTDIR);
	check_errno("symlink_slashes: over link-to-dir/ EEXIST",
		    __wasi_path_symlink("source", dir, "ld/"),
		    __WASI_ERRNO_EXIST);
	check_errno("symlink_slashes: over dangling link/ EEXIST",
		    __wasi_path_symlink("source", dir, "ln/"),
		    __WASI_ERRNO_EXIST);
	__wasi_path_unlink_file(dir, "lf");
	__wasi_path_unlink_file(dir, "ld");
	__wasi_path_unlink_file(dir, "ln");
	__wasi_path_remove_directory(dir, "d");
	check_errno("symlink_slashes: unlink",
		    __wasi_path_unlink_file(dir, "target"), 0);
	tmp_done(base, dir, top);
}

static void readlink_cases(int base)
{
	const char *top = "readlink_dir.cleanup";
	int dir = tmp_dir(base, top);
	uint8_t buf[10];
	size_t used = 0;

	if (dir < 0)
		return;
	create_file(dir, "target");
	check_errno("readlink: symlink",
		    __wasi_path_symlink("target", dir, "symlink"), 0);
	memset(buf, 0, sizeof(buf));
	check_errno("readlink: read",
		    __wasi_path_readlink(dir, "symlink", buf, 10, &used), 0);
	check_u64("readlink: 6 bytes", used, 6);
	check_bytes("readlink: target and untouched rest", buf,
		    "target\0\0\0\0", 10);
	memset(buf, 0, sizeof(buf));
	check_errno("readlink: into 4 bytes",
		    __wasi_path_readlink(dir, "symlink", buf, 4, &used), 0);
	check_u64("readlink: truncated to 4", used, 4);
	check_bytes("readlink: targ", buf, "targ\0\0", 6);
	__wasi_path_unlink_file(dir, "target");
	check_errno("readlink: unlink", __wasi_path_unlink_file(dir, "symlink"),
		    0);
	tmp_done(base, dir, top);
}

static void remove_cases(int base)
{
	const char *top = "remove_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_errno_t e;

	if (dir < 0)
		return;
	/* remove_directory_trailing_slashes */
	__wasi_path_create_directory(dir, "dir.cleanup");
	check_errno("remove_directory: dir",
		    __wasi_path_remove_directory(dir, "dir.cleanup"), 0);
	__wasi_path_create_directory(dir, "dir.cleanup");
	e = __wasi_path_remove_directory(dir, "dir.cleanup/");
	CHECK_ERRNO_IN("remove_directory: dir/", e, 0, __WASI_ERRNO_ACCES);
	if (e)
		__wasi_path_remove_directory(dir, "dir.cleanup");
	create_file(dir, "file.cleanup");
	check_errno("remove_directory: file ENOTDIR",
		    __wasi_path_remove_directory(dir, "file.cleanup"),
		    __WASI_ERRNO_NOTDIR);
	check_errno("remove_directory: file/ ENOTDIR",
		    __wasi_path_remove_directory(dir, "file.cleanup/"),
		    __WASI_ERRNO_NOTDIR);
	__wasi_path_unlink_file(dir, "file.cleanup");
	/* remove_nonempty_directory */
	__wasi_path_create_directory(dir, "dir");
	__wasi_path_create_directory(dir, "dir/nested");
	check_errno("remove_nonempty_directory: ENOTEMPTY",
		    __wasi_path_remove_directory(dir, "dir"),
		    __WASI_ERRNO_NOTEMPTY);
	check_errno("remove_nonempty_directory: nested",
		    __wasi_path_remove_directory(dir, "dir/nested"), 0);
	check_errno("remove_nonempty_directory: then dir",
		    __wasi_path_remove_directory(dir, "dir"), 0);
	/* unlink_file_trailing_slashes */
	__wasi_path_create_directory(dir, "dir");
	check_errno("unlink_file: dir EISDIR",
		    __wasi_path_unlink_file(dir, "dir"), __WASI_ERRNO_ISDIR);
	check_errno("unlink_file: dir/ EISDIR",
		    __wasi_path_unlink_file(dir, "dir/"), __WASI_ERRNO_ISDIR);
	__wasi_path_remove_directory(dir, "dir");
	create_file(dir, "file");
	check_errno("unlink_file: file/ ENOTDIR",
		    __wasi_path_unlink_file(dir, "file/"), __WASI_ERRNO_NOTDIR);
	check_errno("unlink_file: file", __wasi_path_unlink_file(dir, "file"),
		    0);
	tmp_done(base, dir, top);
}

static void symlink_cases(int base)
{
	const char *top = "symlink_create_dir.cleanup";
	int dir = tmp_dir(base, top);
	__wasi_errno_t e;

	if (dir < 0)
		return;
	/* symlink_create */
	create_file(dir, "target");
	__wasi_path_symlink("target", dir, "symlink");
	open0(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink", 0, &e);
	check_errno("symlink_create: open a file through a link", e, 0);
	__wasi_path_unlink_file(dir, "symlink");
	__wasi_path_unlink_file(dir, "target");
	__wasi_path_create_directory(dir, "target");
	__wasi_path_symlink("target", dir, "symlink");
	open0(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "symlink",
	      __WASI_OFLAGS_DIRECTORY, &e);
	check_errno("symlink_create: open a dir through a link", e, 0);
	check_errno("symlink_create: unlink the link",
		    __wasi_path_unlink_file(dir, "symlink"), 0);
	__wasi_path_remove_directory(dir, "target");
	e = __wasi_path_symlink("/", dir, "symlink");
	check_true("symlink_create: to / refused", e != 0, "created");
	if (!e)
		__wasi_path_unlink_file(dir, "symlink");
	/* symlink_loop */
	check_errno("symlink_loop: create",
		    __wasi_path_symlink("symlink", dir, "symlink"), 0);
	open0(dir, 0, "symlink", 0, &e);
	check_errno("symlink_loop: open ELOOP", e, __WASI_ERRNO_LOOP);
	__wasi_path_unlink_file(dir, "symlink");
	/* dangling_symlink */
	check_errno("dangling_symlink: create",
		    __wasi_path_symlink("target", dir, "dangling"), 0);
	open0(dir, 0, "dangling", __WASI_OFLAGS_DIRECTORY, &e);
	CHECK_ERRNO_IN("dangling_symlink: as a dir", e, __WASI_ERRNO_NOTDIR,
		       __WASI_ERRNO_LOOP);
	open0(dir, 0, "dangling", 0, &e);
	check_errno("dangling_symlink: as a file ELOOP", e, __WASI_ERRNO_LOOP);
	check_errno("dangling_symlink: unlink",
		    __wasi_path_unlink_file(dir, "dangling"), 0);
	tmp_done(base, dir, top);
}

int main(int argc, char **argv)
{
	int base = open_scratch(argc, argv);

	interesting_paths(base);
	nofollow_errors(base);
	path_exists(base);
	path_filestat(base);
	symlink_filestat(base);
	path_link(base);
	path_open_misc(base);
	path_rename(base);
	path_symlink_trailing_slashes(base);
	readlink_cases(base);
	remove_cases(base);
	symlink_cases(base);
	return done();
}
