/*
 * trade.c -- the GE structural gravity counterfactual; specification
 * docs/models/gravity.md (section numbers below refer to it), reference
 * cases tests/data/gravity/.
 *
 * The system in changes (section 3), unknowns w_i = w_hat_i:
 *   Phi_j = sum_k pi_kj b_kj w_k^-theta                        (E1)
 *   E'_j  = w_j Y_j + D_j  |  kappa w_j E_j                     (E2)
 *   w_i^(1+theta) = (1/Y_i) sum_j pi_ij b_ij E'_j / Phi_j       (E4 with E3)
 *   sum_i w_i Y_i = sum_i Y_i                                   (E5)
 *
 * Storage: pb = pi_ij * b_ij row-major (row = exporter), computed once per
 * solve.  Both O(n^2) kernels of an iteration walk pb row by row:
 *   A_i   = sum_j pb_ij q_j           (q_j = E'_j / Phi_j), a dot product;
 *   Phi_j = sum_k pb_kj m_k           (m_k = w_k^-theta), an axpy per row.
 * Sums always run in index order, so results are deterministic.
 *
 * Solver (section 5): the damped fixed point in log-wages with the
 * world-output numeraire; an attempt that stalls (no new smallest step for
 * ENT_TRADE_STALL_ITER iterations) or reaches an infeasible state (some
 * E'_j <= 0) is restarted from the start with half the damping factor, up
 * to opts.restarts times; if the iteration budget runs out or every
 * attempt failed, Newton on log-wages (section 5.2, analytic Jacobian,
 * backtracking) starts from the best fixed-point iterate.  Success always
 * requires the final adding-up residual (section 5.1) below
 * opts.residual_tol: an iteration count is never trusted alone.
 */
#include "structural/trade.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "base/csv.h"

struct ent_trade_work {
  size_t cap;
  double *pb;     /* [n*n] pi_ij * b_ij */
  double *J;      /* [n*n] Newton Jacobian, LU factors in place */
  double *Y, *E, *D;      /* [n] baseline output, expenditure, deficit */
  double *lnw, *lnw_old;  /* [n] log w_hat now / before the step */
  double *w, *m;          /* [n] w_hat, w_hat^-theta */
  double *Phi, *Ep, *q;   /* [n] Phi_hat, E', E'/Phi */
  double *A;              /* [n] sum_j pb_ij q_j */
  double *best;           /* [n] log-wages of the smallest step seen */
  double *F, *dz, *ztry;  /* [n] Newton residual, step, trial point */
  double *r;              /* [n] q_j / Phi_j (Newton) */
  size_t *perm;           /* [n] LU row permutation */
};

enum { N_VEC = 16 };

ent_trade_work *ent_trade_work_alloc(size_t n) {
  if (n == 0 || n > SIZE_MAX / n / sizeof(double)) return NULL;
  ent_trade_work *w = ent_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->cap = n;
  w->pb = ent_mallocarray(n * n, sizeof(double));
  w->J = ent_mallocarray(n * n, sizeof(double));
  /* One block for the vectors. */
  double *v = ent_mallocarray((size_t)N_VEC * n, sizeof(double));
  w->perm = ent_mallocarray(n, sizeof(size_t));
  if (!w->pb || !w->J || !v || !w->perm) {
    ent_free(v);
    w->Y = NULL;
    ent_trade_work_free(w);
    return NULL;
  }
  double **slots[N_VEC] = {&w->Y,   &w->E,  &w->D,   &w->lnw, &w->lnw_old,
                           &w->w,   &w->m,  &w->Phi, &w->Ep,  &w->q,
                           &w->A,   &w->best, &w->F, &w->dz,  &w->ztry,
                           &w->r};
  for (size_t k = 0; k < N_VEC; k++) *slots[k] = v + k * n;
  return w;
}

void ent_trade_work_free(ent_trade_work *w) {
  if (!w) return;
  ent_free(w->pb);
  ent_free(w->J);
  ent_free(w->Y); /* the vector block */
  ent_free(w->perm);
  ent_free(w);
}

size_t ent_trade_work_size(const ent_trade_work *w) { return w ? w->cap : 0; }

void ent_trade_opts_init(ent_trade_opts *o) {
  o->theta = 4.0;
  o->deficit = ENT_TRADE_DEFICIT_ADDITIVE;
  o->tol = 1e-12;
  o->max_iter = 10000;
  o->lambda = 1.0;
  o->restarts = 3;
  o->newton = 1;
  o->newton_max_iter = 100;
  o->residual_tol = 1e-9;
}

const char *ent_trade_fail_str(ent_trade_fail f) {
  switch (f) {
  case ENT_TRADE_FAIL_NONE: return "converged";
  case ENT_TRADE_FAIL_BADARG: return "invalid input";
  case ENT_TRADE_FAIL_INFEASIBLE:
    return "infeasible: an expenditure would turn non-positive";
  case ENT_TRADE_FAIL_MAXIT: return "iteration limit reached";
  case ENT_TRADE_FAIL_RESIDUAL: return "adding-up residual too large";
  case ENT_TRADE_FAIL_SINGULAR: return "Newton step failed";
  }
  return "unknown";
}

/* ------------------------------------------------------------ kernels */

static int opts_valid(const ent_trade_opts *o) {
  return isfinite(o->theta) && o->theta > 0.0 && isfinite(o->tol) &&
         o->tol > 0.0 && o->max_iter >= 0 && isfinite(o->lambda) &&
         o->lambda > 0.0 && o->lambda <= 1.0 && o->restarts >= 0 &&
         o->restarts <= 60 && o->newton_max_iter >= 0 &&
         isfinite(o->residual_tol) && o->residual_tol > 0.0 &&
         (o->deficit == ENT_TRADE_DEFICIT_ADDITIVE ||
          o->deficit == ENT_TRADE_DEFICIT_MULTIPLICATIVE);
}

