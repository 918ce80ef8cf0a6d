/*
 * html.c - self-contained HTML reports: everything inline (CSS, SVG), no
 * script and no external resource, so that a page can be mailed, attached
 * to a CI run or opened offline.
 *
 * 'serrsim run --html FILE' is a model observer like --vcd and
 * --trace-json: it keeps what it needs of the trace records in memory
 * (bounded: HTML_MAX_MARKS marks, HTML_MAX_SERRORS SErrors; the page says
 * how many more the run had) and writes the page when the run is over,
 * through cli_outfile (a temporary file renamed over FILE).
 *
 * The timeline: one lane per EL (EL3 at the top), the PE's EL over time as
 * a band in its lane; an exception as an arrow from its source EL to its
 * target EL, an ERET as an arrow back, an ESB deferral (DISR_EL1 or
 * VDISR_EL2 written) as a diamond, a SET (KVM_SET_VCPU_EVENTS) or a
 * migration as a dashed line across every lane.  Below the lanes, one row
 * per SError condition (rows reused once a condition is final): dotted
 * while raised but not yet visible, solid while pending, ending in its
 * disposition (taken, deferred, merged, withdrawn, lost).  Every mark has
 * an SVG <title>: hovering shows the syndrome decoded field by field.
 */
#include "html.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vcpu.h"

/* --- text ------------------------------------------------------------------------------ */

void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f); break;
		}
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static void decode(enum ss_reg r, uint64_t v, char *buf, size_t len)
{
	ss_decode(ss_sysregs[(unsigned)r < SS_REG_COUNT ? r : 0].layout, v, buf, len);
}

/* --- the page --------------------------------------------------------------------------- */

static const char css[] =
	"body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:20px 28px;"
	"color:#1d2330;background:#fff}\n"
	"h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 6px}\n"
	"p{margin:4px 0 8px;max-width:80em}.intro{color:#4a5468}\n"
	".summary{font-variant-numeric:tabular-nums}\n"
	".note{background:#fff6d6;border-left:4px solid #e0b000;padding:4px 8px}\n"
	".legend span{display:inline-block;margin-right:14px;white-space:nowrap}\n"
	".sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;"
	"margin-right:4px}\n"
	"table{border-collapse:collapse;font-size:13px;margin:6px 0}\n"
	"th,td{border:1px solid #d5dae3;padding:3px 7px;text-align:left;vertical-align:top}\n"
	"th{background:#eef1f6}\n"
	"tr.differ>:first-child{border-left:4px solid #d9480f;color:#a33a00}\n"
	"th[scope=row]{background:#f6f8fb;max-width:20em;overflow-wrap:anywhere}\n"
	"td.na{color:#9aa3b2;text-align:center}td.differ{background:#ffe3cc;font-weight:600}\n"
	"td.fail{background:#ffd6d6}td.good{background:#e3f5e1}td.bad{background:#ffe3cc}\n"
	"code,td.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:12px}\n"
	"svg{display:block;background:#fbfcfe;border:1px solid #d5dae3;border-radius:4px}\n"
	"svg text{font:11px system-ui,sans-serif;fill:#4a5468}\n"
	"svg text.lane{font-size:13px;font-weight:600;fill:#1d2330}\n"
	".occ{fill:#cfe0ff}.exc line,.eret line{stroke-width:1.6}\n"
	".exc.serr line{stroke:#c92a2a}.exc.serr path{fill:#c92a2a}\n"
	".exc.other line{stroke:#5c6b8a}.exc.other path{fill:#5c6b8a}\n"
	".eret line{stroke:#2b8a3e}.eret path{fill:#2b8a3e}\n"
	".defer path{fill:#f08c00;stroke:#9c5700}\n"
	".ras rect{fill:#e64980;stroke:#a61e4d}\n"
	".vmop line{stroke:#7048e8;stroke-width:1.5;stroke-dasharray:5 3}.vmop text{fill:#7048e8}\n"
	".serror .flight{stroke:#868e96;stroke-width:2;stroke-dasharray:2 2}\n"
	".serror .pend{stroke-width:5;stroke-linecap:round}\n"
	".serror.phys .pend{stroke:#e8590c}.serror.virt .pend{stroke:#1c7ed6}\n"
	".end.taken{fill:#c92a2a}.end.deferred{fill:#f08c00}.end.merged{fill:#ae3ec9}\n"
	".end.withdrawn{fill:#adb5bd}.end.lost{fill:#000}.end.open{fill:none;stroke:#495057}\n"
	".grid{stroke:#e4e8ef}.sep{stroke:#aab3c2}\n"
	"g.mark:hover line,g.serror:hover line{filter:drop-shadow(0 0 2px #000)}\n";

void html_page_begin(FILE *f, const char *title, const char *intro)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"generator\" content=\"serrsim " SERRSIM_VERSION "\">\n<title>", f);
	html_text(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
	html_text(f, title);
	fputs("</h1>\n", f);
	if (intro)
		html_paragraph(f, "intro", intro);
}

void html_paragraph(FILE *f, const char *cls, const char *text)
{
	if (cls)
		fprintf(f, "<p class=\"%s\">", cls);
	else
		fputs("<p>", f);
	html_text(f, text);
	fputs("</p>\n", f);
}

void html_page_end(FILE *f)
{
	fputs("</body>\n</html>\n", f);
}

