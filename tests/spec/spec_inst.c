/*
 * spec_inst.c - instances: compiling a module with mewzc, checking its
 * imports against what they name (the spec's import matching, 3.5 and
 * 4.5.4 of Wasm 2.0), binding them in a fresh JITDylib and running
 * __wasm_init.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spec.h"

/* Every instance's __wasm_trap: back to the mewz_linux_invoke caller. */
static _Noreturn void spec_trap(uint32_t code)
{
	mewz_linux_trap_raise(code, (uintptr_t)__builtin_return_address(0));
}

/* ---- compiling --------------------------------------------------------- */

static bool newer(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return false;
	return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
	       (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec >= sb.st_mtim.tv_nsec);
}

int spec_compile(const char *wasm, const char *obj, bool wrappers, char *errbuf, size_t errlen)
{
	int pipefd[2], status;
	size_t got = 0;
	pid_t pid;

	errbuf[0] = 0;
	/* A rerun reuses objects newer than both the module and the compiler. */
	if (obj && newer(obj, wasm) && newer(obj, spec_cfg.mewzc))
		return 0;
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		const char *argv[12];
		int n = 0;
		argv[n++] = spec_cfg.mewzc;
		argv[n++] = spec_cfg.opt;
		argv[n++] = "-j";
		argv[n++] = "1";
		if (wrappers)
			argv[n++] = "--invoke-wrappers";
		argv[n++] = wasm;
		argv[n++] = "-o";
		argv[n++] = obj ? obj : "/dev/null";
		argv[n] = NULL;
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 1);
		execv(spec_cfg.mewzc, (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char tmp[512];
		ssize_t r = read(pipefd[0], tmp, sizeof(tmp));
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r && got + 1 < errlen; i++)
			errbuf[got++] = tmp[i];
	}
	errbuf[got] = 0;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	snprintf(errbuf + got, errlen - got, "mewzc killed by signal %d", WTERMSIG(status));
	return 128 + WTERMSIG(status);
}

/* ---- the module registry ------------------------------------------------ */

struct reg_entry {
	uint8_t *name;
	size_t len;
	struct spec_instance *in;
};
static struct reg_entry *regs;
static size_t nregs;

void spec_register(const wj_str *as, struct spec_instance *in)
{
	struct reg_entry *n = realloc(regs, (nregs + 1) * sizeof(*regs));

	if (!n)
		return;
	regs = n;
	regs[nregs].name = malloc(as->len + 1);
	if (!regs[nregs].name)
		return;
	memcpy(regs[nregs].name, as->ptr, as->len);
	regs[nregs].len = as->len;
	regs[nregs].in = in;
	nregs++;
}

struct spec_instance *spec_find_registered(const uint8_t *name, size_t len)
{
	/* Later registrations shadow earlier ones. */
	for (size_t i = nregs; i-- > 0;)
		if (regs[i].len == len && memcmp(regs[i].name, name, len) == 0)
			return regs[i].in;
	if (len == 8 && memcmp(name, "spectest", 8) == 0)
		return spec_host_instance();
	return NULL;
}

/* ---- exports ------------------------------------------------------------ */

/*
 * Table types by address: an instance that imports a table and exports it
 * again must show the original table's type, which its own module does not
 * know.
 */
struct table_type_entry {
	void *addr;
	mz_tabletype type;
};
static struct table_type_entry *table_types;
static size_t ntable_types;

static void remember_table(void *addr, const mz_tabletype *t)
{
	for (size_t i = 0; i < ntable_types; i++)
		if (table_types[i].addr == addr)
			return;
	struct table_type_entry *n = realloc(table_types, (ntable_types + 1) * sizeof(*n));
	if (!n)
		return;
	table_types = n;
	table_types[ntable_types].addr = addr;
	table_types[ntable_types].type = *t;
	ntable_types++;
}

static const mz_tabletype *table_type_of(void *addr)
{
	for (size_t i = 0; i < ntable_types; i++)
		if (table_types[i].addr == addr)
			return &table_types[i].type;
	return NULL;
}

