/*
 * Suite host-fs: every file operation of the protocol and its error
 * cases, over AF_UNIX, against a mewz-host (ASan+UBSan build) started for
 * this run on a scratch share.  argv[1] is the daemon binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/vm_sockets.h>

#include "tc.h"
#include "th.h"

#define FOLLOW PROTO_LOOKUP_SYMLINK_FOLLOW
#define DIR_RIGHTS                                                             \
	(PROTO_R_FD_READDIR | PROTO_R_PATH_OPEN | PROTO_R_PATH_CREATE_FILE |   \
	 PROTO_R_PATH_FILESTAT_GET | PROTO_R_FD_FILESTAT_GET)

static struct th_env env;
static struct tc cl; /* the main client, HELLO done */
static uint32_t D;   /* handle of /data */
static uint32_t RO;  /* handle of /ro */
static uint32_t D2;  /* handle of /data2 */

static char *hpath(const char *rel)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	return (char *)th_join(buf[i], sizeof(buf[i]), env.share, rel);
}

static uint32_t mkfile(const char *rel, const char *content)
{
	uint32_t h,
	    st = tc_openat(&cl, D, FOLLOW, rel, PROTO_O_CREAT | PROTO_O_TRUNC,
			   TC_RW_FILE, 0, &h);

	if (st)
		return st;
	st = tc_write_all(&cl, h, content, strlen(content));
	tc_close_h(&cl, h);
	return st;
}

static void test_hello(void)
{
	struct tc c;

	CHECK_ERR(tc_open_session(&c, env.sock, 8192), 0);
	CHECK_EQ(c.max_frame, 8192); /* the smaller offer wins */
	CHECK_EQ(c.npre, 3);
	CHECK(strcmp(c.pre[0].path, "/data") == 0 && !c.pre[0].ro);
	CHECK(strcmp(c.pre[1].path, "/ro") == 0 && c.pre[1].ro);
	CHECK(strcmp(c.pre[2].path, "/data2") == 0 && !c.pre[2].ro);
	CHECK(c.pre[0].rb & PROTO_R_PATH_OPEN);
	CHECK(c.pre[0].ri & PROTO_R_FD_WRITE);
	CHECK_EQ(c.nargs, 2);
	CHECK(strcmp(c.args[0], "arg1") == 0);
	CHECK(strcmp(c.args[1], "arg 2") == 0);
	CHECK_EQ(c.nenv, 1);
	CHECK(strcmp(c.env[0], "K=V") == 0);
	/* Wall-clock time: after 2020-01-01, as the host's clock. */
	CHECK(c.realtime_ns > 1577836800ull * 1000000000ull);
	/* A second HELLO is refused; the session stays usable. */
	struct proto_msg in = tc_msg(TC_V(PROTO_VERSION, 0, 8192), TC_S0);

	CHECK_ERR(tc_call(&c, PROTO_OP_HELLO, &in, NULL), PROTO_WASI_EALREADY);
	CHECK_ERR(tc_call(&c, PROTO_OP_PING, NULL, NULL), 0);
	tc_close(&c);

	/* A larger offer than the daemon's maximum is cut to it; a
	 * smaller one than the minimum is refused. */
	CHECK_ERR(tc_open_session(&c, env.sock, 0xffffffffu), 0);
	CHECK_EQ(c.max_frame, PROTO_FRAME_MAX);
	tc_close(&c);
	CHECK_ERR(tc_open_session(&c, env.sock, 100), PROTO_WASI_EINVAL);
	tc_close(&c);
	/* Version 0 is not spoken. */
	CHECK(tc_connect(&c, env.sock) == 0);
	in = tc_msg(TC_V(0, 0, 65536), TC_S0);
	CHECK_ERR(tc_call(&c, PROTO_OP_HELLO, &in, NULL),
		  PROTO_WASI_EPROTONOSUPPORT);
	tc_close(&c);
}

static void test_before_hello(void)
{
	struct tc c;
	struct proto_msg in = tc_msg(TC_V(0), TC_S0);

	CHECK(tc_connect(&c, env.sock) == 0);
	CHECK_ERR(tc_call(&c, PROTO_OP_PING, NULL, NULL), 0);
	CHECK_ERR(tc_call(&c, PROTO_OP_FILESTAT_GET, &in, NULL),
		  PROTO_WASI_EPROTO);
	tc_close(&c);
}

static void test_ping(void)
{
	struct proto_msg out;

	CHECK_ERR(tc_call(&cl, PROTO_OP_PING, NULL, &out), 0);
	CHECK_EQ(out.nval + out.nstr, 0);
}

