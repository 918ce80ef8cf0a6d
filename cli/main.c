/*
 * main.c - the serrsim command-line tool: option parsing and the commands
 * run, check, knobs, regs and decode.  Architecture rules live in model/;
 * this file only moves text in and out.
 */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "trace_out.h"
#include "progress.h"
#include "html.h"
#include "profile.h"
#include "vcpu.h"

static const char usage_text[] =
	"usage: serrsim [--help] [--version] COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"Cycle-level simulator of the AArch64 EL1/EL2 SError exception logic.\n"
	"\n"
	"commands:\n"
	"  run [-t] [-D KNOB=VALUE]... [--json] [--vcd F] [--trace-json F] FILE...\n"
	"        run scenarios; report every expectation, the SError ledger and the stop\n"
	"  check [-j N] [--json] [--tag WORD] [-D KNOB=VALUE]... DIR|FILE...\n"
	"        run every *.scn under each DIR (sorted by path), one line per scenario,\n"
	"        ending with 'N passed, N failed[, N skipped]'\n"
	"  explore [--policy all|NAME,...] [--format text|csv|json] [--enumerate] DIR|FILE...\n"
	"        run each scenario under each merge/vinject policy and compare the outcomes\n"
	"        side by side (see 'serrsim explore --help')\n"
	"  migrate-matrix [--format text|csv|json] [-D KNOB=VALUE]... DIR|FILE...\n"
	"        for scenarios with 'migrate'/'set_events': what the guest sees of its\n"
	"        pending SError, with and without the operation (docs/migration.md)\n"
	"  diff-qemu DIR|FILE...  compare with QEMU 7.2 (serrsim-qemu diff, docs/qemu.md)\n"
	"  export --qemu FILE -o DIR  write a scenario as a bare-metal program for QEMU\n"
	"  knobs            list the configuration knobs: default, values, source\n"
	"  profiles         list the named profiles (kvm-*, qemu-*) and the VMM profiles\n"
	"  regs [NAME]      list the system registers, or one register's fields\n"
	"  decode REG VALUE decode a register value field by field\n"
	"\n"
	"options:\n"
	"  -h, --help          show this help; 'serrsim COMMAND --help' or 'serrsim help\n"
	"                      COMMAND' shows a command's own\n"
	"  -V, --version       show the version\n"
	"  -t, --trace         (run) print one line per model event\n"
	"      --vcd FILE      (run, one scenario) write a VCD waveform, 1 cycle = 1 time unit\n"
	"      --trace-json FILE  (run, one scenario) write the trace events as a JSON array\n"
	"      --html FILE     (run, one scenario) write the run as a self-contained HTML timeline\n"
	"  -D, --define K=V    (run, check) override a [cpu] knob; repeatable\n"
	"  -P, --profile NAME  (run, check) apply a named profile's knob values (serrsim profiles)\n"
	"  -j, --jobs N        (check) run N scenarios in parallel\n"
	"      --json          (run, check) one JSON document on stdout (serrsim-result/1)\n"
	"      --tag WORD      (check) run only scenarios whose tags: line has WORD\n"
	"      --fail-on-lost  (run, check) a scenario that lost an SError fails\n"
	"\n"
	"exit status:\n"
	"  0  every expectation held\n"
	"  1  at least one expectation failed\n"
	"  2  usage error, unreadable file or malformed scenario\n"
	"  3  internal error (out of memory, output failure)\n";

/* Each command's own help: 'serrsim COMMAND --help' and 'serrsim help
 * COMMAND' (explore and migrate-matrix print theirs from their files).
 * Every option here is described in docs/cli.md (a test checks it). */
