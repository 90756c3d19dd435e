/*
 * build.c - wasm -> object -> executable or VM image, cached by content:
 *   <cache>/objs/<sha256(wasm bytes, flags, mewzc)>.o
 *   <cache>/bins/<sha256(object key, runtime library)>        (--native)
 *   <cache>/elfs/<sha256(object key, every file link.sh reads)>.elf
 *   <cache>/ids/<sha256(a file's path, inode, size, mtime, ctime)>: its bytes' SHA-256
 * The keys hash the bytes of the compiler, the runtime archives and the
 * link recipe (not their times: a rebuilt library that differs always
 * makes a new entry, one that does not reuses the old), so no stale
 * entry can outlive a rebuild.  Only newlib is taken by identity (see
 * image_inputs).  A cached file appears by rename only once complete, so
 * a crash or a concurrent run never sees half a file.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mewz.h"
#include "sha256.h"

/* Changed whenever what a key covers changes, so old entries never match. */
#define CACHE_KEY_VERSION "mewz-cache-2"

static void path_beside_self(char *out, size_t len, const char *rel)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		snprintf(out, len, "%s", rel);
		return;
	}
	self[n] = 0;
	snprintf(out, len, "%s/%s", dirname(self), rel);
}

bool tools_compiler_option(struct tools *t, const char *arg)
{
	if (!strcmp(arg, "-O0") || !strcmp(arg, "-O1") || !strcmp(arg, "-O2") || !strcmp(arg, "-O3"))
		t->opt = arg;
	else if (!strncmp(arg, "--cpu=", 6) && arg[6])
		t->cpu = arg;
	else if (!strcmp(arg, "--bounds=guard") || !strcmp(arg, "--bounds=check"))
		t->bounds = arg;
	else
		return false;
	return true;
}

int tools_find(struct tools *t)
{
	const char *e;

	t->opt = "-O2";
	if ((e = getenv("MEWZ_MEWZC")))
		snprintf(t->mewzc, sizeof(t->mewzc), "%s", e);
	else
		path_beside_self(t->mewzc, sizeof(t->mewzc), "mewzc");
	if ((e = getenv("MEWZ_LINUX_RUNTIME")))
		snprintf(t->runtime, sizeof(t->runtime), "%s", e);
	else
		path_beside_self(t->runtime, sizeof(t->runtime), "../guest/linux/libmewz-linux.a");
	/* mewz lives in <build>/bin; link.sh wants the whole build tree. */
	if ((e = getenv("MEWZ_BUILD")))
		snprintf(t->build, sizeof(t->build), "%s", e);
	else
		path_beside_self(t->build, sizeof(t->build), "..");
	snprintf(t->guestlib, sizeof(t->guestlib), "%.4000s/guest/libmewz-guest.a", t->build);
	if ((e = getenv("MEWZ_KVM_DIR")))
		snprintf(t->kvmdir, sizeof(t->kvmdir), "%s", e);
	else
		path_beside_self(t->kvmdir, sizeof(t->kvmdir), "../../guest/plat/kvm");
	t->cc = getenv("MEWZ_CC") ? getenv("MEWZ_CC") : "clang-19";
	if ((e = getenv("MEWZ_CACHE_DIR")))
		snprintf(t->cache, sizeof(t->cache), "%s", e);
	else if ((e = getenv("XDG_CACHE_HOME")) && *e)
		snprintf(t->cache, sizeof(t->cache), "%s/mewz", e);
	else if ((e = getenv("HOME")))
		snprintf(t->cache, sizeof(t->cache), "%s/.cache/mewz", e);
	else
		return -1;
	return 0;
}

