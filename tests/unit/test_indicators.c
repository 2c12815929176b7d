/*
 * test_indicators.c -- interdependence and capability indicators against
 * tests/data/gravity/indicators_expected.csv and the worked examples of
 * docs/models/indicators.md (never against entente's own output).
 */
#include <math.h>

#include "structural/indicators.h"
#include "testutil.h"

static double rel_err(double got, double want) {
  if (want == 0.0) return fabs(got);
  return fabs(got - want) / fabs(want);
}

#define assert_rel(got, want, tol)                                           \
  do {                                                                       \
    double g__ = (got), w__ = (want);                                        \
    if (!(rel_err(g__, w__) <= (tol)))                                       \
      fail_msg("%s = %.17g, expected %.17g (relative error %.3g > %g)",     \
               #got, g__, w__, rel_err(g__, w__), (double)(tol));            \
  } while (0)

/* Flows from a reference CSV: `value_col` of rows exporter,importer; the
 * country order is the order of first appearance. */
typedef struct flows {
  size_t n;
  char names[8][8];
  double X[64];
} flows;

static size_t name_index(flows *f, const char *s) {
  for (size_t i = 0; i < f->n; i++)
    if (!strcmp(f->names[i], s)) return i;
  assert_true(f->n < 8 && strlen(s) < 8);
  strcpy(f->names[f->n], s);
  return f->n++;
}

static void load_flows(const char *rel, const char *value_col, flows *f) {
  memset(f, 0, sizeof *f);
  ref_table t = ref_load(rel);
  size_t ce = ref_col(&t, "exporter"), ci = ref_col(&t, "importer"),
         cv = ref_col(&t, value_col);
  size_t rows = t.csv->n_rows - 1;
  size_t ie[64], ii[64];
  double v[64];
  assert_true(rows <= 64);
  for (size_t r = 0; r < rows; r++) {
    ie[r] = name_index(f, ref_str(&t, r + 1, ce));
    ii[r] = name_index(f, ref_str(&t, r + 1, ci));
    v[r] = ref_num(&t, r + 1, cv);
  }
  assert_int_equal(rows, f->n * f->n);
  for (size_t r = 0; r < rows; r++) f->X[ie[r] * f->n + ii[r]] = v[r];
  ref_free(&t);
}

static size_t country(const flows *f, const char *s, size_t len) {
  for (size_t i = 0; i < f->n; i++)
    if (strlen(f->names[i]) == len && !strncmp(f->names[i], s, len)) return i;
  fail_msg("unknown country %.*s", (int)len, s);
  return 0;
}

/* Every row and column of indicators_expected.csv (relative 1e-9). */
static void test_expected_csv(void **state) {
  (void)state;
  flows base, c1;
  load_flows("gravity/case4_flows.csv", "flow", &base);
  load_flows("gravity/caseC1_flows_expected.csv", "flow_new", &c1);
  ref_table t = ref_load("gravity/indicators_expected.csv");
  ent_trade_opts o;
  ent_trade_opts_init(&o); /* theta 4, additive (indicators.md 5.3) */
  /* VUL = 1 - W_hat is small (down to 4e-4): a 1e-9 relative tolerance on
   * it needs W_hat to ~1e-13, hence the tighter fixed-point tolerance. */
  o.tol = 1e-14;
  ent_indicators_work *w = ent_indicators_work_alloc(4);
  assert_non_null(w);
  static const char *cols[] = {
      "trade_dependence_ab",        "trade_dependence_ba",
      "dependence_asymmetry",       "trade_share_ab",
      "trade_share_ba",             "openness_a",
      "barbieri_salience",          "barbieri_symmetry",
      "import_share_b_in_a_imports", "export_share_b_in_a_exports",
      "hhi_imports_a",              "hhi_exports_a",
      "hirschman_imports_a",        "sensitivity_import_ab",
      "vulnerability_pe_ab",        "vulnerability_ge_ab",
      "vulnerability_ge_ba",        "vulnerability_asymmetry"};
  double worst[18] = {0};
  assert_int_equal(t.csv->rows[0].n, 2 + 18);
  for (size_t r = 1; r < t.csv->n_rows; r++) {
    const char *st = ref_str(&t, r, ref_col(&t, "state"));
    const char *pair = ref_str(&t, r, ref_col(&t, "pair"));
    const flows *f = !strcmp(st, "baseline") ? &base : &c1;
    assert_true(!strcmp(st, "baseline") || !strcmp(st, "caseC1_counterfactual"));
    const char *dash = strchr(pair, '-');
    assert_non_null(dash);
    size_t a = country(f, pair, (size_t)(dash - pair));
    size_t b = country(f, dash + 1, strlen(dash + 1));
    ent_indicators_dyad d;
    assert_int_equal(ent_indicators_dyad_compute(f->n, f->X, NULL, a, b, &o, w, &d),
                     ENT_OK);
    const double got[18] = {
        d.trade_dependence_ab,        d.trade_dependence_ba,
        d.dependence_asymmetry,       d.trade_share_ab,
        d.trade_share_ba,             d.openness_a,
        d.barbieri_salience,          d.barbieri_symmetry,
        d.import_share_b_in_a_imports, d.export_share_b_in_a_exports,
        d.hhi_imports_a,              d.hhi_exports_a,
        d.hirschman_imports_a,        d.sensitivity_import_ab,
        d.vulnerability_pe_ab,        d.vulnerability_ge_ab,
        d.vulnerability_ge_ba,        d.vulnerability_asymmetry};
    /* the simulation's columns from totals made once: the same bits */
    ent_indicators_totals ta, tb;
    ent_indicators_totals_of(f->n, f->X, a, &ta);
    ent_indicators_totals_of(f->n, f->X, b, &tb);
    ent_indicators_dyad core;
    memset(&core, 0, sizeof core);
    assert_int_equal(ent_indicators_dyad_core(f->n, f->X, NULL, a, b, o.theta,
                                              &ta, &tb, &core),
                     ENT_OK);
    const double cv[7][2] = {
        {core.trade_dependence_ab, d.trade_dependence_ab},
        {core.dependence_asymmetry, d.dependence_asymmetry},
        {core.trade_share_ab, d.trade_share_ab},
        {core.import_share_b_in_a_imports, d.import_share_b_in_a_imports},
        {core.export_share_b_in_a_exports, d.export_share_b_in_a_exports},
        {core.sensitivity_import_ab, d.sensitivity_import_ab},
        {core.vulnerability_pe_ab, d.vulnerability_pe_ab}};
    for (size_t k = 0; k < 7; k++)
      assert_memory_equal(&cv[k][0], &cv[k][1], sizeof(double));
    /* and with the totals made for the pair (the simulation's links) */
    ent_indicators_dyad one;
    memset(&one, 0, sizeof one);
    assert_int_equal(ent_indicators_dyad_core_of(f->n, f->X, NULL, a, b,
                                                 o.theta, &one),
                     ENT_OK);
    assert_memory_equal(&one, &core, sizeof one);
    /* without the PE vulnerability: the rest the same, that left as it is */
    ent_indicators_dyad sh;
    memset(&sh, 0, sizeof sh);
    sh.vulnerability_pe_ab = -7.0;
    assert_int_equal(ent_indicators_dyad_shares_of(f->n, f->X, NULL, a, b,
                                                   o.theta, &sh),
                     ENT_OK);
    assert_true(sh.vulnerability_pe_ab == -7.0);
    sh.vulnerability_pe_ab = core.vulnerability_pe_ab;
    assert_memory_equal(&sh, &core, sizeof sh);
    for (size_t k = 0; k < 18; k++) {
      double want = ref_num(&t, r, ref_col(&t, cols[k]));
      if (rel_err(got[k], want) > 1e-9)
        fail_msg("%s %s %s = %.17g, expected %.17g (relative error %.3g)", st,
                 pair, cols[k], got[k], want, rel_err(got[k], want));
      if (rel_err(got[k], want) > worst[k]) worst[k] = rel_err(got[k], want);
    }
  }
  double all = 0.0;
  for (size_t k = 0; k < 18; k++) all = fmax(all, worst[k]);
  print_message("  indicators_expected.csv: %zu rows, max rel error %.2e "
                "(GE vulnerability %.2e)\n",
                t.csv->n_rows - 1, all, fmax(worst[15], worst[16]));
  ref_free(&t);
  ent_indicators_work_free(w);
}

/* The table of indicators.md section 5.3 (rounded values). */
static void test_worked_table(void **state) {
  (void)state;
  flows base;
  load_flows("gravity/case4_flows.csv", "flow", &base);
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  ent_indicators_work *w = ent_indicators_work_alloc(4);
  ent_indicators_dyad d;
  assert_int_equal(ent_indicators_dyad_compute(4, base.X, NULL, 0, 1, &o, w, &d),
                   ENT_OK);
  assert_near(d.trade_dependence_ab, 0.0628, 5e-5);
  assert_near(d.trade_dependence_ba, 0.00767, 5e-6);
  assert_near(d.trade_share_ab, 0.171, 5e-4);
  assert_near(d.trade_share_ba, 0.0264, 5e-5);
  assert_near(d.barbieri_salience, 0.0672, 5e-5);
  assert_near(d.barbieri_symmetry, 0.855, 5e-4);
  assert_near(d.import_share_b_in_a_imports, 0.172, 5e-4);
  assert_near(d.hhi_imports_a, 0.432, 5e-4);
  assert_near(d.hirschman_imports_a, 65.7, 0.05);
  assert_near(d.sensitivity_import_ab, 0.0265, 5e-5);
  assert_near(d.vulnerability_pe_ab, 0.0067, 5e-5);
  assert_near(d.vulnerability_ge_ab, 0.0097, 5e-5);
  assert_near(d.vulnerability_ge_ba, 0.0011, 5e-5);
  assert_near(d.vulnerability_asymmetry, 0.0086, 5e-5);
  assert_int_equal(ent_indicators_dyad_compute(4, base.X, NULL, 0, 2, &o, w, &d),
                   ENT_OK);
  assert_near(d.trade_dependence_ab, 0.2174, 5e-5);
  assert_near(d.trade_share_ab, 0.592, 5e-4);
  assert_near(d.barbieri_symmetry, 0.463, 5e-4);
  assert_near(d.sensitivity_import_ab, 0.0899, 5e-5);
  assert_near(d.vulnerability_pe_ab, 0.0233, 5e-5);
  assert_near(d.vulnerability_asymmetry, 0.0349, 5e-5);
  ent_indicators_work_free(w);
}

/* Identities of indicators.md sections 2-4 on every ordered pair. */
static void test_identities(void **state) {
  (void)state;
  flows f;
  load_flows("gravity/case4_flows.csv", "flow", &f);
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  for (size_t a = 0; a < 4; a++) {
    ent_indicators_totals ta;
    ent_indicators_totals_of(4, f.X, a, &ta);
    double sh[4], hh;
    assert_int_equal(ent_indicators_import_shares(4, f.X, a, sh), ENT_OK);
    double sum = 0.0, sq = 0.0;
    for (size_t k = 0; k < 4; k++) sum += sh[k], sq += sh[k] * sh[k];
    assert_true(sh[a] == 0.0);
    assert_rel(sum, 1.0, 1e-15);
    assert_int_equal(ent_indicators_hhi_imports(4, f.X, a, &hh), ENT_OK);
    assert_rel(hh, sq, 1e-15);
    assert_true(hh >= 1.0 / 3.0 - 1e-15 && hh <= 1.0);
    assert_int_equal(ent_indicators_export_shares(4, f.X, a, sh), ENT_OK);
    sum = 0.0;
    for (size_t k = 0; k < 4; k++) sum += sh[k];
    assert_rel(sum, 1.0, 1e-15);
    for (size_t b = 0; b < 4; b++) {
      if (b == a) continue;
      ent_indicators_dyad d;
      assert_int_equal(ent_indicators_dyad_compute(4, f.X, NULL, a, b, &o, NULL, &d),
                       ENT_OK);
      /* Gartzke & Li: D = S * O. */
      assert_rel(d.trade_dependence_ab, d.trade_share_ab * d.openness_a, 1e-15);
      /* D_ab / D_ba is a pure size ratio G_b / G_a. */
      ent_indicators_totals tb;
      ent_indicators_totals_of(4, f.X, b, &tb);
      assert_rel(d.trade_dependence_ab / d.trade_dependence_ba,
                 tb.output / ta.output, 1e-14);
      assert_rel(d.trade_dependence_ab,
                 ent_indicators_bilateral(4, f.X, a, b) / ta.output, 1e-15);
      assert_rel(d.export_dependence_ab + d.import_dependence_ab,
                 d.trade_dependence_ab, 1e-15);
      assert_rel(d.weak_link,
                 fmin(d.trade_dependence_ab, d.trade_dependence_ba), 0.0);
      assert_rel(d.barbieri_interdependence,
                 d.barbieri_salience * d.barbieri_symmetry, 1e-15);
      assert_rel(d.relative_share,
                 d.trade_share_ab / (d.trade_share_ab + d.trade_share_ba),
                 1e-15);
      assert_rel(d.share_gap, d.trade_share_ab - d.trade_share_ba, 1e-15);
      assert_rel(d.hirschman_imports_a, 100.0 * sqrt(d.hhi_imports_a), 1e-15);
      assert_rel(d.hhi_imports_a_normalised,
                 (d.hhi_imports_a - 1.0 / 3.0) / (1.0 - 1.0 / 3.0), 1e-14);
      assert_rel(d.sensitivity_export_ab, f.X[a * 4 + b] / ta.output, 1e-15);
      assert_rel(d.vulnerability_proxy_ab, d.trade_share_ab * d.hhi_imports_a,
                 1e-15);
      assert_true(d.vulnerability_ge_ab == 0.0); /* no workspace: no solve */
    }
  }
  /* GDP series given explicitly. */
  const double G[4] = {1500.0, 14000.0, 40000.0, 20000.0};
  ent_indicators_dyad d;
  assert_int_equal(ent_indicators_dyad_compute(4, f.X, G, 0, 1, &o, NULL, &d), ENT_OK);
  assert_rel(d.trade_dependence_ab, 130.0 / 1500.0, 1e-15);
  assert_rel(d.openness_a, 760.0 / 1500.0, 1e-15);
}

static void test_scalars(void **state) {
  (void)state;
  assert_rel(ent_indicators_salience(0.2385, 0.04), sqrt(0.2385 * 0.04), 1e-15);
  assert_rel(ent_indicators_symmetry(0.2385, 0.04), 1.0 - 0.1985, 1e-15);
  assert_rel(ent_indicators_interdependence(0.2385, 0.04),
             sqrt(0.2385 * 0.04) * (1.0 - 0.1985), 1e-15);
  assert_rel(ent_indicators_relative_share(0.3, 0.1), 0.75, 1e-15);
  assert_rel(ent_indicators_relative_share(0.0, 0.0), 0.5, 0.0);
  assert_rel(ent_indicators_hirschman(0.25), 50.0, 1e-15);
  assert_rel(ent_indicators_hhi_normalised(0.25, 4), 0.0, 0.0);
  assert_rel(ent_indicators_hhi_normalised(1.0, 4), 1.0, 1e-15);
  assert_rel(ent_indicators_hhi_normalised(1.0, 1), 1.0, 0.0);
  /* PE vulnerability: the formula, and it falls as theta rises. */
  assert_rel(ent_indicators_vulnerability_pe(0.0899470899470899, 4.0),
             1.0 - pow(1.0 - 0.0899470899470899, 0.25), 1e-14);
  double prev = 1.0;
  for (double th = 1.0; th <= 10.0; th += 1.0) {
    double v = ent_indicators_vulnerability_pe(0.2, th);
    assert_true(v < prev);
    prev = v;
  }
  assert_rel(ent_indicators_vulnerability_pe(1e-12, 4.0), 0.25e-12, 1e-11);
  assert_rel(ent_indicators_vulnerability_pe(1.0, 4.0), 1.0, 0.0);
  assert_rel(ent_indicators_capability_ratio(0.3, 0.1), 0.75, 1e-15);
  assert_rel(ent_indicators_capability_ratio(0.0, 0.0), 0.5, 0.0);
  double lr;
  assert_int_equal(ent_indicators_capability_log_ratio(0.3, 0.1, &lr), ENT_OK);
  assert_rel(lr, log(3.0), 1e-15);
  assert_int_equal(ent_indicators_capability_log_ratio(0.0, 0.1, &lr), ENT_EINVAL);
  assert_int_equal(ent_indicators_capability_log_ratio(0.1, NAN, &lr), ENT_EINVAL);
}

/* Case B2 of the gravity references: the flows of case 3 into f, and the
 * published W_hat of country 1 under the embargo C1 <-> C2. */
static double load_case_b2(flows *f) {
  load_flows("gravity/case3_flows.csv", "flow", f);
  ref_table t = ref_load("gravity/caseB2_country_expected.csv");
  double W1 = ref_num(&t, 1, ref_col(&t, "welfare_hat"));
  ref_free(&t);
  return W1;
}

/* GE vulnerability: the symmetric case B2 is the embargo C1 <-> C2, so
 * VUL_12 = VUL_21 = 1 - W_hat_1 of caseB2_country_expected.csv. */
static void test_vulnerability_ge(void **state) {
  (void)state;
  flows f;
  double W1 = load_case_b2(&f);
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  o.tol = 1e-14;
  ent_indicators_work *w = ent_indicators_work_alloc(3);
  double vi, vj;
  assert_int_equal(
      ent_indicators_vulnerability_ge(3, f.X, 0, 1, ENT_IND_CUT_BOTH, &o, w, &vi, &vj),
      ENT_OK);
  assert_rel(vi, 1.0 - W1, 1e-9);
  assert_rel(vj, 1.0 - W1, 1e-9);
  /* Newton first, cold and warm (from the equilibrium it returns, and
   * from one 10 % off): the same reference value. */
  double wh[3], wo[3] = {0.9, 1.1, 0.95}, ni, nj;
  assert_int_equal(ent_indicators_vulnerability_ge_newton(
                       3, f.X, 0, 1, ENT_IND_CUT_BOTH, &o, w, NULL, wh, &ni, &nj),
                   ENT_OK);
  assert_rel(ni, 1.0 - W1, 1e-9);
  assert_rel(nj, 1.0 - W1, 1e-9);
  assert_int_equal(ent_indicators_vulnerability_ge_newton(
                       3, f.X, 0, 1, ENT_IND_CUT_BOTH, &o, w, wh, wh, &ni, &nj),
                   ENT_OK);
  assert_rel(ni, 1.0 - W1, 1e-9);
  assert_int_equal(ent_indicators_vulnerability_ge_newton(
                       3, f.X, 0, 1, ENT_IND_CUT_BOTH, &o, w, wo, NULL, &ni, &nj),
                   ENT_OK);
  assert_rel(ni, 1.0 - W1, 1e-9);
  assert_rel(nj, 1.0 - W1, 1e-9);
  /* One-directional cuts: each hurts both sides less than the full cut. */
  double vm, vx;
  assert_int_equal(ent_indicators_vulnerability_ge(3, f.X, 0, 1, ENT_IND_CUT_IMPORTS,
                                            &o, w, &vm, NULL),
                   ENT_OK);
  assert_int_equal(ent_indicators_vulnerability_ge(3, f.X, 0, 1, ENT_IND_CUT_EXPORTS,
                                            &o, w, &vx, NULL),
                   ENT_OK);
  assert_true(vm > 0.0 && vm < vi);
  assert_true(vx > 0.0 && vx < vi);
  /* Symmetric country: import cut of 0 from 1 = export cut of 1 to 0. */
  double vx10;
  assert_int_equal(ent_indicators_vulnerability_ge(3, f.X, 1, 0, ENT_IND_CUT_EXPORTS,
                                            &o, w, &vx10, &vj),
                   ENT_OK);
  assert_rel(vj, vm, 1e-9);
  /* Errors. */
  assert_int_equal(ent_indicators_vulnerability_ge(3, f.X, 1, 1, ENT_IND_CUT_BOTH, &o,
                                            w, &vi, NULL),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_vulnerability_ge(4, f.X, 0, 1, ENT_IND_CUT_BOTH, &o,
                                            w, &vi, NULL),
                   ENT_EINVAL);
  ent_trade_opts bad = o;
  bad.theta = -1.0;
  assert_int_equal(ent_indicators_vulnerability_ge(3, f.X, 0, 1, ENT_IND_CUT_BOTH,
                                            &bad, w, &vi, NULL),
                   ENT_EINVAL);
  ent_indicators_work_free(w);
  assert_null(ent_indicators_work_alloc(0));
}

/* Deterministic flows of n <= 6 countries for "year" y: domestic sales
 * dominate, trade falls with |i - j|, rows grow at different rates. */
static void cut_flows(size_t n, int y, double *X) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      double g = 1.0 + 0.02 * (double)y * (double)(i + 1) / (double)n;
      double x = i == j ? 900.0 + 150.0 * (double)i
                        : 60.0 / (1.0 + fabs((double)i - (double)j)) +
                              7.0 * (double)((i * 3 + j * 5) % 4);
      X[i * n + j] = x * g;
    }
}


