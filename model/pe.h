/*
 * pe.h - the processing element: state, program, events, and the step
 * functions of the SError exception logic.
 *
 * Pure C: no I/O and no allocation.  Everything the PE does is reported to an
 * observer (struct ss_observer) as it happens; text traces, JSON, waveforms
 * and expectation checks are observers that live outside model/.
 */
#ifndef SERRSIM_PE_H
#define SERRSIM_PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "sysregs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SS_MAX_CONDS 1024	/* SError conditions the PE's own ledger holds at once
				 * (ss_pe_set_storage gives it more); when it is full,
				 * conditions in a final state are compacted into
				 * per-state counts (pe->retired) */
#define SS_MAX_EVENTS 1024	/* events the PE's own storage holds at once
				 * (ss_pe_set_storage gives it more) */
#define SS_MAX_STORAGE (UINT32_C(1) << 26)	/* largest caller storage, in
				 * conditions or in events (docs/limits.md) */
#define SS_NIL UINT32_MAX	/* no condition / no event (private links) */
#define SS_MAX_LINES 64		/* level-triggered SError lines */
#define SS_NO_REG 31		/* XZR in register operands */

/* --- instructions -------------------------------------------------------- */

/* enum ss_op, one enumerator SS_OP_<NAME> per row of isa.def, and the
 * description of each operation (struct ss_insn_info). */
#include "isa.h"

/* Condition codes of B.cond, in their architectural encoding. */
enum ss_cc { SS_EQ, SS_NE, SS_CS, SS_CC, SS_MI, SS_PL, SS_VS, SS_VC,
	       SS_HI, SS_LS, SS_GE, SS_LT, SS_GT, SS_LE, SS_AL, SS_NV };

struct ss_insn {
	uint64_t addr;
	enum ss_op op;
	uint8_t rd, rn, rm;	/* 0..30, or SS_NO_REG for XZR */
	uint8_t cond;		/* enum ss_cc */
	uint8_t lsb, width;	/* UBFX */
	enum ss_reg sreg;	/* MRS / MSR */
	uint64_t imm;
	uint64_t target;	/* branch target address */
	uint32_t src_line;	/* for traces: where the parser found it */
};

/* Instructions sorted by strictly increasing address, 4 bytes apart or more. */
struct ss_program {
	const struct ss_insn *insns;
	size_t n;
};

/* The index of the instruction at addr in a program sorted by address
 * (binary search), or SIZE_MAX when none is there. */
size_t ss_program_index(const struct ss_program *p, uint64_t addr);

/*
 * A decoded instruction (ss_program_decode): its dispatch kind, operands
 * resolved (XZR as a zero source or a sink), its latency from the
 * configuration, the index of its branch target, the ELs at which it runs
 * inline, the straight-line run it starts (its instructions and their
 * cycles), and whether a PC event is scheduled at it.
 * The fields are PRIVATE to the model; the type is public so that callers
 * can provide the storage.
 */
struct ss_dinsn {
	uint8_t kind;		/* what the fast engine does */
	uint8_t flags;		/* SS_DI_* (exec.c) */
	uint8_t els;		/* ELs (bit n: EL n) at which its whole run runs inline */
	uint8_t own_els;	/* the same for this instruction alone */
	uint32_t lat;		/* cycles */
	uint32_t target;	/* index of the branch target, or none */
	uint32_t run_n;		/* instructions of its run from it to the run's end */
	uint32_t run_cyc;	/* their cycles */
	uint32_t span_cyc;	/* cycles from its start to the start of its run's last */
	uint16_t rd, rn, rm;	/* byte offsets of the operands in struct ss_pe */
	uint16_t pad_;
	uint64_t imm;
	uint64_t and_mask, or_mask;	/* MSR: what a write keeps and sets (ss_legalize) */
	uint64_t addr;		/* the instruction's address */
};

/* Instruction class for timing. */
enum ss_iclass ss_insn_class(enum ss_op op);

/* Mnemonic of an operation ("nop", "msr", ...). */
const char *ss_op_name(enum ss_op op);

/* Text of a condition code ("eq", ...). */
const char *ss_cond_name(enum ss_cc c);

/* --- physical SError conditions and the ledger --------------------------- */

/* What finally became of a condition; every condition is in exactly one. */
enum ss_disposition {
	SS_DISP_IN_FLIGHT,	/* raised, not yet visible to the PE */
	SS_DISP_PENDING,	/* pending at the PE */
	SS_DISP_TAKEN,		/* taken as SError exception number 'exc' */
	SS_DISP_DEFERRED,	/* written to DISR_EL1 by deferral number 'defer' */
	SS_DISP_MERGED,		/* merged into condition 'merged_into' (same exc/defer):
				 * two pending SErrors become one (RAS spec 2.5.3) */
	SS_DISP_WITHDRAWN,	/* a level source lowered, or VSE cleared by software,
				 * before it was taken */
	SS_DISP_LOST,		/* lost, for the reason in 'lost' (enum ss_lost_reason) */
	SS_DISP_HANDED_OVER,	/* a pending vSError carried by a migration to another
				 * host: pending again there as condition 'merged_into' */
	SS_DISP_COUNT
};
#define SS_DISP_DROPPED SS_DISP_LOST	/* the state's former name */

/* Why a condition was lost (SS_DISP_LOST). */
enum ss_lost_reason {
	SS_LOST_NONE,
	SS_LOST_OVERWRITTEN,	/* VSESR_EL2 rewritten by a later injection */
	SS_LOST_EINVAL,		/* a migration's SET on the destination returned EINVAL */
	SS_LOST_NO_EVENTS,	/* the VMM saved no vcpu events (migration) */
	SS_LOST_NOT_SENT,	/* the VMM sent no pending SError (migration) */
	SS_LOST_SYNDROME,	/* the VMM dropped has_esr/esr: the SError goes on with
				 * another syndrome, the one it had is lost (migration) */
	SS_LOST_UNREAD,		/* deferred into VDISR_EL2; the guest never read
				 * DISR_EL1 by the end of the run */
	SS_LOST_VDISR_OVERWRITTEN,	/* deferred into VDISR_EL2, overwritten by a later
					 * deferral before the guest read DISR_EL1 */
	SS_LOST_AT_EL2,		/* pended with HCR_EL2.VSE while the vCPU ran at EL2, where
				 * a virtual SError is never taken; still pending at the end */
	SS_LOST_COUNT
};

