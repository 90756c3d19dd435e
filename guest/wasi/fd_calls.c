/*
 * fd_calls.c - the fd_* imports: check guest pointers, look up the fd,
 * dispatch to its kind's ops, store results.  Errors become WASI errno here
 * and nowhere else.
 */
#include <errno.h>

#include "wasi.h"

/* Like POSIX IOV_MAX: a longer list is EINVAL, not a huge stack array. */
#define WASI_IOV_MAX 1024
/* iovecs are converted and dispatched in batches of this many. */
#define IOV_BATCH 16

typedef long (*iov_op)(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		       uint64_t off);

/*
 * Convert guest iovecs [first, first + n) into host ones, checking each
 * buffer.  Returns the total length or -EFAULT.
 */
static long load_iovs(uint32_t iovs, uint32_t first, uint32_t n,
		      struct wasi_iov *out)
{
	const uint8_t *list = wasi_mem(iovs + first * WASI_IOVEC_SIZE,
				       (uint64_t)n * WASI_IOVEC_SIZE);
	long total = 0;
	uint32_t i;

	if (!list ||
	    (uint64_t)iovs + (uint64_t)first * WASI_IOVEC_SIZE > UINT32_MAX)
		return -EFAULT;
	for (i = 0; i < n; i++) {
		uint32_t buf = wasi_get_u32(list, i * WASI_IOVEC_SIZE);
		uint32_t len = wasi_get_u32(list, i * WASI_IOVEC_SIZE + 4);

		out[i].base = wasi_mem(buf, len);
		out[i].len = len;
		if (!out[i].base)
			return -EFAULT;
		total += len;
	}
	return total;
}

/*
 * Check the whole list before anything moves: a bad buffer anywhere is
 * EFAULT for the call, not a short transfer after the good ones.
 */
static int check_iovs(uint32_t iovs, uint32_t n)
{
	const uint8_t *list = wasi_mem(iovs, (uint64_t)n * WASI_IOVEC_SIZE);
	uint32_t i;

	if (!list)
		return -EFAULT;
	for (i = 0; i < n; i++)
		if (!wasi_mem(wasi_get_u32(list, i * WASI_IOVEC_SIZE),
			      wasi_get_u32(list, i * WASI_IOVEC_SIZE + 4)))
			return -EFAULT;
	return 0;
}

/*
 * Run op over the whole iovec list in batches.  A short transfer ends the
 * loop: the next batch must not skip over bytes that were not moved.
 * Returns bytes moved, or a negative errno if nothing moved.
 */
static long iov_transfer(struct wasi_fd *fd, uint32_t iovs, uint32_t iovs_len,
			 uint64_t off, iov_op op)
{
	struct wasi_iov iov[IOV_BATCH];
	long done = 0;
	uint32_t first;

	if (iovs_len > WASI_IOV_MAX)
		return -EINVAL;
	if (check_iovs(iovs, iovs_len) < 0)
		return -EFAULT;
	for (first = 0; first < iovs_len; first += IOV_BATCH) {
		uint32_t n =
		    iovs_len - first < IOV_BATCH ? iovs_len - first : IOV_BATCH;
		long want = load_iovs(iovs, first, n, iov);
		long rc;

		if (want < 0)
			return done ? done : want;
		rc = op(fd, iov, n, off + (uint64_t)done);
		if (rc < 0)
			return done ? done : rc;
		done += rc;
		if (rc < want)
			break;
	}
	return done;
}

static long op_readv(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		     uint64_t off)
{
	(void)off;
	return fd->ops->readv(fd, iov, n);
}

static long op_writev(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		      uint64_t off)
{
	(void)off;
	return fd->ops->writev(fd, iov, n);
}

static long op_preadv(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		      uint64_t off)
{
	return fd->ops->preadv(fd, iov, n, off);
}

static long op_pwritev(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		       uint64_t off)
{
	return fd->ops->pwritev(fd, iov, n, off);
}

/*
 * Look up fd for an operation.  present says whether the kind implements
 * it; if not, the answer is the call's default errno (see wasi.h).
 */
static struct wasi_fd *fd_for(uint32_t fd, uint64_t right,
			      int (*present)(const struct wasi_fd *),
			      int missing, int *err)
{
	struct wasi_fd *f = fdt_get(fd, 0, err);

	if (!f)
		return NULL;
	if (present && !present(f)) {
		*err = missing;
		return NULL;
	}
	if ((f->rights_base & right) != right) {
		*err = -MEWZ_ENOTCAPABLE;
		return NULL;
	}
	return f;
}

