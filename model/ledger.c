/*
 * ledger.c - SError conditions and what became of each: raising, visibility,
 * virtual conditions, the ledger invariant (the merge policies are in
 * merge.c).
 * Pure: no I/O.
 */
#include "internal.h"

#include <string.h>

/* --- the indexes of open conditions ------------------------------------------ */

/* A list of conditions linked through prev/next, in ledger order. */
static void list_unlink(struct ss_pe *pe, uint32_t *head, uint32_t *tail, struct ss_condition *c)
{
	if (c->prev == SS_NIL)
		*head = c->next;
	else
		pe->cond[c->prev].next = c->next;
	if (c->next == SS_NIL)
		*tail = c->prev;
	else
		pe->cond[c->next].prev = c->prev;
	c->prev = c->next = SS_NIL;
}

/* Insert c in ledger order: scanning back from the tail, O(1) when c is the
 * newest (conditions usually become pending in the order they were raised). */
static void list_insert(struct ss_pe *pe, uint32_t *head, uint32_t *tail, struct ss_condition *c)
{
	uint32_t after = *tail;
	while (after != SS_NIL && after > c->id)
		after = pe->cond[after].prev;
	c->prev = after;
	c->next = after == SS_NIL ? *head : pe->cond[after].next;
	if (after == SS_NIL)
		*head = c->id;
	else
		pe->cond[after].next = c->id;
	if (c->next == SS_NIL)
		*tail = c->id;
	else
		pe->cond[c->next].prev = c->id;
}

unsigned ss_pend_class(uint32_t iss)
{
	if (!ss_iss_is_architected(iss))
		return ss_iss_ids(iss) ? 11 : 10;
	return (ss_aet_rank(iss) - 1) * 2 + (unsigned)SS_GET(ESR_SErr_EA, iss);
}

/* A physical condition became pending: into its list. */
static void pend_insert(struct ss_pe *pe, struct ss_condition *c)
{
	unsigned s = c->synchronizable, k = ss_pend_class(c->iss);
	struct ss_cond_list *l = &pe->pend[s][k];
	list_insert(pe, &l->head, &l->tail, c);
	l->n++;
	pe->pend_mask[s] |= (uint16_t)(1u << k);
}

void ss_pend_remove(struct ss_pe *pe, struct ss_condition *c)
{
	unsigned s = c->synchronizable, k = ss_pend_class(c->iss);
	struct ss_cond_list *l = &pe->pend[s][k];
	list_unlink(pe, &l->head, &l->tail, c);
	if (--l->n == 0)
		pe->pend_mask[s] &= (uint16_t)~(1u << k);
}

static void inflight_append(struct ss_pe *pe, struct ss_condition *c)
{
	if (pe->inflight_tail != SS_NIL && pe->cond[pe->inflight_tail].visible > c->visible)
		pe->inflight_sorted = false;
	c->next = SS_NIL;
	c->prev = pe->inflight_tail;
	if (pe->inflight_tail == SS_NIL)
		pe->inflight_head = c->id;
	else
		pe->cond[pe->inflight_tail].next = c->id;
	pe->inflight_tail = c->id;
}

static void inflight_remove(struct ss_pe *pe, struct ss_condition *c)
{
	list_unlink(pe, &pe->inflight_head, &pe->inflight_tail, c);
	if (pe->inflight_head == SS_NIL)
		pe->inflight_sorted = true;
}

void ss_empty_cond_indexes(struct ss_pe *pe)
{
	pe->inflight_head = pe->inflight_tail = SS_NIL;
	pe->inflight_sorted = true;
	for (unsigned s = 0; s < 2; s++) {
		for (unsigned k = 0; k < sizeof pe->pend[s] / sizeof pe->pend[s][0]; k++)
			pe->pend[s][k] = (struct ss_cond_list){ SS_NIL, SS_NIL, 0 };
		pe->pend_mask[s] = 0;
	}
}

