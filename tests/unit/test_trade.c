/*
 * test_trade.c -- the GE structural gravity solver and its CSV loader.
 *
 * Expected numbers come from tests/data/gravity/ (copied from the model
 * research notes, see PROVENANCE.md) and from closed forms derived in its
 * README (cases A and B), never from entente's own output.
 */
#include <math.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "testutil.h"
#include "structural/trade.h"

/* ------------------------------------------------------------ helpers */

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

static void data_path(char *buf, size_t size, const char *name) {
  snprintf(buf, size, "%s/gravity/%s", ENT_TEST_DATA, name);
}

static ent_trade_problem *load_case(const char *flows, const char *shock) {
  char fp[1024], sp[1024];
  data_path(fp, sizeof fp, flows);
  if (shock) data_path(sp, sizeof sp, shock);
  ent_diag *d = ent_diag_create();
  ent_trade_problem *p = NULL;
  ent_status st = ent_trade_problem_load_files(fp, shock ? sp : NULL, &p, d);
  if (st != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("cannot load %s / %s: %s", flows, shock ? shock : "-",
             ent_status_str(st));
  }
  assert_int_equal(ent_diag_errors(d), 0);
  ent_diag_destroy(d);
  return p;
}

/* Every output of one solve, in arrays the test owns. */
typedef struct sol {
  size_t n;
  double *w, *Eh, *P, *W, *rw, *omr, *pown, *Xn;
  ent_trade_info info;
} sol;

static void sol_init(sol *s, size_t n) {
  s->n = n;
  s->w = calloc(n, sizeof(double));
  s->Eh = calloc(n, sizeof(double));
  s->P = calloc(n, sizeof(double));
  s->W = calloc(n, sizeof(double));
  s->rw = calloc(n, sizeof(double));
  s->omr = calloc(n, sizeof(double));
  s->pown = calloc(n, sizeof(double));
  s->Xn = calloc(n * n, sizeof(double));
  assert_non_null(s->Xn);
}

static void sol_free(sol *s) {
  free(s->w);
  free(s->Eh);
  free(s->P);
  free(s->W);
  free(s->rw);
  free(s->omr);
  free(s->pown);
  free(s->Xn);
}

static ent_status solve_arrays(size_t n, const double *X, const double *b,
                               const ent_trade_opts *o, const double *w0,
                               sol *s) {
  sol_init(s, n);
  ent_trade_work *w = ent_trade_work_alloc(n);
  assert_non_null(w);
  ent_trade_out out = {s->w, s->Eh, s->P, s->W, s->rw, s->omr, s->pown, s->Xn};
  ent_status st = ent_trade_ge_solve(n, X, b, o, w0, w, &out, &s->info);
  ent_trade_work_free(w);
  return st;
}

static void margins(size_t n, const double *X, double *Y, double *E) {
  for (size_t i = 0; i < n; i++) Y[i] = E[i] = 0.0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      Y[i] += X[i * n + j];
      E[j] += X[i * n + j];
    }
}

/* Deterministic synthetic flows: splitmix64 from a seed. */
static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double unif(uint64_t *s) {
  return (double)(splitmix(s) >> 11) * (1.0 / 9007199254740992.0);
}

static double *synthetic(size_t n, uint64_t seed, double zero_share) {
  double *X = malloc(n * n * sizeof *X);
  uint64_t s = seed;
  for (size_t i = 0; i < n; i++) {
    double size = 0.5 + 4.0 * unif(&s);
    for (size_t j = 0; j < n; j++) {
      double u = unif(&s);
      if (i == j)
        X[i * n + j] = size * (200.0 + 800.0 * u) * (double)n / 10.0;
      else
        X[i * n + j] = unif(&s) < zero_share ? 0.0 : size * 20.0 * u;
    }
  }
  return X;
}

/* ------------------------------------------------- reference cases */

typedef struct maxerr {
  double hat, flow;
} maxerr;

/* Solve flows+shock in `mode` and compare with the two expected files. */
static maxerr check_case(const char *flows, const char *shock,
                         ent_trade_deficit mode, const char *cexp,
                         const char *fexp) {
  maxerr me = {0, 0};
  ent_trade_problem *p = load_case(flows, shock);
  size_t n = ent_trade_problem_size(p);
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  o.deficit = mode;
  ent_trade_result *r = NULL;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_trade_solve(p, &o, &r, d), ENT_OK);
  ent_diag_destroy(d);
  assert_true(ent_trade_result_residual(r) < 1e-10);
  assert_true(ent_trade_result_iterations(r) > 0);

  double *Y = malloc(n * sizeof *Y), *E = malloc(n * sizeof *E);
  margins(n, p->X, Y, E);

  char rel[256];
  snprintf(rel, sizeof rel, "gravity/%s", cexp);
  ref_table c = ref_load(rel);
  assert_int_equal(c.csv->n_rows, n + 1);
  static const char *cols[] = {"w_hat",         "E_hat",   "P_hat",
                               "welfare_hat",   "real_wage_hat", "OMR_hat",
                               "pi_own_new"};
  static const ent_trade_field fields[] = {
      ENT_TRADE_W_HAT,        ENT_TRADE_E_HAT,   ENT_TRADE_P_HAT,
      ENT_TRADE_WELFARE_HAT,  ENT_TRADE_REAL_WAGE_HAT, ENT_TRADE_OMR_HAT,
      ENT_TRADE_PI_OWN_NEW};
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(ref_str(&c, i + 1, ref_col(&c, "country")),
                        ent_trade_result_country(r, i));
    assert_rel(Y[i], ref_num(&c, i + 1, ref_col(&c, "Y_base")), 1e-15);
    assert_rel(E[i], ref_num(&c, i + 1, ref_col(&c, "E_base")), 1e-15);
    assert_near(E[i] - Y[i], ref_num(&c, i + 1, ref_col(&c, "D_base")), 1e-9);
    for (size_t k = 0; k < 7; k++) {
      double got = ent_trade_result_value(r, i, fields[k]);
      double want = ref_num(&c, i + 1, ref_col(&c, cols[k]));
      assert_rel(got, want, 1e-9);
      if (rel_err(got, want) > me.hat) me.hat = rel_err(got, want);
    }
  }
  ref_free(&c);

  snprintf(rel, sizeof rel, "gravity/%s", fexp);
  ref_table f = ref_load(rel);
  assert_int_equal(f.csv->n_rows, n * n + 1);
  for (size_t row = 1; row <= n * n; row++) {
    const char *ex = ref_str(&f, row, ref_col(&f, "exporter"));
    const char *im = ref_str(&f, row, ref_col(&f, "importer"));
    size_t i = n, j = n;
    for (size_t k = 0; k < n; k++) {
      if (!strcmp(ent_trade_problem_country(p, k), ex)) i = k;
      if (!strcmp(ent_trade_problem_country(p, k), im)) j = k;
    }
    assert_true(i < n && j < n);
    assert_true(p->X[i * n + j] ==
                ref_num(&f, row, ref_col(&f, "flow_base")));
    assert_rel(p->b[i * n + j], ref_num(&f, row, ref_col(&f, "b")), 1e-13);
    double want = ref_num(&f, row, ref_col(&f, "flow_new"));
    double got = ent_trade_result_flow(r, i, j);
    if (want == 0.0) {
      assert_true(got == 0.0); /* embargo: exactly zero */
    } else {
      assert_rel(got, want, 1e-8);
      if (rel_err(got, want) > me.flow) me.flow = rel_err(got, want);
    }
    assert_rel(got / p->X[i * n + j],
               ref_num(&f, row, ref_col(&f, "flow_hat")), 1e-8);
  }
  ref_free(&f);
  free(Y);
  free(E);
  ent_trade_result_destroy(r);
  ent_trade_problem_destroy(p);
  print_message("  %-22s max rel error: hats %.2e, flows %.2e\n", cexp,
                me.hat, me.flow);
  return me;
}