/* Checks X and b; fills Y, E, D and pb.  Returns 0 or -1. */
static int prepare(size_t n, const double *X, const double *b,
                   ent_trade_work *w, size_t *where) {
  for (size_t i = 0; i < n; i++) {
    w->Y[i] = 0.0;
    w->E[i] = 0.0;
  }
  for (size_t i = 0; i < n; i++) {
    const double *xr = X + i * n, *br = b ? b + i * n : NULL;
    if (!(xr[i] > 0.0)) {
      *where = i;
      return -1;
    }
    for (size_t j = 0; j < n; j++) {
      double x = xr[j], bb = br ? br[j] : 1.0;
      if (!isfinite(x) || x < 0.0 || !isfinite(bb) || bb < 0.0) {
        *where = i;
        return -1;
      }
      w->Y[i] += x;
      w->E[j] += x;
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(w->Y[i]) || !isfinite(w->E[i])) {
      *where = i;
      return -1;
    }
    w->D[i] = w->E[i] - w->Y[i];
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      w->pb[i * n + j] = X[i * n + j] / w->E[j] * (b ? b[i * n + j] : 1.0);
  return 0;
}

/* From w->lnw: w, m, Phi, E', q (E1, E2).  Returns 0, or -1 if some E'_j
 * or Phi_j is not positive and finite (index in *where). */
static int state_from_lnw(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                          const double *lnw, double *kappa, size_t *where) {
  double theta = o->theta;
  for (size_t i = 0; i < n; i++) {
    w->w[i] = exp(lnw[i]);
    w->m[i] = exp(-theta * lnw[i]);
    w->Phi[i] = 0.0;
    if (!(w->w[i] > 0.0) || !isfinite(w->w[i]) || !isfinite(w->m[i])) {
      *where = i;
      return -1;
    }
  }
  double *restrict Phi = w->Phi;
  for (size_t k = 0; k < n; k++) {
    const double *restrict row = w->pb + k * n;
    double mk = w->m[k];
    if (mk == 0.0) continue;
    for (size_t j = 0; j < n; j++) Phi[j] += row[j] * mk;
  }
  if (o->deficit == ENT_TRADE_DEFICIT_ADDITIVE) {
    *kappa = 1.0;
    for (size_t j = 0; j < n; j++) w->Ep[j] = w->w[j] * w->Y[j] + w->D[j];
  } else {
    double sy = 0.0, se = 0.0;
    for (size_t j = 0; j < n; j++) {
      sy += w->w[j] * w->Y[j];
      se += w->w[j] * w->E[j];
    }
    *kappa = sy / se;
    for (size_t j = 0; j < n; j++) w->Ep[j] = *kappa * w->E[j] * w->w[j];
  }
  for (size_t j = 0; j < n; j++) {
    if (!(w->Ep[j] > 0.0) || !(w->Phi[j] > 0.0) || !isfinite(w->Ep[j]) ||
        !isfinite(w->Phi[j])) {
      *where = j;
      return -1;
    }
    w->q[j] = w->Ep[j] / w->Phi[j];
  }
  return 0;
}

/* A_i = sum_j pb_ij q_j for every i.  Four partial sums (j mod 4) let the
 * compiler vectorise without -ffast-math; the summation order is fixed, so
 * results stay deterministic. */
static void row_sums(ent_trade_work *w, size_t n) {
  const double *restrict q = w->q;
  for (size_t i = 0; i < n; i++) {
    const double *restrict row = w->pb + i * n;
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
      s0 += row[j] * q[j];
      s1 += row[j + 1] * q[j + 1];
      s2 += row[j + 2] * q[j + 2];
      s3 += row[j + 3] * q[j + 3];
    }
    for (; j < n; j++) s0 += row[j] * q[j];
    w->A[i] = (s0 + s1) + (s2 + s3);
  }
}

/* Shift lnw so that sum_i w_i Y_i = YW (E5). */
static void numeraire(size_t n, const double *Y, double YW, double *lnw) {
  double s = 0.0;
  for (size_t i = 0; i < n; i++) s += Y[i] * exp(lnw[i]);
  double shift = log(YW) - log(s);
  for (size_t i = 0; i < n; i++) lnw[i] += shift;
}

/* Adding-up residual of the current state: max_i |m_i A_i - w_i Y_i|/Y_i
 * (sum_j X'_ij = m_i A_i).  Requires A from row_sums. */
static double adding_up(const ent_trade_work *w, size_t n) {
  double res = 0.0;
  for (size_t i = 0; i < n; i++) {
    double e = fabs(w->m[i] * w->A[i] - w->w[i] * w->Y[i]) / w->Y[i];
    if (!(e <= res)) res = e; /* NaN propagates as "large" */
  }
  return res;
}

/* ------------------------------------------------------------ Newton */

/* Residuals F (section 5.2): market clearing of countries 0..n-2 scaled by
 * Y_i, and the numeraire.  State must be current.  Returns max |F|. */
static double newton_residual(ent_trade_work *w, size_t n, double YW) {
  row_sums(w, n);
  double merit = 0.0, s = 0.0;
  for (size_t i = 0; i + 1 < n; i++) {
    w->F[i] = (w->m[i] * w->A[i] - w->w[i] * w->Y[i]) / w->Y[i];
    if (!(fabs(w->F[i]) <= merit)) merit = fabs(w->F[i]);
  }
  for (size_t i = 0; i < n; i++) s += w->w[i] * w->Y[i];
  w->F[n - 1] = (s - YW) / YW;
  if (!(fabs(w->F[n - 1]) <= merit)) merit = fabs(w->F[n - 1]);
  return merit;
}

/* Jacobian dF_i/dz_k, z = ln w, at the current state (A current). */
static void newton_jacobian(ent_trade_work *w, size_t n,
                            const ent_trade_opts *o, double YW) {
  double theta = o->theta;
  int add = o->deficit == ENT_TRADE_DEFICIT_ADDITIVE;
  double sy = 0.0, se = 0.0;
  for (size_t j = 0; j < n; j++) {
    w->r[j] = w->q[j] / w->Phi[j];
    sy += w->w[j] * w->Y[j];
    se += w->w[j] * w->E[j];
  }
  for (size_t i = 0; i + 1 < n; i++) {
    const double *pi = w->pb + i * n;
    double mi = w->m[i], Si = mi * w->A[i];
    double *Ji = w->J + i * n;
    for (size_t k = 0; k < n; k++) {
      const double *pk = w->pb + k * n;
      double g = 0.0; /* sum_j pb_ij pb_kj q_j / Phi_j */
      for (size_t j = 0; j < n; j++) g += pi[j] * pk[j] * w->r[j];
      /* d S_i / d z_k = -theta d_ik S_i + theta sum_j X'_ij pi'_kj
       *                 + sum_j X'_ij d ln E'_j / d z_k */
      double d = theta * mi * w->m[k] * g;
      double xik = pi[k] * mi * w->q[k]; /* X'_ik */
      if (add)
        d += xik * w->w[k] * w->Y[k] / w->Ep[k];
      else
        d += xik + Si * (w->w[k] * w->Y[k] / sy - w->w[k] * w->E[k] / se);
      if (k == i) d -= theta * Si + w->w[i] * w->Y[i];
      Ji[k] = d / w->Y[i];
    }
  }
  double *Jn = w->J + (n - 1) * n;
  for (size_t k = 0; k < n; k++) Jn[k] = w->w[k] * w->Y[k] / YW;
}

/* LU with partial pivoting in place; solves J x = rhs into x.  Returns -1
 * when J is singular to working precision. */
static int lu_solve(double *J, size_t *perm, size_t n, const double *rhs,
                    double *x) {
  for (size_t i = 0; i < n; i++) perm[i] = i;
  double scale = 0.0;
  for (size_t i = 0; i < n * n; i++)
    if (fabs(J[i]) > scale) scale = fabs(J[i]);
  if (!(scale > 0.0) || !isfinite(scale)) return -1;
  for (size_t c = 0; c < n; c++) {
    size_t p = c;
    for (size_t i = c + 1; i < n; i++)
      if (fabs(J[i * n + c]) > fabs(J[p * n + c])) p = i;
    if (!(fabs(J[p * n + c]) > 1e-14 * scale)) return -1;
    if (p != c) {
      for (size_t k = 0; k < n; k++) {
        double t = J[c * n + k];
        J[c * n + k] = J[p * n + k];
        J[p * n + k] = t;
      }
      size_t t = perm[c];
      perm[c] = perm[p];
      perm[p] = t;
    }
    double piv = J[c * n + c];
    for (size_t i = c + 1; i < n; i++) {
      double f = J[i * n + c] / piv;
      J[i * n + c] = f;
      if (f == 0.0) continue;
      for (size_t k = c + 1; k < n; k++) J[i * n + k] -= f * J[c * n + k];
    }
  }
  for (size_t i = 0; i < n; i++) { /* forward: L y = P rhs */
    double s = rhs[perm[i]];
    for (size_t k = 0; k < i; k++) s -= J[i * n + k] * x[k];
    x[i] = s;
  }
  for (size_t i = n; i-- > 0;) { /* back: U x = y */
    double s = x[i];
    for (size_t k = i + 1; k < n; k++) s -= J[i * n + k] * x[k];
    x[i] = s / J[i * n + i];
  }
  return 0;
}

