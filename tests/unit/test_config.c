/*
 * test_config.c - the configuration: defaults, the knob table (every field
 * settable by name and printable), ss_config_check, and the ID registers
 * that reset derives from the features (ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6).
 */
#include <stdio.h>
#include <string.h>

#include "world.h"

/* Every field of struct ss_config must have a knob. */
static const struct {
	size_t off;
	const char *field;
} fields[] = {
#define F(f) { offsetof(struct ss_config, f), #f }
	F(el3), F(el2), F(secure), F(sel2), F(ras), F(iesb), F(double_fault), F(trigger), F(synchronizable),
	F(iesb_before_exception), F(eret_iesb), F(noras_vserror_iss), F(vsesr_raz_wi), F(esb_defers_raz_vserror),
	F(amo_el2), F(vp_priority), F(virtual_order), F(esb_vse), F(isr_a), F(res0), F(merge),
	F(merge_impdef_iss), F(vinject), F(timing.exception_entry), F(timing.propagation), F(timing.max_cycles),
#undef F
};

START_TEST(config_every_field_has_a_knob)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		bool found = false;
		for (size_t k = 0; k < ss_num_knobs; k++)
			found |= ss_knobs[k].offset == fields[i].off;
		CHECKF(found, "no knob for struct ss_config.%s", fields[i].field);
	}
	for (unsigned c = 0; c < SS_IC_COUNT; c++) {
		bool found = false;
		for (size_t k = 0; k < ss_num_knobs; k++)
			found |= ss_knobs[k].offset == offsetof(struct ss_config, timing.latency) + c * sizeof(uint32_t);
		CHECKF(found, "no knob for timing.latency[%u]", c);
	}
	SOFT_DONE();
}
END_TEST