/* The indexes again from the ledger (after compaction). */
static void reindex(struct ss_pe *pe)
{
	ss_empty_cond_indexes(pe);
	for (uint32_t i = 0; i < pe->ncond; i++) {
		struct ss_condition *c = &pe->cond[i];
		c->prev = c->next = SS_NIL;
		if (c->virt)
			continue;
		if (c->disp == SS_DISP_IN_FLIGHT)
			inflight_append(pe, c);
		else if (c->disp == SS_DISP_PENDING)
			pend_insert(pe, c);
	}
}

uint64_t ss_next_visible_cycle(const struct ss_pe *pe)
{
	if (pe->inflight_sorted)
		return pe->inflight_head == SS_NIL ? UINT64_MAX : pe->cond[pe->inflight_head].visible;
	uint64_t next = UINT64_MAX;
	for (uint32_t i = pe->inflight_head; i != SS_NIL; i = pe->cond[i].next)
		if (pe->cond[i].visible < next)
			next = pe->cond[i].visible;
	return next;
}

/* --- conditions ------------------------------------------------------------ */

static void make_visible(struct ss_pe *pe, struct ss_condition *c, const struct ss_observer *obs)
{
	inflight_remove(pe, c);
	c->disp = SS_DISP_PENDING;
	pe->ninflight--;
	pe->npending++;
	pend_insert(pe, c);
	SS_TRACE(obs, pe, .kind = SS_TR_VISIBLE, .cycle = pe->cycle, .cond = c);
}

/* In ledger order, as every due condition is found. */
void ss_update_visibility(struct ss_pe *pe, const struct ss_observer *obs)
{
	if (pe->inflight_sorted) {
		while (pe->inflight_head != SS_NIL && pe->cond[pe->inflight_head].visible <= pe->cycle)
			make_visible(pe, &pe->cond[pe->inflight_head], obs);
		return;
	}
	for (uint32_t i = pe->inflight_head; i != SS_NIL;) {
		struct ss_condition *c = &pe->cond[i];
		i = c->next;
		if (c->visible <= pe->cycle)
			make_visible(pe, c, obs);
	}
}

/* SynchronizeErrors(): only synchronizable errors are synchronized (Arm ARM
 * C6.2 ESB; IBBGXN, RSFHDS):
 * a non-synchronizable one keeps propagating. */
void ss_synchronize_errors(struct ss_pe *pe, const struct ss_observer *obs)
{
	for (uint32_t i = pe->inflight_head; i != SS_NIL;) {
		struct ss_condition *c = &pe->cond[i];
		i = c->next;
		if (c->synchronizable) {
			c->visible = pe->cycle;
			make_visible(pe, c, obs);
		}
	}
}

static bool is_final(enum ss_disposition d)
{
	return d != SS_DISP_IN_FLIGHT && d != SS_DISP_PENDING;
}

/*
 * The ledger is full: count every condition in a final state into
 * pe->retired and keep the open ones (pending, in flight), renumbered.  Only
 * long runs get here; every condition stays accounted for.  One pass: the
 * open conditions move down in ledger order, so an index already renumbered
 * (k <= i) is never met again as an old one.
 */
static __attribute__((noinline)) void compact_ledger(struct ss_pe *pe)
{
	/* References to final conditions are dropped first (read before any
	 * move). */
	for (unsigned l = 0; l < SS_MAX_LINES; l++)
		if (pe->line_cond[l] >= 0 && is_final(pe->cond[pe->line_cond[l]].disp))
			pe->line_cond[l] = -1;
	if (pe->vcond >= 0 && is_final(pe->cond[pe->vcond].disp))
		pe->vcond = -1;
	/* A deferral is final, so compacted out: no longer followed
	 * (docs/limits.md). */
	pe->vdisr_unread = -1;
	uint32_t k = 0;
	for (uint32_t i = 0; i < pe->ncond; i++) {
		struct ss_condition *c = &pe->cond[i];
		if (is_final(c->disp)) {
			pe->retired[c->disp]++;
			continue;
		}
		if (c->line < SS_MAX_LINES && pe->line_cond[c->line] == (int)i)
			pe->line_cond[c->line] = (int)k;
		if (pe->vcond == (int)i)
			pe->vcond = (int)k;
		if (k != i)
			pe->cond[k] = *c;
		pe->cond[k].id = k;
		k++;
	}
	pe->ncond = k;
	reindex(pe);
}

