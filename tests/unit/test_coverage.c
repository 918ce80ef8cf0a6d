/*
 * test_coverage.c - the parts of the model that the scenario suites and the
 * other unit suites leave unexercised (scripts/coverage.sh lists them):
 *
 *   vcpu      KVM_GET/SET_VCPU_EVENTS and migration between hosts (hyp/
 *             vcpu.h; Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_get/
 *             set_events, Documentation/virt/kvm/api.rst 4.31/4.32, QEMU
 *             target/arm/kvm.c kvm_put_vcpu_events); test_hyp.c drives them
 *             as scheduled host events;
 *   alu       the data-processing instructions (ARM-M C6.2 MOV, ADD, SUB,
 *             SUBS: NZCV of AddWithCarry(x, NOT(y), 1));
 *   capacity  fixed capacities: the event queue, the level lines, the
 *             ledger (compaction of final conditions, LIMIT when every slot
 *             holds an open one) - every condition stays accounted for;
 *   checks    ss_pe_check and ss_ledger_check refuse each impossible state
 *             they describe, and ss_config_check each inconsistent choice;
 *   edges     out-of-range arguments to the rule functions.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "internal.h"	/* ss_oldest_pending */
#include "hyp.h"
#include "world.h"

/* --- helpers ------------------------------------------------------------- */

static void reset_with(bool ras)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.ras = ras;
	cfg.iesb = ras;		/* FEAT_IESB is part of RAS */
	w_reset(&cfg);
	w_nop_program();
}

static void no_ras_config(struct ss_config *cfg)
{
	w_default_config(cfg);
	cfg->ras = false;
	cfg->iesb = false;
}

static void ras_config(struct ss_config *cfg)
{
	w_default_config(cfg);
}

static const struct ss_vcpu_events PENDING_UER = {
	.serror_pending = true, .serror_has_esr = true, .serror_esr = 0xc11,
};

/* --- vcpu: names ------------------------------------------------------------ */

