/*
 * test_eret.c - exception return (ARM-M AArch64.ExceptionReturn,
 * IllegalExceptionReturn; D1.x "Illegal return events from AArch64 state").
 *
 * Legal: PC = ELR_ELx, PSTATE = SPSR_ELx.  Illegal (return to a higher EL, to
 * an EL that is not implemented or not enabled, to EL1 with HCR_EL2.TGE=1,
 * a reserved or AArch32 SPSR.M): PC = ELR_ELx, PSTATE.{EL,SP,nRW} unchanged,
 * PSTATE.IL = 1, the other fields from SPSR; the next instruction then takes
 * an Illegal Execution state exception (EC 0x0E) to the current EL (or EL2
 * from EL0 with TGE=1).
 */
#include <stdio.h>

#include "world.h"

#define TARGET (CODE + 0x200)

struct ecase {
	unsigned el;	/* ERET executed at */
	uint64_t m;	/* SPSR.M[4:0] */
	unsigned tge, ns, el2, el3;
	bool legal;
	const char *why;
};

static const struct ecase ecases[] = {
	{ 1, 0x0, 0, 1, 1, 1, true, "EL1 -> EL0t" },
	{ 1, 0x4, 0, 1, 1, 1, true, "EL1 -> EL1t" },
	{ 1, 0x5, 0, 1, 1, 1, true, "EL1 -> EL1h" },
	{ 1, 0x8, 0, 1, 1, 1, false, "EL1 -> EL2t: higher EL" },
	{ 1, 0x9, 0, 1, 1, 1, false, "EL1 -> EL2h: higher EL" },
	{ 1, 0xd, 0, 1, 1, 1, false, "EL1 -> EL3h: higher EL" },
	{ 1, 0x1, 0, 1, 1, 1, false, "EL1 -> M=0b0001: reserved" },
	{ 1, 0x2, 0, 1, 1, 1, false, "EL1 -> M=0b0010: reserved" },
	{ 1, 0x6, 0, 1, 1, 1, false, "EL1 -> M=0b0110: reserved" },
	{ 1, 0x10, 0, 1, 1, 1, false, "EL1 -> AArch32 (M[4]=1): EL0 is AArch64 only" },
	{ 2, 0x0, 0, 1, 1, 1, true, "EL2 -> EL0t" },
	{ 2, 0x4, 0, 1, 1, 1, true, "EL2 -> EL1t" },
	{ 2, 0x5, 0, 1, 1, 1, true, "EL2 -> EL1h" },
	{ 2, 0x8, 0, 1, 1, 1, true, "EL2 -> EL2t" },
	{ 2, 0x9, 0, 1, 1, 1, true, "EL2 -> EL2h" },
	{ 2, 0xd, 0, 1, 1, 1, false, "EL2 -> EL3h: higher EL" },
	{ 2, 0x5, 1, 1, 1, 1, false, "EL2 -> EL1h with HCR_EL2.TGE=1" },
	{ 2, 0x4, 1, 1, 1, 1, false, "EL2 -> EL1t with HCR_EL2.TGE=1" },
	{ 2, 0x0, 1, 1, 1, 1, true, "EL2 -> EL0t with TGE=1 (host EL0)" },
	{ 2, 0xa, 0, 1, 1, 1, false, "EL2 -> M=0b1010: reserved" },
	{ 3, 0x0, 0, 1, 1, 1, true, "EL3 -> EL0t" },
	{ 3, 0x5, 0, 1, 1, 1, true, "EL3 -> EL1h" },
	{ 3, 0x9, 0, 1, 1, 1, true, "EL3 -> EL2h" },
	{ 3, 0xc, 0, 1, 1, 1, true, "EL3 -> EL3t" },
	{ 3, 0xd, 0, 1, 1, 1, true, "EL3 -> EL3h" },
	{ 3, 0x9, 0, 0, 1, 1, false, "EL3 -> EL2h, Secure with EEL2=0: EL2 not enabled" },
	{ 3, 0x9, 0, 1, 0, 1, false, "EL3 -> EL2h, EL2 not implemented" },
	{ 3, 0x5, 1, 1, 1, 1, false, "EL3 -> EL1h with HCR_EL2.TGE=1 (EL2 enabled)" },
	{ 3, 0x5, 1, 0, 1, 1, true, "EL3 -> Secure EL1h, TGE=1 but EL2 disabled" },
	{ 1, 0x5, 0, 1, 0, 0, true, "EL1 -> EL1h, no EL2/EL3" },
	{ 2, 0x5, 0, 1, 1, 0, true, "EL2 -> EL1h, no EL3" },
};

