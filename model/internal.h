/*
 * internal.h - helpers shared by pe.c (rules, exception entry, register
 * access) and exec.c (instructions and the step engine).  Not installed.
 */
#ifndef SERRSIM_INTERNAL_H
#define SERRSIM_INTERNAL_H

#include "esr.h"
#include "pe.h"
#include "vectors.h"	/* SS_VEC_SYNC ... SS_VEC_SERROR: offsets within a group */

#define PSTATE_GET(pe, F) SS_GET(PSTATE_##F, (pe)->sr[SS_REG_PSTATE])
#define PSTATE_PUT(pe, F, x) ((pe)->sr[SS_REG_PSTATE] = SS_SET(PSTATE_##F, (pe)->sr[SS_REG_PSTATE], (x)))
#define HCR(pe, F) SS_GET(HCR_##F, (pe)->sr[SS_REG_HCR_EL2])
#define SCR(pe, F) SS_GET(SCR_##F, (pe)->sr[SS_REG_SCR_EL3])

static inline void ss_notify(const struct ss_observer *obs, const struct ss_pe *pe,
			     const struct ss_trace *t)
{
	if (obs && obs->notify)
		obs->notify(obs->ctx, pe, t);
}

/* Report a trace record; it is built only when someone observes. */
#define SS_TRACE(obs, pe, ...)                                          \
	do {                                                            \
		if ((obs) && (obs)->notify) {                           \
			struct ss_trace t_ = { __VA_ARGS__ };           \
			(obs)->notify((obs)->ctx, (pe), &t_);           \
		}                                                       \
	} while (0)

/* AArch64.TakeException: enter 'to' with the given syndrome; runs the
 * implicit ESB of the target EL afterwards. */
void ss_take_exception(struct ss_pe *pe, const struct ss_observer *obs, unsigned to,
		       enum ss_cause cause, bool has_esr, uint64_t esr, uint64_t elr,
		       unsigned vec, int cond);

/* Synchronous exceptions with the routing of an UNDEFINED instruction
 * (EL0 -> EL1, or EL2 when HCR_EL2.TGE=1; otherwise the current EL). */
unsigned ss_sync_target(const struct ss_pe *pe);
void ss_undefined(struct ss_pe *pe, const struct ss_observer *obs);

/* SynchronizeErrors(): synchronizable conditions still propagating become
 * pending now. */
void ss_synchronize_errors(struct ss_pe *pe, const struct ss_observer *obs);

/* Make in-flight conditions whose time has come pending. */
void ss_update_visibility(struct ss_pe *pe, const struct ss_observer *obs);

/* TakeUnmaskedPhysicalSErrorInterrupts(iesb_req): take the oldest pending
 * physical condition if it is unmasked; ESR.IESB = iesb. */
bool ss_take_physical_serror(struct ss_pe *pe, const struct ss_observer *obs, bool iesb,
			     uint64_t elr);

/* Take the highest-priority unmasked asynchronous exception, if any (all
 * kinds, or SErrors only for TakeUnmaskedSErrorInterrupts at an ESB). */
bool ss_take_pending_async(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
			   bool serror_only);

/* A WFI wake-up event is pending. */
bool ss_wake_pending(const struct ss_pe *pe);

/* ESR.ISS a physical condition reports on this PE (0 for an architected
 * syndrome without FEAT_RAS). */
uint32_t ss_physical_iss(const struct ss_pe *pe, uint32_t iss);

/* Oldest pending condition (synchronizable only, if asked), or NULL. */
struct ss_condition *ss_oldest_pending(struct ss_pe *pe, bool synchronizable_only);


/* AArch64.ExceptionReturn() for ERET at the current EL. */
void ss_exception_return(struct ss_pe *pe, const struct ss_observer *obs);

/* AArch64.ESBOperation() + vESBOperation() + TakeUnmaskedSErrorInterrupts().
 * Returns true when an SError was taken at the ESB. */
bool ss_esb(struct ss_pe *pe, const struct ss_observer *obs);

bool ss_have_el(const struct ss_pe *pe, unsigned el);

/* Recompute the ID registers from pe->cfg (reset, migration). */
void ss_set_id_registers(struct ss_pe *pe);

/* Index from which open (pending or in-flight) conditions can be found:
 * conditions only ever move from open to final, so it only grows (until the
 * ledger is compacted). */
static inline uint32_t ss_open_from(struct ss_pe *pe)
{
	while (pe->first_open < pe->ncond && pe->cond[pe->first_open].disp != SS_DISP_PENDING &&
	       pe->cond[pe->first_open].disp != SS_DISP_IN_FLIGHT)
		pe->first_open++;
	return pe->first_open;
}

/* A context synchronization event: earlier MSRs become visible to sampling. */
static inline void ss_context_sync(struct ss_pe *pe)
{
	pe->hcr_stale = pe->scr_stale = false;
}

/* route.c: the effective HCR_EL2.{IMO,FMO} (EffectiveHCR_IMO/FMO) and the
 * virtual IRQ/FIQ that would be taken now. */
bool ss_effective_imo(const struct ss_pe *pe);
bool ss_effective_fmo(const struct ss_pe *pe);
bool ss_virq_unmasked(const struct ss_pe *pe);
bool ss_vfiq_unmasked(const struct ss_pe *pe);

/* ledger.c: the merge policy's choice among the eligible pending physical
 * conditions (the representative, and the syndrome reported), and the
 * consumption of what one exception or ESB takes. */
struct ss_condition *ss_merge_pick(struct ss_pe *pe, bool sync_only, uint32_t *iss);
void ss_merge_consume(struct ss_pe *pe, struct ss_condition *rep, bool sync_only,
		      enum ss_disposition d, uint32_t number);

/* ledger.c: end the pending virtual condition in state d (exception or
 * deferral 'number', syndrome finally reported); set HCR_EL2.VSE. */
void ss_end_virtual(struct ss_pe *pe, enum ss_disposition d, uint32_t number, uint32_t iss);
void ss_set_vse(struct ss_pe *pe, const struct ss_observer *obs, bool vse);

#endif
