/*
 * OPEN: path_open below a directory handle.
 *
 * Only regular files and directories are ever opened.  To keep a guest
 * from triggering a device's or FIFO's open side effects, an existing
 * path is first looked up with O_PATH (which opens nothing) and its type
 * checked; only then is it opened for real, and the inode is compared so
 * that a swap in between is caught.  A path created by O_CREAT is opened
 * in one step: the guest cannot create devices or FIFOs, and O_NONBLOCK
 * keeps a FIFO a host process slips in meanwhile from blocking until
 * fstat rejects it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errno_map.h"
#include "fd_sync.h"
#include "fs.h"
#include "handles.h"
#include "resolve.h"
#include "server.h"

/* Rights that need a writable host fd. */
#define FS_WRITE_RIGHTS                                                        \
	(PROTO_R_FD_WRITE | PROTO_R_FD_ALLOCATE | PROTO_R_FD_FILESTAT_SET_SIZE)

static int fs_open_flags(uint64_t lookup, uint64_t oflags, uint64_t rb,
			 uint64_t fdflags)
{
	bool wr = (rb & FS_WRITE_RIGHTS) != 0;
	bool rd = (rb & (PROTO_R_FD_READ | PROTO_R_FD_READDIR)) != 0;
	int flags = O_NOCTTY | O_NONBLOCK;

	/* A directory asked for with rights that need writing is EISDIR
	 * (fs_open_lookup), with or without O_DIRECTORY, as open(2) does
	 * and other WASI hosts answer. */
	if (oflags & PROTO_O_DIRECTORY)
		flags |= O_DIRECTORY;
	if (wr)
		flags |= rd ? O_RDWR : O_WRONLY;
	else
		flags |= O_RDONLY;
	if (!(lookup & PROTO_LOOKUP_SYMLINK_FOLLOW))
		flags |= O_NOFOLLOW;
	if (oflags & PROTO_O_CREAT)
		flags |= O_CREAT | ((oflags & PROTO_O_EXCL) ? O_EXCL : 0);
	if (oflags & PROTO_O_TRUNC)
		flags |= O_TRUNC;
	if (fdflags & PROTO_FD_APPEND)
		flags |= O_APPEND;
	if (fdflags & PROTO_FD_DSYNC)
		flags |= O_DSYNC;
	if (fdflags & (PROTO_FD_SYNC | PROTO_FD_RSYNC))
		flags |= O_SYNC;
	return flags;
}

/* What a guest may open: regular files and directories. */
static bool fs_openable(mode_t mode)
{
	return S_ISREG(mode) || S_ISDIR(mode);
}

/* Step one for existing paths: type check through an O_PATH fd.  For a
 * directory, opens it (through "." of that fd, so no second walk). */
static uint32_t fs_open_lookup(int dirfd, const char *path, int flags,
			       struct stat *st, int *dirfd_out)
{
	int pfd;
	uint32_t err =
	    rs_open(dirfd, path, O_PATH | (flags & O_NOFOLLOW), 0, &pfd);

	*dirfd_out = -1;
	if (err)
		return err;
	if (fstat(pfd, st) != 0) {
		err = mh_wasi_errno(errno);
		goto out;
	}
	if (S_ISLNK(st->st_mode)) { /* only reached under O_NOFOLLOW */
		err = PROTO_WASI_ELOOP;
		goto out;
	}
	if (!fs_openable(st->st_mode)) {
		err = PROTO_WASI_ENOTSUP;
		goto out;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(st->st_mode)) {
		err = PROTO_WASI_ENOTDIR;
		goto out;
	}
	if (S_ISDIR(st->st_mode)) {
		if ((flags & O_ACCMODE) != O_RDONLY ||
		    (flags & (O_TRUNC | O_CREAT))) {
			err = PROTO_WASI_EISDIR;
			goto out;
		}
		*dirfd_out =
		    openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (*dirfd_out < 0)
			err = mh_wasi_errno(errno);
		else
			mh_fd_opened();
	}
out:
	close(pfd);
	return err;
}

