/*
 * random_invariants - seeded randomized invariant tests of the pure SError
 * model (model/).
 *
 * Each run N is generated from seed N alone (gen.c): a random configuration
 * (features and every IMPLEMENTATION DEFINED knob, merge and vinject
 * policies included), a random initial state that ss_pe_check accepts, random
 * programs at the entry point and at all 16 vector entries of each
 * implemented EL, and random physical SError / hypervisor vSError events.
 * The watchdog (max_cycles) bounds every run.  An observer (check.c) checks
 * the invariants on every trace event and after every step, and reports the
 * first violation.
 *
 * Usage:
 *   random_invariants                      5000 runs from the fixed base seed
 *   random_invariants --runs N --base-seed S
 *   random_invariants --seed N --verbose   one run: its scenario and trace
 *   random_invariants --seed N --scenario  one run: only its scenario text
 *   random_invariants --stats              coverage counters at the end
 *
 * Replaying a failure: a failing run prints its seed and its scenario text
 * (docs/scenario-format.md).  Reproduce it with
 *   random_invariants --seed N --verbose
 * which prints the scenario, then the model trace with the violation marked
 * "!! VIOLATION"; or save the scenario and replay it in the simulator:
 *   random_invariants --seed N --scenario > /tmp/seedN.scn
 *   serrsim run -t /tmp/seedN.scn
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "gen.h"

#define DEFAULT_RUNS 5000
#define DEFAULT_BASE_SEED UINT64_C(0x5e5510000)
#define MAX_REPORTED 3

static void usage(FILE *f)
{
	fprintf(f, "usage: random_invariants [--runs N] [--base-seed S] [--seed N] [--verbose]\n"
		   "                         [--scenario] [--stats]\n");
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;
	if (!s || !*s)
		return false;
	*v = strtoull(s, &end, 0);
	return *end == '\0';
}

struct ctx {
	struct gen_run g;
	struct ss_pe pe;
	struct ss_hyp hyp;
	struct checker k;
};

/* One run; true when every invariant held. */
static bool run_one(struct ctx *c, uint64_t seed, FILE *trace, struct chk_stats *st)
{
	gen_run(&c->g, seed);
	gen_apply(&c->g, &c->pe, &c->hyp);
	chk_init(&c->k, &c->pe, trace, st);
	const char *bad = ss_config_check(&c->g.cfg);
	if (!bad)
		bad = ss_pe_check(&c->pe);
	if (bad) {
		snprintf(c->k.msg, sizeof c->k.msg, "generator produced an invalid run: %s", bad);
		c->k.failed = true;
		return false;
	}
	struct ss_observer obs = { .notify = chk_notify, .ctx = &c->k };
	for (;;) {
		chk_step_begin(&c->k, &c->pe);
		enum ss_stop s = ss_step(&c->pe, &obs);
		/* A host event exits in the middle of the boundary: the
		 * hypervisor performs it and the boundary goes on. */
		while (c->pe.exit.due) {
			ss_hyp_handle_exit(&c->hyp, &c->pe, &obs);
			s = ss_step(&c->pe, &obs);
		}
		chk_step_end(&c->k, &c->pe);
		if (s != SS_RUNNING || c->k.failed)
			break;
	}
	chk_finish(&c->k, &c->pe);
	return !c->k.failed;
}

static void print_stats(const struct chk_stats *st, double secs)
{
	printf("runs %" PRIu64 ", steps %" PRIu64 ", instructions %" PRIu64 ", %.2f s (%.0f runs/s)\n",
	       st->runs, st->steps, st->insns, secs, secs > 0 ? (double)st->runs / secs : 0.0);
	printf("exceptions:");
	for (int i = 0; i < SS_CAUSE_COUNT; i++)
		printf(" %s=%" PRIu64, ss_cause_name((enum ss_cause)i), st->exc[i]);
	printf("\nSError entries: at ESB %" PRIu64 ", implicit ESB on entry %" PRIu64
	       ", on ERET %" PRIu64 ", merged %" PRIu64 ", emulated vSError %" PRIu64 "\n",
	       st->esb_entries, st->iesb_entries, st->eret_iesb_entries, st->merged_entries,
	       st->emulated_vserror);
	printf("deferrals: DISR_EL1 %" PRIu64 ", VDISR_EL2 %" PRIu64 "; ISR/DISR reads checked %" PRIu64
	       "\n", st->defers, st->vdefers, st->reads_checked);
	printf("stops:");
	for (int i = 1; i < 7; i++)
		printf(" %s=%" PRIu64, ss_stop_name((enum ss_stop)i), st->stops[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	uint64_t runs = DEFAULT_RUNS, base = DEFAULT_BASE_SEED, seed = 0;
	bool one = false, verbose = false, scenario_only = false, stats = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--runs") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &runs)) {
			i++;
		} else if (strcmp(a, "--base-seed") == 0 && i + 1 < argc &&
			   parse_u64(argv[i + 1], &base)) {
			i++;
		} else if (strcmp(a, "--seed") == 0 && i + 1 < argc && parse_u64(argv[i + 1], &seed)) {
			one = true;
			i++;
		} else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			verbose = true;
		} else if (strcmp(a, "--scenario") == 0) {
			scenario_only = true;
		} else if (strcmp(a, "--stats") == 0) {
			stats = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}

	struct ctx *c = malloc(sizeof *c);
	if (!c) {
		fprintf(stderr, "random_invariants: out of memory\n");
		return 3;
	}
	struct chk_stats st;
	memset(&st, 0, sizeof st);

	if (one) {
		gen_run(&c->g, seed);
		if (scenario_only) {
			gen_print_scenario(&c->g, stdout);
			free(c);
			return 0;
		}
		if (verbose) {
			gen_print_scenario(&c->g, stdout);
			printf("\n# --- trace ---\n");
		}
		bool ok = run_one(c, seed, verbose ? stdout : NULL, &st);
		printf("seed %" PRIu64 ": %s (stop %s, cycle %" PRIu64 ", %u exceptions, %u conditions)%s%s\n",
		       seed, ok ? "ok" : "FAIL", ss_stop_name(c->pe.stop), c->pe.cycle, c->pe.nexc,
		       c->pe.ncond, ok ? "" : ": ", ok ? "" : c->k.msg);
		if (stats)
			print_stats(&st, 0);
		free(c);
		return ok ? 0 : 1;
	}

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t failures = 0;
	for (uint64_t i = 0; i < runs; i++) {
		uint64_t s = base + i;
		if (run_one(c, s, NULL, &st))
			continue;
		failures++;
		if (failures <= MAX_REPORTED) {
			printf("FAIL seed %" PRIu64 ": %s\n", s, c->k.msg);
			printf("# replay: random_invariants --seed %" PRIu64 " --verbose\n", s);
			printf("# --- scenario (serrsim run -t FILE) ---\n");
			gen_print_scenario(&c->g, stdout);
			printf("# --- end of scenario ---\n\n");
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%" PRIu64 " runs from base seed 0x%" PRIx64 ": %" PRIu64 " failed\n", runs, base,
	       failures);
	if (stats || failures)
		print_stats(&st, secs);
	free(c);
	return failures ? 1 : 0;
}
