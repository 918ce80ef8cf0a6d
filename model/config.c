/*
 * config.c - defaults, consistency check and the knob table of
 * struct ss_config.  Pure: formats into caller buffers, never prints.
 */
#include "config.h"

#include "esr.h"

#include <string.h>


void ss_config_default(struct ss_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
#define FEATURE_DEFAULT(name, knob, def, help, src) cfg->knob = def;
	SS_FEATURES(FEATURE_DEFAULT)
#undef FEATURE_DEFAULT
	cfg->secure = false;
	cfg->guest_ras = true;

	cfg->trigger = SS_EDGE;
	cfg->synchronizable = true;
	cfg->iesb_before_exception = false;
	cfg->eret_iesb = true;
	cfg->noras_vserror_iss = 0;
	cfg->vsesr_raz_wi = false;
	cfg->esb_defers_raz_vserror = true;
	cfg->amo_el2 = SS_AMO_EL2_PROGRAMMED;
	cfg->vp_priority = SS_PRIO_VIRTUAL_FIRST;
	cfg->virtual_order = SS_VORDER_FIQ_IRQ_SERROR;
	cfg->physical_order = SS_PORDER_SERROR_FIQ_IRQ;
	cfg->esb_vse = SS_ESB_VSE_UNCHANGED;
	cfg->isr_a = SS_ISR_A_VIRTUAL;
	cfg->res0 = SS_RES0_MASK;
	cfg->merge = SS_MERGE_ONE_AT_A_TIME;
	cfg->vinject = SS_VINJ_COMBINE;
	cfg->emulated_vserror_il = true;
	cfg->set_commit = SS_COMMIT_ATOMIC;
	cfg->sysreg_sync = SS_SYNC_IMMEDIATE;
	cfg->host_uma = SS_HOST_UMA_TRAP;
	cfg->el12_access = SS_EL12_E2H;
	cfg->daif_trap_iss = SS_DAIF_ISS_ARM;
	/* Implementer 0x00 (reserved for software use), Architecture 0xf (see
	 * the ID registers), PartNum, Variant and Revision 0. */
	cfg->midr = SS_PREP(MIDR_Architecture, 0xf);
	cfg->ras_records = 0;
	/* Every record: ED, UI, FI, UE, CFI controllable; fault injection. */
	cfg->ras_fr = SS_PREP(ERRFR_ED, 1) | SS_PREP(ERRFR_UI, 1) | SS_PREP(ERRFR_FI, 1) |
		      SS_PREP(ERRFR_UE, 1) | SS_PREP(ERRFR_CFI, 1) | SS_PREP(ERRFR_INJ, 1);
	cfg->ras_pfgf = SS_ERRPFGF_R_MASK | SS_ERRPFGF_MV_MASK | SS_ERRPFGF_AV_MASK |
			SS_ERRPFGF_PN_MASK | SS_ERRPFGF_ER_MASK | SS_PREP(ERRPFGF_CE, 1) |
			SS_ERRPFGF_DE_MASK | SS_ERRPFGF_UEO_MASK | SS_ERRPFGF_UER_MASK |
			SS_ERRPFGF_UEU_MASK | SS_ERRPFGF_UC_MASK | SS_ERRPFGF_OF_MASK;
	cfg->ras_eri = cfg->ras_fhi = SS_RAS_INTR_OFF;
	cfg->ras_eri_line = 0;
	cfg->ras_fhi_line = 1;
	cfg->merge_impdef_iss = ss_iss_serror_impdef(0);	/* IDS=1, IMPDEF 0 (KVM's ESR_ELx_ISV) */

	for (int i = 0; i < SS_IC_COUNT; i++)
		cfg->timing.latency[i] = 1;
	cfg->timing.exception_entry = 1;
	cfg->timing.propagation = 0;
	cfg->timing.max_cycles = 1000000;
	cfg->timing.max_instructions = SS_DEFAULT_MAX_INSTRUCTIONS;
	cfg->engine = SS_ENGINE_FAST;
}

/* Offset of each feature's bool in struct ss_config (SS_FEAT_ALWAYS: none). */
static const size_t feature_offset[SS_FEAT_COUNT] = {
#define FEATURE_OFFSET(name, knob, def, help, src) [SS_FEAT_##name] = offsetof(struct ss_config, knob),
	SS_FEATURES(FEATURE_OFFSET)
#undef FEATURE_OFFSET
};

