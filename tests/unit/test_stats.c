/*
 * test_stats.c -- streaming statistics (stats.h): Welford's mean and sd
 * against the two-pass formulas, exact quantiles against hand-computed
 * type-7 values, the sketch's rank error against its stated bound on
 * uniform data (whose quantiles are known), and its determinism.
 */
#include <math.h>

#include <gsl/gsl_rng.h>

#include "ensemble/stats.h"
#include "testutil.h"

static void test_welford(void **state) {
  (void)state;
  const double x[] = {2.385, -1.5, 7.25, 0.125, 3.0, 11.5, -4.75};
  size_t n = sizeof x / sizeof x[0];
  ent_welford w = {0};
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    ent_welford_add(&w, x[i]);
    sum += x[i];
  }
  double mean = sum / (double)n, ss = 0.0;
  for (size_t i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
  assert_near(w.mean, mean, 1e-13);
  assert_near(ent_welford_sd(&w), sqrt(ss / (double)(n - 1)), 1e-13);
  ent_welford one = {0};
  ent_welford_add(&one, 5.0);
  assert_true(ent_welford_sd(&one) == 0.0);
}

static void test_exact(void **state) {
  (void)state;
  /* type 7: h = (n - 1) p, x[floor h] + (h - floor h) (x[ceil h] - x[floor h]) */
  const double x[] = {9.0, 1.0, 4.0, 16.0, 25.0}; /* sorted: 1 4 9 16 25 */
  ent_qacc *q = ent_qacc_create(2, 5, 1 << 20);
  assert_non_null(q);
  assert_true(ent_qacc_exact(q));
  for (int i = 0; i < 5; i++) ent_qacc_add(q, 1, x[i]);
  const double p[] = {0.0, 0.05, 0.25, 0.5, 0.9, 1.0};
  const double want[] = {1.0, 1.6, 4.0, 9.0, 21.4, 25.0};
  double out[6], scratch[8];
  ent_qacc_quantiles(q, 1, p, 6, out, scratch);
  for (int i = 0; i < 6; i++) assert_near(out[i], want[i], 1e-12);
  ent_qacc_quantiles(q, 0, p, 1, out, scratch);
  assert_true(isnan(out[0]));
  assert_int_equal(ent_qacc_count(q, 1), 5);
  ent_qacc_destroy(q);
}

/* The sketch on 200 000 uniforms: every quantile's rank error within the
 * bound (H - 1) / k, and identical states for identical input orders. */
static void test_sketch(void **state) {
  (void)state;
  size_t n = 200000;
  /* a budget far below n doubles forces the sketch */
  ent_qacc *q = ent_qacc_create(1, n, 64 * 1024);
  ent_qacc *q2 = ent_qacc_create(1, n, 64 * 1024);
  assert_non_null(q);
  assert_false(ent_qacc_exact(q));
  size_t k = ent_qacc_k(q), H = ent_qacc_levels(q);
  assert_true(k >= 64 && k * H * sizeof(double) <= 64 * 1024);
  double bound = ent_qacc_rank_error(q);
  assert_near(bound, (double)(H - 1) / (double)k, 1e-15);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 20241129);
  for (size_t i = 0; i < n; i++) {
    double u = gsl_rng_uniform(r);
    ent_qacc_add(q, 0, u);
    ent_qacc_add(q2, 0, u);
  }
  const double p[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  double out[5], out2[5];
  double *scratch = malloc(ent_qacc_scratch(q) * sizeof(double));
  ent_qacc_quantiles(q, 0, p, 5, out, scratch);
  ent_qacc_quantiles(q2, 0, p, 5, out2, scratch);
  for (int i = 0; i < 5; i++) {
    /* rank error of the sample plus that of the sample against the law
     * (4 sd of a uniform sample quantile) */
    double tol = bound + 4.0 * sqrt(p[i] * (1 - p[i]) / (double)n);
    assert_near(out[i], p[i], tol);
    assert_true(out[i] == out2[i]);
  }
  print_message("sketch k %zu, %zu levels, bound %.4f; median %.5f\n", k, H,
                bound, out[2]);
  free(scratch);
  gsl_rng_free(r);
  ent_qacc_destroy(q);
  ent_qacc_destroy(q2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_welford),
      cmocka_unit_test(test_exact),
      cmocka_unit_test(test_sketch),
  };
  return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
