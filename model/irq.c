/*
 * irq.c - physical IRQ and FIQ: the level lines an interrupt controller
 * drives, their routing and masking, and what the fast engine asks.  The
 * taking is entry.c's (TakePendingInterrupts).  Pure: no I/O.
 */
#include "internal.h"

/*
 * The routing of AArch64.TakePhysicalIRQException and
 * AArch64.TakePhysicalFIQException (Arm ARM, the A64 exception-taking ASL):
 * EL3 with SCR_EL3.IRQ (FIQ) = 1; EL2 at EL2, or at EL0/EL1 with EL2
 * enabled and HCR_EL2.TGE = 1 or HCR_EL2.IMO (FMO) = 1; EL1 otherwise.
 * The masking of Arm ARM D1.4 "Asynchronous exception masking" (the table
 * D1.4.6.4.1 gives for SError, IRQ and FIQ alike, Table D1-23, with
 * SCR_EL3.{EA,IRQ,FIQ}, the Effective HCR_EL2.{AMO,IMO,FMO} of J1.3.2.2 and
 * PSTATE.{A,I,F}), for an AArch64-only PE without FEAT_NMI and without
 * external debug:
 *   EL3: taken when SCR_EL3.IRQ = 1 and PSTATE.I = 0 (else class C with
 *        IRQ = 0: the interrupt targets a lower EL);
 *   EL2: taken, whatever PSTATE.I, when SCR_EL3.IRQ = 1; else masked when
 *        {TGE, IMO} = {0, 0} (class C: it targets EL1) or PSTATE.I = 1;
 *   EL0/EL1: taken, whatever PSTATE.I, when SCR_EL3.IRQ = 1 or the
 *        Effective IMO = 1; else masked by PSTATE.I.
 * In the host ({E2H, TGE} = {1, 1}) the Effective IMO is 0 (J1.3.2.2), so
 * an IRQ taken to EL2 from EL0 is masked by PSTATE.I, as at EL2 (QEMU
 * target/arm/cpu.c arm_excp_unmasked makes the same exception).  SErrors
 * add EffectiveNMEA and the TMEA controls (route.c); IRQ and FIQ have none.
 */
struct ss_serror_route ss_physical_intr_route(const struct ss_controls *v, enum ss_intr k)
{
	bool route3 = k == SS_INTR_IRQ ? v->irq3 : v->fiq3;
	bool mo = k == SS_INTR_IRQ ? v->imo : v->fmo;
	bool mask = k == SS_INTR_IRQ ? SS_GET(PSTATE_I, v->pstate) : SS_GET(PSTATE_F, v->pstate);
	bool host_regime = v->tge && SS_GET(HCR_E2H, v->hcr);
	struct ss_serror_route r;
	unsigned el = v->el;

	if (route3)
		r.target_el = 3;
	else if (el == 2 || (el <= 1 && v->el2_enabled && (v->tge || mo)))
		r.target_el = 2;
	else
		r.target_el = 1;

	if (r.target_el < el || (el == 2 && !route3 && !v->tge && !mo)) {
		/* Class C: not taken at this EL; it targets EL1 from EL2
		 * with {TGE, IMO} = {0, 0}, EL2 or EL1 from EL3. */
		r.cls = SS_CLASS_C;
		if (el == 2)
			r.target_el = 1;
	} else if (r.target_el > el && r.target_el >= 2 && !(r.target_el == 2 && host_regime)) {
		/* To EL2 or EL3 from below: PSTATE.I does not mask it (EL0 to
		 * EL1 is masked by PSTATE.I as EL1 itself is). */
		r.cls = SS_CLASS_A;
	} else {
		r.cls = SS_CLASS_B;	/* masked by PSTATE.I (F) */
	}
	r.masked = r.cls == SS_CLASS_C || (r.cls == SS_CLASS_B && mask);
	return r;
}

struct ss_serror_route ss_physical_intr_target(const struct ss_pe *pe, enum ss_intr k)
{
	struct ss_controls v;
	ss_controls_live(&v, pe);
	return v.pintr[k == SS_INTR_FIQ ? SS_INTR_FIQ : SS_INTR_IRQ];
}

bool ss_physical_intr_pending(const struct ss_pe *pe, enum ss_intr k)
{
	return pe->intr_up[k == SS_INTR_FIQ ? SS_INTR_FIQ : SS_INTR_IRQ] != 0;
}

bool ss_physical_intr_unmasked(const struct ss_pe *pe)
{
	if (!pe->intr_up[SS_INTR_IRQ] && !pe->intr_up[SS_INTR_FIQ])
		return false;
	struct ss_controls v;
	ss_controls_live(&v, pe);
	return (pe->intr_up[SS_INTR_IRQ] && !v.pintr[SS_INTR_IRQ].masked) ||
	       (pe->intr_up[SS_INTR_FIQ] && !v.pintr[SS_INTR_FIQ].masked);
}

/*
 * A line of the interrupt controller: level-sensitive, the interrupt
 * pending while any line of its kind is asserted; taking it does not clear
 * it (the handler acknowledges it at the controller, which then deasserts
 * the line: a lower event).  A change is traced (SS_TR_INTR); asserting an
 * asserted line or deasserting a deasserted one changes nothing.
 */
bool ss_set_intr_line(struct ss_pe *pe, enum ss_intr k, unsigned line, bool up,
		      const struct ss_observer *obs)
{
	if (line >= SS_MAX_LINES || (k != SS_INTR_IRQ && k != SS_INTR_FIQ))
		return false;
	uint64_t bit = UINT64_C(1) << line, old = pe->intr_up[k];
	pe->intr_up[k] = up ? old | bit : old & ~bit;
	if (pe->intr_up[k] != old) {
		SS_TRACE(obs, pe, .kind = SS_TR_INTR, .cycle = pe->cycle, .intr = k, .line = line,
			 .value = up);
	}
	return true;
}
