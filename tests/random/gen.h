/*
 * gen.h - generator of valid random runs for the SError model: a random
 * configuration, a random initial state that ss_pe_check accepts, random
 * programs at the entry point and at all 16 vector entries of each
 * implemented EL's VBAR, and random SError events.  A run is printed in the
 * scenario-file format (docs/scenario-format.md) so `serrsim run -t` replays it.
 */
#ifndef RANDOM_GEN_H
#define RANDOM_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hyp.h"
#include "pe.h"

#define GEN_MAX_INSNS 2048
#define GEN_MAX_EVENTS 32
#define GEN_MAX_INIT 16
#define GEN_ENTRY 0x1000u	/* address of the main program ("start") */

struct gen_init {
	enum ss_reg reg;
	uint64_t value;
};

struct gen_run {
	uint64_t seed;
	struct ss_config cfg;
	struct gen_init init[GEN_MAX_INIT];	/* whole-register [init] writes */
	unsigned ninit;
	unsigned el, sp, daif;			/* PSTATE.EL, PSTATE.SP, D:A:I:F (bit 3 = D) */
	uint64_t x[31];
	bool x_set[31];
	struct ss_insn insns[GEN_MAX_INSNS];	/* sorted by address */
	size_t n;
	struct ss_program prog;
	struct ss_dinsn dec[GEN_MAX_INSNS];	/* decoded for the fast engine */
	struct ss_event ev[GEN_MAX_EVENTS];
	unsigned nev;
};

/* Generate run number 'seed' (deterministic). */
void gen_run(struct gen_run *g, uint64_t seed);

/* Reset pe and set it up as the scenario loader would: [cpu], [init],
 * [code], [events]; 'vserror' events (SS_EV_HOST with the syndrome in iss)
 * become host events of hyp (not scheduled when hyp is NULL). */
void gen_apply(struct gen_run *g, struct ss_pe *pe, struct ss_hyp *hyp);

/* The run as a scenario file. */
void gen_print_scenario(const struct gen_run *g, FILE *f);

/* One instruction in assembler syntax (branch targets as labels L<hex>). */
void gen_format_insn(const struct ss_insn *in, char *buf, size_t len);

#endif
