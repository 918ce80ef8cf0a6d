/*
 * ras.c - RAS error records: recording an error in ERR<n>STATUS, its
 * signals (SError, error recovery and fault handling interrupts), the
 * write-one-to-clear rules of ERR<n>STATUS, the common fault injection
 * model (ERR<n>PFGCTL, ERR<n>PFGCDN), and the rows of the System-register
 * view (ERRIDR_EL1, ERRSELR_EL1, ERX*_EL1) that regs.c walks.
 *
 * Sources: the Arm RAS System Architecture (DDI 0587, "RAS spec"): 1.3
 * error records, 2.3 error recording, 2.4 error signalling, 3.2 the error
 * record registers, 5.2 the common fault injection model; Arm ARM D24.9
 * (the ERX* and ERR* System registers).  Pure: no I/O, no allocation; the
 * records live in struct ss_pe.
 */
#include "internal.h"

/* --- ERR<n>FR: an enable in effect ---------------------------------------- */

/* A control of ERR<n>CTLR in effect: the feature is always enabled
 * (ERR<n>FR field 0b10) or controllable (0b01, or 0b11: separately for
 * reads and writes) and the control is 1 (RAS spec ERR<n>FR.{ED,UE,UI,FI,
 * CFI}).  With 0b11 the control given is the read one (RUE, RUI, ...): an
 * error event or injected fault is taken as detected on a read. */
static bool fr_enabled(unsigned fr_field, bool ctlr_bit)
{
	return fr_field == 2 || ((fr_field & 1) && ctlr_bit);
}

#define FR(pe, F) ((unsigned)SS_GET(ERRFR_##F, (pe)->cfg.ras_fr))
#define CTLR(r, F) (SS_GET(ERRCTLR_##F, (r)->ctlr) != 0)

/* The bits of ERR<n>CTLR a write can set (RAS spec ERR<n>CTLR): a control
 * exists when its ERR<n>FR field says it is controllable (0b01 or 0b11),
 * its write variant (WUI, WFI, WUE, WCFI, WDUI) only with 0b11; every other
 * bit is RES0 (a feature not implemented or always enabled). */
uint64_t ss_ras_ctlr_writable(uint64_t fr)
{
	const struct { uint64_t field, ctl, wctl; } c[] = {
		{ SS_GET(ERRFR_ED, fr), SS_ERRCTLR_ED_MASK, 0 },
		{ SS_GET(ERRFR_UI, fr), SS_ERRCTLR_UI_MASK, SS_ERRCTLR_WUI_MASK },
		{ SS_GET(ERRFR_FI, fr), SS_ERRCTLR_FI_MASK, SS_ERRCTLR_WFI_MASK },
		{ SS_GET(ERRFR_UE, fr), SS_ERRCTLR_UE_MASK, SS_ERRCTLR_WUE_MASK },
		{ SS_GET(ERRFR_CFI, fr), SS_ERRCTLR_CFI_MASK, SS_ERRCTLR_WCFI_MASK },
		{ SS_GET(ERRFR_DUI, fr), SS_ERRCTLR_RDUI_MASK, SS_ERRCTLR_WDUI_MASK },
	};
	uint64_t m = 0;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		if (c[i].field & 1)
			m |= c[i].ctl;
		if (c[i].field == 3)
			m |= c[i].wctl;
	}
	return m;
}

/* --- the interrupt requests as lines ---------------------------------------- */

/* The error recovery and fault handling interrupts are level requests
 * (RAS spec ERR<n>CTLR.{UI,FI,CFI}): a record's request stands while it
 * holds the error, that is until software clears ERR<n>STATUS.V; how the
 * node reaches the PE (an interrupt controller, a line of it, IRQ or FIQ)
 * is IMPLEMENTATION DEFINED: the knobs ras_eri, ras_fhi and their lines. */
void ss_ras_update_intr(struct ss_pe *pe, const struct ss_observer *obs)
{
	unsigned want = 0;
	for (unsigned i = 0; i < pe->cfg.ras_records && i < SS_RAS_MAX_RECORDS; i++) {
		if (!SS_GET(ERRSTATUS_V, pe->ras[i].status))
			pe->ras[i].intr = 0;
		want |= pe->ras[i].intr;
	}
	const struct {
		enum ss_ras_intr wire;
		unsigned line, sig;
	} w[] = {
		{ pe->cfg.ras_eri, pe->cfg.ras_eri_line, SS_RAS_SIG_ERI },
		{ pe->cfg.ras_fhi, pe->cfg.ras_fhi_line, SS_RAS_SIG_FHI },
	};
	/* Two requests on one line: the line is their OR. */
	for (unsigned i = 0; i < 2; i++) {
		if (w[i].wire == SS_RAS_INTR_OFF)
			continue;
		bool up = (want & w[i].sig) != 0;
		for (unsigned j = 0; j < 2; j++)
			if (j != i && w[j].wire == w[i].wire && w[j].line == w[i].line)
				up = up || (want & w[j].sig);
		ss_set_intr_line(pe, w[i].wire == SS_RAS_INTR_IRQ ? SS_INTR_IRQ : SS_INTR_FIQ, w[i].line,
				 up, obs);
	}
}

