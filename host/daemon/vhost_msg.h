/*
 * vhost-user messages (the vhost-user protocol, as QEMU speaks it):
 * decoding only, no side effects, so it can be unit-tested and fuzzed.
 *
 * A message is a 12-byte header {u32 request, u32 flags, u32 size} and
 * size bytes of payload; file descriptors travel beside it (SCM_RIGHTS).
 * vhost_msg_parse checks the header, that the payload has exactly the
 * length the request needs, and how many fds came with it, before any
 * field is read.  Everything here comes from QEMU, which a guest can
 * influence only indirectly, but it is checked as if it were hostile.
 */
#ifndef MH_VHOST_MSG_H
#define MH_VHOST_MSG_H

#include <stddef.h>
#include <stdint.h>

#define VHOST_USER_HDR_LEN	12u
#define VHOST_USER_VERSION	0x1u
#define VHOST_USER_VERSION_MSK	0x3u
#define VHOST_USER_F_REPLY	0x4u
#define VHOST_USER_F_NEED_REPLY 0x8u
/* Largest payload we accept: SET_MEM_TABLE with 8 regions is 264 bytes,
 * GET_CONFIG 12 + 256. */
#define VHOST_USER_PAYLOAD_MAX 512u
#define VHOST_USER_MAX_FDS     8u
#define VHOST_USER_MAX_REGIONS 8u
#define VHOST_USER_CONFIG_MAX  256u
/* SET_VRING_KICK/CALL/ERR: bits 0-7 index, bit 8 "no fd". */
#define VHOST_USER_VRING_IDX_MASK 0xffu
#define VHOST_USER_VRING_NOFD	  0x100u

/* Feature bits we care about. */
#define VHOST_USER_F_PROTOCOL_FEATURES (1ull << 30)
#define VHOST_F_VERSION_1	       (1ull << 32)
#define VHOST_USER_PROTOCOL_F_MQ       (1ull << 0)
#define VHOST_USER_PROTOCOL_F_CONFIG   (1ull << 9)

#define VHOST_USER_REQS(X)                                                     \
	X(GET_FEATURES, 1)                                                     \
	X(SET_FEATURES, 2)                                                     \
	X(SET_OWNER, 3)                                                        \
	X(RESET_OWNER, 4)                                                      \
	X(SET_MEM_TABLE, 5)                                                    \
	X(SET_LOG_BASE, 6)                                                     \
	X(SET_LOG_FD, 7)                                                       \
	X(SET_VRING_NUM, 8)                                                    \
	X(SET_VRING_ADDR, 9)                                                   \
	X(SET_VRING_BASE, 10)                                                  \
	X(GET_VRING_BASE, 11)                                                  \
	X(SET_VRING_KICK, 12)                                                  \
	X(SET_VRING_CALL, 13)                                                  \
	X(SET_VRING_ERR, 14)                                                   \
	X(GET_PROTOCOL_FEATURES, 15)                                           \
	X(SET_PROTOCOL_FEATURES, 16)                                           \
	X(GET_QUEUE_NUM, 17)                                                   \
	X(SET_VRING_ENABLE, 18)                                                \
	X(GET_CONFIG, 24)                                                      \
	X(SET_CONFIG, 25)

enum vhost_user_req {
#define VHOST_X_ENUM(name, code) VHOST_USER_##name = code,
	VHOST_USER_REQS(VHOST_X_ENUM)
#undef VHOST_X_ENUM
};

struct vhost_region_desc {
	uint64_t gpa;	      /* guest physical address */
	uint64_t size;	      /* bytes */
	uint64_t uva;	      /* QEMU's virtual address of it */
	uint64_t mmap_offset; /* where it starts in the fd */
};

/* A decoded message.  Which member is valid depends on req. */
struct vhost_msg {
	uint32_t req, flags, size;
	union {
		uint64_t u64; /* features, KICK/CALL/ERR index + flags */
		struct {
			uint32_t index, num;
		} state; /* SET_VRING_NUM/BASE/ENABLE, GET_VRING_BASE */
		struct {
			uint32_t index, flags;
			uint64_t desc, used, avail, log; /* QEMU addresses */
		} addr;
		struct {
			uint32_t n;
			struct vhost_region_desc r[VHOST_USER_MAX_REGIONS];
		} mem;
		struct {
			uint32_t offset, size, flags;
		} config; /* GET_CONFIG (its payload bytes are ours to fill) */
	} u;
};

/* The request's name, or NULL if unknown. */
const char *vhost_req_name(uint32_t req);

/*
 * Decode one message from buf (header + payload, len bytes: exactly
 * VHOST_USER_HDR_LEN + size) that arrived with nfds descriptors.
 * Returns 0, -EPROTO (bad version or flags, wrong payload length, wrong
 * fd count, a region that wraps around) or -ENOSYS (a request we do not
 * implement; its payload length is still checked against len).
 */
int vhost_msg_parse(const uint8_t *buf, size_t len, unsigned nfds,
		    struct vhost_msg *m);

/* Payload length in the header at buf (which has >= 12 bytes). */
uint32_t vhost_msg_size(const uint8_t *buf);

/* How many fds request req carries (0 or 1; SET_MEM_TABLE: regions). */
unsigned vhost_msg_fds_wanted(const struct vhost_msg *m);

#endif
