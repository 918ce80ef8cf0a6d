/*
 * matrix.c - serrsim migrate-matrix: for every scenario with 'migrate' or
 * 'set_events' (docs/migration.md), what the guest finally sees of its
 * pending SError, compared with what it would have seen without the
 * operation.
 *
 * Each scenario runs twice: as written, and as a reference run in which the
 * set_events and migrate events are not scheduled (the guest stays on its
 * first host and nobody calls SET).  A run's observation is the list of
 * virtual SError syndromes the guest received: the ISS of each vSError
 * exception (ESR_EL1) and of each ESB deferral into VDISR_EL2 (which the
 * guest reads as DISR_EL1).  The verdict compares the two lists.
 */
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "esr.h"
#include "html.h"
#include "vcpu.h"

#define MAX_SEEN 8

/* One syndrome the guest received. */
struct seen {
	bool vdisr;		/* deferred by an ESB into VDISR_EL2, else an exception */
	uint64_t value;		/* ESR_EL1 or VDISR_EL2 as written */
	uint32_t iss;
	bool guest_ras;		/* ID_AA64PFR0_EL1.RAS as the guest read it then */
};

struct observation {
	struct seen v[MAX_SEEN];
	size_t n, more;
	bool vdisr_written;	/* an ESB deferred into VDISR_EL2 and the guest has not read it */
	uint64_t vdisr;
};

static void observe(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct observation *o = ctx;
	struct seen s = { .guest_ras = pe->cfg.ras && pe->cfg.guest_ras };
	if (t->kind == SS_TR_EXCEPTION && t->exc && t->exc->cause == SS_CAUSE_VSERROR) {
		s.value = t->exc->esr;
	} else if (t->kind == SS_TR_DEFER && t->reg == SS_REG_VDISR_EL2) {
		o->vdisr_written = true;	/* seen when the guest reads DISR_EL1 */
		o->vdisr = t->value;
		return;
	} else if (t->kind == SS_TR_INSN && t->insn && t->insn->op == SS_OP_MRS &&
		   t->insn->sreg == SS_REG_DISR_EL1 && o->vdisr_written && ss_disr_el1_is_vdisr(pe)) {
		o->vdisr_written = false;
		s.vdisr = true;
		s.value = o->vdisr;
	} else {
		return;
	}
	s.iss = (uint32_t)(s.value & SS_SERROR_ISS_MASK);
	if (o->n < MAX_SEEN)
		o->v[o->n++] = s;
	else
		o->more++;
}

static bool same_syndromes(const struct observation *a, const struct observation *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].iss != b->v[i].iss)
			return false;
	return true;
}

/* Linux's do_serror() on the guest: arm64_is_ras_serror() false (IDS = 1,
 * or no FEAT_RAS visible) or arm64_is_fatal_ras_serror() true (UEU, UER,
 * UC, Uncategorized) panics; CE and UEO are survived (Linux arch/arm64/kernel/traps.c arm64_is_fatal_ras_serror; docs/rules.md H2). */
static bool linux_survives(uint32_t iss, bool guest_ras)
{
	if (ss_iss_ids(iss) || !guest_ras || ss_iss_dfsc(iss) != SS_DFSC_AsyncSError)
		return false;
	uint64_t aet = ss_iss_aet(iss);
	return aet == SS_AET_CE || aet == SS_AET_UEO;
}

/* "ESR_EL1 0xbe000811 UEO survives; ..." */
static void seen_text(const struct observation *o, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	if (!o->n) {
		snprintf(buf, len, "nothing");
		return;
	}
	for (size_t i = 0; i < o->n && used < len; i++) {
		char syn[32];
		cli_short_iss(o->v[i].iss, syn, sizeof syn);
		int n = snprintf(buf + used, len - used, "%s%s 0x%" PRIx64 " %s %s", i ? "; " : "",
				 o->v[i].vdisr ? "DISR_EL1" : "ESR_EL1", o->v[i].value, syn,
				 linux_survives(o->v[i].iss, o->v[i].guest_ras) ? "survives" : "panics");
		used += n > 0 ? (size_t)n : 0;
	}
	if (o->more && used < len)
		snprintf(buf + used, len - used, "; +%zu more", o->more);
}

static void syndromes_text(const struct observation *o, char *buf, size_t len)
{
	size_t used = 0;
	snprintf(buf, len, "%s", o->n ? "" : "nothing");
	for (size_t i = 0; i < o->n && used < len; i++) {
		char syn[32];
		cli_short_iss(o->v[i].iss, syn, sizeof syn);
		int n = snprintf(buf + used, len - used, "%s%s", i ? "," : "", syn);
		used += n > 0 ? (size_t)n : 0;
	}
}

