/*
 * check.h - the smallest test harness: CHECK records a pass or a failure
 * (printing both values on failure) and TEST_MAIN prints the closing
 * "N passed, N failed" line and exits non-zero on any failure.  One
 * CHECK is one counted case.
 */
#ifndef MEWZ_TEST_CHECK_H
#define MEWZ_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

extern int check_passed, check_failed;

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

#endif /* MEWZ_TEST_CHECK_H */
