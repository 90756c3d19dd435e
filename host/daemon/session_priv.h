/*
 * Inside a session: what session.c (connection, framing, limits, replies,
 * jobs) and dispatch.c (what each op does on the loop thread) share.
 * Everything here runs on the loop thread.
 */
#ifndef MH_SESSION_PRIV_H
#define MH_SESSION_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "fs.h"
#include "handles.h"
#include "proto.h"

struct mh_server;
struct mh_conn;
struct sk_sess;

struct mh_req {
	uv_work_t work;
	struct mh_session *s;
	struct mh_req *next; /* pending FIFO */
	struct proto_hdr hdr;
	struct proto_msg in;
	uint8_t *payload;
	struct fs_call call;
	uint8_t *frame; /* reply frame whose data the worker fills, or NULL */
	uint64_t cost;	/* bytes charged to s->inflight */
};

struct mh_session {
	struct mh_server *srv;
	struct mh_conn *conn;
	struct mh_session *prev, *next;
	uint64_t id;
	bool hello_done;
	bool closing;	/* close asked; replies are dropped */
	bool conn_gone; /* the transport will call nothing more */
	bool paused;
	uint32_t max_frame;
	struct mh_htab handles;
	/* The frame being received. */
	uint8_t hdrbuf[PROTO_HDR_LEN];
	uint32_t hdr_have;
	struct mh_req *cur;
	uint32_t pay_have;
	/* Limits. */
	uint64_t inflight;
	struct mh_req *pend_head, *pend_tail;
	uint32_t jobs; /* in the pool */
	uint32_t reqs; /* alive: receiving, pending, in the pool */
	struct sk_sess *sock; /* sock.c: its sockets, from the first SOCK_* */
};

/* dispatch.c: a whole, framed request.  Answers it, or queues it as a
 * job; either way r is consumed. */
void session_dispatch(struct mh_req *r);

/* session.c: answer r (consumes it). */
void req_reply_status(struct mh_req *r, uint32_t status);
void req_reply_msg(struct mh_req *r, const struct proto_msg *m);
/* session.c: run r->call on the thread pool, within the session's job
 * limit; the reply is sent when it returns. */
void session_queue_job(struct mh_req *r);
/* session.c: run r->call here, now, and reply (fs_nonblocking calls). */
void session_run_now(struct mh_req *r);

#endif
