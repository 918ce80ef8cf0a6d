/*
 * serrsim_pe.cc - serrsim::Pe: the event-driven wrapper around the C model.
 *
 * One SC_METHOD, sensitive to a private wake event and to every input's
 * value-changed event.  On each activation, with 'now' the cycle SystemC
 * time falls in:
 *   1. ss_hyp_run_until(now): the model executes every instruction boundary
 *      of the cycles before 'now' (all their inputs are known by then), the
 *      hypervisor performing each host event the PE exits for;
 *   2. input changes become model events at cycle 'now' (ss_schedule), so
 *      they take effect at the first boundary at or after 'now', as a timed
 *      event of the pure-C engine does; then host operations, in call order;
 *   3. outputs are written if they changed;
 *   4. the wake event is set for the cycle after the next boundary, the
 *      next internal event of a sleeping PE, or nothing at all when the PE
 *      sleeps with nothing scheduled (an input change wakes it).
 */
#include "serrsim_pe.h"

#include <cstring>

using namespace sc_core;

namespace serrsim {

Pe::Pe(sc_module_name name, const sc_time &period, const ss_config *cfg, uint64_t quantum)
	: sc_module(name), serror("serror"), serror_lines("serror_lines"),
	  serror_iss("serror_iss"), serror_sync("serror_sync"), vserror("vserror"),
	  vserror_iss("vserror_iss"), el("el"), pstate_a("pstate_a"), hcr_vse("hcr_vse"),
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

	SC_HAS_PROCESS(Pe);
	SC_METHOD(activate);
	sensitive << wake_ << serror.pos() << serror_lines << vserror.pos();
}

Pe::~Pe() = default;

void Pe::start()
{
	base_time_ = sc_time_stamp();
	base_cycle_ = pe_->cycle;
	pe_->open_inputs = true;
	host_ops_.clear();
	close_pending_ = false;
	stop_reported_ = false;
	out_valid_ = false;
	/* The inputs as they are now are the baseline: only changes count. */
	last_lines_ = serror_lines.read();
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
	start();
	wake_.cancel();
	wake_.notify(SC_ZERO_TIME);
}

void Pe::detach()
{
	pe_ = nullptr;
	hyp_ = own_hyp_.get();
	obs_ = nullptr;
	wake_.cancel();
}

void Pe::host_event(const ss_event &ev)
{
	host_ops_.push_back(ev);
	wake_.cancel();
	wake_.notify(SC_ZERO_TIME);
}

