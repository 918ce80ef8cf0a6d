/*
 * vcpu.h - the hypervisor's view of a virtual SError: KVM's vcpu events
 * {serror_pending, serror_has_esr, serror_esr} (KVM_GET/SET_VCPU_EVENTS),
 * the injection policies of the Linux versions (knob vinject), a VMM
 * carrying the events from one host to another, and migration between hosts
 * with and without FEAT_RAS.  Sources: Linux arch/arm64/include/uapi/asm/
 * kvm.h (struct kvm_vcpu_events), arch/arm64/kvm/guest.c
 * (__kvm_arm_vcpu_get_events, __kvm_arm_vcpu_set_events), arch/arm64/kvm/
 * inject_fault.c (pend_guest_serror, kvm_inject_vabt, and from 6.17
 * kvm_inject_serror_esr), Documentation/virt/kvm/api.rst 4.31/4.32; QEMU
 * target/arm/kvm.c (kvm_get_vcpu_events, kvm_put_vcpu_events).
 *
 * Everything here changes the PE only through its API (model/pe.h).  Pure:
 * no I/O, no allocation.
 */
#ifndef SERRSIM_VCPU_H
#define SERRSIM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "pe.h"

#ifdef __cplusplus
extern "C" {
#endif

/* struct kvm_vcpu_events.exception, the SError part (Linux
 * arch/arm64/include/uapi/asm/kvm.h). */
struct ss_vcpu_events {
	bool serror_pending;
	bool serror_has_esr;
	uint64_t serror_esr;
	/* KVM_CAP_ARM_INJECT_EXT_DABT (Linux v5.5): SET injects an external
	 * data abort; GET always reads 0 (the abort is committed at once). */
	bool ext_dabt_pending;
};

/* Result of KVM_SET_VCPU_EVENTS. */
enum ss_set_result {
	SS_SET_OK = 0,
	SS_SET_EINVAL = 22	/* -EINVAL */
};

/* How a VMM moves the events between hosts (the profiles: vmm.c). */
enum ss_vmm {
	SS_VMM_QEMU,		/* has_esr/esr only if the destination has the capability, else dropped
				 * (QEMU target/arm/kvm.c kvm_put_vcpu_events) */
	SS_VMM_VERBATIM,	/* passes the saved events unchanged (SET may fail) */
	SS_VMM_STRICT,		/* refuses a migration that would lose or invent a syndrome */
	SS_VMM_TRANSLATE,	/* to a RAS host, sends a non-RAS source CPU's own syndrome
				 * as the ESR; to a non-RAS host, drops it as qemu does */
	SS_VMM_QEMU_NOESR,	/* QEMU with a destination kernel without
				 * KVM_CAP_ARM_INJECT_SERROR_ESR: has_esr/esr always dropped */
	SS_VMM_FIRECRACKER,	/* saves no vcpu events on arm64: nothing is sent */
	SS_VMM_CLOUD_HYPERVISOR,	/* saves no vcpu events on arm64: nothing is sent */
	SS_VMM_COUNT
};

/* One SET or migration, as it happened. */
struct ss_vmop {
	bool is_migration;
	bool is_get;			/* KVM_GET_VCPU_EVENTS alone: 'got' holds the result */
	struct ss_vcpu_events got;	/* GET */
	bool abort_committed;		/* SET committed ext_dabt_pending (set_commit) */
	bool events_dropped;		/* the VMM saved no vcpu events (migration) */
	enum ss_vmm vmm;
	const struct ss_config *dst;	/* the destination's configuration (migration) */
	struct ss_vcpu_events saved;	/* GET on the source (migration) */
	struct ss_vcpu_events sent;	/* what SET received */
	bool refused;			/* the VMM refused: the guest stayed on the source */
	bool esr_dropped;		/* the VMM dropped has_esr/esr */
	enum ss_set_result set;
	int cond_before;		/* pending virtual condition before, or -1 */
	int cond_after;			/* the condition SET created, or -1 */
	/* What KVM did with the SError part of SET (vcpu.c): */
	bool made_up;			/* no ESR on a RAS host: KVM chose ESR_ELx_ISV */
	uint32_t iss;			/* the syndrome the guest will get (VSESR_EL2 as KVM
					 * leaves it, or the CPU's own without it) */
	uint8_t entered_el;		/* the exception entry emulated at once to this EL,
					 * or 0 (pended with HCR_EL2.VSE) */
	bool at_el2;			/* the vCPU was at EL2 (a guest hypervisor) */
	uint64_t cycle;
	/* Filled by the driver (hyp.h) that performed it: */
	uint32_t tag;			/* the host event that caused it */
	unsigned line;			/* that event's source line (0: none) */
	int src_host, dst_host;		/* hosts (ss_hyp_host) before and after; -1 unknown */
};

#define SS_MAX_VMOPS 16

const char *ss_vmm_name(enum ss_vmm v);
/* One line on the VMM profile's behaviour and its source. */
const char *ss_vmm_source(enum ss_vmm v);
bool ss_vmm_from_name(const char *name, enum ss_vmm *v);

/*
 * A hypervisor injects a virtual SError with this ISS, as the Linux version
 * the vinject knob names does when one may already be pending (Linux
 * arch/arm64/kvm/inject_fault.c; api.rst 4.32 asks for the RAS spec 2.5.3
 * combination).  "Unmasked" is KVM's !serror_is_masked (Linux v6.17
 * arch/arm64/kvm/inject_fault.c): PSTATE.A = 0, or SCTLR2_ELx.NMEA = 1 of
 * the target EL with FEAT_DoubleFault2; a vCPU at EL2 is a guest
 * hypervisor, for which KVM enters the SError at EL2 only when the guest
 * hypervisor's HCR_EL2.TGE or AMO routes it there (kvm_serror_undeliverable_at_el2):
 *  - combine: with one pending, VSESR_EL2 becomes the 2.5.3 combination and
 *    the new condition is MERGED into the pending one;
 *  - kvm-overwrite (Linux 4.19-6.16, pend_guest_serror): VSESR_EL2 is
 *    overwritten and VSE set; a pending one is LOST (overwritten);
 *  - kvm-deliver-or-pend (Linux 6.17, kvm_inject_serror_esr): if the guest
 *    is at EL0/EL1 and unmasked the exception entry is emulated at once
 *    (ESR_EL1 = the syndrome), at EL2 likewise when TGE or AMO routes it
 *    there (ESR_EL2); otherwise as kvm-overwrite.
 * Without FEAT_RAS there is no VSESR_EL2: the syndrome is ignored and a
 * second injection merges into the pending one.  Returns the condition's
 * id, or -1 when SS_MAX_CONDS is reached.
 */
int ss_inject_vserror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs);

