/*
 * fake_plat.c - mewz/plat.h for host-side tests: the console is a
 * buffer, the clock is a counter that block_until advances, entropy is a
 * counter (or fails on request), and exit longjmps back to the test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <mewz/plat.h>

#include "fake_plat.h"

struct fake_plat fake;

long mewz_plat_console_write(enum mewz_stream stream, const void *buf,
			     size_t len)
{
	char *dst = stream == MEWZ_STDERR ? fake.err : fake.out;
	size_t *n = stream == MEWZ_STDERR ? &fake.err_len : &fake.out_len;

	if (*n + len > FAKE_CONSOLE_MAX)
		len = FAKE_CONSOLE_MAX - *n;
	memcpy(dst + *n, buf, len);
	*n += len;
	return (long)len;
}

long mewz_plat_console_read(void *buf, size_t len)
{
	size_t n = fake.in_len - fake.in_pos;

	if (n == 0)
		return fake.in_eof ? 0 : -EAGAIN;
	if (n > len)
		n = len;
	memcpy(buf, fake.in + fake.in_pos, n);
	fake.in_pos += n;
	return (long)n;
}

int mewz_plat_console_readable(void)
{
	return fake.in_eof || fake.in_pos < fake.in_len;
}

uint64_t mewz_plat_monotonic_ns(void)
{
	return fake.mono_ns;
}
uint64_t mewz_plat_realtime_ns(void)
{
	return fake.real_base_ns + fake.mono_ns;
}
uint64_t mewz_plat_monotonic_res_ns(void)
{
	return 1;
}
uint64_t mewz_plat_realtime_res_ns(void)
{
	return 1000;
}

void mewz_plat_block_until(uint64_t deadline_ns)
{
	fake.blocks++;
	/* Time passes while "halted"; never past the deadline. */
	if (deadline_ns == UINT64_MAX)
		fake.mono_ns += 1000000;
	else if (deadline_ns > fake.mono_ns)
		fake.mono_ns = deadline_ns;
}

void mewz_plat_yield(void)
{
	fake.yields++;
}

int mewz_plat_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;

	if (fake.entropy_fails)
		return -EIO;
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(fake.entropy_counter++ * 131 + 7);
	return 0;
}

const struct mewz_plat_args *mewz_plat_args(void)
{
	return &fake.args;
}
uint64_t mewz_plat_memory_limit(void)
{
	return fake.memory_limit;
}

int mewz_plat_memory_resize(uint64_t old_bytes, uint64_t new_bytes)
{
	(void)old_bytes;
	fake.resized_to = new_bytes;
	return 0;
}

const char *mewz_plat_symbolize(uintptr_t pc, uintptr_t *offset)
{
	(void)pc;
	*offset = 0;
	if (pc == 0x1234)
		return NULL; /* an address no table knows */
	return fake.symbol ? fake.symbol : "fake_function";
}

_Noreturn void mewz_plat_exit(int status)
{
	fake.exit_status = status;
	longjmp(fake.exit_jmp, 1);
}
