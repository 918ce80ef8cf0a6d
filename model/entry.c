/*
 * entry.c - exception entry and return: AArch64.TakeException, the taking of
 * pending asynchronous exceptions at a boundary, AArch64.ExceptionReturn.
 * Pure: no I/O.
 */
#include "internal.h"

/* --- exception entry ------------------------------------------------------- */

/* The registers of an exception level (EL0: EL1's), indexed by EL & 3. */
static const struct el_regs {
	enum ss_reg esr, far, elr, spsr, vbar, sctlr;
} el_regs[4] = {
#define EL_REGS(n) { SS_REG_ESR_EL##n, SS_REG_FAR_EL##n, SS_REG_ELR_EL##n, SS_REG_SPSR_EL##n, \
		     SS_REG_VBAR_EL##n, SS_REG_SCTLR_EL##n }
	EL_REGS(1), EL_REGS(1), EL_REGS(2), EL_REGS(3)
#undef EL_REGS
};

#define SS_MAX_IESB_NEST 8

static inline bool is_synchronous(enum ss_cause c)
{
	return c != SS_CAUSE_PSERROR && c != SS_CAUSE_VSERROR && c != SS_CAUSE_VIRQ &&
	       c != SS_CAUSE_VFIQ && c != SS_CAUSE_IRQ && c != SS_CAUSE_FIQ;
}

static bool take_physical_serror(struct ss_pe *pe, const struct ss_observer *obs, bool iesb,
				 uint64_t elr, const struct ss_controls *v);
static bool iesb_before_applies(const struct ss_pe *pe, unsigned to, uint64_t scr);

/* ss_iesb_in_effect (route.c), its commonest answer first: without
 * FEAT_DoubleFault and FEAT_DoubleFault2, not in effect when SCTLR_ELx.IESB
 * = 0. */
static inline bool iesb_in_effect(const struct ss_pe *pe, uint64_t scr, unsigned el)
{
	if (!pe->cfg.double_fault && !pe->cfg.double_fault2 && el >= 1 && el <= 3 &&
	    !SS_GET(SCTLR_IESB, pe->sr[el_regs[el].sctlr]))
		return false;
	return ss_iesb_in_effect(pe, scr, el);
}

/* The implicit ESB after the entry (below): out of the entry's common
 * path. */
static __attribute__((noinline)) void iesb_after_entry(struct ss_pe *pe, const struct ss_observer *obs,
							uint64_t hcr, uint64_t scr)
{
	struct ss_controls after;
	ss_controls_from(&after, &pe->cfg, pe->sr[SS_REG_PSTATE], hcr, scr, pe->sr);
	pe->iesb_nest++;
	ss_synchronize_errors(pe, obs);
	take_physical_serror(pe, obs, true, pe->pc, &after);
	pe->iesb_nest--;
}

/*
 * AArch64.TakeException (Arm ARM J1.1.2.35): ESR (for synchronous exceptions
 * and SErrors), ELR = preferred return address, SPSR = PSTATE,
 * PSTATE.{EL,SP,nRW,IL,SS} and D,A,I,F = 1111, PC = VBAR + offset.  With the
 * implicit ESB of the target EL (FEAT_IESB, Arm ARM D20.5.3), errors are then
 * synchronized and an SError that is still unmasked is taken with
 * ESR.IESB = 1 and ELR = this exception's vector.  The vector group and the
 * routing of that SError use the controls the exception was sampled with.
 */
