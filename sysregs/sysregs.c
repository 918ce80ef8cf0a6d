/* sysregs.c - lookup and decoding over the generated register table. */
#include "sysregs.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

/* A decimal number up to max at *p, advancing *p; -1 if none or too large. */
static int small_num(const char **p, int max)
{
	int v = -1;
	while (**p >= '0' && **p <= '9') {
		v = (v < 0 ? 0 : v * 10) + (**p - '0');
		(*p)++;
		if (v > max)
			return -1;
	}
	return v;
}

/* The generic name of a system register, S<op0>_<op1>_C<n>_C<m>_<op2> (Arm
 * ARM C5.3, "System instructions": the name an assembler accepts for any
 * encoding with op0 = 2 or 3), resolved through the encoding. */
static const struct ss_sysreg *by_generic_name(const char *p)
{
	int f[5];
	static const int max[5] = { 3, 7, 15, 15, 7 };
	if (*p != 'S' && *p != 's')
		return NULL;
	p++;
	for (int i = 0; i < 5; i++) {
		if (i > 0 && *p++ != '_')
			return NULL;
		if ((i == 2 || i == 3) && *p != 'C' && *p != 'c')
			return NULL;
		if (i == 2 || i == 3)
			p++;
		if ((f[i] = small_num(&p, max[i])) < 0)
			return NULL;
	}
	if (*p || f[0] < 2)
		return NULL;
	return ss_sysreg_by_enc((unsigned)f[0], (unsigned)f[1], (unsigned)f[2], (unsigned)f[3],
				(unsigned)f[4]);
}

const struct ss_sysreg *ss_sysreg_by_name(const char *name)
{
	for (unsigned i = 0; i < SS_REG_COUNT; i++)
		if (strcasecmp(ss_sysregs[i].name, name) == 0)
			return &ss_sysregs[i];
	return by_generic_name(name);
}

const struct ss_sysreg *ss_sysreg_by_enc(unsigned op0, unsigned op1, unsigned crn,
					 unsigned crm, unsigned op2)
{
	for (unsigned i = 0; i < SS_REG_COUNT; i++) {
		const struct ss_sysreg *r = &ss_sysregs[i];
		if (r->has_enc && r->op0 == op0 && r->op1 == op1 && r->crn == crn &&
		    r->crm == crm && r->op2 == op2)
			return r;
	}
	return NULL;
}

const struct ss_feature *ss_feature_by_name(const char *name)
{
	for (unsigned i = 0; i < SS_FEAT_COUNT; i++)
		if (strcasecmp(ss_features[i].name, name) == 0)
			return &ss_features[i];
	return NULL;
}

static const struct ss_field *field_in(const struct ss_layout *l, const char *name)
{
	for (unsigned i = 0; i < l->nfields; i++)
		if (l->fields[i].kind == SS_FIELD_FIELD && strcasecmp(l->fields[i].name, name) == 0)
			return &l->fields[i];
	return NULL;
}

const struct ss_field *ss_field_by_name(const struct ss_layout *layout, const char *name,
					const struct ss_layout **where)
{
	const struct ss_field *f = field_in(layout, name);
	if (f) {
		if (where)
			*where = layout;
		return f;
	}
	for (unsigned i = 0; i < SS_NUM_LAYOUTS; i++) {
		if (ss_layouts[i].base != layout)
			continue;
		f = field_in(&ss_layouts[i], name);
		if (f) {
			if (where)
				*where = &ss_layouts[i];
			return f;
		}
	}
	return NULL;
}

bool ss_enum_value(const struct ss_enum *en, const char *name, uint64_t *value)
{
	for (unsigned i = 0; en && i < en->n; i++)
		if (strcasecmp(en->vals[i].name, name) == 0) {
			*value = en->vals[i].value;
			return true;
		}
	return false;
}

const char *ss_enum_name(const struct ss_enum *en, uint64_t value)
{
	for (unsigned i = 0; en && i < en->n; i++)
		if (en->vals[i].value == value)
			return en->vals[i].name;
	return NULL;
}

const struct ss_layout *ss_layout_for(const struct ss_layout *layout, uint64_t v)
{
	for (unsigned i = 0; i < SS_NUM_LAYOUTS; i++) {
		const struct ss_layout *var = &ss_layouts[i];
		bool ok = var->base == layout;
		for (unsigned c = 0; ok && c < var->nconds; c++)
			ok = ss_field_get(&var->fields[var->conds[c].field], v) == var->conds[c].value;
		if (ok)
			return var;
	}
	return layout;
}

uint64_t ss_layout_res0(const struct ss_layout *layout)
{
	uint64_t r = layout->res0;
	for (unsigned i = 0; i < SS_NUM_LAYOUTS; i++)
		if (ss_layouts[i].base == layout)
			r &= ss_layouts[i].res0 | layout->res0;
	return r;
}

/* Append to a bounded buffer, tracking the length the full text needs. */
struct sbuf {
	char *buf;
	size_t len, need;
};

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = sb->need < sb->len ? sb->len - sb->need : 0;
	int n = vsnprintf(room ? sb->buf + sb->need : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		sb->need += (size_t)n;
}

size_t ss_format_field(const struct ss_field *f, uint64_t x, char *buf, size_t len)
{
	struct sbuf sb = { buf, len, 0 };
	const char *sym = ss_enum_name(f->en, x);
	if (len)
		buf[0] = '\0';
	if (sym)
		sb_printf(&sb, "%s", sym);
	else if (f->en)
		sb_printf(&sb, "0x%" PRIx64 "(reserved)", x);
	else if (f->msb == f->lsb)
		sb_printf(&sb, "%" PRIu64, x);
	else
		sb_printf(&sb, "0x%" PRIx64, x);
	return sb.need;
}

size_t ss_decode(const struct ss_layout *layout, uint64_t v, char *buf, size_t len)
{
	const struct ss_layout *l = ss_layout_for(layout, v);
	struct sbuf sb = { buf, len, 0 };
	char tmp[64];
	if (len)
		buf[0] = '\0';
	for (unsigned i = 0; i < l->nfields; i++) {
		const struct ss_field *f = &l->fields[i];
		uint64_t x = ss_field_get(f, v);
		const char *sep = sb.need ? " " : "";
		if (f->kind == SS_FIELD_FIELD) {
			ss_format_field(f, x, tmp, sizeof tmp);
			sb_printf(&sb, "%s%s=%s", sep, f->name, tmp);
		} else if (f->kind == SS_FIELD_RES0 && x != 0) {
			sb_printf(&sb, "%sRES0[%u:%u]=0x%" PRIx64, sep, f->msb, f->lsb, x);
		} else if (f->kind == SS_FIELD_RES1 && x != (ss_field_mask(f) >> f->lsb)) {
			sb_printf(&sb, "%sRES1[%u:%u]=0x%" PRIx64, sep, f->msb, f->lsb, x);
		}
	}
	return sb.need;
}
