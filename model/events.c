/*
 * events.c - scheduled events: timed events in a binary heap (by cycle, then
 * by order of scheduling), PC events in a hash table by address, firing at a
 * boundary, and the hand-over of timed events to a host.  Pure: no I/O.
 */
#include "internal.h"

#include <string.h>

/* --- events ---------------------------------------------------------------- */


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
void ss_timed_pop(struct ss_pe *pe, struct ss_event *out)
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
	if (ev->when == SS_AT_PC)
		ss_mark_pc_event(pe, ev->at);
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
	while (pe->ntimed && pe->ev[0].ev.at <= pe->cycle) {
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
		ss_timed_pop(pe, &x.ev);
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
