/*
 * test_backtest.c -- the back-test (sim/backtest.c, ensemble/
 * backtest_bands.c) on a synthetic scenario whose model values are known
 * by hand (tests/data/backtest/synthetic.yaml): MAPE and bias of the
 * model and of each baseline against values computed by hand, where
 * persistence starts, ties reported as ties, the bands' coverage, the
 * same bytes for any thread count; and on the built-in russia-china-2013:
 * persistence from the 2013 data (not 2010), the ex-ante tables and the
 * realised inputs.
 */
#include <math.h>

#include "ensemble/ensemble.h"
#include "testutil.h"

static ent_model *load(const char *rel) {
  char path[1024];
  ref_path(path, sizeof path, rel);
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  if (ent_scenario_load_file(path, &m, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("cannot load %s", path);
  }
  ent_diag_destroy(d);
  return m;
}

static const ent_result_bt_series *find(const ent_result_bt_series *bt,
                                        size_t n, const char *entity) {
  for (size_t k = 0; k < n; k++)
    if (!strcmp(bt[k].entity, entity)) return &bt[k];
  fail_msg("no back-test series %s", entity);
  return NULL;
}

static ent_result *backtest(const ent_model *m, unsigned long runs,
                            int threads, int ex_ante) {
  ent_backtest_opts o;
  ent_backtest_opts_init(&o);
  o.runs = runs;
  o.threads = threads;
  o.ex_ante = ex_ante;
  ent_diag *d = ent_diag_create();
  ent_result *r = NULL;
  ent_status st = ent_backtest_create(m, &o, &r, d);
  if (st != ENT_OK) ent_diag_print(d, stderr);
  assert_int_equal(st, ENT_OK);
  ent_diag_destroy(d);
  return r;
}

/* Hand-computed (actuals 12, 15.7, 20 in 2021-2023; model 12, 14, 16):
 *   model        MAPE = 100 (0 + 1.7/15.7 + 4/20) / 3 = 10.276008
 *                bias = (1 + 14/15.7 + 16/20) / 3 = 0.897240
 *   persistence  10 (the 2020 value):
 *                MAPE = 100 (2/12 + 5.7/15.7 + 10/20) / 3 = 34.324133
 *                bias = (10/12 + 10/15.7 + 10/20) / 3 = 0.656759
 *   drift        g = ln(10/8) / 2 = 0.111572 (2018-2020), 10 e^(g h):
 *                11.180340, 12.5, 13.975425; MAPE 19.111847, bias 0.808882
 *   trend        least squares on ln 8, ln 9, ln 10 (2018-2020): slope
 *                ln(10/8)/2, 11.203512, 12.525907, 14.004390;
 *                MAPE 18.944201, bias 0.810558 */
static void test_synthetic_scores(void **state) {
  (void)state;
  ent_model *m = load("backtest/synthetic.yaml");
  ent_result *r = backtest(m, 0, 1, 0);
  assert_int_equal(r->n_bt, 3);
  assert_null(r->bt_ex.bt);
  const ent_result_bt_series *a = find(r->bt, r->n_bt, "ga");
  assert_int_equal(a->n, 3);
  assert_int_equal(a->years[0], 2021);
  assert_near(a->model[1], 14.0, 1e-9);
  assert_near(a->mape_model, 10.276008, 1e-5);
  assert_near(a->bias_model, 0.897240, 1e-6);
  assert_int_equal(a->persist_year, 2020);
  assert_string_equal(a->persist_from, "history");
  assert_near(a->persist[2], 10.0, 1e-12);
  assert_near(a->mape_persist, 34.324133, 1e-5);
  assert_near(a->bias_persist, 0.656759, 1e-6);
  assert_true(a->has_drift);
  assert_int_equal(a->drift_from, 2018);
  assert_int_equal(a->drift_to, 2020);
  assert_near(a->drift_rate, 0.111572, 1e-6);
  assert_near(a->drift[0], 11.180340, 1e-6);
  assert_near(a->drift[2], 13.975425, 1e-6);
  assert_near(a->mape_drift, 19.111847, 1e-5);
  assert_near(a->bias_drift, 0.808882, 1e-6);
  assert_true(a->has_trend);
  assert_int_equal(a->trend_from, 2018);
  assert_int_equal(a->trend_to, 2020);
  assert_near(a->trend[0], 11.203512, 1e-6);
  assert_near(a->mape_trend, 18.944201, 1e-5);
  assert_near(a->bias_trend, 0.810558, 1e-6);
  assert_string_equal(a->best, "model");
  assert_null(a->tied);
  assert_false(a->has_bands);

  /* model = persistence = 10 every year: a tie, not a model win;
   * MAPE 100 (1/9 + 1/11 + 0.5/10.5) / 3 = 8.321308 for both */
  const ent_result_bt_series *b = find(r->bt, r->n_bt, "gb");
  assert_near(b->mape_model, 8.321308, 1e-5);
  assert_near(b->mape_persist, 8.321308, 1e-5);
  assert_false(b->has_drift);
  assert_false(b->has_trend);
  assert_string_equal(b->best, "tie");
  assert_string_equal(b->tied, "model, persistence");

  /* no history in the base year: persistence starts from the base-year
   * data (10 in 2020), not from the last history value (5 in 2017); the
   * drift runs from 2017 to it: g = ln 2 / 3, 2021: 10 2^(1/3) */
  const ent_result_bt_series *c = find(r->bt, r->n_bt, "gc");
  assert_int_equal(c->persist_year, 2020);
  assert_string_equal(c->persist_from, "base-year data");
  assert_near(c->persist[0], 10.0, 1e-12);
  assert_int_equal(c->drift_from, 2017);
  assert_near(c->drift_rate, log(2.0) / 3.0, 1e-12);
  assert_near(c->drift[0], 12.599210, 1e-6);
  assert_false(c->has_trend); /* one history value before the base year */
  assert_string_equal(c->best, "tie");
  ent_result_destroy(r);
  ent_model_destroy(m);
}

/* Bands: ga's ramp is uniform on [1, 3], so its 80% band in year 2020 + h
 * is about 10 + h [1.2, 2.8] and its 90% band 10 + h [1.1, 2.9]: 12 (2021)
 * lies in both, 15.7 (2022) only in the 90% band (15.6 < 15.7 < 15.8), 20
 * (2023) in neither: coverage 1 and 2 of 3. */
static void test_synthetic_bands(void **state) {
  (void)state;
  ent_model *m = load("backtest/synthetic.yaml");
  ent_result *r = backtest(m, 2000, 1, 0);
  assert_int_equal(r->bt_runs, 2000);
  const ent_result_bt_series *a = find(r->bt, r->n_bt, "ga");
  assert_true(a->has_bands);
  assert_int_equal(a->members, 2000);
  assert_near(a->q10[1], 12.4, 0.1);
  assert_near(a->q90[1], 15.6, 0.06);
  assert_near(a->q05[1], 12.2, 0.1);
  assert_near(a->q95[1], 15.8, 0.06);
  assert_near(a->q50[2], 16.0, 0.15);
  assert_int_equal(a->in80, 1);
  assert_int_equal(a->in90, 2);
  /* a band of width 0 covers only an exact hit */
  const ent_result_bt_series *b = find(r->bt, r->n_bt, "gb");
  assert_near(b->q05[0], 10.0, 1e-12);
  assert_near(b->q95[0], 10.0, 1e-12);
  assert_int_equal(b->in80, 0);
  assert_int_equal(b->in90, 0);
  ent_result_destroy(r);

  /* same seed -> the same bytes for any thread count */
  ent_backtest_opts o;
  ent_backtest_opts_init(&o);
  o.runs = 300;
  char *buf[2] = {NULL, NULL};
  size_t len[2] = {0, 0};
  for (int t = 0; t < 2; t++) {
    o.threads = t + 1;
    FILE *fp = open_memstream(&buf[t], &len[t]);
    ent_diag *d = ent_diag_create();
    assert_int_equal(ent_backtest_write(m, &o, ENT_FORMAT_JSON, fp, d), ENT_OK);
    fclose(fp);
    ent_diag_destroy(d);
  }
  assert_int_equal(len[0], len[1]);
  assert_memory_equal(buf[0], buf[1], len[0]);
  assert_non_null(strstr(buf[0], "\"coverage_all\""));
  free(buf[0]);
  free(buf[1]);
  ent_model_destroy(m);
}

/* Bands need uncertain inputs: refused, with a message, without them. */
static void test_bands_need_uncertainty(void **state) {
  (void)state;
  ent_model *m = NULL;
  ent_diag *d = ent_diag_create();
  /* the built-in russia-china states points only (its ranges are in
   * russia-china-uncertain) */
  assert_int_equal(ent_builtin_load("russia-china", &m, d), ENT_OK);
  ent_backtest_opts o;
  ent_backtest_opts_init(&o);
  o.runs = 10;
  ent_result *r = (ent_result *)1;
  assert_int_equal(ent_backtest_create(m, &o, &r, d), ENT_EINVAL);
  assert_null(r);
  assert_non_null(strstr(ent_diag_get(d, ent_diag_count(d) - 1)->msg,
                         "no uncertain inputs"));
  ent_diag_destroy(d);
  ent_model_destroy(m);
}

/* russia-china-2013: persistence of both trade directions starts from the
 * 2013 matrix (39.66 and 49.61, data/SOURCES.md), not from 2010's 25.84
 * and 29.61; the total from the 2013 history value 89.21; the drift of
 * the total runs 2000-2013: ln(89.21/8)/13.  The ex-ante tables stand
 * beside the realised ones, and the realised inputs name the 2014 and
 * 2022 sanction rounds and Power of Siberia. */
static void test_russia_china_2013(void **state) {
  (void)state;
  ent_model *m = NULL;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_builtin_load("russia-china-2013", &m, d), ENT_OK);
  ent_result *r = backtest(m, 0, 1, 1);
  const ent_result_bt_series *t = find(r->bt, r->n_bt, "RUS<->CHN");
  assert_int_equal(t->persist_year, 2013);
  assert_near(t->persist[0], 89.21, 1e-9);
  assert_int_equal(t->drift_from, 2000);
  assert_near(t->drift_rate, log(89.21 / 8.0) / 13.0, 1e-12);
  assert_int_equal(t->trend_from, 2000);
  assert_int_equal(t->trend_to, 2013);
  const ent_result_bt_series *rc = find(r->bt, r->n_bt, "RUS->CHN");
  assert_int_equal(rc->persist_year, 2013);
  assert_string_equal(rc->persist_from, "base-year data");
  assert_near(rc->persist[0], 39.66, 1e-9);
  assert_int_equal(rc->drift_from, 2010);
  assert_near(rc->drift_rate, log(39.66 / 25.84) / 3.0, 1e-12);
  const ent_result_bt_series *cr = find(r->bt, r->n_bt, "CHN->RUS");
  assert_near(cr->persist[0], 49.61, 1e-9);
  /* 2024 is the last compared year (the run ends there; 2025 is beyond) */
  assert_int_equal(t->years[t->n - 1], 2024);
  assert_near(t->actual[t->n - 1], 244.81, 1e-9);
  assert_non_null(r->bt_ex.bt);
  const ent_result_bt_series *x = find(r->bt_ex.bt, r->bt_ex.n_bt, "RUS<->CHN");
  assert_int_equal(x->n, t->n);
  assert_near(x->actual[0], 95.28, 1e-9);
  assert_true(fabs(x->model[t->n - 1] - t->model[t->n - 1]) > 1.0);
  int seen[3] = {0, 0, 0};
  for (size_t k = 0; k < r->n_bt_realised; k++) {
    seen[0] |= !strcmp(r->bt_realised[k],
                       "shock west-2014-sanctions (announced 2014; not ex ante)");
    seen[1] |= !strcmp(r->bt_realised[k],
                       "shock west-2022-export-controls (announced 2022; not "
                       "ex ante)");
    seen[2] |= !strcmp(r->bt_realised[k],
                       "channel power-of-siberia (announced 2014; not ex ante)");
  }
  assert_true(seen[0] && seen[1] && seen[2]);
  ent_result_destroy(r);
  ent_diag_destroy(d);
  ent_model_destroy(m);
}

