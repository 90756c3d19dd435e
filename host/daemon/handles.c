/* The handle table: a growable array, lowest free slot first. */
#include "handles.h"

#include <stdlib.h>
#include <unistd.h>

#include "proto.h"

void htab_init(struct mh_htab *t, uint32_t max)
{
	t->slot = NULL;
	t->cap = 0;
	t->used = 0;
	t->max = max;
}

void htab_destroy(struct mh_htab *t)
{
	for (uint32_t i = 0; i < t->cap; i++) {
		if (t->slot[i] != NULL)
			handle_put(t->slot[i]);
	}
	free(t->slot);
	t->slot = NULL;
	t->cap = t->used = 0;
}

static uint32_t htab_grow(struct mh_htab *t)
{
	uint32_t ncap = t->cap ? t->cap * 2 : 16;

	if (ncap > t->max)
		ncap = t->max;
	struct mh_handle **n = realloc(t->slot, ncap * sizeof(*n));

	if (n == NULL)
		return PROTO_WASI_ENOMEM;
	for (uint32_t i = t->cap; i < ncap; i++)
		n[i] = NULL;
	t->slot = n;
	t->cap = ncap;
	return 0;
}

uint32_t htab_insert(struct mh_htab *t, int fd, uint8_t filetype, uint64_t rb,
		     uint64_t ri, const struct mh_share *share, bool local,
		     uint32_t *id)
{
	if (t->used >= t->max)
		return PROTO_WASI_EMFILE;
	if (t->used == t->cap) {
		uint32_t err = htab_grow(t);

		if (err)
			return err;
	}
	struct mh_handle *h = malloc(sizeof(*h));

	if (h == NULL)
		return PROTO_WASI_ENOMEM;
	h->fd = fd;
	h->refs = 1;
	h->filetype = filetype;
	h->rb = rb;
	h->ri = ri;
	h->share = share;
	h->local = local;
	for (uint32_t i = 0; i < t->cap; i++) {
		if (t->slot[i] == NULL) {
			t->slot[i] = h;
			t->used++;
			*id = i;
			return 0;
		}
	}
	/* used < cap guarantees a free slot. */
	free(h);
	return PROTO_WASI_EIO;
}

struct mh_handle *htab_get(struct mh_htab *t, uint64_t id)
{
	if (id >= t->cap || t->slot[id] == NULL)
		return NULL;
	t->slot[id]->refs++;
	return t->slot[id];
}

struct mh_handle *htab_take(struct mh_htab *t, uint64_t id)
{
	if (id >= t->cap || t->slot[id] == NULL)
		return NULL;
	struct mh_handle *h = t->slot[id];

	t->slot[id] = NULL;
	t->used--;
	return h;
}

void handle_put(struct mh_handle *h)
{
	if (--h->refs != 0)
		return;
	close(h->fd);
	free(h);
}
