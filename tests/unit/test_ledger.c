/*
 * test_ledger.c - the condition ledger: every raised condition is in exactly
 * one disposition, and the exceptions/deferrals it names exist.  Random
 * sequences of raise/lower/step (seeded; the seed is printed on failure)
 * and the edge/level dispositions (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4 edge vs level, ARM-M RKTWMT; docs/rules.md R8.1).
 */
#include <stdio.h>

#include "world.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * UINT64_C(2685821657736338717)) >> 32);
}

static const enum ss_disposition all_disps[] = {
	SS_DISP_IN_FLIGHT, SS_DISP_PENDING, SS_DISP_TAKEN, SS_DISP_DEFERRED,
	SS_DISP_MERGED, SS_DISP_WITHDRAWN, SS_DISP_DROPPED,
};
#define NDISP (sizeof all_disps / sizeof all_disps[0])

/* The invariant, checked independently of ss_ledger_check too. */
static void check_ledger(uint64_t seed, unsigned step)
{
	const struct ss_pe *pe = W->pe;
	const char *msg = ss_ledger_check(pe);
	CHECKF(msg == NULL, "seed %llu step %u: ss_ledger_check: %s", (unsigned long long)seed, step, msg);
	uint32_t sum = 0, mine[NDISP] = { 0 };
	for (size_t d = 0; d < NDISP; d++)
		sum += ss_ledger_count(pe, all_disps[d]);
	CHECKF(sum == pe->ncond, "seed %llu step %u: dispositions sum to %u, %u conditions", (unsigned long long)seed,
	       step, sum, pe->ncond);
	bool any_pending_phys = false;
	for (uint32_t i = 0; i < pe->ncond; i++) {
		const struct ss_condition *c = &pe->cond[i];
		size_t d;
		for (d = 0; d < NDISP && all_disps[d] != c->disp; d++)
			;
		CHECKF(d < NDISP, "seed %llu step %u: condition %u has disposition %d", (unsigned long long)seed, step,
		       i, c->disp);
		if (d < NDISP)
			mine[d]++;
		CHECKF(c->id == i, "condition %u id %u", i, c->id);
		if (c->disp == SS_DISP_TAKEN)
			CHECKF(c->exc >= 1 && c->exc <= pe->nexc && c->times_taken >= 1,
			       "seed %llu step %u: condition %u taken by exception %u of %u", (unsigned long long)seed,
			       step, i, c->exc, pe->nexc);
		if (c->disp == SS_DISP_DEFERRED)
			CHECKF(c->defer >= 1 && c->times_deferred >= 1 &&
				       c->defer <= (c->virt ? pe->nvdefer : pe->ndefer),
			       "seed %llu step %u: condition %u deferred by %u", (unsigned long long)seed, step, i,
			       c->defer);
		if (c->disp == SS_DISP_MERGED)
			CHECKF(c->merged_into < pe->ncond && c->merged_into != i, "condition %u merged into %u", i,
			       c->merged_into);
		if (!c->virt && c->trigger == SS_EDGE)
			CHECKF(c->times_taken <= 1, "seed %llu: edge condition %u taken %u times",
			       (unsigned long long)seed, i, c->times_taken);
		if (!c->virt && c->disp == SS_DISP_PENDING)
			any_pending_phys = true;
	}
	for (size_t d = 0; d < NDISP; d++)
		CHECKF(mine[d] == ss_ledger_count(pe, all_disps[d]), "seed %llu step %u: count of %s %u, model %llu",
		       (unsigned long long)seed, step, ss_disposition_name(all_disps[d]), mine[d],
		       (unsigned long long)ss_ledger_count(pe, all_disps[d]));
	CHECKF(!any_pending_phys || ss_physical_serror_pending(pe),
	       "seed %llu step %u: a pending condition but ss_physical_serror_pending()=0", (unsigned long long)seed,
	       step);
}

/* A loop of random instructions; every vector ERETs. */
static void random_program(void)
{
	static const enum ss_op ops[] = { SS_OP_NOP, SS_OP_ESB, SS_OP_MSR_DAIFSET, SS_OP_MSR_DAIFCLR, SS_OP_NOP,
					  SS_OP_ISB };
	unsigned n = 8 + rnd() % 24;
	for (unsigned i = 0; i < n; i++) {
		enum ss_op op = ops[rnd() % (sizeof ops / sizeof ops[0])];
		struct ss_insn *in = w_insn(CODE + 4 * i, op);
		if (op == SS_OP_MSR_DAIFSET || op == SS_OP_MSR_DAIFCLR)
			in->imm = 4;
	}
	w_insn(CODE + 4 * n, SS_OP_B)->target = CODE;
	for (unsigned el = 1; el <= 3; el++)
		for (uint64_t off = 0; off < 0x800; off += 0x80)
			w_insn(w_vbar(el) + off, SS_OP_ERET);
	w_load(CODE);
}

