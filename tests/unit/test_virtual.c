/*
 * test_virtual.c - virtual SError (docs/rules.md R2; ARM-M D1.4.6.4.2,
 * J1.1.2.21 AArch64.TakeVirtualSErrorException).
 *
 * Expected values (written from ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R2.1):
 *   enabled  = EL2Enabled() && TGE == 0 && AMO == 1
 *   pending  = enabled && HCR_EL2.VSE == 1
 *   taken    = pending && EL in {0,1} && PSTATE.A == 0, always to EL1
 * On taking: ESR_EL1 = EC 0x2F, IL=1, ISS = VSESR_EL2[24:0] (RAS), VSE
 * cleared (rule IYPRNB), ELR = the instruction not executed, vector 0x180 of
 * the group (AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); docs/rules.md R2.2).
 */
#include <stdio.h>

#include "world.h"

struct vcfg {
	const char *name;
	bool el3, el2, sel2;
	unsigned ns, eel2;
};

static const struct vcfg vcfgs[] = {
	{ "EL3+EL2, Non-secure", true, true, false, 1, 0 },
	{ "EL3+EL2+SEL2, Secure, EEL2=1", true, true, true, 0, 1 },
	{ "EL3+EL2+SEL2, Secure, EEL2=0 (EL2 disabled)", true, true, true, 0, 0 },
	{ "EL3+EL2 without SEL2, Secure (EL2 disabled)", true, true, false, 0, 0 },
	{ "EL2 without EL3", false, true, false, 1, 0 },
	{ "no EL2", true, false, false, 1, 0 },
};
#define NVCFG (sizeof vcfgs / sizeof vcfgs[0])

struct vstate {
	const struct vcfg *c;
	unsigned vse, amo, tge, e2h, a, el;
};

static bool v_el2_enabled(const struct vstate *s)
{
	if (!s->c->el2)
		return false;
	return !s->c->el3 || s->c->ns || (s->c->sel2 && s->c->eel2);
}

static bool v_reachable(const struct vstate *s)
{
	if (s->el == 3 && !s->c->el3)
		return false;
	if (s->el == 2 && !v_el2_enabled(s))
		return false;
	if (s->el == 1 && s->tge && v_el2_enabled(s))
		return false;
	return true;
}

static void v_apply(const struct vstate *s, bool program)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.el3 = s->c->el3;
	cfg.el2 = s->c->el2;
	cfg.sel2 = s->c->sel2;
	w_reset(&cfg);
	if (s->c->el3) {
		SETF(SCR_EL3, SCR_NS, s->c->ns);
		SETF(SCR_EL3, SCR_EEL2, s->c->eel2);
	}
	SETF(HCR_EL2, HCR_VSE, s->vse);
	SETF(HCR_EL2, HCR_AMO, s->amo);
	SETF(HCR_EL2, HCR_TGE, s->tge);
	SETF(HCR_EL2, HCR_E2H, s->e2h);
	w_set_el(s->el, s->el ? 1 : 0);
	w_set_a(s->a);
	if (program)
		w_nop_program();
	ss_sync_virtual(W->pe, &W->obs);
}

#define FOR_VSTATES(s, cidx)                                                                   \
	for (unsigned bits_ = 0; bits_ < 32 * 4; bits_++)                                       \
		if ((s.c = &vcfgs[cidx], s.vse = bits_ & 1, s.amo = (bits_ >> 1) & 1,             \
		     s.tge = (bits_ >> 2) & 1, s.e2h = (bits_ >> 3) & 1, s.a = (bits_ >> 4) & 1,    \
		     s.el = (bits_ >> 5) & 3, 1) &&                                               \
		    v_reachable(&s))

static void vtext(const struct vstate *s, char *buf, size_t len)
{
	snprintf(buf, len, "[%s] EL%u VSE=%u AMO=%u TGE=%u E2H=%u A=%u", s->c->name, s->el, s->vse, s->amo,
		 s->tge, s->e2h, s->a);
}

START_TEST(virtual_conditions)
{
	struct vstate s;
	char t[200];
	FOR_VSTATES(s, _i)
	{
		v_apply(&s, false);
		vtext(&s, t, sizeof t);
		bool en = v_el2_enabled(&s) && !s.tge && s.amo;
		bool pend = en && s.vse;
		bool unm = pend && s.el <= 1 && !s.a;
		CHECKF(ss_virtual_serror_enabled(W->pe) == en,
		       "%s: enabled=%d, expected %d (ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R2.1: EL2 enabled, TGE=0, AMO=1)", t,
		       ss_virtual_serror_enabled(W->pe), en);
		CHECKF(ss_virtual_serror_pending(W->pe) == pend, "%s: pending=%d, expected %d (ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R2.1)", t,
		       ss_virtual_serror_pending(W->pe), pend);
		CHECKF(ss_virtual_serror_unmasked(W->pe) == unm,
		       "%s: unmasked=%d, expected %d (ARM-M D1.4.6.4.2: EL0/EL1 and PSTATE.A=0 only)", t,
		       ss_virtual_serror_unmasked(W->pe), unm);
	}
	SOFT_DONE();
}
END_TEST

