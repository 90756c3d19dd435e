/*
 * table.c - __wasm_table_grow.  A table's first element array is the
 * module's own (static) storage; the first growth moves it to the heap,
 * later ones realloc.  The runtime remembers which arrays it owns.
 */
#include <stdlib.h>

#include <mewz/abi.h>

#include "wasi.h"

/* Modules have few tables; growth beyond this many tables fails (-1). */
#define TABLE_OWNED_MAX 16

static void **owned[TABLE_OWNED_MAX];

static int owned_index(void **elems)
{
	int i;

	for (i = 0; i < TABLE_OWNED_MAX; i++)
		if (owned[i] && owned[i] == elems)
			return i;
	return -1;
}

static void **table_realloc(mewz_table_t *t, uint32_t new_size)
{
	int i = owned_index(t->elems);
	void **elems;

	if (i >= 0) {
		elems = realloc(t->elems, (size_t)new_size * sizeof(void *));
		if (elems)
			owned[i] = elems;
		return elems;
	}
	for (i = 0; i < TABLE_OWNED_MAX && owned[i]; i++)
		;
	if (i == TABLE_OWNED_MAX)
		return NULL;
	elems = malloc((size_t)new_size * sizeof(void *));
	if (!elems)
		return NULL;
	if (t->size)
		memcpy(elems, t->elems, (size_t)t->size * sizeof(void *));
	owned[i] = elems;
	return elems;
}

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
	elems = table_realloc(t, (uint32_t)new_size);
	if (!elems)
		return -1;
	for (i = old; i < new_size; i++)
		elems[i] = init;
	t->elems = elems;
	t->size = (uint32_t)new_size;
	return (int32_t)old;
}
