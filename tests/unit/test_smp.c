/*
 * test_smp.c -- KTAB's Spatial Model of Politics (src/strategic/smp.c, src/input/smp_csv.c).
 *
 * Every expected number is read from the KTAB reference files in
 * tests/data/smp/ (see PROVENANCE.md there), never from entente's output:
 *   - the seven KTAB example scenarios: number of states, every position
 *     within 1e-9 (0-100 scale), every winning probability equal as printed
 *     with %.4f ("tolerance A" of expected.md);
 *   - the 47 option runs of options/variants.csv: the same, plus ideals;
 *   - the turn-0 checkpoint tables of expected.md (risk inference, targets,
 *     gains, bargains, resolution) for dummyData_3Dim.
 * Then the behaviours of expected.md "Other expected behaviours worth a
 * test", the CSV reader's refusals with file:line:col, the option parser,
 * determinism (ASymProsp, seeded Stochastic), the SIMD kernel against the
 * scalar one, KTAB's generator against std::mt19937_64, and JSON output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <math.h>

#include "base/csv.h"
#include "strategic/smp.h"

#define DATA ENT_TEST_DATA "/smp/"

static const char *const cases[] = {
    "dummyData_3Dim", "SOE-Pol-Comp",    "SOE-Policy",     "dummyData_6Dim",
    "SOE-Competitive", "dummyData-a040", "dummyData-a080",
};
enum { N_CASES = sizeof cases / sizeof cases[0] };

/* ------------------------------------------------------------ helpers */

static char *slurp(const char *path, size_t *len) {
  char *text;
  size_t n;
  const char *why;
  if (ent_read_file(path, (size_t)1 << 28, &text, &n, &why) != ENT_OK)
    fail_msg("cannot read %s: %s", path, why);
  if (len) *len = n;
  return text;
}

/* A parsed reference CSV with its header's column indices. */
typedef struct table {
  ent_csv *csv;
  char *text;
} table;

static table read_table(const char *path) {
  table t;
  size_t len;
  t.text = slurp(path, &len);
  ent_diag *d = ent_diag_create();
  if (ent_csv_parse(path, t.text, len, 0, &t.csv, d) != ENT_OK) {
    ent_diag_print(d, stderr);
    fail_msg("cannot parse %s", path);
  }
  ent_diag_destroy(d);
  return t;
}

static void free_table(table *t) {
  ent_csv_free(t->csv);
  ent_free(t->text);
}

static size_t col(const table *t, const char *name) {
  const ent_csv_row *h = &t->csv->rows[0];
  for (size_t k = 0; k < h->n; k++)
    if (!strcmp(h->fields[k].text, name)) return k;
  fail_msg("column '%s' missing", name);
  return 0;
}

static const char *cell(const table *t, size_t row, size_t c) {
  assert_true(c < t->csv->rows[row].n);
  return t->csv->rows[row].fields[c].text;
}

static double num(const char *s) {
  double v;
  const char *why;
  if (ent_parse_double(s, strlen(s), &v, &why)) fail_msg("bad number '%s'", s);
  return v;
}

static size_t uint_of(const char *s) {
  unsigned long v;
  const char *why;
  if (ent_parse_uint(s, strlen(s), 1000000, &v, &why))
    fail_msg("bad integer '%s'", s);
  return (size_t)v;
}

static ent_smp_problem *load_case(const char *name) {
  char path[512];
  snprintf(path, sizeof path, DATA "%s.csv", name);
  ent_diag *d = ent_diag_create();
  ent_smp_problem *p = NULL;
  ent_status st = ent_smp_load_file(path, &p, d);
  if (st != ENT_OK) ent_diag_print(d, stderr);
  assert_int_equal(st, ENT_OK);
  assert_int_equal(ent_diag_count(d), 0);
  ent_diag_destroy(d);
  return p;
}

static ent_smp_run *run_ok(const ent_smp_problem *p, const ent_smp_opts *o) {
  ent_diag *d = ent_diag_create();
  ent_smp_run *r = NULL;
  ent_status st = ent_smp_run_create(p, o, &r, d);
  if (st != ENT_OK) ent_diag_print(d, stderr);
  assert_int_equal(st, ENT_OK);
  ent_diag_destroy(d);
  return r;
}

static void set_opt(ent_smp_opts *o, const char *kv) {
  char why[256];
  if (ent_smp_opts_parse(o, kv, why, sizeof why) != ENT_OK)
    fail_msg("option '%s': %s", kv, why);
}

/* Compare positions (and ideals when ic != -1) of the rows of `pos` whose
 * column vc equals `variant` (all rows when vc is (size_t)-1).  Returns
 * the largest deviation; fails above 1e-9. */
static double check_positions(const ent_smp_run *r, const table *pos,
                              size_t vc, const char *variant,
                              size_t *max_turn) {
  size_t ct = col(pos, "turn"), ca = col(pos, "actor"), cd = col(pos, "dim"),
         cp = col(pos, "position");
  size_t ci = (size_t)-1;
  const ent_csv_row *h = &pos->csv->rows[0];
  for (size_t k = 0; k < h->n; k++)
    if (!strcmp(h->fields[k].text, "ideal")) ci = k;
  double maxdev = 0.0;
  size_t rows = 0;
  *max_turn = 0;
  for (size_t row = 1; row < pos->csv->n_rows; row++) {
    if (vc != (size_t)-1 && strcmp(cell(pos, row, vc), variant)) continue;
    size_t t = uint_of(cell(pos, row, ct)), i = uint_of(cell(pos, row, ca)),
           k = uint_of(cell(pos, row, cd));
    if (t > *max_turn) *max_turn = t;
    if (t >= ent_smp_run_state_count(r))
      fail_msg("%s: state %zu missing (run has %zu)", variant, t,
               ent_smp_run_state_count(r));
    double e = num(cell(pos, row, cp)), g = ent_smp_run_position(r, t, i, k);
    double dev = fabs(g - e);
    if (ci != (size_t)-1) {
      double ei = num(cell(pos, row, ci)), gi = ent_smp_run_ideal(r, t, i, k);
      if (fabs(gi - ei) > dev) dev = fabs(gi - ei);
    }
    if (dev > maxdev) maxdev = dev;
    if (!(dev <= 1e-9))
      fail_msg("%s: turn %zu actor %zu dim %zu: position %.17g, KTAB %.17g",
               variant, t, i, k, g, e);
    rows++;
  }
  assert_true(rows > 0);
  return maxdev;
}

static void check_winprob(const ent_smp_run *r, const table *wp, size_t vc,
                          const char *variant) {
  size_t ct = col(wp, "turn"), ca = col(wp, "actor"), cw = col(wp, "win_prob");
  size_t rows = 0;
  for (size_t row = 1; row < wp->csv->n_rows; row++) {
    if (vc != (size_t)-1 && strcmp(cell(wp, row, vc), variant)) continue;
    size_t t = uint_of(cell(wp, row, ct)), i = uint_of(cell(wp, row, ca));
    char got[32];
    snprintf(got, sizeof got, "%.4f", ent_smp_run_win_prob(r, t, i));
    if (strcmp(got, cell(wp, row, cw)))
      fail_msg("%s: turn %zu actor %zu: win probability %s, KTAB %s", variant,
               t, i, got, cell(wp, row, cw));
    rows++;
  }
  assert_true(rows > 0);
}

/* ------------------------------------------------------------ reference */

static void test_reference_cases(void **state) {
  (void)state;
  for (size_t c = 0; c < N_CASES; c++) {
    char path[512];
    ent_smp_problem *p = load_case(cases[c]);
    ent_smp_run *r = run_ok(p, NULL);
    snprintf(path, sizeof path, DATA "%s_positions.csv", cases[c]);
    table pos = read_table(path);
    snprintf(path, sizeof path, DATA "%s_winprob.csv", cases[c]);
    table wp = read_table(path);
    size_t max_turn;
    double dev = check_positions(r, &pos, (size_t)-1, cases[c], &max_turn);
    assert_int_equal(ent_smp_run_state_count(r), max_turn + 1);
    check_winprob(r, &wp, (size_t)-1, cases[c]);
    assert_true(ent_smp_run_converged(r));
    print_message("  %-16s %2zu states (KTAB %2zu), max |position - KTAB| = "
                  "%.3g\n",
                  cases[c], ent_smp_run_state_count(r), max_turn + 1, dev);
    free_table(&pos);
    free_table(&wp);
    ent_smp_run_destroy(r);
    ent_smp_problem_destroy(p);
  }
}

/* "VictoryProbModel=Square;..." -> options. */
static void apply_params(ent_smp_opts *o, const char *params, const char *acc) {
  if (strcmp(params, "(all defaults)")) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s", params);
    for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";"))
      set_opt(o, tok);
  }
  if (acc[0]) {
    char kv[600];
    snprintf(kv, sizeof kv, "accommodation=%s", acc);
    set_opt(o, kv);
  }
}

