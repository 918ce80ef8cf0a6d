/* options.c - command-line pieces shared by the serrsim commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool cli_add_define(struct ss_knob_override **ov, size_t *nov, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		fprintf(stderr, "serrsim: -D expects KNOB=VALUE, got '%s'\nTry 'serrsim --help'.\n", arg);
		return false;
	}
	*eq = '\0';
	struct ss_knob_override o = { arg, eq + 1 };
	const char *err = ss_override_check(&o);
	if (err) {
		fprintf(stderr, "serrsim: -D %s=%s: %s\n", arg, eq + 1, err);
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
