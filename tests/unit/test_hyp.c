/*
 * test_hyp.c - the hypervisor layer above the PE (hyp/hyp.h): host events
 * scheduled in the PE exit to the driver at their place in the boundary
 * (model/pe.h ss_step) and resume there; the driver performs them through
 * the PE's API and records each SET or migration with the event that
 * caused it.
 */
#include <string.h>

#include "hyp.h"
#include "internal.h"	/* ss_esb */
#include "world.h"

static struct ss_hyp hyp;	/* large: not on the stack */

static const struct ss_vcpu_events PENDING_UER = {
	.serror_pending = true, .serror_has_esr = true, .serror_esr = 0xc11,
};

/* What the run reported, in order. */
#define LOG_MAX 64
static struct {
	enum ss_trace_kind kind[LOG_MAX];
	bool virt[LOG_MAX];	/* RAISE: a virtual condition */
	uint32_t iss[LOG_MAX];
	unsigned n;
	unsigned boundaries_at_0;	/* boundary hook calls at cycle 0 */
} lg;

static void log_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	(void)ctx, (void)pe;
	if (lg.n >= LOG_MAX)
		return;
	lg.kind[lg.n] = t->kind;
	lg.virt[lg.n] = t->kind == SS_TR_RAISE && t->cond && t->cond->virt;
	lg.iss[lg.n] = t->kind == SS_TR_RAISE && t->cond ? t->cond->iss : 0;
	lg.n++;
}

static void log_boundary(void *ctx, const struct ss_pe *pe)
{
	(void)ctx;
	lg.boundaries_at_0 += pe->cycle == 0;
}

static const struct ss_observer log_obs = { .notify = log_notify, .boundary = log_boundary };

static void setup(void)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	w_reset(&cfg);
	w_nop_program();
	ss_hyp_init(&hyp, &W->pe->cfg);
	memset(&lg, 0, sizeof lg);
}

static void schedule_host(const struct ss_host_event *hev, enum ss_event_when when, uint64_t at)
{
	struct ss_host_event e = *hev;
	e.line = 40 + hyp.nev;	/* the source line of tag k is 40 + k */
	int tag = ss_hyp_add_event(&hyp, &e);
	EXPECT(tag >= 0, "host event table full");
	struct ss_event ev = { .kind = SS_EV_HOST, .when = when, .at = at, .tag = (uint32_t)tag,
			       .src_line = 40 + (uint32_t)tag };
	EXPECT(ss_schedule(W->pe, &ev), "schedule");
}

static void schedule_raise(uint64_t at, uint32_t iss)
{
	struct ss_event ev = { .kind = SS_EV_RAISE, .when = SS_AT_CYCLE, .at = at, .iss = iss };
	EXPECT(ss_schedule(W->pe, &ev), "schedule");
}

/* Index of the first logged record of kind k (virtual or not for RAISE)
 * from 'from' on, or -1. */
static int find(enum ss_trace_kind k, int virt, unsigned from)
{
	for (unsigned i = from; i < lg.n; i++)
		if (lg.kind[i] == k && (virt < 0 || lg.virt[i] == (virt != 0)))
			return (int)i;
	return -1;
}

/* A SET at the cycle at which physical SErrors are raised too, one listed
 * before it and one after: the PE exits between them, the SET happens there,
 * and the boundary goes on with the second one, its hook called once. */
