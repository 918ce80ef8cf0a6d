/*
 * exec.c - the step engines: the reference stepper (ss_step: one boundary at
 * a time, every rule live) and the fast engine (a decoded program, threaded
 * dispatch, one test per boundary, falling back to the reference step
 * whenever a boundary is not quiet); ss_run, ss_run_until, ss_run_watch.
 * Pure: no I/O.
 */
#include "decode.h"

#include <string.h>

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
	if (resume != RESUME_PC && ss_apply_timed_events(pe, obs)) {
		pe->resume = RESUME_TIMED;
		return SS_RUNNING;
	}
	if ((resume == RESUME_PC || !pe->asleep) &&
	    ss_apply_pc_events(pe, obs, resume == RESUME_PC ? pe->resume_ev : 0)) {
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
	in = ss_fetch(pe, pc);
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
	ss_add_cycles(pe, pe->cfg.timing.latency[ss_insn_class(in->op < SS_OP_COUNT ? in->op : 0)]);
	if (ss_execute(pe, obs, in, &branched))
		pe->pc = branched ? in->target : pc + 4;
	if (pe->stop != SS_RUNNING)
		return stop(pe, obs, pe->stop, pc);
	return SS_RUNNING;
}

/* --- the fast engine ---------------------------------------------------------- */

/*
 * The program is decoded once (ss_program_decode, decode.c): one record
 * per instruction (struct ss_dinsn).  A boundary is quiet when the reference
 * step above would do nothing there but execute the instruction at PC: no
 * observer's boundary hook due, the state as last checked, the ledger's
 * virtual condition in line with HCR_EL2.VSE, no timed event or condition
 * becoming visible due, no PC event at PC, awake, below both watchdog
 * limits, nothing pending that sampling would take, PSTATE.IL clear, no MSR
 * waiting for a context synchronization event.  run_fast executes quiet
 * boundaries in one loop that tests a deadline cycle (which also keeps the
 * instruction limit: run_deadline) once per straight-line run (below; a
 * PC event makes its record's kind DK_ATTN, the end of a run);
 * MRS/MSR of registers whose rows reduce, with the configuration,
 * to a load or a store (masks from ss_legalize; HCR_EL2 then
 * ss_sync_virtual) run inline, HVC, ERET, ESB and DAIFSet/DAIFClr call the
 * model's functions directly, the other instructions that can change
 * anything go through their isa.def handlers (DK_CALL, DK_GENERIC), and
 * the state is examined again after each (settle_kind, with route.c's
 * controls cached whole per interrupt-control state in pe->qcache).  A
 * boundary where the reference step would only take a due asynchronous
 * exception takes it in the loop (ss_take_pending_async_with, with the
 * cached controls).  Every other boundary is a call of ss_step: the
 * reference engine is the slow path, so both engines make the same run.
 */

/* Highest cycle at which a quiet stretch may start a boundary.  Between two
 * tests of the deadline the loop adds at most a run's cycles (two 32-bit
 * sums) and what the calls of one boundary add (exception entries of 32
 * bits each, a bounded number of them), and a run's test adds its span (32
 * bits) to the counter: below 2^40 in all, so the counter never wraps. */
#define FAST_CYCLE_CEILING (UINT64_MAX - (UINT64_C(1) << 40))

/* The record of the instruction at addr, or NULL, through a direct-mapped
 * cache of records (exception vectors, ERET targets): a record is its own
 * key (its address). */
static inline __attribute__((always_inline)) const struct ss_dinsn *lookup_rec(struct ss_pe *pe,
									      uint64_t addr)
{
	unsigned h = (unsigned)(addr >> 2) & (SS_TCACHE - 1);
	const struct ss_dinsn *r = pe->tc_rec[h];
	if (r && r->addr == addr)
		return r;
	uint32_t i = ss_find_insn(pe->prog, addr);
	if (i == DI_NONE)
		return NULL;
	return pe->tc_rec[h] = &pe->dec[i];
}

