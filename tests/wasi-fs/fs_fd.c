/*
 * fs_fd.c - the fd_* calls on host-backed files and directories, and
 * their errors.  Runs in an empty share mounted at /data.
 */
#include <stdlib.h>

#include "check.h"

static int dir;

static void t_prestat(void)
{
	__wasi_prestat_t ps;
	char name[8];

	check_true("prestat /data is fd 3", dir == 3, "not fd 3");
	check_errno("prestat_get", __wasi_fd_prestat_get(3, &ps), 0);
	check_u64("prestat tag dir", ps.tag, __WASI_PREOPENTYPE_DIR);
	check_u64("prestat name len", ps.u.dir.pr_name_len, 5);
	check_errno("prestat_dir_name short buffer",
		    __wasi_fd_prestat_dir_name(3, (uint8_t *)name, 2),
		    __WASI_ERRNO_NAMETOOLONG);
	check_errno("prestat_get stdout EBADF", __wasi_fd_prestat_get(1, &ps),
		    __WASI_ERRNO_BADF);
	check_errno("prestat_get unknown fd EBADF",
		    __wasi_fd_prestat_get(200, &ps), __WASI_ERRNO_BADF);
}

static void t_fdstat(void)
{
	__wasi_fdstat_t st;

	check_errno("fdstat dir", __wasi_fd_fdstat_get(dir, &st), 0);
	check_u64("fdstat dir filetype", st.fs_filetype,
		  __WASI_FILETYPE_DIRECTORY);
	check_true("fdstat dir rights path_open",
		   (st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) != 0,
		   "no PATH_OPEN");
	check_true("fdstat dir inheriting fd_read",
		   (st.fs_rights_inheriting & __WASI_RIGHTS_FD_READ) != 0,
		   "no FD_READ to inherit");
}

static void t_rw(void)
{
	__wasi_fd_t fd;
	__wasi_fdstat_t st;
	__wasi_filesize_t pos;
	char buf[64];
	size_t n;

	check_errno("create a.txt excl",
		    open_file(dir, "a.txt",
			      __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, &fd),
		    0);
	check_errno("fdstat file", __wasi_fd_fdstat_get(fd, &st), 0);
	check_u64("fdstat file filetype", st.fs_filetype,
		  __WASI_FILETYPE_REGULAR_FILE);
	check_errno("write", write_all(fd, "hello world", 11, &n), 0);
	check_u64("write count", n, 11);
	check_errno("tell", __wasi_fd_tell(fd, &pos), 0);
	check_u64("tell after write", pos, 11);
	check_errno("seek set 0", __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos),
		    0);
	check_u64("seek set result", pos, 0);
	check_errno("read 5", read_some(fd, buf, 5, &n), 0);
	check_bytes("read 5 bytes", buf, "hello", 5);
	check_errno("seek cur +1", __wasi_fd_seek(fd, 1, __WASI_WHENCE_CUR, &pos),
		    0);
	check_u64("seek cur result", pos, 6);
	check_errno("read rest", read_some(fd, buf, sizeof(buf), &n), 0);
	check_u64("read rest count", n, 5);
	check_bytes("read rest bytes", buf, "world", 5);
	check_errno("read at eof", read_some(fd, buf, sizeof(buf), &n), 0);
	check_u64("read at eof count", n, 0);
	check_errno("seek end -5", __wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos),
		    0);
	check_u64("seek end result", pos, 6);
	check_errno("seek bad whence", __wasi_fd_seek(fd, 0, 3, &pos),
		    __WASI_ERRNO_INVAL);
	check_errno("seek before start",
		    __wasi_fd_seek(fd, -100, __WASI_WHENCE_SET, &pos),
		    __WASI_ERRNO_INVAL);
	check_errno("close a.txt", __wasi_fd_close(fd), 0);
	check_errno("create a.txt excl again EEXIST",
		    open_file(dir, "a.txt",
			      __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 0, &fd),
		    __WASI_ERRNO_EXIST);
}