bool ss_feature_on(const struct ss_config *cfg, enum ss_feat f)
{
	if (f == SS_FEAT_ALWAYS || (unsigned)f >= SS_FEAT_COUNT)
		return f == SS_FEAT_ALWAYS;
	return *(const bool *)((const char *)cfg + feature_offset[f]);
}

void ss_feature_set(struct ss_config *cfg, enum ss_feat f, bool on)
{
	if (f != SS_FEAT_ALWAYS && (unsigned)f < SS_FEAT_COUNT)
		*(bool *)((char *)cfg + feature_offset[f]) = on;
}

const char *ss_config_check(const struct ss_config *cfg)
{
	for (unsigned i = 0; i < SS_NUM_FEAT_REQS; i++) {
		const struct ss_feat_req *q = &ss_feat_reqs[i];
		if (!ss_feature_on(cfg, q->feature))
			continue;
		for (unsigned f = 0; f < SS_FEAT_COUNT; f++)
			if ((q->needs & SS_FEAT_BIT(f)) && !ss_feature_on(cfg, (enum ss_feat)f))
				return q->message;
	}
	if (cfg->double_fault && cfg->trigger == SS_LEVEL)
		return "trigger = level: with FEAT_DoubleFault every SError is edge-triggered and taking it "
		       "clears it (Arm ARM D1.4.2.2; IsSErrorEdgeTriggered)";
	if (!cfg->ras && cfg->vsesr_raz_wi)
		return "vsesr_raz_wi requires ras (VSESR_EL2 is UNDEFINED without it)";
	if (cfg->secure && cfg->el3)
		return "secure selects the Security state of a PE without EL3; with el3 use SCR_EL3.NS";
	if (cfg->merge_impdef_iss & ~SS_SERROR_ISS_MASK)
		return "merge_impdef_iss is 25 bits (ISS[24:0])";
	if (cfg->noras_vserror_iss & ~SS_SERROR_ISS_MASK)
		return "noras_vserror_iss is 25 bits (ISS[24:0])";
	if (cfg->ras_records && !cfg->ras)
		return "ras_records requires ras (the error records are part of FEAT_RAS)";
	if (cfg->ras_records > SS_RAS_MAX_RECORDS)
		return "ras_records is at most 8";
	if (cfg->ras_fr & ss_sysregs[SS_REG_ERXFR_EL1].layout->res0)
		return "ras_fr has bits outside the fields of ERR<n>FR";
	if (cfg->ras_pfgf & ss_sysregs[SS_REG_ERXPFGF_EL1].layout->res0)
		return "ras_pfgf has bits outside the fields of ERR<n>PFGF";
	if (cfg->timing.max_cycles == 0)
		return "max_cycles must be at least 1";
	if (cfg->timing.max_instructions == 0)
		return "max_instructions must be at least 1";
	return NULL;
}

/* --- knob table --------------------------------------------------------- */

static const char *const trigger_values[] = { "edge", "level", NULL };
static const char *const amo_el2_values[] = { "programmed", "one", NULL };
static const char *const vp_values[] = { "virtual-first", "physical-first", NULL };
static const char *const vorder_values[] = { "fiq-irq-serror", "irq-fiq-serror", NULL };
static const char *const porder_values[] = { "serror-fiq-irq", "serror-irq-fiq", "fiq-irq-serror",
					     "irq-fiq-serror", NULL };
static const char *const esb_vse_values[] = { "unchanged", "defer-first", NULL };
static const char *const ras_intr_values[] = { "off", "irq", "fiq", NULL };
static const char *const isr_a_values[] = { "virtual", "virtual-or-physical", NULL };
static const char *const res0_values[] = { "mask", "store", "qemu", NULL };
static const char *const vinject_values[] = { "combine", "kvm-overwrite", "kvm-deliver-or-pend",
					      NULL };
static const char *const commit_values[] = { "atomic", "serror-first", "abort-first", NULL };
static const char *const sync_values[] = { "immediate", "context-sync", NULL };
static const char *const engine_values[] = { "fast", "reference", NULL };
static const char *const host_uma_values[] = { "trap", "sctlr-el2", NULL };
static const char *const el12_values[] = { "e2h", "always", NULL };
static const char *const daif_iss_values[] = { "arm", "qemu-swapped", NULL };
#define SS_MERGE_NAME_(id, name, merges, pick, syndrome) name,
static const char *const merge_values[] = { SS_MERGE_POLICIES(SS_MERGE_NAME_) NULL };
#undef SS_MERGE_NAME_

