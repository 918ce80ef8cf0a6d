/*
 * config.h - the PE's features, every IMPLEMENTATION DEFINED choice, and the
 * timing parameters, as named fields of one structure.
 *
 * Each knob cites the primary source of the choice (an Arm ARM DDI0487
 * section or rule, an ASL function, the RAS specification, an upstream file).
 * The knob table in
 * config.c gives every field a name, a default, a one-line description and its
 * source, so the scenario language, the CLI and docs/model.md all speak of the
 * same names.  No I/O.
 */
#ifndef SERRSIM_CONFIG_H
#define SERRSIM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysregs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a physical SError source signals (ARM-M D1.4.2.2, RKTWMT). */
enum ss_trigger { SS_EDGE, SS_LEVEL };

/* Effective HCR_EL2.AMO at EL2 when {E2H,TGE} = {1,0} (Arm ARM Known Issue D22105). */
enum ss_amo_el2 { SS_AMO_EL2_PROGRAMMED, SS_AMO_EL2_ONE };

/* Virtual versus physical asynchronous exceptions (ARM-M D1.4.6.5). */
enum ss_vp_priority { SS_PRIO_VIRTUAL_FIRST, SS_PRIO_PHYSICAL_FIRST };

/* Order among the virtual interrupts, ARM-M D1.4.6.5 (Sail: vFIQ > vIRQ > vSError;
 * QEMU 7.2: vIRQ > vFIQ > vSError). */
enum ss_virtual_order { SS_VORDER_FIQ_IRQ_SERROR, SS_VORDER_IRQ_FIQ_SERROR };

/* Order among the physical SError, FIQ and IRQ pending and unmasked at one
 * boundary: IMPLEMENTATION DEFINED (ARM-M D1.4.6.5 defines no priority among
 * asynchronous exceptions; QEMU 7.2 arm_cpu_exec_interrupt tests FIQ, then
 * IRQ).  vp_priority places the physical group against the virtual one. */
enum ss_physical_order { SS_PORDER_SERROR_FIQ_IRQ, SS_PORDER_SERROR_IRQ_FIQ,
			 SS_PORDER_FIQ_IRQ_SERROR, SS_PORDER_IRQ_FIQ_SERROR };

/* ESB at EL0/EL1 with a masked vSError while a physical SError is taken:
 * ARM-M D20.5.1 (prose) against C6.2 ESB (pseudocode). */
enum ss_esb_vse { SS_ESB_VSE_UNCHANGED, SS_ESB_VSE_DEFER_FIRST };

/* Where a RAS node's error recovery or fault handling interrupt goes (RAS
 * spec ERR<n>CTLR.{UI,FI,CFI}; the interrupt controller's wiring is
 * IMPLEMENTATION DEFINED): not wired (traced only), or an IRQ or FIQ line. */
enum ss_ras_intr { SS_RAS_INTR_OFF, SS_RAS_INTR_IRQ, SS_RAS_INTR_FIQ };

/* ISR_EL1.A at EL1 when HCR_EL2.AMO routes SErrors to EL2 (ARM-M D24.2.118
 * against the v8.5 ASL). */
enum ss_isr_a { SS_ISR_A_VIRTUAL, SS_ISR_A_VIRTUAL_OR_PHYSICAL };

/* What a write does to RES0/RES1 bits (ARM-M Glossary, RES0): mask them (Sail), store them,
 * or, as QEMU 7.2 does, mask HCR_EL2 and SCR_EL3 and store every other. */
enum ss_res0 { SS_RES0_MASK, SS_RES0_STORE, SS_RES0_QEMU };

/* EL0 access to DAIF in the host regime ({E2H,TGE} = {1,1}): trapped whatever
 * UMA (AArch64.CheckDAIFAccess), or, as QEMU 7.2 does, trapped unless bit 9
 * of SCTLR_EL2 (RES0 in SCTLR_EL2) is 1. */
enum ss_host_uma { SS_HOST_UMA_TRAP, SS_HOST_UMA_SCTLR_EL2 };

