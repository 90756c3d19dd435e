/*
 * fuzz_validate.c - libFuzzer target over mz_decode + mz_validate: any
 * input must be decoded (or rejected) and validated (or rejected) without
 * a crash, leak, hang or unbounded allocation.  Built with
 * -DFUZZ_TRANSLATE it is the fuzz-translate target: every module that
 * validates is also translated through LLVM (-O1, verified, one thread)
 * into an object, which must succeed or fail cleanly as unsupported.
 *
 * Whole modules rarely survive mutation as far as the validator, so an
 * input whose first byte is odd is instead used as the body (locals and
 * code) of the one function of a fixed module that has something of
 * everything: several types, a memory, funcref and externref tables, a
 * mutable global, a declared function, an element and a data segment.
 * The spec modules that seed the corpus start with 0x00 and so are
 * decoded whole.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#ifdef FUZZ_TRANSLATE
#include <stdio.h>
#include <unistd.h>

#include "translate/translate.h"

/* Translate a valid module; anything but success or "unsupported" is a bug. */
static void translate(const mz_module *m)
{
	static char path[64];
	mz_xopts o = {.opt_level = 1, .jobs = 1, .verify = true};
	mz_error err;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/mewz-fuzz-translate-%d.o", (int)getpid());
	if (!mz_translate(m, &o, path, &err) && !err.unsupported) {
		fprintf(stderr, "translate failed: %s\n", err.msg);
		abort();
	}
	unlink(path);
}
#else
static void translate(const mz_module *m)
{
	(void)m;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *bytes, size_t size)
{
	mz_module m;
	mz_error err;

	if (!mz_decode(bytes, size, &m, &err))
		return;
	if (mz_validate(&m, &err))
		translate(&m);
	mz_module_free(&m);
}

static const uint8_t wrapper_head[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	/* types: () -> (), (i32) -> (i32), (i32 i64) -> (f32 f64),
	 * (v128 funcref) -> (externref) */
	0x01, 0x16, 0x04,
	0x60, 0x00, 0x00,
	0x60, 0x01, 0x7f, 0x01, 0x7f,
	0x60, 0x02, 0x7f, 0x7e, 0x02, 0x7d, 0x7c,
	0x60, 0x02, 0x7b, 0x70, 0x01, 0x6f,
	/* one function of type 1 */
	0x03, 0x02, 0x01, 0x01,
	/* tables: funcref 1, externref 1..10 */
	0x04, 0x08, 0x02, 0x70, 0x00, 0x01, 0x6f, 0x01, 0x01, 0x0a,
	/* memory 1 */
	0x05, 0x03, 0x01, 0x00, 0x01,
	/* global (mut i32) = 0 */
	0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b,
	/* declarative element segment declaring function 0 */
	0x09, 0x05, 0x01, 0x03, 0x00, 0x01, 0x00,
	/* data count 1 */
	0x0c, 0x01, 0x01,
};

/* data: one passive segment "x" */
static const uint8_t wrapper_tail[] = {0x0b, 0x04, 0x01, 0x01, 0x01, 'x'};

static size_t put_leb(uint8_t *p, uint32_t v)
{
	size_t n = 0;

	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		p[n++] = b | (v ? 0x80 : 0);
	} while (v);
	return n;
}

static void check_as_body(const uint8_t *body, size_t len)
{
	uint8_t *mod, lenbuf[5];
	size_t n = sizeof(wrapper_head), bl;

	if (len > 1u << 20)
		return;
	mod = malloc(sizeof(wrapper_head) + 16 + len + sizeof(wrapper_tail));
	if (!mod)
		return;
	memcpy(mod, wrapper_head, sizeof(wrapper_head));
	bl = put_leb(lenbuf, (uint32_t)len);
	mod[n++] = 0x0a; /* code section */
	n += put_leb(mod + n, (uint32_t)(1 + bl + len));
	mod[n++] = 0x01;
	memcpy(mod + n, lenbuf, bl);
	n += bl;
	memcpy(mod + n, body, len);
	n += len;
	memcpy(mod + n, wrapper_tail, sizeof(wrapper_tail));
	n += sizeof(wrapper_tail);
	check(mod, n);
	free(mod);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && (data[0] & 1))
		check_as_body(data + 1, size - 1);
	else
		check(data, size);
	return 0;
}
