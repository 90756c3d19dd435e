/*
 * cpu.c - CPU features the program's code may use.  entry.S enables SSE
 * (the baseline); AVX needs the OS to opt in through XSAVE and XCR0, so
 * code built with `mewzc --cpu=native` on an AVX (or AVX-512) host does
 * not fault with #UD.  Interrupt stubs save only the SSE state (fxsave): kernel
 * C code is built for the baseline and never touches the upper halves of ymm.
 */
#include "arch.h"
#include "cpu.h"

#define CR4_OSXSAVE (1ull << 18)
#define XCR0_X87    (1ull << 0)
#define XCR0_SSE    (1ull << 1)
#define XCR0_AVX    (1ull << 2)
/* AVX-512: opmask, upper halves of zmm0-15, zmm16-31. */
#define XCR0_AVX512 (7ull << 5)

static uint64_t read_cr4(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v));
}

static void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv"
			 :
			 : "c"(reg), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32)));
}

void arch_cpu_init(void)
{
	uint32_t r[4];
	uint64_t xcr0;

	cpuid(1, 0, r);
	/* ECX bit 26: XSAVE, bit 28: AVX. */
	if (!((r[2] >> 26) & 1))
		return;
	write_cr4(read_cr4() | CR4_OSXSAVE);
	xcr0 = XCR0_X87 | XCR0_SSE;
	if ((r[2] >> 28) & 1) {
		/* CPUID 0xd: which state components XCR0 may enable. */
		cpuid(0xd, 0, r);
		xcr0 |= (r[0] & XCR0_AVX);
		if ((r[0] & XCR0_AVX512) == XCR0_AVX512)
			xcr0 |= XCR0_AVX512;
	}
	xsetbv(0, xcr0);
}