/* What a cell keeps of its run (the few fields of struct ss_result the
 * table reads: a cell is kept for every scenario until the table is
 * printed). */
struct cell_result {
	char name[SS_TEXT];
	enum ss_status status;
	struct { bool ras; } cfg;
	struct ss_vmop_result vmops[SS_MAX_VMOPS];
	size_t nvmops;
	uint64_t variants, variant;	/* a template: how many variants, which one ran */
	char variant_label[256];
};

/* --- the hops of a round trip ----------------------------------------------------------- */

/* The host the guest ran on before vmop i: the first host is "A" (the
 * scenario's [cpu]), then each accepted migration's destination. */
static const char *host_before(const struct cell_result *r, size_t i)
{
	const char *cur = "A";
	for (size_t k = 0; k < i && k < r->nvmops; k++)
		if (r->vmops[k].op.is_migration && !r->vmops[k].op.refused)
			cur = r->vmops[k].host[0] ? r->vmops[k].host : "?";
	return cur;
}

static const char *op_result(const struct ss_vmop *op)
{
	return op->refused ? "refused" : op->set == SS_SET_OK ? "ok" : "EINVAL";
}

/* "A->B ok, B->A EINVAL": every migration and SET, in order (GETs left
 * out), named by its hosts. */
static void hops_text(const struct cell_result *r, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->nvmops && used < len; i++) {
		const struct ss_vmop_result *v = &r->vmops[i];
		int n;
		if (v->op.is_get)
			continue;
		if (v->op.is_migration)
			n = snprintf(buf + used, len - used, "%s%s->%s %s%s", used ? ", " : "",
				     host_before(r, i), v->host[0] ? v->host : "?", op_result(&v->op),
				     v->op.esr_dropped ? " (esr dropped)" : "");
		else
			n = snprintf(buf + used, len - used, "%sset on %s %s", used ? ", " : "",
				     host_before(r, i), op_result(&v->op));
		used += n > 0 ? (size_t)n : 0;
	}
	if (!buf[0])
		snprintf(buf, len, "-");
}

/* --- one cell ---------------------------------------------------------------------------- */

enum verdict { V_PRESERVED, V_CHANGED, V_EINVAL, V_REFUSED, V_LOST, V_OTHER, V_COUNT };

struct cell {
	const char *path;
	struct cell_result res;		/* the run as written */
	enum ss_status ref_status;
	struct observation seen, ref;
	const struct ss_vmop_result *op;	/* the first migration, else the first SET */
	enum verdict verdict;
	char verdict_text[256];	/* the longest text with the longest syndrome */
	char seen_text[400];
	char ref_text[400];
	char hops_text[400];
};

