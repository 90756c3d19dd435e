/*
 * elfread.c - reading ELF objects and ar archives.  Both come from our own
 * build, but every offset and size is still checked against the file
 * length before use: a truncated cache file must give an error, not a
 * crash.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "elfread.h"
#include "mewz/abi.h"

int strlist_add(struct strlist *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strndup(s, len);
	if (!l->v[l->n])
		return -1;
	l->n++;
	return 0;
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void objinfo_free(struct objinfo *o)
{
	strlist_free(&o->undefined);
	strlist_free(&o->imp_names);
	strlist_free(&o->imp_sigs);
}

static int slurp(const char *path, uint8_t **data, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		snprintf(err, errlen, "%s: cannot size", path);
		fclose(f);
		return -1;
	}
	*data = malloc((size_t)n + 1);
	if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, errlen, "%s: read failed", path);
		free(*data);
		fclose(f);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

/* [off, off + size) lies inside a file of len bytes. */
static int in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static int read_pairs(const uint8_t *p, size_t n, struct strlist *names, struct strlist *sigs)
{
	size_t i = 0;

	/* Pairs of NUL-terminated strings: name, signature; an empty name
	 * (a C array's final NUL, section padding) ends the list. */
	while (i < n) {
		const uint8_t *name = p + i, *z = memchr(name, 0, n - i);
		if (!z)
			return -1;
		if (z == name)
			break;
		i = (size_t)(z - p) + 1;
		if (i >= n)
			return -1;
		const uint8_t *sig = p + i, *z2 = memchr(sig, 0, n - i);
		if (!z2)
			return -1;
		i = (size_t)(z2 - p) + 1;
		if (strlist_add(names, (const char *)name, (size_t)(z - name)) ||
		    strlist_add(sigs, (const char *)sig, (size_t)(z2 - sig)))
			return -1;
	}
	return 0;
}

/*
 * Parse the ELF image img[0, len): its undefined symbols into o->undefined
 * (when `undefined` is set) and the string pairs of section `section`
 * into names/sigs.  Returns 0, or -1 for a malformed image.
 */
static int elf_parse(const uint8_t *img, size_t len, bool undefined, const char *section,
		     struct strlist *names, struct strlist *sigs, struct strlist *undef)
{
	const Elf64_Ehdr *eh = (const void *)img;
	const Elf64_Shdr *sh;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(*sh), len) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return -1;
	sh = (const void *)(img + eh->e_shoff);
	const Elf64_Shdr *shstr = &sh[eh->e_shstrndx];
	if (!in_file(shstr->sh_offset, shstr->sh_size, len))
		return -1;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (!in_file(sh[i].sh_offset, sh[i].sh_type == SHT_NOBITS ? 0 : sh[i].sh_size, len))
			return -1;
		if (sh[i].sh_name < shstr->sh_size &&
		    strncmp((const char *)img + shstr->sh_offset + sh[i].sh_name, section,
			    shstr->sh_size - sh[i].sh_name) == 0 &&
		    read_pairs(img + sh[i].sh_offset, sh[i].sh_size, names, sigs))
			return -1;
		if (!undefined || sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		if (!in_file(st->sh_offset, st->sh_size, len))
			return -1;
		const Elf64_Sym *syms = (const void *)(img + sh[i].sh_offset);
		for (size_t k = 1; k < sh[i].sh_size / sizeof(*syms); k++) {
			const Elf64_Sym *s = &syms[k];
			if (s->st_shndx != SHN_UNDEF || ELF64_ST_BIND(s->st_info) == STB_LOCAL ||
			    s->st_name == 0 || s->st_name >= st->sh_size)
				continue;
			const char *nm = (const char *)img + st->sh_offset + s->st_name;
			if (strlist_add(undef, nm, strnlen(nm, st->sh_size - s->st_name)))
				return -1;
		}
	}
	return 0;
}

int elf_read_object(const char *path, struct objinfo *o, char *err, size_t errlen)
{
	uint8_t *img;
	size_t len;
	int rc;

	memset(o, 0, sizeof(*o));
	if (slurp(path, &img, &len, err, errlen))
		return -1;
	rc = elf_parse(img, len, true, MEWZ_IMPORTS_SECTION, &o->imp_names, &o->imp_sigs,
		       &o->undefined);
	free(img);
	if (rc) {
		snprintf(err, errlen, "%s: malformed ELF object", path);
		objinfo_free(o);
	}
	return rc;
}

int ar_read_section(const char *path, const char *section, struct strlist *names,
		    struct strlist *sigs, char *err, size_t errlen)
{
	uint8_t *img;
	size_t len, off = 8;
	int rc = 0;

