/*
 * serrsim_sc.cc - serrsim-sc, the SystemC testbench: runs scenario files
 * through serrsim::Pe, with their timed events arriving on the module's
 * ports, and reports exactly as 'serrsim check' does.
 *
 *   serrsim-sc [-D KNOB=VALUE]... [--quantum N] [--inputs ports|calls] DIR|FILE...
 *   serrsim-sc --compare [--variants] [-v] [-D KNOB=VALUE]... [--inputs ports|calls] DIR|FILE...
 *
 * --compare runs every scenario twice, on the pure-C engine and through the
 * SystemC module, and compares the results: every expectation (verdict,
 * actual value, note), stop reason and address, cycles, instructions,
 * exceptions, deferrals, the ledger, and a digest of the whole trace (every
 * instruction, exception, condition and register write with its cycle).
 * It ends with "N equivalent, N differ".  --variants also runs every
 * variant of a template (otherwise the first, as 'serrsim check').
 *
 * One SystemC simulation serves all scenarios: the testbench thread runs
 * them one after the other, attaching the module to each scenario's PE at
 * the current SystemC time.
 */
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <systemc>

#include "serrsim_pe.h"

extern "C" {
#include "cli.h"
}

using namespace sc_core;

namespace {

const char usage_text[] =
	"usage: serrsim-sc [-D KNOB=VALUE]... [--period NS] [--quantum N] [--inputs ports|calls]\n"
	"                  DIR|FILE...\n"
	"       serrsim-sc --compare [--variants] [-v] [-D KNOB=VALUE]... [--inputs ports|calls]\n"
	"                  DIR|FILE...\n"
	"\n"
	"Runs scenarios through the SystemC module serrsim::Pe, their timed events\n"
	"arriving on its ports.  Without --compare the output is that of\n"
	"'serrsim check'.\n"
	"\n"
	"  -D, --define K=V  override a [cpu] knob; repeatable\n"
	"      --period NS   clock period in nanoseconds (default 1)\n"
	"      --quantum N   let the model run up to N cycles ahead (default 0: exact)\n"
	"      --inputs calls  deliver the events through the module's SerrorTarget\n"
	"                    export (calls, no delta cycle) instead of its ports\n"
	"      --compare     run each scenario on the pure-C engine and through SystemC,\n"
	"                    compare everything; ends with 'N equivalent, N differ'\n"
	"      --variants    (--compare) every variant of a template, not only the first\n"
	"  -v, --verbose     (--compare) one line per equivalent scenario too\n"
	"\n"
	"exit status: 0 all passed (equivalent), 1 a failure (difference), 2 usage or\n"
	"malformed scenario, 3 internal error\n";

struct Options {
	bool compare = false, variants = false, verbose = false;
	bool calls = false;	/* --inputs calls: SerrorTarget instead of the ports */
	uint64_t quantum = 0;
	uint64_t period_ns = 1;
	std::vector<ss_knob_override> ov;
	std::vector<std::string> paths;
};

/* --- a digest of the trace --------------------------------------------------- */

struct Digest {
	uint64_t h = 1469598103934665603ull;
	uint64_t n = 0;

	void mix(uint64_t v)
	{
		for (int i = 0; i < 8; i++) {
			h ^= (v >> (8 * i)) & 0xff;
			h *= 1099511628211ull;
		}
	}
	static void notify(void *ctx, const ss_pe *, const ss_trace *t)
	{
		Digest *d = static_cast<Digest *>(ctx);
		d->n++;
		d->mix((uint64_t)t->kind);
		d->mix(t->cycle);
		d->mix(t->insn ? t->insn->addr : ~0ull);
		if (t->cond) {
			const ss_condition *c = t->cond;
			d->mix(c->id);
			d->mix(c->seq);
			d->mix(c->iss | (uint64_t)c->virt << 32 | (uint64_t)c->trigger << 33 |
			       (uint64_t)c->synchronizable << 35 | (uint64_t)c->line << 40 |
			       (uint64_t)c->disp << 48);
			d->mix(c->raised);
			d->mix(c->visible);
		}
		if (t->exc) {
			const ss_exception *x = t->exc;
			d->mix(x->number | (uint64_t)x->cause << 32 | (uint64_t)x->from_el << 40 |
			       (uint64_t)x->to_el << 44 | (uint64_t)x->iesb << 48);
			d->mix(x->vector);
			d->mix(x->esr);
			d->mix(x->elr);
			d->mix(x->spsr);
			d->mix(x->cycle);
		}
		if (t->vmop) {
			d->mix(t->vmop->cycle);
			d->mix((uint64_t)t->vmop->set | (uint64_t)t->vmop->refused << 8);
		}
		d->mix((uint64_t)t->reg);
		d->mix(t->value);
		d->mix(t->old);
		d->mix(t->from_el | t->to_el << 4 | (uint64_t)t->illegal << 8 | (uint64_t)t->line << 16);
		d->mix(t->addr);
		d->mix((uint64_t)(int64_t)t->stop);
	}
};

/* --- the testbench ------------------------------------------------------------- */

struct Testbench : sc_module
{
	sc_signal<bool> serror{ "serror" }, serror_sync{ "serror_sync" }, vserror{ "vserror" };
	sc_signal<uint64_t> lines{ "lines" };
	sc_signal<uint32_t> iss{ "iss" }, viss{ "viss" };
	sc_signal<unsigned> el{ "el" };
	sc_signal<bool> pstate_a{ "pstate_a" }, hcr_vse{ "hcr_vse" }, stopped{ "stopped" };
	sc_signal<uint64_t> exc_vector{ "exc_vector" }, exc_esr{ "exc_esr" };
	sc_signal<uint32_t> exc_count{ "exc_count" };
	serrsim::Pe pe;

