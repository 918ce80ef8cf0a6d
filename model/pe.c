/*
 * pe.c - the architecture rules of the SError exception logic: routing and
 * masking, virtual SError, exception entry and return, ESB and implicit ESB,
 * system-register access, conditions and the ledger.
 *
 * Function names follow the Arm pseudocode they implement; each cites its
 * rule (ARM-M = Arm ARM DDI0487 M.a; section numbers of
 * ../shared/reference/serror-spec.md as "spec §").  Pure: no I/O.
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

static bool effective_imo(const struct ss_pe *pe)
{
	if (!ss_el2_enabled(pe))
		return false;
	if (HCR(pe, TGE))
		return !HCR(pe, E2H);
	return HCR(pe, IMO);
}

static bool effective_fmo(const struct ss_pe *pe)
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

static bool virq_unmasked(const struct ss_pe *pe)
{
	return ss_el2_enabled(pe) && !HCR(pe, TGE) && HCR(pe, IMO) && HCR(pe, VI) &&
	       ss_pe_el(pe) <= 1 && !PSTATE_GET(pe, I);
}

static bool vfiq_unmasked(const struct ss_pe *pe)
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

/* --- vectors and exception entry ------------------------------------------ */

/*
 * Vector group offset (AArch64.TakeException; spec §1.4): 0x000 same EL with
 * SP_EL0, 0x200 same EL with SP_ELx, 0x400 from a lower AArch64 EL, 0x600
 * from a lower AArch32 EL.  The lower EL's width: for EL3 the width of EL2
 * (or EL1 without EL2) from SCR_EL3.RW, for EL2 that of EL1 from HCR_EL2.RW
 * (EL0's own in the host), for EL1 that of EL0 (AArch64 in this model).
 */
uint64_t ss_vector_offset(const struct ss_pe *pe, unsigned from_el, unsigned to_el)
{
	if (from_el > 3 || to_el > 3)
		return 0;
	if (to_el > from_el) {
		bool lower_a32;
		if (to_el == 3)
			lower_a32 = !SCR(pe, RW);
		else if (to_el == 2)
			lower_a32 = !(from_el == 0 && HCR(pe, E2H) && HCR(pe, TGE)) && !HCR(pe, RW);
		else
			lower_a32 = false;
		return lower_a32 ? 0x600 : 0x400;
	}
	return PSTATE_GET(pe, SP) ? 0x200 : 0x000;
}

static enum ss_reg el_reg(unsigned el, enum ss_reg r1, enum ss_reg r2, enum ss_reg r3)
{
	return el == 3 ? r3 : el == 2 ? r2 : r1;
}

#define SS_MAX_IESB_NEST 8

static bool is_synchronous(enum ss_cause c)
{
	return c != SS_CAUSE_PSERROR && c != SS_CAUSE_VSERROR && c != SS_CAUSE_VIRQ &&
	       c != SS_CAUSE_VFIQ;
}

/*
 * AArch64.TakeException (ARM-M J1.1.2.35; spec §1.4): ESR (for synchronous
 * exceptions and SErrors), ELR = preferred return address, SPSR = PSTATE,
 * PSTATE.{EL,SP,nRW,IL,SS} and D,A,I,F = 1111, PC = VBAR + offset.  With the
 * implicit ESB of the target EL, errors are then synchronized and an SError
 * that is still unmasked is taken with ESR.IESB = 1 and ELR = this
 * exception's vector (spec §4.2).
 */
void ss_take_exception(struct ss_pe *pe, const struct ss_observer *obs, unsigned to,
		       enum ss_cause cause, bool has_esr, uint64_t esr, uint64_t elr,
		       unsigned vec, int cond)
{
	unsigned from = ss_pe_el(pe);
	uint64_t off;

	/* InsertIESBBeforeException (spec §8.6): an implementation may
	 * synchronize errors before a synchronous exception and take an
	 * unmasked SError instead, with ESR.IESB = 0 and ELR = the instruction
	 * (which has not completed). */
	if (is_synchronous(cause) && pe->cfg.iesb_before_exception && ss_iesb_effective(pe, to) &&
	    pe->iesb_nest == 0) {
		ss_synchronize_errors(pe, obs);
		if (ss_take_physical_serror(pe, obs, false, pe->pc))
			return;
	}
	off = ss_vector_offset(pe, from, to) + vec;
	uint64_t old = pe->sr[SS_REG_PSTATE];
	uint64_t ps = old;

	if (has_esr)
		pe->sr[el_reg(to, SS_REG_ESR_EL1, SS_REG_ESR_EL2, SS_REG_ESR_EL3)] = esr;
	pe->sr[el_reg(to, SS_REG_ELR_EL1, SS_REG_ELR_EL2, SS_REG_ELR_EL3)] = elr;
	pe->sr[el_reg(to, SS_REG_SPSR_EL1, SS_REG_SPSR_EL2, SS_REG_SPSR_EL3)] = old & ~SS_SPSR_RES0;

	ps = SS_SET(PSTATE_EL, ps, to);
	ps = SS_SET(PSTATE_SP, ps, 1);
	ps = SS_SET(PSTATE_nRW, ps, 0);
	ps = SS_SET(PSTATE_IL, ps, 0);
	ps = SS_SET(PSTATE_SS, ps, 0);
	ps |= SS_PSTATE_D_MASK | SS_PSTATE_A_MASK | SS_PSTATE_I_MASK | SS_PSTATE_F_MASK;
	pe->sr[SS_REG_PSTATE] = ps;
	pe->pc = pe->sr[el_reg(to, SS_REG_VBAR_EL1, SS_REG_VBAR_EL2, SS_REG_VBAR_EL3)] + off;
	pe->asleep = false;
	pe->cycle += pe->cfg.timing.exception_entry;

	struct ss_exception *x = &pe->last_exc;
	memset(x, 0, sizeof *x);
	x->number = ++pe->nexc;
	x->cause = cause;
	x->from_el = from;
	x->to_el = to;
	x->vector = pe->pc;
	x->offset = off;
	x->has_esr = has_esr;
	x->esr = has_esr ? esr : 0;
	x->elr = elr;
	x->spsr = old & ~SS_SPSR_RES0;
	x->iesb = pe->iesb_nest > 0;
	x->cond = cond;
	x->cycle = pe->cycle;
	SS_TRACE(obs, pe, .kind = SS_TR_EXCEPTION, .cycle = pe->cycle, .exc = x);
	ss_context_sync(pe);	/* exception entry is a context synchronization event */

	if (ss_iesb_effective(pe, to) && pe->iesb_nest < SS_MAX_IESB_NEST) {
		pe->iesb_nest++;
		ss_synchronize_errors(pe, obs);
		ss_take_physical_serror(pe, obs, true, pe->pc);
		pe->iesb_nest--;
	}
}