START_TEST(vcpu_vmm_names)
{
	static const struct { enum ss_vmm v; const char *name; } t[] = {
		{ SS_VMM_QEMU, "qemu" }, { SS_VMM_VERBATIM, "verbatim" }, { SS_VMM_STRICT, "strict" },
		{ SS_VMM_TRANSLATE, "translate" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum ss_vmm v = (enum ss_vmm)99;
		CHECKF(strcmp(ss_vmm_name(t[i].v), t[i].name) == 0, "name of vmm %d", (int)t[i].v);
		CHECKF(ss_vmm_from_name(t[i].name, &v) && v == t[i].v, "vmm '%s'", t[i].name);
	}
	enum ss_vmm v = SS_VMM_QEMU;
	CHECKF(!ss_vmm_from_name("libvirt", &v), "unknown VMM name accepted");
	CHECKF(strcmp(ss_vmm_name((enum ss_vmm)7), "?") == 0, "out-of-range VMM has a name");
	SOFT_DONE();
}
END_TEST

/* --- vcpu: KVM_GET_VCPU_EVENTS (Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_get_events/__kvm_arm_vcpu_set_events; docs/rules.md H1.3) --------------------------------- */

START_TEST(vcpu_get_events)
{
	struct ss_vcpu_events ev;

	/* RAS host, VSE = 1: pending, has_esr (the host's RAS), esr = VSESR_EL2. */
	reset_with(true);
	SETF(HCR_EL2, HCR_VSE, 1);
	SR(VSESR_EL2) = 0xc11;
	ss_kvm_get_events(W->pe, &ev);
	CHECKF(ev.serror_pending && ev.serror_has_esr && ev.serror_esr == 0xc11,
	       "GET, RAS, VSE=1: pending=%d has_esr=%d esr=%#llx", ev.serror_pending,
	       ev.serror_has_esr, (unsigned long long)ev.serror_esr);

	/* RAS host, VSE = 0: esr is only reported with pending. */
	SETF(HCR_EL2, HCR_VSE, 0);
	ss_kvm_get_events(W->pe, &ev);
	CHECKF(!ev.serror_pending && ev.serror_has_esr && ev.serror_esr == 0,
	       "GET, RAS, VSE=0: pending=%d has_esr=%d esr=%#llx", ev.serror_pending,
	       ev.serror_has_esr, (unsigned long long)ev.serror_esr);

	/* Non-RAS host: never has_esr, esr 0. */
	reset_with(false);
	SETF(HCR_EL2, HCR_VSE, 1);
	ss_kvm_get_events(W->pe, &ev);
	CHECKF(ev.serror_pending && !ev.serror_has_esr && ev.serror_esr == 0,
	       "GET, no RAS, VSE=1: pending=%d has_esr=%d esr=%#llx", ev.serror_pending,
	       ev.serror_has_esr, (unsigned long long)ev.serror_esr);
	SOFT_DONE();
}
END_TEST

/* --- vcpu: KVM_SET_VCPU_EVENTS (Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_get_events/__kvm_arm_vcpu_set_events; Linux Documentation/virt/kvm/api.rst 4.31/4.32; docs/rules.md H1.3, H1.6) ----------------------------- */

START_TEST(vcpu_set_events)
{
	struct ss_vcpu_events ev = { 0 };

	/* Not pending: nothing happens ("it is not possible to cancel an SError"). */
	reset_with(true);
	CHECKF(ss_kvm_set_events(W->pe, &ev, &W->obs) == SS_SET_OK, "SET !pending: not OK");
	CHECKF(GETF(HCR_EL2, HCR_VSE) == 0 && W->pe->ncond == 0, "SET !pending injected");

	/* has_esr on a host without RAS: EINVAL, nothing injected. */
	reset_with(false);
	ev = PENDING_UER;
	CHECKF(ss_kvm_set_events(W->pe, &ev, &W->obs) == SS_SET_EINVAL, "SET has_esr, no RAS: not EINVAL");
	CHECKF(GETF(HCR_EL2, HCR_VSE) == 0 && W->pe->vcond < 0, "SET EINVAL injected");

	/* esr outside ISS[24:0] (SS_ESR_ELx_ISS_MASK): EINVAL. */
	reset_with(true);
	ev.serror_esr = UINT64_C(1) << 25;
	CHECKF(ss_kvm_set_events(W->pe, &ev, &W->obs) == SS_SET_EINVAL, "SET esr bit 25: not EINVAL");
	CHECKF(GETF(HCR_EL2, HCR_VSE) == 0, "SET EINVAL set VSE");

	/* has_esr on a RAS host: VSESR_EL2 = esr, VSE = 1. */
	ev = PENDING_UER;
	CHECKF(ss_kvm_set_events(W->pe, &ev, &W->obs) == SS_SET_OK, "SET has_esr, RAS: not OK");
	CHECKF(GETF(HCR_EL2, HCR_VSE) == 1 && SR(VSESR_EL2) == 0xc11 && W->pe->vcond >= 0,
	       "SET has_esr, RAS: VSE=%llu VSESR=%#llx", (unsigned long long)GETF(HCR_EL2, HCR_VSE),
	       (unsigned long long)SR(VSESR_EL2));

	/* No ESR on a RAS host: KVM chooses ESR_ELx_ISV (IDS = 1, ISS 0). */
	reset_with(true);
	ev.serror_has_esr = false;
	ev.serror_esr = 0;
	CHECKF(ss_kvm_set_events(W->pe, &ev, &W->obs) == SS_SET_OK, "SET no esr, RAS: not OK");
	CHECKF(SR(VSESR_EL2) == SS_KVM_DEFAULT_ISS && SS_KVM_DEFAULT_ISS == SS_ESR_SErr_IDS_MASK,
	       "SET no esr, RAS: VSESR=%#llx, expected IDS only", (unsigned long long)SR(VSESR_EL2));

	/* No ESR on a host without RAS: the vSError is pending, no VSESR_EL2. */
	reset_with(false);
	CHECKF(ss_kvm_set_events(W->pe, &ev, &W->obs) == SS_SET_OK, "SET no esr, no RAS: not OK");
	CHECKF(GETF(HCR_EL2, HCR_VSE) == 1 && W->pe->vcond >= 0, "SET no esr, no RAS: not pending");
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

START_TEST(vcpu_set_op_described)
{
	reset_with(true);
	struct ss_vmop op;
	ss_kvm_set_op(W->pe, &PENDING_UER, &op, &W->obs);
	CHECKF(!op.is_migration && op.set == SS_SET_OK && op.cond_before == -1 &&
		       op.cond_after == W->pe->vcond && op.sent.serror_esr == 0xc11,
	       "SET: migration=%d set=%d before=%d after=%d", op.is_migration, op.set,
	       op.cond_before, op.cond_after);
	/* A second SET while one is pending (vinject = combine): merged. */
	ss_kvm_set_op(W->pe, &PENDING_UER, &op, &W->obs);
	CHECKF(op.cond_before >= 0 && op.cond_after >= 0 &&
		       W->pe->cond[op.cond_after].disp == SS_DISP_MERGED,
	       "second SET: before=%d after=%d", op.cond_before, op.cond_after);
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

/* --- vcpu: migration (QEMU v7.2.0 target/arm/kvm.c kvm_put_vcpu_events; docs/rules.md H3.1; vcpu.h ss_migrate) ----------------------- */

/* A RAS source with a pending vSError (ESR 0xc11) and DISR history. */
static int source_with_pending(void)
{
	reset_with(true);
	SR(VDISR_EL2) = 0x80000000u | 0xc11;	/* the guest's DISR_EL1 (A = 1) */
	EXPECT(ss_kvm_set_events(W->pe, &PENDING_UER, &W->obs) == SS_SET_OK, "source SET");
	return W->pe->vcond;
}

START_TEST(vcpu_migrate_qemu_to_noras)
{
	struct ss_config dst;
	struct ss_vmop op;
	no_ras_config(&dst);
	int src = source_with_pending();
	ss_migrate(W->pe, &dst, SS_VMM_QEMU, &op, &W->obs);
	/* QEMU drops has_esr/esr without KVM_CAP_ARM_INJECT_SERROR_ESR. */
	CHECKF(op.is_migration && !op.refused && op.esr_dropped && !op.sent.serror_has_esr &&
		       op.sent.serror_pending && op.set == SS_SET_OK,
	       "qemu -> no RAS: refused=%d dropped=%d has_esr=%d set=%d", op.refused,
	       op.esr_dropped, op.sent.serror_has_esr, op.set);
	CHECKF(op.saved.serror_pending && op.saved.serror_has_esr && op.saved.serror_esr == 0xc11,
	       "saved events");
	CHECKF(!W->pe->cfg.ras, "the PE does not run as the destination");
	CHECKF(GETF(HCR_EL2, HCR_VSE) == 1 && SR(VSESR_EL2) == 0 && SR(VDISR_EL2) == 0,
	       "destination: VSE=%llu VSESR=%#llx VDISR=%#llx",
	       (unsigned long long)GETF(HCR_EL2, HCR_VSE), (unsigned long long)SR(VSESR_EL2),
	       (unsigned long long)SR(VDISR_EL2));
	/* The SError goes on, its syndrome is lost: the source's condition is
	 * LOST for that reason, the destination's is a new one. */
	CHECKF(op.cond_before == src && op.cond_after >= 0 &&
		       W->pe->cond[src].disp == SS_DISP_LOST &&
		       W->pe->cond[src].lost == SS_LOST_SYNDROME,
	       "source condition: %s", ss_disposition_name(W->pe->cond[src].disp));
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

START_TEST(vcpu_migrate_verbatim_to_noras)
{
	struct ss_config dst;
	struct ss_vmop op;
	no_ras_config(&dst);
	int src = source_with_pending();
	ss_migrate(W->pe, &dst, SS_VMM_VERBATIM, &op, &W->obs);
	/* has_esr reaches a host without RAS: SET fails, the SError is lost. */
	CHECKF(op.set == SS_SET_EINVAL && op.cond_after == -1 && !op.esr_dropped,
	       "verbatim -> no RAS: set=%d after=%d", op.set, op.cond_after);
	CHECKF(W->pe->cond[src].disp == SS_DISP_LOST && W->pe->cond[src].lost == SS_LOST_EINVAL,
	       "source condition: %s",
	       ss_disposition_name(W->pe->cond[src].disp));
	CHECKF(GETF(HCR_EL2, HCR_VSE) == 0 && W->pe->vcond == -1, "a vSError is pending");
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

START_TEST(vcpu_migrate_strict_refuses)
{
	struct ss_config dst;
	struct ss_vmop op;
	no_ras_config(&dst);
	int src = source_with_pending();
	ss_migrate(W->pe, &dst, SS_VMM_STRICT, &op, &W->obs);
	CHECKF(op.refused, "strict did not refuse");
	/* A refused migration changes nothing. */
	CHECKF(W->pe->cfg.ras && GETF(HCR_EL2, HCR_VSE) == 1 && SR(VSESR_EL2) == 0xc11 &&
		       W->pe->vcond == src && W->pe->cond[src].disp == SS_DISP_PENDING,
	       "refused migration changed the PE");

	/* To a RAS host strict and qemu carry the syndrome; VDISR_EL2 is kept. */
	ras_config(&dst);
	ss_migrate(W->pe, &dst, SS_VMM_STRICT, &op, &W->obs);
	CHECKF(!op.refused && op.set == SS_SET_OK && SR(VSESR_EL2) == 0xc11 &&
		       SR(VDISR_EL2) == (0x80000000u | 0xc11) && W->pe->cond[src].disp == SS_DISP_HANDED_OVER,
	       "strict -> RAS: refused=%d set=%d VSESR=%#llx VDISR=%#llx", op.refused, op.set,
	       (unsigned long long)SR(VSESR_EL2), (unsigned long long)SR(VDISR_EL2));
	int second = W->pe->vcond;
	ss_migrate(W->pe, &dst, SS_VMM_QEMU, &op, &W->obs);
	CHECKF(!op.esr_dropped && op.sent.serror_has_esr && SR(VSESR_EL2) == 0xc11 &&
		       W->pe->cond[second].disp == SS_DISP_HANDED_OVER,
	       "qemu -> RAS: dropped=%d has_esr=%d", op.esr_dropped, op.sent.serror_has_esr);
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

/*
 * translate: from a v8.0 host (GET: has_esr = 0) to a v8.2 host the VMM sends
 * the v8.0 CPU's own IMPLEMENTATION DEFINED syndrome as the ESR, so the guest
 * sees on v8.2 what it would have seen on v8.0 (docs/migration.md); towards a
 * non-RAS host it drops the ESR as QEMU does (QEMU v7.2.0 target/arm/kvm.c kvm_put_vcpu_events; docs/rules.md H3.1).
 */
START_TEST(vcpu_migrate_translate)
{
	struct ss_config src, dst;
	struct ss_vmop op;
	no_ras_config(&src);
	src.noras_vserror_iss = 0x1000042;	/* IDS = 1: the v8.0 CPU's syndrome */
	w_reset(&src);
	w_nop_program();
	struct ss_vcpu_events pend = { .serror_pending = true };
	EXPECT(ss_kvm_set_events(W->pe, &pend, &W->obs) == SS_SET_OK, "v8.0 SET");
	int before = W->pe->vcond;
	ras_config(&dst);
	ss_migrate(W->pe, &dst, SS_VMM_TRANSLATE, &op, &W->obs);
	CHECKF(!op.saved.serror_has_esr && op.sent.serror_has_esr && op.sent.serror_esr == 0x1000042 &&
		       op.set == SS_SET_OK && !op.esr_dropped && op.dst == &dst,
	       "translate v8.0 -> v8.2: has_esr=%d esr=%#llx set=%d", op.sent.serror_has_esr,
	       (unsigned long long)op.sent.serror_esr, op.set);
	CHECKF(SR(VSESR_EL2) == 0x1000042 && GETF(HCR_EL2, HCR_VSE) == 1, "VSESR_EL2 %#llx",
	       (unsigned long long)SR(VSESR_EL2));
	CHECKF(W->pe->cond[before].disp == SS_DISP_HANDED_OVER, "source condition not carried over");

	/* And back to a host without RAS: the ESR cannot go, it is dropped. */
	no_ras_config(&src);
	ss_migrate(W->pe, &src, SS_VMM_TRANSLATE, &op, &W->obs);
	CHECKF(op.saved.serror_has_esr && !op.sent.serror_has_esr && op.esr_dropped &&
		       op.set == SS_SET_OK,
	       "translate v8.2 -> v8.0: has_esr=%d dropped=%d set=%d", op.sent.serror_has_esr,
	       op.esr_dropped, op.set);
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

START_TEST(vcpu_migrate_nothing_pending)
{
	struct ss_config dst;
	struct ss_vmop op;
	no_ras_config(&dst);
	reset_with(true);
	ss_migrate(W->pe, &dst, SS_VMM_STRICT, &op, &W->obs);
	CHECKF(!op.refused && op.set == SS_SET_OK && op.cond_before == -1 && op.cond_after == -1,
	       "idle migration: refused=%d set=%d", op.refused, op.set);
	CHECKF(!op.saved.serror_pending && op.saved.serror_has_esr, "GET on the RAS source");
	CHECKF(!W->pe->cfg.ras && GETF(HCR_EL2, HCR_VSE) == 0, "destination state");
	SOFT_DONE();
}
END_TEST

/* --- alu: data processing (ARM-M C6.2) ----------------------------------------- */

static struct ss_insn *alu(uint64_t addr, enum ss_op op, unsigned rd, unsigned rn, unsigned rm,
			   uint64_t imm)
{
	struct ss_insn *in = w_insn(addr, op);
	in->rd = (uint8_t)rd;
	in->rn = (uint8_t)rn;
	in->rm = (uint8_t)rm;
	in->imm = imm;
	return in;
}

START_TEST(alu_instructions)
{
	w_reset(NULL);
	uint64_t a = CODE;
	alu(a, SS_OP_MOVI, 1, SS_NO_REG, SS_NO_REG, 5), a += 4;	/* x1 = 5 */
	alu(a, SS_OP_MOV, 2, SS_NO_REG, 1, 0), a += 4;		/* x2 = x1 */
	alu(a, SS_OP_ADDI, 3, 2, SS_NO_REG, 7), a += 4;		/* x3 = 12 */
	alu(a, SS_OP_ADD, 4, 3, 1, 0), a += 4;			/* x4 = 17 */
	alu(a, SS_OP_SUBI, 5, 4, SS_NO_REG, 2), a += 4;		/* x5 = 15 */
	alu(a, SS_OP_SUB, 6, 5, 1, 0), a += 4;			/* x6 = 10 */
	alu(a, SS_OP_SUBSI, 7, 6, SS_NO_REG, 11), a += 4;	/* x7 = -1: N=1 Z=0 C=0 V=0 */
	alu(a, SS_OP_MOV, 10, SS_NO_REG, SS_NO_REG, 0), a += 4;	/* x10 = XZR */
	alu(a, SS_OP_MOV, SS_NO_REG, SS_NO_REG, 1, 0), a += 4;	/* writes to XZR are ignored */
	alu(a, SS_OP_SUBS, 8, 1, 2, 0), a += 4;			/* x8 = 0: N=0 Z=1 C=1 V=0 */
	w_insn(a, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	W->pe->x[10] = 99;
	enum ss_stop s = ss_run(W->pe, &W->obs);
	CHECKF(s == SS_STOP_END, "stop %s", ss_stop_name(s));
	static const uint64_t want[] = { 0, 5, 5, 12, 17, 15, 10, UINT64_MAX, 0, 0, 0 };
	for (unsigned r = 1; r <= 10; r++)
		if (r != 9)
			CHECKF(W->pe->x[r] == want[r], "x%u = %#llx, expected %#llx", r,
			       (unsigned long long)W->pe->x[r], (unsigned long long)want[r]);
	CHECKF(PST(N) == 0 && PST(Z) == 1 && PST(C) == 1 && PST(V) == 0,
	       "NZCV after SUBS 5-5: %llu%llu%llu%llu", (unsigned long long)PST(N),
	       (unsigned long long)PST(Z), (unsigned long long)PST(C), (unsigned long long)PST(V));
	CHECKF(W->pe->ninsn == 11, "ninsn = %llu", (unsigned long long)W->pe->ninsn);
	/* A stopped PE stays stopped. */
	CHECKF(ss_step(W->pe, &W->obs) == SS_STOP_END && W->pe->ninsn == 11, "stepped after END");
	SOFT_DONE();
}
END_TEST

/* --- capacity ---------------------------------------------------------------------- */

START_TEST(capacity_schedule)
{
	reset_with(true);
	struct ss_event ev = { .kind = SS_EV_RAISE, .when = SS_AT_CYCLE, .trigger = SS_LEVEL,
			       .line = SS_MAX_LINES };
	CHECKF(!ss_schedule(W->pe, &ev), "level RAISE on line %d accepted", SS_MAX_LINES);
	ev.kind = SS_EV_LOWER;
	CHECKF(!ss_schedule(W->pe, &ev), "LOWER on line %d accepted", SS_MAX_LINES);
	CHECKF(ss_raise_serror(W->pe, 0, SS_LEVEL, true, SS_MAX_LINES, &W->obs) == -1,
	       "raise on line %d", SS_MAX_LINES);
	ss_lower_serror(W->pe, SS_MAX_LINES, &W->obs);	/* ignored */
	CHECKF(W->pe->ncond == 0, "a condition was raised");

	ev = (struct ss_event){ .kind = SS_EV_RAISE, .when = SS_AT_CYCLE, .at = 1000000 };
	for (int i = 0; i < SS_MAX_EVENTS; i++)
		EXPECT(ss_schedule(W->pe, &ev), "event %d refused", i);
	CHECKF(!ss_schedule(W->pe, &ev), "event %d accepted", SS_MAX_EVENTS);
	SOFT_DONE();
}
END_TEST

/* An event scheduled at a cycle already past fires at the next boundary. */
START_TEST(capacity_schedule_into_the_past)
{
	reset_with(true);
	struct ss_event ev = { .kind = SS_EV_RAISE, .when = SS_AT_CYCLE, .at = 1, .iss = 0xc11 };
	EXPECT(ss_schedule(W->pe, &ev), "schedule");
	w_step();
	w_step();
	EXPECT(W->pe->ncond == 1, "the first event did not fire");
	ev.at = 0;
	EXPECT(ss_schedule(W->pe, &ev), "schedule into the past");
	w_step();
	CHECKF(W->pe->ncond == 2 && W->pe->cond[1].raised >= 2, "late event: ncond=%u",
	       W->pe->ncond);
	SOFT_DONE();
}
END_TEST

/* Final conditions are compacted out of a full ledger and still counted. */
START_TEST(capacity_ledger_compaction)
{
	reset_with(true);
	int held = ss_raise_serror(W->pe, 0x1000c11, SS_LEVEL, true, 5, &W->obs);
	int v = ss_inject_vserror(W->pe, 0xc12, &W->obs);
	EXPECT(held == 0 && v == 1, "setup: held=%d v=%d", held, v);
	const unsigned n = SS_MAX_CONDS + 100;
	for (unsigned i = 0; i < n; i++) {
		EXPECT(ss_raise_serror(W->pe, 0x1000c13, SS_LEVEL, true, 0, &W->obs) >= 0, "raise %u", i);
		ss_lower_serror(W->pe, 0, &W->obs);
	}
	CHECKF(W->pe->ncond < SS_MAX_CONDS && W->pe->nraised == n + 2, "ncond=%u nraised=%llu",
	       W->pe->ncond, (unsigned long long)W->pe->nraised);
	CHECKF(ss_ledger_count(W->pe, SS_DISP_WITHDRAWN) == n, "withdrawn = %llu",
	       (unsigned long long)ss_ledger_count(W->pe, SS_DISP_WITHDRAWN));
	CHECKF(W->pe->line_cond[5] >= 0 && W->pe->cond[W->pe->line_cond[5]].line == 5 &&
		       W->pe->cond[W->pe->line_cond[5]].iss == 0x1000c11,
	       "the held line's condition was lost");
	CHECKF(W->pe->vcond >= 0 && W->pe->cond[W->pe->vcond].virt &&
		       W->pe->cond[W->pe->vcond].disp == SS_DISP_PENDING,
	       "the pending vSError was lost");
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

/* Every slot holds an open condition: raising stops the run with LIMIT. */
static void fill_ledger(enum ss_vinject vinject, bool inject_first)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.vinject = vinject;
	w_reset(&cfg);
	w_nop_program();
	if (inject_first)
		EXPECT(ss_inject_vserror(W->pe, 0xc11, &W->obs) >= 0, "inject");
	while (W->pe->ncond < SS_MAX_CONDS)
		EXPECT(ss_raise_serror(W->pe, 0xc11, SS_EDGE, true, 0, &W->obs) >= 0, "raise");
}

START_TEST(capacity_ledger_full)
{
	fill_ledger(SS_VINJ_COMBINE, false);
	CHECKF(ss_raise_serror(W->pe, 0xc11, SS_EDGE, true, 0, &W->obs) == -1, "raise into full ledger");
	CHECKF(W->pe->stop == SS_STOP_LIMIT, "stop = %s", ss_stop_name(W->pe->stop));
	CHECKF(ss_step(W->pe, &W->obs) == SS_STOP_LIMIT, "step after LIMIT");

	fill_ledger(SS_VINJ_COMBINE, false);
	CHECKF(ss_inject_vserror(W->pe, 0xc11, &W->obs) == -1, "inject into full ledger");
	CHECKF(W->pe->stop == SS_STOP_LIMIT && GETF(HCR_EL2, HCR_VSE) == 0, "VSE set without a condition");

	fill_ledger(SS_VINJ_COMBINE, true);
	CHECKF(ss_inject_vserror(W->pe, 0xc12, &W->obs) == -1, "combine into full ledger");
	CHECKF(W->pe->stop == SS_STOP_LIMIT, "stop = %s", ss_stop_name(W->pe->stop));

	fill_ledger(SS_VINJ_KVM_DELIVER_OR_PEND, false);
	w_set_a(0);
	w_set_el(1, 1);
	CHECKF(ss_inject_vserror(W->pe, 0xc11, &W->obs) == -1, "deliver into full ledger");
	CHECKF(W->pe->nexc == 0, "an exception was taken without a condition");

	/* The same through a scheduled event: the step stops with LIMIT. */
	fill_ledger(SS_VINJ_COMBINE, false);
	struct ss_event ev = { .kind = SS_EV_RAISE, .when = SS_AT_CYCLE, .at = 0, .iss = 0xc11 };
	EXPECT(ss_schedule(W->pe, &ev), "schedule");
	CHECKF(ss_step(W->pe, &W->obs) == SS_STOP_LIMIT, "event into full ledger: %s",
	       ss_stop_name(W->pe->stop));
	CHECKF(ss_ledger_check(W->pe) == NULL, "ledger: %s", ss_ledger_check(W->pe));
	SOFT_DONE();
}
END_TEST

START_TEST(capacity_oldest_pending)
{
	reset_with(true);
	CHECKF(ss_oldest_pending(W->pe, false) == NULL, "oldest pending with none raised");
	ss_raise_serror(W->pe, 0xc11, SS_EDGE, false, 0, &W->obs);
	ss_raise_serror(W->pe, 0xc12, SS_EDGE, true, 0, &W->obs);
	w_step();	/* EL1h, PSTATE.A = 1, AMO = 0: masked, both pending */
	EXPECT(W->pe->npending == 2, "npending = %u", W->pe->npending);
	const struct ss_condition *c = ss_oldest_pending(W->pe, false);
	CHECKF(c && c->iss == 0xc11, "oldest pending");
	c = ss_oldest_pending(W->pe, true);
	CHECKF(c && c->iss == 0xc12, "oldest synchronizable pending");
	SOFT_DONE();
}
END_TEST

/* --- checks: impossible states and configurations --------------------------------- */

static void fresh(void)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	w_reset(&cfg);
}

START_TEST(check_pe_state)
{
	struct ss_config cfg;
	const char *m;

	w_default_config(&cfg);
	cfg.el3 = false;
	w_reset(&cfg);
	w_set_el(3, 1);
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "EL3 is not implemented"), "EL3 without el3: %s", m ? m : "accepted");

	w_default_config(&cfg);
	cfg.el2 = false;
	w_reset(&cfg);
	w_set_el(2, 1);
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "EL2 is not implemented"), "EL2 without el2: %s", m ? m : "accepted");

	fresh();
	w_set_el(2, 1);
	SETF(SCR_EL3, SCR_NS, 0);	/* Secure, no FEAT_SEL2: EL2 disabled */
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "not enabled"), "EL2 in Secure state: %s", m ? m : "accepted");

	fresh();
	w_set_el(0, 1);
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "EL0 has only SP_EL0"), "EL0 with SP=1: %s", m ? m : "accepted");

	fresh();
	SETF(PSTATE, PSTATE_nRW, 1);
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "AArch32"), "nRW=1: %s", m ? m : "accepted");

	fresh();
	SETF(SCR_EL3, SCR_NS, 1);
	SETF(HCR_EL2, HCR_RW, 0);
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "HCR_EL2.RW"), "HCR_EL2.RW=0 at EL1: %s", m ? m : "accepted");

	fresh();
	w_set_el(2, 1);
	SETF(SCR_EL3, SCR_NS, 1);
	SETF(SCR_EL3, SCR_RW, 0);
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "SCR_EL3.RW"), "SCR_EL3.RW=0 at EL2: %s", m ? m : "accepted");

	fresh();
	SR(PSTATE) |= UINT64_C(1) << 63;
	m = ss_pe_check(W->pe);
	CHECKF(m && strstr(m, "outside its fields"), "PSTATE bit 63: %s", m ? m : "accepted");
	w_nop_program();
	CHECKF(ss_step(W->pe, &W->obs) == SS_STOP_BAD_STATE, "stepped an impossible state");
	SOFT_DONE();
}
END_TEST

