/*
 * file_io.c - fd_read/fd_write (and the p- variants) on host files, split
 * into requests of at most hostcall_io_max() bytes.  Reads scatter each
 * reply into the iovecs; writes gather the iovecs into one request.  As
 * POSIX allows, a short reply or write ends the call with what was moved.
 */
#include <errno.h>

#include "hostcall.h"
#include "wasi.h"

/* Where gathered writes are assembled; reads scatter from the reply. */
static uint8_t gather_buf[HOSTCALL_FRAME];

static size_t iov_total(const struct wasi_iov *iov, size_t n)
{
	size_t t = 0, i;

	for (i = 0; i < n; i++)
		t += iov[i].len;
	return t;
}

/* Copy len bytes starting at byte `at` of the iovec list, in or out. */
static void iov_copy(const struct wasi_iov *iov, size_t n, size_t at,
		     uint8_t *bytes, size_t len, int into_iov)
{
	size_t i;

	for (i = 0; i < n && len; i++) {
		size_t chunk;

		if (at >= iov[i].len) {
			at -= iov[i].len;
			continue;
		}
		chunk = iov[i].len - at < len ? iov[i].len - at : len;
		if (into_iov)
			memcpy((uint8_t *)iov[i].base + at, bytes, chunk);
		else
			memcpy(bytes, (uint8_t *)iov[i].base + at, chunk);
		bytes += chunk;
		len -= chunk;
		at = 0;
	}
}

long wasi_host_readv(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		     int positional, uint64_t off)
{
	size_t total = iov_total(iov, n), done = 0;

	while (done < total) {
		uint32_t want = total - done < hostcall_io_max()
				    ? (uint32_t)(total - done)
				    : hostcall_io_max();
		struct proto_msg req, resp;
		int rc;

		if (positional)
			req = (struct proto_msg){
			    .nval = 3, .val = {fd->handle, off + done, want}};
		else
			req = (struct proto_msg){.nval = 2,
						 .val = {fd->handle, want}};
		rc = hostcall_call(positional ? PROTO_OP_PREAD : PROTO_OP_READ,
				   &req, &resp);
		if (rc < 0)
			return done ? (long)done : rc;
		/* Never trust the host to respect max_len. */
		if (resp.str[0].len > want) {
			hostcall_break();
			return done ? (long)done : -EIO;
		}
		iov_copy(iov, n, done, (uint8_t *)resp.str[0].p,
			 resp.str[0].len, 1);
		done += resp.str[0].len;
		if (resp.str[0].len < want)
			break;
	}
	return (long)done;
}

long wasi_host_writev(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		      int positional, uint64_t off)
{
	size_t total = iov_total(iov, n), done = 0;

	/* A zero-length write still reaches the host (it checks rights). */
	do {
		uint32_t len = total - done < hostcall_io_max()
				   ? (uint32_t)(total - done)
				   : hostcall_io_max();
		struct proto_msg req, resp;
		struct proto_str data = {.p = gather_buf, .len = len};
		int rc;

		iov_copy(iov, n, done, gather_buf, len, 0);
		if (positional)
			req =
			    (struct proto_msg){.nval = 2,
					       .val = {fd->handle, off + done},
					       .nstr = 1,
					       .str = {data}};
		else
			req = (struct proto_msg){.nval = 1,
						 .val = {fd->handle},
						 .nstr = 1,
						 .str = {data}};
		rc = hostcall_call(
		    positional ? PROTO_OP_PWRITE : PROTO_OP_WRITE, &req, &resp);
		if (rc < 0)
			return done ? (long)done : rc;
		if (resp.val[0] > len) {
			hostcall_break();
			return done ? (long)done : -EIO;
		}
		done += resp.val[0];
		if (resp.val[0] < len)
			break;
	} while (done < total);
	return (long)done;
}
