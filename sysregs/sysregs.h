/*
 * sysregs.h - the system registers of serrsim, described once.
 *
 * Everything here derives from sysregs.txt through gen-sysregs.awk:
 * <LAYOUT>_<FIELD>_SHIFT/_WIDTH/_MASK, <LAYOUT>_RES0/_RES1, <ENUM>_<VALUE>,
 * enum ss_reg, enum ss_feat and the SS_FEATURES X-macros, and the tables
 * below.  This file adds lookup by name and
 * a field-by-field decoder.  No I/O.
 */
#ifndef SERRSIM_SYSREGS_H
#define SERRSIM_SYSREGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sysregs_gen.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ss_field_kind { SS_FIELD_FIELD, SS_FIELD_RES0, SS_FIELD_RES1 };
enum ss_access { SS_ACCESS_RW, SS_ACCESS_RO };
/* What the QEMU exporter (serrsim-qemu) does with a register ("Qemu" lines). */
enum ss_qemu_use {
	SS_QEMU_SET = 1,	/* the start-up code writes its initial value */
	SS_QEMU_RECORD = 2,	/* every record holds it */
	SS_QEMU_MONITOR = 4,	/* the exporter's EL3 monitor owns it: scenarios may not use it */
	SS_QEMU_PSTATE = 8,	/* compared as the recorded PSTATE's bits in its layout */
	SS_QEMU_ADDRESS = 16,	/* an address: compared moved back from the program's window */
	SS_QEMU_SHADOW = 32	/* the program installs its own table: compared as set */
};

struct ss_enum_val {
	const char *name;
	uint64_t value;
};

struct ss_enum {
	const char *name;
	const struct ss_enum_val *vals;
	unsigned n;
};

struct ss_field {
	const char *name;		/* NULL for RES0/RES1 ranges */
	uint8_t msb, lsb;
	enum ss_field_kind kind;
	const struct ss_enum *en;	/* symbolic values, or NULL */
	enum ss_feat feature;		/* RES0 without it (SS_FEAT_ALWAYS: always there) */
	bool res1_without;		/* RES1, not RES0, without the feature */
};

/* A variant applies to a value when every condition field holds its value. */
struct ss_cond {
	unsigned field;			/* index into the variant's fields */
	uint64_t value;
};

struct ss_layout {
	const char *name;
	const struct ss_field *fields;	/* msb first, covering 63:0 exactly */
	unsigned nfields;
	uint64_t res0, res1;
	const struct ss_layout *base;	/* NULL for a plain layout */
	const struct ss_cond *conds;
	unsigned nconds;
};

struct ss_sysreg {
	const char *name;
	enum ss_reg id;
	bool has_enc;			/* false for PSTATE */
	uint8_t op0, op1, crn, crm, op2;
	uint8_t min_el;			/* lowest EL that may access it */
	enum ss_access access;
	enum ss_feat feature;		/* without it, access is UNDEFINED */
	uint64_t reset;
	const struct ss_layout *layout;
	bool computed;			/* a view (of PSTATE, of pending state): not stored */
	uint8_t qemu;			/* enum ss_qemu_use flags */
	/* FEAT_VHE ("E2h", "Alias"; SS_REG_COUNT: none): the register this
	 * name reaches at EL2 with ELIsInHost(EL2), and the register an
	 * *_EL12 or *_EL02 name stands for. */
	enum ss_reg e2h, alias;
};

/*
 * A feature of the PE ("Feature" blocks of sysregs.txt).  Implemented, it
 * raises its ID register field to at least idvalue: a field reads the
 * largest value among the implemented features that name it.
 */
struct ss_feature {
	const char *name;		/* "RAS"; "ALWAYS" for SS_FEAT_ALWAYS */
	const char *arm;		/* "FEAT_RAS", or NULL */
	const char *knob;		/* its knob and struct ss_config field */
	bool exception_level;		/* an Exception level (knob before "secure") */
	enum ss_reg idreg;		/* SS_REG_COUNT: no ID register field */
	const struct ss_field *idfield;
	uint64_t idvalue;
	const char *help;
	const char *source;		/* primary source */
};

/* "Requires": a PE with 'feature' has every feature of 'needs'. */
struct ss_feat_req {
	enum ss_feat feature;
	uint32_t needs;			/* SS_FEAT_BIT mask */
	const char *message;		/* "<knob> requires <knob>[ and <knob>] (<reason>)" */
};

