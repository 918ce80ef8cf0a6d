/*
 * trace_out.h - the trace outputs of 'serrsim run' that go to files: the VCD
 * waveform (--vcd FILE, vcd.c) and the JSON event array (--trace-json FILE,
 * trace_json.c), and the set of observers (text trace, VCD, JSON) that one
 * run feeds (outputs.c).  Each output is a model observer; a run has one
 * observer, so the set fans every trace record out to all of them.
 */
#ifndef SERRSIM_TRACE_OUT_H
#define SERRSIM_TRACE_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "scenario.h"

/* --- vcd.c ------------------------------------------------------------------- */

struct vcd_writer;

/* Open FILE for writing; NULL (with errno set) when it cannot be created.
 * 'scenario' is recorded in the header comment. */
struct vcd_writer *vcd_open(const char *path, const char *scenario);

/* Observer callbacks: start writes the header and the initial values
 * ($dumpvars at the PE's cycle), notify the changes of each trace record. */
void vcd_start(void *ctx, const struct ss_pe *pe);
void vcd_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t);

/* Finish (final timestamp) and close.  When the run never started (a
 * malformed scenario) the file is removed.  False on a write error. */
bool vcd_close(struct vcd_writer *w);

/* --gtkw FILE: a GTKWave save file that opens vcd_path ('-' or NULL: no
 * dumpfile line) with the signals in named groups.  False (errno set) when
 * it cannot be written. */
bool vcd_write_gtkw(const char *path, const char *vcd_path, unsigned ras_records);

/* --- trace_json.c ---------------------------------------------------------------- */

struct json_trace;

struct json_trace *json_trace_open(const char *path);
void json_trace_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t);

/* Close the array and the file ('[]' when nothing ran).  False on a write
 * error. */
bool json_trace_close(struct json_trace *j);

/* --- outputs.c -------------------------------------------------------------------- */

#define TRACE_OUT_MAX 4

struct trace_outputs {
	struct ss_observer obs[TRACE_OUT_MAX];
	void (*start[TRACE_OUT_MAX])(void *ctx, const struct ss_pe *pe);
	size_t n;
	struct vcd_writer *vcd;
	struct json_trace *json;
	struct ss_observer fan;		/* what the run is given */
};

/*
 * Set up the outputs of one run: the text trace on 'text' (NULL: none),
 * a VCD on vcd_path, the JSON events on json_path (NULL: none).  False,
 * with a message on stderr, when a file cannot be created.
 */
bool trace_outputs_open(struct trace_outputs *to, FILE *text, const char *vcd_path,
			const char *json_path, const char *scenario);

/* The observer to pass in ss_run_options.trace (NULL when there is no
 * output) and the start hook for ss_run_options.trace_start. */
const struct ss_observer *trace_outputs_observer(struct trace_outputs *to);
void trace_outputs_start(void *ctx, const struct ss_pe *pe);

/* Close the files; false, with a message on stderr, on a write error. */
bool trace_outputs_close(struct trace_outputs *to);

#endif
