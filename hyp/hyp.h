/*
 * hyp.h - the hypervisor as a layer above the PE: the hosts a guest can run
 * on, the host events a scenario schedules (a virtual SError injected, the
 * vcpu's events set by userspace, a migration), and the driver loop that
 * runs the PE and performs each host event when the PE exits for it, as a
 * VMM around KVM_RUN does.  The PE's engine never calls this layer; this
 * layer changes the PE only through its API (model/pe.h).
 *
 *   struct ss_hyp *h = ...;                 (large: allocate it)
 *   ss_hyp_init(h, &cfg);                   host 0 runs the guest
 *   tag = ss_hyp_add_event(h, &hev);        then ss_schedule an SS_EV_HOST
 *                                           event with .tag = tag
 *   ss_hyp_run(h, pe, obs);                 ss_run, performing host events
 *
 * Each operation that is a KVM_SET_VCPU_EVENTS or a migration is recorded
 * (ss_hyp_ops) with the host event that caused it and its hosts, and
 * reported to the observer as SS_TR_VMOP.  Pure: no I/O, no allocation.
 */
#ifndef SERRSIM_HYP_H
#define SERRSIM_HYP_H

#include <stdbool.h>
#include <stdint.h>

#include "pe.h"
#include "vcpu.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SS_HYP_MAX_HOSTS 17	/* the first host and 16 more */
#define SS_HYP_MAX_EVENTS (2 * SS_MAX_EVENTS)	/* host events over a run */
#define SS_HYP_HOST_NAME 64

/* A host: the configuration the PE has while the guest runs there. */
struct ss_host {
	char name[SS_HYP_HOST_NAME];
	struct ss_config cfg;
};

enum ss_host_op {
	SS_HOST_VSERROR,	/* the hypervisor injects a virtual SError (ss_inject_vserror) */
	SS_HOST_SET,		/* userspace issues KVM_SET_VCPU_EVENTS with vev */
	SS_HOST_MIGRATE,	/* the guest moves to host dst through the VMM vmm */
	SS_HOST_GET		/* userspace issues KVM_GET_VCPU_EVENTS alone */
};

/* What an SS_EV_HOST event with this tag does. */
struct ss_host_event {
	enum ss_host_op op;
	uint32_t iss;			/* VSERROR: the syndrome */
	struct ss_vcpu_events vev;	/* SET */
	int dst;			/* MIGRATE: the destination host, or -1 (nothing happens) */
	enum ss_vmm vmm;		/* MIGRATE */
	unsigned line;			/* source line (0: none) */
};

struct ss_hyp {
	struct ss_host hosts[SS_HYP_MAX_HOSTS];
	uint32_t nhosts;
	uint32_t cur;			/* the host the guest runs on now */
	struct ss_host_event ev[SS_HYP_MAX_EVENTS];	/* indexed by tag */
	uint32_t nev;
	struct ss_vmop ops[SS_MAX_VMOPS];	/* SETs and migrations, in order */
	uint64_t guest_disr;		/* the guest's DISR_EL1 as the VMM carries it through
					 * hosts without RAS (ss_migrate_carry) */
	uint32_t nops;
	int el2_cond;			/* the vSError a SET pended while the vCPU ran at
					 * EL2 (HCR_EL2.VSE, never taken there), or -1 */
};

/* No events, no operations; host 0 (named "") has configuration cfg. */
void ss_hyp_init(struct ss_hyp *h, const struct ss_config *cfg);

/* Add a host (a copy of cfg, to be adjusted through the pointer before the
 * run); NULL when SS_HYP_MAX_HOSTS are there.  Its index is
 * ss_hyp_host_index(h, host). */
struct ss_host *ss_hyp_add_host(struct ss_hyp *h, const char *name, const struct ss_config *cfg);
int ss_hyp_host_index(const struct ss_hyp *h, const struct ss_host *host);

/* Host i, or NULL. */
const struct ss_host *ss_hyp_host(const struct ss_hyp *h, int i);

/* The host the guest runs on now. */
const struct ss_host *ss_hyp_current(const struct ss_hyp *h);

/* Add a host event; returns its tag, or -1 when SS_HYP_MAX_EVENTS are
 * there.  A PE event { .kind = SS_EV_HOST, .tag = tag } then triggers it. */
int ss_hyp_add_event(struct ss_hyp *h, const struct ss_host_event *ev);

/* The host event with this tag, or NULL. */
const struct ss_host_event *ss_hyp_event(const struct ss_hyp *h, uint32_t tag);

/* The SETs and migrations performed so far, in order (at most
 * SS_MAX_VMOPS are kept). */
const struct ss_vmop *ss_hyp_ops(const struct ss_hyp *h, uint32_t *n);

/* Perform the host event the PE exited for (pe->exit.due): nothing when
 * there is none or its tag is unknown.  The PE resumes at its next step. */
void ss_hyp_handle_exit(struct ss_hyp *h, struct ss_pe *pe, const struct ss_observer *obs);

/* At the end of a run: the SErrors lost without anything the run did
 * saying so become LOST with their reason: a vSError deferral VDISR_EL2
 * holds that the guest never read (ss_settle_unread_deferral), and a
 * vSError a SET pended at EL2 still pending (SS_LOST_AT_EL2). */
void ss_hyp_finish(struct ss_hyp *h, struct ss_pe *pe);

/* ss_run, performing each host event as the PE exits for it. */
enum ss_stop ss_hyp_run(struct ss_hyp *h, struct ss_pe *pe, const struct ss_observer *obs);

/* ss_run_until, performing each host event as the PE exits for it; it
 * returns with no boundary left unfinished (for hosts such as the SystemC
 * wrapper). */
enum ss_stop ss_hyp_run_until(struct ss_hyp *h, struct ss_pe *pe,
			      const struct ss_observer *obs, uint64_t until);

#ifdef __cplusplus
}
#endif

#endif