/* Ledger entry pe->ncond, new: every field is written once, in order (no
 * clearing of the whole record first): a field added to struct
 * ss_condition must be added here. */
static inline struct ss_condition *fill_condition(struct ss_pe *pe, uint32_t iss, bool virt)
{
	struct ss_condition *c = &pe->cond[pe->ncond];
	c->id = pe->ncond++;
	c->seq = pe->nraised++;
	c->virt = virt;
	c->iss = iss & SS_SERROR_ISS_MASK;
	c->trigger = 0;
	c->synchronizable = false;
	c->line = 0;
	c->raised = c->visible = pe->cycle;
	c->disp = 0;
	c->exc = c->defer = c->merged_into = 0;
	c->times_taken = c->times_deferred = 0;
	c->prev = c->next = SS_NIL;
	c->record = virt ? 0 : pe->ras_src;	/* model/ras.c: the record raising it */
	c->lost = c->kind = c->ec = 0;
	return c;
}

/* The ledger is full: compacted first. */
static __attribute__((noinline)) struct ss_condition *new_condition_full(struct ss_pe *pe, uint32_t iss,
									 bool virt)
{
	compact_ledger(pe);
	if (pe->ncond >= pe->cond_cap) {
		pe->stop = SS_STOP_LIMIT;
		return NULL;
	}
	return fill_condition(pe, iss, virt);
}

/* A new ledger entry, or NULL (and the LIMIT stop) when the ledger holds
 * pe->cond_cap open conditions. */
static inline __attribute__((always_inline)) struct ss_condition *
new_condition(struct ss_pe *pe, uint32_t iss, bool virt)
{
	if (pe->ncond >= pe->cond_cap)
		return new_condition_full(pe, iss, virt);
	return fill_condition(pe, iss, virt);
}
_Static_assert(sizeof(struct ss_condition) == 88, "new_condition writes every field of struct ss_condition");

/*
 * Whether taking an SError with this syndrome may leave it pending (Arm ARM
 * D1.4.2.2; IsSErrorEdgeTriggered): never with FEAT_DoubleFault, nor with
 * FEAT_RAS and an architected syndrome (neither IMPLEMENTATION DEFINED nor
 * Uncategorized); IMPLEMENTATION DEFINED only in the other cases.  A level
 * source is edge-triggered where it may not.
 */
bool ss_level_allowed(const struct ss_config *cfg, uint32_t iss)
{
	iss &= SS_SERROR_ISS_MASK;
	if (cfg->double_fault)
		return false;
	return !(cfg->ras && !ss_iss_ids(iss) && iss != 0);
}

int ss_raise_serror(struct ss_pe *pe, uint32_t iss, enum ss_trigger trig, bool sync,
		    unsigned line, const struct ss_observer *obs)
{
	if (trig == SS_LEVEL && !ss_level_allowed(&pe->cfg, iss))
		trig = SS_EDGE;
	if (trig == SS_LEVEL) {
		if (line >= SS_MAX_LINES)
			return -1;
		if (pe->line_up[line])	/* already asserted: the first syndrome holds */
			return pe->line_cond[line];
	}
	struct ss_condition *c = new_condition(pe, iss, false);
	if (!c)
		return -1;
	c->trigger = trig;
	c->synchronizable = sync;
	c->line = (uint8_t)(trig == SS_LEVEL ? line : 0);
	c->visible = pe->cycle > UINT64_MAX - pe->cfg.timing.propagation ? UINT64_MAX
		     : pe->cycle + pe->cfg.timing.propagation;	/* never wraps */
	c->disp = SS_DISP_IN_FLIGHT;
	pe->ninflight++;
	inflight_append(pe, c);
	if (trig == SS_LEVEL) {
		pe->line_up[line] = true;
		pe->line_cond[line] = (int)c->id;
	}
	SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
	if (c->visible <= pe->cycle)
		make_visible(pe, c, obs);
	return (int)c->id;
}