static void set_verdict(struct cell *c)
{
	const struct cell_result *r = &c->res;
	char syn[160];
	bool refused = false, einval = false;
	size_t einval_at = 0;	/* the first hop (vmop index + 1) whose SET failed */
	for (size_t i = 0; i < r->nvmops; i++) {
		refused |= r->vmops[i].op.refused;
		if (!r->vmops[i].op.refused && !r->vmops[i].op.is_get && r->vmops[i].op.set != SS_SET_OK) {
			einval = true;
			if (!einval_at)
				einval_at = i + 1;
		}
	}
	syndromes_text(&c->seen, syn, sizeof syn);
	bool handling = c->seen.n && c->ref.n &&
			linux_survives(c->seen.v[0].iss, c->seen.v[0].guest_ras) !=
				linux_survives(c->ref.v[0].iss, c->ref.v[0].guest_ras);
	const char *hnote = !handling ? ""
			    : linux_survives(c->seen.v[0].iss, c->seen.v[0].guest_ras)
				      ? "; Linux now survives it"
				      : "; Linux now panics";
	if (refused) {
		c->verdict = V_REFUSED;
		snprintf(c->verdict_text, sizeof c->verdict_text, "refused (the guest stays on the source)");
	} else if (einval && einval_at && &r->vmops[einval_at - 1] != c->op) {
		/* A later hop failed (the way back of a round trip): say which. */
		const struct ss_vmop_result *v = &r->vmops[einval_at - 1];
		c->verdict = V_EINVAL;
		snprintf(c->verdict_text, sizeof c->verdict_text, "restore fails on vmop%zu (%s%s%s: EINVAL)%s",
			 einval_at, v->op.is_migration ? host_before(r, einval_at - 1) : "set on ",
			 v->op.is_migration ? "->" : host_before(r, einval_at - 1),
			 v->op.is_migration ? (v->host[0] ? v->host : "?") : "",
			 c->seen.n < c->ref.n ? ": the SError is lost" : "");
	} else if (einval) {
		c->verdict = V_EINVAL;
		snprintf(c->verdict_text, sizeof c->verdict_text, "restore fails (EINVAL)%s",
			 c->seen.n < c->ref.n ? ": the SError is lost" : "");
	} else if (c->op && c->op->op.is_migration) {
		if (same_syndromes(&c->seen, &c->ref)) {
			c->verdict = V_PRESERVED;
			snprintf(c->verdict_text, sizeof c->verdict_text, "preserved");
		} else if (!c->seen.n) {
			c->verdict = V_LOST;
			snprintf(c->verdict_text, sizeof c->verdict_text, "lost");
		} else {
			c->verdict = V_CHANGED;
			snprintf(c->verdict_text, sizeof c->verdict_text, "changed (to %s)%s", syn, hnote);
		}
	} else if (c->op) {
		const struct ss_vcpu_events *ev = &c->op->op.sent;
		c->verdict = V_OTHER;
		if (!ev->serror_pending) {
			snprintf(c->verdict_text, sizeof c->verdict_text, "nothing set (pending=0)");
		} else if (!c->ref.n && ev->serror_has_esr) {
			bool same = c->seen.n == 1 && c->seen.v[0].iss == (uint32_t)ev->serror_esr;
			c->verdict = same ? V_PRESERVED : V_CHANGED;
			snprintf(c->verdict_text, sizeof c->verdict_text,
				 same ? "preserved (the guest sees the esr set)" : "changed (to %s)", syn);
		} else if (!c->ref.n) {
			snprintf(c->verdict_text, sizeof c->verdict_text, "KVM chose %s", syn);
		} else if (c->seen.n > c->ref.n) {
			snprintf(c->verdict_text, sizeof c->verdict_text, "both delivered (%s)", syn);
		} else if (same_syndromes(&c->seen, &c->ref)) {
			snprintf(c->verdict_text, sizeof c->verdict_text, "the earlier SError's syndrome kept");
		} else if (c->seen.n == 1 && ev->serror_has_esr &&
			   c->seen.v[0].iss == (uint32_t)ev->serror_esr) {
			snprintf(c->verdict_text, sizeof c->verdict_text,
				 "the earlier SError's syndrome lost: only the SET's (%s)", syn);
		} else {
			snprintf(c->verdict_text, sizeof c->verdict_text, "merged (to %s)", syn);
		}
	} else {
		c->verdict = V_OTHER;
		snprintf(c->verdict_text, sizeof c->verdict_text, "no vm operation happened");
	}
}

/* --- the table ---------------------------------------------------------------------------- */

#define NCOLS 13
#define COL_HOPS 10
#define COL_VERDICT 11
#define COL_STATUS 12

struct row {
	char f[NCOLS][416];
};

static const char *const headers[NCOLS] = { "SCENARIO", "SRC_RAS", "DST_RAS", "HAS_ESR", "AT_RESTORE",
					    "GUEST_RAS", "VMM", "SAVED_ESR", "SET", "GUEST_SEES",
					    "HOPS", "VERDICT", "STATUS" };

static const char *onoff(bool b)
{
	return b ? "on" : "off";
}

/* The scenario's name; a template's with its variant: "name [a1=UER]"
 * (every variant with --enumerate), "name [variant 1 of 12]" without. */
static void cell_name(const struct cell *c, char *buf, size_t len)
{
	const struct cell_result *r = &c->res;
	const char *name = r->name[0] ? r->name : c->path;
	if (!r->variants)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s [variant %" PRIu64 " of %" PRIu64 ": %s]", name, r->variant + 1,
			 r->variants, r->variant_label);
}

