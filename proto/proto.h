/*
 * The Mewz hostcall protocol: frame layout, operations, limits and codec.
 *
 * This is the only contract between the guest and mewz-host; PROTOCOL.md is
 * its normative description.  The header is freestanding C11 (stdint,
 * stddef, stdbool) and is compiled into both sides; it knows no transport.
 *
 * Every multi-byte field is little-endian on the wire.  A frame is a 16-byte
 * header followed by payload_len bytes of payload whose layout is given, per
 * operation, by a format string in PROTO_OPS below.
 */
#ifndef MEWZ_PROTO_H
#define MEWZ_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION 1u
#define PROTO_HDR_LEN 16u

/* Frame limits, in bytes, header included.  Until HELLO completes both
 * sides use PROTO_FRAME_DEFAULT; HELLO settles on the smaller of the two
 * sides' maxima, never below PROTO_FRAME_MIN. */
#define PROTO_FRAME_MIN	    4096u
#define PROTO_FRAME_DEFAULT 65536u
#define PROTO_FRAME_MAX	    (1u << 20)

/* Paths longer than this are refused with NAMETOOLONG. */
#define PROTO_PATH_MAX 4096u

/* Header flags. */
#define PROTO_F_RESPONSE 0x0001u /* set on every host -> guest frame */
#define PROTO_F_KNOWN	 PROTO_F_RESPONSE

/* HELLO feature bits (none defined yet in version 1). */
#define PROTO_FEATURES_KNOWN 0ull

/*
 * The operations.  X(NAME, code, request format, response format)
 *
 * Format letters, in wire order:
 *   b  u8     h  u16     w  u32     q  u64
 *   s  byte string: u32 length, then that many bytes
 * A decoded message keeps numbers in val[] and strings in str[], each in
 * the order they appear in the format.  A response whose status is not 0
 * has an empty payload whatever its format.
 *
 * "FILESTAT" below abbreviates the eight fields "qqbqqqqq": dev, ino,
 * filetype, nlink, size, atim, mtim, ctim (times in ns since the epoch).
 */
#define PROTO_FILESTAT "qqbqqqqq"