/* What a ledger condition is: an SError (physical or virtual), or a
 * synchronous External abort, recorded TAKEN by the exception it caused
 * (its iss is then the Data/Instruction Abort's ISS). */
enum ss_cond_kind { SS_COND_SERROR, SS_COND_SEA };

struct ss_condition {
	uint32_t id;		/* index in pe->cond (renumbered when the ledger is compacted) */
	uint64_t seq;		/* number in order of raising over the whole run: 0, 1, ... */
	bool virt;		/* a virtual SError (HCR_EL2.VSE); else physical */
	uint32_t iss;		/* ISS[24:0] it reports */
	enum ss_trigger trigger;
	bool synchronizable;	/* an ESB can defer it (Arm ARM D20.5.1; docs/rules.md R8.8) */
	uint8_t line;		/* level-triggered line number */
	uint64_t raised;	/* cycle the source raised it */
	uint64_t visible;	/* cycle it becomes pending at the PE */
	enum ss_disposition disp;
	uint32_t exc;		/* first exception that took it (TAKEN) */
	uint32_t defer;		/* DISR_EL1 (or, virtual, VDISR_EL2) write that recorded it */
	uint32_t merged_into;	/* MERGED: the condition whose exception/deferral took it;
				 * HANDED_OVER: the condition it is on the destination */
	uint32_t times_taken;	/* a level source can be taken repeatedly */
	uint32_t times_deferred;
	uint32_t prev, next;	/* PRIVATE: the model's lists of open conditions */
	uint8_t record;		/* raised by RAS error record record-1 (0: by an event) */
	uint8_t lost;		/* LOST: enum ss_lost_reason */
	uint8_t kind;		/* enum ss_cond_kind */
	uint8_t ec;		/* SEA: ESR_ELx.EC of its exception (ESR = EC, IL = 1, iss) */
};

/* --- events -------------------------------------------------------------- */

/* RAISE/LOWER: a physical source.  HOST: an event that belongs to the
 * platform hosting the PE (a hypervisor injecting a virtual SError, its
 * userspace setting the vcpu's events, a migration: hyp/hyp.h); the PE only
 * knows its tag.  When one is due, ss_step returns to its driver at that
 * point of the boundary (pe->exit) and the boundary resumes, with the
 * events after it, at the next ss_step: see ss_step below. */
enum ss_event_kind { SS_EV_RAISE, SS_EV_LOWER, SS_EV_HOST, SS_EV_RAS, SS_EV_INTR, SS_EV_MEM };

/* SS_EV_MEM: the memory range pe->mem[line], declared inactive
 * (ss_pe_add_memory with 'inactive'), takes effect now, as if declared at
 * this point (docs/scenario-format.md, the 'sea' event). */

/* SS_EV_INTR: a physical IRQ or FIQ line (the interrupt controller's
 * output to the PE) asserted or, with 'lower', deasserted: level-sensitive,
 * pending while asserted (Arm ARM D1.4, "Asynchronous exception types"). */
enum ss_intr { SS_INTR_IRQ, SS_INTR_FIQ };

/* The type of an error a RAS node records (RAS spec, error recording): corrected,
 * deferred, or uncorrected with ERR<n>STATUS.UET. */
enum ss_ras_type { SS_RAS_CE, SS_RAS_DE, SS_RAS_UE };

/* SS_EV_RAS: an error detected by the node of record 'record' (model/ras.c),
 * or, with 'fault', the expiry of its fault injection countdown armed as
 * number 'arm'. */
struct ss_ras_error {
	uint8_t record;
	uint8_t type;		/* enum ss_ras_type */
	uint8_t uet;		/* UE: enum ss_UET encoding */
	bool av, pn, mv;
	bool fault;		/* a countdown expiry (fault injection) */
	uint8_t serr, ierr;
	uint64_t addr;
	uint32_t arm;
};
enum ss_event_when { SS_AT_CYCLE, SS_AT_PC };

struct ss_event {
	enum ss_event_kind kind;
	enum ss_event_when when;
	uint64_t at;		/* cycle, or instruction address */
	uint32_t iss;		/* RAISE: the syndrome */
	enum ss_trigger trigger;
	bool synchronizable;
	uint8_t line;		/* level line (RAISE level / LOWER) */
	uint32_t src_line;	/* scenario line, for traces */
	bool done;		/* a PC event fires once */
	uint32_t tag;		/* HOST: what the driver is to do (its own numbering) */
	struct ss_ras_error ras;	/* RAS: the error */
	uint8_t intr;		/* INTR: enum ss_intr (the line is 'line') */
	bool lower;		/* INTR: deassert the line */
};

/* PRIVATE to the model (events.c): one scheduled event's record.  Timed
 * events' records are taken from the start of the records (freed ones
 * first), PC events' from the end; the hash table of PC events keeps its
 * buckets in the records' head/tail by index. */
struct ss_event_rec {
	struct ss_event ev;
	uint32_t next;		/* PC: next PC event in its hash chain, or SS_NIL;
				 * a free timed record: the next free one + 1 */
	uint32_t head, tail;	/* hash bucket of this index: its chain, or SS_NIL */
};

/* PRIVATE: a timed event's key in the heap: its cycle, then 'ord', the
 * order of scheduling << SS_TIMED_REC_BITS | its record's index.  16 bytes,
 * so that the keys a heap level compares share a cache line. */
struct ss_timed_key {
	uint64_t at;
	uint64_t ord;
};
#define SS_TIMED_REC_BITS 26	/* record indexes: SS_MAX_STORAGE */
#define SS_MAX_TIMED_SCHEDULED (UINT64_C(1) << (64 - SS_TIMED_REC_BITS))	/* timed
				 * events scheduled over a PE's run (docs/limits.md) */

/* Storage for scheduled events (ss_pe_set_storage), PRIVATE to the model:
 * the model lays out an array of n of them as n heap keys, then n records
 * (timed events' keys ordered by (cycle, order of scheduling) in a 4-ary
 * heap and a sorted run, their records apart; PC events in a hash table by
 * address). */
