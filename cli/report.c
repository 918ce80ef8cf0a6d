/*
 * report.c - the human-readable output of serrsim: run reports, check lines,
 * the ledger, and the trace printer (one line per model event).
 */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

#include "esr.h"
#include "vcpu.h"

/* --- diagnostics and expectations ---------------------------------------------- */

void print_diags(FILE *out, const char *path, const struct ss_result *r)
{
	char buf[SS_DIAG_MSG + 512];
	for (size_t i = 0; i < r->diags.n; i++) {
		ss_diag_format(path, &r->diags.v[i], buf, sizeof buf);
		fprintf(out, "%s\n", buf);
	}
	if (r->diags.dropped)
		fprintf(out, "%s: error: %zu more errors not shown\n", path, r->diags.dropped);
}

static void print_value(FILE *out, const char *label, const char *text, const char *decoded)
{
	if (decoded[0])
		fprintf(out, "        %-9s %s  %s\n", label, text, decoded);
	else
		fprintf(out, "        %-9s %s\n", label, text);
}

static void print_expectation(FILE *out, const char *path, const struct ss_expect_result *e,
			      bool details)
{
	const char *verdict = e->pass ? "PASS" : "FAIL";
	if (e->line)
		fprintf(out, "    %s %s:%u: [%s] %s %s %s\n", verdict, path, e->line, e->block, e->lhs,
			e->op, e->rhs);
	else
		fprintf(out, "    %s %s: [%s] %s %s %s\n", verdict, path, e->block, e->lhs, e->op, e->rhs);
	if (!details)
		return;
	if (!e->dont_care)
		print_value(out, "expected:", e->expected_text, e->expected_decoded);
	print_value(out, "actual:", e->actual_text, e->actual_decoded);
	if (e->note[0])
		fprintf(out, "        note:     %s\n", e->note);
}

/* --- the ledger ---------------------------------------------------------------------- */

static void print_ledger(FILE *out, const struct ss_result *r)
{
	size_t nsea = 0;
	for (size_t i = 0; i < r->nledger; i++)
		nsea += r->ledger[i].c.kind == SS_COND_SEA;
	fprintf(out, "  ledger: %zu SError condition%s", r->nledger - nsea, r->nledger - nsea == 1 ? "" : "s");
	if (nsea)	/* synchronous External aborts, each taken at once */
		fprintf(out, ", %zu synchronous External abort%s", nsea, nsea == 1 ? "" : "s");
	fputc('\n', out);
	for (size_t i = 0; i < r->nledger; i++) {
		const struct ss_condition *c = &r->ledger[i].c;
		fprintf(out, "    #%" PRIu32 " %s %s%s line %u raised %" PRIu64 " visible %" PRIu64 ": %s",
			c->id, c->kind == SS_COND_SEA ? "sea" : c->virt ? "virtual" : "physical", c->trigger == SS_LEVEL ? "level" : "edge",
			c->synchronizable ? " sync" : " nosync", c->line, c->raised, c->visible,
			ss_disposition_name(c->disp));
		if (c->disp == SS_DISP_TAKEN)
			fprintf(out, " by exception %" PRIu32, c->exc);
		else if (c->disp == SS_DISP_DEFERRED)
			fprintf(out, " by deferral %" PRIu32, c->defer);
		else if (c->disp == SS_DISP_MERGED)
			fprintf(out, " into #%" PRIu32, c->merged_into);
		else if (c->disp == SS_DISP_HANDED_OVER)
			fprintf(out, " to #%" PRIu32 " (migration)", c->merged_into);
		if (c->times_taken > 1 || c->times_deferred > 1)
			fprintf(out, " (taken %" PRIu32 "x, deferred %" PRIu32 "x)", c->times_taken,
				c->times_deferred);
		if (c->record)
			fprintf(out, " (from error record %u)", c->record - 1u);
		fprintf(out, "\n        iss 0x%07" PRIx32 ": %s\n", c->iss, r->ledger[i].decoded);
		if (r->ledger[i].lost)
			fprintf(out, "  warning: SError condition #%" PRIu32 " lost: %s\n", c->id,
				r->ledger[i].lost);
	}
	if (r->ledger_error[0])
		fprintf(out, "    ledger invariant violated: %s\n", r->ledger_error);
}

