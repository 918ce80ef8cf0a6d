/*
 * check.c - the invariant checker.  Everything that decides what the model
 * should have done is computed here from docs/rules.md, not by calling the
 * model's rule functions (ss_physical_serror_target, ss_vector_offset,
 * ss_aet_rank, ss_combine_iss, ...): only register field positions are
 * shared with the model.
 */
#include "check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "gen.h"

/* --- syndrome layout (ARM-M D24.2.45 ESR_EL1; ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.1, R3.3), written out here --------- */

#define EC_SERROR_VAL 0x2Fu
#define ISS_MASK 0x1FFFFFFu
#define ISS_IDS (1u << 24)
#define ISS_IESB (1u << 13)
#define ISS_AET_SHIFT 10
#define ISS_AET_MASK (7u << ISS_AET_SHIFT)
#define ISS_EA (1u << 9)
#define ISS_DFSC_MASK 0x3Fu
#define DFSC_ASYNC 0x11u
#define DISR_A_BIT (UINT64_C(1) << 31)

enum { AETV_UC = 0, AETV_UEU = 1, AETV_UEO = 2, AETV_UER = 3, AETV_CE = 6 };

static bool architected(uint32_t iss)
{
	return !(iss & ISS_IDS) && (iss & ISS_DFSC_MASK) == DFSC_ASYNC;
}

static unsigned aet_of(uint32_t iss)
{
	return (iss & ISS_AET_MASK) >> ISS_AET_SHIFT;
}

/* Severity rank UC > UEU > UER > UEO > CE (RAS-B §2.5.3; ARM-M D20.4.3; docs/rules.md R5).  Anything
 * outside the order (IDS = 1, Uncategorized, reserved AET) is ranked as UC,
 * the model's documented choice for picking (docs/policies.md). */
static unsigned rank(uint32_t iss)
{
	if (!architected(iss))
		return 5;
	switch (aet_of(iss)) {
	case AETV_UC: return 5;
	case AETV_UEU: return 4;
	case AETV_UER: return 3;
	case AETV_UEO: return 2;
	case AETV_CE: return 1;
	default: return 5;
	}
}

static uint32_t aet_of_rank(unsigned r)
{
	static const uint32_t by_rank[6] = { AETV_CE, AETV_CE, AETV_UEO, AETV_UER, AETV_UEU, AETV_UC };
	return by_rank[r];
}

/* --- state helpers ------------------------------------------------------------ */

static uint64_t bit(uint64_t v, uint64_t mask)
{
	return (v & mask) != 0;
}

static unsigned el_of(const uint64_t *sr)
{
	return (unsigned)((sr[SS_REG_PSTATE] & SS_PSTATE_EL_MASK) >> SS_PSTATE_EL_SHIFT);
}

static bool pA(const uint64_t *sr)
{
	return bit(sr[SS_REG_PSTATE], SS_PSTATE_A_MASK);
}

/* EL2Enabled() in the current Security state (ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R2.1). */
static bool el2_enabled(const struct ss_config *cfg, const uint64_t *sr)
{
	if (!cfg->el2)
		return false;
	if (cfg->el3)
		return bit(sr[SS_REG_SCR_EL3], SS_SCR_NS_MASK) ||
		       (cfg->sel2 && bit(sr[SS_REG_SCR_EL3], SS_SCR_EEL2_MASK));
	return !cfg->secure || cfg->sel2;
}

struct route {
	unsigned target;
	char cls;	/* 'A' never masked, 'B' masked by PSTATE.A, 'C' not taken here */
	bool masked;
};

/*
 * Routing (ARM-M D20.4.4, PhysicalSErrorTarget(), EffectiveHCR_AMO(); docs/rules.md R1.1) and masking (docs/rules.md R1.2, Table D1-23) written from the
 * table: EA=1 -> EL3 (A below EL3; at EL3 B, or A with NMEA and
 * FEAT_DoubleFault, ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6); else TGE=1 or effective AMO=1 with EL2 enabled ->
 * EL2 (A at EL0/EL1 except B at EL0 in the VHE host; B at EL2; C at EL3);
 * else EL1 (B at EL0/EL1, C above).  Effective AMO at EL2 with
 * {E2H,TGE}={1,0} is 1 with amo_el2=one (Known Issue D22105; docs/rules.md R8.10).
 */
static struct route my_route(const struct ss_config *cfg, const uint64_t *sr)
{
	unsigned el = el_of(sr);
	uint64_t hcr = sr[SS_REG_HCR_EL2], scr = sr[SS_REG_SCR_EL3];
	bool e2 = el2_enabled(cfg, sr);
	bool tge = e2 && bit(hcr, SS_HCR_TGE_MASK);
	bool e2h = bit(hcr, SS_HCR_E2H_MASK);
	bool amo = e2 && !tge &&
		   (bit(hcr, SS_HCR_AMO_MASK) || (cfg->amo_el2 == SS_AMO_EL2_ONE && e2h && el == 2));
	struct route r;
	if (cfg->el3 && bit(scr, SS_SCR_EA_MASK)) {
		r.target = 3;
		r.cls = el < 3 ? 'A' : (cfg->double_fault && bit(scr, SS_SCR_NMEA_MASK)) ? 'A' : 'B';
	} else if (el == 1 && tge && e2h) {
		/* PhysicalSErrorTarget() (ARM-M J1.3.2.6): at EL1 with {E2H,TGE} =
		 * {1,1} the effective AMO is 0 and IsInHost() is FALSE: EL1. */
		r.target = 1;
		r.cls = 'B';
	} else if (tge || amo) {
		r.target = 2;
		if (el == 0)
			r.cls = (tge && e2h) ? 'B' : 'A';
		else if (el == 1)
			r.cls = 'A';
		else if (el == 2)
			r.cls = 'B';
		else
			r.cls = 'C';
	} else {
		r.target = 1;
		r.cls = el <= 1 ? 'B' : 'C';
	}
	r.masked = r.cls == 'C' || (r.cls == 'B' && pA(sr));
	return r;
}

/* Vector group (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4): same EL 0x000 (SP_EL0) / 0x200 (SP_ELx), lower
 * EL 0x400 (AArch64) / 0x600 (AArch32). */
static uint64_t my_group(const uint64_t *sr, unsigned from, unsigned to)
{
	if (to == from)
		return bit(sr[SS_REG_PSTATE], SS_PSTATE_SP_MASK) ? 0x200 : 0x000;
	bool a32;
	if (to == 3)
		a32 = !bit(sr[SS_REG_SCR_EL3], SS_SCR_RW_MASK);
	else if (to == 2)
		a32 = !(from == 0 && bit(sr[SS_REG_HCR_EL2], SS_HCR_E2H_MASK) &&
			bit(sr[SS_REG_HCR_EL2], SS_HCR_TGE_MASK)) && !bit(sr[SS_REG_HCR_EL2], SS_HCR_RW_MASK);
	else
		a32 = false;
	return a32 ? 0x600 : 0x400;
}

