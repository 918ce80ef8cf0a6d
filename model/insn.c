/*
 * insn.c - the instruction set: names and timing classes from isa.def, the
 * integer helpers, and one handler per isa.def row (the reference semantics
 * both engines use).  Pure: no I/O.
 */
#include "internal.h"

#include <stdint.h>
#include <string.h>

/* --- instruction metadata -------------------------------------------------- */

/* The rows of isa.def. */
static const struct ss_insn_info op_info[SS_OP_COUNT] = {
#define SS_INSN(NAME, MNEMONIC, ICLASS, FORM, ALU, A64, ZR_ALIAS, A64_NEG)                            \
	[SS_OP_##NAME] = { MNEMONIC, SS_IC_##ICLASS, SS_FORM_##FORM, SS_ALU_##ALU, A64, ZR_ALIAS, A64_NEG },
#include "isa.def"
#undef SS_INSN
};

const struct ss_insn_info *ss_insn_info(enum ss_op op)
{
	return (unsigned)op < SS_OP_COUNT ? &op_info[op] : NULL;
}

enum ss_iclass ss_insn_class(enum ss_op op)
{
	return (unsigned)op < SS_OP_COUNT ? op_info[op].cls : SS_IC_NOP;
}

const char *ss_op_name(enum ss_op op)
{
	return (unsigned)op < SS_OP_COUNT ? op_info[op].mnemonic : "?";
}

const char *ss_cond_name(enum ss_cc c)
{
	static const char *const names[16] = { "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
						"hi", "ls", "ge", "lt", "gt", "le", "al", "nv" };
	return names[c & 15];
}


/* --- integer helpers --------------------------------------------------------- */

static uint64_t xr(const struct ss_pe *pe, unsigned r)
{
	return r >= SS_NO_REG ? 0 : pe->x[r];
}

static void xw(struct ss_pe *pe, unsigned r, uint64_t v)
{
	if (r < SS_NO_REG)
		pe->x[r] = v;
}

/* SUBS: result and NZCV (AddWithCarry(x, NOT(y), 1)). */
uint64_t ss_subs(struct ss_pe *pe, uint64_t a, uint64_t b)
{
	uint64_t r = a - b;
	bool n = r >> 63, z = r == 0, c = a >= b;
	bool v = ((a ^ b) & (a ^ r)) >> 63;
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	ps = SS_SET(PSTATE_N, ps, n);
	ps = SS_SET(PSTATE_Z, ps, z);
	ps = SS_SET(PSTATE_C, ps, c);
	ps = SS_SET(PSTATE_V, ps, v);
	pe->sr[SS_REG_PSTATE] = ps;
	return r;
}

/* ConditionHolds() */
bool ss_cond_holds(const struct ss_pe *pe, unsigned cond)
{
	bool n = PSTATE_GET(pe, N), z = PSTATE_GET(pe, Z), c = PSTATE_GET(pe, C),
	     v = PSTATE_GET(pe, V);
	bool r;
	switch (cond >> 1) {
	case 0: r = z; break;
	case 1: r = c; break;
	case 2: r = n; break;
	case 3: r = v; break;
	case 4: r = c && !z; break;
	case 5: r = n == v; break;
	case 6: r = n == v && !z; break;
	default: r = true; break;
	}
	if ((cond & 1) && cond != SS_NV)
		r = !r;
	return r;
}

/* --- instructions ------------------------------------------------------------ */

size_t ss_program_index(const struct ss_program *p, uint64_t addr)
{
	size_t lo = 0, hi = p ? p->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->insns[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return p && lo < p->n && p->insns[lo].addr == addr ? lo : SIZE_MAX;
}

const struct ss_insn *ss_fetch(struct ss_pe *pe, uint64_t addr)
{
	const struct ss_program *p = pe->prog;
	/* Straight-line code: the instruction after the last one fetched. */
	if (p && pe->last_fetch + 1 < p->n && p->insns[pe->last_fetch + 1].addr == addr)
		return &p->insns[++pe->last_fetch];
	size_t i = ss_program_index(p, addr);
	if (i == SIZE_MAX)
		return NULL;
	pe->last_fetch = i;
	return &p->insns[i];
}

/* A trapped system-register access: EC=0x18 to EL1 (EL2 when TGE=1), or
 * to the EL a trap control names (to != 0: HCR_EL2.TERR, SCR_EL3.TERR). */
static void sysreg_trap_to(struct ss_pe *pe, const struct ss_observer *obs, uint64_t esr,
			   unsigned to)
{
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = to ? to : ss_sync_target(pe),
				     .cause = SS_CAUSE_SYSREG_TRAP, .has_esr = true, .esr = esr,
				     .elr = pe->pc, .vec = SS_VEC_SYNC });
}

