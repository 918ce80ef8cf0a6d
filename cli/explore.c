/*
 * explore.c - serrsim explore: run each scenario under each merge or
 * injection policy (the merge and vinject knobs, docs/policies.md) and show
 * the outcomes side by side; with --enumerate, expand a scenario template
 * into every variant and group the variants into classes of equal outcome.
 *
 * A run's outcome is what the program saw: the exceptions taken (SErrors by
 * their syndrome, others by cause), the ESB deferrals, and the ledger counts
 * (merged, dropped = lost, still pending).  Expectations qualified with
 * policy=NAME are checked in the runs of that policy; every run checks the
 * unqualified ones and the ledger invariant.
 */
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "esr.h"
#include "html.h"
#include "profile.h"

#define MAX_COLS 16

/* --- policies (the columns) ---------------------------------------------------------- */

struct column {
	const struct ss_knob *knob;	/* merge or vinject */
	unsigned value;
	const char *name;
};

struct columns {
	struct column v[MAX_COLS];
	size_t n;
	bool automatic;		/* --policy all: only the relevant knobs per scenario */
};

static const char *const policy_knob_names[] = { "merge", "vinject", NULL };

/* Named profiles as columns (--policy profile:NAME or 'profiles'): a
 * pseudo-knob whose values are the profile names; a run applies every knob
 * of the profile (scenario/profile.h), as -P does. */
#define MAX_PROFILE_NAMES 32
static const char *profile_names[MAX_PROFILE_NAMES + 1];
static const struct ss_knob profile_knob = { "profile", SS_KNOB_ENUM, 0, profile_names, 0,
					      "serrsim profiles", "a named profile" };

static void init_profile_names(void)
{
	for (size_t i = 0; ss_profiles[i] && i < MAX_PROFILE_NAMES; i++)
		profile_names[i] = ss_profiles[i]->name;
}

/* The largest number of knobs a profile sets. */
static size_t max_profile_knobs(void)
{
	size_t m = 0;
	for (size_t i = 0; ss_profiles[i]; i++)
		m = ss_profiles[i]->n > m ? ss_profiles[i]->n : m;
	return m;
}

static bool add_column(struct columns *cs, const struct ss_knob *k, unsigned value)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->v[i].knob == k && cs->v[i].value == value)
			return true;
	if (cs->n >= MAX_COLS)
		return false;
	cs->v[cs->n++] = (struct column){ k, value, k->values[value] };
	return true;
}

static bool add_knob_columns(struct columns *cs, const struct ss_knob *k)
{
	for (unsigned i = 0; k->values[i]; i++)
		if (!add_column(cs, k, i))
			return false;
	return true;
}

static bool name_eq(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

/* all | NAME,NAME... where a NAME is a value of merge or vinject, or one of
 * those knob names (all its values). */
static bool parse_policies(const char *arg, struct columns *cs)
{
	cs->n = 0;
	if (strcasecmp(arg, "all") == 0) {
		cs->automatic = true;
		for (unsigned k = 0; policy_knob_names[k]; k++)
			add_knob_columns(cs, ss_knob_find(policy_knob_names[k]));
		return true;
	}
	init_profile_names();
	for (const char *p = arg;;) {
		size_t len = strcspn(p, ",");
		bool found = false;
		if (name_eq(p, len, "profiles"))
			found = add_knob_columns(cs, &profile_knob);
		for (unsigned i = 0; !found && len > 8 && !strncasecmp(p, "profile:", 8) &&
				     profile_names[i]; i++)
			if (name_eq(p + 8, len - 8, profile_names[i]))
				found = add_column(cs, &profile_knob, i);
		for (unsigned k = 0; policy_knob_names[k] && !found; k++) {
			const struct ss_knob *kn = ss_knob_find(policy_knob_names[k]);
			if (name_eq(p, len, kn->name)) {
				found = add_knob_columns(cs, kn);
				continue;
			}
			for (unsigned i = 0; kn->values[i] && !found; i++)
				if (name_eq(p, len, kn->values[i]))
					found = add_column(cs, kn, i);
		}
		if (!found) {
			fprintf(stderr, "serrsim: --policy: unknown policy '%.*s' (expected all, merge, "
				"vinject, values of those knobs ('serrsim knobs'), profiles, or "
				"profile:NAME ('serrsim profiles'))\n", (int)len, p);
			return false;
		}
		if (!p[len])
			return true;
		p += len + 1;
	}
}

/* --- one run's outcome ------------------------------------------------------------------ */

struct report {
	bool deferral;
	enum ss_cause cause;	/* exception */
	unsigned to_el;
	enum ss_reg reg;	/* deferral: DISR_EL1 or VDISR_EL2 */
	uint64_t value;		/* ESR, or the deferred value */
};

struct outcome {
	enum ss_status status;
	uint32_t nexc, merged, dropped, pending, deferred, taken;
	struct report *rep;
	size_t nrep;
	char *cell;		/* the table cell */
	char *failures;		/* failing expectations or errors (check format), or NULL */
	bool cond;		/* the final state satisfies [exists]/[forall] */
};

static void outcome_free(struct outcome *o)
{
	free(o->rep);
	free(o->cell);
	free(o->failures);
	memset(o, 0, sizeof *o);
}

static void report_text(const struct report *r, char *buf, size_t len)
{
	char syn[48];
	uint32_t iss = (uint32_t)(r->value & SS_SERROR_ISS_MASK);
	if (r->deferral) {
		cli_short_iss(iss, syn, sizeof syn);
		snprintf(buf, len, "%s:%s", r->reg == SS_REG_VDISR_EL2 ? "vesb" : "esb", syn);
		return;
	}
	if (r->cause != SS_CAUSE_PSERROR && r->cause != SS_CAUSE_VSERROR) {
		snprintf(buf, len, "%s", ss_cause_name(r->cause));
		return;
	}
	cli_short_iss(iss, syn, sizeof syn);
	char el[8] = "";
	if (r->to_el != 1)
		snprintf(el, sizeof el, "@EL%u", r->to_el);
	snprintf(buf, len, "%s%s%s", r->cause == SS_CAUSE_VSERROR ? "v" : "", syn, el);
}

/* A growing string. */
struct sbuf {
	char *s;
	size_t n, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *text)
{
	size_t l = strlen(text);
	if (b->oom)
		return;
	if (b->n + l + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		while (ncap < b->n + l + 1)
			ncap *= 2;
		char *p = realloc(b->s, ncap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = ncap;
	}
	memcpy(b->s + b->n, text, l + 1);
	b->n += l;
}

/* The syndromes seen, in order: "UER,UEU+EA,esb:CE" ("-" when none). */
static char *syndrome_list(const struct outcome *o)
{
	struct sbuf b = { 0 };
	char item[80];
	for (size_t i = 0; i < o->nrep; i++) {
		report_text(&o->rep[i], item, sizeof item);
		if (i)
			sb_add(&b, ",");
		sb_add(&b, item);
	}
	if (!o->nrep)
		sb_add(&b, "-");
	return b.s;
}

/* "2: UER,UEU+EA m1 lost1 p1" */
static char *make_cell(const struct outcome *o)
{
	if (o->status == SS_STATUS_ERROR)
		return strdup("error");
	char *list = syndrome_list(o);
	if (!list)
		return NULL;
	char tail[96] = "";
	size_t used = 0;
	if (o->merged)
		used += (size_t)snprintf(tail + used, sizeof tail - used, " m%" PRIu32, o->merged);
	if (o->dropped)
		used += (size_t)snprintf(tail + used, sizeof tail - used, " lost%" PRIu32, o->dropped);
	if (o->pending)
		snprintf(tail + used, sizeof tail - used, " p%" PRIu32, o->pending);
	size_t len = strlen(list) + strlen(tail) + 16;
	char *cell = malloc(len);
	if (cell)
		snprintf(cell, len, "%" PRIu32 ": %s%s", o->nexc, list, tail);
	free(list);
	return cell;
}

/* The observer of one run: exceptions and deferrals in order. */
struct collect {
	struct report *v;
	size_t n, cap;
	bool oom;
};

static void collect_push(struct collect *c, const struct report *r)
{
	if (c->oom)
		return;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 8;
		struct report *p = realloc(c->v, ncap * sizeof *p);
		if (!p) {
			c->oom = true;
			return;
		}
		c->v = p;
		c->cap = ncap;
	}
	c->v[c->n++] = *r;
}

static void collect_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	(void)pe;
	struct collect *c = ctx;
	if (t->kind == SS_TR_EXCEPTION && t->exc) {
		struct report r = { .cause = t->exc->cause, .to_el = t->exc->to_el,
				    .value = t->exc->esr };
		collect_push(c, &r);
	} else if (t->kind == SS_TR_DEFER) {
		struct report r = { .deferral = true, .reg = t->reg, .value = t->value };
		collect_push(c, &r);
	}
}

