/*
 * io: copies stdin to stdout, then checks the clock, sleeping (poll_oneoff
 * must not return before the time asked for) and random_get.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	char buf[256];
	size_t n;
	struct timespec a, b;
	unsigned char r1[32] = {0}, r2[32] = {0};

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		fwrite(buf, 1, n, stdout);
	if (clock_gettime(CLOCK_MONOTONIC, &a) || clock_gettime(CLOCK_MONOTONIC, &b) ||
	    (b.tv_sec < a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec)))
		return 3;
	if (clock_gettime(CLOCK_REALTIME, &a) || a.tv_sec < 1600000000)
		return 4;
	if (getentropy(r1, sizeof(r1)) || getentropy(r2, sizeof(r2)))
		return 5;
	struct timespec nap = {0, 20 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (nanosleep(&nap, NULL))
		return 6;
	clock_gettime(CLOCK_MONOTONIC, &b);
	long long slept = (b.tv_sec - a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec);
	if (slept < 20 * 1000 * 1000)
		return 7;
	int same = 1;
	for (size_t i = 0; i < sizeof(r1); i++)
		same &= r1[i] == r2[i];
	printf("clock ok, random %s\n", same ? "repeats" : "ok");
	return 0;
}
