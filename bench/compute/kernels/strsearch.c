/*
 * strsearch - count occurrences of a set of patterns in 4 MiB of generated
 * word text, with Boyer-Moore-Horspool and, as a cross-check, a naive scan;
 * the two counts must agree.
 */
#include "bench.h"

#define TEXT_SIZE (4u << 20)
#define NPAT 8

static char text[TEXT_SIZE];

static const char *const words[] = {
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog",
	"wasm", "unikernel", "compiler", "memory", "guard", "page", "trap",
	"module", "function", "table", "export", "import", "a", "of", "to",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const patterns[NPAT] = {
	"the lazy dog", "compiler", "trap a", "fox jumps over", "e m",
	"memory guard page", "zz", "import export table function",
};

static void make_text(void)
{
	uint64_t s = 2024;
	uint32_t pos = 0;

	while (pos < TEXT_SIZE - 1) {
		const char *w = words[(bench_rand(&s) >> 33) % NWORDS];
		while (*w && pos < TEXT_SIZE - 1)
			text[pos++] = *w++;
		if (pos < TEXT_SIZE - 1)
			text[pos++] = ' ';
	}
	text[pos] = 0;
}

static uint32_t horspool(const char *t, uint32_t n, const char *p, uint32_t m)
{
	uint32_t skip[256], i, count = 0;

	for (i = 0; i < 256; i++)
		skip[i] = m;
	for (i = 0; i + 1 < m; i++)
		skip[(uint8_t)p[i]] = m - 1 - i;
	for (i = 0; i + m <= n; i += skip[(uint8_t)t[i + m - 1]]) {
		uint32_t j = m;
		while (j > 0 && t[i + j - 1] == p[j - 1])
			j--;
		if (j == 0)
			count++;
	}
	return count;
}

static uint32_t naive(const char *t, uint32_t n, const char *p, uint32_t m)
{
	uint32_t i, j, count = 0;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m && t[i + j] == p[j]; j++)
			;
		count += j == m;
	}
	return count;
}

int main(int argc, char **argv)
{
	uint32_t reps = bench_reps(25, bench_scale(argc, argv)), r, k;
	uint64_t h = BENCH_HASH_INIT;
	uint32_t n = TEXT_SIZE - 1;

	make_text();
	for (r = 0; r < reps; r++) {
		for (k = 0; k < NPAT; k++) {
			uint32_t m = (uint32_t)strlen(patterns[k]);
			uint32_t a = horspool(text, n, patterns[k], m);
			if (k == r % NPAT && a != naive(text, n, patterns[k], m)) {
				printf("strsearch: counts disagree for '%s'\n", patterns[k]);
				return 1;
			}
			h = bench_mix(h, a);
		}
		/* Change the text a little so each repetition differs. */
		text[(r * 7919) % n] = 'z';
	}
	bench_report("strsearch", h);
	return 0;
}
