/*
 * isa.h - the instruction set as data: enum ss_op and the description of
 * each operation, all from the rows of isa.def.
 */
#ifndef SERRSIM_ISA_H
#define SERRSIM_ISA_H

#include <stddef.h>

#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ss_op {
#define SS_INSN(NAME, MNEMONIC, ICLASS, FORM, ALU, A64, ZR_ALIAS, A64_NEG) SS_OP_##NAME,
#include "isa.def"
#undef SS_INSN
	SS_OP_COUNT
};

/* Operand forms (the FORM column of isa.def). */
enum ss_form {
	SS_FORM_NONE, SS_FORM_STOP, SS_FORM_BARRIER, SS_FORM_IMM16, SS_FORM_SREG_READ,
	SS_FORM_SREG_WRITE, SS_FORM_DAIF_IMM, SS_FORM_SPSEL_IMM, SS_FORM_LABEL,
	SS_FORM_COND_LABEL, SS_FORM_REG_LABEL, SS_FORM_REG_BIT_LABEL, SS_FORM_RD_IMM,
	SS_FORM_RD_RM, SS_FORM_RD_RN_IMM, SS_FORM_RD_RN_LOGIMM, SS_FORM_RD_RN_RM, SS_FORM_UBFX,
	SS_FORM_MEM, SS_FORM_COUNT
};

/* The data-processing operation of the RD_RN_* forms (the ALU column). */
enum ss_alu { SS_ALU_NONE, SS_ALU_ADD, SS_ALU_SUB, SS_ALU_SUBS, SS_ALU_AND, SS_ALU_ORR, SS_ALU_EOR,
	       SS_ALU_BIC };

/* One row of isa.def. */
struct ss_insn_info {
	const char *mnemonic;
	enum ss_iclass cls;
	enum ss_form form;
	enum ss_alu alu;
	const char *a64;	/* GNU assembler mnemonic, or NULL */
	const char *zr_alias;	/* alias when Xd is XZR, or NULL */
	const char *a64_neg;	/* RD_RN_IMM: mnemonic for the negated immediate */
};

/* The row of an operation, or NULL for an operation outside enum ss_op. */
const struct ss_insn_info *ss_insn_info(enum ss_op op);

#ifdef __cplusplus
}
#endif

#endif
