/*
 * Suite host-escape: the confinement corpus.  Every attempt to reach
 * outside the share ("..", absolute paths, symlinks out and in loops,
 * rename/link/symlink targets outside, very long paths, embedded NUL, a
 * symlink swapped concurrently) fails with the errno given here, and a
 * snapshot of everything outside the shares is unchanged at the end.
 * argv[1] is the daemon binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tc.h"
#include "th.h"

#define FOLLOW PROTO_LOOKUP_SYMLINK_FOLLOW
#define NOTCAP PROTO_WASI_ENOTCAPABLE

static struct th_env env;
static struct tc cl;
static uint32_t D;

static char *hpath(const char *rel)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	return (char *)th_join(buf[i], sizeof(buf[i]), env.share, rel);
}

static char *opath(const char *rel)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	return (char *)th_join(buf[i], sizeof(buf[i]), env.outside, rel);
}

/* --- snapshot of everything but the writable shares --- */

#define SNAP_MAX 256
struct snap_ent {
	char path[512];
	mode_t mode;
	off_t size;
	struct timespec mtim;
	uint64_t sum;
};
static struct snap_ent snap_a[SNAP_MAX], snap_b[SNAP_MAX], *snap_cur;
static int snap_n;
static size_t root_len;

static uint64_t file_sum(const char *path)
{
	uint8_t buf[4096];
	uint64_t h = 1469598103934665603ull;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ull;
	}
	close(fd);
	return h;
}

static int snap_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	const char *rel = path + root_len;

	(void)flag;
	(void)ftw;
	/* The writable shares change by design; the socket is ours. */
	if (strncmp(rel, "/share", 6) == 0 || strcmp(rel, "/sock") == 0)
		return 0;
	if (snap_n >= SNAP_MAX)
		return 1;
	struct snap_ent *e = &snap_cur[snap_n++];

	snprintf(e->path, sizeof(e->path), "%s", rel);
	e->mode = st->st_mode;
	e->size = st->st_size;
	e->mtim = st->st_mtim;
	e->sum = S_ISREG(st->st_mode) ? file_sum(path) : 0;
	return 0;
}

static int snapshot(struct snap_ent *into)
{
	snap_cur = into;
	snap_n = 0;
	root_len = strlen(env.root);
	nftw(env.root, snap_one, 16, FTW_PHYS);
	return snap_n;
}

static int snap_count_a;

static void make_corpus(void)
{
	/* Outside: a secret, a directory, a file whose times we watch. */
	th_write_file(opath("secret"), "SECRET", 6);
	mkdir(opath("odir"), 0755);
	th_write_file(opath("odir/f"), "OUT", 3);
	/* Inside: links that point out, and loops. */
	symlink(env.outside, hpath("esc_abs"));
	symlink("../outside", hpath("esc_rel"));
	symlink("../outside/secret", hpath("esc_file"));
	symlink("/", hpath("esc_root"));
	symlink("loop2", hpath("loop1"));
	symlink("loop1", hpath("loop2"));
	symlink("self", hpath("self"));
	mkdir(hpath("in"), 0755);
	th_write_file(hpath("in/secret"), "INSIDE", 6);
	symlink("../../outside", hpath("in/deep_esc"));
	th_write_file(hpath("file"), "file", 4);
	snap_count_a = snapshot(snap_a);
}

static void test_dotdot_and_absolute(void)
{
	uint32_t h;
	struct proto_msg st;
	static const char *const paths[] = {
	    "..",
	    "../outside/secret",
	    "in/../../outside/secret",
	    "in/../..",
	    "./../outside",
	    "/",
	    "/etc/passwd",
	    "//etc",
	    "in/../../share/file",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		CHECK_ERR(
		    tc_openat(&cl, D, FOLLOW, paths[i], 0, TC_RO_FILE, 0, &h),
		    NOTCAP);
		CHECK_ERR(tc_stat(&cl, D, FOLLOW, paths[i], &st), NOTCAP);
		CHECK_ERR(tc_stat(&cl, D, 0, paths[i], &st), NOTCAP);
	}
	/* ".." that stays inside is fine. */
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "in/..", &st), 0);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "in/../file", &st), 0);
}

