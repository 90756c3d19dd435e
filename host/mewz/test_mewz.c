/*
 * test_mewz: the front-end's pieces that need no compiler: SHA-256 against
 * FIPS 180-4 test vectors, and reading the runtime archive's symbol index
 * and .mewz.provides list (the archive path is argv[1]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfread.h"
#include "sha256.h"

static int passed, failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (cond) {                                                    \
			passed++;                                              \
		} else {                                                       \
			failed++;                                              \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                              \
	} while (0)

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

static void test_archive(const char *archive)
{
	struct strlist names, sigs, syms;
	char err[256];

	CHECK(ar_read_symbols(archive, &syms, err, sizeof(err)) == 0);
	CHECK(strlist_has(&syms, "main"));
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

int main(int argc, char **argv)
{
	test_sha256();
	if (argc > 1)
		test_archive(argv[1]);
	else
		CHECK(!"usage: test_mewz RUNTIME.a");
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
