/*
 * clock: the monotonic clock never goes back over many reads and advances
 * across a 20 ms sleep by at least that much; prints "monotonic ok" and
 * the realtime clock's seconds, which the test compares with the host's.
 */
#include <stdio.h>
#include <time.h>

static long long ns(clockid_t id)
{
	struct timespec t;

	if (clock_gettime(id, &t))
		return -1;
	return t.tv_sec * 1000000000ll + t.tv_nsec;
}

int main(void)
{
	long long prev = ns(CLOCK_MONOTONIC), now;
	struct timespec nap = {0, 20 * 1000 * 1000};

	if (prev < 0)
		return 3;
	for (int i = 0; i < 10000; i++) {
		now = ns(CLOCK_MONOTONIC);
		if (now < prev) {
			printf("monotonic went back by %lld ns\n", prev - now);
			return 1;
		}
		prev = now;
	}
	if (nanosleep(&nap, NULL))
		return 4;
	now = ns(CLOCK_MONOTONIC);
	if (now - prev < 20 * 1000 * 1000) {
		printf("slept only %lld ns\n", now - prev);
		return 1;
	}
	printf("monotonic ok\nrealtime %lld\n", ns(CLOCK_REALTIME) / 1000000000);
	return 0;
}
