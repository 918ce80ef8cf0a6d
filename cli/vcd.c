/*
 * vcd.c - 'serrsim run --vcd FILE': the run as an IEEE 1364 value change
 * dump, readable by GTKWave and other VCD tools.
 *
 * One time unit is one PE cycle ($timescale 1ns: a cycle is drawn as 1 ns).
 * The writer is a model observer: at every trace record it samples the PE
 * and writes the signals that changed, stamped with the record's cycle.
 * Times are strictly increasing, as VCD requires; several records in one
 * cycle give one timestamp with the last value of each signal.
 *
 * exc_taken is a strobe: 1 from the cycle of an exception entry to the next
 * cycle.  Two entries in the same cycle (exception_entry = 0 and an implicit
 * ESB taking a second SError) or in consecutive cycles give one pulse; the
 * counter exc_count (the number of the last exception) still shows each
 * entry, and exc_vector holds the vector of the last one.  set_event and
 * migration are strobes of the same kind for the host's operations (a KVM
 * SET_VCPU_EVENTS, a migration, hyp/hyp.h), vmop_count counts them and host
 * is the index of the host the guest runs on after the last one.  VDISR_EL2,
 * VSESR_EL2, DISR_EL1 and ISR_EL1 (as read at EL1 now, ss_isr_el1) show an
 * ESB's deferral and the virtual SError's syndrome; irq_lines and fiq_lines
 * the physical interrupt lines asserted (model/irq.c).  A scenario with RAS
 * error records (ras_records > 0) adds ERRSELR_EL1, ERR<n>STATUS of each
 * record (RAS spec, the error record registers; the ERXSTATUS_EL1 view of record n) and the strobe
 * ras_error (a node recorded an error, SS_TR_RAS); without records these
 * signals are not declared.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_out.h"
#include "vcpu.h"

enum sig {
	SIG_EL, SIG_SP, SIG_A, SIG_VSE, SIG_AMO, SIG_TGE, SIG_EA, SIG_PENDING, SIG_IN_FLIGHT,
	SIG_VPENDING, SIG_EXC_TAKEN, SIG_EXC_VECTOR, SIG_EXC_COUNT, SIG_ESR_EL1, SIG_ESR_EL2,
	SIG_DISR_EL1, SIG_PC, SIG_ASLEEP, SIG_UNSYNCED, SIG_VDISR_EL2, SIG_VSESR_EL2, SIG_ISR_EL1,
	SIG_SET, SIG_MIGRATION, SIG_VMOP_COUNT, SIG_HOST, SIG_IRQ_LINES, SIG_FIQ_LINES,
	/* Declared only with error records; the records last, as many as declared. */
	SIG_RAS_ERROR, SIG_ERRSELR, SIG_ERRSTATUS0,
	SIG_COUNT = SIG_ERRSTATUS0 + SS_RAS_MAX_RECORDS
};
#define SIG_BASE SIG_RAS_ERROR	/* the signals of every run */

