/*
 * names.c - the checker's name resolution: labels, expressions, and register,
 * field, PSTATE, X-register and pseudo-value names, all through sysregs/.
 */
#include "scn.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- the label table ---------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void scn_labels_free(struct labels *l)
{
	free(l->v);
	free(l->hash);
	memset(l, 0, sizeof *l);
}

const struct label *scn_labels_find(const struct labels *l, const struct ast *ast, const char *name)
{
	if (!l->hcap)
		return NULL;
	for (size_t i = hash_str(name) & (l->hcap - 1);; i = (i + 1) & (l->hcap - 1)) {
		uint32_t e = l->hash[i];
		if (e == 0)
			return NULL;
		if (strcmp(ast_s(ast, l->v[e - 1].name), name) == 0)
			return &l->v[e - 1];
	}
}

static void hash_insert(struct labels *l, const struct ast *ast, size_t idx)
{
	size_t i = hash_str(ast_s(ast, l->v[idx].name)) & (l->hcap - 1);
	while (l->hash[i])
		i = (i + 1) & (l->hcap - 1);
	l->hash[i] = (uint32_t)idx + 1;
}

static bool rehash(struct labels *l, const struct ast *ast)
{
	size_t ncap = l->hcap ? l->hcap * 2 : 64;
	uint32_t *h = calloc(ncap, sizeof *h);
	if (!h)
		return false;
	free(l->hash);
	l->hash = h;
	l->hcap = ncap;
	for (size_t i = 0; i < l->n; i++)
		hash_insert(l, ast, i);
	return true;
}

bool scn_labels_add(struct labels *l, const struct ast *ast, ast_str name, uint64_t addr,
		struct ast_pos pos, const struct label **dup)
{
	*dup = scn_labels_find(l, ast, ast_s(ast, name));
	if (*dup)
		return false;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct label *v = realloc(l->v, ncap * sizeof *v);
		if (!v)
			return false;
		l->v = v;
		l->cap = ncap;
	}
	if ((l->n + 1) * 2 > l->hcap && !rehash(l, ast))
		return false;
	l->v[l->n] = (struct label){ name, addr, pos };
	hash_insert(l, ast, l->n);
	l->n++;
	return true;
}

/* --- expressions ----------------------------------------------------------------- */

bool scn_expr_is_name(const struct ast *ast, const struct ast_expr *e, const char **name)
{
	if (e->star || e->n != 1)
		return false;
	const struct ast_term *t = ast_t(ast, e, 0);
	if (!t->is_name || t->neg)
		return false;
	*name = ast_s(ast, t->name);
	return true;
}

static bool term_value(struct eval_ctx *c, const struct ast_term *t, uint64_t *v)
{
	if (!t->is_name) {
		*v = t->num;
		return true;
	}
	const char *name = ast_s(c->ast, t->name);
	c->used_name = true;
	const struct label *l = c->labels ? scn_labels_find(c->labels, c->ast, name) : NULL;
	if (l) {
		*v = l->addr;
		return true;
	}
	const struct ss_sysreg *r = ss_sysreg_by_name(name);
	if (r && c->sr) {
		*v = c->sr[r->id];
		return true;
	}
	if (!c->labels) {
		c->deferred = true;
		return false;
	}
	ss_diag_add(c->d, t->pos.line, t->pos.col, "undefined label '%s'", name);
	return false;
}

bool scn_eval_expr(struct eval_ctx *c, const struct ast_expr *e, uint64_t *out)
{
	uint64_t acc = 0;
	for (unsigned i = 0; i < e->n; i++) {
		const struct ast_term *t = ast_t(c->ast, e, i);
		uint64_t v;
		if (!term_value(c, t, &v))
			return false;
		acc = t->neg ? acc - v : acc + v;
	}
	*out = acc;
	return true;
}

/* --- targets ---------------------------------------------------------------------- */

struct pseudo_def {
	const char *name;
	enum pseudo ps;
	bool exception_only;	/* only in [expect exception K] */
	bool final_only;	/* only in [expect] */
};

static const struct pseudo_def pseudos[] = {
	{ "exceptions", PS_EXCEPTIONS, false, false },
	{ "stop", PS_STOP, false, true },
	{ "cycles", PS_CYCLES, false, false },
	{ "cause", PS_CAUSE, true, false },
	{ "vector", PS_VECTOR, true, false },
	{ "offset", PS_OFFSET, true, false },
	{ "from_el", PS_FROM_EL, true, false },
	{ "to_el", PS_TO_EL, true, false },
	{ "iesb", PS_IESB, true, false },
	{ "esr", PS_ESR, true, false },
	{ "elr", PS_ELR, true, false },
	{ "spsr", PS_SPSR, true, false },
	{ "cycle", PS_EXC_CYCLE, true, false },
	{ "vmops", PS_VMOPS, false, false },
};

