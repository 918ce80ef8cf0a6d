/*
 * qexport.c - load a scenario, decide whether QEMU 7.2 can express it, and
 * write it as a bare-metal AArch64 program (docs/qemu.md "The program").
 *
 * The program runs at EL3 first (-M virt,secure=on starts there): it sets the
 * scenario's initial state and ERETs into it.  EL3 is then a monitor: the
 * scenario's vector tables are reached through shadow tables whose entries
 * record the state with SMC, and each 'end' branches to a stub that records
 * the final state the same way and exits through semihosting.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "profile.h"
#include "qexport.h"
#include "vectors.h"

/* --- loading ------------------------------------------------------------------ */

static void on_start(void *ctx, const struct ss_pe *pe)
{
	struct qex *q = ctx;
	if (q->pe0)
		return;
	q->pe0 = malloc(sizeof *q->pe0);
	if (q->pe0)
		memcpy(q->pe0, pe, sizeof *pe);
	if (pe->prog && pe->prog->n) {
		q->insns = malloc(pe->prog->n * sizeof *q->insns);
		if (q->insns) {
			memcpy(q->insns, pe->prog->insns, pe->prog->n * sizeof *q->insns);
			q->ninsn = pe->prog->n;
		}
	}
	q->cur_el = ss_pe_el(pe);
	if (q->cur_el == 3)
		q->el3_used = true;
	if (SS_GET(HCR_TSC, pe->sr[SS_REG_HCR_EL2]))
		q->tsc_set = true;
}

static void on_trace(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct qex *q = ctx;
	switch (t->kind) {
	case SS_TR_INSN:
		if (t->insn && (t->insn->op == SS_OP_LDR || t->insn->op == SS_OP_STR))
			q->nldst++;
		break;
	case SS_TR_EXCEPTION:
		if (t->exc && t->exc->cause == SS_CAUSE_DABT)
			q->ndabt++;
		if (t->exc && (t->exc->cause == SS_CAUSE_DABT || t->exc->cause == SS_CAUSE_IABT) &&
		    !q->sea_to_el) {
			/* QEMU 7.2's target for a synchronous External abort:
			 * target/arm/tlb_helper.c arm_deliver_fault takes it to
			 * exception_target_el() = MAX(1, current EL), and
			 * op_helper.c raise_exception moves EL1 to EL2 with the
			 * effective HCR_EL2.TGE = 1; neither reads HCR_EL2.TEA
			 * nor SCR_EL3.EA (docs/qemu.md, known QEMU differences). */
			unsigned from = q->cur_el, qto = from > 1 ? from : 1;
			if (qto == 1 && SS_GET(HCR_TGE, pe->sr[SS_REG_HCR_EL2]) &&
			    SS_GET(SCR_NS, pe->sr[SS_REG_SCR_EL3]))
				qto = 2;
			if (qto != t->exc->to_el) {
				q->sea_to_el = t->exc->to_el;
				q->sea_qemu_el = qto;
			}
		}
		if (t->exc) {
			q->cur_el = t->exc->to_el;
			if (t->exc->to_el == 3)
				q->el3_used = true;
			if (q->nexc == q->capexc) {
				size_t cap = q->capexc ? q->capexc * 2 : 8;
				struct qexc *nv = realloc(q->exc, cap * sizeof *nv);
				if (!nv)
					break;
				q->exc = nv;
				q->capexc = cap;
			}
			q->exc[q->nexc++] = (struct qexc){ .vector = t->exc->vector, .esr = t->exc->esr,
							   .elr = t->exc->elr, .spsr = t->exc->spsr,
							   .to_el = t->exc->to_el,
							   .has_esr = t->exc->has_esr };
		}
		break;
	case SS_TR_ERET:
		q->cur_el = t->to_el;
		if (t->to_el == 3)
			q->el3_used = true;
		break;
	case SS_TR_SYSREG:
		if (t->reg == SS_REG_HCR_EL2 && SS_GET(HCR_TSC, t->value))
			q->tsc_set = true;
		break;
	case SS_TR_STOP:
		q->end_el = q->cur_el;
		q->stop_pc = pe->pc;
		break;
	default:
		break;
	}
}

static bool skip(struct qex *q, const char *fmt, const char *a, const char *b, const char *c)
{
	if (!q->reason[0])
		snprintf(q->reason, sizeof q->reason, fmt, a ? a : "", b ? b : "", c ? c : "");
	return false;
}

/* EL3 state belongs to the monitor ("Qemu monitor" in sysregs.txt). */
static bool monitor_reg(enum ss_reg r)
{
	return (ss_sysregs[r].qemu & SS_QEMU_MONITOR) != 0;
}

/* Registers FEAT_RAS adds: UNDEFINED on a target without it (QEMU 7.2
 * registers helper.c minimal_ras_reginfo only with aa64_ras). */
static bool ras_reg(enum ss_reg r)
{
	return ss_sysregs[r].feature == SS_FEAT_RAS;
}

/* Does the expression name a label or a register's initial value (an
 * address, as far as the export can tell)?  Labels are known once laid out. */
static bool expr_has_name(const struct ast *ast, const struct labels *labels,
			  const struct ast_expr *e)
{
	for (unsigned i = 0; i < e->n; i++) {
		const struct ast_term *t = ast_t(ast, e, i);
		if (!t->is_name)
			continue;
		const char *nm = ast_s(ast, t->name);
		if ((labels && scn_labels_find(labels, ast, nm)) || ss_sysreg_by_name(nm))
			return true;
	}
	return false;
}

static const struct ss_insn *insn_at(const struct qex *q, uint64_t addr, size_t *idx)
{
	const struct ss_program prog = { q->insns, q->ninsn };
	size_t i = ss_program_index(&prog, addr);
	if (i == SIZE_MAX)
		return NULL;
	if (idx)
		*idx = i;
	return &q->insns[i];
}

/* The exported program's records are taken by its EL3 monitor, so the
 * targets with EL3 (secure=on) come first; qemu-7.2, QEMU's default virt
 * machine without EL3, is chosen only by a scenario that asks for el3 = off,
 * which is then skipped (see qex_load). */
const struct qtarget qex_targets[] = {
	{ "qemu-7.2-secure", "max", true, true },
	{ "qemu-7.2-v8.0", "cortex-a57", false, true },
	{ "qemu-7.2", "max", true, false },
	{ NULL, NULL, false, false },
};

/* The first knob of [cpu] (only knob 'only', when not NULL) whose value
 * contradicts profile p: its index in q->ast.knobs and the profile entry's. */
static bool profile_conflict(const struct qex *q, const struct ss_profile *p, const char *only,
			     size_t *ki, size_t *pj)
{
	const struct ss_knob *want = only ? ss_knob_find(only) : NULL;
	for (size_t i = 0; i < q->ast.knobs.n; i++) {
		const struct ast_knob *k = &q->ast.knobs.v[i];
		const struct ss_knob *kn = ss_knob_find(k->name);
		if (!kn || (only && kn != want))
			continue;
		for (size_t j = 0; j < p->n; j++) {
			if (ss_knob_find(p->entries[j].knob) != kn)
				continue;
			struct ss_config a, b;
			ss_config_default(&a);
			b = a;
			if (ss_knob_set(&a, kn, k->value) || ss_knob_set(&b, kn, p->entries[j].value))
				continue;
			if (ss_knob_get(&a, kn) != ss_knob_get(&b, kn)) {
				*ki = i;
				*pj = j;
				return true;
			}
		}
	}
	return false;
}

