/*
 * test_score.c -- the ledger reader (input/ledger_load.c) and the scores
 * (ensemble/score.c): a small ledger read field by field, every kind of
 * bad row reported at its line and column, and Brier, log and skill
 * scores and reliability bins against values computed by hand.
 */
#include <math.h>

#include "ensemble/score.h"
#include "input/ledger_load.h"
#include "testutil.h"

static const char GOOD[] =
    "id,as_of,question,variable,entity,year,op,threshold,threshold2,outcome,"
    "source,note\n"
    "q1,russia-china-2013,Trade above 100?,bilateral_trade,RUS-CHN,2018,>=,"
    "100,,1,GACC 2019,\n"
    "q2,russia-china-2021,\"China abstains, 2022\",issue_forecast,un-votes,"
    "2022,between,17.5,50,1,UNGA ES-11/1,extra\n"
    "q3, russia-china-2024 ,No alliance,issue_forecast,alliance,2025,<,62.5,,"
    "1,\"treaty, 2001\",\n";

static void test_ledger_good(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_ledger *l;
  assert_int_equal(ent_ledger_load_buffer("g.csv", GOOD, sizeof GOOD - 1, &l, d),
                   ENT_OK);
  assert_int_equal(l->n, 3);
  assert_string_equal(l->q[0].id, "q1");
  assert_string_equal(l->q[0].variable, "bilateral_trade");
  assert_int_equal(l->q[0].year, 2018);
  assert_int_equal(l->q[0].op, ENT_LEDGER_GE);
  assert_true(l->q[0].threshold == 100.0);
  assert_int_equal(l->q[0].outcome, 1);
  assert_string_equal(l->q[1].question, "China abstains, 2022");
  assert_int_equal(l->q[1].op, ENT_LEDGER_BETWEEN);
  assert_true(l->q[1].threshold2 == 50.0);
  assert_string_equal(l->q[2].as_of, "russia-china-2024"); /* trimmed */
  assert_string_equal(l->q[2].source, "treaty, 2001");
  assert_int_equal(l->q[2].at[ENT_LEDGER_COL_ENTITY].line, 4);
  /* conditions, bounds inclusive */
  assert_true(ent_ledger_holds(&l->q[0], 100.0));
  assert_false(ent_ledger_holds(&l->q[0], 99.999));
  assert_true(ent_ledger_holds(&l->q[1], 17.5));
  assert_true(ent_ledger_holds(&l->q[1], 50.0));
  assert_false(ent_ledger_holds(&l->q[1], 50.001));
  assert_false(ent_ledger_holds(&l->q[2], 62.5));
  assert_true(ent_ledger_holds(&l->q[2], 62.4));
  ent_ledger_free(l);
  ent_diag_destroy(d);
}

/* Load `text`; expect failure with an error at (line, col) whose message
 * contains `needle`. */
static void expect_bad(const char *text, int line, int col, const char *needle) {
  ent_diag *d = ent_diag_create();
  ent_ledger *l = (ent_ledger *)1;
  ent_status st = ent_ledger_load_buffer("b.csv", text, strlen(text), &l, d);
  assert_int_equal(st, ENT_EINPUT);
  assert_null(l);
  int found = 0;
  for (size_t i = 0; i < ent_diag_count(d); i++) {
    const ent_diag_item *it = ent_diag_get(d, i);
    if (it->line == line && it->col == col && strstr(it->msg, needle)) found = 1;
  }
  if (!found) {
    ent_diag_print(d, stderr);
    fail_msg("no error at %d:%d containing '%s'", line, col, needle);
  }
  ent_diag_destroy(d);
}

#define HDR "id,as_of,question,variable,entity,year,op,threshold,threshold2,outcome,source\n"

