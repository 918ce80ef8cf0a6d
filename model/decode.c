/*
 * decode.c - the fast engine's decoder: the program decoded once
 * (ss_program_decode) into one record per instruction (struct ss_dinsn:
 * dispatch kind, operands, latency, branch target, the static part of the
 * MRS/MSR access check), the records linked into straight-line runs, and
 * PC events marked on them.  The loop that runs them is in exec.c.
 * Pure: no I/O.
 */
#include "decode.h"

#include <stddef.h>
#include <string.h>

/* A record of kind k is a member of its run (decode.h, "Runs"). */
static bool run_member(unsigned k)
{
	switch ((enum dispatch_kind)k) {
	case DK_NOP: case DK_MOVI: case DK_MOV: case DK_ADDI: case DK_ADD: case DK_SUBI:
	case DK_SUB: case DK_SUBSI: case DK_SUBS: case DK_ANDI: case DK_ORRI: case DK_EORI:
	case DK_UBFX: case DK_MRS: case DK_MSR: case DK_MRS_DISR: case DK_DAIFSET:
	case DK_MSR_SYNC: case DK_DAIFCLR: case DK_ESB:	/* (they leave the run when not quiet after) */
		return true;
	default:
		return false;
	}
}

/* The run of record i from the one after it (already linked).  A member
 * with no next record, or whose run would count more than 32 bits of
 * cycles, goes the generic way instead (it is then the last of its run). */
static void link_run(struct ss_pe *pe, size_t i)
{
	struct ss_dinsn *d = &pe->dec[i];
	d->run_n = 1;
	d->run_cyc = d->lat;
	d->span_cyc = 0;
	d->els = d->own_els;
	if (!run_member(d->kind))
		return;
	const struct ss_dinsn *n = (d->flags & SS_DI_NEXT) ? d + 1 : NULL;
	uint64_t cyc = n ? (uint64_t)d->lat + n->run_cyc : 0;
	uint64_t span = n ? (uint64_t)d->lat + n->span_cyc : 0;
	if (!n || cyc > UINT32_MAX || span > UINT32_MAX) {
		d->kind = DK_GENERIC;
		d->els = d->own_els = EL_ALL;
		return;
	}
	d->run_n = n->run_n + 1;
	d->run_cyc = (uint32_t)cyc;
	d->span_cyc = (uint32_t)span;
	d->els = d->own_els & n->els;
}

/* Byte offset of register operand r in struct ss_pe: X0..X30, or XZR as a
 * zero source (zr[0]) or a sink (zr[1]). */
_Static_assert(offsetof(struct ss_pe, zr) + 2 * sizeof(uint64_t) <= UINT16_MAX,
	       "operand offsets fit struct ss_dinsn");
static uint16_t reg_off(unsigned r, bool sink)
{
	if (r < SS_NO_REG)
		return (uint16_t)(offsetof(struct ss_pe, x) + r * sizeof(uint64_t));
	return (uint16_t)(offsetof(struct ss_pe, zr) + (sink ? sizeof(uint64_t) : 0));
}

uint32_t ss_find_insn(const struct ss_program *p, uint64_t addr)
{
	size_t i = ss_program_index(p, addr);
	return i == SIZE_MAX ? DI_NONE : (uint32_t)i;
}

/* A PC event at addr: its record ends every run that went through it. */
void ss_mark_pc_event(struct ss_pe *pe, uint64_t addr)
{
	uint32_t i = pe->dec ? ss_find_insn(pe->prog, addr) : DI_NONE;
	if (i != DI_NONE) {
		pe->dec[i].flags |= SS_DI_PCEV;
		pe->dec[i].kind = DK_ATTN;
		pe->dec[i].own_els = EL_ALL;
		link_run(pe, i);
		while (i > 0 && run_member(pe->dec[i - 1].kind))
			link_run(pe, --i);
	}
}

/* ConditionHolds() for each of the 16 values of NZCV: bit NZCV of the
 * result (ss_cond_holds, asked with each value in turn). */
