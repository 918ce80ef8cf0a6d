/*
 * pe.c - the PE as a whole: reset, the state check, the program, names.
 * Pure: no I/O.
 */
#include "internal.h"

#include <string.h>


void ss_pe_reset(struct ss_pe *pe, const struct ss_config *cfg)
{
	memset(pe, 0, sizeof *pe);
	pe->cfg = *cfg;
	for (unsigned i = 0; i < SS_REG_COUNT; i++)
		pe->sr[i] = ss_sysregs[i].reset;
	ss_set_id_registers(pe);
	for (unsigned i = 0; i < SS_MAX_LINES; i++)
		pe->line_cond[i] = -1;
	pe->vcond = -1;
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

void ss_pe_set_program(struct ss_pe *pe, const struct ss_program *prog)
{
	pe->prog = prog;
	pe->dec = NULL;
}


const char *ss_cause_name(enum ss_cause c)
{
	static const char *const names[SS_CAUSE_COUNT] = {
		"pserror", "vserror", "virq", "vfiq", "undef", "svc", "hvc", "smc",
		"sysreg_trap", "wfi_trap", "illegal_state",
	};
	return (unsigned)c < SS_CAUSE_COUNT ? names[c] : "?";
}

const char *ss_stop_name(enum ss_stop s)
{
	static const char *const names[] = { "running", "end", "watchdog", "deadlock",
					     "no_code", "limit", "bad_state" };
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}
