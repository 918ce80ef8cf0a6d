/*
 * test_esb.c - the ESB instruction (docs/rules.md R4.1; ARM-M C6.2 ESB,
 * AArch64.ESBOperation, AArch64.vESBOperation; rules RKNWBN, RSFHDS, IBBGXN).
 *
 * The program is ESB at CODE, then NOP, END.  A condition raised with a
 * propagation delay is still in flight at the ESB's instruction boundary, so
 * it is the ESB's SynchronizeErrors() that makes it pending.
 */
#include <stdio.h>

#include "world.h"

static void esb_program(void)
{
	w_insn(CODE, SS_OP_ESB);
	w_insn(CODE + 4, SS_OP_NOP);
	w_insn(CODE + 8, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
}

static void esb_world(unsigned propagation, bool ras)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.timing.propagation = propagation;
	cfg.ras = ras;
	if (!ras)
		cfg.iesb = false;
	w_reset(&cfg);
}

/* Masked states: {EL, SP, EA, AMO, A} where a physical SError is masked. */
struct mstate {
	unsigned el, ea, amo, a;
	const char *why;
};

static const struct mstate masked_states[] = {
	{ 0, 0, 0, 1, "EL0 A=1, target EL1 (class B)" },
	{ 1, 0, 0, 1, "EL1 A=1, target EL1 (class B)" },
	{ 2, 0, 0, 1, "EL2 AMO=0 (class C)" },
	{ 2, 0, 0, 0, "EL2 AMO=0 A=0 (class C)" },
	{ 2, 0, 1, 1, "EL2 AMO=1 A=1 (class B)" },
	{ 3, 0, 0, 0, "EL3 EA=0 (class C)" },
	{ 3, 1, 0, 1, "EL3 EA=1 A=1 (class B)" },
};

static const struct {
	uint32_t iss;
	uint64_t disr;
	const char *why;
} disr_cases[] = {
	{ 0x0c11, 0x80000c11, "UER" },
	{ 0x0e11, 0x80000e11, "UER EA=1" },
	{ 0x2c11, 0x80000c11, "IESB bit dropped: DISR has no IESB (ARM-M D24.9.1)" },
	{ 0x1811, 0x80001811, "CE" },
	{ 0x0011, 0x80000011, "UC" },
	{ 0x1abcdef, 0x81abcdef, "IDS=1: [23:0] IMPDEF kept" },
	{ 0x0000, 0x80000000, "Uncategorized" },
};
#define NDISR (sizeof disr_cases / sizeof disr_cases[0])

/* ARM-M C6.2 ESB; docs/rules.md R4.1 step 2: masked and synchronizable -> DISR_EL1 = A | IDS | ISS, condition
 * consumed, no exception, DISR overwritten unconditionally (step 5). */
START_TEST(esb_defers_masked)
{
	for (unsigned prop = 0; prop <= 1000; prop += 1000)
		for (size_t m = 0; m < sizeof masked_states / sizeof masked_states[0]; m++)
			for (size_t d = 0; d < NDISR; d++) {
				const struct mstate *s = &masked_states[m];
				esb_world(prop, true);
				SETF(SCR_EL3, SCR_EA, s->ea);
				SETF(HCR_EL2, HCR_AMO, s->amo);
				w_set_el(s->el, s->el ? 1 : 0);
				w_set_a(s->a);
				SR(DISR_EL1) = 0x80000011;	/* a previous deferral: overwritten */
				esb_program();
				int id = w_raise(disr_cases[d].iss, SS_EDGE, true, 0);
				w_step();
				CHECKF(W->pe->nexc == 0 && W->pe->pc == CODE + 4,
				       "%s, ISS 0x%x, propagation %u: ESB completes without exception (%u exc)", s->why,
				       disr_cases[d].iss, prop, W->pe->nexc);
				CHECKF(SR(DISR_EL1) == disr_cases[d].disr,
				       "ARM-M C6.2 ESB; docs/rules.md R4.1 step 2 (%s; %s), propagation %u: DISR_EL1 0x%llx, expected 0x%llx",
				       s->why, disr_cases[d].why, prop, (unsigned long long)SR(DISR_EL1),
				       (unsigned long long)disr_cases[d].disr);
				CHECKF(W->pe->cond[id].disp == SS_DISP_DEFERRED && W->pe->cond[id].defer == W->pe->ndefer &&
					       W->pe->ndefer == 1,
				       "%s: condition %s (defer %u of %u), expected deferred", s->why,
				       ss_disposition_name(W->pe->cond[id].disp), W->pe->cond[id].defer, W->pe->ndefer);
				CHECKF(!ss_physical_serror_pending(W->pe), "%s: ClearPendingPhysicalSError()", s->why);
				CHECKF(SR(VDISR_EL2) == 0, "%s: VDISR_EL2 untouched", s->why);
				CHECKF(W->rec.ndefer == 1 && W->rec.defer[0].reg == SS_REG_DISR_EL1 &&
					       W->rec.defer[0].value == disr_cases[d].disr,
				       "%s: observer saw the DISR_EL1 deferral", s->why);
				CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
			}
	SOFT_DONE();
}
END_TEST