void html_table_begin(FILE *f, const char *id, const char *const *headers, size_t n)
{
	fprintf(f, "<table id=\"%s\">\n<thead><tr>", id);
	for (size_t i = 0; i < n; i++) {
		fputs("<th>", f);
		html_text(f, headers[i]);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
}

void html_table_row(FILE *f, bool differ, const struct html_cell *cells, size_t n)
{
	static const char *const cls[] = { "", "na", "differ", "fail", "good", "bad" };
	fputs(differ ? "<tr class=\"row differ\">" : "<tr class=\"row\">", f);
	for (size_t i = 0; i < n; i++) {
		const char *c = cls[cells[i].kind];
		fputs(i == 0 ? "<th scope=\"row\"" : "<td", f);
		if (*c)
			fprintf(f, " class=\"%s\"", c);
		if (cells[i].title) {
			fputs(" title=\"", f);
			html_text(f, cells[i].title);
			fputc('"', f);
		}
		fputc('>', f);
		html_text(f, cells[i].text);
		fputs(i == 0 ? "</th>" : "</td>", f);
	}
	fputs("</tr>\n", f);
}

void html_table_end(FILE *f)
{
	fputs("</tbody>\n</table>\n", f);
}

/* --- run --html: what the observer keeps --------------------------------------------------- */

enum mark_kind { M_EXC, M_ERET, M_DEFER, M_SET, M_MIGRATE, M_RAS, M_KINDS };

static const char *const mark_names[M_KINDS] = { "exceptions", "ERETs", "ESB deferrals", "SETs",
						 "migrations", "recorded errors" };

struct mark {
	enum mark_kind kind;
	bool serror;		/* M_EXC: an SError exception */
	unsigned from_el, to_el;
	uint64_t cycle;
	char *title;
};

/* One SError condition as the trace showed it. */
struct serror {
	uint64_t seq;
	bool virt, level;
	uint32_t iss;
	uint64_t raised, visible, end;
	enum ss_disposition disp;
	uint32_t exc, defer, merged_into;
	uint8_t lost;			/* LOST: enum ss_lost_reason */
	bool open;		/* not final when last looked at */
	unsigned row;
};

struct segment {
	uint64_t cycle;
	unsigned el;
};

struct html_run {
	struct cli_outfile out;
	bool started;
	uint64_t first_cycle, last_cycle;
	struct segment *seg;
	size_t nseg, capseg, dropped_seg;
	struct mark *mark;
	size_t nmark;
	size_t dropped[M_KINDS];
	size_t total[M_KINDS];
	struct serror *ser;
	size_t nser, dropped_ser;
	size_t *open;		/* indices into ser[] of the open ones */
	size_t nopen;
	unsigned el;
	uint32_t nexc;		/* exception records seen */
	bool oom;
	/* RAS error records as last seen (RAS spec, the error record registers): ERR<n>CTLR, STATUS, ADDR. */
	unsigned nrec;
	struct {
		uint64_t ctlr, status, addr;
		uint32_t errors;	/* errors the node recorded (SS_TR_RAS) */
	} rec[SS_RAS_MAX_RECORDS];
};

static void add_segment(struct html_run *h, uint64_t cycle, unsigned el)
{
	if (h->nseg && h->seg[h->nseg - 1].el == el)
		return;
	if (h->nseg && h->seg[h->nseg - 1].cycle == cycle) {
		h->seg[h->nseg - 1].el = el;
		return;
	}
	if (h->nseg == h->capseg) {
		if (h->capseg >= 4 * HTML_MAX_MARKS) {
			h->dropped_seg++;
			return;
		}
		size_t cap = h->capseg ? 2 * h->capseg : 64;
		struct segment *s = realloc(h->seg, cap * sizeof *s);
		if (!s) {
			h->oom = true;
			return;
		}
		h->seg = s;
		h->capseg = cap;
	}
	h->seg[h->nseg++] = (struct segment){ cycle, el };
}

static void add_mark(struct html_run *h, enum mark_kind k, bool serror, unsigned from_el,
		     unsigned to_el, uint64_t cycle, const char *title)
{
	h->total[k]++;
	if (h->nmark >= HTML_MAX_MARKS) {
		h->dropped[k]++;
		return;
	}
	char *t = dupstr(title);
	if (!t) {
		h->oom = true;
		return;
	}
	h->mark[h->nmark++] = (struct mark){ k, serror, from_el, to_el, cycle, t };
}

/* The condition with this sequence number in the PE's ledger, or NULL
 * (compacted out).  cond[] is in order of raising. */
static const struct ss_condition *find_cond(const struct ss_pe *pe, uint64_t seq)
{
	size_t lo = 0, hi = pe->ncond;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pe->cond[mid].seq == seq)
			return &pe->cond[mid];
		if (pe->cond[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool is_open(enum ss_disposition d)
{
	return d == SS_DISP_IN_FLIGHT || d == SS_DISP_PENDING;
}

/* Bring every open condition up to date with the ledger. */
static void refresh(struct html_run *h, const struct ss_pe *pe, uint64_t cycle)
{
	for (size_t i = 0; i < h->nopen;) {
		struct serror *s = &h->ser[h->open[i]];
		const struct ss_condition *c = find_cond(pe, s->seq);
		if (c) {
			s->disp = c->disp;
			s->visible = c->visible;
			s->exc = c->exc;
			s->defer = c->defer;
			s->merged_into = c->merged_into;
			s->lost = c->lost;
			if ((c->disp == SS_DISP_MERGED || c->disp == SS_DISP_HANDED_OVER) &&
			    c->merged_into < pe->ncond)
				s->merged_into = (uint32_t)pe->cond[c->merged_into].seq;
		}
		/* Taking an SError changes the ledger (and may write registers)
		 * before the exception's own record: it ends at that record. */
		bool waits = c && (c->disp == SS_DISP_TAKEN || c->disp == SS_DISP_MERGED) &&
			     c->exc > h->nexc;
		if (!c || (!is_open(s->disp) && !waits)) {
			s->open = false;
			s->end = cycle;
			h->open[i] = h->open[--h->nopen];
		} else {
			i++;
		}
	}
}

static void raise_cond(struct html_run *h, const struct ss_condition *c)
{
	if (h->nser >= HTML_MAX_SERRORS) {
		h->dropped_ser++;
		return;
	}
	struct serror *s = &h->ser[h->nser];
	*s = (struct serror){ .seq = c->seq, .virt = c->virt, .level = c->trigger == SS_LEVEL,
			      .iss = c->iss, .raised = c->raised, .visible = c->visible,
			      .disp = c->disp, .open = true };
	h->open[h->nopen++] = h->nser++;
}

static void html_start(void *ctx, const struct ss_pe *pe)
{
	struct html_run *h = ctx;
	h->started = true;
	h->first_cycle = h->last_cycle = pe->cycle;
	h->el = ss_pe_el(pe);
	add_segment(h, pe->cycle, h->el);
	h->nrec = pe->cfg.ras_records < SS_RAS_MAX_RECORDS ? pe->cfg.ras_records : SS_RAS_MAX_RECORDS;
}

static void html_notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct html_run *h = ctx;
	char title[2 * SS_DECODED + 256], dec[SS_DECODED];
	if (!h->started)
		html_start(h, pe);
	if (t->cycle > h->last_cycle)
		h->last_cycle = t->cycle;
	if (t->kind == SS_TR_INSN)
		return;
	switch (t->kind) {
	case SS_TR_RAISE:
		/* The SError lanes; a synchronous External abort shows as its
		 * exception. */
		if (t->cond && t->cond->kind != SS_COND_SEA)
			raise_cond(h, t->cond);
		break;
	case SS_TR_EXCEPTION: {
		const struct ss_exception *x = t->exc;
		if (!x)
			break;
		bool serr = x->cause == SS_CAUSE_PSERROR || x->cause == SS_CAUSE_VSERROR;
		h->nexc = x->number;
		int n = snprintf(title, sizeof title,
				 "exception #%" PRIu32 " %s EL%u -> EL%u at cycle %" PRIu64
				 "%s\nvector 0x%" PRIx64 " (+0x%" PRIx64 ") ELR 0x%" PRIx64,
				 x->number, ss_cause_name(x->cause), x->from_el, x->to_el, t->cycle,
				 x->iesb ? " (implicit ESB)" : "", x->vector, x->offset, x->elr);
		if (x->has_esr && n > 0 && (size_t)n < sizeof title) {
			decode(SS_REG_ESR_EL1, x->esr, dec, sizeof dec);
			snprintf(title + n, sizeof title - (size_t)n, "\nESR 0x%" PRIx64 ": %s", x->esr,
				 dec);
		}
		add_mark(h, M_EXC, serr, x->from_el, x->to_el, t->cycle, title);
		h->el = x->to_el;
		add_segment(h, t->cycle, h->el);
		break;
	}
	case SS_TR_ERET: {
		unsigned to = t->illegal ? t->from_el : t->to_el;
		snprintf(title, sizeof title, "ERET EL%u -> EL%u at cycle %" PRIu64 " to 0x%" PRIx64 "%s",
			 t->from_el, t->to_el, t->cycle, t->addr,
			 t->illegal ? " (illegal exception return)" : "");
		add_mark(h, M_ERET, false, t->from_el, to, t->cycle, title);
		h->el = to;
		add_segment(h, t->cycle, h->el);
		break;
	}
	case SS_TR_DEFER: {
		const char *reg = ss_sysregs[(unsigned)t->reg < SS_REG_COUNT ? t->reg : 0].name;
		decode(t->reg, t->value, dec, sizeof dec);
		snprintf(title, sizeof title, "ESB at EL%u, cycle %" PRIu64 ": deferred into %s\n%s = 0x%"
			 PRIx64 ": %s", h->el, t->cycle, reg, reg, t->value, dec);
		add_mark(h, M_DEFER, false, h->el, h->el, t->cycle, title);
		break;
	}
	case SS_TR_RAS: {
		unsigned rn = t->line;
		decode(SS_REG_ERXSTATUS_EL1, t->value, dec, sizeof dec);
		int n = snprintf(title, sizeof title, "error recorded by the node of record %u at "
				 "cycle %" PRIu64 "%s\nERR%uSTATUS = 0x%" PRIx64 ": %s\n(was 0x%"
				 PRIx64 ")\nsignalled:", rn, t->cycle,
				 t->addr & SS_RAS_SIG_INJECTED ? " (injected fault)" : "", rn, t->value,
				 dec, t->old);
		static const struct { unsigned bit; const char *what; } sig[] = {
			{ SS_RAS_SIG_SERROR, " an SError" },
			{ SS_RAS_SIG_ERI, " an error recovery interrupt" },
			{ SS_RAS_SIG_FHI, " a fault handling interrupt" },
		};
		bool any = false;
		for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++)
			if ((t->addr & sig[i].bit) && n > 0 && (size_t)n < sizeof title) {
				n += snprintf(title + n, sizeof title - (size_t)n, "%s", sig[i].what);
				any = true;
			}
		if (!any && n > 0 && (size_t)n < sizeof title)
			snprintf(title + n, sizeof title - (size_t)n, " nothing");
		add_mark(h, M_RAS, false, h->el, h->el, t->cycle, title);
		if (rn < SS_RAS_MAX_RECORDS)
			h->rec[rn].errors++;
		break;
	}
	case SS_TR_VMOP: {
		const struct ss_vmop *op = t->vmop;
		if (!op)
			break;
		const struct ss_vcpu_events *ev = &op->sent;
		int n = snprintf(title, sizeof title, "%s at cycle %" PRIu64,
				 op->is_migration ? "migration" : "KVM_SET_VCPU_EVENTS", t->cycle);
		if (op->is_migration && n > 0 && (size_t)n < sizeof title)
			n += snprintf(title + n, sizeof title - (size_t)n, " (VMM %s)%s",
				      ss_vmm_name(op->vmm), op->refused ? ": refused" : "");
		if (n > 0 && (size_t)n < sizeof title) {
			n += snprintf(title + n, sizeof title - (size_t)n,
				      "\nsent: serror_pending=%d serror_has_esr=%d", ev->serror_pending,
				      ev->serror_has_esr);
			if (ev->serror_has_esr && n > 0 && (size_t)n < sizeof title) {
				decode(SS_REG_VSESR_EL2, ev->serror_esr, dec, sizeof dec);
				n += snprintf(title + n, sizeof title - (size_t)n,
					      " serror_esr=0x%" PRIx64 " (%s)", ev->serror_esr, dec);
			}
		}
		if (n > 0 && (size_t)n < sizeof title)
			snprintf(title + n, sizeof title - (size_t)n, "\nresult: %s%s",
				 op->set == SS_SET_OK ? "ok" : "EINVAL",
				 op->esr_dropped ? " (esr dropped)" : "");
		add_mark(h, op->is_migration ? M_MIGRATE : M_SET, false, h->el, h->el, t->cycle, title);
		break;
	}
	default:
		break;
	}
	refresh(h, pe, t->cycle);
	for (unsigned i = 0; i < h->nrec; i++) {
		h->rec[i].ctlr = pe->ras[i].ctlr;
		h->rec[i].status = pe->ras[i].status;
		h->rec[i].addr = pe->ras[i].addr;
	}
}

struct html_run *html_run_attach(struct trace_outputs *to, const char *path)
{
	if (to->n >= TRACE_OUT_MAX) {
		fprintf(stderr, "serrsim: too many trace outputs\n");
		return NULL;
	}
	struct html_run *h = calloc(1, sizeof *h);
	if (h) {
		h->mark = calloc(HTML_MAX_MARKS, sizeof *h->mark);
		h->ser = calloc(HTML_MAX_SERRORS, sizeof *h->ser);
		h->open = calloc(HTML_MAX_SERRORS, sizeof *h->open);
	}
	if (!h || !h->mark || !h->ser || !h->open) {
		if (h) {
			free(h->mark);
			free(h->ser);
			free(h->open);
		}
		free(h);
		fprintf(stderr, "serrsim: out of memory\n");
		return NULL;
	}
	if (!cli_outfile_create(&h->out, path)) {
		free(h->mark);
		free(h->ser);
		free(h->open);
		free(h);
		return NULL;
	}
	to->obs[to->n] = (struct ss_observer){ .notify = html_notify, .ctx = h };
	to->start[to->n] = html_start;
	to->n++;
	to->fan.ctx = to;
	return h;
}

/* --- run --html: the page ------------------------------------------------------------------ */

#define W 1320		/* the SVG's width */
#define X0 64		/* the time axis: from X0 to X1 */
#define X1 (W - 16)
#define LANE 48		/* height of an EL lane */
#define TOP 24		/* above the lanes: room for SET/migration labels */
#define ROW 14		/* height of an SError row */
#define MAX_ROWS 48	/* SError rows drawn (the rest share the last one) */
#define BREAK_PX 60	/* the width of a shortened idle stretch */

/*
 * The time axis: linear between the cycles where something is drawn,
 * except that a stretch in which nothing happens for much longer than the
 * run's usual spacing (ten times the median gap between those cycles) is
 * drawn as a fixed, short break, labelled with its length: a PE asleep for
 * 10^12 cycles does not squeeze the rest of the run into one pixel.
 */
struct geom {
	uint64_t c0, c1;
	uint64_t *pt;		/* the cycles where something is drawn, sorted, unique */
	double *pos;		/* their positions in axis units */
	size_t n;
	uint64_t k;		/* gaps longer than this are breaks */
	bool breaks;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void geom_build(struct geom *g, const struct html_run *h)
{
	size_t cap = 2 + h->nseg + h->nmark + 3 * h->nser, n = 0;
	g->pt = malloc(cap * sizeof *g->pt);
	g->pos = malloc(cap * sizeof *g->pos);
	uint64_t *gaps = malloc(cap * sizeof *gaps);
	if (!g->pt || !g->pos || !gaps) {
		free(gaps);
		return;		/* n = 0: linear */
	}
	g->pt[n++] = g->c0;
	g->pt[n++] = g->c1;
	for (size_t i = 0; i < h->nseg; i++)
		g->pt[n++] = h->seg[i].cycle;
	for (size_t i = 0; i < h->nmark; i++)
		g->pt[n++] = h->mark[i].cycle;
	for (size_t i = 0; i < h->nser; i++) {
		g->pt[n++] = h->ser[i].raised;
		g->pt[n++] = h->ser[i].visible;
		if (!h->ser[i].open)
			g->pt[n++] = h->ser[i].end;
	}
	qsort(g->pt, n, sizeof *g->pt, cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (g->pt[i] >= g->c0 && g->pt[i] <= g->c1 && (!u || g->pt[i] != g->pt[u - 1]))
			g->pt[u++] = g->pt[i];
	g->n = u;
	for (size_t i = 0; i + 1 < u; i++)
		gaps[i] = g->pt[i + 1] - g->pt[i];
	qsort(gaps, u - 1, sizeof *gaps, cmp_u64);
	g->k = u > 1 ? gaps[(u - 1) / 2] * 10 : 0;
	if (g->k < 8)
		g->k = 8;
	free(gaps);
	/* a break is BREAK_PX wide, whatever it stands for */
	double linear = 0, nbreaks = 0, b;
	for (size_t i = 0; i + 1 < u; i++) {
		uint64_t gap = g->pt[i + 1] - g->pt[i];
		if (gap > g->k)
			nbreaks++;
		else
			linear += (double)gap;
	}
	g->breaks = nbreaks > 0;
	if (nbreaks * BREAK_PX > (X1 - X0) / 2.0)
		b = linear ? linear / nbreaks : 1;	/* many breaks: half the width */
	else
		b = linear ? linear * BREAK_PX / (X1 - X0 - nbreaks * BREAK_PX) : 1;
	g->pos[0] = 0;
	for (size_t i = 0; i + 1 < u; i++) {
		uint64_t gap = g->pt[i + 1] - g->pt[i];
		g->pos[i + 1] = g->pos[i] + (gap > g->k ? b : (double)gap);
	}
}

static double xof(const struct geom *g, uint64_t c)
{
	if (c < g->c0)
		c = g->c0;
	if (c > g->c1)
		c = g->c1;
	if (g->n < 2)
		return X0 + (double)(c - g->c0) * (X1 - X0) / (double)(g->c1 - g->c0);
	size_t lo = 0, hi = g->n - 1;	/* the last point <= c */
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		if (g->pt[mid] <= c)
			lo = mid;
		else
			hi = mid - 1;
	}
	double p = g->pos[lo];
	if (lo + 1 < g->n)
		p += (double)(c - g->pt[lo]) * (g->pos[lo + 1] - g->pos[lo]) /
		     (double)(g->pt[lo + 1] - g->pt[lo]);
	return X0 + p * (X1 - X0) / g->pos[g->n - 1];
}

/* Grid lines and labels at 1, 2, 5, 10, 20, 50... cycles in [a, b], about
 * one per 100 pixels. */
static void ticks(FILE *f, const struct geom *g, uint64_t a, uint64_t b, int height)
{
	double px = xof(g, b) - xof(g, a);
	uint64_t most = px < 100 ? 1 : (uint64_t)(px / 100), step = 1;
	for (unsigned k = 0; (b - a) / step > most && step < UINT64_MAX / 5; k++)
		step *= k % 3 == 1 ? 5 : 2;
	uint64_t first = a + (a % step ? step - a % step : 0);
	for (uint64_t c = first; c <= b; c += step) {
		double x = xof(g, c);
		/* after a long first label, the others count from it */
		char label[32];
		if (c != first && first >= 100000)
			snprintf(label, sizeof label, "+%" PRIu64, c - first);
		else
			snprintf(label, sizeof label, "%" PRIu64, c);
		fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>\n", x, TOP, x,
			height - 24, x, height - 10, x > X1 - 50 ? "end" : "middle", label);
		if (c > UINT64_MAX - step)
			break;
	}
}

static double lane_mid(unsigned el)
{
	return TOP + (3 - (el & 3)) * LANE + LANE / 2.0;
}

static const char *disp_class(enum ss_disposition d)
{
	switch (d) {
	case SS_DISP_TAKEN: return "taken";
	case SS_DISP_DEFERRED: return "deferred";
	case SS_DISP_MERGED: return "merged";
	case SS_DISP_WITHDRAWN: return "withdrawn";
	case SS_DISP_LOST: return "lost";
	case SS_DISP_HANDED_OVER: return "merged";	/* drawn as merged: it goes on elsewhere */
	default: return "open";
	}
}

static void serror_title(FILE *f, const struct serror *s, uint64_t stop_cycle)
{
	char dec[SS_DECODED];
	decode(SS_REG_VSESR_EL2, s->iss, dec, sizeof dec);
	fprintf(f, "<title>SError #%" PRIu64 " %s %s, ISS 0x%07" PRIx32 ": ", s->seq,
		s->virt ? "virtual" : "physical", s->level ? "level" : "edge", s->iss);
	html_text(f, dec);
	fprintf(f, "\nraised at cycle %" PRIu64 ", pending from %" PRIu64, s->raised, s->visible);
	switch (s->disp) {
	case SS_DISP_TAKEN:
		fprintf(f, "\ntaken by exception %" PRIu32 " at cycle %" PRIu64, s->exc, s->end);
		break;
	case SS_DISP_DEFERRED:
		fprintf(f, "\ndeferred by an ESB (deferral %" PRIu32 ") at cycle %" PRIu64, s->defer,
			s->end);
		break;
	case SS_DISP_MERGED:
		fprintf(f, "\nmerged into SError #%" PRIu32 " at cycle %" PRIu64, s->merged_into, s->end);
		break;
	case SS_DISP_WITHDRAWN:
		fprintf(f, "\nwithdrawn at cycle %" PRIu64, s->end);
		break;
	case SS_DISP_LOST:
		fprintf(f, "\nlost (%s) at cycle %" PRIu64, ss_lost_reason_text((enum ss_lost_reason)s->lost),
			s->end);
		break;
	case SS_DISP_HANDED_OVER:
		fprintf(f, "\nhanded over by a migration to SError #%" PRIu32 " at cycle %" PRIu64,
			s->merged_into, s->end);
		break;
	default:
		fprintf(f, "\nstill %s when the run stopped at cycle %" PRIu64,
			s->disp == SS_DISP_IN_FLIGHT ? "in flight" : "pending", stop_cycle);
		break;
	}
	fputs("</title>", f);
}

/* Rows for the SErrors: the first row free when a condition is raised
 * (a row is free once its last condition has ended). */
static unsigned assign_rows(struct html_run *h, uint64_t stop)
{
	uint64_t busy[MAX_ROWS];
	unsigned nrows = 0;
	for (size_t i = 0; i < h->nser; i++) {
		struct serror *s = &h->ser[i];
		uint64_t end = s->open ? stop : s->end;
		unsigned r = 0;
		while (r < nrows && busy[r] >= s->raised)
			r++;
		if (r == MAX_ROWS)
			r = MAX_ROWS - 1;
		if (r == nrows)
			nrows++;
		s->row = r;
		busy[r] = end;
	}
	return nrows;
}

static void arrow(FILE *f, double x, double y0, double y1)
{
	double d = y1 > y0 ? -7 : 7;
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y0, x, y1 + d / 2);
	fprintf(f, "<path d=\"M%.1f %.1fl-4 %.1fh8z\"/>", x, y1, d);
}

