/*
 * bench_systemc.cc - bench-systemc: the SystemC wrapper against the pure-C
 * engine and against a naive wrapper clocked every cycle.
 *
 *   bench-systemc [-r REPEATS] [-n N] [-e EVENTS] [-g GAP] [--no-naive]
 *                 [--only busy|idle] [--variant C|event|call|call-out|q=1000|naive]
 *
 * Two workloads:
 *   busy  bench/roundtrip.scn with X0 = N (default 100000): 26 instructions
 *         and 3 exceptions per iteration, no external event;
 *   idle  a PE at EL1 in a WFI loop; EVENTS SErrors (default 20) arrive on
 *         the serror port GAP cycles apart (default 10^6); each is taken,
 *         counted and returns to the loop.
 * Variants, each checked against the pure-C result (cycles, instructions,
 * exceptions, X2):
 *   C         ss_run on a copy of the loaded PE (events in its queue);
 *   event     serrsim::Pe, exact (quantum 0), every port bound, the events
 *             driven on its ports by a stimulus method;
 *   call      the same, the events delivered by calls (SerrorTarget), no
 *             port bound (the platform reads the result from the model);
 *   call-out  calls, every output bound;
 *   q=1000    as event with a quantum of 1,000 cycles;
 *   naive     the same run with an SC_METHOD on an sc_clock, every cycle.
 * Each SystemC variant runs in a child process (one simulation each); the
 * time is the wall time from attaching the PE to its stop, best of REPEATS.
 */
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <systemc>

#include "serrsim_pe.h"

#include "bench_load.h"

using namespace sc_core;

namespace {

struct Result {
	uint64_t best_ns = 0, activations = 0, cycles = 0, insns = 0, x2 = 0;
	uint32_t nexc = 0;
	int stop = -1;
};

/* --- the naive wrapper: the same rules, evaluated on every clock edge ----- */

struct NaivePe : sc_module {
	sc_in<bool> clk;
	sc_in<bool> serror;
	sc_in<uint32_t> serror_iss;
	sc_in<bool> serror_sync;
	sc_out<unsigned> el;
	sc_out<uint32_t> exc_count;
	sc_time period;
	ss_pe *pe = nullptr;
	sc_time base;
	bool last = false, closed = false;
	sc_event stop_ev;
	uint64_t activations = 0;

