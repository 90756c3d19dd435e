/*
 * A session's handle table: u32 handles the guest maps to its WASI fds.
 *
 * Everything here runs on the loop thread.  A handle is reference-counted
 * so that a CLOSE racing with a READ in the thread pool only drops the
 * table's reference; the fd is closed when the last request lets go.
 */
#ifndef MH_HANDLES_H
#define MH_HANDLES_H

#include <stdbool.h>
#include <stdint.h>

struct mh_share;

struct mh_handle {
	int fd;
	uint32_t refs;
	uint8_t filetype; /* PROTO_FT_* */
	uint64_t rb, ri;  /* rights: base and inheriting */
	const struct mh_share *share;
	bool local; /* on a file system that never blocks fstat (fs_local) */
};

struct mh_htab {
	struct mh_handle **slot;
	uint32_t cap;  /* slots allocated */
	uint32_t used; /* live handles */
	uint32_t max;  /* limit on live handles */
};

void htab_init(struct mh_htab *t, uint32_t max);
/* Frees every handle still in the table (drops the table's references). */
void htab_destroy(struct mh_htab *t);
/* A new handle owning fd, with one reference held by the table; local
 * as fs_local(fd) said.  Returns a WASI errno (MFILE when the table is
 * full, NOMEM). */
uint32_t htab_insert(struct mh_htab *t, int fd, uint8_t filetype, uint64_t rb,
		     uint64_t ri, const struct mh_share *share, bool local,
		     uint32_t *id);
/* The handle with one more reference, or NULL if id is not live. */
struct mh_handle *htab_get(struct mh_htab *t, uint64_t id);
/* Removes id; the caller inherits the table's reference.  NULL if none. */
struct mh_handle *htab_take(struct mh_htab *t, uint64_t id);
/* Drops one reference; the last one closes the fd and frees h. */
void handle_put(struct mh_handle *h);

#endif
