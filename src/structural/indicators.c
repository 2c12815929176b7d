/*
 * indicators.c -- see indicators.h; formulas from docs/models/indicators.md
 * (section numbers below refer to it).  Every sum runs in index order.
 */
#include "structural/indicators.h"

#include <math.h>
#include <string.h>

struct ent_indicators_work {
  size_t cap;
  ent_trade_work *trade;
  double *b;       /* [n*n] shock of the cut */
  double *welfare; /* [n] */
  double *w_hat;   /* [n] */
};

/* ------------------------------------------------------------ totals */

void ent_indicators_totals_of(size_t n, const double *X, size_t i,
                       ent_indicators_totals *t) {
  double xp = 0.0, m = 0.0;
  for (size_t k = 0; k < n; k++) {
    if (k == i) continue;
    xp += X[i * n + k];
    m += X[k * n + i];
  }
  t->exports = xp;
  t->imports = m;
  t->trade = xp + m;
  t->output = xp + X[i * n + i];
  t->absorption = m + X[i * n + i];
}

double ent_indicators_bilateral(size_t n, const double *X, size_t i, size_t j) {
  return i == j ? 0.0 : X[i * n + j] + X[j * n + i];
}

/* Shares of column i (imports, by_row = 0) or row i (exports). */
static ent_status partner_shares(size_t n, const double *X, size_t i,
                                 int by_row, double *share) {
  double tot = 0.0;
  for (size_t k = 0; k < n; k++)
    if (k != i) tot += by_row ? X[i * n + k] : X[k * n + i];
  if (!(tot > 0.0) || !isfinite(tot)) return ENT_EINVAL;
  for (size_t k = 0; k < n; k++)
    share[k] = k == i ? 0.0 : (by_row ? X[i * n + k] : X[k * n + i]) / tot;
  return ENT_OK;
}

ent_status ent_indicators_import_shares(size_t n, const double *X, size_t i,
                                 double *share) {
  return partner_shares(n, X, i, 0, share);
}

ent_status ent_indicators_export_shares(size_t n, const double *X, size_t i,
                                 double *share) {
  return partner_shares(n, X, i, 1, share);
}

/* HHI without scratch: sum_k x_k^2 / (sum_k x_k)^2. */
static ent_status hhi(size_t n, const double *X, size_t i, int by_row,
                      double *out) {
  double tot = 0.0, sq = 0.0;
  for (size_t k = 0; k < n; k++) {
    if (k == i) continue;
    double x = by_row ? X[i * n + k] : X[k * n + i];
    tot += x;
  }
  if (!(tot > 0.0) || !isfinite(tot)) return ENT_EINVAL;
  for (size_t k = 0; k < n; k++) {
    if (k == i) continue;
    double s = (by_row ? X[i * n + k] : X[k * n + i]) / tot;
    sq += s * s;
  }
  *out = sq;
  return ENT_OK;
}

ent_status ent_indicators_hhi_imports(size_t n, const double *X, size_t i,
                               double *out) {
  return hhi(n, X, i, 0, out);
}

ent_status ent_indicators_hhi_exports(size_t n, const double *X, size_t i,
                               double *out) {
  return hhi(n, X, i, 1, out);
}

/* ------------------------------------------------------------ scalars */

double ent_indicators_salience(double s_ij, double s_ji) { return sqrt(s_ij * s_ji); }

double ent_indicators_symmetry(double s_ij, double s_ji) {
  return 1.0 - fabs(s_ij - s_ji);
}

double ent_indicators_interdependence(double s_ij, double s_ji) {
  return ent_indicators_salience(s_ij, s_ji) * ent_indicators_symmetry(s_ij, s_ji);
}

double ent_indicators_relative_share(double s_ij, double s_ji) {
  double t = s_ij + s_ji;
  return t > 0.0 ? s_ij / t : 0.5;
}

double ent_indicators_hirschman(double h) { return 100.0 * sqrt(h); }

double ent_indicators_hhi_normalised(double h, size_t n_partners) {
  if (n_partners <= 1) return 1.0;
  double inv = 1.0 / (double)n_partners;
  return (h - inv) / (1.0 - inv);
}

double ent_indicators_vulnerability_proxy(double s_ij, double hhi_i) {
  return s_ij * hhi_i;
}