static void t_positional(void)
{
	__wasi_fd_t fd;
	__wasi_filesize_t pos;
	char buf[64], a[3], b[4], c[32];
	size_t n;

	check_errno("open a.txt", open_file(dir, "a.txt", 0, 0, &fd), 0);
	{
		__wasi_iovec_t iov = {.buf = (uint8_t *)buf, .buf_len = 5};
		check_errno("pread 6", __wasi_fd_pread(fd, &iov, 1, 6, &n), 0);
	}
	check_bytes("pread bytes", buf, "world", 5);
	check_errno("tell after pread", __wasi_fd_tell(fd, &pos), 0);
	check_u64("pread keeps offset", pos, 0);
	{
		__wasi_ciovec_t iov = {.buf = (const uint8_t *)"HELLO",
				       .buf_len = 5};
		check_errno("pwrite 0", __wasi_fd_pwrite(fd, &iov, 1, 0, &n), 0);
	}
	check_u64("pwrite count", n, 5);
	check_errno("tell after pwrite", __wasi_fd_tell(fd, &pos), 0);
	check_u64("pwrite keeps offset", pos, 0);
	{
		__wasi_iovec_t iov[3] = {{(uint8_t *)a, 3},
					 {(uint8_t *)b, 4},
					 {(uint8_t *)c, sizeof(c)}};
		check_errno("scatter read", __wasi_fd_read(fd, iov, 3, &n), 0);
	}
	check_u64("scatter read count", n, 11);
	check_true("scatter read pieces",
		   !memcmp(a, "HEL", 3) && !memcmp(b, "LO w", 4) &&
		       !memcmp(c, "orld", 4),
		   "pieces differ");
	{
		__wasi_ciovec_t iov[2] = {{(const uint8_t *)"!!", 2},
					  {(const uint8_t *)"??", 2}};
		check_errno("gather write", __wasi_fd_write(fd, iov, 2, &n), 0);
	}
	check_u64("gather write count", n, 4);
	{
		__wasi_iovec_t iov = {.buf = (uint8_t *)buf, .buf_len = 64};
		check_errno("pread all", __wasi_fd_pread(fd, &iov, 1, 0, &n), 0);
	}
	check_u64("pread all count", n, 15);
	check_bytes("pread all bytes", buf, "HELLO world!!??", 15);
	check_errno("close", __wasi_fd_close(fd), 0);
}

static void t_flags(void)
{
	__wasi_fd_t fd;
	__wasi_fdstat_t st;
	__wasi_filestat_t fs;
	size_t n;

	check_errno("open append", open_file(dir, "a.txt", 0, 0, &fd), 0);
	check_errno("set_flags append",
		    __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), 0);
	check_errno("fdstat after set_flags", __wasi_fd_fdstat_get(fd, &st), 0);
	check_u64("fdstat shows append", st.fs_flags, __WASI_FDFLAGS_APPEND);
	check_errno("append write", write_all(fd, "#", 1, &n), 0);
	check_errno("filestat", __wasi_fd_filestat_get(fd, &fs), 0);
	check_u64("append grew to 16", fs.size, 16);
	check_u64("filestat filetype", fs.filetype,
		  __WASI_FILETYPE_REGULAR_FILE);
	check_u64("filestat nlink", fs.nlink, 1);
	check_errno("set_flags sync NOTSUP",
		    __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC),
		    __WASI_ERRNO_NOTSUP);
	check_errno("close", __wasi_fd_close(fd), 0);
}

static void t_size_times(void)
{
	__wasi_fd_t fd;
	__wasi_filestat_t fs;
	char buf[8];
	size_t n;

	check_errno("open b.txt", open_file(dir, "b.txt", __WASI_OFLAGS_CREAT,
					    0, &fd),
		    0);
	check_errno("write b", write_all(fd, "abcdefgh", 8, &n), 0);
	check_errno("set_size 4", __wasi_fd_filestat_set_size(fd, 4), 0);
	check_errno("filestat after truncate", __wasi_fd_filestat_get(fd, &fs),
		    0);
	check_u64("truncated size", fs.size, 4);
	check_errno("set_size 100", __wasi_fd_filestat_set_size(fd, 100), 0);
	check_errno("filestat after extend", __wasi_fd_filestat_get(fd, &fs), 0);
	check_u64("extended size", fs.size, 100);
	{
		__wasi_iovec_t iov = {.buf = (uint8_t *)buf, .buf_len = 8};
		check_errno("pread extension",
			    __wasi_fd_pread(fd, &iov, 1, 2, &n), 0);
	}
	check_bytes("extension is zeros", buf, "cd\0\0\0\0\0\0", 8);
	check_errno("set_times",
		    __wasi_fd_filestat_set_times(fd, 1000000000ull,
						 2000000000ull,
						 __WASI_FSTFLAGS_ATIM |
						     __WASI_FSTFLAGS_MTIM),
		    0);
	check_errno("filestat after set_times", __wasi_fd_filestat_get(fd, &fs),
		    0);
	check_u64("atim set", fs.atim, 1000000000ull);
	check_u64("mtim set", fs.mtim, 2000000000ull);
	check_errno("set_times atim and atim_now EINVAL",
		    __wasi_fd_filestat_set_times(fd, 1, 0,
						 __WASI_FSTFLAGS_ATIM |
						     __WASI_FSTFLAGS_ATIM_NOW),
		    __WASI_ERRNO_INVAL);
	check_errno("sync", __wasi_fd_sync(fd), 0);
	check_errno("datasync", __wasi_fd_datasync(fd), 0);
	check_errno("advise normal",
		    __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_NORMAL), 0);
	check_errno("advise bad EINVAL", __wasi_fd_advise(fd, 0, 0, 9),
		    __WASI_ERRNO_INVAL);
	check_errno("allocate", __wasi_fd_allocate(fd, 0, 4096), 0);
	check_errno("filestat after allocate", __wasi_fd_filestat_get(fd, &fs),
		    0);
	check_u64("allocate grew to 4096", fs.size, 4096);
	check_errno("readdir on file ENOTDIR",
		    __wasi_fd_readdir(fd, (uint8_t *)buf, sizeof(buf), 0, &n),
		    __WASI_ERRNO_NOTDIR);
	check_errno("close", __wasi_fd_close(fd), 0);
}

