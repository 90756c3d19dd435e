/*
 * A session: one connection's protocol state, handle table and limits.
 *
 * Transports call these on the loop thread.  A session lives until both
 * its connection is gone and its last thread-pool job has returned.
 */
#ifndef MH_SESSION_H
#define MH_SESSION_H

#include <stddef.h>
#include <stdint.h>

struct mh_server;
struct mh_conn;
struct mh_session;

struct mh_session *session_new(struct mh_server *srv, struct mh_conn *conn);
/* Bytes received, in order.  Returns 0, or -1 if the stream broke the
 * framing and the transport must close the connection. */
int session_feed(struct mh_session *s, const uint8_t *p, size_t n);
/* A frame of len bytes given to conn->ops->send has left (or was
 * dropped). */
void session_sent(struct mh_session *s, size_t len);
/* The connection is closed and will call nothing more. */
void session_conn_gone(struct mh_session *s);
/* Asks the transport to close (shutdown, protocol error). */
void session_close(struct mh_session *s);
/* session_close() on every session of srv. */
void session_close_all(struct mh_server *srv);

#endif