/* --- synchronous External aborts in the ledger ---------------------------- */

const struct ss_condition *ss_record_sea(struct ss_pe *pe, uint64_t esr, const struct ss_observer *obs)
{
	struct ss_condition *c = new_condition(pe, (uint32_t)esr & SS_SERROR_ISS_MASK, false);
	if (!c)
		return NULL;
	c->kind = SS_COND_SEA;
	c->ec = (uint8_t)SS_GET(ESR_ELx_EC, esr);
	c->trigger = SS_EDGE;
	c->record = 0;
	c->disp = SS_DISP_TAKEN;
	c->exc = pe->nexc + 1;
	c->times_taken = 1;
	SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
	return c;
}

/* --- virtual SErrors in the ledger -------------------------------------- */

/* The raise record of c, out of line: the raise itself then needs no frame
 * for the record. */
static __attribute__((noinline, cold)) void trace_raise(const struct ss_observer *obs,
							 struct ss_pe *pe, const struct ss_condition *c)
{
	SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
}

/* A virtual condition becomes pending when HCR_EL2.VSE goes 0 -> 1. */
static inline __attribute__((always_inline)) struct ss_condition *
new_virtual(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs)
{
	struct ss_condition *c = new_condition(pe, iss, true);
	if (!c)
		return NULL;
	c->trigger = SS_EDGE;
	c->synchronizable = true;
	c->disp = SS_DISP_PENDING;
	pe->vcond = (int)c->id;
	if (SS_WANTS(obs, SS_TR_RAISE))
		trace_raise(obs, pe, c);
	return c;
}

void ss_end_virtual(struct ss_pe *pe, enum ss_disposition d, uint32_t number, uint32_t iss)
{
	ss_end_virtual_inline(pe, d, number, iss);
}

/* A pending vSError is shown with the syndrome the guest will get
 * (VSESR_EL2, or the CPU's own without it), not the one requested. */
static inline void sync_virtual(struct ss_pe *pe, const struct ss_observer *obs, bool vse)
{
	if (vse && pe->vcond < 0)
		new_virtual(pe, ss_vserror_iss(pe), obs);
	else if (!vse && pe->vcond >= 0)
		ss_end_virtual(pe, SS_DISP_WITHDRAWN, 0, pe->cond[pe->vcond].iss);
}

void ss_sync_virtual(struct ss_pe *pe, const struct ss_observer *obs)
{
	sync_virtual(pe, obs, HCR(pe, VSE));
}

void ss_sync_virtual_vse(struct ss_pe *pe, const struct ss_observer *obs, bool vse)
{
	sync_virtual(pe, obs, vse);
}

static inline __attribute__((always_inline)) void
set_vse(struct ss_pe *pe, const struct ss_observer *obs, bool vse)
{
	uint64_t old = pe->sr[SS_REG_HCR_EL2];
	pe->sr[SS_REG_HCR_EL2] = SS_SET(HCR_VSE, old, vse);
	if (old != pe->sr[SS_REG_HCR_EL2]) {
		SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = SS_REG_HCR_EL2,
				      .value = pe->sr[SS_REG_HCR_EL2], .old = old);
	}
}

void ss_set_vse(struct ss_pe *pe, const struct ss_observer *obs, bool vse)
{
	set_vse(pe, obs, vse);
}

/* AArch64.vESBOperation's deferral (Arm ARM D20.5.1): the pending virtual
 * condition DEFERRED, VDISR_EL2 written, HCR_EL2.VSE cleared, in one call. */
void ss_defer_virtual(struct ss_pe *pe, const struct ss_observer *obs, uint64_t vdisr)
{
	const struct ss_condition *vc = pe->vcond >= 0 ? &pe->cond[pe->vcond] : NULL;
	ss_end_virtual_inline(pe, SS_DISP_DEFERRED, ++pe->nvdefer, (uint32_t)vdisr);
	uint64_t old = pe->sr[SS_REG_VDISR_EL2];
	pe->sr[SS_REG_VDISR_EL2] = vdisr;
	SS_TRACE(obs, pe, .kind = SS_TR_DEFER, .cycle = pe->cycle, .reg = SS_REG_VDISR_EL2,
			      .value = vdisr, .old = old, .cond = vc);
	set_vse(pe, obs, false);
}

