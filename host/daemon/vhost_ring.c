/*
 * Split virtqueues, device side; see vhost_ring.h.
 *
 * Memory order: we read avail->idx, then (acquire fence) the ring
 * entries and descriptors it covers; we write used elements, then
 * (release fence) used->idx, and the caller signals the call eventfd
 * after that.  The guest's side is guest/drivers/virtio/ring.c.
 */
#include "vhost_ring.h"

#include <errno.h>
#include <string.h>

#define VRING_DESC_F_NEXT	   1u
#define VRING_DESC_F_WRITE	   2u
#define VRING_DESC_F_INDIRECT	   4u
#define VRING_AVAIL_F_NO_INTERRUPT 1u
#define VRING_USED_F_NO_NOTIFY	   1u

static uint16_t ld16(volatile const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, (const void *)p, sizeof(v));
	return v;
}

static int broken(struct vhost_ring *r, const char *why)
{
	r->broken = true;
	r->why = why;
	return -EIO;
}

int vhost_ring_map(struct vhost_ring *r, const struct vhost_mem *m)
{
	uint64_t n = r->num;

	r->desc = r->avail = r->used = NULL;
	if (!r->addr_set || n == 0 || n > VHOST_RING_MAX)
		return broken(r, "ring not set up");
	r->desc = vhost_uva(m, r->desc_uva, 16 * n);
	r->avail = vhost_uva(m, r->avail_uva, 6 + 2 * n);
	r->used = vhost_uva(m, r->used_uva, 6 + 8 * n);
	if (!r->desc || !r->avail || !r->used) {
		r->desc = r->avail = r->used = NULL;
		return broken(r, "ring outside guest memory");
	}
	r->broken = false;
	r->why = NULL;
	return 0;
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static void read_desc(const struct vhost_ring *r, uint16_t i, struct desc *d)
{
	/* One copy out of shared memory; the guest may change it after. */
	memcpy(d, (const void *)(r->desc + 16 * (size_t)i), sizeof(*d));
}

static int walk_chain(struct vhost_ring *r, const struct vhost_mem *m,
		      uint16_t head, struct vhost_chain *c)
{
	uint16_t i = head;

	memset(c, 0, sizeof(*c));
	c->head = head;
	for (unsigned n = 0;; n++) {
		struct desc d;
		void *p;

		if (n >= VHOST_CHAIN_MAX || n >= r->num)
			return broken(r, "descriptor chain too long");
		read_desc(r, i, &d);
		if (d.flags & VRING_DESC_F_INDIRECT)
			return broken(r, "indirect descriptor (not offered)");
		p = vhost_gpa(m, d.addr, d.len);
		if (p == NULL)
			return broken(r, "buffer outside guest memory");
		if (d.flags & VRING_DESC_F_WRITE) {
			c->n_in++;
			c->in_len += d.len;
		} else {
			if (c->n_in)
				return broken(r, "readable after writable");
			c->n_out++;
			c->out_len += d.len;
		}
		c->iov[n].iov_base = p;
		c->iov[n].iov_len = d.len;
		if (!(d.flags & VRING_DESC_F_NEXT))
			return 0;
		if (d.next >= r->num)
			return broken(r, "descriptor link out of range");
		i = d.next;
	}
}

int vhost_ring_pop(struct vhost_ring *r, const struct vhost_mem *m,
		   struct vhost_chain *c)
{
	uint16_t avail_idx, head;

	if (r->broken || !r->avail)
		return -EIO;
	avail_idx = ld16(r->avail + 2);
	if (avail_idx == r->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - r->last_avail) > r->num)
		return broken(r, "avail index ran ahead");
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* entries after the index */
	head = ld16(r->avail + 4 + 2 * (size_t)(r->last_avail % r->num));
	if (head >= r->num)
		return broken(r, "avail head out of range");
	if (walk_chain(r, m, head, c) < 0)
		return -EIO;
	r->last_avail++;
	return 1;
}

void vhost_ring_push(struct vhost_ring *r, uint16_t head, uint32_t len)
{
	volatile uint8_t *e;
	uint32_t v[2] = {head, len};

	if (r->broken || !r->used)
		return;
	e = r->used + 4 + 8 * (size_t)(r->used_idx % r->num);
	memcpy((void *)e, v, sizeof(v));
	__atomic_thread_fence(__ATOMIC_RELEASE); /* element before index */
	r->used_idx++;
	memcpy((void *)(r->used + 2), &r->used_idx, sizeof(r->used_idx));
}

bool vhost_ring_want_call(const struct vhost_ring *r)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* used idx before flags */
	return r->avail && !(ld16(r->avail) & VRING_AVAIL_F_NO_INTERRUPT);
}

void vhost_ring_want_kicks(struct vhost_ring *r, bool want)
{
	uint16_t f = want ? 0 : VRING_USED_F_NO_NOTIFY;

	if (r->broken || !r->used)
		return;
	memcpy((void *)r->used, &f, sizeof(f));
	/* The flag before the caller's next look at avail->idx: the driver
	 * fences the other way (idx, then flag), so either it sees the
	 * cleared flag and kicks or we see its new buffers. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

size_t vhost_chain_read(const struct vhost_chain *c, size_t off, void *buf,
			size_t len)
{
	uint8_t *out = buf;
	size_t done = 0;

	for (unsigned i = 0; i < c->n_out && done < len; i++) {
		size_t l = c->iov[i].iov_len, n;

		if (off >= l) {
			off -= l;
			continue;
		}
		n = l - off < len - done ? l - off : len - done;
		memcpy(out + done, (uint8_t *)c->iov[i].iov_base + off, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t vhost_chain_write(const struct vhost_chain *c, size_t off,
			 const void *buf, size_t len)
{
	const uint8_t *in = buf;
	size_t done = 0;

	for (unsigned i = c->n_out; i < c->n_out + c->n_in && done < len; i++) {
		size_t l = c->iov[i].iov_len, n;

		if (off >= l) {
			off -= l;
			continue;
		}
		n = l - off < len - done ? l - off : len - done;
		memcpy((uint8_t *)c->iov[i].iov_base + off, in + done, n);
		done += n;
		off = 0;
	}
	return done;
}