static void test_case_A(void **state) {
  (void)state;
  check_case("case3_flows.csv", "caseA_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE,
             "caseA_country_expected.csv", "caseA_flows_expected.csv");
  /* Closed form (README case A): all w = 1, Phi = d + (1-d) e^-0.5. */
  ent_trade_problem *p = load_case("case3_flows.csv", "caseA_shock.csv");
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  sol s;
  assert_int_equal(solve_arrays(3, p->X, p->b, &o, NULL, &s), ENT_OK);
  double Phi = 0.8 + 0.2 * exp(-0.5);
  for (size_t j = 0; j < 3; j++) {
    assert_rel(s.w[j], 1.0, 1e-12);
    assert_rel(s.P[j], pow(Phi, -0.25), 1e-12);
    assert_rel(s.P[j], 1.0207021030090875, 1e-12);
    assert_rel(s.W[j], 0.9797177815661823, 1e-12);
    assert_rel(s.rw[j], pow(Phi, 0.25), 1e-12);
    assert_rel(s.omr[j], 1.0, 1e-12);
    assert_rel(s.pown[j], 0.8683324383321329, 1e-12);
    assert_rel(s.Xn[j * 3 + j], 80.0 / Phi, 1e-12);
    assert_rel(s.Xn[j * 3 + (j + 1) % 3], 6.5833780833933515, 1e-12);
  }
  sol_free(&s);
  /* Limit: autarky, W = 0.8^(1/4) (gains from trade, ACR). */
  double b[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  assert_int_equal(solve_arrays(3, p->X, b, &o, NULL, &s), ENT_OK);
  for (size_t j = 0; j < 3; j++) assert_rel(s.W[j], pow(0.8, 0.25), 1e-12);
  sol_free(&s);
  ent_trade_problem_destroy(p);
}

/* Case B closed form: H(x) = d x^(1+2t) + 2f x^(1+t) - f x^t - (d + f b)
 * has one positive root; bisection here, independent of the solver. */
static void case_b_closed(double bb, double *w, double *v, double *W1,
                          double *W3, double *x_out) {
  const double d = 0.8, f = 0.1, t = 4.0;
  double lo = 0.5, hi = 1.5;
  for (int k = 0; k < 200; k++) {
    double x = 0.5 * (lo + hi);
    double H = d * pow(x, 1 + 2 * t) + 2 * f * pow(x, 1 + t) - f * pow(x, t) -
               (d + f * bb);
    if (H > 0) hi = x;
    else lo = x;
  }
  double x = 0.5 * (lo + hi);
  *x_out = x;
  *v = 3.0 / (2.0 * x + 1.0);
  *w = 3.0 * x / (2.0 * x + 1.0);
  *W1 = pow((d + f * bb) + f * pow(x, t), 1.0 / t);
  *W3 = pow(d + 2 * f * pow(x, -t), 1.0 / t);
}

static void test_case_B(void **state) {
  (void)state;
  check_case("case3_flows.csv", "caseB1_shock.csv",
             ENT_TRADE_DEFICIT_ADDITIVE, "caseB1_country_expected.csv",
             "caseB1_flows_expected.csv");
  check_case("case3_flows.csv", "caseB2_shock.csv",
             ENT_TRADE_DEFICIT_ADDITIVE, "caseB2_country_expected.csv",
             "caseB2_flows_expected.csv");
  const char *shocks[2] = {"caseB1_shock.csv", "caseB2_shock.csv"};
  const double bs[2] = {exp(-1.5), 0.0};
  const double xs[2] = {0.989633746843624, 0.986494586406839};
  for (int k = 0; k < 2; k++) {
    ent_trade_problem *p = load_case("case3_flows.csv", shocks[k]);
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    sol s;
    assert_int_equal(solve_arrays(3, p->X, p->b, &o, NULL, &s), ENT_OK);
    double w, v, W1, W3, x;
    case_b_closed(bs[k], &w, &v, &W1, &W3, &x);
    assert_rel(x, xs[k], 1e-13);
    assert_rel(s.w[0], w, 1e-10);
    assert_rel(s.w[1], w, 1e-10);
    assert_rel(s.w[2], v, 1e-10);
    assert_rel(s.W[0], W1, 1e-10);
    assert_rel(s.W[2], W3, 1e-10);
    assert_rel(s.w[0] / s.w[2], x, 1e-10);
    sol_free(&s);
    ent_trade_problem_destroy(p);
  }
}

/* Newton first (ent_trade_ge_solve_newton, the simulator's solves): every
 * reference case to the same tolerances as the fixed point (1e-9 on the
 * country values, 1e-8 on flows), cold and from a start point 10 % off. */
static int newton_case_p(const char *flows, const char *shock,
                         ent_trade_deficit mode, const char *cexp,
                         const char *fexp, int predict) {
  ent_trade_problem *p = load_case(flows, shock);
  size_t n = ent_trade_problem_size(p);
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  o.deficit = mode;
  if (predict) {
    o.newton_predict = 1;
    o.newton_chord = predict > 1;
    o.tol = 1e-9; /* the vulnerability solves' tolerance */
  }
  int iters = 0;
  char rel[256];
  snprintf(rel, sizeof rel, "gravity/%s", cexp);
  ref_table c = ref_load(rel);
  snprintf(rel, sizeof rel, "gravity/%s", fexp);
  ref_table f = ref_load(rel);
  for (int warm = 0; warm < 2; warm++) {
    sol s;
    sol_init(&s, n);
    ent_trade_work *w = ent_trade_work_alloc(n);
    assert_non_null(w);
    double w0[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) w0[i] = 1.0 + 0.1 * (i % 2 ? 1.0 : -1.0);
    ent_trade_out out = {s.w, s.Eh, s.P, s.W, s.rw, s.omr, s.pown, s.Xn};
    assert_int_equal(ent_trade_ge_solve_newton(n, p->X, p->b, &o,
                                               warm ? w0 : NULL, w, &out,
                                               &s.info),
                     ENT_OK);
    assert_true(s.info.newton_iterations > 0);
    assert_int_equal(s.info.fp_iterations, 0); /* Newton alone sufficed */
    iters += s.info.newton_iterations;
    const double *v[7] = {s.w, s.Eh, s.P, s.W, s.rw, s.omr, s.pown};
    static const char *cols[] = {"w_hat",       "E_hat",         "P_hat",
                                 "welfare_hat", "real_wage_hat", "OMR_hat",
                                 "pi_own_new"};
    for (size_t i = 0; i < n; i++)
      for (size_t k = 0; k < 7; k++)
        assert_rel(v[k][i], ref_num(&c, i + 1, ref_col(&c, cols[k])), 1e-9);
    for (size_t row = 1; row <= n * n; row++) {
      const char *ex = ref_str(&f, row, ref_col(&f, "exporter"));
      const char *im = ref_str(&f, row, ref_col(&f, "importer"));
      size_t i = n, j = n;
      for (size_t k = 0; k < n; k++) {
        if (!strcmp(ent_trade_problem_country(p, k), ex)) i = k;
        if (!strcmp(ent_trade_problem_country(p, k), im)) j = k;
      }
      assert_true(i < n && j < n);
      double want = ref_num(&f, row, ref_col(&f, "flow_new"));
      if (want == 0.0)
        assert_true(s.Xn[i * n + j] == 0.0);
      else
        assert_rel(s.Xn[i * n + j], want, 1e-8);
    }
    ent_trade_work_free(w);
    sol_free(&s);
  }
  ref_free(&c);
  ref_free(&f);
  ent_trade_problem_destroy(p);
  return iters;
}

static void newton_case(const char *flows, const char *shock,
                        ent_trade_deficit mode, const char *cexp,
                        const char *fexp) {
  newton_case_p(flows, shock, mode, cexp, fexp, 0);
}

static void test_newton_first(void **state) {
  (void)state;
  newton_case("case3_flows.csv", "caseA_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE,
              "caseA_country_expected.csv", "caseA_flows_expected.csv");
  newton_case("case3_flows.csv", "caseB1_shock.csv",
              ENT_TRADE_DEFICIT_ADDITIVE, "caseB1_country_expected.csv",
              "caseB1_flows_expected.csv");
  newton_case("case3_flows.csv", "caseB2_shock.csv",
              ENT_TRADE_DEFICIT_ADDITIVE, "caseB2_country_expected.csv",
              "caseB2_flows_expected.csv");
  newton_case("case4_flows.csv", "caseC_sanction_shock.csv",
              ENT_TRADE_DEFICIT_ADDITIVE, "caseC1_country_expected.csv",
              "caseC1_flows_expected.csv");
  newton_case("case4_flows.csv", "caseC_sanction_shock.csv",
              ENT_TRADE_DEFICIT_MULTIPLICATIVE, "caseC2_country_expected.csv",
              "caseC2_flows_expected.csv");
  newton_case("case4_flows.csv", "caseC_embargo_shock.csv",
              ENT_TRADE_DEFICIT_ADDITIVE, "caseC3_country_expected.csv",
              "caseC3_flows_expected.csv");
  newton_case("case4_flows.csv", "caseC_exportban_shock.csv",
              ENT_TRADE_DEFICIT_ADDITIVE, "caseC4_country_expected.csv",
              "caseC4_flows_expected.csv");
}

static void test_case_C(void **state) {
  (void)state;
  check_case("case4_flows.csv", "caseC_sanction_shock.csv",
             ENT_TRADE_DEFICIT_ADDITIVE, "caseC1_country_expected.csv",
             "caseC1_flows_expected.csv");
  check_case("case4_flows.csv", "caseC_sanction_shock.csv",
             ENT_TRADE_DEFICIT_MULTIPLICATIVE, "caseC2_country_expected.csv",
             "caseC2_flows_expected.csv");
  check_case("case4_flows.csv", "caseC_embargo_shock.csv",
             ENT_TRADE_DEFICIT_ADDITIVE, "caseC3_country_expected.csv",
             "caseC3_flows_expected.csv");
  check_case("case4_flows.csv", "caseC_exportban_shock.csv",
             ENT_TRADE_DEFICIT_ADDITIVE, "caseC4_country_expected.csv",
             "caseC4_flows_expected.csv");
  /* C2: kappa = 0.99988 (README). */
  ent_trade_problem *p = load_case("case4_flows.csv", "caseC_sanction_shock.csv");
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  o.deficit = ENT_TRADE_DEFICIT_MULTIPLICATIVE;
  sol s;
  assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &s), ENT_OK);
  assert_near(s.info.kappa, 0.99988, 5e-6);
  for (size_t j = 0; j < 4; j++)
    assert_rel(s.Eh[j], s.info.kappa * s.w[j], 1e-14);
  sol_free(&s);
  ent_trade_problem_destroy(p);
}

/* ------------------------------------------------- property tests */

typedef struct named_case {
  const char *flows, *shock;
  ent_trade_deficit mode;
} named_case;

