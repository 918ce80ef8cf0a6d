/*
 * test_scale.c - the ordering guarantees of the indexed event queue and
 * ledger: timed events of one cycle fire in the order they were scheduled
 * (and ss_take_timed_events hands them over in that order); PC events fire
 * once, in the order they were scheduled; the merge policies' picks and
 * consumption equal a linear scan of the ledger on random sequences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "internal.h"

static struct ss_pe *pe;
static struct ss_event_slot *slots;
static struct ss_condition *conds;
#define CAP 4096u

static uint64_t rng;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void setup(void)
{
	pe = malloc(sizeof *pe);
	slots = malloc(CAP * sizeof *slots);
	conds = malloc(CAP * sizeof *conds);
	ck_assert(pe && slots && conds);
}

static void teardown(void)
{
	free(pe);
	free(slots);
	free(conds);
}

static const struct ss_insn loop_insn = { .addr = 0x1000, .op = SS_OP_B, .target = 0x1000,
					  .rd = SS_NO_REG, .rn = SS_NO_REG, .rm = SS_NO_REG };
static const struct ss_program loop_prog = { &loop_insn, 1 };

static void fresh(bool big)
{
	struct ss_config cfg;
	ss_config_default(&cfg);
	cfg.timing.max_cycles = UINT64_MAX;
	ss_pe_reset(pe, &cfg);
	if (big)
		ck_assert(ss_pe_set_storage(pe, conds, CAP, slots, CAP));
	ss_pe_set_program(pe, &loop_prog);
	pe->pc = 0x1000;
}

/* Host events only (each exits to the driver): the tags in firing order. */
static unsigned run_tags(uint32_t *tags, unsigned max)
{
	unsigned n = 0;
	while (n < max && pe->ntimed) {
		ss_run(pe, NULL);
		if (!pe->exit.due)
			break;
		tags[n++] = pe->exit.tag;
	}
	return n;
}

struct ref { uint64_t at; uint32_t tag; };
static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->tag < y->tag ? -1 : x->tag > y->tag;	/* tag = order of scheduling */
}

/* Timed events with many equal cycles, scheduled in random order: they fire
 * by cycle, then in the order they were scheduled (a stable sort). */
START_TEST(timed_equal_cycles_keep_order)
{
	rng = 0x1234567u + (uint64_t)_i * 7919u;
	for (int big = 0; big < 2; big++) {
		fresh(big);
		unsigned n = big ? CAP - 1 : SS_MAX_EVENTS;
		static struct ref ref[CAP];
		static uint32_t got[CAP];
		for (unsigned i = 0; i < n; i++) {
			ref[i] = (struct ref){ .at = 1 + rnd() % (_i % 2 ? 5 : 200), .tag = i };
			ck_assert(ss_schedule(pe, &(struct ss_event){ .kind = SS_EV_HOST, .when = SS_AT_CYCLE,
								      .at = ref[i].at, .tag = i }));
		}
		if (!big)
			CHECKF(!ss_schedule(pe, &(struct ss_event){ .kind = SS_EV_HOST, .at = 1 }),
			       "storage full: one more event accepted");
		qsort(ref, n, sizeof ref[0], ref_cmp);
		unsigned m = run_tags(got, n);
		CHECKF(m == n, "%u of %u events fired", m, n);
		for (unsigned i = 0; i < m && i < n; i++)
			CHECKF(got[i] == ref[i].tag, "event %u: tag %u, expected %u (cycle %llu)", i, got[i],
			       ref[i].tag, (unsigned long long)ref[i].at);
	}
	SOFT_DONE();
}
END_TEST

/* ss_take_timed_events hands the chosen kinds over in firing order and keeps
 * the others in theirs. */