/* ARM-M C6.2 ESB; docs/rules.md R4.1 step 4 (RSFHDS): a non-synchronizable condition stays pending. */
START_TEST(esb_nonsync_stays_pending)
{
	for (size_t m = 0; m < sizeof masked_states / sizeof masked_states[0]; m++) {
		const struct mstate *s = &masked_states[m];
		esb_world(0, true);
		SETF(SCR_EL3, SCR_EA, s->ea);
		SETF(HCR_EL2, HCR_AMO, s->amo);
		w_set_el(s->el, s->el ? 1 : 0);
		w_set_a(s->a);
		esb_program();
		int id = w_raise(0xc11, SS_EDGE, false, 0);
		w_step();
		CHECKF(W->pe->nexc == 0 && W->pe->pc == CODE + 4, "%s: ESB completes", s->why);
		CHECKF(SR(DISR_EL1) == 0, "ARM-M C6.2 ESB; docs/rules.md R4.1 step 4 (RSFHDS): %s: DISR_EL1 0x%llx, expected untouched",
		       s->why, (unsigned long long)SR(DISR_EL1));
		CHECKF(W->pe->cond[id].disp == SS_DISP_PENDING, "%s: condition %s, expected pending", s->why,
		       ss_disposition_name(W->pe->cond[id].disp));
	}
	SOFT_DONE();
}
END_TEST

/* ARM-M C6.2 ESB; docs/rules.md R4.1 step 3 (RKNWBN): unmasked means taken before the ESB completes, with
 * ELR = the ESB, ESR.IESB = 0, DISR untouched. */
START_TEST(esb_unmasked_taken)
{
	static const struct {
		unsigned el, sp, ea, amo, a, to;
		uint64_t off;
		const char *why;
	} c[] = {
		{ 1, 1, 0, 0, 0, 1, 0x380, "EL1h A=0 -> EL1" },
		{ 1, 0, 0, 0, 0, 1, 0x180, "EL1t A=0 -> EL1" },
		{ 0, 0, 0, 0, 0, 1, 0x580, "EL0 A=0 -> EL1" },
		{ 1, 1, 0, 1, 1, 2, 0x580, "EL1 AMO=1 A=1 -> EL2 (class A)" },
		{ 0, 0, 0, 1, 1, 2, 0x580, "EL0 AMO=1 A=1 -> EL2 (class A)" },
		{ 2, 1, 0, 1, 0, 2, 0x380, "EL2 AMO=1 A=0 -> EL2" },
		{ 1, 1, 1, 0, 1, 3, 0x580, "EL1 EA=1 A=1 -> EL3 (class A)" },
		{ 2, 1, 1, 0, 1, 3, 0x580, "EL2 EA=1 A=1 -> EL3 (class A)" },
		{ 3, 1, 1, 0, 0, 3, 0x380, "EL3 EA=1 A=0 -> EL3" },
	};
	for (unsigned prop = 0; prop <= 1000; prop += 1000)
		for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
			esb_world(prop, true);
			SETF(SCR_EL3, SCR_EA, c[i].ea);
			SETF(HCR_EL2, HCR_AMO, c[i].amo);
			w_set_el(c[i].el, c[i].sp);
			w_set_a(c[i].a);
			esb_program();
			int id = w_raise(0x0c11, SS_EDGE, true, 0);
			w_step();
			uint64_t vbar = w_vbar(c[i].to);
			uint64_t esr = c[i].to == 1 ? SR(ESR_EL1) : c[i].to == 2 ? SR(ESR_EL2) : SR(ESR_EL3);
			uint64_t elr = c[i].to == 1 ? SR(ELR_EL1) : c[i].to == 2 ? SR(ELR_EL2) : SR(ELR_EL3);
			CHECKF(W->pe->nexc == 1 && W->pe->last_exc.to_el == c[i].to && W->pe->pc == vbar + c[i].off,
			       "%s (propagation %u): taken to EL%u at 0x%llx; got %u exc PC 0x%llx", c[i].why, prop,
			       c[i].to, (unsigned long long)(vbar + c[i].off), W->pe->nexc,
			       (unsigned long long)W->pe->pc);
			CHECKF(elr == CODE, "ARM-M C6.2 ESB; docs/rules.md R4.1 step 3 (RKNWBN): %s: ELR 0x%llx, expected the ESB 0x%x",
			       c[i].why, (unsigned long long)elr, CODE);
			CHECKF(esr == 0xbe000c11, "%s: ESR 0x%llx, expected 0xbe000c11 (explicit ESB: IESB=0)", c[i].why,
			       (unsigned long long)esr);
			CHECKF(SR(DISR_EL1) == 0, "%s: DISR_EL1 not written", c[i].why);
			CHECKF(W->pe->cond[id].disp == SS_DISP_TAKEN, "%s: condition taken", c[i].why);
		}
	SOFT_DONE();
}
END_TEST