#define PROTO_OPS(X)                                                           \
	/* version, features, max_frame -> version, features, max_frame,       \
	 * realtime_ns, preopens, args, env (see PROTOCOL.md) */               \
	X(HELLO, 0x01, "wqw", "wqwqsss")                                       \
	X(PING, 0x02, "", "")                                                  \
	/* dirh, lookupflags, path, oflags, rights_base, rights_inheriting,    \
	 * fdflags -> handle, filetype, rights_base, rights_inheriting */      \
	X(OPEN, 0x10, "wwshqqh", "wbqq")                                       \
	X(CLOSE, 0x11, "w", "")                                                \
	/* h, max_len -> data */                                               \
	X(READ, 0x12, "ww", "s")                                               \
	/* h, offset, max_len -> data */                                       \
	X(PREAD, 0x13, "wqw", "s")                                             \
	/* h, data -> written */                                               \
	X(WRITE, 0x14, "ws", "w")                                              \
	/* h, offset, data -> written */                                       \
	X(PWRITE, 0x15, "wqs", "w")                                            \
	/* h, offset (two's complement i64), whence -> new offset */           \
	X(SEEK, 0x16, "wqb", "q")                                              \
	X(TELL, 0x17, "w", "q")                                                \
	X(SYNC, 0x18, "w", "")                                                 \
	X(DATASYNC, 0x19, "w", "")                                             \
	/* h -> filetype, fdflags, rights_base, rights_inheriting */           \
	X(FDSTAT_GET, 0x1a, "w", "bhqq")                                       \
	/* h, fdflags */                                                       \
	X(FDSTAT_SET_FLAGS, 0x1b, "wh", "")                                    \
	/* h, rights_base, rights_inheriting (may only shrink) */              \
	X(FDSTAT_SET_RIGHTS, 0x1c, "wqq", "")                                  \
	X(FILESTAT_GET, 0x1d, "w", PROTO_FILESTAT)                             \
	/* h, size */                                                          \
	X(FILESTAT_SET_SIZE, 0x1e, "wq", "")                                   \
	/* h, atim, mtim, fstflags */                                          \
	X(FILESTAT_SET_TIMES, 0x1f, "wqqh", "")                                \
	/* h, offset, len, advice */                                           \
	X(ADVISE, 0x20, "wqqb", "")                                            \
	/* h, offset, len */                                                   \
	X(ALLOCATE, 0x21, "wqq", "")                                           \
	/* h, cookie, max_len -> bytes exactly as fd_readdir writes them */    \
	X(READDIR, 0x22, "wqw", "s")                                           \
	/* dirh, lookupflags, path -> FILESTAT */                              \
	X(PATH_FILESTAT_GET, 0x30, "wws", PROTO_FILESTAT)                      \
	/* dirh, lookupflags, path, atim, mtim, fstflags */                    \
	X(PATH_FILESTAT_SET_TIMES, 0x31, "wwsqqh", "")                         \
	X(PATH_CREATE_DIRECTORY, 0x32, "ws", "")                               \
	X(PATH_REMOVE_DIRECTORY, 0x33, "ws", "")                               \
	X(PATH_UNLINK_FILE, 0x34, "ws", "")                                    \
	/* old dirh, old path, new dirh, new path */                           \
	X(PATH_RENAME, 0x35, "wsws", "")                                       \
	/* old dirh, lookupflags, old path, new dirh, new path */              \
	X(PATH_LINK, 0x36, "wwsws", "")                                        \
	/* target, dirh, path */                                               \
	X(PATH_SYMLINK, 0x37, "sws", "")                                       \
	/* dirh, path, max_len -> target (truncated to max_len) */             \
	X(PATH_READLINK, 0x38, "wsw", "s")                                     \
	/* Sockets (net=host).  ADDR strings: see proto_addr_put below. */     \
	/* family (4/6), type (1 dgram, 2 stream) -> handle */                 \
	X(SOCK_OPEN, 0x40, "bb", "w")                                          \
	/* h, addr */                                                          \
	X(SOCK_BIND, 0x41, "ws", "")                                           \
	/* h, backlog */                                                       \
	X(SOCK_LISTEN, 0x42, "ww", "")                                         \
	/* h, addr: 0, or INPROGRESS (readiness WRITE tells the end) */        \
	X(SOCK_CONNECT, 0x43, "ws", "")                                        \
	/* h -> new handle, or AGAIN */                                        \
	X(SOCK_ACCEPT, 0x44, "w", "w")                                         \
	/* h, max_len, riflags -> roflags, data, source addr (or empty) */     \
	X(SOCK_RECV, 0x45, "wwb", "bss")                                       \
	/* h, data, destination addr (or empty) -> bytes taken, or AGAIN */    \
	X(SOCK_SEND, 0x46, "wss", "w")                                         \
	/* h, how (1 rd, 2 wr, 3 both) */                                      \
	X(SOCK_SHUTDOWN, 0x47, "wb", "")                                       \
	/* h, which (0 local, 1 peer) -> addr */                               \
	X(SOCK_ADDR, 0x48, "wb", "s")                                          \
	/* h, option (PROTO_SOCKOPT_*), value */                               \
	X(SOCK_SETOPT, 0x49, "www", "")                                        \
	X(SOCK_GETOPT, 0x4a, "ww", "w")                                        \
	/* node, service, family hint, type hint, max -> list (PROTOCOL.md) */ \
	X(SOCK_GETADDRINFO, 0x4b, "ssbbw", "s")                                \
	/* timeout_ns, list of (u32 h, u8 events) -> list of (u8 revents,      \
	 * u32 nbytes); answered when one is ready or at the timeout */        \
	X(SOCK_POLL, 0x4c, "qs", "s")                                          \
	X(SOCK_CLOSE, 0x4d, "w", "")

enum proto_op {
#define PROTO_X_ENUM(name, code, req, resp) PROTO_OP_##name = code,
	PROTO_OPS(PROTO_X_ENUM)
#undef PROTO_X_ENUM
};

/* Codes 0x40..0x7f are reserved for the socket operations (net=host). */

/*
 * Socket addresses on the wire (SOCK_BIND, _CONNECT, _SEND, _RECV, _ADDR,
 * _GETADDRINFO): a string of 7 bytes {u8 4, u16 port, 4 address bytes} or
 * 23 bytes {u8 6, u16 port, 16 address bytes, u32 scope_id}; the port is
 * little-endian like every field, the address bytes in network order.
 */
