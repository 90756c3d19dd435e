/*
 * conf_readdir.c - fd_readdir as an independent suite checks it (see
 * conf.h): an empty directory lists exactly "." and "..", "." carries the
 * directory's inode, a file shows with its type and inode, a cookie
 * resumes after the entry that gave it, and 1000 files are all listed
 * through a 256-byte buffer (a full buffer means "more"; an entry may be
 * cut short at its end).  Usage: conf_readdir.wasm PREOPEN-NAME.
 *
 * conf_readdir.wasm PREOPEN-NAME ino NAME... lists the preopen as it is
 * instead (nothing written) and checks what the suite checks of "." and a
 * file for every entry: d_ino is the ino path_filestat_get gives the name
 * without following a symlink, d_type its filetype ("." against
 * fd_filestat_get; ".." of the preopen is outside it and unchecked); the
 * same one level down, where ".." is the preopen.  Each NAME must be
 * listed.  For a share whose listing and stat disagree (overlayfs).
 */
#include <stdlib.h>

#include "conf.h"

#define BUF_LEN 256

struct ent {
	__wasi_dirent_t d;
	char name[64];
};

/*
 * One fd_readdir from cookie into a BUF_LEN buffer: the whole entries in
 * it (at most max) and whether the listing ended (a buffer not filled).
 */
static int list(int dir, __wasi_dircookie_t cookie, struct ent *out, int max,
		int *eof, __wasi_errno_t *e)
{
	uint8_t buf[BUF_LEN];
	size_t used = 0, off = 0;
	int n = 0;

	*e = __wasi_fd_readdir(dir, buf, BUF_LEN, cookie, &used);
	*eof = used < BUF_LEN;
	while (!*e && n < max && used - off >= sizeof(__wasi_dirent_t)) {
		__wasi_dirent_t d;

		memcpy(&d, buf + off, sizeof(d));
		if (used - off - sizeof(d) < d.d_namlen)
			break; /* cut short: the next call starts there */
		out[n].d = d;
		memset(out[n].name, 0, sizeof(out[n].name));
		memcpy(out[n].name, buf + off + sizeof(d),
		       d.d_namlen < 63 ? d.d_namlen : 63);
		n++;
		off += sizeof(d) + d.d_namlen;
	}
	return n;
}

static const struct ent *named(const struct ent *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static void fd_readdir_basic(int dir)
{
	struct ent v[8];
	const struct ent *dot, *dotdot, *f;
	__wasi_filestat_t st, fst;
	__wasi_fd_t fd;
	__wasi_errno_t e;
	int n, eof;

	st = fstat_of(dir, &e);
	n = list(dir, 0, v, 8, &eof, &e);
	check_errno("fd_readdir: empty dir", e, 0);
	check_true("fd_readdir: empty dir read to the end", eof, "not eof");
	check_u64("fd_readdir: empty dir has 2 entries", n, 2);
	dot = named(v, n, ".");
	dotdot = named(v, n, "..");
	check_true("fd_readdir: . listed", dot != NULL, "missing");
	check_true("fd_readdir: .. listed", dotdot != NULL, "missing");
	if (dot) {
		check_u64("fd_readdir: . is a dir", dot->d.d_type,
			  __WASI_FILETYPE_DIRECTORY);
		check_true("fd_readdir: . has the dir's inode",
			   dot->d.d_ino == st.ino, "differs");
		check_u64("fd_readdir: . namlen", dot->d.d_namlen, 1);
	}
	if (dotdot)
		check_u64("fd_readdir: .. is a dir", dotdot->d.d_type,
			  __WASI_FILETYPE_DIRECTORY);
	e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT,
			     __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
				 __WASI_RIGHTS_FD_READDIR |
				 __WASI_RIGHTS_FD_FILESTAT_GET,
			     0, 0, &fd);
	check_errno("fd_readdir: create file", e, 0);
	fst = fstat_of(fd, &e);
	__wasi_fd_close(fd);
	n = list(dir, 0, v, 8, &eof, &e);
	check_true("fd_readdir: three entries to the end", n == 3 && eof,
		   "wrong count");
	if (n != 3)
		goto out;
	f = named(v, n, "file");
	check_true("fd_readdir: file listed", f != NULL, "missing");
	if (f) {
		check_u64("fd_readdir: file type", f->d.d_type,
			  __WASI_FILETYPE_REGULAR_FILE);
		check_true("fd_readdir: file inode", f->d.d_ino == fst.ino,
			   "differs");
	}
	{
		/* From the second entry's cookie: only the third. */
		struct ent w[4];
		char last[64];
		int m;

		memcpy(last, v[2].name, sizeof(last));
		m = list(dir, v[1].d.d_next, w, 4, &eof, &e);
		check_true("fd_readdir: cookie resumes at the third",
			   m == 1 && eof && !strcmp(w[0].name, last),
			   "other entries");
	}
out:
	check_errno("fd_readdir: unlink file",
		    __wasi_path_unlink_file(dir, "file"), 0);
}

/*
 * The whole listing, through as many calls from cookies as it takes: how
 * many entries, the first max of them in out.  Stops at an error (in *e)
 * or a call that makes no progress.
 */
