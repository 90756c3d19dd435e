/*
 * conf_fd.c - conformance of the fd_* calls on files and directories, as
 * an independent suite checks them (see conf.h): advise, allocate,
 * filestat set, fdstat flags and rights, pread/pwrite, seek/tell,
 * truncation, two fds on one file, directories refusing byte I/O,
 * renumber, a file deleted while open; then the same through wasi-libc
 * (lseek, pread, pwrite with O_APPEND, stat's dev/ino, fopen, fdopendir).
 * Usage: conf_fd.wasm PREOPEN-NAME.  Leaves the share as it found it.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

#define R_RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)

static __wasi_errno_t open_rights(int dir, const char *name, __wasi_oflags_t of,
				  __wasi_rights_t rb, __wasi_fdflags_t ff,
				  __wasi_fd_t *fd)
{
	return __wasi_path_open(dir, 0, name, of, rb, 0, ff, fd);
}

static size_t pattern_write(__wasi_fd_t fd, unsigned char byte, size_t len)
{
	unsigned char buf[100];
	size_t n = 0;

	memset(buf, byte, sizeof(buf));
	if (write_all(fd, buf, len, &n))
		return 0;
	return n;
}

/* Reads len bytes and says whether each is `byte`. */
static int pattern_read(__wasi_fd_t fd, unsigned char byte, size_t len)
{
	unsigned char buf[100];
	size_t n = 0;

	if (read_some(fd, buf, len, &n) || n != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (buf[i] != byte)
			return 0;
	return 1;
}

static void fd_advise(int base)
{
	const char *name = "fd_advise_file.cleanup";
	__wasi_fd_t fd;
	__wasi_errno_t e = open_rights(
	    base, name, __WASI_OFLAGS_CREAT,
	    R_RW | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_FILESTAT_GET |
		__WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_ALLOCATE,
	    0, &fd);

	check_errno("fd_advise: create", e, 0);
	if (e)
		return;
	check_true("fd_advise: fd above stdio", fd > 2, "fd <= 2");
	check_u64("fd_advise: size 0", fstat_of(fd, &e).size, 0);
	check_errno("fd_advise: set_size 100",
		    __wasi_fd_filestat_set_size(fd, 100), 0);
	check_u64("fd_advise: size 100", fstat_of(fd, &e).size, 100);
	check_errno("fd_advise: advise normal",
		    __wasi_fd_advise(fd, 10, 50, __WASI_ADVICE_NORMAL), 0);
	check_u64("fd_advise: size unchanged", fstat_of(fd, &e).size, 100);
	e = __wasi_fd_allocate(fd, 100, 100);
	CHECK_ERRNO_IN("fd_advise: allocate 100+100", e, 0,
		       __WASI_ERRNO_NOTSUP);
	if (!e)
		check_u64("fd_advise: allocated to 200", fstat_of(fd, &e).size,
			  200);
	check_errno("fd_advise: close", __wasi_fd_close(fd), 0);
	check_errno("fd_advise: unlink", __wasi_path_unlink_file(base, name),
		    0);
}

static void fd_filestat_set(int base)
{
	const char *name = "fd_filestat_set_file.cleanup";
	__wasi_filestat_t st, st2;
	__wasi_fd_t fd;
	__wasi_errno_t e = open_rights(base, name, __WASI_OFLAGS_CREAT,
				       R_RW | __WASI_RIGHTS_FD_FILESTAT_GET |
					   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
					   __WASI_RIGHTS_FD_FILESTAT_SET_TIMES,
				       0, &fd);

	check_errno("fd_filestat_set: create", e, 0);
	if (e)
		return;
	check_u64("fd_filestat_set: size 0", fstat_of(fd, &e).size, 0);
	check_errno("fd_filestat_set: set_size",
		    __wasi_fd_filestat_set_size(fd, 100), 0);
	st = fstat_of(fd, &e);
	check_u64("fd_filestat_set: size 100", st.size, 100);
	check_errno("fd_filestat_set: set mtim",
		    __wasi_fd_filestat_set_times(
			fd, st.mtim - 100, st.mtim - 100, __WASI_FSTFLAGS_MTIM),
		    0);
	st2 = fstat_of(fd, &e);
	check_u64("fd_filestat_set: size kept", st2.size, 100);
	check_true("fd_filestat_set: mtim set", st2.mtim == st.mtim - 100,
		   "mtim differs");
	check_true("fd_filestat_set: atim kept", st2.atim == st.atim,
		   "atim changed");
	check_errno("fd_filestat_set: close", __wasi_fd_close(fd), 0);
	check_errno("fd_filestat_set: unlink",
		    __wasi_path_unlink_file(base, name), 0);
}

static void fstflags_validate(int base)
{
	const char *name = "fstflags_validate.cleanup";
	__wasi_fd_t fd;
	__wasi_errno_t e = open_rights(base, name, __WASI_OFLAGS_CREAT,
				       __WASI_RIGHTS_FD_READ |
					   __WASI_RIGHTS_FD_FILESTAT_SET_TIMES,
				       0, &fd);

	check_errno("fstflags_validate: create", e, 0);
	if (e)
		return;
	check_errno("fstflags_validate: MTIM with MTIM_NOW EINVAL",
		    __wasi_fd_filestat_set_times(fd, 100, 200,
						 __WASI_FSTFLAGS_MTIM |
						     __WASI_FSTFLAGS_MTIM_NOW),
		    __WASI_ERRNO_INVAL);
	check_errno("fstflags_validate: ATIM with ATIM_NOW EINVAL",
		    __wasi_fd_filestat_set_times(fd, 100, 200,
						 __WASI_FSTFLAGS_ATIM |
						     __WASI_FSTFLAGS_ATIM_NOW),
		    __WASI_ERRNO_INVAL);
	check_errno("fstflags_validate: close", __wasi_fd_close(fd), 0);
	check_errno("fstflags_validate: unlink",
		    __wasi_path_unlink_file(base, name), 0);
}

static void fd_flags_set(int base)
{
	const char *name = "fd_flags_set_file.cleanup";
	__wasi_filestat_t st;
	__wasi_fd_t fd;
	__wasi_errno_t e =
	    open_rights(base, name, __WASI_OFLAGS_CREAT,
			R_RW | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL |
			    __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS,
			__WASI_FDFLAGS_APPEND, &fd);
	__wasi_filesize_t pos;

	check_errno("fd_flags_set: create with APPEND", e, 0);
	if (e)
		return;
	check_u64("fd_flags_set: write 100", pattern_write(fd, 0, 100), 100);
	__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
	check_true("fd_flags_set: read back", pattern_read(fd, 0, 100),
		   "bytes differ");
	__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
	check_u64("fd_flags_set: write at 0 appends", pattern_write(fd, 1, 100),
		  100);
	__wasi_fd_seek(fd, 100, __WASI_WHENCE_SET, &pos);
	check_true("fd_flags_set: appended bytes at 100",
		   pattern_read(fd, 1, 100), "bytes differ");
	check_errno("fd_flags_set: clear flags",
		    __wasi_fd_fdstat_set_flags(fd, 0), 0);
	__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
	check_u64("fd_flags_set: write at 0 overwrites",
		  pattern_write(fd, 2, 100), 100);
	__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
	check_true("fd_flags_set: overwritten bytes at 0",
		   pattern_read(fd, 2, 100), "bytes differ");
	check_errno("fd_flags_set: close", __wasi_fd_close(fd), 0);
	st = pstat_of(base, 0, name, &e);
	check_u64("fd_flags_set: size 200", st.size, 200);
	check_errno("fd_flags_set: unlink", __wasi_path_unlink_file(base, name),
		    0);
}

static void file_allocate(int base)
{
	int dir = tmp_dir(base, "file_allocate_dir.cleanup");
	__wasi_fd_t fd;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	e = open_rights(dir, "file", __WASI_OFLAGS_CREAT,
			R_RW | __WASI_RIGHTS_FD_ALLOCATE |
			    __WASI_RIGHTS_FD_FILESTAT_GET,
			0, &fd);
	check_errno("file_allocate: create", e, 0);
	if (!e) {
		check_u64("file_allocate: size 0", fstat_of(fd, &e).size, 0);
		e = __wasi_fd_allocate(fd, 0, 100);
		CHECK_ERRNO_IN("file_allocate: 0+100", e, 0,
			       __WASI_ERRNO_NOTSUP);
		if (!e) {
			check_u64("file_allocate: size 100",
				  fstat_of(fd, &e).size, 100);
			check_errno("file_allocate: 10+10",
				    __wasi_fd_allocate(fd, 10, 10), 0);
			check_u64("file_allocate: inside keeps 100",
				  fstat_of(fd, &e).size, 100);
			check_errno("file_allocate: 90+20",
				    __wasi_fd_allocate(fd, 90, 20), 0);
			check_u64("file_allocate: grows to 110",
				  fstat_of(fd, &e).size, 110);
		}
		__wasi_fd_close(fd);
		check_errno("file_allocate: unlink",
			    __wasi_path_unlink_file(dir, "file"), 0);
	}
	tmp_done(base, dir, "file_allocate_dir.cleanup");
}

static void file_pread_pwrite(int base)
{
	static const unsigned char four[4] = {0, 1, 2, 3};
	int dir = tmp_dir(base, "file_pread_pwrite_dir.cleanup");
	unsigned char buf[4];
	__wasi_ciovec_t ci[2];
	__wasi_iovec_t io[2];
	__wasi_fd_t fd;
	size_t n = 0, off;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	e = open_rights(dir, "file", __WASI_OFLAGS_CREAT,
			R_RW | __WASI_RIGHTS_FD_SEEK, 0, &fd);
	check_errno("file_pread_pwrite: create", e, 0);
	if (e)
		goto out;
	ci[0] = (__wasi_ciovec_t){.buf = four, .buf_len = 4};
	check_errno("file_pread_pwrite: pwrite 4 at 0",
		    __wasi_fd_pwrite(fd, ci, 1, 0, &n), 0);
	check_u64("file_pread_pwrite: wrote 4", n, 4);
	memset(buf, 9, 4);
	io[0] = (__wasi_iovec_t){.buf = buf, .buf_len = 4};
	check_errno("file_pread_pwrite: pread 4 at 0",
		    __wasi_fd_pread(fd, io, 1, 0, &n), 0);
	check_u64("file_pread_pwrite: read 4", n, 4);
	check_bytes("file_pread_pwrite: bytes", buf, four, 4);
	/* Two iovecs each way, looping on short transfers. */
	for (off = 0; off < 4; off += n) {
		size_t left = 4 - off, first = left > 2 ? 2 : 0;

		ci[0] = (__wasi_ciovec_t){.buf = four + off, .buf_len = first};
		ci[1] = (__wasi_ciovec_t){.buf = four + off + first,
					  .buf_len = left - first};
		if (__wasi_fd_pwrite(fd, ci, 2, off, &n) || n == 0)
			break;
	}
	check_u64("file_pread_pwrite: gathered pwrite", off, 4);
	memset(buf, 9, 4);
	for (off = 0;; off += n) {
		unsigned char tmp[4];

		io[0] = (__wasi_iovec_t){.buf = tmp, .buf_len = 2};
		io[1] = (__wasi_iovec_t){.buf = tmp + 2, .buf_len = 2};
		if (__wasi_fd_pread(fd, io, 2, off, &n) || n == 0 ||
		    off + n > 4)
			break;
		memcpy(buf + off, tmp, n);
	}
	check_u64("file_pread_pwrite: scattered pread to EOF", off, 4);
	check_bytes("file_pread_pwrite: scattered bytes", buf, four, 4);
	memset(buf, 0, 4);
	io[0] = (__wasi_iovec_t){.buf = buf, .buf_len = 4};
	check_errno("file_pread_pwrite: pread at 2",
		    __wasi_fd_pread(fd, io, 1, 2, &n), 0);
	check_u64("file_pread_pwrite: short read at 2", n, 2);
	check_bytes("file_pread_pwrite: bytes at 2", buf,
		    (const unsigned char[]){2, 3, 0, 0}, 4);
	ci[0] = (__wasi_ciovec_t){.buf = (const unsigned char[]){1, 0},
				  .buf_len = 2};
	check_errno("file_pread_pwrite: pwrite at 2",
		    __wasi_fd_pwrite(fd, ci, 1, 2, &n), 0);
	check_errno("file_pread_pwrite: pread all",
		    __wasi_fd_pread(fd, io, 1, 0, &n), 0);
	check_bytes("file_pread_pwrite: overwritten", buf,
		    (const unsigned char[]){0, 1, 1, 0}, 4);
	__wasi_fd_close(fd);
	check_errno("file_pread_pwrite: unlink",
		    __wasi_path_unlink_file(dir, "file"), 0);
out:
	tmp_done(base, dir, "file_pread_pwrite_dir.cleanup");
}

static void file_seek_tell(int base)
{
	int dir = tmp_dir(base, "file_seek_tell_dir.cleanup");
	__wasi_filesize_t pos = 99;
	__wasi_fd_t fd;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	e = open_rights(dir, "file", __WASI_OFLAGS_CREAT,
			R_RW | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL, 0,
			&fd);
	check_errno("file_seek_tell: create", e, 0);
	if (e)
		goto out;
	check_errno("file_seek_tell: tell", __wasi_fd_tell(fd, &pos), 0);
	check_u64("file_seek_tell: at 0", pos, 0);
	check_u64("file_seek_tell: write 100", pattern_write(fd, 0, 100), 100);
	__wasi_fd_tell(fd, &pos);
	check_u64("file_seek_tell: at 100", pos, 100);
	check_errno("file_seek_tell: back 50",
		    __wasi_fd_seek(fd, -50, __WASI_WHENCE_CUR, &pos), 0);
	check_u64("file_seek_tell: at 50", pos, 50);
	__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
	check_u64("file_seek_tell: set 0", pos, 0);
	check_errno("file_seek_tell: past the end",
		    __wasi_fd_seek(fd, 1000, __WASI_WHENCE_CUR, &pos), 0);
	check_errno("file_seek_tell: before 0 EINVAL",
		    __wasi_fd_seek(fd, -2000, __WASI_WHENCE_CUR, &pos),
		    __WASI_ERRNO_INVAL);
	__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
	check_true("file_seek_tell: read 100", pattern_read(fd, 0, 100),
		   "short or wrong");
	__wasi_fd_tell(fd, &pos);
	check_u64("file_seek_tell: read moved to 100", pos, 100);
	__wasi_fd_close(fd);
	check_errno("file_seek_tell: unlink",
		    __wasi_path_unlink_file(dir, "file"), 0);
out:
	tmp_done(base, dir, "file_seek_tell_dir.cleanup");
}

static void file_truncation(int base)
{
	int dir = tmp_dir(base, "file_truncation_dir.cleanup");
	const char text[] = "this content will be truncated!";
	char buf[100];
	__wasi_fd_t fd;
	size_t n = 0;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	e = open_rights(dir, "test.txt", __WASI_OFLAGS_CREAT,
			__WASI_RIGHTS_FD_WRITE, 0, &fd);
	check_errno("file_truncation: create", e, 0);
	if (e)
		goto out;
	write_all(fd, text, sizeof(text) - 1, &n);
	check_u64("file_truncation: written", n, sizeof(text) - 1);
	__wasi_fd_close(fd);
	e = open_rights(dir, "test.txt",
			__WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, R_RW, 0,
			&fd);
	check_errno("file_truncation: reopen CREAT|TRUNC", e, 0);
	if (!e) {
		n = 99;
		check_errno("file_truncation: read",
			    read_some(fd, buf, sizeof(buf), &n), 0);
		check_u64("file_truncation: empty", n, 0);
		__wasi_fd_close(fd);
	}
	check_errno("file_truncation: unlink",
		    __wasi_path_unlink_file(dir, "test.txt"), 0);
out:
	tmp_done(base, dir, "file_truncation_dir.cleanup");
}

static void file_unbuffered_write(int base)
{
	int dir = tmp_dir(base, "file_unbuffered_write_dir.cleanup");
	__wasi_fd_t rfd, wfd;
	unsigned char b = 0;
	size_t n = 0;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	e = open_rights(dir, "file", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ,
			0, &rfd);
	check_errno("file_unbuffered_write: open for reading", e, 0);
	if (e)
		goto out;
	e = open_rights(dir, "file", 0, __WASI_RIGHTS_FD_WRITE, 0, &wfd);
	check_errno("file_unbuffered_write: open for writing", e, 0);
	if (!e) {
		b = 1;
		check_errno("file_unbuffered_write: write",
			    write_all(wfd, &b, 1, &n), 0);
		b = 0;
		check_errno("file_unbuffered_write: read",
			    read_some(rfd, &b, 1, &n), 0);
		check_true("file_unbuffered_write: other fd sees the byte",
			   n == 1 && b == 1, "byte not seen");
		__wasi_fd_close(wfd);
	}
	__wasi_fd_close(rfd);
	check_errno("file_unbuffered_write: unlink",
		    __wasi_path_unlink_file(dir, "file"), 0);
out:
	tmp_done(base, dir, "file_unbuffered_write_dir.cleanup");
}

/* A directory refuses byte I/O, seeks and sizes (several errnos pass). */
static void dir_fd_op_failures(int base)
{
	__wasi_prestat_t ps;
	char name[300];
	unsigned char buf[128] = {0};
	__wasi_iovec_t io = {.buf = buf, .buf_len = sizeof(buf)};
	__wasi_ciovec_t ci = {.buf = buf, .buf_len = sizeof(buf)};
	__wasi_filesize_t pos;
	__wasi_errno_t e;
	size_t n;
	int pre = preopen_fd(scratch_name);

	check_u64("dir_fd_op_failures: filetype", fstat_of(base, &e).filetype,
		  __WASI_FILETYPE_DIRECTORY);
	__wasi_fd_prestat_get(pre, &ps);
	CHECK_ERRNO_IN("dir_fd_op_failures: prestat name into 0 bytes",
		       __wasi_fd_prestat_dir_name(pre, (uint8_t *)name, 0),
		       __WASI_ERRNO_INVAL, __WASI_ERRNO_NAMETOOLONG);
	check_errno("dir_fd_op_failures: prestat name into a larger buffer",
		    __wasi_fd_prestat_dir_name(pre, (uint8_t *)name,
					       ps.u.dir.pr_name_len + 1),
		    0);
#define DIR_ERR __WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE
	CHECK_ERRNO_IN("dir_fd_op_failures: read",
		       __wasi_fd_read(base, &io, 1, &n), DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: pread",
		       __wasi_fd_pread(base, &io, 1, 0, &n), DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: write",
		       __wasi_fd_write(base, &ci, 1, &n), DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: pwrite",
		       __wasi_fd_pwrite(base, &ci, 1, 0, &n), DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: seek CUR",
		       __wasi_fd_seek(base, 0, __WASI_WHENCE_CUR, &pos),
		       DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: seek SET",
		       __wasi_fd_seek(base, 0, __WASI_WHENCE_SET, &pos),
		       DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: seek END",
		       __wasi_fd_seek(base, 0, __WASI_WHENCE_END, &pos),
		       DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: tell", __wasi_fd_tell(base, &pos),
		       DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: allocate",
		       __wasi_fd_allocate(base, 0, 1), DIR_ERR);
	CHECK_ERRNO_IN("dir_fd_op_failures: set_size",
		       __wasi_fd_filestat_set_size(base, 0), DIR_ERR,
		       __WASI_ERRNO_INVAL);
#undef DIR_ERR
}

static void directory_seek(int base)
{
	const char *name = "directory_seek_dir.cleanup";
	__wasi_filesize_t pos;
	__wasi_fdstat_t st;
	__wasi_fd_t fd;
	__wasi_errno_t e;

	check_errno("directory_seek: mkdir",
		    __wasi_path_create_directory(base, name), 0);
	e = __wasi_path_open(base, 0, name, __WASI_OFLAGS_DIRECTORY,
			     __WASI_RIGHTS_FD_SEEK, 0, 0, &fd);
	check_errno("directory_seek: open asking FD_SEEK", e, 0);
	if (!e) {
		CHECK_ERRNO_IN("directory_seek: seek",
			       __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos),
			       __WASI_ERRNO_ISDIR, __WASI_ERRNO_NOTCAPABLE,
			       __WASI_ERRNO_BADF);
		__wasi_fd_fdstat_get(fd, &st);
		check_u64("directory_seek: a directory", st.fs_filetype,
			  __WASI_FILETYPE_DIRECTORY);
		check_u64("directory_seek: FD_SEEK not granted",
			  st.fs_rights_base & __WASI_RIGHTS_FD_SEEK, 0);
		__wasi_fd_close(fd);
	}
	check_errno("directory_seek: rmdir",
		    __wasi_path_remove_directory(base, name), 0);
}

