/*
 * spec_file.c - one .wast script in one process: convert it with wast2json
 * (unless the JSON is newer than the script), then run every command in
 * order and write one result line per command to the result stream:
 *     T <commands>          first, the number of commands
 *     P <line>              passed
 *     F <line> <why>        failed
 *     S <line> <why>        skipped
 * The parent counts commands without a line (the process crashed) as
 * failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spec.h"

static FILE *results;

void spec_pass(uint32_t line)
{
	fprintf(results, "P %u\n", line);
	fflush(results);
}

void spec_fail(uint32_t line, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* One line per result: newlines in compiler messages become spaces. */
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(results, "F %u %s\n", line, buf);
	fflush(results);
}

void spec_skip(uint32_t line, const char *why)
{
	fprintf(results, "S %u %s\n", line, why);
	fflush(results);
}

/* ---- named modules ----------------------------------------------------- */

struct named {
	char *name;
	size_t len;
	struct spec_instance *in;
};
static struct named *nameds;
static size_t nnameds;
static struct spec_instance *current;

static void name_instance(const wj_str *name, struct spec_instance *in)
{
	struct named *n = realloc(nameds, (nnameds + 1) * sizeof(*n));

	if (!n)
		return;
	nameds = n;
	nameds[nnameds].name = malloc(name->len + 1);
	if (!nameds[nnameds].name)
		return;
	memcpy(nameds[nnameds].name, name->ptr, name->len);
	nameds[nnameds].len = name->len;
	nameds[nnameds].in = in;
	nnameds++;
}

static struct spec_instance *find_named(const wj_str *name)
{
	for (size_t i = nnameds; i-- > 0;)
		if (nameds[i].len == name->len && memcmp(nameds[i].name, name->ptr, name->len) == 0)
			return nameds[i].in;
	return NULL;
}

/* A name fit for one line of output. */
static const char *printable(const wj_str *s, char *buf, size_t len)
{
	size_t used = 0;

	for (size_t i = 0; i < s->len && used + 5 < len; i++) {
		uint8_t c = (uint8_t)s->ptr[i];
		if (c < 0x20 || c >= 0x7f || c == '"')
			used += (size_t)snprintf(buf + used, len - used, "\\x%02x", c);
		else
			buf[used++] = (char)c;
	}
	buf[used] = 0;
	return buf;
}

/* ---- actions ------------------------------------------------------------ */

struct action_result {
	uint32_t trap;
	uint32_t nresults;
	const uint8_t *types; /* nresults value types */
	uint8_t get_type;     /* `types` of a get action points here */
	mewz_slot_t slots[16];
};

struct call {
	void (*fn)(const mewz_slot_t *, mewz_slot_t *);
	const mewz_slot_t *args;
	mewz_slot_t *results;
};

static void run_call(void *arg)
{
	struct call *c = arg;
	c->fn(c->args, c->results);
}

/* Perform the action; false (with why) when it could not be performed. */
static bool perform(const wj_action *a, struct action_result *r, char *why, size_t whylen)
{
	struct spec_instance *in = a->has_module ? find_named(&a->module) : current;
	struct spec_extern ext;
	char sym[1024], msg[512], pname[256];

	memset(r, 0, sizeof(*r));
	printable(&a->field, pname, sizeof(pname));
	if (!in) {
		snprintf(why, whylen, "\"%s\": no module", pname);
		return false;
	}
	if (!spec_export(in, &a->field, &ext)) {
		snprintf(why, whylen, "\"%s\": no such export", pname);
		return false;
	}
	if (a->type == WJ_ACTION_GET) {
		if (ext.kind != MZ_EXTERN_GLOBAL) {
			snprintf(why, whylen, "\"%s\": not a global", pname);
			return false;
		}
		uint8_t gt = ext.gtype.type;
		r->get_type = gt;
		r->nresults = 1;
		r->types = &r->get_type;
		memcpy(&r->slots[0], ext.addr, gt == MZ_V128 ? 16 : gt == MZ_I32 || gt == MZ_F32 ? 4 : 8);
		return true;
	}
	if (ext.kind != MZ_EXTERN_FUNC) {
		snprintf(why, whylen, "\"%s\": not a function", pname);
		return false;
	}
	if (ext.ftype->nparams != a->nargs || ext.ftype->nresults > 16) {
		snprintf(why, whylen, "\"%s\": takes %u arguments, script gives %u", pname,
			 ext.ftype->nparams, a->nargs);
		return false;
	}
	spec_symbol("__wasm_invoke.", (const uint8_t *)a->field.ptr, a->field.len, sym, sizeof(sym));
	struct call c;
	c.fn = (void (*)(const mewz_slot_t *, mewz_slot_t *))spec_jit_lookup(in->jd, sym, msg, sizeof(msg));
	if (!c.fn) {
		snprintf(why, whylen, "\"%s\": %s", pname, msg);
		return false;
	}
	mewz_slot_t args[a->nargs ? a->nargs : 1];
	for (uint32_t i = 0; i < a->nargs; i++)
		spec_value_to_slot(&a->args[i], &args[i]);
	c.args = args;
	c.results = r->slots;
	r->nresults = ext.ftype->nresults;
	r->types = ext.ftype->types + ext.ftype->nparams;
	r->trap = mewz_linux_invoke(run_call, &c, NULL);
	return true;
}