/* The cuts of a year side by side (ent_trade_cut_solve_lanes, and
 * ent_indicators_vulnerability_ge_cuts over it) give the bits of the
 * scalar cut solve (ent_trade_cut_solve, ent_indicators_vulnerability_ge_cut)
 * pair by pair: six countries, both deficit modes, cold starts, warm
 * starts from the year before and from years apart (larger first steps,
 * so that some cuts leave the common path and are given back), each
 * group width this CPU runs (2, 4, 8 lanes). */
static void test_vulnerability_cut_lanes(void **state) {
  (void)state;
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  o.tol = 1e-9; /* the simulation's (sim.c ENT_SIM_VUL_TOL) */
  o.newton_predict = 1;
  o.newton_chord = 1;
  ent_trade_work *tw = ent_trade_work_alloc(6);
  ent_indicators_work *iw = ent_indicators_work_alloc(6);
  assert_non_null(tw);
  assert_non_null(iw);
  /* the years' order: consecutive, then jumps */
  const int years[] = {0, 1, 2, 3, 9, 4, 12, 0, 5, 6};
  const int ny = (int)(sizeof years / sizeof years[0]);
  const double far[6] = {3.0, 0.2, 1.0, 5.0, 0.5, 2.0};
  size_t ci[15], cj[15], p = 0;
  for (size_t a = 0; a < 6; a++)
    for (size_t b = a + 1; b < 6; b++, p++) {
      ci[p] = a;
      cj[p] = b;
    }
  size_t solved_total = 0, given_back = 0;
  for (int mode = 0; mode < 2; mode++) {
    o.deficit = mode ? ENT_TRADE_DEFICIT_MULTIPLICATIVE
                     : ENT_TRADE_DEFICIT_ADDITIVE;
    for (int lanes = 2; lanes <= 8; lanes *= 2) {
      double ss[15][12], sl[15][12], si[15][12], sc[15][12], X[36];
      double *pl[15], *pc[15];
      int warm[15];
      for (p = 0; p < 15; p++) {
        pl[p] = sl[p];
        pc[p] = sc[p];
      }
      for (int y = 0; y < ny; y++) {
        cut_flows(6, years[y], X);
        for (p = 0; p < 15; p++) warm[p] = y > 0;
        if (y == 3) warm[4] = 0; /* one cold pair among warm ones */
        if (y == 7) /* starts far off: shortened steps, given back */
          for (p = 0; p < 15; p++)
            for (size_t k = 0; k < 6; k++) {
              double f = far[(k + p) % 6];
              ss[p][k] = sl[p][k] = sc[p][k] = si[p][k] = f;
              ss[p][6 + k] = sl[p][6 + k] = sc[p][6 + k] = si[p][6 + k] =
                  pow(f, -o.theta);
            }
        /* scalar, pair by pair */
        double wi[15], wj[15];
        ent_status st[15];
        assert_int_equal(ent_trade_cut_prepare(6, X, tw), ENT_OK);
        for (p = 0; p < 15; p++)
          st[p] = ent_trade_cut_solve(6, ci[p], cj[p], 1, 1, &o, tw, ss[p],
                                      warm[p], &wi[p], &wj[p], NULL);
        /* side by side; the cuts given back solved by the scalar solve */
        double li[15], lj[15];
        unsigned char ok[15], ws[15];
        size_t got = ent_trade_cut_solve_lanes(6, 15, ci, cj, 1, 1, &o, tw,
                                               pl, warm, li, lj, ok, ws,
                                               lanes);
        size_t cnt = 0;
        for (p = 0; p < 15; p++) {
          cnt += ok[p];
          /* the work: a Newton step (2) at least when solved */
          if (ok[p]) assert_in_range(ws[p], 2, 254);
          else assert_int_equal(ws[p], 255);
          if (ok[p]) {
            assert_int_equal(st[p], ENT_OK);
            assert_memory_equal(&li[p], &wi[p], sizeof(double));
            assert_memory_equal(&lj[p], &wj[p], sizeof(double));
          } else {
            assert_int_equal(ent_trade_cut_solve(6, ci[p], cj[p], 1, 1, &o,
                                                 tw, sl[p], warm[p], &li[p],
                                                 &lj[p], NULL),
                             st[p]);
            given_back++;
          }
          if (st[p] == ENT_OK)
            assert_memory_equal(sl[p], ss[p], sizeof ss[p]);
        }
        assert_int_equal(got, cnt);
        solved_total += cnt;
        /* the indicators' wrapper against ent_indicators_vulnerability_ge_cut */
        double vi[15], vj[15], ri, rj;
        /* the pairs to the lanes in another order: the same results */
        unsigned char key[15], vw[15];
        for (p = 0; p < 15; p++) key[p] = (unsigned char)((p * 7) % 5);
        ent_status vs[15];
        assert_int_equal(ent_indicators_vulnerability_prepare(6, X, iw),
                         ENT_OK);
        assert_int_equal(ent_indicators_vulnerability_ge_cuts(
                             6, X, 15, ci, cj, ENT_IND_CUT_BOTH, &o, iw, pc,
                             warm, vi, vj, vs, lanes == 4 ? key : NULL,
                             lanes == 2 ? NULL : vw),
                         ENT_OK);
        assert_int_equal(ent_indicators_vulnerability_prepare(6, X, iw),
                         ENT_OK);
        for (p = 0; p < 15; p++) {
          assert_int_equal(ent_indicators_vulnerability_ge_cut(
                               6, X, ci[p], cj[p], ENT_IND_CUT_BOTH, &o, iw,
                               si[p], warm[p], &ri, &rj),
                           vs[p]);
          if (vs[p] != ENT_OK) continue;
          assert_memory_equal(&vi[p], &ri, sizeof ri);
          assert_memory_equal(&vj[p], &rj, sizeof rj);
          assert_memory_equal(sc[p], si[p], sizeof si[p]);
        }
      }
    }
  }
  print_message("lanes: %zu cuts solved, %zu given back\n", solved_total,
                given_back);
  /* most cuts take the common path, and some were given back */
  assert_true(solved_total > 3 * given_back);
  assert_true(given_back > 0);
  /* invalid arguments: nothing solved, nothing written */
  double one[12] = {0}, *pone = one, li, lj;
  int wz = 0;
  unsigned char ok1 = 1;
  size_t same[1] = {2};
  assert_int_equal(ent_trade_cut_solve_lanes(6, 1, same, same, 1, 1, &o, tw,
                                             &pone, &wz, &li, &lj, &ok1, NULL,
                                             8),
                   0);
  assert_int_equal(ok1, 0);
  ent_trade_work_free(tw);
  ent_indicators_work_free(iw);
}