static void fd_fdstat_set_rights(int base)
{
	int dir = tmp_dir(base, "rights_dir.cleanup");
	__wasi_rights_t rb, ri;
	unsigned char four[4] = {0, 1, 2, 3}, back[4] = {0};
	__wasi_filesize_t pos;
	__wasi_fd_t fd;
	size_t n = 0;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	e = open_rights(dir, "file.cleanup", __WASI_OFLAGS_CREAT,
			R_RW | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL, 0,
			&fd);
	check_errno("fd_fdstat_set_rights: create", e, 0);
	if (e)
		goto out;
	write_all(fd, four, 4, &n);
	__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
	read_some(fd, back, 4, &n);
	check_bytes("fd_fdstat_set_rights: round trip", back, four, 4);
	fd_rights(fd, &rb, &ri);
	check_errno("fd_fdstat_set_rights: drop read and write",
		    __wasi_fd_fdstat_set_rights(fd, rb & ~R_RW, ri), 0);
	fd_rights(fd, &rb, &ri);
	check_u64("fd_fdstat_set_rights: read and write gone", rb & R_RW, 0);
	check_true("fd_fdstat_set_rights: seek kept",
		   (rb & __WASI_RIGHTS_FD_SEEK) != 0, "FD_SEEK dropped too");
	CHECK_ERRNO_IN("fd_fdstat_set_rights: read refused",
		       read_some(fd, back, 4, &n), __WASI_ERRNO_BADF,
		       __WASI_ERRNO_NOTCAPABLE);
	CHECK_ERRNO_IN("fd_fdstat_set_rights: write refused",
		       write_all(fd, four, 4, &n), __WASI_ERRNO_BADF,
		       __WASI_ERRNO_NOTCAPABLE);
	check_errno(
	    "fd_fdstat_set_rights: regaining ENOTCAPABLE",
	    __wasi_fd_fdstat_set_rights(fd, rb | R_RW | __WASI_RIGHTS_FD_SEEK,
					ri | R_RW | __WASI_RIGHTS_FD_SEEK),
	    __WASI_ERRNO_NOTCAPABLE);
	__wasi_fd_close(fd);
	check_errno("fd_fdstat_set_rights: unlink",
		    __wasi_path_unlink_file(dir, "file.cleanup"), 0);
out:
	tmp_done(base, dir, "rights_dir.cleanup");
}