/* 1 MiB + 3 bytes: several frames whatever the negotiated size. */
#define BIG (1024 * 1024 + 3)

static void t_big(void)
{
	unsigned char *out = malloc(BIG), *in = malloc(BIG);
	__wasi_fd_t fd;
	size_t n, got = 0;

	for (size_t i = 0; i < BIG; i++)
		out[i] = (unsigned char)(i * 7 + i / 251);
	check_errno("open big", open_file(dir, "big.bin", __WASI_OFLAGS_CREAT,
					  0, &fd),
		    0);
	check_errno("write 1 MiB", write_all(fd, out, BIG, &n), 0);
	check_u64("write 1 MiB count", n, BIG);
	check_errno("close big", __wasi_fd_close(fd), 0);
	check_errno("reopen big", open_file(dir, "big.bin", 0, 0, &fd), 0);
	while (got < BIG) {
		if (read_some(fd, in + got, BIG - got, &n) || n == 0)
			break;
		got += n;
	}
	check_u64("read 1 MiB count", got, BIG);
	check_bytes("read 1 MiB bytes", in, out, BIG);
	memset(in, 0, BIG);
	{
		__wasi_iovec_t iov = {.buf = in, .buf_len = BIG};
		check_errno("pread 1 MiB", __wasi_fd_pread(fd, &iov, 1, 0, &n),
			    0);
	}
	check_u64("pread 1 MiB count", n, BIG);
	check_bytes("pread 1 MiB bytes", in, out, BIG);
	{
		__wasi_iovec_t iov = {.buf = in, .buf_len = BIG};
		check_errno("pread past the end",
			    __wasi_fd_pread(fd, &iov, 1, BIG - 10, &n), 0);
	}
	check_u64("pread past the end count", n, 10);
	check_bytes("pread past the end bytes", in, out + BIG - 10, 10);
	check_errno("close big again", __wasi_fd_close(fd), 0);
	free(out);
	free(in);
}

static void t_rights(void)
{
	__wasi_fd_t fd;
	__wasi_filesize_t pos;
	size_t n;
	char buf[4];

	check_errno("open read-only rights",
		    __wasi_path_open(dir, 0, "a.txt", 0,
				     __WASI_RIGHTS_FD_READ |
					 __WASI_RIGHTS_FD_SEEK |
					 __WASI_RIGHTS_FD_TELL,
				     0, 0, &fd),
		    0);
	check_errno("write without FD_WRITE EBADF", write_all(fd, "x", 1, &n),
		    __WASI_ERRNO_BADF);
	check_errno("set_size without right",
		    __wasi_fd_filestat_set_size(fd, 0),
		    __WASI_ERRNO_NOTCAPABLE);
	check_errno("read with FD_READ", read_some(fd, buf, 4, &n), 0);
	check_errno("drop FD_SEEK",
		    __wasi_fd_fdstat_set_rights(fd,
						__WASI_RIGHTS_FD_READ |
						    __WASI_RIGHTS_FD_TELL,
						0),
		    0);
	check_errno("seek without FD_SEEK",
		    __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos),
		    __WASI_ERRNO_NOTCAPABLE);
	check_errno("tell with FD_TELL", __wasi_fd_tell(fd, &pos), 0);
	check_errno("regain FD_SEEK refused",
		    __wasi_fd_fdstat_set_rights(fd,
						__WASI_RIGHTS_FD_READ |
						    __WASI_RIGHTS_FD_SEEK,
						0),
		    __WASI_ERRNO_NOTCAPABLE);
	check_errno("close ro", __wasi_fd_close(fd), 0);
	check_errno("open asking more than inheritable",
		    __wasi_path_open(dir, 0, "a.txt", 0, 1ull << 40, 0, 0, &fd),
		    __WASI_ERRNO_NOTCAPABLE);
}

