/*
 * rng.c - virtio-rng (virtio 1.x, 5.4): one request queue; each request
 * is one device-writable buffer the device fills with entropy.  Polled:
 * requests are rare (seeding) and short, so an interrupt would cost more
 * than it saves.
 */
#include <string.h>

#include "ring.h"
#include "rng.h"

#define RNG_QUEUE_SIZE 8
/* Polls of the used ring before giving up on one request. */
#define RNG_POLL_LIMIT 10000000u

static uint8_t rng_ring[4096] __attribute__((aligned(4096)));
static uint8_t rng_buf[64] __attribute__((aligned(64)));

int virtio_rng_init(struct virtio_rng *r, struct virtio_dev *dev)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (dev->device_id != VIRTIO_ID_RNG ||
	    virtq_mem_size(RNG_QUEUE_SIZE) > sizeof(rng_ring))
		return -EINVAL;
	if (!virtio_negotiate(dev, 0))
		return -EIO;
	rc = virtq_init(&r->q, dev, 0, RNG_QUEUE_SIZE, rng_ring);
	if (rc < 0)
		return virtio_fail(dev, rc);
	virtio_driver_ok(dev);
	r->ready = 1;
	return 0;
}

int virtio_rng_read(struct virtio_rng *r, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (!r->ready)
		return -EIO;
	while (len > 0) {
		struct virtq_buf b = {(uint64_t)(uintptr_t)rng_buf,
				      sizeof(rng_buf)};
		uint32_t got = 0, polls = 0;
		int rc = virtq_add(&r->q, &b, 0, 1, rng_buf);

		if (rc < 0)
			return rc;
		virtq_kick(&r->q);
		while (!virtq_get_used(&r->q, &got)) {
			if (r->q.broken || ++polls > RNG_POLL_LIMIT) {
				/* The request stays posted, so rng_buf may
				 * still be written: stop using the device
				 * altogether. */
				r->ready = 0;
				return -EIO;
			}
			__asm__ volatile("pause");
		}
		if (got == 0)
			continue;
		if (got > len)
			got = (uint32_t)len;
		memcpy(out, rng_buf, got);
		memset(rng_buf, 0, sizeof(rng_buf));
		out += got;
		len -= got;
	}
	return 0;
}
