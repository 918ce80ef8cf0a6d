/*
 * internal.h - declarations shared by the model's files: route.c (routing
 * and masking), entry.c (exception entry and return), esb.c, ledger.c,
 * merge.c, regs.c (register access) and exec.c (instructions and the step
 * engine).  Not installed.
 */
#ifndef SERRSIM_INTERNAL_H
#define SERRSIM_INTERNAL_H

#include "esr.h"
#include "pe.h"
#include "vectors.h"	/* SS_VEC_SYNC ... SS_VEC_SERROR: offsets within a group */

#define PSTATE_GET(pe, F) SS_GET(PSTATE_##F, (pe)->sr[SS_REG_PSTATE])
#define PSTATE_PUT(pe, F, x) ((pe)->sr[SS_REG_PSTATE] = SS_SET(PSTATE_##F, (pe)->sr[SS_REG_PSTATE], (x)))
#define HCR(pe, F) SS_GET(HCR_##F, (pe)->sr[SS_REG_HCR_EL2])
#define SCR(pe, F) SS_GET(SCR_##F, (pe)->sr[SS_REG_SCR_EL3])

/* The observer wants records of this kind. */
#define SS_WANTS(obs, k) ((obs) && (obs)->notify && (!(obs)->kinds || ((obs)->kinds >> (k) & 1u)))

static inline void ss_notify(const struct ss_observer *obs, const struct ss_pe *pe,
			     const struct ss_trace *t)
{
	if (SS_WANTS(obs, t->kind))
		obs->notify(obs->ctx, pe, t);
}

/* Report a trace record to an observer that wants its kind.  The kind is
 * a constant read from the initializers, so the test comes first and the
 * record is built only when it is wanted (the other initializers are
 * plain reads without side effects). */
#define SS_TRACE(obs, pe, ...)                                                  \
	do {                                                                    \
		if (SS_WANTS(obs, ((struct ss_trace){ __VA_ARGS__ }).kind)) {   \
			struct ss_trace t_ = { __VA_ARGS__ };                   \
			(obs)->notify((obs)->ctx, (pe), &t_);                   \
		}                                                               \
	} while (0)

/* Virtual interrupt bits of struct ss_controls. */
enum { SS_VINT_FIQ = 1u, SS_VINT_IRQ = 2u, SS_VINT_SERROR = 4u };

/*
 * The interrupt controls as the routing and masking rules see them at one
 * instruction boundary, computed once from PSTATE, HCR_EL2, SCR_EL3 and the
 * configuration (route.c).  HCR_EL2 and SCR_EL3 are taken as values: with
 * sysreg_sync = context-sync, sampling passes the values from before MSRs
 * not yet followed by a context synchronization event (Arm ARM D1.4.6.5).
 */
struct ss_controls {
	uint64_t pstate, hcr, scr;	/* the values the rest is computed from */
	uint64_t hcrx;			/* HCRX_EL2 (live: not subject to sysreg_sync) */
	uint8_t el;			/* PSTATE.EL */
	bool ea;			/* EffectiveEA() */
	bool el2_enabled;		/* EL2Enabled() */
	bool tge;			/* HCR_EL2.TGE with EL2 enabled */
	bool amo, imo, fmo;		/* EffectiveHCR_AMO/IMO/FMO() (J1.3.2.2) */
	bool irq3, fiq3;		/* SCR_EL3.IRQ/FIQ with EL3 implemented */
	bool in_host;			/* IsInHost() */
	bool hcrx_tmea;			/* EffectiveHCRX_EL2_TMEA() (J1.3.2.1) */
	bool scr_tmea;			/* EffectiveSCR_EL3_TMEA() (J1.3.2.5) */
	bool nmea;			/* EffectiveNMEA() (J1.3.2.4) */
	/* Virtual SError/IRQ/FIQ (SS_VINT_* bits; Arm ARM D1.4.6.4.2,
	 * AArch64_PendingUnmaskedVirtualInterrupts): enabled by EL2 enabled,
	 * TGE=0 and HCR_EL2.AMO/IMO/FMO; pending when enabled and
	 * HCR_EL2.VSE/VI/VF is set; unmasked when pending at EL0/EL1 with
	 * PSTATE.A/I/F = 0. */
	uint8_t venabled, vpending, vunmasked;
	struct ss_serror_route pserror;	/* PhysicalSErrorTarget() (J1.3.2.6) */
	/* Physical IRQ and FIQ (enum ss_intr): target and masking whether
	 * or not one is pending (model/irq.c, ss_physical_intr_route). */
	struct ss_serror_route pintr[2];
};

