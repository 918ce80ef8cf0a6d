/*
 * route.c - where an asynchronous exception goes and whether it is masked:
 * the interrupt controls of one instruction boundary (struct ss_controls:
 * EL2Enabled, the effective HCR_EL2 routing controls, IsInHost,
 * PhysicalSErrorTarget, the virtual interrupt enables), IESB in effect, the
 * vector group, WFI wake-up.  Pure: no I/O.
 */
#include "internal.h"

/* --- small state helpers -------------------------------------------------- */

static inline bool have_el(const struct ss_pe *pe, unsigned el)
{
	return el <= 1 || (el == 2 ? pe->cfg.el2 : el == 3 && pe->cfg.el3);
}

bool ss_have_el(const struct ss_pe *pe, unsigned el)
{
	return have_el(pe, el);
}

/* --- the controls of one boundary ----------------------------------------- */

/*
 * One evaluation of PhysicalSErrorTarget() (Arm ARM J1.3.2.6) with PSTATE.A
 * = a, for an AArch64-only PE that is not Halted and without external debug
 * (INTdis is not modelled):
 *   masked: EL3: EA = 0 or A = 1; EL2: EA = 0 and ((TGE = 0 and AMO = 0) or
 *   A = 1); EL0/EL1: EA = 0, AMO = 0 and A = 1; then overridden by
 *   EffectiveNMEA() = 1.
 *   target: EA = 1 (or at EL3): EL3 unless masked; else, in order, EL2 by
 *   the effective AMO at EL0/EL1; EL2 by the Effective HCRX_EL2.TMEA at EL1
 *   with A = 1 or at EL0 masked outside the host; EL3 by the Effective
 *   SCR_EL3.TMEA at EL2/EL1 with A = 1 or at EL2/EL0 masked (these three
 *   unmask it); EL2 at EL2 or in the host; EL1 otherwise.
 * Returns whether it is masked; *target is the target when it is not.
 */
static bool pse_target_a(const struct ss_controls *v, bool a, unsigned *target)
{
	unsigned el = v->el;
	bool ea = v->ea;
	bool masked;

	switch (el) {
	case 3:
		masked = !ea || a;
		break;
	case 2:
		masked = !ea && ((!v->tge && !v->amo) || a);
		break;
	default:
		masked = !ea && !v->amo && a;
		break;
	}
	masked = masked && !v->nmea;

	*target = 0;
	if (ea || el == 3) {
		if (!masked)
			*target = 3;
	} else if (v->el2_enabled && v->amo && el <= 1) {
		*target = 2;
		masked = false;
	} else if (v->hcrx_tmea && ((el == 1 && a) || (el == 0 && masked && !v->in_host))) {
		*target = 2;
		masked = false;
	} else if (v->scr_tmea && (((el == 2 || el == 1) && a) || ((el == 2 || el == 0) && masked))) {
		*target = 3;
		masked = false;
	} else if (el == 2 || v->in_host) {
		if (!masked)
			*target = 2;
	} else if (!masked) {
		*target = 1;
	}
	return masked;
}

/*
 * PhysicalSErrorTarget() (Arm ARM J1.3.2.6; D1.4.6.4.1, RGCTZC, Table D1-23;
 * D20.4.4) at the current PSTATE.A, and the masking class of Table D1-23:
 * A when it is taken whatever PSTATE.A, B when PSTATE.A = 1 alone masks it,
 * C when it is not taken at this EL.  A masked SError keeps, as target_el,
 * the EL it is taken to once unmasked (for class C: EL3 with SCR_EL3.EA = 1,
 * else EL2 with TGE = 1 or the effective AMO = 1, else EL1).
 */
static struct ss_serror_route physical_serror_target(const struct ss_controls *v)
{
	struct ss_serror_route r;
	unsigned t0, t1;
	bool m0 = pse_target_a(v, false, &t0);
	bool m1 = pse_target_a(v, true, &t1);
	bool a = SS_GET(PSTATE_A, v->pstate);

	r.cls = m0 ? SS_CLASS_C : m1 ? SS_CLASS_B : SS_CLASS_A;
	r.masked = a ? m1 : m0;
	if (!r.masked)
		r.target_el = a ? t1 : t0;
	else if (!m0)
		r.target_el = t0;
	else
		r.target_el = v->ea ? 3 : (v->tge || v->amo) ? 2 : 1;
	return r;
}

/* IsHCRXEL2Enabled(): FEAT_HCX, SCR_EL3.HXEn = 1 when EL3 is implemented,
 * and EL2 enabled (Arm ARM HCRX_EL2; SCR_EL3.HXEn). */
static bool hcrx_el2_enabled(const struct ss_config *cfg, uint64_t scr, bool el2_enabled)
{
	return cfg->hcx && (!cfg->el3 || SS_GET(SCR_HXEn, scr)) && el2_enabled;
}

