/*
 * load.c - from a parsed scenario to a PE ready to run: the configuration
 * ([cpu] and overrides), the initial state ([init]), the program ([code]),
 * the events ([events]) and the resolved expectations ([expect...]).
 */
#include "load.h"

#include <ctype.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "esr.h"
#include "hyp.h"
#include "profile.h"

/* --- configuration ---------------------------------------------------------- */

const char *ss_override_check(const struct ss_knob_override *o)
{
	struct ss_config cfg;
	ss_config_default(&cfg);
	const struct ss_knob *k = ss_knob_find(o->name);
	if (!k)
		return "unknown knob";
	return ss_knob_set(&cfg, k, o->value);
}

static bool build_config(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d)
{
	size_t before = d->n;
	ss_config_default(&s->cfg);
	/* 'profile: NAME' in the header: the base [cpu] adjusts; -P (applied
	 * with -D, after [cpu]) replaces it. */
	const char *pname = scn_ast_meta_get(&s->ast, "profile");
	if (pname && !(opt && opt->profile)) {
		const struct ss_profile *p = ss_profile_find(pname);
		if (!p) {
			ss_diag_add(d, 1, 1, "unknown profile '%s' in the header (serrsim profiles "
					     "lists them)", pname);
		} else {
			for (size_t i = 0; i < p->n; i++) {
				const struct ss_knob *k = ss_knob_find(p->entries[i].knob);
				const char *err = k ? ss_knob_set(&s->cfg, k, p->entries[i].value)
						    : "unknown knob";
				if (err)
					ss_diag_add(d, 1, 1, "profile %s: %s=%s: %s", p->name,
						    p->entries[i].knob, p->entries[i].value, err);
			}
		}
	}
	for (size_t i = 0; i < s->ast.knobs.n; i++) {
		const struct ast_knob *kn = &s->ast.knobs.v[i];
		if (kn->host)
			continue;	/* [host NAME]: build_hosts */
		const struct ss_knob *k = ss_knob_find(kn->name);
		if (!k) {
			ss_diag_add(d, kn->pos.line, kn->pos.col, "unknown knob '%s'", kn->name);
			continue;
		}
		const char *err = ss_knob_set(&s->cfg, k, kn->value);
		if (err)
			ss_diag_add(d, kn->vpos.line, kn->vpos.col, "bad value '%s' for knob '%s': %s",
				    kn->value, k->name, err);
	}
	for (size_t i = 0; opt && i < opt->noverrides; i++) {
		const struct ss_knob_override *o = &opt->overrides[i];
		const struct ss_knob *k = ss_knob_find(o->name);
		const char *err = k ? ss_knob_set(&s->cfg, k, o->value) : "unknown knob";
		if (err)
			ss_diag_add(d, 0, 0, "-D %s=%s: %s", o->name, o->value, err);
	}
	if (d->n != before)
		return false;
	const char *err = ss_config_check(&s->cfg);
	if (err) {
		struct ast_pos p = s->ast.has_cpu ? s->ast.cpu_pos : (struct ast_pos){ 1, 1 };
		ss_diag_add(d, p.line, p.col, "inconsistent configuration: %s", err);
		return false;
	}
	return true;
}

/* The host a [host NAME] section or an inline migrate destination makes:
 * host 1 + i for ast.hosts.v[i] (host 0 is the scenario's own). */
static struct ss_config *host_cfg(struct scn *s, size_t i)
{
	return &s->hyp.hosts[1 + i].cfg;
}

/* [host NAME] sections: the scenario's configuration (after -D) with the
 * section's knobs. */
static bool build_hosts(struct scn *s, struct ss_diags *d)
{
	size_t before = d->n;
	ss_hyp_init(&s->hyp, &s->cfg);
	if (s->ast.hosts.n > SCN_MAX_HOSTS) {
		const struct ast_host *h = &s->ast.hosts.v[SCN_MAX_HOSTS];
		ss_diag_add(d, h->pos.line, h->pos.col, "too many hosts (at most %d)", SCN_MAX_HOSTS);
		return false;
	}
	for (size_t i = 0; i < s->ast.hosts.n; i++)
		ss_hyp_add_host(&s->hyp, s->ast.hosts.v[i].name, &s->cfg);
	for (size_t i = 0; i < s->ast.knobs.n; i++) {
		const struct ast_knob *kn = &s->ast.knobs.v[i];
		if (!kn->host)
			continue;
		const struct ss_knob *k = ss_knob_find(kn->name);
		if (!k) {
			ss_diag_add(d, kn->pos.line, kn->pos.col, "unknown knob '%s'", kn->name);
			continue;
		}
		const char *err = ss_knob_set(host_cfg(s, kn->host - 1), k, kn->value);
		if (err)
			ss_diag_add(d, kn->vpos.line, kn->vpos.col, "bad value '%s' for knob '%s': %s",
				    kn->value, k->name, err);
	}
	if (d->n != before)
		return false;
	for (size_t i = 0; i < s->ast.hosts.n; i++) {
		const char *err = ss_config_check(host_cfg(s, i));
		if (err) {
			const struct ast_host *h = &s->ast.hosts.v[i];
			ss_diag_add(d, h->pos.line, h->pos.col, "inconsistent configuration of host %s: %s",
				    h->name, err);
		}
	}
	return d->n == before;
}

/* --- [init] ------------------------------------------------------------------- */

/* Registers the model computes (sysregs.txt "Computed"): [init] cannot set
 * them and expectations read their value from the state. */
bool scn_reg_is_computed(enum ss_reg r)
{
	return (unsigned)r < SS_REG_COUNT && ss_sysregs[r].computed;
}

void scn_target_text(const struct target *t, char *buf, size_t len)
{
	switch (t->kind) {
	case TGT_SR: snprintf(buf, len, "%s", ss_sysregs[t->reg].name); break;
	case TGT_FIELD: snprintf(buf, len, "%s.%s", ss_sysregs[t->reg].name, t->field->name); break;
	case TGT_X: snprintf(buf, len, "X%u", t->x); break;
	case TGT_PC: snprintf(buf, len, "PC"); break;
	case TGT_PSEUDO:
		if (t->ps == PS_VMOP)
			snprintf(buf, len, "vmop%u.%s", t->vmop + 1, scn_vmop_field_name(t->vfield));
		else
			snprintf(buf, len, "%s", scn_pseudo_name(t->ps));
		break;
	}
}