static void truncation_rights(int base)
{
	int dir = tmp_dir(base, "truncation_rights_dir.cleanup");
	__wasi_fdstat_t st;
	__wasi_fd_t fd;

	if (dir < 0)
		return;
	check_errno("truncation_rights: create", create_file(dir, "file"), 0);
	__wasi_fd_fdstat_get(dir, &st);
	check_u64("truncation_rights: a directory", st.fs_filetype,
		  __WASI_FILETYPE_DIRECTORY);
	check_u64("truncation_rights: no fdflags", st.fs_flags, 0);
	check_u64("truncation_rights: no FD_FILESTAT_SET_SIZE on a dir",
		  st.fs_rights_base & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0);
	check_true("truncation_rights: PATH_FILESTAT_SET_SIZE held",
		   (st.fs_rights_base & __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE) !=
		       0,
		   "missing");
	check_errno("truncation_rights: TRUNC with no rights",
		    open_rights(dir, "file", __WASI_OFLAGS_TRUNC, 0, 0, &fd),
		    0);
	__wasi_fd_close(fd);
	check_errno(
	    "truncation_rights: drop inherited set_size",
	    __wasi_fd_fdstat_set_rights(
		dir, st.fs_rights_base,
		st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_FILESTAT_SET_SIZE),
	    0);
	check_errno("truncation_rights: TRUNC without FD_FILESTAT_SET_SIZE",
		    open_rights(dir, "file", __WASI_OFLAGS_TRUNC, 0, 0, &fd),
		    0);
	__wasi_fd_close(fd);
	check_errno(
	    "truncation_rights: drop PATH_FILESTAT_SET_SIZE",
	    __wasi_fd_fdstat_set_rights(
		dir, st.fs_rights_base & ~__WASI_RIGHTS_PATH_FILESTAT_SET_SIZE,
		st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_FILESTAT_SET_SIZE),
	    0);
	__wasi_fd_fdstat_get(dir, &st);
	check_u64("truncation_rights: dropped",
		  st.fs_rights_base & __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE, 0);
	CHECK_ERRNO_IN("truncation_rights: TRUNC refused",
		       open_rights(dir, "file", __WASI_OFLAGS_TRUNC, 0, 0, &fd),
		       __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE);
	check_errno("truncation_rights: unlink",
		    __wasi_path_unlink_file(dir, "file"), 0);
	tmp_done(base, dir, "truncation_rights_dir.cleanup");
}

