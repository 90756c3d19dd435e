/*
 * A small blocking client of the hostcall protocol over AF_UNIX, for the
 * host suites: it plays the guest's part (HELLO, requests, splitting
 * large reads and writes into frames, pipelining).
 */
#ifndef TC_H
#define TC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

#define TC_MAX_PREOPENS 8

struct tc_preopen {
	uint32_t handle;
	uint64_t rb, ri;
	bool ro;
	char path[256];
};

struct tc {
	int fd;
	uint32_t next_id;
	uint32_t max_frame;
	uint8_t *rx; /* the last frame received; messages point into it */
	uint32_t rx_cap;
	/* From HELLO. */
	struct tc_preopen pre[TC_MAX_PREOPENS];
	uint32_t npre;
	char args[8][64];
	uint32_t nargs;
	char env[8][64];
	uint32_t nenv;
	uint64_t realtime_ns;
};

/* Uses an already-connected stream socket (no HELLO). */
void tc_adopt(struct tc *c, int fd);
/* Connects (no HELLO).  0 or -1. */
int tc_connect(struct tc *c, const char *sock);
/* Connects and says HELLO offering max_frame; 0 or the WASI status. */
uint32_t tc_open_session(struct tc *c, const char *sock, uint32_t max_frame);
void tc_close(struct tc *c);

/* Raw frames.  tc_send encodes op/id/m; tc_send_raw writes bytes as
 * they are.  tc_recv waits (bounded) for one frame and decodes it. */
int tc_send(struct tc *c, uint16_t op, uint32_t id, const struct proto_msg *m);
int tc_send_raw(struct tc *c, const void *p, size_t len);
/* 0 and the frame, -1 on timeout/EOF/undecodable frame. */
int tc_recv(struct tc *c, struct proto_hdr *h, struct proto_msg *m);
/* True if the peer closed the connection (EOF) within the bound. */
bool tc_wait_eof(struct tc *c);

/* One request, one reply: returns the reply's status, or 0xffff if no
 * (matching) reply came.  out may be NULL. */
uint32_t tc_call(struct tc *c, uint16_t op, const struct proto_msg *in,
		 struct proto_msg *out);
#define TC_NOREPLY 0xffffu

/* A message from numbers and C strings. */
struct proto_msg tc_msg(const uint64_t *v, size_t nv, const char *const *s,
			size_t ns);
#define TC_V(...)                                                              \
	(const uint64_t[]){__VA_ARGS__},                                       \
	    sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t)
#define TC_S(...)                                                              \
	(const char *const[]){__VA_ARGS__},                                    \
	    sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *)
#define TC_S0 NULL, 0

/* Shorthands.  Each returns the WASI status. */
#define TC_RW_FILE                                                             \
	(PROTO_R_FD_READ | PROTO_R_FD_WRITE | PROTO_R_FD_SEEK |                \
	 PROTO_R_FD_TELL | PROTO_R_FD_FILESTAT_GET |                           \
	 PROTO_R_FD_FILESTAT_SET_SIZE | PROTO_R_FD_FILESTAT_SET_TIMES |        \
	 PROTO_R_FD_SYNC | PROTO_R_FD_DATASYNC | PROTO_R_FD_ADVISE |           \
	 PROTO_R_FD_ALLOCATE | PROTO_R_FD_FDSTAT_SET_FLAGS)
#define TC_RO_FILE                                                             \
	(PROTO_R_FD_READ | PROTO_R_FD_SEEK | PROTO_R_FD_TELL |                 \
	 PROTO_R_FD_FILESTAT_GET)

uint32_t tc_openat(struct tc *c, uint32_t dir, uint32_t lookup,
		   const char *path, uint32_t oflags, uint64_t rb,
		   uint32_t fdflags, uint32_t *h);
uint32_t tc_close_h(struct tc *c, uint32_t h);
/* All of data, split into frames under the negotiated maximum. */
uint32_t tc_write_all(struct tc *c, uint32_t h, const void *data, size_t len);
/* Up to len bytes by repeated READs until EOF; *got is the total. */
uint32_t tc_read_all(struct tc *c, uint32_t h, void *buf, size_t len,
		     size_t *got);
uint32_t tc_pread(struct tc *c, uint32_t h, uint64_t off, void *buf,
		  uint32_t len, uint32_t *got);
uint32_t tc_path1(struct tc *c, uint16_t op, uint32_t dir, const char *path);
uint32_t tc_stat(struct tc *c, uint32_t dir, uint32_t lookup, const char *path,
		 struct proto_msg *st);
uint32_t tc_fstat(struct tc *c, uint32_t h, struct proto_msg *st);
uint32_t tc_rename(struct tc *c, uint32_t d1, const char *p1, uint32_t d2,
		   const char *p2);
uint32_t tc_link(struct tc *c, uint32_t d1, uint32_t lookup, const char *p1,
		 uint32_t d2, const char *p2);
uint32_t tc_symlink(struct tc *c, const char *target, uint32_t dir,
		    const char *path);
/* The link's target as a C string in buf. */
uint32_t tc_readlink(struct tc *c, uint32_t dir, const char *path, char *buf,
		     uint32_t cap);
/* Whole file content through OPEN/READ/CLOSE; -1 status on failure. */
uint32_t tc_slurp(struct tc *c, uint32_t dir, const char *path, char *buf,
		  size_t cap, size_t *len);

/* FILESTAT field positions in a decoded reply. */
enum {
	TC_ST_DEV,
	TC_ST_INO,
	TC_ST_TYPE,
	TC_ST_NLINK,
	TC_ST_SIZE,
	TC_ST_ATIM,
	TC_ST_MTIM,
	TC_ST_CTIM
};

#endif
