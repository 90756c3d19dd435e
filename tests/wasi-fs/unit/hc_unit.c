/*
 * hc_unit.c - the guest's hostcall client (guest/wasi/hostcall*.c,
 * file*.c, path.c) against a fake mewz-host in the same process: HELLO
 * and what it installs, errno round trips, splitting of reads, writes and
 * readdir by the frame, and a host that misbehaves (EOF, wrong id, bad
 * flags, replies longer than asked).  Each case runs in a child process,
 * since the client's state lives for the whole run by design.
 *
 * Built with ASan+UBSan; prints one line per check and "N passed, M failed".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../guest/wasi/hostcall.h"
#include "../../../guest/wasi/wasi.h"
#include "hc_unit.h"
#include <mewz/runtime.h>

/* ---- checks, counted in the child and sent to the parent ---------------- */

static int passed, failed;
static const char *current;

#define CHECK(cond) check((cond), #cond, __LINE__)
static void check(int ok, const char *what, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: %s (line %d)\n", current, what, line);
}

/* ---- linear memory ------------------------------------------------------ */

#define MEM_BYTES (1u << 20)
const uint32_t __wasm_memory_initial_pages = 16;
const uint32_t __wasm_memory_max_pages = 16;
const uint32_t __wasm_memory_flags = 1;
void __wasm_init(void) {}

static uint8_t *mem(uint32_t off) { return __wasm_memory_base + off; }

/* The imports under test, by their import names. */
#define W(name) __asm__("wasi_snapshot_preview1." #name)
int32_t fd_read(int32_t, int32_t, int32_t, int32_t) W(fd_read);
int32_t fd_write(int32_t, int32_t, int32_t, int32_t) W(fd_write);
int32_t fd_close(int32_t) W(fd_close);
int32_t fd_readdir(int32_t, int32_t, int32_t, int64_t, int32_t) W(fd_readdir);
int32_t fd_prestat_get(int32_t, int32_t) W(fd_prestat_get);
int32_t fd_prestat_dir_name(int32_t, int32_t, int32_t) W(fd_prestat_dir_name);
int32_t fd_fdstat_get(int32_t, int32_t) W(fd_fdstat_get);
int32_t path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t,
		  int64_t, int32_t, int32_t) W(path_open);
int32_t path_unlink_file(int32_t, int32_t, int32_t) W(path_unlink_file);
int32_t args_sizes_get(int32_t, int32_t) W(args_sizes_get);
int32_t environ_sizes_get(int32_t, int32_t) W(environ_sizes_get);
int32_t clock_time_get(int32_t, int64_t, int32_t) W(clock_time_get);

/* ---- the fake host ------------------------------------------------------ */

enum misbehave { HOST_OK, HOST_EOF, HOST_WRONG_ID, HOST_BAD_FLAGS, HOST_LONG_READ };

static struct {
	uint8_t in[1 << 21];
	size_t in_len;
	uint8_t out[1 << 21];
	size_t out_len, out_pos;
	enum misbehave bad;
	int bad_after;	     /* requests served before misbehaving */
	int byte_at_a_time;  /* recv hands out one byte per call */
	uint32_t max_frame;  /* what HELLO answers */
	uint32_t hello_version;
	uint64_t realtime;   /* HELLO's wall clock */
	unsigned count[0x80]; /* requests per op */
	unsigned sends;
	uint8_t file[1 << 20]; /* the one file READ/WRITE act on */
	size_t file_len, file_pos;
	uint32_t short_write; /* WRITE stores at most this many (0: all) */
	unsigned ndirents;    /* READDIR serves this many entries */
	uint16_t status_for[0x80]; /* a fixed error status per op */
	uint32_t last_close;
	int reverse;	 /* hold replies, send them newest first */
	int dup_first;	 /* send the first held reply twice */
	uint8_t held[1 << 21];
	size_t held_len, held_at[64];
	unsigned nheld;
} host;

static void put_list(struct proto_put *w, const char *const *v, unsigned n)
{
	proto_put_u32(w, n);
	for (unsigned i = 0; i < n; i++)
		proto_put_str(w, v[i], (uint32_t)strlen(v[i]));
}

