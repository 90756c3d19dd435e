/*
 * wastjson.c - wast2json output reader (see wastjson.h).
 *
 * Two steps: a strict, depth-limited JSON parser builds a small tree, then
 * the tree is mapped onto commands.  The JSON is produced by a tool we
 * trust, but a truncated or hand-edited file must give an error, never a
 * crash, so every lookup checks the node's kind.
 */
#include "wastjson.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON tree ------------------------------------------------------- */

enum jkind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jnode {
	enum jkind kind;
	wj_str str;	     /* J_STR; J_NUM keeps its text here too */
	bool b;		     /* J_BOOL */
	size_t n;	     /* J_ARR / J_OBJ element count */
	struct jnode *items; /* J_ARR / J_OBJ values */
	wj_str *keys;	     /* J_OBJ keys */
} jnode;

typedef struct jparser {
	const char *p, *start, *end;
	char *err;
	size_t errlen;
	bool failed;
} jparser;

#define J_MAX_DEPTH 64

static bool jfail(jparser *jp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool jfail(jparser *jp, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (jp->failed)
		return false;
	jp->failed = true;
	n = snprintf(jp->err, jp->errlen,
		     "json offset %zu: ", (size_t)(jp->p - jp->start));
	if (n < 0 || (size_t)n >= jp->errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(jp->err + n, jp->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static void jskip_ws(jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\n' ||
				   *jp->p == '\r' || *jp->p == '\t'))
		jp->p++;
}

static void jnode_free(jnode *n)
{
	size_t i;

	if (n->kind == J_ARR || n->kind == J_OBJ) {
		for (i = 0; i < n->n; i++) {
			jnode_free(&n->items[i]);
			if (n->keys)
				free(n->keys[i].ptr);
		}
		free(n->items);
		free(n->keys);
	}
	free(n->str.ptr);
	memset(n, 0, sizeof(*n));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_hex4(jparser *jp, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (jp->end - jp->p < 4)
		return jfail(jp, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		int h = hexval(jp->p[i]);
		if (h < 0)
			return jfail(jp, "bad \\u escape");
		v = v << 4 | (uint32_t)h;
	}
	jp->p += 4;
	*out = v;
	return true;
}

/* Append code point `cp` as UTF-8 (the output buffer is big enough). */
static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool junicode(jparser *jp, uint32_t *cp)
{
	uint32_t lo;

	if (!read_hex4(jp, cp))
		return false;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return true;
	/* A high surrogate must be followed by an escaped low surrogate. */
	if (jp->end - jp->p < 2 || jp->p[0] != '\\' || jp->p[1] != 'u')
		return jfail(jp, "lone surrogate");
	jp->p += 2;
	if (!read_hex4(jp, &lo))
		return false;
	if (lo < 0xdc00 || lo > 0xdfff)
		return jfail(jp, "bad surrogate pair");
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return true;
}

/*
 * A string at jp->p (after the opening quote).  The decoded form is never
 * longer than the encoded one (an escape of n bytes yields at most n bytes
 * of UTF-8), so the output is allocated once.
 */
static bool jstring(jparser *jp, wj_str *out)
{
	const char *q = jp->p;
	char *buf, *o;

	while (q < jp->end && *q != '"') {
		if (*q == '\\')
			q++;
		q++;
	}
	if (q >= jp->end)
		return jfail(jp, "unterminated string");
	buf = malloc((size_t)(q - jp->p) + 1);
	if (!buf)
		return jfail(jp, "out of memory");
	o = buf;
	while (*jp->p != '"') {
		char c = *jp->p++;
		uint32_t cp;
		if ((unsigned char)c < 0x20) {
			free(buf);
			return jfail(jp, "control character in string");
		}
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = *jp->p++;
		switch (c) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '/':
			*o++ = '/';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u':
			if (!junicode(jp, &cp)) {
				free(buf);
				return false;
			}
			o += put_utf8(o, cp);
			break;
		default:
			free(buf);
			return jfail(jp, "bad escape \\%c", c);
		}
	}
	jp->p++; /* closing quote */
	*o = '\0';
	out->ptr = buf;
	out->len = (size_t)(o - buf);
	return true;
}

static bool jvalue(jparser *jp, jnode *n, int depth);

/* Grow a node's arrays to hold one more element. */
static bool jpush(jparser *jp, jnode *n, size_t *cap, bool with_key)
{
	if (n->n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 4;
	jnode *items = realloc(n->items, ncap * sizeof(*items));
	if (!items)
		return jfail(jp, "out of memory");
	n->items = items;
	if (with_key) {
		wj_str *keys = realloc(n->keys, ncap * sizeof(*keys));
		if (!keys)
			return jfail(jp, "out of memory");
		n->keys = keys;
	}
	*cap = ncap;
	return true;
}

static bool jarray(jparser *jp, jnode *n, int depth)
{
	size_t cap = 0;

	n->kind = J_ARR;
	jskip_ws(jp);
	if (jp->p < jp->end && *jp->p == ']') {
		jp->p++;
		return true;
	}
	for (;;) {
		if (!jpush(jp, n, &cap, false))
			return false;
		memset(&n->items[n->n], 0, sizeof(jnode));
		n->n++;
		if (!jvalue(jp, &n->items[n->n - 1], depth + 1))
			return false;
		jskip_ws(jp);
		if (jp->p >= jp->end)
			return jfail(jp, "unterminated array");
		if (*jp->p == ']') {
			jp->p++;
			return true;
		}
		if (*jp->p++ != ',')
			return jfail(jp, "expected ',' or ']'");
	}
}

static bool jobject(jparser *jp, jnode *n, int depth)
{
	size_t cap = 0;

	n->kind = J_OBJ;
	jskip_ws(jp);
	if (jp->p < jp->end && *jp->p == '}') {
		jp->p++;
		return true;
	}
	for (;;) {
		if (!jpush(jp, n, &cap, true))
			return false;
		memset(&n->items[n->n], 0, sizeof(jnode));
		memset(&n->keys[n->n], 0, sizeof(wj_str));
		n->n++;
		jskip_ws(jp);
		if (jp->p >= jp->end || *jp->p != '"')
			return jfail(jp, "expected a key");
		jp->p++;
		if (!jstring(jp, &n->keys[n->n - 1]))
			return false;
		jskip_ws(jp);
		if (jp->p >= jp->end || *jp->p++ != ':')
			return jfail(jp, "expected ':'");
		if (!jvalue(jp, &n->items[n->n - 1], depth + 1))
			return false;
		jskip_ws(jp);
		if (jp->p >= jp->end)
			return jfail(jp, "unterminated object");
		if (*jp->p == '}') {
			jp->p++;
			return true;
		}
		if (*jp->p++ != ',')
			return jfail(jp, "expected ',' or '}'");
	}
}

static bool jliteral(jparser *jp, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n) != 0)
		return jfail(jp, "unexpected token");
	jp->p += n;
	return true;
}

/* Numbers are kept as text; wast2json only writes small line numbers. */
static bool jnumber(jparser *jp, jnode *n)
{
	const char *s = jp->p;
	size_t len;

	while (jp->p < jp->end && strchr("+-0123456789.eE", *jp->p))
		jp->p++;
	len = (size_t)(jp->p - s);
	if (len == 0)
		return jfail(jp, "unexpected token");
	n->kind = J_NUM;
	n->str.ptr = malloc(len + 1);
	if (!n->str.ptr)
		return jfail(jp, "out of memory");
	memcpy(n->str.ptr, s, len);
	n->str.ptr[len] = '\0';
	n->str.len = len;
	return true;
}

static bool jvalue(jparser *jp, jnode *n, int depth)
{
	if (depth > J_MAX_DEPTH)
		return jfail(jp, "nesting too deep");
	jskip_ws(jp);
	if (jp->p >= jp->end)
		return jfail(jp, "unexpected end");
	switch (*jp->p) {
	case '{':
		jp->p++;
		return jobject(jp, n, depth);
	case '[':
		jp->p++;
		return jarray(jp, n, depth);
	case '"':
		jp->p++;
		n->kind = J_STR;
		return jstring(jp, &n->str);
	case 't':
		n->kind = J_BOOL;
		n->b = true;
		return jliteral(jp, "true");
	case 'f':
		n->kind = J_BOOL;
		return jliteral(jp, "false");
	case 'n':
		n->kind = J_NULL;
		return jliteral(jp, "null");
	}
	return jnumber(jp, n);
}

static const jnode *jget(const jnode *obj, const char *key)
{
	size_t i, klen = strlen(key);

	if (!obj || obj->kind != J_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (obj->keys[i].len == klen &&
		    memcmp(obj->keys[i].ptr, key, klen) == 0)
			return &obj->items[i];
	return NULL;
}

static const char *jget_str(const jnode *obj, const char *key)
{
	const jnode *n = jget(obj, key);
	return n && n->kind == J_STR ? n->str.ptr : NULL;
}

/* ---- mapping onto commands -------------------------------------------- */

typedef struct mapper {
	char *err;
	size_t errlen;
	uint32_t line; /* of the command being mapped, for errors */
} mapper;

static bool mfail(mapper *mp, const char *what)
{
	snprintf(mp->err, mp->errlen, "command at line %u: %s", mp->line, what);
	return false;
}

static bool str_dup(const char *s, size_t len, wj_str *out)
{
	out->ptr = malloc(len + 1);
	if (!out->ptr)
		return false;
	memcpy(out->ptr, s, len);
	out->ptr[len] = '\0';
	out->len = len;
	return true;
}

/* Copy an optional string member; absent members become "". */
static bool take_str(mapper *mp, const jnode *obj, const char *key, wj_str *out)
{
	const jnode *n = jget(obj, key);

	if (n && n->kind != J_STR)
		return mfail(mp, "string member expected");
	if (!n)
		return str_dup("", 0, out) || mfail(mp, "out of memory");
	return str_dup(n->str.ptr, n->str.len, out) ||
	       mfail(mp, "out of memory");
}

static const struct {
	const char *name;
	uint8_t type;
} cmd_names[] = {
    {"module", WJ_CMD_MODULE},
    {"register", WJ_CMD_REGISTER},
    {"action", WJ_CMD_ACTION},
    {"assert_return", WJ_CMD_ASSERT_RETURN},
    {"assert_trap", WJ_CMD_ASSERT_TRAP},
    {"assert_exhaustion", WJ_CMD_ASSERT_EXHAUSTION},
    {"assert_invalid", WJ_CMD_ASSERT_INVALID},
    {"assert_malformed", WJ_CMD_ASSERT_MALFORMED},
    {"assert_unlinkable", WJ_CMD_ASSERT_UNLINKABLE},
    {"assert_uninstantiable", WJ_CMD_ASSERT_UNINSTANTIABLE},
};

const char *wj_cmd_name(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++)
		if (cmd_names[i].type == type)
			return cmd_names[i].name;
	return "unknown";
}

static uint8_t cmd_type(const char *s)
{
	size_t i;

	for (i = 0; s && i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++)
		if (strcmp(cmd_names[i].name, s) == 0)
			return cmd_names[i].type;
	return WJ_CMD_UNKNOWN;
}

/* An unsigned decimal bit pattern no wider than `bits`. */
static bool parse_bits(const char *s, unsigned bits, uint64_t *out)
{
	char *endp;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &endp, 10);
	if (errno || *endp)
		return false;
	if (bits < 64 && v >> bits)
		return false;
	*out = v;
	return true;
}

