/*
 * validate_test.c - the `validate` suite: the decoder and validator of
 * mewzc against the spec suite's module and assertion commands, plus unit
 * checks of edge cases the suite does not reach (unit_checks.c).
 *
 * For every .wast given, runs `wast2json` into WORKDIR and checks:
 *   module, assert_unlinkable, assert_uninstantiable, assert_trap/return's
 *     modules: the binary decodes and validates;
 *   assert_malformed (binary): mz_decode rejects it;
 *   assert_invalid: mz_decode or mz_validate rejects it;
 * and, for each rejection, separately, that our message starts with the
 * expected text (the spec interpreter's own rule: the expected text is a
 * prefix of the actual one).  Text-format assert_malformed modules are
 * skipped: they test the text parser, which mewzc does not have.
 *
 * Usage: validate_test WORKDIR FILE.wast...
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "module.h"
#include "unit_checks.h"
#include "wastjson.h"

extern char **environ;

typedef struct tally {
	unsigned passed, failed, skipped;
	unsigned skipped_text; /* of `skipped`: text-format modules */
} tally;

/*
 * Message checks that cannot apply to the binary wast2json writes: the
 * expected text is what the spec interpreter says about the *text* module,
 * and the binary encoding loses what it reports.  The rejection itself is
 * still checked; only the message check is skipped, with this reason.
 */
static const struct {
	const char *file;
	uint32_t line;
	const char *text;
	const char *reason;
} message_na[] = {
    {"select.wast", 324, "invalid result arity",
     "wast2json encodes `select (result)` with no type as plain `select`, "
     "byte-identical to the module at line 320"},
};

static const char *message_na_reason(const char *file, const wj_command *c)
{
	size_t i;

	for (i = 0; i < sizeof(message_na) / sizeof(message_na[0]); i++)
		if (strcmp(message_na[i].file, file) == 0 &&
		    message_na[i].line == c->line &&
		    strcmp(message_na[i].text, c->text.ptr) == 0)
			return message_na[i].reason;
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Run wast2json without a shell; true when it exits 0. */
static bool run_wast2json(const char *wast, const char *json)
{
	char *argv[] = {"wast2json", (char *)wast, "-o", (char *)json, NULL};
	pid_t pid;
	int status;

	if (posix_spawnp(&pid, "wast2json", NULL, NULL, argv, environ) != 0)
		return false;
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Decode and validate; returns 0 valid, 1 malformed, 2 invalid. */
static int check_module(const uint8_t *bytes, size_t len, mz_error *err)
{
	mz_module m;
	int rc = 0;

	if (!mz_decode(bytes, len, &m, err))
		return 1;
	if (!mz_validate(&m, err))
		rc = 2;
	mz_module_free(&m);
	return rc;
}

static bool prefix_match(const char *expected, const char *actual)
{
	return strncmp(expected, actual, strlen(expected)) == 0;
}

static void fail(tally *t, const char *file, uint32_t line, const char *what)
{
	t->failed++;
	printf("FAIL %s:%u: %s\n", file, line, what);
}

static void run_command(const wj_script *s, const wj_command *c,
			const char *file, tally *t)
{
	char path[4096], msg[512];
	uint8_t *bytes;
	size_t len;
	mz_error err = {0};
	int rc;
	bool want_valid = c->type == WJ_CMD_MODULE ||
			  c->type == WJ_CMD_ASSERT_UNLINKABLE ||
			  c->type == WJ_CMD_ASSERT_UNINSTANTIABLE;
	bool want_malformed = c->type == WJ_CMD_ASSERT_MALFORMED;
	bool want_invalid = c->type == WJ_CMD_ASSERT_INVALID;

	if (!want_valid && !want_malformed && !want_invalid)
		return;
	if (c->module_type == WJ_MODULE_TEXT) {
		/* Only wat-parser tests: nothing for a binary decoder. */
		t->skipped++;
		t->skipped_text++;
		return;
	}
	if (!wj_path(s, &c->filename, path, sizeof(path)) ||
	    !wj_read_file(path, &bytes, &len)) {
		fail(t, file, c->line, "cannot read module file");
		return;
	}
	rc = check_module(bytes, len, &err);
	free(bytes);
	if (want_valid) {
		if (rc == 0) {
			t->passed++;
			return;
		}
		snprintf(msg, sizeof(msg),
			 "%s: valid module rejected: %s (at %zu)",
			 wj_cmd_name(c->type), err.msg, err.offset);
		fail(t, file, c->line, msg);
		return;
	}
	/* Rejected, and by the right pass. */
	if ((want_malformed && rc == 1) || (want_invalid && rc != 0)) {
		t->passed++;
	} else {
		snprintf(msg, sizeof(msg), "%s \"%s\": %s",
			 wj_cmd_name(c->type), c->text.ptr,
			 rc == 0
			     ? "accepted"
			     : "rejected by the validator, not the decoder");
		fail(t, file, c->line, msg);
		return;
	}
	/* The message is its own check. */
	if (prefix_match(c->text.ptr, err.msg)) {
		t->passed++;
		return;
	}
	if (message_na_reason(file, c)) {
		t->skipped++;
		printf("SKIP %s:%u: message check (expected \"%s\", got "
		       "\"%s\"): %s\n",
		       file, c->line, c->text.ptr, err.msg,
		       message_na_reason(file, c));
		return;
	}
	snprintf(msg, sizeof(msg),
		 "%s: message mismatch: expected \"%s\", got \"%s\" (at %zu)",
		 wj_cmd_name(c->type), c->text.ptr, err.msg, err.offset);
	fail(t, file, c->line, msg);
}

static void run_file(const char *workdir, const char *wast, tally *total)
{
	char json[4096], err[256];
	const char *name = base_name(wast);
	wj_script s;
	tally t = {0};
	uint32_t i;

	snprintf(json, sizeof(json), "%s/%.*s.json", workdir,
		 (int)(strlen(name) - (strlen(name) > 5 ? 5 : 0)), name);
	if (!run_wast2json(wast, json)) {
		fail(total, name, 0, "wast2json failed");
		return;
	}
	if (!wj_load(json, &s, err, sizeof(err))) {
		fail(total, name, 0, err);
		return;
	}
	for (i = 0; i < s.ncommands; i++)
		run_command(&s, &s.commands[i], name, &t);
	wj_free(&s);
	if (t.failed)
		printf("%s: %u passed, %u failed, %u skipped\n", name, t.passed,
		       t.failed, t.skipped);
	total->passed += t.passed;
	total->failed += t.failed;
	total->skipped += t.skipped;
	total->skipped_text += t.skipped_text;
}

int main(int argc, char **argv)
{
	tally t = {0};
	unsigned up = 0, uf = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s WORKDIR FILE.wast...\n", argv[0]);
		return 2;
	}
	mkdir(argv[1], 0777);
	run_unit_checks(&up, &uf);
	printf("unit checks: %u passed, %u failed\n", up, uf);
	t.passed += up;
	t.failed += uf;
	for (i = 2; i < argc; i++)
		run_file(argv[1], argv[i], &t);
	printf("skipped: %u text-format assert_malformed modules (they test a "
	       "text parser; mewzc decodes only the binary format), %u message "
	       "checks listed above as SKIP\n",
	       t.skipped_text, t.skipped - t.skipped_text);
	printf("%u passed, %u failed, %u skipped\n", t.passed, t.failed,
	       t.skipped);
	return t.failed ? 1 : 0;
}
