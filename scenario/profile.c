/*
 * profile.c - named configuration profiles (profile.h).  Each entry gives a
 * knob, the value the implementation has, and the evidence.  docs/qemu.md
 * explains the qemu-7.2, qemu-7.2-secure and qemu-7.2-v8.0 profiles entry by
 * entry; docs/migration.md the kvm-* profiles.  `serrsim profiles` lists
 * them all, with the VMM profiles of hyp/vmm.c.
 */
#include <strings.h>

#include "profile.h"
#include "sysregs.h"

/* QEMU 7.2 TCG, -M virt,virtualization=on,secure=on -cpu max
 * (docs/rules.md R7; QEMU v7.2.0 target/arm/).  Features are named by their
 * knob macro (sysregs/sysregs.txt), so a feature the table does not know is a
 * build error. */
static const struct ss_profile_entry qemu72_secure[] = {
	/* Features of -cpu max (cpu64.c aarch64_max_initfn). */
	{ SS_FEAT_EL2_KNOB, "on", "virt,virtualization=on: EL2 implemented" },
	{ SS_FEAT_EL3_KNOB, "on", "virt,secure=on: EL3 implemented" },
	{ "secure", "off", "with EL3 the Security state is SCR_EL3.NS" },
	{ SS_FEAT_RAS_KNOB, "on", "cpu64.c: ID_AA64PFR0.RAS = 2 (FEAT_RAS, FEAT_RASv1p1)" },
	{ SS_FEAT_DoubleFault_KNOB, "on", "cpu64.c: ID_AA64PFR0.RAS = 2 with FEAT_DoubleFault (commit 7ac61020); scr_write makes NMEA/EASE writable" },
	{ SS_FEAT_IESB_KNOB, "on", "cpu64.c: ID_AA64MMFR2.IESB = 1 (commit 880cd10e); SCTLR_ELx.IESB writable, no effect without physical SErrors" },
	{ SS_FEAT_VHE_KNOB, "on", "cpu64.c: ID_AA64MMFR1.VH = 1; helper.c define_arm_vh_e2h_redirects_aliases redirects the EL1 names at EL2 with E2H = 1 and defines the *_EL12 names" },
	{ "guest_ras", "on", "TCG has no hypervisor hiding ID fields: EL1 reads the real ID_AA64PFR0_EL1" },
	/* IMPLEMENTATION DEFINED choices. */
	{ "virtual_order", "irq-fiq-serror", "cpu.c arm_cpu_exec_interrupt tests FIQ, IRQ, VIRQ, VFIQ, VSERR in that order" },
	{ "res0", "qemu", "helper.c minimal_ras_reginfo: VSESR_EL2, VDISR_EL2, DISR_EL1 are plain 64-bit fields (no write mask), as is SCTLR_ELx (sctlr_write); do_hcr_write and scr_write mask their registers to the valid bits (docs/qemu.md finding 3)" },
	{ "vsesr_raz_wi", "off", "helper.c: VSESR_EL2 is a read/write register; do_interrupt copies vsesr_el2 & 0x1ffffff into ESR_EL1" },
	{ "noras_vserror_iss", "0", "helper.c arm_cpu_do_interrupt_aarch64: syn_serror(vsesr_el2 & 0x1ffffff) with no RAS test; without RAS VSESR_EL2 cannot be written and resets to 0, so ISS = 0 (observed on -cpu cortex-a57, profile qemu-7.2-v8.0)" },
	{ "amo_el2", "programmed", "helper.c arm_hcr_el2_eff uses the programmed AMO with {E2H,TGE} = {1,0}" },
	{ "isr_a", "virtual", "helper.c isr_read: ISR.A at EL1 with effective AMO shows CPU_INTERRUPT_VSERR only" },
	{ "sysreg_sync", "immediate", "translate-a64.c handle_sys ends the TB after a system-register write; interrupts are re-evaluated before the next instruction" },
	{ "esb_defers_raz_vserror", "on", "op_helper.c HELPER(vesb): defers whenever VSE is pending and masked" },
	{ "host_uma", "sctlr-el2", "op_helper.c daif_check and helper.c aa64_daif_access test arm_sctlr(env, 0) & SCTLR_UMA, which is SCTLR_EL2 in the host regime (E20_0): bit 9 of SCTLR_EL2, RES0 in the Arm ARM, read as UMA" },
	{ "el12_access", "always", "helper.c define_arm_vh_e2h_redirects_aliases: the *_EL12 aliases have no HCR_EL2.E2H access check (added in QEMU 8.0). Observed: vhe-esr-el12-at-el2-e2h0-undefined reads ESR_EL1" },
	{ "daif_trap_iss", "qemu-swapped", "op_helper.c daif_check: syn_aa64_sysregtrap(0, extract32(op, 0, 3), extract32(op, 3, 3), ...) puts op2 in Op1 and op1 in Op2. Observed: ESR 0x6207d3e8 for MSR DAIFClr, #4 (vhe-host-el0-daifclr-uma1-trapped-to-el2)" },
	{ "midr", "0x000f0510", "cpu64.c aarch64_max_initfn: MIDR_EL1 Implementer 0, Architecture 0xf, PartNum 'Q' (0x51), Variant and Revision 0" },
	{ "exs", "off", "cpu64.c aarch64_max_initfn leaves ID_AA64MMFR0.EXS at 0 (no FEAT_ExS: SCTLR_ELx.EIS/EOS RES1, every exception entry and return ends the TB). Observed: ID_AA64MMFR0_EL1 = 0x0000032310201126 (exs-off-eis-eos-res1)" },
};

