/*
 * vhost-user messages acted on for one vsock device (QEMU's
 * vhost-user-vsock-device / -pci is the front-end).
 *
 * What we offer: VERSION_1 and PROTOCOL_FEATURES; protocol features MQ
 * (GET_QUEUE_NUM answers 2) and CONFIG (GET_CONFIG gives guest_cid, which
 * QEMU needs to realise the device).  No REPLY_ACK, so only the GET_*
 * requests are answered.  No indirect descriptors, no event index, no
 * dirty logging (no migration).
 *
 * Rings: with PROTOCOL_FEATURES a ring starts disabled and runs from
 * SET_VRING_ENABLE 1; without, from SET_VRING_KICK.  The guest may kick
 * before either arrives, so each start rescans the ring.  GET_VRING_BASE
 * stops a ring (QEMU stops or resets the device): every vsock connection
 * of this device is dropped, as a guest reset would drop them.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "proto.h"
#include "server.h"
#include "vhost_dev.h"

#define VHOST_OFFER (VHOST_F_VERSION_1 | VHOST_USER_F_PROTOCOL_FEATURES)
#define VHOST_PROTO_OFFER                                                      \
	(VHOST_USER_PROTOCOL_F_MQ | VHOST_USER_PROTOCOL_F_CONFIG)

/* Write a whole reply.  The socket is non-blocking, but replies are
 * tiny and QEMU waits for them, so a short write means QEMU is gone. */
static int reply(struct vhost_dev *d, uint32_t req, const uint8_t *payload,
		 uint32_t size)
{
	uint8_t buf[VHOST_USER_HDR_LEN + VHOST_USER_PAYLOAD_MAX];
	ssize_t n;

	proto_st32(buf, req);
	proto_st32(buf + 4, VHOST_USER_VERSION | VHOST_USER_F_REPLY);
	proto_st32(buf + 8, size);
	memcpy(buf + VHOST_USER_HDR_LEN, payload, size);
	do
		n = write(d->fd, buf, VHOST_USER_HDR_LEN + size);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)(VHOST_USER_HDR_LEN + size) ? 0 : -1;
}

static int reply_u64(struct vhost_dev *d, uint32_t req, uint64_t v)
{
	uint8_t p[8];

	proto_st64(p, v);
	return reply(d, req, p, sizeof(p));
}

static void close_fds(int *fds, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
}

bool vhost_vq_ready(const struct vhost_dev *d, int qi)
{
	const struct vhost_vq *q = &d->vq[qi];

	return !d->dead && q->enabled && q->ring.avail && !q->ring.broken;
}

void vhost_vq_call(struct vhost_dev *d, int qi)
{
	static const uint64_t one = 1;
	struct vhost_vq *q = &d->vq[qi];

	if (q->call_fd >= 0 && vhost_ring_want_call(&q->ring))
		(void)!write(q->call_fd, &one, sizeof(one));
}

/* (Re)translate a ring once it has both an address and guest memory. */
static void map_ring(struct vhost_dev *d, int qi)
{
	struct vhost_ring *r = &d->vq[qi].ring;

	if (!r->addr_set || d->mem.n == 0)
		return;
	if (vhost_ring_map(r, &d->mem) < 0)
		mh_log(d->srv, "vhost %llu: queue %d: %s",
		       (unsigned long long)d->id, qi, r->why);
}

/* A ring may have work waiting from before it started (pitfall: the
 * guest's first kick can precede SET_VRING_ENABLE). */
static void ring_started(struct vhost_dev *d, int qi)
{
	if (!vhost_vq_ready(d, qi))
		return;
	if (qi == VHOST_Q_TX)
		vsock_dev_tx(d);
	vhost_dev_schedule(d);
}

static void ring_stopped(struct vhost_dev *d, int qi)
{
	struct vhost_vq *q = &d->vq[qi];

	q->enabled = false;
	vhost_dev_set_kick(d, qi, -1);
	/* Our shadow pointers may not survive a new memory table. */
	q->ring.avail = q->ring.used = q->ring.desc = NULL;
	vsock_dev_reset(d, false);
}

static int set_mem_table(struct vhost_dev *d, const struct vhost_msg *m,
			 int *fds)
{
	int err;

	vhost_mem_unmap(&d->mem);
	err = vhost_mem_map(&d->mem, m, fds);
	close_fds(fds, m->u.mem.n);
	if (err) {
		mh_log(d->srv, "vhost %llu: cannot map guest memory: %s",
		       (unsigned long long)d->id, strerror(-err));
		for (int qi = 0; qi < VHOST_NQUEUES; qi++)
			d->vq[qi].ring.avail = NULL;
		return 0;
	}
	for (int qi = 0; qi < VHOST_NQUEUES; qi++)
		map_ring(d, qi);
	return 0;
}

static int get_config(struct vhost_dev *d, const struct vhost_msg *m)
{
	uint8_t p[12 + VHOST_USER_CONFIG_MAX], cfg[8];
	uint32_t off = m->u.config.offset, size = m->u.config.size;

	memset(p, 0, sizeof(p));
	proto_st32(p, off);
	proto_st32(p + 4, size);
	proto_st32(p + 8, m->u.config.flags);
	/* virtio_vsock_config: le64 guest_cid, nothing else. */
	proto_st64(cfg, d->guest_cid);
	for (uint32_t i = 0; i < size; i++)
		if (off < sizeof(cfg) && i < sizeof(cfg) - off)
			p[12 + i] = cfg[off + i];
	return reply(d, VHOST_USER_GET_CONFIG, p, 12 + size);
}

