/*
 * Test harness for the host suites: cases, checks, a daemon per run, and
 * a scratch directory.
 *
 * A case passes if none of its checks failed; th_skip() marks it skipped
 * (never passed).  th_report() prints the "N passed, N failed[, N
 * skipped]" line and returns the exit status.  Every wait has a bound
 * (alarm, poll timeouts), so a broken daemon fails the suite instead of
 * hanging it.
 */
#ifndef TH_H
#define TH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

extern int th_case_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",         \
				__FILE__, __LINE__, #cond);                    \
			th_case_failed = 1;                                    \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long th_a = (long long)(a), th_b = (long long)(b);        \
		if (th_a != th_b) {                                            \
			fprintf(stderr,                                        \
				"  %s:%d: %s == %s failed: %lld != %lld\n",    \
				__FILE__, __LINE__, #a, #b, th_a, th_b);       \
			th_case_failed = 1;                                    \
		}                                                              \
	} while (0)

/* A WASI errno check that prints names. */
#define CHECK_ERR(got, want)                                                   \
	do {                                                                   \
		uint32_t th_g = (got), th_w = (want);                          \
		if (th_g != th_w) {                                            \
			fprintf(stderr, "  %s:%d: %s: got %s, want %s\n",      \
				__FILE__, __LINE__, #got, th_errname(th_g),    \
				th_errname(th_w));                             \
			th_case_failed = 1;                                    \
		}                                                              \
	} while (0)

const char *th_errname(uint32_t e);

/* Runs one case. */
void th_run(const char *name, void (*fn)(void));
/* Records a case decided outside th_run. */
void th_run_result(const char *name, bool ok);
/* Inside a case: count it as skipped, with a reason. */
void th_skip(const char *why);
/* Prints the result line; returns 0 if nothing failed. */
int th_report(void);

/* The scratch tree of this run:  <root>/share (/data), <root>/ro (/ro,
 * read-only), <root>/share2 (/data2), <root>/outside (shared with no one)
 * and <root>/sock for the daemon. */
struct th_env {
	char root[256];
	char share[300], ro[300], share2[300], outside[300], sock[300];
	pid_t daemon;
	const char *daemon_bin;
};

/* Makes the scratch tree (under $TMPDIR or /tmp) and starts the daemon
 * binary with the three shares, the extra
 * arguments (NULL-terminated) and "-- arg1 arg 2".  Returns 0 once the
 * socket accepts connections. */
int th_env_start(struct th_env *e, const char *bin, const char *const *extra);
/* SIGTERM, wait (bounded) and return the daemon's exit status, or -1. */
int th_env_stop_daemon(struct th_env *e);
/* Removes the scratch tree. */
void th_env_clean(struct th_env *e);

/* Small file helpers on host paths. */
int th_write_file(const char *path, const void *data, size_t len);
/* Reads up to cap bytes; returns the length or -1. */
ssize_t th_read_file(const char *path, void *buf, size_t cap);
/* path = a "/" b into out. */
const char *th_join(char *out, size_t cap, const char *a, const char *b);

#endif
