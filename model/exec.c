/*
 * exec.c - the instruction set and the step engine: events applied at their
 * cycles, asynchronous exceptions sampled at instruction boundaries, one
 * instruction executed at a time with its latency, WFI sleep with idle
 * skipping, and the watchdog.  Pure: no I/O.
 */
#include "internal.h"

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

/* --- events ---------------------------------------------------------------- */

static void mark_pc_event(struct ss_pe *pe, uint64_t addr);

/*
 * Timed events: a binary min-heap in ev[0 .. ntimed), ordered by (cycle,
 * order of scheduling): events of one cycle fire in the order they were
 * scheduled, and an event scheduled for a cycle already past fires at the
 * next boundary, after the due events scheduled before it.
 */
static bool timed_before(const struct ss_event_slot *a, const struct ss_event_slot *b)
{
	return a->ev.at < b->ev.at || (a->ev.at == b->ev.at && a->seq < b->seq);
}

/* Move a timed event between slots (the slots' bucket heads stay). */
static void timed_put(struct ss_pe *pe, uint32_t i, const struct ss_event *ev, uint64_t seq)
{
	pe->ev[i].ev = *ev;
	pe->ev[i].seq = seq;
}

static void timed_push(struct ss_pe *pe, const struct ss_event *ev, uint64_t seq)
{
	uint32_t i = pe->ntimed++;
	struct ss_event_slot x = { .ev = *ev, .seq = seq };
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!timed_before(&x, &pe->ev[parent]))
			break;
		timed_put(pe, i, &pe->ev[parent].ev, pe->ev[parent].seq);
		i = parent;
	}
	timed_put(pe, i, &x.ev, x.seq);
}

/* Remove the first timed event (ntimed > 0) into *out. */
static void timed_pop(struct ss_pe *pe, struct ss_event *out)
{
	*out = pe->ev[0].ev;
	uint32_t n = --pe->ntimed;
	if (n == 0)
		return;
	struct ss_event_slot x = { .ev = pe->ev[n].ev, .seq = pe->ev[n].seq };
	uint32_t i = 0;
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && timed_before(&pe->ev[c + 1], &pe->ev[c]))
			c++;
		if (!timed_before(&pe->ev[c], &x))
			break;
		timed_put(pe, i, &pe->ev[c].ev, pe->ev[c].seq);
		i = c;
	}
	timed_put(pe, i, &x.ev, x.seq);
}

/*
 * PC events: the k-th scheduled is ev[ev_cap - 1 - k]; those not yet fired
 * are chained, in the order they were scheduled, in the hash bucket of
 * their address (the bucket of index b is ev[b].head/tail, pc_buckets a
 * power of two that grows with npcev).
 */
static uint32_t pc_slot(const struct ss_pe *pe, uint32_t k)
{
	return pe->ev_cap - 1 - k;
}

static uint32_t pc_bucket(const struct ss_pe *pe, uint64_t addr)
{
	if (pe->pc_buckets <= 1)
		return 0;
	return (uint32_t)(((addr >> 2) * UINT64_C(0x9e3779b97f4a7c15)) >> pe->pc_shift);
}

static void pc_chain(struct ss_pe *pe, uint32_t slot)
{
	struct ss_event_slot *b = &pe->ev[pc_bucket(pe, pe->ev[slot].ev.at)];
	pe->ev[slot].next = SS_NIL;
	if (b->head == SS_NIL)
		b->head = slot;
	else
		pe->ev[b->tail].next = slot;
	b->tail = slot;
}

/* Size the hash table for one more PC event: doubled (and the live PC
 * events chained again, in order) when they outnumber the buckets. */
static void pc_grow(struct ss_pe *pe)
{
	uint32_t want = pe->pc_buckets ? pe->pc_buckets : 8;
	while (want < pe->npcev + 1 && want <= pe->ev_cap / 2)
		want *= 2;
	while (want > pe->ev_cap)
		want /= 2;
	if (want == pe->pc_buckets)
		return;
	pe->pc_buckets = want;
	unsigned lg = 0;
	while ((UINT32_C(1) << lg) < want)
		lg++;
	pe->pc_shift = (uint8_t)(64 - lg);
	for (uint32_t b = 0; b < want; b++)
		pe->ev[b].head = pe->ev[b].tail = SS_NIL;
	for (uint32_t k = 0; k < pe->npcev; k++)
		if (!pe->ev[pc_slot(pe, k)].ev.done)
			pc_chain(pe, pc_slot(pe, k));
}

bool ss_pc_event_at(const struct ss_pe *pe, uint64_t addr)
{
	if (!pe->npcev_live)
		return false;
	for (uint32_t i = pe->ev[pc_bucket(pe, addr)].head; i != SS_NIL; i = pe->ev[i].next)
		if (pe->ev[i].ev.at == addr)
			return true;
	return false;
}