static uint64_t cond_table(struct ss_pe *pe, unsigned cond)
{
	uint64_t saved = pe->sr[SS_REG_PSTATE], t = 0;
	for (uint64_t nzcv = 0; nzcv < 16; nzcv++) {
		pe->sr[SS_REG_PSTATE] = (saved & ~SS_NZCV_MASK) | (nzcv << SS_PSTATE_V_SHIFT);
		if (ss_cond_holds(pe, cond))
			t |= UINT64_C(1) << nzcv;
	}
	pe->sr[SS_REG_PSTATE] = saved;
	return t;
}

static void decode_one(struct ss_pe *pe, size_t i)
{
	const struct ss_program *p = pe->prog;
	const struct ss_insn *in = &p->insns[i];
	struct ss_dinsn *d = &pe->dec[i];
	struct ss_sysreg_static st;
	enum dispatch_kind k = DK_GENERIC;

	memset(d, 0, sizeof *d);
	d->addr = in->addr;
	d->lat = pe->cfg.timing.latency[ss_insn_class(in->op < SS_OP_COUNT ? in->op : 0)];
	if (i + 1 < p->n && p->insns[i + 1].addr == in->addr + 4)
		d->flags = SS_DI_NEXT;
	d->target = DI_NONE;
	d->own_els = EL_ALL;
	d->rd = reg_off(in->rd, true);
	d->rn = reg_off(in->rn, false);
	d->rm = reg_off(in->rm, false);
	d->imm = in->imm;
	switch (in->op) {
	case SS_OP_NOP: case SS_OP_DSB: k = DK_NOP; break;
	case SS_OP_B: k = DK_B; break;
	case SS_OP_BCOND: k = DK_BCOND; d->imm = cond_table(pe, in->cond); break;
	case SS_OP_CBZ: k = DK_CBZ; break;
	case SS_OP_CBNZ: k = DK_CBNZ; break;
	case SS_OP_TBZ: k = DK_TBZ; d->imm = in->imm & 63; break;
	case SS_OP_TBNZ: k = DK_TBNZ; d->imm = in->imm & 63; break;
	case SS_OP_MOVI: k = DK_MOVI; break;
	case SS_OP_MOV: k = DK_MOV; break;
	case SS_OP_ADDI: k = DK_ADDI; break;
	case SS_OP_ADD: k = DK_ADD; break;
	case SS_OP_SUBI: k = DK_SUBI; break;
	case SS_OP_SUB: k = DK_SUB; break;
	case SS_OP_SUBSI: k = DK_SUBSI; break;
	case SS_OP_SUBS: k = DK_SUBS; break;
	case SS_OP_ANDI: k = DK_ANDI; break;
	case SS_OP_ORRI: k = DK_ORRI; break;
	case SS_OP_EORI: k = DK_EORI; break;
	case SS_OP_UBFX: {
		unsigned w = in->width ? in->width : 1;
		k = DK_UBFX;
		d->imm = w >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << w) - 1;
		d->rm = in->lsb & 63u;	/* the shift, not an operand */
		break;
	}
	case SS_OP_ERET:
		k = DK_ERET;	/* op_ERET above EL0 */
		d->own_els = EL_ALL & ~1u;
		break;
	case SS_OP_HVC:
		if (!pe->cfg.el2)
			break;	/* UNDEFINED (exec_hvc): the handler's way */
		k = DK_HVC;	/* exec_hvc from EL1 or EL2, the rest tested in the loop */
		d->own_els = 1u << 1 | 1u << 2;
		d->imm = ss_esr_hvc((uint16_t)in->imm);	/* the syndrome */
		break;
	case SS_OP_SVC: case SS_OP_SMC: case SS_OP_ISB:
	case SS_OP_UDF: case SS_OP_WFI:
		k = DK_CALL;
		break;
	case SS_OP_MSR_DAIFSET:
	case SS_OP_MSR_DAIFCLR:
		/* PSTATE.{D,A,I,F} from imm4 (msr_daif_imm), inline above EL0. */
		k = in->op == SS_OP_MSR_DAIFSET ? DK_DAIFSET : DK_DAIFCLR;
		d->own_els = EL_ALL & ~1u;
		d->imm = SS_PREP(PSTATE_F, in->imm & 1) | SS_PREP(PSTATE_I, (in->imm >> 1) & 1) |
			 SS_PREP(PSTATE_A, (in->imm >> 2) & 1) | SS_PREP(PSTATE_D, (in->imm >> 3) & 1);
		break;
	case SS_OP_ESB:
		k = pe->cfg.ras ? DK_ESB : DK_NOP;	/* a NOP without FEAT_RAS */
		break;
	case SS_OP_MRS:
	case SS_OP_MSR:
		ss_sysreg_static(pe, in->sreg, in->op == SS_OP_MSR, &st);
		if (!st.undefined && (st.plain || st.fast != SS_SRF_NONE)) {
			/* A name FEAT_VHE redirects at EL2 only (ss_sysreg_reach)
			 * is plain at the other ELs. */
			if (st.plain || st.fast == SS_SRF_PLAIN_NOT_EL2)
				k = in->op == SS_OP_MSR ? DK_MSR : DK_MRS;
			else
				k = st.fast == SS_SRF_DISR ? DK_MRS_DISR : DK_MSR_SYNC;
			/* Else UNDEFINED below min_el: the handler's way. */
			d->own_els = (uint8_t)((EL_ALL << st.min_el) & EL_ALL);
			if (st.fast == SS_SRF_PLAIN_NOT_EL2)
				d->own_els &= (uint8_t)~(1u << 2);
			d->imm = (uint64_t)in->sreg;
			d->and_mask = st.and_mask;
			d->or_mask = st.or_mask;
		}
		break;
	default:
		break;
	}
	/* (no plain store reaches PSTATE or HCR_EL2; ss_run_watch relies on it) */
	if (k == DK_MSR && (in->sreg == SS_REG_PSTATE || in->sreg == SS_REG_HCR_EL2)) {
		k = DK_GENERIC;
		d->own_els = EL_ALL;
	}
	if (k == DK_B || k == DK_BCOND || k == DK_CBZ || k == DK_CBNZ || k == DK_TBZ || k == DK_TBNZ)
		d->target = ss_find_insn(p, in->target);
	d->kind = (uint8_t)k;
}

