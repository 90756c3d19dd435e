/*
 * fs_readdir.c - fd_readdir across hundreds of entries: cookies, buffers
 * of every size from one that cannot hold an entry to one larger than a
 * frame, d_type, and wasi-libc's readdir on top.  Runs in an empty share
 * at /data and leaves it empty.
 */
#include <dirent.h>
#include <stdlib.h>

#include "check.h"

#define N 300
#define DIRENT 24 /* sizeof(__wasi_dirent_t) as the ABI lays it out */

static int dir;
static unsigned char seen[N + 2];

static void entry_name(int i, char *out, size_t len)
{
	snprintf(out, len, "entry-%03d-%.*s", i, i % 40 + 1,
		 "padding-padding-padding-padding-padding-padding");
}

/* Index of name among the entries (N for ".", N + 1 for ".."), or -1. */
static int entry_index(const char *name, size_t len)
{
	char want[128];

	if (len == 1 && name[0] == '.')
		return N;
	if (len == 2 && !memcmp(name, "..", 2))
		return N + 1;
	if (len < 10 || memcmp(name, "entry-", 6))
		return -1;
	int i = atoi(name + 6);
	if (i < 0 || i >= N)
		return -1;
	entry_name(i, want, sizeof(want));
	return strlen(want) == len && !memcmp(want, name, len) ? i : -1;
}

/*
 * List the directory with buffers of bufsize bytes, as wasi-libc does:
 * parse whole entries, go on from the last whole one's d_next, stop at a
 * reply shorter than the buffer.  0 if every entry was seen exactly once
 * with the right type.
 */
static int list_with(size_t bufsize, int *calls)
{
	unsigned char *buf = malloc(bufsize);
	__wasi_dircookie_t cookie = 0;
	int bad = 0;

	memset(seen, 0, sizeof(seen));
	*calls = 0;
	for (;;) {
		size_t used, off = 0;

		if (__wasi_fd_readdir(dir, buf, bufsize, cookie, &used)) {
			bad = 1;
			break;
		}
		++*calls;
		while (used - off >= DIRENT) {
			__wasi_dirent_t d;
			int i;

			memcpy(&d, buf + off, DIRENT);
			if (d.d_namlen > used - off - DIRENT)
				break; /* cut short: ask again from cookie */
			i = entry_index((char *)buf + off + DIRENT, d.d_namlen);
			if (i < 0 || seen[i]++)
				bad = 1;
			if (i >= 0 && i < N &&
			    d.d_type != __WASI_FILETYPE_REGULAR_FILE)
				bad = 1;
			if (i >= N && d.d_type != __WASI_FILETYPE_DIRECTORY)
				bad = 1;
			cookie = d.d_next;
			off += DIRENT + d.d_namlen;
		}
		if (used < bufsize || *calls > 10 * N)
			break;
	}
	for (int i = 0; i < N + 2; i++)
		if (seen[i] != 1)
			bad = 1;
	free(buf);
	return bad;
}

int main(void)
{
	char name[128];
	unsigned char tiny[10];
	size_t used;
	int calls;

	dir = preopen_fd("/data");
	if (dir < 0) {
		printf("FAIL no /data preopen\n");
		return 1;
	}
	int made = 0;
	for (int i = 0; i < N; i++) {
		entry_name(i, name, sizeof(name));
		made += make_file(dir, name, "x") == 0;
	}
	check_u64("created entries", made, N);
	check_true("list with 64 KiB buffer", !list_with(65536, &calls) && calls >= 1,
		   "entries missing, repeated or mistyped");
	check_true("list with 4 KiB buffer", !list_with(4096, &calls) && calls > 3,
		   "entries missing, repeated or mistyped");
	check_true("list with 100-byte buffer", !list_with(100, &calls) && calls > N / 2,
		   "entries missing, repeated or mistyped");
	check_true("list with 1 MiB buffer", !list_with(1 << 20, &calls) && calls == 1,
		   "not one call, or entries wrong");
	check_errno("readdir 10-byte buffer",
		    __wasi_fd_readdir(dir, tiny, sizeof(tiny), 0, &used), 0);
	check_u64("10-byte buffer filled", used, sizeof(tiny));
	check_errno("readdir past the end",
		    __wasi_fd_readdir(dir, tiny, sizeof(tiny), N + 2, &used), 0);
	check_u64("past the end is empty", used, 0);
	check_errno("readdir unknown fd EBADF",
		    __wasi_fd_readdir(77, tiny, sizeof(tiny), 0, &used),
		    __WASI_ERRNO_BADF);

	DIR *d = opendir("/data");
	int count = 0;
	struct dirent *e;
	check_true("opendir", d != NULL, "NULL");
	while (d && (e = readdir(d)))
		count++;
	if (d)
		closedir(d);
	check_u64("libc readdir count", count, N + 2);

	int removed = 0;
	for (int i = 0; i < N; i++) {
		entry_name(i, name, sizeof(name));
		removed += __wasi_path_unlink_file(dir, name) == 0;
	}
	check_u64("removed entries", removed, N);
	check_true("list empty dir", list_with(4096, &calls) && seen[N] == 1 &&
				     seen[N + 1] == 1,
		   "not just . and ..");
	return done();
}
