/*
 * regs.c - system-register access: MRS, MSR, the computed registers and
 * the ID registers.  Pure: no I/O.
 *
 * sysregs/sysregs.txt gives every register its encoding, layout, lowest EL,
 * direction, feature and reset value; the rows below add what a table of
 * facts cannot say, in the manner of QEMU's ARMCPRegInfo (target/arm/cpregs.h):
 * an extra access rule, a computed value, a read that differs from the
 * value, where a write lands and what it stores, and what follows a write.
 * Most registers have no row.  ss_mrs, ss_msr, ss_sysreg_value, access_check
 * and ss_legalize only walk the rows.
 */
#include "internal.h"

#include <string.h>

struct reg_row {
	/* A rule after the generic ones (UNDEFINED below the lowest EL,
	 * without the EL or the feature, MSR to a read-only register). */
	enum ss_access_result (*access)(const struct ss_pe *pe, bool write);
	/* The value of a computed register (ss_sysreg_value). */
	uint64_t (*value)(const struct ss_pe *pe);
	/* What MRS returns when it is not the value. */
	uint64_t (*read)(const struct ss_pe *pe);
	/* Where MSR writes: a register, or SS_REG_COUNT when the write is
	 * ignored.  Default: the register itself. */
	enum ss_reg (*target)(const struct ss_pe *pe);
	/* What MSR stores from the written value.  Default: ss_legalize for the
	 * target. */
	uint64_t (*write)(struct ss_pe *pe, enum ss_reg target, uint64_t value);
	/* What follows the store. */
	void (*written)(struct ss_pe *pe, const struct ss_observer *obs);
	/* res0 = qemu masks it like res0 = mask (QEMU 7.2 target/arm/helper.c
	 * do_hcr_write and scr_write mask to the valid bits; every other
	 * register stores what is written). */
	bool qemu_masks;
};

/* --- computed views of PSTATE (ARM-M C5.2 "Special-purpose registers") ---- */

#define DAIF_BITS (SS_DAIF_D_MASK | SS_DAIF_A_MASK | SS_DAIF_I_MASK | SS_DAIF_F_MASK)
#define NZCV_BITS (SS_NZCV_N_MASK | SS_NZCV_Z_MASK | SS_NZCV_C_MASK | SS_NZCV_V_MASK)

static uint64_t daif_value(const struct ss_pe *pe)
{
	return pe->sr[SS_REG_PSTATE] & DAIF_BITS;
}

static uint64_t daif_write(struct ss_pe *pe, enum ss_reg target, uint64_t v)
{
	(void)target;
	return (pe->sr[SS_REG_PSTATE] & ~DAIF_BITS) | (v & DAIF_BITS);
}

/* ELIsInHost(el) (Arm ARM J1.3, shared/functions/system): FEAT_VHE, EL2
 * enabled and HCR_EL2.E2H = 1, and for EL0 HCR_EL2.TGE = 1 as well; never
 * for EL1 or EL3. */
bool ss_el_is_in_host(const struct ss_pe *pe, unsigned el)
{
	if (!pe->cfg.vhe || !ss_el2_enabled(pe) || !HCR(pe, E2H))
		return false;
	return el == 2 || (el == 0 && HCR(pe, TGE));
}

/*
 * AArch64.CheckDAIFAccess (Arm ARM C5.2.2 DAIF accessors; the MSR
 * (immediate) DAIFSet/DAIFClr pseudocode): at EL0, an access to DAIF is
 * trapped (EC 0x18, to EL2 when EL2 is enabled with HCR_EL2.TGE = 1, else to
 * EL1) when IsInHost(), whatever SCTLR_EL1.UMA, or else when SCTLR_EL1.UMA = 0.
 * Knob host_uma = sctlr-el2: QEMU 7.2 (target/arm/op_helper.c daif_check,
 * arm_sctlr(env, 0)) reads bit 9 of SCTLR_EL2, RES0 there, as UMA in the host
 * regime instead.  True when the access is trapped.
 */