static void make_row(const struct cell *c, struct row *rw)
{
	memset(rw, 0, sizeof *rw);
	const struct cell_result *r = &c->res;
	cell_name(c, rw->f[0], sizeof rw->f[0]);
	snprintf(rw->f[COL_STATUS], sizeof rw->f[COL_STATUS], "%s", ss_status_name(r->status));
	if (!c->op) {
		for (int i = 1; i < COL_STATUS; i++)
			snprintf(rw->f[i], sizeof rw->f[i], "-");
		snprintf(rw->f[COL_VERDICT], sizeof rw->f[COL_VERDICT], "%s", c->verdict_text);
		return;
	}
	const struct ss_vmop_result *v = c->op;
	const struct ss_vmop *op = &v->op;
	bool mig = op->is_migration;
	const struct ss_vcpu_events *ev = mig ? &op->saved : &op->sent;
	/* A SET after a migration restores on the destination: the source is
	 * the scenario's first host. */
	snprintf(rw->f[1], sizeof rw->f[1], "%s", onoff(mig ? v->src.ras : r->cfg.ras));
	snprintf(rw->f[2], sizeof rw->f[2], "%s", onoff(v->dst.ras));
	snprintf(rw->f[3], sizeof rw->f[3], "%d", ev->serror_has_esr);
	snprintf(rw->f[4], sizeof rw->f[4], "%s", v->masked ? "masked" : "unmasked");
	const struct ss_config *g = mig && !op->refused ? &v->dst : &v->src;
	snprintf(rw->f[5], sizeof rw->f[5], "%s%s", onoff(g->guest_ras),
		 g->guest_ras && !g->ras ? " (no host RAS)" : "");
	snprintf(rw->f[6], sizeof rw->f[6], "%s", mig ? ss_vmm_name(op->vmm) : "-");
	if (!ev->serror_pending)
		snprintf(rw->f[7], sizeof rw->f[7], "none pending");
	else if (ev->serror_has_esr)
		snprintf(rw->f[7], sizeof rw->f[7], "0x%" PRIx64, ev->serror_esr);
	else
		snprintf(rw->f[7], sizeof rw->f[7], "(no esr)");
	if (op->refused) {
		snprintf(rw->f[8], sizeof rw->f[8], "not issued");
	} else {
		snprintf(rw->f[8], sizeof rw->f[8], "%s%s", op->set == SS_SET_OK ? "ok" : "EINVAL",
			 op->esr_dropped ? " (esr dropped)" : "");
		for (size_t i = 0; i < r->nvmops; i++)
			if (&r->vmops[i] != v && !r->vmops[i].op.refused && r->vmops[i].op.set != SS_SET_OK)
				snprintf(rw->f[8], sizeof rw->f[8], "EINVAL (vmop%zu)", i + 1);
	}
	snprintf(rw->f[9], sizeof rw->f[9], "%s", c->seen_text);
	snprintf(rw->f[COL_HOPS], sizeof rw->f[COL_HOPS], "%s", c->hops_text);
	snprintf(rw->f[COL_VERDICT], sizeof rw->f[COL_VERDICT], "%s", c->verdict_text);
}

static void print_text(FILE *out, const struct cell *cells, size_t n)
{
	size_t w[NCOLS];
	struct row *rows = calloc(n ? n : 1, sizeof *rows);
	if (!rows)
		return;
	for (int i = 0; i < NCOLS; i++)
		w[i] = strlen(headers[i]);
	for (size_t k = 0; k < n; k++) {
		make_row(&cells[k], &rows[k]);
		for (int i = 0; i < NCOLS; i++)
			if (strlen(rows[k].f[i]) > w[i])
				w[i] = strlen(rows[k].f[i]);
	}
	for (int i = 0; i <= COL_VERDICT; i++)
		fprintf(out, "%-*s%s", i == COL_VERDICT ? 0 : (int)w[i], headers[i],
			i == COL_VERDICT ? "\n" : "  ");
	for (size_t k = 0; k < n; k++) {
		for (int i = 0; i <= COL_VERDICT; i++)
			fprintf(out, "%-*s%s", i == COL_VERDICT ? 0 : (int)w[i], rows[k].f[i],
				i == COL_VERDICT ? "" : "  ");
		if (cells[k].res.status != SS_STATUS_PASS)
			fprintf(out, "  [%s]", ss_status_name(cells[k].res.status));
		fputc('\n', out);
	}
	free(rows);
}

static void print_csv(FILE *out, const struct cell *cells, size_t n)
{
	for (int i = 0; i < NCOLS; i++)
		cli_csv_field(out, headers[i], i == NCOLS - 1);
	for (size_t k = 0; k < n; k++) {
		struct row rw;
		make_row(&cells[k], &rw);
		for (int i = 0; i < NCOLS; i++)
			cli_csv_field(out, rw.f[i], i == NCOLS - 1);
	}
}

static json_t *seen_json(const struct observation *o)
{
	json_t *a = json_array();
	for (size_t i = 0; i < o->n; i++) {
		char v[24], syn[32];
		snprintf(v, sizeof v, "0x%" PRIx64, o->v[i].value);
		cli_short_iss(o->v[i].iss, syn, sizeof syn);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:s}", "register",
						   o->v[i].vdisr ? "DISR_EL1" : "ESR_EL1", "value", v,
						   "syndrome", syn, "guest_ras", o->v[i].guest_ras,
						   "linux", linux_survives(o->v[i].iss, o->v[i].guest_ras)
								    ? "survives" : "panics"));
	}
	return a;
}