static void test_symlinks_out(void)
{
	uint32_t h;
	struct proto_msg st, in;
	static const char *const paths[] = {
	    "esc_abs/secret", "esc_rel/secret",
	    "esc_file",	      "esc_root/etc",
	    "esc_abs",	      "esc_abs/",
	    "esc_rel/",	      "in/deep_esc/secret",
	    "esc_root",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		CHECK_ERR(
		    tc_openat(&cl, D, FOLLOW, paths[i], 0, TC_RO_FILE, 0, &h),
		    NOTCAP);
		CHECK_ERR(tc_stat(&cl, D, FOLLOW, paths[i], &st), NOTCAP);
		in = tc_msg(TC_V(D, FOLLOW, 0, 0,
				 PROTO_FST_ATIM_NOW | PROTO_FST_MTIM_NOW),
			    TC_S(paths[i]));
		CHECK_ERR(
		    tc_call(&cl, PROTO_OP_PATH_FILESTAT_SET_TIMES, &in, NULL),
		    NOTCAP);
	}
	/* Without FOLLOW the last link itself is inside: fine to stat,
	 * and to read. */
	CHECK_ERR(tc_stat(&cl, D, 0, "esc_abs", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_SYMLINK);
	char buf[256];

	CHECK_ERR(tc_readlink(&cl, D, "esc_rel", buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "../outside") == 0);
	CHECK_ERR(tc_readlink(&cl, D, "esc_abs/secret", buf, sizeof(buf)),
		  NOTCAP);
	/* Creating with O_CREAT through a link out. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "esc_rel/new", PROTO_O_CREAT,
			    TC_RW_FILE, 0, &h),
		  NOTCAP);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "esc_file",
			    PROTO_O_CREAT | PROTO_O_TRUNC, TC_RW_FILE, 0, &h),
		  NOTCAP);
	/* Directory ops whose parent walks out. */
	CHECK_ERR(
	    tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, "esc_abs/newdir"),
	    NOTCAP);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "esc_rel/secret"),
		  NOTCAP);
	CHECK_ERR(
	    tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, "esc_abs/odir"),
	    NOTCAP);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D, ".."),
		  NOTCAP);
	CHECK_ERR(
	    tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "../outside/secret"),
	    NOTCAP);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, "/tmp/x"),
		  NOTCAP);
	/* Readdir of a link out. */
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "esc_abs", PROTO_O_DIRECTORY,
			    PROTO_R_FD_READDIR, 0, &h),
		  NOTCAP);
	/* Removing the link itself is allowed and leaves the target. */
	CHECK_ERR(tc_symlink(&cl, "in", D, "tmp_link"), 0);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "tmp_link"), 0);
}

static void test_loops(void)
{
	uint32_t h;
	struct proto_msg st;

	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "loop1", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ELOOP);
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "self", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ELOOP);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "loop2", &st), PROTO_WASI_ELOOP);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, "self/x", &st), PROTO_WASI_ELOOP);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, "loop1/d"),
		  PROTO_WASI_ELOOP);
	CHECK_ERR(tc_openat(&cl, D, 0, "loop1", 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ELOOP);
	/* The loop link itself can be looked at. */
	CHECK_ERR(tc_stat(&cl, D, 0, "loop1", &st), 0);
}