	const Options &o;
	int status = EXIT_INTERNAL;
	std::vector<ss_event> timed;
	ss_hyp *hyp = nullptr;		/* the driving hypervisor during drive() */
	uint64_t activations = 0;

	Testbench(sc_module_name name, const Options &opt)
		: sc_module(name), pe("pe", sc_time((double)opt.period_ns, SC_NS), nullptr, opt.quantum),
		  o(opt)
	{
		pe.serror(serror);
		pe.serror_lines(lines);
		pe.serror_iss(iss);
		pe.serror_sync(serror_sync);
		pe.vserror(vserror);
		pe.vserror_iss(viss);
		pe.el(el);
		pe.pstate_a(pstate_a);
		pe.hcr_vse(hcr_vse);
		pe.exc_vector(exc_vector);
		pe.exc_esr(exc_esr);
		pe.exc_count(exc_count);
		pe.stopped(stopped);
		pe.detach();
		timed.resize(SS_MAX_EVENTS);
		SC_HAS_PROCESS(Testbench);
		SC_THREAD(main_thread);
		set_stack_size(64u << 20);	/* the scenario runner runs on this stack */
	}

	/* Wait until SystemC time t, or until the PE stops. */
	void wait_until(const sc_time &t)
	{
		while (!pe.is_stopped() && sc_time_stamp() < t)
			wait(t - sc_time_stamp(), pe.stop_event());
	}

	/* One event through the module's SerrorTarget calls (host operations
	 * through host_event), one delta apart as on the ports. */
	void call(const ss_event &ev)
	{
		switch (ev.kind) {
		case SS_EV_RAISE:
			if (ev.trigger == SS_LEVEL)
				pe.target->set_serror_line(ev.line, true, ev.iss, ev.synchronizable);
			else
				pe.target->raise_serror(ev.iss, ev.synchronizable);
			break;
		case SS_EV_LOWER:
			pe.target->set_serror_line(ev.line, false, 0, false);
			break;
		case SS_EV_HOST: {
			const ss_host_event *hev = ss_hyp_event(hyp, ev.tag);
			if (hev && hev->op == SS_HOST_VSERROR)
				pe.target->inject_vserror(hev->iss);
			else
				pe.host_event(ev);
			break;
		}
		case SS_EV_RAS:
		case SS_EV_INTR:
		case SS_EV_MEM:
			return;
		}
		wait(SC_ZERO_TIME);
	}

