/*
 * decode_name.c - the "name" custom section (appendix 7.4 of the spec):
 * the module name and function names.  Local names are skipped.
 *
 * A malformed name section must not make the module malformed (the spec
 * says custom sections are not validated), so everything is parsed into
 * temporaries first and applied only if the whole section reads cleanly.
 */
#include "decode.h"

#include <stdlib.h>

enum {
	NAME_MODULE = 0,
	NAME_FUNCTION = 1,
};

static bool function_names(mz_reader *r, mz_module *m, mz_name *names,
			   mz_error *err)
{
	uint32_t n, i, idx;
	uint64_t prev = 0;
	mz_name nm;

	if (!mz_read_u32(r, &n, err))
		return false;
	for (i = 0; i < n; i++) {
		if (!mz_read_u32(r, &idx, err) || !mz_read_name(r, &nm, err))
			return false;
		/* Indices must increase and exist. */
		if ((i > 0 && idx <= prev) || idx >= m->num_funcs)
			return mz_error_set(err, mz_pos(r), "bad name map");
		prev = idx;
		names[idx] = nm;
	}
	return true;
}

void mz_decode_name_section(mz_module *m, const uint8_t *p, const uint8_t *end)
{
	mz_reader r = {p, end, m->bytes, MZ_EOF_SECTION};
	mz_error err;
	mz_name module_name = {0};
	mz_name *names = NULL;
	int last_id = -1;

	if (m->num_funcs) {
		names = calloc(m->num_funcs, sizeof(mz_name));
		if (!names)
			return;
	}
	while (r.p < r.end) {
		uint8_t id;
		uint32_t size;
		const uint8_t *sub_end;

		if (!mz_read_u8(&r, &id, &err) || !mz_read_u32(&r, &size, &err))
			goto bad;
		if (size > mz_left(&r) || (int)id <= last_id)
			goto bad;
		last_id = id;
		sub_end = r.p + size;
		if (id == NAME_MODULE) {
			mz_reader sub = {r.p, sub_end, m->bytes, NULL};
			if (!mz_read_name(&sub, &module_name, &err) ||
			    sub.p != sub_end)
				goto bad;
		} else if (id == NAME_FUNCTION) {
			mz_reader sub = {r.p, sub_end, m->bytes, NULL};
			if (!function_names(&sub, m, names, &err) ||
			    sub.p != sub_end)
				goto bad;
		}
		r.p = sub_end;
	}
	m->module_name = module_name;
	for (uint32_t i = 0; names && i < m->num_funcs; i++)
		m->funcs[i].name = names[i];
bad:
	free(names);
}
