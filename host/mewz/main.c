/*
 * main.c - the `mewz` command line.
 *
 *   mewz build [-v] [--native] [MEWZC OPTIONS] app.wasm -o OUT
 *       compile and link a VM image (default) or a Linux executable
 *   mewz run [-v] [--native] [MEWZC OPTIONS] app.wasm [--env K=V]... [--memory SIZE]
 *            [--machine microvm|q35] [--accel kvm|tcg|auto] [--timeout S] [--stdin]
 *            [--net host|lwip] [-p HOSTPORT:GUESTPORT]...
 *            [--tap IFNAME] [--ip ADDR/PREFIX[,GATEWAY]] [-- ARGS...]
 *       compile (cached), link (cached) and run it under QEMU, or as a
 *       Linux process with --native
 *   mewz cache [info | clean | prune [--max SIZE]]
 *       the cache's size and cap; remove every entry; evict the least
 *       recently used down to SIZE (cache.c)
 * MEWZC OPTIONS: -O0..-O3 (default -O2), --cpu=NAME|native, --bounds=guard|check.
 *
 * `run` replaces itself with the program (--native) or with qemu-run.sh,
 * so its exit status is the program's: the proc_exit code (0 when _start
 * returns), 134 after a trap ("mewz: trap: <reason> in <function>" on
 * stderr), 139 when the runtime or kernel gives up ("mewz: panic: ..."),
 * 128+n after proc_raise(n), 142 past --timeout (VM).  mewz's own failures
 * before the program starts (usage: 2; missing file, not Wasm, QEMU
 * missing, memory too small, compile, import or link errors: 125) print
 * "mewz: ..." first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfread.h"
#include "mewz.h"
#include "share.h"

#define MEWZ_VERSION "0.1.0"

static _Noreturn void usage(const char *why)
{
	if (why)
		fprintf(stderr, "mewz: %s\n", why);
	fprintf(stderr,
		"usage: mewz build [-v] [--native] [-O0..-O3] [--cpu=NAME] [--bounds=guard|check]\n"
		"                  app.wasm -o OUT\n"
		"       mewz run [-v] [--native] [-O0..-O3] [--cpu=NAME] [--bounds=guard|check]\n"
		"                app.wasm [--env K=V]... [--memory SIZE] [--machine microvm|q35]\n"
		"                [--accel kvm|tcg|auto] [--timeout SECONDS] [--stdin]\n"
		"                [--share HOST[:GUEST][:ro]]... [--host PATH]\n"
		"                [--net host|lwip] [-p HOSTPORT:GUESTPORT]...\n"
		"                [--tap IFNAME] [--ip ADDR/PREFIX[,GATEWAY]]\n"
		"                [--allow-bind HOST[:PORT]]... [--allow-connect HOST[:PORT]]...\n"
		"                [-- ARGS...]\n"
		"       mewz cache [info | clean | prune [--max SIZE]]\n"
		"       mewz --version\n");
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
	enum target target = TARGET_VM;
	struct wasm_file w;
	char exe[4400];
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			t->verbose = true;
		else if (!strcmp(argv[i], "--native"))
			target = TARGET_NATIVE;
		else if (tools_compiler_option(t, argv[i]))
			continue;
		else if (argv[i][0] == '-' || wasm)
			usage("build: unexpected argument");
		else
			wasm = argv[i];
	}
	if (!wasm || !out)
		usage("build needs app.wasm and -o OUT");
	if (wasm_load(wasm, &w))
		return MEWZ_EXIT_TOOL;
	rc = build_program(t, target, &w, exe, sizeof(exe));
	wasm_file_free(&w);
	if (rc)
		return MEWZ_EXIT_TOOL;
	if (copy_file(exe, out)) {
		fprintf(stderr, "mewz: %s: %s\n", out, strerror(errno));
		return MEWZ_EXIT_TOOL;
	}
	return 0;
}

uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end && strchr("KkMmGg", *end))
		shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 : 30;
	if (shift)
		end++;
	if (*end || errno || v > (UINT64_MAX >> shift))
		return 0;
	return (uint64_t)v << shift;
}

/* The Wasm file's name, without directories, is the program's argv[0] in a VM. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

#define VM_DEFAULT_MEMORY (64ull << 20)

/*
 * --memory given: refuse a program that cannot fit.  Not given: 64 MiB, or
 * what the program needs if that is more.
 */
