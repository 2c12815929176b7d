/*
 * test_ensemble.c -- Monte Carlo forecasts (ensemble.c):
 *
 *  - statistics against closed forms: tests/data/ensemble/analytic.yaml
 *    makes each issue's outcome equal to one drawn number (PROVENANCE.md),
 *    so mean, sd, quantiles, the probabilities of the labelled ranges and
 *    of reaching a label are those of the distribution;
 *  - sensitivity on the same issues: each outcome is its own input, so
 *    SRC = 1, R^2 = 1, and S1 = ST = 1 for that input, 0 for the others;
 *  - a scenario without uncertain numbers: every run is the nominal run;
 *  - byte-identical output for 1, 2 and 3 threads;
 *  - feeding the records of an interrupted forecast into a new one and
 *    finishing it gives the output of an uninterrupted forecast;
 *  - compare marks a real difference and not an absent one.
 */
#include <cjson/cJSON.h>
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "ensemble/ensemble.h"
#include "input/scenario.h"
#include "testutil.h"

#define M_PI_ 3.14159265358979323846


static ent_ensemble *forecast(const ent_model *m, unsigned long runs, int threads,
                              int sobol) {
  ent_ensemble_opts o;
  ent_ensemble_opts_init(&o);
  o.runs = runs;
  o.seed = 20241129;
  o.threads = threads;
  o.sobol = sobol;
  ent_diag *d = ent_diag_create();
  ent_ensemble *e = NULL;
  if (ent_ensemble_create(m, NULL, &o, &e, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("cannot create the ensemble");
  }
  ent_status st;
  while ((st = ent_ensemble_step(e, d)) == ENT_CONTINUE) {
  }
  assert_int_equal(st, ENT_OK);
  ent_diag_destroy(d);
  return e;
}

static char *render(const ent_ensemble *e, ent_format f) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  assert_int_equal(ent_ensemble_write(e, f, mem), ENT_OK);
  fclose(mem);
  return buf;
}

static const cJSON *issue(const cJSON *root, const char *id) {
  const cJSON *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItem(root, "issues"))
    if (!strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id)) return it;
  fail_msg("no issue %s", id);
  return NULL;
}

static double num(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItem(o, k);
  if (!cJSON_IsNumber(v)) fail_msg("no number %s", k);
  return v->valuedouble;
}

static double range_p(const cJSON *is, const char *label) {
  const cJSON *r;
  cJSON_ArrayForEach(r, cJSON_GetObjectItem(is, "ranges"))
    if (!strcmp(cJSON_GetObjectItem(r, "label")->valuestring, label))
      return num(r, "probability");
  fail_msg("no range %s", label);
  return 0;
}

static double threshold_p(const cJSON *is, const char *label) {
  const cJSON *r;
  cJSON_ArrayForEach(r, cJSON_GetObjectItem(is, "thresholds"))
    if (!strcmp(cJSON_GetObjectItem(r, "label")->valuestring, label))
      return num(r, "probability");
  fail_msg("no threshold %s", label);
  return 0;
}

/* Tolerance for a sample quantile at p of n draws from a law with density
 * f there: 4 standard errors. */
static double qtol(double p, double f, double n) {
  return 4.0 * sqrt(p * (1.0 - p) / n) / f;
}