START_TEST(check_config)
{
	struct ss_config cfg;
	const char *m;

	ss_config_default(&cfg);
	cfg.ras = false, cfg.iesb = false, cfg.double_fault = false, cfg.vsesr_raz_wi = true;
	m = ss_config_check(&cfg);
	CHECKF(m && strstr(m, "vsesr_raz_wi requires ras"), "vsesr_raz_wi: %s", m ? m : "accepted");

	ss_config_default(&cfg);
	cfg.ras = true, cfg.el3 = false, cfg.double_fault = true;
	m = ss_config_check(&cfg);
	CHECKF(m && strstr(m, "double_fault requires el3"), "double_fault: %s", m ? m : "accepted");

	ss_config_default(&cfg);
	cfg.sel2 = true, cfg.el2 = false;
	m = ss_config_check(&cfg);
	CHECKF(m && strstr(m, "sel2 requires"), "sel2: %s", m ? m : "accepted");

	ss_config_default(&cfg);
	cfg.el3 = true, cfg.secure = true, cfg.double_fault = false, cfg.sel2 = false;
	m = ss_config_check(&cfg);
	CHECKF(m && strstr(m, "secure selects"), "secure with el3: %s", m ? m : "accepted");

	ss_config_default(&cfg);
	cfg.merge_impdef_iss = 1u << 25;
	m = ss_config_check(&cfg);
	CHECKF(m && strstr(m, "merge_impdef_iss"), "merge_impdef_iss: %s", m ? m : "accepted");

	ss_config_default(&cfg);
	cfg.noras_vserror_iss = 1u << 25;
	m = ss_config_check(&cfg);
	CHECKF(m && strstr(m, "noras_vserror_iss"), "noras_vserror_iss: %s", m ? m : "accepted");

	ss_config_default(&cfg);
	cfg.timing.max_cycles = 0;
	m = ss_config_check(&cfg);
	CHECKF(m && strstr(m, "max_cycles"), "max_cycles 0: %s", m ? m : "accepted");
	SOFT_DONE();
}
END_TEST