static void test_ledger_bad(void **state) {
  (void)state;
  expect_bad("", 1, 1, "empty");
  expect_bad(HDR, 1, 1, "no questions");
  expect_bad("id,as_of,question,variable,entity,year,op,threshold,outcome,source\n",
             1, 53, "expected 'threshold2'");
  expect_bad(HDR "a,s,q,v,e,2020,>=,x,,1,src\n", 2, 19, "not a number");
  expect_bad(HDR "a,s,q,v,e,2020,between,5,,1,src\n", 2, 26, "needs threshold2");
  expect_bad(HDR "a,s,q,v,e,2020,between,5,4,1,src\n", 2, 26, "below threshold");
  expect_bad(HDR "a,s,q,v,e,2020,>=,5,6,1,src\n", 2, 21, "only for op 'between'");
  expect_bad(HDR "a,s,q,v,e,2020,=>,5,,1,src\n", 2, 16, "op '=>'");
  expect_bad(HDR "a,s,q,v,e,2020,>=,5,,2,src\n", 2, 22, "must be 0 or 1");
  expect_bad(HDR "a,s,q,v,e,20x0,>=,5,,1,src\n", 2, 11, "not a year");
  expect_bad(HDR "a,s,q,v,e,2020,>=,5,,1,src\na,s,q,v,e,2021,>=,5,,1,src\n", 3,
             1, "used twice");
  expect_bad(HDR "a,,q,v,e,2020,>=,5,,1,src\n", 2, 3, "as_of is empty");
  expect_bad(HDR "a,s,q,v,e,2020,>=,5,,1\n", 2, 23, "expected at least 11");
  expect_bad(HDR "a,s,q,v,e,2020,>=,nan,,1,src\n", 2, 19, "not a number");
}

static void test_scores(void **state) {
  (void)state;
  const double p[] = {0.9, 0.2, 0.5, 1.0};
  const int o[] = {1, 0, 1, 0};
  ent_score s = ent_score_of(4, p, o);
  assert_int_equal(s.n, 4);
  /* (0.01 + 0.04 + 0.25 + 1) / 4 */
  assert_true(fabs(s.brier - 0.325) < 1e-15);
  /* -(ln 0.9 + ln 0.8 + ln 0.5 + ln 0.005) / 4; p = 1 with outcome 0 is
   * clipped to 0.995 */
  assert_true(fabs(s.log - 1.5799921537) < 1e-9);
  double u[] = {0.5, 0.5, 0.5, 0.5};
  ent_score su = ent_score_of(4, u, o);
  assert_true(fabs(su.brier - 0.25) < 1e-15);
  assert_true(fabs(su.log - log(2.0)) < 1e-15);
  assert_true(fabs(ent_score_skill(s.brier, su.brier) - (-0.3)) < 1e-15);
  assert_true(isnan(ent_score_skill(0.1, 0.0)));
  /* clipping at the low end: p = 0 with outcome 1 costs -ln(0.005) */
  const double z[] = {0.0};
  const int one[] = {1};
  assert_true(fabs(ent_score_of(1, z, one).log - 5.298317366548036) < 1e-12);
  ent_score e = ent_score_of(0, NULL, NULL);
  assert_true(e.brier == 0.0 && e.log == 0.0 && e.n == 0);
}

static void test_reliability(void **state) {
  (void)state;
  const double p[] = {0.05, 0.08, 0.55, 0.95, 1.0, 0.99};
  const int o[] = {0, 1, 1, 1, 0, 1};
  ent_score_bin b[ENT_SCORE_BINS];
  ent_score_reliability(6, p, o, b);
  assert_int_equal(b[0].n, 2);
  assert_true(fabs(b[0].mean_p - 0.065) < 1e-15);
  assert_true(fabs(b[0].observed - 0.5) < 1e-15);
  assert_int_equal(b[5].n, 1);
  assert_true(b[5].observed == 1.0);
  assert_int_equal(b[9].n, 3); /* 0.95, 0.99 and 1.0 (the last bin holds 1) */
  assert_true(fabs(b[9].mean_p - (0.95 + 1.0 + 0.99) / 3.0) < 1e-15);
  assert_true(fabs(b[9].observed - 2.0 / 3.0) < 1e-15);
  for (int k = 1; k < 9; k++)
    if (k != 5) assert_int_equal(b[k].n, 0);
  assert_true(b[3].lo == 0.3 && b[3].hi == 0.4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ledger_good),
      cmocka_unit_test(test_ledger_bad),
      cmocka_unit_test(test_scores),
      cmocka_unit_test(test_reliability),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