bool ss_check_daif_access(const struct ss_pe *pe)
{
	if (ss_pe_el(pe) != 0)
		return false;
	if (ss_el_is_in_host(pe, 0))
		return pe->cfg.host_uma == SS_HOST_UMA_TRAP ||
		       !SS_GET(SCTLR_UMA, pe->sr[SS_REG_SCTLR_EL2]);
	return !SS_GET(SCTLR_UMA, pe->sr[SS_REG_SCTLR_EL1]);
}

/* ESR of a trapped MSR DAIFSet/DAIFClr: EC 0x18 with op0=0 op1=3 CRn=4
 * CRm=imm op2=6/7 Rt=31 (Arm ARM D24.2.45, ISS for EC 0x18).  Knob
 * daif_trap_iss = qemu-swapped: QEMU 7.2 (target/arm/op_helper.c
 * daif_check) passes op2 as Op1 and op1 as Op2 to syn_aa64_sysregtrap. */
uint64_t ss_daif_imm_trap_esr(const struct ss_pe *pe, bool set, unsigned imm)
{
	unsigned op1 = 3, op2 = set ? 6 : 7;
	if (pe->cfg.daif_trap_iss == SS_DAIF_ISS_QEMU_SWAPPED)
		return ss_esr_sysreg_trap_enc(0, op2, 4, imm, op1, 31, false);
	return ss_esr_sysreg_trap_enc(0, op1, 4, imm, op2, 31, false);
}

static enum ss_access_result daif_access(const struct ss_pe *pe, bool write)
{
	(void)write;
	return ss_check_daif_access(pe) ? SS_ACC_TRAP : SS_ACC_OK;
}

/* MIDR_EL1 (ARM-M D24.2 MIDR_EL1): the knob midr, IMPLEMENTATION DEFINED. */
static uint64_t midr_value(const struct ss_pe *pe)
{
	return pe->cfg.midr;
}

static uint64_t nzcv_value(const struct ss_pe *pe)
{
	return pe->sr[SS_REG_PSTATE] & NZCV_BITS;
}

static uint64_t nzcv_write(struct ss_pe *pe, enum ss_reg target, uint64_t v)
{
	(void)target;
	return (pe->sr[SS_REG_PSTATE] & ~NZCV_BITS) | (v & NZCV_BITS);
}

static uint64_t currentel_value(const struct ss_pe *pe)
{
	return SS_PREP(CurrentEL_EL, ss_pe_el(pe));
}

static uint64_t spsel_value(const struct ss_pe *pe)
{
	return SS_PREP(SPSel_SP, SS_GET(PSTATE_SP, pe->sr[SS_REG_PSTATE]));
}

static uint64_t spsel_write(struct ss_pe *pe, enum ss_reg target, uint64_t v)
{
	(void)target;
	return (pe->sr[SS_REG_PSTATE] & ~SS_PSTATE_SP_MASK) |
	       SS_PREP(PSTATE_SP, SS_GET(SPSel_SP, v));
}

static enum ss_reg pstate_target(const struct ss_pe *pe)
{
	(void)pe;
	return SS_REG_PSTATE;
}

/* --- pending state ------------------------------------------------------- */

/* ISR_EL1 (ARM-M D24.2.118): A, I, F show the virtual state at EL1 when the
 * effective HCR_EL2.AMO/IMO/FMO (for A also the Effective HCRX_EL2.TMEA)
 * routes the physical one to EL2 (knob isr_a:
 * the v8.5 ASL also ORs the physical SError in), the physical state else:
 * for I and F, whether a physical IRQ (FIQ) line is asserted, whatever its
 * routing and masking. */
