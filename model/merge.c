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

static bool eligible(const struct ss_condition *c, bool sync_only)
{
	return !c->virt && c->disp == SS_DISP_PENDING && (!sync_only || c->synchronizable);
}

struct ss_condition *ss_oldest_pending(struct ss_pe *pe, bool synchronizable_only)
{
	for (uint32_t i = ss_open_from(pe); pe->npending && i < pe->ncond; i++) {
		struct ss_condition *c = &pe->cond[i];
		if (eligible(c, synchronizable_only))
			return c;
	}
	return NULL;
}

/* Is c a better representative than rep under this pick? */
static bool better(enum merge_pick pick, const struct ss_condition *c,
		   const struct ss_condition *rep)
{
	switch (pick) {
	case PICK_OLDEST:
		return !rep;
	case PICK_NEWEST:
		return true;
	case PICK_MOST_SEVERE:
		return !rep || ss_aet_rank(c->iss) > ss_aet_rank(rep->iss);
	}
	return !rep;
}

/*
 * Choose the condition whose syndrome an SError exception or an ESB reports
 * (the representative) and that syndrome, as this PE reports it (ESR_ELx.ISS
 * or DISR_EL1; RAS spec 2.5.3 items 3-4).  NULL when none is eligible.
 */
struct ss_condition *ss_merge_pick(struct ss_pe *pe, bool sync_only, uint32_t *iss)
{
	const struct merge_policy *p = policy(&pe->cfg);
	struct ss_condition *rep = NULL;
	uint32_t all[SS_MAX_CONDS];
	unsigned n = 0;
	for (uint32_t i = ss_open_from(pe); pe->npending && i < pe->ncond; i++) {
		struct ss_condition *c = &pe->cond[i];
		if (!eligible(c, sync_only))
			continue;
		all[n++] = ss_physical_iss(pe, c->iss);
		if (better(p->pick, c, rep))
			rep = c;
	}
	if (!rep)
		return NULL;
	if (p->syndrome == SYNDROME_COMBINED && n > 1)
		*iss = ss_combine_iss(&pe->cfg, all, n);
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
		c->disp = c == rep ? d : SS_DISP_MERGED;
		c->merged_into = rep->id;
		pe->npending--;
	}
}

/* Consume the representative and, under a merging policy, every other
 * eligible condition with it. */
void ss_merge_consume(struct ss_pe *pe, struct ss_condition *rep, bool sync_only,
		      enum ss_disposition d, uint32_t number)
{
	if (policy(&pe->cfg)->merges) {
		for (uint32_t i = ss_open_from(pe); i < pe->ncond; i++) {
			struct ss_condition *c = &pe->cond[i];
			if (c != rep && eligible(c, sync_only))
				consume(pe, c, d, number, rep);
		}
	}
	consume(pe, rep, d, number, rep);
}
