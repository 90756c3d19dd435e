/* The file-operation table and the dispatcher fs_exec(). */
#include "fs.h"

#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "handles.h"

#define R(x) PROTO_R_##x

/*
 * hval: which numbers of the request are handles; rights: what each handle
 * needs (missing -> NOTCAPABLE); writes: refused with ROFS on a read-only
 * share; path: the handles are directories that paths are resolved in.
 */
static const struct fs_opinfo fs_ops[PROTO_OP_LIMIT] = {
    [PROTO_OP_OPEN] = {true, {0, -1}, {R(PATH_OPEN), 0}, false, true},
    [PROTO_OP_READ] = {true, {0, -1}, {R(FD_READ), 0}, false, false},
    [PROTO_OP_PREAD] =
	{true, {0, -1}, {R(FD_READ) | R(FD_SEEK), 0}, false, false},
    [PROTO_OP_WRITE] = {true, {0, -1}, {R(FD_WRITE), 0}, true, false},
    [PROTO_OP_PWRITE] =
	{true, {0, -1}, {R(FD_WRITE) | R(FD_SEEK), 0}, true, false},
    /* SEEK's right depends on its arguments: checked in fs_fd.c. */
    [PROTO_OP_SEEK] = {true, {0, -1}, {0, 0}, false, false},
    [PROTO_OP_TELL] = {true, {0, -1}, {R(FD_TELL), 0}, false, false},
    [PROTO_OP_SYNC] = {true, {0, -1}, {R(FD_SYNC), 0}, false, false},
    [PROTO_OP_DATASYNC] = {true, {0, -1}, {R(FD_DATASYNC), 0}, false, false},
    [PROTO_OP_FDSTAT_GET] = {true, {0, -1}, {0, 0}, false, false},
    [PROTO_OP_FDSTAT_SET_FLAGS] =
	{true, {0, -1}, {R(FD_FDSTAT_SET_FLAGS), 0}, false, false},
    [PROTO_OP_FILESTAT_GET] =
	{true, {0, -1}, {R(FD_FILESTAT_GET), 0}, false, false},
    [PROTO_OP_FILESTAT_SET_SIZE] =
	{true, {0, -1}, {R(FD_FILESTAT_SET_SIZE), 0}, true, false},
    [PROTO_OP_FILESTAT_SET_TIMES] =
	{true, {0, -1}, {R(FD_FILESTAT_SET_TIMES), 0}, true, false},
    [PROTO_OP_ADVISE] = {true, {0, -1}, {R(FD_ADVISE), 0}, false, false},
    [PROTO_OP_ALLOCATE] = {true, {0, -1}, {R(FD_ALLOCATE), 0}, true, false},
    [PROTO_OP_READDIR] = {true, {0, -1}, {R(FD_READDIR), 0}, false, false},
    [PROTO_OP_PATH_FILESTAT_GET] =
	{true, {0, -1}, {R(PATH_FILESTAT_GET), 0}, false, true},
    [PROTO_OP_PATH_FILESTAT_SET_TIMES] =
	{true, {0, -1}, {R(PATH_FILESTAT_SET_TIMES), 0}, true, true},
    [PROTO_OP_PATH_CREATE_DIRECTORY] =
	{true, {0, -1}, {R(PATH_CREATE_DIRECTORY), 0}, true, true},
    [PROTO_OP_PATH_REMOVE_DIRECTORY] =
	{true, {0, -1}, {R(PATH_REMOVE_DIRECTORY), 0}, true, true},
    [PROTO_OP_PATH_UNLINK_FILE] =
	{true, {0, -1}, {R(PATH_UNLINK_FILE), 0}, true, true},
    [PROTO_OP_PATH_RENAME] = {true,
			      {0, 1},
			      {R(PATH_RENAME_SOURCE), R(PATH_RENAME_TARGET)},
			      true,
			      true},
    [PROTO_OP_PATH_LINK] =
	{true, {0, 2}, {R(PATH_LINK_SOURCE), R(PATH_LINK_TARGET)}, true, true},
    [PROTO_OP_PATH_SYMLINK] = {true, {0, -1}, {R(PATH_SYMLINK), 0}, true, true},
    [PROTO_OP_PATH_READLINK] =
	{true, {0, -1}, {R(PATH_READLINK), 0}, false, true},
};

#undef R

const struct fs_opinfo *fs_opinfo(uint16_t op)
{
	if (op >= PROTO_OP_LIMIT || !fs_ops[op].fs)
		return NULL;
	return &fs_ops[op];
}

uint8_t fs_filetype(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return PROTO_FT_REGULAR_FILE;
	case S_IFDIR:
		return PROTO_FT_DIRECTORY;
	case S_IFLNK:
		return PROTO_FT_SYMLINK;
	case S_IFBLK:
		return PROTO_FT_BLOCK_DEVICE;
	case S_IFCHR:
		return PROTO_FT_CHAR_DEVICE;
	case S_IFSOCK:
		return PROTO_FT_SOCKET_STREAM;
	default:
		return PROTO_FT_UNKNOWN;
	}
}

bool fs_local(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) != 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case EXT4_SUPER_MAGIC: /* also ext2, ext3 */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case F2FS_SUPER_MAGIC:
	case TMPFS_MAGIC:
	case RAMFS_MAGIC:
	case OVERLAYFS_SUPER_MAGIC:
		return true;
	default:
		return false;
	}
}

bool fs_nonblocking(const struct fs_call *c)
{
	switch (c->op) {
	case PROTO_OP_TELL:
	case PROTO_OP_FDSTAT_SET_FLAGS:
		return true;
	case PROTO_OP_SEEK:
		return c->in->val[2] != PROTO_WHENCE_END || c->h[0]->local;
	case PROTO_OP_FILESTAT_GET:
		return c->h[0]->local;
	default:
		return false;
	}
}

void fs_exec(struct fs_call *c)
{
	c->status = 0;
	c->new_fd = -1;
	switch (c->op) {
	case PROTO_OP_OPEN:
		fs_open(c);
		break;
	case PROTO_OP_READDIR:
		fs_readdir(c);
		break;
	case PROTO_OP_PATH_FILESTAT_GET:
	case PROTO_OP_PATH_FILESTAT_SET_TIMES:
	case PROTO_OP_PATH_CREATE_DIRECTORY:
	case PROTO_OP_PATH_REMOVE_DIRECTORY:
	case PROTO_OP_PATH_UNLINK_FILE:
	case PROTO_OP_PATH_RENAME:
	case PROTO_OP_PATH_LINK:
	case PROTO_OP_PATH_SYMLINK:
	case PROTO_OP_PATH_READLINK:
		fs_path_op(c);
		break;
	default:
		fs_fd_op(c);
		break;
	}
}