static void test_rw_roundtrip(void)
{
	uint32_t h, got32;
	char buf[64];
	size_t got;
	struct proto_msg out, in;

	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "rw.txt", PROTO_O_CREAT, TC_RW_FILE,
			    0, &h),
		  0);
	CHECK_ERR(tc_write_all(&cl, h, "hello world", 11), 0);
	/* TELL, SEEK back, READ. */
	in = tc_msg(TC_V(h), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_TELL, &in, &out), 0);
	CHECK_EQ(out.val[0], 11);
	in = tc_msg(TC_V(h, 0, PROTO_WHENCE_SET), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_SEEK, &in, &out), 0);
	CHECK_EQ(out.val[0], 0);
	CHECK_ERR(tc_read_all(&cl, h, buf, sizeof(buf), &got), 0);
	CHECK(got == 11 && memcmp(buf, "hello world", 11) == 0);
	/* SEEK relative and from the end, with negative offsets. */
	in = tc_msg(TC_V(h, (uint64_t)-5, PROTO_WHENCE_END), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_SEEK, &in, &out), 0);
	CHECK_EQ(out.val[0], 6);
	in = tc_msg(TC_V(h, (uint64_t)-100, PROTO_WHENCE_CUR), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_SEEK, &in, &out), PROTO_WASI_EINVAL);
	in = tc_msg(TC_V(h, 0, 7), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_SEEK, &in, &out), PROTO_WASI_EINVAL);
	/* PWRITE/PREAD leave the offset alone. */
	in = tc_msg(TC_V(h, 6), TC_S("WORLD"));
	CHECK_ERR(tc_call(&cl, PROTO_OP_PWRITE, &in, &out), 0);
	CHECK_EQ(out.val[0], 5);
	CHECK_ERR(tc_pread(&cl, h, 0, buf, sizeof(buf), &got32), 0);
	CHECK(got32 == 11 && memcmp(buf, "hello WORLD", 11) == 0);
	in = tc_msg(TC_V(h), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_TELL, &in, &out), 0);
	CHECK_EQ(out.val[0], 6);
	/* Reading at the end gives 0 bytes. */
	CHECK_ERR(tc_pread(&cl, h, 100, buf, sizeof(buf), &got32), 0);
	CHECK_EQ(got32, 0);
	CHECK_ERR(tc_close_h(&cl, h), 0);
	/* The bytes are really on the host. */
	CHECK_EQ(th_read_file(hpath("rw.txt"), buf, sizeof(buf)), 11);
	CHECK(memcmp(buf, "hello WORLD", 11) == 0);
	/* TRUNC empties it; opening without it keeps the content. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "rw.txt", 0, TC_RW_FILE, 0, &h), 0);
	tc_close_h(&cl, h);
	CHECK_EQ(th_read_file(hpath("rw.txt"), buf, sizeof(buf)), 11);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "rw.txt", PROTO_O_TRUNC, TC_RW_FILE,
			    0, &h),
		  0);
	tc_close_h(&cl, h);
	CHECK_EQ(th_read_file(hpath("rw.txt"), buf, sizeof(buf)), 0);
}

static void test_append(void)
{
	uint32_t h;
	struct proto_msg in, out;
	char buf[32];

	CHECK_ERR(mkfile("app.txt", "abc"), 0);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "app.txt", 0, TC_RW_FILE,
			    PROTO_FD_APPEND, &h),
		  0);
	in = tc_msg(TC_V(h), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_GET, &in, &out), 0);
	CHECK_EQ(out.val[0], PROTO_FT_REGULAR_FILE);
	CHECK(out.val[1] & PROTO_FD_APPEND);
	CHECK_ERR(tc_write_all(&cl, h, "def", 3), 0);
	/* Turn APPEND off: the next write goes to the offset. */
	in = tc_msg(TC_V(h, 0), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_SET_FLAGS, &in, NULL), 0);
	in = tc_msg(TC_V(h), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_GET, &in, &out), 0);
	CHECK(!(out.val[1] & PROTO_FD_APPEND));
	in = tc_msg(TC_V(h, 0, PROTO_WHENCE_SET), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_SEEK, &in, NULL), 0);
	CHECK_ERR(tc_write_all(&cl, h, "X", 1), 0);
	/* Sync flags cannot change on Linux. */
	in = tc_msg(TC_V(h, PROTO_FD_SYNC), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_SET_FLAGS, &in, NULL),
		  PROTO_WASI_ENOTSUP);
	tc_close_h(&cl, h);
	CHECK_EQ(th_read_file(hpath("app.txt"), buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "Xbcdef", 6) == 0);
}

/* 3 MiB through a session whose frames are 64 KiB: many frames each way. */
static void test_large_split(void)
{
	struct tc c;
	const size_t len = 3u << 20;
	uint8_t *data = malloc(len), *back = malloc(len);
	uint32_t h, d;
	size_t got;

	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 131 + (i >> 12));
	CHECK_ERR(tc_open_session(&c, env.sock, 65536), 0);
	d = c.pre[0].handle;
	CHECK(proto_io_max(c.max_frame) < 65536);
	CHECK_ERR(tc_openat(&c, d, FOLLOW, "big.bin",
			    PROTO_O_CREAT | PROTO_O_TRUNC, TC_RW_FILE, 0, &h),
		  0);
	CHECK_ERR(tc_write_all(&c, h, data, len), 0);
	struct proto_msg in = tc_msg(TC_V(h, 0, PROTO_WHENCE_SET), TC_S0);

	CHECK_ERR(tc_call(&c, PROTO_OP_SEEK, &in, NULL), 0);
	CHECK_ERR(tc_read_all(&c, h, back, len, &got), 0);
	CHECK_EQ(got, len);
	CHECK(memcmp(data, back, len) == 0);
	/* A READ asking for more than a frame holds is cut to fit. */
	struct proto_msg out;

	in = tc_msg(TC_V(h, 0, 1u << 30), TC_S0);
	CHECK_ERR(tc_call(&c, PROTO_OP_PREAD, &in, &out), 0);
	CHECK_EQ(out.str[0].len, proto_io_max(c.max_frame));
	/* A request frame above the negotiated size closes the session. */
	tc_close_h(&c, h);
	uint8_t hdr[PROTO_HDR_LEN];
	struct proto_hdr big = {65536, PROTO_OP_WRITE, 0, 99, 0};

	proto_encode_hdr(hdr, &big);
	CHECK(tc_send_raw(&c, hdr, sizeof(hdr)) == 0);
	CHECK(tc_wait_eof(&c));
	tc_close(&c);
	struct stat st;

	CHECK(stat(hpath("big.bin"), &st) == 0 && st.st_size == (off_t)len);
	free(data);
	free(back);
}

/* 64 PREADs sent at once; replies matched by id, whatever their order. */
static void test_pipelined(void)
{
	enum { N = 64, CHUNK = 1000 };
	char content[N * CHUNK + 1];
	uint32_t h;
	bool seen[N];

	for (int i = 0; i < N * CHUNK; i++)
		content[i] = (char)('a' + (i * 7 + i / CHUNK) % 26);
	content[N * CHUNK] = 0;
	CHECK_ERR(mkfile("pipe.txt", content), 0);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "pipe.txt", 0, TC_RO_FILE, 0, &h),
		  0);
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < N; i++) {
		struct proto_msg in =
		    tc_msg(TC_V(h, (uint64_t)i * CHUNK, CHUNK), TC_S0);

		CHECK(tc_send(&cl, PROTO_OP_PREAD, 1000 + i, &in) == 0);
	}
	for (int i = 0; i < N; i++) {
		struct proto_hdr rh;
		struct proto_msg out;

		if (tc_recv(&cl, &rh, &out) != 0) {
			CHECK(!"reply missing");
			break;
		}
		int k = (int)rh.id - 1000;

		CHECK(k >= 0 && k < N && !seen[k]);
		if (k < 0 || k >= N)
			continue;
		seen[k] = true;
		CHECK_ERR(rh.status, 0);
		CHECK_EQ(out.str[0].len, CHUNK);
		CHECK(memcmp(out.str[0].p, content + k * CHUNK, CHUNK) == 0);
	}
	tc_close_h(&cl, h);
}

