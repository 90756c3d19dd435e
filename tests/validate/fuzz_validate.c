/*
 * fuzz_validate.c - libFuzzer target over mz_decode + mz_validate: any
 * input must be decoded (or rejected) and validated (or rejected) without
 * a crash, leak, hang or unbounded allocation.
 */
#include <stddef.h>
#include <stdint.h>

#include "module.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mz_module m;
	mz_error err;

	if (!mz_decode(data, size, &m, &err))
		return 0;
	mz_validate(&m, &err);
	mz_module_free(&m);
	return 0;
}
