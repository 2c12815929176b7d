/*
 * test_smp_scenario.c -- KTAB's spatial model through scenario files:
 * issues with `model: smp` (one and several dimensions) must give KTAB's
 * own history (tests/data/smp, PROVENANCE.md there), `model: both` runs
 * the two models side by side and flags disagreement, and the rules of
 * the format hold (dimensions need smp, smp needs 3 actors).
 */
#include <math.h>

#include "input/scenario.h"
#include "sim/sim.h"
#include "testutil.h"

static ent_run *run_file(const char *rel, ent_model **m, const char *opt) {
  char path[1024];
  ref_path(path, sizeof path, rel);
  ent_diag *d = ent_diag_create();
  if (ent_scenario_load_file(path, m, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("cannot load %s", rel);
  }
  ent_run_opts *o = ent_run_opts_create();
  if (opt) assert_int_equal(ent_run_opts_set(o, opt, "test", d), ENT_OK);
  ent_run *r = NULL;
  assert_int_equal(ent_run_create(*m, o, &r, d), ENT_OK);
  ent_run_opts_destroy(o);
  ent_diag_destroy(d);
  return r;
}

/* Final positions of the issue run against the reference history. */
static void check_against(const char *scen, const char *positions,
                          size_t n_actors, size_t n_dims) {
  ent_model *m;
  ent_run *r = run_file(scen, &m, NULL);
  const ent_issue_run *ir = &r->issues[0];
  assert_int_equal(ir->model, ENT_ISSUE_SMP);
  const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
  assert_non_null(sp);
  assert_null(ent_issue_run_hist(ir));
  ref_table t = ref_load(positions);
  size_t ct = ref_col(&t, "turn"), ca = ref_col(&t, "actor"),
         cd = ref_col(&t, "dim"), cp = ref_col(&t, "position");
  int last = 0;
  for (size_t row = 1; row < t.csv->n_rows; row++)
    if ((int)ref_num(&t, row, ct) > last) last = (int)ref_num(&t, row, ct);
  assert_int_equal(sp->turns, last);
  size_t checked = 0;
  double worst = 0.0;
  for (size_t row = 1; row < t.csv->n_rows; row++) {
    if ((int)ref_num(&t, row, ct) != last) continue;
    size_t a = (size_t)ref_num(&t, row, ca), k = (size_t)ref_num(&t, row, cd);
    assert_true(a < n_actors && k < n_dims);
    double got = sp->final[a * n_dims + k], want = ref_num(&t, row, cp);
    assert_near(got, want, 1e-9);
    worst = fmax(worst, fabs(got - want));
    checked++;
  }
  assert_int_equal(checked, n_actors * n_dims);
  print_message("%s: %zu final positions, largest error %.3g\n", scen, checked,
                worst);
  assert_near(ir->forecast, sp->likely[0], 0.0);
  ref_free(&t);
  ent_run_destroy(r);
  ent_model_destroy(m);
}

static void test_ktab_one_dimension(void **state) {
  (void)state;
  check_against("smp/a040-scenario.yaml", "smp/dummyData-a040_positions.csv",
                40, 1);
}

static void test_ktab_three_dimensions(void **state) {
  (void)state;
  check_against("smp/3dim-scenario.yaml", "smp/dummyData_3Dim_positions.csv",
                7, 3);
}

/* The built-in scenario runs both models on every issue and says where
 * they disagree. */
static void test_builtin_both(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  assert_int_equal(ent_builtin_load("russia-china", &m, d), ENT_OK);
  ent_run *r;
  assert_int_equal(ent_run_create(m, NULL, &r, d), ENT_OK);
  size_t both = 0;
  for (size_t i = 0; i < r->n_issues; i++) {
    const ent_issue_run *ir = &r->issues[i];
    assert_int_equal(ir->model, ENT_ISSUE_BOTH);
    const ent_eum_hist *h = ent_issue_run_hist(ir);
    assert_non_null(h);
    /* the forecast is the last round's median, unless the medians did
     * not settle: then a mean of theirs (docs/dynamics.md) */
    const ent_issue_eum *eu = ent_issue_run_eum(ir);
    if (!eu->track.unsettled) {
      assert_near(ir->forecast, h->median[h->n_rounds], 0.0);
    } else {
      assert_true(ir->forecast >= eu->track.lo && ir->forecast <= eu->track.hi);
      assert_near(eu->track.raw, h->median[h->n_rounds], 0.0);
    }
    const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
    if (!sp) continue;
    both++;
    const ent_issue *is = ir->issue;
    for (size_t k = 0; k < is->n_stakes; k++) {
      assert_true(sp->final[k] >= is->lo - 1e-9 && sp->final[k] <= is->hi + 1e-9);
      assert_true(sp->win[k] >= 0.0 && sp->win[k] <= 1.0);
    }
  }
  assert_int_equal(both, r->n_issues);
  FILE *mem;
  char *buf = NULL;
  size_t len = 0;
  mem = open_memstream(&buf, &len);
  assert_int_equal(ent_run_write(r, ENT_FORMAT_TEXT, mem), ENT_OK);
  fclose(mem);
  assert_non_null(strstr(buf, "spatial model (KTAB SMP)"));
  assert_non_null(strstr(buf, "model uncertainty: the expected-utility and spatial"));
  free(buf);
  ent_run_destroy(r);
  ent_model_destroy(m);
  ent_diag_destroy(d);
}

/* models=eum switches the spatial model off; models=smp makes it decide. */
static void test_models_option(void **state) {
  (void)state;
  ent_model *m;
  ent_run *r = run_file("struct/mini.yaml", &m, "models=smp");
  for (size_t i = 0; i < r->n_issues; i++) {
    assert_int_equal(r->issues[i].model, ENT_ISSUE_SMP);
    const ent_issue_smp *sp = ent_issue_run_smp_ran(&r->issues[i]);
    assert_non_null(sp);
    assert_near(r->issues[i].forecast, sp->likely[0], 0.0);
  }
  ent_run_destroy(r);
  ent_model_destroy(m);
  ent_diag *d = ent_diag_create();
  ent_run_opts *o = ent_run_opts_create();
  assert_int_equal(ent_run_opts_set(o, "models=all", "test", d), ENT_EINPUT);
  ent_run_opts_destroy(o);
  ent_diag_destroy(d);
}

static void test_format_rules(void **state) {
  (void)state;
  static const struct {
    const char *text, *msg;
  } cases[] = {
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1}\n"
       "  - {id: B, name: b, capability: 1}\n  - {id: C, name: c, capability: 1}\n"
       "issues:\n  - id: q\n    question: q\n    scale: {min: 0, max: 100}\n"
       "    dimensions: [d1, d2]\n    positions:\n      A: {position: [1, 2], salience: [10, 10]}\n"
       "      B: {position: [3, 4], salience: [10, 10]}\n      C: {position: [5, 6], salience: [10, 10]}\n",
       "needs 'model: smp'"},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1}\n"
       "  - {id: B, name: b, capability: 1}\n"
       "issues:\n  - id: q\n    question: q\n    model: smp\n    scale: {min: 0, max: 100}\n"
       "    positions:\n      A: {position: 1, salience: 10}\n      B: {position: 3, salience: 10}\n",
       "needs at least 3 actors"},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1}\n"
       "  - {id: B, name: b, capability: 1}\n  - {id: C, name: c, capability: 1}\n"
       "issues:\n  - id: q\n    question: q\n    model: smp\n    scale: {min: 0, max: 100}\n"
       "    dimensions: [d1, d2]\n    positions:\n      A: {position: [1, 2], salience: [60, 50]}\n"
       "      B: {position: [3, 4], salience: [10, 10]}\n      C: {position: [5, 6], salience: [10, 10]}\n",
       "add up to 110"},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1}\n"
       "  - {id: B, name: b, capability: 1}\n  - {id: C, name: c, capability: 1}\n"
       "issues:\n  - id: q\n    question: q\n    model: smp\n    scale: {min: 0, max: 100}\n"
       "    dimensions: [d1, d2]\n    positions:\n      A: {position: [1], salience: [10, 10]}\n"
       "      B: {position: [3, 4], salience: [10, 10]}\n      C: {position: [5, 6], salience: [10, 10]}\n",
       "must be a list of 2 numbers"},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1}\n"
       "  - {id: B, name: b, capability: 1}\n  - {id: C, name: c, capability: 1}\n"
       "issues:\n  - id: q\n    question: q\n    model: smp\n    smp_options: {VotingRule: Nope}\n"
       "    scale: {min: 0, max: 100}\n"
       "    positions:\n      A: {position: 1, salience: 10}\n      B: {position: 3, salience: 10}\n"
       "      C: {position: 5, salience: 10}\n",
       "VotingRule"},
      {"scenario: {id: t, title: x}\nactors:\n  - {id: A, name: a, capability: 1}\n"
       "  - {id: B, name: b, capability: 1}\n"
       "issues:\n  - id: q\n    question: q\n    model: kt\n    scale: {min: 0, max: 100}\n"
       "    positions:\n      A: {position: 1, salience: 10}\n      B: {position: 3, salience: 10}\n",
       "must be 'eum', 'smp' or 'both'"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ent_diag *d = ent_diag_create();
    ent_model *m = NULL;
    ent_status st = ent_scenario_load_buffer("t.yaml", cases[k].text,
                                             strlen(cases[k].text), &m, d);
    if (st != ENT_EINPUT) fail_msg("case %zu accepted", k);
    int found = 0;
    for (size_t i = 0; i < ent_diag_count(d); i++)
      if (strstr(ent_diag_get(d, i)->msg, cases[k].msg) && ent_diag_get(d, i)->line > 0)
        found = 1;
    if (!found) {
      ent_diag_print(d, stderr);
      fail_msg("case %zu: no '%s'", k, cases[k].msg);
    }
    ent_diag_destroy(d);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ktab_one_dimension),
      cmocka_unit_test(test_ktab_three_dimensions),
      cmocka_unit_test(test_builtin_both),
      cmocka_unit_test(test_models_option),
      cmocka_unit_test(test_format_rules),
  };
  return cmocka_run_group_tests_name("smp_scenario", tests, NULL, NULL);
}
