/*
 * scn.h - internal interfaces of the scenario library: the label table,
 * expression evaluation, name resolution (the checker), the assembler and
 * the state of one scenario between loading and running.
 */
#ifndef SERRSIM_SCENARIO_SCN_H
#define SERRSIM_SCENARIO_SCN_H

#include "ast.h"

/* --- labels ----------------------------------------------------------------- */

struct label {
	ast_str name;
	uint64_t addr;
	struct ast_pos pos;
};

struct labels {
	struct label *v;
	size_t n, cap;
	uint32_t *hash;		/* open addressing: index + 1, 0 = empty */
	size_t hcap;
};

void scn_labels_free(struct labels *l);
const struct label *scn_labels_find(const struct labels *l, const struct ast *ast, const char *name);
/* Define a label; false with *dup set when it exists, or on no memory. */
bool scn_labels_add(struct labels *l, const struct ast *ast, ast_str name, uint64_t addr,
		struct ast_pos pos, const struct label **dup);

/* --- expressions -------------------------------------------------------------- */

struct eval_ctx {
	const struct ast *ast;
	const struct labels *labels;	/* NULL: labels are not known yet */
	const uint64_t *sr;		/* register values for register terms */
	struct ss_diags *d;
	bool deferred;			/* out: a name could not be resolved yet */
	bool used_name;			/* out: a label or register appeared */
};

/* Evaluate (wrapping modulo 2^64).  False after reporting an error, or with
 * ctx->deferred set (and no error) when labels are NULL and a name is not a
 * register. */
bool scn_eval_expr(struct eval_ctx *ctx, const struct ast_expr *e, uint64_t *out);

/* True for an expression that is one bare name (no sign); its text in *name. */
bool scn_expr_is_name(const struct ast *ast, const struct ast_expr *e, const char **name);

/* --- names ---------------------------------------------------------------------- */

enum target_kind { TGT_SR, TGT_FIELD, TGT_X, TGT_PC, TGT_PSEUDO };

enum pseudo {
	PS_EXCEPTIONS, PS_EXCEPTIONS_AT, PS_STOP, PS_CYCLES,
	PS_LEDGER,		/* ledger.<disposition>: target.disp */
	/* [expect exception K] only: */
	PS_CAUSE, PS_VECTOR, PS_OFFSET, PS_FROM_EL, PS_TO_EL, PS_IESB, PS_ESR, PS_ELR, PS_SPSR,
	PS_EXC_CYCLE,
	PS_VMOPS,		/* number of SETs and migrations */
	PS_VMOP,		/* vmopK.<field>: target.vmop, target.vfield */
	PS_COUNT
};

/* The fields of vmopK.<field> (docs/scenario-format.md). */
enum vmop_field {
	VF_SET, VF_MIGRATION, VF_REFUSED, VF_ESR_DROPPED, VF_VMM, VF_CYCLE,
	VF_SAVED_PENDING, VF_SAVED_HAS_ESR, VF_SAVED_ESR,
	VF_SENT_PENDING, VF_SENT_HAS_ESR, VF_SENT_ESR,
	VF_GET, VF_GOT_PENDING, VF_GOT_HAS_ESR, VF_GOT_ESR, VF_GOT_EXT_DABT_PENDING,
	VF_SENT_EXT_DABT_PENDING, VF_ABORT_COMMITTED, VF_EVENTS_DROPPED,
	VF_MADE_UP, VF_ISS, VF_ENTERED_EL, VF_AT_EL2,
	VF_COUNT
};

struct target {
	enum target_kind kind;
	enum ss_reg reg;			/* SR, FIELD */
	const struct ss_field *field;		/* FIELD */
	unsigned x;				/* X */
	enum pseudo ps;				/* PSEUDO */
	enum ss_disposition disp;		/* PS_LEDGER */
	unsigned vmop;				/* PS_VMOP: K - 1 */
	enum vmop_field vfield;			/* PS_VMOP */
};

/* Number of ledger dispositions the model names. */
#define LEDGER_STATES SS_DISP_COUNT

/* Resolve an [init] target or an expectation LHS (pseudo-values allowed when
 * 'block' is not negative: the kind of [expect] block). */
bool scn_resolve_target(const struct ast *ast, ast_str name, struct ast_pos pos, int block,
		    struct target *t, struct ss_diags *d);

/* "set", "saved.esr", ... */
const char *scn_vmop_field_name(enum vmop_field f);

/* Text name of a target's value for reports ("ESR_EL1.EC"). */
const char *scn_pseudo_name(enum pseudo ps);

/* The layout to decode a target's value with, or NULL. */
const struct ss_layout *scn_target_layout(const struct target *t);

/*
 * Evaluate a value for a register or field target: an enumeration symbol of
 * the field, or an expression; checks the width.
 */
bool scn_eval_value(struct eval_ctx *ctx, const struct target *t, const struct ast_expr *e,
		const char *tname, uint64_t *out);

/* --- the assembler ----------------------------------------------------------------- */

struct program {
	struct labels labels;
	uint64_t *addr;			/* per code line (AST index) */
	struct ss_insn *insns;
	size_t n;
	struct ss_program prog;
	struct ss_dinsn *dec;		/* the program decoded for the fast engine */
};

/* Place the code and define the labels, with register values from sr. */
bool scn_asm_layout(const struct ast *ast, const uint64_t *sr, struct program *p, struct ss_diags *d);

/* Assemble the instructions (after scn_asm_layout); sorts and checks addresses. */
bool scn_asm_assemble(const struct ast *ast, const uint64_t *sr, struct program *p,
		  struct ss_diags *d);

void scn_program_free(struct program *p);

#endif