static const struct {
	const char *name;
	unsigned width;
	const char *what;
} sigs[SIG_COUNT] = {	/* in the order of the GTKWave groups (groups[]) */
	[SIG_EL] = { "PSTATE_EL", 2, "current exception level" },
	[SIG_SP] = { "PSTATE_SP", 1, "stack pointer select" },
	[SIG_A] = { "PSTATE_A", 1, "SError mask" },
	[SIG_VSE] = { "HCR_EL2_VSE", 1, "virtual SError pending (register)" },
	[SIG_AMO] = { "HCR_EL2_AMO", 1, "SError routing to EL2 (register)" },
	[SIG_TGE] = { "HCR_EL2_TGE", 1, "trap general exceptions (register)" },
	[SIG_EA] = { "SCR_EL3_EA", 1, "SError routing to EL3 (register)" },
	[SIG_PENDING] = { "pending", 11, "physical SError conditions pending at the PE" },
	[SIG_IN_FLIGHT] = { "in_flight", 11, "physical SError conditions still propagating" },
	[SIG_VPENDING] = { "vserror_pending", 1, "a virtual SError is pending and enabled" },
	[SIG_EXC_TAKEN] = { "exc_taken", 1, "strobe: an exception entry in this cycle" },
	[SIG_EXC_VECTOR] = { "exc_vector", 64, "vector address of the last exception" },
	[SIG_EXC_COUNT] = { "exc_count", 32, "number of the last exception (1, 2, ...)" },
	[SIG_ESR_EL1] = { "ESR_EL1", 64, "" },
	[SIG_ESR_EL2] = { "ESR_EL2", 64, "" },
	[SIG_DISR_EL1] = { "DISR_EL1", 64, "" },
	[SIG_PC] = { "pc", 64, "address of the instruction started in this cycle (last one)" },
	[SIG_ASLEEP] = { "asleep", 1, "in WFI low-power state" },
	[SIG_UNSYNCED] = { "sysreg_unsynced", 1,
			   "an MSR to HCR_EL2/SCR_EL3 not yet seen by sampling (sysreg_sync)" },
	[SIG_VDISR_EL2] = { "VDISR_EL2", 64, "" },
	[SIG_VSESR_EL2] = { "VSESR_EL2", 64, "" },
	[SIG_ISR_EL1] = { "ISR_EL1", 64, "as an MRS at EL1 would read it now" },
	[SIG_SET] = { "set_event", 1, "strobe: a KVM SET_VCPU_EVENTS (not a migration's)" },
	[SIG_MIGRATION] = { "migration", 1, "strobe: a migration (or a refused one)" },
	[SIG_VMOP_COUNT] = { "vmop_count", 32, "number of SETs and migrations so far" },
	[SIG_HOST] = { "host", 8, "index of the host the guest runs on (0: the first)" },
	[SIG_IRQ_LINES] = { "irq_lines", 64, "physical IRQ lines asserted (bit N: line N)" },
	[SIG_FIQ_LINES] = { "fiq_lines", 64, "physical FIQ lines asserted (bit N: line N)" },
	[SIG_RAS_ERROR] = { "ras_error", 1, "strobe: a RAS node recorded an error" },
	[SIG_ERRSELR] = { "ERRSELR_EL1", 64, "" },
	[SIG_ERRSTATUS0 + 0] = { "ERR0STATUS", 64, "" },
	[SIG_ERRSTATUS0 + 1] = { "ERR1STATUS", 64, "" },
	[SIG_ERRSTATUS0 + 2] = { "ERR2STATUS", 64, "" },
	[SIG_ERRSTATUS0 + 3] = { "ERR3STATUS", 64, "" },
	[SIG_ERRSTATUS0 + 4] = { "ERR4STATUS", 64, "" },
	[SIG_ERRSTATUS0 + 5] = { "ERR5STATUS", 64, "" },
	[SIG_ERRSTATUS0 + 6] = { "ERR6STATUS", 64, "" },
	[SIG_ERRSTATUS0 + 7] = { "ERR7STATUS", 64, "" },
};
_Static_assert(SS_RAS_MAX_RECORDS == 8, "one ERR<n>STATUS signal per record");

/* The groups of a GTKWave save file (--gtkw), each a run of signals; the
 * RAS group's signals are those the VCD declares (nsig). */
static const struct {
	const char *name;
	enum sig sig[SS_RAS_MAX_RECORDS + 2];
	unsigned n;
} groups[] = {
	{ "PSTATE", { SIG_EL, SIG_SP, SIG_A }, 3 },
	{ "Routing controls", { SIG_AMO, SIG_TGE, SIG_EA, SIG_VSE, SIG_UNSYNCED }, 5 },
	{ "SError state", { SIG_PENDING, SIG_IN_FLIGHT, SIG_VPENDING, SIG_ISR_EL1 }, 4 },
	{ "Exceptions", { SIG_EXC_TAKEN, SIG_EXC_VECTOR, SIG_EXC_COUNT }, 3 },
	{ "Syndromes", { SIG_ESR_EL1, SIG_ESR_EL2, SIG_DISR_EL1, SIG_VDISR_EL2, SIG_VSESR_EL2 }, 5 },
	{ "Host operations", { SIG_SET, SIG_MIGRATION, SIG_VMOP_COUNT, SIG_HOST }, 4 },
	{ "Execution", { SIG_PC, SIG_ASLEEP }, 2 },
	{ "Physical IRQ and FIQ", { SIG_IRQ_LINES, SIG_FIQ_LINES }, 2 },
	{ "RAS error records", { SIG_RAS_ERROR, SIG_ERRSELR, SIG_ERRSTATUS0, SIG_ERRSTATUS0 + 1,
				 SIG_ERRSTATUS0 + 2, SIG_ERRSTATUS0 + 3, SIG_ERRSTATUS0 + 4,
				 SIG_ERRSTATUS0 + 5, SIG_ERRSTATUS0 + 6, SIG_ERRSTATUS0 + 7 },
	  SS_RAS_MAX_RECORDS + 2 },
};

