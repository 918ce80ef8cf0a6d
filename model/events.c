/*
 * events.c - scheduled events: timed events by cycle, then by order of
 * scheduling (a 4-ary heap of keys and a radix-sorted run), PC events in a
 * hash table by address, firing at a boundary, and the hand-over of timed
 * events to a host.  Pure: no I/O.
 */
#include "internal.h"

#include <string.h>

/* --- events ---------------------------------------------------------------- */


/*
 * Timed events fire in (cycle, order of scheduling) order: events of one
 * cycle in the order they were scheduled, and an event scheduled for a
 * cycle already past at the next boundary, ordered by its cycle.  Their
 * 16-byte keys are in two places: a 4-ary min-heap tkey[0 .. nheap) (the
 * children of i are 4i+1 .. 4i+4), after which every new event's key is
 * appended (put in order at the next pop), and a run sorted ascending at
 * the top of the array, tkey[ev_cap - nrun .. ev_cap), taken from its
 * front.  When the run is empty and the heap with its appended keys holds
 * TIMED_RUN_MIN keys or more, the next pop sorts them in place (an MSD
 * radix sort: a few passes, linear) and moves them to the top as the run: a
 * batch scheduled ahead (a scenario's events, a host's) then costs O(1) per
 * event instead of a heap's O(log n) with its cache misses.  The first
 * event is the smaller of the heap's root and the run's front.  The
 * events' records stay where they were written.
 */
#define TIMED_RUN_MIN 256u
#define HEAP_ARITY 4u
#define REC_MASK ((UINT64_C(1) << SS_TIMED_REC_BITS) - 1)

_Static_assert(sizeof(struct ss_event_slot) ==
			      sizeof(struct ss_timed_key) + sizeof(struct ss_event_rec),
		      "a slot is one key and one record");

static inline bool key_before(const struct ss_timed_key *a, const struct ss_timed_key *b)
{
	return a->at < b->at || (a->at == b->at && a->ord < b->ord);
}

/* The first of the full set of children c .. c+3: a tournament of two
 * pairs, each comparison a 128-bit one (cycle, then ord) that compiles to
 * flag arithmetic and conditional moves, so that a level of a deep heap
 * costs no mispredicted branch. */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 key128;
static inline key128 key_value(const struct ss_timed_key *k)
{
	return (key128)k->at << 64 | k->ord;
}
static inline uint32_t first_of_four(const struct ss_timed_key *k, uint32_t c)
{
	key128 v0 = key_value(&k[c]), v1 = key_value(&k[c + 1]);
	key128 v2 = key_value(&k[c + 2]), v3 = key_value(&k[c + 3]);
	uint32_t a = v1 < v0 ? c + 1 : c, b = v3 < v2 ? c + 3 : c + 2;
	key128 va = v1 < v0 ? v1 : v0, vb = v3 < v2 ? v3 : v2;
	return vb < va ? b : a;
}
#else
static inline uint32_t first_of_four(const struct ss_timed_key *k, uint32_t c)
{
	uint32_t a = key_before(&k[c + 1], &k[c]) ? c + 1 : c;
	uint32_t b = key_before(&k[c + 3], &k[c + 2]) ? c + 3 : c + 2;
	return key_before(&k[b], &k[a]) ? b : a;
}
#endif

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
	pe->ntimed++;
	/* appended, put in order at the next pop (a batch scheduled ahead
	 * is then sorted at once); the first of them is kept */
	if (pe->nheap == pe->nheaped || key_before(&x, &pe->tail_min))
		pe->tail_min = x;
	pe->tkey[pe->nheap++] = x;
}

/* The key at i (appended after the heap tkey[0 .. i)) up into its place. */
static void sift_up(struct ss_pe *pe, uint32_t i)
{
	struct ss_timed_key x = pe->tkey[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / HEAP_ARITY;
		if (!key_before(&x, &pe->tkey[parent]))
			break;
		pe->tkey[i] = pe->tkey[parent];
		i = parent;
	}
	pe->tkey[i] = x;
}