static const struct ss_profile qemu72_secure_profile = {
	"qemu-7.2-secure",
	"QEMU 7.2 TCG, -M virt,virtualization=on,secure=on -cpu max (Debian 12 qemu-system-arm): with EL3",
	qemu72_secure, sizeof qemu72_secure / sizeof qemu72_secure[0],
};

/* QEMU 7.2 TCG, -M virt,virtualization=on -cpu max: QEMU's default virt
 * machine, secure=off, so without EL3 (hw/arm/virt.c: ARM_FEATURE_EL3 is
 * removed unless vms->secure).  The PE is Non-secure; FEAT_DoubleFault's
 * controls live in SCR_EL3, which does not exist. */
static const struct ss_profile_entry qemu72[] = {
	{ SS_FEAT_EL2_KNOB, "on", "virt,virtualization=on: EL2 implemented" },
	{ SS_FEAT_EL3_KNOB, "off", "virt,secure=off (the default): virt.c clears ARM_FEATURE_EL3; a non-Linux ELF starts at EL2" },
	{ "secure", "off", "without EL3 the PE is Non-secure (virt.c: no secure memory, no EL3)" },
	{ SS_FEAT_RAS_KNOB, "on", "cpu64.c: ID_AA64PFR0.RAS = 2 (FEAT_RAS, FEAT_RASv1p1)" },
	{ SS_FEAT_DoubleFault_KNOB, "off", "FEAT_DoubleFault is SCR_EL3.NMEA/EASE: without EL3 nothing of it is observable (QEMU still reports ID_AA64PFR0.RAS = 2; serrsim then reads 1)" },
	{ SS_FEAT_IESB_KNOB, "on", "cpu64.c: ID_AA64MMFR2.IESB = 1 (commit 880cd10e)" },
	{ SS_FEAT_VHE_KNOB, "on", "cpu64.c: ID_AA64MMFR1.VH = 1; helper.c define_arm_vh_e2h_redirects_aliases" },
	{ "guest_ras", "on", "TCG has no hypervisor hiding ID fields: EL1 reads the real ID_AA64PFR0_EL1" },
	{ "virtual_order", "irq-fiq-serror", "cpu.c arm_cpu_exec_interrupt tests FIQ, IRQ, VIRQ, VFIQ, VSERR in that order" },
	{ "res0", "qemu", "as qemu-7.2-secure: do_hcr_write masks HCR_EL2, every other register stores what is written (docs/qemu.md finding 3)" },
	{ "vsesr_raz_wi", "off", "helper.c: VSESR_EL2 is a read/write register" },
	{ "noras_vserror_iss", "0", "helper.c arm_cpu_do_interrupt_aarch64: syn_serror(vsesr_el2 & 0x1ffffff) with no RAS test" },
	{ "amo_el2", "programmed", "helper.c arm_hcr_el2_eff uses the programmed AMO with {E2H,TGE} = {1,0}" },
	{ "isr_a", "virtual", "helper.c isr_read: ISR.A at EL1 with effective AMO shows CPU_INTERRUPT_VSERR only" },
	{ "sysreg_sync", "immediate", "translate-a64.c handle_sys ends the TB after a system-register write" },
	{ "esb_defers_raz_vserror", "on", "op_helper.c HELPER(vesb): defers whenever VSE is pending and masked" },
	{ "host_uma", "sctlr-el2", "op_helper.c daif_check: arm_sctlr(env, 0) & SCTLR_UMA, SCTLR_EL2 in the host regime" },
	{ "el12_access", "always", "helper.c define_arm_vh_e2h_redirects_aliases: the *_EL12 aliases have no HCR_EL2.E2H access check (added in QEMU 8.0). Observed: vhe-esr-el12-at-el2-e2h0-undefined reads ESR_EL1" },
	{ "daif_trap_iss", "qemu-swapped", "op_helper.c daif_check: syn_aa64_sysregtrap(0, extract32(op, 0, 3), extract32(op, 3, 3), ...) puts op2 in Op1 and op1 in Op2. Observed: ESR 0x6207d3e8 for MSR DAIFClr, #4 (vhe-host-el0-daifclr-uma1-trapped-to-el2)" },
	{ "midr", "0x000f0510", "cpu64.c aarch64_max_initfn: MIDR_EL1 Implementer 0, Architecture 0xf, PartNum 'Q' (0x51)" },
	{ "exs", "off", "cpu64.c aarch64_max_initfn leaves ID_AA64MMFR0.EXS at 0 (no FEAT_ExS: SCTLR_ELx.EIS/EOS RES1, every exception entry and return ends the TB). Observed: ID_AA64MMFR0_EL1 = 0x0000032310201126 (exs-off-eis-eos-res1)" },
};

