/*
 * test_sysreg_access.c - MRS/MSR as executed at each EL: the DISR_EL1
 * redirect and RAZ/WI (ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3), ISR_EL1.A (ARM-M D24.2.118 ISR_EL1; docs/rules.md R3.5, R9.2), RAS
 * registers without FEAT_RAS (ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6), access from a lower EL, read-only
 * registers, RES0/RES1 on writes (docs/rules.md R9.6).
 */
#include <stdio.h>

#include "world.h"

enum dtarget { D_DISR, D_VDISR, D_RAZWI, D_UNDEF };

static const char *dname(enum dtarget d)
{
	return d == D_DISR ? "DISR_EL1" : d == D_VDISR ? "VDISR_EL2" : d == D_RAZWI ? "RAZ/WI" : "UNDEFINED";
}

/* ARM-M DISR_EL1 accessors (ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3), EL0 UNDEFINED. */
static enum dtarget expect_disr(unsigned el, bool el2en, unsigned amo, unsigned tge, unsigned ea)
{
	if (el == 0)
		return D_UNDEF;
	if (el == 1 && el2en && !tge && amo)
		return D_VDISR;
	if (el < 3 && ea)
		return D_RAZWI;
	return D_DISR;
}

START_TEST(disr_redirect_table)
{
	for (unsigned ns = 0; ns < 2; ns++)
		for (unsigned el = 0; el < 4; el++)
			for (unsigned amo = 0; amo < 2; amo++)
				for (unsigned tge = 0; tge < 2; tge++)
					for (unsigned ea = 0; ea < 2; ea++) {
						bool el2en = ns;	/* no SEL2 */
						if (el == 2 && !el2en)
							continue;
						if (el == 1 && tge && el2en)
							continue;
						w_reset(NULL);
						SETF(SCR_EL3, SCR_NS, ns);
						SETF(SCR_EL3, SCR_EA, ea);
						SETF(HCR_EL2, HCR_AMO, amo);
						SETF(HCR_EL2, HCR_TGE, tge);
						w_set_el(el, el ? 1 : 0);
						SR(DISR_EL1) = 0x80000c11;
						SR(VDISR_EL2) = 0x81000123;
						enum dtarget want = expect_disr(el, el2en, amo, tge, ea);
						char t[128];
						snprintf(t, sizeof t, "EL%u NS=%u AMO=%u TGE=%u EA=%u -> %s", el, ns, amo, tge, ea,
							 dname(want));
						uint64_t v = 0xdead;
						enum ss_access_result rr = ss_mrs(W->pe, SS_REG_DISR_EL1, &v);
						enum ss_access_result rw = ss_msr(W->pe, SS_REG_DISR_EL1, 0x80000e11, &W->obs);
						if (want == D_UNDEF) {
							CHECKF(rr == SS_ACC_UNDEFINED && rw == SS_ACC_UNDEFINED,
							       "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3: %s (read %d write %d)", t, rr, rw);
							continue;
						}
						CHECKF(rr == SS_ACC_OK && rw == SS_ACC_OK, "%s: access %d/%d", t, rr, rw);
						uint64_t rv = want == D_DISR ? 0x80000c11 : want == D_VDISR ? 0x81000123 : 0;
						CHECKF(v == rv, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3: %s: MRS DISR_EL1 = 0x%llx, expected 0x%llx", t,
						       (unsigned long long)v, (unsigned long long)rv);
						uint64_t d = SR(DISR_EL1), vd = SR(VDISR_EL2);
						CHECKF(d == (want == D_DISR ? 0x80000e11 : 0x80000c11) &&
							       vd == (want == D_VDISR ? 0x80000e11 : 0x81000123),
						       "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3: %s: MSR DISR_EL1 wrote DISR 0x%llx VDISR 0x%llx", t,
						       (unsigned long long)d, (unsigned long long)vd);
					}
	SOFT_DONE();
}
END_TEST

/* VDISR_EL2 and VSESR_EL2 are EL2 registers: plain at EL2/EL3, UNDEFINED at
 * EL0/EL1; DISR/VDISR/VSESR are UNDEFINED everywhere without FEAT_RAS. */