unsigned ss_sync_target(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	if (el == 0)
		return ss_effective_tge(pe) ? 2 : 1;
	return el;
}

/* An UNDEFINED instruction: EC=Unknown, ELR = the instruction. */
void ss_undefined(struct ss_pe *pe, const struct ss_observer *obs)
{
	ss_take_exception(pe, obs, ss_sync_target(pe), SS_CAUSE_UNDEF, true, ss_esr_unknown(),
			  pe->pc, SS_VEC_SYNC, -1);
}

/* --- conditions ------------------------------------------------------------ */

static void make_visible(struct ss_pe *pe, struct ss_condition *c, const struct ss_observer *obs)
{
	c->disp = SS_DISP_PENDING;
	pe->ninflight--;
	pe->npending++;
	SS_TRACE(obs, pe, .kind = SS_TR_VISIBLE, .cycle = pe->cycle, .cond = c);
}

void ss_update_visibility(struct ss_pe *pe, const struct ss_observer *obs)
{
	for (uint32_t i = ss_open_from(pe); pe->ninflight && i < pe->ncond; i++)
		if (pe->cond[i].disp == SS_DISP_IN_FLIGHT && pe->cond[i].visible <= pe->cycle)
			make_visible(pe, &pe->cond[i], obs);
}

/* Only synchronizable errors are synchronized (IBBGXN, RSFHDS; spec §4.1):
 * a non-synchronizable one keeps propagating. */
void ss_synchronize_errors(struct ss_pe *pe, const struct ss_observer *obs)
{
	for (uint32_t i = ss_open_from(pe); pe->ninflight && i < pe->ncond; i++)
		if (pe->cond[i].disp == SS_DISP_IN_FLIGHT && pe->cond[i].synchronizable) {
			pe->cond[i].visible = pe->cycle;
			make_visible(pe, &pe->cond[i], obs);
		}
}

static bool is_final(enum ss_disposition d)
{
	return d != SS_DISP_IN_FLIGHT && d != SS_DISP_PENDING;
}

/*
 * The ledger is full: count every condition in a final state into
 * pe->retired and keep the open ones (pending, in flight), renumbered.  Only
 * long runs get here; every condition stays accounted for.
 */
static void compact_ledger(struct ss_pe *pe)
{
	int remap[SS_MAX_CONDS];
	uint32_t k = 0;
	for (uint32_t i = 0; i < pe->ncond; i++) {
		struct ss_condition *c = &pe->cond[i];
		if (is_final(c->disp)) {
			pe->retired[c->disp]++;
			remap[i] = -1;
			continue;
		}
		remap[i] = (int)k;
		if (k != i)
			pe->cond[k] = *c;
		pe->cond[k].id = k;
		k++;
	}
	for (unsigned l = 0; l < SS_MAX_LINES; l++)
		if (pe->line_cond[l] >= 0)
			pe->line_cond[l] = remap[pe->line_cond[l]];
	if (pe->vcond >= 0)
		pe->vcond = remap[pe->vcond];
	pe->ncond = k;
	pe->first_open = 0;
}

/* A new ledger entry, or NULL (and the LIMIT stop) when the ledger holds
 * SS_MAX_CONDS open conditions. */
static struct ss_condition *new_condition(struct ss_pe *pe, uint32_t iss, bool virt)
{
	if (pe->ncond >= SS_MAX_CONDS)
		compact_ledger(pe);
	if (pe->ncond >= SS_MAX_CONDS) {
		pe->stop = SS_STOP_LIMIT;
		return NULL;
	}
	struct ss_condition *c = &pe->cond[pe->ncond];
	memset(c, 0, sizeof *c);
	c->id = pe->ncond++;
	c->seq = pe->nraised++;
	c->virt = virt;
	c->iss = iss & SS_SERROR_ISS_MASK;
	c->raised = pe->cycle;
	c->visible = pe->cycle;
	return c;
}

int ss_raise_serror(struct ss_pe *pe, uint32_t iss, enum ss_trigger trig, bool sync,
		    unsigned line, const struct ss_observer *obs)
{
	if (trig == SS_LEVEL) {
		if (line >= SS_MAX_LINES)
			return -1;
		if (pe->line_up[line])	/* already asserted: the first syndrome holds */
			return pe->line_cond[line];
	}
	struct ss_condition *c = new_condition(pe, iss, false);
	if (!c)
		return -1;
	c->trigger = trig;
	c->synchronizable = sync;
	c->line = (uint8_t)(trig == SS_LEVEL ? line : 0);
	c->visible = pe->cycle + pe->cfg.timing.propagation;
	c->disp = SS_DISP_IN_FLIGHT;
	pe->ninflight++;
	if (trig == SS_LEVEL) {
		pe->line_up[line] = true;
		pe->line_cond[line] = (int)c->id;
	}
	SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
	if (c->visible <= pe->cycle)
		make_visible(pe, c, obs);
	return (int)c->id;
}

/* --- virtual SErrors in the ledger -------------------------------------- */

/* A virtual condition becomes pending when HCR_EL2.VSE goes 0 -> 1. */
static struct ss_condition *new_virtual(struct ss_pe *pe, uint32_t iss,
					const struct ss_observer *obs)
{
	struct ss_condition *c = new_condition(pe, iss, true);
	if (!c)
		return NULL;
	c->trigger = SS_EDGE;
	c->synchronizable = true;
	c->disp = SS_DISP_PENDING;
	pe->vcond = (int)c->id;
	SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
	return c;
}

/* End the pending virtual condition in state d. */
static void end_virtual(struct ss_pe *pe, enum ss_disposition d, uint32_t number, uint32_t iss)
{
	if (pe->vcond < 0)	/* the ledger was full: the run stops with LIMIT */
		return;
	struct ss_condition *c = &pe->cond[pe->vcond];
	c->disp = d;
	c->iss = iss & SS_SERROR_ISS_MASK;	/* the syndrome finally reported */
	if (d == SS_DISP_TAKEN) {
		c->exc = number;
		c->times_taken = 1;
	} else if (d == SS_DISP_DEFERRED) {
		c->defer = number;
		c->times_deferred = 1;
	}
	pe->vcond = -1;
}

void ss_sync_virtual(struct ss_pe *pe, const struct ss_observer *obs)
{
	bool vse = HCR(pe, VSE);
	if (vse && pe->vcond < 0)
		new_virtual(pe, (uint32_t)pe->sr[SS_REG_VSESR_EL2], obs);
	else if (!vse && pe->vcond >= 0)
		end_virtual(pe, SS_DISP_WITHDRAWN, 0, pe->cond[pe->vcond].iss);
}

