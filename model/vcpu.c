/*
 * vcpu.c - KVM's vcpu events for a virtual SError, and migration of a guest
 * between hosts through a VMM (see vcpu.h for the sources).  Pure: no I/O.
 */
#include "vcpu.h"

#include <string.h>

#include "internal.h"

const char *ss_vmm_name(enum ss_vmm v)
{
	static const char *const names[] = { "qemu", "verbatim", "strict", "translate" };
	return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

bool ss_vmm_from_name(const char *name, enum ss_vmm *v)
{
	for (unsigned i = 0; i <= SS_VMM_TRANSLATE; i++)
		if (strcmp(ss_vmm_name((enum ss_vmm)i), name) == 0) {
			*v = (enum ss_vmm)i;
			return true;
		}
	return false;
}

void ss_kvm_get_events(const struct ss_pe *pe, struct ss_vcpu_events *ev)
{
	ev->serror_pending = HCR(pe, VSE);
	ev->serror_has_esr = pe->cfg.ras;
	ev->serror_esr = (ev->serror_pending && ev->serror_has_esr)
				 ? (pe->sr[SS_REG_VSESR_EL2] & SS_SERROR_ISS_MASK) : 0;
}

/* SET; returns the result and the condition it created (or -1). */
static enum ss_set_result set_events(struct ss_pe *pe, const struct ss_vcpu_events *ev,
				     int *cond, const struct ss_observer *obs)
{
	uint32_t iss;
	*cond = -1;
	if (!ev->serror_pending)
		return SS_SET_OK;
	if (ev->serror_has_esr && !pe->cfg.ras)
		return SS_SET_EINVAL;
	if (ev->serror_has_esr && (ev->serror_esr & ~(uint64_t)SS_SERROR_ISS_MASK))
		return SS_SET_EINVAL;
	if (ev->serror_has_esr)
		iss = (uint32_t)ev->serror_esr;
	else if (pe->cfg.ras)
		iss = SS_KVM_DEFAULT_ISS;	/* kvm_inject_vabt: ESR_ELx_ISV */
	else
		iss = 0;	/* no VSESR_EL2: the CPU's own syndrome when taken */
	*cond = ss_inject_vserror(pe, iss, obs);
	return SS_SET_OK;
}

enum ss_set_result ss_kvm_set_events(struct ss_pe *pe, const struct ss_vcpu_events *ev,
				     const struct ss_observer *obs)
{
	int cond;
	return set_events(pe, ev, &cond, obs);
}

static struct ss_vmop *record(struct ss_pe *pe, struct ss_vmop *out)
{
	if (pe->nvmop < SS_MAX_VMOPS)
		pe->vmop[pe->nvmop++] = *out;
	return out;
}

static void notify(struct ss_pe *pe, const struct ss_vmop *op, const struct ss_observer *obs)
{
	SS_TRACE(obs, pe, .kind = SS_TR_VMOP, .cycle = pe->cycle, .vmop = op);
}

void ss_kvm_set_op(struct ss_pe *pe, const struct ss_vcpu_events *ev, struct ss_vmop *out,
		   const struct ss_observer *obs)
{
	memset(out, 0, sizeof *out);
	out->cycle = pe->cycle;
	out->sent = *ev;
	out->cond_before = pe->vcond;
	out->set = set_events(pe, ev, &out->cond_after, obs);
	notify(pe, record(pe, out), obs);
}

void ss_migrate(struct ss_pe *pe, const struct ss_config *dst, enum ss_vmm vmm,
		struct ss_vmop *out, const struct ss_observer *obs)
{
	memset(out, 0, sizeof *out);
	out->is_migration = true;
	out->vmm = vmm;
	out->dst = dst;
	out->cycle = pe->cycle;
	out->cond_after = -1;
	ss_sync_virtual(pe, obs);
	out->cond_before = pe->vcond;
	ss_kvm_get_events(pe, &out->saved);
	out->sent = out->saved;

	/* The destination's KVM_CAP_ARM_INJECT_SERROR_ESR is its RAS. */
	switch (vmm) {
	case SS_VMM_QEMU:
		/* kvm_put_vcpu_events: has_esr/esr only with the capability. */
		if (!dst->ras && out->sent.serror_has_esr) {
			out->sent.serror_has_esr = false;
			out->sent.serror_esr = 0;
			out->esr_dropped = out->saved.serror_pending;
		}
		break;
	case SS_VMM_VERBATIM:
		break;
	case SS_VMM_TRANSLATE:
		/* What the guest would have seen on the source: the v8.0 CPU's
		 * own syndrome (noras_vserror_iss, or 0), sent as the ESR. */
		if (dst->ras && out->sent.serror_pending && !out->sent.serror_has_esr) {
			out->sent.serror_has_esr = true;
			out->sent.serror_esr = ss_virtual_serror_iss(pe);
		} else if (!dst->ras && out->sent.serror_has_esr) {
			out->sent.serror_has_esr = false;
			out->sent.serror_esr = 0;
			out->esr_dropped = out->saved.serror_pending;
		}
		break;
	case SS_VMM_STRICT:
		/* A pending SError whose syndrome would be lost (to a non-RAS
		 * host) or made up (from one) is not migrated. */
		if (out->saved.serror_pending && out->saved.serror_has_esr != dst->ras) {
			out->refused = true;
			notify(pe, record(pe, out), obs);
			return;
		}
		break;
	}

	/* The guest now runs on the destination: its features and choices,
	 * the guest's own state kept, fresh hypervisor state.  KVM restores
	 * the guest's DISR_EL1 into VDISR_EL2 on a RAS host. */
	uint64_t guest_disr = pe->sr[SS_REG_VDISR_EL2];
	pe->cfg = *dst;
	ss_set_id_registers(pe);
	pe->sr[SS_REG_HCR_EL2] = SS_SET(HCR_VSE, pe->sr[SS_REG_HCR_EL2], 0);
	pe->sr[SS_REG_VSESR_EL2] = 0;
	pe->sr[SS_REG_VDISR_EL2] = dst->ras ? guest_disr : 0;
	pe->hcr_stale = pe->scr_stale = false;
	pe->vcond = -1;		/* the source's condition is resolved below */

	out->set = set_events(pe, &out->sent, &out->cond_after, obs);
	if (out->cond_before >= 0) {
		struct ss_condition *old = &pe->cond[out->cond_before];
		if (out->cond_after >= 0) {
			old->disp = SS_DISP_MERGED;	/* carried over into the new one */
			old->merged_into = (uint32_t)out->cond_after;
		} else {
			old->disp = SS_DISP_DROPPED;	/* SET failed: the SError is lost */
		}
	}
	notify(pe, record(pe, out), obs);
}
