/*
 * decode.h - PRIVATE to model/: what the decoder (decode.c) and the fast
 * engine's loop (exec.c, exec_fast.inc) share about a decoded instruction
 * (struct ss_dinsn, model/pe.h): its dispatch kinds and flags.
 */
#ifndef SS_DECODE_H
#define SS_DECODE_H

#include "internal.h"

#define DI_NONE UINT32_MAX
enum {
	SS_DI_PCEV = 1u,	/* a PC event is scheduled at this instruction */
	SS_DI_NEXT = 2u		/* the next record is the instruction at addr + 4 */
};

/* ELs as a mask: bit n for EL n. */
#define EL_ALL 0xfu

/* What run_fast does with a record: the instructions executed inline (HVC,
 * ERET, ESB, DAIFSet/DAIFClr and the MRS/MSR shortcuts, at the ELs where
 * they are simple: the record's own_els), DK_CALL for those run by their
 * isa.def handler that cannot schedule an event (SVC, SMC, ISB, UDF, WFI),
 * DK_GENERIC for every other (its handler, then the next event looked up
 * again), and DK_ATTN for an instruction with a PC event (leave the loop). */
#define DISPATCH_KINDS(X)                                                                      \
	X(GENERIC) X(NOP) X(B) X(BCOND) X(CBZ) X(CBNZ) X(TBZ) X(TBNZ) X(MOVI) X(MOV) X(ADDI)    \
	X(ADD) X(SUBI) X(SUB) X(SUBSI) X(SUBS) X(ANDI) X(ORRI) X(EORI) X(UBFX) X(MRS) X(MSR)    \
	X(MRS_DISR) X(MSR_SYNC) X(CALL) X(DAIFSET) X(DAIFCLR) X(ESB) X(ERET) X(HVC) X(ATTN)
enum dispatch_kind {
#define DK_ENUM(k) DK_##k,
	DISPATCH_KINDS(DK_ENUM)
#undef DK_ENUM
	DK_COUNT
};

/*
 * Runs (decode.c links them, exec_fast.inc runs them).  The records of a
 * straight line are grouped into runs: members, which cannot branch,
 * change PSTATE.EL or move the deadlines (the ALU
 * instructions, plain MRS and MSR, MRS DISR_EL1, DAIFSet; and MSR HCR_EL2,
 * DAIFClr and ESB, which leave the run when the boundary after them is not
 * quiet), each followed in its run by the next instruction, and one last
 * record of any other kind (a branch, an exception entry or return, a
 * generic handler, a PC event, ...).  The run of a record is the part from it to
 * that last one: run_n records of run_cyc cycles, span_cyc cycles from its
 * start to the start of the last, the ELs at which all of them run inline
 * (els).  Entering a run (a head: after a branch, a settle, ...) the loop
 * tests the deadline of all its boundaries at once (the cycle count grows
 * along it, so the last boundary decides) and the EL once (no member
 * changes PSTATE.EL), adds the whole run's counts and goes through the
 * members with no test at all; what needs the exact counts in between (a
 * trace record, leaving the run) takes the rest of the run back out.  A
 * run whose test fails is stepped: its head alone, then the next record is
 * a head.
 */

/* PSTATE.{N,Z,C,V} as one 4-bit index (N the highest). */
#define SS_NZCV_MASK (SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK | SS_PSTATE_V_MASK)
_Static_assert(SS_NZCV_MASK == (UINT64_C(15) << SS_PSTATE_V_SHIFT) &&
		       SS_PSTATE_N_SHIFT == SS_PSTATE_V_SHIFT + 3 &&
		       SS_PSTATE_Z_SHIFT == SS_PSTATE_V_SHIFT + 2 &&
		       SS_PSTATE_C_SHIFT == SS_PSTATE_V_SHIFT + 1,
	       "PSTATE.{N,Z,C,V} adjacent");

/* Index of the instruction at addr in the decoded program, or DI_NONE. */
uint32_t ss_find_insn(const struct ss_program *p, uint64_t addr);

/* Every record decoded again for the current configuration. */
void ss_decode_all(struct ss_pe *pe);

#endif