static void path_open_read_write(int base)
{
	const char *name = "file.cleanup";
	unsigned char buf[100], ones[50], twos[25];
	__wasi_fdstat_t st;
	__wasi_fd_t fd;
	size_t n = 0;
	__wasi_errno_t e;

	memset(ones, 1, sizeof(ones));
	memset(twos, 2, sizeof(twos));
	check_errno("path_open_read_write: create", create_file(base, name), 0);
	e = open_rights(base, name, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
	check_errno("path_open_read_write: read-only", e, 0);
	if (!e) {
		__wasi_fd_fdstat_get(fd, &st);
		check_u64("path_open_read_write: read-only rights",
			  st.fs_rights_base & R_RW, __WASI_RIGHTS_FD_READ);
		n = 9;
		check_errno("path_open_read_write: read empty",
			    read_some(fd, buf, sizeof(buf), &n), 0);
		check_u64("path_open_read_write: 0 bytes", n, 0);
		CHECK_ERRNO_IN("path_open_read_write: write refused",
			       write_all(fd, ones, sizeof(ones), &n),
			       __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE,
			       __WASI_ERRNO_ACCES);
		__wasi_fd_close(fd);
	}
	e = open_rights(base, name, 0, __WASI_RIGHTS_FD_WRITE, 0, &fd);
	check_errno("path_open_read_write: write-only", e, 0);
	if (!e) {
		__wasi_fd_fdstat_get(fd, &st);
		check_u64("path_open_read_write: write-only rights",
			  st.fs_rights_base & R_RW, __WASI_RIGHTS_FD_WRITE);
		CHECK_ERRNO_IN("path_open_read_write: read refused",
			       read_some(fd, buf, sizeof(buf), &n),
			       __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE,
			       __WASI_ERRNO_ACCES);
		check_errno("path_open_read_write: write",
			    write_all(fd, ones, sizeof(ones), &n), 0);
		check_u64("path_open_read_write: wrote 50", n, 50);
		__wasi_fd_close(fd);
	}
	e = open_rights(base, name, 0, R_RW | __WASI_RIGHTS_FD_FILESTAT_GET, 0,
			&fd);
	check_errno("path_open_read_write: read-write", e, 0);
	if (!e) {
		__wasi_fd_fdstat_get(fd, &st);
		check_u64("path_open_read_write: read-write rights",
			  st.fs_rights_base & R_RW, R_RW);
		read_some(fd, buf, sizeof(buf), &n);
		check_u64("path_open_read_write: reads the 50", n, 50);
		write_all(fd, twos, sizeof(twos), &n);
		check_u64("path_open_read_write: writes 25 more", n, 25);
		check_u64("path_open_read_write: size 75",
			  fstat_of(fd, &e).size, 75);
		__wasi_fd_close(fd);
	}
	check_errno("path_open_read_write: unlink",
		    __wasi_path_unlink_file(base, name), 0);
}

/* Older versions of the suite: no FD_READ inherited, so fd_read is EBADF. */
static void path_open_read_without_rights(int base)
{
	int dir = tmp_dir(base, "path_open_read_without_rights_dir.cleanup");
	__wasi_rights_t rb, ri;
	unsigned char b;
	__wasi_fd_t fd;
	size_t n;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	check_errno("read_without_rights: create", create_file(dir, "file"), 0);
	fd_rights(dir, &rb, &ri);
	__wasi_fd_fdstat_set_rights(dir, rb & ~__WASI_RIGHTS_FD_READ,
				    ri & ~__WASI_RIGHTS_FD_READ);
	fd_rights(dir, &rb, &ri);
	check_u64("read_without_rights: dir lost FD_READ",
		  (rb | ri) & __WASI_RIGHTS_FD_READ, 0);
	e = __wasi_path_open(dir, 0, "file", 0, 0, 0, 0, &fd);
	check_errno("read_without_rights: open", e, 0);
	if (!e) {
		fd_rights(fd, &rb, &ri);
		check_u64("read_without_rights: no FD_READ",
			  (rb | ri) & __WASI_RIGHTS_FD_READ, 0);
		check_errno("read_without_rights: read EBADF",
			    read_some(fd, &b, 1, &n), __WASI_ERRNO_BADF);
		__wasi_fd_close(fd);
	}
	check_errno("read_without_rights: unlink",
		    __wasi_path_unlink_file(dir, "file"), 0);
	tmp_done(base, dir, "path_open_read_without_rights_dir.cleanup");
}

static void is_a_tty(int base)
{
	int dir = tmp_dir(base, "isatty_dir.cleanup");
	__wasi_fd_t fd;
	__wasi_errno_t e;

	if (dir < 0)
		return;
	e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT, 0, 0, 0, &fd);
	check_errno("isatty: create", e, 0);
	if (!e) {
		check_true("isatty: a file is not a tty", !isatty((int)fd),
			   "isatty says yes");
		__wasi_fd_close(fd);
	}
	check_errno("isatty: unlink", __wasi_path_unlink_file(dir, "file"), 0);
	tmp_done(base, dir, "isatty_dir.cleanup");
}