double ent_indicators_vulnerability_pe(double pi_ji, double theta) {
  /* 1 - (1 - pi)^(1/theta) without cancellation for small pi. */
  return -expm1(log1p(-pi_ji) / theta);
}

double ent_indicators_capability_ratio(double c_i, double c_j) {
  double t = c_i + c_j;
  return t > 0.0 ? c_i / t : 0.5;
}

ent_status ent_indicators_capability_log_ratio(double c_i, double c_j, double *out) {
  if (!(c_i > 0.0) || !(c_j > 0.0) || !isfinite(c_i) || !isfinite(c_j))
    return ENT_EINVAL;
  *out = log(c_i / c_j);
  return ENT_OK;
}

/* ------------------------------------------------- GE vulnerability */

ent_indicators_work *ent_indicators_work_alloc(size_t n) {
  if (n == 0 || n > SIZE_MAX / n / sizeof(double)) return NULL;
  ent_indicators_work *w = ent_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->cap = n;
  w->trade = ent_trade_work_alloc(n);
  w->b = ent_mallocarray(n * n, sizeof(double));
  w->welfare = ent_mallocarray(n, sizeof(double));
  w->w_hat = ent_mallocarray(n, sizeof(double));
  if (!w->trade || !w->b || !w->welfare || !w->w_hat) {
    ent_indicators_work_free(w);
    return NULL;
  }
  return w;
}

void ent_indicators_work_free(ent_indicators_work *w) {
  if (!w) return;
  ent_trade_work_free(w->trade);
  ent_free(w->b);
  ent_free(w->welfare);
  ent_free(w->w_hat);
  ent_free(w);
}

static ent_status vulnerability(size_t n, const double *X, size_t i,
                                size_t j, ent_indicators_cut cut,
                                const ent_trade_opts *o,
                                ent_indicators_work *w, int newton_first,
                                const double *w_start, double *w_hat_out,
                                double *vul_i, double *vul_j) {
  if (!w || !o || !X || n > w->cap || i >= n || j >= n || i == j)
    return ENT_EINVAL;
  for (size_t k = 0; k < n * n; k++) w->b[k] = 1.0;
  if (cut == ENT_IND_CUT_BOTH || cut == ENT_IND_CUT_EXPORTS)
    w->b[i * n + j] = 0.0;
  if (cut == ENT_IND_CUT_BOTH || cut == ENT_IND_CUT_IMPORTS)
    w->b[j * n + i] = 0.0;
  ent_trade_out out;
  memset(&out, 0, sizeof out);
  out.welfare = w->welfare;
  out.w_hat = w->w_hat;
  ent_status st =
      newton_first
          ? ent_trade_ge_solve_newton(n, X, w->b, o, w_start, w->trade, &out,
                                      NULL)
          : ent_trade_ge_solve(n, X, w->b, o, NULL, w->trade, &out, NULL);
  if (st != ENT_OK) return st;
  if (w_hat_out) memcpy(w_hat_out, w->w_hat, n * sizeof *w_hat_out);
  *vul_i = 1.0 - w->welfare[i];
  if (vul_j) *vul_j = 1.0 - w->welfare[j];
  return ENT_OK;
}

ent_status ent_indicators_vulnerability_ge(size_t n, const double *X, size_t i,
                                    size_t j, ent_indicators_cut cut,
                                    const ent_trade_opts *o, ent_indicators_work *w,
                                    double *vul_i, double *vul_j) {
  return vulnerability(n, X, i, j, cut, o, w, 0, NULL, NULL, vul_i, vul_j);
}

ent_status ent_indicators_vulnerability_ge_newton(
    size_t n, const double *X, size_t i, size_t j, ent_indicators_cut cut,
    const ent_trade_opts *o, ent_indicators_work *w, const double *w_start,
    double *w_hat_out, double *vul_i, double *vul_j) {
  return vulnerability(n, X, i, j, cut, o, w, 1, w_start, w_hat_out, vul_i,
                       vul_j);
}

ent_status ent_indicators_vulnerability_prepare(size_t n, const double *X,
                                               ent_indicators_work *w) {
  if (!w || !X || n > w->cap) return ENT_EINVAL;
  return ent_trade_cut_prepare(n, X, w->trade);
}