START_TEST(hyp_exit_keeps_event_order)
{
	setup();
	struct ss_host_event set = { .op = SS_HOST_SET, .vev = PENDING_UER, .dst = -1 };
	schedule_raise(0, 0xc12);
	schedule_host(&set, SS_AT_CYCLE, 0);
	schedule_raise(0, 0xc13);

	/* By hand: the first step stops at the host event. */
	enum ss_stop s = ss_step(W->pe, &log_obs);
	CHECKF(s == SS_RUNNING && W->pe->exit.due && W->pe->exit.tag == 0 &&
		       W->pe->exit.src_line == 40 && W->pe->exit.cycle == 0,
	       "no exit: stop=%s due=%d tag=%u", ss_stop_name(s), W->pe->exit.due, W->pe->exit.tag);
	CHECKF(W->pe->nraised == 1 && W->pe->ninsn == 0, "exit not between the events: raised=%llu",
	       (unsigned long long)W->pe->nraised);
	ss_hyp_handle_exit(&hyp, W->pe, &log_obs);
	CHECKF(W->pe->vcond >= 0 && hyp.nops == 1 && hyp.ops[0].line == 40 && hyp.ops[0].tag == 0,
	       "SET not performed or not recorded: vcond=%d nops=%u", W->pe->vcond, hyp.nops);
	s = ss_step(W->pe, &log_obs);
	CHECKF(s == SS_RUNNING && !W->pe->exit.due && W->pe->nraised == 3,
	       "resume: due=%d raised=%llu", W->pe->exit.due, (unsigned long long)W->pe->nraised);
	CHECKF(lg.boundaries_at_0 == 1, "boundary hook called %u times", lg.boundaries_at_0);

	/* The order reported: physical 0xc12, the SET (virtual raise, VMOP),
	 * physical 0xc13. */
	int p1 = find(SS_TR_RAISE, 0, 0), v = find(SS_TR_RAISE, 1, 0), op = find(SS_TR_VMOP, -1, 0);
	int p2 = p1 >= 0 ? find(SS_TR_RAISE, 0, (unsigned)p1 + 1) : -1;
	CHECKF(p1 >= 0 && v > p1 && op > v && p2 > op && lg.iss[p1] == 0xc12 && lg.iss[p2] == 0xc13,
	       "order: physical %d, virtual %d, vmop %d, physical %d", p1, v, op, p2);

	/* The same through the driver loop gives the same report. */
	unsigned n = lg.n;
	enum ss_trace_kind kinds[LOG_MAX];
	memcpy(kinds, lg.kind, sizeof kinds);
	setup();
	schedule_raise(0, 0xc12);
	schedule_host(&set, SS_AT_CYCLE, 0);
	schedule_raise(0, 0xc13);
	s = ss_hyp_run(&hyp, W->pe, &log_obs);
	CHECKF(s == SS_STOP_END && !W->pe->exit.due, "run: %s", ss_stop_name(s));
	CHECKF(lg.n >= n && memcmp(kinds, lg.kind, n * sizeof kinds[0]) == 0,
	       "ss_hyp_run reports another order");
	CHECKF(lg.boundaries_at_0 == 1, "boundary hook called %u times", lg.boundaries_at_0);
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

/* A host event at a PC fires once, though the PC is reached twice. */
START_TEST(hyp_pc_event_fires_once)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	w_reset(&cfg);
	struct ss_insn *in = w_insn(CODE, SS_OP_SUBSI);	/* subs x0, x0, #1 */
	in->rd = 0, in->rn = 0, in->imm = 1;
	in = w_insn(CODE + 4, SS_OP_BCOND);		/* b.ne CODE */
	in->cond = SS_NE, in->target = CODE;
	w_insn(CODE + 8, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	W->pe->x[0] = 2;
	ss_hyp_init(&hyp, &W->pe->cfg);
	memset(&lg, 0, sizeof lg);
	w_set_a(1);	/* the vSError stays pending */
	struct ss_host_event inj = { .op = SS_HOST_VSERROR, .iss = 0xc11, .dst = -1 };
	schedule_host(&inj, SS_AT_PC, CODE);
	enum ss_stop s = ss_hyp_run(&hyp, W->pe, &log_obs);
	CHECKF(s == SS_STOP_END && W->pe->ninsn == 5, "run: %s after %llu instructions",
	       ss_stop_name(s), (unsigned long long)W->pe->ninsn);
	unsigned raises = 0;
	for (unsigned i = 0; i < lg.n; i++)
		raises += lg.kind[i] == SS_TR_RAISE && lg.virt[i];
	CHECKF(raises == 1 && W->pe->nraised == 1, "injected %u times", raises);
	CHECKF(W->pe->npcev_live == 0, "the PC event is still live");
	SOFT_DONE();
}
END_TEST

/* Without a driver, ss_run returns at the host event (nothing lost
 * silently) and, called again, goes on without it. */
START_TEST(hyp_run_without_driver)
{
	setup();
	struct ss_host_event inj = { .op = SS_HOST_VSERROR, .iss = 0xc11, .dst = -1 };
	schedule_host(&inj, SS_AT_CYCLE, 1);
	enum ss_stop s = ss_run(W->pe, &log_obs);
	CHECKF(s == SS_RUNNING && W->pe->exit.due && W->pe->exit.tag == 0, "ss_run: %s due=%d",
	       ss_stop_name(s), W->pe->exit.due);
	s = ss_run(W->pe, &log_obs);
	CHECKF(s == SS_STOP_END && W->pe->nraised == 0, "skipped host event: %s raised=%llu",
	       ss_stop_name(s), (unsigned long long)W->pe->nraised);
	SOFT_DONE();
}
END_TEST

/* SET and migrations as scheduled host events: recorded with their hosts,
 * the current host follows a migration that was not refused. */
START_TEST(hyp_hosts_and_records)
{
	setup();
	struct ss_config noras;
	w_default_config(&noras);
	noras.ras = false;
	noras.iesb = false;
	struct ss_host *dst = ss_hyp_add_host(&hyp, "v80", &noras);
	EXPECT(dst && ss_hyp_host_index(&hyp, dst) == 1, "add host");
	struct ss_host_event set = { .op = SS_HOST_SET, .vev = PENDING_UER, .dst = -1 };
	struct ss_host_event strict = { .op = SS_HOST_MIGRATE, .dst = 1, .vmm = SS_VMM_STRICT };
	struct ss_host_event qemu = { .op = SS_HOST_MIGRATE, .dst = 1, .vmm = SS_VMM_QEMU };
	struct ss_host_event nodst = { .op = SS_HOST_MIGRATE, .dst = -1 };
	schedule_host(&set, SS_AT_CYCLE, 0);
	schedule_host(&strict, SS_AT_CYCLE, 1);
	schedule_host(&nodst, SS_AT_CYCLE, 1);
	schedule_host(&qemu, SS_AT_CYCLE, 1);
	enum ss_stop s = ss_hyp_run(&hyp, W->pe, &log_obs);
	CHECKF(s == SS_STOP_END, "stop %s", ss_stop_name(s));
	uint32_t n;
	const struct ss_vmop *ops = ss_hyp_ops(&hyp, &n);
	CHECKF(n == 3, "operations: %u", n);
	if (n == 3) {
		CHECKF(!ops[0].is_migration && ops[0].src_host == 0 && ops[0].dst_host == 0 &&
			       ops[0].line == 40,
		       "SET record: src=%d dst=%d line=%u", ops[0].src_host, ops[0].dst_host,
		       ops[0].line);
		CHECKF(ops[1].is_migration && ops[1].refused && ops[1].src_host == 0 &&
			       ops[1].dst_host == 1 && ops[1].line == 41,
		       "strict record: refused=%d src=%d dst=%d", ops[1].refused, ops[1].src_host,
		       ops[1].dst_host);
		CHECKF(ops[2].is_migration && !ops[2].refused && ops[2].esr_dropped &&
			       ops[2].src_host == 0 && ops[2].dst_host == 1 && ops[2].line == 43,
		       "qemu record: refused=%d dropped=%d line=%u", ops[2].refused,
		       ops[2].esr_dropped, ops[2].line);
	}
	CHECKF(ss_hyp_current(&hyp) == dst && !W->pe->cfg.ras, "the guest is not on host v80");
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));

	/* The record keeps SS_MAX_VMOPS operations; later ones are only reported. */
	setup();
	struct ss_host_event none = { .op = SS_HOST_SET, .dst = -1 };
	for (int i = 0; i < SS_MAX_VMOPS + 4; i++)
		schedule_host(&none, SS_AT_CYCLE, 0);
	s = ss_hyp_run(&hyp, W->pe, &log_obs);
	ss_hyp_ops(&hyp, &n);
	CHECKF(s == SS_STOP_END && n == SS_MAX_VMOPS && find(SS_TR_VMOP, -1, 0) >= 0,
	       "kept %u operations", n);
	unsigned reported = 0;
	for (unsigned i = 0; i < lg.n; i++)
		reported += lg.kind[i] == SS_TR_VMOP;
	CHECKF(reported == SS_MAX_VMOPS + 4, "reported %u operations", reported);
	SOFT_DONE();
}
END_TEST