struct ss_event_slot {
	struct ss_timed_key key;
	struct ss_event_rec rec;
};

/* A host event is due: the PE returned to its driver in the middle of a
 * boundary.  Valid while 'due'; the next ss_step resumes the boundary. */
struct ss_host_exit {
	bool due;
	uint32_t tag;		/* the event's tag */
	uint32_t src_line;	/* the event's src_line */
	uint64_t cycle;		/* the boundary's cycle */
};

/* --- exceptions ---------------------------------------------------------- */

enum ss_cause {
	SS_CAUSE_PSERROR,	/* physical SError */
	SS_CAUSE_VSERROR,	/* virtual SError (HCR_EL2.VSE) */
	SS_CAUSE_VIRQ,
	SS_CAUSE_VFIQ,
	SS_CAUSE_UNDEF,
	SS_CAUSE_SVC,
	SS_CAUSE_HVC,
	SS_CAUSE_SMC,
	SS_CAUSE_SYSREG_TRAP,
	SS_CAUSE_WFI_TRAP,
	SS_CAUSE_ILLEGAL_STATE,
	SS_CAUSE_DABT,		/* Data Abort: a synchronous External abort on a load or store */
	SS_CAUSE_IABT,		/* Instruction Abort: a synchronous External abort on a fetch */
	SS_CAUSE_IRQ,		/* physical IRQ */
	SS_CAUSE_FIQ,		/* physical FIQ */
	SS_CAUSE_COUNT
};

const char *ss_cause_name(enum ss_cause c);

struct ss_exception {
	uint32_t number;	/* 1, 2, ... in order of entry */
	enum ss_cause cause;
	unsigned from_el, to_el;
	uint64_t vector;	/* address of the vector entry */
	uint64_t offset;	/* vector offset from VBAR_ELx */
	bool has_esr;		/* IRQ and FIQ write no ESR */
	uint64_t esr;
	uint64_t elr;
	uint64_t spsr;
	bool iesb;		/* taken by an implicit ESB */
	int cond;		/* physical condition taken, or -1 */
	uint64_t cycle;
};

/* --- observer ------------------------------------------------------------ */

enum ss_trace_kind {
	SS_TR_INSN,		/* an instruction executed: insn */
	SS_TR_RAISE,		/* a condition raised: cond */
	SS_TR_VISIBLE,		/* a condition became pending: cond */
	SS_TR_LOWER,		/* a level line lowered: line */
	SS_TR_EXCEPTION,	/* exception entry: exc */
	SS_TR_ERET,		/* exception return: from_el, to_el, addr, illegal */
	SS_TR_DEFER,		/* ESB deferral: reg (DISR_EL1/VDISR_EL2), value, cond */
	SS_TR_SYSREG,		/* a system register written: reg, value, old */
	SS_TR_SLEEP,		/* WFI entered low-power state */
	SS_TR_WAKE,		/* WFI woke */
	SS_TR_VMOP,		/* a SET or a migration: vmop (reported by the host's
				 * driver, hyp/hyp.h; never by the PE itself) */
	SS_TR_STOP,		/* the run stopped: stop */
	SS_TR_RAS,		/* a RAS error record recorded an error: line (record),
				 * value (ERR<n>STATUS), old (before), addr (SS_RAS_SIG_*
				 * bits: what it signalled; the SError's SS_TR_RAISE,
				 * whose condition names the record, follows) */
	SS_TR_INTR		/* a physical IRQ/FIQ line changed: intr (enum ss_intr),
				 * line, value (1 asserted, 0 deasserted) */
};

/* What a recorded error signalled (struct ss_trace.addr of SS_TR_RAS). */
enum { SS_RAS_SIG_SERROR = 1u, SS_RAS_SIG_ERI = 2u, SS_RAS_SIG_FHI = 4u, SS_RAS_SIG_INJECTED = 8u };

struct ss_vmop;		/* hyp/vcpu.h */

struct ss_trace {
	enum ss_trace_kind kind;
	uint64_t cycle;
	const struct ss_insn *insn;
	const struct ss_condition *cond;
	const struct ss_exception *exc;
	const struct ss_vmop *vmop;
	enum ss_reg reg;
	uint64_t value, old;
	unsigned from_el, to_el;
	uint64_t addr;
	bool illegal;
	unsigned line;
	int stop;		/* enum ss_stop */
	unsigned intr;		/* SS_TR_INTR: enum ss_intr */
};

struct ss_pe;
struct ss_observer {
	void (*notify)(void *ctx, const struct ss_pe *pe, const struct ss_trace *t);
	void *ctx;
	/* Optional: called at the start of every ss_step of a running PE,
	 * before anything happens at that boundary (cycle snapshots). */
	void (*boundary)(void *ctx, const struct ss_pe *pe);
	/* The trace kinds notify wants, SS_TR_BIT(kind) bits; 0 is every
	 * kind.  The engine may leave out the records of other kinds. */
	uint32_t kinds;
	/* Optional, with boundary: the first cycle from which boundary must
	 * be called (a deadline; UINT64_MAX: none).  Boundaries before it may
	 * go unreported.  Asked again after every call of boundary.  Without
	 * it, boundary is called at every boundary (the fast engine then
	 * steps one boundary at a time). */
	uint64_t (*boundary_from)(void *ctx, const struct ss_pe *pe);
};

#define SS_TR_BIT(kind) (1u << (kind))

/* --- the PE -------------------------------------------------------------- */

enum ss_stop {
	SS_RUNNING,		/* not stopped */
	SS_STOP_END,		/* an END directive executed */
	SS_STOP_WATCHDOG,	/* timing.max_cycles, or timing.max_instructions
				 * instructions plus exceptions, reached */
	SS_STOP_DEADLOCK,	/* WFI with nothing left that could wake it */
	SS_STOP_NO_CODE,	/* no instruction at PC */
	SS_STOP_LIMIT,		/* a fixed capacity (conditions, events) exceeded */
	SS_STOP_BAD_STATE	/* the state is impossible for the PE (ss_pe_check) */
};

const char *ss_stop_name(enum ss_stop s);