static int has_readv(const struct wasi_fd *f)
{
	return f->ops && f->ops->readv;
}
static int has_writev(const struct wasi_fd *f)
{
	return f->ops && f->ops->writev;
}
static int has_preadv(const struct wasi_fd *f)
{
	return f->ops && f->ops->preadv;
}
static int has_pwritev(const struct wasi_fd *f)
{
	return f->ops && f->ops->pwritev;
}
static int has_seek(const struct wasi_fd *f)
{
	return f->ops && f->ops->seek;
}
static int has_sync(const struct wasi_fd *f)
{
	return f->ops && f->ops->sync;
}
static int has_set_flags(const struct wasi_fd *f)
{
	return f->ops && f->ops->set_flags;
}

/* Streams cannot seek; directories are not byte streams. */
static int seek_errno(uint32_t fd)
{
	int err;
	struct wasi_fd *f = fdt_get(fd, 0, &err);

	if (f && f->filetype == WASI_FILETYPE_DIRECTORY)
		return -EISDIR;
	return -ESPIPE;
}

/*
 * An fd not open for reading (writing) is EBADF for fd_read (fd_write)
 * and their positional forms, as read(2) and write(2) answer and other
 * WASI hosts do (wasi-testsuite's path_open_read_without_rights requires
 * it); any other missing right, such as FD_SEEK, stays ENOTCAPABLE.
 */
static int rw_rights_errno(uint32_t fd, uint64_t right, int err)
{
	int e;
	struct wasi_fd *f = fdt_get(fd, 0, &e);
	uint64_t io = right & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_WRITE);

	if (err == -MEWZ_ENOTCAPABLE && f && (f->rights_base & io) != io)
		return -EBADF;
	return err;
}

static int32_t rw_call(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nptr,
		       uint64_t right, int (*present)(const struct wasi_fd *),
		       int missing, uint64_t off, iov_op op)
{
	int err;
	struct wasi_fd *f = fd_for((uint32_t)fd, right, present, missing, &err);
	long n;

	if (!f)
		return wasi_errno(rw_rights_errno((uint32_t)fd, right, err));
	if (!wasi_mem((uint32_t)nptr, 4))
		return WASI_EFAULT;
	n = iov_transfer(f, (uint32_t)iovs, (uint32_t)iovs_len, off, op);
	if (n < 0)
		return wasi_errno((int)n);
	return wasi_errno(wasi_store_u32((uint32_t)nptr, (uint32_t)n));
}

int32_t wasi_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len,
		      int32_t nwritten) WASI_IMPORT(fd_write);
int32_t wasi_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len,
		      int32_t nwritten)
{
	return rw_call(fd, iovs, iovs_len, nwritten, WASI_RIGHT_FD_WRITE,
		       has_writev, -EBADF, 0, op_writev);
}

int32_t wasi_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread)
    WASI_IMPORT(fd_read);
int32_t wasi_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t nread)
{
	return rw_call(fd, iovs, iovs_len, nread, WASI_RIGHT_FD_READ, has_readv,
		       -EBADF, 0, op_readv);
}

int32_t wasi_fd_pwrite(int32_t fd, int32_t iovs, int32_t iovs_len, int64_t off,
		       int32_t nwritten) WASI_IMPORT(fd_pwrite);
int32_t wasi_fd_pwrite(int32_t fd, int32_t iovs, int32_t iovs_len, int64_t off,
		       int32_t nwritten)
{
	return rw_call(fd, iovs, iovs_len, nwritten,
		       WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK, has_pwritev,
		       seek_errno((uint32_t)fd), (uint64_t)off, op_pwritev);
}

int32_t wasi_fd_pread(int32_t fd, int32_t iovs, int32_t iovs_len, int64_t off,
		      int32_t nread) WASI_IMPORT(fd_pread);
int32_t wasi_fd_pread(int32_t fd, int32_t iovs, int32_t iovs_len, int64_t off,
		      int32_t nread)
{
	return rw_call(fd, iovs, iovs_len, nread,
		       WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK, has_preadv,
		       seek_errno((uint32_t)fd), (uint64_t)off, op_preadv);
}

int32_t wasi_fd_seek(int32_t fd, int64_t off, int32_t whence, int32_t newoff)
    WASI_IMPORT(fd_seek);