/* RES0 bits follow the res0 knob exactly as an MSR would leave them. */
static uint64_t apply_res0(const struct scn *s, enum ss_reg r, uint64_t v)
{
	return ss_legalize(s->pe, r, v);
}

static void write_target(struct scn *s, const struct target *t, uint64_t v)
{
	struct ss_pe *pe = s->pe;
	switch (t->kind) {
	case TGT_SR:
		pe->sr[t->reg] = apply_res0(s, t->reg, v);
		break;
	case TGT_FIELD:
		pe->sr[t->reg] = apply_res0(s, t->reg, ss_field_set(t->field, pe->sr[t->reg], v));
		break;
	case TGT_X:
		pe->x[t->x] = v;
		break;
	case TGT_PC:
		pe->pc = v;
		s->pc_set = true;
		break;
	case TGT_PSEUDO:
		break;
	}
}

/* The options of a [memory] range or of a 'sea' event (with 'once' when
 * once is not NULL) into *r. */
static bool memory_options(struct scn *s, struct eval_ctx *ec, const struct ast_event *ev,
			   struct ss_mem_region *r, bool *abort, bool *once, struct ss_diags *d)
{
	bool ok = true;
	for (unsigned k = 0; k < ev->nopts && ok; k++) {
		const struct ast_option *o = &ev->opts[k];
		const char *name = ast_s(&s->ast, o->name);
		const char *sym = NULL;
		uint64_t v = 0;
		bool flag = strcasecmp(name, "abort") == 0 || strcasecmp(name, "load") == 0 ||
			    strcasecmp(name, "store") == 0 || strcasecmp(name, "fetch") == 0 ||
			    strcasecmp(name, "fnv") == 0 || (once && strcasecmp(name, "once") == 0);
		if (flag && o->has_value) {
			ss_diag_add(d, o->pos.line, o->pos.col, "memory option '%s' takes no value", name);
			ok = false;
			break;
		}
		if (!flag && !o->has_value) {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "unknown memory option '%s' (expected abort, load, store, fetch, "
				    "set=, fnv, ea=, value=)", name);
			ok = false;
			break;
		}
		if (!flag && strcasecmp(name, "set") == 0 && scn_expr_is_name(&s->ast, &o->value, &sym)) {
			if (strcasecmp(sym, "UER") == 0)
				v = SS_SET_UER;
			else if (strcasecmp(sym, "UC") == 0)
				v = SS_SET_UC;
			else if (strcasecmp(sym, "UEO") == 0)
				v = SS_SET_UEO;
			else {
				ss_diag_add(d, o->pos.line, o->pos.col,
					    "unknown SET '%s' (expected UER, UC or UEO)", sym);
				ok = false;
				break;
			}
		} else if (!flag && !scn_eval_expr(ec, &o->value, &v)) {
			ok = false;
			break;
		}
		if (strcasecmp(name, "abort") == 0)
			*abort = true;
		else if (once && strcasecmp(name, "once") == 0)
			*once = true;
		else if (strcasecmp(name, "load") == 0)
			r->abort |= SS_MEM_LOAD;
		else if (strcasecmp(name, "store") == 0)
			r->abort |= SS_MEM_STORE;
		else if (strcasecmp(name, "fetch") == 0)
			r->abort |= SS_MEM_FETCH;
		else if (strcasecmp(name, "fnv") == 0)
			r->fnv = true;
		else if (strcasecmp(name, "value") == 0)
			r->value = v;
		else if (strcasecmp(name, "ea") == 0 && v <= 1)
			r->ea = v;
		else if (strcasecmp(name, "set") == 0 && v <= 3 && v != 1)
			r->set = (uint8_t)v;
		else {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    strcasecmp(name, "set") == 0 || strcasecmp(name, "ea") == 0
					    ? "value 0x%" PRIx64 " out of range for '%s'"
					    : "unknown memory option '%2$s' (value 0x%1$" PRIx64 ")",
				    v, name);
			ok = false;
		}
	}
	return ok;
}

/*
 * [memory]: the ranges of the memory model (model/abort.c), declared on the
 * PE after [init].  Options: 'abort' with the accesses it aborts ('load',
 * 'store', 'fetch'), the syndrome ('set=UER|UC|UEO' or a number, 'fnv',
 * 'ea=0|1', default ea=1 as an External abort reported as external), and
 * 'value=V', what loads of the range read.
 */
static bool apply_memory(struct scn *s, const struct labels *labels, struct ss_diags *d)
{
	size_t before = d->n;
	for (size_t i = 0; i < s->ast.memory.n; i++) {
		const struct ast_memory *m = &s->ast.memory.v[i];
		struct eval_ctx ec = { .ast = &s->ast, .labels = labels, .sr = s->pe->sr, .d = d };
		struct ss_mem_region r = { .ea = true };
		bool abort = false;
		if (!scn_eval_expr(&ec, &m->ev.when, &r.lo) || !scn_eval_expr(&ec, &m->hi, &r.hi))
			continue;
		if (r.lo > r.hi) {
			ss_diag_add(d, m->ev.pos.line, m->ev.pos.col,
				    "empty range: 0x%" PRIx64 " is above 0x%" PRIx64, r.lo, r.hi);
			continue;
		}
		bool ok = memory_options(s, &ec, &m->ev, &r, &abort, NULL, d);
		if (!ok)
			continue;
		if (abort != (r.abort != 0)) {
			ss_diag_add(d, m->ev.pos.line, m->ev.pos.col,
				    abort ? "'abort' needs the accesses it aborts: load, store and/or fetch"
					  : "load, store and fetch go with 'abort'");
			continue;
		}
		if (!ss_pe_add_memory(s->pe, &r))
			ss_diag_add(d, m->ev.pos.line, m->ev.pos.col, "too many [memory] ranges (at most %d)",
				    SS_MAX_MEM);
	}
	return d->n == before;
}

/*
 * Apply [init] from reset.  Without labels (first pass) a line whose value
 * names a label is skipped; its errors are reported by the second pass.
 */
