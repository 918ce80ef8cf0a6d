/*
 * regs.c - system-register access: MRS, MSR, the computed registers and
 * the ID registers.  Pure: no I/O.
 */
#include "internal.h"

#include <string.h>

/* --- system-register access ------------------------------------------------ */

/* ISR_EL1 (ARM-M D24.2.118; spec §3.5, §9.2). */
uint64_t ss_isr_el1(const struct ss_pe *pe)
{
	bool el1 = ss_pe_el(pe) == 1;
	bool a, i = false, f = false;
	if (el1 && ss_effective_amo(pe)) {
		a = HCR(pe, VSE);
		if (pe->cfg.isr_a == SS_ISR_A_VIRTUAL_OR_PHYSICAL)
			a = a || pe->npending;
	} else {
		a = pe->npending > 0;
	}
	if (el1 && ss_effective_imo(pe))
		i = HCR(pe, VI);
	if (el1 && ss_effective_fmo(pe))
		f = HCR(pe, VF);
	return SS_PREP(ISR_A, a) | SS_PREP(ISR_I, i) | SS_PREP(ISR_F, f);
}

enum disr_route { DISR_REAL, DISR_VIRTUAL, DISR_RAZWI };

bool ss_disr_el1_is_vdisr(const struct ss_pe *pe)
{
	return ss_pe_el(pe) == 1 && ss_el2_enabled(pe) && ss_effective_amo(pe);
}

/* DISR_EL1 accessor (ARM-M D24.9.1; spec §3.3): at EL1 with EL2 enabled and
 * AMO=1 it is VDISR_EL2; below EL3 with SCR_EL3.EA=1 it is RAZ/WI. */
static enum disr_route disr_route(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	if (ss_disr_el1_is_vdisr(pe))
		return DISR_VIRTUAL;
	if (el < 3 && pe->cfg.el3 && SCR(pe, EA))
		return DISR_RAZWI;
	return DISR_REAL;
}

/* Owner EL of a register: the EL its name ends with (min_el for EL2/EL3). */
static enum ss_access_result access_check(const struct ss_pe *pe, enum ss_reg r, bool write)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return SS_ACC_UNDEFINED;
	const struct ss_sysreg *d = &ss_sysregs[r];
	unsigned el = ss_pe_el(pe);
	if (!d->has_enc)
		return SS_ACC_UNDEFINED;
	if (d->feature == SS_FEAT_RAS && !pe->cfg.ras)
		return SS_ACC_UNDEFINED;
	if (d->feature == SS_FEAT_IESB && !pe->cfg.iesb)
		return SS_ACC_UNDEFINED;
	if (!ss_have_el(pe, d->min_el))
		return SS_ACC_UNDEFINED;
	if (d->min_el > el)
		return SS_ACC_UNDEFINED;
	if (write && d->access == SS_ACCESS_RO)
		return SS_ACC_UNDEFINED;
	/* DAIF at EL0 is trapped to EL1 unless SCTLR_EL1.UMA = 1. */
	if (el == 0 && r == SS_REG_DAIF && !SS_GET(SCTLR_UMA, pe->sr[SS_REG_SCTLR_EL1]))
		return SS_ACC_TRAP;
	return SS_ACC_OK;
}

uint64_t ss_sysreg_value(const struct ss_pe *pe, enum ss_reg r)
{
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	switch (r) {
	case SS_REG_DAIF:
		return ps & (SS_DAIF_D_MASK | SS_DAIF_A_MASK | SS_DAIF_I_MASK | SS_DAIF_F_MASK);
	case SS_REG_NZCV:
		return ps & (SS_NZCV_N_MASK | SS_NZCV_Z_MASK | SS_NZCV_C_MASK | SS_NZCV_V_MASK);
	case SS_REG_CurrentEL:
		return SS_PREP(CurrentEL_EL, ss_pe_el(pe));
	case SS_REG_SPSel:
		return SS_PREP(SPSel_SP, SS_GET(PSTATE_SP, ps));
	case SS_REG_ISR_EL1:
		return ss_isr_el1(pe);
	default:
		return (unsigned)r < SS_REG_COUNT ? pe->sr[r] : 0;
	}
}

enum ss_access_result ss_mrs(const struct ss_pe *pe, enum ss_reg r, uint64_t *value)
{
	enum ss_access_result a = access_check(pe, r, false);
	if (a != SS_ACC_OK)
		return a;
	switch (r) {
	case SS_REG_DAIF:
	case SS_REG_NZCV:
	case SS_REG_CurrentEL:
	case SS_REG_SPSel:
	case SS_REG_ISR_EL1:
		*value = ss_sysreg_value(pe, r);
		break;
	case SS_REG_DISR_EL1:
		switch (disr_route(pe)) {
		case DISR_VIRTUAL:
			*value = pe->sr[SS_REG_VDISR_EL2];
			break;
		case DISR_RAZWI:
			*value = 0;
			break;
		case DISR_REAL:
			*value = pe->sr[SS_REG_DISR_EL1];
			break;
		}
		break;
	case SS_REG_VSESR_EL2:
		*value = pe->cfg.vsesr_raz_wi ? 0 : pe->sr[r];
		break;
	case SS_REG_ID_AA64PFR0_EL1:
		/* A guest whose hypervisor hides FEAT_RAS (guest_ras = off). */
		*value = pe->sr[r];
		if (ss_pe_el(pe) <= 1 && ss_el2_enabled(pe) && !pe->cfg.guest_ras)
			*value = SS_SET(PFR0_RAS, *value, SS_RAS_NI);
		break;
	default:
		*value = pe->sr[r];
		break;
	}
	return SS_ACC_OK;
}

