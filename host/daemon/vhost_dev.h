/*
 * The vhost-user vsock backend's internals, shared by its three files:
 *
 *   transport_vhost.c  the listening socket, each QEMU connection's
 *                      socket reader, kick watchers, deferred work and
 *                      teardown (all libuv handles live there)
 *   vhost_user.c       what each vhost-user message does to the device
 *   vhost_vsock.c      the virtio-vsock stream protocol over the rx/tx
 *                      rings, and the mh_conn each guest stream becomes
 *
 * One struct vhost_dev per QEMU (one vhost-user connection); everything
 * runs on the loop thread.  Session calls into a connection (send,
 * pause, resume, close) only record what to do and schedule the
 * device's work callback, so no session function is ever re-entered
 * from inside another one.
 */
#ifndef MH_VHOST_DEV_H
#define MH_VHOST_DEV_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "transport.h"
#include "vhost_mem.h"
#include "vhost_msg.h"
#include "vhost_ring.h"

#define VHOST_NQUEUES	   2 /* rx 0, tx 1; the event queue stays in QEMU */
#define VHOST_Q_RX	   0
#define VHOST_Q_TX	   1
#define VSOCK_CID_HOST	   2u
#define VSOCK_PORT_DEFAULT 1024u
/* What we advertise as buf_alloc: bytes a guest may have in flight to
 * one connection before it must wait for a credit update.  Two of the
 * guest's frames (its HOSTCALL_FRAME, 256 KiB; the protocol allows up to
 * 1 MiB), so a request of that size never stalls halfway. */
#define VSOCK_HOST_BUF	       (512u * 1024)
#define VSOCK_RST_QUEUE	       64
#define VSOCK_MAX_CONNS_PER_VM 64

struct vhost_dev;
struct vhost_listener;

struct kick_watch {
	uv_poll_t poll;
	int fd;
	struct vhost_dev *dev;
	int qi;
};

struct vhost_vq {
	struct vhost_ring ring;
	struct kick_watch *kick; /* NULL until SET_VRING_KICK */
	int call_fd;		 /* -1: nobody to notify */
	bool enabled;
};

struct out_frame {
	struct out_frame *next;
	uint8_t *buf;
	size_t len, off;
};

struct vsock_hconn {
	struct mh_conn conn; /* first: container-of is a cast */
	struct vhost_dev *dev;
	struct vsock_hconn *next;
	uint32_t guest_port;
	bool closing;	 /* reaped at the next work run */
	bool guest_gone; /* the guest reset it: no RST back */
	bool paused;	 /* session backpressure */
	bool need_response, need_credit_update, need_credit_request;
	bool credit_asked; /* CREDIT_REQUEST sent since fwd_cnt last moved */
	/* guest -> host */
	uint32_t rx_cnt;       /* bytes received */
	uint32_t fwd_cnt;      /* bytes handed to the session */
	uint32_t fwd_reported; /* fwd_cnt the guest last heard of */
	uint8_t *backlog;      /* bytes received while paused */
	size_t blen;
	/* host -> guest */
	uint32_t peer_buf_alloc, peer_fwd_cnt, tx_cnt;
	struct out_frame *out_head, *out_tail;
};

struct vhost_dev {
	struct mh_server *srv;
	struct vhost_listener *lst;
	struct vhost_dev *next; /* in the listener's list */
	uint64_t id;
	uint32_t port;	    /* the vsock port we accept on */
	uint64_t guest_cid; /* what GET_CONFIG tells QEMU */
	/* vhost-user socket and the message being read */
	int fd;
	uv_poll_t sock_poll;
	uint8_t in[VHOST_USER_HDR_LEN + VHOST_USER_PAYLOAD_MAX];
	size_t have;
	int fds[VHOST_USER_MAX_FDS];
	unsigned nfds;
	bool fd_overflow;
	/* device state */
	uint64_t features, proto_features;
	struct vhost_mem mem;
	struct vhost_vq vq[VHOST_NQUEUES];
	struct vsock_hconn *conns;
	struct {
		uint32_t guest_port, host_port;
	} rst[VSOCK_RST_QUEUE];
	unsigned rst_head, rst_n;
	/* deferred work and teardown */
	uv_idle_t work;
	bool work_pending;
	bool dead;	  /* torn down: no more I/O */
	bool stopping;	  /* the daemon stops: flush RSTs, then tear down */
	unsigned handles; /* open libuv handles; freed at 0 once dead */
};

/* transport_vhost.c */
void vhost_dev_schedule(struct vhost_dev *d);
/* Replace queue qi's kick fd (takes fd; -1 removes it). */
int vhost_dev_set_kick(struct vhost_dev *d, int qi, int fd);
void vhost_dev_teardown(struct vhost_dev *d);

/* vhost_user.c: act on one decoded message; fds are consumed (closed or
 * kept).  Returns 0, or -1 if the connection must be dropped. */
int vhost_user_handle(struct vhost_dev *d, const struct vhost_msg *m, int *fds,
		      unsigned nfds);
/* Is queue qi ready to be run? */
bool vhost_vq_ready(const struct vhost_dev *d, int qi);
/* Signal queue qi's call eventfd if the driver wants it. */
void vhost_vq_call(struct vhost_dev *d, int qi);

/* vhost_vsock.c */
void vsock_dev_tx(struct vhost_dev *d); /* the guest kicked tx */
/* Deferred work: reap closed connections, drain backlogs, fill rx. */
void vsock_dev_work(struct vhost_dev *d);
/* Drop every connection (device reset, QEMU gone). */
void vsock_dev_reset(struct vhost_dev *d, bool can_send);
bool vsock_dev_idle(const struct vhost_dev *d); /* nothing left to send */

#endif
