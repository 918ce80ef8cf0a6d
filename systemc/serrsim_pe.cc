/*
 * serrsim_pe.cc - serrsim::Pe: the event-driven wrapper around the C model.
 *
 * One SC_METHOD, sensitive to its private wake events, to the bound inputs'
 * changes and to the calls' immediate notification (SerrorTarget,
 * host_event).  On each activation, with 'now' the cycle SystemC time falls
 * in:
 *   1. ss_hyp_run_until(now): the model executes every instruction boundary
 *      of the cycles before 'now' (all their inputs are known by then), the
 *      hypervisor performing each host event the PE exits for;
 *   2. input changes become model events at cycle 'now' (ss_schedule), so
 *      they take effect at the first boundary at or after 'now', as a timed
 *      event of the pure-C engine does; then the calls, in call order;
 *   3. the bound outputs are written if they changed;
 *   4. the wake event is set for the cycle after the next boundary, the
 *      next internal event of a sleeping PE, or nothing at all when the PE
 *      sleeps with nothing scheduled (an input change wakes it).
 */
#include "serrsim_pe.h"

#include <cstring>

using namespace sc_core;

namespace serrsim {

namespace {

/* An output change can wake a process only through the events of the
 * channel it is written to.  Accellera's sc_signal creates them when a
 * process first asks for them (static sensitivity, an event finder, a wait,
 * a reset_signal_is): while none exists, no process learns of a change
 * before it reads the value at a time of its own, which counts as pending
 * activity.  The event pointers are protected members; a member pointer
 * taken in a derived class reads them. */
struct ChannelPeek : sc_signal_channel {
	static sc_event *sc_signal_channel::*change() { return &ChannelPeek::m_change_event_p; }
};

template <sc_writer_policy POL> struct BoolPeek : sc_signal<bool, POL> {
	using S = sc_signal<bool, POL>;
	static sc_event *S::*pos() { return &BoolPeek::m_posedge_event_p; }
	static sc_event *S::*neg() { return &BoolPeek::m_negedge_event_p; }
	static sc_reset *S::*reset() { return &BoolPeek::m_reset_p; }
};

template <sc_writer_policy POL>
bool add_bool_events(sc_interface *itf, const void *const **out, unsigned *n)
{
	auto *b = dynamic_cast<sc_signal<bool, POL> *>(itf);
	if (!b)
		return false;
	out[(*n)++] = reinterpret_cast<const void *const *>(&(b->*BoolPeek<POL>::pos()));
	out[(*n)++] = reinterpret_cast<const void *const *>(&(b->*BoolPeek<POL>::neg()));
	out[(*n)++] = reinterpret_cast<const void *const *>(&(b->*BoolPeek<POL>::reset()));
	return true;
}

} // namespace

Pe::Pe(sc_module_name name, const sc_time &period, const ss_config *cfg, uint64_t quantum)
	: sc_module(name), serror("serror"), serror_lines("serror_lines"),
	  serror_iss("serror_iss"), serror_sync("serror_sync"), vserror("vserror"),
	  vserror_iss("vserror_iss"), target("target"), el("el"), pstate_a("pstate_a"), hcr_vse("hcr_vse"),
	  exc_vector("exc_vector"), exc_esr("exc_esr"), exc_count("exc_count"),
	  stopped("stopped"), own_(new ss_pe), own_hyp_(new ss_hyp), period_(period),
	  quantum_(quantum)
{
	if (period_ == SC_ZERO_TIME)
		SC_REPORT_FATAL("serrsim::Pe", "the clock period must not be zero");
	ss_config def;
	if (!cfg) {
		ss_config_default(&def);
		cfg = &def;
	}
	ss_pe_reset(own_.get(), cfg);
	own_->open_inputs = true;
	pe_ = own_.get();
	ss_hyp_init(own_hyp_.get(), cfg);
	hyp_ = own_hyp_.get();

	target.bind(*this);
	using B = sc_signal_in_if<bool>;
	using L = sc_signal_in_if<uint64_t>;
	serror_pos_.reset(new sc_event_finder_t<B>(serror, &B::posedge_event));
	lines_changed_.reset(new sc_event_finder_t<L>(serror_lines, &L::value_changed_event));
	vserror_pos_.reset(new sc_event_finder_t<B>(vserror, &B::posedge_event));
	SC_HAS_PROCESS(Pe);
	SC_METHOD(activate);
	sensitive << wake_ << watchdog_ << recheck_ << call_ << *serror_pos_ << *lines_changed_
		  << *vserror_pos_;
}

/* What the bound outputs show: only those are computed, watched and written. */
void Pe::end_of_elaboration()
{
	show_pstate_ = (el.size() ? SS_PSTATE_EL_MASK : 0) | (pstate_a.size() ? SS_PSTATE_A_MASK : 0);
	show_hcr_ = hcr_vse.size() ? SS_HCR_VSE_MASK : 0;
	show_exc_ = exc_vector.size() || exc_esr.size() || exc_count.size();
}

Pe::~Pe() = default;

void Pe::start()
{
	base_time_ = sc_time_stamp();
	base_cycle_ = pe_->cycle;
	pe_->open_inputs = true;
	close_pending_ = false;
	stop_reported_ = false;
	out_valid_ = false;
	horizon_ = pe_->cycle;
	late_reported_ = false;
	watchdog_.cancel();
	watchdog_set_ = false;
	/* The inputs as they are now are the baseline: only changes count. */
	last_lines_ = serror_lines.size() ? serror_lines->read() : 0;
}

void Pe::attach(ss_pe *pe, const ss_observer *obs, ss_hyp *hyp)
{
	pe_ = pe;
	obs_ = obs;
	if (!hyp) {
		hyp = own_hyp_.get();
		ss_hyp_init(hyp, &pe->cfg);
	}
	hyp_ = hyp;
	started_ = true;
	calls_.clear();	/* made for the PE driven before */
	start();
	cancel_wake();
	recheck_.notify(SC_ZERO_TIME);
}

void Pe::detach()
{
	pe_ = nullptr;
	hyp_ = own_hyp_.get();
	obs_ = nullptr;
	cancel_wake();
	watchdog_.cancel();
	watchdog_set_ = false;
}

void Pe::host_event(const ss_event &ev)
{
	call_input(ev, false);
}

void Pe::close_inputs()
{
	close_pending_ = true;
	recheck_.notify(SC_ZERO_TIME);
}

uint64_t Pe::cycle_now() const
{
	return base_cycle_ + (sc_time_stamp() - base_time_).value() / period_.value();
}

void Pe::deliver(const ss_event &ev, uint64_t now)
{
	ss_event e = ev;
	e.when = SS_AT_CYCLE;
	e.at = now;
	if (!ss_schedule(pe_, &e))
		SC_REPORT_WARNING("serrsim::Pe", "event dropped: SS_MAX_EVENTS reached or bad line");
}

/* An edge-triggered physical SError condition raised. */
static ss_event edge_event(uint32_t iss, bool sync)
{
	ss_event ev;
	std::memset(&ev, 0, sizeof ev);
	ev.kind = SS_EV_RAISE;
	ev.trigger = SS_EDGE;
	ev.iss = iss;
	ev.synchronizable = sync;
	return ev;
}

/* Level line k asserted (raising a condition iss, sync) or deasserted. */
static ss_event line_event(unsigned k, bool level, uint32_t iss, bool sync)
{
	ss_event ev;
	std::memset(&ev, 0, sizeof ev);
	ev.line = (uint8_t)k;
	if (level) {
		ev.kind = SS_EV_RAISE;
		ev.trigger = SS_LEVEL;
		ev.iss = iss;
		ev.synchronizable = sync;
	} else {
		ev.kind = SS_EV_LOWER;
	}
	return ev;
}

/* A virtual SError injected now: a host event of the driving hypervisor. */
static void add_vserror(ss_hyp *hyp, uint32_t iss, ss_event *ev)
{
	ss_host_event hev;
	std::memset(&hev, 0, sizeof hev);
	hev.op = SS_HOST_VSERROR;
	hev.iss = iss;
	hev.dst = -1;
	int tag = ss_hyp_add_event(hyp, &hev);
	std::memset(ev, 0, sizeof *ev);
	ev->kind = SS_EV_HOST;
	ev->tag = (uint32_t)tag;
	if (tag < 0)
		SC_REPORT_WARNING("serrsim::Pe", "vserror dropped: SS_HYP_MAX_EVENTS reached");
}

void Pe::sample_inputs(uint64_t now, bool live)
{
	uint64_t lines = serror_lines.size() ? serror_lines->read() : 0;
	if (live) {
		const uint32_t iss = serror_iss.size() ? serror_iss->read() : 0;
		const bool sync = serror_sync.size() && serror_sync->read();
		uint64_t changed = lines ^ last_lines_;
		for (unsigned k = 0; changed && k < SS_MAX_LINES; k++)
			if (changed >> k & 1)
				deliver(line_event(k, lines >> k & 1, iss, sync), now);
		/* a rising edge in the last delta (the process is sensitive to
		 * the rising edges only, so no value in between is seen) */
		if (serror.size() && serror->posedge())
			deliver(edge_event(iss, sync), now);
		ss_event ev;
		if (vserror.size() && vserror->posedge()) {
			add_vserror(hyp_, vserror_iss.size() ? vserror_iss->read() : 0, &ev);
			if ((int32_t)ev.tag >= 0)
				deliver(ev, now);
		}
		/* then the calls (SerrorTarget, host_event), in call order */
		for (CallInput &c : calls_) {
			if (c.vserror) {
				add_vserror(hyp_, c.ev.iss, &c.ev);
				if ((int32_t)c.ev.tag < 0)
					continue;
			}
			deliver(c.ev, now);
		}
	}
	calls_.clear();
	last_lines_ = lines;
}

/* An input made by a call: applied by the module's next activation, in this
 * evaluation phase when the caller is a process (no delta cycle), else at
 * the next one (a call from sc_main between two sc_start). */
void Pe::call_input(const ss_event &ev, bool vserror)
{
	calls_.push_back(CallInput{ ev, vserror });
	if (sc_get_status() == SC_RUNNING && sc_get_curr_simcontext()->evaluation_phase())
		call_.notify();
	else
		call_.notify(SC_ZERO_TIME);
}

void Pe::raise_serror(uint32_t iss, bool sync)
{
	call_input(edge_event(iss, sync), false);
}

void Pe::set_serror_line(unsigned line, bool level, uint32_t iss, bool sync)
{
	if (line >= SS_MAX_LINES) {
		SC_REPORT_WARNING("serrsim::Pe", "set_serror_line: no such line (0..63)");
		return;
	}
	call_input(line_event(line, level, iss, sync), false);
}

void Pe::inject_vserror(uint32_t iss)
{
	ss_event ev;
	std::memset(&ev, 0, sizeof ev);
	ev.iss = iss;
	call_input(ev, true);
}

/* The outputs as the PE shows them now; those not bound read 0. */
Pe::Outputs Pe::outputs() const
{
	Outputs o;
	uint64_t p = pe_->sr[SS_REG_PSTATE] & show_pstate_;
	o.el = (unsigned)SS_GET(PSTATE_EL, p);
	o.a = SS_GET(PSTATE_A, p) != 0;
	o.vse = (pe_->sr[SS_REG_HCR_EL2] & show_hcr_) != 0;
	o.stopped = pe_->stop != SS_RUNNING;
	o.count = show_exc_ ? pe_->nexc : 0;
	return o;
}

bool Pe::outputs_changed() const
{
	return !out_valid_ || ((pe_->sr[SS_REG_PSTATE] ^ raw_pstate_) & show_pstate_) ||
	       ((pe_->sr[SS_REG_HCR_EL2] ^ raw_hcr_) & show_hcr_) ||
	       (show_exc_ && pe_->nexc != out_.count) || (pe_->stop != SS_RUNNING) != out_.stopped;
}

/* Write the bound outputs that changed; true if any did. */
bool Pe::write_outputs(const Outputs &o)
{
	bool any = false;
	if (el.size() && (!out_valid_ || o.el != out_.el)) {
		el->write(o.el);
		any = true;
	}
	if (pstate_a.size() && (!out_valid_ || o.a != out_.a)) {
		pstate_a->write(o.a);
		any = true;
	}
	if (hcr_vse.size() && (!out_valid_ || o.vse != out_.vse)) {
		hcr_vse->write(o.vse);
		any = true;
	}
	if (show_exc_ && (!out_valid_ || o.count != out_.count)) {
		if (exc_vector.size())
			exc_vector->write(pe_->nexc ? pe_->last_exc.vector : 0);
		if (exc_esr.size())
			exc_esr->write(pe_->nexc ? pe_->last_exc.esr : 0);
		if (exc_count.size())
			exc_count->write(o.count);
		any = true;
	}
	if (stopped.size() && (!out_valid_ || o.stopped != out_.stopped)) {
		stopped->write(o.stopped);
		any = true;
	}
	out_ = o;
	out_valid_ = true;
	raw_pstate_ = pe_->sr[SS_REG_PSTATE];
	raw_hcr_ = pe_->sr[SS_REG_HCR_EL2];
	return any;
}

void Pe::find_listeners()
{
	listen_init_ = true;
	nlisten_ = 0;
	listen_unknown_ = false;
#if defined(SC_VERSION_ORIGINATOR) && SC_VERSION_MAJOR == 2 && SC_VERSION_MINOR == 3
	sc_port_base *ports[] = { &el, &pstate_a, &hcr_vse, &exc_vector, &exc_esr, &exc_count, &stopped };
	for (unsigned k = 0; k < 7; k++) {
		sc_port_base *p = ports[k];
		sc_interface *itf = p->get_interface();
		if (!itf) {	/* unbound: never written */
			listen_end_[k] = nlisten_;
			continue;
		}
		auto *ch = dynamic_cast<sc_signal_channel *>(itf);
		if (!ch || std::strcmp(SC_VERSION_ORIGINATOR, "Accellera")) {
			listen_unknown_ = true;
			return;
		}
		listen_[nlisten_++] =
			reinterpret_cast<const void *const *>(&(ch->*ChannelPeek::change()));
		if (dynamic_cast<sc_signal_inout_if<bool> *>(itf) &&
		    !add_bool_events<SC_ONE_WRITER>(itf, listen_, &nlisten_) &&
		    !add_bool_events<SC_MANY_WRITERS>(itf, listen_, &nlisten_) &&
		    !add_bool_events<SC_UNCHECKED_WRITERS>(itf, listen_, &nlisten_)) {
			listen_unknown_ = true;
			return;
		}
		listen_end_[k] = nlisten_;
	}
#else
	listen_unknown_ = true;
#endif
}

/* Could a process react, within the current cycle, to writing the outputs
 * that changed? */
bool Pe::outputs_listened(const Outputs &o) const
{
	if (listen_unknown_ || !out_valid_)
		return true;
	auto any = [this](unsigned k) {
		for (unsigned i = k ? listen_end_[k - 1] : 0; i < listen_end_[k]; i++)
			if (*listen_[i])
				return true;
		return false;
	};
	return (o.el != out_.el && any(0)) || (o.a != out_.a && any(1)) ||
	       (o.vse != out_.vse && any(2)) ||
	       (o.count != out_.count && (any(3) || any(4) || any(5))) ||
	       (o.stopped != out_.stopped && any(6));
}

/* Wake at the start of cycle 'target' (or not at all if that time cannot be
 * represented).  A wake already set for that time is left alone: a timed
 * notification cancelled stays in the kernel's queue until its time. */
void Pe::schedule_wake(uint64_t target)
{
	uint64_t ticks = period_.value();
	uint64_t rel = target - base_cycle_;
	if (rel > (UINT64_MAX - base_time_.value()) / ticks) {
		cancel_wake();
		return;
	}
	sc_time at = base_time_ + sc_time::from_value(rel * ticks);
	sc_time now = sc_time_stamp();
	if (at <= now) {
		cancel_wake();
		recheck_.notify(SC_ZERO_TIME);
		return;
	}
	if (wake_set_ && wake_at_ == at && now < at)
		return;
	wake_.cancel();
	wake_.notify(at - now);
	wake_at_ = at;
	wake_set_ = true;
}

void Pe::cancel_wake()
{
	if (wake_set_ && sc_time_stamp() < wake_at_)
		wake_.cancel();
	wake_set_ = false;
}

/* Asleep with nothing scheduled: wake at max_cycles for the watchdog (an
 * input may still come before it).  Set once per attach. */
void Pe::arm_watchdog()
{
	if (watchdog_set_)
		return;
	uint64_t max = pe_->cfg.timing.max_cycles;
	uint64_t ticks = period_.value();
	uint64_t rel = max > base_cycle_ ? max - base_cycle_ : 0;
	if (rel > (UINT64_MAX - base_time_.value()) / ticks)
		return;
	sc_time at = base_time_ + sc_time::from_value(rel * ticks), now = sc_time_stamp();
	if (at <= now) {
		recheck_.notify(SC_ZERO_TIME);
		return;
	}
	watchdog_.notify(at - now);
	watchdog_set_ = true;
}

/* The 'until' of the model's next step: the cycle after its next boundary
 * while it executes instructions; asleep (parked), the cycle after its next
 * internal event (an SError becoming visible after 'propagation' cycles),
 * or max_cycles (the watchdog) with nothing scheduled. */
uint64_t Pe::next_step() const
{
	uint64_t target = pe_->cycle + 1;
	if (pe_->parked) {
		uint64_t next = ss_next_event_cycle(pe_), max = pe_->cfg.timing.max_cycles;
		target = next < max ? next + 1 : max;
	}
	return target > horizon_ ? target : horizon_ + 1;
}

/* Parked with nothing scheduled before cycle 'now' (< max_cycles): the
 * model has nothing to do before it (ss_run_until would return at once). */
bool Pe::parked_before(uint64_t now) const
{
	return pe_->parked && !pe_->exit.due && now < pe_->cfg.timing.max_cycles &&
	       ss_next_event_cycle(pe_) >= now;
}

/* The first cycle in which an input may still change: the cycle of the
 * simulation's next pending activity (no process runs before it, so no
 * input changes before it); the current cycle while anything is pending at
 * the current time (a process runnable in this delta, a delta notification,
 * an update), UINT64_MAX when nothing is pending at all. */
uint64_t Pe::input_horizon() const
{
	sc_time d = sc_time_to_pending_activity();
	sc_time now = sc_time_stamp();
	if (d == SC_ZERO_TIME)
		return cycle_now();
	if (d >= sc_max_time() - now)
		return UINT64_MAX;
	uint64_t rel = (now + d - base_time_).value() / period_.value();
	return rel > UINT64_MAX - base_cycle_ ? UINT64_MAX : base_cycle_ + rel;
}

/* The model until 'until' or its first output change (ss_run_watch: the
 * outputs as last written are the watch), the hypervisor performing each
 * host event the PE exits for. */
enum ss_watch_end Pe::run_watch(uint64_t until, uint64_t *at)
{
	ss_watch w;
	w.pstate_mask = show_pstate_;
	w.pstate = raw_pstate_;
	w.hcr_mask = show_hcr_;
	w.hcr = raw_hcr_;
	w.nexc = out_.count;
	w.ignore_nexc = !show_exc_;
	w.at = 0;
	for (;;) {
		enum ss_watch_end r = ss_run_watch(pe_, obs_, until, &w);
		if (r != SS_WATCH_EXIT) {
			*at = w.at;
			return r;
		}
		ss_hyp_handle_exit(hyp_, pe_, obs_);
	}
}

/* Quantum 0: execute, in this activation, every boundary that no input can
 * reach any more (those before the input horizon), until an output
 * changes; wake when SystemC time reaches the cycle where that change
 * shows (the cycle after its boundary), or the model's next step, or never
 * while the PE sleeps with nothing scheduled and an input will wake it. */
void Pe::run_ahead(const uint64_t horizon)
{
	const uint64_t max = pe_->cfg.timing.max_cycles;
	for (;;) {
		uint64_t u = next_step();
		bool idle = pe_->parked && ss_next_event_cycle(pe_) >= max;
		if (idle) {
			cancel_wake();
			arm_watchdog();
			return;
		}
		if (u > horizon) {
			if (horizon <= cycle_now() &&
			    (!rechecked_ || recheck_at_ != sc_time_stamp())) {
				/* more is to happen at this time: look again
				 * once it has (once per time step: two
				 * modules would otherwise wait for each
				 * other forever) */
				rechecked_ = true;
				recheck_at_ = sc_time_stamp();
				recheck_.notify(SC_ZERO_TIME);
			} else
				schedule_wake(u);
			return;
		}
		/* every boundary before the horizon in one call, unless an
		 * output changes first */
		uint64_t at;
		enum ss_watch_end r = run_watch(horizon, &at);
		if (r == SS_WATCH_UNTIL) {
			horizon_ = horizon;
			continue;
		}
		horizon_ = at;
		if (r == SS_WATCH_STOPPED || outputs_changed()) {
			schedule_wake(at);
			return;
		}
	}
}

void Pe::activate()
{
	activations_++;
	if (!started_ && pe_) {
		started_ = true;
		start();
	}
	if (!pe_ || pe_->stop != SS_RUNNING) {
		sample_inputs(0, false);
		close_pending_ = false;
		if (pe_) {
			write_outputs(outputs());
			cancel_wake();
			if (watchdog_set_) {
				watchdog_.cancel();
				watchdog_set_ = false;
			}
			if (!stop_reported_) {
				stop_reported_ = true;
				stop_ev_.notify(SC_ZERO_TIME);
			}
		}
		return;
	}
	uint64_t now = cycle_now();
	uint64_t at = now;
	if (!quantum_ && now < horizon_) {
		/* An input changed where no process could have changed it
		 * (between two sc_start calls, say) after the model ran ahead. */
		at = horizon_;
		if (!late_reported_) {
			late_reported_ = true;
			SC_REPORT_WARNING("serrsim::Pe",
					  "an input changed outside any process after the model ran ahead: "
					  "applied at the first cycle not yet executed");
		}
	} else {
		/* 1. every boundary before this cycle (none left when the
		 * model has run ahead to it: a wake at an output change) */
		if (pe_->cycle < now && !parked_before(now))
			ss_hyp_run_until(hyp_, pe_, obs_, now);
		if (!quantum_)
			horizon_ = now;
	}
	/* 2. inputs of this cycle: the ports, then the calls (host
	 * operations among them) in call order */
	sample_inputs(at, pe_->stop == SS_RUNNING);
	if (close_pending_) {
		close_pending_ = false;
		ss_close_inputs(pe_, obs_);
	}
	/* temporal decoupling: run ahead (a parked PE too: an input that
	 * arrives before what it jumps to is then applied late) */
	if (quantum_ && pe_->stop == SS_RUNNING)
		ss_hyp_run_until(hyp_, pe_, obs_, now + quantum_ > now ? now + quantum_ : UINT64_MAX);
	/* 3. outputs.  Quantum 0: the input horizon is taken before they are
	 * written (our own writes are pending updates); it stays valid if no
	 * process can react to them.  (A wake of ours still pending counts as
	 * activity: the module may stop short of the true horizon, and goes on
	 * when the wake comes.) */
	if (!listen_init_)
		find_listeners();
	bool changed = outputs_changed();
	Outputs o;
	if (changed)
		o = outputs();
	bool quiet = !quantum_ && (!changed || !outputs_listened(o));
	uint64_t horizon = quiet ? input_horizon() : 0;
	if (changed) {
		write_outputs(o);
	} else {
		/* (the sources of the outputs as they are now: the fast
		 * comparison above next time) */
		raw_pstate_ = pe_->sr[SS_REG_PSTATE];
		raw_hcr_ = pe_->sr[SS_REG_HCR_EL2];
	}
	/* 4. next activation */
	if (pe_->stop != SS_RUNNING) {
		cancel_wake();
		if (watchdog_set_) {
			watchdog_.cancel();
			watchdog_set_ = false;
		}
		if (!stop_reported_) {
			stop_reported_ = true;
			stop_ev_.notify(SC_ZERO_TIME);
		}
		return;
	}
	if (!quantum_) {
		if (quiet)
			run_ahead(horizon);
		else	/* a process may react to the outputs within this
			 * cycle: look again once it has (one delta later) */
			recheck_.notify(SC_ZERO_TIME);
		return;
	}
	uint64_t max = pe_->cfg.timing.max_cycles;
	if (pe_->parked) {
		/* asleep: the next internal event, or the watchdog */
		uint64_t next = ss_next_event_cycle(pe_);
		uint64_t target = next < max ? next + 1 : max;
		if (target <= now)
			target = now + 1;
		if (pe_->open_inputs || next != UINT64_MAX)
			schedule_wake(target);
		else
			cancel_wake();
		return;
	}
	/* running: with a quantum, when SystemC time catches up with the model
	 * (which then runs ahead again) */
	uint64_t target = pe_->cycle + 1;
	if (pe_->cycle > now + quantum_ / 2)
		target = pe_->cycle - quantum_ / 2;
	if (target <= now)
		target = now + 1;
	schedule_wake(target);
}

} // namespace serrsim
