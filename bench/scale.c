/*
 * scale.c - bench-scale: the cost of one timed event, of one boundary with
 * PC events scheduled, of one SError taken and of one ESB deferral, with
 * 10, 10^3 and 10^5 events scheduled or conditions pending at once.  Each
 * figure should stay within 2x of its cost at 10 (docs/performance.md).
 *
 *   bench-scale [-r REPEATS] [-p MERGE_POLICY] [N ...]
 */
#include <inttypes.h>

#include "bench.h"
#include "esr.h"

#define BASE 0x1000u		/* the code */
#define VEC_SERROR 0x380u	/* VBAR_EL1 = 0: current EL with SP_ELx, SError */

static struct ss_config cfg;
static struct ss_insn insns[8];
static struct ss_program prog = { insns, 0 };
static struct ss_event_slot *evs;
static struct ss_condition *conds;
static uint32_t cap;

static void program(const enum ss_op *ops, unsigned n, bool handler)
{
	memset(insns, 0, sizeof insns);
	unsigned k = 0;
	if (handler)
		insns[k++] = (struct ss_insn){ .addr = VEC_SERROR, .op = SS_OP_ERET };
	for (unsigned i = 0; i < n; i++, k++)
		insns[k] = (struct ss_insn){ .addr = BASE + 4 * i, .op = ops[i], .target = BASE,
					     .rd = SS_NO_REG, .rn = SS_NO_REG, .rm = SS_NO_REG };
	prog.n = k;
}

static void reset(struct ss_pe *pe, bool masked)
{
	ss_pe_reset(pe, &cfg);
	if (!ss_pe_set_storage(pe, conds, cap, evs, cap)) {
		fprintf(stderr, "bench-scale: ss_pe_set_storage refused\n");
		exit(1);
	}
	ss_pe_set_program(pe, &prog);
	pe->pc = BASE;
	pe->sr[SS_REG_VBAR_EL1] = 0;
	pe->sr[SS_REG_PSTATE] = SS_SET(PSTATE_A, pe->sr[SS_REG_PSTATE], masked);
}

/* CPU time of this thread: a figure the other processes of a busy machine
 * do not inflate by preempting it. */
static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The clock's own cost, a pair of reads (a system call each: about 0.5 us),
 * taken off the windows that are not compared with another (a take, a
 * deferral): at N = 10 it would be 100 ns an operation. */
