/*
 * check.h - the smallest test harness.  CHECK, CHECK_EQ, CHECK_MEM and
 * CHECK_STR each record one counted case, a pass or a failure (printed
 * with its place, and both values where there are two); check_report()
 * prints the closing "N passed, N failed" line and gives main's exit
 * status.  One file of each test program defines the counters:
 *
 *	int check_passed, check_failed;
 */
#ifndef MEWZ_TEST_CHECK_H
#define MEWZ_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

extern int check_passed, check_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond) {                                                    \
			check_passed++;                                        \
		} else {                                                       \
			check_failed++;                                        \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                              \
	} while (0)

#define CHECK_EQ(got, want)                                                    \
	do {                                                                   \
		long long g_ = (long long)(got), w_ = (long long)(want);       \
		if (g_ == w_) {                                                \
			check_passed++;                                        \
		} else {                                                       \
			check_failed++;                                        \
			printf("FAIL %s:%d: %s == %lld, want %lld\n",          \
			       __FILE__, __LINE__, #got, g_, w_);              \
		}                                                              \
	} while (0)

#define CHECK_MEM(got, want, len)                                              \
	do {                                                                   \
		if (memcmp((got), (want), (len)) == 0) {                       \
			check_passed++;                                        \
		} else {                                                       \
			check_failed++;                                        \
			printf("FAIL %s:%d: %s differs from %s\n", __FILE__,   \
			       __LINE__, #got, #want);                         \
		}                                                              \
	} while (0)

#define CHECK_STR(got, want) CHECK_MEM(got, want, strlen(want) + 1)

/* main's last words: the result line; non-zero if anything failed. */
static inline int check_report(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed != 0;
}

#endif /* MEWZ_TEST_CHECK_H */
