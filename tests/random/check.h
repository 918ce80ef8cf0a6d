/*
 * check.h - an observer that checks architectural invariants of the SError
 * logic on every trace event and after every step, against an independent
 * implementation of the routing/masking table (ARM-M D1.4.6.4.1 RGCTZC, Table D1-23; docs/rules.md R1.2), the
 * vector offsets (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4), the vSError rules (ARM-M D1.4.6.4.2, AArch64.TakeVirtualSErrorException; docs/rules.md R2), ESB/IESB (ARM-M C6.2 ESB, D20.5.3; docs/rules.md R4) and the merge
 * policies (docs/policies.md).  The first violation is kept in 'msg'.
 */
#ifndef RANDOM_CHECK_H
#define RANDOM_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pe.h"

#define CHK_MAX_CONDS 8192	/* mirror size (conditions raised in one run) */

struct chk_cond {
	uint32_t iss;
	bool phys;		/* physical (else virtual: only counted) */
	bool edge, sync;
	bool visible;		/* pending at the PE (else in flight) */
	bool live;		/* not yet consumed / lowered */
	uint8_t line;
};

struct chk_snap {
	uint64_t sr[SS_REG_COUNT];
	uint64_t pc;
};

struct chk_stats {
	uint64_t runs, steps, insns;
	uint64_t exc[SS_CAUSE_COUNT];
	uint64_t iesb_entries, eret_iesb_entries, esb_entries, merged_entries;
	uint64_t defers, vdefers, emulated_vserror, reads_checked;
	uint64_t stops[8];
};

struct checker {
	const struct ss_config *cfg;
	struct chk_snap s;		/* state at the previous trace event */
	/* the previous trace event */
	enum ss_trace_kind last_kind;
	bool have_last;
	enum ss_reg last_reg;
	uint64_t last_old;
	int last_virt_raise;		/* id, when the last event raised a virtual condition */
	bool just_entered;		/* an exception entry, then only VISIBLE events */
	/* the current step */
	const struct ss_insn *insn;	/* instruction executing in this step, or NULL */
	bool after_insn_exc;		/* an exception entry or ERET since it started */
	bool expect_defer, deferred;	/* ESB that must write DISR_EL1 */
	bool expect_take, took;		/* ESB that must take a physical SError */
	bool expect_vdefer, vdeferred;	/* ESB that must write VDISR_EL2 */
	bool mrs_check;			/* MRS of ISR_EL1/DISR_EL1: value it must read */
	unsigned mrs_rd;
	uint64_t mrs_want;
	enum ss_reg mrs_reg;
	/* mirror of the SError conditions */
	struct chk_cond c[CHK_MAX_CONDS];	/* indexed by seq */
	uint32_t nc;
	bool overflow;			/* more raised than the mirror holds */
	uint32_t last_virt_iss;
	uint32_t nexc;
	uint64_t intr_up[2];		/* physical IRQ/FIQ lines asserted (SS_TR_INTR) */
	/* verdict */
	bool failed;
	char msg[1024];
	uint64_t fail_cycle;
	FILE *trace;			/* verbose trace, or NULL */
	struct chk_stats *stats;
};

void chk_init(struct checker *k, const struct ss_pe *pe, FILE *trace, struct chk_stats *stats);
void chk_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t);
void chk_step_begin(struct checker *k, const struct ss_pe *pe);
void chk_step_end(struct checker *k, const struct ss_pe *pe);
void chk_finish(struct checker *k, const struct ss_pe *pe);

#endif