START_TEST(ras_registers_access)
{
	static const enum ss_reg regs[] = { SS_REG_DISR_EL1, SS_REG_VDISR_EL2, SS_REG_VSESR_EL2 };
	for (unsigned ras = 0; ras < 2; ras++)
		for (size_t r = 0; r < 3; r++)
			for (unsigned el = 0; el < 4; el++) {
				struct ss_config cfg;
				w_default_config(&cfg);
				cfg.ras = ras;
				cfg.iesb = ras;
				w_reset(&cfg);
				w_set_el(el, el ? 1 : 0);
				uint64_t v = 0;
				enum ss_access_result rr = ss_mrs(W->pe, regs[r], &v);
				enum ss_access_result rw = ss_msr(W->pe, regs[r], 0x80000011, NULL);
				bool undef = !ras || el < ss_sysregs[regs[r]].min_el;
				CHECKF((rr == SS_ACC_UNDEFINED) == undef && (rw == SS_ACC_UNDEFINED) == undef,
				       "ras=%u EL%u %s: read %d write %d, expected %s (ARM-M D24.9.18 VSESR_EL2; ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R3.2-R3.4, R6)", ras, el,
				       ss_sysregs[regs[r]].name, rr, rw, undef ? "UNDEFINED" : "OK");
			}
	SOFT_DONE();
}
END_TEST

/* Every register: UNDEFINED below its lowest EL (EL1 access to EL2
 * registers, ...), except DAIF at EL0, trapped when SCTLR_EL1.UMA=0. */
START_TEST(access_by_el)
{
	for (unsigned r = 0; r < SS_REG_COUNT; r++) {
		const struct ss_sysreg *s = &ss_sysregs[r];
		if (!s->has_enc)
			continue;
		for (unsigned el = 0; el < 4; el++)
			for (unsigned uma = 0; uma < 2; uma++) {
				w_reset(NULL);
				SETF(SCTLR_EL1, SCTLR_UMA, uma);
				w_set_el(el, el ? 1 : 0);
				uint64_t v = 0;
				enum ss_access_result rr = ss_mrs(W->pe, s->id, &v);
				enum ss_access_result want;
				if (s->id == SS_REG_DAIF && el == 0)
					want = uma ? SS_ACC_OK : SS_ACC_TRAP;
				else
					want = el < s->min_el ? SS_ACC_UNDEFINED : SS_ACC_OK;
				CHECKF(rr == want, "MRS %s at EL%u (UMA=%u): %d, expected %d", s->name, el, uma, rr, want);
				if (s->access == SS_ACCESS_RO && el >= s->min_el) {
					uint64_t before = W->pe->sr[s->id];
					enum ss_access_result rw = ss_msr(W->pe, s->id, ~before, NULL);
					CHECKF(rw == SS_ACC_UNDEFINED && W->pe->sr[s->id] == before,
					       "MSR to read-only %s at EL%u: %d, expected UNDEFINED and no change", s->name, el,
					       rw);
				}
			}
	}
	SOFT_DONE();
}
END_TEST

/* ISR_EL1.A (ARM-M D24.2.118 ISR_EL1; docs/rules.md R3.5, knob isr_a docs/rules.md R9.2). */
START_TEST(isr_a_table)
{
	for (unsigned knob = 0; knob < 2; knob++)
		for (unsigned el = 1; el < 4; el++)
			for (unsigned ns = 0; ns < 2; ns++)
				for (unsigned amo = 0; amo < 2; amo++)
					for (unsigned vse = 0; vse < 2; vse++)
						for (unsigned phys = 0; phys < 2; phys++) {
							if (el == 2 && !ns)
								continue;
							struct ss_config cfg;
							w_default_config(&cfg);
							cfg.isr_a = knob ? SS_ISR_A_VIRTUAL_OR_PHYSICAL : SS_ISR_A_VIRTUAL;
							w_reset(&cfg);
							SETF(SCR_EL3, SCR_NS, ns);
							SETF(HCR_EL2, HCR_AMO, amo);
							SETF(HCR_EL2, HCR_VSE, vse);
							w_set_el(el, 1);
							w_set_a(1);
							ss_sync_virtual(W->pe, &W->obs);
							if (phys)
								w_raise(0xc11, SS_EDGE, true, 0);
							bool virt_view = el == 1 && ns && amo;
							unsigned want = virt_view ? (knob ? (vse | phys) : vse) : phys;
							uint64_t v = 0;
							enum ss_access_result rr = ss_mrs(W->pe, SS_REG_ISR_EL1, &v);
							CHECKF(rr == SS_ACC_OK && SS_GET(ISR_A, v) == want && (v & ~SS_ISR_A_MASK) == 0,
							       "ARM-M D24.2.118 ISR_EL1; docs/rules.md R3.5, R9.2 isr_a=%s: EL%u NS=%u AMO=%u VSE=%u phys=%u: "
							       "ISR_EL1 0x%llx, expected A=%u",
							       knob ? "virtual-or-physical" : "virtual", el, ns, amo, vse, phys,
							       (unsigned long long)v, want);
							CHECKF(ss_isr_el1(W->pe) == v, "ss_isr_el1 agrees with MRS");
						}
	SOFT_DONE();
}
END_TEST

