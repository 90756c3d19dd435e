/*
 * test_wasi.c - the platform-neutral WASI layer (guest/wasi) on the fake
 * platform: errno mapping, the fd table, and the calls through their
 * import symbols, with guest pointers into a host buffer standing in for
 * linear memory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <mewz/abi.h>
#include <mewz/runtime.h>

#include "../../../guest/wasi/wasi.h"
#include "check.h"
#include "fake_plat.h"

void test_wasi(void);

/* What a compiled module would define (memory.c reads these). */
const uint32_t __wasm_memory_initial_pages = 1;
const uint32_t __wasm_memory_max_pages = 4;
const uint32_t __wasm_memory_flags = MEWZ_MEMORY_PRESENT;

#define W(name) __asm__("wasi_snapshot_preview1." #name)
int32_t w_fd_write(int32_t, int32_t, int32_t, int32_t) W(fd_write);
int32_t w_fd_read(int32_t, int32_t, int32_t, int32_t) W(fd_read);
int32_t w_fd_seek(int32_t, int64_t, int32_t, int32_t) W(fd_seek);
int32_t w_fd_fdstat_get(int32_t, int32_t) W(fd_fdstat_get);
int32_t w_fd_fdstat_set_flags(int32_t, int32_t) W(fd_fdstat_set_flags);
int32_t w_fd_fdstat_set_rights(int32_t, int64_t, int64_t)
    W(fd_fdstat_set_rights);
int32_t w_fd_filestat_get(int32_t, int32_t) W(fd_filestat_get);
int32_t w_fd_prestat_get(int32_t, int32_t) W(fd_prestat_get);
int32_t w_fd_prestat_dir_name(int32_t, int32_t, int32_t) W(fd_prestat_dir_name);
int32_t w_fd_close(int32_t) W(fd_close);
int32_t w_fd_renumber(int32_t, int32_t) W(fd_renumber);
int32_t w_fd_sync(int32_t) W(fd_sync);
int32_t w_fd_readdir(int32_t, int32_t, int32_t, int64_t, int32_t) W(fd_readdir);
int32_t w_args_sizes_get(int32_t, int32_t) W(args_sizes_get);
int32_t w_args_get(int32_t, int32_t) W(args_get);
int32_t w_environ_sizes_get(int32_t, int32_t) W(environ_sizes_get);
int32_t w_environ_get(int32_t, int32_t) W(environ_get);
int32_t w_clock_time_get(int32_t, int64_t, int32_t) W(clock_time_get);
int32_t w_clock_res_get(int32_t, int32_t) W(clock_res_get);
int32_t w_random_get(int32_t, int32_t) W(random_get);
int32_t w_poll_oneoff(int32_t, int32_t, int32_t, int32_t) W(poll_oneoff);
int32_t w_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t,
		    int64_t, int32_t, int32_t) W(path_open);
int32_t w_sock_send(int32_t, int32_t, int32_t, int32_t, int32_t) W(sock_send);
int32_t w_sched_yield(void) W(sched_yield);
int32_t w_proc_raise(int32_t) W(proc_raise);
_Noreturn void w_proc_exit(int32_t) W(proc_exit);
int32_t __wasm_memory_grow(uint32_t delta);
int32_t __wasm_table_grow(mewz_table_t *t, uint32_t delta, void *init);
_Noreturn void __wasm_trap(uint32_t code);

#define MEM_BYTES (4 * 65536)

static uint8_t *mem(uint32_t off)
{
	return __wasm_memory_base + off;
}
static uint32_t ld32(uint32_t off)
{
	uint32_t v;
	memcpy(&v, mem(off), 4);
	return v;
}
static uint64_t ld64(uint32_t off)
{
	uint64_t v;
	memcpy(&v, mem(off), 8);
	return v;
}
static void st32(uint32_t off, uint32_t v)
{
	memcpy(mem(off), &v, 4);
}
static void st64(uint32_t off, uint64_t v)
{
	memcpy(mem(off), &v, 8);
}