static void write_svg(FILE *f, struct html_run *h, uint64_t stop)
{
	struct geom g = { .c0 = h->first_cycle,
			  .c1 = stop > h->first_cycle ? stop : h->first_cycle + 1 };
	geom_build(&g, h);
	unsigned nrows = assign_rows(h, stop);
	int lanes_bottom = TOP + 4 * LANE;
	int ser_top = lanes_bottom + 26;
	int height = ser_top + (int)(nrows ? nrows : 1) * ROW + 34;
	fprintf(f, "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", W, height, W, height);
	fputs("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	      "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
	      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#d5dae3\" stroke-width=\"2\"/>"
	      "</pattern></defs>\n", f);
	/* lanes and the time axis */
	for (unsigned el = 0; el < 4; el++) {
		double y = TOP + (3 - el) * LANE;
		fprintf(f, "<rect class=\"lanebg\" x=\"%d\" y=\"%.0f\" width=\"%d\" height=\"%d\" "
			"fill=\"%s\"/>", X0, y, X1 - X0, LANE, el % 2 ? "#f3f5f9" : "#fbfcfe");
		fprintf(f, "<text class=\"lane\" x=\"8\" y=\"%.0f\">EL%u</text>\n", y + LANE / 2 + 4, el);
	}
	/* ticks in each stretch between breaks; each break drawn and labelled */
	uint64_t from = g.c0;
	for (size_t i = 0; g.breaks && i + 1 < g.n; i++) {
		uint64_t gap = g.pt[i + 1] - g.pt[i];
		if (gap <= g.k)
			continue;
		ticks(f, &g, from, g.pt[i], height);
		double xa = xof(&g, g.pt[i]), xb = xof(&g, g.pt[i + 1]);
		fprintf(f, "<g class=\"break\"><title>%" PRIu64 " cycles in which nothing is drawn, "
			"shortened</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			"fill=\"url(#hatch)\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
			"&#x2026; %" PRIu64 " cycles &#x2026;</text></g>\n", gap, xa + 3, TOP,
			xb - xa - 6 > 1 ? xb - xa - 6 : 1, 4 * LANE, (xa + xb) / 2, TOP - 8, gap);
		from = g.pt[i + 1];
	}
	ticks(f, &g, from, g.c1, height);
	fprintf(f, "<text x=\"%d\" y=\"%d\">cycle</text>\n", 8, height - 10);
	fprintf(f, "<line class=\"sep\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		"<text class=\"lane\" x=\"8\" y=\"%d\">SErrors</text>\n", lanes_bottom + 8, W,
		lanes_bottom + 8, lanes_bottom + 22);
	/* where the PE was */
	fputs("<g class=\"occupancy\">", f);
	for (size_t i = 0; i < h->nseg; i++) {
		uint64_t end = i + 1 < h->nseg ? h->seg[i + 1].cycle : g.c1;
		double x = xof(&g, h->seg[i].cycle), x2 = xof(&g, end);
		fprintf(f, "<rect class=\"occ\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" "
			"rx=\"2\"><title>EL%u from cycle %" PRIu64 " to %" PRIu64 "</title></rect>",
			x, lane_mid(h->seg[i].el) - 5, x2 - x < 1 ? 1 : x2 - x, h->seg[i].el,
			h->seg[i].cycle, end);
	}
	fputs("</g>\n", f);
	/* SErrors */
	for (size_t i = 0; i < h->nser; i++) {
		const struct serror *s = &h->ser[i];
		double y = ser_top + s->row * ROW + ROW / 2.0;
		uint64_t end = s->open ? g.c1 : s->end;
		double xr = xof(&g, s->raised), xv = xof(&g, s->visible), xe = xof(&g, end);
		fprintf(f, "<g class=\"serror %s %s\" data-seq=\"%" PRIu64 "\">", s->virt ? "virt" : "phys",
			disp_class(s->disp), s->seq);
		serror_title(f, s, stop);
		if (xv > xr)
			fprintf(f, "<line class=\"flight\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
				xr, y, xv, y);
		fprintf(f, "<line class=\"pend\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", xv, y,
			xe > xv + 2 ? xe : xv + 2, y);
		const char *dc = disp_class(s->disp);
		if (s->disp == SS_DISP_DEFERRED)
			fprintf(f, "<path class=\"end %s\" d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\"/>", dc, xe, y - 5);
		else if (s->disp == SS_DISP_LOST)
			fprintf(f, "<path class=\"end %s\" d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"#000\" "
				"stroke-width=\"2\"/>", dc, xe - 4, y - 4);
		else
			fprintf(f, "<circle class=\"end %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\"/>", dc, xe, y);
		fputs("</g>\n", f);
	}
	/* marks */
	for (size_t i = 0; i < h->nmark; i++) {
		const struct mark *m = &h->mark[i];
		double x = xof(&g, m->cycle);
		static const char *const cls[M_KINDS] = { "exc", "eret", "defer", "vmop set",
							  "vmop migrate", "ras" };
		fprintf(f, "<g class=\"mark %s%s\"><title>", cls[m->kind],
			m->kind != M_EXC ? "" : m->serror ? " serr" : " other");
		html_text(f, m->title);
		fputs("</title>", f);
		switch (m->kind) {
		case M_EXC:
		case M_ERET:
			if (m->from_el == m->to_el) {
				double y = lane_mid(m->to_el);
				fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y - 16,
					x, y - 6);
				fprintf(f, "<path d=\"M%.1f %.1fl-4 -7h8z\"/>", x, y - 1);
			} else {
				arrow(f, x, lane_mid(m->from_el), lane_mid(m->to_el));
			}
			break;
		case M_DEFER:
			fprintf(f, "<path d=\"M%.1f %.1fl7 7l-7 7l-7 -7z\"/>", x, lane_mid(m->to_el) - 7);
			break;
		case M_RAS:
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\"/>", x - 5,
				lane_mid(m->to_el) + 4);
			break;
		case M_SET:
		case M_MIGRATE:
			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
				"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, TOP - 4, x,
				height - 24, x, TOP - 8, m->kind == M_SET ? "SET" : "migrate");
			break;
		default:
			break;
		}
		fputs("</g>\n", f);
	}
	fputs("</svg>\n", f);
	free(g.pt);
	free(g.pos);
}

