/*
 * wasi.h - internals shared by the files of the WASI layer: the errno
 * mapping, checked access to linear memory, and the fd table.
 *
 * Inside the layer every fallible function returns 0 (or a count) or a
 * negative <errno.h> value; only the ABI-edge functions (those with a
 * "wasi_snapshot_preview1.*" asm label) convert to WASI errno, through
 * wasi_errno().  The layer is platform-neutral: it includes only libc,
 * mewz/abi.h and mewz/plat.h.
 */
#ifndef MEWZ_WASI_H
#define MEWZ_WASI_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wasi_abi.h"

/* Names an ABI-edge function by its import symbol. */
#define WASI_IMPORT(name) __asm__("wasi_snapshot_preview1." #name)

/*
 * WASI's ENOTCAPABLE has no <errno.h> counterpart; this private value is
 * above every errno newlib or Linux defines.
 */
#define MEWZ_ENOTCAPABLE 4076

/* 0 or a negative errno -> WASI errno.  Unknown values become EIO. */
uint16_t wasi_errno(int neg_errno);

/* ---- linear memory ---------------------------------------------------- */

extern uint8_t *__wasm_memory_base;
extern uint64_t __wasm_memory_size;

/*
 * The host address of guest bytes [ptr, ptr + len), or NULL when any of
 * them lies outside the current memory size (the caller returns EFAULT).
 * Every pointer a program passes goes through here before it is touched.
 */
static inline void *wasi_mem(uint32_t ptr, uint64_t len)
{
	if ((uint64_t)ptr + len > __wasm_memory_size)
		return NULL;
	return __wasm_memory_base + ptr;
}

/* Unaligned little-endian stores and loads on checked host pointers. */
static inline void wasi_put_u8(void *p, size_t off, uint8_t v)
{
	memcpy((uint8_t *)p + off, &v, 1);
}
static inline void wasi_put_u16(void *p, size_t off, uint16_t v)
{
	memcpy((uint8_t *)p + off, &v, 2);
}
static inline void wasi_put_u32(void *p, size_t off, uint32_t v)
{
	memcpy((uint8_t *)p + off, &v, 4);
}
static inline void wasi_put_u64(void *p, size_t off, uint64_t v)
{
	memcpy((uint8_t *)p + off, &v, 8);
}
static inline uint8_t wasi_get_u8(const void *p, size_t off)
{
	uint8_t v;
	memcpy(&v, (const uint8_t *)p + off, 1);
	return v;
}
static inline uint16_t wasi_get_u16(const void *p, size_t off)
{
	uint16_t v;
	memcpy(&v, (const uint8_t *)p + off, 2);
	return v;
}
static inline uint32_t wasi_get_u32(const void *p, size_t off)
{
	uint32_t v;
	memcpy(&v, (const uint8_t *)p + off, 4);
	return v;
}
static inline uint64_t wasi_get_u64(const void *p, size_t off)
{
	uint64_t v;
	memcpy(&v, (const uint8_t *)p + off, 8);
	return v;
}

/* Store a u32/u64 result at a guest pointer: 0 or -EFAULT. */
int wasi_store_u32(uint32_t ptr, uint32_t v);
int wasi_store_u64(uint32_t ptr, uint64_t v);

/* ---- the fd table ----------------------------------------------------- */

/* One checked buffer of an iovec list, as host memory. */
struct wasi_iov {
	void *base;
	size_t len;
};

/* The bytes an iovec list holds. */
static inline size_t wasi_iov_total(const struct wasi_iov *iov, size_t n)
{
	size_t t = 0;

	for (size_t i = 0; i < n; i++)
		t += iov[i].len;
	return t;
}

struct wasi_filestat {
	uint64_t dev, ino;
	uint8_t filetype;
	uint64_t nlink, size, atim, mtim, ctim;
};

/* What backs an fd.  Host-backed kinds are served by the next layers. */
enum wasi_fd_kind {
	WASI_FD_FREE = 0,
	WASI_FD_CONSOLE,     /* stdin/stdout/stderr on the platform console */
	WASI_FD_HOST_FILE,   /* a file handle on mewz-host */
	WASI_FD_HOST_DIR,    /* a directory handle on mewz-host (preopens) */
	WASI_FD_HOST_SOCKET, /* a socket owned by mewz-host (net=host) */
	WASI_FD_NET_SOCKET,  /* a socket of the in-guest stack (net=lwip) */
};

struct wasi_fd;

/*
 * The operations of one fd kind.  Each returns a count or 0 on success and
 * a negative errno on failure.  A NULL member means the operation makes no
 * sense for the kind, and the call answers its default errno (ESPIPE for
 * seeks on streams, ENOTDIR for readdir, ...) before rights are checked:
 * "this object cannot do that" is more useful to a program than "you may
 * not".  iovecs handed to an op are already checked against linear memory.
 */
