/*
 * mem.c - storing results at guest pointers, each checked against the
 * current linear memory size first.
 */
#include <errno.h>

#include "wasi.h"

int wasi_store_u32(uint32_t ptr, uint32_t v)
{
	void *p = wasi_mem(ptr, 4);

	if (!p)
		return -EFAULT;
	wasi_put_u32(p, 0, v);
	return 0;
}

int wasi_store_u64(uint32_t ptr, uint64_t v)
{
	void *p = wasi_mem(ptr, 8);

	if (!p)
		return -EFAULT;
	wasi_put_u64(p, 0, v);
	return 0;
}
