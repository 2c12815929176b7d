/*
 * test_sim.c -- the structural simulation: the step-wise API, the base
 * year equal to the data, invariance without shocks or growth, the
 * direction of sanction effects, channels and links, determinism.
 */
#include <math.h>

#include "ensemble/uncertain.h"
#include "input/scenario.h"
#include "sim/sim.h"
#include "testutil.h"


/* Load the mini scenario with text replacements (old -> new pairs). */
static ent_model *load_variant(const char *const *edits) {
  char path[1024];
  ref_path(path, sizeof path, "struct/mini.yaml");
  char *text;
  size_t len;
  const char *why;
  assert_int_equal(ent_read_file(path, 1 << 20, &text, &len, &why), ENT_OK);
  for (size_t k = 0; edits && edits[k]; k += 2) {
    char *at = strstr(text, edits[k]);
    if (!at) fail_msg("no '%s' in mini.yaml", edits[k]);
    size_t ol = strlen(edits[k]), nl = strlen(edits[k + 1]);
    char *nt = malloc(len - ol + nl + 1);
    memcpy(nt, text, (size_t)(at - text));
    memcpy(nt + (at - text), edits[k + 1], nl);
    strcpy(nt + (at - text) + nl, at + ol);
    free(text);
    text = nt;
    len = strlen(text);
  }
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  if (ent_scenario_load_buffer("mini-variant.yaml", text, len, &m, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("variant does not load");
  }
  ent_diag_destroy(d);
  free(text);
  return m;
}

static ent_run *run_model(const ent_model *m) {
  ent_diag *d = ent_diag_create();
  ent_run *r = NULL;
  if (ent_run_create(m, NULL, &r, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("run failed");
  }
  ent_diag_destroy(d);
  return r;
}

static void test_step_api(void **state) {
  (void)state;
  ent_model *m = ref_scenario("struct/mini.yaml");
  ent_diag *d = ent_diag_create();
  ent_sim *s;
  assert_int_equal(ent_sim_start(m, NULL, &s, d), ENT_OK);
  assert_int_equal(ent_sim_year(s), 0);
  int steps = 0;
  ent_status st;
  while ((st = ent_sim_step(s, d)) == ENT_CONTINUE) {
    steps++;
    assert_int_equal(ent_sim_year(s), 2019 + steps);
  }
  assert_int_equal(st, ENT_OK);
  assert_int_equal(steps, 6); /* 2020..2025 continue, 2026 finishes */
  assert_int_equal(ent_sim_year(s), 2026);
  ent_run *r;
  assert_int_equal(ent_sim_finish(s, &r), ENT_OK);
  for (size_t k = 0; k < r->n_series; k++) {
    assert_true(isfinite(r->series[k].value));
    assert_true(r->series[k].year >= 2020 && r->series[k].year <= 2026);
  }
  ent_run_destroy(r);
  /* stopping early keeps the years done */
  assert_int_equal(ent_sim_start(m, NULL, &s, d), ENT_OK);
  assert_int_equal(ent_sim_step(s, d), ENT_CONTINUE);
  assert_int_equal(ent_sim_step(s, d), ENT_CONTINUE);
  assert_int_equal(ent_sim_finish(s, &r), ENT_OK);
  assert_true(isfinite(ent_run_value(r, "trade_flow", "RUS->CHN", 2021)));
  assert_true(isnan(ent_run_value(r, "trade_flow", "RUS->CHN", 2022)));
  ent_run_destroy(r);
  ent_diag_destroy(d);
  ent_model_destroy(m);
}

static void test_base_year_is_data(void **state) {
  (void)state;
  ent_model *m = ref_scenario("struct/mini.yaml");
  ent_run *r = run_model(m);
  assert_near(ent_run_value(r, "trade_flow", "RUS->CHN", 2020), 60.0, 0.0);
  assert_near(ent_run_value(r, "trade_flow", "CHN->WST", 2020), 900.0, 0.0);
  /* dependence = (60 + 50) / 2000 */
  assert_near(ent_run_value(r, "dependence", "RUS->CHN", 2020), 0.055, 1e-15);
  assert_near(ent_run_value(r, "dependence", "CHN->RUS", 2020), 110.0 / 18000.0,
              1e-15);
  /* China's share of Russia's trade: 110 / (60 + 300 + 50 + 250) */
  assert_near(ent_run_value(r, "partner_share", "RUS->CHN", 2020), 110.0 / 660.0,
              1e-15);
  /* GDP path: CHN grows 6% from 2021, 4% from 2024 */
  assert_near(ent_run_value(r, "gdp", "CHN", 2023), 18000.0 * pow(1.06, 3), 1e-9);
  assert_near(ent_run_value(r, "gdp", "CHN", 2025),
              18000.0 * pow(1.06, 3) * pow(1.04, 2), 1e-8);
  assert_near(ent_run_value(r, "welfare_change", "RUS", 2020), 0.0, 0.0);
  ent_run_destroy(r);
  ent_model_destroy(m);
}

/* No growth, no shock, no link-driven cost: the base year is an
 * equilibrium, so flows never move. */
static void test_no_shock_no_growth(void **state) {
  (void)state;
  static const char *const edits[] = {
      "growth: 1.0", "growth: 0",
      "growth: {2021: 6.0, 2024: 4.0}", "growth: 0",
      "growth: 2.0", "growth: 0",
      "beta: -1.5", "beta: 0",
      "beta_at_max: -1.0", "beta_at_max: 0",
      NULL};
  ent_model *m = load_variant(edits);
  ent_run *r = run_model(m);
  for (int y = 2020; y <= 2026; y++) {
    assert_near(ent_run_value(r, "trade_flow", "RUS->CHN", y), 60.0, 1e-9);
    assert_near(ent_run_value(r, "trade_flow", "WST->RUS", y), 250.0, 1e-9);
    assert_near(ent_run_value(r, "welfare_change", "RUS", y), 0.0, 1e-9);
  }
  ent_run_destroy(r);
  ent_model_destroy(m);
}

/* The seed's claim on a small system: Western sanctions raise China's
 * share of Russia's trade and Russia's dependence on China. */
static void test_sanctions_pivot(void **state) {
  (void)state;
  static const char *const none[] = {"beta: -1.5", "beta: 0", NULL};
  ent_model *m0 = load_variant(none);
  ent_model *m1 = ref_scenario("struct/mini.yaml");
  ent_run *r0 = run_model(m0), *r1 = run_model(m1);
  for (int y = 2022; y <= 2026; y++) {
    assert_true(ent_run_value(r1, "partner_share", "RUS->CHN", y) >
                ent_run_value(r0, "partner_share", "RUS->CHN", y));
    assert_true(ent_run_value(r1, "dependence", "RUS->CHN", y) >
                ent_run_value(r0, "dependence", "RUS->CHN", y));
    assert_true(ent_run_value(r1, "trade_flow", "RUS->WST", y) <
                ent_run_value(r0, "trade_flow", "RUS->WST", y));
    assert_true(ent_run_value(r1, "welfare_change", "RUS", y) < 0.0);
  }
  /* before the sanctions the two runs agree */
  assert_near(ent_run_value(r1, "trade_flow", "RUS->CHN", 2021),
              ent_run_value(r0, "trade_flow", "RUS->CHN", 2021), 1e-9);
  ent_run_destroy(r0);
  ent_run_destroy(r1);
  ent_model_destroy(m0);
  ent_model_destroy(m1);
}

static void test_channels_and_links(void **state) {
  (void)state;
  ent_model *m = ref_scenario("struct/mini.yaml");
  ent_run *r = run_model(m);
  /* pipe1: base 20, +5 a year, capped at 38 */
  assert_near(ent_run_value(r, "gas_flow", "pipe1", 2020), 20.0, 0.0);
  assert_near(ent_run_value(r, "gas_flow", "pipe1", 2023), 35.0, 0.0);
  assert_near(ent_run_value(r, "gas_flow", "pipe1", 2024), 38.0, 0.0);
  /* pipe2: the pipeline issue forecast (>= 60) decides it in 2020;
   * first gas after build_years = 2, ramp 10 a year */
  assert_true(ent_run_value(r, "issue_forecast", "pipeline", 2020) >= 60.0);
  assert_near(ent_run_value(r, "gas_flow", "pipe2", 2021), 0.0, 0.0);
  assert_near(ent_run_value(r, "gas_flow", "pipe2", 2022), 10.0, 0.0);
  assert_near(ent_run_value(r, "gas_flow", "pipe2", 2026), 50.0, 0.0);
  assert_near(ent_run_value(r, "gas_flow", "RUS->CHN", 2023),
              ent_run_value(r, "gas_flow", "pipe1", 2023) +
                  ent_run_value(r, "gas_flow", "pipe2", 2023), 1e-12);
  /* crude follows the RUS->CHN trade index */
  double idx = ent_run_value(r, "trade_flow", "RUS->CHN", 2025) / 60.0;
  assert_near(ent_run_value(r, "oil_flow", "crude", 2025), 80.0 * idx, 1e-9);
  ent_run_destroy(r);
  ent_model_destroy(m);

  /* a higher threshold is never reached: pipe2 stays closed */
  static const char *const low_pos[] = {"RUS: {position: 100, salience: 90, capability: 200}",
                                        "RUS: {position: 50, salience: 90, capability: 200}",
                                        "CHN: {position: 70, salience: 60, capability: 200}",
                                        "CHN: {position: 40, salience: 60, capability: 200}",
                                        NULL};
  m = load_variant(low_pos);
  r = run_model(m);
  for (int y = 2020; y <= 2026; y++) {
    assert_true(ent_run_value(r, "issue_forecast", "pipeline", y) < 60.0);
    assert_near(ent_run_value(r, "gas_flow", "pipe2", y), 0.0, 0.0);
  }
  ent_run_destroy(r);
  ent_model_destroy(m);
}

static void test_determinism(void **state) {
  (void)state;
  ent_model *m = ref_scenario("struct/mini.yaml");
  ent_run *a = run_model(m), *b = run_model(m);
  assert_int_equal(a->n_series, b->n_series);
  for (size_t k = 0; k < a->n_series; k++) {
    assert_string_equal(a->series[k].entity, b->series[k].entity);
    assert_memory_equal(&a->series[k].value, &b->series[k].value, sizeof(double));
  }
  ent_run_destroy(a);
  ent_run_destroy(b);
  ent_model_destroy(m);
}

/* Bad structural inputs, each with its message and position. */
static void test_bad_structure(void **state) {
  (void)state;
  static const struct {
    const char *old, *new_, *msg;
  } cases[] = {
      {"RUS: [1500, 60, 300]", "RUS: [1500, 60]", "the matrix must be square"},
      {"RUS: [1500, 60, 300]", "RUS: [1500, -60, 300]", "outside [0"},
      {"RUS: [1500, 60, 300]", "RUS: [0, 60, 300]", "domestic flow of 'RUS' must be positive"},
      {"from: [WST], to: [RUS]", "from: [WST], to: [XXX]", "unknown bloc 'XXX'"},
      {"start: 2022, beta", "start: 2030, beta", "after the end of the time axis"},
      {"{issue: compliance}", "{issue: nothing}", "unknown issue 'nothing'"},
      {"{indicator: dependence,", "{indicator: closeness,", "unknown indicator 'closeness'"},
      {"time: {start: 2020, end: 2026}", "time: {start: 2020, end: 2019}", "must be after start"},
      {"    above: 60\n", "    above: 60\n  - id: again\n    from: {issue: compliance}\n"
                          "    to: {channel: pipe2}\n    form: threshold\n    above: 10\n",
       "contradictory links"},
      {"    above: 60\n", "    above: 60\n  - id: loop1\n    from: {issue: compliance}\n"
                          "    to: {issue: pipeline, actor: CHN, field: salience}\n"
                          "    form: elasticity\n    elasticity: 1\n"
                          "  - id: loop2\n    from: {issue: pipeline}\n"
                          "    to: {issue: compliance, actor: CHN, field: salience}\n"
                          "    form: elasticity\n    elasticity: 1\n",
       "cycle of links"},
      {"form: threshold", "form: beta", "does not fit this link"},
      {"capacity: 38, base: 20", "capacity: 38, base: 40", "exceeds the capacity"},
  };
  char path[1024];
  ref_path(path, sizeof path, "struct/mini.yaml");
  char *text;
  size_t len;
  const char *why;
  assert_int_equal(ent_read_file(path, 1 << 20, &text, &len, &why), ENT_OK);
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char *at = strstr(text, cases[k].old);
    if (!at) fail_msg("case %zu: no '%s'", k, cases[k].old);
    size_t ol = strlen(cases[k].old), nl = strlen(cases[k].new_);
    char *nt = malloc(len - ol + nl + 1);
    memcpy(nt, text, (size_t)(at - text));
    memcpy(nt + (at - text), cases[k].new_, nl);
    strcpy(nt + (at - text) + nl, at + ol);
    ent_diag *d = ent_diag_create();
    ent_model *m = NULL;
    ent_status st = ent_scenario_load_buffer("bad.yaml", nt, strlen(nt), &m, d);
    if (st != ENT_EINPUT || m) fail_msg("case %zu accepted", k);
    int found = 0;
    for (size_t i = 0; i < ent_diag_count(d); i++) {
      const ent_diag_item *it = ent_diag_get(d, i);
      if (strstr(it->msg, cases[k].msg) && it->line > 0 && it->col > 0) found = 1;
    }
    if (!found) {
      ent_diag_print(d, stderr);
      fail_msg("case %zu: no '%s' with a position", k, cases[k].msg);
    }
    ent_diag_destroy(d);
    free(nt);
  }
  free(text);
}

/* Load a built-in scenario with every line-anchored edit applied: each
 * `anchor` line gets `insert` added after it ("" = delete nothing), and
 * every occurrence of `from` (if any) is replaced by `to`. */
static ent_model *builtin_variant(const char *name, const char *const *after,
                                  const char *insert, const char *from,
                                  const char *to) {
  const char *base = ent_builtin_text(name);
  assert_non_null(base);
  ent_strbuf b;
  ent_strbuf_init(&b);
  for (const char *p = base; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p + 1) : strlen(p);
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
    if (from && strstr(line, from) == line + strspn(line, " ")) {
      ent_strbuf_append(&b, line, (size_t)(strstr(line, from) - line));
      ent_strbuf_puts(&b, to);
      ent_strbuf_puts(&b, "\n");
    } else {
      ent_strbuf_append(&b, p, len);
    }
    for (size_t k = 0; after && after[k]; k++)
      if (!strncmp(p, after[k], strlen(after[k])) && p[strlen(after[k])] == '\n')
        ent_strbuf_puts(&b, insert);
    p += len;
  }
  assert_false(b.failed);
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  if (ent_scenario_load_buffer("variant.yaml", b.data, b.len, &m, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("variant of %s does not load", name);
  }
  ent_diag_destroy(d);
  ent_strbuf_free(&b);
  return m;
}

/* The seed's qualitative claims on the built-in scenario. */
static void test_builtin_claims(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  assert_int_equal(ent_builtin_load("russia-china", &m, d), ENT_OK);
  ent_run *r = run_model(m);
  assert_int_equal(r->first_year, 2025);
  assert_int_equal(r->last_year, 2035);
  for (int y = 2025; y <= 2035; y++) {
    double dr = ent_run_value(r, "dependence", "RUS->CHN", y);
    double dc = ent_run_value(r, "dependence", "CHN->RUS", y);
    /* the asymmetry stays in China's favour, in dependence and in
     * vulnerability (China holds the leverage) */
    assert_true(ent_run_value(r, "dependence_asymmetry", "RUS->CHN", y) > 0.0);
    assert_true(ent_run_value(r, "vulnerability_asymmetry", "RUS->CHN", y) > 0.0);
    /* Russia's dependence on China exceeds China's on Russia by an order
     * of magnitude: log10 of the ratio rounds to 1 */
    double ratio = dr / dc;
    if (!(ratio >= pow(10.0, 0.5) && ratio < pow(10.0, 1.5)))
      fail_msg("%d: dependence ratio %.2f is not an order of magnitude", y, ratio);
    /* China is Russia's main partner, Russia a minor one for China */
    assert_true(ent_run_value(r, "partner_share", "RUS->CHN", y) >
                ent_run_value(r, "partner_share", "RUS->EUU", y));
    assert_true(ent_run_value(r, "partner_share", "CHN->RUS", y) < 0.1);
  }
  /* 2025 is the data year: GACC's bilateral flows */
  assert_near(ent_run_value(r, "trade_flow", "RUS->CHN", 2025), 124.796, 1e-9);
  assert_near(ent_run_value(r, "trade_flow", "CHN->RUS", 2025), 103.309, 1e-9);
  assert_near(ent_run_value(r, "gas_flow", "power-of-siberia", 2030), 44.0, 1e-9);

  /* Western sanctions raise China's share of Russia's trade and Russia's
   * dependence on China: lift the 2022 rounds in 2026 and both fall. */
  static const char *const lifted[] = {
      "  - id: west-2022-export-controls", "  - id: west-2022-financial",
      "  - id: us-2022-import-ban",        "  - id: eu-2022-import-bans",
      "  - id: eu-crude-embargo",          NULL};
  ent_model *mv = builtin_variant("russia-china", lifted, "    end: 2026\n",
                                  NULL, NULL);
  ent_run *rv = run_model(mv);
  for (int y = 2026; y <= 2035; y++) {
    assert_true(ent_run_value(rv, "partner_share", "RUS->CHN", y) <
                ent_run_value(r, "partner_share", "RUS->CHN", y));
    assert_true(ent_run_value(rv, "dependence", "RUS->CHN", y) <
                ent_run_value(r, "dependence", "RUS->CHN", y));
    assert_true(ent_run_value(rv, "trade_flow", "RUS->EUU", y) >
                ent_run_value(r, "trade_flow", "RUS->EUU", y));
  }
  assert_near(ent_run_value(rv, "partner_share", "RUS->CHN", 2025),
              ent_run_value(r, "partner_share", "RUS->CHN", 2025), 1e-12);
  ent_run_destroy(rv);
  ent_model_destroy(mv);
  ent_run_destroy(r);
  ent_model_destroy(m);

  /* The same on history: the back-test scenario with and without its
   * 2014 and 2022 sanction rounds. */
  assert_int_equal(ent_builtin_load("russia-china-2013", &m, d), ENT_OK);
  r = run_model(m);
  mv = builtin_variant("russia-china-2013", NULL, NULL, "beta: -", "beta: 0 #");
  rv = run_model(mv);
  for (int y = 2014; y <= 2024; y++) {
    assert_true(ent_run_value(r, "partner_share", "RUS->CHN", y) >
                ent_run_value(rv, "partner_share", "RUS->CHN", y));
    assert_true(ent_run_value(r, "dependence", "RUS->CHN", y) >
                ent_run_value(rv, "dependence", "RUS->CHN", y));
  }
  ent_run_destroy(rv);
  ent_model_destroy(mv);
  ent_run_destroy(r);
  ent_model_destroy(m);
  ent_diag_destroy(d);
}

/* Run options are parsed once into typed settings: applied in order they
 * give what the texts applied in order give, and their canonical texts
 * (ent_run_opts_describe, for the run store) read back to the same. */
static void test_run_opts_typed(void **state) {
  (void)state;
  static const char *const kv[] = {
      "rounds=7", "q=0.25", "profile=paper", "cycle=on", "votes=risk",
      "range=fixed:2.5", "stop=median_stable:0.001,3", "capitulation=yes",
      "range=initial", "window=4", "compromise_select=scholz2011",
      "mu=mean", "risk_norm=own_positions", "b_exponent=receiver",
      "prob=global", "robustness=off", "models=both", NULL};
  ent_run_opts *o = ent_run_opts_create(), *back = ent_run_opts_create();
  ent_diag *d = ent_diag_create();
  ent_eum_opts want, got, again;
  ent_eum_opts_default(&want);
  want.range = ENT_EUM_RANGE_FIXED;
  want.range_value = 9.0;
  char why[256];
  for (size_t k = 0; kv[k]; k++) {
    assert_int_equal(ent_run_opts_set(o, kv[k], "test", d), ENT_OK);
    const char *eq = strchr(kv[k], '=');
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)(eq - kv[k]), kv[k]);
    if (strcmp(key, "robustness") && strcmp(key, "models"))
      assert_int_equal(ent_eum_opts_set(&want, key, eq + 1, why, sizeof why), 0);
  }
  assert_int_equal(o->robustness, 0);
  assert_int_equal(o->models, ENT_ISSUE_BOTH);
  ent_eum_opts_default(&got);
  got.range = ENT_EUM_RANGE_FIXED;
  got.range_value = 9.0;
  ent_run_opts_apply(o, &got);
  char a[512], b[512];
  ent_eum_opts_describe(&want, a, sizeof a);
  ent_eum_opts_describe(&got, b, sizeof b);
  assert_string_equal(a, b);
  assert_int_equal(ent_run_opts_count(o), 15);
  for (size_t k = 0; k < ent_run_opts_count(o); k++) {
    char one[128];
    ent_run_opts_describe(o, k, one, sizeof one);
    assert_int_equal(ent_run_opts_set(back, one, "test", d), ENT_OK);
  }
  char one[128];
  ent_run_opts_describe(o, 1, one, sizeof one);
  assert_string_equal(one, "Q=0.25");
  ent_run_opts_describe(o, 3, one, sizeof one);
  assert_string_equal(one, "cycle=flag");
  ent_eum_opts_default(&again);
  again.range = ENT_EUM_RANGE_FIXED;
  again.range_value = 9.0;
  ent_run_opts_apply(back, &again);
  ent_eum_opts_describe(&again, b, sizeof b);
  assert_string_equal(a, b);
  assert_int_equal(ent_diag_count(d), 0);
  /* the messages of ent_run_opts_set */
  assert_int_equal(ent_run_opts_set(o, "rounds", "test", d), ENT_EINPUT);
  assert_string_equal(ent_diag_get(d, 0)->msg,
                      "option 'rounds' is not of the form key=value");
  assert_int_equal(ent_run_opts_set(o, "Q=2", "test", d), ENT_EINPUT);
  assert_string_equal(ent_diag_get(d, 1)->msg,
                      "Q must be a number in [0, 1], not '2'");
  for (size_t k = ent_run_opts_count(o); k < 64; k++)
    assert_int_equal(ent_run_opts_set(o, "rounds=3", "test", d), ENT_OK);
  assert_int_equal(ent_run_opts_set(o, "rounds=3", "test", d), ENT_EINPUT);
  assert_string_equal(ent_diag_get(d, 2)->msg, "too many options (at most 64)");
  ent_diag_destroy(d);
  ent_run_opts_destroy(o);
  ent_run_opts_destroy(back);
}

