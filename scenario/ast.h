/*
 * ast.h - the syntax tree of a scenario file, as the parser produces it.
 *
 * Plain data with a source position on every construct.  Nothing is resolved
 * here: names are text; the checker (resolve.c) and the assembler (asm.c)
 * give them meaning.  Every array has a fixed bound or grows on the heap;
 * scn_ast_free releases the heap parts.
 */
#ifndef SERRSIM_SCENARIO_AST_H
#define SERRSIM_SCENARIO_AST_H

/* Destination hosts in one scenario: [host NAME] sections plus inline
 * 'migrate knob=value' hosts (checked as the file is parsed). */
#define AST_MAX_HOSTS 16

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

#define AST_NAME 64		/* longest name (register, label, knob, ...) */
#define AST_TERMS 16		/* terms in one expression */
#define AST_OPERANDS 4		/* operands of one instruction */
#define AST_LABELS 4		/* labels on one line */
#define AST_OPTIONS 12		/* options of one event */
#define AST_VALUE 128		/* knob values and header texts */

struct ast_pos {
	unsigned line, col;
};

/* Names and texts live in one string pool (struct ast.str); a reference is
 * an offset into it. */
typedef uint32_t ast_str;

/* A term of an expression: a number or a name, with its sign. */
struct ast_term {
	struct ast_pos pos;
	bool neg;
	bool is_name;
	uint64_t num;
	ast_str name;
};

/* Terms joined by + and -; or '*' (don't care) where allowed.  The terms are
 * t[0..n-1] of the term pool starting at 'first'. */
struct ast_expr {
	struct ast_pos pos;
	bool star;
	uint32_t first, n;
	ast_str text;		/* as written, for reports */
};

/* Header line: key: value. */
struct ast_meta {
	struct ast_pos pos;
	char key[AST_NAME];
	char value[256];
};

/* [cpu] (host 0) or [host NAME] (host k >= 1): knob = value. */
struct ast_knob {
	struct ast_pos pos, vpos;
	char name[AST_NAME];
	char value[AST_VALUE];
	unsigned host;		/* 0: [cpu]; k: the k-th [host NAME] (ast.hosts.v[k-1]) */
};

/* [host NAME]: a destination host for 'migrate to NAME' (its knobs are
 * the ast_knob lines with host = its index + 1). */
struct ast_host {
	struct ast_pos pos;	/* of the name in the first header */
	char name[AST_NAME];
};

/* [init]: target = value. */
struct ast_init {
	struct ast_pos pos;
	ast_str target;
	struct ast_expr value;
};

/* An instruction operand: an expression, possibly with a leading '#'. */
struct ast_operand {
	struct ast_pos pos;
	bool hash;
	bool lbr, rbr;		/* '[' before it, ']' after it (a memory operand) */
	struct ast_expr e;
};

enum ast_code_kind { AST_CODE_NONE, AST_CODE_INSN, AST_CODE_ORG, AST_CODE_VECTOR,
		     AST_CODE_VECTOR_NAMED };

/* [code]: labels, then an instruction or a directive (or nothing). */
struct ast_code {
	struct ast_pos pos;
	unsigned nlabels;
	ast_str labels[AST_LABELS];
	struct ast_pos label_pos[AST_LABELS];
	enum ast_code_kind kind;
	ast_str mnemonic;		/* INSN */
	struct ast_pos mpos;
	unsigned nops;
	struct ast_operand ops[AST_OPERANDS];
	struct ast_expr where;		/* ORG, VECTOR */
	ast_str vec[3];			/* VECTOR_NAMED: ELn GROUP KIND */
	struct ast_pos vec_pos[3];
};

/* An event option: word, or name=value. */
struct ast_option {
	struct ast_pos pos;
	ast_str name;
	bool has_value;
	struct ast_expr value;
};

/* AST_EV_ERROR stays last: tables indexed by the kind are sized by it. */
enum ast_event_kind { AST_EV_SERROR, AST_EV_LOWER, AST_EV_VSERROR, AST_EV_SET, AST_EV_MIGRATE,
		      AST_EV_GET, AST_EV_IRQ, AST_EV_FIQ, AST_EV_SEA, AST_EV_ERROR };

