/*
 * mewz.h - internals of the `mewz` front-end (host/mewz).
 *
 * main.c     command line
 * build.c    wasm -> object (mewzc, cached) -> native executable or VM
 *            image (cached)
 * vm.c       running an image under QEMU (through qemu-run.sh)
 * wasminfo.c the module's initial memory size, read before compiling
 * imports.c  the object's imports against what the runtime defines
 * cache.c    the cache's size cap, LRU eviction, `mewz cache`
 * elfread.c  ELF objects and ar archives;  sha256.c  cache keys
 */
#ifndef MEWZ_FRONTEND_H
#define MEWZ_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* mewz's own failures (bad input, compile or link errors) exit with this. */
#define MEWZ_EXIT_TOOL 125
#define MEWZ_EXIT_USAGE 2

struct tools {
	char mewzc[4096];   /* the compiler */
	char runtime[4096]; /* libmewz-linux.a */
	char build[4096];   /* the build tree: guest/libmewz-guest.a, newlib/, ... */
	char guestlib[4096]; /* <build>/guest/libmewz-guest.a */
	char kvmdir[4096];  /* guest/plat/kvm: link.sh and qemu-run.sh */
	const char *cc;     /* the linker driver (clang-19 with lld) */
	char cache[4096];   /* cache root: objs/ and bins/ below it */
	bool verbose;
	/* mewzc options (-O2 unless given): part of the object's cache key. */
	const char *opt;    /* -O0..-O3 */
	const char *cpu;    /* --cpu=NAME, or NULL */
	const char *bounds; /* --bounds=guard|check, or NULL */
};

/* "16M", "1G", "65536" (bytes) -> bytes; 0 if malformed (main.c). */
uint64_t parse_size(const char *s);

/* Take a compiler option (-On, --cpu=, --bounds=) if arg is one. */
bool tools_compiler_option(struct tools *t, const char *arg);

/* Locate mewzc, the runtime and the cache (env overrides, else beside us). */
int tools_find(struct tools *t);

/* A module read into memory, its header checked. */
struct wasm_file {
	const char *path;
	uint8_t *bytes;
	size_t len;
	bool wat;      /* text format: mewzc parses it, we do not */
	bool has_pages; /* initial_pages is known (binary modules) */
	uint64_t initial_pages; /* memory 0's initial size, 64 KiB pages */
	bool uses_sockets; /* imports wasi_snapshot_preview1.sock_* */
};

/*
 * Read `path`; refuse a missing file and a binary without the \0asm magic
 * (".wat" files go to mewzc as they are).  Prints "mewz: ..." and returns
 * -1 on error.  wasm_file_free releases the bytes.
 */
int wasm_load(const char *path, struct wasm_file *w);
void wasm_file_free(struct wasm_file *w);

struct wasm_facts {
	bool has_memory;
	uint64_t initial_pages; /* memory 0's; 0 without a memory */
	bool uses_sockets;      /* imports any wasi_snapshot_preview1.sock_* */
};

/* What mewz needs to know before boot; -1 on a malformed module. */
int wasm_facts(const uint8_t *bytes, size_t len, struct wasm_facts *f);

/* Memory 0's initial pages (0 without a memory); -1 on a malformed module. */
int wasm_initial_pages(const uint8_t *bytes, size_t len, uint64_t *pages);

enum target {
	TARGET_NATIVE, /* a Linux executable on guest/plat/linux */
	TARGET_VM,     /* a PVH image for QEMU on libmewz-guest.a */
};

/*
 * Build `w` for `target`, reusing cached objects, executables and images;
 * the result's path goes to out.  Prints "mewz: ..." reasons on error and
 * returns -1.
 */
int build_program(const struct tools *t, enum target target, const struct wasm_file *w,
		  char *out, size_t outlen);

/*
 * Check obj's imports against the runtime archive (`what` names it in the
 * message); prints every problem and returns -1 if there is one.
 */
int imports_check(const char *wasm, const char *obj, const char *runtime, const char *what);

/* What `mewz run` (VM mode) passes to QEMU. */
struct vm_opts {
	const char *machine; /* microvm (default) or q35 */
	uint64_t memory;     /* guest RAM in bytes */
	const char *accel;   /* kvm, tcg or auto (default) */
	const char *timeout; /* seconds, "0" = none (default) */
	bool stdin_serial;   /* forward our stdin to the program's fd 0 */
	char **env;          /* K=V, NULL-terminated */
	bool net_lwip;       /* --net lwip: virtio-net + QEMU's user network */
	char **forwards;     /* -p HOST:GUEST (TCP, 127.0.0.1), NULL-terminated */
	const char *tap;     /* --tap IFNAME: an existing tap device instead */
	const char *ip;      /* --ip: the guest's ip= (default: DHCP) */
	char **extra;        /* more qemu-run.sh arguments (share.c), NULL-terminated */
};

/*
 * The guest RAM a program needs at the least: `pages` initial pages and
 * an image of `image` loaded bytes.
 */
uint64_t vm_memory_needed(uint64_t pages, uint64_t image);

/* 0 if qemu-system-x86_64 is on PATH, else prints why and returns -1. */
int vm_find_qemu(void);

/*
 * Boot `image` under QEMU with argv[0] = name and args (NULL-terminated);
 * replaces the process, so mewz exits with the program's status.  Returns
 * only on failure, after printing why.
 */
int vm_exec(const struct tools *t, const struct vm_opts *o, const char *image, const char *name,
	    char **args);

/* ---- cache.c: keeping the cache bounded ---------------------------------- */

struct cache_stats {
	uint64_t bytes; /* what stays */
	size_t entries; /* how many files stay */
	size_t evicted; /* how many went */
};

/* Mark a cache entry as used now (its mtime is its last use). */
int cache_touch(const char *path);

/* The cap: $MEWZ_CACHE_MAX (a size; 0 for none), else 1 GiB. */
uint64_t cache_max(void);

/*
 * Evict the least recently used entries of objs/, bins/ and elfs/ under
 * `cache` until they total at most max bytes, sparing those used in the
 * last `grace` seconds; their names/ links go with them.  0 or -1.
 */
int cache_prune(const char *cache, uint64_t max, int grace, struct cache_stats *st);

/* Remove every entry (and link), not newlib's directories.  0 or -1. */
int cache_clean(const char *cache, struct cache_stats *st);

/* After adding an entry: prune to the cap, sparing recent entries. */
int cache_prune_auto(const struct tools *t);

#endif /* MEWZ_FRONTEND_H */