/* ISR_EL1.A reads 0 after an edge-triggered SError is taken (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4). */
START_TEST(isr_a_after_taking)
{
	w_reset(NULL);
	w_set_el(1, 1);
	w_set_a(0);
	w_nop_program();
	w_raise(0xc11, SS_EDGE, true, 0);
	EXPECT(SS_GET(ISR_A, ss_isr_el1(W->pe)) == 1, "pending: ISR_EL1.A=1");
	w_step();
	EXPECT(W->pe->nexc == 1, "taken");
	EXPECT(SS_GET(ISR_A, ss_isr_el1(W->pe)) == 0, "edge-triggered, taken: ISR_EL1.A=0 (ARM-M ISR_EL1.A)");
}
END_TEST

/* Computed registers: CurrentEL, SPSel, DAIF, NZCV. */
START_TEST(pstate_views)
{
	for (unsigned el = 0; el < 4; el++)
		for (unsigned sp = 0; sp < 2; sp++) {
			if (el == 0 && sp)
				continue;
			w_reset(NULL);
			w_set_el(el, sp);
			SETF(SCTLR_EL1, SCTLR_UMA, 1);
			SR(PSTATE) = (SR(PSTATE) & ~UINT64_C(0xf00003c0)) | UINT64_C(0xa0000140);	/* N C, A F */
			uint64_t v;
			if (el) {
				CHECKF(ss_mrs(W->pe, SS_REG_CurrentEL, &v) == SS_ACC_OK && v == (uint64_t)el << 2,
				       "CurrentEL at EL%u = 0x%llx", el, (unsigned long long)v);
				CHECKF(ss_mrs(W->pe, SS_REG_SPSel, &v) == SS_ACC_OK && v == sp, "SPSel at EL%u SP=%u", el, sp);
			}
			CHECKF(ss_mrs(W->pe, SS_REG_DAIF, &v) == SS_ACC_OK && v == 0x140, "DAIF = 0x%llx, expected 0x140",
			       (unsigned long long)v);
			CHECKF(ss_mrs(W->pe, SS_REG_NZCV, &v) == SS_ACC_OK && v == UINT64_C(0xa0000000), "NZCV = 0x%llx",
			       (unsigned long long)v);
			CHECKF(ss_msr(W->pe, SS_REG_DAIF, 0x280, NULL) == SS_ACC_OK && PST(D) == 1 && PST(A) == 0 &&
				       PST(I) == 1 && PST(F) == 0 && PST(EL) == el,
			       "MSR DAIF at EL%u", el);
			CHECKF(ss_msr(W->pe, SS_REG_NZCV, UINT64_C(0x50000000), NULL) == SS_ACC_OK &&
				       (SR(PSTATE) >> 28) == 5,
			       "MSR NZCV");
			if (el) {
				CHECKF(ss_msr(W->pe, SS_REG_SPSel, !sp, NULL) == SS_ACC_OK && PST(SP) == !sp && PST(EL) == el,
				       "MSR SPSel at EL%u", el);
			}
		}
	SOFT_DONE();
}
END_TEST