static void test_open_errors(void)
{
	uint32_t h;

	CHECK_ERR(mkfile("f.txt", "x"), 0);
	CHECK(mkdir(hpath("dir"), 0755) == 0);
	CHECK(symlink("f.txt", hpath("lnk")) == 0);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "nope", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOENT);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "f.txt",
			    PROTO_O_CREAT | PROTO_O_EXCL, TC_RW_FILE, 0, &h),
		  PROTO_WASI_EEXIST);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "f.txt", PROTO_O_DIRECTORY,
			    PROTO_R_FD_READDIR, 0, &h),
		  PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "f.txt/x", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "f.txt/", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "dir", 0, TC_RW_FILE, 0, &h),
		  PROTO_WASI_EISDIR);
	CHECK_ERR(
	    tc_openat(&cl, D, FOLLOW, "dir", PROTO_O_CREAT, TC_RO_FILE, 0, &h),
	    PROTO_WASI_EISDIR);
	CHECK_ERR(tc_openat(&cl, D, 0, "lnk", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ELOOP);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOENT);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "f.txt", 0x10, TC_RO_FILE, 0, &h),
		  PROTO_WASI_EINVAL);
	/* Following the link works, and a directory opens with dir rights
	 * only, whatever was asked. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "lnk", 0, TC_RO_FILE, 0, &h), 0);
	tc_close_h(&cl, h);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "dir/", PROTO_O_DIRECTORY,
			    DIR_RIGHTS | PROTO_R_FD_READ, 0, &h),
		  0);
	struct proto_msg in = tc_msg(TC_V(h), TC_S0), out;

	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_GET, &in, &out), 0);
	CHECK_EQ(out.val[0], PROTO_FT_DIRECTORY);
	CHECK(!(out.val[2] & PROTO_R_FD_READ));
	CHECK(out.val[2] & PROTO_R_FD_READDIR);
	/* Reading a directory handle: no right for it. */
	in = tc_msg(TC_V(h, 10), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_READ, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	tc_close_h(&cl, h);
	/* Path ops want a directory handle. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "f.txt", 0, TC_RO_FILE, 0, &h), 0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, h, "x"),
		  PROTO_WASI_ENOTDIR);
	tc_close_h(&cl, h);
}

static void test_ebadf(void)
{
	uint32_t h;
	struct proto_msg in;

	CHECK_ERR(mkfile("b.txt", "b"), 0);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "b.txt", 0, TC_RO_FILE, 0, &h), 0);
	CHECK_ERR(tc_close_h(&cl, h), 0);
	CHECK_ERR(tc_close_h(&cl, h), PROTO_WASI_EBADF);
	in = tc_msg(TC_V(h, 10), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_READ, &in, NULL), PROTO_WASI_EBADF);
	in = tc_msg(TC_V(0xfffffff0u, 10), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_READ, &in, NULL), PROTO_WASI_EBADF);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, 12345, "b.txt"),
		  PROTO_WASI_EBADF);
	in = tc_msg(TC_V(777), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_GET, &in, NULL),
		  PROTO_WASI_EBADF);
}

static void test_rights(void)
{
	uint32_t h, d2;
	struct proto_msg in, out;

	CHECK_ERR(mkfile("r.txt", "rights"), 0);
	/* Read-only rights: WRITE, SET_SIZE refused; READ fine. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "r.txt", 0, PROTO_R_FD_READ, 0, &h),
		  0);
	in = tc_msg(TC_V(h), TC_S("x"));
	CHECK_ERR(tc_call(&cl, PROTO_OP_WRITE, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	in = tc_msg(TC_V(h, 0), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_SIZE, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	in = tc_msg(TC_V(h, 0, PROTO_WHENCE_SET), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_SEEK, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	in = tc_msg(TC_V(h, 3), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_READ, &in, &out), 0);
	/* Rights shrink, never grow. */
	in = tc_msg(TC_V(h, 0, 0), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_SET_RIGHTS, &in, NULL), 0);
	in = tc_msg(TC_V(h, 3), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_READ, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	in = tc_msg(TC_V(h, PROTO_R_FD_READ, 0), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_SET_RIGHTS, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	tc_close_h(&cl, h);
	/* A directory whose inheriting rights lack FD_WRITE cannot open
	 * files for writing below it. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, ".", PROTO_O_DIRECTORY, DIR_RIGHTS,
			    0, &d2),
		  0);
	in = tc_msg(TC_V(d2), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FDSTAT_GET, &in, &out), 0);
	/* tc_openat asks for no inheriting rights: nothing to inherit. */
	CHECK_EQ(out.val[3], 0);
	CHECK_ERR(
	    tc_openat(&cl, d2, FOLLOW, "r.txt", 0, PROTO_R_FD_READ, 0, &h),
	    PROTO_WASI_ENOTCAPABLE);
	/* Missing PATH_CREATE_DIRECTORY on the directory handle. */
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, d2, "nd"),
		  PROTO_WASI_ENOTCAPABLE);
	tc_close_h(&cl, d2);
	/* The preopen itself: open with rights it cannot pass on. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "r.txt", 0, 1ull << 40, 0, &h),
		  PROTO_WASI_ENOTCAPABLE);
}

static void test_filestat(void)
{
	uint32_t h;
	struct proto_msg st, in;
	struct stat hs;

	CHECK_ERR(mkfile("s.txt", "0123456789"), 0);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "s.txt", 0, TC_RW_FILE, 0, &h), 0);
	CHECK_ERR(tc_fstat(&cl, h, &st), 0);
	CHECK(stat(hpath("s.txt"), &hs) == 0);
	CHECK_EQ(st.val[TC_ST_SIZE], 10);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_REGULAR_FILE);
	CHECK_EQ(st.val[TC_ST_INO], hs.st_ino);
	CHECK_EQ(st.val[TC_ST_NLINK], 1);
	/* Truncate down and up. */
	in = tc_msg(TC_V(h, 4), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_SIZE, &in, NULL), 0);
	CHECK_ERR(tc_fstat(&cl, h, &st), 0);
	CHECK_EQ(st.val[TC_ST_SIZE], 4);
	in = tc_msg(TC_V(h, 100), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_SIZE, &in, NULL), 0);
	CHECK(stat(hpath("s.txt"), &hs) == 0 && hs.st_size == 100);
	in = tc_msg(TC_V(h, 1ull << 63), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_SIZE, &in, NULL),
		  PROTO_WASI_EINVAL);
	/* Times: explicit, then "now", then a contradiction. */
	in = tc_msg(TC_V(h, 1000000000ull * 1000 + 5, 2000000000ull * 1000,
			 PROTO_FST_ATIM | PROTO_FST_MTIM),
		    TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_TIMES, &in, NULL), 0);
	CHECK_ERR(tc_fstat(&cl, h, &st), 0);
	CHECK_EQ(st.val[TC_ST_ATIM], 1000000000ull * 1000 + 5);
	CHECK_EQ(st.val[TC_ST_MTIM], 2000000000ull * 1000);
	in = tc_msg(TC_V(h, 0, 0, PROTO_FST_MTIM_NOW), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_TIMES, &in, NULL), 0);
	CHECK_ERR(tc_fstat(&cl, h, &st), 0);
	CHECK(st.val[TC_ST_MTIM] > 2000000000ull * 1000);
	CHECK_EQ(st.val[TC_ST_ATIM], 1000000000ull * 1000 + 5);
	in = tc_msg(TC_V(h, 0, 0, PROTO_FST_ATIM | PROTO_FST_ATIM_NOW), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_TIMES, &in, NULL),
		  PROTO_WASI_EINVAL);
	/* ADVISE, ALLOCATE, SYNC, DATASYNC. */
	in = tc_msg(TC_V(h, 0, 100, PROTO_ADVICE_SEQUENTIAL), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_ADVISE, &in, NULL), 0);
	in = tc_msg(TC_V(h, 0, 100, 9), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_ADVISE, &in, NULL), PROTO_WASI_EINVAL);
	in = tc_msg(TC_V(h, 0, 8192), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_ALLOCATE, &in, NULL), 0);
	CHECK(stat(hpath("s.txt"), &hs) == 0 && hs.st_size == 8192);
	in = tc_msg(TC_V(h), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_SYNC, &in, NULL), 0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_DATASYNC, &in, NULL), 0);
	tc_close_h(&cl, h);
	/* Path stat and set_times, following or not. */
	CHECK(symlink("s.txt", hpath("s.lnk")) == 0);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "s.lnk", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_REGULAR_FILE);
	CHECK_ERR(tc_stat(&cl, D, 0, "s.lnk", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_SYMLINK);
	in =
	    tc_msg(TC_V(D, 0, 0, 3000000000ull * 1000000000ull, PROTO_FST_MTIM),
		   TC_S("s.lnk"));
	CHECK_ERR(tc_call(&cl, PROTO_OP_PATH_FILESTAT_SET_TIMES, &in, NULL), 0);
	CHECK(lstat(hpath("s.lnk"), &hs) == 0 && hs.st_mtime == 3000000000ll);
	CHECK(stat(hpath("s.lnk"), &hs) == 0 && hs.st_mtime != 3000000000ll);
	in = tc_msg(
	    TC_V(D, FOLLOW, 0, 3100000000ull * 1000000000ull, PROTO_FST_MTIM),
	    TC_S("s.lnk"));
	CHECK_ERR(tc_call(&cl, PROTO_OP_PATH_FILESTAT_SET_TIMES, &in, NULL), 0);
	CHECK(stat(hpath("s.txt"), &hs) == 0 && hs.st_mtime == 3100000000ll);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "missing", &st), PROTO_WASI_ENOENT);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "s.txt/", &st), PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, ".", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_DIRECTORY);
}

