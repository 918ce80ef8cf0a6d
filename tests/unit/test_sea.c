/*
 * test_sea.c - synchronous External aborts: SyncExternalAbortTarget
 * exhaustively over the EL, SCR_EL3.EA, HCR_EL2.TEA, TGE and E2H (and, with
 * FEAT_DoubleFault2, PSTATE.A with SCR_EL3.TMEA and HCRX_EL2.TMEA), for
 * several PE configurations; then end to end, a load from an aborting range
 * at each reachable state: the Data Abort's target, EC (lower EL / same EL),
 * FAR_ELx and ELR (AArch64.DataAbort, AArch64.ReportException; ARM-M
 * D24.2.45).  Expected values are encoded here from the ASL's conditions.
 */
#include <stdio.h>
#include <string.h>

#include "world.h"

struct scfg {
	const char *name;
	bool el3, el2, ras, df2;
};

static const struct scfg scfgs[] = {
	{ "EL3+EL2, RAS, DoubleFault2", true, true, true, true },
	{ "EL3+EL2, RAS", true, true, true, false },
	{ "EL3+EL2, no RAS", true, true, false, false },
	{ "EL2, no EL3, RAS", false, true, true, false },
	{ "EL3, no EL2", true, false, true, false },
	{ "no EL3, no EL2", false, false, true, false },
};
#define NSCFG (sizeof scfgs / sizeof scfgs[0])

/* SyncExternalAbortTarget() as the ASL writes it (ARM-M J1.3.2.7; Non-secure,
 * EL2 enabled when implemented, SCR_EL3.HXEn = 1, SCTLR2 enabled), in its
 * order: the EL2 routes by HCR_EL2.TEA, TGE (EL0) and HCRX_EL2.TMEA come
 * before SCR_EL3.TMEA. */
static unsigned expect_target(const struct scfg *c, unsigned el, unsigned ea, unsigned tea,
			      unsigned tge, unsigned a, unsigned stmea, unsigned htmea)
{
	bool el2en = c->el2;
	if (el == 3 || (c->el3 && ea))
		return 3;
	if (el2en && el <= 1 && ((c->ras && tea) || (el == 0 && tge)))
		return 2;
	if (el2en && c->df2 && htmea && a && el == 1)
		return 2;
	if (c->df2 && c->el3 && stmea && a && (el == 1 || el == 2))
		return 3;
	return el == 2 ? 2 : 1;
}

static void configure(const struct scfg *c)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.el3 = c->el3;
	cfg.el2 = c->el2;
	cfg.ras = c->ras;
	cfg.double_fault2 = c->df2;
	cfg.double_fault = cfg.sctlr2 = cfg.hcx = c->df2;	/* what DoubleFault2 requires */
	cfg.iesb = cfg.iesb && c->ras;
	ck_assert_msg(ss_config_check(&cfg) == NULL, "%s: %s", c->name, ss_config_check(&cfg));
	w_reset(&cfg);
}

static bool set_state(unsigned el, unsigned ea, unsigned tea, unsigned tge, unsigned e2h,
		      unsigned a, unsigned stmea, unsigned htmea)
{
	uint64_t scr = SS_SET(SCR_EA, SR(SCR_EL3), ea);
	scr = SS_SET(SCR_TMEA, scr, stmea);
	scr = SS_SET(SCR_HXEn, scr, 1);
	SR(SCR_EL3) = ss_legalize(W->pe, SS_REG_SCR_EL3, scr);
	uint64_t hcr = SS_SET(HCR_TEA, SR(HCR_EL2), tea);
	hcr = SS_SET(HCR_TGE, hcr, tge);
	hcr = SS_SET(HCR_E2H, hcr, e2h);
	SR(HCR_EL2) = ss_legalize(W->pe, SS_REG_HCR_EL2, hcr);
	SR(HCRX_EL2) = ss_legalize(W->pe, SS_REG_HCRX_EL2, SS_PREP(HCRX_TMEA, htmea));
	w_set_el(el, el != 0);
	w_set_a(a);
	return ss_pe_check(W->pe) == NULL;
}

/* Reachable: the EL implemented, EL1 not with TGE = 1 (EL2 enabled). */
static bool reachable(const struct scfg *c, unsigned el, unsigned tge)
{
	if ((el == 3 && !c->el3) || (el == 2 && !c->el2))
		return false;
	return !(el == 1 && tge && c->el2);
}

START_TEST(sea_target_exhaustive)
{
	const struct scfg *c = &scfgs[_i];
	for (unsigned b = 0; b < 512; b++) {
		unsigned el = b & 3, ea = (b >> 2) & 1, tea = (b >> 3) & 1, tge = (b >> 4) & 1,
			 e2h = (b >> 5) & 1, a = (b >> 6) & 1, stmea = (b >> 7) & 1, htmea = (b >> 8) & 1;
		if (!reachable(c, el, tge))
			continue;
		configure(c);
		if (!set_state(el, ea, tea, tge, e2h, a, stmea, htmea))
			continue;
		unsigned want = expect_target(c, el, ea, tea, tge, a, stmea, htmea);
		unsigned got = ss_sync_external_abort_target(W->pe);
		CHECKF(got == want, "[%s] EL%u EA=%u TEA=%u TGE=%u E2H=%u A=%u SCR.TMEA=%u HCRX.TMEA=%u: EL%u, want EL%u",
		       c->name, el, ea, tea, tge, e2h, a, stmea, htmea, got, want);
	}
	SOFT_DONE();
}
END_TEST

/* A load at CODE from an aborting range: the Data Abort as AArch64.DataAbort
 * reports it. */
