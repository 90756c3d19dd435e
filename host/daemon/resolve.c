/* Confinement below a share root; see resolve.h for the contract. */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errno_map.h"
#include "fd_sync.h"

#ifdef MH_FD_SYNC_TSAN
pthread_mutex_t mh_fd_sync_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

/* openat2 may fail with EAGAIN when a rename raced the walk; the kernel
 * asks us to retry.  A guest renaming in a loop could make that repeat,
 * so the retries are bounded and the guest then sees AGAIN. */
#define RS_RETRIES 8

uint32_t rs_copy_path(const struct proto_str *s, char **out)
{
	*out = NULL;
	if (s->len == 0)
		return PROTO_WASI_ENOENT;
	if (s->len > PROTO_PATH_MAX)
		return PROTO_WASI_ENAMETOOLONG;
	if (memchr(s->p, 0, s->len) != NULL)
		return PROTO_WASI_EINVAL;
	char *p = malloc(s->len + 1);

	if (p == NULL)
		return PROTO_WASI_ENOMEM;
	memcpy(p, s->p, s->len);
	p[s->len] = 0;
	*out = p;
	return 0;
}

static uint32_t rs_errno(int e)
{
	/* RESOLVE_BENEATH reports an escape as EXDEV: to the guest that is
	 * a missing capability, as in other WASI hosts. */
	if (e == EXDEV)
		return PROTO_WASI_ENOTCAPABLE;
	return mh_wasi_errno(e);
}

uint32_t rs_open(int dirfd, const char *path, int flags, mode_t mode, int *fd)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC);
	how.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	*fd = -1;
	for (int i = 0; i < RS_RETRIES; i++) {
		long r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

		if (r >= 0) {
			mh_fd_opened();
			*fd = (int)r;
			return 0;
		}
		if (errno != EAGAIN)
			return rs_errno(errno);
	}
	return PROTO_WASI_EAGAIN;
}

uint32_t rs_parent(int dirfd, const char *path, struct rs_parent *p)
{
	size_t len = strlen(path);

	p->pfd = -1;
	p->slash = false;
	p->dot = false;
	p->last[0] = 0;
	while (len > 0 && path[len - 1] == '/') {
		len--;
		p->slash = true;
	}
	if (len == 0) /* "/" and "///": the root of the host */
		return PROTO_WASI_ENOTCAPABLE;

	size_t start = len;

	while (start > 0 && path[start - 1] != '/')
		start--;
	if (len - start >= sizeof(p->last))
		return PROTO_WASI_ENAMETOOLONG;
	memcpy(p->last, path + start, len - start);
	p->last[len - start] = 0;
	p->dot = strcmp(p->last, ".") == 0 || strcmp(p->last, "..") == 0;

	/* The parent keeps its own trailing slashes; "a//b" gives "a/". */
	char *parent = strndup(path, start);

	if (parent == NULL)
		return PROTO_WASI_ENOMEM;
	uint32_t err = rs_open(dirfd, start ? parent : ".",
			       O_PATH | O_DIRECTORY, 0, &p->pfd);

	free(parent);
	if (err || !p->dot)
		return err;
	/* "." and ".." name a directory the caller will not touch by
	 * name; still, a ".." that leaves the share is an escape. */
	int fd;

	err = rs_open(dirfd, path, O_PATH | O_DIRECTORY, 0, &fd);
	if (err) {
		rs_parent_close(p);
		return err;
	}
	close(fd);
	return 0;
}

void rs_parent_close(struct rs_parent *p)
{
	if (p->pfd >= 0)
		close(p->pfd);
	p->pfd = -1;
}

/* Components of the real path of pfd below root, or -1. */
static int rs_depth(const char *root, int pfd)
{
	char link[64], real[PATH_MAX + 1];

	snprintf(link, sizeof(link), "/proc/self/fd/%d", pfd);
	ssize_t n = readlink(link, real, PATH_MAX);

	if (n < 0)
		return -1;
	real[n] = 0;

	size_t rl = strlen(root);

	if (strncmp(real, root, rl) != 0)
		return -1;
	if (strcmp(root, "/") == 0)
		rl = 0;
	if (real[rl] != 0 && real[rl] != '/')
		return -1;

	int depth = 0;

	for (const char *s = real + rl; *s; s++) {
		if (*s == '/' && s[1] != 0 && s[1] != '/')
			depth++;
	}
	return depth;
}

uint32_t rs_check_symlink_target(const char *root, int pfd, const char *target)
{
	if (target[0] == '/')
		return PROTO_WASI_ENOTCAPABLE;

	int depth = rs_depth(root, pfd);

	if (depth < 0)
		return PROTO_WASI_ENOTCAPABLE;
	/* Walk the target by name; intermediate symlinks cannot be judged
	 * here, but resolution is confined by openat2 anyway. */
	const char *s = target;

	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (--depth < 0)
				return PROTO_WASI_ENOTCAPABLE;
		} else if (n != 0 && !(n == 1 && s[0] == '.')) {
			depth++;
		}
		s += n;
		while (*s == '/')
			s++;
	}
	return 0;
}