/* The bargainer table: one complete row per model, in id order, and the
 * rule that picks the deciding model and the one beside it. */
static void test_bargainer_table(void **state) {
  (void)state;
  static const char *const names[ENT_BARGAIN_COUNT] = {"eum", "smp"};
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  assert_int_equal(ent_builtin_load("russia-china", &m, d), ENT_OK);
  const ent_issue *is = &m->issues[0];
  for (int id = 0; id < ENT_BARGAIN_COUNT; id++) {
    const ent_bargainer *b = ent_bargain_get((ent_bargain_id)id);
    assert_non_null(b);
    assert_string_equal(b->name, names[id]);
    assert_true(b->work_alloc && b->work_free && b->work_size &&
                b->result_alloc && b->result_free && b->result_reset &&
                b->run && b->outcome);
    void *w = b->work_alloc(is, m->source), *part = b->result_alloc(is);
    assert_non_null(w);
    assert_non_null(part);
    assert_true(b->work_size(w) > 0);
    double fc, mean;
    assert_int_equal(b->outcome(part, 0, &fc, &mean), -1); /* not run */
    b->result_free(part);
    b->work_free(w);
  }
  assert_null(ent_bargain_get(ENT_BARGAIN_COUNT));
  int dec, beside;
  ent_bargain_pick(ENT_ISSUE_EUM, 1, &dec, &beside);
  assert_true(dec == ENT_BARGAIN_EUM && beside == -1);
  ent_bargain_pick(ENT_ISSUE_SMP, 1, &dec, &beside);
  assert_true(dec == ENT_BARGAIN_SMP && beside == -1);
  ent_bargain_pick(ENT_ISSUE_BOTH, 1, &dec, &beside);
  assert_true(dec == ENT_BARGAIN_EUM && beside == ENT_BARGAIN_SMP);
  ent_bargain_pick(ENT_ISSUE_BOTH, 0, &dec, &beside);
  assert_true(dec == ENT_BARGAIN_EUM && beside == -1);
  ent_model_destroy(m);
  ent_diag_destroy(d);
}