static void reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.memory_limit = MEM_BYTES;
	memset(__wasm_memory_base, 0, MEM_BYTES);
	__wasm_memory_size = 65536;
	mewz_runtime_init();
}

static void errno_map(void)
{
	CHECK_EQ(wasi_errno(0), WASI_ESUCCESS);
	CHECK_EQ(wasi_errno(-EBADF), WASI_EBADF);
	CHECK_EQ(wasi_errno(-EFAULT), WASI_EFAULT);
	CHECK_EQ(wasi_errno(-EINVAL), WASI_EINVAL);
	CHECK_EQ(wasi_errno(-ENOTSUP), WASI_ENOTSUP);
	CHECK_EQ(wasi_errno(-EOPNOTSUPP), WASI_ENOTSUP);
	CHECK_EQ(wasi_errno(-EAGAIN), WASI_EAGAIN);
	CHECK_EQ(wasi_errno(-EWOULDBLOCK), WASI_EAGAIN);
	CHECK_EQ(wasi_errno(-ESPIPE), WASI_ESPIPE);
	CHECK_EQ(wasi_errno(-ENOTSOCK), WASI_ENOTSOCK);
	CHECK_EQ(wasi_errno(-EXDEV), WASI_EXDEV);
	CHECK_EQ(wasi_errno(-MEWZ_ENOTCAPABLE), WASI_ENOTCAPABLE);
	CHECK_EQ(wasi_errno(-99999), WASI_EIO); /* unknown */
}

static int closes;
static int count_close(struct wasi_fd *fd)
{
	(void)fd;
	closes++;
	return 0;
}

static void fd_table(void)
{
	static const struct wasi_fd_ops ops = {.close = count_close};
	struct wasi_fd tmpl = {.kind = WASI_FD_HOST_FILE,
			       .filetype = WASI_FILETYPE_REGULAR_FILE,
			       .rights_base = WASI_RIGHT_FD_READ,
			       .ops = &ops};
	int err, fd, i;

	reset();
	closes = 0;
	CHECK_EQ(fdt_get(0, 0, &err) != NULL, 1);
	CHECK_EQ(fdt_get(2, WASI_RIGHT_FD_WRITE, &err) != NULL, 1);
	CHECK_EQ(fdt_get(0, WASI_RIGHT_FD_WRITE, &err) == NULL &&
		     err == -MEWZ_ENOTCAPABLE,
		 1);
	CHECK_EQ(fdt_get(3, 0, &err) == NULL && err == -EBADF, 1);
	CHECK_EQ(fdt_get(WASI_FD_MAX + 5, 0, &err) == NULL && err == -EBADF, 1);
	fd = fdt_install(&tmpl);
	CHECK_EQ(fd, 3);
	CHECK_EQ(fdt_get(3, WASI_RIGHT_FD_READ, &err) != NULL, 1);
	CHECK_EQ(fdt_close(3), 0);
	CHECK_EQ(closes, 1);
	CHECK_EQ(fdt_close(3), -EBADF);
	/* Lowest free fd first. */
	CHECK_EQ(fdt_close(1), 0);
	CHECK_EQ(fdt_install(&tmpl), 1);
	/* renumber: both must be open; the target's object is closed. */
	closes = 0;
	CHECK_EQ(fdt_renumber(1, 7), -EBADF);
	CHECK_EQ(fdt_renumber(7, 1), -EBADF);
	CHECK_EQ(fdt_install_at(7, &tmpl), 7);
	CHECK_EQ(fdt_renumber(1, 7), 0);
	CHECK_EQ(closes, 1);
	CHECK_EQ(fdt_get(1, 0, &err) == NULL, 1);
	CHECK_EQ(fdt_get(7, 0, &err)->kind, WASI_FD_HOST_FILE);
	CHECK_EQ(fdt_renumber(7, 7), 0);
	/* Full table. */
	for (i = 0; i < WASI_FD_MAX; i++)
		fdt_install(&tmpl);
	CHECK_EQ(fdt_install(&tmpl), -EMFILE);
	reset();
}

