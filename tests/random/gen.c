/*
 * gen.c - random runs: configuration, initial state, programs, events; and
 * their text in the scenario-file format.  See gen.h.
 */
#include "gen.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "esr.h"
#include "rng.h"

/* --- syndromes ---------------------------------------------------------- */

static const uint64_t aets[] = { SS_AET_UC, SS_AET_UEU, SS_AET_UEO, SS_AET_UER, SS_AET_CE };

/* A random SError syndrome: architected (AET, EA), IMPLEMENTATION DEFINED
 * (IDS = 1) or Uncategorized. */
static uint32_t random_iss(struct rng *r)
{
	unsigned k = (unsigned)rng_below(r, 10);
	if (k < 6)
		return ss_iss_serror(aets[rng_below(r, 5)], rng_pct(r, 30));
	if (k < 8)
		return ss_iss_serror_impdef((uint32_t)rng_below(r, 1u << 24));
	return ss_iss_serror_uncategorized();
}

/* A random VSESR_EL2 value: mostly a plausible syndrome, else any 25 bits. */
static uint32_t random_vsesr(struct rng *r)
{
	if (rng_pct(r, 60))
		return random_iss(r);
	return (uint32_t)rng_below(r, 1u << 25);
}

/* --- the configuration ----------------------------------------------------- */

static void gen_config(struct ss_config *c, struct rng *r)
{
	ss_config_default(c);
	c->el3 = rng_pct(r, 85);
	c->el2 = rng_pct(r, 85);
	c->secure = !c->el3 && rng_pct(r, 15);
	c->sel2 = c->el3 && c->el2 && rng_pct(r, 20);
	c->ras = rng_pct(r, 85);
	c->iesb = c->ras && rng_pct(r, 70);
	c->double_fault = c->ras && c->el3 && rng_pct(r, 40);

	c->trigger = rng_pct(r, 80) || c->double_fault ? SS_EDGE : SS_LEVEL;
	c->synchronizable = rng_pct(r, 80);
	c->iesb_before_exception = rng_pct(r, 30);
	c->eret_iesb = rng_pct(r, 50);
	c->noras_vserror_iss = rng_pct(r, 50) ? (uint32_t)rng_below(r, 1u << 25) : 0;
	c->vsesr_raz_wi = c->ras && rng_pct(r, 15);
	c->esb_defers_raz_vserror = rng_pct(r, 50);
	c->amo_el2 = rng_pct(r, 50) ? SS_AMO_EL2_PROGRAMMED : SS_AMO_EL2_ONE;
	c->vp_priority = rng_pct(r, 50) ? SS_PRIO_VIRTUAL_FIRST : SS_PRIO_PHYSICAL_FIRST;
	c->virtual_order = rng_pct(r, 50) ? SS_VORDER_FIQ_IRQ_SERROR : SS_VORDER_IRQ_FIQ_SERROR;
	c->esb_vse = rng_pct(r, 50) ? SS_ESB_VSE_UNCHANGED : SS_ESB_VSE_DEFER_FIRST;
	c->isr_a = rng_pct(r, 50) ? SS_ISR_A_VIRTUAL : SS_ISR_A_VIRTUAL_OR_PHYSICAL;
	c->res0 = rng_pct(r, 70) ? SS_RES0_MASK : rng_pct(r, 50) ? SS_RES0_STORE : SS_RES0_QEMU;
	c->merge = (enum ss_merge)rng_below(r, 5);
	c->merge_impdef_iss = rng_pct(r, 50) ? 0x1000000 : (uint32_t)rng_below(r, 1u << 25);
	c->vinject = (enum ss_vinject)rng_below(r, 3);
	c->guest_ras = rng_pct(r, 80);
	/* sysreg_sync stays 'immediate': with 'context-sync' sampling sees
	 * HCR_EL2/SCR_EL3 writes only after a context synchronization event,
	 * which the checker does not model yet. */

	/* Zero latencies sometimes: cycles then stand still, and only the
	 * instruction watchdog (max_instructions) ends a loop. */
	bool zeros = rng_pct(r, 5);
	for (int i = 0; i < SS_IC_COUNT; i++)
		c->timing.latency[i] = (uint32_t)(zeros && rng_pct(r, 50) ? 0
				      : rng_pct(r, 70)		     ? 1
								     : rng_range(r, 1, 3));
	c->timing.exception_entry = (uint32_t)(zeros && rng_pct(r, 50) ? 0 : rng_range(r, 1, 3));
	c->timing.propagation = (uint32_t)(rng_pct(r, 50) ? 0 : rng_range(r, 1, 6));
	c->timing.max_cycles = rng_range(r, 300, 2000);
	c->timing.max_instructions = rng_pct(r, 10) ? rng_range(r, 1, 400) : rng_range(r, 2000, 20000);
	/* Extreme bounds sometimes: a cycle watchdog at the end of time, where
	 * the counter must saturate rather than wrap (the instruction watchdog
	 * still ends the run). */
	if (rng_pct(r, 3)) {
		c->timing.max_cycles = UINT64_MAX - rng_below(r, 4);
		c->timing.max_instructions = rng_range(r, 1, 3000);
	}
}

/* --- the initial state ----------------------------------------------------- */

