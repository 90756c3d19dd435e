/*
 * errno.c - the one place where <errno.h> values become WASI errno.  The
 * table is by name, so it is right on any libc (newlib in the kernel,
 * glibc for guest/plat/linux) whatever its numbering.
 */
#include <errno.h>

#include "wasi.h"

/* The names run on, several a line; clang-format would stack them. */
/* clang-format off */
#define WASI_ERRNO_MAP(X)                                                      \
	X(E2BIG) X(EACCES) X(EADDRINUSE) X(EADDRNOTAVAIL) X(EAFNOSUPPORT)      \
	X(EAGAIN) X(EALREADY) X(EBADF) X(EBADMSG) X(EBUSY) X(ECANCELED)        \
	X(ECHILD) X(ECONNABORTED) X(ECONNREFUSED) X(ECONNRESET) X(EDEADLK)     \
	X(EDESTADDRREQ) X(EDOM) X(EDQUOT) X(EEXIST) X(EFAULT) X(EFBIG)         \
	X(EHOSTUNREACH) X(EIDRM) X(EILSEQ) X(EINPROGRESS) X(EINTR) X(EINVAL)   \
	X(EIO) X(EISCONN) X(EISDIR) X(ELOOP) X(EMFILE) X(EMLINK) X(EMSGSIZE)   \
	X(EMULTIHOP) X(ENAMETOOLONG) X(ENETDOWN) X(ENETRESET) X(ENETUNREACH)   \
	X(ENFILE) X(ENOBUFS) X(ENODEV) X(ENOENT) X(ENOEXEC) X(ENOLCK)          \
	X(ENOLINK) X(ENOMEM) X(ENOMSG) X(ENOPROTOOPT) X(ENOSPC) X(ENOSYS)      \
	X(ENOTCONN) X(ENOTDIR) X(ENOTEMPTY) X(ENOTRECOVERABLE) X(ENOTSOCK)     \
	X(ENOTSUP) X(ENOTTY) X(ENXIO) X(EOVERFLOW) X(EOWNERDEAD) X(EPERM)      \
	X(EPIPE) X(EPROTO) X(EPROTONOSUPPORT) X(EPROTOTYPE) X(ERANGE) X(EROFS) \
	X(ESPIPE) X(ESRCH) X(ESTALE) X(ETIMEDOUT) X(ETXTBSY) X(EXDEV)

static const struct {
	int host;
	uint16_t wasi;
} errno_map[] = {
#define WASI_ERRNO_ENTRY(name) {name, WASI_##name},
	WASI_ERRNO_MAP(WASI_ERRNO_ENTRY)
#undef WASI_ERRNO_ENTRY
	/* Aliases some libcs keep distinct (newlib: EOPNOTSUPP != ENOTSUP). */
	{EOPNOTSUPP, WASI_ENOTSUP},
	{EWOULDBLOCK, WASI_EAGAIN},
	{MEWZ_ENOTCAPABLE, WASI_ENOTCAPABLE},
};
/* clang-format on */

uint16_t wasi_errno(int neg_errno)
{
	size_t i;

	if (neg_errno == 0)
		return WASI_ESUCCESS;
	for (i = 0; i < sizeof(errno_map) / sizeof(errno_map[0]); i++)
		if (errno_map[i].host == -neg_errno)
			return errno_map[i].wasi;
	return WASI_EIO;
}
