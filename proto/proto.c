/*
 * The hostcall codec, shared verbatim by guest and host.
 *
 * Freestanding: nothing beyond the compiler's own headers; copies use
 * __builtin_memcpy/memset, which become inline code or a call to the
 * memcpy/memset every libc (and the guest kernel) provides.
 * The decoder never reads a byte before checking that it lies inside the
 * buffer it was given; lengths are compared by subtraction from what is
 * left, so no addition can wrap.
 */
#include "proto.h"

#define memcpy __builtin_memcpy
#define memset __builtin_memset

struct proto_opdesc {
	const char *name;
	const char *req;
	const char *resp;
};

/* Indexed by op code; unused codes have a NULL name. */
static const struct proto_opdesc proto_ops[PROTO_OP_LIMIT] = {
#define PROTO_X_DESC(name, code, req, resp) [code] = {#name, req, resp},
    PROTO_OPS(PROTO_X_DESC)
#undef PROTO_X_DESC
};

static const struct proto_opdesc *proto_desc(uint16_t op)
{
	if (op >= PROTO_OP_LIMIT || proto_ops[op].name == NULL)
		return NULL;
	return &proto_ops[op];
}

const char *proto_format(uint16_t op, bool response)
{
	const struct proto_opdesc *d = proto_desc(op);

	if (d == NULL)
		return NULL;
	return response ? d->resp : d->req;
}

const char *proto_op_name(uint16_t op)
{
	const struct proto_opdesc *d = proto_desc(op);

	return d ? d->name : NULL;
}

uint32_t proto_io_max(uint32_t max_frame)
{
	/* PWRITE's request has the most fixed bytes: w, q and the string's
	 * length word. */
	const uint32_t fixed = PROTO_HDR_LEN + 4 + 8 + 4;

	if (max_frame < PROTO_FRAME_MIN)
		max_frame = PROTO_FRAME_MIN;
	return max_frame - fixed;
}

int proto_decode_hdr(const uint8_t *buf, size_t len, uint32_t max_frame,
		     struct proto_hdr *h)
{
	if (len < PROTO_HDR_LEN)
		return PROTO_E_SHORT;
	h->payload_len = proto_ld32(buf);
	h->op = proto_ld16(buf + 4);
	h->flags = proto_ld16(buf + 6);
	h->id = proto_ld32(buf + 8);
	h->status = proto_ld32(buf + 12);
	if (h->flags & ~PROTO_F_KNOWN)
		return PROTO_E_FLAGS;
	if (max_frame < PROTO_HDR_LEN ||
	    h->payload_len > max_frame - PROTO_HDR_LEN)
		return PROTO_E_LONG;
	return PROTO_OK;
}

void proto_encode_hdr(uint8_t out[PROTO_HDR_LEN], const struct proto_hdr *h)
{
	proto_st32(out, h->payload_len);
	proto_st16(out + 4, h->op);
	proto_st16(out + 6, h->flags);
	proto_st32(out + 8, h->id);
	proto_st32(out + 12, h->status);
}

static uint32_t proto_width(char f)
{
	switch (f) {
	case 'b':
		return 1;
	case 'h':
		return 2;
	case 'w':
		return 4;
	case 'q':
		return 8;
	default:
		return 0;
	}
}

static uint64_t proto_load(const uint8_t *p, uint32_t width)
{
	switch (width) {
	case 1:
		return p[0];
	case 2:
		return proto_ld16(p);
	case 4:
		return proto_ld32(p);
	default:
		return proto_ld64(p);
	}
}

static void proto_store(uint8_t *p, uint32_t width, uint64_t v)
{
	switch (width) {
	case 1:
		p[0] = (uint8_t)v;
		break;
	case 2:
		proto_st16(p, (uint16_t)v);
		break;
	case 4:
		proto_st32(p, (uint32_t)v);
		break;
	default:
		proto_st64(p, v);
		break;
	}
}

int proto_decode(const struct proto_hdr *h, const uint8_t *payload,
		 struct proto_msg *m)
{
	bool resp = (h->flags & PROTO_F_RESPONSE) != 0;
	const char *fmt = proto_format(h->op, resp);
	uint32_t left = h->payload_len, off = 0;