ent_status ent_indicators_vulnerability_ge_cut(
    size_t n, const double *X, size_t i, size_t j, ent_indicators_cut cut,
    const ent_trade_opts *o, ent_indicators_work *w, double *state, int warm,
    double *vul_i, double *vul_j) {
  if (!w || !o || !X || !state || n > w->cap || i >= n || j >= n || i == j)
    return ENT_EINVAL;
  int cut_ij = cut == ENT_IND_CUT_BOTH || cut == ENT_IND_CUT_EXPORTS;
  int cut_ji = cut == ENT_IND_CUT_BOTH || cut == ENT_IND_CUT_IMPORTS;
  double wi, wj;
  ent_status st = ent_trade_cut_solve(n, i, j, cut_ij, cut_ji, o, w->trade,
                                      state, warm, &wi, &wj, NULL);
  if (st == ENT_OK) {
    *vul_i = 1.0 - wi;
    if (vul_j) *vul_j = 1.0 - wj;
    return ENT_OK;
  }
  /* the full solve (Newton, then the fixed point), from the same start;
   * it takes the workspace, so the baseline is prepared again after it */
  st = vulnerability(n, X, i, j, cut, o, w, 1, warm ? state : NULL, state,
                     vul_i, vul_j);
  if (st == ENT_OK)
    for (size_t k = 0; k < n; k++)
      state[n + k] = exp(-o->theta * log(state[k]));
  ent_status sp = ent_indicators_vulnerability_prepare(n, X, w);
  return st != ENT_OK ? st : sp;
}

ent_status ent_indicators_vulnerability_ge_cuts(
    size_t n, const double *X, size_t count, const size_t *ci,
    const size_t *cj, ent_indicators_cut cut, const ent_trade_opts *o,
    ent_indicators_work *w, double *const *state, const int *warm,
    double *vul_i, double *vul_j, ent_status *st, const unsigned char *order,
    unsigned char *steps) {
  if (!w || !o || !X || !ci || !cj || !state || !warm || !vul_i || !st ||
      n > w->cap)
    return ENT_EINVAL;
  int cut_ij = cut == ENT_IND_CUT_BOTH || cut == ENT_IND_CUT_EXPORTS;
  int cut_ji = cut == ENT_IND_CUT_BOTH || cut == ENT_IND_CUT_IMPORTS;
  enum { BLK = 64 };
  for (size_t b0 = 0; b0 < count; b0 += BLK) {
    size_t m = count - b0 < BLK ? count - b0 : BLK;
    /* the block's pairs by key (insertion, stable), gathered */
    size_t ix[BLK], ci2[BLK], cj2[BLK];
    double *s2[BLK];
    int w2[BLK];
    for (size_t k = 0; k < m; k++) {
      size_t at = k;
      for (; order && at > 0 && order[b0 + ix[at - 1]] > order[b0 + k]; at--)
        ix[at] = ix[at - 1];
      ix[at] = k;
    }
    for (size_t k = 0; k < m; k++) {
      size_t p = b0 + ix[k];
      ci2[k] = ci[p];
      cj2[k] = cj[p];
      s2[k] = state[p];
      w2[k] = warm[p];
    }
    for (size_t base = 0; base < m; base += ENT_TRADE_LANES) {
      size_t cnt = m - base;
      if (cnt > ENT_TRADE_LANES) cnt = ENT_TRADE_LANES;
      double wi[ENT_TRADE_LANES], wj[ENT_TRADE_LANES];
      unsigned char ok[ENT_TRADE_LANES], ws[ENT_TRADE_LANES];
      ent_trade_cut_solve_lanes(n, cnt, ci2 + base, cj2 + base, cut_ij,
                                cut_ji, o, w->trade, s2 + base, w2 + base, wi,
                                wj, ok, ws, ENT_TRADE_LANES);
      /* the lanes first: a scalar solve below may take the workspace and
       * prepare the baseline again (the same values) */
      for (size_t k = 0; k < cnt; k++) {
        size_t p = b0 + ix[base + k];
        if (steps) steps[p] = ws[k];
        if (!ok[k]) continue;
        st[p] = ENT_OK;
        vul_i[p] = 1.0 - wi[k];
        if (vul_j) vul_j[p] = 1.0 - wj[k];
      }
      for (size_t k = 0; k < cnt; k++) {
        size_t p = b0 + ix[base + k];
        if (!ok[k])
          st[p] = ent_indicators_vulnerability_ge_cut(
              n, X, ci[p], cj[p], cut, o, w, state[p], warm[p], &vul_i[p],
              vul_j ? &vul_j[p] : NULL);
      }
    }
  }
  return ENT_OK;
}