/* SUBS (ss_subs, model/insn.c) in the loop: the result, PSTATE.{N,Z,C,V}. */
static inline __attribute__((always_inline)) uint64_t subs(struct ss_pe *pe, uint64_t a, uint64_t b)
{
	uint64_t r = a - b;
	uint64_t nzcv = (r >> 63) << 3 | (uint64_t)(r == 0) << 2 | (uint64_t)(a >= b) << 1 |
			(((a ^ b) & (a ^ r)) >> 63);
	pe->sr[SS_REG_PSTATE] = (pe->sr[SS_REG_PSTATE] & ~SS_NZCV_MASK) | (nzcv << SS_PSTATE_V_SHIFT);
	return r;
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
	/* The controls are only ever accessed as struct ss_controls. */
	struct ss_controls *v = (struct ss_controls *)(void *)e->ctl;
	ss_controls_from(v, &pe->cfg, ps, hcr, scr, pe->sr);
	e->ps = ps;
	e->hcr = hcr;
	e->scr = scr;
	e->hcrx = pe->sr[SS_REG_HCRX_EL2];
	e->sctlr2_el1 = pe->sr[SS_REG_SCTLR2_EL1];
	e->sctlr2_el2 = pe->sr[SS_REG_SCTLR2_EL2];
	e->valid = true;
	e->vunmasked = v->vunmasked != 0;
	e->masked = v->pserror.masked;
	e->disr = (uint16_t)ss_disr_el1_reach(pe);
	return e;
}

_Static_assert(sizeof(struct ss_controls) <= sizeof ((struct ss_quiet_entry *)0)->ctl,
	       "struct ss_quiet_entry holds struct ss_controls");

/* The controls of the live registers, from the cache, without a copy: their
 * pstate lacks only NZCV, which no verdict reads (PSTATE.{EL,SP,A,I,F}). */
static inline const struct ss_controls *controls_of(const struct ss_quiet_entry *e)
{
	return (const struct ss_controls *)(const void *)e->ctl;
}

/* The slot: PSTATE.EL, PSTATE.A and HCR_EL2.VSE (what changes most often
 * along a run) in its three bits, other bits of the key mixed in with them
 * (any function of the key will do). */
_Static_assert(SS_QCACHE == 8 && SS_PSTATE_A_SHIFT >= 2 && SS_HCR_VSE_SHIFT >= 1,
	       "controls_entry's slot");
static inline const struct ss_quiet_entry *controls_entry(struct ss_pe *pe, uint64_t ps)
{
	const uint64_t *sr = pe->sr;
	struct ss_quiet_entry *e =
		&pe->qcache[((ps >> SS_PSTATE_EL_SHIFT) ^ (ps >> (SS_PSTATE_A_SHIFT - 2)) ^
			     (sr[SS_REG_HCR_EL2] >> (SS_HCR_VSE_SHIFT - 1))) & (SS_QCACHE - 1)];
	if (e->valid && e->ps == ps && e->hcr == sr[SS_REG_HCR_EL2] &&
			     e->scr == sr[SS_REG_SCR_EL3] && e->hcrx == sr[SS_REG_HCRX_EL2] &&
			     e->sctlr2_el1 == sr[SS_REG_SCTLR2_EL1] &&
			     e->sctlr2_el2 == sr[SS_REG_SCTLR2_EL2])
		return e;
	return controls_fill(pe, e, ps);
}

/* Something is pending physically: an SError, an IRQ or FIQ line up (one
 * test of the three). */
static inline bool pending_physically(const struct ss_pe *pe)
{
	return (pe->npending | pe->intr_up[SS_INTR_IRQ] | pe->intr_up[SS_INTR_FIQ]) != 0;
}

/* What the reference step would do at a boundary, the deadlines and PC
 * events aside. */
enum settle {
	SETTLE_QUIET,	/* nothing but execute the instruction at PC */
	SETTLE_TAKE,	/* nothing but take a due asynchronous exception */
	SETTLE_LEAVE	/* more: the state check, ss_sync_virtual, sleep, ... */
};

/* Quiet: no stop, awake, nothing stale (sysreg_sync), PSTATE.IL clear, the
 * ledger's virtual condition in line with HCR_EL2.VSE, nothing that
 * sampling would take, and no fetch that may abort (the reference step
 * checks it).  For SETTLE_TAKE, *ep is the controls' cache entry. */
static inline __attribute__((always_inline)) enum settle
settle_controls(struct ss_pe *pe, const struct ss_quiet_entry **ep);

static inline __attribute__((always_inline)) enum settle
settle_kind(struct ss_pe *pe, const struct ss_quiet_entry **ep)
{
	if (pe->stop != SS_RUNNING || pe->asleep || pe->hcr_stale || pe->scr_stale ||
	    (SS_GET(HCR_VSE, pe->sr[SS_REG_HCR_EL2]) != 0) != (pe->vcond >= 0))
		return SETTLE_LEAVE;
	enum settle k = settle_controls(pe, ep);
	return k == SETTLE_QUIET && (pe->mem_abort & SS_MEM_FETCH) ? SETTLE_LEAVE : k;
}