static void write_read(void)
{
	reset();
	memcpy(mem(1000), "hello ", 6);
	memcpy(mem(2000), "world\n", 6);
	st32(100, 1000), st32(104, 6), st32(108, 2000), st32(112, 0),
	    st32(116, 2000), st32(120, 6);
	CHECK_EQ(w_fd_write(1, 100, 3, 200), 0);
	CHECK_EQ(ld32(200), 12);
	CHECK_MEM(fake.out, "hello world\n", 12);
	CHECK_EQ(w_fd_write(2, 100, 1, 200), 0);
	CHECK_MEM(fake.err, "hello ", 6);
	CHECK_EQ(w_fd_write(5, 100, 1, 200), WASI_EBADF);
	/* stdin is not open for writing: EBADF, as write(2) says. */
	CHECK_EQ(w_fd_write(0, 100, 1, 200), WASI_EBADF);
	/* A buffer or iovec list past the end of memory is EFAULT. */
	st32(300, 65530), st32(304, 7);
	CHECK_EQ(w_fd_write(1, 300, 1, 200), WASI_EFAULT);
	CHECK_EQ(w_fd_write(1, 65532, 1, 200), WASI_EFAULT);
	CHECK_EQ(w_fd_write(1, 100, 1, 65534), WASI_EFAULT);
	CHECK_EQ(w_fd_write(1, 100, 0x7fffffff, 200), WASI_EINVAL);
	/* Many iovecs cross the batching boundary. */
	for (int i = 0; i < 40; i++)
		st32(400 + 8 * i, 1000), st32(404 + 8 * i, 1);
	fake.out_len = 0;
	CHECK_EQ(w_fd_write(1, 400, 40, 200), 0);
	CHECK_EQ(ld32(200), 40);
	CHECK_EQ(fake.out_len, 40);
	/* A bad buffer late in the list fails the call before anything moves.
	 */
	st32(400 + 8 * 30, 65535), st32(404 + 8 * 30, 2);
	fake.out_len = 0;
	CHECK_EQ(w_fd_write(1, 400, 40, 200), WASI_EFAULT);
	CHECK_EQ(fake.out_len, 0);

	/* stdin: data, then (blocking) more data, then EOF. */
	fake.in = "abc";
	fake.in_len = 3;
	st32(100, 1000), st32(104, 2);
	CHECK_EQ(w_fd_read(0, 100, 1, 200), 0);
	CHECK_EQ(ld32(200), 2);
	CHECK_MEM(mem(1000), "ab", 2);
	CHECK_EQ(w_fd_read(0, 100, 1, 200), 0);
	CHECK_EQ(ld32(200), 1);
	CHECK_EQ(w_fd_fdstat_set_flags(0, WASI_FDFLAG_NONBLOCK), 0);
	CHECK_EQ(w_fd_read(0, 100, 1, 200), WASI_EAGAIN);
	fake.in_eof = 1;
	CHECK_EQ(w_fd_read(0, 100, 1, 200), 0);
	CHECK_EQ(ld32(200), 0);
	CHECK_EQ(w_fd_fdstat_set_flags(0, WASI_FDFLAG_SYNC), WASI_ENOTSUP);
}