static int mkdirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* Run argv, wait; its exit status, or -1 if it could not run. */
static int run_cmd(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "mewz: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void hash_str(struct sha256 *h, const char *s)
{
	s = s ? s : "";
	sha256_update(h, s, strlen(s) + 1);
}

static void hash_file_id(struct sha256 *h, const char *path, const struct stat *st)
{
	hash_str(h, path);
	sha256_update(h, &st->st_dev, sizeof(st->st_dev));
	sha256_update(h, &st->st_ino, sizeof(st->st_ino));
	sha256_update(h, &st->st_size, sizeof(st->st_size));
	sha256_update(h, &st->st_mtim, sizeof(st->st_mtim));
	sha256_update(h, &st->st_ctim, sizeof(st->st_ctim));
}

static int sha256_file(const char *path, char hex[65])
{
	uint8_t buf[1 << 16];
	struct sha256 h;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	sha256_init(&h);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sha256_update(&h, buf, n);
	n = (size_t)ferror(f);
	fclose(f);
	if (n)
		return -1;
	sha256_hex(&h, hex);
	return 0;
}

/* Hash a file's identity (see content_digest), not its bytes. */
static void hash_stat(struct sha256 *h, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		memset(&st, 0, sizeof(st));
	hash_file_id(h, path, &st);
}

/*
 * The SHA-256 of a file's bytes, remembered in <cache>/ids/ under its
 * identity (path, inode, size, mtime and ctime: any write changes ctime,
 * and nothing sets it back), so a run reads a few small files instead of
 * hashing megabytes, and a rebuilt file is hashed once.
 */
static int content_digest(const struct tools *t, const char *path, char hex[65])
{
	char id[65], memo[4400], tmp[4500];
	struct sha256 h;
	struct stat st;
	FILE *f;

	if (stat(path, &st))
		return -1;
	sha256_init(&h);
	hash_file_id(&h, path, &st);
	sha256_hex(&h, id);
	snprintf(memo, sizeof(memo), "%s/ids/%s", t->cache, id);
	if ((f = fopen(memo, "r"))) {
		size_t n = fread(hex, 1, 64, f);

		fclose(f);
		hex[64] = 0;
		if (n == 64 && strspn(hex, "0123456789abcdef") == 64)
			return 0;
	}
	if (sha256_file(path, hex))
		return -1;
	/* Remembered if we can; written whole, then renamed into place. */
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", memo, (int)getpid());
	if ((f = fopen(tmp, "w"))) {
		bool good = fwrite(hex, 1, 64, f) == 64;

		if (fclose(f) || !good || rename(tmp, memo))
			unlink(tmp);
	}
	return 0;
}

/*
 * Hash a file's bytes (through their digest); a file that cannot be read
 * hashes as such (an optional input that is missing is part of the key).
 */
static void hash_content(const struct tools *t, struct sha256 *h, const char *path)
{
	char hex[65];

	if (content_digest(t, path, hex))
		hash_str(h, "(missing)");
	else
		hash_str(h, hex);
}

int wasm_load(const char *path, struct wasm_file *w)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf;

	memset(w, 0, sizeof(*w));
	w->path = path;
	if (!f) {
		fprintf(stderr, "mewz: %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		uint8_t *b = realloc(buf, cap *= 2);
		if (!b)
			free(buf);
		buf = b;
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "mewz: %s: out of memory\n", path);
		return -1;
	}
	size_t pl = strlen(path);
	w->wat = pl > 4 && strcmp(path + pl - 4, ".wat") == 0;
	if (!w->wat && (n < 8 || memcmp(buf, "\0asm", 4))) {
		fprintf(stderr, "mewz: %s: not a WebAssembly binary (no \\0asm header)\n", path);
		free(buf);
		return -1;
	}
	w->bytes = buf;
	w->len = n;
	/* A malformed module is mewzc's to report, with its reason. */
	struct wasm_facts facts;
	if (!w->wat && wasm_facts(buf, n, &facts) == 0) {
		w->has_pages = true;
		w->initial_pages = facts.initial_pages;
		w->uses_sockets = facts.uses_sockets;
	}
	return 0;
}

void wasm_file_free(struct wasm_file *w)
{
	free(w->bytes);
	w->bytes = NULL;
}

