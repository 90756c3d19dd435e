/*
 * hostcall_errno.c - WASI errno from the wire back to <errno.h> values,
 * which is what the layer uses inside.  The table is the inverse of
 * wasi_errno() (errno.c), built by asking it, so the two can never
 * disagree: a status the host sends comes out of the ABI edge unchanged.
 */
#include <errno.h>

#include "hostcall.h"
#include "wasi.h"

#define WASI_ERRNO_COUNT (WASI_ENOTCAPABLE + 1) /* 0 .. ENOTCAPABLE */
/* Every errno newlib and Linux define lies below this. */
#define HOST_ERRNO_SCAN 1024

static int inverse[WASI_ERRNO_COUNT];
static int inverse_ready;

static void inverse_build(void)
{
	int e;

	for (e = HOST_ERRNO_SCAN - 1; e > 0; e--) {
		uint16_t w = wasi_errno(-e);

		/* EIO is also wasi_errno's "unknown": keep the real one. */
		if (w < WASI_ERRNO_COUNT && (w != WASI_EIO || e == EIO))
			inverse[w] = -e;
	}
	inverse[WASI_ENOTCAPABLE] = -MEWZ_ENOTCAPABLE;
	inverse_ready = 1;
}

int hostcall_errno(uint16_t wasi)
{
	if (!inverse_ready)
		inverse_build();
	if (wasi == 0)
		return 0;
	if (wasi >= WASI_ERRNO_COUNT || !inverse[wasi])
		return -EIO;
	return inverse[wasi];
}
