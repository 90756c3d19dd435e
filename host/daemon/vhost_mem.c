/*
 * Guest memory regions; see vhost_mem.h.
 */
#include "vhost_mem.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

void vhost_mem_unmap(struct vhost_mem *m)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->r[i].map)
			munmap(m->r[i].map, m->r[i].map_len);
	memset(m, 0, sizeof(*m));
}

int vhost_mem_map(struct vhost_mem *m, const struct vhost_msg *msg,
		  const int *fds)
{
	memset(m, 0, sizeof(*m));
	for (unsigned i = 0; i < msg->u.mem.n; i++) {
		const struct vhost_region_desc *d = &msg->u.mem.r[i];
		struct vhost_region *r = &m->r[i];
		uint64_t len = d->size + d->mmap_offset; /* parse: no wrap */
		void *p;

		if (len > SIZE_MAX) {
			vhost_mem_unmap(m);
			return -EINVAL;
		}
		p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fds[i], 0);
		if (p == MAP_FAILED) {
			int err = -errno;

			vhost_mem_unmap(m);
			return err;
		}
		r->d = *d;
		r->map = p;
		r->map_len = (size_t)len;
		r->host = (uint8_t *)p + d->mmap_offset;
		m->n = i + 1;
	}
	return 0;
}

/* [a, a + len) inside [base, base + size)?  Written so nothing overflows. */
static int inside(uint64_t a, uint64_t len, uint64_t base, uint64_t size)
{
	return a >= base && a - base <= size && len <= size - (a - base);
}

void *vhost_gpa(const struct vhost_mem *m, uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct vhost_region *r = &m->r[i];

		if (inside(gpa, len, r->d.gpa, r->d.size))
			return r->host + (gpa - r->d.gpa);
	}
	return NULL;
}

void *vhost_uva(const struct vhost_mem *m, uint64_t uva, uint64_t len)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct vhost_region *r = &m->r[i];

		if (inside(uva, len, r->d.uva, r->d.size))
			return r->host + (uva - r->d.uva);
	}
	return NULL;
}