uint64_t ss_isr_el1(const struct ss_pe *pe)
{
	struct ss_controls v;
	ss_controls_live(&v, pe);
	bool el1 = v.el == 1;
	bool a, i, f;
	if (el1 && (v.amo || v.hcrx_tmea)) {
		a = HCR(pe, VSE);
		if (pe->cfg.isr_a == SS_ISR_A_VIRTUAL_OR_PHYSICAL)
			a = a || pe->npending;
	} else {
		a = pe->npending > 0;
	}
	if (el1 && v.imo)
		i = HCR(pe, VI);
	else
		i = pe->intr_up[SS_INTR_IRQ] != 0;
	if (el1 && v.fmo)
		f = HCR(pe, VF);
	else
		f = pe->intr_up[SS_INTR_FIQ] != 0;
	return SS_PREP(ISR_A, a) | SS_PREP(ISR_I, i) | SS_PREP(ISR_F, f);
}

/* --- RAS registers --------------------------------------------------------- */

/* DISR_EL1 reaches VDISR_EL2 at EL1 with EL2 enabled and the effective
 * HCR_EL2.AMO = 1 or the Effective HCRX_EL2.TMEA = 1 (Arm ARM D24.9.1
 * DISR_EL1 accessor). */
bool ss_disr_el1_is_vdisr(const struct ss_pe *pe)
{
	return ss_pe_el(pe) == 1 && ss_el2_enabled(pe) && (ss_effective_amo(pe) || ss_effective_hcrx_tmea(pe));
}

/* DISR_EL1 (ARM-M D24.9.1; RAS-B 4.4.2): at EL1 with EL2 enabled and the
 * effective HCR_EL2.AMO = 1 an access is to VDISR_EL2; below EL3 with
 * SCR_EL3.EA = 1 it is RAZ/WI; at EL3 it is always DISR_EL1. */
static enum ss_reg disr_target(const struct ss_pe *pe)
{
	unsigned el = ss_pe_el(pe);
	if (ss_disr_el1_is_vdisr(pe))
		return SS_REG_VDISR_EL2;
	if (el < 3 && pe->cfg.el3 && SCR(pe, EA))
		return SS_REG_COUNT;
	return SS_REG_DISR_EL1;
}

enum ss_reg ss_disr_el1_reach(const struct ss_pe *pe)
{
	return disr_target(pe);
}

static uint64_t disr_read(const struct ss_pe *pe)
{
	enum ss_reg t = disr_target(pe);
	return t == SS_REG_COUNT ? 0 : pe->sr[t];
}

/* VSESR_EL2 is RAZ/WI with a minimal RAS implementation (knob vsesr_raz_wi;
 * ARM-M D20.7.1.1). */
static enum ss_reg vsesr_target(const struct ss_pe *pe)
{
	return pe->cfg.vsesr_raz_wi ? SS_REG_COUNT : SS_REG_VSESR_EL2;
}

static uint64_t vsesr_read(const struct ss_pe *pe)
{
	return pe->cfg.vsesr_raz_wi ? 0 : pe->sr[SS_REG_VSESR_EL2];
}

/* ID_AA64PFR0_EL1 as EL0/EL1 read it with EL2 enabled: a hypervisor that
 * hides FEAT_RAS from its guest (knob guest_ras; Linux
 * arch/arm64/kvm/sys_regs.c, ID_AA64PFR0_EL1.RAS writable since 6.17). */
static uint64_t pfr0_read(const struct ss_pe *pe)
{
	uint64_t v = pe->sr[SS_REG_ID_AA64PFR0_EL1];
	if (ss_pe_el(pe) <= 1 && ss_el2_enabled(pe) && !pe->cfg.guest_ras)
		v = SS_SET(PFR0_RAS, v, SS_RAS_NI);
	return v;
}

/* --- RAS error records (model/ras.c) --------------------------------------- */

/*
 * The accessors of ERRIDR_EL1, ERRSELR_EL1 and the ERX* registers (Arm ARM
 * D24.9, e.g. ERXSTATUS_EL1): at EL1, trapped to EL2 when EL2 is enabled
 * and HCR_EL2.TERR = 1, else to EL3 when SCR_EL3.TERR = 1; at EL2, trapped
 * to EL3 when SCR_EL3.TERR = 1 (EC 0x18, AArch64.SystemAccessTrap).  EL0 is
 * UNDEFINED by the generic rule (Access 1).
 */
