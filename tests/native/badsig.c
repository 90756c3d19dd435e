/* badsig: imports WASI's sched_yield with a parameter it does not have. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("sched_yield"))) int bad_yield(int);

int main(void)
{
	return bad_yield(3);
}
