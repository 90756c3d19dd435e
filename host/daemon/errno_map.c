/*
 * Host errno -> WASI errno.  WASI borrowed POSIX's names, so most rows are
 * name for name; the few that are not say why.
 */
#include "errno_map.h"

#include <errno.h>

#include "proto.h"

#define MH_ERRNO_MAP(X)                                                                                                            \
	X(E2BIG, 2BIG)                                                                                                             \
	X(EACCES, ACCES)                                                                                                           \
	X(EADDRINUSE, ADDRINUSE)                                                                                                   \
	X(EADDRNOTAVAIL, ADDRNOTAVAIL) X(EAFNOSUPPORT, AFNOSUPPORT) X(                                                             \
	    EAGAIN, AGAIN) X(EALREADY, ALREADY) X(EBADF, BADF) X(EBADMSG,                                                          \
								 BADMSG)                                                           \
	    X(EBUSY, BUSY) X(ECANCELED, CANCELED) X(ECHILD, CHILD) X(                                                              \
		ECONNABORTED,                                                                                                      \
		CONNABORTED) X(ECONNREFUSED,                                                                                       \
			       CONNREFUSED) X(ECONNRESET,                                                                          \
					      CONNRESET) X(EDEADLK, DEADLK)                                                        \
		X(EDESTADDRREQ, DESTADDRREQ) X(EDOM, DOM) X(EDQUOT, DQUOT) X(                                                      \
		    EEXIST, EXIST) X(EFAULT,                                                                                       \
				     FAULT) X(EFBIG,                                                                               \
					      FBIG) X(EHOSTUNREACH,                                                                \
						      HOSTUNREACH) X(EIDRM,                                                        \
								     IDRM)                                                         \
		    X(EILSEQ, ILSEQ) X(EINPROGRESS, INPROGRESS) X(                                                                 \
			EINTR, INTR) X(EINVAL, INVAL) X(EIO, IO) X(EISCONN,                                                        \
								   ISCONN)                                                         \
			X(EISDIR, ISDIR) X(ELOOP, LOOP) X(EMFILE, MFILE) X(                                                        \
			    EMLINK,                                                                                                \
			    MLINK) X(EMSGSIZE,                                                                                     \
				     MSGSIZE) X(EMULTIHOP,                                                                         \
						MULTIHOP) X(ENAMETOOLONG,                                                          \
							    NAMETOOLONG)                                                           \
			    X(ENETDOWN, NETDOWN) X(ENETRESET, NETRESET) X(                                                         \
				ENETUNREACH,                                                                                       \
				NETUNREACH) X(ENFILE,                                                                              \
					      NFILE) X(ENOBUFS,                                                                    \
						       NOBUFS) X(ENODEV,                                                           \
								 NODEV)                                                            \
				X(ENOENT, NOENT) X(ENOEXEC, NOEXEC) X(                                                             \
				    ENOLCK,                                                                                        \
				    NOLCK) X(ENOLINK,                                                                              \
					     NOLINK) X(ENOMEM,                                                                     \
						       NOMEM) X(ENOMSG, NOMSG)                                                     \
				    X(ENOPROTOOPT, NOPROTOOPT) X(ENOSPC, NOSPC) X(                                                 \
					ENOSYS,                                                                                    \
					NOSYS) X(ENOTCONN,                                                                         \
						 NOTCONN) X(ENOTDIR, NOTDIR)                                                       \
					X(ENOTEMPTY, NOTEMPTY) X(                                                                  \
					    ENOTRECOVERABLE,                                                                       \
					    NOTRECOVERABLE) X(ENOTSOCK, NOTSOCK)                                                   \
					    X(ENOTSUP, NOTSUP) X(ENOTTY, NOTTY) X(                                                 \
						ENXIO,                                                                             \
						NXIO) X(EOVERFLOW, OVERFLOW)                                                       \
						X(EOWNERDEAD, OWNERDEAD) X(                                                        \
						    EPERM,                                                                         \
						    PERM) X(EPIPE, PIPE)                                                           \
						    X(EPROTO, PROTO) X(                                                            \
							EPROTONOSUPPORT,                                                           \
							PROTONOSUPPORT)                                                            \
							X(EPROTOTYPE,                                                              \
							  PROTOTYPE) X(ERANGE,                                                     \
								       RANGE)                                                      \
							    X(EROFS, ROFS) X(                                                      \
								ESPIPE,                                                            \
								SPIPE) X(ESRCH,                                                    \
									 SRCH)                                                     \
								X(ESTALE, STALE) X(                                                \
								    ETIMEDOUT,                                                     \
								    TIMEDOUT)                                                      \
								    X(ETXTBSY,                                                     \
								      TXTBSY)                                                      \
									X(EXDEV,                                                   \
									  XDEV) /* Linux-only values with a close WASI meaning. */ \
	    X(ENOMEDIUM, NODEV) X(ENODATA, NOENT) X(ECOMM, IO)                                                                     \
		X(EREMOTEIO, IO)

uint32_t mh_wasi_errno(int e)
{
	/* EWOULDBLOCK and EOPNOTSUPP alias EAGAIN and ENOTSUP on Linux;
	 * a switch would reject the duplicate labels, so compare in turn. */
#define MH_X(host, wasi)                                                       \
	if (e == (host))                                                       \
		return PROTO_WASI_E##wasi;
	if (e == 0)
		return PROTO_WASI_ESUCCESS;
	MH_ERRNO_MAP(MH_X)
#undef MH_X
	return PROTO_WASI_EIO;
}