/* RES0/RES1 on writes: knob res0 = mask | store (docs/rules.md R9.6). */
START_TEST(res0_knob)
{
	static const struct {
		enum ss_reg r;
		unsigned el;
		uint64_t write, masked;
	} c[] = {
		{ SS_REG_VSESR_EL2, 2, UINT64_MAX, 0x1ffffff },
		{ SS_REG_DISR_EL1, 3, UINT64_MAX, 0x81ffffff },
		{ SS_REG_DISR_EL1, 1, UINT64_MAX, 0x81ffffff },
		{ SS_REG_VDISR_EL2, 2, UINT64_MAX, 0x81ffffff },
		{ SS_REG_VBAR_EL1, 1, 0x12345, 0x12000 },
		{ SS_REG_ESR_EL1, 1, UINT64_C(0x1be000c11), 0xbe000c11 },
		{ SS_REG_ELR_EL1, 1, UINT64_MAX, UINT64_MAX },
	};
	for (unsigned knob = 0; knob < 2; knob++)
		for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
			struct ss_config cfg;
			w_default_config(&cfg);
			cfg.res0 = knob ? SS_RES0_STORE : SS_RES0_MASK;
			w_reset(&cfg);
			w_set_el(c[i].el, 1);
			EXPECT(ss_msr(W->pe, c[i].r, c[i].write, NULL) == SS_ACC_OK, "MSR %s", ss_sysregs[c[i].r].name);
			uint64_t v = 0;
			EXPECT(ss_mrs(W->pe, c[i].r, &v) == SS_ACC_OK, "MRS %s", ss_sysregs[c[i].r].name);
			uint64_t want = knob ? c[i].write : c[i].masked;
			CHECKF(v == want, "ARM-M Glossary RES0; docs/rules.md R9.6 res0=%s: %s written 0x%llx reads 0x%llx, expected 0x%llx",
			       knob ? "store" : "mask", ss_sysregs[c[i].r].name, (unsigned long long)c[i].write,
			       (unsigned long long)v, (unsigned long long)want);
		}
	/* RES1: SCR_EL3[5:4] read as 1 after writing 0 when masking. */
	struct ss_config cfg;
	w_default_config(&cfg);
	w_reset(&cfg);
	w_set_el(3, 1);
	EXPECT(ss_msr(W->pe, SS_REG_SCR_EL3, 0x1, NULL) == SS_ACC_OK, "MSR SCR_EL3");
	CHECKF((SR(SCR_EL3) & SS_SCR_RES1) == SS_SCR_RES1, "res0=mask: SCR_EL3 RES1 bits read as 1 (0x%llx)",
	       (unsigned long long)SR(SCR_EL3));
	EXPECT(ss_msr(W->pe, SS_REG_HCR_EL2, UINT64_MAX, NULL) == SS_ACC_OK, "MSR HCR_EL2 at EL3");
	CHECKF((SR(HCR_EL2) & SS_HCR_RES0) == 0, "res0=mask: HCR_EL2[63:39] 0 (0x%llx)", (unsigned long long)SR(HCR_EL2));
	SOFT_DONE();
}
END_TEST

/* MSR/MRS as instructions: an UNDEFINED access raises EC=Unknown at the
 * target, and a register read reaches Xt. */
START_TEST(mrs_msr_instructions)
{
	w_reset(NULL);
	w_set_el(1, 1);
	SETF(HCR_EL2, HCR_AMO, 1);
	SR(VDISR_EL2) = 0x80001234;
	struct ss_insn *in = w_insn(CODE, SS_OP_MRS);
	in->rd = 3;
	in->sreg = SS_REG_DISR_EL1;
	in = w_insn(CODE + 4, SS_OP_MRS);
	in->rd = 4;
	in->sreg = SS_REG_VSESR_EL2;	/* EL2 register at EL1: UNDEFINED */
	w_insn(CODE + 8, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	w_step();
	EXPECT(W->pe->x[3] == 0x80001234, "MRS X3, DISR_EL1 at EL1 with AMO=1 reads VDISR_EL2 (0x%llx)",
	       (unsigned long long)W->pe->x[3]);
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_UNDEF && W->pe->last_exc.to_el == 1,
	       "MRS VSESR_EL2 at EL1 is UNDEFINED -> EL1");
	EXPECT(SR(ESR_EL1) == 0x02000000 && SR(ELR_EL1) == CODE + 4, "ESR_EL1 0x%llx (EC=Unknown IL=1), ELR = the MRS",
	       (unsigned long long)SR(ESR_EL1));
}
END_TEST

Suite *suite_sysreg_access(void)
{
	Suite *s = suite_create("sysreg_access");
	TCase *tc = world_tcase("access");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, disr_redirect_table);
	tcase_add_test(tc, ras_registers_access);
	tcase_add_test(tc, access_by_el);
	tcase_add_test(tc, isr_a_table);
	tcase_add_test(tc, isr_a_after_taking);
	tcase_add_test(tc, pstate_views);
	tcase_add_test(tc, res0_knob);
	tcase_add_test(tc, mrs_msr_instructions);
	suite_add_tcase(s, tc);
	return s;
}