/* RES0/RES1 handling of a written value (spec §9.6, knob res0), plus the
 * fields that are RES0 without their feature. */
uint64_t ss_legalize(const struct ss_pe *pe, enum ss_reg r, uint64_t v)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return v;
	const struct ss_layout *l = ss_sysregs[r].layout;
	if (pe->cfg.res0 == SS_RES0_STORE ||
	    (pe->cfg.res0 == SS_RES0_QEMU && r != SS_REG_HCR_EL2 && r != SS_REG_SCR_EL3))
		return v;
	v = (v & ~l->res0) | l->res1;
	if (r == SS_REG_SCR_EL3 && !pe->cfg.double_fault)
		v &= ~(SS_SCR_NMEA_MASK | SS_SCR_EASE_MASK);
	if (r == SS_REG_SCR_EL3 && !pe->cfg.sel2)
		v &= ~SS_SCR_EEL2_MASK;
	if (r == SS_REG_HCR_EL2 && !pe->cfg.ras)
		v &= ~(SS_HCR_TEA_MASK | SS_HCR_TERR_MASK);
	if ((r == SS_REG_SCTLR_EL1 || r == SS_REG_SCTLR_EL2 || r == SS_REG_SCTLR_EL3) && !pe->cfg.iesb)
		v &= ~SS_SCTLR_IESB_MASK;
	return v;
}

enum ss_access_result ss_msr(struct ss_pe *pe, enum ss_reg r, uint64_t value,
			     const struct ss_observer *obs)
{
	enum ss_access_result a = access_check(pe, r, true);
	enum ss_reg dst = r;
	uint64_t *slot;
	if (a != SS_ACC_OK)
		return a;
	switch (r) {
	case SS_REG_DAIF:
	case SS_REG_NZCV:
	case SS_REG_SPSel: {
		uint64_t mask = r == SS_REG_DAIF ? (SS_DAIF_D_MASK | SS_DAIF_A_MASK | SS_DAIF_I_MASK | SS_DAIF_F_MASK)
			      : r == SS_REG_NZCV ? (SS_NZCV_N_MASK | SS_NZCV_Z_MASK | SS_NZCV_C_MASK | SS_NZCV_V_MASK)
					     : SS_PSTATE_SP_MASK;
		if (r == SS_REG_SPSel)
			value = SS_PREP(PSTATE_SP, SS_GET(SPSel_SP, value));
		dst = SS_REG_PSTATE;
		value = (pe->sr[SS_REG_PSTATE] & ~mask) | (value & mask);
		break;
	}
	case SS_REG_DISR_EL1:
		switch (disr_route(pe)) {
		case DISR_VIRTUAL:
			dst = SS_REG_VDISR_EL2;
			break;
		case DISR_RAZWI:
			return SS_ACC_OK;
		case DISR_REAL:
			break;
		}
		value = ss_legalize(pe, dst, value);
		break;
	case SS_REG_VSESR_EL2:
		if (pe->cfg.vsesr_raz_wi)
			return SS_ACC_OK;
		value = ss_legalize(pe, dst, value);
		break;
	case SS_REG_HCR_EL2:
		/* RW is RAO/WI: EL1 is AArch64-only in this model. */
		value = ss_legalize(pe, dst, value) | SS_HCR_RW_MASK;
		break;
	case SS_REG_SCR_EL3:
		value = ss_legalize(pe, dst, value) | SS_SCR_RW_MASK;
		break;
	default:
		value = ss_legalize(pe, dst, value);
		break;
	}
	slot = &pe->sr[dst];
	if (pe->cfg.sysreg_sync == SS_SYNC_CONTEXT) {
		if (dst == SS_REG_HCR_EL2 && !pe->hcr_stale) {
			pe->hcr_stale = true;
			pe->stale_hcr = *slot;
		} else if (dst == SS_REG_SCR_EL3 && !pe->scr_stale) {
			pe->scr_stale = true;
			pe->stale_scr = *slot;
		}
	}
	uint64_t old = *slot;
	*slot = value;
	SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = dst, .value = value,
		 .old = old);
	if (dst == SS_REG_HCR_EL2)	/* VSE 0->1 injects, 1->0 withdraws a vSError */
		ss_sync_virtual(pe, obs);
	return SS_ACC_OK;
}


/* The ID registers follow the features (ARM-M D24.2: RAS, IESB, ELx). */
void ss_set_id_registers(struct ss_pe *pe)
{
	const struct ss_config *cfg = &pe->cfg;
	pe->sr[SS_REG_ID_AA64PFR0_EL1] =
		SS_PREP(PFR0_EL0, SS_IDFEAT_IMP) | SS_PREP(PFR0_EL1, SS_IDFEAT_IMP) |
		SS_PREP(PFR0_EL2, cfg->el2 ? SS_IDFEAT_IMP : SS_IDFEAT_NI) |
		SS_PREP(PFR0_EL3, cfg->el3 ? SS_IDFEAT_IMP : SS_IDFEAT_NI) |
		SS_PREP(PFR0_RAS, !cfg->ras ? SS_RAS_NI : cfg->double_fault ? SS_RAS_V1P1 : SS_RAS_IMP) |
		SS_PREP(PFR0_SEL2, cfg->sel2);
	pe->sr[SS_REG_ID_AA64MMFR2_EL1] = SS_PREP(MMFR2_IESB, cfg->iesb ? SS_IDFEAT_IMP : SS_IDFEAT_NI);
}
