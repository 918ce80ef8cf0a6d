/*
 * suite.c - the per-scenario cost benchmark: parse + run (load, assemble,
 * run, evaluate every expectation) of each scenario of a suite, through the
 * scenario library's public entry point ss_scenario_run_text.
 *
 *   bench-suite [-r REPEATS] [DIR]      (default DIR: scenarios/conformance)
 *
 * Every *.scn file of DIR (not recursive) is read into memory once; then each
 * is parsed and run REPEATS times (default 20) and its fastest time kept.
 * Reports the number of scenarios, the mean and median of those per-scenario
 * times in microseconds, the slowest scenario, and how many passed.
 */
#include <dirent.h>
#include <inttypes.h>

#include "bench.h"

#ifndef BENCH_SCENARIO_DIR
#define BENCH_SCENARIO_DIR "scenarios/conformance"
#endif

struct item {
	char *path;
	char *text;
	size_t len;
	uint64_t best;
	bool pass;
};

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item *)a)->path, ((const struct item *)b)->path);
}

int main(int argc, char **argv)
{
	unsigned repeats = 20;
	const char *dir = BENCH_SCENARIO_DIR;
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "-r")) {
		repeats = (unsigned)strtoul(argv[i + 1], NULL, 0);
		i += 2;
	}
	if (i < argc)
		dir = argv[i++];
	if (repeats == 0 || repeats > 100000 || i != argc) {
		fprintf(stderr, "usage: bench-suite [-r REPEATS] [DIR]\n");
		return 2;
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return 2;
	}
	struct item *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".scn"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				return 3;
		}
		struct item *it = &v[n++];
		memset(it, 0, sizeof *it);
		it->path = malloc(strlen(dir) + l + 2);
		if (!it->path)
			return 3;
		sprintf(it->path, "%s/%s", dir, e->d_name);
		it->text = bench_read_file(it->path, &it->len);
		it->best = UINT64_MAX;
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "%s: no *.scn files\n", dir);
		return 2;
	}
	qsort(v, n, sizeof *v, cmp_item);

	size_t passed = 0;
	uint64_t t_all0 = bench_now_ns();
	for (unsigned r = 0; r < repeats; r++) {
		for (size_t k = 0; k < n; k++) {
			struct ss_result res;
			uint64_t t0 = bench_now_ns();
			enum ss_status st = ss_scenario_run_text(v[k].path, v[k].text, v[k].len, NULL, &res);
			uint64_t dt = bench_now_ns() - t0;
			ss_result_free(&res);
			if (dt < v[k].best)
				v[k].best = dt;
			v[k].pass = st == SS_STATUS_PASS;
		}
	}
	uint64_t t_all = bench_now_ns() - t_all0;
	uint64_t *t = malloc(n * sizeof *t), sum = 0;
	size_t slow = 0;
	if (!t)
		return 3;
	for (size_t k = 0; k < n; k++) {
		t[k] = v[k].best;
		sum += t[k];
		passed += v[k].pass;
		if (v[k].best > v[slow].best)
			slow = k;
	}
	qsort(t, n, sizeof *t, bench_cmp_u64);
	printf("suite: %zu scenarios in %s, %u runs each (best run of each kept), %zu passed\n", n, dir,
	       repeats, passed);
	printf("  parse + run per scenario: mean %.1f us, median %.1f us, min %.1f us, max %.1f us (%s)\n",
	       (double)sum / (double)n / 1e3, (double)t[n / 2] / 1e3, (double)t[0] / 1e3,
	       (double)t[n - 1] / 1e3, v[slow].path);
	printf("  all runs: %.1f ms wall, %.1f us per scenario run on average\n", (double)t_all / 1e6,
	       (double)t_all / 1e3 / ((double)n * repeats));
	for (size_t k = 0; k < n; k++) {
		free(v[k].path);
		free(v[k].text);
	}
	free(v);
	free(t);
	return passed == n ? 0 : 1;
}
