/*
 * Confinement: resolving guest paths below a share root.
 *
 * Every lookup goes through openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
 * relative to a handle's fd, so "..", absolute paths and symlinks (also
 * ones swapped in concurrently) cannot leave the tree below that fd; the
 * kernel checks each step.  Operations on a path's last component (unlink,
 * rename, ...) resolve the parent that way and then use the *at() call on
 * a single name that contains no slash, so the kernel never walks a guest
 * path outside openat2.  All functions return a WASI errno.
 */
#ifndef MH_RESOLVE_H
#define MH_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto.h"

/* A guest path as a NUL-terminated copy: empty -> NOENT, embedded NUL ->
 * INVAL, longer than PROTO_PATH_MAX -> NAMETOOLONG. */
uint32_t rs_copy_path(const struct proto_str *s, char **out);

/* openat2 below dirfd.  flags as for openat; escapes give NOTCAPABLE. */
uint32_t rs_open(int dirfd, const char *path, int flags, mode_t mode, int *fd);

struct rs_parent {
	int pfd;	/* O_PATH directory holding the last component */
	char last[256]; /* the last component, no slash */
	bool slash;	/* the path ended in '/' */
	bool dot;	/* last is "." or ".." */
};

/* Splits path and resolves its parent below dirfd. */
uint32_t rs_parent(int dirfd, const char *path, struct rs_parent *p);
void rs_parent_close(struct rs_parent *p);

/* NOTCAPABLE unless target, read relative to the directory pfd (which lies
 * below the share whose real root path is root), stays below that root
 * when walked by name: no absolute targets, no ".." above the root. */
uint32_t rs_check_symlink_target(const char *root, int pfd, const char *target);

#endif
