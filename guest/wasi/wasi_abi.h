/*
 * wasi_abi.h - WASI preview 1 (wasi_snapshot_preview1) constants and the
 * byte layout of the structures the calls read from and write to linear
 * memory.  Layouts are given as offsets, never as C structs: linear memory
 * is little-endian and unaligned, so every field goes through mem.h's
 * load/store helpers.
 */
#ifndef MEWZ_WASI_ABI_H
#define MEWZ_WASI_ABI_H

#include <stdint.h>

/* errno: the WASI numbering (preview 1 $errno). */
#define WASI_ESUCCESS	     0
#define WASI_E2BIG	     1
#define WASI_EACCES	     2
#define WASI_EADDRINUSE	     3
#define WASI_EADDRNOTAVAIL   4
#define WASI_EAFNOSUPPORT    5
#define WASI_EAGAIN	     6
#define WASI_EALREADY	     7
#define WASI_EBADF	     8
#define WASI_EBADMSG	     9
#define WASI_EBUSY	     10
#define WASI_ECANCELED	     11
#define WASI_ECHILD	     12
#define WASI_ECONNABORTED    13
#define WASI_ECONNREFUSED    14
#define WASI_ECONNRESET	     15
#define WASI_EDEADLK	     16
#define WASI_EDESTADDRREQ    17
#define WASI_EDOM	     18
#define WASI_EDQUOT	     19
#define WASI_EEXIST	     20
#define WASI_EFAULT	     21
#define WASI_EFBIG	     22
#define WASI_EHOSTUNREACH    23
#define WASI_EIDRM	     24
#define WASI_EILSEQ	     25
#define WASI_EINPROGRESS     26
#define WASI_EINTR	     27
#define WASI_EINVAL	     28
#define WASI_EIO	     29
#define WASI_EISCONN	     30
#define WASI_EISDIR	     31
#define WASI_ELOOP	     32
#define WASI_EMFILE	     33
#define WASI_EMLINK	     34
#define WASI_EMSGSIZE	     35
#define WASI_EMULTIHOP	     36
#define WASI_ENAMETOOLONG    37
#define WASI_ENETDOWN	     38
#define WASI_ENETRESET	     39
#define WASI_ENETUNREACH     40
#define WASI_ENFILE	     41
#define WASI_ENOBUFS	     42
#define WASI_ENODEV	     43
#define WASI_ENOENT	     44
#define WASI_ENOEXEC	     45
#define WASI_ENOLCK	     46
#define WASI_ENOLINK	     47
#define WASI_ENOMEM	     48
#define WASI_ENOMSG	     49
#define WASI_ENOPROTOOPT     50
#define WASI_ENOSPC	     51
#define WASI_ENOSYS	     52
#define WASI_ENOTCONN	     53
#define WASI_ENOTDIR	     54
#define WASI_ENOTEMPTY	     55
#define WASI_ENOTRECOVERABLE 56
#define WASI_ENOTSOCK	     57
#define WASI_ENOTSUP	     58
#define WASI_ENOTTY	     59
#define WASI_ENXIO	     60
#define WASI_EOVERFLOW	     61
#define WASI_EOWNERDEAD	     62
#define WASI_EPERM	     63
#define WASI_EPIPE	     64
#define WASI_EPROTO	     65
#define WASI_EPROTONOSUPPORT 66
#define WASI_EPROTOTYPE	     67
#define WASI_ERANGE	     68
#define WASI_EROFS	     69
#define WASI_ESPIPE	     70
#define WASI_ESRCH	     71
#define WASI_ESTALE	     72
#define WASI_ETIMEDOUT	     73
#define WASI_ETXTBSY	     74
#define WASI_EXDEV	     75
#define WASI_ENOTCAPABLE     76

/* $filetype */
#define WASI_FILETYPE_UNKNOWN	       0
#define WASI_FILETYPE_BLOCK_DEVICE     1
#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_FILETYPE_DIRECTORY	       3
#define WASI_FILETYPE_REGULAR_FILE     4
#define WASI_FILETYPE_SOCKET_DGRAM     5
#define WASI_FILETYPE_SOCKET_STREAM    6
#define WASI_FILETYPE_SYMBOLIC_LINK    7

/* $fdflags */
#define WASI_FDFLAG_APPEND   0x1
#define WASI_FDFLAG_DSYNC    0x2
#define WASI_FDFLAG_NONBLOCK 0x4
#define WASI_FDFLAG_RSYNC    0x8
#define WASI_FDFLAG_SYNC     0x10