	NaivePe(sc_module_name n, const sc_time &p) : sc_module(n), period(p)
	{
		SC_HAS_PROCESS(NaivePe);
		SC_METHOD(tick);
		sensitive << clk.pos() << serror;
		dont_initialize();
	}
	void attach(ss_pe *p)
	{
		pe = p;
		pe->open_inputs = true;
		base = sc_time_stamp();
		last = serror.read();
		closed = false;
	}
	void close_inputs() { closed = true; }
	bool is_stopped() const { return !pe || pe->stop != SS_RUNNING; }
	const sc_event &stop_event() const { return stop_ev; }
	void tick()
	{
		activations++;
		bool s = serror.read();
		if (!pe || pe->stop != SS_RUNNING) {
			last = s;
			return;
		}
		uint64_t now = (sc_time_stamp() - base).value() / period.value();
		ss_run_until(pe, nullptr, now);
		if (s && !last && pe->stop == SS_RUNNING) {
			ss_event ev{};
			ev.kind = SS_EV_RAISE;
			ev.when = SS_AT_CYCLE;
			ev.at = now;
			ev.trigger = SS_EDGE;
			ev.iss = serror_iss.read();
			ev.synchronizable = serror_sync.read();
			ss_schedule(pe, &ev);
		}
		last = s;
		if (closed)
			ss_close_inputs(pe, nullptr);
		el.write(ss_pe_el(pe));
		exc_count.write(pe->nexc);
		if (pe->stop != SS_RUNNING)
			stop_ev.notify(SC_ZERO_TIME);
	}
};

/* --- the platform: stimulus thread + one of the two wrappers ----------------- */

template <class P> struct Platform : sc_module {
	sc_signal<bool> serror{ "serror" }, sync{ "sync" }, vserror{ "vserror" }, a{ "a" },
		vse{ "vse" }, stopped{ "stopped" };
	sc_signal<uint64_t> lines{ "lines" }, vec{ "vec" }, esr{ "esr" };
	sc_signal<uint32_t> iss{ "iss" }, viss{ "viss" }, count{ "count" };
	sc_signal<unsigned> el{ "el" };
	P &pe;
	const ss_pe *init;
	unsigned repeats;
	Result res;
	std::vector<ss_event> timed;
	sc_time period;

	/* the stimulus: a method, one activation per edge (no thread, no delta
	 * waits): raises serror for one cycle at each event's cycle; or, with
	 * calls, one activation per SError, which calls the PE's target */
	sc_event go;
	uint32_t next_ev = 0, nev = 0;
	sc_time base;
	bool high = false, calls = false;
	sc_port<serrsim::SerrorTarget, 1, SC_ZERO_OR_MORE_BOUND> target{ "target" };

	Platform(sc_module_name n, P &p, const ss_pe *i, unsigned r, const sc_time &per)
		: sc_module(n), pe(p), init(i), repeats(r), period(per)
	{
		timed.resize(SS_MAX_EVENTS);
		SC_HAS_PROCESS(Platform);
		SC_THREAD(run);
		SC_METHOD(pulse);
		sensitive << go;
		dont_initialize();
	}
	void attach(serrsim::Pe &p, ss_pe *m) { p.attach(m, nullptr); }
	void attach(NaivePe &p, ss_pe *m) { p.attach(m); }
	uint64_t activations(serrsim::Pe &p) { return p.activations(); }
	uint64_t activations(NaivePe &p) { return p.activations; }

	void pulse()
	{
		if (high) {
			serror.write(false);
			high = false;
		}
		if (pe.is_stopped())
			return;
		if (next_ev == nev) {
			pe.close_inputs();
			return;
		}
		sc_time at = base + sc_time::from_value(period.value() * timed[next_ev].at),
			now = sc_time_stamp();
		if (now < at) {
			next_trigger(at - now);
			return;
		}
		if (calls) {
			target->raise_serror(timed[next_ev].iss, timed[next_ev].synchronizable);
			next_ev++;
			if (next_ev < nev)
				next_trigger(sc_time::from_value(
					period.value() * (timed[next_ev].at - timed[next_ev - 1].at)));
			else
				next_trigger(period);
			return;
		}
		iss.write(timed[next_ev].iss);
		sync.write(timed[next_ev].synchronizable);
		serror.write(true);
		high = true;
		next_ev++;
		/* an edge-triggered line: it falls halfway to the next edge */
		uint64_t width = next_ev < nev ? (timed[next_ev].at - timed[next_ev - 1].at) / 2 : 1;
		next_trigger(sc_time::from_value(period.value() * (width ? width : 1)));
	}

	void run()
	{
		ss_pe *m = static_cast<ss_pe *>(malloc(sizeof *m));
		for (unsigned r = 0; r < repeats; r++) {
			ss_pe_copy(m, init);	/* its own ledger and events */
			nev = ss_take_timed_events(m, 1u << SS_EV_RAISE, timed.data(),
						   (uint32_t)timed.size());
			next_ev = 0;
			uint64_t act0 = activations(pe);
			uint64_t t0 = bench_sc_now_ns();
			attach(pe, m);
			base = sc_time_stamp();
			go.notify(SC_ZERO_TIME);
			while (!pe.is_stopped())
				wait(pe.stop_event());
			uint64_t ns = bench_sc_now_ns() - t0;
			if (!r || ns < res.best_ns)
				res.best_ns = ns;
			res.activations = activations(pe) - act0;
			res.cycles = m->cycle;
			res.insns = m->ninsn;
			res.nexc = m->nexc;
			res.x2 = m->x[2];
			res.stop = m->stop;
			wait(period * 2.0);	/* the last pulse falls */
		}
		free(m);
		sc_stop();	/* the naive variant's clock never stops by itself */
	}
};

void bind_outputs(serrsim::Pe &pe, Platform<serrsim::Pe> &p)
{
	pe.el(p.el);
	pe.pstate_a(p.a);
	pe.hcr_vse(p.vse);
	pe.exc_vector(p.vec);
	pe.exc_esr(p.esr);
	pe.exc_count(p.count);
	pe.stopped(p.stopped);
}

void bind(serrsim::Pe &pe, Platform<serrsim::Pe> &p)
{
	pe.serror(p.serror);
	pe.serror_lines(p.lines);
	pe.serror_iss(p.iss);
	pe.serror_sync(p.sync);
	pe.vserror(p.vserror);
	pe.vserror_iss(p.viss);
	bind_outputs(pe, p);
}

/* Run one SystemC variant in a child process; the result comes back through
 * a pipe. */
Result run_child(const char *variant, const ss_pe *init, unsigned repeats)
{
	int fd[2];
	Result r;
	if (pipe(fd) != 0)
		exit(3);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		const sc_time period(1, SC_NS);
		Result out;
		if (!strcmp(variant, "call") || !strcmp(variant, "call-out")) {
			/* inputs by calls; outputs unbound (call) or all bound */
			serrsim::Pe pe("pe", period);
			Platform<serrsim::Pe> p("platform", pe, init, repeats, period);
			p.calls = true;
			p.target(pe.target);
			if (!strcmp(variant, "call-out"))
				bind_outputs(pe, p);
			sc_start();
			out = p.res;
		} else if (!strncmp(variant, "event", 5)) {
			serrsim::Pe pe("pe", period, nullptr, strtoull(variant + 5, nullptr, 10));
			Platform<serrsim::Pe> p("platform", pe, init, repeats, period);
			bind(pe, p);
			sc_start();
			out = p.res;
		} else {
			sc_clock clk("clk", period);
			NaivePe pe("pe", period);
			Platform<NaivePe> p("platform", pe, init, repeats, period);
			pe.clk(clk);
			pe.serror(p.serror);
			pe.serror_iss(p.iss);
			pe.serror_sync(p.sync);
			pe.el(p.el);
			pe.exc_count(p.count);
			sc_start();
			out = p.res;
		}
		ssize_t w = write(fd[1], &out, sizeof out);
		_exit(w == (ssize_t)sizeof out ? 0 : 3);
	}
	close(fd[1]);
	ssize_t got = read(fd[0], &r, sizeof r);
	close(fd[0]);
	int st = 0;
	waitpid(pid, &st, 0);
	if (got != (ssize_t)sizeof r || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "bench-systemc: the %s variant failed\n", variant);
		exit(1);
	}
	return r;
}

