/*
 * table.c - __wasm_table_grow.  A table starts as {NULL, 0, max} and
 * __wasm_init grows it to its minimum (abi.h), so its element array is
 * always this runtime's own heap allocation and growth is a realloc.
 */
#include <stdlib.h>

#include <mewz/abi.h>

#include "wasi.h"

int32_t __wasm_table_grow(mewz_table_t *t, uint32_t delta, void *init);
int32_t __wasm_table_grow(mewz_table_t *t, uint32_t delta, void *init)
{
	uint32_t old = t->size;
	uint64_t new_size = (uint64_t)old + delta;
	void **elems;
	uint64_t i;

	if (delta == 0)
		return (int32_t)old;
	/* Sizes are i32 results: keep them below 2^31 so -1 stays failure. */
	if (new_size > t->max || new_size > INT32_MAX)
		return -1;
	elems = realloc(t->elems, (size_t)new_size * sizeof(void *));
	if (!elems)
		return -1;
	for (i = old; i < new_size; i++)
		elems[i] = init;
	t->elems = elems;
	t->size = (uint32_t)new_size;
	return (int32_t)old;
}