static const named_case ALL_CASES[] = {
    {"case3_flows.csv", "caseA_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE},
    {"case3_flows.csv", "caseB1_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE},
    {"case3_flows.csv", "caseB2_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE},
    {"case4_flows.csv", "caseC_sanction_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE},
    {"case4_flows.csv", "caseC_sanction_shock.csv",
     ENT_TRADE_DEFICIT_MULTIPLICATIVE},
    {"case4_flows.csv", "caseC_embargo_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE},
    {"case4_flows.csv", "caseC_embargo_shock.csv",
     ENT_TRADE_DEFICIT_MULTIPLICATIVE},
    {"case4_flows.csv", "caseC_exportban_shock.csv",
     ENT_TRADE_DEFICIT_ADDITIVE},
};

static void test_zero_shock(void **state) {
  (void)state;
  for (int mode = 0; mode < 2; mode++) {
    ent_trade_problem *p = load_case("case4_flows.csv", NULL);
    double *X50 = synthetic(50, 2385, 0.1);
    const double *Xs[2] = {p->X, X50};
    size_t ns[2] = {4, 50};
    for (int k = 0; k < 2; k++) {
      ent_trade_opts o;
      ent_trade_opts_init(&o);
      o.deficit = (ent_trade_deficit)mode;
      sol s;
      size_t n = ns[k];
      assert_int_equal(solve_arrays(n, Xs[k], NULL, &o, NULL, &s), ENT_OK);
      for (size_t i = 0; i < n; i++) {
        assert_rel(s.w[i], 1.0, 1e-13);
        assert_rel(s.W[i], 1.0, 1e-13);
        assert_rel(s.rw[i], 1.0, 1e-13);
        assert_rel(s.P[i], 1.0, 1e-13);
        for (size_t j = 0; j < n; j++)
          assert_rel(s.Xn[i * n + j], Xs[k][i * n + j], 1e-12);
      }
      assert_true(s.info.iterations <= 2);
      sol_free(&s);
    }
    free(X50);
    ent_trade_problem_destroy(p);
  }
}

/* Adding-up, ACR and OMR identities on every case. */
static void test_identities(void **state) {
  (void)state;
  for (size_t c = 0; c < sizeof ALL_CASES / sizeof ALL_CASES[0]; c++) {
    ent_trade_problem *p = load_case(ALL_CASES[c].flows, ALL_CASES[c].shock);
    size_t n = p->n;
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    o.deficit = ALL_CASES[c].mode;
    sol s;
    assert_int_equal(solve_arrays(n, p->X, p->b, &o, NULL, &s), ENT_OK);
    assert_true(s.info.residual < 1e-10);
    double Y[8], E[8], world = 0.0, world_new = 0.0;
    margins(n, p->X, Y, E);
    for (size_t i = 0; i < n; i++) {
      double row = 0.0, col = 0.0;
      for (size_t j = 0; j < n; j++) {
        row += s.Xn[i * n + j];
        col += s.Xn[j * n + i];
      }
      assert_rel(row, s.w[i] * Y[i], 1e-10);     /* sales = output */
      assert_rel(col, s.Eh[i] * E[i], 1e-12);    /* purchases = E' */
      world += Y[i];
      world_new += s.w[i] * Y[i];
      /* ACR: real wage = (pi'_jj / pi_jj)^(-1/theta). */
      double pi = p->X[i * n + i] / E[i];
      assert_rel(s.rw[i], pow(s.pown[i] / pi, -1.0 / o.theta), 1e-13);
      /* OMR = w^(-(1+theta)/theta) under the world-output numeraire. */
      assert_rel(s.omr[i], pow(s.w[i], -(1.0 + o.theta) / o.theta), 1e-13);
      assert_rel(s.W[i], s.Eh[i] / s.P[i], 1e-15);
      assert_rel(s.rw[i], s.w[i] / s.P[i], 1e-15);
    }
    assert_rel(world_new, world, 1e-14);
    sol_free(&s);
    ent_trade_problem_destroy(p);
  }
}

static void test_scaling(void **state) {
  (void)state;
  const double c = 2.385;
  for (size_t k = 0; k < sizeof ALL_CASES / sizeof ALL_CASES[0]; k++) {
    ent_trade_problem *p = load_case(ALL_CASES[k].flows, ALL_CASES[k].shock);
    size_t n = p->n;
    double Xc[16];
    for (size_t i = 0; i < n * n; i++) Xc[i] = c * p->X[i];
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    o.deficit = ALL_CASES[k].mode;
    sol a, b;
    assert_int_equal(solve_arrays(n, p->X, p->b, &o, NULL, &a), ENT_OK);
    assert_int_equal(solve_arrays(n, Xc, p->b, &o, NULL, &b), ENT_OK);
    for (size_t i = 0; i < n; i++) {
      assert_rel(b.w[i], a.w[i], 1e-11);
      assert_rel(b.P[i], a.P[i], 1e-11);
      assert_rel(b.W[i], a.W[i], 1e-11);
      assert_rel(b.omr[i], a.omr[i], 1e-11);
      assert_rel(b.pown[i], a.pown[i], 1e-11);
      for (size_t j = 0; j < n; j++)
        assert_rel(b.Xn[i * n + j], c * a.Xn[i * n + j], 1e-10);
    }
    sol_free(&a);
    sol_free(&b);
    ent_trade_problem_destroy(p);
  }
}

static void test_permutation(void **state) {
  (void)state;
  const size_t perm[4] = {2, 0, 3, 1}; /* new index k holds old perm[k] */
  for (int mode = 0; mode < 2; mode++) {
    ent_trade_problem *p =
        load_case("case4_flows.csv", "caseC_exportban_shock.csv");
    double Xp[16], bp[16];
    for (size_t i = 0; i < 4; i++)
      for (size_t j = 0; j < 4; j++) {
        Xp[i * 4 + j] = p->X[perm[i] * 4 + perm[j]];
        bp[i * 4 + j] = p->b[perm[i] * 4 + perm[j]];
      }
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    o.deficit = (ent_trade_deficit)mode;
    sol a, b;
    assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &a), ENT_OK);
    assert_int_equal(solve_arrays(4, Xp, bp, &o, NULL, &b), ENT_OK);
    for (size_t k = 0; k < 4; k++) {
      assert_rel(b.w[k], a.w[perm[k]], 1e-11);
      assert_rel(b.W[k], a.W[perm[k]], 1e-11);
      assert_rel(b.P[k], a.P[perm[k]], 1e-11);
      for (size_t l = 0; l < 4; l++)
        assert_rel(b.Xn[k * 4 + l], a.Xn[perm[k] * 4 + perm[l]], 1e-10);
    }
    sol_free(&a);
    sol_free(&b);
    ent_trade_problem_destroy(p);
  }
  /* The same through the loader: reversed row order changes the country
   * order (first appearance), not the answer. */
  const char *fwd = "exporter,importer,flow\nA,A,50\nA,B,7\nB,A,3\nB,B,90\n";
  const char *rev = "exporter,importer,flow\nB,B,90\nB,A,3\nA,B,7\nA,A,50\n";
  const char *shock = "exporter,importer,beta\nA,B,-0.7\n";
  ent_diag *d = ent_diag_create();
  ent_trade_problem *p1, *p2;
  assert_int_equal(ent_trade_problem_load_buffers("f", fwd, strlen(fwd), "s",
                                                  shock, strlen(shock), &p1, d),
                   ENT_OK);
  assert_int_equal(ent_trade_problem_load_buffers("r", rev, strlen(rev), "s",
                                                  shock, strlen(shock), &p2, d),
                   ENT_OK);
  assert_string_equal(ent_trade_problem_country(p2, 0), "B");
  ent_trade_result *r1, *r2;
  assert_int_equal(ent_trade_solve(p1, NULL, &r1, d), ENT_OK);
  assert_int_equal(ent_trade_solve(p2, NULL, &r2, d), ENT_OK);
  for (int f = 0; f < 7; f++) {
    assert_rel(ent_trade_result_value(r1, 0, (ent_trade_field)f),
               ent_trade_result_value(r2, 1, (ent_trade_field)f), 1e-11);
    assert_rel(ent_trade_result_value(r1, 1, (ent_trade_field)f),
               ent_trade_result_value(r2, 0, (ent_trade_field)f), 1e-11);
  }
  assert_rel(ent_trade_result_flow(r1, 0, 1), ent_trade_result_flow(r2, 1, 0),
             1e-11);
  ent_trade_result_destroy(r1);
  ent_trade_result_destroy(r2);
  ent_trade_problem_destroy(p1);
  ent_trade_problem_destroy(p2);
  ent_diag_destroy(d);
}

/* C4 (WST -> RUS ban) must differ from its transpose (RUS -> WST ban). */
static void test_orientation(void **state) {
  (void)state;
  ent_trade_problem *p =
      load_case("case4_flows.csv", "caseC_exportban_shock.csv");
  double bt[16];
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 4; j++) bt[i * 4 + j] = p->b[j * 4 + i];
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  sol a, t;
  assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &a), ENT_OK);
  assert_int_equal(solve_arrays(4, p->X, bt, &o, NULL, &t), ENT_OK);
  ref_table c = ref_load("gravity/caseC4_country_expected.csv");
  double want = ref_num(&c, 1, ref_col(&c, "welfare_hat")); /* RUS */
  assert_rel(a.W[0], want, 1e-9);
  assert_true(rel_err(t.W[0], want) > 1e-4);
  /* Russia's imports from China rise by about 33 % under C4. */
  assert_near(a.Xn[1 * 4 + 0] / p->X[1 * 4 + 0], 1.33, 0.005);
  assert_true(fabs(t.Xn[1 * 4 + 0] / p->X[1 * 4 + 0] - 1.33) > 0.05);
  ref_free(&c);
  sol_free(&a);
  sol_free(&t);
  ent_trade_problem_destroy(p);
}

static void test_monotonicity(void **state) {
  (void)state;
  ent_trade_problem *p = load_case("case3_flows.csv", NULL);
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  const double betas[] = {0.0, -0.5, -1.5, -3.0, -6.0, -HUGE_VAL};
  double prev = 2.0, prev3 = 0.0;
  for (size_t k = 0; k < sizeof betas / sizeof betas[0]; k++) {
    double b[9];
    for (int i = 0; i < 9; i++) b[i] = 1.0;
    b[0 * 3 + 1] = b[1 * 3 + 0] = isinf(betas[k]) ? 0.0 : exp(betas[k]);
    sol s;
    assert_int_equal(solve_arrays(3, p->X, b, &o, NULL, &s), ENT_OK);
    assert_true(s.W[0] < prev || k == 0);
    assert_true(s.W[2] > prev3 || k == 0);
    prev = s.W[0];
    prev3 = s.W[2];
    sol_free(&s);
  }
  ent_trade_problem_destroy(p);
  /* C1 (beta -1.5) -> C3 (embargo): both sanctioning parties lose more. */
  ent_trade_problem *c1 = load_case("case4_flows.csv", "caseC_sanction_shock.csv");
  ent_trade_problem *c3 = load_case("case4_flows.csv", "caseC_embargo_shock.csv");
  sol a, b;
  assert_int_equal(solve_arrays(4, c1->X, c1->b, &o, NULL, &a), ENT_OK);
  assert_int_equal(solve_arrays(4, c3->X, c3->b, &o, NULL, &b), ENT_OK);
  assert_true(b.W[0] < a.W[0] && a.W[0] < 1.0); /* RUS */
  assert_true(b.W[2] < a.W[2] && a.W[2] < 1.0); /* WST */
  sol_free(&a);
  sol_free(&b);
  ent_trade_problem_destroy(c1);
  ent_trade_problem_destroy(c3);
}

/* ------------------------------------------------- solver paths */

static void test_nonconvergence_reported(void **state) {
  (void)state;
  ent_trade_problem *p = load_case("case4_flows.csv", "caseC_sanction_shock.csv");
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  o.max_iter = 3;
  o.newton = 0;
  sol s;
  assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &s), ENT_ENOCONV);
  assert_int_equal(s.info.fail, ENT_TRADE_FAIL_MAXIT);
  assert_int_equal(s.info.iterations, 3);
  assert_true(s.info.crit > o.tol && isfinite(s.info.crit));
  assert_true(s.info.residual > o.residual_tol && isfinite(s.info.residual));
  sol_free(&s);
  /* Public API: no result, a message with the counts. */
  ent_trade_result *r = (ent_trade_result *)&r;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_trade_solve(p, &o, &r, d), ENT_ENOCONV);
  assert_null(r);
  assert_int_equal(ent_diag_errors(d), 1);
  const ent_diag_item *it = ent_diag_get(d, 0);
  assert_non_null(strstr(it->msg, "did not converge"));
  assert_non_null(strstr(it->msg, "3 iterations"));
  ent_diag_destroy(d);
  /* A residual requirement that cannot be met is an error too. */
  ent_trade_opts_init(&o);
  o.tol = 1e-3;
  o.residual_tol = 1e-300;
  assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &s), ENT_ENOCONV);
  assert_int_equal(s.info.fail, ENT_TRADE_FAIL_RESIDUAL);
  sol_free(&s);
  ent_trade_problem_destroy(p);
}

/* A big-surplus country whose main market is cut: E' = w Y + D turns
 * negative before its market clears, so additive mode has no equilibrium;
 * in multiplicative mode it has one. */
