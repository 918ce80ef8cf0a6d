/*
 * events.c - scheduled events: timed events in a 4-ary heap of keys (by cycle, then
 * by order of scheduling), PC events in a hash table by address, firing at a
 * boundary, and the hand-over of timed events to a host.  Pure: no I/O.
 */
#include "internal.h"

#include <string.h>

/* --- events ---------------------------------------------------------------- */


/*
 * Timed events: a 4-ary min-heap of keys in tkey[0 .. ntimed) (the children
 * of i are 4i+1 .. 4i+4), ordered by (cycle, order of scheduling): events of
 * one cycle fire in the order they were scheduled, and an event scheduled
 * for a cycle already past fires at the next boundary, after the due events
 * scheduled before it.  The keys are 16 bytes and the events' records stay
 * where they were written, so a level of the heap is one cache line and a
 * pop moves keys only: at 10^5 events the heap's depth costs cache misses,
 * not copies (bench-scale, docs/performance.md).
 */
#define HEAP_ARITY 4u
#define REC_MASK ((UINT64_C(1) << SS_TIMED_REC_BITS) - 1)

_Static_assert(sizeof(struct ss_event_slot) ==
			      sizeof(struct ss_timed_key) + sizeof(struct ss_event_rec),
		      "a slot is one key and one record");

static inline bool key_before(const struct ss_timed_key *a, const struct ss_timed_key *b)
{
	return a->at < b->at || (a->at == b->at && a->ord < b->ord);
}

static void timed_push(struct ss_pe *pe, const struct ss_event *ev, uint64_t seq)
{
	uint32_t r;
	if (pe->tfree) {
		r = pe->tfree - 1;
		pe->tfree = pe->ev[r].next;
	} else {
		r = pe->tused++;
	}
	pe->ev[r].ev = *ev;
	struct ss_timed_key x = { .at = ev->at, .ord = seq << SS_TIMED_REC_BITS | r };
	uint32_t i = pe->ntimed++;
	while (i > 0) {
		uint32_t parent = (i - 1) / HEAP_ARITY;
		if (!key_before(&x, &pe->tkey[parent]))
			break;
		pe->tkey[i] = pe->tkey[parent];
		i = parent;
	}
	pe->tkey[i] = x;
}

/* Remove the first key (ntimed > 0).  Bottom-up (Floyd): the hole at the
 * root goes down to a leaf along the smallest children, and the last key,
 * which belongs near the bottom, comes up from there (usually a level or
 * none).  The keys leave in the same order as with a top-down sift:
 * (cycle, order of scheduling) is a total order. */
static void key_pop(struct ss_pe *pe)
{
	uint32_t n = --pe->ntimed;
	if (n == 0)
		return;
	struct ss_timed_key *k = pe->tkey;
	uint32_t i = 0;
	for (;;) {
		uint32_t c = HEAP_ARITY * i + 1;
		if (c >= n)
			break;
		uint32_t end = c + HEAP_ARITY < n ? c + HEAP_ARITY : n;
		for (uint32_t j = c + 1; j < end; j++)
			if (key_before(&k[j], &k[c]))
				c = j;
		k[i] = k[c];
		i = c;
	}
	struct ss_timed_key x = k[n];
	while (i > 0) {
		uint32_t parent = (i - 1) / HEAP_ARITY;
		if (!key_before(&x, &k[parent]))
			break;
		k[i] = k[parent];
		i = parent;
	}
	k[i] = x;
}

/* A timed record no longer used: on the free list (all of them forgotten
 * once no timed event is left). */
static void rec_free(struct ss_pe *pe, uint32_t r)
{
	if (!pe->ntimed) {
		pe->tused = 0;
		pe->tfree = 0;
		return;
	}
	pe->ev[r].ev.done = true;	/* (a timed event's 'done' is unused) */
	pe->ev[r].next = pe->tfree;
	pe->tfree = r + 1;
}

/* The timed records moved down over the free ones, in order, the keys told
 * (O(n): only when a PC event needs a record that a freed one holds). */
static void timed_compact(struct ss_pe *pe)
{
	uint32_t w = 0;
	for (uint32_t r = 0; r < pe->tused; r++) {
		if (pe->ev[r].ev.done)
			continue;
		pe->ev[r].next = w;	/* where it goes (read by the keys below) */
		if (w != r)
			pe->ev[w].ev = pe->ev[r].ev;
		w++;
	}
	for (uint32_t i = 0; i < pe->ntimed; i++) {
		uint64_t ord = pe->tkey[i].ord;
		pe->tkey[i].ord = (ord & ~REC_MASK) | pe->ev[ord & REC_MASK].next;
	}
	pe->tused = w;
	pe->tfree = 0;
}

