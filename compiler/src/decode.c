/*
 * decode.c - the binary format (5.x of the spec): module header, section
 * framing and every section but code and custom (decode_code.c,
 * decode_name.c).  See decode.h for how reading is bounded and why.
 *
 * Every error uses the spec suite's wording and carries the byte offset.
 * Allocations are bounded by the input: a vector of n items is allocated
 * only when n items could still follow (mz_alloc_vec).
 */
#include "decode.h"

#include <stdlib.h>
#include <string.h>

enum {
	SEC_CUSTOM = 0,
	SEC_TYPE = 1,
	SEC_IMPORT = 2,
	SEC_FUNCTION = 3,
	SEC_TABLE = 4,
	SEC_MEMORY = 5,
	SEC_GLOBAL = 6,
	SEC_EXPORT = 7,
	SEC_START = 8,
	SEC_ELEMENT = 9,
	SEC_CODE = 10,
	SEC_DATA = 11,
	SEC_DATA_COUNT = 12,
};

/* Section order: data count sits between element and code. */
static int section_rank(uint8_t id)
{
	static const int rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
	return rank[id];
}

/* State of one decode that does not belong in mz_module. */
typedef struct decoder {
	mz_module *m;
	mz_walk_facts facts;
	bool has_func_section;
	uint32_t num_defined_funcs; /* function section count */
	bool has_code_section;
	bool has_data_section;
	const uint8_t *name_sec; /* "name" custom section contents */
	const uint8_t *name_end;
} decoder;

bool mz_alloc_vec(mz_reader *r, uint32_t n, size_t size, void **out,
		  mz_error *err)
{
	*out = NULL;
	if (n == 0)
		return true;
	if (n > mz_left(r))
		return mz_eof_error(r, err);
	*out = calloc(n, size);
	if (!*out)
		return mz_error_set(err, mz_pos(r), "out of memory");
	return true;
}

/* Grow `*arr` of `old` items by `add` zeroed items. */
static bool grow(void **arr, uint32_t old, uint32_t add, size_t size,
		 const mz_reader *r, mz_error *err)
{
	uint8_t *p;

	if (add == 0)
		return true;
	if ((uint64_t)old + add > UINT32_MAX)
		return mz_error_set(err, mz_pos(r), "too many definitions");
	p = realloc(*arr, ((size_t)old + add) * size);
	if (!p)
		return mz_error_set(err, mz_pos(r), "out of memory");
	memset(p + (size_t)old * size, 0, (size_t)add * size);
	*arr = p;
	return true;
}

bool mz_read_len(mz_reader *r, uint32_t *len, mz_error *err)
{
	size_t at = mz_pos(r);
	/* The reference counts the length's own bytes as available. */
	size_t avail = (size_t)(r->end - (r->base + at));

	if (!mz_read_u32(r, len, err))
		return false;
	if (*len > avail)
		return mz_error_set(err, at, "length out of bounds");
	return true;
}

bool mz_read_name(mz_reader *r, mz_name *name, mz_error *err)
{
	const uint8_t *b;
	uint32_t len;
	size_t at;

	if (!mz_read_len(r, &len, err))
		return false;
	at = mz_pos(r);
	if (!mz_read_bytes(r, len, &b, err))
		return false;
	if (!mz_utf8_valid(b, len))
		return mz_error_set(err, at, "malformed UTF-8 encoding");
	name->ptr = b;
	name->len = len;
	return true;
}

