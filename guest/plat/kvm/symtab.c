/*
 * symtab.c - function names for trap and panic reports, from the table
 * the link step embeds (mksymtab.c generates it from the first link's
 * symbols; see link.sh).  Entries are sorted by address.
 */
#include <mewz/plat.h>

#include "kvm.h"

struct symtab_entry {
	uint64_t addr;
	uint32_t size;	   /* 0: unknown, extends to the next symbol */
	uint32_t name_off; /* into mewz_symtab_names */
};

extern const struct symtab_entry mewz_symtab[];
extern const uint64_t mewz_symtab_count;
extern const char mewz_symtab_names[];

const char *mewz_plat_symbolize(uintptr_t pc, uintptr_t *offset)
{
	uint64_t lo = 0, hi = mewz_symtab_count;
	const struct symtab_entry *e;

	if (args_inject("symtab-fault"))
		inject_fault();
	/* Find the last entry with addr <= pc. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (mewz_symtab[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	e = &mewz_symtab[lo - 1];
	if (e->size && pc - e->addr >= e->size)
		return NULL;
	*offset = pc - e->addr;
	return mewz_symtab_names + e->name_off;
}
