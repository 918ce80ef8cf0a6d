/*
 * esr.h - named constructors and accessors for syndrome values.
 *
 * No code in serrsim assembles an ESR, DISR or VSESR value by hand: it calls
 * one of these, which use only the field names generated from sysregs.txt.
 * Sources: ARM-M D24.2.45 (ESR_ELx), D24.9.1 (DISR_EL1), D24.9.16 (VDISR_EL2),
 * D24.9.18 (VSESR_EL2); ASL AArch64.PhysicalSErrorSyndrome.
 */
#ifndef SERRSIM_ESR_H
#define SERRSIM_ESR_H

#include <stdbool.h>
#include <stdint.h>

#include "sysregs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ISS[24:0] of an SError: the 25 bits VSESR_EL2, ESR and DISR share. */
#define SS_SERROR_ISS_MASK (SS_ESR_SErr_IDS_MASK | SS_ESR_SErrImp_IMPDEF_MASK)

/* --- SError ISS (IDS, IESB, AET, EA, DFSC) ----------------------------- */

/* Architected syndrome, IDS=0: AET, EA and DFSC=AsyncSError (IESB=0). */
static inline uint32_t ss_iss_serror(uint64_t aet, bool ea)
{
	return (uint32_t)(SS_PREP(ESR_SErr_AET, aet) | SS_PREP(ESR_SErr_EA, ea) |
			  SS_PREP(ESR_SErr_DFSC, SS_DFSC_AsyncSError));
}

/* IMPLEMENTATION DEFINED syndrome, IDS=1 with 24 IMPDEF bits. */
static inline uint32_t ss_iss_serror_impdef(uint32_t impdef)
{
	return (uint32_t)(SS_PREP(ESR_SErrImp_IDS, 1) | SS_PREP(ESR_SErrImp_IMPDEF, impdef));
}

/* Uncategorized: DFSC=0 and the whole ISS zero (ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1). */
static inline uint32_t ss_iss_serror_uncategorized(void)
{
	return (uint32_t)SS_PREP(ESR_SErr_DFSC, SS_DFSC_Uncategorized);
}

/* ISS with the IESB bit set or cleared; only meaningful when IDS=0. */
static inline uint32_t ss_iss_with_iesb(uint32_t iss, bool iesb)
{
	return (uint32_t)SS_SET(ESR_SErr_IESB, iss, iesb);
}

static inline bool ss_iss_ids(uint32_t iss)
{
	return SS_GET(ESR_SErr_IDS, iss) != 0;
}

static inline uint64_t ss_iss_aet(uint32_t iss)
{
	return SS_GET(ESR_SErr_AET, iss);
}

static inline uint64_t ss_iss_dfsc(uint32_t iss)
{
	return SS_GET(ESR_SErr_DFSC, iss);
}

/* True for an architected (IDS=0, DFSC=AsyncSError) syndrome. */
static inline bool ss_iss_is_architected(uint32_t iss)
{
	return !ss_iss_ids(iss) && ss_iss_dfsc(iss) == SS_DFSC_AsyncSError;
}

/* --- ESR_ELx ------------------------------------------------------------ */

static inline uint64_t ss_esr(uint64_t ec, bool il, uint32_t iss)
{
	return SS_PREP(ESR_ELx_EC, ec) | SS_PREP(ESR_ELx_IL, il) | SS_PREP(ESR_ELx_ISS, iss);
}

/* SError: EC=0x2F, IL=1 (ARM-M ESR_ELx.IL lists SError as "32-bit"). */
static inline uint64_t ss_esr_serror(uint32_t iss)
{
	return ss_esr(SS_EC_SError, true, iss & SS_SERROR_ISS_MASK);
}

/* UNDEFINED instruction: EC=Unknown, IL=1 for a 32-bit instruction. */
static inline uint64_t ss_esr_unknown(void)
{
	return ss_esr(SS_EC_Unknown, true, 0);
}

/* Illegal Execution state (PSTATE.IL set by an illegal exception return). */
static inline uint64_t ss_esr_illegal_state(void)
{
	return ss_esr(SS_EC_IllegalState, true, 0);
}

static inline uint64_t ss_esr_svc(uint16_t imm16)
{
	return ss_esr(SS_EC_SVC64, true, (uint32_t)SS_PREP(ESR_SVC_imm16, imm16));
}

static inline uint64_t ss_esr_hvc(uint16_t imm16)
{
	return ss_esr(SS_EC_HVC64, true, (uint32_t)SS_PREP(ESR_HVC_imm16, imm16));
}

