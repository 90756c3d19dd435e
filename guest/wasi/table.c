/*
 * table.c - __wasm_table_grow.  A table starts as {NULL, 0, max} and
 * __wasm_init grows it to its minimum (abi.h), so its element array is
 * always this runtime's own allocation.
 *
 * Most programs have one small table, sized once by __wasm_init.  Its
 * elements come from a static arena, so a short program starts without
 * touching the heap: under TCG, translating malloc and taking the heap's
 * first page fault is a visible part of a boot.  A table that outgrows
 * its place in the arena moves to the heap for good; arena space is never
 * reused (tables are never freed).
 */
#include <stdlib.h>
#include <string.h>

#include <mewz/abi.h>

#include "wasi.h"

#define TABLE_ARENA_SLOTS 512

static void *arena[TABLE_ARENA_SLOTS];
static size_t arena_used;

static int in_arena(void *const *p)
{
	return p >= arena && p < arena + TABLE_ARENA_SLOTS;
}

/* Room for new_size elements, the first old_size of `old` kept. */
static void **table_realloc(void **old, uint32_t old_size, uint64_t new_size)
{
	size_t room = TABLE_ARENA_SLOTS - arena_used;
	void **p;

	if (!old && new_size <= room) {
		p = arena + arena_used;
		arena_used += new_size;
		return p;
	}
	if (!in_arena(old))
		return realloc(old, (size_t)new_size * sizeof(void *));
	/* The arena's last block grows in place while the arena lasts. */
	if (old + old_size == arena + arena_used && new_size - old_size <= room) {
		arena_used += new_size - old_size;
		return old;
	}
	p = malloc((size_t)new_size * sizeof(void *));
	if (p)
		memcpy(p, old, (size_t)old_size * sizeof(void *));
	return p;
}

int table_on_heap(const struct mewz_table *t)
{
	return t->elems && !in_arena(t->elems);
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
	elems = table_realloc(t->elems, old, new_size);
	if (!elems)
		return -1;
	for (i = old; i < new_size; i++)
		elems[i] = init;
	t->elems = elems;
	t->size = (uint32_t)new_size;
	return (int32_t)old;
}