/* Entry i of the fake directory, exactly as READDIR sends it. */
static size_t dirent_at(unsigned i, uint8_t *out)
{
	char name[64];
	uint32_t len = (uint32_t)snprintf(name, sizeof(name),
					  "name-%u-%.*s", i, (int)(i % 23),
					  "abcdefghijklmnopqrstuvwxyz");

	proto_st64(out, i + 1);
	proto_st64(out + 8, 1000 + i);
	proto_st32(out + 16, len);
	memset(out + 20, 0, 4);
	out[20] = PROTO_FT_REGULAR_FILE;
	memcpy(out + 24, name, len);
	return 24 + len;
}

/* READDIR's bytes from `cookie`, at most max_len (the last entry cut). */
static uint32_t readdir_bytes(uint64_t cookie, uint32_t max_len, uint8_t *out)
{
	uint32_t used = 0;
	uint8_t ent[128];

	for (uint64_t i = cookie; i < host.ndirents && used < max_len; i++) {
		size_t n = dirent_at((unsigned)i, ent);
		size_t take = n < max_len - used ? n : max_len - used;

		memcpy(out + used, ent, take);
		used += (uint32_t)take;
	}
	return used;
}

static uint8_t hello_lists[3][512];
static uint8_t data_buf[1 << 20];

/* Fill the reply to one request; returns the status. */
static uint16_t serve(const struct proto_hdr *h, const struct proto_msg *m,
		      struct proto_msg *r)
{
	uint32_t io_max = proto_io_max(host.max_frame);

	memset(r, 0, sizeof(*r));
	if (host.status_for[h->op])
		return host.status_for[h->op];
	switch (h->op) {
	case PROTO_OP_HELLO: {
		static const char *const args[] = {"a1", "a2"};
		static const char *const env[] = {"HK=hv"};
		struct proto_put w[3];
		struct proto_preopen p1 = {7, PROTO_R_DIR, PROTO_R_DIR | PROTO_R_FILE, 0,
					   {(const uint8_t *)"/data", 5}};
		struct proto_preopen p2 = {9, PROTO_R_DIR, PROTO_R_DIR | PROTO_R_FILE,
					   PROTO_PREOPEN_RO, {(const uint8_t *)"/ro", 3}};

		for (int i = 0; i < 3; i++)
			proto_put_init(&w[i], hello_lists[i], sizeof(hello_lists[i]));
		proto_put_u32(&w[0], 2);
		proto_put_preopen(&w[0], &p1);
		proto_put_preopen(&w[0], &p2);
		put_list(&w[1], args, 2);
		put_list(&w[2], env, 1);
		*r = (struct proto_msg){.nval = 4,
					.val = {host.hello_version, 0, host.max_frame,
						host.realtime},
					.nstr = 3};
		for (int i = 0; i < 3; i++)
			r->str[i] = (struct proto_str){hello_lists[i], w[i].off};
		return 0;
	}
	case PROTO_OP_OPEN:
		*r = (struct proto_msg){.nval = 4,
					.val = {100 + host.count[PROTO_OP_OPEN],
						PROTO_FT_REGULAR_FILE, PROTO_R_FILE, 0}};
		return 0;
	case PROTO_OP_CLOSE:
		host.last_close = (uint32_t)m->val[0];
		return 0;
	case PROTO_OP_READ: {
		uint32_t want = (uint32_t)m->val[1], n;

		if (want > io_max)
			return PROTO_WASI_EINVAL; /* the client must split */
		n = host.file_len - host.file_pos < want
			? (uint32_t)(host.file_len - host.file_pos) : want;
		if (host.bad == HOST_LONG_READ)
			n = want + 1;
		memcpy(data_buf, host.file + host.file_pos, n);
		host.file_pos += n;
		*r = (struct proto_msg){.nstr = 1, .str = {{data_buf, n}}};
		return 0;
	}
	case PROTO_OP_PREAD: {
		uint64_t at = m->val[1];
		uint32_t want = (uint32_t)m->val[2], n = 0;

		if (want > io_max)
			return PROTO_WASI_EINVAL;
		if (at < host.file_len)
			n = host.file_len - at < want ? (uint32_t)(host.file_len - at)
						      : want;
		memcpy(data_buf, host.file + at, n);
		*r = (struct proto_msg){.nstr = 1, .str = {{data_buf, n}}};
		return 0;
	}
	case PROTO_OP_WRITE: {
		uint32_t n = m->str[0].len;

		if (n > io_max)
			return PROTO_WASI_EINVAL;
		if (host.short_write && n > host.short_write)
			n = host.short_write;
		memcpy(host.file + host.file_len, m->str[0].p, n);
		host.file_len += n;
		*r = (struct proto_msg){.nval = 1, .val = {n}};
		return 0;
	}
	case PROTO_OP_READDIR: {
		uint32_t want = (uint32_t)m->val[2];

		if (want > io_max)
			return PROTO_WASI_EINVAL;
		*r = (struct proto_msg){
		    .nstr = 1,
		    .str = {{data_buf, readdir_bytes(m->val[1], want, data_buf)}}};
		return 0;
	}
	case PROTO_OP_PATH_UNLINK_FILE:
		return 0;
	}
	return PROTO_WASI_ENOSYS;
}