static void renumber(int base)
{
	int dir = tmp_dir(base, "renumber_dir.cleanup");
	__wasi_fdstat_t a, b;
	__wasi_fd_t from, to;

	if (dir < 0)
		return;
	check_true("renumber: dir above the preopen", dir > 3, "dir <= 3");
	if (open_rights(dir, "file1", __WASI_OFLAGS_CREAT, R_RW, 0, &from) ||
	    open_rights(dir, "file2", __WASI_OFLAGS_CREAT, R_RW, 0, &to)) {
		check_true("renumber: create files", 0, "open failed");
		goto out;
	}
	__wasi_fd_fdstat_get(from, &a);
	check_errno("renumber: file1 onto file2", __wasi_fd_renumber(from, to),
		    0);
	check_errno("renumber: old fd closed", __wasi_fd_close(from),
		    __WASI_ERRNO_BADF);
	check_errno("renumber: new fd open", __wasi_fd_fdstat_get(to, &b), 0);
	check_true("renumber: same fdstat",
		   a.fs_filetype == b.fs_filetype && a.fs_flags == b.fs_flags &&
		       a.fs_rights_base == b.fs_rights_base &&
		       a.fs_rights_inheriting == b.fs_rights_inheriting,
		   "fdstat differs");
	check_errno("renumber: onto a closed fd EBADF",
		    __wasi_fd_renumber(to, from), __WASI_ERRNO_BADF);
	__wasi_fd_close(to);
	check_errno("renumber: unlink 1", __wasi_path_unlink_file(dir, "file1"),
		    0);
	check_errno("renumber: unlink 2", __wasi_path_unlink_file(dir, "file2"),
		    0);
out:
	tmp_done(base, dir, "renumber_dir.cleanup");
}