/*
 * The PE's state.  Public (docs/api.md): cfg, prog, cycle, pc, x[], sr[]
 * (set registers before the run: ss_legalize, ss_sync_virtual after writing
 * HCR_EL2.VSE), and, read only, cond[]/ncond, nexc, ndefer, nvdefer, ninsn,
 * exit (a host event due), last_exc, asleep, stop, stop_arg; open_inputs as
 * ss_run_until says.  Every other field is PRIVATE to the model (ledger and
 * event bookkeeping, sampling state): read or write it only through the
 * functions below; it may change without notice.
 */
/* --- memory --------------------------------------------------------------- */

/*
 * The memory model: address ranges, the last declared covering an address
 * wins.  A range aborts the accesses in 'abort' with a synchronous External
 * abort (Data Abort for loads and stores, Instruction Abort for fetches)
 * reporting 'set', 'fnv' and 'ea'; a load it does not abort reads 'value'.
 * An address no range covers reads 0.  Stores that do not abort are
 * discarded (the model keeps no memory contents).
 */
#define SS_MAX_MEM 16
enum { SS_MEM_LOAD = 1u, SS_MEM_STORE = 2u, SS_MEM_FETCH = 4u };
struct ss_mem_region {
	uint64_t lo, hi;	/* lo..hi, inclusive */
	uint8_t abort;		/* SS_MEM_* accesses that abort */
	uint8_t set;		/* ESR.SET (enum SET) with FEAT_RAS */
	bool fnv;		/* ESR.FnV: FAR_ELx not valid (then written 0) */
	bool ea;		/* ESR.EA */
	uint64_t value;		/* what a load reads */
	bool inactive;		/* ignored until an SS_EV_MEM event activates it */
	bool once;		/* inactive again after the first abort it causes */
};

struct ss_pe {
	struct ss_config cfg;
	const struct ss_program *prog;

	uint64_t cycle;
	uint64_t pc;
	uint64_t x[31];
	uint64_t sr[SS_REG_COUNT];	/* sr[SS_REG_PSTATE] is PSTATE */

	struct ss_condition *cond;	/* the ledger: the PE's own (cond_own) or the
					 * caller's (ss_pe_set_storage) */
	uint32_t cond_cap;	/* conditions cond[] holds */
	uint32_t ncond;
	uint64_t nraised;	/* conditions raised over the run (next seq) */
	uint64_t retired[SS_DISP_COUNT];	/* final conditions compacted out of cond[] */
	uint32_t npending;	/* physical conditions in SS_DISP_PENDING */
	int vcond;		/* the pending virtual condition, or -1 */
	int vdisr_unread;	/* the virtual condition whose deferral VDISR_EL2 holds,
				 * not yet read by the guest (MRS DISR_EL1), or -1 */
	uint32_t ninflight;	/* conditions in SS_DISP_IN_FLIGHT */
	bool line_up[SS_MAX_LINES];	/* level line asserted */
	int line_cond[SS_MAX_LINES];	/* its condition, or -1 */

	/* Open conditions, indexed (private): the physical conditions in
	 * flight in ledger order (visible times non-decreasing along it while
	 * inflight_sorted), and the pending physical ones by synchronizable x
	 * syndrome class, each list in ledger order (merge.c). */
	uint32_t inflight_head, inflight_tail;
	bool inflight_sorted;
	struct ss_cond_list { uint32_t head, tail, n; } pend[2][12];
	uint16_t pend_mask[2];	/* non-empty lists of pend[s] */

	struct ss_event_rec *ev;	/* the PE's own (ev_own) or the caller's */
	struct ss_timed_key *tkey;	/* timed events' keys: the heap at the start,
					 * the sorted run at the end (events.c) */
	uint32_t ev_cap;	/* records in ev[], keys in tkey[] */
	uint32_t ntimed;	/* timed events not yet fired: nheap + nrun */
	uint32_t nheap;		/* their keys in the heap tkey[0 .. nheap), */
	uint32_t nheaped;	/* of which tkey[0 .. nheaped) in heap order and
				 * the rest appended since the last pop */
	struct ss_timed_key tail_min;	/* the first of those appended */
	uint32_t nrun;		/* their keys in the sorted run at the top,
				 * tkey[ev_cap - nrun .. ev_cap) */
	uint32_t tused;		/* timed records ev[0 .. tused) in use or free */
	uint32_t tfree;		/* first free timed record + 1 (0: none) */
	uint64_t nscheduled;	/* timed events scheduled over the run (next seq) */
	uint32_t npcev;		/* PC events: ev[ev_cap - 1 - k], k < npcev */
	uint32_t npcev_live;	/* PC events not yet fired */
	uint32_t pc_buckets;	/* hash table of live PC events (0: none yet) */
	uint8_t pc_shift;	/* 64 - log2(pc_buckets) */

	uint32_t nexc;		/* exceptions taken so far */
	uint32_t ndefer;	/* DISR_EL1 deferrals so far */
	uint32_t nvdefer;	/* VDISR_EL2 deferrals so far */
	uint64_t ninsn;		/* instructions executed */
	struct ss_host_exit exit;	/* a host event due: see ss_step */
	uint8_t resume;		/* a boundary stopped at a host event: where it goes on
				 * (private to the step engine) */
	uint32_t resume_ev;	/* the next PC event to look at when it goes on */
	struct ss_exception last_exc;