static const char *const vmop_fields[VF_COUNT] = {
	[VF_SET] = "set", [VF_MIGRATION] = "migration", [VF_REFUSED] = "refused",
	[VF_ESR_DROPPED] = "esr_dropped", [VF_VMM] = "vmm", [VF_CYCLE] = "cycle",
	[VF_SAVED_PENDING] = "saved.pending", [VF_SAVED_HAS_ESR] = "saved.has_esr",
	[VF_SAVED_ESR] = "saved.esr", [VF_SENT_PENDING] = "sent.pending",
	[VF_SENT_HAS_ESR] = "sent.has_esr", [VF_SENT_ESR] = "sent.esr",
	[VF_GET] = "get", [VF_GOT_PENDING] = "got.pending", [VF_GOT_HAS_ESR] = "got.has_esr",
	[VF_GOT_ESR] = "got.esr", [VF_GOT_EXT_DABT_PENDING] = "got.ext_dabt_pending",
	[VF_SENT_EXT_DABT_PENDING] = "sent.ext_dabt_pending",
	[VF_ABORT_COMMITTED] = "abort_committed", [VF_EVENTS_DROPPED] = "events_dropped",
	[VF_MADE_UP] = "made_up", [VF_ISS] = "iss", [VF_ENTERED_EL] = "entered_el",
	[VF_AT_EL2] = "at_el2",
};

const char *scn_vmop_field_name(enum vmop_field f)
{
	return (unsigned)f < VF_COUNT ? vmop_fields[f] : "?";
}

/* vmopK.<field>: K from 1 to SS_MAX_VMOPS. */
static bool resolve_vmop(const char *base, const char *field, struct ast_pos pos,
			 struct target *t, struct ss_diags *d)
{
	unsigned k = 0;
	const char *p = base + 4;
	for (; *p >= '0' && *p <= '9' && k <= SS_MAX_VMOPS; p++)
		k = k * 10 + (unsigned)(*p - '0');
	if (*p || p == base + 4 || k == 0 || k > SS_MAX_VMOPS) {
		ss_diag_add(d, pos.line, pos.col,
			    "unknown pseudo-value '%s.%s' (vmopK with K from 1 to %d: the K-th "
			    "set_events, get_events or migrate)", base, field, SS_MAX_VMOPS);
		return false;
	}
	for (unsigned f = 0; f < VF_COUNT; f++)
		if (strcasecmp(vmop_fields[f], field) == 0) {
			t->kind = TGT_PSEUDO;
			t->ps = PS_VMOP;
			t->vmop = k - 1;
			t->vfield = (enum vmop_field)f;
			return true;
		}
	char list[400] = "";
	size_t used = 0;
	for (unsigned f = 0; f < VF_COUNT && used < sizeof list; f++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s", f ? ", " : "", vmop_fields[f]);
		used += n > 0 ? (size_t)n : 0;
	}
	ss_diag_add(d, pos.line, pos.col, "unknown field '%s' of %s (expected %s)", field, base, list);
	return false;
}

const char *scn_pseudo_name(enum pseudo ps)
{
	if (ps == PS_EXCEPTIONS_AT)
		return "exceptions at";
	if (ps == PS_LEDGER)
		return "ledger";
	if (ps == PS_VMOP)
		return "vmop";
	for (size_t i = 0; i < sizeof pseudos / sizeof pseudos[0]; i++)
		if (pseudos[i].ps == ps)
			return pseudos[i].name;
	return "?";
}

const struct ss_layout *scn_target_layout(const struct target *t)
{
	switch (t->kind) {
	case TGT_SR:
		return ss_sysregs[t->reg].layout;
	case TGT_PSEUDO:
		if (t->ps == PS_ESR)
			return ss_sysregs[SS_REG_ESR_EL1].layout;
		if (t->ps == PS_SPSR)
			return ss_sysregs[SS_REG_SPSR_EL1].layout;
		return NULL;
	default:
		return NULL;
	}
}

/* X0..X30: returns 0..30, 31 for a number out of range, -1 when not an X name. */
static int x_register(const char *s)
{
	if ((s[0] != 'x' && s[0] != 'X') || !isdigit((unsigned char)s[1]))
		return -1;
	unsigned n = 0;
	for (const char *p = s + 1; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		n = n * 10 + (unsigned)(*p - '0');
		if (n > 31)
			n = 31;
	}
	return (int)n;
}

static bool resolve_pseudo(const char *name, struct ast_pos pos, int block, struct target *t,
			   struct ss_diags *d)
{
	for (size_t i = 0; i < sizeof pseudos / sizeof pseudos[0]; i++) {
		const struct pseudo_def *p = &pseudos[i];
		if (strcasecmp(p->name, name) != 0)
			continue;
		if (p->exception_only && block != AST_BLOCK_EXCEPTION) {
			ss_diag_add(d, pos.line, pos.col,
				    "'%s' is only available in [expect exception K]", p->name);
			return false;
		}
		if (p->final_only && block != AST_BLOCK_FINAL) {
			ss_diag_add(d, pos.line, pos.col, "'%s' is only available in [expect]", p->name);
			return false;
		}
		t->kind = TGT_PSEUDO;
		t->ps = p->ps;
		return true;
	}
	return false;
}