/*
 * KVM_GET_VCPU_EVENTS (guest.c __kvm_arm_vcpu_get_events): pending =
 * HCR_EL2.VSE; has_esr = the host has RAS (ARM64_HAS_RAS_EXTN, the host's
 * capability, not the guest's ID registers); esr = VSESR_EL2 only when
 * pending and has_esr.
 */
void ss_kvm_get_events(const struct ss_pe *pe, struct ss_vcpu_events *ev);

/*
 * KVM_SET_VCPU_EVENTS (guest.c __kvm_arm_vcpu_set_events).  With
 * ext_dabt_pending, knob set_commit orders the abort and the SError checks:
 * atomic: a refused request changes nothing; serror-first (v5.5-v6.16): the
 * SError part is checked (and injected) first, the abort then; abort-first
 * (v6.17+): the abort is committed, then the SError part may return EINVAL.
 * The abort itself is recorded (ss_vmop.abort_committed), not delivered to
 * the PE.  For the SError part: nothing happens
 * unless serror_pending ("it is not possible to cancel an SError"); EINVAL
 * for has_esr on a host without RAS, and for esr bits outside ISS[24:0]
 * (SS_ESR_ELx_ISS_MASK).  Otherwise a virtual SError is injected (the vinject
 * knob decides what happens if one is already pending): with has_esr its
 * syndrome is esr; without it KVM chooses: on a RAS host ESR_ELx_ISV (IDS=1,
 * ISS 0, inject_fault.c kvm_inject_vabt), on a non-RAS host the CPU's own
 * IMPLEMENTATION DEFINED syndrome (the noras_vserror_iss choice).
 */
enum ss_set_result ss_kvm_set_events(struct ss_pe *pe, const struct ss_vcpu_events *ev,
				     const struct ss_observer *obs);

/* The syndrome KVM chooses when SET has no ESR on a RAS host: ESR_ELx_ISV. */
#define SS_KVM_DEFAULT_ISS ((uint32_t)SS_PREP(ESR_SErrImp_IDS, 1))	/* IDS=1, IMPDEF 0 */

/*
 * Migrate the running guest to a destination host with configuration dst
 * through the given VMM: GET on the source; the VMM's transfer; the PE then
 * runs as the destination (dst's features and choices), keeping the guest's
 * state (PSTATE, X registers, PC, EL0/EL1 registers, DISR_EL1) and starting
 * with fresh hypervisor state (HCR_EL2.VSE = 0, VSESR_EL2 = 0); then SET.
 * The source's pending virtual condition is HANDED_OVER to the one SET
 * creates (the same SError, carried over), or LOST with its reason when SET
 * fails (EINVAL), nothing is sent (no vcpu events saved) or the VMM dropped
 * its syndrome (the destination's then reports another).  A refused
 * migration changes nothing.
 * The operation is described in *out (not recorded, not traced: hyp.h's
 * driver does both).
 */
void ss_migrate(struct ss_pe *pe, const struct ss_config *dst, enum ss_vmm vmm,
		struct ss_vmop *out, const struct ss_observer *obs);

/* GET as a userspace agent would issue it on the current host, described in
 * out (is_get; not recorded, not traced).  The vCPU does not change. */
void ss_kvm_get_op(struct ss_pe *pe, struct ss_vmop *out, const struct ss_observer *obs);

/* ss_migrate, where the guest's DISR_EL1 is 'disr' when the source has no
 * RAS (the value the VMM carried from the guest's last RAS host; a source
 * with RAS gives its VDISR_EL2): a hop through a host without RAS keeps it.
 * ss_migrate is ss_migrate_carry with disr = 0. */
void ss_migrate_carry(struct ss_pe *pe, const struct ss_config *dst, enum ss_vmm vmm,
		      uint64_t disr, struct ss_vmop *out, const struct ss_observer *obs);

/* SET as a userspace agent would issue it on the current host, described in
 * out (is_migration = false; not recorded, not traced). */
void ss_kvm_set_op(struct ss_pe *pe, const struct ss_vcpu_events *ev, struct ss_vmop *out,
		   const struct ss_observer *obs);

#ifdef __cplusplus
}
#endif

#endif
