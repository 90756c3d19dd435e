/*
 * vm.c - boot a VM image under QEMU.
 *
 * The QEMU command line has one source: guest/plat/kvm/qemu-run.sh.  mewz
 * replaces itself with that script, which builds the line, forwards the
 * console (stdout: COM1, stderr: debugcon 0xe9, stdin: COM1 with --stdin),
 * and exits with the program's status (134 trap, 139 panic, 142 timeout;
 * see guest/README.md).
 *
 * stdin: a serial line has no end of file, so forwarded input never ends
 * and a program reading to the end would wait forever.  mewz therefore
 * forwards stdin when it is a terminal (interactive use; the user ends the
 * program) or when asked with --stdin; otherwise the program's fd 0 is at
 * end of input, as with </dev/null.  (Through mewz-host, stdin can get a
 * real end of file later.)  What mewz adds is checking before boot: QEMU is
 * installed, and the program's initial memory fits the VM.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mewz.h"

/*
 * What the VM needs besides linear memory and the image, measured on the
 * guest as it is (guest/README.md "Memory") by booting a module too large
 * for the VM and reading the kernel's "this VM allows N KiB": on microvm,
 * from -m 3M to -m 1024M, allowed = RAM - RAM/512 - image - C with C =
 * 1924..1928 KiB, where image is the loaded size (code, data, bss) and
 * RAM/512 the page tables; C is the stack and heap the kernel keeps back,
 * its tables, and what the firmware keeps of the RAM below 1 MiB.  On q35
 * and pc, whose BIOS keeps more of that low RAM, C is 2056 KiB.  The
 * constant stays a little below the smallest so mewz never refuses a size
 * that boots; the kernel still checks for itself and panics (139) in the
 * gap.
 */
#define VM_OVERHEAD (1910ull << 10)

uint64_t vm_memory_needed(uint64_t pages, uint64_t image)
{
	uint64_t fixed = pages * 65536 + image + VM_OVERHEAD;

	/* RAM - RAM/512 >= fixed */
	return (fixed * 512 + 510) / 511;
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
	char dir[4400], tmp[8800], target[PATH_MAX];

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
	/* The link must work from any directory, the cache root may be relative. */
	if (!realpath(image, target))
		goto fail;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out, (int)getpid());
	unlink(tmp);
	if (symlink(target, tmp) || rename(tmp, out)) {
		unlink(tmp);
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "mewz: %s: %s\n", dir, strerror(errno));
	return -1;
}

/*
 * --net lwip: QEMU's user-mode network, each -p HOST:GUEST a TCP forward
 * from 127.0.0.1 only (the guest is never reachable from other machines).
 * With --tap IFNAME, that existing tap device instead (the host's side
 * is configured by whoever created it; no scripts run): the guest is
 * reached at its own address, and QEMU's user network, which costs a
 * third of net=lwip's CPU time per request (bench/http), is not in the way.
 */
static int vm_netdev(const struct vm_opts *o, char *out, size_t len)
{
	size_t used;

	if (o->tap) {
		used = (size_t)snprintf(out, len, "tap,id=n0,ifname=%s,script=no,downscript=no",
					o->tap);
		return used < len ? 0 : -1;
	}
	used = (size_t)snprintf(out, len, "user,id=n0");

	for (size_t i = 0; o->forwards && o->forwards[i]; i++) {
		const char *f = o->forwards[i], *colon = strchr(f, ':');

		used += (size_t)snprintf(out + used, used < len ? len - used : 0,
					 ",hostfwd=tcp:127.0.0.1:%.*s-:%s", (int)(colon - f), f,
					 colon + 1);
	}
	if (used >= len) {
		fprintf(stderr, "mewz: too many -p forwards\n");
		return -1;
	}
	return 0;
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

	size_t nextra = 0;

	while (o->extra && o->extra[nextra])
		nextra++;
	char *argv[28 + 2 * nenv + nargs + nextra];
	char netdev[4096], ipopt[64];
	argv[n++] = script;
	argv[n++] = "--machine";
	argv[n++] = (char *)o->machine;
	argv[n++] = "--accel";
	argv[n++] = (char *)o->accel;
	argv[n++] = "--timeout";
	argv[n++] = (char *)o->timeout;
	argv[n++] = "--memory";
	argv[n++] = memory;
	if (o->stdin_serial)
		argv[n++] = "--stdin";
	for (size_t i = 0; i < nenv; i++) {
		argv[n++] = "--env";
		argv[n++] = o->env[i];
	}
	if (o->net_lwip) {
		if (vm_netdev(o, netdev, sizeof(netdev)))
			return -1;
		argv[n++] = "--kernel-opt";
		argv[n++] = "net=lwip";
		if (o->ip) {
			snprintf(ipopt, sizeof(ipopt), "ip=%s", o->ip);
			argv[n++] = "--kernel-opt";
			argv[n++] = ipopt;
		}
		argv[n++] = "--qemu-arg";
		argv[n++] = "-netdev";
		argv[n++] = "--qemu-arg";
		argv[n++] = netdev;
		argv[n++] = "--qemu-arg";
		argv[n++] = "-device";
		argv[n++] = "--qemu-arg";
		argv[n++] = !strcmp(o->machine, "q35") ? "virtio-net-pci,netdev=n0"
						      : "virtio-net-device,netdev=n0";
	}
	for (size_t i = 0; i < nextra; i++)
		argv[n++] = o->extra[i];
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