static void fd_misc(void)
{
	reset();
	CHECK_EQ(w_fd_fdstat_get(1, 64), 0);
	CHECK_EQ(mem(64)[WASI_FDSTAT_FILETYPE], WASI_FILETYPE_CHARACTER_DEVICE);
	CHECK_EQ(ld64(64 + WASI_FDSTAT_RIGHTS) &
		     (WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL),
		 0);
	CHECK_EQ(ld64(64 + WASI_FDSTAT_RIGHTS) & WASI_RIGHT_FD_WRITE,
		 WASI_RIGHT_FD_WRITE);
	CHECK_EQ(w_fd_fdstat_get(1, 65535), WASI_EFAULT);
	CHECK_EQ(w_fd_filestat_get(1, 128), 0);
	CHECK_EQ(mem(128)[WASI_FILESTAT_FILETYPE],
		 WASI_FILETYPE_CHARACTER_DEVICE);
	CHECK_EQ(w_fd_seek(1, 0, WASI_WHENCE_SET, 200), WASI_ESPIPE);
	CHECK_EQ(w_fd_seek(9, 0, WASI_WHENCE_SET, 200), WASI_EBADF);
	CHECK_EQ(w_fd_sync(1), WASI_EINVAL);
	CHECK_EQ(w_fd_readdir(1, 0, 0, 0, 200), WASI_ENOTDIR);
	CHECK_EQ(w_fd_prestat_get(0, 200), WASI_EBADF);
	CHECK_EQ(w_fd_prestat_get(3, 200), WASI_EBADF);
	CHECK_EQ(w_fd_prestat_dir_name(3, 200, 10), WASI_EBADF);
	CHECK_EQ(w_path_open(3, 0, 200, 1, 0, 0, 0, 0, 300), WASI_EBADF);
	CHECK_EQ(w_path_open(1, 0, 200, 1, 0, 0, 0, 0, 300), WASI_ENOTDIR);
	CHECK_EQ(w_sock_send(1, 0, 0, 0, 300), WASI_ENOTSOCK);
	CHECK_EQ(w_sock_send(42, 0, 0, 0, 300), WASI_EBADF);
	/* Rights only shrink. */
	CHECK_EQ(w_fd_fdstat_set_rights(1, WASI_RIGHT_FD_WRITE, 0), 0);
	CHECK_EQ(w_fd_fdstat_set_rights(
		     1, WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_READ, 0),
		 WASI_ENOTCAPABLE);
	CHECK_EQ(w_fd_filestat_get(1, 128), WASI_ENOTCAPABLE);
	CHECK_EQ(w_fd_renumber(2, 1), 0);
	CHECK_EQ(w_fd_close(2), WASI_EBADF);
	CHECK_EQ(w_fd_close(1), 0);
	CHECK_EQ(w_fd_close(1), WASI_EBADF);
}

static void args_env(void)
{
	static const char *const argv[] = {"prog", "a b", "\xc3\xa9"};
	static const char *const envp[] = {"K=V"};

	reset();
	fake.args = (struct mewz_plat_args){3, argv, 1, envp};
	CHECK_EQ(w_args_sizes_get(0, 4), 0);
	CHECK_EQ(ld32(0), 3);
	CHECK_EQ(ld32(4), 5 + 4 + 3);
	CHECK_EQ(w_args_get(100, 200), 0);
	CHECK_EQ(ld32(100), 200);
	CHECK_EQ(ld32(104), 205);
	CHECK_EQ(ld32(108), 209);
	CHECK_MEM(mem(200), "prog\0a b\0\xc3\xa9\0", 12);
	CHECK_EQ(w_args_get(100, 65530), WASI_EFAULT);
	CHECK_EQ(w_args_sizes_get(65534, 4), WASI_EFAULT);
	CHECK_EQ(w_environ_sizes_get(0, 4), 0);
	CHECK_EQ(ld32(0), 1);
	CHECK_EQ(ld32(4), 4);
	CHECK_EQ(w_environ_get(100, 200), 0);
	CHECK_STR((char *)mem(200), "K=V");
}