void ss_decode_all(struct ss_pe *pe)
{
	for (size_t i = 0; i < pe->prog->n; i++)
		decode_one(pe, i);
	for (size_t i = pe->prog->n; i-- > 0;)
		link_run(pe, i);
	for (uint32_t k = 0; k < pe->npcev; k++)
		if (!pe->ev[ss_pc_slot(pe, k)].ev.done)
			ss_mark_pc_event(pe, pe->ev[ss_pc_slot(pe, k)].ev.at);
	for (unsigned h = 0; h < SS_TCACHE; h++)
		pe->tc_rec[h] = NULL;
	memset(pe->qcache, 0, sizeof pe->qcache);
	memcpy(&pe->dec_cfg, &pe->cfg, sizeof pe->cfg);
	pe->dec_timed = pe->cfg.timing.exception_entry > 0;
	for (unsigned c = 0; c < SS_IC_COUNT; c++)
		pe->dec_timed = pe->dec_timed && pe->cfg.timing.latency[c] > 0;
}

bool ss_program_decode(struct ss_pe *pe, struct ss_dinsn *storage, size_t cap)
{
	pe->dec = NULL;
	if (!pe->prog || !storage || cap < pe->prog->n || pe->prog->n >= DI_NONE)
		return false;
	pe->dec = storage;
	ss_decode_all(pe);
	return true;
}

void ss_decode_refresh(struct ss_pe *pe)
{
	if (pe->dec)
		ss_decode_all(pe);
}