static bool trap_text_matches(uint32_t code, const wj_str *want)
{
	const char *got = mewz_trap_text(code);
	size_t n = strlen(got);

	/* The scripts sometimes add detail ("uninitialized element 2"). */
	if (want->len >= n)
		return memcmp(want->ptr, got, n) == 0;
	return memcmp(got, want->ptr, want->len) == 0;
}

static void cmd_assert_return(const wj_command *c)
{
	struct action_result r;
	char why[512], a[256], b[256], pname[256];

	if (!perform(&c->action, &r, why, sizeof(why))) {
		spec_fail(c->line, "assert_return %s", why);
		return;
	}
	printable(&c->action.field, pname, sizeof(pname));
	if (r.trap) {
		spec_fail(c->line, "assert_return \"%s\": trapped: %s", pname, mewz_trap_text(r.trap));
		return;
	}
	if (r.nresults != c->nexpected) {
		spec_fail(c->line, "assert_return \"%s\": %u results, expected %u", pname,
			  r.nresults, c->nexpected);
		return;
	}
	for (uint32_t i = 0; i < r.nresults; i++) {
		if (spec_value_matches(&c->expected[i], &r.slots[i]))
			continue;
		spec_value_format(&c->expected[i], a, sizeof(a));
		spec_slot_format(r.types[i], c->expected[i].lane_type, &r.slots[i], b, sizeof(b));
		spec_fail(c->line, "assert_return \"%s\" result %u: expected %s, got %s", pname, i, a, b);
		return;
	}
	spec_pass(c->line);
}

static void cmd_assert_trap(const wj_command *c, bool exhaustion)
{
	const char *what = exhaustion ? "assert_exhaustion" : "assert_trap";
	struct action_result r;
	char why[512], pname[256];

	if (!perform(&c->action, &r, why, sizeof(why))) {
		spec_fail(c->line, "%s %s", what, why);
		return;
	}
	printable(&c->action.field, pname, sizeof(pname));
	if (!r.trap) {
		spec_fail(c->line, "%s \"%s\": returned, expected trap \"%s\"", what, pname, c->text.ptr);
		return;
	}
	if (!trap_text_matches(r.trap, &c->text)) {
		spec_fail(c->line, "%s \"%s\": trap \"%s\", expected \"%s\"", what, pname,
			  mewz_trap_text(r.trap), c->text.ptr);
		return;
	}
	spec_pass(c->line);
}

static void cmd_action(const wj_command *c)
{
	struct action_result r;
	char why[512];

	if (!perform(&c->action, &r, why, sizeof(why))) {
		spec_fail(c->line, "action %s", why);
		return;
	}
	if (r.trap) {
		spec_fail(c->line, "action trapped: %s", mewz_trap_text(r.trap));
		return;
	}
	spec_pass(c->line);
}

/* ---- modules ------------------------------------------------------------ */

