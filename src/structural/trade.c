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
#include "structural/trade_work.h"

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N_VEC = 18 };

ent_trade_work *ent_trade_work_alloc(size_t n) {
  if (n == 0 || n > SIZE_MAX / n / sizeof(double)) return NULL;
  ent_trade_work *w = ent_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->cap = n;
  w->pb = ent_mallocarray(n * n, sizeof(double));
  w->J = ent_mallocarray(n * n, sizeof(double));
  w->pb0 = ent_mallocarray(n * n, sizeof(double));
  w->C = ent_mallocarray(n * n, sizeof(double));
  /* One block for the vectors. */
  double *v = ent_mallocarray((size_t)N_VEC * n, sizeof(double));
  w->perm = ent_mallocarray(n, sizeof(size_t));
  if (n <= ENT_TRADE_LANES_NMAX) w->lanes = ent_malloc(ENT_TRADE_LANES_BYTES);
  if (!w->pb || !w->J || !w->pb0 || !w->C || !v || !w->perm ||
      (n <= ENT_TRADE_LANES_NMAX && !w->lanes)) {
    ent_free(v);
    w->Y = NULL;
    ent_trade_work_free(w);
    return NULL;
  }
  double **slots[N_VEC] = {&w->Y,   &w->E,  &w->D,   &w->lnw, &w->lnw_old,
                           &w->w,   &w->m,  &w->Phi, &w->Ep,  &w->q,
                           &w->A,   &w->best, &w->F, &w->dz,  &w->ztry,
                           &w->r,   &w->wa, &w->ma};
  for (size_t k = 0; k < N_VEC; k++) *slots[k] = v + k * n;
  return w;
}