static void test_dirs(void)
{
	struct proto_msg st;

	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, "d1"), 0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, "d1"),
		  PROTO_WASI_EEXIST);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, "d1/d2/"),
		  0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, "no/d3"),
		  PROTO_WASI_ENOENT);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "d1/d2", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_DIRECTORY);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, "d1"),
		  PROTO_WASI_ENOTEMPTY);
	CHECK_ERR(mkfile("d1/file", "z"), 0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, "d1/file"),
		  PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "d1/d2"),
		  PROTO_WASI_EISDIR);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "d1/d2/"),
		  PROTO_WASI_EISDIR);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "d1/file/"),
		  PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "d1/none"),
		  PROTO_WASI_ENOENT);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, "d1/."),
		  PROTO_WASI_EINVAL);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "d1/file"), 0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, "d1/d2/"),
		  0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, "d1"), 0);
	CHECK(access(hpath("d1"), F_OK) != 0);
}

static void test_rename_link(void)
{
	struct proto_msg st;
	char buf[64];
	size_t n;

	CHECK_ERR(mkfile("a.txt", "AAA"), 0);
	CHECK_ERR(mkfile("b.txt", "BBB"), 0);
	CHECK_ERR(tc_rename(&cl, D, "a.txt", D, "c.txt"), 0);
	CHECK_ERR(tc_slurp(&cl, D, "c.txt", buf, sizeof(buf), &n), 0);
	CHECK(n == 3 && memcmp(buf, "AAA", 3) == 0);
	CHECK_ERR(tc_rename(&cl, D, "a.txt", D, "x"), PROTO_WASI_ENOENT);
	/* Over an existing file: replaced. */
	CHECK_ERR(tc_rename(&cl, D, "c.txt", D, "b.txt"), 0);
	CHECK_ERR(tc_slurp(&cl, D, "b.txt", buf, sizeof(buf), &n), 0);
	CHECK(n == 3 && memcmp(buf, "AAA", 3) == 0);
	CHECK_ERR(tc_rename(&cl, D, "b.txt", D, "b2/"), PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_rename(&cl, D, "b.txt/", D, "b2"), PROTO_WASI_ENOTDIR);
	/* Directories: over a non-empty one fails, over a file too. */
	CHECK(mkdir(hpath("rd1"), 0755) == 0 && mkdir(hpath("rd2"), 0755) == 0);
	CHECK_ERR(mkfile("rd2/f", "f"), 0);
	CHECK_ERR(tc_rename(&cl, D, "rd1", D, "rd2"), PROTO_WASI_ENOTEMPTY);
	CHECK_ERR(tc_rename(&cl, D, "rd1", D, "b.txt"), PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_rename(&cl, D, "rd1/", D, "rd3/"), 0);
	CHECK_ERR(tc_rename(&cl, D, "rd3", D, "rd3/sub"), PROTO_WASI_EINVAL);
	CHECK_ERR(tc_rename(&cl, D, ".", D, "zz"), PROTO_WASI_EBUSY);
	/* Hard links. */
	CHECK_ERR(tc_link(&cl, D, 0, "b.txt", D, "hard.txt"), 0);
	CHECK_ERR(tc_stat(&cl, D, 0, "hard.txt", &st), 0);
	CHECK_EQ(st.val[TC_ST_NLINK], 2);
	CHECK_ERR(tc_link(&cl, D, 0, "b.txt", D, "hard.txt"),
		  PROTO_WASI_EEXIST);
	CHECK_ERR(tc_link(&cl, D, 0, "nope", D, "h2"), PROTO_WASI_ENOENT);
	CHECK_ERR(tc_link(&cl, D, 0, "rd2", D, "h3"), PROTO_WASI_EPERM);
	/* Linking a symlink: the link itself, or with FOLLOW its target. */
	CHECK(symlink("b.txt", hpath("sym.txt")) == 0);
	CHECK_ERR(tc_link(&cl, D, 0, "sym.txt", D, "hsym"), 0);
	CHECK_ERR(tc_stat(&cl, D, 0, "hsym", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_SYMLINK);
	CHECK_ERR(tc_link(&cl, D, FOLLOW, "sym.txt", D, "hfol"), 0);
	CHECK_ERR(tc_stat(&cl, D, 0, "hfol", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_REGULAR_FILE);
	CHECK_EQ(st.val[TC_ST_NLINK], 3);
}

static void test_symlinks(void)
{
	char buf[256];
	struct proto_msg st, in, out;
	uint32_t h;

	CHECK_ERR(mkfile("t.txt", "target"), 0);
	CHECK_ERR(tc_symlink(&cl, "t.txt", D, "l1"), 0);
	CHECK_ERR(tc_readlink(&cl, D, "l1", buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "t.txt") == 0);
	CHECK_ERR(tc_symlink(&cl, "t.txt", D, "l1"), PROTO_WASI_EEXIST);
	CHECK_ERR(tc_symlink(&cl, "t.txt", D, "l9/"), PROTO_WASI_ENOENT);
	/* "l1/" follows l1 to a file, which a slash cannot name. */
	CHECK_ERR(tc_symlink(&cl, "t.txt", D, "l1/"), PROTO_WASI_ENOTDIR);
	/* READLINK truncates to what the caller can take. */
	in = tc_msg(TC_V(D, 3), TC_S("l1"));
	CHECK_ERR(tc_call(&cl, PROTO_OP_PATH_READLINK, &in, &out), 0);
	CHECK(out.str[0].len == 3 && memcmp(out.str[0].p, "t.t", 3) == 0);
	CHECK_ERR(tc_readlink(&cl, D, "t.txt", buf, sizeof(buf)),
		  PROTO_WASI_EINVAL);
	CHECK_ERR(tc_readlink(&cl, D, "none", buf, sizeof(buf)),
		  PROTO_WASI_ENOENT);
	/* Dangling: exists as a link, not as a file. */
	CHECK_ERR(tc_symlink(&cl, "gone", D, "dang"), 0);
	CHECK_ERR(tc_stat(&cl, D, 0, "dang", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_SYMLINK);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "dang", &st), PROTO_WASI_ENOENT);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "dang", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOENT);
	CHECK_ERR(tc_openat(&cl, D, 0, "dang", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ELOOP);
	/* O_CREAT through a dangling link creates its target (POSIX). */
	CHECK_ERR(
	    tc_openat(&cl, D, FOLLOW, "dang", PROTO_O_CREAT, TC_RW_FILE, 0, &h),
	    0);
	tc_close_h(&cl, h);
	CHECK(access(hpath("gone"), F_OK) == 0);
	/* ... but not under nofollow. */
	CHECK_ERR(tc_symlink(&cl, "gone2", D, "dang2"), 0);
	CHECK_ERR(
	    tc_openat(&cl, D, 0, "dang2", PROTO_O_CREAT, TC_RW_FILE, 0, &h),
	    PROTO_WASI_ELOOP);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "dang2"), 0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, "l1"),
		  PROTO_WASI_ENOTDIR);
	CHECK_ERR(tc_symlink(&cl, "", D, "empty"), PROTO_WASI_ENOENT);
	/* Symlink to a directory, walked through. */
	CHECK(mkdir(hpath("sd"), 0755) == 0);
	CHECK_ERR(mkfile("sd/in", "in"), 0);
	CHECK_ERR(tc_symlink(&cl, "sd", D, "sdl"), 0);
	CHECK_ERR(tc_stat(&cl, D, 0, "sdl/in", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_REGULAR_FILE);
	CHECK_ERR(tc_stat(&cl, D, 0, "sdl/", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_DIRECTORY);
}

/* 300 entries read back through cookies with a small buffer. */
static void test_readdir(void)
{
	enum { N = 300 };
	static bool seen[N];
	int dots = 0, total = 0;
	uint32_t h;
	uint64_t cookie = 0;
	const uint32_t bufsz = 200;

	CHECK(mkdir(hpath("many"), 0755) == 0);
	for (int i = 0; i < N; i++) {
		char name[64];

		snprintf(name, sizeof(name), "%s/many/entry-%03d", env.share,
			 i);
		CHECK(th_write_file(name, "", 0) == 0);
	}
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "many", PROTO_O_DIRECTORY,
			    DIR_RIGHTS, 0, &h),
		  0);
	for (int round = 0; round < 10 * N; round++) {
		struct proto_msg in = tc_msg(TC_V(h, cookie, bufsz), TC_S0),
				 out;
		uint32_t st = tc_call(&cl, PROTO_OP_READDIR, &in, &out);

		CHECK_ERR(st, 0);
		if (st)
			break;
		const uint8_t *p = out.str[0].p;
		uint32_t len = out.str[0].len, off = 0;
		int whole = 0;

		CHECK(len <= bufsz);
		while (len - off >= PROTO_DIRENT_LEN) {
			uint64_t next = proto_ld64(p + off);
			uint32_t nlen = proto_ld32(p + off + 16);

			if (len - off - PROTO_DIRENT_LEN < nlen)
				break; /* cut short: read again from here */
			const char *name = (const char *)p + off + 24;

			if ((nlen == 1 && name[0] == '.') ||
			    (nlen == 2 && memcmp(name, "..", 2) == 0)) {
				dots++;
				CHECK_EQ(p[off + 20], PROTO_FT_DIRECTORY);
			} else {
				int k = -1;

				/* Names are not NUL-terminated. */
				if (nlen == 9 && memcmp(name, "entry-", 6) == 0)
					k = (name[6] - '0') * 100 +
					    (name[7] - '0') * 10 +
					    (name[8] - '0');
				CHECK(k >= 0 && k < N);
				if (k >= 0 && k < N) {
					CHECK(!seen[k]);
					seen[k] = true;
				}
				CHECK_EQ(p[off + 20], PROTO_FT_REGULAR_FILE);
			}
			total++;
			whole++;
			cookie = next;
			off += PROTO_DIRENT_LEN + nlen;
		}
		if (len < bufsz)
			break; /* a short buffer is the end */
		CHECK(whole > 0);
	}
	CHECK_EQ(dots, 2);
	CHECK_EQ(total, N + 2);
	for (int i = 0; i < N; i++)
		CHECK(seen[i]);
	/* A cookie past the end gives nothing. */
	struct proto_msg in = tc_msg(TC_V(h, 100000, bufsz), TC_S0), out;

	CHECK_ERR(tc_call(&cl, PROTO_OP_READDIR, &in, &out), 0);
	CHECK_EQ(out.str[0].len, 0);
	tc_close_h(&cl, h);
	/* READDIR on a file. */
	CHECK_ERR(mkfile("rf", "x"), 0);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "rf", 0,
			    PROTO_R_FD_READ | PROTO_R_FD_READDIR, 0, &h),
		  0);
	in = tc_msg(TC_V(h, 0, bufsz), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_READDIR, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	tc_close_h(&cl, h);
}

