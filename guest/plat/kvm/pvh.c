/*
 * pvh.c - translate the PVH hvm_start_info (Xen's public/arch-x86/
 * hvm/start_info.h layout, which QEMU fills for -kernel) into struct
 * bootinfo.
 */
#include <string.h>

#include "kvm.h"

#define PVH_MAGIC      0x336ec578u
#define PVH_MEMMAP_RAM 1

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

int pvh_parse(uint32_t start_info_pa, struct bootinfo *bi)
{
	const struct hvm_start_info *si =
	    (const void *)(uintptr_t)start_info_pa;
	const struct hvm_memmap_entry *mm;
	uint32_t i;

	memset(bi, 0, sizeof(*bi));
	bi->magic = BOOTINFO_MAGIC;
	bi->version = BOOTINFO_VERSION;
	bi->cmdline = "";
	if (!si || si->magic != PVH_MAGIC)
		return -1;
	if (si->cmdline_paddr && si->cmdline_paddr < (1ull << 32))
		bi->cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
	/* Version 0 has no memory map; QEMU always gives version 1. */
	if (si->version < 1 || !si->memmap_paddr)
		return -1;
	mm = (const void *)(uintptr_t)si->memmap_paddr;
	for (i = 0; i < si->memmap_entries && bi->nr_ram < BOOTINFO_MAX_RAM;
	     i++) {
		if (mm[i].type != PVH_MEMMAP_RAM || mm[i].size == 0)
			continue;
		bi->ram[bi->nr_ram].start = mm[i].addr;
		bi->ram[bi->nr_ram].end = mm[i].addr + mm[i].size;
		bi->nr_ram++;
	}
	return 0;
}
