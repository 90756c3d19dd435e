/*
 * test_ring.c - split virtqueues (guest/drivers/virtio/ring.c) against a
 * fake device that plays by the rules, then one that does not: every bad
 * id, length or index must mark the queue broken, never be trusted.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../../guest/drivers/virtio/ring.h"
#include "check.h"

void test_ring(void);

static unsigned notified;
static uint64_t q_desc, q_driver, q_device;

static uint16_t fake_queue_max(struct virtio_dev *d, uint16_t idx)
{
	(void)d;
	return idx == 0 ? 64 : 0;
}

static int fake_queue_enable(struct virtio_dev *d, uint16_t idx, uint16_t size,
			     uint64_t desc, uint64_t driver, uint64_t device)
{
	(void)d, (void)idx, (void)size;
	q_desc = desc, q_driver = driver, q_device = device;
	return 0;
}

static void fake_notify(struct virtio_dev *d, uint16_t idx)
{
	(void)d, (void)idx;
	notified++;
}

static const struct virtio_config_ops fake_ops = {
    .queue_max = fake_queue_max,
    .queue_enable = fake_queue_enable,
    .queue_notify = fake_notify,
};

/* The device side: take the next avail head, report it used with len. */
static uint16_t dev_avail_seen, dev_used_idx;

static uint16_t dev_take(struct virtq *q)
{
	volatile uint16_t *avail = (volatile uint16_t *)(uintptr_t)q_driver;

	return avail[2 + (dev_avail_seen++ & (q->size - 1))];
}

static void dev_use(struct virtq *q, uint32_t id, uint32_t len)
{
	volatile uint8_t *used = (volatile uint8_t *)(uintptr_t)q_device;
	volatile uint32_t *e =
	    (volatile uint32_t *)(used + 4 +
				  8 * (dev_used_idx & (q->size - 1)));

	e[0] = id;
	e[1] = len;
	dev_used_idx++;
	*(volatile uint16_t *)(used + 2) = dev_used_idx;
}

static struct virtq *fresh(void **mem)
{
	static struct virtio_dev dev = {.device_id = VIRTIO_ID_RNG,
					.ops = &fake_ops};
	static struct virtq q;

	dev_avail_seen = dev_used_idx = 0;
	*mem = aligned_alloc(4096, virtq_mem_size(8));
	CHECK_EQ(virtq_init(&q, &dev, 0, 8, *mem), 0);
	return &q;
}

static void good_device(void)
{
	void *mem;
	struct virtq *q = fresh(&mem);
	struct virtq_buf bufs[3] = {{0x1000, 16}, {0x2000, 100}, {0x3000, 28}};
	uint32_t len = 0;
	int cookie_a, cookie_b;

	CHECK_EQ(q_desc, (uint64_t)(uintptr_t)mem);
	CHECK_EQ(virtq_get_used(q, &len) == NULL, 1);
	CHECK_EQ(virtq_add(q, bufs, 1, 2, &cookie_a), 0);
	CHECK_EQ(q->num_free, 5);
	CHECK_EQ(q->desc[0].flags, 1);	   /* readable, NEXT */
	CHECK_EQ(q->desc[1].flags, 2 | 1); /* WRITE, NEXT */
	CHECK_EQ(q->desc[2].flags, 2);	   /* WRITE, end of chain */
	CHECK_EQ(virtq_add(q, bufs + 1, 0, 1, &cookie_b), 0);
	notified = 0;
	virtq_kick(q);
	CHECK_EQ(notified, 1);
	CHECK_EQ(dev_take(q), 0);
	CHECK_EQ(dev_take(q), 3);
	dev_use(q, 3, 50);
	dev_use(q, 0, 128);
	CHECK_EQ(virtq_get_used(q, &len) == &cookie_b, 1);
	CHECK_EQ(len, 50);
	CHECK_EQ(virtq_get_used(q, &len) == &cookie_a, 1);
	CHECK_EQ(len, 128);
	CHECK_EQ(q->num_free, 8);
	/* Full ring, then too long a chain. */
	for (int i = 0; i < 8; i++)
		CHECK_EQ(virtq_add(q, bufs, 1, 0, NULL), 0);
	CHECK_EQ(virtq_add(q, bufs, 1, 0, NULL), -ENOSPC);
	CHECK_EQ(q->broken, 0);
	free(mem);
}

/* Each kind of misbehaviour breaks the queue; then everything is -EIO. */
static void bad_device(void)
{
	struct virtq_buf b = {0x1000, 64};
	uint32_t len;
	void *mem;
	struct virtq *q;

	q = fresh(&mem);
	virtq_add(q, &b, 0, 1, &b);
	dev_use(q, 5, 1); /* an id never posted */
	CHECK_EQ(virtq_get_used(q, &len) == NULL && q->broken, 1);
	CHECK_EQ(virtq_add(q, &b, 0, 1, &b), -EIO);
	free(mem);

	q = fresh(&mem);
	virtq_add(q, &b, 0, 1, &b);
	dev_use(q, 0, 65); /* more than offered */
	CHECK_EQ(virtq_get_used(q, &len) == NULL && q->broken, 1);
	free(mem);

	q = fresh(&mem);
	virtq_add(q, &b, 0, 1, &b);
	dev_use(q, 0, 1);
	dev_use(q, 0, 1); /* used index beyond what was posted */
	CHECK_EQ(virtq_get_used(q, &len) == NULL && q->broken, 1);
	free(mem);

	q = fresh(&mem);
	virtq_add(q, &b, 0, 1, &b);
	virtq_add(q, &b, 0, 1, &len);
	dev_use(q, 0, 1);
	dev_use(q, 0, 1); /* the same chain reported twice */
	CHECK_EQ(virtq_get_used(q, &len) == &b, 1);
	CHECK_EQ(virtq_get_used(q, &len) == NULL && q->broken, 1);
	free(mem);

	/* Sizes: not a power of two, or beyond the device's maximum. */
	{
		static struct virtio_dev dev = {.device_id = VIRTIO_ID_RNG,
						.ops = &fake_ops};
		static struct virtq q2;
		void *m = aligned_alloc(4096, virtq_mem_size(128));

		CHECK_EQ(virtq_init(&q2, &dev, 0, 6, m), -EINVAL);
		CHECK_EQ(virtq_init(&q2, &dev, 0, 128, m), -EINVAL);
		CHECK_EQ(virtq_init(&q2, &dev, 1, 8, m), -EINVAL);
		free(m);
	}
}

void test_ring(void)
{
	good_device();
	bad_device();
}