/* Effective SCTLR_ELx.IESB (ARM-M D20.5.3; docs/rules.md R4.2), forced at EL3 by EA=NMEA=1 with
 * FEAT_DoubleFault (ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6). */
static bool my_iesb(const struct ss_config *cfg, const uint64_t *sr, unsigned el)
{
	if (el == 0 || (el == 2 && !cfg->el2) || (el == 3 && !cfg->el3))
		return false;
	if (el == 3 && cfg->double_fault && bit(sr[SS_REG_SCR_EL3], SS_SCR_EA_MASK) &&
	    bit(sr[SS_REG_SCR_EL3], SS_SCR_NMEA_MASK))
		return true;
	return cfg->iesb && bit(sr[SS_REG_SCTLR_EL1 + el - 1], SS_SCTLR_IESB_MASK);
}

/* vSError enabled (ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R2.1): EL2 enabled, TGE = 0, AMO = 1. */
static bool v_enabled(const struct ss_config *cfg, const uint64_t *sr, uint64_t hcr)
{
	return el2_enabled(cfg, sr) && !bit(hcr, SS_HCR_TGE_MASK) && bit(hcr, SS_HCR_AMO_MASK);
}

/* Taken: pending (VSE), enabled, at EL0/EL1, PSTATE.A = 0. */
static bool v_unmasked(const struct ss_config *cfg, const uint64_t *sr, uint64_t hcr)
{
	return v_enabled(cfg, sr, hcr) && bit(hcr, SS_HCR_VSE_MASK) && el_of(sr) <= 1 && !pA(sr);
}

static bool virq_unmasked(const struct ss_config *cfg, const uint64_t *sr, bool fiq)
{
	uint64_t hcr = sr[SS_REG_HCR_EL2];
	uint64_t mo = fiq ? SS_HCR_FMO_MASK : SS_HCR_IMO_MASK, v = fiq ? SS_HCR_VF_MASK : SS_HCR_VI_MASK;
	uint64_t m = fiq ? SS_PSTATE_F_MASK : SS_PSTATE_I_MASK;
	return el2_enabled(cfg, sr) && !bit(hcr, SS_HCR_TGE_MASK) && bit(hcr, mo) && bit(hcr, v) &&
	       el_of(sr) <= 1 && !bit(sr[SS_REG_PSTATE], m);
}

/* ESR_EL1.ISS of a vSError (AArch64.TakeVirtualSErrorException (ARM-M J1.1.2.21); ARM-M D20.7.1.1, RGXHYX; docs/rules.md R2.2, R8.11, R8.12). */
static uint32_t v_iss(const struct ss_config *cfg, const uint64_t *sr)
{
	if (cfg->ras)
		return cfg->vsesr_raz_wi ? 0 : (uint32_t)(sr[SS_REG_VSESR_EL2] & ISS_MASK);
	return (cfg->noras_vserror_iss & ISS_IDS) ? (cfg->noras_vserror_iss & ISS_MASK) : 0;
}

/* The ISS a physical condition reports on this PE: without FEAT_RAS the
 * architected fields are RES0 (ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1), only IDS=1 survives. */
static uint32_t phys_iss(const struct ss_config *cfg, uint32_t iss)
{
	iss &= ISS_MASK;
	if (!cfg->ras && !(iss & ISS_IDS))
		return 0;
	return iss;
}

/* --- failure ------------------------------------------------------------------ */

static void fail(struct checker *k, const struct ss_pe *pe, const char *fmt, ...)
{
	if (k->failed)
		return;
	k->failed = true;
	k->fail_cycle = pe->cycle;
	int n = snprintf(k->msg, sizeof k->msg, "cycle %" PRIu64 ", pc 0x%" PRIx64 ": ", pe->cycle,
			 pe->pc);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof k->msg)
		vsnprintf(k->msg + n, sizeof k->msg - (size_t)n, fmt, ap);
	va_end(ap);
	if (k->trace)
		fprintf(k->trace, "  !! VIOLATION: %s\n", k->msg);
}

/* --- the merge policy, predicted --------------------------------------------- */

struct pick {
	int rep;		/* condition whose syndrome is reported, or -1 */
	uint32_t iss;		/* the reported ISS (IESB not yet applied) */
	unsigned n;		/* eligible conditions */
};

static bool eligible(const struct chk_cond *c, bool sync_only)
{
	return c->phys && c->live && c->visible && (!sync_only || c->sync);
}

/* docs/policies.md: one-at-a-time (oldest), most-severe-first (highest
 * rank, oldest on ties), ras-combine (all; AET of the highest rank, EA OR,
 * or merge_impdef_iss if any is not architected), first-wins (all; the
 * oldest's), last-wins (all; the newest's). */
static struct pick predict(const struct checker *k, bool sync_only)
{
	const struct ss_config *cfg = k->cfg;
	struct pick p = { -1, 0, 0 };
	bool all_arch = true, ea = false;
	unsigned best = 0;
	for (uint32_t i = 0; i < k->nc; i++) {
		const struct chk_cond *c = &k->c[i];
		if (!eligible(c, sync_only))
			continue;
		uint32_t iss = phys_iss(cfg, c->iss);
		p.n++;
		all_arch = all_arch && architected(iss);
		ea = ea || (iss & ISS_EA);
		switch (cfg->merge) {
		case SS_MERGE_ONE_AT_A_TIME:
		case SS_MERGE_FIRST_WINS:
			if (p.rep < 0)
				p.rep = (int)i;
			break;
		case SS_MERGE_LAST_WINS:
			p.rep = (int)i;
			break;
		case SS_MERGE_MOST_SEVERE_FIRST:
		case SS_MERGE_RAS_COMBINE:
			if (p.rep < 0 || rank(c->iss) > best) {
				p.rep = (int)i;
				best = rank(c->iss);
			}
			break;
		}
	}
	if (p.rep < 0)
		return p;
	p.iss = phys_iss(cfg, k->c[p.rep].iss);
	if (cfg->merge == SS_MERGE_RAS_COMBINE && p.n > 1) {
		if (!all_arch) {
			p.iss = cfg->merge_impdef_iss & ISS_MASK;
		} else {
			unsigned r = 0;
			for (uint32_t i = 0; i < k->nc; i++)
				if (eligible(&k->c[i], sync_only) && rank(k->c[i].iss) > r)
					r = rank(k->c[i].iss);
			p.iss = (aet_of_rank(r) << ISS_AET_SHIFT) | (ea ? ISS_EA : 0) | DFSC_ASYNC;
		}
	}
	return p;
}