/* The part of settle_kind that the instructions run inline can change:
 * after them (in a loop entered quiet) the PE is still running (they test
 * pe->stop themselves) and awake, nothing is stale (sysreg_sync =
 * context-sync leaves MSR HCR_EL2 and SCR_EL3 to their handlers), no fetch
 * abort appeared and the ledger's virtual condition is in line with
 * HCR_EL2.VSE (MSR HCR_EL2 calls ss_sync_virtual, ESB and the vSError's take
 * end the condition with VSE, a full ledger stops the run), so only PSTATE,
 * HCR_EL2 and what is pending matter. */
static inline __attribute__((always_inline)) enum settle
settle_controls(struct ss_pe *pe, const struct ss_quiet_entry **ep)
{
	const uint64_t nzcv = SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK | SS_PSTATE_V_MASK;
	uint64_t ps = pe->sr[SS_REG_PSTATE] & ~nzcv, hcr = pe->sr[SS_REG_HCR_EL2];
	if (SS_GET(PSTATE_IL, ps))	/* an illegal exception return */
		return SETTLE_LEAVE;
	/* Nothing to take: no physical SError pending, no physical IRQ or FIQ
	 * line up, and no virtual interrupt both signalled and unmasked at
	 * EL0/EL1 (the first tests of ss_vint_unmasked), so no need for the
	 * controls. */
	_Static_assert(SS_HCR_VSE_MASK == SS_PSTATE_A_MASK && SS_HCR_VI_MASK == SS_PSTATE_I_MASK &&
			       SS_HCR_VF_MASK == SS_PSTATE_F_MASK,
		       "HCR_EL2.{VSE,VI,VF} at the positions of PSTATE.{A,I,F}");
	if (pending_physically(pe) ||
	    (SS_GET(PSTATE_EL, ps) <= 1 &&
	     (hcr & ~ps & (SS_HCR_VSE_MASK | SS_HCR_VI_MASK | SS_HCR_VF_MASK)))) {
		bool intr = pe->intr_up[SS_INTR_IRQ] | pe->intr_up[SS_INTR_FIQ];
		const struct ss_quiet_entry *e = controls_entry(pe, ps);
		/* A virtual interrupt, a physical SError, a physical IRQ or
		 * FIQ (model/irq.c) would be taken. */
		if (e->vunmasked || (pe->npending && !e->masked) ||
		    (intr && ss_physical_intr_unmasked(pe))) {
			*ep = e;
			return SETTLE_TAKE;
		}
	}
	return SETTLE_QUIET;
}

/* The cycle before which no boundary from this one (at 'cycle', before
 * dl) can reach the instruction limit (max_instructions, on instructions
 * plus exceptions), dl at most: when every instruction and exception entry
 * takes a cycle or more (dec_timed), the work done from here grows no
 * faster than the cycles, so the limit is at least its distance in work
 * away in cycles.  0 when some take no cycle. */
static inline uint64_t run_deadline(const struct ss_pe *pe, uint64_t cycle, uint64_t dl)
{
	uint64_t work = pe->ninsn + pe->nexc, max = pe->cfg.timing.max_instructions;
	if (!pe->dec_timed || work >= max)
		return 0;
	return max - work >= dl - cycle ? dl : cycle + (max - work);
}

static inline bool quiet(struct ss_pe *pe)
{
	const struct ss_quiet_entry *e;
	return settle_kind(pe, &e) == SETTLE_QUIET;
}

#if defined(__GNUC__) && !defined(SS_NO_THREADED_DISPATCH)
#define SS_THREADED 1	/* labels as values: one indirect jump per instruction */
#else
#define SS_THREADED 0
#endif

/* ss_run_watch's watch inside run_fast: the start cycle of the last
 * boundary run by a slow path, and the cycle after the boundary at which a
 * watched value first differed. */
struct watch {
	const struct ss_watch *w;
	uint64_t start;
	bool hit;
	uint64_t at;
};

static inline bool watch_differs(const struct ss_pe *pe, const struct ss_watch *w)
{
	return ((pe->sr[SS_REG_PSTATE] ^ w->pstate) & w->pstate_mask) ||
	       ((pe->sr[SS_REG_HCR_EL2] ^ w->hcr) & w->hcr_mask) ||
	       (pe->nexc != w->nexc && !w->ignore_nexc) ||
	       pe->stop != SS_RUNNING;
}

/* Quiet boundaries from the current one, while each stays quiet and before
 * 'until'.  Called right after a boundary of ss_step that left the PE
 * running, or (ss_run_watch) at a boundary whose state is as last checked
 * (fast_entry); it returns at once where that boundary is not quiet. */
#define FAST_WATCH 0
static void run_fast(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until,
		     struct watch *ws)
#include "exec_fast.inc"
#undef FAST_WATCH