struct wasi_fd_ops {
	long (*readv)(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n);
	long (*writev)(struct wasi_fd *fd, const struct wasi_iov *iov,
		       size_t n);
	long (*preadv)(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		       uint64_t off);
	long (*pwritev)(struct wasi_fd *fd, const struct wasi_iov *iov,
			size_t n, uint64_t off);
	int (*seek)(struct wasi_fd *fd, int64_t off, uint8_t whence,
		    uint64_t *pos);
	int (*filestat_get)(struct wasi_fd *fd, struct wasi_filestat *st);
	int (*set_flags)(struct wasi_fd *fd, uint16_t flags);
	int (*sync)(struct wasi_fd *fd, int data_only);
	/* > 0 ready (with *nbytes available, if known), 0 not ready.
	 * NULL: always ready, as POSIX poll says of regular files. */
	int (*readiness)(struct wasi_fd *fd, uint8_t eventtype,
			 uint64_t *nbytes);
	/* Release what the fd owns; the slot is freed even if this fails. */
	int (*close)(struct wasi_fd *fd);
	/* Host-backed kinds (file.c, file_dir.c): the rest of fd_*. */
	int (*advise)(struct wasi_fd *fd, uint64_t off, uint64_t len,
		      uint8_t advice);
	int (*allocate)(struct wasi_fd *fd, uint64_t off, uint64_t len);
	int (*set_size)(struct wasi_fd *fd, uint64_t size);
	int (*set_times)(struct wasi_fd *fd, uint64_t atim, uint64_t mtim,
			 uint16_t fstflags);
	/* Fill buf as fd_readdir does, from entry number cookie: bytes used. */
	long (*readdir)(struct wasi_fd *fd, void *buf, size_t len,
			uint64_t cookie);
	/* Tell the object its rights shrank (the table has checked that). */
	int (*set_rights)(struct wasi_fd *fd, uint64_t base,
			  uint64_t inheriting);
};

struct wasi_fd {
	enum wasi_fd_kind kind;
	uint8_t filetype;	    /* WASI_FILETYPE_* */
	uint16_t flags;		    /* WASI_FDFLAG_* */
	uint64_t rights_base;	    /* WASI_RIGHT_* this fd allows */
	uint64_t rights_inheriting; /* rights for fds opened through it */
	const struct wasi_fd_ops *ops;
	uint32_t handle;     /* host handle, or the console stream */
	void *priv;	     /* the kind's private state */
	const char *preopen; /* guest-visible path of a preopened dir */
	uint32_t preopen_len;
};

/* Fixed table: programs here open few files, and no allocation is needed. */
#define WASI_FD_MAX 256

void fdt_init(void);
/* Lowest free fd, or -EMFILE.  The table copies *tmpl. */
int fdt_install(const struct wasi_fd *tmpl);
/* Install at a given fd, closing whatever was there. */
int fdt_install_at(uint32_t fd, const struct wasi_fd *tmpl);
/*
 * The open fd `fd` with all of `rights`, or NULL with *err set to -EBADF
 * (not open) or -ENOTCAPABLE.  Pass rights 0 to only look it up.
 */
struct wasi_fd *fdt_get(uint32_t fd, uint64_t rights, int *err);
int fdt_close(uint32_t fd);
int fdt_renumber(uint32_t from, uint32_t to);

/* The console fds 0, 1 and 2 (stdio.c). */
void wasi_stdio_install(void);

/* Store a filestat at checked guest memory p (WASI_FILESTAT_SIZE bytes). */
void wasi_filestat_store(uint8_t *p, const struct wasi_filestat *st);

/* ---- host-backed fds (file.c, file_dir.c, hostcall*.c) ------------------ */

extern const struct wasi_fd_ops wasi_host_file_ops;
extern const struct wasi_fd_ops wasi_host_dir_ops;

/*
 * Install an fd for a host handle that OPEN returned: the lowest free fd,
 * or -EMFILE (the handle is then closed on the host).
 */
int wasi_host_fd_install(uint32_t handle, uint8_t filetype, uint64_t base,
			 uint64_t inheriting, uint16_t fdflags);

/* A FILESTAT reply (proto's 8 fields) as a wasi_filestat. */
struct proto_msg;
void wasi_host_filestat(const struct proto_msg *m, struct wasi_filestat *st);

/* Ops shared by host files and directories (file.c). */
int wasi_host_filestat_get(struct wasi_fd *fd, struct wasi_filestat *st);
int wasi_host_set_flags(struct wasi_fd *fd, uint16_t flags);
int wasi_host_sync(struct wasi_fd *fd, int data_only);
int wasi_host_close(struct wasi_fd *fd);
int wasi_host_advise(struct wasi_fd *fd, uint64_t off, uint64_t len,
		     uint8_t advice);
int wasi_host_set_times(struct wasi_fd *fd, uint64_t atim, uint64_t mtim,
			uint16_t fstflags);
int wasi_host_set_rights(struct wasi_fd *fd, uint64_t base,
			 uint64_t inheriting);

/* Reads and writes split into frames (file_io.c); positional: at off. */
long wasi_host_readv(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		     int positional, uint64_t off);
long wasi_host_writev(struct wasi_fd *fd, const struct wasi_iov *iov, size_t n,
		      int positional, uint64_t off);

/* ---- platform values the host may supply (hostcall_hello.c) ------------ */

/* Realtime, corrected by the host's wall clock from HELLO if it differs. */
uint64_t wasi_realtime_ns(void);

/* The platform's args and environment, or the host's where it had none. */
struct mewz_plat_args;
const struct mewz_plat_args *wasi_args(void);

/* ---- linear memory size (memory.c) ----------------------------------- */

/* Size the memory to the module's initial pages: 0 or -ENOMEM. */
int mewz_memory_init(void);

/* ---- tables (table.c) ------------------------------------------------ */

/* Does t's element array live on the heap (small tables use a static
 * arena)?  For tests, which free what they grew. */
struct mewz_table;
int table_on_heap(const struct mewz_table *t);

/* ---- random (random.c) ------------------------------------------------ */

/* Fill buf from the ChaCha20 generator; 0 or -EIO without entropy. */
int wasi_random_fill(void *buf, size_t len);

#endif /* MEWZ_WASI_H */
