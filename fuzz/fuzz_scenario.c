/*
 * fuzz_scenario.c - libFuzzer target for the scenario library: the bytes are
 * a scenario file, handed to ss_scenario_run_text (parser, checker,
 * assembler and, when all of that succeeds, the runner and the evaluator).
 * A max_cycles override caps every run so that each input is fast; the
 * result is then walked so that every text the library filled is read.
 * Odd-length inputs also run with an extra trace observer; a template also
 * runs one more of its variants.
 *
 * Build and run: fuzz/run.sh SECONDS (docs/testing.md).  Replay one input:
 *   build-fuzz/fuzz/fuzz_scenario path/to/crash-file
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scenario.h"

/* Large enough for a handful of exceptions and deferrals, small enough that
 * an input with a tight loop still runs in well under a millisecond. */
#define FUZZ_MAX_CYCLES "2000"

static volatile size_t sink;

static void touch(const char *s, size_t cap)
{
	sink += strnlen(s, cap);
}

/* An extra observer, as --trace would add: reads every trace record. */
static void notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	(void)ctx;
	sink += t->kind + pe->cycle;
	if (t->insn)
		sink += t->insn->addr;
	if (t->cond)
		sink += t->cond->iss;
	if (t->exc)
		sink += t->exc->esr;
	if (t->vmop)
		sink += t->vmop->set;
}

static void walk(const struct ss_result *res);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ss_knob_override cap[] = {
		{ "max_cycles", FUZZ_MAX_CYCLES },
	};
	static const struct ss_observer trace = { .notify = notify };
	struct ss_run_options opt = { .overrides = cap, .noverrides = 1 };
	static struct ss_result res;

	/* With the extra observer on every other input (by length), so that
	 * both the plain run and the traced one are fuzzed. */
	if (size & 1)
		opt.trace = &trace;
	ss_scenario_run_text("fuzz.scn", (const char *)data, size, &opt, &res);
	uint64_t variants = res.variants;
	walk(&res);
	ss_result_free(&res);

	/* A template: also one more of its variants, chosen by the input. */
	if (variants > 1) {
		uint64_t h = 1469598103934665603u;
		for (size_t i = 0; i < size; i++)
			h = (h ^ data[i]) * 1099511628211u;
		opt.variant = 1 + h % (variants - 1);
		ss_scenario_run_text("fuzz.scn", (const char *)data, size, &opt, &res);
		walk(&res);
		ss_result_free(&res);
	}
	return 0;
}

static void walk(const struct ss_result *res)
{
	char line[SS_DIAG_MSG + 256];
	for (size_t i = 0; i < res->diags.n; i++) {
		size_t n = ss_diag_format("fuzz.scn", &res->diags.v[i], line, sizeof line);
		sink += n;
	}
	touch(res->name, sizeof res->name);
	touch(res->description, sizeof res->description);
	touch(res->tags, sizeof res->tags);
	sink += ss_result_has_tag(res, "fuzz");
	for (size_t i = 0; i < res->nexp; i++) {
		const struct ss_expect_result *e = &res->exp[i];
		touch(e->block, sizeof e->block);
		touch(e->lhs, sizeof e->lhs);
		touch(e->rhs, sizeof e->rhs);
		touch(e->expected_text, sizeof e->expected_text);
		touch(e->actual_text, sizeof e->actual_text);
		touch(e->expected_decoded, sizeof e->expected_decoded);
		touch(e->actual_decoded, sizeof e->actual_decoded);
		touch(e->note, sizeof e->note);
	}
	for (size_t i = 0; i < res->nledger; i++)
		touch(res->ledger[i].decoded, sizeof res->ledger[i].decoded);
	touch(res->ledger_error, sizeof res->ledger_error);
	touch(res->variant_label, sizeof res->variant_label);
}