static void add_init(struct gen_run *g, enum ss_reg reg, uint64_t v)
{
	g->init[g->ninit].reg = reg;
	g->init[g->ninit].value = v;
	g->ninit++;
}

static uint64_t vbar[4];	/* per run, set by gen_state (single-threaded) */

static void gen_state(struct gen_run *g, struct rng *r, struct ss_pe *pe)
{
	const struct ss_config *c = &g->cfg;
	bool guest = c->el2 && rng_pct(r, 30);
	for (int attempt = 0;; attempt++) {
		uint64_t hcr = SS_HCR_RW_MASK;
		hcr |= rng_pct(r, 50) ? SS_HCR_AMO_MASK : 0;
		hcr |= rng_pct(r, 20) ? SS_HCR_TGE_MASK : 0;
		hcr |= rng_pct(r, 25) ? SS_HCR_E2H_MASK : 0;
		hcr |= rng_pct(r, 30) ? SS_HCR_VSE_MASK : 0;
		hcr |= rng_pct(r, 20) ? SS_HCR_IMO_MASK : 0;
		hcr |= rng_pct(r, 20) ? SS_HCR_FMO_MASK : 0;
		hcr |= rng_pct(r, 15) ? SS_HCR_VI_MASK : 0;
		hcr |= rng_pct(r, 15) ? SS_HCR_VF_MASK : 0;
		hcr |= rng_pct(r, 10) ? SS_HCR_TSC_MASK : 0;
		hcr |= rng_pct(r, 10) ? SS_HCR_TWI_MASK : 0;

		uint64_t scr = ss_sysregs[SS_REG_SCR_EL3].reset;	/* NS, HCE, RW, RES1 */
		scr |= rng_pct(r, 35) ? SS_SCR_EA_MASK : 0;
		scr |= rng_pct(r, 20) ? SS_SCR_IRQ_MASK : 0;
		scr |= rng_pct(r, 20) ? SS_SCR_FIQ_MASK : 0;
		if (rng_pct(r, 15))
			scr &= ~SS_SCR_NS_MASK;
		if (c->double_fault && rng_pct(r, 40))
			scr |= SS_SCR_NMEA_MASK;
		if (c->sel2 && rng_pct(r, 50))
			scr |= SS_SCR_EEL2_MASK;
		scr |= rng_pct(r, 5) ? SS_SCR_TWI_MASK : 0;

		uint64_t sctlr[4];
		for (unsigned el = 1; el <= 3; el++) {
			enum ss_reg sr = (enum ss_reg)(SS_REG_SCTLR_EL1 + el - 1);
			sctlr[el] = ss_sysregs[sr].reset;
			if (c->iesb && rng_pct(r, 50))
				sctlr[el] |= SS_SCTLR_IESB_MASK;
		}
		if (rng_pct(r, 30))
			sctlr[1] |= SS_SCTLR_UMA_MASK;
		if (rng_pct(r, 10))
			sctlr[1] &= ~SS_SCTLR_nTWI_MASK;

		/* Distinct, 2 KB aligned vector bases away from the main program. */
		unsigned slot[3];
		for (unsigned i = 0; i < 3; i++) {
			bool dup;
			do {
				slot[i] = (unsigned)rng_below(r, 16);
				dup = false;
				for (unsigned j = 0; j < i; j++)
					dup |= slot[j] == slot[i];
			} while (dup);
			vbar[i + 1] = 0x10000u + 0x1000u * slot[i];
		}

		g->ninit = 0;
		add_init(g, SS_REG_HCR_EL2, hcr);
		add_init(g, SS_REG_SCR_EL3, scr);
		add_init(g, SS_REG_SCTLR_EL1, sctlr[1]);
		add_init(g, SS_REG_SCTLR_EL2, sctlr[2]);
		add_init(g, SS_REG_SCTLR_EL3, sctlr[3]);
		add_init(g, SS_REG_VBAR_EL1, vbar[1]);
		add_init(g, SS_REG_VBAR_EL2, vbar[2]);
		add_init(g, SS_REG_VBAR_EL3, vbar[3]);
		if (c->ras)
			add_init(g, SS_REG_VSESR_EL2, random_vsesr(r));

		g->el = (unsigned)rng_below(r, 4);
		if (guest) {	/* a guest kernel: EL0/EL1 under AMO = 1, TGE = 0 */
			g->el = (unsigned)rng_below(r, 2);
			g->init[0].value = (hcr | SS_HCR_AMO_MASK) & ~SS_HCR_TGE_MASK;
			g->init[1].value = scr | SS_SCR_NS_MASK;
		}
		g->sp = g->el == 0 ? 0 : (unsigned)rng_below(r, 2);
		g->daif = (unsigned)rng_below(r, 16);
		memset(g->x, 0, sizeof g->x);
		memset(g->x_set, 0, sizeof g->x_set);
		g->x[28] = rng_range(r, 1, 3);
		g->x_set[28] = true;
		g->x[27] = rng_range(r, 1, 3);
		g->x_set[27] = true;

		g->n = 0;
		g->nev = 0;
		g->prog.insns = g->insns;
		g->prog.n = 0;
		gen_apply(g, pe, NULL);
		if (!ss_pe_check(pe) || attempt > 1000)
			return;
	}
}

/* --- programs -------------------------------------------------------------- */