static uint8_t reply_buf[1 << 21];

/* One complete request frame is in host.in: answer it into host.out. */
static void host_answer(const uint8_t *frame)
{
	struct proto_hdr h, rh;
	struct proto_msg m, r;
	int64_t n;

	if (proto_decode_hdr(frame, PROTO_HDR_LEN, PROTO_FRAME_MAX, &h) ||
	    proto_decode(&h, frame + PROTO_HDR_LEN, &m)) {
		printf("FAIL %s: the client sent a malformed frame\n", current);
		failed++;
		return;
	}
	host.count[h.op & 0x7f]++;
	rh = (struct proto_hdr){.op = h.op, .flags = PROTO_F_RESPONSE, .id = h.id};
	rh.status = serve(&h, &m, &r);
	n = proto_encode(reply_buf, sizeof(reply_buf), &rh, rh.status ? NULL : &r);
	if (n < 0) {
		printf("FAIL %s: fake host cannot encode op %u\n", current, h.op);
		failed++;
		return;
	}
	if (host.bad && host.bad_after-- <= 0) {
		if (host.bad == HOST_EOF)
			return;
		if (host.bad == HOST_WRONG_ID)
			proto_st32(reply_buf + 8, h.id + 1);
		if (host.bad == HOST_BAD_FLAGS)
			proto_st16(reply_buf + 6, 0x3);
	}
	if (host.reverse) {
		host.held_at[host.nheld++] = host.held_len;
		memcpy(host.held + host.held_len, reply_buf, (size_t)n);
		host.held_len += (size_t)n;
		return;
	}
	memcpy(host.out + host.out_len, reply_buf, (size_t)n);
	host.out_len += (size_t)n;
}

/* The held replies, newest first (that one twice if asked). */
static void host_flush_held(void)
{
	size_t end = host.held_len;

	for (unsigned i = host.nheld; i-- > 0;) {
		size_t len = end - host.held_at[i];
		int twice = host.dup_first && i == host.nheld - 1;

		for (int k = 0; k <= twice; k++) {
			memcpy(host.out + host.out_len,
			       host.held + host.held_at[i], len);
			host.out_len += len;
		}
		end = host.held_at[i];
	}
	host.nheld = 0;
	host.held_len = 0;
}

static long host_send(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	host.sends++;
	memcpy(host.in + host.in_len, buf, len);
	host.in_len += len;
	for (;;) {
		uint32_t plen;

		if (host.in_len < PROTO_HDR_LEN)
			break;
		plen = proto_ld32(host.in);
		if (host.in_len < PROTO_HDR_LEN + plen)
			break;
		host_answer(host.in);
		memmove(host.in, host.in + PROTO_HDR_LEN + plen,
			host.in_len - PROTO_HDR_LEN - plen);
		host.in_len -= PROTO_HDR_LEN + plen;
	}
	return (long)len;
}

static long host_recv(void *ctx, void *buf, size_t len)
{
	size_t n = host.out_len - host.out_pos;

	(void)ctx;
	hc_plat.mono_ns += 1000; /* each receive takes 1 us */
	if (n == 0 && host.nheld) {
		host_flush_held();
		n = host.out_len - host.out_pos;
	}
	if (n == 0)
		return 0; /* nothing more will come: end of stream */
	if (n > len)
		n = len;
	if (host.byte_at_a_time)
		n = 1;
	memcpy(buf, host.out + host.out_pos, n);
	host.out_pos += n;
	return (long)n;
}

static const struct hostcall_transport transport = {host_send, host_recv, NULL, NULL};

