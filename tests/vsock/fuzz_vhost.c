/*
 * fuzz_vhost.c - libFuzzer target (make fuzz-vhost): the vhost-user
 * backend's input paths that need no QEMU.
 *   first byte even: the rest is one vhost-user message arriving with
 *     (first byte / 2) % 9 fds; a decoded memory table is then used for
 *     translations of fuzzer-chosen addresses (regions backed by a heap
 *     buffer, never mmap'd);
 *   first byte odd: the rest is guest memory holding a ring of 8 that a
 *     hostile guest wrote; every chain popped is read, written and pushed
 *     back, as the vsock code does.
 * Crashes and sanitizer reports are the failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vhost_mem.h"
#include "vhost_msg.h"
#include "vhost_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t backing[8192];

static void fuzz_msg(const uint8_t *p, size_t n, unsigned nfds)
{
	struct vhost_msg m;
	struct vhost_mem mem;

	if (vhost_msg_parse(p, n, nfds, &m) != 0 ||
	    m.req != VHOST_USER_SET_MEM_TABLE)
		return;
	memset(&mem, 0, sizeof(mem));
	for (unsigned i = 0; i < m.u.mem.n; i++) {
		mem.r[i].d = m.u.mem.r[i];
		/* Regions larger than the buffer are clipped to it. */
		if (mem.r[i].d.size > sizeof(backing))
			mem.r[i].d.size = sizeof(backing);
		mem.r[i].host = backing;
	}
	mem.n = m.u.mem.n;
	for (unsigned i = 0; i < mem.n; i++) {
		const struct vhost_region_desc *d = &m.u.mem.r[i];
		uint8_t *h = vhost_gpa(&mem, d->gpa + d->mmap_offset, d->size);

		if (h)
			memset(h, 0,
			       (size_t)mem.r[i].d.size < sizeof(backing)
				   ? (size_t)mem.r[i].d.size
				   : 0);
		h = vhost_uva(&mem, d->uva, 8);
		if (h)
			memset(h, 1, 8);
	}
}

static void fuzz_ring(const uint8_t *p, size_t n)
{
	static uint8_t guest[4096] __attribute__((aligned(64)));
	struct vhost_mem mem;
	struct vhost_ring r;
	struct vhost_chain c;
	uint8_t tmp[64];

	memset(guest, 0, sizeof(guest));
	memcpy(guest, p, n < sizeof(guest) ? n : sizeof(guest));
	memset(&mem, 0, sizeof(mem));
	mem.n = 1;
	mem.r[0].d =
	    (struct vhost_region_desc){0x1000, sizeof(guest), 0x1000, 0};
	mem.r[0].host = guest;
	memset(&r, 0, sizeof(r));
	r.num = 8;
	r.desc_uva = 0x1000;
	r.avail_uva = 0x1080;
	r.used_uva = 0x10c0;
	r.addr_set = true;
	if (vhost_ring_map(&r, &mem) != 0)
		return;
	for (int i = 0; i < 64 && vhost_ring_pop(&r, &mem, &c) == 1; i++) {
		size_t got = vhost_chain_read(&c, 0, tmp, sizeof(tmp));
		size_t put = vhost_chain_write(&c, 3, tmp, got);

		vhost_ring_push(&r, c.head, (uint32_t)put);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		fuzz_ring(data + 1, size - 1);
	else
		fuzz_msg(data + 1, size - 1, (unsigned)(data[0] / 2) % 9);
	return 0;
}
