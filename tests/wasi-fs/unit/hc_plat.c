/*
 * hc_plat.c - mewz/plat.h for the hostcall client's unit tests: a silent
 * console, clocks the test sets (the fake host advances the monotonic one
 * per round trip), and the args/env a test chooses.
 */
#include <errno.h>
#include <stdlib.h>

#include <mewz/plat.h>

#include "hc_unit.h"

struct hc_plat hc_plat;

long mewz_plat_console_write(enum mewz_stream stream, const void *buf,
			     size_t len)
{
	(void)stream, (void)buf;
	return (long)len;
}
long mewz_plat_console_read(void *buf, size_t len)
{
	(void)buf, (void)len;
	return 0;
}
int mewz_plat_console_readable(void) { return 1; }
uint64_t mewz_plat_monotonic_ns(void) { return hc_plat.mono_ns; }
uint64_t mewz_plat_realtime_ns(void) { return hc_plat.real_base_ns + hc_plat.mono_ns; }
uint64_t mewz_plat_monotonic_res_ns(void) { return 1; }
uint64_t mewz_plat_realtime_res_ns(void) { return 1; }
void mewz_plat_block_until(uint64_t deadline_ns) { (void)deadline_ns; }
void mewz_plat_yield(void) {}
int mewz_plat_entropy(void *buf, size_t len)
{
	memset(buf, 7, len);
	return 0;
}
const struct mewz_plat_args *mewz_plat_args(void) { return &hc_plat.args; }
uint64_t mewz_plat_memory_limit(void) { return 1u << 20; }
int mewz_plat_memory_resize(uint64_t old_bytes, uint64_t new_bytes)
{
	(void)old_bytes, (void)new_bytes;
	return 0;
}
const char *mewz_plat_symbolize(uintptr_t pc, uintptr_t *offset)
{
	(void)pc;
	*offset = 0;
	return NULL;
}
_Noreturn void mewz_plat_exit(int status) { exit(status); }