static inline __attribute__((always_inline)) void take_exception(struct ss_pe *pe,
								  const struct ss_observer *obs,
								  const struct ss_exc_req *req,
								  bool quick)
{
	unsigned from = ss_pe_el(pe), to = req->to;
	uint64_t hcr = req->seen ? req->seen->hcr : pe->sr[SS_REG_HCR_EL2];
	uint64_t scr = req->seen ? req->seen->scr : pe->sr[SS_REG_SCR_EL3];

	/* With a barrier inserted before the entry, the ASL clears sync_errors:
	 * no implicit ESB after it (AArch64.TakeException, Arm ARM J1.1.2.35). */
	bool inserted = false;
	if (!quick && __builtin_expect(pe->cfg.iesb_before_exception, 0)) {
		inserted = is_synchronous(req->cause) && iesb_before_applies(pe, to, scr);
		if (inserted && ss_insert_iesb_before_exception(pe, obs, to, hcr, scr))
			return;
	}
	uint64_t old = pe->sr[SS_REG_PSTATE];
	uint64_t off = ss_vector_group(old, hcr, scr, from, to) + req->vec;
	uint64_t ps = old;

	const struct el_regs *r = &el_regs[to & 3];
	if (req->has_esr)
		pe->sr[r->esr] = req->esr;
	if (__builtin_expect(req->has_far, 0))	/* AArch64.ReportException */
		pe->sr[r->far] = req->far;
	pe->sr[r->elr] = req->elr;
	pe->sr[r->spsr] = old & ~SS_SPSR_RES0;

	ps = SS_SET(PSTATE_EL, ps, to);
	ps = SS_SET(PSTATE_SP, ps, 1);
	ps = SS_SET(PSTATE_nRW, ps, 0);
	ps = SS_SET(PSTATE_IL, ps, 0);
	ps = SS_SET(PSTATE_SS, ps, 0);
	ps |= SS_PSTATE_D_MASK | SS_PSTATE_A_MASK | SS_PSTATE_I_MASK | SS_PSTATE_F_MASK;
	pe->sr[SS_REG_PSTATE] = ps;
	pe->pc = pe->sr[r->vbar] + off;
	pe->asleep = false;
	ss_add_cycles(pe, pe->cfg.timing.exception_entry);

	/* Every field is assigned: no need to clear the record first. */
	struct ss_exception *x = &pe->last_exc;
	x->number = ++pe->nexc;
	x->cause = req->cause;
	x->from_el = from;
	x->to_el = to;
	x->vector = pe->pc;
	x->offset = off;
	x->has_esr = req->has_esr;
	x->esr = req->has_esr ? req->esr : 0;
	x->elr = req->elr;
	x->spsr = old & ~SS_SPSR_RES0;
	x->iesb = pe->iesb_nest > 0;
	x->cond = req->cond ? (int)req->cond->id : -1;
	x->cycle = pe->cycle;
	SS_TRACE(obs, pe, .kind = SS_TR_EXCEPTION, .cycle = pe->cycle, .exc = x);
	/* Exception entry is a context synchronization event, unless
	 * FEAT_ExS and SCTLR_ELx.EIS = 0 of the target EL say otherwise. */
	if (!quick && __builtin_expect(pe->hcr_stale || pe->scr_stale, 0) &&
	    ss_exs_synchronizes(pe, to, true))
		ss_context_sync(pe);

	if (!quick && __builtin_expect(iesb_in_effect(pe, scr, to), 0) && !inserted &&
	    pe->iesb_nest < SS_MAX_IESB_NEST)
		iesb_after_entry(pe, obs, hcr, scr);
}

void ss_take_exception(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_exc_req *req)
{
	take_exception(pe, obs, req, false);
}

/* Given ss_entry_quick_cfg, nothing around the entry to (the return from)
 * EL 'to' but the entry itself: no MSR waiting for the context
 * synchronization it is, no implicit ESB after (before) it. */
static inline bool entry_is_quick_now(const struct ss_pe *pe, unsigned to)
{
	return !pe->hcr_stale && !pe->scr_stale && !SS_GET(SCTLR_IESB, pe->sr[el_regs[to & 3].sctlr]);
}

/* Nothing around the entry to EL 'to' but the entry itself: no observer, no
 * barrier inserted before it (knob iesb_before_exception), no MSR waiting
 * for the context synchronization it is, no implicit ESB after it. */
static inline bool entry_is_quick(const struct ss_pe *pe, const struct ss_observer *obs, unsigned to)
{
	return !obs && ss_entry_quick_cfg(pe) && entry_is_quick_now(pe, to);
}