/* Newton from w->lnw (feasible).  Returns 0 when converged (last step
 * below tol), -1 otherwise (info->fail set).  Leaves the state current. */
static int newton(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                  double YW, ent_trade_info *info) {
  size_t where = 0;
  double kappa = 1.0;
  if (state_from_lnw(w, n, o, w->lnw, &kappa, &where)) {
    info->fail = ENT_TRADE_FAIL_INFEASIBLE;
    info->where = where;
    return -1;
  }
  double merit = newton_residual(w, n, YW);
  for (int it = 0; it < o->newton_max_iter; it++) {
    if (merit == 0.0) return 0;
    newton_jacobian(w, n, o, YW);
    for (size_t i = 0; i < n; i++) w->ztry[i] = -w->F[i];
    if (lu_solve(w->J, w->perm, n, w->ztry, w->dz)) {
      info->fail = ENT_TRADE_FAIL_SINGULAR;
      return -1;
    }
    info->newton_iterations++;
    info->iterations++;
    double t = 1.0, step = 0.0;
    int accepted = 0;
    for (int ls = 0; ls < 40; ls++, t *= 0.5) {
      step = 0.0;
      for (size_t i = 0; i < n; i++) {
        w->ztry[i] = w->lnw[i] + t * w->dz[i];
        if (fabs(t * w->dz[i]) > step) step = fabs(t * w->dz[i]);
      }
      if (state_from_lnw(w, n, o, w->ztry, &kappa, &where)) continue;
      double mt = newton_residual(w, n, YW);
      /* A full step smaller than tol is accepted as it is: at that point
       * the merit sits at rounding level and need not decrease. */
      if (mt < merit || (t == 1.0 && step < o->tol && mt <= 2.0 * merit)) {
        merit = mt;
        accepted = 1;
        break;
      }
    }
    if (!accepted) {
      /* Restore the state of lnw. */
      state_from_lnw(w, n, o, w->lnw, &kappa, &where);
      newton_residual(w, n, YW);
      info->fail = ENT_TRADE_FAIL_SINGULAR;
      return -1;
    }
    memcpy(w->lnw, w->ztry, n * sizeof *w->lnw);
    info->crit = step;
    info->kappa = kappa;
    if (step < o->tol) return 0;
  }
  info->fail = ENT_TRADE_FAIL_MAXIT;
  return -1;
}

/* ------------------------------------------------------------ solver */

ent_status ent_trade_ge_solve(size_t n, const double *X, const double *b,
                              const ent_trade_opts *o, const double *w_start,
                              ent_trade_work *w, const ent_trade_out *out,
                              ent_trade_info *info) {
  ent_trade_info dummy;
  if (!info) info = &dummy;
  memset(info, 0, sizeof *info);
  info->kappa = 1.0;
  info->crit = HUGE_VAL;
  info->residual = HUGE_VAL;
  if (!w || !o || !X || n == 0 || n > w->cap || !opts_valid(o)) {
    info->fail = ENT_TRADE_FAIL_BADARG;
    return ENT_EINVAL;
  }
  if (prepare(n, X, b, w, &info->where)) {
    info->fail = ENT_TRADE_FAIL_BADARG;
    return ENT_EINVAL;
  }
  if (w_start)
    for (size_t i = 0; i < n; i++)
      if (!(w_start[i] > 0.0) || !isfinite(w_start[i])) {
        info->fail = ENT_TRADE_FAIL_BADARG;
        info->where = i;
        return ENT_EINVAL;
      }
  const double theta = o->theta;
  double YW = 0.0;
  for (size_t i = 0; i < n; i++) YW += w->Y[i];

  int converged = 0, infeasible_seen = 0;
  size_t infeasible_where = 0;
  double best_crit = HUGE_VAL, kappa = 1.0;
  int have_best = 0, budget = o->max_iter;
  double lam = o->lambda;

  for (int attempt = 0; attempt <= o->restarts && budget > 0 && !converged;
       attempt++, lam *= 0.5) {
    info->attempts++;
    info->lambda = lam;
    size_t where = 0;
    /* Start: w = 1, Phi = 1, E' = E (section 5.1), or the warm start. */
    int warm = 0;
    if (w_start) {
      for (size_t i = 0; i < n; i++) w->lnw[i] = log(w_start[i]);
      numeraire(n, w->Y, YW, w->lnw);
      warm = state_from_lnw(w, n, o, w->lnw, &kappa, &where) == 0;
    }
    if (!warm)
      for (size_t i = 0; i < n; i++) {
        w->lnw[i] = 0.0;
        w->q[i] = w->E[i]; /* E'_j / Phi_j with Phi = 1 */
      }
    double att_best = HUGE_VAL;
    int since = 0, failed = 0;
    while (budget > 0) {
      budget--;
      info->fp_iterations++;
      info->iterations++;
      memcpy(w->lnw_old, w->lnw, n * sizeof *w->lnw);
      /* 1: candidate wages from market clearing. */
      row_sums(w, n);
      for (size_t i = 0; i < n; i++) {
        if (!(w->A[i] > 0.0) || !isfinite(w->A[i])) {
          failed = 1;
          where = i;
          break;
        }
        double lnc = (log(w->A[i]) - log(w->Y[i])) / (1.0 + theta);
        /* 2: damping in logs. */
        w->lnw[i] = lam == 1.0 ? lnc : (1.0 - lam) * w->lnw_old[i] + lam * lnc;
      }
      /* 3: numeraire; 4: price indices and expenditures. */
      if (!failed) numeraire(n, w->Y, YW, w->lnw);
      if (failed || state_from_lnw(w, n, o, w->lnw, &kappa, &where)) {
        infeasible_seen = 1;
        infeasible_where = where;
        failed = 1;
        break;
      }
      /* 5: wage-based criterion. */
      double crit = 0.0;
      for (size_t i = 0; i < n; i++) {
        double d = fabs(w->lnw[i] - w->lnw_old[i]);
        if (d > crit) crit = d;
      }
      info->crit = crit;
      info->kappa = kappa;
      if (crit < best_crit) {
        best_crit = crit;
        have_best = 1;
        memcpy(w->best, w->lnw, n * sizeof *w->lnw);
      }
      if (crit < o->tol) {
        converged = 1;
        break;
      }
      if (crit < att_best) {
        att_best = crit;
        since = 0;
      } else if (++since >= ENT_TRADE_STALL_ITER) {
        failed = 1; /* stalled or oscillating */
        break;
      }
    }
    if (!converged && !failed) break; /* budget used up: go to Newton */
  }

  if (!converged && o->newton) {
    if (have_best) {
      memcpy(w->lnw, w->best, n * sizeof *w->lnw);
    } else {
      for (size_t i = 0; i < n; i++)
        w->lnw[i] = w_start ? log(w_start[i]) : 0.0;
      numeraire(n, w->Y, YW, w->lnw);
    }
    info->fail = ENT_TRADE_FAIL_NONE;
    converged = newton(w, n, o, YW, info) == 0;
    if (!converged && infeasible_seen &&
        info->fail != ENT_TRADE_FAIL_INFEASIBLE) {
      info->fail = ENT_TRADE_FAIL_INFEASIBLE;
      info->where = infeasible_where;
    }
    info->kappa = kappa;
  } else if (!converged) {
    info->fail =
        infeasible_seen ? ENT_TRADE_FAIL_INFEASIBLE : ENT_TRADE_FAIL_MAXIT;
    if (infeasible_seen) info->where = infeasible_where;
  }

  /* Final residual on the state of the last iterate (always computed). */
  if (converged || info->fail != ENT_TRADE_FAIL_INFEASIBLE) {
    size_t where = 0;
    if (state_from_lnw(w, n, o, w->lnw, &kappa, &where) == 0) {
      row_sums(w, n);
      info->residual = adding_up(w, n);
    }
  }
  if (!converged) return ENT_ENOCONV;
  if (!(info->residual < o->residual_tol)) {
    info->fail = ENT_TRADE_FAIL_RESIDUAL;
    return ENT_ENOCONV;
  }
  info->kappa = kappa;

  /* Outputs (section 4). */
  double YWhat = 0.0;
  for (size_t i = 0; i < n; i++) YWhat += w->w[i] * w->Y[i];
  YWhat /= YW;
  for (size_t j = 0; j < n; j++) {
    double lnP = -log(w->Phi[j]) / theta;
    double P = exp(lnP), Eh = w->Ep[j] / w->E[j];
    double omr = exp(-((1.0 + theta) * w->lnw[j] - log(YWhat)) / theta);
    double pown = w->pb[j * n + j] * w->m[j] / w->Phi[j];
    if (!isfinite(P) || !isfinite(Eh) || !isfinite(omr) || !(P > 0.0)) {
      info->fail = ENT_TRADE_FAIL_RESIDUAL;
      info->where = j;
      return ENT_ENOCONV;
    }
    if (out->w_hat) out->w_hat[j] = w->w[j];
    if (out->E_hat) out->E_hat[j] = Eh;
    if (out->P_hat) out->P_hat[j] = P;
    if (out->welfare) out->welfare[j] = Eh / P;
    if (out->real_wage) out->real_wage[j] = w->w[j] / P;
    if (out->omr_hat) out->omr_hat[j] = omr;
    if (out->pi_own_new) out->pi_own_new[j] = pown;
  }
  if (out->X_new)
    for (size_t i = 0; i < n; i++) {
      const double *row = w->pb + i * n;
      double *xr = out->X_new + i * n, mi = w->m[i];
      for (size_t j = 0; j < n; j++) xr[j] = row[j] * mi * w->q[j];
    }
  info->fail = ENT_TRADE_FAIL_NONE;
  return ENT_OK;
}

