/*
 * spec_main.c - the spec-suite runner's driver.
 *
 *   spec_run [-j N] [--mewzc PATH] [-O0|-O1|-O2] [--workdir DIR] [-v] FILE.wast...
 *
 * Each script runs in its own child process (at most N at once), so a
 * crash or hang of compiled code costs one script, whose unreported
 * commands then count as failures.  The child writes its results to
 * DIR/<name>.results as it goes; the parent prints, per script, a line
 * "<name>.wast: N passed, N failed, N skipped", each failure, and the
 * skipped lines grouped by reason, then the total.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spec.h"

struct spec_config spec_cfg = {
	.mewzc = "build/bin/mewzc",
	.opt = "-O1",
	.workdir = "build/tests/spec",
};

/* A script that runs longer than this is stuck: kill it, count the rest. */
#define SCRIPT_WATCHDOG_SECONDS 900
#define MAX_FAILURES_SHOWN 40

struct script {
	const char *wast;
	char results[4096];
	pid_t pid;
	char *report; /* the finished script's block, printed in file order */
	size_t report_len;
};

static unsigned long total_pass, total_fail, total_skip;

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void start(struct script *sc)
{
	int fd;

	snprintf(sc->results, sizeof(sc->results), "%s/%s.results", spec_cfg.workdir,
		 base_name(sc->wast));
	fd = open(sc->results, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "spec: %s: %s\n", sc->results, strerror(errno));
		sc->pid = -1;
		return;
	}
	fflush(stdout);
	sc->pid = fork();
	if (sc->pid == 0) {
		alarm(SCRIPT_WATCHDOG_SECONDS);
		_exit(spec_run_file(sc->wast, fd) ? 2 : 0);
	}
	close(fd);
}

/* Skipped lines with one reason, listed together. */
struct skip_group {
	char reason[200];
	char lines[4000];
	unsigned count;
};

static void add_skip(struct skip_group *g, size_t *ng, size_t cap, unsigned line, const char *why)
{
	size_t i;

	for (i = 0; i < *ng; i++)
		if (strcmp(g[i].reason, why) == 0)
			break;
	if (i == *ng) {
		if (*ng == cap)
			return;
		snprintf(g[i].reason, sizeof(g[i].reason), "%s", why);
		g[i].lines[0] = 0;
		g[i].count = 0;
		(*ng)++;
	}
	size_t used = strlen(g[i].lines);
	snprintf(g[i].lines + used, sizeof(g[i].lines) - used, "%s%u", g[i].count ? "," : "", line);
	g[i].count++;
}

/* Read a finished script's results and write its block to sc->report. */
static void report(struct script *sc, int status)
{
	const char *name = base_name(sc->wast);
	unsigned long pass = 0, fail = 0, skip = 0, commands = 0;
	struct skip_group groups[8];
	size_t ngroups = 0;
	char line[2048], errmsg[1024] = "";
	FILE *f = fopen(sc->results, "r");
	FILE *out = open_memstream(&sc->report, &sc->report_len);
	unsigned shown = 0;

	if (!out) {
		perror("spec: open_memstream");
		exit(2);
	}
	while (f && fgets(line, sizeof(line), f)) {
		unsigned ln = 0;
		char *rest;
		line[strcspn(line, "\n")] = 0;
		ln = (unsigned)strtoul(line + 1, &rest, 10);
		if (*rest == ' ')
			rest++;
		switch (line[0]) {
		case 'T': commands = ln; break;
		case 'P': pass++; break;
		case 'S':
			skip++;
			add_skip(groups, &ngroups, 8, ln, rest);
			break;
		case 'F':
			fail++;
			if (shown++ < MAX_FAILURES_SHOWN)
				fprintf(out, "  FAIL %s:%u: %s\n", name, ln, rest);
			break;
		case 'E': snprintf(errmsg, sizeof(errmsg), "%s", line + 2); break;
		}
	}
	if (f)
		fclose(f);
	if (shown > MAX_FAILURES_SHOWN)
		fprintf(out, "  ... %u more failures in %s\n", shown - MAX_FAILURES_SHOWN, sc->results);
	/* Commands that never reported (crash, watchdog) failed. */
	if (pass + fail + skip < commands) {
		unsigned long lost = commands - (pass + fail + skip);
		if (WIFSIGNALED(status))
			fprintf(out, "  FAIL %s: the runner died of signal %d; %lu commands did not run\n",
			       name, WTERMSIG(status), lost);
		else
			fprintf(out, "  FAIL %s: the runner exited early (status %d); %lu commands did not run\n",
			       name, WIFEXITED(status) ? WEXITSTATUS(status) : -1, lost);
		fail += lost;
	}
	if (!commands) {
		fprintf(out, "  FAIL %s: %s\n", name, errmsg[0] ? errmsg : "no results");
		fail++;
	}
	for (size_t i = 0; i < ngroups; i++)
		fprintf(out, "  SKIP %s: %u x %s: lines %s\n", name, groups[i].count, groups[i].reason,
		       groups[i].lines);
	fprintf(out, "%s: %lu passed, %lu failed, %lu skipped\n", name, pass, fail, skip);
	fclose(out);
	total_pass += pass;
	total_fail += fail;
	total_skip += skip;
}