static void test_option_variants(void **state) {
  (void)state;
  table var = read_table(DATA "options/variants.csv");
  size_t cs = col(&var, "scenario"), cv = col(&var, "variant"),
         cp = col(&var, "parameters_changed_from_default"),
         ca = col(&var, "accommodation_entries_changed_from_identity"),
         cn = col(&var, "states");
  const char *scen[] = {"dummyData_3Dim", "SOE-Pol-Comp"};
  size_t runs = 0;
  for (size_t s = 0; s < 2; s++) {
    char path[512];
    snprintf(path, sizeof path, DATA "options/%s_variants_positions.csv",
             scen[s]);
    table pos = read_table(path);
    snprintf(path, sizeof path, DATA "options/%s_variants_winprob.csv",
             scen[s]);
    table wp = read_table(path);
    ent_smp_problem *p = load_case(scen[s]);
    double worst = 0.0;
    for (size_t row = 1; row < var.csv->n_rows; row++) {
      if (strcmp(cell(&var, row, cs), scen[s])) continue;
      const char *name = cell(&var, row, cv);
      ent_smp_opts *o = ent_smp_opts_create();
      apply_params(o, cell(&var, row, cp), cell(&var, row, ca));
      ent_smp_run *r = run_ok(p, o);
      size_t max_turn;
      double dev =
          check_positions(r, &pos, col(&pos, "variant"), name, &max_turn);
      if (dev > worst) worst = dev;
      size_t states = uint_of(cell(&var, row, cn));
      if (ent_smp_run_state_count(r) != states || max_turn + 1 != states)
        fail_msg("%s %s: %zu states, KTAB %zu", scen[s], name,
                 ent_smp_run_state_count(r), states);
      check_winprob(r, &wp, col(&wp, "variant"), name);
      ent_smp_run_destroy(r);
      ent_smp_opts_destroy(o);
      runs++;
    }
    print_message("  %-16s option runs: max |position or ideal - KTAB| = "
                  "%.3g\n",
                  scen[s], worst);
    ent_smp_problem_destroy(p);
    free_table(&pos);
    free_table(&wp);
  }
  assert_int_equal(runs, 47);
  free_table(&var);
}

/* ------------------------------------------------------------ turn 0 */

/* Split a markdown table row "| a | b |" into trimmed cells (in place). */
static int md_cells(char *line, char **cells, int max) {
  int n = 0;
  char *p = strchr(line, '|');
  while (p && n < max) {
    char *q = strchr(p + 1, '|');
    if (!q) break;
    *q = '\0';
    char *s = p + 1;
    while (*s == ' ') s++;
    char *e = s + strlen(s);
    while (e > s && e[-1] == ' ') *--e = '\0';
    cells[n++] = s;
    p = q;
  }
  return n;
}

/* Number with a Unicode minus (U+2212) or '+' as printed in expected.md. */
static double md_num(const char *s) {
  char buf[64];
  if (!strncmp(s, "\xE2\x88\x92", 3)) {
    snprintf(buf, sizeof buf, "-%s", s + 3);
    return num(buf);
  }
  return num(s);
}

static void test_turn0_checkpoints(void **state) {
  (void)state;
  /* Read the two tables of expected.md, "Turn-0 checkpoints". */
  char *md = slurp(DATA "expected.md", NULL);
  double P[7], R[7], pw[7], gain[7], yI[7][3], yJ[7][3];
  int tgt[7], n_risk = 0, n_tgt = 0, in = 0;
  for (char *line = strtok(md, "\n"); line; line = strtok(NULL, "\n")) {
    char *c[8];
    if (!strncmp(line, "| actor | p | R |", 17)) in = 1;
    else if (!strncmp(line, "| initiator i |", 15)) in = 2;
    else if (line[0] != '|') in = 0;
    if (!in || !strncmp(line, "|---", 4) || !strncmp(line, "| actor", 7) ||
        !strncmp(line, "| initiator", 11))
      continue;
    int n = md_cells(line, c, 8);
    if (in == 1 && n == 3) {
      size_t i = uint_of(c[0]);
      assert_true(i < 7);
      P[i] = md_num(c[1]);
      R[i] = md_num(c[2]);
      n_risk++;
    } else if (in == 2 && n == 6) {
      size_t i = uint_of(c[0]);
      assert_true(i < 7);
      tgt[i] = (int)uint_of(c[1]);
      pw[i] = md_num(c[2]);
      gain[i] = md_num(c[3]);
      for (int s = 0; s < 2; s++) {
        double *y = s ? yJ[i] : yI[i];
        char *save, *tok = strtok_r(c[4 + s], " ", &save);
        for (int k = 0; k < 3; k++, tok = strtok_r(NULL, " ", &save)) {
          assert_non_null(tok);
          y[k] = num(tok);
        }
      }
      n_tgt++;
    }
  }
  ent_free(md);
  assert_int_equal(n_risk, 7);
  assert_int_equal(n_tgt, 7);

  ent_smp_problem *p = load_case("dummyData_3Dim");
  ent_smp_opts o;
  ent_smp_opts_default(&o);
  ent_smp_work *w = ent_smp_work_alloc(p, &o);
  assert_non_null(w);
  ent_diag *d = ent_diag_create();
  size_t N = p->n, M = p->m;
  double *xn = calloc(N * M, sizeof *xn), *xin = calloc(N * M, sizeof *xin);
  assert_int_equal(ent_smp_evaluate(w, 0, p->x0, p->x0, d), ENT_OK);
  ent_smp_view v;
  ent_smp_work_view(w, &v);
  for (size_t i = 0; i < N; i++) {
    /* printed with 10 decimals */
    assert_true(fabs(v.risk_p[i] - P[i]) <= 5.1e-11);
    assert_true(fabs(v.R[i] - R[i]) <= 5.1e-11);
  }
  assert_int_equal(ent_smp_advance(w, 0, p->x0, p->x0, xn, xin, d), ENT_OK);
  ent_smp_work_view(w, &v);
  for (size_t i = 0; i < N; i++) {
    assert_int_equal(v.target[i], tgt[i]);
    assert_true(fabs(v.p_win[i] - pw[i]) <= 5.1e-11);
    assert_true(fabs(v.gain[i] - gain[i]) <= 5.1e-11);
    for (size_t k = 0; k < M; k++) { /* bargains lie on the 0.01 grid */
      assert_true(fabs(v.y_init[i * M + k] * 100.0 - yI[i][k]) <= 1e-9);
      assert_true(fabs(v.y_targ[i * M + k] * 100.0 - yJ[i][k]) <= 1e-9);
    }
  }
  /* Resolution, as stated in expected.md: "actor 0 takes bargain 4→0 (as
   * target), 1 takes 6→1, 2 keeps its status quo, 3 takes its own 3→0, 4
   * its own 4→0, 5 its own 5→1, 6 takes 0→6". */
  const int ci[7] = {4, 6, 2, 3, 4, 5, 0}, ct[7] = {0, 1, 2, 0, 0, 1, 6};
  for (size_t i = 0; i < N; i++) {
    assert_int_equal(v.chosen_init[i], ci[i]);
    assert_int_equal(v.chosen_targ[i], ct[i]);
  }
  assert_int_equal(ent_diag_count(d), 0);
  free(xn);
  free(xin);
  ent_diag_destroy(d);
  ent_smp_work_free(w);
  ent_smp_problem_destroy(p);
}

/* ------------------------------------------------------------ kernels */

/* The last evaluation's election of x equals that of the scalar work
 * ref, double for double (with_R: the risk attitudes R too). */
static void same_election(const ent_smp_work *x, const ent_smp_work *ref,
                          size_t N, int with_R) {
  ent_smp_view vx, vr;
  ent_smp_work_view(x, &vx);
  ent_smp_work_view(ref, &vr);
  assert_memory_equal(vx.risk_p, vr.risk_p, N * sizeof(double));
  if (with_R) assert_memory_equal(vx.R, vr.R, N * sizeof(double));
  assert_memory_equal(vx.win_prob, vr.win_prob, N * sizeof(double));
}

static void same_evaluation(const ent_smp_work *x, const ent_smp_work *ref);

/* The SIMD kernels (challenges, coalitions, bargain sums; the 8-lane
 * challenge and coalition kernels where the CPU has AVX-512F/DQ, the
 * 4-lane ones where it has AVX2 -- forced without the 8-lane ones by
 * ent_smp_work_set_scalar(w, 3) -- and the 2-lane ones), the scalar
 * reference kernels and the generic estimate give the same doubles, for
 * every voting rule and commitment (three scenarios). */