/* Knob values are numbers as scenario files write them. */
START_TEST(check_knob_numbers)
{
	static const struct { const char *knob, *text; uint64_t value; } t[] = {
		{ "propagation", "0xAbC", 0xabc },
		{ "propagation", "0XFF", 0xff },
		{ "propagation", "0b1010", 10 },
		{ "propagation", "0B11", 3 },
		{ "propagation", "1_000", 1000 },
		{ "max_cycles", "0xffff_ffff_ffff_ffff", UINT64_MAX },
		{ "noras_vserror_iss", "0x1ffffff", 0x1ffffff },
	};
	struct ss_config cfg;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		ss_config_default(&cfg);
		const struct ss_knob *k = ss_knob_find(t[i].knob);
		EXPECT(k != NULL, "knob %s", t[i].knob);
		const char *m = ss_knob_set(&cfg, k, t[i].text);
		CHECKF(m == NULL && ss_knob_get(&cfg, k) == t[i].value, "%s = %s: %s, got %#llx",
		       t[i].knob, t[i].text, m ? m : "ok", (unsigned long long)ss_knob_get(&cfg, k));
	}
	static const struct { const char *knob, *text; } bad[] = {
		{ "propagation", "0xg" }, { "propagation", "0b2" }, { "noras_vserror_iss", "0x2000000" },
		{ "max_cycles", "0x1_0000_0000_0000_0000" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ss_config_default(&cfg);
		const struct ss_knob *k = ss_knob_find(bad[i].knob);
		EXPECT(k != NULL, "knob %s", bad[i].knob);
		CHECKF(ss_knob_set(&cfg, k, bad[i].text) != NULL, "%s = %s accepted", bad[i].knob,
		       bad[i].text);
	}
	SOFT_DONE();
}
END_TEST

