/*
 * unit.h - shared declarations of the Check suites.
 *
 * Table-driven tests walk a state space and compare the model against
 * expected values written independently from docs/rules.md.  A mismatch is
 * recorded with CHECKF (a "soft" assertion that names the case and the rule)
 * and the test fails at SOFT_DONE() listing the first mismatches, so that one
 * wrong table row does not hide the others.
 */
#ifndef SERRSIM_TEST_UNIT_H
#define SERRSIM_TEST_UNIT_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esr.h"
#include "sysregs.h"

/* --- soft assertions --------------------------------------------------- */

extern unsigned long unit_checks;	/* assertions evaluated (this process) */
extern unsigned unit_soft_failures;	/* soft failures in the current test */

void unit_soft_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void unit_soft_reset(void);
void unit_soft_done(const char *file, int line);

#define CHECKF(cond, ...)                                              \
	do {                                                           \
		unit_checks++;                                         \
		if (!(cond))                                           \
			unit_soft_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

/* Hard assertion, counted. */
#define EXPECT(cond, ...)                         \
	do {                                      \
		unit_checks++;                    \
		ck_assert_msg((cond), __VA_ARGS__); \
	} while (0)

#define SOFT_DONE() unit_soft_done(__FILE__, __LINE__)

/* A test case whose tests start with a clean soft-failure record. */
TCase *unit_tcase(const char *name);

/* --- suites -------------------------------------------------------------- */

Suite *suite_sysregs(void);
Suite *suite_config(void);
Suite *suite_routing(void);
Suite *suite_vectors(void);
Suite *suite_virtual(void);
Suite *suite_esb(void);
Suite *suite_iesb(void);
Suite *suite_ras(void);
Suite *suite_sysreg_access(void);
Suite *suite_eret(void);
Suite *suite_scale(void);
Suite *suite_sea(void);
Suite *suite_ledger(void);
Suite *suite_coverage(void);
Suite *suite_hyp(void);

#endif