struct blk {
	struct gen_run *g;
	struct rng *r;
	unsigned el;		/* the EL the code is meant to run at */
	uint64_t next;		/* address of the next instruction */
	size_t first;		/* index of the block's first instruction */
	size_t cap;		/* instructions the block may hold */
	bool main;
	size_t fwd[64];		/* forward branches to resolve */
	unsigned nfwd;
};

static struct ss_insn *emit(struct blk *b, enum ss_op op)
{
	struct ss_insn *in = &b->g->insns[b->g->n++];
	memset(in, 0, sizeof *in);
	in->addr = b->next;
	in->op = op;
	in->rd = in->rn = in->rm = SS_NO_REG;
	in->cond = SS_AL;
	b->next += 4;
	return in;
}

static size_t used(const struct blk *b)
{
	return b->g->n - b->first;
}

static enum ss_reg el_reg(unsigned el, enum ss_reg r1)
{
	/* ESR/ELR/SPSR/VBAR/SCTLR come in EL1, EL2, EL3 order in enum ss_reg. */
	return (enum ss_reg)(r1 + (el ? el : 1) - 1);
}

/* A register for reading: mostly one of the EL the code runs at. */
static enum ss_reg random_read_reg(struct blk *b)
{
	static const enum ss_reg any[] = { SS_REG_ISR_EL1, SS_REG_DISR_EL1, SS_REG_DAIF, SS_REG_CurrentEL,
					   SS_REG_HCR_EL2, SS_REG_VSESR_EL2, SS_REG_VDISR_EL2, SS_REG_SCR_EL3,
					   SS_REG_SPSel, SS_REG_NZCV, SS_REG_ID_AA64PFR0_EL1 };
	struct rng *r = b->r;
	unsigned el = b->el;
	if (rng_pct(r, 10))
		el = (unsigned)rng_range(r, 1, 3);
	if (b->el == 1 && rng_pct(r, 40))
		return rng_pct(r, 50) ? SS_REG_ISR_EL1 : SS_REG_DISR_EL1;
	switch (rng_below(r, 6)) {
	case 0:
	case 1:
		return el_reg(el, SS_REG_ESR_EL1);
	case 2:
		return el_reg(el, SS_REG_ELR_EL1);
	case 3:
		return el_reg(el, SS_REG_SPSR_EL1);
	default:
		return any[rng_below(r, sizeof any / sizeof any[0])];
	}
}

static unsigned random_xreg(struct rng *r)
{
	return (unsigned)rng_below(r, 13);	/* x0..x12: scratch */
}

static void emit_mov(struct blk *b, unsigned rd, uint64_t imm)
{
	struct ss_insn *in = emit(b, SS_OP_MOVI);
	in->rd = (uint8_t)rd;
	in->imm = imm;
}

static void emit_mrs(struct blk *b, unsigned rd, enum ss_reg sr)
{
	struct ss_insn *in = emit(b, SS_OP_MRS);
	in->rd = (uint8_t)rd;
	in->sreg = sr;
}

static void emit_msr(struct blk *b, enum ss_reg sr, unsigned rn)
{
	struct ss_insn *in = emit(b, SS_OP_MSR);
	in->rn = (uint8_t)rn;
	in->sreg = sr;
}

static void emit_alu_imm(struct blk *b, enum ss_op op, unsigned rd, unsigned rn, uint64_t imm)
{
	struct ss_insn *in = emit(b, op);
	in->rd = (uint8_t)rd;
	in->rn = (uint8_t)rn;
	in->imm = imm;
}

/* Read-modify-write of a register: eor (toggle) or orr (set) with mask. */
static void emit_rmw(struct blk *b, enum ss_reg sr, unsigned x, uint64_t mask, bool set)
{
	emit_mrs(b, x, sr);
	emit_alu_imm(b, set ? SS_OP_ORRI : SS_OP_EORI, x, x, mask);
	emit_msr(b, sr, x);
}

static uint64_t random_hcr_mask(struct rng *r)
{
	uint64_t m = 0;
	while (!m) {
		m |= rng_pct(r, 50) ? SS_HCR_VSE_MASK : 0;
		m |= rng_pct(r, 25) ? SS_HCR_AMO_MASK : 0;
		m |= rng_pct(r, 8) ? SS_HCR_TGE_MASK : 0;
		m |= rng_pct(r, 8) ? SS_HCR_E2H_MASK : 0;
		m |= rng_pct(r, 10) ? SS_HCR_IMO_MASK : 0;
		m |= rng_pct(r, 10) ? SS_HCR_FMO_MASK : 0;
		m |= rng_pct(r, 10) ? SS_HCR_VI_MASK : 0;
		m |= rng_pct(r, 10) ? SS_HCR_VF_MASK : 0;
		m |= rng_pct(r, 4) ? SS_HCR_TSC_MASK : 0;
		m |= rng_pct(r, 4) ? SS_HCR_TWI_MASK : 0;
	}
	return m;
}

static uint64_t random_scr_mask(struct rng *r)
{
	uint64_t m = 0;
	while (!m) {
		m |= rng_pct(r, 60) ? SS_SCR_EA_MASK : 0;
		m |= rng_pct(r, 30) ? SS_SCR_NMEA_MASK : 0;
		m |= rng_pct(r, 10) ? SS_SCR_IRQ_MASK : 0;
		m |= rng_pct(r, 10) ? SS_SCR_FIQ_MASK : 0;
		m |= rng_pct(r, 8) ? SS_SCR_NS_MASK : 0;
		m |= rng_pct(r, 8) ? SS_SCR_EEL2_MASK : 0;
		m |= rng_pct(r, 4) ? SS_SCR_TWI_MASK : 0;
	}
	return m;
}

