/*
 * sock_opt.c - WasmEdge's sock_setsockopt(fd, level, name, *value, len)
 * and sock_getsockopt(fd, level, name, *value, *len).
 *
 * WasmEdge (thirdparty/wasi/api.hpp, lib/host/wasi/wasifunc.cpp) takes
 * level SOL_SOCKET = 0 only and names 0..14: SO_REUSEADDR 0, SO_TYPE 1,
 * SO_ERROR 2, SO_DONTROUTE 3, SO_BROADCAST 4, SO_SNDBUF 5, SO_RCVBUF 6,
 * SO_KEEPALIVE 7, SO_OOBINLINE 8, SO_LINGER 9, SO_RCVLOWAT 10,
 * SO_RCVTIMEO 11, SO_SNDTIMEO 12, SO_ACCEPTCONN 13, SO_BINDTODEVICE 14;
 * anything else is EINVAL.  It hands the value bytes to Linux as they
 * are, so the layouts are Linux's: int options an i32, SO_LINGER
 * {i32 onoff, i32 seconds}, the timeouts a timeval {i64 sec, i64 usec}.
 * getsockopt stores at most *len bytes and the length used in *len;
 * SO_ERROR reads as a WASI errno and SO_TYPE as 1 (dgram) or 2 (stream).
 * Not provided here (ENOPROTOOPT): SO_DONTROUTE, SO_OOBINLINE,
 * SO_RCVLOWAT, SO_BINDTODEVICE.  Our one extension: level 6
 * (IPPROTO_TCP) name 1, TCP_NODELAY.
 */
#include <errno.h>

#include "sock.h"

#define SOL_LEVEL   0
#define TCP_LEVEL   6
#define TCP_NODELAY 1
#define SO_NAMES    15

#define SO_RCVTIMEO_ 11

/* How a name's value is laid out. */
enum opt_kind { K_NONE, K_INT, K_LINGER, K_TIMEO };

static const struct {
	int8_t opt; /* enum sock_opt, or -1 */
	uint8_t kind;
	uint8_t settable;
} so[SO_NAMES] = {
    {SOCK_OPT_REUSEADDR, K_INT, 1},
    {SOCK_OPT_TYPE, K_INT, 0},
    {SOCK_OPT_ERROR, K_INT, 0},
    {-1, K_NONE, 0},
    {SOCK_OPT_BROADCAST, K_INT, 1},
    {SOCK_OPT_SNDBUF, K_INT, 1},
    {SOCK_OPT_RCVBUF, K_INT, 1},
    {SOCK_OPT_KEEPALIVE, K_INT, 1},
    {-1, K_NONE, 0},
    {SOCK_OPT_LINGER, K_LINGER, 1},
    {-1, K_NONE, 0},
    {-1, K_TIMEO, 1},
    {-1, K_TIMEO, 1},
    {SOCK_OPT_ACCEPTCONN, K_INT, 0},
    {-1, K_NONE, 0},
};

/* The entry for (level, name): index into so[], SO_NAMES for
 * TCP_NODELAY, -EINVAL for what WasmEdge refuses. */
static int opt_index(int32_t level, int32_t name)
{
	if (level == TCP_LEVEL && name == TCP_NODELAY)
		return SO_NAMES;
	if (level != SOL_LEVEL || (uint32_t)name >= SO_NAMES)
		return -EINVAL;
	return name;
}

static uint64_t *timeo_of(struct wasi_fd *f, int name)
{
	return name == SO_RCVTIMEO_ ? &sock_file(f)->rcvtimeo_ns
				    : &sock_file(f)->sndtimeo_ns;
}

/* Value bytes v (len) to the int a backend takes, or -EINVAL (Linux:
 * shorter than the option's layout). */
static int set_value(int kind, const uint8_t *v, uint32_t len, int32_t *val)
{
	if (len < (kind == K_LINGER ? 8u : 4u))
		return -EINVAL;
	*val = (int32_t)wasi_get_u32(v, 0);
	if (kind == K_LINGER)
		*val = *val ? (int32_t)wasi_get_u32(v, 4) : -1;
	return 0;
}

