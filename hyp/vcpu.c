/*
 * vcpu.c - KVM's vcpu events for a virtual SError and the injection
 * policies of the Linux versions (see vcpu.h for the sources).  The PE is
 * changed only through its API (model/pe.h).  Pure: no I/O.
 */
#include "hyp_internal.h"

#include <string.h>

/* --- injection policies (knob vinject) ---------------------------------------- */

/* What a hypervisor does when it injects a virtual SError. */
struct vinject_policy {
	/* Emulate the exception entry at once when the guest is at EL0/EL1
	 * with PSTATE.A = 0 (Linux 6.17 inject_fault.c kvm_inject_serror_esr). */
	bool deliver_if_unmasked;
	/* With one pending: MERGED into it, VSESR_EL2 the RAS spec 2.5.3
	 * combination (api.rst 4.32); else the pending one is LOST and
	 * VSESR_EL2 overwritten (Linux 4.19-6.16 pend_guest_serror). */
	bool combine;
};

/* One row per value of enum ss_vinject (the knob's names: model/config.c). */
static const struct vinject_policy vinject_policies[] = {
	[SS_VINJ_COMBINE] = { .deliver_if_unmasked = false, .combine = true },
	[SS_VINJ_KVM_OVERWRITE] = { .deliver_if_unmasked = false, .combine = false },
	[SS_VINJ_KVM_DELIVER_OR_PEND] = { .deliver_if_unmasked = true, .combine = false },
};
_Static_assert(sizeof vinject_policies / sizeof vinject_policies[0] ==
		       SS_VINJ_KVM_DELIVER_OR_PEND + 1,
	       "one injection policy row per vinject value");

/* effective_sctlr2_nmea (Linux v6.17 arch/arm64/kvm/inject_fault.c): the
 * NMEA bit of SCTLR2_EL1, or SCTLR2_EL2 when the exception goes to EL2,
 * where the VM has the field (FEAT_DoubleFault2 here): KVM reads the saved
 * register, not the effective value HCRX_EL2.SCTLR2En gates (KVM enables
 * SCTLR2_EL1 for a VM that has it). */
static bool kvm_effective_sctlr2_nmea(const struct ss_pe *pe, unsigned target)
{
	if (!pe->cfg.double_fault2)
		return false;
	return SS_GET(SCTLR2_NMEA, ss_sysreg_value(pe, target == 2 ? SS_REG_SCTLR2_EL2
								      : SS_REG_SCTLR2_EL1));
}

/* serror_is_masked (Linux v6.17 arch/arm64/kvm/inject_fault.c): PSTATE.A = 1
 * and not NMEA. */
static bool kvm_serror_is_masked(const struct ss_pe *pe, unsigned target)
{
	return SS_GET(PSTATE_A, ss_sysreg_value(pe, SS_REG_PSTATE)) &&
	       !kvm_effective_sctlr2_nmea(pe, target);
}

/* The EL KVM enters the SError at once, or 0 to pend it (Linux v6.17
 * arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr): at EL0/EL1 when
 * unmasked; at EL2 (a guest hypervisor) when its HCR_EL2.TGE or AMO makes
 * an SError deliverable there (kvm_serror_undeliverable_at_el2) and it is
 * unmasked. */
static unsigned kvm_entry_el(const struct ss_pe *pe, bool guest_hyp)
{
	unsigned el = ss_pe_el(pe);
	uint64_t hcr = ss_sysreg_value(pe, SS_REG_HCR_EL2);
	if (el <= 1)
		return kvm_serror_is_masked(pe, 1) ? 0 : 1;
	if (el == 2 && guest_hyp && (SS_GET(HCR_TGE, hcr) || SS_GET(HCR_AMO, hcr)))
		return kvm_serror_is_masked(pe, 2) ? 0 : 2;
	return 0;
}

/* ss_inject_vserror, telling in *entered the EL of an emulated entry (0:
 * pended or merged).  guest_hyp: the PE's EL2 is a guest hypervisor's
 * (a SET on a vCPU at EL2); for the hypervisor's own injection (the
 * 'vserror' event) EL2 is the hypervisor itself. */
static int inject_vserror(struct ss_pe *pe, uint32_t iss, unsigned *entered, bool guest_hyp,
			  const struct ss_observer *obs)
{
	const struct vinject_policy *p = &vinject_policies[pe->cfg.vinject];
	iss &= SS_SERROR_ISS_MASK;
	*entered = 0;
	ss_sync_virtual(pe, obs);
	if (p->deliver_if_unmasked && (*entered = kvm_entry_el(pe, guest_hyp)) != 0)
		return ss_emulate_virtual_serror_entry_el(pe, iss, *entered, obs);
	if (ss_pending_virtual_condition(pe) >= 0) {
		/* Without VSESR_EL2 there is no syndrome to overwrite. */
		if (p->combine || !ss_vsesr_implemented(pe))
			return ss_merge_virtual_serror(pe, iss, obs);
		ss_drop_virtual_serror(pe);
	}
	return ss_pend_virtual_serror(pe, iss, obs);
}