	/* One event on the ports (or the method interface), one delta apart. */
	void apply(const ss_event &ev)
	{
		if (o.calls) {
			call(ev);
			return;
		}
		switch (ev.kind) {
		case SS_EV_RAISE:
			iss.write(ev.iss);
			serror_sync.write(ev.synchronizable);
			if (ev.trigger == SS_LEVEL) {
				lines.write(lines.read() | 1ull << ev.line);
				wait(SC_ZERO_TIME);
			} else {
				serror.write(true);
				wait(SC_ZERO_TIME);
				serror.write(false);
				wait(SC_ZERO_TIME);
			}
			return;
		case SS_EV_LOWER:
			lines.write(lines.read() & ~(1ull << ev.line));
			wait(SC_ZERO_TIME);
			return;
		case SS_EV_HOST: {
			/* A virtual SError through the port; userspace's
			 * operations through the method interface. */
			const ss_host_event *hev = ss_hyp_event(hyp, ev.tag);
			if (hev && hev->op == SS_HOST_VSERROR) {
				viss.write(hev->iss);
				vserror.write(true);
				wait(SC_ZERO_TIME);
				vserror.write(false);
				wait(SC_ZERO_TIME);
				return;
			}
			pe.host_event(ev);
			wait(SC_ZERO_TIME);
			return;
		}
		case SS_EV_RAS:	/* inside the PE: never taken out to a port */
		case SS_EV_INTR:	/* likewise (the wrapper has no IRQ/FIQ ports) */
		case SS_EV_MEM:
			return;
		}
	}

	void drive(ss_hyp *h, ss_pe *p, const ss_observer *obs)
	{
		const unsigned all = 1u << SS_EV_RAISE | 1u << SS_EV_LOWER | 1u << SS_EV_HOST;
		uint32_t n = ss_take_timed_events(p, all, timed.data(), (uint32_t)timed.size());
		hyp = h;
		pe.attach(p, obs, h);
		const uint64_t t0 = sc_time_stamp().value(), tick = pe.period().value();
		const uint64_t c0 = p->cycle;
		for (uint32_t i = 0; i < n && !pe.is_stopped(); i++) {
			const ss_event &ev = timed[i];
			uint64_t rel = ev.at > c0 ? ev.at - c0 : 0;
			if (rel > (UINT64_MAX - t0) / tick) {
				std::cerr << "serrsim-sc: an event at cycle " << ev.at
					  << " is beyond SystemC time\n";
				break;
			}
			wait_until(sc_time::from_value(t0 + rel * tick));
			if (!pe.is_stopped())
				apply(ev);
		}
		pe.close_inputs();
		while (!pe.is_stopped())
			wait(pe.stop_event());
		activations += pe.activations();
		pe.detach();
		hyp = nullptr;
		/* quiet inputs for the next scenario */
		serror.write(false);
		vserror.write(false);
		lines.write(0);
		wait(SC_ZERO_TIME);
	}

	static void drive_hook(void *ctx, ss_hyp *h, ss_pe *p, const ss_observer *obs)
	{
		static_cast<Testbench *>(ctx)->drive(h, p, obs);
	}

	void main_thread()
	{
		status = o.compare ? run_compare() : run_check();
	}

	ss_run_options options(bool systemc, Digest *dg, ss_observer *obs, uint64_t variant)
	{
		ss_run_options ro;
		std::memset(&ro, 0, sizeof ro);
		ro.overrides = o.ov.data();
		ro.noverrides = o.ov.size();
		ro.variant = variant;
		if (dg) {
			*obs = ss_observer{ Digest::notify, dg, nullptr, 0, nullptr };
			ro.trace = obs;
		}
		if (systemc) {
			ro.drive = drive_hook;
			ro.drive_ctx = this;
		}
		return ro;
	}

	bool collect(path_list *pl)
	{
		for (const std::string &p : o.paths)
			if (!collect_paths(pl, p.c_str()))
				return false;
		sort_paths(pl);
		return true;
	}

	int run_check()
	{
		path_list pl = { nullptr, 0, 0 };
		if (!collect(&pl)) {
			free_paths(&pl);
			return EXIT_USAGE;
		}
		size_t passed = 0, failed = 0, skipped = 0;
		bool error = false;
		for (size_t i = 0; i < pl.n; i++) {
			ss_result r;
			ss_run_options ro = options(true, nullptr, nullptr, 0);
			ss_scenario_run_file(pl.v[i], &ro, &r);
			print_check_line(stdout, pl.v[i], &r);
			if (r.status == SS_STATUS_ERROR) {
				fflush(stdout);
				print_diags(stderr, pl.v[i], &r);
				error = true;
			}
			passed += r.status == SS_STATUS_PASS;
			failed += r.status == SS_STATUS_FAIL || r.status == SS_STATUS_ERROR;
			skipped += r.status == SS_STATUS_SKIP;
			ss_result_free(&r);
		}
		print_summary(stdout, passed, failed, skipped);
		free_paths(&pl);
		if (fflush(stdout) != 0)
			return EXIT_INTERNAL;
		return error ? EXIT_USAGE : failed ? EXIT_FAIL : EXIT_PASS;
	}

