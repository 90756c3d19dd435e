/*
 * check.h - counted checks for the net-unit suite: CHECK_EQ records a pass
 * or a failure (printing both values); main prints "N passed, N failed".
 */
#ifndef MEWZ_NET_UNIT_CHECK_H
#define MEWZ_NET_UNIT_CHECK_H

#include <stdio.h>

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

void test_virtio_net(void);
void test_config(void);

#endif /* MEWZ_NET_UNIT_CHECK_H */