static void clocks(void)
{
	reset();
	fake.mono_ns = 5000;
	fake.real_base_ns = 1700000000ull * 1000000000ull;
	CHECK_EQ(w_clock_time_get(WASI_CLOCK_MONOTONIC, 0, 8), 0);
	CHECK_EQ(ld64(8), 5000);
	CHECK_EQ(w_clock_time_get(WASI_CLOCK_REALTIME, 0, 8), 0);
	CHECK_EQ(ld64(8), 1700000000ull * 1000000000ull + 5000);
	CHECK_EQ(w_clock_time_get(WASI_CLOCK_PROCESS_CPUTIME, 0, 8), 0);
	CHECK_EQ(w_clock_time_get(4, 0, 8), WASI_EINVAL);
	CHECK_EQ(w_clock_time_get(WASI_CLOCK_MONOTONIC, 0, 65532), WASI_EFAULT);
	CHECK_EQ(w_clock_res_get(WASI_CLOCK_REALTIME, 8), 0);
	CHECK_EQ(ld64(8), 1000);
	CHECK_EQ(w_clock_res_get(77, 8), WASI_EINVAL);
}

static void put_clock_sub(uint32_t at, uint64_t userdata, uint32_t clock,
			  uint64_t timeout, uint16_t flags)
{
	memset(mem(at), 0, WASI_SUBSCRIPTION_SIZE);
	st64(at + WASI_SUB_USERDATA, userdata);
	mem(at)[WASI_SUB_TAG] = WASI_EVENTTYPE_CLOCK;
	st32(at + WASI_SUB_CLOCK_ID, clock);
	st64(at + WASI_SUB_CLOCK_TIMEOUT, timeout);
	memcpy(mem(at + WASI_SUB_CLOCK_FLAGS), &flags, 2);
}

static void poll(void)
{
	reset();
	fake.mono_ns = 1000;
	/* Two clocks: the earlier one fires alone, after a halt. */
	put_clock_sub(1000, 11, WASI_CLOCK_MONOTONIC, 5000000, 0);
	put_clock_sub(1048, 22, WASI_CLOCK_MONOTONIC, 9000000, 0);
	CHECK_EQ(w_poll_oneoff(1000, 2000, 2, 0), 0);
	CHECK_EQ(ld32(0), 1);
	CHECK_EQ(ld64(2000 + WASI_EVENT_USERDATA), 11);
	CHECK_EQ(mem(2000)[WASI_EVENT_TYPE], WASI_EVENTTYPE_CLOCK);
	CHECK_EQ(fake.mono_ns >= 1000 + 5000000, 1);
	CHECK_EQ(fake.blocks >= 1, 1);
	/* Absolute monotonic deadline in the past: immediate. */
	fake.blocks = 0;
	put_clock_sub(1000, 33, WASI_CLOCK_MONOTONIC, 10,
		      WASI_SUBCLOCK_ABSTIME);
	CHECK_EQ(w_poll_oneoff(1000, 2000, 1, 0), 0);
	CHECK_EQ(fake.blocks, 0);
	/* fd_write on stdout is ready at once; a bad fd reports EBADF. */
	memset(mem(1000), 0, 96);
	st64(1000, 44);
	mem(1000)[WASI_SUB_TAG] = WASI_EVENTTYPE_FD_WRITE;
	st32(1000 + WASI_SUB_FD, 1);
	st64(1048, 55);
	mem(1048)[WASI_SUB_TAG] = WASI_EVENTTYPE_FD_READ;
	st32(1048 + WASI_SUB_FD, 99);
	CHECK_EQ(w_poll_oneoff(1000, 2000, 2, 0), 0);
	CHECK_EQ(ld32(0), 2);
	CHECK_EQ(ld64(2000), 44);
	CHECK_EQ(ld64(2032), 55);
	CHECK_EQ(mem(2032)[WASI_EVENT_ERROR], WASI_EBADF);
	/* Bad arguments. */
	CHECK_EQ(w_poll_oneoff(1000, 2000, 0, 0), WASI_EINVAL);
	CHECK_EQ(w_poll_oneoff(65500, 2000, 1, 0), WASI_EFAULT);
	put_clock_sub(1000, 66, 9, 1, 0);
	CHECK_EQ(w_poll_oneoff(1000, 2000, 1, 0), 0);
	CHECK_EQ(mem(2000)[WASI_EVENT_ERROR], WASI_EINVAL);
}