bool mz_utf8_valid(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = p[i];
		uint32_t cp, min;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

static bool read_valtype(mz_reader *r, uint8_t *t, mz_error *err)
{
	if (!mz_read_u8(r, t, err))
		return false;
	switch (*t) {
	case MZ_I32:
	case MZ_I64:
	case MZ_F32:
	case MZ_F64:
	case MZ_V128:
	case MZ_FUNCREF:
	case MZ_EXTERNREF:
		return true;
	}
	/* Value types are one-byte signed LEBs, as type constructors. */
	if (*t & 0x80)
		return mz_error_set(err, mz_pos(r) - 1,
				    "integer representation too long");
	return mz_error_set(err, mz_pos(r) - 1, "malformed value type");
}

static bool read_reftype(mz_reader *r, uint8_t *t, mz_error *err)
{
	if (!mz_read_u8(r, t, err))
		return false;
	if (*t != MZ_FUNCREF && *t != MZ_EXTERNREF)
		return mz_error_set(err, mz_pos(r) - 1,
				    "malformed reference type");
	return true;
}

static bool read_limits(mz_reader *r, mz_limits *l, mz_error *err)
{
	uint64_t flags;
	uint32_t v;

	/* The flag is a one-bit LEB: 0x02 is "integer too large", 0x81 0x00
	 * "integer representation too long". */
	if (!mz_read_uleb(r, 1, &flags, err))
		return false;
	if (!mz_read_u32(r, &v, err))
		return false;
	l->min = v;
	l->has_max = flags == 1;
	l->max = 0;
	if (!l->has_max)
		return true;
	if (!mz_read_u32(r, &v, err))
		return false;
	l->max = v;
	return true;
}

static bool read_tabletype(mz_reader *r, mz_tabletype *t, mz_error *err)
{
	return read_reftype(r, &t->elem, err) &&
	       read_limits(r, &t->limits, err);
}

static bool read_globaltype(mz_reader *r, mz_globaltype *g, mz_error *err)
{
	uint8_t mut;

	if (!read_valtype(r, &g->type, err) || !mz_read_u8(r, &mut, err))
		return false;
	if (mut > 1)
		return mz_error_set(err, mz_pos(r) - 1, "malformed mutability");
	g->mut = mut == 1;
	return true;
}

static bool read_functype(mz_reader *r, mz_functype *ft, mz_error *err)
{
	uint8_t form;
	uint32_t np, nr, i;
	uint8_t *types;

	if (!mz_read_u8(r, &form, err))
		return false;
	/* Type constructors are one-byte signed LEBs (-0x20 here). */
	if (form & 0x80)
		return mz_error_set(err, mz_pos(r) - 1,
				    "integer representation too long");
	if (form != 0x60)
		return mz_error_set(err, mz_pos(r) - 1,
				    "malformed function type");
	if (!mz_read_u32(r, &np, err))
		return false;
	if (np > mz_left(r))
		return mz_eof_error(r, err);
	/* One byte per result after the params, so np + nr is bounded too. */
	types = malloc((size_t)np + 1);
	if (!types)
		return mz_error_set(err, mz_pos(r), "out of memory");
	ft->types = types;
	for (i = 0; i < np; i++)
		if (!read_valtype(r, &types[i], err))
			return false;
	if (!mz_read_u32(r, &nr, err))
		return false;
	if (nr > mz_left(r))
		return mz_eof_error(r, err);
	types = realloc(types, (size_t)np + nr + 1);
	if (!types)
		return mz_error_set(err, mz_pos(r), "out of memory");
	ft->types = types;
	for (i = 0; i < nr; i++)
		if (!read_valtype(r, &types[np + i], err))
			return false;
	ft->nparams = np;
	ft->nresults = nr;
	return true;
}

static bool type_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err) ||
	    !mz_alloc_vec(r, n, sizeof(mz_functype), (void **)&m->types, err))
		return false;
	m->num_types = n;
	for (i = 0; i < n; i++)
		if (!read_functype(r, &m->types[i], err))
			return false;
	return true;
}

static bool read_import(mz_reader *r, mz_import *im, mz_error *err)
{
	if (!mz_read_name(r, &im->module, err) ||
	    !mz_read_name(r, &im->field, err) || !mz_read_u8(r, &im->kind, err))
		return false;
	switch (im->kind) {
	case MZ_EXTERN_FUNC:
		return mz_read_u32(r, &im->u.type_index, err);
	case MZ_EXTERN_TABLE:
		return read_tabletype(r, &im->u.table, err);
	case MZ_EXTERN_MEMORY:
		return read_limits(r, &im->u.memory, err);
	case MZ_EXTERN_GLOBAL:
		return read_globaltype(r, &im->u.global, err);
	}
	return mz_error_set(err, mz_pos(r) - 1, "malformed import kind");
}