/* The lanes at other sizes than the simulation's six blocs (the kernels
 * are unrolled for n = 6 and loop for the others) and with one direction
 * of each pair cut: every lane's bits are the scalar solve's. */
static void test_vulnerability_cut_lanes_sizes(void **state) {
  (void)state;
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  o.tol = 1e-9;
  o.newton_predict = 1;
  o.newton_chord = 1;
  size_t solved_total = 0;
  const size_t sizes[] = {2, 4, 7, 8};
  for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
    size_t n = sizes[si], np = n * (n - 1) / 2;
    ent_trade_work *tw = ent_trade_work_alloc(n);
    assert_non_null(tw);
    size_t ci[28], cj[28], p = 0;
    for (size_t a = 0; a < n; a++)
      for (size_t b = a + 1; b < n; b++, p++) {
        ci[p] = a;
        cj[p] = b;
      }
    for (int dir = 0; dir < 3; dir++) {
      int cut_ij = dir != 1, cut_ji = dir != 0;
      for (int lanes = 2; lanes <= 8; lanes *= 2) {
        double ss[28][16] = {{0}}, sl[28][16] = {{0}}, X[64];
        double *pl[28];
        int warm[28];
        for (p = 0; p < np; p++) pl[p] = sl[p];
        for (int y = 0; y < 4; y++) {
          cut_flows(n, y, X);
          for (p = 0; p < np; p++) warm[p] = y > 0 && p != 1;
          double wi[28], wj[28], li[28], lj[28];
          ent_status st[28];
          assert_int_equal(ent_trade_cut_prepare(n, X, tw), ENT_OK);
          for (p = 0; p < np; p++)
            st[p] = ent_trade_cut_solve(n, ci[p], cj[p], cut_ij, cut_ji, &o,
                                        tw, ss[p], warm[p], &wi[p], &wj[p],
                                        NULL);
          unsigned char ok[28];
          size_t got = ent_trade_cut_solve_lanes(n, np, ci, cj, cut_ij, cut_ji,
                                                 &o, tw, pl, warm, li, lj, ok,
                                                 NULL, lanes);
          size_t cnt = 0;
          for (p = 0; p < np; p++) {
            cnt += ok[p];
            if (!ok[p]) {
              assert_int_equal(ent_trade_cut_solve(n, ci[p], cj[p], cut_ij,
                                                   cut_ji, &o, tw, sl[p],
                                                   warm[p], &li[p], &lj[p],
                                                   NULL),
                               st[p]);
              continue;
            }
            assert_int_equal(st[p], ENT_OK);
            assert_memory_equal(&li[p], &wi[p], sizeof(double));
            assert_memory_equal(&lj[p], &wj[p], sizeof(double));
            assert_memory_equal(sl[p], ss[p], 2 * n * sizeof(double));
          }
          assert_int_equal(got, cnt);
          solved_total += cnt;
        }
      }
    }
    ent_trade_work_free(tw);
  }
  print_message("lanes at n = 2, 4, 7, 8: %zu cuts solved\n", solved_total);
  assert_true(solved_total > 0);
}