START_TEST(config_knob_table)
{
	EXPECT(ss_num_knobs >= 30, "knobs: %zu", ss_num_knobs);
	for (size_t k = 0; k < ss_num_knobs; k++) {
		const struct ss_knob *kn = &ss_knobs[k];
		CHECKF(kn->name && *kn->name, "knob %zu has a name", k);
		CHECKF(kn->help && *kn->help && kn->source && *kn->source, "%s: help and source", kn->name);
		CHECKF(kn->offset < sizeof(struct ss_config), "%s: offset", kn->name);
		CHECKF((kn->type == SS_KNOB_ENUM) == (kn->values != NULL), "%s: values iff enum", kn->name);
		for (size_t j = 0; j < k; j++) {
			CHECKF(strcmp(kn->name, ss_knobs[j].name) != 0, "duplicate knob name %s", kn->name);
			CHECKF(kn->offset != ss_knobs[j].offset, "%s and %s share a field", kn->name, ss_knobs[j].name);
		}
		CHECKF(ss_knob_find(kn->name) == kn, "find %s", kn->name);
		/* case-insensitive, '-' == '_' */
		char alt[64];
		size_t n = strlen(kn->name);
		if (n < sizeof alt) {
			for (size_t i = 0; i <= n; i++) {
				char ch = kn->name[i];
				alt[i] = ch == '_' ? '-' : ch == '-' ? '_' : (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
			}
			CHECKF(ss_knob_find(alt) == kn, "find %s as %s", kn->name, alt);
		}
	}
	CHECKF(ss_knob_find("no_such_knob") == NULL, "unknown knob");
	CHECKF(ss_knob_find("") == NULL, "empty name");
	CHECKF(ss_knob_find("el") == NULL, "a prefix is not a name");
	SOFT_DONE();
}
END_TEST

/* Set every knob to every value it accepts, read it back, print it, parse
 * the printed text again. */
START_TEST(config_knob_set_format)
{
	char buf[128], buf2[128];
	for (size_t k = 0; k < ss_num_knobs; k++) {
		const struct ss_knob *kn = &ss_knobs[k];
		struct ss_config cfg;
		ss_config_default(&cfg);
		const char *vals[16];
		uint64_t want[16];
		size_t nv = 0;
		switch (kn->type) {
		case SS_KNOB_BOOL: {
			static const char *const t[] = { "on", "off", "1", "0", "true", "false", "ON", "yes", "no" };
			static const uint64_t w[] = { 1, 0, 1, 0, 1, 0, 1, 1, 0 };
			for (; nv < 9; nv++)
				vals[nv] = t[nv], want[nv] = w[nv];
			CHECKF(ss_knob_set(&cfg, kn, "maybe") != NULL, "%s: 'maybe' rejected", kn->name);
			CHECKF(ss_knob_set(&cfg, kn, "2") != NULL, "%s: '2' rejected", kn->name);
			break;
		}
		case SS_KNOB_ENUM:
			for (; kn->values[nv] && nv < 16; nv++)
				vals[nv] = kn->values[nv], want[nv] = nv;
			CHECKF(nv >= 2, "%s: an enum knob has at least two values", kn->name);
			CHECKF(ss_knob_set(&cfg, kn, "no-such-value") != NULL, "%s: unknown value rejected", kn->name);
			break;
		case SS_KNOB_U32:
		case SS_KNOB_U64: {
			static char maxs[32], hexs[32];
			snprintf(maxs, sizeof maxs, "%llu", (unsigned long long)kn->max);
			snprintf(hexs, sizeof hexs, "0x%llx", (unsigned long long)(kn->max / 3));
			vals[nv] = "0", want[nv++] = 0;
			vals[nv] = "1", want[nv++] = 1;
			vals[nv] = maxs, want[nv++] = kn->max;
			vals[nv] = hexs, want[nv++] = kn->max / 3;
			if (kn->max < UINT64_MAX) {
				char over[32];
				snprintf(over, sizeof over, "%llu", (unsigned long long)kn->max + 1);
				CHECKF(ss_knob_set(&cfg, kn, over) != NULL, "%s: %s (max+1) rejected", kn->name, over);
			}
			CHECKF(ss_knob_set(&cfg, kn, "12x") != NULL, "%s: '12x' rejected", kn->name);
			CHECKF(ss_knob_set(&cfg, kn, "") != NULL, "%s: '' rejected", kn->name);
			CHECKF(ss_knob_set(&cfg, kn, "-1") != NULL, "%s: '-1' rejected", kn->name);
			CHECKF(ss_knob_set(&cfg, kn, "99999999999999999999999") != NULL, "%s: overflow rejected",
			       kn->name);
			break;
		}
		}
		for (size_t v = 0; v < nv; v++) {
			const char *err = ss_knob_set(&cfg, kn, vals[v]);
			CHECKF(err == NULL, "%s = %s: %s", kn->name, vals[v], err);
			CHECKF(ss_knob_get(&cfg, kn) == want[v], "%s = %s reads %llu", kn->name, vals[v],
			       (unsigned long long)ss_knob_get(&cfg, kn));
			size_t n = ss_knob_format(&cfg, kn, buf, sizeof buf);
			CHECKF(n == strlen(buf) && n > 0, "%s: formatted length", kn->name);
			struct ss_config c2;
			ss_config_default(&c2);
			CHECKF(ss_knob_set(&c2, kn, buf) == NULL && ss_knob_get(&c2, kn) == want[v],
			       "%s: printed '%s' parses back", kn->name, buf);
			ss_knob_format(&c2, kn, buf2, sizeof buf2);
			CHECKF(strcmp(buf, buf2) == 0, "%s: stable text", kn->name);
			/* A small buffer is truncated but NUL-terminated. */
			char small[3] = { 'X', 'X', 'X' };
			size_t m = ss_knob_format(&cfg, kn, small, 2);
			CHECKF(m == n && small[1] == '\0' && small[2] == 'X', "%s: bounded format", kn->name);
		}
	}
	SOFT_DONE();
}
END_TEST

/* Setting one knob leaves every other field alone. */
START_TEST(config_knob_isolation)
{
	for (size_t k = 0; k < ss_num_knobs; k++) {
		struct ss_config a, b;
		ss_config_default(&a);
		ss_config_default(&b);
		const struct ss_knob *kn = &ss_knobs[k];
		const char *v = kn->type == SS_KNOB_BOOL ? (ss_knob_get(&a, kn) ? "off" : "on")
				: kn->type == SS_KNOB_ENUM ? kn->values[ss_knob_get(&a, kn) ? 0 : 1]
							   : (ss_knob_get(&a, kn) == 1 ? "2" : "1");
		CHECKF(ss_knob_set(&b, kn, v) == NULL, "%s = %s", kn->name, v);
		CHECKF(ss_knob_get(&b, kn) != ss_knob_get(&a, kn), "%s changed", kn->name);
		for (size_t j = 0; j < ss_num_knobs; j++)
			if (j != k)
				CHECKF(ss_knob_get(&a, &ss_knobs[j]) == ss_knob_get(&b, &ss_knobs[j]),
				       "setting %s changed %s", kn->name, ss_knobs[j].name);
	}
	SOFT_DONE();
}
END_TEST

START_TEST(config_defaults)
{
	struct ss_config cfg;
	memset(&cfg, 0xa5, sizeof cfg);
	ss_config_default(&cfg);
	EXPECT(ss_config_check(&cfg) == NULL, "defaults are consistent: %s", ss_config_check(&cfg));
	EXPECT(cfg.el2 && cfg.ras, "defaults model a PE with EL2 and FEAT_RAS (the subject of the simulator)");
	EXPECT(cfg.timing.max_cycles > 0, "watchdog set");
	for (unsigned c = 0; c < SS_IC_COUNT; c++)
		CHECKF(cfg.timing.latency[c] >= 1, "latency[%u] >= 1", c);
	/* deterministic */
	struct ss_config again;
	memset(&again, 0x5a, sizeof again);
	ss_config_default(&again);
	for (size_t k = 0; k < ss_num_knobs; k++)
		CHECKF(ss_knob_get(&cfg, &ss_knobs[k]) == ss_knob_get(&again, &ss_knobs[k]), "%s default stable",
		       ss_knobs[k].name);
	SOFT_DONE();
}
END_TEST

/* ss_config_check refuses PEs that cannot exist. */
START_TEST(config_check_rejects)
{
	static const struct {
		const char *set[4];
		const char *why;
	} bad[] = {
		{ { "ras=off", "iesb=on" }, "FEAT_IESB without FEAT_RAS (IESB is part of RAS: ARM-M D20.5.3; ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R4.2, R6)" },
		{ { "ras=off", "iesb=off", "double_fault=on" }, "FEAT_DoubleFault without RAS (ID_AA64PFR0_EL1.RAS >= 2: docs/rules.md R6)" },
		{ { "sel2=on", "el2=off" }, "FEAT_SEL2 without EL2" },
		{ { "ras=off", "iesb=off", "vsesr_raz_wi=on" }, "VSESR_EL2 RAZ/WI without FEAT_RAS (UNDEFINED then: ARM-M D24.9.18 VSESR_EL2; docs/rules.md R3.2)" },
		{ { "noras_vserror_iss=0x2000000" }, "26-bit ISS" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct ss_config cfg;
		ss_config_default(&cfg);
		bool set_ok = true;
		for (size_t j = 0; j < 4 && bad[i].set[j]; j++) {
			char name[64];
			const char *eq = strchr(bad[i].set[j], '=');
			snprintf(name, sizeof name, "%.*s", (int)(eq - bad[i].set[j]), bad[i].set[j]);
			const struct ss_knob *k = ss_knob_find(name);
			if (!k || ss_knob_set(&cfg, k, eq + 1) != NULL)
				set_ok = false;	/* refusing the value itself is fine too */
		}
		if (set_ok)
			CHECKF(ss_config_check(&cfg) != NULL, "ss_config_check accepts %s", bad[i].why);
	}
	/* Every feature subset that respects the dependencies is accepted. */
	for (unsigned m = 0; m < 64; m++) {
		struct ss_config cfg;
		ss_config_default(&cfg);
		cfg.el3 = m & 1;
		cfg.el2 = (m >> 1) & 1;
		cfg.ras = (m >> 2) & 1;
		cfg.iesb = ((m >> 3) & 1) && cfg.ras;
		cfg.double_fault = ((m >> 4) & 1) && cfg.ras && cfg.el3;
		cfg.sel2 = ((m >> 5) & 1) && cfg.el2 && cfg.el3;
		CHECKF(ss_config_check(&cfg) == NULL, "el3=%d el2=%d ras=%d iesb=%d df=%d sel2=%d refused: %s", cfg.el3,
		       cfg.el2, cfg.ras, cfg.iesb, cfg.double_fault, cfg.sel2, ss_config_check(&cfg));
	}
	SOFT_DONE();
}
END_TEST

/* ID registers from the features (ARM-M A2.2, ID_AA64PFR0_EL1.RAS; docs/rules.md R6). */
START_TEST(config_id_registers)
{
	for (unsigned m = 0; m < 32; m++) {
		struct ss_config cfg;
		w_default_config(&cfg);
		cfg.el3 = m & 1;
		cfg.el2 = (m >> 1) & 1;
		cfg.ras = (m >> 2) & 1;
		cfg.iesb = ((m >> 3) & 1) && cfg.ras;
		cfg.double_fault = ((m >> 4) & 1) && cfg.ras && cfg.el3;
		w_reset(&cfg);
		w_set_el(1, 1);
		uint64_t pfr0 = 0, mmfr2 = 0;
		EXPECT(ss_mrs(W->pe, SS_REG_ID_AA64PFR0_EL1, &pfr0) == SS_ACC_OK, "MRS ID_AA64PFR0_EL1");
		EXPECT(ss_mrs(W->pe, SS_REG_ID_AA64MMFR2_EL1, &mmfr2) == SS_ACC_OK, "MRS ID_AA64MMFR2_EL1");
		uint64_t ras = SS_GET(PFR0_RAS, pfr0);
		CHECKF(cfg.ras ? ras >= 1 : ras == 0, "m=%u: ID_AA64PFR0_EL1.RAS=%llu with ras=%d", m,
		       (unsigned long long)ras, cfg.ras);
		if (cfg.double_fault)
			CHECKF(ras >= 2, "m=%u: FEAT_DoubleFault needs ID_AA64PFR0_EL1.RAS >= 2 (docs/rules.md R6), got %llu", m,
			       (unsigned long long)ras);
		CHECKF(SS_GET(MMFR2_IESB, mmfr2) == (uint64_t)cfg.iesb, "m=%u: ID_AA64MMFR2_EL1.IESB=%llu with iesb=%d", m,
		       (unsigned long long)SS_GET(MMFR2_IESB, mmfr2), cfg.iesb);
		CHECKF(SS_GET(PFR0_EL2, pfr0) == (uint64_t)cfg.el2 && SS_GET(PFR0_EL3, pfr0) == (uint64_t)cfg.el3 &&
			       SS_GET(PFR0_EL1, pfr0) == 1 && SS_GET(PFR0_EL0, pfr0) == 1,
		       "m=%u: ID_AA64PFR0_EL1.EL0-3 = 0x%llx", m, (unsigned long long)(pfr0 & 0xffff));
		CHECKF(SR(PSTATE) == 0x3c5 && W->pe->pc == 0, "reset: EL1h DAIF=1111, PC 0");
		CHECKF(SR(HCR_EL2) == 0x80000000 && SR(DISR_EL1) == 0 && SR(VSESR_EL2) == 0,
		       "reset values from the table");
		CHECKF(W->pe->ncond == 0 && W->pe->nexc == 0 && W->pe->stop == SS_RUNNING, "reset: empty ledger");
	}
	SOFT_DONE();
}
END_TEST

Suite *suite_config(void)
{
	Suite *s = suite_create("config");
	TCase *tc = world_tcase("config");
	tcase_add_test(tc, config_every_field_has_a_knob);
	tcase_add_test(tc, config_knob_table);
	tcase_add_test(tc, config_knob_set_format);
	tcase_add_test(tc, config_knob_isolation);
	tcase_add_test(tc, config_defaults);
	tcase_add_test(tc, config_check_rejects);
	tcase_add_test(tc, config_id_registers);
	suite_add_tcase(s, tc);
	return s;
}