static bool apply_init(struct scn *s, const struct labels *labels, struct ss_diags *d)
{
	size_t before = d->n;
	ss_pe_reset(s->pe, &s->cfg);
	ss_pe_set_storage(s->pe, s->cond_store, s->ncond_store, s->ev_store, s->nev_store);
	s->pc_set = false;
	for (size_t i = 0; i < s->ast.init.n; i++) {
		const struct ast_init *in = &s->ast.init.v[i];
		struct target t;
		if (!scn_resolve_target(&s->ast, in->target, in->pos, -1, &t, d))
			continue;
		char tname[80];
		scn_target_text(&t, tname, sizeof tname);
		if ((t.kind == TGT_SR || t.kind == TGT_FIELD) && scn_reg_is_computed(t.reg)) {
			ss_diag_add(d, in->pos.line, in->pos.col,
				    "%s is computed from the PE state and cannot be set (set PSTATE "
				    "fields instead)", ss_sysregs[t.reg].name);
			continue;
		}
		struct eval_ctx ec = { .ast = &s->ast, .labels = labels, .sr = s->pe->sr, .d = d };
		uint64_t v;
		if (scn_eval_value(&ec, &t, &in->value, tname, &v))
			write_target(s, &t, v);
	}
	apply_memory(s, labels, d);
	return d->n == before;
}

/* --- the program --------------------------------------------------------------- */

static bool same_layout(const struct labels *a, const struct labels *b, const struct ast *ast,
			struct ss_diags *d)
{
	for (size_t i = 0; i < a->n && i < b->n; i++) {
		if (a->v[i].addr == b->v[i].addr)
			continue;
		ss_diag_add(d, b->v[i].pos.line, b->v[i].pos.col,
			    "the address of label '%s' depends on an [init] value that depends on a "
			    "label", ast_s(ast, b->v[i].name));
		return false;
	}
	return true;
}

static bool build_program(struct scn *s, struct ss_diags *d)
{
	struct ss_diags scratch;	/* large: only its counts are cleared */
	struct program first = { .addr = NULL };
	scratch.n = scratch.dropped = 0;

	/* Pass 1: [init] without labels, then a first layout. */
	apply_init(s, NULL, &scratch);
	scratch.n = 0;
	scn_asm_layout(&s->ast, s->pe->sr, &first, &scratch);

	/* Pass 2: [init] with those labels, the final layout, the code. */
	bool ok = apply_init(s, &first.labels, d);
	if (ok)
		ok = scn_asm_layout(&s->ast, s->pe->sr, &s->prog, d);
	if (ok)
		ok = same_layout(&first.labels, &s->prog.labels, &s->ast, d);
	if (ok)
		ok = scn_asm_assemble(&s->ast, s->pe->sr, &s->prog, d);
	scn_program_free(&first);
	return ok;
}

static void default_pc(struct scn *s)
{
	if (s->pc_set)
		return;
	const struct label *start = scn_labels_find(&s->prog.labels, &s->ast, "start");
	if (start)
		s->pe->pc = start->addr;
	else if (s->prog.n)
		s->pe->pc = s->prog.insns[0].addr;
}

static bool check_state(struct scn *s, struct ss_diags *d)
{
	const char *err = ss_pe_check(s->pe);
	if (!err)
		return true;
	struct ast_pos p = s->ast.has_init ? s->ast.init_pos : (struct ast_pos){ 1, 1 };
	ss_diag_add(d, p.line, p.col, "impossible initial state: %s", err);
	return false;
}

/* --- [events] ------------------------------------------------------------------- */

/* Is 'l' a variant layout of ESR for EC = SError? */
static bool serror_layout(const struct ss_layout *l)
{
	if (!l->base)
		return false;
	for (unsigned c = 0; c < l->nconds; c++) {
		const struct ss_field *f = &l->fields[l->conds[c].field];
		if (f->name && strcasecmp(f->name, "EC") == 0 && l->conds[c].value == SS_EC_SError)
			return true;
	}
	return false;
}

struct syndrome {
	uint32_t iss;
	bool raw, fields, impdef, aet_or_ea, dfsc, ids_zero;
	struct ast_pos impdef_pos;
};

static bool ev_value(struct scn *s, const struct ast_option *o, struct ss_diags *d, uint64_t *v)
{
	if (!o->has_value) {
		ss_diag_add(d, o->pos.line, o->pos.col, "event option '%s' needs a value (%s=...)",
			    ast_s(&s->ast, o->name), ast_s(&s->ast, o->name));
		return false;
	}
	struct eval_ctx ec = { .ast = &s->ast, .labels = &s->prog.labels, .sr = s->pe->sr, .d = d };
	return scn_eval_expr(&ec, &o->value, v);
}

static bool syndrome_field(struct scn *s, const struct ast_option *o, struct syndrome *syn,
			   struct ss_diags *d)
{
	const char *name = ast_s(&s->ast, o->name);
	const struct ss_layout *where = NULL;
	const struct ss_field *f = ss_field_by_name(ss_sysregs[SS_REG_ESR_EL1].layout, name, &where);
	if (!f || !where || !serror_layout(where) || f->msb > 24) {
		ss_diag_add(d, o->pos.line, o->pos.col,
			    "unknown event option '%s' (expected IDS, IESB, AET, EA, DFSC, IMPDEF, iss, "
			    "edge, level, sync, nosync or line)", name);
		return false;
	}
	if (!o->has_value)
		return ev_value(s, o, d, &(uint64_t){ 0 });
	struct target t = { .kind = TGT_FIELD, .reg = SS_REG_ESR_EL1, .field = f };
	struct eval_ctx ec = { .ast = &s->ast, .labels = &s->prog.labels, .sr = s->pe->sr, .d = d };
	uint64_t v;
	if (!scn_eval_value(&ec, &t, &o->value, f->name, &v))
		return false;
	syn->iss = (uint32_t)ss_field_set(f, syn->iss, v);
	syn->fields = true;
	if (strcasecmp(f->name, "IMPDEF") == 0)
		syn->impdef = true, syn->impdef_pos = o->pos;
	else if (strcasecmp(f->name, "AET") == 0 || strcasecmp(f->name, "EA") == 0)
		syn->aet_or_ea = true;
	else if (strcasecmp(f->name, "DFSC") == 0)
		syn->dfsc = true;
	else if (strcasecmp(f->name, "IDS") == 0 && v == 0)
		syn->ids_zero = true;
	return true;
}