static void test_analytic(void **state) {
  (void)state;
  ent_model *m = ref_scenario("ensemble/analytic.yaml");
  const double N = 4000;
  ent_ensemble *e = forecast(m, (unsigned long)N, 2, 0);
  char *json = render(e, ENT_FORMAT_JSON);
  cJSON *root = cJSON_Parse(json);
  assert_non_null(root);
  assert_near(num(root, "runs"), N, 0);
  assert_near(num(root, "seed"), 20241129, 0);
  assert_near(num(root, "samples"), N, 0);
  /* uniform(20, 80) */
  const cJSON *is = issue(root, "uniform");
  const cJSON *oc = cJSON_GetObjectItem(is, "outcome");
  double sd = 60.0 / sqrt(12.0);
  assert_near(num(oc, "mean"), 50.0, 4.0 * sd / sqrt(N));
  assert_near(num(oc, "sd"), sd, 0.05 * sd);
  const double ps[] = {0.05, 0.25, 0.5, 0.75, 0.95};
  const char *qn[] = {"q05", "q25", "q50", "q75", "q95"};
  for (int k = 0; k < 5; k++)
    assert_near(num(oc, qn[k]), 20.0 + 60.0 * ps[k], qtol(ps[k], 1.0 / 60.0, N));
  double pse = 4.0 * sqrt(0.25 / N);
  assert_near(range_p(is, "quarter"), 17.5 / 60.0, pse);
  assert_near(range_p(is, "half"), 25.0 / 60.0, pse);
  assert_near(range_p(is, "three quarters"), 17.5 / 60.0, pse);
  assert_near(range_p(is, "zero"), 0.0, 0.0);
  assert_near(threshold_p(is, "three quarters"), 5.0 / 60.0, pse);
  assert_near(threshold_p(is, "zero"), 1.0, 0.0);
  /* normal(50, 10) inside [0, 100] */
  is = issue(root, "normal");
  oc = cJSON_GetObjectItem(is, "outcome");
  assert_near(num(oc, "mean"), 50.0, 4.0 * 10.0 / sqrt(N));
  assert_near(num(oc, "sd"), 10.0, 0.5);
  for (int k = 0; k < 5; k++) {
    double z = gsl_cdf_ugaussian_Pinv(ps[k]);
    double f = exp(-0.5 * z * z) / sqrt(2.0 * M_PI_) / 10.0;
    assert_near(num(oc, qn[k]), 50.0 + 10.0 * z, qtol(ps[k], f, N));
  }
  assert_near(range_p(is, "half"), 2.0 * gsl_cdf_ugaussian_P(1.25) - 1.0, pse);
  assert_near(threshold_p(is, "three quarters"), gsl_cdf_ugaussian_Q(2.5), 0.006);
  /* pert(0, 30, 90): mean 35, variance 275 */
  oc = cJSON_GetObjectItem(issue(root, "pert"), "outcome");
  assert_near(num(oc, "mean"), 35.0, 4.0 * sqrt(275.0 / N));
  assert_near(num(oc, "sd"), sqrt(275.0), 0.05 * sqrt(275.0));
  /* triangular(10, 20, 70): mean 100/3, variance 3100/18, median 70 -
   * sqrt(1500) (density there 2 (70 - m) / (60 * 50)) */
  oc = cJSON_GetObjectItem(issue(root, "triangular"), "outcome");
  assert_near(num(oc, "mean"), 100.0 / 3.0, 4.0 * sqrt(3100.0 / 18.0 / N));
  assert_near(num(oc, "sd"), sqrt(3100.0 / 18.0), 0.05 * sqrt(3100.0 / 18.0));
  double med = 70.0 - sqrt(1500.0);
  assert_near(num(oc, "q50"), med, qtol(0.5, 2.0 * (70.0 - med) / 3000.0, N));
  /* choice of 10, 40, 90 with weights 1, 2, 1 */
  is = issue(root, "choice");
  assert_near(range_p(is, "zero"), 0.25, pse);
  assert_near(range_p(is, "half"), 0.5, pse);
  assert_near(range_p(is, "all"), 0.25, pse);
  assert_near(range_p(is, "quarter") + range_p(is, "three quarters"), 0.0, 0.0);
  oc = cJSON_GetObjectItem(is, "outcome");
  assert_near(num(oc, "q50"), 40.0, 0.0);
  /* sensitivity: outcome k is input k, linearly */
  const cJSON *outs = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "sensitivity"),
                                          "outputs");
  assert_int_equal(cJSON_GetArraySize(outs), 5);
  const cJSON *o;
  int k = 0;
  cJSON_ArrayForEach(o, outs) {
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "inputs"), 0);
    char want[80];
    snprintf(want, sizeof want, "issues.%s.positions.D.position",
             cJSON_GetObjectItem(o, "entity")->valuestring);
    assert_string_equal(cJSON_GetObjectItem(first, "input")->valuestring, want);
    assert_near(num(first, "src"), 1.0, 1e-9);
    assert_near(num(o, "r2"), 1.0, 1e-9);
    k++;
  }
  cJSON_Delete(root);
  free(json);
  ent_ensemble_destroy(e);
  ent_model_destroy(m);
}

