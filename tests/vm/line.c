/*
 * line: reads one line from stdin and echoes it; "eof" if there is none.
 * A serial line has no end of file, so this is how forwarded input is
 * tested: the program stops after the line, not at the end of input.
 */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char buf[256];

	if (!fgets(buf, sizeof(buf), stdin)) {
		printf("eof\n");
		return 0;
	}
	buf[strcspn(buf, "\n")] = 0;
	printf("got: %s\n", buf);
	return 0;
}
