/*
 * outputs.c - the trace outputs of one 'serrsim run': the text trace
 * (--trace), the VCD waveform (--vcd FILE) and the JSON events
 * (--trace-json FILE), all fed by the same run through one fan-out observer.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "trace_out.h"

static void fan_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	const struct trace_outputs *to = ctx;
	for (size_t i = 0; i < to->n; i++)
		to->obs[i].notify(to->obs[i].ctx, pe, t);
}

void trace_outputs_start(void *ctx, const struct ss_pe *pe)
{
	const struct trace_outputs *to = ctx;
	for (size_t i = 0; i < to->n; i++)
		if (to->start[i])
			to->start[i](to->obs[i].ctx, pe);
}

static void add(struct trace_outputs *to, struct ss_observer o,
		void (*start)(void *ctx, const struct ss_pe *pe))
{
	to->obs[to->n] = o;
	to->start[to->n] = start;
	to->n++;
}

bool trace_outputs_open(struct trace_outputs *to, FILE *text, const char *vcd_path,
			const char *json_path, const char *scenario)
{
	memset(to, 0, sizeof *to);
	if (text)
		add(to, trace_printer(text), NULL);
	if (vcd_path) {
		to->vcd = vcd_open(vcd_path, scenario);
		if (!to->vcd) {
			fprintf(stderr, "serrsim: cannot create '%s': %s\n", vcd_path, strerror(errno));
			return false;
		}
		add(to, (struct ss_observer){ .notify = vcd_notify, .ctx = to->vcd }, vcd_start);
	}
	if (json_path) {
		to->json = json_trace_open(json_path);
		if (!to->json) {
			fprintf(stderr, "serrsim: cannot create '%s': %s\n", json_path, strerror(errno));
			vcd_close(to->vcd);
			to->vcd = NULL;
			return false;
		}
		add(to, (struct ss_observer){ .notify = json_trace_notify, .ctx = to->json }, NULL);
	}
	to->fan = (struct ss_observer){ .notify = fan_notify, .ctx = to };
	return true;
}

const struct ss_observer *trace_outputs_observer(struct trace_outputs *to)
{
	return to->n ? &to->fan : NULL;
}

bool trace_outputs_close(struct trace_outputs *to)
{
	bool ok = true;
	/* Each close names its file on stderr when writing it failed. */
	if (to->vcd && !vcd_close(to->vcd))
		ok = false;
	if (to->json && !json_trace_close(to->json))
		ok = false;
	to->vcd = NULL;
	to->json = NULL;
	to->n = 0;
	return ok;
}
