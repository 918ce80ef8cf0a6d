/*
 * variant.c - running many variants of one scenario template (for 'serrsim
 * explore --enumerate') without re-reading the file for each.
 *
 * The template is cut into variables once (template.c) and its first
 * variant parsed once.  When every line that holds a variable is in an
 * [events] or [expect...] section and makes exactly one record, a variant
 * re-parses only those lines (scn_ast_parse_line) and puts their records in
 * place of the first variant's.  What [cpu], [host], [init] and [code] give
 * (the configuration, the hosts, the PE in its initial state and the
 * program) does not depend on the variant: it is built once per set of knob
 * overrides (scn_load_setup) and copied back before each run; only the
 * events and the expectations are built again (scn_load_finish).
 *
 * Anything else - a variable in [cpu] or [init], a variant whose lines do
 * not parse, a configuration that does not load - runs the variant's whole
 * text as ss_scenario_run_text does, so the results are the same either way.
 */
#include "load.h"
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SETUPS 32		/* override sets kept per template */

/* A line that holds variables. */
struct vline {
	unsigned no;			/* line number */
	size_t off, end;		/* the line in the text, without its '\n' */
	size_t hoff, hend;		/* its section header */
	unsigned hno;
	bool expect;			/* [expect...]; else [events] */
	size_t seg0, nseg;		/* its variable uses: t.seg[seg0 .. seg0 + nseg), var >= 0 */
	size_t slot;			/* its record in ast.expects or ast.events */
};

/* What scn_load_setup gave for one set of overrides. */
struct setup {
	bool used, ok;
	char **ov;			/* name, value, name, value, ... */
	size_t nov;
	struct ss_config cfg;
	struct ss_hyp *hyp;
	struct ss_pe *pe;
	struct program prog;
	bool pc_set;
};

struct ss_variants {
	char *file, *text;
	size_t len;
	bool is_tmpl;
	struct tmpl t;
	uint64_t nvariants;
	bool fast;
	struct vline *lines;
	size_t nlines;
	struct scn *s;			/* its AST holds variant 'spliced' */
	size_t str_n, terms_n;		/* the pools of the first variant's parse */
	uint64_t spliced;
	bool have_spliced;
	struct setup setups[SETUPS];
	size_t next_evict;
	char *buf;			/* one line of a variant */
	size_t bufcap;
	struct ss_diags scratch;
};

static size_t blank(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* The section a header line [NAME ...] opens: 'e' events, 'x' expect, 0 other. */
static char header_kind(const char *s, size_t i, size_t n)
{
	i = blank(s, i + 1, n);
	static const struct { const char *name; char kind; } k[] = { { "events", 'e' },
								     { "expect", 'x' } };
	for (unsigned j = 0; j < 2; j++) {
		size_t l = strlen(k[j].name);
		if (n - i >= l && strncasecmp(s + i, k[j].name, l) == 0 &&
		    (i + l == n || !((s[i + l] >= 'a' && s[i + l] <= 'z') ||
				     (s[i + l] >= 'A' && s[i + l] <= 'Z') ||
				     (s[i + l] >= '0' && s[i + l] <= '9'))))
			return k[j].kind;
	}
	return 0;
}

/* The lines that hold variables, each with its section header; false when
 * one is outside [events] and [expect...]. */
static bool find_lines(struct ss_variants *v)
{
	const char *s = v->text;
	size_t n = v->len, seg = 0, hoff = 0, hend = 0;
	unsigned no = 0, hno = 0;
	char kind = 0;
	v->lines = calloc(v->t.nseg ? v->t.nseg : 1, sizeof *v->lines);
	if (!v->lines)
		return false;
	for (size_t i = 0; i < n && seg < v->t.nseg;) {
		size_t e = i;
		while (e < n && s[e] != '\n')
			e++;
		no++;
		size_t first = blank(s, i, e);
		if (first < e && s[first] == '[') {
			kind = header_kind(s, first, e);
			hoff = i, hend = e, hno = no;
		}
		while (seg < v->t.nseg && (v->t.seg[seg].var < 0 || v->t.seg[seg].off < i))
			seg++;
		if (seg < v->t.nseg && v->t.seg[seg].off < e) {
			if (!kind || v->t.seg[seg].off < first)
				return false;
			struct vline *l = &v->lines[v->nlines++];
			*l = (struct vline){ .no = no, .off = i, .end = e, .hoff = hoff, .hend = hend,
					     .hno = hno, .expect = kind == 'x', .seg0 = seg };
			for (; seg < v->t.nseg && v->t.seg[seg].off < e; seg++)
				if (v->t.seg[seg].var >= 0)
					l->nseg = seg - l->seg0 + 1;
		}
		i = e + 1;
	}
	return true;
}

/* The record each line makes in the first variant's parse: exactly one. */
static bool find_slots(struct ss_variants *v)
{
	const struct ast *a = &v->s->ast;
	for (size_t i = 0; i < v->nlines; i++) {
		struct vline *l = &v->lines[i];
		size_t found = 0;
		if (l->expect) {
			for (size_t j = 0; j < a->expects.n; j++)
				if (a->expects.v[j].pos.line == l->no)
					l->slot = j, found++;
		} else {
			for (size_t j = 0; j < a->events.n; j++)
				if (a->events.v[j].pos.line == l->no)
					l->slot = j, found++;
		}
		if (found != 1)
			return false;
	}
	return true;
}

static void prepare_fast(struct ss_variants *v)
{
	size_t ilen = 0;
	char *inst = scn_tmpl_instantiate(&v->t, v->text, 0, &ilen);
	v->s = calloc(1, sizeof *v->s);
	if (!inst || !v->s) {
		free(inst);
		return;
	}
	v->scratch.n = v->scratch.dropped = 0;
	bool ok = scn_ast_parse(inst, ilen, &v->s->ast, &v->scratch);
	free(inst);
	if (!ok || !find_lines(v) || !find_slots(v))
		return;
	v->str_n = v->s->ast.str.n;
	v->terms_n = v->s->ast.terms.n;
	v->fast = true;
}

struct ss_variants *ss_variants_new(const char *file, const char *text, size_t len)
{
	struct ss_variants *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->file = strdup(file ? file : "");
	v->text = malloc(len + 1);
	if (!v->file || !v->text) {
		ss_variants_free(v);
		return NULL;
	}
	memcpy(v->text, text, len);
	v->text[len] = '\0';
	v->len = len;
	if (scn_tmpl_parse(text, len, &v->t, &v->scratch) && v->t.nvar) {
		v->is_tmpl = true;
		v->nvariants = scn_tmpl_variants(&v->t);
		prepare_fast(v);
	}
	return v;
}

static void setup_clear(struct setup *st)
{
	for (size_t i = 0; i < st->nov * 2; i++)
		free(st->ov[i]);
	free(st->ov);
	free(st->hyp);
	free(st->pe);
	scn_program_free(&st->prog);
	memset(st, 0, sizeof *st);
}

void ss_variants_free(struct ss_variants *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < SETUPS; i++)
		setup_clear(&v->setups[i]);
	if (v->s) {
		memset(&v->s->prog, 0, sizeof v->s->prog);	/* a setup's */
		scn_free(v->s);
		free(v->s);
	}
	scn_tmpl_free(&v->t);
	free(v->lines);
	free(v->buf);
	free(v->file);
	free(v->text);
	free(v);
}