/* Remove the heap's root (nheap > 0).  Bottom-up (Floyd): the hole at the
 * root goes down to a leaf along the smallest children, and the last key,
 * which belongs near the bottom, comes up from there (usually a level or
 * none).  The keys leave in the same order as with a top-down sift:
 * (cycle, order of scheduling) is a total order. */
static void key_pop(struct ss_pe *pe)
{
	uint32_t n = --pe->nheap;
	pe->nheaped = n;
	if (n == 0)
		return;
	struct ss_timed_key *k = pe->tkey;
	uint32_t i = 0;
	for (;;) {
		uint32_t c = HEAP_ARITY * i + 1;
		if (c + HEAP_ARITY <= n) {
			c = first_of_four(k, c);
		} else {
			if (c >= n)
				break;
			for (uint32_t j = c + 1; j < n; j++)
				if (key_before(&k[j], &k[c]))
					c = j;
		}
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
	for (uint32_t i = 0; i < pe->ev_cap; i++) {
		if (i == pe->nheap)
			i = pe->ev_cap - pe->nrun;	/* from the heap to the run */
		if (i >= pe->ev_cap)
			break;
		uint64_t ord = pe->tkey[i].ord;
		pe->tkey[i].ord = (ord & ~REC_MASK) | pe->ev[ord & REC_MASK].next;
	}
	if (pe->nheap > pe->nheaped)
		pe->tail_min.ord = (pe->tail_min.ord & ~REC_MASK) | pe->ev[pe->tail_min.ord & REC_MASK].next;
	pe->tused = w;
	pe->tfree = 0;
}

/* --- the run: an MSD radix sort of keys, in place ----------------------- */

/* Byte b of the 128-bit key (cycle, ord): 15 is the cycle's highest. */
static inline unsigned key_byte(const struct ss_timed_key *k, unsigned b)
{
	return (unsigned)((b >= 8 ? k->at >> (8 * (b - 8)) : k->ord >> (8 * b)) & 0xff);
}

static void insertion_sort(struct ss_timed_key *k, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		struct ss_timed_key x = k[i];
		uint32_t j = i;
		while (j > 0 && key_before(&x, &k[j - 1])) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = x;
	}
}

/* Sort k[0 .. n) by bytes b, b-1, ..., 0 (the higher bytes are equal). */
static void radix_sort(struct ss_timed_key *k, uint32_t n, unsigned b)
{
	for (;;) {
		if (n < 32) {
			insertion_sort(k, n);
			return;
		}
		uint32_t count[256] = { 0 };
		for (uint32_t i = 0; i < n; i++)
			count[key_byte(&k[i], b)]++;
		if (count[key_byte(&k[0], b)] == n) {	/* one value: the next byte */
			if (b == 0)
				return;
			b--;
			continue;
		}
		/* American flag sort: each key swapped into its bucket (2 KB of
		 * counts a level, at most 16 levels) */
		uint32_t next[256], at = 0;
		for (unsigned d = 0; d < 256; d++) {
			next[d] = at;
			at += count[d];
		}
		for (unsigned d = 0, end = 0; d < 256; d++) {
			end += count[d];
			while (next[d] < end) {
				struct ss_timed_key x = k[next[d]];
				unsigned e = key_byte(&x, b);
				while (e != d) {
					struct ss_timed_key y = k[next[e]];
					k[next[e]++] = x;
					x = y;
					e = key_byte(&x, b);
				}
				k[next[d]++] = x;
			}
		}
		if (b == 0)
			return;	/* (ord is unique: no equal keys) */
		for (unsigned d = 0, from = 0; d < 256; from += count[d++])
			if (count[d] > 1)
				radix_sort(k + from, count[d], b - 1);
		return;
	}
}

/* k[0 .. n) sorted ascending, from the highest byte in which two keys
 * differ. */