static void set_vse(struct ss_pe *pe, const struct ss_observer *obs, bool vse)
{
	uint64_t old = pe->sr[SS_REG_HCR_EL2];
	pe->sr[SS_REG_HCR_EL2] = SS_SET(HCR_VSE, old, vse);
	if (old != pe->sr[SS_REG_HCR_EL2]) {
		SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = SS_REG_HCR_EL2,
				      .value = pe->sr[SS_REG_HCR_EL2], .old = old);
	}
}

static void set_vsesr(struct ss_pe *pe, const struct ss_observer *obs, uint32_t iss)
{
	uint64_t old = pe->sr[SS_REG_VSESR_EL2];
	pe->sr[SS_REG_VSESR_EL2] = iss & SS_SERROR_ISS_MASK;
	SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = SS_REG_VSESR_EL2,
			      .value = pe->sr[SS_REG_VSESR_EL2], .old = old);
}

/*
 * A hypervisor injects a virtual SError (peers.md §1.3-1.5):
 *  - combine: with one pending, VSESR_EL2 becomes the 2.5.3 combination and
 *    the new condition is MERGED into the pending one;
 *  - kvm-overwrite (Linux 4.19-6.16, pend_guest_serror): VSESR_EL2 is
 *    overwritten and VSE set; a pending one is DROPPED (its syndrome lost);
 *  - kvm-deliver-or-pend (Linux 6.17, kvm_inject_serror_esr): if the guest
 *    is at EL0/EL1 with PSTATE.A = 0 the exception entry is emulated at once
 *    (ESR_EL1 = the syndrome); otherwise as kvm-overwrite.
 * Without FEAT_RAS there is no VSESR_EL2: the syndrome is ignored and a
 * second injection merges into the pending one.
 */
int ss_inject_vserror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs)
{
	iss &= SS_SERROR_ISS_MASK;
	ss_sync_virtual(pe, obs);
	bool has_vsesr = pe->cfg.ras && !pe->cfg.vsesr_raz_wi;
	if (pe->cfg.vinject == SS_VINJ_KVM_DELIVER_OR_PEND && ss_pe_el(pe) <= 1 &&
	    !PSTATE_GET(pe, A)) {
		struct ss_condition *c = new_condition(pe, iss, true);
		if (!c)
			return -1;
		uint32_t reported = has_vsesr ? iss : ss_virtual_serror_iss(pe);
		c->disp = SS_DISP_TAKEN;
		c->iss = reported;
		c->exc = pe->nexc + 1;
		c->times_taken = 1;
		SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
		ss_take_exception(pe, obs, 1, SS_CAUSE_VSERROR, true, ss_esr_serror(reported),
				  pe->pc, SS_VEC_SERROR, (int)c->id);
		return (int)c->id;
	}
	if (pe->vcond >= 0) {
		struct ss_condition *old = &pe->cond[pe->vcond];
		if (pe->cfg.vinject == SS_VINJ_COMBINE || !has_vsesr) {
			struct ss_condition *c = new_condition(pe, iss, true);
			if (!c)
				return -1;
			uint32_t both[2] = { (uint32_t)pe->sr[SS_REG_VSESR_EL2] & SS_SERROR_ISS_MASK, iss };
			c->disp = SS_DISP_MERGED;
			c->merged_into = old->id;
			SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
			if (has_vsesr)
				set_vsesr(pe, obs, ss_combine_iss(&pe->cfg, both, 2));
			return (int)c->id;
		}
		end_virtual(pe, SS_DISP_DROPPED, 0, old->iss);
	}
	if (has_vsesr)
		set_vsesr(pe, obs, iss);
	if (!new_virtual(pe, iss, obs))
		return -1;
	set_vse(pe, obs, true);
	return pe->vcond;
}

void ss_lower_serror(struct ss_pe *pe, unsigned line, const struct ss_observer *obs)
{
	if (line >= SS_MAX_LINES || !pe->line_up[line])
		return;
	struct ss_condition *c = &pe->cond[pe->line_cond[line]];
	pe->line_up[line] = false;
	pe->line_cond[line] = -1;
	if (c->disp == SS_DISP_PENDING)
		pe->npending--;
	else if (c->disp == SS_DISP_IN_FLIGHT)
		pe->ninflight--;
	if (c->times_taken)
		c->disp = SS_DISP_TAKEN;
	else if (c->times_deferred)
		c->disp = SS_DISP_DEFERRED;
	else
		c->disp = SS_DISP_WITHDRAWN;
	SS_TRACE(obs, pe, .kind = SS_TR_LOWER, .cycle = pe->cycle, .cond = c, .line = line);
}

unsigned ss_aet_rank(uint32_t iss)
{
	if (!ss_iss_is_architected(iss))
		return 5;
	switch (ss_iss_aet(iss)) {
	case SS_AET_UC:
		return 5;
	case SS_AET_UEU:
		return 4;
	case SS_AET_UER:
		return 3;
	case SS_AET_UEO:
		return 2;
	case SS_AET_CE:
		return 1;
	}
	return 5;	/* reserved encodings: treated as uncontainable */
}

uint32_t ss_combine_iss(const struct ss_config *cfg, const uint32_t *iss, unsigned n)
{
	static const uint64_t by_rank[6] = { SS_AET_CE, SS_AET_CE, SS_AET_UEO, SS_AET_UER, SS_AET_UEU, SS_AET_UC };
	unsigned rank = 0;
	bool ea = false;
	for (unsigned i = 0; i < n; i++) {
		if (!ss_iss_is_architected(iss[i]))
			return cfg->merge_impdef_iss & SS_SERROR_ISS_MASK;
		if (ss_aet_rank(iss[i]) > rank)
			rank = ss_aet_rank(iss[i]);
		ea = ea || SS_GET(ESR_SErr_EA, iss[i]);
	}
	return ss_iss_serror(by_rank[rank], ea);
}

/* Does the policy merge every eligible pending condition into one? */
static bool policy_merges(const struct ss_config *cfg)
{
	return cfg->merge == SS_MERGE_RAS_COMBINE || cfg->merge == SS_MERGE_FIRST_WINS ||
	       cfg->merge == SS_MERGE_LAST_WINS;
}

static bool eligible(const struct ss_condition *c, bool sync_only)
{
	return !c->virt && c->disp == SS_DISP_PENDING && (!sync_only || c->synchronizable);
}