static __attribute__((noinline)) void take_hvc_full(struct ss_pe *pe, const struct ss_observer *obs,
						     uint64_t esr, uint64_t elr)
{
	take_exception(pe, obs, &(struct ss_exc_req){ .to = 2, .cause = SS_CAUSE_HVC, .has_esr = true,
			       .esr = esr, .elr = elr, .vec = SS_VEC_SYNC }, false);
}

/* The HVC exception to EL2 (the fast engine's where HVC is enabled), with
 * the entry specialised for it: a leaf function when the entry is quick. */
void ss_take_hvc(struct ss_pe *pe, const struct ss_observer *obs, uint64_t esr, uint64_t elr)
{
	if (!entry_is_quick(pe, obs, 2)) {
		take_hvc_full(pe, obs, esr, elr);
		return;
	}
	take_exception(pe, NULL, &(struct ss_exc_req){ .to = 2, .cause = SS_CAUSE_HVC, .has_esr = true,
			       .esr = esr, .elr = elr, .vec = SS_VEC_SYNC }, true);
}

static inline __attribute__((always_inline)) void take_hvc_cfg_quick(struct ss_pe *pe,
								      const struct ss_observer *obs,
								      uint64_t esr, uint64_t elr)
{
	if (!entry_is_quick_now(pe, 2)) {
		take_hvc_full(pe, obs, esr, elr);
		return;
	}
	take_exception(pe, obs, &(struct ss_exc_req){ .to = 2, .cause = SS_CAUSE_HVC, .has_esr = true,
			       .esr = esr, .elr = elr, .vec = SS_VEC_SYNC }, true);
}

void ss_take_hvc_cfg_quick(struct ss_pe *pe, uint64_t esr, uint64_t elr)
{
	take_hvc_cfg_quick(pe, NULL, esr, elr);
}

/* The same with an observer: the quick body traces the entry as the full
 * one does. */
void ss_take_hvc_cfg_quick_traced(struct ss_pe *pe, const struct ss_observer *obs, uint64_t esr,
				  uint64_t elr)
{
	take_hvc_cfg_quick(pe, obs, esr, elr);
}

static bool iesb_before_applies(const struct ss_pe *pe, unsigned to, uint64_t scr)
{
	return pe->cfg.iesb_before_exception && iesb_in_effect(pe, scr, to) && pe->iesb_nest == 0;
}

/* InsertIESBBeforeException (AArch64.TakeException): an IMPLEMENTATION
 * DEFINED choice to synchronize errors before a synchronous exception and
 * take an unmasked SError instead, with ESR.IESB = 0 and ELR = the
 * instruction (which has not completed). */
bool ss_insert_iesb_before_exception(struct ss_pe *pe, const struct ss_observer *obs, unsigned to,
				     uint64_t hcr, uint64_t scr)
{
	if (!iesb_before_applies(pe, to, scr))
		return false;
	struct ss_controls now;
	ss_synchronize_errors(pe, obs);
	ss_controls_from(&now, &pe->cfg, pe->sr[SS_REG_PSTATE], hcr, scr, pe->sr);
	return take_physical_serror(pe, obs, false, pe->pc, &now);
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
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = ss_sync_target(pe), .cause = SS_CAUSE_UNDEF,
				     .has_esr = true, .esr = ss_esr_unknown(), .elr = pe->pc,
				     .vec = SS_VEC_SYNC });
}

/* --- taking pending asynchronous exceptions --------------------------------- */

/*
 * TakeUnmaskedPhysicalSErrorInterrupts (AArch64.TakePhysicalSErrorException,
 * Arm ARM J1.1.2.18), routed and masked as the controls v say: the merge
 * policy picks what this exception consumes; the conditions it leaves stay
 * pending (RAS spec 2.5.3 item 5).
 */
