/*
 * test_rt: the Linux runtime core (memory reservations, the Wasm stack,
 * traps, table growth) exercised with plain C standing in for compiled
 * Wasm code.  Each case checks results, and fatal cases run in a child.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "linux_rt.h"

/* What a runner binds __wasm_trap to: raise with the caller's address. */
static _Noreturn void wasm_trap(uint32_t code)
{
	mewz_linux_trap_raise(code, (uintptr_t)__builtin_return_address(0));
}

int check_passed, check_failed;

static struct mewz_linux_memory mem;
static volatile uint64_t poke_at;

static void poke(void *arg)
{
	(void)arg;
	mem.base[poke_at] = 1;
}

static void test_memory_grow(void)
{
	CHECK(mewz_linux_memory_init(&mem, 1, 3, UINT64_MAX) == 0);
	CHECK(mem.size == MEWZ_PAGE_SIZE);
	mem.base[MEWZ_PAGE_SIZE - 1] = 7;
	CHECK(mewz_linux_memory_grow(&mem, 0) == 1);
	CHECK(mewz_linux_memory_grow(&mem, 1) == 1);
	mem.base[2 * MEWZ_PAGE_SIZE - 1] = 9; /* now accessible */
	CHECK(mewz_linux_memory_grow(&mem, 2) == -1); /* beyond max 3 */
	CHECK(mewz_linux_memory_grow(&mem, 1) == 2);
	CHECK(mewz_linux_memory_grow(&mem, 1) == -1);
	CHECK(mewz_linux_memory_grow(&mem, 0xffffffffu) == -1);
	CHECK(mem.size == 3 * MEWZ_PAGE_SIZE);
	CHECK(mewz_linux_memory_owns((uintptr_t)mem.base + MEWZ_GUARD_RESERVATION - 1));
	CHECK(!mewz_linux_memory_owns((uintptr_t)mem.base + MEWZ_GUARD_RESERVATION));
	mewz_linux_memory_fini(&mem);
	CHECK(mem.base == NULL);
}

static void test_memory_limit(void)
{
	/* A runtime limit of 2.5 pages allows 2 pages, whatever the module says. */
	CHECK(mewz_linux_memory_init(&mem, 0, MEWZ_MAX_PAGES, 5 * MEWZ_PAGE_SIZE / 2) == 0);
	CHECK(mewz_linux_memory_grow(&mem, 2) == 0);
	CHECK(mewz_linux_memory_grow(&mem, 1) == -1);
	mewz_linux_memory_fini(&mem);
	CHECK(mewz_linux_memory_init(&mem, 3, 2, UINT64_MAX) == -ENOMEM);
}

static void test_oob_traps(void)
{
	static const uint64_t offsets[] = {
		MEWZ_PAGE_SIZE, (uint64_t)1 << 32, MEWZ_GUARD_RESERVATION - 1,
	};
	struct mewz_linux_trap t;

	CHECK(mewz_linux_memory_init(&mem, 1, 1, UINT64_MAX) == 0);
	poke_at = MEWZ_PAGE_SIZE - 1;
	CHECK(mewz_linux_invoke(poke, NULL, NULL) == 0);
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		poke_at = offsets[i];
		memset(&t, 0, sizeof(t));
		CHECK(mewz_linux_invoke(poke, NULL, &t) == MEWZ_TRAP_OOB_MEMORY);
		CHECK(t.code == MEWZ_TRAP_OOB_MEMORY && t.pc != 0);
	}
	/* Many traps in a row: the mask and alternate stack are restored. */
	int ok = 1;
	poke_at = 2 * MEWZ_PAGE_SIZE;
	for (int i = 0; i < 1000; i++)
		ok &= mewz_linux_invoke(poke, NULL, NULL) == MEWZ_TRAP_OOB_MEMORY;
	CHECK(ok);
	mewz_linux_memory_fini(&mem);
}

/* Deep recursion with a frame the optimiser cannot remove. */
static volatile int depth_sink;

static int recurse(int n)
{
	volatile char frame[256];
	frame[0] = (char)n;
	depth_sink = frame[0];
	if (n < 0) /* never: keeps the compiler from calling this infinite */
		return 0;
	return recurse(n + 1) + frame[0];
}