START_TEST(virtual_end_to_end)
{
	struct vstate s;
	char t[200];
	unsigned n = 0;
	FOR_VSTATES(s, _i)
	{
		v_apply(&s, true);
		vtext(&s, t, sizeof t);
		uint64_t vsesr = (n++ & 1) ? 0x1abcdef : 0x0e11;	/* IDS=1 / IDS=0 */
		SR(VSESR_EL2) = vsesr;
		uint64_t old = SR(PSTATE);
		bool take = v_el2_enabled(&s) && !s.tge && s.amo && s.vse && s.el <= 1 && !s.a;
		w_step();
		if (!take) {
			CHECKF(W->pe->nexc == 0 && W->pe->pc == CODE + 4, "%s: no exception expected; %u taken", t,
			       W->pe->nexc);
			CHECKF(GETF(HCR_EL2, HCR_VSE) == s.vse, "%s: VSE changed without taking (%llu)", t,
			       (unsigned long long)GETF(HCR_EL2, HCR_VSE));
			continue;
		}
		const struct ss_exception *e = &W->pe->last_exc;
		uint64_t off = s.el == 1 ? 0x380 : 0x580;
		uint64_t esr = UINT64_C(0xbe000000) | vsesr;
		CHECKF(W->pe->nexc == 1 && e->cause == SS_CAUSE_VSERROR && e->to_el == 1 && e->from_el == s.el,
		       "%s: vSError to EL1 expected; %u exc, cause %s to EL%u", t, W->pe->nexc,
		       ss_cause_name(e->cause), e->to_el);
		CHECKF(SR(ESR_EL1) == esr && e->esr == esr,
		       "%s: ESR_EL1 0x%llx, expected 0x%llx (AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); docs/rules.md R2.2: ISS = VSESR_EL2[24:0])", t,
		       (unsigned long long)SR(ESR_EL1), (unsigned long long)esr);
		CHECKF(SR(ELR_EL1) == CODE, "%s: ELR_EL1 0x%llx, expected 0x%x", t, (unsigned long long)SR(ELR_EL1),
		       CODE);
		CHECKF(SR(SPSR_EL1) == old, "%s: SPSR_EL1 = old PSTATE", t);
		CHECKF(GETF(HCR_EL2, HCR_VSE) == 0, "%s: HCR_EL2.VSE cleared on taking (rule IYPRNB)", t);
		CHECKF(W->pe->pc == VBAR1 + off && e->offset == off, "%s: PC 0x%llx, expected VBAR_EL1+0x%llx", t,
		       (unsigned long long)W->pe->pc, (unsigned long long)off);
		CHECKF(PST(EL) == 1 && PST(SP) == 1 && PST(A) == 1 && PST(D) == 1 && PST(I) == 1 && PST(F) == 1,
		       "%s: PSTATE after entry (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4)", t);
		CHECKF(SR(ESR_EL2) == 0 && SR(ELR_EL2) == 0, "%s: EL2 registers untouched", t);
		CHECKF(ss_ledger_check(W->pe) == NULL, "%s: ledger %s", t, ss_ledger_check(W->pe));
	}
	SOFT_DONE();
}
END_TEST

