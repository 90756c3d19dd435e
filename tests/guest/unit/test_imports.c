/*
 * test_imports.c - every import listed in guest/wasi/imports.def is
 * defined by the runtime (taking its address forces the link), and the
 * listed signature has the shape of one: params ':' results, letters only.
 */
#include <stdint.h>

#include "check.h"

void test_imports(void);

/* Declared with a neutral type: only the symbol's existence matters here. */
#define X(module, field, sig)                                                  \
	extern char import_##field __asm__(#module "." #field);
#include "../../../guest/wasi/imports.def"
#undef X

static int sig_ok(const char *s)
{
	int colons = 0;

	for (; *s; s++) {
		if (*s == ':')
			colons++;
		else if (!strchr("iIfFVrx", *s))
			return 0;
	}
	return colons == 1;
}

void test_imports(void)
{
	unsigned n = 0;

#define X(module, field, sig)                                                  \
	CHECK_EQ(&import_##field != NULL && sig_ok(sig), 1);                   \
	n++;
#include "../../../guest/wasi/imports.def"
#undef X
	/* WASI preview 1 has 46 functions, none may be missing (its
	 * sock_accept is the symbol sock_accept_v2, abi.h); plus 22 entries
	 * of the WasmEdge socket extension (guest/wasi/sock*.c): V1 names
	 * and their "_v2" twins. */
	CHECK_EQ(n, 46 + 22);
}
