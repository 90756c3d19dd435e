/*
 * vsock_unit.c - suite vsock-unit: the vhost-user backend's pure parts
 * under ASan+UBSan, fed hostile values: the message decoder, guest
 * address translation, and the device side of a split ring over a fake
 * guest memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vhost_mem.h"
#include "vhost_msg.h"
#include "vhost_ring.h"

static int passed, failed;

#define CHECK(name, cond)                                                      \
	do {                                                                   \
		if (cond) {                                                    \
			passed++;                                              \
		} else {                                                       \
			failed++;                                              \
			printf("FAIL %s (%s:%d): %s\n", name, __FILE__,        \
			       __LINE__, #cond);                               \
		}                                                              \
	} while (0)

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* A message: header + payload in buf; returns its length. */
static size_t msg(uint8_t *buf, uint32_t req, uint32_t flags,
		  const void *payload, uint32_t size)
{
	put32(buf, req);
	put32(buf + 4, flags);
	put32(buf + 8, size);
	if (size)
		memcpy(buf + 12, payload, size);
	return 12 + (size_t)size;
}

static size_t mem_table(uint8_t *buf, uint32_t n, uint64_t gpa, uint64_t size)
{
	uint8_t p[8 + 32 * 9];

	memset(p, 0, sizeof(p));
	put32(p, n);
	for (uint32_t i = 0; i < n && i < 9; i++) {
		put64(p + 8 + 32 * i, gpa + i * size);
		put64(p + 8 + 32 * i + 8, size);
		put64(p + 8 + 32 * i + 16, 0x7f0000000000ull + i * size);
		put64(p + 8 + 32 * i + 24, 0);
	}
	return msg(buf, VHOST_USER_SET_MEM_TABLE, 1, p, 8 + 32 * n);
}

