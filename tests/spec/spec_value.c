/*
 * spec_value.c - wast values as invoke slots, matching results against the
 * expected values (NaN patterns, v128 lanes, references) and printing both
 * sides of a failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "spec.h"

uint8_t spec_valtype_of(const wj_value *v)
{
	switch (v->type) {
	case WJ_VAL_I32: return MZ_I32;
	case WJ_VAL_I64: return MZ_I64;
	case WJ_VAL_F32: return MZ_F32;
	case WJ_VAL_F64: return MZ_F64;
	case WJ_VAL_V128: return MZ_V128;
	case WJ_VAL_FUNCREF: return MZ_FUNCREF;
	case WJ_VAL_EXTERNREF: return MZ_EXTERNREF;
	}
	return 0;
}

static void *extern_ptr(const wj_value *v)
{
	return v->is_null ? NULL : (void *)(uintptr_t)(v->bits + 1);
}

void spec_value_to_slot(const wj_value *v, mewz_slot_t *s)
{
	memset(s, 0, sizeof(*s));
	switch (v->type) {
	case WJ_VAL_I32:
	case WJ_VAL_F32: {
		uint32_t b = (uint32_t)v->bits;
		memcpy(s, &b, 4);
		break;
	}
	case WJ_VAL_I64:
	case WJ_VAL_F64:
		memcpy(s, &v->bits, 8);
		break;
	case WJ_VAL_V128:
		memcpy(s->v128, v->v128, 16);
		break;
	case WJ_VAL_FUNCREF:
		/* Only null funcrefs can be written in a script. */
		s->ref = NULL;
		break;
	case WJ_VAL_EXTERNREF:
		s->ref = extern_ptr(v);
		break;
	}
}

static bool f32_matches(uint8_t nan, uint32_t want, uint32_t got)
{
	switch (nan) {
	case WJ_NAN_CANONICAL:
		return (got & 0x7fffffffu) == 0x7fc00000u;
	case WJ_NAN_ARITHMETIC:
		return (got & 0x7fc00000u) == 0x7fc00000u;
	}
	return want == got;
}

