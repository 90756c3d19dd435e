/* fake_plat.h - the state of the fake platform (fake_plat.c). */
#ifndef MEWZ_TEST_FAKE_PLAT_H
#define MEWZ_TEST_FAKE_PLAT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <mewz/plat.h>

#define FAKE_CONSOLE_MAX 4096

struct fake_plat {
	char out[FAKE_CONSOLE_MAX], err[FAKE_CONSOLE_MAX];
	size_t out_len, err_len;
	const char *in;
	size_t in_len, in_pos;
	int in_eof;
	uint64_t mono_ns, real_base_ns;
	unsigned blocks, yields;
	int entropy_fails;
	unsigned entropy_counter;
	struct mewz_plat_args args;
	uint64_t memory_limit, resized_to;
	const char *symbol; /* what symbolize answers; NULL: "fake_function" */
	int exit_status;
	jmp_buf exit_jmp;
};

extern struct fake_plat fake;

#endif /* MEWZ_TEST_FAKE_PLAT_H */