struct ss_condition *ss_oldest_pending(struct ss_pe *pe, bool synchronizable_only)
{
	for (uint32_t i = ss_open_from(pe); pe->npending && i < pe->ncond; i++) {
		struct ss_condition *c = &pe->cond[i];
		if (eligible(c, synchronizable_only))
			return c;
	}
	return NULL;
}

/*
 * The merge policy (knob merge; spec §5, §8.2, §8.3): choose the condition
 * whose syndrome an SError exception or an ESB reports (the representative)
 * and that syndrome, as this PE reports it.  NULL when none is eligible.
 */
static struct ss_condition *pick(struct ss_pe *pe, bool sync_only, uint32_t *iss)
{
	struct ss_condition *rep = NULL;
	uint32_t all[SS_MAX_CONDS];
	unsigned n = 0;
	for (uint32_t i = ss_open_from(pe); pe->npending && i < pe->ncond; i++) {
		struct ss_condition *c = &pe->cond[i];
		if (!eligible(c, sync_only))
			continue;
		all[n++] = ss_physical_iss(pe, c->iss);
		switch (pe->cfg.merge) {
		case SS_MERGE_ONE_AT_A_TIME:
		case SS_MERGE_FIRST_WINS:
			if (!rep)
				rep = c;
			break;
		case SS_MERGE_LAST_WINS:
			rep = c;
			break;
		case SS_MERGE_MOST_SEVERE_FIRST:
		case SS_MERGE_RAS_COMBINE:
			if (!rep || ss_aet_rank(c->iss) > ss_aet_rank(rep->iss))
				rep = c;
			break;
		}
	}
	if (!rep)
		return NULL;
	if (pe->cfg.merge == SS_MERGE_RAS_COMBINE && n > 1)
		*iss = ss_combine_iss(&pe->cfg, all, n);
	else
		*iss = ss_physical_iss(pe, rep->iss);
	return rep;
}

/* Taking clears an edge-triggered condition; a level one stays pending
 * while its source asserts it (ARM-M ISR_EL1.A; spec §1.4). */
static void consume(struct ss_pe *pe, struct ss_condition *c, enum ss_disposition d,
		    uint32_t number, const struct ss_condition *rep)
{
	if (d == SS_DISP_DEFERRED) {
		if (!c->times_deferred)
			c->defer = number;
		c->times_deferred++;
	} else {
		if (!c->times_taken)
			c->exc = number;
		c->times_taken++;
	}
	if (c->trigger == SS_EDGE) {
		c->disp = c == rep ? d : SS_DISP_MERGED;
		c->merged_into = rep->id;
		pe->npending--;
	}
}

/* Consume the representative and, under a merging policy, every other
 * eligible condition with it. */
static void consume_all(struct ss_pe *pe, struct ss_condition *rep, bool sync_only,
			enum ss_disposition d, uint32_t number)
{
	if (policy_merges(&pe->cfg)) {
		for (uint32_t i = ss_open_from(pe); i < pe->ncond; i++) {
			struct ss_condition *c = &pe->cond[i];
			if (c != rep && eligible(c, sync_only))
				consume(pe, c, d, number, rep);
		}
	}
	consume(pe, rep, d, number, rep);
}

/*
 * TakeUnmaskedPhysicalSErrorInterrupts (AArch64.TakePhysicalSErrorException;
 * spec §1.1, §3.1): the merge policy picks what this exception consumes; the
 * conditions it leaves stay pending (RAS-B §2.5.3 item 5).
 */
bool ss_take_physical_serror(struct ss_pe *pe, const struct ss_observer *obs, bool iesb,
			     uint64_t elr)
{
	uint32_t iss;
	if (!pe->npending)
		return false;
	struct ss_serror_route r = ss_physical_serror_target(pe);
	if (r.masked)
		return false;
	struct ss_condition *c = pick(pe, false, &iss);
	/* ESR.IESB = 1: synchronized by the implicit ESB and taken at once;
	 * a condition no ESB can synchronize was not (spec §4.2, A2.2). */
	if (iesb && c->synchronizable && ss_iss_is_architected(iss))
		iss = ss_iss_with_iesb(iss, true);
	consume_all(pe, c, false, SS_DISP_TAKEN, pe->nexc + 1);
	ss_take_exception(pe, obs, r.target_el, SS_CAUSE_PSERROR, true, ss_esr_serror(iss), elr,
			  SS_VEC_SERROR, (int)c->id);
	return true;
}

/* AArch64.TakeVirtualSErrorException: to EL1, VSE cleared (IYPRNB). */
static void take_virtual_serror(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr)
{
	uint32_t iss = ss_virtual_serror_iss(pe);
	ss_sync_virtual(pe, obs);
	int id = pe->vcond;
	end_virtual(pe, SS_DISP_TAKEN, pe->nexc + 1, iss);
	set_vse(pe, obs, false);
	ss_take_exception(pe, obs, 1, SS_CAUSE_VSERROR, true, ss_esr_serror(iss), elr,
			  SS_VEC_SERROR, id);
}

enum async_kind { AK_PSERROR, AK_VSERROR, AK_VIRQ, AK_VFIQ };

static bool async_unmasked(const struct ss_pe *pe, enum async_kind k)
{
	switch (k) {
	case AK_PSERROR:
		return pe->npending && !ss_physical_serror_target(pe).masked;
	case AK_VSERROR:
		return ss_virtual_serror_unmasked(pe);
	case AK_VIRQ:
		return virq_unmasked(pe);
	case AK_VFIQ:
		return vfiq_unmasked(pe);
	}
	return false;
}

/*
 * TakePendingInterrupts at an instruction boundary.  The priority is
 * IMPLEMENTATION DEFINED (ARM-M D1.4.6.5; spec §1.3, §8.4, §8.5): knobs
 * vp_priority and virtual_order choose it.
 */
static bool take_pending_async(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			       bool serror_only);

/*
 * With sysreg_sync = context-sync, sampling sees HCR_EL2 and SCR_EL3 as they
 * were before MSRs not yet followed by a context synchronization event: the
 * decision and the routing use those values; the entry itself synchronizes.
 * A vSError taken from the stale view clears VSE in the live register too.
 */
