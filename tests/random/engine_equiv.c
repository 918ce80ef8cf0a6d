/*
 * engine_equiv - the fast engine and the reference stepper make the same
 * run (model/exec.c, knob engine).
 *
 * Every scenario under the given directories and the random runs of the
 * invariant generator (gen.c) run through both engines; the test compares
 * the full traces record by record (every field of every struct ss_trace,
 * with the instruction, condition, exception and vmop it points to) and the
 * final state (cycles, instructions, exceptions, deferrals, every register,
 * the ledger).  The fast engine also runs with an observer that wants only
 * the stop record (no instruction records: its quiet loop then runs
 * without them), and its final state is compared too.  The random runs also
 * run through ss_run_watch in short stretches (the SystemC module's entry
 * point), traces compared the same way, and with no observer at all (the
 * benchmarks' way), final state compared.
 *
 *   engine_equiv [--runs N] [--base-seed S] [DIR|FILE ...]
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "scenario.h"

struct stream {
	uint64_t *v;
	size_t n, cap;
	size_t nrec;		/* trace records */
	uint64_t insn_cycle;	/* the cycle of the last instruction record */
	uint64_t *fin;		/* the final state */
	size_t nfin, capfin;
};

static void push_to(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		*v = realloc(*v, *cap * sizeof **v);
		if (!*v) {
			fprintf(stderr, "engine_equiv: out of memory\n");
			exit(3);
		}
	}
	(*v)[(*n)++] = x;
}

static void push(struct stream *s, uint64_t x) { push_to(&s->v, &s->n, &s->cap, x); }
static void fin(struct stream *s, uint64_t x) { push_to(&s->fin, &s->nfin, &s->capfin, x); }

static void push_cond(void (*p)(struct stream *, uint64_t), struct stream *s,
		      const struct ss_condition *c)
{
	p(s, c->id); p(s, c->seq); p(s, c->virt); p(s, c->iss); p(s, c->trigger);
	p(s, c->synchronizable); p(s, c->line); p(s, c->raised); p(s, c->visible); p(s, c->disp);
	p(s, c->exc); p(s, c->defer); p(s, c->merged_into); p(s, c->times_taken);
	p(s, c->times_deferred);
}

static void final_state(struct stream *s, const struct ss_pe *pe)
{
	fin(s, pe->cycle); fin(s, pe->pc); fin(s, pe->ninsn); fin(s, pe->nexc); fin(s, pe->ndefer);
	fin(s, pe->nvdefer); fin(s, (uint64_t)pe->stop); fin(s, pe->stop_arg); fin(s, pe->asleep);
	for (unsigned i = 0; i < 31; i++)
		fin(s, pe->x[i]);
	for (unsigned r = 0; r < SS_REG_COUNT; r++)
		fin(s, pe->sr[r]);
	fin(s, pe->ncond); fin(s, pe->nraised); fin(s, pe->npending); fin(s, (uint64_t)pe->vcond);
	for (unsigned d = 0; d < SS_DISP_COUNT; d++)
		fin(s, pe->retired[d]);
	for (uint32_t i = 0; i < pe->ncond; i++)
		push_cond(fin, s, &pe->cond[i]);
}

static void record(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct stream *s = ctx;
	s->nrec++;
	if (t->kind == SS_TR_INSN)
		s->insn_cycle = t->cycle;
	push(s, t->kind); push(s, t->cycle);
	push(s, t->insn ? t->insn->addr : 1); push(s, t->insn ? (uint64_t)t->insn->op : 0);
	if (t->cond)
		push_cond(push, s, t->cond);
	if (t->exc) {
		const struct ss_exception *x = t->exc;
		push(s, x->number); push(s, x->cause); push(s, x->from_el); push(s, x->to_el);
		push(s, x->vector); push(s, x->offset); push(s, x->has_esr); push(s, x->esr);
		push(s, x->elr); push(s, x->spsr); push(s, x->iesb); push(s, (uint64_t)x->cond);
		push(s, x->cycle);
	}
	if (t->vmop) {
		const struct ss_vmop *o = t->vmop;
		push(s, o->is_migration); push(s, o->vmm); push(s, o->refused); push(s, o->esr_dropped);
		push(s, o->set); push(s, (uint64_t)o->cond_before); push(s, (uint64_t)o->cond_after);
		push(s, o->cycle); push(s, o->tag); push(s, o->line); push(s, (uint64_t)o->src_host);
		push(s, (uint64_t)o->dst_host); push(s, o->saved.serror_pending);
		push(s, o->saved.serror_esr); push(s, o->sent.serror_pending); push(s, o->sent.serror_esr);
	}
	push(s, t->reg); push(s, t->value); push(s, t->old); push(s, t->from_el); push(s, t->to_el);
	push(s, t->addr); push(s, t->illegal); push(s, t->line); push(s, (uint64_t)t->stop);
	/* The PE as the observer sees it with the record. */
	push(s, pe->cycle); push(s, pe->ninsn); push(s, pe->nexc);
	if (t->kind == SS_TR_STOP)
		final_state(s, pe);
}