static enum ss_access_result ras_access(const struct ss_pe *pe, bool write)
{
	(void)write;
	unsigned el = ss_pe_el(pe);
	if (el == 1 && ss_el2_enabled(pe) && HCR(pe, TERR))
		return SS_ACC_TRAP_EL2;
	if (el < 3 && pe->cfg.el3 && SCR(pe, TERR))
		return SS_ACC_TRAP_EL3;
	return SS_ACC_OK;
}

static uint64_t erridr_value(const struct ss_pe *pe)
{
	return ss_ras_erridr(pe);
}

/* ERRSELR_EL1 is stored; an ERX* register is a view of the selected
 * record: MSR hands the value to ras.c, and the register file keeps what
 * the record stored as a shadow (for the trace), never read. */
#define ERX_ROW_FUNCS(NAME, FIELD)                                                   \
	static uint64_t NAME##_value(const struct ss_pe *pe)                          \
	{                                                                              \
		return ss_ras_erx_value(pe, SS_ERX_##FIELD);                           \
	}                                                                              \
	static uint64_t NAME##_write(struct ss_pe *pe, enum ss_reg target, uint64_t v) \
	{                                                                              \
		(void)target;                                                          \
		return ss_ras_erx_write(pe, SS_REG_##NAME, SS_ERX_##FIELD, v);         \
	}
ERX_ROW_FUNCS(ERXFR_EL1, FR)
ERX_ROW_FUNCS(ERXCTLR_EL1, CTLR)
ERX_ROW_FUNCS(ERXSTATUS_EL1, STATUS)
ERX_ROW_FUNCS(ERXADDR_EL1, ADDR)
ERX_ROW_FUNCS(ERXMISC0_EL1, MISC0)
ERX_ROW_FUNCS(ERXMISC1_EL1, MISC1)
ERX_ROW_FUNCS(ERXMISC2_EL1, MISC2)
ERX_ROW_FUNCS(ERXMISC3_EL1, MISC3)
ERX_ROW_FUNCS(ERXPFGF_EL1, PFGF)
ERX_ROW_FUNCS(ERXPFGCTL_EL1, PFGCTL)
ERX_ROW_FUNCS(ERXPFGCDN_EL1, PFGCDN)
#undef ERX_ROW_FUNCS

/* Clearing a record (ERR<n>STATUS.V) withdraws its interrupt requests. */
static void erxstatus_written(struct ss_pe *pe, const struct ss_observer *obs)
{
	ss_ras_update_intr(pe, obs);
}

/* --- HCR_EL2 and SCR_EL3 --------------------------------------------------- */

/* With sysreg_sync = context-sync, sampling keeps seeing the value before the
 * first unsynchronized write until the next context synchronization event
 * (ARM-M D1.4.6.5, "Synchronization requirements for AArch64 System
 * registers"). */
static uint64_t hcr_write(struct ss_pe *pe, enum ss_reg target, uint64_t v)
{
	if (pe->cfg.sysreg_sync == SS_SYNC_CONTEXT && !pe->hcr_stale) {
		pe->hcr_stale = true;
		pe->stale_hcr = pe->sr[SS_REG_HCR_EL2];
	}
	/* RW is RAO/WI: EL1 is AArch64-only in this model (ARM-M D24.2.62). */
	return ss_legalize(pe, target, v) | SS_HCR_RW_MASK;
}

/* HCR_EL2.VSE 0->1 makes a vSError pending, 1->0 withdraws it (ARM-M
 * D24.2.62 HCR_EL2.VSE). */
static void hcr_written(struct ss_pe *pe, const struct ss_observer *obs)
{
	ss_sync_virtual(pe, obs);
}

static uint64_t scr_write(struct ss_pe *pe, enum ss_reg target, uint64_t v)
{
	if (pe->cfg.sysreg_sync == SS_SYNC_CONTEXT && !pe->scr_stale) {
		pe->scr_stale = true;
		pe->stale_scr = pe->sr[SS_REG_SCR_EL3];
	}
	/* RW is RAO/WI: EL2 is AArch64-only in this model (ARM-M D24.2.169). */
	return ss_legalize(pe, target, v) | SS_SCR_RW_MASK;
}

/* --- the rows -------------------------------------------------------------- */

static const struct reg_row rows[SS_REG_COUNT] = {
	[SS_REG_DAIF] = { .access = daif_access, .value = daif_value, .target = pstate_target,
			  .write = daif_write },
	[SS_REG_NZCV] = { .value = nzcv_value, .target = pstate_target, .write = nzcv_write },
	[SS_REG_CurrentEL] = { .value = currentel_value },
	[SS_REG_SPSel] = { .value = spsel_value, .target = pstate_target, .write = spsel_write },
	[SS_REG_ISR_EL1] = { .value = ss_isr_el1 },
	[SS_REG_DISR_EL1] = { .read = disr_read, .target = disr_target },
	[SS_REG_VSESR_EL2] = { .read = vsesr_read, .target = vsesr_target },
	[SS_REG_ID_AA64PFR0_EL1] = { .read = pfr0_read },
	[SS_REG_MIDR_EL1] = { .value = midr_value },
	[SS_REG_HCR_EL2] = { .write = hcr_write, .written = hcr_written, .qemu_masks = true },
	[SS_REG_SCR_EL3] = { .write = scr_write, .qemu_masks = true },
	[SS_REG_ERRIDR_EL1] = { .access = ras_access, .value = erridr_value },
	[SS_REG_ERRSELR_EL1] = { .access = ras_access },
#define ERX_ROW(NAME) \
	[SS_REG_##NAME] = { .access = ras_access, .value = NAME##_value, .write = NAME##_write }
	ERX_ROW(ERXFR_EL1),
	ERX_ROW(ERXCTLR_EL1),
	[SS_REG_ERXSTATUS_EL1] = { .access = ras_access, .value = ERXSTATUS_EL1_value,
				   .write = ERXSTATUS_EL1_write, .written = erxstatus_written },
	ERX_ROW(ERXADDR_EL1),
	ERX_ROW(ERXMISC0_EL1),
	ERX_ROW(ERXMISC1_EL1),
	ERX_ROW(ERXMISC2_EL1),
	ERX_ROW(ERXMISC3_EL1),
	ERX_ROW(ERXPFGF_EL1),
	ERX_ROW(ERXPFGCTL_EL1),
	ERX_ROW(ERXPFGCDN_EL1),
#undef ERX_ROW
};

/* --- the walkers ----------------------------------------------------------- */

/*
 * FEAT_VHE redirection, as the register pages' accessors state it for each
 * register sysregs.txt gives an "E2h" or "Alias" line (Arm ARM D24.2, e.g.
 * ESR_EL1: "elsif PSTATE.EL == EL2 then if ELIsInHost(EL2) then X[t] =
 * ESR_EL2"; ESR_EL12: at EL2 with ELIsInHost(EL2), or at EL3 with EL2
 * enabled and HCR_EL2.E2H = 1, X[t] = ESR_EL1, else UNDEFINED).  The
 * register an access by name r reaches, SS_REG_COUNT when it is UNDEFINED.
 */
enum ss_reg ss_sysreg_reach(const struct ss_pe *pe, enum ss_reg r)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return SS_REG_COUNT;
	const struct ss_sysreg *d = &ss_sysregs[r];
	unsigned el = ss_pe_el(pe);
	/* Knob el12_access = always: QEMU 7.2 (target/arm/helper.c
	 * define_arm_vh_e2h_redirects_aliases) gives the *_EL12 names no
	 * access check of HCR_EL2.E2H: they reach the EL1 register at EL2 and
	 * EL3 whenever FEAT_VHE is implemented. */
	if (d->alias != SS_REG_COUNT)
		return el >= 2 && (ss_el_is_in_host(pe, 2) || pe->cfg.el12_access == SS_EL12_ALWAYS)
			       ? d->alias
			       : SS_REG_COUNT;
	if (d->e2h != SS_REG_COUNT && el == 2 && ss_el_is_in_host(pe, 2))
		return d->e2h;
	return r;
}

/* The generic rules (ARM-M D24 register pages: UNDEFINED below the
 * register's EL, when that EL or the register's feature is not implemented,
 * and for MSR to a read-only register), then the row's own. */
static enum ss_access_result access_check(const struct ss_pe *pe, enum ss_reg r, bool write)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return SS_ACC_UNDEFINED;
	const struct ss_sysreg *d = &ss_sysregs[r];
	if (!d->has_enc)
		return SS_ACC_UNDEFINED;
	if (!ss_feature_on(&pe->cfg, d->feature))
		return SS_ACC_UNDEFINED;
	if (!ss_have_el(pe, d->min_el))
		return SS_ACC_UNDEFINED;
	if (d->min_el > ss_pe_el(pe))
		return SS_ACC_UNDEFINED;
	if (write && d->access == SS_ACCESS_RO)
		return SS_ACC_UNDEFINED;
	enum ss_reg t = ss_sysreg_reach(pe, r);
	if (t == SS_REG_COUNT)
		return SS_ACC_UNDEFINED;
	return rows[t].access ? rows[t].access(pe, write) : SS_ACC_OK;
}

/* The value of register r; an *_EL12 name shows the register it stands for. */
uint64_t ss_sysreg_value(const struct ss_pe *pe, enum ss_reg r)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return 0;
	if (ss_sysregs[r].alias != SS_REG_COUNT)
		r = ss_sysregs[r].alias;
	return rows[r].value ? rows[r].value(pe) : pe->sr[r];
}