bool ss_take_pending_async(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			   bool serror_only)
{
	if (!pe->hcr_stale && !pe->scr_stale)
		return take_pending_async(pe, obs, elr, serror_only);
	uint64_t live_hcr = pe->sr[SS_REG_HCR_EL2], live_scr = pe->sr[SS_REG_SCR_EL3];
	uint64_t seen_hcr = pe->hcr_stale ? pe->stale_hcr : live_hcr;
	if (pe->hcr_stale)
		pe->sr[SS_REG_HCR_EL2] = pe->stale_hcr;
	if (pe->scr_stale)
		pe->sr[SS_REG_SCR_EL3] = pe->stale_scr;
	bool taken = take_pending_async(pe, obs, elr, serror_only);
	if (taken && SS_GET(HCR_VSE, seen_hcr) && !HCR(pe, VSE))
		live_hcr = SS_SET(HCR_VSE, live_hcr, 0);
	pe->sr[SS_REG_HCR_EL2] = live_hcr;
	pe->sr[SS_REG_SCR_EL3] = live_scr;
	if (taken)
		ss_context_sync(pe);
	else {
		pe->hcr_stale = pe->hcr_stale && pe->stale_hcr != live_hcr;
		pe->scr_stale = pe->scr_stale && pe->stale_scr != live_scr;
	}
	return taken;
}

static bool take_pending_async(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			       bool serror_only)
{
	/* Fast path: with no physical condition pending, only a virtual
	 * interrupt can be taken, and only at EL0/EL1 when its PSTATE mask
	 * bit is clear. */
	if (!pe->npending) {
		uint64_t h = pe->sr[SS_REG_HCR_EL2], ps = pe->sr[SS_REG_PSTATE];
		if (SS_GET(PSTATE_EL, ps) > 1 ||
		    !(((h & SS_HCR_VSE_MASK) && !(ps & SS_PSTATE_A_MASK)) ||
		      ((h & SS_HCR_VI_MASK) && !(ps & SS_PSTATE_I_MASK)) ||
		      ((h & SS_HCR_VF_MASK) && !(ps & SS_PSTATE_F_MASK))))
			return false;
	}
	enum async_kind order[4];
	unsigned n = 0;
	enum async_kind v1 = pe->cfg.virtual_order == SS_VORDER_FIQ_IRQ_SERROR ? AK_VFIQ : AK_VIRQ;
	enum async_kind v2 = v1 == AK_VFIQ ? AK_VIRQ : AK_VFIQ;

	if (pe->cfg.vp_priority == SS_PRIO_PHYSICAL_FIRST)
		order[n++] = AK_PSERROR;
	if (!serror_only) {
		order[n++] = v1;
		order[n++] = v2;
	}
	order[n++] = AK_VSERROR;
	if (pe->cfg.vp_priority == SS_PRIO_VIRTUAL_FIRST)
		order[n++] = AK_PSERROR;

	for (unsigned i = 0; i < n; i++) {
		if (!async_unmasked(pe, order[i]))
			continue;
		switch (order[i]) {
		case AK_PSERROR:
			return ss_take_physical_serror(pe, obs, false, elr);
		case AK_VSERROR:
			take_virtual_serror(pe, obs, elr);
			return true;
		case AK_VIRQ:
			ss_take_exception(pe, obs, 1, SS_CAUSE_VIRQ, false, 0, elr, SS_VEC_IRQ, -1);
			return true;
		case AK_VFIQ:
			ss_take_exception(pe, obs, 1, SS_CAUSE_VFIQ, false, 0, elr, SS_VEC_FIQ, -1);
			return true;
		}
	}
	return false;
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

/* --- ESB (ARM-M C6.2; spec §4.1) ------------------------------------------ */

static void write_defer(struct ss_pe *pe, const struct ss_observer *obs, enum ss_reg r,
			uint64_t v, const struct ss_condition *c)
{
	uint64_t old = pe->sr[r];
	pe->sr[r] = v;
	SS_TRACE(obs, pe, .kind = SS_TR_DEFER, .cycle = pe->cycle, .reg = r, .value = v,
			      .old = old, .cond = c);
}

bool ss_esb(struct ss_pe *pe, const struct ss_observer *obs)
{
	if (!pe->cfg.ras)	/* ESB is a NOP without FEAT_RAS */
		return false;
	ss_synchronize_errors(pe, obs);

	/* AArch64.ESBOperation: a masked, synchronizable physical SError is
	 * deferred into DISR_EL1 (A=1 + syndrome, IESB=0) and its pending
	 * state cleared (RSFHDS: a non-synchronizable one stays pending). */
	struct ss_serror_route r = ss_physical_serror_target(pe);
	if (r.masked) {
		uint32_t iss;
		struct ss_condition *c = pick(pe, true, &iss);
		if (c) {
			consume_all(pe, c, true, SS_DISP_DEFERRED, ++pe->ndefer);
			write_defer(pe, obs, SS_REG_DISR_EL1, ss_disr_deferred(iss), c);
		}
	}
	bool phys_unmasked = !r.masked && pe->npending;

	/* AArch64.vESBOperation at EL0/EL1 with EL2 enabled: a pending, masked
	 * vSError is deferred into VDISR_EL2 and VSE cleared.  With a physical
	 * SError about to be taken, ARM-M D20.5.1 leaves VSE and VDISR_EL2
	 * unchanged; the pseudocode defers first (spec §9.1, knob esb_vse). */
	if (ss_pe_el(pe) <= 1 && ss_el2_enabled(pe) && ss_virtual_serror_pending(pe) &&
	    PSTATE_GET(pe, A) && !(phys_unmasked && pe->cfg.esb_vse == SS_ESB_VSE_UNCHANGED)) {
		bool defer = !pe->cfg.vsesr_raz_wi || pe->cfg.esb_defers_raz_vserror;
		if (defer) {
			uint64_t v = pe->cfg.vsesr_raz_wi ? ss_vdisr_deferred(0)
							  : ss_vdisr_deferred(pe->sr[SS_REG_VSESR_EL2]);
			ss_sync_virtual(pe, obs);
			const struct ss_condition *vc = pe->vcond >= 0 ? &pe->cond[pe->vcond] : NULL;
			end_virtual(pe, SS_DISP_DEFERRED, ++pe->nvdefer, (uint32_t)v);
			write_defer(pe, obs, SS_REG_VDISR_EL2, v, vc);
			set_vse(pe, obs, false);
		}
	}

	/* TakeUnmaskedSErrorInterrupts: taken before the ESB completes, with
	 * ELR = the ESB (RKNWBN). */
	return ss_take_pending_async(pe, obs, pe->pc, true);
}

/* --- exception return (AArch64.ExceptionReturn; ARM-M D1.x) --------------- */

/*
 * IllegalExceptionReturn: to AArch32 (not modelled: every EL is AArch64-only),
 * to a higher EL, to an EL not implemented, to EL2 when EL2 is not enabled,
 * to EL1 when HCR_EL2.TGE=1, to EL0 with SP_ELx, or a reserved M encoding.
 */
static bool illegal_return(const struct ss_pe *pe, uint64_t spsr)
{
	unsigned el = ss_pe_el(pe);
	unsigned m = (unsigned)SS_GET(SPSR_M, spsr);
	unsigned target = m >> 2;
	if (SS_GET(SPSR_nRW, spsr) || (m & 2))
		return true;
	if (target > el || !ss_have_el(pe, target))
		return true;
	if (target == 2 && !ss_el2_enabled(pe))
		return true;
	if (target == 1 && ss_effective_tge(pe))
		return true;
	if (target == 0 && (m & 1))
		return true;
	return false;
}

void ss_exception_return(struct ss_pe *pe, const struct ss_observer *obs)
{
	unsigned el = ss_pe_el(pe);
	uint64_t spsr = pe->sr[el_reg(el, SS_REG_SPSR_EL1, SS_REG_SPSR_EL2, SS_REG_SPSR_EL3)];
	uint64_t elr = pe->sr[el_reg(el, SS_REG_ELR_EL1, SS_REG_ELR_EL2, SS_REG_ELR_EL3)];
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	bool illegal = illegal_return(pe, spsr);
	const uint64_t flags = SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK | SS_PSTATE_V_MASK |
			       SS_PSTATE_D_MASK | SS_PSTATE_A_MASK | SS_PSTATE_I_MASK | SS_PSTATE_F_MASK |
			       SS_PSTATE_SS_MASK;

	/* Implicit ESB before the return (spec §4.2): an unmasked SError is
	 * taken with ELR = the ERET; ESR.IESB is the eret_iesb choice (RLPKVM). */
	if (ss_iesb_effective(pe, el)) {
		bool taken;
		ss_synchronize_errors(pe, obs);
		pe->iesb_nest++;
		taken = ss_take_physical_serror(pe, obs, pe->cfg.eret_iesb, pe->pc);
		pe->iesb_nest--;
		if (taken)
			return;
	}

	ps = (ps & ~flags) | (spsr & flags);
	if (illegal) {
		ps = SS_SET(PSTATE_IL, ps, 1);	/* EL, SP, nRW unchanged */
	} else {
		ps = SS_SET(PSTATE_IL, ps, SS_GET(SPSR_IL, spsr));
		ps = SS_SET(PSTATE_EL, ps, SS_GET(SPSR_M, spsr) >> 2);
		ps = SS_SET(PSTATE_SP, ps, SS_GET(SPSR_M, spsr) & 1);
		ps = SS_SET(PSTATE_nRW, ps, 0);
	}
	pe->sr[SS_REG_PSTATE] = ps;
	ss_context_sync(pe);	/* so is exception return */
	pe->pc = elr;
	SS_TRACE(obs, pe, .kind = SS_TR_ERET, .cycle = pe->cycle, .from_el = el,
		 .to_el = ss_pe_el(pe), .addr = elr, .illegal = illegal);
}

/* --- system-register access ------------------------------------------------ */

/* ISR_EL1 (ARM-M D24.2.118; spec §3.5, §9.2). */
uint64_t ss_isr_el1(const struct ss_pe *pe)
{
	bool el1 = ss_pe_el(pe) == 1;
	bool a, i = false, f = false;
	if (el1 && ss_effective_amo(pe)) {
		a = HCR(pe, VSE);
		if (pe->cfg.isr_a == SS_ISR_A_VIRTUAL_OR_PHYSICAL)
			a = a || pe->npending;
	} else {
		a = pe->npending > 0;
	}
	if (el1 && effective_imo(pe))
		i = HCR(pe, VI);
	if (el1 && effective_fmo(pe))
		f = HCR(pe, VF);
	return SS_PREP(ISR_A, a) | SS_PREP(ISR_I, i) | SS_PREP(ISR_F, f);
}

enum disr_route { DISR_REAL, DISR_VIRTUAL, DISR_RAZWI };

/* DISR_EL1 accessor (ARM-M D24.9.1; spec §3.3): at EL1 with EL2 enabled and
 * AMO=1 it is VDISR_EL2; below EL3 with SCR_EL3.EA=1 it is RAZ/WI. */
static enum disr_route disr_route(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	if (el == 1 && ss_el2_enabled(pe) && ss_effective_amo(pe))
		return DISR_VIRTUAL;
	if (el < 3 && pe->cfg.el3 && SCR(pe, EA))
		return DISR_RAZWI;
	return DISR_REAL;
}

/* Owner EL of a register: the EL its name ends with (min_el for EL2/EL3). */
static enum ss_access_result access_check(const struct ss_pe *pe, enum ss_reg r, bool write)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return SS_ACC_UNDEFINED;
	const struct ss_sysreg *d = &ss_sysregs[r];
	unsigned el = ss_pe_el(pe);
	if (!d->has_enc)
		return SS_ACC_UNDEFINED;
	if (d->feature == SS_FEAT_RAS && !pe->cfg.ras)
		return SS_ACC_UNDEFINED;
	if (d->feature == SS_FEAT_IESB && !pe->cfg.iesb)
		return SS_ACC_UNDEFINED;
	if (!ss_have_el(pe, d->min_el))
		return SS_ACC_UNDEFINED;
	if (d->min_el > el)
		return SS_ACC_UNDEFINED;
	if (write && d->access == SS_ACCESS_RO)
		return SS_ACC_UNDEFINED;
	/* DAIF at EL0 is trapped to EL1 unless SCTLR_EL1.UMA = 1. */
	if (el == 0 && r == SS_REG_DAIF && !SS_GET(SCTLR_UMA, pe->sr[SS_REG_SCTLR_EL1]))
		return SS_ACC_TRAP;
	return SS_ACC_OK;
}