bool spec_export(struct spec_instance *in, const wj_str *name, struct spec_extern *ext)
{
	char sym[1024], msg[512];
	const mz_export *e = NULL;

	memset(ext, 0, sizeof(*ext));
	if (in->is_host)
		return spec_host_export((const uint8_t *)name->ptr, name->len, ext);
	for (uint32_t i = 0; i < in->mod.num_exports; i++) {
		const mz_export *x = &in->mod.exports[i];
		if (x->name.len == name->len && memcmp(x->name.ptr, name->ptr, name->len) == 0) {
			e = x;
			break;
		}
	}
	if (!e)
		return false;
	ext->kind = e->kind;
	if (e->kind == MZ_EXTERN_MEMORY) {
		ext->mem = in->mem;
		return true;
	}
	/* An imported global or table exported again is the original. */
	if (e->kind == MZ_EXTERN_GLOBAL && in->mod.globals[e->index].imported) {
		*ext = in->imports[in->mod.globals[e->index].import_index];
		return true;
	}
	if (e->kind == MZ_EXTERN_TABLE && in->mod.tables[e->index].imported) {
		*ext = in->imports[in->mod.tables[e->index].import_index];
		ext->ttype.limits.min = ((mewz_table_t *)ext->addr)->size;
		return true;
	}
	spec_symbol("__wasm_export.", (const uint8_t *)name->ptr, name->len, sym, sizeof(sym));
	ext->addr = spec_jit_lookup(in->jd, sym, msg, sizeof(msg));
	if (!ext->addr) {
		fprintf(stderr, "spec: %s\n", msg);
		return false;
	}
	switch (e->kind) {
	case MZ_EXTERN_FUNC:
		ext->ftype = mz_func_type(&in->mod, e->index);
		break;
	case MZ_EXTERN_GLOBAL:
		ext->gtype = in->mod.globals[e->index].type;
		break;
	case MZ_EXTERN_TABLE: {
		const mz_table *t = &in->mod.tables[e->index];
		if (!t->imported)
			remember_table(ext->addr, &t->type);
		const mz_tabletype *tt = table_type_of(ext->addr);
		ext->ttype = tt ? *tt : t->type;
		ext->ttype.limits.min = ((mewz_table_t *)ext->addr)->size;
		break;
	}
	}
	return true;
}

/* ---- import matching ------------------------------------------------------ */

static bool functype_eq(const mz_functype *a, const mz_functype *b)
{
	return a->nparams == b->nparams && a->nresults == b->nresults &&
	       memcmp(a->types, b->types, a->nparams + a->nresults) == 0;
}

/* Limits {min, max} match the import's {imin, imax}: 4.5.4 "Limits". */
static bool limits_match(uint64_t min, bool has_max, uint64_t max, const mz_limits *imp)
{
	if (min < imp->min)
		return false;
	if (!imp->has_max)
		return true;
	return has_max && max <= imp->max;
}

static bool import_matches(const mz_module *m, const mz_import *imp, const struct spec_extern *ext)
{
	if (imp->kind != ext->kind)
		return false;
	switch (imp->kind) {
	case MZ_EXTERN_FUNC:
		return functype_eq(&m->types[imp->u.type_index], ext->ftype);
	case MZ_EXTERN_GLOBAL:
		return imp->u.global.type == ext->gtype.type && imp->u.global.mut == ext->gtype.mut;
	case MZ_EXTERN_TABLE:
		return imp->u.table.elem == ext->ttype.elem &&
		       limits_match(ext->ttype.limits.min, ext->ttype.limits.has_max,
				    ext->ttype.limits.max, &imp->u.table.limits);
	case MZ_EXTERN_MEMORY:
		return limits_match(ext->mem->m.size / MEWZ_PAGE_SIZE, ext->mem->has_max,
				    ext->mem->max_pages, &imp->u.memory);
	}
	return false;
}

/* ---- instantiation --------------------------------------------------------- */

struct syms {
	struct spec_sym *v;
	char **names; /* owned copies */
	size_t n, cap;
};

static bool syms_add(struct syms *s, const char *name, void *addr, bool callable)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct spec_sym *v = realloc(s->v, cap * sizeof(*v));
		char **names = realloc(s->names, cap * sizeof(*names));
		if (v)
			s->v = v;
		if (names)
			s->names = names;
		if (!v || !names)
			return false;
		s->cap = cap;
	}
	s->names[s->n] = strdup(name);
	if (!s->names[s->n])
		return false;
	s->v[s->n].name = s->names[s->n];
	s->v[s->n].addr = addr;
	s->v[s->n].callable = callable;
	s->n++;
	return true;
}

static void syms_free(struct syms *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->v);
}

/* Resolve and check every import; fills syms and in->mem. */
static enum spec_inst_status link_imports(struct spec_instance *in, struct syms *syms,
					  char *msg, size_t msglen)
{
	for (uint32_t i = 0; i < in->mod.num_imports; i++) {
		const mz_import *imp = &in->mod.imports[i];
		struct spec_instance *from = spec_find_registered(imp->module.ptr, imp->module.len);
		wj_str field = {(char *)imp->field.ptr, imp->field.len};
		struct spec_extern ext;
		char sym[1024];
		size_t n;

		if (!from || !spec_export(from, &field, &ext)) {
			snprintf(msg, msglen, "unknown import");
			return SPEC_INST_UNLINKABLE;
		}
		if (!import_matches(&in->mod, imp, &ext)) {
			snprintf(msg, msglen, "incompatible import type");
			return SPEC_INST_UNLINKABLE;
		}
		in->imports[i] = ext;
		if (imp->kind == MZ_EXTERN_MEMORY) {
			in->mem = ext.mem;
			continue;
		}
		if (imp->kind == MZ_EXTERN_TABLE)
			remember_table(ext.addr, &ext.ttype);
		/* Symbol "module.field", each part escaped. */
		spec_symbol("", imp->module.ptr, imp->module.len, sym, sizeof(sym));
		n = strlen(sym);
		spec_symbol(".", imp->field.ptr, imp->field.len, sym + n, sizeof(sym) - n);
		if (!syms_add(syms, sym, ext.addr, imp->kind == MZ_EXTERN_FUNC)) {
			snprintf(msg, msglen, "out of memory");
			return SPEC_INST_ERROR;
		}
	}
	return SPEC_INST_OK;
}

