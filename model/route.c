/*
 * route.c - where an asynchronous exception goes and whether it is masked:
 * the interrupt controls of one instruction boundary (struct ss_controls:
 * EL2Enabled, the effective HCR_EL2 routing controls, IsInHost,
 * PhysicalSErrorTarget, the virtual interrupt enables), IESB in effect, the
 * vector group, WFI wake-up.  Pure: no I/O.
 */
#include "internal.h"

/* --- small state helpers -------------------------------------------------- */

bool ss_have_el(const struct ss_pe *pe, unsigned el)
{
	switch (el) {
	case 0:
	case 1:
		return true;
	case 2:
		return pe->cfg.el2;
	case 3:
		return pe->cfg.el3;
	}
	return false;
}

/* --- the controls of one boundary ----------------------------------------- */

/*
 * PhysicalSErrorTarget() (Arm ARM J1.3.2.6; D1.4.6.4.1, RGCTZC, Table D1-23;
 * D20.4.4): the target EL and the masking class at the current EL.
 *   SCR_EL3.EA=1 routes to EL3 from every EL; at EL3 PSTATE.A masks it
 *   unless SCR_EL3.NMEA=1 with FEAT_DoubleFault (Arm ARM SCR_EL3.NMEA).
 *   TGE=1, or effective AMO=1, routes from EL0/EL1 to EL2, where PSTATE.A is
 *   ignored, except at EL0 in the VHE host (E2H=1, TGE=1: IsInHost()).
 *   A target below the current EL is class C: not taken, stays pending.
 */
static struct ss_serror_route physical_serror_target(const struct ss_config *cfg,
						     const struct ss_controls *v)
{
	unsigned el = v->el;
	bool route_el3 = cfg->el3 && SS_GET(SCR_EA, v->scr);
	bool route_el2 = v->tge || v->amo;
	struct ss_serror_route r;

	if (route_el3) {
		r.target_el = 3;
		if (el < 3)
			r.cls = SS_CLASS_A;
		else
			r.cls = (cfg->double_fault && SS_GET(SCR_NMEA, v->scr)) ? SS_CLASS_A : SS_CLASS_B;
	} else if (route_el2) {
		r.target_el = 2;
		if (el <= 1)
			r.cls = (el == 0 && v->in_host) ? SS_CLASS_B : SS_CLASS_A;
		else
			r.cls = el == 2 ? SS_CLASS_B : SS_CLASS_C;
	} else {
		r.target_el = 1;
		r.cls = el <= 1 ? SS_CLASS_B : SS_CLASS_C;
	}
	r.masked = r.cls == SS_CLASS_C || (r.cls == SS_CLASS_B && SS_GET(PSTATE_A, v->pstate));
	return r;
}

void ss_controls_from(struct ss_controls *v, const struct ss_config *cfg, uint64_t pstate,
		      uint64_t hcr, uint64_t scr)
{
	bool tge = SS_GET(HCR_TGE, hcr), e2h = SS_GET(HCR_E2H, hcr);

	v->pstate = pstate;
	v->hcr = hcr;
	v->scr = scr;
	v->el = (uint8_t)SS_GET(PSTATE_EL, pstate);
	v->el2_enabled = ss_el2_enabled_with(cfg, scr);
	v->tge = v->el2_enabled && tge;

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

	/* Virtual interrupts (Arm ARM D1.4.6.4.2, RGYGBD; IsVirtualSErrorPending):
	 * taken only at EL0/EL1, never at EL2/EL3. */
	v->venabled = ss_vint_enabled(cfg, hcr, scr);
	v->vpending = ss_vint_pending(cfg, hcr, scr);
	v->vunmasked = ss_vint_unmasked(cfg, pstate, hcr, scr);
	v->pserror = physical_serror_target(cfg, v);
}

void ss_controls_live(struct ss_controls *v, const struct ss_pe *pe)
{
	ss_controls_from(v, &pe->cfg, pe->sr[SS_REG_PSTATE], pe->sr[SS_REG_HCR_EL2],
			 pe->sr[SS_REG_SCR_EL3]);
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

bool ss_physical_serror_pending(const struct ss_pe *pe)
{
	return pe->npending > 0;
}

bool ss_virtual_serror_enabled(const struct ss_pe *pe)
{
	return ss_vint_enabled(&pe->cfg, pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3]) & SS_VINT_SERROR;
}

bool ss_virtual_serror_pending(const struct ss_pe *pe)
{
	return ss_vint_pending(&pe->cfg, pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3]) & SS_VINT_SERROR;
}

