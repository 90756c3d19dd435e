/* big: a 48 MiB static array, so its initial memory needs a bigger VM. */
#include <stdio.h>

static char big[48 << 20];
static volatile unsigned last = sizeof(big) - 1; /* keeps the array whole */

int main(void)
{
	big[last] = 1;
	printf("big ok %d\n", big[last]);
	return 0;
}
