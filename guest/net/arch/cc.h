/*
 * arch/cc.h - lwIP's compiler and platform hooks for the Mewz guest
 * (x86-64, newlib, no threads).  Implemented in guest/net/sys.c.
 */
#ifndef MEWZ_LWIP_ARCH_CC_H
#define MEWZ_LWIP_ARCH_CC_H

#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/types.h>

#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif
/* newlib's sys/time.h has struct timeval; lwIP's sockets.h is not built. */
#define LWIP_TIMEVAL_PRIVATE 0
/* newlib defines ssize_t (long); tell arch.h so it does not typedef int. */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* Diagnostics go to the console as one line each; an assertion ends the VM
 * as a panic (a broken stack invariant must not limp on). */
void mewz_lwip_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
_Noreturn void mewz_lwip_assert(const char *msg, const char *file, int line);
uint32_t mewz_lwip_rand(void);

#define LWIP_PLATFORM_DIAG(x)                                                  \
	do {                                                                   \
		mewz_lwip_diag x;                                              \
	} while (0)
#define LWIP_PLATFORM_ASSERT(x) mewz_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_RAND()		mewz_lwip_rand()

#endif /* MEWZ_LWIP_ARCH_CC_H */
