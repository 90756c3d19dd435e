/*
 * clock.c - clock_res_get and clock_time_get.  The program is the only
 * thing the VM runs, so both CPU-time clocks are the monotonic clock.
 */
#include <errno.h>

#include <mewz/plat.h>

#include "wasi.h"

/* 0 and the resolution, or -EINVAL for an unknown clock. */
static int clock_res(uint32_t id, uint64_t *res)
{
	switch (id) {
	case WASI_CLOCK_REALTIME:
		*res = mewz_plat_realtime_res_ns();
		return 0;
	case WASI_CLOCK_MONOTONIC:
	case WASI_CLOCK_PROCESS_CPUTIME:
	case WASI_CLOCK_THREAD_CPUTIME:
		*res = mewz_plat_monotonic_res_ns();
		return 0;
	}
	return -EINVAL;
}

int32_t wasi_clock_res_get(int32_t id, int32_t resp) WASI_IMPORT(clock_res_get);
int32_t wasi_clock_res_get(int32_t id, int32_t resp)
{
	uint64_t res;
	int rc = clock_res((uint32_t)id, &res);

	if (rc < 0)
		return wasi_errno(rc);
	return wasi_errno(wasi_store_u64((uint32_t)resp, res));
}

/* The precision argument is a hint; every clock here is read exactly. */
int32_t wasi_clock_time_get(int32_t id, int64_t precision, int32_t timep)
    WASI_IMPORT(clock_time_get);
int32_t wasi_clock_time_get(int32_t id, int64_t precision, int32_t timep)
{
	uint64_t res;
	int rc = clock_res((uint32_t)id, &res);

	(void)precision;
	if (rc < 0)
		return wasi_errno(rc);
	if (id == WASI_CLOCK_REALTIME)
		return wasi_errno(
		    wasi_store_u64((uint32_t)timep, wasi_realtime_ns()));
	return wasi_errno(
	    wasi_store_u64((uint32_t)timep, mewz_plat_monotonic_ns()));
}