/* Features no QEMU 7.2 CPU has (QEMU v7.2.0 target/arm/cpu64.c
 * aarch64_max_initfn sets neither ID_AA64PFR1_EL1.DF2 nor
 * ID_AA64MMFR3_EL1.SCTLRX): a scenario that turns one on is skipped with
 * that reason. */
static bool missing_feature(struct qex *q)
{
	static const struct {
		const char *knob, *reason;
	} none[] = {
		{ "double_fault2", "QEMU 7.2 has no FEAT_DoubleFault2 ([cpu] sets double_fault2 = on)" },
		{ "sctlr2", "QEMU 7.2 has no FEAT_SCTLR2 ([cpu] sets sctlr2 = on)" },
		/* QEMU 7.2 target/arm/helper.c: ERRIDR_EL1 reads 0, no records. */
		{ "ras_records", "QEMU 7.2 has no RAS error records ([cpu] sets ras_records)" },
	};
	for (size_t i = 0; i < q->ast.knobs.n; i++) {
		const struct ast_knob *k = &q->ast.knobs.v[i];
		const struct ss_knob *kn = ss_knob_find(k->name);
		struct ss_config c;
		ss_config_default(&c);
		if (!kn || ss_knob_set(&c, kn, k->value) || !ss_knob_get(&c, kn))
			continue;
		for (size_t j = 0; j < sizeof none / sizeof none[0]; j++)
			if (strcmp(kn->name, none[j].knob) == 0)
				return skip(q, "%s", none[j].reason, 0, 0), true;
	}
	return false;
}

/*
 * The target: the first whose profile [cpu] does not contradict ([cpu] here
 * means every PE section the parser collects knobs from, [host] included).
 * When every profile is contradicted, the scenario is skipped with the
 * conflict against the target that has the scenario's FEAT_RAS choice (the
 * CPU it describes); when the sections ask for both, with that reason.
 */
static const struct qtarget *choose_target(struct qex *q, bool *ok)
{
	const struct qtarget *best = NULL;
	for (const struct qtarget *t = qex_targets; t->profile; t++) {
		const struct ss_profile *p = ss_profile_find(t->profile);
		size_t ki, pj;
		if (!profile_conflict(q, p, NULL, &ki, &pj)) {
			*ok = true;
			return t;
		}
		if (!best && !profile_conflict(q, p, "ras", &ki, &pj))
			best = t;
	}
	if (!best) {
		/* [cpu] and a [host] section disagree on FEAT_RAS. */
		*ok = false;
		skip(q, "[cpu] and [host] sections set ras both on and off (a migration between PEs with and without FEAT_RAS; each QEMU CPU has one)", 0, 0, 0);
		return &qex_targets[0];
	}
	const struct ss_profile *p = ss_profile_find(best->profile);
	size_t ki, pj;
	profile_conflict(q, p, NULL, &ki, &pj);
	const struct ast_knob *k = &q->ast.knobs.v[ki];
	char what[256], prof[160];
	snprintf(what, sizeof what, "%s = %s", k->name, k->value);
	snprintf(prof, sizeof prof, "%s (-cpu %s)", p->name, best->cpu);
	*ok = false;
	skip(q, "[cpu] sets %s; %s has %s", what, prof, p->entries[pj].knob);
	size_t l = strlen(q->reason);
	snprintf(q->reason + l, sizeof q->reason - l, " = %s", p->entries[pj].value);
	return best;
}

/*
 * What a physical access finds in QEMU 7.2's virt machine below its RAM
 * and above it (QEMU v7.2.0 hw/arm/virt.c base_memmap, virt_set_memmap;
 * the export runs with MMU off, so a scenario address is the physical
 * address).  Two windows are unassigned.  VIRT_MMIO puts
 * NUM_VIRTIO_TRANSPORTS (32) virtio-mmio transports of 0x200 bytes from
 * 0x0a000000, so they end at 0x0a003fff, and the next entry,
 * VIRT_PLATFORM_BUS, starts at 0x0c000000; nothing is mapped in between.
 * RAM (VIRT_MEM) starts at 1 GiB and -m 512M ends it at 0x5fffffff;
 * virt_set_memmap creates no device memory without memory slots
 * (device_memory_size = 0) and places the high regions (VIRT_HIGH_*) at
 * 256 GiB at the lowest, so nothing is mapped from 0x60000000 to
 * 0x3fffffffff.
 * A load, store or instruction fetch there is a transaction the memory
 * system fails with MEMTX_DECODE_ERROR, which TCG reports through
 * target/arm/tlb_helper.c arm_cpu_do_transaction_failed: a synchronous
 * External abort (fi.type = ARMFault_SyncExternal, DFSC/IFSC 0b010000) with
 * ESR.EA = arm_extabort_type() = 0 for a decode error (target/arm/
 * internals.h), taken by arm_deliver_fault to op_helper.c
 * exception_target_el() (the current EL, at least EL1; raise_exception
 * moves EL1 to EL2 with HCR_EL2.TGE = 1) with syn_data_abort_no_iss /
 * syn_insn_abort: IL = 1, ISV = 0 (but see qcompare.c isv_difference),
 * SET = 0, FnV = 0, WnR for a store; FAR_ELx = the address.
 * Observed with -cpu max: a load at 0xa010008 from EL3 gives ESR_EL3 =
 * 0x96000010, a store 0x96000050, a fetch at 0xa010000 0x86000010, FAR the
 * address, and the same at 0x60000000; a load at 0xa003ff0 (a transport)
 * or 0xa000 (flash) does not abort.  The other entries say what an access
 * finds instead, for the skip reason.
 */
static const struct qex_pa_window {
	uint64_t lo, hi;
	bool aborts;
	const char *what;	/* "the [memory] range LO-HI <what>" */
} qex_virt_map[] = {
	{ 0x00000000, 0x07ffffff, false, "is flash (VIRT_FLASH) in QEMU's virt machine: no abort there" },
	{ 0x08000000, 0x09ffffff, false, "overlaps the GIC and platform devices of QEMU's virt machine (VIRT_GIC_*, VIRT_UART .. VIRT_SECURE_GPIO): device registers, not a window the export relies on" },
	{ 0x0a000000, 0x0a003fff, false, "overlaps the virtio-mmio transports of QEMU's virt machine (VIRT_MMIO): no abort there" },
	{ 0x0a004000, 0x0bffffff, true, "is unassigned" },
	{ 0x0c000000, 0x0dffffff, false, "overlaps the platform bus of QEMU's virt machine (VIRT_PLATFORM_BUS), where devices may be plugged: not a window the export relies on" },
	{ 0x0e000000, 0x0fffffff, false, "overlaps Secure RAM of QEMU's virt machine (VIRT_SECURE_MEM) or the hole after it: not a window the export relies on" },
	{ 0x10000000, 0x3fffffff, false, "overlaps the PCIe windows of QEMU's virt machine (VIRT_PCIE_MMIO, _PIO, _ECAM): not a window the export relies on" },
	{ 0x40000000, 0x5fffffff, false, "is RAM in QEMU's virt machine (VIRT_MEM, -m 512M; the exported program runs there): no abort there" },
	{ 0x60000000, 0x3fffffffffull, true, "is unassigned" },
	{ 0x4000000000ull, ~0ull, false, "overlaps the high memory map of QEMU's virt machine (VIRT_HIGH_*, from 256 GiB) or lies beyond it: not a window the export relies on" },
};
#define QEX_NWIN (sizeof qex_virt_map / sizeof qex_virt_map[0])