static char *capture_failures(const char *path, const struct ss_result *res)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	if (res->status == SS_STATUS_ERROR) {
		print_diags(f, path, res);
	} else {
		for (size_t i = 0; i < res->nexp; i++)
			if (!res->exp[i].pass) {
				struct ss_result one = *res;
				one.exp = &res->exp[i];
				one.nexp = 1;
				one.status = SS_STATUS_FAIL;
				print_check_line(f, path, &one);
			}
	}
	fclose(f);
	/* drop the "FAIL name" lines print_check_line starts with */
	char *out = malloc(len + 1), *o = out;
	for (char *p = text; out && p && *p;) {
		char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) + 1 : strlen(p);
		if (res->status == SS_STATUS_ERROR || strncmp(p, "FAIL ", 5) != 0) {
			memcpy(o, p, l);
			o += l;
		}
		p += l;
	}
	if (out)
		*o = '\0';
	free(text);
	return out;
}

/* --- files and jobs ------------------------------------------------------------------------ */

struct klass {
	uint64_t rep;			/* first variant of the class */
	size_t count;
	size_t failed[MAX_COLS];	/* variants failing under each policy */
	uint64_t first_failed[MAX_COLS];
	bool disagree;
	char *key;
};

struct file {
	const char *path;
	char *text;
	size_t len;
	char name[SS_TEXT];
	bool error;			/* unreadable or malformed: errors below */
	char *errors;
	bool col[MAX_COLS];		/* the policies that apply */
	uint64_t nvar;			/* variants run */
	uint64_t variants;		/* the template's variants (0: not a template) */
	unsigned template_line, template_col;	/* its first variable */
	struct outcome *out;		/* [variant * ncols + column] */
	size_t job0;			/* first job number */
	struct klass *cls;
	size_t ncls;
	struct ss_variants *vars;	/* the template's values, for labels */
	size_t unit0;			/* its first (scenario, variant) unit, for --shard */
	bool merged;			/* --merge: classes read from the shards */
	struct vlabel *labels;		/* --merge: the labels the shards printed */
	size_t nlabels;
	int condition;			/* [exists] 1, [forall] 2, none 0 */
	size_t cond_runs, cond_sat;	/* runs, and runs whose final state satisfies it */
};

/* --merge: the values of one variant as a shard printed them. */
struct vlabel {
	uint64_t v;
	char *text;
};

struct explore {
	struct columns cols;
	struct file *files;
	size_t nfiles;
	size_t njobs;
	const struct ss_knob_override *ov;
	size_t nov;
	bool enumerate;
	uint64_t shard, nshards;	/* --shard I/N (nshards 0: all) */
	pthread_mutex_t lock;
	bool quiet;		/* --quiet: no progress line (progress.h) */
	size_t next;
	bool oom;
};

static bool knob_named(const struct ss_result *r, const char *name)
{
	for (size_t i = 0; i < r->nqualified; i++)
		if (strcmp(r->qualified[i]->name, name) == 0)
			return true;
	return false;
}

/* Read and parse each file once: its name, which policies apply, its variants. */
static bool prepare_file(struct explore *ex, struct file *f)
{
	struct ss_diags d = { .n = 0 };
	f->text = ss_scenario_read_file(f->path, &f->len, &d);
	struct ss_result r;
	if (!f->text) {
		ss_result_init(&r);
		r.diags = d;
		r.status = SS_STATUS_ERROR;
	} else {
		struct ss_run_options po = { .overrides = ex->ov, .noverrides = ex->nov,
					     .parse_only = true };
		ss_scenario_run_text(f->path, f->text, f->len, &po, &r);
	}
	snprintf(f->name, sizeof f->name, "%s", r.name[0] ? r.name : f->path);
	if (r.status == SS_STATUS_ERROR) {
		f->error = true;
		f->errors = capture_failures(f->path, &r);
		ss_result_free(&r);
		return true;
	}
	bool merge_rel = r.has_pserror_events || knob_named(&r, "merge") || !r.has_vserror_events;
	bool vinj_rel = r.has_vserror_events || r.has_vm_events || knob_named(&r, "vinject");
	for (size_t c = 0; c < ex->cols.n; c++) {
		const char *kn = ex->cols.v[c].knob->name;
		f->col[c] = !ex->cols.automatic || ex->cols.v[c].knob == &profile_knob ||
			    (strcmp(kn, "merge") == 0 ? merge_rel : strcmp(kn, "vinject") == 0 && vinj_rel);
	}
	f->variants = r.variants;
	if (f->variants && !(f->vars = ss_variants_new(f->path, f->text, f->len))) {
		ss_result_free(&r);
		return false;
	}
	f->template_line = r.template_line;
	f->template_col = r.template_col;
	f->condition = r.condition;
	f->nvar = ex->enumerate && r.variants ? r.variants : 1;
	ss_result_free(&r);
	if (f->nvar > SS_TEMPLATE_MAX_VARIANTS) {
		f->error = true;
		char msg[400], count[64];
		if (f->nvar == UINT64_MAX)	/* the product saturated */
			snprintf(count, sizeof count, "more than %" PRIu64, UINT64_MAX - 1);
		else
			snprintf(count, sizeof count, "%" PRIu64, f->nvar);
		snprintf(msg, sizeof msg, "%s:%u:%u: error: the template has %s variants (at most %u "
			 "with --enumerate)\n", f->path, f->template_line, f->template_col, count,
			 SS_TEMPLATE_MAX_VARIANTS);
		f->errors = strdup(msg);
		f->nvar = 0;
		return true;
	}
	f->out = calloc((size_t)f->nvar * ex->cols.n, sizeof *f->out);
	return f->out != NULL;
}

/* Is variant v of f in this shard (units numbered over every file's variants)? */
static bool in_shard(const struct explore *ex, const struct file *f, uint64_t v)
{
	return !ex->nshards || (f->unit0 + v) % ex->nshards == ex->shard;
}

/* One worker's runner of the variants of one file. */
struct runner {
	struct ss_variants *v;
	const struct file *f;
};

static void run_job(struct explore *ex, struct file *f, uint64_t v, size_t c,
		    struct ss_knob_override *ov, struct runner *rn)
{
	struct outcome *o = &f->out[v * ex->cols.n + c];
	const struct column *col = &ex->cols.v[c];
	size_t nov = ex->nov;
	const char *profile = NULL;
	if (col->knob == &profile_knob) {
		const struct ss_profile *pr = ss_profile_find(col->name);
		if (pr)
			ss_profile_overrides(pr, ov, &nov, ex->nov + max_profile_knobs());
		profile = col->name;
	} else {
		ov[nov++] = (struct ss_knob_override){ col->knob->name, col->name };
	}
	struct collect cl = { 0 };
	struct ss_observer obs = { .notify = collect_notify, .ctx = &cl };
	struct ss_run_options ro = { .overrides = ov, .noverrides = nov, .profile = profile,
				     .trace = &obs, .variant = v };
	struct ss_result res;
	if (rn->f != f) {
		ss_variants_free(rn->v);
		rn->v = ss_variants_new(f->path, f->text, f->len);
		rn->f = rn->v ? f : NULL;
	}
	if (rn->v)
		ss_variants_run(rn->v, &ro, &res);
	else
		ss_scenario_run_text(f->path, f->text, f->len, &ro, &res);
	o->status = res.status;
	o->nexc = res.exceptions;
	o->cond = res.condition_holds;
	for (size_t i = 0; i < res.nledger; i++) {
		switch (res.ledger[i].c.disp) {
		case SS_DISP_MERGED: o->merged++; break;
		case SS_DISP_LOST: o->dropped++; break;
		case SS_DISP_PENDING:
		case SS_DISP_IN_FLIGHT: o->pending++; break;
		case SS_DISP_DEFERRED: o->deferred++; break;
		case SS_DISP_TAKEN: o->taken++; break;
		default: break;
		}
	}
	o->rep = cl.v;
	o->nrep = cl.n;
	o->cell = make_cell(o);
	if (res.status == SS_STATUS_FAIL || res.status == SS_STATUS_ERROR)
		o->failures = capture_failures(f->path, &res);
	if (cl.oom || !o->cell)
		ex->oom = true;
	ss_result_free(&res);
}

static void *worker(void *arg)
{
	struct explore *ex = arg;
	struct ss_knob_override *ov = calloc(ex->nov + 1 + max_profile_knobs(), sizeof *ov);
	if (!ov) {
		ex->oom = true;
		return NULL;
	}
	if (ex->nov)
		memcpy(ov, ex->ov, ex->nov * sizeof *ov);
	struct runner rn = { NULL, NULL };
	for (;;) {
		pthread_mutex_lock(&ex->lock);
		size_t j = ex->next++;
		pthread_mutex_unlock(&ex->lock);
		if (j >= ex->njobs)
			break;
		size_t lo = 0, hi = ex->nfiles;	/* the last file with job0 <= j */
		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;
			if (ex->files[mid].job0 <= j)
				lo = mid;
			else
				hi = mid;
		}
		struct file *f = &ex->files[lo];
		size_t k = j - f->job0;
		if (f->col[k % ex->cols.n] && in_shard(ex, f, k / ex->cols.n))
			run_job(ex, f, k / ex->cols.n, k % ex->cols.n, ov, &rn);
		cli_progress_step();
	}
	ss_variants_free(rn.v);
	free(ov);
	return NULL;
}

