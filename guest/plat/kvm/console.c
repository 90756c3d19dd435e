/*
 * console.c - stdout/stdin on COM1 (16550 UART at 0x3f8), stderr on an
 * isa-debugcon port (0xe9): two streams the runner keeps apart.  The UART
 * is polled, never interrupt-driven: output waits for THR empty, input is
 * read when the program asks (poll_oneoff rechecks it on every timer tick).
 */
#include <errno.h>

#include <mewz/plat.h>

#include "../../arch/x86_64/cpu.h"
#include "kvm.h"

#define COM1	  0x3f8
#define UART_DATA 0
#define UART_IER  1
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define LSR_DR	  0x01
#define LSR_THRE  0x20
#define DEBUGCON  0xe9

static int uart_present;

void console_init(void)
{
	outb(COM1 + UART_IER, 0x00);  /* no interrupts */
	outb(COM1 + UART_LCR, 0x80);  /* DLAB: set the divisor */
	outb(COM1 + UART_DATA, 0x01); /* 115200 baud */
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	/* FCR is left alone: turning the FIFOs on (or clearing them) would
	 * drop input QEMU has already queued before we got here. */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
	/* A missing UART reads 0xff everywhere. */
	uart_present = inb(COM1 + UART_LSR) != 0xff;
}

static void uart_putc(char c)
{
	unsigned spins = 0;

	/* Bounded: a wedged UART must not hang the VM (or the trap path). */
	while (!(inb(COM1 + UART_LSR) & LSR_THRE) && spins++ < 100000)
		pause();
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void console_early_write(const char *s)
{
	while (*s)
		outb(DEBUGCON, (uint8_t)*s++);
}

long mewz_plat_console_write(enum mewz_stream stream, const void *buf,
			     size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	if (stream == MEWZ_STDERR) {
		for (i = 0; i < len; i++)
			outb(DEBUGCON, p[i]);
		return (long)len;
	}
	if (stream != MEWZ_STDOUT)
		return -EBADF;
	if (!uart_present)
		return (long)len;
	for (i = 0; i < len; i++)
		uart_putc((char)p[i]);
	return (long)len;
}

int mewz_plat_console_readable(void)
{
	if (!args_stdin_serial())
		return 1; /* at end of input */
	return uart_present && (inb(COM1 + UART_LSR) & LSR_DR);
}

long mewz_plat_console_read(void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t n = 0;

	if (!uart_present || !args_stdin_serial())
		return 0;
	while (n < len && (inb(COM1 + UART_LSR) & LSR_DR))
		p[n++] = inb(COM1 + UART_DATA);
	return n ? (long)n : -EAGAIN;
}