int32_t wasi_fd_seek(int32_t fd, int64_t off, int32_t whence, int32_t newoff)
{
	int err;
	struct wasi_fd *f = fd_for((uint32_t)fd, WASI_RIGHT_FD_SEEK, has_seek,
				   seek_errno((uint32_t)fd), &err);
	uint64_t pos;

	if (!f)
		return wasi_errno(err);
	if ((uint32_t)whence > WASI_WHENCE_END)
		return WASI_EINVAL;
	if (!wasi_mem((uint32_t)newoff, 8))
		return WASI_EFAULT;
	err = f->ops->seek(f, off, (uint8_t)whence, &pos);
	if (err < 0)
		return wasi_errno(err);
	return wasi_errno(wasi_store_u64((uint32_t)newoff, pos));
}

int32_t wasi_fd_tell(int32_t fd, int32_t offp) WASI_IMPORT(fd_tell);
int32_t wasi_fd_tell(int32_t fd, int32_t offp)
{
	int err;
	struct wasi_fd *f = fd_for((uint32_t)fd, WASI_RIGHT_FD_TELL, has_seek,
				   seek_errno((uint32_t)fd), &err);
	uint64_t pos;

	if (!f)
		return wasi_errno(err);
	if (!wasi_mem((uint32_t)offp, 8))
		return WASI_EFAULT;
	err = f->ops->seek(f, 0, WASI_WHENCE_CUR, &pos);
	if (err < 0)
		return wasi_errno(err);
	return wasi_errno(wasi_store_u64((uint32_t)offp, pos));
}

int32_t wasi_fd_close(int32_t fd) WASI_IMPORT(fd_close);
int32_t wasi_fd_close(int32_t fd)
{
	return wasi_errno(fdt_close((uint32_t)fd));
}

int32_t wasi_fd_renumber(int32_t from, int32_t to) WASI_IMPORT(fd_renumber);
int32_t wasi_fd_renumber(int32_t from, int32_t to)
{
	return wasi_errno(fdt_renumber((uint32_t)from, (uint32_t)to));
}

int32_t wasi_fd_fdstat_get(int32_t fd, int32_t statp)
    WASI_IMPORT(fd_fdstat_get);
int32_t wasi_fd_fdstat_get(int32_t fd, int32_t statp)
{
	int err;
	struct wasi_fd *f = fdt_get((uint32_t)fd, 0, &err);
	uint8_t *p;

	if (!f)
		return wasi_errno(err);
	p = wasi_mem((uint32_t)statp, WASI_FDSTAT_SIZE);
	if (!p)
		return WASI_EFAULT;
	memset(p, 0, WASI_FDSTAT_SIZE);
	wasi_put_u8(p, WASI_FDSTAT_FILETYPE, f->filetype);
	wasi_put_u16(p, WASI_FDSTAT_FLAGS, f->flags);
	wasi_put_u64(p, WASI_FDSTAT_RIGHTS, f->rights_base);
	wasi_put_u64(p, WASI_FDSTAT_INHERIT, f->rights_inheriting);
	return WASI_ESUCCESS;
}

int32_t wasi_fd_fdstat_set_flags(int32_t fd, int32_t flags)
    WASI_IMPORT(fd_fdstat_set_flags);
int32_t wasi_fd_fdstat_set_flags(int32_t fd, int32_t flags)
{
	int err;
	struct wasi_fd *f = fd_for((uint32_t)fd, WASI_RIGHT_FD_FDSTAT_SET_FLAGS,
				   has_set_flags, -ENOTSUP, &err);

	if (!f)
		return wasi_errno(err);
	if ((uint32_t)flags > 0xffff)
		return WASI_EINVAL;
	return wasi_errno(f->ops->set_flags(f, (uint16_t)flags));
}

/* Rights can only be dropped, never gained. */
int32_t wasi_fd_fdstat_set_rights(int32_t fd, int64_t base, int64_t inheriting)
    WASI_IMPORT(fd_fdstat_set_rights);
int32_t wasi_fd_fdstat_set_rights(int32_t fd, int64_t base, int64_t inheriting)
{
	int err;
	struct wasi_fd *f = fdt_get((uint32_t)fd, 0, &err);

	if (!f)
		return wasi_errno(err);
	if (((uint64_t)base & ~f->rights_base) ||
	    ((uint64_t)inheriting & ~f->rights_inheriting))
		return WASI_ENOTCAPABLE;
	/* A host object drops them too, so the two never disagree. */
	if (f->ops && f->ops->set_rights) {
		err = f->ops->set_rights(f, (uint64_t)base,
					 (uint64_t)inheriting);
		if (err < 0)
			return wasi_errno(err);
	}
	f->rights_base = (uint64_t)base;
	f->rights_inheriting = (uint64_t)inheriting;
	return WASI_ESUCCESS;
}