/* The verdict classes as JSON keys and values (no blanks). */
static const char *const verdict_keys[V_COUNT] = { "preserved", "changed", "restore_fails",
						   "refused", "lost", "set" };

/* --format json (schema serrsim-migrate-matrix/2, docs/cli.md): numbers and
 * booleans as in 'run --json', 64-bit values as "0x..." strings, null for
 * what does not apply; the table's strings as "verdict_text". */
static bool print_json(FILE *out, const struct cell *cells, size_t n, const size_t *counts,
		       size_t failed)
{
	json_t *root = json_pack("{s:s, s:{s:s, s:s}}", "schema", "serrsim-migrate-matrix/2", "tool",
				 "name", "serrsim", "version", SERRSIM_VERSION);
	if (!root)
		return false;
	json_t *arr = json_array();
	for (size_t k = 0; k < n; k++) {
		const struct cell *c = &cells[k];
		const struct cell_result *r = &c->res;
		json_t *o = json_object();
		json_object_set_new(o, "scenario", json_string(r->name[0] ? r->name : c->path));
		if (r->variants) {
			json_object_set_new(o, "variant", json_integer((json_int_t)r->variant));
			json_object_set_new(o, "variants", json_integer((json_int_t)r->variants));
			json_object_set_new(o, "variant_values", json_string(r->variant_label));
		}
		json_object_set_new(o, "file", json_string(c->path));
		json_object_set_new(o, "status", json_string(ss_status_name(r->status)));
		const struct ss_vmop_result *v = c->op;
		const struct ss_vmop *op = v ? &v->op : NULL;
		json_object_set_new(o, "operation", !op ? json_null()
						    : json_string(op->is_migration ? "migrate" : "set"));
		if (op) {
			bool mig = op->is_migration;
			const struct ss_vcpu_events *ev = mig ? &op->saved : &op->sent;
			const struct ss_config *g = mig && !op->refused ? &v->dst : &v->src;
			char esr[24];
			snprintf(esr, sizeof esr, "0x%" PRIx64, ev->serror_esr);
			json_object_set_new(o, "src_ras", json_boolean(mig ? v->src.ras : r->cfg.ras));
			json_object_set_new(o, "dst_ras", json_boolean(v->dst.ras));
			json_object_set_new(o, "pending", json_boolean(ev->serror_pending));
			json_object_set_new(o, "has_esr", json_boolean(ev->serror_has_esr));
			json_object_set_new(o, "saved_esr", ev->serror_pending && ev->serror_has_esr
								  ? json_string(esr) : json_null());
			json_object_set_new(o, "masked", json_boolean(v->masked));
			json_object_set_new(o, "guest_ras", json_boolean(g->guest_ras));
			json_object_set_new(o, "host_ras", json_boolean(g->ras));
			json_object_set_new(o, "vmm", mig ? json_string(ss_vmm_name(op->vmm)) : json_null());
			json_object_set_new(o, "refused", json_boolean(op->refused));
			json_object_set_new(o, "set", op->refused ? json_null()
						      : json_string(op->set == SS_SET_OK ? "ok" : "einval"));
			json_object_set_new(o, "esr_dropped", json_boolean(op->esr_dropped));
			json_t *einval = json_null();
			for (size_t i = 0; i < r->nvmops; i++)
				if (&r->vmops[i] != v && !r->vmops[i].op.refused &&
				    r->vmops[i].op.set != SS_SET_OK) {
					json_decref(einval);
					einval = json_integer((json_int_t)(i + 1));
				}
			json_object_set_new(o, "einval_vmop", einval);
			json_t *hops = json_array();
			for (size_t i = 0; i < r->nvmops; i++) {
				const struct ss_vmop_result *h = &r->vmops[i];
				if (h->op.is_get)
					continue;
				json_array_append_new(hops, json_pack(
					"{s:i, s:s, s:s, s:o, s:o, s:s}", "vmop", (int)(i + 1), "kind",
					h->op.is_migration ? "migrate" : "set", "from", host_before(r, i),
					"to", h->op.is_migration ? json_string(h->host[0] ? h->host : "?")
								 : json_null(),
					"vmm", h->op.is_migration ? json_string(ss_vmm_name(h->op.vmm))
								  : json_null(),
					"result", h->op.refused ? "refused"
						  : h->op.set == SS_SET_OK ? "ok" : "einval"));
			}
			json_object_set_new(o, "hops", hops);
		}
		json_object_set_new(o, "verdict", json_string(verdict_keys[c->verdict]));
		json_object_set_new(o, "verdict_text", json_string(c->verdict_text));
		json_object_set_new(o, "seen", seen_json(&c->seen));
		json_object_set_new(o, "reference", seen_json(&c->ref));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "cells", arr);
	json_t *sum = json_object();
	json_object_set_new(sum, "cells", json_integer((json_int_t)n));
	for (int v = 0; v < V_COUNT; v++)
		json_object_set_new(sum, verdict_keys[v], json_integer((json_int_t)counts[v]));
	json_object_set_new(sum, "passed", json_integer((json_int_t)(n - failed)));
	json_object_set_new(sum, "failed", json_integer((json_int_t)failed));
	json_object_set_new(root, "summary", sum);
	return cli_json_emit(out, root);
}