/* ------------------------------------------------- conditional GE, misc */

ent_status ent_trade_cge(size_t n, const double *X, const double *b,
                         double tol, int max_iter, double *r, double *c,
                         double *X_cge, int *iters) {
  *iters = 0;
  if (n == 0 || !(tol > 0.0) || max_iter < 1) return ENT_EINVAL;
  /* X_cge holds K = b X while iterating. */
  for (size_t i = 0; i < n; i++) {
    if (!(X[i * n + i] > 0.0)) return ENT_EINVAL;
    for (size_t j = 0; j < n; j++) {
      double x = X[i * n + j], bb = b ? b[i * n + j] : 1.0;
      if (!isfinite(x) || x < 0.0 || !isfinite(bb) || bb < 0.0)
        return ENT_EINVAL;
      X_cge[i * n + j] = bb * x;
    }
  }
  /* Margins: Y into r's role via recomputation each sweep (no scratch). */
  for (size_t i = 0; i < n; i++) c[i] = 1.0;
  int ok = 0;
  for (int it = 1; it <= max_iter; it++) {
    *iters = it;
    for (size_t i = 0; i < n; i++) {
      double y = 0.0, s = 0.0;
      for (size_t j = 0; j < n; j++) {
        y += X[i * n + j];
        s += X_cge[i * n + j] * c[j];
      }
      if (!(s > 0.0)) return ENT_ENOCONV;
      r[i] = y / s;
    }
    for (size_t j = 0; j < n; j++) {
      double e = 0.0, s = 0.0;
      for (size_t i = 0; i < n; i++) {
        e += X[i * n + j];
        s += r[i] * X_cge[i * n + j];
      }
      if (!(s > 0.0)) return ENT_ENOCONV;
      c[j] = e / s;
    }
    /* Columns hold exactly now; test the rows. */
    double err = 0.0;
    for (size_t i = 0; i < n; i++) {
      double y = 0.0, s = 0.0;
      for (size_t j = 0; j < n; j++) {
        y += X[i * n + j];
        s += r[i] * X_cge[i * n + j] * c[j];
      }
      double e = fabs(s - y) / y;
      if (!(e <= err)) err = e;
    }
    if (!isfinite(err)) return ENT_ENOCONV;
    if (err < tol) {
      ok = 1;
      break;
    }
  }
  if (!ok) return ENT_ENOCONV;
  double s = c[n - 1];
  for (size_t i = 0; i < n; i++) {
    c[i] /= s;
    r[i] *= s;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) X_cge[i * n + j] *= r[i] * c[j];
  return ENT_OK;
}

double ent_trade_tariff_equivalent(double beta, double theta) {
  return expm1(-beta / theta);
}

double ent_trade_b_from_tariff(double t, double t2, double theta) {
  return pow((1.0 + t2) / (1.0 + t), -theta);
}

double ent_trade_b_partial_coverage(double s, double beta_p) {
  return (1.0 - s) + s * exp(beta_p);
}

/* ------------------------------------------------------------ loading */

#define MAX_FILE_BYTES ((size_t)256 << 20)

/* Open-addressing index of country names (lookup only: the order of
 * countries is the order of first appearance, never the hash order). */
typedef struct name_index {
  size_t *slot; /* cap entries, (size_t)-1 = empty */
  size_t cap;
  ent_arena arena;    /* the name copies */
  const char **names; /* [count] trimmed, NUL-terminated copies */
  size_t *len;
  int *line, *col;    /* first appearance */
  size_t count, max;
} name_index;

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

static int index_init(name_index *x, size_t max) {
  memset(x, 0, sizeof *x);
  ent_arena_init(&x->arena);
  size_t cap = 16;
  while (cap < 2 * max + 2) cap *= 2;
  x->slot = ent_mallocarray(cap, sizeof *x->slot);
  x->names = ent_mallocarray(max + 1, sizeof *x->names);
  x->len = ent_mallocarray(max + 1, sizeof *x->len);
  x->line = ent_mallocarray(max + 1, sizeof *x->line);
  x->col = ent_mallocarray(max + 1, sizeof *x->col);
  if (!x->slot || !x->names || !x->len || !x->line || !x->col) return -1;
  for (size_t i = 0; i < cap; i++) x->slot[i] = (size_t)-1;
  x->cap = cap;
  x->max = max;
  return 0;
}

