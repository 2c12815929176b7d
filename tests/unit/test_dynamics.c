/*
 * test_dynamics.c -- the strategic layer over time (docs/dynamics.md): a
 * strategic shock acts from its year on and not before; a year starts
 * where the last one ended (two one-year runs equal one two-year run, for
 * both bargaining models); links act on levels; the recorded alignment is
 * the S score of the year's end positions, computed here by hand.
 *
 * Scenarios: tests/data/dyn/small.yaml (round test values) and texts
 * built below.
 */
#include <math.h>

#include "input/scenario.h"
#include "sim/bargain.h"
#include "sim/sim.h"
#include "testutil.h"

/* ------------------------------------------------------------ helpers */

static char *read_data(const char *rel) {
  char path[1024];
  ref_path(path, sizeof path, rel);
  char *text;
  size_t len;
  const char *why;
  if (ent_read_file(path, 1 << 20, &text, &len, &why) != ENT_OK)
    fail_msg("cannot read %s: %s", path, why);
  return text;
}

/* text with the first `from` replaced by `to` (the text is consumed). */
static char *replace(char *text, const char *from, const char *to) {
  char *at = strstr(text, from);
  if (!at) fail_msg("no '%s' in the scenario text", from);
  size_t ol = strlen(from), nl = strlen(to), len = strlen(text);
  char *nt = malloc(len - ol + nl + 1);
  assert_non_null(nt);
  memcpy(nt, text, (size_t)(at - text));
  memcpy(nt + (at - text), to, nl);
  strcpy(nt + (at - text) + nl, at + ol);
  free(text);
  return nt;
}

