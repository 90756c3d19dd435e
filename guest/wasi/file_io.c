/*
 * file_io.c - fd_read/fd_write (and the p- variants) on host files, split
 * into requests of at most hostcall_io_max() bytes.  Reads scatter each
 * reply into the iovecs; writes gather the iovecs into one request (in
 * the hostcall scratch buffer, which the encoder copies into the frame).  As
 * POSIX allows, a short reply or write ends the call with what was moved.
 */
#include <errno.h>

#include "hostcall.h"
#include "wasi.h"

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

/* A window of pipelined PREADs: what each asked and what came back. */
struct pread_window {
	const struct wasi_iov *iov;
	size_t n;
	size_t at[HOSTCALL_BATCH_MAX]; /* byte of the iovec list it fills */
	uint32_t want[HOSTCALL_BATCH_MAX];
	long got[HOSTCALL_BATCH_MAX]; /* bytes, or a negative errno */
	int overlong;		      /* a reply above its max_len */
};

static void pread_reply(unsigned i, int rc, const struct proto_msg *resp,
			void *ctx)
{
	struct pread_window *w = ctx;

	if (rc < 0) {
		w->got[i] = rc;
		return;
	}
	/* Never trust the host to respect max_len. */
	if (resp->str[0].len > w->want[i]) {
		w->overlong = 1;
		return;
	}
	iov_copy(w->iov, w->n, w->at[i], (uint8_t *)resp->str[0].p,
		 resp->str[0].len, 1);
	w->got[i] = resp->str[0].len;
}

/*
 * fd_pread: up to HOSTCALL_BATCH_MAX frames in flight at once (they may
 * be answered in any order).  The result is the run of bytes up to the
 * first short or failed piece, as if the pieces had gone one by one;
 * bytes a later piece put past that point are not counted.
 */
static long host_pread(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		       uint64_t off)
{
	size_t total = wasi_iov_total(iov, n), done = 0;
	uint32_t io_max = hostcall_io_max();

	while (done < total) {
		struct proto_msg reqs[HOSTCALL_BATCH_MAX];
		struct pread_window w = {.iov = iov, .n = n};
		size_t at = done;
		unsigned k = 0, i;
		int rc;

		for (; k < HOSTCALL_BATCH_MAX && at < total; k++) {
			w.want[k] = total - at < io_max ? (uint32_t)(total - at)
							: io_max;
			w.at[k] = at;
			w.got[k] = -EIO; /* until its reply comes */
			reqs[k] = (struct proto_msg){
			    .nval = 3,
			    .val = {fd->handle, off + at, w.want[k]}};
			at += w.want[k];
		}
		rc = hostcall_batch(PROTO_OP_PREAD, reqs, k, pread_reply, &w);
		if (w.overlong)
			hostcall_break();
		if (rc < 0 || w.overlong)
			return done ? (long)done : (rc < 0 ? rc : -EIO);
		for (i = 0; i < k; i++) {
			if (w.got[i] < 0)
				return done ? (long)done : w.got[i];
			done += (size_t)w.got[i];
			if ((uint32_t)w.got[i] < w.want[i])
				return (long)done;
		}
	}
	return (long)done;
}

/* fd_read: at the handle's offset, so one request at a time (the host
 * promises no order between outstanding requests on one handle). */
long wasi_host_readv(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		     int positional, uint64_t off)
{
	size_t total = wasi_iov_total(iov, n), done = 0;

	if (positional)
		return host_pread(fd, iov, n, off);
	while (done < total) {
		uint32_t want = total - done < hostcall_io_max()
				    ? (uint32_t)(total - done)
				    : hostcall_io_max();
		struct proto_msg req = {.nval = 2, .val = {fd->handle, want}};
		struct proto_msg resp;
		int rc = hostcall_call(PROTO_OP_READ, &req, &resp);

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

/*
 * Bytes [at, at + len) of the iovec list as one buffer: the program's own
 * when one iovec holds them all (the usual single-buffer write; the
 * encoder copies it into the frame anyway), else gathered into scratch.
 */
static const uint8_t *iov_span(const struct wasi_iov *iov, size_t n,
			       size_t at, size_t len, uint8_t *scratch)
{
	size_t off = at;

	for (size_t i = 0; i < n; i++) {
		if (off < iov[i].len) {
			if (len <= iov[i].len - off)
				return (const uint8_t *)iov[i].base + off;
			break;
		}
		off -= iov[i].len;
	}
	iov_copy(iov, n, at, scratch, len, 0);
	return scratch;
}

long wasi_host_writev(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		      int positional, uint64_t off)
{
	size_t total = wasi_iov_total(iov, n), done = 0;
	uint8_t *g = hostcall_scratch();

	if (g == NULL) /* no HELLO yet: what hostcall_call would say */
		return -EIO;
	/* A zero-length write still reaches the host (it checks rights). */
	do {
		uint32_t len = total - done < hostcall_io_max()
				   ? (uint32_t)(total - done)
				   : hostcall_io_max();
		struct proto_msg req, resp;
		struct proto_str data = {.p = iov_span(iov, n, done, len, g),
					 .len = len};
		int rc;

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