/* The *_EL12 names at EL2/EL3: only with EL2 enabled and HCR_EL2.E2H = 1
 * (the register pages' accessors), or, as QEMU 7.2 does, always. */
enum ss_el12_access { SS_EL12_E2H, SS_EL12_ALWAYS };

/* ISS of a trapped MSR DAIFSet/DAIFClr: as the Arm ARM encodes it, or with
 * Op1 and Op2 swapped, as QEMU 7.2 reports it. */
enum ss_daif_trap_iss { SS_DAIF_ISS_ARM, SS_DAIF_ISS_QEMU_SWAPPED };

/*
 * The merge policies (knob merge): which pending physical conditions one
 * SError exception (or one ESB) consumes, and the syndrome it reports.
 * Whether several pending SErrors are taken as one exception is
 * IMPLEMENTATION DEFINED (RAS spec 2.5.3 item 2; Arm ARM D20.4.3, RDHKQZ);
 * conditions not merged stay pending (RAS spec 2.5.3 item 5).  One row per
 * policy, in enum order: X(ID, spelling, merges, pick, syndrome), where
 *   merges    true: every eligible condition is consumed with the
 *             representative; false: the representative alone;
 *   pick      the representative: OLDEST, NEWEST, or MOST_SEVERE (the oldest
 *             of the highest ss_aet_rank);
 *   syndrome  REPRESENTATIVE: the representative's; COMBINED: when several
 *             merge, their combination (ss_combine_iss, RAS spec 2.5.3
 *             items 3-4).
 * enum ss_merge, the knob's spellings and the rows model/merge.c acts on
 * all derive from this list.
 */
#define SS_MERGE_POLICIES(X)                                                          \
	X(ONE_AT_A_TIME, "one-at-a-time", false, OLDEST, REPRESENTATIVE)              \
	X(MOST_SEVERE_FIRST, "most-severe-first", false, MOST_SEVERE, REPRESENTATIVE) \
	X(RAS_COMBINE, "ras-combine", true, MOST_SEVERE, COMBINED)                    \
	X(FIRST_WINS, "first-wins", true, OLDEST, REPRESENTATIVE)                     \
	X(LAST_WINS, "last-wins", true, NEWEST, REPRESENTATIVE)

#define SS_MERGE_ENUM_(id, name, merges, pick, syndrome) SS_MERGE_##id,
#define SS_MERGE_ONE_(id, name, merges, pick, syndrome) +1
enum ss_merge { SS_MERGE_POLICIES(SS_MERGE_ENUM_) };
enum { SS_MERGE_COUNT = 0 SS_MERGE_POLICIES(SS_MERGE_ONE_) };	/* number of policies */
#undef SS_MERGE_ENUM_
#undef SS_MERGE_ONE_

/*
 * Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events, RAS-B 2.5.3: what a hypervisor does when it injects a
 * virtual SError (event "vserror") while one is already pending.
 */
enum ss_vinject {
	SS_VINJ_COMBINE,		/* merge into VSESR_EL2 by 2.5.3 rank */
	SS_VINJ_KVM_OVERWRITE,		/* Linux <= 6.16: last writer wins */
	SS_VINJ_KVM_DELIVER_OR_PEND	/* Linux >= 6.17: enter now if unmasked, else pend */
};

/*
 * How a request to set a vCPU's pending exceptions (an external abort and an
 * SError together) is committed when part of it is refused: atomic (checked
 * as a whole, a refused request changes nothing), serror-first (the SError
 * part is checked and committed first, then the abort: Linux v5.5-v6.16
 * arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events), abort-first (the abort
 * is committed before the SError part is checked: Linux v6.17 and later, a
 * refused SError leaves the abort committed).
 */
enum ss_set_commit { SS_COMMIT_ATOMIC, SS_COMMIT_SERROR_FIRST, SS_COMMIT_ABORT_FIRST };

/*
 * When an MSR to HCR_EL2 or SCR_EL3 becomes visible to the sampling of
 * asynchronous exceptions: at once, or only at the next context
 * synchronization event (ISB, exception entry, exception return), which is
 * all the architecture guarantees (ARM-M D1.4.6.5, "Synchronization
 * requirements for AArch64 System registers").
 */