static void test_sobol(void **state) {
  (void)state;
  ent_model *m = ref_scenario("ensemble/analytic.yaml");
  ent_ensemble *e = forecast(m, 2000, 2, 1);
  char *json = render(e, ENT_FORMAT_JSON);
  cJSON *root = cJSON_Parse(json);
  assert_string_equal(cJSON_GetObjectItem(root, "design")->valuestring, "saltelli");
  assert_near(num(root, "samples"), 4000, 0); /* A and B rows */
  const cJSON *o;
  cJSON_ArrayForEach(o, cJSON_GetObjectItem(cJSON_GetObjectItem(root, "sensitivity"),
                                            "outputs")) {
    const char *id = cJSON_GetObjectItem(o, "entity")->valuestring;
    const cJSON *in;
    cJSON_ArrayForEach(in, cJSON_GetObjectItem(o, "inputs")) {
      const char *name = cJSON_GetObjectItem(in, "input")->valuestring;
      int own = strstr(name, id) && strstr(name, id)[strlen(id)] == '.';
      assert_near(num(in, "first_order"), own ? 1.0 : 0.0, 0.08);
      /* an input the outcome does not depend on changes nothing: exactly 0 */
      assert_near(num(in, "total"), own ? 1.0 : 0.0, own ? 0.08 : 0.0);
    }
  }
  cJSON_Delete(root);
  free(json);
  ent_ensemble_destroy(e);
  ent_model_destroy(m);
}

static void test_deterministic(void **state) {
  (void)state;
  ent_model *m = ref_scenario("struct/mini.yaml");
  assert_int_equal(ent_model_uncertain_count(m), 0);
  ent_ensemble *e = forecast(m, 5, 2, 0);
  char *json = render(e, ENT_FORMAT_JSON);
  cJSON *root = cJSON_Parse(json);
  ent_run *r = NULL;
  ent_run_opts *ro = ent_run_opts_create();
  ent_run_opts_set(ro, "robustness=off", "test", NULL);
  assert_int_equal(ent_run_create(m, ro, &r, NULL), ENT_OK);
  const cJSON *s;
  size_t k = 0;
  cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "series")) {
    assert_true(k < r->n_series);
    assert_string_equal(cJSON_GetObjectItem(s, "variable")->valuestring,
                        r->series[k].variable);
    /* cJSON prints 15 digits when they read back within an ulp */
    double v = r->series[k].value, tol = 4e-16 * fabs(v);
    assert_near(num(s, "mean"), v, tol);
    assert_near(num(s, "q05"), v, tol);
    assert_near(num(s, "q95"), v, tol);
    assert_near(num(s, "sd"), 0.0, 0.0);
    k++;
  }
  assert_int_equal(k, r->n_series);
  ent_run_destroy(r);
  ent_run_opts_destroy(ro);
  cJSON_Delete(root);
  free(json);
  ent_ensemble_destroy(e);
  ent_model_destroy(m);
}

static void test_threads(void **state) {
  (void)state;
  ent_model *m = ref_scenario("ensemble/mini-uncertain.yaml");
  char *out[3][3];
  for (int t = 1; t <= 3; t++) {
    ent_ensemble *e = forecast(m, 70, t, 0);
    out[t - 1][0] = render(e, ENT_FORMAT_JSON);
    out[t - 1][1] = render(e, ENT_FORMAT_CSV);
    out[t - 1][2] = render(e, ENT_FORMAT_TEXT);
    ent_ensemble_destroy(e);
  }
  for (int t = 1; t < 3; t++)
    for (int f = 0; f < 3; f++) assert_string_equal(out[0][f], out[t][f]);
  for (int t = 0; t < 3; t++)
    for (int f = 0; f < 3; f++) free(out[t][f]);
  ent_model_destroy(m);
}

/* Stop after one step, carry the records over to a new forecast (as
 * --resume does through the store), finish: same output as in one go. */