static bool take_physical_serror(struct ss_pe *pe, const struct ss_observer *obs, bool iesb,
				 uint64_t elr, const struct ss_controls *v)
{
	uint32_t iss;
	if (!pe->npending || v->pserror.masked)
		return false;
	struct ss_condition *c = ss_merge_pick(pe, false, &iss);
	/* ESR.IESB = 1: synchronized by the implicit ESB and taken at once;
	 * a condition no ESB can synchronize was not (Arm ARM D20.5.3; FEAT_IESB
	 * in A2.2). */
	if (iesb && c->synchronizable && ss_iss_is_architected(iss))
		iss = ss_iss_with_iesb(iss, true);
	ss_merge_consume(pe, c, false, SS_DISP_TAKEN, pe->nexc + 1);
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = v->pserror.target_el,
				     .cause = SS_CAUSE_PSERROR, .has_esr = true,
				     .esr = ss_esr_serror(iss), .elr = elr, .vec = SS_VEC_SERROR,
				     .cond = c, .seen = v });
	return true;
}

/* ClearPendingVirtualSError() (Arm ARM IYPRNB): VSE cleared in the live
 * HCR_EL2; the write is reported on the value sampling saw (v->hcr). */
static void clear_pending_virtual_serror(struct ss_pe *pe, const struct ss_observer *obs,
					 const struct ss_controls *v)
{
	uint64_t value = SS_SET(HCR_VSE, v->hcr, 0);
	pe->sr[SS_REG_HCR_EL2] = SS_SET(HCR_VSE, pe->sr[SS_REG_HCR_EL2], 0);
	if (value != v->hcr)
		SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = SS_REG_HCR_EL2,
			 .value = value, .old = v->hcr);
}

/* AArch64.TakeVirtualSErrorException (Arm ARM J1.1.2.21): to EL1, VSE
 * cleared (IYPRNB). */
static inline __attribute__((always_inline)) void
take_virtual_serror_with(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			 const struct ss_controls *v, bool quick)
{
	uint32_t iss = ss_vserror_iss(pe);
	bool vse = SS_GET(HCR_VSE, v->hcr);
	if ((pe->vcond >= 0) != vse)	/* else in line already (ss_sync_virtual_vse) */
		ss_sync_virtual_vse(pe, obs, vse);
	const struct ss_condition *c = pe->vcond >= 0 ? &pe->cond[pe->vcond] : NULL;
	ss_end_virtual_inline(pe, SS_DISP_TAKEN, pe->nexc + 1, iss);
	clear_pending_virtual_serror(pe, obs, v);
	take_exception(pe, obs, &(struct ss_exc_req){ .to = 1, .cause = SS_CAUSE_VSERROR,
				     .has_esr = true, .esr = ss_esr_serror(iss), .elr = elr,
				     .vec = SS_VEC_SERROR, .cond = c, .seen = v }, quick);
}

static void take_virtual_serror(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
				const struct ss_controls *v)
{
	take_virtual_serror_with(pe, obs, elr, v, false);
}

/* The same with nothing around the entry to EL1 and no observer
 * (entry_is_quick). */
static __attribute__((noinline)) void take_virtual_serror_quick(struct ss_pe *pe, uint64_t elr,
								 const struct ss_controls *v)
{
	take_virtual_serror_with(pe, NULL, elr, v, true);
}

enum async_kind { AK_PSERROR, AK_VSERROR, AK_VIRQ, AK_VFIQ, AK_PIRQ, AK_PFIQ };

static bool async_unmasked(const struct ss_pe *pe, const struct ss_controls *v,
			   enum async_kind k)
{
	switch (k) {
	case AK_PSERROR:
		return pe->npending && !v->pserror.masked;
	case AK_VSERROR:
		return v->vunmasked & SS_VINT_SERROR;
	case AK_VIRQ:
		return v->vunmasked & SS_VINT_IRQ;
	case AK_VFIQ:
		return v->vunmasked & SS_VINT_FIQ;
	case AK_PIRQ:
		return pe->intr_up[SS_INTR_IRQ] && !v->pintr[SS_INTR_IRQ].masked;
	case AK_PFIQ:
		return pe->intr_up[SS_INTR_FIQ] && !v->pintr[SS_INTR_FIQ].masked;
	}
	return false;
}

/* The physical group in the order of the knob physical_order (the SError
 * alone at an ESB); returns how many. */