/* --- ERR<n>STATUS ---------------------------------------------------------- */

/* The type of an error for overwriting (RAS spec 3.2.3, Table 3
 * "overwriting error records"): CE < DE < UEO < UER < UEU < UC. */
static unsigned uet_rank(unsigned uet)
{
	switch (uet) {
	case SS_UET_UEO: return 3;
	case SS_UET_UER: return 4;
	case SS_UET_UEU: return 5;
	default: return 6;	/* UC */
	}
}

/* The type of the error a valid record holds (0: none). */
static unsigned type_priority(uint64_t status)
{
	if (SS_GET(ERRSTATUS_UE, status))
		return uet_rank((unsigned)SS_GET(ERRSTATUS_UET, status));
	if (SS_GET(ERRSTATUS_DE, status))
		return 2;
	if (SS_GET(ERRSTATUS_CE, status))
		return 1;
	return 0;
}

/*
 * Recording (RAS spec 3.2.3 Table 3 and ERR<n>STATUS): in an empty record
 * (V = 0) the error is recorded with its syndrome.  In a valid record, an
 * error of a higher type overwrites the syndrome (UET, SERR, IERR, AV, MV,
 * PN); an error of the same or a lower type keeps the recorded syndrome.
 * OF is set when the new error is not the one recorded, or when it
 * overwrites one of its own kind (an uncorrected error over an uncorrected
 * one of a lower UET).  CE, DE and UE accumulate.
 */
uint64_t ss_ras_status_record(uint64_t s, const struct ss_ras_error *e, bool *syndrome)
{
	unsigned newp = e->type == SS_RAS_UE ? uet_rank(e->uet) : e->type == SS_RAS_DE ? 2 : 1;
	unsigned oldp = SS_GET(ERRSTATUS_V, s) ? type_priority(s) : 0;
	*syndrome = newp > oldp;
	if (!SS_GET(ERRSTATUS_V, s))
		s = 0;
	else
		s = SS_SET(ERRSTATUS_OF, s,
			   newp <= oldp || (e->type == SS_RAS_UE && SS_GET(ERRSTATUS_UE, s)) ||
				   SS_GET(ERRSTATUS_OF, s));
	s = SS_SET(ERRSTATUS_V, s, 1);
	if (e->type == SS_RAS_UE)
		s = SS_SET(ERRSTATUS_UE, s, 1);
	else if (e->type == SS_RAS_DE)
		s = SS_SET(ERRSTATUS_DE, s, 1);
	else
		s = SS_SET(ERRSTATUS_CE, s, 1);	/* 0b01: at least one CE */
	if (*syndrome) {
		s = SS_SET(ERRSTATUS_UET, s, e->type == SS_RAS_UE ? e->uet : 0);
		s = SS_SET(ERRSTATUS_AV, s, e->av);
		s = SS_SET(ERRSTATUS_MV, s, e->mv);
		s = SS_SET(ERRSTATUS_PN, s, e->pn);
		s = SS_SET(ERRSTATUS_SERR, s, e->serr);
		s = SS_SET(ERRSTATUS_IERR, s, e->ierr);
	}
	return s;
}

/* The fields a write of 1 clears (RAS spec ERR<n>STATUS: W1C). */
#define STATUS_W1C (SS_ERRSTATUS_AV_MASK | SS_ERRSTATUS_V_MASK | SS_ERRSTATUS_UE_MASK |     \
		    SS_ERRSTATUS_ER_MASK | SS_ERRSTATUS_OF_MASK | SS_ERRSTATUS_MV_MASK |      \
		    SS_ERRSTATUS_CE_MASK | SS_ERRSTATUS_DE_MASK | SS_ERRSTATUS_PN_MASK |      \
		    SS_ERRSTATUS_UET_MASK | SS_ERRSTATUS_CI_MASK)