	memset(m, 0, sizeof(*m));
	/* An error reply is a bare header, whatever the op: a server
	 * answers unknown ops with NOSYS this way. */
	if (resp && h->status != 0)
		return left == 0 ? PROTO_OK : PROTO_E_STATUS;
	if (fmt == NULL)
		return PROTO_E_OP;
	if (!resp && h->status != 0)
		return PROTO_E_STATUS;
	for (; *fmt; fmt++) {
		uint32_t w = proto_width(*fmt);

		if (w != 0) {
			if (left < w)
				return PROTO_E_SHORT;
			m->val[m->nval++] = proto_load(payload + off, w);
			off += w;
			left -= w;
			continue;
		}
		/* 's': a u32 length, then that many bytes. */
		if (left < 4)
			return PROTO_E_SHORT;
		uint32_t n = proto_ld32(payload + off);
		off += 4;
		left -= 4;
		if (n > left)
			return PROTO_E_SHORT;
		m->str[m->nstr].p = payload + off;
		m->str[m->nstr].len = n;
		m->nstr++;
		off += n;
		left -= n;
	}
	return left == 0 ? PROTO_OK : PROTO_E_LONG;
}

/* What a NULL message stands for: no fields. */
static const struct proto_msg proto_empty;

int64_t proto_payload_len(const char *fmt, const struct proto_msg *m)
{
	uint32_t nv = 0, ns = 0;
	int64_t len = 0;

	if (m == NULL)
		m = &proto_empty;
	for (; *fmt; fmt++) {
		uint32_t w = proto_width(*fmt);

		if (w != 0) {
			if (nv >= m->nval)
				return -1;
			/* A value wider than its field would be cut short
			 * on the wire: refuse it instead. */
			if (w < 8 && (m->val[nv] >> (8 * w)) != 0)
				return -1;
			nv++;
			len += w;
			continue;
		}
		if (ns >= m->nstr)
			return -1;
		len += 4 + (int64_t)m->str[ns].len;
		ns++;
	}
	if (nv != m->nval || ns != m->nstr)
		return -1;
	return len;
}

int64_t proto_encode(uint8_t *out, size_t cap, struct proto_hdr *h,
		     const struct proto_msg *m)
{
	const char *fmt = proto_format(h->op, h->flags & PROTO_F_RESPONSE);
	int64_t plen = 0;

	if (h->flags & ~PROTO_F_KNOWN)
		return PROTO_E_FLAGS;
	if (h->status != 0 && !(h->flags & PROTO_F_RESPONSE))
		return PROTO_E_STATUS;
	if (fmt == NULL && h->status == 0)
		return PROTO_E_OP;
	if (m == NULL)
		m = &proto_empty;
	if (h->status == 0) {
		plen = proto_payload_len(fmt, m);
		if (plen < 0)
			return PROTO_E_FORMAT;
	}
	if (plen > (int64_t)UINT32_MAX - PROTO_HDR_LEN)
		return PROTO_E_SPACE;
	if (cap < PROTO_HDR_LEN || (uint64_t)plen > cap - PROTO_HDR_LEN)
		return PROTO_E_SPACE;
	h->payload_len = (uint32_t)plen;
	proto_encode_hdr(out, h);
	if (h->status != 0)
		return PROTO_HDR_LEN;

	uint8_t *p = out + PROTO_HDR_LEN;
	uint32_t nv = 0, ns = 0;

	for (; *fmt; fmt++) {
		uint32_t w = proto_width(*fmt);

		if (w != 0) {
			proto_store(p, w, m->val[nv++]);
			p += w;
			continue;
		}
		proto_st32(p, m->str[ns].len);
		p += 4;
		if (m->str[ns].len != 0)
			memcpy(p, m->str[ns].p, m->str[ns].len);
		p += m->str[ns].len;
		ns++;
	}
	return PROTO_HDR_LEN + plen;
}

void proto_cur_init(struct proto_cur *c, const uint8_t *p, uint32_t len)
{
	c->p = p;
	c->len = len;
	c->off = 0;
	c->bad = false;
}