static const struct {
	const char *name;
	const char *text;
} command_help[] = {
	{ "run",
	  "usage: serrsim run [-t] [-D KNOB=VALUE]... [-P NAME] [--json] [--vcd FILE]\n"
	  "                   [--gtkw FILE] [--trace-json FILE] [--html FILE] [--fail-on-lost]\n"
	  "                   FILE|DIR...\n"
	  "\n"
	  "Run scenarios (FILEs in the order given, a DIR's *.scn sorted by path) and print\n"
	  "every expectation, the SError ledger and the stop reason of each.\n"
	  "\n"
	  "options:\n"
	  "  -t, --trace          print one line per model event\n"
	  "  -D, --define K=V     override a [cpu] knob; repeatable ('serrsim knobs')\n"
	  "  -P, --profile NAME   apply a named profile's knob values (serrsim profiles)\n"
	  "      --json           one JSON document on standard output (serrsim-result/1)\n"
	  "      --vcd FILE       (one scenario) VCD waveform, 1 cycle = 1 time unit; - = stdout\n"
	  "      --gtkw FILE      (with --vcd) a GTKWave save file showing the signals in groups\n"
	  "      --trace-json FILE  (one scenario) the trace events as a JSON array; - = stdout\n"
	  "      --html FILE      (one scenario) a self-contained HTML page: the timeline of the\n"
	  "                       run per EL, every SError and its fate; - = stdout\n"
	  "      --fail-on-lost   a scenario whose ledger lost an SError fails, the reason on\n"
	  "                       standard error (a warning line in the output either way)\n"
	  "  -h, --help           show this help\n"
	  "\n"
	  "exit status: 0 every expectation held, 1 one failed, 2 usage error, unreadable\n"
	  "path or malformed scenario, 3 internal or output error.\n" },
	{ "check",
	  "usage: serrsim check [-j N] [--json|--tap] [--junit FILE] [--tag WORD] [-D KNOB=VALUE]...\n"
	  "                     [-P NAME] [-q] [--fail-on-lost] DIR|FILE...\n"
	  "\n"
	  "Run every *.scn under each DIR (recursively, sorted by path) and every FILE; one\n"
	  "line per scenario (PASS, FAIL with each failed expectation, SKIP), ending with\n"
	  "'N passed, N failed[, N skipped]'.\n"
	  "\n"
	  "options:\n"
	  "  -j, --jobs N         run N scenarios in parallel (1 to 256)\n"
	  "      --json           one JSON document on standard output (serrsim-result/1)\n"
	  "      --tag WORD       run only scenarios whose tags: line has WORD (others SKIP)\n"
	  "      --tap            TAP version 13 on standard output (as kselftests print it)\n"
	  "      --junit FILE     also write JUnit XML: one testcase per scenario, with its time\n"
	  "  -D, --define K=V     override a [cpu] knob; repeatable ('serrsim knobs')\n"
	  "  -P, --profile NAME   apply a named profile's knob values (serrsim profiles)\n"
	  "  -q, --quiet          no progress line on standard error (shown on a terminal)\n"
	  "      --fail-on-lost   a scenario whose ledger lost an SError fails (for CI), the\n"
	  "                       reason on standard error\n"
	  "  -h, --help           show this help\n"
	  "\n"
	  "exit status: 0 every scenario passed, 1 one failed, 2 usage error, unreadable\n"
	  "path or malformed scenario, 3 internal or output error.\n" },
	{ "diff-qemu",
	  "usage: serrsim diff-qemu [-j N] [-v] [-q] [--min-agree N] [--keep DIR] DIR|FILE...\n"
	  "\n"
	  "Export each scenario as a bare-metal AArch64 program, run it under QEMU 7.2\n"
	  "(qemu-system-aarch64) and compare every value its expectations read with\n"
	  "serrsim's under the matching profile (docs/qemu.md).  Prints AGREE, DIFFER or\n"
	  "SKIP (with the reason) per scenario and 'N agree, N differ, N skipped'.\n"
	  "\n"
	  "options:\n"
	  "  -j, --jobs N         run N scenarios at once\n"
	  "  -v, --verbose        give the number of values compared for each AGREE\n"
	  "      --min-agree N    also fail when fewer than N scenarios agree\n"
	  "      --keep DIR       keep each exported program under DIR\n"
	  "  -q, --quiet          no progress line on standard error (shown on a terminal)\n"
	  "  -h, --help           show this help\n"
	  "\n"
	  "environment: SERRSIM_QEMU (qemu-system-aarch64), SERRSIM_CROSS_CC\n"
	  "(aarch64-linux-gnu-gcc), SERRSIM_QEMU_TIMEOUT (seconds, default 10).\n"
	  "exit status: 0 nothing differs, 1 a scenario differs (or fewer than --min-agree\n"
	  "agree), 2 usage error, 3 output error, 77 QEMU or the cross compiler missing.\n" },
	{ "export",
	  "usage: serrsim export --qemu FILE -o DIR [--no-build] [--run]\n"
	  "\n"
	  "Write a scenario as a bare-metal AArch64 program for QEMU 7.2 into DIR\n"
	  "(prog.S, link.ld, run.sh), build it (prog.elf) and, with --run, run it and\n"
	  "compare as diff-qemu does (docs/qemu.md).\n"
	  "\n"
	  "options:\n"
	  "      --qemu           the target (the only one; may be omitted)\n"
	  "  -o, --output DIR     where to write the program\n"
	  "      --no-build       write the files only\n"
	  "      --run            run the program under QEMU and compare\n"
	  "  -h, --help           show this help\n"
	  "\n"
	  "exit status: 0 exported (and, with --run, agreeing), 1 --run found a difference,\n"
	  "2 usage error or a scenario that cannot be exported (the reason on stderr),\n"
	  "3 output error, 77 QEMU or the cross compiler missing.\n" },
	{ "profiles",
	  "usage: serrsim profiles\n"
	  "\n"
	  "List the named profiles (-P NAME, or 'profile: NAME' in a scenario's header;\n"
	  "-P wins) with each knob value and its source, then the VMM profiles\n"
	  "('migrate ... vmm=NAME') with their sources (docs/migration.md).\n" },
	{ "knobs",
	  "usage: serrsim knobs\n"
	  "\n"
	  "List every configuration knob: name, default, values, source, and a line\n"
	  "describing it (docs/model.md).\n" },
	{ "regs",
	  "usage: serrsim regs [NAME]\n"
	  "\n"
	  "List the modelled system registers (encoding, lowest EL, RW/RO, feature, reset\n"
	  "value, layout), or one register's fields and its layout variants.\n" },
	{ "decode",
	  "usage: serrsim decode REG VALUE\n"
	  "\n"
	  "Decode VALUE (decimal, 0x hex or 0b binary, '_' separators) as register REG,\n"
	  "field by field, in the layout variant the value selects (ESR_EL1 0xbe000c11:\n"
	  "EC=SError IL=1 IDS=0 IESB=0 AET=UER EA=0 DFSC=AsyncSError).\n" },
};

