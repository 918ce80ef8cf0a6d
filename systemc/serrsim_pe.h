/*
 * serrsim_pe.h - serrsim::Pe, the SError exception logic of one AArch64 PE
 * (the C model of model/) as a SystemC module for virtual platforms.
 *
 * Event-driven: the module sleeps until the next cycle at which the model
 * has something to do, or until an input changes; a PE asleep in WFI with
 * nothing scheduled costs nothing until an input wakes it.  docs/systemc.md
 * explains the timing (cycle c is [c*period, (c+1)*period); what the PE does
 * in cycle c shows on the outputs at the start of cycle c+1) and has a
 * complete example.
 */
#ifndef SERRSIM_SYSTEMC_PE_H
#define SERRSIM_SYSTEMC_PE_H

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>

#include "config.h"
#include "hyp.h"
#include "pe.h"

namespace serrsim {

/* Ports the platform may leave unbound: an unbound input never changes, an
 * unbound output is neither computed nor written (nothing waits for it). */
template <class T>
using in_port = sc_core::sc_port<sc_core::sc_signal_in_if<T>, 1, sc_core::SC_ZERO_OR_MORE_BOUND>;
template <class T>
using out_port = sc_core::sc_port<sc_core::sc_signal_inout_if<T>, 1, sc_core::SC_ZERO_OR_MORE_BOUND>;

/*
 * The PE's inputs as calls, for an error source that holds an
 * sc_port<serrsim::SerrorTarget> bound to Pe::target instead of driving
 * signals (the way interrupt lines are connected in TLM platforms).  A call
 * made by a process at time t takes effect at the cycle t falls in, exactly
 * as the same change on the ports would, without the signal's update phase
 * and delta cycle: the module runs in the same evaluation phase (immediate
 * notification).  Calls within one cycle take effect in call order, after
 * the port changes seen in the same activation.
 */
class SerrorTarget : public virtual sc_core::sc_interface {
public:
	/* An edge-triggered physical SError condition with syndrome iss
	 * (ISS[24:0]), synchronizable when sync (the serror port's rising edge). */
	virtual void raise_serror(uint32_t iss, bool sync) = 0;
	/* Level line 0..63 asserted (iss, sync of the condition it raises) or
	 * deasserted (a bit of the serror_lines port). */
	virtual void set_serror_line(unsigned line, bool level, uint32_t iss, bool sync) = 0;
	/* The hypervisor injects a virtual SError (the vserror port's rising
	 * edge). */
	virtual void inject_vserror(uint32_t iss) = 0;
};

class Pe : public sc_core::sc_module, public SerrorTarget {
public:
	/* --- inputs (bind those the platform drives) ---------------------- */
	/* Rising edge: a physical SError source raises an edge-triggered
	 * condition with syndrome serror_iss (ISS[24:0]), synchronizable
	 * (an ESB can defer it) when serror_sync is true. */
	in_port<bool> serror;
	/* Level-triggered lines 0..63: bit k 0 -> 1 raises a condition on
	 * line k (syndrome serror_iss, serror_sync); 1 -> 0 lowers it. */
	in_port<uint64_t> serror_lines;
	in_port<uint32_t> serror_iss;
	in_port<bool> serror_sync;
	/* Rising edge: the hypervisor injects a virtual SError with syndrome
	 * vserror_iss (what happens to one already pending: the vinject knob),
	 * a host event of the hypervisor driving the PE (hyp/hyp.h). */
	in_port<bool> vserror;
	in_port<uint32_t> vserror_iss;
	/* The same inputs as calls (SerrorTarget). */
	sc_core::sc_export<SerrorTarget> target;

	/* --- outputs (bind those the platform reads) ---------------------- */
	out_port<unsigned> el;		/* PSTATE.EL */
	out_port<bool> pstate_a;	/* PSTATE.A */
	out_port<bool> hcr_vse;		/* HCR_EL2.VSE */
	out_port<uint64_t> exc_vector;	/* the last exception taken: vector address */
	out_port<uint64_t> exc_esr;	/* its ESR (0 when it writes none) */
	out_port<uint32_t> exc_count;	/* exceptions taken so far (changes on each) */
	out_port<bool> stopped;		/* the run stopped (end, watchdog, ...) */

	/*
	 * period: one model cycle.  cfg: the configuration (NULL: defaults).
	 * quantum: 0 (default) keeps the model in lock-step with SystemC
	 * time, exactly as the pure-C engine would run with the same events;
	 * N > 0 lets the model run up to N cycles ahead of SystemC time
	 * (temporal decoupling: fewer activations, inputs may then take
	 * effect up to N cycles late and outputs show early).
	 */
	Pe(sc_core::sc_module_name name, const sc_core::sc_time &period,
	   const ss_config *cfg = nullptr, uint64_t quantum = 0);
	~Pe() override;

	/* The module's own PE: set its program (ss_pe_set_program) and
	 * initial state before the simulation starts. */
	ss_pe *model() { return own_.get(); }
	const ss_pe *model() const { return own_.get(); }

	/* The hypervisor that drives the module's own PE (host events). */
	ss_hyp *hypervisor() { return own_hyp_.get(); }