static bool put(struct ss_variants *v, size_t *n, const char *s, size_t len)
{
	if (*n + len + 1 > v->bufcap) {
		size_t cap = v->bufcap ? v->bufcap : 256;
		while (cap < *n + len + 1)
			cap *= 2;
		char *b = realloc(v->buf, cap);
		if (!b)
			return false;
		v->buf = b;
		v->bufcap = cap;
	}
	memcpy(v->buf + *n, s, len);
	*n += len;
	return true;
}

/* Re-parse the variable lines for variant k into the working AST. */
static bool splice(struct ss_variants *v, uint64_t k)
{
	if (v->have_spliced && v->spliced == k)
		return true;
	v->have_spliced = false;
	size_t idx[TMPL_MAX_VARS];
	uint64_t rest = k;
	for (size_t i = v->t.nvar; i-- > 0;) {
		idx[i] = (size_t)(rest % v->t.var[i].nvalues);
		rest /= v->t.var[i].nvalues;
	}
	struct ast *a = &v->s->ast;
	a->str.n = v->str_n;
	a->terms.n = v->terms_n;
	for (size_t i = 0; i < v->nlines; i++) {
		const struct vline *l = &v->lines[i];
		size_t n = 0, pos = l->off;
		for (size_t g = l->seg0; g < l->seg0 + l->nseg; g++) {
			const struct tmpl_seg *sg = &v->t.seg[g];
			if (sg->var < 0)
				continue;
			const char *val = v->t.var[sg->var].values[idx[sg->var]];
			if (!put(v, &n, v->text + pos, sg->off - pos) || !put(v, &n, val, strlen(val)))
				return false;
			pos = sg->off + sg->len;
		}
		if (!put(v, &n, v->text + pos, l->end - pos))
			return false;
		size_t counts[7] = { a->meta.n, a->knobs.n, a->hosts.n, a->init.n, a->code.n,
				     a->events.n, a->expects.n };
		v->scratch.n = v->scratch.dropped = 0;
		bool ok = scn_ast_parse_line(a, v->text + l->hoff, l->hend - l->hoff, l->hno, v->buf, n,
					     l->no, &v->scratch);
		ok = ok && a->meta.n == counts[0] && a->knobs.n == counts[1] &&
		     a->hosts.n == counts[2] && a->init.n == counts[3] && a->code.n == counts[4] &&
		     a->events.n == counts[5] + !l->expect && a->expects.n == counts[6] + l->expect;
		if (!ok) {
			a->meta.n = counts[0], a->knobs.n = counts[1], a->hosts.n = counts[2];
			a->init.n = counts[3], a->code.n = counts[4];
			a->events.n = counts[5], a->expects.n = counts[6];
			return false;
		}
		if (l->expect)
			a->expects.v[l->slot] = a->expects.v[--a->expects.n];
		else
			a->events.v[l->slot] = a->events.v[--a->events.n];
	}
	v->spliced = k;
	v->have_spliced = true;
	return true;
}