static const char run_legend[] =
	"<p class=\"legend\">"
	"<span><span class=\"sw\" style=\"background:#cfe0ff\"></span>the PE's EL</span>"
	"<span><span class=\"sw\" style=\"background:#c92a2a\"></span>SError exception (arrow: "
	"from EL to EL)</span>"
	"<span><span class=\"sw\" style=\"background:#5c6b8a\"></span>other exception</span>"
	"<span><span class=\"sw\" style=\"background:#2b8a3e\"></span>ERET</span>"
	"<span><span class=\"sw\" style=\"background:#f08c00\"></span>ESB deferral (diamond)</span>"
	"<span><span class=\"sw\" style=\"background:#7048e8\"></span>SET / migration</span>"
	"<span><span class=\"sw\" style=\"background:#e64980\"></span>error recorded by a RAS "
	"node (square)</span>"
	"</p>\n<p class=\"legend\">SErrors: "
	"<span><span class=\"sw\" style=\"background:#868e96\"></span>dotted: raised, not yet "
	"visible</span>"
	"<span><span class=\"sw\" style=\"background:#e8590c\"></span>physical pending</span>"
	"<span><span class=\"sw\" style=\"background:#1c7ed6\"></span>virtual pending</span>"
	"ending in: <span><span class=\"sw\" style=\"background:#c92a2a;border-radius:6px\"></span>"
	"taken</span><span><span class=\"sw\" style=\"background:#f08c00\"></span>deferred</span>"
	"<span><span class=\"sw\" style=\"background:#ae3ec9;border-radius:6px\"></span>merged</span>"
	"<span><span class=\"sw\" style=\"background:#adb5bd;border-radius:6px\"></span>withdrawn"
	"</span><span>&#x2715; lost</span><span>&#x25CB; still open at the end</span>. "
	"Hover over a mark for its details and the syndrome decoded.</p>\n";