static void test_readonly_share(void)
{
	char buf[32];
	size_t n;
	uint32_t h;
	struct proto_msg in;

	char p[512];

	CHECK(th_write_file(th_join(p, sizeof(p), env.ro, "r.txt"), "ro!", 3) ==
	      0);
	CHECK(mkdir(th_join(p, sizeof(p), env.ro, "sub"), 0755) == 0);
	CHECK_ERR(tc_slurp(&cl, RO, "r.txt", buf, sizeof(buf), &n), 0);
	CHECK(n == 3 && memcmp(buf, "ro!", 3) == 0);
	CHECK_ERR(
	    tc_openat(&cl, RO, FOLLOW, "new", PROTO_O_CREAT, TC_RO_FILE, 0, &h),
	    PROTO_WASI_EROFS);
	CHECK_ERR(tc_openat(&cl, RO, FOLLOW, "r.txt", 0, TC_RW_FILE, 0, &h),
		  PROTO_WASI_EROFS);
	CHECK_ERR(tc_openat(&cl, RO, FOLLOW, "r.txt", PROTO_O_TRUNC, TC_RO_FILE,
			    0, &h),
		  PROTO_WASI_EROFS);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, RO, "d"),
		  PROTO_WASI_EROFS);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, RO, "sub"),
		  PROTO_WASI_EROFS);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, RO, "r.txt"),
		  PROTO_WASI_EROFS);
	CHECK_ERR(tc_rename(&cl, RO, "r.txt", RO, "r2"), PROTO_WASI_EROFS);
	CHECK_ERR(tc_link(&cl, RO, 0, "r.txt", RO, "r3"), PROTO_WASI_EROFS);
	CHECK_ERR(tc_symlink(&cl, "r.txt", RO, "r4"), PROTO_WASI_EROFS);
	in = tc_msg(TC_V(RO, 0, 0, 0, PROTO_FST_MTIM_NOW), TC_S("r.txt"));
	CHECK_ERR(tc_call(&cl, PROTO_OP_PATH_FILESTAT_SET_TIMES, &in, NULL),
		  PROTO_WASI_EROFS);
	/* Between shares: never, even where one file system holds both. */
	CHECK_ERR(tc_rename(&cl, RO, "r.txt", D, "stolen"), PROTO_WASI_EROFS);
	CHECK_ERR(mkfile("mine", "m"), 0);
	CHECK_ERR(tc_rename(&cl, D, "mine", RO, "pushed"), PROTO_WASI_EROFS);
	CHECK_ERR(tc_rename(&cl, D, "mine", D2, "moved"), PROTO_WASI_EXDEV);
	CHECK_ERR(tc_link(&cl, D, 0, "mine", D2, "moved"), PROTO_WASI_EXDEV);
	CHECK(access(th_join(p, sizeof(p), env.share2, "moved"), F_OK) != 0);
	/* A read-only handle: the writes its rights would allow. */
	CHECK_ERR(tc_openat(&cl, RO, FOLLOW, "r.txt", 0,
			    TC_RO_FILE | PROTO_R_FD_FILESTAT_SET_TIMES, 0, &h),
		  0);
	in = tc_msg(TC_V(h, 0, 0, PROTO_FST_MTIM_NOW), TC_S0);
	CHECK_ERR(tc_call(&cl, PROTO_OP_FILESTAT_SET_TIMES, &in, NULL),
		  PROTO_WASI_EROFS);
	in = tc_msg(TC_V(h), TC_S("x"));
	CHECK_ERR(tc_call(&cl, PROTO_OP_WRITE, &in, NULL),
		  PROTO_WASI_ENOTCAPABLE);
	tc_close_h(&cl, h);
	/* Nothing changed on the host. */
	CHECK_EQ(th_read_file(th_join(p, sizeof(p), env.ro, "r.txt"), buf,
			      sizeof(buf)),
		 3);
	CHECK(access(th_join(p, sizeof(p), env.ro, "r2"), F_OK) != 0);
	CHECK(access(th_join(p, sizeof(p), env.ro, "d"), F_OK) != 0);
	CHECK(access(th_join(p, sizeof(p), env.ro, "sub"), F_OK) == 0);
}