static void test_infeasible(void **state) {
  (void)state;
  const double X[9] = {1.0, 100.0, 10.0, 1.0, 100.0, 1.0, 1.0, 1.0, 100.0};
  const double b[9] = {1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  sol s;
  assert_int_equal(solve_arrays(3, X, b, &o, NULL, &s), ENT_ENOCONV);
  assert_int_equal(s.info.fail, ENT_TRADE_FAIL_INFEASIBLE);
  assert_int_equal(s.info.where, 0);
  /* Every damping restart was tried (lambda 1, 1/2, 1/4, 1/8). */
  assert_int_equal(s.info.attempts, 1 + o.restarts);
  assert_rel(s.info.lambda, 0.125, 0.0);
  sol_free(&s);
  ent_trade_problem *p;
  const char *names[3] = {"SURPLUS", "BIG", "THIRD"};
  assert_int_equal(ent_trade_problem_create(3, names, X, b, &p), ENT_OK);
  ent_trade_result *r;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_trade_solve(p, &o, &r, d), ENT_ENOCONV);
  assert_non_null(strstr(ent_diag_get(d, 0)->msg, "'SURPLUS'"));
  assert_non_null(strstr(ent_diag_get(d, 0)->msg, "multiplicative"));
  ent_diag_destroy(d);
  o.deficit = ENT_TRADE_DEFICIT_MULTIPLICATIVE;
  assert_int_equal(ent_trade_solve(p, &o, &r, NULL), ENT_OK);
  assert_true(ent_trade_result_residual(r) < 1e-10);
  assert_true(ent_trade_result_value(r, 0, ENT_TRADE_W_HAT) < 0.5);
  ent_trade_result_destroy(r);
  ent_trade_problem_destroy(p);
  /* With no market left at all (two countries), no mode has an
   * equilibrium: w_1 / w_2 would have to grow without bound. */
  const double X2[4] = {1.0, 100.0, 1.0, 100.0};
  const double b2[4] = {1.0, 0.0, 1.0, 1.0};
  for (int mode = 0; mode < 2; mode++) {
    o.deficit = (ent_trade_deficit)mode;
    assert_int_equal(solve_arrays(2, X2, b2, &o, NULL, &s), ENT_ENOCONV);
    assert_int_not_equal(s.info.fail, ENT_TRADE_FAIL_NONE);
    sol_free(&s);
  }
}

static void test_invalid_arguments(void **state) {
  (void)state;
  ent_trade_problem *p = load_case("case4_flows.csv", NULL);
  double X[16], b[16];
  ent_trade_opts o, bad;
  ent_trade_opts_init(&o);
  sol s;
  const double thetas[] = {0.0, -4.0, NAN, HUGE_VAL};
  for (size_t k = 0; k < 4; k++) {
    bad = o;
    bad.theta = thetas[k];
    assert_int_equal(solve_arrays(4, p->X, NULL, &bad, NULL, &s), ENT_EINVAL);
    sol_free(&s);
  }
  bad = o, bad.tol = 0.0;
  assert_int_equal(solve_arrays(4, p->X, NULL, &bad, NULL, &s), ENT_EINVAL);
  sol_free(&s);
  bad = o, bad.lambda = 0.0;
  assert_int_equal(solve_arrays(4, p->X, NULL, &bad, NULL, &s), ENT_EINVAL);
  sol_free(&s);
  bad = o, bad.lambda = 1.5;
  assert_int_equal(solve_arrays(4, p->X, NULL, &bad, NULL, &s), ENT_EINVAL);
  sol_free(&s);
  bad = o, bad.max_iter = -1;
  assert_int_equal(solve_arrays(4, p->X, NULL, &bad, NULL, &s), ENT_EINVAL);
  sol_free(&s);
  struct {
    size_t k;
    double x, bv;
  } cases[] = {{5, 0.0, 1.0},  /* X_11 = 0 */
               {1, -1.0, 1.0}, /* negative flow */
               {2, NAN, 1.0},  {3, HUGE_VAL, 1.0},
               {1, 80.0, -0.5}, /* negative b */
               {1, 80.0, NAN},  {1, 80.0, HUGE_VAL}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    memcpy(X, p->X, sizeof X);
    for (size_t i = 0; i < 16; i++) b[i] = 1.0;
    X[cases[c].k] = cases[c].x;
    b[cases[c].k] = cases[c].bv;
    assert_int_equal(solve_arrays(4, X, b, &o, NULL, &s), ENT_EINVAL);
    assert_int_equal(s.info.fail, ENT_TRADE_FAIL_BADARG);
    sol_free(&s);
    ent_trade_problem *q = NULL;
    assert_int_equal(ent_trade_problem_create(4, NULL, X, b, &q), ENT_EINVAL);
    assert_null(q);
  }
  const char *dup[4] = {"A", "B", "A", "C"}, *empty[4] = {"A", "", "B", "C"};
  ent_trade_problem *q = NULL;
  assert_int_equal(ent_trade_problem_create(4, dup, p->X, NULL, &q), ENT_EINVAL);
  assert_int_equal(ent_trade_problem_create(4, empty, p->X, NULL, &q),
                   ENT_EINVAL);
  assert_null(q);
  /* warm start must be positive; n larger than the workspace. */
  double w0[4] = {1, 1, 0, 1};
  assert_int_equal(solve_arrays(4, p->X, NULL, &o, w0, &s), ENT_EINVAL);
  sol_free(&s);
  ent_trade_work *w = ent_trade_work_alloc(3);
  ent_trade_out out = {0};
  assert_int_equal(ent_trade_ge_solve(4, p->X, NULL, &o, NULL, w, &out, NULL),
                   ENT_EINVAL);
  assert_int_equal(ent_trade_work_size(w), 3);
  ent_trade_work_free(w);
  assert_null(ent_trade_work_alloc(0));
  ent_trade_problem_destroy(p);
}

/* Newton alone (no fixed-point iterations) and as the fallback after a
 * budget too small for the fixed point reproduce C1, C2 and C3. */
static void test_newton(void **state) {
  (void)state;
  const char *shocks[3] = {"caseC_sanction_shock.csv",
                           "caseC_sanction_shock.csv",
                           "caseC_embargo_shock.csv"};
  const char *exp_files[3] = {"gravity/caseC1_country_expected.csv",
                              "gravity/caseC2_country_expected.csv",
                              "gravity/caseC3_country_expected.csv"};
  const ent_trade_deficit modes[3] = {ENT_TRADE_DEFICIT_ADDITIVE,
                                      ENT_TRADE_DEFICIT_MULTIPLICATIVE,
                                      ENT_TRADE_DEFICIT_ADDITIVE};
  const int budgets[2] = {0, 5};
  for (int c = 0; c < 3; c++)
    for (int k = 0; k < 2; k++) {
      ent_trade_problem *p = load_case("case4_flows.csv", shocks[c]);
      ent_trade_opts o;
      ent_trade_opts_init(&o);
      o.deficit = modes[c];
      o.max_iter = budgets[k];
      sol s;
      assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &s), ENT_OK);
      assert_true(s.info.newton_iterations > 0);
      assert_true(s.info.newton_iterations < 20);
      assert_int_equal(s.info.fp_iterations, budgets[k]);
      assert_true(s.info.residual < 1e-12);
      ref_table t = ref_load(exp_files[c]);
      for (size_t i = 0; i < 4; i++) {
        assert_rel(s.w[i], ref_num(&t, i + 1, ref_col(&t, "w_hat")), 1e-12);
        assert_rel(s.W[i], ref_num(&t, i + 1, ref_col(&t, "welfare_hat")),
                   1e-12);
        assert_rel(s.omr[i], ref_num(&t, i + 1, ref_col(&t, "OMR_hat")),
                   1e-12);
      }
      ref_free(&t);
      sol_free(&s);
      ent_trade_problem_destroy(p);
    }
}

static void test_damping_and_warm_start(void **state) {
  (void)state;
  ent_trade_problem *p = load_case("case4_flows.csv", "caseC_sanction_shock.csv");
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  sol a, b, c;
  assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &a), ENT_OK);
  o.lambda = 0.5;
  assert_int_equal(solve_arrays(4, p->X, p->b, &o, NULL, &b), ENT_OK);
  assert_true(b.info.iterations > a.info.iterations);
  for (size_t i = 0; i < 4; i++) assert_rel(b.w[i], a.w[i], 1e-10);
  o.lambda = 1.0;
  assert_int_equal(solve_arrays(4, p->X, p->b, &o, a.w, &c), ENT_OK);
  assert_true(c.info.iterations <= 3);
  for (size_t i = 0; i < 4; i++) assert_rel(c.w[i], a.w[i], 1e-11);
  sol_free(&a);
  sol_free(&b);
  sol_free(&c);
  /* A workspace is reusable for smaller problems. */
  ent_trade_work *w = ent_trade_work_alloc(10);
  ent_trade_opts_init(&o);
  double wh[10];
  ent_trade_out out = {0};
  out.w_hat = wh;
  ent_trade_info info;
  assert_int_equal(ent_trade_ge_solve(4, p->X, p->b, &o, NULL, w, &out, &info),
                   ENT_OK);
  ent_trade_problem *q = load_case("case3_flows.csv", "caseB1_shock.csv");
  assert_int_equal(ent_trade_ge_solve(3, q->X, q->b, &o, NULL, w, &out, &info),
                   ENT_OK);
  assert_rel(wh[2], 1.006958927439940, 1e-9);
  ent_trade_work_free(w);
  ent_trade_problem_destroy(q);
  ent_trade_problem_destroy(p);
}

/* 200 countries, some zero flows, a coalition embargo: converges, adds up. */
static void test_large(void **state) {
  (void)state;
  const size_t n = 200;
  double *X = synthetic(n, 12345, 0.2);
  double *b = malloc(n * n * sizeof *b);
  for (size_t k = 0; k < n * n; k++) b[k] = 1.0;
  for (size_t s = 1; s < 40; s++) { /* 39 senders against country 0 */
    b[s * n + 0] = 0.0;
    b[0 * n + s] = exp(-1.5);
  }
  for (int mode = 0; mode < 2; mode++) {
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    o.deficit = (ent_trade_deficit)mode;
    sol s;
    assert_int_equal(solve_arrays(n, X, b, &o, NULL, &s), ENT_OK);
    assert_true(s.info.residual < 1e-10);
    assert_true(s.W[0] < 1.0);
    for (size_t i = 0; i < n; i++) assert_true(isfinite(s.W[i]));
    for (size_t k = 0; k < n * n; k++)
      if (b[k] == 0.0 || X[k] == 0.0) assert_true(s.Xn[k] == 0.0);
    sol_free(&s);
  }
  free(X);
  free(b);
}

