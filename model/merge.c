/*
 * merge.c - the merge policies: which pending physical SError conditions one
 * SError exception or one ESB consumes, and the syndrome it reports (RAS spec
 * 2.5.3; Arm ARM D20.4.3, RDHKQZ).  The policies are rows of
 * SS_MERGE_POLICIES (config.h).  Pure: no I/O.
 */
#include "internal.h"

/* --- the rows ---------------------------------------------------------------- */

enum merge_pick { PICK_OLDEST, PICK_NEWEST, PICK_MOST_SEVERE };
enum merge_syndrome { SYNDROME_REPRESENTATIVE, SYNDROME_COMBINED };

struct merge_policy {
	bool merges;			/* consume every eligible condition, or the representative alone */
	enum merge_pick pick;		/* which eligible condition is the representative */
	enum merge_syndrome syndrome;	/* the syndrome reported */
};

#define ROW(id, name, merges, pick, syndrome) \
	[SS_MERGE_##id] = { merges, PICK_##pick, SYNDROME_##syndrome },
static const struct merge_policy policies[] = { SS_MERGE_POLICIES(ROW) };
#undef ROW

_Static_assert(sizeof policies / sizeof policies[0] == SS_MERGE_COUNT,
	       "one merge_policy row per enum ss_merge value");

static const struct merge_policy *policy(const struct ss_config *cfg)
{
	return &policies[(unsigned)cfg->merge < SS_MERGE_COUNT ? cfg->merge : SS_MERGE_ONE_AT_A_TIME];
}

/* --- syndromes ----------------------------------------------------------------- */

unsigned ss_aet_rank(uint32_t iss)
{
	if (!ss_iss_is_architected(iss))
		return 5;
	switch (ss_iss_aet(iss)) {
	case SS_AET_UC:
		return 5;
	case SS_AET_UEU:
		return 4;
	case SS_AET_UER:
		return 3;
	case SS_AET_UEO:
		return 2;
	case SS_AET_CE:
		return 1;
	}
	return 5;	/* reserved encodings: treated as uncontainable */
}

uint32_t ss_combine_iss(const struct ss_config *cfg, const uint32_t *iss, unsigned n)
{
	static const uint64_t by_rank[6] = { SS_AET_CE, SS_AET_CE, SS_AET_UEO, SS_AET_UER, SS_AET_UEU, SS_AET_UC };
	unsigned rank = 0;
	bool ea = false;
	for (unsigned i = 0; i < n; i++) {
		if (!ss_iss_is_architected(iss[i]))
			return cfg->merge_impdef_iss & SS_SERROR_ISS_MASK;
		if (ss_aet_rank(iss[i]) > rank)
			rank = ss_aet_rank(iss[i]);
		ea = ea || SS_GET(ESR_SErr_EA, iss[i]);
	}
	return ss_iss_serror(by_rank[rank], ea);
}

/* --- picking and consuming ------------------------------------------------------- */

/*
 * The eligible conditions (pending, physical, synchronizable when sync_only)
 * are the lists pe->pend[s][k] of the bits of mask(s) (ledger.c): each list
 * in ledger order, one syndrome class each.  Every pick and the combined
 * syndrome cost O(classes), whatever the number of pending conditions.
 */
static unsigned eligible_mask(const struct ss_pe *pe, bool sync_only, unsigned s)
{
	return s == 0 && sync_only ? 0 : pe->pend_mask[s];
}

/* Classes of severity rank r (ss_pend_class): architected AET of rank r
 * with EA 0 or 1; rank 5 also every syndrome that is not architected. */
static unsigned rank_classes(unsigned r)
{
	return (3u << (2 * (r - 1))) | (r == 5 ? 3u << 10 : 0);
}

/* First (oldest) eligible condition of the classes in 'classes', or NULL. */
static struct ss_condition *first_of(struct ss_pe *pe, bool sync_only, unsigned classes)
{
	uint32_t best = SS_NIL;
	for (unsigned s = 0; s < 2; s++)
		for (unsigned m = eligible_mask(pe, sync_only, s) & classes; m; m &= m - 1) {
			uint32_t h = pe->pend[s][__builtin_ctz(m)].head;
			if (h < best)
				best = h;
		}
	return best == SS_NIL ? NULL : &pe->cond[best];
}

static struct ss_condition *last_of(struct ss_pe *pe, bool sync_only)
{
	uint32_t best = SS_NIL;
	for (unsigned s = 0; s < 2; s++)
		for (unsigned m = eligible_mask(pe, sync_only, s); m; m &= m - 1) {
			uint32_t t = pe->pend[s][__builtin_ctz(m)].tail;
			if (best == SS_NIL || t > best)
				best = t;
		}
	return best == SS_NIL ? NULL : &pe->cond[best];
}

struct ss_condition *ss_oldest_pending(struct ss_pe *pe, bool synchronizable_only)
{
	return first_of(pe, synchronizable_only, ~0u);
}

/*
 * Choose the condition whose syndrome an SError exception or an ESB reports
 * (the representative) and that syndrome, as this PE reports it (ESR_ELx.ISS
 * or DISR_EL1; RAS spec 2.5.3 items 3-4).  NULL when none is eligible.
 * oldest: the first eligible in ledger order; newest: the last; most-severe:
 * the first of the highest severity rank (ss_aet_rank).
 */
struct ss_condition *ss_merge_pick(struct ss_pe *pe, bool sync_only, uint32_t *iss)
{
	const struct merge_policy *p = policy(&pe->cfg);
	struct ss_condition *rep = NULL;
	if (!eligible_mask(pe, sync_only, 0) && !eligible_mask(pe, sync_only, 1))
		return NULL;
	switch (p->pick) {
	case PICK_OLDEST:
		rep = first_of(pe, sync_only, ~0u);
		break;
	case PICK_NEWEST:
		rep = last_of(pe, sync_only);
		break;
	case PICK_MOST_SEVERE:
		for (unsigned r = 5; !rep && r >= 1; r--)
			rep = first_of(pe, sync_only, rank_classes(r));
		break;
	}
	if (!rep)
		return NULL;
	/* The combination depends on which classes are there (the syndrome
	 * properties ss_combine_iss reads are the same within a class), and
	 * on whether there are several. */
	uint32_t all[2 * 12];
	unsigned nclass = 0, n = 0;
	if (p->syndrome == SYNDROME_COMBINED) {
		for (unsigned s = 0; s < 2; s++)
			for (unsigned m = eligible_mask(pe, sync_only, s); m; m &= m - 1) {
				const struct ss_cond_list *l = &pe->pend[s][__builtin_ctz(m)];
				all[nclass++] = ss_physical_iss(pe, pe->cond[l->head].iss);
				n += l->n;
			}
	}
	if (n > 1)
		*iss = ss_combine_iss(&pe->cfg, all, nclass);
	else
		*iss = ss_physical_iss(pe, rep->iss);
	return rep;
}

/* Taking clears an edge-triggered condition; a level one stays pending
 * while its source asserts it (Arm ARM ISR_EL1.A, D24.2.118; D1.4.2.2). */
static void consume(struct ss_pe *pe, struct ss_condition *c, enum ss_disposition d,
		    uint32_t number, const struct ss_condition *rep)
{
	if (d == SS_DISP_DEFERRED) {
		if (!c->times_deferred)
			c->defer = number;
		c->times_deferred++;
	} else {
		if (!c->times_taken)
			c->exc = number;
		c->times_taken++;
	}
	if (c->trigger == SS_EDGE) {
		ss_pend_remove(pe, c);
		c->disp = c == rep ? d : SS_DISP_MERGED;
		c->merged_into = rep->id;
		pe->npending--;
	}
}

/* Consume the representative and, under a merging policy, every other
 * eligible condition with it (O(1) each). */
void ss_merge_consume(struct ss_pe *pe, struct ss_condition *rep, bool sync_only,
		      enum ss_disposition d, uint32_t number)
{
	if (policy(&pe->cfg)->merges) {
		for (unsigned s = 0; s < 2; s++)
			for (unsigned m = eligible_mask(pe, sync_only, s); m; m &= m - 1) {
				const struct ss_cond_list *l = &pe->pend[s][__builtin_ctz(m)];
				for (uint32_t i = l->head; i != SS_NIL;) {
					struct ss_condition *c = &pe->cond[i];
					i = c->next;
					if (c != rep)
						consume(pe, c, d, number, rep);
				}
			}
	}
	consume(pe, rep, d, number, rep);
}