/* Unlink and rmdir while an fd is still open on them, then create the
 * same names again; the open fds close fine afterwards. */
static void dangling_fd(int base)
{
	const char *file = "dangling_fd_file.cleanup";
	const char *sub = "dangling_fd_subdir.cleanup";
	__wasi_fd_t fd = 0, dfd = 0;
	__wasi_errno_t e, ed;

	check_errno("dangling_fd: create", create_file(base, file), 0);
	e = __wasi_path_open(base, 0, file, 0, 0, 0, 0, &fd);
	check_errno("dangling_fd: open", e, 0);
	check_errno("dangling_fd: unlink while open",
		    __wasi_path_unlink_file(base, file), 0);
	check_errno("dangling_fd: create again", create_file(base, file), 0);
	check_errno("dangling_fd: unlink again",
		    __wasi_path_unlink_file(base, file), 0);
	check_errno("dangling_fd: mkdir",
		    __wasi_path_create_directory(base, sub), 0);
	ed = __wasi_path_open(base, 0, sub, __WASI_OFLAGS_DIRECTORY, 0, 0, 0,
			      &dfd);
	check_errno("dangling_fd: open dir", ed, 0);
	check_errno("dangling_fd: rmdir while open",
		    __wasi_path_remove_directory(base, sub), 0);
	check_errno("dangling_fd: mkdir again",
		    __wasi_path_create_directory(base, sub), 0);
	check_errno("dangling_fd: rmdir again",
		    __wasi_path_remove_directory(base, sub), 0);
	if (!e)
		check_errno("dangling_fd: close the unlinked file",
			    __wasi_fd_close(fd), 0);
	if (!ed)
		check_errno("dangling_fd: close the removed dir",
			    __wasi_fd_close(dfd), 0);
}

