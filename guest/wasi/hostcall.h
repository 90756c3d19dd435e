/*
 * hostcall.h - the guest's client of mewz-host (proto/PROTOCOL.md).
 *
 * The platform owns the carrier: it hands the client a byte stream (an
 * AF_UNIX socket on Linux, a virtio-vsock stream connection in the VM)
 * through struct hostcall_transport and calls hostcall_start once, after
 * mewz_runtime_init and before the program runs.  From then on the WASI
 * layer's host-backed fds (file.c, file_dir.c, path.c) turn their calls
 * into requests through hostcall_call.
 *
 * WASI calls are synchronous and the runtime is single-threaded, so a
 * call has one request outstanding, except positional reads larger than
 * a frame, which pipeline up to HOSTCALL_BATCH_MAX requests
 * (hostcall_batch).  Replies are matched by id; one that answers nothing
 * outstanding is a protocol error.  A broken connection
 * (EOF, a transport error, a malformed or unexpected frame) is final:
 * that call and every later one fail with -EIO; nothing is retried.
 */
#ifndef MEWZ_HOSTCALL_H
#define MEWZ_HOSTCALL_H

#include <stddef.h>
#include <stdint.h>

#include "../../proto/proto.h"

/*
 * A connected, reliable, ordered byte stream to mewz-host.  Both calls
 * block.  send moves all len bytes or fails (negative errno); recv returns
 * 1..len bytes, 0 at end of stream, or a negative errno.  alloc, if not
 * NULL, is where the client's two frame buffers come from (taken at the
 * first hostcall_start, never freed; the VM passes its boot allocator so
 * the memory is accounted for); NULL: malloc.
 */
struct hostcall_transport {
	long (*send)(void *ctx, const void *buf, size_t len);
	long (*recv)(void *ctx, void *buf, size_t len);
	void *ctx;
	void *(*alloc)(size_t len);
};

/*
 * The largest frame the guest offers in HELLO.  The client holds two
 * frame buffers, taken when it starts (a program with no host pays
 * nothing), so this is also its memory footprint (twice).
 */
#define HOSTCALL_FRAME (256u * 1024u)

/*
 * Say HELLO over t, then install each preopen as the next free fd (3, 4,
 * ... in the host's order) and keep the host's args, environment and
 * wall-clock time (see hostcall_args.c for their precedence).  0, or a
 * negative errno (-EIO if the host is unreachable or speaks nonsense).
 */
int hostcall_start(const struct hostcall_transport *t);

/* 1 once HELLO succeeded and the connection is not broken. */
int hostcall_up(void);

/*
 * One round trip: send op with the request fields req, wait for its
 * reply and decode it into resp (strings point into the client's receive
 * buffer and stay valid until the next call).  Returns 0, the reply's
 * status as a negative errno, or -EIO when the connection is (or just
 * became) broken.
 */
int hostcall_call(uint16_t op, const struct proto_msg *req,
		  struct proto_msg *resp);

/*
 * Pipelined requests, all of one op: send the n requests (at most
 * HOSTCALL_BATCH_MAX), then call fn once per reply as it arrives, in the
 * host's order, with the request's index, 0 or the status as a negative
 * errno, and the decoded reply (valid during the call only).  Returns 0
 * once every reply came, -EINVAL (nothing sent) for a request that does
 * not fit a frame, or -EIO when the connection is or becomes broken (fn
 * is then not called for the replies that did not come).
 */
#define HOSTCALL_BATCH_MAX 8u
typedef void (*hostcall_reply_fn)(unsigned index, int rc,
				  const struct proto_msg *resp, void *ctx);
int hostcall_batch(uint16_t op, const struct proto_msg *reqs, unsigned n,
		   hostcall_reply_fn fn, void *ctx);

/* The largest data a READ/WRITE-like request may carry (proto_io_max). */
uint32_t hostcall_io_max(void);

/*
 * HOSTCALL_FRAME bytes a caller may gather a request's data into just
 * before hostcall_call (sock_host.c's send).  It is the receive buffer:
 * the request is encoded out of it before the reply lands there, and
 * whatever an earlier reply's strings pointed to is gone once it is
 * written.  NULL before hostcall_start.
 */
uint8_t *hostcall_scratch(void);

/* A WASI errno from the wire as a negative <errno.h> value (EIO if unknown). */
int hostcall_errno(uint16_t wasi);

/* Mark the connection broken (e.g. when the platform learns it died). */
void hostcall_break(void);

/*
 * Internal to hostcall*.c: take what HELLO's reply carries besides the
 * limits (preopens, args, env, wall clock); rtt_ns is the round trip.
 */
int hostcall_hello_apply(const struct proto_msg *resp, uint64_t rtt_ns);

#endif /* MEWZ_HOSTCALL_H */
