/*
 * fd.c - the fd table: which WASI fds are open, what backs each one, and
 * the rights it carries.  It owns slots, not objects: closing calls the
 * kind's close op, which releases the object (a host handle, a socket).
 */
#include <errno.h>

#include "wasi.h"

static struct wasi_fd fd_table[WASI_FD_MAX];

void fdt_init(void)
{
	memset(fd_table, 0, sizeof(fd_table));
}

static struct wasi_fd *fd_slot(uint32_t fd)
{
	if (fd >= WASI_FD_MAX || fd_table[fd].kind == WASI_FD_FREE)
		return NULL;
	return &fd_table[fd];
}

struct wasi_fd *fdt_get(uint32_t fd, uint64_t rights, int *err)
{
	struct wasi_fd *f = fd_slot(fd);

	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if ((f->rights_base & rights) != rights) {
		*err = -MEWZ_ENOTCAPABLE;
		return NULL;
	}
	*err = 0;
	return f;
}

/* Release the object behind a slot and free the slot. */
static int fd_release(struct wasi_fd *f)
{
	int rc = 0;

	if (f->ops && f->ops->close)
		rc = f->ops->close(f);
	memset(f, 0, sizeof(*f));
	return rc;
}

int fdt_install_at(uint32_t fd, const struct wasi_fd *tmpl)
{
	if (fd >= WASI_FD_MAX || tmpl->kind == WASI_FD_FREE)
		return -EBADF;
	if (fd_table[fd].kind != WASI_FD_FREE)
		fd_release(&fd_table[fd]);
	fd_table[fd] = *tmpl;
	return (int)fd;
}

int fdt_install(const struct wasi_fd *tmpl)
{
	uint32_t fd;

	for (fd = 0; fd < WASI_FD_MAX; fd++)
		if (fd_table[fd].kind == WASI_FD_FREE)
			return fdt_install_at(fd, tmpl);
	return -EMFILE;
}

int fdt_close(uint32_t fd)
{
	struct wasi_fd *f = fd_slot(fd);

	if (!f)
		return -EBADF;
	return fd_release(f);
}

/*
 * Both fds must be open (as in wasmtime): `to` is closed and `from` moves
 * there.  Renumbering an fd onto itself succeeds and changes nothing.
 */
int fdt_renumber(uint32_t from, uint32_t to)
{
	struct wasi_fd *src = fd_slot(from);
	struct wasi_fd *dst = fd_slot(to);

	if (!src || !dst)
		return -EBADF;
	if (from == to)
		return 0;
	fd_release(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
	return 0;
}