static unsigned physical_group(const struct ss_pe *pe, bool serror_only, enum async_kind *out)
{
	static const enum async_kind orders[][3] = {
		[SS_PORDER_SERROR_FIQ_IRQ] = { AK_PSERROR, AK_PFIQ, AK_PIRQ },
		[SS_PORDER_SERROR_IRQ_FIQ] = { AK_PSERROR, AK_PIRQ, AK_PFIQ },
		[SS_PORDER_FIQ_IRQ_SERROR] = { AK_PFIQ, AK_PIRQ, AK_PSERROR },
		[SS_PORDER_IRQ_FIQ_SERROR] = { AK_PIRQ, AK_PFIQ, AK_PSERROR },
	};
	if (serror_only) {
		out[0] = AK_PSERROR;
		return 1;
	}
	unsigned o = (unsigned)pe->cfg.physical_order < sizeof orders / sizeof orders[0]
			     ? (unsigned)pe->cfg.physical_order : 0;
	for (unsigned i = 0; i < 3; i++)
		out[i] = orders[o][i];
	return 3;
}

/*
 * AArch64.TakePhysicalIRQException / AArch64.TakePhysicalFIQException (Arm
 * ARM, the A64 exception-taking ASL): to the target of the routing
 * (model/irq.c), vector offset 0x080 (0x100), no syndrome: ESR_ELx is not
 * written.  The line stays asserted: the interrupt stays pending until the
 * controller deasserts it.
 */
static void take_physical_intr(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			       const struct ss_controls *v, enum ss_intr k)
{
	pe->nintr_taken[k]++;
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = v->pintr[k].target_el,
				     .cause = k == SS_INTR_IRQ ? SS_CAUSE_IRQ : SS_CAUSE_FIQ,
				     .elr = elr, .vec = k == SS_INTR_IRQ ? SS_VEC_IRQ : SS_VEC_FIQ,
				     .seen = v });
}

/*
 * TakePendingInterrupts at an instruction boundary, with the controls v.
 * The priority is IMPLEMENTATION DEFINED (Arm ARM D1.4.6.5; at an ESB, the
 * order of an unmasked vSError and physical SError too, D20.5.1): knob
 * vp_priority puts the physical group (SError, IRQ, FIQ in the order of
 * knob physical_order) before or after the virtual one (vIRQ, vFIQ in the
 * order of knob virtual_order, then vSError).
 */
static bool take_pending_async(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			       bool serror_only, const struct ss_controls *v)
{
	enum async_kind order[6];
	unsigned n = 0;
	enum async_kind v1 = pe->cfg.virtual_order == SS_VORDER_FIQ_IRQ_SERROR ? AK_VFIQ : AK_VIRQ;
	enum async_kind v2 = v1 == AK_VFIQ ? AK_VIRQ : AK_VFIQ;

	if (pe->cfg.vp_priority == SS_PRIO_PHYSICAL_FIRST)
		n += physical_group(pe, serror_only, &order[n]);
	if (!serror_only) {
		order[n++] = v1;
		order[n++] = v2;
	}
	order[n++] = AK_VSERROR;
	if (pe->cfg.vp_priority == SS_PRIO_VIRTUAL_FIRST)
		n += physical_group(pe, serror_only, &order[n]);

	for (unsigned i = 0; i < n; i++) {
		if (!async_unmasked(pe, v, order[i]))
			continue;
		switch (order[i]) {
		case AK_PSERROR:
			return take_physical_serror(pe, obs, false, elr, v);
		case AK_VSERROR:
			take_virtual_serror(pe, obs, elr, v);
			return true;
		case AK_VIRQ:
			ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = 1, .cause = SS_CAUSE_VIRQ,
						     .elr = elr, .vec = SS_VEC_IRQ, .seen = v });
			return true;
		case AK_VFIQ:
			ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = 1, .cause = SS_CAUSE_VFIQ,
						     .elr = elr, .vec = SS_VEC_FIQ, .seen = v });
			return true;
		case AK_PIRQ:
			take_physical_intr(pe, obs, elr, v, SS_INTR_IRQ);
			return true;
		case AK_PFIQ:
			take_physical_intr(pe, obs, elr, v, SS_INTR_FIQ);
			return true;
		}
	}
	return false;
}