static void index_free(name_index *x) {
  ent_arena_free(&x->arena);
  ent_free(x->slot);
  ent_free(x->names);
  ent_free(x->len);
  ent_free(x->line);
  ent_free(x->col);
}

#define INDEX_NOMEM ((size_t)-2)

/* Index of name s[0..n), adding it if `add` (and there is room);
 * (size_t)-1 if absent, INDEX_NOMEM when a copy could not be made. */
static size_t index_find(name_index *x, const char *s, size_t n, int add,
                         int line, int col) {
  size_t h = (size_t)hash_bytes(s, n) & (x->cap - 1);
  while (x->slot[h] != (size_t)-1) {
    size_t k = x->slot[h];
    if (x->len[k] == n && memcmp(x->names[k], s, n) == 0) return k;
    h = (h + 1) & (x->cap - 1);
  }
  if (!add || x->count >= x->max) return (size_t)-1;
  char *copy = ent_arena_strndup(&x->arena, s, n);
  if (!copy) return INDEX_NOMEM;
  size_t k = x->count++;
  x->names[k] = copy;
  x->len[k] = n;
  x->line[k] = line;
  x->col[k] = col;
  x->slot[h] = k;
  return k;
}

static void trim_field(const ent_csv_field *f, const char **s, size_t *n) {
  const char *p = f->text;
  size_t len = f->len;
  while (len && (p[0] == ' ' || p[0] == '\t')) p++, len--;
  while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
  *s = p;
  *n = len;
}

static int eq_nocase(const char *s, size_t n, const char *lit) {
  size_t m = strlen(lit);
  if (n != m) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)s[i]) != lit[i]) return 0;
  return 1;
}

/* Column numbers of the three expected names in the header row. */
typedef struct header_map {
  size_t col[3];
  size_t n_cols;
} header_map;

static int map_header(const char *file, const ent_csv_row *h,
                      const char *const names[3], header_map *m,
                      ent_diag *d) {
  int bad = 0;
  m->n_cols = h->n;
  for (int k = 0; k < 3; k++) m->col[k] = (size_t)-1;
  for (size_t c = 0; c < h->n; c++) {
    const char *s;
    size_t n;
    trim_field(&h->fields[c], &s, &n);
    int hit = -1;
    for (int k = 0; k < 3; k++)
      if (eq_nocase(s, n, names[k])) hit = k;
    if (hit < 0) {
      ent_diag_error(d, file, h->fields[c].line, h->fields[c].col,
                     "unknown column '%.*s' (the header must be '%s,%s,%s')",
                     (int)(n > 60 ? 60 : n), s, names[0], names[1], names[2]);
      bad = 1;
    } else if (m->col[hit] != (size_t)-1) {
      ent_diag_error(d, file, h->fields[c].line, h->fields[c].col,
                     "column '%s' appears twice in the header", names[hit]);
      bad = 1;
    } else {
      m->col[hit] = c;
    }
  }
  for (int k = 0; k < 3; k++)
    if (m->col[k] == (size_t)-1) {
      ent_diag_error(d, file, h->line, 1,
                     "missing column '%s' (the header must be '%s,%s,%s')",
                     names[k], names[0], names[1], names[2]);
      bad = 1;
    }
  return bad ? -1 : 0;
}

static int has_control(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f) return 1;
  return 0;
}

/* Checks a country-name field; returns 0 if usable. */
static int check_name(const char *file, const ent_csv_field *f,
                      const char *what, const char **s, size_t *n,
                      ent_diag *d) {
  trim_field(f, s, n);
  if (*n == 0) {
    ent_diag_error(d, file, f->line, f->col, "empty %s name", what);
    return -1;
  }
  if (has_control(*s, *n)) {
    ent_diag_error(d, file, f->line, f->col,
                   "%s name contains control characters (binary data?)",
                   what);
    return -1;
  }
  if (*n > 200) {
    ent_diag_error(d, file, f->line, f->col,
                   "%s name is longer than 200 bytes", what);
    return -1;
  }
  return 0;
}

static int is_word(const char *s, size_t n, const char *const *words) {
  for (; *words; words++)
    if (eq_nocase(s, n, *words)) return 1;
  return 0;
}

static const char *const NONFINITE_WORDS[] = {
    "nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity",
    "-infinity", NULL};

/* Parsed data row of either file. */
typedef struct entry {
  size_t i, j;       /* country indices ((size_t)-1: unusable) */
  double v;
  int ok;            /* value parsed */
  const ent_csv_row *row;
} entry;

#define SHOW(n) ((int)((n) > 60 ? 60 : (n)))

/* One parsed file: the CSV (owns the texts the entries point into), its
 * header map and the data rows, with the count of problems reported. */
typedef struct flows_parse {
  ent_csv *csv;
  header_map hm;
  entry *e;
  size_t n_e;
  int errors;
} flows_parse;

static const char *const FLOW_COLS[3] = {"exporter", "importer", "flow"};
static const char *const SHOCK_COLS[3] = {"exporter", "importer", "beta"};

/* Parse the rows of one file into entries (names resolved through idx;
 * `add` = names may be added).  Returns 0, -1 on ENOMEM. */
