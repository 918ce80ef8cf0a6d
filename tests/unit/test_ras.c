/*
 * test_ras.c - RAS error records (model/ras.c): the conditional
 * write-one-to-clear rules of ERR<n>STATUS, the overwrite and overflow
 * rules of recording, and the fault injection countdown (RAS spec 3.2.3 Table 3,
 * 3.2 ERR<n>STATUS, 5.2 the common fault injection model).
 */
#include "world.h"

#define ST(F, v) SS_PREP(ERRSTATUS_##F, (v))

static uint64_t record(uint64_t s, enum ss_ras_type type, unsigned uet, unsigned serr)
{
	struct ss_ras_error e = { .type = (uint8_t)type, .uet = (uint8_t)uet, .serr = (uint8_t)serr };
	bool syn;
	return ss_ras_status_record(s, &e, &syn);
}

START_TEST(ras_w1c_write_back_clears)
{
	uint64_t s = record(0, SS_RAS_UE, SS_UET_UER, 7);
	ck_assert_uint_eq(s, ST(V, 1) | ST(UE, 1) | ST(UET, SS_UET_UER) | ST(SERR, 7));
	ck_assert_uint_eq(ss_ras_status_write(s, s), 0);
	/* A write of 0 changes nothing. */
	ck_assert_uint_eq(ss_ras_status_write(s, 0), s);
	/* Writing 1 to V alone while UE is set is ignored. */
	ck_assert_uint_eq(ss_ras_status_write(s, ST(V, 1)), s);
	/* Clearing a field without V leaves the record valid. */
	uint64_t t = ss_ras_status_write(s | ST(PN, 1), ST(PN, 1));
	ck_assert_uint_eq(t, s);
}
END_TEST

START_TEST(ras_w1c_of_guard)
{
	uint64_t s = record(record(0, SS_RAS_CE, 0, 0), SS_RAS_CE, 0, 0);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_OF, s), 1);
	/* V and CE written, OF not: ignored (a new error since the read). */
	ck_assert_uint_eq(ss_ras_status_write(s, ST(V, 1) | ST(CE, 1)), s);
	ck_assert_uint_eq(ss_ras_status_write(s, s), 0);
	/* CE is cleared as a whole by any 1 written to it. */
	ck_assert_uint_eq(SS_GET(ERRSTATUS_CE, ss_ras_status_write(s, ST(CE, 2))), 0);
}
END_TEST

START_TEST(ras_overflow_rules)
{
	/* Same type: OF, the first syndrome kept. */
	uint64_t s = record(record(0, SS_RAS_UE, SS_UET_UER, 1), SS_RAS_UE, SS_UET_UER, 2);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_OF, s), 1);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_UET, s), SS_UET_UER);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_SERR, s), 1);
	/* RAS spec 3.2.3 Table 3: CE < DE < UEO < UER < UEU < UC.  A UC over a
	 * UER overwrites the syndrome; another uncorrected error: OF. */
	s = record(record(0, SS_RAS_UE, SS_UET_UER, 1), SS_RAS_UE, SS_UET_UC, 2);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_OF, s), 1);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_UET, s), SS_UET_UC);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_SERR, s), 2);
	/* A UEO after a UER: lower, the UER kept, OF. */
	s = record(record(0, SS_RAS_UE, SS_UET_UER, 1), SS_RAS_UE, SS_UET_UEO, 2);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_OF, s), 1);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_UET, s), SS_UET_UER);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_SERR, s), 1);
	/* Every ordered pair of UETs: the higher one's syndrome stays. */
	static const unsigned order[] = { SS_UET_UEO, SS_UET_UER, SS_UET_UEU, SS_UET_UC };
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++) {
			s = record(record(0, SS_RAS_UE, order[a], 1), SS_RAS_UE, order[b], 2);
			ck_assert_uint_eq(SS_GET(ERRSTATUS_UET, s), order[b > a ? b : a]);
			ck_assert_uint_eq(SS_GET(ERRSTATUS_SERR, s), b > a ? 2 : 1);
		}
	/* Higher priority: the syndrome overwritten, CE kept, no OF. */
	s = record(record(0, SS_RAS_CE, 0, 1), SS_RAS_DE, 0, 2);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_OF, s), 0);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_SERR, s), 2);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_CE, s), 1);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_DE, s), 1);
	/* Lower priority: OF, its type bit, the syndrome kept. */
	s = record(record(0, SS_RAS_DE, 0, 3), SS_RAS_CE, 0, 4);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_OF, s), 1);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_SERR, s), 3);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_CE, s), 1);
}
END_TEST

START_TEST(ras_serror_iss_from_uet)
{
	ck_assert_uint_eq(ss_ras_serror_iss(SS_UET_UC), 0x011);
	ck_assert_uint_eq(ss_ras_serror_iss(SS_UET_UEU), 0x411);
	ck_assert_uint_eq(ss_ras_serror_iss(SS_UET_UEO), 0x811);
	ck_assert_uint_eq(ss_ras_serror_iss(SS_UET_UER), 0xc11);
}
END_TEST