static void test_msg(void)
{
	uint8_t b[1024], p[512];
	struct vhost_msg m;
	size_t n;

	n = msg(b, VHOST_USER_GET_FEATURES, 1, NULL, 0);
	CHECK("GET_FEATURES", vhost_msg_parse(b, n, 0, &m) == 0 &&
				  m.req == VHOST_USER_GET_FEATURES);
	n = msg(b, VHOST_USER_GET_FEATURES, 2, NULL, 0);
	CHECK("bad version", vhost_msg_parse(b, n, 0, &m) == -EPROTO);
	n = msg(b, VHOST_USER_GET_FEATURES, 1 | VHOST_USER_F_REPLY, NULL, 0);
	CHECK("reply flag from the front-end",
	      vhost_msg_parse(b, n, 0, &m) == -EPROTO);
	CHECK("short buffer", vhost_msg_parse(b, 11, 0, &m) == -EPROTO);
	put64(p, 0x123456789ull);
	n = msg(b, VHOST_USER_SET_FEATURES, 1, p, 8);
	CHECK("SET_FEATURES",
	      vhost_msg_parse(b, n, 0, &m) == 0 && m.u.u64 == 0x123456789ull);
	CHECK("length beyond the buffer",
	      vhost_msg_parse(b, n - 1, 0, &m) == -EPROTO);
	n = msg(b, VHOST_USER_SET_FEATURES, 1, p, 4);
	CHECK("SET_FEATURES short", vhost_msg_parse(b, n, 0, &m) == -EPROTO);
	CHECK("unexpected fd",
	      vhost_msg_parse(b, msg(b, VHOST_USER_SET_OWNER, 1, NULL, 0), 1,
			      &m) == -EPROTO);
	CHECK("too many fds",
	      vhost_msg_parse(b, msg(b, VHOST_USER_SET_OWNER, 1, NULL, 0), 9,
			      &m) == -EPROTO);
	n = msg(b, 99, 1, NULL, 0);
	CHECK("unknown request", vhost_msg_parse(b, n, 0, &m) == -ENOSYS);
	put32(b + 8, VHOST_USER_PAYLOAD_MAX + 1);
	CHECK("payload above the limit",
	      vhost_msg_parse(b, 12 + VHOST_USER_PAYLOAD_MAX + 1, 0, &m) ==
		  -EPROTO);

	/* Memory tables. */
	n = mem_table(b, 2, 0, 0x100000);
	CHECK("mem table", vhost_msg_parse(b, n, 2, &m) == 0 &&
			       m.u.mem.n == 2 && m.u.mem.r[1].gpa == 0x100000 &&
			       m.u.mem.r[1].uva == 0x7f0000100000ull);
	CHECK("mem table fd count", vhost_msg_parse(b, n, 1, &m) == -EPROTO);
	n = mem_table(b, 0, 0, 0x1000);
	CHECK("mem table empty", vhost_msg_parse(b, n, 0, &m) == -EPROTO);
	n = mem_table(b, 9, 0, 0x1000);
	CHECK("mem table 9 regions", vhost_msg_parse(b, n, 8, &m) == -EPROTO);
	n = mem_table(b, 1, 0, 0x1000);
	put32(b + 12, 2); /* claims 2 regions, carries 1 */
	CHECK("mem table count vs size",
	      vhost_msg_parse(b, n, 2, &m) == -EPROTO);
	n = mem_table(b, 1, UINT64_MAX - 0x10, 0x1000);
	CHECK("region wraps (gpa)", vhost_msg_parse(b, n, 1, &m) == -EPROTO);
	n = mem_table(b, 1, 0, 0);
	CHECK("region of size 0", vhost_msg_parse(b, n, 1, &m) == -EPROTO);
	n = mem_table(b, 1, 0, 0x1000);
	put64(b + 12 + 8 + 24, UINT64_MAX - 0x10); /* mmap_offset */
	CHECK("region wraps (offset)", vhost_msg_parse(b, n, 1, &m) == -EPROTO);

	/* Rings. */
	put64(p, 1 | VHOST_USER_VRING_NOFD);
	n = msg(b, VHOST_USER_SET_VRING_KICK, 1, p, 8);
	CHECK("KICK no fd", vhost_msg_parse(b, n, 0, &m) == 0);
	CHECK("KICK no-fd flag with an fd",
	      vhost_msg_parse(b, n, 1, &m) == -EPROTO);
	put64(p, 1);
	n = msg(b, VHOST_USER_SET_VRING_CALL, 1, p, 8);
	CHECK("CALL without its fd", vhost_msg_parse(b, n, 0, &m) == -EPROTO);
	CHECK("CALL", vhost_msg_parse(b, n, 1, &m) == 0);
	memset(p, 0, 40);
	put32(p, 1);
	put64(p + 8, 0x1000);  /* desc */
	put64(p + 16, 0x3000); /* used */
	put64(p + 24, 0x2000); /* avail */
	n = msg(b, VHOST_USER_SET_VRING_ADDR, 1, p, 40);
	CHECK("VRING_ADDR order (desc, used, avail)",
	      vhost_msg_parse(b, n, 0, &m) == 0 && m.u.addr.index == 1 &&
		  m.u.addr.desc == 0x1000 && m.u.addr.used == 0x3000 &&
		  m.u.addr.avail == 0x2000);
	put32(p, 0);
	put32(p + 4, 8);
	n = msg(b, VHOST_USER_SET_VRING_NUM, 1, p, 8);
	CHECK("VRING_NUM",
	      vhost_msg_parse(b, n, 0, &m) == 0 && m.u.state.num == 8);

	/* Config. */
	memset(p, 0, sizeof(p));
	put32(p + 4, 8);
	n = msg(b, VHOST_USER_GET_CONFIG, 1, p, 12 + 8);
	CHECK("GET_CONFIG",
	      vhost_msg_parse(b, n, 0, &m) == 0 && m.u.config.size == 8);
	put32(p + 4, 300);
	n = msg(b, VHOST_USER_GET_CONFIG, 1, p, 12 + 300);
	CHECK("GET_CONFIG too large", vhost_msg_parse(b, n, 0, &m) == -EPROTO);
	put32(p + 4, 16);
	n = msg(b, VHOST_USER_GET_CONFIG, 1, p, 12 + 8);
	CHECK("GET_CONFIG size vs payload",
	      vhost_msg_parse(b, n, 0, &m) == -EPROTO);
	CHECK("request names",
	      vhost_req_name(VHOST_USER_SET_MEM_TABLE) &&
		  !strcmp(vhost_req_name(5), "SET_MEM_TABLE") &&
		  vhost_req_name(99) == NULL);
}

/* Two adjacent regions over two heap buffers. */
static void fake_mem(struct vhost_mem *m, uint8_t *a, uint8_t *b, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->n = 2;
	m->r[0].d =
	    (struct vhost_region_desc){0x10000, len, 0x7f0000000000ull, 0};
	m->r[0].host = a;
	m->r[1].d = (struct vhost_region_desc){0x10000 + len, len,
					       0x7f0000000000ull + len, 0};
	m->r[1].host = b;
}