/* Jobs for non-applicable columns and broken files are skipped inside. */
static void run_jobs(struct explore *ex, unsigned jobs)
{
	size_t n = 0, units = 0;
	for (size_t i = 0; i < ex->nfiles; i++) {
		ex->files[i].job0 = n;
		ex->files[i].unit0 = units;
		n += (size_t)ex->files[i].nvar * ex->cols.n;
		units += (size_t)ex->files[i].nvar;
	}
	ex->njobs = n;
	cli_progress_begin("explore", n, "runs", ex->quiet);
	pthread_mutex_init(&ex->lock, NULL);
	pthread_t tids[256];
	unsigned started = 0;
	for (; jobs > 1 && started < jobs && started < 256; started++)
		if (pthread_create(&tids[started], NULL, worker, ex) != 0)
			break;
	if (started == 0)
		worker(ex);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&ex->lock);
	cli_progress_end();
}

/* --- classes ------------------------------------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

static bool applies(const struct explore *ex, const struct file *f, size_t c)
{
	(void)ex;
	return f->col[c];
}

/* Group the variants of a file by their tuple of per-policy outcomes. */
static bool classify(struct explore *ex, struct file *f)
{
	size_t hcap = 16;
	while (hcap < f->nvar * 2)
		hcap *= 2;
	size_t *h = calloc(hcap, sizeof *h);	/* class index + 1 */
	f->cls = calloc((size_t)f->nvar, sizeof *f->cls);
	if (!h || !f->cls) {
		free(h);
		return false;
	}
	for (uint64_t v = 0; v < f->nvar; v++) {
		if (!in_shard(ex, f, v))
			continue;
		struct sbuf key = { 0 };
		for (size_t c = 0; c < ex->cols.n; c++) {
			sb_add(&key, applies(ex, f, c) ? f->out[v * ex->cols.n + c].cell : "");
			sb_add(&key, "\x1f");
		}
		if (key.oom || !key.s) {
			free(key.s);
			free(h);
			return false;
		}
		size_t slot = (size_t)fnv1a(key.s) & (hcap - 1);
		while (h[slot] && strcmp(f->cls[h[slot] - 1].key, key.s) != 0)
			slot = (slot + 1) & (hcap - 1);
		struct klass *k;
		if (!h[slot]) {
			k = &f->cls[f->ncls++];
			h[slot] = f->ncls;
			k->rep = v;
			k->key = key.s;
			const char *first = NULL;
			for (size_t c = 0; c < ex->cols.n; c++) {
				if (!applies(ex, f, c))
					continue;
				const char *cell = f->out[v * ex->cols.n + c].cell;
				if (first && strcmp(first, cell) != 0)
					k->disagree = true;
				first = cell;
			}
		} else {
			k = &f->cls[h[slot] - 1];
			free(key.s);
		}
		k->count++;
		for (size_t c = 0; c < ex->cols.n; c++) {
			const struct outcome *o = &f->out[v * ex->cols.n + c];
			if (applies(ex, f, c) && o->status != SS_STATUS_PASS && !k->failed[c]++)
				k->first_failed[c] = v;
		}
	}
	free(h);
	return true;
}

/* --- output -------------------------------------------------------------------------------- */

static bool file_failed(const struct explore *ex, const struct file *f)
{
	for (size_t k = 0; k < f->ncls; k++)
		for (size_t c = 0; c < ex->cols.n; c++)
			if (f->cls[k].failed[c])
				return true;
	return false;
}

static bool file_disagrees(const struct file *f)
{
	for (size_t k = 0; k < f->ncls; k++)
		if (f->cls[k].disagree)
			return true;
	return false;
}

/* A column is shown when it applies to at least one file. */
static bool column_shown(const struct explore *ex, size_t c)
{
	for (size_t i = 0; i < ex->nfiles; i++)
		if (!ex->files[i].error && ex->files[i].col[c])
			return true;
	return false;
}

static void cell_text(const struct explore *ex, const struct file *f, const struct klass *k,
		      size_t c, char *buf, size_t len)
{
	if (f->error) {
		snprintf(buf, len, "error");
		return;
	}
	if (!applies(ex, f, c)) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(buf, len, "%s%s", f->out[k->rep * ex->cols.n + c].cell, k->failed[c] ? " !" : "");
}

#define LABEL 256	/* as ss_result.variant_label */

/* The values of variant k of a template ("t1=0 a1=UER"). */
static void variant_label(const struct file *f, uint64_t k, char *buf, size_t len)
{
	buf[0] = '\0';
	if (f->vars)
		ss_variants_label(f->vars, k, buf, len);
	for (size_t lo = 0, hi = f->nlabels; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		if (f->labels[mid].v == k) {
			snprintf(buf, len, "%s", f->labels[mid].text);
			break;
		}
		if (f->labels[mid].v < k)
			lo = mid + 1;
		else
			hi = mid;
	}
}

struct widths {
	int first, second, col[MAX_COLS];
};

/* --- litmus-style verdicts ------------------------------------------------------------------ */

/* Count the runs (variants x applicable policies) whose final state
 * satisfies the scenario's [exists]/[forall] condition. */
static void condition_counts(const struct explore *ex, const struct file *f, size_t *runs,
			     size_t *sat)
{
	*runs = *sat = 0;
	if (f->error || !f->condition || f->merged || !f->out)
		return;
	for (uint64_t v = 0; v < f->nvar; v++)
		for (size_t c = 0; c < ex->cols.n; c++) {
			const struct outcome *o = &f->out[v * ex->cols.n + c];
			if (!f->col[c] || !in_shard(ex, f, v) || o->status == SS_STATUS_ERROR)
				continue;
			(*runs)++;
			*sat += o->cond;
		}
}

static void count_condition(const struct explore *ex, struct file *f)
{
	if (!f->merged)	/* --merge: summed from the shards */
		condition_counts(ex, f, &f->cond_runs, &f->cond_sat);
}

/* herd7's words: Always, Sometimes, Never; and Ok when the condition's
 * quantifier is met (exists: some run, forall: every run). */
static const char *condition_verdict(const struct file *f)
{
	return f->cond_sat == f->cond_runs ? "Always" : f->cond_sat ? "Sometimes" : "Never";
}

static bool condition_ok(const struct file *f)
{
	return f->condition == 1 ? f->cond_sat > 0 : f->cond_sat == f->cond_runs;
}

static void print_conditions_text(FILE *out, const struct explore *ex)
{
	for (size_t i = 0; i < ex->nfiles; i++) {
		const struct file *f = &ex->files[i];
		if (f->error || !f->condition || !f->cond_runs)
			continue;
		fprintf(out, "condition %s: %s: %zu of %zu runs satisfy it (%" PRIu64 " variant%s x %zu "
			"polic%s): %s (%s)\n", f->name, f->condition == 1 ? "exists" : "forall",
			f->cond_sat, f->cond_runs, f->nvar, f->nvar == 1 ? "" : "s",
			f->cond_runs / (f->nvar ? f->nvar : 1), f->cond_runs / (f->nvar ? f->nvar : 1) == 1 ? "y" : "ies",
			condition_verdict(f), condition_ok(f) ? "Ok" : "No");
	}
}

static void print_failures(FILE *out, const struct explore *ex, const struct file *f)
{
	for (size_t k = 0; k < f->ncls; k++)
		for (size_t c = 0; c < ex->cols.n; c++) {
			const struct klass *kl = &f->cls[k];
			if (!kl->failed[c])
				continue;
			const struct outcome *o = &f->out[kl->first_failed[c] * ex->cols.n + c];
			fprintf(out, "FAIL %s [%s=%s]", f->name, ex->cols.v[c].knob->name,
				ex->cols.v[c].name);
			if (f->variants) {
				char label[LABEL];
				variant_label(f, kl->first_failed[c], label, sizeof label);
				fprintf(out, " variant %" PRIu64 " (%s)", kl->first_failed[c] + 1, label);
				if (kl->failed[c] > 1)
					fprintf(out, ", and %zu more variants of class %zu", kl->failed[c] - 1,
						k + 1);
			}
			fprintf(out, "\n%s", o->failures ? o->failures : "");
		}
}