/* ss_ledger_check: each broken ledger is reported (and a sound one is not). */
static struct ss_condition *one_condition(enum ss_disposition d, bool virt, enum ss_trigger trig)
{
	w_reset(NULL);
	struct ss_pe *pe = W->pe;
	pe->ncond = 1;
	pe->nraised = 1;
	memset(&pe->cond[0], 0, sizeof pe->cond[0]);
	pe->cond[0].disp = d;
	pe->cond[0].virt = virt;
	pe->cond[0].trigger = trig;
	return &pe->cond[0];
}

static void expect_ledger(const char *what, const char *want)
{
	const char *m = ss_ledger_check(W->pe);
	if (!want)
		CHECKF(m == NULL, "%s: %s", what, m);
	else
		CHECKF(m && strstr(m, want), "%s: %s, expected '%s'", what, m ? m : "accepted", want);
}

START_TEST(check_ledger)
{
	struct ss_condition *c;

	c = one_condition(SS_DISP_TAKEN, false, SS_EDGE);
	c->times_taken = 1, c->exc = 1, W->pe->nexc = 1;
	expect_ledger("sound TAKEN", NULL);
	c->id = 3;
	expect_ledger("wrong id", "id does not match");

	one_condition(SS_DISP_IN_FLIGHT, true, SS_EDGE);
	W->pe->ninflight = 1;
	expect_ledger("virtual in flight", "virtual condition is in flight");

	one_condition(SS_DISP_PENDING, true, SS_EDGE);
	expect_ledger("virtual pending, vcond -1", "not the current one");

	c = one_condition(SS_DISP_PENDING, false, SS_EDGE);
	c->times_taken = 1;
	W->pe->npending = 1;
	expect_ledger("edge pending after taken", "pending after being taken");

	one_condition(SS_DISP_TAKEN, false, SS_EDGE);
	expect_ledger("TAKEN, exc 0", "TAKEN without a valid exception");

	one_condition(SS_DISP_DEFERRED, false, SS_EDGE);
	expect_ledger("DEFERRED, defer 0", "DEFERRED without a valid deferral");

	c = one_condition(SS_DISP_DEFERRED, false, SS_EDGE);
	c->times_deferred = 1, c->defer = 1, W->pe->ndefer = 1, c->times_taken = 1;
	expect_ledger("edge taken and deferred", "both taken and deferred");

	c = one_condition(SS_DISP_MERGED, false, SS_EDGE);
	c->merged_into = 5;
	expect_ledger("MERGED into nothing", "does not name the condition");

	c = one_condition(SS_DISP_MERGED, false, SS_EDGE);
	W->pe->ncond = W->pe->nraised = 2;
	W->pe->cond[1] = (struct ss_condition){ .id = 1, .disp = SS_DISP_IN_FLIGHT };
	W->pe->ninflight = 1;
	c->merged_into = 1;
	expect_ledger("MERGED into an in-flight one", "cannot have taken it");

	one_condition(SS_DISP_WITHDRAWN, false, SS_EDGE);
	expect_ledger("edge WITHDRAWN", "WITHDRAWN but was taken");

	c = one_condition(SS_DISP_WITHDRAWN, true, SS_EDGE);
	c->times_deferred = 1;
	expect_ledger("virtual WITHDRAWN after deferral", "WITHDRAWN but was taken");

	c = one_condition(SS_DISP_LOST, false, SS_EDGE);
	c->lost = SS_LOST_OVERWRITTEN;
	expect_ledger("physical LOST", "physical condition is LOST");

	one_condition(SS_DISP_LOST, true, SS_EDGE);
	expect_ledger("LOST without a reason", "LOST condition has no reason");

	c = one_condition(SS_DISP_HANDED_OVER, false, SS_EDGE);
	expect_ledger("physical HANDED_OVER", "physical condition is HANDED_OVER");

	one_condition(SS_DISP_COUNT, false, SS_EDGE);
	expect_ledger("no disposition", "no valid disposition");

	c = one_condition(SS_DISP_TAKEN, false, SS_EDGE);
	c->times_taken = 2, c->exc = 1, W->pe->nexc = 2;
	expect_ledger("edge taken twice", "taken more than once");

	one_condition(SS_DISP_PENDING, false, SS_LEVEL);
	expect_ledger("pending counter", "counters disagree");

	c = one_condition(SS_DISP_TAKEN, false, SS_EDGE);
	c->times_taken = 1, c->exc = 1, W->pe->nexc = 1;
	W->pe->vcond = 0;
	expect_ledger("vcond without a pending vSError", "current virtual condition disagrees");

	c = one_condition(SS_DISP_TAKEN, false, SS_EDGE);
	c->times_taken = 1, c->exc = 1, W->pe->nexc = 1;
	W->pe->retired[SS_DISP_PENDING] = 1;
	W->pe->nraised = 2;
	expect_ledger("open condition compacted", "open condition was compacted");

	c = one_condition(SS_DISP_TAKEN, false, SS_EDGE);
	c->times_taken = 1, c->exc = 1, W->pe->nexc = 1;
	W->pe->nraised = 4;
	expect_ledger("nraised", "does not account for every condition");
	SOFT_DONE();
}
END_TEST