	bool asleep;		/* in WFI low-power state */
	bool open_inputs;	/* a host may still schedule events (ss_run_until) */
	bool parked;		/* asleep, the idle boundary at 'cycle' done: waiting for
				 * ss_run_until to learn what comes next */
	uint64_t checked[3];	/* PSTATE, HCR_EL2, SCR_EL3 last checked by ss_pe_check */
	bool checked_valid;
	size_t last_fetch;	/* index of the last instruction fetched */
	bool hcr_stale, scr_stale;	/* an MSR not yet seen by sampling (sysreg_sync) */
	uint64_t stale_hcr, stale_scr;	/* the values sampling still sees */
	uint8_t iesb_nest;	/* implicit-ESB entries in progress */
	struct ss_dinsn *dec;	/* the decoded program (ss_program_decode), or NULL */
	struct ss_config dec_cfg;	/* the configuration it was decoded with */
	bool dec_timed;		/* every instruction and exception entry takes a cycle or more */
	uint64_t zr[2];		/* XZR for the fast engine: a zero source, a sink */
#define SS_TCACHE 64
	const struct ss_dinsn *tc_rec[SS_TCACHE];	/* direct-mapped cache: address ->
						 * its decoded record (NULL: empty) */
#define SS_QCACHE 8
	struct ss_quiet_entry {	/* the fast engine's view of the interrupt controls */
		uint64_t ps, hcr, scr, hcrx, sctlr2_el1, sctlr2_el2;	/* the key */
		bool valid, vunmasked, masked;
		uint16_t disr;	/* enum ss_reg: what DISR_EL1 reaches */
		uint64_t ctl[16];	/* the model's struct ss_controls (private, exec.c) */
	} qcache[SS_QCACHE];	/* direct-mapped, cleared when the program is decoded */
	enum ss_stop stop;
	uint64_t stop_arg;	/* address for NO_CODE, etc. */
	struct ss_mem_region mem[SS_MAX_MEM];	/* ss_pe_add_memory */
	uint8_t nmem;
	uint8_t mem_abort;	/* SS_MEM_* aborted by some range */
	uint32_t nsea;		/* synchronous External aborts taken */
	/* RAS error records (model/ras.c): ERR<n>CTLR, STATUS, ADDR, MISC0-3,
	 * PFGCTL, PFGCDN of each (FR and PFGF are the configuration's); the
	 * countdown armed (number, start) for fault injection. */
	struct ss_ras_record {
		uint64_t ctlr, status, addr, misc[4], pfgctl, pfgcdn;
		uint32_t arm;		/* countdowns armed so far (the live one is 'arm') */
		bool armed;
		uint8_t intr;		/* SS_RAS_SIG_ERI / _FHI requested, not yet cleared */
		uint64_t armed_at;	/* cycle when armed */
	} ras[SS_RAS_MAX_RECORDS];
	uint8_t ras_src;	/* record + 1 raising an SError now (0: none) */
	/* Physical IRQ and FIQ lines asserted (bit N: line N), indexed by
	 * enum ss_intr; the IRQs and FIQs taken (model/irq.c). */
	uint64_t intr_up[2];
	uint32_t nintr_taken[2];

	/* The PE's own storage, last: ss_pe_reset does not clear it (only
	 * what a run uses is ever read). */
	struct ss_condition cond_own[SS_MAX_CONDS];
	struct ss_event_rec ev_own[SS_MAX_EVENTS];
	struct ss_timed_key tkey_own[SS_MAX_EVENTS];
};

/* Reset: registers to their table reset values, ID registers from the
 * features, PC 0, PSTATE = EL1h with DAIF masked.  The caller sets the rest. */
void ss_pe_reset(struct ss_pe *pe, const struct ss_config *cfg);

/* Check that the state is one the configured PE can be in (PSTATE.EL
 * implemented, AArch64, EL0 with SP_EL0, ...).  NULL if fine, else a message. */
const char *ss_pe_check(const struct ss_pe *pe);

/*
 * Give the PE a larger ledger (ncond conditions) and event storage (nev
 * events: timed events pending and PC events scheduled) than its own
 * SS_MAX_CONDS and SS_MAX_EVENTS; the model does not allocate, the caller
 * keeps the arrays for as long as the PE runs.  A NULL array keeps the PE's
 * own.  Call it right after ss_pe_reset, before anything is scheduled or
 * raised; false (nothing changed) otherwise, or when a count is 0 or larger
 * than SS_MAX_STORAGE.  ss_pe_reset returns the PE to its own storage.
 */
bool ss_pe_set_storage(struct ss_pe *pe, struct ss_condition *cond, uint32_t ncond,
		       struct ss_event_slot *ev, uint32_t nev);

/* Copy a PE (struct assignment copies pointers to the source's own storage):
 * dst gets its own copy of the ledger and of the events when src uses its
 * own storage; caller storage is shared, not copied. */
void ss_pe_copy(struct ss_pe *dst, const struct ss_pe *src);

/* Declare a memory range (struct ss_mem_region) after a reset; false when
 * SS_MAX_MEM are declared already or lo > hi. */
bool ss_pe_add_memory(struct ss_pe *pe, const struct ss_mem_region *r);

/* Attach a program (the PE keeps the pointer); it is not decoded. */
void ss_pe_set_program(struct ss_pe *pe, const struct ss_program *prog);

/* Decode the attached program once into caller-provided storage of 'cap'
 * records (at least prog->n), for the fast engine (cfg.engine): the PE
 * keeps the pointer, and decodes again when its configuration changes.
 * Returns false (and the PE runs every boundary with the reference stepper)
 * when there is no program or the storage is too small.  The storage
 * belongs to this PE; a copy of the PE made before it runs may share it. */
bool ss_program_decode(struct ss_pe *pe, struct ss_dinsn *storage, size_t cap);

/* Schedule an event; returns false when the event storage is full
 * (SS_MAX_EVENTS, or as given to ss_pe_set_storage) or the line number is
 * out of range.  Timed events fire in order of cycle, events of one cycle in
 * the order they were scheduled; O(log n). */
bool ss_schedule(struct ss_pe *pe, const struct ss_event *ev);

/* A PC event not yet fired is scheduled at this address (O(1) expected). */
bool ss_pc_event_at(const struct ss_pe *pe, uint64_t addr);

/* Raise a physical SError condition now (as an event would).  Returns the
 * condition's id, or -1 when the ledger is full of open conditions. */
int ss_raise_serror(struct ss_pe *pe, uint32_t iss, enum ss_trigger trig, bool sync,
		    unsigned line, const struct ss_observer *obs);

/* Bring the ledger's virtual condition in line with HCR_EL2.VSE after a
 * write that bypassed MSR (set-up code); ss_step does it too. */
void ss_sync_virtual(struct ss_pe *pe, const struct ss_observer *obs);

/* Lower a level-triggered line. */
void ss_lower_serror(struct ss_pe *pe, unsigned line, const struct ss_observer *obs);

