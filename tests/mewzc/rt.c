/*
 * rt.c - a tiny runtime for tests/mewzc: just enough of abi.h to run one
 * object produced by mewzc, and a driver that calls its tests.
 *
 * The driver runs __wasm_init, then every exported function named t0, t1,
 * ... (found with dlsym; the test is linked with -rdynamic), each of type
 * () -> ().  It prints "tN: ok" or "tN: trap <spec text>"; the module
 * prints values through the imports env.print_* ("i32 5", "f32 0x3f800000").
 * A trap longjmps back to the driver; faults in the memory reservation are
 * out-of-bounds traps, faults elsewhere (the stack guard) are stack
 * exhaustion, caught on an alternate signal stack.
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mewz/abi.h"

uint8_t *__wasm_memory_base;
uint64_t __wasm_memory_size;
extern const uint32_t __wasm_memory_initial_pages;
extern const uint32_t __wasm_memory_max_pages;
extern const uint32_t __wasm_memory_flags;
void __wasm_init(void);

static sigjmp_buf trap_env;
static int in_test;

void __wasm_trap(uint32_t code)
{
	if (!in_test) {
		printf("trap outside a test: %s\n", mewz_trap_text(code));
		exit(1);
	}
	siglongjmp(trap_env, (int)code);
}

int32_t __wasm_memory_grow(uint32_t delta)
{
	uint64_t old = __wasm_memory_size / MEWZ_PAGE_SIZE;
	if (old + delta > __wasm_memory_max_pages)
		return -1;
	uint64_t add = (uint64_t)delta * MEWZ_PAGE_SIZE;
	if (add && mprotect(__wasm_memory_base + __wasm_memory_size, add,
			    PROT_READ | PROT_WRITE) != 0)
		return -1;
	__wasm_memory_size += add;
	return (int32_t)old;
}

int32_t __wasm_table_grow(mewz_table_t *t, uint32_t delta, void *init)
{
	uint32_t old = t->size;
	if ((uint64_t)old + delta > t->max || (uint64_t)old + delta > 1u << 20)
		return -1;
	void **e = realloc(t->elems, ((size_t)old + delta + 1) * sizeof *e);
	if (!e)
		return -1;
	for (uint32_t i = 0; i < delta; i++)
		e[old + i] = init;
	t->elems = e;
	t->size = old + delta;
	return (int32_t)old;
}

/* Imports env.print_* (symbol names contain a dot: asm labels). */
void print_i32(int32_t v) __asm__("env.print_i32");
void print_i64(int64_t v) __asm__("env.print_i64");
void print_f32(float v) __asm__("env.print_f32");
void print_f64(double v) __asm__("env.print_f64");

void print_i32(int32_t v)
{
	printf("i32 %" PRId32 "\n", v);
}
void print_i64(int64_t v)
{
	printf("i64 %" PRId64 "\n", v);
}
void print_f32(float v)
{
	uint32_t b;
	memcpy(&b, &v, 4);
	printf("f32 0x%08" PRIx32 "\n", b);
}
void print_f64(double v)
{
	uint64_t b;
	memcpy(&b, &v, 8);
	printf("f64 0x%016" PRIx64 "\n", b);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	uint8_t *a = si->si_addr;
	if (!in_test)
		_exit(99);
	bool in_mem = __wasm_memory_base && a >= __wasm_memory_base &&
		      a < __wasm_memory_base + MEWZ_GUARD_RESERVATION;
	siglongjmp(trap_env,
		   in_mem ? MEWZ_TRAP_OOB_MEMORY : MEWZ_TRAP_STACK_EXHAUSTED);
}

static void setup_signals(void)
{
	static uint8_t alt[1 << 16];
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt};
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

static int setup_memory(void)
{
	if (!(__wasm_memory_flags & MEWZ_MEMORY_PRESENT))
		return 0;
	void *p = mmap(NULL, MEWZ_GUARD_RESERVATION, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	__wasm_memory_base = p;
	__wasm_memory_size = 0;
	return __wasm_memory_grow(__wasm_memory_initial_pages) < 0 ? -1 : 0;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	setup_signals();
	if (setup_memory() != 0) {
		printf("cannot reserve linear memory\n");
		return 1;
	}
	in_test = 1;
	int code = sigsetjmp(trap_env, 1);
	if (code) {
		printf("init: trap %s\n", mewz_trap_text((uint32_t)code));
		return 0;
	}
	__wasm_init();
	for (int i = 0;; i++) {
		char name[64];
		snprintf(name, sizeof name, "__wasm_export.t%d", i);
		void (*fn)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, name);
		if (!fn)
			break;
		code = sigsetjmp(trap_env, 1);
		if (code) {
			printf("t%d: trap %s\n", i,
			       mewz_trap_text((uint32_t)code));
			continue;
		}
		fn();
		printf("t%d: ok\n", i);
	}
	return 0;
}
