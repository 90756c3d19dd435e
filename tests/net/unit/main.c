/* main.c - the net-unit suite: host-side tests of guest/net and the
 * virtio-net driver (ASan+UBSan). */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

int check_passed, check_failed;

/* lwIP's assertion hook (arch/cc.h), for the lwIP sources linked here. */
_Noreturn void mewz_lwip_assert(const char *msg, const char *file, int line);
_Noreturn void mewz_lwip_assert(const char *msg, const char *file, int line)
{
	printf("lwip assertion: %s at %s:%d\n", msg, file, line);
	abort();
}

int main(void)
{
	test_virtio_net();
	test_config();
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed != 0;
}