static bool policy_merges(const struct ss_config *cfg)
{
	return cfg->merge == SS_MERGE_RAS_COMBINE || cfg->merge == SS_MERGE_FIRST_WINS ||
	       cfg->merge == SS_MERGE_LAST_WINS;
}

/* An exception or deferral consumed the representative (and, merging, every
 * eligible condition): edge-triggered ones are cleared, level ones stay. */
static void consume(struct checker *k, const struct pick *p, bool sync_only)
{
	for (uint32_t i = 0; i < k->nc; i++) {
		struct chk_cond *c = &k->c[i];
		if (!eligible(c, sync_only))
			continue;
		if ((int)i != p->rep && !policy_merges(k->cfg))
			continue;
		if (c->edge)
			c->live = false;
	}
}

static bool any_pending(const struct checker *k)
{
	for (uint32_t i = 0; i < k->nc; i++)
		if (eligible(&k->c[i], false))
			return true;
	return false;
}

/* EffectiveHCR_AMO() at the current EL (docs/rules.md R1.1), IMO/FMO alike. */
static bool eff_mo(const struct ss_config *cfg, const uint64_t *sr, uint64_t mo)
{
	uint64_t hcr = sr[SS_REG_HCR_EL2];
	if (!el2_enabled(cfg, sr))
		return false;
	if (bit(hcr, SS_HCR_TGE_MASK))
		return !bit(hcr, SS_HCR_E2H_MASK);
	if (mo == SS_HCR_AMO_MASK && cfg->amo_el2 == SS_AMO_EL2_ONE && bit(hcr, SS_HCR_E2H_MASK) &&
	    el_of(sr) == 2)
		return true;
	return bit(hcr, mo);
}

/*
 * Physical IRQ/FIQ (AArch64.TakePhysicalIRQException and FIQException;
 * ARM-M D1.4.6.4.1, Table D1-23 read with SCR_EL3.{IRQ,FIQ},
 * HCR_EL2.{IMO,FMO} and PSTATE.{I,F}), written from the table row by row:
 * SCR_EL3.IRQ = 1: EL3, A below EL3, B at EL3.  Else at EL3: C.  At EL2:
 * EL2, B with TGE or the effective IMO, else C (it targets EL1).  At
 * EL0/EL1 with EL2 enabled and TGE or IMO: EL2, A, except B in the host
 * regime {E2H,TGE} = {1,1}.  Else EL1, B.
 */
static struct route my_intr_route(const struct ss_config *cfg, const uint64_t *sr, bool fiq)
{
	unsigned el = el_of(sr);
	uint64_t hcr = sr[SS_REG_HCR_EL2];
	bool e2 = el2_enabled(cfg, sr);
	bool tge = e2 && bit(hcr, SS_HCR_TGE_MASK), e2h = bit(hcr, SS_HCR_E2H_MASK);
	uint64_t mo = fiq ? SS_HCR_FMO_MASK : SS_HCR_IMO_MASK;
	bool route3 = cfg->el3 && bit(sr[SS_REG_SCR_EL3], fiq ? SS_SCR_FIQ_MASK : SS_SCR_IRQ_MASK);
	struct route r;
	if (route3) {
		r.target = 3;
		r.cls = el == 3 ? 'B' : 'A';
	} else if (el == 3) {
		r.target = 1;
		r.cls = 'C';
	} else if (el == 2) {
		bool to2 = tge || eff_mo(cfg, sr, mo);
		r.target = to2 ? 2 : 1;
		r.cls = to2 ? 'B' : 'C';
	} else if (e2 && (tge || bit(hcr, mo))) {
		r.target = 2;
		r.cls = tge && e2h ? 'B' : 'A';
	} else {
		r.target = 1;
		r.cls = 'B';
	}
	bool m = bit(sr[SS_REG_PSTATE], fiq ? SS_PSTATE_F_MASK : SS_PSTATE_I_MASK);
	r.masked = r.cls == 'C' || (r.cls == 'B' && m);
	return r;
}

static bool intr_unmasked(const struct checker *k, const uint64_t *sr, bool fiq)
{
	return k->intr_up[fiq] && !my_intr_route(k->cfg, sr, fiq).masked;
}

/* ISR_EL1: at EL1 with effective AMO the virtual state (HCR_EL2.VSE), or
 * with isr_a = virtual-or-physical also the physical one; else the physical
 * pending state.  I/F: HCR_EL2.VI/VF at EL1 with IMO/FMO, else whether a
 * physical IRQ/FIQ line is asserted (ARM-M D24.2.118 ISR_EL1). */
static uint64_t my_isr(const struct checker *k, const uint64_t *sr)
{
	const struct ss_config *cfg = k->cfg;
	uint64_t hcr = sr[SS_REG_HCR_EL2];
	bool el1 = el_of(sr) == 1, a, i, f;
	if (el1 && eff_mo(cfg, sr, SS_HCR_AMO_MASK))
		a = bit(hcr, SS_HCR_VSE_MASK) ||
		    (cfg->isr_a == SS_ISR_A_VIRTUAL_OR_PHYSICAL && any_pending(k));
	else
		a = any_pending(k);
	if (el1 && eff_mo(cfg, sr, SS_HCR_IMO_MASK))
		i = bit(hcr, SS_HCR_VI_MASK);
	else
		i = k->intr_up[0] != 0;
	if (el1 && eff_mo(cfg, sr, SS_HCR_FMO_MASK))
		f = bit(hcr, SS_HCR_VF_MASK);
	else
		f = k->intr_up[1] != 0;
	return ((uint64_t)a << 8) | ((uint64_t)i << 7) | ((uint64_t)f << 6);
}

/* DISR_EL1 as read: VDISR_EL2 at EL1 with EL2 enabled and effective AMO;
 * RAZ below EL3 with SCR_EL3.EA = 1; else DISR_EL1 (ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3). */
static uint64_t my_disr(const struct ss_config *cfg, const uint64_t *sr)
{
	unsigned el = el_of(sr);
	if (el == 1 && eff_mo(cfg, sr, SS_HCR_AMO_MASK))
		return sr[SS_REG_VDISR_EL2];
	if (el < 3 && cfg->el3 && bit(sr[SS_REG_SCR_EL3], SS_SCR_EA_MASK))
		return 0;
	return sr[SS_REG_DISR_EL1];
}