static void cmd_module(const wj_script *s, const wj_command *c)
{
	struct spec_instance *in;
	char path[4096], msg[2048];
	uint32_t trap = 0;

	current = NULL;
	if (!wj_path(s, &c->filename, path, sizeof(path))) {
		spec_fail(c->line, "module: path too long");
		return;
	}
	switch (spec_instantiate(path, &in, &trap, msg, sizeof(msg))) {
	case SPEC_INST_OK:
		current = in;
		if (c->name.len)
			name_instance(&c->name, in);
		spec_pass(c->line);
		return;
	case SPEC_INST_TRAP:
		spec_fail(c->line, "module %s: trapped in __wasm_init: %s", c->filename.ptr,
			  mewz_trap_text(trap));
		return;
	default:
		spec_fail(c->line, "module %s: %s", c->filename.ptr, msg);
		return;
	}
}

static void cmd_register(const wj_command *c)
{
	struct spec_instance *in = c->name.len ? find_named(&c->name) : current;

	if (!in) {
		spec_fail(c->line, "register \"%s\": no module", c->as.ptr);
		return;
	}
	spec_register(&c->as, in);
	spec_pass(c->line);
}

/* The whole of a small module file into buf; false if unreadable or larger. */
static bool read_small(const char *path, char *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	*len = fread(buf, 1, cap, f);
	bool whole = *len < cap && !ferror(f);
	fclose(f);
	return whole;
}

/*
 * An earlier rejected module of this script with the same bytes as c's but
 * another expected message (wast2json writes `select (result)` as plain
 * `select`, say): the binary cannot carry c's distinction, so only the
 * rejection itself is checkable.  Returns that command or NULL.
 */
static const wj_command *binary_twin(const wj_script *s, const wj_command *c)
{
	static char mine[4096], theirs[4096];
	char path[4096];
	size_t nmine, ntheirs;

	if (!wj_path(s, &c->filename, path, sizeof(path)) ||
	    !read_small(path, mine, sizeof(mine), &nmine))
		return NULL;
	for (const wj_command *o = s->commands; o < c; o++) {
		if ((o->type != WJ_CMD_ASSERT_INVALID && o->type != WJ_CMD_ASSERT_MALFORMED) ||
		    o->module_type == WJ_MODULE_TEXT || strcmp(o->text.ptr, c->text.ptr) == 0)
			continue;
		if (wj_path(s, &o->filename, path, sizeof(path)) &&
		    read_small(path, theirs, sizeof(theirs), &ntheirs) && ntheirs == nmine &&
		    memcmp(mine, theirs, nmine) == 0)
			return o;
	}
	return NULL;
}

/* assert_invalid and binary assert_malformed: mewzc must exit 1 saying why. */
static void cmd_assert_rejected(const wj_script *s, const wj_command *c)
{
	const char *what = wj_cmd_name(c->type);
	char path[4096], err[2048];
	int rc;

	if (c->module_type == WJ_MODULE_TEXT) {
		spec_skip(c->line, "text-format assert_malformed (wast2json gives no binary)");
		return;
	}
	if (!wj_path(s, &c->filename, path, sizeof(path))) {
		spec_fail(c->line, "%s: path too long", what);
		return;
	}
	rc = spec_compile(path, NULL, false, err, sizeof(err));
	if (rc != 1) {
		spec_fail(c->line, "%s %s: mewzc exit %d, expected 1 (\"%s\") %s", what,
			  c->filename.ptr, rc, c->text.ptr, err);
		return;
	}
	if (!strstr(err, c->text.ptr)) {
		const wj_command *twin = binary_twin(s, c);

		if (twin && strstr(err, twin->text.ptr)) {
			char why[256];
			snprintf(why, sizeof(why),
				 "rejected, but the message \"%s\" is not checkable: the binary is "
				 "byte-identical to line %u's, which expects \"%s\"",
				 c->text.ptr, twin->line, twin->text.ptr);
			spec_skip(c->line, why);
			return;
		}
		err[strcspn(err, "\n")] = 0; /* the first line says it */
		spec_fail(c->line, "%s %s: message \"%s\" lacks \"%s\"", what, c->filename.ptr, err,
			  c->text.ptr);
		return;
	}
	spec_pass(c->line);
}