#define PROTO_ADDR4_LEN 7u
#define PROTO_ADDR6_LEN 23u
#define PROTO_ADDR_MAX	PROTO_ADDR6_LEN

struct proto_addr {
	uint8_t family; /* 4 or 6 */
	uint16_t port;
	uint8_t addr[16];
	uint32_t scope_id;
};

/* Encode a into out (PROTO_ADDR_MAX bytes): its length, or 0 if the
 * family is neither 4 nor 6. */
uint32_t proto_addr_put(uint8_t *out, const struct proto_addr *a);
/* Decode a wire address; false if the length does not match its family. */
bool proto_addr_get(const uint8_t *p, uint32_t len, struct proto_addr *a);

/* SOCK_POLL events and SOCK_SETOPT/GETOPT options. */
#define PROTO_POLL_READ	 0x1u
#define PROTO_POLL_WRITE 0x2u
#define PROTO_POLL_HUP	 0x4u
#define PROTO_POLL_ERR	 0x8u
#define PROTO_POLL_MAX	 1024u /* entries in one SOCK_POLL */

#define PROTO_SOCKOPT_REUSEADDR	 1u
#define PROTO_SOCKOPT_TYPE	 2u
#define PROTO_SOCKOPT_ERROR	 3u /* WASI errno of a pending error, then cleared */
#define PROTO_SOCKOPT_BROADCAST	 4u
#define PROTO_SOCKOPT_SNDBUF	 5u
#define PROTO_SOCKOPT_RCVBUF	 6u
#define PROTO_SOCKOPT_KEEPALIVE	 7u
#define PROTO_SOCKOPT_LINGER	 8u
#define PROTO_SOCKOPT_ACCEPTCONN 9u
#define PROTO_SOCKOPT_NODELAY	 10u
#define PROTO_GAI_MAX		 64u /* answers in one SOCK_GETADDRINFO */
#define PROTO_OP_LIMIT 0x80u

/* Most fields one message has: OPEN's 6 numbers, HELLO's 3 strings,
 * FILESTAT's 8 numbers. */
#define PROTO_MAX_VALS 8u
#define PROTO_MAX_STRS 3u

struct proto_hdr {
	uint32_t payload_len;
	uint16_t op;
	uint16_t flags;
	uint32_t id;
	uint32_t status; /* WASI errno in responses, 0 in requests */
};

struct proto_str {
	const uint8_t *p; /* points into the frame; not NUL-terminated */
	uint32_t len;
};

struct proto_msg {
	uint64_t val[PROTO_MAX_VALS];
	struct proto_str str[PROTO_MAX_STRS];
	uint8_t nval, nstr;
};

/* Codec results.  0 is success; the rest say what was wrong. */
enum proto_err {
	PROTO_OK = 0,
	PROTO_E_SHORT = -1,  /* buffer shorter than the header or a field */
	PROTO_E_LONG = -2,   /* bytes left over, or frame above the limit */
	PROTO_E_OP = -3,     /* unknown operation */
	PROTO_E_FLAGS = -4,  /* unknown header flag */
	PROTO_E_STATUS = -5, /* request with status, or error with payload */
	PROTO_E_SPACE = -6,  /* encoder: output buffer too small */
	PROTO_E_FORMAT = -7, /* encoder: message does not match the format */
};

/* The format of op's request or response, or NULL if op is unknown. */
const char *proto_format(uint16_t op, bool response);
/* The op's name ("OPEN") or NULL. */
const char *proto_op_name(uint16_t op);

/*
 * Header: decode checks the flags and that payload_len fits max_frame;
 * it needs len >= PROTO_HDR_LEN.  The op is checked by proto_decode, so a
 * server can still answer an unknown op with NOSYS.
 */
int proto_decode_hdr(const uint8_t *buf, size_t len, uint32_t max_frame,
		     struct proto_hdr *h);
void proto_encode_hdr(uint8_t out[PROTO_HDR_LEN], const struct proto_hdr *h);

/*
 * Payload: decode exactly payload_len bytes against the op's format (the
 * response format if h->flags has PROTO_F_RESPONSE).  An error response
 * (status != 0) must be empty and is accepted for any op.  Strings in m
 * point into payload, which must outlive m.
 */
int proto_decode(const struct proto_hdr *h, const uint8_t *payload,
		 struct proto_msg *m);