void Pe::close_inputs()
{
	close_pending_ = true;
	wake_.cancel();
	wake_.notify(SC_ZERO_TIME);
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

void Pe::sample_inputs(uint64_t now, bool live)
{
	uint64_t lines = serror_lines.read();
	if (live) {
		ss_event ev;
		std::memset(&ev, 0, sizeof ev);
		uint64_t changed = lines ^ last_lines_;
		for (unsigned k = 0; changed && k < 64; k++) {
			if (!(changed >> k & 1))
				continue;
			ev.line = (uint8_t)k;
			if (lines >> k & 1) {
				ev.kind = SS_EV_RAISE;
				ev.trigger = SS_LEVEL;
				ev.iss = serror_iss.read();
				ev.synchronizable = serror_sync.read();
			} else {
				ev.kind = SS_EV_LOWER;
			}
			deliver(ev, now);
		}
		/* a rising edge in the last delta (the process is sensitive to
		 * the rising edges only, so no value in between is seen) */
		if (serror.posedge()) {
			std::memset(&ev, 0, sizeof ev);
			ev.kind = SS_EV_RAISE;
			ev.trigger = SS_EDGE;
			ev.iss = serror_iss.read();
			ev.synchronizable = serror_sync.read();
			deliver(ev, now);
		}
		if (vserror.posedge()) {
			ss_host_event hev;
			std::memset(&hev, 0, sizeof hev);
			hev.op = SS_HOST_VSERROR;
			hev.iss = vserror_iss.read();
			hev.dst = -1;
			int tag = ss_hyp_add_event(hyp_, &hev);
			std::memset(&ev, 0, sizeof ev);
			ev.kind = SS_EV_HOST;
			ev.tag = (uint32_t)tag;
			if (tag >= 0)
				deliver(ev, now);
			else
				SC_REPORT_WARNING("serrsim::Pe", "vserror dropped: SS_HYP_MAX_EVENTS reached");
		}
	}
	last_lines_ = lines;
}

void Pe::write_outputs()
{
	unsigned e = ss_pe_el(pe_);
	bool a = SS_GET(PSTATE_A, pe_->sr[SS_REG_PSTATE]) != 0;
	bool vse = SS_GET(HCR_VSE, pe_->sr[SS_REG_HCR_EL2]) != 0;
	bool st = pe_->stop != SS_RUNNING;
	if (!out_valid_ || e != out_el_)
		el.write(out_el_ = e);
	if (!out_valid_ || a != out_a_)
		pstate_a.write(out_a_ = a);
	if (!out_valid_ || vse != out_vse_)
		hcr_vse.write(out_vse_ = vse);
	if (!out_valid_ || pe_->nexc != out_count_) {
		exc_vector.write(pe_->nexc ? pe_->last_exc.vector : 0);
		exc_esr.write(pe_->nexc ? pe_->last_exc.esr : 0);
		exc_count.write(out_count_ = pe_->nexc);
	}
	if (!out_valid_ || st != out_stopped_)
		stopped.write(out_stopped_ = st);
	out_valid_ = true;
}

/* Wake at the start of cycle 'target' (or not at all if that time cannot be
 * represented). */
void Pe::schedule_wake(uint64_t target)
{
	wake_.cancel();
	uint64_t ticks = period_.value();
	uint64_t rel = target - base_cycle_;
	if (rel > (UINT64_MAX - base_time_.value()) / ticks)
		return;
	sc_time at = base_time_ + sc_time::from_value(rel * ticks);
	sc_time now = sc_time_stamp();
	wake_.notify(at > now ? at - now : SC_ZERO_TIME);
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
		host_ops_.clear();
		close_pending_ = false;
		if (pe_) {
			write_outputs();
			if (!stop_reported_) {
				stop_reported_ = true;
				stop_ev_.notify(SC_ZERO_TIME);
			}
		}
		return;
	}
	uint64_t now = cycle_now();
	/* 1. every boundary before this cycle */
	ss_hyp_run_until(hyp_, pe_, obs_, now);
	/* 2. inputs of this cycle, then host operations */
	sample_inputs(now, pe_->stop == SS_RUNNING);
	for (const ss_event &ev : host_ops_)
		if (pe_->stop == SS_RUNNING)
			deliver(ev, now);
	host_ops_.clear();
	if (close_pending_) {
		close_pending_ = false;
		ss_close_inputs(pe_, obs_);
	}
	/* temporal decoupling: run ahead (a parked PE too: an input that
	 * arrives before what it jumps to is then applied late) */
	if (quantum_ && pe_->stop == SS_RUNNING)
		ss_hyp_run_until(hyp_, pe_, obs_, now + quantum_ > now ? now + quantum_ : UINT64_MAX);
	/* 3. outputs */
	write_outputs();
	/* 4. next activation */
	if (pe_->stop != SS_RUNNING) {
		wake_.cancel();
		if (!stop_reported_) {
			stop_reported_ = true;
			stop_ev_.notify(SC_ZERO_TIME);
		}
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
			wake_.cancel();
		return;
	}
	/* running: the cycle after the next boundary; with a quantum, when
	 * SystemC time catches up with the model (which then runs ahead again) */
	uint64_t target = pe_->cycle + 1;
	if (quantum_ && pe_->cycle > now + quantum_ / 2)
		target = pe_->cycle - quantum_ / 2;
	if (target <= now)
		target = now + 1;
	schedule_wake(target);
}

} // namespace serrsim
