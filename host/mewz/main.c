/*
 * main.c - the `mewz` command line.
 *
 *   mewz build [-v] [MEWZC OPTIONS] app.wasm -o OUT
 *       compile and link a native Linux executable
 *   mewz run --native [-v] [MEWZC OPTIONS] app.wasm [--env K=V]... [--memory SIZE] [-- ARGS...]
 *       compile (cached), link (cached) and run it as a Linux process
 * MEWZC OPTIONS: -O0..-O3 (default -O2), --cpu=NAME|native, --bounds=guard|check.
 *
 * `run` replaces itself with the program, so its exit status is the
 * program's: the proc_exit code (0 when _start returns), 134 after a trap
 * ("mewz: trap: <reason> in <function>" on stderr), 139 when the runtime
 * gives up ("mewz: panic: ..."), 128+n after proc_raise(n).  mewz's own
 * failures before the program starts (usage: 2; missing file, not Wasm,
 * compile, import or link errors: 125) print "mewz: ..." first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mewz.h"

static _Noreturn void usage(const char *why)
{
	if (why)
		fprintf(stderr, "mewz: %s\n", why);
	fprintf(stderr,
		"usage: mewz build [-v] [-O0..-O3] [--cpu=NAME] [--bounds=guard|check] app.wasm -o OUT\n"
		"       mewz run --native [-v] [-O0..-O3] [--cpu=NAME] [--bounds=guard|check] app.wasm\n"
		"                [--env K=V]... [--memory SIZE] [-- ARGS...]\n");
	exit(MEWZ_EXIT_USAGE);
}

static int copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (close(out) || n < 0)
		return -1;
	return chmod(to, 0755);
}

static int cmd_build(int argc, char **argv, struct tools *t)
{
	const char *wasm = NULL, *out = NULL;
	char exe[4400];

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			t->verbose = true;
		else if (!strcmp(argv[i], "--native"))
			continue; /* the only target for now */
		else if (tools_compiler_option(t, argv[i]))
			continue;
		else if (argv[i][0] == '-' || wasm)
			usage("build: unexpected argument");
		else
			wasm = argv[i];
	}
	if (!wasm || !out)
		usage("build needs app.wasm and -o OUT");
	if (build_native(t, wasm, exe, sizeof(exe)))
		return MEWZ_EXIT_TOOL;
	if (copy_file(exe, out)) {
		fprintf(stderr, "mewz: %s: %s\n", out, strerror(errno));
		return MEWZ_EXIT_TOOL;
	}
	return 0;
}

/* "16M", "1G", "65536" */
static bool valid_size(const char *s)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	strtoull(s, &end, 10);
	if (*end && strchr("KkMmGg", *end))
		end++;
	return *end == 0;
}

static int cmd_run(int argc, char **argv, struct tools *t)
{
	const char *wasm = NULL;
	bool native = false;
	/* Bounded by argc; on the stack so no path has anything to free. */
	char *env[argc + 2], *args[argc + 2];
	char exe[4400], memory[64];
	size_t nenv = 0, nargs = 1;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--native")) {
			native = true;
		} else if (!strcmp(argv[i], "-v")) {
			t->verbose = true;
		} else if (tools_compiler_option(t, argv[i])) {
			continue;
		} else if (!strcmp(argv[i], "--env") && i + 1 < argc) {
			if (!strchr(argv[i + 1], '=') || argv[i + 1][0] == '=')
				usage("--env needs K=V");
			env[nenv++] = argv[++i];
		} else if (!strcmp(argv[i], "--memory") && i + 1 < argc) {
			if (!valid_size(argv[i + 1]))
				usage("--memory needs a size such as 64M or 1G");
			snprintf(memory, sizeof(memory), "MEWZ_MEMORY_LIMIT=%s", argv[++i]);
			env[nenv++] = memory;
		} else if (argv[i][0] == '-' || wasm) {
			usage(wasm ? "program arguments go after --" : "run: unknown option");
		} else {
			wasm = argv[i];
		}
	}
	for (; i < argc; i++)
		args[nargs++] = argv[i];
	args[nargs] = NULL;
	env[nenv] = NULL;
	if (!wasm)
		usage("run needs app.wasm");
	if (!native)
		usage("only --native is implemented so far (the VM mode comes with the guest)");
	if (build_native(t, wasm, exe, sizeof(exe)))
		return MEWZ_EXIT_TOOL;
	/* The program's argv[0] is the Wasm file, as other WASI runtimes do. */
	args[0] = (char *)wasm;
	fflush(stdout);
	execve(exe, args, env);
	fprintf(stderr, "mewz: cannot run %s: %s\n", exe, strerror(errno));
	return MEWZ_EXIT_TOOL;
}

int main(int argc, char **argv)
{
	struct tools t = {0};

	if (argc < 2)
		usage(NULL);
	if (tools_find(&t)) {
		fprintf(stderr, "mewz: no cache directory (set HOME or MEWZ_CACHE_DIR)\n");
		return MEWZ_EXIT_TOOL;
	}
	if (!strcmp(argv[1], "build"))
		return cmd_build(argc - 2, argv + 2, &t);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2, &t);
	usage("unknown command");
}