static void test_special_files(void)
{
	uint32_t h;
	struct proto_msg st;

	CHECK(mkfifo(hpath("fifo"), 0644) == 0);
	/* Refused, and without blocking on the FIFO's open. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "fifo", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOTSUP);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "fifo", 0, TC_RW_FILE, 0, &h),
		  PROTO_WASI_ENOTSUP);
	CHECK_ERR(
	    tc_openat(&cl, D, FOLLOW, "fifo", PROTO_O_CREAT, TC_RW_FILE, 0, &h),
	    PROTO_WASI_ENOTSUP);
	/* Write-only would fail at open (no reader) if it were opened. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "fifo", PROTO_O_CREAT,
			    PROTO_R_FD_WRITE, 0, &h),
		  PROTO_WASI_ENOTSUP);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "fifo",
			    PROTO_O_CREAT | PROTO_O_EXCL, PROTO_R_FD_WRITE, 0,
			    &h),
		  PROTO_WASI_EEXIST);
	/* Visible to stat, like any entry. */
	CHECK_ERR(tc_stat(&cl, D, 0, "fifo", &st), 0);
	if (mknod(hpath("null"), S_IFCHR | 0666, makedev(1, 3)) != 0) {
		th_skip("mknod of a device needs privilege");
		return;
	}
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "null", 0, TC_RW_FILE, 0, &h),
		  PROTO_WASI_ENOTSUP);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "null", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOTSUP);
	CHECK(symlink("null", hpath("null.lnk")) == 0);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "null.lnk", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENOTSUP);
}

static void test_protocol_errors(void)
{
	struct tc c;
	uint8_t frame[PROTO_HDR_LEN + 3];
	struct proto_hdr h = {3, 0x7e, 0, 5, 0}, rh;
	struct proto_msg out;

	CHECK_ERR(tc_open_session(&c, env.sock, 65536), 0);
	/* Unknown op: NOSYS, and the session goes on. */
	proto_encode_hdr(frame, &h);
	memset(frame + PROTO_HDR_LEN, 0, 3);
	CHECK(tc_send_raw(&c, frame, sizeof(frame)) == 0);
	CHECK(tc_recv(&c, &rh, &out) == 0);
	CHECK_EQ(rh.id, 5);
	CHECK_ERR(rh.status, PROTO_WASI_ENOSYS);
	/* A known op whose payload does not match its format: PROTO. */
	h.op = PROTO_OP_CLOSE;
	h.id = 6;
	proto_encode_hdr(frame, &h);
	CHECK(tc_send_raw(&c, frame, sizeof(frame)) == 0);
	CHECK(tc_recv(&c, &rh, &out) == 0);
	CHECK_EQ(rh.id, 6);
	CHECK_ERR(rh.status, PROTO_WASI_EPROTO);
	/* A request carrying a status: PROTO. */
	struct proto_hdr ps = {0, PROTO_OP_PING, 0, 7, 3};

	proto_encode_hdr(frame, &ps);
	CHECK(tc_send_raw(&c, frame, PROTO_HDR_LEN) == 0);
	CHECK(tc_recv(&c, &rh, &out) == 0);
	CHECK_ERR(rh.status, PROTO_WASI_EPROTO);
	CHECK_ERR(tc_call(&c, PROTO_OP_PING, NULL, NULL), 0);
	/* A frame claiming to be a response: the connection is dropped. */
	ps.status = 0;
	ps.flags = PROTO_F_RESPONSE;
	proto_encode_hdr(frame, &ps);
	CHECK(tc_send_raw(&c, frame, PROTO_HDR_LEN) == 0);
	CHECK(tc_wait_eof(&c));
	tc_close(&c);
	/* An unknown flag: dropped too. */
	CHECK_ERR(tc_open_session(&c, env.sock, 65536), 0);
	ps.flags = 0x100;
	proto_encode_hdr(frame, &ps);
	CHECK(tc_send_raw(&c, frame, PROTO_HDR_LEN) == 0);
	CHECK(tc_wait_eof(&c));
	tc_close(&c);
}