enum ss_access_result ss_mrs(const struct ss_pe *pe, enum ss_reg r, uint64_t *value)
{
	enum ss_access_result a = access_check(pe, r, false);
	if (a != SS_ACC_OK)
		return a;
	r = ss_sysreg_reach(pe, r);
	*value = rows[r].read ? rows[r].read(pe) : ss_sysreg_value(pe, r);
	return SS_ACC_OK;
}

/* RES0/RES1 handling of a written value (knob res0; ARM-M K1.2.2 "RES0"
 * and "RES1"), plus the fields that are RES0 without their feature
 * ("feature=" fields of sysregs.txt). */
uint64_t ss_legalize(const struct ss_pe *pe, enum ss_reg r, uint64_t v)
{
	if ((unsigned)r >= SS_REG_COUNT)
		return v;
	const struct ss_layout *l = ss_sysregs[r].layout;
	if (pe->cfg.res0 == SS_RES0_STORE || (pe->cfg.res0 == SS_RES0_QEMU && !rows[r].qemu_masks))
		return v;
	v = (v & ~l->res0) | l->res1;
	for (unsigned i = 0; i < l->nfields; i++)
		if (l->fields[i].feature != SS_FEAT_ALWAYS && !ss_feature_on(&pe->cfg, l->fields[i].feature))
			v = l->fields[i].res1_without ? v | ss_field_mask(&l->fields[i])
						      : v & ~ss_field_mask(&l->fields[i]);
	return v;
}