/* SPSR value for a return to a random EL at or below 'el', random DAIF. */
static uint64_t random_spsr(struct rng *r, unsigned el)
{
	static const unsigned m[] = { 0x0, 0x4, 0x5, 0x8, 0x9, 0xc, 0xd };
	unsigned n = el >= 3 ? 7 : el == 2 ? 5 : 3;
	uint64_t v = m[rng_below(r, n)];
	v |= rng_below(r, 16) << 6;	/* D A I F */
	return v;
}

static void emit_branch(struct blk *b)
{
	struct rng *r = b->r;
	struct ss_insn *in;
	switch (rng_below(r, 5)) {
	case 0:
		in = emit(b, SS_OP_B);
		break;
	case 1:
		in = emit(b, SS_OP_BCOND);
		in->cond = (uint8_t)rng_below(r, 15);
		break;
	case 2:
		in = emit(b, rng_pct(r, 50) ? SS_OP_CBZ : SS_OP_CBNZ);
		in->rn = (uint8_t)random_xreg(r);
		break;
	default:
		/* test a syndrome bit: IDS (24), IESB (13), an AET bit, EA (9), A (8) */
		in = emit(b, rng_pct(r, 50) ? SS_OP_TBZ : SS_OP_TBNZ);
		in->rn = (uint8_t)random_xreg(r);
		{
			static const unsigned bits[] = { 24, 13, 12, 11, 10, 9, 8, 31 };
			in->imm = bits[rng_below(r, 8)];
		}
		break;
	}
	if (b->nfwd < 64)
		b->fwd[b->nfwd++] = (size_t)(in - b->g->insns);
	else
		in->op = SS_OP_NOP;
}

/* One random piece of code (one or a few instructions). */
static void emit_piece(struct blk *b)
{
	struct rng *r = b->r;
	unsigned el = b->el ? b->el : 1;
	unsigned k = (unsigned)rng_below(r, 100);
	struct ss_insn *in;

	if (k < 6) {
		static const enum ss_op simple[] = { SS_OP_NOP, SS_OP_ISB, SS_OP_DSB };
		emit(b, simple[rng_below(r, 3)]);
	} else if (k < 18) {
		emit(b, SS_OP_ESB);
	} else if (k < 30) {
		in = emit(b, rng_pct(r, 55) ? SS_OP_MSR_DAIFCLR : SS_OP_MSR_DAIFSET);
		in->imm = rng_pct(r, 60) ? 4 : rng_below(r, 16);
	} else if (k < 42) {
		emit_mrs(b, random_xreg(r), random_read_reg(b));
	} else if (k < 50) {
		emit_rmw(b, SS_REG_HCR_EL2, 10, random_hcr_mask(r), rng_pct(r, 30));
	} else if (k < 53) {
		emit_mov(b, 11, random_vsesr(r));
		emit_msr(b, SS_REG_VSESR_EL2, 11);
	} else if (k < 57) {
		emit_rmw(b, SS_REG_SCR_EL3, 11, random_scr_mask(r), false);
	} else if (k < 60) {
		unsigned e = rng_pct(r, 70) ? el : (unsigned)rng_range(r, 1, 3);
		emit_rmw(b, el_reg(e, SS_REG_SCTLR_EL1), 12, SS_SCTLR_IESB_MASK, false);
	} else if (k < 63) {
		emit_msr(b, SS_REG_DISR_EL1, SS_NO_REG);
	} else if (k < 65) {
		in = emit(b, SS_OP_MSR_SPSEL);
		in->imm = rng_below(r, 2);
	} else if (k < 68) {
		in = emit(b, SS_OP_SVC);
		in->imm = rng_below(r, 0x10000);
	} else if (k < 70) {
		in = emit(b, SS_OP_HVC);
		in->imm = rng_below(r, 0x10000);
	} else if (k < 72) {
		in = emit(b, SS_OP_SMC);
		in->imm = rng_below(r, 0x10000);
	} else if (k < 73) {
		in = emit(b, SS_OP_UDF);
		in->imm = rng_below(r, 0x10000);
	} else if (k < 75) {
		emit(b, SS_OP_WFI);
	} else if (k < 80) {
		unsigned rd = random_xreg(r);
		switch (rng_below(r, 4)) {
		case 0:
			emit_mov(b, rd, rng_below(r, 4) == 0 ? 0 : rng_below(r, 0x10000));
			break;
		case 1:
			emit_alu_imm(b, SS_OP_ADDI, rd, random_xreg(r), rng_below(r, 16));
			break;
		case 2:
			emit_alu_imm(b, SS_OP_SUBSI, rng_pct(r, 50) ? SS_NO_REG : rd, random_xreg(r),
				     rng_below(r, 4));
			break;
		default:
			in = emit(b, SS_OP_UBFX);	/* e.g. ESR.AET */
			in->rd = (uint8_t)rd;
			in->rn = (uint8_t)random_xreg(r);
			in->lsb = 10;
			in->width = 3;
			break;
		}
	} else if (k < 86) {
		emit_branch(b);
	} else if (k < 89) {
		unsigned e = rng_pct(r, 80) ? el : (unsigned)rng_range(r, 1, 3);
		emit_mrs(b, 9, el_reg(e, SS_REG_ELR_EL1));
		emit_alu_imm(b, SS_OP_ADDI, 9, 9, 4);
		emit_msr(b, el_reg(e, SS_REG_ELR_EL1), 9);
	} else if (k < 92) {
		unsigned e = rng_pct(r, 80) ? el : (unsigned)rng_range(r, 1, 3);
		emit_mov(b, 9, random_spsr(r, e));
		emit_msr(b, el_reg(e, SS_REG_SPSR_EL1), 9);
	} else if (k < 94) {
		emit_mov(b, 8, rng_below(r, 16) << 6);
		emit_msr(b, SS_REG_DAIF, 8);
	} else if (k < 96 && b->main) {
		emit(b, SS_OP_ERET);
	} else {
		emit_mrs(b, (unsigned)rng_below(r, 3), el_reg(el, SS_REG_ESR_EL1));
	}
}