static void test_kernels_agree(void **state) {
  (void)state;
  const char *scen[] = {"dummyData_3Dim", "SOE-Policy", "dummyData_6Dim"};
  const char *rules[] = {"Binary", "PropBin", "Prop", "PropCbc", "Cubic",
                         "ASymProsp"};
  const char *tpcs[] = {"NoCommit", "SemiCommit", "FullCommit"};
  for (size_t s = 0; s < 3; s++) {
    ent_smp_problem *p = load_case(scen[s]);
    size_t N = p->n, M = p->m;
    double *xa = malloc(N * M * sizeof *xa), *xb = malloc(N * M * sizeof *xb),
           *ia = malloc(N * M * sizeof *ia), *ib = malloc(N * M * sizeof *ib),
           *xc = malloc(N * M * sizeof *xc), *ic = malloc(N * M * sizeof *ic),
           *xd = malloc(N * M * sizeof *xd), *id = malloc(N * M * sizeof *id);
    for (size_t ru = 0; ru < 6; ru++)
      for (size_t tp = 0; tp < 3; tp++) {
        ent_smp_opts o;
        ent_smp_opts_default(&o);
        char why[200];
        assert_int_equal(ent_smp_opts_set(&o, "VotingRule", rules[ru], why,
                                          sizeof why),
                         0);
        assert_int_equal(
            ent_smp_opts_set(&o, "ThirdPartyCommit", tpcs[tp], why, sizeof why),
            0);
        o.strict = 0;
        ent_smp_work *wa = ent_smp_work_alloc(p, &o),
                     *wb = ent_smp_work_alloc(p, &o),
                     *wc = ent_smp_work_alloc(p, &o),
                     *wd = ent_smp_work_alloc(p, &o);
        ent_smp_work_set_scalar(wb, 1);
        ent_smp_work_set_scalar(wc, 2);
        ent_smp_work_set_scalar(wd, 3);
        ent_diag *d = ent_diag_create();
        assert_int_equal(ent_smp_evaluate(wa, 0, p->x0, p->x0, d), ENT_OK);
        assert_int_equal(ent_smp_evaluate(wb, 0, p->x0, p->x0, d), ENT_OK);
        /* evaluations (the 8-lane distances, perspectives and own
         * utilities where the CPU has AVX-512) and elections: SIMD
         * coalitions == scalar coalitions */
        same_election(wa, wb, N, 1);
        assert_int_equal(ent_smp_advance(wa, 0, p->x0, p->x0, xa, ia, d),
                         ENT_OK);
        assert_int_equal(ent_smp_advance(wb, 0, p->x0, p->x0, xb, ib, d),
                         ENT_OK);
        assert_int_equal(ent_smp_evaluate(wc, 0, p->x0, p->x0, d), ENT_OK);
        same_election(wc, wb, N, 0); /* the 2-lane coalitions too */
        assert_int_equal(ent_smp_advance(wc, 0, p->x0, p->x0, xc, ic, d),
                         ENT_OK);
        assert_int_equal(ent_smp_evaluate(wd, 0, p->x0, p->x0, d), ENT_OK);
        /* the 4-lane coalitions without the 8-lane ones */
        same_election(wd, wb, N, 0);
        /* the evaluation's distances (padding 0), perspectives and own
         * utilities (8 lanes where the CPU has AVX-512) == the scalar
         * forms */
        same_evaluation(wa, wb);
        same_evaluation(wd, wb);
        assert_int_equal(ent_smp_advance(wd, 0, p->x0, p->x0, xd, id, d),
                         ENT_OK);
        ent_smp_view va, vb;
        ent_smp_work_view(wa, &va);
        ent_smp_work_view(wb, &vb);
        int targets = 0;
        ent_smp_view vc, vd;
        ent_smp_work_view(wc, &vc);
        ent_smp_work_view(wd, &vd);
        for (size_t i = 0; i < N; i++) {
          assert_int_equal(vd.target[i], vb.target[i]);
          assert_memory_equal(&vd.gain[i], &vb.gain[i], sizeof(double));
          assert_memory_equal(&vd.p_win[i], &vb.p_win[i], sizeof(double));
          assert_int_equal(vc.target[i], vb.target[i]);
          assert_memory_equal(&vc.gain[i], &vb.gain[i], sizeof(double));
          assert_memory_equal(&vc.p_win[i], &vb.p_win[i], sizeof(double));
          assert_int_equal(va.target[i], vb.target[i]);
          assert_memory_equal(&va.gain[i], &vb.gain[i], sizeof(double));
          assert_memory_equal(&va.p_win[i], &vb.p_win[i], sizeof(double));
          if (va.target[i] < 0) continue;
          targets++;
          double pe, ge;
          ent_smp_estimate(wa, i, i, i, (size_t)va.target[i], &pe, &ge);
          assert_memory_equal(&pe, &va.p_win[i], sizeof(double));
          assert_memory_equal(&ge, &va.gain[i], sizeof(double));
        }
        /* the bargains' utilities (8-lane principals' terms where the
         * CPU has AVX-512) */
        assert_int_equal(va.n_barg, vb.n_barg);
        if (vb.n_barg)
          assert_memory_equal(va.b_u, vb.b_u, vb.n_barg * N * sizeof(double));
        assert_int_equal(vd.n_barg, vb.n_barg);
        if (vb.n_barg)
          assert_memory_equal(vd.b_u, vb.b_u, vb.n_barg * N * sizeof(double));
        assert_memory_equal(xa, xb, N * M * sizeof *xa);
        assert_memory_equal(xc, xb, N * M * sizeof *xc);
        assert_memory_equal(xd, xb, N * M * sizeof *xd);
        assert_true(targets > 0);
        ent_diag_destroy(d);
        ent_smp_work_free(wa);
        ent_smp_work_free(wb);
        ent_smp_work_free(wc);
        ent_smp_work_free(wd);
      }
    free(xa);
    free(xb);
    free(ia);
    free(ib);
    free(xc);
    free(ic);
    free(xd);
    free(id);
    ent_smp_problem_destroy(p);
  }
}

/* ------------------------------------------------------------ behaviours */

static ent_smp_problem *load_text(const char *text, ent_diag *d,
                                  ent_status want) {
  ent_smp_problem *p = NULL;
  ent_status st = ent_smp_load_buffer("t.csv", text, strlen(text), &p, d);
  if (st != want) ent_diag_print(d, stderr);
  assert_int_equal(st, want);
  if (want != ENT_OK) assert_null(p);
  return p;
}

/* An item at line:col whose message contains `needle`. */
static void expect_item(const ent_diag *d, int line, int c, const char *needle) {
  for (size_t k = 0; k < ent_diag_count(d); k++) {
    const ent_diag_item *it = ent_diag_get(d, k);
    if (it->line == line && it->col == c && strstr(it->msg, needle)) {
      assert_string_equal(it->file, "t.csv");
      return;
    }
  }
  ent_diag_print(d, stderr);
  fail_msg("no diagnostic at %d:%d containing '%s'", line, c, needle);
}

static void test_degenerate(void **state) {
  (void)state;
  /* All actors at one position: risk inference divides 0 by 0 in KTAB. */
  ent_diag *d = ent_diag_create();
  ent_smp_problem *p = load_text("one point,,3,2\nA,D,P,x,sx,y,sy\n"
                                 "a,,1,40,50,60,50\nb,,2,40,30,60,20\n"
                                 "c,,3,40,10,60,80\n",
                                 d, ENT_OK);
  ent_smp_run *r = NULL;
  assert_int_equal(ent_smp_run_create(p, NULL, &r, d), ENT_OK);
  assert_int_equal(ent_smp_run_state_count(r), 3); /* holds, then stops */
  assert_true(ent_smp_run_converged(r));
  for (size_t t = 0; t < 3; t++)
    for (size_t i = 0; i < 3; i++) {
      assert_true(ent_smp_run_position(r, t, i, 0) == 40.0);
      assert_true(ent_smp_run_win_prob(r, t, i) == 1.0); /* one position */
    }
  assert_true(ent_diag_count(d) >= 1);
  assert_int_equal(ent_diag_errors(d), 0);
  assert_non_null(strstr(ent_diag_get(d, 0)->msg, "degenerate"));
  ent_smp_run_destroy(r);
  /* ... and an error when asked to behave like KTAB. */
  ent_smp_opts *o = ent_smp_opts_create();
  set_opt(o, "degenerate=error");
  assert_int_equal(ent_smp_run_create(p, o, &r, d), ENT_EINPUT);
  assert_null(r);
  ent_smp_opts_destroy(o);
  ent_smp_problem_destroy(p);
  ent_diag_destroy(d);

  /* Perfectly symmetric: two at 20, two at 80, equal weights. */
  d = ent_diag_create();
  p = load_text("sym,,4,1\nA,D,P,x,s\na,,1,20,50\nb,,1,20,50\n"
                "c,,1,80,50\nd,,1,80,50\n",
                d, ENT_OK);
  assert_int_equal(ent_smp_run_create(p, NULL, &r, d), ENT_OK);
  assert_int_equal(ent_smp_run_state_count(r), 3);
  for (size_t i = 0; i < 4; i++)
    assert_true(ent_smp_run_win_prob(r, 0, i) == 0.5); /* uniform over 2 */
  assert_int_equal(ent_diag_errors(d), 0);
  assert_true(ent_diag_count(d) >= 1);
  ent_smp_run_destroy(r);
  ent_smp_problem_destroy(p);
  ent_diag_destroy(d);
}

static void test_full_aborts(void **state) {
  (void)state;
  ent_smp_problem *p = load_case("dummyData_3Dim");
  ent_smp_opts *o = ent_smp_opts_create();
  set_opt(o, "BigRAdjust=Full");
  ent_diag *d = ent_diag_create();
  ent_smp_run *r = NULL;
  assert_int_equal(ent_smp_run_create(p, o, &r, d), ENT_EINPUT);
  assert_null(r);
  assert_int_equal(ent_diag_errors(d), 1);
  const ent_diag_item *it = ent_diag_get(d, 0);
  assert_non_null(strstr(it->msg, "state 0"));
  assert_non_null(strstr(it->msg, "BigRAdjust=Full"));
  /* strict=off: warnings, and the run goes on. */
  set_opt(o, "strict=off");
  ent_diag_destroy(d);
  d = ent_diag_create();
  assert_int_equal(ent_smp_run_create(p, o, &r, d), ENT_OK);
  assert_true(ent_smp_run_state_count(r) >= 3);
  assert_int_equal(ent_diag_errors(d), 0);
  assert_true(ent_diag_count(d) >= 1);
  ent_smp_run_destroy(r);
  ent_diag_destroy(d);
  ent_smp_opts_destroy(o);
  ent_smp_problem_destroy(p);
}