static bool finish_syndrome(struct scn *s, const struct ast_event *ae, struct syndrome *syn,
			    struct ss_diags *d)
{
	(void)s;
	if (syn->raw && syn->fields) {
		ss_diag_add(d, ae->pos.line, ae->pos.col, "iss= cannot be combined with syndrome fields");
		return false;
	}
	if (syn->impdef && (syn->aet_or_ea || syn->dfsc || syn->ids_zero)) {
		ss_diag_add(d, syn->impdef_pos.line, syn->impdef_pos.col,
			    "IMPDEF (IDS=1) cannot be combined with IDS=0, AET, EA or DFSC");
		return false;
	}
	if (syn->impdef)
		syn->iss = (uint32_t)SS_SET(ESR_SErrImp_IDS, syn->iss, 1);
	if (syn->aet_or_ea && !syn->dfsc)
		syn->iss = (uint32_t)SS_SET(ESR_SErr_DFSC, syn->iss, SS_DFSC_AsyncSError);
	return true;
}

static bool event_options(struct scn *s, const struct ast_event *ae, struct ss_event *ev,
			  bool *has_line, struct syndrome *syn, struct ss_diags *d)
{
	bool ok = true;
	for (unsigned j = 0; j < ae->nopts; j++) {
		const struct ast_option *o = &ae->opts[j];
		const char *name = ast_s(&s->ast, o->name);
		bool word = !o->has_value;
		uint64_t v;
		if ((ae->kind == AST_EV_IRQ || ae->kind == AST_EV_FIQ) && strcasecmp(name, "line") != 0) {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "unknown option '%s' for '%s' (expected line=N)", name,
				    ae->kind == AST_EV_IRQ ? "irq" : "fiq");
			ok = false;
		} else if (ae->kind == AST_EV_LOWER && word &&
			   (strcasecmp(name, "irq") == 0 || strcasecmp(name, "fiq") == 0)) {
			/* lower irq line=N: the interrupt controller deasserts
			 * a physical IRQ (FIQ) line. */
			ev->kind = SS_EV_INTR;
			ev->intr = strcasecmp(name, "irq") == 0 ? SS_INTR_IRQ : SS_INTR_FIQ;
			ev->lower = true;
		} else if (ae->kind == AST_EV_VSERROR && (strcasecmp(name, "edge") == 0 ||
		    strcasecmp(name, "level") == 0 || strcasecmp(name, "sync") == 0 ||
		    strcasecmp(name, "nosync") == 0 || strcasecmp(name, "line") == 0)) {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "option '%s' does not apply to 'vserror' (only syndrome fields or iss=)",
				    name);
			ok = false;
		} else if (word && strcasecmp(name, "edge") == 0)
			ev->trigger = SS_EDGE;
		else if (word && strcasecmp(name, "level") == 0)
			ev->trigger = SS_LEVEL;
		else if (word && strcasecmp(name, "sync") == 0)
			ev->synchronizable = true;
		else if (word && strcasecmp(name, "nosync") == 0)
			ev->synchronizable = false;
		else if (strcasecmp(name, "line") == 0) {
			if (!ev_value(s, o, d, &v)) {
				ok = false;
			} else if (v >= SS_MAX_LINES) {
				ss_diag_add(d, o->value.pos.line, o->value.pos.col,
					    "line %" PRIu64 " out of range (0..%d)", v, SS_MAX_LINES - 1);
				ok = false;
			} else {
				ev->line = (uint8_t)v;
				*has_line = true;
			}
		} else if (strcasecmp(name, "iss") == 0) {
			if (!ev_value(s, o, d, &v)) {
				ok = false;
			} else if (v > SS_SERROR_ISS_MASK) {
				ss_diag_add(d, o->value.pos.line, o->value.pos.col,
					    "iss 0x%" PRIx64 " does not fit in ISS[24:0]", v);
				ok = false;
			} else {
				syn->iss = (uint32_t)v;
				syn->raw = true;
			}
		} else if (ae->kind == AST_EV_LOWER) {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "unknown option '%s' for 'lower' (expected line=N, and irq or fiq "
				    "for an interrupt line)", name);
			ok = false;
		} else {
			ok &= syndrome_field(s, o, syn, d);
		}
	}
	return ok;
}

/* set_events pending=B has_esr=B esr=V: a zeroed struct kvm_vcpu_events
 * with the fields given. */
static bool set_options(struct scn *s, const struct ast_event *ae, struct ss_host_event *ev,
			struct ss_diags *d)
{
	bool ok = true;
	for (unsigned j = 0; j < ae->nopts; j++) {
		const struct ast_option *o = &ae->opts[j];
		const char *name = ast_s(&s->ast, o->name);
		bool is_pending = strcasecmp(name, "pending") == 0;
		bool is_has_esr = strcasecmp(name, "has_esr") == 0;
		bool is_dabt = strcasecmp(name, "ext_dabt_pending") == 0;
		if (!is_pending && !is_has_esr && !is_dabt && strcasecmp(name, "esr") != 0) {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "unknown option '%s' for 'set_events' (expected pending=, has_esr=, "
				    "esr= or ext_dabt_pending=)", name);
			ok = false;
			continue;
		}
		uint64_t v;
		if (!ev_value(s, o, d, &v)) {
			ok = false;
			continue;
		}
		if ((is_pending || is_has_esr || is_dabt) && v > 1) {
			ss_diag_add(d, o->value.pos.line, o->value.pos.col,
				    "%s is 0 or 1, got 0x%" PRIx64, name, v);
			ok = false;
		} else if (is_pending) {
			ev->vev.serror_pending = v;
		} else if (is_has_esr) {
			ev->vev.serror_has_esr = v;
		} else if (is_dabt) {
			ev->vev.ext_dabt_pending = v;
		} else {
			ev->vev.serror_esr = v;	/* any 64 bits: SET checks them */
		}
	}
	return ok;
}

/* error record=N ce|de|ue [uet=UC|UEU|UEO|UER] [addr=V] [pn] [mv] [serr=V]
 * [ierr=V]: the node of record N detects an error (model/ras.c). */
