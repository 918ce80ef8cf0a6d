/*
 * run.c - running a loaded scenario and judging it: the observer that takes
 * snapshots (after the K-th exception entry, at cycle N, at the stop), the
 * evaluation of every expectation against its snapshot, and the results as
 * data (struct ss_result) for the CLI to print as text or JSON.
 */
#include "load.h"
#include "template.h"
#include "hyp.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- snapshots ------------------------------------------------------------------- */

struct run_ctx {
	struct scn *s;
	const struct ss_observer *user;
	uint32_t at_count[SCN_MAX_VECTORS];
	struct ss_result *res;			/* vmops recorded as they happen */
};

/* A SET or migration happened: record it with its hosts (the hypervisor
 * says which event caused it and where the guest ran). */
static void on_vmop(struct run_ctx *rc, const struct ss_pe *pe, const struct ss_vmop *op)
{
	struct ss_result *res = rc->res;
	if (!res || res->nvmops >= SS_MAX_VMOPS)
		return;
	struct ss_vmop_result *r = &res->vmops[res->nvmops++];
	memset(r, 0, sizeof *r);
	r->op = *op;
	r->masked = SS_GET(PSTATE_A, pe->sr[SS_REG_PSTATE]);
	r->el = ss_pe_el(pe);
	r->line = op->line;
	const struct ss_host *src = ss_hyp_host(&rc->s->hyp, op->src_host);
	const struct ss_host *dst = ss_hyp_host(&rc->s->hyp, op->dst_host);
	if (src)
		r->src = r->dst = src->cfg;
	if (op->is_migration && dst) {
		snprintf(r->host, sizeof r->host, "%s", dst->name);
		r->dst = dst->cfg;
	}
}

static void take_snapshot(struct run_ctx *rc, const struct ss_pe *pe, struct snapshot *sn)
{
	sn->taken = true;
	sn->pc = pe->pc;
	memcpy(sn->x, pe->x, sizeof sn->x);
	for (unsigned r = 0; r < SS_REG_COUNT; r++)
		sn->sr[r] = ss_sysreg_value(pe, (enum ss_reg)r);
	sn->cycle = pe->cycle;
	sn->nexc = pe->nexc;
	sn->stop = pe->stop;
	for (unsigned d = 0; d < LEDGER_STATES; d++)
		sn->ledger[d] = ss_ledger_count(pe, (enum ss_disposition)d);
	memcpy(sn->at_count, rc->at_count, sizeof sn->at_count);
	const struct ss_vmop *ops = ss_hyp_ops(&rc->s->hyp, &sn->nvmop);
	memcpy(sn->vmop, ops, sizeof sn->vmop);
}

static void on_exception(struct run_ctx *rc, const struct ss_pe *pe, const struct ss_exception *x)
{
	struct scn *s = rc->s;
	for (size_t i = 0; i < s->nvectors; i++)
		if (s->vectors[i] == x->vector)
			rc->at_count[i]++;
	for (size_t b = 0; b < s->nblocks; b++) {
		struct block *bl = &s->blocks[b];
		if (bl->kind == AST_BLOCK_EXCEPTION && bl->arg == x->number && !bl->snap.taken) {
			take_snapshot(rc, pe, &bl->snap);
			bl->snap.exc = *x;
		}
	}
}

static void notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct run_ctx *rc = ctx;
	if (t->kind == SS_TR_EXCEPTION && t->exc)
		on_exception(rc, pe, t->exc);
	if (t->kind == SS_TR_VMOP && t->vmop)
		on_vmop(rc, pe, t->vmop);
	if (rc->user && rc->user->notify)
		rc->user->notify(rc->user->ctx, pe, t);
}

static void cycle_snapshots(struct run_ctx *rc)
{
	struct scn *s = rc->s;
	for (size_t b = 0; b < s->nblocks; b++) {
		struct block *bl = &s->blocks[b];
		if (bl->kind == AST_BLOCK_CYCLE && !bl->snap.taken && s->pe->cycle >= bl->arg)
			take_snapshot(rc, s->pe, &bl->snap);
	}
}

static void on_boundary(void *ctx, const struct ss_pe *pe)
{
	(void)pe;
	cycle_snapshots(ctx);
}

