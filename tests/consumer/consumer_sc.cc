/*
 * consumer_sc.cc - a SystemC platform outside the serrsim tree: serrsim::Pe
 * asleep in WFI, an error source raising an SError on its port at 100 ns;
 * the PE takes it and its exception outputs change.
 */
#include <cstdio>
#include <cstdlib>

#include <systemc>

#include <serrsim/serrsim_pe.h>

using namespace sc_core;

SC_MODULE(Source)
{
	sc_out<bool> serror;
	sc_out<uint32_t> iss;
	void run()
	{
		wait(100, SC_NS);
		iss.write(0xc11);	/* AET=UER, DFSC=AsyncSError */
		serror.write(true);
		wait(1, SC_NS);
		serror.write(false);
	}
	SC_CTOR(Source) { SC_THREAD(run); }
};

int sc_main(int, char **)
{
	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	static const ss_insn code[] = {
		{ 0x0, SS_OP_WFI, 31, 31, 31, 0, 0, 0, SS_REG_COUNT, 0, 0, 0 },
		{ 0x4, SS_OP_B, 31, 31, 31, 0, 0, 0, SS_REG_COUNT, 0, 0x0, 0 },
		{ 0x10380, SS_OP_END, 31, 31, 31, 0, 0, 0, SS_REG_COUNT, 0, 0, 0 },
	};
	static const ss_program prog = { code, 3 };
	serrsim::Pe pe("pe", sc_time(1, SC_NS));
	ss_pe *m = pe.model();
	ss_pe_set_program(m, &prog);
	m->sr[SS_REG_PSTATE] = SS_SET(PSTATE_EL, m->sr[SS_REG_PSTATE], 1);
	m->sr[SS_REG_PSTATE] = SS_SET(PSTATE_SP, m->sr[SS_REG_PSTATE], 1);
	m->sr[SS_REG_PSTATE] = SS_SET(PSTATE_A, m->sr[SS_REG_PSTATE], 0);

	sc_signal<bool> serror, sync, vserror, a, vse, stopped;
	sc_signal<uint64_t> lines, vector, esr;
	sc_signal<uint32_t> iss, viss, count;
	sc_signal<unsigned> el;
	pe.serror(serror); pe.serror_lines(lines); pe.serror_iss(iss); pe.serror_sync(sync);
	pe.vserror(vserror); pe.vserror_iss(viss);
	pe.el(el); pe.pstate_a(a); pe.hcr_vse(vse);
	pe.exc_vector(vector); pe.exc_esr(esr); pe.exc_count(count); pe.stopped(stopped);
	Source src("src");
	src.serror(serror);
	src.iss(iss);

	sc_start();	/* returns when nothing is left to do: the PE stopped */
	std::printf("stopped %d at %s: %u exception(s), vector 0x%llx, ESR 0x%llx, %llu activations\n",
		    (int)stopped.read(), sc_time_stamp().to_string().c_str(), count.read(),
		    (unsigned long long)vector.read(), (unsigned long long)esr.read(),
		    (unsigned long long)pe.activations());
	return stopped.read() && count.read() == 1 && vector.read() == 0x10380 &&
	       esr.read() == 0xbe000c11 ? 0 : 1;
}

int main(int argc, char **argv)
{
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	return sc_core::sc_elab_and_sim(argc, argv);
}
