/*
 * sys.c - what lwIP needs from the platform with NO_SYS=1: a millisecond
 * clock for its timers, randomness (TCP initial sequence numbers, DNS
 * ids and ports), and the diagnostic and assertion hooks of arch/cc.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "lwip/sys.h"

u32_t sys_now(void)
{
	return (u32_t)(mewz_plat_monotonic_ns() / 1000000u);
}

uint32_t mewz_lwip_rand(void)
{
	uint32_t v = 0;

	/* No entropy means predictable sequence numbers: refuse to go on. */
	if (mewz_plat_entropy(&v, sizeof(v)) < 0)
		mewz_fatal(MEWZ_EXIT_PANIC, "panic", "lwip: no entropy source");
	return v;
}

void mewz_lwip_diag(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	mewz_plat_console_write(MEWZ_STDERR, buf, (size_t)n);
}

_Noreturn void mewz_lwip_assert(const char *msg, const char *file, int line)
{
	struct mewz_line l = {.len = 0};

	mewz_line_str(&l, "mewz: panic: lwip assertion: ");
	mewz_line_str(&l, msg);
	mewz_line_str(&l, " at ");
	mewz_line_str(&l, file);
	mewz_line_str(&l, ":");
	mewz_line_dec(&l, (uint64_t)line);
	mewz_line_emit(&l);
	mewz_plat_exit(MEWZ_EXIT_PANIC);
}
