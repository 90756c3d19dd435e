/*
 * path.c - the path_* imports.  Paths resolve only below a directory fd,
 * and directories are host-backed: each call checks the fd, its rights
 * and the guest memory here, then becomes one request to mewz-host, which
 * resolves the path confined to its share (PROTOCOL.md section 5) and
 * checks the rights again on its own handle.
 */
#include <errno.h>

#include "hostcall.h"
#include "wasi.h"

/* A checked path argument: the directory's handle and the bytes. */
struct path_arg {
	uint32_t handle;
	struct proto_str path;
};

/* Look up dirfd for a path call needing `right`: 0 or a negative errno. */
static int path_arg(int32_t dirfd, int32_t path, int32_t len, uint64_t right,
		    struct path_arg *out)
{
	int err;
	struct wasi_fd *f = fdt_get((uint32_t)dirfd, 0, &err);
	const uint8_t *p;

	if (!f)
		return err;
	if (f->filetype != WASI_FILETYPE_DIRECTORY)
		return -ENOTDIR;
	if ((f->rights_base & right) != right)
		return -MEWZ_ENOTCAPABLE;
	p = wasi_mem((uint32_t)path, (uint32_t)len);
	if (!p)
		return -EFAULT;
	if ((uint32_t)len > PROTO_PATH_MAX)
		return -ENAMETOOLONG;
	if (f->kind != WASI_FD_HOST_DIR)
		return -ENOTSUP; /* no other kind of directory exists */
	out->handle = f->handle;
	out->path = (struct proto_str){.p = p, .len = (uint32_t)len};
	return 0;
}

/* The common shape: directory, path, nothing else, empty reply. */
static int32_t path_simple(uint16_t op, int32_t fd, int32_t path, int32_t len,
			   uint64_t right)
{
	struct path_arg a;
	int rc = path_arg(fd, path, len, right, &a);
	struct proto_msg req = {.nval = 1, .nstr = 1};

	if (rc < 0)
		return wasi_errno(rc);
	req.val[0] = a.handle;
	req.str[0] = a.path;
	return wasi_errno(hostcall_call(op, &req, NULL));
}

int32_t wasi_path_open(int32_t dirfd, int32_t dirflags, int32_t path,
		       int32_t len, int32_t oflags, int64_t base,
		       int64_t inheriting, int32_t fdflags, int32_t fdp)
    WASI_IMPORT(path_open);
int32_t wasi_path_open(int32_t dirfd, int32_t dirflags, int32_t path,
		       int32_t len, int32_t oflags, int64_t base,
		       int64_t inheriting, int32_t fdflags, int32_t fdp)
{
	struct path_arg a;
	struct proto_msg req, resp;
	int rc = path_arg(dirfd, path, len, WASI_RIGHT_PATH_OPEN, &a);
	int fd;

	if (rc < 0)
		return wasi_errno(rc);
	if (!wasi_mem((uint32_t)fdp, 4))
		return WASI_EFAULT;
	req = (struct proto_msg){
	    .nval = 6,
	    .val = {a.handle, (uint32_t)dirflags, (uint16_t)oflags,
		    (uint64_t)base, (uint64_t)inheriting, (uint16_t)fdflags},
	    .nstr = 1,
	    .str = {a.path}};
	/* Bits that do not fit the wire's fields are unknown: INVAL. */
	if ((uint32_t)oflags > 0xffff || (uint32_t)fdflags > 0xffff)
		return WASI_EINVAL;
	rc = hostcall_call(PROTO_OP_OPEN, &req, &resp);
	if (rc < 0)
		return wasi_errno(rc);
	fd = wasi_host_fd_install((uint32_t)resp.val[0], (uint8_t)resp.val[1],
				  resp.val[2], resp.val[3], (uint16_t)fdflags);
	if (fd < 0)
		return wasi_errno(fd);
	return wasi_errno(wasi_store_u32((uint32_t)fdp, (uint32_t)fd));
}

