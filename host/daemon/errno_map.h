/* Host errno -> WASI errno: the one table, used at every syscall edge. */
#ifndef MH_ERRNO_MAP_H
#define MH_ERRNO_MAP_H

#include <stdint.h>

/* The WASI errno for a host errno value; unknown values map to IO. */
uint32_t mh_wasi_errno(int host_errno);

#endif
