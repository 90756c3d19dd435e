/* rng.h - the virtio-rng driver (rng.c). */
#ifndef MEWZ_VIRTIO_RNG_H
#define MEWZ_VIRTIO_RNG_H

#include <stddef.h>

#include "ring.h"

struct virtio_rng {
	struct virtq q;
	int ready;
};

/* Negotiate and set up the request queue: 0, -EINVAL or -EIO. */
int virtio_rng_init(struct virtio_rng *r, struct virtio_dev *dev);
/* Fill buf with len bytes from the device: 0 or -EIO. */
int virtio_rng_read(struct virtio_rng *r, void *buf, size_t len);

#endif /* MEWZ_VIRTIO_RNG_H */