/* The snapshots at [expect cycle N] are deadlines: the boundary hook is
 * needed only from the earliest N not yet reached. */
static uint64_t boundary_from(void *ctx, const struct ss_pe *pe)
{
	struct run_ctx *rc = ctx;
	uint64_t from = UINT64_MAX;
	(void)pe;
	for (size_t b = 0; b < rc->s->nblocks; b++) {
		const struct block *bl = &rc->s->blocks[b];
		if (bl->kind == AST_BLOCK_CYCLE && !bl->snap.taken && bl->arg < from)
			from = bl->arg;
	}
	return from;
}

static void run(struct scn *s, const struct ss_run_options *opt, struct ss_result *res)
{
	struct run_ctx rc = { .s = s, .user = opt ? opt->trace : NULL, .res = res };
	/* The runner itself needs only the exception entries and the SETs and
	 * migrations; a user's observer adds the kinds it wants (0: all). */
	uint32_t kinds = SS_TR_BIT(SS_TR_EXCEPTION) | SS_TR_BIT(SS_TR_VMOP);
	if (rc.user && rc.user->notify)
		kinds = rc.user->kinds ? kinds | rc.user->kinds : 0;
	struct ss_observer obs = { .notify = notify, .ctx = &rc, .boundary = on_boundary,
				   .kinds = kinds, .boundary_from = boundary_from };
	if (opt && opt->drive)
		opt->drive(opt->drive_ctx, &s->hyp, s->pe, &obs);
	else
		ss_hyp_run(&s->hyp, s->pe, &obs);
	ss_hyp_finish(&s->hyp, s->pe);
	cycle_snapshots(&rc);
	for (size_t b = 0; b < s->nblocks; b++)
		if (s->blocks[b].kind == AST_BLOCK_FINAL)
			take_snapshot(&rc, s->pe, &s->blocks[b].snap);
}

/* --- evaluation ---------------------------------------------------------------------- */

static uint64_t vmop_value(const struct rexp *x, const struct snapshot *sn)
{
	const struct ss_vmop *op = &sn->vmop[x->t.vmop];
	switch (x->t.vfield) {
	case VF_SET: return op->refused ? 0 : op->set != SS_SET_OK;
	case VF_MIGRATION: return op->is_migration;
	case VF_REFUSED: return op->refused;
	case VF_ESR_DROPPED: return op->esr_dropped;
	case VF_VMM: return (uint64_t)op->vmm;
	case VF_CYCLE: return op->cycle;
	case VF_SAVED_PENDING: return op->saved.serror_pending;
	case VF_SAVED_HAS_ESR: return op->saved.serror_has_esr;
	case VF_SAVED_ESR: return op->saved.serror_esr;
	case VF_SENT_PENDING: return op->sent.serror_pending;
	case VF_SENT_HAS_ESR: return op->sent.serror_has_esr;
	case VF_SENT_ESR: return op->sent.serror_esr;
	case VF_GET: return op->is_get;
	case VF_GOT_PENDING: return op->got.serror_pending;
	case VF_GOT_HAS_ESR: return op->got.serror_has_esr;
	case VF_GOT_ESR: return op->got.serror_esr;
	case VF_GOT_EXT_DABT_PENDING: return op->got.ext_dabt_pending;
	case VF_SENT_EXT_DABT_PENDING: return op->sent.ext_dabt_pending;
	case VF_ABORT_COMMITTED: return op->abort_committed;
	case VF_EVENTS_DROPPED: return op->events_dropped;
	case VF_MADE_UP: return op->made_up;
	case VF_ISS: return op->iss;
	case VF_ENTERED_EL: return op->entered_el;
	case VF_AT_EL2: return op->at_el2;
	case VF_COUNT: break;
	}
	return 0;
}

