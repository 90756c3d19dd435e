/*
 * conf_stdio.c - renumbering stdin, stdout and stderr onto file fds, as
 * an independent suite checks it (see conf.h): each move succeeds, the
 * target fd then holds the console stream and the std fd is closed.
 * stdout itself moves, so this program reports through whichever fd
 * holds it now, with its own writes (no stdio buffering).
 * Usage: conf_stdio.wasm PREOPEN-NAME.
 */
#include <stdarg.h>

#include "conf.h"

static __wasi_fd_t out = 1;
static int passed, failed;

static void say(const char *fmt, ...)
{
	char line[200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0) {
		__wasi_ciovec_t iov = {.buf = (const uint8_t *)line,
				       .buf_len = (size_t)n};
		size_t w;

		__wasi_fd_write(out, &iov, 1, &w);
	}
}

static void expect(const char *name, int cond)
{
	if (cond) {
		passed++;
		say("ok %s\n", name);
	} else {
		failed++;
		say("FAIL %s\n", name);
	}
}

static void move_std(int dir, __wasi_fd_t std)
{
	__wasi_fdstat_t st;
	__wasi_fd_t to;
	char name[64];
	__wasi_errno_t e = __wasi_path_open(dir, 0, "file.cleanup",
					    __WASI_OFLAGS_CREAT, 0, 0, 0, &to);

	snprintf(name, sizeof(name), "stdio %u: open a file", std);
	expect(name, e == 0);
	if (e)
		return;
	e = __wasi_fd_renumber(std, to);
	snprintf(name, sizeof(name), "stdio %u: renumber onto it", std);
	expect(name, e == 0);
	if (e)
		return;
	if (std == 1)
		out = to; /* stdout lives there now */
	snprintf(name, sizeof(name), "stdio %u: target holds the console", std);
	expect(name, __wasi_fd_fdstat_get(to, &st) == 0 &&
			 st.fs_filetype == __WASI_FILETYPE_CHARACTER_DEVICE);
	snprintf(name, sizeof(name), "stdio %u: std fd closed", std);
	expect(name, __wasi_fd_fdstat_get(std, &st) == __WASI_ERRNO_BADF);
	snprintf(name, sizeof(name), "stdio %u: unlink", std);
	expect(name, __wasi_path_unlink_file(dir, "file.cleanup") == 0);
}

int main(int argc, char **argv)
{
	__wasi_rights_t rb, ri;
	__wasi_fd_t dir;
	int pre;

	if (argc > 1)
		scratch_name = argv[1];
	pre = preopen_fd(scratch_name);
	if (pre < 0) {
		say("FAIL no preopen\n");
		return 1;
	}
	fd_rights(pre, &rb, &ri);
	if (__wasi_path_create_directory(pre, "stdio_dir.cleanup") ||
	    __wasi_path_open(pre, 0, "stdio_dir.cleanup",
			     __WASI_OFLAGS_DIRECTORY, CONF_DIR_BASE,
			     CONF_DIR_INHERIT, 0, &dir)) {
		say("FAIL scratch directory\n");
		return 1;
	}
	for (__wasi_fd_t std = 0; std < 3; std++)
		move_std(dir, std);
	__wasi_fd_close(dir);
	expect("stdio: rmdir",
	       __wasi_path_remove_directory(pre, "stdio_dir.cleanup") == 0);
	say("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
