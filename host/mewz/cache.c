/*
 * cache.c - keeping the cache (build.c fills it) bounded.
 *
 * Entries are the files in objs/, bins/, elfs/ and ids/ (remembered
 * digests, build.c); names/<key>/ holds the
 * argv[0] symlinks of image <key> (vm.c).  An entry's mtime is the time
 * it was last used (build.c touches it on every hit), so evicting the
 * oldest mtimes first is least-recently-used.  The newlib-<key>
 * directories (the guest's libc, which build trees link to) are never
 * touched.
 *
 * After a run that added an entry, the cache is pruned to its cap
 * ($MEWZ_CACHE_MAX, default 1G; 0: no cap), sparing entries used in the
 * last CACHE_GRACE seconds: a concurrent mewz may be about to link or
 * boot one of those.  `mewz cache clean` removes every entry.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mewz.h"

#define CACHE_DEFAULT_MAX (1ull << 30)
#define CACHE_GRACE 600 /* seconds */
/* Leftovers of a crashed compile or link (<entry>.tmp.<pid>...). */
#define CACHE_TMP_AGE 3600 /* seconds */

static const char *const entry_dirs[] = {"objs", "bins", "elfs", "ids"};

struct entry {
	char path[4400];
	uint64_t size;
	time_t used;
};

struct entries {
	struct entry *v;
	size_t n, cap;
	uint64_t total;
};

int cache_touch(const char *path)
{
	return utimensat(AT_FDCWD, path, NULL, 0);
}

uint64_t cache_max(void)
{
	const char *e = getenv("MEWZ_CACHE_MAX");

	if (!e || !*e)
		return CACHE_DEFAULT_MAX;
	if (!strcmp(e, "0"))
		return UINT64_MAX;
	uint64_t v = parse_size(e);

	return v ? v : CACHE_DEFAULT_MAX;
}

static int entries_add(struct entries *es, const char *path, const struct stat *st)
{
	if (es->n == es->cap) {
		size_t cap = es->cap ? es->cap * 2 : 256;
		struct entry *v = realloc(es->v, cap * sizeof(*v));

		if (!v)
			return -1;
		es->v = v;
		es->cap = cap;
	}
	struct entry *e = &es->v[es->n++];

	snprintf(e->path, sizeof(e->path), "%s", path);
	e->size = (uint64_t)st->st_size;
	e->used = st->st_mtim.tv_sec;
	es->total += e->size;
	return 0;
}

static bool is_tmp(const char *name)
{
	return strstr(name, ".tmp.") != NULL;
}

/*
 * Every entry of the cache into es; temporary files are removed when
 * older than CACHE_TMP_AGE (or always, with all_tmp) and not listed.
 */
static int entries_scan(const char *cache, struct entries *es, bool all_tmp)
{
	time_t now = time(NULL);
	char dir[4200], path[4400];

	for (size_t i = 0; i < sizeof(entry_dirs) / sizeof(entry_dirs[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", cache, entry_dirs[i]);
		DIR *d = opendir(dir);
		struct dirent *de;

		if (!d)
			continue; /* not made yet */
		while ((de = readdir(d))) {
			struct stat st;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			if (lstat(path, &st) || !S_ISREG(st.st_mode))
				continue;
			if (is_tmp(de->d_name)) {
				if (all_tmp || now - st.st_mtim.tv_sec > CACHE_TMP_AGE)
					unlink(path);
				continue;
			}
			if (entries_add(es, path, &st)) {
				closedir(d);
				return -1;
			}
		}
		closedir(d);
	}
	return 0;
}

static int by_use(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->used < y->used ? -1 : x->used > y->used;
}

/* names/<key>/ whose elfs/<key>.elf is gone: its symlinks and itself. */
static void names_sweep(const char *cache, bool all)
{
	char dir[4200], sub[4400], file[8800];
	DIR *d, *s;
	struct dirent *de, *se;

	snprintf(dir, sizeof(dir), "%s/names", cache);
	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/elfs/%s.elf", cache, de->d_name);
		if (!all && access(file, F_OK) == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if ((s = opendir(sub))) {
			while ((se = readdir(s)))
				if (se->d_name[0] != '.') {
					snprintf(file, sizeof(file), "%s/%s", sub, se->d_name);
					unlink(file);
				}
			closedir(s);
		}
		rmdir(sub);
	}
	closedir(d);
}

int cache_prune(const char *cache, uint64_t max, int grace, struct cache_stats *out)
{
	struct entries es = {0};
	time_t now = time(NULL);
	struct cache_stats st = {0};

	if (entries_scan(cache, &es, false)) {
		free(es.v);
		return -1;
	}
	qsort(es.v, es.n, sizeof(es.v[0]), by_use);
	st.bytes = es.total;
	st.entries = es.n;
	for (size_t i = 0; i < es.n && st.bytes > max; i++) {
		if (now - es.v[i].used < grace)
			break; /* the rest are newer still */
		if (unlink(es.v[i].path) && errno != ENOENT)
			continue;
		st.bytes -= es.v[i].size;
		st.entries--;
		st.evicted++;
	}
	free(es.v);
	if (st.evicted)
		names_sweep(cache, false);
	if (out)
		*out = st;
	return 0;
}

int cache_clean(const char *cache, struct cache_stats *out)
{
	struct entries es = {0};
	struct cache_stats st = {0};

	if (entries_scan(cache, &es, true)) {
		free(es.v);
		return -1;
	}
	for (size_t i = 0; i < es.n; i++) {
		if (unlink(es.v[i].path) && errno != ENOENT) {
			st.bytes += es.v[i].size;
			st.entries++;
			continue;
		}
		st.evicted++;
	}
	free(es.v);
	names_sweep(cache, true);
	if (out)
		*out = st;
	return 0;
}

int cache_prune_auto(const struct tools *t)
{
	struct cache_stats st;

	if (cache_prune(t->cache, cache_max(), CACHE_GRACE, &st))
		return -1;
	if (t->verbose && st.evicted)
		fprintf(stderr, "mewz: cache over its cap: %zu least recently used entries evicted\n",
			st.evicted);
	return 0;
}
