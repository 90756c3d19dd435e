/*
 * files.c - copy, list, rename and delete files in ./data, with plain C
 * stdio and POSIX calls (wasi-libc).  Run it with the directory shared:
 *
 *     mewz run --native build/examples/files.wasm --share ./data:/data
 *     mewz run build/examples/files.wasm --share ./data:/data
 *
 * It expects /data/notes.txt and leaves /data/archive/notes-copy.txt
 * behind; everything else it creates it deletes again.  The output is
 * the same on every run (listings are sorted).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[4096];
	size_t n, total = 0;

	if (!in) {
		perror(from);
		return -1;
	}
	out = fopen(to, "wb");
	if (!out) {
		perror(to);
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		fwrite(buf, 1, n, out);
		total += n;
	}
	fclose(in);
	if (fclose(out)) {
		perror(to);
		return -1;
	}
	printf("copied %s -> %s (%zu bytes)\n", from, to, total);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path)
{
	DIR *d = opendir(path);
	char *names[256];
	size_t n = 0;
	struct dirent *e;

	if (!d) {
		perror(path);
		return;
	}
	while ((e = readdir(d)) && n < 256)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	printf("%s:\n", path);
	for (size_t i = 0; i < n; i++) {
		char full[512];
		struct stat st;

		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (stat(full, &st) == 0)
			printf("  %-20s %s %lld\n", names[i],
			       S_ISDIR(st.st_mode) ? "dir " : "file",
			       S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
		free(names[i]);
	}
}

int main(void)
{
	if (copy("/data/notes.txt", "/data/notes-copy.txt"))
		return 1;
	if (copy("/data/notes.txt", "/data/scratch.txt"))
		return 1;
	if (mkdir("/data/archive", 0755)) {
		perror("/data/archive");
		return 1;
	}
	list("/data");
	if (rename("/data/notes-copy.txt", "/data/archive/notes-copy.txt")) {
		perror("rename");
		return 1;
	}
	printf("renamed notes-copy.txt -> archive/notes-copy.txt\n");
	if (unlink("/data/scratch.txt")) {
		perror("unlink");
		return 1;
	}
	printf("deleted scratch.txt\n");
	list("/data");
	list("/data/archive");
	return 0;
}