static void print_table_text(FILE *out, const struct explore *ex)
{
	struct widths w = { .first = 8 };
	char buf[4096];
	for (size_t c = 0; c < ex->cols.n; c++)
		w.col[c] = (int)strlen(ex->cols.v[c].name);
	for (size_t i = 0; i < ex->nfiles; i++) {
		const struct file *f = &ex->files[i];
		if ((int)strlen(f->name) > w.first)
			w.first = (int)strlen(f->name);
		for (size_t c = 0; c < ex->cols.n; c++) {
			if (f->error || !f->ncls)
				continue;
			cell_text(ex, f, &f->cls[0], c, buf, sizeof buf);
			if ((int)strlen(buf) > w.col[c])
				w.col[c] = (int)strlen(buf);
		}
	}
	size_t last = 0;
	for (size_t c = 0; c < ex->cols.n; c++)
		if (column_shown(ex, c))
			last = c;
	w.col[last] = 0;	/* no padding at the end of a line */
	fprintf(out, "  %-*s", w.first, "SCENARIO");
	for (size_t c = 0; c < ex->cols.n; c++)
		if (column_shown(ex, c))
			fprintf(out, "  %-*s", w.col[c], ex->cols.v[c].name);
	fputc('\n', out);
	for (size_t i = 0; i < ex->nfiles; i++) {
		const struct file *f = &ex->files[i];
		fprintf(out, "%c %-*s", !f->error && file_disagrees(f) ? '*' : ' ', w.first, f->name);
		for (size_t c = 0; c < ex->cols.n; c++) {
			if (!column_shown(ex, c))
				continue;
			if (f->error || !f->ncls)
				snprintf(buf, sizeof buf, "error");
			else
				cell_text(ex, f, &f->cls[0], c, buf, sizeof buf);
			fprintf(out, "  %-*s", w.col[c], buf);
		}
		fputc('\n', out);
	}
}

static void print_classes_text(FILE *out, const struct explore *ex, const struct file *f)
{
	char buf[4096];
	fprintf(out, "%s (%s): ", f->name, f->path);
	if (f->error) {
		fprintf(out, "error\n");
		return;
	}
	fprintf(out, "%" PRIu64 " variant%s, %zu class%s\n", f->nvar, f->nvar == 1 ? "" : "s",
		f->ncls, f->ncls == 1 ? "" : "es");
	int wc[MAX_COLS], wn = 5;
	for (size_t c = 0; c < ex->cols.n; c++) {
		wc[c] = (int)strlen(ex->cols.v[c].name);
		for (size_t k = 0; k < f->ncls; k++) {
			cell_text(ex, f, &f->cls[k], c, buf, sizeof buf);
			if ((int)strlen(buf) > wc[c])
				wc[c] = (int)strlen(buf);
		}
	}
	fprintf(out, "  %-5s  %-*s", "CLASS", wn, "COUNT");
	for (size_t c = 0; c < ex->cols.n; c++)
		if (f->col[c])
			fprintf(out, "  %-*s", wc[c], ex->cols.v[c].name);
	fprintf(out, "  VARIANT\n");
	for (size_t k = 0; k < f->ncls; k++) {
		const struct klass *kl = &f->cls[k];
		fprintf(out, "%c %-5zu  %-*zu", kl->disagree ? '*' : ' ', k + 1, wn, kl->count);
		for (size_t c = 0; c < ex->cols.n; c++) {
			if (!f->col[c])
				continue;
			cell_text(ex, f, kl, c, buf, sizeof buf);
			fprintf(out, "  %-*s", wc[c], buf);
		}
		char label[LABEL];
		variant_label(f, kl->rep, label, sizeof label);
		fprintf(out, "  %s\n", f->variants ? label : "(not a template)");
	}
}

static const char legend[] =
	"N: exceptions taken, then what each reported: an SError by its syndrome (v = virtual,\n"
	"@ELn = taken to ELn other than EL1), another exception by its cause, esb:/vesb: an ESB\n"
	"deferral into DISR_EL1/VDISR_EL2; mN merged, lostN lost, pN still pending;\n"
	"* policies disagree, ! an expectation failed under that policy, - policy not relevant\n";

/* CSV: one row per (scenario, class, policy). */
static void print_csv(FILE *out, const struct explore *ex)
{
	fputs("file,scenario,class,count,variant,values,policy,knob,status,failed,exceptions,"
	      "syndromes,merged,lost,pending,deferred,disagree,condition\n", out);
	char num[32];
	for (size_t i = 0; i < ex->nfiles; i++) {
		const struct file *f = &ex->files[i];
		if (f->error) {
			cli_csv_field(out, f->path, false);
			cli_csv_field(out, f->name, false);
			fputs(",,,,,,error,,,,,,,,,\n", out);
			continue;
		}
		for (size_t k = 0; k < f->ncls; k++) {
			const struct klass *kl = &f->cls[k];
			char label[LABEL] = "";
			if (f->variants)
				variant_label(f, kl->rep, label, sizeof label);
			for (size_t c = 0; c < ex->cols.n; c++) {
				if (!f->col[c])
					continue;
				const struct outcome *o = &f->out[kl->rep * ex->cols.n + c];
				cli_csv_field(out, f->path, false);
				cli_csv_field(out, f->name, false);
				fprintf(out, "%zu,%zu,%" PRIu64 ",", k + 1, kl->count, kl->rep);
				cli_csv_field(out, label, false);
				cli_csv_field(out, ex->cols.v[c].name, false);
				cli_csv_field(out, ex->cols.v[c].knob->name, false);
				fprintf(out, "%s,%zu,%" PRIu32 ",", kl->failed[c] ? "fail" : "pass",
					kl->failed[c], o->nexc);
				char *list = syndrome_list(o);
				cli_csv_field(out, list ? list : "", false);
				free(list);
				snprintf(num, sizeof num, "%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%s,%s",
					 o->merged, o->dropped, o->pending, o->deferred,
					 kl->disagree ? "yes" : "no",
					 !f->condition ? "" : o->cond ? "holds" : "fails");
				fprintf(out, "%s\n", num);
			}
		}
	}
}

/* --- JSON ------------------------------------------------------------------------------------- */

static json_t *jhex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *jtext(const char *s)
{
	json_t *j = json_string(s ? s : "");
	return j ? j : json_string("?");
}

static json_t *outcome_json(const struct explore *ex, const struct file *f, const struct klass *kl,
			    size_t c)
{
	const struct outcome *o = &f->out[kl->rep * ex->cols.n + c];
	json_t *j = json_object();
	json_object_set_new(j, "policy", json_string(ex->cols.v[c].name));
	json_object_set_new(j, "knob", json_string(ex->cols.v[c].knob->name));
	json_object_set_new(j, "status", json_string(kl->failed[c] ? "fail" : "pass"));
	json_object_set_new(j, "failed_variants", json_integer((json_int_t)kl->failed[c]));
	json_object_set_new(j, "cell", jtext(o->cell));
	json_object_set_new(j, "exceptions", json_integer(o->nexc));
	json_t *taken = json_array(), *defer = json_array();
	char item[80], syn[48];
	for (size_t i = 0; i < o->nrep; i++) {
		const struct report *r = &o->rep[i];
		cli_short_iss((uint32_t)(r->value & SS_SERROR_ISS_MASK), syn, sizeof syn);
		report_text(r, item, sizeof item);
		if (r->deferral) {
			json_array_append_new(defer, json_pack("{s:s, s:o, s:s}", "register",
							       ss_sysregs[r->reg].name, "value",
							       jhex(r->value), "syndrome", syn));
		} else {
			bool serr = r->cause == SS_CAUSE_PSERROR || r->cause == SS_CAUSE_VSERROR;
			json_t *e = json_pack("{s:s, s:i, s:o}", "cause", ss_cause_name(r->cause), "to_el",
					      (int)r->to_el, "esr", jhex(r->value));
			if (serr)
				json_object_set_new(e, "syndrome", json_string(syn));
			json_array_append_new(taken, e);
		}
	}
	json_object_set_new(j, "taken", taken);
	json_object_set_new(j, "deferrals", defer);
	json_object_set_new(j, "ledger", json_pack("{s:i, s:i, s:i, s:i, s:i}", "taken", (int)o->taken,
						   "deferred", (int)o->deferred, "merged",
						   (int)o->merged, "lost", (int)o->dropped, "pending",
						   (int)o->pending));
	if (kl->failed[c]) {
		const struct outcome *fo = &f->out[kl->first_failed[c] * ex->cols.n + c];
		json_object_set_new(j, "first_failed_variant", json_integer((json_int_t)kl->first_failed[c]));
		json_object_set_new(j, "failures", jtext(fo->failures));
	}
	return j;
}

static json_t *file_json(const struct explore *ex, const struct file *f)
{
	json_t *j = json_pack("{s:o, s:o}", "file", jtext(f->path), "name", jtext(f->name));
	if (f->error) {
		json_object_set_new(j, "status", json_string("error"));
		json_object_set_new(j, "errors", jtext(f->errors));
		return j;
	}
	json_object_set_new(j, "status", json_string(file_failed(ex, f) ? "fail" : "pass"));
	json_object_set_new(j, "disagree", json_boolean(file_disagrees(f)));
	json_object_set_new(j, "template", json_boolean(f->variants != 0));
	json_object_set_new(j, "variants", json_integer((json_int_t)f->nvar));
	json_t *pol = json_array();
	for (size_t c = 0; c < ex->cols.n; c++)
		if (f->col[c])
			json_array_append_new(pol, json_string(ex->cols.v[c].name));
	json_object_set_new(j, "policies", pol);
	json_t *classes = json_array();
	for (size_t k = 0; k < f->ncls; k++) {
		const struct klass *kl = &f->cls[k];
		json_t *cj = json_object();
		json_object_set_new(cj, "class", json_integer((json_int_t)k + 1));
		json_object_set_new(cj, "count", json_integer((json_int_t)kl->count));
		json_object_set_new(cj, "disagree", json_boolean(kl->disagree));
		json_object_set_new(cj, "variant", json_integer((json_int_t)kl->rep));
		if (f->variants) {
			char label[LABEL];
			variant_label(f, kl->rep, label, sizeof label);
			json_object_set_new(cj, "values", jtext(label));
		}
		json_t *outs = json_array();
		for (size_t c = 0; c < ex->cols.n; c++)
			if (f->col[c])
				json_array_append_new(outs, outcome_json(ex, f, kl, c));
		json_object_set_new(cj, "outcomes", outs);
		json_array_append_new(classes, cj);
	}
	json_object_set_new(j, "classes", classes);
	if (f->condition && f->cond_runs)
		json_object_set_new(j, "condition",
				    json_pack("{s:s, s:i, s:i, s:s, s:b}", "quantifier",
					      f->condition == 1 ? "exists" : "forall", "runs",
					      (json_int_t)f->cond_runs, "satisfied", (json_int_t)f->cond_sat,
					      "verdict", condition_verdict(f), "ok", condition_ok(f)));
	return j;
}

