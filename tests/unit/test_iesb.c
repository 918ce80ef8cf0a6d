/*
 * test_iesb.c - implicit error synchronization (FEAT_IESB;
 * docs/rules.md R4.2; ARM-M D20.5.3, AArch64.TakeException, rules RLPKVM, IWDSBL).
 *
 * An SError must not be taken at the boundary before the exception or ERET
 * for the implicit ESB to matter, so the tests raise it with a propagation
 * delay (in flight at the boundary) or hold it behind a higher-priority
 * exception (vp_priority = virtual-first).
 */
#include "world.h"

static void iesb_world(unsigned propagation)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.timing.propagation = propagation;
	cfg.vp_priority = SS_PRIO_VIRTUAL_FIRST;
	w_reset(&cfg);
}

/* Entry: a vSError taken to EL1 whose entry runs the implicit ESB of EL1; the
 * physical SError routed to EL2 (AMO=1) is unmasked and taken with
 * ESR_EL2.IESB=1 and ELR_EL2 = the vSError's vector address. */
START_TEST(iesb_entry_routed_higher)
{
	static const struct {
		uint32_t iss;
		uint64_t esr;
		const char *why;
	} c[] = {
		{ 0x0c11, 0xbe002c11, "UER: IESB=1" },
		{ 0x0e11, 0xbe002e11, "UER EA=1: IESB=1" },
		{ 0x1811, 0xbe003811, "CE: IESB=1" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		iesb_world(0);
		SETF(SCTLR_EL1, SCTLR_IESB, 1);
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(HCR_EL2, HCR_VSE, 1);
		SR(VSESR_EL2) = 0x1234;
		w_set_el(1, 1);
		w_set_a(0);
		w_nop_program();
		ss_sync_virtual(W->pe, &W->obs);
		int id = w_raise(c[i].iss, SS_EDGE, true, 0);
		w_step();
		CHECKF(W->rec.nexc == 2 && W->rec.exc[0].cause == SS_CAUSE_VSERROR,
		       "%s: vSError entry then the implicit ESB takes the physical SError in the same step (%u exc)",
		       c[i].why, W->rec.nexc);
		const struct ss_exception *e = &W->pe->last_exc;
		CHECKF(e->cause == SS_CAUSE_PSERROR && e->from_el == 1 && e->to_el == 2 && e->iesb,
		       "%s: physical SError EL1 -> EL2 by the implicit ESB", c[i].why);
		CHECKF(SR(ESR_EL2) == c[i].esr, "ARM-M D20.5.3; docs/rules.md R4.2 on entry: %s: ESR_EL2 0x%llx, expected 0x%llx",
		       c[i].why, (unsigned long long)SR(ESR_EL2), (unsigned long long)c[i].esr);
		CHECKF(SR(ELR_EL2) == VBAR1 + 0x380,
		       "ARM-M D20.5.3; docs/rules.md R4.2 on entry: ELR_EL2 0x%llx, expected the original vector VBAR_EL1+0x380",
		       (unsigned long long)SR(ELR_EL2));
		CHECKF(SR(SPSR_EL2) == 0x3c5, "SPSR_EL2 0x%llx: EL1h DAIF=1111 as after the first entry",
		       (unsigned long long)SR(SPSR_EL2));
		CHECKF(W->pe->pc == VBAR2 + 0x580, "PC at VBAR_EL2+0x580");
		CHECKF(SR(ESR_EL1) == 0xbe001234 && SR(ELR_EL1) == CODE, "the vSError entry is intact");
		CHECKF(SR(DISR_EL1) == 0 && SR(VDISR_EL2) == 0, "IWDSBL: implicit ESB never writes DISR/VDISR");
		CHECKF(W->pe->cond[id].disp == SS_DISP_TAKEN, "condition taken");
	}
	SOFT_DONE();
}
END_TEST

/* The same with the IESB of EL1 off (SCTLR_EL1.IESB=0, or SCTLR_EL2.IESB=1
 * only, or FEAT_IESB absent): the physical SError is taken at the next
 * boundary with IESB=0, ELR still the vector address. */
START_TEST(iesb_entry_off)
{
	for (unsigned v = 0; v < 3; v++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.vp_priority = SS_PRIO_VIRTUAL_FIRST;
		cfg.iesb = v != 2;
		w_reset(&cfg);
		if (v == 1)
			SETF(SCTLR_EL2, SCTLR_IESB, 1);
		if (v == 2)
			SETF(SCTLR_EL1, SCTLR_IESB, 1);	/* RES0 without the feature */
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(HCR_EL2, HCR_VSE, 1);
		w_set_el(1, 1);
		w_set_a(0);
		w_nop_program();
		ss_sync_virtual(W->pe, &W->obs);
		w_raise(0x0c11, SS_EDGE, true, 0);
		w_step();
		CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_VSERROR,
		       "variant %u: no implicit ESB on entry to EL1: only the vSError (%u exc)", v, W->pe->nexc);
		CHECKF(!ss_iesb_effective(W->pe, 1), "variant %u: IESB not effective at EL1", v);
		w_step();
		CHECKF(W->pe->nexc == 2 && W->pe->last_exc.to_el == 2 && !W->pe->last_exc.iesb,
		       "variant %u: physical SError taken at the next boundary", v);
		CHECKF(SR(ESR_EL2) == 0xbe000c11 && SR(ELR_EL2) == VBAR1 + 0x380,
		       "variant %u: ESR_EL2 0x%llx (IESB=0), ELR_EL2 0x%llx (the vector)", v,
		       (unsigned long long)SR(ESR_EL2), (unsigned long long)SR(ELR_EL2));
	}
	SOFT_DONE();
}
END_TEST