static void cmd_assert_instantiation(const wj_script *s, const wj_command *c)
{
	bool unlinkable = c->type == WJ_CMD_ASSERT_UNLINKABLE;
	const char *what = wj_cmd_name(c->type);
	struct spec_instance *in;
	char path[4096], msg[2048];
	uint32_t trap = 0;
	size_t n;

	if (!wj_path(s, &c->filename, path, sizeof(path))) {
		spec_fail(c->line, "%s: path too long", what);
		return;
	}
	enum spec_inst_status st = spec_instantiate(path, &in, &trap, msg, sizeof(msg));
	if (unlinkable && st == SPEC_INST_UNLINKABLE) {
		n = strlen(msg) < c->text.len ? strlen(msg) : c->text.len;
		if (memcmp(msg, c->text.ptr, n) == 0) {
			spec_pass(c->line);
			return;
		}
		spec_fail(c->line, "%s %s: \"%s\", expected \"%s\"", what, c->filename.ptr, msg, c->text.ptr);
		return;
	}
	if (!unlinkable && st == SPEC_INST_TRAP) {
		if (trap_text_matches(trap, &c->text)) {
			spec_pass(c->line);
			return;
		}
		spec_fail(c->line, "%s %s: trap \"%s\", expected \"%s\"", what, c->filename.ptr,
			  mewz_trap_text(trap), c->text.ptr);
		return;
	}
	if (st == SPEC_INST_OK)
		snprintf(msg, sizeof(msg), "instantiated");
	else if (st == SPEC_INST_TRAP)
		snprintf(msg, sizeof(msg), "trapped: %s", mewz_trap_text(trap));
	spec_fail(c->line, "%s %s: %s, expected \"%s\"", what, c->filename.ptr, msg, c->text.ptr);
}

static void run_command(const wj_script *s, const wj_command *c)
{
	switch (c->type) {
	case WJ_CMD_MODULE: cmd_module(s, c); return;
	case WJ_CMD_REGISTER: cmd_register(c); return;
	case WJ_CMD_ACTION: cmd_action(c); return;
	case WJ_CMD_ASSERT_RETURN: cmd_assert_return(c); return;
	case WJ_CMD_ASSERT_TRAP: cmd_assert_trap(c, false); return;
	case WJ_CMD_ASSERT_EXHAUSTION: cmd_assert_trap(c, true); return;
	case WJ_CMD_ASSERT_INVALID:
	case WJ_CMD_ASSERT_MALFORMED: cmd_assert_rejected(s, c); return;
	case WJ_CMD_ASSERT_UNLINKABLE:
	case WJ_CMD_ASSERT_UNINSTANTIABLE: cmd_assert_instantiation(s, c); return;
	}
	spec_fail(c->line, "unknown command type");
}

/* ---- the script --------------------------------------------------------- */

static int convert(const char *wast, const char *json, char *msg, size_t msglen)
{
	struct stat sw, sj;
	int status;
	pid_t pid;

	if (stat(wast, &sw)) {
		snprintf(msg, msglen, "%s: %s", wast, strerror(errno));
		return -1;
	}
	if (!stat(json, &sj) && sj.st_mtim.tv_sec > sw.st_mtim.tv_sec)
		return 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("wast2json", "wast2json", wast, "-o", json, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		unlink(json);
		snprintf(msg, msglen, "wast2json %s failed", wast);
		return -1;
	}
	return 0;
}

int spec_run_file(const char *wast, int out)
{
	const char *base = strrchr(wast, '/') ? strrchr(wast, '/') + 1 : wast;
	char dir[4096], json[4200], msg[512];
	size_t blen = strlen(base);
	wj_script s;

	if (blen > 5 && strcmp(base + blen - 5, ".wast") == 0)
		blen -= 5;
	results = fdopen(out, "w");
	if (!results)
		return -1;
	snprintf(dir, sizeof(dir), "%s/%.*s", spec_cfg.workdir, (int)blen, base);
	snprintf(json, sizeof(json), "%s/%.*s.json", dir, (int)blen, base);
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(results, "E cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (convert(wast, json, msg, sizeof(msg)) || !wj_load(json, &s, msg, sizeof(msg))) {
		fprintf(results, "E %s\n", msg);
		return -1;
	}
	if (spec_jit_init(msg, sizeof(msg)) || mewz_linux_thread_init(0)) {
		fprintf(results, "E %s\n", msg);
		return -1;
	}
	fprintf(results, "T %u\n", s.ncommands);
	fflush(results);
	for (uint32_t i = 0; i < s.ncommands; i++)
		run_command(&s, &s.commands[i]);
	fclose(results);
	wj_free(&s);
	return 0;
}