static void test_handle_limit(void)
{
	struct th_env e2;
	static const char *const extra[] = {"--max-handles", "6", NULL};
	struct tc c;
	uint32_t h[8], st = 0;
	int opened = 0;

	if (th_env_start(&e2, env.daemon_bin, extra) != 0) {
		CHECK(!"second daemon did not start");
		th_env_clean(&e2);
		return;
	}
	CHECK(th_write_file(th_join((char[512]){0}, 512, e2.share, "f"), "f",
			    1) == 0);
	CHECK_ERR(tc_open_session(&c, e2.sock, 65536), 0);
	/* Three preopens + 3 opens reach the limit of 6. */
	for (int i = 0; i < 8; i++) {
		st = tc_openat(&c, c.pre[0].handle, FOLLOW, "f", 0, TC_RO_FILE,
			       0, &h[i]);
		if (st)
			break;
		opened++;
	}
	CHECK_EQ(opened, 3);
	CHECK_ERR(st, PROTO_WASI_EMFILE);
	/* Closing one makes room again; the limit is per session. */
	CHECK_ERR(tc_close_h(&c, h[0]), 0);
	CHECK_ERR(tc_openat(&c, c.pre[0].handle, FOLLOW, "f", 0, TC_RO_FILE, 0,
			    &h[0]),
		  0);
	struct tc c2;

	CHECK_ERR(tc_open_session(&c2, e2.sock, 65536), 0);
	CHECK_ERR(tc_openat(&c2, c2.pre[0].handle, FOLLOW, "f", 0, TC_RO_FILE,
			    0, &h[1]),
		  0);
	tc_close(&c2);
	tc_close(&c);
	CHECK_EQ(th_env_stop_daemon(&e2), 0);
	th_env_clean(&e2);
}

/* --vsock-port: the daemon binds and listens.  Connecting needs a vsock
 * transport (a guest, or vsock_loopback on the host); where there is none
 * that half is skipped. */
static void test_vsock_listener(void)
{
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_vm sa;
	char port[16];
	unsigned p = 20000 + (unsigned)getpid() % 20000;

	if (fd < 0) {
		th_skip("no AF_VSOCK in this kernel");
		return;
	}
	close(fd);
	snprintf(port, sizeof(port), "%u", p);
	const char *const extra[] = {"--vsock-port", port, NULL};
	struct th_env e2;

	if (th_env_start(&e2, env.daemon_bin, extra) != 0) {
		CHECK(!"daemon with --vsock-port did not start");
		th_env_clean(&e2);
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.svm_family = AF_VSOCK;
	sa.svm_cid = VMADDR_CID_ANY;
	sa.svm_port = p;
	/* The port is taken: the daemon is listening on it.  The unix
	 * socket th_env_start waited for may be up a moment before the
	 * vsock one, so look a few times. */
	bool taken = false;

	for (int i = 0; i < 500 && !taken; i++) {
		fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
		taken = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
			errno == EADDRINUSE;
		close(fd);
		if (!taken)
			usleep(10000);
	}
	CHECK(taken);
	/* Try a local connection; without a loopback transport it never
	 * completes, and that half is not tested here. */
	bool served = false;

	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	sa.svm_cid = VMADDR_CID_LOCAL;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    errno == EINPROGRESS) {
		struct pollfd pfd = {fd, POLLOUT, 0};
		int err = 0;
		socklen_t el = sizeof(err);

		if (poll(&pfd, 1, 2000) == 1 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 &&
		    err == 0) {
			struct tc c;

			memset(&c, 0, sizeof(c));
			c.fd = fd;
			c.max_frame = PROTO_FRAME_DEFAULT;
			c.next_id = 1;
			fcntl(fd, F_SETFL, 0);
			CHECK_ERR(tc_call(&c, PROTO_OP_PING, NULL, NULL), 0);
			served = true;
		}
	}
	close(fd);
	CHECK_EQ(th_env_stop_daemon(&e2), 0);
	th_env_clean(&e2);
	/* Stopped: the port is free again. */
	fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sa.svm_cid = VMADDR_CID_ANY;
	CHECK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	close(fd);
	if (!served)
		th_skip("listening checked; no local vsock transport to "
			"connect through");
}

