/*
 * vmm.c - VMM profiles (how userspace carries a vcpu's events from one host
 * to another) and migration of a guest between hosts (see vcpu.h for the
 * sources).  The PE is changed only through its API (model/pe.h).  Pure: no
 * I/O.
 */
#include "hyp_internal.h"

#include <string.h>

/* --- the profiles ------------------------------------------------------------ */

/* A profile's transfer rule: from the events saved on the source (op->saved,
 * already copied to op->sent), what is sent to the destination dst; false
 * when the VMM refuses the migration.  The destination's
 * KVM_CAP_ARM_INJECT_SERROR_ESR is its RAS. */
typedef bool (*transfer_fn)(const struct ss_pe *src, const struct ss_config *dst,
			    struct ss_vmop *op);

/* has_esr/esr dropped for a destination without the capability. */
static void drop_esr(const struct ss_config *dst, struct ss_vmop *op)
{
	if (!dst->ras && op->sent.serror_has_esr) {
		op->sent.serror_has_esr = false;
		op->sent.serror_esr = 0;
		op->esr_dropped = op->saved.serror_pending;
	}
}

/* QEMU target/arm/kvm.c kvm_put_vcpu_events: has_esr/esr only with the
 * capability. */
static bool transfer_qemu(const struct ss_pe *src, const struct ss_config *dst,
			  struct ss_vmop *op)
{
	(void)src;
	drop_esr(dst, op);
	return true;
}

static bool transfer_verbatim(const struct ss_pe *src, const struct ss_config *dst,
			      struct ss_vmop *op)
{
	(void)src, (void)dst, (void)op;
	return true;
}

/* A pending SError whose syndrome would be lost (to a non-RAS host) or made
 * up (from one) is not migrated. */
static bool transfer_strict(const struct ss_pe *src, const struct ss_config *dst,
			    struct ss_vmop *op)
{
	(void)src;
	return !(op->saved.serror_pending && op->saved.serror_has_esr != dst->ras);
}

/* What the guest would have seen on the source: the v8.0 CPU's own syndrome
 * (noras_vserror_iss, or 0), sent as the ESR; to a non-RAS host as qemu. */
static bool transfer_translate(const struct ss_pe *src, const struct ss_config *dst,
			       struct ss_vmop *op)
{
	if (dst->ras && op->sent.serror_pending && !op->sent.serror_has_esr) {
		op->sent.serror_has_esr = true;
		op->sent.serror_esr = ss_virtual_serror_iss(src);
	} else {
		drop_esr(dst, op);
	}
	return true;
}

/* QEMU whose destination kernel lacks KVM_CAP_ARM_INJECT_SERROR_ESR
 * (QEMU target/arm/kvm.c kvm_arch_init: cap_has_inject_serror_esr; a host
 * kernel configured without the capability): has_esr/esr never sent. */
static bool transfer_qemu_noesr(const struct ss_pe *src, const struct ss_config *dst,
				struct ss_vmop *op)
{
	(void)src, (void)dst;
	if (op->sent.serror_has_esr) {
		op->sent.serror_has_esr = false;
		op->sent.serror_esr = 0;
		op->esr_dropped = op->saved.serror_pending;
	}
	return true;
}

/* A VMM that saves no vcpu events on arm64: the destination gets nothing
 * (a pending vSError is lost). */
static bool transfer_no_events(const struct ss_pe *src, const struct ss_config *dst,
			       struct ss_vmop *op)
{
	(void)src, (void)dst;
	memset(&op->sent, 0, sizeof op->sent);
	op->events_dropped = op->saved.serror_pending;
	return true;
}