static void set_vsesr(struct ss_pe *pe, const struct ss_observer *obs, uint32_t iss)
{
	uint64_t old = pe->sr[SS_REG_VSESR_EL2];
	pe->sr[SS_REG_VSESR_EL2] = iss & SS_SERROR_ISS_MASK;
	SS_TRACE(obs, pe, .kind = SS_TR_SYSREG, .cycle = pe->cycle, .reg = SS_REG_VSESR_EL2,
			      .value = pe->sr[SS_REG_VSESR_EL2], .old = old);
}

bool ss_vsesr_implemented(const struct ss_pe *pe)
{
	return pe->cfg.ras && !pe->cfg.vsesr_raz_wi;
}

int ss_pending_virtual_condition(const struct ss_pe *pe)
{
	return pe->vcond;
}

int ss_pend_virtual_serror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs)
{
	if (ss_vsesr_implemented(pe))
		set_vsesr(pe, obs, iss);
	if (!new_virtual(pe, ss_virtual_serror_iss(pe), obs))
		return -1;
	ss_set_vse(pe, obs, true);
	return pe->vcond;
}

int ss_merge_virtual_serror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs)
{
	iss &= SS_SERROR_ISS_MASK;
	struct ss_condition *old = &pe->cond[pe->vcond];
	struct ss_condition *c = new_condition(pe, iss, true);
	if (!c)
		return -1;
	uint32_t both[2] = { (uint32_t)pe->sr[SS_REG_VSESR_EL2] & SS_SERROR_ISS_MASK, iss };
	c->disp = SS_DISP_MERGED;
	c->merged_into = old->id;
	SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
	if (ss_vsesr_implemented(pe))
		set_vsesr(pe, obs, ss_combine_iss(&pe->cfg, both, 2));
	return (int)c->id;
}

void ss_drop_virtual_serror(struct ss_pe *pe)
{
	if (pe->vcond >= 0) {
		pe->cond[pe->vcond].lost = SS_LOST_OVERWRITTEN;
		ss_end_virtual(pe, SS_DISP_LOST, 0, pe->cond[pe->vcond].iss);
	}
}

int ss_emulate_virtual_serror_entry(struct ss_pe *pe, uint32_t iss,
				    const struct ss_observer *obs)
{
	return ss_emulate_virtual_serror_entry_el(pe, iss, 1, obs);
}

int ss_emulate_virtual_serror_entry_el(struct ss_pe *pe, uint32_t iss, unsigned el,
				       const struct ss_observer *obs)
{
	iss &= SS_SERROR_ISS_MASK;
	struct ss_condition *c = new_condition(pe, iss, true);
	if (!c)
		return -1;
	uint32_t reported = ss_vsesr_implemented(pe) ? iss : ss_virtual_serror_iss(pe);
	c->disp = SS_DISP_TAKEN;
	c->iss = reported;
	c->exc = pe->nexc + 1;
	c->times_taken = 1;
	SS_TRACE(obs, pe, .kind = SS_TR_RAISE, .cycle = pe->cycle, .cond = c);
	ss_take_exception(pe, obs, &(struct ss_exc_req){ .to = el, .cause = SS_CAUSE_VSERROR,
				     .has_esr = true,
				     .esr = pe->cfg.emulated_vserror_il ? ss_esr_serror(reported)
						: SS_SET(ESR_ELx_IL, ss_esr_serror(reported), 0),
				     .elr = pe->pc, .vec = SS_VEC_SERROR, .cond = c });
	return (int)c->id;
}

int ss_load_el2_virtual_serror_state(struct ss_pe *pe, uint64_t vdisr)
{
	int cond = pe->vcond;
	pe->sr[SS_REG_HCR_EL2] = SS_SET(HCR_VSE, pe->sr[SS_REG_HCR_EL2], 0);
	pe->sr[SS_REG_VSESR_EL2] = 0;
	pe->sr[SS_REG_VDISR_EL2] = vdisr;
	pe->vcond = -1;
	return cond;
}