static void print_events(FILE *out, const char *what, const struct ss_vcpu_events *ev)
{
	fprintf(out, "%s{pending=%d has_esr=%d esr=0x%" PRIx64 "}", what, ev->serror_pending,
		ev->serror_has_esr, ev->serror_esr);
}

/* SETs and migrations: one line each (docs/cli.md). */
static void print_vmops(FILE *out, const struct ss_result *r)
{
	if (!r->nvmops)
		return;
	fprintf(out, "  vm operations: %zu\n", r->nvmops);
	for (size_t i = 0; i < r->nvmops; i++) {
		const struct ss_vmop_result *v = &r->vmops[i];
		const struct ss_vmop *op = &v->op;
		fprintf(out, "    vmop%zu line %u cycle %" PRIu64 ": ", i + 1, v->line, op->cycle);
		if (op->is_get) {
			fprintf(out, "get_events ");
			print_events(out, "got", &op->got);
			fputc('\n', out);
			continue;
		}
		if (op->is_migration) {
			fprintf(out, "migrate to %s (ras %s -> %s) vmm=%s ", v->host[0] ? v->host : "?",
				v->src.ras ? "on" : "off", v->dst.ras ? "on" : "off", ss_vmm_name(op->vmm));
			print_events(out, "saved", &op->saved);
			if (op->refused) {
				fprintf(out, " refused (the guest stays)\n");
				continue;
			}
			fputc(' ', out);
		} else {
			fprintf(out, "set_events ");
		}
		print_events(out, "sent", &op->sent);
		fprintf(out, " -> %s%s%s%s\n", op->set == SS_SET_OK ? "ok" : "EINVAL",
			op->esr_dropped ? " (esr dropped by the VMM)" : "",
			op->events_dropped ? " (events not saved by the VMM: the SError is lost)" : "",
			op->abort_committed ? " (external abort committed)" : "");
		/* KVM's own choices, explained (docs/migration.md). */
		if (op->set == SS_SET_OK && op->made_up)
			fprintf(out, "      note: KVM made up the syndrome: SET carried no ESR on a RAS host, so "
				"the guest gets ESR_ELx_ISV, iss 0x%07" PRIx32 " (Linux arch/arm64/kvm/"
				"inject_fault.c kvm_inject_vabt)\n", op->iss);
		if (op->set == SS_SET_OK && op->at_el2 && op->sent.serror_pending && !op->entered_el)
			fprintf(out, "      note: the vCPU is at EL2: HCR_EL2.VSE set there is never taken at "
				"EL2 (KVM holds it for the guest hypervisor until its routing delivers it: Linux "
				"arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr, NESTED_SERROR_PENDING)\n");
	}
}

void print_run_report(FILE *out, const char *path, const struct ss_result *r)
{
	fprintf(out, "scenario %s (%s)\n", r->name[0] ? r->name : "?", path);
	if (r->description[0])
		fprintf(out, "  %s\n", r->description);
	if (r->profile[0])
		fprintf(out, "  profile: %s\n", r->profile);
	if (r->profile_note[0])
		fprintf(out, "  note: %s\n", r->profile_note);
	if (r->variants)
		fprintf(out, "  template: variant %" PRIu64 " of %" PRIu64 " (%s)\n", r->variant + 1,
			r->variants, r->variant_label);
	for (size_t i = 0; i < r->nexp; i++)
		print_expectation(out, path, &r->exp[i], !r->exp[i].pass);
	print_ledger(out, r);
	print_vmops(out, r);
	fprintf(out, "  stop: %s", ss_stop_name(r->stop));
	if (r->stop == SS_STOP_NO_CODE)
		fprintf(out, " at 0x%" PRIx64, r->stop_arg);
	fprintf(out, " after %" PRIu64 " cycles (%" PRIu64 " instructions, %" PRIu32
		" exceptions, %" PRIu32 " deferrals)\n", r->cycles, r->insns, r->exceptions, r->deferrals);
	fprintf(out, "%s %s\n", r->status == SS_STATUS_PASS ? "PASS" : "FAIL",
		r->name[0] ? r->name : path);
}

