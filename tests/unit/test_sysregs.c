/*
 * test_sysregs.c - the system-register table (sysregs.txt through
 * gen-sysregs.awk), its lookups and decoder, and the syndrome constructors of
 * esr.h, against values written by hand from the architecture.
 *
 * Sources: ARM-M D24.2.45 (ESR_ELx), D24.9.1 (DISR_EL1), D24.9.16 (VDISR_EL2),
 * D24.9.18 (VSESR_EL2), D24.2.62 (HCR_EL2), D24.2.169 (SCR_EL3), D24.2.175
 * (SCTLR_ELx), D24.2.118 (ISR_EL1).
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

static const struct ss_layout *layout(const char *name)
{
	for (unsigned i = 0; i < SS_NUM_LAYOUTS; i++)
		if (strcmp(ss_layouts[i].name, name) == 0)
			return &ss_layouts[i];
	ck_abort_msg("no layout %s", name);
	return NULL;
}

static const struct ss_enum *enumeration(const char *name)
{
	for (unsigned i = 0; i < SS_NUM_ENUMS; i++)
		if (strcmp(ss_enums[i].name, name) == 0)
			return &ss_enums[i];
	ck_abort_msg("no enum %s", name);
	return NULL;
}

/* --- every layout covers 63:0 exactly once ------------------------------ */

START_TEST(layouts_cover_63_0)
{
	EXPECT(SS_NUM_LAYOUTS > 20, "the table has its layouts (%d)", SS_NUM_LAYOUTS);
	for (unsigned i = 0; i < SS_NUM_LAYOUTS; i++) {
		const struct ss_layout *l = &ss_layouts[i];
		uint64_t seen = 0, res0 = 0, res1 = 0;
		int next = 63;
		CHECKF(l->nfields > 0, "%s: no fields", l->name);
		for (unsigned f = 0; f < l->nfields; f++) {
			const struct ss_field *fd = &l->fields[f];
			uint64_t m = ss_field_mask(fd);
			CHECKF(fd->msb <= 63 && fd->lsb <= fd->msb, "%s: field %u range %u:%u", l->name, f,
			       fd->msb, fd->lsb);
			CHECKF(fd->msb == next, "%s: field %u starts at %u, expected %d (msb first, no gap)",
			       l->name, f, fd->msb, next);
			CHECKF((seen & m) == 0, "%s: field %u overlaps", l->name, f);
			seen |= m;
			next = (int)fd->lsb - 1;
			if (fd->kind == SS_FIELD_RES0)
				res0 |= m;
			if (fd->kind == SS_FIELD_RES1)
				res1 |= m;
			CHECKF((fd->kind == SS_FIELD_FIELD) == (fd->name != NULL),
			       "%s: field %u: named iff a Field", l->name, f);
			if (fd->en) {
				CHECKF(fd->kind == SS_FIELD_FIELD, "%s: enum on a RES field", l->name);
				for (unsigned v = 0; v < fd->en->n; v++)
					CHECKF(ss_field_fits(fd, fd->en->vals[v].value),
					       "%s.%s: enum value %s does not fit", l->name, fd->name,
					       fd->en->vals[v].name);
			}
			for (unsigned g = 0; g < f; g++)
				if (fd->name && l->fields[g].name)
					CHECKF(strcmp(fd->name, l->fields[g].name) != 0,
					       "%s: duplicate field %s", l->name, fd->name);
		}
		CHECKF(next == -1, "%s: ends at bit %d, not 0", l->name, next + 1);
		CHECKF(seen == UINT64_MAX, "%s: bits 0x%016llx undescribed", l->name,
		       (unsigned long long)~seen);
		CHECKF(l->res0 == res0, "%s: res0 0x%llx != union of Res0 ranges 0x%llx", l->name,
		       (unsigned long long)l->res0, (unsigned long long)res0);
		CHECKF(l->res1 == res1, "%s: res1 0x%llx != union of Res1 ranges 0x%llx", l->name,
		       (unsigned long long)l->res1, (unsigned long long)res1);
		CHECKF((l->res0 & l->res1) == 0, "%s: a bit both RES0 and RES1", l->name);
	}
	SOFT_DONE();
}
END_TEST

/* Variants: their base is a plain layout, their conditions name fields,
 * and a field present in both sits at the same bits. */
START_TEST(variants_consistent)
{
	unsigned nvar = 0;
	for (unsigned i = 0; i < SS_NUM_LAYOUTS; i++) {
		const struct ss_layout *v = &ss_layouts[i];
		if (!v->base) {
			CHECKF(v->nconds == 0, "%s: a plain layout with conditions", v->name);
			continue;
		}
		nvar++;
		CHECKF(v->base->base == NULL, "%s: base %s is itself a variant", v->name, v->base->name);
		CHECKF(v->nconds > 0, "%s: a variant without conditions", v->name);
		for (unsigned c = 0; c < v->nconds; c++) {
			CHECKF(v->conds[c].field < v->nfields, "%s: condition %u field index", v->name, c);
			if (v->conds[c].field < v->nfields)
				CHECKF(v->fields[v->conds[c].field].kind == SS_FIELD_FIELD,
				       "%s: condition on a RES range", v->name);
		}
		for (unsigned f = 0; f < v->nfields; f++) {
			const struct ss_field *fd = &v->fields[f];
			if (!fd->name)
				continue;
			for (unsigned g = 0; g < v->base->nfields; g++) {
				const struct ss_field *b = &v->base->fields[g];
				if (b->name && strcmp(b->name, fd->name) == 0)
					CHECKF(b->msb == fd->msb && b->lsb == fd->lsb,
					       "%s.%s at %u:%u but %s.%s at %u:%u", v->name, fd->name, fd->msb,
					       fd->lsb, v->base->name, b->name, b->msb, b->lsb);
			}
		}
		/* A variant never turns a RES0 bit of its base into a field. */
		CHECKF((v->base->res0 & ~v->res0) == 0, "%s: base %s RES0 bits 0x%llx are fields here",
		       v->name, v->base->name, (unsigned long long)(v->base->res0 & ~v->res0));
	}
	EXPECT(nvar >= 8, "variants present (%u)", nvar);
	SOFT_DONE();
}
END_TEST

/* --- field positions, hand-written from the architecture ------------------ */

struct fpos {
	const char *layout, *field;
	unsigned msb, lsb;
	const char *rule;
};