static bool error_options(struct scn *s, const struct ast_event *ae, struct ss_event *ev,
			  struct ss_diags *d)
{
	bool ok = true, has_record = false, has_type = false;
	struct ss_ras_error *e = &ev->ras;
	*e = (struct ss_ras_error){ .type = SS_RAS_UE, .uet = SS_UET_UC };
	for (unsigned j = 0; j < ae->nopts; j++) {
		const struct ast_option *o = &ae->opts[j];
		const char *name = ast_s(&s->ast, o->name);
		bool word = !o->has_value;
		uint64_t v = 0;
		if (word && (strcasecmp(name, "ce") == 0 || strcasecmp(name, "de") == 0 ||
			     strcasecmp(name, "ue") == 0)) {
			e->type = strcasecmp(name, "ce") == 0 ? SS_RAS_CE
				  : strcasecmp(name, "de") == 0 ? SS_RAS_DE : SS_RAS_UE;
			has_type = true;
		} else if (word && strcasecmp(name, "pn") == 0) {
			e->pn = true;
		} else if (word && strcasecmp(name, "mv") == 0) {
			e->mv = true;
		} else if (strcasecmp(name, "uet") == 0) {
			const struct ss_field *f =
				ss_field_by_name(ss_sysregs[SS_REG_ERXSTATUS_EL1].layout, "UET", NULL);
			struct target t = { .kind = TGT_FIELD, .reg = SS_REG_ERXSTATUS_EL1, .field = f };
			struct eval_ctx ec = { .ast = &s->ast, .labels = &s->prog.labels,
					       .sr = s->pe->sr, .d = d };
			if (!o->has_value || !scn_eval_value(&ec, &t, &o->value, "UET", &v)) {
				if (!o->has_value)
					ev_value(s, o, d, &v);
				ok = false;
				continue;
			}
			e->type = SS_RAS_UE;
			e->uet = (uint8_t)v;
			has_type = true;
		} else if (strcasecmp(name, "record") == 0 || strcasecmp(name, "addr") == 0 ||
			   strcasecmp(name, "serr") == 0 || strcasecmp(name, "ierr") == 0) {
			if (!ev_value(s, o, d, &v)) {
				ok = false;
				continue;
			}
			if (strcasecmp(name, "record") == 0) {
				if (v >= s->cfg.ras_records) {
					ss_diag_add(d, o->value.pos.line, o->value.pos.col,
						    "record %" PRIu64 " does not exist (ras_records = %" PRIu32
						    ": records 0..%d)", v, s->cfg.ras_records,
						    (int)s->cfg.ras_records - 1);
					ok = false;
				}
				e->record = (uint8_t)v;
				has_record = true;
			} else if (strcasecmp(name, "addr") == 0) {
				e->addr = v;
				e->av = true;
			} else if (v > 0xff) {
				ss_diag_add(d, o->value.pos.line, o->value.pos.col,
					    "%s is 8 bits, got 0x%" PRIx64, name, v);
				ok = false;
			} else if (strcasecmp(name, "serr") == 0) {
				e->serr = (uint8_t)v;
			} else {
				e->ierr = (uint8_t)v;
			}
		} else {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "unknown option '%s' for 'error' (expected record=N, ce, de, ue, uet=, "
				    "addr=, serr=, ierr=, pn or mv)", name);
			ok = false;
		}
	}
	if (ok && !has_record) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col, "'error' needs record=N");
		ok = false;
	}
	if (ok && !has_type) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col, "'error' needs its type: ce, de, ue or uet=");
		ok = false;
	}
	return ok;
}

/* A new host for a migrate event: a copy of 'base' named 'name'; its index,
 * or -1. */
static int new_host(struct scn *s, const struct ast_event *ae, const struct ss_config *base,
		    const char *name, struct ss_diags *d)
{
	struct ss_host *h = s->hyp.nhosts - 1 < SCN_MAX_HOSTS
				    ? ss_hyp_add_host(&s->hyp, name, base) : NULL;
	if (!h) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col, "too many hosts (at most %d)", SCN_MAX_HOSTS);
		return -1;
	}
	return ss_hyp_host_index(&s->hyp, h);
}

/* migrate [to NAME] [vmm=qemu|verbatim|strict|translate] [knob=value ...]. */
static bool migrate_options(struct scn *s, const struct ast_event *ae, struct ss_host_event *ev,
			    struct ss_diags *d)
{
	const struct ss_config *base = &s->cfg;
	const char *base_name = NULL;
	int base_host = -1;
	if (ae->has_host) {
		const char *hn = ast_s(&s->ast, ae->host);
		for (size_t i = 0; i < s->ast.hosts.n && !base_name; i++)
			if (strcmp(s->hyp.hosts[1 + i].name, hn) == 0)
				base = host_cfg(s, i), base_name = s->hyp.hosts[1 + i].name,
				base_host = (int)(1 + i);
		if (!base_name) {
			ss_diag_add(d, ae->host_pos.line, ae->host_pos.col,
				    "unknown host '%s' (no [host %s] section)", hn, hn);
			return false;
		}
	}
	ev->vmm = SS_VMM_QEMU;
	struct ss_config cfg = *base;
	bool ok = true, knobs = false, vmm_seen = false;
	struct ast_pos last = ae->kpos;
	for (unsigned j = 0; j < ae->nopts; j++) {
		const struct ast_option *o = &ae->opts[j];
		const char *name = ast_s(&s->ast, o->name);
		if (!o->has_value) {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "migrate option '%s' needs a value (vmm=NAME or knob=value)", name);
			ok = false;
			continue;
		}
		const char *value = ast_s(&s->ast, o->value.text);
		if (strcasecmp(name, "vmm") == 0) {
			char low[AST_NAME];
			size_t n = 0;
			for (; value[n] && n + 1 < sizeof low; n++)
				low[n] = (char)tolower((unsigned char)value[n]);
			low[n] = '\0';
			if (vmm_seen) {
				ss_diag_add(d, o->pos.line, o->pos.col, "vmm given twice");
				ok = false;
			} else if (!ss_vmm_from_name(low, &ev->vmm)) {
				ss_diag_add(d, o->value.pos.line, o->value.pos.col,
					    "unknown VMM profile '%s' (expected qemu, qemu-noesr, verbatim, "
					    "strict, translate, firecracker or cloud-hypervisor)", value);
				ok = false;
			}
			vmm_seen = true;
			continue;
		}
		const struct ss_knob *k = ss_knob_find(name);
		if (!k) {
			ss_diag_add(d, o->pos.line, o->pos.col,
				    "unknown knob '%s' in 'migrate' (expected to NAME, vmm= or a knob: "
				    "see 'serrsim knobs')", name);
			ok = false;
			continue;
		}
		const char *err = ss_knob_set(&cfg, k, value);
		if (err) {
			ss_diag_add(d, o->value.pos.line, o->value.pos.col,
				    "bad value '%s' for knob '%s': %s", value, k->name, err);
			ok = false;
		}
		knobs = true;
		last = o->pos;
	}
	if (!ok)
		return false;
	const char *err = ss_config_check(&cfg);
	if (err) {
		ss_diag_add(d, last.line, last.col, "inconsistent destination configuration: %s", err);
		return false;
	}
	if (!knobs && base_name) {
		ev->dst = base_host;	/* the [host NAME] configuration itself */
		return true;
	}
	char name[AST_NAME];
	if (base_name)
		snprintf(name, sizeof name, "%.40s@line%u", base_name, ae->pos.line);
	else
		snprintf(name, sizeof name, "line%u", ae->pos.line);
	ev->dst = new_host(s, ae, &cfg, name, d);
	return ev->dst >= 0;
}

