/* Operations on an open handle: I/O, offsets, sync, metadata. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errno_map.h"
#include "fs.h"
#include "handles.h"

/* Offsets and sizes arrive as u64; the host's off_t is signed. */
static bool fs_off_ok(uint64_t v)
{
	return v <= INT64_MAX;
}

void fs_put_filestat(struct proto_msg *out, const struct stat *st)
{
	uint64_t *v = out->val;

	v[0] = (uint64_t)st->st_dev;
	v[1] = (uint64_t)st->st_ino;
	v[2] = fs_filetype(st->st_mode);
	v[3] = (uint64_t)st->st_nlink;
	v[4] = (uint64_t)st->st_size;
	v[5] = (uint64_t)st->st_atim.tv_sec * 1000000000ull +
	       (uint64_t)st->st_atim.tv_nsec;
	v[6] = (uint64_t)st->st_mtim.tv_sec * 1000000000ull +
	       (uint64_t)st->st_mtim.tv_nsec;
	v[7] = (uint64_t)st->st_ctim.tv_sec * 1000000000ull +
	       (uint64_t)st->st_ctim.tv_nsec;
	out->nval = 8;
}

uint16_t fs_fdflags(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	uint16_t f = 0;

	if (fl < 0)
		return 0;
	if (fl & O_APPEND)
		f |= PROTO_FD_APPEND;
	if (fl & O_NONBLOCK)
		f |= PROTO_FD_NONBLOCK;
	/* On Linux O_SYNC includes the O_DSYNC bit and O_RSYNC is O_SYNC. */
	if ((fl & O_SYNC) == O_SYNC)
		f |= PROTO_FD_SYNC | PROTO_FD_RSYNC;
	else if (fl & O_DSYNC)
		f |= PROTO_FD_DSYNC;
	return f;
}

static void fs_read(struct fs_call *c, bool positional)
{
	uint64_t want = c->in->val[positional ? 2 : 1];
	uint32_t n = want < c->cap ? (uint32_t)want : c->cap;
	ssize_t r;

	if (positional && !fs_off_ok(c->in->val[1])) {
		c->status = PROTO_WASI_EINVAL;
		return;
	}
	do {
		r = positional
			? pread(c->h[0]->fd, c->data, n, (off_t)c->in->val[1])
			: read(c->h[0]->fd, c->data, n);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		c->status = mh_wasi_errno(errno);
		return;
	}
	c->out.str[0].p = c->data;
	c->out.str[0].len = (uint32_t)r;
	c->out.nstr = 1;
}

static void fs_write(struct fs_call *c, bool positional)
{
	const struct proto_str *d = &c->in->str[0];
	uint64_t off = positional ? c->in->val[1] : 0;
	uint32_t done = 0;

	if (positional && !fs_off_ok(off)) {
		c->status = PROTO_WASI_EINVAL;
		return;
	}
	while (done < d->len) {
		ssize_t r =
		    positional ? pwrite(c->h[0]->fd, d->p + done, d->len - done,
					(off_t)(off + done))
			       : write(c->h[0]->fd, d->p + done, d->len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* Report what got through; an error only if
			 * nothing did, as write(2) does. */
			if (done == 0)
				c->status = r < 0 ? mh_wasi_errno(errno)
						  : PROTO_WASI_EIO;
			break;
		}
		done += (uint32_t)r;
	}
	c->out.val[0] = done;
	c->out.nval = 1;
}

static void fs_seek(struct fs_call *c)
{
	int64_t off = (int64_t)c->in->val[1];
	uint64_t whence = c->in->val[2];
	/* Asking where we are is TELL, and needs only that right. */
	uint64_t need = (whence == PROTO_WHENCE_CUR && off == 0)
			    ? PROTO_R_FD_TELL
			    : PROTO_R_FD_SEEK;
	static const int host_whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};

	if (!(c->rb[0] & (need | PROTO_R_FD_SEEK))) {
		c->status = PROTO_WASI_ENOTCAPABLE;
		return;
	}
	if (whence > PROTO_WHENCE_END) {
		c->status = PROTO_WASI_EINVAL;
		return;
	}
	off_t r = lseek(c->h[0]->fd, (off_t)off, host_whence[whence]);

	if (r < 0) {
		c->status = mh_wasi_errno(errno);
		return;
	}
	c->out.val[0] = (uint64_t)r;
	c->out.nval = 1;
}

static int fs_time(uint64_t flags, uint64_t set, uint64_t now, uint64_t ns,
		   struct timespec *ts)
{
	if ((flags & set) && (flags & now))
		return -1;
	if (flags & set) {
		ts->tv_sec = (time_t)(ns / 1000000000ull);
		ts->tv_nsec = (long)(ns % 1000000000ull);
	} else {
		ts->tv_sec = 0;
		ts->tv_nsec = (flags & now) ? UTIME_NOW : UTIME_OMIT;
	}
	return 0;
}