/* Is [lo, hi] wholly inside a window where QEMU aborts every access? */
static bool in_abort_window(uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < QEX_NWIN; i++)
		if (qex_virt_map[i].aborts && lo >= qex_virt_map[i].lo && hi <= qex_virt_map[i].hi &&
		    lo <= hi)
			return true;
	return false;
}

/* Instructions placed where a fetch aborts in both: never executed, not
 * emitted (the exported image could not hold them there). */
static bool fetch_aborts(const struct qex *q, uint64_t addr)
{
	for (unsigned i = 0; i < q->pe0->nmem; i++) {
		const struct ss_mem_region *r = &q->pe0->mem[i];
		if (addr >= r->lo && addr + 3 <= r->hi && (r->abort & SS_MEM_FETCH) &&
		    in_abort_window(r->lo, r->hi))
			return true;
	}
	return false;
}

/*
 * [memory] ranges: each must abort, lie wholly inside an unassigned window
 * and declare the syndrome QEMU gives there (EA = 0, SET = UER, FnV = 0);
 * otherwise the scenario is skipped with the reason.  Which accesses abort
 * is checked on serrsim's run (every load and store executed must abort).
 */
static bool check_memory(struct qex *q)
{
	char win[128] = "";
	for (size_t j = 0; j < QEX_NWIN; j++) {
		size_t l = strlen(win);
		if (qex_virt_map[j].aborts)
			snprintf(win + l, sizeof win - l, "%s0x%llx-0x%llx", l ? " and " : "",
				 (unsigned long long)qex_virt_map[j].lo,
				 (unsigned long long)qex_virt_map[j].hi);
	}
	for (unsigned i = 0; i < q->pe0->nmem; i++) {
		const struct ss_mem_region *r = &q->pe0->mem[i];
		char rng[64];
		snprintf(rng, sizeof rng, "0x%llx-0x%llx", (unsigned long long)r->lo,
			 (unsigned long long)r->hi);
		if (!in_abort_window(r->lo, r->hi)) {
			const char *what = "spans windows of QEMU's virt machine";
			for (size_t j = 0; j < QEX_NWIN; j++) {
				const struct qex_pa_window *m = &qex_virt_map[j];
				if (!m->aborts && r->lo <= m->hi && r->hi >= m->lo) {
					what = m->what;
					break;
				}
			}
			return skip(q, "the [memory] range %s %s (the export compares aborts only in the unassigned windows %s)",
				    rng, what, win);
		}
		if (!r->abort)
			return skip(q, "the [memory] range %s does not abort (value= only): QEMU aborts every access to the windows %s%s",
				    rng, win, "");
		if (r->ea)
			return skip(q, "the [memory] range %s declares ESR.EA = 1; QEMU 7.2 reports a decode error there, EA = 0 (target/arm/internals.h arm_extabort_type): declare ea=0%s",
				    rng, "", 0);
		if (q->target->ras && r->set != SS_SET_UER)
			return skip(q, "the [memory] range %s declares ESR.SET other than UER; QEMU 7.2 writes SET = 0 (syn_data_abort_no_iss, syn_insn_abort have no SET field)%s",
				    rng, "", 0);
		if (r->fnv)
			return skip(q, "the [memory] range %s declares fnv; QEMU 7.2 always writes FAR_ELx (FnV = 0)%s",
				    rng, "", 0);
	}
	return true;
}

static bool check_expectations(struct qex *q)
{
	struct ss_diags d;
	d.n = d.dropped = 0;
	for (size_t i = 0; i < q->ast.expects.n; i++) {
		const struct ast_expect *e = &q->ast.expects.v[i];
		if (e->block == AST_BLOCK_CYCLE)
			return skip(q, "[expect cycle N]: QEMU has no cycle count", 0, 0, 0);
		struct target t;
		if (!scn_resolve_target(&q->ast, e->lhs, e->lhs_pos, (int)e->block, &t, &d))
			return skip(q, "expectation '%s' does not resolve", ast_s(&q->ast, e->lhs), 0, 0);
		if ((t.kind == TGT_SR || t.kind == TGT_FIELD) && monitor_reg(t.reg))
			return skip(q, "expectation reads %s (EL3 is the export's monitor)",
				    ss_sysregs[t.reg].name, 0, 0);
		if ((t.kind == TGT_SR || t.kind == TGT_FIELD) && !q->target->ras && ras_reg(t.reg))
			return skip(q, "expectation reads %s (UNDEFINED on -cpu %s: no record holds it)",
				    ss_sysregs[t.reg].name, q->target->cpu, 0);
		if ((t.kind == TGT_SR || t.kind == TGT_FIELD) && t.reg == SS_REG_ISR_EL1 &&
		    e->block == AST_BLOCK_FINAL && q->end_el == 0)
			return skip(q, "expectation reads ISR_EL1 at the end of a run at EL0 (EL0 cannot read it for the record)", 0, 0, 0);
		if (t.kind != TGT_PSEUDO)
			continue;
		switch (t.ps) {
		case PS_EXCEPTIONS: case PS_EXCEPTIONS_AT: case PS_STOP: case PS_CAUSE:
		case PS_VECTOR: case PS_OFFSET: case PS_FROM_EL: case PS_TO_EL: case PS_IESB:
		case PS_ESR: case PS_ELR: case PS_SPSR:
			break;
		default:
			return skip(q, "expectation reads '%s' (the model's bookkeeping; QEMU has no equivalent)",
				    ast_s(&q->ast, e->lhs), 0, 0);
		}
	}
	return true;
}