START_TEST(sea_load_end_to_end)
{
	const struct scfg *c = &scfgs[_i];
	for (unsigned b = 0; b < 64; b++) {
		unsigned el = b & 3, ea = (b >> 2) & 1, tea = (b >> 3) & 1, tge = (b >> 4) & 1,
			 e2h = (b >> 5) & 1;
		if (!reachable(c, el, tge))
			continue;
		configure(c);
		struct ss_insn *in = w_insn(CODE, SS_OP_LDR);
		in->rd = 1;
		in->rn = 2;
		in->imm = 0x18;
		w_vectors_end();
		w_load(CODE);
		struct ss_mem_region r = { .lo = 0xa000, .hi = 0xafff, .abort = SS_MEM_LOAD,
					   .set = SS_SET_UC, .ea = true };
		ck_assert(ss_pe_add_memory(W->pe, &r));
		W->pe->x[2] = 0xa000;
		if (!set_state(el, ea, tea, tge, e2h, 1, 0, 0))
			continue;
		unsigned want = expect_target(c, el, ea, tea, tge, 1, 0, 0);
		w_step();
		static const enum ss_reg far[4] = { SS_REG_FAR_EL1, SS_REG_FAR_EL1, SS_REG_FAR_EL2, SS_REG_FAR_EL3 };
		static const enum ss_reg esr[4] = { SS_REG_ESR_EL1, SS_REG_ESR_EL1, SS_REG_ESR_EL2, SS_REG_ESR_EL3 };
		const struct ss_exception *x = &W->rec.exc[0];
		uint64_t e = W->pe->sr[esr[want]];
		CHECKF(W->rec.nexc == 1 && x->cause == SS_CAUSE_DABT && x->to_el == want && x->elr == CODE &&
			       W->pe->sr[far[want]] == 0xa018 &&
			       SS_GET(ESR_ELx_EC, e) == (want > el ? SS_EC_DABT_LOW : SS_EC_DABT_CUR) &&
			       SS_GET(ESR_DABT_DFSC, e) == SS_DFSC_SyncExternal && SS_GET(ESR_DABT_EA, e) == 1 &&
			       SS_GET(ESR_DABT_SET, e) == (c->ras ? SS_SET_UC : 0) && SS_GET(ESR_ELx_IL, e) == 1,
		       "[%s] EL%u EA=%u TEA=%u TGE=%u E2H=%u: %u exceptions, to EL%u (want EL%u), ESR 0x%llx",
		       c->name, el, ea, tea, tge, e2h, W->rec.nexc, x->to_el, want, (unsigned long long)e);
		/* The ledger: one condition of kind SEA, taken at once by the
		 * exception, with its EC and ISS. */
		const struct ss_condition *cd = &W->pe->cond[0];
		CHECKF(W->pe->ncond == 1 && cd->kind == SS_COND_SEA && cd->disp == SS_DISP_TAKEN &&
			       cd->exc == x->number && x->cond == 0 && cd->ec == SS_GET(ESR_ELx_EC, e) &&
			       cd->iss == (e & SS_SERROR_ISS_MASK) && ss_ledger_check(W->pe) == NULL,
		       "[%s] EL%u: ledger %u conditions, kind %u, %s", c->name, el, W->pe->ncond, cd->kind,
		       ss_ledger_check(W->pe) ? ss_ledger_check(W->pe) : "");
	}
	SOFT_DONE();
}
END_TEST

/* A range declared inactive takes effect at its SS_EV_MEM event; with
 * 'once' it aborts one access only (the 'sea' event). */
START_TEST(sea_event_once)
{
	configure(&scfgs[0]);
	for (unsigned i = 0; i < 3; i++) {
		struct ss_insn *in = w_insn(CODE + 4 * i, SS_OP_LDR);
		in->rd = 1;
		in->rn = 2;
	}
	w_insn(CODE + 12, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	struct ss_mem_region r = { .lo = 0xa000, .hi = 0xafff, .abort = SS_MEM_LOAD, .ea = true,
				   .inactive = true, .once = true };
	ck_assert(ss_pe_add_memory(W->pe, &r));
	W->pe->x[2] = 0xa000;
	set_state(1, 0, 0, 0, 0, 0, 0, 0);
	struct ss_event ev = { .kind = SS_EV_MEM, .when = SS_AT_PC, .at = CODE + 4, .line = 0 };
	ck_assert(ss_schedule(W->pe, &ev));
	w_step();	/* the first load: the range is not in effect yet */
	CHECKF(W->pe->nexc == 0 && W->pe->pc == CODE + 4, "first load: %u exceptions", W->pe->nexc);
	w_step();	/* the event, then the second load aborts */
	CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_DABT && W->pe->last_exc.elr == CODE + 4,
	       "second load: %u exceptions", W->pe->nexc);
	CHECKF(W->pe->mem[0].inactive, "'once': the range is spent after its abort");
	W->pe->pc = CODE + 8;	/* as a handler returning past the load */
	w_step();
	CHECKF(W->pe->nexc == 1 && W->pe->pc == CODE + 12, "third load: no abort (%u exceptions)", W->pe->nexc);
	CHECKF(W->pe->ncond == 1 && W->pe->cond[0].kind == SS_COND_SEA, "one SEA in the ledger");
	SOFT_DONE();
}
END_TEST

Suite *suite_sea(void)
{
	Suite *s = suite_create("sea");
	TCase *tc = world_tcase("target");
	tcase_add_loop_test(tc, sea_target_exhaustive, 0, (int)NSCFG);
	tcase_add_loop_test(tc, sea_load_end_to_end, 0, (int)NSCFG);
	tcase_add_test(tc, sea_event_once);
	suite_add_tcase(s, tc);
	return s;
}