/* $rights */
#define WASI_RIGHT_FD_DATASYNC		   (1ull << 0)
#define WASI_RIGHT_FD_READ		   (1ull << 1)
#define WASI_RIGHT_FD_SEEK		   (1ull << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS	   (1ull << 3)
#define WASI_RIGHT_FD_SYNC		   (1ull << 4)
#define WASI_RIGHT_FD_TELL		   (1ull << 5)
#define WASI_RIGHT_FD_WRITE		   (1ull << 6)
#define WASI_RIGHT_FD_ADVISE		   (1ull << 7)
#define WASI_RIGHT_FD_ALLOCATE		   (1ull << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY   (1ull << 9)
#define WASI_RIGHT_PATH_CREATE_FILE	   (1ull << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE	   (1ull << 11)
#define WASI_RIGHT_PATH_LINK_TARGET	   (1ull << 12)
#define WASI_RIGHT_PATH_OPEN		   (1ull << 13)
#define WASI_RIGHT_FD_READDIR		   (1ull << 14)
#define WASI_RIGHT_PATH_READLINK	   (1ull << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE	   (1ull << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET	   (1ull << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET	   (1ull << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE  (1ull << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define WASI_RIGHT_FD_FILESTAT_GET	   (1ull << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE	   (1ull << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES   (1ull << 23)
#define WASI_RIGHT_PATH_SYMLINK		   (1ull << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY   (1ull << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE	   (1ull << 26)
#define WASI_RIGHT_POLL_FD_READWRITE	   (1ull << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN	   (1ull << 28)
#define WASI_RIGHT_SOCK_ACCEPT		   (1ull << 29)
#define WASI_RIGHTS_ALL			   ((1ull << 30) - 1)

/* $clockid */
#define WASI_CLOCK_REALTIME	   0
#define WASI_CLOCK_MONOTONIC	   1
#define WASI_CLOCK_PROCESS_CPUTIME 2
#define WASI_CLOCK_THREAD_CPUTIME  3

/* $whence */
#define WASI_WHENCE_SET 0
#define WASI_WHENCE_CUR 1
#define WASI_WHENCE_END 2

/* $eventtype and $subclockflags */
#define WASI_EVENTTYPE_CLOCK	0
#define WASI_EVENTTYPE_FD_READ	1
#define WASI_EVENTTYPE_FD_WRITE 2
#define WASI_SUBCLOCK_ABSTIME	0x1

/* $signal: the ones whose default action is not to terminate. */
#define WASI_SIGNAL_CHLD  16
#define WASI_SIGNAL_CONT  17
#define WASI_SIGNAL_STOP  18
#define WASI_SIGNAL_TSTP  19
#define WASI_SIGNAL_TTIN  20
#define WASI_SIGNAL_TTOU  21
#define WASI_SIGNAL_URG	  22
#define WASI_SIGNAL_WINCH 27
#define WASI_SIGNAL_MAX	  30

/* $preopentype */
#define WASI_PREOPENTYPE_DIR 0

/* $iovec / $ciovec: { u32 buf, u32 buf_len } */
#define WASI_IOVEC_SIZE 8

/* $fdstat */
#define WASI_FDSTAT_SIZE     24
#define WASI_FDSTAT_FILETYPE 0	/* u8 */
#define WASI_FDSTAT_FLAGS    2	/* u16 */
#define WASI_FDSTAT_RIGHTS   8	/* u64 */
#define WASI_FDSTAT_INHERIT  16 /* u64 */

/* $filestat */
#define WASI_FILESTAT_SIZE     64
#define WASI_FILESTAT_DEV      0  /* u64 */
#define WASI_FILESTAT_INO      8  /* u64 */
#define WASI_FILESTAT_FILETYPE 16 /* u8 */
#define WASI_FILESTAT_NLINK    24 /* u64 */
#define WASI_FILESTAT_FSIZE    32 /* u64 */
#define WASI_FILESTAT_ATIM     40 /* u64 */
#define WASI_FILESTAT_MTIM     48 /* u64 */
#define WASI_FILESTAT_CTIM     56 /* u64 */

/* $prestat: { u8 tag, u32 pr_name_len } */
#define WASI_PRESTAT_SIZE     8
#define WASI_PRESTAT_TAG      0
#define WASI_PRESTAT_NAME_LEN 4

/* $subscription: userdata, tag, then the clock or fd_readwrite union. */
#define WASI_SUBSCRIPTION_SIZE	 48
#define WASI_SUB_USERDATA	 0  /* u64 */
#define WASI_SUB_TAG		 8  /* u8 */
#define WASI_SUB_CLOCK_ID	 16 /* u32 */
#define WASI_SUB_CLOCK_TIMEOUT	 24 /* u64 */
#define WASI_SUB_CLOCK_PRECISION 32 /* u64 */
#define WASI_SUB_CLOCK_FLAGS	 40 /* u16 */
#define WASI_SUB_FD		 16 /* u32 */

/* $event */
#define WASI_EVENT_SIZE	    32
#define WASI_EVENT_USERDATA 0  /* u64 */
#define WASI_EVENT_ERROR    8  /* u16 */
#define WASI_EVENT_TYPE	    10 /* u8 */
#define WASI_EVENT_NBYTES   16 /* u64 */
#define WASI_EVENT_FLAGS    24 /* u16 */

#endif /* MEWZ_WASI_ABI_H */
