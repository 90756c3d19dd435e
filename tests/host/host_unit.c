/*
 * Suite host-unit: the daemon's pieces that need no loop, in process:
 * the errno table, the handle table, path copying and splitting, the
 * symlink-target check, and which file calls run on the loop thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errno_map.h"
#include "fs.h"
#include "handles.h"
#include "proto.h"
#include "resolve.h"
#include "th.h"

static void test_errno_map(void)
{
	CHECK_ERR(mh_wasi_errno(0), PROTO_WASI_ESUCCESS);
	CHECK_ERR(mh_wasi_errno(ENOENT), PROTO_WASI_ENOENT);
	CHECK_ERR(mh_wasi_errno(ENOTEMPTY), PROTO_WASI_ENOTEMPTY);
	CHECK_ERR(mh_wasi_errno(EXDEV), PROTO_WASI_EXDEV);
	CHECK_ERR(mh_wasi_errno(ELOOP), PROTO_WASI_ELOOP);
	CHECK_ERR(mh_wasi_errno(EROFS), PROTO_WASI_EROFS);
	CHECK_ERR(mh_wasi_errno(EWOULDBLOCK), PROTO_WASI_EAGAIN);
	CHECK_ERR(mh_wasi_errno(EOPNOTSUPP), PROTO_WASI_ENOTSUP);
	CHECK_ERR(mh_wasi_errno(ENOMEDIUM), PROTO_WASI_ENODEV);
	/* Unknown values become IO, never 0. */
	CHECK_ERR(mh_wasi_errno(4000), PROTO_WASI_EIO);
	CHECK_ERR(mh_wasi_errno(-1), PROTO_WASI_EIO);
	/* Every errno the kernel defines maps to something non-zero. */
	for (int e = 1; e < 134; e++)
		CHECK(mh_wasi_errno(e) != 0);
}

static int devnull(void)
{
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static void test_handles(void)
{
	struct mh_htab t;
	uint32_t id[4], err;

	htab_init(&t, 3);
	for (int i = 0; i < 3; i++) {
		CHECK_ERR(htab_insert(&t, devnull(), PROTO_FT_REGULAR_FILE, 1,
				      2, NULL, false, &id[i]),
			  0);
		CHECK_EQ(id[i], i);
	}
	int fd = devnull();

	err = htab_insert(&t, fd, 0, 0, 0, NULL, false, &id[3]);
	CHECK_ERR(err, PROTO_WASI_EMFILE);
	close(fd); /* a refused fd stays the caller's */
	/* A reference outlives removal from the table. */
	struct mh_handle *h = htab_get(&t, 1);

	CHECK(h != NULL && h->refs == 2 && h->rb == 1 && h->ri == 2);
	struct mh_handle *taken = htab_take(&t, 1);

	CHECK(taken == h);
	CHECK(htab_get(&t, 1) == NULL);
	CHECK(htab_take(&t, 1) == NULL);
	int hfd = h->fd;

	handle_put(taken);
	CHECK(fcntl(hfd, F_GETFD) >= 0); /* still held by h */
	handle_put(h);
	CHECK(fcntl(hfd, F_GETFD) < 0); /* last reference closed it */
	/* The lowest free number is reused. */
	CHECK_ERR(htab_insert(&t, devnull(), 0, 0, 0, NULL, false, &id[3]), 0);
	CHECK_EQ(id[3], 1);
	CHECK(htab_get(&t, 99) == NULL);
	CHECK(htab_get(&t, 1ull << 40) == NULL);
	htab_destroy(&t);
}

static uint32_t copy(const char *p, size_t n, char **out)
{
	struct proto_str s = {(const uint8_t *)p, (uint32_t)n};

	return rs_copy_path(&s, out);
}

static void test_copy_path(void)
{
	char *out = NULL;
	static char big[PROTO_PATH_MAX + 2];

	CHECK_ERR(copy("", 0, &out), PROTO_WASI_ENOENT);
	CHECK_ERR(copy("a\0b", 3, &out), PROTO_WASI_EINVAL);
	memset(big, 'a', sizeof(big));
	CHECK_ERR(copy(big, PROTO_PATH_MAX + 1, &out), PROTO_WASI_ENAMETOOLONG);
	CHECK_ERR(copy(big, PROTO_PATH_MAX, &out), 0);
	CHECK(out && strlen(out) == PROTO_PATH_MAX);
	free(out);
	CHECK_ERR(copy("x/y", 3, &out), 0);
	CHECK(out && strcmp(out, "x/y") == 0);
	free(out);
}

static char root[] = "/tmp/mewz-host-unit.XXXXXX";
static int rootfd = -1;

static void test_parent(void)
{
	struct rs_parent p;
	char sub[600];

	snprintf(sub, sizeof(sub), "%s/a/b", root);
	CHECK(mkdir(th_join((char[600]){0}, 600, root, "a"), 0755) == 0);
	CHECK(mkdir(sub, 0755) == 0);
	CHECK_ERR(rs_parent(rootfd, "a/b/c", &p), 0);
	CHECK(strcmp(p.last, "c") == 0 && !p.slash && !p.dot);
	rs_parent_close(&p);
	CHECK_ERR(rs_parent(rootfd, "a/b//", &p), 0);
	CHECK(strcmp(p.last, "b") == 0 && p.slash);
	rs_parent_close(&p);
	CHECK_ERR(rs_parent(rootfd, "name", &p), 0);
	CHECK(strcmp(p.last, "name") == 0);
	rs_parent_close(&p);
	CHECK_ERR(rs_parent(rootfd, "a/..", &p), 0);
	CHECK(p.dot);
	rs_parent_close(&p);
	CHECK_ERR(rs_parent(rootfd, "..", &p), PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_parent(rootfd, "/", &p), PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_parent(rootfd, "/etc/x", &p), PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_parent(rootfd, "../x", &p), PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_parent(rootfd, "nope/x", &p), PROTO_WASI_ENOENT);
	char longname[300];

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	CHECK_ERR(rs_parent(rootfd, longname, &p), PROTO_WASI_ENAMETOOLONG);
	CHECK(p.pfd == -1);
}

static void test_symlink_targets(void)
{
	struct rs_parent p;
	char real[PATH_MAX];

	CHECK(realpath(root, real) != NULL);
	/* The link would live in a/b: two levels below the root. */
	CHECK_ERR(rs_parent(rootfd, "a/b/link", &p), 0);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "x"), 0);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "../../x"), 0);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "../../../x"),
		  PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "../..//./.."),
		  PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "x/../../.."), 0);
	/* x/.. is a/b again; three ups from there leave the root. */
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "x/../../../.."),
		  PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "/abs"),
		  PROTO_WASI_ENOTCAPABLE);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "..."), 0);
	rs_parent_close(&p);
	/* At the root itself nothing may go up. */
	CHECK_ERR(rs_parent(rootfd, "link", &p), 0);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, "."), 0);
	CHECK_ERR(rs_check_symlink_target(real, p.pfd, ".."),
		  PROTO_WASI_ENOTCAPABLE);
	rs_parent_close(&p);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Which calls skip the thread pool: never one that may wait on a
 * file system that is not local. */