/* expected.md: capability 0, all saliences 0 (smpc aborts); salience sum
 * over 100, position or salience outside [0, 100], fewer than 3 or more
 * than 250 actors (smpc refuses the file).  Each is an input error at the
 * offending field. */
static void test_ktab_refusals(void **state) {
  (void)state;
  struct {
    const char *text;
    int line, col;
    const char *needle;
  } bad[] = {
      {"s,d,3,1\nA,D,P,x,s\na,,0,50,50\nb,,1,20,50\nc,,1,80,50\n", 3, 4,
       "capability of 'a' is 0"},
      {"s,d,3,2\nA,D,P,x,s,y,t\na,,1,50,0,50,0\nb,,1,20,50,1,1\n"
       "c,,1,80,50,2,2\n",
       3, 9, "every salience of 'a' is 0"},
      {"s,d,3,2\nA,D,P,x,s,y,t\na,,1,50,60,50,40.5\nb,,1,20,50,1,1\n"
       "c,,1,80,50,2,2\n",
       3, 15, "add up to more than 100"},
      {"s,d,3,1\nA,D,P,x,s\na,,1,100.5,50\nb,,1,20,50\nc,,1,80,50\n", 3, 6,
       "outside [0, 100]"},
      {"s,d,3,1\nA,D,P,x,s\na,,1,50,-1\nb,,1,20,50\nc,,1,80,50\n", 3, 9,
       "salience -1 of 'a'"},
      {"s,d,2,1\nA,D,P,x,s\na,,1,50,50\nb,,1,20,50\n", 1, 5,
       "number of actors 2 is outside [3, 250]"},
      {"s,d,251,1\nA,D,P,x,s\na,,1,50,50\nb,,1,20,50\n", 1, 5,
       "number of actors 251"},
      {"s,d,3,1\nA,D,P,x,s\na,,-2,50,50\nb,,1,20,50\nc,,1,80,50\n", 3, 4,
       "outside (0, 1e8]"},
      {"s,d,3,1\nA,D,P,x,s\na,,1e9,50,50\nb,,1,20,50\nc,,1,80,50\n", 3, 4,
       "outside (0, 1e8]"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    ent_diag *d = ent_diag_create();
    load_text(bad[k].text, d, ENT_EINPUT);
    expect_item(d, bad[k].line, bad[k].col, bad[k].needle);
    ent_diag_destroy(d);
  }
  /* 250 actors are accepted. */
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_puts(&b, "big,,250,1\nA,D,P,x,s\n");
  for (int i = 0; i < 250; i++)
    ent_strbuf_printf(&b, "a%d,,%d,%d,50\n", i, 1 + i % 7, (i * 37) % 101);
  ent_diag *d = ent_diag_create();
  ent_smp_problem *p = NULL;
  assert_int_equal(ent_smp_load_buffer("t.csv", b.data, b.len, &p, d), ENT_OK);
  assert_int_equal(ent_smp_problem_actor_count(p), 250);
  ent_smp_problem_destroy(p);
  ent_diag_destroy(d);
  ent_strbuf_free(&b);
}

/* The reader's refusals: every problem of a file in one pass, each at
 * file:line:col, and no crash on anything. */
static void test_csv_errors(void **state) {
  (void)state;
  ent_diag *d = ent_diag_create();
  load_text("", d, ENT_EINPUT);
  expect_item(d, 1, 1, "empty file");
  ent_diag_destroy(d);

  d = ent_diag_create();
  load_text("\xEF\xBB\xBF \r\n\n", d, ENT_EINPUT);
  expect_item(d, 1, 1, "empty file");
  ent_diag_destroy(d);

  /* Binary data. */
  d = ent_diag_create();
  {
    const char bin[] = "s,d,3,1\nA,D\0\x01\x02,x";
    ent_smp_problem *p = NULL;
    assert_int_equal(ent_smp_load_buffer("t.csv", bin, sizeof bin - 1, &p, d),
                     ENT_EINPUT);
    assert_null(p);
    expect_item(d, 2, 4, "NUL byte");
  }
  ent_diag_destroy(d);

  /* Several problems in one file, all reported. */
  d = ent_diag_create();
  load_text("scen,desc,4,2\n"
            "Actor,Desc,Power,X,Sx,Y\n"           /* header too short */
            "a,,1,50,50,nan,10\n"                 /* nan */
            ",,abc,20,30,40,inf\n"                /* empty name, abc, inf */
            "c,,3,80\n"                           /* missing fields */
            "this-name-is-far-too-long-for-ktab,,1,1,1,1,1\n",
            d, ENT_EINPUT);
  expect_item(d, 2, 24, "header line has 6 fields, expected 7");
  expect_item(d, 3, 12, "position of 'a': not a number");
  expect_item(d, 4, 1, "actor name is empty");
  expect_item(d, 4, 3, "capability of 'actor 2': not a number");
  expect_item(d, 4, 16, "salience of 'actor 2': not a number");
  expect_item(d, 5, 8, "line of actor 'c' has 4 fields, expected 7");
  expect_item(d, 6, 1, "actor name is 34 bytes long");
  assert_int_equal(ent_diag_errors(d), 7);
  ent_diag_destroy(d);

  /* Missing scenario fields, bad counts, missing header and actors. */
  d = ent_diag_create();
  load_text("only,two\n", d, ENT_EINPUT);
  expect_item(d, 1, 9, "scenario line has 2 fields, expected 4");
  expect_item(d, 2, 1, "missing header line");
  ent_diag_destroy(d);
  d = ent_diag_create();
  load_text("s,d,x3,0\nA,D,P\n", d, ENT_EINPUT);
  expect_item(d, 1, 5, "number of actors 'x3': not a whole number");
  expect_item(d, 1, 8, "number of dimensions 0 is outside");
  ent_diag_destroy(d);
  d = ent_diag_create();
  load_text("s,d,5,1\nA,D,P,x,s\na,,1,50,50\nb,,1,20,50\n", d, ENT_EINPUT);
  expect_item(d, 5, 1, "declares 5 actors but the file has 2 actor lines");
  ent_diag_destroy(d);

  /* Invalid UTF-8 in a name; overlong description. */
  d = ent_diag_create();
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_puts(&b, "s,d,3,1\nA,D,P,x,s\na\xC3,,1,50,50\nb,");
  for (int i = 0; i < 300; i++) ent_strbuf_puts(&b, "x");
  ent_strbuf_puts(&b, ",1,20,50\nc,,1,80,50\n");
  load_text(b.data, d, ENT_EINPUT);
  expect_item(d, 3, 1, "not valid UTF-8");
  expect_item(d, 4, 3, "actor description is 300 bytes long");
  ent_strbuf_free(&b);
  ent_diag_destroy(d);

  /* A very long line: long ignored trailing field is fine. */
  d = ent_diag_create();
  ent_strbuf_init(&b);
  ent_strbuf_puts(&b, "s,d,3,1\nA,D,P,x,s\na,,1,50,50,");
  for (int i = 0; i < 200000; i++) ent_strbuf_puts(&b, "z");
  ent_strbuf_puts(&b, "\nb,,1,20,50\nc,,1,80,50\n");
  ent_smp_problem *p = NULL;
  assert_int_equal(ent_smp_load_buffer("t.csv", b.data, b.len, &p, d), ENT_OK);
  ent_smp_problem_destroy(p);
  ent_strbuf_free(&b);
  ent_diag_destroy(d);

  /* Extra lines after the declared actors: a warning, as KTAB ignores
   * them. */
  d = ent_diag_create();
  p = load_text("s,d,3,1\nA,D,P,x,s\na,,1,50,50\nb,,1,20,50\nc,,1,80,50\n"
                "extra,,1,1,1\n",
                d, ENT_OK);
  assert_int_equal(ent_diag_errors(d), 0);
  expect_item(d, 6, 1, "ignored");
  ent_smp_problem_destroy(p);
  ent_diag_destroy(d);

  /* Unreadable file. */
  d = ent_diag_create();
  assert_int_equal(ent_smp_load_file(DATA "no-such-file.csv", &p, d), ENT_EIO);
  assert_null(p);
  assert_int_equal(ent_diag_errors(d), 1);
  ent_diag_destroy(d);
}

/* A UTF-8 BOM, CRLF line ends, quotes and blanks do not change the
 * scenario: same history as the original file. */
static void test_bom_crlf_quotes(void **state) {
  (void)state;
  size_t len;
  char *text = slurp(DATA "dummyData_3Dim.csv", &len);
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_append(&b, "\xEF\xBB\xBF", 3);
  for (size_t k = 0; k < len; k++) {
    if (text[k] == '\n') ent_strbuf_append(&b, "\r", 1);
    ent_strbuf_append(&b, text + k, 1);
  }
  ent_diag *d = ent_diag_create();
  ent_smp_problem *p1 = load_case("dummyData_3Dim"), *p2 = NULL;
  assert_int_equal(ent_smp_load_buffer("t.csv", b.data, b.len, &p2, d),
                   ENT_OK);
  assert_string_equal(ent_smp_problem_name(p2), "DummyData_3Dim");
  assert_string_equal(ent_smp_problem_dim_name(p2, 2), "Pstn3");
  assert_string_equal(ent_smp_problem_actor_name(p2, 6), "SActor-06");
  ent_smp_run *r1 = run_ok(p1, NULL), *r2 = run_ok(p2, NULL);
  assert_int_equal(ent_smp_run_state_count(r1), ent_smp_run_state_count(r2));
  for (size_t t = 0; t < ent_smp_run_state_count(r1); t++)
    for (size_t i = 0; i < 7; i++)
      for (size_t k = 0; k < 3; k++)
        assert_true(ent_smp_run_position(r1, t, i, k) ==
                    ent_smp_run_position(r2, t, i, k));
  ent_smp_run_destroy(r1);
  ent_smp_run_destroy(r2);
  ent_smp_problem_destroy(p1);
  ent_smp_problem_destroy(p2);
  ent_diag_destroy(d);
  ent_strbuf_free(&b);
  ent_free(text);
}

/* ------------------------------------------------------------ options */

static void test_options(void **state) {
  (void)state;
  ent_smp_opts o;
  ent_smp_opts_default(&o);
  char why[256];
  assert_int_equal(o.vote, ENT_SMP_VOTE_PROP);
  assert_int_equal(o.radj, ENT_SMP_RADJ_ONETHIRD);
  assert_int_equal(o.max_turns, 100);
  assert_true(o.seed == UINT64_C(0xD67CC16FE69C185C));
  /* names in any case, snake case, codes, schema aliases */
  assert_int_equal(ent_smp_opts_set(&o, "voting_rule", "cubic", why, 256), 0);
  assert_int_equal(o.vote, ENT_SMP_VOTE_CUBIC);
  assert_int_equal(ent_smp_opts_set(&o, "VotingRule", "Proportional", why, 256),
                   0);
  assert_int_equal(o.vote, ENT_SMP_VOTE_PROP);
  assert_int_equal(ent_smp_opts_set(&o, "BigRAdjust", "No", why, 256), 0);
  assert_int_equal(o.radj, ENT_SMP_RADJ_NONE);
  assert_int_equal(ent_smp_opts_set(&o, "PCEModel", "2", why, 256), 0);
  assert_int_equal(o.pce, ENT_SMP_PCE_MARKOV_UNIFORM);
  assert_int_equal(ent_smp_opts_set(&o, "seed", "0xD67CC16FE69C185C", why, 256),
                   0);
  assert_true(o.seed == ENT_SMP_DEFAULT_SEED);
  assert_int_equal(
      ent_smp_opts_set(&o, "seed", "18446744073709551615", why, 256), 0);
  assert_true(o.seed == UINT64_MAX);
  /* refusals */
  assert_int_equal(ent_smp_opts_set(&o, "VotingRule", "Loud", why, 256), -1);
  assert_non_null(strstr(why, "VotingRule must be one of"));
  assert_int_equal(ent_smp_opts_set(&o, "PCEModel", "3", why, 256), -1);
  assert_int_equal(ent_smp_opts_set(&o, "nonsense", "1", why, 256), -1);
  assert_non_null(strstr(why, "unknown option 'nonsense'"));
  assert_int_equal(ent_smp_opts_set(&o, "seed", "18446744073709551616", why,
                                    256),
                   -1);
  assert_int_equal(ent_smp_opts_set(&o, "max_turns", "-1", why, 256), -1);
  assert_int_equal(ent_smp_opts_set(&o, "min_turns", "0", why, 256), -1);
  assert_int_equal(ent_smp_opts_set(&o, "stop_ratio", "nan", why, 256), -1);
  assert_int_equal(ent_smp_opts_set(&o, "accommodation", "A[0][1]=1.5", why,
                                    256),
                   -1);
  assert_int_equal(ent_smp_opts_set(&o, "accommodation", "A[0]=1", why, 256),
                   -1);
  assert_int_equal(o.n_acc, 0);
  assert_int_equal(ent_smp_opts_set(&o, "accommodation",
                                    "A[0][0]=0.5;A[0][1]=0.25", why, 256),
                   0);
  assert_int_equal(o.n_acc, 2);
  ent_smp_opts_release(&o);
  assert_int_equal(o.n_acc, 0);

  /* Options that do not fit the scenario are refused at run time. */
  ent_smp_problem *p = load_case("dummyData_3Dim");
  ent_smp_opts *po = ent_smp_opts_create();
  set_opt(po, "accommodation=A[7][0]=0.5");
  ent_diag *d = ent_diag_create();
  ent_smp_run *r = NULL;
  assert_int_equal(ent_smp_run_create(p, po, &r, d), ENT_EINPUT);
  assert_non_null(strstr(ent_diag_get(d, 0)->msg, "out of range"));
  ent_smp_opts_destroy(po);
  po = ent_smp_opts_create();
  set_opt(po, "accommodation=A[1][1]=0.9;A[1][2]=0.2");
  assert_int_equal(ent_smp_run_create(p, po, &r, d), ENT_EINPUT);
  assert_non_null(strstr(ent_diag_get(d, 1)->msg, "sums to more than 1"));
  ent_smp_opts_destroy(po);
  assert_int_equal(ent_smp_opts_parse(NULL, "a=b", why, 256), ENT_EINVAL);
  po = ent_smp_opts_create();
  assert_int_equal(ent_smp_opts_parse(po, "novalue", why, 256), ENT_EINPUT);
  ent_smp_opts_destroy(po);
  ent_diag_destroy(d);
  ent_smp_problem_destroy(p);
}

/* Turn limits and stopping ratio as parameters. */
/* ent_smp_evaluate_for_turn against ent_smp_evaluate on state 0: *won
 * and the next state.  Skipped (won 0) on the reference cases with the
 * default Conditional PCE (dummyData_3Dim; the larger cases need not
 * pass the bound); held (won 1, the same winning probabilities)
 * under a Markov PCE and where the bound does not hold (40 actors at the
 * largest capability); skipped again for 12 actors of capabilities 1 to
 * 12. */
static int eval_turn_pair(const ent_smp_problem *p, const ent_smp_opts *o) {
  size_t N = p->n, M = p->m;
  ent_smp_work *wa = ent_smp_work_alloc(p, o), *wb = ent_smp_work_alloc(p, o);
  assert_non_null(wa);
  assert_non_null(wb);
  double *xa = calloc(2 * N * M, sizeof *xa), *xb = calloc(2 * N * M, sizeof *xb);
  assert_non_null(xa);
  assert_non_null(xb);
  int won = -1;
  assert_int_equal(ent_smp_evaluate(wa, 0, p->x0, p->x0, NULL), ENT_OK);
  assert_int_equal(ent_smp_evaluate_for_turn(wb, 0, p->x0, p->x0, &won, NULL),
                   ENT_OK);
  ent_smp_view va, vb;
  ent_smp_work_view(wa, &va);
  ent_smp_work_view(wb, &vb);
  assert_memory_equal(va.R, vb.R, N * sizeof *va.R);
  if (won) assert_memory_equal(va.win_prob, vb.win_prob, N * sizeof *va.R);
  assert_int_equal(ent_smp_advance(wa, 0, p->x0, p->x0, xa, xa + N * M, NULL),
                   ENT_OK);
  assert_int_equal(ent_smp_advance(wb, 0, p->x0, p->x0, xb, xb + N * M, NULL),
                   ENT_OK);
  assert_memory_equal(xa, xb, 2 * N * M * sizeof *xa);
  ent_smp_work_view(wa, &va);
  ent_smp_work_view(wb, &vb);
  assert_memory_equal(va.p_win, vb.p_win, N * sizeof *va.p_win);
  assert_memory_equal(va.gain, vb.gain, N * sizeof *va.gain);
  assert_memory_equal(va.target, vb.target, N * sizeof *va.target);
  free(xa);
  free(xb);
  ent_smp_work_free(wa);
  ent_smp_work_free(wb);
  return won;
}

static void test_evaluate_for_turn(void **state) {
  (void)state;
  ent_smp_opts o;
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    ent_smp_problem *p = load_case(cases[c]);
    ent_smp_opts_default(&o);
    int won = eval_turn_pair(p, &o);
    /* the bound holds for the smaller cases only */
    if (c == 0) assert_int_equal(won, 0);
    o.pce = ENT_SMP_PCE_MARKOV_INCENTIVE;
    assert_int_equal(eval_turn_pair(p, &o), 1);
    ent_smp_problem_destroy(p);
  }
  enum { NB = 40 };
  double cap[NB], pos[NB], sal[NB];
  for (size_t i = 0; i < NB; i++) {
    cap[i] = 1e8;
    pos[i] = (double)((i * 37) % 101);
    sal[i] = 20.0 + (double)(i % 7) * 10.0;
  }
  ent_smp_spec sp = {.file = "t", .n = NB, .m = 1, .cap = cap, .pos = pos,
                     .sal = sal};
  ent_smp_problem *q = NULL;
  assert_int_equal(ent_smp_problem_create(&sp, &q, NULL), ENT_OK);
  ent_smp_opts_default(&o);
  assert_int_equal(eval_turn_pair(q, &o), 1);
  for (size_t i = 0; i < NB; i++) cap[i] = 1.0 + (double)i;
  ent_smp_problem_destroy(q);
  q = NULL;
  sp.n = 12; /* 12 actors of capabilities 1 .. 12 */
  assert_int_equal(ent_smp_problem_create(&sp, &q, NULL), ENT_OK);
  assert_int_equal(eval_turn_pair(q, &o), 0);
  ent_smp_problem_destroy(q);
}