/* Entry by a synchronous exception: SVC from EL0 to EL1 while a physical
 * SError routed to EL2 is in flight; the implicit ESB of EL1 synchronizes it
 * and takes it with IESB=1, ELR = VBAR_EL1+0x400 (the SVC's vector). */
START_TEST(iesb_entry_svc)
{
	iesb_world(1000);
	SETF(SCTLR_EL1, SCTLR_IESB, 1);
	SETF(HCR_EL2, HCR_AMO, 1);
	w_set_el(0, 0);
	w_set_a(0);
	w_insn(CODE, SS_OP_SVC)->imm = 5;
	w_insn(CODE + 4, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	w_raise(0x0c11, SS_EDGE, true, 0);
	w_step();
	EXPECT(W->rec.nexc == 2 && W->rec.exc[0].cause == SS_CAUSE_SVC, "SVC then the SError (%u exc)", W->rec.nexc);
	EXPECT(SR(ESR_EL1) == 0x56000005 && SR(ELR_EL1) == CODE + 4, "SVC syndrome and return address");
	EXPECT(SR(ESR_EL2) == 0xbe002c11, "ESR_EL2 0x%llx: IESB=1 (ARM-M D20.5.3; docs/rules.md R4.2)", (unsigned long long)SR(ESR_EL2));
	EXPECT(SR(ELR_EL2) == VBAR1 + 0x400, "ELR_EL2 0x%llx: the SVC's vector address (ARM-M D20.5.3; docs/rules.md R4.2)",
	       (unsigned long long)SR(ELR_EL2));
	EXPECT(W->pe->pc == VBAR2 + 0x580, "taken from EL1: VBAR_EL2+0x580");
}
END_TEST

/* Masked after entry: stays pending, DISR_EL1 untouched (IWDSBL). */
START_TEST(iesb_entry_masked_stays_pending)
{
	for (unsigned prop = 0; prop <= 1000; prop += 1000)
		for (unsigned from = 0; from < 2; from++) {
			iesb_world(prop);
			SETF(SCTLR_EL1, SCTLR_IESB, 1);
			w_set_el(from, from);
			w_set_a(1);
			w_insn(CODE, SS_OP_SVC)->imm = 1;
			w_insn(CODE + 4, SS_OP_END);
			w_vectors_end();
			w_load(CODE);
			int id = w_raise(0x0c11, SS_EDGE, true, 0);
			w_step();
			CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_SVC,
			       "EL%u prop %u: only the SVC (%u exc)", from, prop, W->pe->nexc);
			CHECKF(W->pe->cond[id].disp == SS_DISP_PENDING || (prop && W->pe->cond[id].disp == SS_DISP_IN_FLIGHT),
			       "ARM-M D20.5.3; docs/rules.md R4.2: masked at the target EL: stays pending (%s)",
			       ss_disposition_name(W->pe->cond[id].disp));
			if (prop)
				CHECKF(W->pe->cond[id].disp == SS_DISP_PENDING,
				       "ARM-M D20.5.3; docs/rules.md R4.2 SynchronizeErrors(): the implicit ESB makes it pending (%s)",
				       ss_disposition_name(W->pe->cond[id].disp));
			CHECKF(SR(DISR_EL1) == 0, "IWDSBL: implicit ESB never writes DISR_EL1 (0x%llx)",
			       (unsigned long long)SR(DISR_EL1));
			CHECKF(W->pe->ndefer == 0, "no deferral");
		}
	SOFT_DONE();
}
END_TEST