static uint64_t clock_pair;
static void calibrate_clock(void)
{
	uint64_t v[101];
	for (unsigned i = 0; i < 101; i++) {
		uint64_t t0 = cpu_ns();
		v[i] = cpu_ns() - t0;
	}
	for (unsigned i = 1; i < 101; i++)	/* the median (insertion sort) */
		for (unsigned j = i; j > 0 && v[j] < v[j - 1]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	clock_pair = v[50];
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Steps until done(pe); returns the time in ns. */
#define RUN_UNTIL(pe, cond)                                                                  \
	({                                                                                   \
		uint64_t t0_ = cpu_ns();                                               \
		while (!(cond) && ss_step((pe), NULL) == SS_RUNNING)                           \
			;                                                                    \
		cpu_ns() - t0_;                                                        \
	})

/* n timed events (LOWER of a line not raised: nothing but the event
 * machinery), one every cycle, scheduled in random order; minus the same
 * loop without events.  ns per event. */
static double per_event(struct ss_pe *pe, uint32_t n)
{
	enum ss_op loop[] = { SS_OP_B };
	program(loop, 1, false);
	reset(pe, true);
	uint32_t *order = malloc(n * sizeof *order);
	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)(next_rand() % i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	/* Rounds of n events (at least 10^5 events in all), each round
	 * scheduled from the current cycle on and fired, in one window; the
	 * same cycles without events in another.  The clock's own cost (a
	 * system call here, about 0.5-1 us a pair, and as noisy) is in both
	 * and, over 10^5 events, a hundredth of a ns each. */
	uint32_t rounds = n >= 100000 ? 1 : 100000 / n;
	uint64_t t0 = cpu_ns();
	for (uint32_t r = 0; r < rounds; r++) {
		uint64_t base = pe->cycle;
		for (uint32_t i = 0; i < n; i++)
			ss_schedule(pe, &(struct ss_event){ .kind = SS_EV_LOWER, .when = SS_AT_CYCLE,
							    .at = base + 1 + order[i], .line = 1 });
		while (!(pe->cycle > base + n) && ss_step(pe, NULL) == SS_RUNNING)
			;
	}
	uint64_t with = cpu_ns() - t0;
	reset(pe, true);
	t0 = cpu_ns();
	for (uint32_t r = 0; r < rounds; r++) {
		uint64_t base = pe->cycle;
		while (!(pe->cycle > base + n) && ss_step(pe, NULL) == SS_RUNNING)
			;
	}
	uint64_t without = cpu_ns() - t0;
	free(order);
	return ((double)with - (double)without) / ((double)n * rounds);
}

/* One boundary with n PC events scheduled at addresses never reached, minus
 * one without: ns per boundary. */
static double per_boundary_pc(struct ss_pe *pe, uint32_t n)
{
	enum ss_op loop[] = { SS_OP_B };
	const uint64_t steps = 2000000;
	program(loop, 1, false);
	reset(pe, true);
	for (uint32_t i = 0; i < n; i++)
		ss_schedule(pe, &(struct ss_event){ .kind = SS_EV_LOWER, .when = SS_AT_PC,
						    .at = 0x100000 + 4 * (uint64_t)i, .line = 1 });
	uint64_t with = RUN_UNTIL(pe, pe->ninsn >= steps);
	reset(pe, true);
	uint64_t without = RUN_UNTIL(pe, pe->ninsn >= steps);
	double d = ((double)with - (double)without) / steps;
	return d > 0 ? d : 0;
}

static void raise_n(struct ss_pe *pe, uint32_t n)
{
	static const uint64_t aet[] = { SS_AET_CE, SS_AET_UEO, SS_AET_UER, SS_AET_UEU, SS_AET_UC };
	for (uint32_t i = 0; i < n; i++)
		ss_raise_serror(pe, ss_iss_serror(aet[next_rand() % 5], next_rand() & 1), SS_EDGE, true,
				0, NULL);
}

/* n conditions pending, unmasked: each taken by its own SError exception
 * (handler: ERET).  ns per condition taken: under one-at-a-time, the
 * entry, the ERET and one instruction of the loop; under a merging policy
 * one exception takes them all. */
static double per_take(struct ss_pe *pe, uint32_t n)
{
	enum ss_op loop[] = { SS_OP_B };
	program(loop, 1, true);
	reset(pe, true);
	raise_n(pe, n);
	pe->sr[SS_REG_PSTATE] = SS_SET(PSTATE_A, pe->sr[SS_REG_PSTATE], 0);
	uint64_t t = RUN_UNTIL(pe, !pe->npending);
	return ((double)t - (double)clock_pair) / n;
}

/* n conditions pending, masked: a loop of ESB deferring them.  ns per
 * condition deferred (one-at-a-time: the ESB and the branch). */
static double per_deferral(struct ss_pe *pe, uint32_t n)
{
	enum ss_op loop[] = { SS_OP_ESB, SS_OP_B };
	program(loop, 2, false);
	reset(pe, true);
	raise_n(pe, n);
	uint64_t t = RUN_UNTIL(pe, !pe->npending);
	return ((double)t - (double)clock_pair) / n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median over repeats of f(n), each repeat of at least 'work' units. */
static double median(double (*f)(struct ss_pe *, uint32_t), struct ss_pe *pe, uint32_t n,
		     unsigned repeats)
{
	double v[64];
	if (repeats > 64)
		repeats = 64;
	for (unsigned r = 0; r < repeats; r++) {
		/* Small n: average several runs so that one figure is not a few ns. */
		unsigned inner = f == per_boundary_pc || f == per_event || n >= 10000 ? 1 : 10000 / n, k;
		double sum = 0;
		for (k = 0; k < inner; k++)
			sum += f(pe, n);
		v[r] = sum / inner;
	}
	qsort(v, repeats, sizeof v[0], cmp_double);
	return v[repeats / 2];
}

int main(int argc, char **argv)
{
	unsigned repeats = 5;
	const char *policy = NULL;
	uint32_t ns[16] = { 10, 1000, 100000 };
	unsigned nn = 3, given = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			repeats = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			policy = argv[++i];
		else if (given < 16 && strtoul(argv[i], NULL, 0) > 0)
			ns[given++] = (uint32_t)strtoul(argv[i], NULL, 0);
		else {
			fprintf(stderr, "usage: bench-scale [-r REPEATS] [-p MERGE_POLICY] [N ...]\n");
			return 2;
		}
	}
	if (given)
		nn = given;
	if (repeats == 0)
		repeats = 1;
	(void)bench_cmp_u64;
	calibrate_clock();
	ss_config_default(&cfg);
	cfg.el2 = cfg.el3 = false;
	cfg.ras = true;
	cfg.timing.propagation = 0;
	cfg.timing.max_cycles = UINT64_MAX;
	if (policy) {
		const struct ss_knob *k = ss_knob_find("merge");
		const char *err = k ? ss_knob_set(&cfg, k, policy) : "no such knob";
		if (err) {
			fprintf(stderr, "bench-scale: merge policy '%s': %s\n", policy, err);
			return 2;
		}
	}
	cap = 64;
	for (unsigned i = 0; i < nn; i++)
		if (ns[i] + 64 > cap)
			cap = ns[i] + 64;
	struct ss_pe *pe = malloc(sizeof *pe);
	evs = malloc(cap * sizeof *evs);
	conds = malloc(cap * sizeof *conds);
	if (!pe || !evs || !conds)
		return 3;
	char pname[64];
	ss_knob_format(&cfg, ss_knob_find("merge"), pname, sizeof pname);
	printf("scale: ns per operation (median of %u), merge policy %s\n", repeats, pname);
	printf("%10s %12s %14s %12s %12s\n", "N", "timed event", "PC (boundary)", "take",
	       "deferral");
	double first[4] = { 0 };
	for (unsigned i = 0; i < nn; i++) {
		double v[4] = { median(per_event, pe, ns[i], repeats),
				median(per_boundary_pc, pe, ns[i], repeats > 3 ? 3 : repeats),
				median(per_take, pe, ns[i], repeats),
				median(per_deferral, pe, ns[i], repeats) };
		printf("%10" PRIu32 " %12.1f %14.1f %12.1f %12.1f", ns[i], v[0], v[1], v[2], v[3]);
		if (i == 0)
			memcpy(first, v, sizeof v);
		else
			printf("   (x%.2f x%.2f x%.2f x%.2f of N = %" PRIu32 ")", v[0] / first[0],
			       first[1] > 0.5 ? v[1] / first[1] : 1.0, v[2] / first[2], v[3] / first[3],
			       ns[0]);
		printf("\n");
	}
	free(conds);
	free(evs);
	free(pe);
	return 0;
}
