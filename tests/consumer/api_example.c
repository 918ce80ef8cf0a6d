/*
 * api_example.c - embedding serrsim (docs/api.md shows this file verbatim).
 *
 * 1. A PE built from C: FEAT_RAS, the ras-combine merge policy, a guest
 *    kernel at EL1h with SErrors unmasked asleep in WFI.  Two SErrors (UER
 *    and UC) arrive at cycle 50; ras-combine takes both with one exception
 *    whose syndrome is the most severe, and the handler reads ESR_EL1.
 * 2. A scenario file run through the scenario library (argv[1]).
 */
#include <stdio.h>

#include <serrsim/esr.h>
#include <serrsim/pe.h>
#include <serrsim/scenario.h>
#include <serrsim/vectors.h>

#define VBAR 0x80000u	/* the handler's vector table */

/* An observer: the PE reports everything it does as it happens. */
static void on_trace(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	(void)ctx;
	(void)pe;
	if (t->kind == SS_TR_EXCEPTION)
		printf("cycle %llu: exception %u (%s) from EL%u to EL%u at 0x%llx\n",
		       (unsigned long long)t->cycle, t->exc->number, ss_cause_name(t->exc->cause),
		       t->exc->from_el, t->exc->to_el, (unsigned long long)t->exc->vector);
}

static int run_pe(void)
{
	static struct ss_pe pe;		/* large: not on the stack */
	struct ss_config cfg;
	ss_config_default(&cfg);	/* the defaults of docs/model.md */
	if (ss_knob_set(&cfg, ss_knob_find("ras"), "on") ||
	    ss_knob_set(&cfg, ss_knob_find("merge"), "ras-combine") || ss_config_check(&cfg))
		return 1;
	ss_pe_reset(&pe, &cfg);

	/* Registers: EL1h, SErrors unmasked, the vector table at VBAR. */
	uint64_t *pstate = &pe.sr[SS_REG_PSTATE];
	*pstate = SS_SET(PSTATE_EL, *pstate, 1);
	*pstate = SS_SET(PSTATE_SP, *pstate, 1);
	*pstate = SS_SET(PSTATE_A, *pstate, 0);
	pe.sr[SS_REG_VBAR_EL1] = ss_legalize(&pe, SS_REG_VBAR_EL1, VBAR);

	/* The program: sleep; the SError vector (current EL with SP_ELx)
	 * reads the syndrome into X0 and ends the run. */
	const uint64_t serror = VBAR + SS_VEC_CURR_SPX + SS_VEC_SERROR;	/* 0x80380 */
	const struct ss_insn code[] = {
		{ .addr = 0x0, .op = SS_OP_WFI },
		{ .addr = 0x4, .op = SS_OP_END },
		{ .addr = serror, .op = SS_OP_MRS, .rd = 0, .sreg = SS_REG_ESR_EL1 },
		{ .addr = serror + 4, .op = SS_OP_END },
	};
	const struct ss_program prog = { code, sizeof code / sizeof code[0] };
	ss_pe_set_program(&pe, &prog);

	/* Two edge-triggered SErrors from RAS error nodes at cycle 50. */
	struct ss_event ev = { .kind = SS_EV_RAISE, .when = SS_AT_CYCLE, .at = 50,
			       .trigger = SS_EDGE, .synchronizable = true };
	ev.iss = ss_iss_serror(SS_AET_UER, false);
	if (!ss_schedule(&pe, &ev))
		return 1;
	ev.iss = ss_iss_serror(SS_AET_UC, false);
	if (!ss_schedule(&pe, &ev))
		return 1;

	struct ss_observer obs = { .notify = on_trace };
	enum ss_stop st = ss_run(&pe, &obs);

	char esr[256];
	ss_decode(ss_sysregs[SS_REG_ESR_EL1].layout, pe.sr[SS_REG_ESR_EL1], esr, sizeof esr);
	printf("stop %s at cycle %llu\n", ss_stop_name(st), (unsigned long long)pe.cycle);
	printf("ESR_EL1 0x%llx: %s\n", (unsigned long long)pe.sr[SS_REG_ESR_EL1], esr);
	/* The field by name, its value by the generated macros. */
	const struct ss_field *aet = ss_field_by_name(ss_sysregs[SS_REG_ESR_EL1].layout, "AET", NULL);
	printf("X0 0x%llx: AET=%s\n", (unsigned long long)pe.x[0],
	       ss_enum_name(aet->en, SS_GET(ESR_SErr_AET, pe.x[0])));
	for (int d = 0; d < SS_DISP_COUNT; d++)
		if (ss_ledger_count(&pe, (enum ss_disposition)d))
			printf("ledger %s: %llu\n", ss_disposition_name((enum ss_disposition)d),
			       (unsigned long long)ss_ledger_count(&pe, (enum ss_disposition)d));
	return st == SS_STOP_END && ss_ledger_count(&pe, SS_DISP_MERGED) == 1 ? 0 : 1;
}

static int run_scenario(const char *path)
{
	static struct ss_result res;	/* large: not on the stack */
	ss_result_init(&res);
	enum ss_status st = ss_scenario_run_file(path, NULL, &res);
	printf("%s: %s, %zu of %zu expectations hold, %u exception(s), %llu cycles\n",
	       res.name, ss_status_name(st), res.nexp - res.nfail, res.nexp, res.exceptions,
	       (unsigned long long)res.cycles);
	for (size_t i = 0; i < res.diags.n; i++) {
		char msg[512];
		ss_diag_format(path, &res.diags.v[i], msg, sizeof msg);
		printf("%s\n", msg);
	}
	for (size_t i = 0; i < res.nexp; i++)
		if (!res.exp[i].pass)
			printf("line %u: %s %s %s: got %s\n", res.exp[i].line, res.exp[i].lhs,
			       res.exp[i].op, res.exp[i].rhs, res.exp[i].actual_text);
	ss_result_free(&res);
	return st == SS_STATUS_PASS ? 0 : 1;
}

int main(int argc, char **argv)
{
	int rc = run_pe();
	if (argc > 1)
		rc |= run_scenario(argv[1]);
	return rc;
}
