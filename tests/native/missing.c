/* missing: imports two functions no runtime provides. */
__attribute__((import_module("env"), import_name("not_there"))) int not_there(int);
__attribute__((import_module("other"), import_name("gone"))) void gone(void);

int main(void)
{
	gone();
	return not_there(1);
}