/* --- the command ------------------------------------------------------------------------- */

/* --html FILE (html.c): the cells as a page, the verdict coloured. */
static bool print_html(FILE *out, const struct cell *cells, size_t n, const size_t *counts,
		       size_t failed)
{
	char buf[512];
	html_page_begin(out, "serrsim migrate-matrix", "For every scenario with migrate or set_events "
			"events: what the guest finally sees of its pending SError, compared with a run "
			"without the operation (the guest stays on its first host).");
	snprintf(buf, sizeof buf, "%zu cells: %zu preserved, %zu changed, %zu restore fails, %zu "
		 "refused, %zu lost, %zu SET-only; %zu failed.", n, counts[V_PRESERVED],
		 counts[V_CHANGED], counts[V_EINVAL], counts[V_REFUSED], counts[V_LOST],
		 counts[V_OTHER], failed);
	html_paragraph(out, "summary", buf);
	html_table_begin(out, "matrix", headers, NCOLS);
	for (size_t k = 0; k < n; k++) {
		struct row rw;
		struct html_cell c[NCOLS];
		make_row(&cells[k], &rw);
		for (int i = 0; i < NCOLS; i++)
			c[i] = (struct html_cell){ rw.f[i], NULL, !strcmp(rw.f[i], "-") ? HTML_CELL_NA
											    : HTML_CELL };
		c[0].title = cells[k].path;
		c[9].title = cells[k].ref_text;	/* what it would have seen */
		enum verdict v = cells[k].verdict;
		c[COL_VERDICT].kind = v == V_PRESERVED ? HTML_CELL_GOOD : v == V_OTHER ? HTML_CELL
													: HTML_CELL_BAD;
		c[COL_STATUS].kind = cells[k].res.status == SS_STATUS_PASS ? HTML_CELL : HTML_CELL_FAIL;
		html_table_row(out, v != V_PRESERVED && v != V_OTHER, c, NCOLS);
	}
	html_table_end(out);
	html_paragraph(out, "legend", "Green: the guest sees what it would have seen without the "
		       "operation; orange: changed, restore fails, refused or lost; hover over "
		       "GUEST_SEES for what the guest sees without the operation.  docs/migration.md "
		       "explains the columns.");
	html_page_end(out);
	return !ferror(out);
}

static const char matrix_usage[] =
	"usage: serrsim migrate-matrix [--format text|csv|json] [--html FILE] [--enumerate]\n"
	"                              [-D KNOB=VALUE]... [-q] DIR|FILE...\n"
	"\n"
	"For every scenario with 'migrate' or 'set_events' events, run it as written and\n"
	"once more without those events (the guest stays on its first host), and print\n"
	"one row per scenario: source and destination RAS, has_esr as saved, whether the\n"
	"guest had SErrors masked at the operation, the guest-visible RAS, the VMM, the\n"
	"saved ESR, the SET result, what the guest finally sees (ESR_EL1 of a vSError,\n"
	"or DISR_EL1 after an ESB, with Linux's handling), every hop of a round trip\n"
	"(A->B ok, B->C EINVAL) and the verdict: preserved, changed (to X), restore\n"
	"fails (EINVAL, on the hop that failed), refused or lost.  Scenarios without\n"
	"such events are skipped; a template runs its first variant (named so) unless\n"
	"--enumerate.  See docs/migration.md.\n"
	"\n"
	"options:\n"
	"  --format FMT    text (default), csv or json (schema serrsim-migrate-matrix/2)\n"
	"  --html FILE     also write the cells as a self-contained HTML page\n"
	"  --enumerate     a template gives one row per variant (at most 100000)\n"
	"  -D, --define K=V  override a [cpu] knob; repeatable\n"
	"  -q, --quiet     no progress line on standard error (shown on a terminal)\n"
	"  -h, --help      show this help\n"
	"\n"
	"exit status: 0 every scenario passed, 1 an expectation failed, 2 usage or\n"
	"malformed scenario, 3 internal error.\n";

