/*
 * Decoding vhost-user messages; see vhost_msg.h.  Fields are read
 * little-endian whatever the host (QEMU sends native order, which is
 * little-endian on every machine mewz runs on).
 */
#include "vhost_msg.h"

#include <errno.h>
#include <string.h>

#include "proto.h"
const char *vhost_req_name(uint32_t req)
{
	switch (req) {
#define VHOST_X_NAME(name, code)                                               \
	case code:                                                             \
		return #name;
		VHOST_USER_REQS(VHOST_X_NAME)
#undef VHOST_X_NAME
	}
	return NULL;
}

uint32_t vhost_msg_size(const uint8_t *buf)
{
	return proto_ld32(buf + 8);
}

unsigned vhost_msg_fds_wanted(const struct vhost_msg *m)
{
	switch (m->req) {
	case VHOST_USER_SET_MEM_TABLE:
		return m->u.mem.n;
	case VHOST_USER_SET_VRING_KICK:
	case VHOST_USER_SET_VRING_CALL:
	case VHOST_USER_SET_VRING_ERR:
		return (m->u.u64 & VHOST_USER_VRING_NOFD) ? 0 : 1;
	case VHOST_USER_SET_LOG_BASE:
	case VHOST_USER_SET_LOG_FD:
		return 1;
	default:
		return 0;
	}
}

/* Fixed payload length of req, or -1 if it varies (mem table, config). */
static long fixed_len(uint32_t req)
{
	switch (req) {
	case VHOST_USER_GET_FEATURES:
	case VHOST_USER_SET_OWNER:
	case VHOST_USER_RESET_OWNER:
	case VHOST_USER_GET_PROTOCOL_FEATURES:
	case VHOST_USER_GET_QUEUE_NUM:
		return 0;
	case VHOST_USER_SET_FEATURES:
	case VHOST_USER_SET_PROTOCOL_FEATURES:
	case VHOST_USER_SET_VRING_KICK:
	case VHOST_USER_SET_VRING_CALL:
	case VHOST_USER_SET_VRING_ERR:
	case VHOST_USER_SET_LOG_FD:
		return 8;
	case VHOST_USER_SET_VRING_NUM:
	case VHOST_USER_SET_VRING_BASE:
	case VHOST_USER_GET_VRING_BASE:
	case VHOST_USER_SET_VRING_ENABLE:
		return 8;
	case VHOST_USER_SET_VRING_ADDR:
		return 40;
	case VHOST_USER_SET_LOG_BASE:
		return 16;
	default:
		return -1;
	}
}

static int parse_mem(const uint8_t *p, uint32_t size, struct vhost_msg *m)
{
	uint32_t n;

	if (size < 8)
		return -EPROTO;
	n = proto_ld32(p); /* then 4 bytes of padding */
	if (n == 0 || n > VHOST_USER_MAX_REGIONS || size != 8 + 32 * n)
		return -EPROTO;
	m->u.mem.n = n;
	for (uint32_t i = 0; i < n; i++) {
		struct vhost_region_desc *r = &m->u.mem.r[i];
		const uint8_t *q = p + 8 + 32 * i;

		r->gpa = proto_ld64(q);
		r->size = proto_ld64(q + 8);
		r->uva = proto_ld64(q + 16);
		r->mmap_offset = proto_ld64(q + 24);
		/* Empty, or wrapping past 2^64 in any of the three spaces. */
		if (r->size == 0 || r->gpa + r->size < r->gpa ||
		    r->uva + r->size < r->uva ||
		    r->mmap_offset + r->size < r->mmap_offset)
			return -EPROTO;
	}
	return 0;
}

static int parse_config(const uint8_t *p, uint32_t size, struct vhost_msg *m)
{
	if (size < 12)
		return -EPROTO;
	m->u.config.offset = proto_ld32(p);
	m->u.config.size = proto_ld32(p + 4);
	m->u.config.flags = proto_ld32(p + 8);
	if (m->u.config.size > VHOST_USER_CONFIG_MAX ||
	    size != 12 + m->u.config.size)
		return -EPROTO;
	return 0;
}

static void parse_fixed(const uint8_t *p, struct vhost_msg *m)
{
	switch (m->req) {
	case VHOST_USER_SET_VRING_NUM:
	case VHOST_USER_SET_VRING_BASE:
	case VHOST_USER_GET_VRING_BASE:
	case VHOST_USER_SET_VRING_ENABLE:
		m->u.state.index = proto_ld32(p);
		m->u.state.num = proto_ld32(p + 4);
		break;
	case VHOST_USER_SET_VRING_ADDR:
		m->u.addr.index = proto_ld32(p);
		m->u.addr.flags = proto_ld32(p + 4);
		m->u.addr.desc = proto_ld64(p + 8);
		m->u.addr.used = proto_ld64(p + 16);
		m->u.addr.avail = proto_ld64(p + 24);
		m->u.addr.log = proto_ld64(p + 32);
		break;
	default:
		if (m->size >= 8)
			m->u.u64 = proto_ld64(p);
		break;
	}
}

int vhost_msg_parse(const uint8_t *buf, size_t len, unsigned nfds,
		    struct vhost_msg *m)
{
	const uint8_t *p = buf + VHOST_USER_HDR_LEN;
	long want;
	int err;

	memset(m, 0, sizeof(*m));
	if (len < VHOST_USER_HDR_LEN)
		return -EPROTO;
	m->req = proto_ld32(buf);
	m->flags = proto_ld32(buf + 4);
	m->size = proto_ld32(buf + 8);
	if ((m->flags & VHOST_USER_VERSION_MSK) != VHOST_USER_VERSION ||
	    (m->flags & VHOST_USER_F_REPLY) ||
	    m->size > VHOST_USER_PAYLOAD_MAX ||
	    len != VHOST_USER_HDR_LEN + (size_t)m->size ||
	    nfds > VHOST_USER_MAX_FDS)
		return -EPROTO;
	if (m->req == VHOST_USER_SET_MEM_TABLE)
		err = parse_mem(p, m->size, m);
	else if (m->req == VHOST_USER_GET_CONFIG)
		err = parse_config(p, m->size, m);
	else if ((want = fixed_len(m->req)) < 0)
		return -ENOSYS;
	else if (m->size != (uint32_t)want)
		err = -EPROTO;
	else {
		parse_fixed(p, m);
		err = 0;
	}
	if (err)
		return err;
	return vhost_msg_fds_wanted(m) == nfds ? 0 : -EPROTO;
}