static const struct ss_profile qemu72_profile = {
	"qemu-7.2",
	"QEMU 7.2 TCG, -M virt,virtualization=on -cpu max (Debian 12 qemu-system-arm): QEMU's default virt, no EL3",
	qemu72, sizeof qemu72 / sizeof qemu72[0],
};

/* QEMU 7.2 TCG, -M virt,virtualization=on,secure=on -cpu cortex-a57: an
 * Armv8.0 PE with EL2 and EL3 and without FEAT_RAS (docs/qemu.md, "The
 * qemu-7.2-v8.0 profile").  The vSError logic is the same code as -cpu max;
 * only the feature tests differ. */
static const struct ss_profile_entry qemu72_v80[] = {
	/* Features of -cpu cortex-a57 (cpu64.c aarch64_a57_initfn). */
	{ SS_FEAT_EL2_KNOB, "on", "cpu64.c aarch64_a57_initfn: ARM_FEATURE_EL2; virt,virtualization=on keeps it" },
	{ SS_FEAT_EL3_KNOB, "on", "cpu64.c aarch64_a57_initfn: ARM_FEATURE_EL3; virt,secure=on keeps it" },
	{ "secure", "off", "with EL3 the Security state is SCR_EL3.NS" },
	{ SS_FEAT_RAS_KNOB, "off", "cpu64.c aarch64_a57_initfn: ID_AA64PFR0 = 0x00002222 (RAS = 0); helper.c registers minimal_ras_reginfo only with any_ras; translate-a64.c handle_hint: ESB is a NOP without aa64_ras" },
	{ SS_FEAT_IESB_KNOB, "off", "cpu64.c aarch64_a57_initfn leaves ID_AA64MMFR2 at 0 (IESB = 0)" },
	{ SS_FEAT_DoubleFault_KNOB, "off", "ID_AA64PFR0.RAS = 0: no FEAT_DoubleFault; scr_write leaves NMEA/EASE out of the valid mask" },
	{ "guest_ras", "on", "TCG has no hypervisor hiding ID fields: EL1 reads the real ID_AA64PFR0_EL1 (RAS = 0)" },
	/* IMPLEMENTATION DEFINED choices. */
	{ "virtual_order", "irq-fiq-serror", "cpu.c arm_cpu_exec_interrupt tests FIQ, IRQ, VIRQ, VFIQ, VSERR in that order (no feature test)" },
	{ "res0", "qemu", "helper.c do_hcr_write and scr_write clear bits outside their valid mask: HCR_EL2.TEA/TERR (RAS only) and SCR_EL3.NMEA/EASE (DoubleFault only) read 0; sctlr_write stores SCTLR_ELx.IESB (docs/qemu.md finding 3)" },
	{ "vsesr_raz_wi", "off", "VSESR_EL2 is UNDEFINED (minimal_ras_reginfo not registered), not RAZ/WI" },
	{ "noras_vserror_iss", "0", "helper.c arm_cpu_do_interrupt_aarch64: syn_serror(vsesr_el2 & 0x1ffffff) with vsesr_el2 never written (reset 0): ISS = 0" },
	{ "amo_el2", "programmed", "helper.c arm_hcr_el2_eff uses the programmed AMO with {E2H,TGE} = {1,0}" },
	{ "isr_a", "virtual", "helper.c isr_read: ISR.A at EL1 with effective AMO shows CPU_INTERRUPT_VSERR only (no feature test)" },
	{ "sysreg_sync", "immediate", "translate-a64.c handle_sys ends the TB after a system-register write; interrupts are re-evaluated before the next instruction" },
	{ SS_FEAT_VHE_KNOB, "off", "cpu64.c aarch64_a57_initfn leaves ID_AA64MMFR1 at 0 (VH = 0, Armv8.0); do_hcr_write adds HCR_E2H to the valid mask only with aa64_vh" },
	{ "host_uma", "sctlr-el2", "op_helper.c daif_check, as for -cpu max (not reachable without FEAT_VHE)" },
	{ "el12_access", "always", "helper.c define_arm_vh_e2h_redirects_aliases: the *_EL12 aliases have no HCR_EL2.E2H access check (added in QEMU 8.0). Observed: vhe-esr-el12-at-el2-e2h0-undefined reads ESR_EL1" },
	{ "daif_trap_iss", "qemu-swapped", "op_helper.c daif_check: syn_aa64_sysregtrap(0, extract32(op, 0, 3), extract32(op, 3, 3), ...) puts op2 in Op1 and op1 in Op2. Observed: ESR 0x6207d3e8 for MSR DAIFClr, #4 (vhe-host-el0-daifclr-uma1-trapped-to-el2)" },
	{ "midr", "0x411fd070", "cpu64.c aarch64_a57_initfn: cpu->midr = 0x411fd070 (Cortex-A57 r1p0)" },
	{ "exs", "off", "cpu64.c aarch64_a57_initfn: ID_AA64MMFR0 = 0x00001124 (ExS = 0)" },
};