int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t nread)
    __attribute__((import_module("wasi_snapshot_preview1"),
		   import_name("fd_read")));

static void t_fault(void)
{
	__wasi_fd_t fd;
	static __wasi_iovec_t iov[2];
	static size_t n = 77;
	static char ok[4];

	check_errno("open a.txt for EFAULT", open_file(dir, "a.txt", 0, 0, &fd),
		    0);
	/* The second buffer lies outside memory: nothing may be read. */
	iov[0] = (__wasi_iovec_t){(uint8_t *)ok, 4};
	iov[1] = (__wasi_iovec_t){(uint8_t *)0xfffffff0u, 64};
	check_errno("read into a bad iovec EFAULT",
		    raw_fd_read(fd, (int32_t)(uintptr_t)iov, 2,
				(int32_t)(uintptr_t)&n),
		    __WASI_ERRNO_FAULT);
	check_errno("nothing was consumed", read_some(fd, ok, 4, &n), 0);
	check_bytes("still at the start", ok, "HELL", 4);
	check_errno("close", __wasi_fd_close(fd), 0);
}

static void t_badf_renumber(void)
{
	__wasi_fd_t fd, fd2, sub;
	char buf[16];
	size_t n;

	check_errno("read dir EBADF", read_some(dir, buf, 4, &n),
		    __WASI_ERRNO_BADF);
	check_errno("open a.txt", open_file(dir, "a.txt", 0, 0, &fd), 0);
	check_errno("close", __wasi_fd_close(fd), 0);
	check_errno("close twice EBADF", __wasi_fd_close(fd),
		    __WASI_ERRNO_BADF);
	check_errno("read closed EBADF", read_some(fd, buf, 4, &n),
		    __WASI_ERRNO_BADF);
	check_errno("write unknown fd EBADF", write_all(999, "x", 1, &n),
		    __WASI_ERRNO_BADF);
	check_errno("open a.txt again", open_file(dir, "a.txt", 0, 0, &fd), 0);
	check_errno("renumber over stdin", __wasi_fd_renumber(fd, 0), 0);
	check_errno("old fd gone", __wasi_fd_close(fd), __WASI_ERRNO_BADF);
	check_errno("read renumbered stdin", read_some(0, buf, 5, &n), 0);
	check_bytes("stdin is the file", buf, "HELLO", 5);
	check_errno("renumber to closed fd EBADF", __wasi_fd_renumber(0, 77),
		    __WASI_ERRNO_BADF);
	check_errno("open b.txt", open_file(dir, "b.txt", 0, 0, &fd2), 0);
	check_errno("renumber onto file fd", __wasi_fd_renumber(fd2, 0), 0);
	check_errno("read stdin now b", read_some(0, buf, 3, &n), 0);
	check_bytes("stdin is b.txt", buf, "abc", 3);
	/* stdout moves away and back; nothing is printed meanwhile. */
	{
		__wasi_fd_t a, g;
		__wasi_errno_t e1, e2, e3, e4, e5, e6;
		size_t n2;

		fflush(stdout);
		e1 = open_file(dir, "a.txt", 0, 0, &a);
		e2 = __wasi_fd_renumber(1, a);	      /* stdout now at a */
		e3 = write_all(1, "x", 1, &n2);	      /* fd 1 is free */
		e4 = open_file(dir, "a.txt", 0, 0, &g); /* takes fd 1 */
		e5 = __wasi_fd_renumber(a, 1);	      /* stdout back */
		e6 = write_all(a, "x", 1, &n2);	      /* a is free again */
		check_errno("renumber stdout: open", e1, 0);
		check_errno("renumber stdout away", e2, 0);
		check_errno("fd 1 closed meanwhile", e3, __WASI_ERRNO_BADF);
		check_true("lowest free fd is 1", e4 == 0 && g == 1, "not fd 1");
		check_errno("renumber stdout back", e5, 0);
		check_errno("old fd free again", e6, __WASI_ERRNO_BADF);
	}
	check_errno("open . as dir",
		    __wasi_path_open(dir, 0, ".", __WASI_OFLAGS_DIRECTORY,
				     R_DIR_ALL, R_FILE_ALL | R_DIR_ALL, 0, &sub),
		    0);
	check_errno("close sub dir", __wasi_fd_close(sub), 0);
}

int main(void)
{
	dir = preopen_fd("/data");
	if (dir < 0) {
		printf("FAIL no /data preopen\n");
		return 1;
	}
	t_prestat();
	t_fdstat();
	t_rw();
	t_positional();
	t_flags();
	t_size_times();
	t_big();
	t_rights();
	t_fault();
	t_badf_renumber();
	return done();
}