static const struct fpos fpos[] = {
	{ "ESR_ELx", "EC", 31, 26, "ARM-M D24.2.45 ESR_ELx.EC" },
	{ "ESR_ELx", "IL", 25, 25, "ARM-M D24.2.45 ESR_ELx.IL" },
	{ "ESR_ELx", "ISS", 24, 0, "ARM-M D24.2.45 ESR_ELx.ISS" },
	{ "ESR_SErr", "IDS", 24, 24, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 ISS[24] IDS" },
	{ "ESR_SErr", "IESB", 13, 13, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 ISS[13] IESB" },
	{ "ESR_SErr", "AET", 12, 10, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 ISS[12:10] AET" },
	{ "ESR_SErr", "EA", 9, 9, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 ISS[9] EA" },
	{ "ESR_SErr", "DFSC", 5, 0, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 ISS[5:0] DFSC" },
	{ "ESR_SErrImp", "IDS", 24, 24, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 IDS" },
	{ "ESR_SErrImp", "IMPDEF", 23, 0, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 IDS=1: [23:0] IMPDEF" },
	{ "ESR_SVC", "imm16", 15, 0, "ARM-M D24.2.45 ISS for EC=0x15" },
	{ "ESR_HVC", "imm16", 15, 0, "ARM-M D24.2.45 ISS for EC=0x16" },
	{ "ESR_SMC", "imm16", 15, 0, "ARM-M D24.2.45 ISS for EC=0x17" },
	{ "ESR_WFx", "CV", 24, 24, "ARM-M D24.2.45 ISS for EC=0x01" },
	{ "ESR_WFx", "COND", 23, 20, "ARM-M D24.2.45 ISS for EC=0x01" },
	{ "ESR_WFx", "TI", 1, 0, "ARM-M D24.2.45 ISS for EC=0x01" },
	{ "ESR_SysReg", "Op0", 21, 20, "ARM-M D24.2.45 ISS for EC=0x18" },
	{ "ESR_SysReg", "Op2", 19, 17, "ARM-M D24.2.45 ISS for EC=0x18" },
	{ "ESR_SysReg", "Op1", 16, 14, "ARM-M D24.2.45 ISS for EC=0x18" },
	{ "ESR_SysReg", "CRn", 13, 10, "ARM-M D24.2.45 ISS for EC=0x18" },
	{ "ESR_SysReg", "Rt", 9, 5, "ARM-M D24.2.45 ISS for EC=0x18" },
	{ "ESR_SysReg", "CRm", 4, 1, "ARM-M D24.2.45 ISS for EC=0x18" },
	{ "ESR_SysReg", "Direction", 0, 0, "ARM-M D24.2.45 ISS for EC=0x18" },
	{ "DISR", "A", 31, 31, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3 DISR_EL1.A" },
	{ "DISR", "IDS", 24, 24, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3 DISR_EL1.IDS" },
	{ "DISR", "ISS", 23, 0, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3" },
	{ "DISR_Arch", "AET", 12, 10, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3 DISR_EL1.AET" },
	{ "DISR_Arch", "EA", 9, 9, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3 DISR_EL1.EA" },
	{ "DISR_Arch", "DFSC", 5, 0, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3 DISR_EL1.DFSC" },
	{ "VSESR", "IDS", 24, 24, "ARM-M D24.9.18 VSESR_EL2; docs/rules.md R3.2 VSESR_EL2.IDS" },
	{ "VSESR", "ISS", 23, 0, "ARM-M D24.9.18 VSESR_EL2; docs/rules.md R3.2 VSESR_EL2.ISS" },
	{ "HCR", "VM", 0, 0, "ARM-M D24.2.62" },
	{ "HCR", "FMO", 3, 3, "ARM-M D24.2.62" },
	{ "HCR", "IMO", 4, 4, "ARM-M D24.2.62" },
	{ "HCR", "AMO", 5, 5, "ARM-M D24.2.62 HCR_EL2.AMO" },
	{ "HCR", "VF", 6, 6, "ARM-M D24.2.62" },
	{ "HCR", "VI", 7, 7, "ARM-M D24.2.62" },
	{ "HCR", "VSE", 8, 8, "ARM-M D24.2.62 HCR_EL2.VSE" },
	{ "HCR", "TWI", 13, 13, "ARM-M D24.2.62" },
	{ "HCR", "TSC", 19, 19, "ARM-M D24.2.62" },
	{ "HCR", "TGE", 27, 27, "ARM-M D24.2.62 HCR_EL2.TGE" },
	{ "HCR", "RW", 31, 31, "ARM-M D24.2.62 HCR_EL2.RW" },
	{ "HCR", "E2H", 34, 34, "ARM-M D24.2.62 HCR_EL2.E2H" },
	{ "HCR", "TERR", 36, 36, "ARM-M D24.2.62 HCR_EL2.TERR" },
	{ "HCR", "TEA", 37, 37, "ARM-M D24.2.62 HCR_EL2.TEA" },
	{ "SCR", "NS", 0, 0, "ARM-M D24.2.169" },
	{ "SCR", "IRQ", 1, 1, "ARM-M D24.2.169" },
	{ "SCR", "FIQ", 2, 2, "ARM-M D24.2.169" },
	{ "SCR", "EA", 3, 3, "ARM-M D24.2.169 SCR_EL3.EA" },
	{ "SCR", "SMD", 7, 7, "ARM-M D24.2.169" },
	{ "SCR", "HCE", 8, 8, "ARM-M D24.2.169" },
	{ "SCR", "RW", 10, 10, "ARM-M D24.2.169" },
	{ "SCR", "TERR", 15, 15, "ARM-M D24.2.169" },
	{ "SCR", "EEL2", 18, 18, "ARM-M D24.2.169 SCR_EL3.EEL2" },
	{ "SCR", "EASE", 19, 19, "docs/rules.md R6 SCR_EL3.EASE (bit 19)" },
	{ "SCR", "NMEA", 20, 20, "docs/rules.md R6 SCR_EL3.NMEA (bit 20)" },
	{ "SCTLR", "M", 0, 0, "ARM-M D24.2.175" },
	{ "SCTLR", "UMA", 9, 9, "ARM-M D24.2.175 SCTLR_EL1.UMA" },
	{ "SCTLR", "nTWI", 16, 16, "ARM-M D24.2.175" },
	{ "SCTLR", "IESB", 21, 21, "ARM-M D20.5.3; docs/rules.md R4.2 SCTLR_ELx.IESB (bit 21)" },
	{ "SCTLR", "SPAN", 23, 23, "ARM-M D24.2.175" },
	{ "SCTLR", "EE", 25, 25, "ARM-M D24.2.175" },
	{ "SPSR", "N", 31, 31, "ARM-M SPSR_ELx (AArch64)" },
	{ "SPSR", "V", 28, 28, "ARM-M SPSR_ELx" },
	{ "SPSR", "SS", 21, 21, "ARM-M SPSR_ELx" },
	{ "SPSR", "IL", 20, 20, "ARM-M SPSR_ELx" },
	{ "SPSR", "D", 9, 9, "ARM-M SPSR_ELx" },
	{ "SPSR", "A", 8, 8, "ARM-M SPSR_ELx" },
	{ "SPSR", "I", 7, 7, "ARM-M SPSR_ELx" },
	{ "SPSR", "F", 6, 6, "ARM-M SPSR_ELx" },
	{ "SPSR", "nRW", 4, 4, "ARM-M SPSR_ELx" },
	{ "SPSR", "M", 3, 0, "ARM-M SPSR_ELx M[3:0]" },
	{ "PSTATE", "EL", 3, 2, "SPSR.M[3:2] position" },
	{ "PSTATE", "SP", 0, 0, "SPSR.M[0] position" },
	{ "PSTATE", "A", 8, 8, "SPSR.A position" },
	{ "PSTATE", "IL", 20, 20, "SPSR.IL position" },
	{ "DAIF", "D", 9, 9, "ARM-M DAIF" },
	{ "DAIF", "A", 8, 8, "ARM-M DAIF" },
	{ "DAIF", "I", 7, 7, "ARM-M DAIF" },
	{ "DAIF", "F", 6, 6, "ARM-M DAIF" },
	{ "NZCV", "N", 31, 31, "ARM-M NZCV" },
	{ "NZCV", "V", 28, 28, "ARM-M NZCV" },
	{ "CurrentEL", "EL", 3, 2, "ARM-M CurrentEL" },
	{ "SPSel", "SP", 0, 0, "ARM-M SPSel" },
	{ "ISR", "A", 8, 8, "ARM-M D24.2.118 ISR_EL1.A" },
	{ "ISR", "I", 7, 7, "ARM-M D24.2.118 ISR_EL1.I" },
	{ "ISR", "F", 6, 6, "ARM-M D24.2.118 ISR_EL1.F" },
	{ "VBAR", "ADDR", 63, 11, "ARM-M VBAR_ELx: [10:0] RES0" },
	{ "PFR0", "EL0", 3, 0, "ARM-M ID_AA64PFR0_EL1" },
	{ "PFR0", "EL1", 7, 4, "ARM-M ID_AA64PFR0_EL1" },
	{ "PFR0", "EL2", 11, 8, "ARM-M ID_AA64PFR0_EL1" },
	{ "PFR0", "EL3", 15, 12, "ARM-M ID_AA64PFR0_EL1" },
	{ "PFR0", "RAS", 31, 28, "docs/rules.md R6 ID_AA64PFR0_EL1.RAS" },
	{ "PFR0", "SEL2", 39, 36, "ARM-M ID_AA64PFR0_EL1" },
	{ "MMFR2", "IESB", 15, 12, "docs/rules.md R6 ID_AA64MMFR2_EL1.IESB" },
};

START_TEST(field_positions)
{
	for (size_t i = 0; i < sizeof fpos / sizeof fpos[0]; i++) {
		const struct fpos *p = &fpos[i];
		const struct ss_layout *l = layout(p->layout), *where = NULL;
		const struct ss_field *f = ss_field_by_name(l, p->field, &where);
		CHECKF(f != NULL, "%s.%s not found (%s)", p->layout, p->field, p->rule);
		if (!f)
			continue;
		CHECKF(where == l, "%s.%s found in %s", p->layout, p->field, where ? where->name : "-");
		CHECKF(f->msb == p->msb && f->lsb == p->lsb, "%s.%s at %u:%u, expected %u:%u (%s)",
		       p->layout, p->field, f->msb, f->lsb, p->msb, p->lsb, p->rule);
		CHECKF(f->kind == SS_FIELD_FIELD, "%s.%s kind", p->layout, p->field);
	}
	SOFT_DONE();
}
END_TEST

/* The generated macros agree with the same hand-written positions. */
START_TEST(field_macros)
{
#define M(F, msb, lsb)                                                              \
	do {                                                                        \
		CHECKF(SS_##F##_SHIFT == (lsb), #F "_SHIFT %d != %d", (int)SS_##F##_SHIFT, lsb); \
		CHECKF(SS_##F##_WIDTH == (msb) - (lsb) + 1, #F "_WIDTH %d", (int)SS_##F##_WIDTH);  \
		CHECKF(SS_##F##_MASK == SS_BITS(msb, lsb), #F "_MASK 0x%llx",              \
		       (unsigned long long)SS_##F##_MASK);                                   \
	} while (0)
	M(ESR_ELx_EC, 31, 26);
	M(ESR_ELx_IL, 25, 25);
	M(ESR_ELx_ISS, 24, 0);
	M(ESR_SErr_IDS, 24, 24);
	M(ESR_SErr_IESB, 13, 13);
	M(ESR_SErr_AET, 12, 10);
	M(ESR_SErr_EA, 9, 9);
	M(ESR_SErr_DFSC, 5, 0);
	M(DISR_A, 31, 31);
	M(DISR_IDS, 24, 24);
	M(VSESR_IDS, 24, 24);
	M(VSESR_ISS, 23, 0);
	M(HCR_AMO, 5, 5);
	M(HCR_VSE, 8, 8);
	M(HCR_TGE, 27, 27);
	M(HCR_E2H, 34, 34);
	M(SCR_EA, 3, 3);
	M(SCR_NS, 0, 0);
	M(SCR_EEL2, 18, 18);
	M(SCR_NMEA, 20, 20);
	M(SCTLR_IESB, 21, 21);
	M(PSTATE_EL, 3, 2);
	M(PSTATE_SP, 0, 0);
	M(PSTATE_A, 8, 8);
	M(PSTATE_IL, 20, 20);
	M(ISR_A, 8, 8);
#undef M
	/* Hand-computed masks. */
	CHECKF(SS_ESR_ELx_EC_MASK == UINT64_C(0xfc000000), "EC mask");
	CHECKF(SS_HCR_E2H_MASK == UINT64_C(0x400000000), "E2H mask (bit 34)");
	CHECKF(SS_BITS(63, 0) == UINT64_MAX, "SS_BITS(63,0)");
	CHECKF(SS_BITS(0, 0) == 1, "SS_BITS(0,0)");
	CHECKF(SS_GET(ESR_ELx_EC, UINT64_C(0xbe000c11)) == 0x2f, "SS_GET EC");
	CHECKF(SS_SET(HCR_AMO, UINT64_C(0x80000000), 1) == UINT64_C(0x80000020), "SS_SET AMO");
	CHECKF(SS_SET(HCR_AMO, UINT64_C(0xffffffffffffffff), 0) == UINT64_C(0xffffffffffffffdf),
	       "SS_SET AMO=0");
	CHECKF(SS_PREP(ESR_SErr_AET, 7) == 0x1c00, "SS_PREP AET");
	CHECKF(SS_PREP(ESR_SErr_AET, 8) == 0, "SS_PREP truncates");
	CHECKF(SS_FITS(ESR_SErr_AET, 7) && !SS_FITS(ESR_SErr_AET, 8), "SS_FITS");
	SOFT_DONE();
}
END_TEST

/* Fields of variants resolve through the plain layout. */
struct vlookup {
	const char *layout, *field, *where;
	unsigned msb, lsb;
};

static const struct vlookup vlookups[] = {
	{ "ESR_ELx", "EC", "ESR_ELx", 31, 26 },
	{ "ESR_ELx", "ec", "ESR_ELx", 31, 26 },
	{ "ESR_ELx", "AET", "ESR_SErr", 12, 10 },
	{ "ESR_ELx", "aet", "ESR_SErr", 12, 10 },
	{ "ESR_ELx", "IESB", "ESR_SErr", 13, 13 },
	{ "ESR_ELx", "IDS", "ESR_SErr", 24, 24 },
	{ "ESR_ELx", "DFSC", "ESR_SErr", 5, 0 },
	{ "ESR_ELx", "IMPDEF", "ESR_SErrImp", 23, 0 },
	{ "ESR_ELx", "imm16", "ESR_SVC", 15, 0 },
	{ "ESR_ELx", "CV", "ESR_WFx", 24, 24 },
	{ "ESR_ELx", "Rt", "ESR_SysReg", 9, 5 },
	{ "ESR_ELx", "direction", "ESR_SysReg", 0, 0 },
	{ "DISR", "A", "DISR", 31, 31 },
	{ "DISR", "AET", "DISR_Arch", 12, 10 },
	{ "DISR", "dfsc", "DISR_Arch", 5, 0 },
	{ "VSESR", "AET", "VSESR_Arch", 12, 10 },
	{ "VSESR", "IESB", "VSESR_Arch", 13, 13 },
};

START_TEST(field_lookup_variants)
{
	for (size_t i = 0; i < sizeof vlookups / sizeof vlookups[0]; i++) {
		const struct vlookup *v = &vlookups[i];
		const struct ss_layout *where = NULL;
		const struct ss_field *f = ss_field_by_name(layout(v->layout), v->field, &where);
		CHECKF(f && where && strcmp(where->name, v->where) == 0 && f->msb == v->msb &&
			       f->lsb == v->lsb,
		       "%s.%s: found %s in %s at %u:%u, expected %s %u:%u", v->layout, v->field,
		       f ? f->name : "nothing", where ? where->name : "-", f ? f->msb : 0,
		       f ? f->lsb : 0, v->where, v->msb, v->lsb);
		CHECKF(ss_field_by_name(layout(v->layout), v->field, NULL) == f, "where=NULL");
	}
	const char *absent[][2] = { { "ESR_ELx", "NOSUCH" }, { "ESR_ELx", "" }, { "DISR", "IESB" },
				    { "HCR", "AET" }, { "ESR_ELx", "A" }, { "ISR", "EC" } };
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
		CHECKF(ss_field_by_name(layout(absent[i][0]), absent[i][1], NULL) == NULL,
		       "%s.%s must not resolve (DISR has no IESB bit: ARM-M D24.9.1)", absent[i][0],
		       absent[i][1]);
	SOFT_DONE();
}
END_TEST

/* --- enumerations -------------------------------------------------------- */

struct evals {
	const char *en, *sym;
	uint64_t value;
	const char *rule;
};

static const struct evals evals[] = {
	{ "EC", "Unknown", 0x00, "ARM-M ESR_ELx.EC" },
	{ "EC", "WFx", 0x01, "ARM-M ESR_ELx.EC" },
	{ "EC", "IllegalState", 0x0e, "ARM-M ESR_ELx.EC" },
	{ "EC", "SVC64", 0x15, "ARM-M ESR_ELx.EC" },
	{ "EC", "HVC64", 0x16, "ARM-M ESR_ELx.EC" },
	{ "EC", "SMC64", 0x17, "ARM-M ESR_ELx.EC" },
	{ "EC", "SysReg", 0x18, "ARM-M ESR_ELx.EC" },
	{ "EC", "SError", 0x2f, "AArch64.TakeException (ARM-M J1.1.2.35); docs/rules.md R1.4 EC=0x2F" },
	{ "AET", "UC", 0, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 AET" },
	{ "AET", "UEU", 1, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 AET" },
	{ "AET", "UEO", 2, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 AET" },
	{ "AET", "UER", 3, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 AET" },
	{ "AET", "CE", 6, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 AET" },
	{ "DFSC", "Uncategorized", 0x00, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 DFSC" },
	{ "DFSC", "AsyncSError", 0x11, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1 DFSC" },
	{ "M", "EL0t", 0, "ARM-M SPSR.M" },
	{ "M", "EL1t", 4, "ARM-M SPSR.M" },
	{ "M", "EL1h", 5, "ARM-M SPSR.M" },
	{ "M", "EL2t", 8, "ARM-M SPSR.M" },
	{ "M", "EL2h", 9, "ARM-M SPSR.M" },
	{ "M", "EL3t", 12, "ARM-M SPSR.M" },
	{ "M", "EL3h", 13, "ARM-M SPSR.M" },
	{ "RAS", "NI", 0, "ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6 RAS" },
	{ "RAS", "IMP", 1, "ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6 RAS" },
	{ "RAS", "V1P1", 2, "ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6 RAS = 2" },
};

START_TEST(enum_lookups)
{
	for (size_t i = 0; i < sizeof evals / sizeof evals[0]; i++) {
		const struct evals *e = &evals[i];
		const struct ss_enum *en = enumeration(e->en);
		uint64_t v = 0xdead;
		char lower[32];
		CHECKF(ss_enum_value(en, e->sym, &v) && v == e->value, "%s.%s = 0x%llx, expected 0x%llx (%s)",
		       e->en, e->sym, (unsigned long long)v, (unsigned long long)e->value, e->rule);
		size_t n = strlen(e->sym);
		for (size_t k = 0; k <= n && k < sizeof lower; k++)
			lower[k] = (char)((e->sym[k] >= 'A' && e->sym[k] <= 'Z') ? e->sym[k] + 32 : e->sym[k]);
		v = 0xdead;
		CHECKF(ss_enum_value(en, lower, &v) && v == e->value, "%s.%s case-insensitive", e->en, lower);
		const char *name = ss_enum_name(en, e->value);
		CHECKF(name && strcmp(name, e->sym) == 0, "name of %s 0x%llx is %s", e->en,
		       (unsigned long long)e->value, name ? name : "NULL");
	}
	uint64_t v = 42;
	CHECKF(!ss_enum_value(enumeration("AET"), "DE", &v) && v == 42, "AET has no DE symbol");
	CHECKF(!ss_enum_value(NULL, "UC", &v), "NULL enum");
	CHECKF(ss_enum_name(enumeration("AET"), 4) == NULL, "AET 0b100 is reserved");
	CHECKF(ss_enum_name(enumeration("AET"), 7) == NULL, "AET 0b111 is reserved");
	CHECKF(ss_enum_name(enumeration("AET"), 5) == NULL, "AET 0b101 is reserved");
	CHECKF(ss_enum_name(NULL, 0) == NULL, "NULL enum name");
	/* Generated enum macros. */
	CHECKF(SS_EC_SError == 0x2f && SS_EC_SVC64 == 0x15 && SS_EC_HVC64 == 0x16 && SS_EC_SMC64 == 0x17 &&
		       SS_EC_IllegalState == 0x0e && SS_EC_Unknown == 0 && SS_EC_SysReg == 0x18 && SS_EC_WFx == 1,
	       "EC macros");
	CHECKF(SS_AET_UC == 0 && SS_AET_UEU == 1 && SS_AET_UEO == 2 && SS_AET_UER == 3 && SS_AET_CE == 6, "AET macros");
	CHECKF(SS_DFSC_AsyncSError == 0x11 && SS_DFSC_Uncategorized == 0, "DFSC macros");
	CHECKF(SS_M_EL0t == 0 && SS_M_EL1h == 5 && SS_M_EL2h == 9 && SS_M_EL3h == 13, "M macros");
	/* Every symbol value of every enum is unique within its enum. */
	for (unsigned i = 0; i < SS_NUM_ENUMS; i++)
		for (unsigned a = 0; a < ss_enums[i].n; a++)
			for (unsigned b = 0; b < a; b++)
				CHECKF(ss_enums[i].vals[a].value != ss_enums[i].vals[b].value,
				       "%s: duplicate value", ss_enums[i].name);
	SOFT_DONE();
}
END_TEST

/* --- the decoder ------------------------------------------------------------ */

struct dcase {
	const char *layout;
	uint64_t v;
	const char *text;
};

static const struct dcase dcases[] = {
	{ "ESR_ELx", 0xbe000c11, "EC=SError IL=1 IDS=0 IESB=0 AET=UER EA=0 DFSC=AsyncSError" },
	{ "ESR_ELx", 0xbe002e11, "EC=SError IL=1 IDS=0 IESB=1 AET=UER EA=1 DFSC=AsyncSError" },
	{ "ESR_ELx", 0xbe000011, "EC=SError IL=1 IDS=0 IESB=0 AET=UC EA=0 DFSC=AsyncSError" },
	{ "ESR_ELx", 0xbe001811, "EC=SError IL=1 IDS=0 IESB=0 AET=CE EA=0 DFSC=AsyncSError" },
	{ "ESR_ELx", 0xbe000000, "EC=SError IL=1 IDS=0 DFSC=Uncategorized" },	/* AET only with AsyncSError */
	{ "ESR_ELx", 0xbe000c00, "EC=SError IL=1 IDS=0 RES0[23:6]=0x30 DFSC=Uncategorized" },
	{ "ESR_ELx", 0xbe001011, "EC=SError IL=1 IDS=0 IESB=0 AET=0x4(reserved) EA=0 DFSC=AsyncSError" },
	{ "ESR_ELx", 0xbe000c12, "EC=SError IL=1 IDS=0 RES0[23:6]=0x30 DFSC=0x12(reserved)" },
	{ "ESR_ELx", 0xbf123456, "EC=SError IL=1 IDS=1 IMPDEF=0x123456" },
	{ "ESR_ELx", 0xbe800c11,
	  "EC=SError IL=1 IDS=0 RES0[23:14]=0x200 IESB=0 AET=UER EA=0 DFSC=AsyncSError" },
	{ "ESR_ELx", UINT64_C(0x1be000c11),
	  "RES0[63:32]=0x1 EC=SError IL=1 IDS=0 IESB=0 AET=UER EA=0 DFSC=AsyncSError" },
	{ "ESR_ELx", 0x56000042, "EC=SVC64 IL=1 imm16=0x42" },
	{ "ESR_ELx", 0x5a000001, "EC=HVC64 IL=1 imm16=0x1" },
	{ "ESR_ELx", 0x5e00ffff, "EC=SMC64 IL=1 imm16=0xffff" },
	{ "ESR_ELx", 0x3a000000, "EC=IllegalState IL=1 ISS=0x0" },
	{ "ESR_ELx", 0x02000000, "EC=Unknown IL=1 ISS=0x0" },
	{ "ESR_ELx", 0xfe000000, "EC=0x3f(reserved) IL=1 ISS=0x0" },
	{ "ESR_ELx", 0x07e00000, "EC=WFx IL=1 CV=1 COND=0xe TI=0x0" },
	{ "ESR_ELx", 0x62323063, "EC=SysReg IL=1 Op0=0x3 Op2=0x1 Op1=0x0 CRn=0xc Rt=0x3 CRm=0x1 Direction=1" },
	{ "DISR", 0x80000c11, "A=1 IDS=0 AET=UER EA=0 DFSC=AsyncSError" },
	{ "DISR", 0x81abcdef, "A=1 IDS=1 ISS=0xabcdef" },
	{ "DISR", 0, "A=0 IDS=0 DFSC=Uncategorized" },
	{ "VSESR", 0, "IDS=0 DFSC=Uncategorized" },
	{ "DISR", 0x80002c11, "A=1 IDS=0 RES0[23:13]=0x1 AET=UER EA=0 DFSC=AsyncSError" },
	{ "VSESR", 0x2e11, "IDS=0 IESB=1 AET=UER EA=1 DFSC=AsyncSError" },
	{ "VSESR", 0x1000001, "IDS=1 ISS=0x1" },
	{ "HCR", 0x80000000,
	  "MIOCNCE=0 TEA=0 TERR=0 TLOR=0 E2H=0 ID=0 CD=0 RW=1 TRVM=0 HCD=0 TDZ=0 TGE=0 TVM=0 TTLB=0 "
	  "TPU=0 TPCP=0 TSW=0 TACR=0 TIDCP=0 TSC=0 TID3=0 TID2=0 TID1=0 TID0=0 TWE=0 TWI=0 DC=0 "
	  "BSU=0x0 FB=0 VSE=0 VI=0 VF=0 AMO=0 IMO=0 FMO=0 PTW=0 SWIO=0 VM=0" },
	{ "ISR", 0x100, "A=1 I=0 F=0" },
	{ "ISR", 0x1100, "RES0[63:9]=0x8 A=1 I=0 F=0" },
	{ "PSTATE", 0x3c5, "N=0 Z=0 C=0 V=0 SS=0 IL=0 D=1 A=1 I=1 F=1 nRW=0 EL=0x1 SP=1" },
	{ "SPSR", 0x3c5, "N=0 Z=0 C=0 V=0 SS=0 IL=0 D=1 A=1 I=1 F=1 nRW=0 M=EL1h" },
	{ "SPSR", 0x6, "N=0 Z=0 C=0 V=0 SS=0 IL=0 D=0 A=0 I=0 F=0 nRW=0 M=0x6(reserved)" },
	{ "CurrentEL", 0x8, "EL=0x2" },
};

START_TEST(decode_known_values)
{
	char buf[512];
	for (size_t i = 0; i < sizeof dcases / sizeof dcases[0]; i++) {
		const struct dcase *d = &dcases[i];
		size_t n = ss_decode(layout(d->layout), d->v, buf, sizeof buf);
		CHECKF(strcmp(buf, d->text) == 0, "%s 0x%llx decodes to\n    \"%s\"\n  expected\n    \"%s\"",
		       d->layout, (unsigned long long)d->v, buf, d->text);
		CHECKF(n == strlen(d->text), "%s 0x%llx: length %zu", d->layout, (unsigned long long)d->v, n);
	}
	SOFT_DONE();
}
END_TEST

START_TEST(decode_buffers)
{
	const char *full = "EC=SError IL=1 IDS=0 IESB=0 AET=UER EA=0 DFSC=AsyncSError";
	size_t need = strlen(full);
	char buf[128];
	EXPECT(ss_decode(layout("ESR_ELx"), 0xbe000c11, NULL, 0) == need, "length with no buffer");
	for (size_t len = 1; len <= need + 2; len++) {
		memset(buf, 'X', sizeof buf);
		size_t n = ss_decode(layout("ESR_ELx"), 0xbe000c11, buf, len);
		CHECKF(n == need, "len %zu: returns %zu", len, n);
		size_t want = len - 1 < need ? len - 1 : need;
		CHECKF(strlen(buf) == want && strncmp(buf, full, want) == 0,
		       "len %zu: truncated to \"%s\"", len, buf);
		CHECKF(buf[len] == 'X' || len > need, "len %zu: wrote past the buffer", len);
	}
	/* ss_format_field */
	const struct ss_field *aet = ss_field_by_name(layout("ESR_ELx"), "AET", NULL);
	EXPECT(aet != NULL, "AET");
	ss_format_field(aet, 3, buf, sizeof buf);
	CHECKF(strcmp(buf, "UER") == 0, "AET 3 -> %s", buf);
	ss_format_field(aet, 5, buf, sizeof buf);
	CHECKF(strcmp(buf, "0x5(reserved)") == 0, "AET 5 -> %s", buf);
	const struct ss_field *ea = ss_field_by_name(layout("ESR_ELx"), "EA", NULL);
	ss_format_field(ea, 1, buf, sizeof buf);
	CHECKF(strcmp(buf, "1") == 0, "EA 1 -> %s", buf);
	const struct ss_field *iss = ss_field_by_name(layout("ESR_ELx"), "ISS", NULL);
	ss_format_field(iss, 0x1abc, buf, sizeof buf);
	CHECKF(strcmp(buf, "0x1abc") == 0, "ISS -> %s", buf);
	SOFT_DONE();
}
END_TEST

START_TEST(layout_for_variants)
{
	const struct {
		const char *layout;
		uint64_t v;
		const char *want;
	} c[] = {
		{ "ESR_ELx", 0xbe000c11, "ESR_SErr" },   { "ESR_ELx", 0xbf000000, "ESR_SErrImp" },
		{ "ESR_ELx", 0x56000042, "ESR_SVC" },    { "ESR_ELx", 0x5a000001, "ESR_HVC" },
		{ "ESR_ELx", 0x5e000001, "ESR_SMC" },    { "ESR_ELx", 0x07e00000, "ESR_WFx" },
		{ "ESR_ELx", 0x62000000, "ESR_SysReg" }, { "ESR_ELx", 0x02000000, "ESR_ELx" },
		{ "ESR_ELx", 0x3a000000, "ESR_ELx" },    { "DISR", 0x80000c11, "DISR_Arch" },
		{ "DISR", 0x81000000, "DISR" },          { "VSESR", 0x11, "VSESR_Arch" },
		{ "VSESR", 0x1000000, "VSESR" },         { "HCR", 0, "HCR" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		const struct ss_layout *l = ss_layout_for(layout(c[i].layout), c[i].v);
		CHECKF(strcmp(l->name, c[i].want) == 0, "%s 0x%llx -> %s, expected %s", c[i].layout,
		       (unsigned long long)c[i].v, l->name, c[i].want);
	}
	SOFT_DONE();
}
END_TEST

/* --- RES0 / RES1 masks, hand-computed -------------------------------------- */

START_TEST(res_masks)
{
	const struct {
		const char *layout;
		uint64_t res0, res1;
		const char *rule;
	} c[] = {
		{ "ESR_ELx", UINT64_C(0xffffffff00000000), 0, "ISS2 not modelled" },
		{ "ESR_SErr", UINT64_C(0xffffffff00ffc1c0), 0, "ARM-M D24.2.45 ESR_EL1; docs/rules.md R3.1: 23:14 (RASv2/PFAR not modelled), 8:6" },
		{ "DISR", UINT64_C(0xffffffff7e000000), 0, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3: 63:32, 30:25" },
		{ "DISR_Arch", UINT64_C(0xffffffff7effe1c0), 0, "ARM-M D24.9.1 DISR_EL1; docs/rules.md R3.3: + 23:13 (no IESB), 8:6" },
		{ "VSESR", UINT64_C(0xfffffffffe000000), 0, "ARM-M D24.9.18 VSESR_EL2; docs/rules.md R3.2: 63:25" },
		{ "HCR", UINT64_C(0xffffff8000000000), 0, "HCR_EL2 63:39 not modelled" },
		{ "SCR", UINT64_C(0xfff7efbfffc00040), 0x30, "SCR_EL3 bit 6 RES0, 5:4 RES1; TMEA, SCTLR2En, HXEn fields" },
		{ "SCTLR2", UINT64_C(0xffffffffffffffdb), 0, "SCTLR2_ELx: only NMEA and EASE" },
		{ "HCRX", UINT64_C(0xffffffffffff7fff) & ~(UINT64_C(1) << 19), 0, "HCRX_EL2: only TMEA and SCTLR2En" },
		{ "SCTLR", UINT64_C(0xffffffff00020000), 0, "SCTLR bit 17 RES0" },
		{ "ISR", UINT64_C(0xfffffffffffffe3f), 0, "ISR_EL1" },
		{ "DAIF", UINT64_C(0xfffffffffffffc3f), 0, "DAIF" },
		{ "VBAR", 0x7ff, 0, "VBAR_ELx [10:0]" },
		{ "CurrentEL", UINT64_C(0xfffffffffffffff3), 0, "CurrentEL" },
		{ "PSTATE", UINT64_C(0xffffffff0fcffc22), 0, "PSTATE packed as SPSR" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		const struct ss_layout *l = layout(c[i].layout);
		CHECKF(l->res0 == c[i].res0, "%s RES0 0x%016llx, expected 0x%016llx (%s)", c[i].layout,
		       (unsigned long long)l->res0, (unsigned long long)c[i].res0, c[i].rule);
		CHECKF(l->res1 == c[i].res1, "%s RES1 0x%llx, expected 0x%llx (%s)", c[i].layout,
		       (unsigned long long)l->res1, (unsigned long long)c[i].res1, c[i].rule);
	}
	CHECKF(SS_ESR_ELx_RES0 == UINT64_C(0xffffffff00000000), "SS_ESR_ELx_RES0 macro");
	CHECKF(SS_DISR_RES0 == UINT64_C(0xffffffff7e000000), "SS_DISR_RES0 macro");
	CHECKF(SS_SCR_RES1 == 0x30, "SS_SCR_RES1 macro");
	/* Bits RES0 in every variant. */
	CHECKF(ss_layout_res0(layout("ESR_ELx")) == UINT64_C(0xffffffff00000000), "ESR_ELx all-variant RES0");
	CHECKF(ss_layout_res0(layout("DISR")) == UINT64_C(0xffffffff7e000000),
	       "DISR all-variant RES0: 0x%llx", (unsigned long long)ss_layout_res0(layout("DISR")));
	CHECKF(ss_layout_res0(layout("VSESR")) == UINT64_C(0xfffffffffe000000), "VSESR all-variant RES0");
	CHECKF(ss_layout_res0(layout("HCR")) == layout("HCR")->res0, "plain layout");
	SOFT_DONE();
}
END_TEST

/* --- registers: names, encodings, access, reset values ----------------------- */

/* Encodings written by hand from the Arm ARM register pages, for the
 * registers whose encoding the model depends on; register_facts walks the
 * whole generated table, so a new register needs no row here. */
struct regenc {
	const char *name;
	int op0, op1, crn, crm, op2;
};

static const struct regenc regencs[] = {
	{ "ESR_EL1", 3, 0, 5, 2, 0 },	 { "ESR_EL2", 3, 4, 5, 2, 0 },	  { "ESR_EL3", 3, 6, 5, 2, 0 },
	{ "ELR_EL1", 3, 0, 4, 0, 1 },	 { "ELR_EL2", 3, 4, 4, 0, 1 },	  { "ELR_EL3", 3, 6, 4, 0, 1 },
	{ "SPSR_EL1", 3, 0, 4, 0, 0 },	 { "SPSR_EL2", 3, 4, 4, 0, 0 },	  { "SPSR_EL3", 3, 6, 4, 0, 0 },
	{ "VBAR_EL1", 3, 0, 12, 0, 0 },	 { "VBAR_EL2", 3, 4, 12, 0, 0 },  { "VBAR_EL3", 3, 6, 12, 0, 0 },
	{ "SCTLR_EL1", 3, 0, 1, 0, 0 },	 { "SCTLR_EL2", 3, 4, 1, 0, 0 },  { "SCTLR_EL3", 3, 6, 1, 0, 0 },
	{ "HCR_EL2", 3, 4, 1, 1, 0 },	 { "SCR_EL3", 3, 6, 1, 1, 0 },	  { "VSESR_EL2", 3, 4, 5, 2, 3 },
	{ "DISR_EL1", 3, 0, 12, 1, 1 },	 { "VDISR_EL2", 3, 4, 12, 1, 1 }, { "ISR_EL1", 3, 0, 12, 1, 0 },
	{ "ID_AA64PFR0_EL1", 3, 0, 0, 4, 0 }, { "ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2 },
	{ "DAIF", 3, 3, 4, 2, 1 },	 { "NZCV", 3, 3, 4, 2, 0 },	  { "CurrentEL", 3, 0, 4, 2, 2 },
	{ "SPSel", 3, 0, 4, 2, 0 },
};

START_TEST(register_facts)
{
	for (unsigned i = 0; i < SS_REG_COUNT; i++) {
		const struct ss_sysreg *r = &ss_sysregs[i];
		CHECKF(r->id == (enum ss_reg)i, "%s: id indexes the table", r->name);
		CHECKF(ss_sysreg_by_name(r->name) == r, "%s by name", r->name);
		CHECKF((unsigned)r->feature < SS_FEAT_COUNT, "%s: feature", r->name);
		CHECKF(r->min_el <= 3, "%s: min EL %u", r->name, r->min_el);
		/* A register named *_ELn is accessible from ELn up. */
		const char *el = strstr(r->name, "_EL");
		if (el && el[3] >= '0' && el[3] <= '3' && el[4] == '\0')
			CHECKF(r->min_el == (unsigned)(el[3] - '0'), "%s: min EL %u", r->name, r->min_el);
		/* ID registers and ISR_EL1 are read-only. */
		if (strncmp(r->name, "ID_", 3) == 0 || strcmp(r->name, "ISR_EL1") == 0)
			CHECKF(r->access == SS_ACCESS_RO, "%s: read-only", r->name);
		if (!r->has_enc)
			continue;
		CHECKF(ss_sysreg_by_enc(r->op0, r->op1, r->crn, r->crm, r->op2) == r, "%s by encoding",
		       r->name);
	}
	for (size_t i = 0; i < sizeof regencs / sizeof regencs[0]; i++) {
		const struct regenc *f = &regencs[i];
		const struct ss_sysreg *r = ss_sysreg_by_name(f->name);
		CHECKF(r != NULL, "%s by name", f->name);
		if (!r)
			continue;
		CHECKF(r->has_enc && r->op0 == f->op0 && r->op1 == f->op1 && r->crn == f->crn &&
			       r->crm == f->crm && r->op2 == f->op2,
		       "%s: encoding S%u_%u_C%u_C%u_%u, expected S%d_%d_C%d_C%d_%d", f->name, r->op0, r->op1,
		       r->crn, r->crm, r->op2, f->op0, f->op1, f->crn, f->crm, f->op2);
	}
	/* DISR/VDISR/VSESR need FEAT_RAS (ARM-M D24.9.1, D24.9.16, D24.9.18). */
	CHECKF(ss_sysregs[SS_REG_DISR_EL1].feature == SS_FEAT_RAS, "DISR_EL1 needs FEAT_RAS");
	CHECKF(ss_sysregs[SS_REG_VDISR_EL2].feature == SS_FEAT_RAS, "VDISR_EL2 needs FEAT_RAS");
	CHECKF(ss_sysregs[SS_REG_VSESR_EL2].feature == SS_FEAT_RAS, "VSESR_EL2 needs FEAT_RAS");
	CHECKF(!ss_sysregs[SS_REG_PSTATE].has_enc, "PSTATE has no encoding");
	/* Case-insensitive names; unknown names and encodings. */
	CHECKF(ss_sysreg_by_name("esr_el1") == &ss_sysregs[SS_REG_ESR_EL1], "esr_el1");
	CHECKF(ss_sysreg_by_name("Disr_El1") == &ss_sysregs[SS_REG_DISR_EL1], "Disr_El1");
	CHECKF(ss_sysreg_by_name("ESR_EL4") == NULL, "ESR_EL4");
	CHECKF(ss_sysreg_by_name("") == NULL, "empty name");
	CHECKF(ss_sysreg_by_enc(3, 0, 5, 2, 1) == NULL, "S3_0_C5_C2_1 is not modelled");
	CHECKF(ss_sysreg_by_enc(0, 0, 0, 0, 0) == NULL, "PSTATE has no encoding");
	/* Encodings are unique. */
	for (unsigned a = 0; a < SS_REG_COUNT; a++)
		for (unsigned b = 0; b < a; b++) {
			const struct ss_sysreg *x = &ss_sysregs[a], *y = &ss_sysregs[b];
			if (x->has_enc && y->has_enc)
				CHECKF(!(x->op0 == y->op0 && x->op1 == y->op1 && x->crn == y->crn &&
					 x->crm == y->crm && x->op2 == y->op2),
				       "%s and %s share an encoding", x->name, y->name);
		}
	SOFT_DONE();
}
END_TEST

/* The feature table: the X-macros, the rows and the ID fields agree. */
START_TEST(feature_facts)
{
	CHECKF(strcmp(ss_features[SS_FEAT_ALWAYS].name, "ALWAYS") == 0, "row 0 is ALWAYS");
	CHECKF(ss_features[SS_FEAT_ALWAYS].idfield == NULL, "ALWAYS has no ID field");
#define FEAT_ROW(id, kn, def, hp, src)                                                          \
	CHECKF(strcmp(ss_features[SS_FEAT_##id].name, #id) == 0, #id ": name");                  \
	CHECKF(strcmp(ss_features[SS_FEAT_##id].knob, #kn) == 0, #id ": knob");                  \
	CHECKF(strcmp(ss_features[SS_FEAT_##id].knob, SS_FEAT_##id##_KNOB) == 0, #id ": knob macro"); \
	CHECKF(strcmp(ss_features[SS_FEAT_##id].help, hp) == 0, #id ": help");
	SS_FEATURES(FEAT_ROW)
#undef FEAT_ROW
	for (unsigned f = 1; f < SS_FEAT_COUNT; f++) {
		const struct ss_feature *d = &ss_features[f];
		CHECKF(ss_feature_by_name(d->name) == d, "%s by name", d->name);
		CHECKF(d->source && d->source[0], "%s: source", d->name);
		if (!d->idfield)
			continue;
		const struct ss_layout *l = ss_sysregs[d->idreg].layout;
		CHECKF(d->idfield >= l->fields && d->idfield < l->fields + l->nfields, "%s: ID field of %s",
		       d->name, ss_sysregs[d->idreg].name);
		CHECKF(ss_field_fits(d->idfield, d->idvalue), "%s: ID value fits", d->name);
		CHECKF(d->idvalue != 0, "%s: ID value not NI", d->name);
	}
	for (unsigned i = 0; i < SS_NUM_FEAT_REQS; i++) {
		const struct ss_feat_req *q = &ss_feat_reqs[i];
		CHECKF(q->needs != 0 && !(q->needs & SS_FEAT_BIT(q->feature)) && !(q->needs & 1u),
		       "%s", q->message);
		CHECKF(strncmp(q->message, ss_features[q->feature].knob, strlen(ss_features[q->feature].knob)) == 0,
		       "%s names its knob", q->message);
	}
	/* From the architecture: FEAT_DoubleFault is ID_AA64PFR0_EL1.RAS >= 2
	 * (V1P1), FEAT_RAS >= 1, FEAT_IESB ID_AA64MMFR2_EL1.IESB >= 1. */
	CHECKF(ss_features[SS_FEAT_DoubleFault].idfield == ss_features[SS_FEAT_RAS].idfield &&
		       ss_features[SS_FEAT_DoubleFault].idvalue == 2 && ss_features[SS_FEAT_RAS].idvalue == 1,
	       "RAS field: IMP with RAS, V1P1 with DoubleFault");
	CHECKF(ss_features[SS_FEAT_IESB].idreg == SS_REG_ID_AA64MMFR2_EL1, "IESB in ID_AA64MMFR2_EL1");
	/* Fields RES0 without their feature. */
	const struct ss_field *f = ss_field_by_name(&ss_layouts[0], "EC", NULL);
	CHECKF(f && f->feature == SS_FEAT_ALWAYS, "ESR_ELx.EC needs no feature");
	f = ss_field_by_name(ss_sysregs[SS_REG_SCR_EL3].layout, "NMEA", NULL);
	CHECKF(f && f->feature == SS_FEAT_DoubleFault, "SCR_EL3.NMEA needs FEAT_DoubleFault");
	f = ss_field_by_name(ss_sysregs[SS_REG_HCR_EL2].layout, "TEA", NULL);
	CHECKF(f && f->feature == SS_FEAT_RAS, "HCR_EL2.TEA needs FEAT_RAS");
	SOFT_DONE();
}
END_TEST

START_TEST(reset_values)
{
	for (unsigned i = 0; i < SS_REG_COUNT; i++) {
		const struct ss_sysreg *r = &ss_sysregs[i];
		uint64_t res0 = ss_layout_res0(r->layout);
		CHECKF((r->reset & res0) == 0, "%s reset 0x%llx sets RES0 bits 0x%llx", r->name,
		       (unsigned long long)r->reset, (unsigned long long)(r->reset & res0));
		CHECKF((r->reset & r->layout->res1) == r->layout->res1, "%s reset clears RES1 bits", r->name);
	}
	const struct {
		enum ss_reg r;
		uint64_t v;
		const char *why;
	} c[] = {
		{ SS_REG_PSTATE, 0x3c5, "EL1h, DAIF=1111" },
		{ SS_REG_HCR_EL2, 0x80000000, "HCR_EL2.RW=1, all else 0" },
		{ SS_REG_SCR_EL3, 0x531, "SCR_EL3.NS=1 HCE=1 RW=1 + RES1" },
		{ SS_REG_VBAR_EL1, 0x10000, "model choice" },
		{ SS_REG_VBAR_EL2, 0x20000, "model choice" },
		{ SS_REG_VBAR_EL3, 0x30000, "model choice" },
		{ SS_REG_DISR_EL1, 0, "DISR_EL1.A=0" },
		{ SS_REG_VDISR_EL2, 0, "VDISR_EL2.A=0" },
		{ SS_REG_VSESR_EL2, 0, "VSESR_EL2=0" },
		{ SS_REG_SPSel, 1, "SP_ELx" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		CHECKF(ss_sysregs[c[i].r].reset == c[i].v, "%s reset 0x%llx, expected 0x%llx (%s)",
		       ss_sysregs[c[i].r].name, (unsigned long long)ss_sysregs[c[i].r].reset,
		       (unsigned long long)c[i].v, c[i].why);
	uint64_t ps = ss_sysregs[SS_REG_PSTATE].reset;
	CHECKF(SS_GET(PSTATE_EL, ps) == 1 && SS_GET(PSTATE_SP, ps) == 1 && SS_GET(PSTATE_A, ps) == 1 &&
		       SS_GET(PSTATE_D, ps) == 1 && SS_GET(PSTATE_I, ps) == 1 && SS_GET(PSTATE_F, ps) == 1,
	       "PSTATE reset = EL1h DAIF=1111");
	uint64_t scr = ss_sysregs[SS_REG_SCR_EL3].reset;
	CHECKF(SS_GET(SCR_EA, scr) == 0 && SS_GET(SCR_NS, scr) == 1 && SS_GET(SCR_RW, scr) == 1,
	       "SCR_EL3 reset: EA=0, NS=1, RW=1");
	uint64_t hcr = ss_sysregs[SS_REG_HCR_EL2].reset;
	CHECKF(SS_GET(HCR_AMO, hcr) == 0 && SS_GET(HCR_TGE, hcr) == 0 && SS_GET(HCR_VSE, hcr) == 0 &&
		       SS_GET(HCR_E2H, hcr) == 0,
	       "HCR_EL2 reset: AMO=TGE=VSE=E2H=0");
	for (enum ss_reg r = SS_REG_SCTLR_EL1; r <= SS_REG_SCTLR_EL3; r++)
		CHECKF(SS_GET(SCTLR_IESB, ss_sysregs[r].reset) == 0, "%s reset IESB=0", ss_sysregs[r].name);
	SOFT_DONE();
}
END_TEST

/* --- esr.h constructors against hand-computed values --------------------- */

START_TEST(esr_constructors)
{
	const struct {
		uint64_t got, want;
		const char *what;
	} c[] = {
		/* EC=0x2F<<26 | IL<<25 = 0xbe000000 (AArch64.TakeException (ARM-M J1.1.2.35); ARM-M D24.2.45 ESR_EL1; docs/rules.md R1.4, R3.1). */
		{ ss_esr_serror(ss_iss_serror(SS_AET_UER, 0)), 0xbe000c11, "SError UER EA=0" },
		{ ss_esr_serror(ss_iss_serror(SS_AET_UER, 1)), 0xbe000e11, "SError UER EA=1" },
		{ ss_esr_serror(ss_iss_serror(SS_AET_UC, 0)), 0xbe000011, "SError UC" },
		{ ss_esr_serror(ss_iss_serror(SS_AET_UEU, 0)), 0xbe000411, "SError UEU" },
		{ ss_esr_serror(ss_iss_serror(SS_AET_UEO, 0)), 0xbe000811, "SError UEO" },
		{ ss_esr_serror(ss_iss_serror(SS_AET_CE, 0)), 0xbe001811, "SError CE" },
		{ ss_esr_serror(ss_iss_serror_impdef(0x123456)), 0xbf123456, "SError IDS=1" },
		{ ss_esr_serror(ss_iss_serror_impdef(0xffffff)), 0xbfffffff, "SError IDS=1 all ones" },
		{ ss_esr_serror(ss_iss_serror_uncategorized()), 0xbe000000, "SError Uncategorized: ISS=0" },
		{ ss_esr_serror(ss_iss_with_iesb(ss_iss_serror(SS_AET_UER, 0), 1)), 0xbe002c11, "SError IESB=1" },
		{ ss_esr_serror(0xffffffff), 0xbfffffff, "ISS limited to 25 bits" },
		{ ss_esr_serror(0x2000000), 0xbe000000, "bit 25 is not ISS" },
		{ ss_iss_serror(SS_AET_UER, 0), 0xc11, "ISS UER" },
		{ ss_iss_serror(SS_AET_CE, 1), 0x1a11, "ISS CE EA" },
		{ ss_iss_serror_impdef(0xabc), 0x1000abc, "ISS IDS=1" },
		{ ss_iss_serror_impdef(0x1ffffff), 0x1ffffff, "IMPDEF limited to 24 bits" },
		{ ss_iss_serror_uncategorized(), 0, "Uncategorized" },
		{ ss_iss_with_iesb(0x2c11, 0), 0xc11, "clear IESB" },
		{ ss_esr_svc(0x42), 0x56000042, "SVC #0x42: EC=0x15" },
		{ ss_esr_svc(0), 0x56000000, "SVC #0" },
		{ ss_esr_svc(0xffff), 0x5600ffff, "SVC #0xffff" },
		{ ss_esr_hvc(1), 0x5a000001, "HVC #1: EC=0x16" },
		{ ss_esr_smc(0xffff), 0x5e00ffff, "SMC #0xffff: EC=0x17" },
		{ ss_esr_unknown(), 0x02000000, "UNDEFINED: EC=0 IL=1" },
		{ ss_esr_illegal_state(), 0x3a000000, "Illegal state: EC=0x0E IL=1" },
		{ ss_esr_wfi(), 0x07e00000, "WFI: EC=1 CV=1 COND=0xE TI=0" },
		{ ss_esr(SS_EC_SError, false, 0x11), 0xbc000011, "ss_esr IL=0" },
		{ ss_esr_sysreg_trap(&ss_sysregs[SS_REG_DISR_EL1], 3, true), 0x62323063,
		  "MRS x3, DISR_EL1 trap: Op0=3 Op2=1 Op1=0 CRn=12 Rt=3 CRm=1 Dir=1" },
		{ ss_esr_sysreg_trap(&ss_sysregs[SS_REG_DAIF], 0, false), 0x6232d004,
		  "MSR DAIF, x0 trap: Op0=3 Op2=1 Op1=3 CRn=4 Rt=0 CRm=2 Dir=0" },
		{ ss_esr_sysreg_trap(&ss_sysregs[SS_REG_VSESR_EL2], 30, true), 0x623717c5,
		  "MRS x30, VSESR_EL2: Op0=3 Op2=3 Op1=4 CRn=5 Rt=30 CRm=2 Dir=1" },
		/* DISR_EL1 = A | IDS | ISS[23:0]; no IESB bit (ARM-M D24.9.1). */
		{ ss_disr_deferred(0xc11), 0x80000c11, "DISR UER" },
		{ ss_disr_deferred(0x2c11), 0x80000c11, "DISR drops IESB" },
		{ ss_disr_deferred(0x0e11), 0x80000e11, "DISR keeps EA" },
		{ ss_disr_deferred(0x1abcdef), 0x81abcdef, "DISR IDS=1 keeps [23:0]" },
		{ ss_disr_deferred(0x1002000), 0x81002000, "DISR IDS=1 keeps bit 13 (IMPDEF)" },
		{ ss_disr_deferred(0), 0x80000000, "DISR Uncategorized" },
		{ ss_disr_deferred(0x40c11), 0x80000c11, "DISR: RASv2 ELS (bit 18) RES0 here" },
		{ ss_disr_deferred(0xffffffff), 0x81ffffff, "DISR from an all-ones IMPDEF ISS" },
		/* VDISR_EL2 = A | VSESR_EL2[24:0] (ARM-M C6.2 ESB; docs/rules.md R4.1 vESB). */
		{ ss_vdisr_deferred(0x1234), 0x80001234, "VDISR" },
		{ ss_vdisr_deferred(0x2c11), 0x80002c11, "VDISR copies VSESR[24:0] verbatim" },
		{ ss_vdisr_deferred(UINT64_C(0xffffffffffffffff)), 0x81ffffff, "VDISR ignores VSESR[63:25]" },
		{ ss_vdisr_deferred(0), 0x80000000, "VDISR zero syndrome" },
		{ ss_iss_aet(0xc11), 3, "AET" },
		{ ss_iss_dfsc(0xc11), 0x11, "DFSC" },
		{ SS_SERROR_ISS_MASK, 0x1ffffff, "ISS[24:0]" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		CHECKF(c[i].got == c[i].want, "%s: 0x%llx, expected 0x%llx", c[i].what,
		       (unsigned long long)c[i].got, (unsigned long long)c[i].want);
	CHECKF(ss_iss_ids(0x1000000) && !ss_iss_ids(0xc11), "ss_iss_ids");
	CHECKF(ss_iss_is_architected(0xc11) && !ss_iss_is_architected(0) &&
		       !ss_iss_is_architected(0x1000011),
	       "ss_iss_is_architected");
	SOFT_DONE();
}
END_TEST

/* Every AET x EA x IESB combination: constructors match the arithmetic. */
START_TEST(esr_constructor_sweep)
{
	static const uint64_t aets[] = { 0, 1, 2, 3, 6 };
	for (size_t a = 0; a < 5; a++)
		for (int ea = 0; ea < 2; ea++)
			for (int iesb = 0; iesb < 2; iesb++) {
				uint32_t iss = ss_iss_with_iesb(ss_iss_serror(aets[a], ea), iesb);
				uint32_t want = (uint32_t)((iesb << 13) | (aets[a] << 10) | (ea << 9) | 0x11);
				CHECKF(iss == want, "iss AET=%llu EA=%d IESB=%d: 0x%x want 0x%x",
				       (unsigned long long)aets[a], ea, iesb, iss, want);
				CHECKF(ss_esr_serror(iss) == (UINT64_C(0xbe000000) | want), "esr");
				CHECKF(ss_disr_deferred(iss) == (UINT64_C(0x80000000) | (want & ~0x2000u)),
				       "disr drops IESB (ARM-M D24.9.1)");
				char buf[256], exp[256];
				snprintf(exp, sizeof exp, "EC=SError IL=1 IDS=0 IESB=%d AET=%s EA=%d DFSC=AsyncSError",
					 iesb, ss_enum_name(enumeration("AET"), aets[a]), ea);
				ss_decode(layout("ESR_ELx"), ss_esr_serror(iss), buf, sizeof buf);
				CHECKF(strcmp(buf, exp) == 0, "decode %s != %s", buf, exp);
			}
	for (uint32_t imm = 0; imm < 0x10000; imm += 0x111) {
		CHECKF(ss_esr_svc((uint16_t)imm) == (0x56000000u | imm), "svc %x", imm);
		CHECKF(ss_esr_hvc((uint16_t)imm) == (0x5a000000u | imm), "hvc %x", imm);
		CHECKF(ss_esr_smc((uint16_t)imm) == (0x5e000000u | imm), "smc %x", imm);
	}
	SOFT_DONE();
}
END_TEST

Suite *suite_sysregs(void)
{
	Suite *s = suite_create("sysregs");
	TCase *tc = unit_tcase("table");
	tcase_add_test(tc, layouts_cover_63_0);
	tcase_add_test(tc, variants_consistent);
	tcase_add_test(tc, field_positions);
	tcase_add_test(tc, field_macros);
	tcase_add_test(tc, field_lookup_variants);
	tcase_add_test(tc, enum_lookups);
	tcase_add_test(tc, res_masks);
	tcase_add_test(tc, register_facts);
	tcase_add_test(tc, feature_facts);
	tcase_add_test(tc, reset_values);
	suite_add_tcase(s, tc);
	tc = unit_tcase("decode");
	tcase_add_test(tc, decode_known_values);
	tcase_add_test(tc, decode_buffers);
	tcase_add_test(tc, layout_for_variants);
	suite_add_tcase(s, tc);
	tc = unit_tcase("esr");
	tcase_add_test(tc, esr_constructors);
	tcase_add_test(tc, esr_constructor_sweep);
	suite_add_tcase(s, tc);
	return s;
}
