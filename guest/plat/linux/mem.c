/*
 * mem.c - linear memories: address-space reservations committed page by
 * page with mprotect, and the registry the fault handler consults.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "linux_rt.h"

/*
 * 47 bits of user address space hold at most 16384 reservations of 8 GiB,
 * so a fixed table never limits us before mmap does.  Slots are written in
 * normal context and read by the signal handler, hence the atomics; a slot
 * is free when its start is 0.
 */
#define MEM_SLOTS 16384

static struct {
	uintptr_t start, end;
} mem_slots[MEM_SLOTS];
static int mem_slots_used; /* high-water mark: slots >= it were never used */

static int mem_register(uintptr_t start, uintptr_t end)
{
	for (int i = 0; i < MEM_SLOTS; i++) {
		if (__atomic_load_n(&mem_slots[i].start, __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&mem_slots[i].end, end, __ATOMIC_RELAXED);
		__atomic_store_n(&mem_slots[i].start, start, __ATOMIC_RELEASE);
		if (i >= __atomic_load_n(&mem_slots_used, __ATOMIC_RELAXED))
			__atomic_store_n(&mem_slots_used, i + 1, __ATOMIC_RELEASE);
		return i;
	}
	return -1;
}

static void mem_unregister(int slot)
{
	if (slot < 0 || slot >= MEM_SLOTS)
		return;
	__atomic_store_n(&mem_slots[slot].start, 0, __ATOMIC_RELEASE);
}

int mewz_linux_memory_owns(uintptr_t addr)
{
	int used = __atomic_load_n(&mem_slots_used, __ATOMIC_ACQUIRE);

	for (int i = 0; i < used; i++) {
		uintptr_t start = __atomic_load_n(&mem_slots[i].start, __ATOMIC_ACQUIRE);
		uintptr_t end = __atomic_load_n(&mem_slots[i].end, __ATOMIC_RELAXED);
		if (start && addr >= start && addr < end)
			return 1;
	}
	return 0;
}

int mewz_linux_memory_init(struct mewz_linux_memory *m, uint64_t initial_pages,
			   uint64_t max_pages, uint64_t limit_bytes)
{
	uint64_t max_bytes, initial_bytes;
	void *p;

	m->base = NULL;
	m->size = 0;
	m->max_bytes = 0;
	m->slot = -1;
	if (max_pages > MEWZ_MAX_PAGES)
		max_pages = MEWZ_MAX_PAGES;
	max_bytes = max_pages * MEWZ_PAGE_SIZE;
	if (max_bytes > limit_bytes)
		max_bytes = limit_bytes - limit_bytes % MEWZ_PAGE_SIZE;
	initial_bytes = initial_pages * MEWZ_PAGE_SIZE;
	if (initial_pages > MEWZ_MAX_PAGES || initial_bytes > max_bytes)
		return -ENOMEM;

	/* PROT_NONE + NORESERVE: address space only, no commit charge. */
	p = mmap(NULL, MEWZ_GUARD_RESERVATION, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (initial_bytes && mprotect(p, initial_bytes, PROT_READ | PROT_WRITE)) {
		int e = errno;
		munmap(p, MEWZ_GUARD_RESERVATION);
		return -e;
	}
	m->slot = mem_register((uintptr_t)p, (uintptr_t)p + MEWZ_GUARD_RESERVATION);
	if (m->slot < 0) {
		munmap(p, MEWZ_GUARD_RESERVATION);
		return -ENOMEM;
	}
	m->base = p;
	m->size = initial_bytes;
	m->max_bytes = max_bytes;
	return 0;
}

int32_t mewz_linux_memory_grow(struct mewz_linux_memory *m, uint32_t delta_pages)
{
	uint64_t old = m->size;
	uint64_t delta = (uint64_t)delta_pages * MEWZ_PAGE_SIZE;

	if (delta > m->max_bytes - old)
		return -1;
	/* A failed mprotect (no memory for page tables) is a failed grow. */
	if (delta && mprotect(m->base + old, delta, PROT_READ | PROT_WRITE))
		return -1;
	m->size = old + delta;
	return (int32_t)(old / MEWZ_PAGE_SIZE);
}

void mewz_linux_memory_fini(struct mewz_linux_memory *m)
{
	mem_unregister(m->slot);
	if (m->base)
		munmap(m->base, MEWZ_GUARD_RESERVATION);
	m->base = NULL;
	m->size = 0;
	m->slot = -1;
}