/*
 * One instruction boundary: apply due events, take a pending unmasked
 * asynchronous exception or execute one instruction (or sleep).  Returns the
 * stop reason, SS_RUNNING while the run goes on.
 *
 * A due SS_EV_HOST event exits to the driver, as KVM_RUN returns to a VMM:
 * ss_step returns SS_RUNNING with pe->exit.due set, in the middle of the
 * boundary, right after the events before it were applied.  The driver
 * performs the host's operation through the PE's API, then calls ss_step
 * (or ss_run, ss_run_until) again: the boundary goes on exactly where it
 * stopped (the observer's boundary hook and the state check are not
 * repeated; the events after it keep their order) and pe->exit.due is
 * cleared.  hyp/hyp.h's ss_hyp_run is such a driver.
 */
enum ss_stop ss_step(struct ss_pe *pe, const struct ss_observer *obs);

/* Step until the run stops, or until a host event is due: then it returns
 * SS_RUNNING with pe->exit.due set.  It neither waits nor performs the host
 * event; a caller that calls it again without performing the event skips
 * that event (the run goes on as if it had done nothing). */
enum ss_stop ss_run(struct ss_pe *pe, const struct ss_observer *obs);

/*
 * For a host that drives the PE from outside (such as the SystemC wrapper)
 * and schedules events as they arrive instead of all at the start:
 *
 *   pe->open_inputs = true;              before the first step
 *   ss_run_until(pe, obs, now);          executes every boundary before 'now'
 *   ss_schedule(pe, &ev) with at = now;  an event arriving at cycle 'now'
 *   ss_close_inputs(pe, obs);            nothing more will come
 *
 * The run is then exactly the run ss_run makes with the same events
 * scheduled at the start (same boundaries, traces, cycles, exceptions),
 * provided every event is scheduled at a cycle >= the 'until' of the last
 * call.  While inputs are open, a sleeping PE with nothing scheduled does
 * not stop with deadlock: it parks (pe->parked) at its cycle, and
 * ss_run_until moves it to the next event once that is known to be before
 * 'until'; parked with nothing scheduled before 'until' >= max_cycles, it
 * stops with watchdog at max_cycles (an event may still come, at or after
 * max_cycles).  Without open_inputs, ss_run_until is ss_run that returns
 * at the first boundary at or after 'until'.  Like ss_run, it also returns
 * (SS_RUNNING, pe->exit.due set) when a host event is due; a boundary left
 * at a host event is finished first, whatever 'until' is.  Returns the stop
 * reason, SS_RUNNING if the PE can go on.
 */
enum ss_stop ss_run_until(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until);

/*
 * What ss_run_watch watches: PSTATE & pstate_mask, HCR_EL2 & hcr_mask and
 * nexc (unless ignore_nexc) against the given values (a host's view of the
 * PE, such as the outputs a SystemC module last wrote), and the stop.
 */
struct ss_watch {
	uint64_t pstate_mask, pstate;
	uint64_t hcr_mask, hcr;
	uint32_t nexc;
	bool ignore_nexc;	/* the exception count is not watched */
	uint64_t at;	/* out: the cycle after the boundary where one differed */
};

/* Why ss_run_watch returned. */
enum ss_watch_end {
	SS_WATCH_UNTIL,		/* every boundary before 'until' is done (or the PE
				 * is parked with nothing scheduled before it) */
	SS_WATCH_CHANGED,	/* a watched value differs: w->at */
	SS_WATCH_STOPPED,	/* the run stopped (pe->stop): w->at */
	SS_WATCH_EXIT,		/* a host event is due (pe->exit), as ss_run_until */
};

/*
 * ss_run_until(pe, obs, until) that also ends early, after the boundary at
 * which a watched value first differs from *w, or the run stops: it then
 * finishes the boundaries that start in the same cycle c (with latencies 0
 * there may be more) and returns with w->at = c + 1, every boundary before
 * c + 1 done and none after.  A value that already differs at the call
 * (changed by the host between two calls) counts as changed in the current
 * cycle.  The run is the run of ss_run_until with the same events (same
 * boundaries, traces, cycles); with the fast engine (knob engine) the
 * stretches between two changes run in its loop, the boundaries that change
 * a watched value included.
 */
enum ss_watch_end ss_run_watch(struct ss_pe *pe, const struct ss_observer *obs, uint64_t until,
			       struct ss_watch *w);

/* No more events from outside: a PE parked with nothing scheduled stops with
 * deadlock, as ss_run would have stopped it. */
enum ss_stop ss_close_inputs(struct ss_pe *pe, const struct ss_observer *obs);

/* Move the not yet fired cycle-timed events whose kind has its bit set in
 * 'kinds' (1u << SS_EV_RAISE | 1u << SS_EV_HOST ...) out of pe->ev[] into out[] (at most
 * 'max', in firing order); returns how many.  For a host that delivers them
 * from outside (through ports) and schedules them again as they arrive. */
uint32_t ss_take_timed_events(struct ss_pe *pe, unsigned kinds, struct ss_event *out,
			      uint32_t max);

/* Cycle of the next scheduled timed event or condition becoming visible,
 * or UINT64_MAX. */
uint64_t ss_next_event_cycle(const struct ss_pe *pe);

/* --- RAS error records (model/ras.c) ------------------------------------- */

/* Record an error in record e->record (RAS spec ERR<n>STATUS), and
 * signal it as ERR<n>CTLR enables: an SError for an uncorrected error
 * (ss_raise_serror, the condition tagged with the record), an error
 * recovery or fault handling interrupt (reported in the trace).  Returns
 * the SError condition raised, or -1. */
int ss_ras_record_error(struct ss_pe *pe, const struct ss_ras_error *e,
			const struct ss_observer *obs);

/* ERR<n>STATUS after a write of w to it (the conditional write-one-to-clear
 * rules of RAS spec ERR<n>STATUS). */
uint64_t ss_ras_status_write(uint64_t status, uint64_t w);

/* The bits of ERR<n>CTLR a write can set with these ERR<n>FR features (RAS
 * spec ERR<n>CTLR: RES0 where a control is not implemented). */
uint64_t ss_ras_ctlr_writable(uint64_t fr);

/* Drive the IRQ/FIQ lines the knobs ras_eri/ras_fhi wire the records'
 * interrupt requests to: asserted while any record's request stands (a
 * request stands until software clears the record's ERR<n>STATUS.V). */
void ss_ras_update_intr(struct ss_pe *pe, const struct ss_observer *obs);

/* ERR<n>STATUS after an error of this type is recorded (the overwrite and
 * overflow rules); *syndrome is true when the new error's syndrome replaces
 * the recorded one. */