/* Two runs the same bit for bit: every point, and every issue's inputs,
 * outcome and each model's part. */
static void assert_same_run(const ent_run *a, const ent_run *b) {
  assert_int_equal(a->n_series, b->n_series);
  assert_int_equal(a->last_year, b->last_year);
  for (size_t k = 0; k < a->n_series; k++) {
    const ent_series_point *p = &a->series[k], *q = &b->series[k];
    assert_string_equal(p->variable, q->variable);
    assert_string_equal(p->entity, q->entity);
    assert_int_equal(p->year, q->year);
    assert_memory_equal(&p->value, &q->value, sizeof p->value);
  }
  assert_int_equal(a->n_issues, b->n_issues);
  for (size_t i = 0; i < a->n_issues; i++) {
    const ent_issue_run *x = &a->issues[i], *y = &b->issues[i];
    size_t n = x->issue->n_stakes;
    assert_int_equal(x->model, y->model);
    assert_memory_equal(&x->forecast, &y->forecast, sizeof x->forecast);
    assert_memory_equal(&x->initial_median, &y->initial_median, sizeof(double));
    assert_memory_equal(x->cap, y->cap, n * sizeof(double));
    assert_memory_equal(x->sal, y->sal, n * sizeof(double));
    for (int id = 0; id < ENT_BARGAIN_COUNT; id++) {
      assert_true(!x->part[id] == !y->part[id]);
      const ent_bargainer *bg = ent_bargain_get((ent_bargain_id)id);
      for (size_t q = 0; x->part[id] && q < x->issue->n_dims; q++) {
        double f1 = 0, m1 = 0, f2 = 0, m2 = 0;
        assert_int_equal(bg->outcome(x->part[id], q, &f1, &m1),
                         bg->outcome(y->part[id], q, &f2, &m2));
        assert_memory_equal(&f1, &f2, sizeof f1);
        assert_memory_equal(&m1, &m2, sizeof m1);
      }
    }
    const ent_eum_hist *h1 = ent_issue_run_hist(x), *h2 = ent_issue_run_hist(y);
    assert_true(!h1 == !h2);
    if (h1) {
      assert_int_equal(h1->n_rounds, h2->n_rounds);
      assert_memory_equal(h1->x, h2->x, (size_t)(h1->n_rounds + 1) * n * sizeof(double));
      assert_memory_equal(h1->median, h2->median, (size_t)(h1->n_rounds + 1) * sizeof(double));
    }
    const ent_issue_smp *s1 = ent_issue_run_smp(x), *s2 = ent_issue_run_smp(y);
    if (s1) {
      assert_int_equal(s1->ran, s2->ran);
      assert_memory_equal(s1->final, s2->final, s1->n * s1->m * sizeof(double));
      assert_memory_equal(s1->win, s2->win, s1->n * sizeof(double));
      assert_memory_equal(&s1->forecast, &s2->forecast, sizeof(double));
    }
  }
}

