/*
 * test_sysreg_access.c - MRS/MSR as executed at each EL: the DISR_EL1
 * redirect and RAZ/WI (ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3), ISR_EL1.A (ARM-M D24.2.118 ISR_EL1; docs/rules.md R3.5, R9.2), RAS
 * registers without FEAT_RAS (ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6), access from a lower EL, read-only
 * registers, RES0/RES1 on writes (docs/rules.md R9.6); FEAT_VHE register
 * redirection (ELIsInHost, the register pages' accessors), the host-regime
 * DAIF rule (AArch64.CheckDAIFAccess), MIDR_EL1.
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
 * registers, ...), except DAIF at EL0, trapped when SCTLR_EL1.UMA=0; the
 * *_EL12 names are UNDEFINED with HCR_EL2.E2H = 0 (the reset value). */
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
				else if (s->alias != SS_REG_COUNT)
					want = SS_ACC_UNDEFINED;	/* *_EL12 with HCR_EL2.E2H = 0 */
				else
					want = el < s->min_el || !ss_feature_on(&W->pe->cfg, s->feature)
						       ? SS_ACC_UNDEFINED : SS_ACC_OK;
				CHECKF(rr == want, "MRS %s at EL%u (UMA=%u): %d, expected %d", s->name, el, uma, rr, want);
				if (s->access == SS_ACCESS_RO && el >= s->min_el &&
				    ss_feature_on(&W->pe->cfg, s->feature)) {
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


/* FEAT_VHE redirection, written from the register pages' accessors (Arm ARM
 * D24.2 ESR_EL1, ESR_EL12, ...; ELIsInHost): the register an access by name
 * reaches, SS_REG_COUNT when UNDEFINED. */
static enum ss_reg expect_reach(const struct ss_sysreg *s, unsigned el, bool el2en, unsigned e2h, bool vhe)
{
	if (el < s->min_el || !ss_feature_on(&W->pe->cfg, s->feature))
		return SS_REG_COUNT;
	bool host2 = vhe && el2en && e2h;	/* ELIsInHost(EL2) */
	if (s->alias != SS_REG_COUNT)		/* *_EL12: EL2 in host, or EL3 with EL2 enabled and E2H = 1 */
		return (el == 2 || el == 3) && host2 ? s->alias : SS_REG_COUNT;
	if (s->e2h != SS_REG_COUNT && el == 2 && host2)
		return s->e2h;
	return s->id;
}

/* Exhaustive over (EL, SCR_EL3.NS, HCR_EL2.E2H, HCR_EL2.TGE, vhe, register):
 * MRS reads the register expected, MSR writes it and no other. */
START_TEST(vhe_redirection_table)
{
	unsigned redirected = 0, aliased = 0;
	for (unsigned vhe = 0; vhe < 2; vhe++)
		for (unsigned el = 0; el < 4; el++)
			for (unsigned ns = 0; ns < 2; ns++)
				for (unsigned e2h = 0; e2h < 2; e2h++)
					for (unsigned tge = 0; tge < 2; tge++)
						for (unsigned r = 0; r < SS_REG_COUNT; r++) {
							const struct ss_sysreg *s = &ss_sysregs[r];
							/* HCR_EL2 and SCR_EL3 have their own write rows
							 * (RW is RAO/WI) and are not redirected. */
							if (!s->has_enc || s->computed || s->access == SS_ACCESS_RO ||
							    r == SS_REG_HCR_EL2 || r == SS_REG_SCR_EL3)
								continue;
							if ((el == 2 && !ns) || (el == 1 && tge && ns))
								continue;
							struct ss_config cfg;
							w_default_config(&cfg);
							cfg.vhe = vhe;
							w_reset(&cfg);
							SETF(SCR_EL3, SCR_NS, ns);
							SETF(HCR_EL2, HCR_E2H, e2h);
							SETF(HCR_EL2, HCR_TGE, tge);
							w_set_el(el, el ? 1 : 0);
							for (unsigned i = 0; i < SS_REG_COUNT; i++)
								if (!ss_sysregs[i].computed && i != SS_REG_PSTATE &&
								    i != SS_REG_HCR_EL2 && i != SS_REG_SCR_EL3)
									W->pe->sr[i] = (uint64_t)(i + 1) << 12;
							enum ss_reg want = expect_reach(s, el, ns, e2h, vhe);
							if (want != SS_REG_COUNT && want != s->id)
								redirected += ss_sysregs[want].alias == SS_REG_COUNT &&
									      s->alias == SS_REG_COUNT;
							if (want != SS_REG_COUNT && s->alias != SS_REG_COUNT)
								aliased++;
							uint64_t v = 0xdead, before[SS_REG_COUNT];
							enum ss_access_result rr = ss_mrs(W->pe, s->id, &v);
							CHECKF((rr == SS_ACC_OK) == (want != SS_REG_COUNT) &&
								       (want == SS_REG_COUNT || v == W->pe->sr[want]),
							       "ELIsInHost, %s accessor: MRS %s at EL%u NS=%u E2H=%u TGE=%u vhe=%u: %d 0x%llx, expected %s",
							       s->name, s->name, el, ns, e2h, tge, vhe, rr, (unsigned long long)v,
							       want == SS_REG_COUNT ? "UNDEFINED" : ss_sysregs[want].name);
							for (unsigned i = 0; i < SS_REG_COUNT; i++)
								before[i] = W->pe->sr[i];
							uint64_t wv = UINT64_C(0x50000000);
							enum ss_access_result rw = ss_msr(W->pe, s->id, wv, NULL);
							CHECKF((rw == SS_ACC_OK) == (want != SS_REG_COUNT),
							       "MSR %s at EL%u NS=%u E2H=%u TGE=%u vhe=%u: %d", s->name, el, ns, e2h,
							       tge, vhe, rw);
							for (unsigned i = 0; i < SS_REG_COUNT; i++) {
								uint64_t exp = i == (unsigned)want ? ss_legalize(W->pe, want, wv)
												  : before[i];
								CHECKF(W->pe->sr[i] == exp,
								       "MSR %s at EL%u NS=%u E2H=%u TGE=%u vhe=%u: %s = 0x%llx, expected 0x%llx",
								       s->name, el, ns, e2h, tge, vhe, ss_sysregs[i].name,
								       (unsigned long long)W->pe->sr[i], (unsigned long long)exp);
							}
						}
	/* Six EL1 names redirect at EL2 (TGE 0 or 1); six *_EL12 names reach
	 * the EL1 registers at EL2 and EL3 (TGE 0 or 1), all with vhe, NS and E2H. */
	EXPECT(redirected == 6 * 2 && aliased == 6 * 2 * 2,
	       "redirections seen %u, aliased accesses %u", redirected, aliased);
	SOFT_DONE();
}
END_TEST

/* The table itself: every E2h target is an EL2 register of the same layout
 * family with min EL 2, every alias names an EL1 register and needs FEAT_VHE. */
START_TEST(vhe_table_facts)
{
	unsigned ne2h = 0, nalias = 0;
	for (unsigned r = 0; r < SS_REG_COUNT; r++) {
		const struct ss_sysreg *s = &ss_sysregs[r];
		if (s->e2h != SS_REG_COUNT) {
			ne2h++;
			CHECKF(s->min_el == 1 && ss_sysregs[s->e2h].min_el == 2 && s->alias == SS_REG_COUNT,
			       "%s -> %s", s->name, ss_sysregs[s->e2h].name);
		}
		if (s->alias != SS_REG_COUNT) {
			nalias++;
			CHECKF(s->feature == SS_FEAT_VHE && s->min_el == 2 && s->op1 == 5 &&
				       ss_sysregs[s->alias].e2h != SS_REG_COUNT &&
				       s->layout == ss_sysregs[s->alias].layout,
			       "%s stands for %s", s->name, ss_sysregs[s->alias].name);
		}
	}
	EXPECT(ne2h == 6 && nalias == 6, "%u E2h lines, %u aliases", ne2h, nalias);
	EXPECT(ss_sysreg_by_name("s3_5_c5_c2_0") == &ss_sysregs[SS_REG_ESR_EL12], "S3_5_C5_C2_0 is ESR_EL12");
	EXPECT(ss_sysreg_by_name("S3_0_C0_C0_0") == &ss_sysregs[SS_REG_MIDR_EL1], "S3_0_C0_C0_0 is MIDR_EL1");
	EXPECT(ss_sysreg_by_name("S3_7_C15_C15_7") == NULL && ss_sysreg_by_name("S3_8_C0_C0_0") == NULL &&
		       ss_sysreg_by_name("S3_0_C16_C0_0") == NULL && ss_sysreg_by_name("S3_0_C0_C0") == NULL &&
		       ss_sysreg_by_name("S1_0_C0_C0_0") == NULL && ss_sysreg_by_name("S3_0_C0_C0_0x") == NULL,
	       "generic names: unknown encodings and malformed names are not registers");
}
END_TEST

/* AArch64.CheckDAIFAccess at EL0, exhaustive over (E2H, TGE, SCTLR_EL1.UMA,
 * SCTLR_EL2 bit 9, host_uma): trapped in the host regime whatever UMA (knob
 * trap), unless bit 9 of SCTLR_EL2 is 1 (knob sctlr-el2, QEMU 7.2). */
START_TEST(daif_el0_host_regime)
{
	for (unsigned knob = 0; knob < 2; knob++)
		for (unsigned e2h = 0; e2h < 2; e2h++)
			for (unsigned tge = 0; tge < 2; tge++)
				for (unsigned uma1 = 0; uma1 < 2; uma1++)
					for (unsigned bit9 = 0; bit9 < 2; bit9++) {
						struct ss_config cfg;
						w_default_config(&cfg);
						cfg.host_uma = knob ? SS_HOST_UMA_SCTLR_EL2 : SS_HOST_UMA_TRAP;
						w_reset(&cfg);
						SETF(HCR_EL2, HCR_E2H, e2h);
						SETF(HCR_EL2, HCR_TGE, tge);
						SETF(SCTLR_EL1, SCTLR_UMA, uma1);
						SR(SCTLR_EL2) = SS_SET(SCTLR_UMA, SR(SCTLR_EL2), bit9);
						w_set_el(0, 0);
						bool host = e2h && tge;
						bool trap = host ? (!knob || !bit9) : !uma1;
						uint64_t v;
						enum ss_access_result rr = ss_mrs(W->pe, SS_REG_DAIF, &v);
						enum ss_access_result rw = ss_msr(W->pe, SS_REG_DAIF, 0, NULL);
						enum ss_access_result want = trap ? SS_ACC_TRAP : SS_ACC_OK;
						CHECKF(rr == want && rw == want,
						       "AArch64.CheckDAIFAccess host_uma=%s E2H=%u TGE=%u UMA=%u SCTLR_EL2[9]=%u: %d/%d, expected %d",
						       knob ? "sctlr-el2" : "trap", e2h, tge, uma1, bit9, rr, rw, want);
					}
	SOFT_DONE();
}
END_TEST

/* SCTLR_EL2 and SCTLR_EL3 have no UMA: bit 9 is RES0 (Arm ARM, the SCTLR_EL2 and
 * SCTLR_EL3 register pages), written directly or through SCTLR_EL1 at EL2 with E2H = 1. */
START_TEST(sctlr_el2_bit9_res0)
{
	static const enum ss_reg via[] = { SS_REG_SCTLR_EL2, SS_REG_SCTLR_EL1, SS_REG_SCTLR_EL3 };
	for (unsigned i = 0; i < 3; i++) {
		w_reset(NULL);
		SETF(HCR_EL2, HCR_E2H, 1);
		w_set_el(via[i] == SS_REG_SCTLR_EL3 ? 3 : 2, 1);
		EXPECT(ss_msr(W->pe, via[i], SS_SCTLR_UMA_MASK | SS_SCTLR_I_MASK, NULL) == SS_ACC_OK, "MSR");
		uint64_t v = SR(SCTLR_EL2) | SR(SCTLR_EL3);
		CHECKF(!(v & SS_SCTLR_UMA_MASK) && (v & SS_SCTLR_I_MASK) && !SS_GET(SCTLR_UMA, SR(SCTLR_EL1)),
		       "MSR %s with bit 9: SCTLR_EL2 0x%llx SCTLR_EL3 0x%llx", ss_sysregs[via[i]].name,
		       (unsigned long long)SR(SCTLR_EL2), (unsigned long long)SR(SCTLR_EL3));
	}
	SOFT_DONE();
}
END_TEST

/* MIDR_EL1 reads the knob midr; it is read-only. */
START_TEST(midr_knob)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	EXPECT(cfg.midr == 0x000f0000, "default midr 0x%llx", (unsigned long long)cfg.midr);
	cfg.midr = 0x410fd0c1;
	w_reset(&cfg);
	w_set_el(1, 1);
	uint64_t v = 0;
	EXPECT(ss_mrs(W->pe, SS_REG_MIDR_EL1, &v) == SS_ACC_OK && v == 0x410fd0c1, "MRS MIDR_EL1 = 0x%llx",
	       (unsigned long long)v);
	EXPECT(ss_msr(W->pe, SS_REG_MIDR_EL1, 0, NULL) == SS_ACC_UNDEFINED, "MSR MIDR_EL1 is UNDEFINED");
	w_set_el(0, 0);
	EXPECT(ss_mrs(W->pe, SS_REG_MIDR_EL1, &v) == SS_ACC_UNDEFINED, "MRS MIDR_EL1 at EL0 is UNDEFINED");
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
	tcase_add_test(tc, vhe_redirection_table);
	tcase_add_test(tc, vhe_table_facts);
	tcase_add_test(tc, daif_el0_host_regime);
	tcase_add_test(tc, sctlr_el2_bit9_res0);
	tcase_add_test(tc, midr_knob);
	suite_add_tcase(s, tc);
	return s;
}
