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
	 * combination (api.rst 4.32); else the pending one is DROPPED and
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

int ss_inject_vserror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs)
{
	const struct vinject_policy *p = &vinject_policies[pe->cfg.vinject];
	iss &= SS_SERROR_ISS_MASK;
	ss_sync_virtual(pe, obs);
	if (p->deliver_if_unmasked && ss_pe_el(pe) <= 1 &&
	    !SS_GET(PSTATE_A, ss_sysreg_value(pe, SS_REG_PSTATE)))
		return ss_emulate_virtual_serror_entry(pe, iss, obs);
	if (ss_pending_virtual_condition(pe) >= 0) {
		/* Without VSESR_EL2 there is no syndrome to overwrite. */
		if (p->combine || !ss_vsesr_implemented(pe))
			return ss_merge_virtual_serror(pe, iss, obs);
		ss_drop_virtual_serror(pe);
	}
	return ss_pend_virtual_serror(pe, iss, obs);
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

static int inject_serror_part(struct ss_pe *pe, const struct ss_vcpu_events *ev,
			      const struct ss_observer *obs)
{
	uint32_t iss;
	if (!ev->serror_pending)
		return -1;
	if (ev->serror_has_esr)
		iss = (uint32_t)ev->serror_esr;
	else if (pe->cfg.ras)
		iss = SS_KVM_DEFAULT_ISS;	/* kvm_inject_vabt: ESR_ELx_ISV */
	else
		iss = 0;	/* no VSESR_EL2: the CPU's own syndrome when taken */
	return ss_inject_vserror(pe, iss, obs);
}

enum ss_set_result ss_kvm_set_events_cond(struct ss_pe *pe, const struct ss_vcpu_events *ev,
					  int *cond, bool *abort, const struct ss_observer *obs)
{
	*cond = -1;
	*abort = false;
	bool valid = serror_part_valid(pe, ev);
	switch (pe->cfg.set_commit) {
	case SS_COMMIT_ABORT_FIRST:
		/* v6.17: "Immediately commit the pending SEA", then the SError
		 * checks. */
		*abort = ev->ext_dabt_pending;
		if (!valid)
			return SS_SET_EINVAL;
		*cond = inject_serror_part(pe, ev, obs);
		return SS_SET_OK;
	case SS_COMMIT_SERROR_FIRST:	/* v5.5-v6.16: SError, then the abort */
	case SS_COMMIT_ATOMIC:
	default:
		if (!valid)
			return SS_SET_EINVAL;
		*cond = inject_serror_part(pe, ev, obs);
		*abort = ev->ext_dabt_pending;
		return SS_SET_OK;
	}
}

enum ss_set_result ss_kvm_set_events(struct ss_pe *pe, const struct ss_vcpu_events *ev,
				     const struct ss_observer *obs)
{
	int cond;
	bool abort;
	return ss_kvm_set_events_cond(pe, ev, &cond, &abort, obs);
}

void ss_kvm_set_op(struct ss_pe *pe, const struct ss_vcpu_events *ev, struct ss_vmop *out,
		   const struct ss_observer *obs)
{
	memset(out, 0, sizeof *out);
	out->cycle = pe->cycle;
	out->sent = *ev;
	out->cond_before = ss_pending_virtual_condition(pe);
	out->src_host = out->dst_host = -1;
	out->set = ss_kvm_set_events_cond(pe, ev, &out->cond_after, &out->abort_committed, obs);
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
