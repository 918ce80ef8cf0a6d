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
		if (pe->mem[i].lo <= addr && addr <= pe->mem[i].hi)
			return &pe->mem[i];
	return NULL;
}

/*
 * SyncExternalAbortTarget() (Arm ARM DDI0487 M.a, called by
 * AArch64.DataAbort and AArch64.InstructionAbort for an External abort):
 *   EL3 at EL3, or with EffectiveEA() = 1 (SCR_EL3.EA), or with FEAT_DoubleFault2
 *   and the Effective SCR_EL3.TMEA = 1 at EL2 or EL1 with PSTATE.A = 1 (a
 *   masked External abort trapped to EL3, SCR_EL3.TMEA);
 *   else EL2 at EL2, or at EL0/EL1 with EL2 enabled and HCR_EL2.TGE = 1, or
 *   FEAT_RAS and HCR_EL2.TEA = 1, or the Effective HCRX_EL2.TMEA = 1 at EL1
 *   with PSTATE.A = 1 (HCRX_EL2.TMEA);
 *   else EL1.
 * HCR_EL2.E2H plays no part but through TGE (an EL0 abort in the host goes to
 * EL2 as any EL0 abort with TGE = 1).
 */
unsigned ss_sync_external_abort_target(const struct ss_pe *pe)
{
	struct ss_controls v;
	ss_controls_live(&v, pe);
	bool a = SS_GET(PSTATE_A, v.pstate);
	unsigned el = v.el;

	if (el == 3 || v.ea || (v.scr_tmea && (el == 1 || el == 2) && a))
		return 3;
	if (el == 2)
		return 2;
	if (v.el2_enabled && (SS_GET(HCR_TGE, v.hcr) || (pe->cfg.ras && SS_GET(HCR_TEA, v.hcr)) ||
			      (v.hcrx_tmea && el == 1 && a)))
		return 2;
	return 1;
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

	pe->nsea++;
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = to,
				     .cause = fetch ? SS_CAUSE_IABT : SS_CAUSE_DABT, .has_esr = true,
				     .esr = esr, .has_far = true,
				     .far = r->fnv ? 0 : vaddr, .elr = pe->pc,
				     .vec = (unsigned)ss_external_abort_vector(pe, to) });
}
