/*
 * consumer.c - a program outside the serrsim tree using the installed C API:
 * a PE at EL1 with PSTATE.A = 0 sleeps in WFI; an SError raised at cycle
 * 100 wakes it and is taken at VBAR_EL1 + 0x380; the handler ends the run.
 * The application has a config.h and a pe.h of its own (myapp/), on the
 * include path with serrsim's.
 */
#include <stdio.h>

#include <serrsim/esr.h>
#include <serrsim/pe.h>

#include "config.h"	/* the application's: MYAPP_VERSION */
#include "pe.h"		/* the application's: struct pe */

int main(void)
{
	struct pe mine = { .id = 1, .cfg = { .pes = CONFIG_PE_COUNT } };
	printf("%s, %d PE(s) of its own\n", MYAPP_VERSION, mine.cfg.pes);
	static struct ss_pe pe;	/* large: not on the stack */
	struct ss_config cfg;
	ss_config_default(&cfg);
	ss_pe_reset(&pe, &cfg);
	struct ss_insn code[3] = {
		{ .addr = 0x0, .op = SS_OP_WFI },
		{ .addr = 0x4, .op = SS_OP_END },
		{ .addr = 0x10380, .op = SS_OP_END },
	};
	struct ss_program prog = { code, 3 };
	ss_pe_set_program(&pe, &prog);
	pe.sr[SS_REG_PSTATE] = SS_SET(PSTATE_EL, pe.sr[SS_REG_PSTATE], 1);
	pe.sr[SS_REG_PSTATE] = SS_SET(PSTATE_SP, pe.sr[SS_REG_PSTATE], 1);
	pe.sr[SS_REG_PSTATE] = SS_SET(PSTATE_A, pe.sr[SS_REG_PSTATE], 0);
	struct ss_event ev = { .kind = SS_EV_RAISE, .when = SS_AT_CYCLE, .at = 100,
			       .iss = ss_iss_serror(SS_AET_UER, 0), .trigger = SS_EDGE,
			       .synchronizable = true };
	if (!ss_schedule(&pe, &ev))
		return 1;
	enum ss_stop st = ss_run(&pe, NULL);
	char esr[256];
	ss_decode(ss_sysregs[SS_REG_ESR_EL1].layout, pe.sr[SS_REG_ESR_EL1], esr, sizeof esr);
	printf("stop %s at cycle %llu, %u exception(s), vector 0x%llx, ESR_EL1 %s\n", ss_stop_name(st),
	       (unsigned long long)pe.cycle, pe.nexc, (unsigned long long)pe.last_exc.vector, esr);
	return st == SS_STOP_END && pe.nexc == 1 && pe.last_exc.vector == 0x10380 ? 0 : 1;
}
