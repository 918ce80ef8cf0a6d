/*
 * hyp.c - the hosts, the host events and the driver loop (see hyp.h).
 * Pure: no I/O.
 */
#include "hyp.h"

#include <stddef.h>
#include <string.h>

void ss_hyp_init(struct ss_hyp *h, const struct ss_config *cfg)
{
	/* All but the host events (about 100 KB), read only below nev. */
	memset(h, 0, offsetof(struct ss_hyp, ev));
	memset(&h->nev, 0, sizeof *h - offsetof(struct ss_hyp, nev));
	h->hosts[0].cfg = *cfg;
	h->nhosts = 1;
	h->el2_cond = -1;
}

static void copy_name(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;
	if (n >= SS_HYP_HOST_NAME)
		n = SS_HYP_HOST_NAME - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

struct ss_host *ss_hyp_add_host(struct ss_hyp *h, const char *name, const struct ss_config *cfg)
{
	if (h->nhosts >= SS_HYP_MAX_HOSTS)
		return NULL;
	struct ss_host *host = &h->hosts[h->nhosts++];
	copy_name(host->name, name);
	host->cfg = *cfg;
	return host;
}

int ss_hyp_host_index(const struct ss_hyp *h, const struct ss_host *host)
{
	if (host < h->hosts || host >= h->hosts + h->nhosts)
		return -1;
	return (int)(host - h->hosts);
}

const struct ss_host *ss_hyp_host(const struct ss_hyp *h, int i)
{
	return i >= 0 && (uint32_t)i < h->nhosts ? &h->hosts[i] : NULL;
}

const struct ss_host *ss_hyp_current(const struct ss_hyp *h)
{
	return &h->hosts[h->cur];
}

int ss_hyp_add_event(struct ss_hyp *h, const struct ss_host_event *ev)
{
	if (h->nev >= SS_HYP_MAX_EVENTS)
		return -1;
	h->ev[h->nev] = *ev;
	return (int)h->nev++;
}

const struct ss_host_event *ss_hyp_event(const struct ss_hyp *h, uint32_t tag)
{
	return tag < h->nev ? &h->ev[tag] : NULL;
}

const struct ss_vmop *ss_hyp_ops(const struct ss_hyp *h, uint32_t *n)
{
	*n = h->nops;
	return h->ops;
}

/* Record an operation with what caused it, then report it. */
static void record(struct ss_hyp *h, const struct ss_pe *pe, struct ss_vmop *op,
		   const struct ss_observer *obs)
{
	const struct ss_vmop *rec = op;
	if (h->nops < SS_MAX_VMOPS) {
		h->ops[h->nops] = *op;
		rec = &h->ops[h->nops++];
	}
	if (obs && obs->notify) {
		struct ss_trace t = { .kind = SS_TR_VMOP, .cycle = pe->cycle, .vmop = rec };
		obs->notify(obs->ctx, pe, &t);
	}
}

void ss_hyp_handle_exit(struct ss_hyp *h, struct ss_pe *pe, const struct ss_observer *obs)
{
	if (!pe->exit.due)
		return;
	uint32_t tag = pe->exit.tag;
	const struct ss_host_event *ev = ss_hyp_event(h, tag);
	if (!ev)
		return;
	struct ss_vmop op;
	switch (ev->op) {
	case SS_HOST_VSERROR:
		ss_inject_vserror(pe, ev->iss, obs);
		return;
	case SS_HOST_SET:
		ss_kvm_set_op(pe, &ev->vev, &op, obs);
		op.dst_host = (int)h->cur;
		break;
	case SS_HOST_GET:
		ss_kvm_get_op(pe, &op, obs);
		op.dst_host = (int)h->cur;
		break;
	case SS_HOST_MIGRATE:
		if (!ss_hyp_host(h, ev->dst))
			return;
		if (pe->cfg.ras)
			h->guest_disr = ss_sysreg_value(pe, SS_REG_VDISR_EL2);
		ss_migrate_carry(pe, &h->hosts[ev->dst].cfg, ev->vmm, h->guest_disr, &op, obs);
		op.dst_host = ev->dst;
		break;
	default:
		return;
	}
	op.tag = tag;
	op.line = ev->line;
	op.src_host = (int)h->cur;
	/* KVM holds a vSError for a guest hypervisor at EL2 that its routing
	 * does not deliver there (Linux v6.17 arch/arm64/kvm/inject_fault.c
	 * kvm_inject_serror_esr, NESTED_SERROR_PENDING, delivered by
	 * arch/arm64/kvm/nested.c kvm_nested_flush_hwstate when it becomes
	 * deliverable); here it is the PE's HCR_EL2.VSE, never taken at EL2. */
	if (op.at_el2 && op.set == SS_SET_OK && !op.entered_el && op.cond_after >= 0 &&
	    op.cond_after == ss_pending_virtual_condition(pe))
		h->el2_cond = op.cond_after;
	if (!op.refused)
		h->cur = (uint32_t)op.dst_host;
	record(h, pe, &op, obs);
}

void ss_hyp_finish(struct ss_hyp *h, struct ss_pe *pe)
{
	ss_settle_unread_deferral(pe);
	if (h->el2_cond >= 0 && h->el2_cond == ss_pending_virtual_condition(pe) &&
	    (ss_pe_el(pe) >= 2 || !ss_virtual_serror_enabled(pe)))
		ss_lose_condition(pe, h->el2_cond, SS_LOST_AT_EL2);
	h->el2_cond = -1;
}

enum ss_stop ss_hyp_run(struct ss_hyp *h, struct ss_pe *pe, const struct ss_observer *obs)
{
	for (;;) {
		enum ss_stop s = ss_run(pe, obs);
		if (!pe->exit.due)
			return s;
		ss_hyp_handle_exit(h, pe, obs);
	}
}

enum ss_stop ss_hyp_run_until(struct ss_hyp *h, struct ss_pe *pe,
			      const struct ss_observer *obs, uint64_t until)
{
	for (;;) {
		enum ss_stop s = ss_run_until(pe, obs, until);
		if (!pe->exit.due)
			return s;
		ss_hyp_handle_exit(h, pe, obs);
	}
}
