/*
 * profile.c - named configuration profiles (profile.h).  Each entry gives a
 * knob, the value the implementation has, and the evidence.  docs/qemu.md
 * explains the qemu-7.2 profile entry by entry.
 */
#include <strings.h>

#include "profile.h"

/* QEMU 7.2 TCG, -M virt,virtualization=on,secure=on -cpu max
 * (serror-spec.md §7; QEMU v7.2.0 target/arm/). */
static const struct ss_profile_entry qemu72[] = {
	/* Features of -cpu max (cpu64.c aarch64_max_initfn). */
	{ "el2", "on", "virt,virtualization=on: EL2 implemented" },
	{ "el3", "on", "virt,secure=on: EL3 implemented" },
	{ "secure", "off", "with EL3 the Security state is SCR_EL3.NS" },
	{ "ras", "on", "cpu64.c: ID_AA64PFR0.RAS = 2 (FEAT_RAS, FEAT_RASv1p1)" },
	{ "double_fault", "on", "cpu64.c: ID_AA64PFR0.RAS = 2 with FEAT_DoubleFault (commit 7ac61020); scr_write makes NMEA/EASE writable" },
	{ "iesb", "on", "cpu64.c: ID_AA64MMFR2.IESB = 1 (commit 880cd10e); SCTLR_ELx.IESB writable, no effect without physical SErrors" },
	{ "guest_ras", "on", "TCG has no hypervisor hiding ID fields: EL1 reads the real ID_AA64PFR0_EL1" },
	/* IMPLEMENTATION DEFINED choices. */
	{ "virtual_order", "irq-fiq-serror", "cpu.c arm_cpu_exec_interrupt tests FIQ, IRQ, VIRQ, VFIQ, VSERR in that order" },
	{ "res0", "store", "helper.c minimal_ras_reginfo: VSESR_EL2, VDISR_EL2, DISR_EL1 are plain 64-bit fields (no write mask)" },
	{ "vsesr_raz_wi", "off", "helper.c: VSESR_EL2 is a read/write register; do_interrupt copies vsesr_el2 & 0x1ffffff into ESR_EL1" },
	{ "noras_vserror_iss", "0", "helper.c arm_cpu_do_interrupt_aarch64 without RAS: syn_serror(0) (serror-spec.md §7 item 7)" },
	{ "amo_el2", "programmed", "helper.c arm_hcr_el2_eff uses the programmed AMO with {E2H,TGE} = {1,0}" },
	{ "isr_a", "virtual", "helper.c isr_read: ISR.A at EL1 with effective AMO shows CPU_INTERRUPT_VSERR only" },
	{ "sysreg_sync", "immediate", "translate-a64.c handle_sys ends the TB after a system-register write; interrupts are re-evaluated before the next instruction" },
	{ "esb_defers_raz_vserror", "on", "op_helper.c HELPER(vesb): defers whenever VSE is pending and masked" },
};

static const struct ss_profile qemu72_profile = {
	"qemu-7.2",
	"QEMU 7.2 TCG, -M virt,virtualization=on,secure=on -cpu max (Debian 12 qemu-system-arm)",
	qemu72, sizeof qemu72 / sizeof qemu72[0],
};

const struct ss_profile *const ss_profiles[] = { &qemu72_profile, NULL };

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