static uint64_t pseudo_value(const struct rexp *x, const struct snapshot *sn)
{
	const struct ss_exception *e = &sn->exc;
	switch (x->t.ps) {
	case PS_VMOPS: return sn->nvmop;
	case PS_VMOP: return vmop_value(x, sn);
	case PS_EXCEPTIONS: return sn->nexc;
	case PS_EXCEPTIONS_AT: return sn->at_count[x->at];
	case PS_STOP: return (uint64_t)sn->stop;
	case PS_CYCLES: return sn->cycle;
	case PS_LEDGER: return sn->ledger[x->t.disp];
	case PS_CAUSE: return (uint64_t)e->cause;
	case PS_VECTOR: return e->vector;
	case PS_OFFSET: return e->offset;
	case PS_FROM_EL: return e->from_el;
	case PS_TO_EL: return e->to_el;
	case PS_IESB: return e->iesb;
	case PS_ESR: return e->esr;
	case PS_ELR: return e->elr;
	case PS_SPSR: return e->spsr;
	case PS_EXC_CYCLE: return e->cycle;
	case PS_COUNT: break;
	}
	return 0;
}

static uint64_t target_value(const struct rexp *x, const struct snapshot *sn)
{
	switch (x->t.kind) {
	case TGT_SR: return sn->sr[x->t.reg];
	case TGT_FIELD: return ss_field_get(x->t.field, sn->sr[x->t.reg]);
	case TGT_X: return sn->x[x->t.x];
	case TGT_PC: return sn->pc;
	case TGT_PSEUDO: return pseudo_value(x, sn);
	}
	return 0;
}

static void value_text(const struct rexp *x, uint64_t v, char *buf, size_t len)
{
	if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_CAUSE)
		snprintf(buf, len, "%s", ss_cause_name((enum ss_cause)v));
	else if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_STOP)
		snprintf(buf, len, "%s", ss_stop_name((enum ss_stop)v));
	else if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_VMOP && x->t.vfield == VF_SET)
		snprintf(buf, len, "%s", v ? "einval" : "ok");
	else if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_VMOP && x->t.vfield == VF_VMM)
		snprintf(buf, len, "%s", ss_vmm_name((enum ss_vmm)v));
	else
		snprintf(buf, len, "0x%" PRIx64, v);
}

static void decode_text(const struct rexp *x, const struct snapshot *sn, uint64_t v, bool actual,
			char *buf, size_t len)
{
	const struct ss_layout *l = scn_target_layout(&x->t);
	buf[0] = '\0';
	if (l) {
		ss_decode(l, v, buf, len);
	} else if (x->t.kind == TGT_FIELD) {
		size_t n = ss_format_field(x->t.field, v, buf, len);
		if (actual && n + 8 < len && sn)
			snprintf(buf + n, len - n, " (%s: ", ss_sysregs[x->t.reg].name);
		size_t m = strlen(buf);
		if (actual && sn && m + 2 < len) {
			ss_decode(ss_sysregs[x->t.reg].layout, sn->sr[x->t.reg], buf + m, len - m - 1);
			m = strlen(buf);
			if (m + 1 < len)
				buf[m] = ')', buf[m + 1] = '\0';
		}
	}
}

static void lhs_text(const struct scn *s, const struct ast_expect *a, char *buf, size_t len)
{
	if (a->has_at)
		snprintf(buf, len, "%s at %s", ast_s(&s->ast, a->lhs), ast_s(&s->ast, a->at.text));

	else
		snprintf(buf, len, "%s", ast_s(&s->ast, a->lhs));
}

static const char *block_text(const struct block *b, char *buf, size_t len)
{
	if (b->kind == AST_BLOCK_EXCEPTION)
		snprintf(buf, len, "exception %" PRIu64, b->arg);
	else if (b->kind == AST_BLOCK_CYCLE)
		snprintf(buf, len, "cycle %" PRIu64, b->arg);
	else
		snprintf(buf, len, "expect");
	return buf;
}

