/* hello: one line to stdout, one to stderr; the console keeps them apart. */
#include <stdio.h>

int main(void)
{
	printf("hello from a mewz VM\n");
	fprintf(stderr, "hello on stderr\n");
	return 0;
}
