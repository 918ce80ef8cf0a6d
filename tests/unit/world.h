/*
 * world.h - a PE under test: configuration, program, observer record.
 *
 * The PE is large (~110 KB): it is allocated once per test by the checked
 * fixture world_setup(), never on the stack.
 */
#ifndef SERRSIM_TEST_WORLD_H
#define SERRSIM_TEST_WORLD_H

#include "pe.h"
#include "unit.h"

#define W_MAX_CODE 512
#define W_MAX_REC 32

/* Addresses used by the tests. */
#define CODE 0x1000u	/* test code */
#define VBAR1 UINT64_C(0x10000)	/* reset VBAR_ELx (sysregs.txt) */
#define VBAR2 UINT64_C(0x20000)
#define VBAR3 UINT64_C(0x30000)

struct rec {
	unsigned nexc;
	struct ss_exception exc[W_MAX_REC];
	unsigned ndefer;
	struct {
		enum ss_reg reg;
		uint64_t value;
	} defer[W_MAX_REC];
	unsigned neret;
	struct {
		unsigned from, to;
		uint64_t addr;
		bool illegal;
	} eret[W_MAX_REC];
	unsigned ninsn;
	unsigned nsysreg;
};

struct world {
	struct ss_pe *pe;
	struct ss_config cfg;
	struct ss_insn code[W_MAX_CODE];
	size_t ncode;
	struct ss_program prog;
	struct rec rec;
	struct ss_observer obs;
};

extern struct world *W;

void world_setup(void);
void world_teardown(void);
TCase *world_tcase(const char *name);	/* unit_tcase + world fixture */

/* Default test configuration: every feature, propagation 0. */
void w_default_config(struct ss_config *cfg);

/* Reset the PE with cfg (W->cfg if NULL), clear the program and the record. */
void w_reset(const struct ss_config *cfg);

/* Add an instruction (any order); returns it for operands. */
struct ss_insn *w_insn(uint64_t addr, enum ss_op op);
/* END at every vector entry of every VBAR_ELx (offsets 0x000..0x780). */
void w_vectors_end(void);
/* Sort, attach, set PC. */
void w_load(uint64_t pc);

/* NOP, NOP, END at CODE; END at every vector; PC = CODE. */
void w_nop_program(void);

/* PSTATE helpers. */
void w_set_el(unsigned el, unsigned sp);
void w_set_a(unsigned a);
uint64_t w_vbar(unsigned el);

/* Raise a physical condition now. */
int w_raise(uint32_t iss, enum ss_trigger trig, bool sync, unsigned line);

enum ss_stop w_step(void);

#define SR(r) (W->pe->sr[SS_REG_##r])
#define SETF(r, F, v) (W->pe->sr[SS_REG_##r] = SS_SET(F, W->pe->sr[SS_REG_##r], (v)))
#define GETF(r, F) SS_GET(F, W->pe->sr[SS_REG_##r])
#define PST(F) SS_GET(PSTATE_##F, W->pe->sr[SS_REG_PSTATE])

#endif