/* --- edges: out-of-range arguments --------------------------------------------------- */

START_TEST(edges_rule_arguments)
{
	reset_with(true);
	uint64_t v = 0x1234;
	CHECKF(ss_mrs(W->pe, SS_REG_COUNT, &v) == SS_ACC_UNDEFINED, "MRS of register SS_REG_COUNT");
	CHECKF(ss_msr(W->pe, SS_REG_COUNT, 0, &W->obs) == SS_ACC_UNDEFINED, "MSR of register SS_REG_COUNT");
	/* PSTATE is a pseudo-register: no encoding, so no MRS/MSR reaches it. */
	CHECKF(ss_mrs(W->pe, SS_REG_PSTATE, &v) == SS_ACC_UNDEFINED, "MRS of PSTATE");
	CHECKF(ss_legalize(W->pe, SS_REG_COUNT, 0xabc) == 0xabc, "legalize SS_REG_COUNT");
	CHECKF(ss_vector_offset(W->pe, 4, 1) == 0 && ss_vector_offset(W->pe, 1, 4) == 0,
	       "vector offset for EL 4");
	CHECKF(!ss_iesb_effective(W->pe, 0) && !ss_iesb_effective(W->pe, 4), "IESB at EL0 / EL4");
	CHECKF(ss_ledger_count(W->pe, SS_DISP_COUNT) == 0, "count of SS_DISP_COUNT");
	CHECKF(ss_insn_class(SS_OP_COUNT) == SS_IC_NOP, "class of SS_OP_COUNT");
	SOFT_DONE();
}
END_TEST