bool ss_schedule(struct ss_pe *pe, const struct ss_event *ev)
{
	if (pe->ntimed + pe->npcev >= pe->ev_cap)
		return false;
	if (ev->when == SS_AT_PC)
		mark_pc_event(pe, ev->at);
	if ((ev->kind == SS_EV_LOWER || (ev->kind == SS_EV_RAISE && ev->trigger == SS_LEVEL)) &&
	    ev->line >= SS_MAX_LINES)
		return false;
	struct ss_event e = *ev;
	e.done = false;
	if (ev->when == SS_AT_CYCLE) {
		timed_push(pe, &e, pe->nscheduled++);
		return true;
	}
	pc_grow(pe);
	uint32_t slot = pc_slot(pe, pe->npcev);
	pe->ev[slot].ev = e;
	pe->npcev++;
	pe->npcev_live++;
	pc_chain(pe, slot);
	return true;
}

/* Where a boundary left at a host event goes on (pe->resume). */
enum { RESUME_NONE, RESUME_TIMED, RESUME_PC };

/* Fire an event; true when it is a host event: the PE exits to its driver. */
static bool fire(struct ss_pe *pe, struct ss_event *ev, const struct ss_observer *obs)
{
	ev->done = true;
	switch (ev->kind) {
	case SS_EV_RAISE:
		ss_raise_serror(pe, ev->iss, ev->trigger, ev->synchronizable, ev->line, obs);
		break;
	case SS_EV_LOWER:
		ss_lower_serror(pe, ev->line, obs);
		break;
	case SS_EV_RAS:
		ss_ras_event(pe, &ev->ras, obs);
		break;
	case SS_EV_HOST:
		pe->exit = (struct ss_host_exit){ .due = true, .tag = ev->tag,
						  .src_line = ev->src_line, .cycle = pe->cycle };
		return true;
	}
	return false;
}

/* Fire the due timed events in order; true when one exits to the driver
 * (the others stay due and fire when the boundary goes on). */
static bool apply_timed_events(struct ss_pe *pe, const struct ss_observer *obs)
{
	while (pe->ntimed && pe->ev[0].ev.at <= pe->cycle) {
		struct ss_event ev;
		timed_pop(pe, &ev);
		if (fire(pe, &ev, obs))
			return true;
	}
	if (pe->ninflight)
		ss_update_visibility(pe, obs);
	return false;
}

/* Fire the PC events at PC in the order they were scheduled, from the
 * from-th PC event on; true when one exits to the driver. */
static bool apply_pc_events(struct ss_pe *pe, const struct ss_observer *obs, uint32_t from)
{
	if (!pe->npcev_live)
		return false;
	struct ss_event_slot *b = &pe->ev[pc_bucket(pe, pe->pc)];
	uint32_t prev = SS_NIL;
	for (uint32_t i = b->head; i != SS_NIL;) {
		struct ss_event_slot *s = &pe->ev[i];
		uint32_t next = s->next, k = pe->ev_cap - 1 - i;
		if (s->ev.at != pe->pc || k < from) {
			prev = i;
			i = next;
			continue;
		}
		/* Out of its chain: a PC event fires once. */
		if (prev == SS_NIL)
			b->head = next;
		else
			pe->ev[prev].next = next;
		if (b->tail == i)
			b->tail = prev;
		pe->npcev_live--;
		if (fire(pe, &s->ev, obs)) {
			pe->resume_ev = k + 1;
			return true;
		}
		i = next;
	}
	return false;
}

