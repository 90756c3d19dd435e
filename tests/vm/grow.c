/*
 * grow: `grow MIB` asks memory.grow for enough pages to reach MIB MiB in
 * one call and prints the result; on success it writes and reads back one
 * byte in every new page.  Then it grows one page at a time until
 * memory.grow fails and prints the pages reached and the failing value,
 * which must be exactly -1.
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long pages(void)
{
	return __builtin_wasm_memory_size(0);
}

int main(int argc, char **argv)
{
	unsigned long want = argc > 1 ? strtoul(argv[1], NULL, 10) * 16 : 0, before = pages();
	long r;

	if (want > before) {
		r = (long)__builtin_wasm_memory_grow(0, want - before);
		printf("grow to %lu pages: %s\n", want, r == (long)before ? "ok" : r == -1 ? "-1" : "wrong");
		for (unsigned long p = before; r != -1 && p < want; p++) {
			volatile unsigned char *b = (volatile unsigned char *)(p * 65536 + p % 4096);
			*b = (unsigned char)p;
			if (*b != (unsigned char)p)
				return 1;
		}
	}
	while ((r = (long)__builtin_wasm_memory_grow(0, 1)) != -1)
		if ((unsigned long)r != pages() - 1)
			return 2;
	printf("pages=%lu failed=%ld\n", pages(), r);
	return 0;
}
