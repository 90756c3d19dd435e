/*
 * probe.c - stand-in for a compiled test program: argv[1] picks one
 * behaviour of the runtime to exercise, and the result is printed so
 * tests/guest/qemu-tests.sh can check it.  Everything goes through the
 * WASI imports and linear memory, as compiled Wasm would.
 *
 * Linear memory: [0, 64) iovec and result scratch, [1024, 3072) output
 * buffer, [8192, ...) argv/environ copies.  Two pages initially.
 */
#include "standin.h"

#ifndef INITIAL_PAGES
#define INITIAL_PAGES 2
#endif
const uint32_t __wasm_memory_initial_pages = INITIAL_PAGES;
const uint32_t __wasm_memory_max_pages = 65536;
const uint32_t __wasm_memory_flags = MEWZ_MEMORY_PRESENT;

void __wasm_init(void)
{
}

#define OUT	1024
#define OUT_MAX 2048
#define ARGS	8192

static void write_bytes(int fd, const char *s, uint32_t len)
{
	while (len > 0) {
		uint32_t n = len < OUT_MAX ? len : OUT_MAX;
		uint32_t iov[2] = {OUT, n};

		__builtin_memcpy(MEM(OUT), s, n);
		__builtin_memcpy(MEM(0), iov, sizeof(iov));
		wasi_fd_write(fd, 0, 1, 8);
		s += n;
		len -= n;
	}
}