static void write_serror_table(FILE *f, const struct html_run *h)
{
	static const char *const hdr[] = { "#", "kind", "ISS", "decoded", "raised", "pending",
					   "ended", "disposition" };
	html_table_begin(f, "serrors", hdr, 8);
	for (size_t i = 0; i < h->nser; i++) {
		const struct serror *s = &h->ser[i];
		char seq[24], kind[32], iss[16], dec[SS_DECODED], r[24], v[24], e[24], d[64];
		snprintf(seq, sizeof seq, "%" PRIu64, s->seq);
		snprintf(kind, sizeof kind, "%s %s", s->virt ? "virtual" : "physical",
			 s->level ? "level" : "edge");
		snprintf(iss, sizeof iss, "0x%07" PRIx32, s->iss);
		decode(SS_REG_VSESR_EL2, s->iss, dec, sizeof dec);
		snprintf(r, sizeof r, "%" PRIu64, s->raised);
		snprintf(v, sizeof v, "%" PRIu64, s->visible);
		if (s->open)
			snprintf(e, sizeof e, "-");
		else
			snprintf(e, sizeof e, "%" PRIu64, s->end);
		if (s->disp == SS_DISP_TAKEN)
			snprintf(d, sizeof d, "taken (exception %" PRIu32 ")", s->exc);
		else if (s->disp == SS_DISP_MERGED)
			snprintf(d, sizeof d, "merged into #%" PRIu32, s->merged_into);
		else if (s->disp == SS_DISP_HANDED_OVER)
			snprintf(d, sizeof d, "handed over to #%" PRIu32, s->merged_into);
		else if (s->disp == SS_DISP_LOST)
			snprintf(d, sizeof d, "lost");
		else
			snprintf(d, sizeof d, "%s", ss_disposition_name(s->disp));
		struct html_cell c[8] = { { seq, NULL, HTML_CELL }, { kind, NULL, HTML_CELL },
					  { iss, NULL, HTML_CELL }, { dec, NULL, HTML_CELL },
					  { r, NULL, HTML_CELL },   { v, NULL, HTML_CELL },
					  { e, NULL, HTML_CELL },   { d, NULL, HTML_CELL } };
		html_table_row(f, false, c, 8);
	}
	html_table_end(f);
}

