/*
 * proc.c - proc_exit, proc_raise and sched_yield.
 */
#include <errno.h>

#include <mewz/plat.h>

#include "wasi.h"

_Noreturn void wasi_proc_exit(int32_t code) WASI_IMPORT(proc_exit);
_Noreturn void wasi_proc_exit(int32_t code)
{
	/* WASI's exit code is a u32; a process status keeps the low byte. */
	mewz_plat_exit((int)((uint32_t)code & 0xff));
}

/* Signals whose default action is not to terminate. */
static int signal_ignored(uint32_t sig)
{
	switch (sig) {
	case WASI_SIGNAL_CHLD:
	case WASI_SIGNAL_CONT:
	case WASI_SIGNAL_URG:
	case WASI_SIGNAL_WINCH:
	/* No job control: stopping would hang the VM forever. */
	case WASI_SIGNAL_STOP:
	case WASI_SIGNAL_TSTP:
	case WASI_SIGNAL_TTIN:
	case WASI_SIGNAL_TTOU:
		return 1;
	}
	return 0;
}

/*
 * There are no handlers, so a signal takes its default action: most end
 * the program with status 128 + n and a reason line, like a shell shows.
 */
int32_t wasi_proc_raise(int32_t sig) WASI_IMPORT(proc_raise);
int32_t wasi_proc_raise(int32_t sig)
{
	static const char msg[] = "mewz: terminated by signal ";
	char num[4];
	int n = 0;

	if (sig <= 0 || sig > WASI_SIGNAL_MAX)
		return WASI_EINVAL;
	if (signal_ignored((uint32_t)sig))
		return WASI_ESUCCESS;
	if (sig >= 10)
		num[n++] = (char)('0' + sig / 10);
	num[n++] = (char)('0' + sig % 10);
	num[n++] = '\n';
	mewz_plat_console_write(MEWZ_STDERR, msg, sizeof(msg) - 1);
	mewz_plat_console_write(MEWZ_STDERR, num, (size_t)n);
	mewz_plat_exit(MEWZ_EXIT_SIGNAL_BASE + sig);
}

int32_t wasi_sched_yield(void) WASI_IMPORT(sched_yield);
int32_t wasi_sched_yield(void)
{
	mewz_plat_yield();
	return WASI_ESUCCESS;
}