START_TEST(eret_table)
{
	const struct ecase *c = &ecases[_i];
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.el2 = c->el2;
	cfg.el3 = c->el3;
	w_reset(&cfg);
	SETF(SCR_EL3, SCR_NS, c->ns);
	SETF(HCR_EL2, HCR_TGE, c->tge);
	w_set_el(c->el, 1);
	enum ss_reg elr = c->el == 1 ? SS_REG_ELR_EL1 : c->el == 2 ? SS_REG_ELR_EL2 : SS_REG_ELR_EL3;
	enum ss_reg spsr = c->el == 1 ? SS_REG_SPSR_EL1 : c->el == 2 ? SS_REG_SPSR_EL2 : SS_REG_SPSR_EL3;
	uint64_t sp = c->m | (0x5 << 6) | UINT64_C(0x60000000);	/* D=0 A=1 I=0 F=1, Z C */
	W->pe->sr[elr] = TARGET;
	W->pe->sr[spsr] = sp;
	w_insn(CODE, SS_OP_ERET);
	w_insn(TARGET, SS_OP_NOP);
	w_insn(TARGET + 4, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	EXPECT(ss_pe_check(W->pe) == NULL, "%s: start state: %s", c->why, ss_pe_check(W->pe));
	uint64_t before = SR(PSTATE);
	w_step();
	EXPECT(W->pe->pc == TARGET, "%s: PC = ELR 0x%llx (got 0x%llx)", c->why, (unsigned long long)TARGET,
	       (unsigned long long)W->pe->pc);
	EXPECT(W->pe->nexc == 0, "%s: the ERET itself raises nothing", c->why);
	EXPECT(W->rec.neret == 1 && W->rec.eret[0].illegal == !c->legal, "%s: trace says illegal=%d", c->why,
	       W->rec.neret ? W->rec.eret[0].illegal : -1);
	EXPECT((SR(PSTATE) >> 28) == 6 && PST(D) == 0 && PST(A) == 1 && PST(I) == 0 && PST(F) == 1,
	       "%s: NZCV and DAIF from SPSR (0x%llx)", c->why, (unsigned long long)SR(PSTATE));
	if (c->legal) {
		EXPECT(PST(EL) == (c->m >> 2) && PST(SP) == (c->m & 1) && PST(IL) == 0,
		       "%s: PSTATE.EL/SP from SPSR.M (0x%llx)", c->why, (unsigned long long)SR(PSTATE));
		w_step();
		EXPECT(W->pe->nexc == 0 && W->pe->pc == TARGET + 4, "%s: execution continues", c->why);
		return;
	}
	EXPECT(PST(IL) == 1, "%s: illegal return sets PSTATE.IL", c->why);
	EXPECT(PST(EL) == c->el && PST(SP) == 1 && PST(nRW) == 0,
	       "%s: PSTATE.EL, SP, nRW unchanged (0x%llx, was 0x%llx)", c->why, (unsigned long long)SR(PSTATE),
	       (unsigned long long)before);
	uint64_t ps = SR(PSTATE);
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_ILLEGAL_STATE, "%s: Illegal State exception",
	       c->why);
	EXPECT(W->pe->last_exc.to_el == c->el && W->pe->last_exc.esr == 0x3a000000,
	       "%s: EC=0x0E IL=1 to EL%u (got EL%u ESR 0x%llx)", c->why, c->el, W->pe->last_exc.to_el,
	       (unsigned long long)W->pe->last_exc.esr);
	EXPECT(W->pe->sr[elr] == TARGET && W->pe->sr[spsr] == ps,
	       "%s: ELR = the instruction not executed, SPSR = PSTATE with IL=1", c->why);
	EXPECT(PST(IL) == 0 && W->pe->pc == w_vbar(c->el) + 0x200, "%s: entry clears IL; vector +0x200", c->why);
}
END_TEST

