/*
 * entry.c - exception entry and return: AArch64.TakeException, the taking of
 * pending asynchronous exceptions at a boundary, AArch64.ExceptionReturn.
 * Pure: no I/O.
 */
#include "internal.h"

#include <string.h>

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
		return lower_a32 ? SS_VEC_LOWER_A32 : SS_VEC_LOWER_A64;
	}
	return PSTATE_GET(pe, SP) ? SS_VEC_CURR_SPX : SS_VEC_CURR_SP0;
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
	struct ss_condition *c = ss_merge_pick(pe, false, &iss);
	/* ESR.IESB = 1: synchronized by the implicit ESB and taken at once;
	 * a condition no ESB can synchronize was not (spec §4.2, A2.2). */
	if (iesb && c->synchronizable && ss_iss_is_architected(iss))
		iss = ss_iss_with_iesb(iss, true);
	ss_merge_consume(pe, c, false, SS_DISP_TAKEN, pe->nexc + 1);
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
	ss_end_virtual(pe, SS_DISP_TAKEN, pe->nexc + 1, iss);
	ss_set_vse(pe, obs, false);
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
		return ss_virq_unmasked(pe);
	case AK_VFIQ:
		return ss_vfiq_unmasked(pe);
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