/* Requests that name a queue: which one, or -1 if out of range. */
static int queue_of(const struct vhost_msg *m)
{
	uint32_t i;

	switch (m->req) {
	case VHOST_USER_SET_VRING_KICK:
	case VHOST_USER_SET_VRING_CALL:
	case VHOST_USER_SET_VRING_ERR:
		i = (uint32_t)(m->u.u64 & VHOST_USER_VRING_IDX_MASK);
		break;
	case VHOST_USER_SET_VRING_ADDR:
		i = m->u.addr.index;
		break;
	default:
		i = m->u.state.index;
		break;
	}
	return i < VHOST_NQUEUES ? (int)i : -1;
}

static int vring_msg(struct vhost_dev *d, const struct vhost_msg *m, int *fds,
		     unsigned nfds)
{
	int qi = queue_of(m);
	struct vhost_vq *q;
	uint8_t st[8];

	if (qi < 0) {
		close_fds(fds, nfds);
		mh_log(d->srv, "vhost %llu: %s for a queue we do not have",
		       (unsigned long long)d->id, vhost_req_name(m->req));
		if (m->req == VHOST_USER_GET_VRING_BASE) {
			proto_st32(st, m->u.state.index);
			proto_st32(st + 4, 0);
			return reply(d, m->req, st, sizeof(st));
		}
		return 0;
	}
	q = &d->vq[qi];
	switch (m->req) {
	case VHOST_USER_SET_VRING_NUM:
		if (m->u.state.num == 0 || m->u.state.num > VHOST_RING_MAX)
			return -1;
		q->ring.num = m->u.state.num;
		map_ring(d, qi);
		return 0;
	case VHOST_USER_SET_VRING_ADDR:
		q->ring.desc_uva = m->u.addr.desc;
		q->ring.used_uva = m->u.addr.used;
		q->ring.avail_uva = m->u.addr.avail;
		q->ring.addr_set = true;
		map_ring(d, qi);
		return 0;
	case VHOST_USER_SET_VRING_BASE:
		q->ring.last_avail = (uint16_t)m->u.state.num;
		q->ring.used_idx = (uint16_t)m->u.state.num;
		return 0;
	case VHOST_USER_GET_VRING_BASE:
		ring_stopped(d, qi);
		proto_st32(st, (uint32_t)qi);
		proto_st32(st + 4, q->ring.last_avail);
		return reply(d, m->req, st, sizeof(st));
	case VHOST_USER_SET_VRING_KICK:
		vhost_dev_set_kick(d, qi, nfds ? fds[0] : -1);
		if (nfds)
			fds[0] = -1; /* now the watcher's */
		if (!(d->features & VHOST_USER_F_PROTOCOL_FEATURES))
			q->enabled = true;
		ring_started(d, qi);
		return 0;
	case VHOST_USER_SET_VRING_CALL:
		if (q->call_fd >= 0)
			close(q->call_fd);
		q->call_fd = nfds ? fds[0] : -1;
		if (nfds)
			fds[0] = -1;
		return 0;
	case VHOST_USER_SET_VRING_ENABLE:
		q->enabled = m->u.state.num != 0;
		ring_started(d, qi);
		return 0;
	default: /* SET_VRING_ERR: we never report ring errors that way */
		close_fds(fds, nfds);
		return 0;
	}
}

int vhost_user_handle(struct vhost_dev *d, const struct vhost_msg *m, int *fds,
		      unsigned nfds)
{
	if (d->srv->verbose > 1)
		mh_log(d->srv, "vhost %llu: %s", (unsigned long long)d->id,
		       vhost_req_name(m->req));
	switch (m->req) {
	case VHOST_USER_GET_FEATURES:
		return reply_u64(d, m->req, VHOST_OFFER);
	case VHOST_USER_SET_FEATURES:
		d->features = m->u.u64 & VHOST_OFFER;
		return 0;
	case VHOST_USER_GET_PROTOCOL_FEATURES:
		return reply_u64(d, m->req, VHOST_PROTO_OFFER);
	case VHOST_USER_SET_PROTOCOL_FEATURES:
		d->proto_features = m->u.u64 & VHOST_PROTO_OFFER;
		return 0;
	case VHOST_USER_GET_QUEUE_NUM:
		return reply_u64(d, m->req, VHOST_NQUEUES);
	case VHOST_USER_SET_OWNER:
		return 0;
	case VHOST_USER_RESET_OWNER:
		for (int qi = 0; qi < VHOST_NQUEUES; qi++)
			ring_stopped(d, qi);
		return 0;
	case VHOST_USER_SET_MEM_TABLE:
		return set_mem_table(d, m, fds);
	case VHOST_USER_GET_CONFIG:
		return get_config(d, m);
	case VHOST_USER_SET_VRING_NUM:
	case VHOST_USER_SET_VRING_ADDR:
	case VHOST_USER_SET_VRING_BASE:
	case VHOST_USER_GET_VRING_BASE:
	case VHOST_USER_SET_VRING_KICK:
	case VHOST_USER_SET_VRING_CALL:
	case VHOST_USER_SET_VRING_ERR:
	case VHOST_USER_SET_VRING_ENABLE:
		return vring_msg(d, m, fds, nfds);
	default: /* logging, SET_CONFIG: not offered, ignored */
		close_fds(fds, nfds);
		return 0;
	}
}