START_TEST(ledger_random)
{
	uint64_t seed = UINT64_C(0x9e3779b97f4a7c15) * (uint64_t)(_i + 1);
	rng_state = seed;
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.timing.propagation = rnd() % 4 ? rnd() % 8 : 0;
	cfg.synchronizable = rnd() & 1;
	cfg.merge = (enum ss_merge)(rnd() % 5);
	w_reset(&cfg);
	unsigned el = rnd() % 2;
	SETF(SCTLR_EL1, SCTLR_UMA, 1);
	SETF(SCTLR_EL1, SCTLR_IESB, rnd() & 1);
	SETF(SCTLR_EL2, SCTLR_IESB, rnd() & 1);
	SETF(HCR_EL2, HCR_AMO, rnd() & 1);
	SETF(SCR_EL3, SCR_EA, (rnd() % 4) == 0);
	w_set_el(el, el);
	w_set_a(rnd() & 1);
	random_program();
	bool up[4] = { false };
	for (unsigned step = 0; step < 400; step++) {
		unsigned r = rnd() % 16;
		if (r == 0) {
			int id = w_raise(rnd() & 1 ? 0xc11 : 0x1811, SS_EDGE, rnd() & 1, 0);
			CHECKF(id >= 0, "seed %llu: raise", (unsigned long long)seed);
		} else if (r == 1) {
			unsigned l = rnd() % 4;
			if (!up[l]) {
				w_raise(0x1000811, SS_LEVEL, rnd() & 1, l);
				up[l] = true;
			}
		} else if (r == 2) {
			unsigned l = rnd() % 4;
			if (up[l]) {
				ss_lower_serror(W->pe, l, &W->obs);
				up[l] = false;
			}
		} else {
			enum ss_stop st = w_step();
			CHECKF(st == SS_RUNNING, "seed %llu step %u: stopped %s at PC 0x%llx", (unsigned long long)seed,
			       step, ss_stop_name(st), (unsigned long long)W->pe->pc);
			if (st != SS_RUNNING)
				break;
		}
		check_ledger(seed, step);
		if (unit_soft_failures)
			break;
	}
	SOFT_DONE();
}
END_TEST

/* Edge: taken once, then gone. */
START_TEST(ledger_edge_taken)
{
	w_set_el(1, 1);
	w_set_a(0);
	w_insn(CODE, SS_OP_NOP);
	w_insn(CODE + 4, SS_OP_NOP);
	w_insn(CODE + 8, SS_OP_END);
	w_insn(VBAR1 + 0x380, SS_OP_ERET);
	w_load(CODE);
	int id = w_raise(0xc11, SS_EDGE, true, 0);
	EXPECT(W->pe->cond[id].disp == SS_DISP_PENDING && W->pe->cond[id].trigger == SS_EDGE, "pending");
	w_step();
	EXPECT(W->pe->cond[id].disp == SS_DISP_TAKEN && W->pe->cond[id].exc == 1 && W->pe->cond[id].times_taken == 1,
	       "taken by exception 1");
	EXPECT(!ss_physical_serror_pending(W->pe), "AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4: edge-triggered: pending state cleared on taking");
	w_step();	/* ERET */
	w_step();
	EXPECT(W->pe->nexc == 1, "not taken again");
	EXPECT(ss_ledger_check(W->pe) == NULL, "%s", ss_ledger_check(W->pe));
}
END_TEST

/* Level: lowered before taken -> withdrawn. */
START_TEST(ledger_level_withdrawn)
{
	w_set_el(1, 1);
	w_set_a(1);
	w_nop_program();
	int id = w_raise(0x1000c11, SS_LEVEL, true, 3);
	EXPECT(W->pe->cond[id].disp == SS_DISP_PENDING && W->pe->cond[id].trigger == SS_LEVEL, "pending");
	EXPECT(SS_GET(ISR_A, ss_isr_el1(W->pe)) == 1, "ISR_EL1.A=1");
	w_step();
	ss_lower_serror(W->pe, 3, &W->obs);
	EXPECT(W->pe->cond[id].disp == SS_DISP_WITHDRAWN, "lowered before taken: withdrawn (%s)",
	       ss_disposition_name(W->pe->cond[id].disp));
	EXPECT(!ss_physical_serror_pending(W->pe) && SS_GET(ISR_A, ss_isr_el1(W->pe)) == 0, "no longer pending");
	w_set_a(0);
	w_step();
	EXPECT(W->pe->nexc == 0, "never taken");
	EXPECT(ss_ledger_check(W->pe) == NULL, "%s", ss_ledger_check(W->pe));
}
END_TEST