/* The help of a command, or NULL (then the generic help serves). */
static const char *help_of(const char *cmd)
{
	for (size_t i = 0; i < sizeof command_help / sizeof command_help[0]; i++)
		if (!strcmp(command_help[i].name, cmd))
			return command_help[i].text;
	return NULL;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "serrsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'serrsim --help'.\n");
	return EXIT_USAGE;
}

/* --- options shared by run and check ------------------------------------------------ */

struct opts {
	bool trace, json, help, tap, quiet;
	const char *junit;		/* check: JUnit XML file */
	unsigned jobs;
	const char *tag;
	const char *vcd, *trace_json;	/* run: trace output files (trace_out.h) */
	const char *gtkw;		/* run: GTKWave save file for the VCD */
	const char *html;		/* run: the HTML timeline (html.h) */
	struct ss_knob_override *ov;
	size_t nov;
	const char *profile;		/* -P NAME (the last one) */
	bool fail_on_lost;		/* --fail-on-lost: a lost SError fails the scenario */
};

static bool add_override(struct opts *o, char *arg)
{
	return cli_add_define(&o->ov, &o->nov, arg);
}

/* -P NAME: a named profile's knob values, as -D overrides (docs/qemu.md). */
static bool add_profile(struct opts *o, const char *name)
{
	const struct ss_profile *p = ss_profile_find(name);
	if (!p) {
		char known[256] = "";
		for (size_t i = 0; ss_profiles[i]; i++)
			snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
				 i ? ", " : "", ss_profiles[i]->name);
		fprintf(stderr, "serrsim: unknown profile '%s' (known: %s)\nTry 'serrsim --help'.\n",
			name, known);
		return false;
	}
	struct ss_knob_override *v = realloc(o->ov, (o->nov + p->n) * sizeof *v);
	if (!v)
		return false;
	o->ov = v;
	o->profile = p->name;
	return ss_profile_overrides(p, o->ov, &o->nov, o->nov + p->n);
}

/* serrsim diff-qemu / export: the serrsim-qemu tool (qemu/, docs/qemu.md),
 * found in this binary's directory (installed: both in bin/), in the build
 * tree (build/cli/../qemu/), or on PATH.  The binary is /proc/self/exe when
 * readable (run through PATH or a link), else argv[0]. */
static int exec_qemu_tool(int argc, char **argv, const char *self)
{
	char path[4096], exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		self = exe;
	}
	const char *slash = strrchr(self, '/');
	char **args = calloc((size_t)argc + 2, sizeof *args);
	if (!args)
		return EXIT_INTERNAL;
	args[0] = "serrsim-qemu";
	args[1] = strcmp(argv[0], "diff-qemu") ? argv[0] : "diff";
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	if (slash) {
		snprintf(path, sizeof path, "%.*s/serrsim-qemu", (int)(slash - self), self);
		execv(path, args);
		snprintf(path, sizeof path, "%.*s/../qemu/serrsim-qemu", (int)(slash - self), self);
		execv(path, args);
	}
	execvp("serrsim-qemu", args);
	fprintf(stderr, "serrsim: %s needs serrsim-qemu (qemu/), which was not found\n", argv[0]);
	free(args);
	return EXIT_USAGE;
}

static bool parse_jobs(const char *s, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 256)
		return false;
	*out = (unsigned)v;
	return true;
}

enum { OPT_JSON = 1000, OPT_TAG, OPT_VCD, OPT_TRACE_JSON, OPT_TAP, OPT_JUNIT, OPT_GTKW, OPT_HTML,
       OPT_FAIL_ON_LOST };

