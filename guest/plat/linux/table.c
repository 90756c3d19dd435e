/*
 * table.c - table.grow.  The compiled module may start a table with element
 * storage it owns (static data) or with none; only arrays this file
 * allocated are ever reallocated or freed, so each grown table is
 * remembered with the array it got from us.
 */
#include <stdlib.h>
#include <string.h>

#include "linux_rt.h"

struct table_alloc {
	struct table_alloc *next;
	mewz_table_t *table;
	void **elems; /* what we last gave this table */
};

static struct table_alloc *table_allocs;

static struct table_alloc *table_alloc_find(mewz_table_t *t)
{
	for (struct table_alloc *a = table_allocs; a; a = a->next)
		if (a->table == t)
			return a;
	return NULL;
}

int32_t mewz_linux_table_grow(mewz_table_t *t, uint32_t delta, void *init)
{
	uint64_t old = t->size, n = old + delta;
	struct table_alloc *a;
	void **elems;

	if (n > t->max || n > MEWZ_LINUX_TABLE_LIMIT)
		return -1;
	if (delta == 0)
		return (int32_t)old;
	a = table_alloc_find(t);
	if (a && a->elems == t->elems) {
		elems = realloc(t->elems, n * sizeof(void *));
	} else {
		/* Storage we do not own: copy it, never free it. */
		elems = malloc(n * sizeof(void *));
		if (elems && old)
			memcpy(elems, t->elems, old * sizeof(void *));
	}
	if (!elems)
		return -1;
	if (!a) {
		a = calloc(1, sizeof(*a));
		if (!a) {
			free(elems);
			return -1;
		}
		a->table = t;
		a->next = table_allocs;
		table_allocs = a;
	}
	for (uint64_t i = old; i < n; i++)
		elems[i] = init;
	a->elems = elems;
	t->elems = elems;
	t->size = (uint32_t)n;
	return (int32_t)old;
}

void mewz_linux_table_free(mewz_table_t *t)
{
	for (struct table_alloc **pp = &table_allocs; *pp; pp = &(*pp)->next) {
		struct table_alloc *a = *pp;
		if (a->table != t)
			continue;
		if (a->elems == t->elems) {
			free(t->elems);
			t->elems = NULL;
			t->size = 0;
		}
		*pp = a->next;
		free(a);
		return;
	}
}
