/*
 * template.c - scenario templates: variables in braces that expand one
 * scenario into many variants (docs/scenario-format.md, "Templates").
 *
 *   at {t1 in 0..12 step 2}: serror AET={a1 in UER,UEU,CE}
 *   at {t1}+3: serror AET=UEO               # a reference to t1
 *
 * A declaration {NAME in LO..HI [step S]} or {NAME in V1,V2,...} may appear
 * in the [cpu], [init], [events] and [expect...] sections (outside
 * comments); {NAME} refers to a variable declared earlier in the file.  A
 * variant replaces every brace group with one value; variants are numbered
 * like an odometer, the first variable changing slowest.  Variant 0 (every
 * variable at its first value) is what 'serrsim run' and 'check' execute.
 */
#include "template.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ast.h"

static bool tgrow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = realloc(*v, ncap * size);
	if (!p)
		return false;
	*v = p;
	*cap = ncap;
	return true;
}

void scn_tmpl_free(struct tmpl *t)
{
	for (size_t i = 0; i < t->nvar; i++) {
		for (size_t j = 0; j < t->var[i].nvalues; j++)
			free(t->var[i].values[j]);
		free(t->var[i].values);
	}
	free(t->var);
	free(t->seg);
	memset(t, 0, sizeof *t);
}

static bool add_seg(struct tmpl *t, size_t off, size_t len, int var)
{
	if (!tgrow((void **)&t->seg, &t->segcap, t->nseg, sizeof *t->seg))
		return false;
	t->seg[t->nseg++] = (struct tmpl_seg){ off, len, var };
	return true;
}

static bool add_value(struct tmpl_var *v, const char *s, size_t len)
{
	if (!tgrow((void **)&v->values, &v->cap, v->nvalues, sizeof *v->values))
		return false;
	char *c = malloc(len + 1);
	if (!c)
		return false;
	memcpy(c, s, len);
	c[len] = '\0';
	v->values[v->nvalues++] = c;
	return true;
}

static int find_var(const struct tmpl *t, const char *s, size_t len)
{
	for (size_t i = 0; i < t->nvar; i++)
		if (strlen(t->var[i].name) == len && strncmp(t->var[i].name, s, len) == 0)
			return (int)i;
	return -1;
}

static size_t blanks(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

struct tctx {
	struct tmpl *t;
	struct ss_diags *d;
	const char *s;
	unsigned line;
	size_t bol;		/* offset of the line's first character */
};

static unsigned col(const struct tctx *c, size_t i)
{
	return (unsigned)(i - c->bol + 1);
}

/* LO..HI [step S] between s[i] and s[end]. */
static bool parse_range(struct tctx *c, struct tmpl_var *v, size_t i, size_t dots, size_t end)
{
	const char *s = c->s;
	size_t lo_e = dots;
	while (lo_e > i && (s[lo_e - 1] == ' ' || s[lo_e - 1] == '\t'))
		lo_e--;
	size_t hi = blanks(s, dots + 2, end), hi_e = hi;
	while (hi_e < end && isalnum((unsigned char)s[hi_e]))
		hi_e++;
	uint64_t lo_v, hi_v, step = 1;
	if (lo_e == i || scn_ast_parse_number(s + i, lo_e - i, &lo_v)) {
		ss_diag_add(c->d, c->line, col(c, i), "template range: expected a number before '..'");
		return false;
	}
	if (hi_e == hi || scn_ast_parse_number(s + hi, hi_e - hi, &hi_v)) {
		ss_diag_add(c->d, c->line, col(c, hi), "template range: expected a number after '..'");
		return false;
	}
	size_t k = blanks(s, hi_e, end);
	if (k < end) {
		if (end - k < 4 || strncasecmp(s + k, "step", 4) != 0) {
			ss_diag_add(c->d, c->line, col(c, k),
				    "template range: expected 'step N' or '}' after the range");
			return false;
		}
		size_t st = blanks(s, k + 4, end), st_e = st;
		while (st_e < end && isalnum((unsigned char)s[st_e]))
			st_e++;
		if (st_e == st || scn_ast_parse_number(s + st, st_e - st, &step) || step == 0 ||
		    blanks(s, st_e, end) != end) {
			ss_diag_add(c->d, c->line, col(c, st),
				    "template range: 'step' needs a positive number");
			return false;
		}
	}
	if (lo_v > hi_v) {
		ss_diag_add(c->d, c->line, col(c, i), "template range %" PRIu64 "..%" PRIu64 " is empty",
			    lo_v, hi_v);
		return false;
	}
	if ((hi_v - lo_v) / step >= SS_TEMPLATE_MAX_VARIANTS) {
		ss_diag_add(c->d, c->line, col(c, i), "template range has more than %u values",
			    SS_TEMPLATE_MAX_VARIANTS);
		return false;
	}
	bool hex = lo_e - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
	for (uint64_t x = lo_v;; x += step) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, hex ? "0x%" PRIx64 : "%" PRIu64, x);
		if (!add_value(v, buf, (size_t)n)) {
			ss_diag_add(c->d, c->line, col(c, i), "out of memory");
			return false;
		}
		if (hi_v - x < step)
			break;
	}
	return true;
}

