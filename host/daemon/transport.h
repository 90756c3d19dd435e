/*
 * Transports: how frames reach the server.
 *
 * A transport delivers each connection's bytes, in order, to
 * session_feed() and sends the frames the session hands it.  Frames are
 * byte streams whatever the carrier (AF_UNIX, AF_VSOCK, or virtqueues in
 * the vhost-user backend), so the session never knows which one it has.
 */
#ifndef MH_TRANSPORT_H
#define MH_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct mh_conn;
struct mh_server;
struct mh_listener;

struct mh_conn_ops {
	/* Queue one frame.  Takes buf (from malloc) in every case: it is
	 * freed once written or when the connection dies.  When the bytes
	 * have left, the transport calls session_sent(len). */
	void (*send)(struct mh_conn *c, uint8_t *buf, size_t len);
	/* Stop and restart delivering bytes (backpressure). */
	void (*pause)(struct mh_conn *c);
	void (*resume)(struct mh_conn *c);
	/* Close; once every queued send has finished or been dropped the
	 * transport calls session_conn_gone() and frees c itself. */
	void (*close)(struct mh_conn *c);
};

struct mh_conn {
	const struct mh_conn_ops *ops;
	struct mh_session *sess;
};

struct mh_transport_ops {
	const char *name;
	/* Start accepting; returns 0 or a negative libuv/errno code. */
	int (*start)(struct mh_listener *l);
	/* Stop accepting (existing connections stay up). */
	void (*stop)(struct mh_listener *l);
};

struct mh_listener {
	const struct mh_transport_ops *ops;
	struct mh_server *srv;
	const char *arg; /* path or port as given on the command line */
	void *priv;	 /* the transport's own state */
};

/* transport_unix.c: make path free for a listening AF_UNIX socket.  A
 * socket file nobody answers on (a dead daemon's) is removed; 0, or
 * -EADDRINUSE if one answers, -EEXIST if path is another kind of file. */
int mh_unix_path_claim(const char *path);

extern const struct mh_transport_ops mh_transport_unix;
extern const struct mh_transport_ops mh_transport_vsock;
extern const struct mh_transport_ops mh_transport_fd;
extern const struct mh_transport_ops mh_transport_vhost;

#endif