extern const struct ss_enum ss_enums[SS_NUM_ENUMS];
extern const struct ss_layout ss_layouts[SS_NUM_LAYOUTS];
extern const struct ss_sysreg ss_sysregs[SS_REG_COUNT];
extern const struct ss_feature ss_features[SS_FEAT_COUNT];
extern const struct ss_feat_req ss_feat_reqs[];	/* SS_NUM_FEAT_REQS rows */

/* Feature by name (case-insensitive), or NULL. */
const struct ss_feature *ss_feature_by_name(const char *name);

/* Field access through generated names: SS_GET(ESR_ELx_EC, esr). */
#define SS_GET(F, v) ((((uint64_t)(v)) & SS_##F##_MASK) >> SS_##F##_SHIFT)
#define SS_PREP(F, x) ((((uint64_t)(x)) << SS_##F##_SHIFT) & SS_##F##_MASK)
#define SS_SET(F, v, x) ((((uint64_t)(v)) & ~SS_##F##_MASK) | SS_PREP(F, x))
#define SS_FITS(F, x) ((((uint64_t)(x)) >> (SS_##F##_WIDTH - 1) >> 1) == 0)

static inline uint64_t ss_field_mask(const struct ss_field *f)
{
	return SS_BITS(f->msb, f->lsb);
}

static inline unsigned ss_field_width(const struct ss_field *f)
{
	return (unsigned)(f->msb - f->lsb + 1);
}

static inline uint64_t ss_field_get(const struct ss_field *f, uint64_t v)
{
	return (v & ss_field_mask(f)) >> f->lsb;
}

static inline uint64_t ss_field_set(const struct ss_field *f, uint64_t v, uint64_t x)
{
	return (v & ~ss_field_mask(f)) | ((x << f->lsb) & ss_field_mask(f));
}

/* True when x fits in the field. */
static inline bool ss_field_fits(const struct ss_field *f, uint64_t x)
{
	return ss_field_width(f) >= 64 || (x >> ss_field_width(f)) == 0;
}

/* Register by name (case-insensitive) or by its generic name
 * S<op0>_<op1>_C<n>_C<m>_<op2> (op0 2 or 3), or NULL. */
const struct ss_sysreg *ss_sysreg_by_name(const char *name);

/* Register by system-instruction encoding, or NULL. */
const struct ss_sysreg *ss_sysreg_by_enc(unsigned op0, unsigned op1, unsigned crn,
					 unsigned crm, unsigned op2);

/*
 * Field by name (case-insensitive) in a plain layout or, failing that, in one
 * of its variants (so ESR_EL1.AET resolves through the SError variant).  When
 * 'where' is not NULL it receives the layout that holds the field.
 */
const struct ss_field *ss_field_by_name(const struct ss_layout *layout, const char *name,
					const struct ss_layout **where);

/* Value of a symbol of an enumeration (case-insensitive); false if none. */
bool ss_enum_value(const struct ss_enum *en, const char *name, uint64_t *value);

/* Symbol of a value, or NULL if the value has none. */
const char *ss_enum_name(const struct ss_enum *en, uint64_t value);

/* The first variant of 'layout' whose conditions hold for v, else 'layout'. */
const struct ss_layout *ss_layout_for(const struct ss_layout *layout, uint64_t v);

/*
 * Decode v field by field, most significant first, into buf (always
 * NUL-terminated when len > 0): "EC=SError IL=1 IDS=0 IESB=0 AET=UER EA=0
 * DFSC=AsyncSError".  Non-zero RES0 bits and clear RES1 bits are shown as
 * RES0[m:l]=0x.. / RES1[m:l]=0x...  Returns the length the full text needs.
 */
size_t ss_decode(const struct ss_layout *layout, uint64_t v, char *buf, size_t len);

/* Format one field value: its enum symbol if any, else 0/1 or hex. */
size_t ss_format_field(const struct ss_field *f, uint64_t x, char *buf, size_t len);

/* Bits of 'layout' (and its variants) that are RES0 in every variant. */
uint64_t ss_layout_res0(const struct ss_layout *layout);

#ifdef __cplusplus
}
#endif

#endif
