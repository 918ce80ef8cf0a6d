/*
 * bench.h - helpers shared by the benchmark drivers: a monotonic clock,
 * reading a file, and loading a scenario once (parse, check, assemble, set up
 * the PE) so that a driver can run the model on copies of its initial state.
 * The drivers use the scenario library's internal interface (load.h): they
 * time the model alone, without the runner's snapshots and evaluation.
 */
#ifndef SERRSIM_BENCH_H
#define SERRSIM_BENCH_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load.h"

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The whole file, NUL-terminated; exits on failure. */
static inline char *bench_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, 2 * cap + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", path);
		exit(3);
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Parse and load a scenario text; exits with its diagnostics on failure. */
static inline struct scn *bench_load(const char *name, const char *text, size_t len)
{
	struct scn *s = calloc(1, sizeof *s);
	struct ss_diags *d = calloc(1, sizeof *d);
	if (!s || !d) {
		fprintf(stderr, "out of memory\n");
		exit(3);
	}
	struct ss_run_options opt = { 0 };
	if (!scn_ast_parse(text, len, &s->ast, d) || !scn_load(s, &opt, d)) {
		char buf[SS_DIAG_MSG + 512];
		ss_diag_sort(d);
		for (size_t i = 0; i < d->n; i++) {
			ss_diag_format(name, &d->v[i], buf, sizeof buf);
			fprintf(stderr, "%s\n", buf);
		}
		exit(2);
	}
	free(d);
	return s;
}

static int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

#endif
