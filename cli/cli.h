/*
 * cli.h - pieces of the serrsim command-line tool shared between its files:
 * text reports, the trace printer, JSON output, finding scenario files and
 * running them in parallel.
 */
#ifndef SERRSIM_CLI_H
#define SERRSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scenario.h"

#ifndef SERRSIM_VERSION
#define SERRSIM_VERSION "unknown"
#endif

/* Exit statuses (documented in --help and docs/cli.md). */
enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

/* --- main.c ------------------------------------------------------------------ */

/* The serrsim command: argv as main receives it; returns the exit status. */
int serrsim_cli_main(int argc, char **argv);

/* --- report.c ---------------------------------------------------------------- */

/* Print the diagnostics of a result to 'out' as file:line:col: error: ... */
void print_diags(FILE *out, const char *path, const struct ss_result *r);

/* Full report of one run (serrsim run). */
void print_run_report(FILE *out, const char *path, const struct ss_result *r);

/* One line per scenario plus its failures (serrsim check). */
void print_check_line(FILE *out, const char *path, const struct ss_result *r);

/* "N passed, N failed[, N skipped]". */
void print_summary(FILE *out, size_t passed, size_t failed, size_t skipped);

/* An instruction as assembly text. */
void format_insn(const struct ss_insn *in, char *buf, size_t len);

/* An observer that prints one line per trace event to a FILE. */
struct ss_observer trace_printer(FILE *out);

/* --- json.c ---------------------------------------------------------------------- */

/* Write a JSON document (indented, keys in insertion order) and a newline,
 * then release it; false if writing failed. */
struct json_t;
bool cli_json_emit(FILE *out, struct json_t *root);

/* One JSON document with every result, written as the results come:
 * cli_json_begin, cli_json_result for result i (0-based), cli_json_end with the
 * counts; false if writing failed. */
bool cli_json_begin(FILE *out);
bool cli_json_result(FILE *out, size_t i, const char *path, const struct ss_result *r);
bool cli_json_end(FILE *out, size_t n, size_t passed, size_t failed, size_t skipped);

/* --- files.c ---------------------------------------------------------------------- */

struct path_list {
	char **v;
	size_t n, cap;
};

/* Add FILE (a regular file), or every *.scn under DIR (recursively, sorted
 * by path; each directory searched once).  False with a message on stderr
 * when a path cannot be read, is neither a regular file nor a directory, or
 * is a directory with no scenario in it. */
bool collect_paths(struct path_list *pl, const char *path);
void sort_paths(struct path_list *pl);
void free_paths(struct path_list *pl);

/* Called once per path, in path order, one call at a time, with its result
 * (released after the call unless the callee takes it: it then leaves *r
 * as ss_result_init does) and its wall-clock time in seconds. */
typedef void (*cli_result_fn)(void *ctx, size_t i, struct ss_result *r, double secs);

/* Run every path (in up to 'jobs' threads), each result handed to emit as
 * soon as every earlier path's has been (at most a few results per thread
 * are held).  With 'selected', a path not selected does not run: its
 * result is SKIP (or ERROR when it does not parse), its time 0.  False
 * without memory (nothing ran). */
bool run_stream(const struct path_list *pl, const struct ss_run_options *opt, unsigned jobs,
		const bool *selected, cli_result_fn emit, void *ctx);

/* --- testfmt.c --------------------------------------------------------------------- */

/* TAP version 13 (as the Linux kselftests print it): a plan line, then 'ok
 * N - name' or 'not ok N - name' with a YAML block naming each failed
 * expectation and both values.  tap_begin prints the plan for n results,
 * tap_result result i (0-based) as it comes. */
void tap_begin(FILE *out, size_t n);
void tap_result(FILE *out, size_t i, const char *path, const struct ss_result *r, double secs);

/* JUnit XML: one testcase per scenario with its time, one failure per
 * failed expectation.  junit_testcase writes one testcase element;
 * junit_write puts the header (the counts and the total time) and the
 * testcases written to 'cases' (read from its start) into 'out'; false on
 * a read or write error. */
void junit_testcase(FILE *out, const char *path, const struct ss_result *r, double secs);
bool junit_write(FILE *out, FILE *cases, size_t tests, size_t failures, size_t errors,
		 size_t skipped, double total);

/* --- outfile.c ------------------------------------------------------------------------ */

/* An output file: written to a temporary file beside 'path' and renamed
 * over it on a successful close; "-" is standard output. */
struct cli_outfile {
	FILE *f;
	const char *path;	/* the destination (kept by the caller) */
	char *tmp;		/* the temporary file, or NULL for stdout */
};

/* Open; false with errno set when the temporary file cannot be made. */
bool cli_outfile_open(struct cli_outfile *o, const char *path);

/* cli_outfile_open, with "cannot create" and the reason on stderr when it
 * fails. */
bool cli_outfile_create(struct cli_outfile *o, const char *path);

/* Finish: with keep, the complete file replaces the destination; without,
 * the destination is left as it was.  False, with a message naming the
 * output on stderr, on a write error. */
bool cli_outfile_close(struct cli_outfile *o, bool keep);

/* True when a and b name the same file (existing or to be created). */
bool cli_same_path(const char *a, const char *b);

/* --- explore.c ------------------------------------------------------------------------ */

/* serrsim explore ARGS (argv[0] is "explore"); returns the exit status. */
int cmd_explore(int argc, char **argv);

/* An SError ISS in a few characters, names from the sysreg table: UER,
 * UEU+EA, UER+IESB, IMPDEF, IMPDEF:0x42, Uncat(0), ISS:0x... */
void cli_short_iss(uint32_t iss, char *buf, size_t len);

/* One CSV field (RFC 4180 quoting), then ',' or, for the last, a newline. */
void cli_csv_field(FILE *out, const char *s, bool last);

/* A command-line value for a message: itself, or its first characters and
 * its length when it is long (static storage: one per message). */
const char *cli_clip(const char *s);

/* Flush standard output; on a write error say so on stderr and return
 * EXIT_INTERNAL, else rc.  Every command's status passes through it. */
int cli_finish_stdout(int rc);

/* -D KNOB=VALUE: check it and append it to *ov (reports errors on stderr). */
bool cli_add_define(struct ss_knob_override **ov, size_t *nov, char *arg);

/* --- matrix.c ------------------------------------------------------------------------- */

/* serrsim migrate-matrix ARGS (argv[0] is "migrate-matrix"); returns the exit status. */
int cmd_migrate_matrix(int argc, char **argv);

#endif
