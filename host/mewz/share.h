/*
 * share.h - `--share HOST[:GUEST][:ro]` (repeatable) and `--host PATH`
 * of `mewz run` (share.c).
 */
#ifndef MEWZ_SHARE_H
#define MEWZ_SHARE_H

#include <stdbool.h>

#include "mewz.h"

/* Take opt with its argument if it is --share or --host (true if so). */
bool share_option(const char *opt, const char *arg);

/*
 * For --native: start mewz-host for the shares (or name the running one
 * given by --host) and append the variable that tells the program where
 * it is to env, a NULL-terminated array with room for one more entry.
 * Nothing to do without --share/--host.  0, or -1 after printing why.
 */
int share_native_start(const struct tools *t, char **env);

#endif /* MEWZ_SHARE_H */
