/*
 * test_routing.c - physical SError routing and masking, exhaustively.
 *
 * The expected values come from expect_route() below, an encoding of
 * docs/rules.md R1.1 (routing, ARM-M D20.4.4, RAS-B §2.5.1) and ARM-M D1.4.6.4.1 RGCTZC, Table D1-23; docs/rules.md R1.2
 * (ARM-M D1.4.6.4.1 rule RGCTZC, Table D1-23), written from the table and not
 * from the model.  Also the literal Table D1-23, the amo_el2 knob (Known Issue D22105; docs/rules.md R8.10,
 * D22105), EL2 disabled in Secure state, EL3 absent and FEAT_DoubleFault
 * SCR_EL3.NMEA (docs/rules.md R6).  End to end: for every state, raise one condition, step
 * once at a NOP and check the exception entry of AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4.
 */
#include <stdio.h>
#include <string.h>

#include "world.h"

/* A PE configuration to sweep. */
struct rcfg {
	const char *name;
	bool el3, el2, sel2, secure;	/* secure: no EL3, Secure-only PE */
	unsigned ns, eel2;		/* SCR_EL3.NS / EEL2 when EL3 exists */
	bool df;			/* FEAT_DoubleFault */
};

static const struct rcfg rcfgs[] = {
	{ "EL3+EL2, Non-secure", true, true, false, false, 1, 0, true },
	{ "EL3+EL2, Non-secure, no DoubleFault", true, true, false, false, 1, 0, false },
	{ "EL3+EL2+SEL2, Secure, EEL2=1", true, true, true, false, 0, 1, true },
	{ "EL3+EL2+SEL2, Secure, EEL2=0", true, true, true, false, 0, 0, true },
	{ "EL3+EL2 without SEL2, Secure", true, true, false, false, 0, 0, true },
	{ "EL3+EL2 without SEL2, Secure, EEL2 bit set", true, true, false, false, 0, 1, true },
	{ "EL2, no EL3 (Non-secure)", false, true, false, false, 1, 0, false },
	{ "EL3, no EL2", true, false, false, false, 1, 0, true },
	{ "no EL3, no EL2", false, false, false, false, 1, 0, false },
	{ "no EL3, Secure, no EL2", false, false, false, true, 1, 0, false },
};
#define NRCFG (sizeof rcfgs / sizeof rcfgs[0])

/* One point of the state space. */
struct rstate {
	const struct rcfg *c;
	unsigned ea, amo, tge, e2h, a, nmea, el;
	enum ss_amo_el2 amo_el2;
};

static void rstate_text(const struct rstate *s, char *buf, size_t len)
{
	snprintf(buf, len, "[%s] EL%u EA=%u AMO=%u TGE=%u E2H=%u A=%u NMEA=%u amo_el2=%s", s->c->name,
		 s->el, s->ea, s->amo, s->tge, s->e2h, s->a, s->nmea,
		 s->amo_el2 == SS_AMO_EL2_ONE ? "one" : "programmed");
}

/* EL2Enabled(): EL2 implemented and, with EL3, Non-secure or Secure EL2
 * enabled (SCR_EL3.EEL2 with FEAT_SEL2) - ARM-M D20.4.4, PhysicalSErrorTarget(), EffectiveHCR_AMO(); ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R1.1, R2.1.  A
 * Secure-only PE without EL3 cannot enable EL2 without FEAT_SEL2. */
static bool exp_el2_enabled(const struct rstate *s)
{
	if (!s->c->el2)
		return false;
	if (s->c->el3)
		return s->c->ns || (s->c->sel2 && s->c->eel2);
	return !s->c->secure;
}

/* Reachable states only: EL3/EL2 implemented (EL2 also enabled), EL1 not
 * with TGE=1 while EL2 is enabled ("n/a" in Table D1-23). */
static bool reachable(const struct rstate *s)
{
	if (s->el == 3 && !s->c->el3)
		return false;
	if (s->el == 2 && !exp_el2_enabled(s))
		return false;
	if (s->el == 1 && s->tge && exp_el2_enabled(s))
		return false;
	return true;
}

struct xroute {
	bool target_known;
	unsigned target;
	enum ss_mask_class cls;
	bool masked;
	const char *rule;
};

static struct xroute expect_route(const struct rstate *s)
{
	struct xroute x = { true, 1, SS_CLASS_B, false, "" };
	bool en = exp_el2_enabled(s);
	if (s->c->el3 && s->ea) {
		/* ARM-M D20.4.4, PhysicalSErrorTarget(), EffectiveHCR_AMO(); docs/rules.md R1.1 rule 1: SCR_EL3.EA=1 routes every SError to EL3. */
		x.target = 3;
		if (s->el < 3) {
			x.cls = SS_CLASS_A;
			x.rule = "Table D1-23 row EA=1: below EL3 class A (PSTATE.A ignored)";
		} else if (s->c->df && s->nmea) {
			x.cls = SS_CLASS_A;
			x.rule = "docs/rules.md R6 FEAT_DoubleFault SCR_EL3.NMEA=1: at EL3 PSTATE.A does not mask";
		} else {
			x.cls = SS_CLASS_B;
			x.rule = "Table D1-23 row EA=1: at EL3 class B";
		}
	} else if (s->el <= 1) {
		if (en && s->tge) {
			x.target = 2;
			if (s->e2h) {
				x.cls = SS_CLASS_B;
				x.rule = "Table D1-23 row TGE=1 E2H=1: EL0 in host, class B";
			} else {
				x.cls = SS_CLASS_A;
				x.rule = "Table D1-23 row TGE=1 E2H=0: EL0 class A";
			}
		} else if (en && s->amo) {
			x.target = 2;
			x.cls = SS_CLASS_A;
			x.rule = "Table D1-23 row AMO=1: EL0/EL1 class A, to EL2";
		} else {
			x.target = 1;
			x.cls = SS_CLASS_B;
			x.rule = en ? "Table D1-23 row AMO=0: EL0/EL1 class B, to EL1"
				    : "ARM-M D20.4.4, PhysicalSErrorTarget(), EffectiveHCR_AMO(); docs/rules.md R1.1: EL2 not enabled, AMO/TGE have no effect: class B to EL1";
		}
	} else if (s->el == 2) {
		if (s->tge) {
			x.target = 2;
			x.cls = SS_CLASS_B;
			x.rule = "Table D1-23 rows TGE=1: at EL2 class B";
		} else if (s->amo || (s->e2h && s->amo_el2 == SS_AMO_EL2_ONE)) {
			x.target = 2;
			x.cls = SS_CLASS_B;
			x.rule = s->amo ? "Table D1-23 row AMO=1: at EL2 class B"
					: "docs/rules.md R8.10 D22105 amo_el2=one: E2H=1 TGE=0 at EL2 treats AMO as 1, class B";
		} else {
			x.target_known = false;
			x.cls = SS_CLASS_C;
			x.rule = "Table D1-23 row AMO=0: at EL2 class C (target lower)";
		}
	} else {
		x.target_known = false;
		x.cls = SS_CLASS_C;
		x.rule = "Table D1-23 EA=0: at EL3 class C";
	}
	x.masked = x.cls == SS_CLASS_C || (x.cls == SS_CLASS_B && s->a);
	return x;
}