/* A bounded loop: mov xC, #k; L: body; subs xC, xC, #1; b.ne L. */
static void emit_loop(struct blk *b)
{
	struct rng *r = b->r;
	unsigned x = b->main ? 28 : 27;
	emit_mov(b, x, rng_range(r, 1, 4));
	uint64_t top = b->next;
	unsigned body = (unsigned)rng_range(r, 1, 3);
	for (unsigned i = 0; i < body; i++) {
		switch (rng_below(r, 4)) {
		case 0:
			emit(b, SS_OP_ESB);
			break;
		case 1:
			emit_mrs(b, random_xreg(r), random_read_reg(b));
			break;
		case 2: {
			struct ss_insn *in = emit(b, rng_pct(r, 50) ? SS_OP_MSR_DAIFCLR : SS_OP_MSR_DAIFSET);
			in->imm = 4;
			break;
		}
		default:
			emit(b, SS_OP_NOP);
			break;
		}
	}
	emit_alu_imm(b, SS_OP_SUBSI, x, x, 1);
	struct ss_insn *in = emit(b, SS_OP_BCOND);
	in->cond = SS_NE;
	in->target = top;
}

/* A block: random pieces, then the terminator; forward branches resolved
 * to an instruction after them in the block. */
static void gen_block(struct gen_run *g, struct rng *r, uint64_t addr, unsigned el, size_t cap,
		      bool is_main, bool is_serror, bool is_sync)
{
	struct blk b = { .g = g, .r = r, .el = el, .next = addr, .first = g->n, .cap = cap,
			 .main = is_main };
	size_t want = is_main ? rng_range(r, 6, cap - 12) : rng_range(r, 0, 10);
	uint64_t top = 0;
	if (is_main) {	/* an outer loop keeps the main program running for a while */
		emit_mov(&b, 26, rng_range(r, 1, 6));
		top = b.next;
	}
	if (is_serror && rng_pct(r, 70))	/* a typical SError handler reads ESR first */
		emit_mrs(&b, 0, el_reg(el, SS_REG_ESR_EL1));
	while (used(&b) < want && used(&b) + 10 < cap) {
		if (rng_pct(r, 5))
			emit_loop(&b);
		else
			emit_piece(&b);
	}
	/* terminator */
	if (is_main) {
		emit_alu_imm(&b, SS_OP_SUBSI, 26, 26, 1);
		struct ss_insn *in = emit(&b, SS_OP_BCOND);
		in->cond = SS_NE;
		in->target = top;
		emit(&b, SS_OP_END);
	} else {
		unsigned k = (unsigned)rng_below(r, 100);
		unsigned e = el ? el : 1;
		if (is_sync && k < 50)
			k = 50;
		if (k < 45) {
			emit(&b, SS_OP_ERET);
		} else if (k < 75) {
			emit_mrs(&b, 9, el_reg(e, SS_REG_ELR_EL1));
			emit_alu_imm(&b, SS_OP_ADDI, 9, 9, 4);
			emit_msr(&b, el_reg(e, SS_REG_ELR_EL1), 9);
			emit(&b, SS_OP_ERET);
		} else if (k < 92) {
			emit_mov(&b, 9, random_spsr(r, e));
			emit_msr(&b, el_reg(e, SS_REG_SPSR_EL1), 9);
			emit(&b, SS_OP_ERET);
		} else {
			emit(&b, SS_OP_END);
		}
	}
	size_t last = g->n - 1;
	for (unsigned i = 0; i < b.nfwd; i++) {
		size_t at = b.fwd[i];
		size_t to = (size_t)rng_range(r, at + 1, last);
		g->insns[at].target = g->insns[to].addr;
	}
}