void print_check_line(FILE *out, const char *path, const struct ss_result *r)
{
	const char *name = r->name[0] ? r->name : path;
	switch (r->status) {
	case SS_STATUS_PASS:
		fprintf(out, "PASS %s\n", name);
		return;
	case SS_STATUS_SKIP:
		fprintf(out, "SKIP %s\n", name);
		return;
	case SS_STATUS_ERROR:
		fprintf(out, "FAIL %s (%s: %zu error%s)\n", name, path, r->diags.n,
			r->diags.n == 1 ? "" : "s");
		return;
	case SS_STATUS_FAIL:
		fprintf(out, "FAIL %s\n", name);
		for (size_t i = 0; i < r->nexp; i++)
			if (!r->exp[i].pass)
				print_expectation(out, path, &r->exp[i], true);
		return;
	}
}

void print_summary(FILE *out, size_t passed, size_t failed, size_t skipped)
{
	fprintf(out, "%zu passed, %zu failed", passed, failed);
	if (skipped)
		fprintf(out, ", %zu skipped", skipped);
	fprintf(out, "\n");
}

/* --- instructions ------------------------------------------------------------------------ */

static const char *xreg(uint8_t r, char *buf)
{
	if (r == SS_NO_REG)
		return "xzr";
	snprintf(buf, 8, "x%u", r);
	return buf;
}

/* The text of an instruction, by its operand form (isa.def). */
void format_insn(const struct ss_insn *in, char *buf, size_t len)
{
	char a[8], b[8], c[8];
	const struct ss_insn_info *r = ss_insn_info(in->op);
	const char *sr = (unsigned)in->sreg < SS_REG_COUNT ? ss_sysregs[in->sreg].name : "?";
	if (!r) {
		snprintf(buf, len, "%s", ss_op_name(in->op));
		return;
	}
	const char *mn = r->mnemonic, *dot = strchr(mn, '.');
	bool alias = r->zr_alias && in->rd == SS_NO_REG;	/* cmp: subs with Xd = XZR */
	switch (r->form) {
	case SS_FORM_NONE:
	case SS_FORM_STOP:
	case SS_FORM_COUNT:
		snprintf(buf, len, "%s", mn);
		return;
	case SS_FORM_BARRIER:
		snprintf(buf, len, "%s sy", mn);
		return;
	case SS_FORM_IMM16:
		snprintf(buf, len, "%s #0x%" PRIx64, mn, in->imm);
		return;
	case SS_FORM_DAIF_IMM:
		snprintf(buf, len, "%s, #0x%" PRIx64, mn, in->imm);
		return;
	case SS_FORM_SPSEL_IMM:
		snprintf(buf, len, "%s, #%" PRIu64, mn, in->imm);
		return;
	case SS_FORM_SREG_READ:
		snprintf(buf, len, "%s %s, %s", mn, xreg(in->rd, a), sr);
		return;
	case SS_FORM_SREG_WRITE:
		snprintf(buf, len, "%s %s, %s", mn, sr, xreg(in->rn, a));
		return;
	case SS_FORM_LABEL:
		snprintf(buf, len, "%s 0x%" PRIx64, mn, in->target);
		return;
	case SS_FORM_COND_LABEL:	/* "b.cond": "b." and the condition */
		snprintf(buf, len, "%.*s%s 0x%" PRIx64, dot ? (int)(dot - mn) + 1 : (int)strlen(mn), mn,
			 ss_cond_name((enum ss_cc)in->cond), in->target);
		return;
	case SS_FORM_REG_LABEL:
		snprintf(buf, len, "%s %s, 0x%" PRIx64, mn, xreg(in->rn, a), in->target);
		return;
	case SS_FORM_REG_BIT_LABEL:
		snprintf(buf, len, "%s %s, #%" PRIu64 ", 0x%" PRIx64, mn, xreg(in->rn, a), in->imm,
			 in->target);
		return;
	case SS_FORM_RD_IMM:
		snprintf(buf, len, "%s %s, #0x%" PRIx64, mn, xreg(in->rd, a), in->imm);
		return;
	case SS_FORM_RD_RM:
		snprintf(buf, len, "%s %s, %s", mn, xreg(in->rd, a), xreg(in->rm, b));
		return;
	case SS_FORM_RD_RN_IMM:
	case SS_FORM_RD_RN_LOGIMM:
		if (alias)
			snprintf(buf, len, "%s %s, #0x%" PRIx64, r->zr_alias, xreg(in->rn, b), in->imm);
		else
			snprintf(buf, len, "%s %s, %s, #0x%" PRIx64, mn, xreg(in->rd, a), xreg(in->rn, b),
				 in->imm);
		return;
	case SS_FORM_RD_RN_RM:
		if (alias)
			snprintf(buf, len, "%s %s, %s", r->zr_alias, xreg(in->rn, b), xreg(in->rm, c));
		else
			snprintf(buf, len, "%s %s, %s, %s", mn, xreg(in->rd, a), xreg(in->rn, b),
				 xreg(in->rm, c));
		return;
	case SS_FORM_UBFX:
		snprintf(buf, len, "%s %s, %s, #%u, #%u", mn, xreg(in->rd, a), xreg(in->rn, b), in->lsb,
			 in->width);
		return;
	case SS_FORM_MEM:
		snprintf(buf, len, "%s %s, [%s, #0x%" PRIx64 "]", mn, xreg(in->rd, a), xreg(in->rn, b),
			 in->imm);
		return;
	}
}