Result run_c(const ss_pe *init, unsigned repeats)
{
	Result res;
	ss_pe *pe = static_cast<ss_pe *>(malloc(sizeof *pe));
	for (unsigned r = 0; r < repeats; r++) {
		ss_pe_copy(pe, init);
		uint64_t t0 = bench_sc_now_ns();
		ss_run(pe, nullptr);
		uint64_t ns = bench_sc_now_ns() - t0;
		if (!r || ns < res.best_ns)
			res.best_ns = ns;
	}
	res.cycles = pe->cycle;
	res.insns = pe->ninsn;
	res.nexc = pe->nexc;
	res.x2 = pe->x[2];
	res.stop = pe->stop;
	free(pe);
	return res;
}

void report(const char *workload, const char *variant, const Result &r, const Result &c,
	    uint64_t units, const char *unit)
{
	bool same = r.cycles == c.cycles && r.insns == c.insns && r.nexc == c.nexc && r.x2 == c.x2 &&
		    r.stop == c.stop;
	printf("  %-6s %-6s %10.3f ms  %9.1f ns/%s  %6.2fx C  %12" PRIu64 " activations  %s\n",
	       workload, variant, (double)r.best_ns / 1e6, (double)r.best_ns / (double)units, unit,
	       (double)r.best_ns / (double)c.best_ns, r.activations, same ? "same result" : "DIFFERENT RESULT");
	if (!same) {
		fprintf(stderr, "bench-systemc: %s/%s: cycles %" PRIu64 "/%" PRIu64 ", insns %" PRIu64
			"/%" PRIu64 ", exceptions %u/%u, X2 %" PRIu64 "/%" PRIu64 "\n", workload, variant,
			r.cycles, c.cycles, r.insns, c.insns, r.nexc, c.nexc, r.x2, c.x2);
		exit(1);
	}
}

} // namespace

