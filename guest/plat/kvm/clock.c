/*
 * clock.c - time.  The TSC is the one clock source: its rate is
 * calibrated at boot against the PIT (channel 0 counts at 1.193182 MHz on
 * every PC-compatible machine, microvm included), or taken from CPUID
 * 0x15/0x16 when there is no PIT.  Realtime is the CMOS RTC read once
 * (1 s resolution: it is the start point, the TSC does the rest).
 *
 * Both happen on first use, not at boot: calibrating takes milliseconds,
 * and a program that never asks for time (hello) should not pay for it.
 */
#include <mewz/plat.h>

#include "../../arch/x86_64/cpu.h"
#include "kvm.h"

#define PIT_HZ	1193182u
#define PIT_CH0 0x40
#define PIT_CMD 0x43
/* 5 ms of PIT ticks: ~0.1% accuracy even with slow (emulated) port I/O. */
#define PIT_CAL_TICKS 5966u

static uint64_t tsc_hz;
static uint64_t tsc_boot;
/* ns = delta * ns_mult >> 32 */
static uint64_t ns_mult;
static uint64_t realtime_boot_ns;
static int calibrated, rtc_read;

static uint16_t pit_read(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, 0x00); /* latch channel 0 */
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return (uint16_t)(hi << 8 | lo);
}

/*
 * One PIT reading and the TSC at that moment: the middle of the rdtsc
 * pair around the port reads.  Returns the pair's width, the reading's
 * uncertainty (large if the vCPU was descheduled in between).
 */
static uint64_t pit_sample(uint16_t *count, uint64_t *tsc)
{
	uint64_t before = rdtsc(), after;

	*count = pit_read();
	after = rdtsc();
	*tsc = before + (after - before) / 2;
	return after - before;
}

/*
 * The TSC rate from the PIT, or 0 if the PIT does not count.  Each end of
 * the window is a pit_sample; a vCPU descheduled between a port read and
 * its rdtsc makes that sample's width large, and such a sample is not
 * used: a later one ends the window instead, or the count starts over.
 */
static uint64_t calibrate_pit(void)
{
	uint64_t t0, t, w0, w;
	uint16_t c0, c;

	for (int attempt = 1; attempt <= 4; attempt++) {
		outb(PIT_CMD, 0x30); /* channel 0, lo/hi byte, mode 0 */
		outb(PIT_CH0, 0xff);
		outb(PIT_CH0, 0xff);
		w0 = pit_sample(&c0, &t0);
		for (;;) {
			w = pit_sample(&c, &t);
			/* ~2^32 cycles without progress: no PIT here. */
			if (t - t0 > (1ull << 32))
				return 0;
			/* Above the start: the count wrapped (55 ms), or the
			 * first reading came before the count was loaded. */
			if (c > c0)
				break;
			if (c0 - c < PIT_CAL_TICKS)
				continue;
			/* Both ends within 1% of the window (under TCG a
			 * sample takes ~0.02% of it); a fourth window that
			 * completes is taken as it is, rather than no rate at
			 * all (one that wraps still means no usable PIT). */
			if ((w0 + w) * 100 <= t - t0 || attempt == 4)
				return (t - t0) * PIT_HZ / (uint64_t)(c0 - c);
			if (w0 * 200 > t - t0)
				break; /* the start is the bad end */
		}
	}
	return 0; /* the count never went down by a window's worth */
}

static uint64_t calibrate_cpuid(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			return (uint64_t)r[2] * r[1] / r[0];
	}
	if (r[0] >= 0x16) {
		cpuid(0x16, 0, r);
		if (r[0])
			return (uint64_t)r[0] * 1000000u;
	}
	return 0;
}

/* ---- CMOS RTC ---- */

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned bcd(uint8_t v, int binary)
{
	return binary ? v : (unsigned)(v & 0xf) + (unsigned)(v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static uint64_t rtc_read_ns(void)
{
	uint8_t s, mi, h, d, mo, y, b;
	unsigned spins = 0;
	int binary;
	unsigned hour;
	int64_t days;

	if (cmos_read(0x0b) == 0xff)
		return 0; /* no RTC */
	/* Wait out an update in progress (at most ~2 ms). */
	while ((cmos_read(0x0a) & 0x80) && spins++ < 100000)
		pause();
	s = cmos_read(0x00);
	mi = cmos_read(0x02);
	h = cmos_read(0x04);
	d = cmos_read(0x07);
	mo = cmos_read(0x08);
	y = cmos_read(0x09);
	b = cmos_read(0x0b);
	binary = b & 0x04;
	hour = bcd(h & 0x7f, binary);
	if (!(b & 0x02) && (h & 0x80)) /* 12-hour clock, PM */
		hour = (hour % 12) + 12;
	else if (!(b & 0x02) && hour == 12)
		hour = 0;
	days = days_from_civil(2000 + bcd(y, binary), bcd(mo, binary),
			       bcd(d, binary));
	if (days < 0)
		return 0;
	return ((uint64_t)days * 86400 + hour * 3600 + bcd(mi, binary) * 60 +
		bcd(s, binary)) *
	       1000000000ull;
}

void clock_init(void)
{
	/* Mask both 8259 PICs: nothing may arrive through them (the PIT's
	 * terminal count included), only the LAPIC timer interrupts. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	tsc_boot = rdtsc();
}

/* Measure the TSC rate, once.  Interrupts are off while the PIT counts. */
static void clock_calibrate(void)
{
	uint64_t flags;

	if (calibrated)
		return;
	flags = irq_save();
	tsc_hz = calibrate_pit();
	if (!tsc_hz)
		tsc_hz = calibrate_cpuid();
	if (!tsc_hz) {
		console_early_write("mewz: warning: no PIT and no CPUID TSC "
				    "rate; assuming 1 GHz\n");
		tsc_hz = 1000000000ull;
	}
	ns_mult = (uint64_t)(((unsigned __int128)1000000000ull << 32) / tsc_hz);
	calibrated = 1;
	irq_restore(flags);
}

uint64_t clock_tsc_to_ns(uint64_t delta)
{
	return (uint64_t)(((unsigned __int128)delta * ns_mult) >> 32);
}

uint64_t clock_tsc_hz(void)
{
	clock_calibrate();
	return tsc_hz;
}

uint64_t mewz_plat_monotonic_ns(void)
{
	clock_calibrate();
	return clock_tsc_to_ns(rdtsc() - tsc_boot);
}

/* Realtime at boot = the RTC now minus the monotonic time since boot. */
uint64_t mewz_plat_realtime_ns(void)
{
	if (!rtc_read) {
		uint64_t now = mewz_plat_monotonic_ns();
		uint64_t rtc = rtc_read_ns();

		realtime_boot_ns = rtc > now ? rtc - now : 0;
		rtc_read = 1;
	}
	return realtime_boot_ns + mewz_plat_monotonic_ns();
}

uint64_t mewz_plat_monotonic_res_ns(void)
{
	clock_calibrate();
	return tsc_hz >= 1000000000ull ? 1
				       : (1000000000ull + tsc_hz - 1) / tsc_hz;
}

uint64_t mewz_plat_realtime_res_ns(void)
{
	return mewz_plat_monotonic_res_ns();
}
