/*
 * esb.c - the Error Synchronization Barrier: AArch64.ESBOperation and
 * AArch64.vESBOperation.  Pure: no I/O.
 */
#include "internal.h"

/* --- ESB (Arm ARM C6.2 ESB) --------------------------------------------------- */

static inline __attribute__((always_inline)) void
write_defer(struct ss_pe *pe, const struct ss_observer *obs, enum ss_reg r, uint64_t v,
	    const struct ss_condition *c)
{
	uint64_t old = pe->sr[r];
	pe->sr[r] = v;
	SS_TRACE(obs, pe, .kind = SS_TR_DEFER, .cycle = pe->cycle, .reg = r, .value = v,
			      .old = old, .cond = c);
}

/* The ESB once errors are synchronized, with the controls of the live
 * registers (synchronizing errors does not change them). */
static bool esb(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_controls *ctl)
{
	/* AArch64.ESBOperation: a masked, synchronizable physical SError is
	 * deferred into DISR_EL1 (A=1 + syndrome, IESB=0) and its pending
	 * state cleared (RSFHDS: a non-synchronizable one stays pending). */
	if (ctl->pserror.masked) {
		uint32_t iss;
		struct ss_condition *c = ss_merge_pick(pe, true, &iss);
		if (c) {
			ss_merge_consume(pe, c, true, SS_DISP_DEFERRED, ++pe->ndefer);
			write_defer(pe, obs, SS_REG_DISR_EL1, ss_disr_deferred(iss), c);
		}
	}
	bool phys_unmasked = !ctl->pserror.masked && pe->npending;

	/* AArch64.vESBOperation at EL0/EL1 with EL2 enabled: a pending, masked
	 * vSError is deferred into VDISR_EL2 and VSE cleared.  With a physical
	 * SError about to be taken, Arm ARM D20.5.1 leaves VSE and VDISR_EL2
	 * unchanged, while the ESB pseudocode (Arm ARM C6.2) defers first: knob
	 * esb_vse.  With VSESR_EL2 RAZ/WI, whether ESB defers a vSError is
	 * IMPLEMENTATION DEFINED (RGXHYX): knob esb_defers_raz_vserror. */
	if (ctl->el <= 1 && (ctl->vpending & SS_VINT_SERROR) && SS_GET(PSTATE_A, ctl->pstate) &&
	    !(phys_unmasked && pe->cfg.esb_vse == SS_ESB_VSE_UNCHANGED)) {
		bool defer = !pe->cfg.vsesr_raz_wi || pe->cfg.esb_defers_raz_vserror;
		if (defer) {
			uint64_t v = pe->cfg.vsesr_raz_wi ? ss_vdisr_deferred(0)
							  : ss_vdisr_deferred(pe->sr[SS_REG_VSESR_EL2]);
			if ((pe->vcond >= 0) != HCR(pe, VSE))	/* else in step already */
				ss_sync_virtual(pe, obs);
			ss_defer_virtual(pe, obs, v);
		}
	}

	/* TakeUnmaskedSErrorInterrupts: taken before the ESB completes, with
	 * ELR = the ESB (RKNWBN). */
	return ss_take_pending_async(pe, obs, pe->pc, true);
}

bool ss_esb(struct ss_pe *pe, const struct ss_observer *obs)
{
	if (!pe->cfg.ras)	/* ESB is a NOP without FEAT_RAS */
		return false;
	ss_synchronize_errors(pe, obs);
	struct ss_controls v;
	ss_controls_live(&v, pe);
	return esb(pe, obs, &v);
}

bool ss_esb_with(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_controls *live)
{
	if (!pe->cfg.ras)
		return false;
	if (pe->inflight_head != SS_NIL)	/* else nothing to synchronize */
		ss_synchronize_errors(pe, obs);
	return esb(pe, obs, live);
}
