/*
 * READDIR: directory entries from a cookie, in fd_readdir's own layout.
 *
 * A cookie is the number of entries already passed, so d_next of entry i
 * is i + 1 and reading from a cookie restarts the listing and skips that
 * many.  That costs a rescan per call but needs no state in the handle,
 * and it is stable for as long as the directory does not change, which is
 * all POSIX promises for telldir/seekdir too.  Each call reads through a
 * fresh fd so that concurrent READDIRs on one handle do not share a
 * position.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errno_map.h"
#include "fd_sync.h"
#include "fs.h"
#include "handles.h"

static uint8_t fs_dtype(DIR *d, const struct dirent *e)
{
	struct stat st;

	switch (e->d_type) {
	case DT_REG:
		return PROTO_FT_REGULAR_FILE;
	case DT_DIR:
		return PROTO_FT_DIRECTORY;
	case DT_LNK:
		return PROTO_FT_SYMLINK;
	case DT_BLK:
		return PROTO_FT_BLOCK_DEVICE;
	case DT_CHR:
		return PROTO_FT_CHAR_DEVICE;
	case DT_SOCK:
		return PROTO_FT_SOCKET_STREAM;
	case DT_UNKNOWN:
		/* Some file systems leave the type to a stat. */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			return PROTO_FT_UNKNOWN;
		return fs_filetype(st.st_mode);
	default:
		return PROTO_FT_UNKNOWN;
	}
}

/* Appends up to room bytes of one entry; the last entry may be cut short,
 * exactly as fd_readdir does, which tells the caller the buffer was full. */
static uint32_t fs_put_dirent(uint8_t *out, uint32_t room, uint64_t next,
			      DIR *d, const struct dirent *e)
{
	uint8_t fixed[PROTO_DIRENT_LEN];
	uint32_t nlen = (uint32_t)strlen(e->d_name);
	uint32_t n;

	memset(fixed, 0, sizeof(fixed));
	proto_st64(fixed, next);
	proto_st64(fixed + 8, (uint64_t)e->d_ino);
	proto_st32(fixed + 16, nlen);
	fixed[20] = fs_dtype(d, e);
	n = room < PROTO_DIRENT_LEN ? room : PROTO_DIRENT_LEN;
	memcpy(out, fixed, n);
	if (n == room)
		return n;
	room -= n;
	memcpy(out + n, e->d_name, room < nlen ? room : nlen);
	return n + (room < nlen ? room : nlen);
}

void fs_readdir(struct fs_call *c)
{
	uint64_t cookie = c->in->val[1];
	uint32_t max =
	    c->in->val[2] < c->cap ? (uint32_t)c->in->val[2] : c->cap;
	int fd = openat(c->h[0]->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint32_t used = 0;
	uint64_t idx = 0;

	if (fd < 0) {
		c->status = mh_wasi_errno(errno);
		return;
	}
	mh_fd_opened();
	DIR *d = fdopendir(fd);

	if (d == NULL) {
		c->status = mh_wasi_errno(errno);
		close(fd);
		return;
	}
	while (used < max) {
		errno = 0;
		struct dirent *e = readdir(d);

		if (e == NULL) {
			if (errno)
				c->status = mh_wasi_errno(errno);
			break;
		}
		if (idx++ < cookie)
			continue;
		used += fs_put_dirent(c->data + used, max - used, idx, d, e);
	}
	closedir(d);
	c->out.str[0].p = c->data;
	c->out.str[0].len = used;
	c->out.nstr = 1;
}