/* Bytes the payload of m takes under fmt, or -1 if m does not match.
 * Here and in proto_encode, a NULL m is a message with no fields. */
int64_t proto_payload_len(const char *fmt, const struct proto_msg *m);

/*
 * Encode header and payload into out (cap bytes).  Sets h->payload_len.
 * Returns the frame length, or a negative enum proto_err.  If h->status is
 * not 0 the payload is empty and m may be NULL.
 */
int64_t proto_encode(uint8_t *out, size_t cap, struct proto_hdr *h,
		     const struct proto_msg *m);

/* The largest data string a READ/WRITE-like frame can carry under
 * max_frame: what is left after the header and the fixed fields. */
uint32_t proto_io_max(uint32_t max_frame);

/*
 * A bounds-checked cursor for the nested lists in HELLO's strings.  Any
 * read past the end sets bad and returns zeroes; check bad once at the end.
 */
struct proto_cur {
	const uint8_t *p;
	uint32_t len, off;
	bool bad;
};

void proto_cur_init(struct proto_cur *c, const uint8_t *p, uint32_t len);
uint8_t proto_get_u8(struct proto_cur *c);
uint32_t proto_get_u32(struct proto_cur *c);
uint64_t proto_get_u64(struct proto_cur *c);
struct proto_str proto_get_str(struct proto_cur *c);
/* True if every byte was consumed and nothing was out of bounds. */
bool proto_cur_done(const struct proto_cur *c);

/* The writing side: writes past cap set bad and are dropped. */
struct proto_put {
	uint8_t *p;
	uint32_t cap, off;
	bool bad;
};

void proto_put_init(struct proto_put *w, uint8_t *p, uint32_t cap);
void proto_put_u8(struct proto_put *w, uint8_t v);
void proto_put_u32(struct proto_put *w, uint32_t v);
void proto_put_u64(struct proto_put *w, uint64_t v);
void proto_put_bytes(struct proto_put *w, const void *p, uint32_t len);
void proto_put_str(struct proto_put *w, const void *p, uint32_t len);

/*
 * HELLO's lists (PROTOCOL.md section 4).  Each list is a u32 count and
 * then its entries; a preopen entry is u32 handle, u64 rights_base, u64
 * rights_inheriting, u8 flags and a string path; args and env entries are
 * strings.  Readers: proto_cur_init on the list string, proto_get_u32 for
 * the count, then one get per entry, then proto_cur_done.
 */
struct proto_preopen {
	uint32_t handle;
	uint64_t rights_base, rights_inheriting;
	uint8_t flags; /* PROTO_PREOPEN_* */
	struct proto_str path;
};

void proto_put_preopen(struct proto_put *w, const struct proto_preopen *p);
/* False (and c->bad) if the entry runs past the end. */
bool proto_get_preopen(struct proto_cur *c, struct proto_preopen *p);

/* Little-endian helpers shared by both sides. */
static inline uint16_t proto_ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t proto_ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t proto_ld64(const uint8_t *p)
{
	return (uint64_t)proto_ld32(p) | ((uint64_t)proto_ld32(p + 4) << 32);
}

static inline void proto_st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void proto_st32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void proto_st64(uint8_t *p, uint64_t v)
{
	proto_st32(p, (uint32_t)v);
	proto_st32(p + 4, (uint32_t)(v >> 32));
}

/*
 * WASI preview 1 values the protocol carries.  They are the WASI ABI's own
 * numbers, so the guest passes them through without translation.
 */

