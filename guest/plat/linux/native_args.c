/*
 * native_args.c - the program's argv and environment.  Variables named
 * MEWZ_* configure the runtime (documented in README.md) and are removed
 * before the program sees its environment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mewz/plat.h>

#include "native.h"

static struct mewz_plat_args args;

/* "16M", "1G", "65536": bytes with an optional K/M/G suffix; 0 if bad. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	}
	return *end || end == s ? 0 : v;
}

static void apply_setting(const char *kv)
{
	uint64_t v;

	if (!strncmp(kv, "MEWZ_MEMORY_LIMIT=", 18)) {
		v = parse_size(kv + 18);
		if (v)
			native_opts.memory_limit = v;
	} else if (!strncmp(kv, "MEWZ_STACK_SIZE=", 16)) {
		v = parse_size(kv + 16);
		if (v)
			native_opts.stack_bytes = (size_t)v;
	}
}

int native_args_init(int argc, char **argv, char **envp)
{
	size_t n = 0, kept = 0;
	const char **env;

	while (envp && envp[n])
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (!env)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(envp[i], "MEWZ_", 5)) {
			apply_setting(envp[i]);
			continue;
		}
		env[kept++] = envp[i];
	}
	args.argc = (size_t)argc;
	args.argv = (const char *const *)argv;
	args.envc = kept;
	args.envp = env;
	return 0;
}

const struct mewz_plat_args *mewz_plat_args(void)
{
	return &args;
}