/* ERET with SCTLR_ELx.IESB=1: an SError unmasked before the return is taken
 * with ELR = the ERET and ESR.IESB per the eret_iesb knob (RLPKVM). */
START_TEST(iesb_eret)
{
	static const struct {
		unsigned el, ea, amo, to;
		uint64_t spsr;
		const char *why;
	} c[] = {
		{ 2, 1, 0, 3, 0x5, "ERET EL2 -> EL1, EA=1: SError to EL3" },
		{ 1, 0, 1, 2, 0x0, "ERET EL1 -> EL0, AMO=1: SError to EL2" },
		{ 3, 1, 0, 3, 0x9, "ERET EL3 -> EL2, EA=1 NMEA=0 A=0 at EL3" },
	};
	for (unsigned knob = 0; knob < 2; knob++)
		for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
			struct ss_config cfg;
			w_default_config(&cfg);
			cfg.timing.propagation = 1000;
			cfg.eret_iesb = knob;
			w_reset(&cfg);
			SETF(SCR_EL3, SCR_EA, c[i].ea);
			SETF(HCR_EL2, HCR_AMO, c[i].amo);
			w_set_el(c[i].el, 1);
			w_set_a(c[i].el == 3 ? 0 : 1);
			enum ss_reg sctlr = c[i].el == 1 ? SS_REG_SCTLR_EL1 : c[i].el == 2 ? SS_REG_SCTLR_EL2 : SS_REG_SCTLR_EL3;
			W->pe->sr[sctlr] = SS_SET(SCTLR_IESB, W->pe->sr[sctlr], 1);
			enum ss_reg elr = c[i].el == 1 ? SS_REG_ELR_EL1 : c[i].el == 2 ? SS_REG_ELR_EL2 : SS_REG_ELR_EL3;
			enum ss_reg spsr = c[i].el == 1 ? SS_REG_SPSR_EL1 : c[i].el == 2 ? SS_REG_SPSR_EL2 : SS_REG_SPSR_EL3;
			W->pe->sr[elr] = CODE + 0x100;
			W->pe->sr[spsr] = c[i].spsr | 0x3c0;
			w_insn(CODE, SS_OP_ERET);
			w_insn(CODE + 0x100, SS_OP_END);
			w_vectors_end();
			w_load(CODE);
			uint64_t before = SR(PSTATE);
			w_raise(0x0c11, SS_EDGE, true, 0);
			w_step();
			uint64_t esr = c[i].to == 2 ? SR(ESR_EL2) : SR(ESR_EL3);
			uint64_t relr = c[i].to == 2 ? SR(ELR_EL2) : SR(ELR_EL3);
			uint64_t rspsr = c[i].to == 2 ? SR(SPSR_EL2) : SR(SPSR_EL3);
			uint64_t want = knob ? 0xbe002c11 : 0xbe000c11;
			CHECKF(W->pe->nexc == 1 && W->pe->last_exc.to_el == c[i].to && W->pe->last_exc.from_el == c[i].el,
			       "eret_iesb=%u %s: taken at the ERET (%u exc)", knob, c[i].why, W->pe->nexc);
			CHECKF(relr == CODE, "ARM-M D20.5.3; docs/rules.md R4.2 on ERET: %s: ELR 0x%llx, expected the ERET 0x%x", c[i].why,
			       (unsigned long long)relr, CODE);
			CHECKF(esr == want, "ARM-M D20.5.3; docs/rules.md R4.2 RLPKVM, eret_iesb=%u: %s: ESR 0x%llx, expected 0x%llx", knob,
			       c[i].why, (unsigned long long)esr, (unsigned long long)want);
			CHECKF(rspsr == before, "%s: SPSR = PSTATE before the return (0x%llx, got 0x%llx)", c[i].why,
			       (unsigned long long)before, (unsigned long long)rspsr);
			CHECKF(SR(DISR_EL1) == 0, "IWDSBL");
		}
	SOFT_DONE();
}
END_TEST