static const struct ss_profile qemu72_v80_profile = {
	"qemu-7.2-v8.0",
	"QEMU 7.2 TCG, -M virt,virtualization=on,secure=on -cpu cortex-a57 (Armv8.0, no FEAT_RAS)",
	qemu72_v80, sizeof qemu72_v80 / sizeof qemu72_v80[0],
};


/* Linux KVM arm64, the host kernel's side of a virtual SError: what
 * injection does while one is pending (vinject), the IL bit of an emulated
 * entry, how a partly refused KVM_SET_VCPU_EVENTS is committed, and the
 * effective HCR_EL2.AMO a guest hypervisor sees at vEL2.  The host's own
 * features (FEAT_RAS ...) are the scenario's: these profiles name only the
 * kernel's choices.  How they move a vSError between hosts is the VMM
 * profile's (migrate ... vmm=NAME, hyp/vmm.c). */
static const struct ss_profile_entry kvm419[] = {
	{ "vinject", "kvm-overwrite", "Linux v4.19-v6.16 arch/arm64/kvm/inject_fault.c pend_guest_serror: VSESR_EL2 written and HCR_EL2.VSE set, a pending syndrome is overwritten (last writer wins)" },
	{ "emulated_vserror_il", "on", "no emulated entry before v6.17: the PE takes the vSError itself and reports IL = 1" },
	{ "set_commit", "serror-first", "Linux v5.5-v6.16 arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events: the SError part is checked (EINVAL) before ext_dabt_pending is injected, so a refused request changes nothing" },
	{ "amo_el2", "programmed", "no nested virtualization (NV) before v6.16: the programmed AMO" },
};

static const struct ss_profile_entry kvm617[] = {
	{ "vinject", "kvm-deliver-or-pend", "Linux v6.17 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr: with PSTATE.A = 0 at EL0/EL1 the exception entry is emulated at once, else pended with HCR_EL2.VSE (VSESR_EL2 overwritten)" },
	{ "emulated_vserror_il", "off", "Linux v6.17 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr: the emulated entry's ESR_ELx = esr | EC, IL = 0 (until \"Set IL for emulated SError injection\")" },
	{ "set_commit", "abort-first", "Linux v6.17 arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events: \"Immediately commit the pending SEA\", then the SError checks may return EINVAL (not atomic)" },
	{ "amo_el2", "programmed", "Linux v6.17: the guest hypervisor's programmed AMO at vEL2" },
};

