/* spin: never ends, for the host-side --timeout. */
int main(void)
{
	for (volatile unsigned i = 0;; i++)
		;
}
