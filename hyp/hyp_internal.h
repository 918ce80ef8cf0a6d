/*
 * hyp_internal.h - shared by the files of hyp/.  Not installed.
 */
#ifndef SERRSIM_HYP_INTERNAL_H
#define SERRSIM_HYP_INTERNAL_H

#include "esr.h"
#include "vcpu.h"

/* KVM_SET_VCPU_EVENTS (vcpu.h ss_kvm_set_events), also filling in op the
 * condition it created (cond_after, or -1), whether the external abort was
 * committed, and what KVM did with the SError (made_up, iss, entered_el,
 * at_el2). */
enum ss_set_result ss_kvm_set_events_op(struct ss_pe *pe, const struct ss_vcpu_events *ev,
					struct ss_vmop *op, const struct ss_observer *obs);

#endif
