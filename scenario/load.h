/*
 * load.h - one scenario between loading and running: the parsed file, the
 * configuration, the PE in its initial state (events scheduled), the program
 * and the resolved expectations grouped into snapshot blocks.
 */
#ifndef SERRSIM_SCENARIO_LOAD_H
#define SERRSIM_SCENARIO_LOAD_H

#include "hyp.h"
#include "scn.h"

#define SCN_MAX_BLOCKS 256	/* [expect], [expect exception K], [expect cycle N] */
#define SCN_MAX_VECTORS 64	/* distinct 'exceptions at' addresses */
#define SCN_MAX_HOSTS AST_MAX_HOSTS	/* [host NAME] sections plus inline 'migrate knob=value' hosts */

/* The state an expectation block is evaluated on. */
struct snapshot {
	bool taken;
	uint64_t pc;
	uint64_t x[31];
	uint64_t sr[SS_REG_COUNT];		/* computed registers as an MRS reads them */
	uint64_t cycle;
	uint32_t nexc;
	enum ss_stop stop;
	uint32_t ledger[LEDGER_STATES];
	uint32_t at_count[SCN_MAX_VECTORS];
	struct ss_exception exc;	/* exception blocks */
	struct ss_vmop vmop[SS_MAX_VMOPS];	/* SETs and migrations so far */
	uint32_t nvmop;
};

struct block {
	enum ast_block_kind kind;
	uint64_t arg;			/* K or N */
	struct snapshot snap;
};

/* A resolved expectation. */
struct rexp {
	const struct ast_expect *a;
	struct target t;
	unsigned at;			/* PS_EXCEPTIONS_AT: index into vectors */
	uint64_t rhs;			/* unless a->rhs.star */
	unsigned block;
	bool applies;			/* its policy qualifier matches the configuration */
};

/* Allocated with scn_new (the large parts are cleared as they are used). */
struct scn {
	struct ast ast;
	struct ss_config cfg;
	struct ss_pe *pe;
	/* The PE's ledger and event storage when the scenario has more events
	 * than the PE's own storage holds (ss_pe_set_storage), else NULL. */
	struct ss_event_slot *ev_store;
	struct ss_condition *cond_store;
	uint32_t nev_store, ncond_store;
	bool pc_set;
	struct program prog;
	struct rexp *exps;
	size_t nexps;
	struct block *blocks;		/* room for one per expectation, up to SCN_MAX_BLOCKS */
	size_t nblocks, blocks_cap;
	uint64_t vectors[SCN_MAX_VECTORS];
	size_t nvectors;
	/* The hosts (host 0: the scenario's configuration; then each [host
	 * NAME] section, ast.hosts.v[i] being host i + 1; then the inline
	 * hosts of 'migrate knob=value'), the host events and the record of
	 * what the hypervisor did.  Last: scn_new does not clear it
	 * (ss_hyp_init does, when the configuration is known). */
	struct ss_hyp hyp;
};

/* A scenario with nothing loaded yet (NULL without memory); freed with
 * scn_destroy and free. */
struct scn *scn_new(void);

/* Everything after parsing; errors into d. */
bool scn_load(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d);
/* scn_load in two steps: everything but [events] and [expect...], then
 * those (a template's variants share the first step). */
bool scn_load_setup(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d);
bool scn_load_finish(struct scn *s, const struct ss_run_options *opt, struct ss_diags *d);
void scn_free(struct scn *s);
/* The same for a scenario about to be freed: its memory is not cleared. */
void scn_destroy(struct scn *s);

bool scn_reg_is_computed(enum ss_reg r);
void scn_target_text(const struct target *t, char *buf, size_t len);

#endif
