/*
 * route.c - where an asynchronous exception goes and whether it is masked:
 * EL2Enabled, the effective HCR_EL2 routing controls, PhysicalSErrorTarget,
 * the virtual SError enables, IESB in effect, WFI wake-up.  Pure: no I/O.
 */
#include "internal.h"

#include <string.h>

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

/* EL2Enabled(): EL2 implemented and enabled in the current Security state. */
bool ss_el2_enabled(const struct ss_pe *pe)
{
	if (!pe->cfg.el2)
		return false;
	if (!pe->cfg.el3)
		return !pe->cfg.secure || pe->cfg.sel2;
	return SCR(pe, NS) || (pe->cfg.sel2 && SCR(pe, EEL2));
}

bool ss_effective_tge(const struct ss_pe *pe)
{
	return ss_el2_enabled(pe) && HCR(pe, TGE);
}

/* EffectiveHCR_AMO() (ARM-M J1.3.2.2, spec §1.1), with the D22105 choice
 * at EL2 with {E2H,TGE} = {1,0} (spec §8.10). */
bool ss_effective_amo(const struct ss_pe *pe)
{
	if (!ss_el2_enabled(pe))
		return false;
	if (HCR(pe, TGE))
		return !HCR(pe, E2H);
	if (pe->cfg.amo_el2 == SS_AMO_EL2_ONE && HCR(pe, E2H) && ss_pe_el(pe) == 2)
		return true;
	return HCR(pe, AMO);
}

bool ss_effective_imo(const struct ss_pe *pe)
{
	if (!ss_el2_enabled(pe))
		return false;
	if (HCR(pe, TGE))
		return !HCR(pe, E2H);
	return HCR(pe, IMO);
}

bool ss_effective_fmo(const struct ss_pe *pe)
{
	if (!ss_el2_enabled(pe))
		return false;
	if (HCR(pe, TGE))
		return !HCR(pe, E2H);
	return HCR(pe, FMO);
}

/* IsInHost(): E2H=1, TGE=1, at EL0 or EL2. */
bool ss_in_host(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	return ss_el2_enabled(pe) && HCR(pe, E2H) && HCR(pe, TGE) && (el == 0 || el == 2);
}

/* --- physical SError routing and masking ----------------------------------- */

/*
 * PhysicalSErrorTarget() (ARM-M J1.3.2.6; RGCTZC, Table D1-23; spec §1.1,
 * §1.2): the target EL and the masking class at the current EL.
 *   EA=1 routes to EL3 from every EL; at EL3 PSTATE.A masks it unless
 *   SCR_EL3.NMEA=1 with FEAT_DoubleFault (spec §6).
 *   TGE=1, or effective AMO=1, routes from EL0/EL1 to EL2, where PSTATE.A is
 *   ignored, except at EL0 in the VHE host (E2H=1, TGE=1).
 *   A target below the current EL is class C: not taken, stays pending.
 */
struct ss_serror_route ss_physical_serror_target(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	bool route_el3 = pe->cfg.el3 && SCR(pe, EA);
	bool route_el2 = ss_el2_enabled(pe) && (HCR(pe, TGE) || ss_effective_amo(pe));
	struct ss_serror_route r;

	if (route_el3) {
		r.target_el = 3;
		if (el < 3)
			r.cls = SS_CLASS_A;
		else
			r.cls = (pe->cfg.double_fault && SCR(pe, NMEA)) ? SS_CLASS_A : SS_CLASS_B;
	} else if (route_el2) {
		r.target_el = 2;
		if (el <= 1)
			r.cls = (el == 0 && ss_in_host(pe)) ? SS_CLASS_B : SS_CLASS_A;
		else
			r.cls = el == 2 ? SS_CLASS_B : SS_CLASS_C;
	} else {
		r.target_el = 1;
		r.cls = el <= 1 ? SS_CLASS_B : SS_CLASS_C;
	}
	r.masked = r.cls == SS_CLASS_C || (r.cls == SS_CLASS_B && PSTATE_GET(pe, A));
	return r;
}

bool ss_physical_serror_pending(const struct ss_pe *pe)
{
	return pe->npending > 0;
}

/* --- virtual SError (ARM-M D1.4.6.4.2; spec §2.1) ------------------------- */