/* The policy columns, as the unsharded and the shard JSON both list them. */
static json_t *policies_json(const struct explore *ex)
{
	json_t *pol = json_array();
	for (size_t c = 0; c < ex->cols.n; c++)
		json_array_append_new(pol, json_pack("{s:s, s:s}", "policy", ex->cols.v[c].name, "knob",
						     ex->cols.v[c].knob->name));
	return pol;
}

static bool print_json(FILE *out, const struct explore *ex, size_t runs, size_t failed,
		       size_t disagree, size_t errors)
{
	json_t *root = json_pack("{s:s, s:{s:s, s:s}, s:b}", "schema", "serrsim-explore/1", "tool",
				 "name", "serrsim", "version", SERRSIM_VERSION, "enumerate",
				 ex->enumerate);
	if (!root)
		return false;
	json_object_set_new(root, "policies", policies_json(ex));
	json_t *arr = json_array();
	for (size_t i = 0; i < ex->nfiles; i++)
		json_array_append_new(arr, file_json(ex, &ex->files[i]));
	json_object_set_new(root, "scenarios", arr);
	json_object_set_new(root, "summary",
			    json_pack("{s:i, s:i, s:i, s:i, s:i}", "scenarios", (int)ex->nfiles, "runs",
				      (int)runs, "failed_runs", (int)failed, "disagree", (int)disagree,
				      "errors", (int)errors));
	return cli_json_emit(out, root);
}

/* --- shards ------------------------------------------------------------------------------------ */

/*
 * explore --shard I/N runs the (scenario, variant) units whose number is I
 * modulo N (units numbered over every file's variants in path order) and
 * prints what a merge needs (schema serrsim-explore-shard/1): each file's
 * classes over its share of the variants, the outcome of each class's first
 * variant and first failing variants, their values.  explore --merge
 * combines the N shards: a class's count and failures add up, its first
 * variant is the smallest, classes are numbered by their first variant -
 * what classify gives over all the variants at once.
 */
static json_t *shard_outcome_json(const struct explore *ex, const struct file *f, uint64_t v,
				  size_t c)
{
	const struct outcome *o = &f->out[v * ex->cols.n + c];
	json_t *reps = json_array();
	for (size_t i = 0; i < o->nrep; i++) {
		const struct report *r = &o->rep[i];
		json_array_append_new(reps, json_pack("[b, i, i, i, o]", r->deferral, (int)r->cause,
						      (int)r->to_el, (int)r->reg, jhex(r->value)));
	}
	json_t *j = json_pack("{s:I, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o}", "variant",
			      (json_int_t)v, "column", (int)c, "status", (int)o->status, "exceptions",
			      (int)o->nexc, "merged", (int)o->merged, "dropped", (int)o->dropped,
			      "pending", (int)o->pending, "deferred", (int)o->deferred, "taken",
			      (int)o->taken, "reports", reps, "cell", jtext(o->cell));
	if (o->failures)
		json_object_set_new(j, "failures", jtext(o->failures));
	if (o->cond)
		json_object_set_new(j, "cond", json_true());
	return j;
}

static json_t *shard_file_json(const struct explore *ex, const struct file *f)
{
	json_t *j = json_pack("{s:o, s:o, s:b}", "file", jtext(f->path), "name", jtext(f->name),
			      "error", f->error);
	if (f->error) {
		json_object_set_new(j, "errors", jtext(f->errors));
		return j;
	}
	json_object_set_new(j, "template", json_integer((json_int_t)f->variants));
	json_object_set_new(j, "variants", json_integer((json_int_t)f->nvar));
	json_t *cols = json_array(), *classes = json_array(), *outs = json_array(),
	       *labels = json_array();
	for (size_t c = 0; c < ex->cols.n; c++)
		json_array_append_new(cols, json_boolean(f->col[c]));
	char label[LABEL];
	for (size_t k = 0; k < f->ncls; k++) {
		const struct klass *kl = &f->cls[k];
		json_t *failed = json_array(), *first = json_array();
		for (size_t c = 0; c < ex->cols.n; c++) {
			json_array_append_new(failed, json_integer((json_int_t)kl->failed[c]));
			json_array_append_new(first, json_integer((json_int_t)kl->first_failed[c]));
			if (!f->col[c])
				continue;
			json_array_append_new(outs, shard_outcome_json(ex, f, kl->rep, c));
			if (kl->failed[c] && kl->first_failed[c] != kl->rep)
				json_array_append_new(outs, shard_outcome_json(ex, f, kl->first_failed[c], c));
		}
		json_array_append_new(classes, json_pack("{s:I, s:I, s:o, s:o}", "variant",
							 (json_int_t)kl->rep, "count",
							 (json_int_t)kl->count, "failed", failed,
							 "first_failed", first));
		variant_label(f, kl->rep, label, sizeof label);
		json_array_append_new(labels, json_pack("[I, s]", (json_int_t)kl->rep, label));
		for (size_t c = 0; c < ex->cols.n; c++)
			if (kl->failed[c]) {
				variant_label(f, kl->first_failed[c], label, sizeof label);
				json_array_append_new(labels, json_pack("[I, s]",
									(json_int_t)kl->first_failed[c],
									label));
			}
	}
	json_object_set_new(j, "columns", cols);
	json_object_set_new(j, "classes", classes);
	json_object_set_new(j, "outcomes", outs);
	if (f->condition) {
		size_t runs, sat;
		condition_counts(ex, f, &runs, &sat);
		json_object_set_new(j, "condition", json_pack("[i, I, I]", f->condition,
							      (json_int_t)runs, (json_int_t)sat));
	}
	json_object_set_new(j, "labels", labels);
	return j;
}

static bool print_shard_json(FILE *out, const struct explore *ex)
{
	json_t *root = json_pack("{s:s, s:{s:s, s:s}, s:I, s:I, s:b}", "schema",
				 "serrsim-explore-shard/1", "tool", "name", "serrsim", "version",
				 SERRSIM_VERSION, "shard", (json_int_t)ex->shard, "shards",
				 (json_int_t)ex->nshards, "enumerate", ex->enumerate);
	if (!root)
		return false;
	json_object_set_new(root, "policies", policies_json(ex));
	json_t *arr = json_array();
	for (size_t i = 0; i < ex->nfiles; i++)
		json_array_append_new(arr, shard_file_json(ex, &ex->files[i]));
	json_object_set_new(root, "scenarios", arr);
	return cli_json_emit(out, root);
}

/* --- merging shards -------------------------------------------------------------------------- */

static int merge_error(const char *path, const char *msg)
{
	fprintf(stderr, "serrsim: explore --merge: %s: %s\n", path, msg);
	return EXIT_USAGE;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static uint64_t jnum(json_t *o, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(o, key));
	return v < 0 ? 0 : (uint64_t)v;
}

/* One shard's outcome into f->out. */
static bool merge_outcome(struct explore *ex, struct file *f, json_t *o)
{
	uint64_t v = jnum(o, "variant"), c = jnum(o, "column");
	if (v >= f->nvar || c >= ex->cols.n)
		return false;
	struct outcome *out = &f->out[v * ex->cols.n + c];
	if (out->cell)
		return true;	/* the same outcome, from the same shard */
	out->status = (enum ss_status)jnum(o, "status");
	out->nexc = (uint32_t)jnum(o, "exceptions");
	out->cond = json_is_true(json_object_get(o, "cond"));
	out->merged = (uint32_t)jnum(o, "merged");
	out->dropped = (uint32_t)jnum(o, "dropped");
	out->pending = (uint32_t)jnum(o, "pending");
	out->deferred = (uint32_t)jnum(o, "deferred");
	out->taken = (uint32_t)jnum(o, "taken");
	json_t *reps = json_object_get(o, "reports");
	out->nrep = json_array_size(reps);
	out->rep = calloc(out->nrep ? out->nrep : 1, sizeof *out->rep);
	out->cell = strdup(jstr(o, "cell"));
	if (json_object_get(o, "failures"))
		out->failures = strdup(jstr(o, "failures"));
	if (!out->rep || !out->cell)
		return false;
	for (size_t i = 0; i < out->nrep; i++) {
		json_t *r = json_array_get(reps, i);
		struct report *rp = &out->rep[i];
		rp->deferral = json_is_true(json_array_get(r, 0));
		rp->cause = (enum ss_cause)json_integer_value(json_array_get(r, 1));
		rp->to_el = (unsigned)json_integer_value(json_array_get(r, 2));
		rp->reg = (enum ss_reg)json_integer_value(json_array_get(r, 3));
		const char *hex = json_string_value(json_array_get(r, 4));
		rp->value = hex ? strtoull(hex, NULL, 16) : 0;
	}
	return true;
}

