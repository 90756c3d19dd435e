/*
 * hostcall_bench.c - what a file call through the hostcall path costs.
 *
 * The same source is built twice: for wasm32-wasi (run by `mewz run`, in a
 * VM over virtio-vsock or natively over AF_UNIX, every call below reaching
 * mewz-host) and for Linux (the same calls as plain syscalls on the same
 * file: the host's own figure). Only ordinary POSIX calls, so wasi-libc
 * turns them into the WASI calls named in the comments.
 *
 *   hostcall_bench DIR [MIB] [NULL_OPS] [PREAD_OPS]
 *
 * DIR must be writable; bench.bin (MIB MiB, default 64) is made anew there
 * (unlinked first) and left in place. Prints one `hostcall: KEY VALUE` line per
 * figure (run.sh collects them) and nothing else on stdout; exit 1 with a
 * message on stderr if a call fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK (1u << 20)
#define SMALL 4096u

static uint8_t *buf_a, *buf_b;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "hostcall_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* MB/s with MB = 10^6 bytes, as dd and wrk print it. */
static void put_mbs(const char *key, uint64_t bytes, uint64_t ns)
{
	printf("hostcall: %s %.1f\n", key, ns ? bytes * 1e3 / (double)ns : 0.0);
}

/* Sequential write in 1 MiB write() calls (fd_write), no fsync: what is
 * measured is the path to the host's page cache, as natively. */
static void seq_write(const char *path, uint32_t mib)
{
	uint64_t t0;
	int fd;

	/* A new file each run, not a truncated one: truncating the last
	 * run's pages (maybe still being written back) would be timed in
	 * some peers and not others. */
	if (unlink(path) && errno != ENOENT)
		fail("unlink");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		fail("open for writing");
	for (uint32_t i = 0; i < BLOCK; i++)
		buf_a[i] = (uint8_t)(i * 131u + 7u);
	t0 = now_ns();
	for (uint32_t i = 0; i < mib; i++) {
		buf_a[0] = (uint8_t)i; /* each block differs */
		if (write(fd, buf_a, BLOCK) != (ssize_t)BLOCK)
			fail("write");
	}
	put_mbs("seq_write_mbs", (uint64_t)mib * BLOCK, now_ns() - t0);
	if (close(fd))
		fail("close");
}

/* Sequential read in 1 MiB read() calls (fd_read), checking the length and
 * one byte per block so a short or wrong read cannot pass as fast. */
static void seq_read(const char *path, uint32_t mib)
{
	int fd = open(path, O_RDONLY);
	uint64_t t0, total = 0;

	if (fd < 0)
		fail("open for reading");
	t0 = now_ns();
	for (uint32_t i = 0; i < mib; i++) {
		uint32_t got = 0;

		while (got < BLOCK) {
			ssize_t n = read(fd, buf_b + got, BLOCK - got);

			if (n <= 0)
				fail("read (short file?)");
			got += (uint32_t)n;
		}
		if (buf_b[0] != (uint8_t)i || buf_b[BLOCK - 1] != buf_a[BLOCK - 1])
			fail("read: wrong bytes");
		total += got;
	}
	put_mbs("seq_read_mbs", total, now_ns() - t0);
	close(fd);
}

/* The same file in 1 MiB pread() calls (fd_pread) at increasing offsets:
 * unlike read(), positional reads of one call may be pipelined. */
static void seq_pread(const char *path, uint32_t mib)
{
	int fd = open(path, O_RDONLY);
	uint64_t t0;

	if (fd < 0)
		fail("open for pread");
	t0 = now_ns();
	for (uint32_t i = 0; i < mib; i++) {
		if (pread(fd, buf_b, BLOCK, (off_t)i * BLOCK) != (ssize_t)BLOCK)
			fail("pread 1 MiB");
		if (buf_b[0] != (uint8_t)i || buf_b[BLOCK - 1] != buf_a[BLOCK - 1])
			fail("pread: wrong bytes");
	}
	put_mbs("seq_pread_mbs", (uint64_t)mib * BLOCK, now_ns() - t0);
	close(fd);
}

/* 4 KiB pread() (fd_pread) at random 4 KiB-aligned offsets, one at a time:
 * synchronous small reads per second. */
static void rand_pread(const char *path, uint32_t mib, uint32_t ops)
{
	int fd = open(path, O_RDONLY);
	uint32_t blocks = mib * (BLOCK / SMALL), x = 2463534242u;
	uint64_t t0, ns;

	if (fd < 0)
		fail("open for pread");
	t0 = now_ns();
	for (uint32_t i = 0; i < ops; i++) {
		x ^= x << 13; /* xorshift32: cheap, fixed sequence */
		x ^= x >> 17;
		x ^= x << 5;
		if (pread(fd, buf_b, SMALL, (off_t)(x % blocks) * SMALL) != (ssize_t)SMALL)
			fail("pread");
	}
	ns = now_ns() - t0;
	printf("hostcall: pread4k_per_s %.0f\n", ns ? ops * 1e9 / (double)ns : 0.0);
	close(fd);
}

/* The cheapest call that reaches the host: fstat() = fd_filestat_get on a
 * host file (FILESTAT_GET: one handle lookup, one fstat, no path walk).
 * fd_fdstat_get would not do: the guest answers it from its own table. */
static void null_call(const char *path, uint32_t ops)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint64_t t0, ns;

	if (fd < 0)
		fail("open for fstat");
	t0 = now_ns();
	for (uint32_t i = 0; i < ops; i++)
		if (fstat(fd, &st))
			fail("fstat");
	ns = now_ns() - t0;
	printf("hostcall: null_us %.2f\n", ops ? ns / 1e3 / ops : 0.0);
	close(fd);
}

/* The same bytes as seq_read moved by memcpy from one 1 MiB block into
 * another: what the guest itself can move, the ratio's denominator. */
static void guest_memcpy(uint32_t mib)
{
	uint64_t t0 = now_ns();

	for (uint32_t i = 0; i < mib; i++) {
		buf_a[0] = (uint8_t)i;
		memcpy(buf_b, buf_a, BLOCK);
		/* keep the copy: the compiler must not drop it */
		__asm__ volatile("" : : "r"(buf_b) : "memory");
	}
	put_mbs("memcpy_mbs", (uint64_t)mib * BLOCK, now_ns() - t0);
}

static uint32_t arg_u32(int argc, char **argv, int i, uint32_t def)
{
	return argc > i ? (uint32_t)strtoul(argv[i], NULL, 10) : def;
}

int main(int argc, char **argv)
{
	char path[4096];
	uint32_t mib, nulls, preads;

	if (argc < 2) {
		fprintf(stderr, "usage: hostcall_bench DIR [MIB] [NULL_OPS] [PREAD_OPS]\n");
		return 2;
	}
	mib = arg_u32(argc, argv, 2, 64);
	nulls = arg_u32(argc, argv, 3, 2000);
	preads = arg_u32(argc, argv, 4, 2000);
	if (mib == 0 || snprintf(path, sizeof path, "%s/bench.bin", argv[1]) >= (int)sizeof path) {
		fprintf(stderr, "hostcall_bench: bad DIR or MIB\n");
		return 2;
	}
	buf_a = malloc(BLOCK);
	buf_b = malloc(BLOCK);
	if (!buf_a || !buf_b)
		fail("malloc");
	seq_write(path, mib);
	seq_read(path, mib);
	seq_pread(path, mib);
	rand_pread(path, mib, preads);
	null_call(path, nulls);
	guest_memcpy(mib);
	return 0;
}