static bool parse_opts(int argc, char **argv, struct opts *o, bool is_check)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },	{ "trace", no_argument, NULL, 't' },
		{ "define", required_argument, NULL, 'D' }, { "jobs", required_argument, NULL, 'j' },
		{ "json", no_argument, NULL, OPT_JSON }, { "tag", required_argument, NULL, OPT_TAG },
		{ "profile", required_argument, NULL, 'P' },
		{ "vcd", required_argument, NULL, OPT_VCD },
		{ "trace-json", required_argument, NULL, OPT_TRACE_JSON },
		{ "tap", no_argument, NULL, OPT_TAP },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "gtkw", required_argument, NULL, OPT_GTKW },
		{ "quiet", no_argument, NULL, 'q' },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "fail-on-lost", no_argument, NULL, OPT_FAIL_ON_LOST },
		{ NULL, 0, NULL, 0 },
	};
	int c, li = -1;
	optind = 0;	/* GNU getopt: start over completely */
	opterr = 0;
	while ((c = getopt_long(argc, argv, is_check ? ":hqD:P:j:" : ":htD:P:", longopts, &li)) != -1) {
		int idx = li;
		li = -1;
		switch (c) {
		case 'h': o->help = true; break;
		case 'q': if (!is_check) goto bad; o->quiet = true; break;
		case 't': if (is_check) goto bad; o->trace = true; break;
		case 'D': if (!add_override(o, optarg)) return false; break;
		case 'P': if (!add_profile(o, optarg)) return false; break;	/* profile.h */
		case 'j':
			if (!is_check)
				goto bad;
			if (!parse_jobs(optarg, &o->jobs)) {
				usage_error("-j expects a number from 1 to 256, got '%s'",
					    cli_clip(optarg));
				return false;
			}
			break;
		case OPT_JSON: o->json = true; break;
		case OPT_VCD: if (is_check) goto bad; o->vcd = optarg; break;
		case OPT_TRACE_JSON: if (is_check) goto bad; o->trace_json = optarg; break;
		case OPT_HTML: if (is_check) goto bad; o->html = optarg; break;
		case OPT_TAG: if (!is_check) goto bad; o->tag = optarg; break;
		case OPT_TAP: if (!is_check) goto bad; o->tap = true; break;
		case OPT_JUNIT: if (!is_check) goto bad; o->junit = optarg; break;
		case OPT_GTKW: if (is_check) goto bad; o->gtkw = optarg; break;
		case OPT_FAIL_ON_LOST: o->fail_on_lost = true; break;
		case ':':
			usage_error("option '%s' needs a value", cli_clip(argv[optind - 1]));
			return false;
		bad: {
			/* A known option that this command does not take: name it as
			 * the option, not as its value. */
			char name[64];
			if (idx >= 0)
				snprintf(name, sizeof name, "--%s", longopts[idx].name);
			else
				snprintf(name, sizeof name, "-%c", c);
			fprintf(stderr, "serrsim: %s: option '%s' is not valid here\n"
				"Try 'serrsim %s --help'.\n", argv[0], name, argv[0]);
			return false;
		}
		default:
			if (optopt)
				usage_error("unknown option '-%s'", (char[]){ (char)optopt, 0 });
			else
				usage_error("unknown option '%s'", cli_clip(argv[optind - 1]));
			return false;
		}
	}
	return true;
}

/* --- run and check --------------------------------------------------------------------- */

struct tally {
	size_t passed, failed, skipped;
	bool error;
};

static void count(struct tally *t, const struct ss_result *r)
{
	switch (r->status) {
	case SS_STATUS_PASS: t->passed++; break;
	case SS_STATUS_SKIP: t->skipped++; break;
	case SS_STATUS_ERROR: t->error = true; t->failed++; break;
	case SS_STATUS_FAIL: t->failed++; break;
	}
}

static int exit_status(const struct tally *t)
{
	return t->error ? EXIT_USAGE : t->failed ? EXIT_FAIL : EXIT_PASS;
}

/* --tag: which scenarios have the tag (a scenario that does not parse is
 * not selected: its result is the parse error). */
static void select_tag(const struct path_list *pl, const char *tag, bool *selected)
{
	struct ss_run_options popt = { .parse_only = true };
	struct ss_result *r = malloc(sizeof *r);
	for (size_t i = 0; r && i < pl->n; i++) {
		ss_scenario_run_file(pl->v[i], &popt, r);
		selected[i] = r->status != SS_STATUS_ERROR && ss_result_has_tag(r, tag);
		ss_result_free(r);
	}
	free(r);
}

/* The scenario names seen so far (each with the first path that has it),
 * for the warning about two files with one name: their PASS/FAIL lines
 * would read alike. */
struct names {
	struct name_ent { char *name; size_t first; } *v;	/* open addressing */
	size_t n, cap;
	struct name_dup { const char *name; size_t first, later; } *dup;	/* in the order found */
	size_t ndup, capdup;
};