static int parse_rows(const char *file, const char *text, size_t len,
                      const char *const cols[3], int is_shock,
                      name_index *idx, const char *flows_file,
                      flows_parse *p, ent_diag *d) {
  memset(p, 0, sizeof *p);
  ent_status st = ent_csv_parse(file, text, len, ENT_CSV_COMMENTS, &p->csv, d);
  if (st == ENT_ENOMEM) return -1;
  if (st != ENT_OK) {
    p->errors++;
    return 0;
  }
  ent_csv *c = p->csv;
  if (c->n_rows == 0) {
    ent_diag_error(d, file, 1, 1,
                   "empty file: expected the header '%s,%s,%s' and rows",
                   cols[0], cols[1], cols[2]);
    p->errors++;
    return 0;
  }
  if (map_header(file, &c->rows[0], cols, &p->hm, d)) {
    p->errors++;
    return 0;
  }
  p->e = ent_mallocarray(c->n_rows, sizeof *p->e);
  if (!p->e) return -1;
  for (size_t r = 1; r < c->n_rows; r++) {
    const ent_csv_row *row = &c->rows[r];
    if (row->n != p->hm.n_cols) {
      ent_diag_error(d, file, row->line,
                     row->n > p->hm.n_cols
                         ? row->fields[p->hm.n_cols].col
                         : row->fields[row->n - 1].col,
                     "row has %zu field%s, the header has %zu", row->n,
                     row->n == 1 ? "" : "s", p->hm.n_cols);
      p->errors++;
      continue;
    }
    entry *e = &p->e[p->n_e++];
    e->row = row;
    e->i = e->j = (size_t)-1;
    e->ok = 0;
    const ent_csv_field *fe = &row->fields[p->hm.col[0]];
    const ent_csv_field *fi = &row->fields[p->hm.col[1]];
    const ent_csv_field *fv = &row->fields[p->hm.col[2]];
    const char *s;
    size_t n;
    const ent_csv_field *fs[2] = {fe, fi};
    size_t *dst[2] = {&e->i, &e->j};
    for (int k = 0; k < 2; k++) {
      if (check_name(file, fs[k], cols[k], &s, &n, d)) {
        p->errors++;
        continue;
      }
      *dst[k] = index_find(idx, s, n, !is_shock, fs[k]->line, fs[k]->col);
      if (*dst[k] == INDEX_NOMEM) return -1;
      if (*dst[k] == (size_t)-1) {
        if (is_shock && idx->count == 0) {
          /* the flows file gave no countries: already reported there */
        } else if (is_shock) {
          ent_diag_error(d, file, fs[k]->line, fs[k]->col,
                         "unknown country '%.*s' (not in the flows file '%s')",
                         SHOW(n), s, flows_file);
          p->errors++;
        } else {
          return -1; /* index full: cannot happen, sized from the rows */
        }
      }
    }
    /* The value. */
    trim_field(fv, &s, &n);
    const char *why = NULL;
    double v = 0.0;
    if (is_shock && (eq_nocase(s, n, "-inf") || eq_nocase(s, n, "-infinity") ||
                     eq_nocase(s, n, "embargo"))) {
      e->v = -HUGE_VAL;
      e->ok = 1;
    } else if (is_word(s, n, NONFINITE_WORDS)) {
      ent_diag_error(d, file, fv->line, fv->col,
                     is_shock ? "beta must be a finite number, '-inf' or "
                                "'embargo', not '%.*s'"
                              : "flow must be a finite number, not '%.*s'",
                     SHOW(n), s);
      p->errors++;
    } else if (ent_parse_double(s, n, &v, &why)) {
      ent_diag_error(d, file, fv->line, fv->col, "%s '%.*s': %s",
                     cols[2], SHOW(n), s, why);
      p->errors++;
    } else if (!is_shock && v < 0.0) {
      ent_diag_error(d, file, fv->line, fv->col,
                     "flow %.*s from '%s' to '%s' is negative", SHOW(n), s,
                     e->i != (size_t)-1 ? idx->names[e->i] : "?",
                     e->j != (size_t)-1 ? idx->names[e->j] : "?");
      p->errors++;
    } else if (is_shock && !isfinite(exp(v))) {
      ent_diag_error(d, file, fv->line, fv->col,
                     "beta %.*s is too large (exp(beta) overflows)", SHOW(n),
                     s);
      p->errors++;
    } else {
      e->v = v == 0.0 ? 0.0 : v; /* no -0 */
      e->ok = 1;
    }
  }
  return 0;
}

static ent_status load(const char *ffile, const char *ftext, size_t flen,
                       const char *sfile, const char *stext, size_t slen,
                       ent_trade_problem **out, ent_diag *d) {
  *out = NULL;
  if (!ffile) ffile = "<flows>";
  if (!sfile) sfile = "<shock>";
  ent_diag_set_source(d, ffile, ftext, flen);
  if (stext) ent_diag_set_source(d, sfile, stext, slen);
  ent_status st = ENT_ENOMEM;
  name_index idx;
  flows_parse fp = {0}, sp = {0};
  int *seen = NULL, *sseen = NULL;
  double *sums = NULL;
  ent_trade_problem *pb = NULL;
  memset(&idx, 0, sizeof idx);
  int errors = 0;

  /* Upper bound on names: two per line of the flows file. */
  size_t max_names = 2;
  for (size_t k = 0; k < flen; k++)
    if (ftext[k] == '\n') max_names += 2;
  if (index_init(&idx, max_names)) goto done;

  if (parse_rows(ffile, ftext, flen, FLOW_COLS, 0, &idx, ffile, &fp, d))
    goto done;
  errors += fp.errors;
  size_t n = idx.count;
  int flows_ok = fp.csv && fp.e; /* header understood */

  /* Squareness and duplicates, with a pair table when it is affordable
   * (a square table has n^2 rows, so n^2 is bounded by the rows). */
  size_t n_rows_data = fp.n_e;
  int table = flows_ok && n > 0 && n <= 46340 &&
              n * n <= 4 * n_rows_data + 64;
  if (table) {
    seen = ent_calloc(n * n, sizeof *seen);
    if (!seen) goto done;
  }
  if (flows_ok && n == 1) {
    ent_diag_error(d, ffile, fp.csv->rows[0].line, 1,
                   "the flows file names only one country; the model needs "
                   "at least two");
    errors++;
  } else if (flows_ok && n == 0 && fp.errors == 0) {
    ent_diag_error(d, ffile, fp.csv->rows[0].line, 1,
                   "no flows: the file has a header but no rows");
    errors++;
  }
  if (flows_ok && n >= 2 && !table) {
    ent_diag_error(d, ffile, fp.csv->rows[0].line, 1,
                   "the flows are not a square table: %zu countries need "
                   "%zu exporter-importer pairs (domestic ones included), "
                   "the file has %zu rows",
                   n, n * n, n_rows_data);
    errors++;
  }
  if (table) {
    for (size_t k = 0; k < fp.n_e; k++) {
      entry *e = &fp.e[k];
      if (e->i == (size_t)-1 || e->j == (size_t)-1) continue;
      const ent_csv_field *fe = &e->row->fields[fp.hm.col[0]];
      int first = seen[e->i * n + e->j];
      if (first) {
        ent_diag_error(d, ffile, fe->line, fe->col,
                       "duplicate flow '%s' -> '%s' (first given on line %d)",
                       idx.names[e->i], idx.names[e->j], first);
        errors++;
        e->ok = 0;
        continue;
      }
      seen[e->i * n + e->j] = e->row->line;
      if (e->ok && e->i == e->j && e->v == 0.0) {
        const ent_csv_field *fv = &e->row->fields[fp.hm.col[2]];
        ent_diag_error(d, ffile, fv->line, fv->col,
                       "domestic flow of '%s' is 0; every country needs "
                       "positive domestic sales (X_ii > 0)",
                       idx.names[e->i]);
        errors++;
      }
    }
    /* Missing pairs: report the first ten, then a count.  Each points at
     * the exporter's first row (or the country's first appearance). */
    size_t missing = 0;
    for (size_t i = 0; i < n && n >= 2; i++)
      for (size_t j = 0; j < n; j++) {
        if (seen[i * n + j]) continue;
        if (missing++ < 10) {
          int line = idx.line[i], col = idx.col[i];
          for (size_t k = 0; k < fp.n_e; k++)
            if (fp.e[k].i == i) {
              const ent_csv_field *fe = &fp.e[k].row->fields[fp.hm.col[0]];
              line = fe->line;
              col = fe->col;
              break;
            }
          ent_diag_error(d, ffile, line, col,
                         "flow '%s' -> '%s' is missing (the table must be "
                         "square: every exporter-importer pair, domestic "
                         "ones included)",
                         idx.names[i], idx.names[j]);
        }
        errors++;
      }
    if (missing > 10)
      ent_diag_error(d, ffile, fp.csv->rows[0].line, 1,
                     "%zu flows are missing in all (%zu countries need %zu "
                     "pairs)",
                     missing, n, n * n);
  }

  /* Overflow of the margins. */
  if (table && errors == 0) {
    sums = ent_calloc(2 * n, sizeof *sums);
    if (!sums) goto done;
    for (size_t k = 0; k < fp.n_e; k++) {
      sums[fp.e[k].i] += fp.e[k].v;
      sums[n + fp.e[k].j] += fp.e[k].v;
    }
    for (size_t i = 0; i < n; i++) {
      if (!isfinite(sums[i]) || !isfinite(sums[n + i])) {
        ent_diag_error(d, ffile, idx.line[i], idx.col[i],
                       "the flows of '%s' are too large: their sum overflows",
                       idx.names[i]);
        errors++;
      }
    }
  }

  /* The shock file. */
  if (stext) {
    if (parse_rows(sfile, stext, slen, SHOCK_COLS, 1, &idx, ffile, &sp, d))
      goto done;
    errors += sp.errors;
    if (sp.e && n > 0 && n <= 46340) {
      sseen = ent_calloc(n * n, sizeof *sseen);
      if (!sseen) goto done;
      for (size_t k = 0; k < sp.n_e; k++) {
        entry *e = &sp.e[k];
        if (e->i == (size_t)-1 || e->j == (size_t)-1) continue;
        const ent_csv_field *fe = &e->row->fields[sp.hm.col[0]];
        if (e->i == e->j) {
          ent_diag_error(d, sfile, fe->line, fe->col,
                         "shock on the domestic pair '%s' -> '%s': domestic "
                         "sales cannot be shocked (beta_ii = 0)",
                         idx.names[e->i], idx.names[e->j]);
          errors++;
          e->ok = 0;
          continue;
        }
        int first = sseen[e->i * n + e->j];
        if (first) {
          ent_diag_error(d, sfile, fe->line, fe->col,
                         "duplicate shock '%s' -> '%s' (first given on line "
                         "%d)",
                         idx.names[e->i], idx.names[e->j], first);
          errors++;
          e->ok = 0;
          continue;
        }
        sseen[e->i * n + e->j] = e->row->line;
      }
    }
  }

  if (errors || !table || n < 2) {
    st = ENT_EINPUT;
    goto done;
  }

  /* Build the problem. */
  pb = ent_calloc(1, sizeof *pb);
  if (!pb) goto done;
  ent_arena_init(&pb->arena);
  pb->n = n;
  pb->names = ent_arena_array(&pb->arena, n, sizeof *pb->names);
  pb->X = ent_arena_array(&pb->arena, n * n, sizeof(double));
  pb->b = ent_arena_array(&pb->arena, n * n, sizeof(double));
  pb->beta = ent_arena_array(&pb->arena, n * n, sizeof(double));
  if (pb->arena.failed) goto done;
  for (size_t i = 0; i < n; i++) {
    pb->names[i] = ent_arena_strndup(&pb->arena, idx.names[i], idx.len[i]);
  }
  for (size_t k = 0; k < n * n; k++) {
    pb->b[k] = 1.0;
    pb->beta[k] = 0.0;
  }
  for (size_t k = 0; k < fp.n_e; k++)
    pb->X[fp.e[k].i * n + fp.e[k].j] = fp.e[k].v;
  for (size_t k = 0; sp.e && k < sp.n_e; k++) {
    entry *e = &sp.e[k];
    if (!e->ok || e->i == (size_t)-1 || e->j == (size_t)-1) continue;
    size_t ij = e->i * n + e->j;
    pb->beta[ij] = e->v;
    pb->b[ij] = e->v == -HUGE_VAL ? 0.0 : exp(e->v);
    if (pb->X[ij] == 0.0) {
      const ent_csv_field *fe = &e->row->fields[sp.hm.col[0]];
      ent_diag_add(d, ENT_SEV_WARNING, ENT_OK, sfile, fe->line, fe->col,
                   "shock on '%s' -> '%s' has no effect: the baseline flow "
                   "is 0 (zero flows stay zero)",
                   idx.names[e->i], idx.names[e->j]);
    }
  }
  if (pb->arena.failed) goto done;
  *out = pb;
  pb = NULL;
  st = ENT_OK;

done:
  if (pb) {
    ent_arena_free(&pb->arena);
    ent_free(pb);
  }
  ent_free(seen);
  ent_free(sseen);
  ent_free(sums);
  ent_free(fp.e);
  ent_free(sp.e);
  ent_csv_free(fp.csv);
  ent_csv_free(sp.csv);
  index_free(&idx);
  return st;
}

