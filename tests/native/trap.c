/*
 * trap: `trap KIND` makes one kind of Wasm trap in a function named after
 * it, so the report can be checked for both reason and name.  `edge`
 * touches the last byte of memory and must not trap; `grown` grows memory
 * by a page, uses the byte that was just past the end, then traps just
 * past the new end.  Run natively (suite native) and in a VM (suite vm,
 * which builds this file as native-trap.wasm).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile int zero = 0, minus_one = -1, int_min = INT32_MIN;
static volatile float fnan = __builtin_nanf("");
static volatile uintptr_t table_far = 123456;
/* Near the top of the 4 GiB address space. */
static volatile uint32_t far = 0xfffffff0u;

/* The first address past the current memory size. */
static uintptr_t end_of_memory(void)
{
	return __builtin_wasm_memory_size(0) * 65536;
}

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

__attribute__((noinline)) static int do_load_past(void)
{
	return *(volatile uint8_t *)end_of_memory();
}

__attribute__((noinline)) static int do_oob(void)
{
	return *(volatile int *)(uintptr_t)far;
}

__attribute__((noinline)) static int do_store_past(void)
{
	*(volatile uint8_t *)end_of_memory() = 1;
	return 0;
}

__attribute__((noinline)) static int do_edge(void)
{
	volatile uint8_t *last = (volatile uint8_t *)(end_of_memory() - 1);

	*last = 42;
	return *last;
}

__attribute__((noinline)) static int do_grown(void)
{
	volatile uint8_t *old_end = (volatile uint8_t *)end_of_memory();

	if (__builtin_wasm_memory_grow(0, 1) == (size_t)-1)
		return -1;
	*old_end = 7; /* now in bounds */
	printf("old end usable: %d\n", *old_end);
	fflush(stdout);
	return *(volatile uint8_t *)end_of_memory();
}

static int one(void)
{
	return 1;
}

__attribute__((noinline)) static int do_indirect(void)
{
	/* Calls one() through a pointer of another type: a signature check. */
	volatile uintptr_t p = (uintptr_t)one;
	return ((int (*)(int, int))p)(1, 2);
}

__attribute__((noinline)) static int do_null(void)
{
	int (*volatile p)(void) = 0;
	return p();
}

__attribute__((noinline)) static int do_undefined(void)
{
	return ((int (*)(void))table_far)();
}

/*
 * Recursion on the native stack: no address-taken locals (those would
 * live on the C stack in linear memory), and an indirect self-call LLVM
 * cannot turn into a loop.
 */
static int do_recurse(int n);
static int (*volatile recurse_ptr)(int) = do_recurse;

static int do_recurse(int n)
{
	return recurse_ptr(n + 1) * 3 + n;
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
	{"load_past", do_load_past},     {"store_past", do_store_past},
	{"oob", do_oob},                 {"edge", do_edge},
	{"grown", do_grown},             {"indirect", do_indirect},
	{"null", do_null},               {"undefined", do_undefined},
	{"stack", start_recursion},
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