/* A host event: the hypervisor learns what it does, the PE when it is due. */
static bool schedule_host(struct scn *s, const struct ast_event *ae, struct ss_event *ev,
			  const struct ss_host_event *hev, struct ss_diags *d)
{
	int tag = ss_hyp_add_event(&s->hyp, hev);
	if (tag < 0) {
		ss_diag_add(d, ae->pos.line, ae->pos.col,
			    "too many vserror, set_events and migrate events (at most %d)",
			    SS_HYP_MAX_EVENTS);
		return false;
	}
	ev->tag = (uint32_t)tag;
	if (ss_schedule(s->pe, ev))
		return true;
	ss_diag_add(d, ae->pos.line, ae->pos.col, "too many events (at most %u)", s->pe->ev_cap);
	return false;
}

/*
 * sea LO to HI load|store|fetch [once] [set=] [fnv] [ea=] [value=]: from the
 * event on, the range aborts those accesses with a synchronous External
 * abort, as a [memory] range declared at that point would (the last
 * declared wins); with 'once', only the first access it aborts.  The range
 * is declared inactive now and activated by an SS_EV_MEM event.
 */
static bool sea_event(struct scn *s, const struct ast_event *ae, struct ss_event *ev,
		      struct eval_ctx *ec, struct ss_diags *d)
{
	struct ss_mem_region r = { .ea = true, .inactive = true };
	bool abort = false, once = false;
	if (!scn_eval_expr(ec, &ae->lo, &r.lo) || !scn_eval_expr(ec, &ae->hi, &r.hi))
		return false;
	if (r.lo > r.hi) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col,
			    "empty range: 0x%" PRIx64 " is above 0x%" PRIx64, r.lo, r.hi);
		return false;
	}
	if (!memory_options(s, ec, ae, &r, &abort, &once, d))
		return false;
	if (!r.abort) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col,
			    "'sea' needs the accesses it aborts: load, store and/or fetch");
		return false;
	}
	r.once = once;
	if (!ss_pe_add_memory(s->pe, &r)) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col,
			    "too many memory ranges ([memory] and 'sea' events, at most %d)", SS_MAX_MEM);
		return false;
	}
	ev->line = (uint8_t)(s->pe->nmem - 1);
	if (!ss_schedule(s->pe, ev)) {
		ss_diag_add(d, ae->pos.line, ae->pos.col, "too many events (at most %u)", s->pe->ev_cap);
		return false;
	}
	return true;
}