static void test_stop_rule(void **state) {
  (void)state;
  ent_smp_problem *p = load_case("SOE-Pol-Comp");
  ent_smp_opts *o = ent_smp_opts_create();
  set_opt(o, "max_turns=3");
  ent_smp_run *r = run_ok(p, o);
  assert_int_equal(ent_smp_run_state_count(r), 4);
  assert_false(ent_smp_run_converged(r));
  ent_smp_run_destroy(r);
  set_opt(o, "max_turns=0");
  r = run_ok(p, o);
  assert_int_equal(ent_smp_run_state_count(r), 1);
  ent_smp_run_destroy(r);
  /* stop_ratio=0 never stops early: 40 turns exactly. */
  set_opt(o, "max_turns=40");
  set_opt(o, "stop_ratio=0");
  r = run_ok(p, o);
  assert_int_equal(ent_smp_run_state_count(r), 41);
  ent_smp_run_destroy(r);
  /* Defaults reproduce KTAB's 28 states; a later min_turns holds off the
   * ratio test (the run keeps going past 27 turns). */
  ent_smp_opts_destroy(o);
  o = ent_smp_opts_create();
  set_opt(o, "min_turns=35");
  r = run_ok(p, o);
  assert_true(ent_smp_run_state_count(r) >= 36);
  ent_smp_run_destroy(r);
  ent_smp_opts_destroy(o);
  ent_smp_problem_destroy(p);
}

