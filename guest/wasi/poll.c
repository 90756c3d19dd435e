/*
 * poll.c - poll_oneoff: clocks, console and file fds, and sockets mixed.
 *
 * Each pass checks the clocks and the non-socket fds here, and all the
 * socket subscriptions at once through the socket backend's poll (one
 * SOCK_POLL round trip with net=host).  While nothing is ready the wait
 * happens in the backend's poll up to the earliest clock deadline (the
 * host answers when a socket becomes ready; lwIP halts the CPU), or, with
 * no socket subscribed, in mewz_plat_block_until; never a spin.
 *
 * One compromise: mewz-host cannot see the guest's console, so a wait
 * that mixes net=host sockets with stdin is cut into POLL_STDIN_SLICE_NS
 * slices to notice input.
 */
#include <errno.h>

#include <mewz/plat.h>

#include "sock.h"
#include "wasi.h"

#define POLL_STDIN_SLICE_NS 10000000ull

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
	if (sock_is(f) && sock_backend_get())
		return 0; /* in the batch of socket_events */
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

/* The socket subscriptions of one call, checked in one batch. */
static struct sock_wait sock_waits[POLL_MAX_SUBS];
static uint32_t sock_subs[POLL_MAX_SUBS];

/*
 * Collect the fd subscriptions on sockets; *stdin_sub says whether the
 * console's stdin is subscribed too.  Returns how many sockets.
 */
static uint32_t socket_collect(const uint8_t *subs, uint32_t n, int *stdin_sub)
{
	uint32_t k = 0;

	*stdin_sub = 0;
	if (!sock_backend_get())
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *sub = subs + (size_t)i * WASI_SUBSCRIPTION_SIZE;
		uint8_t type = wasi_get_u8(sub, WASI_SUB_TAG);
		int err;
		struct wasi_fd *f;

		if (type != WASI_EVENTTYPE_FD_READ &&
		    type != WASI_EVENTTYPE_FD_WRITE)
			continue;
		f = fdt_get(wasi_get_u32(sub, WASI_SUB_FD),
			    WASI_RIGHT_POLL_FD_READWRITE, &err);
		if (!f)
			continue;
		if (f->kind == WASI_FD_CONSOLE &&
		    type == WASI_EVENTTYPE_FD_READ)
			*stdin_sub = 1;
		if (!sock_is(f))
			continue;
		sock_waits[k].sk = sock_sk(f);
		sock_waits[k].events = type == WASI_EVENTTYPE_FD_READ
					   ? SOCK_EV_READ
					   : SOCK_EV_WRITE;
		sock_waits[k].revents = 0;
		sock_subs[k++] = i;
	}
	return k;
}

/*
 * Ask the backend about the k sockets, waiting at most until deadline,
 * and store an event for each ready one after the first `count` events.
 * Returns the new event count.
 */
static int socket_events(const uint8_t *subs, uint32_t k, uint8_t *events,
			 int count, uint64_t deadline)
{
	int rc = sock_backend_get()->poll(sock_waits, k, deadline);

	for (uint32_t j = 0; j < k; j++) {
		const uint8_t *sub =
		    subs + (size_t)sock_subs[j] * WASI_SUBSCRIPTION_SIZE;
		uint8_t type = wasi_get_u8(sub, WASI_SUB_TAG);
		uint8_t *ev = events + (size_t)count * WASI_EVENT_SIZE;

		if (rc < 0) {
			/* The backend failed: every socket reports it. */
			event_store(ev, sub, wasi_errno(rc), type, 0);
			count++;
			continue;
		}
		if (!sock_waits[j].revents)
			continue;
		event_store(ev, sub, WASI_ESUCCESS, type, sock_waits[j].nbytes);
		if (sock_waits[j].revents & SOCK_EV_HUP)
			wasi_put_u16(ev, WASI_EVENT_FLAGS, 1); /* hangup */
		count++;
	}
	return count;
}

int32_t wasi_poll_oneoff(int32_t in, int32_t out, int32_t nsubs,
			 int32_t neventsp) WASI_IMPORT(poll_oneoff);
int32_t wasi_poll_oneoff(int32_t in, int32_t out, int32_t nsubs,
			 int32_t neventsp)
{
	uint32_t n = (uint32_t)nsubs, k;
	const uint8_t *subs;
	uint8_t *events;
	uint64_t start;
	int stdin_sub;

	if (n == 0 || n > POLL_MAX_SUBS)
		return WASI_EINVAL;
	subs = wasi_mem((uint32_t)in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE);
	events = wasi_mem((uint32_t)out, (uint64_t)n * WASI_EVENT_SIZE);
	if (!subs || !events || !wasi_mem((uint32_t)neventsp, 4))
		return WASI_EFAULT;
	start = mewz_plat_monotonic_ns();
	k = socket_collect(subs, n, &stdin_sub);
	for (;;) {
		uint64_t next, now = mewz_plat_monotonic_ns();
		int count = poll_pass(subs, n, events, start, now, &next);

		if (k > 0) {
			uint64_t until = count ? 0 : next;

			if (stdin_sub && until > now + POLL_STDIN_SLICE_NS)
				until = now + POLL_STDIN_SLICE_NS;
			count = socket_events(subs, k, events, count, until);
		}
		if (count > 0)
			return wasi_errno(wasi_store_u32((uint32_t)neventsp,
							 (uint32_t)count));
		if (k == 0)
			mewz_plat_block_until(next);
	}
}