static void sysreg_trap(struct ss_pe *pe, const struct ss_observer *obs, uint64_t esr)
{
	sysreg_trap_to(pe, obs, esr, 0);
}

static void access_fault(struct ss_pe *pe, const struct ss_observer *obs,
			 enum ss_access_result a, uint64_t trap_esr)
{
	if (a == SS_ACC_TRAP)
		sysreg_trap(pe, obs, trap_esr);
	else if (a == SS_ACC_TRAP_EL2 || a == SS_ACC_TRAP_EL3)
		sysreg_trap_to(pe, obs, trap_esr, a == SS_ACC_TRAP_EL2 ? 2 : 3);
	else
		ss_undefined(pe, obs);
}

/* MSR DAIFSet/DAIFClr (PSTATE.{D,A,I,F} from imm4[3:0]); trapped at EL0 as
 * AArch64.CheckDAIFAccess says (op0=0 op1=3 CRn=4 CRm=imm op2=6/7). */
static bool msr_daif_imm(struct ss_pe *pe, const struct ss_observer *obs,
			 const struct ss_insn *in)
{
	bool set = in->op == SS_OP_MSR_DAIFSET;
	if (ss_check_daif_access(pe)) {
		sysreg_trap(pe, obs, ss_daif_imm_trap_esr(pe, set, (unsigned)in->imm));
		return false;
	}
	uint64_t bits = SS_PREP(PSTATE_F, in->imm & 1) | SS_PREP(PSTATE_I, (in->imm >> 1) & 1) |
			SS_PREP(PSTATE_A, (in->imm >> 2) & 1) | SS_PREP(PSTATE_D, (in->imm >> 3) & 1);
	uint64_t old = pe->sr[SS_REG_PSTATE];
	pe->sr[SS_REG_PSTATE] = set ? old | bits : old & ~bits;
	SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = SS_REG_PSTATE,
			      .value = pe->sr[SS_REG_PSTATE], .old = old);
	return true;
}

/* HVC: UNDEFINED at EL0, without EL2, at EL1 with EL2 disabled, or when
 * SCR_EL3.HCE = 0; otherwise to EL2 (EL3 from EL3), ELR = next insn. */
static bool exec_hvc(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_insn *in)
{
	unsigned el = ss_pe_el(pe);
	bool enabled = pe->cfg.el3 ? SCR(pe, HCE) : !HCR(pe, HCD);
	if (el == 0 || !pe->cfg.el2 || (el == 1 && !ss_el2_enabled(pe)) || !enabled) {
		ss_undefined(pe, obs);
		return false;
	}
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = el == 3 ? 3 : 2, .cause = SS_CAUSE_HVC,
				     .has_esr = true, .esr = ss_esr_hvc((uint16_t)in->imm),
				     .elr = pe->pc + 4, .vec = SS_VEC_SYNC });
	return false;
}

/* SMC: UNDEFINED at EL0; trapped to EL2 from EL1 by HCR_EL2.TSC (ELR = the
 * SMC); UNDEFINED without EL3 or with SCR_EL3.SMD = 1; else to EL3. */
static bool exec_smc(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_insn *in)
{
	unsigned el = ss_pe_el(pe);
	if (el == 0) {
		ss_undefined(pe, obs);
		return false;
	}
	if (el == 1 && ss_el2_enabled(pe) && HCR(pe, TSC)) {
		ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = 2, .cause = SS_CAUSE_SMC,
					     .has_esr = true, .esr = ss_esr_smc((uint16_t)in->imm),
					     .elr = pe->pc, .vec = SS_VEC_SYNC });
		return false;
	}
	if (!pe->cfg.el3 || SCR(pe, SMD)) {
		ss_undefined(pe, obs);
		return false;
	}
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = 3, .cause = SS_CAUSE_SMC,
				     .has_esr = true, .esr = ss_esr_smc((uint16_t)in->imm),
				     .elr = pe->pc + 4, .vec = SS_VEC_SYNC });
	return false;
}

/* WFI: trapped by SCTLR_EL1.nTWI=0 (EL0), HCR_EL2.TWI (EL0/EL1, not in the
 * host), SCR_EL3.TWI (below EL3); otherwise the PE sleeps until a wake-up
 * event.  WFI completes when woken, so ELR of what wakes it is the next
 * instruction. */