static uint8_t nan_kind(const char *s)
{
	if (strcmp(s, "nan:canonical") == 0)
		return WJ_NAN_CANONICAL;
	if (strcmp(s, "nan:arithmetic") == 0)
		return WJ_NAN_ARITHMETIC;
	return WJ_NAN_NONE;
}

static const struct {
	const char *name;
	uint8_t lane;
	unsigned bits;
} lane_names[] = {
    {"i8", WJ_LANE_I8, 8},    {"i16", WJ_LANE_I16, 16},
    {"i32", WJ_LANE_I32, 32}, {"i64", WJ_LANE_I64, 64},
    {"f32", WJ_LANE_F32, 32}, {"f64", WJ_LANE_F64, 64},
};

static bool map_v128(mapper *mp, const jnode *vn, wj_value *v)
{
	const char *lt = jget_str(vn, "lane_type");
	const jnode *lanes = jget(vn, "value");
	unsigned bits = 0;
	size_t i, k;

	for (i = 0; lt && i < sizeof(lane_names) / sizeof(lane_names[0]); i++)
		if (strcmp(lt, lane_names[i].name) == 0) {
			v->lane_type = lane_names[i].lane;
			bits = lane_names[i].bits;
		}
	if (!bits)
		return mfail(mp, "bad v128 lane_type");
	if (!lanes || lanes->kind != J_ARR || lanes->n != 128 / bits)
		return mfail(mp, "bad v128 lanes");
	v->nlanes = (uint8_t)lanes->n;
	for (i = 0; i < lanes->n; i++) {
		const jnode *l = &lanes->items[i];
		uint64_t x = 0;
		bool is_float =
		    v->lane_type == WJ_LANE_F32 || v->lane_type == WJ_LANE_F64;
		if (l->kind != J_STR)
			return mfail(mp, "bad v128 lane");
		if (is_float && nan_kind(l->str.ptr) != WJ_NAN_NONE)
			v->lane_nan[i] = nan_kind(l->str.ptr);
		else if (!parse_bits(l->str.ptr, bits, &x))
			return mfail(mp, "bad v128 lane value");
		for (k = 0; k < bits / 8; k++)
			v->v128[i * (bits / 8) + k] = (uint8_t)(x >> (8 * k));
	}
	return true;
}

