/*
 * args.c - args_* and environ_*: copy the platform's NUL-terminated
 * strings into linear memory as WASI lays them out (an array of u32
 * pointers, and one buffer holding the strings back to back).
 */
#include <errno.h>

#include <mewz/plat.h>

#include "wasi.h"

static int32_t sizes_get(size_t n, const char *const *v, int32_t countp,
			 int32_t sizep)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += strlen(v[i]) + 1;
	if (total > UINT32_MAX)
		return WASI_EOVERFLOW;
	if (!wasi_mem((uint32_t)countp, 4) || !wasi_mem((uint32_t)sizep, 4))
		return WASI_EFAULT;
	wasi_store_u32((uint32_t)countp, (uint32_t)n);
	wasi_store_u32((uint32_t)sizep, (uint32_t)total);
	return WASI_ESUCCESS;
}

static int32_t strings_get(size_t n, const char *const *v, int32_t arrayp,
			   int32_t bufp)
{
	uint8_t *array = wasi_mem((uint32_t)arrayp, (uint64_t)n * 4);
	uint64_t total = 0;
	uint8_t *buf;
	size_t i;

	for (i = 0; i < n; i++)
		total += strlen(v[i]) + 1;
	buf = wasi_mem((uint32_t)bufp, total);
	if (!array || !buf)
		return WASI_EFAULT;
	total = 0;
	for (i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		wasi_put_u32(array, i * 4, (uint32_t)bufp + (uint32_t)total);
		memcpy(buf + total, v[i], len);
		total += len;
	}
	return WASI_ESUCCESS;
}

int32_t wasi_args_sizes_get(int32_t argc, int32_t size)
    WASI_IMPORT(args_sizes_get);
int32_t wasi_args_sizes_get(int32_t argc, int32_t size)
{
	const struct mewz_plat_args *a = wasi_args();

	return sizes_get(a->argc, a->argv, argc, size);
}

int32_t wasi_args_get(int32_t argv, int32_t buf) WASI_IMPORT(args_get);
int32_t wasi_args_get(int32_t argv, int32_t buf)
{
	const struct mewz_plat_args *a = wasi_args();

	return strings_get(a->argc, a->argv, argv, buf);
}

int32_t wasi_environ_sizes_get(int32_t envc, int32_t size)
    WASI_IMPORT(environ_sizes_get);
int32_t wasi_environ_sizes_get(int32_t envc, int32_t size)
{
	const struct mewz_plat_args *a = wasi_args();

	return sizes_get(a->envc, a->envp, envc, size);
}

int32_t wasi_environ_get(int32_t envp, int32_t buf) WASI_IMPORT(environ_get);
int32_t wasi_environ_get(int32_t envp, int32_t buf)
{
	const struct mewz_plat_args *a = wasi_args();

	return strings_get(a->envc, a->envp, envp, buf);
}
