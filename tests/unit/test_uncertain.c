/*
 * test_uncertain.c -- uncertain numbers and variants: the inverse CDFs
 * against closed forms and GSL's CDFs, the member seeds, the nominal
 * values the loader sets, value copies of a model and the application of
 * draws to them, and the merge rules of `extends`.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "input/scenario.h"
#include "sim/sim.h"
#include "testutil.h"
#include "ensemble/uncertain.h"
#include "ensemble/mt19937.h"


static void test_quantiles(void **state) {
  (void)state;
  ent_dist u = {.kind = ENT_DIST_UNIFORM, .lo = 20, .hi = 80};
  assert_near(ent_dist_quantile(&u, 0.25), 35.0, 1e-12);
  /* triangular(10, 20, 70): F(x) = (x-a)^2 / ((b-a)(c-a)) left of the mode */
  ent_dist t = {.kind = ENT_DIST_TRIANGULAR, .a = 20, .lo = 10, .hi = 70};
  assert_near(ent_dist_quantile(&t, 0.1), 10.0 + sqrt(60.0), 1e-12);
  assert_near(ent_dist_quantile(&t, 0.5), 70.0 - sqrt(1500.0), 1e-12);
  /* normal(0, 1) truncated to [0, 10]: the half-normal, F^-1(u) =
   * Phi^-1((1 + u) / 2) */
  ent_dist n = {.kind = ENT_DIST_NORMAL, .a = 0, .b = 1, .lo = 0, .hi = 10};
  n.plo = gsl_cdf_ugaussian_P(0.0);
  n.phi = gsl_cdf_ugaussian_P(10.0);
  assert_near(ent_dist_quantile(&n, 0.5), 0.6744897501960817, 1e-9);
  assert_near(ent_dist_quantile(&n, 0.95), 1.959963984540054, 1e-9);
  assert_near(ent_dist_quantile(&n, 0.999), 3.290526731491926, 1e-8);
  /* symmetric truncation: the median is the mean */
  ent_dist n2 = {.kind = ENT_DIST_NORMAL, .a = 50, .b = 10, .lo = 0, .hi = 100};
  n2.plo = gsl_cdf_ugaussian_P(-5.0);
  n2.phi = gsl_cdf_ugaussian_P(5.0);
  assert_near(ent_dist_quantile(&n2, 0.5), 50.0, 1e-9);
  /* pert(0, 30, 90): alpha 7/3, beta 11/3; F(q(u)) = u */
  ent_dist p = {.kind = ENT_DIST_PERT, .a = 30, .lo = 0, .hi = 90,
                .alpha = 1.0 + 4.0 / 3.0, .beta = 1.0 + 8.0 / 3.0};
  for (double v = 0.01; v < 1.0; v += 0.07) {
    double x = ent_dist_quantile(&p, v);
    assert_near(gsl_cdf_beta_P(x / 90.0, p.alpha, p.beta), v, 1e-9);
  }
  const double vals[] = {10, 40, 90}, cum[] = {0.25, 0.75, 1.0};
  ent_dist c = {.kind = ENT_DIST_CHOICE, .values = vals, .cum = cum, .n = 3,
                .lo = 10, .hi = 90};
  assert_true(ent_dist_quantile(&c, 0.2) == 10);
  assert_true(ent_dist_quantile(&c, 0.25) == 40);
  assert_true(ent_dist_quantile(&c, 0.74) == 40);
  assert_true(ent_dist_quantile(&c, 0.9) == 90);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static void test_seeds(void **state) {
  (void)state;
  size_t n = 200000;
  uint32_t *lo = malloc(n * sizeof *lo);
  for (size_t i = 0; i < n; i++) {
    uint64_t s = ent_seed_derive(42, i);
    assert_true(s == ent_seed_derive(42, i)); /* (seed, index) only */
    lo[i] = (uint32_t)s;
  }
  qsort(lo, n, sizeof *lo, cmp_u32);
  for (size_t i = 1; i < n; i++) assert_true(lo[i] != lo[i - 1]);
  assert_true(ent_seed_derive(42, 7) != ent_seed_derive(43, 7));
  free(lo);
}

static void test_nominal(void **state) {
  (void)state;
  ent_model *m = ref_scenario("ensemble/analytic.yaml");
  assert_int_equal(m->n_uparams, 5);
  /* uniform: midpoint; normal: mean; pert, triangular: mode; choice: the
   * most likely value */
  const double want[] = {50, 50, 30, 20, 40};
  const char *names[] = {"issues.uniform.positions.D.position",
                         "issues.normal.positions.D.position",
                         "issues.pert.positions.D.position",
                         "issues.triangular.positions.D.position",
                         "issues.choice.positions.D.position"};
  for (size_t k = 0; k < 5; k++) {
    assert_near(m->uparams[k].nominal, want[k], 0.0);
    assert_string_equal(m->uparams[k].name, names[k]);
    const ent_utarget *t = &m->uparams[k].tgt;
    assert_int_equal(t->kind, ENT_UT_STAKE_POSITION);
    assert_int_equal(t->i, k);
    assert_near(m->issues[t->i].stakes[t->j].position, want[k], 0.0);
    assert_int_equal(m->issues[t->i].stakes[t->j].actor, 0); /* D */
  }
  ent_model_destroy(m);
}