/*
 * A write to ERR<n>STATUS (RAS spec ERR<n>STATUS, the conditional
 * write-one-to-clear rules): the write is ignored when the record holds
 * state the writer has not seen, that is when OF = 1 and the write leaves
 * OF, or UE, DE or CE is set and the write leaves it (a new error recorded
 * since software read the record: writing back the value read must not
 * lose it).  Otherwise each W1C field written with ones is cleared (CE,
 * UET: any 1 bit clears the field); clearing V clears SERR and IERR
 * (UNKNOWN in the spec: 0 here).
 */
uint64_t ss_ras_status_write(uint64_t s, uint64_t w)
{
	if (SS_GET(ERRSTATUS_V, w)) {
		if ((SS_GET(ERRSTATUS_OF, s) && !SS_GET(ERRSTATUS_OF, w)) ||
		    (SS_GET(ERRSTATUS_UE, s) && !SS_GET(ERRSTATUS_UE, w)) ||
		    (SS_GET(ERRSTATUS_DE, s) && !SS_GET(ERRSTATUS_DE, w)) ||
		    (SS_GET(ERRSTATUS_CE, s) && !SS_GET(ERRSTATUS_CE, w)))
			return s;
	}
	uint64_t clear = 0;
	for (uint64_t m = STATUS_W1C; m; m &= m - 1) {
		uint64_t bit = m & -m;
		if (w & bit)
			clear |= bit;
	}
	/* A multi-bit W1C field is cleared as a whole. */
	if (clear & SS_ERRSTATUS_CE_MASK)
		clear |= SS_ERRSTATUS_CE_MASK;
	if (clear & SS_ERRSTATUS_UET_MASK)
		clear |= SS_ERRSTATUS_UET_MASK;
	s &= ~clear;
	if (!SS_GET(ERRSTATUS_V, s))
		s &= ~(SS_ERRSTATUS_SERR_MASK | SS_ERRSTATUS_IERR_MASK);
	return s;
}

/* The SError an uncorrected error signals (RAS spec ERR<n>STATUS.UET (AET from UET); Arm ARM D24.2.45
 * ISS encoding for an SError interrupt): IDS = 0, AET from UET (UC 0b000,
 * UEU 0b001, UEO 0b010, UER 0b011: the AET encoding of each UET is the UET
 * value), EA = 0, DFSC = Asynchronous SError interrupt. */
uint32_t ss_ras_serror_iss(unsigned uet)
{
	static const uint8_t aet[4] = { [SS_UET_UC] = SS_AET_UC, [SS_UET_UEU] = SS_AET_UEU,
					[SS_UET_UEO] = SS_AET_UEO, [SS_UET_UER] = SS_AET_UER };
	return (uint32_t)(SS_PREP(ESR_SErr_AET, aet[uet & 3]) |
			  SS_PREP(ESR_SErr_DFSC, SS_DFSC_AsyncSError));
}

/* --- recording and signalling ---------------------------------------------- */

int ss_ras_record_error(struct ss_pe *pe, const struct ss_ras_error *e,
			const struct ss_observer *obs)
{
	if (e->record >= pe->cfg.ras_records)
		return -1;
	struct ss_ras_record *r = &pe->ras[e->record];
	/* ERR<n>CTLR.ED = 0: the node neither records nor signals (RAS spec
	 * ERR<n>CTLR.ED). */
	if (!fr_enabled(FR(pe, ED), CTLR(r, ED)))
		return -1;
	uint64_t old = r->status;
	bool syndrome;
	r->status = ss_ras_status_record(r->status, e, &syndrome);
	if (syndrome && e->av)
		r->addr = e->addr;
	unsigned sig = e->fault ? SS_RAS_SIG_INJECTED : 0;
	int cond = -1;
	if (e->type == SS_RAS_UE && fr_enabled(FR(pe, UE), CTLR(r, UE))) {
		/* In-band error response: the uncorrected error is signalled
		 * as an SError (an asynchronous External abort) and ER
		 * records that it was (RAS spec ERR<n>STATUS.ER). */
		r->status = SS_SET(ERRSTATUS_ER, r->status, 1);
		sig |= SS_RAS_SIG_SERROR;
	}
	/* The error recovery interrupt for an uncorrected error (UI), the
	 * fault handling interrupt for any error (FI; corrected errors only
	 * with CFI) (RAS spec ERR<n>CTLR.{UI,FI,CFI}). */
	if (e->type == SS_RAS_UE && fr_enabled(FR(pe, UI), CTLR(r, UI)))
		sig |= SS_RAS_SIG_ERI;
	if (e->type == SS_RAS_CE ? fr_enabled(FR(pe, CFI), CTLR(r, CFI))
				 : fr_enabled(FR(pe, FI), CTLR(r, FI)))
		sig |= SS_RAS_SIG_FHI;
	SS_TRACE(obs, pe, .kind = SS_TR_RAS, .cycle = pe->cycle, .line = e->record,
		 .value = r->status, .old = old, .addr = sig);
	r->intr |= (uint8_t)(sig & (SS_RAS_SIG_ERI | SS_RAS_SIG_FHI));
	ss_ras_update_intr(pe, obs);
	if (sig & SS_RAS_SIG_SERROR) {
		pe->ras_src = (uint8_t)(e->record + 1);
		cond = ss_raise_serror(pe, ss_ras_serror_iss(e->uet), SS_EDGE, pe->cfg.synchronizable,
				       0, obs);
		pe->ras_src = 0;
	}
	return cond;
}