#define OFF(f) offsetof(struct ss_config, f)
#define BOOLK(n, f, src, h) { n, SS_KNOB_BOOL, OFF(f), NULL, 1, src, h }
#define ENUMK(n, f, v, src, h) { n, SS_KNOB_ENUM, OFF(f), v, 0, src, h }
#define U32K(n, f, mx, src, h) { n, SS_KNOB_U32, OFF(f), NULL, mx, src, h }
#define LATK(n, c) U32K("latency." n, timing.latency[c], 1000000, "timing", "cycles for " n " instructions")

const struct ss_knob ss_knobs[] = {
#define FEATK(name, knob, def, help, src) BOOLK(#knob, knob, src, help),
	SS_FEATURES_EL(FEATK)
	BOOLK("secure", secure, "feature", "without EL3: the PE is in Secure state"),
	SS_FEATURES_EXT(FEATK)
#undef FEATK
	BOOLK("guest_ras", guest_ras, "Linux v6.17 arch/arm64/kvm/sys_regs.c; docs/rules.md H1.7 (ID_AA64PFR0_EL1.RAS writable, Linux 6.17)",
	      "with EL2 enabled, EL0/EL1 read ID_AA64PFR0_EL1.RAS as 0 when off: the hypervisor hides FEAT_RAS from its guest (the hardware still has it)"),
	ENUMK("trigger", trigger, trigger_values, "ARM-M RKTWMT; docs/rules.md R8.1",
	      "default trigger of SError events (edge: cleared when taken)"),
	BOOLK("synchronizable", synchronizable, "ARM-M RSFHDS; docs/rules.md R8.8",
	      "default for events: an ESB can defer the condition"),
	BOOLK("iesb_before_exception", iesb_before_exception, "docs/rules.md R8.6 InsertIESBBeforeException",
	      "an implicit ESB before a synchronous exception entry may take an unmasked SError instead"),
	BOOLK("eret_iesb", eret_iesb, "docs/rules.md R8.7 RLPKVM",
	      "ESR.IESB reported for an SError taken by the implicit ESB of an ERET"),
	U32K("noras_vserror_iss", noras_vserror_iss, SS_SERROR_ISS_MASK, "AArch64.TakeVirtualSErrorException; docs/rules.md R8.11",
	     "ISS[24:0] of a virtual SError without FEAT_RAS (used only if bit 24 is 1, else 0)"),
	BOOLK("vsesr_raz_wi", vsesr_raz_wi, "docs/rules.md R8.12, ARM-M D20.7.1.1",
	      "minimal RAS: VSESR_EL2 is RAZ/WI"),
	BOOLK("esb_defers_raz_vserror", esb_defers_raz_vserror, "docs/rules.md R8.12 RGXHYX",
	      "with VSESR_EL2 RAZ/WI, ESB still defers a vSError (VDISR_EL2 = A only)"),
	ENUMK("amo_el2", amo_el2, amo_el2_values, "docs/rules.md R8.10, R9.3 (D22105)",
	      "effective HCR_EL2.AMO at EL2 with {E2H,TGE}={1,0}"),
	ENUMK("vp_priority", vp_priority, vp_values, "ARM-M D20.5.1; docs/rules.md R8.4, R8.5 (D1.4.6.5)",
	      "which is taken first when a virtual and a physical exception are both unmasked"),
	ENUMK("virtual_order", virtual_order, vorder_values, "ARM-M D1.4.6.5; docs/rules.md R8.4",
	      "priority among vFIQ, vIRQ and vSError (Sail: fiq-irq-serror; QEMU 7.2: irq-fiq-serror)"),
	ENUMK("physical_order", physical_order, porder_values, "ARM-M D1.4.6.5 (no priority defined among asynchronous exceptions); QEMU v7.2.0 target/arm/cpu.c arm_cpu_exec_interrupt; docs/rules.md R8.4",
	      "priority among the physical SError, FIQ and IRQ (QEMU 7.2 tests FIQ then IRQ: fiq-irq-serror)"),
	ENUMK("esb_vse", esb_vse, esb_vse_values, "docs/rules.md R9.1 (ARM-M D20.5.1 vs C6.2)",
	      "ESB with a masked vSError while a physical SError is taken: VSE/VDISR unchanged (prose) or deferred first (pseudocode)"),
	ENUMK("isr_a", isr_a, isr_a_values, "ARM-M D24.2.118 ISR_EL1; docs/rules.md R9.2, R3.5",
	      "ISR_EL1.A at EL1 with AMO=1: the virtual state (ARM-M) or virtual OR physical (v8.5 ASL)"),
	ENUMK("res0", res0, res0_values, "ARM-M Glossary RES0; docs/rules.md R9.6",
	      "RES0/RES1 bits of written values: mask them (Sail), store them, or qemu: mask HCR_EL2 and SCR_EL3, store the others (QEMU 7.2)"),
	ENUMK("merge", merge, merge_values, "ARM-M D20.4.3; docs/rules.md R5, R8.2, R8.3 (RAS-B §2.5.3)",
	      "which pending physical SErrors one exception or ESB consumes, and the syndrome reported"),
	U32K("merge_impdef_iss", merge_impdef_iss, SS_SERROR_ISS_MASK, "RAS-B §2.5.3; ARM-M D20.4.3; docs/rules.md R5 item 3, R8.3",
	     "ISS reported when ras-combine merges an IMPLEMENTATION DEFINED or Uncategorized condition"),
	ENUMK("vinject", vinject, vinject_values, "Linux arch/arm64/kvm/inject_fault.c pend_guest_serror (v4.19-v6.16), kvm_inject_serror_esr (v6.17); docs/rules.md H1.5; RAS-B §2.5.3",
	      "a hypervisor injecting a virtual SError while one is pending: combine by rank, overwrite VSESR_EL2 (Linux <= 6.16), or deliver at once when unmasked (Linux >= 6.17)"),
	BOOLK("emulated_vserror_il", emulated_vserror_il, "Linux v6.17 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr (ESR_ELx = esr | EC, IL = 0); ARM-M D24.2.45 ESR_ELx.IL",
	      "ESR_ELx.IL of a virtual SError whose exception entry a hypervisor emulates (vinject = kvm-deliver-or-pend): on as a PE reports it (IL = 1), off as Linux 6.17 until the IL fix"),
	ENUMK("set_commit", set_commit, commit_values, "Linux v6.16 and v6.17 arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events",
	      "a request setting an external abort and an SError, part refused: atomic (nothing changes), serror-first (SError checked first, Linux 5.5-6.16), abort-first (the abort committed before the SError is refused, Linux 6.17+)"),
	ENUMK("sysreg_sync", sysreg_sync, sync_values, "ARM-M D1.4.6.5; issue: timing model",
	      "when an MSR to HCR_EL2 or SCR_EL3 is seen by interrupt sampling: immediate, or at the next ISB, exception entry or ERET"),
	ENUMK("host_uma", host_uma, host_uma_values, "ARM-M AArch64.CheckDAIFAccess, SCTLR_EL1.UMA; QEMU 7.2 target/arm/op_helper.c daif_check",
	      "EL0 access to DAIF with {E2H,TGE}={1,1}: trapped to EL2 whatever UMA (Arm ARM), or sctlr-el2: trapped unless bit 9 of SCTLR_EL2 is 1 (QEMU 7.2)"),
	ENUMK("el12_access", el12_access, el12_values, "ARM-M ESR_EL12 (and the other *_EL12) accessors; QEMU 7.2 target/arm/helper.c define_arm_vh_e2h_redirects_aliases",
	      "the *_EL12 names at EL2 and EL3: e2h: only with EL2 enabled and HCR_EL2.E2H=1, else UNDEFINED (Arm ARM); always: whatever E2H (QEMU 7.2)"),
	ENUMK("daif_trap_iss", daif_trap_iss, daif_iss_values, "ARM-M D24.2.45 ISS for EC 0x18; QEMU 7.2 target/arm/op_helper.c daif_check",
	      "ISS of a trapped MSR DAIFSet/DAIFClr: arm (Op1=3, Op2=6/7), or qemu-swapped: Op1 and Op2 exchanged (QEMU 7.2)"),
	{ "midr", SS_KNOB_U64, OFF(midr), NULL, UINT32_MAX, "ARM-M D24.2 MIDR_EL1 (IMPLEMENTATION DEFINED)",
	  "the value MIDR_EL1 reads (default 0x000f0000: Implementer 0, reserved for software use; Architecture 0xf)" },
	U32K("ras_records", ras_records, SS_RAS_MAX_RECORDS, "RAS spec, error records; ARM-M D24.9 ERRIDR_EL1.NUM",
	     "error records reached through the System registers (ERRIDR_EL1.NUM; 0: none)"),
	{ "ras_fr", SS_KNOB_U64, OFF(ras_fr), NULL, UINT64_MAX, "RAS spec ERR<n>FR (IMPLEMENTATION DEFINED)",
	  "ERR<n>FR of every record: the features it implements (default ED, UI, FI, UE, CFI controllable, INJ)" },
	{ "ras_pfgf", SS_KNOB_U64, OFF(ras_pfgf), NULL, UINT64_MAX, "RAS spec ERR<n>PFGF (IMPLEMENTATION DEFINED)",
	  "ERR<n>PFGF of every record: what fault injection can set (default every type, AV, MV, PN, ER, R)" },
	ENUMK("ras_eri", ras_eri, ras_intr_values, "RAS spec ERR<n>CTLR.UI (the interrupt's wiring is IMPLEMENTATION DEFINED)",
	      "the records' error recovery interrupt: off (traced only), or a physical irq or fiq line (ras_eri_line), asserted while a record that requested it holds a valid error"),
	U32K("ras_eri_line", ras_eri_line, 63, "RAS spec ERR<n>CTLR.UI (wiring)",
	     "the IRQ or FIQ line of the error recovery interrupt (with ras_eri = irq|fiq)"),
	ENUMK("ras_fhi", ras_fhi, ras_intr_values, "RAS spec ERR<n>CTLR.{FI,CFI} (the interrupt's wiring is IMPLEMENTATION DEFINED)",
	      "the records' fault handling interrupt: off (traced only), or a physical irq or fiq line (ras_fhi_line), asserted while a record that requested it holds a valid error"),
	U32K("ras_fhi_line", ras_fhi_line, 63, "RAS spec ERR<n>CTLR.{FI,CFI} (wiring)",
	     "the IRQ or FIQ line of the fault handling interrupt (with ras_fhi = irq|fiq)"),
	LATK("nop", SS_IC_NOP),
	LATK("alu", SS_IC_ALU),
	LATK("branch", SS_IC_BRANCH),
	LATK("mrs", SS_IC_MRS),
	LATK("msr", SS_IC_MSR),
	LATK("isb", SS_IC_ISB),
	LATK("esb", SS_IC_ESB),
	LATK("eret", SS_IC_ERET),
	LATK("call", SS_IC_CALL),
	LATK("wfi", SS_IC_WFI),
	U32K("exception_entry", timing.exception_entry, 1000000, "timing", "cycles to enter an exception"),
	U32K("propagation", timing.propagation, 1000000000, "timing",
	     "cycles from an SError event to the condition being pending at the PE"),
	{ "max_cycles", SS_KNOB_U64, OFF(timing.max_cycles), NULL, UINT64_MAX, "timing",
	  "watchdog: the run stops after this many cycles" },
	{ "max_instructions", SS_KNOB_U64, OFF(timing.max_instructions), NULL, UINT64_MAX, "timing",
	  "watchdog: the run stops when the instructions executed plus the exceptions taken reach this many (default 10000000; bounds a loop whose latencies are 0)" },
	ENUMK("engine", engine, engine_values, "simulation",
	      "fast: the program decoded once, quiet boundaries in one loop; reference: the simple stepper, one boundary at a time (same results)"),
};