static struct ss_config rcfg_config(const struct rcfg *c, enum ss_amo_el2 amo_el2)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.el3 = c->el3;
	cfg.el2 = c->el2;
	cfg.sel2 = c->sel2;
	cfg.secure = c->secure;
	cfg.double_fault = c->df;
	cfg.amo_el2 = amo_el2;
	return cfg;
}

/* Reset the world and put the PE in state s; PSTATE.SP=1 except at EL0. */
static void apply(const struct rstate *s)
{
	struct ss_config cfg = rcfg_config(s->c, s->amo_el2);
	w_reset(&cfg);
	if (s->c->el3) {
		SETF(SCR_EL3, SCR_NS, s->c->ns);
		SETF(SCR_EL3, SCR_EEL2, s->c->eel2);
	}
	SETF(SCR_EL3, SCR_EA, s->ea);
	SETF(SCR_EL3, SCR_NMEA, s->nmea);
	SETF(HCR_EL2, HCR_AMO, s->amo);
	SETF(HCR_EL2, HCR_TGE, s->tge);
	SETF(HCR_EL2, HCR_E2H, s->e2h);
	w_set_el(s->el, s->el ? 1 : 0);
	w_set_a(s->a);
}

/* Iterate over the state space of one configuration. */
#define FOR_STATES(s, cidx)                                                                  \
	for (unsigned bits_ = 0; bits_ < 64 * 4 * 2; bits_++)                                 \
		if ((s.c = &rcfgs[cidx], s.ea = bits_ & 1, s.amo = (bits_ >> 1) & 1,           \
		     s.tge = (bits_ >> 2) & 1, s.e2h = (bits_ >> 3) & 1, s.a = (bits_ >> 4) & 1,  \
		     s.nmea = (bits_ >> 5) & 1, s.el = (bits_ >> 6) & 3,                        \
		     s.amo_el2 = (bits_ >> 8) & 1 ? SS_AMO_EL2_ONE : SS_AMO_EL2_PROGRAMMED, 1) && \
		    reachable(&s))

static const char *cls_name(enum ss_mask_class c)
{
	return c == SS_CLASS_A ? "A" : c == SS_CLASS_B ? "B" : c == SS_CLASS_C ? "C" : "?";
}

/* The rule functions against the table, for every reachable state. */
START_TEST(route_table)
{
	struct rstate s;
	char t[256];
	unsigned n = 0;
	struct ss_config cfg = rcfg_config(&rcfgs[_i], SS_AMO_EL2_PROGRAMMED);
	if (rcfgs[_i].secure && rcfgs[_i].el2 && !rcfgs[_i].sel2)
		EXPECT(ss_config_check(&cfg) != NULL, "secure-only EL2 needs FEAT_SEL2");
	EXPECT(ss_config_check(&cfg) == NULL, "[%s] config accepted: %s", rcfgs[_i].name,
	       ss_config_check(&cfg));
	FOR_STATES(s, _i)
	{
		apply(&s);
		rstate_text(&s, t, sizeof t);
		n++;
		const char *bad = ss_pe_check(W->pe);
		CHECKF(bad == NULL, "%s: state refused: %s", t, bad);
		struct xroute x = expect_route(&s);
		struct ss_serror_route r = ss_physical_serror_target(W->pe);
		CHECKF(r.cls == x.cls, "%s: class %s, expected %s (%s)", t, cls_name(r.cls), cls_name(x.cls),
		       x.rule);
		if (x.target_known)
			CHECKF(r.target_el == x.target, "%s: target EL%u, expected EL%u (%s)", t, r.target_el,
			       x.target, x.rule);
		CHECKF(r.masked == x.masked, "%s: masked=%d, expected %d (%s; class B masked iff A=1)", t,
		       r.masked, x.masked, x.rule);
		CHECKF(ss_el2_enabled(W->pe) == exp_el2_enabled(&s), "%s: EL2Enabled()=%d", t,
		       ss_el2_enabled(W->pe));
		if (s.el <= 1 && exp_el2_enabled(&s))
			CHECKF(ss_effective_amo(W->pe) == (s.tge ? !s.e2h : s.amo),
			       "%s: EffectiveHCR_AMO()=%d (docs/rules.md R1.1)", t, ss_effective_amo(W->pe));
		if (!exp_el2_enabled(&s) && s.el <= 1)
			CHECKF(!ss_effective_amo(W->pe), "%s: EL2 disabled: effective AMO is 0 (ARM-M D20.4.4, PhysicalSErrorTarget(), EffectiveHCR_AMO(); docs/rules.md R1.1)", t);
		CHECKF(ss_in_host(W->pe) == (exp_el2_enabled(&s) && s.e2h && s.tge && s.el != 1 && s.el != 3),
		       "%s: IsInHost()=%d", t, ss_in_host(W->pe));
		CHECKF(!ss_physical_serror_pending(W->pe), "%s: nothing pending after reset", t);
	}
	EXPECT(n >= 128, "states visited: %u", n);
	SOFT_DONE();
}
END_TEST