/*
 * Sampling at a boundary sees PSTATE and, with sysreg_sync = context-sync,
 * HCR_EL2 and SCR_EL3 as they were before MSRs not yet followed by a context
 * synchronization event (Arm ARM D1.4.6.5; pe->stale_hcr, pe->stale_scr).
 * The decision, the routing and the entry use those values; the entry then
 * synchronizes.  A stale value no longer differing from the live one stops
 * being stale.
 */
static bool take_sampled(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			 bool serror_only, uint64_t ps, uint64_t hcr, uint64_t scr)
{
	struct ss_controls v;
	ss_controls_from(&v, &pe->cfg, ps, hcr, scr, pe->sr);
	return take_pending_async(pe, obs, elr, serror_only, &v);
}

bool ss_take_pending_async_with(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
				const struct ss_controls *v)
{
	/* The commonest case first: with the virtual group first
	 * (vp_priority), a vSError alone among the virtual interrupts is
	 * taken whatever is pending physically. */
	if (pe->cfg.vp_priority == SS_PRIO_VIRTUAL_FIRST && v->vunmasked == SS_VINT_SERROR) {
		if (entry_is_quick(pe, obs, 1))
			take_virtual_serror_quick(pe, elr, v);
		else
			take_virtual_serror(pe, obs, elr, v);
		return true;
	}
	return take_pending_async(pe, obs, elr, false, v);
}

bool ss_take_pending_async_sampled(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
				   bool serror_only)
{
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	uint64_t hcr = pe->hcr_stale ? pe->stale_hcr : pe->sr[SS_REG_HCR_EL2];
	uint64_t scr = pe->scr_stale ? pe->stale_scr : pe->sr[SS_REG_SCR_EL3];
	/* Most boundaries: nothing is pending that could be taken. */
	if ((pe->npending || pe->intr_up[SS_INTR_IRQ] || pe->intr_up[SS_INTR_FIQ] ||
	     ss_vint_unmasked(&pe->cfg, ps, hcr, scr, pe->sr[SS_REG_HCRX_EL2])) &&
	    take_sampled(pe, obs, elr, serror_only, ps, hcr, scr))
		return true;
	if (pe->hcr_stale || pe->scr_stale) {
		pe->hcr_stale = pe->hcr_stale && pe->stale_hcr != pe->sr[SS_REG_HCR_EL2];
		pe->scr_stale = pe->scr_stale && pe->stale_scr != pe->sr[SS_REG_SCR_EL3];
	}
	return false;
}



/* --- exception return (AArch64.ExceptionReturn) ----------------------------- */

/*
 * IllegalExceptionReturn: to AArch32 (not modelled: every EL is AArch64-only),
 * to a higher EL, to an EL not implemented, to EL2 when EL2 is not enabled,
 * to EL1 when HCR_EL2.TGE=1, to EL0 with SP_ELx, or a reserved M encoding.
 */
static inline bool illegal_return(const struct ss_pe *pe, uint64_t spsr, unsigned el)
{
	unsigned m = (unsigned)SS_GET(SPSR_M, spsr);
	unsigned target = m >> 2;
	if (SS_GET(SPSR_nRW, spsr) || (m & 2) || target > el)
		return true;
	switch (target) {
	case 0:
		return m & 1;	/* EL0 with SP_ELx */
	case 1:			/* (ss_effective_tge) */
		return HCR(pe, TGE) && ss_el2_enabled_with(&pe->cfg, pe->sr[SS_REG_SCR_EL3]);
	case 2:			/* (ss_have_el, EL2Enabled) */
		return !ss_el2_enabled_with(&pe->cfg, pe->sr[SS_REG_SCR_EL3]);
	default:
		return !pe->cfg.el3;
	}
}

static __attribute__((noinline)) bool iesb_before_return(struct ss_pe *pe,
							  const struct ss_observer *obs)
{
	struct ss_controls v;
	bool taken;
	ss_synchronize_errors(pe, obs);
	ss_controls_live(&v, pe);
	pe->iesb_nest++;
	taken = take_physical_serror(pe, obs, pe->cfg.eret_iesb, pe->pc, &v);
	pe->iesb_nest--;
	return taken;
}