/* SPSR.IL=1 restored by a legal return: the next instruction takes the
 * Illegal State exception at the new EL. */
START_TEST(eret_spsr_il)
{
	w_reset(NULL);
	w_set_el(2, 1);
	SR(ELR_EL2) = TARGET;
	SR(SPSR_EL2) = 0x5 | 0x3c0 | (UINT64_C(1) << 20);
	w_insn(CODE, SS_OP_ERET);
	w_insn(TARGET, SS_OP_NOP);
	w_vectors_end();
	w_load(CODE);
	w_step();
	EXPECT(PST(EL) == 1 && PST(IL) == 1, "PSTATE.IL restored from SPSR");
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_ILLEGAL_STATE && W->pe->last_exc.to_el == 1,
	       "Illegal State exception at EL1");
	EXPECT(SR(ESR_EL1) == 0x3a000000 && SR(ELR_EL1) == TARGET, "ESR_EL1/ELR_EL1");
}
END_TEST

/* ERET at EL0 is UNDEFINED: EC=Unknown to EL1 (EL2 with TGE=1). */
START_TEST(eret_at_el0)
{
	for (unsigned tge = 0; tge < 2; tge++) {
		w_reset(NULL);
		SETF(HCR_EL2, HCR_TGE, tge);
		w_set_el(0, 0);
		w_insn(CODE, SS_OP_ERET);
		w_vectors_end();
		w_load(CODE);
		w_step();
		unsigned to = tge ? 2 : 1;
		CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_UNDEF && W->pe->last_exc.to_el == to &&
			       W->pe->last_exc.esr == 0x02000000 && W->pe->pc == w_vbar(to) + 0x400,
		       "TGE=%u: ERET at EL0 UNDEFINED to EL%u", tge, to);
	}
	SOFT_DONE();
}
END_TEST

/* A round trip: SError taken, handler ERETs, execution resumes at the
 * interrupted instruction with the old PSTATE. */
START_TEST(eret_round_trip)
{
	w_reset(NULL);
	w_set_el(0, 0);
	w_set_a(0);
	w_insn(CODE, SS_OP_NOP);
	w_insn(CODE + 4, SS_OP_NOP);
	w_insn(CODE + 8, SS_OP_END);
	w_insn(VBAR1 + 0x580, SS_OP_ERET);
	w_load(CODE);
	uint64_t before = SR(PSTATE);
	w_raise(0xc11, SS_EDGE, true, 0);
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->pc == VBAR1 + 0x580, "taken from EL0");
	w_step();
	EXPECT(W->pe->pc == CODE && SR(PSTATE) == before, "ERET back: PC 0x%llx PSTATE 0x%llx",
	       (unsigned long long)W->pe->pc, (unsigned long long)SR(PSTATE));
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->pc == CODE + 4, "edge condition gone: no second exception");
}
END_TEST

Suite *suite_eret(void)
{
	Suite *s = suite_create("eret");
	TCase *tc = world_tcase("eret");
	tcase_add_loop_test(tc, eret_table, 0, (int)(sizeof ecases / sizeof ecases[0]));
	tcase_add_test(tc, eret_spsr_il);
	tcase_add_test(tc, eret_at_el0);
	tcase_add_test(tc, eret_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