static int vm_memory(const struct wasm_file *w, const char *image, uint64_t *memory)
{
	uint64_t need, loaded;
	char err[512];

	if (elf_load_size(image, &loaded, err, sizeof(err))) {
		fprintf(stderr, "mewz: %s\n", err);
		return -1;
	}
	if (!w->has_pages) {
		if (!*memory)
			*memory = VM_DEFAULT_MEMORY;
		return 0;
	}
	need = vm_memory_needed(w->initial_pages, loaded);
	if (!*memory) {
		*memory = need > VM_DEFAULT_MEMORY ? need : VM_DEFAULT_MEMORY;
		return 0;
	}
	if (*memory >= need)
		return 0;
	uint64_t kib = w->initial_pages * 64;
	fprintf(stderr,
		"mewz: %s: its initial memory is %llu pages (%llu %s); with the kernel it needs "
		"--memory %lluM or more, %lluM given\n",
		w->path, (unsigned long long)w->initial_pages,
		(unsigned long long)(kib < 1024 ? kib : kib >> 10), kib < 1024 ? "KiB" : "MiB",
		(unsigned long long)((need + (1 << 20) - 1) >> 20),
		(unsigned long long)(*memory >> 20));
	return -1;
}

/*
 * auto (KVM when /dev/kvm is read-writable, else TCG) unless $MEWZ_ACCEL
 * says otherwise: some hosts have a /dev/kvm that cannot run guests.
 */
static const char *default_accel(void)
{
	const char *e = getenv("MEWZ_ACCEL");

	if (e && (!strcmp(e, "kvm") || !strcmp(e, "tcg") || !strcmp(e, "auto")))
		return e;
	return "auto";
}

static int run_native(struct tools *t, const struct wasm_file *w, char **env, char **args)
{
	char exe[4400];

	if (build_program(t, TARGET_NATIVE, w, exe, sizeof(exe)))
		return MEWZ_EXIT_TOOL;
	/* The program's argv[0] is the Wasm file, as other WASI runtimes do. */
	args[0] = (char *)w->path;
	/* env has room: --share/--host took two argv slots (share.c). */
	share_need_daemon(w->uses_sockets);
	if (share_native_start(t, env))
		return MEWZ_EXIT_TOOL;
	fflush(stdout);
	execve(exe, args, env);
	fprintf(stderr, "mewz: cannot run %s: %s\n", exe, strerror(errno));
	return MEWZ_EXIT_TOOL;
}

static int run_vm(struct tools *t, const struct wasm_file *w, struct vm_opts *o, char **args)
{
	char image[4400];

	if (vm_find_qemu())
		return MEWZ_EXIT_TOOL; /* before compiling: it is quick to tell */
	if (build_program(t, TARGET_VM, w, image, sizeof(image)))
		return MEWZ_EXIT_TOOL;
	if (vm_memory(w, image, &o->memory))
		return MEWZ_EXIT_TOOL;
	/* --share/--host, or sockets with net=host: mewz-host and its vsock
	 * device (share.c). */
	share_need_daemon(w->uses_sockets && !o->net_lwip);
	if (share_vm_start(t, &o->extra))
		return MEWZ_EXIT_TOOL;
	vm_exec(t, o, image, base_name(w->path), args + 1);
	return MEWZ_EXIT_TOOL;
}

/* Only these characters, 1..max of them (they end up inside QEMU's and
 * the kernel's option strings, where a comma or a space would split). */
static bool only_chars(const char *s, const char *set, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && n <= max && strspn(s, set) == n;
}