static bool check_code(struct qex *q)
{
	uint64_t maxaddr = 0;
	for (size_t i = 0; i < q->ninsn; i++) {
		const struct ss_insn *in = &q->insns[i];
		if (fetch_aborts(q, in->addr))
			continue;	/* never executed, not emitted */
		if (in->addr > maxaddr)
			maxaddr = in->addr;
		const struct ss_insn_info *inf = ss_insn_info(in->op);
		if (inf && (inf->form == SS_FORM_LABEL || inf->form == SS_FORM_COND_LABEL ||
			    inf->form == SS_FORM_REG_LABEL || inf->form == SS_FORM_REG_BIT_LABEL) &&
		    in->target >= QEX_MAX_ADDR)
			return skip(q, "a branch to a label beyond 0xe0000 (labels move with the exported image; reach the unassigned window by ERET or a register)", 0, 0, 0);
		if (in->op == SS_OP_SMC)
			return skip(q, "the program executes SMC (EL3 is the export's monitor)", 0, 0, 0);
		if ((in->op == SS_OP_MRS || in->op == SS_OP_MSR) && monitor_reg(in->sreg))
			return skip(q, "the program accesses %s (EL3 is the export's monitor)",
				    ss_sysregs[in->sreg].name, 0, 0);
		/* VBAR_EL12 is VBAR_EL1 under another name (sysregs.txt Alias). */
		enum ss_reg named = (unsigned)in->sreg < SS_REG_COUNT && ss_sysregs[in->sreg].alias != SS_REG_COUNT
					    ? ss_sysregs[in->sreg].alias
					    : in->sreg;
		if ((in->op == SS_OP_MSR || in->op == SS_OP_MRS) && named != in->sreg &&
		    (named == SS_REG_VBAR_EL1 || named == SS_REG_VBAR_EL2))
			return skip(q, "the program accesses %s (the export owns the vector base)",
				    ss_sysregs[in->sreg].name, 0, 0);
		if (in->op == SS_OP_MSR && (in->sreg == SS_REG_VBAR_EL1 || in->sreg == SS_REG_VBAR_EL2))
			return skip(q, "the program writes %s (the export owns the vector base)",
				    ss_sysregs[in->sreg].name, 0, 0);
	}
	uint64_t vb1 = q->pe0->sr[SS_REG_VBAR_EL1], vb2 = q->pe0->sr[SS_REG_VBAR_EL2];
	if (maxaddr >= QEX_MAX_ADDR || vb1 >= QEX_MAX_ADDR || vb2 >= QEX_MAX_ADDR ||
	    q->pe0->pc >= QEX_MAX_ADDR)
		return skip(q, "addresses beyond 0xe0000 (the exported image keeps the scenario's layout within LDR-literal range)", 0, 0, 0);
	if ((vb1 | vb2) & (SS_VEC_TABLE_SIZE - 1))
		return skip(q, "a vector base is not 2 KiB aligned", 0, 0, 0);
	return true;
}

static bool check_init(struct qex *q)
{
	struct ss_diags d;
	d.n = d.dropped = 0;
	for (size_t i = 0; i < q->ast.init.n; i++) {
		const struct ast_init *in = &q->ast.init.v[i];
		struct target t;
		if (!scn_resolve_target(&q->ast, in->target, in->pos, -1, &t, &d))
			continue;
		if ((t.kind == TGT_SR || t.kind == TGT_FIELD) && monitor_reg(t.reg))
			return skip(q, "[init] sets %s (EL3 is the export's monitor)",
				    ss_sysregs[t.reg].name, 0, 0);
		if ((t.kind == TGT_SR || t.kind == TGT_FIELD) && !q->target->ras && ras_reg(t.reg))
			return skip(q, "[init] sets %s (UNDEFINED on -cpu %s)", ss_sysregs[t.reg].name,
				    q->target->cpu, 0);
		bool named = expr_has_name(&q->ast, &q->prog.labels, &in->value);
		if (t.kind == TGT_X)
			q->reloc_x[t.x] = named;
		else if (t.kind == TGT_SR)
			q->reloc_sr[t.reg] = named;
	}
	q->reloc_sr[SS_REG_ELR_EL1] = q->reloc_sr[SS_REG_ELR_EL2] = true;
	return true;
}

/* Immediates written with a label (or register) name are addresses. */
static void mark_relocations(struct qex *q)
{
	for (size_t i = 0; i < q->ast.code.n; i++) {
		const struct ast_code *c = &q->ast.code.v[i];
		if (c->kind != AST_CODE_INSN)
			continue;
		bool named = false;
		for (unsigned j = 0; j < c->nops; j++)
			if (expr_has_name(&q->ast, &q->prog.labels, &c->ops[j].e))
				named = true;
		size_t idx;
		if (named && insn_at(q, q->prog.addr[i], &idx))
			q->reloc_imm[idx] = true;
	}
}

bool qex_load(struct qex *q, const char *path)
{
	memset(q, 0, sizeof *q);
	q->path = path;
	const char *base = strrchr(path, '/');
	snprintf(q->name, sizeof q->name, "%s", base ? base + 1 : path);
	char *dot = strrchr(q->name, '.');
	if (dot && !strcmp(dot, ".scn"))
		*dot = 0;
	ss_result_init(&q->res);

	struct ss_diags d;
	d.n = d.dropped = 0;
	size_t len;
	q->text = ss_scenario_read_file(path, &len, &d);
	if (!q->text)
		return skip(q, "cannot read the file", 0, 0, 0);
	/* The [cpu] section chooses the target (and so the profile). */
	q->have_ast = true;
	bool parsed = scn_ast_parse(q->text, len, &q->ast, &d);
	bool fits = true;
	q->target = parsed ? choose_target(q, &fits) : &qex_targets[0];
	if (parsed && fits && missing_feature(q))
		fits = false;
	const struct ss_profile *p = ss_profile_find(q->target->profile);
	struct ss_knob_override ov[64];
	size_t nov = 0;
	ss_profile_overrides(p, ov, &nov, 64);
	struct ss_observer obs = { .notify = on_trace, .ctx = q };
	struct ss_run_options opt;
	memset(&opt, 0, sizeof opt);
	opt.overrides = ov;
	opt.noverrides = nov;
	opt.trace = &obs;
	opt.trace_start = on_start;
	enum ss_status st = ss_scenario_run_file(path, &opt, &q->res);
	if (q->res.name[0])
		snprintf(q->name, sizeof q->name, "%s", q->res.name);
	if (q->res.variants) {
		q->reason[0] = 0;
		return skip(q, "a template (run its variants with serrsim explore)", 0, 0, 0);
	}
	if (!fits)
		return false;
	if (!q->target->secure)
		return skip(q, "needs %s (-M virt,secure=off, no EL3): the exported program's monitor runs at EL3",
			    p->name, 0, 0);
	if (st == SS_STATUS_ERROR || !parsed) {
		const char *m = q->res.diags.n ? q->res.diags.v[0].msg : "error";
		return skip(q, "serrsim cannot run it under %s: %s", p->name, m, 0);
	}
	for (size_t i = 0; i < q->ast.events.n; i++)
		if (q->ast.events.v[i].kind == AST_EV_SEA)
			return skip(q, "'sea' events (QEMU 7.2 signals a synchronous External abort only for a memory transaction its machine fails; no range can be made to abort from a given point)", 0, 0, 0);
	if (q->pe0 && !check_memory(q))
		return false;
	for (size_t i = 0; i < q->ast.events.n; i++)
		if (q->ast.events.v[i].kind == AST_EV_SERROR || q->ast.events.v[i].kind == AST_EV_LOWER)
			return skip(q, "physical SError events (QEMU 7.2 has no source of physical SErrors)", 0, 0, 0);
	for (size_t i = 0; i < q->ast.events.n; i++)
		if (q->ast.events.v[i].kind == AST_EV_IRQ || q->ast.events.v[i].kind == AST_EV_FIQ)
			return skip(q, "physical IRQ/FIQ line events (QEMU virt asserts a physical IRQ or FIQ only through its GIC: no line can be driven at a given cycle or address without a GIC model in the export)", 0, 0, 0);
	for (size_t i = 0; i < q->ast.events.n; i++)
		if (q->ast.events.v[i].kind != AST_EV_VSERROR)
			return skip(q, "hypervisor events (KVM_SET_VCPU_EVENTS, migration: no QEMU TCG equivalent)", 0, 0, 0);
	if (q->ast.events.n)
		return skip(q, "vserror injection events (a hypervisor injecting at a cycle or address has no QEMU equivalent; set HCR_EL2.VSE instead)", 0, 0, 0);
	if (!q->pe0 || !q->insns)
		return skip(q, "no program", 0, 0, 0);
	q->loaded = true;
	if (q->res.stop != SS_STOP_END)
		return skip(q, "the run stops with '%s', not at end", ss_stop_name(q->res.stop), 0, 0);
	if (q->sea_to_el) {
		char a[16], b[16];
		snprintf(a, sizeof a, "EL%u", q->sea_to_el & 3);
		snprintf(b, sizeof b, "EL%u", q->sea_qemu_el & 3);
		return skip(q, "a synchronous External abort serrsim takes to %s (SyncExternalAbortTarget: HCR_EL2.TEA or SCR_EL3.EA) QEMU 7.2 takes to %s: its arm_deliver_fault routes by exception_target_el, which reads neither (a known QEMU difference, docs/qemu.md)%s",
			    a, b, "");
	}
	if (q->el3_used)
		return skip(q, "the scenario runs at EL3 (EL3 is the export's monitor)", 0, 0, 0);
	if (q->tsc_set)
		return skip(q, "HCR_EL2.TSC = 1 (the export's hooks use SMC)", 0, 0, 0);
	if (SS_GET(SCR_SMD, q->pe0->sr[SS_REG_SCR_EL3]))
		return skip(q, "SCR_EL3.SMD = 1 (the export's hooks use SMC)", 0, 0, 0);

	q->have_prog = true;
	if (!scn_asm_layout(&q->ast, q->pe0->sr, &q->prog, &d))
		return skip(q, "layout failed", 0, 0, 0);
	q->reloc_imm = calloc(q->ninsn, sizeof *q->reloc_imm);
	q->end_addr = calloc(q->ninsn, sizeof *q->end_addr);
	if (!q->reloc_imm || !q->end_addr)
		return skip(q, "out of memory", 0, 0, 0);
	for (size_t i = 0; i < q->ninsn; i++)
		if (q->insns[i].op == SS_OP_END)
			q->end_addr[q->nend++] = q->insns[i].addr;
	if (!check_expectations(q) || !check_code(q) || !check_init(q))
		return false;
	if (q->nldst != q->ndabt)
		return skip(q, "a load or store that does not abort (serrsim reads a [memory] value or 0, or discards the store; the export places no data)", 0, 0, 0);
	mark_relocations(q);
	return true;
}

