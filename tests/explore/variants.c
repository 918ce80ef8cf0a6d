/*
 * variants.c - every variant of each template given, under several knob
 * overrides, run through ss_variants_run and through ss_scenario_run_text:
 * the results must be the same byte for byte (status, diagnostics, every
 * expectation, the ledger, the counts).  Exit 0 when they are.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static const struct ss_knob_override sets[][2] = {
	{ { NULL, NULL } },
	{ { "merge", "first-wins" } },
	{ { "merge", "ras-combine" }, { "vinject", "combine" } },
	{ { "iesb", "off" } },
	{ { "merge", "no-such-policy" } },
};
static const size_t nsets[] = { 0, 1, 2, 1, 1 };

/* Configurations compare knob by knob (their padding may differ). */
static bool cfg_same(const struct ss_config *a, const struct ss_config *b)
{
	for (const struct ss_knob *k = ss_knobs; k < ss_knobs + ss_num_knobs; k++) {
		const char *pa = (const char *)a + k->offset, *pb = (const char *)b + k->offset;
		size_t n = k->type == SS_KNOB_BOOL ? sizeof(bool)
			   : k->type == SS_KNOB_ENUM ? sizeof(enum ss_merge)
			   : k->type == SS_KNOB_U32 ? sizeof(uint32_t) : sizeof(uint64_t);
		if (memcmp(pa, pb, n) != 0)
			return false;
	}
	return true;
}

static bool same(const struct ss_result *a, const struct ss_result *b)
{
	static struct ss_result x, y;
	x = *a, y = *b;
	x.exp = y.exp = NULL;
	x.ledger = y.ledger = NULL;
	if (!cfg_same(&a->cfg, &b->cfg))
		return false;
	/* the configuration and the padding after it */
	size_t c0 = offsetof(struct ss_result, cfg), c1 = offsetof(struct ss_result, variants);
	memset((char *)&x + c0, 0, c1 - c0);
	memset((char *)&y + c0, 0, c1 - c0);
	/* Entries past the counts are not cleared (ss_result_init): the used
	 * diagnostics compare field by field, the rest not at all. */
	if (a->diags.n != b->diags.n || a->diags.dropped != b->diags.dropped ||
	    a->nvmops != b->nvmops)
		return false;
	for (size_t i = 0; i < a->diags.n; i++)
		if (a->diags.v[i].line != b->diags.v[i].line || a->diags.v[i].col != b->diags.v[i].col ||
		    strcmp(a->diags.v[i].msg, b->diags.v[i].msg) != 0)
			return false;
	memset(x.diags.v, 0, sizeof x.diags.v);
	memset(y.diags.v, 0, sizeof y.diags.v);
	for (size_t i = a->nvmops; i < SS_MAX_VMOPS; i++) {
		memset(&x.vmops[i], 0, sizeof x.vmops[i]);
		memset(&y.vmops[i], 0, sizeof y.vmops[i]);
	}
	for (size_t i = 0; i < a->nvmops; i++) {
		if (!cfg_same(&a->vmops[i].src, &b->vmops[i].src) ||
		    !cfg_same(&a->vmops[i].dst, &b->vmops[i].dst))
			return false;
		x.vmops[i].op.dst = y.vmops[i].op.dst = NULL;	/* into the run's hosts */
		memset(&x.vmops[i].src, 0, sizeof x.vmops[i].src);
		memset(&y.vmops[i].src, 0, sizeof y.vmops[i].src);
		memset(&x.vmops[i].dst, 0, sizeof x.vmops[i].dst);
		memset(&y.vmops[i].dst, 0, sizeof y.vmops[i].dst);
	}
	if (memcmp(&x, &y, sizeof x) != 0 || a->nexp != b->nexp || a->nledger != b->nledger)
		return false;
	if (a->nexp && memcmp(a->exp, b->exp, a->nexp * sizeof *a->exp) != 0)
		return false;
	for (size_t i = 0; i < a->nledger; i++) {	/* field by field: structs have padding */
		const struct ss_condition *p = &a->ledger[i].c, *q = &b->ledger[i].c;
		if (p->id != q->id || p->seq != q->seq || p->virt != q->virt || p->iss != q->iss ||
		    p->trigger != q->trigger || p->synchronizable != q->synchronizable ||
		    p->line != q->line || p->raised != q->raised || p->visible != q->visible ||
		    p->disp != q->disp || p->exc != q->exc || p->defer != q->defer ||
		    p->merged_into != q->merged_into || p->times_taken != q->times_taken ||
		    p->times_deferred != q->times_deferred ||
		    strcmp(a->ledger[i].decoded, b->ledger[i].decoded) != 0)
			return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		struct ss_diags d = { .n = 0 };
		size_t len;
		char *text = ss_scenario_read_file(argv[i], &len, &d);
		if (!text) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 2;
		}
		struct ss_variants *v = ss_variants_new(argv[i], text, len);
		uint64_t n = v ? ss_variants_count(v) : 0;
		if (!n) {
			fprintf(stderr, "%s: not a template\n", argv[i]);
			return 2;
		}
		size_t runs = 0;
		/* twice over, so that cached state is reused across variants */
		for (unsigned pass = 0; pass < 2; pass++)
			for (uint64_t k = 0; k < n; k++)
				for (size_t s = 0; s < sizeof nsets / sizeof nsets[0]; s++) {
					struct ss_run_options o = { .overrides = sets[s],
								    .noverrides = nsets[s], .variant = k };
					struct ss_result a, b;
					ss_variants_run(v, &o, &a);
					ss_scenario_run_text(argv[i], text, len, &o, &b);
					if (!same(&a, &b)) {
						fprintf(stderr, "%s: variant %" PRIu64 " (%s), overrides %zu: "
							"results differ\n", argv[i], k, b.variant_label, s);
						bad = 1;
					}
					ss_result_free(&a);
					ss_result_free(&b);
					runs++;
				}
		printf("%s: %" PRIu64 " variants, %zu runs compared\n", argv[i], n, runs);
		ss_variants_free(v);
		free(text);
	}
	return bad;
}