/* ERET without the IESB: the return completes; the condition is not
 * synchronized by it. */
START_TEST(iesb_eret_off)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.timing.propagation = 1000;
	w_reset(&cfg);
	SETF(SCR_EL3, SCR_EA, 1);
	w_set_el(2, 1);
	SR(ELR_EL2) = CODE + 0x100;
	SR(SPSR_EL2) = 0x3c5;
	w_insn(CODE, SS_OP_ERET);
	w_insn(CODE + 0x100, SS_OP_NOP);
	w_insn(CODE + 0x104, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	int id = w_raise(0x0c11, SS_EDGE, true, 0);
	w_step();
	EXPECT(W->pe->nexc == 0 && PST(EL) == 1 && W->pe->pc == CODE + 0x100, "the ERET completes");
	EXPECT(W->pe->cond[id].disp == SS_DISP_IN_FLIGHT, "not synchronized: still in flight (%s)",
	       ss_disposition_name(W->pe->cond[id].disp));
}
END_TEST

/* ERET with IESB, SError masked before the return: stays pending, is taken
 * after the return when the restored PSTATE unmasks it (ELR = return address). */
START_TEST(iesb_eret_masked)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.timing.propagation = 1000;
	w_reset(&cfg);
	SETF(SCTLR_EL1, SCTLR_IESB, 1);
	w_set_el(1, 1);
	w_set_a(1);
	SR(ELR_EL1) = CODE + 0x100;
	SR(SPSR_EL1) = 0x0;	/* EL0t, A=0 */
	w_insn(CODE, SS_OP_ERET);
	w_insn(CODE + 0x100, SS_OP_NOP);
	w_insn(CODE + 0x104, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	ss_sync_virtual(W->pe, &W->obs);
	int id = w_raise(0x0c11, SS_EDGE, true, 0);
	w_step();
	EXPECT(W->pe->nexc == 0 && PST(EL) == 0, "masked at EL1: ERET completes");
	EXPECT(W->pe->cond[id].disp == SS_DISP_PENDING, "synchronized by the ERET's IESB and pending (%s)",
	       ss_disposition_name(W->pe->cond[id].disp));
	EXPECT(SR(DISR_EL1) == 0 && SR(VDISR_EL2) == 0, "IWDSBL: no DISR/VDISR write");
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->last_exc.to_el == 1 && SR(ELR_EL1) == CODE + 0x100,
	       "taken at EL0 after the return, ELR_EL1 = 0x%llx", (unsigned long long)SR(ELR_EL1));
	EXPECT(SR(ESR_EL1) == 0xbe000c11, "ordinary boundary: IESB=0 (0x%llx)", (unsigned long long)SR(ESR_EL1));
}
END_TEST

/* InsertIESBBeforeException; docs/rules.md R8.6 iesb_before_exception: the unmasked SError is taken instead of the
 * SVC, with ESR.IESB = 0. */