static bool map_value(mapper *mp, const jnode *vn, wj_value *v)
{
	const char *t = jget_str(vn, "type");
	const jnode *val = jget(vn, "value");
	const char *s = val && val->kind == J_STR ? val->str.ptr : NULL;
	unsigned bits;

	memset(v, 0, sizeof(*v));
	if (!t)
		return mfail(mp, "value without type");
	v->has_value = val != NULL;
	if (strcmp(t, "v128") == 0) {
		v->type = WJ_VAL_V128;
		return !val || map_v128(mp, vn, v);
	}
	if (strcmp(t, "funcref") == 0 || strcmp(t, "externref") == 0) {
		v->type = t[0] == 'f' ? WJ_VAL_FUNCREF : WJ_VAL_EXTERNREF;
		if (s && strcmp(s, "null") == 0) {
			v->is_null = true;
			return true;
		}
		/* A non-null funcref result is written without a value. */
		if (!s)
			return true;
		return parse_bits(s, 64, &v->bits) ||
		       mfail(mp, "bad reference value");
	}
	if (strcmp(t, "i32") == 0) {
		v->type = WJ_VAL_I32;
		bits = 32;
	} else if (strcmp(t, "i64") == 0) {
		v->type = WJ_VAL_I64;
		bits = 64;
	} else if (strcmp(t, "f32") == 0) {
		v->type = WJ_VAL_F32;
		bits = 32;
	} else if (strcmp(t, "f64") == 0) {
		v->type = WJ_VAL_F64;
		bits = 64;
	} else {
		return mfail(mp, "unknown value type");
	}
	if (!val)
		return true;
	if (!s)
		return mfail(mp, "value without bits");
	if ((v->type == WJ_VAL_F32 || v->type == WJ_VAL_F64) &&
	    nan_kind(s) != WJ_NAN_NONE) {
		v->nan = nan_kind(s);
		return true;
	}
	return parse_bits(s, bits, &v->bits) || mfail(mp, "bad value bits");
}

