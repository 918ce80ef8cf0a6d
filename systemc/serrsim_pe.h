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

class Pe : public sc_core::sc_module {
public:
	/* --- inputs (all must be bound) ----------------------------------- */
	/* Rising edge: a physical SError source raises an edge-triggered
	 * condition with syndrome serror_iss (ISS[24:0]), synchronizable
	 * (an ESB can defer it) when serror_sync is true. */
	sc_core::sc_in<bool> serror;
	/* Level-triggered lines 0..63: bit k 0 -> 1 raises a condition on
	 * line k (syndrome serror_iss, serror_sync); 1 -> 0 lowers it. */
	sc_core::sc_in<uint64_t> serror_lines;
	sc_core::sc_in<uint32_t> serror_iss;
	sc_core::sc_in<bool> serror_sync;
	/* Rising edge: the hypervisor injects a virtual SError with syndrome
	 * vserror_iss (what happens to one already pending: the vinject knob),
	 * a host event of the hypervisor driving the PE (hyp/hyp.h). */
	sc_core::sc_in<bool> vserror;
	sc_core::sc_in<uint32_t> vserror_iss;

	/* --- outputs (all must be bound) ---------------------------------- */
	sc_core::sc_out<unsigned> el;		/* PSTATE.EL */
	sc_core::sc_out<bool> pstate_a;		/* PSTATE.A */
	sc_core::sc_out<bool> hcr_vse;		/* HCR_EL2.VSE */
	sc_core::sc_out<uint64_t> exc_vector;	/* the last exception taken: vector address */
	sc_core::sc_out<uint64_t> exc_esr;	/* its ESR (0 when it writes none) */
	sc_core::sc_out<uint32_t> exc_count;	/* exceptions taken so far (changes on each) */
	sc_core::sc_out<bool> stopped;		/* the run stopped (end, watchdog, ...) */

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
	 * seen so far: typically a host event (SS_EV_HOST whose tag names an
	 * event of the driving hypervisor, ss_hyp_add_event: a
	 * KVM_SET_VCPU_EVENTS, a migration). */
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
	std::vector<ss_event> host_ops_;
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