/* A runtime with an empty fd table and a host that answers HELLO. */
static int start(uint32_t max_frame)
{
	static const char *const argv0[] = {"prog"};

	__wasm_memory_base = calloc(1, MEM_BYTES);
	__wasm_memory_size = MEM_BYTES;
	hc_plat.args = (struct mewz_plat_args){.argc = 1, .argv = argv0};
	hc_plat.real_base_ns = 1700000000ull * 1000000000ull;
	host.max_frame = max_frame;
	host.hello_version = 1;
	host.realtime = hc_plat.real_base_ns;
	mewz_runtime_init();
	return hostcall_start(&transport);
}

/* Open "f" below /data (fd 3): the new fd, or -errno. */
static int open_f(void)
{
	memcpy(mem(100), "f", 1);
	int32_t e = path_open(3, 0, 100, 1, 0, PROTO_R_FILE, 0, 0, 200);
	return e ? -e : (int)proto_ld32(mem(200));
}

/* ---- the cases ---------------------------------------------------------- */

static void t_hello(void)
{
	CHECK(start(8192) == 0);
	CHECK(hostcall_up());
	CHECK(hostcall_io_max() == 8192 - 32);
	CHECK(fd_prestat_get(3, 0) == 0);
	CHECK(proto_ld32(mem(4)) == 5);
	CHECK(fd_prestat_dir_name(3, 16, 5) == 0 && !memcmp(mem(16), "/data", 5));
	CHECK(fd_prestat_get(4, 0) == 0 && proto_ld32(mem(4)) == 3);
	CHECK(fd_prestat_get(5, 0) == WASI_EBADF);
	CHECK(fd_fdstat_get(3, 32) == 0);
	CHECK(mem(32)[0] == WASI_FILETYPE_DIRECTORY);
	CHECK(proto_ld64(mem(40)) == PROTO_R_DIR);
	/* No arguments of its own: the host's follow argv[0]. */
	CHECK(args_sizes_get(0, 4) == 0);
	CHECK(proto_ld32(mem(0)) == 3 && proto_ld32(mem(4)) == 5 + 3 + 3);
	CHECK(environ_sizes_get(0, 4) == 0);
	CHECK(proto_ld32(mem(0)) == 1 && proto_ld32(mem(4)) == 6);
	/* Host and platform clocks agree within the round trip: untouched. */
	CHECK(clock_time_get(0, 0, 0) == 0);
	CHECK(proto_ld64(mem(0)) == mewz_plat_realtime_ns());
}

static void t_platform_args_win(void)
{
	static const char *const argv[] = {"prog", "mine"};
	static const char *const envp[] = {"MINE=1"};

	CHECK(start(8192) == 0);
	hc_plat.args = (struct mewz_plat_args){2, argv, 1, envp};
	CHECK(args_sizes_get(0, 4) == 0 && proto_ld32(mem(0)) == 2);
	CHECK(environ_sizes_get(0, 4) == 0 && proto_ld32(mem(0)) == 1 &&
	      proto_ld32(mem(4)) == 7);
}

static void t_realtime(void)
{
	static const char *const argv0[] = {"prog"};

	/* Like start(), but the host's clock is an hour ahead. */
	hc_plat.real_base_ns = 1000000000000ull;
	host.realtime = hc_plat.real_base_ns + 3600ull * 1000000000ull;
	__wasm_memory_base = calloc(1, MEM_BYTES);
	__wasm_memory_size = MEM_BYTES;
	hc_plat.args = (struct mewz_plat_args){.argc = 1, .argv = argv0};
	host.max_frame = 8192;
	host.hello_version = 1;
	mewz_runtime_init();
	CHECK(hostcall_start(&transport) == 0);
	uint64_t now = mewz_plat_realtime_ns(), fixed = wasi_realtime_ns();
	CHECK(fixed > now + 3599ull * 1000000000ull);
	CHECK(fixed < now + 3601ull * 1000000000ull);
}

static void t_bad_version(void)
{
	/* Like start(), but the host speaks version 2 only. */
	host.hello_version = 2;
	__wasm_memory_base = calloc(1, MEM_BYTES);
	__wasm_memory_size = MEM_BYTES;
	host.max_frame = 8192;
	mewz_runtime_init();
	CHECK(hostcall_start(&transport) < 0);
	CHECK(!hostcall_up());
	CHECK(fd_prestat_get(3, 0) == WASI_EBADF);
}