START_TEST(take_timed_events_order)
{
	rng = 0xabcdefu + (uint64_t)_i;
	fresh(true);
	static struct ref ref[1000];
	unsigned n = 1000;
	for (unsigned i = 0; i < n; i++) {
		ref[i] = (struct ref){ .at = 10 + rnd() % 50, .tag = i };
		enum ss_event_kind k = i % 3 ? SS_EV_HOST : SS_EV_LOWER;
		ss_schedule(pe, &(struct ss_event){ .kind = k, .when = SS_AT_CYCLE, .at = ref[i].at,
						    .tag = i, .line = 1 });
	}
	qsort(ref, n, sizeof ref[0], ref_cmp);
	static struct ss_event out[1000];
	uint32_t got = ss_take_timed_events(pe, 1u << SS_EV_LOWER, out, n);
	unsigned j = 0;
	for (unsigned i = 0; i < n; i++)
		if (ref[i].tag % 3 == 0) {
			CHECKF(j < got && out[j].tag == ref[i].tag, "taken %u: tag %u, expected %u", j,
			       j < got ? out[j].tag : 0, ref[i].tag);
			j++;
		}
	CHECKF(j == got, "%u taken, expected %u", got, j);
	static uint32_t tags[1000];
	unsigned m = run_tags(tags, n), k = 0;
	for (unsigned i = 0; i < n; i++)
		if (ref[i].tag % 3) {
			CHECKF(k < m && tags[k] == ref[i].tag, "kept %u: tag %u, expected %u", k,
			       k < m ? tags[k] : 0, ref[i].tag);
			k++;
		}
	CHECKF(k == m, "%u fired, expected %u", m, k);
	SOFT_DONE();
}
END_TEST

/* PC events: at one address they fire in the order scheduled, once; those
 * at other addresses do not fire; ss_pc_event_at sees only the live ones. */
START_TEST(pc_events_order)
{
	fresh(true);
	unsigned n = 3000;
	for (unsigned i = 0; i < n; i++) {
		uint64_t at = i % 4 == 0 ? 0x1000 : 0x2000 + 4 * (uint64_t)i;
		ck_assert(ss_schedule(pe, &(struct ss_event){ .kind = SS_EV_HOST, .when = SS_AT_PC,
							      .at = at, .tag = i }));
	}
	CHECKF(ss_pc_event_at(pe, 0x1000) && ss_pc_event_at(pe, 0x2004) && !ss_pc_event_at(pe, 0x2000),
	       "ss_pc_event_at");
	static uint32_t tags[3000];
	unsigned m = 0;
	while (m < n) {
		ss_step(pe, NULL);
		if (!pe->exit.due)
			break;
		tags[m++] = pe->exit.tag;
	}
	CHECKF(m == n / 4, "%u PC events fired, expected %u", m, n / 4);
	for (unsigned i = 0; i < m; i++)
		CHECKF(tags[i] == 4 * i, "PC event %u: tag %u", i, tags[i]);
	CHECKF(!ss_pc_event_at(pe, 0x1000) && pe->npcev_live == n - n / 4, "fired once");
	for (int k = 0; k < 10; k++)
		ss_step(pe, NULL);
	CHECKF(!pe->exit.due, "a PC event fired twice");
	SOFT_DONE();
}
END_TEST

/* --- the merge policies against a linear scan --------------------------------- */

static bool eligible(const struct ss_condition *c, bool sync_only)
{
	return !c->virt && c->disp == SS_DISP_PENDING && (!sync_only || c->synchronizable);
}

/* The pick as a scan of the ledger in order (oldest: the first eligible;
 * newest: the last; most-severe: the first of the highest rank). */
static int linear_pick(const struct ss_pe *p, bool sync_only, const char *pick, uint32_t *iss,
		       bool combined)
{
	int rep = -1;
	static uint32_t all[CAP];
	unsigned n = 0;
	for (uint32_t i = 0; i < p->ncond; i++) {
		const struct ss_condition *c = &p->cond[i];
		if (!eligible(c, sync_only))
			continue;
		all[n++] = ss_physical_iss(p, c->iss);
		if (!strcmp(pick, "NEWEST") || rep < 0 ||
		    (!strcmp(pick, "MOST_SEVERE") && ss_aet_rank(c->iss) > ss_aet_rank(p->cond[rep].iss)))
			rep = (int)i;
	}
	if (rep >= 0)
		*iss = combined && n > 1 ? ss_combine_iss(&p->cfg, all, n)
					 : ss_physical_iss(p, p->cond[rep].iss);
	return rep;
}