static void run_recurse(void *arg)
{
	(void)arg;
	depth_sink = recurse(0);
}

static void test_stack_exhaustion(void)
{
	CHECK(mewz_linux_invoke(run_recurse, NULL, NULL) == MEWZ_TRAP_STACK_EXHAUSTED);
	/* And again: the guard is still there, the stack usable. */
	CHECK(mewz_linux_invoke(run_recurse, NULL, NULL) == MEWZ_TRAP_STACK_EXHAUSTED);
}

static void call_trap(void *arg)
{
	wasm_trap((uint32_t)(uintptr_t)arg);
}

static void inner_then_trap(void *arg)
{
	int *inner = arg;
	*inner = (int)mewz_linux_invoke(call_trap, (void *)(uintptr_t)MEWZ_TRAP_UNREACHABLE, NULL);
	wasm_trap(MEWZ_TRAP_INT_DIV_ZERO);
}

static void nothing(void *arg)
{
	*(int *)arg = 42;
}

static void test_explicit_traps(void)
{
	struct mewz_linux_trap t;
	int v = 0, inner = 0;

	CHECK(mewz_linux_invoke(nothing, &v, &t) == 0 && v == 42);
	for (uint32_t c = MEWZ_TRAP_UNREACHABLE; c <= MEWZ_TRAP_STACK_EXHAUSTED; c++) {
		memset(&t, 0, sizeof(t));
		CHECK(mewz_linux_invoke(call_trap, (void *)(uintptr_t)c, &t) == c);
		CHECK(t.code == c && t.pc != 0);
	}
	/* A nested invoke catches its own trap; the outer one sees its own. */
	CHECK(mewz_linux_invoke(inner_then_trap, &inner, NULL) == MEWZ_TRAP_INT_DIV_ZERO);
	CHECK(inner == MEWZ_TRAP_UNREACHABLE);
}

static void test_table_grow(void)
{
	static void *static_elems[2] = {(void *)1, (void *)2};
	mewz_table_t t = {static_elems, 2, 5};

	CHECK(mewz_linux_table_grow(&t, 0, NULL) == 2);
	CHECK(mewz_linux_table_grow(&t, 2, (void *)9) == 2);
	CHECK(t.size == 4 && t.elems != static_elems);
	CHECK(t.elems[0] == (void *)1 && t.elems[1] == (void *)2);
	CHECK(t.elems[2] == (void *)9 && t.elems[3] == (void *)9);
	CHECK(static_elems[0] == (void *)1); /* the original is untouched */
	CHECK(mewz_linux_table_grow(&t, 2, NULL) == -1);
	CHECK(mewz_linux_table_grow(&t, 1, NULL) == 4);
	CHECK(t.size == 5 && t.elems[4] == NULL && t.elems[3] == (void *)9);
	mewz_linux_table_free(&t);

	mewz_table_t u = {NULL, 0, 0xffffffffu};
	CHECK(mewz_linux_table_grow(&u, 0xffffffffu, NULL) == -1);
	CHECK(mewz_linux_table_grow(&u, 3, NULL) == 0 && u.size == 3);
	mewz_linux_table_free(&u);
	CHECK(u.elems == NULL);
}

static void self_kill(void *arg)
{
	(void)arg;
	kill(getpid(), SIGSEGV);
}

/* A fault outside any reservation must still kill the process. */
static void test_foreign_fault_crashes(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		volatile char *p = (volatile char *)16;
		mewz_linux_thread_init(0);
		*p = 1;
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);

	/* So must a SIGSEGV sent by kill, even while Wasm code runs. */
	pid = fork();
	if (pid == 0) {
		mewz_linux_invoke(self_kill, NULL, NULL);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

int main(void)
{
	CHECK(mewz_linux_thread_init(0) == 0);
	test_memory_grow();
	test_memory_limit();
	test_oob_traps();
	test_stack_exhaustion();
	test_explicit_traps();
	test_table_grow();
	test_foreign_fault_crashes();
	return check_report();
}
