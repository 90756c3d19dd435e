/*
 * ring.c - split virtqueues; see ring.h for the contract.
 *
 * Memory order: the device reads descriptors and the avail ring after it
 * sees the new avail index, and we read a used element only after we see
 * the used index cover it.  x86 keeps stores in order and loads in order,
 * so compiler barriers would do; full fences are used anyway so the file
 * stays right on weaker CPUs, and they are off every hot path that
 * matters here (one per kick, one per used element).
 */
#include <string.h>

#include "ring.h"

#define VRING_DESC_F_NEXT  1
#define VRING_DESC_F_WRITE 2

static inline void fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Layout: descriptors, then the avail ring, then (4-aligned) the used ring. */
static size_t avail_off(uint16_t size)
{
	return (size_t)16 * size;
}
static size_t used_off(uint16_t size)
{
	return align_up(avail_off(size) + 6 + 2 * (size_t)size, 4);
}

size_t virtq_mem_size(uint16_t size)
{
	return align_up(used_off(size) + 6 + 8 * (size_t)size, 4096);
}

int virtq_init(struct virtq *q, struct virtio_dev *dev, uint16_t index,
	       uint16_t size, void *mem)
{
	uint8_t *base = mem;
	uint16_t i;

	if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1)) ||
	    size > virtio_queue_max(dev, index))
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	memset(mem, 0, virtq_mem_size(size));
	q->dev = dev;
	q->index = index;
	q->size = size;
	q->desc = (struct vring_desc *)base;
	q->avail = (volatile uint16_t *)(base + avail_off(size));
	q->used = base + used_off(size);
	for (i = 0; i < size; i++)
		q->next[i] = (uint16_t)(i + 1);
	q->num_free = size;
	return virtio_queue_enable(
	    dev, index, size, (uint64_t)(uintptr_t)q->desc,
	    (uint64_t)(uintptr_t)q->avail, (uint64_t)(uintptr_t)q->used);
}

int virtq_add(struct virtq *q, const struct virtq_buf *bufs, size_t out_n,
	      size_t in_n, void *cookie)
{
	size_t n = out_n + in_n, i;
	uint16_t head = q->free_head, idx = head;
	uint32_t in_bytes = 0;

	if (q->broken)
		return -EIO;
	if (n == 0 || n > q->size)
		return -EINVAL;
	if (n > q->num_free)
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		struct vring_desc *d = &q->desc[idx];

		d->addr = bufs[i].addr;
		d->len = bufs[i].len;
		d->flags = (uint16_t)((i >= out_n ? VRING_DESC_F_WRITE : 0) |
				      (i + 1 < n ? VRING_DESC_F_NEXT : 0));
		d->next = q->next[idx];
		if (i >= out_n)
			in_bytes += bufs[i].len;
		idx = q->next[idx];
	}
	q->free_head = idx;
	q->num_free = (uint16_t)(q->num_free - n);
	q->cookie[head] = cookie;
	q->chain_len[head] = (uint16_t)n;
	q->chain_in[head] = in_bytes;
	/* avail->ring[avail_idx % size] = head; then publish the index. */
	q->avail[2 + (q->avail_idx & (q->size - 1))] = head;
	fence();
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	return 0;
}

void virtq_kick(struct virtq *q)
{
	if (q->broken)
		return;
	fence();
	virtio_queue_notify(q->dev, q->index);
}

void virtq_kick_if_needed(struct virtq *q)
{
	if (q->broken)
		return;
	fence();
	if (*(volatile const uint16_t *)q->used & VRING_USED_F_NO_NOTIFY)
		return;
	virtio_queue_notify(q->dev, q->index);
}

/* Return a chain to the free list, walking our shadow links, not the device's.
 */
static void free_chain(struct virtq *q, uint16_t head)
{
	uint16_t idx = head, n = q->chain_len[head];

	for (uint16_t i = 1; i < n; i++)
		idx = q->next[idx];
	q->next[idx] = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + n);
	q->cookie[head] = NULL;
	q->chain_len[head] = 0;
}

int virtq_has_used(const struct virtq *q)
{
	return !q->broken &&
	       *(volatile const uint16_t *)(q->used + 2) != q->last_used;
}

void *virtq_get_used(struct virtq *q, uint32_t *len)
{
	volatile uint16_t *used_idx = (volatile uint16_t *)(q->used + 2);
	volatile uint32_t *elem;
	uint32_t id, written;
	void *cookie;

	if (q->broken || *used_idx == q->last_used)
		return NULL;
	/* The device may only move used_idx forward over what we posted. */
	if ((uint16_t)(*used_idx - q->last_used) >
	    (uint16_t)(q->avail_idx - q->last_used)) {
		q->broken = 1;
		return NULL;
	}
	fence();
	elem =
	    (volatile uint32_t *)(q->used + 4 +
				  8 * (size_t)(q->last_used & (q->size - 1)));
	id = elem[0];
	written = elem[1];
	/* An id we never posted, or more bytes than we offered: broken. */
	if (id >= q->size || q->chain_len[id] == 0 ||
	    written > q->chain_in[id]) {
		q->broken = 1;
		return NULL;
	}
	cookie = q->cookie[id];
	free_chain(q, (uint16_t)id);
	q->last_used++;
	*len = written;
	return cookie;
}