static const uint8_t *proto_take(struct proto_cur *c, uint32_t n)
{
	if (c->bad || c->len - c->off < n) {
		c->bad = true;
		return NULL;
	}
	const uint8_t *p = c->p + c->off;

	c->off += n;
	return p;
}

uint8_t proto_get_u8(struct proto_cur *c)
{
	const uint8_t *p = proto_take(c, 1);

	return p ? p[0] : 0;
}

uint32_t proto_get_u32(struct proto_cur *c)
{
	const uint8_t *p = proto_take(c, 4);

	return p ? proto_ld32(p) : 0;
}

uint64_t proto_get_u64(struct proto_cur *c)
{
	const uint8_t *p = proto_take(c, 8);

	return p ? proto_ld64(p) : 0;
}

struct proto_str proto_get_str(struct proto_cur *c)
{
	struct proto_str s = {NULL, 0};
	uint32_t n = proto_get_u32(c);
	const uint8_t *p = proto_take(c, n);

	if (p != NULL) {
		s.p = p;
		s.len = n;
	}
	return s;
}

bool proto_cur_done(const struct proto_cur *c)
{
	return !c->bad && c->off == c->len;
}

void proto_put_init(struct proto_put *w, uint8_t *p, uint32_t cap)
{
	w->p = p;
	w->cap = cap;
	w->off = 0;
	w->bad = false;
}

static uint8_t *proto_room(struct proto_put *w, uint32_t n)
{
	if (w->bad || w->cap - w->off < n) {
		w->bad = true;
		return NULL;
	}
	uint8_t *p = w->p + w->off;

	w->off += n;
	return p;
}

void proto_put_u8(struct proto_put *w, uint8_t v)
{
	uint8_t *p = proto_room(w, 1);

	if (p)
		p[0] = v;
}

void proto_put_u32(struct proto_put *w, uint32_t v)
{
	uint8_t *p = proto_room(w, 4);

	if (p)
		proto_st32(p, v);
}

void proto_put_u64(struct proto_put *w, uint64_t v)
{
	uint8_t *p = proto_room(w, 8);

	if (p)
		proto_st64(p, v);
}

void proto_put_bytes(struct proto_put *w, const void *src, uint32_t len)
{
	uint8_t *p = proto_room(w, len);

	if (p && len)
		memcpy(p, src, len);
}

void proto_put_str(struct proto_put *w, const void *src, uint32_t len)
{
	proto_put_u32(w, len);
	proto_put_bytes(w, src, len);
}

void proto_put_preopen(struct proto_put *w, const struct proto_preopen *p)
{
	proto_put_u32(w, p->handle);
	proto_put_u64(w, p->rights_base);
	proto_put_u64(w, p->rights_inheriting);
	proto_put_u8(w, p->flags);
	proto_put_str(w, p->path.p, p->path.len);
}

bool proto_get_preopen(struct proto_cur *c, struct proto_preopen *p)
{
	p->handle = proto_get_u32(c);
	p->rights_base = proto_get_u64(c);
	p->rights_inheriting = proto_get_u64(c);
	p->flags = proto_get_u8(c);
	p->path = proto_get_str(c);
	return !c->bad;
}

uint32_t proto_addr_put(uint8_t *out, const struct proto_addr *a)
{
	if (a->family != 4 && a->family != 6)
		return 0;
	out[0] = a->family;
	proto_st16(out + 1, a->port);
	if (a->family == 4) {
		memcpy(out + 3, a->addr, 4);
		return PROTO_ADDR4_LEN;
	}
	memcpy(out + 3, a->addr, 16);
	proto_st32(out + 19, a->scope_id);
	return PROTO_ADDR6_LEN;
}

bool proto_addr_get(const uint8_t *p, uint32_t len, struct proto_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (len == PROTO_ADDR4_LEN && p[0] == 4) {
		a->family = 4;
		a->port = proto_ld16(p + 1);
		memcpy(a->addr, p + 3, 4);
		return true;
	}
	if (len == PROTO_ADDR6_LEN && p[0] == 6) {
		a->family = 6;
		a->port = proto_ld16(p + 1);
		memcpy(a->addr, p + 3, 16);
		a->scope_id = proto_ld32(p + 19);
		return true;
	}
	return false;
}
