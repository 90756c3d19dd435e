/*
 * file.c - host-backed regular files: every op is a request to mewz-host
 * on the fd's handle (PROTOCOL.md section 8).  Reads and writes larger
 * than one frame are split (file_io.c); the rest is one round trip each.
 */
#include <errno.h>
#include <stdlib.h>

#include "hostcall.h"
#include "wasi.h"

/* One request whose only field is the handle, or handle + numbers. */
static int handle_call(uint16_t op, const struct wasi_fd *fd, uint8_t nval,
		       uint64_t a, uint64_t b, uint64_t c)
{
	struct proto_msg req = {.nval = (uint8_t)(1 + nval),
				.val = {fd->handle, a, b, c}};

	return hostcall_call(op, &req, NULL);
}

void wasi_host_filestat(const struct proto_msg *m, struct wasi_filestat *st)
{
	st->dev = m->val[0];
	st->ino = m->val[1];
	st->filetype = (uint8_t)m->val[2];
	st->nlink = m->val[3];
	st->size = m->val[4];
	st->atim = m->val[5];
	st->mtim = m->val[6];
	st->ctim = m->val[7];
}

static long file_readv(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n)
{
	return wasi_host_readv(fd, iov, n, 0, 0);
}

static long file_writev(struct wasi_fd *fd, const struct wasi_iov *iov,
			size_t n)
{
	return wasi_host_writev(fd, iov, n, 0, 0);
}

static long file_preadv(struct wasi_fd *fd, const struct wasi_iov *iov,
			size_t n, uint64_t off)
{
	return wasi_host_readv(fd, iov, n, 1, off);
}

static long file_pwritev(struct wasi_fd *fd, const struct wasi_iov *iov,
			 size_t n, uint64_t off)
{
	return wasi_host_writev(fd, iov, n, 1, off);
}

static int file_seek(struct wasi_fd *fd, int64_t off, uint8_t whence,
		     uint64_t *pos)
{
	struct proto_msg req, resp;
	int rc;

	/* fd_tell is SEEK(CUR, 0) in the table; TELL needs only FD_TELL. */
	if (off == 0 && whence == WASI_WHENCE_CUR) {
		req = (struct proto_msg){.nval = 1, .val = {fd->handle}};
		rc = hostcall_call(PROTO_OP_TELL, &req, &resp);
	} else {
		req = (struct proto_msg){
		    .nval = 3, .val = {fd->handle, (uint64_t)off, whence}};
		rc = hostcall_call(PROTO_OP_SEEK, &req, &resp);
	}
	if (rc == 0)
		*pos = resp.val[0];
	return rc;
}

int wasi_host_filestat_get(struct wasi_fd *fd, struct wasi_filestat *st)
{
	struct proto_msg req = {.nval = 1, .val = {fd->handle}}, resp;
	int rc = hostcall_call(PROTO_OP_FILESTAT_GET, &req, &resp);

	if (rc == 0)
		wasi_host_filestat(&resp, st);
	return rc;
}

int wasi_host_set_flags(struct wasi_fd *fd, uint16_t flags)
{
	int rc = handle_call(PROTO_OP_FDSTAT_SET_FLAGS, fd, 1, flags, 0, 0);

	if (rc == 0)
		fd->flags = flags;
	return rc;
}

int wasi_host_sync(struct wasi_fd *fd, int data_only)
{
	return handle_call(data_only ? PROTO_OP_DATASYNC : PROTO_OP_SYNC, fd, 0,
			   0, 0, 0);
}

/* A preopen's guest path was allocated by hostcall_hello.c. */
int wasi_host_close(struct wasi_fd *fd)
{
	free((void *)(uintptr_t)fd->preopen);
	fd->preopen = NULL;
	return handle_call(PROTO_OP_CLOSE, fd, 0, 0, 0, 0);
}

int wasi_host_advise(struct wasi_fd *fd, uint64_t off, uint64_t len,
		     uint8_t advice)
{
	return handle_call(PROTO_OP_ADVISE, fd, 3, off, len, advice);
}

static int file_allocate(struct wasi_fd *fd, uint64_t off, uint64_t len)
{
	return handle_call(PROTO_OP_ALLOCATE, fd, 2, off, len, 0);
}

static int file_set_size(struct wasi_fd *fd, uint64_t size)
{
	return handle_call(PROTO_OP_FILESTAT_SET_SIZE, fd, 1, size, 0, 0);
}

int wasi_host_set_times(struct wasi_fd *fd, uint64_t atim, uint64_t mtim,
			uint16_t fstflags)
{
	return handle_call(PROTO_OP_FILESTAT_SET_TIMES, fd, 3, atim, mtim,
			   fstflags);
}

int wasi_host_set_rights(struct wasi_fd *fd, uint64_t base, uint64_t inheriting)
{
	return handle_call(PROTO_OP_FDSTAT_SET_RIGHTS, fd, 2, base, inheriting,
			   0);
}

/* No .readiness: these never block on the host's side (always ready). */
const struct wasi_fd_ops wasi_host_file_ops = {
    .readv = file_readv,
    .writev = file_writev,
    .preadv = file_preadv,
    .pwritev = file_pwritev,
    .seek = file_seek,
    .filestat_get = wasi_host_filestat_get,
    .set_flags = wasi_host_set_flags,
    .sync = wasi_host_sync,
    .close = wasi_host_close,
    .advise = wasi_host_advise,
    .allocate = file_allocate,
    .set_size = file_set_size,
    .set_times = wasi_host_set_times,
    .set_rights = wasi_host_set_rights,
};

int wasi_host_fd_install(uint32_t handle, uint8_t filetype, uint64_t base,
			 uint64_t inheriting, uint16_t fdflags)
{
	struct wasi_fd f = {
	    .kind = filetype == WASI_FILETYPE_DIRECTORY ? WASI_FD_HOST_DIR
							: WASI_FD_HOST_FILE,
	    .filetype = filetype,
	    .flags = fdflags,
	    .rights_base = base,
	    .rights_inheriting = inheriting,
	    .ops = filetype == WASI_FILETYPE_DIRECTORY ? &wasi_host_dir_ops
						       : &wasi_host_file_ops,
	    .handle = handle,
	};
	int fd = fdt_install(&f);

	if (fd < 0)
		wasi_host_close(&f);
	return fd;
}