enum ss_access_result ss_msr(struct ss_pe *pe, enum ss_reg r, uint64_t value,
			     const struct ss_observer *obs)
{
	enum ss_access_result a = access_check(pe, r, true);
	if (a != SS_ACC_OK)
		return a;
	r = ss_sysreg_reach(pe, r);
	const struct reg_row *row = &rows[r];
	enum ss_reg dst = row->target ? row->target(pe) : r;
	if (dst == SS_REG_COUNT)
		return SS_ACC_OK;	/* write ignored */
	value = row->write ? row->write(pe, dst, value) : ss_legalize(pe, dst, value);
	uint64_t old = pe->sr[dst];
	pe->sr[dst] = value;
	SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = dst, .value = value,
		 .old = old);
	if (row->written)
		row->written(pe, obs);
	return SS_ACC_OK;
}

/* The ID registers follow the features: each field a feature names reads the
 * largest value among the implemented features naming it, 0 (NI) when none
 * is; other fields keep the reset value (ARM-M D24.2 ID_AA64PFR0_EL1,
 * ID_AA64MMFR2_EL1). */
void ss_set_id_registers(struct ss_pe *pe)
{
	for (unsigned f = 0; f < SS_FEAT_COUNT; f++) {
		const struct ss_feature *d = &ss_features[f];
		if (d->idfield)
			pe->sr[d->idreg] = ss_sysregs[d->idreg].reset;
	}
	for (unsigned f = 0; f < SS_FEAT_COUNT; f++) {
		const struct ss_feature *d = &ss_features[f];
		if (d->idfield)
			pe->sr[d->idreg] &= ~ss_field_mask(d->idfield);
	}
	for (unsigned f = 0; f < SS_FEAT_COUNT; f++) {
		const struct ss_feature *d = &ss_features[f];
		if (!d->idfield || !ss_feature_on(&pe->cfg, (enum ss_feat)f))
			continue;
		if (ss_field_get(d->idfield, pe->sr[d->idreg]) < d->idvalue)
			pe->sr[d->idreg] = ss_field_set(d->idfield, pe->sr[d->idreg], d->idvalue);
	}
}

