/*
 * module.c - owning side of mz_module: freeing it, and the error helper
 * every pass uses.
 */
#include "module.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

bool mz_error_set(mz_error *err, size_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return false;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->offset = offset;
	err->unsupported = false;
	return false;
}

void mz_module_free(mz_module *m)
{
	uint32_t i;

	if (!m)
		return;
	if (m->types)
		for (i = 0; i < m->num_types; i++)
			free(m->types[i].types);
	free(m->types);
	free(m->imports);
	if (m->funcs)
		for (i = 0; i < m->num_funcs; i++)
			free(m->funcs[i].local_runs);
	free(m->funcs);
	free(m->tables);
	free(m->memories);
	free(m->globals);
	free(m->exports);
	if (m->elems)
		for (i = 0; i < m->num_elems; i++)
			free(m->elems[i].items);
	free(m->elems);
	free(m->datas);
	free(m->func_declared);
	*m = (mz_module){0};
}
