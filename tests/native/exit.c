/* exit: `exit N` ends with status N through proc_exit; no argument returns. */
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc > 1)
		exit(atoi(argv[1]));
	return 0;
}
