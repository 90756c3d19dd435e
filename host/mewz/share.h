/*
 * share.h - `--share HOST[:GUEST][:ro]` (repeatable) and `--host PATH`
 * of `mewz run` (share.c).
 */
#ifndef MEWZ_SHARE_H
#define MEWZ_SHARE_H

#include <stdbool.h>
#include <stdint.h>

#include "mewz.h"

/*
 * Take opt with its argument if it is --share, --host, --allow-bind or
 * --allow-connect (true if so).  The last two go as they are to the
 * mewz-host that mewz starts, but start none themselves: one is started
 * for shares, or for a program's sockets with net=host
 * (share_need_daemon), and a program without sockets has nothing for a
 * policy to govern.  With --host they are refused, as --share is.
 */
bool share_option(const char *opt, const char *arg);

/* --allow-bind or --allow-connect was given (refused with net=lwip). */
bool share_has_policy(void);

/*
 * The program imports socket calls and runs with net=host: start mewz-host
 * even without --share (its sockets are the daemon's).
 */
void share_need_daemon(bool need);

/*
 * For --native: start mewz-host for the shares (or name the running one
 * given by --host) and append the variable that tells the program where
 * it is to env, a NULL-terminated array with room for one more entry.
 * Nothing to do without --share/--host.  0, or -1 after printing why.
 */
int share_native_start(const struct tools *t, char **env);

/*
 * For a VM: start mewz-host for the shares on a vhost-user socket (it
 * stops when this process, or what it execs, ends), or use the running
 * one --host names (its --vhost-user socket), and set *extra to the
 * qemu-run.sh arguments that give the VM the vsock device and shared
 * memory (--mewz-host SOCK; NULL-terminated; NULL without --share/--host
 * or sockets).  0, or -1 after printing why.
 */
int share_vm_start(const struct tools *t, char ***extra);

#endif /* MEWZ_SHARE_H */