static uint32_t str_len(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void out(const char *s)
{
	write_bytes(1, s, str_len(s));
}

static void out_u64(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out(buf + i);
}

static void out_hex(const uint8_t *p, uint32_t n)
{
	static const char d[] = "0123456789abcdef";
	char buf[3] = {0, 0, 0};

	for (uint32_t i = 0; i < n; i++) {
		buf[0] = d[p[i] >> 4];
		buf[1] = d[p[i] & 15];
		out(buf);
	}
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static uint32_t parse_u32(const char *s)
{
	uint32_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint32_t)(*s++ - '0');
	return v;
}

/* argv or environ copied into linear memory: pointers at `at`. */
static uint32_t load_strings(int env, uint32_t at, uint32_t *count)
{
	uint32_t sizes[2];
	int32_t rc =
	    env ? wasi_environ_sizes_get(0, 4) : wasi_args_sizes_get(0, 4);

	if (rc != 0)
		wasi_proc_exit(100);
	__builtin_memcpy(sizes, MEM(0), 8);
	while ((uint64_t)at + sizes[0] * 4 + sizes[1] > __wasm_memory_size)
		if (__wasm_memory_grow(1) < 0)
			wasi_proc_exit(101);
	rc = env ? wasi_environ_get((int32_t)at, (int32_t)(at + sizes[0] * 4))
		 : wasi_args_get((int32_t)at, (int32_t)(at + sizes[0] * 4));
	if (rc != 0)
		wasi_proc_exit(102);
	*count = sizes[0];
	return at + sizes[0] * 4 + sizes[1];
}

static const char *arg_at(uint32_t table, uint32_t i)
{
	uint32_t p;

	__builtin_memcpy(&p, MEM(table + 4 * i), 4);
	return (const char *)MEM(p);
}

static void cmd_args(uint32_t argv, uint32_t argc)
{
	uint32_t envc, envp = (load_strings(0, ARGS, &argc) + 7) & ~7u;

	load_strings(1, envp, &envc);
	for (uint32_t i = 0; i < argc; i++) {
		out("arg[");
		out_u64(i);
		out("]=<");
		out(arg_at(argv, i));
		out(">\n");
	}
	for (uint32_t i = 0; i < envc; i++) {
		out("env=<");
		out(arg_at(envp, i));
		out(">\n");
	}
}

static uint64_t clock_now(int id)
{
	uint64_t t;

	if (wasi_clock_time_get(id, 1, 0) != 0)
		wasi_proc_exit(103);
	__builtin_memcpy(&t, MEM(0), 8);
	return t;
}

static void cmd_clock(void)
{
	uint64_t m1 = clock_now(1), r = clock_now(0), m2 = clock_now(1), res;

	out(m2 >= m1 ? "monotonic ok\n" : "monotonic went backwards\n");
	out("realtime_s ");
	out_u64(r / 1000000000u);
	out("\n");
	wasi_clock_res_get(1, 0);
	__builtin_memcpy(&res, MEM(0), 8);
	out(res > 0 && res <= 1000000 ? "resolution ok\n" : "resolution bad\n");
	out(wasi_clock_time_get(9, 1, 0) == 28 ? "bad clock EINVAL\n"
					       : "bad clock wrong\n");
}

/* poll_oneoff with one relative clock subscription of ms milliseconds. */
static void cmd_sleep(uint32_t ms)
{
	uint8_t sub[48] = {0};
	uint64_t timeout = (uint64_t)ms * 1000000u, t0, t1, userdata = 0x1234;
	uint32_t id = 1, nevents;
	uint8_t ev[32];

	__builtin_memcpy(sub, &userdata, 8);
	__builtin_memcpy(sub + 16, &id, 4);
	__builtin_memcpy(sub + 24, &timeout, 8);
	__builtin_memcpy(MEM(64), sub, 48);
	t0 = clock_now(1);
	if (wasi_poll_oneoff(64, 128, 1, 0) != 0)
		wasi_proc_exit(104);
	__builtin_memcpy(&nevents, MEM(0), 4);
	t1 = clock_now(1);
	__builtin_memcpy(ev, MEM(128), 32);
	__builtin_memcpy(&userdata, ev, 8);
	out(nevents == 1 && userdata == 0x1234 && ev[10] == 0 ? "event ok\n"
							      : "event bad\n");
	out(t1 - t0 >= timeout ? "slept enough\n" : "woke early\n");
}

static void cmd_random(void)
{
	uint8_t b[32];

	if (wasi_random_get(256, 32) != 0)
		wasi_proc_exit(105);
	__builtin_memcpy(b, MEM(256), 32);
	out_hex(b, 32);
	out("\n");
}

/* Each in its own function, so the trap report can name it. */
__attribute__((noinline)) void probe_oob_store(void)
{
	*(volatile uint8_t *)MEM(__wasm_memory_size) = 1;
}

__attribute__((noinline)) uint8_t probe_oob_load(void)
{
	return *(volatile uint8_t *)MEM(__wasm_memory_size + 4096);
}

/* Unbounded unless limit is reached: the caller passes UINT64_MAX. */
__attribute__((noinline)) uint64_t probe_recurse(uint64_t n, uint64_t limit)
{
	volatile uint8_t frame[512];

	if (n == limit)
		return 0;
	frame[n % 512] = (uint8_t)n;
	return probe_recurse(n + 1, limit) + frame[(n + 1) % 512];
}

__attribute__((noinline)) void probe_null(void)
{
	*(volatile uint64_t *)(uintptr_t)8 = 1;
}

/* Grow by `step` pages until it fails; print the final size in pages. */
static void cmd_grow(uint32_t step, uint32_t target)
{
	int32_t old;

	while ((target == 0 || __wasm_memory_size / 65536 < target) &&
	       (old = __wasm_memory_grow(step)) >= 0) {
		/* Touch the last byte: it must be committed and zero. */
		if (*(volatile uint8_t *)MEM(__wasm_memory_size - 1) != 0)
			wasi_proc_exit(106);
	}
	out("pages ");
	out_u64(__wasm_memory_size / 65536);
	out("\n");
	out(__wasm_memory_grow(0) == (int32_t)(__wasm_memory_size / 65536)
		? "grow0 ok\n"
		: "grow0 bad\n");
}

static void check(const char *what, int32_t got, int32_t want)
{
	out(what);
	out(got == want ? " ok\n" : " WRONG\n");
}

static void cmd_fds(void)
{
	uint8_t st[24];
	uint32_t iov[2] = {0xfffffff0u, 64};

	check("fdstat(1)", wasi_fd_fdstat_get(1, 512), 0);
	__builtin_memcpy(st, MEM(512), 24);
	check("filetype chardev", st[0], 2);
	/* wasi-libc's isatty(): a character device without seek/tell rights. */
	check("no seek right", (int32_t)(st[8] & 0x24), 0);
	check("fd_seek(1) ESPIPE", wasi_fd_seek(1, 0, 0, 0), 70);

	check("prestat(3) EBADF", wasi_fd_prestat_get(3, 0), 8);
	check("path_open(3) EBADF",
	      wasi_path_open(3, 0, 1024, 1, 0, 0, 0, 0, 0), 8);
	check("path_open(1) ENOTDIR",
	      wasi_path_open(1, 0, 1024, 1, 0, 0, 0, 0, 0), 54);
	check("fd_write(9) EBADF", wasi_fd_write(9, 0, 0, 8), 8);
	__builtin_memcpy(MEM(32), iov, 8);
	check("fd_write bad buffer EFAULT", wasi_fd_write(1, 32, 1, 8), 21);
	check("fd_write bad result ptr EFAULT", wasi_fd_write(1, 32, 0, -4),
	      21);
	check("fd_read(1) EBADF", wasi_fd_read(1, 32, 0, 8), 8);
	check("random_get EFAULT", wasi_random_get(-8, 64), 21);
	check("proc_raise(0) EINVAL", wasi_proc_raise(0), 28);
}

/*
 * Renumbering and closing take stdout away, so the verdict is the exit
 * status: 0, or the number of the first step that answered wrongly.
 */
static void cmd_renumber(void)
{
	if (wasi_fd_renumber(1, 9) != 8)
		wasi_proc_exit(1);
	if (wasi_fd_renumber(2, 1) != 0)
		wasi_proc_exit(2);
	if (wasi_fd_write(2, 0, 0, 8) != 8)
		wasi_proc_exit(3);
	out("renumbered stderr\n"); /* fd 1 is the old stderr now */
	if (wasi_fd_close(1) != 0)
		wasi_proc_exit(4);
	if (wasi_fd_close(1) != 8)
		wasi_proc_exit(5);
	wasi_proc_exit(0);
}

/* Read stdin up to a newline or end of input; echo what arrived. */
static void cmd_readline(void)
{
	char line[256];
	uint32_t n = 0, got;
	int eof = 0;

	while (n < sizeof(line) - 1) {
		uint32_t iov[2] = {4096, 1};

		__builtin_memcpy(MEM(0), iov, 8);
		if (wasi_fd_read(0, 0, 1, 8) != 0)
			wasi_proc_exit(107);
		__builtin_memcpy(&got, MEM(8), 4);
		if (got == 0) {
			eof = 1;
			break;
		}
		if (*MEM(4096) == '\n')
			break;
		line[n++] = (char)*MEM(4096);
	}
	line[n] = 0;
	out("got <");
	out(line);
	out(eof ? "> eof\n" : ">\n");
}

void wasm_start(void) __asm__("__wasm_export._start");
void wasm_start(void)
{
	uint32_t argc;
	const char *cmd, *arg;

	load_strings(0, ARGS, &argc);
	if (argc < 2) {
		out("usage: probe CMD [ARG]\n");
		wasi_proc_exit(2);
	}
	cmd = arg_at(ARGS, 1);
	arg = argc > 2 ? arg_at(ARGS, 2) : "0";
	if (str_eq(cmd, "args"))
		cmd_args(ARGS, argc);
	else if (str_eq(cmd, "exit"))
		wasi_proc_exit((int32_t)parse_u32(arg));
	else if (str_eq(cmd, "return"))
		return;
	else if (str_eq(cmd, "clock"))
		cmd_clock();
	else if (str_eq(cmd, "sleep"))
		cmd_sleep(parse_u32(arg));
	else if (str_eq(cmd, "random"))
		cmd_random();
	else if (str_eq(cmd, "oob-store"))
		probe_oob_store();
	else if (str_eq(cmd, "oob-load"))
		probe_oob_load();
	else if (str_eq(cmd, "recurse")) {
		probe_recurse(0, parse_u32(arg));
		out("recursed\n");
	} else if (str_eq(cmd, "stack"))
		out_u64(probe_recurse(0, UINT64_MAX));
	else if (str_eq(cmd, "null"))
		probe_null();
	else if (str_eq(cmd, "trap"))
		__wasm_trap(parse_u32(arg));
	else if (str_eq(cmd, "raise"))
		wasi_proc_raise((int32_t)parse_u32(arg));
	else if (str_eq(cmd, "grow"))
		cmd_grow(parse_u32(arg),
			 argc > 3 ? parse_u32(arg_at(ARGS, 3)) : 0);
	else if (str_eq(cmd, "fds"))
		cmd_fds();
	else if (str_eq(cmd, "readline"))
		cmd_readline();
	else if (str_eq(cmd, "renumber"))
		cmd_renumber();
	else if (str_eq(cmd, "spin"))
		for (;;)
			__asm__ volatile("");
	else
		wasi_proc_exit(3);
}
