/*
 * Telling ThreadSanitizer how fd numbers move between threads.
 *
 * libuv closes fds with a raw close(2) syscall and resolve.c opens them
 * with a raw openat2(2); TSan intercepts neither, so when a number the
 * loop thread used for a socket comes back from openat2 on a pool thread,
 * TSan still thinks it is the old socket and reports a race on it.
 *
 * In a TSan build the loop thread holds a mutex across every uv_close()
 * that closes an fd (libuv's last epoll_ctl and the close itself happen
 * inside it), and a pool thread locks and unlocks that mutex right after
 * it gets a new fd.  The kernel can only have handed out a number closed
 * inside the critical section, so the pool thread's lock comes after the
 * loop thread's unlock: a real happens-before that TSan can see.  In any
 * other build all three are empty.
 */
#ifndef MH_FD_SYNC_H
#define MH_FD_SYNC_H

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MH_FD_SYNC_TSAN 1
#endif
#endif

#ifdef MH_FD_SYNC_TSAN
#include <pthread.h>

extern pthread_mutex_t mh_fd_sync_lock;

/* Loop thread, around uv_close() of a handle that owns an fd. */
static inline void mh_fd_close_begin(void)
{
	pthread_mutex_lock(&mh_fd_sync_lock);
}

static inline void mh_fd_close_end(void)
{
	pthread_mutex_unlock(&mh_fd_sync_lock);
}

/* Pool thread, after any call that returned a new fd. */
static inline void mh_fd_opened(void)
{
	pthread_mutex_lock(&mh_fd_sync_lock);
	pthread_mutex_unlock(&mh_fd_sync_lock);
}
#else
static inline void mh_fd_close_begin(void)
{
}

static inline void mh_fd_close_end(void)
{
}

static inline void mh_fd_opened(void)
{
}
#endif

#endif