int32_t wasi_path_create_directory(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_create_directory);
int32_t wasi_path_create_directory(int32_t fd, int32_t path, int32_t len)
{
	return path_simple(PROTO_OP_PATH_CREATE_DIRECTORY, fd, path, len,
			   WASI_RIGHT_PATH_CREATE_DIRECTORY);
}

int32_t wasi_path_remove_directory(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_remove_directory);
int32_t wasi_path_remove_directory(int32_t fd, int32_t path, int32_t len)
{
	return path_simple(PROTO_OP_PATH_REMOVE_DIRECTORY, fd, path, len,
			   WASI_RIGHT_PATH_REMOVE_DIRECTORY);
}

int32_t wasi_path_unlink_file(int32_t fd, int32_t path, int32_t len)
    WASI_IMPORT(path_unlink_file);
int32_t wasi_path_unlink_file(int32_t fd, int32_t path, int32_t len)
{
	return path_simple(PROTO_OP_PATH_UNLINK_FILE, fd, path, len,
			   WASI_RIGHT_PATH_UNLINK_FILE);
}

int32_t wasi_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
			       int32_t len, int32_t statp)
    WASI_IMPORT(path_filestat_get);
int32_t wasi_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
			       int32_t len, int32_t statp)
{
	struct path_arg a;
	struct proto_msg req, resp;
	struct wasi_filestat st;
	int rc = path_arg(fd, path, len, WASI_RIGHT_PATH_FILESTAT_GET, &a);
	uint8_t *p;

	if (rc < 0)
		return wasi_errno(rc);
	p = wasi_mem((uint32_t)statp, WASI_FILESTAT_SIZE);
	if (!p)
		return WASI_EFAULT;
	req = (struct proto_msg){.nval = 2,
				 .val = {a.handle, (uint32_t)flags},
				 .nstr = 1,
				 .str = {a.path}};
	rc = hostcall_call(PROTO_OP_PATH_FILESTAT_GET, &req, &resp);
	if (rc < 0)
		return wasi_errno(rc);
	wasi_host_filestat(&resp, &st);
	wasi_filestat_store(p, &st);
	return WASI_ESUCCESS;
}

int32_t wasi_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path,
				     int32_t len, int64_t atim, int64_t mtim,
				     int32_t fstflags)
    WASI_IMPORT(path_filestat_set_times);
int32_t wasi_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path,
				     int32_t len, int64_t atim, int64_t mtim,
				     int32_t fstflags)
{
	struct path_arg a;
	struct proto_msg req;
	int rc =
	    path_arg(fd, path, len, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, &a);

	if (rc < 0)
		return wasi_errno(rc);
	if ((uint32_t)fstflags > 0xffff)
		return WASI_EINVAL;
	req = (struct proto_msg){.nval = 5,
				 .val = {a.handle, (uint32_t)flags,
					 (uint64_t)atim, (uint64_t)mtim,
					 (uint16_t)fstflags},
				 .nstr = 1,
				 .str = {a.path}};
	return wasi_errno(
	    hostcall_call(PROTO_OP_PATH_FILESTAT_SET_TIMES, &req, NULL));
}

int32_t wasi_path_readlink(int32_t fd, int32_t path, int32_t len, int32_t buf,
			   int32_t buf_len, int32_t usedp)
    WASI_IMPORT(path_readlink);