	/* The first difference between two results, or "" */
	static std::string differ(const ss_result &a, const ss_result &b, const Digest &da,
				  const Digest &db)
	{
		char buf[512];
		auto num = [&](const char *what, uint64_t x, uint64_t y) {
			snprintf(buf, sizeof buf, "%s: C %" PRIu64 ", SystemC %" PRIu64, what, x, y);
			return std::string(buf);
		};
		if (a.status != b.status)
			return std::string("status: C ") + ss_status_name(a.status) + ", SystemC " +
			       ss_status_name(b.status);
		if (a.diags.n != b.diags.n)
			return num("diagnostics", a.diags.n, b.diags.n);
		if (a.stop != b.stop)
			return std::string("stop: C ") + ss_stop_name(a.stop) + ", SystemC " +
			       ss_stop_name(b.stop);
		if (a.stop_arg != b.stop_arg)
			return num("stop address", a.stop_arg, b.stop_arg);
		if (a.cycles != b.cycles)
			return num("cycles", a.cycles, b.cycles);
		if (a.insns != b.insns)
			return num("instructions", a.insns, b.insns);
		if (a.exceptions != b.exceptions)
			return num("exceptions", a.exceptions, b.exceptions);
		if (a.deferrals != b.deferrals)
			return num("deferrals", a.deferrals, b.deferrals);
		if (a.nexp != b.nexp || a.nfail != b.nfail)
			return num("expectations (failed)", a.nexp * 1000 + a.nfail, b.nexp * 1000 + b.nfail);
		for (size_t i = 0; i < a.nexp; i++) {
			const ss_expect_result &x = a.exp[i], &y = b.exp[i];
			if (x.pass != y.pass || x.actual != y.actual || x.has_values != y.has_values ||
			    strcmp(x.actual_text, y.actual_text) || strcmp(x.actual_decoded, y.actual_decoded) ||
			    strcmp(x.note, y.note) || x.line != y.line || strcmp(x.block, y.block)) {
				snprintf(buf, sizeof buf, "line %u [%s] %s %s %s: C %s %s, SystemC %s %s", x.line,
					 x.block, x.lhs, x.op, x.rhs, x.pass ? "PASS" : "FAIL", x.actual_text,
					 y.pass ? "PASS" : "FAIL", y.actual_text);
				return buf;
			}
		}
		if (a.nledger != b.nledger)
			return num("ledger entries", a.nledger, b.nledger);
		for (size_t i = 0; i < a.nledger; i++) {
			const ss_condition &x = a.ledger[i].c, &y = b.ledger[i].c;
			if (x.id != y.id || x.seq != y.seq || x.virt != y.virt || x.iss != y.iss ||
			    x.trigger != y.trigger || x.synchronizable != y.synchronizable || x.line != y.line ||
			    x.raised != y.raised || x.visible != y.visible || x.disp != y.disp ||
			    x.exc != y.exc || x.defer != y.defer || x.merged_into != y.merged_into ||
			    x.times_taken != y.times_taken || x.times_deferred != y.times_deferred) {
				snprintf(buf, sizeof buf, "ledger #%zu: C raised %" PRIu64 " %s, SystemC raised %"
					 PRIu64 " %s", i, x.raised, ss_disposition_name(x.disp), y.raised,
					 ss_disposition_name(y.disp));
				return buf;
			}
		}
		if (strcmp(a.ledger_error, b.ledger_error))
			return "ledger invariant";
		if (da.n != db.n)
			return num("trace records", da.n, db.n);
		if (da.h != db.h)
			return "trace digest";
		return "";
	}