/* Put each import at the front of its index space. */
static bool index_imports(mz_reader *r, mz_module *m, mz_error *err)
{
	uint32_t i, nf = 0, nt = 0, nm = 0, ng = 0;

	for (i = 0; i < m->num_imports; i++) {
		const mz_import *im = &m->imports[i];
		switch (im->kind) {
		case MZ_EXTERN_FUNC:
			nf++;
			break;
		case MZ_EXTERN_TABLE:
			nt++;
			break;
		case MZ_EXTERN_MEMORY:
			nm++;
			break;
		default:
			ng++;
			break;
		}
	}
	if (!grow((void **)&m->funcs, 0, nf, sizeof(mz_func), r, err) ||
	    !grow((void **)&m->tables, 0, nt, sizeof(mz_table), r, err) ||
	    !grow((void **)&m->memories, 0, nm, sizeof(mz_memory), r, err) ||
	    !grow((void **)&m->globals, 0, ng, sizeof(mz_global), r, err))
		return false;
	for (i = 0; i < m->num_imports; i++) {
		const mz_import *im = &m->imports[i];
		switch (im->kind) {
		case MZ_EXTERN_FUNC: {
			mz_func *f = &m->funcs[m->num_funcs++];
			f->type_index = im->u.type_index;
			f->imported = true;
			f->import_index = i;
			break;
		}
		case MZ_EXTERN_TABLE: {
			mz_table *t = &m->tables[m->num_tables++];
			t->type = im->u.table;
			t->imported = true;
			t->import_index = i;
			t->offset = (uint32_t)(im->module.ptr - m->bytes);
			break;
		}
		case MZ_EXTERN_MEMORY: {
			mz_memory *mem = &m->memories[m->num_memories++];
			mem->limits = im->u.memory;
			mem->imported = true;
			mem->import_index = i;
			mem->offset = (uint32_t)(im->module.ptr - m->bytes);
			break;
		}
		default: {
			mz_global *g = &m->globals[m->num_globals++];
			g->type = im->u.global;
			g->imported = true;
			g->import_index = i;
			break;
		}
		}
	}
	m->num_func_imports = nf;
	m->num_table_imports = nt;
	m->num_memory_imports = nm;
	m->num_global_imports = ng;
	return true;
}

static bool import_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err) ||
	    !mz_alloc_vec(r, n, sizeof(mz_import), (void **)&m->imports, err))
		return false;
	for (i = 0; i < n; i++) {
		if (!read_import(r, &m->imports[i], err))
			return false;
		m->num_imports = i + 1;
	}
	return index_imports(r, m, err);
}

static bool function_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err))
		return false;
	if (n > mz_left(r))
		return mz_eof_error(r, err);
	if (!grow((void **)&m->funcs, m->num_funcs, n, sizeof(mz_func), r, err))
		return false;
	d->has_func_section = true;
	d->num_defined_funcs = n;
	for (i = 0; i < n; i++) {
		mz_func *f = &m->funcs[m->num_funcs];
		if (!mz_read_u32(r, &f->type_index, err))
			return false;
		m->num_funcs++;
	}
	return true;
}

static bool table_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err))
		return false;
	if (n > mz_left(r))
		return mz_eof_error(r, err);
	if (!grow((void **)&m->tables, m->num_tables, n, sizeof(mz_table), r,
		  err))
		return false;
	for (i = 0; i < n; i++) {
		m->tables[m->num_tables].offset = (uint32_t)mz_pos(r);
		if (!read_tabletype(r, &m->tables[m->num_tables].type, err))
			return false;
		m->num_tables++;
	}
	return true;
}

static bool memory_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err))
		return false;
	if (n > mz_left(r))
		return mz_eof_error(r, err);
	if (!grow((void **)&m->memories, m->num_memories, n, sizeof(mz_memory),
		  r, err))
		return false;
	for (i = 0; i < n; i++) {
		m->memories[m->num_memories].offset = (uint32_t)mz_pos(r);
		if (!read_limits(r, &m->memories[m->num_memories].limits, err))
			return false;
		m->num_memories++;
	}
	return true;
}

static bool global_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err))
		return false;
	if (n > mz_left(r))
		return mz_eof_error(r, err);
	if (!grow((void **)&m->globals, m->num_globals, n, sizeof(mz_global), r,
		  err))
		return false;
	for (i = 0; i < n; i++) {
		mz_global *g = &m->globals[m->num_globals];
		if (!read_globaltype(r, &g->type, err) ||
		    !mz_decode_const_expr(r, &g->init, &d->facts, err))
			return false;
		m->num_globals++;
	}
	return true;
}