/* Every step of a run from a fresh start on model m with options o. */
static ent_run *fresh_run(const ent_model *m, const ent_run_opts *o) {
  ent_diag *d = ent_diag_create();
  ent_sim *s;
  ent_run *r;
  assert_int_equal(ent_sim_start(m, o, &s, d), ENT_OK);
  ent_status st;
  while ((st = ent_sim_step(s, d)) == ENT_CONTINUE) continue;
  assert_int_equal(st, ENT_OK);
  assert_int_equal(ent_sim_finish(s, &r), ENT_OK);
  ent_diag_destroy(d);
  return r;
}

/* A restarted sim computes what a fresh start computes: after a run of
 * other numbers (another draw of the uncertain ones) and another deciding
 * model, finished or stopped part-way, the same run bit for bit, with the
 * robustness variants and the model beside the decider. */
static void test_restart(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_model *base = NULL;
  assert_int_equal(ent_builtin_load("russia-china-uncertain", &base, d), ENT_OK);
  ent_model *m = ent_model_clone(base);
  assert_non_null(m);
  size_t nu = m->n_uparams;
  assert_true(nu > 0);
  double *x1 = calloc(nu, sizeof(double)), *x2 = calloc(nu, sizeof(double));
  for (size_t k = 0; k < nu; k++) {
    x1[k] = ent_dist_quantile(&m->uparams[k].dist, 0.2);
    x2[k] = ent_dist_quantile(&m->uparams[k].dist, 0.9);
  }
  ent_run_opts *o1 = ent_run_opts_create(), *o2 = ent_run_opts_create();
  o1->models = ENT_ISSUE_BOTH; /* EUM decides, SMP beside */
  o2->models = ENT_ISSUE_SMP;
  ent_uncertain_apply(m, x1);
  ent_run *r1 = fresh_run(m, o1);
  ent_uncertain_apply(m, x2);
  ent_run *r2 = fresh_run(m, o2);
  ent_sim *s;
  const ent_run *r;
  assert_int_equal(ent_sim_start(m, o2, &s, d), ENT_OK);
  for (int k = 0; k < 3; k++) assert_int_equal(ent_sim_step(s, d), ENT_CONTINUE);
  for (int pass = 0; pass < 4; pass++) { /* x1/o1, x2/o2, x1/o1, x2/o2 */
    int one = pass % 2 == 0;
    ent_uncertain_apply(m, one ? x1 : x2);
    assert_int_equal(ent_sim_restart(s, one ? o1 : o2), ENT_OK);
    assert_int_equal(ent_sim_result(s, &r), ENT_EINVAL); /* not bargained */
    ent_status st;
    while ((st = ent_sim_step(s, d)) == ENT_CONTINUE) continue;
    assert_int_equal(st, ENT_OK);
    assert_int_equal(ent_sim_result(s, &r), ENT_OK);
    assert_same_run(one ? r1 : r2, r);
  }
  ent_sim_destroy(s);
  ent_run_destroy(r1);
  ent_run_destroy(r2);
  ent_run_opts_destroy(o1);
  ent_run_opts_destroy(o2);
  free(x1);
  free(x2);
  ent_model_destroy(m);
  ent_model_destroy(base);
  ent_diag_destroy(d);
}

