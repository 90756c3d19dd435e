/*
 * hc_unit.h - shared state of the hostcall client's unit tests.
 */
#ifndef HC_UNIT_H
#define HC_UNIT_H

#include <stdint.h>
#include <string.h>

#include <mewz/plat.h>

struct hc_plat {
	uint64_t mono_ns, real_base_ns;
	struct mewz_plat_args args;
};
extern struct hc_plat hc_plat;

#endif /* HC_UNIT_H */