void wasi_filestat_store(uint8_t *p, const struct wasi_filestat *st)
{
	memset(p, 0, WASI_FILESTAT_SIZE);
	wasi_put_u64(p, WASI_FILESTAT_DEV, st->dev);
	wasi_put_u64(p, WASI_FILESTAT_INO, st->ino);
	wasi_put_u8(p, WASI_FILESTAT_FILETYPE, st->filetype);
	wasi_put_u64(p, WASI_FILESTAT_NLINK, st->nlink);
	wasi_put_u64(p, WASI_FILESTAT_FSIZE, st->size);
	wasi_put_u64(p, WASI_FILESTAT_ATIM, st->atim);
	wasi_put_u64(p, WASI_FILESTAT_MTIM, st->mtim);
	wasi_put_u64(p, WASI_FILESTAT_CTIM, st->ctim);
}

int32_t wasi_fd_filestat_get(int32_t fd, int32_t statp)
    WASI_IMPORT(fd_filestat_get);
int32_t wasi_fd_filestat_get(int32_t fd, int32_t statp)
{
	int err;
	struct wasi_fd *f =
	    fd_for((uint32_t)fd, WASI_RIGHT_FD_FILESTAT_GET, NULL, 0, &err);
	struct wasi_filestat st = {0};
	uint8_t *p;

	if (!f)
		return wasi_errno(err);
	p = wasi_mem((uint32_t)statp, WASI_FILESTAT_SIZE);
	if (!p)
		return WASI_EFAULT;
	st.filetype = f->filetype;
	if (f->ops && f->ops->filestat_get) {
		err = f->ops->filestat_get(f, &st);
		if (err < 0)
			return wasi_errno(err);
	}
	wasi_filestat_store(p, &st);
	return WASI_ESUCCESS;
}

static int32_t sync_call(int32_t fd, uint64_t right, int data_only)
{
	int err;
	struct wasi_fd *f =
	    fd_for((uint32_t)fd, right, has_sync, -EINVAL, &err);

	if (!f)
		return wasi_errno(err);
	return wasi_errno(f->ops->sync(f, data_only));
}

int32_t wasi_fd_sync(int32_t fd) WASI_IMPORT(fd_sync);
int32_t wasi_fd_sync(int32_t fd)
{
	return sync_call(fd, WASI_RIGHT_FD_SYNC, 0);
}

int32_t wasi_fd_datasync(int32_t fd) WASI_IMPORT(fd_datasync);
int32_t wasi_fd_datasync(int32_t fd)
{
	return sync_call(fd, WASI_RIGHT_FD_DATASYNC, 1);
}

static int has_advise(const struct wasi_fd *f)
{
	return f->ops && f->ops->advise;
}
static int has_allocate(const struct wasi_fd *f)
{
	return f->ops && f->ops->allocate;
}
static int has_set_size(const struct wasi_fd *f)
{
	return f->ops && f->ops->set_size;
}
static int has_set_times(const struct wasi_fd *f)
{
	return f->ops && f->ops->set_times;
}
static int has_readdir(const struct wasi_fd *f)
{
	return f->ops && f->ops->readdir;
}

/*
 * Calls only host-backed kinds implement; on other fds they answer what
 * POSIX would for a stream (ESPIPE, EINVAL, ...), and an unknown fd EBADF.
 */
int32_t wasi_fd_advise(int32_t fd, int64_t off, int64_t len, int32_t advice)
    WASI_IMPORT(fd_advise);
int32_t wasi_fd_advise(int32_t fd, int64_t off, int64_t len, int32_t advice)
{
	int err;
	struct wasi_fd *f =
	    fd_for((uint32_t)fd, WASI_RIGHT_FD_ADVISE, has_advise,
		   seek_errno((uint32_t)fd), &err);

	if (!f)
		return wasi_errno(err);
	if ((uint32_t)advice > 5) /* NOREUSE, the last advice */
		return WASI_EINVAL;
	return wasi_errno(
	    f->ops->advise(f, (uint64_t)off, (uint64_t)len, (uint8_t)advice));
}