void qex_free(struct qex *q)
{
	ss_result_free(&q->res);
	free(q->pe0);
	free(q->insns);
	free(q->reloc_imm);
	free(q->end_addr);
	free(q->exc);
	if (q->have_prog)
		scn_program_free(&q->prog);
	if (q->have_ast)
		scn_ast_free(&q->ast);
	free(q->text);
	memset(q, 0, sizeof *q);
}

/* --- writing the program ----------------------------------------------------- */

const char *qex_linker_script(void)
{
	return "ENTRY(_start)\n"
	       "SECTIONS {\n"
	       "  . = 0x48000000;\n"
	       "  .text : { *(.text*) *(.rodata*) *(.data*) *(.bss*) }\n"
	       "  /DISCARD/ : { *(.note*) *(.comment) *(.eh_frame*) }\n"
	       "}\n";
}

static const char *xr(unsigned r, char *buf)
{
	if (r >= 31)
		return "xzr";
	sprintf(buf, "x%u", r);
	return buf;
}

static void sysreg_name(enum ss_reg r, char *buf)
{
	const struct ss_sysreg *s = &ss_sysregs[r];
	sprintf(buf, "s%u_%u_c%u_c%u_%u", s->op0, s->op1, s->crn, s->crm, s->op2);
}

/* An A64 logical (bitmask) immediate? */
static bool bitmask_imm(uint64_t v)
{
	if (v == 0 || v == ~0ull)
		return false;
	for (unsigned size = 2; size <= 64; size *= 2) {
		uint64_t mask = size == 64 ? ~0ull : (1ull << size) - 1;
		uint64_t pat = v & mask;
		bool rep = true;
		for (unsigned i = size; i < 64; i += size)
			if (((v >> i) & mask) != pat)
				rep = false;
		if (!rep)
			continue;
		for (unsigned r = 0; r < size; r++) {
			uint64_t rot = r == 0 ? pat : ((pat >> r) | (pat << (size - r))) & mask;
			if (rot && ((rot + 1) & rot) == 0)
				return true;
		}
	}
	return false;
}

/* #imm of ADD/SUB (immediate), or false. */
static bool addsub_imm(uint64_t v, char *buf)
{
	if (v < 4096) {
		sprintf(buf, "#%llu", (unsigned long long)v);
		return true;
	}
	if ((v & 0xfff) == 0 && (v >> 12) < 4096) {
		sprintf(buf, "#%llu, lsl #12", (unsigned long long)(v >> 12));
		return true;
	}
	return false;
}

struct writer {
	struct qex *q;
	FILE *f;
	size_t nlit;
	uint64_t lit[4096];
};

static bool lit(struct writer *w, uint64_t v, size_t *k)
{
	if (w->nlit >= sizeof w->lit / sizeof w->lit[0])
		return false;
	w->lit[w->nlit] = v;
	*k = w->nlit++;
	return true;
}

static bool emit_mov_imm(struct writer *w, unsigned rd, uint64_t v)
{
	char r[8];
	for (unsigned sh = 0; sh < 64; sh += 16) {
		if ((v & ~(0xffffull << sh)) == 0) {
			fprintf(w->f, "\tmovz %s, #0x%llx, lsl #%u\n", xr(rd, r),
				(unsigned long long)((v >> sh) & 0xffff), sh);
			return true;
		}
		if ((~v & ~(0xffffull << sh)) == 0) {
			fprintf(w->f, "\tmovn %s, #0x%llx, lsl #%u\n", xr(rd, r),
				(unsigned long long)((~v >> sh) & 0xffff), sh);
			return true;
		}
	}
	size_t k;
	if (!lit(w, v, &k))
		return false;
	fprintf(w->f, "\tldr %s, lit_%zu\n", xr(rd, r), k);
	return true;
}

static bool no_form(struct writer *w, const struct ss_insn *in, const char *why)
{
	char a[64];
	snprintf(a, sizeof a, "0x%llx", (unsigned long long)in->addr);
	return skip(w->q, "%s at %s: %s", ss_op_name(in->op), a, why);
}

/* Xn ALU imm for Xn = 0 and Xn = ~0 (the ALU column of isa.def). */
static uint64_t alu(enum ss_alu op, uint64_t a, uint64_t b)
{
	switch (op) {
	case SS_ALU_ADD: return a + b;
	case SS_ALU_SUB: case SS_ALU_SUBS: return a - b;
	case SS_ALU_AND: return a & b;
	case SS_ALU_ORR: return a | b;
	case SS_ALU_EOR: return a ^ b;
	case SS_ALU_BIC: return a & ~b;
	case SS_ALU_NONE: break;
	}
	return 0;
}

/* A logical immediate that is no bitmask immediate: all zeros or all ones
 * make Xd one of Xn, 0, ~0 or ~Xn. */
