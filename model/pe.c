/*
 * pe.c - the PE as a whole: reset, the state check, the program, names.
 * Pure: no I/O.
 */
#include "internal.h"

#include <stddef.h>
#include <string.h>

/* The part of struct ss_pe a reset clears: everything before its own
 * storage, which only ever is read where a run wrote it. */
#define PE_STATE_SIZE offsetof(struct ss_pe, cond_own)


void ss_pe_reset(struct ss_pe *pe, const struct ss_config *cfg)
{
	memset(pe, 0, PE_STATE_SIZE);
	pe->cfg = *cfg;
	pe->cond = pe->cond_own;
	pe->cond_cap = SS_MAX_CONDS;
	pe->ev = pe->ev_own;
	pe->tkey = pe->tkey_own;
	pe->ev_cap = SS_MAX_EVENTS;
	ss_empty_cond_indexes(pe);
	for (unsigned i = 0; i < SS_REG_COUNT; i++)
		pe->sr[i] = ss_sysregs[i].reset;
	ss_set_id_registers(pe);
	for (unsigned i = 0; i < SS_MAX_LINES; i++)
		pe->line_cond[i] = -1;
	pe->vcond = -1;
	pe->vdisr_unread = -1;
	pe->stop = SS_RUNNING;
}

void ss_pe_reconfigure(struct ss_pe *pe, const struct ss_config *cfg)
{
	pe->cfg = *cfg;
	ss_set_id_registers(pe);
	ss_context_sync(pe);
	ss_decode_refresh(pe);
}

const char *ss_pe_check(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	if (!ss_have_el(pe, el))
		return el == 3 ? "PSTATE.EL is 3 but EL3 is not implemented (el3 = off)"
			       : "PSTATE.EL is 2 but EL2 is not implemented (el2 = off)";
	if (el == 2 && !ss_el2_enabled(pe))
		return "PSTATE.EL is 2 but EL2 is not enabled in the current Security state (SCR_EL3.NS = 0)";
	if (el == 0 && SS_GET(PSTATE_SP, ps))
		return "PSTATE.SP is 1 at EL0: EL0 has only SP_EL0";
	if (SS_GET(PSTATE_nRW, ps))
		return "PSTATE.nRW is 1: AArch32 execution is not modelled";
	if (el <= 1 && ss_el2_enabled(pe) && !HCR(pe, RW))
		return "HCR_EL2.RW is 0: EL1 in AArch32 is not modelled";
	if (el <= 2 && pe->cfg.el3 && !SCR(pe, RW))
		return "SCR_EL3.RW is 0: a lower EL in AArch32 is not modelled";
	if (ps & SS_PSTATE_RES0)
		return "PSTATE has bits set outside its fields";
	return NULL;
}

bool ss_pe_set_storage(struct ss_pe *pe, struct ss_condition *cond, uint32_t ncond,
		       struct ss_event_slot *ev, uint32_t nev)
{
	if (pe->ncond || pe->nraised || pe->ntimed || pe->npcev || pe->nscheduled)
		return false;
	if ((cond && (ncond == 0 || ncond > SS_MAX_STORAGE)) ||
	    (ev && (nev == 0 || nev > SS_MAX_STORAGE)))
		return false;
	if (cond) {
		pe->cond = cond;
		pe->cond_cap = ncond;
	}
	if (ev) {
		/* n slots: n keys, then n records (struct ss_event_slot is
		 * exactly one of each) */
		pe->tkey = (struct ss_timed_key *)(void *)ev;
		pe->ev = (struct ss_event_rec *)(void *)(pe->tkey + nev);
		pe->ev_cap = nev;
	}
	return true;
}

void ss_pe_copy(struct ss_pe *dst, const struct ss_pe *src)
{
	if (dst == src)
		return;
	memcpy(dst, src, PE_STATE_SIZE);
	if (src->cond == src->cond_own) {
		dst->cond = dst->cond_own;
		memcpy(dst->cond_own, src->cond_own, src->ncond * sizeof src->cond_own[0]);
	}
	if (src->ev == src->ev_own) {
		dst->ev = dst->ev_own;
		dst->tkey = dst->tkey_own;
		/* The heap, the timed records, the hash table's buckets and
		 * the PC events. */
		memcpy(dst->tkey_own, src->tkey_own, src->nheap * sizeof src->tkey_own[0]);
		memcpy(&dst->tkey_own[SS_MAX_EVENTS - src->nrun], &src->tkey_own[SS_MAX_EVENTS - src->nrun],
		       src->nrun * sizeof src->tkey_own[0]);
		uint32_t used = src->tused > src->pc_buckets ? src->tused : src->pc_buckets;
		memcpy(dst->ev_own, src->ev_own, used * sizeof src->ev_own[0]);
		memcpy(&dst->ev_own[SS_MAX_EVENTS - src->npcev], &src->ev_own[SS_MAX_EVENTS - src->npcev],
		       src->npcev * sizeof src->ev_own[0]);
	}
}

void ss_pe_set_program(struct ss_pe *pe, const struct ss_program *prog)
{
	pe->prog = prog;
	pe->dec = NULL;
}


const char *ss_cause_name(enum ss_cause c)
{
	static const char *const names[SS_CAUSE_COUNT] = {
		"pserror", "vserror", "virq", "vfiq", "undef", "svc", "hvc", "smc",
		"sysreg_trap", "wfi_trap", "illegal_state", "dabt", "iabt", "irq", "fiq",
	};
	return (unsigned)c < SS_CAUSE_COUNT ? names[c] : "?";
}

const char *ss_stop_name(enum ss_stop s)
{
	static const char *const names[] = { "running", "end", "watchdog", "deadlock",
					     "no_code", "limit", "bad_state" };
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}
