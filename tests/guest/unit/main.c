/* main.c - the guest-unit suite: runs every test group, prints the total. */
#include "check.h"

int check_passed, check_failed;

void test_chacha20(void);
void test_cmdline(void);
void test_wasi(void);
void test_imports(void);
void test_ring(void);
void test_roundeven(void);

int main(void)
{
	test_chacha20();
	test_cmdline();
	test_wasi();
	test_imports();
	test_ring();
	test_roundeven();
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}