static const ent_uparam *find_param(const ent_model *m, const char *name) {
  for (size_t k = 0; k < m->n_uparams; k++)
    if (!strcmp(m->uparams[k].name, name)) return &m->uparams[k];
  fail_msg("no uncertain number %s", name);
  return NULL;
}

static void test_clone_apply(void **state) {
  (void)state;
  ent_model *m = ref_scenario("ensemble/mini-uncertain.yaml");
  assert_int_equal(m->n_uparams, 17);
  ent_model *c = ent_model_clone(m);
  assert_non_null(c);
  double *x = calloc(m->n_uparams, sizeof *x);
  for (size_t k = 0; k < m->n_uparams; k++) x[k] = m->uparams[k].dist.hi;
  ent_uncertain_apply(c, x);
  const ent_structure *s = m->st, *t = c->st;
  /* RUS capability 60 reaches the stakes that inherit it, not others */
  assert_near(c->actors[0].capability, 60.0, 0.0);
  assert_near(m->actors[0].capability, 50.0, 0.0);
  assert_near(c->issues[1].stakes[0].capability, 60.0, 0.0); /* compliance RUS */
  assert_near(c->issues[0].stakes[0].capability, 200.0, 0.0); /* own value */
  /* salience: the file's 0-100 scale, stored as a fraction */
  assert_near(c->issues[0].stakes[1].salience, 0.8, 1e-15);
  assert_near(c->issues[0].stakes[1].position, 90.0, 0.0);
  assert_near(t->theta, 7.0, 0.0);
  assert_near(s->theta, 4.0, 0.0);
  /* RUS growth: every year, and milex_growth follows (not given) */
  for (int k = 1; k <= t->end - t->start; k++) {
    assert_near(t->blocs[0].growth[k], 1.0 + 99.0, 0.0);
    assert_near(t->blocs[0].milex_growth[k], 100.0, 0.0);
  }
  /* CHN growth: {2021: 6, 2024: pert}: only 2024 on */
  assert_near(t->blocs[1].growth[1], 6.0, 0.0);
  assert_near(t->blocs[1].growth[3], 6.0, 0.0);
  assert_near(t->blocs[1].growth[4], 6.0, 0.0); /* pert max 6 */
  x[find_param(m, "economy.blocs.CHN.growth.2024") - m->uparams] = 2.5;
  ent_uncertain_apply(c, x);
  assert_near(t->blocs[1].growth[3], 6.0, 0.0);
  assert_near(t->blocs[1].growth[4], 2.5, 0.0);
  assert_near(t->blocs[1].growth[6], 2.5, 0.0);
  assert_near(t->flows[0 * 3 + 1], 70.0, 0.0);
  assert_near(t->shocks[0].beta, -0.8, 0.0);
  assert_near(t->channels[1].capacity, 50.0, 0.0);
  assert_near(t->links[0].elasticity, 2.0, 0.0);
  assert_near(t->links[1].beta_at_max, -0.5, 0.0);
  assert_near(t->links[2].above, 70.0, 0.0);
  /* a base above a drawn capacity is capped, and restored next time */
  size_t cap = (size_t)(find_param(m, "channels.pipe1.base") - m->uparams);
  x[cap] = 25.0;
  ent_uncertain_apply(c, x);
  assert_near(t->channels[0].base, 25.0, 0.0);
  assert_near(s->channels[0].base, 20.0, 0.0);
  /* the clone runs like a model; the nominal draw gives the nominal run */
  for (size_t k = 0; k < m->n_uparams; k++) x[k] = m->uparams[k].nominal;
  ent_uncertain_apply(c, x);
  ent_run_opts *ro = ent_run_opts_create();
  ent_run *r1 = NULL, *r2 = NULL;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_run_create(m, ro, &r1, d), ENT_OK);
  assert_int_equal(ent_run_create(c, ro, &r2, d), ENT_OK);
  assert_int_equal(r1->n_series, r2->n_series);
  for (size_t k = 0; k < r1->n_series; k++)
    assert_true(r1->series[k].value == r2->series[k].value);
  ent_run_destroy(r1);
  ent_run_destroy(r2);
  ent_run_opts_destroy(ro);
  ent_diag_destroy(d);
  free(x);
  ent_model_destroy(c);
  ent_model_destroy(m);
}

static ent_model *load_text(const char *text, ent_diag *d) {
  char name[1024];
  ref_path(name, sizeof name, "ensemble/variant-test.yaml");
  ent_model *m = NULL;
  ent_scenario_load_buffer(name, text, strlen(text), &m, d);
  return m;
}