static void test_targets_outside(void)
{
	/* rename and link: both ends are confined. */
	CHECK_ERR(tc_rename(&cl, D, "file", D, "../outside/stolen"), NOTCAP);
	CHECK_ERR(tc_rename(&cl, D, "file", D, "esc_abs/stolen"), NOTCAP);
	CHECK_ERR(tc_rename(&cl, D, "file", D, "/tmp/stolen"), NOTCAP);
	CHECK_ERR(tc_rename(&cl, D, "../outside/secret", D, "got"), NOTCAP);
	CHECK_ERR(tc_rename(&cl, D, "esc_rel/secret", D, "got"), NOTCAP);
	CHECK_ERR(tc_rename(&cl, D, "file", D, "esc_file"), 0);
	/* That replaced the link, not its target; put things back. */
	CHECK_ERR(tc_rename(&cl, D, "esc_file", D, "file"), 0);
	CHECK(symlink("../outside/secret", hpath("esc_file")) == 0);
	CHECK_ERR(tc_link(&cl, D, 0, "file", D, "../outside/hl"), NOTCAP);
	CHECK_ERR(tc_link(&cl, D, 0, "file", D, "esc_rel/hl"), NOTCAP);
	CHECK_ERR(tc_link(&cl, D, 0, "../outside/secret", D, "hl"), NOTCAP);
	CHECK_ERR(tc_link(&cl, D, 0, "esc_abs/secret", D, "hl"), NOTCAP);
	CHECK_ERR(tc_link(&cl, D, FOLLOW, "esc_file", D, "hl"), NOTCAP);
	CHECK(access(hpath("hl"), F_OK) != 0);
	/* A hard link of the link itself stays a link (inside). */
	CHECK_ERR(tc_link(&cl, D, 0, "esc_file", D, "hl_link"), 0);
	struct proto_msg st;

	CHECK_ERR(tc_stat(&cl, D, 0, "hl_link", &st), 0);
	CHECK_EQ(st.val[TC_ST_TYPE], PROTO_FT_SYMLINK);
	/* symlink: targets that would resolve outside are refused at
	 * creation; ones that stay inside are fine. */
	CHECK_ERR(tc_symlink(&cl, "/etc/passwd", D, "s1"), NOTCAP);
	CHECK_ERR(tc_symlink(&cl, "../outside/secret", D, "s2"), NOTCAP);
	CHECK_ERR(tc_symlink(&cl, "in/../../outside", D, "s3"), NOTCAP);
	CHECK_ERR(tc_symlink(&cl, "..", D, "s4"), NOTCAP);
	CHECK_ERR(tc_symlink(&cl, "../../outside", D, "in/s5"), NOTCAP);
	CHECK_ERR(tc_symlink(&cl, "x", D, "../outside/s6"), NOTCAP);
	CHECK_ERR(tc_symlink(&cl, "x", D, "esc_abs/s7"), NOTCAP);
	CHECK_ERR(tc_symlink(&cl, "../file", D, "in/ok1"), 0);
	CHECK_ERR(tc_symlink(&cl, "in/../file", D, "ok2"), 0);
	CHECK_ERR(tc_symlink(&cl, "./in//secret", D, "ok3"), 0);
	char buf[64];
	size_t n;

	CHECK_ERR(tc_slurp(&cl, D, "in/ok1", buf, sizeof(buf), &n), 0);
	CHECK(n == 4 && memcmp(buf, "file", 4) == 0);
	CHECK_ERR(tc_slurp(&cl, D, "ok3", buf, sizeof(buf), &n), 0);
	CHECK(n == 6 && memcmp(buf, "INSIDE", 6) == 0);
	/* A link that is fine where it is made, then moved up so that it
	 * would point out: it still cannot be followed out. */
	CHECK_ERR(tc_symlink(&cl, "../../share/file", D, "in/s8"), NOTCAP);
	CHECK(mkdir(hpath("in/d2"), 0755) == 0);
	CHECK_ERR(tc_symlink(&cl, "../../file", D, "in/d2/up2"), 0);
	CHECK_ERR(tc_rename(&cl, D, "in/d2/up2", D, "moved_up"), 0);
	uint32_t h;

	CHECK_ERR(tc_openat(&cl, D, FOLLOW, "moved_up", 0, TC_RO_FILE, 0, &h),
		  NOTCAP);
}

static void test_long_and_nul(void)
{
	static char longp[5000], comp[400], deep[4000];
	uint32_t h;
	struct proto_msg st, in;

	for (size_t i = 0; i + 2 < sizeof(longp); i += 2)
		memcpy(longp + i, "a/", 2);
	longp[sizeof(longp) - 1] = 0;
	memset(comp, 'c', sizeof(comp) - 1);
	for (size_t i = 0; i + 2 < sizeof(deep); i += 2)
		memcpy(deep + i, "x/", 2);
	deep[sizeof(deep) - 1] = 0;
	CHECK_ERR(tc_openat(&cl, D, FOLLOW, longp, 0, TC_RO_FILE, 0, &h),
		  PROTO_WASI_ENAMETOOLONG);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, longp, &st), PROTO_WASI_ENAMETOOLONG);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, longp),
		  PROTO_WASI_ENAMETOOLONG);
	CHECK_ERR(tc_symlink(&cl, longp, D, "sl"), PROTO_WASI_ENAMETOOLONG);
	CHECK_ERR(
	    tc_openat(&cl, D, FOLLOW, comp, PROTO_O_CREAT, TC_RW_FILE, 0, &h),
	    PROTO_WASI_ENAMETOOLONG);
	CHECK_ERR(tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D, comp),
		  PROTO_WASI_ENAMETOOLONG);
	CHECK_ERR(tc_stat(&cl, D, FOLLOW, deep, &st), PROTO_WASI_ENOENT);
	/* Embedded NUL: refused whole, never cut at the NUL. */
	static const char nul_path[] = "file\0/../../outside/secret";
	struct proto_str s = {(const uint8_t *)nul_path, sizeof(nul_path) - 1};

	in = tc_msg(TC_V(D, FOLLOW, 0, TC_RO_FILE, 0, 0), TC_S0);
	in.str[0] = s;
	in.nstr = 1;
	CHECK_ERR(tc_call(&cl, PROTO_OP_OPEN, &in, NULL), PROTO_WASI_EINVAL);
	in = tc_msg(TC_V(D), TC_S0);
	in.str[0] = s;
	in.nstr = 1;
	CHECK_ERR(tc_call(&cl, PROTO_OP_PATH_UNLINK_FILE, &in, NULL),
		  PROTO_WASI_EINVAL);
	CHECK(access(hpath("file"), F_OK) == 0);
	in = tc_msg(TC_V(D), TC_S("x"));
	in.str[1] = s;
	in.nstr = 2;
	CHECK_ERR(tc_call(&cl, PROTO_OP_PATH_SYMLINK, &in, NULL),
		  PROTO_WASI_EINVAL);
}