/* ------------------------------------------------------------ dyads */

/* ent_indicators_dyad_core, vulnerability_pe_ab (its expm1 and log1p)
 * only if with_pe */
static inline ent_status dyad_core(size_t n, const double *X, const double *G,
                                   size_t a, size_t b, double theta,
                                   const ent_indicators_totals *ta,
                                   const ent_indicators_totals *tb,
                                   int with_pe, ent_indicators_dyad *out) {
  double Ga = G ? G[a] : ta->output, Gb = G ? G[b] : tb->output;
  if (!(Ga > 0.0) || !(Gb > 0.0) || !(ta->trade > 0.0) ||
      !(tb->trade > 0.0) || !(ta->imports > 0.0) || !(ta->exports > 0.0) ||
      !(ta->absorption > 0.0) || !(tb->absorption > 0.0) ||
      !(ta->output > 0.0))
    return ENT_EINVAL;
  /* the concentration indices of a are undefined on these (section 4) */
  if (!isfinite(ta->imports) || !isfinite(ta->exports)) return ENT_EINVAL;
  double xab = X[a * n + b], xba = X[b * n + a], T = xab + xba;

  /* 1, 3: dependence. */
  out->trade_dependence_ab = T / Ga;
  out->trade_dependence_ba = T / Gb;
  out->dependence_asymmetry = out->trade_dependence_ab - out->trade_dependence_ba;
  out->export_dependence_ab = xab / Ga;
  out->import_dependence_ab = xba / Ga;
  /* 2: shares. */
  out->trade_share_ab = T / ta->trade;
  out->trade_share_ba = T / tb->trade;
  /* 4: partner shares. */
  out->import_share_b_in_a_imports = xba / ta->imports;
  out->export_share_b_in_a_exports = xab / ta->exports;
  /* 5.2: sensitivity and partial-equilibrium vulnerability. */
  double pi_ba = xba / ta->absorption;
  out->sensitivity_import_ab = pi_ba;
  out->sensitivity_export_ab = xab / ta->output;
  if (with_pe)
    out->vulnerability_pe_ab = ent_indicators_vulnerability_pe(pi_ba, theta);
  return ENT_OK;
}

ent_status ent_indicators_dyad_core(size_t n, const double *X,
                                   const double *G, size_t a, size_t b,
                                   double theta,
                                   const ent_indicators_totals *ta,
                                   const ent_indicators_totals *tb,
                                   ent_indicators_dyad *out) {
  return dyad_core(n, X, G, a, b, theta, ta, tb, 1, out);
}

static ent_status dyad_core_of(size_t n, const double *X, const double *G,
                               size_t a, size_t b, double theta, int with_pe,
                               ent_indicators_dyad *out) {
  if (!X || a >= n || b >= n || a == b || !(theta > 0.0) || !isfinite(theta))
    return ENT_EINVAL;
  ent_indicators_totals ta, tb;
  ent_indicators_totals_of(n, X, a, &ta);
  ent_indicators_totals_of(n, X, b, &tb);
  return dyad_core(n, X, G, a, b, theta, &ta, &tb, with_pe, out);
}

ent_status ent_indicators_dyad_core_of(size_t n, const double *X,
                                      const double *G, size_t a, size_t b,
                                      double theta, ent_indicators_dyad *out) {
  return dyad_core_of(n, X, G, a, b, theta, 1, out);
}

ent_status ent_indicators_dyad_shares_of(size_t n, const double *X,
                                        const double *G, size_t a, size_t b,
                                        double theta, ent_indicators_dyad *out) {
  return dyad_core_of(n, X, G, a, b, theta, 0, out);
}