static bool emit_logic_constant(struct writer *w, const struct ss_insn *in,
				const struct ss_insn_info *r, uint64_t imm)
{
	char a[8], b[8];
	if (imm != 0 && imm != ~0ull)
		return no_form(w, in, "not an A64 bitmask immediate");
	uint64_t lo = alu(r->alu, 0, imm), hi = alu(r->alu, ~0ull, imm);
	if (lo == 0 && hi == ~0ull)
		fprintf(w->f, "\tmov %s, %s\n", xr(in->rd, a), xr(in->rn, b));
	else if (lo == 0 && hi == 0)
		fprintf(w->f, "\tmov %s, xzr\n", xr(in->rd, a));
	else if (lo == ~0ull && hi == ~0ull)
		fprintf(w->f, "\tmovn %s, #0\n", xr(in->rd, a));
	else
		fprintf(w->f, "\tmvn %s, %s\n", xr(in->rd, a), xr(in->rn, b));
	return true;
}

/* The A64 text of an instruction, by its operand form (isa.def). */
static bool emit_insn(struct writer *w, const struct ss_insn *in, size_t idx, size_t *endno)
{
	FILE *f = w->f;
	char a[8], b[8], c[8], s[40], im[40];
	const struct ss_insn_info *r = ss_insn_info(in->op);
	uint64_t imm = in->imm;
	if (w->q->reloc_imm[idx] && imm < QEX_WINDOW)
		imm += QEX_OFFSET;
	if (r && r->form == SS_FORM_STOP) {
		fprintf(f, "\tb end_stub_%zu\n", (*endno)++);
		return true;
	}
	if (r && r->form == SS_FORM_MEM) {
		/* LDR/STR (immediate), 64-bit, unsigned offset: only in a
		 * scenario whose every load and store aborts in QEMU's
		 * unassigned window (check_memory, qex_load). */
		if (in->rn >= 31)
			return no_form(w, in, "base register 31 is SP in A64");
		if (in->imm % 8 || in->imm > 32760)
			return no_form(w, in, "the offset is not a multiple of 8 up to 32760");
		fprintf(f, "\t%s %s, [%s, #%llu]\n", in->op == SS_OP_STR ? "str" : "ldr", xr(in->rd, a),
			xr(in->rn, b), (unsigned long long)in->imm);
		return true;
	}
	if (!r || !r->a64)
		return no_form(w, in, "no A64 translation");
	const char *mn = r->a64, *dot = strchr(mn, '.');
	switch (r->form) {
	case SS_FORM_NONE: fprintf(f, "\t%s\n", mn); break;
	case SS_FORM_BARRIER: fprintf(f, "\t%s sy\n", mn); break;
	case SS_FORM_IMM16: fprintf(f, "\t%s #%llu\n", mn, (unsigned long long)in->imm); break;
	case SS_FORM_SREG_READ:
		sysreg_name(in->sreg, s);
		fprintf(f, "\t%s %s, %s\n", mn, xr(in->rd, a), s);
		break;
	case SS_FORM_SREG_WRITE:
		sysreg_name(in->sreg, s);
		fprintf(f, "\t%s %s, %s\n", mn, s, xr(in->rn, a));
		break;
	case SS_FORM_DAIF_IMM:
	case SS_FORM_SPSEL_IMM:
		fprintf(f, "\t%s, #%llu\n", mn, (unsigned long long)in->imm);
		break;
	case SS_FORM_LABEL:
		fprintf(f, "\t%s scn_base + 0x%llx\n", mn, (unsigned long long)in->target);
		break;
	case SS_FORM_COND_LABEL:	/* "b.cond": "b." and the condition */
		fprintf(f, "\t%.*s%s scn_base + 0x%llx\n", dot ? (int)(dot - mn) + 1 : (int)strlen(mn),
			mn, ss_cond_name((enum ss_cc)in->cond), (unsigned long long)in->target);
		break;
	case SS_FORM_REG_LABEL:
		fprintf(f, "\t%s %s, scn_base + 0x%llx\n", mn, xr(in->rn, a),
			(unsigned long long)in->target);
		break;
	case SS_FORM_REG_BIT_LABEL:
		fprintf(f, "\t%s %s, #%llu, scn_base + 0x%llx\n", mn, xr(in->rn, a),
			(unsigned long long)in->imm, (unsigned long long)in->target);
		break;
	case SS_FORM_RD_IMM:
		if (!emit_mov_imm(w, in->rd, imm))
			return no_form(w, in, "too many literals");
		break;
	case SS_FORM_RD_RM: fprintf(f, "\t%s %s, %s\n", mn, xr(in->rd, a), xr(in->rm, b)); break;
	case SS_FORM_RD_RN_RM:
		fprintf(f, "\t%s %s, %s, %s\n", mn, xr(in->rd, a), xr(in->rn, b), xr(in->rm, c));
		break;
	case SS_FORM_RD_RN_IMM: {
		bool flags = r->zr_alias != NULL;	/* register 31 is XZR as Xd only there */
		if ((!flags && in->rd >= 31) || in->rn >= 31)
			return no_form(w, in, "XZR has no immediate form (register 31 is SP there)");
		if (addsub_imm(imm, im)) {
			fprintf(f, "\t%s %s, %s, %s\n", mn, xr(in->rd, a), xr(in->rn, b), im);
		} else if (r->a64_neg && addsub_imm(0 - imm, im)) {
			fprintf(f, "\t%s %s, %s, %s\n", r->a64_neg, xr(in->rd, a), xr(in->rn, b), im);
		} else {
			return no_form(w, in, "the immediate does not fit one A64 instruction");
		}
		break;
	}
	case SS_FORM_RD_RN_LOGIMM:
		if (!bitmask_imm(imm))
			return emit_logic_constant(w, in, r, imm);
		if (in->rd >= 31)
			return no_form(w, in, "XZR has no immediate form (register 31 is SP there)");
		fprintf(f, "\t%s %s, %s, #0x%llx\n", mn, xr(in->rd, a), xr(in->rn, b),
			(unsigned long long)imm);
		break;
	case SS_FORM_UBFX:
		if (in->width >= 64)
			fprintf(f, "\tmov %s, %s\n", xr(in->rd, a), xr(in->rn, b));
		else
			fprintf(f, "\t%s %s, %s, #%u, #%u\n", mn, xr(in->rd, a), xr(in->rn, b), in->lsb,
				in->width);
		break;
	case SS_FORM_STOP:
	case SS_FORM_MEM:	/* handled above */
	case SS_FORM_COUNT:
		return no_form(w, in, "no A64 translation");
	}
	return true;
}

/* Registers the start-up code sets from the scenario's initial state ("Qemu
 * set"), and those every record holds besides X0-X30, PSTATE and ISR_EL1
 * ("Qemu record"), in table order. */
static bool init_reg(enum ss_reg r)
{
	return (ss_sysregs[r].qemu & SS_QEMU_SET) != 0;
}

static bool dump_reg(enum ss_reg r)
{
	return (ss_sysregs[r].qemu & SS_QEMU_RECORD) != 0;
}

static void emit_load(struct writer *w, unsigned rd, uint64_t v)
{
	size_t k;
	if (lit(w, v, &k))
		fprintf(w->f, "\tldr x%u, lit_%zu\n", rd, k);
}

