/*
 * trade_nested.c -- the nested-CES extension of the structural gravity
 * counterfactual (docs/models/gravity.md, "Extension: nested CES").
 *
 * gravity.md section 8: in the one-sector model most substitution away
 * from a sanctioned supplier goes to domestic goods, so Russia's imports
 * from China fall when the West stops selling to Russia, while in fact
 * they doubled.  Nesting fixes the mechanism: importer j first splits its
 * spending between its own goods and a foreign composite with elasticity
 * theta (upper nest), then splits the foreign composite among foreign
 * suppliers with elasticity theta_f (lower nest).  With theta_f > theta,
 * foreign suppliers are closer substitutes for each other than for home
 * goods (Feenstra, Luck, Obstfeld & Russ 2018 find micro elasticities
 * among foreign sources well above the macro home-foreign elasticity).
 * With theta_f == theta it is exactly the one-sector model.
 *
 * In changes (hats), for importer j with import share lambda_j = M_j/E_j
 * and within-import shares s_kj = X_kj / M_j (k != j):
 *   F_j      = sum_{k != j} s_kj b_kj w_k^-theta_f,  PF_j = F_j^(-1/theta_f)
 *   H_j      = lambda_j PF_j^-theta + (1 - lambda_j) w_j^-theta
 *   lambda'_j = lambda_j PF_j^-theta / H_j,           P_j = H_j^(-1/theta)
 *   X'_kj    = lambda'_j E'_j s_kj b_kj w_k^-theta_f / F_j   (k != j)
 *   X'_jj    = (1 - lambda'_j) E'_j
 *   E'_j as in the one-sector model (additive or multiplicative deficits)
 *   clearing  w_i Y_i = sum_j X'_ij,  numeraire sum_i w_i Y_i = sum_i Y_i
 * Solved by a damped fixed point in log-wages,
 *   ln w_i += mu ln(sum_j X'_ij / (w_i Y_i)) / (1 + max(theta, theta_f)),
 * re-anchored to the numeraire every step; success needs the adding-up
 * residual below opts.residual_tol.  No allocation inside the iteration.
 */
#include <math.h>
#include <string.h>

#include "structural/trade.h"

struct ent_trade_nested_work {
  size_t cap;
  double *s;       /* [n*n] s_kj b_kj (k != j), 0 on the diagonal */
  double *Xn;      /* [n*n] new flows */
  double *Y, *E, *D, *lam; /* [n] */
  double *lnw, *w, *m;     /* [n] log w, w, w^-theta_f */
  double *F, *H, *Ep, *lamn, *sales; /* [n] */
};

ent_trade_nested_work *ent_trade_nested_work_alloc(size_t n) {
  if (n == 0 || n > 100000) return NULL;
  ent_trade_nested_work *w = ent_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->cap = n;
  w->s = ent_mallocarray(n * n, sizeof(double));
  w->Xn = ent_mallocarray(n * n, sizeof(double));
  double **v[] = {&w->Y, &w->E,  &w->D,  &w->lam,  &w->lnw, &w->w,
                  &w->m, &w->F,  &w->H,  &w->Ep,   &w->lamn, &w->sales};
  int ok = w->s && w->Xn;
  for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
    *v[k] = ent_mallocarray(n, sizeof(double));
    ok = ok && *v[k];
  }
  if (!ok) {
    ent_trade_nested_work_free(w);
    return NULL;
  }
  return w;
}

void ent_trade_nested_work_free(ent_trade_nested_work *w) {
  if (!w) return;
  double *v[] = {w->s, w->Xn, w->Y,  w->E,  w->D,  w->lam,  w->lnw,
                 w->w, w->m,  w->F,  w->H,  w->Ep, w->lamn, w->sales};
  for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) ent_free(v[k]);
  ent_free(w);
}

/* Flows and sales at the current log-wages.  Returns 0, or -1 when the
 * state is infeasible (E' <= 0 or a composite price undefined). */
static int evaluate(ent_trade_nested_work *w, size_t n, double th, double thf,
                    int multiplicative, double *kappa) {
  for (size_t i = 0; i < n; i++) {
    w->w[i] = exp(w->lnw[i]);
    w->m[i] = exp(-thf * w->lnw[i]);
    if (!(w->w[i] > 0.0) || !isfinite(w->w[i]) || !isfinite(w->m[i])) return -1;
  }
  if (multiplicative) {
    double sy = 0.0, se = 0.0;
    for (size_t j = 0; j < n; j++) {
      sy += w->w[j] * w->Y[j];
      se += w->w[j] * w->E[j];
    }
    *kappa = sy / se;
  } else {
    *kappa = 1.0;
  }
  for (size_t j = 0; j < n; j++) {
    w->Ep[j] = multiplicative ? *kappa * w->E[j] * w->w[j]
                              : w->w[j] * w->Y[j] + w->D[j];
    if (!(w->Ep[j] > 0.0) || !isfinite(w->Ep[j])) return -1;
    w->F[j] = 0.0;
    w->sales[j] = 0.0;
  }
  for (size_t k = 0; k < n; k++) {
    const double *row = w->s + k * n;
    double mk = w->m[k];
    for (size_t j = 0; j < n; j++) w->F[j] += row[j] * mk;
  }
  for (size_t j = 0; j < n; j++) {
    double home = (1.0 - w->lam[j]) * exp(-th * w->lnw[j]);
    double foreign = 0.0;
    if (w->lam[j] > 0.0) {
      if (!(w->F[j] > 0.0)) {
        /* every foreign supplier embargoed: the composite is gone */
        foreign = 0.0;
      } else {
        double PF = pow(w->F[j], -1.0 / thf);
        foreign = w->lam[j] * pow(PF, -th);
      }
    }
    w->H[j] = home + foreign;
    if (!(w->H[j] > 0.0) || !isfinite(w->H[j])) return -1;
    w->lamn[j] = foreign / w->H[j];
  }
  for (size_t k = 0; k < n; k++) {
    double mk = w->m[k], tot = 0.0;
    const double *row = w->s + k * n;
    double *xr = w->Xn + k * n;
    for (size_t j = 0; j < n; j++) {
      double x;
      if (j == k) x = (1.0 - w->lamn[j]) * w->Ep[j];
      else x = w->F[j] > 0.0 ? w->lamn[j] * w->Ep[j] * row[j] * mk / w->F[j] : 0.0;
      xr[j] = x;
      tot += x;
    }
    w->sales[k] = tot;
  }
  return 0;
}