static void sort_keys(struct ss_timed_key *k, uint32_t n)
{
	uint64_t dat = 0, dord = 0;
	for (uint32_t i = 1; i < n; i++) {
		dat |= k[i].at ^ k[0].at;
		dord |= k[i].ord ^ k[0].ord;
	}
	unsigned top = 0;
	for (uint64_t v = dat ? dat : dord; v >>= 8;)
		top++;
	radix_sort(k, n, dat ? top + 8 : top);
}

/* The keys put in order before a pop: the heap with the keys appended to
 * it sorted and moved to the top as the run when the run is empty and they
 * are TIMED_RUN_MIN or more, else the appended keys each into the heap. */
static void timed_settle(struct ss_pe *pe)
{
	uint32_t n = pe->nheap;
	if (!pe->nrun && n >= TIMED_RUN_MIN) {
		struct ss_timed_key *k = pe->tkey;
		sort_keys(k, n);
		memmove(k + pe->ev_cap - n, k, n * sizeof k[0]);
		pe->nrun = n;
		pe->nheap = pe->nheaped = 0;
		return;
	}
	for (; pe->nheaped < n; pe->nheaped++)
		sift_up(pe, pe->nheaped);
}

/* The first timed event's key (ntimed > 0): the first of the heap's root,
 * the keys appended since the last pop and the run's front. */
static inline const struct ss_timed_key *timed_first(const struct ss_pe *pe)
{
	const struct ss_timed_key *f = pe->nrun ? &pe->tkey[pe->ev_cap - pe->nrun] : NULL;
	if (pe->nheaped && (!f || key_before(&pe->tkey[0], f)))
		f = &pe->tkey[0];
	if (pe->nheap > pe->nheaped && (!f || key_before(&pe->tail_min, f)))
		f = &pe->tail_min;
	return f;
}

/* Remove the first timed event (ntimed > 0) into *out. */
void ss_timed_pop(struct ss_pe *pe, struct ss_event *out)
{
	timed_settle(pe);
	const struct ss_timed_key *f = timed_first(pe);
	uint32_t r = (uint32_t)(f->ord & REC_MASK);
	*out = pe->ev[r].ev;
	if (pe->nrun && f == &pe->tkey[pe->ev_cap - pe->nrun])
		pe->nrun--;
	else
		key_pop(pe);
	pe->ntimed--;
	rec_free(pe, r);
#if defined(__GNUC__)
	/* records on their way while this one fires: from the run (read in
	 * order) a few events ahead, to cover a miss to memory */
	if (pe->nrun > 4)
		__builtin_prefetch(&pe->ev[pe->tkey[pe->ev_cap - pe->nrun + 4].ord & REC_MASK]);
	else if (pe->ntimed)
		__builtin_prefetch(&pe->ev[timed_first(pe)->ord & REC_MASK]);
#endif
}

static uint64_t next_timed_cycle(const struct ss_pe *pe)
{
	return pe->ntimed ? timed_first(pe)->at : UINT64_MAX;
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
	while (pe->ntimed && timed_first(pe)->at <= pe->cycle) {
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
	uint64_t next = next_timed_cycle(pe);
	uint64_t vis = ss_next_visible_cycle(pe);
	return vis < next ? vis : next;
}


uint32_t ss_take_timed_events(struct ss_pe *pe, unsigned kinds, struct ss_event *out,
			      uint32_t max)
{
	/* All the keys (the run's moved down after the heap's) sorted in
	 * place into firing order, then the others' keys kept in order: a
	 * sorted array is a heap.  The records stay where they are. */
	uint32_t m = pe->nheap + pe->nrun;
	memmove(pe->tkey + pe->nheap, pe->tkey + pe->ev_cap - pe->nrun, pe->nrun * sizeof pe->tkey[0]);
	pe->nrun = 0;
	sort_keys(pe->tkey, m);
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
	pe->ntimed = pe->nheap = pe->nheaped = w;
	if (!w) {
		pe->tused = 0;
		pe->tfree = 0;
	}
	return n;
}