enum ss_sysreg_sync { SS_SYNC_IMMEDIATE, SS_SYNC_CONTEXT };

/* Which engine ss_run and ss_run_until use (model/exec.c): the fast one
 * (a program decoded once, quiet boundaries in one loop), or the reference
 * stepper, one ss_step per boundary.  Both give the same run. */
enum ss_engine { SS_ENGINE_FAST, SS_ENGINE_REFERENCE };

/* The maximum number of RAS error records of a PE (model/ras.c). */
#define SS_RAS_MAX_RECORDS 8

/* Instruction classes for the latency table. */
enum ss_iclass {
	SS_IC_NOP,
	SS_IC_ALU,	/* MOV, ADD, SUB, AND, ORR, EOR, UBFX, CMP */
	SS_IC_BRANCH,	/* B, B.cond, CBZ, CBNZ, TBZ, TBNZ */
	SS_IC_MRS,
	SS_IC_MSR,
	SS_IC_ISB,
	SS_IC_ESB,
	SS_IC_ERET,
	SS_IC_CALL,	/* SVC, HVC, SMC */
	SS_IC_WFI,
	SS_IC_COUNT
};

/* Default of max_instructions (docs/model.md): far above any scenario's
 * needs, reached in well under a second by a loop that does not advance time. */
#define SS_DEFAULT_MAX_INSTRUCTIONS UINT64_C(10000000)

struct ss_timing {
	uint32_t latency[SS_IC_COUNT];	/* cycles per instruction class */
	uint32_t exception_entry;	/* cycles to enter an exception */
	uint32_t propagation;		/* SError event -> pending at the PE */
	uint64_t max_cycles;		/* watchdog */
	uint64_t max_instructions;	/* watchdog: instructions executed plus
					 * exceptions taken */
};

struct ss_config {
	/* Features: one bool per Feature block of sysregs/sysregs.txt, named
	 * by its knob (el3, el2, then secure, then sel2, ras, iesb,
	 * double_fault); ss_feature_on reads them by enum ss_feat. */
#define SS_CONFIG_FEATURE_FIELD(name, knob, def, help, src) bool knob;
	SS_FEATURES_EL(SS_CONFIG_FEATURE_FIELD)
	bool secure;			/* no EL3: the PE is in Secure state */
	SS_FEATURES_EXT(SS_CONFIG_FEATURE_FIELD)
#undef SS_CONFIG_FEATURE_FIELD
	bool guest_ras;			/* EL0/EL1 see FEAT_RAS in ID_AA64PFR0_EL1 */