static bool map_values(mapper *mp, const jnode *arr, uint32_t *n,
		       wj_value **out)
{
	size_t i;

	*n = 0;
	*out = NULL;
	if (!arr)
		return true;
	if (arr->kind != J_ARR)
		return mfail(mp, "value list expected");
	if (arr->n == 0)
		return true;
	*out = calloc(arr->n, sizeof(wj_value));
	if (!*out)
		return mfail(mp, "out of memory");
	*n = (uint32_t)arr->n;
	for (i = 0; i < arr->n; i++)
		if (!map_value(mp, &arr->items[i], &(*out)[i]))
			return false;
	return true;
}

static bool map_action(mapper *mp, const jnode *an, wj_action *a)
{
	const char *t = jget_str(an, "type");
	const jnode *mod = jget(an, "module");

	if (!t)
		return mfail(mp, "action without type");
	if (strcmp(t, "invoke") == 0)
		a->type = WJ_ACTION_INVOKE;
	else if (strcmp(t, "get") == 0)
		a->type = WJ_ACTION_GET;
	else
		return mfail(mp, "unknown action type");
	a->has_module = mod != NULL;
	if (!take_str(mp, an, "module", &a->module) ||
	    !take_str(mp, an, "field", &a->field))
		return false;
	return map_values(mp, jget(an, "args"), &a->nargs, &a->args);
}

