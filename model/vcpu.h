/*
 * vcpu.h - the hypervisor's view of a virtual SError: KVM's vcpu events
 * {serror_pending, serror_has_esr, serror_esr} (KVM_GET/SET_VCPU_EVENTS),
 * a VMM carrying them from one host to another, and migration between hosts
 * with and without FEAT_RAS.  Sources: ../shared/reference/peers.md §1.2-1.7
 * (Linux arch/arm64/kvm/guest.c, inject_fault.c, Documentation/virt/kvm/
 * api.rst 4.31/4.32) and §3.1 (QEMU target/arm/kvm.c).  Pure: no I/O.
 */
#ifndef SERRSIM_VCPU_H
#define SERRSIM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "pe.h"

#ifdef __cplusplus
extern "C" {
#endif

/* struct ss_vcpu_events, enum ss_set_result, enum ss_vmm and struct
 * ss_vmop are declared in pe.h (events and the PE's record carry them). */

const char *ss_vmm_name(enum ss_vmm v);
bool ss_vmm_from_name(const char *name, enum ss_vmm *v);

/*
 * KVM_GET_VCPU_EVENTS (guest.c __kvm_arm_vcpu_get_events): pending =
 * HCR_EL2.VSE; has_esr = the host has RAS (ARM64_HAS_RAS_EXTN, the host's
 * capability, not the guest's ID registers); esr = VSESR_EL2 only when
 * pending and has_esr.
 */
void ss_kvm_get_events(const struct ss_pe *pe, struct ss_vcpu_events *ev);

/*
 * KVM_SET_VCPU_EVENTS (guest.c __kvm_arm_vcpu_set_events): nothing happens
 * unless serror_pending ("it is not possible to cancel an SError"); EINVAL
 * for has_esr on a host without RAS, and for esr bits outside ISS[24:0]
 * (SS_ESR_ELx_ISS_MASK).  Otherwise a virtual SError is injected (the vinject
 * knob decides what happens if one is already pending): with has_esr its
 * syndrome is esr; without it KVM chooses: on a RAS host ESR_ELx_ISV (IDS=1,
 * ISS 0, kvm_inject_vabt), on a non-RAS host the CPU's own IMPLEMENTATION
 * DEFINED syndrome (the noras_vserror_iss choice).
 */
enum ss_set_result ss_kvm_set_events(struct ss_pe *pe, const struct ss_vcpu_events *ev,
				     const struct ss_observer *obs);

/* The syndrome KVM chooses when SET has no ESR on a RAS host: ESR_ELx_ISV. */
#define SS_KVM_DEFAULT_ISS 0x1000000u

/*
 * Migrate the running guest to a destination host with configuration dst
 * through the given VMM: GET on the source; the VMM's transfer; the PE then
 * runs as the destination (dst's features and choices), keeping the guest's
 * state (PSTATE, X registers, PC, EL0/EL1 registers, DISR_EL1) and starting
 * with fresh hypervisor state (HCR_EL2.VSE = 0, VSESR_EL2 = 0); then SET.
 * The source's pending virtual condition is MERGED into the one SET creates
 * (the same SError, carried over, perhaps with another syndrome), or DROPPED
 * when SET fails or sends nothing.  A refused migration changes nothing.
 */
void ss_migrate(struct ss_pe *pe, const struct ss_config *dst, enum ss_vmm vmm,
		struct ss_vmop *out, const struct ss_observer *obs);

/* SET as a userspace agent would issue it on the current host, recorded in
 * out (is_migration = false). */
void ss_kvm_set_op(struct ss_pe *pe, const struct ss_vcpu_events *ev, struct ss_vmop *out,
		   const struct ss_observer *obs);

#ifdef __cplusplus
}
#endif

#endif