static size_t name_hash(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

static bool names_grow(struct names *nm)
{
	size_t ncap = nm->cap ? nm->cap * 2 : 256;
	struct name_ent *v = calloc(ncap, sizeof *v);
	if (!v)
		return false;
	for (size_t k = 0; k < nm->cap; k++)
		if (nm->v[k].name) {
			size_t h = name_hash(nm->v[k].name) & (ncap - 1);
			while (v[h].name)
				h = (h + 1) & (ncap - 1);
			v[h] = nm->v[k];
		}
	free(nm->v);
	nm->v = v;
	nm->cap = ncap;
	return true;
}

static void names_note(struct names *nm, const char *name, size_t i)
{
	if (nm->n * 2 >= nm->cap && !names_grow(nm))
		return;
	size_t h = name_hash(name) & (nm->cap - 1);
	for (; nm->v[h].name; h = (h + 1) & (nm->cap - 1)) {
		if (strcmp(nm->v[h].name, name) != 0)
			continue;
		if (nm->ndup == nm->capdup) {
			size_t nc = nm->capdup ? nm->capdup * 2 : 16;
			struct name_dup *dv = realloc(nm->dup, nc * sizeof *dv);
			if (!dv)
				return;
			nm->dup = dv;
			nm->capdup = nc;
		}
		nm->dup[nm->ndup++] = (struct name_dup){ nm->v[h].name, nm->v[h].first, i };
		return;
	}
	if ((nm->v[h].name = strdup(name))) {
		nm->v[h].first = i;
		nm->n++;
	}
}

static void names_warn(const struct names *nm, const struct path_list *pl)
{
	for (size_t k = 0; k < nm->ndup; k++)
		fprintf(stderr, "serrsim: warning: scenario name '%s' is used by both '%s' and '%s'\n",
			nm->dup[k].name, pl->v[nm->dup[k].first], pl->v[nm->dup[k].later]);
}

static void names_free(struct names *nm)
{
	for (size_t k = 0; k < nm->cap; k++)
		free(nm->v[k].name);
	free(nm->v);
	free(nm->dup);
}

/* --fail-on-lost: a passing scenario that lost an SError (ledger state
 * dropped: overwritten, EINVAL, dropped by the VMM) fails, with the reason
 * on stderr. */
static bool lost_any(const struct ss_result *r)
{
	for (size_t j = 0; j < r->nledger; j++)
		if (r->ledger[j].lost)
			return true;
	return false;
}

static void fail_lost(const char *path, struct ss_result *r)
{
	if (r->status != SS_STATUS_PASS)
		return;
	for (size_t j = 0; j < r->nledger; j++)
		if (r->ledger[j].lost) {
			fprintf(stderr, "serrsim: %s: SError condition #%" PRIu32 " lost: %s (--fail-on-lost)\n",
				r->name[0] ? r->name : path, r->ledger[j].c.id, r->ledger[j].lost);
			r->status = SS_STATUS_FAIL;
		}
}

/* The report, written as the results come (cli_result_fn): text lines,
 * JSON or TAP on 'out', the JUnit testcases on 'junit', the summary after
 * the last.  What it keeps per scenario is the tally and the names. */
struct report {
	FILE *out;
	const struct opts *o;
	const struct path_list *pl;
	bool is_check;
	bool tty;			/* 'out' is a terminal: the progress line is erased first */
	struct tally t;
	struct names names;
	bool json_ok;
	FILE *junit;			/* --junit: the testcases until the header is known */
	size_t junit_failures, junit_errors;
	double junit_total;
	bool keep_first;		/* --gtkw, --html: the first result is kept */
	struct ss_result first;
	struct ss_result *held;		/* -t: every result, reported after the traces */
};

static void report_one(struct report *rp, size_t i, struct ss_result *r, double secs)
{
	FILE *out = rp->out;
	const char *path = rp->pl->v[i];
	if (rp->tty || r->status == SS_STATUS_ERROR ||
	    (rp->o->fail_on_lost && r->status == SS_STATUS_PASS && lost_any(r)))
		cli_progress_clear();
	if (rp->o->fail_on_lost)
		fail_lost(path, r);
	count(&rp->t, r);
	if (rp->o->tap)
		tap_result(out, i, path, r, secs);
	else if (rp->o->json)
		rp->json_ok = rp->json_ok && cli_json_result(out, i, path, r);
	else if (rp->is_check)
		print_check_line(out, path, r);
	else if (r->status != SS_STATUS_ERROR)
		print_run_report(out, path, r);
	if (r->status == SS_STATUS_ERROR) {
		fflush(out);
		print_diags(stderr, path, r);
	} else if (r->name[0]) {
		names_note(&rp->names, r->name, i);
	}
	if (rp->junit) {
		rp->junit_failures += r->status == SS_STATUS_FAIL;
		rp->junit_errors += r->status == SS_STATUS_ERROR;
		rp->junit_total += secs;
		junit_testcase(rp->junit, path, r, secs);
	}
	if (rp->keep_first && i == 0) {
		rp->first = *r;
		ss_result_init(r);
	}
}

static void report_result(void *ctx, size_t i, struct ss_result *r, double secs)
{
	struct report *rp = ctx;
	if (rp->held) {
		rp->held[i] = *r;
		ss_result_init(r);
		return;
	}
	report_one(rp, i, r, secs);
}

/* The trace outputs must not overwrite an input or each other; with one on
 * standard output, the report goes to standard error. */
static bool check_outputs(const struct opts *o, const struct path_list *pl, const char *cmd)
{
	const char *outs[5] = { o->vcd, o->trace_json, o->junit, o->gtkw, o->html };
	const char *names[5] = { "--vcd", "--trace-json", "--junit", "--gtkw", "--html" };
	if (o->gtkw && (!o->vcd || !strcmp(o->gtkw, "-") ||
			(o->vcd && cli_same_path(o->gtkw, o->vcd)) ||
			(o->trace_json && cli_same_path(o->gtkw, o->trace_json)))) {
		fprintf(stderr, "serrsim: %s: --gtkw needs --vcd and a file of its own\n", cmd);
		return false;
	}
	for (int a = 0; a < 5; a++)
		for (int b = a + 1; b < 5; b++)
			if (outs[a] && outs[b] && (a || b != 1) && cli_same_path(outs[a], outs[b])) {
				fprintf(stderr, "serrsim: %s: %s and %s name the same output '%s'\n", cmd,
					names[a], names[b], cli_clip(outs[a]));
				return false;
			}
	if (o->vcd && o->trace_json && cli_same_path(o->vcd, o->trace_json)) {
		fprintf(stderr, "serrsim: %s: --vcd and --trace-json name the same output '%s'\n",
			cmd, cli_clip(o->vcd));
		return false;
	}
	if (o->tap && o->json) {
		fprintf(stderr, "serrsim: %s: --tap and --json both choose the report's format\n", cmd);
		return false;
	}
	for (int k = 0; k < 5; k++) {
		if (!outs[k])
			continue;
		if (!outs[k][0]) {
			fprintf(stderr, "serrsim: %s: %s needs a file name (or - for standard output)\n",
				cmd, names[k]);
			return false;
		}
		if (!strcmp(outs[k], "-") && (o->json || o->tap)) {
			fprintf(stderr, "serrsim: %s: %s - and the report would both write standard output\n",
				cmd, names[k]);
			return false;
		}
		for (size_t i = 0; i < pl->n; i++)
			if (cli_same_path(outs[k], pl->v[i])) {
				fprintf(stderr, "serrsim: %s: %s '%s' is the input scenario '%s': refusing to "
					"overwrite it\n", cmd, names[k], cli_clip(outs[k]), pl->v[i]);
				return false;
			}
	}
	return true;
}

/* After the last result: the JSON's end or the summary, the warnings. */
static int report_end(struct report *rp)
{
	FILE *out = rp->out;
	const struct tally *t = &rp->t;
	if (rp->o->tap) {
		names_warn(&rp->names, rp->pl);
		return fflush(out) != 0 ? EXIT_INTERNAL : exit_status(t);
	}
	if (rp->o->json) {
		if (!cli_json_end(out, rp->pl->n, t->passed, t->failed, t->skipped) || !rp->json_ok)
			return EXIT_INTERNAL;
	} else if (rp->is_check || rp->pl->n > 1) {
		print_summary(out, t->passed, t->failed, t->skipped);
	}
	fflush(stderr);
	names_warn(&rp->names, rp->pl);
	if (fflush(out) != 0)
		return EXIT_INTERNAL;
	return exit_status(t);
}

static int cmd_run_or_check(int argc, char **argv, bool is_check)
{
	struct opts o = { .jobs = 1 };
	struct path_list pl = { 0 };
	struct report rp = { .o = &o, .pl = &pl, .is_check = is_check, .json_ok = true };
	int rc = EXIT_USAGE;
	if (!parse_opts(argc, argv, &o, is_check))
		goto out;
	if (o.help) {
		fputs(help_of(argv[0]), stdout);
		rc = EXIT_PASS;
		goto out;
	}
	if (optind >= argc) {
		rc = usage_error("%s: no scenario given", argv[0]);
		goto out;
	}
	for (int i = optind; i < argc; i++)
		if (!collect_paths(&pl, argv[i]))
			goto out;
	if (is_check)
		sort_paths(&pl);
	struct trace_outputs to;
	if ((o.vcd || o.trace_json || o.html) && pl.n != 1) {
		rc = usage_error("%s: --vcd, --trace-json and --html take exactly one scenario", argv[0]);
		goto out;
	}
	if (!check_outputs(&o, &pl, argv[0]))
		goto out;
	FILE *text = (o.vcd && !strcmp(o.vcd, "-")) || (o.trace_json && !strcmp(o.trace_json, "-")) ||
			     (o.junit && !strcmp(o.junit, "-")) || (o.html && !strcmp(o.html, "-"))
			     ? stderr : stdout;
	rp.out = text;
	rp.tty = isatty(fileno(text)) == 1;
	rp.keep_first = o.gtkw || o.html;
	if (o.trace && !(rp.held = calloc(pl.n ? pl.n : 1, sizeof *rp.held))) {
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (o.junit && !(rp.junit = tmpfile())) {
		fprintf(stderr, "serrsim: cannot create a temporary file: %s\n", strerror(errno));
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (!trace_outputs_open(&to, o.trace && !o.json ? text : NULL, o.vcd, o.trace_json,
				pl.n ? pl.v[0] : ""))
		goto out;
	struct html_run *hr = NULL;
	if (o.html && !(hr = html_run_attach(&to, o.html))) {
		trace_outputs_close(&to);
		goto out;
	}
	struct ss_run_options ro = { .overrides = o.ov, .noverrides = o.nov, .profile = o.profile,
				     .trace = trace_outputs_observer(&to),
				     .trace_start = trace_outputs_start };
	/* The report begins before the first result (-t: after the traces). */
	if (!rp.held) {
		if (o.tap)
			tap_begin(text, pl.n);
		else if (o.json)
			rp.json_ok = cli_json_begin(text);
	}
	bool *sel = NULL;
	if (o.tag) {
		sel = calloc(pl.n ? pl.n : 1, sizeof *sel);
		if (sel) {
			select_tag(&pl, o.tag, sel);
			size_t nsel = 0;
			for (size_t i = 0; i < pl.n; i++)
				nsel += sel[i];
			if (is_check)
				cli_progress_begin("check", nsel, "scenarios", o.quiet);
		}
	} else if (is_check && !o.trace) {
		cli_progress_begin("check", pl.n, "scenarios", o.quiet);
	}
	bool ran = (!o.tag || sel) &&
		   run_stream(&pl, &ro, o.trace ? 1 : o.jobs, sel, report_result, &rp);
	free(sel);
	cli_progress_end();
	if (rp.held) {
		struct ss_result *held = rp.held;
		rp.held = NULL;
		if (o.tap)
			tap_begin(text, pl.n);
		else if (o.json)
			rp.json_ok = cli_json_begin(text);
		for (size_t i = 0; i < pl.n; i++) {
			report_one(&rp, i, &held[i], 0.0);
			ss_result_free(&held[i]);
		}
		free(held);
	}
	rc = ran ? report_end(&rp) : EXIT_INTERNAL;
	if (!trace_outputs_close(&to))
		rc = EXIT_INTERNAL;
	if (o.gtkw && rp.first.status != SS_STATUS_ERROR &&
	    !vcd_write_gtkw(o.gtkw, o.vcd, rp.first.cfg.ras_records)) {
		fprintf(stderr, "serrsim: cannot write '%s': %s\n", o.gtkw, strerror(errno));
		rc = EXIT_INTERNAL;
	}
	if (hr && !html_run_close(hr, pl.v[0], &rp.first))
		rc = EXIT_INTERNAL;
	if (o.junit) {
		struct cli_outfile jf;
		if (!cli_outfile_create(&jf, o.junit)) {
			rc = EXIT_USAGE;
		} else {
			bool ok = junit_write(jf.f, rp.junit, pl.n, rp.junit_failures, rp.junit_errors,
					      rp.t.skipped, rp.junit_total);
			if (!cli_outfile_close(&jf, ok) || !ok)
				rc = EXIT_INTERNAL;
		}
	}
out:
	if (rp.junit)
		fclose(rp.junit);
	free(rp.held);
	ss_result_free(&rp.first);
	names_free(&rp.names);
	free_paths(&pl);
	free(o.ov);
	return rc;
}

/* --- knobs, regs, decode ------------------------------------------------------------------- */

static void knob_values(const struct ss_knob *k, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	switch (k->type) {
	case SS_KNOB_BOOL:
		snprintf(buf, len, "on|off");
		return;
	case SS_KNOB_ENUM:
		for (unsigned i = 0; k->values && k->values[i] && used < len; i++) {
			int n = snprintf(buf + used, len - used, "%s%s", i ? "|" : "", k->values[i]);
			used += n > 0 ? (size_t)n : 0;
		}
		return;
	case SS_KNOB_U32:
	case SS_KNOB_U64:
		snprintf(buf, len, "0..%llu", (unsigned long long)k->max);
		return;
	}
}

/* serrsim profiles: every named profile, then the VMM profiles. */
static int cmd_profiles(void)
{
	for (size_t i = 0; ss_profiles[i]; i++) {
		const struct ss_profile *p = ss_profiles[i];
		printf("%s\n    %s\n", p->name, p->description);
		for (size_t j = 0; j < p->n; j++)
			printf("    %-24s = %-22s %s\n", p->entries[j].knob, p->entries[j].value,
			       p->entries[j].evidence);
	}
	printf("\nVMM profiles (migrate ... vmm=NAME)\n");
	for (unsigned v = 0; v < SS_VMM_COUNT; v++)
		printf("    %-17s %s\n", ss_vmm_name((enum ss_vmm)v), ss_vmm_source((enum ss_vmm)v));
	return EXIT_PASS;
}

static int cmd_knobs(void)
{
	struct ss_config cfg;
	ss_config_default(&cfg);
	char def[64], vals[160];
	printf("%-26s %-12s %-28s %s\n", "KNOB", "DEFAULT", "VALUES", "SOURCE");
	for (size_t i = 0; i < ss_num_knobs; i++) {
		const struct ss_knob *k = &ss_knobs[i];
		ss_knob_format(&cfg, k, def, sizeof def);
		knob_values(k, vals, sizeof vals);
		printf("%-26s %-12s %-28s %s\n", k->name, def, vals, k->source ? k->source : "");
		if (k->help)
			printf("    %s\n", k->help);
	}
	return EXIT_PASS;
}

static const char *feature_name(enum ss_feat f)
{
	return f == SS_FEAT_ALWAYS || (unsigned)f >= SS_FEAT_COUNT ? "-" : ss_features[f].name;
}

static void print_fields(const struct ss_layout *l)
{
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ss_field *f = &l->fields[i];
		char bits[16];
		if (f->msb == f->lsb)
			snprintf(bits, sizeof bits, "%u", f->msb);
		else
			snprintf(bits, sizeof bits, "%u:%u", f->msb, f->lsb);
		const char *name = f->kind == SS_FIELD_RES0 ? "RES0" : f->kind == SS_FIELD_RES1 ? "RES1"
													: f->name;
		printf("    %-6s %s", bits, name);
		if (f->en) {
			printf("  {");
			for (unsigned j = 0; j < f->en->n; j++)
				printf("%s%s=0x%llx", j ? " " : "", f->en->vals[j].name,
				       (unsigned long long)f->en->vals[j].value);
			printf("}");
		}
		printf("\n");
	}
}

static void print_variant_conds(const struct ss_layout *v)
{
	for (unsigned c = 0; c < v->nconds; c++) {
		const struct ss_field *f = &v->fields[v->conds[c].field];
		const char *sym = ss_enum_name(f->en, v->conds[c].value);
		if (sym)
			printf(" %s=%s", f->name, sym);
		else
			printf(" %s=0x%llx", f->name, (unsigned long long)v->conds[c].value);
	}
}

static int cmd_reg(const char *name)
{
	const struct ss_sysreg *r = ss_sysreg_by_name(name);
	if (!r) {
		fprintf(stderr, "serrsim: unknown register '%s' (see 'serrsim regs')\n", name);
		return EXIT_USAGE;
	}
	printf("%s: layout %s, reset 0x%llx, access EL%u %s, feature %s\n", r->name, r->layout->name,
	       (unsigned long long)r->reset, r->min_el, r->access == SS_ACCESS_RO ? "RO" : "RW",
	       feature_name(r->feature));
	print_fields(r->layout);
	for (unsigned i = 0; i < SS_NUM_LAYOUTS; i++) {
		const struct ss_layout *v = &ss_layouts[i];
		if (v->base != r->layout)
			continue;
		printf("  variant %s when", v->name);
		print_variant_conds(v);
		printf(":\n");
		print_fields(v);
	}
	return EXIT_PASS;
}

static int cmd_regs(int argc, char **argv)
{
	if (argc > 2)
		return usage_error("regs: %s", "at most one register name");
	if (argc == 2)
		return cmd_reg(argv[1]);
	printf("%-18s %-16s %-6s %-4s %-8s %-18s %s\n", "REGISTER", "ENCODING", "ACCESS", "", "FEATURE",
	       "RESET", "LAYOUT");
	for (unsigned i = 0; i < SS_REG_COUNT; i++) {
		const struct ss_sysreg *r = &ss_sysregs[i];
		char enc[32] = "-";
		if (r->has_enc)
			snprintf(enc, sizeof enc, "%u,%u,c%u,c%u,%u", r->op0, r->op1, r->crn, r->crm, r->op2);
		printf("%-18s %-16s EL%-4u %-4s %-8s 0x%016llx %s\n", r->name, enc, r->min_el,
		       r->access == SS_ACCESS_RO ? "RO" : "RW", feature_name(r->feature),
		       (unsigned long long)r->reset, r->layout->name);
	}
	return EXIT_PASS;
}

static int cmd_decode(int argc, char **argv)
{
	if (argc != 3)
		return usage_error("decode: %s", "expected REG VALUE");
	const struct ss_sysreg *r = ss_sysreg_by_name(argv[1]);
	if (!r) {
		fprintf(stderr, "serrsim: unknown register '%s' (see 'serrsim regs')\n", argv[1]);
		return EXIT_USAGE;
	}
	uint64_t v;
	const char *err = ss_parse_number(argv[2], &v);
	if (err) {
		fprintf(stderr, "serrsim: decode: bad value '%s': %s\n", cli_clip(argv[2]), err);
		return EXIT_USAGE;
	}
	char buf[512];
	ss_decode(r->layout, v, buf, sizeof buf);
	const struct ss_layout *l = ss_layout_for(r->layout, v);
	printf("%s 0x%llx (%s): %s\n", r->name, (unsigned long long)v, l->name, buf);
	return EXIT_PASS;
}

/* --- main ----------------------------------------------------------------------------------- */

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

static int dispatch(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "missing command");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		if (argc > 3)
			return usage_error("%s: at most one command name", cmd);
		if (argc == 3 && !strcmp(cmd, "help")) {
			/* serrsim help COMMAND: as 'serrsim COMMAND --help' */
			if (!strcmp(argv[2], "explore") || !strcmp(argv[2], "migrate-matrix")) {
				char *args[] = { argv[2], "--help", NULL };
				return !strcmp(argv[2], "explore") ? cmd_explore(2, args)
								    : cmd_migrate_matrix(2, args);
			}
			const char *h = help_of(argv[2]);
			if (!h)
				return usage_error("help: unknown command '%s'", cli_clip(argv[2]));
			fputs(h, stdout);
			return EXIT_PASS;
		}
		fputs(usage_text, stdout);
		return EXIT_PASS;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		if (argc > 2)
			return usage_error("%s takes no arguments", cmd);
		printf("serrsim %s\n", SERRSIM_VERSION);
		return EXIT_PASS;
	}
	if (!strcmp(cmd, "run") || !strcmp(cmd, "check"))
		return cmd_run_or_check(argc - 1, argv + 1, !strcmp(cmd, "check"));
	if (!strcmp(cmd, "explore"))
		return cmd_explore(argc - 1, argv + 1);
	if (!strcmp(cmd, "migrate-matrix"))
		return cmd_migrate_matrix(argc - 1, argv + 1);
	if (wants_help(argc - 1, argv + 1)) {
		const char *h = help_of(cmd);
		fputs(h ? h : usage_text, stdout);
		return h ? EXIT_PASS : usage_error("unknown command '%s'", cli_clip(cmd));
	}
	if (!strcmp(cmd, "diff-qemu") || !strcmp(cmd, "export")) {
		/* Nothing of ours is buffered: the tool checks its own output. */
		if (cli_finish_stdout(EXIT_PASS) != EXIT_PASS)
			return EXIT_INTERNAL;
		return exec_qemu_tool(argc - 1, argv + 1, argv[0]);
	}
	if (!strcmp(cmd, "profiles"))
		return argc == 2 ? cmd_profiles() : usage_error("profiles: %s", "takes no arguments");
	if (!strcmp(cmd, "knobs"))
		return argc == 2 ? cmd_knobs() : usage_error("knobs: %s", "takes no arguments");
	if (!strcmp(cmd, "regs"))
		return cmd_regs(argc - 1, argv + 1);
	if (!strcmp(cmd, "decode"))
		return cmd_decode(argc - 1, argv + 1);
	return usage_error("unknown command '%s'", cli_clip(cmd));
}

int serrsim_cli_main(int argc, char **argv)
{
	return cli_finish_stdout(dispatch(argc, argv));
}
