/*
 * abi_test: the inline helpers of compiler/include/mewz/abi.h, which every
 * runtime and the compiler must agree on bit for bit.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "mewz/abi.h"

int check_passed, check_failed;

static void test_short_keys_are_exact(void)
{
	/* One nibble per letter, from the least significant end. */
	CHECK(mewz_type_key(":") == 0x8);
	CHECK(mewz_type_key("i:") == 0x81);
	CHECK(mewz_type_key(":i") == 0x18);
	CHECK(mewz_type_key("ii:i") == 0x1811);
	CHECK(mewz_type_key("IfFVrx:") == 0x8765432ull);
	CHECK(mewz_type_key("i:") != mewz_type_key(":i"));
	CHECK(mewz_type_key("iiiiiiiiiiiiiii") == 0x111111111111111ull);
	CHECK((mewz_type_key("iiiiiiiiiiiiii:") & MEWZ_TYPE_KEY_HASHED) == 0);
}

static void test_long_keys_are_hashed(void)
{
	uint64_t a = mewz_type_key("iiiiiiiiiiiiiiii:");
	uint64_t b = mewz_type_key("iiiiiiiiiiiiiii:i");

	CHECK((a & MEWZ_TYPE_KEY_HASHED) == MEWZ_TYPE_KEY_HASHED);
	CHECK((b & MEWZ_TYPE_KEY_HASHED) == MEWZ_TYPE_KEY_HASHED);
	CHECK(a != b);
	CHECK(a == mewz_type_key("iiiiiiiiiiiiiiii:"));
}

static void test_trap_texts(void)
{
	CHECK(strcmp(mewz_trap_text(MEWZ_TRAP_UNREACHABLE), "unreachable") == 0);
	CHECK(strcmp(mewz_trap_text(MEWZ_TRAP_OOB_MEMORY),
		     "out of bounds memory access") == 0);
	CHECK(strcmp(mewz_trap_text(MEWZ_TRAP_STACK_EXHAUSTED),
		     "call stack exhausted") == 0);
	CHECK(strcmp(mewz_trap_text(0), "unknown trap") == 0);
	CHECK(strcmp(mewz_trap_text(99), "unknown trap") == 0);
}

static void test_layouts(void)
{
	/* The translator hard-codes these offsets into generated code. */
	CHECK(sizeof(mewz_slot_t) == 16);
	CHECK(offsetof(mewz_table_t, elems) == 0);
	CHECK(offsetof(mewz_table_t, size) == 8);
	CHECK(offsetof(mewz_table_t, max) == 12);
	CHECK(offsetof(mewz_func_t, code) == 0);
	CHECK(offsetof(mewz_func_t, type_key) == 8);
	CHECK(offsetof(mewz_func_t, sig) == 16);
}

int main(void)
{
	test_short_keys_are_exact();
	test_long_keys_are_hashed();
	test_trap_texts();
	test_layouts();
	return check_report();
}
