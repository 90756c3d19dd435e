/*
 * fs_gone.c - a daemon that goes away: the program opens a file, says
 * "opened" and waits for a line on stdin; meanwhile the suite kills
 * mewz-host.  Every file call after that must fail with EIO at once,
 * never hang, and the program must still end normally.
 */
#include "check.h"

int main(void)
{
	int dir = preopen_fd("/data");
	__wasi_fd_t fd, fd2;
	__wasi_filestat_t st;
	char buf[16];
	size_t n;

	check_errno("open before", open_file(dir, "g.txt", __WASI_OFLAGS_CREAT,
					     0, &fd),
		    0);
	printf("opened\n");
	fflush(stdout);
	/* The suite kills the daemon, then writes this line. */
	read_some(0, buf, sizeof(buf), &n);
	check_errno("write after EIO", write_all(fd, "x", 1, &n),
		    __WASI_ERRNO_IO);
	check_errno("read after EIO", read_some(fd, buf, 4, &n),
		    __WASI_ERRNO_IO);
	check_errno("filestat after EIO", __wasi_fd_filestat_get(fd, &st),
		    __WASI_ERRNO_IO);
	check_errno("open after EIO", open_file(dir, "h.txt", __WASI_OFLAGS_CREAT,
						0, &fd2),
		    __WASI_ERRNO_IO);
	check_errno("mkdir after EIO", __wasi_path_create_directory(dir, "x"),
		    __WASI_ERRNO_IO);
	check_errno("close after EIO", __wasi_fd_close(fd), __WASI_ERRNO_IO);
	check_errno("fd is gone anyway", __wasi_fd_close(fd),
		    __WASI_ERRNO_BADF);
	check_errno("stdout still works", write_all(1, "", 0, &n), 0);
	return done();
}