static inline uint64_t ss_esr_smc(uint16_t imm16)
{
	return ss_esr(SS_EC_SMC64, true, (uint32_t)SS_PREP(ESR_SMC_imm16, imm16));
}

/* Trapped WFI (TI=0b00); CV=1 with COND=0b1110 for an unconditional WFI. */
static inline uint64_t ss_esr_wfi(void)
{
	return ss_esr(SS_EC_WFx, true,
		      (uint32_t)(SS_PREP(ESR_WFx_CV, 1) | SS_PREP(ESR_WFx_COND, 0xe) |
				 SS_PREP(ESR_WFx_TI, 0)));
}

/* Trapped MSR/MRS/MSR-immediate (EC=0x18) by encoding: Direction 1 = read. */
static inline uint64_t ss_esr_sysreg_trap_enc(unsigned op0, unsigned op1, unsigned crn,
					      unsigned crm, unsigned op2, unsigned rt, bool isread)
{
	return ss_esr(SS_EC_SysReg, true,
		      (uint32_t)(SS_PREP(ESR_SysReg_Op0, op0) | SS_PREP(ESR_SysReg_Op2, op2) |
				 SS_PREP(ESR_SysReg_Op1, op1) | SS_PREP(ESR_SysReg_CRn, crn) |
				 SS_PREP(ESR_SysReg_Rt, rt) | SS_PREP(ESR_SysReg_CRm, crm) |
				 SS_PREP(ESR_SysReg_Direction, isread)));
}

/* Trapped MSR/MRS of a register of the table. */
static inline uint64_t ss_esr_sysreg_trap(const struct ss_sysreg *r, unsigned rt, bool isread)
{
	return ss_esr_sysreg_trap_enc(r->op0, r->op1, r->crn, r->crm, r->op2, rt, isread);
}

/*
 * A synchronous External abort not on a translation table walk
 * (AArch64.DataAbort / AArch64.InstructionAbort, AArch64.FaultSyndrome;
 * ARM-M D24.2.45): EC from a lower EL or the same EL, IL=1 (a 32-bit
 * instruction), ISV=0, SET (FEAT_RAS; RES0 otherwise: the caller passes 0),
 * FnV, EA (IMPLEMENTATION DEFINED classification, knob-free here: the
 * declared value), WnR for a store, DFSC/IFSC = SyncExternal.
 */
static inline uint64_t ss_esr_dabt_sea(bool lower, bool wnr, unsigned set, bool fnv, bool ea)
{
	return ss_esr(lower ? SS_EC_DABT_LOW : SS_EC_DABT_CUR, true,
		      (uint32_t)(SS_PREP(ESR_DABT_SET, set) | SS_PREP(ESR_DABT_FnV, fnv) |
				 SS_PREP(ESR_DABT_EA, ea) | SS_PREP(ESR_DABT_WnR, wnr) |
				 SS_PREP(ESR_DABT_DFSC, SS_DFSC_SyncExternal)));
}

static inline uint64_t ss_esr_iabt_sea(bool lower, unsigned set, bool fnv, bool ea)
{
	return ss_esr(lower ? SS_EC_IABT_LOW : SS_EC_IABT_CUR, true,
		      (uint32_t)(SS_PREP(ESR_IABT_SET, set) | SS_PREP(ESR_IABT_FnV, fnv) |
				 SS_PREP(ESR_IABT_EA, ea) | SS_PREP(ESR_IABT_IFSC, SS_DFSC_SyncExternal)));
}

/* --- DISR_EL1 / VDISR_EL2 ---------------------------------------------- */

/*
 * DISR_EL1 after an ESB deferred an SError with this ISS: A=1, IDS and
 * ISS[23:0] from the syndrome.  DISR has no IESB bit (ARM-M D24.9.1), so an
 * architected syndrome loses bit 13.
 */
static inline uint64_t ss_disr_deferred(uint32_t iss)
{
	uint64_t v = SS_PREP(DISR_A, 1) | SS_PREP(DISR_IDS, ss_iss_ids(iss)) |
		     SS_PREP(DISR_ISS, iss);
	if (!ss_iss_ids(iss))
		v &= ~SS_DISR_Arch_RES0;
	return v;
}

/* VDISR_EL2 after an ESB deferred a virtual SError: A=1 | VSESR_EL2[24:0]. */
static inline uint64_t ss_vdisr_deferred(uint64_t vsesr)
{
	return SS_PREP(DISR_A, 1) | (vsesr & (SS_VSESR_IDS_MASK | SS_VSESR_ISS_MASK));
}

#ifdef __cplusplus
}
#endif

#endif