static void evaluate_one(const struct scn *s, const struct rexp *x, struct ss_expect_result *r)
{
	const struct ast_expect *a = x->a;
	const struct block *b = &s->blocks[x->block];
	const struct snapshot *sn = &b->snap;
	r->line = a->pos.line;
	r->col = a->pos.col;
	block_text(b, r->block, sizeof r->block);
	if (a->policy.knob) {
		size_t used = strlen(r->block);
		const char *sep = " policy=";
		for (unsigned i = 0; a->policy.knob->values[i] && used < sizeof r->block; i++) {
			if (!(a->policy.mask >> i & 1u))
				continue;
			int n = snprintf(r->block + used, sizeof r->block - used, "%s%s", sep,
					 a->policy.knob->values[i]);
			used += n > 0 ? (size_t)n : 0;
			sep = ",";
		}
	}
	lhs_text(s, a, r->lhs, sizeof r->lhs);
	snprintf(r->op, sizeof r->op, "%s", a->neq ? "!=" : "==");
	snprintf(r->rhs, sizeof r->rhs, "%s", ast_s(&s->ast, a->rhs.text));
	r->dont_care = a->rhs.star;
	if (!a->rhs.star) {
		r->expected = x->rhs;
		value_text(x, x->rhs, r->expected_text, sizeof r->expected_text);
		decode_text(x, NULL, x->rhs, false, r->expected_decoded, sizeof r->expected_decoded);
	} else {
		snprintf(r->expected_text, sizeof r->expected_text, "*");
	}
	if (!sn->taken) {
		snprintf(r->actual_text, sizeof r->actual_text, "-");
		if (b->kind == AST_BLOCK_EXCEPTION)
			snprintf(r->note, sizeof r->note, "exception %" PRIu64 " was not taken (%" PRIu32
				 " in total)", b->arg, s->pe->nexc);
		else
			snprintf(r->note, sizeof r->note, "cycle %" PRIu64 " was not reached (stopped at %"
				 PRIu64 ")", b->arg, s->pe->cycle);
		r->pass = a->rhs.star;
		return;
	}
	if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_VMOP && x->t.vmop >= sn->nvmop) {
		snprintf(r->actual_text, sizeof r->actual_text, "-");
		snprintf(r->note, sizeof r->note, "vmop %u did not happen (%" PRIu32 " set_events/migrate "
			 "so far)", x->t.vmop + 1, sn->nvmop);
		r->pass = a->rhs.star;
		return;
	}
	if (x->t.kind == TGT_PSEUDO && x->t.ps == PS_VMOP && x->t.vfield == VF_SET &&
	    sn->vmop[x->t.vmop].refused)
		snprintf(r->note, sizeof r->note, "the VMM refused the migration: SET was not issued");
	r->actual = target_value(x, sn);
	r->has_values = !a->rhs.star;
	/* Equal to the expected value: its texts (a register's decoding does not
	 * depend on the snapshot; a field's adds its register's). */
	bool same = !a->rhs.star && r->actual == x->rhs;
	if (same)
		memcpy(r->actual_text, r->expected_text, strlen(r->expected_text) + 1);
	else
		value_text(x, r->actual, r->actual_text, sizeof r->actual_text);
	if (same && scn_target_layout(&x->t))
		memcpy(r->actual_decoded, r->expected_decoded, strlen(r->expected_decoded) + 1);
	else
		decode_text(x, sn, r->actual, true, r->actual_decoded, sizeof r->actual_decoded);
	r->pass = a->rhs.star || ((r->actual == x->rhs) != a->neq);
}

/* Does the [expect] block say how the run stops? */
static bool expects_stop(const struct scn *s)
{
	for (size_t i = 0; i < s->nexps; i++)
		if (s->exps[i].applies && s->exps[i].t.kind == TGT_PSEUDO &&
		    s->exps[i].t.ps == PS_STOP)
			return true;
	return false;
}

static void implicit_stop(const struct scn *s, struct ss_expect_result *r)
{
	snprintf(r->block, sizeof r->block, "expect");
	snprintf(r->lhs, sizeof r->lhs, "stop");
	snprintf(r->op, sizeof r->op, "==");
	snprintf(r->rhs, sizeof r->rhs, "end");
	snprintf(r->expected_text, sizeof r->expected_text, "end");
	snprintf(r->actual_text, sizeof r->actual_text, "%s", ss_stop_name(s->pe->stop));
	r->expected = SS_STOP_END;
	r->actual = (uint64_t)s->pe->stop;
	r->has_values = true;
	r->pass = s->pe->stop == SS_STOP_END;
	if (s->pe->stop == SS_STOP_NO_CODE)
		snprintf(r->note, sizeof r->note, "implicit: no instruction at 0x%" PRIx64,
			 s->pe->stop_arg);
	else
		snprintf(r->note, sizeof r->note, "implicit: a run must reach 'end' unless [expect] "
			 "names another stop reason");
}