static void test_conditional_ge(void **state) {
  (void)state;
  ent_trade_problem *p = load_case("case4_flows.csv", "caseC_embargo_shock.csv");
  double r[4], c[4], Xc[16], Y[4], E[4];
  int it;
  margins(4, p->X, Y, E);
  assert_int_equal(ent_trade_cge(4, p->X, p->b, 1e-12, 10000, r, c, Xc, &it),
                   ENT_OK);
  assert_rel(c[3], 1.0, 0.0);
  for (size_t i = 0; i < 4; i++) {
    double row = 0.0, col = 0.0;
    for (size_t j = 0; j < 4; j++) {
      row += Xc[i * 4 + j];
      col += Xc[j * 4 + i];
      assert_rel(Xc[i * 4 + j], r[i] * p->b[i * 4 + j] * p->X[i * 4 + j] * c[j],
                 1e-15);
    }
    assert_rel(row, Y[i], 1e-12);
    assert_rel(col, E[i], 1e-12);
  }
  assert_true(Xc[0 * 4 + 2] == 0.0 && Xc[2 * 4 + 0] == 0.0);
  /* No shock: the baseline itself. */
  assert_int_equal(ent_trade_cge(4, p->X, NULL, 1e-12, 10000, r, c, Xc, &it),
                   ENT_OK);
  for (size_t k = 0; k < 16; k++) assert_rel(Xc[k], p->X[k], 1e-12);
  /* Margins that the zero pattern cannot meet. */
  double X2[4] = {1, 5, 5, 1}, b2[4] = {0, 1, 1, 1};
  assert_int_equal(ent_trade_cge(2, X2, b2, 1e-12, 100, r, c, Xc, &it),
                   ENT_ENOCONV);
  double X4[4] = {0, 5, 5, 1};
  assert_int_equal(ent_trade_cge(2, X4, NULL, 1e-12, 100, r, c, Xc, &it),
                   ENT_EINVAL);
  double b3[4] = {1, 0, 1, 1};
  double X3[4] = {1, 5, 1, 1}; /* row 0 needs 6 but can only sell 1 at home */
  assert_int_equal(ent_trade_cge(2, X3, b3, 1e-12, 200, r, c, Xc, &it),
                   ENT_ENOCONV);
  ent_trade_problem_destroy(p);
}

static void test_conversions(void **state) {
  (void)state;
  assert_near(ent_trade_tariff_equivalent(-1.5, 4.0), 0.4550, 5e-5);
  assert_rel(ent_trade_tariff_equivalent(-1.5, 4.0), exp(1.5 / 4.0) - 1.0,
             1e-15);
  assert_rel(ent_trade_b_from_tariff(0.0, 0.1, 4.0), pow(1.1, -4.0), 1e-15);
  assert_rel(ent_trade_b_from_tariff(0.1, 0.1, 4.0), 1.0, 0.0);
  assert_rel(ent_trade_b_partial_coverage(0.25, -1.6),
             0.75 + 0.25 * exp(-1.6), 1e-15);
  assert_rel(ent_trade_b_partial_coverage(1.0, -1.6), exp(-1.6), 1e-15);
}

/* ------------------------------------------------- the loader */

typedef struct bad_input {
  const char *what;
  const char *flows, *shock; /* shock NULL: none */
  const char *file;          /* where the problem is reported */
  int line, col;
  const char *msg;           /* substring */
} bad_input;

#define FLOWS_OK "exporter,importer,flow\nA,A,50\nA,B,7\nB,A,3\nB,B,90\n"

static const bad_input BAD[] = {
    {"non-square", "exporter,importer,flow\nA,A,50\nA,B,7\nB,B,90\n", NULL,
     "f.csv", 4, 1, "flow 'B' -> 'A' is missing"},
    {"importer only", "exporter,importer,flow\nA,A,50\nA,B,7\n", NULL,
     "f.csv", 3, 3, "flow 'B' -> 'A' is missing"},
    {"negative flow", "exporter,importer,flow\nA,A,50\nA,B,-7\nB,A,3\nB,B,90\n",
     NULL, "f.csv", 3, 5, "flow -7 from 'A' to 'B' is negative"},
    {"trimmed names", "exporter,importer,flow\n A ,A,50\n A ,B,-7\nB,A,3\nB,B,90\n",
     NULL, "f.csv", 3, 7, "flow -7 from 'A' to 'B' is negative"},
    {"zero domestic", "exporter,importer,flow\nA,A,0\nA,B,7\nB,A,3\nB,B,90\n",
     NULL, "f.csv", 2, 5, "domestic flow of 'A' is 0"},
    {"duplicate flow",
     "exporter,importer,flow\nA,A,50\nA,B,7\nB,A,3\nB,B,90\nA,B,8\n", NULL,
     "f.csv", 6, 1, "duplicate flow 'A' -> 'B' (first given on line 3)"},
    {"not a number", "exporter,importer,flow\nA,A,50\nA,B,seven\nB,A,3\nB,B,90\n",
     NULL, "f.csv", 3, 5, "not a number"},
    {"nan", "exporter,importer,flow\nA,A,50\nA,B,NaN\nB,A,3\nB,B,90\n", NULL,
     "f.csv", 3, 5, "finite number, not 'NaN'"},
    {"inf", "exporter,importer,flow\nA,A,50\nA,B,7\nB,A,inf\nB,B,90\n", NULL,
     "f.csv", 4, 5, "finite number, not 'inf'"},
    {"overflow", "exporter,importer,flow\nA,A,1e999\nA,B,7\nB,A,3\nB,B,90\n",
     NULL, "f.csv", 2, 5, "too large"},
    {"sum overflow",
     "exporter,importer,flow\nA,A,1e308\nA,B,1e308\nB,A,3\nB,B,90\n", NULL,
     "f.csv", 2, 1, "'A' are too large"},
    {"empty flow value", "exporter,importer,flow\nA,A,50\nA,B,\nB,A,3\nB,B,90\n",
     NULL, "f.csv", 3, 5, "empty value"},
    {"empty file", "", NULL, "f.csv", 1, 1, "empty file"},
    {"blank file", "\n  \n\n", NULL, "f.csv", 1, 1, "empty file"},
    {"header only", "exporter,importer,flow\n", NULL, "f.csv", 1, 1,
     "no flows"},
    {"binary", "exporter,importer,flow\nA,A,5\0\x01\x02\n", NULL, "f.csv", 2, 6,
     "NUL byte"},
    {"control characters", "exporter,importer,flow\nA\x01,A,5\n", NULL, "f.csv",
     2, 1, "control characters"},
    {"wrong header", "from,importer,flow\nA,A,50\n", NULL, "f.csv", 1, 1,
     "unknown column 'from'"},
    {"missing column", "exporter,importer\nA,A\n", NULL, "f.csv", 1, 1,
     "missing column 'flow'"},
    {"repeated column", "exporter,importer,flow,flow\n", NULL, "f.csv", 1, 24,
     "appears twice"},
    {"field count", "exporter,importer,flow\nA,A,50,9\nA,B,7\nB,A,3\nB,B,90\n",
     NULL, "f.csv", 2, 8, "row has 4 fields, the header has 3"},
    {"short row", "exporter,importer,flow\nA,A\nA,B,7\nB,A,3\nB,B,90\n", NULL,
     "f.csv", 2, 3, "row has 2 fields"},
    {"empty name", "exporter,importer,flow\n ,A,50\n", NULL, "f.csv", 2, 1,
     "empty exporter name"},
    {"one country", "exporter,importer,flow\nA,A,50\n", NULL, "f.csv", 1, 1,
     "only one country"},
    {"unterminated quote", "exporter,importer,flow\n\"A,A,50\n", NULL, "f.csv",
     2, 1, "unterminated"},
    {"unknown country in shock", FLOWS_OK,
     "exporter,importer,beta\nA,B,-1\nA,Z,-1\n", "s.csv", 3, 3,
     "unknown country 'Z'"},
    {"duplicate shock", FLOWS_OK, "exporter,importer,beta\nA,B,-1\nA,B,-2\n",
     "s.csv", 3, 1, "duplicate shock 'A' -> 'B' (first given on line 2)"},
    {"domestic shock", FLOWS_OK, "exporter,importer,beta\nA,A,-1\n", "s.csv", 2,
     1, "domestic pair 'A' -> 'A'"},
    {"beta nan", FLOWS_OK, "exporter,importer,beta\nA,B,nan\n", "s.csv", 2, 5,
     "beta must be a finite number, '-inf' or 'embargo', not 'nan'"},
    {"beta +inf", FLOWS_OK, "exporter,importer,beta\nA,B,+inf\n", "s.csv", 2, 5,
     "not '+inf'"},
    {"beta overflow", FLOWS_OK, "exporter,importer,beta\nA,B,800\n", "s.csv", 2,
     5, "exp(beta) overflows"},
    {"beta text", FLOWS_OK, "exporter,importer,beta\nA,B,ban\n", "s.csv", 2, 5,
     "beta 'ban': not a number"},
    {"shock header", FLOWS_OK, "exporter,importer,flow\nA,B,-1\n", "s.csv", 1,
     19, "unknown column 'flow'"},
    {"empty shock file", FLOWS_OK, "", "s.csv", 1, 1, "empty file"},
    {"binary shock", FLOWS_OK, "\x7f" "ELF\x02\x01\x01\0\0\0", "s.csv", 1, 8,
     "NUL byte"},
};

static const ent_diag_item *find_item(const ent_diag *d, const char *file,
                                      int line, int col, const char *msg) {
  for (size_t i = 0; i < ent_diag_count(d); i++) {
    const ent_diag_item *it = ent_diag_get(d, i);
    if (it->line == line && it->col == col && it->file &&
        !strcmp(it->file, file) && strstr(it->msg, msg))
      return it;
  }
  return NULL;
}

static size_t text_len(const char *flows_or_shock, const bad_input *b,
                       int is_shock) {
  /* Inputs with a NUL byte: the length runs to the last non-NUL byte plus
   * the embedded NULs (the literals end in a known way). */
  if (!strcmp(b->what, "binary") && !is_shock)
    return strlen(flows_or_shock) + 4;
  if (!strcmp(b->what, "binary shock") && is_shock) return 10;
  return strlen(flows_or_shock);
}

static void test_bad_inputs(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof BAD / sizeof BAD[0]; k++) {
    const bad_input *b = &BAD[k];
    ent_diag *d = ent_diag_create();
    ent_trade_problem *p = (ent_trade_problem *)&p;
    ent_status st = ent_trade_problem_load_buffers(
        "f.csv", b->flows, text_len(b->flows, b, 0), "s.csv", b->shock,
        b->shock ? text_len(b->shock, b, 1) : 0, &p, d);
    if (st != ENT_EINPUT || p != NULL || !find_item(d, b->file, b->line,
                                                     b->col, b->msg)) {
      ent_diag_print(d, stderr);
      fail_msg("case '%s': status %s, expected %s:%d:%d: ...%s...", b->what,
               ent_status_str(st), b->file, b->line, b->col, b->msg);
    }
    ent_diag_destroy(d);
  }
}

