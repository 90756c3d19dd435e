/*
 * syscalls.c - the system calls newlib expects from its OS.  newlib is
 * built with MISSING_SYSCALL_NAMES, so they are the plain POSIX names.
 * The kernel uses little of libc (memory and string functions, malloc for
 * table growth); these stubs make the rest link and fail cleanly: there
 * are no files in the kernel's own libc, only the console.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>

#include <mewz/plat.h>

#include "../plat/kvm/kvm.h"

#undef errno
extern int errno;

void *sbrk(ptrdiff_t incr);
void *sbrk(ptrdiff_t incr)
{
	void *p = mem_heap_sbrk(incr);

	if (p == (void *)-1)
		errno = ENOMEM;
	return p;
}

int write(int fd, const void *buf, size_t len);
int write(int fd, const void *buf, size_t len)
{
	long rc;

	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	rc = mewz_plat_console_write(fd == 1 ? MEWZ_STDOUT : MEWZ_STDERR, buf,
				     len);
	if (rc < 0) {
		errno = (int)-rc;
		return -1;
	}
	return (int)rc;
}

int read(int fd, void *buf, size_t len);
int read(int fd, void *buf, size_t len)
{
	(void)fd, (void)buf, (void)len;
	return 0;
}

int open(const char *path, int flags, ...);
int open(const char *path, int flags, ...)
{
	(void)path, (void)flags;
	errno = ENOENT;
	return -1;
}

int close(int fd);
int close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}

int fstat(int fd, struct stat *st);
int fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int isatty(int fd);
int isatty(int fd)
{
	return fd >= 0 && fd <= 2;
}

off_t lseek(int fd, off_t off, int whence);
off_t lseek(int fd, off_t off, int whence)
{
	(void)fd, (void)off, (void)whence;
	errno = ESPIPE;
	return -1;
}

int getpid(void);
int getpid(void)
{
	return 1;
}

int kill(int pid, int sig);
int kill(int pid, int sig)
{
	(void)pid;
	mewz_plat_exit(MEWZ_EXIT_SIGNAL_BASE + (sig & 0x7f));
}

void _exit(int status);
void _exit(int status)
{
	mewz_plat_exit(status);
}

int gettimeofday(struct timeval *tv, void *tz);
int gettimeofday(struct timeval *tv, void *tz)
{
	uint64_t ns = mewz_plat_realtime_ns();

	(void)tz;
	tv->tv_sec = (time_t)(ns / 1000000000u);
	tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
	return 0;
}

clock_t times(struct tms *t);
clock_t times(struct tms *t)
{
	(void)t;
	errno = ENOSYS;
	return (clock_t)-1;
}
