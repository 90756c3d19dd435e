/*
 * spec_host.c - the `spectest` module every spec script may import from:
 * print functions (which print nothing: the scripts never check output),
 * four constant globals, a funcref table of 10..20 and a memory of 1..2
 * pages.
 */
#include <string.h>

#include "spec.h"

static void host_print(void) {}
static void host_print_i32(int32_t a) { (void)a; }
static void host_print_i64(int64_t a) { (void)a; }
static void host_print_f32(float a) { (void)a; }
static void host_print_f64(double a) { (void)a; }
static void host_print_i32_f32(int32_t a, float b) { (void)a, (void)b; }
static void host_print_f64_f64(double a, double b) { (void)a, (void)b; }

static uint8_t t_none[1];
static uint8_t t_i32[] = {MZ_I32};
static uint8_t t_i64[] = {MZ_I64};
static uint8_t t_f32[] = {MZ_F32};
static uint8_t t_f64[] = {MZ_F64};
static uint8_t t_i32_f32[] = {MZ_I32, MZ_F32};
static uint8_t t_f64_f64[] = {MZ_F64, MZ_F64};

static const struct {
	const char *name;
	void *code;
	mz_functype type;
} host_funcs[] = {
	{"print", (void *)host_print, {0, 0, t_none}},
	{"print_i32", (void *)host_print_i32, {1, 0, t_i32}},
	{"print_i64", (void *)host_print_i64, {1, 0, t_i64}},
	{"print_f32", (void *)host_print_f32, {1, 0, t_f32}},
	{"print_f64", (void *)host_print_f64, {1, 0, t_f64}},
	{"print_i32_f32", (void *)host_print_i32_f32, {2, 0, t_i32_f32}},
	{"print_f64_f64", (void *)host_print_f64_f64, {2, 0, t_f64_f64}},
};

static int32_t global_i32 = 666;
static int64_t global_i64 = 666;
static float global_f32 = 666.6f;
static double global_f64 = 666.6;

static const struct {
	const char *name;
	void *addr;
	uint8_t type;
} host_globals[] = {
	{"global_i32", &global_i32, MZ_I32},
	{"global_i64", &global_i64, MZ_I64},
	{"global_f32", &global_f32, MZ_F32},
	{"global_f64", &global_f64, MZ_F64},
};

static void *table_elems[10];
static mewz_table_t host_table = {table_elems, 10, 20};
static struct spec_instance host;
static bool host_ready;

static bool name_is(const uint8_t *name, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(name, s, len) == 0;
}

struct spec_instance *spec_host_instance(void)
{
	if (host_ready)
		return &host;
	host.is_host = true;
	host.mem = &host.own_mem;
	host.own_mem.has_max = true;
	host.own_mem.max_pages = 2;
	if (mewz_linux_memory_init(&host.own_mem.m, 1, 2, UINT64_MAX))
		return NULL;
	host.own_mem.grow_thunk = spec_jit_grow_thunk(&host.own_mem);
	host_ready = true;
	return &host;
}

bool spec_host_export(const uint8_t *name, size_t len, struct spec_extern *ext)
{
	memset(ext, 0, sizeof(*ext));
	for (size_t i = 0; i < sizeof(host_funcs) / sizeof(host_funcs[0]); i++) {
		if (!name_is(name, len, host_funcs[i].name))
			continue;
		ext->kind = MZ_EXTERN_FUNC;
		ext->addr = host_funcs[i].code;
		ext->ftype = &host_funcs[i].type;
		return true;
	}
	for (size_t i = 0; i < sizeof(host_globals) / sizeof(host_globals[0]); i++) {
		if (!name_is(name, len, host_globals[i].name))
			continue;
		ext->kind = MZ_EXTERN_GLOBAL;
		ext->addr = host_globals[i].addr;
		ext->gtype.type = host_globals[i].type;
		ext->gtype.mut = false;
		return true;
	}
	if (name_is(name, len, "table")) {
		ext->kind = MZ_EXTERN_TABLE;
		ext->addr = &host_table;
		ext->ttype.elem = MZ_FUNCREF;
		ext->ttype.limits.min = host_table.size;
		ext->ttype.limits.max = 20;
		ext->ttype.limits.has_max = true;
		return true;
	}
	if (name_is(name, len, "memory") && spec_host_instance()) {
		ext->kind = MZ_EXTERN_MEMORY;
		ext->mem = host.mem;
		return true;
	}
	return false;
}
