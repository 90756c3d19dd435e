/*
 * grow: memory.grow one page at a time until it fails; prints the size
 * reached in pages and whether the failure returned exactly -1.  With
 * `mewz run --memory 4M` it must stop at 64 pages.
 */
#include <stdio.h>

int main(void)
{
	unsigned long before = __builtin_wasm_memory_size(0), pages = before;
	long r;

	while ((r = (long)__builtin_wasm_memory_grow(0, 1)) != -1) {
		if ((unsigned long)r != pages) {
			printf("grow returned %ld at %lu pages\n", r, pages);
			return 1;
		}
		pages++;
		/* The new page must be usable. */
		((volatile char *)0)[pages * 65536 - 1] = 1;
	}
	printf("pages=%lu failed=%ld\n", pages, r);
	return 0;
}