void ss_settle_virtual_condition(struct ss_pe *pe, int cond, int into,
				 enum ss_lost_reason why)
{
	if (cond < 0 || (uint32_t)cond >= pe->ncond)
		return;
	struct ss_condition *old = &pe->cond[cond];
	if (into >= 0) {
		old->disp = SS_DISP_HANDED_OVER;	/* pending again as the new one */
		old->merged_into = (uint32_t)into;
	} else {
		old->disp = SS_DISP_LOST;
		old->lost = (uint8_t)why;
	}
}

void ss_lose_condition(struct ss_pe *pe, int cond, enum ss_lost_reason why)
{
	if (cond < 0 || (uint32_t)cond >= pe->ncond)
		return;
	struct ss_condition *c = &pe->cond[cond];
	if (cond == pe->vcond)
		pe->vcond = -1;
	else if (!is_final(c->disp) || c->disp == SS_DISP_LOST)
		return;
	if (cond == pe->vdisr_unread)
		pe->vdisr_unread = -1;
	c->disp = SS_DISP_LOST;
	c->lost = (uint8_t)why;
}

void ss_settle_unread_deferral(struct ss_pe *pe)
{
	ss_lose_condition(pe, pe->vdisr_unread, SS_LOST_UNREAD);
}

void ss_lower_serror(struct ss_pe *pe, unsigned line, const struct ss_observer *obs)
{
	if (line >= SS_MAX_LINES || !pe->line_up[line])
		return;
	struct ss_condition *c = &pe->cond[pe->line_cond[line]];
	pe->line_up[line] = false;
	pe->line_cond[line] = -1;
	if (c->disp == SS_DISP_PENDING) {
		ss_pend_remove(pe, c);
		pe->npending--;
	} else if (c->disp == SS_DISP_IN_FLIGHT) {
		inflight_remove(pe, c);
		pe->ninflight--;
	}
	if (c->times_taken)
		c->disp = SS_DISP_TAKEN;
	else if (c->times_deferred)
		c->disp = SS_DISP_DEFERRED;
	else
		c->disp = SS_DISP_WITHDRAWN;
	SS_TRACE(obs, pe, .kind = SS_TR_LOWER, .cycle = pe->cycle, .cond = c, .line = line);
}

