/*
 * hyp_internal.h - shared by the files of hyp/.  Not installed.
 */
#ifndef SERRSIM_HYP_INTERNAL_H
#define SERRSIM_HYP_INTERNAL_H

#include "esr.h"
#include "vcpu.h"

/* KVM_SET_VCPU_EVENTS (vcpu.h ss_kvm_set_events), also giving the
 * condition it created (or -1) and whether the external abort was
 * committed. */
enum ss_set_result ss_kvm_set_events_cond(struct ss_pe *pe, const struct ss_vcpu_events *ev,
					  int *cond, bool *abort, const struct ss_observer *obs);

#endif
