/*
 * main.c - runs the Check suites.  CK_RUN_SUITE selects one suite (CTest runs
 * one suite per test); an unknown name is an error rather than a silent pass.
 * With UNIT_COUNT set, prints the number of assertions evaluated (meaningful
 * with CK_FORK=no, where every test runs in this process).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

unsigned long unit_checks;
unsigned unit_soft_failures;

#define SOFT_TEXT 8192
static char soft_text[SOFT_TEXT];
static size_t soft_len;

void unit_soft_reset(void)
{
	unit_soft_failures = 0;
	soft_len = 0;
	soft_text[0] = '\0';
}

void unit_soft_fail(const char *file, int line, const char *fmt, ...)
{
	unit_soft_failures++;
	if (unit_soft_failures > 40 || soft_len + 256 >= SOFT_TEXT)
		return;
	int n = snprintf(soft_text + soft_len, SOFT_TEXT - soft_len, "\n  %s:%d: ", file, line);
	if (n > 0)
		soft_len += (size_t)n;
	va_list ap;
	va_start(ap, fmt);
	n = vsnprintf(soft_text + soft_len, SOFT_TEXT - soft_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		soft_len += (size_t)n;
	if (soft_len >= SOFT_TEXT)
		soft_len = SOFT_TEXT - 1;
}

void unit_soft_done(const char *file, int line)
{
	unsigned n = unit_soft_failures;
	if (n) {
		/* Also on stderr: Check truncates long messages. */
		fprintf(stderr, "%s:%d: %u mismatch(es):%s%s\n", file, line, n, soft_text,
			n > 40 ? "\n  ..." : "");
		unit_soft_reset();
		ck_abort_msg("%u mismatch(es); first:%.3000s", n, soft_text);
	}
}

static void soft_setup(void)
{
	unit_soft_reset();
}

TCase *unit_tcase(const char *name)
{
	TCase *tc = tcase_create(name);
	tcase_add_checked_fixture(tc, soft_setup, NULL);
	return tc;
}

struct entry {
	const char *name;
	Suite *(*make)(void);
};

static const struct entry suites[] = {
#ifdef UNIT_SYSREGS_ONLY
	{ "sysregs", suite_sysregs },
#else
	{ "config", suite_config },
	{ "routing", suite_routing },
	{ "vectors", suite_vectors },
	{ "virtual", suite_virtual },
	{ "esb", suite_esb },
	{ "iesb", suite_iesb },
	{ "sysreg_access", suite_sysreg_access },
	{ "eret", suite_eret },
	{ "ledger", suite_ledger },
	{ "coverage", suite_coverage },
	{ "hyp", suite_hyp },
	{ "scale", suite_scale },
	{ "sea", suite_sea },
	{ "ras", suite_ras },
#endif
};

int main(void)
{
	const char *want = getenv("CK_RUN_SUITE");
	size_t n = sizeof suites / sizeof suites[0];
	bool known = !want || !*want;
	for (size_t i = 0; i < n && !known; i++)
		known = strcmp(suites[i].name, want) == 0;
	if (!known) {
		fprintf(stderr, "unit: no suite named '%s' in this program\n", want);
		return EXIT_FAILURE;
	}
	SRunner *sr = srunner_create(NULL);
	for (size_t i = 0; i < n; i++)
		srunner_add_suite(sr, suites[i].make());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	int run = srunner_ntests_run(sr);
	srunner_free(sr);
	if (getenv("UNIT_COUNT"))
		printf("unit: %lu assertions evaluated\n", unit_checks);
	if (run == 0) {
		fprintf(stderr, "unit: no test ran\n");
		return EXIT_FAILURE;
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