static bool export_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err) ||
	    !mz_alloc_vec(r, n, sizeof(mz_export), (void **)&m->exports, err))
		return false;
	for (i = 0; i < n; i++) {
		mz_export *e = &m->exports[i];
		if (!mz_read_name(r, &e->name, err) ||
		    !mz_read_u8(r, &e->kind, err))
			return false;
		if (e->kind > MZ_EXTERN_GLOBAL)
			return mz_error_set(err, mz_pos(r) - 1,
					    "malformed export kind");
		if (!mz_read_u32(r, &e->index, err))
			return false;
		m->num_exports = i + 1;
	}
	return true;
}

static bool start_section(mz_reader *r, decoder *d, mz_error *err)
{
	d->m->has_start = true;
	d->m->start_offset = (uint32_t)mz_pos(r);
	return mz_read_u32(r, &d->m->start, err);
}

/* vec(funcidx) as ref.func items. */
static bool read_func_items(mz_reader *r, mz_elem *e, mz_error *err)
{
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err) ||
	    !mz_alloc_vec(r, n, sizeof(mz_const_expr), (void **)&e->items, err))
		return false;
	e->count = n;
	for (i = 0; i < n; i++) {
		mz_const_expr *c = &e->items[i];
		c->offset = (uint32_t)mz_pos(r);
		c->kind = MZ_CONST_REF_FUNC;
		c->type = MZ_FUNCREF;
		if (!mz_read_u32(r, &c->u.index, err))
			return false;
		c->len = (uint32_t)mz_pos(r) - c->offset;
	}
	return true;
}

static bool read_expr_items(mz_reader *r, mz_elem *e, decoder *d, mz_error *err)
{
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err) ||
	    !mz_alloc_vec(r, n, sizeof(mz_const_expr), (void **)&e->items, err))
		return false;
	e->count = n;
	for (i = 0; i < n; i++)
		if (!mz_decode_const_expr(r, &e->items[i], &d->facts, err))
			return false;
	return true;
}

static bool read_elemkind(mz_reader *r, mz_error *err)
{
	uint8_t k;

	if (!mz_read_u8(r, &k, err))
		return false;
	if (k != 0x00)
		return mz_error_set(err, mz_pos(r) - 1,
				    "malformed element kind");
	return true;
}

/*
 * Element segment flags (5.5.12): bit 0 passive/declarative, bit 1 explicit
 * table index (active) or declarative (otherwise), bit 2 expressions
 * instead of function indices.
 */
static bool read_elem(mz_reader *r, mz_elem *e, decoder *d, mz_error *err)
{
	uint32_t flags;
	bool exprs;

	if (!mz_read_u32(r, &flags, err))
		return false;
	if (flags > 7)
		return mz_error_set(err, mz_pos(r) - 1,
				    "malformed elements segment kind");
	exprs = flags & 4;
	e->type = MZ_FUNCREF;
	if (flags & 1)
		e->mode = flags & 2 ? MZ_SEG_DECLARATIVE : MZ_SEG_PASSIVE;
	else
		e->mode = MZ_SEG_ACTIVE;
	if (e->mode == MZ_SEG_ACTIVE) {
		if ((flags & 2) && !mz_read_u32(r, &e->table, err))
			return false;
		if (!mz_decode_const_expr(r, &e->offset, &d->facts, err))
			return false;
	}
	/* Flags 0 and 4 imply funcref; the others spell the type out. */
	if (flags != 0 && flags != 4) {
		if (exprs && !read_reftype(r, &e->type, err))
			return false;
		if (!exprs && !read_elemkind(r, err))
			return false;
	}
	return exprs ? read_expr_items(r, e, d, err)
		     : read_func_items(r, e, err);
}

static bool element_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;

	if (!mz_read_u32(r, &n, err) ||
	    !mz_alloc_vec(r, n, sizeof(mz_elem), (void **)&m->elems, err))
		return false;
	for (i = 0; i < n; i++) {
		m->num_elems = i + 1;
		if (!read_elem(r, &m->elems[i], d, err))
			return false;
	}
	return true;
}

static bool read_data(mz_reader *r, mz_data *s, decoder *d, mz_error *err)
{
	uint32_t flags, len;

	if (!mz_read_u32(r, &flags, err))
		return false;
	if (flags > 2)
		return mz_error_set(err, mz_pos(r) - 1,
				    "malformed data segment kind");
	s->mode = flags == 1 ? MZ_SEG_PASSIVE : MZ_SEG_ACTIVE;
	if (flags == 2 && !mz_read_u32(r, &s->memory, err))
		return false;
	if (s->mode == MZ_SEG_ACTIVE &&
	    !mz_decode_const_expr(r, &s->offset, &d->facts, err))
		return false;
	if (!mz_read_len(r, &len, err) ||
	    !mz_read_bytes(r, len, &s->bytes, err))
		return false;
	s->len = len;
	return true;
}