/* --- fault injection (RAS spec, the common fault injection model) ------ */

uint64_t ss_ras_countdown_expiry(const struct ss_pe *pe, unsigned record)
{
	if (record >= SS_RAS_MAX_RECORDS || !pe->ras[record].armed)
		return UINT64_MAX;
	const struct ss_ras_record *r = &pe->ras[record];
	uint64_t cdn = SS_GET(ERRPFGCDN_CDN, r->pfgcdn);
	return r->armed_at > UINT64_MAX - cdn ? UINT64_MAX : r->armed_at + cdn;
}

/* Start the countdown from ERR<n>PFGCDN: an event at its expiry. */
static void arm_countdown(struct ss_pe *pe, unsigned record)
{
	struct ss_ras_record *r = &pe->ras[record];
	r->arm++;
	r->armed = true;
	r->armed_at = pe->cycle;
	struct ss_event ev = { .kind = SS_EV_RAS, .when = SS_AT_CYCLE,
			       .at = ss_ras_countdown_expiry(pe, record),
			       .ras = { .record = (uint8_t)record, .fault = true, .arm = r->arm } };
	if (!ss_schedule(pe, &ev))
		r->armed = false;
}

/* The countdown reached 0: the error ERR<n>PFGCTL describes is injected
 * (its type: UC, UEU, UEO, UER as an uncorrected error with that UET, DE,
 * CE; AV, MV, PN as given), and with ERR<n>PFGCTL.R = 1 the countdown
 * starts again from ERR<n>PFGCDN, else CDNEN is cleared (RAS spec, the common fault injection model,
 * ERR<n>PFGCTL.{CDNEN,R}). */
static void countdown_expired(struct ss_pe *pe, const struct ss_ras_error *f,
			      const struct ss_observer *obs)
{
	struct ss_ras_record *r = &pe->ras[f->record];
	if (!r->armed || r->arm != f->arm)
		return;		/* disarmed or re-armed since */
	r->armed = false;
	uint64_t c = r->pfgctl;
	struct ss_ras_error e = { .record = f->record, .fault = true, .av = SS_GET(ERRPFGCTL_AV, c),
				  .mv = SS_GET(ERRPFGCTL_MV, c), .pn = SS_GET(ERRPFGCTL_PN, c),
				  .addr = r->addr };
	if (SS_GET(ERRPFGCTL_UC, c))
		e.type = SS_RAS_UE, e.uet = SS_UET_UC;
	else if (SS_GET(ERRPFGCTL_UEU, c))
		e.type = SS_RAS_UE, e.uet = SS_UET_UEU;
	else if (SS_GET(ERRPFGCTL_UER, c))
		e.type = SS_RAS_UE, e.uet = SS_UET_UER;
	else if (SS_GET(ERRPFGCTL_UEO, c))
		e.type = SS_RAS_UE, e.uet = SS_UET_UEO;
	else if (SS_GET(ERRPFGCTL_DE, c))
		e.type = SS_RAS_DE;
	else
		e.type = SS_RAS_CE;
	bool any = c & (SS_ERRPFGCTL_UC_MASK | SS_ERRPFGCTL_UEU_MASK | SS_ERRPFGCTL_UER_MASK |
			SS_ERRPFGCTL_UEO_MASK | SS_ERRPFGCTL_DE_MASK | SS_ERRPFGCTL_CE_MASK);
	if (SS_GET(ERRPFGCTL_R, c))
		arm_countdown(pe, f->record);
	else
		r->pfgctl = SS_SET(ERRPFGCTL_CDNEN, r->pfgctl, 0);
	if (any)
		ss_ras_record_error(pe, &e, obs);
}

/* An SS_EV_RAS event fires (exec.c). */
void ss_ras_event(struct ss_pe *pe, const struct ss_ras_error *e, const struct ss_observer *obs)
{
	if (e->fault)
		countdown_expired(pe, e, obs);
	else
		ss_ras_record_error(pe, e, obs);
}