static int cmp_insn(const void *x, const void *y)
{
	const struct ss_insn *a = x, *b = y;
	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

static void gen_programs(struct gen_run *g, struct rng *r)
{
	g->n = 0;
	gen_block(g, r, GEN_ENTRY, g->el, 48, true, false, false);
	for (unsigned el = 1; el <= 3; el++) {
		if ((el == 2 && !g->cfg.el2) || (el == 3 && !g->cfg.el3))
			continue;
		for (unsigned e = 0; e < 16; e++)
			gen_block(g, r, vbar[el] + 0x80u * e, el, 32, false, (e & 3) == 3, (e & 3) == 0);
	}
	qsort(g->insns, g->n, sizeof g->insns[0], cmp_insn);
	g->prog.insns = g->insns;
	g->prog.n = g->n;
}

/* --- events --------------------------------------------------------------- */

static void event_when(struct gen_run *g, struct rng *r, struct ss_event *ev)
{
	if (g->n && rng_pct(r, 35)) {
		ev->when = SS_AT_PC;
		/* half of them in the main program */
		size_t i = rng_below(r, g->n);
		if (rng_pct(r, 50))
			for (size_t j = 0; j < g->n; j++)
				if (g->insns[j].addr >= GEN_ENTRY && g->insns[j].addr < 0x10000 &&
				    rng_pct(r, 20)) {
					i = j;
					break;
				}
		ev->at = g->insns[i].addr;
	} else {
		ev->when = SS_AT_CYCLE;
		unsigned k = (unsigned)rng_below(r, 10);
		ev->at = k < 5 ? rng_below(r, 60) : k < 8 ? rng_below(r, 300)
			 : rng_below(r, g->cfg.timing.max_cycles);
	}
}

static void gen_events(struct gen_run *g, struct rng *r)
{
	unsigned n = (unsigned)rng_below(r, 12);
	g->nev = 0;
	for (unsigned i = 0; i < n && g->nev + 2 <= GEN_MAX_EVENTS; i++) {
		struct ss_event *ev = &g->ev[g->nev++];
		memset(ev, 0, sizeof *ev);
		unsigned k = (unsigned)rng_below(r, 100);
		event_when(g, r, ev);
		if (k < 60) {
			ev->kind = SS_EV_RAISE;
			ev->iss = random_iss(r);
			ev->trigger = rng_pct(r, 70) ? SS_EDGE : SS_LEVEL;
			ev->synchronizable = rng_pct(r, 80);
			/* Level only where taking may leave it pending (Arm ARM D1.4.2.2). */
			if (ev->trigger == SS_LEVEL && !ss_level_allowed(&g->cfg, ev->iss))
				ev->trigger = SS_EDGE;
			ev->line = (uint8_t)(ev->trigger == SS_LEVEL ? rng_below(r, 4) : 0);
			if (ev->trigger == SS_LEVEL && rng_pct(r, 70)) {
				struct ss_event *lo = &g->ev[g->nev++];
				memset(lo, 0, sizeof *lo);
				lo->kind = SS_EV_LOWER;
				lo->line = ev->line;
				event_when(g, r, lo);
				if (lo->when == SS_AT_CYCLE && ev->when == SS_AT_CYCLE && lo->at < ev->at)
					lo->at = ev->at + rng_below(r, 100);
			}
		} else if (k < 82) {
			ev->kind = SS_EV_HOST;	/* vserror: the syndrome in iss */
			ev->iss = random_vsesr(r);
		} else if (k < 92) {
			/* A physical IRQ or FIQ line, deasserted later or not. */
			ev->kind = SS_EV_INTR;
			ev->intr = (uint8_t)(rng_pct(r, 50) ? SS_INTR_IRQ : SS_INTR_FIQ);
			ev->line = (uint8_t)rng_below(r, 4);
			if (rng_pct(r, 70)) {
				struct ss_event *lo = &g->ev[g->nev++];
				memset(lo, 0, sizeof *lo);
				lo->kind = SS_EV_INTR;
				lo->intr = ev->intr;
				lo->line = ev->line;
				lo->lower = true;
				event_when(g, r, lo);
				if (lo->when == SS_AT_CYCLE && ev->when == SS_AT_CYCLE && lo->at < ev->at)
					lo->at = ev->at + rng_below(r, 100);
			}
		} else {
			ev->kind = SS_EV_LOWER;
			ev->line = (uint8_t)rng_below(r, 4);
		}
	}
	/* The knob 'trigger' is only the scenario loader's default for events
	 * (every event here names edge or level).  The loader also applies it to
	 * 'vserror' events, and then demands a line=N that 'vserror' may not
	 * have: keep such scenarios loadable. */
	for (unsigned i = 0; i < g->nev; i++)
		if (g->ev[i].kind == SS_EV_HOST)
			g->cfg.trigger = SS_EDGE;
}

/* --- a whole run ----------------------------------------------------------- */

void gen_run(struct gen_run *g, uint64_t seed)
{
	struct rng r;
	struct ss_pe *pe = malloc(sizeof *pe);
	if (!pe)
		abort();
	rng_seed(&r, seed);
	memset(g, 0, sizeof *g);
	g->seed = seed;
	gen_config(&g->cfg, &r);
	gen_state(g, &r, pe);
	free(pe);
	gen_programs(g, &r);
	gen_events(g, &r);
}

void gen_apply(struct gen_run *g, struct ss_pe *pe, struct ss_hyp *hyp)
{
	ss_pe_reset(pe, &g->cfg);
	for (unsigned i = 0; i < g->ninit; i++)
		pe->sr[g->init[i].reg] = g->init[i].value;
	uint64_t ps = pe->sr[SS_REG_PSTATE];
	ps = SS_SET(PSTATE_EL, ps, g->el);
	ps = SS_SET(PSTATE_SP, ps, g->sp);
	ps = SS_SET(PSTATE_D, ps, (g->daif >> 3) & 1);
	ps = SS_SET(PSTATE_A, ps, (g->daif >> 2) & 1);
	ps = SS_SET(PSTATE_I, ps, (g->daif >> 1) & 1);
	ps = SS_SET(PSTATE_F, ps, g->daif & 1);
	pe->sr[SS_REG_PSTATE] = ps;
	for (unsigned i = 0; i < 31; i++)
		if (g->x_set[i])
			pe->x[i] = g->x[i];
	pe->pc = GEN_ENTRY;
	g->prog.insns = g->insns;
	g->prog.n = g->n;
	ss_pe_set_program(pe, &g->prog);
	ss_program_decode(pe, g->dec, GEN_MAX_INSNS);
	if (hyp)
		ss_hyp_init(hyp, &g->cfg);
	for (unsigned i = 0; i < g->nev; i++) {
		struct ss_event ev = g->ev[i];
		if (ev.kind == SS_EV_HOST) {
			struct ss_host_event hev = { .op = SS_HOST_VSERROR, .iss = ev.iss, .dst = -1 };
			int tag = hyp ? ss_hyp_add_event(hyp, &hev) : -1;
			if (tag < 0)
				continue;
			ev.tag = (uint32_t)tag;
		}
		ss_schedule(pe, &ev);
	}
}

/* --- text -------------------------------------------------------------------- */

static void xname(unsigned x, char *buf, size_t len)
{
	if (x >= SS_NO_REG)
		snprintf(buf, len, "xzr");
	else
		snprintf(buf, len, "x%u", x);
}

static const char *sreg_name(enum ss_reg r)
{
	return ss_sysregs[r].name;
}

void gen_format_insn(const struct ss_insn *in, char *buf, size_t len)
{
	char d[8], n[8], m[8];
	xname(in->rd, d, sizeof d);
	xname(in->rn, n, sizeof n);
	xname(in->rm, m, sizeof m);
	switch (in->op) {
	case SS_OP_NOP: snprintf(buf, len, "nop"); break;
	case SS_OP_END: snprintf(buf, len, "end"); break;
	case SS_OP_UDF: snprintf(buf, len, "udf #%" PRIu64, in->imm); break;
	case SS_OP_MRS: snprintf(buf, len, "mrs %s, %s", d, sreg_name(in->sreg)); break;
	case SS_OP_MSR: snprintf(buf, len, "msr %s, %s", sreg_name(in->sreg), n); break;
	case SS_OP_MSR_DAIFSET: snprintf(buf, len, "msr daifset, #%" PRIu64, in->imm); break;
	case SS_OP_MSR_DAIFCLR: snprintf(buf, len, "msr daifclr, #%" PRIu64, in->imm); break;
	case SS_OP_MSR_SPSEL: snprintf(buf, len, "msr spsel, #%" PRIu64, in->imm); break;
	case SS_OP_ESB: snprintf(buf, len, "esb"); break;
	case SS_OP_ISB: snprintf(buf, len, "isb"); break;
	case SS_OP_DSB: snprintf(buf, len, "dsb sy"); break;
	case SS_OP_ERET: snprintf(buf, len, "eret"); break;
	case SS_OP_SVC: snprintf(buf, len, "svc #%" PRIu64, in->imm); break;
	case SS_OP_HVC: snprintf(buf, len, "hvc #%" PRIu64, in->imm); break;
	case SS_OP_SMC: snprintf(buf, len, "smc #%" PRIu64, in->imm); break;
	case SS_OP_WFI: snprintf(buf, len, "wfi"); break;
	case SS_OP_B: snprintf(buf, len, "b L%" PRIx64, in->target); break;
	case SS_OP_BCOND:
		snprintf(buf, len, "b.%s L%" PRIx64, ss_cond_name((enum ss_cc)in->cond), in->target);
		break;
	case SS_OP_CBZ: snprintf(buf, len, "cbz %s, L%" PRIx64, n, in->target); break;
	case SS_OP_CBNZ: snprintf(buf, len, "cbnz %s, L%" PRIx64, n, in->target); break;
	case SS_OP_TBZ:
		snprintf(buf, len, "tbz %s, #%" PRIu64 ", L%" PRIx64, n, in->imm, in->target);
		break;
	case SS_OP_TBNZ:
		snprintf(buf, len, "tbnz %s, #%" PRIu64 ", L%" PRIx64, n, in->imm, in->target);
		break;
	case SS_OP_MOVI: snprintf(buf, len, "mov %s, #0x%" PRIx64, d, in->imm); break;
	case SS_OP_MOV: snprintf(buf, len, "mov %s, %s", d, m); break;
	case SS_OP_ADDI: snprintf(buf, len, "add %s, %s, #%" PRIu64, d, n, in->imm); break;
	case SS_OP_ADD: snprintf(buf, len, "add %s, %s, %s", d, n, m); break;
	case SS_OP_SUBI: snprintf(buf, len, "sub %s, %s, #%" PRIu64, d, n, in->imm); break;
	case SS_OP_SUB: snprintf(buf, len, "sub %s, %s, %s", d, n, m); break;
	case SS_OP_SUBSI: snprintf(buf, len, "subs %s, %s, #%" PRIu64, d, n, in->imm); break;
	case SS_OP_SUBS: snprintf(buf, len, "subs %s, %s, %s", d, n, m); break;
	case SS_OP_ANDI: snprintf(buf, len, "and %s, %s, #0x%" PRIx64, d, n, in->imm); break;
	case SS_OP_ORRI: snprintf(buf, len, "orr %s, %s, #0x%" PRIx64, d, n, in->imm); break;
	case SS_OP_EORI: snprintf(buf, len, "eor %s, %s, #0x%" PRIx64, d, n, in->imm); break;
	case SS_OP_UBFX:
		snprintf(buf, len, "ubfx %s, %s, #%u, #%u", d, n, in->lsb, in->width);
		break;
	default: snprintf(buf, len, "udf #0"); break;
	}
}

static bool is_branch(enum ss_op op)
{
	return op == SS_OP_B || op == SS_OP_BCOND || op == SS_OP_CBZ || op == SS_OP_CBNZ ||
	       op == SS_OP_TBZ || op == SS_OP_TBNZ;
}

/* Does some branch or PC event name this address? */
static bool needs_label(const struct gen_run *g, uint64_t addr)
{
	for (size_t i = 0; i < g->n; i++)
		if (is_branch(g->insns[i].op) && g->insns[i].target == addr)
			return true;
	for (unsigned i = 0; i < g->nev; i++)
		if (g->ev[i].when == SS_AT_PC && g->ev[i].at == addr)
			return true;
	return false;
}

static void print_when(const struct ss_event *ev, FILE *f)
{
	if (ev->when == SS_AT_PC)
		fprintf(f, "at L%" PRIx64 ":", ev->at);
	else
		fprintf(f, "at %" PRIu64 ":", ev->at);
}

void gen_print_scenario(const struct gen_run *g, FILE *f)
{
	char buf[128];
	fprintf(f, "scenario: random-%" PRIu64 "\n", g->seed);
	fprintf(f, "description: random run, seed %" PRIu64 " (tests/random/random_invariants)\n",
		g->seed);
	fprintf(f, "tags: random\n\n[cpu]\n");
	for (size_t i = 0; i < ss_num_knobs; i++) {
		ss_knob_format(&g->cfg, &ss_knobs[i], buf, sizeof buf);
		fprintf(f, "%s = %s\n", ss_knobs[i].name, buf);
	}
	fprintf(f, "\n[init]\n");
	for (unsigned i = 0; i < g->ninit; i++)
		fprintf(f, "%s = 0x%" PRIx64 "\n", sreg_name(g->init[i].reg), g->init[i].value);
	fprintf(f, "PSTATE.EL = %u\nPSTATE.SP = %u\n", g->el, g->sp);
	fprintf(f, "PSTATE.D = %u\nPSTATE.A = %u\nPSTATE.I = %u\nPSTATE.F = %u\n",
		(g->daif >> 3) & 1, (g->daif >> 2) & 1, (g->daif >> 1) & 1, g->daif & 1);
	for (unsigned i = 0; i < 31; i++)
		if (g->x_set[i])
			fprintf(f, "X%u = 0x%" PRIx64 "\n", i, g->x[i]);
	fprintf(f, "PC = start\n\n[code]\n");
	uint64_t expect = UINT64_MAX;
	for (size_t i = 0; i < g->n; i++) {
		const struct ss_insn *in = &g->insns[i];
		if (in->addr != expect) {
			fprintf(f, ".org 0x%" PRIx64 "\n", in->addr);
			if (in->addr == GEN_ENTRY)
				fprintf(f, "start:\n");
		}
		if (needs_label(g, in->addr))
			fprintf(f, "L%" PRIx64 ":\n", in->addr);
		gen_format_insn(in, buf, sizeof buf);
		fprintf(f, "    %s\n", buf);
		expect = in->addr + 4;
	}
	fprintf(f, "\n[events]\n");
	for (unsigned i = 0; i < g->nev; i++) {
		const struct ss_event *ev = &g->ev[i];
		print_when(ev, f);
		switch (ev->kind) {
		case SS_EV_RAISE:
			fprintf(f, " serror iss=0x%07" PRIx32 " %s %s", ev->iss,
				ev->trigger == SS_LEVEL ? "level" : "edge",
				ev->synchronizable ? "sync" : "nosync");
			if (ev->trigger == SS_LEVEL)
				fprintf(f, " line=%u", ev->line);
			fprintf(f, "\n");
			break;
		case SS_EV_LOWER:
			fprintf(f, " lower line=%u\n", ev->line);
			break;
		case SS_EV_HOST:
			fprintf(f, " vserror iss=0x%07" PRIx32 "\n", ev->iss);
			break;
		case SS_EV_INTR:
			fprintf(f, " %s%s line=%u\n", ev->lower ? "lower " : "",
				ev->intr == SS_INTR_FIQ ? "fiq" : "irq", ev->line);
			break;
		case SS_EV_MEM:	/* the generator makes none */
			break;
		case SS_EV_RAS:	/* the generator makes none */
			fprintf(f, " error record=%u ue\n", ev->ras.record);
			break;
		}
	}
	fprintf(f, "\n[expect]\nstop == *\n");
}