uint64_t ss_sysreg_value(const struct ss_pe *pe, enum ss_reg r)
{
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	switch (r) {
	case SS_REG_DAIF:
		return ps & (SS_DAIF_D_MASK | SS_DAIF_A_MASK | SS_DAIF_I_MASK | SS_DAIF_F_MASK);
	case SS_REG_NZCV:
		return ps & (SS_NZCV_N_MASK | SS_NZCV_Z_MASK | SS_NZCV_C_MASK | SS_NZCV_V_MASK);
	case SS_REG_CurrentEL:
		return SS_PREP(CurrentEL_EL, ss_pe_el(pe));
	case SS_REG_SPSel:
		return SS_PREP(SPSel_SP, SS_GET(PSTATE_SP, ps));
	case SS_REG_ISR_EL1:
		return ss_isr_el1(pe);
	default:
		return (unsigned)r < SS_REG_COUNT ? pe->sr[r] : 0;
	}
}

enum ss_access_result ss_mrs(const struct ss_pe *pe, enum ss_reg r, uint64_t *value)
{
	enum ss_access_result a = access_check(pe, r, false);
	if (a != SS_ACC_OK)
		return a;
	switch (r) {
	case SS_REG_DAIF:
	case SS_REG_NZCV:
	case SS_REG_CurrentEL:
	case SS_REG_SPSel:
	case SS_REG_ISR_EL1:
		*value = ss_sysreg_value(pe, r);
		break;
	case SS_REG_DISR_EL1:
		switch (disr_route(pe)) {
		case DISR_VIRTUAL:
			*value = pe->sr[SS_REG_VDISR_EL2];
			break;
		case DISR_RAZWI:
			*value = 0;
			break;
		case DISR_REAL:
			*value = pe->sr[SS_REG_DISR_EL1];
			break;
		}
		break;
	case SS_REG_VSESR_EL2:
		*value = pe->cfg.vsesr_raz_wi ? 0 : pe->sr[r];
		break;
	case SS_REG_ID_AA64PFR0_EL1:
		/* A guest whose hypervisor hides FEAT_RAS (guest_ras = off). */
		*value = pe->sr[r];
		if (ss_pe_el(pe) <= 1 && ss_el2_enabled(pe) && !pe->cfg.guest_ras)
			*value = SS_SET(PFR0_RAS, *value, SS_RAS_NI);
		break;
	default:
		*value = pe->sr[r];
		break;
	}
	return SS_ACC_OK;
}