uint64_t ss_ras_status_record(uint64_t status, const struct ss_ras_error *e, bool *syndrome);

/* The SError syndrome (ISS) a record's uncorrected error signals: IDS=0,
 * AET from UET, EA=0, DFSC=AsyncSError (RAS spec, error signalling; Arm ARM D24.2.45). */
uint32_t ss_ras_serror_iss(unsigned uet);

/* The cycle at which a record's fault injection countdown reaches 0, or
 * UINT64_MAX when it is not running. */
uint64_t ss_ras_countdown_expiry(const struct ss_pe *pe, unsigned record);

/* --- the architecture rules, exposed for tests and observers ------------- */

/* Masking class of ARM-M Table D1-23. */
enum ss_mask_class {
	SS_CLASS_A,	/* taken regardless of PSTATE.A */
	SS_CLASS_B,	/* masked by PSTATE.A */
	SS_CLASS_C	/* not taken at this EL: stays pending */
};

struct ss_serror_route {
	unsigned target_el;
	enum ss_mask_class cls;
	bool masked;		/* C, or B with PSTATE.A = 1 */
};

static inline unsigned ss_pe_el(const struct ss_pe *pe)
{
	return (unsigned)SS_GET(PSTATE_EL, pe->sr[SS_REG_PSTATE]);
}

bool ss_el2_enabled(const struct ss_pe *pe);			/* EL2Enabled() */
bool ss_effective_tge(const struct ss_pe *pe);
bool ss_effective_amo(const struct ss_pe *pe);			/* EffectiveHCR_AMO() */
bool ss_in_host(const struct ss_pe *pe);			/* E2H=1, TGE=1, EL0/EL2 */
struct ss_serror_route ss_physical_serror_target(const struct ss_pe *pe); /* PhysicalSErrorTarget() */
/* May taking an SError with this ISS leave it pending (level-triggered)?
 * Arm ARM D1.4.2.2: not with FEAT_DoubleFault, nor with FEAT_RAS and an
 * architected syndrome. */
bool ss_level_allowed(const struct ss_config *cfg, uint32_t iss);
bool ss_effective_nmea(const struct ss_pe *pe);			/* EffectiveNMEA() */
bool ss_effective_hcrx_tmea(const struct ss_pe *pe);		/* EffectiveHCRX_EL2_TMEA() */
bool ss_effective_scr_tmea(const struct ss_pe *pe);		/* EffectiveSCR_EL3_TMEA() */
/* Vector offset within the group of a synchronous External abort taken to
 * target_el: 0x180 with EASE in effect, else 0x000. */
uint64_t ss_external_abort_vector(const struct ss_pe *pe, unsigned target_el);
/* SyncExternalAbortTarget(): the EL a synchronous External abort taken now
 * goes to (abort.c). */
unsigned ss_sync_external_abort_target(const struct ss_pe *pe);
bool ss_physical_serror_pending(const struct ss_pe *pe);	/* any visible pending condition */
bool ss_virtual_serror_enabled(const struct ss_pe *pe);
bool ss_virtual_serror_pending(const struct ss_pe *pe);		/* IsVirtualSErrorPending() and enabled */
bool ss_virtual_serror_unmasked(const struct ss_pe *pe);	/* would be taken now */
bool ss_iesb_effective(const struct ss_pe *pe, unsigned el);	/* SCTLR_ELx.IESB, or forced */
/* Vector group base for an exception from from_el to to_el: 0x000 (same EL,
 * SP_EL0), 0x200 (same EL, SP_ELx), 0x400 (lower AArch64), 0x600 (lower
 * AArch32); the entry adds 0x000/0x080/0x100/0x180 for sync/IRQ/FIQ/SError. */
uint64_t ss_vector_offset(const struct ss_pe *pe, unsigned from_el, unsigned to_el);
uint64_t ss_isr_el1(const struct ss_pe *pe);			/* ISR_EL1 as read now */

/* --- physical IRQ and FIQ (model/irq.c) ---------------------------------- */

/* Where a physical IRQ or FIQ goes and whether it is masked now (the
 * routing of AArch64.TakePhysicalIRQException / FIQException and the
 * masking table of Arm ARM D1.4, the shape of Table D1-23 with
 * SCR_EL3.{IRQ,FIQ}, the Effective HCR_EL2.{IMO,FMO} and PSTATE.{I,F}). */
struct ss_serror_route ss_physical_intr_target(const struct ss_pe *pe, enum ss_intr k);
/* Assert (up) or deassert a physical IRQ/FIQ line now (as an SS_EV_INTR
 * event would); false when the line is out of range. */
bool ss_set_intr_line(struct ss_pe *pe, enum ss_intr k, unsigned line, bool up,
		      const struct ss_observer *obs);
/* Some line of that kind is asserted (the interrupt is pending). */
bool ss_physical_intr_pending(const struct ss_pe *pe, enum ss_intr k);
uint32_t ss_virtual_serror_iss(const struct ss_pe *pe);		/* ESR_EL1.ISS of a vSError */

/* --- what software at EL2 and the platform do to the PE ------------------
 * For a model of the hypervisor (hyp/): each is an architectural operation,
 * with the ledger kept in step. */

/* FEAT_RAS's VSESR_EL2 holds a syndrome on this PE (not RAZ/WI). */
bool ss_vsesr_implemented(const struct ss_pe *pe);

/* The pending virtual condition (HCR_EL2.VSE = 1), or -1. */
int ss_pending_virtual_condition(const struct ss_pe *pe);

/* EL2 software makes a virtual SError pending: VSESR_EL2 = iss (when
 * implemented), then HCR_EL2.VSE = 1, both traced as register writes; the
 * ledger gets a pending virtual condition.  Returns it, or -1 when
 * SS_MAX_CONDS is reached.  None must be pending. */
int ss_pend_virtual_serror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs);

/* A second virtual SError while one is pending: a new condition MERGED into
 * the pending one; VSESR_EL2 (when implemented) becomes the combination of
 * both syndromes (RAS spec 2.5.3, ss_combine_iss).  Returns the new
 * condition, or -1 when SS_MAX_CONDS is reached. */