/* [events]: at WHEN: serror|vserror|lower|irq|fiq|set_events|migrate options.
 * 'migrate to NAME ...' names a [host NAME] section in 'host'. */
struct ast_event {
	struct ast_pos pos;
	struct ast_expr when;
	enum ast_event_kind kind;
	struct ast_pos kpos;
	bool has_host;
	ast_str host;
	struct ast_pos host_pos;
	struct ast_expr lo, hi;		/* sea LO to HI */
	unsigned nopts;
	struct ast_option opts[AST_OPTIONS];
};

/* [memory]: LO to HI: options (the options and the position in ev; ev.when
 * is LO). */
struct ast_memory {
	struct ast_event ev;
	struct ast_expr hi;
};

enum ast_block_kind { AST_BLOCK_FINAL, AST_BLOCK_EXCEPTION, AST_BLOCK_CYCLE };

/*
 * A policy qualifier ([expect policy=NAME] or expect[policy=NAME]): the
 * expectation applies only when the run's 'knob' (merge or vinject) has one
 * of the values in 'mask' (bit i = the knob's i-th value).
 */
struct ast_policy {
	const struct ss_knob *knob;	/* NULL: applies under every policy */
	uint32_t mask;
	struct ast_pos pos;
};

/* One expectation line: LHS [at EXPR] (== | !=) RHS. */
struct ast_expect {
	struct ast_pos pos;
	enum ast_block_kind block;
	uint64_t block_arg;		/* K or N */
	struct ast_policy policy;
	ast_str lhs;
	struct ast_pos lhs_pos;
	bool has_at;
	struct ast_expr at;
	bool neq;
	struct ast_expr rhs;
	bool condition;			/* a line of [exists] or [forall] */
};

/* The final-state condition of a scenario (as herd7's 'exists'/'forall'). */
enum ast_quant { AST_QUANT_NONE, AST_QUANT_EXISTS, AST_QUANT_FORALL };

/* A growable array of one record type. */
#define AST_VEC(T) struct { T *v; size_t n, cap; }

struct ast {
	AST_VEC(struct ast_meta) meta;
	AST_VEC(struct ast_knob) knobs;
	AST_VEC(struct ast_host) hosts;
	AST_VEC(struct ast_init) init;
	AST_VEC(struct ast_code) code;
	AST_VEC(struct ast_event) events;
	AST_VEC(struct ast_memory) memory;
	AST_VEC(struct ast_expect) expects;
	AST_VEC(struct ast_term) terms;
	AST_VEC(char) str;
	struct ast_pos cpu_pos, init_pos;	/* first [cpu] / [init] header */
	bool has_cpu, has_init;
	unsigned nlines;
	enum ast_quant quant;			/* [exists] or [forall] given */
};

/* Parse text into *ast; errors go to *d.  Returns true when there were none. */
bool scn_ast_parse(const char *text, size_t len, struct ast *ast, struct ss_diags *d);

void scn_ast_free(struct ast *ast);

/* Parse one line of the section whose header is hdr (line hno) and append
 * its record to an AST filled by scn_ast_parse; true when there was no error. */
bool scn_ast_parse_line(struct ast *ast, const char *hdr, size_t hlen, unsigned hno,
			const char *line, size_t len, unsigned no, struct ss_diags *d);

/* The text of a pooled string. */
static inline const char *ast_s(const struct ast *ast, ast_str s)
{
	return ast->str.v + s;
}

/* Term i of an expression. */
static inline const struct ast_term *ast_t(const struct ast *ast, const struct ast_expr *e,
					   unsigned i)
{
	return &ast->terms.v[e->first + i];
}

/* Does a policy qualifier apply to a run with this configuration? */
bool scn_ast_policy_applies(const struct ast_policy *p, const struct ss_config *cfg);

/* The value of a header key, or NULL. */
const char *scn_ast_meta_get(const struct ast *ast, const char *key);

/* Parse a number (decimal, 0x, 0b, '_' separators) of exactly 'len'
 * characters.  Returns NULL on success, else a message. */
const char *scn_ast_parse_number(const char *s, size_t len, uint64_t *out);

#endif