/* ---- through wasi-libc (the suite's C programs) ------------------------ */

static void libc_lseek(void)
{
	char path[300], buf[4];
	FILE *f;
	int fd;

	libc_path(path, sizeof(path), "lseek.cleanup");
	f = fopen(path, "w");
	check_true("lseek: create", f != NULL, "fopen w failed");
	if (!f)
		return;
	fputs("01234567", f);
	fclose(f);
	f = fopen(path, "r");
	check_true("lseek: fopen r", f != NULL, "fopen r failed");
	if (!f)
		return;
	fd = fileno(f);
	check_u64("lseek: fread 4", fread(buf, 1, 4, f), 4);
	fflush(f);
	check_u64("lseek: at 4", (unsigned long long)lseek(fd, 0, SEEK_CUR), 4);
	check_u64("lseek: fread 1", fread(buf, 1, 1, f), 1);
	fflush(f);
	check_u64("lseek: at 5", (unsigned long long)lseek(fd, 0, SEEK_CUR), 5);
	check_true("lseek: byte 4", buf[0] == '4', "wrong byte");
	check_u64("lseek: SEEK_SET 0",
		  (unsigned long long)lseek(fd, 0, SEEK_SET), 0);
	check_u64("lseek: SEEK_END 8",
		  (unsigned long long)lseek(fd, 0, SEEK_END), 8);
	fclose(f);
	check_true("lseek: remove", remove(path) == 0, "remove failed");
}

static void libc_pwrite_append(void)
{
	char path[300], buf[4] = "abcd";
	int fd;
	long end;

	libc_path(path, sizeof(path), "pwrite.cleanup");
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0644);
	check_true("pwrite-with-append: open", fd >= 0, "open failed");
	if (fd < 0)
		return;
	check_u64("pwrite-with-append: write 2",
		  (unsigned long long)write(fd, buf, 2), 2);
	check_u64("pwrite-with-append: seek 0",
		  (unsigned long long)lseek(fd, 0, SEEK_SET), 0);
	check_u64("pwrite-with-append: write 2 more",
		  (unsigned long long)write(fd, buf, 2), 2);
	check_u64("pwrite-with-append: appended, at 4",
		  (unsigned long long)lseek(fd, 0, SEEK_CUR), 4);
	check_u64("pwrite-with-append: pwrite 3 at 0",
		  (unsigned long long)pwrite(fd, buf, 3, 0), 3);
	check_u64("pwrite-with-append: offset kept",
		  (unsigned long long)lseek(fd, 0, SEEK_CUR), 4);
	end = (long)lseek(fd, 0, SEEK_END);
	check_true("pwrite-with-append: end 4 or 7", end == 4 || end == 7,
		   "other size");
	close(fd);
	remove(path);
}

