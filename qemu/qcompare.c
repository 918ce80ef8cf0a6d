/*
 * qcompare.c - read the records the exported program printed under QEMU and
 * compare them, expectation by expectation, with serrsim's values
 * (docs/qemu.md "Comparing").
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qexport.h"
#include "vectors.h"

/* --- parsing ------------------------------------------------------------------ */

static bool set_reg(struct qev *e, const char *name, uint64_t v)
{
	if (name[0] == 'X' && name[1] >= '0' && name[1] <= '9') {
		unsigned i = (unsigned)atoi(name + 1);
		if (i < 31)
			e->x[i] = v;
		return true;
	}
	if (!strcmp(name, "PSTATE")) {
		e->pstate = v;
		return true;
	}
	if (!strcmp(name, "ELR3")) {
		e->elr3 = v;
		return true;
	}
	const struct ss_sysreg *s = ss_sysreg_by_name(name);
	if (s)
		e->sr[s->id] = v;
	return s != NULL;
}

void qrun_parse(struct qrun *r, const char *text)
{
	memset(r, 0, sizeof *r);
	size_t cap = 0;
	struct qev *cur = NULL;
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[256];
		if (len >= sizeof line)
			len = sizeof line - 1;
		memcpy(line, p, len);
		line[len] = 0;
		if (len && line[len - 1] == '\r')
			line[len - 1] = 0;
		p = nl ? nl + 1 : NULL;
		char name[64];
		unsigned long long v;
		if (sscanf(line, "H %llx", &v) == 1) {
			if (r->n == cap) {
				cap = cap ? cap * 2 : 16;
				struct qev *nv = realloc(r->ev, cap * sizeof *nv);
				if (!nv)
					return;
				r->ev = nv;
			}
			cur = &r->ev[r->n++];
			memset(cur, 0, sizeof *cur);
			cur->id = (unsigned)v;
			if (cur->id >= QEX_HOOK_END)
				r->ended = true;
		} else if (sscanf(line, "R %63s %llx", name, &v) == 2 && cur) {
			set_reg(cur, name, v);
		} else if (sscanf(line, "F %llx", &v) == 1) {
			snprintf(r->fault, sizeof r->fault,
				 "the monitor took an unexpected exception (EL3 vector offset 0x%llx)", v);
		} else if (!strcmp(line, "O")) {
			snprintf(r->fault, sizeof r->fault, "more than %d exceptions", QEX_MAX_EVENTS);
		}
	}
}

void qrun_free(struct qrun *r)
{
	free(r->ev);
	memset(r, 0, sizeof *r);
}

/* --- QEMU's values --------------------------------------------------------------- */

static uint64_t back(uint64_t v)
{
	return v >= QEX_OFFSET && v < QEX_OFFSET + QEX_WINDOW ? v - QEX_OFFSET : v;
}

/* A snapshot: the record of exception K (1-based) or of the end. */
struct qsnap {
	const struct qev *e;
	bool is_exc;
	unsigned el, entry;		/* exception: target EL and vector entry (0..15) */
	size_t nexc;			/* exceptions up to and including this one */
	size_t first;			/* index of the record */
};

/* A register's value on QEMU's side, read as its table row says
 * (sysregs.txt "Qemu"): no register is named here. */
static uint64_t reg_value(const struct qex *q, const struct qsnap *s, enum ss_reg r)
{
	const struct qev *e = s->e;
	const struct ss_sysreg *d = &ss_sysregs[r];
	if (d->qemu & SS_QEMU_PSTATE)
		return e->pstate & ~ss_layout_res0(d->layout) & QEX_PSTATE_RECORDED;
	if (d->qemu & SS_QEMU_SHADOW)
		return q->pe0->sr[r];
	if (d->qemu & SS_QEMU_ADDRESS)
		return back(e->sr[r]);
	return e->sr[r];
}