/* Several problems are reported in one pass. */
static void test_all_problems_reported(void **state) {
  (void)state;
  const char *flows = "exporter,importer,flow\nA,A,0\nA,B,-1\nB,A,x\nB,B,2\n";
  const char *shock = "exporter,importer,beta\nA,Q,-1\nB,A,nan\nA,A,1\n";
  ent_diag *d = ent_diag_create();
  ent_trade_problem *p;
  assert_int_equal(ent_trade_problem_load_buffers("f.csv", flows, strlen(flows),
                                                  "s.csv", shock, strlen(shock),
                                                  &p, d),
                   ENT_EINPUT);
  assert_int_equal(ent_diag_errors(d), 6);
  assert_non_null(find_item(d, "f.csv", 2, 5, "domestic flow of 'A' is 0"));
  assert_non_null(find_item(d, "f.csv", 3, 5, "negative"));
  assert_non_null(find_item(d, "f.csv", 4, 5, "not a number"));
  assert_non_null(find_item(d, "s.csv", 2, 3, "unknown country 'Q'"));
  assert_non_null(find_item(d, "s.csv", 3, 5, "finite"));
  assert_non_null(find_item(d, "s.csv", 4, 1, "domestic pair"));
  ent_diag_destroy(d);
}

static void test_good_inputs(void **state) {
  (void)state;
  /* BOM, CRLF, comments, blank lines, quotes, spaces, any column order,
   * header case, 'embargo' and '-inf' spellings: all the same problem. */
  const char *plain = "exporter,importer,flow\nA,A,50\nA,B,7\nB,A,3\nB,B,90\n";
  const char *fancy = "\xEF\xBB\xBF# flows\r\nFlow, Exporter ,importer\r\n"
                      "\r\n50,\"A\",A\r\n7, A ,B\r\n3,B,\"A\"\r\n90,B,B";
  const char *shocks[] = {"exporter,importer,beta\nA,B,embargo\nB,A,-0.5\n",
                          "exporter,importer,beta\r\nA,B,-inf\r\nB,A,-5e-1\r\n",
                          "beta,importer,exporter\n-Infinity,B,A\n-0.5,A,B\n",
                          "exporter,importer,beta\nA,B,EMBARGO\nB,A,-.5\n"};
  ent_diag *d = ent_diag_create();
  ent_trade_problem *ref = NULL;
  assert_int_equal(ent_trade_problem_load_buffers("p", plain, strlen(plain),
                                                  "s", shocks[0],
                                                  strlen(shocks[0]), &ref, d),
                   ENT_OK);
  assert_int_equal(ref->n, 2);
  assert_true(ref->b[1] == 0.0 && ref->beta[1] == -HUGE_VAL);
  assert_rel(ref->b[2], exp(-0.5), 1e-16);
  for (size_t k = 0; k < 4; k++) {
    ent_trade_problem *p = NULL;
    assert_int_equal(ent_trade_problem_load_buffers("f", fancy, strlen(fancy),
                                                    "s", shocks[k],
                                                    strlen(shocks[k]), &p, d),
                     ENT_OK);
    assert_int_equal(p->n, 2);
    assert_string_equal(p->names[0], "A");
    assert_string_equal(p->names[1], "B");
    for (size_t i = 0; i < 4; i++) {
      assert_true(p->X[i] == ref->X[i]);
      assert_true(p->b[i] == ref->b[i]);
    }
    ent_trade_problem_destroy(p);
  }
  assert_int_equal(ent_diag_count(d), 0);
  /* Names with commas and quotes survive; zero flows are allowed off the
   * diagonal; a shock on a zero flow is only a warning. */
  const char *q = "exporter,importer,flow\n\"Korea, Rep.\",\"Korea, Rep.\",9\n"
                  "\"Korea, Rep.\",\"say \"\"hi\"\"\",0\n"
                  "\"say \"\"hi\"\"\",\"Korea, Rep.\",2\n"
                  "\"say \"\"hi\"\"\",\"say \"\"hi\"\"\",4\n";
  const char *qs = "exporter,importer,beta\n\"Korea, Rep.\",\"say \"\"hi\"\"\",-1\n";
  ent_trade_problem *p = NULL;
  assert_int_equal(ent_trade_problem_load_buffers("q", q, strlen(q), "qs", qs,
                                                  strlen(qs), &p, d),
                   ENT_OK);
  assert_string_equal(p->names[0], "Korea, Rep.");
  assert_string_equal(p->names[1], "say \"hi\"");
  assert_int_equal(ent_diag_errors(d), 0);
  assert_int_equal(ent_diag_count(d), 1);
  assert_non_null(strstr(ent_diag_get(d, 0)->msg, "no effect"));
  assert_int_equal(ent_diag_get(d, 0)->severity, ENT_SEV_WARNING);
  ent_trade_result *r;
  assert_int_equal(ent_trade_solve(p, NULL, &r, d), ENT_OK);
  assert_true(ent_trade_result_flow(r, 0, 1) == 0.0);
  /* CSV output quotes such names. */
  FILE *fp = tmpfile();
  assert_int_equal(ent_trade_result_write(r, ENT_FORMAT_CSV, fp), ENT_OK);
  rewind(fp);
  char buf[4096];
  size_t len = fread(buf, 1, sizeof buf - 1, fp);
  buf[len] = '\0';
  fclose(fp);
  assert_non_null(strstr(buf, "\"Korea, Rep.\",\"Korea, Rep.\",9,1,"));
  /* The zero baseline flow: flow_new 0 and an empty flow_hat. */
  const char *zl = strstr(buf, "\"Korea, Rep.\",\"say \"\"hi\"\"\",0,");
  assert_non_null(zl);
  const char *nl = strchr(zl, '\n');
  assert_non_null(nl);
  assert_memory_equal(nl - 3, ",0,", 3);
  ent_trade_result_destroy(r);
  ent_trade_problem_destroy(p);
  ent_trade_problem_destroy(ref);
  ent_diag_destroy(d);
}

/* Every prefix of a valid file either loads or is reported: no crash. */
static void test_truncations(void **state) {
  (void)state;
  char path[1024];
  data_path(path, sizeof path, "case4_flows.csv");
  char *text;
  size_t len;
  const char *why;
  assert_int_equal(ent_read_file(path, 1 << 20, &text, &len, &why), ENT_OK);
  int ok = 0;
  for (size_t k = 0; k <= len; k++) {
    ent_diag *d = ent_diag_create();
    ent_trade_problem *p = NULL;
    ent_status st =
        ent_trade_problem_load_buffers("t", text, k, NULL, NULL, 0, &p, d);
    assert_true(st == ENT_OK || st == ENT_EINPUT);
    assert_true((st == ENT_OK) == (p != NULL));
    assert_true(st == ENT_OK || ent_diag_errors(d) > 0);
    ok += st == ENT_OK;
    ent_trade_problem_destroy(p);
    ent_diag_destroy(d);
  }
  assert_true(ok >= 1);
  /* Byte flips: still no crash. */
  uint64_t s = 99;
  for (int k = 0; k < 2000; k++) {
    char *c = malloc(len + 1);
    memcpy(c, text, len + 1);
    for (int f = 0; f < 3; f++) c[splitmix(&s) % len] = (char)(splitmix(&s) & 0xff);
    ent_diag *d = ent_diag_create();
    ent_trade_problem *p = NULL;
    ent_status st = ent_trade_problem_load_buffers("t", c, len, NULL, NULL, 0, &p, d);
    assert_true(st == ENT_OK || st == ENT_EINPUT);
    if (st == ENT_OK) {
      ent_trade_result *r = NULL;
      st = ent_trade_solve(p, NULL, &r, d);
      assert_true(st == ENT_OK || st == ENT_ENOCONV);
      ent_trade_result_destroy(r);
    }
    ent_trade_problem_destroy(p);
    ent_diag_destroy(d);
    free(c);
  }
  free(text);
}

static void test_missing_file(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  ent_trade_problem *p = NULL;
  assert_int_equal(ent_trade_problem_load_files("/nonexistent/flows.csv", NULL,
                                                &p, d),
                   ENT_EIO);
  assert_null(p);
  assert_non_null(strstr(ent_diag_get(d, 0)->msg, "cannot read flows file"));
  ent_diag_destroy(d);
}

/* ------------------------------------------------- output */

static char *write_to_string(const ent_trade_result *r, ent_format f) {
  FILE *fp = tmpfile();
  assert_non_null(fp);
  assert_int_equal(ent_trade_result_write(r, f, fp), ENT_OK);
  long len = ftell(fp);
  rewind(fp);
  char *buf = malloc((size_t)len + 1);
  assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
  buf[len] = '\0';
  fclose(fp);
  return buf;
}