/* --- the trace printer ---------------------------------------------------------------------- */

static void trace_exception(FILE *out, const struct ss_exception *x)
{
	fprintf(out, "exception #%" PRIu32 " %s EL%u -> EL%u vector 0x%" PRIx64 " (+0x%" PRIx64
		") ELR 0x%" PRIx64, x->number, ss_cause_name(x->cause), x->from_el, x->to_el,
		x->vector, x->offset, x->elr);
	if (x->iesb)
		fprintf(out, " iesb");
	if (x->cond >= 0)
		fprintf(out, " cond #%d", x->cond);
	if (x->has_esr) {
		char dec[SS_DECODED];
		ss_decode(ss_sysregs[SS_REG_ESR_EL1].layout, x->esr, dec, sizeof dec);
		fprintf(out, " ESR 0x%" PRIx64 " (%s)", x->esr, dec);
	}
}

static void trace_condition(FILE *out, const char *what, const struct ss_condition *c)
{
	char dec[SS_DECODED];
	if (c->kind == SS_COND_SEA) {
		/* A synchronous External abort: its exception follows. */
		uint64_t esr = SS_PREP(ESR_ELx_EC, c->ec) | SS_ESR_ELx_IL_MASK | c->iss;
		ss_decode(ss_sysregs[SS_REG_ESR_EL1].layout, esr, dec, sizeof dec);
		fprintf(out, "%-9s cond #%" PRIu32 " sea (synchronous External abort) ESR 0x%" PRIx64 " (%s)",
			what, c->id, esr, dec);
		return;
	}
	ss_decode(ss_sysregs[SS_REG_VSESR_EL2].layout, c->iss, dec, sizeof dec);
	fprintf(out, "%-9s cond #%" PRIu32 " %s %s%s line %u iss 0x%07" PRIx32 " (%s)", what, c->id,
		c->virt ? "virtual" : "physical", c->trigger == SS_LEVEL ? "level" : "edge", c->synchronizable ? " sync" : " nosync",
		c->line, c->iss, dec);
	if (!strcmp(what, "raise"))
		fprintf(out, " visible at %" PRIu64, c->visible);
	if (c->record)
		fprintf(out, " from record %u", c->record - 1u);
}

static void trace_reg(FILE *out, const char *what, const struct ss_trace *t)
{
	char dec[SS_DECODED];
	const struct ss_sysreg *r = &ss_sysregs[(unsigned)t->reg < SS_REG_COUNT ? t->reg : 0];
	ss_decode(r->layout, t->value, dec, sizeof dec);
	fprintf(out, "%-9s %s = 0x%" PRIx64 " (%s)", what, r->name, t->value, dec);
}

