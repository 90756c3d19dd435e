/*
 * main.c - the mewzc command: read (or assemble) a module, decode,
 * validate, translate.  Thin: every decision lives in the library.
 *
 *   mewzc in.wasm -o out.o [-O0|-O1|-O2|-O3] [-j N] [--bounds=guard|check]
 *         [--cpu=NAME|native] [--target=TRIPLE] [--invoke-wrappers]
 *         [--check] [-v]
 *
 * Exit status: 0 success, 1 for any error (usage, I/O, malformed, invalid
 * or unsupported module).  Module errors print
 * "mewzc: FILE:0xOFFSET: reason".
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <llvm-c/ErrorHandling.h>

#include "module.h"
#include "translate/translate.h"

extern char **environ;

typedef struct cli {
	const char *in, *out;
	bool check;
	mz_xopts x;
} cli;

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: mewzc in.wasm|in.wat -o out.o [-O0|-O1|-O2|-O3] [-j N]\n"
	       "             [--bounds=guard|check] [--cpu=NAME|native]\n"
	       "             [--target=TRIPLE] [--invoke-wrappers] [--check] "
	       "[-v]\n");
}

static int die(const char *fmt, const char *a)
{
	fprintf(stderr, "mewzc: ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 1;
}

static bool parse_jobs(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > 1024)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Returns 0 on success, else the exit status. */
static int parse_args(int argc, char **argv, cli *c)
{
	memset(c, 0, sizeof *c);
	c->x.opt_level = 2;
	c->x.verify = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-o") && i + 1 < argc) {
			c->out = argv[++i];
		} else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' &&
			   a[2] <= '3' && !a[3]) {
			c->x.opt_level = (unsigned)(a[2] - '0');
		} else if (!strcmp(a, "-j") && i + 1 < argc) {
			if (!parse_jobs(argv[++i], &c->x.jobs))
				return die("bad -j value '%s'", argv[i]);
		} else if (!strncmp(a, "-j", 2) && a[2]) {
			if (!parse_jobs(a + 2, &c->x.jobs))
				return die("bad -j value '%s'", a + 2);
		} else if (!strcmp(a, "--bounds=guard")) {
			c->x.bounds_check = false;
		} else if (!strcmp(a, "--bounds=check")) {
			c->x.bounds_check = true;
		} else if (!strncmp(a, "--cpu=", 6) && a[6]) {
			c->x.cpu = a + 6;
		} else if (!strncmp(a, "--target=", 9) && a[9]) {
			c->x.triple = a + 9;
		} else if (!strcmp(a, "--invoke-wrappers")) {
			c->x.invoke_wrappers = true;
		} else if (!strcmp(a, "--check")) {
			c->check = true;
		} else if (!strcmp(a, "-v")) {
			c->x.verbose = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mewzc: unknown option '%s'\n", a);
			usage(stderr);
			return 1;
		} else if (!c->in) {
			c->in = a;
		} else {
			return die("more than one input file ('%s')", a);
		}
	}
	if (!c->in) {
		fprintf(stderr, "mewzc: no input file\n");
		usage(stderr);
		return 1;
	}
	if (!c->out && !c->check) {
		fprintf(stderr, "mewzc: missing -o OUTPUT\n");
		usage(stderr);
		return 1;
	}
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static uint8_t *read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	size_t len = (size_t)st.st_size;
	uint8_t *buf = malloc(len ? len : 1);
	size_t got = 0;
	while (buf && got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			buf = NULL;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	*size = got;
	return buf;
}

/* .wat input: wat2wasm into a temporary file, read back, removed. */
static uint8_t *assemble_wat(const char *path, size_t *size)
{
	const char *tmp = getenv("TMPDIR");
	char out[4096];
	snprintf(out, sizeof out, "%s/mewzc-wat.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(out);
	if (fd < 0) {
		die("cannot create a temporary file for %s", path);
		return NULL;
	}
	close(fd);
	char *argv[] = {"wat2wasm", "--debug-names", (char *)path, "-o", out,
			NULL};
	pid_t pid;
	if (posix_spawnp(&pid, "wat2wasm", NULL, NULL, argv, environ) != 0) {
		unlink(out);
		die("%s: .wat input needs wat2wasm (Debian package wabt), "
		    "which is not installed",
		    path);
		return NULL;
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	uint8_t *buf = NULL;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		buf = read_file(out, size);
	else
		die("%s: wat2wasm failed", path);
	unlink(out);
	return buf;
}

static int report(const char *file, const mz_error *err)
{
	fprintf(stderr, "mewzc: %s:0x%zx: %s\n", file, err->offset, err->msg);
	return 1;
}

/*
 * LLVM reports some bad options (an unknown --cpu, a feature the target
 * lacks) only as fatal errors deep in code generation: end with status 1
 * and a message instead of abort().
 */
static void on_llvm_fatal(const char *reason)
{
	fprintf(stderr, "mewzc: LLVM error: %s (check --cpu and --target)\n",
		reason);
	_exit(1);
}

int main(int argc, char **argv)
{
	cli c;
	LLVMInstallFatalErrorHandler(on_llvm_fatal);
	int rc = parse_args(argc, argv, &c);
	if (rc)
		return rc;
	size_t size = 0;
	uint8_t *bytes = ends_with(c.in, ".wat") ? assemble_wat(c.in, &size)
						 : read_file(c.in, &size);
	if (!bytes) {
		if (!ends_with(c.in, ".wat"))
			fprintf(stderr, "mewzc: %s: cannot read: %s\n", c.in,
				strerror(errno));
		return 1;
	}
	mz_module m;
	mz_error err;
	memset(&err, 0, sizeof err);
	if (!mz_decode(bytes, size, &m, &err)) {
		free(bytes);
		return report(c.in, &err);
	}
	rc = 0;
	if (!mz_validate(&m, &err))
		rc = report(c.in, &err);
	else if (!c.check && !mz_translate(&m, &c.x, c.out, &err))
		rc = report(c.in, &err);
	mz_module_free(&m);
	free(bytes);
	return rc;
}