int sc_main(int argc, char **argv)
{
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	unsigned repeats = 3;
	uint64_t n = 100000, events = 20, gap = 1000000;
	bool naive = true;
	std::string only, variant;
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (a == "--no-naive")
			naive = false;
		else if (i + 1 < argc && a == "-r")
			repeats = (unsigned)strtoul(argv[++i], nullptr, 0);
		else if (i + 1 < argc && a == "-n")
			n = strtoull(argv[++i], nullptr, 0);
		else if (i + 1 < argc && a == "-e")
			events = strtoull(argv[++i], nullptr, 0);
		else if (i + 1 < argc && a == "-g")
			gap = strtoull(argv[++i], nullptr, 0);
		else if (i + 1 < argc && a == "--only")
			only = argv[++i];
		else if (i + 1 < argc && a == "--variant")
			variant = argv[++i];
		else {
			fprintf(stderr, "usage: bench-systemc [-r REPEATS] [-n N] [-e EVENTS] [-g GAP] [--no-naive]\n"
					"                     [--only busy|idle] [--variant C|event|call|call-out|q=1000|naive]\n");
			return 2;
		}
	}
	if (!repeats || !n || !events || events > SS_MAX_EVENTS || gap < 100) {
		fprintf(stderr, "bench-systemc: bad arguments\n");
		return 2;
	}

	/* busy: the round trip */
	size_t len;
	char *text = bench_sc_read_file(BENCH_SOURCE_DIR "/roundtrip.scn", &len);
	ss_pe *busy = bench_sc_load("roundtrip.scn", text, len);
	busy->x[0] = n;
	/* idle: a WFI loop woken by SErrors on the port */
	std::string idle_text =
		"scenario: bench-systemc-idle\n[cpu]\nmax_cycles = " + std::to_string(events * gap + 1000000) +
		"\n[init]\nPSTATE.EL = 1\nPSTATE.SP = 1\nPSTATE.A = 0\nX0 = " + std::to_string(events) +
		"\n[code]\nstart:\nloop:\n    wfi\n    subs x0, x0, #1\n    b.ne loop\n    end\n"
		".vector EL1 curr_spx serror\n    add x2, x2, #1\n    eret\n[events]\n";
	for (uint64_t k = 1; k <= events; k++)
		idle_text += "at " + std::to_string(k * gap) + ": serror AET=UER\n";
	ss_pe *idle = bench_sc_load("idle", idle_text.c_str(), idle_text.size());

	printf("bench-systemc: best of %u runs; period 1 ns\n", repeats);
	printf("  busy = roundtrip, N = %" PRIu64 " (26 instructions, 3 exceptions per iteration)\n", n);
	printf("  idle = WFI loop, %" PRIu64 " SErrors on the port, %" PRIu64 " cycles apart\n", events, gap);
	struct { const char *name; const ss_pe *pe; uint64_t units; const char *unit; } w[2] = {
		{ "busy", busy, n, "iter" }, { "idle", idle, events, "event" } };
	for (auto &wl : w) {
		if (!only.empty() && only != wl.name)
			continue;
		auto want = [&](const char *v) { return variant.empty() || variant == v; };
		/* the C result is the reference of every variant (one run when
		 * another variant is timed alone) */
		Result c = run_c(wl.pe, want("C") ? repeats : 1);
		if (want("C"))
			report(wl.name, "C", c, c, wl.units, wl.unit);
		if (want("event"))
			report(wl.name, "event", run_child("event", wl.pe, repeats), c, wl.units, wl.unit);
		/* busy: no external event; idle: events 10^6 cycles apart arrive
		 * while the PE sleeps: the quantum changes no result (checked) */
		if (want("call"))
			report(wl.name, "call", run_child("call", wl.pe, repeats), c, wl.units, wl.unit);
		if (want("call-out"))
			report(wl.name, "call-out", run_child("call-out", wl.pe, repeats), c, wl.units,
			       wl.unit);
		if (want("q=1000"))
			report(wl.name, "q=1000", run_child("event1000", wl.pe, repeats), c, wl.units,
			       wl.unit);
		if (naive && (variant.empty() || variant == "naive"))
			report(wl.name, "naive", run_child("naive", wl.pe, repeats), c, wl.units, wl.unit);
	}
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	return sc_core::sc_elab_and_sim(argc, argv);
}