static void reset(struct stream *s)
{
	s->n = s->nrec = s->nfin = 0;
	s->insn_cycle = 0;
}

/* The first difference, or NULL. */
static const char *compare(const struct stream *a, const struct stream *b, bool trace, char *buf,
			   size_t len)
{
	if (trace) {
		size_t n = a->n < b->n ? a->n : b->n;
		for (size_t i = 0; i < n; i++)
			if (a->v[i] != b->v[i]) {
				snprintf(buf, len, "trace differs at value %zu (of %zu/%zu): 0x%" PRIx64
					 " vs 0x%" PRIx64, i, a->n, b->n, a->v[i], b->v[i]);
				return buf;
			}
		if (a->n != b->n || a->nrec != b->nrec) {
			snprintf(buf, len, "trace lengths differ: %zu records vs %zu", a->nrec, b->nrec);
			return buf;
		}
	}
	if (a->nfin != b->nfin || (a->nfin && memcmp(a->fin, b->fin, a->nfin * sizeof *a->fin))) {
		size_t i = 0;
		while (i < a->nfin && i < b->nfin && a->fin[i] == b->fin[i])
			i++;
		snprintf(buf, len, "final state differs at value %zu (of %zu/%zu)", i, a->nfin, b->nfin);
		return buf;
	}
	if (!a->nfin) {
		snprintf(buf, len, "no stop record");
		return buf;
	}
	return NULL;
}

static struct stream ref, fast, fast_quiet;
static unsigned long scenarios, failures;

static void run_scenario(const char *path, const char *engine, uint32_t kinds, struct stream *s)
{
	struct ss_knob_override ov = { "engine", engine };
	struct ss_observer obs = { .notify = record, .ctx = s, .kinds = kinds };
	struct ss_run_options opt = { .overrides = &ov, .noverrides = 1, .trace = &obs };
	struct ss_result res;
	reset(s);
	ss_scenario_run_file(path, &opt, &res);
	fin(s, res.status); fin(s, res.nfail); fin(s, res.cycles); fin(s, res.insns);
	fin(s, res.exceptions); fin(s, res.deferrals);
	for (size_t i = 0; i < res.nexp; i++)
		fin(s, res.exp[i].pass), fin(s, res.exp[i].actual);
	ss_result_free(&res);
}

static bool both(const char *what, struct stream *a, struct stream *b, struct stream *c)
{
	char buf[256];
	const char *d = compare(a, b, true, buf, sizeof buf);
	if (!d)
		d = compare(a, c, false, buf, sizeof buf);
	if (d) {
		failures++;
		printf("FAIL %s: %s\n", what, d);
		return false;
	}
	return true;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st, (void)f;
	size_t n = strlen(path);
	if (type != FTW_F || n < 4 || strcmp(path + n - 4, ".scn") != 0)
		return 0;
	run_scenario(path, "reference", 0, &ref);
	run_scenario(path, "fast", 0, &fast);
	run_scenario(path, "fast", SS_TR_BIT(SS_TR_STOP), &fast_quiet);
	/* The quiet run has no trace to compare; its outcome must match. */
	scenarios++;
	both(path, &ref, &fast, &fast_quiet);
	return 0;
}

struct rctx {
	struct gen_run g;
	struct ss_pe pe;
	struct ss_hyp hyp;
};

static void run_random(struct rctx *c, enum ss_engine e, uint32_t kinds, struct stream *s)
{
	struct ss_observer obs = { .notify = record, .ctx = s, .kinds = kinds };
	reset(s);
	gen_apply(&c->g, &c->pe, &c->hyp);
	c->pe.cfg.engine = e;
	ss_hyp_run(&c->hyp, &c->pe, &obs);
}

/* The same run with no observer (the exception entries and returns then
 * take their quick paths): the final state when the run returns. */