static void test_nonblocking(void)
{
	struct mh_handle local = {.local = true}, remote = {.local = false};
	struct proto_msg in = {.nval = 3};
	struct fs_call c = {.in = &in, .h = {&remote}};
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	CHECK(fs_local(rootfd)); /* mkdtemp's: a disk or tmpfs here */
	CHECK(fd >= 0 && !fs_local(fd)); /* procfs is not on the list */
	close(fd);
	c.op = PROTO_OP_TELL;
	CHECK(fs_nonblocking(&c));
	c.op = PROTO_OP_FDSTAT_SET_FLAGS;
	CHECK(fs_nonblocking(&c));
	c.op = PROTO_OP_SEEK;
	in.val[2] = PROTO_WHENCE_CUR;
	CHECK(fs_nonblocking(&c));
	in.val[2] = PROTO_WHENCE_END; /* asks the file system for the size */
	CHECK(!fs_nonblocking(&c));
	c.op = PROTO_OP_FILESTAT_GET;
	CHECK(!fs_nonblocking(&c));
	c.h[0] = &local;
	CHECK(fs_nonblocking(&c));
	c.op = PROTO_OP_SEEK;
	CHECK(fs_nonblocking(&c));
	for (uint16_t op = 0; op < PROTO_OP_LIMIT; op++) {
		if (op == PROTO_OP_READ || op == PROTO_OP_WRITE ||
		    op == PROTO_OP_SYNC || op == PROTO_OP_OPEN ||
		    op == PROTO_OP_ADVISE || op == PROTO_OP_ALLOCATE ||
		    op == PROTO_OP_FILESTAT_SET_TIMES) {
			c.op = op;
			CHECK(!fs_nonblocking(&c));
		}
	}
}

int main(void)
{
	if (mkdtemp(root) == NULL) {
		printf("mkdtemp failed\n0 passed, 1 failed\n");
		return 1;
	}
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	th_run("errno table", test_errno_map);
	th_run("handle table", test_handles);
	th_run("path copies", test_copy_path);
	th_run("parent resolution", test_parent);
	th_run("symlink target depth", test_symlink_targets);
	th_run("calls on the loop thread", test_nonblocking);
	close(rootfd);
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return th_report();
}