Suite *suite_coverage(void)
{
	Suite *s = suite_create("coverage");
	TCase *tc = world_tcase("vcpu");
	tcase_add_test(tc, vcpu_vmm_names);
	tcase_add_test(tc, vcpu_get_events);
	tcase_add_test(tc, vcpu_set_events);
	tcase_add_test(tc, vcpu_set_op_described);
	tcase_add_test(tc, vcpu_migrate_qemu_to_noras);
	tcase_add_test(tc, vcpu_migrate_verbatim_to_noras);
	tcase_add_test(tc, vcpu_migrate_strict_refuses);
	tcase_add_test(tc, vcpu_migrate_translate);
	tcase_add_test(tc, vcpu_migrate_nothing_pending);
	suite_add_tcase(s, tc);
	tc = world_tcase("alu");
	tcase_add_test(tc, alu_instructions);
	suite_add_tcase(s, tc);
	tc = world_tcase("capacity");
	tcase_add_test(tc, capacity_schedule);
	tcase_add_test(tc, capacity_schedule_into_the_past);
	tcase_add_test(tc, capacity_ledger_compaction);
	tcase_add_test(tc, capacity_ledger_full);
	tcase_add_test(tc, capacity_oldest_pending);
	suite_add_tcase(s, tc);
	tc = world_tcase("checks");
	tcase_add_test(tc, check_pe_state);
	tcase_add_test(tc, check_config);
	tcase_add_test(tc, check_knob_numbers);
	tcase_add_test(tc, check_ledger);
	suite_add_tcase(s, tc);
	tc = world_tcase("edges");
	tcase_add_test(tc, edges_rule_arguments);
	suite_add_tcase(s, tc);
	return s;
}