static void t_frame_too_big(void)
{
	/* A host may not answer more than the guest offered. */
	CHECK(start(HOSTCALL_FRAME * 2) < 0);
	CHECK(!hostcall_up());
}

static void t_errno_roundtrip(void)
{
	int all = 1;

	for (uint16_t w = 1; w <= WASI_ENOTCAPABLE; w++)
		if (wasi_errno(hostcall_errno(w)) != w) {
			printf("FAIL %s: WASI errno %u comes back as %u\n", current, w,
			       wasi_errno(hostcall_errno(w)));
			all = 0;
		}
	CHECK(all);
	CHECK(hostcall_errno(0) == 0);
	CHECK(hostcall_errno(500) == -EIO);
}

static void t_status_passthrough(void)
{
	CHECK(start(8192) == 0);
	host.status_for[PROTO_OP_OPEN] = PROTO_WASI_EROFS;
	CHECK(open_f() == -WASI_EROFS);
	host.status_for[PROTO_OP_OPEN] = PROTO_WASI_ENOTCAPABLE;
	CHECK(open_f() == -WASI_ENOTCAPABLE);
	host.status_for[PROTO_OP_PATH_UNLINK_FILE] = PROTO_WASI_EISDIR;
	CHECK(path_unlink_file(3, 100, 1) == WASI_EISDIR);
	CHECK(hostcall_up()); /* an error status is not a broken connection */
}

/* iovec list at 300: one buffer of len bytes at 4096. */
static int32_t one_iov(uint32_t len)
{
	proto_st32(mem(300), 4096);
	proto_st32(mem(304), len);
	return 300;
}

static void t_read_split(void)
{
	int fd;

	CHECK(start(4096) == 0);
	for (size_t i = 0; i < 10000; i++)
		host.file[i] = (uint8_t)(i * 13);
	host.file_len = 10000;
	fd = open_f();
	CHECK(fd == 5);
	CHECK(fd_read(fd, one_iov(20000), 1, 200) == 0);
	CHECK(proto_ld32(mem(200)) == 10000);
	CHECK(!memcmp(mem(4096), host.file, 10000));
	/* 4064 + 4064 + 1872 (short: the end) */
	CHECK(host.count[PROTO_OP_READ] == 3);
	CHECK(fd_read(fd, one_iov(100), 1, 200) == 0 && proto_ld32(mem(200)) == 0);
}

static void t_read_scatter(void)
{
	int fd;

	CHECK(start(4096) == 0);
	memcpy(host.file, "abcdefghij", 10);
	host.file_len = 10;
	fd = open_f();
	/* Three iovecs: 3, 0 and 5 bytes. */
	proto_st32(mem(300), 1000), proto_st32(mem(304), 3);
	proto_st32(mem(308), 2000), proto_st32(mem(312), 0);
	proto_st32(mem(316), 3000), proto_st32(mem(320), 5);
	CHECK(fd_read(fd, 300, 3, 200) == 0 && proto_ld32(mem(200)) == 8);
	CHECK(!memcmp(mem(1000), "abc", 3) && !memcmp(mem(3000), "defgh", 5));
	CHECK(host.count[PROTO_OP_READ] == 1);
}

static void t_write_gather_split(void)
{
	int fd;

	CHECK(start(4096) == 0);
	fd = open_f();
	for (size_t i = 0; i < 9000; i++)
		mem(10000)[i] = (uint8_t)(i * 7);
	proto_st32(mem(300), 10000), proto_st32(mem(304), 5000);
	proto_st32(mem(308), 15000), proto_st32(mem(312), 4000);
	CHECK(fd_write(fd, 300, 2, 200) == 0 && proto_ld32(mem(200)) == 9000);
	CHECK(host.file_len == 9000 && !memcmp(host.file, mem(10000), 9000));
	CHECK(host.count[PROTO_OP_WRITE] == 3);
	/* A short write ends the call with what was written. */
	host.short_write = 100;
	host.count[PROTO_OP_WRITE] = 0;
	CHECK(fd_write(fd, 300, 2, 200) == 0 && proto_ld32(mem(200)) == 100);
	CHECK(host.count[PROTO_OP_WRITE] == 1);
}