static void run_random_unobserved(struct rctx *c, struct stream *s)
{
	reset(s);
	gen_apply(&c->g, &c->pe, &c->hyp);
	c->pe.cfg.engine = SS_ENGINE_FAST;
	ss_hyp_run(&c->hyp, &c->pe, NULL);
	if (c->pe.stop != SS_RUNNING)
		final_state(s, &c->pe);
}

/* The same run driven by ss_run_watch in short stretches (a host watching
 * EL, PSTATE.A, HCR_EL2.VSE and the exceptions, as the SystemC module
 * does): the run must be ss_hyp_run's, every return where it says. */
static bool run_random_watch(struct rctx *c, enum ss_engine e, struct stream *s, uint64_t seed)
{
	struct ss_observer obs = { .notify = record, .ctx = s };
	struct ss_pe *pe = &c->pe;
	uint64_t x = seed * UINT64_C(6364136223846793005) + 1, until = 0;
	reset(s);
	gen_apply(&c->g, pe, &c->hyp);
	pe->cfg.engine = e;
	for (;;) {
		struct ss_watch w = { .pstate_mask = SS_PSTATE_EL_MASK | SS_PSTATE_A_MASK,
				      .pstate = pe->sr[SS_REG_PSTATE], .hcr_mask = SS_HCR_VSE_MASK,
				      .hcr = pe->sr[SS_REG_HCR_EL2], .nexc = pe->nexc };
		x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
		until = (until > pe->cycle ? until : pe->cycle) + 1 + (x >> 60);
		enum ss_watch_end r = ss_run_watch(pe, &obs, until, &w);
		if (r == SS_WATCH_EXIT) {
			ss_hyp_handle_exit(&c->hyp, pe, &obs);
			continue;
		}
		if (r == SS_WATCH_STOPPED)
			return pe->stop != SS_RUNNING;
		if (pe->stop != SS_RUNNING)
			return false;
		/* changed: the boundaries of cycle at - 1 done, none after */
		if (r == SS_WATCH_CHANGED && (w.at > until || pe->cycle < w.at || s->insn_cycle >= w.at))
			return false;
		if (r == SS_WATCH_UNTIL && pe->cycle < until && !pe->parked)
			return false;
	}
}

int main(int argc, char **argv)
{
	uint64_t runs = 10000, base = UINT64_C(0xe261e000);
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--base-seed") && i + 1 < argc)
			base = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: engine_equiv [--runs N] [--base-seed S] [DIR|FILE ...]\n");
			return 2;
		}
	}
	for (; i < argc; i++)
		if (nftw(argv[i], visit, 16, FTW_PHYS) != 0) {
			fprintf(stderr, "engine_equiv: cannot walk %s\n", argv[i]);
			return 2;
		}
	struct rctx *c = malloc(sizeof *c);
	if (!c)
		return 3;
	unsigned long before = failures;
	uint64_t insns = 0;
	for (uint64_t k = 0; k < runs && failures - before < 5; k++) {
		char what[64];
		gen_run(&c->g, base + k);
		run_random(c, SS_ENGINE_REFERENCE, 0, &ref);
		insns += c->pe.ninsn;
		run_random(c, SS_ENGINE_FAST, 0, &fast);
		run_random(c, SS_ENGINE_FAST, SS_TR_BIT(SS_TR_STOP), &fast_quiet);
		snprintf(what, sizeof what, "random seed %" PRIu64, base + k);
		if (!both(what, &ref, &fast, &fast_quiet))
			printf("# replay: random_invariants --seed %" PRIu64 " --verbose\n", base + k);
		snprintf(what, sizeof what, "random seed %" PRIu64 " (ss_run_watch)", base + k);
		if (!run_random_watch(c, SS_ENGINE_FAST, &fast, base + k)) {
			failures++;
			printf("FAIL %s: a return where it should not be\n", what);
		} else
			both(what, &ref, &fast, &fast_quiet);
		snprintf(what, sizeof what, "random seed %" PRIu64 " (no observer)", base + k);
		run_random_unobserved(c, &fast_quiet);
		char buf[256];
		const char *d = compare(&ref, &fast_quiet, false, buf, sizeof buf);
		if (d) {
			failures++;
			printf("FAIL %s: %s\n", what, d);
		}
	}
	printf("%lu scenarios and %" PRIu64 " random runs (%" PRIu64
	       " instructions) through both engines: %lu differ\n", scenarios, runs, insns, failures);
	free(c);
	return failures ? 1 : 0;
}
