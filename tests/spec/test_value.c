/*
 * test_value: the spec runner's own matching rules (spec_value.c), so a
 * runner that passes everything cannot hide behind a lax comparison:
 * NaN patterns, v128 lanes, references and symbol escaping.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "spec.h"

struct spec_config spec_cfg;
int check_passed, check_failed;

static mewz_slot_t slot32(uint32_t bits)
{
	mewz_slot_t s;
	memset(&s, 0, sizeof(s));
	memcpy(&s, &bits, 4);
	return s;
}

static mewz_slot_t slot64(uint64_t bits)
{
	mewz_slot_t s;
	memset(&s, 0, sizeof(s));
	memcpy(&s, &bits, 8);
	return s;
}

static void test_scalars(void)
{
	wj_value v = {.type = WJ_VAL_I32, .bits = 0xffffffffu};
	mewz_slot_t s = slot32(0xffffffffu);

	CHECK(spec_value_matches(&v, &s));
	s = slot32(0xfffffffeu);
	CHECK(!spec_value_matches(&v, &s));
	v = (wj_value){.type = WJ_VAL_I64, .bits = 0x8000000000000000ull};
	s = slot64(0x8000000000000000ull);
	CHECK(spec_value_matches(&v, &s));
	/* -0.0 and +0.0 differ bit for bit. */
	v = (wj_value){.type = WJ_VAL_F32, .bits = 0x80000000u};
	s = slot32(0);
	CHECK(!spec_value_matches(&v, &s));
}

static void test_nan_patterns(void)
{
	wj_value can = {.type = WJ_VAL_F32, .nan = WJ_NAN_CANONICAL};
	wj_value ari = {.type = WJ_VAL_F32, .nan = WJ_NAN_ARITHMETIC};
	mewz_slot_t s;

	s = slot32(0x7fc00000u);
	CHECK(spec_value_matches(&can, &s) && spec_value_matches(&ari, &s));
	s = slot32(0xffc00000u); /* either sign */
	CHECK(spec_value_matches(&can, &s) && spec_value_matches(&ari, &s));
	s = slot32(0x7fc00001u); /* payload: arithmetic, not canonical */
	CHECK(!spec_value_matches(&can, &s) && spec_value_matches(&ari, &s));
	s = slot32(0x7f800001u); /* signalling NaN: neither */
	CHECK(!spec_value_matches(&can, &s) && !spec_value_matches(&ari, &s));
	s = slot32(0x7f800000u); /* infinity */
	CHECK(!spec_value_matches(&ari, &s));

	wj_value can64 = {.type = WJ_VAL_F64, .nan = WJ_NAN_CANONICAL};
	s = slot64(0xfff8000000000000ull);
	CHECK(spec_value_matches(&can64, &s));
	s = slot64(0x7ff8000000000001ull);
	CHECK(!spec_value_matches(&can64, &s));
}

static void test_v128(void)
{
	wj_value v = {.type = WJ_VAL_V128, .lane_type = WJ_LANE_F32, .nlanes = 4};
	mewz_slot_t s;
	uint32_t lanes[4] = {0x3f800000u, 0x7fc00000u, 0, 0x80000000u};

	memcpy(v.v128, lanes, 16);
	v.lane_nan[1] = WJ_NAN_CANONICAL;
	memset(&s, 0, sizeof(s));
	memcpy(s.v128, lanes, 16);
	CHECK(spec_value_matches(&v, &s));
	lanes[1] = 0x7fc00001u; /* lane 1 no longer canonical */
	memcpy(s.v128, lanes, 16);
	CHECK(!spec_value_matches(&v, &s));
	lanes[1] = 0x7fc00000u;
	lanes[3] = 0; /* -0 expected in lane 3 */
	memcpy(s.v128, lanes, 16);
	CHECK(!spec_value_matches(&v, &s));

	wj_value i = {.type = WJ_VAL_V128, .lane_type = WJ_LANE_I8, .nlanes = 16};
	memset(i.v128, 0xab, 16);
	memset(s.v128, 0xab, 16);
	CHECK(spec_value_matches(&i, &s));
	s.v128[15] = 0;
	CHECK(!spec_value_matches(&i, &s));
}

static void test_refs(void)
{
	wj_value null_ext = {.type = WJ_VAL_EXTERNREF, .is_null = true};
	wj_value ext0 = {.type = WJ_VAL_EXTERNREF, .bits = 0};
	mewz_slot_t s;

	/* externref 0 is not null: host values are offset by one. */
	spec_value_to_slot(&ext0, &s);
	CHECK(s.ref != NULL && spec_value_matches(&ext0, &s));
	CHECK(!spec_value_matches(&null_ext, &s));
	spec_value_to_slot(&null_ext, &s);
	CHECK(s.ref == NULL && spec_value_matches(&null_ext, &s));

	wj_value null_fn = {.type = WJ_VAL_FUNCREF, .is_null = true};
	s.ref = &s;
	CHECK(!spec_value_matches(&null_fn, &s));
}

static void test_symbols(void)
{
	char buf[64];
	const uint8_t name[] = {'a', 0, '%', '.', 0xe2};

	spec_symbol("__wasm_export.", name, sizeof(name), buf, sizeof(buf));
	CHECK(strcmp(buf, "__wasm_export.a%00%25.\xe2") == 0);
	spec_symbol("", (const uint8_t *)"", 0, buf, sizeof(buf));
	CHECK(buf[0] == 0);
}

int main(void)
{
	test_scalars();
	test_nan_patterns();
	test_v128();
	test_refs();
	test_symbols();
	return check_report();
}
