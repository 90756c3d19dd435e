/*
 * wasi.c - the native WASI calls as wasi-libc uses them, compiled by mewzc
 * and run on the kernel: each line printed is checked by qemu-tests.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timespec t)
{
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	struct timespec a, b, r;
	unsigned char buf[16] = {0}, zero[16] = {0};
	struct stat st;
	int fd;

	printf("argc %d argv1 <%s>\n", argc, argc > 1 ? argv[1] : "");
	printf("env MEWZ_TEST <%s>\n", getenv("MEWZ_TEST") ? getenv("MEWZ_TEST") : "(unset)");
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct timespec d = {0, 30 * 1000 * 1000};
	nanosleep(&d, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("nanosleep %s\n", ns(b) - ns(a) >= 30000000LL ? "ok" : "short");
	clock_gettime(CLOCK_REALTIME, &r);
	printf("realtime %s\n", r.tv_sec > 1600000000 ? "ok" : "bad");
	printf("getentropy %s\n", getentropy(buf, sizeof(buf)) == 0 && memcmp(buf, zero, 16) ? "ok" : "bad");
	printf("isatty(1) %d\n", isatty(1));
	printf("fstat(1) %s\n", fstat(1, &st) == 0 && S_ISCHR(st.st_mode) ? "chardev" : "other");
	fd = open("/nope", O_RDONLY);
	printf("open without preopens %s\n", fd < 0 && (errno == ENOENT || errno == ENOTCAPABLE) ? "fails" : "succeeds");
	printf("lseek(1) %s\n", lseek(1, 0, SEEK_CUR) < 0 && errno == ESPIPE ? "ESPIPE" : "other");
	fprintf(stderr, "to stderr\n");
	fflush(stdout);
	return argc > 2 ? atoi(argv[2]) : 0;
}