/* The cut solves of a simulation year (ent_indicators_vulnerability_ge_cut:
 * Newton and chord steps at the simulation's tolerances, a shared
 * baseline, w_hat and w_hat^-theta moved by factors) against the
 * reference of case B2 and against the full-precision fixed point
 * (ent_indicators_vulnerability_ge at tol 1e-14). */
static void test_vulnerability_cut(void **state) {
  (void)state;
  flows f;
  double W1 = load_case_b2(&f);
  ent_trade_opts fast, full;
  ent_trade_opts_init(&fast);
  fast.tol = 1e-9; /* the simulation's (sim.c ENT_SIM_VUL_TOL) */
  fast.newton_predict = 1;
  fast.newton_chord = 1;
  ent_trade_opts_init(&full);
  full.tol = 1e-14;
  ent_indicators_work *w = ent_indicators_work_alloc(6);
  assert_non_null(w);
  /* cold, then warm from its own equilibrium */
  double st[12], vi, vj;
  assert_int_equal(ent_indicators_vulnerability_prepare(3, f.X, w), ENT_OK);
  for (int warm = 0; warm < 2; warm++) {
    assert_int_equal(ent_indicators_vulnerability_ge_cut(
                         3, f.X, 0, 1, ENT_IND_CUT_BOTH, &fast, w, st, warm, &vi, &vj),
                     ENT_OK);
    assert_rel(vi, 1.0 - W1, 1e-9);
    assert_rel(vj, 1.0 - W1, 1e-9);
  }
  /* a start 10 % off (w_hat^-theta consistent with it) */
  double off[3] = {0.9, 1.1, 0.95};
  for (size_t k = 0; k < 3; k++) {
    st[k] = off[k];
    st[3 + k] = pow(off[k], -fast.theta);
  }
  assert_int_equal(ent_indicators_vulnerability_ge_cut(
                       3, f.X, 0, 1, ENT_IND_CUT_BOTH, &fast, w, st, 1,
                       &vi, &vj),
                   ENT_OK);
  assert_rel(vi, 1.0 - W1, 1e-9);
  /* one-directional cuts, both countries' losses */
  for (int cut = ENT_IND_CUT_IMPORTS; cut <= ENT_IND_CUT_EXPORTS; cut++) {
    double ri, rj;
    assert_int_equal(ent_indicators_vulnerability_ge(
                         3, f.X, 0, 2, (ent_indicators_cut)cut, &full, w, &ri, &rj),
                     ENT_OK);
    assert_int_equal(ent_indicators_vulnerability_prepare(3, f.X, w), ENT_OK);
    assert_int_equal(ent_indicators_vulnerability_ge_cut(
                         3, f.X, 0, 2, (ent_indicators_cut)cut, &fast, w, st, 0, &vi, &vj),
                     ENT_OK);
    assert_true(fabs(vi - ri) <= 1e-12 && fabs(vj - rj) <= 1e-12);
  }
  /* Six countries over six "years", both deficit modes: every pair warm
   * from its own equilibrium of the year before, within 1e-11 (absolute;
   * the solve stops at a predicted error of 1e-12) of the full solve. */
  double X[36], states[15][12];
  for (int mode = 0; mode < 2; mode++) {
    fast.deficit = full.deficit = mode ? ENT_TRADE_DEFICIT_MULTIPLICATIVE
                                       : ENT_TRADE_DEFICIT_ADDITIVE;
    for (int y = 0; y < 6; y++) {
      cut_flows(6, y, X);
      double want_i[15], want_j[15];
      size_t p = 0;
      for (size_t a = 0; a < 6; a++)
        for (size_t b = a + 1; b < 6; b++, p++)
          assert_int_equal(ent_indicators_vulnerability_ge(
                               6, X, a, b, ENT_IND_CUT_BOTH, &full, w,
                               &want_i[p], &want_j[p]),
                           ENT_OK);
      assert_int_equal(ent_indicators_vulnerability_prepare(6, X, w), ENT_OK);
      p = 0;
      for (size_t a = 0; a < 6; a++)
        for (size_t b = a + 1; b < 6; b++, p++) {
          assert_int_equal(ent_indicators_vulnerability_ge_cut(
                               6, X, a, b, ENT_IND_CUT_BOTH, &fast, w,
                               states[p], y > 0, &vi, &vj),
                           ENT_OK);
          assert_true(want_i[p] > 1e-4 && want_j[p] > 1e-4);
          if (!(fabs(vi - want_i[p]) <= 1e-11 && fabs(vj - want_j[p]) <= 1e-11))
            fail_msg("mode %d year %d pair %zu-%zu: %.17g %.17g, expected "
                     "%.17g %.17g", mode, y, a, b, vi, vj, want_i[p], want_j[p]);
        }
    }
  }
  /* The fallback: without Newton (o->newton = 0) the cut solve declines
   * and the full solve (its fixed point, here at 1e-12) answers; the next
   * pair, Newton allowed again, still finds the prepared baseline. */
  fast.deficit = full.deficit = ENT_TRADE_DEFICIT_ADDITIVE;
  cut_flows(6, 0, X);
  double ri, rj;
  assert_int_equal(ent_indicators_vulnerability_ge(6, X, 1, 4, ENT_IND_CUT_BOTH,
                                                   &full, w, &ri, &rj),
                   ENT_OK);
  assert_int_equal(ent_indicators_vulnerability_prepare(6, X, w), ENT_OK);
  ent_trade_opts stuck = fast;
  stuck.newton = 0;
  stuck.tol = 1e-12;
  assert_int_equal(ent_indicators_vulnerability_ge_cut(
                       6, X, 1, 4, ENT_IND_CUT_BOTH, &stuck, w, st, 0, &vi,
                       &vj),
                   ENT_OK);
  assert_true(fabs(vi - ri) <= 1e-10 && fabs(vj - rj) <= 1e-10);
  assert_int_equal(ent_indicators_vulnerability_ge_cut(
                       6, X, 1, 4, ENT_IND_CUT_BOTH, &fast, w, st, 1,
                       &vi, &vj),
                   ENT_OK);
  assert_true(fabs(vi - ri) <= 1e-11 && fabs(vj - rj) <= 1e-11);
  /* Errors: the same pair, no state, a baseline the solver rejects (no
   * domestic sales) for every pair. */
  assert_int_equal(ent_indicators_vulnerability_ge_cut(
                       6, X, 2, 2, ENT_IND_CUT_BOTH, &fast, w, st, 0,
                       &vi, &vj),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_vulnerability_ge_cut(
                       6, X, 1, 2, ENT_IND_CUT_BOTH, &fast, w, NULL, 0, &vi,
                       &vj),
                   ENT_EINVAL);
  X[3 * 6 + 3] = 0.0;
  assert_int_equal(ent_indicators_vulnerability_prepare(6, X, w), ENT_EINVAL);
  assert_int_equal(ent_indicators_vulnerability_ge_cut(
                       6, X, 0, 1, ENT_IND_CUT_BOTH, &fast, w, st, 0,
                       &vi, &vj),
                   ENT_EINVAL);
  ent_indicators_work_free(w);
}