static void test_output_round_trip(void **state) {
  (void)state;
  ent_trade_problem *p = load_case("case4_flows.csv", "caseC_embargo_shock.csv");
  ent_trade_result *r;
  assert_int_equal(ent_trade_solve(p, NULL, &r, NULL), ENT_OK);
  size_t n = ent_trade_result_size(r);
  static const char *keys[] = {"w_hat",         "E_hat",   "P_hat",
                               "welfare_hat",   "real_wage_hat", "OMR_hat",
                               "pi_own_new"};
  /* JSON: every number reads back exactly. */
  char *js = write_to_string(r, ENT_FORMAT_JSON);
  cJSON *root = cJSON_Parse(js);
  assert_non_null(root);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "converged")));
  assert_int_equal(
      cJSON_GetObjectItemCaseSensitive(root, "iterations")->valuedouble,
      ent_trade_result_iterations(r));
  assert_true(cJSON_GetObjectItemCaseSensitive(root, "residual")->valuedouble ==
              ent_trade_result_residual(r));
  cJSON *cs = cJSON_GetObjectItemCaseSensitive(root, "countries");
  assert_int_equal(cJSON_GetArraySize(cs), n);
  for (size_t i = 0; i < n; i++) {
    cJSON *c = cJSON_GetArrayItem(cs, (int)i);
    assert_int_equal(cJSON_GetArraySize(c), 11);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(c, "country")->valuestring,
                        ent_trade_result_country(r, i));
    for (int k = 0; k < 7; k++)
      assert_true(cJSON_GetObjectItemCaseSensitive(c, keys[k])->valuedouble ==
                  ent_trade_result_value(r, i, (ent_trade_field)k));
  }
  cJSON *fs = cJSON_GetObjectItemCaseSensitive(root, "flows");
  assert_int_equal(cJSON_GetArraySize(fs), n * n);
  for (size_t k = 0; k < n * n; k++) {
    cJSON *f = cJSON_GetArrayItem(fs, (int)k);
    assert_int_equal(cJSON_GetArraySize(f), 6);
    assert_true(cJSON_GetObjectItemCaseSensitive(f, "flow_new")->valuedouble ==
                ent_trade_result_flow(r, k / n, k % n));
    assert_true(cJSON_GetObjectItemCaseSensitive(f, "b")->valuedouble ==
                p->b[k]);
  }
  cJSON_Delete(root);
  /* CSV: two tables, numbers exact. */
  char *csv = write_to_string(r, ENT_FORMAT_CSV);
  ent_csv *c;
  ent_diag *d = ent_diag_create();
  assert_int_equal(ent_csv_parse("out", csv, strlen(csv), 0, &c, d), ENT_OK);
  assert_int_equal(c->n_rows, 1 + n + 1 + n * n);
  assert_string_equal(c->rows[0].fields[0].text, "country");
  assert_int_equal(c->rows[0].n, 11);
  assert_string_equal(c->rows[n + 1].fields[0].text, "exporter");
  assert_int_equal(c->rows[n + 1].n, 6);
  for (size_t i = 0; i < n; i++)
    for (int k = 0; k < 7; k++)
      assert_true(strtod(c->rows[1 + i].fields[4 + k].text, NULL) ==
                  ent_trade_result_value(r, i, (ent_trade_field)k));
  for (size_t k = 0; k < n * n; k++)
    assert_true(strtod(c->rows[n + 2 + k].fields[4].text, NULL) ==
                ent_trade_result_flow(r, k / n, k % n));
  ent_csv_free(c);
  /* Determinism: a second solve writes the same bytes. */
  ent_trade_result *r2;
  assert_int_equal(ent_trade_solve(p, NULL, &r2, NULL), ENT_OK);
  char *csv2 = write_to_string(r2, ENT_FORMAT_CSV);
  assert_string_equal(csv, csv2);
  /* A failing stream is reported. */
  FILE *full = fopen("/dev/full", "w");
  if (full) {
    assert_int_equal(ent_trade_result_write(r2, ENT_FORMAT_CSV, full), ENT_EIO);
    fclose(full);
  }
  assert_int_equal(ent_trade_result_write(r2, (ent_format)7, stdout),
                   ENT_EINVAL);
  char *txt = write_to_string(r2, ENT_FORMAT_TEXT);
  assert_non_null(strstr(txt, "welfare %"));
  free(txt);
  free(csv2);
  free(csv);
  free(js);
  ent_diag_destroy(d);
  ent_trade_result_destroy(r);
  ent_trade_result_destroy(r2);
  ent_trade_problem_destroy(p);
}

#ifdef ENT_FAULT_INJECTION
/* Every allocation failure is reported as ENT_ENOMEM, never a crash. */
static void test_out_of_memory(void **state) {
  (void)state;
  const char *flows = FLOWS_OK;
  const char *shock = "exporter,importer,beta\nA,B,-1\n";
  int ok = 0, nomem = 0;
  for (long k = 0; k < 200; k++) {
    ent_diag *d = ent_diag_create();
    ent_trade_problem *p = NULL;
    ent_trade_result *r = NULL;
    ent_fault_fail_after(k);
    ent_status st = ent_trade_problem_load_buffers(
        "f", flows, strlen(flows), "s", shock, strlen(shock), &p, d);
    if (st == ENT_OK) st = ent_trade_solve(p, NULL, &r, NULL);
    ent_fault_fail_after(-1);
    assert_true(st == ENT_OK || st == ENT_ENOMEM);
    ok += st == ENT_OK;
    nomem += st == ENT_ENOMEM;
    ent_trade_result_destroy(r);
    ent_trade_problem_destroy(p);
    ent_diag_destroy(d);
  }
  assert_true(ok > 0 && nomem > 0);
}
#endif

/* Nested CES (trade_nested.c): with theta_f == theta it is the one-sector
 * model, so it must reproduce the one-sector solution of every reference
 * case; with theta_f > theta foreign suppliers substitute for each other
 * more than for home goods, so a Western cut of trade with Russia shifts
 * more of Russia's imports to China (gravity.md section 8). */
static void test_nested_ces(void **state) {
  (void)state;
  ent_trade_nested_work *nw = ent_trade_nested_work_alloc(8);
  assert_non_null(nw);
  for (size_t c = 0; c < sizeof ALL_CASES / sizeof ALL_CASES[0]; c++) {
    ent_trade_problem *p = load_case(ALL_CASES[c].flows, ALL_CASES[c].shock);
    size_t n = p->n;
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    o.deficit = ALL_CASES[c].mode;
    o.tol = 1e-14;
    sol s;
    assert_int_equal(solve_arrays(n, p->X, p->b, &o, NULL, &s), ENT_OK);
    double Xn[64], w[8], W[8];
    ent_trade_info info;
    assert_int_equal(ent_trade_nested_solve(n, p->X, p->b, o.theta, o.theta, &o,
                                            nw, Xn, w, W, &info), ENT_OK);
    assert_true(info.residual <= 1e-9);
    for (size_t i = 0; i < n; i++) {
      assert_rel(w[i], s.w[i], 1e-9);
      assert_rel(W[i], s.W[i], 1e-9);
      for (size_t j = 0; j < n; j++)
        if (s.Xn[i * n + j] > 0.0) assert_rel(Xn[i * n + j], s.Xn[i * n + j], 1e-8);
        else assert_true(Xn[i * n + j] == 0.0);
    }
    sol_free(&s);
    ent_trade_problem_destroy(p);
  }
  /* C1 (two-way sanctions RUS<->WST) and C4 (Western export ban): the
   * change of China's exports to Russia rises with theta_f. */
  const char *shocks[2] = {"caseC_sanction_shock.csv", "caseC_exportban_shock.csv"};
  for (int k = 0; k < 2; k++) {
    ent_trade_problem *p = load_case("case4_flows.csv", shocks[k]);
    size_t n = p->n, rus = n, chn = n;
    for (size_t i = 0; i < n; i++) {
      if (!strcmp(p->names[i], "RUS")) rus = i;
      if (!strcmp(p->names[i], "CHN")) chn = i;
    }
    assert_true(rus < n && chn < n);
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    double prev = 0.0;
    for (int q = 0; q < 3; q++) {
      double thf = 4.0 + 2.385 * q, Xn[64];
      ent_trade_info info;
      assert_int_equal(ent_trade_nested_solve(n, p->X, p->b, 4.0, thf, &o, nw,
                                              Xn, NULL, NULL, &info), ENT_OK);
      double hat = Xn[chn * n + rus] / p->X[chn * n + rus];
      if (q > 0) assert_true(hat > prev);
      prev = hat;
    }
    if (k == 0) assert_true(prev > 1.0); /* a rise, where one sector gives -16% */
    ent_trade_problem_destroy(p);
  }
  ent_trade_nested_work_free(nw);
}

/* Nested CES by Newton (ent_trade_nested_solve_newton).  With theta_f ==
 * theta it is the one-sector model: the published reference values of
 * every case, cold and from a start 10 % off, by Newton alone (no
 * fixed-point iteration, a handful of steps -- a wrong Jacobian would
 * need many or fall back).  With theta_f = 8 it agrees with the fixed
 * point solved at tol 1e-14 to 1e-10; with o.newton = 0 it is the fixed
 * point bit for bit. */
static void test_nested_newton(void **state) {
  (void)state;
  ent_trade_nested_work *nw = ent_trade_nested_work_alloc(8);
  assert_non_null(nw);
  for (size_t c = 0; c < sizeof ALL_CASES / sizeof ALL_CASES[0]; c++) {
    ent_trade_problem *p = load_case(ALL_CASES[c].flows, ALL_CASES[c].shock);
    size_t n = p->n;
    assert_true(n <= 8);
    ent_trade_opts o;
    ent_trade_opts_init(&o);
    o.deficit = ALL_CASES[c].mode;
    o.tol = 1e-14;
    sol s;
    assert_int_equal(solve_arrays(n, p->X, p->b, &o, NULL, &s), ENT_OK);
    ent_trade_opts_init(&o);
    o.deficit = ALL_CASES[c].mode;
    double w0[8];
    for (size_t i = 0; i < n; i++) w0[i] = 1.0 + 0.1 * (i % 2 ? 1.0 : -1.0);
    for (int warm = 0; warm < 2; warm++) {
      double Xn[64], w[8], W[8];
      ent_trade_info info;
      assert_int_equal(ent_trade_nested_solve_newton(
                           n, p->X, p->b, o.theta, o.theta, &o, warm ? w0 : NULL,
                           nw, Xn, w, W, &info),
                       ENT_OK);
      assert_int_equal(info.fp_iterations, 0);
      assert_true(info.newton_iterations <= 8);
      if (warm) assert_true(info.newton_iterations >= 2);
      assert_true(info.residual <= 1e-9);
      for (size_t i = 0; i < n; i++) {
        assert_rel(w[i], s.w[i], 1e-9);
        assert_rel(W[i], s.W[i], 1e-9);
        for (size_t j = 0; j < n; j++)
          if (s.Xn[i * n + j] > 0.0)
            assert_rel(Xn[i * n + j], s.Xn[i * n + j], 1e-8);
          else
            assert_true(Xn[i * n + j] == 0.0);
      }
    }
    sol_free(&s);
    /* theta_f = 8: Newton against the fixed point at tol 1e-14 */
    double Xf[64], wf[8], Wf[8], Xn[64], w[8], W[8];
    ent_trade_info fi, ni;
    o.tol = 1e-14;
    assert_int_equal(ent_trade_nested_solve(n, p->X, p->b, 4.0, 8.0, &o, nw, Xf,
                                            wf, Wf, &fi),
                     ENT_OK);
    o.tol = 1e-12;
    assert_int_equal(ent_trade_nested_solve_newton(n, p->X, p->b, 4.0, 8.0, &o,
                                                   w0, nw, Xn, w, W, &ni),
                     ENT_OK);
    assert_int_equal(ni.fp_iterations, 0);
    assert_true(ni.newton_iterations <= 8);
    for (size_t i = 0; i < n; i++) {
      assert_rel(w[i], wf[i], 1e-10);
      assert_rel(W[i], Wf[i], 1e-10);
      for (size_t j = 0; j < n; j++)
        if (Xf[i * n + j] > 0.0) assert_rel(Xn[i * n + j], Xf[i * n + j], 1e-10);
        else assert_true(Xn[i * n + j] == 0.0);
    }
    /* without Newton: the fixed point itself, bit for bit */
    o.newton = 0;
    assert_int_equal(ent_trade_nested_solve(n, p->X, p->b, 4.0, 8.0, &o, nw, Xf,
                                            wf, Wf, &fi),
                     ENT_OK);
    assert_int_equal(ent_trade_nested_solve_newton(n, p->X, p->b, 4.0, 8.0, &o,
                                                   w0, nw, Xn, w, W, &ni),
                     ENT_OK);
    assert_int_equal(ni.newton_iterations, 0);
    assert_int_equal(ni.fp_iterations, fi.fp_iterations);
    assert_memory_equal(Xn, Xf, n * n * sizeof(double));
    assert_memory_equal(w, wf, n * sizeof(double));
    assert_memory_equal(W, Wf, n * sizeof(double));
    /* a bad start is refused */
    w0[0] = -1.0;
    assert_int_equal(ent_trade_nested_solve_newton(n, p->X, p->b, 4.0, 8.0, &o,
                                                   w0, nw, Xn, w, W, &ni),
                     ENT_EINVAL);
    ent_trade_problem_destroy(p);
  }
  ent_trade_nested_work_free(nw);
}