ent_status ent_trade_load_buffers(const char *flows_name,
                                  const char *flows_text, size_t flows_len,
                                  const char *shock_name,
                                  const char *shock_text, size_t shock_len,
                                  ent_trade_problem **out, ent_diag *d) {
  if (!out) return ENT_EINVAL;
  *out = NULL;
  if (!flows_text) return ENT_EINVAL;
  return load(flows_name, flows_text, flows_len, shock_name, shock_text,
              shock_len, out, d);
}

/* ------------------------------------------------------------ public API */

ent_status ent_trade_problem_load_buffers(
    const char *flows_name, const char *flows_text, size_t flows_len,
    const char *shock_name, const char *shock_text, size_t shock_len,
    ent_trade_problem **out, ent_diag *d) {
  return ent_trade_load_buffers(flows_name, flows_text, flows_len, shock_name,
                                shock_text, shock_len, out, d);
}

ent_status ent_trade_problem_load_files(const char *flows_path,
                                        const char *shock_path,
                                        ent_trade_problem **out,
                                        ent_diag *d) {
  if (!out) return ENT_EINVAL;
  *out = NULL;
  if (!flows_path) return ENT_EINVAL;
  char *ft = NULL, *st = NULL;
  size_t fl = 0, sl = 0;
  const char *why = NULL;
  ent_status s1 = ent_read_file(flows_path, MAX_FILE_BYTES, &ft, &fl, &why);
  if (s1 != ENT_OK)
    ent_diag_add(d, ENT_SEV_ERROR, s1, flows_path, 0, 0,
                 "cannot read flows file '%s': %s", flows_path, why);
  ent_status s2 = ENT_OK;
  if (shock_path) {
    s2 = ent_read_file(shock_path, MAX_FILE_BYTES, &st, &sl, &why);
    if (s2 != ENT_OK)
      ent_diag_add(d, ENT_SEV_ERROR, s2, shock_path, 0, 0,
                   "cannot read shock file '%s': %s", shock_path, why);
  }
  ent_status r;
  if (s1 == ENT_ENOMEM || s2 == ENT_ENOMEM)
    r = ENT_ENOMEM;
  else if (s1 != ENT_OK || s2 != ENT_OK)
    r = ENT_EIO;
  else
    r = load(flows_path, ft, fl, shock_path, st, sl, out, d);
  ent_free(ft);
  ent_free(st);
  return r;
}

