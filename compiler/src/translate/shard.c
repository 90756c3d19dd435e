/*
 * shard.c - mz_translate(): split the defined functions into shards by
 * code size (MZ_SHARD_CODE_BUDGET bytes each, so boundaries depend on the
 * module alone), translate and compile each shard on a worker thread with
 * its own LLVM context, and merge the objects in shard order.  `-j` only
 * sets the number of threads, so the output is the same at any -j.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xlate.h"

typedef struct shard {
	uint32_t begin, end; /* defined function indices [begin, end) */
	void *obj;
	size_t len;
	bool ok;
	mz_error err;
} shard;

typedef struct job {
	const mz_module *m;
	const mz_xopts *o;
	shard *shards;
	uint32_t nshards;
	uint32_t next; /* guarded by lock */
	pthread_mutex_t lock;
} job;

static pthread_once_t llvm_once = PTHREAD_ONCE_INIT;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void compile_shard(job *j, uint32_t i)
{
	shard *s = &j->shards[i];
	xmod xm;
	bool ok =
	    x_mod_init(&xm, j->m, j->o, i, j->nshards, s->begin, s->end) &&
	    x_setup_target(&xm);
	if (ok && xm.owns_module_data)
		ok = x_emit_module_data(&xm);
	for (uint32_t f = s->begin; ok && f < s->end; f++)
		ok = x_translate_function(&xm, f);
	if (ok)
		ok = x_emit_exports(&xm);
	if (ok)
		ok = x_optimize_and_emit(&xm, &s->obj, &s->len);
	s->ok = ok;
	if (!ok)
		s->err = xm.err;
	x_mod_free(&xm);
}

static void *worker(void *arg)
{
	job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->lock);
		uint32_t i = j->next < j->nshards ? j->next++ : UINT32_MAX;
		pthread_mutex_unlock(&j->lock);
		if (i == UINT32_MAX)
			return NULL;
		compile_shard(j, i);
	}
}

/*
 * Every shard runs on a worker thread with the same, large stack (LLVM
 * recurses on deeply nested code), so -j1 and -jN behave alike.  If no
 * thread can be created the calling thread does the work.
 */
#define X_WORKER_STACK ((size_t)256 << 20)

static void run_workers(job *j, unsigned nthreads)
{
	pthread_t *tids = calloc(nthreads, sizeof *tids);
	pthread_attr_t attr;
	unsigned started = 0;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, X_WORKER_STACK);
	for (unsigned i = 0; tids && i < nthreads; i++) {
		if (pthread_create(&tids[started], &attr, worker, j) != 0)
			break;
		started++;
	}
	pthread_attr_destroy(&attr);
	if (started == 0)
		worker(j);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
}

/* Shard boundaries: a new shard when the budget of code bytes is spent. */
static shard *plan_shards(const mz_module *m, uint32_t *n)
{
	uint32_t cap = 8, count = 0;
	shard *s = calloc(cap, sizeof *s);
	if (!s)
		return NULL;
	uint64_t used = 0;
	s[0].begin = m->num_func_imports;
	for (uint32_t f = m->num_func_imports; f < m->num_funcs; f++) {
		if (used > 0 &&
		    used + m->funcs[f].code_len > MZ_SHARD_CODE_BUDGET) {
			s[count].end = f;
			if (++count == cap) {
				cap *= 2;
				shard *ns = realloc(s, cap * sizeof *s);
				if (!ns) {
					free(s);
					return NULL;
				}
				s = ns;
			}
			memset(&s[count], 0, sizeof *s);
			s[count].begin = f;
			used = 0;
		}
		used += m->funcs[f].code_len;
	}
	s[count].end = m->num_funcs;
	*n = count + 1;
	return s;
}

/* Names that start with "__wasm" are ours (abi.h "Symbols"). */
static bool check_import_names(const mz_module *m, mz_error *err)
{
	for (uint32_t i = 0; i < m->num_imports; i++) {
		const mz_name *mn = &m->imports[i].module;
		if (mn->len >= 6 && memcmp(mn->ptr, "__wasm", 6) == 0) {
			snprintf(err->msg, sizeof err->msg,
				 "unsupported: import module name \"%.*s\" "
				 "uses the reserved prefix __wasm",
				 (int)(mn->len > 60 ? 60 : mn->len), mn->ptr);
			err->offset = 0;
			err->unsupported = true;
			return false;
		}
	}
	return true;
}

static unsigned thread_count(const mz_xopts *o, uint32_t nshards)
{
	/* The cores this process may run on (affinity, e.g. taskset). */
	cpu_set_t set;
	long cores = sched_getaffinity(0, sizeof set, &set) == 0
			     ? CPU_COUNT(&set)
			     : sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = o->jobs ? o->jobs : (unsigned)(cores > 0 ? cores : 1);
	return n < nshards ? n : nshards;
}

bool mz_translate(const mz_module *m, const mz_xopts *o, const char *out_path,
		  mz_error *err)
{
	memset(err, 0, sizeof *err);
	if (!check_import_names(m, err))
		return false;
	pthread_once(&llvm_once, x_init_llvm);
	job j;
	memset(&j, 0, sizeof j);
	j.m = m;
	j.o = o;
	j.shards = plan_shards(m, &j.nshards);
	if (!j.shards) {
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return false;
	}
	pthread_mutex_init(&j.lock, NULL);
	unsigned nthreads = thread_count(o, j.nshards);
	if (o->verbose)
		fprintf(stderr, "mewzc: %u functions, %u shards, %u threads\n",
			m->num_funcs - m->num_func_imports, j.nshards,
			nthreads);
	double t0 = now_ms();
	run_workers(&j, nthreads);
	pthread_mutex_destroy(&j.lock);

	bool ok = true;
	for (uint32_t i = 0; i < j.nshards && ok; i++) {
		if (!j.shards[i].ok) {
			*err = j.shards[i].err;
			ok = false;
		}
	}
	void **objs = calloc(j.nshards, sizeof *objs);
	size_t *lens = calloc(j.nshards, sizeof *lens);
	if (ok && (!objs || !lens)) {
		snprintf(err->msg, sizeof err->msg, "out of memory");
		ok = false;
	}
	for (uint32_t i = 0; ok && i < j.nshards; i++) {
		objs[i] = j.shards[i].obj;
		lens[i] = j.shards[i].len;
	}
	double t1 = now_ms();
	if (ok)
		ok = x_merge_objects(objs, lens, j.nshards, out_path, err);
	if (o->verbose)
		fprintf(stderr, "mewzc: shards %.0f ms, merge %.0f ms\n",
			t1 - t0, now_ms() - t1);
	for (uint32_t i = 0; i < j.nshards; i++)
		free(j.shards[i].obj);
	free(objs);
	free(lens);
	free(j.shards);
	return ok;
}