/* VSESR_EL2 bits above 24 never reach ESR_EL1; IDS=0 and IDS=1 both copied. */
START_TEST(virtual_syndrome_bits)
{
	static const struct {
		uint64_t vsesr, esr;
	} c[] = {
		{ 0x1234, 0xbe001234 },
		{ 0x1ffffff, 0xbfffffff },
		{ 0x1000000, 0xbf000000 },
		{ 0, 0xbe000000 },
		{ UINT64_C(0xfffffffffe000c11), 0xbe000c11 },
		{ 0x2c11, 0xbe002c11 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		w_reset(NULL);
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(HCR_EL2, HCR_VSE, 1);
		SR(VSESR_EL2) = c[i].vsesr;
		w_set_el(1, 1);
		w_set_a(0);
		w_nop_program();
		ss_sync_virtual(W->pe, &W->obs);
		w_step();
		CHECKF(W->pe->nexc == 1 && SR(ESR_EL1) == c[i].esr,
		       "AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); docs/rules.md R2.2: ESR_EL1.ISS<24> = VSESR_EL2.IDS, <23:0> = VSESR_EL2.ISS: VSESR 0x%llx -> "
		       "ESR 0x%llx, expected 0x%llx",
		       (unsigned long long)c[i].vsesr, (unsigned long long)SR(ESR_EL1), (unsigned long long)c[i].esr);
	}
	SOFT_DONE();
}
END_TEST

/* Without FEAT_RAS: the 25-bit IMPLEMENTATION DEFINED value (AArch64.TakeVirtualSErrorException; docs/rules.md R8.11) is the
 * ISS only when its IDS bit is 1, else the ISS is zero (AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); docs/rules.md R2.2). */
START_TEST(virtual_noras_syndrome)
{
	static const struct {
		uint32_t knob;
		uint64_t esr;
	} c[] = {
		{ 0, 0xbe000000 },
		{ 0x0abc, 0xbe000000 },
		{ 0xc11, 0xbe000000 },
		{ 0x1000abc, 0xbf000abc },
		{ 0x1ffffff, 0xbfffffff },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.ras = false;
		cfg.iesb = false;
		cfg.noras_vserror_iss = c[i].knob;
		EXPECT(ss_config_check(&cfg) == NULL, "no-RAS config: %s", ss_config_check(&cfg));
		w_reset(&cfg);
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(HCR_EL2, HCR_VSE, 1);
		SR(VSESR_EL2) = 0x1234;	/* no such register without RAS: must not be used */
		w_set_el(1, 1);
		w_set_a(0);
		w_nop_program();
		ss_sync_virtual(W->pe, &W->obs);
		w_step();
		CHECKF(W->pe->nexc == 1 && SR(ESR_EL1) == c[i].esr,
		       "AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); docs/rules.md R2.2, R8.11 no RAS, knob 0x%x: ESR_EL1 0x%llx, expected 0x%llx", c[i].knob,
		       (unsigned long long)SR(ESR_EL1), (unsigned long long)c[i].esr);
		CHECKF(GETF(HCR_EL2, HCR_VSE) == 0, "VSE cleared without RAS too");
	}
	SOFT_DONE();
}
END_TEST

/* Minimal RAS with VSESR_EL2 RAZ/WI (ARM-M D24.9.18 VSESR_EL2; docs/rules.md R3.2, D20.7.1.1): the syndrome is 0. */
START_TEST(virtual_vsesr_raz_wi)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.vsesr_raz_wi = true;
	w_reset(&cfg);
	w_set_el(2, 1);
	EXPECT(ss_msr(W->pe, SS_REG_VSESR_EL2, 0xc11, NULL) == SS_ACC_OK, "MSR VSESR_EL2 at EL2");
	uint64_t v = 77;
	EXPECT(ss_mrs(W->pe, SS_REG_VSESR_EL2, &v) == SS_ACC_OK && v == 0, "VSESR_EL2 reads as zero: 0x%llx",
	       (unsigned long long)v);
	SETF(HCR_EL2, HCR_AMO, 1);
	SETF(HCR_EL2, HCR_VSE, 1);
	w_set_el(1, 1);
	w_set_a(0);
	w_nop_program();
	ss_sync_virtual(W->pe, &W->obs);
	w_step();
	EXPECT(W->pe->nexc == 1 && SR(ESR_EL1) == 0xbe000000,
	       "ARM-M D24.9.18 VSESR_EL2; docs/rules.md R3.2 VSESR_EL2 RAZ/WI: vSError ESR_EL1 0x%llx, expected 0xbe000000", (unsigned long long)SR(ESR_EL1));
}
END_TEST

/* A vSError set at EL2 is taken right after the ERET to EL1 with A=0, with
 * ELR = the ERET target (the first instruction not executed). */
