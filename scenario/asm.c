/*
 * asm.c - the assembler of [code]: places instructions and labels (.org,
 * .vector), then turns each instruction line into a struct ss_insn, and
 * sorts the result by address.  Encoding limits (register numbers, immediate
 * widths) are checked here; what the instructions do is the model's business.
 */
#include "scn.h"
#include "vectors.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CODE_START 0x1000

void scn_program_free(struct program *p)
{
	scn_labels_free(&p->labels);
	free(p->addr);
	free(p->insns);
	free(p->dec);
	memset(p, 0, sizeof *p);
}

/* --- layout ----------------------------------------------------------------------- */

#define VEC_NAME(NAME, text, off) { text, off },
static const struct {
	const char *name;
	uint64_t off;
} vec_groups[] = { SS_VEC_GROUPS(VEC_NAME) }, vec_kinds[] = { SS_VEC_KINDS(VEC_NAME) };
#undef VEC_NAME

static bool lookup_off(const char *name, bool group, uint64_t *off)
{
	for (unsigned i = 0; i < 4; i++) {
		const char *n = group ? vec_groups[i].name : vec_kinds[i].name;
		if (strcasecmp(n, name) == 0) {
			*off = group ? vec_groups[i].off : vec_kinds[i].off;
			return true;
		}
	}
	return false;
}

/* .vector ELn GROUP KIND */
static bool named_vector(const struct ast *ast, const struct ast_code *c, const uint64_t *sr,
			 uint64_t *out, struct ss_diags *d)
{
	const char *el = ast_s(ast, c->vec[0]);
	char vbar[16];
	snprintf(vbar, sizeof vbar, "VBAR_%s", el);
	const struct ss_sysreg *r = strlen(el) == 3 ? ss_sysreg_by_name(vbar) : NULL;
	if (!r) {
		ss_diag_add(d, c->vec_pos[0].line, c->vec_pos[0].col,
			    "unknown exception level '%s' (expected EL1, EL2 or EL3)", el);
		return false;
	}
	uint64_t g, k;
	if (!lookup_off(ast_s(ast, c->vec[1]), true, &g)) {
		ss_diag_add(d, c->vec_pos[1].line, c->vec_pos[1].col,
			    "unknown vector group '%s' (expected curr_sp0, curr_spx, lower_a64 or "
			    "lower_a32)", ast_s(ast, c->vec[1]));
		return false;
	}
	if (!lookup_off(ast_s(ast, c->vec[2]), false, &k)) {
		ss_diag_add(d, c->vec_pos[2].line, c->vec_pos[2].col,
			    "unknown vector kind '%s' (expected sync, irq, fiq or serror)",
			    ast_s(ast, c->vec[2]));
		return false;
	}
	*out = sr[r->id] + g + k;
	return true;
}

static bool set_location(const struct ast *ast, const struct ast_code *c, const uint64_t *sr,
			 const struct labels *labels, uint64_t *loc, struct ss_diags *d)
{
	uint64_t v;
	if (c->kind == AST_CODE_VECTOR_NAMED) {
		if (!named_vector(ast, c, sr, &v, d))
			return false;
	} else {
		struct eval_ctx ec = { .ast = ast, .labels = labels, .sr = sr, .d = d };
		if (!scn_eval_expr(&ec, &c->where, &v))
			return false;
	}
	if (v & 3) {
		ss_diag_add(d, c->pos.line, c->pos.col, "address 0x%" PRIx64 " is not a multiple of 4", v);
		return false;
	}
	*loc = v;
	return true;
}

static bool define_labels(const struct ast *ast, const struct ast_code *c, uint64_t loc,
			  struct labels *labels, struct ss_diags *d)
{
	bool ok = true;
	for (unsigned j = 0; j < c->nlabels; j++) {
		const struct label *dup;
		if (scn_labels_add(labels, ast, c->labels[j], loc, c->label_pos[j], &dup))
			continue;
		ok = false;
		if (dup)
			ss_diag_add(d, c->label_pos[j].line, c->label_pos[j].col,
				    "duplicate label '%s' (first defined at line %u)",
				    ast_s(ast, c->labels[j]), dup->pos.line);
		else
			ss_diag_add(d, c->label_pos[j].line, c->label_pos[j].col, "out of memory");
	}
	return ok;
}

