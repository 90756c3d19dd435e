/*
 * trap: `trap KIND` makes one kind of Wasm trap in a function named after
 * it, so the runtime's message can be checked for both reason and name.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile int zero = 0, minus_one = -1, int_min = INT32_MIN;
static volatile float fnan = __builtin_nanf("");
static volatile uint32_t far = 0xfffffff0u;

__attribute__((noinline)) static int do_unreachable(void)
{
	__builtin_trap();
}

__attribute__((noinline)) static int do_divzero(void)
{
	return 7 / zero;
}

__attribute__((noinline)) static int do_overflow(void)
{
	return int_min / minus_one;
}

__attribute__((noinline)) static int do_conversion(void)
{
	return __builtin_wasm_trunc_s_i32_f32(fnan);
}

__attribute__((noinline)) static int do_oob(void)
{
	return *(volatile int *)(uintptr_t)far;
}

/*
 * Recursion on the native stack: no address-taken locals (those would live
 * on the C stack in linear memory, which ends in an out-of-bounds access
 * instead), and an indirect self-call LLVM cannot turn into a loop.
 */
static int do_recurse(int n);
static int (*volatile recurse_ptr)(int) = do_recurse;

static int do_recurse(int n)
{
	return recurse_ptr(n + 1) * 3 + n;
}

static int one(void) { return 1; }

__attribute__((noinline)) static int do_indirect(void)
{
	/* Calls one() through a pointer of another type: a signature check. */
	volatile uintptr_t p = (uintptr_t)one;
	return ((int (*)(int, int))p)(1, 2);
}

__attribute__((noinline)) static int do_undefined(void)
{
	volatile uintptr_t p = 123456; /* far beyond the table */
	return ((int (*)(void))p)();
}

static int start_recursion(void)
{
	return do_recurse(0);
}

/* Called through pointers so neither clang nor mewzc inlines them. */
static const struct {
	const char *kind;
	int (*volatile fn)(void);
} kinds[] = {
	{"unreachable", do_unreachable}, {"divzero", do_divzero},
	{"overflow", do_overflow},       {"conversion", do_conversion},
	{"oob", do_oob},                 {"stack", start_recursion},
	{"indirect", do_indirect},       {"undefined", do_undefined},
};

int main(int argc, char **argv)
{
	const char *k = argc > 1 ? argv[1] : "";
	int r = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(k, kinds[i].kind))
			r = kinds[i].fn();
	printf("no trap %d\n", r);
	return 0;
}