/* ------------------------------------------------------------ determinism */

static int same_history(const ent_smp_run *a, const ent_smp_run *b) {
  if (a->n_states != b->n_states) return 0;
  size_t nm = a->pb->n * a->pb->m;
  return !memcmp(a->x, b->x, a->n_states * nm * sizeof *a->x) &&
         !memcmp(a->xi, b->xi, a->n_states * nm * sizeof *a->xi) &&
         !memcmp(a->win_prob, b->win_prob,
                 a->n_states * a->pb->n * sizeof *a->win_prob);
}

static void test_determinism(void **state) {
  (void)state;
  ent_smp_problem *p = load_case("SOE-Pol-Comp");
  const char *variants[][2] = {
      {"VotingRule=ASymProsp", NULL},
      {"StateTransitions=Stochastic", NULL},
      {"StateTransitions=Stochastic", "seed=12345"},
      {"StateTransitions=Stochastic", "BargnModel=InitRcvrInterp"},
  };
  for (size_t v = 0; v < 4; v++) {
    ent_smp_opts *o = ent_smp_opts_create();
    set_opt(o, variants[v][0]);
    if (variants[v][1]) set_opt(o, variants[v][1]);
    ent_smp_run *a = run_ok(p, o), *b = run_ok(p, o);
    assert_true(same_history(a, b));
    ent_smp_run_destroy(a);
    ent_smp_run_destroy(b);
    ent_smp_opts_destroy(o);
  }
  /* Different seeds give different stochastic histories here. */
  ent_smp_opts *o1 = ent_smp_opts_create(), *o2 = ent_smp_opts_create();
  set_opt(o1, "StateTransitions=Stochastic");
  set_opt(o2, "StateTransitions=Stochastic");
  set_opt(o2, "seed=7");
  ent_smp_run *a = run_ok(p, o1), *b = run_ok(p, o2);
  assert_false(same_history(a, b));
  ent_smp_run_destroy(a);
  ent_smp_run_destroy(b);
  ent_smp_opts_destroy(o1);
  ent_smp_opts_destroy(o2);
  ent_smp_problem_destroy(p);
}

/* KTAB's generator: the engine is std::mt19937_64 (the C++ standard fixes
 * its 10000th output for the default seed 5489, seeded at once or at the
 * first draw); the uniform is scrambled and lies in [0, 1]. */
static void test_rng(void **state) {
  (void)state;
  ent_smp_rng r;
  ent_smp_rng_seed(&r, 5489);
  uint64_t x = 0;
  for (int i = 0; i < 10000; i++) x = ent_smp_rng_raw(&r);
  assert_true(x == UINT64_C(9981545732273789042));
  /* seeded at the first draw: the same 10000th output */
  ent_smp_rng_seed_lazy(&r, 5489);
  for (int i = 0; i < 10000; i++) x = ent_smp_rng_raw(&r);
  assert_true(x == UINT64_C(9981545732273789042));
  ent_smp_rng_seed(&r, ENT_SMP_DEFAULT_SEED);
  uint64_t n = ent_smp_rng_raw(&r);
  ent_smp_rng_seed(&r, ENT_SMP_DEFAULT_SEED);
  double u = ent_smp_rng_uniform(&r);
  uint64_t s = (n + UINT64_C(0xE08C1D668B756F83)) * (2 * n + 3);
  assert_true(u == (double)s / 18446744073709551616.0);
  for (int i = 0; i < 100000; i++) {
    u = ent_smp_rng_uniform(&r);
    assert_true(u >= 0.0 && u <= 1.0);
  }
}

/* ------------------------------------------------------------ output */

static void test_json(void **state) {
  (void)state;
  ent_smp_problem *p = load_case("dummyData_3Dim");
  ent_smp_opts *o = ent_smp_opts_create();
  set_opt(o, "accommodation=A[0][0]=0.6;A[0][1]=0.2");
  ent_smp_run *r = run_ok(p, o);
  FILE *fp = tmpfile();
  assert_non_null(fp);
  assert_int_equal(ent_smp_run_write(r, ENT_FORMAT_JSON, fp), ENT_OK);
  long len = ftell(fp);
  rewind(fp);
  char *txt = calloc((size_t)len + 1, 1);
  assert_int_equal(fread(txt, 1, (size_t)len, fp), (size_t)len);
  fclose(fp);
  cJSON *j = cJSON_Parse(txt);
  assert_non_null(j);
  size_t T = ent_smp_run_state_count(r);
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "actors")), 7);
  assert_string_equal(
      cJSON_GetArrayItem(cJSON_GetObjectItem(j, "actors"), 3)->valuestring,
      "SActor-03");
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "dimensions")), 3);
  cJSON *turns = cJSON_GetObjectItem(j, "turns");
  cJSON *probs = cJSON_GetObjectItem(j, "probabilities");
  assert_int_equal(cJSON_GetArraySize(turns), (int)T);
  assert_int_equal(cJSON_GetArraySize(probs), (int)T);
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "converged")));
  for (size_t t = 0; t < T; t++) {
    cJSON *tu = cJSON_GetArrayItem(turns, (int)t);
    assert_int_equal(cJSON_GetObjectItem(tu, "turn")->valueint, (int)t);
    cJSON *pos = cJSON_GetObjectItem(tu, "positions");
    cJSON *ide = cJSON_GetObjectItem(tu, "ideals");
    assert_int_equal(cJSON_GetArraySize(pos), 7);
    for (size_t i = 0; i < 7; i++) {
      assert_true(cJSON_GetArrayItem(cJSON_GetArrayItem(probs, (int)t), (int)i)
                      ->valuedouble == ent_smp_run_win_prob(r, t, i));
      for (size_t k = 0; k < 3; k++) {
        /* full round-trip precision */
        cJSON *v = cJSON_GetArrayItem(cJSON_GetArrayItem(pos, (int)i), (int)k);
        assert_true(v->valuedouble == ent_smp_run_position(r, t, i, k));
        v = cJSON_GetArrayItem(cJSON_GetArrayItem(ide, (int)i), (int)k);
        assert_true(v->valuedouble == ent_smp_run_ideal(r, t, i, k));
      }
    }
  }
  cJSON_Delete(j);
  free(txt);
  /* text and CSV write without error */
  fp = tmpfile();
  assert_int_equal(ent_smp_run_write(r, ENT_FORMAT_TEXT, fp), ENT_OK);
  assert_true(ftell(fp) > 100);
  fclose(fp);
  fp = tmpfile();
  assert_int_equal(ent_smp_run_write(r, ENT_FORMAT_CSV, fp), ENT_OK);
  assert_true(ftell(fp) > 100);
  fclose(fp);
  ent_smp_run_destroy(r);
  ent_smp_opts_destroy(o);
  ent_smp_problem_destroy(p);
}

#ifdef ENT_FAULT_INJECTION
/* Every allocation failure is reported, never a crash or a leak. */
static void test_alloc_failures(void **state) {
  (void)state;
  size_t len;
  char *text = slurp(DATA "dummyData_3Dim.csv", &len);
  int succeeded = 0;
  for (long n = 0; n < 400; n++) {
    ent_diag *d = ent_diag_create();
    ent_smp_problem *p = NULL;
    ent_smp_run *r = NULL;
    ent_fault_fail_after(n);
    ent_status st = ent_smp_load_buffer("t.csv", text, len, &p, d);
    if (st == ENT_OK) st = ent_smp_run_create(p, NULL, &r, d);
    ent_fault_fail_after(-1);
    assert_true(st == ENT_OK || st == ENT_ENOMEM);
    if (st == ENT_OK) assert_non_null(r);
    ent_smp_run_destroy(r);
    ent_smp_problem_destroy(p);
    ent_diag_destroy(d);
    if (st == ENT_OK) { /* every earlier failure point has been exercised */
      succeeded = 1;
      break;
    }
  }
  assert_true(succeeded);
  ent_free(text);
}
#endif

/* ------------------------------------------------------------ solver */

/* The solver of the simulation's yearly runs against ent_smp_run_create on
 * the same arrays: the last state bit for bit, after another run on the
 * same solver (so a reused workspace starts like a new one). */
