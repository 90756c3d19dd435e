/*
 * native_sym.c - mewz_plat_symbolize: the function around a pc, from the
 * executable's own ELF symbol table (internal Wasm functions are local
 * symbols, invisible to dladdr).  Runs only on the way out after a trap,
 * in normal context, so it may open and map files.  The names the
 * compiler gives are shortened to the Wasm name:
 *   __wasm_func.<n>.<name> -> <name>     __wasm_func.<n> -> func[<n>]
 *   __wasm_export.<name>   -> <name>
 */
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mewz/plat.h>

#include "native.h"

static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(uintptr_t *)data = info->dlpi_addr;
	return 1; /* the main program comes first */
}

static const Elf64_Sym *find_symbol(const uint8_t *img, size_t len, uintptr_t addr,
				    const char **strtab)
{
	const Elf64_Ehdr *eh = (const void *)img;
	const Elf64_Shdr *sh;
	const Elf64_Sym *best = NULL;

	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_shoff > len || (uint64_t)eh->e_shnum * sizeof(*sh) > len - eh->e_shoff)
		return NULL;
	sh = (const void *)(img + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset ||
		    st->sh_offset > len || st->sh_size > len - st->sh_offset)
			return NULL;
		const Elf64_Sym *syms = (const void *)(img + sh[i].sh_offset);
		size_t n = sh[i].sh_size / sizeof(*syms);
		for (size_t k = 0; k < n; k++) {
			if (ELF64_ST_TYPE(syms[k].st_info) != STT_FUNC || syms[k].st_name >= st->sh_size)
				continue;
			if (addr >= syms[k].st_value && addr - syms[k].st_value < syms[k].st_size) {
				best = &syms[k];
				*strtab = (const char *)img + st->sh_offset;
				break;
			}
		}
	}
	return best;
}

/* The Wasm-facing name, %XX escapes left as they are. */
static void shorten(const char *sym, char *out, size_t len)
{
	const char *p;

	if (!strncmp(sym, "__wasm_func.", 12)) {
		p = strchr(sym + 12, '.');
		if (p)
			snprintf(out, len, "%s", p + 1);
		else
			snprintf(out, len, "func[%s]", sym + 12);
		return;
	}
	if (!strncmp(sym, "__wasm_export.", 14)) {
		snprintf(out, len, "%s", sym + 14);
		return;
	}
	snprintf(out, len, "%s", sym);
}

const char *mewz_plat_symbolize(uintptr_t pc, uintptr_t *offset)
{
	static char name[256];
	const Elf64_Sym *s;
	const char *strtab = NULL;
	uintptr_t bias = 0;
	struct stat st;
	void *img;
	int fd;

	dl_iterate_phdr(first_object, &bias);
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	img = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return NULL;
	s = find_symbol(img, (size_t)st.st_size, pc - bias, &strtab);
	if (s) {
		shorten(strtab + s->st_name, name, sizeof(name));
		if (offset)
			*offset = pc - bias - s->st_value;
	}
	munmap(img, (size_t)st.st_size);
	return s ? name : NULL;
}