static void random_bytes(void)
{
	uint8_t a[32], b[32];

	reset();
	fake.entropy_fails = 1;
	CHECK_EQ(w_random_get(100, 32), WASI_EIO); /* never unseeded bytes */
	fake.entropy_fails = 0;
	CHECK_EQ(w_random_get(100, 32), 0);
	memcpy(a, mem(100), 32);
	CHECK_EQ(w_random_get(100, 32), 0);
	memcpy(b, mem(100), 32);
	CHECK_EQ(memcmp(a, b, 32) != 0, 1);
	CHECK_EQ(w_random_get(65530, 32), WASI_EFAULT);
	CHECK_EQ(w_random_get(100, 0), 0);
	/* A failed periodic reseed keeps serving from the seeded state. */
	fake.entropy_fails = 1;
	CHECK_EQ(wasi_random_fill(mem(0), 65536), 0);
	CHECK_EQ(wasi_random_fill(mem(0), 65536), 0);
}

static void endings(void)
{
	reset();
	if (setjmp(fake.exit_jmp) == 0)
		w_proc_exit(300);
	CHECK_EQ(fake.exit_status, 300 & 0xff);
	if (setjmp(fake.exit_jmp) == 0)
		w_proc_raise(15);
	CHECK_EQ(fake.exit_status, 143);
	CHECK_STR(fake.err, "mewz: terminated by signal 15\n");
	CHECK_EQ(w_proc_raise(WASI_SIGNAL_CHLD), 0);
	CHECK_EQ(w_proc_raise(31), WASI_EINVAL);
	CHECK_EQ(w_sched_yield(), 0);
	fake.err_len = 0;
	memset(fake.err, 0, sizeof(fake.err));
	if (setjmp(fake.exit_jmp) == 0)
		__wasm_trap(MEWZ_TRAP_OOB_MEMORY);
	CHECK_EQ(fake.exit_status, MEWZ_EXIT_TRAP);
	CHECK_STR(fake.err,
		  "mewz: trap: out of bounds memory access in fake_function\n");
	/* Compiled functions are shown by their name-section name. */
	fake.symbol = "__wasm_func.12.fib";
	fake.err_len = 0;
	memset(fake.err, 0, sizeof(fake.err));
	if (setjmp(fake.exit_jmp) == 0)
		__wasm_trap(MEWZ_TRAP_INT_DIV_ZERO);
	CHECK_STR(fake.err, "mewz: trap: integer divide by zero in fib\n");
	fake.symbol = "__wasm_func.7";
	fake.err_len = 0;
	memset(fake.err, 0, sizeof(fake.err));
	if (setjmp(fake.exit_jmp) == 0)
		__wasm_trap(MEWZ_TRAP_UNREACHABLE);
	CHECK_STR(fake.err, "mewz: trap: unreachable in wasm-function[7]\n");
	fake.symbol = "__wasm_export._start";
	fake.err_len = 0;
	memset(fake.err, 0, sizeof(fake.err));
	if (setjmp(fake.exit_jmp) == 0)
		__wasm_trap(MEWZ_TRAP_UNREACHABLE);
	CHECK_STR(fake.err, "mewz: trap: unreachable in _start\n");
	fake.symbol = NULL;
	fake.err_len = 0;
	memset(fake.err, 0, sizeof(fake.err));
	if (setjmp(fake.exit_jmp) == 0)
		mewz_trap_report(MEWZ_TRAP_OOB_TABLE, 0x1234);
	CHECK_STR(fake.err,
		  "mewz: trap: out of bounds table access in 0x1234\n");
}

