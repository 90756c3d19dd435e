/* hello: stdout and stderr reach the terminal unchanged. */
#include <stdio.h>

int main(void)
{
	printf("hello from native mewz\n");
	fprintf(stderr, "to stderr\n");
	return 0;
}