int ss_inject_vserror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs)
{
	unsigned entered;
	return inject_vserror(pe, iss, &entered, false, obs);
}

/* --- KVM_GET/SET_VCPU_EVENTS ----------------------------------------------------- */

void ss_kvm_get_events(const struct ss_pe *pe, struct ss_vcpu_events *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->serror_pending = SS_GET(HCR_VSE, ss_sysreg_value(pe, SS_REG_HCR_EL2));
	ev->serror_has_esr = pe->cfg.ras;
	ev->serror_esr = (ev->serror_pending && ev->serror_has_esr)
				 ? (ss_sysreg_value(pe, SS_REG_VSESR_EL2) & SS_SERROR_ISS_MASK) : 0;
}

/* The SError part of SET is accepted (guest.c __kvm_arm_vcpu_set_events):
 * has_esr only on a RAS host, esr within ISS[24:0]. */
static bool serror_part_valid(const struct ss_pe *pe, const struct ss_vcpu_events *ev)
{
	if (!ev->serror_pending || !ev->serror_has_esr)
		return true;
	return pe->cfg.ras && !(ev->serror_esr & ~(uint64_t)SS_SERROR_ISS_MASK);
}

/* The SError part of an accepted SET: the syndrome as KVM chooses it, what
 * the guest will get, and where it went (op). */
static void inject_serror_part(struct ss_pe *pe, const struct ss_vcpu_events *ev,
			       struct ss_vmop *op, const struct ss_observer *obs)
{
	uint32_t iss;
	if (!ev->serror_pending)
		return;
	if (ev->serror_has_esr) {
		iss = (uint32_t)ev->serror_esr;
	} else if (pe->cfg.ras) {
		iss = SS_KVM_DEFAULT_ISS;	/* kvm_inject_vabt: ESR_ELx_ISV */
		op->made_up = true;
	} else {
		iss = 0;	/* no VSESR_EL2: the CPU's own syndrome when taken */
	}
	op->at_el2 = ss_pe_el(pe) == 2;
	unsigned entered;
	op->cond_after = inject_vserror(pe, iss, &entered, true, obs);
	op->entered_el = (uint8_t)entered;
	op->iss = op->cond_after >= 0 ? pe->cond[op->cond_after].iss : iss;
	if (op->cond_after >= 0 && pe->cond[op->cond_after].disp == SS_DISP_MERGED)
		op->iss = ss_virtual_serror_iss(pe);	/* the pending one's, combined */
}

enum ss_set_result ss_kvm_set_events_op(struct ss_pe *pe, const struct ss_vcpu_events *ev,
					struct ss_vmop *op, const struct ss_observer *obs)
{
	op->cond_after = -1;
	op->abort_committed = false;
	bool valid = serror_part_valid(pe, ev);
	switch (pe->cfg.set_commit) {
	case SS_COMMIT_ABORT_FIRST:
		/* v6.17: "Immediately commit the pending SEA", then the SError
		 * checks. */
		op->abort_committed = ev->ext_dabt_pending;
		if (!valid)
			return SS_SET_EINVAL;
		inject_serror_part(pe, ev, op, obs);
		return SS_SET_OK;
	case SS_COMMIT_SERROR_FIRST:	/* v5.5-v6.16: SError, then the abort */
	case SS_COMMIT_ATOMIC:
	default:
		if (!valid)
			return SS_SET_EINVAL;
		inject_serror_part(pe, ev, op, obs);
		op->abort_committed = ev->ext_dabt_pending;
		return SS_SET_OK;
	}
}

enum ss_set_result ss_kvm_set_events(struct ss_pe *pe, const struct ss_vcpu_events *ev,
				     const struct ss_observer *obs)
{
	struct ss_vmop op;
	memset(&op, 0, sizeof op);
	return ss_kvm_set_events_op(pe, ev, &op, obs);
}

void ss_kvm_set_op(struct ss_pe *pe, const struct ss_vcpu_events *ev, struct ss_vmop *out,
		   const struct ss_observer *obs)
{
	memset(out, 0, sizeof *out);
	out->cycle = pe->cycle;
	out->sent = *ev;
	out->cond_before = ss_pending_virtual_condition(pe);
	out->src_host = out->dst_host = -1;
	out->set = ss_kvm_set_events_op(pe, ev, out, obs);
}

void ss_kvm_get_op(struct ss_pe *pe, struct ss_vmop *out, const struct ss_observer *obs)
{
	memset(out, 0, sizeof *out);
	out->is_get = true;
	out->cycle = pe->cycle;
	ss_sync_virtual(pe, obs);
	out->cond_before = out->cond_after = ss_pending_virtual_condition(pe);
	out->src_host = out->dst_host = -1;
	ss_kvm_get_events(pe, &out->got);
}