int fs_times(uint64_t atim, uint64_t mtim, uint64_t fst, struct timespec t[2])
{
	if (fst & ~(uint64_t)PROTO_FST_KNOWN)
		return -1;
	if (fs_time(fst, PROTO_FST_ATIM, PROTO_FST_ATIM_NOW, atim, &t[0]) ||
	    fs_time(fst, PROTO_FST_MTIM, PROTO_FST_MTIM_NOW, mtim, &t[1]))
		return -1;
	return 0;
}

static void fs_set_flags(struct fs_call *c)
{
	uint64_t want = c->in->val[1];
	const uint64_t sync = PROTO_FD_DSYNC | PROTO_FD_SYNC | PROTO_FD_RSYNC;
	int fd = c->h[0]->fd;
	int fl = fcntl(fd, F_GETFL);

	if (want & ~(uint64_t)PROTO_FD_KNOWN) {
		c->status = PROTO_WASI_EINVAL;
		return;
	}
	/* Linux cannot change the sync flags of an open file. */
	if ((want & sync) != (fs_fdflags(fd) & sync)) {
		c->status = PROTO_WASI_ENOTSUP;
		return;
	}
	fl &= ~(O_APPEND | O_NONBLOCK);
	if (want & PROTO_FD_APPEND)
		fl |= O_APPEND;
	if (want & PROTO_FD_NONBLOCK)
		fl |= O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) != 0)
		c->status = mh_wasi_errno(errno);
}

static const int fs_advice[] = {
    [PROTO_ADVICE_NORMAL] = POSIX_FADV_NORMAL,
    [PROTO_ADVICE_SEQUENTIAL] = POSIX_FADV_SEQUENTIAL,
    [PROTO_ADVICE_RANDOM] = POSIX_FADV_RANDOM,
    [PROTO_ADVICE_WILLNEED] = POSIX_FADV_WILLNEED,
    [PROTO_ADVICE_DONTNEED] = POSIX_FADV_DONTNEED,
    [PROTO_ADVICE_NOREUSE] = POSIX_FADV_NOREUSE,
};

/* The rest are one syscall each. */
static int fs_simple(struct fs_call *c)
{
	const uint64_t *v = c->in->val;
	int fd = c->h[0]->fd;
	struct timespec t[2];
	struct stat st;

	switch (c->op) {
	case PROTO_OP_TELL: {
		off_t r = lseek(fd, 0, SEEK_CUR);

		if (r < 0)
			return errno;
		c->out.val[0] = (uint64_t)r;
		c->out.nval = 1;
		return 0;
	}
	case PROTO_OP_SYNC:
		return fsync(fd) ? errno : 0;
	case PROTO_OP_DATASYNC:
		return fdatasync(fd) ? errno : 0;
	case PROTO_OP_FILESTAT_GET:
		if (fstat(fd, &st))
			return errno;
		fs_put_filestat(&c->out, &st);
		return 0;
	case PROTO_OP_FILESTAT_SET_SIZE:
		if (!fs_off_ok(v[1]))
			return EINVAL;
		return ftruncate(fd, (off_t)v[1]) ? errno : 0;
	case PROTO_OP_FILESTAT_SET_TIMES:
		if (fs_times(v[1], v[2], v[3], t))
			return EINVAL;
		return futimens(fd, t) ? errno : 0;
	case PROTO_OP_ADVISE:
		if (v[3] > PROTO_ADVICE_NOREUSE || !fs_off_ok(v[1]) ||
		    !fs_off_ok(v[2]))
			return EINVAL;
		return posix_fadvise(fd, (off_t)v[1], (off_t)v[2],
				     fs_advice[v[3]]);
	case PROTO_OP_ALLOCATE:
		if (!fs_off_ok(v[1]) || !fs_off_ok(v[2]) ||
		    v[1] + v[2] > INT64_MAX)
			return EFBIG;
		return posix_fallocate(fd, (off_t)v[1], (off_t)v[2]);
	default:
		return ENOSYS;
	}
}

void fs_fd_op(struct fs_call *c)
{
	switch (c->op) {
	case PROTO_OP_READ:
		fs_read(c, false);
		return;
	case PROTO_OP_PREAD:
		fs_read(c, true);
		return;
	case PROTO_OP_WRITE:
		fs_write(c, false);
		return;
	case PROTO_OP_PWRITE:
		fs_write(c, true);
		return;
	case PROTO_OP_SEEK:
		fs_seek(c);
		return;
	case PROTO_OP_FDSTAT_SET_FLAGS:
		fs_set_flags(c);
		return;
	default:
		c->status = mh_wasi_errno(fs_simple(c));
		return;
	}
}
