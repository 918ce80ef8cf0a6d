/*
 * json.c - the --json output of serrsim (schema "serrsim-result/1"), built
 * with jansson.  Every 64-bit value is a hex string "0x..."; counts and line
 * numbers are JSON numbers.
 */
#include "cli.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "esr.h"
#include "vcpu.h"

static json_t *hex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "0x%" PRIx64, v);
	return json_string(buf);
}

/* json_string that never fails on odd bytes: invalid UTF-8 becomes '?'. */
static json_t *text(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char buf[512];
	size_t i = 0;
	for (; s[i] && i + 1 < sizeof buf; i++)
		buf[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

static json_t *diags_json(const char *path, const struct ss_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct ss_diag *d = &r->diags.v[i];
		json_array_append_new(a, json_pack("{s:o, s:i, s:i, s:o}", "file", text(path),
						   "line", (int)d->line, "col", (int)d->col,
						   "message", text(d->msg)));
	}
	return a;
}

static json_t *expectation_json(const char *path, const struct ss_expect_result *e)
{
	json_t *o = json_pack("{s:o, s:i, s:o, s:o, s:o, s:o, s:b, s:b}", "file", text(path), "line",
			      (int)e->line, "block", text(e->block), "lhs", text(e->lhs), "op",
			      text(e->op), "rhs", text(e->rhs), "pass", e->pass, "dont_care",
			      e->dont_care);
	json_object_set_new(o, "expected", text(e->expected_text));
	json_object_set_new(o, "actual", text(e->actual_text));
	if (e->expected_decoded[0])
		json_object_set_new(o, "expected_decoded", text(e->expected_decoded));
	if (e->actual_decoded[0])
		json_object_set_new(o, "actual_decoded", text(e->actual_decoded));
	if (e->note[0])
		json_object_set_new(o, "note", text(e->note));
	return o;
}

static json_t *ledger_json(const struct ss_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nledger; i++) {
		const struct ss_condition *c = &r->ledger[i].c;
		json_t *o = json_pack("{s:i, s:o, s:o, s:s, s:b, s:i, s:o, s:o, s:s}", "id", (int)c->id,
				      "iss", hex(c->iss), "decoded", text(r->ledger[i].decoded),
				      "trigger", c->trigger == SS_LEVEL ? "level" : "edge",
				      "synchronizable", c->synchronizable, "line", (int)c->line,
				      "raised", hex(c->raised), "visible", hex(c->visible),
				      "disposition", ss_disposition_name(c->disp));
		if (c->disp == SS_DISP_TAKEN)
			json_object_set_new(o, "exception", json_integer(c->exc));
		if (c->disp == SS_DISP_DEFERRED)
			json_object_set_new(o, "deferral", json_integer(c->defer));
		if (c->disp == SS_DISP_MERGED)
			json_object_set_new(o, "merged_into", json_integer(c->merged_into));
		if (c->disp == SS_DISP_HANDED_OVER)
			json_object_set_new(o, "handed_to", json_integer(c->merged_into));
		if (c->disp == SS_DISP_LOST)
			json_object_set_new(o, "lost", text(r->ledger[i].lost));
		json_object_set_new(o, "virtual", json_boolean(c->virt));
		if (c->kind == SS_COND_SEA)	/* a synchronous External abort */
			json_object_set_new(o, "kind", json_string("sea"));
		json_object_set_new(o, "times_taken", json_integer(c->times_taken));
		json_object_set_new(o, "times_deferred", json_integer(c->times_deferred));
		if (c->record)	/* raised by a RAS error record (docs/ras-records.md) */
			json_object_set_new(o, "record", json_integer(c->record - 1));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *events_json(const struct ss_vcpu_events *ev)
{
	return json_pack("{s:b, s:b, s:o}", "pending", ev->serror_pending, "has_esr",
			 ev->serror_has_esr, "esr", hex(ev->serror_esr));
}

/* SETs and migrations (docs/cli.md "--json"). */
static json_t *vmops_json(const struct ss_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nvmops; i++) {
		const struct ss_vmop_result *v = &r->vmops[i];
		const struct ss_vmop *op = &v->op;
		json_t *o = json_pack("{s:s, s:i, s:o}", "kind",
				      op->is_get ? "get" : op->is_migration ? "migrate" : "set",
				      "line", (int)v->line, "cycle", hex(op->cycle));
		if (op->is_migration) {
			json_object_set_new(o, "host", text(v->host));
			json_object_set_new(o, "vmm", json_string(ss_vmm_name(op->vmm)));
			json_object_set_new(o, "src_ras", json_boolean(v->src.ras));
			json_object_set_new(o, "dst_ras", json_boolean(v->dst.ras));
			json_object_set_new(o, "saved", events_json(&op->saved));
			json_object_set_new(o, "refused", json_boolean(op->refused));
			json_object_set_new(o, "esr_dropped", json_boolean(op->esr_dropped));
		}
		if (op->is_get)
			json_object_set_new(o, "got", events_json(&op->got));
		else if (!op->refused) {
			json_object_set_new(o, "sent", events_json(&op->sent));
			json_object_set_new(o, "set", json_string(op->set == SS_SET_OK ? "ok" : "einval"));
			if (op->set == SS_SET_OK && op->sent.serror_pending) {
				/* what the guest will get, and KVM's choices */
				json_object_set_new(o, "iss", hex(op->iss));
				json_object_set_new(o, "made_up", json_boolean(op->made_up));
				json_object_set_new(o, "entered_el", json_integer(op->entered_el));
				json_object_set_new(o, "at_el2", json_boolean(op->at_el2));
			}
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *config_json(const struct ss_config *cfg)
{
	json_t *o = json_object();
	char buf[128];
	for (size_t i = 0; i < ss_num_knobs; i++) {
		const struct ss_knob *k = &ss_knobs[i];
		uint64_t v = ss_knob_get(cfg, k);
		json_t *j;
		switch (k->type) {
		case SS_KNOB_BOOL:
			j = json_boolean(v != 0);
			break;
		case SS_KNOB_U32:	/* a count; a syndrome is a hex string */
			j = k->max == SS_SERROR_ISS_MASK ? hex(v) : json_integer((json_int_t)v);
			break;
		case SS_KNOB_U64:	/* a 64-bit quantity: a hex string, as elsewhere */
			j = hex(v);
			break;
		default:
			ss_knob_format(cfg, k, buf, sizeof buf);
			j = text(buf);
			break;
		}
		json_object_set_new(o, k->name, j);
	}
	return o;
}

static json_t *scenario_json(const char *path, const struct ss_result *r)
{
	json_t *o = json_pack("{s:o, s:o, s:s}", "file", text(path), "name", text(r->name), "status",
			      ss_status_name(r->status));
	if (r->status == SS_STATUS_SKIP)
		return o;
	if (r->status == SS_STATUS_ERROR) {
		json_object_set_new(o, "errors", diags_json(path, r));
		return o;
	}
	json_object_set_new(o, "stop", json_string(ss_stop_name(r->stop)));
	json_object_set_new(o, "cycles", hex(r->cycles));
	json_object_set_new(o, "instructions", hex(r->insns));
	json_object_set_new(o, "exceptions", json_integer(r->exceptions));
	json_object_set_new(o, "deferrals", json_integer(r->deferrals));
	json_object_set_new(o, "config", config_json(&r->cfg));
	json_t *exps = json_array();
	for (size_t i = 0; i < r->nexp; i++)
		json_array_append_new(exps, expectation_json(path, &r->exp[i]));
	json_object_set_new(o, "expectations", exps);
	json_object_set_new(o, "ledger", ledger_json(r));
	json_t *counts = json_object();
	for (int d = 0; d < SS_DISP_COUNT; d++) {
		size_t k = 0;
		for (size_t i = 0; i < r->nledger; i++)
			k += r->ledger[i].c.disp == (enum ss_disposition)d;
		json_object_set_new(counts, ss_disposition_name((enum ss_disposition)d),
				    json_integer((json_int_t)k));
	}
	json_object_set_new(o, "ledger_counts", counts);
	if (r->nvmops)
		json_object_set_new(o, "vmops", vmops_json(r));
	if (r->nnot_applicable)
		json_object_set_new(o, "other_policy_expectations",
				    json_integer((json_int_t)r->nnot_applicable));
	if (r->variants) {
		json_object_set_new(o, "variant", json_integer((json_int_t)r->variant));
		json_object_set_new(o, "variants", json_integer(r->variants > INT64_MAX
									? INT64_MAX
									: (json_int_t)r->variants));
		json_object_set_new(o, "variant_values", text(r->variant_label));
	}
	if (r->ledger_error[0])
		json_object_set_new(o, "ledger_error", text(r->ledger_error));
	return o;
}

/* The document is written piece by piece, as json_dumpf would write it
 * whole with JSON_INDENT(2) | JSON_PRESERVE_ORDER: each scenario object is
 * dumped on its own and indented to its depth (2: JSON strings hold no raw
 * newline, so every newline of a dump starts a line). */
bool cli_json_begin(FILE *out)
{
	json_t *v = json_string(SERRSIM_VERSION);
	char *vs = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;
	json_decref(v);
	if (!vs)
		return false;
	fprintf(out, "{\n  \"schema\": \"serrsim-result/1\",\n  \"tool\": {\n    \"name\": \"serrsim\",\n"
		"    \"version\": %s\n  },\n  \"scenarios\": [", vs);
	free(vs);
	return !ferror(out);
}

bool cli_json_result(FILE *out, size_t i, const char *path, const struct ss_result *r)
{
	json_t *o = scenario_json(path, r);
	char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	if (!s)
		return false;
	fputs(i ? ",\n    " : "\n    ", out);
	for (const char *p = s, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, (size_t)(nl - p), out);
		fputs("\n    ", out);
	}
	free(s);
	return !ferror(out);
}

bool cli_json_end(FILE *out, size_t n, size_t passed, size_t failed, size_t skipped)
{
	fprintf(out, "%s],\n  \"summary\": {\n    \"passed\": %d,\n    \"failed\": %d,\n"
		"    \"skipped\": %d\n  }\n}\n", n ? "\n  " : "", (int)passed, (int)failed,
		(int)skipped);
	return !ferror(out);
}

bool cli_json_emit(FILE *out, json_t *root)
{
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return rc == 0;
}