/* Enabled when EL2 is enabled, TGE=0 and AMO=1. */
bool ss_virtual_serror_enabled(const struct ss_pe *pe)
{
	return ss_el2_enabled(pe) && !HCR(pe, TGE) && HCR(pe, AMO);
}

bool ss_virtual_serror_pending(const struct ss_pe *pe)
{
	return ss_virtual_serror_enabled(pe) && HCR(pe, VSE);
}

/* Taken only at EL0/EL1 with PSTATE.A = 0; never at EL2/EL3. */
bool ss_virtual_serror_unmasked(const struct ss_pe *pe)
{
	return ss_virtual_serror_pending(pe) && ss_pe_el(pe) <= 1 && !PSTATE_GET(pe, A);
}

bool ss_virq_unmasked(const struct ss_pe *pe)
{
	return ss_el2_enabled(pe) && !HCR(pe, TGE) && HCR(pe, IMO) && HCR(pe, VI) &&
	       ss_pe_el(pe) <= 1 && !PSTATE_GET(pe, I);
}

bool ss_vfiq_unmasked(const struct ss_pe *pe)
{
	return ss_el2_enabled(pe) && !HCR(pe, TGE) && HCR(pe, FMO) && HCR(pe, VF) &&
	       ss_pe_el(pe) <= 1 && !PSTATE_GET(pe, F);
}

/*
 * ESR_EL1.ISS of a virtual SError (AArch64.TakeVirtualSErrorException,
 * spec §2.2): VSESR_EL2[24:0] with FEAT_RAS (0 when VSESR_EL2 is RAZ/WI);
 * without it the 25-bit IMPLEMENTATION DEFINED value is used when its IDS bit
 * is 1, else the ISS is zero (spec §8.11).
 */
uint32_t ss_virtual_serror_iss(const struct ss_pe *pe)
{
	if (pe->cfg.ras)
		return pe->cfg.vsesr_raz_wi ? 0 : (uint32_t)(pe->sr[SS_REG_VSESR_EL2] & SS_SERROR_ISS_MASK);
	if (ss_iss_ids(pe->cfg.noras_vserror_iss))
		return pe->cfg.noras_vserror_iss & SS_SERROR_ISS_MASK;
	return 0;
}

/* Without FEAT_RAS the architected fields are RES0 (spec §3.1): only an
 * IMPLEMENTATION DEFINED (IDS=1) syndrome survives. */
uint32_t ss_physical_iss(const struct ss_pe *pe, uint32_t iss)
{
	iss &= SS_SERROR_ISS_MASK;
	if (!pe->cfg.ras && !ss_iss_ids(iss))
		return 0;
	return iss;
}

/* SCTLR_ELx.IESB, forced for EL3 by SCR_EL3.{EA,NMEA} = 11 with
 * FEAT_DoubleFault (ARM-M AArch64.TakeException; spec §4.2). */
bool ss_iesb_effective(const struct ss_pe *pe, unsigned el)
{
	static const enum ss_reg sctlr[4] = { SS_REG_SCTLR_EL1, SS_REG_SCTLR_EL1, SS_REG_SCTLR_EL2, SS_REG_SCTLR_EL3 };
	if (el == 0 || el > 3 || !ss_have_el(pe, el))
		return false;
	if (el == 3 && pe->cfg.double_fault && SCR(pe, EA) && SCR(pe, NMEA))
		return true;
	return pe->cfg.iesb && SS_GET(SCTLR_IESB, pe->sr[sctlr[el]]);
}

/*
 * WFI wake-up events (ARM-M D1.6.2): a physical SError wakes the PE whatever
 * PSTATE.A; a virtual interrupt wakes it when it is pending and enabled
 * (AMO/IMO/FMO with TGE=0) at EL0/EL1, whatever PSTATE.{A,I,F}.
 */
bool ss_wake_pending(const struct ss_pe *pe)
{
	if (pe->npending)
		return true;
	if (ss_pe_el(pe) > 1 || !ss_el2_enabled(pe) || HCR(pe, TGE))
		return false;
	return (HCR(pe, AMO) && HCR(pe, VSE)) || (HCR(pe, IMO) && HCR(pe, VI)) ||
	       (HCR(pe, FMO) && HCR(pe, VF));
}