/* IsSCTLR2EL2Enabled() / IsSCTLR2EL1Enabled() (Arm ARM SCTLR2_EL2,
 * SCTLR2_EL1: their fields are treated as 0 when SCR_EL3.SCTLR2En = 0, and
 * SCTLR2_EL1's also when EL2 is enabled and the Effective
 * HCRX_EL2.SCTLR2En = 0). */
static bool sctlr2_el2_enabled(const struct ss_config *cfg, uint64_t scr)
{
	return cfg->sctlr2 && (!cfg->el3 || SS_GET(SCR_SCTLR2En, scr));
}

static bool sctlr2_el1_enabled(const struct ss_config *cfg, uint64_t scr, uint64_t hcrx,
			       bool el2_enabled)
{
	if (!sctlr2_el2_enabled(cfg, scr))
		return false;
	return !el2_enabled || (hcrx_el2_enabled(cfg, scr, el2_enabled) && SS_GET(HCRX_SCTLR2En, hcrx));
}

bool ss_effective_hcrx_tmea_with(const struct ss_config *cfg, uint64_t scr, uint64_t hcrx)
{
	/* EffectiveHCRX_EL2_TMEA() (Arm ARM J1.3.2.1). */
	return cfg->double_fault2 && hcrx_el2_enabled(cfg, scr, ss_el2_enabled_with(cfg, scr)) &&
	       SS_GET(HCRX_TMEA, hcrx);
}

/* EffectiveNMEA() (Arm ARM J1.3.2.4): with FEAT_DoubleFault2, SCR_EL3.NMEA
 * at EL3, SCTLR2_EL2.NMEA at EL2 and in the host (IsInHost()), else
 * SCTLR2_EL1.NMEA, each 0 when its register is disabled; with
 * FEAT_DoubleFault alone, SCR_EL3.NMEA AND EffectiveEA() at EL3. */
static bool effective_nmea(const struct ss_config *cfg, const struct ss_controls *v,
			   const uint64_t *sr)
{
	if (cfg->double_fault2) {
		if (v->el == 3)
			return SS_GET(SCR_NMEA, v->scr);
		if (v->el == 2 || v->in_host)
			return sctlr2_el2_enabled(cfg, v->scr) && SS_GET(SCTLR2_NMEA, sr[SS_REG_SCTLR2_EL2]);
		return sctlr2_el1_enabled(cfg, v->scr, v->hcrx, v->el2_enabled) &&
		       SS_GET(SCTLR2_NMEA, sr[SS_REG_SCTLR2_EL1]);
	}
	return cfg->double_fault && v->el == 3 && SS_GET(SCR_NMEA, v->scr) && v->ea;
}

void ss_controls_from(struct ss_controls *v, const struct ss_config *cfg, uint64_t pstate,
		      uint64_t hcr, uint64_t scr, const uint64_t *sr)
{
	bool tge = SS_GET(HCR_TGE, hcr), e2h = SS_GET(HCR_E2H, hcr);

	v->pstate = pstate;
	v->hcr = hcr;
	v->scr = scr;
	v->hcrx = sr[SS_REG_HCRX_EL2];
	v->el = (uint8_t)SS_GET(PSTATE_EL, pstate);
	v->el2_enabled = ss_el2_enabled_with(cfg, scr);
	v->tge = v->el2_enabled && tge;
	v->ea = cfg->el3 && SS_GET(SCR_EA, scr);	/* EffectiveEA() */
	v->irq3 = cfg->el3 && SS_GET(SCR_IRQ, scr);
	v->fiq3 = cfg->el3 && SS_GET(SCR_FIQ, scr);

	/* EffectiveHCR_AMO/IMO/FMO() (Arm ARM J1.3.2.2): 0 with EL2 disabled;
	 * with TGE=1, 1 when E2H=0 and 0 when E2H=1; else the programmed bit.
	 * The AMO at EL2 with {E2H,TGE} = {1,0} is IMPLEMENTATION DEFINED
	 * (Arm ARM HCR_EL2.AMO, Known Issue D22105): knob amo_el2. */
	uint8_t eff = !v->el2_enabled ? 0 : tge ? (e2h ? 0 : 7) : SS_VINT(HCR, AMO, IMO, FMO, hcr);
	if (v->el2_enabled && !tge && e2h && v->el == 2 && cfg->amo_el2 == SS_AMO_EL2_ONE)
		eff |= SS_VINT_SERROR;
	v->amo = eff & SS_VINT_SERROR;
	v->imo = eff & SS_VINT_IRQ;
	v->fmo = eff & SS_VINT_FIQ;
	/* IsInHost(): E2H=1, TGE=1, at EL0 or EL2. */
	v->in_host = v->tge && e2h && (v->el == 0 || v->el == 2);

	/* FEAT_DoubleFault2 (Arm ARM J1.3.2.1, J1.3.2.4, J1.3.2.5). */
	v->hcrx_tmea = ss_effective_hcrx_tmea_with(cfg, scr, v->hcrx);
	v->scr_tmea = cfg->double_fault2 && cfg->el3 && SS_GET(SCR_TMEA, scr);
	v->nmea = effective_nmea(cfg, v, sr);

	/* Virtual interrupts (Arm ARM D1.4.6.4.2, RGYGBD, RCDCKC;
	 * IsVirtualSErrorPending): taken only at EL0/EL1, never at EL2/EL3. */
	v->venabled = ss_vint_enabled(cfg, hcr, scr, v->hcrx);
	v->vpending = ss_vint_pending(cfg, hcr, scr, v->hcrx);
	v->vunmasked = ss_vint_unmasked(cfg, pstate, hcr, scr, v->hcrx);
	v->pserror = physical_serror_target(v);
	v->pintr[SS_INTR_IRQ] = ss_physical_intr_route(v, SS_INTR_IRQ);
	v->pintr[SS_INTR_FIQ] = ss_physical_intr_route(v, SS_INTR_FIQ);
}