static uint32_t fs_open_checks(struct fs_call *c)
{
	const struct mh_handle *dir = c->h[0];
	uint64_t dir_rb = c->rb[0], dir_ri = c->ri[0];
	uint64_t oflags = c->in->val[2], rb = c->in->val[3];
	uint64_t ri = c->in->val[4], fdflags = c->in->val[5];

	if ((oflags & ~(uint64_t)PROTO_O_KNOWN) ||
	    (fdflags & ~(uint64_t)PROTO_FD_KNOWN))
		return PROTO_WASI_EINVAL;
	/* path_open cannot make directories (older Linux would create a
	 * regular file here); other WASI hosts answer INVAL too. */
	if ((oflags & PROTO_O_DIRECTORY) && (oflags & PROTO_O_CREAT))
		return PROTO_WASI_EINVAL;
	if ((oflags & PROTO_O_CREAT) && !(dir_rb & PROTO_R_PATH_CREATE_FILE))
		return PROTO_WASI_ENOTCAPABLE;
	if ((oflags & PROTO_O_TRUNC) &&
	    !(dir_rb & PROTO_R_PATH_FILESTAT_SET_SIZE))
		return PROTO_WASI_ENOTCAPABLE;
	if ((rb & ~dir_ri) || (ri & ~dir_ri))
		return PROTO_WASI_ENOTCAPABLE;
	if (dir->share->ro && ((rb & FS_WRITE_RIGHTS) ||
			       (oflags & (PROTO_O_CREAT | PROTO_O_TRUNC))))
		return PROTO_WASI_EROFS;
	return 0;
}

void fs_open(struct fs_call *c)
{
	const struct proto_msg *m = c->in;
	uint64_t oflags = m->val[2], rb = m->val[3], fdflags = m->val[5];
	int flags = fs_open_flags(m->val[1], oflags, rb, fdflags);
	struct stat want, st;
	bool have_want = false;
	char *path = NULL;
	int fd = -1;

	c->status = fs_open_checks(c);
	if (c->status)
		return;
	c->status = rs_copy_path(&m->str[0], &path);
	if (c->status)
		return;
	/* Unless the path must be new (EXCL), look before opening, so an
	 * existing FIFO or device is refused without being opened. */
	if (!(flags & O_EXCL)) {
		c->status =
		    fs_open_lookup(c->h[0]->fd, path, flags, &want, &fd);
		if (c->status == PROTO_WASI_ENOENT && (flags & O_CREAT))
			c->status = 0; /* to be created below */
		else if (c->status)
			goto out;
		else
			have_want = fd < 0; /* a regular file, not opened */
	}
	if (fd < 0) {
		c->status = rs_open(c->h[0]->fd, path, flags, 0666, &fd);
		if (c->status)
			goto out;
	}
	if (fstat(fd, &st) != 0) {
		c->status = mh_wasi_errno(errno);
		goto out;
	}
	if (!fs_openable(st.st_mode)) {
		c->status = PROTO_WASI_ENOTSUP;
		goto out;
	}
	if (have_want &&
	    (st.st_dev != want.st_dev || st.st_ino != want.st_ino)) {
		c->status = PROTO_WASI_EAGAIN; /* swapped while we looked */
		goto out;
	}
	if (!(fdflags & PROTO_FD_NONBLOCK))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	c->new_type = fs_filetype(st.st_mode);
	c->new_rb = rb & (S_ISDIR(st.st_mode) ? PROTO_R_DIR : PROTO_R_FILE);
	c->new_ri = m->val[4];
	c->new_local = fs_local(fd);
	c->new_fd = fd;
	fd = -1;
	c->out.val[0] = 0; /* the handle: filled in by the session */
	c->out.val[1] = c->new_type;
	c->out.val[2] = c->new_rb;
	c->out.val[3] = c->new_ri;
	c->out.nval = 4;
out:
	if (fd >= 0)
		close(fd);
	free(path);
}