/* Run a cell (full is scratch space); false with the diagnostics on
 * stderr when the scenario does not load. */
static bool run_cell(struct cell *c, const struct ss_knob_override *ov, size_t nov,
		     uint64_t variant, struct ss_result *full)
{
	struct ss_observer obs = { .notify = observe, .ctx = &c->seen };
	struct ss_run_options opt = { .overrides = ov, .noverrides = nov, .trace = &obs,
				      .variant = variant };
	ss_scenario_run_file(c->path, &opt, full);
	if (full->status == SS_STATUS_ERROR) {
		cli_progress_clear();
		print_diags(stderr, c->path, full);
		ss_result_free(full);
		return false;
	}
	memcpy(c->res.name, full->name, sizeof c->res.name);
	c->res.status = full->status;
	c->res.cfg.ras = full->cfg.ras;
	c->res.nvmops = full->nvmops;
	memcpy(c->res.vmops, full->vmops, full->nvmops * sizeof *full->vmops);
	c->res.variants = full->variants;
	c->res.variant = full->variant;
	_Static_assert(sizeof c->res.variant_label == sizeof full->variant_label, "labels");
	memcpy(c->res.variant_label, full->variant_label, sizeof c->res.variant_label);
	ss_result_free(full);
	/* The cell's operation: the first migration that carries a pending
	 * SError (a round trip that starts with a SET is a migration cell),
	 * else the first SET with pending=1, else the first migration, else
	 * the first SET. */
	for (size_t i = 0; i < c->res.nvmops && !c->op; i++) {
		const struct ss_vmop *op = &c->res.vmops[i].op;
		if (op->is_migration && op->saved.serror_pending)
			c->op = &c->res.vmops[i];
	}
	for (size_t i = 0; i < c->res.nvmops && !c->op; i++) {
		const struct ss_vmop *op = &c->res.vmops[i].op;
		if (!op->is_migration && !op->is_get && op->sent.serror_pending)
			c->op = &c->res.vmops[i];
	}
	for (size_t i = 0; i < c->res.nvmops && !c->op; i++)
		if (c->res.vmops[i].op.is_migration)
			c->op = &c->res.vmops[i];
	if (!c->op && c->res.nvmops)
		c->op = &c->res.vmops[0];
	/* The reference: without the operations, except, for a migration
	 * cell, the SETs before it (they make the SError it carries). */
	struct ss_observer robs = { .notify = observe, .ctx = &c->ref };
	struct ss_run_options ropt = { .overrides = ov, .noverrides = nov, .trace = &robs,
				       .skip_vm_events = true, .variant = variant,
				       .keep_sets_before = c->op && c->op->op.is_migration
								   ? c->op->line : 0 };
	c->ref_status = ss_scenario_run_file(c->path, &ropt, full);
	ss_result_free(full);
	seen_text(&c->seen, c->seen_text, sizeof c->seen_text);
	seen_text(&c->ref, c->ref_text, sizeof c->ref_text);
	hops_text(&c->res, c->hops_text, sizeof c->hops_text);
	set_verdict(c);
	return true;
}

