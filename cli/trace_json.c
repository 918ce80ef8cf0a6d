/*
 * trace_json.c - 'serrsim run --trace-json FILE': the events of --trace as
 * one JSON array, one object per event, built with jansson and streamed (an
 * object is written as soon as its event happens, so a long run needs no
 * memory for its trace).  As in --json, every 64-bit quantity (cycles,
 * addresses, register values, syndromes) is a hex string "0x..."; counts,
 * ELs, line and condition numbers are JSON numbers.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_out.h"
#include "vcpu.h"

struct json_trace {
	FILE *f;
	struct cli_outfile out;
	size_t n;		/* events written */
	bool error;		/* out of memory or a dump failed */
	char buf[1 << 16];
};

static json_t *hex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "0x%" PRIx64, v);
	return json_string(buf);
}

/* Decoded text is ASCII; anything else would be a bug, so fall back to '?'. */
static json_t *str(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("?");
}

static void set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v);
}

static json_t *decoded(enum ss_reg r, uint64_t v)
{
	char dec[SS_DECODED];
	ss_decode(ss_sysregs[(unsigned)r < SS_REG_COUNT ? r : 0].layout, v, dec, sizeof dec);
	return str(dec);
}

static const char *kind_name(enum ss_trace_kind k)
{
	switch (k) {
	case SS_TR_INSN: return "insn";
	case SS_TR_RAISE: return "raise";
	case SS_TR_VISIBLE: return "visible";
	case SS_TR_LOWER: return "lower";
	case SS_TR_EXCEPTION: return "exception";
	case SS_TR_ERET: return "eret";
	case SS_TR_DEFER: return "defer";
	case SS_TR_SYSREG: return "sysreg";
	case SS_TR_SLEEP: return "sleep";
	case SS_TR_WAKE: return "wake";
	case SS_TR_VMOP: return "vmop";
	case SS_TR_STOP: return "stop";
	case SS_TR_RAS: return "ras";
	case SS_TR_INTR: return "intr";
	}
	return "?";
}

static void condition(json_t *o, const struct ss_condition *c)
{
	set(o, "cond", json_integer(c->id));
	set(o, "virtual", json_boolean(c->virt));
	set(o, "trigger", json_string(c->trigger == SS_LEVEL ? "level" : "edge"));
	set(o, "synchronizable", json_boolean(c->synchronizable));
	set(o, "line", json_integer(c->line));
	set(o, "iss", hex(c->iss));
	if (c->kind == SS_COND_SEA) {	/* a synchronous External abort: its ESR */
		uint64_t esr = SS_PREP(ESR_ELx_EC, c->ec) | SS_ESR_ELx_IL_MASK | c->iss;
		set(o, "kind", json_string("sea"));
		set(o, "esr", hex(esr));
		set(o, "decoded", decoded(SS_REG_ESR_EL1, esr));
	} else
		set(o, "decoded", decoded(SS_REG_VSESR_EL2, c->iss));
	if (c->record)
		set(o, "record", json_integer(c->record - 1));
	set(o, "raised", hex(c->raised));
	set(o, "visible_at", hex(c->visible));
}

static void exception(json_t *o, const struct ss_exception *x)
{
	set(o, "number", json_integer(x->number));
	set(o, "cause", json_string(ss_cause_name(x->cause)));
	set(o, "from_el", json_integer(x->from_el));
	set(o, "to_el", json_integer(x->to_el));
	set(o, "vector", hex(x->vector));
	set(o, "offset", hex(x->offset));
	set(o, "elr", hex(x->elr));
	set(o, "spsr", hex(x->spsr));
	if (x->has_esr) {
		set(o, "esr", hex(x->esr));
		set(o, "esr_decoded", decoded(SS_REG_ESR_EL1, x->esr));
	}
	set(o, "iesb", json_boolean(x->iesb));
	set(o, "cond", x->cond >= 0 ? json_integer(x->cond) : json_null());
}

static json_t *vcpu_events(const struct ss_vcpu_events *e)
{
	json_t *o = json_object();
	set(o, "serror_pending", json_boolean(e->serror_pending));
	set(o, "serror_has_esr", json_boolean(e->serror_has_esr));
	set(o, "serror_esr", hex(e->serror_esr));
	return o;
}

/* KVM_SET_VCPU_EVENTS or a migration (events 'set' / 'migrate'). */
static void vmop(json_t *o, const struct ss_vmop *op)
{
	set(o, "op", json_string(op->is_get ? "get" : op->is_migration ? "migrate" : "set"));
	if (op->is_get) {
		set(o, "got", vcpu_events(&op->got));
		return;
	}
	if (op->is_migration) {
		set(o, "vmm", json_string(ss_vmm_name(op->vmm)));
		set(o, "saved", vcpu_events(&op->saved));
		set(o, "refused", json_boolean(op->refused));
	}
	set(o, "sent", vcpu_events(&op->sent));
	set(o, "result", json_string(op->set == SS_SET_OK ? "ok" : "EINVAL"));
	set(o, "esr_dropped", json_boolean(op->esr_dropped));
	set(o, "cond_before", op->cond_before >= 0 ? json_integer(op->cond_before) : json_null());
	set(o, "cond_after", op->cond_after >= 0 ? json_integer(op->cond_after) : json_null());
}