/*
 * A host process swaps share/race between a directory inside and one
 * outside, as fast as it can, while the client opens, stats, creates and
 * times things through it.  Every answer must be about the inside
 * directory or an error; nothing outside may change.
 */
static void swapper(void)
{
	char tmp[512], race[512];

	snprintf(race, sizeof(race), "%s", hpath("race"));
	snprintf(tmp, sizeof(tmp), "%s", hpath("race.tmp"));
	for (unsigned i = 0;; i++) {
		unlink(tmp);
		if (symlink(i & 1 ? env.outside : "in", tmp) == 0)
			rename(tmp, race);
	}
}

static void test_race(void)
{
	struct stat in_st;
	pid_t pid;
	int inside = 0, refused = 0, other = 0, leaked = 0;

	CHECK(stat(hpath("in/secret"), &in_st) == 0);
	CHECK(symlink("in", hpath("race")) == 0);
	pid = fork();
	if (pid == 0) {
		swapper();
		_exit(0);
	}
	for (int i = 0; i < 1500; i++) {
		char buf[16];
		size_t n;
		struct proto_msg st, in;
		uint32_t r;

		r = tc_slurp(&cl, D, "race/secret", buf, sizeof(buf), &n);
		if (r == 0) {
			if (n == 6 && memcmp(buf, "INSIDE", 6) == 0)
				inside++;
			else
				leaked++;
		} else if (r == NOTCAP || r == PROTO_WASI_EAGAIN) {
			refused++;
		} else {
			other++;
		}
		r = tc_stat(&cl, D, FOLLOW, "race/secret", &st);
		if (r == 0 && st.val[TC_ST_INO] != (uint64_t)in_st.st_ino)
			leaked++;
		r = tc_stat(&cl, D, FOLLOW, "race/odir", &st);
		if (r == 0)
			leaked++;
		if (tc_path1(&cl, PROTO_OP_PATH_CREATE_DIRECTORY, D,
			     "race/made") == 0)
			tc_path1(&cl, PROTO_OP_PATH_REMOVE_DIRECTORY, D,
				 "race/made");
		in = tc_msg(TC_V(D, FOLLOW, 0, 0, PROTO_FST_MTIM_NOW),
			    TC_S("race/secret"));
		tc_call(&cl, PROTO_OP_PATH_FILESTAT_SET_TIMES, &in, NULL);
		tc_symlink(&cl, "x", D, "race/lnk");
		tc_path1(&cl, PROTO_OP_PATH_UNLINK_FILE, D, "race/lnk");
		tc_rename(&cl, D, "race/secret", D, "race/secret");
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("  race: %d inside, %d refused, %d other\n", inside, refused,
	       other);
	CHECK_EQ(leaked, 0);
	CHECK(inside > 0); /* the inside side was reachable at all */
	CHECK_EQ(other, 0);
}

static void test_outside_unchanged(void)
{
	int n = snapshot(snap_b);

	CHECK_EQ(n, snap_count_a);
	for (int i = 0; i < n && i < snap_count_a; i++) {
		struct snap_ent *a = &snap_a[i], *b = &snap_b[i];
		bool same =
		    strcmp(a->path, b->path) == 0 && a->mode == b->mode &&
		    a->size == b->size && a->mtim.tv_sec == b->mtim.tv_sec &&
		    a->mtim.tv_nsec == b->mtim.tv_nsec && a->sum == b->sum;

		if (!same)
			fprintf(stderr, "  changed: %s\n", a->path);
		CHECK(same);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: host_escape MEWZ-HOST\n");
		return 2;
	}
	alarm(500);
	if (th_env_start(&env, argv[1], NULL) != 0 ||
	    tc_open_session(&cl, env.sock, PROTO_FRAME_MAX) != 0) {
		printf("daemon did not start\n0 passed, 1 failed\n");
		th_env_clean(&env);
		return 1;
	}
	D = cl.pre[0].handle;
	make_corpus();
	th_run("'..' and absolute paths", test_dotdot_and_absolute);
	th_run("symlinks pointing out", test_symlinks_out);
	th_run("symlink loops", test_loops);
	th_run("rename/link/symlink targets outside", test_targets_outside);
	th_run("very long paths and embedded NUL", test_long_and_nul);
	th_run("concurrently swapped symlink", test_race);
	th_run("nothing outside the shares changed", test_outside_unchanged);
	tc_close(&cl);
	th_run_result("clean shutdown on SIGTERM",
		      th_env_stop_daemon(&env) == 0);
	th_env_clean(&env);
	return th_report();
}