int32_t wasi_path_readlink(int32_t fd, int32_t path, int32_t len, int32_t buf,
			   int32_t buf_len, int32_t usedp)
{
	struct path_arg a;
	struct proto_msg req, resp;
	int rc = path_arg(fd, path, len, WASI_RIGHT_PATH_READLINK, &a);
	uint32_t want;
	uint8_t *out;

	if (rc < 0)
		return wasi_errno(rc);
	out = wasi_mem((uint32_t)buf, (uint32_t)buf_len);
	if (!out || !wasi_mem((uint32_t)usedp, 4))
		return WASI_EFAULT;
	/* A link target is a path: it always fits one frame. */
	want = (uint32_t)buf_len < hostcall_io_max() ? (uint32_t)buf_len
						     : hostcall_io_max();
	req = (struct proto_msg){
	    .nval = 2, .val = {a.handle, want}, .nstr = 1, .str = {a.path}};
	rc = hostcall_call(PROTO_OP_PATH_READLINK, &req, &resp);
	if (rc < 0)
		return wasi_errno(rc);
	if (resp.str[0].len > want) {
		hostcall_break();
		return WASI_EIO;
	}
	memcpy(out, resp.str[0].p, resp.str[0].len);
	return wasi_errno(wasi_store_u32((uint32_t)usedp, resp.str[0].len));
}

int32_t wasi_path_rename(int32_t fd, int32_t old, int32_t old_len,
			 int32_t new_fd, int32_t new, int32_t new_len)
    WASI_IMPORT(path_rename);
int32_t wasi_path_rename(int32_t fd, int32_t old, int32_t old_len,
			 int32_t new_fd, int32_t new, int32_t new_len)
{
	struct path_arg a, b;
	struct proto_msg req;
	int rc = path_arg(fd, old, old_len, WASI_RIGHT_PATH_RENAME_SOURCE, &a);

	if (rc == 0)
		rc = path_arg(new_fd, new, new_len,
			      WASI_RIGHT_PATH_RENAME_TARGET, &b);
	if (rc < 0)
		return wasi_errno(rc);
	req = (struct proto_msg){.nval = 2,
				 .val = {a.handle, b.handle},
				 .nstr = 2,
				 .str = {a.path, b.path}};
	return wasi_errno(hostcall_call(PROTO_OP_PATH_RENAME, &req, NULL));
}

int32_t wasi_path_link(int32_t fd, int32_t flags, int32_t old, int32_t old_len,
		       int32_t new_fd, int32_t new, int32_t new_len)
    WASI_IMPORT(path_link);
int32_t wasi_path_link(int32_t fd, int32_t flags, int32_t old, int32_t old_len,
		       int32_t new_fd, int32_t new, int32_t new_len)
{
	struct path_arg a, b;
	struct proto_msg req;
	int rc = path_arg(fd, old, old_len, WASI_RIGHT_PATH_LINK_SOURCE, &a);

	if (rc == 0)
		rc = path_arg(new_fd, new, new_len, WASI_RIGHT_PATH_LINK_TARGET,
			      &b);
	if (rc < 0)
		return wasi_errno(rc);
	req = (struct proto_msg){.nval = 3,
				 .val = {a.handle, (uint32_t)flags, b.handle},
				 .nstr = 2,
				 .str = {a.path, b.path}};
	return wasi_errno(hostcall_call(PROTO_OP_PATH_LINK, &req, NULL));
}

int32_t wasi_path_symlink(int32_t old, int32_t old_len, int32_t fd, int32_t new,
			  int32_t new_len) WASI_IMPORT(path_symlink);
int32_t wasi_path_symlink(int32_t old, int32_t old_len, int32_t fd, int32_t new,
			  int32_t new_len)
{
	struct path_arg b;
	struct proto_msg req;
	const uint8_t *target;
	int rc = path_arg(fd, new, new_len, WASI_RIGHT_PATH_SYMLINK, &b);

	if (rc < 0)
		return wasi_errno(rc);
	target = wasi_mem((uint32_t)old, (uint32_t)old_len);
	if (!target)
		return WASI_EFAULT;
	if ((uint32_t)old_len > PROTO_PATH_MAX)
		return WASI_ENAMETOOLONG;
	req = (struct proto_msg){
	    .nval = 1,
	    .val = {b.handle},
	    .nstr = 2,
	    .str = {{.p = target, .len = (uint32_t)old_len}, b.path}};
	return wasi_errno(hostcall_call(PROTO_OP_PATH_SYMLINK, &req, NULL));
}
