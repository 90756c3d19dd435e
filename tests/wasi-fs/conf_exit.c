/*
 * conf_exit.c - proc_exit's code is the exit status (an independent
 * suite's proc_exit-failure expects 33): the suite checks the status;
 * the line printed first only says how far the program got.
 */
#include "check.h"

int main(void)
{
	check_true("proc_exit 33 follows", 1, "");
	done();
	fflush(stdout);
	__wasi_proc_exit(33);
}