/* The same with ss_run_watch's watch. */
#define FAST_WATCH 1
static void run_fast_watch(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until,
			   struct watch *ws)
#include "exec_fast.inc"
#undef FAST_WATCH

/* The fast engine is selected and the program decoded (again, if the
 * configuration changed since). */
static bool fast_ready(struct ss_pe *pe)
{
	if (pe->cfg.engine != SS_ENGINE_FAST || !pe->dec || !pe->prog)
		return false;
	if (memcmp(&pe->dec_cfg, &pe->cfg, sizeof pe->cfg) != 0)
		ss_decode_all(pe);
	return true;
}

/* One boundary of ss_step, then the quiet boundaries that follow before
 * 'until'. */
static inline __attribute__((always_inline)) void advance(struct ss_pe *pe, const struct ss_observer *obs,
						      uint64_t until)
{
	if (ss_step(pe, obs) != SS_RUNNING || pe->exit.due || pe->parked || pe->cycle >= until)
		return;
	run_fast(pe, obs, until, NULL);
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

/* The state as last checked (ss_step's state check would pass without a
 * look): the fast engine may start at this boundary. */
static bool fast_entry(const struct ss_pe *pe)
{
	const uint64_t flags = SS_PSTATE_N_MASK | SS_PSTATE_Z_MASK | SS_PSTATE_C_MASK | SS_PSTATE_V_MASK |
			       SS_PSTATE_D_MASK | SS_PSTATE_A_MASK | SS_PSTATE_I_MASK | SS_PSTATE_F_MASK;
	return pe->resume == RESUME_NONE && pe->checked_valid && !pe->asleep &&
	       !((pe->sr[SS_REG_PSTATE] ^ pe->checked[0]) & ~flags) &&
	       pe->sr[SS_REG_HCR_EL2] == pe->checked[1] && pe->sr[SS_REG_SCR_EL3] == pe->checked[2];
}

/* After a boundary that started in cycle 'start': a watched value that
 * differs (or the stop) ends the run after the boundaries of that cycle. */
static inline void watch_after(const struct ss_pe *pe, struct watch *ws, uint64_t start,
			       uint64_t *lim)
{
	if (!ws->hit && watch_differs(pe, ws->w)) {
		ws->hit = true;
		ws->at = start + 1;
		if (ws->at < *lim)
			*lim = ws->at;
	}
}

enum ss_watch_end ss_run_watch(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until,
			       struct ss_watch *w)
{
	struct watch ws = { .w = w, .start = pe->cycle };
	int fast = -1;	/* fast_ready, asked when first needed */
	uint64_t lim = until;
	/* Already different (the host changed it between two calls): it
	 * changed in the current cycle. */
	watch_after(pe, &ws, pe->cycle, &lim);
	if (pe->resume != RESUME_NONE) {
		uint64_t start = pe->cycle;
		ss_step(pe, obs);
		watch_after(pe, &ws, start, &lim);
		if (pe->exit.due)
			goto exit;
	}
	while (pe->stop == SS_RUNNING && pe->cycle < lim) {
		uint64_t start = pe->cycle;
		if (pe->parked) {
			/* As ss_run_until. */
			uint64_t next = ss_next_event_cycle(pe);
			if (next >= lim && lim < pe->cfg.timing.max_cycles)
				break;
			pe->parked = false;
			if (next >= pe->cfg.timing.max_cycles) {
				pe->cycle = pe->cfg.timing.max_cycles;
				stop(pe, obs, SS_STOP_WATCHDOG, pe->pc);
				watch_after(pe, &ws, pe->cycle, &lim);
				break;
			}
			pe->cycle = next;
			continue;
		}
		if (fast < 0)
			fast = fast_ready(pe);
		if (fast && fast_entry(pe)) {
			/* A stretch of the fast engine, when this boundary is
			 * quiet; else the reference step first. */
			uint64_t n0 = pe->ninsn + pe->nexc;
			ws.start = start;
			run_fast_watch(pe, obs, lim, &ws);
			watch_after(pe, &ws, ws.start, &lim);
			if (ws.hit && ws.at < lim)
				lim = ws.at;
			if (pe->ninsn + pe->nexc != n0 || pe->cycle != start)
				continue;
		}
		ss_step(pe, obs);
		watch_after(pe, &ws, start, &lim);
		if (pe->exit.due)
			goto exit;
	}
	w->at = ws.at;
	if (pe->stop != SS_RUNNING)
		return SS_WATCH_STOPPED;
	return ws.hit ? SS_WATCH_CHANGED : SS_WATCH_UNTIL;
exit:
	w->at = ws.at;
	return SS_WATCH_EXIT;
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