/* vESBOperation (docs/rules.md R4.1): at EL0/EL1 with EL2 enabled, a pending masked vSError
 * -> VDISR_EL2 = A | VSESR_EL2[24:0], VSE cleared. */
START_TEST(esb_virtual_defer)
{
	static const uint64_t vsesr[] = { 0x1234, 0x1abcdef, 0x2c11, 0, UINT64_C(0xffffffff00000c11) };
	static const uint64_t vdisr[] = { 0x80001234, 0x81abcdef, 0x80002c11, 0x80000000, 0x80000c11 };
	for (unsigned el = 0; el < 2; el++)
		for (size_t i = 0; i < 5; i++) {
			esb_world(0, true);
			SETF(HCR_EL2, HCR_AMO, 1);
			SETF(HCR_EL2, HCR_VSE, 1);
			SR(VSESR_EL2) = vsesr[i];
			w_set_el(el, el);
			w_set_a(1);
			esb_program();
			ss_sync_virtual(W->pe, &W->obs);
			w_step();
			CHECKF(W->pe->nexc == 0 && W->pe->pc == CODE + 4, "EL%u: vESB: no exception", el);
			CHECKF(SR(VDISR_EL2) == vdisr[i],
			       "docs/rules.md R4.1 vESBOperation: EL%u VSESR 0x%llx: VDISR_EL2 0x%llx, expected 0x%llx", el,
			       (unsigned long long)vsesr[i], (unsigned long long)SR(VDISR_EL2),
			       (unsigned long long)vdisr[i]);
			CHECKF(GETF(HCR_EL2, HCR_VSE) == 0, "EL%u: vESB clears HCR_EL2.VSE", el);
			CHECKF(SR(DISR_EL1) == 0, "EL%u: DISR_EL1 untouched by vESB", el);
			CHECKF(W->pe->nvdefer == 1, "EL%u: one VDISR_EL2 deferral counted (%u)", el, W->pe->nvdefer);
		}
	SOFT_DONE();
}
END_TEST