/* --- trace text ------------------------------------------------------------ */

static void print_trace(FILE *f, const struct ss_pe *pe, const struct ss_trace *t)
{
	char buf[128];
	fprintf(f, "%6" PRIu64 "  ", t->cycle);
	switch (t->kind) {
	case SS_TR_INSN:
		gen_format_insn(t->insn, buf, sizeof buf);
		fprintf(f, "EL%u 0x%05" PRIx64 "  %s\n", el_of(pe->sr), t->addr, buf);
		break;
	case SS_TR_RAISE:
		fprintf(f, "raise #%u %s iss=0x%07" PRIx32 " %s%s\n", t->cond->id,
			t->cond->virt ? "virtual" : "physical", t->cond->iss,
			t->cond->trigger == SS_LEVEL ? "level" : "edge",
			t->cond->synchronizable ? "" : " nosync");
		break;
	case SS_TR_VISIBLE:
		fprintf(f, "visible #%u\n", t->cond->id);
		break;
	case SS_TR_INTR:
		fprintf(f, "%s line %u %s\n", t->intr ? "fiq" : "irq", t->line,
			t->value ? "asserted" : "deasserted");
		break;
	case SS_TR_LOWER:
		fprintf(f, "lower line %u (#%u)\n", t->line, t->cond ? t->cond->id : 0);
		break;
	case SS_TR_EXCEPTION: {
		const struct ss_exception *x = t->exc;
		fprintf(f, "exception %u %s EL%u->EL%u vector=0x%" PRIx64 " (+0x%" PRIx64
			   ") esr=0x%" PRIx64 " elr=0x%" PRIx64 " spsr=0x%" PRIx64 "%s cond=%d\n",
			x->number, ss_cause_name(x->cause), x->from_el, x->to_el, x->vector, x->offset,
			x->esr, x->elr, x->spsr, x->iesb ? " iesb" : "", x->cond);
		break;
	}
	case SS_TR_ERET:
		fprintf(f, "eret EL%u->EL%u to 0x%" PRIx64 "%s\n", t->from_el, t->to_el, t->addr,
			t->illegal ? " (illegal)" : "");
		break;
	case SS_TR_DEFER:
		fprintf(f, "defer %s = 0x%" PRIx64 " (#%d)\n", ss_sysregs[t->reg].name, t->value,
			t->cond ? (int)t->cond->id : -1);
		break;
	case SS_TR_SYSREG:
		fprintf(f, "write %s = 0x%" PRIx64 " (was 0x%" PRIx64 ")\n", ss_sysregs[t->reg].name,
			t->value, t->old);
		break;
	case SS_TR_SLEEP:
		fprintf(f, "sleep\n");
		break;
	case SS_TR_WAKE:
		fprintf(f, "wake\n");
		break;
	case SS_TR_STOP:
		fprintf(f, "stop %s\n", ss_stop_name((enum ss_stop)t->stop));
		break;
	default:
		fprintf(f, "event %d\n", (int)t->kind);
		break;
	}
}

/* --- snapshots ------------------------------------------------------------------ */

static void snap(struct checker *k, const struct ss_pe *pe)
{
	memcpy(k->s.sr, pe->sr, sizeof k->s.sr);
	k->s.pc = pe->pc;
}

void chk_init(struct checker *k, const struct ss_pe *pe, FILE *trace, struct chk_stats *stats)
{
	memset(k, 0, sizeof *k);
	k->cfg = &pe->cfg;
	k->trace = trace;
	k->stats = stats;
	k->last_virt_raise = -1;
	snap(k, pe);
}

void chk_step_begin(struct checker *k, const struct ss_pe *pe)
{
	snap(k, pe);
	k->insn = NULL;
	k->after_insn_exc = false;
	k->expect_defer = k->deferred = false;
	k->expect_take = k->took = false;
	k->expect_vdefer = k->vdeferred = false;
	k->mrs_check = false;
	k->have_last = false;
	k->just_entered = false;
	k->last_virt_raise = -1;
}

/* --- per-event checks ---------------------------------------------------------- */

static void on_insn(struct checker *k, const struct ss_pe *pe, const struct ss_trace *t)
{
	const struct ss_config *cfg = k->cfg;
	const uint64_t *sr = k->s.sr;
	struct route r = my_route(cfg, sr);
	k->insn = t->insn;
	k->after_insn_exc = false;
	if (k->stats)
		k->stats->insns++;

	/* Liveness: an instruction executes only when no asynchronous exception
	 * is pending and unmasked (ARM-M D1.4.6.5, RQVRHH; docs/rules.md R1.3). */
	if (any_pending(k) && !r.masked)
		fail(k, pe, "instruction executed at EL%u while a physical SError is pending and "
			    "unmasked (class %c, target EL%u, PSTATE.A=%u)",
		     el_of(sr), r.cls, r.target, (unsigned)pA(sr));
	if (v_unmasked(cfg, sr, sr[SS_REG_HCR_EL2]))
		fail(k, pe, "instruction executed at EL%u while a virtual SError is pending and "
			    "unmasked (HCR_EL2=0x%" PRIx64 ")", el_of(sr), sr[SS_REG_HCR_EL2]);
	if (virq_unmasked(cfg, sr, false) || virq_unmasked(cfg, sr, true))
		fail(k, pe, "instruction executed while a virtual IRQ/FIQ is pending and unmasked");
	if (intr_unmasked(k, sr, false) || intr_unmasked(k, sr, true))
		fail(k, pe, "instruction executed at EL%u while a physical IRQ/FIQ is pending and "
			    "unmasked", el_of(sr));

	/* ISR_EL1 (ARM-M D24.2.118 ISR_EL1; docs/rules.md R3.5, R9.2) and DISR_EL1 (ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3) as read at EL1-EL3. */
	if (t->insn->op == SS_OP_MRS && t->insn->rd < SS_NO_REG && el_of(sr) >= 1 &&
	    (t->insn->sreg == SS_REG_ISR_EL1 || (t->insn->sreg == SS_REG_DISR_EL1 && cfg->ras))) {
		k->mrs_check = true;
		k->mrs_rd = t->insn->rd;
		k->mrs_reg = t->insn->sreg;
		k->mrs_want = t->insn->sreg == SS_REG_ISR_EL1 ? my_isr(k, sr) : my_disr(cfg, sr);
	}

	/* ESB with RAS (ARM-M C6.2 ESB; docs/rules.md R4.1): synchronizes every outstanding
	 * synchronizable error (a non-synchronizable one still propagating
	 * stays in flight); a masked synchronizable one must be deferred, an
	 * unmasked one taken. */
	if (t->insn->op == SS_OP_ESB && cfg->ras) {
		bool sync_any = false, any = false;
		for (uint32_t i = 0; i < k->nc; i++) {
			const struct chk_cond *c = &k->c[i];
			if (!c->phys || !c->live || (!c->visible && !c->sync))
				continue;
			any = true;
			sync_any = sync_any || c->sync;
		}
		k->expect_defer = r.masked && sync_any;
		k->expect_take = !r.masked && any;
		/* vESBOperation: a pending vSError masked by PSTATE.A at EL0/EL1 is
		 * deferred into VDISR_EL2, unless VSESR_EL2 is RAZ/WI and the
		 * implementation does not (ARM-M D20.7.1.1, RGXHYX; docs/rules.md R8.12), or a physical SError is taken
		 * and the prose choice leaves VSE alone (ARM-M D20.5.1 vs C6.2; docs/rules.md R9.1, esb_vse). */
		uint64_t hcr = sr[SS_REG_HCR_EL2];
		k->expect_vdefer = el_of(sr) <= 1 && v_enabled(cfg, sr, hcr) &&
				   bit(hcr, SS_HCR_VSE_MASK) && pA(sr) &&
				   (!cfg->vsesr_raz_wi || cfg->esb_defers_raz_vserror) &&
				   !(cfg->esb_vse == SS_ESB_VSE_UNCHANGED && k->expect_take);
	}
}