void ent_trade_work_free(ent_trade_work *w) {
  if (!w) return;
  ent_free(w->pb);
  ent_free(w->J);
  ent_free(w->pb0);
  ent_free(w->C);
  ent_free(w->Y); /* the vector block */
  ent_free(w->perm);
  ent_free(w->lanes);
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
  o->newton_predict = 0;
  o->newton_chord = 0;
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

int ent_trade_opts_valid(const ent_trade_opts *o) {
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

static int state_from_wm(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                         double *kappa, size_t *where);

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
  return state_from_wm(w, n, o, kappa, where);
}

/* The rest of the state from w->w and w->m (positive and finite), Phi
 * zeroed: Phi, E', q. */
static int state_from_wm(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                         double *kappa, size_t *where) {
  double *restrict Phi = w->Phi;
  for (size_t k = 0; k < n; k++) {
    const double *restrict row = w->pb + k * n;
    double mk = w->m[k];
    if (mk == 0.0) continue;
    /* four at a time (whole vectors at -O2; each Phi_j gets the same
     * operations in the same order) */
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
      Phi[j] += row[j] * mk;
      Phi[j + 1] += row[j + 1] * mk;
      Phi[j + 2] += row[j + 2] * mk;
      Phi[j + 3] += row[j + 3] * mk;
    }
    for (; j < n; j++) Phi[j] += row[j] * mk;
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

/* Jacobian dF_i/dz_k, z = ln w, at the current state (A current).
 * g_ik = sum_j pb_ij pb_kj q_j / Phi_j is symmetric to the bit (each term's
 * product pb_ij pb_kj is pb_kj pb_ij, summed in the same order): g_ik for
 * k > i is kept in J's lower triangle, at (k, i), until row k uses it.
 * In the multiplicative mode the term of k alone is made once per k
 * (w->dz is free here); every J_ik gets the same operations in the same
 * order as when made one by one. */
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
  double *ck = w->dz; /* multiplicative mode: the term of k alone */
  if (!add)
    for (size_t k = 0; k < n; k++)
      ck[k] = w->w[k] * w->Y[k] / sy - w->w[k] * w->E[k] / se;
  for (size_t i = 0; i + 1 < n; i++) {
    const double *pi = w->pb + i * n;
    double mi = w->m[i], Si = mi * w->A[i];
    double *Ji = w->J + i * n;
    for (size_t k = 0; k < n; k++) {
      double g; /* sum_j pb_ij pb_kj q_j / Phi_j */
      if (k < i) {
        g = Ji[k]; /* g_ki, kept by row k */
      } else {
        const double *pk = w->pb + k * n;
        g = 0.0;
        for (size_t j = 0; j < n; j++) g += pi[j] * pk[j] * w->r[j];
        if (k > i) w->J[k * n + i] = g;
      }
      /* d S_i / d z_k = -theta d_ik S_i + theta sum_j X'_ij pi'_kj
       *                 + sum_j X'_ij d ln E'_j / d z_k */
      double d = theta * mi * w->m[k] * g;
      double xik = pi[k] * mi * w->q[k]; /* X'_ik */
      if (add)
        d += xik * w->w[k] * w->Y[k] / w->Ep[k];
      else
        d += xik + Si * ck[k];
      if (k == i) d -= theta * Si + w->w[i] * w->Y[i];
      Ji[k] = d / w->Y[i];
    }
  }
  double *Jn = w->J + (n - 1) * n;
  for (size_t k = 0; k < n; k++) Jn[k] = w->w[k] * w->Y[k] / YW;
}

/* sum_j a_j b_j, two partial sums (even and odd j). */
static inline double dot2(const double *restrict a, const double *restrict b,
                          size_t n) {
  double s0 = 0.0, s1 = 0.0;
  size_t j = 0;
  for (; j + 2 <= n; j += 2) {
    s0 += a[j] * b[j];
    s1 += a[j + 1] * b[j + 1];
  }
  if (j < n) s0 += a[j] * b[j];
  return s0 + s1;
}

/* newton_jacobian's matrix for the cut solves (w->mult), the same
 * derivatives with fewer operations (not the same bits, which only the
 * path to the solution depends on):
 *   J_ik = (m_i / Y_i) (theta m_k g_ik + pb_ik v_k) [+ (S_i / Y_i) c_k]
 *          - d_ik (theta S_i + w_i Y_i) / Y_i,
 * v_k = q_k w_k Y_k / E'_k (additive deficits) or q_k (multiplicative,
 * with the term c_k of newton_jacobian), and g_ik = sum_j pb_ij C_kj with
 * C_kj = pb_kj q_j / Phi_j made once, each g_ik of k >= i once (kept in
 * J's lower triangle as there). */
static void cut_jacobian(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                         double YW) {
  const double theta = o->theta;
  int add = o->deficit == ENT_TRADE_DEFICIT_ADDITIVE;
  const double *restrict pb = w->pb;
  double *restrict C = w->C, *restrict r = w->r;
  double *restrict v = w->ztry, *restrict ck = w->dz; /* free here */
  double sy = 0.0, se = 0.0;
  for (size_t j = 0; j < n; j++) {
    r[j] = w->q[j] / w->Phi[j];
    sy += w->w[j] * w->Y[j];
    se += w->w[j] * w->E[j];
  }
  for (size_t k = 0; k < n; k++) {
    if (add) {
      v[k] = w->q[k] * w->w[k] * w->Y[k] / w->Ep[k];
    } else {
      v[k] = w->q[k];
      ck[k] = w->w[k] * w->Y[k] / sy - w->w[k] * w->E[k] / se;
    }
    const double *restrict pk = pb + k * n;
    double *restrict Ck = C + k * n;
    for (size_t j = 0; j < n; j++) Ck[j] = pk[j] * r[j];
  }
  for (size_t i = 0; i + 1 < n; i++) {
    const double *restrict pi = pb + i * n;
    double mi = w->m[i], Si = mi * w->A[i], yi = 1.0 / w->Y[i];
    double ai = mi * yi, bi = Si * yi;
    double diag = (theta * Si + w->w[i] * w->Y[i]) * yi;
    double *Ji = w->J + i * n;
    for (size_t k = 0; k < n; k++) {
      double g;
      if (k < i) {
        g = Ji[k]; /* g_ki, kept by row k */
      } else {
        g = dot2(pi, C + k * n, n);
        if (k > i) w->J[k * n + i] = g;
      }
      double d = ai * (theta * w->m[k] * g + pi[k] * v[k]);
      if (!add) d += bi * ck[k];
      if (k == i) d -= diag;
      Ji[k] = d;
    }
  }
  double *Jn = w->J + (n - 1) * n;
  for (size_t k = 0; k < n; k++) Jn[k] = w->w[k] * w->Y[k] / YW;
}

/* Solve with the factors of lu_factor: forward L y = P rhs, back U x = y. */
static void lu_apply(const double *J, const size_t *perm, size_t n,
                     const double *rhs, double *x) {
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
}

static int lu_factor(double *J, size_t *perm, size_t n) {
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
  return 0;
}

int ent_trade_lu_solve(double *J, size_t *perm, size_t n, const double *rhs,
                       double *x) {
  if (lu_factor(J, perm, n)) return -1;
  lu_apply(J, perm, n, rhs, x);
  return 0;
}

/* Merit (max relative residual of section 5.2) at which no Newton step
 * can make progress any more: rounding level. */
#define ENT_TRADE_MERIT_FLOOR (64.0 * DBL_EPSILON)


/* Points of newton() and chord().  The accepted point is w->lnw (lnw
 * mode) or w->wa, w->ma (w->mult, ent_trade_cut_solve: w_hat and
 * w_hat^-theta moved by factors exp(d), exp(-theta d), no exp of the
 * whole log-wage).  trial_point puts the step t dz there: in lnw mode the
 * trial log-wages into ztry, in mult mode t dz itself; it returns
 * max |t dz_i|.  trial_state makes the state of the trial point, at_point
 * that of the accepted point, accept_trial moves the accepted point to
 * the trial point.  In lnw mode every value is what it was before these
 * helpers existed (the same operations). */
static double trial_point(ent_trade_work *w, size_t n, double t) {
  double step = 0.0;
  if (w->mult) {
    for (size_t i = 0; i < n; i++) {
      w->ztry[i] = t * w->dz[i];
      if (fabs(w->ztry[i]) > step) step = fabs(w->ztry[i]);
    }
    return step;
  }
  for (size_t i = 0; i < n; i++) {
    w->ztry[i] = w->lnw[i] + t * w->dz[i];
    if (fabs(t * w->dz[i]) > step) step = fabs(t * w->dz[i]);
  }
  return step;
}


/* Mult mode: w = wa exp(d), m = ma exp(-theta d) for d in ztry (NULL:
 * d = 0, the accepted point), then the state. */
static int state_mult(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                      const double *d, double *kappa, size_t *where) {
  const double theta = o->theta;
  double *restrict W = w->w, *restrict M = w->m, *restrict Phi = w->Phi;
  const double *restrict wa = w->wa, *restrict ma = w->ma;
  for (size_t i = 0; i < n; i++) {
    double wi = wa[i], mi = ma[i];
    if (d) {
      wi *= ent_trade_exp_small(d[i]);
      mi *= ent_trade_exp_small(-theta * d[i]);
    }
    W[i] = wi;
    M[i] = mi;
    Phi[i] = 0.0;
    if (!(wi > 0.0) || !(wi < HUGE_VAL) || !(mi > 0.0) || !(mi < HUGE_VAL)) {
      *where = i;
      return -1;
    }
  }
  int rc = state_from_wm(w, n, o, kappa, where);
  if (rc == 0) w->merit = newton_residual(w, n, w->cut_YW);
  return rc;
}

/* newton_residual at the current state; in mult mode state_mult made it
 * already. */
static double residual_now(ent_trade_work *w, size_t n, double YW) {
  return w->mult ? w->merit : newton_residual(w, n, YW);
}
static int trial_state(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                       double *kappa, size_t *where) {
  return w->mult ? state_mult(w, n, o, w->ztry, kappa, where)
                 : state_from_lnw(w, n, o, w->ztry, kappa, where);
}

static int at_point(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                    double *kappa, size_t *where) {
  return w->mult ? state_mult(w, n, o, NULL, kappa, where)
                 : state_from_lnw(w, n, o, w->lnw, kappa, where);
}

/* After trial_state of the trial point. */
static void accept_trial(ent_trade_work *w, size_t n) {
  if (w->mult) {
    memcpy(w->wa, w->w, n * sizeof *w->wa);
    memcpy(w->ma, w->m, n * sizeof *w->ma);
  } else {
    memcpy(w->lnw, w->ztry, n * sizeof *w->lnw);
  }
}

/* Chord steps dz = -J^-1 F from w->lnw with the factors of the last
 * Newton step (w->J, w->perm), whose size was `prev`; the state and F are
 * current at w->lnw.  Returns 0 when converged (the contraction rate
 * rho = s_k / s_(k-1) predicts an error rho s_k / (1 - rho) below
 * tol / 1000), the state current at w->lnw; 1 when a fresh
 * Jacobian is needed (a step that does not lower the residual, a rate
 * above ENT_TRADE_CHORD_RATE, ENT_TRADE_CHORD_MAX steps), with the state
 * and F again current at w->lnw (the last accepted point). */
static int chord(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                 double YW, double prev, double *merit, ent_trade_info *info,
                 double *kappa) {
  size_t where = 0;
  for (int k = 0; k < ENT_TRADE_CHORD_MAX; k++) {
    if (*merit == 0.0) return 0;
    for (size_t i = 0; i < n; i++) w->ztry[i] = -w->F[i];
    lu_apply(w->J, w->perm, n, w->ztry, w->dz);
    double step = trial_point(w, n, 1.0);
    double rho = step / prev;
    if (!(rho <= ENT_TRADE_CHORD_RATE) || trial_state(w, n, o, kappa, &where))
      break;
    double mt = residual_now(w, n, YW);
    /* as in newton(): a step below tol need not lower a residual at
     * rounding level */
    if (!(mt < *merit || (step < o->tol && mt <= 2.0 * *merit))) break;
    *merit = mt;
    accept_trial(w, n);
    info->chord_iterations++;
    info->iterations++;
    info->crit = step;
    info->kappa = *kappa;
    /* linear convergence at rate rho: the error left is about
     * rho s_k / (1 - rho) (a step below tol is not enough here: unlike
     * Newton's, the next one is not of its square's order) */
    if (rho * step < 0.001 * o->tol * (1.0 - rho)) return 0;
    prev = step;
  }
  at_point(w, n, o, kappa, &where);
  *merit = residual_now(w, n, YW);
  return 1;
}

/* Newton from w->lnw (feasible).  Returns 0 when converged (last step
 * below tol; with `flat_ok` also when no step descends any more from a
 * merit at rounding level, ENT_TRADE_MERIT_FLOOR -- an ill-conditioned
 * Jacobian turns rounding noise into steps above tol), -1 otherwise
 * (info->fail set).  Leaves the state current. */
static int newton(ent_trade_work *w, size_t n, const ent_trade_opts *o,
                  double YW, ent_trade_info *info, int flat_ok, double *kappa) {
  size_t where = 0;
  if (at_point(w, n, o, kappa, &where)) {
    info->fail = ENT_TRADE_FAIL_INFEASIBLE;
    info->where = where;
    return -1;
  }
  double merit = residual_now(w, n, YW), prev = 0.0;
  for (int it = 0; it < o->newton_max_iter; it++) {
    if (merit == 0.0) return 0;
    if (w->mult)
      cut_jacobian(w, n, o, YW);
    else
      newton_jacobian(w, n, o, YW);
    for (size_t i = 0; i < n; i++) w->ztry[i] = -w->F[i];
    if (ent_trade_lu_solve(w->J, w->perm, n, w->ztry, w->dz)) {
      info->fail = ENT_TRADE_FAIL_SINGULAR;
      return -1;
    }
    info->newton_iterations++;
    info->iterations++;
    double t = 1.0, step = 0.0;
    int accepted = 0;
    for (int ls = 0; ls < 40; ls++, t *= 0.5) {
      step = trial_point(w, n, t);
      if (trial_state(w, n, o, kappa, &where)) continue;
      double mt = residual_now(w, n, YW);
      /* A full step smaller than tol is accepted as it is: at that point
       * the merit sits at rounding level and need not decrease. */
      if (mt < merit || (t == 1.0 && step < o->tol && mt <= 2.0 * merit)) {
        merit = mt;
        accepted = 1;
        break;
      }
    }
    if (!accepted) {
      /* Restore the state of the accepted point. */
      at_point(w, n, o, kappa, &where);
      residual_now(w, n, YW);
      if (flat_ok && info->newton_iterations > 1 &&
          merit <= ENT_TRADE_MERIT_FLOOR)
        return 0;
      info->fail = ENT_TRADE_FAIL_SINGULAR;
      return -1;
    }
    accept_trial(w, n);
    info->crit = step;
    info->kappa = *kappa;
    if (step < o->tol) return 0;
    /* quadratic convergence: s_k ~ C s_(k-1)^2, so the error left after
     * step k is ~ C s_k^2 = s_k^3 / s_(k-1)^2 */
    if (o->newton_predict && t == 1.0 && prev > 0.0 && step < prev &&
        step * step * step < 0.01 * o->tol * prev * prev)
      return 0;
    prev = t == 1.0 ? step : 0.0;
    /* after a full step, chord steps with its factors while they
     * contract fast; the next Newton step then follows chord steps, not
     * this step (no quadratic prediction from it) */
    if (o->newton_chord && t == 1.0) {
      int before = info->chord_iterations;
      if (chord(w, n, o, YW, step, &merit, info, kappa) == 0) return 0;
      if (info->chord_iterations > before) prev = 0.0;
    }
  }
  info->fail = ENT_TRADE_FAIL_MAXIT;
  return -1;
}

/* info cleared for a solve: nothing done yet, no residual reached. */
static ent_trade_info *info_start(ent_trade_info *info) {
  memset(info, 0, sizeof *info);
  info->kappa = 1.0;
  info->crit = HUGE_VAL;
  info->residual = HUGE_VAL;
  return info;
}

/* ------------------------------------------------------------ solver */

static ent_status ge_solve(size_t n, const double *X, const double *b,
                           const ent_trade_opts *o, const double *w_start,
                           ent_trade_work *w, const ent_trade_out *out,
                           ent_trade_info *info, int newton_first);

ent_status ent_trade_ge_solve(size_t n, const double *X, const double *b,
                              const ent_trade_opts *o, const double *w_start,
                              ent_trade_work *w, const ent_trade_out *out,
                              ent_trade_info *info) {
  return ge_solve(n, X, b, o, w_start, w, out, info, 0);
}

ent_status ent_trade_ge_solve_newton(size_t n, const double *X,
                                     const double *b, const ent_trade_opts *o,
                                     const double *w_start, ent_trade_work *w,
                                     const ent_trade_out *out,
                                     ent_trade_info *info) {
  return ge_solve(n, X, b, o, w_start, w, out, info, o && o->newton);
}

/* newton_first: Newton from the start point before anything else; the
 * fixed point (and Newton from its best iterate) only if that fails.
 * Long: the stages of the solver of docs/models/trade.md in order --
 * argument checks, the start (or warm start), the damped fixed-point
 * iterations with their stopping and stall rules, the Newton fallback,
 * the final residual and the outputs -- share the workspace and the info
 * record, and the iteration's state flows from one stage to the next. */
static ent_status ge_solve(size_t n, const double *X, const double *b,
                           const ent_trade_opts *o, const double *w_start,
                           ent_trade_work *w, const ent_trade_out *out,
                           ent_trade_info *info, int newton_first) {
  ent_trade_info dummy;
  info = info_start(info ? info : &dummy);
  if (!w || !o || !X || n == 0 || n > w->cap || !ent_trade_opts_valid(o)) {
    info->fail = ENT_TRADE_FAIL_BADARG;
    return ENT_EINVAL;
  }
  w->mult = 0;
  w->cut_n = 0; /* prepare() below overwrites the margins */
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

  int converged = 0, infeasible_seen = 0, state_current = 0;
  size_t infeasible_where = 0;
  double best_crit = HUGE_VAL, kappa = 1.0;
  int have_best = 0, budget = o->max_iter;
  double lam = o->lambda;

  if (newton_first) {
    for (size_t i = 0; i < n; i++)
      w->lnw[i] = w_start ? log(w_start[i]) : 0.0;
    numeraire(n, w->Y, YW, w->lnw);
    double kn = 1.0;
    converged = newton(w, n, o, YW, info, 1, &kn) == 0;
    /* Newton leaves the state (and the row sums) current at lnw */
    if (converged) {
      kappa = kn;
      state_current = 1;
    }
    if (!converged) info->fail = ENT_TRADE_FAIL_NONE; /* the fixed point next */
  }

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
    double kn = kappa;
    converged = newton(w, n, o, YW, info, 0, &kn) == 0;
    if (converged) {
      kappa = kn;
      state_current = 1;
    }
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
  if (state_current) {
    info->residual = adding_up(w, n);
  } else if (converged || info->fail != ENT_TRADE_FAIL_INFEASIBLE) {
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
  double lnYWhat = log(YWhat);
  for (size_t j = 0; j < n; j++) {
    double lnP = -log(w->Phi[j]) / theta;
    double P = exp(lnP), Eh = w->Ep[j] / w->E[j];
    /* exp(lnomr) is finite for lnomr <= 700: skipped when not wanted */
    double lnomr = -((1.0 + theta) * w->lnw[j] - lnYWhat) / theta;
    double omr = out->omr_hat || !(lnomr <= 700.0) ? exp(lnomr) : 1.0;
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

/* ------------------------------------------------- single-pair cuts */

ent_status ent_trade_cut_prepare(size_t n, const double *X,
                                 ent_trade_work *w) {
  if (!w || !X || n < 2 || n > w->cap) return ENT_EINVAL;
  w->cut_n = 0;
  w->mult = 0;
  size_t where = 0;
  if (prepare(n, X, NULL, w, &where)) return ENT_EINVAL;
  memcpy(w->pb0, w->pb, n * n * sizeof *w->pb0);
  double YW = 0.0; /* as ge_solve */
  for (size_t i = 0; i < n; i++) YW += w->Y[i];
  w->cut_YW = YW;
  w->cut_n = n;
  return ENT_OK;
}

ent_status ent_trade_cut_solve(size_t n, size_t i, size_t j, int cut_ij,
                               int cut_ji, const ent_trade_opts *o,
                               ent_trade_work *w, double *wm, int warm,
                               double *welfare_i, double *welfare_j,
                               ent_trade_info *info) {
  ent_trade_info dummy;
  info = info_start(info ? info : &dummy);
  if (!w || !o || !wm || !welfare_i || n < 2 || n != w->cut_n || i >= n ||
      j >= n || i == j || !ent_trade_opts_valid(o) || !o->newton) {
    info->fail = ENT_TRADE_FAIL_BADARG;
    return ENT_EINVAL;
  }
  const double theta = o->theta, YW = w->cut_YW;
  /* pi_ij b_ij: the baseline's shares with the cut pairs at 0, as
   * prepare() makes them for b = 0 there and 1 elsewhere */
  memcpy(w->pb, w->pb0, n * n * sizeof *w->pb);
  if (cut_ij) w->pb[i * n + j] = 0.0;
  if (cut_ji) w->pb[j * n + i] = 0.0;
  /* the start: wm moved to this baseline's numeraire (sum_k Y_k w_k =
   * YW; w_hat^-theta by the same factor), or w_hat = 1 */
  int started = 0;
  double wc, mc;
  if (warm && ent_trade_warm_factors(n, w->Y, YW, theta, wm, &wc, &mc)) {
    for (size_t k = 0; k < n; k++) {
      w->wa[k] = wm[k] * wc;
      w->ma[k] = wm[n + k] * mc;
    }
    started = 1;
  }
  if (!started)
    for (size_t k = 0; k < n; k++) w->wa[k] = w->ma[k] = 1.0;
  double kappa = 1.0;
  w->mult = 1;
  int rc = newton(w, n, o, YW, info, 1, &kappa);
  w->mult = 0;
  if (rc) return ENT_ENOCONV;
  /* newton() leaves the state and the row sums current at (wa, ma) */
  info->kappa = kappa;
  info->residual = adding_up(w, n);
  if (!(info->residual < o->residual_tol)) {
    info->fail = ENT_TRADE_FAIL_RESIDUAL;
    return ENT_ENOCONV;
  }
  /* welfare as in ge_solve's outputs, for i and j only */
  double wel[2];
  size_t who[2] = {i, j};
  for (int c = 0; c < 2; c++) {
    size_t k = who[c];
    double P = exp(-log(w->Phi[k]) / theta), Eh = w->Ep[k] / w->E[k];
    wel[c] = Eh / P;
    if (!isfinite(P) || !(P > 0.0) || !isfinite(wel[c])) {
      info->fail = ENT_TRADE_FAIL_RESIDUAL;
      info->where = k;
      return ENT_ENOCONV;
    }
  }
  *welfare_i = wel[0];
  if (welfare_j) *welfare_j = wel[1];
  memcpy(wm, w->wa, n * sizeof *wm);
  memcpy(wm + n, w->ma, n * sizeof *wm);
  info->fail = ENT_TRADE_FAIL_NONE;
  return ENT_OK;
}

/* ------------------------------------------------------------ problems */

ent_trade_problem *ent_trade_problem_alloc(size_t n) {
  if (n == 0 || n > 46340) return NULL;
  ent_trade_problem *p = ent_calloc(1, sizeof *p);
  if (!p) return NULL;
  ent_arena_init(&p->arena);
  p->n = n;
  p->names = ent_arena_array(&p->arena, n, sizeof *p->names);
  p->X = ent_arena_array(&p->arena, n * n, sizeof(double));
  p->b = ent_arena_array(&p->arena, n * n, sizeof(double));
  p->beta = ent_arena_array(&p->arena, n * n, sizeof(double));
  if (p->arena.failed) {
    ent_trade_problem_destroy(p);
    return NULL;
  }
  for (size_t k = 0; k < n * n; k++) {
    p->X[k] = 0.0;
    p->b[k] = 1.0;
    p->beta[k] = 0.0;
  }
  return p;
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
  ent_trade_problem *p = ent_trade_problem_alloc(n);
  if (!p) return ENT_ENOMEM;
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
  if (!ent_trade_opts_valid(o)) {
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