static void solver_vs_run(const ent_smp_problem *p, const ent_smp_opts *o) {
  size_t n = p->n, m = p->m;
  double *cap = malloc(n * sizeof *cap), *pos = malloc(n * m * sizeof *pos),
         *sal = malloc(n * m * sizeof *sal), *other = malloc(n * sizeof *other);
  assert_non_null(cap);
  assert_non_null(pos);
  assert_non_null(sal);
  assert_non_null(other);
  for (size_t i = 0; i < n; i++) {
    cap[i] = p->cap[i];
    other[i] = p->cap[n - 1 - i] * 1.75;
    for (size_t k = 0; k < m; k++) {
      pos[i * m + k] = p->x0[i * m + k] * 100.0;
      sal[i * m + k] = p->sal[i * m + k] * 100.0;
    }
  }
  ent_smp_spec sp = {.file = "t", .n = n, .m = m, .cap = cap, .pos = pos,
                     .sal = sal};
  ent_smp_problem *q = NULL;
  assert_int_equal(ent_smp_problem_create(&sp, &q, NULL), ENT_OK);
  ent_smp_run *r = run_ok(q, o);
  ent_smp_solver *s = ent_smp_solver_alloc(&sp, o);
  assert_non_null(s);
  ent_smp_solver_run(s, other, pos, sal, NULL); /* any outcome */
  assert_int_equal(ent_smp_solver_run(s, cap, pos, sal, NULL), ENT_OK);
  assert_string_equal(ent_smp_solver_note(s), "");
  size_t last = ent_smp_run_state_count(r) - 1;
  assert_int_equal(ent_smp_solver_turns(s), (int)last);
  assert_int_equal(ent_smp_solver_converged(s), ent_smp_run_converged(r));
  for (size_t i = 0; i < n; i++) {
    double a = ent_smp_solver_win_prob(s, i), b = ent_smp_run_win_prob(r, last, i);
    assert_memory_equal(&a, &b, sizeof a);
    for (size_t k = 0; k < m; k++) {
      a = ent_smp_solver_position(s, i, k);
      b = ent_smp_run_position(r, last, i, k);
      assert_memory_equal(&a, &b, sizeof a);
    }
  }
  ent_smp_solver_free(s);
  ent_smp_run_destroy(r);
  ent_smp_problem_destroy(q);
  free(cap);
  free(pos);
  free(sal);
  free(other);
}

static void test_solver(void **state) {
  (void)state;
  for (size_t c = 0; c < N_CASES; c++) {
    ent_smp_problem *p = load_case(cases[c]);
    solver_vs_run(p, NULL);
    ent_smp_problem_destroy(p);
  }
  table var = read_table(DATA "options/variants.csv");
  size_t cs = col(&var, "scenario"), cp = col(&var, "parameters_changed_from_default"),
         ca = col(&var, "accommodation_entries_changed_from_identity");
  for (size_t row = 1; row < var.csv->n_rows; row++) {
    ent_smp_problem *p = load_case(cell(&var, row, cs));
    ent_smp_opts *o = ent_smp_opts_create();
    apply_params(o, cell(&var, row, cp), cell(&var, row, ca));
    solver_vs_run(p, o);
    ent_smp_opts_destroy(o);
    ent_smp_problem_destroy(p);
  }
  free_table(&var);
  /* a refused run: the note is the first message ent_smp_run_create
   * reports, and the diag gets the same messages */
  ent_smp_problem *p = load_case("dummyData_3Dim");
  ent_smp_opts *o = ent_smp_opts_create();
  set_opt(o, "BigRAdjust=Full");
  ent_diag *d1 = ent_diag_create(), *d2 = ent_diag_create();
  ent_smp_run *r = NULL;
  assert_int_equal(ent_smp_run_create(p, o, &r, d1), ENT_EINPUT);
  double *pos = malloc(p->n * p->m * sizeof *pos),
         *sal = malloc(p->n * p->m * sizeof *sal);
  assert_non_null(pos);
  assert_non_null(sal);
  for (size_t k = 0; k < p->n * p->m; k++) {
    pos[k] = p->x0[k] * 100.0;
    sal[k] = p->sal[k] * 100.0;
  }
  ent_smp_spec sp = {.n = p->n, .m = p->m,
                     .actor = (const char *const *)p->actor,
                     .cap = p->cap, .pos = pos, .sal = sal};
  ent_smp_solver *s = ent_smp_solver_alloc(&sp, o);
  assert_non_null(s);
  assert_int_equal(ent_smp_solver_run(s, p->cap, pos, sal, d2), ENT_EINPUT);
  assert_string_equal(ent_smp_solver_note(s), ent_diag_get(d1, 0)->msg);
  assert_int_equal(ent_diag_count(d2), ent_diag_count(d1));
  /* values the problem refuses: the note names the first */
  sal[0] = 250.0;
  assert_int_equal(ent_smp_solver_run(s, p->cap, pos, sal, NULL), ENT_EINPUT);
  assert_string_equal(ent_smp_solver_note(s),
                      "salience 250 of 'SActor-00' on dimension 1 is outside "
                      "[0, 100]");
  ent_smp_solver_free(s);
  free(pos);
  free(sal);
  ent_diag_destroy(d1);
  ent_diag_destroy(d2);
  ent_smp_opts_destroy(o);
  ent_smp_problem_destroy(p);
}

/* A problem allocated without names gets A0, A1, ..., "actor 0", ...,
 * D0, D1, ... (the names messages use). */
static void test_generated_names(void **state) {
  (void)state;
  ent_smp_spec sp = {.n = 12, .m = 2};
  ent_smp_problem *p = ent_smp_problem_alloc(&sp);
  assert_non_null(p);
  assert_string_equal(p->actor[0], "A0");
  assert_string_equal(p->actor[7], "A7");
  assert_string_equal(p->actor[10], "A10");
  assert_string_equal(p->actor[11], "A11");
  assert_string_equal(p->actor_desc[0], "actor 0");
  assert_string_equal(p->actor_desc[11], "actor 11");
  assert_string_equal(p->dim[0], "D0");
  assert_string_equal(p->dim[1], "D1");
  assert_string_equal(p->file, "<arrays>");
  ent_smp_problem_destroy(p);
}

/* the workspace's inside, for elections on chosen rows (included here,
 * after the tests above, whose locals its vector type names would shadow) */
#include "strategic/smp_impl.h"

/* Work x's evaluation arrays equal ref's bit for bit: D (padding 0
 * included), rho and the own utilities (Uown, padding 0 included). */
static void same_evaluation(const ent_smp_work *x, const ent_smp_work *ref) {
  size_t N = ref->n, ld = ref->ld;
  assert_memory_equal(x->D, ref->D, N * ld * sizeof(double));
  assert_memory_equal(x->rho, ref->rho, N * N * sizeof(double));
  assert_memory_equal(x->Uown, ref->Uown, N * ld * sizeof(double));
}

/* Elections of 2 to 9 options on random utilities (ties and zeros among
 * them): the 4-lane coalitions (the queues' kernel of 2 to 4 options with
 * every pair a lane, and the blocks above) give the scalar coalitions'
 * doubles, for every voting rule: C and the winning probabilities. */
static void test_small_elections_agree(void **state) {
  (void)state;
  ent_smp_problem *p = load_case("dummyData_6Dim");
  size_t N = p->n;
  uint64_t seed = 42u;
  enum { KMAX = 9 };
  double *opt = malloc(KMAX * N * sizeof *opt);
  assert_non_null(opt);
  for (int ru = 0; ru < 6; ru++) {
    ent_smp_opts o;
    ent_smp_opts_default(&o);
    o.vote = (ent_smp_vote)ru;
    ent_smp_work *wv = ent_smp_work_alloc(p, &o), *ws = ent_smp_work_alloc(p, &o);
    ent_smp_work *wx = ent_smp_work_alloc(p, &o);
    assert_non_null(wv);
    assert_non_null(ws);
    assert_non_null(wx);
    ent_smp_work_set_scalar(wv, 3);
    ent_smp_work_set_scalar(ws, 1);
    size_t kmax = wv->kmax < KMAX ? wv->kmax : KMAX;
    for (int trial = 0; trial < 60; trial++) {
      size_t K = 2 + (size_t)trial % (kmax - 1);
      for (size_t k = 0; k < K * N; k++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(seed >> 33);
        opt[k] = r % 7 == 0 ? 0.0 : r % 11 == 0 ? 0.5 : (double)(r % 100000) / 1e5;
      }
      if (trial % 5 == 0) /* two equal options */
        memcpy(opt + N, opt, N * sizeof *opt);
      for (size_t m = 0; m < K; m++) wv->rows[m] = ws->rows[m] = opt + m * N;
      assert_int_equal(ent_smp_election(wv, K, p->cap), ENT_OK);
      assert_int_equal(ent_smp_election(ws, K, p->cap), ENT_OK);
      assert_memory_equal(wv->C, ws->C, K * K * sizeof(double));
      assert_memory_equal(wv->pi, ws->pi, K * sizeof(double));
      /* and the widest kernels of this CPU (8 lanes with AVX-512) */
      for (size_t m = 0; m < K; m++) wx->rows[m] = opt + m * N;
      assert_int_equal(ent_smp_election(wx, K, p->cap), ENT_OK);
      assert_memory_equal(wx->C, ws->C, K * K * sizeof(double));
      assert_memory_equal(wx->pi, ws->pi, K * sizeof(double));
      /* Linear victory probabilities and the Conditional PCE (the
       * defaults, computed in one pass) as smp.md §3.4-§3.5 write them:
       * P(a,b) = s1 / (s1 + s2), P(b,a) = s2 / (s1 + s2) for a > b,
       * P(a,a) = 1/2, q_a = Π_b P(a,b), π = q / Σ q */
      double P[KMAX * KMAX], q[KMAX], total = 0.0;
      for (size_t a = 0; a < K; a++) {
        for (size_t b = 0; b < a; b++) {
          double s1 = ws->C[a * K + b], s2 = ws->C[b * K + a];
          P[a * K + b] = s1 / (s1 + s2);
          P[b * K + a] = s2 / (s1 + s2);
        }
        P[a * K + a] = 0.5;
      }
      for (size_t a = 0; a < K; a++) {
        q[a] = 1.0;
        for (size_t b = 0; b < K; b++) q[a] = q[a] * P[a * K + b];
        total = total + q[a];
      }
      for (size_t a = 0; a < K; a++) {
        double pa = q[a] / total;
        assert_memory_equal(&ws->pi[a], &pa, sizeof pa);
      }
    }
    ent_smp_work_free(wv);
    ent_smp_work_free(ws);
    ent_smp_work_free(wx);
  }
  free(opt);
  ent_smp_problem_destroy(p);
}