/* The strobes: 1 for one cycle from the record that raises them. */
static const enum sig strobes[] = { SIG_EXC_TAKEN, SIG_SET, SIG_MIGRATION, SIG_RAS_ERROR };
#define NSTROBES (sizeof strobes / sizeof strobes[0])

struct vcd_writer {
	FILE *f;
	struct cli_outfile out;
	char *scenario;
	bool started, error;
	uint64_t now;		/* the time being assembled */
	uint64_t last_ts;	/* last timestamp written */
	bool any_ts;
	uint64_t cur[SIG_COUNT];	/* values at 'now' */
	uint64_t dumped[SIG_COUNT];	/* values last written */
	bool strobe[NSTROBES];	/* the strobe is 1 */
	uint64_t strobe_at[NSTROBES];
	uint64_t end;		/* the stop cycle */
	unsigned nsig;		/* signals declared: SIG_BASE, or with the records */
	char buf[1 << 16];
};

/* Identifier codes: letters only, so no code starts like a keyword ('$')
 * or a timestamp ('#'). */
static char sig_id(unsigned i)
{
	return (char)(i < 26 ? 'A' + i : 'a' + (i - 26));
}
_Static_assert(SIG_COUNT <= 52, "one letter per signal");

/* The signals a run declares: the records only when it has some. */
static unsigned declared(const struct ss_pe *pe)
{
	unsigned n = pe->cfg.ras_records;
	return n ? SIG_ERRSTATUS0 + (n < SS_RAS_MAX_RECORDS ? n : SS_RAS_MAX_RECORDS) : SIG_BASE;
}

static void put_value(struct vcd_writer *w, unsigned i, uint64_t v)
{
	if (sigs[i].width == 1) {
		fprintf(w->f, "%c%c\n", v ? '1' : '0', sig_id(i));
		return;
	}
	char bits[72];
	int n = 0;
	int top = 63;
	while (top > 0 && !((v >> top) & 1))
		top--;
	bits[n++] = 'b';
	for (int b = top; b >= 0; b--)
		bits[n++] = (char)('0' + ((v >> b) & 1));
	bits[n] = '\0';
	fprintf(w->f, "%s %c\n", bits, sig_id(i));
}

static void timestamp(struct vcd_writer *w, uint64_t t)
{
	if (w->any_ts && t <= w->last_ts)
		return;
	fprintf(w->f, "#%" PRIu64 "\n", t);
	w->last_ts = t;
	w->any_ts = true;
}

/* Write the signals that changed at 'now'. */
static void flush(struct vcd_writer *w)
{
	bool stamped = false;
	for (unsigned i = 0; i < w->nsig; i++) {
		if (w->cur[i] == w->dumped[i])
			continue;
		if (!stamped) {
			timestamp(w, w->now);
			stamped = true;
		}
		put_value(w, i, w->cur[i]);
		w->dumped[i] = w->cur[i];
	}
}

/* Move to time t (>= now): write what changed at 'now', and end each
 * strobe one cycle after it rose. */
static void advance(struct vcd_writer *w, uint64_t t)
{
	if (t <= w->now)
		return;
	flush(w);
	/* The strobes that end before t, in time order. */
	for (;;) {
		uint64_t first = UINT64_MAX;
		for (unsigned k = 0; k < NSTROBES; k++)
			if (w->strobe[k] && w->strobe_at[k] + 1 < t && w->strobe_at[k] + 1 < first)
				first = w->strobe_at[k] + 1;
		if (first == UINT64_MAX)
			break;
		w->now = first;
		for (unsigned k = 0; k < NSTROBES; k++)
			if (w->strobe[k] && w->strobe_at[k] + 1 == first) {
				w->cur[strobes[k]] = 0;
				w->strobe[k] = false;
			}
		flush(w);
	}
	for (unsigned k = 0; k < NSTROBES; k++)
		if (w->strobe[k]) {	/* ends at t; a new record at t sets it again */
			w->cur[strobes[k]] = 0;
			w->strobe[k] = false;
		}
	w->now = t;
}

static void raise_strobe(struct vcd_writer *w, enum sig s)
{
	for (unsigned k = 0; k < NSTROBES; k++)
		if (strobes[k] == s) {
			w->cur[s] = 1;
			w->strobe[k] = true;
			w->strobe_at[k] = w->now;
		}
}