START_TEST(virtual_after_eret)
{
	w_reset(NULL);
	w_set_el(2, 1);
	SETF(HCR_EL2, HCR_AMO, 1);
	SETF(HCR_EL2, HCR_VSE, 1);
	SR(VSESR_EL2) = 0x0c11;
	SR(ELR_EL2) = CODE + 0x100;
	SR(SPSR_EL2) = 0x5 | (0xb << 6);	/* EL1h, D=1 A=0 I=1 F=1 */
	w_insn(CODE, SS_OP_ERET);
	w_insn(CODE + 0x100, SS_OP_NOP);
	w_insn(CODE + 0x104, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	ss_sync_virtual(W->pe, &W->obs);
	w_step();
	EXPECT(PST(EL) == 1 && W->pe->pc == CODE + 0x100 && W->pe->nexc == 0, "ERET to EL1 (VSE not taken at EL2)");
	EXPECT(GETF(HCR_EL2, HCR_VSE) == 1, "VSE still pending at EL2 (never taken at EL2: ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R2.1)");
	w_step();
	EXPECT(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_VSERROR, "vSError taken at EL1");
	EXPECT(SR(ELR_EL1) == CODE + 0x100, "ELR_EL1 0x%llx = the ERET target", (unsigned long long)SR(ELR_EL1));
	EXPECT(W->pe->pc == VBAR1 + 0x380, "VBAR_EL1+0x380");
	EXPECT(SR(ESR_EL1) == 0xbe000c11, "ESR_EL1 0x%llx", (unsigned long long)SR(ESR_EL1));
}
END_TEST

/* Taken once: after the vSError, VSE=0 and no second exception follows even
 * when the handler unmasks. */
START_TEST(virtual_taken_once)
{
	w_reset(NULL);
	SETF(HCR_EL2, HCR_AMO, 1);
	SETF(HCR_EL2, HCR_VSE, 1);
	w_set_el(1, 1);
	w_set_a(0);
	w_insn(CODE, SS_OP_NOP);
	w_insn(CODE + 4, SS_OP_END);
	w_insn(VBAR1 + 0x380, SS_OP_MSR_DAIFCLR)->imm = 4;
	w_insn(VBAR1 + 0x384, SS_OP_NOP);
	w_insn(VBAR1 + 0x388, SS_OP_END);
	w_load(CODE);
	ss_sync_virtual(W->pe, &W->obs);
	w_step();
	w_step();
	w_step();
	EXPECT(W->pe->nexc == 1, "one vSError (VSE cleared when taken): %u exceptions", W->pe->nexc);
	EXPECT(PST(A) == 0 && W->pe->pc == VBAR1 + 0x388, "handler ran unmasked");
}
END_TEST

/* ARM-M D1.4.6.5; ARM-M D20.5.1; docs/rules.md R8.4, R8.5 vp_priority: a vSError and a physical SError (to EL2 with AMO=1)
 * both unmasked at EL1.  Either order is legal; the knob picks one, and the
 * other is taken next (ARM-M D20.5.1: the physical one stays unmasked). */
START_TEST(virtual_vs_physical_priority)
{
	for (unsigned k = 0; k < 2; k++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.vp_priority = k ? SS_PRIO_PHYSICAL_FIRST : SS_PRIO_VIRTUAL_FIRST;
		w_reset(&cfg);
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(HCR_EL2, HCR_VSE, 1);
		SR(VSESR_EL2) = 0x1234;
		w_set_el(1, 1);
		w_set_a(0);
		w_nop_program();
		ss_sync_virtual(W->pe, &W->obs);
		w_raise(0xc11, SS_EDGE, true, 0);
		w_step();
		if (!k) {
			CHECKF(W->rec.nexc >= 1 && W->rec.exc[0].cause == SS_CAUSE_VSERROR && W->rec.exc[0].to_el == 1,
			       "vp_priority=virtual-first: vSError first");
			if (W->pe->nexc == 1)
				w_step();
			CHECKF(W->pe->nexc == 2 && W->pe->last_exc.cause == SS_CAUSE_PSERROR &&
				       W->pe->last_exc.to_el == 2 && W->pe->last_exc.from_el == 1,
			       "then the physical SError to EL2 (class A at EL1): %u exc", W->pe->nexc);
			CHECKF(SR(ELR_EL2) == VBAR1 + 0x380, "its ELR_EL2 is the vSError vector: 0x%llx",
			       (unsigned long long)SR(ELR_EL2));
		} else {
			CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == SS_CAUSE_PSERROR && W->pe->last_exc.to_el == 2,
			       "vp_priority=physical-first: physical SError to EL2 first");
			CHECKF(GETF(HCR_EL2, HCR_VSE) == 1, "vSError still pending (not taken at EL2)");
		}
	}
	SOFT_DONE();
}
END_TEST

Suite *suite_virtual(void)
{
	Suite *s = suite_create("virtual");
	TCase *tc = world_tcase("virtual");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, virtual_conditions, 0, (int)NVCFG);
	tcase_add_loop_test(tc, virtual_end_to_end, 0, (int)NVCFG);
	tcase_add_test(tc, virtual_syndrome_bits);
	tcase_add_test(tc, virtual_noras_syndrome);
	tcase_add_test(tc, virtual_vsesr_raz_wi);
	tcase_add_test(tc, virtual_after_eret);
	tcase_add_test(tc, virtual_taken_once);
	tcase_add_test(tc, virtual_vs_physical_priority);
	suite_add_tcase(s, tc);
	return s;
}