int ss_merge_virtual_serror(struct ss_pe *pe, uint32_t iss, const struct ss_observer *obs);

/* The pending virtual condition is lost (DROPPED): EL2 software is about to
 * overwrite VSESR_EL2 with another syndrome. */
void ss_drop_virtual_serror(struct ss_pe *pe);

/* EL2 software emulates a virtual SError exception entry to EL1 now
 * (ESR_EL1, ELR_EL1, SPSR_EL1 written, PC to the SError vector, as
 * AArch64.TakeException to EL1), syndrome iss where VSESR_EL2 is
 * implemented, else the PE's own (ss_virtual_serror_iss).  The condition is
 * recorded TAKEN.  Returns it, or -1 when SS_MAX_CONDS is reached. */
int ss_emulate_virtual_serror_entry(struct ss_pe *pe, uint32_t iss,
				    const struct ss_observer *obs);

/* The same, to EL el (1, or 2 for a guest hypervisor at EL2: ESR_EL2,
 * ELR_EL2, SPSR_EL2). */
int ss_emulate_virtual_serror_entry_el(struct ss_pe *pe, uint32_t iss, unsigned el,
				       const struct ss_observer *obs);

/* EL2 state loaded from outside (not by an instruction, so not traced):
 * HCR_EL2.VSE = 0, VSESR_EL2 = 0, VDISR_EL2 = vdisr.  The virtual condition
 * pending until then is returned (or -1): it is no longer the PE's pending
 * one, and the caller settles it with ss_settle_virtual_condition. */
int ss_load_el2_virtual_serror_state(struct ss_pe *pe, uint64_t vdisr);

/* Settle a condition returned by ss_load_el2_virtual_serror_state:
 * HANDED_OVER to 'into' (the same SError, pending again as 'into') when
 * into >= 0, else LOST for the reason given. */
void ss_settle_virtual_condition(struct ss_pe *pe, int cond, int into,
				 enum ss_lost_reason why);

/* A condition in a final state, or the pending virtual one, is lost for
 * this reason (the pending virtual one stops being the PE's pending one:
 * only at the end of a run). */
void ss_lose_condition(struct ss_pe *pe, int cond, enum ss_lost_reason why);

/* At the end of a run: a vSError deferral VDISR_EL2 still holds that the
 * guest never read through DISR_EL1 is LOST (SS_LOST_UNREAD). */
void ss_settle_unread_deferral(struct ss_pe *pe);

/* The guest read DISR_EL1 and reached VDISR_EL2: the deferral there is
 * read (the step engines call it). */
static inline void ss_vdisr_read(struct ss_pe *pe)
{
	pe->vdisr_unread = -1;
}

/* The PE goes on with another configuration (features, IMPLEMENTATION
 * DEFINED choices): the ID registers are recomputed and register writes
 * not yet synchronized become visible; the rest of the state is kept. */
void ss_pe_reconfigure(struct ss_pe *pe, const struct ss_config *cfg);

/* An MRS or MSR of DISR_EL1 at the current EL accesses VDISR_EL2 (at EL1
 * with EL2 enabled and the effective HCR_EL2.AMO = 1: Arm ARM DDI0487,
 * DISR_EL1 accessor pseudocode). */
bool ss_disr_el1_is_vdisr(const struct ss_pe *pe);

/* Result of a system-register access. */

enum ss_access_result {
	SS_ACC_OK,
	SS_ACC_UNDEFINED,	/* UNDEFINED: EC=Unknown */
	SS_ACC_TRAP,		/* trapped: EC=SysReg (EL0 DAIF with SCTLR_EL1.UMA=0) */
	SS_ACC_TRAP_EL2,	/* trapped to EL2: EC=SysReg (HCR_EL2.TERR) */
	SS_ACC_TRAP_EL3		/* trapped to EL3: EC=SysReg (SCR_EL3.TERR) */
};

/* The register's own value now, whatever the current EL may access: a
 * computed register (DAIF, NZCV, CurrentEL, SPSel, ISR_EL1) as the state
 * gives it, any other straight from the register file (no redirection). */
uint64_t ss_sysreg_value(const struct ss_pe *pe, enum ss_reg r);

/* A value as a write leaves it: RES0/RES1 per the res0 knob, and fields that
 * are RES0 without their feature (used by MSR and by set-up code). */
uint64_t ss_legalize(const struct ss_pe *pe, enum ss_reg r, uint64_t v);

/* MRS as executed at the current EL (redirects, RAZ/WI, computed values). */
enum ss_access_result ss_mrs(const struct ss_pe *pe, enum ss_reg r, uint64_t *value);

/* MSR as executed at the current EL. */
enum ss_access_result ss_msr(struct ss_pe *pe, enum ss_reg r, uint64_t value,
			     const struct ss_observer *obs);

/* Ledger invariant: every condition is in exactly one state and the
 * numbers it refers to exist.  NULL when it holds, else a message. */
const char *ss_ledger_check(const struct ss_pe *pe);

/*
 * Severity rank of an SError syndrome for merging (RAS spec 2.2 and 3.2.3
 * Table 3; Linux arch/arm64/kernel/traps.c arm64_is_fatal_ras_serror): UC 5 > UEU 4 >
 * UER 3 > UEO 2 > CE 1; an IMPLEMENTATION DEFINED (IDS=1), Uncategorized or
 * reserved syndrome ranks as UC (as Linux's arm64_ras_serror_get_severity).
 */
unsigned ss_aet_rank(uint32_t iss);

/* Syndrome of several conditions merged by ras-combine (RAS spec 2.5.3):
 * IMPLEMENTATION DEFINED (cfg.merge_impdef_iss) if any is not architected,
 * else AET = the most severe, EA = OR of all, DFSC = AsyncSError. */
uint32_t ss_combine_iss(const struct ss_config *cfg, const uint32_t *iss, unsigned n);

/* Count of conditions in a disposition over the whole run (those still in
 * cond[] plus those compacted out). */
uint64_t ss_ledger_count(const struct ss_pe *pe, enum ss_disposition d);

const char *ss_disposition_name(enum ss_disposition d);

/* One line on why a condition was lost ("overwritten: ..."). */
const char *ss_lost_reason_text(enum ss_lost_reason r);

#ifdef __cplusplus
}
#endif

#endif