static void on_raise(struct checker *k, const struct ss_pe *pe, const struct ss_trace *t)
{
	const struct ss_condition *c = t->cond;
	if (c->seq != k->nc) {
		fail(k, pe, "condition seq %" PRIu64 " raised, expected %u", c->seq, k->nc);
		return;
	}
	if (k->nc >= CHK_MAX_CONDS) {
		k->overflow = true;
		return;
	}
	struct chk_cond *m = &k->c[k->nc++];
	memset(m, 0, sizeof *m);
	m->phys = !c->virt;
	m->iss = c->iss;
	m->edge = c->trigger == SS_EDGE;
	m->sync = c->synchronizable;
	m->line = c->line;
	m->live = m->phys;
	m->visible = false;
	if (c->virt) {
		k->last_virt_raise = (int)c->id;
		k->last_virt_iss = c->iss;
	}
}

static void on_visible(struct checker *k, const struct ss_pe *pe, const struct ss_trace *t)
{
	uint64_t id = t->cond->seq;
	if (k->overflow)
		return;
	if (id >= k->nc || !k->c[id].phys || !k->c[id].live || k->c[id].visible) {
		fail(k, pe, "condition seq %" PRIu64 " became visible but was not in flight", id);
		return;
	}
	k->c[id].visible = true;
}

static void on_lower(struct checker *k, const struct ss_pe *pe, const struct ss_trace *t)
{
	if (k->overflow)
		return;
	if (!t->cond || t->cond->seq >= k->nc) {
		fail(k, pe, "lower of line %u names no condition", t->line);
		return;
	}
	struct chk_cond *c = &k->c[t->cond->seq];
	if (c->edge || c->line != t->line || !c->live)
		fail(k, pe, "lower of line %u ended condition seq %" PRIu64
			    ", which is not its live level source", t->line, t->cond->seq);
	c->live = false;
}

static void check_entry_common(struct checker *k, const struct ss_pe *pe,
			       const struct ss_exception *x, uint64_t vec_kind, bool check_route)
{
	const uint64_t *pre = k->s.sr;
	unsigned from = el_of(pre), to = x->to_el;
	uint64_t ps = pe->sr[SS_REG_PSTATE];

	if (x->number != k->nexc + 1)
		fail(k, pe, "exception number %u, expected %u", x->number, k->nexc + 1);
	k->nexc = x->number;
	if (x->from_el != from)
		fail(k, pe, "exception %u: from_el %u, but PSTATE.EL was %u", x->number, x->from_el, from);
	if (to < 1 || to > 3 || to < from) {
		fail(k, pe, "exception %u: to EL%u from EL%u", x->number, to, from);
		return;
	}
	/* PSTATE after entry (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4): EL = target, SP = 1, D,A,I,F = 1111, IL = 0. */
	if (el_of(pe->sr) != to || !bit(ps, SS_PSTATE_SP_MASK) || !bit(ps, SS_PSTATE_D_MASK) ||
	    !bit(ps, SS_PSTATE_A_MASK) || !bit(ps, SS_PSTATE_I_MASK) || !bit(ps, SS_PSTATE_F_MASK) ||
	    bit(ps, SS_PSTATE_IL_MASK) || bit(ps, SS_PSTATE_nRW_MASK))
		fail(k, pe, "exception %u (%s): PSTATE after entry is 0x%" PRIx64
			    " (want EL%u, SP=1, DAIF=1111, IL=0)",
		     x->number, ss_cause_name(x->cause), ps, to);
	/* SPSR_ELt = the old PSTATE. */
	uint64_t spsr = pe->sr[SS_REG_SPSR_EL1 + to - 1];
	uint64_t want_spsr = pre[SS_REG_PSTATE] & ~SS_SPSR_RES0;
	if (spsr != want_spsr || x->spsr != want_spsr)
		fail(k, pe, "exception %u (%s): SPSR_EL%u = 0x%" PRIx64 ", old PSTATE was 0x%" PRIx64,
		     x->number, ss_cause_name(x->cause), to, spsr, want_spsr);
	if (x->has_esr && pe->sr[SS_REG_ESR_EL1 + to - 1] != x->esr)
		fail(k, pe, "exception %u: ESR_EL%u = 0x%" PRIx64 " but the trace says 0x%" PRIx64,
		     x->number, to, pe->sr[SS_REG_ESR_EL1 + to - 1], x->esr);
	/* Vector = VBAR_ELt + group + kind (AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4). */
	uint64_t off = my_group(pre, from, to) + vec_kind;
	uint64_t vec = pre[SS_REG_VBAR_EL1 + to - 1] + off;
	if (check_route && (x->offset != off || x->vector != vec))
		fail(k, pe, "exception %u (%s) EL%u->EL%u: vector 0x%" PRIx64 " (+0x%" PRIx64
			    "), expected 0x%" PRIx64 " (+0x%" PRIx64 ")",
		     x->number, ss_cause_name(x->cause), from, to, x->vector, x->offset, vec, off);
	if (!check_route && (x->offset & ~UINT64_C(0x180)) != my_group(pre, from, to))
		fail(k, pe, "exception %u (%s) EL%u->EL%u: vector group +0x%" PRIx64
			    ", expected +0x%" PRIx64,
		     x->number, ss_cause_name(x->cause), from, to, x->offset & ~UINT64_C(0x180),
		     my_group(pre, from, to));
	if (pe->pc != x->vector)
		fail(k, pe, "exception %u: PC 0x%" PRIx64 " after entry, vector 0x%" PRIx64, x->number,
		     pe->pc, x->vector);
}