const size_t ss_num_knobs = sizeof ss_knobs / sizeof ss_knobs[0];

/* Compare knob names: case-insensitive, '-' and '_' the same. */
static bool name_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char ca = (char)(*a == '-' ? '_' : *a), cb = (char)(*b == '-' ? '_' : *b);
		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (char)(cb - 'A' + 'a');
		if (ca != cb)
			return false;
		if (!ca)
			return true;
	}
}

const struct ss_knob *ss_knob_find(const char *name)
{
	for (size_t i = 0; i < ss_num_knobs; i++)
		if (name_eq(ss_knobs[i].name, name))
			return &ss_knobs[i];
	return NULL;
}

static void *field_ptr(struct ss_config *cfg, const struct ss_knob *k)
{
	return (char *)cfg + k->offset;
}

static const void *cfield_ptr(const struct ss_config *cfg, const struct ss_knob *k)
{
	return (const char *)cfg + k->offset;
}

uint64_t ss_knob_get(const struct ss_config *cfg, const struct ss_knob *k)
{
	const void *p = cfield_ptr(cfg, k);
	switch (k->type) {
	case SS_KNOB_BOOL:
		return *(const bool *)p;
	case SS_KNOB_ENUM: {
		int v;
		memcpy(&v, p, sizeof v);
		return (uint64_t)v;
	}
	case SS_KNOB_U32:
		return *(const uint32_t *)p;
	case SS_KNOB_U64:
		return *(const uint64_t *)p;
	}
	return 0;
}