static void memory_grow(void)
{
	reset();
	__wasm_memory_size = 0;
	CHECK_EQ(mewz_memory_init(), 0);
	CHECK_EQ(__wasm_memory_size, 65536);
	CHECK_EQ(__wasm_memory_grow(0), 1);
	CHECK_EQ(__wasm_memory_grow(2), 1);
	CHECK_EQ(__wasm_memory_size, 3 * 65536);
	CHECK_EQ(fake.resized_to, 3 * 65536);
	CHECK_EQ(__wasm_memory_grow(2), -1); /* module maximum is 4 */
	fake.memory_limit = 3 * 65536;
	CHECK_EQ(__wasm_memory_grow(1), -1); /* platform limit */
	fake.memory_limit = MEM_BYTES;
	CHECK_EQ(__wasm_memory_grow(1), 3);
	CHECK_EQ(__wasm_memory_grow(0xffffffffu), -1);
	fake.memory_limit = 0;
	__wasm_memory_size = 0;
	CHECK_EQ(mewz_memory_init(), -ENOMEM);
}

static void table_grow(void)
{
	/* A defined table starts empty; __wasm_init grows it to its minimum. */
	mewz_table_t t = {NULL, 0, 6};

	CHECK_EQ(__wasm_table_grow(&t, 0, NULL), 0);
	CHECK_EQ(__wasm_table_grow(&t, 2, (void *)0x20), 0);
	CHECK_EQ(__wasm_table_grow(&t, 3, (void *)0x99), 2);
	CHECK_EQ(t.size, 5);
	CHECK_EQ((uintptr_t)t.elems[1], 0x20);
	CHECK_EQ((uintptr_t)t.elems[4], 0x99);
	CHECK_EQ(__wasm_table_grow(&t, 1, NULL), 5);
	CHECK_EQ(__wasm_table_grow(&t, 1, NULL), -1); /* max 6 */
	CHECK_EQ(table_on_heap(&t), 0); /* small: the static arena */
}

/* Tables that outgrow the arena move to the heap with their elements. */
static void table_grow_heap(void)
{
	mewz_table_t big = {NULL, 0, 100000}, a = {NULL, 0, 10}, b = {NULL, 0, 10};

	CHECK_EQ(__wasm_table_grow(&big, 600, (void *)0x5), 0);
	CHECK_EQ(table_on_heap(&big), 1);
	CHECK_EQ((uintptr_t)big.elems[599], 0x5);
	CHECK_EQ(__wasm_table_grow(&a, 2, (void *)0xa), 0);
	CHECK_EQ(__wasm_table_grow(&b, 2, (void *)0xb), 0);
	CHECK_EQ(table_on_heap(&a), 0);
	/* b is the arena's last block: it grows in place. */
	void **b_before = b.elems;
	CHECK_EQ(__wasm_table_grow(&b, 3, (void *)0xc), 2);
	CHECK_EQ(b.elems == b_before, 1);
	/* a is not: it moves, keeping its elements. */
	CHECK_EQ(__wasm_table_grow(&a, 1, (void *)0xd), 2);
	CHECK_EQ(table_on_heap(&a), 1);
	CHECK_EQ((uintptr_t)a.elems[0], 0xa);
	CHECK_EQ((uintptr_t)a.elems[1], 0xa);
	CHECK_EQ((uintptr_t)a.elems[2], 0xd);
	CHECK_EQ((uintptr_t)b.elems[0], 0xb);
	CHECK_EQ((uintptr_t)b.elems[4], 0xc);
	CHECK_EQ(__wasm_table_grow(&big, 10, NULL), 600);
	CHECK_EQ((uintptr_t)big.elems[0], 0x5);
	free(big.elems);
	free(a.elems);
}

void test_wasi(void)
{
	__wasm_memory_base = calloc(1, MEM_BYTES);
	errno_map();
	fd_table();
	write_read();
	fd_misc();
	args_env();
	clocks();
	poll();
	random_bytes();
	endings();
	memory_grow();
	table_grow();
	table_grow_heap();
	free(__wasm_memory_base);
}