uint64_t ss_next_event_cycle(const struct ss_pe *pe)
{
	uint64_t next = pe->ntimed ? pe->ev[0].ev.at : UINT64_MAX;
	uint64_t vis = ss_next_visible_cycle(pe);
	return vis < next ? vis : next;
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
static uint64_t subs(struct ss_pe *pe, uint64_t a, uint64_t b)
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
static bool cond_holds(const struct ss_pe *pe, unsigned cond)
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

static const struct ss_insn *fetch(struct ss_pe *pe, uint64_t addr)
{
	const struct ss_program *p = pe->prog;
	size_t lo = 0, hi = p ? p->n : 0;
	/* Straight-line code: the instruction after the last one fetched. */
	if (p && pe->last_fetch + 1 < p->n && p->insns[pe->last_fetch + 1].addr == addr)
		return &p->insns[++pe->last_fetch];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->insns[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (p && lo < p->n && p->insns[lo].addr == addr) {
		pe->last_fetch = lo;
		return &p->insns[lo];
	}
	return NULL;
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
	*branched = cond_holds(pe, in->cond);
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
#define ALU_SUBS(a, b) subs(pe, (a), (b))
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
static bool execute(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_insn *in,
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

/* --- the step engine ------------------------------------------------------ */

static enum ss_stop stop(struct ss_pe *pe, const struct ss_observer *obs, enum ss_stop why,
			 uint64_t arg)
{
	pe->stop = why;
	pe->stop_arg = arg;
	SS_TRACE(obs, pe, .kind = SS_TR_STOP, .cycle = pe->cycle, .stop = why, .addr = arg);
	return why;
}

static enum ss_stop step(struct ss_pe *pe, const struct ss_observer *obs);

/* One boundary; the state the model itself then leaves is legal, so the
 * state check in step() runs again only after a change from outside. */
enum ss_stop ss_step(struct ss_pe *pe, const struct ss_observer *obs)
{
	enum ss_stop s = step(pe, obs);
	if (s == SS_RUNNING && pe->checked_valid && pe->resume == RESUME_NONE) {
		pe->checked[0] = pe->sr[SS_REG_PSTATE];
		pe->checked[1] = pe->sr[SS_REG_HCR_EL2];
		pe->checked[2] = pe->sr[SS_REG_SCR_EL3];
	}
	return s;
}

static enum ss_stop step(struct ss_pe *pe, const struct ss_observer *obs)
{
	const struct ss_insn *in;
	bool branched;
	uint64_t pc;

	/* A boundary left at a host event goes on where it stopped. */
	unsigned resume = pe->resume;
	pe->resume = RESUME_NONE;
	pe->exit.due = false;
	if (resume != RESUME_NONE)
		goto events;
	if (pe->stop != SS_RUNNING)
		return pe->stop;
	if (obs && obs->boundary)
		obs->boundary(obs->ctx, pe);
	/* The state may have been set from outside (PSTATE.EL to an EL not
	 * implemented, ...): check it whenever PSTATE, HCR_EL2 or SCR_EL3
	 * differ from what was last checked. */
	const uint64_t flags = SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK | SS_PSTATE_V_MASK |
			       SS_PSTATE_D_MASK | SS_PSTATE_A_MASK | SS_PSTATE_I_MASK | SS_PSTATE_F_MASK;
	if ((pe->sr[SS_REG_PSTATE] & ~flags) != (pe->checked[0] & ~flags) ||
	    pe->sr[SS_REG_HCR_EL2] != pe->checked[1] || pe->sr[SS_REG_SCR_EL3] != pe->checked[2] ||
	    !pe->checked_valid) {
		if (ss_pe_check(pe))
			return stop(pe, obs, SS_STOP_BAD_STATE, pe->pc);
		pe->checked[0] = pe->sr[SS_REG_PSTATE];
		pe->checked[1] = pe->sr[SS_REG_HCR_EL2];
		pe->checked[2] = pe->sr[SS_REG_SCR_EL3];
		pe->checked_valid = true;
	}
	ss_sync_virtual(pe, obs);
events:
	if (resume != RESUME_PC && apply_timed_events(pe, obs)) {
		pe->resume = RESUME_TIMED;
		return SS_RUNNING;
	}
	if ((resume == RESUME_PC || !pe->asleep) &&
	    apply_pc_events(pe, obs, resume == RESUME_PC ? pe->resume_ev : 0)) {
		pe->resume = RESUME_PC;
		return SS_RUNNING;
	}
	if (pe->stop != SS_RUNNING)	/* a capacity was exceeded */
		return stop(pe, obs, pe->stop, 0);

	if (pe->asleep) {
		if (ss_wake_pending(pe)) {
			pe->asleep = false;
			SS_TRACE(obs, pe, .kind = SS_TR_WAKE, .cycle = pe->cycle);
		} else {
			/* Idle: jump to the next thing that can happen. */
			if (pe->open_inputs) {
				/* An event may still come from outside: the
				 * host decides (ss_run_until). */
				pe->parked = true;
				return SS_RUNNING;
			}
			uint64_t next = ss_next_event_cycle(pe);
			if (next == UINT64_MAX)
				return stop(pe, obs, SS_STOP_DEADLOCK, pe->pc);
			if (next >= pe->cfg.timing.max_cycles) {
				pe->cycle = pe->cfg.timing.max_cycles;
				return stop(pe, obs, SS_STOP_WATCHDOG, pe->pc);
			}
			pe->cycle = next;
			return SS_RUNNING;
		}
	}
	if (pe->cycle >= pe->cfg.timing.max_cycles)
		return stop(pe, obs, SS_STOP_WATCHDOG, pe->pc);
	/* Cycles do not advance when latencies are 0: count the work too. */
	if (pe->ninsn + pe->nexc >= pe->cfg.timing.max_instructions)
		return stop(pe, obs, SS_STOP_WATCHDOG, pe->pc);

	/* Asynchronous exceptions are taken at instruction boundaries. */
	if (ss_take_pending_async(pe, obs, pe->pc, false))
		return SS_RUNNING;

	pc = pe->pc;
	in = fetch(pe, pc);
	if (!in)
		return stop(pe, obs, SS_STOP_NO_CODE, pc);
	if (pe->mem_abort & SS_MEM_FETCH) {
		/* An Instruction Abort on the fetch ranks above an Illegal
		 * Execution state exception (Arm ARM D1.3.5, synchronous
		 * exception prioritization). */
		const struct ss_mem_region *r = ss_mem_lookup(pe, pc);
		if (r && (r->abort & SS_MEM_FETCH)) {
			ss_sync_external_abort(pe, obs, SS_MEM_FETCH, pc, r);
			return SS_RUNNING;
		}
	}
	if (PSTATE_GET(pe, IL)) {
		/* PSTATE.IL set by an illegal exception return. */
		ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = ss_sync_target(pe),
					     .cause = SS_CAUSE_ILLEGAL_STATE, .has_esr = true,
					     .esr = ss_esr_illegal_state(), .elr = pc,
					     .vec = SS_VEC_SYNC });
		return SS_RUNNING;
	}

	SS_TRACE(obs, pe, .kind = SS_TR_INSN, .cycle = pe->cycle, .insn = in, .addr = pc);
	pe->ninsn++;
	ss_add_cycles(pe, pe->cfg.timing.latency[op_info[in->op < SS_OP_COUNT ? in->op : 0].cls]);
	if (execute(pe, obs, in, &branched))
		pe->pc = branched ? in->target : pc + 4;
	if (pe->stop != SS_RUNNING)
		return stop(pe, obs, pe->stop, pc);
	return SS_RUNNING;
}

/* --- the fast engine ---------------------------------------------------------- */

/*
 * The program is decoded once (ss_program_decode): one record per
 * instruction (struct ss_dinsn).  A boundary is quiet when the reference
 * step above would do nothing there but execute the instruction at PC: no
 * observer's boundary hook due, the state as last checked, the ledger's
 * virtual condition in line with HCR_EL2.VSE, no timed event or condition
 * becoming visible due, no PC event at PC, awake, below both watchdog
 * limits, nothing pending that sampling would take, PSTATE.IL clear, no MSR
 * waiting for a context synchronization event.  run_fast executes quiet
 * boundaries in one loop that tests only a deadline cycle, an instruction
 * count and the record's flags at each boundary; MRS/MSR of registers
 * whose rows reduce, with the configuration, to a load or a store (masks
 * from ss_legalize; HCR_EL2 then ss_sync_virtual) run inline, the other
 * instructions that can change anything go through their isa.def handlers
 * (DK_GENERIC), and the state is examined again after each (quiet(), with
 * route.c's verdicts cached per interrupt-control state in pe->qcache).  A
 * boundary where the reference step would only take a due asynchronous
 * exception takes it in the loop (ss_take_pending_async).  Every other
 * boundary is a call of ss_step: the reference engine is the slow path, so
 * both engines make the same run.
 */

#define DI_NONE UINT32_MAX
enum { SS_DI_PCEV = 1u };	/* a PC event is scheduled at this instruction */

/* Highest cycle at which a quiet stretch may start a boundary: no latency
 * (32 bits) added in the loop can then wrap the counter. */
#define FAST_CYCLE_CEILING (UINT64_MAX - (UINT64_C(1) << 33))

/* What run_fast does with a record: the instructions executed inline, and
 * DK_GENERIC for every other (its isa.def handler). */
#define DISPATCH_KINDS(X)                                                                      \
	X(GENERIC) X(NOP) X(B) X(BCOND) X(CBZ) X(CBNZ) X(TBZ) X(TBNZ) X(MOVI) X(MOV) X(ADDI)    \
	X(ADD) X(SUBI) X(SUB) X(SUBSI) X(SUBS) X(ANDI) X(ORRI) X(EORI) X(UBFX) X(MRS) X(MSR)    \
	X(MRS_NOT_EL2) X(MRS_DISR) X(MSR_SYNC)
enum dispatch_kind {
#define DK_ENUM(k) DK_##k,
	DISPATCH_KINDS(DK_ENUM)
#undef DK_ENUM
	DK_COUNT
};

/* Byte offset of register operand r in struct ss_pe: X0..X30, or XZR as a
 * zero source (zr[0]) or a sink (zr[1]). */
static uint32_t reg_off(unsigned r, bool sink)
{
	if (r < SS_NO_REG)
		return (uint32_t)(offsetof(struct ss_pe, x) + r * sizeof(uint64_t));
	return (uint32_t)(offsetof(struct ss_pe, zr) + (sink ? sizeof(uint64_t) : 0));
}

/* Index of the instruction at addr, or DI_NONE. */
static uint32_t find_insn(const struct ss_program *p, uint64_t addr)
{
	size_t lo = 0, hi = p ? p->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->insns[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return p && lo < p->n && p->insns[lo].addr == addr ? (uint32_t)lo : DI_NONE;
}

/* The same through a direct-mapped cache (exception vectors, ERET targets). */
static uint32_t lookup_insn(struct ss_pe *pe, uint64_t addr)
{
	unsigned h = (unsigned)(addr >> 2) & (SS_TCACHE - 1);
	if (pe->tc_idx[h] && pe->tc_pc[h] == addr)
		return pe->tc_idx[h] - 1;
	uint32_t i = find_insn(pe->prog, addr);
	if (i != DI_NONE) {
		pe->tc_pc[h] = addr;
		pe->tc_idx[h] = i + 1;
	}
	return i;
}

static void mark_pc_event(struct ss_pe *pe, uint64_t addr)
{
	uint32_t i = pe->dec ? find_insn(pe->prog, addr) : DI_NONE;
	if (i != DI_NONE)
		pe->dec[i].flags |= SS_DI_PCEV;
}

static void decode_one(struct ss_pe *pe, size_t i)
{
	const struct ss_program *p = pe->prog;
	const struct ss_insn *in = &p->insns[i];
	struct ss_dinsn *d = &pe->dec[i];
	struct ss_sysreg_static st;
	enum dispatch_kind k = DK_GENERIC;

	memset(d, 0, sizeof *d);
	d->lat = pe->cfg.timing.latency[op_info[in->op < SS_OP_COUNT ? in->op : 0].cls];
	d->next = i + 1 < p->n && p->insns[i + 1].addr == in->addr + 4 ? (uint32_t)(i + 1) : DI_NONE;
	d->target = DI_NONE;
	d->rd = reg_off(in->rd, true);
	d->rn = reg_off(in->rn, false);
	d->rm = reg_off(in->rm, false);
	d->imm = in->imm;
	switch (in->op) {
	case SS_OP_NOP: case SS_OP_DSB: k = DK_NOP; break;
	case SS_OP_B: k = DK_B; break;
	case SS_OP_BCOND: k = DK_BCOND; d->imm = in->cond; break;
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
	case SS_OP_MRS:
	case SS_OP_MSR:
		ss_sysreg_static(pe, in->sreg, in->op == SS_OP_MSR, &st);
		if (!st.undefined && (st.plain || st.fast != SS_SRF_NONE)) {
			if (st.plain)
				k = in->op == SS_OP_MSR ? DK_MSR : DK_MRS;
			else
				k = st.fast == SS_SRF_PLAIN_NOT_EL2 ? DK_MRS_NOT_EL2
				    : st.fast == SS_SRF_DISR	    ? DK_MRS_DISR
								    : DK_MSR_SYNC;
			d->min_el = st.min_el;
			d->imm = (uint64_t)in->sreg;
			d->and_mask = st.and_mask;
			d->or_mask = st.or_mask;
		}
		break;
	default:
		break;
	}
	if (k == DK_B || k == DK_BCOND || k == DK_CBZ || k == DK_CBNZ || k == DK_TBZ || k == DK_TBNZ)
		d->target = find_insn(p, in->target);
	d->kind = (uint8_t)k;
}

static void decode_all(struct ss_pe *pe)
{
	for (size_t i = 0; i < pe->prog->n; i++)
		decode_one(pe, i);
	for (uint32_t k = 0; k < pe->npcev; k++)
		if (!pe->ev[pc_slot(pe, k)].ev.done)
			mark_pc_event(pe, pe->ev[pc_slot(pe, k)].ev.at);
	memset(pe->tc_idx, 0, sizeof pe->tc_idx);
	memset(pe->qcache, 0, sizeof pe->qcache);
	memcpy(&pe->dec_cfg, &pe->cfg, sizeof pe->cfg);
}

bool ss_program_decode(struct ss_pe *pe, struct ss_dinsn *storage, size_t cap)
{
	pe->dec = NULL;
	if (!pe->prog || !storage || cap < pe->prog->n || pe->prog->n >= DI_NONE)
		return false;
	pe->dec = storage;
	decode_all(pe);
	return true;
}

void ss_decode_refresh(struct ss_pe *pe)
{
	if (pe->dec)
		decode_all(pe);
}

/* The interrupt controls' verdicts for one (PSTATE without NZCV, HCR_EL2,
 * SCR_EL3, HCRX_EL2, SCTLR2_EL1, SCTLR2_EL2): route.c's virtual interrupt
 * masking and PhysicalSErrorTarget, and DISR_EL1's redirection, computed
 * again only for a key not seen since the program was decoded (the
 * configuration is fixed in between). */
static const struct ss_quiet_entry *controls_fill(struct ss_pe *pe, struct ss_quiet_entry *e,
						   uint64_t ps)
{
	uint64_t hcr = pe->sr[SS_REG_HCR_EL2], scr = pe->sr[SS_REG_SCR_EL3];
	struct ss_controls v;
	ss_controls_from(&v, &pe->cfg, ps, hcr, scr, pe->sr);
	*e = (struct ss_quiet_entry){ .ps = ps, .hcr = hcr, .scr = scr,
				      .hcrx = pe->sr[SS_REG_HCRX_EL2],
				      .sctlr2_el1 = pe->sr[SS_REG_SCTLR2_EL1],
				      .sctlr2_el2 = pe->sr[SS_REG_SCTLR2_EL2], .valid = true,
				      .vunmasked = v.vunmasked != 0, .masked = v.pserror.masked,
				      .disr = (uint16_t)ss_disr_el1_reach(pe) };
	return e;
}

static inline const struct ss_quiet_entry *controls_entry(struct ss_pe *pe, uint64_t ps)
{
	const uint64_t *sr = pe->sr;
	struct ss_quiet_entry *e =
		&pe->qcache[(SS_GET(PSTATE_EL, ps) ^ (SS_GET(PSTATE_A, ps) << 2) ^
			     (SS_GET(HCR_VSE, sr[SS_REG_HCR_EL2]) << 1)) & (SS_QCACHE - 1)];
	if (e->valid && e->ps == ps && e->hcr == sr[SS_REG_HCR_EL2] &&
			     e->scr == sr[SS_REG_SCR_EL3] && e->hcrx == sr[SS_REG_HCRX_EL2] &&
			     e->sctlr2_el1 == sr[SS_REG_SCTLR2_EL1] &&
			     e->sctlr2_el2 == sr[SS_REG_SCTLR2_EL2])
		return e;
	return controls_fill(pe, e, ps);
}

/* Would the reference step do nothing at this boundary but sample the
 * asynchronous exceptions (the deadlines and PC events aside)? */
static bool takeable(const struct ss_pe *pe)
{
	return pe->stop == SS_RUNNING && !pe->asleep && !pe->hcr_stale && !pe->scr_stale &&
	       !SS_GET(PSTATE_IL, pe->sr[SS_REG_PSTATE]) &&
	       (SS_GET(HCR_VSE, pe->sr[SS_REG_HCR_EL2]) != 0) == (pe->vcond >= 0);
}

/* Would the reference step do nothing at this boundary but execute the
 * instruction at PC (the deadlines and PC events aside)? */
static inline bool quiet(struct ss_pe *pe)
{
	const uint64_t nzcv = SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK | SS_PSTATE_V_MASK;
	if (pe->stop != SS_RUNNING || pe->asleep || pe->hcr_stale || pe->scr_stale ||
	    (pe->mem_abort & SS_MEM_FETCH))
		return false;	/* (a fetch may abort: the reference step checks it) */
	uint64_t ps = pe->sr[SS_REG_PSTATE] & ~nzcv;
	if (SS_GET(PSTATE_IL, ps) || (SS_GET(HCR_VSE, pe->sr[SS_REG_HCR_EL2]) != 0) != (pe->vcond >= 0))
		return false;	/* an illegal state exception; ss_sync_virtual to do */
	const struct ss_quiet_entry *e = controls_entry(pe, ps);
	if (e->vunmasked)
		return false;	/* a virtual interrupt would be taken */
	return !pe->npending || e->masked;
}

#if defined(__GNUC__) && !defined(SS_NO_THREADED_DISPATCH)
#define SS_THREADED 1	/* labels as values: one indirect jump per instruction */
#else
#define SS_THREADED 0
#endif

/* Quiet boundaries from the current one, while each stays quiet and before
 * 'until'.  Called right after a boundary of ss_step that left the PE
 * running. */
static void run_fast(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until)
{
	const struct ss_insn *const insns = pe->prog->insns;
	const struct ss_dinsn *const dec = pe->dec;
	const bool want_insn = SS_WANTS(obs, SS_TR_INSN);
	const bool want_sysreg = SS_WANTS(obs, SS_TR_SYSREG);
	char *const base = (char *)pe;

	uint64_t dl = until < pe->cfg.timing.max_cycles ? until : pe->cfg.timing.max_cycles;
	uint64_t next = ss_next_event_cycle(pe);
	if (next < dl)
		dl = next;
	if (obs && obs->boundary) {
		if (!obs->boundary_from)
			return;
		next = obs->boundary_from(obs->ctx, pe);
		if (next < dl)
			dl = next;
	}
	if (dl > FAST_CYCLE_CEILING)
		dl = FAST_CYCLE_CEILING;
	if (pe->cycle >= dl || !quiet(pe))
		return;
	uint32_t idx = lookup_insn(pe, pe->pc);
	if (idx == DI_NONE)
		return;

	const uint64_t max_insn = pe->cfg.timing.max_instructions;
	uint64_t dl_insn = max_insn > pe->nexc ? max_insn - pe->nexc : 0;
	uint64_t cycle = pe->cycle, ninsn = pe->ninsn, pc_out;
	const struct ss_dinsn *d;

#define REG(off) (*(uint64_t *)(void *)(base + (off)))
#define SYNC_PE() (pe->cycle = cycle, pe->ninsn = ninsn, pe->pc = insns[idx].addr)
	/* The start of a boundary: the deadlines, then the record. */
#define BOUNDARY()                                                                             \
	do {                                                                                   \
		if (cycle >= dl || ninsn >= dl_insn)                                           \
			goto out;                                                              \
		d = &dec[idx];                                                                 \
		if (d->flags)                                                                  \
			goto out;                                                              \
		if (want_insn) {                                                               \
			SYNC_PE();                                                             \
			SS_TRACE(obs, pe, .kind = SS_TR_INSN, .cycle = cycle, .insn = &insns[idx], \
				 .addr = insns[idx].addr);                                     \
		}                                                                              \
		ninsn++;                                                                       \
		cycle += d->lat;                                                               \
	} while (0)
#define SEQ()                                                                                  \
	do {                                                                                   \
		if ((idx = d->next) == DI_NONE) {                                              \
			pc_out = insns[d - dec].addr + 4;                                      \
			goto out_pc;                                                           \
		}                                                                              \
		NEXT();                                                                        \
	} while (0)
#define JUMP()                                                                                 \
	do {                                                                                   \
		if ((idx = d->target) == DI_NONE) {                                            \
			pc_out = insns[d - dec].target;                                        \
			goto out_pc;                                                           \
		}                                                                              \
		NEXT();                                                                        \
	} while (0)
#define BRANCH_IF(c)                                                                           \
	do {                                                                                   \
		if (c)                                                                         \
			JUMP();                                                                \
		SEQ();                                                                         \
	} while (0)

#if SS_THREADED
	static const void *const labels[DK_COUNT] = {
#define DK_LABEL(k) [DK_##k] = &&do_##k,
		DISPATCH_KINDS(DK_LABEL)
#undef DK_LABEL
	};
#define CASE(k) do_##k:
#define NEXT()                                                                                 \
	do {                                                                                   \
		BOUNDARY();                                                                    \
		goto *labels[d->kind];                                                         \
	} while (0)
	NEXT();
#else
#define CASE(k) case DK_##k:
#define NEXT() goto next
next:
	BOUNDARY();
	switch ((enum dispatch_kind)d->kind) {
#endif
	CASE(NOP) SEQ();
	CASE(B) JUMP();
	CASE(BCOND) BRANCH_IF(cond_holds(pe, (unsigned)d->imm));
	CASE(CBZ) BRANCH_IF(REG(d->rn) == 0);
	CASE(CBNZ) BRANCH_IF(REG(d->rn) != 0);
	CASE(TBZ) BRANCH_IF(!((REG(d->rn) >> d->imm) & 1));
	CASE(TBNZ) BRANCH_IF((REG(d->rn) >> d->imm) & 1);
	CASE(MOVI) REG(d->rd) = d->imm; SEQ();
	CASE(MOV) REG(d->rd) = REG(d->rm); SEQ();
	CASE(ADDI) REG(d->rd) = REG(d->rn) + d->imm; SEQ();
	CASE(ADD) REG(d->rd) = REG(d->rn) + REG(d->rm); SEQ();
	CASE(SUBI) REG(d->rd) = REG(d->rn) - d->imm; SEQ();
	CASE(SUB) REG(d->rd) = REG(d->rn) - REG(d->rm); SEQ();
	CASE(SUBSI) REG(d->rd) = subs(pe, REG(d->rn), d->imm); SEQ();
	CASE(SUBS) REG(d->rd) = subs(pe, REG(d->rn), REG(d->rm)); SEQ();
	CASE(ANDI) REG(d->rd) = REG(d->rn) & d->imm; SEQ();
	CASE(ORRI) REG(d->rd) = REG(d->rn) | d->imm; SEQ();
	CASE(EORI) REG(d->rd) = REG(d->rn) ^ d->imm; SEQ();
	CASE(UBFX) REG(d->rd) = (REG(d->rn) >> d->rm) & d->imm; SEQ();
	CASE(MRS)
		/* A register with no row: the generic access rules only. */
		if (ss_pe_el(pe) < d->min_el)
			goto generic;
		REG(d->rd) = pe->sr[d->imm];
		SEQ();
	CASE(MRS_NOT_EL2)
		/* A name FEAT_VHE redirects at EL2 only (ss_sysreg_reach). */
		if (ss_pe_el(pe) < d->min_el || ss_pe_el(pe) == 2)
			goto generic;
		REG(d->rd) = pe->sr[d->imm];
		SEQ();
	CASE(MRS_DISR)
		if (ss_pe_el(pe) < d->min_el)
			goto generic;
		{
			const uint64_t nzcv = SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK |
					      SS_PSTATE_V_MASK;
			unsigned t = controls_entry(pe, pe->sr[SS_REG_PSTATE] & ~nzcv)->disr;
			REG(d->rd) = t == SS_REG_COUNT ? 0 : pe->sr[t];
		}
		SEQ();
	CASE(MSR_SYNC)
		/* HCR_EL2: the row's hooks are the masks and ss_sync_virtual;
		 * the interrupt controls changed, so the state is examined
		 * again (quiet) before the next boundary. */
		if (ss_pe_el(pe) < d->min_el)
			goto generic;
		{
			uint64_t v = (REG(d->rn) & d->and_mask) | d->or_mask, old = pe->sr[d->imm];
			pe->sr[d->imm] = v;
			SYNC_PE();
			SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = cycle,
				 .reg = (enum ss_reg)d->imm, .value = v, .old = old);
			ss_sync_virtual(pe, obs);
			if (pe->stop != SS_RUNNING) {	/* as the generic path below */
				pe->pc = insns[idx].addr + 4;
				stop(pe, obs, pe->stop, insns[idx].addr);
				return;
			}
			cycle = pe->cycle;
		}
		if ((idx = d->next) == DI_NONE) {
			pc_out = insns[d - dec].addr + 4;
			goto out_pc;
		}
		pe->pc = insns[idx].addr;
		goto settle;
	CASE(MSR)
		if (ss_pe_el(pe) < d->min_el)
			goto generic;
		{
			uint64_t v = (REG(d->rn) & d->and_mask) | d->or_mask, old = pe->sr[d->imm];
			pe->sr[d->imm] = v;
			if (want_sysreg) {
				SYNC_PE();
				SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = cycle,
					 .reg = (enum ss_reg)d->imm, .value = v, .old = old);
			}
		}
		SEQ();
	CASE(GENERIC)
	generic: {
		/* The rest of the reference step's boundary, with the
		 * instruction's own handler. */
		const struct ss_insn *in = &insns[idx];
		uint64_t pc = in->addr;
		bool branched;
		SYNC_PE();
		bool done = execute(pe, obs, in, &branched);
		if (done)
			pe->pc = branched ? in->target : pc + 4;
		if (pe->stop != SS_RUNNING) {
			stop(pe, obs, pe->stop, pc);
			return;
		}
		cycle = pe->cycle;
		idx = !done ? lookup_insn(pe, pe->pc) : branched ? d->target : d->next;
		if (idx == DI_NONE)
			goto out_synced;
		dl_insn = max_insn > pe->nexc ? max_insn - pe->nexc : 0;
		/* The instruction may have scheduled an event (a RAS fault
		 * injection countdown, model/ras.c). */
		if (ss_next_event_cycle(pe) < dl)
			dl = ss_next_event_cycle(pe);
	settle:
		/* The PE is synced at the boundary of idx, after an instruction
		 * that may have changed the interrupt controls. */
		if (quiet(pe))
			NEXT();
		/* Not quiet: when only an asynchronous exception is due, the
		 * reference step would do nothing at this boundary but take it
		 * (the boundary hook, state check, virtual sync, events and
		 * watchdog are as for a quiet boundary); else leave. */
		if (!takeable(pe) || cycle >= dl || ninsn >= dl_insn || dec[idx].flags ||
		    !ss_take_pending_async(pe, obs, pe->pc, false) || pe->stop != SS_RUNNING)
			goto out_synced;
		cycle = pe->cycle;
		if ((idx = lookup_insn(pe, pe->pc)) == DI_NONE)
			goto out_synced;
		dl_insn = max_insn > pe->nexc ? max_insn - pe->nexc : 0;
		goto settle;
	}
#if !SS_THREADED
	}
#endif
#undef CASE
#undef NEXT
#undef BRANCH_IF
#undef JUMP
#undef SEQ
#undef BOUNDARY
#undef SYNC_PE
#undef REG

out:
	pc_out = insns[idx].addr;
out_pc:
	pe->pc = pc_out;
	pe->cycle = cycle;
	pe->ninsn = ninsn;
out_synced:
	/* What ss_step does after a boundary that leaves the PE running. */
	if (pe->checked_valid) {
		pe->checked[0] = pe->sr[SS_REG_PSTATE];
		pe->checked[1] = pe->sr[SS_REG_HCR_EL2];
		pe->checked[2] = pe->sr[SS_REG_SCR_EL3];
	}
}

/* The fast engine is selected and the program decoded (again, if the
 * configuration changed since). */
static bool fast_ready(struct ss_pe *pe)
{
	if (pe->cfg.engine != SS_ENGINE_FAST || !pe->dec || !pe->prog)
		return false;
	if (memcmp(&pe->dec_cfg, &pe->cfg, sizeof pe->cfg) != 0)
		decode_all(pe);
	return true;
}

/* One boundary of ss_step, then the quiet boundaries that follow before
 * 'until'. */
static void advance(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until)
{
	if (ss_step(pe, obs) != SS_RUNNING || pe->exit.due || pe->parked || pe->cycle >= until)
		return;
	run_fast(pe, obs, until);
}

enum ss_stop ss_run(struct ss_pe *pe, const struct ss_observer *obs)
{
	enum ss_stop s;
	if (!fast_ready(pe)) {
		while ((s = ss_step(pe, obs)) == SS_RUNNING && !pe->exit.due)
			;
		return s;
	}
	for (;;) {
		advance(pe, obs, UINT64_MAX);
		if (pe->stop != SS_RUNNING || pe->exit.due)
			return pe->stop;
	}
}

enum ss_stop ss_run_until(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until)
{
	bool fast = fast_ready(pe);
	if (pe->resume != RESUME_NONE) {
		ss_step(pe, obs);
		if (pe->exit.due)
			return pe->stop;
	}
	while (pe->stop == SS_RUNNING && pe->cycle < until) {
		if (pe->parked) {
			/* Every event before 'until' is known: do what the
			 * idle boundary would have done knowing them all. */
			uint64_t next = ss_next_event_cycle(pe);
			if (next >= until && until < pe->cfg.timing.max_cycles)
				break;
			pe->parked = false;
			if (next >= pe->cfg.timing.max_cycles) {
				pe->cycle = pe->cfg.timing.max_cycles;
				return stop(pe, obs, SS_STOP_WATCHDOG, pe->pc);
			}
			pe->cycle = next;
			continue;
		}
		if (fast)
			advance(pe, obs, until);
		else
			ss_step(pe, obs);
		if (pe->exit.due)
			break;
	}
	return pe->stop;
}

enum ss_stop ss_close_inputs(struct ss_pe *pe, const struct ss_observer *obs)
{
	pe->open_inputs = false;
	if (pe->stop == SS_RUNNING && pe->parked && ss_next_event_cycle(pe) == UINT64_MAX) {
		pe->parked = false;
		return stop(pe, obs, SS_STOP_DEADLOCK, pe->pc);
	}
	return pe->stop;
}

uint32_t ss_take_timed_events(struct ss_pe *pe, unsigned kinds, struct ss_event *out,
			      uint32_t max)
{
	/* Sort the heap in place (heapsort: the first event ends last), turn
	 * it into firing order, then keep the others in order: a sorted array
	 * is a heap. */
	uint32_t m = pe->ntimed;
	while (pe->ntimed) {
		struct ss_event_slot x;
		x.seq = pe->ev[0].seq;
		timed_pop(pe, &x.ev);
		timed_put(pe, pe->ntimed, &x.ev, x.seq);
	}
	for (uint32_t i = 0; i < m / 2; i++) {
		struct ss_event_slot x = { .ev = pe->ev[i].ev, .seq = pe->ev[i].seq };
		timed_put(pe, i, &pe->ev[m - 1 - i].ev, pe->ev[m - 1 - i].seq);
		timed_put(pe, m - 1 - i, &x.ev, x.seq);
	}
	uint32_t n = 0, w = 0;
	for (uint32_t r = 0; r < m; r++) {
		const struct ss_event_slot *s = &pe->ev[r];
		if ((kinds >> s->ev.kind & 1u) && n < max)
			out[n++] = s->ev;
		else if (w != r)
			timed_put(pe, w++, &s->ev, s->seq);
		else
			w++;
	}
	pe->ntimed = w;
	return n;
}
