/*
 * roundtrip.c - the SError round-trip benchmark (bench/roundtrip.scn).
 *
 *   bench-roundtrip [-r REPEATS] [N] [SCENARIO]
 *
 * Loads the scenario once, then REPEATS times (default 5): copies the PE's
 * initial state, sets X0 = N (default 1000000), runs the model to the end
 * with no observer, and checks the result (stop = end, X10 = 2N, X2 = the
 * checksum computed here) so that no work can be skipped.  Reports the best
 * and median run: ns per iteration, simulated instructions per second,
 * exceptions per second, and the checksum.
 */
#include <inttypes.h>

#include "bench.h"

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif

static uint64_t expected_checksum(uint64_t n)
{
	uint64_t s = 0;
	for (uint64_t k = 1; k <= 2 * n; k++)
		s += ((k & 1) ? UINT64_C(0x80000000) : UINT64_C(0xbe000000)) | (k & 0xffffff);
	return s;
}

int main(int argc, char **argv)
{
	unsigned repeats = 5;
	uint64_t n = 1000000;
	const char *path = BENCH_SOURCE_DIR "/roundtrip.scn";
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "-r")) {
		repeats = (unsigned)strtoul(argv[i + 1], NULL, 0);
		i += 2;
	}
	if (i < argc)
		n = strtoull(argv[i++], NULL, 0);
	if (i < argc)
		path = argv[i++];
	if (n == 0 || repeats == 0 || repeats > 1000 || i != argc) {
		fprintf(stderr, "usage: bench-roundtrip [-r REPEATS] [N] [SCENARIO]\n");
		return 2;
	}

	size_t len;
	char *text = bench_read_file(path, &len);
	struct scn *s = bench_load(path, text, len);
	struct ss_pe *init = malloc(sizeof *init), *pe = malloc(sizeof *pe);
	uint64_t *ns = calloc(repeats, sizeof *ns);
	if (!init || !pe || !ns)
		return 3;
	ss_pe_copy(init, s->pe);
	init->x[0] = n;
	uint64_t want = expected_checksum(n);

	for (unsigned r = 0; r < repeats; r++) {
		ss_pe_copy(pe, init);
		uint64_t t0 = bench_now_ns();
		enum ss_stop st = ss_run(pe, NULL);
		uint64_t t1 = bench_now_ns();
		ns[r] = t1 - t0;
		if (st != SS_STOP_END || pe->x[10] != 2 * n || pe->x[2] != want ||
		    pe->nexc != 3 * n || pe->ninsn != 26 * n + 1) {
			fprintf(stderr,
				"bench-roundtrip: wrong result: stop %s, X10 %" PRIu64 ", X2 0x%" PRIx64
				" (expected 0x%" PRIx64 "), %" PRIu32 " exceptions, %" PRIu64
				" instructions\n",
				ss_stop_name(st), pe->x[10], pe->x[2], want, pe->nexc, pe->ninsn);
			return 1;
		}
	}
	uint64_t insns = pe->ninsn, excs = pe->nexc, cycles = pe->cycle, checksum = pe->x[2];
	qsort(ns, repeats, sizeof *ns, bench_cmp_u64);
	printf("roundtrip: N = %" PRIu64 " iterations, %u runs (%s)\n", n, repeats, path);
	printf("  per run: %" PRIu64 " instructions, %" PRIu64 " exceptions, %" PRIu64
	       " simulated cycles, checksum 0x%" PRIx64 " (ok)\n", insns, excs, cycles, checksum);
	const char *label[2] = { "best", "median" };
	uint64_t pick[2] = { ns[0], ns[repeats / 2] };
	for (int k = 0; k < 2; k++) {
		double sec = (double)pick[k] / 1e9;
		printf("  %-6s %8.2f ns/iteration  %8.2f M simulated instructions/s  %7.2f M exceptions/s"
		       "  (%.3f s)\n",
		       label[k], (double)pick[k] / (double)n, (double)insns / sec / 1e6,
		       (double)excs / sec / 1e6, sec);
	}
	free(ns);
	free(pe);
	free(init);
	scn_free(s);
	free(s);
	free(text);
	return 0;
}