static json_t *event_json(const struct ss_pe *pe, const struct ss_trace *t)
{
	char buf[160];
	json_t *o = json_object();
	if (!o)
		return NULL;
	set(o, "cycle", hex(t->cycle));
	set(o, "event", json_string(kind_name(t->kind)));
	switch (t->kind) {
	case SS_TR_INSN:
		set(o, "pc", hex(t->insn ? t->insn->addr : t->addr));
		set(o, "el", json_integer(ss_pe_el(pe)));
		if (t->insn) {
			format_insn(t->insn, buf, sizeof buf);
			set(o, "insn", str(buf));
			set(o, "src_line", json_integer(t->insn->src_line));
		}
		break;
	case SS_TR_RAISE:
	case SS_TR_VISIBLE:
		if (t->cond)
			condition(o, t->cond);
		break;
	case SS_TR_LOWER:
		set(o, "line", json_integer(t->line));
		break;
	case SS_TR_INTR:
		set(o, "intr", json_string(t->intr == SS_INTR_FIQ ? "fiq" : "irq"));
		set(o, "line", json_integer(t->line));
		set(o, "asserted", json_boolean(t->value != 0));
		break;
	case SS_TR_EXCEPTION:
		if (t->exc)
			exception(o, t->exc);
		break;
	case SS_TR_ERET:
		set(o, "from_el", json_integer(t->from_el));
		set(o, "to_el", json_integer(t->to_el));
		set(o, "target", hex(t->addr));
		set(o, "illegal", json_boolean(t->illegal));
		break;
	case SS_TR_DEFER:
	case SS_TR_SYSREG:
		set(o, "reg", json_string(ss_sysregs[(unsigned)t->reg < SS_REG_COUNT ? t->reg : 0].name));
		set(o, "value", hex(t->value));
		set(o, "decoded", decoded(t->reg, t->value));
		if (t->kind == SS_TR_SYSREG)
			set(o, "old", hex(t->old));
		else
			set(o, "cond", t->cond ? json_integer(t->cond->id) : json_null());
		break;
	case SS_TR_SLEEP:
	case SS_TR_WAKE:
		break;
	case SS_TR_VMOP:
		if (t->vmop)
			vmop(o, t->vmop);
		break;
	case SS_TR_RAS:
		set(o, "record", json_integer(t->line));
		set(o, "status", hex(t->value));
		set(o, "decoded", decoded(SS_REG_ERXSTATUS_EL1, t->value));
		set(o, "old", hex(t->old));
		set(o, "serror", json_boolean(t->addr & SS_RAS_SIG_SERROR));
		set(o, "eri", json_boolean(t->addr & SS_RAS_SIG_ERI));
		set(o, "fhi", json_boolean(t->addr & SS_RAS_SIG_FHI));
		set(o, "injected", json_boolean(t->addr & SS_RAS_SIG_INJECTED));
		break;
	case SS_TR_STOP:
		set(o, "reason", json_string(ss_stop_name((enum ss_stop)t->stop)));
		set(o, "pc", hex(t->addr));
		break;
	}
	return o;
}

struct json_trace *json_trace_open(const char *path)
{
	struct json_trace *j = calloc(1, sizeof *j);
	if (!j) {
		errno = ENOMEM;
		return NULL;
	}
	if (!cli_outfile_open(&j->out, path)) {
		int e = errno;
		free(j);
		errno = e;
		return NULL;
	}
	j->f = j->out.f;
	if (j->f != stdout)
		setvbuf(j->f, j->buf, _IOFBF, sizeof j->buf);
	fputs("[", j->f);
	return j;
}

void json_trace_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct json_trace *j = ctx;
	json_t *o = event_json(pe, t);
	if (!o) {
		j->error = true;
		return;
	}
	fputs(j->n ? ",\n  " : "\n  ", j->f);
	if (json_dumpf(o, j->f, JSON_PRESERVE_ORDER) != 0)
		j->error = true;
	json_decref(o);
	j->n++;
}

bool json_trace_close(struct json_trace *j)
{
	if (!j)
		return true;
	fputs(j->n ? "\n]\n" : "]\n", j->f);
	bool ok = !j->error;
	if (!cli_outfile_close(&j->out, true))
		ok = false;
	free(j);
	return ok;
}
