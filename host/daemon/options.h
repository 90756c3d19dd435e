/* The command line of mewz-host, parsed into the server. */
#ifndef MH_OPTIONS_H
#define MH_OPTIONS_H

struct mh_server;

/* Fills srv from argv.  Returns 0 to run, 1 if help was printed, -1 on a
 * usage error (already reported). */
int options_parse(struct mh_server *srv, int argc, char **argv,
		  unsigned *threads);

#endif
