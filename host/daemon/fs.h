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

/* Runs c->op; sets c->status and the results.  Pool thread. */
void fs_exec(struct fs_call *c);

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