static int compile(const struct tools *t, const char *wasm, const char *obj)
{
	char tmp[4200];
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", obj, (int)getpid());
	char *argv[8];
	int n = 0;
	argv[n++] = (char *)t->mewzc;
	argv[n++] = (char *)t->opt;
	if (t->cpu)
		argv[n++] = (char *)t->cpu;
	if (t->bounds)
		argv[n++] = (char *)t->bounds;
	argv[n++] = (char *)wasm;
	argv[n++] = "-o";
	argv[n++] = tmp;
	argv[n] = NULL;
	if (t->verbose)
		fprintf(stderr, "mewz: compiling %s -> %s\n", wasm, obj);
	rc = run_cmd(argv);
	if (rc) {
		unlink(tmp);
		fprintf(stderr, "mewz: mewzc failed on %s (exit %d)\n", wasm, rc);
		return -1;
	}
	if (rename(tmp, obj)) {
		fprintf(stderr, "mewz: %s: %s\n", obj, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int link_exe(const struct tools *t, const char *obj, const char *exe)
{
	char tmp[4200];
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", exe, (int)getpid());
	char *argv[] = {(char *)t->cc, "-fuse-ld=lld", "-no-pie", "-o", tmp, (char *)obj,
			(char *)t->runtime, "-lm", NULL};
	if (t->verbose)
		fprintf(stderr, "mewz: linking %s\n", exe);
	rc = run_cmd(argv);
	if (rc) {
		unlink(tmp);
		fprintf(stderr, "mewz: linking failed (exit %d)\n", rc);
		return -1;
	}
	if (rename(tmp, exe)) {
		fprintf(stderr, "mewz: %s: %s\n", exe, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * guest/plat/kvm/link.sh is the one recipe for an image (two links around
 * the embedded symbol table); it finds the guest library and newlib in
 * MEWZ_BUILD.
 */
static int link_image(const struct tools *t, const char *obj, const char *img)
{
	char tmp[4200], script[4200];
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d.elf", img, (int)getpid());
	snprintf(script, sizeof(script), "%s/link.sh", t->kvmdir);
	char *argv[] = {script, tmp, (char *)obj, NULL};
	if (t->verbose)
		fprintf(stderr, "mewz: linking %s\n", img);
	if (setenv("MEWZ_BUILD", t->build, 1))
		return -1;
	rc = run_cmd(argv);
	if (rc) {
		unlink(tmp);
		fprintf(stderr, "mewz: linking the VM image failed (exit %d)\n", rc);
		return -1;
	}
	if (rename(tmp, img)) {
		fprintf(stderr, "mewz: %s: %s\n", img, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * The files link.sh reads besides the object.  Each goes into the image
 * key; newlib (8 MiB, hashing it would cost tens of ms per run) by
 * identity: it changes only when build-newlib.sh builds a new one, into a
 * new cache directory.  The build-tree files marked required must exist
 * before building; lwIP is optional: link.sh adds it to programs with
 * sockets.
 */
static const struct {
	const char *path;
	bool in_kvmdir; /* else in the build tree */
	bool by_content;
	bool required; /* checked by check_tools */
} image_inputs[] = {
	{"guest/libmewz-guest.a", false, true, true},
	{"guest/liblwip.a", false, true, false},
	{"guest/mksymtab", false, true, true},
	{"guest/symtab-empty.o", false, true, true},
	{"newlib/lib/libc.a", false, false, true},
	{"newlib/lib/libm.a", false, false, true},
	{"link.sh", true, true, false}, /* checked as the linker script */
	{"kernel.ld", true, true, false},
	{"../../wasi/imports.def", true, true, false},
};

static int need(const char *path, int mode, const char *what)
{
	if (access(path, mode) == 0)
		return 0;
	fprintf(stderr, "mewz: %s %s: %s\n", what, path, strerror(errno));
	return -1;
}

static int check_tools(const struct tools *t, enum target target)
{
	char path[4400];

	if (need(t->mewzc, X_OK, "compiler"))
		return -1;
	if (target == TARGET_NATIVE)
		return need(t->runtime, R_OK, "runtime");
	for (size_t i = 0; i < sizeof(image_inputs) / sizeof(image_inputs[0]); i++) {
		if (!image_inputs[i].required)
			continue;
		snprintf(path, sizeof(path), "%s/%s", t->build, image_inputs[i].path);
		if (need(path, R_OK, "guest runtime file"))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/link.sh", t->kvmdir);
	return need(path, X_OK, "linker script");
}

static void object_key(const struct tools *t, const struct wasm_file *w, char key[65])
{
	struct sha256 h;

	sha256_init(&h);
	hash_str(&h, CACHE_KEY_VERSION);
	sha256_update(&h, w->bytes, w->len);
	/* Every compiler option, each with its NUL, and a mark for absent ones. */
	hash_str(&h, t->opt);
	hash_str(&h, t->cpu ? t->cpu : "-");
	hash_str(&h, t->bounds ? t->bounds : "-");
	hash_content(t, &h, t->mewzc);
	sha256_hex(&h, key);
}

static void program_key(const struct tools *t, enum target target, const char objkey[65],
			char key[65])
{
	char path[4400];
	struct sha256 h;

	sha256_init(&h);
	hash_str(&h, CACHE_KEY_VERSION);
	sha256_update(&h, objkey, 65);
	if (target == TARGET_NATIVE) {
		hash_content(t, &h, t->runtime);
		hash_str(&h, t->cc);
		sha256_hex(&h, key);
		return;
	}
	for (size_t i = 0; i < sizeof(image_inputs) / sizeof(image_inputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s",
			 image_inputs[i].in_kvmdir ? t->kvmdir : t->build, image_inputs[i].path);
		hash_str(&h, image_inputs[i].path);
		if (image_inputs[i].by_content)
			hash_content(t, &h, path);
		else
			hash_stat(&h, path);
	}
	/* link.sh's tools, which the environment may name. */
	hash_str(&h, getenv("CC"));
	hash_str(&h, getenv("LD"));
	hash_str(&h, getenv("NM"));
	sha256_hex(&h, key);
}

/* <cache>/<sub>, created if needed. */
static int cache_dir(const struct tools *t, const char *sub, char *dir, size_t len)
{
	snprintf(dir, len, "%s/%s", t->cache, sub);
	if (mkdirs(dir) == 0)
		return 0;
	fprintf(stderr, "mewz: %s: %s\n", dir, strerror(errno));
	return -1;
}

int build_program(const struct tools *t, enum target target, const struct wasm_file *w,
		  char *out, size_t outlen)
{
	char objkey[65], key[65], dir[4200], obj[4400];
	bool vm = target == TARGET_VM;

	if (check_tools(t, target))
		return -1;
	/* Remembered digests are optional: without ids/, files are hashed. */
	snprintf(dir, sizeof(dir), "%s/ids", t->cache);
	mkdirs(dir);
	object_key(t, w, objkey);
	program_key(t, target, objkey, key);
	if (cache_dir(t, "objs", dir, sizeof(dir)))
		return -1;
	snprintf(obj, sizeof(obj), "%s/%s.o", dir, objkey);
	/* A hit is touched: its mtime is its last use (cache.c); a cache we
	 * may not write to is still read. */
	if (access(obj, R_OK) == 0) {
		cache_touch(obj);
		if (t->verbose)
			fprintf(stderr, "mewz: cached object %s\n", obj);
	} else if (compile(t, w->path, obj)) {
		return -1;
	}
	if (imports_check(w->path, obj, vm ? t->guestlib : t->runtime,
			  vm ? "the guest kernel" : "the Linux runtime"))
		return -1;
	if (cache_dir(t, vm ? "elfs" : "bins", dir, sizeof(dir)))
		return -1;
	snprintf(out, outlen, "%s/%s%s", dir, key, vm ? ".elf" : "");
	if (access(out, R_OK) == 0) {
		cache_touch(out);
		if (t->verbose)
			fprintf(stderr, "mewz: cached %s %s\n", vm ? "image" : "executable", out);
		return 0;
	}
	if (vm ? link_image(t, obj, out) : link_exe(t, obj, out))
		return -1;
	/* Something was added: keep the cache under its cap.  A failure
	 * here costs disk space, not this run. */
	cache_prune_auto(t);
	return 0;
}