static void emit_startup(struct writer *w)
{
	FILE *f = w->f;
	const struct ss_pe *pe = w->q->pe0;
	char s[40];
	fprintf(f, "\n\t.balign 16\n_start:\t\t\t// EL3: the scenario's initial state, then ERET\n");
	fprintf(f, "\tadr x0, mon_vectors\n\tmsr vbar_el3, x0\n\tisb\n");
	fprintf(f, "\tadr x0, stack3_top\n\tmov sp, x0\n");
	fprintf(f, "\tadr x0, stack2_top\n\tmsr sp_el2, x0\n");
	fprintf(f, "\tadr x0, stack1_top\n\tmsr sp_el1, x0\n");
	fprintf(f, "\tadr x0, stack0_top\n\tmsr sp_el0, x0\n");
	for (enum ss_reg r = 0; r < SS_REG_COUNT; r++) {
		if (!init_reg(r))
			continue;
		if (!w->q->target->ras && ras_reg(r))
			continue;	/* UNDEFINED without FEAT_RAS */
		uint64_t v = pe->sr[r];
		if (w->q->reloc_sr[r] && v < QEX_WINDOW)
			v += QEX_OFFSET;
		emit_load(w, 0, v);
		sysreg_name(r, s);
		fprintf(f, "\tmsr %s, x0\t// %s\n", s, ss_sysregs[r].name);
	}
	if (w->q->no_hooks) {
		fprintf(f, "\tadr x0, scn_base + 0x%llx\n\tmsr vbar_el1, x0\n",
			(unsigned long long)pe->sr[SS_REG_VBAR_EL1]);
		fprintf(f, "\tadr x0, scn_base + 0x%llx\n\tmsr vbar_el2, x0\n",
			(unsigned long long)pe->sr[SS_REG_VBAR_EL2]);
	} else {
		fprintf(f, "\tadr x0, shadow_el1\n\tmsr vbar_el1, x0\n");
		fprintf(f, "\tadr x0, shadow_el2\n\tmsr vbar_el2, x0\n");
	}
	if (w->q->end_el == 0) {
		/* The end of a run at EL0 reaches the monitor by a trapped FP
		 * instruction (SMC is UNDEFINED at EL0): FP enabled at EL0 by
		 * CPACR_EL1.FPEN and CPTR_EL2.FPEN, trapped by CPTR_EL3.TFP. */
		fprintf(f, "\tmov x0, #0x300000\n\tmsr cpacr_el1, x0\n\tmsr cptr_el2, x0\n");
		fprintf(f, "\tmrs x0, cptr_el3\n\torr x0, x0, #0x400\n\tmsr cptr_el3, x0\n");
	}
	emit_load(w, 0, QEX_OFFSET + pe->pc);
	fprintf(f, "\tmsr elr_el3, x0\n");
	emit_load(w, 0, pe->sr[SS_REG_PSTATE] & 0xf00003cfull);
	fprintf(f, "\tmsr spsr_el3, x0\n\tisb\n");
	for (unsigned i = 0; i < 31; i++) {
		uint64_t v = pe->x[i];
		if (w->q->reloc_x[i] && v < QEX_WINDOW)
			v += QEX_OFFSET;
		emit_load(w, i, v);
	}
	fprintf(f, "\teret\n");
}

/* Shadow vector tables: record, then branch to the scenario's entry. */
static void emit_shadow(struct writer *w, unsigned el)
{
	FILE *f = w->f;
	uint64_t vbar = w->q->pe0->sr[el == 1 ? SS_REG_VBAR_EL1 : SS_REG_VBAR_EL2];
	fprintf(f, "\n\t.balign 2048\nshadow_el%u:\n", el);
	for (unsigned k = 0; k < 16; k++) {
		fprintf(f, "\t.balign 128\n");
		fprintf(f, "\tstp x0, x1, [sp, #-16]!\n");
		fprintf(f, "\tmrs x0, isr_el1\n");
		fprintf(f, "\tmov x1, sp\n");
		fprintf(f, "\tsmc #0x%x\n", QEX_HOOK_VEC + el * 16 + k);
		fprintf(f, "\tldp x0, x1, [sp], #16\n");
		fprintf(f, "\tb scn_base + 0x%llx\n", (unsigned long long)(vbar + k * SS_VEC_ENTRY_SIZE));
	}
}

static void emit_ends(struct writer *w)
{
	FILE *f = w->f;
	for (size_t i = 0; i < w->q->nend; i++) {
		fprintf(f, "end_stub_%zu:\t// end at 0x%llx\n", i,
			(unsigned long long)w->q->end_addr[i]);
		if (w->q->end_el == 0 && w->q->end_addr[i] == w->q->stop_pc) {
			/* At EL0: ISR_EL1 cannot be read (recorded as 0); the
			 * trapped FMOV brings the monitor, which reads the hook
			 * number from the word after it. */
			fprintf(f, "\tstp x0, x1, [sp, #-16]!\n\tmov x0, #0\n\tmov x1, sp\n");
			fprintf(f, "\tfmov d0, xzr\n\t.word 0x%zx\n", QEX_HOOK_END + i);
			continue;
		}
		fprintf(f, "\tstp x0, x1, [sp, #-16]!\n\tmrs x0, isr_el1\n\tmov x1, sp\n");
		fprintf(f, "\tsmc #0x%zx\n\tb .\n", QEX_HOOK_END + i);
	}
}

