/*
 * qexport.h - turning a scenario into a bare-metal AArch64 program for QEMU
 * (docs/qemu.md), and comparing what QEMU did with what serrsim did.
 */
#ifndef SERRSIM_QEXPORT_H
#define SERRSIM_QEXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scn.h"

/* The scenario's address A runs at QEX_OFFSET + A in QEMU virt's RAM. */
#define QEX_OFFSET 0x48000000ull
/* Scenario addresses below this are relocated (and QEMU values in
 * [QEX_OFFSET, QEX_OFFSET + QEX_WINDOW) are translated back). */
#define QEX_WINDOW 0x01000000ull
/* Highest scenario address: LDR (literal) reaches 1 MiB. */
#define QEX_MAX_ADDR 0x000e0000ull

#define QEX_MAX_EVENTS 200	/* hook records QEMU prints before giving up */
#define QEX_HOOK_VEC 0x100	/* SMC #imm of a vector hook: 0x100 + EL * 16 + entry */
#define QEX_HOOK_END 0x400	/* SMC #imm of the i-th end: 0x400 + i */

/* A QEMU CPU model and the serrsim profile that describes it
 * (docs/qemu.md "The profiles").  A scenario runs on the first target
 * whose profile its [cpu] section does not contradict. */
struct qtarget {
	const char *profile;		/* scenario/profile.c */
	const char *cpu;		/* -cpu */
	bool ras;			/* FEAT_RAS: VSESR_EL2, DISR_EL1, VDISR_EL2 exist */
	bool secure;			/* -M virt,secure=on: EL3 implemented */
};

extern const struct qtarget qex_targets[];	/* ends with profile == NULL */

struct qex {
	const char *path;
	char name[128];
	char reason[512];		/* why it is skipped */
	const struct qtarget *target;	/* the QEMU CPU and profile it is compared on */
	bool loaded;			/* res, pe0, ast, prog valid */

	struct ss_result res;		/* serrsim under the profile */
	struct ss_pe *pe0;		/* initial state */
	struct ss_insn *insns;
	size_t ninsn;
	unsigned cur_el, end_el;
	bool el3_used, tsc_set, hcr_written;

	char *text;
	struct ast ast;
	struct program prog;
	bool have_ast, have_prog;

	bool *reloc_imm;		/* per insn */
	bool reloc_x[31];
	bool reloc_sr[SS_REG_COUNT];
	size_t nend;
	uint64_t *end_addr;		/* per end directive, in order */
	bool no_hooks;			/* export --no-hooks: the scenario's own vector
					 * tables, only the end record (benchmarks) */
	/* serrsim's exceptions in order (under the profile), for the
	 * comparison of the sequence (docs/qemu.md "Comparing"). */
	struct qexc {
		uint64_t vector, esr, elr, spsr;
		unsigned to_el;
		bool has_esr;
	} *exc;
	size_t nexc, capexc;
	uint64_t stop_pc;		/* the 'end' the run stopped at */
	size_t nldst, ndabt;		/* loads and stores executed, Data Aborts taken */
	unsigned sea_to_el, sea_qemu_el;	/* the first abort QEMU 7.2 takes elsewhere:
						 * serrsim's target EL and QEMU's (0: none) */
};

/* Choose the target, load and run a scenario under its profile and decide
 * whether QEMU can express it (q->reason empty).  False on a skip. */
bool qex_load(struct qex *q, const char *path);
void qex_free(struct qex *q);

/* Write the assembly source of the program. */
bool qex_write_asm(struct qex *q, FILE *f);

/* The linker script (fixed). */
const char *qex_linker_script(void);

/* The PSTATE bits a record holds (the monitor reads them from SPSR_EL3 on
 * its entry): N, Z, C, V, D, A, I, F, nRW, M[3:0]; not SS or IL. */
#define QEX_PSTATE_RECORDED 0xf00003dfull

/* One record QEMU printed. */
struct qev {
	unsigned id;
	uint64_t x[31];
	uint64_t sr[SS_REG_COUNT];
	uint64_t pstate, elr3;
};

struct qrun {
	struct qev *ev;
	size_t n;
	bool ended;			/* an end hook was printed */
	char fault[256];		/* monitor fault, timeout, overflow */
};

/* Parse QEMU's output. */
void qrun_parse(struct qrun *r, const char *text);
void qrun_free(struct qrun *r);

/* Compare: writes the report lines for differences to f; returns the
 * number of differing expectations (and *compared, the number compared;
 * *nknown, the differences docs/qemu.md explains as QEMU's). */
size_t qex_compare(struct qex *q, const struct qrun *r, FILE *f, size_t *compared, size_t *nknown);

#endif
