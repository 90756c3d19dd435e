/*
 * trap.c - Wasm traps on Linux: __wasm_trap calls and faults in a memory
 * reservation or the stack guard end the current mewz_linux_invoke by
 * siglongjmp; anything else is left to crash as it would without us.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "linux_rt.h"
#include "stack.h"

/*
 * Under ASan, every move between the caller's stack and the Wasm stack is
 * announced (the "fiber" interface), or ASan takes the jump for a stack
 * overflow and misreads shadow memory afterwards.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LINUXRT_ASAN 1
#include <sanitizer/common_interface_defs.h>
#endif
#endif

/* One per active mewz_linux_invoke; the innermost is the thread's `cur`. */
struct invoke_frame {
	sigjmp_buf jb;
	struct invoke_frame *prev;
	uint32_t code;
	uintptr_t pc;
	void (*fn)(void *);
	void *arg;
	/* ASan only: the caller's stack, to announce the way back. */
	void *fake_stack;
	const void *caller_bottom;
	size_t caller_size;
};

#define ALTSTACK_BYTES ((size_t)64 << 10)

static _Thread_local struct wasm_stack thread_stack;

static _Thread_local int thread_ready;
static _Thread_local struct invoke_frame *cur;

static int handler_installed;

static void asan_leave_caller(struct invoke_frame *f)
{
#ifdef LINUXRT_ASAN
	__sanitizer_start_switch_fiber(&f->fake_stack, (void *)thread_stack.guard_end,
				       thread_stack.top - thread_stack.guard_end);
#else
	(void)f;
#endif
}

static void asan_on_wasm_stack(struct invoke_frame *f)
{
#ifdef LINUXRT_ASAN
	__sanitizer_finish_switch_fiber(NULL, &f->caller_bottom, &f->caller_size);
#else
	(void)f;
#endif
}

/* Leaving the Wasm stack for good (return or trap): its frames are dead. */
static void asan_leave_wasm(struct invoke_frame *f)
{
#ifdef LINUXRT_ASAN
	__sanitizer_start_switch_fiber(NULL, f->caller_bottom, f->caller_size);
#else
	(void)f;
#endif
}

static void asan_back_on_caller(struct invoke_frame *f)
{
#ifdef LINUXRT_ASAN
	__sanitizer_finish_switch_fiber(f->fake_stack, NULL, NULL);
#else
	(void)f;
#endif
}


static void on_fault(int sig, siginfo_t *si, void *uctx)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	ucontext_t *uc = uctx;
	uint32_t code = 0;

	/* si_code <= 0: sent by kill(), si_addr means nothing. */
	if (si->si_code > 0 && cur && mewz_linux_memory_owns(addr))
		code = MEWZ_TRAP_OOB_MEMORY;
	else if (si->si_code > 0 && cur && addr >= thread_stack.guard_start &&
		 addr < thread_stack.guard_end)
		code = MEWZ_TRAP_STACK_EXHAUSTED;
	if (!code) {
		/* Not ours: a real fault happens again with the default action
		 * when we return; a sent signal must be delivered again. */
		signal(sig, SIG_DFL);
		if (si->si_code <= 0)
			raise(sig);
		return;
	}
	cur->code = code;
	cur->pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	if (!cur->prev)
		asan_leave_wasm(cur);
	/* Leaves the alternate stack; the saved mask unblocks the signal. */
	siglongjmp(cur->jb, 1);
}

static int install_handler(void)
{
	struct sigaction sa;

	if (__atomic_exchange_n(&handler_installed, 1, __ATOMIC_ACQ_REL))
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		return -errno;
	return 0;
}

int mewz_linux_thread_init(size_t stack_bytes)
{
	stack_t ss;
	int err;

	if (thread_ready)
		return 0;
	err = install_handler();
	if (err)
		return err;
	/* The handler must not run on the exhausted stack it reports. */
	ss.ss_sp = mmap(NULL, ALTSTACK_BYTES, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ss.ss_sp == MAP_FAILED)
		return -errno;
	ss.ss_size = ALTSTACK_BYTES;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL))
		return -errno;
	err = wasm_stack_map(&thread_stack, stack_bytes ? stack_bytes : MEWZ_LINUX_STACK_DEFAULT);
	if (err)
		return err;
	thread_ready = 1;
	return 0;
}

/* The first frame on the Wasm stack. */
static void on_wasm_stack(void *p)
{
	struct invoke_frame *f = p;

	asan_on_wasm_stack(f);
	f->fn(f->arg);
	asan_leave_wasm(f);
}

uint32_t mewz_linux_invoke(void (*fn)(void *), void *arg, struct mewz_linux_trap *trap)
{
	struct invoke_frame f;
	int nested = cur != NULL;

	if (!thread_ready && mewz_linux_thread_init(0)) {
		fprintf(stderr, "mewz: cannot set up the Wasm stack\n");
		abort();
	}
	f.prev = cur;
	f.code = 0;
	f.pc = 0;
	f.fn = fn;
	f.arg = arg;
	/* Everything read after the jump lives in `f`, in memory. */
	if (sigsetjmp(f.jb, 1)) {
		if (!f.prev)
			asan_back_on_caller(&f);
		cur = f.prev;
		if (trap) {
			trap->code = f.code;
			trap->pc = f.pc;
		}
		return f.code;
	}
	cur = &f;
	if (nested) {
		fn(arg);
	} else {
		asan_leave_caller(&f);
		wasm_stack_call(thread_stack.top, on_wasm_stack, &f);
		asan_back_on_caller(&f);
	}
	cur = f.prev;
	return 0;
}

_Noreturn void mewz_linux_trap_raise(uint32_t code, uintptr_t pc)
{
	if (!cur) {
		fprintf(stderr, "mewz: trap outside Wasm code: %s\n", mewz_trap_text(code));
		abort();
	}
	cur->code = code;
	cur->pc = pc;
	if (!cur->prev)
		asan_leave_wasm(cur);
	siglongjmp(cur->jb, 1);
}