/* --- the System-register view (rows of regs.c) ----------------------------- */

/* The record ERRSELR_EL1.SEL names, or NULL when SEL >= ERRIDR_EL1.NUM: then
 * the ERX* registers read UNKNOWN and writes are CONSTRAINED UNPREDICTABLE
 * (Arm ARM D24.9 ERXSTATUS_EL1 and the other ERX* pages); RAZ/WI here. */
static struct ss_ras_record *selected(const struct ss_pe *pe)
{
	uint64_t sel = SS_GET(ERRSELR_SEL, pe->sr[SS_REG_ERRSELR_EL1]);
	return sel < pe->cfg.ras_records ? (struct ss_ras_record *)&pe->ras[sel] : NULL;
}

uint64_t ss_ras_erridr(const struct ss_pe *pe)
{
	return SS_PREP(ERRIDR_NUM, pe->cfg.ras_records);
}

uint64_t ss_ras_erx_value(const struct ss_pe *pe, enum ss_erx_field f)
{
	const struct ss_ras_record *r = selected(pe);
	if (!r)
		return 0;
	switch (f) {
	case SS_ERX_FR: return pe->cfg.ras_fr;
	case SS_ERX_CTLR: return r->ctlr;
	case SS_ERX_STATUS: return r->status;
	case SS_ERX_ADDR: return r->addr;
	case SS_ERX_MISC0: return r->misc[0];
	case SS_ERX_MISC1: return r->misc[1];
	case SS_ERX_MISC2: return r->misc[2];
	case SS_ERX_MISC3: return r->misc[3];
	case SS_ERX_PFGF:
		return SS_GET(ERRFR_INJ, pe->cfg.ras_fr) ? pe->cfg.ras_pfgf : 0;
	case SS_ERX_PFGCTL: return r->pfgctl;
	case SS_ERX_PFGCDN: {
		/* While counting, the count left (RAS spec ERR<n>PFGCDN). */
		unsigned n = (unsigned)(r - pe->ras);
		uint64_t end = ss_ras_countdown_expiry(pe, n);
		if (end == UINT64_MAX)
			return r->pfgcdn;
		return end > pe->cycle ? end - pe->cycle : 0;
	}
	default: return 0;
	}
}

/* An MSR to an ERX* register: what the record stores (returned, for the
 * trace and the register file's shadow). */
uint64_t ss_ras_erx_write(struct ss_pe *pe, enum ss_reg reg, enum ss_erx_field f, uint64_t v)
{
	struct ss_ras_record *r = selected(pe);
	if (!r)
		return 0;
	unsigned n = (unsigned)(r - pe->ras);
	/* The register file holds the record's value before the write, so
	 * that the trace of the MSR shows it as the old value. */
	pe->sr[reg] = ss_ras_erx_value(pe, f);
	v = ss_legalize(pe, reg, v);
	switch (f) {
	case SS_ERX_CTLR:
		r->ctlr = v & ss_ras_ctlr_writable(pe->cfg.ras_fr);
		return r->ctlr;
	case SS_ERX_STATUS:
		r->status = ss_ras_status_write(r->status, v);
		return r->status;
	case SS_ERX_ADDR: r->addr = v; return v;
	case SS_ERX_MISC0: r->misc[0] = v; return v;
	case SS_ERX_MISC1: r->misc[1] = v; return v;
	case SS_ERX_MISC2: r->misc[2] = v; return v;
	case SS_ERX_MISC3: r->misc[3] = v; return v;
	case SS_ERX_PFGCTL: {
		/* Without ERR<n>FR.INJ, ERR<n>PFGCTL is RES0; each field is
		 * RES0 unless ERR<n>PFGF says it can be set (CDNEN always). */
		if (!SS_GET(ERRFR_INJ, pe->cfg.ras_fr))
			return r->pfgctl = 0;
		v &= pe->cfg.ras_pfgf | SS_ERRPFGCTL_CDNEN_MASK;
		bool was = SS_GET(ERRPFGCTL_CDNEN, r->pfgctl);
		r->pfgctl = v;
		if (SS_GET(ERRPFGCTL_CDNEN, v) && !was)
			arm_countdown(pe, n);
		else if (!SS_GET(ERRPFGCTL_CDNEN, v))
			r->armed = false;
		return v;
	}
	case SS_ERX_PFGCDN:
		if (!SS_GET(ERRFR_INJ, pe->cfg.ras_fr))
			return 0;
		r->pfgcdn = v;
		return v;
	default: return 0;
	}
}