bool scn_asm_layout(const struct ast *ast, const uint64_t *sr, struct program *p, struct ss_diags *d)
{
	size_t before = d->n;
	uint64_t loc = CODE_START;
	p->addr = calloc(ast->code.n ? ast->code.n : 1, sizeof *p->addr);
	if (!p->addr) {
		ss_diag_add(d, 0, 0, "out of memory");
		return false;
	}
	for (size_t i = 0; i < ast->code.n; i++) {
		const struct ast_code *c = &ast->code.v[i];
		/* Labels on a directive line name the new location. */
		if (c->kind != AST_CODE_NONE && c->kind != AST_CODE_INSN &&
		    !set_location(ast, c, sr, &p->labels, &loc, d))
			continue;
		define_labels(ast, c, loc, &p->labels, d);
		p->addr[i] = loc;
		if (c->kind == AST_CODE_INSN) {
			if (loc > UINT64_MAX - 4) {
				ss_diag_add(d, c->pos.line, c->pos.col, "code runs past the end of memory");
				return false;
			}
			loc += 4;
		}
	}
	return d->n == before;
}

/* --- operands ------------------------------------------------------------------------ */

struct asm_ctx {
	const struct ast *ast;
	const struct ast_code *c;
	const struct labels *labels;
	const uint64_t *sr;
	struct ss_diags *d;
	const char *mn;		/* mnemonic, lower case */
};

static void op_error(struct asm_ctx *a, const struct ast_operand *op, const char *fmt, const char *s)
{
	ss_diag_add(a->d, op->pos.line, op->pos.col, fmt, s, a->mn);
}

