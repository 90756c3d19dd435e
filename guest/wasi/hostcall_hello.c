/*
 * hostcall_hello.c - what HELLO's reply gives the runtime besides limits:
 * the preopens (fds 3, 4, ...), the host's args and environment, and the
 * host's wall-clock time.
 *
 * Precedence of args and environment: what the platform got itself (the
 * kernel command line in the VM, the process's argv and environ on Linux)
 * wins.  The host's lists are used only when the platform gave none: no
 * arguments besides argv[0] (the host's args then follow the platform's
 * argv[0]), or an empty environment.  Each list is taken or left whole,
 * never merged.
 *
 * Realtime: the host's clock is the reference.  If the platform's
 * realtime differs from the host's by more than the HELLO round trip (the
 * measurement's own uncertainty), every later realtime reading is shifted
 * by the difference; otherwise it is left exactly as the platform reads it.
 */
#include <errno.h>
#include <stdlib.h>

#include <mewz/plat.h>

#include "hostcall.h"
#include "wasi.h"

static int64_t realtime_offset;

static struct mewz_plat_args merged;
static const char **host_args, **host_env;
static size_t host_argc, host_envc;

uint64_t wasi_realtime_ns(void)
{
	return mewz_plat_realtime_ns() + (uint64_t)realtime_offset;
}

/* The host's reading was taken about half a round trip ago. */
static void realtime_apply(uint64_t host_ns, uint64_t rtt_ns)
{
	uint64_t now = mewz_plat_realtime_ns();
	int64_t diff = (int64_t)(host_ns + rtt_ns / 2 - now);
	uint64_t mag = diff < 0 ? (uint64_t)-diff : (uint64_t)diff;

	realtime_offset = mag > rtt_ns ? diff : 0;
}

/* A NUL-terminated copy of a wire string (which may hold anything). */
static char *str_dup(struct proto_str s)
{
	char *p = malloc((size_t)s.len + 1);

	if (!p)
		return NULL;
	memcpy(p, s.p, s.len);
	p[s.len] = 0;
	return p;
}

/*
 * A list string: u32 count, then count strings.  (*out)[0] is left free
 * (argv[0] goes there) and the strings follow from (*out)[1].
 */
static int list_read(struct proto_str list, const char ***out, size_t *n)
{
	struct proto_cur c;
	uint32_t count, i;
	const char **v;

	proto_cur_init(&c, list.p, list.len);
	count = proto_get_u32(&c);
	/* Each entry takes at least its 4-byte length. */
	if (c.bad || count > list.len / 4)
		return -EPROTO;
	v = calloc((size_t)count + 2, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		struct proto_str s = proto_get_str(&c);

		if (c.bad)
			return -EPROTO;
		if (!(v[i + 1] = str_dup(s)))
			return -ENOMEM;
	}
	if (!proto_cur_done(&c))
		return -EPROTO;
	*out = v;
	*n = count;
	return 0;
}

static int preopen_install(const struct proto_preopen *p)
{
	struct wasi_fd f = {
	    .kind = WASI_FD_HOST_DIR,
	    .filetype = WASI_FILETYPE_DIRECTORY,
	    .rights_base = p->rights_base,
	    .rights_inheriting = p->rights_inheriting,
	    .ops = &wasi_host_dir_ops,
	    .handle = p->handle,
	};
	char *path = str_dup(p->path);
	int fd;

	if (!path)
		return -ENOMEM;
	f.preopen = path;
	f.preopen_len = p->path.len;
	fd = fdt_install(&f);
	if (fd < 0)
		free(path);
	return fd < 0 ? fd : 0;
}

static int preopens_read(struct proto_str list)
{
	struct proto_cur c;
	uint32_t count, i;

	proto_cur_init(&c, list.p, list.len);
	count = proto_get_u32(&c);
	for (i = 0; i < count && !c.bad; i++) {
		struct proto_preopen p;
		int rc;

		if (!proto_get_preopen(&c, &p))
			return -EPROTO;
		rc = preopen_install(&p);
		if (rc < 0)
			return rc;
	}
	return proto_cur_done(&c) ? 0 : -EPROTO;
}

int hostcall_hello_apply(const struct proto_msg *resp, uint64_t rtt_ns)
{
	int rc;

	realtime_apply(resp->val[3], rtt_ns);
	rc = list_read(resp->str[1], &host_args, &host_argc);
	if (rc == 0)
		rc = list_read(resp->str[2], &host_env, &host_envc);
	if (rc == 0)
		rc = preopens_read(resp->str[0]);
	return rc;
}

/* The platform's lists, or the host's where the platform has none. */
const struct mewz_plat_args *wasi_args(void)
{
	const struct mewz_plat_args *p = mewz_plat_args();

	merged = *p;
	if (p->argc <= 1 && host_argc) {
		host_args[0] = p->argc ? p->argv[0] : "app";
		merged.argc = host_argc + 1;
		merged.argv = host_args;
	}
	if (p->envc == 0 && host_envc) {
		merged.envc = host_envc;
		merged.envp = host_env + 1;
	}
	return &merged;
}
