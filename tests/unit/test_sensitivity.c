/*
 * test_sensitivity.c -- the sensitivity estimators (sensitivity.h) on test
 * functions with known indices:
 *
 *  - Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi),
 *    a = 7, b = 0.1.  V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,
 *    V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50),
 *    S1 = V1/V = 0.3139, S2 = 0.4424, S3 = 0, ST1 = (V1 + V13)/V =
 *    0.5576, ST2 = 0.4424, ST3 = V13/V = 0.2437 (Ishigami & Homma 1990;
 *    Saltelli et al. 2008, s4.7).  Its linear regression on the inputs
 *    has only x1 (E[x1 sin x1] = 1, the other covariances vanish by
 *    symmetry): SRC1 = (1 + b pi^4/5) sqrt(3)/pi / sqrt(V), SRC2 = SRC3 = 0,
 *    R^2 = SRC1^2.
 *  - a linear function y = 2 x1 - 3 x2 + 0 x3 + 1 with independent x:
 *    SRC_i = beta_i sd_i / sd_y exactly in the population, R^2 = 1.
 */
#include <math.h>

#include <gsl/gsl_rng.h>

#include "ensemble/sensitivity.h"
#include "testutil.h"

static const double A = 7.0, B = 0.1;
#define PI_ 3.14159265358979323846

static double ishigami(const double *x) {
  double s = sin(x[0]);
  return s + A * sin(x[1]) * sin(x[1]) + B * pow(x[2], 4) * s;
}

static void ishigami_exact(double *S1, double *ST, double *V) {
  double pi4 = pow(PI_, 4), pi8 = pow(PI_, 8);
  double v1 = 0.5 * pow(1.0 + B * pi4 / 5.0, 2), v2 = A * A / 8.0;
  double v13 = B * B * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
  *V = A * A / 8.0 + B * pi4 / 5.0 + B * B * pi8 / 18.0 + 0.5;
  S1[0] = v1 / *V;
  S1[1] = v2 / *V;
  S1[2] = 0.0;
  ST[0] = (v1 + v13) / *V;
  ST[1] = v2 / *V;
  ST[2] = v13 / *V;
}

static void test_ishigami_sobol(void **state) {
  (void)state;
  double S1x[3], STx[3], V;
  ishigami_exact(S1x, STx, &V);
  assert_near(S1x[0], 0.3139, 1e-4);
  assert_near(S1x[1], 0.4424, 1e-4);
  assert_near(STx[0], 0.5576, 1e-4);
  assert_near(STx[2], 0.2437, 1e-4);
  size_t N = 1 << 15, d = 3;
  ent_sobol *s = ent_sobol_create(d, 1);
  assert_non_null(s);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 11);
  for (size_t n = 0; n < N; n++) {
    double a[3], b[3], ab[3], fA, fB, fAB[3];
    for (size_t i = 0; i < d; i++) a[i] = PI_ * (2.0 * gsl_rng_uniform(r) - 1.0);
    for (size_t i = 0; i < d; i++) b[i] = PI_ * (2.0 * gsl_rng_uniform(r) - 1.0);
    fA = ishigami(a);
    fB = ishigami(b);
    for (size_t i = 0; i < d; i++) {
      memcpy(ab, a, sizeof ab);
      ab[i] = b[i];
      fAB[i] = ishigami(ab);
    }
    ent_sobol_add(s, &fA, &fB, fAB);
  }
  double S1[3], ST[3];
  ent_sobol_compute(s, 0, S1, ST);
  for (size_t i = 0; i < d; i++) {
    print_message("x%zu: S1 %.4f (exact %.4f)  ST %.4f (exact %.4f)\n", i + 1,
                  S1[i], S1x[i], ST[i], STx[i]);
    assert_near(S1[i], S1x[i], 0.03);
    assert_near(ST[i], STx[i], 0.03);
  }
  assert_int_equal(ent_sobol_count(s), N);
  gsl_rng_free(r);
  ent_sobol_destroy(s);
}

static void test_ishigami_src(void **state) {
  (void)state;
  double S1x[3], STx[3], V;
  ishigami_exact(S1x, STx, &V);
  double src1 = (1.0 + B * pow(PI_, 4) / 5.0) * sqrt(3.0) / PI_ / sqrt(V);
  ent_src *s = ent_src_create(3, 1);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 12);
  for (size_t n = 0; n < 100000; n++) {
    double x[3], y;
    for (int i = 0; i < 3; i++) x[i] = PI_ * (2.0 * gsl_rng_uniform(r) - 1.0);
    y = ishigami(x);
    ent_src_add(s, x, &y);
  }
  double src[3], r2;
  assert_int_equal(ent_src_compute(s, 0, src, &r2), ENT_OK);
  print_message("SRC %.4f %.4f %.4f (exact %.4f 0 0), R^2 %.4f (exact %.4f)\n",
                src[0], src[1], src[2], src1, r2, src1 * src1);
  assert_near(src[0], src1, 0.01);
  assert_near(src[1], 0.0, 0.01);
  assert_near(src[2], 0.0, 0.01);
  assert_near(r2, src1 * src1, 0.01);
  gsl_rng_free(r);
  ent_src_destroy(s);
}

static void test_linear_src(void **state) {
  (void)state;
  /* x1 ~ U(0, 1) (sd 1/sqrt 12), x2 ~ U(0, 2), x3 ~ U(0, 5); y = 2 x1 - 3 x2 + 1 */
  ent_src *s = ent_src_create(4, 2);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 13);
  for (size_t n = 0; n < 50000; n++) {
    double x[4] = {gsl_rng_uniform(r), 2.0 * gsl_rng_uniform(r),
                   5.0 * gsl_rng_uniform(r), 3.0}; /* x4 constant */
    double y[2] = {2.0 * x[0] - 3.0 * x[1] + 1.0, 4.0};
    ent_src_add(s, x, y);
  }
  double src[4], r2;
  assert_int_equal(ent_src_compute(s, 0, src, &r2), ENT_OK);
  double s1 = 1.0 / sqrt(12.0), s2 = 2.0 / sqrt(12.0);
  double sy = sqrt(4.0 * s1 * s1 + 9.0 * s2 * s2);
  assert_near(src[0], 2.0 * s1 / sy, 0.01);
  assert_near(src[1], -3.0 * s2 / sy, 0.01);
  assert_near(src[2], 0.0, 1e-9);
  assert_true(src[3] == 0.0); /* no variance: left out of the fit */
  assert_near(r2, 1.0, 1e-9);
  /* a constant output has no R^2 */
  assert_int_equal(ent_src_compute(s, 1, src, &r2), ENT_OK);
  assert_true(isnan(r2));
  gsl_rng_free(r);
  ent_src_destroy(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ishigami_sobol),
      cmocka_unit_test(test_ishigami_src),
      cmocka_unit_test(test_linear_src),
  };
  return cmocka_run_group_tests_name("sensitivity", tests, NULL, NULL);
}