int32_t wasi_fd_allocate(int32_t fd, int64_t off, int64_t len)
    WASI_IMPORT(fd_allocate);
int32_t wasi_fd_allocate(int32_t fd, int64_t off, int64_t len)
{
	int err;
	struct wasi_fd *f =
	    fd_for((uint32_t)fd, WASI_RIGHT_FD_ALLOCATE, has_allocate,
		   seek_errno((uint32_t)fd), &err);

	if (!f)
		return wasi_errno(err);
	return wasi_errno(f->ops->allocate(f, (uint64_t)off, (uint64_t)len));
}

int32_t wasi_fd_filestat_set_size(int32_t fd, int64_t size)
    WASI_IMPORT(fd_filestat_set_size);
int32_t wasi_fd_filestat_set_size(int32_t fd, int64_t size)
{
	int err;
	struct wasi_fd *f = fd_for((uint32_t)fd, WASI_RIGHT_FD_FILESTAT_SET_SIZE,
				   has_set_size, -EINVAL, &err);

	if (!f)
		return wasi_errno(err);
	return wasi_errno(f->ops->set_size(f, (uint64_t)size));
}

int32_t wasi_fd_filestat_set_times(int32_t fd, int64_t atim, int64_t mtim,
				   int32_t flags)
    WASI_IMPORT(fd_filestat_set_times);
int32_t wasi_fd_filestat_set_times(int32_t fd, int64_t atim, int64_t mtim,
				   int32_t flags)
{
	int err;
	struct wasi_fd *f =
	    fd_for((uint32_t)fd, WASI_RIGHT_FD_FILESTAT_SET_TIMES,
		   has_set_times, -ENOTSUP, &err);

	if (!f)
		return wasi_errno(err);
	if ((uint32_t)flags > 0xf)
		return WASI_EINVAL;
	return wasi_errno(f->ops->set_times(f, (uint64_t)atim, (uint64_t)mtim,
					    (uint16_t)flags));
}

int32_t wasi_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie,
			int32_t used) WASI_IMPORT(fd_readdir);
int32_t wasi_fd_readdir(int32_t fd, int32_t buf, int32_t len, int64_t cookie,
			int32_t used)
{
	int err;
	struct wasi_fd *f = fd_for((uint32_t)fd, WASI_RIGHT_FD_READDIR,
				   has_readdir, -ENOTDIR, &err);
	void *p;
	long n;

	if (!f)
		return wasi_errno(err);
	p = wasi_mem((uint32_t)buf, (uint32_t)len);
	if (!p || !wasi_mem((uint32_t)used, 4))
		return WASI_EFAULT;
	n = f->ops->readdir(f, p, (uint32_t)len, (uint64_t)cookie);
	if (n < 0)
		return wasi_errno((int)n);
	return wasi_errno(wasi_store_u32((uint32_t)used, (uint32_t)n));
}

/* Preopens: only host directories are preopened, each with its path. */
int32_t wasi_fd_prestat_get(int32_t fd, int32_t statp)
    WASI_IMPORT(fd_prestat_get);
int32_t wasi_fd_prestat_get(int32_t fd, int32_t statp)
{
	int err;
	struct wasi_fd *f = fdt_get((uint32_t)fd, 0, &err);
	uint8_t *p;

	if (!f || !f->preopen)
		return WASI_EBADF;
	p = wasi_mem((uint32_t)statp, WASI_PRESTAT_SIZE);
	if (!p)
		return WASI_EFAULT;
	memset(p, 0, WASI_PRESTAT_SIZE);
	wasi_put_u8(p, WASI_PRESTAT_TAG, WASI_PREOPENTYPE_DIR);
	wasi_put_u32(p, WASI_PRESTAT_NAME_LEN, f->preopen_len);
	return WASI_ESUCCESS;
}

int32_t wasi_fd_prestat_dir_name(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(fd_prestat_dir_name);
int32_t wasi_fd_prestat_dir_name(int32_t fd, int32_t path, int32_t len)
{
	int err;
	struct wasi_fd *f = fdt_get((uint32_t)fd, 0, &err);
	uint8_t *p;

	if (!f || !f->preopen)
		return WASI_EBADF;
	if ((uint32_t)len < f->preopen_len)
		return WASI_ENAMETOOLONG;
	p = wasi_mem((uint32_t)path, f->preopen_len);
	if (!p)
		return WASI_EFAULT;
	memcpy(p, f->preopen, f->preopen_len);
	return WASI_ESUCCESS;
}
