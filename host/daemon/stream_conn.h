/*
 * A connection over a libuv stream (AF_UNIX or AF_VSOCK socket): the
 * mh_conn_ops shared by both socket transports.
 */
#ifndef MH_STREAM_CONN_H
#define MH_STREAM_CONN_H

#include <uv.h>

struct mh_server;

/* A connection on a new uv_pipe_t (not yet connected).  NULL if out of
 * memory. */
uv_pipe_t *stream_conn_new(struct mh_server *srv);
/* Binds the now-connected pipe to a new session and starts reading;
 * closes and frees it on failure. */
void stream_conn_start(uv_pipe_t *pipe);
/* When this connection ends, stop the whole server (--conn-fd). */
void stream_conn_stop_server_on_close(uv_pipe_t *pipe);
/* Closes and frees a pipe that never got a session. */
void stream_conn_discard(uv_pipe_t *pipe);

#endif