static bool f64_matches(uint8_t nan, uint64_t want, uint64_t got)
{
	switch (nan) {
	case WJ_NAN_CANONICAL:
		return (got & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
	case WJ_NAN_ARITHMETIC:
		return (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
	}
	return want == got;
}

static bool v128_matches(const wj_value *want, const uint8_t *got)
{
	if (want->lane_type == WJ_LANE_F32) {
		for (int i = 0; i < 4; i++) {
			uint32_t w, g;
			memcpy(&w, want->v128 + 4 * i, 4);
			memcpy(&g, got + 4 * i, 4);
			if (!f32_matches(want->lane_nan[i], w, g))
				return false;
		}
		return true;
	}
	if (want->lane_type == WJ_LANE_F64) {
		for (int i = 0; i < 2; i++) {
			uint64_t w, g;
			memcpy(&w, want->v128 + 8 * i, 8);
			memcpy(&g, got + 8 * i, 8);
			if (!f64_matches(want->lane_nan[i], w, g))
				return false;
		}
		return true;
	}
	return memcmp(want->v128, got, 16) == 0;
}

bool spec_value_matches(const wj_value *want, const mewz_slot_t *got)
{
	uint32_t g32;
	uint64_t g64;

	memcpy(&g32, got, 4);
	memcpy(&g64, got, 8);
	switch (want->type) {
	case WJ_VAL_I32:
		return g32 == (uint32_t)want->bits;
	case WJ_VAL_I64:
		return g64 == want->bits;
	case WJ_VAL_F32:
		return f32_matches(want->nan, (uint32_t)want->bits, g32);
	case WJ_VAL_F64:
		return f64_matches(want->nan, want->bits, g64);
	case WJ_VAL_V128:
		return v128_matches(want, got->v128);
	case WJ_VAL_FUNCREF:
		/* A non-null expectation ("ref.func") means any function. */
		return want->is_null ? got->ref == NULL : got->ref != NULL;
	case WJ_VAL_EXTERNREF:
		return got->ref == extern_ptr(want);
	}
	return false;
}

static const char *lane_name(uint8_t lt)
{
	static const char *names[] = {"?", "i8", "i16", "i32", "i64", "f32", "f64"};
	return lt < sizeof(names) / sizeof(names[0]) ? names[lt] : "?";
}

static const char *nan_name(uint8_t nan)
{
	return nan == WJ_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

/* The lanes of 16 bytes as hex, in the given lane width. */
static void lanes_format(uint8_t lt, const uint8_t *b, const uint8_t *lane_nan, char *buf, size_t len)
{
	size_t w = lt == WJ_LANE_I8 ? 1 : lt == WJ_LANE_I16 ? 2 : (lt == WJ_LANE_I64 || lt == WJ_LANE_F64) ? 8 : 4;
	size_t used = (size_t)snprintf(buf, len, "v128 %s:", lane_name(lt ? lt : WJ_LANE_I32));

	for (size_t i = 0; i < 16 / w && used < len; i++) {
		uint64_t v = 0;
		memcpy(&v, b + i * w, w);
		if (lane_nan && lane_nan[i])
			used += (size_t)snprintf(buf + used, len - used, " %s", nan_name(lane_nan[i]));
		else
			used += (size_t)snprintf(buf + used, len - used, " 0x%" PRIx64, v);
	}
}

void spec_value_format(const wj_value *v, char *buf, size_t len)
{
	switch (v->type) {
	case WJ_VAL_I32:
		snprintf(buf, len, "i32:0x%" PRIx32, (uint32_t)v->bits);
		return;
	case WJ_VAL_I64:
		snprintf(buf, len, "i64:0x%" PRIx64, v->bits);
		return;
	case WJ_VAL_F32:
		if (v->nan)
			snprintf(buf, len, "f32:%s", nan_name(v->nan));
		else
			snprintf(buf, len, "f32:0x%" PRIx32, (uint32_t)v->bits);
		return;
	case WJ_VAL_F64:
		if (v->nan)
			snprintf(buf, len, "f64:%s", nan_name(v->nan));
		else
			snprintf(buf, len, "f64:0x%" PRIx64, v->bits);
		return;
	case WJ_VAL_V128:
		lanes_format(v->lane_type, v->v128, v->lane_nan, buf, len);
		return;
	case WJ_VAL_FUNCREF:
		snprintf(buf, len, v->is_null ? "funcref:null" : "funcref:any");
		return;
	case WJ_VAL_EXTERNREF:
		if (v->is_null)
			snprintf(buf, len, "externref:null");
		else
			snprintf(buf, len, "externref:%" PRIu64, v->bits);
		return;
	}
	snprintf(buf, len, "?");
}

void spec_slot_format(uint8_t valtype, uint8_t lane_type, const mewz_slot_t *s, char *buf, size_t len)
{
	uint32_t b32;
	uint64_t b64;

	memcpy(&b32, s, 4);
	memcpy(&b64, s, 8);
	switch (valtype) {
	case MZ_I32: snprintf(buf, len, "i32:0x%" PRIx32, b32); return;
	case MZ_I64: snprintf(buf, len, "i64:0x%" PRIx64, b64); return;
	case MZ_F32: snprintf(buf, len, "f32:0x%" PRIx32, b32); return;
	case MZ_F64: snprintf(buf, len, "f64:0x%" PRIx64, b64); return;
	case MZ_V128: lanes_format(lane_type, s->v128, NULL, buf, len); return;
	case MZ_FUNCREF: snprintf(buf, len, "funcref:%p", s->ref); return;
	case MZ_EXTERNREF:
		if (!s->ref)
			snprintf(buf, len, "externref:null");
		else
			snprintf(buf, len, "externref:%" PRIu64, (uint64_t)(uintptr_t)s->ref - 1);
		return;
	}
	snprintf(buf, len, "?");
}

void spec_symbol(const char *prefix, const uint8_t *name, size_t len, char *buf, size_t buflen)
{
	size_t used = (size_t)snprintf(buf, buflen, "%s", prefix);

	for (size_t i = 0; i < len && used + 4 < buflen; i++) {
		if (name[i] == 0 || name[i] == '%')
			used += (size_t)snprintf(buf + used, buflen - used, "%%%02X", name[i]);
		else
			buf[used++] = (char)name[i];
	}
	buf[used < buflen ? used : buflen - 1] = 0;
}
