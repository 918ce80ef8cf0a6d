/*
 * test_vectors.c - exception vector offsets (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4,
 * AArch64.TakeException): SError at +0x180 of the group chosen by the source
 * EL and SP: 0x000 same EL with SP_EL0, 0x200 same EL with SP_ELx, 0x400
 * lower EL in AArch64, 0x600 lower EL in AArch32.  The model runs AArch64
 * only, so the AArch32 group (0x780) is checked as a rule, and the states
 * that would use it are checked to be refused.
 */
#include "world.h"

/* ss_vector_offset(): the group base for every source/target pair. */
START_TEST(vector_offset_rule)
{
	for (unsigned from = 0; from < 4; from++)
		for (unsigned to = from; to < 4; to++)
			for (unsigned sp = 0; sp < 2; sp++) {
				if (to == 0)
					continue;
				w_reset(NULL);
				w_set_el(from, from ? sp : 0);
				uint64_t want = to > from ? 0x400 : sp ? 0x200 : 0x000;
				uint64_t got = ss_vector_offset(W->pe, from, to);
				CHECKF(got == want,
				       "AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4: EL%u (SP=%u) -> EL%u: group base 0x%llx, expected 0x%llx "
				       "(SError at +0x180 = 0x%llx)",
				       from, from ? sp : 0, to, (unsigned long long)got, (unsigned long long)want,
				       (unsigned long long)(want + 0x180));
			}
	SOFT_DONE();
}
END_TEST

/* Lower EL in AArch32: +0x600 (0x780 for SError), and the width rules of AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4. */
START_TEST(vector_offset_aarch32_rule)
{
	/* Target EL2: the width of EL1 (HCR_EL2.RW), or EL0's own in the host. */
	for (unsigned from = 0; from < 2; from++)
		for (unsigned host = 0; host < 2; host++) {
			w_reset(NULL);
			SR(HCR_EL2) &= ~SS_HCR_RW_MASK;
			SETF(HCR_EL2, HCR_E2H, host);
			SETF(HCR_EL2, HCR_TGE, host);
			w_set_el(from, 0);
			uint64_t want = (host && from == 0) ? 0x400 : 0x600;
			CHECKF(ss_vector_offset(W->pe, from, 2) == want,
			       "AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4: EL%u -> EL2 with HCR_EL2.RW=0 (host=%u): 0x%llx, expected 0x%llx", from, host,
			       (unsigned long long)ss_vector_offset(W->pe, from, 2), (unsigned long long)want);
		}
	/* Target EL3: the width of EL2 when EL2 is enabled (SCR_EL3.RW). */
	for (unsigned from = 0; from < 3; from++) {
		w_reset(NULL);
		SR(SCR_EL3) &= ~SS_SCR_RW_MASK;
		w_set_el(from, 0);
		CHECKF(ss_vector_offset(W->pe, from, 3) == 0x600, "AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4: EL%u -> EL3 with SCR_EL3.RW=0: 0x%llx", from,
		       (unsigned long long)ss_vector_offset(W->pe, from, 3));
	}
	/* Such states are not run: AArch32 is outside the model. */
	w_reset(NULL);
	SR(HCR_EL2) &= ~SS_HCR_RW_MASK;
	w_set_el(1, 1);
	CHECKF(ss_pe_check(W->pe) != NULL, "EL1 with HCR_EL2.RW=0 (AArch32) must be refused by ss_pe_check");
	w_reset(NULL);
	SETF(PSTATE, PSTATE_nRW, 1);
	CHECKF(ss_pe_check(W->pe) != NULL, "PSTATE.nRW=1 must be refused by ss_pe_check");
	/* HCR_EL2.RW cannot be cleared by MSR: 0x780 is unreachable. */
	w_reset(NULL);
	w_set_el(2, 1);
	CHECKF(ss_msr(W->pe, SS_REG_HCR_EL2, 0, NULL) == SS_ACC_OK, "MSR HCR_EL2 at EL2");
	CHECKF(GETF(HCR_EL2, HCR_RW) == 1, "HCR_EL2.RW stays 1 (EL1 is AArch64 only in this model)");
	SOFT_DONE();
}
END_TEST

