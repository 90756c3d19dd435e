/*
 * Guest memory as the vhost-user backend sees it: the regions of
 * SET_MEM_TABLE, each mmap()ed from the fd QEMU sent, and the two
 * translations the backend needs: guest physical addresses (descriptor
 * buffers) and QEMU virtual addresses (SET_VRING_ADDR's ring areas).
 *
 * A translation succeeds only when the whole range [addr, addr + len)
 * lies inside one mapped region; anything else (overflow, a range that
 * straddles two regions, a hole) is NULL.  The guest controls every
 * address and length that reaches these functions.
 */
#ifndef MH_VHOST_MEM_H
#define MH_VHOST_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "vhost_msg.h"

struct vhost_region {
	struct vhost_region_desc d;
	uint8_t *host;	/* d.gpa maps here */
	void *map;	/* what mmap returned (NULL: host is not ours) */
	size_t map_len; /* d.size + d.mmap_offset */
};

struct vhost_mem {
	struct vhost_region r[VHOST_USER_MAX_REGIONS];
	unsigned n;
};

/* Map every region of the table from fds[i] (which stay the caller's).
 * On failure nothing stays mapped and it returns a negative errno. */
int vhost_mem_map(struct vhost_mem *m, const struct vhost_msg *msg,
		  const int *fds);
void vhost_mem_unmap(struct vhost_mem *m);

/* Host pointer for [gpa, gpa + len) or NULL. */
void *vhost_gpa(const struct vhost_mem *m, uint64_t gpa, uint64_t len);
/* Host pointer for QEMU's [uva, uva + len) or NULL. */
void *vhost_uva(const struct vhost_mem *m, uint64_t uva, uint64_t len);

#endif