static void check_serror_esr(struct checker *k, const struct ss_pe *pe,
			     const struct ss_exception *x, uint32_t want_iss)
{
	uint64_t want = ((uint64_t)EC_SERROR_VAL << 26) | (UINT64_C(1) << 25) | (want_iss & ISS_MASK);
	uint64_t esr = pe->sr[SS_REG_ESR_EL1 + x->to_el - 1];
	if (((esr >> 26) & 0x3f) != EC_SERROR_VAL || !((esr >> 25) & 1))
		fail(k, pe, "exception %u (%s): ESR_EL%u = 0x%" PRIx64 " is not EC=0x2F IL=1",
		     x->number, ss_cause_name(x->cause), x->to_el, esr);
	else if (esr != want)
		fail(k, pe, "exception %u (%s): ESR_EL%u = 0x%" PRIx64 ", expected 0x%" PRIx64,
		     x->number, ss_cause_name(x->cause), x->to_el, esr, want);
	uint64_t elr = pe->sr[SS_REG_ELR_EL1 + x->to_el - 1];
	if (elr != k->s.pc || x->elr != k->s.pc)
		fail(k, pe, "exception %u (%s): ELR_EL%u = 0x%" PRIx64 ", expected the preferred return "
			    "address 0x%" PRIx64,
		     x->number, ss_cause_name(x->cause), x->to_el, elr, k->s.pc);
}

static void on_pserror(struct checker *k, const struct ss_pe *pe, const struct ss_exception *x)
{
	const struct ss_config *cfg = k->cfg;
	const uint64_t *pre = k->s.sr;
	unsigned el = el_of(pre);
	struct route r = my_route(cfg, pre);
	bool at_eret = k->insn && k->insn->op == SS_OP_ERET && !k->after_insn_exc;

	if (r.masked) {
		fail(k, pe, "exception %u: physical SError taken at EL%u while masked (class %c, "
			    "target EL%u, PSTATE.A=%u, HCR_EL2=0x%" PRIx64 ", SCR_EL3=0x%" PRIx64 ")",
		     x->number, el, r.cls, r.target, (unsigned)pA(pre), pre[SS_REG_HCR_EL2], pre[SS_REG_SCR_EL3]);
		return;
	}
	if (x->to_el != r.target)
		fail(k, pe, "exception %u: physical SError taken to EL%u, routing gives EL%u", x->number,
		     x->to_el, r.target);
	check_entry_common(k, pe, x, 0x180, true);

	/* Where it may be taken: an instruction boundary, an ESB, the implicit
	 * ESB of an exception entry or ERET (ARM-M D20.5.3; docs/rules.md R4.2), or before a
	 * synchronous exception (InsertIESBBeforeException, docs/rules.md R8.6). */
	if (x->iesb) {
		if (!(k->just_entered || at_eret))
			fail(k, pe, "exception %u: marked as taken by an implicit ESB, but no exception "
				    "entry or ERET precedes it", x->number);
		else if (!my_iesb(cfg, pre, el))
			fail(k, pe, "exception %u: taken by an implicit ESB at EL%u, where SCTLR_EL%u.IESB "
				    "is not in effect", x->number, el, el);
		if (k->stats && k->just_entered)
			k->stats->iesb_entries++;
		else if (k->stats)
			k->stats->eret_iesb_entries++;
	} else if (k->insn) {
		bool esb = k->insn->op == SS_OP_ESB && cfg->ras;
		if (k->after_insn_exc || !(esb || cfg->iesb_before_exception))
			fail(k, pe, "exception %u: physical SError taken in the middle of '%s' without an "
				    "error synchronization", x->number, ss_op_name(k->insn->op));
		if (esb && k->stats)
			k->stats->esb_entries++;
	}

	struct pick p = predict(k, false);
	if (p.rep < 0) {
		fail(k, pe, "exception %u: physical SError taken with no condition pending", x->number);
		return;
	}
	uint32_t iss = p.iss;
	/* ESR.IESB = 1 only for a condition the implicit ESB synchronized: a
	 * non-synchronizable one is taken with IESB = 0 (ARM-M D20.5.3; docs/rules.md R4.2). */
	if (x->iesb && architected(iss) && k->c[p.rep].sync && (k->just_entered || cfg->eret_iesb))
		iss |= ISS_IESB;
	if (x->cond < 0 || (uint32_t)x->cond >= pe->ncond || pe->cond[x->cond].seq != (uint64_t)p.rep)
		fail(k, pe, "exception %u: took condition #%d, merge policy %d picks seq %d", x->number,
		     x->cond, (int)cfg->merge, p.rep);
	check_serror_esr(k, pe, x, iss);
	/* Minimal syndrome rule (RAS-B §2.5.3): the AET is a pending one's, or
	 * the combination, or IMPLEMENTATION DEFINED when any is not architected
	 * (already implied by the exact check above; kept as documentation). */
	if (p.n > 1 && k->stats)
		k->stats->merged_entries++;
	consume(k, &p, false);
	k->took = true;
}