/* A sink that takes the points the run does not place itself (as the
 * ensemble's member_point does, without its search): into the next slot,
 * whose key it learns. */
typedef struct test_sink {
  ent_run_slots sl;
  ent_run_slot *key;
  size_t calls;
} test_sink;

static void test_sink_point(void *ctx, const char *var, const char *ent,
                            int year, double v) {
  test_sink *t = ctx;
  size_t c = t->sl.at;
  assert_true(c < t->sl.n);
  t->key[c] = (ent_run_slot){ent, var, year};
  t->sl.vals[c] = v;
  t->sl.at = c + 1;
  t->calls++;
}

/* With a sink set before the first step (ent_sim_set_sink, the run's
 * slots), the points reach the sink or their slots in the order and with
 * the bits a run without a sink records them, the base year's stay in the
 * run's series too, and once the sink has learned the keys the run places
 * every point itself. */
/* The sink's slots on model m, three times on one sim: every point in
 * its slot, and the base year kept in the run's series exactly when
 * `kept` (a link scales a channel's flow by an indicator). */
static void sink_slots_on(const ent_model *m, const ent_run_opts *o,
                          int kept) {
  ent_diag *d = ent_diag_create();
  ent_run *r0 = fresh_run(m, o);
  size_t n = r0->n_series, n_base = 0;
  while (n_base < n && r0->series[n_base].year == r0->series[0].year) n_base++;
  assert_true(n > 1000 && n_base > 100 && n_base < n);
  test_sink t = {{calloc(n, sizeof(double)), NULL, 0, n},
                 calloc(n, sizeof(ent_run_slot)), 0};
  t.sl.key = t.key;
  ent_sim *s;
  assert_int_equal(ent_sim_start(m, o, &s, d), ENT_OK);
  for (int pass = 0; pass < 3; pass++) {
    if (pass) assert_int_equal(ent_sim_restart(s, o), ENT_OK);
    t.sl.at = 0;
    t.calls = 0;
    for (size_t k = 0; k < n; k++) t.sl.vals[k] = NAN;
    ent_sim_set_sink(s, test_sink_point, &t, &t.sl);
    ent_status st;
    while ((st = ent_sim_step(s, d)) == ENT_CONTINUE) continue;
    assert_int_equal(st, ENT_OK);
    const ent_run *r;
    assert_int_equal(ent_sim_result(s, &r), ENT_OK);
    assert_int_equal(t.sl.at, n);
    assert_int_equal(t.calls, pass ? 0 : n); /* learned: no call */
    for (size_t k = 0; k < n; k++) {
      const ent_series_point *p = &r0->series[k];
      assert_memory_equal(&t.sl.vals[k], &p->value, sizeof(double));
      assert_string_equal(t.key[k].variable, p->variable);
      assert_string_equal(t.key[k].entity, p->entity);
      assert_int_equal(t.key[k].year, p->year);
    }
    /* the base year's kept when a channel reads it back, else nothing */
    assert_int_equal(r->n_series, kept ? n_base : 0);
    for (size_t k = 0; k < r->n_series; k++) {
      assert_string_equal(r->series[k].entity, r0->series[k].entity);
      assert_memory_equal(&r->series[k].value, &r0->series[k].value,
                          sizeof(double));
    }
  }
  ent_sim_destroy(s);
  free(t.sl.vals);
  free(t.key);
  ent_run_destroy(r0);
  ent_diag_destroy(d);
}