static const struct ss_profile_entry kvm618[] = {
	{ "vinject", "kvm-deliver-or-pend", "as kvm-6.17 (Linux v6.18 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr)" },
	{ "emulated_vserror_il", "off", "as kvm-6.17: IL = 0 in the emulated entry" },
	{ "set_commit", "abort-first", "as kvm-6.17 (Linux v6.18 arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events)" },
	{ "amo_el2", "one", "Linux v6.18 arch/arm64/kvm, \"KVM: arm64: nv: Treat AMO as 1 when at EL2 and {E2H,TGE} = {1, 0}\" (September 2025): HCR_EL2.AMO treated as 1 at vEL2 with {E2H,TGE} = {1,0}, as Arm ARM Known Issue D22105 allows" },
};

static const struct ss_profile_entry kvm619[] = {
	{ "vinject", "kvm-deliver-or-pend", "as kvm-6.18" },
	{ "emulated_vserror_il", "off", "as kvm-6.18: IL = 0 in the emulated entry" },
	{ "set_commit", "abort-first", "as kvm-6.18" },
	{ "amo_el2", "one", "as kvm-6.18" },
	/* KVM_EXIT_ARM_SEA / KVM_CAP_ARM_SEA_TO_USER (Linux v6.19
	 * Documentation/virt/kvm/api.rst) hand a synchronous external abort to
	 * userspace; no SError knob changes (docs/migration.md). */
};

static const struct ss_profile_entry kvm72[] = {
	{ "vinject", "kvm-deliver-or-pend", "Linux v7.2 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr, as v6.17" },
	{ "emulated_vserror_il", "on", "Linux v7.2 arch/arm64/kvm/inject_fault.c: \"Set IL for emulated SError injection\" (June 2026): IL = 1 as a PE reports it" },
	{ "set_commit", "abort-first", "Linux v7.2 arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events: the abort is still committed before the SError checks (not fixed upstream)" },
	{ "amo_el2", "one", "as kvm-6.18" },
};

#define SS_PROFILE_(var, name, desc) \
	static const struct ss_profile var##_profile = { name, desc, var, sizeof var / sizeof var[0] }
SS_PROFILE_(kvm419, "kvm-4.19", "Linux KVM arm64 4.19 to 6.16: SET while pending overwrites VSESR_EL2");
SS_PROFILE_(kvm617, "kvm-6.17", "Linux KVM arm64 6.17: deliver at once if unmasked, else pend; emulated entry IL = 0; SET commits the abort first");
SS_PROFILE_(kvm618, "kvm-6.18", "Linux KVM arm64 6.18: as 6.17, and AMO treated as 1 at vEL2 with {E2H,TGE} = {1,0}");
SS_PROFILE_(kvm619, "kvm-6.19", "Linux KVM arm64 6.19: as 6.18 for SErrors (adds KVM_EXIT_ARM_SEA, KVM_CAP_ARM_SEA_TO_USER)");
SS_PROFILE_(kvm72, "kvm-7.2", "Linux KVM arm64 7.2: as 6.19, with IL = 1 in the emulated entry (the IL fix)");
#undef SS_PROFILE_

const struct ss_profile *const ss_profiles[] = { &qemu72_profile, &qemu72_secure_profile, &qemu72_v80_profile,
						 &kvm419_profile, &kvm617_profile, &kvm618_profile,
						 &kvm619_profile, &kvm72_profile, NULL };

const struct ss_profile *ss_profile_find(const char *name)
{
	for (size_t i = 0; ss_profiles[i]; i++)
		if (!strcasecmp(ss_profiles[i]->name, name))
			return ss_profiles[i];
	return NULL;
}

bool ss_profile_overrides(const struct ss_profile *p, struct ss_knob_override *ov, size_t *n,
			  size_t max)
{
	if (*n + p->n > max)
		return false;
	for (size_t i = 0; i < p->n; i++) {
		ov[*n].name = p->entries[i].knob;
		ov[*n].value = p->entries[i].value;
		(*n)++;
	}
	return true;
}