static bool any_strobe(const struct vcd_writer *w, uint64_t *at)
{
	bool any = false;
	for (unsigned k = 0; k < NSTROBES; k++)
		if (w->strobe[k] && (!any || w->strobe_at[k] > *at)) {
			*at = w->strobe_at[k];
			any = true;
		}
	return any;
}

static void sample(struct vcd_writer *w, const struct ss_pe *pe)
{
	uint64_t ps = pe->sr[SS_REG_PSTATE], hcr = pe->sr[SS_REG_HCR_EL2];
	w->cur[SIG_EL] = SS_GET(PSTATE_EL, ps);
	w->cur[SIG_SP] = SS_GET(PSTATE_SP, ps);
	w->cur[SIG_A] = SS_GET(PSTATE_A, ps);
	w->cur[SIG_VSE] = SS_GET(HCR_VSE, hcr);
	w->cur[SIG_AMO] = SS_GET(HCR_AMO, hcr);
	w->cur[SIG_TGE] = SS_GET(HCR_TGE, hcr);
	w->cur[SIG_EA] = SS_GET(SCR_EA, pe->sr[SS_REG_SCR_EL3]);
	w->cur[SIG_PENDING] = pe->npending;
	w->cur[SIG_IN_FLIGHT] = pe->ninflight;
	w->cur[SIG_VPENDING] = ss_virtual_serror_pending(pe);
	w->cur[SIG_ESR_EL1] = pe->sr[SS_REG_ESR_EL1];
	w->cur[SIG_ESR_EL2] = pe->sr[SS_REG_ESR_EL2];
	w->cur[SIG_DISR_EL1] = pe->sr[SS_REG_DISR_EL1];
	w->cur[SIG_ASLEEP] = pe->asleep;
	w->cur[SIG_UNSYNCED] = pe->hcr_stale || pe->scr_stale;
	w->cur[SIG_VDISR_EL2] = pe->sr[SS_REG_VDISR_EL2];
	w->cur[SIG_VSESR_EL2] = pe->sr[SS_REG_VSESR_EL2];
	w->cur[SIG_ISR_EL1] = ss_isr_el1(pe);
	w->cur[SIG_IRQ_LINES] = pe->intr_up[SS_INTR_IRQ];
	w->cur[SIG_FIQ_LINES] = pe->intr_up[SS_INTR_FIQ];
	w->cur[SIG_ERRSELR] = pe->sr[SS_REG_ERRSELR_EL1];
	for (unsigned r = 0; SIG_ERRSTATUS0 + r < w->nsig; r++)
		w->cur[SIG_ERRSTATUS0 + r] = pe->ras[r].status;
}

struct vcd_writer *vcd_open(const char *path, const char *scenario)
{
	struct vcd_writer *w = calloc(1, sizeof *w);
	if (!w) {
		errno = ENOMEM;
		return NULL;
	}
	w->scenario = strdup(scenario ? scenario : "");
	if (!w->scenario || !cli_outfile_open(&w->out, path)) {
		int e = w->scenario ? errno : ENOMEM;
		free(w->scenario);
		free(w);
		errno = e;
		return NULL;
	}
	w->f = w->out.f;
	if (w->f != stdout)
		setvbuf(w->f, w->buf, _IOFBF, sizeof w->buf);
	return w;
}

void vcd_start(void *ctx, const struct ss_pe *pe)
{
	struct vcd_writer *w = ctx;
	if (w->started)
		return;
	w->started = true;
	w->nsig = declared(pe);
	fprintf(w->f, "$version serrsim %s $end\n", SERRSIM_VERSION);
	fprintf(w->f, "$comment scenario %s; one time unit = one PE cycle $end\n", w->scenario);
	fprintf(w->f, "$timescale 1ns $end\n");
	fprintf(w->f, "$scope module pe $end\n");
	for (unsigned i = 0; i < w->nsig; i++) {
		if (sigs[i].width == 1)
			fprintf(w->f, "$var wire 1 %c %s $end\n", sig_id(i), sigs[i].name);
		else
			fprintf(w->f, "$var wire %u %c %s [%u:0] $end\n", sigs[i].width, sig_id(i),
				sigs[i].name, sigs[i].width - 1);
	}
	fprintf(w->f, "$upscope $end\n$enddefinitions $end\n");
	sample(w, pe);
	w->cur[SIG_PC] = pe->pc;
	w->now = pe->cycle;
	w->end = pe->cycle;
	timestamp(w, w->now);
	fprintf(w->f, "$dumpvars\n");
	for (unsigned i = 0; i < w->nsig; i++) {
		put_value(w, i, w->cur[i]);
		w->dumped[i] = w->cur[i];
	}
	fprintf(w->f, "$end\n");
}

