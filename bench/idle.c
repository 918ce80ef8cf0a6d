/*
 * idle.c - the idle-skipping benchmark.
 *
 *   bench-idle [-r REPEATS] [EVENTS] [SPAN]
 *
 * A PE at EL1 sleeps in a WFI loop; EVENTS SErrors (default 1000) arrive
 * evenly over SPAN cycles (default 10^12).  Each wakes the PE, is taken at
 * EL1 (the handler counts it and ERETs) and the loop goes back to sleep.
 * The scenario text is generated here, loaded once, and run REPEATS times
 * (default 5) on copies of the initial state with no observer.  Reports the
 * simulated cycles, wall time per run, and time per event; the engine must
 * jump over idle time, so the cost does not depend on SPAN.
 */
#include <inttypes.h>

#include "bench.h"

int main(int argc, char **argv)
{
	unsigned repeats = 5;
	uint64_t events = 1000, span = UINT64_C(1000000000000);
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "-r")) {
		repeats = (unsigned)strtoul(argv[i + 1], NULL, 0);
		i += 2;
	}
	if (i < argc)
		events = strtoull(argv[i++], NULL, 0);
	if (i < argc)
		span = strtoull(argv[i++], NULL, 0);
	if (events == 0 || events > SS_MAX_EVENTS || span / events < 100 || repeats == 0 ||
	    repeats > 1000 || i != argc) {
		fprintf(stderr, "usage: bench-idle [-r REPEATS] [EVENTS (1..%d)] [SPAN (>= 100 x EVENTS)]\n",
			SS_MAX_EVENTS);
		return 2;
	}

	size_t cap = 4096 + events * 64, len = 0;
	char *text = malloc(cap);
	if (!text)
		return 3;
	len += (size_t)snprintf(text + len, cap - len,
		"scenario: bench-idle\n"
		"[cpu]\nmax_cycles = %" PRIu64 "\n"
		"[init]\nPSTATE.EL = 1\nPSTATE.SP = 1\nPSTATE.A = 0\nX0 = %" PRIu64 "\n"
		"[code]\n"
		"start:\n"
		"loop:\n    wfi\n    subs x0, x0, #1\n    b.ne loop\n    end\n"
		".vector EL1 curr_spx serror\n    add x2, x2, #1\n    eret\n"
		"[events]\n", span + 1000000, events);
	uint64_t step = span / events;
	for (uint64_t k = 1; k <= events; k++)
		len += (size_t)snprintf(text + len, cap - len, "at %" PRIu64 ": serror AET=UER\n",
					k * step);

	uint64_t tl0 = bench_now_ns();
	struct scn *s = bench_load("bench-idle", text, len);
	uint64_t tl1 = bench_now_ns();
	struct ss_pe *init = malloc(sizeof *init), *pe = malloc(sizeof *pe);
	uint64_t *ns = calloc(repeats, sizeof *ns);
	if (!init || !pe || !ns)
		return 3;
	ss_pe_copy(init, s->pe);
	for (unsigned r = 0; r < repeats; r++) {
		ss_pe_copy(pe, init);
		uint64_t t0 = bench_now_ns();
		enum ss_stop st = ss_run(pe, NULL);
		ns[r] = bench_now_ns() - t0;
		if (st != SS_STOP_END || pe->x[2] != events || pe->nexc != events ||
		    pe->cycle < events * step) {
			fprintf(stderr, "bench-idle: wrong result: stop %s, %" PRIu64 " taken, cycle %" PRIu64 "\n",
				ss_stop_name(st), pe->x[2], pe->cycle);
			return 1;
		}
	}
	qsort(ns, repeats, sizeof *ns, bench_cmp_u64);
	printf("idle: %" PRIu64 " SErrors over %" PRIu64 " cycles, WFI loop, %u runs\n", events, span,
	       repeats);
	printf("  per run: %" PRIu64 " simulated cycles, %" PRIu64 " instructions, %" PRIu32
	       " exceptions\n", pe->cycle, pe->ninsn, pe->nexc);
	printf("  load (parse + assemble, once): %.3f ms\n", (double)(tl1 - tl0) / 1e6);
	printf("  run best   %.3f ms (%.1f ns per event)\n", (double)ns[0] / 1e6,
	       (double)ns[0] / (double)events);
	printf("  run median %.3f ms (%.1f ns per event)\n", (double)ns[repeats / 2] / 1e6,
	       (double)ns[repeats / 2] / (double)events);
	free(ns);
	free(pe);
	free(init);
	scn_free(s);
	free(s);
	free(text);
	return 0;
}