	memset(names, 0, sizeof(*names));
	memset(sigs, 0, sizeof(*sigs));
	if (slurp(path, &img, &len, err, errlen))
		return -1;
	if (len < 8 || memcmp(img, "!<arch>\n", 8)) {
		snprintf(err, errlen, "%s: not an ar archive", path);
		free(img);
		return -1;
	}
	/* Members: a 60-byte header (size at 48, decimal), data, padding to even. */
	while (rc == 0 && len - off >= 60) {
		char sizebuf[11];
		memcpy(sizebuf, img + off + 48, 10);
		sizebuf[10] = 0;
		uint64_t size = strtoull(sizebuf, NULL, 10);
		if (!in_file(off + 60, size, len)) {
			rc = -1;
			break;
		}
		const uint8_t *data = img + off + 60;
		if (size >= 4 && !memcmp(data, ELFMAG, SELFMAG)) {
			/* Members are only 2-byte aligned: parse an aligned copy. */
			uint8_t *copy = malloc(size);
			if (!copy) {
				rc = -1;
				break;
			}
			memcpy(copy, data, size);
			rc = elf_parse(copy, size, false, section, names, sigs, NULL);
			free(copy);
		}
		off += 60 + size + (size & 1);
	}
	free(img);
	if (rc) {
		snprintf(err, errlen, "%s: malformed archive", path);
		strlist_free(names);
		strlist_free(sigs);
	}
	return rc;
}

static uint64_t be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

int ar_read_symbols(const char *path, struct strlist *syms, char *err, size_t errlen)
{
	uint8_t *img;
	size_t len;
	int rc = -1;

	memset(syms, 0, sizeof(*syms));
	if (slurp(path, &img, &len, err, errlen))
		return -1;
	if (len < 8 + 60 || memcmp(img, "!<arch>\n", 8)) {
		snprintf(err, errlen, "%s: not an ar archive", path);
		goto out;
	}
	/* The first member is the index: "/" (32-bit) or "/SYM64/" (64-bit). */
	const uint8_t *hdr = img + 8;
	unsigned w = !memcmp(hdr, "/               ", 16) ? 4 : !memcmp(hdr, "/SYM64/         ", 16) ? 8 : 0;
	char sizebuf[11];
	memcpy(sizebuf, hdr + 48, 10);
	sizebuf[10] = 0;
	uint64_t size = strtoull(sizebuf, NULL, 10);
	const uint8_t *p = hdr + 60;
	if (!w || !in_file(68, size, len) || size < w) {
		snprintf(err, errlen, "%s: archive has no symbol index", path);
		goto out;
	}
	uint64_t count = be(p, w);
	if (count > (size - w) / w) {
		snprintf(err, errlen, "%s: bad symbol index", path);
		goto out;
	}
	const char *s = (const char *)p + w + count * w, *end = (const char *)p + size;
	for (uint64_t i = 0; i < count && s < end; i++) {
		size_t n = strnlen(s, (size_t)(end - s));
		if (strlist_add(syms, s, n))
			goto out;
		s += n + 1;
	}
	rc = 0;
out:
	free(img);
	return rc;
}

/* Widen [*lo, *hi) by the allocated sections at or above *lo: a section
 * in no segment (the kernel's .noinit) is still RAM the image occupies. */
static int alloc_sections_span(const uint8_t *img, size_t len, const Elf64_Ehdr *eh,
			       uint64_t lo, uint64_t *hi)
{
	Elf64_Shdr sh;

	if (!eh->e_shnum)
		return 0;
	if (eh->e_shentsize != sizeof(sh) ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(sh), len))
		return -1;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		memcpy(&sh, img + eh->e_shoff + i * sizeof(sh), sizeof(sh));
		if ((sh.sh_flags & SHF_ALLOC) && sh.sh_addr >= lo && sh.sh_addr + sh.sh_size > *hi)
			*hi = sh.sh_addr + sh.sh_size;
	}
	return 0;
}

int elf_load_size(const char *path, uint64_t *bytes, char *err, size_t errlen)
{
	uint8_t *img;
	size_t len;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint64_t lo = UINT64_MAX, hi = 0;

	*bytes = 0;
	if (slurp(path, &img, &len, err, errlen))
		return -1;
	if (len < sizeof(eh) || memcmp(img, ELFMAG, SELFMAG) || img[EI_CLASS] != ELFCLASS64)
		goto bad;
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_phentsize != sizeof(ph) || !in_file(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(ph), len))
		goto bad;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_vaddr < lo)
			lo = ph.p_vaddr;
		if (ph.p_vaddr + ph.p_memsz > hi)
			hi = ph.p_vaddr + ph.p_memsz;
	}
	if (hi > lo && alloc_sections_span(img, len, &eh, lo, &hi))
		goto bad;
	*bytes = hi > lo ? hi - lo : 0;
	free(img);
	return 0;
bad:
	snprintf(err, errlen, "%s: not a 64-bit ELF image", path);
	free(img);
	return -1;
}