struct vcase {
	unsigned el, sp;
	unsigned ea, amo, tge, e2h;
	unsigned to;
	uint64_t off;
	const char *why;
};

static const struct vcase pcases[] = {
	{ 1, 0, 0, 0, 0, 0, 1, 0x180, "EL1t -> EL1: same EL, SP_EL0" },
	{ 1, 1, 0, 0, 0, 0, 1, 0x380, "EL1h -> EL1: same EL, SP_EL1" },
	{ 0, 0, 0, 0, 0, 0, 1, 0x580, "EL0 -> EL1: lower AArch64" },
	{ 0, 0, 0, 1, 0, 0, 2, 0x580, "EL0 -> EL2 (AMO): lower AArch64" },
	{ 1, 0, 0, 1, 0, 0, 2, 0x580, "EL1t -> EL2 (AMO): lower AArch64" },
	{ 1, 1, 0, 1, 0, 0, 2, 0x580, "EL1h -> EL2 (AMO): lower AArch64" },
	{ 0, 0, 0, 0, 1, 0, 2, 0x580, "EL0 -> EL2 (TGE=1 E2H=0): lower AArch64" },
	{ 0, 0, 0, 0, 1, 1, 2, 0x580, "host EL0 -> EL2 (E2H=TGE=1): lower, EL0's width" },
	{ 2, 0, 0, 1, 0, 0, 2, 0x180, "EL2t -> EL2 (AMO): same EL, SP_EL0" },
	{ 2, 1, 0, 1, 0, 0, 2, 0x380, "EL2h -> EL2 (AMO): same EL, SP_EL2" },
	{ 2, 0, 0, 0, 1, 1, 2, 0x180, "EL2t -> EL2 (TGE=1 E2H=1)" },
	{ 2, 1, 0, 0, 1, 0, 2, 0x380, "EL2h -> EL2 (TGE=1)" },
	{ 0, 0, 1, 0, 0, 0, 3, 0x580, "EL0 -> EL3 (EA): lower" },
	{ 1, 0, 1, 0, 0, 0, 3, 0x580, "EL1t -> EL3 (EA): lower" },
	{ 1, 1, 1, 0, 0, 0, 3, 0x580, "EL1h -> EL3 (EA): lower" },
	{ 2, 0, 1, 0, 0, 0, 3, 0x580, "EL2t -> EL3 (EA): lower" },
	{ 2, 1, 1, 1, 0, 0, 3, 0x580, "EL2h -> EL3 (EA, AMO): lower" },
	{ 3, 0, 1, 0, 0, 0, 3, 0x180, "EL3t -> EL3 (EA): same EL, SP_EL0" },
	{ 3, 1, 1, 0, 0, 0, 3, 0x380, "EL3h -> EL3 (EA): same EL, SP_EL3" },
};

/* A physical SError taken from each source to each target lands at
 * VBAR_ELt + offset, with SP_ELt selected. */
START_TEST(vector_physical_entry)
{
	const struct vcase *c = &pcases[_i];
	w_reset(NULL);
	SETF(SCR_EL3, SCR_EA, c->ea);
	SETF(HCR_EL2, HCR_AMO, c->amo);
	SETF(HCR_EL2, HCR_TGE, c->tge);
	SETF(HCR_EL2, HCR_E2H, c->e2h);
	w_set_el(c->el, c->sp);
	w_set_a(0);
	w_nop_program();
	w_raise(0xc11, SS_EDGE, true, 0);
	w_step();
	uint64_t vbar = w_vbar(c->to);
	EXPECT(W->pe->nexc == 1, "%s: one exception, got %u", c->why, W->pe->nexc);
	EXPECT(W->pe->last_exc.to_el == c->to, "%s: to EL%u, expected EL%u", c->why, W->pe->last_exc.to_el, c->to);
	EXPECT(W->pe->last_exc.offset == c->off, "%s: offset 0x%llx, expected 0x%llx (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4)", c->why,
	       (unsigned long long)W->pe->last_exc.offset, (unsigned long long)c->off);
	EXPECT(W->pe->last_exc.vector == vbar + c->off && W->pe->pc == vbar + c->off,
	       "%s: PC 0x%llx, expected 0x%llx", c->why, (unsigned long long)W->pe->pc,
	       (unsigned long long)(vbar + c->off));
	EXPECT(PST(SP) == 1 && PST(EL) == c->to, "%s: PSTATE.EL=%u SP=1 after entry", c->why, c->to);
}
END_TEST

