/* world.c - the PE fixture shared by the model suites. */
#include "world.h"

#include <stdlib.h>
#include <string.h>

struct world *W;

static void notify(void *ctx, const struct ss_pe *pe, const struct ss_trace *t)
{
	struct rec *r = ctx;
	(void)pe;
	switch (t->kind) {
	case SS_TR_EXCEPTION:
		if (r->nexc < W_MAX_REC && t->exc)
			r->exc[r->nexc] = *t->exc;
		r->nexc++;
		break;
	case SS_TR_DEFER:
		if (r->ndefer < W_MAX_REC) {
			r->defer[r->ndefer].reg = t->reg;
			r->defer[r->ndefer].value = t->value;
		}
		r->ndefer++;
		break;
	case SS_TR_ERET:
		if (r->neret < W_MAX_REC) {
			r->eret[r->neret].from = t->from_el;
			r->eret[r->neret].to = t->to_el;
			r->eret[r->neret].addr = t->addr;
			r->eret[r->neret].illegal = t->illegal;
		}
		r->neret++;
		break;
	case SS_TR_INSN:
		r->ninsn++;
		break;
	case SS_TR_SYSREG:
		r->nsysreg++;
		break;
	default:
		break;
	}
}

void w_default_config(struct ss_config *cfg)
{
	ss_config_default(cfg);
	cfg->el3 = true;
	cfg->el2 = true;
	cfg->secure = false;
	cfg->sel2 = false;
	cfg->ras = true;
	cfg->iesb = true;
	cfg->double_fault = false;
	cfg->timing.propagation = 0;
}

void world_setup(void)
{
	W = calloc(1, sizeof *W);
	ck_assert_msg(W != NULL, "calloc world");
	W->pe = calloc(1, sizeof *W->pe);
	ck_assert_msg(W->pe != NULL, "calloc pe");
	W->obs.notify = notify;
	W->obs.ctx = &W->rec;
	w_default_config(&W->cfg);
	w_reset(NULL);
}

void world_teardown(void)
{
	if (W) {
		free(W->pe);
		free(W);
		W = NULL;
	}
}

TCase *world_tcase(const char *name)
{
	TCase *tc = unit_tcase(name);
	tcase_add_checked_fixture(tc, world_setup, world_teardown);
	return tc;
}

void w_reset(const struct ss_config *cfg)
{
	if (cfg)
		W->cfg = *cfg;
	ss_pe_reset(W->pe, &W->cfg);
	W->ncode = 0;
	memset(&W->rec, 0, sizeof W->rec);
	W->prog.insns = W->code;
	W->prog.n = 0;
}

struct ss_insn *w_insn(uint64_t addr, enum ss_op op)
{
	ck_assert_msg(W->ncode < W_MAX_CODE, "program too long");
	for (size_t i = 0; i < W->ncode; i++)
		if (W->code[i].addr == addr) {
			struct ss_insn *in = &W->code[i];
			memset(in, 0, sizeof *in);
			in->addr = addr;
			in->op = op;
			in->rd = in->rn = in->rm = SS_NO_REG;
			return in;
		}
	struct ss_insn *in = &W->code[W->ncode++];
	memset(in, 0, sizeof *in);
	in->addr = addr;
	in->op = op;
	in->rd = in->rn = in->rm = SS_NO_REG;
	return in;
}

uint64_t w_vbar(unsigned el)
{
	return el == 1 ? W->pe->sr[SS_REG_VBAR_EL1] : el == 2 ? W->pe->sr[SS_REG_VBAR_EL2] : W->pe->sr[SS_REG_VBAR_EL3];
}

void w_vectors_end(void)
{
	for (unsigned el = 1; el <= 3; el++)
		for (uint64_t off = 0; off < 0x800; off += 0x80)
			w_insn(w_vbar(el) + off, SS_OP_END);
}

static int by_addr(const void *a, const void *b)
{
	const struct ss_insn *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void w_load(uint64_t pc)
{
	qsort(W->code, W->ncode, sizeof W->code[0], by_addr);
	W->prog.insns = W->code;
	W->prog.n = W->ncode;
	ss_pe_set_program(W->pe, &W->prog);
	W->pe->pc = pc;
}

void w_nop_program(void)
{
	w_insn(CODE, SS_OP_NOP);
	w_insn(CODE + 4, SS_OP_NOP);
	w_insn(CODE + 8, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
}

void w_set_el(unsigned el, unsigned sp)
{
	SETF(PSTATE, PSTATE_EL, el);
	SETF(PSTATE, PSTATE_SP, sp);
}

void w_set_a(unsigned a)
{
	SETF(PSTATE, PSTATE_A, a);
}

int w_raise(uint32_t iss, enum ss_trigger trig, bool sync, unsigned line)
{
	return ss_raise_serror(W->pe, iss, trig, sync, line, &W->obs);
}

enum ss_stop w_step(void)
{
	return ss_step(W->pe, &W->obs);
}