/* Nothing lost silently: a vSError deferred into VDISR_EL2 that the guest
 * never reads is LOST at the end (ss_hyp_finish), one it reads stays
 * DEFERRED, and one a later deferral overwrites unread is LOST at once. */
START_TEST(hyp_unread_deferral_lost)
{
	for (int read = 0; read < 2; read++) {
		setup();
		w_set_el(1, 1);
		w_set_a(1);
		SETF(HCR_EL2, HCR_AMO, 1);
		int c = ss_pend_virtual_serror(W->pe, 0x811, NULL);
		ss_esb(W->pe, NULL);
		CHECKF(c >= 0 && W->pe->cond[c].disp == SS_DISP_DEFERRED, "not deferred");
		if (read)
			ss_vdisr_read(W->pe);
		ss_hyp_finish(&hyp, W->pe);
		CHECKF(W->pe->cond[c].disp == (read ? SS_DISP_DEFERRED : SS_DISP_LOST) &&
			       W->pe->cond[c].lost == (read ? SS_LOST_NONE : SS_LOST_UNREAD),
		       "read=%d: %s", read, ss_disposition_name(W->pe->cond[c].disp));
		CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	}
	setup();
	w_set_el(1, 1);
	w_set_a(1);
	SETF(HCR_EL2, HCR_AMO, 1);
	int first = ss_pend_virtual_serror(W->pe, 0x811, NULL);
	ss_esb(W->pe, NULL);
	int second = ss_pend_virtual_serror(W->pe, 0xc11, NULL);
	ss_esb(W->pe, NULL);
	CHECKF(W->pe->cond[first].disp == SS_DISP_LOST &&
		       W->pe->cond[first].lost == SS_LOST_VDISR_OVERWRITTEN &&
		       W->pe->cond[second].disp == SS_DISP_DEFERRED,
	       "first %s, second %s", ss_disposition_name(W->pe->cond[first].disp),
	       ss_disposition_name(W->pe->cond[second].disp));
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

/* Linux v6.17 kvm_inject_serror_esr: SCTLR2_EL1.NMEA = 1 makes a SET with
 * PSTATE.A = 1 an emulated entry; 4.19 (kvm-overwrite) pends it. */
START_TEST(hyp_set_nmea_entered)
{
	for (int v617 = 0; v617 < 2; v617++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.double_fault = cfg.double_fault2 = cfg.sctlr2 = cfg.hcx = true;
		cfg.vinject = v617 ? SS_VINJ_KVM_DELIVER_OR_PEND : SS_VINJ_KVM_OVERWRITE;
		w_reset(&cfg);
		w_nop_program();
		w_set_el(1, 1);
		w_set_a(1);
		SETF(HCR_EL2, HCR_AMO, 1);
		SETF(SCTLR2_EL1, SCTLR2_NMEA, 1);
		struct ss_vmop op;
		ss_kvm_set_op(W->pe, &PENDING_UER, &op, NULL);
		CHECKF(op.set == SS_SET_OK && op.entered_el == (v617 ? 1 : 0) && !op.at_el2 &&
			       op.iss == 0xc11 && W->pe->nexc == (v617 ? 1u : 0u),
		       "6.17=%d: entered %u, exceptions %u", v617, op.entered_el, W->pe->nexc);
	}
	SOFT_DONE();
}
END_TEST

/* A SET on a vCPU at EL2: entered at EL2 under kvm-deliver-or-pend with
 * AMO = 1 and PSTATE.A = 0; with AMO = 0 pended, and LOST (pended at EL2)
 * at the end when still pending. */
START_TEST(hyp_set_at_el2)
{
	for (int amo = 0; amo < 2; amo++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.vinject = SS_VINJ_KVM_DELIVER_OR_PEND;
		w_reset(&cfg);
		w_nop_program();
		ss_hyp_init(&hyp, &W->pe->cfg);
		w_set_el(2, 1);
		w_set_a(0);
		SETF(HCR_EL2, HCR_AMO, amo);
		struct ss_host_event set = { .op = SS_HOST_SET, .vev = PENDING_UER, .dst = -1 };
		schedule_host(&set, SS_AT_CYCLE, 0);
		enum ss_stop s = ss_hyp_run(&hyp, W->pe, NULL);
		ss_hyp_finish(&hyp, W->pe);
		uint32_t n;
		const struct ss_vmop *ops = ss_hyp_ops(&hyp, &n);
		CHECKF(s == SS_STOP_END && n == 1 && ops[0].at_el2 && ops[0].entered_el == (amo ? 2 : 0),
		       "amo=%d: entered %u", amo, n ? ops[0].entered_el : 0);
		if (n == 1 && ops[0].cond_after >= 0)
			CHECKF(W->pe->cond[ops[0].cond_after].disp ==
				       (amo ? SS_DISP_TAKEN : SS_DISP_LOST),
			       "amo=%d: %s", amo,
			       ss_disposition_name(W->pe->cond[ops[0].cond_after].disp));
		CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	}
	SOFT_DONE();
}
END_TEST

Suite *suite_hyp(void)
{
	Suite *s = suite_create("hyp");
	TCase *tc = world_tcase("hyp");
	tcase_add_test(tc, hyp_exit_keeps_event_order);
	tcase_add_test(tc, hyp_pc_event_fires_once);
	tcase_add_test(tc, hyp_run_without_driver);
	tcase_add_test(tc, hyp_hosts_and_records);
	tcase_add_test(tc, hyp_unread_deferral_lost);
	tcase_add_test(tc, hyp_set_nmea_entered);
	tcase_add_test(tc, hyp_set_at_el2);
	suite_add_tcase(s, tc);
	return s;
}
