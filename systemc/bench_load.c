/*
 * bench_load.c - for bench-systemc (C++): load a scenario with the bench
 * helpers and hand back a copy of its initial PE state.
 */
#include "bench.h"

#include "bench_load.h"

struct ss_pe *bench_sc_load(const char *name, const char *text, size_t len)
{
	struct scn *s = bench_load(name, text, len);
	struct ss_pe *pe = malloc(sizeof *pe);
	if (!pe) {
		fprintf(stderr, "out of memory\n");
		exit(3);
	}
	ss_pe_copy(pe, s->pe);
	/* The program stays with the loaded scenario, kept for the process. */
	return pe;
}

char *bench_sc_read_file(const char *path, size_t *len)
{
	return bench_read_file(path, len);
}

uint64_t bench_sc_now_ns(void)
{
	(void)bench_cmp_u64;
	return bench_now_ns();
}
