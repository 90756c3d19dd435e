/*
 * fs_crash.c - a program that dies mid-request stream: it opens files
 * and writes, then traps with the files open.  The suite checks that the
 * daemon serving it (shared with other programs through --host) lives on.
 */
#include "check.h"

int main(void)
{
	int dir = preopen_fd("/data");
	__wasi_fd_t fd;
	size_t n;

	for (int i = 0; i < 8; i++) {
		char name[32];

		snprintf(name, sizeof(name), "crash-%d", i);
		if (open_file(dir, name, __WASI_OFLAGS_CREAT, 0, &fd) == 0)
			write_all(fd, "partial", 7, &n);
	}
	printf("about to trap\n");
	fflush(stdout);
	__builtin_trap();
}