static uint32_t random_iss(void)
{
	static const uint64_t aet[] = { SS_AET_CE, SS_AET_UEO, SS_AET_UER, SS_AET_UEU, SS_AET_UC, 5 };
	switch (rnd() % 8) {
	case 0:
		return ss_iss_serror_impdef((uint32_t)rnd() & 0xffff);
	case 1:
		return ss_iss_serror_uncategorized();
	default:
		return ss_iss_serror(aet[rnd() % 6], rnd() & 1);
	}
}

START_TEST(merge_picks_equal_linear_scan)
{
	/* Each policy's row (config.h): its pick, whether it merges, its syndrome. */
	static const struct { const char *pick; bool merges, combined; } row[] = {
#define ROW(id, name, merges, pick, syndrome) \
		{ #pick, merges, !strcmp(#syndrome, "COMBINED") },
		SS_MERGE_POLICIES(ROW)
#undef ROW
	};
	rng = 0x5eed0000u + (uint64_t)_i * 104729u;
	for (unsigned pol = 0; pol < SS_MERGE_COUNT; pol++) {
		fresh(true);
		pe->cfg.merge = (enum ss_merge)pol;
		pe->cfg.ras = rnd() % 4 != 0;
		pe->cfg.timing.propagation = (uint32_t)(rnd() % 3);
		char name[64];
		ss_knob_format(&pe->cfg, ss_knob_find("merge"), name, sizeof name);
		for (unsigned step = 0; step < 600; step++) {
			unsigned op = (unsigned)(rnd() % 10);
			if (op < 5 || pe->ncond == 0) {
				ss_raise_serror(pe, random_iss(), rnd() % 8 ? SS_EDGE : SS_LEVEL, rnd() % 3 != 0,
						(unsigned)(rnd() % 4), NULL);
			} else if (op == 5) {
				ss_lower_serror(pe, (unsigned)(rnd() % 4), NULL);
			} else if (op == 6) {
				pe->cycle += rnd() % 3;
				ss_update_visibility(pe, NULL);
			} else if (op == 7) {
				ss_synchronize_errors(pe, NULL);
			} else {
				bool sync_only = op == 8;
				uint32_t iss = 0, want_iss = 0;
				int want = linear_pick(pe, sync_only, row[pol].pick, &want_iss, row[pol].combined);
				struct ss_condition *c = ss_merge_pick(pe, sync_only, &iss);
				int got = c ? (int)c->id : -1;
				CHECKF(want == got && (got < 0 || want_iss == iss),
				       "%s step %u: pick %d iss %#x, linear scan %d iss %#x", name, step, got, iss,
				       want, want_iss);
				if (!c)
					continue;
				/* The linear consumption: the representative, and every
				 * eligible one when the policy merges (as many taken). */
				static struct ss_condition before[CAP];
				uint32_t nc = pe->ncond;
				memcpy(before, pe->cond, nc * sizeof before[0]);
				uint32_t num = op == 8 ? ++pe->ndefer : ++pe->nexc;
				ss_merge_consume(pe, c, sync_only, op == 8 ? SS_DISP_DEFERRED : SS_DISP_TAKEN, num);
				unsigned consumed = 0;
				for (uint32_t i = 0; i < nc; i++)
					consumed += memcmp(&before[i].times_taken, &pe->cond[i].times_taken,
							   2 * sizeof(uint32_t)) != 0;
				unsigned elig = 0;
				for (uint32_t i = 0; i < nc; i++)
					elig += eligible(&before[i], sync_only);
				CHECKF(consumed == (row[pol].merges ? elig : 1),
				       "%s step %u: %u consumed of %u eligible", name, step, consumed, elig);
				for (uint32_t i = 0; i < nc; i++)
					if (memcmp(&before[i].times_taken, &pe->cond[i].times_taken, 8))
						CHECKF(eligible(&before[i], sync_only),
						       "%s step %u: condition %u consumed, not eligible", name, step, i);
			}
			const char *m = ss_ledger_check(pe);
			CHECKF(!m, "%s step %u: %s", name, step, m);
		}
	}
	SOFT_DONE();
}
END_TEST

/* Timed events scheduled while others fire (their records reused from the
 * free list), in bursts large enough to be sorted into the run while later
 * ones go to the heap, and PC events filling the storage (the timed records
 * then moved down over the freed ones): every timed event still fires in
 * (cycle, order of scheduling) order, and the storage takes exactly as many
 * events as it has slots. */
START_TEST(timed_reuse_and_compact)
{
	enum { SLOTS = 1024, ROUNDS = 400 };
	rng = 0x5eedu + (uint64_t)_i * 104729u;
	struct ss_config cfg;
	ss_config_default(&cfg);
	cfg.timing.max_cycles = UINT64_MAX;
	ss_pe_reset(pe, &cfg);
	ck_assert(ss_pe_set_storage(pe, conds, CAP, slots, SLOTS));
	ss_pe_set_program(pe, &loop_prog);
	pe->pc = 0x1000;
	static struct ref pend[SLOTS];
	unsigned np = 0, npc = 0;
	uint32_t tag = 0;
	for (unsigned round = 0; round < ROUNDS; round++) {
		/* schedule a few, at cycles from the next one on; now and then
		 * a burst (sorted into the run at the next pop when the run is
		 * empty), some with equal cycles */
		unsigned add = round % 97 == 0 ? 300 + (unsigned)(rnd() % 400) : (unsigned)(rnd() % 6);
		for (unsigned k = 0; k < add; k++) {
			uint64_t at = pe->cycle + 1 + rnd() % (add > 6 ? 5000 : 20);
			bool ok = ss_schedule(pe, &(struct ss_event){ .kind = SS_EV_HOST, .when = SS_AT_CYCLE,
								      .at = at, .tag = tag });
			CHECKF(ok == (np + npc < SLOTS), "round %u: timed event accepted %d with %u + %u in %u slots",
			       round, ok, np, npc, SLOTS);
			if (ok)
				pend[np++] = (struct ref){ .at = at, .tag = tag++ };
		}
		/* now and then a PC event never reached, taking a slot for good */
		if (rnd() % 3 == 0) {
			bool ok = ss_schedule(pe, &(struct ss_event){ .kind = SS_EV_LOWER, .when = SS_AT_PC,
								      .at = 0x200000 + 4 * (uint64_t)npc, .line = 1 });
			CHECKF(ok == (np + npc < SLOTS), "round %u: PC event accepted %d with %u + %u in %u slots",
			       round, ok, np, npc, SLOTS);
			npc += ok;
		}
		/* fire a few: each the first of the reference */
		unsigned fire = (unsigned)(rnd() % (round % 97 < 5 ? 80 : 5));
		for (unsigned k = 0; k < fire && np; k++) {
			qsort(pend, np, sizeof pend[0], ref_cmp);
			uint32_t got;
			if (run_tags(&got, 1) != 1) {
				CHECKF(false, "round %u: no event fired, %u pending", round, np);
				break;
			}
			CHECKF(got == pend[0].tag, "round %u: tag %u fired, expected %u (cycle %llu)", round, got,
			       pend[0].tag, (unsigned long long)pend[0].at);
			memmove(pend, pend + 1, --np * sizeof pend[0]);
		}
		CHECKF(pe->ntimed == np && pe->npcev == npc, "round %u: %u timed, %u PC; expected %u, %u",
		       round, pe->ntimed, pe->npcev, np, npc);
	}
	SOFT_DONE();
}
END_TEST

Suite *suite_scale(void)
{
	Suite *s = suite_create("scale");
	TCase *tc = unit_tcase("order");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, timed_equal_cycles_keep_order, 0, 4);
	tcase_add_loop_test(tc, take_timed_events_order, 0, 4);
	tcase_add_test(tc, pc_events_order);
	tcase_add_loop_test(tc, timed_reuse_and_compact, 0, 8);
	tcase_add_loop_test(tc, merge_picks_equal_linear_scan, 0, 32);
	suite_add_tcase(s, tc);
	return s;
}