/* AArch64.ExceptionReturn from EL el (the current one). */
static inline __attribute__((always_inline)) void exception_return_at(struct ss_pe *pe,
								       const struct ss_observer *obs,
								       bool quick, unsigned el)
{
	uint64_t spsr = pe->sr[el_regs[el].spsr];
	uint64_t elr = pe->sr[el_regs[el].elr];
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	bool illegal = illegal_return(pe, spsr, el);
	const uint64_t flags = SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK | SS_PSTATE_V_MASK |
			       SS_PSTATE_D_MASK | SS_PSTATE_A_MASK | SS_PSTATE_I_MASK | SS_PSTATE_F_MASK |
			       SS_PSTATE_SS_MASK;

	/* Implicit ESB before the return (FEAT_IESB, Arm ARM D20.5.3): an
	 * unmasked SError is taken with ELR = the ERET; ESR.IESB is the
	 * eret_iesb choice (RLPKVM). */
	if (!quick && __builtin_expect(iesb_in_effect(pe, pe->sr[SS_REG_SCR_EL3], el), 0) &&
	    iesb_before_return(pe, obs))
		return;

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
	/* So is exception return, unless FEAT_ExS and SCTLR_ELx.EOS = 0 of
	 * the EL the ERET was executed at. */
	if (!quick && __builtin_expect(pe->hcr_stale || pe->scr_stale, 0) &&
	    ss_exs_synchronizes(pe, el, false))
		ss_context_sync(pe);
	pe->pc = elr;
	SS_TRACE(obs, pe, .kind = SS_TR_ERET, .cycle = pe->cycle, .from_el = el,
		 .to_el = ss_pe_el(pe), .addr = elr, .illegal = illegal);
}

static inline __attribute__((always_inline)) void exception_return(struct ss_pe *pe,
								    const struct ss_observer *obs,
								    bool quick)
{
	exception_return_at(pe, obs, quick, ss_pe_el(pe));
}

static __attribute__((noinline)) void exception_return_full(struct ss_pe *pe,
							      const struct ss_observer *obs)
{
	exception_return(pe, obs, false);
}

/* The quick return from EL el (a constant where it is called: the
 * registers of the EL at fixed places), else the full one. */
static inline __attribute__((always_inline)) void exception_return_quick_at(struct ss_pe *pe,
									     const struct ss_observer *obs,
									     unsigned el)
{
	if (!entry_is_quick_now(pe, el)) {
		exception_return_full(pe, obs);
		return;
	}
	exception_return_at(pe, obs, true, el);
}

/* Above EL0 with no observer, no MSR waiting for the context
 * synchronization and no implicit ESB before it (entry_is_quick at the EL of
 * the ERET), a leaf function. */
void ss_exception_return(struct ss_pe *pe, const struct ss_observer *obs)
{
	unsigned el = ss_pe_el(pe);
	if (el == 0 || !entry_is_quick(pe, obs, el)) {
		exception_return_full(pe, obs);
		return;
	}
	exception_return(pe, NULL, true);
}

/* ERET once ss_entry_quick_cfg holds: the quick return from the current EL
 * when nothing is around it, else the full one (with no observer, and with
 * one, which the quick body traces as the full one does). */
static inline __attribute__((always_inline)) void exception_return_cfg_quick(struct ss_pe *pe,
									       const struct ss_observer *obs)
{
	switch (ss_pe_el(pe)) {
	case 1: exception_return_quick_at(pe, obs, 1); return;
	case 2: exception_return_quick_at(pe, obs, 2); return;
	case 3: exception_return_quick_at(pe, obs, 3); return;
	default: exception_return_full(pe, obs); return;
	}
}

void ss_exception_return_cfg_quick(struct ss_pe *pe)
{
	exception_return_cfg_quick(pe, NULL);
}

void ss_exception_return_cfg_quick_traced(struct ss_pe *pe, const struct ss_observer *obs)
{
	exception_return_cfg_quick(pe, obs);
}
