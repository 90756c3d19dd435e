/*
 * init.c - the runtime's state before the program starts: an empty fd
 * table with the console on fds 0-2.  Apart from run.c so that a platform
 * (or a test) can initialise without linking a program.
 */
#include <mewz/runtime.h>

#include "wasi.h"

void mewz_runtime_init(void)
{
	fdt_init();
	wasi_stdio_install();
}
