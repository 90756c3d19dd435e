/*
 * poll.c - poll_oneoff: clock subscriptions and fd readiness.  While
 * nothing is ready the CPU is halted by mewz_plat_block_until until the
 * earliest clock deadline or the next interrupt, never spun.
 */
#include <errno.h>

#include <mewz/plat.h>

#include "wasi.h"

/* More subscriptions than this are EINVAL (no allocation, bounded work). */
#define POLL_MAX_SUBS 4096

/*
 * The monotonic deadline of a clock subscription, or -EINVAL.  Relative
 * timeouts count from `start`, the time of the call, not from each pass;
 * absolute realtime ones go through the current realtime offset.
 */
static int clock_deadline(const uint8_t *sub, uint64_t start,
			  uint64_t *deadline)
{
	uint32_t id = wasi_get_u32(sub, WASI_SUB_CLOCK_ID);
	uint64_t timeout = wasi_get_u64(sub, WASI_SUB_CLOCK_TIMEOUT);
	uint16_t flags = wasi_get_u16(sub, WASI_SUB_CLOCK_FLAGS);
	uint64_t mono, real;

	if (id > WASI_CLOCK_THREAD_CPUTIME)
		return -EINVAL;
	if (flags & WASI_SUBCLOCK_ABSTIME) {
		if (id != WASI_CLOCK_REALTIME) {
			*deadline = timeout;
			return 0;
		}
		mono = mewz_plat_monotonic_ns();
		real = wasi_realtime_ns();
		*deadline = timeout <= real ? mono : mono + (timeout - real);
		return 0;
	}
	*deadline = timeout > UINT64_MAX - start ? UINT64_MAX : start + timeout;
	return 0;
}

static void event_store(uint8_t *ev, const uint8_t *sub, uint16_t err,
			uint8_t type, uint64_t nbytes)
{
	memset(ev, 0, WASI_EVENT_SIZE);
	wasi_put_u64(ev, WASI_EVENT_USERDATA,
		     wasi_get_u64(sub, WASI_SUB_USERDATA));
	wasi_put_u16(ev, WASI_EVENT_ERROR, err);
	wasi_put_u8(ev, WASI_EVENT_TYPE, type);
	wasi_put_u64(ev, WASI_EVENT_NBYTES, nbytes);
}

/*
 * Check one fd subscription.  Returns 1 and fills *err and *nbytes if it has
 * an event to report (ready, or an error such as EBADF), else 0.
 */
static int fd_event(const uint8_t *sub, uint8_t type, uint16_t *err,
		    uint64_t *nbytes)
{
	uint32_t fd = wasi_get_u32(sub, WASI_SUB_FD);
	int rc;
	struct wasi_fd *f = fdt_get(fd, WASI_RIGHT_POLL_FD_READWRITE, &rc);

	*nbytes = 0;
	if (!f) {
		*err = wasi_errno(rc);
		return 1;
	}
	if (!f->ops || !f->ops->readiness) {
		/* Regular files are always ready, as POSIX poll says. */
		*err = WASI_ESUCCESS;
		return 1;
	}
	rc = f->ops->readiness(f, type, nbytes);
	if (rc < 0) {
		*err = wasi_errno(rc);
		return 1;
	}
	*err = WASI_ESUCCESS;
	return rc > 0;
}

/*
 * One pass over the subscriptions: store an event for each one that is
 * ready now and return how many.  *next gets the earliest clock deadline
 * still pending.
 */
static int poll_pass(const uint8_t *subs, uint32_t n, uint8_t *events,
		     uint64_t start, uint64_t now, uint64_t *next)
{
	int count = 0;
	uint32_t i;

	*next = UINT64_MAX;
	for (i = 0; i < n; i++) {
		const uint8_t *sub = subs + (size_t)i * WASI_SUBSCRIPTION_SIZE;
		uint8_t type = wasi_get_u8(sub, WASI_SUB_TAG);
		uint8_t *ev = events + (size_t)count * WASI_EVENT_SIZE;
		uint64_t deadline, nbytes;
		uint16_t err;

		if (type == WASI_EVENTTYPE_CLOCK) {
			if (clock_deadline(sub, start, &deadline) < 0) {
				event_store(ev, sub, WASI_EINVAL, type, 0);
				count++;
			} else if (deadline <= now) {
				event_store(ev, sub, WASI_ESUCCESS, type, 0);
				count++;
			} else if (deadline < *next) {
				*next = deadline;
			}
			continue;
		}
		if (type != WASI_EVENTTYPE_FD_READ &&
		    type != WASI_EVENTTYPE_FD_WRITE) {
			event_store(ev, sub, WASI_EINVAL, type, 0);
			count++;
			continue;
		}
		if (fd_event(sub, type, &err, &nbytes)) {
			event_store(ev, sub, err, type, nbytes);
			count++;
		}
	}
	return count;
}

int32_t wasi_poll_oneoff(int32_t in, int32_t out, int32_t nsubs,
			 int32_t neventsp) WASI_IMPORT(poll_oneoff);
int32_t wasi_poll_oneoff(int32_t in, int32_t out, int32_t nsubs,
			 int32_t neventsp)
{
	uint32_t n = (uint32_t)nsubs;
	const uint8_t *subs;
	uint8_t *events;
	uint64_t start;

	if (n == 0 || n > POLL_MAX_SUBS)
		return WASI_EINVAL;
	subs = wasi_mem((uint32_t)in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE);
	events = wasi_mem((uint32_t)out, (uint64_t)n * WASI_EVENT_SIZE);
	if (!subs || !events || !wasi_mem((uint32_t)neventsp, 4))
		return WASI_EFAULT;
	start = mewz_plat_monotonic_ns();
	for (;;) {
		uint64_t next;
		int count = poll_pass(subs, n, events, start,
				      mewz_plat_monotonic_ns(), &next);

		if (count > 0)
			return wasi_errno(wasi_store_u32((uint32_t)neventsp,
							 (uint32_t)count));
		mewz_plat_block_until(next);
	}
}