	int run_compare()
	{
		path_list pl = { nullptr, 0, 0 };
		if (!collect(&pl)) {
			free_paths(&pl);
			return EXIT_USAGE;
		}
		size_t same = 0, diff = 0;
		for (size_t i = 0; i < pl.n; i++) {
			uint64_t nvar = 1;
			for (uint64_t k = 0; k < nvar; k++) {
				ss_result a, b;
				Digest da, db;
				ss_observer oa, ob;
				ss_run_options ra = options(false, &da, &oa, k);
				ss_run_options rb = options(true, &db, &ob, k);
				ss_scenario_run_file(pl.v[i], &ra, &a);
				ss_scenario_run_file(pl.v[i], &rb, &b);
				if (o.variants && k == 0 && a.variants > 1)
					nvar = a.variants;
				std::string d = differ(a, b, da, db);
				std::string name = a.name[0] ? a.name : pl.v[i];
				if (a.variants)
					name += " [variant " + std::to_string(k + 1) + "]";
				if (d.empty()) {
					same++;
					if (o.verbose)
						printf("SAME %s (%s, %" PRIu64 " cycles, %" PRIu32
						       " exceptions, %" PRIu64 " trace records)\n", name.c_str(),
						       ss_status_name(a.status), a.cycles, a.exceptions, da.n);
				} else {
					diff++;
					printf("DIFF %s (%s): %s\n", name.c_str(), pl.v[i], d.c_str());
				}
				ss_result_free(&a);
				ss_result_free(&b);
			}
		}
		printf("%zu equivalent, %zu differ\n", same, diff);
		free_paths(&pl);
		if (fflush(stdout) != 0)
			return EXIT_INTERNAL;
		return diff ? EXIT_FAIL : EXIT_PASS;
	}
};

/* SystemC reports go to stderr, never into the machine-readable output. */
void report_to_stderr(const sc_report &r, const sc_actions &a)
{
	if (a & SC_DISPLAY)
		std::cerr << sc_report_compose_message(r) << std::endl;
	sc_report_handler::default_handler(r, a & ~SC_DISPLAY);
}

bool parse_u64(const char *s, uint64_t *v)
{
	return !ss_parse_number(s, v);
}

} // namespace

int sc_main(int argc, char **argv)
{
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	sc_report_handler::set_handler(report_to_stderr);
	Options o;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		auto value = [&](const char *what) -> const char * {
			if (i + 1 >= argc) {
				fprintf(stderr, "serrsim-sc: %s needs a value\n", what);
				exit(EXIT_USAGE);
			}
			return argv[++i];
		};
		if (a == "-h" || a == "--help") {
			fputs(usage_text, stdout);
			return EXIT_PASS;
		} else if (a == "--compare") {
			o.compare = true;
		} else if (a == "--variants") {
			o.variants = true;
		} else if (a == "-v" || a == "--verbose") {
			o.verbose = true;
		} else if (a == "--quantum") {
			if (!parse_u64(value("--quantum"), &o.quantum)) {
				fprintf(stderr, "serrsim-sc: --quantum expects a number\n");
				return EXIT_USAGE;
			}
		} else if (a == "--inputs") {
			std::string v = value("--inputs");
			if (v != "ports" && v != "calls") {
				fprintf(stderr, "serrsim-sc: --inputs expects ports or calls\n");
				return EXIT_USAGE;
			}
			o.calls = v == "calls";
		} else if (a == "--period") {
			if (!parse_u64(value("--period"), &o.period_ns) || o.period_ns == 0) {
				fprintf(stderr, "serrsim-sc: --period expects a number of ns >= 1\n");
				return EXIT_USAGE;
			}
		} else if (a == "-D" || a == "--define") {
			char *kv = const_cast<char *>(value("-D"));
			char *eq = strchr(kv, '=');
			if (!eq || eq == kv) {
				fprintf(stderr, "serrsim-sc: -D expects KNOB=VALUE, got '%s'\n", kv);
				return EXIT_USAGE;
			}
			*eq = '\0';
			ss_knob_override ov = { kv, eq + 1 };
			if (const char *err = ss_override_check(&ov)) {
				fprintf(stderr, "serrsim-sc: -D %s=%s: %s\n", kv, eq + 1, err);
				return EXIT_USAGE;
			}
			o.ov.push_back(ov);
		} else if (!a.empty() && a[0] == '-') {
			fprintf(stderr, "serrsim-sc: unknown option '%s'\nTry 'serrsim-sc --help'.\n", a.c_str());
			return EXIT_USAGE;
		} else {
			o.paths.push_back(a);
		}
	}
	if (o.paths.empty()) {
		fprintf(stderr, "serrsim-sc: no scenario given\nTry 'serrsim-sc --help'.\n");
		return EXIT_USAGE;
	}
	if (o.quantum && o.compare) {
		fprintf(stderr, "serrsim-sc: --compare needs --quantum 0 (exact timing)\n");
		return EXIT_USAGE;
	}
	/* 1 ns resolution: 2^64 cycles of 1 ns fit in SystemC time. */
	sc_set_time_resolution(1, SC_NS);
	Testbench tb("tb", o);
	sc_start();
	return tb.status;
}

/* Our own main: SystemC's copyright banner is switched off before the
 * library could print it. */
int main(int argc, char **argv)
{
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	return sc_core::sc_elab_and_sim(argc, argv);
}
