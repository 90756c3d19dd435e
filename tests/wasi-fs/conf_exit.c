/*
 * conf_exit.c - proc_exit's code is the exit status (an independent
 * suite's proc_exit-failure expects 33): the suite checks the status,
 * the only check there is, so the program prints no result line.
 */
#include "check.h"

int main(void)
{
	__wasi_proc_exit(33);
}
