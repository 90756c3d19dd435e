/*
 * file_dir.c - host-backed directories (preopens and opened directories):
 * fd_readdir, and the fd ops a directory supports.  Path calls relative
 * to a directory are in path.c.
 */
#include <errno.h>

#include "hostcall.h"
#include "wasi.h"

/*
 * The bytes of the whole entries at the start of [p, p + len), and the
 * cookie after the last of them (*next stays put if there is none).
 */
static size_t whole_entries(const uint8_t *p, size_t len, uint64_t *next)
{
	size_t off = 0;

	while (len - off >= PROTO_DIRENT_LEN) {
		uint32_t namlen = proto_ld32(p + off + 16);

		if (namlen > len - off - PROTO_DIRENT_LEN)
			break;
		*next = proto_ld64(p + off);
		off += PROTO_DIRENT_LEN + namlen;
	}
	return off;
}

/*
 * fd_readdir: one READDIR if the buffer fits a frame.  A larger buffer
 * takes several; each but the last keeps only its whole entries and the
 * next asks from the cookie after them, so the program sees exactly the
 * bytes one big reply would have held (last entry possibly cut short).
 */
static long dir_readdir(struct wasi_fd *fd, void *buf, size_t len,
			uint64_t cookie)
{
	uint8_t *out = buf;
	size_t used = 0;

	while (used < len) {
		size_t room = len - used;
		uint32_t want = room < hostcall_io_max() ? (uint32_t)room
							 : hostcall_io_max();
		struct proto_msg req = {.nval = 3,
					.val = {fd->handle, cookie, want}};
		struct proto_msg resp;
		size_t keep;
		int more;
		int rc = hostcall_call(PROTO_OP_READDIR, &req, &resp);

		if (rc < 0)
			return used ? (long)used : rc;
		if (resp.str[0].len > want) {
			hostcall_break();
			return used ? (long)used : -EIO;
		}
		/* The host filled the request and the buffer has room for
		 * more: keep whole entries only and ask on after them. */
		more = resp.str[0].len == want && want < room;
		keep = resp.str[0].len;
		if (more) {
			keep = whole_entries(resp.str[0].p, keep, &cookie);
			if (keep == 0) { /* one name longer than a frame */
				keep = resp.str[0].len;
				more = 0;
			}
		}
		memcpy(out + used, resp.str[0].p, keep);
		used += keep;
		if (!more)
			break;
	}
	return (long)used;
}

/* No .readiness: these never block on the host's side (always ready). */
const struct wasi_fd_ops wasi_host_dir_ops = {
    .filestat_get = wasi_host_filestat_get,
    .set_flags = wasi_host_set_flags,
    .sync = wasi_host_sync,
    .close = wasi_host_close,
    .advise = wasi_host_advise,
    .set_times = wasi_host_set_times,
    .readdir = dir_readdir,
    .set_rights = wasi_host_set_rights,
};