const char *ss_ledger_check(const struct ss_pe *pe)
{
	uint32_t pending = 0, inflight = 0, vpending = 0;
	for (uint32_t i = 0; i < pe->ncond; i++) {
		const struct ss_condition *c = &pe->cond[i];
		const struct ss_condition *rep;
		if (c->id != i)
			return "a condition's id does not match its place in the ledger";
		switch (c->disp) {
		case SS_DISP_IN_FLIGHT:
			if (c->virt)
				return "a virtual condition is in flight";
			inflight++;
			break;
		case SS_DISP_PENDING:
			if (c->virt) {
				vpending++;
				if ((int)i != pe->vcond)
					return "a virtual condition is pending but is not the current one";
				break;
			}
			pending++;
			if (c->trigger == SS_EDGE && (c->times_taken || c->times_deferred))
				return "an edge-triggered condition is pending after being taken or deferred";
			break;
		case SS_DISP_TAKEN:
			if (!c->times_taken || c->exc == 0 || c->exc > pe->nexc)
				return "a condition is TAKEN without a valid exception number";
			break;
		case SS_DISP_DEFERRED:
			if (!c->times_deferred || c->defer == 0 ||
			    c->defer > (c->virt ? pe->nvdefer : pe->ndefer))
				return "a condition is DEFERRED without a valid deferral number";
			if (c->trigger == SS_EDGE && c->times_taken)
				return "an edge-triggered condition was both taken and deferred";
			break;
		case SS_DISP_MERGED:
		case SS_DISP_HANDED_OVER:
			/* Follow the chain (a migrated vSError may move twice). */
			if (c->disp == SS_DISP_HANDED_OVER && !c->virt)
				return "a physical condition is HANDED_OVER";
			rep = c;
			for (uint32_t hops = 0; rep->disp == SS_DISP_MERGED ||
						rep->disp == SS_DISP_HANDED_OVER; hops++) {
				if (rep->merged_into >= pe->ncond || rep->merged_into == rep->id ||
				    hops > pe->ncond)
					return "a MERGED condition does not name the condition it merged into";
				rep = &pe->cond[rep->merged_into];
			}
			if (rep->virt != c->virt || rep->disp == SS_DISP_IN_FLIGHT)
				return "a MERGED condition names a condition that cannot have taken it";
			break;
		case SS_DISP_WITHDRAWN:
			if (c->virt ? (c->times_taken || c->times_deferred)
				    : (c->trigger != SS_LEVEL || c->times_taken || c->times_deferred))
				return "a condition is WITHDRAWN but was taken or deferred";
			break;
		case SS_DISP_LOST:
			if (!c->virt)
				return "a physical condition is LOST";
			if (c->lost == SS_LOST_NONE || c->lost >= SS_LOST_COUNT)
				return "a LOST condition has no reason";
			break;
		default:
			return "a condition has no valid disposition";
		}
		if (c->trigger == SS_EDGE && c->times_taken > 1)
			return "an edge-triggered condition was taken more than once";
	}
	if (pending != pe->npending || inflight != pe->ninflight)
		return "the pending/in-flight counters disagree with the ledger";
	if (vpending != (pe->vcond >= 0 ? 1u : 0u))
		return "the current virtual condition disagrees with the ledger";
	uint64_t total = pe->ncond;
	for (unsigned d = 0; d < SS_DISP_COUNT; d++) {
		if (!is_final((enum ss_disposition)d) && pe->retired[d])
			return "an open condition was compacted out of the ledger";
		total += pe->retired[d];
	}
	if (total != pe->nraised)
		return "the ledger does not account for every condition raised";
	return NULL;
}

uint64_t ss_ledger_count(const struct ss_pe *pe, enum ss_disposition d)
{
	uint64_t n = (unsigned)d < SS_DISP_COUNT ? pe->retired[d] : 0;
	for (uint32_t i = 0; i < pe->ncond; i++)
		n += pe->cond[i].disp == d;
	return n;
}

const char *ss_disposition_name(enum ss_disposition d)
{
	static const char *const names[] = { "in-flight", "pending", "taken", "deferred", "merged",
					     "withdrawn", "lost", "handed-over" };
	_Static_assert(sizeof names / sizeof names[0] == SS_DISP_COUNT, "one name per state");
	return (unsigned)d < sizeof names / sizeof names[0] ? names[d] : "?";
}

const char *ss_lost_reason_text(enum ss_lost_reason r)
{
	static const char *const text[] = {
		[SS_LOST_NONE] = "not lost",
		[SS_LOST_OVERWRITTEN] = "overwritten: a later injection rewrote VSESR_EL2 (last writer wins)",
		[SS_LOST_EINVAL] = "not restored: SET on the destination returned EINVAL",
		[SS_LOST_NO_EVENTS] = "dropped by the VMM: no vcpu events saved on the source",
		[SS_LOST_NOT_SENT] = "not restored: the VMM sent no pending SError",
		[SS_LOST_SYNDROME] = "syndrome dropped by the VMM (has_esr/esr not sent): the SError goes "
				     "on with the syndrome the destination makes up",
		[SS_LOST_UNREAD] = "deferred into VDISR_EL2, never read by the guest (DISR_EL1) by the end "
				   "of the run",
		[SS_LOST_VDISR_OVERWRITTEN] = "deferred into VDISR_EL2, overwritten by a later deferral "
					      "before the guest read DISR_EL1",
		[SS_LOST_AT_EL2] = "pended with HCR_EL2.VSE while the vCPU ran at EL2, where a virtual "
				   "SError is never taken; still pending at the end of the run",
	};
	_Static_assert(sizeof text / sizeof text[0] == SS_LOST_COUNT, "one text per reason");
	return (unsigned)r < SS_LOST_COUNT ? text[r] : "?";
}
