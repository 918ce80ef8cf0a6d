/*
 * template.h - scenario templates (template.c): brace variables that expand
 * one scenario file into many variants, for 'serrsim explore --enumerate'.
 */
#ifndef SERRSIM_SCENARIO_TEMPLATE_H
#define SERRSIM_SCENARIO_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

#define TMPL_NAME 32		/* longest variable name + 1 */
#define TMPL_MAX_VARS 16	/* variables in one template */

struct tmpl_var {
	char name[TMPL_NAME];
	char **values;		/* as text, substituted verbatim */
	size_t nvalues, cap;
	unsigned line, col;	/* of the declaration */
};

/* The text cut into literal pieces and variable uses, in order. */
struct tmpl_seg {
	size_t off, len;	/* in the original text */
	int var;		/* -1: literal */
};

struct tmpl {
	struct tmpl_var *var;
	size_t nvar, varcap;
	struct tmpl_seg *seg;
	size_t nseg, segcap;
};

/* Find the variables; errors into d.  nvar == 0: not a template. */
bool scn_tmpl_parse(const char *text, size_t len, struct tmpl *t, struct ss_diags *d);
void scn_tmpl_free(struct tmpl *t);

/* Number of variants (the product of the value counts), saturating. */
uint64_t scn_tmpl_variants(const struct tmpl *t);

/* The text of variant k (malloc'd, NUL-terminated), or NULL without memory. */
char *scn_tmpl_instantiate(const struct tmpl *t, const char *text, uint64_t k, size_t *len);

/* "t1=0 a1=UER" for variant k. */
void scn_tmpl_label(const struct tmpl *t, uint64_t k, char *buf, size_t len);

/* --- for the variant runner (variant.c), from run.c --------------------------------------- */

struct scn;
struct ast;

/* Run a scenario's text (no template expansion). */
enum ss_status scn_run_instance(const char *text, size_t len, const struct ss_run_options *opt,
				struct ss_result *res);
/* After scn_load succeeded: run, judge and fill *res. */
enum ss_status scn_run_loaded(struct scn *s, const struct ss_run_options *opt,
			      struct ss_result *res);
/* The header values and event kinds of a parsed file into *res. */
void scn_result_meta(const struct ast *ast, struct ss_result *res);
/* Sort the diagnostics, status error. */
enum ss_status scn_result_errors(struct ss_result *res);

#endif