/* HCR_EL2.{VSE,VI,VF} or {AMO,IMO,FMO}, PSTATE.{A,I,F}, as SS_VINT_* bits. */
#define SS_VINT(L, S, I, F, v) \
	(uint8_t)(SS_GET(L##_##S, v) << 2 | SS_GET(L##_##I, v) << 1 | SS_GET(L##_##F, v))

/* EL2Enabled(): EL2 implemented and enabled in the current Security state
 * (Secure EL2 needs SCR_EL3.EEL2 with FEAT_SEL2). */
static inline bool ss_el2_enabled_with(const struct ss_config *cfg, uint64_t scr)
{
	if (!cfg->el2)
		return false;
	if (!cfg->el3)
		return !cfg->secure || cfg->sel2;
	return SS_GET(SCR_NS, scr) || (cfg->sel2 && SS_GET(SCR_EEL2, scr));
}

/* EffectiveHCRX_EL2_TMEA() (Arm ARM J1.3.2.1): FEAT_DoubleFault2,
 * IsHCRXEL2Enabled() and HCRX_EL2.TMEA (route.c). */
bool ss_effective_hcrx_tmea_with(const struct ss_config *cfg, uint64_t scr, uint64_t hcrx);

/* The virtual interrupts enabled: EL2 enabled, TGE=0, and the programmed
 * HCR_EL2.{AMO,IMO,FMO}; the virtual SError also by the Effective
 * HCRX_EL2.TMEA (Arm ARM D1.4.6.4.2, RCDCKC; HCR_EL2.VSE). */
static inline uint8_t ss_vint_enabled(const struct ss_config *cfg, uint64_t hcr, uint64_t scr,
				      uint64_t hcrx)
{
	if (SS_GET(HCR_TGE, hcr) || !ss_el2_enabled_with(cfg, scr))
		return 0;
	uint8_t en = SS_VINT(HCR, AMO, IMO, FMO, hcr);
	if (cfg->double_fault2 && ss_effective_hcrx_tmea_with(cfg, scr, hcrx))
		en |= SS_VINT_SERROR;
	return en;
}

/* The virtual interrupts enabled and pending (HCR_EL2.{VSE,VI,VF}). */
static inline uint8_t ss_vint_pending(const struct ss_config *cfg, uint64_t hcr, uint64_t scr,
				      uint64_t hcrx)
{
	uint8_t signalled = SS_VINT(HCR, VSE, VI, VF, hcr);
	return signalled ? signalled & ss_vint_enabled(cfg, hcr, scr, hcrx) : 0;
}

/* The virtual interrupts that would be taken now
 * (AArch64_PendingUnmaskedVirtualInterrupts): enabled, pending
 * (HCR_EL2.{VSE,VI,VF}), at EL0/EL1, and not masked by PSTATE.{A,I,F}. */
static inline uint8_t ss_vint_unmasked(const struct ss_config *cfg, uint64_t pstate, uint64_t hcr,
				       uint64_t scr, uint64_t hcrx)
{
	_Static_assert(SS_HCR_VSE_MASK == SS_PSTATE_A_MASK && SS_HCR_VI_MASK == SS_PSTATE_I_MASK &&
			       SS_HCR_VF_MASK == SS_PSTATE_F_MASK,
		       "HCR_EL2.{VSE,VI,VF} at the positions of PSTATE.{A,I,F}");
	if (SS_GET(PSTATE_EL, pstate) > 1 ||
	    !(hcr & ~pstate & (SS_HCR_VSE_MASK | SS_HCR_VI_MASK | SS_HCR_VF_MASK)))
		return 0;
	uint8_t signalled = SS_VINT(HCR, VSE, VI, VF, hcr) & (uint8_t)~SS_VINT(PSTATE, A, I, F, pstate);
	return signalled & ss_vint_enabled(cfg, hcr, scr, hcrx);
}

/* The controls from PSTATE and these HCR_EL2 and SCR_EL3 values; SCTLR2_EL1,
 * SCTLR2_EL2 and HCRX_EL2 are read from the register file sr. */
void ss_controls_from(struct ss_controls *v, const struct ss_config *cfg, uint64_t pstate,
		      uint64_t hcr, uint64_t scr, const uint64_t *sr);
/* From the live registers. */
void ss_controls_live(struct ss_controls *v, const struct ss_pe *pe);

/* irq.c: the routing and masking of a physical IRQ (FIQ) with these
 * controls; a physical IRQ or FIQ pending and unmasked now (the fast
 * engine's test). */
struct ss_serror_route ss_physical_intr_route(const struct ss_controls *v, enum ss_intr k);
bool ss_physical_intr_unmasked(const struct ss_pe *pe);

/* FEAT_VHE (regs.c): ELIsInHost(el); the register an access by name r
 * reaches (SS_REG_COUNT: UNDEFINED); AArch64.CheckDAIFAccess at EL0 (true:
 * trapped). */
bool ss_el_is_in_host(const struct ss_pe *pe, unsigned el);
enum ss_reg ss_sysreg_reach(const struct ss_pe *pe, enum ss_reg r);
bool ss_check_daif_access(const struct ss_pe *pe);
/* The syndrome of a trapped MSR DAIFSet/DAIFClr (knob daif_trap_iss). */
uint64_t ss_daif_imm_trap_esr(const struct ss_pe *pe, bool set, unsigned imm);

/* SCTLR_ELx.IESB in effect for 'el' with this SCR_EL3 value (route.c). */
bool ss_iesb_in_effect(const struct ss_pe *pe, uint64_t scr, unsigned el);

/*
 * Vector group base (AArch64.TakeException, Arm ARM J1.1.2.35): the same EL
 * with SP_EL0 or SP_ELx, or a lower EL in AArch64 or AArch32.  The lower
 * EL's width: for EL3 the width of EL2 (or EL1 without EL2) from
 * SCR_EL3.RW, for EL2 that of EL1 from HCR_EL2.RW (EL0's own in the host),
 * for EL1 that of EL0 (AArch64 in this model).
 */
static inline uint64_t ss_vector_group(uint64_t pstate, uint64_t hcr, uint64_t scr,
				       unsigned from_el, unsigned to_el)
{
	if (from_el > 3 || to_el > 3)
		return 0;
	if (to_el > from_el) {
		bool lower_a32;
		if (to_el == 3)
			lower_a32 = !SS_GET(SCR_RW, scr);
		else if (to_el == 2)
			lower_a32 = !(from_el == 0 && SS_GET(HCR_E2H, hcr) && SS_GET(HCR_TGE, hcr)) &&
				    !SS_GET(HCR_RW, hcr);
		else
			lower_a32 = false;
		return lower_a32 ? SS_VEC_LOWER_A32 : SS_VEC_LOWER_A64;
	}
	return SS_GET(PSTATE_SP, pstate) ? SS_VEC_CURR_SPX : SS_VEC_CURR_SP0;
}

/* An exception to take (AArch64.TakeException, J1.1.2.35). */
struct ss_exc_req {
	unsigned to;			/* target EL */
	enum ss_cause cause;
	bool has_esr;			/* IRQ and FIQ write no ESR */
	uint64_t esr;
	bool has_far;			/* Data/Instruction Abort: FAR_ELx written */
	uint64_t far;
	uint64_t elr;			/* preferred return address */
	unsigned vec;			/* SS_VEC_SYNC, _IRQ, _FIQ or _SERROR */
	const struct ss_condition *cond;	/* the SError condition taken, or NULL */
	/* The controls the exception was sampled with (an asynchronous
	 * exception), or NULL for the live registers. */
	const struct ss_controls *seen;
};

/* AArch64.TakeException: enter req->to with the given syndrome; runs the
 * implicit ESB of the target EL afterwards. */
void ss_take_exception(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_exc_req *req);
/* The same for HVC to EL2: ESR = esr, ELR = elr, the synchronous vector. */
void ss_take_hvc(struct ss_pe *pe, const struct ss_observer *obs, uint64_t esr, uint64_t elr);

/* The part of a quick exception entry or return (entry.c: nothing but the
 * entry or return itself, and its trace record) that the configuration
 * decides: no barrier inserted before an exception (knob
 * iesb_before_exception), neither FEAT_DoubleFault nor FEAT_DoubleFault2
 * (with them the implicit ESB is not SCTLR_ELx.IESB's alone). */
static inline bool ss_entry_quick_cfg(const struct ss_pe *pe)
{
	return !pe->cfg.iesb_before_exception && !pe->cfg.double_fault && !pe->cfg.double_fault2;
}
/* ss_take_hvc and ss_exception_return where ss_entry_quick_cfg holds (the
 * fast engine asks it once per stretch), with no observer (leaf functions
 * when quick) or with one. */
void ss_take_hvc_cfg_quick(struct ss_pe *pe, uint64_t esr, uint64_t elr);
void ss_take_hvc_cfg_quick_traced(struct ss_pe *pe, const struct ss_observer *obs, uint64_t esr,
				  uint64_t elr);
void ss_exception_return_cfg_quick(struct ss_pe *pe);
void ss_exception_return_cfg_quick_traced(struct ss_pe *pe, const struct ss_observer *obs);

/* Synchronous exceptions with the routing of an UNDEFINED instruction
 * (EL0 -> EL1, or EL2 when HCR_EL2.TGE=1; otherwise the current EL). */
unsigned ss_sync_target(const struct ss_pe *pe);
void ss_undefined(struct ss_pe *pe, const struct ss_observer *obs);

/* SynchronizeErrors(): synchronizable conditions still propagating become
 * pending now. */
void ss_synchronize_errors(struct ss_pe *pe, const struct ss_observer *obs);

/* Make in-flight conditions whose time has come pending. */
void ss_update_visibility(struct ss_pe *pe, const struct ss_observer *obs);

/* Take the highest-priority unmasked asynchronous exception, if any (all
 * kinds, or SErrors only for TakeUnmaskedSErrorInterrupts at an ESB):
 * entry.c, after the test below. */
bool ss_take_pending_async_sampled(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
				   bool serror_only);
static inline bool ss_take_pending_async(struct ss_pe *pe, const struct ss_observer *obs,
					 uint64_t elr, bool serror_only)
{
	/* Most boundaries, inline: nothing stale, no physical SError, IRQ or
	 * FIQ pending, and no virtual interrupt both signalled and unmasked at
	 * EL0/EL1 (the first tests of ss_vint_unmasked: HCR_EL2.{VSE,VI,VF} at
	 * the positions of PSTATE.{A,I,F}). */
	_Static_assert(SS_HCR_VSE_MASK == SS_PSTATE_A_MASK && SS_HCR_VI_MASK == SS_PSTATE_I_MASK &&
			       SS_HCR_VF_MASK == SS_PSTATE_F_MASK,
		       "HCR_EL2.{VSE,VI,VF} at the positions of PSTATE.{A,I,F}");
	uint64_t ps = pe->sr[SS_REG_PSTATE], hcr = pe->sr[SS_REG_HCR_EL2];
	if (!pe->hcr_stale && !pe->scr_stale && !pe->npending && !pe->intr_up[SS_INTR_IRQ] &&
	    !pe->intr_up[SS_INTR_FIQ] &&
	    (SS_GET(PSTATE_EL, ps) > 1 ||
	     !(hcr & ~ps & (SS_HCR_VSE_MASK | SS_HCR_VI_MASK | SS_HCR_VF_MASK))))
		return false;
	return ss_take_pending_async_sampled(pe, obs, elr, serror_only);
}
/* The same at a boundary where nothing is stale (sysreg_sync), all kinds,
 * with v the controls of the live registers (the fast engine's cache). */
bool ss_take_pending_async_with(struct ss_pe *pe, const struct ss_observer *obs, uint64_t elr,
				const struct ss_controls *v);

/* A WFI wake-up event is pending. */
bool ss_wake_pending(const struct ss_pe *pe);

/* ESR.ISS a physical condition reports on this PE (0 for an architected
 * syndrome without FEAT_RAS). */
uint32_t ss_physical_iss(const struct ss_pe *pe, uint32_t iss);

/* Oldest pending condition (synchronizable only, if asked), or NULL. */
struct ss_condition *ss_oldest_pending(struct ss_pe *pe, bool synchronizable_only);


/* AArch64.ExceptionReturn() for ERET at the current EL. */
void ss_exception_return(struct ss_pe *pe, const struct ss_observer *obs);

/* AArch64.ESBOperation() + vESBOperation() + TakeUnmaskedSErrorInterrupts().
 * Returns true when an SError was taken at the ESB. */
bool ss_esb(struct ss_pe *pe, const struct ss_observer *obs);
/* The same with 'live' the controls of the live registers. */
bool ss_esb_with(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_controls *live);

bool ss_have_el(const struct ss_pe *pe, unsigned el);

/* Recompute the ID registers from pe->cfg (reset, migration). */
void ss_set_id_registers(struct ss_pe *pe);

/* ledger.c: the indexes of open conditions.  The list of pending physical
 * conditions a syndrome belongs to (architected: by severity rank and EA;
 * otherwise by IDS), the removal of a pending physical condition from it,
 * and the cycle the next condition in flight becomes visible. */
unsigned ss_pend_class(uint32_t iss);
void ss_pend_remove(struct ss_pe *pe, struct ss_condition *c);
uint64_t ss_next_visible_cycle(const struct ss_pe *pe);

/* Add cycles; the counter saturates at UINT64_MAX instead of wrapping (the
 * watchdog, max_cycles <= UINT64_MAX, then stops the run). */
static inline void ss_add_cycles(struct ss_pe *pe, uint64_t n)
{
	pe->cycle = pe->cycle > UINT64_MAX - n ? UINT64_MAX : pe->cycle + n;
}

/* abort.c: the range covering addr (NULL: none); take a synchronous
 * External abort on an access of kind SS_MEM_* to vaddr (AArch64.DataAbort,
 * AArch64.InstructionAbort); ELR = the instruction at PC. */
const struct ss_mem_region *ss_mem_lookup(const struct ss_pe *pe, uint64_t addr);
void ss_sync_external_abort(struct ss_pe *pe, const struct ss_observer *obs, unsigned access,
			    uint64_t vaddr, const struct ss_mem_region *r);

/* An SS_EV_MEM event fires: range i takes effect (abort.c). */
void ss_mem_activate(struct ss_pe *pe, unsigned i);
/* ledger.c: a synchronous External abort about to be taken as exception
 * pe->nexc + 1 with this ESR, recorded TAKEN with its EC and ISS (NULL when the ledger is full:
 * the run stops with LIMIT). */
const struct ss_condition *ss_record_sea(struct ss_pe *pe, uint64_t esr, const struct ss_observer *obs);
/* entry.c: InsertIESBBeforeException for a synchronous exception to 'to'
 * sampled with these HCR_EL2/SCR_EL3 values: true when it took an SError
 * instead (the synchronous exception is then not taken). */
bool ss_insert_iesb_before_exception(struct ss_pe *pe, const struct ss_observer *obs, unsigned to,
				     uint64_t hcr, uint64_t scr);

/* exec.c: decode the program again after a change of configuration. */
void ss_decode_refresh(struct ss_pe *pe);

/* regs.c: the part of an MRS/MSR access check that only the configuration
 * decides (ss_sysreg_static), for decoding once. */
struct ss_sysreg_static {
	bool undefined;		/* UNDEFINED at every EL with this configuration */
	uint8_t min_el;		/* else UNDEFINED below this EL */
	bool plain;		/* no row: the register file, access per the above */
	uint64_t and_mask, or_mask;	/* MSR: ss_legalize(v) = (v & and) | or */
	uint8_t fast;		/* enum ss_sysreg_fast: when not plain, a shortcut */
};
/* Rows the fast engine runs without their hooks (ss_sysreg_static). */
enum ss_sysreg_fast {
	SS_SRF_NONE,		/* the row's hooks */
	SS_SRF_PLAIN_NOT_EL2,	/* MRS: plain except at EL2 (FEAT_VHE E2h redirection) */
	SS_SRF_DISR,		/* MRS DISR_EL1: ss_disr_el1_reach, then the register file */
	SS_SRF_SYNC_VIRTUAL,	/* MSR: stored like a plain one, then ss_sync_virtual (HCR_EL2) */
};
/* The register an access to DISR_EL1 reaches, SS_REG_COUNT when RAZ/WI. */
enum ss_reg ss_disr_el1_reach(const struct ss_pe *pe);
void ss_sysreg_static(const struct ss_pe *pe, enum ss_reg r, bool write, struct ss_sysreg_static *out);

/*
 * ESR_EL1.ISS of a virtual SError (AArch64.TakeVirtualSErrorException, Arm
 * ARM J1.1.2.21): VSESR_EL2[24:0] with FEAT_RAS (0 when VSESR_EL2 is RAZ/WI,
 * Arm ARM D20.7.1.1); without it the 25-bit IMPLEMENTATION DEFINED value is
 * used when its IDS bit is 1, else the ISS is zero.  Inline for the raise
 * and the take; ss_virtual_serror_iss (route.c) for the others.
 */
static inline uint32_t ss_vserror_iss(const struct ss_pe *pe)
{
	if (pe->cfg.ras)
		return pe->cfg.vsesr_raz_wi ? 0 : (uint32_t)(pe->sr[SS_REG_VSESR_EL2] & SS_SERROR_ISS_MASK);
	if (ss_iss_ids(pe->cfg.noras_vserror_iss))
		return pe->cfg.noras_vserror_iss & SS_SERROR_ISS_MASK;
	return 0;
}

/* A context synchronization event: earlier MSRs become visible to sampling. */
static inline void ss_context_sync(struct ss_pe *pe)
{
	pe->hcr_stale = pe->scr_stale = false;
}

/*
 * FEAT_ExS: taking an exception to EL el (EIS) or returning from EL el (EOS)
 * is a context synchronization event unless FEAT_ExS is implemented and
 * SCTLR_ELx.EIS (EOS) of that EL is 0; without FEAT_ExS both fields are RES1
 * (Arm ARM glossary, Context synchronization event; D1.4.6.5; the EIS and
 * EOS fields of SCTLR_EL1 D24.2.175, SCTLR_EL2 and SCTLR_EL3).  The bit is
 * at the same position in the three SCTLR layouts.
 */
static inline bool ss_exs_synchronizes(const struct ss_pe *pe, unsigned el, bool entry)
{
	if (!ss_feature_on(&pe->cfg, SS_FEAT_ExS))
		return true;
	uint64_t sctlr = pe->sr[el == 3 ? SS_REG_SCTLR_EL3 : el == 2 ? SS_REG_SCTLR_EL2 : SS_REG_SCTLR_EL1];
	_Static_assert(SS_SCTLR_EIS_MASK == SS_SCTLR_EL2_EIS_MASK && SS_SCTLR_EIS_MASK == SS_SCTLR_EL3_EIS_MASK &&
			       SS_SCTLR_EOS_MASK == SS_SCTLR_EL2_EOS_MASK && SS_SCTLR_EOS_MASK == SS_SCTLR_EL3_EOS_MASK,
		       "EIS and EOS at one position in the SCTLR_ELx layouts");
	return entry ? SS_GET(SCTLR_EIS, sctlr) != 0 : SS_GET(SCTLR_EOS, sctlr) != 0;
}

/* merge.c: the merge policy's choice among the eligible pending physical
 * conditions (the representative, and the syndrome reported), and the
 * consumption of what one exception or ESB takes. */
struct ss_condition *ss_merge_pick(struct ss_pe *pe, bool sync_only, uint32_t *iss);
void ss_merge_consume(struct ss_pe *pe, struct ss_condition *rep, bool sync_only,
		      enum ss_disposition d, uint32_t number);

/* ledger.c: end the pending virtual condition in state d (exception or
 * deferral 'number', syndrome finally reported); set HCR_EL2.VSE; bring the
 * ledger's virtual condition in line with a VSE value (ss_sync_virtual with
 * the value sampling sees). */
void ss_end_virtual(struct ss_pe *pe, enum ss_disposition d, uint32_t number, uint32_t iss);
/* Its body, inline for the vSError's take and ESB's deferral. */
static inline __attribute__((always_inline)) void
ss_end_virtual_inline(struct ss_pe *pe, enum ss_disposition d, uint32_t number, uint32_t iss)
{
	if (pe->vcond < 0)	/* the ledger was full: the run stops with LIMIT */
		return;
	struct ss_condition *c = &pe->cond[pe->vcond];
	c->disp = d;
	c->iss = iss & SS_SERROR_ISS_MASK;	/* the syndrome finally reported */
	if (d == SS_DISP_TAKEN) {
		c->exc = number;
		c->times_taken = 1;
	} else if (d == SS_DISP_DEFERRED) {
		c->defer = number;
		c->times_deferred = 1;
		/* The deferral VDISR_EL2 held until now was never read. */
		if (pe->vdisr_unread >= 0)
			ss_lose_condition(pe, pe->vdisr_unread, SS_LOST_VDISR_OVERWRITTEN);
		pe->vdisr_unread = (int)c->id;
	}
	pe->vcond = -1;
}
void ss_set_vse(struct ss_pe *pe, const struct ss_observer *obs, bool vse);
void ss_sync_virtual_vse(struct ss_pe *pe, const struct ss_observer *obs, bool vse);
/* ledger.c: AArch64.vESBOperation's deferral: the pending virtual condition
 * DEFERRED, VDISR_EL2 = vdisr, HCR_EL2.VSE = 0. */
void ss_defer_virtual(struct ss_pe *pe, const struct ss_observer *obs, uint64_t vdisr);

/* ras.c: an SS_EV_RAS event fires; the System-register view of the error
 * records (ERRIDR_EL1; the ERX* register reg of the record ERRSELR_EL1
 * selects: its value, and what an MSR of v stores). */
void ss_ras_event(struct ss_pe *pe, const struct ss_ras_error *e, const struct ss_observer *obs);
uint64_t ss_ras_erridr(const struct ss_pe *pe);
/* The field of the selected record an ERX* register shows (its register
 * row in regs.c names it). */
enum ss_erx_field { SS_ERX_FR, SS_ERX_CTLR, SS_ERX_STATUS, SS_ERX_ADDR, SS_ERX_MISC0,
		    SS_ERX_MISC1, SS_ERX_MISC2, SS_ERX_MISC3, SS_ERX_PFGF, SS_ERX_PFGCTL,
		    SS_ERX_PFGCDN };
uint64_t ss_ras_erx_value(const struct ss_pe *pe, enum ss_erx_field f);
uint64_t ss_ras_erx_write(struct ss_pe *pe, enum ss_reg reg, enum ss_erx_field f, uint64_t v);

/* ledger.c: the pending and in-flight indexes emptied (reset, compaction). */
void ss_empty_cond_indexes(struct ss_pe *pe);

/* Where a boundary left at a host event goes on (pe->resume). */
enum { RESUME_NONE, RESUME_TIMED, RESUME_PC };

/* events.c: the scheduled events (see pe.h for the public part). */
uint32_t ss_pc_slot(const struct ss_pe *pe, uint32_t k);		/* k-th PC event's slot */
void ss_timed_pop(struct ss_pe *pe, struct ss_event *out);	/* the next timed event */
/* Fire the due timed events / the PC events at PC (from the from-th); true
 * when a host event made the PE exit to its driver (pe->exit). */
bool ss_apply_timed_events(struct ss_pe *pe, const struct ss_observer *obs);
bool ss_apply_pc_events(struct ss_pe *pe, const struct ss_observer *obs, uint32_t from);

/* exec.c: the fast engine marks the decoded instruction at addr as having a
 * PC event (a no-op without a decoded program). */
void ss_mark_pc_event(struct ss_pe *pe, uint64_t addr);

/* insn.c: the instruction set's reference semantics. */
uint64_t ss_subs(struct ss_pe *pe, uint64_t a, uint64_t b);	/* SUBS: result, NZCV */
bool ss_cond_holds(const struct ss_pe *pe, unsigned cond);	/* ConditionHolds() */
const struct ss_insn *ss_fetch(struct ss_pe *pe, uint64_t addr);	/* NULL: no code */
/* Execute one instruction with its isa.def handler: true when it completed
 * (PC advances unless it branched), false when it raised an exception or
 * set PC itself. */
bool ss_execute(struct ss_pe *pe, const struct ss_observer *obs, const struct ss_insn *in,
		bool *branched);

#endif
