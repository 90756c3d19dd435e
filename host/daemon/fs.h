/*
 * File operations, run on libuv's thread pool.
 *
 * The session decodes a request, takes references on the handles it names
 * and checks their rights, then hands an fs_call to fs_exec() on a pool
 * thread.  fs_exec only makes syscalls and fills the result; it touches no
 * session or loop state, so many calls can run at once.
 */
#ifndef MH_FS_H
#define MH_FS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "proto.h"

struct mh_handle;
struct mh_share;

struct fs_call {
	uint16_t op;
	const struct proto_msg *in;
	struct mh_handle *h[2]; /* handles the op names, referenced */
	/* The handles' rights, copied on the loop thread (which alone may
	 * change them) so workers never read them concurrently. */
	uint64_t rb[2], ri[2];
	/* For ops whose reply is one string: where to put it (cap bytes,
	 * owned by the caller). */
	uint8_t *data;
	uint32_t cap;
	/* Results. */
	uint32_t status; /* WASI errno */
	struct proto_msg out;
	int new_fd; /* OPEN: the fd for the new handle, or -1 */
	bool new_local;
	uint8_t new_type;
	uint64_t new_rb, new_ri;
};

/* Which handles an op names (index into in->val, or -1), the rights each
 * needs, and whether it writes (refused on read-only shares). */
struct fs_opinfo {
	bool fs; /* a file operation at all */
	int8_t hval[2];
	uint64_t rights[2];
	bool writes;
	bool path; /* the handles must be directories */
};

/* NULL for ops that are not file operations. */
const struct fs_opinfo *fs_opinfo(uint16_t op);

/* Runs c->op; sets c->status and the results.  Pool thread, or the loop
 * thread when fs_nonblocking(c). */
void fs_exec(struct fs_call *c);

/*
 * Does c only read or change in-kernel state of its open file, never
 * waiting for a disk or a network (or FUSE) server?  Then it runs on the
 * loop thread: a pool job costs four thread hand-offs (tens of us), the
 * call itself one us.  TELL, SEEK from the start or the current offset
 * and FDSTAT_SET_FLAGS, on any file system: no file system is asked.
 * FILESTAT_GET and SEEK from the end ask the file system for attributes,
 * which NFS and FUSE may fetch over the network: only on handles whose
 * file system answers from memory (fs_local).  Loop thread.
 */
bool fs_nonblocking(const struct fs_call *c);

/*
 * Is fd on a local disk or memory file system (ext2/3/4, xfs, btrfs,
 * f2fs, tmpfs, ramfs, overlayfs) whose fstat never waits on I/O?  The
 * inode of an open file is in memory there.  overlayfs counts as local:
 * it asks its layers, which are local directories wherever we have seen
 * it (containers).  Anything else (NFS, FUSE, CIFS, ...) is not.
 * fstatfs itself may block on those, so call it off the loop.
 */
bool fs_local(int fd);

/* Per-op workers, one file per kind of object. */
void fs_open(struct fs_call *c);
void fs_fd_op(struct fs_call *c);
void fs_readdir(struct fs_call *c);
void fs_path_op(struct fs_call *c);

/* Rights a preopened share root gets. */
#define FS_PREOPEN_RB PROTO_R_DIR
#define FS_PREOPEN_RI (PROTO_R_DIR | PROTO_R_FILE)

/* The WASI filetype of a st_mode. */
uint8_t fs_filetype(unsigned mode);

struct stat;
/* Appends the eight FILESTAT numbers of st to out. */
void fs_put_filestat(struct proto_msg *out, const struct stat *st);
/* WASI atim/mtim/fstflags -> utimensat's times; -1 if contradictory. */
int fs_times(uint64_t atim, uint64_t mtim, uint64_t fst, struct timespec t[2]);
/* The WASI fdflags of an fd (fcntl F_GETFL). */
uint16_t fs_fdflags(int fd);

#endif