static const struct vmm_profile {
	const char *name;
	transfer_fn transfer;
	const char *source;
} vmm_profiles[] = {
	[SS_VMM_QEMU] = { "qemu", transfer_qemu,
			  "has_esr/esr sent only to a destination with KVM_CAP_ARM_INJECT_SERROR_ESR "
			  "(QEMU v7.2.0 target/arm/kvm.c kvm_put_vcpu_events, kvm_get_vcpu_events)" },
	[SS_VMM_VERBATIM] = { "verbatim", transfer_verbatim,
			      "the saved events sent unchanged: SET may refuse them" },
	[SS_VMM_STRICT] = { "strict", transfer_strict,
			    "refuses a migration that would lose or make up a pending SError's syndrome" },
	[SS_VMM_TRANSLATE] = { "translate", transfer_translate,
			       "to a RAS host, a non-RAS source CPU's own syndrome as the ESR; else as qemu" },
	[SS_VMM_QEMU_NOESR] = { "qemu-noesr", transfer_qemu_noesr,
				"QEMU on a kernel without KVM_CAP_ARM_INJECT_SERROR_ESR: has_esr/esr never "
				"sent (QEMU v7.2.0 target/arm/kvm.c kvm_put_vcpu_events, cap_has_inject_serror_esr)" },
	[SS_VMM_FIRECRACKER] = { "firecracker", transfer_no_events,
				 "no vcpu events saved on arm64: the aarch64 VcpuState holds mp_state, "
				 "registers and MPIDR (firecracker src/vmm/src/vstate/vcpu/aarch64.rs)" },
	[SS_VMM_CLOUD_HYPERVISOR] = { "cloud-hypervisor", transfer_no_events,
				      "no vcpu events saved on arm64 (cloud-hypervisor vmm/src/cpu.rs: "
				      "kvm_vcpu_events under cfg(target_arch = x86_64) only)" },
};
_Static_assert(sizeof vmm_profiles / sizeof vmm_profiles[0] == SS_VMM_COUNT,
	       "one row per VMM profile");

const char *ss_vmm_name(enum ss_vmm v)
{
	return (unsigned)v < SS_VMM_COUNT ? vmm_profiles[v].name : "?";
}

const char *ss_vmm_source(enum ss_vmm v)
{
	return (unsigned)v < SS_VMM_COUNT ? vmm_profiles[v].source : "?";
}

bool ss_vmm_from_name(const char *name, enum ss_vmm *v)
{
	for (unsigned i = 0; i < SS_VMM_COUNT; i++)
		if (strcmp(vmm_profiles[i].name, name) == 0) {
			*v = (enum ss_vmm)i;
			return true;
		}
	return false;
}

/* --- migration ---------------------------------------------------------------- */

void ss_migrate(struct ss_pe *pe, const struct ss_config *dst, enum ss_vmm vmm,
		struct ss_vmop *out, const struct ss_observer *obs)
{
	ss_migrate_carry(pe, dst, vmm, 0, out, obs);
}

void ss_migrate_carry(struct ss_pe *pe, const struct ss_config *dst, enum ss_vmm vmm,
		      uint64_t disr, struct ss_vmop *out, const struct ss_observer *obs)
{
	memset(out, 0, sizeof *out);
	out->is_migration = true;
	out->vmm = vmm;
	out->dst = dst;
	out->cycle = pe->cycle;
	out->cond_after = -1;
	out->src_host = out->dst_host = -1;
	ss_sync_virtual(pe, obs);
	out->cond_before = ss_pending_virtual_condition(pe);
	ss_kvm_get_events(pe, &out->saved);
	out->sent = out->saved;

	if ((unsigned)vmm < SS_VMM_COUNT && !vmm_profiles[vmm].transfer(pe, dst, out)) {
		out->refused = true;
		return;
	}

	/* The guest now runs on the destination: its features and choices,
	 * the guest's own state kept, fresh hypervisor state.  KVM restores
	 * the guest's DISR_EL1 into VDISR_EL2 on a RAS host; from a host
	 * without RAS the value carried since the last RAS host (DISR_EL1 is
	 * an ordinary register of KVM's list: Linux arch/arm64/kvm/sys_regs.c
	 * sys_reg_descs, DISR_EL1; the VMM keeps it). */
	uint64_t guest_disr = pe->cfg.ras ? ss_sysreg_value(pe, SS_REG_VDISR_EL2) : disr;
	ss_pe_reconfigure(pe, dst);
	int source = ss_load_el2_virtual_serror_state(pe, dst->ras ? guest_disr : 0);

	out->set = ss_kvm_set_events_op(pe, &out->sent, out, obs);
	/* The source's condition is handed over to the new one, or lost when
	 * SET failed or nothing was sent, or when the VMM dropped its
	 * syndrome (the new one then reports another). */
	enum ss_lost_reason why = out->events_dropped		? SS_LOST_NO_EVENTS
				  : out->set != SS_SET_OK	? SS_LOST_EINVAL
				  : !out->sent.serror_pending	? SS_LOST_NOT_SENT
				  : SS_LOST_SYNDROME;
	ss_settle_virtual_condition(pe, source, out->esr_dropped ? -1 : out->cond_after, why);
}