static uint64_t vbar_of(const struct qex *q, unsigned el)
{
	return q->pe0->sr[el == 1 ? SS_REG_VBAR_EL1 : SS_REG_VBAR_EL2];
}

static const char *cause_of(const struct qsnap *s, char *buf)
{
	unsigned kind = s->entry & 3;
	if (kind == 1)
		return "virq";
	if (kind == 2)
		return "vfiq";
	if (kind == 3)
		return "vserror";
	uint64_t ec = SS_GET(ESR_ELx_EC, s->e->sr[s->el == 1 ? SS_REG_ESR_EL1 : SS_REG_ESR_EL2]);
	if (ec == SS_EC_Unknown)
		return "undef";
	if (ec == SS_EC_WFx)
		return "wfi_trap";
	if (ec == SS_EC_IllegalState)
		return "illegal_state";
	if (ec == SS_EC_SVC64)
		return "svc";
	if (ec == SS_EC_HVC64)
		return "hvc";
	if (ec == SS_EC_SMC64)
		return "smc";
	if (ec == SS_EC_SysReg)
		return "sysreg_trap";
	if (ec == SS_EC_DABT_LOW || ec == SS_EC_DABT_CUR)
		return "dabt";
	if (ec == SS_EC_IABT_LOW || ec == SS_EC_IABT_CUR)
		return "iabt";
	sprintf(buf, "EC=0x%02x", (unsigned)ec);
	return buf;
}

/* --- comparing ------------------------------------------------------------------- */

static const struct ss_expect_result *find_result(const struct qex *q, unsigned line)
{
	for (size_t i = 0; i < q->res.nexp; i++)
		if (q->res.exp[i].line == line)
			return &q->res.exp[i];
	return NULL;
}

static void print_value(FILE *f, const char *who, uint64_t v, const struct ss_layout *lay)
{
	char buf[SS_DECODED];
	fprintf(f, "      %-8s 0x%llx", who, (unsigned long long)v);
	if (lay) {
		ss_decode(ss_layout_for(lay, v), v, buf, sizeof buf);
		fprintf(f, " (%s)", buf);
	}
	fprintf(f, "\n");
}

/*
 * A Data Abort QEMU 7.2 takes to EL2 (only from EL2: its arm_deliver_fault
 * ignores HCR_EL2.TEA) carries ESR.ISV = 1 and the instruction syndrome
 * ISS[23:14]: target/arm/tlb_helper.c merge_syn_data_abort keeps the
 * translation-time template whenever target_el == 2, for a synchronous
 * External abort too.  ARM-M D24.2.45 (ISS for a Data Abort, ISV): ISV is 0
 * but for stage 2 aborts, and 0 for any synchronous External abort with
 * FEAT_RAS.  True when QEMU's ESR is serrsim's with ISV and only bits of
 * ISS[23:14] (RES0 when ISV = 0) added.
 */
static bool isv_difference(uint64_t sv, uint64_t qv)
{
	if (SS_GET(ESR_ELx_EC, sv) != SS_EC_DABT_CUR || (sv & SS_ESR_DABTCur_ISV_MASK) ||
	    !(qv & SS_ESR_DABTCur_ISV_MASK))
		return false;
	const struct ss_layout *lay = ss_layout_for(ss_sysregs[SS_REG_ESR_EL2].layout, sv);
	uint64_t iss_res0 = lay ? ss_layout_res0(lay) & SS_ESR_ELx_ISS_MASK : 0;
	return ((sv ^ qv) & ~(SS_ESR_DABTCur_ISV_MASK | iss_res0)) == 0;
}

static const char *isv_known =
	"QEMU 7.2 sets ESR.ISV and the instruction syndrome for a Data Abort taken to EL2 (docs/qemu.md, known QEMU differences)";

/*
 * Differences docs/qemu.md explains as QEMU's, not serrsim's: reported as
 * KNOWN and not counted.  QEMU 7.2 arm_cpu_do_interrupt_aarch64 sets the
 * new PSTATE with pstate_write(env, PSTATE_DAIF | new_mode), which clears
 * N, Z, C and V; AArch64.TakeException leaves them unchanged.
 */