static void on_vserror(struct checker *k, const struct ss_pe *pe, const struct ss_exception *x)
{
	const struct ss_config *cfg = k->cfg;
	const uint64_t *pre = k->s.sr;
	uint64_t hcr = pre[SS_REG_HCR_EL2];
	bool emulated = false;
	/* The VSE clear is traced just before the entry: use the old value. */
	if (k->have_last && k->last_kind == SS_TR_SYSREG && k->last_reg == SS_REG_HCR_EL2)
		hcr = k->last_old;
	if (k->have_last && k->last_kind == SS_TR_RAISE && k->last_virt_raise >= 0 &&
	    cfg->vinject == SS_VINJ_KVM_DELIVER_OR_PEND)
		emulated = true;

	if (x->to_el != 1)
		fail(k, pe, "exception %u: virtual SError taken to EL%u (always EL1, ARM-M D1.4.6.4.2 RGYGBD; docs/rules.md R2.1)",
		     x->number, x->to_el);
	check_entry_common(k, pe, x, 0x180, true);
	if (x->iesb)
		fail(k, pe, "exception %u: virtual SError marked as taken by an implicit ESB", x->number);

	uint32_t iss;
	if (emulated) {
		/* kvm-deliver-or-pend (docs/policies.md): entry emulated at EL0/EL1
		 * with PSTATE.A = 0; VSE left alone. */
		if (el_of(pre) > 1 || pA(pre))
			fail(k, pe, "exception %u: emulated vSError delivery at EL%u with PSTATE.A=%u",
			     x->number, el_of(pre), (unsigned)pA(pre));
		if (bit(pe->sr[SS_REG_HCR_EL2], SS_HCR_VSE_MASK) != bit(pre[SS_REG_HCR_EL2], SS_HCR_VSE_MASK))
			fail(k, pe, "exception %u: emulated vSError delivery changed HCR_EL2.VSE", x->number);
		bool has_vsesr = cfg->ras && !cfg->vsesr_raz_wi;
		iss = has_vsesr ? (k->last_virt_iss & ISS_MASK) : v_iss(cfg, pre);
		if (k->stats)
			k->stats->emulated_vserror++;
	} else {
		if (!v_unmasked(cfg, pre, hcr))
			fail(k, pe, "exception %u: virtual SError taken at EL%u though not pending and "
				    "unmasked (HCR_EL2=0x%" PRIx64 ", PSTATE.A=%u, EL2 %s)",
			     x->number, el_of(pre), hcr, (unsigned)pA(pre),
			     el2_enabled(cfg, pre) ? "enabled" : "disabled");
		/* IYPRNB: taking the vSError clears HCR_EL2.VSE. */
		if (bit(pe->sr[SS_REG_HCR_EL2], SS_HCR_VSE_MASK))
			fail(k, pe, "exception %u: HCR_EL2.VSE still 1 after the vSError was taken",
			     x->number);
		iss = v_iss(cfg, pre);
	}
	check_serror_esr(k, pe, x, iss);
}

static void on_exception(struct checker *k, const struct ss_pe *pe, const struct ss_trace *t)
{
	const struct ss_exception *x = t->exc;
	const uint64_t *pre = k->s.sr;
	if (k->stats && (unsigned)x->cause < SS_CAUSE_COUNT)
		k->stats->exc[x->cause]++;
	switch (x->cause) {
	case SS_CAUSE_PSERROR:
		on_pserror(k, pe, x);
		break;
	case SS_CAUSE_VSERROR:
		on_vserror(k, pe, x);
		break;
	case SS_CAUSE_VIRQ:
	case SS_CAUSE_VFIQ: {
		bool fiq = x->cause == SS_CAUSE_VFIQ;
		if (!virq_unmasked(k->cfg, pre, fiq))
			fail(k, pe, "exception %u: %s taken while not pending and unmasked", x->number,
			     ss_cause_name(x->cause));
		if (x->to_el != 1)
			fail(k, pe, "exception %u: %s to EL%u", x->number, ss_cause_name(x->cause), x->to_el);
		check_entry_common(k, pe, x, fiq ? 0x100 : 0x080, true);
		break;
	}
	case SS_CAUSE_IRQ:
	case SS_CAUSE_FIQ: {
		bool fiq = x->cause == SS_CAUSE_FIQ;
		struct route r = my_intr_route(k->cfg, pre, fiq);
		if (!k->intr_up[fiq] || r.masked)
			fail(k, pe, "exception %u: %s taken while not pending and unmasked (class %c)",
			     x->number, ss_cause_name(x->cause), r.cls);
		else if (x->to_el != r.target)
			fail(k, pe, "exception %u: %s taken to EL%u, routing gives EL%u", x->number,
			     ss_cause_name(x->cause), x->to_el, r.target);
		if (x->has_esr || x->iesb)
			fail(k, pe, "exception %u: %s with a syndrome or by an implicit ESB", x->number,
			     ss_cause_name(x->cause));
		check_entry_common(k, pe, x, fiq ? 0x100 : 0x080, true);
		break;
	}
	default:
		check_entry_common(k, pe, x, 0, false);
		if (x->iesb)
			fail(k, pe, "exception %u: synchronous exception marked as taken by an implicit ESB",
			     x->number);
		break;
	}
	k->after_insn_exc = true;
}

static void on_defer(struct checker *k, const struct ss_pe *pe, const struct ss_trace *t)
{
	const struct ss_config *cfg = k->cfg;
	const uint64_t *pre = k->s.sr;
	bool explicit_esb = k->insn && k->insn->op == SS_OP_ESB && !k->after_insn_exc && cfg->ras &&
			    pe->iesb_nest == 0;
	/* IWDSBL: the implicit ESB never writes DISR_EL1 / VDISR_EL2; only an
	 * ESB with FEAT_RAS defers (ARM-M C6.2 ESB, D20.5.3; docs/rules.md R4). */
	if (!explicit_esb) {
		fail(k, pe, "%s written by a deferral outside an explicit ESB with RAS (insn '%s', "
			    "after exception %d, iesb_nest %u)",
		     ss_sysregs[t->reg].name, k->insn ? ss_op_name(k->insn->op) : "none",
		     (int)k->after_insn_exc, pe->iesb_nest);
		return;
	}
	if (t->reg == SS_REG_DISR_EL1) {
		struct route r = my_route(cfg, pre);
		if (!r.masked)
			fail(k, pe, "DISR_EL1 deferral while the physical SError is unmasked (class %c)",
			     r.cls);
		struct pick p = predict(k, true);
		if (p.rep < 0) {
			fail(k, pe, "DISR_EL1 deferral with no synchronizable condition pending");
			return;
		}
		uint64_t want = DISR_A_BIT | p.iss;
		if (!(p.iss & ISS_IDS))	/* DISR has no IESB bit; 23:13 and 8:6 RES0 */
			want = DISR_A_BIT | (p.iss & (ISS_AET_MASK | ISS_EA | ISS_DFSC_MASK));
		if (t->value != want || pe->sr[SS_REG_DISR_EL1] != want)
			fail(k, pe, "DISR_EL1 = 0x%" PRIx64 " after deferral, expected 0x%" PRIx64,
			     pe->sr[SS_REG_DISR_EL1], want);
		if (!t->cond || t->cond->seq != (uint64_t)p.rep)
			fail(k, pe, "deferral names condition #%d, merge policy picks seq %d",
			     t->cond ? (int)t->cond->id : -1, p.rep);
		consume(k, &p, true);
		k->deferred = true;
		if (k->stats)
			k->stats->defers++;
	} else if (t->reg == SS_REG_VDISR_EL2) {
		uint64_t hcr = pre[SS_REG_HCR_EL2];
		if (el_of(pre) > 1 || !v_enabled(cfg, pre, hcr) || !bit(hcr, SS_HCR_VSE_MASK) || !pA(pre))
			fail(k, pe, "VDISR_EL2 deferral without a pending, masked vSError at EL0/EL1 "
				    "(EL%u, HCR_EL2=0x%" PRIx64 ", PSTATE.A=%u)",
			     el_of(pre), hcr, (unsigned)pA(pre));
		if (cfg->vsesr_raz_wi && !cfg->esb_defers_raz_vserror)
			fail(k, pe, "VDISR_EL2 deferral with VSESR_EL2 RAZ/WI and esb_defers_raz_vserror off");
		if (cfg->esb_vse == SS_ESB_VSE_UNCHANGED && any_pending(k) && !my_route(cfg, pre).masked)
			fail(k, pe, "VDISR_EL2 deferral while an unmasked physical SError is taken "
				    "(esb_vse = unchanged, ARM-M D20.5.1)");
		uint64_t want = DISR_A_BIT | (cfg->vsesr_raz_wi ? 0 : (pre[SS_REG_VSESR_EL2] & ISS_MASK));
		if (t->value != want || pe->sr[SS_REG_VDISR_EL2] != want)
			fail(k, pe, "VDISR_EL2 = 0x%" PRIx64 " after deferral, expected 0x%" PRIx64,
			     pe->sr[SS_REG_VDISR_EL2], want);
		k->vdeferred = true;
		if (k->stats)
			k->stats->vdefers++;
	} else {
		fail(k, pe, "deferral into %s", ss_sysregs[t->reg].name);
	}
}

