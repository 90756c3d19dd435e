/*
 * stdio.c - fds 0, 1 and 2 on the platform console.  The console is a
 * character device: no seek, no tell (wasi-libc's isatty() checks exactly
 * that), reads block unless the fd is non-blocking.
 */
#include <errno.h>

#include <mewz/plat.h>

#include "wasi.h"

static long console_writev(struct wasi_fd *fd, const struct wasi_iov *iov,
			   size_t n)
{
	long total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		long rc;

		if (iov[i].len == 0)
			continue;
		rc = mewz_plat_console_write((enum mewz_stream)fd->handle,
					     iov[i].base, iov[i].len);
		if (rc < 0)
			return total ? total : rc;
		total += rc;
		if ((size_t)rc < iov[i].len)
			break;
	}
	return total;
}

/* One read fills at most the first non-empty buffer: like a tty, it
 * returns what has arrived rather than waiting to fill every iovec. */
static long console_readv(struct wasi_fd *fd, const struct wasi_iov *iov,
			  size_t n)
{
	size_t i;

	for (i = 0; i < n && iov[i].len == 0; i++)
		;
	if (i == n)
		return 0;
	for (;;) {
		long rc = mewz_plat_console_read(iov[i].base, iov[i].len);

		if (rc != -EAGAIN || (fd->flags & WASI_FDFLAG_NONBLOCK))
			return rc;
		mewz_plat_block_until(UINT64_MAX);
	}
}

static int console_filestat(struct wasi_fd *fd, struct wasi_filestat *st)
{
	memset(st, 0, sizeof(*st));
	st->filetype = fd->filetype;
	st->nlink = 1;
	return 0;
}

static int console_set_flags(struct wasi_fd *fd, uint16_t flags)
{
	if (flags & ~(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK))
		return -ENOTSUP;
	fd->flags = flags;
	return 0;
}

static int console_readiness(struct wasi_fd *fd, uint8_t eventtype,
			     uint64_t *nbytes)
{
	*nbytes = 0;
	if (eventtype == WASI_EVENTTYPE_FD_WRITE)
		return fd->handle != MEWZ_STDIN;
	if (fd->handle != MEWZ_STDIN)
		return 0;
	return mewz_plat_console_readable() ? 1 : 0;
}

static const struct wasi_fd_ops console_ops = {
    .readv = console_readv,
    .writev = console_writev,
    .filestat_get = console_filestat,
    .set_flags = console_set_flags,
    .readiness = console_readiness,
};

#define CONSOLE_RIGHTS_COMMON                                                  \
	(WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_FILESTAT_GET |         \
	 WASI_RIGHT_POLL_FD_READWRITE)

void wasi_stdio_install(void)
{
	static const enum mewz_stream streams[] = {MEWZ_STDIN, MEWZ_STDOUT,
						   MEWZ_STDERR};
	size_t i;

	for (i = 0; i < 3; i++) {
		struct wasi_fd f = {
		    .kind = WASI_FD_CONSOLE,
		    .filetype = WASI_FILETYPE_CHARACTER_DEVICE,
		    .rights_base =
			CONSOLE_RIGHTS_COMMON |
			(streams[i] == MEWZ_STDIN ? WASI_RIGHT_FD_READ
						  : WASI_RIGHT_FD_WRITE),
		    .ops = &console_ops,
		    .handle = streams[i],
		};
		fdt_install_at((uint32_t)i, &f);
	}
}