/* The literal Table D1-23 of docs/rules.md R1.2 (no DoubleFault controls). */
START_TEST(route_table_d1_23_literal)
{
	/* rows: {EA, TGE, AMO, E2H}, classes at EL0..EL3 ('-' = n/a) */
	static const struct {
		unsigned ea, tge, amo, e2h;
		const char cls[5];
		const char *row;
	} rows[] = {
		{ 0, 0, 0, 0, "BBCC", "EA=0, TGE=0, AMO=0" },
		{ 0, 0, 0, 1, "BBCC", "EA=0, TGE=0, AMO=0 (E2H=1, amo_el2=programmed)" },
		{ 0, 0, 1, 0, "AABC", "EA=0, TGE=0, AMO=1" },
		{ 0, 0, 1, 1, "AABC", "EA=0, TGE=0, AMO=1 (E2H=1)" },
		{ 0, 1, 0, 0, "A-BC", "EA=0, TGE=1, E2H=0" },
		{ 0, 1, 1, 0, "A-BC", "EA=0, TGE=1, E2H=0 (AMO=1)" },
		{ 0, 1, 0, 1, "B-BC", "EA=0, TGE=1, E2H=1 (VHE host)" },
		{ 0, 1, 1, 1, "B-BC", "EA=0, TGE=1, E2H=1 (VHE host, AMO=1)" },
		{ 1, 0, 0, 0, "AAAB", "EA=1" },
		{ 1, 0, 1, 0, "AAAB", "EA=1 (AMO=1)" },
		{ 1, 1, 0, 0, "A-AB", "EA=1 (TGE=1)" },
		{ 1, 1, 0, 1, "A-AB", "EA=1 (TGE=1, E2H=1)" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		for (unsigned el = 0; el < 4; el++) {
			char want = rows[i].cls[el];
			if (want == '-')
				continue;
			for (unsigned a = 0; a < 2; a++) {
				w_reset(NULL);
				SETF(SCR_EL3, SCR_EA, rows[i].ea);
				SETF(HCR_EL2, HCR_TGE, rows[i].tge);
				SETF(HCR_EL2, HCR_AMO, rows[i].amo);
				SETF(HCR_EL2, HCR_E2H, rows[i].e2h);
				w_set_el(el, el ? 1 : 0);
				w_set_a(a);
				struct ss_serror_route r = ss_physical_serror_target(W->pe);
				CHECKF(cls_name(r.cls)[0] == want,
				       "ARM-M D1.4.6.4.1 RGCTZC / Table D1-23: %s at EL%u (A=%u) is class %c, model %s",
				       rows[i].row, el, a, want, cls_name(r.cls));
				bool masked = want == 'C' || (want == 'B' && a);
				CHECKF(r.masked == masked, "Table D1-23: %s at EL%u A=%u masked=%d, model %d",
				       rows[i].row, el, a, masked, r.masked);
			}
		}
	SOFT_DONE();
}
END_TEST

/* Known Issue D22105; docs/rules.md R8.10: the amo_el2 knob at EL2 with {E2H,TGE} = {1,0}. */
START_TEST(route_amo_el2_knob)
{
	for (unsigned knob = 0; knob < 2; knob++)
		for (unsigned amo = 0; amo < 2; amo++)
			for (unsigned e2h = 0; e2h < 2; e2h++)
				for (unsigned a = 0; a < 2; a++) {
					struct ss_config cfg;
					w_default_config(&cfg);
					cfg.amo_el2 = knob ? SS_AMO_EL2_ONE : SS_AMO_EL2_PROGRAMMED;
					w_reset(&cfg);
					SETF(HCR_EL2, HCR_AMO, amo);
					SETF(HCR_EL2, HCR_E2H, e2h);
					w_set_el(2, 1);
					w_set_a(a);
					struct ss_serror_route r = ss_physical_serror_target(W->pe);
					bool eff = amo || (e2h && knob);
					enum ss_mask_class want = eff ? SS_CLASS_B : SS_CLASS_C;
					CHECKF(r.cls == want,
					       "docs/rules.md R8.10 (D22105): EL2 E2H=%u TGE=0 AMO=%u amo_el2=%s A=%u: "
					       "class %s, expected %s",
					       e2h, amo, knob ? "one" : "programmed", a, cls_name(r.cls),
					       cls_name(want));
					if (eff)
						CHECKF(r.target_el == 2, "target EL2");
					/* The knob never changes EL0/EL1 (EL2 only). */
					w_set_el(1, 1);
					r = ss_physical_serror_target(W->pe);
					CHECKF(r.cls == (amo ? SS_CLASS_A : SS_CLASS_B) &&
						       r.target_el == (amo ? 2u : 1u),
					       "amo_el2 knob leaks to EL1: E2H=%u AMO=%u knob=%u: class %s EL%u", e2h,
					       amo, knob, cls_name(r.cls), r.target_el);
				}
	SOFT_DONE();
}
END_TEST

/* Secure state with EL2 disabled: AMO/TGE have no effect (ARM-M D20.4.4, PhysicalSErrorTarget(), EffectiveHCR_AMO(); docs/rules.md R1.1). */
START_TEST(route_secure_el2_disabled)
{
	for (unsigned sel2 = 0; sel2 < 2; sel2++)
		for (unsigned el = 0; el < 2; el++)
			for (unsigned a = 0; a < 2; a++) {
				struct ss_config cfg;
				w_default_config(&cfg);
				cfg.sel2 = sel2;
				w_reset(&cfg);
				SETF(SCR_EL3, SCR_NS, 0);
				SETF(SCR_EL3, SCR_EEL2, 0);
				SETF(HCR_EL2, HCR_AMO, 1);
				w_set_el(el, el);
				w_set_a(a);
				struct ss_serror_route r = ss_physical_serror_target(W->pe);
				CHECKF(!ss_el2_enabled(W->pe), "Secure, EEL2=0: EL2 not enabled");
				CHECKF(r.target_el == 1 && r.cls == SS_CLASS_B && r.masked == (bool)a,
				       "docs/rules.md R1.1 EffectiveHCR_AMO: Secure without EEL2 (sel2=%u), EL%u A=%u, "
				       "AMO=1 has no effect: expected EL1 class B; model EL%u class %s masked=%d",
				       sel2, el, a, r.target_el, cls_name(r.cls), r.masked);
				/* With FEAT_SEL2 and EEL2=1, AMO routes to EL2 again. */
				if (sel2) {
					SETF(SCR_EL3, SCR_EEL2, 1);
					r = ss_physical_serror_target(W->pe);
					CHECKF(ss_el2_enabled(W->pe) && r.target_el == 2 && r.cls == SS_CLASS_A,
					       "Secure EL2 enabled (SEL2, EEL2=1): AMO=1 at EL%u is class A to EL2", el);
				}
			}
	SOFT_DONE();
}
END_TEST

/* EL3 absent: SCR_EL3 does not exist, its EA bit means nothing. */
START_TEST(route_el3_absent)
{
	for (unsigned el2 = 0; el2 < 2; el2++)
		for (unsigned el = 0; el <= (el2 ? 2u : 1u); el++)
			for (unsigned a = 0; a < 2; a++) {
				struct ss_config cfg;
				w_default_config(&cfg);
				cfg.el3 = false;
				cfg.el2 = el2;
				w_reset(&cfg);
				SETF(SCR_EL3, SCR_EA, 1);
				w_set_el(el, el ? 1 : 0);
				w_set_a(a);
				struct ss_serror_route r = ss_physical_serror_target(W->pe);
				enum ss_mask_class want = el == 2 ? SS_CLASS_C : SS_CLASS_B;
				CHECKF(r.cls == want && (want == SS_CLASS_C || r.target_el == 1),
				       "ARM-M D20.4.4, PhysicalSErrorTarget(), EffectiveHCR_AMO(); docs/rules.md R1.1 rule 1 applies only with EL3: no EL3 (el2=%u) EL%u A=%u, "
				       "SCR_EL3.EA poked: class %s EL%u, expected %s",
				       el2, el, a, cls_name(r.cls), r.target_el, cls_name(want));
				uint64_t v = 0;
				CHECKF(ss_mrs(W->pe, SS_REG_SCR_EL3, &v) == SS_ACC_UNDEFINED,
				       "SCR_EL3 without EL3 is UNDEFINED");
			}
	SOFT_DONE();
}
END_TEST

/* FEAT_DoubleFault: SCR_EL3.NMEA=1 with EA=1 makes EL3 class A. */
START_TEST(route_double_fault_nmea)
{
	for (unsigned df = 0; df < 2; df++)
		for (unsigned ea = 0; ea < 2; ea++)
			for (unsigned nmea = 0; nmea < 2; nmea++)
				for (unsigned a = 0; a < 2; a++) {
					struct ss_config cfg;
					w_default_config(&cfg);
					cfg.double_fault = df;
					w_reset(&cfg);
					SETF(SCR_EL3, SCR_EA, ea);
					SETF(SCR_EL3, SCR_NMEA, nmea);
					w_set_el(3, 1);
					w_set_a(a);
					struct ss_serror_route r = ss_physical_serror_target(W->pe);
					enum ss_mask_class want =
						!ea ? SS_CLASS_C : (df && nmea) ? SS_CLASS_A : SS_CLASS_B;
					CHECKF(r.cls == want,
					       "ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6 FEAT_DoubleFault (df=%u): EL3 EA=%u NMEA=%u A=%u: class %s, "
					       "expected %s (NMEA treated as 0 when EA=0; RES0 without the feature)",
					       df, ea, nmea, a, cls_name(r.cls), cls_name(want));
					if (want != SS_CLASS_C)
						CHECKF(r.target_el == 3, "target EL3");
					CHECKF(r.masked == (want == SS_CLASS_C || (want == SS_CLASS_B && a)), "masked");
				}
	SOFT_DONE();
}
END_TEST

/* --- end to end ------------------------------------------------------------ */

static const uint32_t isses[] = { 0xc11, 0xe11, 0x1abcdef, 0x011, 0x1811 };

START_TEST(route_end_to_end)
{
	struct rstate s;
	char t[256];
	unsigned n = 0, taken = 0;
	FOR_STATES(s, _i)
	{
		apply(&s);
		w_nop_program();
		rstate_text(&s, t, sizeof t);
		uint32_t iss = isses[n++ % (sizeof isses / sizeof isses[0])];
		uint64_t old = SR(PSTATE);
		int id = w_raise(iss, SS_EDGE, true, 0);
		CHECKF(id == 0, "%s: raise returned %d", t, id);
		if (id < 0)
			continue;
		CHECKF(ss_physical_serror_pending(W->pe), "%s: pending at once with propagation 0", t);
		struct xroute x = expect_route(&s);
		enum ss_stop st = w_step();
		CHECKF(st == SS_RUNNING, "%s: step stopped (%d)", t, st);
		if (x.masked) {
			CHECKF(W->pe->nexc == 0 && W->rec.nexc == 0, "%s: masked (%s) but %u exception(s) taken",
			       t, x.rule, W->pe->nexc);
			CHECKF(W->pe->pc == CODE + 4, "%s: NOP not executed, PC 0x%llx", t,
			       (unsigned long long)W->pe->pc);
			CHECKF(SR(PSTATE) == old, "%s: PSTATE changed 0x%llx -> 0x%llx", t,
			       (unsigned long long)old, (unsigned long long)SR(PSTATE));
			CHECKF(W->pe->cond[id].disp == SS_DISP_PENDING, "%s: condition %s, expected pending", t,
			       ss_disposition_name(W->pe->cond[id].disp));
			continue;
		}
		taken++;
		unsigned to = x.target;
		uint64_t off = to == s.el ? 0x380 : 0x580;	/* SP=1 at EL1-3; lower AArch64 */
		uint64_t vbar = to == 1 ? VBAR1 : to == 2 ? VBAR2 : VBAR3;
		uint64_t esr = UINT64_C(0xbe000000) | iss;	/* EC=0x2F IL=1 ISS (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4) */
		const struct ss_exception *e = &W->pe->last_exc;
		CHECKF(W->pe->nexc == 1 && W->rec.nexc == 1, "%s: unmasked (%s): %u exceptions, expected 1", t,
		       x.rule, W->pe->nexc);
		if (W->pe->nexc != 1)
			continue;
		CHECKF(e->cause == SS_CAUSE_PSERROR && e->from_el == s.el && e->to_el == to,
		       "%s: exception %s EL%u->EL%u, expected SError EL%u->EL%u (%s)", t, ss_cause_name(e->cause),
		       e->from_el, e->to_el, s.el, to, x.rule);
		CHECKF(e->offset == off && e->vector == vbar + off, "%s: vector 0x%llx offset 0x%llx, expected 0x%llx",
		       t, (unsigned long long)e->vector, (unsigned long long)e->offset,
		       (unsigned long long)(vbar + off));
		CHECKF(W->pe->pc == vbar + off, "%s: PC 0x%llx, expected VBAR_EL%u+0x%llx (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4)", t,
		       (unsigned long long)W->pe->pc, to, (unsigned long long)off);
		uint64_t esr_r = to == 1 ? SR(ESR_EL1) : to == 2 ? SR(ESR_EL2) : SR(ESR_EL3);
		uint64_t elr_r = to == 1 ? SR(ELR_EL1) : to == 2 ? SR(ELR_EL2) : SR(ELR_EL3);
		uint64_t spsr_r = to == 1 ? SR(SPSR_EL1) : to == 2 ? SR(SPSR_EL2) : SR(SPSR_EL3);
		CHECKF(esr_r == esr && e->esr == esr && e->has_esr, "%s: ESR_EL%u 0x%llx, expected 0x%llx", t,
		       to, (unsigned long long)esr_r, (unsigned long long)esr);
		CHECKF(elr_r == CODE && e->elr == CODE, "%s: ELR_EL%u 0x%llx, expected 0x%x (next not executed)",
		       t, to, (unsigned long long)elr_r, CODE);
		CHECKF(spsr_r == old && e->spsr == old, "%s: SPSR_EL%u 0x%llx, expected old PSTATE 0x%llx", t, to,
		       (unsigned long long)spsr_r, (unsigned long long)old);
		CHECKF(PST(EL) == to && PST(SP) == 1 && PST(D) == 1 && PST(A) == 1 && PST(I) == 1 &&
			       PST(F) == 1 && PST(IL) == 0 && PST(nRW) == 0 && PST(SS) == 0,
		       "%s: PSTATE 0x%llx after entry: expected EL%u SP=1 DAIF=1111 IL=0 (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4)", t,
		       (unsigned long long)SR(PSTATE), to);
		CHECKF(!e->iesb, "%s: not an implicit-ESB entry", t);
		CHECKF(e->cond == id && W->pe->cond[id].disp == SS_DISP_TAKEN && W->pe->cond[id].exc == e->number,
		       "%s: condition %s (exc %u), expected taken by exception %u", t,
		       ss_disposition_name(W->pe->cond[id].disp), W->pe->cond[id].exc, e->number);
		CHECKF(!ss_physical_serror_pending(W->pe), "%s: edge condition cleared on taking (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4)", t);
		CHECKF(W->rec.nexc == 1 && W->rec.exc[0].number == e->number && W->rec.exc[0].esr == esr,
		       "%s: observer saw the exception", t);
		CHECKF(ss_ledger_check(W->pe) == NULL, "%s: ledger: %s", t, ss_ledger_check(W->pe));
	}
	EXPECT(n > 0, "states visited");
	SOFT_DONE();
}
END_TEST

/* PSTATE.SP=0 at EL1-EL3 gives the SP_EL0 vector (0x180) when taken at the
 * same EL; other PSTATE bits are saved in SPSR verbatim. */
START_TEST(route_entry_sp0_and_flags)
{
	static const struct {
		unsigned el, ea, amo;
		unsigned to;
	} c[] = { { 1, 0, 0, 1 }, { 2, 0, 1, 2 }, { 3, 1, 0, 3 } };
	for (size_t i = 0; i < 3; i++)
		for (unsigned nzcv = 0; nzcv < 16; nzcv += 5) {
			w_reset(NULL);
			SETF(SCR_EL3, SCR_EA, c[i].ea);
			SETF(HCR_EL2, HCR_AMO, c[i].amo);
			w_set_el(c[i].el, 0);
			w_set_a(0);
			SETF(PSTATE, PSTATE_D, 0);
			SETF(PSTATE, PSTATE_I, 0);
			SETF(PSTATE, PSTATE_F, 1);
			SR(PSTATE) = (SR(PSTATE) & ~UINT64_C(0xf0000000)) | ((uint64_t)nzcv << 28);
			w_nop_program();
			uint64_t old = SR(PSTATE);
			w_raise(0xc11, SS_EDGE, true, 0);
			w_step();
			uint64_t vbar = w_vbar(c[i].to);
			CHECKF(W->pe->nexc == 1 && W->pe->pc == vbar + 0x180,
			       "AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4: same EL with SP_EL0 -> +0x180: EL%u PC 0x%llx", c[i].el,
			       (unsigned long long)W->pe->pc);
			uint64_t spsr = c[i].to == 1 ? SR(SPSR_EL1) : c[i].to == 2 ? SR(SPSR_EL2) : SR(SPSR_EL3);
			CHECKF(spsr == old, "SPSR = old PSTATE 0x%llx (got 0x%llx)", (unsigned long long)old,
			       (unsigned long long)spsr);
			CHECKF(PST(SP) == 1 && PST(D) && PST(A) && PST(I) && PST(F),
			       "entry sets SP=1 and DAIF=1111");
			CHECKF((SR(PSTATE) >> 28) == nzcv, "entry keeps NZCV");
		}
	SOFT_DONE();
}
END_TEST

/* --- FEAT_DoubleFault2 ------------------------------------------------------
 * The expected routing below is written from the Arm ARM's pseudocode
 * (PhysicalSErrorTarget J1.3.2.6, EffectiveNMEA J1.3.2.4,
 * EffectiveHCRX_EL2_TMEA J1.3.2.1, EffectiveSCR_EL3_TMEA J1.3.2.5,
 * IsSCTLR2EL1Enabled, IsSCTLR2EL2Enabled, IsHCRXEL2Enabled) as one decision
 * per Exception level, not from the model. */
struct dcfg {
	const char *name;
	bool df, df2, sctlr2, hcx;
};

static const struct dcfg dcfgs[] = {
	{ "no DoubleFault", false, false, false, false },
	{ "DoubleFault", true, false, false, false },
	{ "DoubleFault, SCTLR2, HCX", true, false, true, true },
	{ "DoubleFault2", true, true, true, true },
};
#define NDCFG (sizeof dcfgs / sizeof dcfgs[0])

struct dstate {
	unsigned el, ea, amo, tge, e2h, a;
	unsigned scr_nmea, nmea1, nmea2, htmea, stmea;	/* the controls */
	unsigned sctlr2en, hxen, hsctlr2en;		/* their enables */
};

struct dexp {
	bool masked;
	unsigned target;
	const char *why;
};

static bool d_sctlr2_el2_en(const struct dcfg *c, const struct dstate *s)
{
	return c->sctlr2 && s->sctlr2en;
}

static bool d_hcrx_en(const struct dcfg *c, const struct dstate *s)
{
	return c->hcx && s->hxen;	/* EL3 implemented, EL2 enabled (Non-secure) */
}

static bool d_sctlr2_el1_en(const struct dcfg *c, const struct dstate *s)
{
	return d_sctlr2_el2_en(c, s) && d_hcrx_en(c, s) && s->hsctlr2en;
}

static bool d_in_host(const struct dstate *s)
{
	return s->tge && s->e2h && (s->el == 0 || s->el == 2);
}

static bool d_nmea(const struct dcfg *c, const struct dstate *s)
{
	if (!c->df2)
		return c->df && s->el == 3 && s->scr_nmea && s->ea;
	if (s->el == 3)
		return s->scr_nmea;
	if (s->el == 2 || d_in_host(s))
		return d_sctlr2_el2_en(c, s) && s->nmea2;
	return d_sctlr2_el1_en(c, s) && s->nmea1;
}

static struct dexp d_expect(const struct dcfg *c, const struct dstate *s, unsigned a)
{
	bool amo = s->tge ? !s->e2h : s->amo;	/* EffectiveHCR_AMO(), EL2 enabled */
	bool nmea = d_nmea(c, s);
	bool htmea = c->df2 && d_hcrx_en(c, s) && s->htmea;
	bool stmea = c->df2 && s->stmea;
	struct dexp x = { false, 0, "" };

	if (s->ea) {
		x.masked = s->el == 3 && a && !nmea;
		x.target = 3;
		x.why = s->el == 3 ? "EA=1 at EL3: PSTATE.A masks unless EffectiveNMEA" : "EA=1: to EL3, unmasked";
		return x;
	}
	switch (s->el) {
	case 3:
		x.masked = !nmea;
		x.target = 3;
		x.why = "EL3 with EA=0: masked unless EffectiveNMEA (SCR_EL3.NMEA with DoubleFault2)";
		break;
	case 2:
		x.masked = ((!s->tge && !amo) || a) && !nmea;
		if (stmea && (a || x.masked)) {
			x.masked = false;
			x.target = 3;
			x.why = "EL2: SCR_EL3.TMEA takes A=1 or masked to EL3";
		} else {
			x.target = 2;
			x.why = "EL2: taken at EL2 unless masked (AMO/TGE=0 or A=1, overridden by SCTLR2_EL2.NMEA)";
		}
		break;
	case 1:
		x.masked = !amo && a && !nmea;
		if (amo) {
			x.masked = false;
			x.target = 2;
			x.why = "EL1: AMO routes to EL2";
		} else if (htmea && a) {
			x.masked = false;
			x.target = 2;
			x.why = "EL1: HCRX_EL2.TMEA with A=1 to EL2";
		} else if (stmea && a) {
			x.masked = false;
			x.target = 3;
			x.why = "EL1: SCR_EL3.TMEA with A=1 to EL3";
		} else {
			x.target = 1;
			x.why = "EL1: to EL1 unless A=1 without SCTLR2_EL1.NMEA";
		}
		break;
	default:
		x.masked = !amo && a && !nmea;
		if (amo) {
			x.masked = false;
			x.target = 2;
			x.why = "EL0: AMO (or TGE=1 E2H=0) routes to EL2";
		} else if (htmea && x.masked && !d_in_host(s)) {
			x.masked = false;
			x.target = 2;
			x.why = "EL0: HCRX_EL2.TMEA takes masked to EL2";
		} else if (stmea && x.masked) {
			x.masked = false;
			x.target = 3;
			x.why = "EL0: SCR_EL3.TMEA takes masked to EL3";
		} else {
			x.target = d_in_host(s) ? 2 : 1;
			x.why = "EL0: to EL1 (EL2 in the host) unless masked";
		}
		break;
	}
	return x;
}

START_TEST(route_double_fault2_exhaustive)
{
	const struct dcfg *c = &dcfgs[_i];
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.double_fault = c->df;
	cfg.double_fault2 = c->df2;
	cfg.sctlr2 = c->sctlr2;
	cfg.hcx = c->hcx;
	EXPECT(ss_config_check(&cfg) == NULL, "[%s] accepted: %s", c->name, ss_config_check(&cfg));
	unsigned n = 0;
	for (unsigned b = 0; b < (1u << 16); b++) {
		struct dstate s = { .el = b & 3, .ea = (b >> 2) & 1, .amo = (b >> 3) & 1, .tge = (b >> 4) & 1,
				    .e2h = (b >> 5) & 1, .a = (b >> 6) & 1, .scr_nmea = (b >> 7) & 1,
				    .nmea1 = (b >> 8) & 1, .nmea2 = (b >> 9) & 1, .htmea = (b >> 10) & 1,
				    .stmea = (b >> 11) & 1, .sctlr2en = (b >> 12) & 1, .hxen = (b >> 13) & 1,
				    .hsctlr2en = (b >> 14) & 1 };
		if ((b >> 15) & 1)
			continue;
		if (s.el == 1 && s.tge)	/* not reachable with EL2 enabled */
			continue;
		w_reset(&cfg);
		SETF(SCR_EL3, SCR_EA, s.ea);
		W->pe->sr[SS_REG_SCR_EL3] = ss_legalize(W->pe, SS_REG_SCR_EL3,
			SS_SET(SCR_NMEA, SS_SET(SCR_TMEA, SS_SET(SCR_SCTLR2En, SS_SET(SCR_HXEn,
				SR(SCR_EL3), s.hxen), s.sctlr2en), s.stmea), s.scr_nmea));
		SETF(HCR_EL2, HCR_AMO, s.amo);
		SETF(HCR_EL2, HCR_TGE, s.tge);
		SETF(HCR_EL2, HCR_E2H, s.e2h);
		W->pe->sr[SS_REG_HCRX_EL2] = ss_legalize(W->pe, SS_REG_HCRX_EL2,
			SS_PREP(HCRX_TMEA, s.htmea) | SS_PREP(HCRX_SCTLR2En, s.hsctlr2en));
		W->pe->sr[SS_REG_SCTLR2_EL1] = ss_legalize(W->pe, SS_REG_SCTLR2_EL1, SS_PREP(SCTLR2_NMEA, s.nmea1));
		W->pe->sr[SS_REG_SCTLR2_EL2] = ss_legalize(W->pe, SS_REG_SCTLR2_EL2, SS_PREP(SCTLR2_NMEA, s.nmea2));
		w_set_el(s.el, s.el ? 1 : 0);
		w_set_a(s.a);
		n++;
		char t[200];
		snprintf(t, sizeof t, "[%s] EL%u EA=%u AMO=%u TGE=%u E2H=%u A=%u SCR.NMEA=%u NMEA1=%u NMEA2=%u "
			 "HCRX.TMEA=%u SCR.TMEA=%u SCTLR2En=%u HXEn=%u HCRX.SCTLR2En=%u", c->name, s.el, s.ea,
			 s.amo, s.tge, s.e2h, s.a, s.scr_nmea, s.nmea1, s.nmea2, s.htmea, s.stmea, s.sctlr2en,
			 s.hxen, s.hsctlr2en);
		struct dexp x = d_expect(c, &s, s.a);
		struct dexp x0 = d_expect(c, &s, 0), x1 = d_expect(c, &s, 1);
		enum ss_mask_class cls = x0.masked ? SS_CLASS_C : x1.masked ? SS_CLASS_B : SS_CLASS_A;
		struct ss_serror_route r = ss_physical_serror_target(W->pe);
		CHECKF(r.masked == x.masked, "%s: masked=%d, expected %d (%s)", t, r.masked, x.masked, x.why);
		if (!x.masked)
			CHECKF(r.target_el == x.target, "%s: target EL%u, expected EL%u (%s)", t, r.target_el,
			       x.target, x.why);
		CHECKF(r.cls == cls, "%s: class %s, expected %s", t, cls_name(r.cls), cls_name(cls));
		CHECKF(ss_effective_nmea(W->pe) == d_nmea(c, &s), "%s: EffectiveNMEA()=%d", t,
		       ss_effective_nmea(W->pe));
		bool htmea = c->df2 && d_hcrx_en(c, &s) && s.htmea;
		CHECKF(ss_effective_hcrx_tmea(W->pe) == htmea, "%s: EffectiveHCRX_EL2_TMEA()=%d", t,
		       ss_effective_hcrx_tmea(W->pe));
		CHECKF(ss_effective_scr_tmea(W->pe) == (c->df2 && s.stmea), "%s: EffectiveSCR_EL3_TMEA()", t);
		/* RCDCKC: the virtual SError is enabled by AMO or the Effective TMEA, with TGE=0. */
		CHECKF(ss_virtual_serror_enabled(W->pe) == (!s.tge && (s.amo || htmea)),
		       "%s: virtual SError enabled=%d", t, ss_virtual_serror_enabled(W->pe));
		/* The implicit ESB forced by the Effective NMEA of the target EL
		 * (SCTLR_ELx.IESB = 0 here; Arm ARM D20.5.3). */
		bool i3 = (c->df && s.ea && s.scr_nmea) || (c->df2 && s.scr_nmea);
		bool i2 = c->df2 && d_sctlr2_el2_en(c, &s) && s.nmea2;
		bool i1 = c->df2 && d_sctlr2_el1_en(c, &s) && s.nmea1;
		CHECKF(ss_iesb_effective(W->pe, 3) == i3 && ss_iesb_effective(W->pe, 2) == i2 &&
			       ss_iesb_effective(W->pe, 1) == i1,
		       "%s: IESB in effect EL1/2/3 = %d%d%d, expected %d%d%d", t, ss_iesb_effective(W->pe, 1),
		       ss_iesb_effective(W->pe, 2), ss_iesb_effective(W->pe, 3), i1, i2, i3);
	}
	EXPECT(n > 10000, "states visited: %u", n);
	SOFT_DONE();
}
END_TEST

/* EASE: the vector offset of a synchronous External abort (SCR_EL3.EASE,
 * SCTLR2_EL1.EASE, SCTLR2_EL2.EASE); an SError always uses 0x180. */
START_TEST(route_ease_vector)
{
	for (unsigned ci = 0; ci < NDCFG; ci++)
		for (unsigned b = 0; b < 64; b++) {
			const struct dcfg *c = &dcfgs[ci];
			unsigned e3 = b & 1, e2 = (b >> 1) & 1, e1 = (b >> 2) & 1, en = (b >> 3) & 1,
				 hx = (b >> 4) & 1, hen = (b >> 5) & 1;
			struct ss_config cfg;
			w_default_config(&cfg);
			cfg.double_fault = c->df;
			cfg.double_fault2 = c->df2;
			cfg.sctlr2 = c->sctlr2;
			cfg.hcx = c->hcx;
			w_reset(&cfg);
			W->pe->sr[SS_REG_SCR_EL3] = ss_legalize(W->pe, SS_REG_SCR_EL3,
				SS_SET(SCR_EASE, SS_SET(SCR_SCTLR2En, SS_SET(SCR_HXEn, SR(SCR_EL3), hx), en), e3));
			W->pe->sr[SS_REG_HCRX_EL2] = ss_legalize(W->pe, SS_REG_HCRX_EL2, SS_PREP(HCRX_SCTLR2En, hen));
			W->pe->sr[SS_REG_SCTLR2_EL1] = ss_legalize(W->pe, SS_REG_SCTLR2_EL1, SS_PREP(SCTLR2_EASE, e1));
			W->pe->sr[SS_REG_SCTLR2_EL2] = ss_legalize(W->pe, SS_REG_SCTLR2_EL2, SS_PREP(SCTLR2_EASE, e2));
			bool x3 = c->df && e3;
			bool x2 = c->df2 && en && e2;
			bool x1 = c->df2 && en && hx && hen && e1;
			CHECKF(ss_external_abort_vector(W->pe, 3) == (x3 ? 0x180u : 0u) &&
				       ss_external_abort_vector(W->pe, 2) == (x2 ? 0x180u : 0u) &&
				       ss_external_abort_vector(W->pe, 1) == (x1 ? 0x180u : 0u),
			       "[%s] EASE EL3=%u EL2=%u EL1=%u SCTLR2En=%u HXEn=%u HCRX.SCTLR2En=%u", c->name, e3,
			       e2, e1, en, hx, hen);
		}
	SOFT_DONE();
}
END_TEST

/* D1.4.2.2: level sensitivity only where clearing is IMPLEMENTATION DEFINED. */
START_TEST(route_level_allowed)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.ras = true;
	cfg.double_fault = false;
	ck_assert(!ss_level_allowed(&cfg, 0x000c11));	/* architected: always cleared */
	ck_assert(ss_level_allowed(&cfg, 0x1000c11));	/* IDS=1 */
	ck_assert(ss_level_allowed(&cfg, 0));		/* Uncategorized */
	cfg.ras = false;
	ck_assert(ss_level_allowed(&cfg, 0x000c11));	/* without RAS: RES0, Uncategorized */
	cfg.ras = true;
	cfg.double_fault = true;
	ck_assert(!ss_level_allowed(&cfg, 0x1000c11));	/* DoubleFault: IsSErrorEdgeTriggered() */
	cfg.trigger = SS_LEVEL;
	ck_assert(ss_config_check(&cfg) != NULL);
	cfg.double_fault = false;
	ck_assert(ss_config_check(&cfg) == NULL);
	cfg.double_fault2 = true;
	ck_assert(ss_config_check(&cfg) != NULL);	/* DoubleFault2 needs DoubleFault, SCTLR2, HCX */
}
END_TEST


/* --- physical IRQ and FIQ ------------------------------------------------- */

/*
 * Physical IRQ/FIQ routing and masking, exhaustively over SCR_EL3.{IRQ,FIQ},
 * HCR_EL2.{IMO,FMO,TGE,E2H}, PSTATE.EL and PSTATE.{I,F} for every
 * configuration: the expected values are the routing of
 * AArch64.TakePhysicalIRQException / FIQException and ARM-M D1.4.6.4.1,
 * Table D1-23 read with SCR_EL3.{IRQ,FIQ}, HCR_EL2.{IMO,FMO} and
 * PSTATE.{I,F} (IRQ and FIQ have no NMEA or TMEA controls), written row by
 * row.  End to end: assert one line, read ISR_EL1, step once at a NOP and
 * check the entry (vector +0x080 / +0x100, no ESR written).
 */
struct istate {
	const struct rcfg *c;
	unsigned el, route3, mo, tge, e2h, mask, fiq, other;
};

static struct xroute expect_intr(const struct istate *s)
{
	struct xroute x = { true, 1, SS_CLASS_B, false, "" };
	bool en = exp_el2_enabled(&(struct rstate){ .c = s->c });
	bool tge = en && s->tge;
	bool eff_mo = en && (tge ? !s->e2h : s->mo);	/* EffectiveHCR_IMO/FMO() J1.3.2.2 */
	if (s->c->el3 && s->route3) {
		x.target = 3;
		x.cls = s->el == 3 ? SS_CLASS_B : SS_CLASS_A;
		x.rule = s->el == 3 ? "SCR_EL3.IRQ=1: at EL3 class B" : "SCR_EL3.IRQ=1: below EL3 class A";
	} else if (s->el == 3) {
		x.target_known = false;
		x.cls = SS_CLASS_C;
		x.rule = "SCR_EL3.IRQ=0: at EL3 class C";
	} else if (s->el == 2) {
		if (tge || eff_mo) {
			x.target = 2;
			x.cls = SS_CLASS_B;
			x.rule = "TGE=1 or IMO=1: at EL2 class B";
		} else {
			x.target_known = false;
			x.cls = SS_CLASS_C;
			x.rule = "TGE=0 IMO=0: at EL2 class C (targets EL1)";
		}
	} else if (en && (tge || s->mo)) {
		x.target = 2;
		x.cls = tge && s->e2h ? SS_CLASS_B : SS_CLASS_A;
		x.rule = tge && s->e2h ? "{E2H,TGE}={1,1}: EL0 in the host, class B"
				       : "TGE=1 or IMO=1: EL0/EL1 class A, to EL2";
	} else {
		x.target = 1;
		x.cls = SS_CLASS_B;
		x.rule = "to EL1: class B";
	}
	x.masked = x.cls == SS_CLASS_C || (x.cls == SS_CLASS_B && s->mask);
	return x;
}

static void iapply(const struct istate *s)
{
	struct ss_config cfg = rcfg_config(s->c, SS_AMO_EL2_PROGRAMMED);
	w_reset(&cfg);
	if (s->c->el3) {
		SETF(SCR_EL3, SCR_NS, s->c->ns);
		SETF(SCR_EL3, SCR_EEL2, s->c->eel2);
	}
	/* The other kind's controls take the other values (they must not matter). */
	SETF(SCR_EL3, SCR_IRQ, s->fiq ? s->other : s->route3);
	SETF(SCR_EL3, SCR_FIQ, s->fiq ? s->route3 : s->other);
	SETF(HCR_EL2, HCR_IMO, s->fiq ? !s->mo : s->mo);
	SETF(HCR_EL2, HCR_FMO, s->fiq ? s->mo : !s->mo);
	SETF(HCR_EL2, HCR_TGE, s->tge);
	SETF(HCR_EL2, HCR_E2H, s->e2h);
	w_set_el(s->el, s->el ? 1 : 0);
	SETF(PSTATE, PSTATE_I, s->fiq ? !s->mask : s->mask);
	SETF(PSTATE, PSTATE_F, s->fiq ? s->mask : !s->mask);
}

START_TEST(route_intr_exhaustive)
{
	char t[256];
	unsigned n = 0, taken = 0;
	for (unsigned b = 0; b < 512; b++) {
		struct istate s = { .c = &rcfgs[_i], .el = b & 3, .route3 = (b >> 2) & 1,
				    .mo = (b >> 3) & 1, .tge = (b >> 4) & 1, .e2h = (b >> 5) & 1,
				    .mask = (b >> 6) & 1, .fiq = (b >> 7) & 1, .other = (b >> 8) & 1 };
		struct rstate rs = { .c = s.c, .el = s.el, .tge = s.tge };
		if (!reachable(&rs))
			continue;
		enum ss_intr k = s.fiq ? SS_INTR_FIQ : SS_INTR_IRQ;
		iapply(&s);
		w_nop_program();
		snprintf(t, sizeof t, "[%s] %s EL%u SCR.%s=%u %s=%u TGE=%u E2H=%u %s=%u", s.c->name,
			 s.fiq ? "FIQ" : "IRQ", s.el, s.fiq ? "FIQ" : "IRQ", s.route3, s.fiq ? "FMO" : "IMO",
			 s.mo, s.tge, s.e2h, s.fiq ? "F" : "I", s.mask);
		CHECKF(ss_pe_check(W->pe) == NULL, "%s: state refused: %s", t, ss_pe_check(W->pe));
		n++;
		struct xroute x = expect_intr(&s);
		struct ss_serror_route r = ss_physical_intr_target(W->pe, k);
		CHECKF(r.cls == x.cls, "%s: class %s, expected %s (%s)", t, cls_name(r.cls), cls_name(x.cls),
		       x.rule);
		if (x.target_known)
			CHECKF(r.target_el == x.target, "%s: target EL%u, expected EL%u (%s)", t, r.target_el,
			       x.target, x.rule);
		CHECKF(r.masked == x.masked, "%s: masked=%d, expected %d (%s)", t, r.masked, x.masked, x.rule);

		/* ISR_EL1.{I,F} (ARM-M D24.2.118): the physical line, except at
		 * EL1 with the effective IMO/FMO (then HCR_EL2.VI/VF, 0 here). */
		CHECKF(ss_set_intr_line(W->pe, k, 5, true, &W->obs), "%s: line 5 accepted", t);
		bool en = exp_el2_enabled(&rs);
		bool eff_mo = en && (s.tge && en ? !s.e2h : s.mo);
		uint64_t isr = ss_isr_el1(W->pe);
		uint64_t bitk = s.fiq ? SS_ISR_F_MASK : SS_ISR_I_MASK;
		CHECKF(((isr & bitk) != 0) == !(s.el == 1 && eff_mo), "%s: ISR_EL1 0x%llx", t,
		       (unsigned long long)isr);
		CHECKF(!(isr & (s.fiq ? SS_ISR_I_MASK : SS_ISR_F_MASK)), "%s: ISR_EL1 0x%llx shows the other kind", t,
		       (unsigned long long)isr);

		uint64_t old = SR(PSTATE), esr1 = SR(ESR_EL1), esr2 = SR(ESR_EL2), esr3 = SR(ESR_EL3);
		enum ss_stop st = w_step();
		CHECKF(st == SS_RUNNING, "%s: step stopped (%d)", t, st);
		if (x.masked) {
			CHECKF(W->pe->nexc == 0, "%s: masked (%s) but taken", t, x.rule);
			CHECKF(W->pe->pc == CODE + 4, "%s: NOP not executed", t);
			continue;
		}
		taken++;
		const struct ss_exception *e = &W->pe->last_exc;
		unsigned to = x.target;
		uint64_t off = (to == s.el ? 0x200 : 0x400) + (s.fiq ? 0x100 : 0x080);
		uint64_t vbar = to == 1 ? VBAR1 : to == 2 ? VBAR2 : VBAR3;
		CHECKF(W->pe->nexc == 1 && e->cause == (s.fiq ? SS_CAUSE_FIQ : SS_CAUSE_IRQ) &&
			       e->from_el == s.el && e->to_el == to,
		       "%s: %u exceptions, last %s EL%u->EL%u, expected EL%u (%s)", t, W->pe->nexc,
		       ss_cause_name(e->cause), e->from_el, e->to_el, to, x.rule);
		CHECKF(e->offset == off && W->pe->pc == vbar + off, "%s: vector +0x%llx, expected +0x%llx", t,
		       (unsigned long long)e->offset, (unsigned long long)off);
		CHECKF(!e->has_esr && SR(ESR_EL1) == esr1 && SR(ESR_EL2) == esr2 && SR(ESR_EL3) == esr3,
		       "%s: an ESR was written", t);
		uint64_t elr = to == 1 ? SR(ELR_EL1) : to == 2 ? SR(ELR_EL2) : SR(ELR_EL3);
		uint64_t spsr = to == 1 ? SR(SPSR_EL1) : to == 2 ? SR(SPSR_EL2) : SR(SPSR_EL3);
		CHECKF(elr == CODE && spsr == old, "%s: ELR 0x%llx SPSR 0x%llx", t, (unsigned long long)elr,
		       (unsigned long long)spsr);
		CHECKF(ss_physical_intr_pending(W->pe, k), "%s: the line stays asserted after taking", t);
	}
	EXPECT(n > 0, "states visited");
	SOFT_DONE();
}
END_TEST

/* The order among a physical SError, FIQ and IRQ all pending and unmasked
 * (knob physical_order), and vp_priority placing them against a vIRQ. */
START_TEST(route_intr_priority)
{
	static const struct {
		enum ss_physical_order o;
		enum ss_cause first;
	} rows[] = {
		{ SS_PORDER_SERROR_FIQ_IRQ, SS_CAUSE_PSERROR },
		{ SS_PORDER_SERROR_IRQ_FIQ, SS_CAUSE_PSERROR },
		{ SS_PORDER_FIQ_IRQ_SERROR, SS_CAUSE_FIQ },
		{ SS_PORDER_IRQ_FIQ_SERROR, SS_CAUSE_IRQ },
	};
	for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (unsigned with_fiq = 0; with_fiq < 2; with_fiq++) {
			struct ss_config cfg;
			w_default_config(&cfg);
			cfg.physical_order = rows[i].o;
			w_reset(&cfg);
			w_nop_program();
			w_set_el(1, 1);
			SETF(PSTATE, PSTATE_A, 0);
			SETF(PSTATE, PSTATE_I, 0);
			SETF(PSTATE, PSTATE_F, 0);
			w_raise(0x1abcdef, SS_EDGE, true, 0);
			ss_set_intr_line(W->pe, SS_INTR_IRQ, 0, true, &W->obs);
			if (with_fiq)
				ss_set_intr_line(W->pe, SS_INTR_FIQ, 0, true, &W->obs);
			w_step();
			enum ss_cause want = rows[i].first;
			if (!with_fiq && want == SS_CAUSE_FIQ)
				want = SS_CAUSE_IRQ;
			if (with_fiq && rows[i].o == SS_PORDER_IRQ_FIQ_SERROR)
				want = SS_CAUSE_IRQ;
			CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == want,
			       "physical_order %u, FIQ %u: took %s, expected %s", (unsigned)rows[i].o, with_fiq,
			       ss_cause_name(W->pe->last_exc.cause), ss_cause_name(want));
		}
	}
	/* vp_priority = virtual-first: a vIRQ at EL1 before a physical IRQ
	 * routed to EL2 (IMO = 1: class A); physical-first: the IRQ. */
	for (unsigned pf = 0; pf < 2; pf++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.vp_priority = pf ? SS_PRIO_PHYSICAL_FIRST : SS_PRIO_VIRTUAL_FIRST;
		w_reset(&cfg);
		w_nop_program();
		w_set_el(1, 1);
		SETF(PSTATE, PSTATE_I, 0);
		SETF(HCR_EL2, HCR_IMO, 1);
		SETF(HCR_EL2, HCR_VI, 1);
		ss_set_intr_line(W->pe, SS_INTR_IRQ, 0, true, &W->obs);
		w_step();
		enum ss_cause want = pf ? SS_CAUSE_IRQ : SS_CAUSE_VIRQ;
		CHECKF(W->pe->nexc == 1 && W->pe->last_exc.cause == want &&
			       W->pe->last_exc.to_el == (pf ? 2u : 1u),
		       "vp_priority %u: took %s to EL%u", pf, ss_cause_name(W->pe->last_exc.cause),
		       W->pe->last_exc.to_el);
	}
	SOFT_DONE();
}
END_TEST

Suite *suite_routing(void)
{
	Suite *s = suite_create("routing");
	TCase *tc = world_tcase("table");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, route_table, 0, (int)NRCFG);
	tcase_add_test(tc, route_table_d1_23_literal);
	tcase_add_test(tc, route_amo_el2_knob);
	tcase_add_test(tc, route_secure_el2_disabled);
	tcase_add_test(tc, route_el3_absent);
	tcase_add_test(tc, route_double_fault_nmea);
	tcase_add_loop_test(tc, route_double_fault2_exhaustive, 0, (int)NDCFG);
	tcase_add_test(tc, route_ease_vector);
	tcase_add_test(tc, route_level_allowed);
	tcase_add_loop_test(tc, route_intr_exhaustive, 0, (int)NRCFG);
	tcase_add_test(tc, route_intr_priority);
	suite_add_tcase(s, tc);
	tc = world_tcase("end_to_end");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, route_end_to_end, 0, (int)NRCFG);
	tcase_add_test(tc, route_entry_sp0_and_flags);
	suite_add_tcase(s, tc);
	return s;
}
