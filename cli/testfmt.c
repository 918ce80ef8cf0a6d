/*
 * testfmt.c - 'serrsim check' results in the formats test harnesses read:
 * TAP version 13 as the Linux kselftests print it (--tap), and JUnit XML
 * (--junit FILE), one test case per scenario with its time.  Both are
 * written as the results come (JUnit's testcases to a temporary file until
 * the header's counts are known).
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

/* --- TAP ------------------------------------------------------------------------------- */

/* A YAML double-quoted scalar. */
static void yaml_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void tap_expectation(FILE *out, const char *path, const struct ss_expect_result *e)
{
	char where[SS_TEXT * 3 + 128];
	if (e->line)
		snprintf(where, sizeof where, "%s:%u: [%s] %s %s %s", path, e->line, e->block, e->lhs,
			 e->op, e->rhs);
	else
		snprintf(where, sizeof where, "%s: [%s] %s %s %s", path, e->block, e->lhs, e->op,
			 e->rhs);
	fputs("    - expectation: ", out);
	yaml_str(out, where);
	fputc('\n', out);
	if (!e->dont_care) {
		fputs("      expected: ", out);
		yaml_str(out, e->expected_decoded[0] ? e->expected_decoded : e->expected_text);
		fputc('\n', out);
	}
	fputs("      actual: ", out);
	yaml_str(out, e->actual_decoded[0] ? e->actual_decoded : e->actual_text);
	fputc('\n', out);
	if (e->note[0]) {
		fputs("      note: ", out);
		yaml_str(out, e->note);
		fputc('\n', out);
	}
}

void tap_begin(FILE *out, size_t n)
{
	fprintf(out, "TAP version 13\n1..%zu\n", n);
}

void tap_result(FILE *out, size_t i, const char *path, const struct ss_result *r, double secs)
{
	const char *name = r->name[0] ? r->name : path;
	switch (r->status) {
	case SS_STATUS_PASS:
		fprintf(out, "ok %zu - %s\n", i + 1, name);
		break;
	case SS_STATUS_SKIP:
		fprintf(out, "ok %zu - %s # SKIP not selected\n", i + 1, name);
		break;
	case SS_STATUS_ERROR:
		fprintf(out, "not ok %zu - %s\n  ---\n  message: \"malformed scenario\"\n"
			"  file: ", i + 1, name);
		yaml_str(out, path);
		fputs("\n  errors:\n", out);
		for (size_t k = 0; k < r->diags.n; k++) {
			char msg[SS_DIAG_MSG + 512];
			ss_diag_format(path, &r->diags.v[k], msg, sizeof msg);
			fputs("    - ", out);
			yaml_str(out, msg);
			fputc('\n', out);
		}
		fputs("  ...\n", out);
		break;
	case SS_STATUS_FAIL:
		fprintf(out, "not ok %zu - %s\n  ---\n  message: \"%zu expectation%s failed\"\n"
			"  file: ", i + 1, name, r->nfail, r->nfail == 1 ? "" : "s");
		yaml_str(out, path);
		fprintf(out, "\n  duration_ms: %.3f\n  failures:\n", secs * 1e3);
		for (size_t k = 0; k < r->nexp; k++)
			if (!r->exp[k].pass)
				tap_expectation(out, path, &r->exp[k]);
		fputs("  ...\n", out);
		break;
	}
}

/* --- JUnit ----------------------------------------------------------------------------- */

static void xml_str(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\n': fputs("&#10;", out); break;
		case '\t': fputc(c, out); break;
		default:
			if (c >= 0x20)
				fputc(c, out);
			break;	/* other control characters are not XML 1.0 text */
		}
	}
}

/* The suite a scenario belongs to: its directory under scenarios/, or its
 * directory. */
static void classname(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(buf, len, "scenarios");
		return;
	}
	const char *start = path;
	for (const char *p = path; p < slash; p++)
		if (*p == '/')
			start = p + 1;
	snprintf(buf, len, "%.*s", (int)(slash - start), start);
}

void junit_testcase(FILE *out, const char *path, const struct ss_result *r, double secs)
{
	char cls[256];
	classname(path, cls, sizeof cls);
	fputs("    <testcase classname=\"", out);
	xml_str(out, cls);
	fputs("\" name=\"", out);
	xml_str(out, r->name[0] ? r->name : path);
	fputs("\" file=\"", out);
	xml_str(out, path);
	fprintf(out, "\" time=\"%.6f\"", secs);
	if (r->status == SS_STATUS_PASS) {
		fputs("/>\n", out);
		return;
	}
	fputs(">\n", out);
	if (r->status == SS_STATUS_SKIP) {
		fputs("      <skipped message=\"not selected\"/>\n", out);
	} else if (r->status == SS_STATUS_ERROR) {
		fputs("      <error message=\"malformed scenario\">", out);
		for (size_t k = 0; k < r->diags.n; k++) {
			char msg[SS_DIAG_MSG + 512];
			ss_diag_format(path, &r->diags.v[k], msg, sizeof msg);
			xml_str(out, msg);
			fputs("&#10;", out);
		}
		fputs("</error>\n", out);
	} else {
		for (size_t k = 0; k < r->nexp; k++) {
			const struct ss_expect_result *e = &r->exp[k];
			if (e->pass)
				continue;
			char msg[SS_TEXT * 3 + 64];
			snprintf(msg, sizeof msg, "[%s] %s %s %s", e->block, e->lhs, e->op, e->rhs);
			fputs("      <failure message=\"", out);
			xml_str(out, msg);
			fputs("\" type=\"expectation\">", out);
			char where[512];
			snprintf(where, sizeof where, "%s:%u", path, e->line);
			xml_str(out, where);
			fputs("&#10;expected: ", out);
			xml_str(out, e->dont_care ? "*" : e->expected_decoded[0] ? e->expected_decoded
										 : e->expected_text);
			fputs("&#10;actual:   ", out);
			xml_str(out, e->actual_decoded[0] ? e->actual_decoded : e->actual_text);
			if (e->note[0]) {
				fputs("&#10;note:     ", out);
				xml_str(out, e->note);
			}
			fputs("</failure>\n", out);
		}
	}
	fputs("    </testcase>\n", out);
}

bool junit_write(FILE *out, FILE *cases, size_t tests, size_t failures, size_t errors,
		 size_t skipped, double total)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"serrsim check\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\" time=\"%.6f\">\n"
		"  <testsuite name=\"serrsim check\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
		"skipped=\"%zu\" time=\"%.6f\">\n",
		tests, failures, errors, skipped, total, tests, failures, errors, skipped, total);
	char buf[8192];
	size_t n;
	bool ok = fflush(cases) == 0 && fseek(cases, 0, SEEK_SET) == 0;
	while (ok && (n = fread(buf, 1, sizeof buf, cases)) > 0)
		ok = fwrite(buf, 1, n, out) == n;
	ok = ok && !ferror(cases);
	fputs("  </testsuite>\n</testsuites>\n", out);
	return ok && !ferror(out);
}