struct mclass {
	char *key;
	struct klass k;
};

static int mclass_by_key(const void *a, const void *b)
{
	const struct mclass *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->k.rep < y->k.rep ? -1 : x->k.rep > y->k.rep;
}

static int mclass_by_rep(const void *a, const void *b)
{
	const struct mclass *x = a, *y = b;
	return x->k.rep < y->k.rep ? -1 : x->k.rep > y->k.rep;
}

static int vlabel_cmp(const void *a, const void *b)
{
	const struct vlabel *x = a, *y = b;
	return x->v < y->v ? -1 : x->v > y->v;
}

/* The classes of file i over every shard, as classify gives them. */
static bool merge_classes(struct explore *ex, struct file *f, json_t **shards, size_t n, size_t i)
{
	size_t total = 0, nl = 0;
	for (size_t s = 0; s < n; s++) {
		json_t *fj = json_array_get(json_object_get(shards[s], "scenarios"), i);
		total += json_array_size(json_object_get(fj, "classes"));
		nl += json_array_size(json_object_get(fj, "labels"));
		json_t *o;
		size_t k;
		json_array_foreach(json_object_get(fj, "outcomes"), k, o)
			if (!merge_outcome(ex, f, o))
				return false;
	}
	struct mclass *m = calloc(total ? total : 1, sizeof *m);
	f->labels = calloc(nl ? nl : 1, sizeof *f->labels);
	f->cls = calloc(total ? total : 1, sizeof *f->cls);
	if (!m || !f->labels || !f->cls) {
		free(m);
		return false;
	}
	size_t nm = 0;
	bool ok = true;
	for (size_t s = 0; s < n && ok; s++) {
		json_t *fj = json_array_get(json_object_get(shards[s], "scenarios"), i), *cj, *lj;
		size_t k;
		json_array_foreach(json_object_get(fj, "labels"), k, lj) {
			struct vlabel *l = &f->labels[f->nlabels++];
			l->v = (uint64_t)json_integer_value(json_array_get(lj, 0));
			l->text = strdup(json_string_value(json_array_get(lj, 1)) ?
					 json_string_value(json_array_get(lj, 1)) : "");
			ok &= l->text != NULL;
		}
		json_array_foreach(json_object_get(fj, "classes"), k, cj) {
			struct mclass *mc = &m[nm++];
			mc->k.rep = jnum(cj, "variant");
			mc->k.count = (size_t)jnum(cj, "count");
			struct sbuf key = { 0 };
			for (size_t c = 0; c < ex->cols.n; c++) {
				mc->k.failed[c] = (size_t)json_integer_value(
					json_array_get(json_object_get(cj, "failed"), c));
				mc->k.first_failed[c] = (uint64_t)json_integer_value(
					json_array_get(json_object_get(cj, "first_failed"), c));
				const char *cell = mc->k.rep < f->nvar
							   ? f->out[mc->k.rep * ex->cols.n + c].cell : NULL;
				if (applies(ex, f, c) && !cell)
					ok = false;
				sb_add(&key, applies(ex, f, c) && cell ? cell : "");
				sb_add(&key, "\x1f");
			}
			mc->key = key.s;
			ok &= !key.oom && key.s;
		}
	}
	if (ok) {
		qsort(f->labels, f->nlabels, sizeof *f->labels, vlabel_cmp);
		qsort(m, nm, sizeof *m, mclass_by_key);
		size_t out = 0;
		for (size_t a = 0; a < nm;) {
			size_t b = a + 1;
			for (; b < nm && strcmp(m[a].key, m[b].key) == 0; b++) {
				m[a].k.count += m[b].k.count;
				for (size_t c = 0; c < ex->cols.n; c++) {
					if (m[b].k.failed[c] && (!m[a].k.failed[c] ||
								 m[b].k.first_failed[c] < m[a].k.first_failed[c]))
						m[a].k.first_failed[c] = m[b].k.first_failed[c];
					m[a].k.failed[c] += m[b].k.failed[c];
				}
				free(m[b].key);
			}
			m[out++] = m[a];
			a = b;
		}
		qsort(m, out, sizeof *m, mclass_by_rep);
		for (size_t k = 0; k < out; k++) {
			struct klass *kl = &f->cls[f->ncls++];
			*kl = m[k].k;
			kl->key = m[k].key;
			const char *first = NULL;
			for (size_t c = 0; c < ex->cols.n; c++) {
				if (!applies(ex, f, c))
					continue;
				const char *cell = f->out[kl->rep * ex->cols.n + c].cell;
				if (first && strcmp(first, cell) != 0)
					kl->disagree = true;
				first = cell;
			}
		}
	} else {
		for (size_t k = 0; k < nm; k++)
			free(m[k].key);
	}
	free(m);
	return ok;
}

/* Read the shards into ex (files, classes, outcomes); an exit status, or -1. */
static int merge_shards(struct explore *ex, char **paths, size_t n, json_t **shards)
{
	uint64_t nshards = 0;
	bool *seen = NULL;
	int rc = -1;
	for (size_t s = 0; s < n && rc < 0; s++) {
		json_error_t err;
		shards[s] = json_load_file(paths[s], 0, &err);
		if (!shards[s]) {
			rc = merge_error(paths[s], err.text);
			break;
		}
		if (strcmp(jstr(shards[s], "schema"), "serrsim-explore-shard/1") != 0) {
			rc = merge_error(paths[s], "not a shard of 'serrsim explore --shard' "
					 "(schema serrsim-explore-shard/1)");
			break;
		}
		uint64_t i = jnum(shards[s], "shard"), ns = jnum(shards[s], "shards");
		if (s == 0) {
			nshards = ns;
			seen = calloc(ns ? ns : 1, sizeof *seen);
			if (!seen)
				return EXIT_INTERNAL;
		}
		if (ns != nshards || i >= ns) {
			rc = merge_error(paths[s], "the shards were made with different --shard counts");
		} else if (seen[i]) {
			rc = merge_error(paths[s], "this shard was given twice");
		} else {
			seen[i] = true;
			char a[4096], b[4096];
			char *da = json_dumps(json_object_get(shards[0], "policies"), JSON_COMPACT);
			char *db = json_dumps(json_object_get(shards[s], "policies"), JSON_COMPACT);
			snprintf(a, sizeof a, "%s", da ? da : "");
			snprintf(b, sizeof b, "%s", db ? db : "");
			free(da);
			free(db);
			json_t *fa = json_object_get(shards[0], "scenarios"),
			       *fb = json_object_get(shards[s], "scenarios");
			bool same = strcmp(a, b) == 0 && json_array_size(fa) == json_array_size(fb) &&
				    json_equal(json_object_get(shards[0], "enumerate"),
					       json_object_get(shards[s], "enumerate"));
			for (size_t k = 0; same && k < json_array_size(fa); k++) {
				json_t *x = json_array_get(fa, k), *y = json_array_get(fb, k);
				same = strcmp(jstr(x, "file"), jstr(y, "file")) == 0 &&
				       jnum(x, "variants") == jnum(y, "variants") &&
				       json_equal(json_object_get(x, "columns"),
						  json_object_get(y, "columns"));
			}
			if (!same)
				rc = merge_error(paths[s], "this shard comes from another run (other "
						 "scenarios, policies or options)");
		}
	}
	for (uint64_t i = 0; rc < 0 && i < nshards; i++)
		if (!seen[i]) {
			char msg[96];
			snprintf(msg, sizeof msg, "shard %" PRIu64 "/%" PRIu64 " is missing", i, nshards);
			rc = merge_error(paths[0], msg);
		}
	free(seen);
	if (rc >= 0)
		return rc;
	json_t *pol = json_object_get(shards[0], "policies"), *pj;
	size_t k;
	ex->cols.n = 0;
	json_array_foreach(pol, k, pj) {
		init_profile_names();
		const struct ss_knob *kn = strcmp(jstr(pj, "knob"), "profile") == 0
						   ? &profile_knob : ss_knob_find(jstr(pj, "knob"));
		bool ok = false;
		for (unsigned v = 0; kn && kn->values && kn->values[v] && !ok; v++)
			if (strcmp(kn->values[v], jstr(pj, "policy")) == 0)
				ok = add_column(&ex->cols, kn, v);
		if (!ok)
			return merge_error(paths[0], "unknown policy");
	}
	ex->enumerate = json_is_true(json_object_get(shards[0], "enumerate"));
	json_t *files = json_object_get(shards[0], "scenarios");
	ex->nfiles = json_array_size(files);
	ex->files = calloc(ex->nfiles ? ex->nfiles : 1, sizeof *ex->files);
	if (!ex->files)
		return EXIT_INTERNAL;
	for (size_t i = 0; i < ex->nfiles; i++) {
		json_t *fj = json_array_get(files, i);
		struct file *f = &ex->files[i];
		f->path = jstr(fj, "file");
		snprintf(f->name, sizeof f->name, "%s", jstr(fj, "name"));
		f->merged = true;
		if (json_is_true(json_object_get(fj, "error"))) {
			f->error = true;
			f->errors = strdup(jstr(fj, "errors"));
			continue;
		}
		f->variants = jnum(fj, "template");
		f->nvar = jnum(fj, "variants");
		if (f->nvar > SS_TEMPLATE_MAX_VARIANTS)
			return merge_error(paths[0], "too many variants");
		for (size_t c = 0; c < ex->cols.n; c++)
			f->col[c] = json_is_true(json_array_get(json_object_get(fj, "columns"), c));
		f->out = calloc((size_t)f->nvar * ex->cols.n + 1, sizeof *f->out);
		if (!f->out || !merge_classes(ex, f, shards, n, i))
			return EXIT_INTERNAL;
		for (size_t k = 0; k < n; k++) {	/* [quantifier, runs, satisfied] */
			json_t *cj = json_object_get(json_array_get(json_object_get(shards[k],
									"scenarios"), i), "condition");
			if (!json_is_array(cj))
				continue;
			f->condition = (int)json_integer_value(json_array_get(cj, 0));
			f->cond_runs += (size_t)json_integer_value(json_array_get(cj, 1));
			f->cond_sat += (size_t)json_integer_value(json_array_get(cj, 2));
		}
	}
	return -1;
}