static void test_sink_slots(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_model *m = NULL;
  assert_int_equal(ent_builtin_load("russia-china", &m, d), ENT_OK);
  ent_run_opts *o = ent_run_opts_create();
  o->drivers = 0;
  sink_slots_on(m, o, 0); /* no channel scaled by an indicator */
  /* the arms channel's scale link from RUS->CHN's dependence instead of
   * the issue: its flow reads the base year's dependence back */
  ent_structure *st = m->st;
  size_t rus = st->n_blocs, chn = st->n_blocs, l = 0;
  for (size_t i = 0; i < st->n_blocs; i++) {
    if (!strcmp(st->blocs[i].id, "RUS")) rus = i;
    if (!strcmp(st->blocs[i].id, "CHN")) chn = i;
  }
  while (l < st->n_links && !(st->links[l].tgt == ENT_LINK_TO_CHANNEL &&
                               st->links[l].form == ENT_FORM_SCALE))
    l++;
  assert_true(rus < st->n_blocs && chn < st->n_blocs && l < st->n_links);
  ent_run *plain = fresh_run(m, o);
  st->links[l].src = ENT_LINK_FROM_INDICATOR;
  st->links[l].indicator = ENT_IND_DEPENDENCE;
  st->links[l].ent_a = rus;
  st->links[l].ent_b = chn;
  ent_run *linked = fresh_run(m, o);
  /* the link acts: some point differs */
  int differs = plain->n_series != linked->n_series;
  for (size_t k = 0; !differs && k < plain->n_series; k++)
    differs = plain->series[k].value != linked->series[k].value;
  assert_true(differs);
  ent_run_destroy(plain);
  ent_run_destroy(linked);
  sink_slots_on(m, o, 1);
  ent_run_opts_destroy(o);
  ent_model_destroy(m);
  ent_diag_destroy(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_step_api),
      cmocka_unit_test(test_base_year_is_data),
      cmocka_unit_test(test_no_shock_no_growth),
      cmocka_unit_test(test_sanctions_pivot),
      cmocka_unit_test(test_channels_and_links),
      cmocka_unit_test(test_determinism),
      cmocka_unit_test(test_bad_structure),
      cmocka_unit_test(test_builtin_claims),
      cmocka_unit_test(test_run_opts_typed),
      cmocka_unit_test(test_bargainer_table),
      cmocka_unit_test(test_restart),
      cmocka_unit_test(test_sink_slots),
  };
  return cmocka_run_group_tests_name("sim", tests, NULL, NULL);
}