/* RES0/RES1 handling of a written value (spec §9.6, knob res0), plus the
 * fields that are RES0 without their feature. */
uint64_t ss_legalize(const struct ss_pe *pe, enum ss_reg r, uint64_t v)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return v;
	const struct ss_layout *l = ss_sysregs[r].layout;
	if (pe->cfg.res0 == SS_RES0_STORE ||
	    (pe->cfg.res0 == SS_RES0_QEMU && r != SS_REG_HCR_EL2 && r != SS_REG_SCR_EL3))
		return v;
	v = (v & ~l->res0) | l->res1;
	if (r == SS_REG_SCR_EL3 && !pe->cfg.double_fault)
		v &= ~(SS_SCR_NMEA_MASK | SS_SCR_EASE_MASK);
	if (r == SS_REG_SCR_EL3 && !pe->cfg.sel2)
		v &= ~SS_SCR_EEL2_MASK;
	if (r == SS_REG_HCR_EL2 && !pe->cfg.ras)
		v &= ~(SS_HCR_TEA_MASK | SS_HCR_TERR_MASK);
	if ((r == SS_REG_SCTLR_EL1 || r == SS_REG_SCTLR_EL2 || r == SS_REG_SCTLR_EL3) && !pe->cfg.iesb)
		v &= ~SS_SCTLR_IESB_MASK;
	return v;
}

enum ss_access_result ss_msr(struct ss_pe *pe, enum ss_reg r, uint64_t value,
			     const struct ss_observer *obs)
{
	enum ss_access_result a = access_check(pe, r, true);
	enum ss_reg dst = r;
	uint64_t *slot;
	if (a != SS_ACC_OK)
		return a;
	switch (r) {
	case SS_REG_DAIF:
	case SS_REG_NZCV:
	case SS_REG_SPSel: {
		uint64_t mask = r == SS_REG_DAIF ? (SS_DAIF_D_MASK | SS_DAIF_A_MASK | SS_DAIF_I_MASK | SS_DAIF_F_MASK)
			      : r == SS_REG_NZCV ? (SS_NZCV_N_MASK | SS_NZCV_Z_MASK | SS_NZCV_C_MASK | SS_NZCV_V_MASK)
					     : SS_PSTATE_SP_MASK;
		if (r == SS_REG_SPSel)
			value = SS_PREP(PSTATE_SP, SS_GET(SPSel_SP, value));
		dst = SS_REG_PSTATE;
		value = (pe->sr[SS_REG_PSTATE] & ~mask) | (value & mask);
		break;
	}
	case SS_REG_DISR_EL1:
		switch (disr_route(pe)) {
		case DISR_VIRTUAL:
			dst = SS_REG_VDISR_EL2;
			break;
		case DISR_RAZWI:
			return SS_ACC_OK;
		case DISR_REAL:
			break;
		}
		value = ss_legalize(pe, dst, value);
		break;
	case SS_REG_VSESR_EL2:
		if (pe->cfg.vsesr_raz_wi)
			return SS_ACC_OK;
		value = ss_legalize(pe, dst, value);
		break;
	case SS_REG_HCR_EL2:
		/* RW is RAO/WI: EL1 is AArch64-only in this model. */
		value = ss_legalize(pe, dst, value) | SS_HCR_RW_MASK;
		break;
	case SS_REG_SCR_EL3:
		value = ss_legalize(pe, dst, value) | SS_SCR_RW_MASK;
		break;
	default:
		value = ss_legalize(pe, dst, value);
		break;
	}
	slot = &pe->sr[dst];
	if (pe->cfg.sysreg_sync == SS_SYNC_CONTEXT) {
		if (dst == SS_REG_HCR_EL2 && !pe->hcr_stale) {
			pe->hcr_stale = true;
			pe->stale_hcr = *slot;
		} else if (dst == SS_REG_SCR_EL3 && !pe->scr_stale) {
			pe->scr_stale = true;
			pe->stale_scr = *slot;
		}
	}
	uint64_t old = *slot;
	*slot = value;
	SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = dst, .value = value,
		 .old = old);
	if (dst == SS_REG_HCR_EL2)	/* VSE 0->1 injects, 1->0 withdraws a vSError */
		ss_sync_virtual(pe, obs);
	return SS_ACC_OK;
}

/* --- reset, checks, ledger ------------------------------------------------- */

/* The ID registers follow the features (ARM-M D24.2: RAS, IESB, ELx). */
void ss_set_id_registers(struct ss_pe *pe)
{
	const struct ss_config *cfg = &pe->cfg;
	pe->sr[SS_REG_ID_AA64PFR0_EL1] =
		SS_PREP(PFR0_EL0, SS_IDFEAT_IMP) | SS_PREP(PFR0_EL1, SS_IDFEAT_IMP) |
		SS_PREP(PFR0_EL2, cfg->el2 ? SS_IDFEAT_IMP : SS_IDFEAT_NI) |
		SS_PREP(PFR0_EL3, cfg->el3 ? SS_IDFEAT_IMP : SS_IDFEAT_NI) |
		SS_PREP(PFR0_RAS, !cfg->ras ? SS_RAS_NI : cfg->double_fault ? SS_RAS_V1P1 : SS_RAS_IMP) |
		SS_PREP(PFR0_SEL2, cfg->sel2);
	pe->sr[SS_REG_ID_AA64MMFR2_EL1] = SS_PREP(MMFR2_IESB, cfg->iesb ? SS_IDFEAT_IMP : SS_IDFEAT_NI);
}