/* Parse an unsigned number (decimal, 0x, 0b, '_' separators) with overflow
 * check; *overflow says that it was a number too large for 64 bits. */
static bool parse_u64(const char *s, uint64_t *out, bool *overflow)
{
	*overflow = false;
	unsigned base = 10;
	uint64_t v = 0;
	bool any = false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	for (; *s; s++) {
		unsigned d;
		if (*s == '_')
			continue;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return false;
		if (d >= base)
			return false;
		if (v > (UINT64_MAX - d) / base) {
			/* the rest must still be digits for this to be a number */
			for (s++; *s; s++)
				if (*s != '_' && !((*s >= '0' && *s <= '9') ||
						   (base == 16 && ((*s >= 'a' && *s <= 'f') ||
								   (*s >= 'A' && *s <= 'F')))))
					return false;
			*overflow = true;
			return false;
		}
		v = v * base + d;
		any = true;
	}
	*out = v;
	return any;
}

const char *ss_knob_set(struct ss_config *cfg, const struct ss_knob *k, const char *value)
{
	void *p = field_ptr(cfg, k);
	uint64_t v;
	bool overflow;
	switch (k->type) {
	case SS_KNOB_BOOL:
		if (name_eq(value, "1") || name_eq(value, "on") || name_eq(value, "true") ||
		    name_eq(value, "yes"))
			*(bool *)p = true;
		else if (name_eq(value, "0") || name_eq(value, "off") ||
			 name_eq(value, "false") || name_eq(value, "no"))
			*(bool *)p = false;
		else
			return "expected a boolean (on/off, 1/0, true/false, yes/no)";
		return NULL;
	case SS_KNOB_ENUM:
		for (int i = 0; k->values[i]; i++)
			if (name_eq(k->values[i], value)) {
				memcpy(p, &i, sizeof i);
				return NULL;
			}
		return "not one of the knob's values (see 'serrsim knobs')";
	case SS_KNOB_U32:
	case SS_KNOB_U64:
		if (!parse_u64(value, &v, &overflow))
			return overflow ? "the number does not fit in 64 bits" : "expected an unsigned number";
		if (v > k->max)
			return "value too large for this knob";
		if (k->type == SS_KNOB_U32)
			*(uint32_t *)p = (uint32_t)v;
		else
			*(uint64_t *)p = v;
		return NULL;
	}
	return "bad knob";
}

/* Copy text into a bounded buffer; returns the length the text needs. */
static size_t put_text(const char *t, char *buf, size_t len)
{
	size_t n = strlen(t);
	if (len) {
		size_t c = n < len - 1 ? n : len - 1;
		memcpy(buf, t, c);
		buf[c] = '\0';
	}
	return n;
}

/* Format v in decimal or (hex) with a 0x prefix, without stdio. */
static size_t put_u64(uint64_t v, bool hex, char *buf, size_t len)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	unsigned base = hex ? 16 : 10;
	*--p = '\0';
	do {
		*--p = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (hex) {
		*--p = 'x';
		*--p = '0';
	}
	return put_text(p, buf, len);
}

size_t ss_knob_format(const struct ss_config *cfg, const struct ss_knob *k, char *buf, size_t len)
{
	uint64_t v = ss_knob_get(cfg, k);
	switch (k->type) {
	case SS_KNOB_BOOL:
		return put_text(v ? "on" : "off", buf, len);
	case SS_KNOB_ENUM:
		return put_text(k->values[v], buf, len);
	default:
		return put_u64(v, k->max == SS_SERROR_ISS_MASK, buf, len);	/* syndromes in hex */
	}
}