static int list_all(int dir, struct ent *out, int max, __wasi_errno_t *e)
{
	struct ent v[16];
	__wasi_dircookie_t cookie = 0;
	int total = 0, calls = 0, eof = 0;

	*e = 0;
	while (!eof && calls++ < 2000) {
		int n = list(dir, cookie, v, 16, &eof, e);

		if (*e || n == 0)
			break;
		for (int i = 0; i < n && total + i < max; i++)
			out[total + i] = v[i];
		total += n;
		cookie = v[n - 1].d.d_next;
	}
	return total;
}

static void fd_readdir_lots(int dir)
{
	char name[32];
	int total, made = 0;
	__wasi_errno_t e;

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "file.%d", i);
		made += create_file(dir, name) == 0;
	}
	check_u64("fd_readdir_lots: 1000 files", made, 1000);
	total = list_all(dir, NULL, 0, &e);
	check_errno("fd_readdir_lots: no error", e, 0);
	check_u64("fd_readdir_lots: 1000 plus . and ..", total, 1002);
	made = 0;
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "file.%d", i);
		made += __wasi_path_unlink_file(dir, name) == 0;
	}
	check_u64("fd_readdir_lots: removed", made, 1000);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name,
		      ((const struct ent *)b)->name);
}

/* d_ino and d_type of entry v of dir (called path) against its filestat;
 * "." and ".." against dot and dotdot (NULL: not checked). */
static void ino_entry(int dir, const char *path, const struct ent *v,
		      const __wasi_filestat_t *dot,
		      const __wasi_filestat_t *dotdot)
{
	char what[160];
	__wasi_filestat_t st;
	__wasi_errno_t e;

	if (!strcmp(v->name, "..")) {
		if (!dotdot)
			return;
		st = *dotdot;
	} else if (!strcmp(v->name, ".")) {
		st = *dot;
	} else {
		st = pstat_of(dir, 0, v->name, &e);
		snprintf(what, sizeof(what), "fd_readdir_ino: %s%s filestat",
			 path, v->name);
		check_errno(what, e, 0);
	}
	snprintf(what, sizeof(what), "fd_readdir_ino: %s%s d_ino is its ino",
		 path, v->name);
	check_true(what, v->d.d_ino == st.ino, "differs");
	snprintf(what, sizeof(what), "fd_readdir_ino: %s%s d_type", path,
		 v->name);
	check_u64(what, v->d.d_type, st.filetype);
}

/*
 * Every entry of dir (called path, "" for the preopen) by ino_entry, in
 * name order so that the output does not depend on the listing's order;
 * subdirectories too while depth allows.  up: the filestat of dir's
 * parent, NULL where that is outside the preopen.
 */
static void ino_dir(int dir, const char *path, const __wasi_filestat_t *up,
		    int depth)
{
	static struct ent v[2][32];
	struct ent *w = v[depth];
	char what[160], sub[96];
	__wasi_filestat_t dot;
	__wasi_fd_t fd;
	__wasi_errno_t e;
	int n;

	dot = fstat_of(dir, &e);
	n = list_all(dir, w, 32, &e);
	snprintf(what, sizeof(what), "fd_readdir_ino: list %s.", path);
	check_true(what, !e && n <= 32, "error or over 32 entries");
	n = n < 32 ? n : 32;
	qsort(w, n, sizeof(*w), by_name);
	for (int i = 0; i < n; i++) {
		ino_entry(dir, path, &w[i], &dot, up);
		if (depth > 0 || w[i].d.d_type != __WASI_FILETYPE_DIRECTORY ||
		    w[i].name[0] == '.')
			continue;
		e = __wasi_path_open(dir, 0, w[i].name, __WASI_OFLAGS_DIRECTORY,
				     CONF_DIR_BASE, CONF_DIR_INHERIT, 0, &fd);
		snprintf(sub, sizeof(sub), "%s%s/", path, w[i].name);
		snprintf(what, sizeof(what), "fd_readdir_ino: open %s", sub);
		check_errno(what, e, 0);
		if (e)
			continue;
		ino_dir(fd, sub, &dot, depth + 1);
		__wasi_fd_close(fd);
	}
}

/* conf_readdir.wasm PREOPEN ino NAME...: see the top of the file. */
static int fd_readdir_ino(int dir, int argc, char **argv)
{
	struct ent v[32];
	char what[160];
	__wasi_errno_t e;
	int n = list_all(dir, v, 32, &e);

	for (int i = 3; i < argc; i++) {
		int found = 0;

		for (int j = 0; j < n && j < 32; j++)
			found |= !strcmp(v[j].name, argv[i]);
		snprintf(what, sizeof(what), "fd_readdir_ino: %s listed",
			 argv[i]);
		check_true(what, found, "missing");
	}
	ino_dir(dir, "", NULL, 0);
	return done();
}

int main(int argc, char **argv)
{
	int base = open_scratch(argc, argv), dir;

	if (argc > 2 && !strcmp(argv[2], "ino"))
		return fd_readdir_ino(base, argc, argv);
	dir = tmp_dir(base, "fd_readdir_dir.cleanup");

	if (dir >= 0) {
		fd_readdir_basic(dir);
		fd_readdir_lots(dir);
		tmp_done(base, dir, "fd_readdir_dir.cleanup");
	}
	return done();
}