/* --- the command ------------------------------------------------------------------------------- */

/* --- --html FILE (html.c) ------------------------------------------------------------------ */

/* The scenario x policy matrix as a page: one row per scenario (with
 * --enumerate, per class of variants); in a row where the policies
 * disagree, the cells that differ from the row's most common outcome are
 * highlighted. */
static bool print_html(FILE *out, const struct explore *ex, size_t runs, size_t failed,
		       size_t disagree, size_t errors)
{
	const char *hdr[MAX_COLS + 2];
	size_t col[MAX_COLS], ncol = 0, nh = 0;
	char buf[512];
	hdr[nh++] = "scenario";
	if (ex->enumerate)
		hdr[nh++] = "class (variants): values";
	for (size_t c = 0; c < ex->cols.n; c++)
		if (column_shown(ex, c)) {
			col[ncol++] = c;
			hdr[nh++] = ex->cols.v[c].name;
		}
	snprintf(buf, sizeof buf, "Each scenario under each SError merge policy (knob merge) and, for "
		 "scenarios with vserror events, each injection policy (knob vinject)%s.",
		 ex->enumerate ? "; templates expanded, variants grouped into classes of equal outcome"
			       : "");
	html_page_begin(out, "serrsim explore", buf);
	snprintf(buf, sizeof buf, "%zu scenarios: %zu runs, %zu failed, %zu with disagreeing "
		 "policies, %zu with errors.", ex->nfiles, runs, failed, disagree, errors);
	html_paragraph(out, "summary", buf);
	html_table_begin(out, "explore", hdr, nh);
	char text[MAX_COLS][4096], name[SS_TEXT + 32], label[LABEL + 64];
	for (size_t i = 0; i < ex->nfiles; i++) {
		const struct file *f = &ex->files[i];
		size_t ncls = f->error || !f->ncls ? 1 : ex->enumerate ? f->ncls : 1;
		for (size_t k = 0; k < ncls; k++) {
			struct html_cell cell[MAX_COLS + 2];
			char *titles[MAX_COLS] = { 0 };
			size_t n = 0;
			const struct klass *kl = f->error || !f->ncls ? NULL : &f->cls[k];
			snprintf(name, sizeof name, "%s", f->name[0] ? f->name : f->path);
			cell[n++] = (struct html_cell){ name, f->path, HTML_CELL };
			if (ex->enumerate) {
				char values[LABEL] = "";
				if (kl && f->variants)
					variant_label(f, kl->rep, values, sizeof values);
				snprintf(label, sizeof label, "%zu (%zu): %s", k + 1, kl ? kl->count : 0,
					 f->variants ? values : "(not a template)");
				cell[n++] = (struct html_cell){ label, NULL, HTML_CELL };
			}
			for (size_t j = 0; j < ncol; j++) {
				size_t c = col[j];
				if (!kl)
					snprintf(text[j], sizeof text[j], "error");
				else
					cell_text(ex, f, kl, c, text[j], sizeof text[j]);
				enum html_cell_kind kind = !kl ? HTML_CELL_FAIL
							 : !applies(ex, f, c) ? HTML_CELL_NA
							 : kl->failed[c] ? HTML_CELL_FAIL : HTML_CELL;
				if (kl && applies(ex, f, c)) {
					const struct outcome *o = &f->out[kl->rep * ex->cols.n + c];
					char *list = syndrome_list(o);
					size_t len = 128 + (list ? strlen(list) : 0) +
						     (o->failures ? strlen(o->failures) : 0);
					titles[j] = malloc(len);
					if (titles[j])
						snprintf(titles[j], len, "%s=%s: %" PRIu32 " exceptions, "
							 "reported %s; merged %" PRIu32 ", lost %" PRIu32
							 ", pending %" PRIu32 "%s%s", ex->cols.v[c].knob->name,
							 ex->cols.v[c].name, o->nexc, list ? list : "?",
							 o->merged, o->dropped, o->pending,
							 o->failures ? "\n" : "", o->failures ? o->failures : "");
					free(list);
				}
				cell[n++] = (struct html_cell){ text[j], titles[j], kind };
			}
			if (kl && kl->disagree) {
				/* the most common outcome of the row */
				size_t best = 0, bestn = 0;
				for (size_t a = 0; a < ncol; a++) {
					size_t m = 0;
					if (!applies(ex, f, col[a]))
						continue;
					for (size_t b = 0; b < ncol; b++)
						m += applies(ex, f, col[b]) && !strcmp(text[a], text[b]);
					if (m > bestn) {
						bestn = m;
						best = a;
					}
				}
				for (size_t j = 0; j < ncol; j++)
					if (applies(ex, f, col[j]) && strcmp(text[j], text[best]) &&
					    cell[n - ncol + j].kind == HTML_CELL)
						cell[n - ncol + j].kind = HTML_CELL_DIFFER;
			}
			html_table_row(out, kl && kl->disagree, cell, n);
			for (size_t j = 0; j < ncol; j++)
				free(titles[j]);
		}
	}
	html_table_end(out);
	html_paragraph(out, "legend", legend);
	html_paragraph(out, "legend", "Highlighted: a row where the policies disagree (left border) "
		       "and, in it, each outcome that differs from the row's most common one; red: "
		       "an expectation failed under that policy (hover for which).");
	html_page_end(out);
	return !ferror(out);
}

static const char explore_usage[] =
	"usage: serrsim explore [--policy all|NAME,NAME...] [--format text|csv|json] [--enumerate]\n"
	"                       [-j N] [-D KNOB=VALUE]... [--shard I/N] DIR|FILE...\n"
	"       serrsim explore --merge [--format text|csv|json] SHARD...\n"
	"\n"
	"Run every scenario under each SError merge policy (knob merge) and, for scenarios\n"
	"with 'vserror' events, each injection policy (knob vinject); print the outcomes side\n"
	"by side.  --enumerate expands scenario templates ({NAME in ...} variables) into every\n"
	"variant and groups the variants into classes of equal outcome.\n"
	"\n"
	"options:\n"
	"  --policy LIST   all (default), or merge/vinject values or knob names, 'profiles'\n"
	"                  (every named profile) or profile:NAME, comma-separated\n"
	"  --format FMT    text (default), csv or json (schema serrsim-explore/1)\n"
	"  --enumerate     run every variant of a template (at most 100000)\n"
	"  -j, --jobs N    run N scenarios at once (default: the number of CPUs, at most 16)\n"
	"  -D, --define K=V  override a [cpu] knob before the policy is applied; repeatable\n"
	"  --shard I/N     run only the (scenario, variant) units whose number is I modulo N\n"
	"                  (0 <= I < N) and print a shard (JSON) for --merge\n"
	"  --merge SHARD...  combine the N shards of one run: prints, in --format, exactly what\n"
	"                  the run without --shard prints\n"
	"  -q, --quiet     no progress line on standard error (shown on a terminal)\n"
	"  --html FILE     also write the table as a self-contained HTML page, the cells\n"
	"                  where policies differ highlighted\n"
	"\n"
	"exit status: 0 every expectation held under every policy it applies to; 1 one failed;\n"
	"2 usage error or malformed scenario; 3 internal error.\n";