/* The published one-sector cases with a reference solution (flows,
 * shock, deficit mode, expected countries and flows); NEWTON_CASES[0]
 * (case A) is the one newton_predict's comparison leaves out. */
static const struct {
  const char *flows, *shock;
  ent_trade_deficit mode;
  const char *c, *f;
} NEWTON_CASES[] = {
    {"case3_flows.csv", "caseA_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE,
     "caseA_country_expected.csv", "caseA_flows_expected.csv"},
    {"case3_flows.csv", "caseB1_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE,
     "caseB1_country_expected.csv", "caseB1_flows_expected.csv"},
    {"case3_flows.csv", "caseB2_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE,
     "caseB2_country_expected.csv", "caseB2_flows_expected.csv"},
    {"case4_flows.csv", "caseC_sanction_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE,
     "caseC1_country_expected.csv", "caseC1_flows_expected.csv"},
    {"case4_flows.csv", "caseC_sanction_shock.csv",
     ENT_TRADE_DEFICIT_MULTIPLICATIVE, "caseC2_country_expected.csv",
     "caseC2_flows_expected.csv"},
    {"case4_flows.csv", "caseC_embargo_shock.csv", ENT_TRADE_DEFICIT_ADDITIVE,
     "caseC3_country_expected.csv", "caseC3_flows_expected.csv"},
    {"case4_flows.csv", "caseC_exportban_shock.csv",
     ENT_TRADE_DEFICIT_ADDITIVE, "caseC4_country_expected.csv",
     "caseC4_flows_expected.csv"},
};

/* newton_predict: Newton stops once the error predicted from the
 * quadratic rate (s_k^3 / s_(k-1)^2) is below tol / 100.  With tol 1e-9
 * (the vulnerability solves') every reference case, cold and from a
 * start 10 % off, still gives the published reference values to 1e-9
 * (flows 1e-8), never in more Newton steps than without the rule (at
 * the same tol) and in fewer over all cases. */
static void test_newton_predict(void **state) {
  (void)state;
  const size_t nc = sizeof NEWTON_CASES / sizeof NEWTON_CASES[0];
  int with = 0, without = 0;
  for (size_t k = 1; k < nc; k++) {
    int a = newton_case_p(NEWTON_CASES[k].flows, NEWTON_CASES[k].shock, NEWTON_CASES[k].mode,
                          NEWTON_CASES[k].c, NEWTON_CASES[k].f, 1);
    ent_trade_problem *p = load_case(NEWTON_CASES[k].flows, NEWTON_CASES[k].shock);
    size_t n = p->n;
    ent_trade_work *w = ent_trade_work_alloc(n);
    assert_non_null(w);
    double w0[16];
    assert_true(n <= 16);
    for (size_t i = 0; i < n; i++) w0[i] = 1.0 + 0.1 * (i % 2 ? 1.0 : -1.0);
    int b = 0;
    for (int warm = 0; warm < 2; warm++) {
      ent_trade_opts o;
      ent_trade_opts_init(&o);
      o.deficit = NEWTON_CASES[k].mode;
      o.tol = 1e-9;
      ent_trade_info info;
      ent_trade_out out = {0};
      assert_int_equal(ent_trade_ge_solve_newton(n, p->X, p->b, &o,
                                                 warm ? w0 : NULL, w, &out,
                                                 &info),
                       ENT_OK);
      b += info.newton_iterations;
    }
    assert_true(a <= b);
    with += a;
    without += b;
    ent_trade_work_free(w);
    ent_trade_problem_destroy(p);
  }
  assert_true(with < without);
}

/* Chord steps (newton_chord, the simulator's vulnerability solves): every
 * reference case to the published values (newton_case_p), within 1e-11 of
 * a fixed-point solve at 1e-14 from cold and from start points 10 % and
 * 0.1 % off, with chord steps replacing Newton steps. */
static void test_newton_chord(void **state) {
  (void)state;
  int chords = 0, newton_with = 0, newton_without = 0;
  double worst = 0.0;
  for (size_t k = 0; k < sizeof NEWTON_CASES / sizeof NEWTON_CASES[0]; k++) {
    newton_case_p(NEWTON_CASES[k].flows, NEWTON_CASES[k].shock, NEWTON_CASES[k].mode, NEWTON_CASES[k].c,
                  NEWTON_CASES[k].f, 2);
    ent_trade_problem *p = load_case(NEWTON_CASES[k].flows, NEWTON_CASES[k].shock);
    size_t n = p->n;
    assert_true(n <= 16);
    ent_trade_work *w = ent_trade_work_alloc(n);
    assert_non_null(w);
    ent_trade_opts tight;
    ent_trade_opts_init(&tight);
    tight.deficit = NEWTON_CASES[k].mode;
    tight.tol = 1e-14;
    double wt[16], Wt[16];
    ent_trade_out ot = {0};
    ot.w_hat = wt;
    ot.welfare = Wt;
    assert_int_equal(ent_trade_ge_solve(n, p->X, p->b, &tight, NULL, w, &ot,
                                        NULL),
                     ENT_OK);
    for (int start = 0; start < 3; start++) {
      double w0[16];
      for (size_t i = 0; i < n; i++)
        w0[i] = start == 0   ? 1.0
                : start == 1 ? 1.0 + 0.1 * (i % 2 ? 1.0 : -1.0)
                             : wt[i] * (1.0 + 1e-3 * (i % 2 ? 1.0 : -1.0));
      for (int with = 0; with < 2; with++) {
        ent_trade_opts o;
        ent_trade_opts_init(&o);
        o.deficit = NEWTON_CASES[k].mode;
        o.tol = 1e-9;
        o.newton_predict = 1;
        o.newton_chord = with;
        double wh[16], W[16];
        ent_trade_out out = {0};
        out.w_hat = wh;
        out.welfare = W;
        ent_trade_info info;
        assert_int_equal(ent_trade_ge_solve_newton(n, p->X, p->b, &o, w0, w,
                                                   &out, &info),
                         ENT_OK);
        assert_int_equal(info.fp_iterations, 0);
        if (!with) {
          assert_int_equal(info.chord_iterations, 0);
          newton_without += info.newton_iterations;
          continue;
        }
        chords += info.chord_iterations;
        newton_with += info.newton_iterations;
        for (size_t i = 0; i < n; i++) {
          double e = fmax(fabs(W[i] - Wt[i]), fabs(log(wh[i] / wt[i])));
          if (e > worst) worst = e;
          if (!(e < 1e-11))
            fail_msg("case %zu start %d country %zu: welfare %.17g, tight "
                     "%.17g", k, start, i, W[i], Wt[i]);
        }
      }
    }
    ent_trade_work_free(w);
    ent_trade_problem_destroy(p);
  }
  print_message("  chord: %d chord steps, Newton steps %d (without chord %d), "
                "largest deviation from the 1e-14 solve %.2e\n",
                chords, newton_with, newton_without, worst);
  assert_true(chords > 0);
  assert_true(newton_with < newton_without);
}

/* Outputs left NULL are not made (the outer multilateral resistance costs
 * an exp a country): the outputs asked for keep their bits. */
static void test_output_subset(void **state) {
  (void)state;
  ent_trade_problem *p = load_case("case4_flows.csv", "caseC_embargo_shock.csv");
  size_t n = p->n;
  ent_trade_work *w = ent_trade_work_alloc(n);
  assert_non_null(w);
  sol s;
  sol_init(&s, n);
  ent_trade_out all = {s.w, s.Eh, s.P, s.W, s.rw, s.omr, s.pown, s.Xn};
  ent_trade_opts o;
  ent_trade_opts_init(&o);
  assert_int_equal(ent_trade_ge_solve(n, p->X, p->b, &o, NULL, w, &all, NULL),
                   ENT_OK);
  double wh[16], W[16];
  assert_true(n <= 16);
  ent_trade_out few = {0};
  few.w_hat = wh;
  few.welfare = W;
  assert_int_equal(ent_trade_ge_solve(n, p->X, p->b, &o, NULL, w, &few, NULL),
                   ENT_OK);
  assert_memory_equal(wh, s.w, n * sizeof *wh);
  assert_memory_equal(W, s.W, n * sizeof *W);
  ent_trade_work_free(w);
  sol_free(&s);
  ent_trade_problem_destroy(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_case_A),
      cmocka_unit_test(test_case_B),
      cmocka_unit_test(test_case_C),
      cmocka_unit_test(test_zero_shock),
      cmocka_unit_test(test_identities),
      cmocka_unit_test(test_scaling),
      cmocka_unit_test(test_permutation),
      cmocka_unit_test(test_orientation),
      cmocka_unit_test(test_monotonicity),
      cmocka_unit_test(test_nonconvergence_reported),
      cmocka_unit_test(test_infeasible),
      cmocka_unit_test(test_invalid_arguments),
      cmocka_unit_test(test_newton),
      cmocka_unit_test(test_newton_first),
      cmocka_unit_test(test_newton_predict),
      cmocka_unit_test(test_newton_chord),
      cmocka_unit_test(test_output_subset),
      cmocka_unit_test(test_nested_ces),
      cmocka_unit_test(test_nested_newton),
      cmocka_unit_test(test_damping_and_warm_start),
      cmocka_unit_test(test_large),
      cmocka_unit_test(test_conditional_ge),
      cmocka_unit_test(test_conversions),
      cmocka_unit_test(test_bad_inputs),
      cmocka_unit_test(test_all_problems_reported),
      cmocka_unit_test(test_good_inputs),
      cmocka_unit_test(test_truncations),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_output_round_trip),
#ifdef ENT_FAULT_INJECTION
      cmocka_unit_test(test_out_of_memory),
#endif
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