ent_status ent_trade_nested_solve(size_t n, const double *X, const double *b,
                                  double theta, double theta_f,
                                  const ent_trade_opts *o,
                                  ent_trade_nested_work *w, double *X_new,
                                  double *w_hat, double *welfare,
                                  ent_trade_info *info) {
  memset(info, 0, sizeof *info);
  info->fail = ENT_TRADE_FAIL_BADARG;
  if (!w || n == 0 || n > w->cap || !(theta > 0.0) || !(theta_f > 0.0) ||
      !isfinite(theta) || !isfinite(theta_f) || !(o->tol > 0.0))
    return ENT_EINVAL;
  for (size_t i = 0; i < n; i++) {
    w->Y[i] = w->E[i] = 0.0;
  }
  for (size_t i = 0; i < n; i++) {
    if (!(X[i * n + i] > 0.0)) return ENT_EINVAL;
    for (size_t j = 0; j < n; j++) {
      double x = X[i * n + j], bb = b ? b[i * n + j] : 1.0;
      if (!isfinite(x) || x < 0.0 || !isfinite(bb) || bb < 0.0) return ENT_EINVAL;
      w->Y[i] += x;
      w->E[j] += x;
    }
  }
  double YW = 0.0;
  for (size_t j = 0; j < n; j++) {
    double M = w->E[j] - X[j * n + j];
    w->lam[j] = M / w->E[j];
    w->D[j] = w->E[j] - w->Y[j];
    YW += w->Y[j];
    for (size_t k = 0; k < n; k++)
      w->s[k * n + j] = k == j || M <= 0.0
                            ? 0.0
                            : X[k * n + j] / M * (b ? b[k * n + j] : 1.0);
  }
  for (size_t i = 0; i < n; i++) w->lnw[i] = 0.0;
  int multiplicative = o->deficit == ENT_TRADE_DEFICIT_MULTIPLICATIVE;
  double step = 1.0 / (1.0 + (theta > theta_f ? theta : theta_f));
  double mu = o->lambda;
  int max_iter = o->max_iter > 0 ? o->max_iter : 10000;
  double kappa = 1.0, crit = INFINITY;
  int it, restarts = 0;
  info->fail = ENT_TRADE_FAIL_NONE;
  for (it = 0; it < max_iter; it++) {
    if (evaluate(w, n, theta, theta_f, multiplicative, &kappa)) {
      /* infeasible: restart from the start with half the damping */
      if (restarts++ >= o->restarts) {
        info->fail = ENT_TRADE_FAIL_INFEASIBLE;
        break;
      }
      mu *= 0.5;
      for (size_t i = 0; i < n; i++) w->lnw[i] = 0.0;
      continue;
    }
    crit = 0.0;
    for (size_t i = 0; i < n; i++) {
      double d = mu * step * log(w->sales[i] / (w->w[i] * w->Y[i]));
      if (!isfinite(d)) d = 0.0;
      w->lnw[i] += d;
      if (fabs(d) > crit) crit = fabs(d);
    }
    double sw = 0.0;
    for (size_t i = 0; i < n; i++) sw += w->Y[i] * exp(w->lnw[i]);
    double shift = log(YW) - log(sw);
    for (size_t i = 0; i < n; i++) w->lnw[i] += shift;
    if (crit < o->tol) break;
  }
  info->iterations = info->fp_iterations = it + 1;
  info->crit = crit;
  info->lambda = mu;
  info->attempts = restarts + 1;
  if (info->fail == ENT_TRADE_FAIL_NONE &&
      evaluate(w, n, theta, theta_f, multiplicative, &kappa))
    info->fail = ENT_TRADE_FAIL_INFEASIBLE;
  if (info->fail != ENT_TRADE_FAIL_NONE) return ENT_ENOCONV;
  double res = 0.0;
  for (size_t i = 0; i < n; i++) {
    double e = fabs(w->sales[i] - w->w[i] * w->Y[i]) / w->Y[i];
    if (!(e <= res)) res = e;
  }
  info->residual = res;
  info->kappa = kappa;
  if (!(res <= o->residual_tol)) {
    info->fail = it >= max_iter ? ENT_TRADE_FAIL_MAXIT : ENT_TRADE_FAIL_RESIDUAL;
    return ENT_ENOCONV;
  }
  if (X_new) memcpy(X_new, w->Xn, n * n * sizeof *X_new);
  for (size_t j = 0; j < n; j++) {
    if (w_hat) w_hat[j] = w->w[j];
    if (welfare) {
      double P = pow(w->H[j], -1.0 / theta);
      welfare[j] = (w->Ep[j] / w->E[j]) / P;
    }
  }
  return ENT_OK;
}
