/*
 * imports.c - before linking, compare what the object needs with what the
 * Linux runtime provides, so a program with a missing or mistyped import
 * is refused with every offending name listed, instead of a linker error
 * (or worse, a call with the wrong arguments).  The same check serves both
 * runtimes: the Linux one and the guest kernel.
 *
 * Each runtime archive carries its import list with signatures in section
 * .mewz.provides (guest/plat/linux/native_provides.c and
 * guest/plat/kvm/provides.c, both generated from guest/wasi/imports.def); the object carries its own in
 * MEWZ_IMPORTS_SECTION.  A name listed with several signatures would match
 * any of them (today none is: WasmEdge's second socket ABI has names of
 * its own, sock_accept_v2 and so on).
 */
#include <stdio.h>
#include <string.h>

#include "elfread.h"
#include "mewz.h"
#include "mewz/abi.h"

#define PROVIDES_SECTION ".mewz.provides"

static const char *sig_of(const struct objinfo *o, const char *name)
{
	for (size_t i = 0; i < o->imp_names.n; i++)
		if (strcmp(o->imp_names.v[i], name) == 0)
			return o->imp_sigs.v[i];
	return NULL;
}

/* 1: provided with this signature (or sig unknown), 0: absent, -1: other sigs. */
static int provided(const struct strlist *names, const struct strlist *sigs, const char *name,
		    const char *sig, char *have, size_t havelen)
{
	int found = 0;
	size_t used = 0;

	have[0] = 0;
	for (size_t i = 0; i < names->n; i++) {
		if (strcmp(names->v[i], name))
			continue;
		if (!sig || !strcmp(sigs->v[i], sig))
			return 1;
		found = -1;
		used += (size_t)snprintf(have + used, used < havelen ? havelen - used : 0, "%s%s",
					 used ? " or " : "", sigs->v[i]);
	}
	return found;
}

static void problem(int *n, const char *wasm, const char *what)
{
	if (!(*n)++)
		fprintf(stderr, "mewz: %s: imports %s does not provide:\n", wasm, what);
}

int imports_check(const char *wasm, const char *obj, const char *runtime, const char *what)
{
	struct strlist names, sigs, defined;
	struct objinfo o;
	char err[512], have[256];
	int problems = 0;

	if (elf_read_object(obj, &o, err, sizeof(err))) {
		fprintf(stderr, "mewz: %s\n", err);
		return -1;
	}
	if (ar_read_section(runtime, PROVIDES_SECTION, &names, &sigs, err, sizeof(err)) ||
	    ar_read_symbols(runtime, &defined, err, sizeof(err))) {
		fprintf(stderr, "mewz: %s\n", err);
		objinfo_free(&o);
		return -1;
	}
	for (size_t i = 0; i < o.undefined.n; i++) {
		const char *u = o.undefined.v[i], *sig = sig_of(&o, u);
		/* libc's (memcpy, rintf, ...) have no dot and are not ours. */
		if (!strchr(u, '.') && strncmp(u, "__wasm_", 7))
			continue;
		int p = provided(&names, &sigs, u, sig, have, sizeof(have));
		if (p > 0)
			continue;
		if (p == 0 && !sig && strlist_has(&defined, u))
			continue; /* a runtime symbol (__wasm_trap) or an unlisted data import */
		problem(&problems, wasm, what);
		if (p < 0)
			fprintf(stderr, "  %s (%s; the runtime's is %s)\n", u, sig, have);
		else
			fprintf(stderr, "  %s%s%s%s\n", u, sig ? " (" : "", sig ? sig : "", sig ? ")" : "");
	}
	objinfo_free(&o);
	strlist_free(&names);
	strlist_free(&sigs);
	strlist_free(&defined);
	return problems ? -1 : 0;
}