static void implicit_ledger(struct ss_result *res, struct ss_expect_result *r)
{
	snprintf(r->block, sizeof r->block, "expect");
	snprintf(r->lhs, sizeof r->lhs, "ledger invariant");
	snprintf(r->op, sizeof r->op, "==");
	snprintf(r->rhs, sizeof r->rhs, "holds");
	snprintf(r->expected_text, sizeof r->expected_text, "holds");
	snprintf(r->actual_text, sizeof r->actual_text, "violated");
	snprintf(r->note, sizeof r->note, "%s", res->ledger_error);
}

static bool collect_ledger(const struct scn *s, struct ss_result *res)
{
	const struct ss_pe *pe = s->pe;
	res->ledger = calloc(pe->ncond ? pe->ncond : 1, sizeof *res->ledger);
	if (!res->ledger)
		return false;
	const struct ss_layout *syn = ss_sysregs[SS_REG_VSESR_EL2].layout;
	for (uint32_t i = 0; i < pe->ncond; i++) {
		struct ss_ledger_entry *e = &res->ledger[res->nledger++];
		e->c = pe->cond[i];
		if (e->c.kind == SS_COND_SEA)	/* its ESR: EC, IL = 1, ISS */
			ss_decode(ss_sysregs[SS_REG_ESR_EL1].layout,
				  SS_PREP(ESR_ELx_EC, e->c.ec) | SS_ESR_ELx_IL_MASK | e->c.iss,
				  e->decoded, sizeof e->decoded);
		else
			ss_decode(syn, e->c.iss, e->decoded, sizeof e->decoded);
		e->lost = e->c.disp == SS_DISP_LOST ? ss_lost_reason_text((enum ss_lost_reason)e->c.lost)
						  : NULL;
	}
	return true;
}

static bool evaluate(const struct scn *s, struct ss_result *res)
{
	const char *lerr = ss_ledger_check(s->pe);
	bool stop_check = !expects_stop(s);
	res->exp = calloc(s->nexps + 2, sizeof *res->exp);
	if (!res->exp)
		return false;
	res->condition_holds = true;
	for (size_t i = 0; i < s->nexps; i++) {
		if (s->exps[i].a->condition) {
			/* [exists]/[forall]: a condition, not an expectation */
			struct ss_expect_result c;
			memset(&c, 0, sizeof c);
			evaluate_one(s, &s->exps[i], &c);
			res->condition_holds &= c.pass;
		} else if (s->exps[i].applies) {
			evaluate_one(s, &s->exps[i], &res->exp[res->nexp++]);
		} else {
			res->nnot_applicable++;
		}
	}
	if (stop_check)
		implicit_stop(s, &res->exp[res->nexp++]);
	if (lerr) {
		snprintf(res->ledger_error, sizeof res->ledger_error, "%s", lerr);
		implicit_ledger(res, &res->exp[res->nexp++]);
	}
	for (size_t i = 0; i < res->nexp; i++)
		res->nfail += !res->exp[i].pass;
	return collect_ledger(s, res);
}

/* --- the public entry points ------------------------------------------------------------ */

const char *ss_status_name(enum ss_status st)
{
	switch (st) {
	case SS_STATUS_PASS: return "pass";
	case SS_STATUS_FAIL: return "fail";
	case SS_STATUS_ERROR: return "error";
	case SS_STATUS_SKIP: return "skip";
	}
	return "?";
}

/* Everything but the entries of diags.v[] and vmops[] (about 50 KB, read
 * only below their counts and written whole as they are added). */
void ss_result_init(struct ss_result *res)
{
	memset(res, 0, offsetof(struct ss_result, diags.v));
	res->diags.n = res->diags.dropped = 0;
	memset(&res->cfg, 0, offsetof(struct ss_result, vmops) - offsetof(struct ss_result, cfg));
	memset(&res->nvmops, 0, sizeof *res - offsetof(struct ss_result, nvmops));
}

void ss_result_free(struct ss_result *res)
{
	free(res->exp);
	free(res->ledger);
	ss_result_init(res);
}

bool ss_result_has_tag(const struct ss_result *res, const char *tag)
{
	size_t tl = strlen(tag);
	for (const char *p = res->tags; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		size_t n = 0;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		if (n == tl && n && strncasecmp(p, tag, n) == 0)
			return true;
		p += n;
	}
	return false;
}

