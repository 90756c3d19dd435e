/*
 * build.c - wasm -> object -> executable, both cached by content:
 *   <cache>/objs/<sha256(wasm bytes, flags, compiler)>.o
 *   <cache>/bins/<sha256(object key, runtime library)>
 * A cached file appears by rename only once complete, so a crash or a
 * concurrent run never sees half a file.
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

/* Hash a file's identity (size and modification time), not its bytes. */
static void hash_stat(struct sha256 *h, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		memset(&st, 0, sizeof(st));
	sha256_update(h, &st.st_size, sizeof(st.st_size));
	sha256_update(h, &st.st_mtim, sizeof(st.st_mtim));
	sha256_update(h, path, strlen(path) + 1);
}

static int read_wasm(const char *wasm, uint8_t **data, size_t *len)
{
	FILE *f = fopen(wasm, "rb");
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf;

	if (!f) {
		fprintf(stderr, "mewz: %s: %s\n", wasm, strerror(errno));
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
		fprintf(stderr, "mewz: %s: out of memory\n", wasm);
		return -1;
	}
	size_t wl = strlen(wasm);
	bool wat = wl > 4 && strcmp(wasm + wl - 4, ".wat") == 0;
	if (!wat && (n < 8 || memcmp(buf, "\0asm", 4))) {
		fprintf(stderr, "mewz: %s: not a WebAssembly binary (no \\0asm header)\n", wasm);
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
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

int build_native(const struct tools *t, const char *wasm, char *exe, size_t exelen)
{
	char objkey[65], exekey[65], dir[4200], obj[4400];
	struct sha256 h;
	uint8_t *bytes;
	size_t len;

	if (read_wasm(wasm, &bytes, &len))
		return -1;
	if (access(t->mewzc, X_OK)) {
		fprintf(stderr, "mewz: compiler %s: %s\n", t->mewzc, strerror(errno));
		free(bytes);
		return -1;
	}
	if (access(t->runtime, R_OK)) {
		fprintf(stderr, "mewz: runtime %s: %s\n", t->runtime, strerror(errno));
		free(bytes);
		return -1;
	}
	sha256_init(&h);
	sha256_update(&h, bytes, len);
	/* Every compiler option, each with its NUL, and a mark for absent ones. */
	sha256_update(&h, t->opt, strlen(t->opt) + 1);
	sha256_update(&h, t->cpu ? t->cpu : "-", strlen(t->cpu ? t->cpu : "-") + 1);
	sha256_update(&h, t->bounds ? t->bounds : "-", strlen(t->bounds ? t->bounds : "-") + 1);
	hash_stat(&h, t->mewzc);
	sha256_hex(&h, objkey);
	free(bytes);
	sha256_init(&h);
	sha256_update(&h, objkey, sizeof(objkey));
	hash_stat(&h, t->runtime);
	sha256_hex(&h, exekey);

	snprintf(dir, sizeof(dir), "%s/objs", t->cache);
	if (mkdirs(dir)) {
		fprintf(stderr, "mewz: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(obj, sizeof(obj), "%s/%s.o", dir, objkey);
	if (access(obj, R_OK) == 0) {
		if (t->verbose)
			fprintf(stderr, "mewz: cached object %s\n", obj);
	} else if (compile(t, wasm, obj)) {
		return -1;
	}
	if (imports_check(wasm, obj, t->runtime))
		return -1;
	snprintf(dir, sizeof(dir), "%s/bins", t->cache);
	if (mkdirs(dir)) {
		fprintf(stderr, "mewz: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(exe, exelen, "%s/%s", dir, exekey);
	if (access(exe, X_OK) == 0) {
		if (t->verbose)
			fprintf(stderr, "mewz: cached executable %s\n", exe);
		return 0;
	}
	return link_exe(t, obj, exe);
}