/* A vSError is taken to EL1: 0x180 from EL1t, 0x380 from EL1h, 0x580 from EL0. */
START_TEST(vector_virtual_entry)
{
	static const struct {
		unsigned el, sp;
		uint64_t off;
	} c[] = { { 1, 0, 0x180 }, { 1, 1, 0x380 }, { 0, 0, 0x580 } };
	for (size_t i = 0; i < 3; i++) {
		w_reset(NULL);
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(HCR_EL2, HCR_VSE, 1);
		SR(VSESR_EL2) = 0x1234;
		w_set_el(c[i].el, c[i].sp);
		w_set_a(0);
		w_nop_program();
		ss_sync_virtual(W->pe, &W->obs);
		w_step();
		CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_VSERROR && W->pe->last_exc.to_el == 1,
		       "AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); docs/rules.md R2.2: vSError from EL%u SP=%u taken to EL1", c[i].el, c[i].sp);
		CHECKF(W->pe->last_exc.offset == c[i].off && W->pe->pc == VBAR1 + c[i].off,
		       "AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); docs/rules.md R2.2: vSError from EL%u SP=%u at VBAR_EL1+0x%llx, got offset 0x%llx PC 0x%llx",
		       c[i].el, c[i].sp, (unsigned long long)c[i].off, (unsigned long long)W->pe->last_exc.offset,
		       (unsigned long long)W->pe->pc);
	}
	SOFT_DONE();
}
END_TEST

/* Synchronous exceptions use the group base + 0x000 (same rule). */
START_TEST(vector_synchronous_entry)
{
	static const struct {
		unsigned el, sp;
		enum ss_op op;
		unsigned to;
		uint64_t off;
		const char *why;
	} c[] = {
		{ 0, 0, SS_OP_SVC, 1, 0x400, "SVC from EL0 -> EL1 lower" },
		{ 1, 1, SS_OP_SVC, 1, 0x200, "SVC at EL1h -> EL1 SP_ELx" },
		{ 1, 0, SS_OP_SVC, 1, 0x000, "SVC at EL1t -> EL1 SP_EL0" },
		{ 1, 1, SS_OP_HVC, 2, 0x400, "HVC at EL1 -> EL2 lower" },
		{ 2, 1, SS_OP_HVC, 2, 0x200, "HVC at EL2h -> EL2" },
		{ 1, 1, SS_OP_SMC, 3, 0x400, "SMC at EL1 -> EL3 lower" },
		{ 3, 0, SS_OP_SMC, 3, 0x000, "SMC at EL3t -> EL3" },
		{ 1, 1, SS_OP_UDF, 1, 0x200, "UDF at EL1h -> EL1" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		w_reset(NULL);
		w_set_el(c[i].el, c[i].sp);
		w_insn(CODE, c[i].op)->imm = 7;
		w_insn(CODE + 4, SS_OP_END);
		w_vectors_end();
		w_load(CODE);
		w_step();
		uint64_t vbar = w_vbar(c[i].to);
		CHECKF(W->pe->nexc == 1 && W->pe->last_exc.to_el == c[i].to && W->pe->pc == vbar + c[i].off,
		       "AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4 vector groups: %s: %u exc to EL%u PC 0x%llx, expected EL%u 0x%llx", c[i].why,
		       W->pe->nexc, W->pe->last_exc.to_el, (unsigned long long)W->pe->pc, c[i].to,
		       (unsigned long long)(vbar + c[i].off));
	}
	SOFT_DONE();
}
END_TEST

Suite *suite_vectors(void)
{
	Suite *s = suite_create("vectors");
	TCase *tc = world_tcase("vectors");
	tcase_add_test(tc, vector_offset_rule);
	tcase_add_test(tc, vector_offset_aarch32_rule);
	tcase_add_loop_test(tc, vector_physical_entry, 0, (int)(sizeof pcases / sizeof pcases[0]));
	tcase_add_test(tc, vector_virtual_entry);
	tcase_add_test(tc, vector_synchronous_entry);
	suite_add_tcase(s, tc);
	return s;
}
