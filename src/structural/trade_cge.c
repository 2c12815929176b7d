/*
 * trade_cge.c -- the conditional GE level of effect (biproportional
 * balancing, gravity.md section 4, level 2) and the conversions between
 * tariffs, coverage and b (gravity.md section 2); see trade.h.  Moved out
 * of trade.c, unchanged.
 */
#include "structural/trade.h"

#include <math.h>
#include <string.h>

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