/* errno, X(NAME, value): every status field carries one of these. */
#define PROTO_WASI_ERRNOS(X)                                                          \
	X(SUCCESS, 0)                                                                 \
	X(2BIG, 1)                                                                    \
	X(ACCES, 2) X(ADDRINUSE, 3) X(ADDRNOTAVAIL, 4) X(AFNOSUPPORT, 5) X(           \
	    AGAIN, 6) X(ALREADY, 7) X(BADF, 8) X(BADMSG, 9) X(BUSY, 10)               \
	    X(CANCELED, 11) X(CHILD, 12) X(CONNABORTED, 13) X(                        \
		CONNREFUSED, 14) X(CONNRESET, 15) X(DEADLK, 16)                       \
		X(DESTADDRREQ, 17) X(DOM, 18) X(DQUOT, 19) X(EXIST, 20) X(            \
		    FAULT, 21) X(FBIG, 22) X(HOSTUNREACH, 23) X(IDRM, 24)             \
		    X(ILSEQ, 25) X(INPROGRESS, 26) X(INTR, 27) X(INVAL, 28) X(        \
			IO, 29) X(ISCONN, 30)                                         \
			X(ISDIR, 31) X(LOOP, 32) X(MFILE, 33) X(MLINK, 34) X(         \
			    MSGSIZE, 35) X(MULTIHOP,                                  \
					   36) X(NAMETOOLONG, 37)                     \
			    X(NETDOWN, 38) X(NETRESET, 39) X(NETUNREACH, 40)          \
				X(NFILE, 41) X(NOBUFS, 42) X(NODEV, 43) X(            \
				    NOENT, 44) X(NOEXEC,                              \
						 45) X(NOLCK, 46)                     \
				    X(NOLINK, 47) X(NOMEM, 48) X(NOMSG, 49) X(        \
					NOPROTOOPT,                                   \
					50) X(NOSPC, 51) X(NOSYS, 52)                 \
					X(NOTCONN, 53) X(NOTDIR, 54) X(               \
					    NOTEMPTY,                                 \
					    55) X(NOTRECOVERABLE, 56)                 \
					    X(NOTSOCK, 57) X(NOTSUP, 58) X(           \
						NOTTY, 59) X(NXIO,                    \
							     60) X(OVERFLOW,          \
								   61)                \
						X(OWNERDEAD, 62) X(PERM,              \
								   63) X(PIPE,        \
									 64)          \
						    X(PROTO, 65) X(                   \
							PROTONOSUPPORT,               \
							66) X(PROTOTYPE, 67)          \
							X(RANGE, 68) X(               \
							    ROFS,                     \
							    69) X(SPIPE, 70)          \
							    X(SRCH,                   \
							      71) X(STALE, 72)        \
								X(TIMEDOUT,           \
								  73) X(TXTBSY,       \
									74)           \
								    X(XDEV,           \
								      75)             \
									X(NOTCAPABLE, \
									  76)

enum proto_wasi_errno {
#define PROTO_X_ERRNO(name, v) PROTO_WASI_E##name = v,
	PROTO_WASI_ERRNOS(PROTO_X_ERRNO)
#undef PROTO_X_ERRNO
};

/* filetype */
#define PROTO_FT_UNKNOWN       0u
#define PROTO_FT_BLOCK_DEVICE  1u
#define PROTO_FT_CHAR_DEVICE   2u
#define PROTO_FT_DIRECTORY     3u
#define PROTO_FT_REGULAR_FILE  4u
#define PROTO_FT_SOCKET_DGRAM  5u
#define PROTO_FT_SOCKET_STREAM 6u
#define PROTO_FT_SYMLINK       7u

/* oflags, fdflags, lookupflags, fstflags, whence, advice */
#define PROTO_O_CREAT	  0x1u
#define PROTO_O_DIRECTORY 0x2u
#define PROTO_O_EXCL	  0x4u
#define PROTO_O_TRUNC	  0x8u
#define PROTO_O_KNOWN	  0xfu

#define PROTO_FD_APPEND	  0x01u
#define PROTO_FD_DSYNC	  0x02u
#define PROTO_FD_NONBLOCK 0x04u
#define PROTO_FD_RSYNC	  0x08u
#define PROTO_FD_SYNC	  0x10u
#define PROTO_FD_KNOWN	  0x1fu

#define PROTO_LOOKUP_SYMLINK_FOLLOW 0x1u

#define PROTO_FST_ATIM	   0x1u
#define PROTO_FST_ATIM_NOW 0x2u
#define PROTO_FST_MTIM	   0x4u
#define PROTO_FST_MTIM_NOW 0x8u
#define PROTO_FST_KNOWN	   0xfu

#define PROTO_WHENCE_SET 0u
#define PROTO_WHENCE_CUR 1u
#define PROTO_WHENCE_END 2u

#define PROTO_ADVICE_NORMAL	0u
#define PROTO_ADVICE_SEQUENTIAL 1u
#define PROTO_ADVICE_RANDOM	2u
#define PROTO_ADVICE_WILLNEED	3u
#define PROTO_ADVICE_DONTNEED	4u
#define PROTO_ADVICE_NOREUSE	5u