static bool exec_wfi(struct ss_pe *pe, const struct ss_observer *obs)
{
	unsigned el = ss_pe_el(pe), to = 0;
	if (el == 0 && !ss_effective_tge(pe) && !SS_GET(SCTLR_nTWI, pe->sr[SS_REG_SCTLR_EL1]))
		to = 1;
	else if (el <= 1 && ss_el2_enabled(pe) && !ss_in_host(pe) && HCR(pe, TWI))
		to = 2;
	else if (el <= 2 && pe->cfg.el3 && SCR(pe, TWI))
		to = 3;
	if (to) {
		ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = to, .cause = SS_CAUSE_WFI_TRAP,
					     .has_esr = true, .esr = ss_esr_wfi(), .elr = pe->pc,
					     .vec = SS_VEC_SYNC });
		return false;
	}
	if (!ss_wake_pending(pe)) {
		pe->asleep = true;
		SS_TRACE(obs, pe, .kind = SS_TR_SLEEP, .cycle = pe->cycle);
	}
	return true;
}

/*
 * The handler of each row of isa.def, op_<NAME>.  It returns true when the
 * instruction completed (PC advances to the next instruction, or to
 * in->target when it sets *branched), false when it raised an exception or
 * otherwise set PC itself.
 */
#define HANDLER(NAME)                                                                          \
	static bool op_##NAME(struct ss_pe *pe __attribute__((unused)),                        \
			      const struct ss_observer *obs __attribute__((unused)),           \
			      const struct ss_insn *in __attribute__((unused)),                \
			      bool *branched __attribute__((unused)))

HANDLER(NOP) { return true; }
HANDLER(DSB) { return true; }

HANDLER(ISB)
{
	ss_context_sync(pe);
	return true;
}

HANDLER(END)
{
	pe->stop = SS_STOP_END;
	return false;
}

HANDLER(UDF)
{
	ss_undefined(pe, obs);
	return false;
}

HANDLER(MRS)
{
	uint64_t v;
	enum ss_access_result a = ss_mrs(pe, in->sreg, &v);
	if (a != SS_ACC_OK) {
		access_fault(pe, obs, a, ss_esr_sysreg_trap(&ss_sysregs[in->sreg], in->rd, true));
		return false;
	}
	xw(pe, in->rd, v);
	if (in->sreg == SS_REG_DISR_EL1 && ss_disr_el1_reach(pe) == SS_REG_VDISR_EL2)
		ss_vdisr_read(pe);
	return true;
}

HANDLER(MSR)
{
	enum ss_access_result a = ss_msr(pe, in->sreg, xr(pe, in->rn), obs);
	if (a != SS_ACC_OK) {
		access_fault(pe, obs, a, ss_esr_sysreg_trap(&ss_sysregs[in->sreg], in->rn, false));
		return false;
	}
	return true;
}

HANDLER(MSR_DAIFSET) { return msr_daif_imm(pe, obs, in); }
HANDLER(MSR_DAIFCLR) { return msr_daif_imm(pe, obs, in); }

HANDLER(MSR_SPSEL)
{
	if (ss_pe_el(pe) == 0) {
		ss_undefined(pe, obs);
		return false;
	}
	ss_msr(pe, SS_REG_SPSel, SS_PREP(SPSel_SP, in->imm & 1), obs);
	return true;
}

HANDLER(ESB) { return !ss_esb(pe, obs); }

HANDLER(ERET)
{
	if (ss_pe_el(pe) == 0) {
		ss_undefined(pe, obs);
		return false;
	}
	ss_exception_return(pe, obs);
	return false;
}

HANDLER(SVC)
{
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = ss_sync_target(pe),
				     .cause = SS_CAUSE_SVC, .has_esr = true,
				     .esr = ss_esr_svc((uint16_t)in->imm), .elr = pe->pc + 4,
				     .vec = SS_VEC_SYNC });
	return false;
}

HANDLER(HVC) { return exec_hvc(pe, obs, in); }
HANDLER(SMC) { return exec_smc(pe, obs, in); }
HANDLER(WFI) { return exec_wfi(pe, obs); }

HANDLER(B)
{
	*branched = true;
	return true;
}

HANDLER(BCOND)
{
	*branched = ss_cond_holds(pe, in->cond);
	return true;
}

HANDLER(CBZ)
{
	*branched = xr(pe, in->rn) == 0;
	return true;
}

