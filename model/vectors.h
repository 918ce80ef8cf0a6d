/*
 * vectors.h - offsets in an AArch64 exception vector table: an exception
 * enters at VBAR_ELx + group + kind (AArch64.TakeException, vect_offset).
 */
#ifndef SERRSIM_VECTORS_H
#define SERRSIM_VECTORS_H

/* SS_VEC_GROUPS(X): X(NAME, text, offset), the four groups of a table. */
#define SS_VEC_GROUPS(X)                                                                         \
	X(CURR_SP0, "curr_sp0", 0x000u)		/* current EL with SP_EL0 */                    \
	X(CURR_SPX, "curr_spx", 0x200u)		/* current EL with SP_ELx */                    \
	X(LOWER_A64, "lower_a64", 0x400u)	/* lower EL using AArch64 */                    \
	X(LOWER_A32, "lower_a32", 0x600u)	/* lower EL using AArch32 */

/* SS_VEC_KINDS(X): X(NAME, text, offset), the entries of a group. */
#define SS_VEC_KINDS(X)                                                                          \
	X(SYNC, "sync", 0x000u)                                                                  \
	X(IRQ, "irq", 0x080u)                                                                    \
	X(FIQ, "fiq", 0x100u)                                                                    \
	X(SERROR, "serror", 0x180u)

enum {
#define SS_VEC_OFFSET_(NAME, text, off) SS_VEC_##NAME = off,
	SS_VEC_GROUPS(SS_VEC_OFFSET_) SS_VEC_KINDS(SS_VEC_OFFSET_)
#undef SS_VEC_OFFSET_
	SS_VEC_ENTRY_SIZE = 0x080u,	/* bytes per entry: 16 entries of 32 instructions */
	SS_VEC_TABLE_SIZE = 0x800u	/* bytes per table; VBAR_ELx is 2 KiB aligned */
};

#endif
