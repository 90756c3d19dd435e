/*
 * hashtable - an open-addressing hash table (linear probing, tombstones)
 * mapping 32-bit keys to values, driven by a random mix of inserts, lookups
 * and deletes; prints the hit count and a hash of the survivors.
 */
#include "bench.h"

#define CAP (1u << 20) /* slots; the live set stays under half of it */
#define EMPTY 0u
#define TOMB 1u

struct slot {
	uint32_t key; /* EMPTY, TOMB, or a key >= 2 */
	uint32_t val;
};

static struct slot table[CAP];
static uint32_t live;

static uint32_t hash32(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352d;
	k ^= k >> 15;
	k *= 0x846ca68b;
	k ^= k >> 16;
	return k;
}

static struct slot *find(uint32_t key)
{
	uint32_t i = hash32(key) & (CAP - 1);

	for (;; i = (i + 1) & (CAP - 1)) {
		if (table[i].key == key)
			return &table[i];
		if (table[i].key == EMPTY)
			return NULL;
	}
}

static void insert(uint32_t key, uint32_t val)
{
	uint32_t i = hash32(key) & (CAP - 1);
	struct slot *tomb = NULL;

	for (;; i = (i + 1) & (CAP - 1)) {
		if (table[i].key == key) {
			table[i].val = val;
			return;
		}
		if (table[i].key == TOMB && !tomb)
			tomb = &table[i];
		if (table[i].key == EMPTY)
			break;
	}
	if (!tomb)
		tomb = &table[i];
	tomb->key = key;
	tomb->val = val;
	live++;
}

static void erase(uint32_t key)
{
	struct slot *s = find(key);

	if (s) {
		s->key = TOMB;
		live--;
	}
}

/* Rebuild without tombstones, as a real table does when they pile up. */
static void rehash(void)
{
	static struct slot old[CAP];
	uint32_t i;

	memcpy(old, table, sizeof table);
	memset(table, 0, sizeof table);
	live = 0;
	for (i = 0; i < CAP; i++)
		if (old[i].key > TOMB)
			insert(old[i].key, old[i].val);
}

int main(int argc, char **argv)
{
	uint32_t ops = bench_reps(200, bench_scale(argc, argv)) * 100000, i;
	uint64_t h = BENCH_HASH_INIT, s = 77;
	uint32_t hits = 0;

	for (i = 0; i < ops; i++) {
		uint64_t x = bench_rand(&s);
		uint32_t key = 2 + (uint32_t)(x >> 40) % 400000;
		uint32_t what = (uint32_t)x & 7;
		if (what < 3) {
			insert(key, i);
		} else if (what < 7) {
			struct slot *sl = find(key);
			if (sl) {
				hits++;
				h = bench_mix(h, sl->val);
			}
		} else {
			erase(key);
		}
		if ((i & 0xfffff) == 0xfffff)
			rehash();
	}
	h = bench_mix(bench_mix(h, hits), live);
	bench_report("hashtable", h);
	return 0;
}