/* Print finished blocks in file order, whatever order scripts end in. */
static void print_ready(struct script *scripts, int started, int *printed)
{
	while (*printed < started && scripts[*printed].report) {
		fwrite(scripts[*printed].report, 1, scripts[*printed].report_len, stdout);
		fflush(stdout);
		free(scripts[*printed].report);
		scripts[*printed].report = NULL;
		(*printed)++;
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: spec_run [-j N] [--mewzc PATH] [-O0|-O1|-O2] [--workdir DIR] FILE.wast...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct script *scripts;
	int jobs = 2, nfiles = 0, next = 0, running = 0;
	char **files = calloc((size_t)argc, sizeof(char *));

	if (!files)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") && i + 1 < argc)
			jobs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--mewzc") && i + 1 < argc)
			spec_cfg.mewzc = argv[++i];
		else if (!strcmp(argv[i], "--workdir") && i + 1 < argc)
			spec_cfg.workdir = argv[++i];
		else if (!strncmp(argv[i], "-O", 2))
			spec_cfg.opt = argv[i];
		else if (!strcmp(argv[i], "-v"))
			spec_cfg.verbose = true;
		else if (argv[i][0] == '-')
			usage();
		else
			files[nfiles++] = argv[i];
	}
	if (!nfiles || jobs < 1)
		usage();
	if (access(spec_cfg.mewzc, X_OK)) {
		printf("spec: %s is not built\n0 passed, 1 failed\n", spec_cfg.mewzc);
		free(files);
		return 1;
	}
	mkdir(spec_cfg.workdir, 0777);
	scripts = calloc((size_t)nfiles, sizeof(*scripts));
	if (!scripts) {
		free(files);
		return 2;
	}
	int printed = 0;
	while (next < nfiles || running) {
		while (running < jobs && next < nfiles) {
			scripts[next].wast = files[next];
			start(&scripts[next]);
			if (scripts[next].pid > 0) {
				running++;
			} else {
				total_fail++;
				if (asprintf(&scripts[next].report, "  FAIL %s: could not start\n",
					     base_name(files[next])) < 0)
					return 2;
				scripts[next].report_len = strlen(scripts[next].report);
			}
			next++;
		}
		if (!running)
			continue;
		int status;
		pid_t pid = wait(&status);
		if (pid < 0)
			break;
		for (int i = 0; i < next; i++) {
			if (scripts[i].pid != pid)
				continue;
			scripts[i].pid = 0;
			running--;
			report(&scripts[i], status);
		}
		print_ready(scripts, next, &printed);
	}
	print_ready(scripts, next, &printed);
	printf("%lu passed, %lu failed, %lu skipped\n", total_pass, total_fail, total_skip);
	free(scripts);
	free(files);
	return total_fail != 0;
}