static void test_translate(void)
{
	static uint8_t a[4096], b[4096];
	struct vhost_mem m;

	fake_mem(&m, a, b, sizeof(a));
	CHECK("gpa start", vhost_gpa(&m, 0x10000, 16) == a);
	CHECK("gpa whole region", vhost_gpa(&m, 0x10000, 4096) == a);
	CHECK("gpa second region", vhost_gpa(&m, 0x11000 + 8, 8) == b + 8);
	CHECK("gpa straddles two regions", vhost_gpa(&m, 0x10ff8, 16) == NULL);
	CHECK("gpa past the end", vhost_gpa(&m, 0x11ff8, 16) == NULL);
	CHECK("gpa below", vhost_gpa(&m, 0xfff0, 32) == NULL);
	CHECK("gpa wraps", vhost_gpa(&m, UINT64_MAX - 4, 16) == NULL);
	CHECK("len huge", vhost_gpa(&m, 0x10000, UINT64_MAX) == NULL);
	CHECK("len 2^32", vhost_gpa(&m, 0x10000, 1ull << 32) == NULL);
	CHECK("uva", vhost_uva(&m, 0x7f0000000000ull + 100, 4) == a + 100);
	CHECK("uva is not gpa", vhost_uva(&m, 0x10000, 4) == NULL);
	CHECK("gpa is not uva", vhost_gpa(&m, 0x7f0000000000ull, 4) == NULL);
	m.n = 0;
	CHECK("no memory", vhost_gpa(&m, 0x10000, 1) == NULL);
}

static void test_map(void)
{
	int fd = memfd_create("vsock-unit", MFD_CLOEXEC);
	uint8_t b[512], got[4] = {0};
	struct vhost_msg msgd;
	struct vhost_mem m;
	int fds[1] = {fd};
	size_t n;
	uint8_t *p;

	if (fd < 0 || ftruncate(fd, 8192) != 0) {
		CHECK("memfd", 0);
		return;
	}
	n = mem_table(b, 1, 0x100000, 4096);
	put64(b + 12 + 8 + 24, 4096); /* mmap_offset: the second page */
	CHECK("map parse", vhost_msg_parse(b, n, 1, &msgd) == 0);
	CHECK("map", vhost_mem_map(&m, &msgd, fds) == 0 && m.n == 1);
	p = vhost_gpa(&m, 0x100000 + 10, 4);
	CHECK("mapped gpa", p != NULL);
	if (p) {
		memcpy(p, "mewz", 4);
		CHECK("mmap_offset applied",
		      pread(fd, got, 4, 4096 + 10) == 4 &&
			  memcmp(got, "mewz", 4) == 0);
	}
	CHECK("mapped end", vhost_gpa(&m, 0x100000 + 4093, 4) == NULL);
	vhost_mem_unmap(&m);
	CHECK("unmapped", m.n == 0 && vhost_gpa(&m, 0x100000, 1) == NULL);
	fds[0] = -1;
	CHECK("map a bad fd fails cleanly",
	      vhost_mem_map(&m, &msgd, fds) < 0 && m.n == 0);
	close(fd);
}

/* A guest: 64 KiB at gpa 0x10000 (uva 0x7f...), a ring of 8. */
#define G_GPA  0x10000ull
#define G_UVA  0x7f0000000000ull
#define G_SIZE 65536u
#define R_NUM  8u
static uint8_t guest[G_SIZE] __attribute__((aligned(64)));

struct gdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static struct gdesc *gd(unsigned i)
{
	return (struct gdesc *)(guest + 16 * i);
}
static uint16_t *avail(void)
{
	return (uint16_t *)(guest + 0x400);
}
static uint8_t *used(void)
{
	return guest + 0x800;
}

static void ring_setup(struct vhost_ring *r, struct vhost_mem *m)
{
	memset(guest, 0, sizeof(guest));
	memset(m, 0, sizeof(*m));
	m->n = 1;
	m->r[0].d = (struct vhost_region_desc){G_GPA, G_SIZE, G_UVA, 0};
	m->r[0].host = guest;
	memset(r, 0, sizeof(*r));
	r->num = R_NUM;
	r->desc_uva = G_UVA;
	r->avail_uva = G_UVA + 0x400;
	r->used_uva = G_UVA + 0x800;
	r->addr_set = true;
}

/* Publish chain head at avail slot idx and bump avail->idx. */
static void offer(uint16_t head)
{
	uint16_t idx = avail()[1];

	avail()[2 + idx % R_NUM] = head;
	avail()[1] = (uint16_t)(idx + 1);
}