/* "HOST:GUEST", both decimal ports 1-65535. */
static bool port_pair(const char *s)
{
	for (int k = 0; k < 2; k++) {
		unsigned long v = 0;
		size_t n = 0;

		while (s[n] >= '0' && s[n] <= '9' && n < 6)
			v = v * 10 + (unsigned long)(s[n++] - '0');
		if (n == 0 || v == 0 || v > 65535 || s[n] != (k == 0 ? ':' : '\0'))
			return false;
		s += n + 1;
	}
	return true;
}

static int cmd_run(int argc, char **argv, struct tools *t)
{
	const char *wasm = NULL;
	bool native = false;
	/* Bounded by argc; on the stack so no path has anything to free. */
	char *env[argc + 2], *args[argc + 2], *fwd[argc + 1];
	size_t nfwd = 0;
	char memlimit[64];
	struct vm_opts vm = {.machine = "microvm", .accel = default_accel(), .timeout = "0"};
	struct wasm_file w;
	size_t nenv = 0, nargs = 1;
	int i, rc;

	for (i = 0; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--native")) {
			native = true;
		} else if (!strcmp(argv[i], "--stdin")) {
			vm.stdin_serial = true; /* native mode always has its stdin */
		} else if (!strcmp(argv[i], "-v")) {
			t->verbose = true;
		} else if (tools_compiler_option(t, argv[i])) {
			continue;
		} else if (!strcmp(argv[i], "--env") && next) {
			if (!strchr(next, '=') || next[0] == '=')
				usage("--env needs K=V");
			env[nenv++] = argv[++i];
		} else if (!strcmp(argv[i], "--memory") && next) {
			if (!(vm.memory = parse_size(next)))
				usage("--memory needs a size such as 64M or 1G");
			snprintf(memlimit, sizeof(memlimit), "MEWZ_MEMORY_LIMIT=%s", argv[++i]);
		} else if (!strcmp(argv[i], "--machine") && next) {
			if (strcmp(next, "microvm") && strcmp(next, "q35"))
				usage("--machine must be microvm or q35");
			vm.machine = argv[++i];
		} else if (!strcmp(argv[i], "--accel") && next) {
			if (strcmp(next, "kvm") && strcmp(next, "tcg") && strcmp(next, "auto"))
				usage("--accel must be kvm, tcg or auto");
			vm.accel = argv[++i];
		} else if (!strcmp(argv[i], "--timeout") && next) {
			if (!only_chars(next, "0123456789", 9))
				usage("--timeout needs whole seconds (0: none)");
			vm.timeout = argv[++i];
		} else if (!strcmp(argv[i], "--net") && next) {
			if (strcmp(next, "host") && strcmp(next, "lwip"))
				usage("--net must be host or lwip");
			vm.net_lwip = !strcmp(argv[++i], "lwip");
		} else if (!strcmp(argv[i], "--net=host") || !strcmp(argv[i], "--net=lwip")) {
			vm.net_lwip = !strcmp(argv[i], "--net=lwip");
		} else if (!strcmp(argv[i], "--tap") && next) {
			/* Linux interface names: IFNAMSIZ - 1 bytes. */
			if (!only_chars(next, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", 15))
				usage("--tap needs a network interface name");
			vm.tap = argv[++i];
		} else if (!strcmp(argv[i], "--ip") && next) {
			/* The guest checks the syntax (net=lwip's ip= option). */
			if (!only_chars(next, "0123456789./,", 40))
				usage("--ip needs ADDR/PREFIX[,GATEWAY]");
			vm.ip = argv[++i];
		} else if (!strcmp(argv[i], "-p") && next) {
			if (!port_pair(next))
				usage("-p needs HOSTPORT:GUESTPORT (TCP, 1-65535)");
			fwd[nfwd++] = argv[++i];
		} else if (share_option(argv[i], next)) {
			i++; /* --share/--host/--allow-*: share.c */
		} else if (argv[i][0] == '-' || wasm) {
			usage(wasm ? "program arguments go after --" : "run: unknown option");
		} else {
			wasm = argv[i];
		}
	}
	for (; i < argc; i++)
		args[nargs++] = argv[i];
	args[nargs] = NULL;
	if (!wasm)
		usage("run needs app.wasm");
	if (native && vm.memory)
		env[nenv++] = memlimit;
	env[nenv] = NULL;
	fwd[nfwd] = NULL;
	vm.forwards = fwd;
	if (nfwd && !vm.net_lwip)
		usage("-p works with --net lwip (in --net host the program binds on the host)");
	if (vm.net_lwip && native)
		usage("--net lwip needs a VM (not --native)");
	if ((vm.tap || vm.ip) && !vm.net_lwip)
		usage("--tap and --ip work with --net lwip");
	if (vm.net_lwip && share_has_policy())
		usage("--allow-bind and --allow-connect (mewz-host's socket policy) work with --net host");
	if (vm.tap && nfwd)
		usage("-p forwards ports of QEMU's user network; with --tap the guest has its own address");
	/* Never run a VM without the files it was promised. */
	if (wasm_load(wasm, &w))
		return MEWZ_EXIT_TOOL;
	if (native) {
		rc = run_native(t, &w, env, args);
	} else {
		vm.env = env;
		vm.stdin_serial = vm.stdin_serial || isatty(STDIN_FILENO);
		rc = run_vm(t, &w, &vm, args);
	}
	wasm_file_free(&w);
	return rc;
}

static void print_mib(const char *what, uint64_t bytes)
{
	if (bytes == UINT64_MAX)
		printf("%s none", what);
	else
		printf("%s %.1f MiB", what, (double)bytes / (1 << 20));
}

/* mewz cache [info | clean | prune [--max SIZE]] */
static int cmd_cache(int argc, char **argv, struct tools *t)
{
	const char *sub = argc ? argv[0] : "info";
	uint64_t max = cache_max();
	struct cache_stats st;

	if (!strcmp(sub, "clean") && argc == 1) {
		if (cache_clean(t->cache, &st))
			goto fail;
		printf("%s: %zu entries removed\n", t->cache, st.evicted);
		return 0;
	}
	if (!strcmp(sub, "prune") && (argc == 1 || (argc == 3 && !strcmp(argv[1], "--max")))) {
		if (argc == 3 && !(max = parse_size(argv[2])) && strcmp(argv[2], "0"))
			usage("cache prune --max needs a size such as 512M");
		if (cache_prune(t->cache, max, 0, &st))
			goto fail;
		printf("%s: %zu entries evicted, %zu left,", t->cache, st.evicted, st.entries);
		print_mib("", st.bytes);
		printf("\n");
		return 0;
	}
	if (!strcmp(sub, "info") && argc <= 1) {
		/* A prune to "no cap" removes nothing and counts everything. */
		if (cache_prune(t->cache, UINT64_MAX, 0, &st))
			goto fail;
		printf("%s: %zu entries,", t->cache, st.entries);
		print_mib("", st.bytes);
		print_mib(", cap", max);
		printf("\n");
		return 0;
	}
	usage("cache: info, clean or prune [--max SIZE]");
fail:
	fprintf(stderr, "mewz: %s: %s\n", t->cache, strerror(errno));
	return MEWZ_EXIT_TOOL;
}

int main(int argc, char **argv)
{
	struct tools t = {0};

	if (argc < 2)
		usage(NULL);
	/* Test runners (wasi-testsuite adapters) ask for a version first. */
	if (!strcmp(argv[1], "--version")) {
		printf("mewz %s\n", MEWZ_VERSION);
		return 0;
	}
	if (tools_find(&t)) {
		fprintf(stderr, "mewz: no cache directory (set HOME or MEWZ_CACHE_DIR)\n");
		return MEWZ_EXIT_TOOL;
	}
	if (!strcmp(argv[1], "build"))
		return cmd_build(argc - 2, argv + 2, &t);
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2, &t);
	if (!strcmp(argv[1], "cache"))
		return cmd_cache(argc - 2, argv + 2, &t);
	usage("unknown command");
}