/* The 2025 error of the forecast made at the end of 2024 is in its
 * back-test (the built-in russia-china now starts in 2025): GACC 2025,
 * total 228.105 = 124.796 + 103.309, against persistence from 2024. */
static void test_builtin_2025(void **state) {
  (void)state;
  ent_model *m = NULL;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_builtin_load("russia-china-2024", &m, d), ENT_OK);
  ent_result *r = backtest(m, 0, 1, 1);
  const ent_result_bt_series *t = &r->bt[r->bt_head];
  assert_string_equal(t->entity, "RUS<->CHN");
  assert_int_equal(t->n, 1);
  assert_int_equal(t->years[0], 2025);
  assert_near(t->actual[0], 228.105, 1e-9);
  assert_near(t->persist[0], 244.81, 1e-9);
  assert_near(t->mape_persist, 100.0 * (244.81 - 228.105) / 228.105, 1e-9);
  const ent_result_bt_series *rc = find(r->bt, r->n_bt, "RUS->CHN");
  assert_near(rc->actual[0], 124.796, 1e-9);
  assert_near(rc->persist[0], 129.32, 1e-9);
  const ent_result_bt_series *cr = find(r->bt, r->n_bt, "CHN->RUS");
  assert_near(cr->actual[0], 103.309, 1e-9);
  ent_result_destroy(r);
  ent_diag_destroy(d);
  ent_model_destroy(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_synthetic_scores),
      cmocka_unit_test(test_synthetic_bands),
      cmocka_unit_test(test_bands_need_uncertainty),
      cmocka_unit_test(test_russia_china_2013),
      cmocka_unit_test(test_builtin_2025),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
