/*
 * mewz.h - internals of the `mewz` front-end (host/mewz).
 *
 * main.c     command line, running the program
 * build.c    wasm -> object (mewzc, cached) -> native executable (cached)
 * imports.c  the object's imports against what the runtime defines
 * elfread.c  ELF objects and ar archives;  sha256.c  cache keys
 */
#ifndef MEWZ_FRONTEND_H
#define MEWZ_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>

/* mewz's own failures (bad input, compile or link errors) exit with this. */
#define MEWZ_EXIT_TOOL 125
#define MEWZ_EXIT_USAGE 2

struct tools {
	char mewzc[4096];   /* the compiler */
	char runtime[4096]; /* libmewz-linux.a */
	const char *cc;     /* the linker driver (clang-19 with lld) */
	char cache[4096];   /* cache root: objs/ and bins/ below it */
	bool verbose;
	/* mewzc options (-O2 unless given): part of the object's cache key. */
	const char *opt;    /* -O0..-O3 */
	const char *cpu;    /* --cpu=NAME, or NULL */
	const char *bounds; /* --bounds=guard|check, or NULL */
};

/* Take a compiler option (-On, --cpu=, --bounds=) if arg is one. */
bool tools_compiler_option(struct tools *t, const char *arg);

/* Locate mewzc, the runtime and the cache (env overrides, else beside us). */
int tools_find(struct tools *t);

/*
 * Build `wasm` into a native executable, reusing cached objects and
 * executables; its path goes to exe.  Prints "mewz: ..." reasons on error
 * and returns -1.
 */
int build_native(const struct tools *t, const char *wasm, char *exe, size_t exelen);

/* Check obj's imports against the runtime archive; prints every problem. */
int imports_check(const char *wasm, const char *obj, const char *runtime);

#endif /* MEWZ_FRONTEND_H */