static void note_policies(const struct ast *ast, struct ss_result *res)
{
	res->condition = (int)ast->quant;
	for (size_t i = 0; i < ast->events.n; i++) {
		res->has_pserror_events |= ast->events.v[i].kind == AST_EV_SERROR ||
					   ast->events.v[i].kind == AST_EV_ERROR;
		res->has_vserror_events |= ast->events.v[i].kind == AST_EV_VSERROR;
		res->has_vm_events |= ast->events.v[i].kind == AST_EV_SET ||
				      ast->events.v[i].kind == AST_EV_MIGRATE;
	}
	for (size_t i = 0; i < ast->expects.n; i++) {
		const struct ss_knob *k = ast->expects.v[i].policy.knob;
		bool known = !k;
		for (size_t j = 0; j < res->nqualified && !known; j++)
			known = res->qualified[j] == k;
		if (!known && res->nqualified < sizeof res->qualified / sizeof res->qualified[0])
			res->qualified[res->nqualified++] = k;
	}
}

static void copy_meta(const struct ast *ast, struct ss_result *res)
{
	const char *v;
	note_policies(ast, res);
	if ((v = scn_ast_meta_get(ast, "scenario")))
		snprintf(res->name, sizeof res->name, "%s", v);
	if ((v = scn_ast_meta_get(ast, "description")))
		snprintf(res->description, sizeof res->description, "%s", v);
	if ((v = scn_ast_meta_get(ast, "tags")))
		snprintf(res->tags, sizeof res->tags, "%s", v);
}

/* The profile the run used: -P, else the header's. */
static void note_profile(const struct ast *ast, const struct ss_run_options *opt,
			 struct ss_result *res)
{
	const char *hdr = scn_ast_meta_get(ast, "profile");
	const char *cli = opt ? opt->profile : NULL;
	snprintf(res->profile, sizeof res->profile, "%s", cli ? cli : hdr ? hdr : "");
	if (cli && hdr && strcasecmp(cli, hdr) != 0)
		snprintf(res->profile_note, sizeof res->profile_note,
			 "profile %s from the command line replaces the header's profile %s", cli,
			 hdr);
}

static enum ss_status fail_with_errors(struct ss_result *res)
{
	ss_diag_sort(&res->diags);
	res->status = SS_STATUS_ERROR;
	return res->status;
}

static char *read_file(const char *path, size_t *len, struct ss_diags *d);

/* After scn_load succeeded: run, judge, fill *res (the caller frees s). */
enum ss_status scn_run_loaded(struct scn *s, const struct ss_run_options *opt,
			      struct ss_result *res)
{
	res->cfg = s->cfg;
	note_profile(&s->ast, opt, res);
	if (opt && opt->trace && opt->trace_start)
		opt->trace_start(opt->trace->ctx, s->pe);
	run(s, opt, res);
	bool ok = evaluate(s, res);
	res->stop = s->pe->stop;
	res->stop_arg = s->pe->stop_arg;
	res->cycles = s->pe->cycle;
	res->insns = s->pe->ninsn;
	res->exceptions = s->pe->nexc;
	res->deferrals = s->pe->ndefer + s->pe->nvdefer;
	if (!ok) {
		ss_diag_add(&res->diags, 0, 0, "out of memory");
		return fail_with_errors(res);
	}
	res->status = res->nfail ? SS_STATUS_FAIL : SS_STATUS_PASS;
	return res->status;
}

void scn_result_meta(const struct ast *ast, struct ss_result *res)
{
	copy_meta(ast, res);
}

enum ss_status scn_result_errors(struct ss_result *res)
{
	return fail_with_errors(res);
}

enum ss_status scn_run_instance(const char *text, size_t len, const struct ss_run_options *opt,
				struct ss_result *res)
{
	struct scn *s = scn_new();
	if (!s) {
		ss_diag_add(&res->diags, 0, 0, "out of memory");
		return fail_with_errors(res);
	}
	bool parsed = scn_ast_parse(text, len, &s->ast, &res->diags);
	copy_meta(&s->ast, res);
	if (parsed && opt && opt->parse_only) {
		scn_destroy(s);
		free(s);
		res->status = SS_STATUS_PASS;
		return res->status;
	}
	if (!parsed || !scn_load(s, opt, &res->diags)) {
		res->cfg = s->cfg;
		scn_destroy(s);
		free(s);
		return fail_with_errors(res);
	}
	enum ss_status st = scn_run_loaded(s, opt, res);
	scn_destroy(s);
	free(s);
	return st;
}

