/*
 * elfread.h - what `mewz` reads from ELF files before linking: an object's
 * undefined symbols and its import signatures (abi.h MEWZ_IMPORTS_SECTION),
 * an image's loaded size, and from an ar archive the symbols it defines
 * (its symbol index) and the import list its runtime provides (section
 * .mewz.provides).
 */
#ifndef MEWZ_ELFREAD_H
#define MEWZ_ELFREAD_H

#include <stddef.h>
#include <stdint.h>

struct strlist {
	char **v;
	size_t n, cap;
};

int strlist_add(struct strlist *l, const char *s, size_t len);
int strlist_has(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

struct objinfo {
	struct strlist undefined; /* undefined global symbols */
	struct strlist imp_names; /* .mewz.imports: names ... */
	struct strlist imp_sigs;  /* ... and their signatures, pairwise */
};

/* Returns 0, or -1 with a message in err. */
int elf_read_object(const char *path, struct objinfo *o, char *err, size_t errlen);
void objinfo_free(struct objinfo *o);

/*
 * The string pairs of `section` in every ELF member of an archive (the
 * runtime's .mewz.provides list).  Returns 0, or -1 with a message.
 */
int ar_read_section(const char *path, const char *section, struct strlist *names,
		    struct strlist *sigs, char *err, size_t errlen);

/* The names in an archive's symbol index ("/" or "/SYM64/" member). */
int ar_read_symbols(const char *path, struct strlist *syms, char *err, size_t errlen);

/* The bytes an executable occupies once loaded: from its lowest PT_LOAD
 * segment to the end of its last allocated section (the kernel's .noinit
 * lies in no segment, but the kernel's free RAM starts after it). */
int elf_load_size(const char *path, uint64_t *bytes, char *err, size_t errlen);

#endif /* MEWZ_ELFREAD_H */