enum { OPT_POLICY = 1100, OPT_FORMAT, OPT_ENUMERATE, OPT_XJSON, OPT_SHARD, OPT_MERGE, OPT_HTML };
enum format { FMT_TEXT, FMT_CSV, FMT_JSON };

static int explore_usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "serrsim: explore: ");
	fprintf(stderr, msg, arg);
	fprintf(stderr, "\nTry 'serrsim explore --help'.\n");
	return EXIT_USAGE;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 16 ? 16 : (unsigned)n;
}

int cmd_explore(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "json", no_argument, NULL, OPT_XJSON },
		{ "enumerate", no_argument, NULL, OPT_ENUMERATE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "define", required_argument, NULL, 'D' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "html", required_argument, NULL, OPT_HTML },
		{ NULL, 0, NULL, 0 },
	};
	struct explore ex = { .cols = { .n = 0 } };
	struct ss_knob_override *ov = NULL;
	size_t nov = 0;
	enum format fmt = FMT_TEXT;
	unsigned jobs = default_jobs();
	struct path_list pl = { 0 };
	int rc = EXIT_USAGE, c;
	bool merge = false, policy_given = false, format_given = false;
	json_t **shards = NULL;
	size_t nshards = 0;
	const char *html = NULL;
	parse_policies("all", &ex.cols);
	optind = 0;	/* GNU getopt: start over completely */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqj:D:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(explore_usage, stdout);
			rc = EXIT_PASS;
			goto out;
		case OPT_POLICY:
			if (!parse_policies(optarg, &ex.cols))
				goto out;
			policy_given = true;
			break;
		case OPT_SHARD: {
			char *slash, *end;
			unsigned long long i = strtoull(optarg, &slash, 10), n = 0;
			if (slash != optarg && *slash == '/' && slash[1] >= '0' && slash[1] <= '9')
				n = strtoull(slash + 1, &end, 10);
			if (!n || *end || i >= n || n > UINT32_MAX || optarg[0] == '-') {
				rc = explore_usage_error("--shard expects I/N with 0 <= I < N (the I-th of "
							 "N shards), got '%s'", optarg);
				goto out;
			}
			ex.shard = i;
			ex.nshards = n;
			break;
		}
		case OPT_MERGE: merge = true; break;
		case 'q': ex.quiet = true; break;
		case OPT_HTML: html = optarg; break;
		case OPT_FORMAT:
			format_given = true;
			if (!strcmp(optarg, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(optarg, "csv"))
				fmt = FMT_CSV;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else {
				rc = explore_usage_error("--format expects text, csv or json, got '%s'",
							 optarg);
				goto out;
			}
			break;
		case OPT_XJSON: fmt = FMT_JSON; format_given = true; break;
		case OPT_ENUMERATE: ex.enumerate = true; break;
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 256) {
				rc = explore_usage_error("-j expects a number from 1 to 256, got '%s'",
							 optarg);
				goto out;
			}
			jobs = (unsigned)v;
			break;
		}
		case 'D':
			if (!cli_add_define(&ov, &nov, optarg))
				goto out;
			break;
		case ':':
			rc = explore_usage_error("option '%s' needs a value", argv[optind - 1]);
			goto out;
		default:
			rc = explore_usage_error("unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		rc = explore_usage_error("%s", merge ? "no shard given" : "no scenario given");
		goto out;
	}
	if (merge && (ex.nshards || policy_given || ex.enumerate || nov)) {
		rc = explore_usage_error("%s", "--merge takes the policies and options from the shards "
					 "(no --shard, --policy, --enumerate or -D)");
		goto out;
	}
	if (ex.nshards && format_given && fmt != FMT_JSON) {
		rc = explore_usage_error("%s", "--shard prints a shard (JSON) for --merge; give --format "
					 "to --merge");
		goto out;
	}
	if (html && (ex.nshards || !*html || !strcmp(html, "-"))) {
		rc = explore_usage_error("%s", ex.nshards ? "--html goes with --merge, not --shard"
							  : "--html needs a file name");
		goto out;
	}
	for (int i = optind; html && i < argc; i++)
		if (cli_same_path(html, argv[i])) {
			fprintf(stderr, "serrsim: explore: --html '%s' is the input '%s': refusing to "
				"overwrite it\n", html, argv[i]);
			goto out;
		}
	if (merge) {
		nshards = (size_t)(argc - optind);
		shards = calloc(nshards, sizeof *shards);
		rc = EXIT_INTERNAL;
		if (!shards)
			goto out;
		int m = merge_shards(&ex, argv + optind, nshards, shards);
		if (m >= 0) {
			rc = m;
			goto out;
		}
	} else {
		for (int i = optind; i < argc; i++)
			if (!collect_paths(&pl, argv[i]))
				goto out;
		sort_paths(&pl);
		ex.ov = ov;
		ex.nov = nov;
		ex.nfiles = pl.n;
		ex.files = calloc(pl.n ? pl.n : 1, sizeof *ex.files);
		rc = EXIT_INTERNAL;
		if (!ex.files)
			goto out;
		for (size_t i = 0; html && i < pl.n; i++)
			if (cli_same_path(html, pl.v[i])) {
				fprintf(stderr, "serrsim: explore: --html '%s' is the input scenario '%s': "
					"refusing to overwrite it\n", html, pl.v[i]);
				rc = EXIT_USAGE;
				goto out;
			}
		for (size_t i = 0; i < pl.n; i++) {
			ex.files[i].path = pl.v[i];
			if (!prepare_file(&ex, &ex.files[i]))
				goto out;
		}
		run_jobs(&ex, jobs);
	}
	size_t runs = 0, failed = 0, disagree = 0, errors = 0;
	for (size_t i = 0; i < ex.nfiles; i++) {
		struct file *f = &ex.files[i];
		if (f->error) {
			errors++;
			continue;
		}
		if (!f->merged && !classify(&ex, f))
			goto out;
		count_condition(&ex, f);
		disagree += file_disagrees(f);
		for (size_t k = 0; k < f->ncls; k++)
			for (size_t col = 0; col < ex.cols.n; col++) {
				runs += f->col[col] ? f->cls[k].count : 0;
				failed += f->col[col] ? f->cls[k].failed[col] : 0;
			}
	}
	if (ex.oom)
		goto out;
	for (size_t i = 0; i < ex.nfiles; i++)
		if (ex.files[i].error && ex.files[i].errors) {
			fflush(stdout);
			fputs(ex.files[i].errors, stderr);
		}
	if (ex.nshards) {
		if (!print_shard_json(stdout, &ex))
			goto out;
	} else if (fmt == FMT_JSON) {
		if (!print_json(stdout, &ex, runs, failed, disagree, errors))
			goto out;
	} else if (fmt == FMT_CSV) {
		print_csv(stdout, &ex);
	} else {
		if (ex.enumerate)
			for (size_t i = 0; i < ex.nfiles; i++)
				print_classes_text(stdout, &ex, &ex.files[i]);
		else
			print_table_text(stdout, &ex);
		fputs(legend, stdout);
		for (size_t i = 0; i < ex.nfiles; i++)
			if (!ex.files[i].error)
				print_failures(stdout, &ex, &ex.files[i]);
		print_conditions_text(stdout, &ex);
		printf("explored %zu scenario%s", ex.nfiles, ex.nfiles == 1 ? "" : "s");
		if (ex.enumerate) {
			size_t nvar = 0, ncls = 0;
			for (size_t i = 0; i < ex.nfiles; i++) {
				nvar += (size_t)ex.files[i].nvar;
				ncls += ex.files[i].ncls;
			}
			printf(" (%zu variants, %zu classes)", nvar, ncls);
		}
		printf(": %zu runs, %zu failed, %zu with disagreeing policies", runs, failed, disagree);
		if (errors)
			printf(", %zu with errors", errors);
		printf("\n");
	}
	rc = fflush(stdout) != 0 ? EXIT_INTERNAL : errors ? EXIT_USAGE : failed ? EXIT_FAIL : EXIT_PASS;
	if (html) {
		struct cli_outfile hf;
		if (!cli_outfile_create(&hf, html)) {
			rc = EXIT_USAGE;
		} else {
			bool ok = print_html(hf.f, &ex, runs, failed, disagree, errors);
			if (!cli_outfile_close(&hf, ok) || !ok)
				rc = EXIT_INTERNAL;
		}
	}
out:
	for (size_t i = 0; ex.files && i < ex.nfiles; i++) {
		struct file *f = &ex.files[i];
		for (uint64_t k = 0; f->out && k < f->nvar * ex.cols.n; k++)
			outcome_free(&f->out[k]);
		for (size_t k = 0; k < f->ncls; k++)
			free(f->cls[k].key);
		free(f->cls);
		free(f->out);
		free(f->text);
		free(f->errors);
		ss_variants_free(f->vars);
		for (size_t k = 0; k < f->nlabels; k++)
			free(f->labels[k].text);
		free(f->labels);
	}
	for (size_t i = 0; i < nshards; i++)
		json_decref(shards[i]);
	free(shards);
	free(ex.files);
	free_paths(&pl);
	free(ov);
	return rc;
}
