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
#include <float.h>
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
  /* Newton (ent_trade_nested_solve_newton) */
  double *J, *a, *h;       /* [n*n] Jacobian; per (l, j) log-derivatives */
  double *R, *dz, *ztry, *sig; /* [n]; sig [n*n] within-import shares */
  size_t *perm;            /* [n] */
};

ent_trade_nested_work *ent_trade_nested_work_alloc(size_t n) {
  if (n == 0 || n > 100000) return NULL;
  ent_trade_nested_work *w = ent_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->cap = n;
  w->s = ent_mallocarray(n * n, sizeof(double));
  w->Xn = ent_mallocarray(n * n, sizeof(double));
  w->J = ent_mallocarray(n * n, sizeof(double));
  w->a = ent_mallocarray(n * n, sizeof(double));
  w->h = ent_mallocarray(n * n, sizeof(double));
  w->sig = ent_mallocarray(n * n, sizeof(double));
  w->perm = ent_mallocarray(n, sizeof(size_t));
  double **v[] = {&w->Y,    &w->E, &w->D,  &w->lam,   &w->lnw, &w->w,
                  &w->m,    &w->F, &w->H,  &w->Ep,    &w->lamn, &w->sales,
                  &w->R,    &w->dz, &w->ztry};
  int ok = w->s && w->Xn && w->J && w->a && w->h && w->sig && w->perm;
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
  double *v[] = {w->s,  w->Xn, w->Y,  w->E,  w->D,    w->lam,  w->lnw,
                 w->w,  w->m,  w->F,  w->H,  w->Ep,   w->lamn, w->sales,
                 w->J,  w->a,  w->h,  w->sig, w->R,   w->dz,   w->ztry};
  ent_free(w->perm);
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

/* Checks the arguments and fills Y, E, D, lam, s.  Returns 0, or -1 for
 * invalid input; *YW = world output. */
static int prepare(size_t n, const double *X, const double *b, double theta,
                   double theta_f, const ent_trade_opts *o,
                   ent_trade_nested_work *w, double *YW) {
  if (!w || n == 0 || n > w->cap || !(theta > 0.0) || !(theta_f > 0.0) ||
      !isfinite(theta) || !isfinite(theta_f) || !(o->tol > 0.0))
    return -1;
  for (size_t i = 0; i < n; i++) {
    w->Y[i] = w->E[i] = 0.0;
  }
  for (size_t i = 0; i < n; i++) {
    if (!(X[i * n + i] > 0.0)) return -1;
    for (size_t j = 0; j < n; j++) {
      double x = X[i * n + j], bb = b ? b[i * n + j] : 1.0;
      if (!isfinite(x) || x < 0.0 || !isfinite(bb) || bb < 0.0) return -1;
      w->Y[i] += x;
      w->E[j] += x;
    }
  }
  *YW = 0.0;
  for (size_t j = 0; j < n; j++) {
    double M = w->E[j] - X[j * n + j];
    w->lam[j] = M / w->E[j];
    w->D[j] = w->E[j] - w->Y[j];
    *YW += w->Y[j];
    for (size_t k = 0; k < n; k++)
      w->s[k * n + j] = k == j || M <= 0.0
                            ? 0.0
                            : X[k * n + j] / M * (b ? b[k * n + j] : 1.0);
  }
  return 0;
}

/* The damped fixed point from ln w = 0 (the file's comment).  Leaves the
 * state current at the last iterate; 0 when that state is feasible (the
 * adding-up check decides the rest; *hit_max when the iteration limit
 * ended it), else -1 (info->fail set). */
static int fixed_point(ent_trade_nested_work *w, size_t n, double theta,
                       double theta_f, const ent_trade_opts *o, double YW,
                       double *kappa, int *hit_max, ent_trade_info *info) {
  for (size_t i = 0; i < n; i++) w->lnw[i] = 0.0;
  int multiplicative = o->deficit == ENT_TRADE_DEFICIT_MULTIPLICATIVE;
  double step = 1.0 / (1.0 + (theta > theta_f ? theta : theta_f));
  double mu = o->lambda;
  int max_iter = o->max_iter > 0 ? o->max_iter : 10000;
  double crit = INFINITY;
  int it, restarts = 0;
  info->fail = ENT_TRADE_FAIL_NONE;
  for (it = 0; it < max_iter; it++) {
    if (evaluate(w, n, theta, theta_f, multiplicative, kappa)) {
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
  info->fp_iterations += it + 1;
  info->iterations += it + 1;
  info->crit = crit;
  info->lambda = mu;
  info->attempts = restarts + 1;
  if (info->fail == ENT_TRADE_FAIL_NONE &&
      evaluate(w, n, theta, theta_f, multiplicative, kappa))
    info->fail = ENT_TRADE_FAIL_INFEASIBLE;
  *hit_max = it >= max_iter;
  return info->fail == ENT_TRADE_FAIL_NONE ? 0 : -1;
}

/* The adding-up check and the outputs of a current state. */
static ent_status finish(ent_trade_nested_work *w, size_t n, double theta,
                         const ent_trade_opts *o, double kappa, int hit_max,
                         double *X_new, double *w_hat, double *welfare,
                         ent_trade_info *info) {
  double res = 0.0;
  for (size_t i = 0; i < n; i++) {
    double e = fabs(w->sales[i] - w->w[i] * w->Y[i]) / w->Y[i];
    if (!(e <= res)) res = e;
  }
  info->residual = res;
  info->kappa = kappa;
  if (!(res <= o->residual_tol)) {
    info->fail = hit_max ? ENT_TRADE_FAIL_MAXIT : ENT_TRADE_FAIL_RESIDUAL;
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

ent_status ent_trade_nested_solve(size_t n, const double *X, const double *b,
                                  double theta, double theta_f,
                                  const ent_trade_opts *o,
                                  ent_trade_nested_work *w, double *X_new,
                                  double *w_hat, double *welfare,
                                  ent_trade_info *info) {
  memset(info, 0, sizeof *info);
  info->fail = ENT_TRADE_FAIL_BADARG;
  double YW = 0.0, kappa = 1.0;
  if (prepare(n, X, b, theta, theta_f, o, w, &YW)) return ENT_EINVAL;
  int hit_max = 0;
  if (fixed_point(w, n, theta, theta_f, o, YW, &kappa, &hit_max, info))
    return ENT_ENOCONV;
  return finish(w, n, theta, o, kappa, hit_max, X_new, w_hat, welfare, info);
}

/* ------------------------------------------------------------ Newton */

/* Residuals at the current state: market clearing of countries 0..n-2
 * relative to Y_i, and the numeraire relative to Y_W.  Returns max |R|. */
static double nested_residual(ent_trade_nested_work *w, size_t n, double YW) {
  double merit = 0.0, sw = 0.0;
  for (size_t i = 0; i + 1 < n; i++) {
    w->R[i] = (w->sales[i] - w->w[i] * w->Y[i]) / w->Y[i];
    if (!(fabs(w->R[i]) <= merit)) merit = fabs(w->R[i]);
  }
  for (size_t i = 0; i < n; i++) sw += w->w[i] * w->Y[i];
  w->R[n - 1] = (sw - YW) / YW;
  if (!(fabs(w->R[n - 1]) <= merit)) merit = fabs(w->R[n - 1]);
  return merit;
}

/* Jacobian dR_i/dz_l (z = ln w) at the current state, analytically
 * (docs/models/gravity.md, "Nested CES: Newton").  With the within-import
 * share sigma_lj = s_lj m_l / F_j of supplier l in j's new imports and
 * e_jl = d ln E'_j / d z_l:
 *   d ln X'_kj / d z_l = theta (1 - lam'_j)(d_jl - sigma_lj)
 *                        + theta_f (sigma_lj - d_kl) + e_jl      (k != j)
 *   d ln X'_jj / d z_l = theta lam'_j (sigma_lj - d_jl) + e_jl
 * so dS_i/dz_l = sum_{j != i} X'_ij a_lj + X'_ii h_li - theta_f d_il
 * sum_{j != i} X'_ij with a, h the bracketed terms without d_kl. */
static void nested_jacobian(ent_trade_nested_work *w, size_t n, double th,
                            double thf, int multiplicative, double YW) {
  double sy = 0.0, se = 0.0;
  for (size_t j = 0; j < n; j++) {
    sy += w->w[j] * w->Y[j];
    se += w->w[j] * w->E[j];
  }
  for (size_t l = 0; l < n; l++) {
    double kap = multiplicative ? w->w[l] * w->Y[l] / sy - w->w[l] * w->E[l] / se
                                : 0.0;
    for (size_t j = 0; j < n; j++) {
      double sig = w->F[j] > 0.0 ? w->s[l * n + j] * w->m[l] / w->F[j] : 0.0;
      double dl = l == j ? 1.0 : 0.0;
      double e = multiplicative ? dl + kap
                                : (l == j ? w->w[j] * w->Y[j] / w->Ep[j] : 0.0);
      w->a[l * n + j] = th * (1.0 - w->lamn[j]) * (dl - sig) + thf * sig + e;
      w->h[l * n + j] = th * w->lamn[j] * (sig - dl) + e;
    }
  }
  for (size_t i = 0; i + 1 < n; i++) {
    const double *xi = w->Xn + i * n;
    double foreign = 0.0;
    for (size_t j = 0; j < n; j++)
      if (j != i) foreign += xi[j];
    double *Ji = w->J + i * n;
    for (size_t l = 0; l < n; l++) {
      const double *al = w->a + l * n;
      double d = xi[i] * w->h[l * n + i];
      for (size_t j = 0; j < i; j++) d += xi[j] * al[j]; /* j != i, in order */
      for (size_t j = i + 1; j < n; j++) d += xi[j] * al[j];
      if (l == i) d -= thf * foreign + w->w[i] * w->Y[i];
      Ji[l] = d / w->Y[i];
    }
  }
  double *Jn = w->J + (n - 1) * n;
  for (size_t l = 0; l < n; l++) Jn[l] = w->w[l] * w->Y[l] / YW;
}

/* Merit at rounding level: no Newton step can make progress below it. */
#define NESTED_MERIT_FLOOR (64.0 * DBL_EPSILON)

/* Newton with a halving line search on max |R| from w->lnw.  Returns 0
 * with the state current at the solution (last step below o->tol, or no
 * descent left from a merit at rounding level), else -1. */
static int nested_newton(ent_trade_nested_work *w, size_t n, double th,
                         double thf, const ent_trade_opts *o, double YW,
                         double *kappa, ent_trade_info *info) {
  int mult = o->deficit == ENT_TRADE_DEFICIT_MULTIPLICATIVE;
  if (evaluate(w, n, th, thf, mult, kappa)) return -1;
  double merit = nested_residual(w, n, YW);
  int max_iter = o->newton_max_iter > 0 ? o->newton_max_iter : 100;
  for (int it = 0; it < max_iter; it++) {
    if (merit == 0.0) return 0;
    nested_jacobian(w, n, th, thf, mult, YW);
    for (size_t i = 0; i < n; i++) w->ztry[i] = -w->R[i];
    if (ent_trade_lu_solve(w->J, w->perm, n, w->ztry, w->dz)) return -1;
    info->newton_iterations++;
    info->iterations++;
    memcpy(w->ztry, w->lnw, n * sizeof *w->ztry); /* the point to return to */
    double t = 1.0, step = 0.0;
    int accepted = 0;
    for (int ls = 0; ls < 40 && !accepted; ls++, t *= 0.5) {
      step = 0.0;
      for (size_t i = 0; i < n; i++) {
        w->lnw[i] = w->ztry[i] + t * w->dz[i];
        if (fabs(t * w->dz[i]) > step) step = fabs(t * w->dz[i]);
      }
      if (evaluate(w, n, th, thf, mult, kappa)) continue;
      double mt = nested_residual(w, n, YW);
      /* a full step below tol is taken as it is: the merit is at
       * rounding level there and need not decrease */
      if (mt < merit || (t == 1.0 && step < o->tol && mt <= 2.0 * merit)) {
        merit = mt;
        accepted = 1;
      }
    }
    if (!accepted) {
      memcpy(w->lnw, w->ztry, n * sizeof *w->lnw);
      if (evaluate(w, n, th, thf, mult, kappa)) return -1;
      nested_residual(w, n, YW);
      return info->newton_iterations > 1 && merit <= NESTED_MERIT_FLOOR ? 0 : -1;
    }
    info->crit = step;
    if (step < o->tol) return 0;
  }
  return -1;
}

ent_status ent_trade_nested_solve_newton(size_t n, const double *X,
                                         const double *b, double theta,
                                         double theta_f,
                                         const ent_trade_opts *o,
                                         const double *w_start,
                                         ent_trade_nested_work *w,
                                         double *X_new, double *w_hat,
                                         double *welfare,
                                         ent_trade_info *info) {
  memset(info, 0, sizeof *info);
  info->fail = ENT_TRADE_FAIL_BADARG;
  double YW = 0.0, kappa = 1.0;
  if (prepare(n, X, b, theta, theta_f, o, w, &YW)) return ENT_EINVAL;
  if (w_start)
    for (size_t i = 0; i < n; i++)
      if (!(w_start[i] > 0.0) || !isfinite(w_start[i])) return ENT_EINVAL;
  info->fail = ENT_TRADE_FAIL_NONE;
  if (o->newton) {
    /* the start, re-anchored to the numeraire sum_i w_i Y_i = Y_W */
    double sw = 0.0;
    for (size_t i = 0; i < n; i++) {
      w->lnw[i] = w_start ? log(w_start[i]) : 0.0;
      sw += w->Y[i] * exp(w->lnw[i]);
    }
    double shift = log(YW) - log(sw);
    for (size_t i = 0; i < n; i++) w->lnw[i] += shift;
    if (nested_newton(w, n, theta, theta_f, o, YW, &kappa, info) == 0) {
      info->attempts = 0;
      info->lambda = o->lambda;
      ent_status rc = finish(w, n, theta, o, kappa, 0, X_new, w_hat, welfare, info);
      if (rc == ENT_OK) return rc;
      info->fail = ENT_TRADE_FAIL_NONE;
    }
  }
  /* Newton failed: the fixed point from the start */
  int hit_max = 0;
  if (fixed_point(w, n, theta, theta_f, o, YW, &kappa, &hit_max, info))
    return ENT_ENOCONV;
  return finish(w, n, theta, o, kappa, hit_max, X_new, w_hat, welfare, info);
}