HANDLER(CBNZ)
{
	*branched = xr(pe, in->rn) != 0;
	return true;
}

HANDLER(TBZ)
{
	*branched = !((xr(pe, in->rn) >> (in->imm & 63)) & 1);
	return true;
}

HANDLER(TBNZ)
{
	*branched = (xr(pe, in->rn) >> (in->imm & 63)) & 1;
	return true;
}

HANDLER(MOVI)
{
	xw(pe, in->rd, in->imm);
	return true;
}

HANDLER(MOV)
{
	xw(pe, in->rd, xr(pe, in->rm));
	return true;
}

HANDLER(UBFX)
{
	unsigned w = in->width ? in->width : 1;
	uint64_t mask = w >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << w) - 1;
	xw(pe, in->rd, (xr(pe, in->rn) >> (in->lsb & 63)) & mask);
	return true;
}

/*
 * LDR (immediate) / STR (immediate), 64-bit, unsigned offset: the address
 * is Xn + imm (no translation, no alignment check).  An access a declared
 * range aborts takes a synchronous External abort (abort.c); a load
 * otherwise reads the range's value, or 0.
 */
HANDLER(LDR)
{
	uint64_t va = xr(pe, in->rn) + in->imm;
	const struct ss_mem_region *r = ss_mem_lookup(pe, va);
	if (r && (r->abort & SS_MEM_LOAD)) {
		ss_sync_external_abort(pe, obs, SS_MEM_LOAD, va, r);
		return false;
	}
	xw(pe, in->rd, r ? r->value : 0);
	return true;
}

HANDLER(STR)
{
	uint64_t va = xr(pe, in->rn) + in->imm;
	const struct ss_mem_region *r = ss_mem_lookup(pe, va);
	if (r && (r->abort & SS_MEM_STORE)) {
		ss_sync_external_abort(pe, obs, SS_MEM_STORE, va, r);
		return false;
	}
	return true;
}

/* The data-processing rows (ALU column other than NONE): Xd <- Xn ALU the
 * form's last operand. */
#define ALU_ADD(a, b) ((a) + (b))
#define ALU_SUB(a, b) ((a) - (b))
#define ALU_SUBS(a, b) ss_subs(pe, (a), (b))
#define ALU_AND(a, b) ((a) & (b))
#define ALU_ORR(a, b) ((a) | (b))
#define ALU_EOR(a, b) ((a) ^ (b))
#define ALU_BIC(a, b) ((a) & ~(b))
#define OPERAND_RD_RN_IMM in->imm
#define OPERAND_RD_RN_LOGIMM in->imm
#define OPERAND_RD_RN_RM xr(pe, in->rm)
#define DATA_PROCESSING(NAME, FORM, ALU)                                                       \
	HANDLER(NAME)                                                                          \
	{                                                                                      \
		xw(pe, in->rd, ALU_##ALU(xr(pe, in->rn), OPERAND_##FORM));                     \
		return true;                                                                   \
	}
#define DP_NONE(NAME, FORM, ALU)
#define DP_ADD DATA_PROCESSING
#define DP_SUB DATA_PROCESSING
#define DP_SUBS DATA_PROCESSING
#define DP_AND DATA_PROCESSING
#define DP_ORR DATA_PROCESSING
#define DP_EOR DATA_PROCESSING
#define DP_BIC DATA_PROCESSING
#define SS_INSN(NAME, MNEMONIC, ICLASS, FORM, ALU, A64, ZR_ALIAS, A64_NEG) DP_##ALU(NAME, FORM, ALU)
#include "isa.def"
#undef SS_INSN

/* One handler per row: a row without its op_<NAME> does not build. */
static bool (*const handlers[SS_OP_COUNT])(struct ss_pe *, const struct ss_observer *,
					    const struct ss_insn *, bool *) = {
#define SS_INSN(NAME, MNEMONIC, ICLASS, FORM, ALU, A64, ZR_ALIAS, A64_NEG) [SS_OP_##NAME] = op_##NAME,
#include "isa.def"
#undef SS_INSN
};

/* Execute one instruction (see HANDLER).  SS_OP_COUNT is UNDEFINED; a value
 * past it completes as a NOP. */
bool ss_execute(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_insn *in,
		    bool *branched)
{
	*branched = false;
	if ((unsigned)in->op < SS_OP_COUNT)
		return handlers[in->op](pe, obs, in, branched);
	if (in->op == SS_OP_COUNT) {
		ss_undefined(pe, obs);
		return false;
	}
	return true;
}
