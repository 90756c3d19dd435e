/*
 * line.c - composing one-line reasons (traps, panics) into a fixed buffer.
 * No malloc, no printf: these run on fault paths, where the heap or libc
 * state may be what broke.
 */
#include <mewz/plat.h>
#include <mewz/runtime.h>

#include "wasi.h"

static void line_putc(struct mewz_line *l, char c)
{
	if (l->len < sizeof(l->buf))
		l->buf[l->len++] = c;
}

void mewz_line_str(struct mewz_line *l, const char *s)
{
	while (*s)
		line_putc(l, *s++);
}

void mewz_line_dec(struct mewz_line *l, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n > 0)
		line_putc(l, tmp[--n]);
}

void mewz_line_hex(struct mewz_line *l, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;

	mewz_line_str(l, "0x");
	while (shift > 0 && ((v >> shift) & 0xf) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		line_putc(l, digits[(v >> shift) & 0xf]);
}

void mewz_line_emit(struct mewz_line *l)
{
	if (l->len == sizeof(l->buf))
		l->len--;
	l->buf[l->len++] = '\n';
	mewz_plat_console_write(MEWZ_STDERR, l->buf, l->len);
	l->len = 0;
}

_Noreturn void mewz_fatal(int status, const char *what, const char *msg)
{
	struct mewz_line l = {.len = 0};

	mewz_line_str(&l, "mewz: ");
	mewz_line_str(&l, what);
	mewz_line_str(&l, ": ");
	mewz_line_str(&l, msg);
	mewz_line_emit(&l);
	mewz_plat_exit(status);
}