	/* Drive another PE from now on (its cycle now is SystemC time now),
	 * reporting to obs (may be NULL), with the hypervisor hyp performing
	 * its host events (NULL: the module's own, reset for this PE); the
	 * module's own PE is left alone.  Used by the scenario testbench; after
	 * detach() the module drives no PE (inputs are still tracked) until the
	 * next attach(). */
	void attach(ss_pe *pe, const ss_observer *obs = nullptr, ss_hyp *hyp = nullptr);
	void detach();

	/* An observer for the module's own PE (traces); NULL for none. */
	void set_observer(const ss_observer *obs) { obs_ = obs; }

	/* An event taking effect at the current cycle, after the port changes
	 * seen so far and in order with the SerrorTarget calls: typically a
	 * host event (SS_EV_HOST whose tag names an event of the driving
	 * hypervisor, ss_hyp_add_event: a KVM_SET_VCPU_EVENTS, a migration). */
	void host_event(const ss_event &ev);

	/* Promise that no input will change any more: a PE asleep with nothing
	 * left to wake it then stops with deadlock (as the pure-C engine). */
	void close_inputs();

	/* Notified when the PE stops. */
	const sc_core::sc_event &stop_event() const { return stop_ev_; }
	bool is_stopped() const { return !pe_ || pe_->stop != SS_RUNNING; }

	/* The model cycle that SystemC time 'now' falls in. */
	uint64_t cycle_now() const;
	const sc_core::sc_time &period() const { return period_; }
	uint64_t quantum() const { return quantum_; }

	/* Statistics: process activations so far. */
	uint64_t activations() const { return activations_; }

private:
	struct Outputs {
		unsigned el;
		bool a, vse, stopped;
		uint32_t count;
	};
	void activate();
	void end_of_elaboration() override;
	void raise_serror(uint32_t iss, bool sync) override;
	void set_serror_line(unsigned line, bool level, uint32_t iss, bool sync) override;
	void inject_vserror(uint32_t iss) override;
	void call_input(const ss_event &ev, bool vserror);
	void sample_inputs(uint64_t now, bool deliver);
	Outputs outputs() const;
	bool outputs_changed() const;
	bool write_outputs(const Outputs &o);
	void schedule_wake(uint64_t target);
	void cancel_wake();
	void arm_watchdog();
	uint64_t next_step() const;
	uint64_t input_horizon() const;
	bool parked_before(uint64_t now) const;
	void run_ahead(uint64_t horizon);
	enum ss_watch_end run_watch(uint64_t until, uint64_t *at);
	void find_listeners();
	bool outputs_listened(const Outputs &o) const;
	void deliver(const ss_event &ev, uint64_t now);
	void start();

	std::unique_ptr<ss_pe> own_;
	std::unique_ptr<ss_hyp> own_hyp_;
	ss_pe *pe_;
	ss_hyp *hyp_;
	const ss_observer *obs_ = nullptr;
	sc_core::sc_time period_;
	uint64_t quantum_;
	sc_core::sc_time base_time_;
	uint64_t base_cycle_ = 0;
	sc_core::sc_event wake_;	/* timed: the model's next step */
	sc_core::sc_time wake_at_;
	bool wake_set_ = false;
	sc_core::sc_event watchdog_;	/* timed, once per attach: max_cycles */
	bool watchdog_set_ = false;
	sc_core::sc_event recheck_;	/* delta notifications only */
	sc_core::sc_time recheck_at_;	/* the time of the last look again */
	bool rechecked_ = false;
	sc_core::sc_event stop_ev_;
	/* inputs made by calls (SerrorTarget, host_event), in call order; a virtual
	 * SError's syndrome is in iss and its tag is made on delivery */
	struct CallInput {
		ss_event ev;
		bool vserror;
	};
	std::vector<CallInput> calls_;
	sc_core::sc_event call_;	/* immediate notifications */
	/* input event finders of the optional ports (sensitivity) */
	std::unique_ptr<sc_core::sc_event_finder> serror_pos_, lines_changed_, vserror_pos_;
	/* what the bound outputs show: watched PSTATE and HCR_EL2 bits,
	 * whether the exceptions and EL are shown */
	uint64_t show_pstate_ = 0, show_hcr_ = 0;
	bool show_exc_ = false;
	bool close_pending_ = false;
	bool stop_reported_ = false;
	bool started_ = false;
	/* every boundary before this cycle has been executed: inputs that
	 * arrive now belong to this cycle or a later one */
	uint64_t horizon_ = 0;
	bool late_reported_ = false;
	/* where a process could learn of an output change (the channels'
	 * lazily created events); unknown channels count as listened */
	const void *const *listen_[32];
	unsigned listen_end_[7] = {};	/* per output port, in declaration order */
	unsigned nlisten_ = 0;
	bool listen_unknown_ = true, listen_init_ = false;

	/* last seen inputs */
	uint64_t last_lines_ = 0;
	/* last written outputs */
	bool out_valid_ = false;
	Outputs out_{};
	uint64_t raw_pstate_ = 0, raw_hcr_ = 0;	/* their sources then */

	uint64_t activations_ = 0;
};

} // namespace serrsim

#endif
