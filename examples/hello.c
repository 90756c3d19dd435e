/* hello: the built-in example that `make run` boots. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("Hello from Mewz!\n");
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	return 0;
}