static ent_model *load_text(const char *name, const char *text) {
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  if (ent_scenario_load_buffer(name, text, strlen(text), &m, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("%s does not load", name);
  }
  ent_diag_destroy(d);
  return m;
}

static ent_run *run_all(const ent_model *m) {
  ent_diag *d = ent_diag_create();
  ent_run *r = NULL;
  if (ent_run_create(m, NULL, &r, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("run failed");
  }
  ent_diag_destroy(d);
  return r;
}

/* Run only the first `years` years of m's time axis (the step API). */
static ent_run *run_years(const ent_model *m, int years) {
  ent_diag *d = ent_diag_create();
  ent_sim *s = NULL;
  assert_int_equal(ent_sim_start(m, NULL, &s, d), ENT_OK);
  for (int y = 0; y < years; y++) {
    ent_status st = ent_sim_step(s, d);
    assert_true(st == ENT_CONTINUE || st == ENT_OK);
  }
  ent_run *r = NULL;
  assert_int_equal(ent_sim_finish(s, &r), ENT_OK);
  ent_diag_destroy(d);
  return r;
}

static double value(const ent_run *r, const char *var, const char *ent,
                    int year) {
  double v = ent_run_value(r, var, ent, year);
  if (isnan(v)) fail_msg("no %s %s %d in the run", var, ent, year);
  return v;
}

static const ent_track *track_of(const ent_run *r, size_t i) {
  const ent_issue_run *ir = &r->issues[i];
  for (int b = 0; b < ENT_BARGAIN_COUNT; b++) {
    const ent_track *t = ent_bargain_track(ir->part[b], b);
    if (t && t->has_end) return t;
  }
  fail_msg("issue %zu carries no state", i);
  return NULL;
}

/* ------------------------------------------------------------ shocks */

/* A strategic shock starting in 2023 changes the war question from 2023
 * on; every year before is bit-identical to the run without it. */
static void test_shock_from_its_year(void **state) {
  (void)state;
  char *text = read_data("dyn/small.yaml");
  ent_model *m0 = load_text("small.yaml", text);
  text = replace(text, "  - {id: west-sanctions",
                 "  - id: china-statement\n"
                 "    issue: war-support\n"
                 "    actor: CHN\n"
                 "    start: 2023\n"
                 "    position: 50\n"
                 "    salience: 80\n"
                 "    source: \"test value\"\n"
                 "  - {id: west-sanctions");
  ent_model *m1 = load_text("small-shock.yaml", text);
  free(text);
  ent_run *r0 = run_all(m0), *r1 = run_all(m1);
  for (int y = 2020; y < 2023; y++) {
    assert_true(value(r0, "issue_forecast", "war-support", y) ==
                value(r1, "issue_forecast", "war-support", y));
    assert_true(value(r0, "alignment", "RUS-CHN", y) ==
                value(r1, "alignment", "RUS-CHN", y));
  }
  /* from 2023 the shocked stance shows */
  assert_true(fabs(value(r0, "issue_forecast", "war-support", 2023) -
                   value(r1, "issue_forecast", "war-support", 2023)) > 1.0);
  /* while in force, China holds the stated position; the forecast of
   * the shocked run ends at it (China is the largest weight) */
  assert_true(fabs(value(r1, "issue_forecast", "war-support", 2026) - 50.0) <
              1e-9);
  ent_run_destroy(r0);
  ent_run_destroy(r1);
  ent_model_destroy(m0);
  ent_model_destroy(m1);
}

/* ------------------------------------------------------------ carry-over */

/* Four actors, one expected-utility and one spatial-model issue, no links:
 * positions and ideals filled in. */
static char *carry_text(int start, const double *q1, const double *q2) {
#define CARRY_FMT \
      "scenario: {id: carry, title: \"carry-over\"}\n" \
      "actors:\n" \
      "  - {id: A, name: Aland, capability: 50}\n" \
      "  - {id: B, name: Bland, capability: 100}\n" \
      "  - {id: C, name: Cland, capability: 80}\n" \
      "  - {id: D, name: Dland, capability: 60}\n" \
      "issues:\n" \
      "  - id: q1\n" \
      "    question: \"Q1?\"\n" \
      "    model: eum\n" \
      "    scale: {min: 0, max: 100}\n" \
      "    positions:\n" \
      "      A: {position: %.17g, ideal: 90, salience: 90}\n" \
      "      B: {position: %.17g, ideal: 20, salience: 60}\n" \
      "      C: {position: %.17g, ideal: 0, salience: 70}\n" \
      "      D: {position: %.17g, ideal: 45, salience: 50}\n" \
      "  - id: q2\n" \
      "    question: \"Q2?\"\n" \
      "    model: smp\n" \
      "    scale: {min: 0, max: 100}\n" \
      "    positions:\n" \
      "      A: {position: %.17g, ideal: 70, salience: 80}\n" \
      "      B: {position: %.17g, ideal: 30, salience: 70}\n" \
      "      C: {position: %.17g, ideal: 10, salience: 20}\n" \
      "      D: {position: %.17g, ideal: 60, salience: 40}\n" \
      "time: {start: %d, end: %d}\n" \
      "dynamics: {rounds_per_year: 3, inertia: 0.3}\n" \
      "economy:\n" \
      "  theta: 4\n" \
      "  blocs:\n" \
      "    - {id: A, gdp: 2000, growth: 1.0, milex: 100}\n" \
      "    - {id: B, gdp: 18000, growth: 4.0, milex: 300}\n" \
      "trade:\n" \
      "  blocs: [A, B]\n" \
      "  flows:\n" \
      "    A: [1500, 60]\n" \
      "    B: [50, 15000]\n"
  char *buf = malloc(4096);
  assert_non_null(buf);
  int n = snprintf(buf, 4096, CARRY_FMT, q1[0], q1[1], q1[2], q1[3], q2[0], q2[1],
                   q2[2], q2[3], start, start + 3);
  assert_true(n > 0 && n < 4096);
  return buf;
}

/* Year 2021 of one run from 2020 equals a run that starts in 2021 from
 * the positions at which 2020 ended (same ideals, same inputs). */
static void test_carry_over(void **state) {
  (void)state;
  const double q1[4] = {90, 30, 0, 45}, q2[4] = {80, 30, 10, 60};
  char *t = carry_text(2020, q1, q2);
  ent_model *m = load_text("carry-2020.yaml", t);
  free(t);
  ent_run *two = run_years(m, 2), *one = run_years(m, 1);
  /* the state 2020 ended in, and the second run from it */
  double e1[4], e2[4];
  memcpy(e1, track_of(one, 0)->end, sizeof e1);
  memcpy(e2, track_of(one, 1)->end, sizeof e2);
  t = carry_text(2021, e1, e2);
  ent_model *m2 = load_text("carry-2021.yaml", t);
  free(t);
  ent_run *next = run_years(m2, 1);
  for (size_t i = 0; i < 2; i++) {
    const ent_track *a = track_of(two, i), *b = track_of(next, i);
    assert_int_equal(a->nv, 4);
    assert_int_equal(b->nv, 4);
    for (size_t v = 0; v < 4; v++)
      if (a->end[v] != b->end[v])
        fail_msg("issue %zu actor %zu: %.17g (two-year run) vs %.17g "
                 "(one-year runs)", i, v, a->end[v], b->end[v]);
    /* the year's own read-out (before settling over past years) */
    assert_true(a->raw == b->raw);
  }
  /* and the year did move something: 2021 is not 2020 again */
  int moved = 0;
  for (size_t v = 0; v < 4; v++)
    moved |= track_of(two, 0)->end[v] != e1[v];
  assert_true(moved);
  ent_run_destroy(two);
  ent_run_destroy(one);
  ent_run_destroy(next);
  ent_model_destroy(m);
  ent_model_destroy(m2);
}

/* ------------------------------------------------------------ links */

/* With `ref`, a link acts on the level of its source: China's clout on
 * the pipeline scales with (dependence / 0.03)^e from the first year, so
 * elasticity 0 and 5 differ already in the base year (China decides the
 * question with 5, Russia with 0). */
static void test_links_on_levels(void **state) {
  (void)state;
  char *t0 = replace(read_data("dyn/small.yaml"), "elasticity: 1.0",
                     "elasticity: 0");
  char *t5 = replace(read_data("dyn/small.yaml"), "elasticity: 1.0",
                     "elasticity: 5");
  ent_model *m0 = load_text("el0.yaml", t0), *m5 = load_text("el5.yaml", t5);
  free(t0);
  free(t5);
  ent_run *r0 = run_all(m0), *r5 = run_all(m5);
  /* elasticity 0: Russia's 80 holds the base year; 5: China's 30 */
  assert_true(fabs(value(r0, "issue_forecast", "pipeline", 2020) - 80) < 1e-9);
  assert_true(fabs(value(r5, "issue_forecast", "pipeline", 2020) - 30) < 1e-9);
  /* with elasticity 0, the sanctions pressure from 2022 pulls Russia's
   * ideal toward China's position, and the forecast follows */
  assert_true(value(r0, "issue_forecast", "pipeline", 2026) < 70);
  ent_run_destroy(r0);
  ent_run_destroy(r5);
  ent_model_destroy(m0);
  ent_model_destroy(m5);
}

/* ------------------------------------------------------------ alignment */

/* The recorded RUS-CHN alignment of the last year is the S score of the
 * year's end positions with the year's saliences, by hand:
 *   S = 1 - 2 sum_k w_k |x_ak - x_bk| / d_k / sum_k w_k,
 *   w_k = (s_ak + s_bk) / 2, d_k = 100. */
static void test_alignment_by_hand(void **state) {
  (void)state;
  ent_model *m = ref_scenario("dyn/small.yaml");
  ent_run *r = run_all(m);
  double num = 0, den = 0;
  for (size_t i = 0; i < r->n_issues; i++) {
    const ent_issue *is = &m->issues[i];
    const ent_track *t = track_of(r, i);
    /* stakes in file order: RUS, CHN, USA, EUU */
    assert_string_equal(m->actors[is->stakes[0].actor].id, "RUS");
    assert_string_equal(m->actors[is->stakes[1].actor].id, "CHN");
    double w = (r->issues[i].sal[0] + r->issues[i].sal[1]) / 2;
    num += w * fabs(t->end[0] - t->end[1]) / 100.0;
    den += w;
  }
  double s = 1 - 2 * num / den;
  double got = value(r, "alignment", "RUS-CHN", 2026);
  if (fabs(s - got) > 1e-12)
    fail_msg("alignment %.17g, by hand %.17g", got, s);
  assert_true(got >= -1 && got <= 1);
  ent_run_destroy(r);
  ent_model_destroy(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shock_from_its_year),
      cmocka_unit_test(test_carry_over),
      cmocka_unit_test(test_links_on_levels),
      cmocka_unit_test(test_alignment_by_hand),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
