/*
 * paging.c - 4-level page tables.  entry.S identity-maps 0..4 GiB with
 * 2 MiB pages; this file adds 4 KiB mappings elsewhere (the linear memory,
 * stack and heap regions live far above 4 GiB) and splits the first 2 MiB
 * so that page 0 is unmapped.
 *
 * Page-table frames come from the platform's allocator and must lie below
 * 4 GiB: they are written through the identity map.
 */
#include <string.h>

#include "arch.h"
#include "cpu.h"

#define PTE_P	 0x1ull
#define PTE_W	 0x2ull
#define PTE_PS	 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull

extern uint64_t boot_pml4[512];
extern uint64_t boot_pd[4 * 512];

static frame_alloc_fn frame_alloc;

void arch_paging_init(frame_alloc_fn alloc)
{
	frame_alloc = alloc;
}

/* The next-level table under *entry, created if absent; NULL on failure. */
static uint64_t *next_table(uint64_t *entry)
{
	uint64_t pa;

	if (*entry & PTE_P) {
		if (*entry & PTE_PS)
			return NULL;
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
	}
	pa = frame_alloc();
	if (!pa || pa >= (1ull << 32))
		return NULL;
	memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
	*entry = pa | PTE_P | PTE_W;
	return (uint64_t *)(uintptr_t)pa;
}

int arch_map_page(uint64_t va, uint64_t pa)
{
	uint64_t *pdpt, *pd, *pt;

	pdpt = next_table(&boot_pml4[(va >> 39) & 511]);
	if (!pdpt)
		return -1;
	pd = next_table(&pdpt[(va >> 30) & 511]);
	if (!pd)
		return -1;
	pt = next_table(&pd[(va >> 21) & 511]);
	if (!pt)
		return -1;
	pt[(va >> 12) & 511] = (pa & PTE_ADDR) | PTE_P | PTE_W;
	invlpg((uintptr_t)va);
	return 0;
}

void arch_unmap_null_page(void)
{
	uint64_t pa = frame_alloc();
	uint64_t *pt = (uint64_t *)(uintptr_t)pa;
	unsigned i;

	if (!pa || pa >= (1ull << 32))
		return;
	for (i = 0; i < 512; i++)
		pt[i] = (uint64_t)i * PAGE_SIZE | PTE_P | PTE_W;
	pt[0] = 0;
	boot_pd[0] = pa | PTE_P | PTE_W;
	write_cr3(read_cr3());
}