static bool build_event(struct scn *s, const struct ast_event *ae, struct ss_diags *d,
			const struct ss_run_options *opt)
{
	static const enum ss_event_kind kinds[AST_EV_ERROR + 1] = { [AST_EV_SERROR] = SS_EV_RAISE,
						    [AST_EV_ERROR] = SS_EV_RAS,
						    [AST_EV_LOWER] = SS_EV_LOWER,
						    [AST_EV_IRQ] = SS_EV_INTR,
						    [AST_EV_SEA] = SS_EV_MEM,
						    [AST_EV_FIQ] = SS_EV_INTR,
						    [AST_EV_VSERROR] = SS_EV_HOST,
						    [AST_EV_SET] = SS_EV_HOST,
						    [AST_EV_MIGRATE] = SS_EV_HOST,
						    [AST_EV_GET] = SS_EV_HOST };
	/* Sized for every event kind: the kinds that are no host operation
	 * read a zero they never use. */
	static const enum ss_host_op ops[AST_EV_ERROR + 1] = { [AST_EV_VSERROR] = SS_HOST_VSERROR,
					       [AST_EV_SET] = SS_HOST_SET,
					       [AST_EV_MIGRATE] = SS_HOST_MIGRATE,
					       [AST_EV_GET] = SS_HOST_GET };
	struct ss_event ev = { .kind = kinds[ae->kind],
			       .trigger = s->cfg.trigger, .synchronizable = s->cfg.synchronizable,
			       .src_line = ae->pos.line,
			       .intr = ae->kind == AST_EV_FIQ ? SS_INTR_FIQ : SS_INTR_IRQ };
	struct eval_ctx ec = { .ast = &s->ast, .labels = &s->prog.labels, .sr = s->pe->sr, .d = d };
	if (!scn_eval_expr(&ec, &ae->when, &ev.at))
		return false;
	ev.when = ec.used_name ? SS_AT_PC : SS_AT_CYCLE;
	/* The cycle counter never wraps: it stops at 2^64-1 (docs/model.md). */
	const char *when = ast_s(&s->ast, ae->when.text);
	if (ev.when == SS_AT_CYCLE && ((when && when[0] == '-') || ev.at == UINT64_MAX)) {
		ss_diag_add(d, ae->when.pos.line, ae->when.pos.col,
			    "event cycle %s is %s: events must come before cycle 2^64-1 "
			    "(0xffffffffffffffff), where the cycle counter stops", when ? when : "",
			    when && when[0] == '-' ? "negative" : "at the end of time");
		return false;
	}
	struct ss_host_event hev = { .op = ops[ae->kind], .dst = -1, .line = ae->pos.line };
	if (ae->kind == AST_EV_GET) {
		if (ae->nopts) {
			ss_diag_add(d, ae->opts[0].pos.line, ae->opts[0].pos.col,
				    "'get_events' takes no options");
			return false;
		}
		return schedule_host(s, ae, &ev, &hev, d);
	}
	if (ae->kind == AST_EV_SET || ae->kind == AST_EV_MIGRATE) {
		bool ok = ae->kind == AST_EV_SET ? set_options(s, ae, &hev, d)
						 : migrate_options(s, ae, &hev, d);
		if (!ok)
			return false;
		if (opt && opt->skip_vm_events &&
		    !(ae->kind == AST_EV_SET && ae->pos.line < opt->keep_sets_before))
			return true;
		return schedule_host(s, ae, &ev, &hev, d);
	}
	if (ae->kind == AST_EV_ERROR) {
		if (!error_options(s, ae, &ev, d))
			return false;
		if (!ss_schedule(s->pe, &ev)) {
			ss_diag_add(d, ae->pos.line, ae->pos.col, "too many events (at most %d)",
				    SS_MAX_EVENTS);
			return false;
		}
		return true;
	}
	if (ae->kind == AST_EV_SEA)
		return sea_event(s, ae, &ev, &ec, d);
	bool has_line = false;
	struct syndrome syn = { 0 };
	if (!event_options(s, ae, &ev, &has_line, &syn, d) || !finish_syndrome(s, ae, &syn, d))
		return false;
	ev.iss = syn.iss;
	if (!has_line && (ae->kind == AST_EV_LOWER || ae->kind == AST_EV_IRQ || ae->kind == AST_EV_FIQ ||
			  (ae->kind == AST_EV_SERROR && ev.trigger == SS_LEVEL))) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col, "%s needs line=N",
			    ae->kind == AST_EV_LOWER ? "'lower'" : ae->kind == AST_EV_IRQ ? "'irq'"
			    : ae->kind == AST_EV_FIQ ? "'fiq'" : "a level-triggered SError");
		return false;
	}
	if (ae->kind == AST_EV_SERROR && ev.trigger == SS_LEVEL && !ss_level_allowed(&s->cfg, ev.iss)) {
		ss_diag_add(d, ae->kpos.line, ae->kpos.col,
			    "a level-triggered SError is not allowed here: %s (Arm ARM D1.4.2.2); "
			    "use an IMPLEMENTATION DEFINED (IDS=1) or Uncategorized syndrome, or 'edge'",
			    s->cfg.double_fault ? "with FEAT_DoubleFault every SError is edge-triggered"
						: "with FEAT_RAS, taking an SError with an architected syndrome "
						  "clears its pending state");
		return false;
	}
	if (ae->kind == AST_EV_VSERROR) {
		hev.iss = syn.iss;
		return schedule_host(s, ae, &ev, &hev, d);
	}
	if (!ss_schedule(s->pe, &ev)) {
		ss_diag_add(d, ae->pos.line, ae->pos.col, "too many events (at most %u)", s->pe->ev_cap);
		return false;
	}
	return true;
}

static bool build_events(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d)
{
	size_t before = d->n;
	for (size_t i = 0; i < s->ast.events.n; i++)
		build_event(s, &s->ast.events.v[i], d, opt);
	return d->n == before;
}

/* --- expectations ----------------------------------------------------------------- */

static int find_block(struct scn *s, enum ast_block_kind kind, uint64_t arg)
{
	for (size_t i = 0; i < s->nblocks; i++)
		if (s->blocks[i].kind == kind && s->blocks[i].arg == arg)
			return (int)i;
	if (s->nblocks >= s->blocks_cap)
		return -1;
	s->blocks[s->nblocks] = (struct block){ .kind = kind, .arg = arg };
	return (int)s->nblocks++;
}

static bool symbol_rhs(struct scn *s, struct rexp *x, const char *(*name_of)(int), int count,
		       const char *what, struct ss_diags *d)
{
	const char *name;
	const struct ast_expr *e = &x->a->rhs;
	/* A name with '-' (qemu-noesr) reads as a subtraction: its text. */
	if (!scn_expr_is_name(&s->ast, e, &name))
		name = ast_s(&s->ast, e->text);
	for (int i = 0; i < count; i++)
		if (strcasecmp(name_of(i), name) == 0) {
			x->rhs = (uint64_t)i;
			return true;
		}
	char list[200] = "";
	size_t used = 0;
	for (int i = 0; i < count && used < sizeof list; i++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", name_of(i));
		used += n > 0 ? (size_t)n : 0;
	}
	ss_diag_add(d, e->pos.line, e->pos.col, "unknown %s '%s' (expected one of: %s)", what,
		    ast_s(&s->ast, e->text), list);
	return false;
}

static const char *cause_name(int i)
{
	return ss_cause_name((enum ss_cause)i);
}

static const char *stop_name(int i)
{
	return ss_stop_name((enum ss_stop)i);
}

/* Stop reasons the model names (up to the first "?"). */
static int stop_count(void)
{
	int n = 0;
	while (n < 64 && strcmp(ss_stop_name((enum ss_stop)n), "?") != 0)
		n++;
	return n;
}

static const char *set_result_name(int i)
{
	return i == 0 ? "ok" : "einval";
}

static const char *vmm_name(int i)
{
	return ss_vmm_name((enum ss_vmm)i);
}

