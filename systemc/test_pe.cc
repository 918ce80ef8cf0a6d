/*
 * test_pe.cc - serrsim::Pe in a small platform: a RAS error node raises
 * SErrors on the ports, a monitor counts the exceptions the PE reports.
 * Checks the timing rules of docs/systemc.md, level lines, virtual SError
 * injection, the quantum, and that an idle PE costs (almost) no activations.
 * A second PE, its inputs unbound and only 'stopped' bound, gets the same
 * SErrors later through calls (SerrorTarget): the same run, one activation
 * per SError.  A third gets calls before the simulation starts and between
 * two sc_start calls: the run of the pure-C engine with those events.
 */
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <systemc>

#include "esr.h"
#include "serrsim_pe.h"

using namespace sc_core;

/* The syndrome every SError here carries: AET=UER, DFSC=AsyncSError. */
static const uint32_t kUer = ss_iss_serror(SS_AET_UER, false);

static int failures;
#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			std::fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			std::fprintf(stderr, __VA_ARGS__);                   \
			std::fprintf(stderr, "\n");                          \
			failures++;                                          \
		}                                                            \
	} while (0)

/* EL1 program: sleep in a WFI loop; the SError handler at VBAR_EL1 + 0x380
 * counts in X2 and returns. */
static ss_insn insn(uint64_t addr, ss_op op, uint64_t target = 0)
{
	ss_insn in{};
	in.addr = addr;
	in.op = op;
	in.rd = in.rn = in.rm = SS_NO_REG;
	in.target = target;
	return in;
}

static std::vector<ss_insn> program()
{
	std::vector<ss_insn> p;
	p.push_back(insn(0x0, SS_OP_WFI));
	p.push_back(insn(0x4, SS_OP_B, 0x0));
	ss_insn add = insn(0x10380, SS_OP_ADDI);
	add.rd = add.rn = 2;
	add.imm = 1;
	p.push_back(add);
	p.push_back(insn(0x10384, SS_OP_ERET));
	return p;
}

/* The error node: raises an edge SError every 'gap' cycles, 'n' times, then
 * asserts and drops level line 3. */
SC_MODULE(RasNode)
{
	sc_out<bool> serror;
	sc_out<uint64_t> lines;
	sc_out<uint32_t> iss;
	sc_out<bool> sync;
	sc_time period;
	unsigned n = 0;
	uint64_t gap = 0;

	void run()
	{
		for (unsigned k = 1; k <= n; k++) {
			wait(period * (double)gap);
			iss.write(kUer);
			sync.write(true);
			serror.write(true);
			wait(period);
			serror.write(false);
		}
		wait(period * 100.0);
		lines.write(1u << 3);
		wait(period * 100.0);
		lines.write(0);
	}
	SC_CTOR(RasNode) { SC_THREAD(run); }
};

/* The same error node, calling the PE's SerrorTarget export instead of
 * driving signals, from cycle 'start' on. */
SC_MODULE(CallNode)
{
	sc_port<serrsim::SerrorTarget> target;
	sc_time period;
	unsigned n = 0;
	uint64_t gap = 0, start = 0;

	void run()
	{
		/* the same cycles as RasNode's edges, no activity in between */
		wait(period * (double)start);
		for (unsigned k = 1; k <= n; k++) {
			wait(period * (double)(k > 1 ? gap + 1 : gap));
			target->raise_serror(kUer, true);
		}
		wait(period * 101.0);
		target->set_serror_line(3, true, kUer, true);
		wait(period * 100.0);
		target->set_serror_line(3, false, 0, false);
	}
	SC_CTOR(CallNode) { SC_THREAD(run); }
};

SC_MODULE(Monitor)
{
	sc_in<uint32_t> exc_count;
	sc_in<uint64_t> exc_vector, exc_esr;
	sc_in<unsigned> el;
	std::vector<sc_time> when;
	std::vector<uint64_t> vec, esr;

	void seen()
	{
		when.push_back(sc_time_stamp());
		vec.push_back(exc_vector.read());
		esr.push_back(exc_esr.read());
	}
	SC_CTOR(Monitor)
	{
		SC_METHOD(seen);
		sensitive << exc_count;
		dont_initialize();
	}
};