/* A template runs one variant (opt->variant, default 0, the first). */
enum ss_status ss_scenario_run_text(const char *file, const char *text, size_t len,
				    const struct ss_run_options *opt, struct ss_result *res)
{
	(void)file;
	ss_result_init(res);
	struct tmpl tp;
	if (!scn_tmpl_parse(text, len, &tp, &res->diags))
		return fail_with_errors(res);
	if (!tp.nvar)
		return scn_run_instance(text, len, opt, res);
	uint64_t k = opt ? opt->variant : 0;
	res->variants = scn_tmpl_variants(&tp);
	res->template_line = tp.var[0].line;
	res->template_col = tp.var[0].col;
	if (k >= res->variants) {
		scn_tmpl_free(&tp);
		ss_diag_add(&res->diags, 0, 0, "variant %" PRIu64 " does not exist (%" PRIu64
			    " variants)", k, res->variants);
		return fail_with_errors(res);
	}
	size_t ilen = 0;
	char *inst = scn_tmpl_instantiate(&tp, text, k, &ilen);
	char label[sizeof res->variant_label];
	scn_tmpl_label(&tp, k, label, sizeof label);
	scn_tmpl_free(&tp);
	if (!inst) {
		ss_diag_add(&res->diags, 0, 0, "out of memory");
		return fail_with_errors(res);
	}
	uint64_t n = res->variants;
	unsigned tl = res->template_line, tc = res->template_col;
	enum ss_status st = scn_run_instance(inst, ilen, opt, res);
	res->variants = n;
	res->template_line = tl;
	res->template_col = tc;
	res->variant = k;
	snprintf(res->variant_label, sizeof res->variant_label, "%s", label);
	free(inst);
	return st;
}

char *ss_scenario_read_file(const char *path, size_t *len, struct ss_diags *d)
{
	return read_file(path, len, d);
}

/* Read a whole regular file, bounded by SS_MAX_FILE.  Anything else (a
 * FIFO, a device, a directory) is refused without reading from it: opening
 * does not block (O_NONBLOCK), and the type is checked on the open file. */
static char *read_file(const char *path, size_t *len, struct ss_diags *d)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ss_diag_add(d, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		ss_diag_add(d, 0, 0, S_ISDIR(st.st_mode) ? "is a directory"
							 : "not a regular file");
		close(fd);
		return NULL;
	}
	if (st.st_size > SS_MAX_FILE) {
		ss_diag_add(d, 0, 0, "file too large (at most %u bytes)", SS_MAX_FILE);
		close(fd);
		return NULL;
	}
	/* The file may grow while it is read: read at most SS_MAX_FILE + 1. */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	bool err = false;
	while (buf && n <= SS_MAX_FILE) {
		if (n == cap) {
			size_t ncap = cap * 2 > (size_t)SS_MAX_FILE + 1 ? (size_t)SS_MAX_FILE + 1 : cap * 2;
			char *nb = ncap > cap ? realloc(buf, ncap + 1) : NULL;
			if (!nb) {
				if (ncap > cap) {
					free(buf);
					buf = NULL;
				}
				break;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = true;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!buf || err || n > SS_MAX_FILE) {
		if (!buf)
			ss_diag_add(d, 0, 0, "out of memory");
		else if (err)
			ss_diag_add(d, 0, 0, "read error");
		else
			ss_diag_add(d, 0, 0, "file too large (at most %u bytes)", SS_MAX_FILE);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

enum ss_status ss_scenario_run_file(const char *path, const struct ss_run_options *opt,
				    struct ss_result *res)
{
	size_t len = 0;
	char *text;
	ss_result_init(res);
	text = read_file(path, &len, &res->diags);
	if (!text) {
		res->status = SS_STATUS_ERROR;
		return res->status;
	}
	enum ss_status st = ss_scenario_run_text(path, text, len, opt, res);
	free(text);
	return st;
}