ent_status ent_trade_problem_create(size_t n, const char *const *names,
                                    const double *X, const double *b,
                                    ent_trade_problem **out) {
  if (!out) return ENT_EINVAL;
  *out = NULL;
  if (n == 0 || !X || n > 46340) return ENT_EINVAL;
  for (size_t i = 0; i < n; i++) {
    if (!(X[i * n + i] > 0.0)) return ENT_EINVAL;
    if (names && (!names[i] || !names[i][0])) return ENT_EINVAL;
    for (size_t k = 0; names && k < i; k++)
      if (!strcmp(names[k], names[i])) return ENT_EINVAL; /* duplicate */
    for (size_t j = 0; j < n; j++) {
      double x = X[i * n + j], bb = b ? b[i * n + j] : 1.0;
      if (!isfinite(x) || x < 0.0 || !isfinite(bb) || bb < 0.0)
        return ENT_EINVAL;
    }
  }
  ent_trade_problem *p = ent_calloc(1, sizeof *p);
  if (!p) return ENT_ENOMEM;
  ent_arena_init(&p->arena);
  p->n = n;
  p->names = ent_arena_array(&p->arena, n, sizeof *p->names);
  p->X = ent_arena_array(&p->arena, n * n, sizeof(double));
  p->b = ent_arena_array(&p->arena, n * n, sizeof(double));
  p->beta = ent_arena_array(&p->arena, n * n, sizeof(double));
  if (!p->arena.failed) {
    for (size_t i = 0; i < n; i++) {
      char tmp[32];
      if (!names) snprintf(tmp, sizeof tmp, "C%zu", i + 1);
      p->names[i] = ent_arena_strdup(&p->arena, names ? names[i] : tmp);
    }
    memcpy(p->X, X, n * n * sizeof *X);
    for (size_t k = 0; k < n * n; k++) {
      p->b[k] = b ? b[k] : 1.0;
      p->beta[k] = p->b[k] > 0.0 ? log(p->b[k]) : -HUGE_VAL;
    }
  }
  if (p->arena.failed) {
    ent_trade_problem_destroy(p);
    return ENT_ENOMEM;
  }
  *out = p;
  return ENT_OK;
}

void ent_trade_problem_destroy(ent_trade_problem *p) {
  if (!p) return;
  ent_arena_free(&p->arena);
  ent_free(p);
}

size_t ent_trade_problem_size(const ent_trade_problem *p) {
  return p ? p->n : 0;
}

const char *ent_trade_problem_country(const ent_trade_problem *p, size_t i) {
  return p && i < p->n ? p->names[i] : NULL;
}

enum { N_FIELDS = ENT_TRADE_FIELDS };

void ent_trade_result_destroy(ent_trade_result *r) {
  if (!r) return;
  ent_arena_free(&r->arena);
  ent_free(r);
}

ent_status ent_trade_solve(const ent_trade_problem *p, const ent_trade_opts *o,
                           ent_trade_result **out, ent_diag *d) {
  if (!out) return ENT_EINVAL;
  *out = NULL;
  if (!p) return ENT_EINVAL;
  ent_trade_opts def;
  if (!o) {
    ent_trade_opts_init(&def);
    o = &def;
  }
  if (!opts_valid(o)) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINVAL, NULL, 0, 0,
                 "invalid solver options (theta %g, tol %g, lambda %g)",
                 o->theta, o->tol, o->lambda);
    return ENT_EINVAL;
  }
  size_t n = p->n;
  ent_trade_result *r = ent_calloc(1, sizeof *r);
  ent_trade_work *w = ent_trade_work_alloc(n);
  if (!r || !w) {
    ent_free(r);
    ent_trade_work_free(w);
    return ENT_ENOMEM;
  }
  ent_arena_init(&r->arena);
  r->n = n;
  r->opts = *o;
  r->names = ent_arena_array(&r->arena, n, sizeof *r->names);
  r->Y = ent_arena_array(&r->arena, n, sizeof(double));
  r->E = ent_arena_array(&r->arena, n, sizeof(double));
  r->D = ent_arena_array(&r->arena, n, sizeof(double));
  r->X = ent_arena_array(&r->arena, n * n, sizeof(double));
  r->b = ent_arena_array(&r->arena, n * n, sizeof(double));
  r->X_new = ent_arena_array(&r->arena, n * n, sizeof(double));
  for (int f = 0; f < N_FIELDS; f++)
    r->v[f] = ent_arena_array(&r->arena, n, sizeof(double));
  for (size_t i = 0; i < n && !r->arena.failed; i++)
    r->names[i] = ent_arena_strdup(&r->arena, p->names[i]);
  if (r->arena.failed) {
    ent_trade_work_free(w);
    ent_trade_result_destroy(r);
    return ENT_ENOMEM;
  }
  memcpy(r->X, p->X, n * n * sizeof(double));
  memcpy(r->b, p->b, n * n * sizeof(double));
  ent_trade_out to = {r->v[ENT_TRADE_W_HAT],     r->v[ENT_TRADE_E_HAT],
                      r->v[ENT_TRADE_P_HAT],     r->v[ENT_TRADE_WELFARE_HAT],
                      r->v[ENT_TRADE_REAL_WAGE_HAT], r->v[ENT_TRADE_OMR_HAT],
                      r->v[ENT_TRADE_PI_OWN_NEW], r->X_new};
  ent_status st = ent_trade_ge_solve(n, p->X, p->b, o, NULL, w, &to, &r->info);
  if (st == ENT_OK) {
    memcpy(r->Y, w->Y, n * sizeof(double));
    memcpy(r->E, w->E, n * sizeof(double));
    memcpy(r->D, w->D, n * sizeof(double));
  }
  ent_trade_work_free(w);
  if (st != ENT_OK) {
    const ent_trade_info *in = &r->info;
    if (in->fail == ENT_TRADE_FAIL_INFEASIBLE)
      ent_diag_add(d, ENT_SEV_ERROR, ENT_ENOCONV, NULL, 0, 0,
                   "no equilibrium: the expenditure of '%s' would turn "
                   "non-positive (its additive trade surplus exceeds its "
                   "output); the multiplicative deficit mode avoids this",
                   in->where < n ? p->names[in->where] : "?");
    else if (in->fail == ENT_TRADE_FAIL_BADARG)
      ent_diag_add(d, ENT_SEV_ERROR, ENT_EINVAL, NULL, 0, 0,
                   "invalid flows or shock for country '%s'",
                   in->where < n ? p->names[in->where] : "?");
    else
      ent_diag_add(d, ENT_SEV_ERROR, ENT_ENOCONV, NULL, 0, 0,
                   "the solver did not converge (%s) after %d iterations "
                   "(%d fixed-point, %d Newton): last step max |d ln w| = "
                   "%.3g (tolerance %.3g), adding-up residual %.3g "
                   "(required < %.3g)",
                   ent_trade_fail_str(in->fail), in->iterations,
                   in->fp_iterations, in->newton_iterations, in->crit,
                   o->tol, in->residual, o->residual_tol);
    ent_trade_result_destroy(r);
    return st;
  }
  *out = r;
  return ENT_OK;
}

size_t ent_trade_result_size(const ent_trade_result *r) {
  return r ? r->n : 0;
}

const char *ent_trade_result_country(const ent_trade_result *r, size_t i) {
  return r && i < r->n ? r->names[i] : NULL;
}

double ent_trade_result_value(const ent_trade_result *r, size_t i,
                              ent_trade_field f) {
  if (!r || i >= r->n || (int)f < 0 || (int)f >= N_FIELDS) return 0.0;
  return r->v[f][i];
}

double ent_trade_result_flow(const ent_trade_result *r, size_t i, size_t j) {
  if (!r || i >= r->n || j >= r->n) return 0.0;
  return r->X_new[i * r->n + j];
}

int ent_trade_result_iterations(const ent_trade_result *r) {
  return r ? r->info.iterations : 0;
}

double ent_trade_result_residual(const ent_trade_result *r) {
  return r ? r->info.residual : 0.0;
}