static bool resolve_rhs(struct scn *s, struct rexp *x, struct ss_diags *d)
{
	if (x->a->rhs.star)
		return true;
	if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_VMOP && x->t.vfield == VF_SET)
		return symbol_rhs(s, x, set_result_name, 2, "SET result", d);
	if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_VMOP && x->t.vfield == VF_VMM)
		return symbol_rhs(s, x, vmm_name, SS_VMM_COUNT, "VMM profile", d);
	if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_CAUSE)
		return symbol_rhs(s, x, cause_name, SS_CAUSE_COUNT, "cause", d);
	if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_STOP)
		return symbol_rhs(s, x, stop_name, stop_count(), "stop reason", d);
	struct eval_ctx ec = { .ast = &s->ast, .labels = &s->prog.labels, .sr = s->pe->sr, .d = d };
	char tname[80];
	scn_target_text(&x->t, tname, sizeof tname);
	return scn_eval_value(&ec, &x->t, &x->a->rhs, tname, &x->rhs);
}

static bool resolve_at(struct scn *s, struct rexp *x, struct ss_diags *d)
{
	const struct ast_expect *a = x->a;
	if (!(x->t.kind == TGT_PSEUDO && x->t.ps == PS_EXCEPTIONS)) {
		ss_diag_add(d, a->at.pos.line, a->at.pos.col, "'at ADDRESS' only follows 'exceptions'");
		return false;
	}
	struct eval_ctx ec = { .ast = &s->ast, .labels = &s->prog.labels, .sr = s->pe->sr, .d = d };
	uint64_t v;
	if (!scn_eval_expr(&ec, &a->at, &v))
		return false;
	x->t.ps = PS_EXCEPTIONS_AT;
	for (x->at = 0; x->at < s->nvectors; x->at++)
		if (s->vectors[x->at] == v)
			return true;
	if (s->nvectors >= SCN_MAX_VECTORS) {
		ss_diag_add(d, a->pos.line, a->pos.col, "too many 'exceptions at' addresses (at most %d)",
			    SCN_MAX_VECTORS);
		return false;
	}
	s->vectors[s->nvectors++] = v;
	return true;
}

static bool build_expects(struct scn *s, struct ss_diags *d)
{
	size_t before = d->n, n = s->ast.expects.n;
	/* A block per distinct [expect...] header at most: one per expectation
	 * (the variants of a template reuse the array). */
	size_t nb = n < SCN_MAX_BLOCKS ? (n ? n : 1) : SCN_MAX_BLOCKS;
	if (s->blocks_cap < nb) {
		free(s->blocks);
		s->blocks_cap = 0;
		s->blocks = malloc(nb * sizeof *s->blocks);
		if (s->blocks)
			s->blocks_cap = nb;
	}
	s->exps = calloc(n ? n : 1, sizeof *s->exps);
	if (!s->exps || !s->blocks) {
		ss_diag_add(d, 0, 0, "out of memory");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ast_expect *a = &s->ast.expects.v[i];
		struct rexp *x = &s->exps[s->nexps];
		x->a = a;
		if (!scn_resolve_target(&s->ast, a->lhs, a->lhs_pos, (int)a->block, &x->t, d))
			continue;
		if (a->has_at && !resolve_at(s, x, d))
			continue;
		if (!resolve_rhs(s, x, d))
			continue;
		int b = find_block(s, a->block, a->block_arg);
		if (b < 0) {
			ss_diag_add(d, a->pos.line, a->pos.col, "too many expectation blocks (at most %d)",
				    SCN_MAX_BLOCKS);
			continue;
		}
		x->block = (unsigned)b;
		x->applies = scn_ast_policy_applies(&a->policy, &s->cfg);
		s->nexps++;
	}
	return d->n == before;
}

/* --- driver ---------------------------------------------------------------------------- */

/* Beyond the PE's own storage: room for every event of the scenario at once,
 * and a ledger for as many open conditions (ss_pe_set_storage).  Sized once
 * (the variants of a template share it). */
static bool size_storage(struct scn *s)
{
	size_t n = s->ast.events.n;
	if (n > SS_MAX_STORAGE - 64)
		n = SS_MAX_STORAGE - 64;
	if (n > SS_MAX_EVENTS && !s->ev_store) {
		s->nev_store = (uint32_t)n;
		s->ev_store = malloc(n * sizeof *s->ev_store);
		if (!s->ev_store)
			return false;
	}
	if (n + 64 > SS_MAX_CONDS && !s->cond_store) {
		s->ncond_store = (uint32_t)n + 64;
		s->cond_store = malloc(s->ncond_store * sizeof *s->cond_store);
		if (!s->cond_store)
			return false;
	}
	return true;
}

/* The configuration, the hosts, the PE (allocated unless s->pe is set) in
 * its initial state and the program: what [cpu], [host], [init] and [code]
 * give, and nothing from [events] or [expect...]. */
bool scn_load_setup(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d)
{
	if (!build_config(s, opt, d) || !build_hosts(s, d))
		return false;
	if (!s->pe)
		s->pe = malloc(sizeof *s->pe);	/* ss_pe_reset clears what a run uses */
	if (!s->pe || !size_storage(s)) {
		ss_diag_add(d, 0, 0, "out of memory");
		return false;
	}
	if (!build_program(s, d))
		return false;
	default_pc(s);
	if (!check_state(s, d))
		return false;
	ss_pe_set_program(s->pe, &s->prog.prog);
	/* Decoded once for the fast engine; without the storage the PE runs
	 * with the reference stepper. */
	s->prog.dec = malloc((s->prog.prog.n ? s->prog.prog.n : 1) * sizeof *s->prog.dec);
	ss_program_decode(s->pe, s->prog.dec, s->prog.dec ? s->prog.prog.n : 0);
	return true;
}

/* The events and the expectations, after scn_load_setup. */
bool scn_load_finish(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d)
{
	bool ok = build_events(s, opt, d);
	return build_expects(s, d) && ok;
}

bool scn_load(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d)
{
	return scn_load_setup(s, opt, d) && scn_load_finish(s, opt, d);
}

struct scn *scn_new(void)
{
	struct scn *s = malloc(sizeof *s);
	if (s)
		memset(s, 0, offsetof(struct scn, hyp));
	return s;
}

void scn_destroy(struct scn *s)
{
	free(s->blocks);
	scn_ast_free(&s->ast);
	scn_program_free(&s->prog);
	free(s->pe);
	free(s->ev_store);
	free(s->cond_store);
	free(s->exps);
}

void scn_free(struct scn *s)
{
	scn_destroy(s);
	memset(s, 0, sizeof *s);
}