static void test_undefined(void **state) {
  (void)state;
  /* Country 2 trades with nobody: its shares and HHIs are undefined. */
  const double X[9] = {10, 2, 0, 3, 20, 0, 0, 0, 5};
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  ent_indicators_dyad d;
  double h, sh[3];
  assert_int_equal(ent_indicators_dyad_compute(3, X, NULL, 0, 1, &o, NULL, &d), ENT_OK);
  assert_int_equal(ent_indicators_dyad_compute(3, X, NULL, 2, 0, &o, NULL, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_compute(3, X, NULL, 0, 2, &o, NULL, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_compute(3, X, NULL, 0, 0, &o, NULL, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_compute(3, X, NULL, 0, 3, &o, NULL, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_hhi_imports(3, X, 2, &h), ENT_EINVAL);
  assert_int_equal(ent_indicators_hhi_exports(3, X, 2, &h), ENT_EINVAL);
  assert_int_equal(ent_indicators_import_shares(3, X, 2, sh), ENT_EINVAL);
  const double G[3] = {10, 0, 5};
  assert_int_equal(ent_indicators_dyad_compute(3, X, G, 0, 1, &o, NULL, &d),
                   ENT_EINVAL);
  /* ent_indicators_dyad_core: undefined in the same cases */
  ent_indicators_totals t[3];
  for (size_t i = 0; i < 3; i++) ent_indicators_totals_of(3, X, i, &t[i]);
  assert_int_equal(ent_indicators_dyad_core(3, X, NULL, 0, 1, 4.0, &t[0],
                                            &t[1], &d),
                   ENT_OK);
  assert_int_equal(ent_indicators_dyad_core(3, X, NULL, 2, 0, 4.0, &t[2],
                                            &t[0], &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core(3, X, NULL, 0, 2, 4.0, &t[0],
                                            &t[2], &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core(3, X, G, 0, 1, 4.0, &t[0], &t[1],
                                            &d),
                   ENT_EINVAL);
  /* ent_indicators_dyad_core_of: those, and the arguments */
  assert_int_equal(ent_indicators_dyad_core_of(3, X, NULL, 0, 1, 4.0, &d),
                   ENT_OK);
  assert_int_equal(ent_indicators_dyad_core_of(3, X, NULL, 2, 0, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core_of(3, X, NULL, 0, 2, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core_of(3, X, G, 0, 1, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core_of(3, X, NULL, 0, 0, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core_of(3, X, NULL, 0, 3, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core_of(3, X, NULL, 0, 1, 0.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core_of(3, X, NULL, 0, 1, NAN, &d),
                   ENT_EINVAL);
  /* ent_indicators_dyad_shares_of: the same cases */
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, NULL, 0, 1, 4.0, &d),
                   ENT_OK);
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, NULL, 2, 0, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, NULL, 0, 2, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, G, 0, 1, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, NULL, 0, 0, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, NULL, 0, 3, 4.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, NULL, 0, 1, 0.0, &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_shares_of(3, X, NULL, 0, 1, NAN, &d),
                   ENT_EINVAL);
  /* non-finite imports: the concentration indices are undefined */
  const double Xinf[9] = {10, 2, 0, HUGE_VAL, 20, 0, 0, 0, 5};
  ent_indicators_totals_of(3, Xinf, 0, &t[0]);
  ent_indicators_totals_of(3, Xinf, 1, &t[1]);
  assert_int_equal(ent_indicators_dyad_compute(3, Xinf, NULL, 0, 1, &o, NULL,
                                               &d),
                   ENT_EINVAL);
  assert_int_equal(ent_indicators_dyad_core(3, Xinf, NULL, 0, 1, 4.0, &t[0],
                                            &t[1], &d),
                   ENT_EINVAL);
}

/* CINC worked example of indicators.md section 6. */
static void test_cinc(void **state) {
  (void)state;
  const double x[18] = {
      800000000, 1400, 80000,   3000000, 330000,  130000, /* A */
      250000000, 2000, 1000000, 5000000, 1400000, 500000, /* B */
      70000000,  1000, 70000,   1000000, 145000,  40000,  /* C */
  };
  double c[3], share[18];
  assert_int_equal(ent_indicators_cinc(3, 6, x, c, share), ENT_OK);
  assert_near(c[0], 0.300899, 5e-7);
  assert_near(c[1], 0.599303, 5e-7);
  assert_near(c[2], 0.099798, 5e-7);
  assert_rel(c[0] + c[1] + c[2], 1.0, 1e-15);
  const double shareA[6] = {0.714286, 0.318182, 0.069565,
                            0.333333, 0.176000, 0.194030};
  for (int k = 0; k < 6; k++) assert_near(share[k], shareA[k], 5e-7);
  /* B has the higher CINC with less than a third of A's spending. */
  assert_true(c[1] > c[0] && x[6] < x[0] / 3.0);
  assert_near(ent_indicators_capability_ratio(c[1], c[0]), 0.599303 / 0.900202, 1e-6);

  /* Missing values (-9, NaN): left out of the state's mean and the
   * system total. */
  double y[18];
  memcpy(y, x, sizeof y);
  y[0] = -9.0; /* A's milex missing */
  y[13] = NAN; /* C's milper missing */
  assert_int_equal(ent_indicators_cinc(3, 6, y, c, share), ENT_OK);
  assert_true(share[0] == -1.0 && share[13] == -1.0);
  assert_rel(share[6], 250.0 / 320.0, 1e-15);   /* B milex of B + C */
  assert_rel(share[1], 1400.0 / 3400.0, 1e-15); /* A milper of A + B */
  double a5 = 0.0;
  for (int k = 1; k < 6; k++) a5 += share[k];
  assert_rel(c[0], a5 / 5.0, 1e-15);
  /* A component with a zero system total is left out for everyone. */
  double z[6] = {0, 1, 0, 3, -9, 4};
  double cz[3];
  assert_int_equal(ent_indicators_cinc(3, 2, z, cz, NULL), ENT_OK);
  assert_rel(cz[0], 0.125, 1e-15);
  assert_rel(cz[1], 0.375, 1e-15);
  assert_rel(cz[2], 0.5, 1e-15);
  /* State 2 has nothing available: undefined. */
  double z2[6] = {0, 1, 0, 3, -9, -9};
  assert_int_equal(ent_indicators_cinc(3, 2, z2, cz, NULL), ENT_EINVAL);
  double inf[2] = {HUGE_VAL, 1.0};
  assert_int_equal(ent_indicators_cinc(2, 1, inf, cz, NULL), ENT_EINVAL);
  assert_int_equal(ent_indicators_cinc(0, 6, x, cz, NULL), ENT_EINVAL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expected_csv),
      cmocka_unit_test(test_worked_table),
      cmocka_unit_test(test_identities),
      cmocka_unit_test(test_scalars),
      cmocka_unit_test(test_vulnerability_ge),
      cmocka_unit_test(test_vulnerability_cut),
      cmocka_unit_test(test_vulnerability_cut_lanes),
      cmocka_unit_test(test_vulnerability_cut_lanes_sizes),
      cmocka_unit_test(test_undefined),
      cmocka_unit_test(test_cinc),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