/* The part of access_check and ss_legalize that only the configuration
 * decides, for an instruction decoded once (decode.c): UNDEFINED whatever the
 * EL, or UNDEFINED below the register's lowest EL; 'plain' when the
 * register has no row for this direction (nothing else applies); for a
 * write, ss_legalize as two masks. */
void ss_sysreg_static(const struct ss_pe *pe, enum ss_reg r, bool write, struct ss_sysreg_static *out)
{
	*out = (struct ss_sysreg_static){ .undefined = true, .and_mask = ~UINT64_C(0) };
	if ((unsigned)r >= SS_REG_COUNT)
		return;
	const struct ss_sysreg *d = &ss_sysregs[r];
	const struct reg_row *row = &rows[r];
	out->undefined = !d->has_enc || !ss_feature_on(&pe->cfg, d->feature) ||
			 !ss_have_el(pe, d->min_el) || (write && d->access == SS_ACCESS_RO);
	out->min_el = (uint8_t)d->min_el;
	/* A name FEAT_VHE redirects reaches another register depending on
	 * the EL and HCR_EL2: never plain. */
	out->plain = !row->access && d->e2h == SS_REG_COUNT && d->alias == SS_REG_COUNT &&
		     (write ? !row->target && !row->write && !row->written : !row->value && !row->read);
	if (write) {
		out->or_mask = ss_legalize(pe, r, 0);
		out->and_mask = ss_legalize(pe, r, ~UINT64_C(0)) & ~out->or_mask;
	}
	if (out->plain || row->access || d->alias != SS_REG_COUNT)
		return;
	/* Rows whose hooks reduce, with this configuration, to a store or a
	 * load and a known follow-up (the fast engine's shortcuts). */
	if (!write) {
		if (!row->value && !row->read && !row->target && d->e2h != SS_REG_COUNT)
			out->fast = SS_SRF_PLAIN_NOT_EL2;	/* ss_sysreg_reach is r below EL2 and at EL3 */
		else if (row->read == disr_read && !row->value && d->e2h == SS_REG_COUNT)
			out->fast = SS_SRF_DISR;
		return;
	}
	if (d->e2h != SS_REG_COUNT ||
	    (row->target && (row->target != vsesr_target || vsesr_target(pe) != r)))
		return;	/* vsesr_target, the one static target: r unless RAZ/WI */
	if (row->write == hcr_write && pe->cfg.sysreg_sync != SS_SYNC_CONTEXT)
		out->or_mask |= SS_HCR_RW_MASK;	/* hcr_write without its bookkeeping */
	else if (row->write)
		return;
	if (row->written == hcr_written)
		out->fast = SS_SRF_SYNC_VIRTUAL;
	else if (!row->written)
		out->plain = true;
}
