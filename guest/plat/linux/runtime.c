/*
 * runtime.c - the runtime symbols of abi.h that do not depend on which
 * instance calls them: __wasm_trap and __wasm_table_grow.  (Memory symbols
 * are per instance: the native runtime defines one set, a test runner binds
 * one set per instance.)
 */
#include "linux_rt.h"

_Noreturn void __wasm_trap(uint32_t code);
int32_t __wasm_table_grow(mewz_table_t *t, uint32_t delta, void *init);

_Noreturn void __wasm_trap(uint32_t code)
{
	mewz_linux_trap_raise(code, (uintptr_t)__builtin_return_address(0));
}

int32_t __wasm_table_grow(mewz_table_t *t, uint32_t delta, void *init)
{
	return mewz_linux_table_grow(t, delta, init);
}