/* --ready-fd: "ready\n" arrives once the socket accepts connections. */
static void test_ready_fd(void)
{
	char sock[600], share[600], buf[16];
	int pfd[2];
	pid_t pid;

	th_join(sock, sizeof(sock), env.root, "sock-ready");
	snprintf(share, sizeof(share), "%s", env.share2);
	CHECK(pipe(pfd) == 0);
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 9);
		execl(env.daemon_bin, env.daemon_bin, "--unix", sock, "--share",
		      share, "--ready-fd", "9", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	struct pollfd p = {pfd[0], POLLIN, 0};
	ssize_t n = 0;

	if (poll(&p, 1, 30000) == 1)
		n = read(pfd[0], buf, sizeof(buf));
	CHECK(n == 6 && memcmp(buf, "ready\n", 6) == 0);
	close(pfd[0]);
	struct tc c;

	CHECK_ERR(tc_open_session(&c, sock, 65536), 0);
	tc_close(&c);
	kill(pid, SIGTERM);
	int st = 0;

	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The socket file goes with the daemon. */
	CHECK(access(sock, F_OK) != 0);
	/* A second daemon on a live socket refuses to start (exit 1)... */
	pid = fork();
	if (pid == 0) {
		execl(env.daemon_bin, env.daemon_bin, "--unix", env.sock,
		      "--share", share, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK_ERR(tc_call(&cl, PROTO_OP_PING, NULL, NULL), 0);
	/* ... and so does one whose share is missing. */
	pid = fork();
	if (pid == 0) {
		execl(env.daemon_bin, env.daemon_bin, "--unix", sock, "--share",
		      "/nonexistent/mewz", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	/* Usage errors exit 2. */
	pid = fork();
	if (pid == 0) {
		execl(env.daemon_bin, env.daemon_bin, "--share", share,
		      "--bogus", "x", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
}

/* Runs the daemon on one end of a socketpair (--conn-fd 9); returns its
 * pid, our end in *mine. */
static pid_t spawn_conn_fd(int *mine, int type)
{
	int sv[2];

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	pid_t pid = fork();

	if (pid == 0) {
		dup2(sv[1], 9); /* dup2 clears CLOEXEC on 9 */
		execl(env.daemon_bin, env.daemon_bin, "--share", env.share2,
		      "--conn-fd", "9", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	*mine = sv[0];
	return pid;
}

static int wait_exit(pid_t pid)
{
	int st = 0;

	for (int i = 0; i < 3000; i++) { /* bounded: ~30 s */
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st)
					     : 128 + WTERMSIG(st);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* --conn-fd: one inherited connection; the daemon ends with it. */
static void test_conn_fd(void)
{
	struct tc c;
	int fd;
	uint32_t h;
	char buf[16];
	size_t n;
	pid_t pid = spawn_conn_fd(&fd, SOCK_STREAM);

	CHECK(pid > 0);
	if (pid <= 0)
		return;
	tc_adopt(&c, fd);
	struct proto_msg in = tc_msg(TC_V(PROTO_VERSION, 0, 65536), TC_S0), out;

	CHECK_ERR(tc_call(&c, PROTO_OP_HELLO, &in, &out), 0);
	CHECK_EQ(out.val[2], 65536);
	CHECK_ERR(tc_openat(&c, 0, FOLLOW, "cfd.txt", PROTO_O_CREAT, TC_RW_FILE,
			    0, &h),
		  0);
	CHECK_ERR(tc_write_all(&c, h, "via fd", 6), 0);
	tc_close_h(&c, h);
	CHECK_ERR(tc_slurp(&c, 0, "cfd.txt", buf, sizeof(buf), &n), 0);
	CHECK(n == 6 && memcmp(buf, "via fd", 6) == 0);
	tc_close(&c);
	/* Our end closed: the daemon shuts down by itself, cleanly. */
	CHECK_EQ(wait_exit(pid), 0);
	/* A datagram socket cannot carry the byte stream: refused. */
	pid = spawn_conn_fd(&fd, SOCK_DGRAM);
	CHECK(pid > 0);
	if (pid > 0) {
		CHECK_EQ(wait_exit(pid), 1);
		close(fd);
	}
}

/* Eight clients at once, each on its own thread and file. */
static void *client_thread(void *arg)
{
	long k = (long)arg;
	struct tc c;
	char name[32], data[4096], back[4096];
	uint32_t h;
	size_t n;
	long bad = 0;

	snprintf(name, sizeof(name), "client-%ld", k);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(k * 31 + i);
	if (tc_open_session(&c, env.sock, 65536))
		return (void *)1;
	for (int round = 0; round < 20; round++) {
		bad |=
		    tc_openat(&c, c.pre[0].handle, FOLLOW, name,
			      PROTO_O_CREAT | PROTO_O_TRUNC, TC_RW_FILE, 0, &h);
		bad |= tc_write_all(&c, h, data, sizeof(data));
		tc_close_h(&c, h);
		bad |=
		    tc_slurp(&c, c.pre[0].handle, name, back, sizeof(back), &n);
		bad |= n != sizeof(data) || memcmp(data, back, n) != 0;
	}
	tc_close(&c);
	return (void *)bad;
}

static void test_many_clients(void)
{
	pthread_t t[8];

	for (long i = 0; i < 8; i++)
		CHECK(pthread_create(&t[i], NULL, client_thread, (void *)i) ==
		      0);
	for (int i = 0; i < 8; i++) {
		void *r;

		pthread_join(t[i], &r);
		CHECK(r == NULL);
	}
}

/* A client that hangs up with requests in the pool leaves the daemon
 * serving others. */
static void test_hangup_midflight(void)
{
	struct tc c;
	uint32_t h;

	CHECK_ERR(tc_open_session(&c, env.sock, 65536), 0);
	CHECK_ERR(tc_openat(&c, c.pre[0].handle, FOLLOW, "pipe.txt", 0,
			    TC_RO_FILE, 0, &h),
		  0);
	for (int i = 0; i < 200; i++) {
		struct proto_msg in = tc_msg(TC_V(h, 0, 60000), TC_S0);

		tc_send(&c, PROTO_OP_PREAD, (uint32_t)i, &in);
	}
	tc_close(&c);
	CHECK_ERR(tc_call(&cl, PROTO_OP_PING, NULL, NULL), 0);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: host_fs MEWZ-HOST\n");
		return 2;
	}
	alarm(500); /* a hang anywhere fails the suite */
	if (th_env_start(&env, argv[1], NULL) != 0) {
		printf("daemon did not start\n0 passed, 1 failed\n");
		th_env_clean(&env);
		return 1;
	}
	if (tc_open_session(&cl, env.sock, PROTO_FRAME_MAX) != 0) {
		printf("HELLO failed\n0 passed, 1 failed\n");
		th_env_clean(&env);
		return 1;
	}
	D = cl.pre[0].handle;
	RO = cl.pre[1].handle;
	D2 = cl.pre[2].handle;
	th_run("hello: negotiation, preopens, args, env, clock", test_hello);
	th_run("requests before hello", test_before_hello);
	th_run("ping", test_ping);
	th_run("write, seek, tell, read, pwrite, pread", test_rw_roundtrip);
	th_run("append and fdstat flags", test_append);
	th_run("3 MiB split into 64 KiB frames", test_large_split);
	th_run("64 pipelined requests matched by id", test_pipelined);
	th_run("open errors", test_open_errors);
	th_run("EBADF", test_ebadf);
	th_run("rights", test_rights);
	th_run("filestat, truncation, times, advise, allocate, sync",
	       test_filestat);
	th_run("create/remove directory, unlink", test_dirs);
	th_run("rename and link", test_rename_link);
	th_run("symlinks, readlink, dangling links", test_symlinks);
	th_run("readdir cookies across 300 entries", test_readdir);
	th_run("read-only share", test_readonly_share);
	th_run("FIFOs and devices refused", test_special_files);
	th_run("protocol errors", test_protocol_errors);
	th_run("handle limit per session", test_handle_limit);
	th_run("8 clients at once", test_many_clients);
	th_run("AF_VSOCK listener", test_vsock_listener);
	th_run("--ready-fd, socket removed on exit, usage error",
	       test_ready_fd);
	th_run("--conn-fd: an inherited socketpair end", test_conn_fd);
	th_run("hang-up with requests in flight", test_hangup_midflight);
	tc_close(&cl);
	int rc = th_env_stop_daemon(&env);

	th_run_result("clean shutdown on SIGTERM (exit 0, no sanitizer report)",
		      rc == 0);
	th_env_clean(&env);
	return th_report();
}
