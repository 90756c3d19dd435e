/*
 * memory.c - the linear memory's size: initial sizing and memory.grow.
 * The platform owns the address space (mewz_plat_memory_resize); this file
 * owns the rules: the module's maximum, the 4 GiB index space and the
 * platform's limit (the VM's RAM).
 */
#include <errno.h>

#include <mewz/abi.h>
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "wasi.h"

extern const uint32_t __wasm_memory_initial_pages;
extern const uint32_t __wasm_memory_max_pages;
extern const uint32_t __wasm_memory_flags;

/* Can the memory be pages long?  Not past either maximum or the RAM. */
static int memory_allowed(uint64_t pages)
{
	uint64_t max = __wasm_memory_max_pages;

	if (!(__wasm_memory_flags & MEWZ_MEMORY_PRESENT))
		return 0;
	if (max > MEWZ_MAX_PAGES)
		max = MEWZ_MAX_PAGES;
	return pages <= max &&
	       pages * MEWZ_PAGE_SIZE <= mewz_plat_memory_limit();
}

int mewz_memory_init(void)
{
	uint64_t pages = __wasm_memory_initial_pages;
	int rc;

	if (!(__wasm_memory_flags & MEWZ_MEMORY_PRESENT) || pages == 0)
		return 0;
	if (!memory_allowed(pages))
		return -ENOMEM;
	rc = mewz_plat_memory_resize(0, pages * MEWZ_PAGE_SIZE);
	if (rc < 0)
		return rc;
	__wasm_memory_size = pages * MEWZ_PAGE_SIZE;
	return 0;
}

int32_t __wasm_memory_grow(uint32_t delta);
int32_t __wasm_memory_grow(uint32_t delta)
{
	uint64_t old_pages = __wasm_memory_size / MEWZ_PAGE_SIZE;
	uint64_t new_pages = old_pages + delta;

	if (delta == 0)
		return (int32_t)old_pages;
	if (!memory_allowed(new_pages))
		return -1;
	if (mewz_plat_memory_resize(__wasm_memory_size,
				    new_pages * MEWZ_PAGE_SIZE) < 0)
		return -1;
	__wasm_memory_size = new_pages * MEWZ_PAGE_SIZE;
	return (int32_t)old_pages;
}
