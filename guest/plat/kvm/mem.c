/*
 * mem.c - physical frames and the lazily committed regions (see
 * layout.h): the page-fault policy, sbrk for newlib, and the linear
 * memory hooks of mewz/plat.h.
 *
 * Frames are handed out by a bump pointer over the RAM ranges outside
 * the kernel image and are never freed: linear memory never shrinks, and the
 * heap and stack only ever grow in practice.  Only RAM below 4 GiB is
 * used: page tables are written through the identity map.
 */
#include <string.h>

#include <mewz/abi.h>
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "../../arch/x86_64/arch.h"
#include "kvm.h"
#include "layout.h"

extern char __kernel_start[], __kernel_end[];

/* One more than the memory map's entries: a RAM entry around the image
 * gives two ranges (add_range). */
#define MEM_RANGES (BOOTINFO_MAX_RAM + 1)

static struct {
	uint64_t next, end;
} ranges[MEM_RANGES];
static uint32_t nr_ranges, cur_range;
static uint64_t linear_limit;
static uint64_t heap_brk = HEAP_BASE;
static uint64_t stack_size = STACK_SIZE_DEFAULT;

static uint64_t frame_alloc(void)
{
	while (cur_range < nr_ranges) {
		if (ranges[cur_range].next + PAGE_SIZE <=
		    ranges[cur_range].end) {
			uint64_t pa = ranges[cur_range].next;

			ranges[cur_range].next += PAGE_SIZE;
			return pa;
		}
		cur_range++;
	}
	return 0;
}

uint64_t mem_free_bytes(void)
{
	uint64_t total = 0;
	uint32_t i;

	for (i = cur_range; i < nr_ranges; i++)
		total += ranges[i].end - ranges[i].next;
	return total;
}

/* Back the page containing va with a zeroed frame, or end the run. */
static void commit(uint64_t va)
{
	uint64_t page = va & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t pa = frame_alloc();

	if (!pa || arch_map_page(page, pa) < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "out of memory (give the VM more memory)");
	memset((void *)(uintptr_t)page, 0, PAGE_SIZE);
}

/* Adds the whole pages of [start, end) as a range of free frames. */
static void add_range(uint64_t start, uint64_t end)
{
	start = (start + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	end &= ~(uint64_t)(PAGE_SIZE - 1);
	if (start >= end || nr_ranges == MEM_RANGES)
		return;
	ranges[nr_ranges].next = start;
	ranges[nr_ranges].end = end;
	nr_ranges++;
}

void mem_init(const struct bootinfo *bi, uint64_t stack_bytes)
{
	uint64_t kstart = (uint64_t)(uintptr_t)__kernel_start;
	uint64_t kend = (uint64_t)(uintptr_t)__kernel_end;
	uint64_t avail;
	uint32_t i;

	for (i = 0; i < bi->nr_ram; i++) {
		uint64_t start = bi->ram[i].start, end = bi->ram[i].end;

		if (end > (1ull << 32))
			end = 1ull << 32;
		/* Below the image: the boot data the loader left there
		 * (start_info, its memory map, the command line) has been
		 * copied out by pvh_parse and args_init; page 0 stays
		 * unmapped. */
		if (start < kstart)
			add_range(start < PAGE_SIZE ? PAGE_SIZE : start,
				  end < kstart ? end : kstart);
		add_range(start > kend ? start : kend, end);
	}
	if (stack_bytes)
		stack_size =
		    (stack_bytes + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	arch_paging_init(frame_alloc);
	arch_unmap_null_page();
	/* Every 512 committed pages need one more page-table page. */
	avail = mem_free_bytes();
	avail = avail > stack_size + MEM_RESERVE_EXTRA
		    ? avail - stack_size - MEM_RESERVE_EXTRA
		    : 0;
	linear_limit = avail / 513 * 512;
	/* The stack's top page is used at once: mapping it now spares every
	 * boot a page fault (under TCG, the fault path's first translation
	 * is a visible part of a short program's start). */
	commit(STACK_TOP - PAGE_SIZE);
}

/* #PF error code bit 0: the page was present (a protection fault). */
#define PF_PRESENT 0x1

int plat_page_fault(uint64_t addr, struct trap_frame *f)
{
	/* Every mapping here is writable and nothing is executable-protected,
	 * so a fault on a present page is a kernel bug, never lazy memory. */
	if (f->error & PF_PRESENT)
		return 0;
	if (addr >= LINEAR_BASE &&
	    addr - LINEAR_BASE < MEWZ_GUARD_RESERVATION) {
		if (addr - LINEAR_BASE < __wasm_memory_size) {
			commit(addr);
			return 1;
		}
		mewz_trap_report(MEWZ_TRAP_OOB_MEMORY, f->rip);
	}
	if (addr < STACK_TOP && addr >= STACK_TOP - stack_size) {
		commit(addr);
		return 1;
	}
	if (addr < STACK_TOP - stack_size &&
	    addr >= STACK_TOP - stack_size - STACK_GUARD_SIZE)
		mewz_trap_report(MEWZ_TRAP_STACK_EXHAUSTED, f->rip);
	if (addr >= HEAP_BASE && addr < heap_brk) {
		commit(addr);
		return 1;
	}
	return 0;
}

void *mem_boot_alloc(size_t len)
{
	uint64_t bytes =
	    ((uint64_t)len + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	/* From the first range with room: the bump pointer keeps it
	 * contiguous; frame_alloc simply continues after it. */
	for (uint32_t i = cur_range; i < nr_ranges; i++) {
		uint64_t pa = ranges[i].next;

		if (ranges[i].end - pa < bytes)
			continue;
		ranges[i].next += bytes;
		linear_limit = linear_limit > bytes ? linear_limit - bytes : 0;
		return (void *)(uintptr_t)pa;
	}
	return NULL;
}

uintptr_t mem_stack_top(void)
{
	return (uintptr_t)STACK_TOP;
}

void *mem_heap_sbrk(intptr_t incr)
{
	uint64_t old = heap_brk;

	if (incr < 0 && (uint64_t)-incr > heap_brk - HEAP_BASE)
		return (void *)-1;
	if (incr > 0 && (uint64_t)incr > HEAP_BASE + HEAP_MAX - heap_brk)
		return (void *)-1;
	heap_brk += (uint64_t)incr;
	return (void *)(uintptr_t)old;
}

uint64_t mewz_plat_memory_limit(void)
{
	return linear_limit;
}

/* Pages are committed on first touch (DESIGN): growing only moves the
 * bound that plat_page_fault checks, which the caller does by updating the
 * size. */
int mewz_plat_memory_resize(uint64_t old_bytes, uint64_t new_bytes)
{
	(void)old_bytes, (void)new_bytes;
	return 0;
}