static void libc_pread_pwrite(void)
{
	char path[300], buf[16] = {0};
	int fd, got = 0, r;

	libc_path(path, sizeof(path), "pwrite_pread.txt.cleanup");
	check_true("pwrite-with-access: absent", access(path, F_OK) != 0,
		   "exists");
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	check_true("pwrite-with-access: open", fd > 0, "open failed");
	if (fd <= 0)
		return;
	check_u64("pwrite-with-access: pwrite 14",
		  (unsigned long long)pwrite(fd, "very long text", 14, 0), 14);
	check_u64("pwrite-with-access: pwrite 4 at 3",
		  (unsigned long long)pwrite(fd, "test", 4, 3), 4);
	close(fd);
	fd = open(path, O_RDONLY);
	while (fd > 0 && got < 14 && (r = read(fd, buf + got, 16 - got)) > 0)
		got += r;
	check_true("pwrite-with-access: content",
		   got == 14 && !memcmp(buf, "vertestng text", 14), "differs");
	got = 0;
	memset(buf, 0, sizeof(buf));
	while (fd > 0 && got < 3 &&
	       (r = pread(fd, buf + got, 3 - got, 4 + got)) > 0)
		got += r;
	check_true("pread-with-access: 3 bytes at 4",
		   got == 3 && !memcmp(buf, "est", 3), "differs");
	close(fd);
	check_true("pwrite-with-access: remove", remove(path) == 0, "failed");
}

static void libc_stat_dev_ino(void)
{
	char pa[300], pb[300];
	struct stat sa, sb;
	int a, b;

	libc_path(pa, sizeof(pa), "a.cleanup");
	libc_path(pb, sizeof(pb), "b.cleanup");
	a = open(pa, O_CREAT | O_RDWR, 0644);
	b = open(pb, O_CREAT | O_RDWR, 0644);
	check_true("stat-dev-ino: open", a >= 0 && b >= 0, "open failed");
	if (a >= 0 && b >= 0 && !fstat(a, &sa) && !fstat(b, &sb)) {
		check_true("stat-dev-ino: same dev", sa.st_dev == sb.st_dev,
			   "dev differs");
		check_true("stat-dev-ino: other ino", sa.st_ino != sb.st_ino,
			   "same ino");
	}
	close(a);
	close(b);
	FILE *f = fopen(pa, "r");
	check_true("fopen-with-access: fopen r", f != NULL, "failed");
	if (f)
		check_true("fopen-with-access: fclose", fclose(f) == 0,
			   "failed");
	remove(pa);
	remove(pb);
}

static void libc_fdopendir(int base)
{
	char path[300];
	struct dirent *de;
	int seen[2] = {0}, other = 0, ino_ok = 1, dfd;
	unsigned long long ino[2] = {0};
	DIR *d;

	__wasi_path_create_directory(base, "fopendir.cleanup");
	make_file(base, "fopendir.cleanup/file-0", "x");
	make_file(base, "fopendir.cleanup/file-1", "y");
	libc_path(path, sizeof(path), "fopendir.cleanup");
	dfd = open(path, O_RDONLY | O_DIRECTORY);
	check_true("fdopendir-with-access: open", dfd >= 0, "open failed");
	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	check_true("fdopendir-with-access: fdopendir", d != NULL, "failed");
	while (d && (de = readdir(d)) != NULL) {
		struct stat st;
		int i;

		if (de->d_name[0] == '.')
			continue;
		if (!strcmp(de->d_name, "file-0") ||
		    !strcmp(de->d_name, "file-1"))
			i = de->d_name[5] - '0';
		else {
			other++;
			continue;
		}
		seen[i] = 1;
		ino[i] = de->d_ino;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    st.st_ino != de->d_ino)
			ino_ok = 0;
	}
	if (d)
		closedir(d);
	check_true("fdopendir-with-access: both files", seen[0] && seen[1],
		   "missing");
	check_true("fdopendir-with-access: nothing else", !other, "extra");
	check_true("fdopendir-with-access: d_ino is st_ino", ino_ok, "differs");
	check_true("fdopendir-with-access: two inodes", ino[0] != ino[1],
		   "same");
	__wasi_path_unlink_file(base, "fopendir.cleanup/file-0");
	__wasi_path_unlink_file(base, "fopendir.cleanup/file-1");
	check_errno("fdopendir-with-access: rmdir",
		    __wasi_path_remove_directory(base, "fopendir.cleanup"), 0);
}

int main(int argc, char **argv)
{
	int base = open_scratch(argc, argv);

	fd_advise(base);
	fd_filestat_set(base);
	fstflags_validate(base);
	fd_flags_set(base);
	file_allocate(base);
	file_pread_pwrite(base);
	file_seek_tell(base);
	file_truncation(base);
	file_unbuffered_write(base);
	dir_fd_op_failures(base);
	directory_seek(base);
	fd_fdstat_set_rights(base);
	truncation_rights(base);
	path_open_read_write(base);
	path_open_read_without_rights(base);
	is_a_tty(base);
	renumber(base);
	dangling_fd(base);
	libc_lseek();
	libc_pwrite_append();
	libc_pread_pwrite();
	libc_stat_dev_ino();
	libc_fdopendir(base);
	return done();
}
