/* options.c - command-line pieces shared by the serrsim commands. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "esr.h"

const char *cli_clip(const char *s)
{
	static char buf[96];
	size_t n = strlen(s);
	if (n <= 64)
		return s;
	snprintf(buf, sizeof buf, "%.48s... (%zu characters)", s, n);
	return buf;
}

int cli_finish_stdout(int rc)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno)
			fprintf(stderr, "serrsim: error writing standard output: %s\n", strerror(errno));
		else
			fprintf(stderr, "serrsim: error writing standard output\n");
		return EXIT_INTERNAL;
	}
	return rc;
}

bool cli_add_define(struct ss_knob_override **ov, size_t *nov, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		fprintf(stderr, "serrsim: -D expects KNOB=VALUE, got '%s'\nTry 'serrsim --help'.\n",
			cli_clip(arg));
		return false;
	}
	*eq = '\0';
	struct ss_knob_override o = { arg, eq + 1 };
	const char *err = ss_override_check(&o);
	if (err) {
		char knob[96];
		snprintf(knob, sizeof knob, "%s", cli_clip(arg));
		fprintf(stderr, "serrsim: -D %s=%s: %s\n", knob, cli_clip(eq + 1), err);
		if (!ss_knob_find(arg))
			fprintf(stderr, "See 'serrsim knobs' for every knob.\n");
		return false;
	}
	struct ss_knob_override *v = realloc(*ov, (*nov + 1) * sizeof *v);
	if (!v) {
		fprintf(stderr, "serrsim: out of memory\n");
		return false;
	}
	*ov = v;
	v[(*nov)++] = o;
	return true;
}

void cli_csv_field(FILE *out, const char *s, bool last)
{
	if (strpbrk(s, ",\"\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	fputc(last ? '\n' : ',', out);
}

/* The AET enumeration, from the table (ESR_EL1.AET resolves in its variant). */
static const struct ss_enum *aet_enum(void)
{
	const struct ss_field *f = ss_field_by_name(ss_sysregs[SS_REG_ESR_EL1].layout, "AET", NULL);
	return f ? f->en : NULL;
}

void cli_short_iss(uint32_t iss, char *buf, size_t len)
{
	if (ss_iss_ids(iss)) {
		uint32_t imp = iss & (uint32_t)SS_ESR_SErrImp_IMPDEF_MASK;
		if (imp)
			snprintf(buf, len, "IMPDEF:0x%" PRIx32, imp);
		else
			snprintf(buf, len, "IMPDEF");
		return;
	}
	uint64_t dfsc = ss_iss_dfsc(iss);
	if (dfsc == SS_DFSC_Uncategorized) {
		snprintf(buf, len, iss ? "Uncat:0x%" PRIx32 : "Uncat(0)", iss);
		return;
	}
	if (dfsc != SS_DFSC_AsyncSError) {
		snprintf(buf, len, "ISS:0x%" PRIx32, iss);
		return;
	}
	const char *aet = ss_enum_name(aet_enum(), ss_iss_aet(iss));
	char a[16];
	if (!aet)
		snprintf(a, sizeof a, "AET=%" PRIu64, ss_iss_aet(iss));
	snprintf(buf, len, "%s%s%s", aet ? aet : a, SS_GET(ESR_SErr_EA, iss) ? "+EA" : "",
		 SS_GET(ESR_SErr_IESB, iss) ? "+IESB" : "");
}