	/* IMPLEMENTATION DEFINED choices and points where the sources differ. */
	enum ss_trigger trigger;		/* default for events (ARM-M D1.4.2.2) */
	bool synchronizable;			/* default for events (ARM-M D20.5.1) */
	bool iesb_before_exception;		/* ASL InsertIESBBeforeException */
	bool eret_iesb;				/* ESR.IESB for an SError taken at ERET (RLPKVM) */
	uint32_t noras_vserror_iss;		/* vSError ISS without FEAT_RAS (ASL AArch64.TakeVirtualSErrorException) */
	bool vsesr_raz_wi;			/* minimal RAS: VSESR_EL2 RAZ/WI (ARM-M D20.7.1.1) */
	bool esb_defers_raz_vserror;		/* ESB defers a vSError then (RGXHYX) */
	enum ss_amo_el2 amo_el2;		/* Known Issue D22105 */
	enum ss_vp_priority vp_priority;	/* ARM-M D1.4.6.5 */
	enum ss_virtual_order virtual_order;	/* ARM-M D1.4.6.5 */
	enum ss_physical_order physical_order;	/* ARM-M D1.4.6.5 */
	enum ss_esb_vse esb_vse;		/* ARM-M D20.5.1 vs C6.2 */
	enum ss_isr_a isr_a;			/* ARM-M D24.2.118 vs v8.5 ASL */
	enum ss_res0 res0;			/* ARM-M Glossary, RES0 */
	enum ss_merge merge;			/* ARM-M D20.4.3, RAS-B 2.5.3 */
	uint32_t merge_impdef_iss;		/* ISS of an IMPLEMENTATION DEFINED merge (RAS-B 2.5.3) */
	enum ss_vinject vinject;		/* hypervisor injection while one is pending */
	bool emulated_vserror_il;		/* ESR.IL of an emulated vSError entry */
	enum ss_set_commit set_commit;		/* partial commit of a refused request */
	enum ss_sysreg_sync sysreg_sync;	/* HCR_EL2/SCR_EL3 writes seen by sampling */
	enum ss_engine engine;			/* simulation only: no architectural effect */
	enum ss_host_uma host_uma;		/* AArch64.CheckDAIFAccess vs QEMU 7.2 */
	enum ss_el12_access el12_access;	/* *_EL12 accessors vs QEMU 7.2 */
	enum ss_daif_trap_iss daif_trap_iss;	/* ISS for EC 0x18 vs QEMU 7.2 */
	uint64_t midr;				/* MIDR_EL1 (ARM-M D24.2 MIDR_EL1) */
	/* RAS error records (model/ras.c; RAS spec, the error records and their registers): how many are
	 * reached through the System registers (ERRIDR_EL1.NUM), the
	 * ERR<n>FR and ERR<n>PFGF each implements.  The fault injection countdown
	 * ERR<n>PFGCDN counts the PE's cycles (docs/ras-records.md). */
	uint32_t ras_records;			/* 0..SS_RAS_MAX_RECORDS */
	uint64_t ras_fr;			/* ERR<n>FR of every record */
	uint64_t ras_pfgf;			/* ERR<n>PFGF of every record */
	enum ss_ras_intr ras_eri, ras_fhi;	/* the records' ERI and FHI: wiring */
	uint32_t ras_eri_line, ras_fhi_line;	/* ... and line (0..SS_MAX_LINES-1) */

	struct ss_timing timing;
};

/* The defaults documented in docs/model.md. */
void ss_config_default(struct ss_config *cfg);

/* Check a configuration for combinations no PE can have (first the
 * "Requires" lines of the features, then the other knobs); returns NULL when
 * it is consistent, else a message (static storage). */
const char *ss_config_check(const struct ss_config *cfg);

/* Is feature f implemented?  Always true for SS_FEAT_ALWAYS. */
bool ss_feature_on(const struct ss_config *cfg, enum ss_feat f);

/* Implement feature f or not. */
void ss_feature_set(struct ss_config *cfg, enum ss_feat f, bool on);

/* --- the knob table ------------------------------------------------------ */

enum ss_knob_type { SS_KNOB_BOOL, SS_KNOB_ENUM, SS_KNOB_U32, SS_KNOB_U64 };

struct ss_knob {
	const char *name;		/* as written in scenarios and on the CLI */
	enum ss_knob_type type;
	size_t offset;			/* into struct ss_config */
	const char *const *values;	/* enum spellings, NULL-terminated */
	uint64_t max;			/* largest value accepted (U32/U64) */
	const char *source;		/* the primary source */
	const char *help;
};

extern const struct ss_knob ss_knobs[];
extern const size_t ss_num_knobs;

/* Knob by name (case-insensitive, '-' and '_' equivalent), or NULL. */
const struct ss_knob *ss_knob_find(const char *name);

/*
 * Set a knob from its textual value ("1", "true", "on", an enum spelling or a
 * number).  Returns NULL on success, else a message (static storage).
 */
const char *ss_knob_set(struct ss_config *cfg, const struct ss_knob *k, const char *value);

/* Current value of a knob as text into buf; returns the length needed. */
size_t ss_knob_format(const struct ss_config *cfg, const struct ss_knob *k, char *buf, size_t len);

/* Raw numeric value of a knob. */
uint64_t ss_knob_get(const struct ss_config *cfg, const struct ss_knob *k);

#ifdef __cplusplus
}
#endif

#endif