/* V1,V2,... between s[i] and s[end]. */
static bool parse_list(struct tctx *c, struct tmpl_var *v, size_t i, size_t end)
{
	const char *s = c->s;
	for (;;) {
		i = blanks(s, i, end);
		size_t e = i;
		while (e < end && s[e] != ',' && s[e] != ' ' && s[e] != '\t')
			e++;
		if (e == i) {
			ss_diag_add(c->d, c->line, col(c, i), "template list: expected a value");
			return false;
		}
		if (!add_value(v, s + i, e - i)) {
			ss_diag_add(c->d, c->line, col(c, i), "out of memory");
			return false;
		}
		e = blanks(s, e, end);
		if (e == end)
			return true;
		if (s[e] != ',') {
			ss_diag_add(c->d, c->line, col(c, e),
				    "template list: expected ',' or '}' after a value");
			return false;
		}
		i = e + 1;
	}
}

/* One brace group starting at s[open] on a line ending at s[n]; returns the
 * offset after its '}' (its variable in *out), or 0 after an error. */
static size_t parse_group(struct tctx *c, size_t open, size_t n, int *out)
{
	const char *s = c->s;
	size_t close = open + 1;
	while (close < n && s[close] != '}' && s[close] != '{')
		close++;
	if (close >= n || s[close] != '}') {
		ss_diag_add(c->d, c->line, col(c, open), "unterminated template variable: expected '}'");
		return 0;
	}
	size_t i = blanks(s, open + 1, close), ne = i;
	while (ne < close && (isalnum((unsigned char)s[ne]) || s[ne] == '_'))
		ne++;
	if (ne == i || isdigit((unsigned char)s[i])) {
		ss_diag_add(c->d, c->line, col(c, i), "expected a template variable name after '{'");
		return 0;
	}
	if (ne - i >= TMPL_NAME) {
		ss_diag_add(c->d, c->line, col(c, i), "template variable name too long");
		return 0;
	}
	int var = find_var(c->t, s + i, ne - i);
	size_t k = blanks(s, ne, close);
	if (k == close) {
		if (var < 0) {
			ss_diag_add(c->d, c->line, col(c, i),
				    "undefined template variable '%.*s' (declare it first: {%.*s in ...})",
				    (int)(ne - i), s + i, (int)(ne - i), s + i);
			return 0;
		}
	} else {
		if (close - k < 3 || strncasecmp(s + k, "in", 2) != 0 ||
		    (s[k + 2] != ' ' && s[k + 2] != '\t')) {
			ss_diag_add(c->d, c->line, col(c, k),
				    "expected '}' or 'in' after the template variable name");
			return 0;
		}
		if (var >= 0) {
			ss_diag_add(c->d, c->line, col(c, i),
				    "template variable '%.*s' declared twice (first at line %u)",
				    (int)(ne - i), s + i, c->t->var[var].line);
			return 0;
		}
		struct tmpl *t = c->t;
		if (t->nvar >= TMPL_MAX_VARS) {
			ss_diag_add(c->d, c->line, col(c, i), "too many template variables (at most %d)",
				    TMPL_MAX_VARS);
			return 0;
		}
		if (!tgrow((void **)&t->var, &t->varcap, t->nvar, sizeof *t->var)) {
			ss_diag_add(c->d, c->line, col(c, i), "out of memory");
			return 0;
		}
		struct tmpl_var *v = &t->var[t->nvar++];
		memset(v, 0, sizeof *v);
		memcpy(v->name, s + i, ne - i);
		v->line = c->line;
		v->col = col(c, i);
		size_t spec = blanks(s, k + 2, close), dots = spec;
		while (dots + 1 < close && !(s[dots] == '.' && s[dots + 1] == '.'))
			dots++;
		size_t end = close;
		while (end > spec && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		bool ok = dots + 1 < close ? parse_range(c, v, spec, dots, end)
					   : parse_list(c, v, spec, end);
		if (!ok)
			return 0;
		var = (int)(t->nvar - 1);
	}
	*out = var;
	return close + 1;
}

/* Does a section header line name a section whose lines may hold variables? */
static bool template_section(const char *s, size_t i, size_t n)
{
	static const char *const names[] = { "cpu", "init", "events", "expect", NULL };
	i = blanks(s, i + 1, n);
	for (unsigned k = 0; names[k]; k++) {
		size_t l = strlen(names[k]);
		if (n - i >= l && strncasecmp(s + i, names[k], l) == 0 &&
		    (i + l == n || !isalnum((unsigned char)s[i + l])))
			return true;
	}
	return false;
}

bool scn_tmpl_parse(const char *text, size_t len, struct tmpl *t, struct ss_diags *d)
{
	memset(t, 0, sizeof *t);
	size_t before = d->n, lit = 0;
	bool active = false;
	struct tctx c = { .t = t, .d = d, .s = text };
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		c.line++;
		c.bol = i;
		size_t first = blanks(text, i, e);
		if (first < e && text[first] == '[') {
			active = template_section(text, first, e);
		} else if (active) {
			size_t stop = i;
			while (stop < e && text[stop] != '#')
				stop++;
			for (size_t k = i; k < stop; k++) {
				if (text[k] != '{')
					continue;
				int var;
				size_t after = parse_group(&c, k, stop, &var);
				if (!after)
					break;
				/* the literal before the group, then the group itself */
				if (!add_seg(t, lit, k - lit, -1) || !add_seg(t, k, after - k, var)) {
					ss_diag_add(d, c.line, col(&c, k), "out of memory");
					break;
				}
				lit = after;
				k = after - 1;
			}
		}
		i = e + 1;
	}
	if (d->n != before) {
		scn_tmpl_free(t);
		return false;
	}
	if (t->nvar && !add_seg(t, lit, len - lit, -1)) {
		ss_diag_add(d, 1, 1, "out of memory");
		scn_tmpl_free(t);
		return false;
	}
	return true;
}