/* Remove the first timed event (ntimed > 0) into *out. */
void ss_timed_pop(struct ss_pe *pe, struct ss_event *out)
{
	uint32_t r = (uint32_t)(pe->tkey[0].ord & REC_MASK);
	*out = pe->ev[r].ev;
	key_pop(pe);
	rec_free(pe, r);
#if defined(__GNUC__)
	/* the next event's record, on its way while this one fires */
	if (pe->ntimed)
		__builtin_prefetch(&pe->ev[pe->tkey[0].ord & REC_MASK]);
#endif
}

/*
 * PC events: the k-th scheduled is ev[ev_cap - 1 - k]; those not yet fired
 * are chained, in the order they were scheduled, in the hash bucket of
 * their address (the bucket of index b is ev[b].head/tail, pc_buckets a
 * power of two that grows with npcev).
 */
uint32_t ss_pc_slot(const struct ss_pe *pe, uint32_t k)
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
	struct ss_event_rec *b = &pe->ev[pc_bucket(pe, pe->ev[slot].ev.at)];
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
		if (!pe->ev[ss_pc_slot(pe, k)].ev.done)
			pc_chain(pe, ss_pc_slot(pe, k));
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
	if (ev->when == SS_AT_CYCLE && pe->nscheduled >= SS_MAX_TIMED_SCHEDULED)
		return false;
	if (ev->when == SS_AT_PC) {
		if (pe->tused + pe->npcev >= pe->ev_cap)
			timed_compact(pe);	/* a freed timed record is in the way */
		ss_mark_pc_event(pe, ev->at);
	}
	if ((ev->kind == SS_EV_LOWER || ev->kind == SS_EV_INTR ||
	     (ev->kind == SS_EV_RAISE && ev->trigger == SS_LEVEL)) &&
	    ev->line >= SS_MAX_LINES)
		return false;
	struct ss_event e = *ev;
	e.done = false;
	if (ev->when == SS_AT_CYCLE) {
		timed_push(pe, &e, pe->nscheduled++);
		return true;
	}
	pc_grow(pe);
	uint32_t slot = ss_pc_slot(pe, pe->npcev);
	pe->ev[slot].ev = e;
	pe->npcev++;
	pe->npcev_live++;
	pc_chain(pe, slot);
	return true;
}

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
	case SS_EV_INTR:
		ss_set_intr_line(pe, (enum ss_intr)ev->intr, ev->line, !ev->lower, obs);
		break;
	case SS_EV_MEM:
		ss_mem_activate(pe, ev->line);
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
bool ss_apply_timed_events(struct ss_pe *pe, const struct ss_observer *obs)
{
	while (pe->ntimed && pe->tkey[0].at <= pe->cycle) {
		struct ss_event ev;
		ss_timed_pop(pe, &ev);
		if (fire(pe, &ev, obs))
			return true;
	}
	if (pe->ninflight)
		ss_update_visibility(pe, obs);
	return false;
}

/* Fire the PC events at PC in the order they were scheduled, from the
 * from-th PC event on; true when one exits to the driver. */
bool ss_apply_pc_events(struct ss_pe *pe, const struct ss_observer *obs, uint32_t from)
{
	if (!pe->npcev_live)
		return false;
	struct ss_event_rec *b = &pe->ev[pc_bucket(pe, pe->pc)];
	uint32_t prev = SS_NIL;
	for (uint32_t i = b->head; i != SS_NIL;) {
		struct ss_event_rec *s = &pe->ev[i];
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
	uint64_t next = pe->ntimed ? pe->tkey[0].at : UINT64_MAX;
	uint64_t vis = ss_next_visible_cycle(pe);
	return vis < next ? vis : next;
}


uint32_t ss_take_timed_events(struct ss_pe *pe, unsigned kinds, struct ss_event *out,
			      uint32_t max)
{
	/* Sort the keys in place (heapsort: the first key ends last), turn
	 * them into firing order, then keep the others' keys in order: a
	 * sorted array is a heap.  The records stay where they are. */
	uint32_t m = pe->ntimed;
	while (pe->ntimed) {
		struct ss_timed_key x = pe->tkey[0];
		key_pop(pe);
		pe->tkey[pe->ntimed] = x;
	}
	for (uint32_t i = 0; i < m / 2; i++) {
		struct ss_timed_key x = pe->tkey[i];
		pe->tkey[i] = pe->tkey[m - 1 - i];
		pe->tkey[m - 1 - i] = x;
	}
	uint32_t n = 0, w = 0;
	for (uint32_t i = 0; i < m; i++) {
		struct ss_timed_key k = pe->tkey[i];
		uint32_t r = (uint32_t)(k.ord & REC_MASK);
		if ((kinds >> pe->ev[r].ev.kind & 1u) && n < max) {
			out[n++] = pe->ev[r].ev;
			pe->ev[r].ev.done = true;
			pe->ev[r].next = pe->tfree;
			pe->tfree = r + 1;
		} else {
			pe->tkey[w++] = k;
		}
	}
	pe->ntimed = w;
	if (!w) {
		pe->tused = 0;
		pe->tfree = 0;
	}
	return n;
}
