/* diag.c - collecting and formatting "file:line:col: error: message". */
#include "scenario.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ss_diag_add(struct ss_diags *d, unsigned line, unsigned col, const char *fmt, ...)
{
	if (d->n >= SS_MAX_DIAGS) {
		d->dropped++;
		return;
	}
	struct ss_diag *dg = &d->v[d->n++];
	dg->line = line;
	dg->col = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dg->msg, sizeof dg->msg, fmt, ap);
	va_end(ap);
}

static bool diag_before(const struct ss_diag *a, const struct ss_diag *b)
{
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

void ss_diag_sort(struct ss_diags *d)
{
	/* Insertion sort: stable, and n is at most SS_MAX_DIAGS. */
	for (size_t i = 1; i < d->n; i++) {
		struct ss_diag tmp = d->v[i];
		size_t j = i;
		while (j > 0 && diag_before(&tmp, &d->v[j - 1])) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = tmp;
	}
}

size_t ss_diag_format(const char *file, const struct ss_diag *dg, char *buf, size_t len)
{
	int n;
	if (dg->line == 0)
		n = snprintf(buf, len, "%s: error: %s", file, dg->msg);
	else
		n = snprintf(buf, len, "%s:%u:%u: error: %s", file, dg->line, dg->col, dg->msg);
	return n < 0 ? 0 : (size_t)n;
}