void ss_pe_reset(struct ss_pe *pe, const struct ss_config *cfg)
{
	memset(pe, 0, sizeof *pe);
	pe->cfg = *cfg;
	for (unsigned i = 0; i < SS_REG_COUNT; i++)
		pe->sr[i] = ss_sysregs[i].reset;
	ss_set_id_registers(pe);
	for (unsigned i = 0; i < SS_MAX_LINES; i++)
		pe->line_cond[i] = -1;
	pe->vcond = -1;
	pe->stop = SS_RUNNING;
}

const char *ss_pe_check(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	if (!ss_have_el(pe, el))
		return el == 3 ? "PSTATE.EL is 3 but EL3 is not implemented (el3 = off)"
			       : "PSTATE.EL is 2 but EL2 is not implemented (el2 = off)";
	if (el == 2 && !ss_el2_enabled(pe))
		return "PSTATE.EL is 2 but EL2 is not enabled in the current Security state (SCR_EL3.NS = 0)";
	if (el == 0 && SS_GET(PSTATE_SP, ps))
		return "PSTATE.SP is 1 at EL0: EL0 has only SP_EL0";
	if (SS_GET(PSTATE_nRW, ps))
		return "PSTATE.nRW is 1: AArch32 execution is not modelled";
	if (el <= 1 && ss_el2_enabled(pe) && !HCR(pe, RW))
		return "HCR_EL2.RW is 0: EL1 in AArch32 is not modelled";
	if (el <= 2 && pe->cfg.el3 && !SCR(pe, RW))
		return "SCR_EL3.RW is 0: a lower EL in AArch32 is not modelled";
	if (ps & SS_PSTATE_RES0)
		return "PSTATE has bits set outside its fields";
	return NULL;
}

void ss_pe_set_program(struct ss_pe *pe, const struct ss_program *prog)
{
	pe->prog = prog;
}

const char *ss_ledger_check(const struct ss_pe *pe)
{
	uint32_t pending = 0, inflight = 0, vpending = 0;
	for (uint32_t i = 0; i < pe->ncond; i++) {
		const struct ss_condition *c = &pe->cond[i];
		const struct ss_condition *rep;
		if (c->id != i)
			return "a condition's id does not match its place in the ledger";
		switch (c->disp) {
		case SS_DISP_IN_FLIGHT:
			if (c->virt)
				return "a virtual condition is in flight";
			inflight++;
			break;
		case SS_DISP_PENDING:
			if (c->virt) {
				vpending++;
				if ((int)i != pe->vcond)
					return "a virtual condition is pending but is not the current one";
				break;
			}
			pending++;
			if (c->trigger == SS_EDGE && (c->times_taken || c->times_deferred))
				return "an edge-triggered condition is pending after being taken or deferred";
			break;
		case SS_DISP_TAKEN:
			if (!c->times_taken || c->exc == 0 || c->exc > pe->nexc)
				return "a condition is TAKEN without a valid exception number";
			break;
		case SS_DISP_DEFERRED:
			if (!c->times_deferred || c->defer == 0 ||
			    c->defer > (c->virt ? pe->nvdefer : pe->ndefer))
				return "a condition is DEFERRED without a valid deferral number";
			if (c->trigger == SS_EDGE && c->times_taken)
				return "an edge-triggered condition was both taken and deferred";
			break;
		case SS_DISP_MERGED:
			/* Follow the chain (a migrated vSError may move twice). */
			rep = c;
			for (uint32_t hops = 0; rep->disp == SS_DISP_MERGED; hops++) {
				if (rep->merged_into >= pe->ncond || rep->merged_into == rep->id ||
				    hops > pe->ncond)
					return "a MERGED condition does not name the condition it merged into";
				rep = &pe->cond[rep->merged_into];
			}
			if (rep->virt != c->virt || rep->disp == SS_DISP_IN_FLIGHT)
				return "a MERGED condition names a condition that cannot have taken it";
			break;
		case SS_DISP_WITHDRAWN:
			if (c->virt ? (c->times_taken || c->times_deferred)
				    : (c->trigger != SS_LEVEL || c->times_taken || c->times_deferred))
				return "a condition is WITHDRAWN but was taken or deferred";
			break;
		case SS_DISP_DROPPED:
			if (!c->virt)
				return "a physical condition is DROPPED";
			break;
		default:
			return "a condition has no valid disposition";
		}
		if (c->trigger == SS_EDGE && c->times_taken > 1)
			return "an edge-triggered condition was taken more than once";
	}
	if (pending != pe->npending || inflight != pe->ninflight)
		return "the pending/in-flight counters disagree with the ledger";
	if (vpending != (pe->vcond >= 0 ? 1u : 0u))
		return "the current virtual condition disagrees with the ledger";
	uint64_t total = pe->ncond;
	for (unsigned d = 0; d < SS_DISP_COUNT; d++) {
		if (!is_final((enum ss_disposition)d) && pe->retired[d])
			return "an open condition was compacted out of the ledger";
		total += pe->retired[d];
	}
	if (total != pe->nraised)
		return "the ledger does not account for every condition raised";
	return NULL;
}

uint64_t ss_ledger_count(const struct ss_pe *pe, enum ss_disposition d)
{
	uint64_t n = (unsigned)d < SS_DISP_COUNT ? pe->retired[d] : 0;
	for (uint32_t i = 0; i < pe->ncond; i++)
		n += pe->cond[i].disp == d;
	return n;
}

const char *ss_disposition_name(enum ss_disposition d)
{
	static const char *const names[] = { "in-flight", "pending", "taken", "deferred", "merged",
					     "withdrawn", "dropped" };
	return (unsigned)d < sizeof names / sizeof names[0] ? names[d] : "?";
}

const char *ss_cause_name(enum ss_cause c)
{
	static const char *const names[SS_CAUSE_COUNT] = {
		"pserror", "vserror", "virq", "vfiq", "undef", "svc", "hvc", "smc",
		"sysreg_trap", "wfi_trap", "illegal_state",
	};
	return (unsigned)c < SS_CAUSE_COUNT ? names[c] : "?";
}

const char *ss_stop_name(enum ss_stop s)
{
	static const char *const names[] = { "running", "end", "watchdog", "deadlock",
					     "no_code", "limit", "bad_state" };
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}