/* The RAS error records at the end of the run (RAS spec, the error record registers). */
static void write_record_table(FILE *f, const struct html_run *h)
{
	static const char *const hdr[] = { "record", "errors recorded", "ERR<n>STATUS", "decoded",
					   "ERR<n>CTLR", "ERR<n>ADDR" };
	html_table_begin(f, "records", hdr, 6);
	for (unsigned i = 0; i < h->nrec; i++) {
		char n[16], k[16], st[24], dec[SS_DECODED], ctlr[24], ctdec[SS_DECODED], addr[24];
		snprintf(n, sizeof n, "%u", i);
		snprintf(k, sizeof k, "%" PRIu32, h->rec[i].errors);
		snprintf(st, sizeof st, "0x%" PRIx64, h->rec[i].status);
		decode(SS_REG_ERXSTATUS_EL1, h->rec[i].status, dec, sizeof dec);
		snprintf(ctlr, sizeof ctlr, "0x%" PRIx64, h->rec[i].ctlr);
		decode(SS_REG_ERXCTLR_EL1, h->rec[i].ctlr, ctdec, sizeof ctdec);
		snprintf(addr, sizeof addr, "0x%" PRIx64, h->rec[i].addr);
		struct html_cell c[6] = { { n, NULL, HTML_CELL },     { k, NULL, HTML_CELL },
					  { st, NULL, HTML_CELL },    { dec, NULL, HTML_CELL },
					  { ctlr, ctdec, HTML_CELL }, { addr, NULL, HTML_CELL } };
		html_table_row(f, false, c, 6);
	}
	html_table_end(f);
}