START_TEST(iesb_before_exception_knob)
{
	for (unsigned k = 0; k < 2; k++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.timing.propagation = 1000;
		cfg.iesb_before_exception = k;
		w_reset(&cfg);
		SETF(SCTLR_EL1, SCTLR_IESB, 1);
		SETF(HCR_EL2, HCR_AMO, 1);
		w_set_el(0, 0);
		w_set_a(0);
		w_insn(CODE, SS_OP_SVC)->imm = 5;
		w_insn(CODE + 4, SS_OP_END);
		w_vectors_end();
		w_load(CODE);
		w_raise(0x0c11, SS_EDGE, true, 0);
		w_step();
		if (k) {
			CHECKF(W->rec.nexc >= 1 && W->rec.exc[0].cause == SS_CAUSE_PSERROR && W->rec.exc[0].to_el == 2,
			       "iesb_before_exception=1: the SError is taken first, instead of the SVC");
			CHECKF(W->rec.nexc >= 1 && W->rec.exc[0].esr == 0xbe000c11,
			       "ARM-M D20.5.3; docs/rules.md R4.2 step 1: pre-entry synchronization reports IESB=0 (0x%llx)",
			       (unsigned long long)(W->rec.nexc ? W->rec.exc[0].esr : 0));
		} else {
			CHECKF(W->rec.nexc == 2 && W->rec.exc[0].cause == SS_CAUSE_SVC && W->rec.exc[1].iesb,
			       "iesb_before_exception=0: SVC, then the SError by the entry's IESB");
		}
	}
	SOFT_DONE();
}
END_TEST

/* ss_iesb_effective: SCTLR_ELx.IESB with the feature; forced at EL3 by
 * SCR_EL3.NMEA with FEAT_DoubleFault (ARM-M D20.5.3; docs/rules.md R4.2, R6). */
START_TEST(iesb_effective_rule)
{
	for (unsigned feat = 0; feat < 2; feat++)
		for (unsigned df = 0; df < 2; df++)
			for (unsigned el = 1; el < 4; el++)
				for (unsigned bit = 0; bit < 2; bit++)
					for (unsigned nmea = 0; nmea < 2; nmea++) {
						struct ss_config cfg;
						w_default_config(&cfg);
						cfg.iesb = feat;
						cfg.double_fault = df;
						w_reset(&cfg);
						SETF(SCR_EL3, SCR_EA, 1);
						SETF(SCR_EL3, SCR_NMEA, nmea);
						enum ss_reg r = el == 1 ? SS_REG_SCTLR_EL1 : el == 2 ? SS_REG_SCTLR_EL2 : SS_REG_SCTLR_EL3;
						W->pe->sr[r] = SS_SET(SCTLR_IESB, W->pe->sr[r], bit);
						bool want = (feat && bit) || (el == 3 && df && nmea);
						CHECKF(ss_iesb_effective(W->pe, el) == want,
						       "ARM-M D20.5.3; docs/rules.md R4.2: iesb=%u df=%u EL%u SCTLR.IESB=%u NMEA=%u: "
						       "effective %d, expected %d",
						       feat, df, el, bit, nmea, ss_iesb_effective(W->pe, el), want);
					}
	SOFT_DONE();
}
END_TEST

Suite *suite_iesb(void)
{
	Suite *s = suite_create("iesb");
	TCase *tc = world_tcase("iesb");
	tcase_add_test(tc, iesb_entry_routed_higher);
	tcase_add_test(tc, iesb_entry_off);
	tcase_add_test(tc, iesb_entry_svc);
	tcase_add_test(tc, iesb_entry_masked_stays_pending);
	tcase_add_test(tc, iesb_eret);
	tcase_add_test(tc, iesb_eret_off);
	tcase_add_test(tc, iesb_eret_masked);
	tcase_add_test(tc, iesb_before_exception_knob);
	tcase_add_test(tc, iesb_effective_rule);
	suite_add_tcase(s, tc);
	return s;
}