static void t_readdir_split(void)
{
	static uint8_t want[30000];
	uint32_t len;

	CHECK(start(4096) == 0);
	host.ndirents = 500;
	/* What one unlimited reply would hold for a 20000-byte buffer. */
	len = readdir_bytes(0, 20000, want);
	CHECK(len == 20000);
	CHECK(fd_readdir(3, 40000, 20000, 0, 200) == 0);
	CHECK(proto_ld32(mem(200)) == 20000);
	CHECK(!memcmp(mem(40000), want, 20000));
	CHECK(host.count[PROTO_OP_READDIR] >= 5);
	/* From a cookie, to the end of the directory. */
	len = readdir_bytes(450, 60000, want);
	CHECK(fd_readdir(3, 40000, 60000, 450, 200) == 0);
	CHECK(proto_ld32(mem(200)) == len && !memcmp(mem(40000), want, len));
	/* A buffer smaller than an entry gets its first bytes. */
	CHECK(fd_readdir(3, 40000, 10, 0, 200) == 0 && proto_ld32(mem(200)) == 10);
}

/* fd_pread of len bytes at off into 4096: the count, or -errno. */
static long pread_at(int fd, uint32_t len, uint64_t off)
{
	int32_t fd_pread(int32_t, int32_t, int32_t, int64_t, int32_t) W(fd_pread);
	int32_t e = fd_pread(fd, one_iov(len), 1, (int64_t)off, 200);

	return e ? -e : (long)proto_ld32(mem(200));
}

static void t_pread_pipelined(void)
{
	int fd;

	CHECK(start(4096) == 0);
	for (size_t i = 0; i < 100000; i++)
		host.file[i] = (uint8_t)(i * 31 + i / 4096);
	host.file_len = 100000;
	fd = open_f();
	/* 25 pieces of 4064: windows of 8, 8, 8 and 1. */
	CHECK(pread_at(fd, 100000, 0) == 100000);
	CHECK(!memcmp(mem(4096), host.file, 100000));
	CHECK(host.count[PROTO_OP_PREAD] == 25);
	/* Past the end: the run stops at the first short piece. */
	CHECK(pread_at(fd, 60000, 90000) == 10000);
	CHECK(!memcmp(mem(4096), host.file + 90000, 10000));
	CHECK(pread_at(fd, 60000, 200000) == 0);
	host.status_for[PROTO_OP_PREAD] = PROTO_WASI_ENOTCAPABLE;
	CHECK(pread_at(fd, 60000, 0) == -WASI_ENOTCAPABLE);
	CHECK(hostcall_up());
}

static void t_pread_out_of_order(void)
{
	int fd;

	CHECK(start(4096) == 0);
	for (size_t i = 0; i < 30000; i++)
		host.file[i] = (uint8_t)(i * 7 + 3);
	host.file_len = 30000;
	fd = open_f();
	host.reverse = 1;
	CHECK(pread_at(fd, 30000, 0) == 30000);
	CHECK(!memcmp(mem(4096), host.file, 30000));
	CHECK(hostcall_up());
}

static void t_pread_duplicate_reply(void)
{
	int fd;

	CHECK(start(4096) == 0);
	host.file_len = 30000;
	fd = open_f();
	host.reverse = 1;
	host.dup_first = 1;
	/* The newest reply comes twice, inside the batch. */
	CHECK(pread_at(fd, 8 * 4064 + 100, 0) == -WASI_EIO);
	CHECK(!hostcall_up());
}

static void t_open_close(void)
{
	int fd;

	CHECK(start(8192) == 0);
	fd = open_f();
	CHECK(fd == 5);
	CHECK(fd_fdstat_get(fd, 32) == 0 && mem(32)[0] == WASI_FILETYPE_REGULAR_FILE);
	CHECK(fd_close(fd) == 0);
	CHECK(host.last_close == 101); /* handles are 100 + the OPEN count */
	CHECK(fd_close(fd) == WASI_EBADF);
	CHECK(host.count[PROTO_OP_CLOSE] == 1);
	/* A preopen closes like any directory (its path is freed: ASan). */
	CHECK(fd_close(3) == 0 && host.last_close == 7);
	CHECK(fd_prestat_get(3, 0) == WASI_EBADF);
}