/* A program arms the countdown with MSRs; the record holds the injected
 * error exactly CDN cycles after the MSR of ERXPFGCTL_EL1. */
/* RAS spec ERR<n>CTLR / ERR<n>FR: a control exists when its FR field is
 * 0b01 or 0b11, its write twin only with 0b11; 0b00 (not implemented) and
 * 0b10 (always enabled) leave the bit RES0.  Every value of each field. */
START_TEST(ras_ctlr_writable_per_fr)
{
	static const struct { uint64_t fr_mask, ctl, wctl; } f[] = {
		{ SS_ERRFR_ED_MASK, SS_ERRCTLR_ED_MASK, 0 },
		{ SS_ERRFR_UI_MASK, SS_ERRCTLR_UI_MASK, SS_ERRCTLR_WUI_MASK },
		{ SS_ERRFR_FI_MASK, SS_ERRCTLR_FI_MASK, SS_ERRCTLR_WFI_MASK },
		{ SS_ERRFR_UE_MASK, SS_ERRCTLR_UE_MASK, SS_ERRCTLR_WUE_MASK },
		{ SS_ERRFR_CFI_MASK, SS_ERRCTLR_CFI_MASK, SS_ERRCTLR_WCFI_MASK },
		{ SS_ERRFR_DUI_MASK, SS_ERRCTLR_RDUI_MASK, SS_ERRCTLR_WDUI_MASK },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		for (uint64_t v = 0; v < 4; v++) {
			uint64_t fr = (v << __builtin_ctzll(f[i].fr_mask)) & f[i].fr_mask;
			uint64_t want = (v == 1 || v == 3 ? f[i].ctl : 0) | (v == 3 ? f[i].wctl : 0);
			ck_assert_msg(ss_ras_ctlr_writable(fr) == want,
				      "field %zu = %u: writable 0x%llx, want 0x%llx", i, (unsigned)v,
				      (unsigned long long)ss_ras_ctlr_writable(fr),
				      (unsigned long long)want);
		}
	/* The default ERR<n>FR (knob ras_fr): ED, UI, FI, UE, CFI controllable. */
	ck_assert_uint_eq(ss_ras_ctlr_writable(0x100551), 0x11d);
}
END_TEST

START_TEST(ras_countdown_expires)
{
	struct ss_config cfg;
	w_default_config(&cfg);
	cfg.ras_records = 1;
	w_reset(&cfg);
	w_set_el(1, 1);
	W->pe->x[1] = 10;
	W->pe->x[2] = SS_ERRPFGCTL_CDNEN_MASK | SS_ERRPFGCTL_UEO_MASK;
	W->pe->x[3] = SS_ERRCTLR_ED_MASK | SS_ERRCTLR_UE_MASK;
	uint64_t a = CODE;
	struct ss_insn *in = w_insn(a, SS_OP_MSR);
	in->sreg = SS_REG_ERXCTLR_EL1, in->rn = 3;
	in = w_insn(a += 4, SS_OP_MSR);
	in->sreg = SS_REG_ERXPFGCDN_EL1, in->rn = 1;
	in = w_insn(a += 4, SS_OP_MSR);
	in->sreg = SS_REG_ERXPFGCTL_EL1, in->rn = 2;
	for (unsigned i = 0; i < 40; i++)
		w_insn(a += 4, SS_OP_NOP);
	w_insn(a += 4, SS_OP_END);
	w_vectors_end();
	w_load(CODE);
	w_set_a(1);	/* the SError stays pending */
	for (unsigned i = 0; i < 3; i++)
		w_step();
	uint64_t armed = W->pe->cycle;
	ck_assert_uint_eq(ss_ras_countdown_expiry(W->pe, 0), armed + 10);
	while (W->pe->cycle < armed + 10) {
		ck_assert_uint_eq(SS_GET(ERRSTATUS_V, W->pe->ras[0].status), 0);
		w_step();
	}
	w_step();
	uint64_t s = W->pe->ras[0].status;
	ck_assert_uint_eq(SS_GET(ERRSTATUS_V, s), 1);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_UET, s), SS_UET_UEO);
	ck_assert_uint_eq(SS_GET(ERRSTATUS_ER, s), 1);
	ck_assert_uint_eq(SS_GET(ERRPFGCTL_CDNEN, W->pe->ras[0].pfgctl), 0);
	ck_assert_uint_eq(W->pe->ncond, 1);
	ck_assert_uint_eq(W->pe->cond[0].record, 1);
	ck_assert_uint_eq(W->pe->cond[0].iss, 0x811);
}
END_TEST

Suite *suite_ras(void)
{
	Suite *s = suite_create("ras");
	TCase *tc = world_tcase("ras");
	tcase_add_test(tc, ras_w1c_write_back_clears);
	tcase_add_test(tc, ras_w1c_of_guard);
	tcase_add_test(tc, ras_overflow_rules);
	tcase_add_test(tc, ras_ctlr_writable_per_fr);
	tcase_add_test(tc, ras_serror_iss_from_uet);
	tcase_add_test(tc, ras_countdown_expires);
	suite_add_tcase(s, tc);
	return s;
}
