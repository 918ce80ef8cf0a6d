/*
 * abort.c - the memory model and synchronous External aborts: the declared
 * address ranges, SyncExternalAbortTarget, AArch64.DataAbort and
 * AArch64.InstructionAbort for an External abort not on a translation
 * table walk (no translation is modelled: VA = PA).  Pure: no I/O.
 */
#include "internal.h"

bool ss_pe_add_memory(struct ss_pe *pe, const struct ss_mem_region *r)
{
	if (pe->nmem >= SS_MAX_MEM || r->lo > r->hi)
		return false;
	pe->mem[pe->nmem++] = *r;
	pe->mem_abort |= r->abort;
	return true;
}

const struct ss_mem_region *ss_mem_lookup(const struct ss_pe *pe, uint64_t addr)
{
	for (unsigned i = pe->nmem; i-- > 0;)
		if (pe->mem[i].lo <= addr && addr <= pe->mem[i].hi && !pe->mem[i].inactive)
			return &pe->mem[i];
	return NULL;
}

/*
 * SyncExternalAbortTarget() (Arm ARM DDI0487 M.a J1.3.2.7, called by
 * AArch64.DataAbort and AArch64.InstructionAbort for an External abort), in
 * the ASL's order:
 *   EL3 at EL3, or with EffectiveEA() = 1 (SCR_EL3.EA);
 *   else EL2 at EL1/EL0 with EL2 enabled and the Effective HCR_EL2.TEA = 1
 *   (FEAT_RAS), or at EL0 with HCR_EL2.TGE = 1;
 *   else EL2 with the Effective HCRX_EL2.TMEA = 1 at EL1 with PSTATE.A = 1;
 *   else EL3 with the Effective SCR_EL3.TMEA = 1 at EL1/EL2 with PSTATE.A = 1
 *   (a masked External abort trapped to EL3: checked after the EL2 routes,
 *   so HCR_EL2.TEA and HCRX_EL2.TMEA win over it at EL1);
 *   else EL2 at EL2, EL1 otherwise.
 * HCR_EL2.E2H plays no part but through TGE (an EL0 abort in the host goes to
 * EL2 as any EL0 abort with TGE = 1).  No stage 2 and no NV2 are modelled.
 */
unsigned ss_sync_external_abort_target(const struct ss_pe *pe)
{
	struct ss_controls v;
	ss_controls_live(&v, pe);
	bool a = SS_GET(PSTATE_A, v.pstate);
	bool tea = pe->cfg.ras && SS_GET(HCR_TEA, v.hcr);	/* EffectiveHCR_TEA() */
	unsigned el = v.el;

	if (el == 3 || v.ea)
		return 3;
	if (v.el2_enabled && el <= 1 && (tea || (el == 0 && v.tge)))
		return 2;
	if (v.hcrx_tmea && a && el == 1)
		return 2;
	if (v.scr_tmea && a && (el == 1 || el == 2))
		return 3;
	return el == 2 ? 2 : 1;
}

/*
 * AArch64.DataAbort / AArch64.InstructionAbort for a synchronous External
 * abort (IsExternalAbort), reported by AArch64.ReportException: ESR_ELx as
 * esr.h's ss_esr_dabt_sea / ss_esr_iabt_sea, FAR_ELx = the faulting virtual
 * address (0, which the architecture leaves UNKNOWN, when FnV = 1), ELR = the
 * instruction, the vector offset 0x000 or, with EASE in effect, 0x180
 * (ss_external_abort_vector).  ESR.SET is RES0 without FEAT_RAS.  The
 * exception is a synchronous exception for ss_take_exception: with the
 * knob iesb_before_exception and IESB in effect at the target, an unmasked
 * pending SError is taken first (InsertIESBBeforeException); after entry the
 * target's implicit ESB runs as for any exception.
 */
void ss_sync_external_abort(struct ss_pe *pe, const struct ss_observer *obs, unsigned access,
			    uint64_t vaddr, const struct ss_mem_region *r)
{
	unsigned from = ss_pe_el(pe), to = ss_sync_external_abort_target(pe);
	bool lower = to > from;
	unsigned set = pe->cfg.ras ? r->set : 0;
	bool fetch = access == SS_MEM_FETCH;
	uint64_t esr = fetch ? ss_esr_iabt_sea(lower, set, r->fnv, r->ea)
			     : ss_esr_dabt_sea(lower, access == SS_MEM_STORE, set, r->fnv, r->ea);

	/* An SError InsertIESBBeforeException takes instead: the abort is not
	 * taken (the instruction runs again after the SError's handler). */
	if (ss_insert_iesb_before_exception(pe, obs, to, pe->sr[SS_REG_HCR_EL2], pe->sr[SS_REG_SCR_EL3]))
		return;
	pe->nsea++;
	if (r->once)	/* a one-shot abort (the 'sea ... once' event) */
		pe->mem[r - pe->mem].inactive = true;
	/* The ledger: a condition taken at once by this exception. */
	const struct ss_condition *c = ss_record_sea(pe, esr, obs);
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = to,
				     .cause = fetch ? SS_CAUSE_IABT : SS_CAUSE_DABT, .has_esr = true,
				     .esr = esr, .has_far = true,
				     .far = r->fnv ? 0 : vaddr, .elr = pe->pc,
				     .vec = (unsigned)ss_external_abort_vector(pe, to), .cond = c });
}

/* An SS_EV_MEM event: the range takes effect. */
void ss_mem_activate(struct ss_pe *pe, unsigned i)
{
	if (i < pe->nmem)
		pe->mem[i].inactive = false;
}