bool ss_virtual_serror_unmasked(const struct ss_pe *pe)
{
	return ss_vint_unmasked(&pe->cfg, pe->sr[SS_REG_PSTATE], pe->sr[SS_REG_HCR_EL2],
				pe->sr[SS_REG_SCR_EL3]) & SS_VINT_SERROR;
}

/* --- syndromes --------------------------------------------------------------- */

/*
 * ESR_EL1.ISS of a virtual SError (AArch64.TakeVirtualSErrorException, Arm
 * ARM J1.1.2.21): VSESR_EL2[24:0] with FEAT_RAS (0 when VSESR_EL2 is RAZ/WI,
 * Arm ARM D20.7.1.1); without it the 25-bit IMPLEMENTATION DEFINED value is
 * used when its IDS bit is 1, else the ISS is zero.
 */
uint32_t ss_virtual_serror_iss(const struct ss_pe *pe)
{
	if (pe->cfg.ras)
		return pe->cfg.vsesr_raz_wi ? 0 : (uint32_t)(pe->sr[SS_REG_VSESR_EL2] & SS_SERROR_ISS_MASK);
	if (ss_iss_ids(pe->cfg.noras_vserror_iss))
		return pe->cfg.noras_vserror_iss & SS_SERROR_ISS_MASK;
	return 0;
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

/* --- IESB, vectors, wake-up ---------------------------------------------------- */

/* SCTLR_ELx.IESB, forced for EL3 by SCR_EL3.{EA,NMEA} = 11 with
 * FEAT_DoubleFault (AArch64.TakeException, Arm ARM J1.1.2.35; D20.5.3). */
bool ss_iesb_in_effect(const struct ss_pe *pe, uint64_t scr, unsigned el)
{
	static const enum ss_reg sctlr[4] = { SS_REG_SCTLR_EL1, SS_REG_SCTLR_EL1, SS_REG_SCTLR_EL2, SS_REG_SCTLR_EL3 };
	if (el == 0 || el > 3 || !ss_have_el(pe, el))
		return false;
	if (el == 3 && pe->cfg.double_fault && SS_GET(SCR_EA, scr) && SS_GET(SCR_NMEA, scr))
		return true;
	return pe->cfg.iesb && SS_GET(SCTLR_IESB, pe->sr[sctlr[el]]);
}

bool ss_iesb_effective(const struct ss_pe *pe, unsigned el)
{
	return ss_iesb_in_effect(pe, pe->sr[SS_REG_SCR_EL3], el);
}

/*
 * Vector group base (AArch64.TakeException, Arm ARM J1.1.2.35): the same EL
 * with SP_EL0 or SP_ELx, or a lower EL in AArch64 or AArch32.  The lower
 * EL's width: for EL3 the width of EL2 (or EL1 without EL2) from
 * SCR_EL3.RW, for EL2 that of EL1 from HCR_EL2.RW (EL0's own in the host),
 * for EL1 that of EL0 (AArch64 in this model).
 */
uint64_t ss_vector_group(uint64_t pstate, uint64_t hcr, uint64_t scr, unsigned from_el,
			 unsigned to_el)
{
	if (from_el > 3 || to_el > 3)
		return 0;
	if (to_el > from_el) {
		bool lower_a32;
		if (to_el == 3)
			lower_a32 = !SS_GET(SCR_RW, scr);
		else if (to_el == 2)
			lower_a32 = !(from_el == 0 && SS_GET(HCR_E2H, hcr) && SS_GET(HCR_TGE, hcr)) &&
				    !SS_GET(HCR_RW, hcr);
		else
			lower_a32 = false;
		return lower_a32 ? SS_VEC_LOWER_A32 : SS_VEC_LOWER_A64;
	}
	return SS_GET(PSTATE_SP, pstate) ? SS_VEC_CURR_SPX : SS_VEC_CURR_SP0;
}

uint64_t ss_vector_offset(const struct ss_pe *pe, unsigned from_el, unsigned to_el)
{
	return ss_vector_group(pe->sr[SS_REG_PSTATE], pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3],
			       from_el, to_el);
}

/* WFI wake-up events (Arm ARM D1.6.2): a physical SError wakes the PE
 * whatever PSTATE.A; a virtual interrupt wakes it when it is pending and
 * enabled at EL0/EL1, whatever PSTATE.{A,I,F}. */
bool ss_wake_pending(const struct ss_pe *pe)
{
	return pe->npending ||
	       (ss_pe_el(pe) <= 1 &&
		ss_vint_pending(&pe->cfg, pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3]));
}