int sc_main(int, char **)
{
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	const sc_time period(1, SC_NS);
	const unsigned events = 10;
	const uint64_t gap = 1000000;

	ss_config cfg;
	ss_config_default(&cfg);
	cfg.timing.max_cycles = 100 * events * gap;
	serrsim::Pe pe("pe", period, &cfg);
	std::vector<ss_insn> prog = program();
	ss_program sp{ prog.data(), prog.size() };
	ss_pe *m = pe.model();
	ss_pe_set_program(m, &sp);
	m->sr[SS_REG_PSTATE] = SS_SET(PSTATE_EL, m->sr[SS_REG_PSTATE], 1);
	m->sr[SS_REG_PSTATE] = SS_SET(PSTATE_SP, m->sr[SS_REG_PSTATE], 1);
	m->sr[SS_REG_PSTATE] = SS_SET(PSTATE_A, m->sr[SS_REG_PSTATE], 0);

	sc_signal<bool> serror, sync, vserror, pstate_a, hcr_vse, stopped;
	sc_signal<uint64_t> lines, vector, esr;
	sc_signal<uint32_t> iss, viss, count;
	sc_signal<unsigned> el;
	pe.serror(serror);
	pe.serror_lines(lines);
	pe.serror_iss(iss);
	pe.serror_sync(sync);
	pe.vserror(vserror);
	pe.vserror_iss(viss);
	pe.el(el);
	pe.pstate_a(pstate_a);
	pe.hcr_vse(hcr_vse);
	pe.exc_vector(vector);
	pe.exc_esr(esr);
	pe.exc_count(count);
	pe.stopped(stopped);

	RasNode ras("ras");
	ras.period = period;
	ras.n = events;
	ras.gap = gap;
	ras.serror(serror);
	ras.lines(lines);
	ras.iss(iss);
	ras.sync(sync);
	Monitor mon("mon");
	mon.exc_count(count);
	mon.exc_vector(vector);
	mon.exc_esr(esr);
	mon.el(el);

	/* The second PE: inputs by calls from cycle 'start' on, outputs
	 * unbound but 'stopped'. */
	const uint64_t start = events * gap + 2000;
	serrsim::Pe pe2("pe2", period, &cfg);
	ss_pe *m2 = pe2.model();
	ss_pe_set_program(m2, &sp);
	m2->sr[SS_REG_PSTATE] = m->sr[SS_REG_PSTATE];
	sc_signal<bool> stopped2;
	pe2.stopped(stopped2);
	CallNode calls("calls");
	calls.period = period;
	calls.n = events;
	calls.gap = gap;
	calls.start = start;
	calls.target(pe2.target);

	/* A third PE, no port bound: a call made before the simulation
	 * starts takes effect at cycle 0, one made from sc_main between two
	 * sc_start calls at the cycle of the next start. */
	serrsim::Pe pe3("pe3", period, &cfg);
	ss_pe *m3 = pe3.model();
	ss_pe_set_program(m3, &sp);
	m3->sr[SS_REG_PSTATE] = m->sr[SS_REG_PSTATE];
	/* the reference: the pure-C engine with the same two events */
	const uint64_t second = events * gap + 1000;
	ss_pe *ref = static_cast<ss_pe *>(std::malloc(sizeof *ref));
	ss_pe_copy(ref, m3);
	ref->open_inputs = true;
	for (uint64_t at : { (uint64_t)0, second }) {
		ss_event ev{};
		ev.kind = SS_EV_RAISE;
		ev.trigger = SS_EDGE;
		ev.when = SS_AT_CYCLE;
		ev.at = at;
		ev.iss = kUer;
		CHECK(ss_schedule(ref, &ev), "schedule");
	}
	ss_run_until(ref, nullptr, start);
	pe3.target->raise_serror(kUer, false);

	sc_start(period * (double)second);
	const uint64_t x2 = m->x[2], nexc = m->nexc, last = m->last_exc.cycle;
	CHECK(m3->nexc == 1, "third PE: %u exceptions", m3->nexc);
	pe3.target->raise_serror(kUer, false);
	sc_start(period * (double)(start - second));
	CHECK(m3->nexc == 2 && ref->nexc == 2 && m3->last_exc.cycle == ref->last_exc.cycle &&
	      m3->x[2] == ref->x[2],
	      "third PE: %u exceptions, the last at cycle %llu; pure C: %u, cycle %llu", m3->nexc,
	      (unsigned long long)m3->last_exc.cycle, ref->nexc,
	      (unsigned long long)ref->last_exc.cycle);
	std::free(ref);
	const uint64_t act2 = pe2.activations();
	sc_start(period * (double)(events * gap + 1000));
	/* The same SErrors at the same cycles (shifted by 'start') give the
	 * same run: exactly as on the ports. */
	CHECK(m2->x[2] == x2, "second PE: X2 = %llu, first %llu", (unsigned long long)m2->x[2],
	      (unsigned long long)x2);
	CHECK(m2->nexc == nexc, "second PE: %u exceptions, first %llu", m2->nexc,
	      (unsigned long long)nexc);
	CHECK(m2->last_exc.cycle == last + start, "second PE: last exception at cycle %llu, expected %llu",
	      (unsigned long long)m2->last_exc.cycle, (unsigned long long)(last + start));
	CHECK(!stopped2.read(), "second PE stopped");
	/* No output to show: one activation per call (each edge, the line's
	 * two changes), none at the entries and returns. */
	std::printf("second PE, inputs by calls, no output but 'stopped': %llu activations for %u calls\n",
		    (unsigned long long)(pe2.activations() - act2), events + 2);
	CHECK(pe2.activations() - act2 == events + 2, "%llu activations",
	      (unsigned long long)(pe2.activations() - act2));

	/* Each edge SError is taken once; the level line again and again
	 * while it stays asserted (the handler does not clear the source). */
	CHECK(mon.when.size() > events, "%zu exceptions", mon.when.size());
	CHECK(m->x[2] == mon.when.size(), "X2 = %llu", (unsigned long long)m->x[2]);
	CHECK(m->x[2] == count.read(), "X2 = %llu", (unsigned long long)m->x[2]);
	for (size_t k = 1; k < events && k < mon.when.size(); k++)
		CHECK(mon.when[k] - mon.when[k - 1] == period * (double)(gap + 1),
		      "exception %zu at %s", k, mon.when[k].to_string().c_str());
	for (size_t k = 0; k < mon.when.size(); k++) {
		CHECK(mon.vec[k] == 0x10380, "exception %zu vector 0x%llx", k,
		      (unsigned long long)mon.vec[k]);
		/* written out, not from the helper: EC=0x2F (SError), IL=1, ISS=UER */
		CHECK(mon.esr[k] == 0xbe000c11, "exception %zu ESR 0x%llx", k,
		      (unsigned long long)mon.esr[k]);
	}
	/* Timing: the raise at the start of cycle k*gap (+ the pulse edge)
	 * becomes pending after 'propagation' cycles; the PE is asleep, so it
	 * wakes and takes it at that boundary; the output shows at the start of
	 * the next cycle. */
	if (!mon.when.empty()) {
		uint64_t raised = gap, pending = raised + cfg.timing.propagation;
		uint64_t shown = (uint64_t)(mon.when[0] / period);
		CHECK(shown == pending + 1, "first exception shown at cycle %llu, expected %llu",
		      (unsigned long long)shown, (unsigned long long)(pending + 1));
		CHECK(m->last_exc.cycle >= pending, "taken at cycle %llu",
		      (unsigned long long)m->last_exc.cycle);
	}
	CHECK(el.read() == 1, "EL %u", el.read());
	CHECK(!pstate_a.read(), "PSTATE.A set after the handlers returned");
	CHECK(!stopped.read(), "stopped");
	/* Idle costs nothing: a handful of activations per SError, none per
	 * idle cycle (10^7 idle cycles here). */
	std::printf("%u edge SErrors, one level line, over %llu cycles: %llu activations, %u exceptions\n", events,
		    (unsigned long long)(events * gap), (unsigned long long)pe.activations(),
		    count.read());
	CHECK(pe.activations() < 20 * count.read(), "%llu activations",
	      (unsigned long long)pe.activations());
	if (failures)
		std::printf("%d failures\n", failures);
	else
		std::printf("ok\n");
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);	/* before the library prints it */
	return sc_core::sc_elab_and_sim(argc, argv);
}