/* Level: taken while asserted stays pending (it is not cleared by taking,
 * unlike an edge: AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4), is taken again after the handler returns unmasked,
 * and ends as taken when lowered. */
START_TEST(ledger_level_retaken)
{
	w_set_el(1, 1);
	w_set_a(0);
	w_insn(CODE, SS_OP_NOP);
	w_insn(CODE + 4, SS_OP_NOP);
	w_insn(CODE + 8, SS_OP_END);
	w_insn(VBAR1 + 0x380, SS_OP_ERET);
	w_load(CODE);
	int id = w_raise(0x1000c11, SS_LEVEL, true, 5);
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->cond[id].times_taken == 1, "taken once");
	EXPECT(ss_physical_serror_pending(W->pe), "level still asserted: still pending after taking");
	EXPECT(SS_GET(ISR_A, ss_isr_el1(W->pe)) == 1, "ISR_EL1.A=1 while the level source is asserted");
	w_step();	/* ERET, A=0 again */
	w_step();
	EXPECT(W->pe->nexc == 2 && W->pe->cond[id].times_taken == 2, "taken again: %u exc, times_taken %u",
	       W->pe->nexc, W->pe->cond[id].times_taken);
	EXPECT(ss_ledger_check(W->pe) == NULL, "%s", ss_ledger_check(W->pe));
	ss_lower_serror(W->pe, 5, &W->obs);
	EXPECT(W->pe->cond[id].disp == SS_DISP_TAKEN && W->pe->cond[id].exc == 1,
	       "lowered after being taken: disposition taken by its first exception (%s, exc %u)",
	       ss_disposition_name(W->pe->cond[id].disp), W->pe->cond[id].exc);
	EXPECT(!ss_physical_serror_pending(W->pe), "lowered: not pending");
	w_step();
	w_step();
	EXPECT(W->pe->nexc == 2, "no third exception");
	EXPECT(ss_ledger_check(W->pe) == NULL, "%s", ss_ledger_check(W->pe));
}
END_TEST

/* In flight until the propagation delay has passed. */
START_TEST(ledger_in_flight)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.timing.propagation = 10;
	w_reset(&cfg);
	w_set_el(1, 1);
	w_set_a(1);
	for (unsigned i = 0; i < 40; i++)
		w_insn(CODE + 4 * i, SS_OP_NOP);
	w_insn(CODE + 160, SS_OP_END);
	w_load(CODE);
	uint64_t t0 = W->pe->cycle;
	int id = w_raise(0xc11, SS_EDGE, true, 0);
	EXPECT(W->pe->cond[id].disp == SS_DISP_IN_FLIGHT && W->pe->cond[id].visible == t0 + 10,
	       "in flight, visible at raise + propagation");
	EXPECT(!ss_physical_serror_pending(W->pe) && SS_GET(ISR_A, ss_isr_el1(W->pe)) == 0, "not yet pending");
	while (W->pe->cycle < t0 + 9)
		w_step();
	EXPECT(W->pe->cond[id].disp == SS_DISP_IN_FLIGHT, "still in flight at cycle %llu",
	       (unsigned long long)W->pe->cycle);
	while (W->pe->cycle < t0 + 12)
		w_step();
	EXPECT(W->pe->cond[id].disp == SS_DISP_PENDING, "pending after the delay (%s)",
	       ss_disposition_name(W->pe->cond[id].disp));
	EXPECT(ss_ledger_check(W->pe) == NULL, "%s", ss_ledger_check(W->pe));
}
END_TEST

/* The ledger notices corruption. */
START_TEST(ledger_detects_corruption)
{
	w_set_el(1, 1);
	w_set_a(1);
	w_nop_program();
	int id = w_raise(0xc11, SS_EDGE, true, 0);
	EXPECT(ss_ledger_check(W->pe) == NULL, "clean");
	W->pe->cond[id].disp = SS_DISP_TAKEN;
	W->pe->cond[id].exc = 7;	/* no such exception */
	EXPECT(ss_ledger_check(W->pe) != NULL, "a condition taken by a non-existent exception is reported");
}
END_TEST

Suite *suite_ledger(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = world_tcase("random");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, ledger_random, 0, 64);
	suite_add_tcase(s, tc);
	tc = world_tcase("dispositions");
	tcase_add_test(tc, ledger_edge_taken);
	tcase_add_test(tc, ledger_level_withdrawn);
	tcase_add_test(tc, ledger_level_retaken);
	tcase_add_test(tc, ledger_in_flight);
	tcase_add_test(tc, ledger_detects_corruption);
	suite_add_tcase(s, tc);
	return s;
}