static void t_open_emfile(void)
{
	int fd = 0;

	CHECK(start(8192) == 0);
	while (fd >= 0)
		fd = open_f();
	CHECK(fd == -WASI_EMFILE);
	/* The handle the host opened for the refused fd was closed again. */
	CHECK(host.count[PROTO_OP_CLOSE] == 1);
	CHECK(host.last_close == 100 + host.count[PROTO_OP_OPEN]);
}

static void t_byte_at_a_time(void)
{
	host.byte_at_a_time = 1;
	CHECK(start(8192) == 0);
	memcpy(host.file, "hello", 5);
	host.file_len = 5;
	int fd = open_f();
	CHECK(fd_read(fd, one_iov(64), 1, 200) == 0 && proto_ld32(mem(200)) == 5);
	CHECK(!memcmp(mem(4096), "hello", 5));
}

/* After the host misbehaves once: EIO now and for every later call,
 * without another byte sent. */
static void broken_after(enum misbehave how)
{
	int fd;
	unsigned sends;

	CHECK(start(8192) == 0);
	fd = open_f();
	host.bad = how;
	host.file_len = 100;
	CHECK(fd_read(fd, one_iov(64), 1, 200) == WASI_EIO);
	CHECK(!hostcall_up());
	sends = host.sends;
	CHECK(fd_read(fd, one_iov(64), 1, 200) == WASI_EIO);
	CHECK(open_f() == -WASI_EIO);
	CHECK(path_unlink_file(3, 100, 1) == WASI_EIO);
	CHECK(fd_close(fd) == WASI_EIO);
	CHECK(fd_close(fd) == WASI_EBADF);
	CHECK(host.sends == sends);
}

static void t_eof(void) { broken_after(HOST_EOF); }
static void t_wrong_id(void) { broken_after(HOST_WRONG_ID); }
static void t_bad_flags(void) { broken_after(HOST_BAD_FLAGS); }
static void t_long_read(void) { broken_after(HOST_LONG_READ); }

static void t_eof_in_hello(void)
{
	host.bad = HOST_EOF;
	CHECK(start(8192) == -EIO);
	CHECK(!hostcall_up());
}

/* ---- runner ------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
    {"hello installs preopens, args, env", t_hello},
    {"platform args and env win", t_platform_args_win},
    {"realtime corrected by an hour", t_realtime},
    {"hello with a wrong version", t_bad_version},
    {"hello with a frame above the offer", t_frame_too_big},
    {"every WASI errno round-trips", t_errno_roundtrip},
    {"error statuses pass through", t_status_passthrough},
    {"reads split by the frame", t_read_split},
    {"a read scatters into iovecs", t_read_scatter},
    {"writes gathered and split, short write", t_write_gather_split},
    {"readdir split by the frame", t_readdir_split},
    {"preads pipelined, short and failed pieces", t_pread_pipelined},
    {"pipelined replies in reverse order", t_pread_out_of_order},
    {"a pipelined reply sent twice: EIO", t_pread_duplicate_reply},
    {"open and close", t_open_close},
    {"EMFILE closes the host handle", t_open_emfile},
    {"a stream that delivers one byte at a time", t_byte_at_a_time},
    {"EOF: EIO for good", t_eof},
    {"reply with another id: EIO for good", t_wrong_id},
    {"reply with unknown flags: EIO for good", t_bad_flags},
    {"READ reply longer than asked: EIO for good", t_long_read},
    {"EOF during HELLO", t_eof_in_hello},
};

int main(void)
{
	int total_pass = 0, total_fail = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fds[2], counts[2] = {0, 1}, status;
		pid_t pid;

		if (pipe(fds))
			return 2;
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			current = cases[i].name;
			cases[i].fn();
			counts[0] = passed, counts[1] = failed;
			if (write(fds[1], counts, sizeof(counts)) != sizeof(counts))
				_exit(3);
			_exit(0);
		}
		close(fds[1]);
		if (read(fds[0], counts, sizeof(counts)) != sizeof(counts))
			counts[0] = 0, counts[1] = 1; /* the child crashed */
		close(fds[0]);
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			counts[1] += counts[1] ? 0 : 1;
		printf("%s %s (%d checks)\n", counts[1] ? "FAIL" : "ok  ",
		       cases[i].name, counts[0] + counts[1]);
		total_pass += counts[0];
		total_fail += counts[1];
	}
	printf("%d passed, %d failed\n", total_pass, total_fail);
	return total_fail ? 1 : 0;
}