void vcd_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct vcd_writer *w = ctx;
	if (!w->started)
		vcd_start(w, pe);
	advance(w, t->cycle);
	sample(w, pe);
	switch (t->kind) {
	case SS_TR_INSN:
		w->cur[SIG_PC] = t->insn ? t->insn->addr : t->addr;
		break;
	case SS_TR_EXCEPTION:
		if (t->exc) {
			w->cur[SIG_EXC_VECTOR] = t->exc->vector;
			w->cur[SIG_EXC_COUNT] = t->exc->number;
		}
		raise_strobe(w, SIG_EXC_TAKEN);
		break;
	case SS_TR_VMOP:
		if (t->vmop) {
			raise_strobe(w, t->vmop->is_migration ? SIG_MIGRATION : SIG_SET);
			w->cur[SIG_VMOP_COUNT]++;
			int h = t->vmop->refused ? t->vmop->src_host : t->vmop->dst_host;
			if (h >= 0)
				w->cur[SIG_HOST] = (uint64_t)h & 0xff;
		}
		break;
	case SS_TR_RAS:
		raise_strobe(w, SIG_RAS_ERROR);
		break;
	case SS_TR_STOP:
		w->end = t->cycle;
		break;
	default:
		break;
	}
	if (t->cycle > w->end)
		w->end = t->cycle;
}

bool vcd_close(struct vcd_writer *w)
{
	if (!w)
		return true;
	bool ok = true;
	if (w->started) {
		uint64_t end = w->end > w->now ? w->end : w->now;
		advance(w, end);
		flush(w);
		uint64_t at = 0;
		if (any_strobe(w, &at)) {	/* a strobe in the last cycle: end its pulse */
			advance(w, at + 1);
			flush(w);
		}
		timestamp(w, end);	/* the final time, when nothing changed then */
	}
	/* A run that never started (a malformed scenario) leaves the
	 * destination as it was. */
	if (!cli_outfile_close(&w->out, w->started))
		ok = false;
	free(w->scenario);
	free(w);
	return ok;
}

/* GTKWave trace flags (gtkwave's analyzer.h): right-justified binary,
 * hexadecimal and decimal values, the start and end of a group. */
#define GTKW_BIN 0x28
#define GTKW_HEX 0x22
#define GTKW_DEC 0x24
#define GTKW_GROUP_BEGIN 0x800200
#define GTKW_GROUP_END 0x1000200

bool vcd_write_gtkw(const char *path, const char *vcd_path, unsigned ras_records)
{
	unsigned nsig = ras_records ? SIG_ERRSTATUS0 + (ras_records < SS_RAS_MAX_RECORDS
							? ras_records : SS_RAS_MAX_RECORDS)
				    : SIG_BASE;
	struct cli_outfile o;
	if (!cli_outfile_open(&o, path))
		return false;
	FILE *f = o.f;
	fprintf(f, "[*] GTKWave save file written by serrsim %s\n", SERRSIM_VERSION);
	if (vcd_path && strcmp(vcd_path, "-"))
		fprintf(f, "[dumpfile] \"%s\"\n", vcd_path);
	fprintf(f, "[timestart] 0\n[signals_width] 200\n");
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		if (groups[g].sig[0] >= nsig)
			continue;
		fprintf(f, "@%x\n-%s\n", GTKW_GROUP_BEGIN, groups[g].name);
		for (unsigned k = 0; k < groups[g].n; k++) {
			enum sig i = groups[g].sig[k];
			if (i >= nsig)
				break;
			unsigned flags = sigs[i].width == 1 ? GTKW_BIN
					 : i == SIG_PENDING || i == SIG_IN_FLIGHT || i == SIG_EXC_COUNT ||
							   i == SIG_VMOP_COUNT || i == SIG_HOST || i == SIG_EL
						 ? GTKW_DEC : GTKW_HEX;
			if (sigs[i].width == 1)
				fprintf(f, "@%x\npe.%s\n", flags, sigs[i].name);
			else
				fprintf(f, "@%x\npe.%s[%u:0]\n", flags, sigs[i].name, sigs[i].width - 1);
		}
		fprintf(f, "@%x\n-%s\n", GTKW_GROUP_END, groups[g].name);
	}
	return cli_outfile_close(&o, !ferror(f));
}
