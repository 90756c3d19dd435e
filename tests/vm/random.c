/* random: 32 bytes from random_get (getentropy), in hex. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	unsigned char r[32];

	if (getentropy(r, sizeof(r)))
		return 1;
	for (size_t i = 0; i < sizeof(r); i++)
		printf("%02x", r[i]);
	printf("\n");
	return 0;
}