static void test_variants(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_model *m = load_text(
      "extends: ../struct/mini.yaml\n"
      "scenario: {id: v, title: \"variant\"}\n"
      "issues:\n"
      "  - id: compliance\n"
      "    positions:\n"
      "      CHN: {position: 45}\n"
      "  - id: pipeline\n"
      "    remove: true\n"
      "  - id: new-issue\n"
      "    question: \"new?\"\n"
      "    scale: {min: 0, max: 10}\n"
      "    positions:\n"
      "      RUS: {position: 1, salience: 50}\n"
      "      CHN: {position: 9, salience: 50}\n"
      "shocks:\n"
      "  - {id: west-sanctions, end: 2024}\n"
      "links:\n"
      "  - {id: dep-clout, remove: true}\n"
      "  - {id: pipe2-decision, remove: true}\n",
      d);
  if (!m) ent_diag_print(d, stderr);
  assert_non_null(m);
  assert_string_equal(m->id, "v");
  assert_string_equal(m->title, "variant");
  assert_int_equal(m->n_issues, 2);
  assert_string_equal(m->issues[0].id, "compliance");
  assert_string_equal(m->issues[1].id, "new-issue");
  /* a merged stake keeps the base's other keys */
  assert_near(m->issues[0].stakes[1].position, 45.0, 0.0);
  assert_near(m->issues[0].stakes[1].salience, 0.5, 0.0);
  assert_near(m->issues[0].stakes[1].capability, 250.0, 0.0);
  assert_int_equal(m->st->n_shocks, 1);
  assert_int_equal(m->st->shocks[0].end, 2024);
  assert_near(m->st->shocks[0].beta, -1.5, 0.0);
  assert_int_equal(m->st->n_links, 1);
  assert_non_null(m->base_text);
  assert_non_null(strstr(m->base_text, "Mini structural test"));
  ent_model_destroy(m);
  /* an error in the variant points into the variant, one in the base
   * into the base */
  m = load_text("extends: ../struct/mini.yaml\nshocks:\n  - {id: west-sanctions,"
                " beta: 9}\n", d);
  assert_null(m);
  const ent_diag_item *it = ent_diag_get(d, 0);
  assert_non_null(strstr(it->file, "variant-test.yaml"));
  assert_int_equal(it->line, 3);
  assert_int_equal(it->col, 32);
  ent_diag_destroy(d);
  d = ent_diag_create();
  m = load_text("extends: bad/base-with-error.yaml\n", d);
  assert_null(m);
  it = ent_diag_get(d, 0);
  assert_non_null(strstr(it->file, "bad/base-with-error.yaml"));
  assert_int_equal(it->line, 12);
  ent_diag_destroy(d);
}

/* The lazy MT19937 gives GSL's words and doubles for the same seeds: word
 * by word across the lazy first block's end (226, 227), the first block's
 * end (623, 624) and later blocks, after a re-seed mid-block (as a thread
 * seeds member after member), and the doubles the forecast reads. */
static void test_mt19937_gsl(void **state) {
  (void)state;
  const unsigned long seeds[] = {
      0, 1, 2, 4357, 5489, 0xffffffffUL, 0x100000000UL, 0x100000005UL,
      0xdeadbeefcafef00dUL, (unsigned long)ent_seed_derive(1, 0),
      (unsigned long)ent_seed_derive(1, 9999),
      (unsigned long)ent_seed_derive(42, 123456)};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  assert_non_null(r);
  ent_mt g;
  /* a stale state first: the set must not depend on it */
  ent_mt_set(&g, 7);
  for (int i = 0; i < 700; i++) (void)ent_mt_get(&g);
  for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
    gsl_rng_set(r, seeds[s]);
    ent_mt_set(&g, seeds[s]);
    for (int i = 0; i < 2000; i++) {
      uint32_t want = (uint32_t)gsl_rng_get(r), got = ent_mt_get(&g);
      if (want != got) fail_msg("seed %lu word %d: %u != %u", seeds[s], i,
                                (unsigned)got, (unsigned)want);
    }
    /* re-seeded after 1 to 300 words of a stream, as the members do */
    for (int stop = 1; stop <= 300; stop += 23) {
      gsl_rng_set(r, seeds[s] + (unsigned long)stop);
      ent_mt_set(&g, seeds[s] + (unsigned long)stop);
      for (int i = 0; i < stop; i++) (void)ent_mt_get(&g);
      for (int i = 0; i < stop; i++) (void)gsl_rng_get(r);
      gsl_rng_set(r, seeds[s]);
      ent_mt_set(&g, seeds[s]);
      for (int i = 0; i < 260; i++) {
        double a = gsl_rng_uniform_pos(r), b = ent_mt_uniform_pos(&g);
        assert_memory_equal(&a, &b, sizeof a);
        assert_true(b > 0.0 && b < 1.0);
      }
      double a = gsl_rng_uniform(r), b = ent_mt_uniform(&g);
      assert_memory_equal(&a, &b, sizeof a);
    }
  }
  gsl_rng_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_quantiles),
      cmocka_unit_test(test_seeds),
      cmocka_unit_test(test_nominal),
      cmocka_unit_test(test_clone_apply),
      cmocka_unit_test(test_variants),
      cmocka_unit_test(test_mt19937_gsl),
  };
  return cmocka_run_group_tests_name("uncertain", tests, NULL, NULL);
}
