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
#include "server.h"

/* The WASI filetype of a readdir d_type: for an entry that a stat no
 * longer finds (fs_entry_id). */
static uint8_t fs_dtype(unsigned char type)
{
	switch (type) {
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
	default:
		return PROTO_FT_UNKNOWN;
	}
}

/* Is dfd the root of share s, whose ".." lies outside it?  When unsure,
 * yes: then nothing outside is looked at. */
static bool fs_share_root(int dfd, const struct mh_share *s)
{
	struct stat a, b;

	if (fstat(dfd, &a) != 0 || fstat(s->root_fd, &b) != 0)
		return true;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * An entry's inode and type as FILESTAT reports them for its name without
 * following a symlink (fs_put_filestat: st_ino, fs_filetype), since WASI
 * suites check d_ino == path_filestat_get's ino.  readdir's d_ino is not
 * that everywhere: overlayfs over layers on different file systems lists
 * a merged directory (and ".", "..") under another number than its stat.
 * readdir's values stay for an entry removed meanwhile, and for ".." at a
 * share's root: the host directory above the share, which no guest path
 * names and which the daemon does not look at.  Below the root ".." is in
 * the share, and the guest can stat it by name ("sub/..").
 */
static void fs_entry_id(int dfd, const struct dirent *e, bool root,
			uint64_t *ino, uint8_t *type)
{
	struct stat st;

	*ino = (uint64_t)e->d_ino;
	*type = fs_dtype(e->d_type);
	if (root && strcmp(e->d_name, "..") == 0)
		return;
	if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	*ino = (uint64_t)st.st_ino;
	*type = fs_filetype(st.st_mode);
}

/* Appends up to room bytes of one entry; the last entry may be cut short,
 * exactly as fd_readdir does, which tells the caller the buffer was full. */
static uint32_t fs_put_dirent(uint8_t *out, uint32_t room, uint64_t next,
			      uint64_t ino, uint8_t type, const char *name)
{
	uint8_t fixed[PROTO_DIRENT_LEN];
	uint32_t nlen = (uint32_t)strlen(name);
	uint32_t n;

	memset(fixed, 0, sizeof(fixed));
	proto_st64(fixed, next);
	proto_st64(fixed + 8, ino);
	proto_st32(fixed + 16, nlen);
	fixed[20] = type;
	n = room < PROTO_DIRENT_LEN ? room : PROTO_DIRENT_LEN;
	memcpy(out, fixed, n);
	if (n == room)
		return n;
	room -= n;
	memcpy(out + n, name, room < nlen ? room : nlen);
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
	bool root = fs_share_root(fd, c->h[0]->share);

	while (used < max) {
		errno = 0;
		struct dirent *e = readdir(d);
		uint64_t ino;
		uint8_t type;

		if (e == NULL) {
			if (errno)
				c->status = mh_wasi_errno(errno);
			break;
		}
		if (idx++ < cookie)
			continue;
		fs_entry_id(fd, e, root, &ino, &type);
		used += fs_put_dirent(c->data + used, max - used, idx, ino,
				      type, e->d_name);
	}
	closedir(d);
	c->out.str[0].p = c->data;
	c->out.str[0].len = used;
	c->out.nstr = 1;
}