static const char *known_difference(const struct ast_expect *a, const struct target *t,
				    const struct ss_expect_result *er, uint64_t qv, bool textual)
{
	if (!textual && ((t->kind == TGT_SR && t->reg == SS_REG_ESR_EL2) ||
			 (t->kind == TGT_PSEUDO && t->ps == PS_ESR)) &&
	    isv_difference(er->actual, qv))
		return isv_known;
	if (textual || a->block != AST_BLOCK_EXCEPTION)
		return NULL;
	const char *nzcv = "QEMU 7.2 clears PSTATE.{N,Z,C,V} on exception entry (docs/qemu.md, finding 1)";
	if (t->kind == TGT_SR && (t->reg == SS_REG_NZCV || t->reg == SS_REG_PSTATE) &&
	    (er->actual & ~0xf0000000ull) == qv && (qv & 0xf0000000ull) == 0)
		return nzcv;
	if (t->kind == TGT_FIELD && (t->reg == SS_REG_PSTATE || t->reg == SS_REG_NZCV) &&
	    t->field->lsb >= 28 && qv == 0)
		return nzcv;
	return NULL;
}

size_t qex_compare(struct qex *q, const struct qrun *r, FILE *f, size_t *compared, size_t *nknown)
{
	*nknown = 0;
	size_t ndiff = 0;
	*compared = 0;
	/* Exceptions in order, and the end record. */
	size_t nexc = 0;
	const struct qev *end = NULL;
	for (size_t i = 0; i < r->n; i++) {
		if (r->ev[i].id >= QEX_HOOK_END) {
			if (!end)
				end = &r->ev[i];
		} else if (!end) {
			nexc++;
		}
	}
	struct ss_diags d;
	d.n = d.dropped = 0;
	struct labels *labels = &q->prog.labels;

	for (size_t i = 0; i < q->ast.expects.n; i++) {
		const struct ast_expect *a = &q->ast.expects.v[i];
		const struct ss_expect_result *er = find_result(q, a->pos.line);
		if (!er || er->dont_care)
			continue;	/* another policy's block, or '*' */
		struct target t;
		if (!scn_resolve_target(&q->ast, a->lhs, a->lhs_pos, (int)a->block, &t, &d))
			continue;
		/* QEMU's snapshot for this block. */
		struct qsnap s;
		memset(&s, 0, sizeof s);
		const char *missing = NULL;
		char mbuf[96];
		if (a->block == AST_BLOCK_FINAL) {
			s.e = end;
			s.nexc = nexc;
			if (!end)
				missing = r->fault[0] ? r->fault : "no end record (QEMU timed out)";
		} else {
			size_t k = 0;
			for (size_t j = 0; j < r->n && !s.e; j++) {
				if (r->ev[j].id >= QEX_HOOK_END)
					break;
				if (++k == a->block_arg) {
					s.e = &r->ev[j];
					s.first = j;
				}
			}
			s.nexc = (size_t)a->block_arg;
			if (!s.e) {
				snprintf(mbuf, sizeof mbuf, "QEMU took %zu exception(s), no exception %llu",
					 nexc, (unsigned long long)a->block_arg);
				missing = mbuf;
			} else {
				s.is_exc = true;
				s.el = (s.e->id - QEX_HOOK_VEC) >> 4;
				s.entry = (s.e->id - QEX_HOOK_VEC) & 15;
			}
		}
		uint64_t qv = 0;
		const char *qtext = NULL;
		char cbuf[32];
		bool by_text = false;
		const struct ss_layout *lay = NULL;
		if (!missing) {
			switch (t.kind) {
			case TGT_X:
				qv = back(s.e->x[t.x]);
				break;
			case TGT_PC:
				if (s.is_exc)
					qv = vbar_of(q, s.el) + s.entry * SS_VEC_ENTRY_SIZE;
				else
					qv = q->end_addr[s.e->id - QEX_HOOK_END];
				break;
			case TGT_SR:
				qv = reg_value(q, &s, t.reg);
				lay = scn_target_layout(&t);
				break;
			case TGT_FIELD:
				qv = ss_field_get(t.field, reg_value(q, &s, t.reg));
				break;
			case TGT_PSEUDO:
				switch (t.ps) {
				case PS_EXCEPTIONS:
				case PS_EXCEPTIONS_AT: {
					/* scn_resolve_target gives PS_EXCEPTIONS for
					 * 'exceptions at E' too (scenario/load.c
					 * resolve_at makes it PS_EXCEPTIONS_AT for
					 * serrsim's run): the 'at' decides. */
					if (!a->has_at) {
						qv = s.nexc;
						break;
					}
					struct eval_ctx ec = { .ast = &q->ast, .labels = labels,
							       .sr = q->pe0->sr, .d = &d };
					uint64_t at = 0;
					scn_eval_expr(&ec, &a->at, &at);
					size_t limit = a->block == AST_BLOCK_FINAL ? r->n : s.first + 1;
					for (size_t j = 0; j < limit && j < r->n; j++) {
						const struct qev *e = &r->ev[j];
						if (e->id >= QEX_HOOK_END)
							break;
						unsigned el = (e->id - QEX_HOOK_VEC) >> 4;
						if (vbar_of(q, el) + ((e->id - QEX_HOOK_VEC) & 15) * SS_VEC_ENTRY_SIZE == at)
							qv++;
					}
					break;
				}
				case PS_STOP:
					qtext = "end";
					by_text = true;
					break;
				case PS_CAUSE:
					qtext = cause_of(&s, cbuf);
					by_text = true;
					break;
				case PS_VECTOR: qv = vbar_of(q, s.el) + s.entry * SS_VEC_ENTRY_SIZE; break;
				case PS_OFFSET: qv = s.entry * SS_VEC_ENTRY_SIZE; break;
				case PS_TO_EL: qv = s.el; break;
				case PS_FROM_EL:
					qv = (s.e->sr[s.el == 1 ? SS_REG_SPSR_EL1 : SS_REG_SPSR_EL2] >> 2) & 3;
					break;
				case PS_ESR:
					qv = (s.entry & 3) == 1 || (s.entry & 3) == 2 ? 0 :
						s.e->sr[s.el == 1 ? SS_REG_ESR_EL1 : SS_REG_ESR_EL2];
					lay = ss_sysregs[SS_REG_ESR_EL1].layout;
					break;
				case PS_ELR: qv = back(s.e->sr[s.el == 1 ? SS_REG_ELR_EL1 : SS_REG_ELR_EL2]); break;
				case PS_SPSR:
					qv = s.e->sr[s.el == 1 ? SS_REG_SPSR_EL1 : SS_REG_SPSR_EL2];
					lay = ss_sysregs[SS_REG_SPSR_EL1].layout;
					break;
				case PS_IESB:
					qv = (s.entry & 3) == 3 &&
					     ((s.e->sr[s.el == 1 ? SS_REG_ESR_EL1 : SS_REG_ESR_EL2] >> 13) & 1);
					break;
				default:
					continue;
				}
				break;
			default:
				continue;
			}
		}
		/* Neither serrsim (under the profile) nor QEMU took exception N:
		 * the block's expectations agree in being unanswerable. */
		if (missing && a->block == AST_BLOCK_EXCEPTION && !er->has_values &&
		    !strcmp(er->actual_text, "-"))
			continue;
		if (!missing && !by_text && !er->has_values)
			continue;
		(*compared)++;
		bool same;
		if (missing)
			same = false;
		else if (by_text)
			same = !strcasecmp(qtext, er->actual_text);
		else
			same = qv == er->actual;
		if (same)
			continue;
		const char *known = known_difference(a, &t, er, qv, missing || by_text);
		if (known) {
			(*nknown)++;
			fprintf(f, "    KNOWN %s:%u: [%s] %s: serrsim 0x%llx, qemu 0x%llx: %s\n", q->path,
				a->pos.line, er->block, er->lhs, (unsigned long long)er->actual,
				(unsigned long long)qv, known);
			continue;
		}
		ndiff++;
		fprintf(f, "    %s:%u: [%s] %s\n", q->path, a->pos.line, er->block, er->lhs);
		if (missing || by_text) {
			fprintf(f, "      %-8s %s\n", "serrsim", er->actual_text);
			fprintf(f, "      %-8s %s\n", "qemu", missing ? missing : qtext);
		} else {
			print_value(f, "serrsim", er->actual, lay);
			print_value(f, "qemu", qv, lay);
		}
	}
	/* The sequence of exceptions, whatever the expectations read: the
	 * vector, ESR (for those that write one), ELR and SPSR of each, from
	 * serrsim's trace and QEMU's vector records. */
	size_t nseq = q->nexc < nexc ? q->nexc : nexc;
	if (q->nexc != nexc) {
		(*compared)++;
		ndiff++;
		fprintf(f, "    %s: exception sequence: serrsim took %zu exception(s), qemu %zu\n", q->path,
			q->nexc, nexc);
	}
	for (size_t k = 0, j = 0; k < nseq && j < r->n; j++) {
		const struct qev *e = &r->ev[j];
		if (e->id >= QEX_HOOK_END)
			break;
		const struct qexc *x = &q->exc[k++];
		unsigned el = (e->id - QEX_HOOK_VEC) >> 4, entry = (e->id - QEX_HOOK_VEC) & 15;
		bool l1 = el == 1;
		struct {
			const char *what;
			uint64_t sv, qv;
			bool on;
			const struct ss_layout *lay;
		} f4[] = {
			{ "vector", x->vector, vbar_of(q, el) + entry * SS_VEC_ENTRY_SIZE, true, NULL },
			{ "esr", x->esr, e->sr[l1 ? SS_REG_ESR_EL1 : SS_REG_ESR_EL2], x->has_esr,
			  ss_sysregs[SS_REG_ESR_EL1].layout },
			{ "elr", x->elr, back(e->sr[l1 ? SS_REG_ELR_EL1 : SS_REG_ELR_EL2]), true, NULL },
			{ "spsr", x->spsr, e->sr[l1 ? SS_REG_SPSR_EL1 : SS_REG_SPSR_EL2] &
						   ~ss_layout_res0(ss_sysregs[SS_REG_SPSR_EL1].layout),
			  true, ss_sysregs[SS_REG_SPSR_EL1].layout },
		};
		for (size_t i = 0; i < sizeof f4 / sizeof f4[0]; i++) {
			if (!f4[i].on)
				continue;
			(*compared)++;
			if (f4[i].sv == f4[i].qv)
				continue;
			if (!l1 && !strcmp(f4[i].what, "esr") && isv_difference(f4[i].sv, f4[i].qv)) {
				(*nknown)++;
				fprintf(f, "    KNOWN %s: exception %zu: esr: serrsim 0x%llx, qemu 0x%llx: %s\n",
					q->path, k, (unsigned long long)f4[i].sv,
					(unsigned long long)f4[i].qv, isv_known);
				continue;
			}
			ndiff++;
			fprintf(f, "    %s: exception %zu: %s\n", q->path, k, f4[i].what);
			print_value(f, "serrsim", f4[i].sv, f4[i].lay);
			print_value(f, "qemu", f4[i].qv, f4[i].lay);
		}
	}
	/* The implicit stop == end. */
	if (!end) {
		(*compared)++;
		ndiff++;
		fprintf(f, "    %s: [expect] stop\n      %-8s end\n      %-8s %s\n", q->path, "serrsim",
			"qemu", r->fault[0] ? r->fault : "no end record (QEMU timed out)");
	}
	return ndiff;
}