/* Looks like a register name: x<digits>, w<digits>, xzr, wzr, sp. */
static bool looks_like_reg(const char *s)
{
	if (strcasecmp(s, "xzr") == 0 || strcasecmp(s, "wzr") == 0 || strcasecmp(s, "sp") == 0)
		return true;
	if ((s[0] != 'x' && s[0] != 'X' && s[0] != 'w' && s[0] != 'W') || !s[1])
		return false;
	for (const char *p = s + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

static bool is_reg_operand(struct asm_ctx *a, const struct ast_operand *op)
{
	const char *name;
	return !op->hash && scn_expr_is_name(a->ast, &op->e, &name) && looks_like_reg(name);
}

/* Xn or XZR. */
static bool get_reg(struct asm_ctx *a, const struct ast_operand *op, uint8_t *r)
{
	const char *name;
	if (op->hash || !scn_expr_is_name(a->ast, &op->e, &name) || !looks_like_reg(name)) {
		op_error(a, op, "expected a register X0..X30 or XZR, found '%s' (in '%s')",
			 ast_s(a->ast, op->e.text));
		return false;
	}
	if (strcasecmp(name, "xzr") == 0) {
		*r = SS_NO_REG;
		return true;
	}
	if (name[0] != 'x' && name[0] != 'X') {
		op_error(a, op, "register '%s' is not supported by '%s' (only X0..X30 and XZR)", name);
		return false;
	}
	unsigned n = 0;
	for (const char *p = name + 1; *p && n < 100; p++)
		n = n * 10 + (unsigned)(*p - '0');
	if (n > 30) {
		op_error(a, op, "register '%s' out of range in '%s' (X0..X30 or XZR)", name);
		return false;
	}
	*r = (uint8_t)n;
	return true;
}

/* An immediate or address expression (with or without '#'). */
static bool get_value(struct asm_ctx *a, const struct ast_operand *op, uint64_t *v)
{
	if (is_reg_operand(a, op)) {
		op_error(a, op, "expected an immediate, found register '%s' (in '%s')",
			 ast_s(a->ast, op->e.text));
		return false;
	}
	struct eval_ctx ec = { .ast = a->ast, .labels = a->labels, .sr = a->sr, .d = a->d };
	return scn_eval_expr(&ec, &op->e, v);
}

static bool get_imm(struct asm_ctx *a, const struct ast_operand *op, uint64_t max, uint64_t *v)
{
	if (!get_value(a, op, v))
		return false;
	if (*v > max) {
		ss_diag_add(a->d, op->pos.line, op->pos.col,
			    "immediate 0x%" PRIx64 " too wide for '%s' (at most 0x%" PRIx64 ")", *v,
			    a->mn, max);
		return false;
	}
	return true;
}

static bool get_target(struct asm_ctx *a, const struct ast_operand *op, uint64_t *v)
{
	if (!get_value(a, op, v))
		return false;
	if (*v & 3) {
		ss_diag_add(a->d, op->pos.line, op->pos.col,
			    "branch target 0x%" PRIx64 " is not a multiple of 4", *v);
		return false;
	}
	return true;
}

static bool get_sysreg(struct asm_ctx *a, const struct ast_operand *op, enum ss_reg *r)
{
	const char *name;
	if (op->hash || !scn_expr_is_name(a->ast, &op->e, &name)) {
		op_error(a, op, "expected a system register, found '%s' (in '%s')",
			 ast_s(a->ast, op->e.text));
		return false;
	}
	const struct ss_sysreg *sr = ss_sysreg_by_name(name);
	if (!sr || !sr->has_enc) {
		op_error(a, op, "unknown system register '%s' (in '%s')", name);
		return false;
	}
	*r = sr->id;
	return true;
}

/* --- instruction forms ------------------------------------------------------------------- */

/* Operands the assembler reads for each form of isa.def (one less for a
 * ZR_ALIAS, which has no Xd). */
static const unsigned form_nops[SS_FORM_COUNT] = {
	[SS_FORM_NONE] = 0,	     [SS_FORM_STOP] = 0,	 [SS_FORM_BARRIER] = 1,
	[SS_FORM_IMM16] = 1,	     [SS_FORM_SREG_READ] = 2,	 [SS_FORM_SREG_WRITE] = 2,
	[SS_FORM_DAIF_IMM] = 2,	     [SS_FORM_SPSEL_IMM] = 2,	 [SS_FORM_LABEL] = 1,
	[SS_FORM_COND_LABEL] = 1,    [SS_FORM_REG_LABEL] = 2,	 [SS_FORM_REG_BIT_LABEL] = 3,
	[SS_FORM_RD_IMM] = 2,	     [SS_FORM_RD_RM] = 2,	 [SS_FORM_RD_RN_IMM] = 3,
	[SS_FORM_RD_RN_LOGIMM] = 3,  [SS_FORM_RD_RN_RM] = 3,	 [SS_FORM_UBFX] = 4,
	[SS_FORM_MEM] = 3,
};

static enum ss_form form_of(enum ss_op op)
{
	return ss_insn_info(op)->form;
}

/* The rows of isa.def an assembler mnemonic stands for. */
struct mnemonic {
	enum ss_op op;		/* the first row */
	enum ss_op op_reg;	/* the row taking a register last operand, else op */
	bool alias;		/* the ZR_ALIAS of the rows: Xd is XZR */
	unsigned nops;
};

static const struct {
	const char *name;
	enum ss_cc cond;
} conds[] = { { "eq", SS_EQ }, { "ne", SS_NE }, { "cs", SS_CS }, { "hs", SS_CS },
	      { "cc", SS_CC }, { "lo", SS_CC }, { "mi", SS_MI }, { "pl", SS_PL },
	      { "vs", SS_VS }, { "vc", SS_VC }, { "hi", SS_HI }, { "ls", SS_LS },
	      { "ge", SS_GE }, { "lt", SS_LT }, { "gt", SS_GT }, { "le", SS_LE },
	      { "al", SS_AL } };

/* A COND_LABEL row "b.cond" reads "b." followed by a condition. */
static bool find_cond_mnemonic(const char *s, const char *dot, struct mnemonic *m,
			       enum ss_cc *cond)
{
	size_t n = (size_t)(dot - s) + 1;
	for (unsigned op = 0; op < SS_OP_COUNT; op++) {
		const struct ss_insn_info *r = ss_insn_info((enum ss_op)op);
		const char *rdot = strchr(r->mnemonic, '.');
		if (r->form != SS_FORM_COND_LABEL || !rdot || (size_t)(rdot - r->mnemonic) + 1 != n ||
		    strncasecmp(r->mnemonic, s, n) != 0)
			continue;
		for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++)
			if (strcasecmp(conds[i].name, s + n) == 0) {
				*cond = conds[i].cond;
				*m = (struct mnemonic){ (enum ss_op)op, (enum ss_op)op, false,
							form_nops[r->form] };
				return true;
			}
		return false;
	}
	return false;
}

static bool find_mnemonic(const char *s, struct mnemonic *m, enum ss_cc *cond)
{
	const char *dot = strchr(s, '.');
	if (dot)
		return find_cond_mnemonic(s, dot, m, cond);
	bool found = false;
	for (unsigned op = 0; op < SS_OP_COUNT; op++) {
		const struct ss_insn_info *r = ss_insn_info((enum ss_op)op);
		bool alias = r->zr_alias && strcasecmp(r->zr_alias, s) == 0;
		if (!alias && strcasecmp(r->mnemonic, s) != 0)
			continue;
		if (!found) {
			*m = (struct mnemonic){ (enum ss_op)op, (enum ss_op)op, alias,
						form_nops[r->form] - alias };
			found = true;
		} else if (r->form == SS_FORM_RD_RM || r->form == SS_FORM_RD_RN_RM) {
			m->op_reg = (enum ss_op)op;
		}
	}
	return found;
}

/* A row "msr daifset" is "msr" with the fixed first operand "daifset". */
static bool find_fixed_operand(struct asm_ctx *a, enum ss_op base, enum ss_op *op)
{
	const char *name, *mn = ss_insn_info(base)->mnemonic;
	size_t n = strlen(mn);
	if (a->c->ops[0].hash || !scn_expr_is_name(a->ast, &a->c->ops[0].e, &name))
		return false;
	for (unsigned i = 0; i < SS_OP_COUNT; i++) {
		const char *r = ss_insn_info((enum ss_op)i)->mnemonic;
		if (strncasecmp(r, mn, n) == 0 && r[n] == ' ' && strcasecmp(r + n + 1, name) == 0) {
			*op = (enum ss_op)i;
			return true;
		}
	}
	return false;
}

/* The row an instruction line is: the register row when its last operand
 * is a register, a fixed-operand row when its first operand names one and
 * an immediate follows. */
static bool choose_row(struct asm_ctx *a, const struct mnemonic *m, enum ss_op *op)
{
	const struct ast_operand *o = a->c->ops;
	enum ss_op fixed;
	*op = m->op;
	if (m->op_reg != m->op && is_reg_operand(a, &o[m->nops - 1]))
		*op = m->op_reg;
	if (m->nops == 2 && find_fixed_operand(a, m->op, &fixed)) {
		if (o[1].hash) {
			*op = fixed;
		} else if (form_of(fixed) == SS_FORM_DAIF_IMM) {
			op_error(a, &o[1], "expected an immediate #imm4, found '%s' (in '%s')",
				 ast_s(a->ast, o[1].e.text));
			return false;
		}
	}
	return true;
}

static bool form_ubfx(struct asm_ctx *a, struct ss_insn *in)
{
	const struct ast_operand *o = a->c->ops;
	uint64_t lsb, width;
	if (!get_reg(a, &o[0], &in->rd) || !get_reg(a, &o[1], &in->rn) ||
	    !get_imm(a, &o[2], 63, &lsb) || !get_imm(a, &o[3], 64, &width))
		return false;
	if (width == 0 || lsb + width > 64) {
		ss_diag_add(a->d, o[3].pos.line, o[3].pos.col,
			    "bit field #%" PRIu64 ", #%" PRIu64 " does not fit in 64 bits", lsb, width);
		return false;
	}
	in->lsb = (uint8_t)lsb;
	in->width = (uint8_t)width;
	return true;
}

/* MEM: Xt, [Xn] or Xt, [Xn, #imm] (an unsigned byte offset); Xn is X0..X30
 * (register 31 is SP there, which the model does not have). */
static bool form_mem(struct asm_ctx *a, struct ss_insn *in)
{
	const struct ast_operand *o = a->c->ops;
	bool two = a->c->nops == 2;
	if (!get_reg(a, &o[0], &in->rd))
		return false;
	if (!o[1].lbr || (two ? !o[1].rbr : o[1].rbr || o[2].lbr || !o[2].rbr)) {
		op_error(a, &o[1], "expected a memory operand [Xn] or [Xn, #imm], found '%s' (in '%s')",
			 ast_s(a->ast, o[1].e.text));
		return false;
	}
	if (!get_reg(a, &o[1], &in->rn))
		return false;
	if (in->rn == SS_NO_REG) {
		op_error(a, &o[1], "base register '%s' is not supported by '%s' (X0..X30)",
			 ast_s(a->ast, o[1].e.text));
		return false;
	}
	in->imm = 0;
	return two || get_value(a, &o[2], &in->imm);
}

static bool assemble_form(struct asm_ctx *a, const struct mnemonic *m, struct ss_insn *in)
{
	const struct ast_operand *o = a->c->ops;
	const char *name;
	unsigned k = 0;
	if (!choose_row(a, m, &in->op))
		return false;
	enum ss_form form = form_of(in->op);
	switch (form) {
	case SS_FORM_NONE:
	case SS_FORM_STOP:
		return true;
	case SS_FORM_BARRIER:
		if (!o[0].hash && scn_expr_is_name(a->ast, &o[0].e, &name) && strcasecmp(name, "sy") == 0)
			return true;
		op_error(a, &o[0], "unsupported barrier option '%s' for '%s' (expected sy)",
			 ast_s(a->ast, o[0].e.text));
		return false;
	case SS_FORM_IMM16:
		return get_imm(a, &o[0], 0xffff, &in->imm);
	case SS_FORM_SREG_READ:
		return get_reg(a, &o[0], &in->rd) && get_sysreg(a, &o[1], &in->sreg);
	case SS_FORM_SREG_WRITE:
		return get_sysreg(a, &o[0], &in->sreg) && get_reg(a, &o[1], &in->rn);
	case SS_FORM_DAIF_IMM:
		return get_imm(a, &o[1], 0xf, &in->imm);
	case SS_FORM_SPSEL_IMM:
		return get_imm(a, &o[1], 1, &in->imm);
	case SS_FORM_LABEL:
	case SS_FORM_COND_LABEL:
		return get_target(a, &o[0], &in->target);
	case SS_FORM_REG_LABEL:
		return get_reg(a, &o[0], &in->rn) && get_target(a, &o[1], &in->target);
	case SS_FORM_REG_BIT_LABEL:
		return get_reg(a, &o[0], &in->rn) && get_imm(a, &o[1], 63, &in->imm) &&
		       get_target(a, &o[2], &in->target);
	case SS_FORM_RD_IMM:
		return get_reg(a, &o[0], &in->rd) && get_value(a, &o[1], &in->imm);
	case SS_FORM_RD_RM:
		return get_reg(a, &o[0], &in->rd) && get_reg(a, &o[1], &in->rm);
	case SS_FORM_RD_RN_IMM:
	case SS_FORM_RD_RN_LOGIMM:
	case SS_FORM_RD_RN_RM:
		if (!m->alias && !get_reg(a, &o[k++], &in->rd))
			return false;
		if (!get_reg(a, &o[k++], &in->rn))
			return false;
		if (form == SS_FORM_RD_RN_RM)
			return get_reg(a, &o[k], &in->rm);
		return get_value(a, &o[k], &in->imm);
	case SS_FORM_UBFX:
		return form_ubfx(a, in);
	case SS_FORM_MEM:
		return form_mem(a, in);
	case SS_FORM_COUNT:
		break;
	}
	return false;
}

static bool assemble_one(struct asm_ctx *a, uint64_t addr, struct ss_insn *in)
{
	const struct ast_code *c = a->c;
	char mn[AST_NAME];
	snprintf(mn, sizeof mn, "%s", ast_s(a->ast, c->mnemonic));
	for (char *p = mn; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	a->mn = mn;
	enum ss_cc cond = SS_AL;
	struct mnemonic mm = { SS_OP_NOP, SS_OP_NOP, false, 0 };
	const struct mnemonic *m = find_mnemonic(mn, &mm, &cond) ? &mm : NULL;
	if (!m) {
		ss_diag_add(a->d, c->mpos.line, c->mpos.col, "unknown instruction '%s'",
			    ast_s(a->ast, c->mnemonic));
		return false;
	}
	bool mem = form_of(m->op) == SS_FORM_MEM;
	for (unsigned k = 0; k < c->nops && !mem; k++) {
		if (c->ops[k].lbr || c->ops[k].rbr) {
			op_error(a, &c->ops[k], "unexpected '[' or ']' around '%s' (in '%s')",
				 ast_s(a->ast, c->ops[k].e.text));
			return false;
		}
	}
	if (c->nops != m->nops && !(mem && c->nops == 2)) {
		unsigned col = c->nops > m->nops ? c->ops[m->nops].pos.col : c->mpos.col;
		ss_diag_add(a->d, c->pos.line, col, "'%s' takes %u operand%s, found %u", mn, m->nops,
			    m->nops == 1 ? "" : "s", c->nops);
		return false;
	}
	memset(in, 0, sizeof *in);
	in->addr = addr;
	in->rd = in->rn = in->rm = SS_NO_REG;
	in->cond = (uint8_t)cond;
	in->src_line = c->pos.line;
	return assemble_form(a, m, in);
}

static int cmp_insn(const void *x, const void *y)
{
	const struct ss_insn *a = x, *b = y;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->src_line < b->src_line ? -1 : a->src_line > b->src_line;
}

static bool check_overlaps(struct program *p, struct ss_diags *d)
{
	bool ok = true;
	for (size_t i = 1; i < p->n; i++) {
		const struct ss_insn *a = &p->insns[i - 1], *b = &p->insns[i];
		if (a->addr != b->addr)
			continue;
		ss_diag_add(d, b->src_line, 1, "two instructions at address 0x%" PRIx64 " (lines %u and %u)",
			    b->addr, a->src_line, b->src_line);
		ok = false;
	}
	return ok;
}

bool scn_asm_assemble(const struct ast *ast, const uint64_t *sr, struct program *p,
		  struct ss_diags *d)
{
	size_t count = 0, before = d->n;
	for (size_t i = 0; i < ast->code.n; i++)
		count += ast->code.v[i].kind == AST_CODE_INSN;
	p->insns = calloc(count ? count : 1, sizeof *p->insns);
	if (!p->insns) {
		ss_diag_add(d, 0, 0, "out of memory");
		return false;
	}
	struct asm_ctx a = { .ast = ast, .labels = &p->labels, .sr = sr, .d = d };
	for (size_t i = 0; i < ast->code.n; i++) {
		a.c = &ast->code.v[i];
		if (a.c->kind == AST_CODE_INSN && assemble_one(&a, p->addr[i], &p->insns[p->n]))
			p->n++;
	}
	if (d->n != before)
		return false;
	qsort(p->insns, p->n, sizeof *p->insns, cmp_insn);
	if (!check_overlaps(p, d))
		return false;
	p->prog.insns = p->insns;
	p->prog.n = p->n;
	return true;
}