static int set_timeo(struct wasi_fd *f, int name, const uint8_t *v,
		     uint32_t len)
{
	int64_t sec, usec;

	if (len < 16)
		return -EINVAL;
	sec = (int64_t)wasi_get_u64(v, 0);
	usec = (int64_t)wasi_get_u64(v, 8);
	if (usec < 0 || usec >= 1000000)
		return -EDOM; /* as Linux */
	if (sec < 0) {	      /* Linux: a negative timeout is "do not wait" */
		*timeo_of(f, name) = 1;
		return 0;
	}
	if ((uint64_t)sec > UINT64_MAX / 1000000000u - 1)
		sec = (int64_t)(UINT64_MAX / 1000000000u - 1);
	/* 0 (both zero) is "wait forever", as on Linux */
	*timeo_of(f, name) =
	    (uint64_t)sec * 1000000000u + (uint64_t)usec * 1000u;
	return 0;
}

int32_t wasi_sock_setsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t len)
    WASI_IMPORT(sock_setsockopt);
int32_t wasi_sock_setsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t len)
{
	int32_t werr, val;
	struct wasi_fd *f;
	const uint8_t *v;
	int i = opt_index(level, name), rc;

	if (i < 0)
		return WASI_EINVAL;
	v = wasi_mem((uint32_t)valp, (uint32_t)len);
	if (!v)
		return WASI_EFAULT;
	f = sock_arg(fd, 0, &werr);
	if (!f)
		return werr;
	if (i == SO_NAMES) {
		rc = set_value(K_INT, v, (uint32_t)len, &val);
		if (rc == 0)
			rc = sock_backend_get()->setsockopt(
			    sock_sk(f), SOCK_OPT_NODELAY, val);
		return wasi_errno(rc);
	}
	if (!so[i].settable)
		return WASI_ENOPROTOOPT;
	if (so[i].kind == K_TIMEO)
		return wasi_errno(set_timeo(f, i, v, (uint32_t)len));
	rc = set_value(so[i].kind, v, (uint32_t)len, &val);
	if (rc == 0)
		rc = sock_backend_get()->setsockopt(
		    sock_sk(f), (enum sock_opt)so[i].opt, val);
	return wasi_errno(rc);
}

/* The option's value in its layout into out: its length, or -errno. */
static int get_value(struct wasi_fd *f, int i, uint8_t out[16])
{
	enum sock_opt o =
	    i == SO_NAMES ? SOCK_OPT_NODELAY : (enum sock_opt)so[i].opt;
	int kind = i == SO_NAMES ? K_INT : so[i].kind;
	int32_t val = 0;
	int rc;

	if (kind == K_TIMEO) {
		uint64_t ns = *timeo_of(f, i);

		wasi_put_u64(out, 0, ns / 1000000000u);
		wasi_put_u64(out, 8, ns % 1000000000u / 1000u);
		return 16;
	}
	if (kind == K_NONE)
		return -ENOPROTOOPT;
	rc = sock_backend_get()->getsockopt(sock_sk(f), o, &val);
	if (rc < 0)
		return rc;
	if (kind == K_LINGER) {
		wasi_put_u32(out, 0, val >= 0);
		wasi_put_u32(out, 4, (uint32_t)(val >= 0 ? val : 0));
		return 8;
	}
	/* SO_ERROR reads as a WASI errno, as WasmEdge reports it. */
	if (o == SOCK_OPT_ERROR && val)
		val = wasi_errno(-val);
	wasi_put_u32(out, 0, (uint32_t)val);
	return 4;
}

int32_t wasi_sock_getsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t lenp)
    WASI_IMPORT(sock_getsockopt);
int32_t wasi_sock_getsockopt(int32_t fd, int32_t level, int32_t name,
			     int32_t valp, int32_t lenp)
{
	int32_t werr;
	struct wasi_fd *f;
	const uint8_t *lp;
	uint8_t *v, out[16];
	uint32_t len;
	int i = opt_index(level, name), n;

	if (i < 0)
		return WASI_EINVAL;
	lp = wasi_mem((uint32_t)lenp, 4);
	if (!lp)
		return WASI_EFAULT;
	len = wasi_get_u32(lp, 0);
	v = wasi_mem((uint32_t)valp, len);
	if (!v)
		return WASI_EFAULT;
	f = sock_arg(fd, 0, &werr);
	if (!f)
		return werr;
	n = get_value(f, i, out);
	if (n < 0)
		return wasi_errno(n);
	if (len > (uint32_t)n)
		len = (uint32_t)n; /* Linux truncates to the buffer */
	memcpy(v, out, len);
	return wasi_errno(wasi_store_u32((uint32_t)lenp, len));
}