/* Same name, with '-' and '_' equivalent ("in_flight" = "in-flight"). */
static bool same_state(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : (char)tolower((unsigned char)*a);
		char y = *b == '-' ? '_' : (char)tolower((unsigned char)*b);
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* ledger.<state>, for every disposition the model names. */
static bool resolve_ledger(const char *state, struct ast_pos pos, struct target *t,
			   struct ss_diags *d)
{
	char list[200] = "";
	size_t used = 0;
	if (same_state("dropped", state)) {	/* ledger.dropped: the state's former name */
		t->kind = TGT_PSEUDO;
		t->ps = PS_LEDGER;
		t->disp = SS_DISP_LOST;
		return true;
	}
	for (unsigned i = 0; i < LEDGER_STATES; i++) {
		const char *n = ss_disposition_name((enum ss_disposition)i);
		if (same_state(n, state)) {
			t->kind = TGT_PSEUDO;
			t->ps = PS_LEDGER;
			t->disp = (enum ss_disposition)i;
			return true;
		}
		int k = snprintf(list + used, sizeof list - used, "%sledger.%s", i ? ", " : "", n);
		used += k > 0 && (size_t)k < sizeof list - used ? (size_t)k : 0;
	}
	for (char *p = list; *p; p++)
		if (*p == '-')
			*p = '_';
	ss_diag_add(d, pos.line, pos.col, "unknown pseudo-value 'ledger.%s' (expected %s)", state,
		    list);
	return false;
}

static bool resolve_plain(const char *name, struct ast_pos pos, int block, struct target *t,
			  struct ss_diags *d)
{
	int x = x_register(name);
	if (x >= 0 && x <= 30) {
		t->kind = TGT_X;
		t->x = (unsigned)x;
		return true;
	}
	if (x == 31) {
		ss_diag_add(d, pos.line, pos.col, "register '%s' out of range (X0..X30)", name);
		return false;
	}
	if (strcasecmp(name, "pc") == 0) {
		t->kind = TGT_PC;
		return true;
	}
	const struct ss_sysreg *r = ss_sysreg_by_name(name);
	if (r) {
		t->kind = TGT_SR;
		t->reg = r->id;
		return true;
	}
	if (block >= 0) {
		size_t before = d->n;
		if (resolve_pseudo(name, pos, block, t, d))
			return true;
		if (d->n != before)
			return false;
		ss_diag_add(d, pos.line, pos.col, "unknown register or pseudo-value '%s'", name);
		return false;
	}
	ss_diag_add(d, pos.line, pos.col, "unknown register '%s'", name);
	return false;
}

bool scn_resolve_target(const struct ast *ast, ast_str sname, struct ast_pos pos, int block,
		    struct target *t, struct ss_diags *d)
{
	const char *name = ast_s(ast, sname);
	const char *dot = strchr(name, '.');
	memset(t, 0, sizeof *t);
	if (!dot)
		return resolve_plain(name, pos, block, t, d);
	char base[AST_NAME];
	size_t bl = (size_t)(dot - name);
	memcpy(base, name, bl);
	base[bl] = '\0';
	if (block >= 0 && strcasecmp(base, "ledger") == 0)
		return resolve_ledger(dot + 1, pos, t, d);
	if (block >= 0 && strncasecmp(base, "vmop", 4) == 0 && !ss_sysreg_by_name(base))
		return resolve_vmop(base, dot + 1, pos, t, d);
	const struct ss_sysreg *r = ss_sysreg_by_name(base);
	if (!r) {
		ss_diag_add(d, pos.line, pos.col, "unknown register '%s'", base);
		return false;
	}
	const char *fname = dot + 1;
	const struct ss_field *f = strchr(fname, '.') ? NULL : ss_field_by_name(r->layout, fname, NULL);
	if (!f) {
		ss_diag_add(d, pos.line, pos.col + (unsigned)bl + 1, "unknown field '%s' of %s", fname,
			    r->name);
		return false;
	}
	t->kind = TGT_FIELD;
	t->reg = r->id;
	t->field = f;
	return true;
}

/* "Unknown, WFx, ..." for messages. */
static void enum_list(const struct ss_enum *en, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < en->n && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", en->vals[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

bool scn_eval_value(struct eval_ctx *c, const struct target *t, const struct ast_expr *e,
		const char *tname, uint64_t *out)
{
	const char *name;
	const struct ss_enum *en = t->kind == TGT_FIELD ? t->field->en : NULL;
	if (en && scn_expr_is_name(c->ast, e, &name)) {
		if (ss_enum_value(en, name, out))
			return true;
		bool known = (c->labels && scn_labels_find(c->labels, c->ast, name)) ||
			     ss_sysreg_by_name(name);
		if (!known) {
			char list[200];
			enum_list(en, list, sizeof list);
			ss_diag_add(c->d, e->pos.line, e->pos.col,
				    "unknown value '%s' for %s (expected a number or one of: %s)", name,
				    tname, list);
			return false;
		}
	}
	if (!scn_eval_expr(c, e, out))
		return false;
	if (t->kind == TGT_FIELD && !ss_field_fits(t->field, *out)) {
		ss_diag_add(c->d, e->pos.line, e->pos.col,
			    "value 0x%" PRIx64 " does not fit in %s (%u bits)", *out, tname,
			    ss_field_width(t->field));
		return false;
	}
	return true;
}