void ss_controls_live(struct ss_controls *v, const struct ss_pe *pe)
{
	ss_controls_from(v, &pe->cfg, pe->sr[SS_REG_PSTATE], pe->sr[SS_REG_HCR_EL2],
			 pe->sr[SS_REG_SCR_EL3], pe->sr);
}

/* --- the rules on the live registers (for tests, observers, instructions) -- */

static struct ss_controls live(const struct ss_pe *pe)
{
	struct ss_controls v;
	ss_controls_live(&v, pe);
	return v;
}

bool ss_el2_enabled(const struct ss_pe *pe)
{
	return ss_el2_enabled_with(&pe->cfg, pe->sr[SS_REG_SCR_EL3]);
}

bool ss_effective_tge(const struct ss_pe *pe)
{
	return SS_GET(HCR_TGE, pe->sr[SS_REG_HCR_EL2]) && ss_el2_enabled(pe);
}

bool ss_effective_amo(const struct ss_pe *pe)
{
	return live(pe).amo;
}

bool ss_in_host(const struct ss_pe *pe)
{
	return live(pe).in_host;
}

struct ss_serror_route ss_physical_serror_target(const struct ss_pe *pe)
{
	return live(pe).pserror;
}

bool ss_effective_nmea(const struct ss_pe *pe)
{
	return live(pe).nmea;
}

bool ss_effective_hcrx_tmea(const struct ss_pe *pe)
{
	return live(pe).hcrx_tmea;
}

bool ss_effective_scr_tmea(const struct ss_pe *pe)
{
	return live(pe).scr_tmea;
}

bool ss_physical_serror_pending(const struct ss_pe *pe)
{
	return pe->npending > 0;
}

bool ss_virtual_serror_enabled(const struct ss_pe *pe)
{
	return ss_vint_enabled(&pe->cfg, pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3], pe->sr[SS_REG_HCRX_EL2]) & SS_VINT_SERROR;
}

bool ss_virtual_serror_pending(const struct ss_pe *pe)
{
	return ss_vint_pending(&pe->cfg, pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3], pe->sr[SS_REG_HCRX_EL2]) & SS_VINT_SERROR;
}

bool ss_virtual_serror_unmasked(const struct ss_pe *pe)
{
	return ss_vint_unmasked(&pe->cfg, pe->sr[SS_REG_PSTATE], pe->sr[SS_REG_HCR_EL2],
				pe->sr[SS_REG_SCR_EL3], pe->sr[SS_REG_HCRX_EL2]) & SS_VINT_SERROR;
}

/* --- syndromes --------------------------------------------------------------- */

/* ESR_EL1.ISS of a virtual SError: ss_vserror_iss (internal.h). */
uint32_t ss_virtual_serror_iss(const struct ss_pe *pe)
{
	return ss_vserror_iss(pe);
}

/* Without FEAT_RAS the architected fields of ESR_ELx.ISS for an SError are
 * RES0 (Arm ARM ESR_EL1, D24.2.45): only an IMPLEMENTATION DEFINED (IDS=1)
 * syndrome survives. */
uint32_t ss_physical_iss(const struct ss_pe *pe, uint32_t iss)
{
	iss &= SS_SERROR_ISS_MASK;
	if (!pe->cfg.ras && !ss_iss_ids(iss))
		return 0;
	return iss;
}

