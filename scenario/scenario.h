/*
 * scenario.h - the public interface of the scenario library: load a scenario
 * file (docs/scenario-format.md), run it on the model, and get the results
 * back as plain data.  Nothing here prints or exits; every problem with the
 * input is a diagnostic (file:line:col: message) in the result.
 */
#ifndef SERRSIM_SCENARIO_H
#define SERRSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "hyp.h"
#include "pe.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SS_DIAG_MSG 400		/* longest diagnostic message */
#define SS_MAX_DIAGS 100	/* diagnostics kept per file */
#define SS_MAX_FILE (4u << 20)	/* largest scenario file accepted */
#define SS_MAX_EXPECTS 65536u	/* expectations in one scenario (each result keeps
				 * about 1 KiB of text) */
#define SS_MAX_LINE 4096	/* longest line accepted */

/* --- diagnostics ---------------------------------------------------------- */

struct ss_diag {
	unsigned line, col;	/* 1-based; line 0 means "the file as a whole" */
	char msg[SS_DIAG_MSG];
};

struct ss_diags {
	struct ss_diag v[SS_MAX_DIAGS];
	size_t n;
	size_t dropped;		/* errors beyond SS_MAX_DIAGS */
};

/* Add an error (printf-style message). */
void ss_diag_add(struct ss_diags *d, unsigned line, unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Sort by position (stable), so the first error is the earliest one. */
void ss_diag_sort(struct ss_diags *d);

/* "file:line:col: error: message" into buf; returns the length needed. */
size_t ss_diag_format(const char *file, const struct ss_diag *dg, char *buf, size_t len);

/* --- results -------------------------------------------------------------- */

enum ss_status { SS_STATUS_PASS, SS_STATUS_FAIL, SS_STATUS_ERROR, SS_STATUS_SKIP };

const char *ss_status_name(enum ss_status s);

#define SS_TEXT 96		/* expression and value texts in results */
#define SS_DECODED 320		/* field-by-field decodings in results */

/* One checked expectation (or an implicit check: stop reason, ledger). */
struct ss_expect_result {
	unsigned line, col;		/* of the expectation; 0 for implicit ones */
	char block[80];			/* "expect", "exception 2", "cycle 100", with
					 * " policy=NAME" when qualified */
	char lhs[SS_TEXT];		/* as written, normalised spacing */
	char op[4];			/* "==" or "!=" */
	char rhs[SS_TEXT];		/* as written */
	bool pass;
	bool dont_care;			/* RHS was '*' */
	bool has_values;		/* expected/actual are numbers */
	uint64_t expected, actual;
	char expected_text[SS_TEXT];	/* "0x2f", "vserror", ... */
	char actual_text[SS_TEXT];
	char expected_decoded[SS_DECODED];	/* field by field, or "" */
	char actual_decoded[SS_DECODED];
	char note[SS_TEXT];		/* why there is no actual value, etc. */
};

/* One physical SError condition as the ledger recorded it. */
struct ss_ledger_entry {
	struct ss_condition c;
	char decoded[SS_DECODED];	/* the syndrome field by field */
	const char *lost;		/* SS_DISP_LOST: why it was lost (static text), else NULL */
};

/* One KVM_SET_VCPU_EVENTS or migration as the run did it. */
struct ss_vmop_result {
	struct ss_vmop op;
	char host[64];			/* migration: the destination ([host NAME] or "line N") */
	struct ss_config src;		/* the host it ran on before */
	struct ss_config dst;		/* migration: the destination (the guest stays on src
					 * when refused); SET: src */
	unsigned line;			/* the [events] line */
	bool masked;			/* PSTATE.A of the guest when it happened */
	unsigned el;			/* PSTATE.EL when it happened */
};

struct ss_result {
	char name[SS_TEXT];		/* scenario: header */
	char description[256];
	char tags[256];
	char profile[64];		/* the profile applied ("" none) */
	char profile_note[192];		/* "" or why the header's profile was not applied */
	enum ss_status status;
	struct ss_diags diags;		/* errors: status is SS_STATUS_ERROR */

	struct ss_config cfg;		/* the configuration the run used */

	/* A template (docs/scenario-format.md): how many variants it has (0 for
	 * a plain scenario), which one ran, and its values ("t1=0 a1=UER"). */
	uint64_t variants, variant;
	unsigned template_line, template_col;	/* where its first variable is declared */
	char variant_label[256];

	/* What the policy explorer needs to know (filled once parsed). */
	bool has_pserror_events;	/* [events] has 'serror' or 'error' */
	bool has_vserror_events;	/* [events] has 'vserror' */
	const struct ss_knob *qualified[4];	/* knobs named by policy qualifiers */
	size_t nqualified;
	enum ss_stop stop;
	uint64_t stop_arg;
	uint64_t cycles, insns;
	uint32_t exceptions;
	uint32_t deferrals;

	struct ss_expect_result *exp;	/* in file order, implicit checks last */
	size_t nexp, nfail;
	size_t nnot_applicable;		/* expectations for another policy, not evaluated */

	struct ss_ledger_entry *ledger;
	size_t nledger;
	char ledger_error[SS_TEXT];	/* "" when the invariant holds */

	struct ss_vmop_result vmops[SS_MAX_VMOPS];	/* set_events / migrate, in order */
	size_t nvmops;
	bool has_vm_events;		/* [events] has 'set_events' or 'migrate' */

	/* The final-state condition ([exists] or [forall], as herd7's): the
	 * quantifier (0 none, 1 exists, 2 forall) and whether this run's final
	 * state satisfies it (every line holds).  Not an expectation: it does
	 * not make the run fail; explore counts the runs that satisfy it. */
	int condition;
	bool condition_holds;
};

/* --- running ---------------------------------------------------------------- */

struct ss_knob_override {
	const char *name;
	const char *value;
};

struct ss_run_options {
	const struct ss_knob_override *overrides;	/* applied after [cpu] */
	size_t noverrides;
	/* The profile -P named (its knobs are among the overrides): a
	 * scenario's 'profile:' header line is then not applied.  NULL: the
	 * header's profile, if any, is applied before [cpu]. */
	const char *profile;
	const struct ss_observer *trace;	/* extra observer (may be NULL) */
	/* Called with trace->ctx once the PE is set up, before the first step
	 * (a waveform's initial values); may be NULL. */
	void (*trace_start)(void *ctx, const struct ss_pe *pe);
	/* Run the PE instead of the built-in loop (e.g. through the SystemC
	 * wrapper): called once with the hypervisor (its hosts and host
	 * events), the PE set up (events scheduled) and the runner's observer,
	 * which must be passed to every ss_hyp_run_until (or ss_step with
	 * ss_hyp_handle_exit); it returns when the PE has stopped.  NULL:
	 * ss_hyp_run. */
	void (*drive)(void *ctx, struct ss_hyp *hyp, struct ss_pe *pe,
		      const struct ss_observer *obs);
	void *drive_ctx;
	bool parse_only;			/* stop after the header check */
	bool skip_vm_events;			/* check 'set_events' and 'migrate' but do not
						 * schedule them (the guest stays on its first
						 * host: the reference run of migrate-matrix) */
	unsigned keep_sets_before;		/* with skip_vm_events: 'set_events' on a line
						 * before this one are scheduled all the same
						 * (the SETs before a migration; 0: none) */
	uint64_t variant;			/* a template's variant to run (0: the first) */
};

/* The largest number of variants 'serrsim explore --enumerate' expands. */
#define SS_TEMPLATE_MAX_VARIANTS 100000u

/*
 * Load, check, assemble and run one scenario file; fill *res (which the
 * caller releases with ss_result_free).  Returns the status.  The text
 * variant takes the file contents directly (for tests and fuzzing); 'file'
 * is then only used as a name.
 */
enum ss_status ss_scenario_run_file(const char *path, const struct ss_run_options *opt,
				    struct ss_result *res);
enum ss_status ss_scenario_run_text(const char *file, const char *text, size_t len,
				    const struct ss_run_options *opt, struct ss_result *res);

/*
 * Many variants of one template (docs/scenario-format.md, "Templates"):
 * ss_variants_run gives exactly what ss_scenario_run_text gives for the
 * same text and options (opt->variant says which variant), without reading
 * the whole text again for each.  Not a template: every run reads it whole.
 * One object is used by one thread at a time.
 */
struct ss_variants;
struct ss_variants *ss_variants_new(const char *file, const char *text, size_t len);
enum ss_status ss_variants_run(struct ss_variants *v, const struct ss_run_options *opt,
			       struct ss_result *res);
/* The number of variants (0: not a template), and the values of variant k
 * ("t1=0 a1=UER", as ss_result.variant_label). */
uint64_t ss_variants_count(const struct ss_variants *v);
void ss_variants_label(const struct ss_variants *v, uint64_t k, char *buf, size_t len);
void ss_variants_free(struct ss_variants *v);

/* Read a scenario file whole (at most SS_MAX_FILE bytes; malloc'd), or NULL
 * with a diagnostic. */
char *ss_scenario_read_file(const char *path, size_t *len, struct ss_diags *d);

void ss_result_init(struct ss_result *res);
void ss_result_free(struct ss_result *res);

/* True when the scenario's tags: line holds the word (case-insensitive). */
bool ss_result_has_tag(const struct ss_result *res, const char *tag);

/* Parse a number as scenario files write it (decimal, 0x.., 0b.., '_'
 * separators; at most 64 bits).  NULL on success, else a message. */
const char *ss_parse_number(const char *s, uint64_t *out);

/* Check an override as the runner would apply it: NULL or a message. */
const char *ss_override_check(const struct ss_knob_override *o);

#ifdef __cplusplus
}
#endif

#endif