/* rights, X(NAME, bit) */
#define PROTO_RIGHTS(X)                                                        \
	X(FD_DATASYNC, 0)                                                      \
	X(FD_READ, 1)                                                          \
	X(FD_SEEK, 2) X(FD_FDSTAT_SET_FLAGS, 3) X(FD_SYNC, 4) X(FD_TELL, 5) X( \
	    FD_WRITE, 6) X(FD_ADVISE, 7) X(FD_ALLOCATE, 8)                     \
	    X(PATH_CREATE_DIRECTORY, 9) X(PATH_CREATE_FILE, 10) X(             \
		PATH_LINK_SOURCE, 11) X(PATH_LINK_TARGET, 12) X(PATH_OPEN, 13) \
		X(FD_READDIR, 14) X(PATH_READLINK, 15)                         \
		    X(PATH_RENAME_SOURCE, 16) X(PATH_RENAME_TARGET, 17) X(     \
			PATH_FILESTAT_GET, 18) X(PATH_FILESTAT_SET_SIZE, 19)   \
			X(PATH_FILESTAT_SET_TIMES, 20) X(FD_FILESTAT_GET, 21)  \
			    X(FD_FILESTAT_SET_SIZE, 22)                        \
				X(FD_FILESTAT_SET_TIMES, 23)                   \
				    X(PATH_SYMLINK, 24)                        \
					X(PATH_REMOVE_DIRECTORY, 25)           \
					    X(PATH_UNLINK_FILE, 26)            \
						X(POLL_FD_READWRITE, 27)       \
						    X(SOCK_SHUTDOWN, 28)       \
							X(SOCK_ACCEPT, 29)

/* Every right is below bit 30, so each fits an int enumerator. */
enum proto_right {
#define PROTO_X_RIGHT(name, bit) PROTO_R_##name = 1 << bit,
	PROTO_RIGHTS(PROTO_X_RIGHT)
#undef PROTO_X_RIGHT
};

#define PROTO_R_ALL ((1ull << 30) - 1)

/* Rights that make sense on a regular file and on a directory. */
#define PROTO_R_FILE                                                           \
	(PROTO_R_FD_DATASYNC | PROTO_R_FD_READ | PROTO_R_FD_SEEK |             \
	 PROTO_R_FD_FDSTAT_SET_FLAGS | PROTO_R_FD_SYNC | PROTO_R_FD_TELL |     \
	 PROTO_R_FD_WRITE | PROTO_R_FD_ADVISE | PROTO_R_FD_ALLOCATE |          \
	 PROTO_R_FD_FILESTAT_GET | PROTO_R_FD_FILESTAT_SET_SIZE |              \
	 PROTO_R_FD_FILESTAT_SET_TIMES | PROTO_R_POLL_FD_READWRITE)
#define PROTO_R_DIR                                                            \
	(PROTO_R_FD_FDSTAT_SET_FLAGS | PROTO_R_FD_SYNC | PROTO_R_FD_ADVISE |   \
	 PROTO_R_PATH_CREATE_DIRECTORY | PROTO_R_PATH_CREATE_FILE |            \
	 PROTO_R_PATH_LINK_SOURCE | PROTO_R_PATH_LINK_TARGET |                 \
	 PROTO_R_PATH_OPEN | PROTO_R_FD_READDIR | PROTO_R_PATH_READLINK |      \
	 PROTO_R_PATH_RENAME_SOURCE | PROTO_R_PATH_RENAME_TARGET |             \
	 PROTO_R_PATH_FILESTAT_GET | PROTO_R_PATH_FILESTAT_SET_SIZE |          \
	 PROTO_R_PATH_FILESTAT_SET_TIMES | PROTO_R_FD_FILESTAT_GET |           \
	 PROTO_R_FD_FILESTAT_SET_TIMES | PROTO_R_PATH_SYMLINK |                \
	 PROTO_R_PATH_REMOVE_DIRECTORY | PROTO_R_PATH_UNLINK_FILE)

/* Size of the fixed part of a WASI dirent as fd_readdir writes it:
 * d_next u64, d_ino u64, d_namlen u32, d_type u8, 3 bytes padding. */
#define PROTO_DIRENT_LEN 24u

/* HELLO preopen flags */
#define PROTO_PREOPEN_RO 0x1u

#endif /* MEWZ_PROTO_H */