static void test_resume(void **state) {
  (void)state;
  ent_model *m = ref_scenario("ensemble/mini-uncertain.yaml");
  ent_ensemble *whole = forecast(m, 90, 2, 0);
  char *want = render(whole, ENT_FORMAT_JSON);
  ent_ensemble_destroy(whole);
  ent_ensemble_opts o;
  ent_ensemble_opts_init(&o);
  o.runs = 90;
  o.seed = 20241129;
  o.threads = 2;
  ent_ensemble *a = NULL, *b = NULL;
  assert_int_equal(ent_ensemble_create(m, NULL, &o, &a, NULL), ENT_OK);
  assert_int_equal(ent_ensemble_step(a, NULL), ENT_CONTINUE);
  unsigned long first, count;
  const unsigned char *recs = ent_ensemble_batch(a, &first, &count);
  assert_non_null(recs);
  assert_true(first == 0 && count > 0 && count < 90);
  unsigned char *copy = malloc(count * ent_ensemble_record_bytes(a));
  memcpy(copy, recs, count * ent_ensemble_record_bytes(a));
  ent_ensemble_stop(a);
  assert_int_equal(ent_ensemble_step(a, NULL), ENT_OK);
  assert_true(ent_ensemble_done(a) == count);
  char *partial = render(a, ENT_FORMAT_JSON);
  assert_non_null(strstr(partial, "\"complete\":\tfalse"));
  o.threads = 1; /* another thread count on the way */
  assert_int_equal(ent_ensemble_create(m, NULL, &o, &b, NULL), ENT_OK);
  for (unsigned long k = 0; k < count; k++)
    assert_int_equal(ent_ensemble_feed(b, copy + k * ent_ensemble_record_bytes(a),
                                  ent_ensemble_record_bytes(a)),
                     ENT_OK);
  assert_int_equal(ent_ensemble_sync(b), ENT_OK);
  assert_true(ent_ensemble_done(b) == count);
  ent_status st;
  while ((st = ent_ensemble_step(b, NULL)) == ENT_CONTINUE) {
  }
  assert_int_equal(st, ENT_OK);
  char *got = render(b, ENT_FORMAT_JSON);
  assert_string_equal(got, want);
  free(got);
  free(want);
  free(partial);
  free(copy);
  ent_ensemble_destroy(a);
  ent_ensemble_destroy(b);
  ent_model_destroy(m);
}

static void test_compare(void **state) {
  (void)state;
  ent_model *a = ref_scenario("ensemble/analytic.yaml");
  char path[1024];
  ref_path(path, sizeof path, "ensemble/analytic-shifted.yaml");
  ent_model *b = NULL;
  ent_diag *d = ent_diag_create();
  const char *text = "extends: analytic.yaml\n"
                     "issues:\n"
                     "  - id: uniform\n"
                     "    positions:\n"
                     "      D: {position: {dist: uniform, min: 30, max: 90}}\n";
  if (ent_scenario_load_buffer(path, text, strlen(text), &b, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("variant does not load");
  }
  ent_ensemble *ea = forecast(a, 400, 2, 0), *eb = forecast(b, 400, 2, 0);
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  assert_int_equal(ent_ensemble_compare_write(ea, eb, ENT_FORMAT_JSON, mem), ENT_OK);
  fclose(mem);
  cJSON *root = cJSON_Parse(buf);
  const cJSON *h;
  int seen = 0;
  cJSON_ArrayForEach(h, cJSON_GetObjectItem(root, "headline")) {
    const char *id = cJSON_GetObjectItem(h, "entity")->valuestring;
    int marked = cJSON_IsTrue(cJSON_GetObjectItem(h, "marked"));
    if (!strcmp(id, "uniform")) {
      /* the same uniforms, shifted by 10: every member moves by 10 */
      assert_near(num(h, "diff"), 10.0, 1e-9);
      assert_true(marked);
    } else {
      /* common random numbers: the other issues are the same runs */
      assert_near(num(h, "diff"), 0.0, 0.0);
      assert_false(marked);
    }
    seen++;
  }
  assert_int_equal(seen, 5);
  cJSON_Delete(root);
  free(buf);
  ent_diag_destroy(d);
  ent_ensemble_destroy(ea);
  ent_ensemble_destroy(eb);
  ent_model_destroy(a);
  ent_model_destroy(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_analytic),
      cmocka_unit_test(test_sobol),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_threads),
      cmocka_unit_test(test_resume),
      cmocka_unit_test(test_compare),
  };
  return cmocka_run_group_tests_name("ensemble", tests, NULL, NULL);
}