static void test_ring(void)
{
	struct vhost_ring r;
	struct vhost_mem m;
	struct vhost_chain c;
	uint8_t buf[32];
	uint32_t e[2];

	ring_setup(&r, &m);
	CHECK("ring map", vhost_ring_map(&r, &m) == 0);
	CHECK("ring empty", vhost_ring_pop(&r, &m, &c) == 0);
	/* out 8 bytes at +0x1000, in 16 bytes at +0x2000 */
	*gd(0) = (struct gdesc){G_GPA + 0x1000, 8, 1, 3};
	*gd(3) = (struct gdesc){G_GPA + 0x2000, 16, 2, 0};
	memcpy(guest + 0x1000, "abcdefgh", 8);
	offer(0);
	CHECK("pop chain", vhost_ring_pop(&r, &m, &c) == 1 && c.head == 0 &&
			       c.n_out == 1 && c.n_in == 1 && c.out_len == 8 &&
			       c.in_len == 16);
	CHECK("chain read", vhost_chain_read(&c, 2, buf, 32) == 6 &&
				!memcmp(buf, "cdefgh", 6));
	CHECK("chain write bounded",
	      vhost_chain_write(&c, 10, "0123456789", 10) == 6 &&
		  !memcmp(guest + 0x2000 + 10, "012345", 6));
	vhost_ring_push(&r, c.head, 16);
	memcpy(e, used() + 4, 8);
	CHECK("used element",
	      e[0] == 0 && e[1] == 16 && *(uint16_t *)(used() + 2) == 1);
	CHECK("ring empty again", vhost_ring_pop(&r, &m, &c) == 0);

	/* Hostile rings: each breaks it, and it stays broken. */
	struct {
		const char *name;
		struct gdesc d0;
		uint16_t head;
		int bump; /* avail idx run-ahead */
	} bad[] = {
	    {"head out of range", {G_GPA + 0x1000, 8, 0, 0}, R_NUM, 0},
	    {"link out of range", {G_GPA + 0x1000, 8, 1, R_NUM}, 0, 0},
	    {"chain loops", {G_GPA + 0x1000, 8, 1, 0}, 0, 0},
	    {"buffer outside memory", {G_GPA + G_SIZE - 4, 8, 0, 0}, 0, 0},
	    {"buffer address wraps", {UINT64_MAX - 2, 8, 0, 0}, 0, 0},
	    {"indirect", {G_GPA + 0x1000, 16, 4, 0}, 0, 0},
	    {"avail index runs ahead", {G_GPA + 0x1000, 8, 0, 0}, 0, R_NUM + 1},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ring_setup(&r, &m);
		vhost_ring_map(&r, &m);
		*gd(0) = bad[i].d0;
		offer(bad[i].head);
		avail()[1] = (uint16_t)(avail()[1] + bad[i].bump);
		CHECK(bad[i].name, vhost_ring_pop(&r, &m, &c) == -EIO &&
				       r.broken &&
				       vhost_ring_pop(&r, &m, &c) == -EIO);
	}
	ring_setup(&r, &m);
	vhost_ring_map(&r, &m);
	*gd(0) = (struct gdesc){G_GPA + 0x2000, 8, 2 | 1, 1};
	*gd(1) = (struct gdesc){G_GPA + 0x1000, 8, 0, 0};
	offer(0);
	CHECK("readable after writable", vhost_ring_pop(&r, &m, &c) == -EIO);

	ring_setup(&r, &m);
	r.used_uva = G_UVA + G_SIZE - 16; /* used ring runs off the end */
	CHECK("ring area outside memory",
	      vhost_ring_map(&r, &m) < 0 && r.broken);
	ring_setup(&r, &m);
	r.addr_set = false;
	CHECK("ring without address", vhost_ring_map(&r, &m) < 0);
	ring_setup(&r, &m);
	r.num = VHOST_RING_MAX + 1;
	CHECK("ring too large", vhost_ring_map(&r, &m) < 0);

	/* A 16-long chain is the limit; the ring of 8 stops it earlier. */
	ring_setup(&r, &m);
	vhost_ring_map(&r, &m);
	for (unsigned i = 0; i < R_NUM; i++)
		*gd(i) = (struct gdesc){G_GPA + 0x1000, 1, 1,
					(uint16_t)((i + 1) % R_NUM)};
	offer(0);
	CHECK("chain longer than the ring", vhost_ring_pop(&r, &m, &c) == -EIO);
	ring_setup(&r, &m);
	vhost_ring_map(&r, &m);
	for (unsigned i = 0; i < R_NUM; i++)
		*gd(i) = (struct gdesc){G_GPA + 0x1000, 1,
					(uint16_t)(i + 1 < R_NUM ? 1 : 0),
					(uint16_t)(i + 1)};
	offer(0);
	CHECK("chain as long as the ring",
	      vhost_ring_pop(&r, &m, &c) == 1 && c.n_out == R_NUM);
}

int main(void)
{
	test_msg();
	test_translate();
	test_map();
	test_ring();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