/* No vESB when the vSError is not pending or the PE is not at EL0/EL1. */
START_TEST(esb_virtual_no_defer)
{
	static const struct {
		unsigned el, amo, tge, ns, a;
		const char *why;
	} c[] = {
		{ 2, 1, 0, 1, 1, "at EL2 (vESB only at EL0/EL1)" },
		{ 3, 1, 0, 1, 1, "at EL3" },
		{ 1, 0, 0, 1, 1, "AMO=0: vSError not enabled" },
		{ 0, 1, 1, 1, 1, "EL0 with TGE=1: vSError disabled" },
		{ 1, 1, 0, 0, 1, "Secure EL1, EEL2=0: EL2 not enabled" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		esb_world(0, true);
		SETF(SCR_EL3, SCR_NS, c[i].ns);
		SETF(HCR_EL2, HCR_AMO, c[i].amo);
		SETF(HCR_EL2, HCR_TGE, c[i].tge);
		SETF(HCR_EL2, HCR_VSE, 1);
		SR(VSESR_EL2) = 0x1234;
		w_set_el(c[i].el, c[i].el ? 1 : 0);
		w_set_a(c[i].a);
		esb_program();
		ss_sync_virtual(W->pe, &W->obs);
		w_step();
		CHECKF(W->pe->nexc == 0 && SR(VDISR_EL2) == 0 && GETF(HCR_EL2, HCR_VSE) == 1,
		       "ARM-M C6.2 ESB; docs/rules.md R4.1: %s: no vESB: VDISR_EL2 0x%llx VSE %llu, %u exc", c[i].why,
		       (unsigned long long)SR(VDISR_EL2), (unsigned long long)GETF(HCR_EL2, HCR_VSE), W->pe->nexc);
	}
	SOFT_DONE();
}
END_TEST

/* Without FEAT_RAS the ESB is a NOP (ARM-M C6.2). */
START_TEST(esb_nop_without_ras)
{
	for (unsigned virt = 0; virt < 2; virt++) {
		esb_world(0, false);
		w_set_el(1, 1);
		w_set_a(1);
		if (virt) {
			SETF(HCR_EL2, HCR_AMO, 1);
			SETF(HCR_EL2, HCR_VSE, 1);
		}
		esb_program();
		ss_sync_virtual(W->pe, &W->obs);
		int id = virt ? -1 : w_raise(ss_iss_serror_impdef(0x42), SS_EDGE, true, 0);
		w_step();
		CHECKF(W->pe->nexc == 0 && W->pe->pc == CODE + 4, "no RAS: ESB is a NOP");
		CHECKF(SR(DISR_EL1) == 0 && SR(VDISR_EL2) == 0, "no RAS: no DISR/VDISR write");
		if (virt)
			CHECKF(GETF(HCR_EL2, HCR_VSE) == 1, "no RAS: VSE unchanged by ESB");
		else
			CHECKF(W->pe->cond[id].disp == SS_DISP_PENDING, "no RAS: condition still pending (%s)",
			       ss_disposition_name(W->pe->cond[id].disp));
		CHECKF(W->pe->ndefer == 0 && W->pe->nvdefer == 0 && W->rec.ndefer == 0, "no deferral");
	}
	SOFT_DONE();
}
END_TEST

/* ARM-M D20.5.1 vs C6.2; docs/rules.md R9.1 esb_vse: ESB at EL1 with a masked vSError while a physical SError
 * (routed to EL2 by AMO=1, so unmasked) becomes pending at the ESB. */
START_TEST(esb_vse_knob)
{
	for (unsigned k = 0; k < 2; k++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.timing.propagation = 1000;
		cfg.esb_vse = k ? SS_ESB_VSE_DEFER_FIRST : SS_ESB_VSE_UNCHANGED;
		w_reset(&cfg);
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(HCR_EL2, HCR_VSE, 1);
		SR(VSESR_EL2) = 0x1234;
		w_set_el(1, 1);
		w_set_a(1);
		esb_program();
		ss_sync_virtual(W->pe, &W->obs);
		w_raise(0x0c11, SS_EDGE, true, 0);
		w_step();
		CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_PSERROR && W->pe->last_exc.to_el == 2 &&
			       SR(ELR_EL2) == CODE,
		       "esb_vse=%s: the physical SError is taken to EL2 at the ESB (ELR=ESB)",
		       k ? "defer-first" : "unchanged");
		if (!k)
			CHECKF(GETF(HCR_EL2, HCR_VSE) == 1 && SR(VDISR_EL2) == 0,
			       "docs/rules.md R9.1 / ARM-M D20.5.1 prose (esb_vse=unchanged): VSE and VDISR_EL2 unchanged; "
			       "VSE %llu VDISR 0x%llx",
			       (unsigned long long)GETF(HCR_EL2, HCR_VSE), (unsigned long long)SR(VDISR_EL2));
		else
			CHECKF(GETF(HCR_EL2, HCR_VSE) == 0 && SR(VDISR_EL2) == 0x80001234,
			       "ARM-M D20.5.1 vs C6.2; docs/rules.md R9.1 / C6.2 pseudocode (esb_vse=defer-first): vESB first; VSE %llu VDISR 0x%llx",
			       (unsigned long long)GETF(HCR_EL2, HCR_VSE), (unsigned long long)SR(VDISR_EL2));
	}
	SOFT_DONE();
}
END_TEST

/* Both deferrals in one ESB: at EL1 A=1, AMO=0 is needed for the physical
 * one to be masked, but then no vSError; so check at EL1 with AMO=1 that a
 * masked vSError is deferred while nothing physical is pending, and that a
 * pending unmasked vSError is taken at the ESB boundary with ELR = the ESB. */
START_TEST(esb_virtual_unmasked_taken)
{
	esb_world(0, true);
	SETF(HCR_EL2, HCR_AMO, 1);
	SETF(HCR_EL2, HCR_VSE, 1);
	SR(VSESR_EL2) = 0x0c11;
	w_set_el(1, 1);
	w_set_a(0);
	esb_program();
	ss_sync_virtual(W->pe, &W->obs);
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_VSERROR, "unmasked vSError taken");
	EXPECT(SR(ELR_EL1) == CODE, "ELR_EL1 = the ESB (0x%llx)", (unsigned long long)SR(ELR_EL1));
	EXPECT(SR(VDISR_EL2) == 0 && GETF(HCR_EL2, HCR_VSE) == 0, "taken, not deferred: VDISR 0, VSE 0");
}
END_TEST

Suite *suite_esb(void)
{
	Suite *s = suite_create("esb");
	TCase *tc = world_tcase("esb");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, esb_defers_masked);
	tcase_add_test(tc, esb_nonsync_stays_pending);
	tcase_add_test(tc, esb_unmasked_taken);
	tcase_add_test(tc, esb_virtual_defer);
	tcase_add_test(tc, esb_virtual_no_defer);
	tcase_add_test(tc, esb_nop_without_ras);
	tcase_add_test(tc, esb_vse_knob);
	tcase_add_test(tc, esb_virtual_unmasked_taken);
	suite_add_tcase(s, tc);
	return s;
}
