/*
 * test_mewz: the front-end's pieces that need no compiler: SHA-256 against
 * FIPS 180-4 test vectors, reading the runtime archives' symbol index and
 * .mewz.provides list (the Linux runtime is argv[1], the guest library
 * argv[2]), a module's initial memory from hand-made modules (good and
 * malformed), the VM memory estimate, and an image's loaded size.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elfread.h"
#include "mewz.h"
#include "sha256.h"

int check_passed, check_failed;

static void hex_of(const void *data, size_t len, char out[65])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_hex(&s, out);
}

static void test_sha256(void)
{
	char h[65];
	struct sha256 s;

	hex_of("", 0, h);
	CHECK(!strcmp(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	hex_of("abc", 3, h);
	CHECK(!strcmp(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
	CHECK(!strcmp(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
	/* One million 'a', fed in uneven pieces across block boundaries. */
	char chunk[997];
	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&s);
	size_t left = 1000000;
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		sha256_update(&s, chunk, n);
		left -= n;
	}
	sha256_hex(&s, h);
	CHECK(!strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

static void test_archive(const char *archive, bool has_main)
{
	struct strlist names, sigs, syms;
	char err[256];

	CHECK(ar_read_symbols(archive, &syms, err, sizeof(err)) == 0);
	CHECK(!has_main || strlist_has(&syms, "main"));
	CHECK(strlist_has(&syms, "wasi_snapshot_preview1.fd_write"));
	CHECK(strlist_has(&syms, "__wasm_memory_grow"));
	strlist_free(&syms);

	CHECK(ar_read_section(archive, ".mewz.provides", &names, &sigs, err, sizeof(err)) == 0);
	CHECK(names.n == sigs.n && names.n > 10);
	int fd_write = 0, proc_exit = 0;
	for (size_t i = 0; i < names.n; i++) {
		if (!strcmp(names.v[i], "wasi_snapshot_preview1.fd_write"))
			fd_write = !strcmp(sigs.v[i], "iiii:i");
		if (!strcmp(names.v[i], "wasi_snapshot_preview1.proc_exit"))
			proc_exit = !strcmp(sigs.v[i], "i:");
	}
	CHECK(fd_write && proc_exit);
	strlist_free(&names);
	strlist_free(&sigs);

	CHECK(ar_read_symbols("/nonexistent.a", &syms, err, sizeof(err)) == -1);
	CHECK(strstr(err, "/nonexistent.a") != NULL);
}

/* Module header, then the given section bytes. */
static size_t module(uint8_t *out, const uint8_t *sections, size_t len)
{
	memcpy(out, "\0asm\1\0\0\0", 8);
	if (len)
		memcpy(out + 8, sections, len);
	return 8 + len;
}

#define PAGES(bytes) pages_of(bytes, sizeof(bytes))

/* Initial pages, or -1 for a refused module. */
static long long pages_of(const uint8_t *sections, size_t len)
{
	uint8_t buf[256];
	uint64_t pages;
	size_t n = module(buf, sections, len);

	return wasm_initial_pages(buf, n, &pages) ? -1 : (long long)pages;
}

static void test_wasminfo(void)
{
	/* No sections at all; an empty memory section. */
	CHECK(pages_of(NULL, 0) == 0);
	static const uint8_t no_memory[] = {5, 1, 0};
	CHECK(PAGES(no_memory) == 0);
	/* memory 0: min 2; min 770 (multi-byte LEB 0x82 0x06) with a max. */
	static const uint8_t two[] = {5, 3, 1, 0, 2};
	CHECK(PAGES(two) == 2);
	static const uint8_t big[] = {5, 6, 1, 1, 0x82, 0x06, 0x80, 0x08};
	CHECK(PAGES(big) == 770);
	/* A custom section first is skipped. */
	static const uint8_t custom[] = {0, 3, 2, 'h', 'i', 5, 3, 1, 0, 7};
	CHECK(PAGES(custom) == 7);
	/* Imported: a function, a global, then env.mem with min 17. */
	static const uint8_t imported[] = {
		2, 21, 3,
		1, 'e', 1, 'f', 0, 0,             /* func type 0 */
		1, 'e', 1, 'g', 3, 0x7f, 0,       /* global i32 const */
		1, 'e', 1, 'm', 2, 0, 17,         /* memory min 17 */
	};
	CHECK(PAGES(imported) == 17);
	/* 64-bit limits (memory64). */
	static const uint8_t mem64[] = {5, 4, 1, 4, 0x80, 0x01};
	CHECK(PAGES(mem64) == 128);
	/* Malformed: section longer than the file, truncated LEB, LEB too
	 * long for 32 bits, unknown limits flags, unknown import kind. */
	static const uint8_t overlong[] = {5, 9, 1, 0, 2};
	CHECK(PAGES(overlong) == -1);
	static const uint8_t truncated[] = {5, 3, 1, 0, 0x80};
	CHECK(PAGES(truncated) == -1);
	static const uint8_t wide[] = {5, 7, 1, 0, 0xff, 0xff, 0xff, 0xff, 0x1f};
	CHECK(PAGES(wide) == -1);
	static const uint8_t flags[] = {5, 3, 1, 9, 2};
	CHECK(PAGES(flags) == -1);
	static const uint8_t kind[] = {2, 7, 1, 1, 'e', 1, 'x', 9, 0};
	CHECK(PAGES(kind) == -1);
	uint64_t pages;
	CHECK(wasm_initial_pages((const uint8_t *)"\0asm", 4, &pages) == -1);
	CHECK(wasm_initial_pages((const uint8_t *)"junkjunk", 8, &pages) == -1);
}

static void test_memory_estimate(void)
{
	/* Measured (vm.c): 100 MiB of linear memory and a 290 KiB image boot
	 * in 103 MiB and not in 102 MiB; the estimate may not exceed what
	 * boots, and must grow with both inputs. */
	uint64_t need = vm_memory_needed(1600, 290 << 10);
	CHECK(need > (102ull << 20) && need <= (103ull << 20));
	CHECK(vm_memory_needed(2, 290 << 10) <= (3ull << 20));
	CHECK(vm_memory_needed(3, 290 << 10) > vm_memory_needed(2, 290 << 10));
	CHECK(vm_memory_needed(2, 300 << 10) > vm_memory_needed(2, 290 << 10));
}

static void test_load_size(const char *self, const char *not_elf)
{
	uint64_t bytes;
	char err[256];

	/* This test program itself is an ELF executable with PT_LOAD segments. */
	CHECK(elf_load_size(self, &bytes, err, sizeof(err)) == 0 && bytes > 4096);
	CHECK(elf_load_size("/nonexistent", &bytes, err, sizeof(err)) == -1);
	CHECK(elf_load_size(not_elf, &bytes, err, sizeof(err)) == -1 && strstr(err, "not a 64-bit ELF"));
}

int main(int argc, char **argv)
{
	test_sha256();
	test_wasminfo();
	test_memory_estimate();
	if (argc > 2) {
		test_load_size("/proc/self/exe", argv[1]);
		test_archive(argv[1], true);
		test_archive(argv[2], false);
	} else {
		CHECK(!"usage: test_mewz LINUX-RUNTIME.a GUEST-LIBRARY.a");
	}
	return check_report();
}