static void free_run(struct html_run *h)
{
	for (size_t i = 0; i < h->nmark; i++)
		free(h->mark[i].title);
	free(h->mark);
	free(h->ser);
	free(h->open);
	free(h->seg);
	free(h);
}

bool html_run_close(struct html_run *h, const char *scenario_path, const struct ss_result *r)
{
	if (!h)
		return true;
	if (!r || r->status == SS_STATUS_ERROR || !h->started) {
		cli_outfile_close(&h->out, false);
		free_run(h);
		return true;
	}
	FILE *f = h->out.f;
	char buf[1024];
	uint64_t stop = h->last_cycle;
	snprintf(buf, sizeof buf, "serrsim run: %s", r->name[0] ? r->name : scenario_path);
	html_page_begin(f, buf, r->description[0] ? r->description : NULL);
	snprintf(buf, sizeof buf, "%s: %s, stop: %s after %" PRIu64 " cycles (%" PRIu64
		 " instructions, %" PRIu32 " exceptions, %" PRIu32 " deferrals); %zu of %zu "
		 "expectations failed; %" PRIu64 " SError condition%s.",
		 scenario_path, ss_status_name(r->status), ss_stop_name(r->stop), r->cycles, r->insns,
		 r->exceptions, r->deferrals, r->nfail, r->nexp, (uint64_t)(h->nser + h->dropped_ser),
		 h->nser + h->dropped_ser == 1 ? "" : "s");
	html_paragraph(f, "summary", buf);
	size_t dropped = 0;
	for (int k = 0; k < M_KINDS; k++)
		dropped += h->dropped[k];
	if (dropped || h->dropped_ser || h->dropped_seg) {
		int n = snprintf(buf, sizeof buf, "A long run: only the first %d marks and %d SErrors "
				 "are drawn; not drawn:", HTML_MAX_MARKS, HTML_MAX_SERRORS);
		for (int k = 0; k < M_KINDS && n > 0 && (size_t)n < sizeof buf; k++)
			if (h->dropped[k])
				n += snprintf(buf + n, sizeof buf - (size_t)n, " %zu of %zu %s,",
					      h->dropped[k], h->total[k], mark_names[k]);
		if (h->dropped_ser && n > 0 && (size_t)n < sizeof buf)
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %zu SErrors (the ledger above "
				      "counts them all),", h->dropped_ser);
		if (h->dropped_seg && n > 0 && (size_t)n < sizeof buf)
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %zu EL changes,", h->dropped_seg);
		if (n > 0 && (size_t)n < sizeof buf)
			buf[n - 1] = '.';
		html_paragraph(f, "note cap", buf);
	}
	fputs("<h2>Timeline</h2>\n", f);
	write_svg(f, h, stop);
	fputs(run_legend, f);
	fputs("<h2>SError conditions</h2>\n", f);
	write_serror_table(f, h);
	if (h->nrec) {
		fputs("<h2>RAS error records at the end of the run</h2>\n", f);
		write_record_table(f, h);
	}
	if (r->nexp) {
		fputs("<h2>Expectations</h2>\n", f);
		static const char *const hdr[] = { "line", "block", "expectation", "actual", "result" };
		html_table_begin(f, "expectations", hdr, 5);
		for (size_t i = 0; i < r->nexp; i++) {
			const struct ss_expect_result *e = &r->exp[i];
			char line[16], ex[3 * SS_TEXT + 8];
			snprintf(line, sizeof line, "%u", e->line);
			snprintf(ex, sizeof ex, "%s %s %s", e->lhs, e->op, e->rhs);
			struct html_cell c[5] = {
				{ line, NULL, HTML_CELL },
				{ e->block, NULL, HTML_CELL },
				{ ex, e->expected_decoded[0] ? e->expected_decoded : NULL, HTML_CELL },
				{ e->actual_text[0] ? e->actual_text : e->note,
				  e->actual_decoded[0] ? e->actual_decoded : NULL, HTML_CELL },
				{ e->pass ? "PASS" : "FAIL", NULL, e->pass ? HTML_CELL_GOOD : HTML_CELL_FAIL },
			};
			html_table_row(f, false, c, 5);
		}
		html_table_end(f);
	}
	html_page_end(f);
	bool ok = !h->oom;
	if (h->oom)
		fprintf(stderr, "serrsim: out of memory writing '%s'\n", h->out.path);
	if (!cli_outfile_close(&h->out, ok))
		ok = false;
	free_run(h);
	return ok;
}