static void trace_events(FILE *out, const char *what, const struct ss_vcpu_events *ev)
{
	fprintf(out, "%s{pending=%d has_esr=%d esr=0x%" PRIx64 "}", what, ev->serror_pending,
		ev->serror_has_esr, ev->serror_esr);
}

static void trace_vmop(FILE *out, const struct ss_vmop *op)
{
	if (op->is_get) {
		fprintf(out, "get       ");
		trace_events(out, "got", &op->got);
		return;
	}
	if (op->is_migration) {
		fprintf(out, "migrate   vmm=%s ", ss_vmm_name(op->vmm));
		trace_events(out, "saved", &op->saved);
		if (op->refused) {
			fprintf(out, " refused");
			return;
		}
		fputc(' ', out);
	} else {
		fprintf(out, "set       ");
	}
	trace_events(out, "sent", &op->sent);
	fprintf(out, " -> %s%s", op->set == SS_SET_OK ? "ok" : "EINVAL",
		op->esr_dropped ? " (esr dropped)" : "");
}

static void trace_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	FILE *out = ctx;
	char buf[128];
	fprintf(out, "%10" PRIu64 "  ", t->cycle);
	switch (t->kind) {
	case SS_TR_INSN:
		format_insn(t->insn, buf, sizeof buf);
		fprintf(out, "insn      0x%08" PRIx64 "  EL%u  %s", t->insn->addr, ss_pe_el(pe), buf);
		break;
	case SS_TR_RAISE: trace_condition(out, "raise", t->cond); break;
	case SS_TR_VISIBLE: trace_condition(out, "visible", t->cond); break;
	case SS_TR_LOWER: fprintf(out, "lower     line %u", t->line); break;
	case SS_TR_INTR:
		fprintf(out, "%-9s line %u %s", t->intr == SS_INTR_FIQ ? "fiq" : "irq", t->line,
			t->value ? "asserted" : "deasserted");
		break;
	case SS_TR_EXCEPTION: trace_exception(out, t->exc); break;
	case SS_TR_ERET:
		fprintf(out, "eret      EL%u -> EL%u to 0x%" PRIx64 "%s", t->from_el, t->to_el, t->addr,
			t->illegal ? " (illegal return)" : "");
		break;
	case SS_TR_DEFER:
		trace_reg(out, "defer", t);
		if (t->cond)
			fprintf(out, " cond #%" PRIu32, t->cond->id);
		break;
	case SS_TR_SYSREG:
		trace_reg(out, "sysreg", t);
		fprintf(out, " was 0x%" PRIx64, t->old);
		break;
	case SS_TR_SLEEP: fprintf(out, "sleep     wfi"); break;
	case SS_TR_WAKE: fprintf(out, "wake"); break;
	case SS_TR_STOP: fprintf(out, "stop      %s", ss_stop_name((enum ss_stop)t->stop)); break;
	case SS_TR_VMOP: trace_vmop(out, t->vmop); break;
	case SS_TR_RAS: {
		char dec[SS_DECODED];
		ss_decode(ss_sysregs[SS_REG_ERXSTATUS_EL1].layout, t->value, dec, sizeof dec);
		fprintf(out, "ras       record %u%s status 0x%08" PRIx64 " (%s) was 0x%08" PRIx64 "%s%s%s",
			t->line, t->addr & SS_RAS_SIG_INJECTED ? " injected" : "", t->value, dec, t->old,
			t->addr & SS_RAS_SIG_SERROR ? " -> serror" : "",
			t->addr & SS_RAS_SIG_ERI ? " -> error recovery interrupt" : "",
			t->addr & SS_RAS_SIG_FHI ? " -> fault handling interrupt" : "");
		break;
	}
	}
	fputc('\n', out);
}

struct ss_observer trace_printer(FILE *out)
{
	return (struct ss_observer){ .notify = trace_notify, .ctx = out };
}
