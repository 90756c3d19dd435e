/*
 * Sockets for net=host guests: each guest socket is a libuv TCP or UDP
 * handle owned by the daemon (sock.c), inside a bind/connect policy given
 * on the command line (sock_policy.c).  Runs on the loop thread.
 */
#ifndef MH_SOCK_H
#define MH_SOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "proto.h"

struct mh_req;
struct mh_session;
struct mh_server;

/* True for the ops sock_dispatch serves (PROTO_OP_SOCK_*). */
bool sock_op(uint16_t op);
/* Serve a decoded SOCK_* request (consumes r, maybe later). */
void sock_dispatch(struct mh_req *r);
/* The session's connection is gone: close its sockets, drop a waiting
 * SOCK_POLL.  Safe to call for a session that never used sockets. */
void sock_session_gone(struct mh_session *s);

/* Policy: --allow-bind / --allow-connect HOST[:PORT] ("*" = any host,
 * IPv6 in brackets when a port follows).  0, or -1 after printing why. */
int sock_policy_add(bool connect, const char *spec);
/* Refuse every bind and connect from now on, defaults included: for
 * in-process fuzzers, which must not touch the machine's network. */
void sock_policy_lockdown(void);
/* 0 if allowed, else a WASI errno (ACCES) after a log line. */
uint32_t sock_policy_check(struct mh_server *srv, bool connect,
			   const struct proto_addr *a);

#endif