static bool map_command(mapper *mp, const jnode *cn, wj_command *c)
{
	const jnode *line = jget(cn, "line");
	const char *mt = jget_str(cn, "module_type");
	const jnode *action = jget(cn, "action");

	c->line =
	    line && line->kind == J_NUM ? (uint32_t)atol(line->str.ptr) : 0;
	mp->line = c->line;
	c->type = cmd_type(jget_str(cn, "type"));
	if (!take_str(mp, cn, "name", &c->name) ||
	    !take_str(mp, cn, "as", &c->as) ||
	    !take_str(mp, cn, "filename", &c->filename) ||
	    !take_str(mp, cn, "text", &c->text))
		return false;
	if (mt)
		c->module_type =
		    strcmp(mt, "text") == 0 ? WJ_MODULE_TEXT : WJ_MODULE_BINARY;
	else if (c->filename.len)
		c->module_type = WJ_MODULE_BINARY;
	if (action && !map_action(mp, action, &c->action))
		return false;
	return map_values(mp, jget(cn, "expected"), &c->nexpected,
			  &c->expected);
}

static void str_free(wj_str *s)
{
	free(s->ptr);
	s->ptr = NULL;
	s->len = 0;
}

static void command_free(wj_command *c)
{
	str_free(&c->name);
	str_free(&c->as);
	str_free(&c->filename);
	str_free(&c->text);
	str_free(&c->action.module);
	str_free(&c->action.field);
	free(c->action.args);
	free(c->expected);
}

void wj_free(wj_script *s)
{
	uint32_t i;

	if (!s)
		return;
	for (i = 0; i < s->ncommands; i++)
		command_free(&s->commands[i]);
	free(s->commands);
	str_free(&s->source_filename);
	str_free(&s->dir);
	memset(s, 0, sizeof(*s));
}

static bool map_script(const jnode *root, const char *dir, wj_script *out,
		       mapper *mp)
{
	const jnode *cmds = jget(root, "commands");
	size_t i;

	if (!dir)
		dir = ".";
	if (!str_dup(dir, strlen(dir), &out->dir))
		return mfail(mp, "out of memory");
	if (!take_str(mp, root, "source_filename", &out->source_filename))
		return false;
	if (!cmds || cmds->kind != J_ARR)
		return mfail(mp, "no command list");
	if (cmds->n == 0)
		return true;
	out->commands = calloc(cmds->n, sizeof(wj_command));
	if (!out->commands)
		return mfail(mp, "out of memory");
	for (i = 0; i < cmds->n; i++) {
		out->ncommands = (uint32_t)i + 1;
		if (!map_command(mp, &cmds->items[i], &out->commands[i]))
			return false;
	}
	return true;
}

bool wj_parse(const char *json, size_t len, const char *dir, wj_script *out,
	      char *err, size_t errlen)
{
	jparser jp = {json, json, json + len, err, errlen, false};
	mapper mp = {err, errlen, 0};
	jnode root = {0};
	bool ok;

	memset(out, 0, sizeof(*out));
	ok = jvalue(&jp, &root, 0);
	if (ok) {
		jskip_ws(&jp);
		if (jp.p != jp.end)
			ok = jfail(&jp, "trailing content");
	}
	if (ok)
		ok = map_script(&root, dir, out, &mp);
	jnode_free(&root);
	if (!ok)
		wj_free(out);
	return ok;
}

bool wj_read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return false;
	for (;;) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, ncap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return false;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return false;
	}
	fclose(f);
	buf[n] = '\0'; /* room was reserved: cap + 1 */
	*data = buf;
	*len = n;
	return true;
}

bool wj_load(const char *path, wj_script *out, char *err, size_t errlen)
{
	uint8_t *data;
	size_t len;
	char *dir;
	const char *slash = strrchr(path, '/');
	bool ok;

	memset(out, 0, sizeof(*out));
	if (!wj_read_file(path, &data, &len)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	if (slash) {
		dir = strndup(path, (size_t)(slash - path));
	} else {
		dir = strdup(".");
	}
	if (!dir) {
		free(data);
		snprintf(err, errlen, "out of memory");
		return false;
	}
	ok = wj_parse((const char *)data, len, dir, out, err, errlen);
	free(dir);
	free(data);
	return ok;
}

bool wj_path(const wj_script *s, const wj_str *file, char *buf, size_t buflen)
{
	int n;

	if (file->len && file->ptr[0] == '/')
		n = snprintf(buf, buflen, "%s", file->ptr);
	else
		n = snprintf(buf, buflen, "%s/%s", s->dir.ptr, file->ptr);
	return n >= 0 && (size_t)n < buflen;
}