static bool same_overrides(const struct setup *st, const struct ss_run_options *opt)
{
	size_t n = opt ? opt->noverrides : 0;
	if (st->nov != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(st->ov[2 * i], opt->overrides[i].name) != 0 ||
		    strcmp(st->ov[2 * i + 1], opt->overrides[i].value) != 0)
			return false;
	return true;
}

/* The setup for these overrides, built on first use; NULL without memory. */
static struct setup *setup_for(struct ss_variants *v, const struct ss_run_options *opt)
{
	struct setup *st = NULL;
	for (size_t i = 0; i < SETUPS; i++) {
		if (v->setups[i].used && same_overrides(&v->setups[i], opt))
			return &v->setups[i];
		if (!st && !v->setups[i].used)
			st = &v->setups[i];
	}
	if (!st) {
		st = &v->setups[v->next_evict];
		v->next_evict = (v->next_evict + 1) % SETUPS;
		setup_clear(st);
	}
	size_t n = opt ? opt->noverrides : 0;
	st->ov = calloc(n ? 2 * n : 1, sizeof *st->ov);
	if (!st->ov)
		return NULL;
	st->used = true;
	st->nov = n;
	for (size_t i = 0; i < n; i++) {
		st->ov[2 * i] = strdup(opt->overrides[i].name);
		st->ov[2 * i + 1] = strdup(opt->overrides[i].value);
		if (!st->ov[2 * i] || !st->ov[2 * i + 1]) {
			setup_clear(st);
			return NULL;
		}
	}
	struct scn *s = v->s;
	memset(&s->prog, 0, sizeof s->prog);
	v->scratch.n = v->scratch.dropped = 0;
	bool ok = scn_load_setup(s, opt, &v->scratch);
	st->hyp = malloc(sizeof *st->hyp);
	st->pe = malloc(sizeof *st->pe);
	if (ok && st->hyp && st->pe) {
		st->ok = true;
		st->cfg = s->cfg;
		*st->hyp = s->hyp;
		*st->pe = *s->pe;
		st->pc_set = s->pc_set;
		st->prog = s->prog;
	} else {
		scn_program_free(&s->prog);
		if (!st->hyp || !st->pe) {
			setup_clear(st);
			return NULL;
		}
	}
	memset(&s->prog, 0, sizeof s->prog);
	return st;
}

static void note_variant(const struct ss_variants *v, uint64_t k, struct ss_result *res)
{
	res->variants = v->nvariants;
	res->template_line = v->t.var[0].line;
	res->template_col = v->t.var[0].col;
	res->variant = k;
	char label[sizeof res->variant_label];
	scn_tmpl_label(&v->t, k, label, sizeof label);
	snprintf(res->variant_label, sizeof res->variant_label, "%s", label);
}

/* The variant's whole text, as ss_scenario_run_text runs it. */
static enum ss_status run_whole(struct ss_variants *v, uint64_t k, const struct ss_run_options *opt,
				struct ss_result *res)
{
	size_t ilen = 0;
	char *inst = scn_tmpl_instantiate(&v->t, v->text, k, &ilen);
	if (!inst) {
		note_variant(v, k, res);
		ss_diag_add(&res->diags, 0, 0, "out of memory");
		return scn_result_errors(res);
	}
	enum ss_status st = scn_run_instance(inst, ilen, opt, res);
	free(inst);
	note_variant(v, k, res);
	return st;
}

enum ss_status ss_variants_run(struct ss_variants *v, const struct ss_run_options *opt,
			       struct ss_result *res)
{
	uint64_t k = opt ? opt->variant : 0;
	if (!v->is_tmpl || k >= v->nvariants)
		return ss_scenario_run_text(v->file, v->text, v->len, opt, res);
	ss_result_init(res);
	struct setup *st = NULL;
	if (!v->fast || (opt && opt->parse_only) || !splice(v, k) ||
	    !(st = setup_for(v, opt)) || !st->ok)
		return run_whole(v, k, opt, res);
	struct scn *s = v->s;
	s->cfg = st->cfg;
	s->hyp = *st->hyp;
	*s->pe = *st->pe;
	s->prog = st->prog;
	s->pc_set = st->pc_set;
	ss_pe_set_program(s->pe, &s->prog.prog);
	free(s->exps);
	s->exps = NULL;
	s->nexps = 0;
	s->nblocks = 0;
	s->nvectors = 0;
	scn_result_meta(&s->ast, res);
	enum ss_status status;
	if (!scn_load_finish(s, opt, &res->diags)) {
		res->cfg = s->cfg;
		status = scn_result_errors(res);
	} else {
		status = scn_run_loaded(s, opt, res);
	}
	note_variant(v, k, res);
	return status;
}

uint64_t ss_variants_count(const struct ss_variants *v)
{
	return v->is_tmpl ? v->nvariants : 0;
}

void ss_variants_label(const struct ss_variants *v, uint64_t k, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (v->is_tmpl && k < v->nvariants)
		scn_tmpl_label(&v->t, k, buf, len);
}