/* The EL3 monitor: prints one record per hook on the PL011 UART. */
static void emit_monitor(struct writer *w)
{
	FILE *f = w->f;
	char s[40];
	fprintf(f, "\n\t.balign 2048\nmon_vectors:\n");
	for (unsigned k = 0; k < 16; k++) {
		fprintf(f, "\t.balign 128\n");
		if (k == 8)
			fprintf(f, "\tb mon_sync\n");
		else
			fprintf(f, "\tmov x19, #0x%x\n\tb mon_fault\n", k * SS_VEC_ENTRY_SIZE);
	}
	fprintf(f, "\nmon_sync:\n\tsub sp, sp, #256\n");
	for (unsigned i = 0; i < 30; i += 2)
		fprintf(f, "\tstp x%u, x%u, [sp, #%u]\n", i, i + 1, i * 8);
	fprintf(f, "\tstr x30, [sp, #240]\n");
	/* EC (ESR_EL3[31:26]): an FP trap is a hook, an SMC a record. */
	fprintf(f, "\tmrs x19, esr_el3\n\tlsr x20, x19, #%d\n\tcmp x20, #0x%02x\n\tb.eq mon_fp\n"
		   "\tcmp x20, #0x%02x\n"
		   "\tmov x20, x19\n\tmov x19, #0x400\n\tb.ne mon_fault\n\tmov x19, x20\n",
		SS_ESR_ELx_EC_SHIFT, (unsigned)SS_EC_FPTrap, (unsigned)SS_EC_SMC64);
	fprintf(f, "\tand x19, x19, #0xffff\n");
	fprintf(f, "mon_record:\n");
	fprintf(f, "\tadr x0, str_H\n\tmov x1, x19\n\tbl put_reg\n");
	fprintf(f, "\tadr x0, str_ISR\n\tldr x1, [sp, #0]\n\tbl put_reg\n");
	fprintf(f, "\tldr x2, [sp, #8]\n\tldp x3, x4, [x2]\n\tstp x3, x4, [sp, #0]\n");
	for (unsigned i = 0; i < 31; i++)
		fprintf(f, "\tadr x0, str_X%u\n\tldr x1, [sp, #%u]\n\tbl put_reg\n", i, i * 8);
	for (enum ss_reg r = 0; r < SS_REG_COUNT; r++) {
		if (!dump_reg(r) || (!w->q->target->ras && ras_reg(r)))
			continue;	/* UNDEFINED without FEAT_RAS: not recorded */
		sysreg_name(r, s);
		fprintf(f, "\tadr x0, str_%s\n\tmrs x1, %s\n\tbl put_reg\n", ss_sysregs[r].name, s);
	}
	fprintf(f, "\tadr x0, str_PSTATE\n\tmrs x1, spsr_el3\n\tbl put_reg\n");
	fprintf(f, "\tadr x0, str_ELR3\n\tmrs x1, elr_el3\n\tbl put_reg\n");
	fprintf(f, "\tadr x0, str_E\n\tbl put_str\n");
	fprintf(f, "\tadr x2, evcount\n\tldr x3, [x2]\n\tadd x3, x3, #1\n\tstr x3, [x2]\n"
		   "\tcmp x3, #%u\n\tb.hs mon_overflow\n", QEX_MAX_EVENTS);
	fprintf(f, "\tcmp x19, #0x%x\n\tb.hs mon_exit\n", QEX_HOOK_END);
	for (unsigned i = 0; i < 30; i += 2)
		fprintf(f, "\tldp x%u, x%u, [sp, #%u]\n", i, i + 1, i * 8);
	fprintf(f, "\tldr x30, [sp, #240]\n\tadd sp, sp, #256\n\teret\n");

	/* An end at EL0: the FP trap (EC 0x07) of its stub; the hook number
	 * is the word after the trapped instruction. */
	fprintf(f, "\nmon_fp:\n\tmrs x20, elr_el3\n\tldr w19, [x20, #4]\n\tb mon_record\n");
	fprintf(f, "\nmon_fault:\t// x19: vector offset (0x400: not an SMC)\n"
		   "\tadr x0, str_F\n\tmov x1, x19\n\tbl put_reg\n"
		   "\tadr x0, str_ESR3\n\tmrs x1, esr_el3\n\tbl put_reg\n"
		   "\tadr x0, str_ELR3\n\tmrs x1, elr_el3\n\tbl put_reg\n"
		   "\tadr x0, str_SPSR3\n\tmrs x1, spsr_el3\n\tbl put_reg\n"
		   "\tb mon_exit\n");
	fprintf(f, "mon_overflow:\n\tadr x0, str_O\n\tbl put_str\n");
	fprintf(f, "mon_exit:\t// semihosting SYS_EXIT_EXTENDED, ADP_Stopped_ApplicationExit\n"
		   "\tmov x0, #0x20\n\tadr x1, exit_block\n\thlt #0xf000\n\tb .\n");
	/* put_str(x0), put_reg(x0 = "R NAME ", x1 = value) */
	fprintf(f, "put_str:\n\tmov x5, #0x09000000\n"
		   "1:\tldrb w6, [x0], #1\n\tcbz w6, 2f\n\tstrb w6, [x5]\n\tb 1b\n2:\tret\n");
	fprintf(f, "put_reg:\n\tmov x9, x30\n\tbl put_str\n\tmov x7, #60\n"
		   "3:\tlsr x6, x1, x7\n\tand x6, x6, #0xf\n\tcmp x6, #10\n\tadd x8, x6, #'0'\n"
		   "\tadd x6, x6, #('a' - 10)\n\tcsel x6, x8, x6, lo\n\tstrb w6, [x5]\n"
		   "\tsubs x7, x7, #4\n\tb.ge 3b\n\tmov w6, #'\\n'\n\tstrb w6, [x5]\n\tmov x30, x9\n\tret\n");
	fprintf(f, "\nstr_H: .asciz \"H \"\nstr_E: .asciz \"E\\n\"\nstr_O: .asciz \"O\\n\"\n"
		   "str_F: .asciz \"F \"\nstr_ISR: .asciz \"R ISR_EL1 \"\nstr_PSTATE: .asciz \"R PSTATE \"\n"
		   "str_ELR3: .asciz \"R ELR3 \"\nstr_ESR3: .asciz \"R ESR3 \"\nstr_SPSR3: .asciz \"R SPSR3 \"\n");
	for (unsigned i = 0; i < 31; i++)
		fprintf(f, "str_X%u: .asciz \"R X%u \"\n", i, i);
	for (enum ss_reg r = 0; r < SS_REG_COUNT; r++)
		if (dump_reg(r) && (w->q->target->ras || !ras_reg(r)))
			fprintf(f, "str_%s: .asciz \"R %s \"\n", ss_sysregs[r].name, ss_sysregs[r].name);
	fprintf(f, "\t.balign 8\nexit_block: .quad 0x20026, 0\nevcount: .quad 0\n");
	fprintf(f, "\t.balign 16\n\t.space 4096\nstack3_top:\n\t.space 4096\nstack2_top:\n"
		   "\t.space 4096\nstack1_top:\n\t.space 4096\nstack0_top:\n");
}

bool qex_write_asm(struct qex *q, FILE *f)
{
	static struct writer w;	/* large literal array: not on the stack */
	memset(&w, 0, sizeof w);
	w.q = q;
	w.f = f;
	fprintf(f, "// %s: exported from %s for QEMU 7.2 -cpu %s, profile %s (docs/qemu.md)\n",
		q->name, q->path, q->target->cpu, q->target->profile);
	fprintf(f, "// scenario address A runs at 0x%llx + A\n", (unsigned long long)QEX_OFFSET);
	fprintf(f, "\t.text\n\t.global _start\nscn_base:\n");
	size_t endno = 0;
	uint64_t maxaddr = 0;
	for (size_t i = 0; i < q->ninsn; i++) {
		const struct ss_insn *in = &q->insns[i];
		if (fetch_aborts(q, in->addr)) {
			/* in QEMU's unassigned window: a fetch aborts (an end
			 * there keeps its number: its stub is never reached) */
			if (in->op == SS_OP_END)
				endno++;
			continue;
		}
		fprintf(f, "\t.org 0x%llx\t// line %u\n", (unsigned long long)in->addr, in->src_line);
		if (!emit_insn(&w, in, i, &endno))
			return false;
		maxaddr = in->addr + 4;
	}
	uint64_t vb1 = q->pe0->sr[SS_REG_VBAR_EL1] + SS_VEC_TABLE_SIZE,
		 vb2 = q->pe0->sr[SS_REG_VBAR_EL2] + SS_VEC_TABLE_SIZE;
	if (vb1 > maxaddr)
		maxaddr = vb1;
	if (vb2 > maxaddr)
		maxaddr = vb2;
	fprintf(f, "\t.org 0x%llx\n", (unsigned long long)((maxaddr + 0xfff) & ~0xfffull));
	emit_startup(&w);
	emit_shadow(&w, 1);
	emit_shadow(&w, 2);
	emit_ends(&w);
	emit_monitor(&w);
	fprintf(f, "\n\t.balign 8\n");
	for (size_t i = 0; i < w.nlit; i++)
		fprintf(f, "lit_%zu: .quad 0x%llx\n", i, (unsigned long long)w.lit[i]);
	return true;
}