/* §4.4's norms: BigRAdjust=Full makes every actor estimate utilities
 * exactly as their owners do (||U^h - U|| = 0 for every h), so the first
 * actor is reported -- an error when strict, a warning otherwise -- while
 * the default (OneThird) passes on the same state. */
static void test_norms_report(void **state) {
  (void)state;
  ent_smp_problem *p = load_case("SOE-Policy");
  for (int strict = 0; strict < 2; strict++)
    for (int full = 0; full < 2; full++) {
      ent_smp_opts o;
      ent_smp_opts_default(&o);
      char why[200];
      if (full)
        assert_int_equal(
            ent_smp_opts_set(&o, "BigRAdjust", "Full", why, sizeof why), 0);
      o.strict = strict;
      ent_smp_work *w = ent_smp_work_alloc(p, &o);
      assert_non_null(w);
      ent_diag *d = ent_diag_create();
      ent_status st = ent_smp_evaluate(w, 0, p->x0, p->x0, d);
      assert_int_equal(st, full && strict ? ENT_EINPUT : ENT_OK);
      assert_int_equal(ent_diag_count(d), (size_t)full);
      if (full) {
        const ent_diag_item *it = ent_diag_get(d, 0);
        assert_non_null(strstr(it->msg, "estimates every utility exactly"));
        assert_non_null(strstr(it->msg, p->actor[0]));
      }
      ent_diag_destroy(d);
      ent_smp_work_free(w);
    }
  ent_smp_problem_destroy(p);
}

/* The kernels of the forecast's small n (N <= 8 actors, where the CPU has
 * AVX-512: whole 8-lane elections, a turn's queue elections from its
 * distinct option pairs, its utilities in one pass, the target choice,
 * the norms, representatives, D's columns and own utilities; the
 * solver's last state) against the scalar reference kernels: random
 * problems of 3 to 9 actors on one or two dimensions, with repeated
 * positions, for every voting rule and some other options, three turns
 * and a last state each -- the same doubles throughout.  On a CPU
 * without AVX-512 the same comparisons hold for its widest kernels. */
static void test_small_n_agree(void **state) {
  (void)state;
  static const char *const opts[] = {
      NULL,                        "VotingRule=Binary",
      "VotingRule=PropBin",        "VotingRule=PropCbc",
      "VotingRule=Cubic",          "VotingRule=ASymProsp",
      "BargnModel=InitRcvrInterp", "BargnModel=PWCompInterp",
      "PCEModel=MarkovIncentive",  "BigRRange=Min",
      "BigRAdjust=Half",           "StateTransitions=Stochastic"};
  static const double grid[] = {0.0,  12.5, 25.0, 25.0004, 40.0,
                                50.0, 61.3, 75.0, 99.99,   100.0};
  uint64_t seed = 20261205u;
#define DRAW() (seed = seed * 6364136223846793005ull + 1442695040888963407ull, \
                (unsigned)(seed >> 33))
  for (int trial = 0; trial < 42; trial++) {
    size_t N = 3 + (size_t)trial % 7, M = trial % 6 == 5 ? 2 : 1;
    double cap[9], pos[18], sal[18];
    for (size_t i = 0; i < N; i++) {
      cap[i] = 1.0 + (double)(DRAW() % 1000) / 10.0;
      for (size_t k = 0; k < M; k++) {
        unsigned r = DRAW();
        pos[i * M + k] = r % 3 ? (double)(r % 10001) / 100.0 : grid[r % 10];
        sal[i * M + k] = M == 1 ? 20.0 + (double)(DRAW() % 700) / 10.0
                                : 10.0 + (double)(DRAW() % 350) / 10.0;
      }
    }
    ent_smp_spec sp = {.file = "t", .n = N, .m = M, .cap = cap, .pos = pos,
                       .sal = sal};
    ent_smp_problem *q = NULL;
    ent_diag *dq = ent_diag_create();
    ent_status sq = ent_smp_problem_create(&sp, &q, dq);
    if (sq != ENT_OK) ent_diag_print(dq, stderr);
    ent_diag_destroy(dq);
    assert_int_equal(sq, ENT_OK);
    for (size_t oi = 0; oi < sizeof opts / sizeof opts[0]; oi++) {
      ent_smp_opts o;
      ent_smp_opts_default(&o);
      if (opts[oi]) set_opt(&o, opts[oi]);
      o.strict = 0;
      ent_smp_work *wa = ent_smp_work_alloc(q, &o), *wb = ent_smp_work_alloc(q, &o);
      assert_non_null(wa);
      assert_non_null(wb);
      ent_smp_work_set_scalar(wb, 1);
      double xa[2][18], xb[2][18], ia[2][18], ib[2][18];
      memcpy(xa[0], q->x0, N * M * sizeof(double));
      memcpy(ia[0], q->x0, N * M * sizeof(double));
      memcpy(xb[0], q->x0, N * M * sizeof(double));
      memcpy(ib[0], q->x0, N * M * sizeof(double));
      int cur = 0;
      for (int t = 0; t <= 3; t++) {
        ent_status sa, sb;
        if (t < 3) {
          sa = ent_smp_evaluate(wa, t, xa[cur], ia[cur], NULL);
        } else { /* the solver's last state */
          sa = ent_smp_evaluate_last(wa, t, xa[cur], ia[cur], NULL);
        }
        sb = ent_smp_evaluate(wb, t, xb[cur], ib[cur], NULL);
        assert_int_equal(sa, sb);
        if (sa != ENT_OK) break;
        same_election(wa, wb, N, 1);
        assert_int_equal(wa->degenerate, wb->degenerate);
        if (t == 3) break;
        same_evaluation(wa, wb);
        sa = ent_smp_advance(wa, t, xa[cur], ia[cur], xa[1 - cur],
                             ia[1 - cur], NULL);
        sb = ent_smp_advance(wb, t, xb[cur], ib[cur], xb[1 - cur],
                             ib[1 - cur], NULL);
        assert_int_equal(sa, sb);
        if (sa != ENT_OK) break;
        cur = 1 - cur;
        assert_memory_equal(xa[cur], xb[cur], N * M * sizeof(double));
        assert_memory_equal(ia[cur], ib[cur], N * M * sizeof(double));
        assert_memory_equal(wa->target, wb->target, N * sizeof(int));
        assert_memory_equal(wa->gain, wb->gain, N * sizeof(double));
        assert_memory_equal(wa->p_win, wb->p_win, N * sizeof(double));
        assert_memory_equal(wa->chosen_init, wb->chosen_init, N * sizeof(int));
        assert_memory_equal(wa->chosen_targ, wb->chosen_targ, N * sizeof(int));
        assert_int_equal(wa->n_barg, wb->n_barg);
        if (wb->n_barg) {
          assert_memory_equal(wa->b_u, wb->b_u,
                              wb->n_barg * N * sizeof(double));
          assert_memory_equal(wa->usq, wb->usq, N * sizeof(double));
        }
      }
      ent_smp_work_free(wa);
      ent_smp_work_free(wb);
      /* the solver (its last state from ent_smp_evaluate_last) against
       * ent_smp_run_create */
      if (oi < 2) solver_vs_run(q, &o);
    }
    ent_smp_problem_destroy(q);
  }
#undef DRAW
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reference_cases),
      cmocka_unit_test(test_option_variants),
      cmocka_unit_test(test_solver),
      cmocka_unit_test(test_turn0_checkpoints),
      cmocka_unit_test(test_kernels_agree),
      cmocka_unit_test(test_small_elections_agree),
      cmocka_unit_test(test_norms_report),
      cmocka_unit_test(test_small_n_agree),
      cmocka_unit_test(test_generated_names),
      cmocka_unit_test(test_degenerate),
      cmocka_unit_test(test_full_aborts),
      cmocka_unit_test(test_ktab_refusals),
      cmocka_unit_test(test_csv_errors),
      cmocka_unit_test(test_bom_crlf_quotes),
      cmocka_unit_test(test_options),
      cmocka_unit_test(test_evaluate_for_turn),
      cmocka_unit_test(test_stop_rule),
      cmocka_unit_test(test_determinism),
      cmocka_unit_test(test_rng),
      cmocka_unit_test(test_json),
#ifdef ENT_FAULT_INJECTION
      cmocka_unit_test(test_alloc_failures),
#endif
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
