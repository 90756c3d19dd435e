/*
 * test_cmdline.c - the kernel command line: quoting, escapes, errors,
 * and the meaning of the words (guest/plat/kvm/cmdline.c).
 */
#include <stdint.h>

#include "../../../guest/plat/kvm/cmdline.h"
#include "check.h"

void test_cmdline(void);

static int split(const char *in, char *buf, char **w, size_t max,
		 const char **err)
{
	strcpy(buf, in);
	return cmdline_split(buf, w, max, err);
}

static void split_plain(void)
{
	char buf[256], *w[8];
	const char *err = "";

	CHECK_EQ(split("  a bb\tccc\n", buf, w, 8, &err), 3);
	CHECK_STR(w[0], "a");
	CHECK_STR(w[1], "bb");
	CHECK_STR(w[2], "ccc");
	CHECK_EQ(split("", buf, w, 8, &err), 0);
	CHECK_EQ(split("   ", buf, w, 8, &err), 0);
}

static void split_quotes(void)
{
	char buf[256], *w[8];
	const char *err = "";

	CHECK_EQ(split("\"a b\" 'c \"d\" \\x41' e\\ f", buf, w, 8, &err), 3);
	CHECK_STR(w[0], "a b");
	CHECK_STR(w[1], "c \"d\" \\x41"); /* single quotes: all literal */
	CHECK_STR(w[2], "e f");
	CHECK_EQ(split("x\"y z\"w ''", buf, w, 8, &err), 2);
	CHECK_STR(w[0], "xy zw");
	CHECK_STR(w[1], ""); /* an empty quoted word is still a word */
}

static void split_escapes(void)
{
	char buf[256], *w[8];
	const char *err = "";

	/* UTF-8 "é" as raw bytes and as escapes, and a byte that is not UTF-8.
	 */
	CHECK_EQ(split("\xc3\xa9 \\xc3\\xA9 \\xff \\\\ \\'", buf, w, 8, &err),
		 5);
	CHECK_STR(w[0], "\xc3\xa9");
	CHECK_STR(w[1], "\xc3\xa9");
	CHECK_STR(w[2], "\xff");
	CHECK_STR(w[3], "\\");
	CHECK_STR(w[4], "'");
}

static void split_errors(void)
{
	char buf[256], *w[2];
	const char *err = "";

	CHECK_EQ(split("\"open", buf, w, 2, &err), -1);
	CHECK_EQ(split("'open", buf, w, 2, &err), -1);
	CHECK_EQ(split("a\\", buf, w, 2, &err), -1);
	CHECK_EQ(split("\\x4", buf, w, 2, &err), -1);
	CHECK_EQ(split("\\xzz", buf, w, 2, &err), -1);
	CHECK_EQ(split("\\x00", buf, w, 2, &err), -1);
	CHECK_EQ(split("a b c", buf, w, 2, &err), -1); /* too many words */
}

static void interpret(void)
{
	char buf[256], *w[16], *env[16];
	const char *err = "";
	struct cmdline cl;
	int n = split("env=A=1 env=B=x\\x20y watchdog=5 stdin=serial devices "
		      "hostlink -- prog 'a b' --",
		      buf, w, 16, &err);

	CHECK_EQ(n, 10);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), 0);
	CHECK_EQ(cl.envc, 2);
	CHECK_STR(cl.envp[0], "A=1");
	CHECK_STR(cl.envp[1], "B=x y");
	CHECK_EQ(cl.watchdog_s, 5);
	CHECK_EQ(cl.stdin_serial, 1);
	CHECK_EQ(cl.list_devices, 1);
	CHECK_EQ(cl.hostlink, 1);
	CHECK_EQ(cl.argc, 3);
	CHECK_STR(cl.argv[0], "prog");
	CHECK_STR(cl.argv[1], "a b");
	CHECK_STR(cl.argv[2], "--"); /* only the first -- separates */

	n = split("", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), 0);
	CHECK_EQ(cl.hostlink, 0);
	CHECK_EQ(cl.argc, 1);
	CHECK_STR(cl.argv[0], "app");
	CHECK_EQ(cl.watchdog_s, 0);

	n = split("stack=8M", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), 0);
	CHECK_EQ(cl.stack_bytes, 8 << 20);
	n = split("stack=65536", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), 0);
	CHECK_EQ(cl.stack_bytes, 65536);
	n = split("stack=4K", buf, w, 16, &err); /* below the minimum */
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), -1);
	n = split("stack=1024M", buf, w, 16, &err); /* above the maximum */
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), -1);
	n = split("stack=M", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), -1);
	n = split("inject=symtab-fault", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), 0);
	CHECK_STR(cl.inject, "symtab-fault");
	n = split("inject=anything", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), -1);
	n = split("bogus=1", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), -1);
	n = split("env=NOEQUALS", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), -1);
	n = split("watchdog=5s", buf, w, 16, &err);
	CHECK_EQ(cmdline_interpret(w, (size_t)n, env, &cl, &err), -1);
}

void test_cmdline(void)
{
	split_plain();
	split_quotes();
	split_escapes();
	split_errors();
	interpret();
}