static bool data_section(mz_reader *r, decoder *d, mz_error *err)
{
	mz_module *m = d->m;
	uint32_t n, i;
	size_t at = mz_pos(r);

	if (!mz_read_u32(r, &n, err))
		return false;
	if (m->has_data_count && n != m->data_count)
		return mz_error_set(err, at,
				    "data count and data section have "
				    "inconsistent lengths");
	if (!mz_alloc_vec(r, n, sizeof(mz_data), (void **)&m->datas, err))
		return false;
	d->has_data_section = true;
	for (i = 0; i < n; i++) {
		m->num_datas = i + 1;
		if (!read_data(r, &m->datas[i], d, err))
			return false;
	}
	return true;
}

static bool data_count_section(mz_reader *r, decoder *d, mz_error *err)
{
	d->m->has_data_count = true;
	return mz_read_u32(r, &d->m->data_count, err);
}

static bool code_section(mz_reader *r, decoder *d, mz_error *err)
{
	d->has_code_section = true;
	return mz_decode_code_section(r, d->m, d->num_defined_funcs, &d->facts,
				      err);
}

/* A custom section: its name, then opaque bytes up to the section end. */
static bool custom_section(mz_reader *r, decoder *d, size_t end, mz_error *err)
{
	mz_name name;

	if (!mz_read_name(r, &name, err))
		return false;
	/* The name ran past the section, or the section past the module. */
	if (mz_pos(r) > end || end > d->m->size)
		return mz_error_set(err, mz_pos(r), "unexpected end");
	if (name.len == 4 && memcmp(name.ptr, "name", 4) == 0) {
		d->name_sec = r->p;
		d->name_end = r->base + end;
	}
	r->p = r->base + end;
	return true;
}

static bool section_body(mz_reader *r, decoder *d, uint8_t id, size_t end,
			 mz_error *err)
{
	switch (id) {
	case SEC_CUSTOM:
		return custom_section(r, d, end, err);
	case SEC_TYPE:
		return type_section(r, d, err);
	case SEC_IMPORT:
		return import_section(r, d, err);
	case SEC_FUNCTION:
		return function_section(r, d, err);
	case SEC_TABLE:
		return table_section(r, d, err);
	case SEC_MEMORY:
		return memory_section(r, d, err);
	case SEC_GLOBAL:
		return global_section(r, d, err);
	case SEC_EXPORT:
		return export_section(r, d, err);
	case SEC_START:
		return start_section(r, d, err);
	case SEC_ELEMENT:
		return element_section(r, d, err);
	case SEC_CODE:
		return code_section(r, d, err);
	case SEC_DATA:
		return data_section(r, d, err);
	case SEC_DATA_COUNT:
		return data_count_section(r, d, err);
	}
	return mz_error_set(err, mz_pos(r), "malformed section id");
}

static bool read_header(mz_reader *r, mz_error *err)
{
	static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
	static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
	const uint8_t *b;

	if (!mz_read_bytes(r, 4, &b, err))
		return false;
	if (memcmp(b, magic, 4) != 0)
		return mz_error_set(err, 0, "magic header not detected");
	if (!mz_read_bytes(r, 4, &b, err))
		return false;
	if (memcmp(b, version, 4) != 0)
		return mz_error_set(err, 4, "unknown binary version");
	return true;
}

static bool read_sections(mz_reader *r, decoder *d, mz_error *err)
{
	int last_rank = 0;

	while (r->p < r->end) {
		uint8_t id;
		uint32_t size;
		size_t start, end;
		size_t id_at = mz_pos(r);

		r->eof_msg = NULL;
		if (!mz_read_u8(r, &id, err))
			return false;
		if (id > SEC_DATA_COUNT)
			return mz_error_set(err, id_at, "malformed section id");
		if (!mz_read_len(r, &size, err))
			return false;
		if (id != SEC_CUSTOM) {
			if (section_rank(id) <= last_rank)
				return mz_error_set(err, id_at,
						    "unexpected content after "
						    "last section");
			last_rank = section_rank(id);
		}
		/* Offsets, not pointers: mz_read_len lets `end` pass the
		 * module's end by the size LEB's own length. */
		start = mz_pos(r);
		end = start + size;
		r->eof_msg = MZ_EOF_SECTION;
		if (!section_body(r, d, id, end, err))
			return false;
		if (mz_pos(r) != end)
			return mz_error_set(err, start,
					    "section size mismatch");
	}
	return true;
}