static int inst_counter;

static enum spec_inst_status setup_memory(struct spec_instance *in, char *msg, size_t msglen)
{
	in->own_mem.m.slot = -1;
	if (in->mem)
		return SPEC_INST_OK; /* imported */
	in->mem = &in->own_mem;
	if (in->mod.num_memories > in->mod.num_memory_imports) {
		const mz_limits *l = &in->mod.memories[in->mod.num_memory_imports].limits;
		int err = mewz_linux_memory_init(&in->own_mem.m, l->min,
						 l->has_max ? l->max : MEWZ_MAX_PAGES, UINT64_MAX);
		if (err) {
			snprintf(msg, msglen, "memory of %llu pages: %s",
				 (unsigned long long)l->min, strerror(-err));
			return SPEC_INST_ERROR;
		}
		in->own_mem.has_max = l->has_max;
		in->own_mem.max_pages = l->max;
	}
	in->own_mem.grow_thunk = spec_jit_grow_thunk(&in->own_mem);
	if (!in->own_mem.grow_thunk) {
		snprintf(msg, msglen, "grow thunk: %s", strerror(errno));
		return SPEC_INST_ERROR;
	}
	return SPEC_INST_OK;
}

static void run_init(void *fn)
{
	((void (*)(void))fn)();
}

enum spec_inst_status spec_instantiate(const char *wasm, struct spec_instance **out,
				       uint32_t *trap_code, char *msg, size_t msglen)
{
	struct spec_instance *in = calloc(1, sizeof(*in));
	struct syms syms = {0};
	enum spec_inst_status st;
	char obj[4096], label[32], err[2048];
	mz_error derr;
	void *init;

	*out = NULL;
	if (!in || !wj_read_file(wasm, &in->bytes, &in->size)) {
		snprintf(msg, msglen, "cannot read %s", wasm);
		free(in);
		return SPEC_INST_ERROR;
	}
	if (!mz_decode(in->bytes, in->size, &in->mod, &derr)) {
		snprintf(msg, msglen, "decode: %s at 0x%zx", derr.msg, derr.offset);
		free(in->bytes);
		free(in);
		return SPEC_INST_ERROR;
	}
	/* Instances are never freed: a failed one may have left its
	 * functions in a shared table (linking.wast relies on it). */
	in->imports = calloc(in->mod.num_imports + 1, sizeof(*in->imports));
	if (!in->imports) {
		snprintf(msg, msglen, "out of memory");
		return SPEC_INST_ERROR;
	}
	st = link_imports(in, &syms, msg, msglen);
	if (st != SPEC_INST_OK)
		goto out;
	/* The level is in the name: objects of -O0 and -O1 runs coexist. */
	snprintf(obj, sizeof(obj), "%.*s%s.o", (int)(strlen(wasm) - 5), wasm, spec_cfg.opt);
	if (spec_compile(wasm, obj, true, err, sizeof(err))) {
		snprintf(msg, msglen, "mewzc failed: %s", err);
		st = SPEC_INST_ERROR;
		goto out;
	}
	st = setup_memory(in, msg, msglen);
	if (st != SPEC_INST_OK)
		goto out;
	if (!syms_add(&syms, "__wasm_memory_base", &in->mem->m.base, false) ||
	    !syms_add(&syms, "__wasm_memory_size", &in->mem->m.size, false) ||
	    !syms_add(&syms, "__wasm_memory_grow", in->mem->grow_thunk, true) ||
	    !syms_add(&syms, "__wasm_trap", (void *)spec_trap, true) ||
	    !syms_add(&syms, "__wasm_table_grow", (void *)mewz_linux_table_grow, true)) {
		snprintf(msg, msglen, "out of memory");
		st = SPEC_INST_ERROR;
		goto out;
	}
	snprintf(label, sizeof(label), "inst%d", ++inst_counter);
	in->jd = spec_jit_instance(label, syms.v, syms.n, obj, msg, msglen);
	if (!in->jd) {
		st = SPEC_INST_ERROR;
		goto out;
	}
	init = spec_jit_lookup(in->jd, "__wasm_init", msg, msglen);
	if (!init) {
		st = SPEC_INST_ERROR;
		goto out;
	}
	*trap_code = mewz_linux_invoke(run_init, init, NULL);
	st = *trap_code ? SPEC_INST_TRAP : SPEC_INST_OK;
out:
	syms_free(&syms);
	if (st == SPEC_INST_OK)
		*out = in;
	/* Otherwise `in` leaks on purpose (see above), unless never linked. */
	return st;
}
