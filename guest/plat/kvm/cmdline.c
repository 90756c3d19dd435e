/*
 * cmdline.c - splitting and interpreting the kernel command line (see
 * cmdline.h for the syntax).
 */
#include <string.h>

#include "cmdline.h"
#include "layout.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode the escape at *pp (just after a backslash) into *out, advancing
 * *pp.  Returns 0 or -1.
 */
static int unescape(const char **pp, char *out, const char **err)
{
	const char *p = *pp;
	int hi, lo;

	if (*p == '\0') {
		*err = "backslash at end of command line";
		return -1;
	}
	if (*p != 'x') {
		*out = *p;
		*pp = p + 1;
		return 0;
	}
	hi = hex_val(p[1]);
	lo = hi < 0 ? -1 : hex_val(p[2]);
	if (hi < 0 || lo < 0) {
		*err = "\\x needs two hex digits";
		return -1;
	}
	if (hi == 0 && lo == 0) {
		*err = "\\x00 cannot appear in an argument";
		return -1;
	}
	*out = (char)(hi << 4 | lo);
	*pp = p + 3;
	return 0;
}

/*
 * Decode one word starting at *pp into dst (which never overtakes the
 * reader: each input sequence yields at most one byte).  Returns 0 or -1.
 */
static int split_word(const char **pp, char **dst, const char **err)
{
	const char *p = *pp;
	char *w = *dst;
	char quote = 0;

	while (*p && (quote || !is_space(*p))) {
		char c = *p++;

		if (quote == '\'' && c != '\'') {
			*w++ = c;
		} else if (c == quote) {
			quote = 0;
		} else if (!quote && (c == '"' || c == '\'')) {
			quote = c;
		} else if (c == '\\') {
			if (unescape(&p, w, err) < 0)
				return -1;
			w++;
		} else {
			*w++ = c;
		}
	}
	if (quote) {
		*err = "unterminated quote";
		return -1;
	}
	*pp = p;
	*dst = w;
	return 0;
}

int cmdline_split(char *s, char **words, size_t max, const char **err)
{
	const char *p = s;
	char *w = s;
	size_t n = 0;

	for (;;) {
		while (is_space(*p))
			p++;
		if (!*p)
			break;
		if (n == max) {
			*err = "too many words";
			return -1;
		}
		words[n] = w;
		if (split_word(&p, &w, err) < 0)
			return -1;
		/* Step over one separator first: the terminator may then take
		 * its place, but never lands on unread input. */
		if (*p)
			p++;
		*w++ = '\0';
		n++;
	}
	return (int)n;
}

static int parse_u64(const char *s, uint64_t *v)
{
	uint64_t r = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || r > (UINT64_MAX - 9) / 10)
			return -1;
		r = r * 10 + (uint64_t)(*s - '0');
	}
	*v = r;
	return 0;
}

/* A size with an optional K or M suffix, within [STACK_SIZE_MIN,
 * STACK_SIZE_MAX] (64K..512M). */
static int parse_size(const char *s, uint64_t *v)
{
	size_t n = strlen(s);
	uint64_t unit = 1, r;
	char num[24];

	if (n == 0 || n >= sizeof(num))
		return -1;
	if (s[n - 1] == 'K' || s[n - 1] == 'k')
		unit = 1024, n--;
	else if (s[n - 1] == 'M' || s[n - 1] == 'm')
		unit = 1024 * 1024, n--;
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_u64(num, &r) < 0 || r > STACK_SIZE_MAX / unit)
		return -1;
	r *= unit;
	if (r < STACK_SIZE_MIN)
		return -1;
	*v = r;
	return 0;
}

static char default_name[] = "app";
static char *default_argv[] = {default_name};

int cmdline_interpret(char **words, size_t n, char **env, struct cmdline *out,
		      const char **err)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->envp = env;
	out->argv = default_argv;
	out->argc = 1;
	for (i = 0; i < n; i++) {
		char *w = words[i];

		if (strcmp(w, "--") == 0) {
			if (i + 1 < n) {
				out->argv = words + i + 1;
				out->argc = n - i - 1;
			}
			return 0;
		}
		if (strncmp(w, "env=", 4) == 0 && strchr(w + 4, '=')) {
			env[out->envc++] = w + 4;
		} else if (strcmp(w, "inject=symtab-fault") == 0 ||
			   strcmp(w, "inject=panic-fault") == 0) {
			out->inject = w + 7;
		} else if (strncmp(w, "stack=", 6) == 0 &&
			   parse_size(w + 6, &out->stack_bytes) == 0) {
			continue;
		} else if (strcmp(w, "devices") == 0) {
			out->list_devices = 1;
		} else if (strcmp(w, "hostlink") == 0) {
			out->hostlink = 1;
		} else if (strcmp(w, "net=host") == 0 ||
			   strcmp(w, "net=lwip") == 0) {
			out->net_lwip = w[4] == 'l';
		} else if (strncmp(w, "ip=", 3) == 0 && w[3]) {
			out->ip = w + 3;
		} else if (strncmp(w, "dns=", 4) == 0 && w[4]) {
			out->dns = w + 4;
		} else if (strcmp(w, "stdin=serial") == 0) {
			out->stdin_serial = 1;
		} else if (strncmp(w, "watchdog=", 9) == 0 &&
			   parse_u64(w + 9, &out->watchdog_s) == 0) {
			continue;
		} else {
			*err = "unknown or malformed option";
			return -1;
		}
	}
	return 0;
}
