/*
 * args.c - the program's argv and environment, from the kernel command
 * line (cmdline.h), parsed once at boot into static storage.
 */
#include <string.h>

#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "../../arch/x86_64/arch.h"
#include "cmdline.h"
#include "kvm.h"

/* PVH command lines from QEMU are far shorter; longer ones are refused. */
#define CMDLINE_MAX 65536
#define WORDS_MAX   4096

/* Filled before use: not zeroed at boot (ARCH_NOINIT). */
static char buf[CMDLINE_MAX] ARCH_NOINIT;
static char *words[WORDS_MAX] ARCH_NOINIT;
static char *env[WORDS_MAX] ARCH_NOINIT;
static struct cmdline cl;
static struct mewz_plat_args plat_args;

void args_init(const char *cmdline)
{
	const char *err = "";
	size_t len = strlen(cmdline);
	int n;

	if (len >= sizeof(buf))
		mewz_fatal(MEWZ_EXIT_PANIC, "panic",
			   "kernel command line too long");
	memcpy(buf, cmdline, len + 1);
	n = cmdline_split(buf, words, WORDS_MAX, &err);
	if (n < 0 || cmdline_interpret(words, (size_t)n, env, &cl, &err) < 0) {
		struct mewz_line l = {.len = 0};

		mewz_line_str(&l, "mewz: panic: bad kernel command line: ");
		mewz_line_str(&l, err);
		mewz_line_emit(&l);
		mewz_plat_exit(MEWZ_EXIT_PANIC);
	}
	plat_args.argc = cl.argc;
	plat_args.argv = (const char *const *)cl.argv;
	plat_args.envc = cl.envc;
	plat_args.envp = (const char *const *)cl.envp;
}

int args_inject(const char *what)
{
	return cl.inject && strcmp(cl.inject, what) == 0;
}

int args_list_devices(void)
{
	return cl.list_devices;
}

int args_hostlink(void)
{
	return cl.hostlink;
}

int args_stdin_serial(void)
{
	return cl.stdin_serial;
}

uint64_t args_stack_bytes(void)
{
	return cl.stack_bytes;
}

uint64_t args_watchdog_s(void)
{
	return cl.watchdog_s;
}

const struct mewz_plat_args *mewz_plat_args(void)
{
	return &plat_args;
}

int args_net_lwip(void)
{
	return cl.net_lwip;
}

const char *args_ip(void)
{
	return cl.ip;
}

const char *args_dns(void)
{
	return cl.dns;
}
