/*
 * mksymtab.c - host tool: turn `llvm-nm -n --defined-only -S` output into
 * assembly for the kernel's embedded function table (symtab.c reads it).
 * Only code symbols (t, T, W) are kept.  Names are emitted byte by byte,
 * so any byte string a Wasm name section holds survives.
 *
 * usage: llvm-nm ... app.elf | mksymtab > symtab.S
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sym {
	unsigned long long addr, size;
	char *name;
};

static int parse_line(char *line, struct sym *s)
{
	char *p = line, *end;
	char type;

	s->addr = strtoull(p, &end, 16);
	if (end == p || *end != ' ')
		return -1;
	p = end + 1;
	s->size = 0;
	/* The size column is present only for symbols with a size. */
	if (p[0] && p[1] != ' ') {
		s->size = strtoull(p, &end, 16);
		if (end == p || *end != ' ')
			return -1;
		p = end + 1;
	}
	type = *p;
	if (type != 't' && type != 'T' && type != 'W' && type != 'w')
		return -1;
	if (p[1] != ' ')
		return -1;
	p += 2;
	p[strcspn(p, "\n")] = '\0';
	if (!*p)
		return -1;
	s->name = strdup(p);
	return s->name ? 0 : -1;
}

/*
 * Among symbols at one address the last one wins (symtab.c finds the last
 * entry at or below pc), so order them by how well they name the code: a
 * name-section name, then an export name, then a bare function index.
 */
static int name_rank(const char *name)
{
	const char *p;

	if (strncmp(name, "__wasm_export.", 14) == 0)
		return 2;
	if (strncmp(name, "__wasm_func.", 12) != 0)
		return 1;
	for (p = name + 12; *p >= '0' && *p <= '9'; p++)
		;
	return *p == '.' ? 3 : 0;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return name_rank(x->name) - name_rank(y->name);
}

int main(void)
{
	struct sym *syms = NULL;
	size_t n = 0, cap = 0, i, off = 0;
	char line[8192];

	while (fgets(line, sizeof(line), stdin)) {
		struct sym s;

		if (parse_line(line, &s) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			syms = realloc(syms, cap * sizeof(*syms));
			if (!syms)
				return 1;
		}
		syms[n++] = s;
	}
	if (n)
		qsort(syms, n, sizeof(*syms), sym_cmp);
	printf("\t.section .mewz.symtab, \"a\"\n\t.p2align 3\n");
	printf("\t.globl mewz_symtab_count\nmewz_symtab_count:\n\t.quad %zu\n",
	       n);
	printf("\t.globl mewz_symtab\nmewz_symtab:\n");
	for (i = 0; i < n; i++) {
		unsigned long long size =
		    syms[i].size > UINT32_MAX ? 0 : syms[i].size;

		printf("\t.quad 0x%llx\n\t.long %llu, %zu\n", syms[i].addr,
		       size, off);
		off += strlen(syms[i].name) + 1;
	}
	printf("\t.globl mewz_symtab_names\nmewz_symtab_names:\n");
	for (i = 0; i < n; i++) {
		const unsigned char *c = (const unsigned char *)syms[i].name;

		printf("\t.byte ");
		for (; *c; c++)
			printf("%u,", *c);
		printf("0\n");
		free(syms[i].name);
	}
	free(syms);
	return 0;
}