int cmd_migrate_matrix(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "format", required_argument, NULL, 'f' },
		{ "define", required_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "html", required_argument, NULL, 'H' },
		{ "enumerate", no_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *html = NULL;
	bool quiet = false, enumerate = false;
	struct ss_knob_override *ov = NULL;
	size_t nov = 0;
	struct path_list pl = { 0 };
	struct cell *cells = NULL;
	struct ss_result *full = NULL;	/* one run at a time (large) */
	int rc = EXIT_USAGE, c;
	optind = 0;	/* GNU getopt: start over completely */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hqD:", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = true; break;
		case 'E': enumerate = true; break;
		case 'h':
			fputs(matrix_usage, stdout);
			rc = EXIT_PASS;
			goto out;
		case 'f':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json")) {
				fprintf(stderr, "serrsim: --format expects text, csv or json, got '%s'\n"
					"Try 'serrsim migrate-matrix --help'.\n", optarg);
				goto out;
			}
			break;
		case 'D':
			if (!cli_add_define(&ov, &nov, optarg))
				goto out;
			break;
		case 'H':
			html = optarg;
			if (!*html || !strcmp(html, "-")) {
				fprintf(stderr, "serrsim: migrate-matrix: --html needs a file name\nTry "
					"'serrsim migrate-matrix --help'.\n");
				goto out;
			}
			break;
		case ':':
			fprintf(stderr, "serrsim: option '%s' needs a value\nTry 'serrsim migrate-matrix "
				"--help'.\n", argv[optind - 1]);
			goto out;
		default:
			fprintf(stderr, "serrsim: unknown option '%s'\nTry 'serrsim migrate-matrix "
				"--help'.\n", argv[optind - 1]);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "serrsim: migrate-matrix: no scenario given\nTry 'serrsim "
			"migrate-matrix --help'.\n");
		goto out;
	}
	for (int i = optind; i < argc; i++)
		if (!collect_paths(&pl, argv[i]))
			goto out;
	sort_paths(&pl);
	for (size_t i = 0; html && i < pl.n; i++)
		if (cli_same_path(html, pl.v[i])) {
			fprintf(stderr, "serrsim: migrate-matrix: --html '%s' is the input scenario '%s': "
				"refusing to overwrite it\n", html, pl.v[i]);
			goto out;
		}
	/* Which files have vm events and how many variants each runs (cells
	 * hold pointers into themselves: allocated once, never moved). */
	uint64_t *nvar = calloc(pl.n ? pl.n : 1, sizeof *nvar);
	size_t total = 0, n = 0, counts[V_COUNT] = { 0 }, failed = 0;
	bool error = false;
	full = malloc(sizeof *full);
	if (!nvar || !full) {
		free(nvar);
		rc = EXIT_INTERNAL;
		goto out;
	}
	for (size_t i = 0; i < pl.n; i++) {
		struct ss_run_options popt = { .parse_only = true };
		ss_scenario_run_file(pl.v[i], &popt, full);
		if (full->status == SS_STATUS_ERROR) {
			print_diags(stderr, pl.v[i], full);
			error = true;
		} else if (full->has_vm_events) {
			/* A template: its first variant, or each with --enumerate. */
			nvar[i] = enumerate && full->variants ? full->variants : 1;
			if (nvar[i] > SS_TEMPLATE_MAX_VARIANTS)
				nvar[i] = SS_TEMPLATE_MAX_VARIANTS;
			total += nvar[i];
		}
		ss_result_free(full);
	}
	cells = calloc(total ? total : 1, sizeof *cells);
	if (!cells) {
		free(nvar);
		rc = EXIT_INTERNAL;
		goto out;
	}
	cli_progress_begin("migrate-matrix", pl.n, "scenarios", quiet);
	for (size_t i = 0; i < pl.n; i++, cli_progress_step()) {
		for (uint64_t k = 0; k < nvar[i]; k++) {
			struct cell *cl = &cells[n];
			memset(cl, 0, sizeof *cl);
			cl->path = pl.v[i];
			if (!run_cell(cl, ov, nov, k, full)) {
				error = true;
				break;
			}
			failed += cl->res.status != SS_STATUS_PASS;
			counts[cl->verdict]++;
			n++;
		}
	}
	free(nvar);
	cli_progress_end();
	if (!strcmp(format, "json")) {
		if (!print_json(stdout, cells, n, counts, failed)) {
			rc = EXIT_INTERNAL;
			goto out;
		}
	} else if (!strcmp(format, "csv")) {
		print_csv(stdout, cells, n);
	} else {
		print_text(stdout, cells, n);
		printf("%zu cells: %zu preserved, %zu changed, %zu restore fails, %zu refused, %zu lost, "
		       "%zu SET-only; %zu failed\n", n, counts[V_PRESERVED], counts[V_CHANGED],
		       counts[V_EINVAL], counts[V_REFUSED], counts[V_LOST], counts[V_OTHER], failed);
	}
	rc = fflush(stdout) != 0 ? EXIT_INTERNAL : error ? EXIT_USAGE : failed ? EXIT_FAIL : EXIT_PASS;
	if (html) {
		struct cli_outfile hf;
		if (!cli_outfile_create(&hf, html)) {
			rc = EXIT_USAGE;
		} else {
			bool ok = print_html(hf.f, cells, n, counts, failed);
			if (!cli_outfile_close(&hf, ok) || !ok)
				rc = EXIT_INTERNAL;
		}
	}
out:
	free(full);
	free(cells);
	free_paths(&pl);
	free(ov);
	return rc;
}