ent_status ent_indicators_dyad_compute(size_t n, const double *X, const double *G,
                                size_t a, size_t b, const ent_trade_opts *o,
                                ent_indicators_work *w, ent_indicators_dyad *out) {
  memset(out, 0, sizeof *out);
  if (!X || !o || a >= n || b >= n || a == b || !(o->theta > 0.0) ||
      !isfinite(o->theta))
    return ENT_EINVAL;
  ent_indicators_totals ta, tb;
  ent_indicators_totals_of(n, X, a, &ta);
  ent_indicators_totals_of(n, X, b, &tb);
  ent_status st = ent_indicators_dyad_core(n, X, G, a, b, o->theta, &ta, &tb, out);
  if (st != ENT_OK) return st;
  double Ga = G ? G[a] : ta.output;
  double xab = X[a * n + b];

  /* 1, 3: dependence. */
  out->weak_link = fmin(out->trade_dependence_ab, out->trade_dependence_ba);
  /* 2, 3: shares and openness. */
  double sab = out->trade_share_ab, sba = out->trade_share_ba;
  out->share_gap = sab - sba;
  out->relative_share = ent_indicators_relative_share(sab, sba);
  out->openness_a = ta.trade / Ga;
  out->barbieri_salience = ent_indicators_salience(sab, sba);
  out->barbieri_symmetry = ent_indicators_symmetry(sab, sba);
  out->barbieri_interdependence = ent_indicators_interdependence(sab, sba);
  /* 4: concentration. */
  st = ent_indicators_hhi_imports(n, X, a, &out->hhi_imports_a);
  if (st == ENT_OK) st = ent_indicators_hhi_exports(n, X, a, &out->hhi_exports_a);
  if (st != ENT_OK) return st;
  out->hhi_imports_a_normalised =
      ent_indicators_hhi_normalised(out->hhi_imports_a, n - 1);
  out->hirschman_imports_a = ent_indicators_hirschman(out->hhi_imports_a);
  out->hirschman_exports_a = ent_indicators_hirschman(out->hhi_exports_a);
  out->vulnerability_proxy_ab =
      ent_indicators_vulnerability_proxy(sab, out->hhi_imports_a);
  /* 5.2: vulnerability. */
  double pi_ab = xab / tb.absorption;
  out->vulnerability_pe_ba = ent_indicators_vulnerability_pe(pi_ab, o->theta);
  if (w) {
    st = ent_indicators_vulnerability_ge(n, X, a, b, ENT_IND_CUT_BOTH, o, w,
                                  &out->vulnerability_ge_ab,
                                  &out->vulnerability_ge_ba);
    if (st != ENT_OK) return st;
    out->vulnerability_asymmetry =
        out->vulnerability_ge_ab - out->vulnerability_ge_ba;
    out->vulnerability_ratio =
        out->vulnerability_ge_ba != 0.0
            ? out->vulnerability_ge_ab / out->vulnerability_ge_ba
            : 0.0;
  }
  return ENT_OK;
}

/* ------------------------------------------------------------ CINC */

static int missing(double v) { return isnan(v) || v < 0.0; }

/* System total of component k over the non-missing values. */
static double component_total(size_t n_states, size_t n_comp, const double *x,
                              size_t k) {
  double tot = 0.0;
  for (size_t j = 0; j < n_states; j++)
    if (!missing(x[j * n_comp + k])) tot += x[j * n_comp + k];
  return tot;
}

ent_status ent_indicators_cinc(size_t n_states, size_t n_comp, const double *x,
                        double *cinc, double *share) {
  if (!x || !cinc || n_states == 0 || n_comp == 0) return ENT_EINVAL;
  for (size_t i = 0; i < n_states * n_comp; i++)
    if (isinf(x[i])) return ENT_EINVAL;
  /* the totals of the first CINC_KEEP components kept (the same sums);
   * those of further components recomputed per state, so that no
   * scratch is needed: O(n_states^2) each, n_states < 300 */
  enum { CINC_KEEP = 8 };
  double kept[CINC_KEEP];
  for (size_t k = 0; k < n_comp; k++) {
    double tot = component_total(n_states, n_comp, x, k);
    if (!isfinite(tot)) return ENT_EINVAL;
    if (k < CINC_KEEP) kept[k] = tot;
  }
  for (size_t i = 0; i < n_states; i++) {
    double sum = 0.0;
    size_t avail = 0;
    for (size_t k = 0; k < n_comp; k++) {
      double v = x[i * n_comp + k];
      double tot = k < CINC_KEEP ? kept[k]
                                 : component_total(n_states, n_comp, x, k);
      double r = tot > 0.0 && !missing(v) ? v / tot : -1.0;
      if (share) share[i * n_comp + k] = r;
      if (r >= 0.0) {
        sum += r;
        avail++;
      }
    }
    if (avail == 0) return ENT_EINVAL;
    cinc[i] = sum / (double)avail;
  }
  return ENT_OK;
}