uint64_t scn_tmpl_variants(const struct tmpl *t)
{
	uint64_t n = 1;
	for (size_t i = 0; i < t->nvar; i++) {
		uint64_t k = t->var[i].nvalues;
		if (k && n > UINT64_MAX / k)
			return UINT64_MAX;
		n *= k;
	}
	return n;
}

/* Value index of every variable in variant k. */
static void digits(const struct tmpl *t, uint64_t k, size_t *idx)
{
	for (size_t i = t->nvar; i-- > 0;) {
		idx[i] = (size_t)(k % t->var[i].nvalues);
		k /= t->var[i].nvalues;
	}
}

char *scn_tmpl_instantiate(const struct tmpl *t, const char *text, uint64_t k, size_t *len)
{
	size_t *idx = calloc(t->nvar ? t->nvar : 1, sizeof *idx);
	if (!idx)
		return NULL;
	digits(t, k, idx);
	size_t total = 0;
	for (size_t i = 0; i < t->nseg; i++)
		total += t->seg[i].var < 0 ? t->seg[i].len
					   : strlen(t->var[t->seg[i].var].values[idx[t->seg[i].var]]);
	char *out = malloc(total + 1), *p = out;
	for (size_t i = 0; out && i < t->nseg; i++) {
		const struct tmpl_seg *g = &t->seg[i];
		const char *src = g->var < 0 ? text + g->off : t->var[g->var].values[idx[g->var]];
		size_t n = g->var < 0 ? g->len : strlen(src);
		memcpy(p, src, n);
		p += n;
	}
	if (out)
		*p = '\0';
	*len = total;
	free(idx);
	return out;
}

void scn_tmpl_label(const struct tmpl *t, uint64_t k, char *buf, size_t len)
{
	size_t idx[TMPL_MAX_VARS], used = 0;
	buf[0] = '\0';
	if (t->nvar > TMPL_MAX_VARS)
		return;
	digits(t, k, idx);
	for (size_t i = 0; i < t->nvar && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "", t->var[i].name,
				 t->var[i].values[idx[i]]);
		used += n > 0 ? (size_t)n : 0;
	}
}