void chk_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct checker *k = ctx;
	if (k->trace)
		print_trace(k->trace, pe, t);
	switch (t->kind) {
	case SS_TR_INSN:
		on_insn(k, pe, t);
		break;
	case SS_TR_RAISE:
		on_raise(k, pe, t);
		break;
	case SS_TR_VISIBLE:
		on_visible(k, pe, t);
		break;
	case SS_TR_LOWER:
		on_lower(k, pe, t);
		break;
	case SS_TR_EXCEPTION:
		on_exception(k, pe, t);
		break;
	case SS_TR_ERET:
		k->after_insn_exc = true;
		break;
	case SS_TR_DEFER:
		on_defer(k, pe, t);
		break;
	case SS_TR_INTR:
		if (t->intr <= 1 && t->line < 64)
			k->intr_up[t->intr] = t->value ? k->intr_up[t->intr] | UINT64_C(1) << t->line
						       : k->intr_up[t->intr] & ~(UINT64_C(1) << t->line);
		break;
	default:
		break;
	}
	if (t->kind != SS_TR_RAISE)
		k->last_virt_raise = -1;
	if (t->kind == SS_TR_EXCEPTION)
		k->just_entered = true;
	else if (t->kind != SS_TR_VISIBLE)
		k->just_entered = false;
	k->have_last = true;
	k->last_kind = t->kind;
	k->last_reg = t->reg;
	k->last_old = t->old;
	snap(k, pe);
}

/* --- per-step and end-of-run checks ------------------------------------------ */

/* The mirror and the model's ledger agree on what is still live. */
static void check_mirror(struct checker *k, const struct ss_pe *pe)
{
	if (k->overflow)
		return;
	if (pe->nraised != k->nc) {
		fail(k, pe, "the PE raised %" PRIu64 " conditions, %u were traced", pe->nraised, k->nc);
		return;
	}
	for (uint32_t i = 0; i < pe->ncond; i++) {
		const struct ss_condition *c = &pe->cond[i];
		if (c->seq >= k->nc) {
			fail(k, pe, "ledger entry %u has seq %" PRIu64 ", never raised", i, c->seq);
			return;
		}
		const struct chk_cond *m = &k->c[c->seq];
		if (!m->phys)
			continue;
		bool live = c->disp == SS_DISP_PENDING || c->disp == SS_DISP_IN_FLIGHT;
		if (live != m->live || (live && (c->disp == SS_DISP_PENDING) != m->visible)) {
			fail(k, pe, "condition seq %" PRIu64 " is %s in the ledger, but should be %s", c->seq,
			     ss_disposition_name(c->disp),
			     !m->live ? "consumed or lowered" : m->visible ? "pending" : "in flight");
			return;
		}
	}
}

void chk_step_end(struct checker *k, const struct ss_pe *pe)
{
	const char *err = ss_ledger_check(pe);
	if (err)
		fail(k, pe, "ss_ledger_check: %s", err);
	if (k->expect_defer && !k->deferred)
		fail(k, pe, "ESB with a masked, synchronizable SError pending did not defer it into "
			    "DISR_EL1 (docs/rules.md R4.1 AArch64.ESBOperation)");
	if (k->expect_vdefer && !k->vdeferred)
		fail(k, pe, "ESB with a pending vSError masked by PSTATE.A did not defer it into "
			    "VDISR_EL2 (docs/rules.md R4.1 AArch64.vESBOperation)");
	if (k->expect_take && !k->took)
		fail(k, pe, "ESB with an unmasked SError pending did not take it (ARM-M C6.2 ESB; docs/rules.md R4.1, RKNWBN)");
	if (k->mrs_check && !k->after_insn_exc) {
		if (pe->x[k->mrs_rd] != k->mrs_want)
			fail(k, pe, "mrs x%u, %s read 0x%" PRIx64 ", expected 0x%" PRIx64, k->mrs_rd,
			     ss_sysregs[k->mrs_reg].name, pe->x[k->mrs_rd], k->mrs_want);
		if (k->stats)
			k->stats->reads_checked++;
	}
	check_mirror(k, pe);
	if (k->stats)
		k->stats->steps++;
}

void chk_finish(struct checker *k, const struct ss_pe *pe)
{
	const char *err = ss_ledger_check(pe);
	if (err)
		fail(k, pe, "ss_ledger_check at the end: %s", err);
	uint64_t sum = 0;
	for (int d = 0; d < SS_DISP_COUNT; d++)
		sum += ss_ledger_count(pe, (enum ss_disposition)d);
	if (sum != pe->nraised)
		fail(k, pe, "dispositions account for %" PRIu64 " of %" PRIu64 " conditions", sum,
		     pe->nraised);
	if (!k->overflow && pe->nraised != k->nc)
		fail(k, pe, "the PE raised %" PRIu64 " conditions, %u were traced", pe->nraised, k->nc);
	if (pe->nexc != k->nexc)
		fail(k, pe, "%u exceptions counted by the PE, %u entries traced", pe->nexc, k->nexc);
	if (k->stats) {
		k->stats->runs++;
		if ((unsigned)pe->stop < 8)
			k->stats->stops[pe->stop]++;
	}
}
