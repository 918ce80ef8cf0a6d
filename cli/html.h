/*
 * html.h - self-contained HTML reports (inline CSS and SVG, no script, no
 * external resource): the timeline of one run ('serrsim run --html FILE')
 * and the tables of 'explore --html FILE' and 'migrate-matrix --html FILE'.
 */
#ifndef SERRSIM_HTML_H
#define SERRSIM_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include "scenario.h"
#include "trace_out.h"

/* --- run --html: the timeline ------------------------------------------------------- */

/* At most this many marks (exceptions, ERETs, ESBs, SETs, migrations) and
 * SErrors are drawn; the page says how many more the run had. */
#define HTML_MAX_MARKS 4000
#define HTML_MAX_SERRORS 2000

struct html_run;

/* Create the page's temporary file (cli_outfile) and add its observer to
 * the run's outputs; NULL, with a message on stderr, when it cannot. */
struct html_run *html_run_attach(struct trace_outputs *to, const char *path);

/* Write the page from what the observer saw and the run's result, then
 * rename it over 'path' (a malformed scenario leaves 'path' as it was).
 * False, with a message on stderr, on a write error. */
bool html_run_close(struct html_run *h, const char *scenario_path, const struct ss_result *res);

/* --- tables (explore, migrate-matrix) ------------------------------------------------- */

enum html_cell_kind {
	HTML_CELL,		/* plain */
	HTML_CELL_NA,		/* not applicable */
	HTML_CELL_DIFFER,	/* differs from the rest of its row */
	HTML_CELL_FAIL,		/* an expectation failed */
	HTML_CELL_GOOD,		/* a favourable verdict */
	HTML_CELL_BAD,		/* an unfavourable verdict */
};

struct html_cell {
	const char *text;
	const char *title;	/* hover text, or NULL */
	enum html_cell_kind kind;
};

/* The page head (title, heading, one paragraph of introduction). */
void html_page_begin(FILE *f, const char *title, const char *intro);
/* A paragraph; cls is a CSS class ("summary", "legend", "note") or NULL. */
void html_paragraph(FILE *f, const char *cls, const char *text);
void html_table_begin(FILE *f, const char *id, const char *const *headers, size_t n);
/* One row; 'differ' marks the whole row (policies disagree). */
void html_table_row(FILE *f, bool differ, const struct html_cell *cells, size_t n);
void html_table_end(FILE *f);
void html_page_end(FILE *f);

/* Text with &, <, >, " escaped. */
void html_text(FILE *f, const char *s);

#endif
