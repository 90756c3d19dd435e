/*
 * vm.c - boot a VM image under QEMU.
 *
 * The QEMU command line has one source: guest/plat/kvm/qemu-run.sh.  mewz
 * replaces itself with that script, which builds the line, forwards the
 * console (stdout: COM1, stderr: debugcon 0xe9, stdin: COM1 with --stdin),
 * and exits with the program's status (134 trap, 139 panic, 142 timeout;
 * see guest/README.md).  What mewz adds is checking before boot: QEMU is
 * installed, and the program's initial memory fits the VM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mewz.h"

/*
 * What the VM needs besides linear memory and the image, measured on the
 * guest as it is (guest/README.md "Memory"): the 1.5 MiB the kernel keeps
 * back for stack and heap, its own page tables and data, and what QEMU and
 * the boot tables take from the bottom of RAM.  Measured: with -m 3M the
 * kernel allows 219 KiB of linear memory beside a 290 KiB image (code,
 * data and bss), and with -m 103M a 100 MiB memory boots while 102M does
 * not, so the real constant is about 2560 KiB; this one stays a little
 * below it so mewz never refuses a size that boots.  The kernel still
 * checks for itself and panics (139) in the gap.
 */
#define VM_OVERHEAD (2500ull << 10)

uint64_t vm_memory_needed(uint64_t pages, uint64_t image)
{
	uint64_t linear = pages * 65536;

	/* Linear memory is mapped with 4 KiB pages: 8 bytes of table each. */
	return linear + linear / 512 + image + VM_OVERHEAD;
}

int vm_find_qemu(void)
{
	const char *path = getenv("PATH");
	char file[4200];

	while (path && *path) {
		size_t n = strcspn(path, ":");
		/* An empty PATH entry means the current directory. */
		snprintf(file, sizeof(file), "%.*s/qemu-system-x86_64", n ? (int)n : 1,
			 n ? path : ".");
		if (access(file, X_OK) == 0)
			return 0;
		path += n + (path[n] == ':');
	}
	fprintf(stderr, "mewz: qemu-system-x86_64 is not on PATH (install the qemu-system-x86 "
			"package, or use --native)\n");
	return -1;
}

/*
 * qemu-run.sh names argv[0] after the image file, so the cached image gets
 * a symlink <cache>/names/<image key>/<name>.elf (made once, atomically).
 */
static int named_image(const struct tools *t, const char *image, const char *name, char *out,
		       size_t len)
{
	const char *key = strrchr(image, '/') ? strrchr(image, '/') + 1 : image;
	char dir[4400], tmp[8800];

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		fprintf(stderr, "mewz: %s: not usable as argv[0]\n", name);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/names", t->cache);
	if (mkdir(dir, 0755) && errno != EEXIST)
		goto fail;
	snprintf(dir, sizeof(dir), "%s/names/%.*s", t->cache, (int)strcspn(key, "."), key);
	if (mkdir(dir, 0755) && errno != EEXIST)
		goto fail;
	snprintf(out, len, "%s/%s.elf", dir, name);
	if (access(out, R_OK) == 0)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
	unlink(tmp);
	if (symlink(image, tmp) || rename(tmp, out)) {
		unlink(tmp);
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "mewz: %s: %s\n", dir, strerror(errno));
	return -1;
}

int vm_exec(const struct tools *t, const struct vm_opts *o, const char *image, const char *name,
	    char **args)
{
	char script[4200], named[8800], memory[32];
	size_t nenv = 0, nargs = 0, n = 0;

	if (named_image(t, image, name, named, sizeof(named)))
		return -1;
	while (o->env[nenv])
		nenv++;
	while (args[nargs])
		nargs++;
	snprintf(script, sizeof(script), "%s/qemu-run.sh", t->kvmdir);
	/* QEMU takes whole MiB; round up so the VM has at least what was asked. */
	snprintf(memory, sizeof(memory), "%lluM", (unsigned long long)((o->memory + (1 << 20) - 1) >> 20));

	char *argv[16 + 2 * nenv + nargs];
	argv[n++] = script;
	argv[n++] = "--machine";
	argv[n++] = (char *)o->machine;
	argv[n++] = "--accel";
	argv[n++] = (char *)o->accel;
	argv[n++] = "--timeout";
	argv[n++] = (char *)o->timeout;
	argv[n++] = "--memory";
	argv[n++] = memory;
	argv[n++] = "--stdin";
	for (size_t i = 0; i < nenv; i++) {
		argv[n++] = "--env";
		argv[n++] = o->env[i];
	}
	argv[n++] = named;
	argv[n++] = "--";
	for (size_t i = 0; i < nargs; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (t->verbose) {
		fprintf(stderr, "mewz: booting");
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n");
	}
	fflush(stdout);
	execv(script, argv);
	fprintf(stderr, "mewz: cannot run %s: %s\n", script, strerror(errno));
	return -1;
}