/* Cross-section rules of the binary format, checked after the last one. */
static bool check_counts(const decoder *d, mz_error *err)
{
	const mz_module *m = d->m;
	if (!d->has_code_section && d->num_defined_funcs != 0)
		return mz_error_set(err, m->size,
				    "function and code section have "
				    "inconsistent lengths");
	if (m->has_data_count && !d->has_data_section && m->data_count != 0)
		return mz_error_set(err, m->size,
				    "data count and data section have "
				    "inconsistent lengths");
	/*
	 * memory.init and data.drop need the data count section.  Without a
	 * data section either, any data index is out of range, so the module
	 * is rejected anyway: we leave it to the validator, whose "unknown
	 * data segment" is what the spec interpreter says for the same module
	 * in text form (wast2json writes no data count section for it).
	 */
	if (d->facts.uses_data_index && !m->has_data_count &&
	    d->has_data_section)
		return mz_error_set(err, m->size,
				    "data count section required");
	return true;
}

/*
 * global.get in a constant expression produces its global's type; fill it
 * in now that every global is known (an unknown index stays 0 and is the
 * validator's to report).
 */
static void resolve_global_type(const mz_module *m, mz_const_expr *e)
{
	if (e->kind == MZ_CONST_GLOBAL_GET && e->u.index < m->num_globals)
		e->type = m->globals[e->u.index].type.type;
}

static void resolve_const_types(mz_module *m)
{
	uint32_t i, k;

	for (i = m->num_global_imports; i < m->num_globals; i++)
		resolve_global_type(m, &m->globals[i].init);
	for (i = 0; i < m->num_elems; i++) {
		resolve_global_type(m, &m->elems[i].offset);
		for (k = 0; k < m->elems[i].count; k++)
			resolve_global_type(m, &m->elems[i].items[k]);
	}
	for (i = 0; i < m->num_datas; i++)
		resolve_global_type(m, &m->datas[i].offset);
}

/* C.refs: functions named outside function bodies (see module.h). */
static void mark_ref(mz_module *m, const mz_const_expr *e)
{
	if (e->kind == MZ_CONST_REF_FUNC && e->u.index < m->num_funcs)
		m->func_declared[e->u.index] = true;
}

static bool collect_refs(mz_module *m, mz_error *err)
{
	uint32_t i, k;

	if (m->num_funcs == 0)
		return true;
	m->func_declared = calloc(m->num_funcs, sizeof(bool));
	if (!m->func_declared)
		return mz_error_set(err, 0, "out of memory");
	for (i = 0; i < m->num_exports; i++)
		if (m->exports[i].kind == MZ_EXTERN_FUNC &&
		    m->exports[i].index < m->num_funcs)
			m->func_declared[m->exports[i].index] = true;
	for (i = m->num_global_imports; i < m->num_globals; i++)
		mark_ref(m, &m->globals[i].init);
	for (i = 0; i < m->num_elems; i++)
		for (k = 0; k < m->elems[i].count; k++)
			mark_ref(m, &m->elems[i].items[k]);
	return true;
}

bool mz_decode(const uint8_t *bytes, size_t size, mz_module *m, mz_error *err)
{
	decoder d = {0};
	mz_reader r = {bytes, bytes + size, bytes, NULL};

	memset(m, 0, sizeof(*m));
	m->bytes = bytes;
	m->size = size;
	d.m = m;
	/* Offsets are u32 in the module structures. */
	if (size > UINT32_MAX) {
		mz_error_set(err, 0, "module too large");
		return false;
	}
	if (!read_header(&r, err) || !read_sections(&r, &d, err) ||
	    !check_counts(&d, err) || !collect_refs(m, err)) {
		mz_module_free(m);
		return false;
	}
	resolve_const_types(m);
	if (d.name_sec)
		mz_decode_name_section(m, d.name_sec, d.name_end);
	return true;
}