/*
 * The vector offset of a synchronous External abort taken to target_el
 * (AArch64.TakeException callers for aborts; Arm ARM SCR_EL3.EASE,
 * SCTLR2_EL1.EASE, SCTLR2_EL2.EASE): the SError offset (0x180) with
 * SCR_EL3.EASE = 1 (FEAT_DoubleFault) for EL3, the Effective
 * SCTLR2_ELx.EASE = 1 (FEAT_DoubleFault2) for EL2 and EL1, else the
 * synchronous offset (0x000).  SErrors always use 0x180: EASE does not
 * change their vector.
 */
uint64_t ss_external_abort_vector(const struct ss_pe *pe, unsigned target_el)
{
	uint64_t scr = pe->sr[SS_REG_SCR_EL3];
	bool ease = false;
	if (target_el == 3)
		ease = pe->cfg.double_fault && SS_GET(SCR_EASE, scr);
	else if (target_el == 2)
		ease = pe->cfg.double_fault2 && sctlr2_el2_enabled(&pe->cfg, scr) &&
		       SS_GET(SCTLR2_EASE, pe->sr[SS_REG_SCTLR2_EL2]);
	else if (target_el == 1)
		ease = pe->cfg.double_fault2 &&
		       sctlr2_el1_enabled(&pe->cfg, scr, pe->sr[SS_REG_HCRX_EL2], ss_el2_enabled(pe)) &&
		       SS_GET(SCTLR2_EASE, pe->sr[SS_REG_SCTLR2_EL1]);
	return ease ? SS_VEC_SERROR : SS_VEC_SYNC;
}

/* --- IESB, vectors, wake-up ---------------------------------------------------- */

/* SCTLR_ELx.IESB, forced for EL3 by SCR_EL3.{EA,NMEA} = 11 with
 * FEAT_DoubleFault (AArch64.TakeException, Arm ARM J1.1.2.35; D20.5.3), and
 * with FEAT_DoubleFault2 for EL3 by SCR_EL3.NMEA, for EL2 and EL1 by the
 * Effective SCTLR2_EL2.NMEA and SCTLR2_EL1.NMEA (Arm ARM D20.5.3; SCTLR_EL1.IESB,
 * SCTLR_EL2.IESB). */
bool ss_iesb_in_effect(const struct ss_pe *pe, uint64_t scr, unsigned el)
{
	static const enum ss_reg sctlr[4] = { SS_REG_SCTLR_EL1, SS_REG_SCTLR_EL1, SS_REG_SCTLR_EL2, SS_REG_SCTLR_EL3 };
	if (el == 0 || el > 3 || !have_el(pe, el))
		return false;
	if (pe->cfg.iesb && SS_GET(SCTLR_IESB, pe->sr[sctlr[el]]))
		return true;
	if (!pe->cfg.double_fault && !pe->cfg.double_fault2)
		return false;
	if (el == 3 && pe->cfg.double_fault && SS_GET(SCR_EA, scr) && SS_GET(SCR_NMEA, scr))
		return true;
	if (pe->cfg.double_fault2) {
		bool e2 = ss_el2_enabled_with(&pe->cfg, scr);
		if (el == 3 && SS_GET(SCR_NMEA, scr))
			return true;
		if (el == 2 && sctlr2_el2_enabled(&pe->cfg, scr) && SS_GET(SCTLR2_NMEA, pe->sr[SS_REG_SCTLR2_EL2]))
			return true;
		if (el == 1 && sctlr2_el1_enabled(&pe->cfg, scr, pe->sr[SS_REG_HCRX_EL2], e2) &&
		    SS_GET(SCTLR2_NMEA, pe->sr[SS_REG_SCTLR2_EL1]))
			return true;
	}
	return false;
}

bool ss_iesb_effective(const struct ss_pe *pe, unsigned el)
{
	return ss_iesb_in_effect(pe, pe->sr[SS_REG_SCR_EL3], el);
}

uint64_t ss_vector_offset(const struct ss_pe *pe, unsigned from_el, unsigned to_el)
{
	return ss_vector_group(pe->sr[SS_REG_PSTATE], pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3],
			       from_el, to_el);
}

/* WFI wake-up events (Arm ARM D1.6.2): a physical SError, IRQ or FIQ wakes
 * the PE whatever PSTATE.{A,I,F}; a virtual interrupt wakes it when it is
 * pending and enabled at EL0/EL1, whatever PSTATE.{A,I,F}. */
bool ss_wake_pending(const struct ss_pe *pe)
{
	return pe->npending || pe->intr_up[SS_INTR_IRQ] || pe->intr_up[SS_INTR_FIQ] ||
	       (ss_pe_el(pe) <= 1 &&
		ss_vint_pending(&pe->cfg, pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3], pe->sr[SS_REG_HCRX_EL2]));
}
