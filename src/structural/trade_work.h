/*
 * trade_work.h -- the GE trade solver's workspace and the helpers that
 * trade.c and trade_lanes.c (its cut solves side by side) share.  Private
 * to src/structural.
 */
#ifndef ENT_STRUCTURAL_TRADE_WORK_H
#define ENT_STRUCTURAL_TRADE_WORK_H

#include "structural/trade.h"

#include <math.h>

/* Chord steps after a full Newton step (ent_trade_opts.newton_chord):
 * slowest contraction rate accepted, and most steps in a row. */
#define ENT_TRADE_CHORD_RATE 0.1
#define ENT_TRADE_CHORD_MAX 4

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
  double *wa, *ma;        /* [n] accepted w_hat, w_hat^-theta (cut solves) */
  size_t *perm;           /* [n] LU row permutation */
  /* single-pair cuts (ent_trade_cut_prepare) */
  double *pb0;            /* [n*n] pi_ij of the baseline, no cut */
  double *C;              /* [n*n] cut_jacobian's pb_kj r_j */
  size_t cut_n;           /* n of the prepared baseline, 0: none */
  double cut_YW;          /* its world output */
  /* 1: newton() and chord() move w and m multiplicatively from wa, ma
   * (ent_trade_cut_solve); 0: along lnw (every other solve) */
  int mult;
  double merit; /* mult mode: newton_residual of the current state */
  void *lanes; /* ent_trade_cut_solve_lanes, ENT_TRADE_LANES_BYTES; NULL
                 for cap > ENT_TRADE_LANES_NMAX */
};

/* ent_trade_cut_solve_lanes' workspace (trade_lanes_kernel.h: the
 * kernel of each vector width lays it out its own way in these bytes). */
#define ENT_TRADE_LANES_BYTES 24576

/* The kernels of trade_lanes_kernel.h, W lanes a group (2: SSE2 or the
 * compiler's generic vectors, 4: AVX2, 8: AVX-512); arguments as
 * ent_trade_cut_solve_lanes, checked by it. */
#define ENT_TRADE_LANES_ARGS                                                \
  size_t n, size_t count, const size_t *ci, const size_t *cj, int cut_ij,  \
      int cut_ji, const ent_trade_opts *o, ent_trade_work *w,               \
      double *const *wm, const int *warm, double *welfare_i,                \
      double *welfare_j, unsigned char *solved, unsigned char *steps
ENT_LOCAL size_t ent_trade_lanes_w2(ENT_TRADE_LANES_ARGS);
ENT_LOCAL size_t ent_trade_lanes_w4(ENT_TRADE_LANES_ARGS);
ENT_LOCAL size_t ent_trade_lanes_w8(ENT_TRADE_LANES_ARGS);

/* exp(x), for |x| < 2^-6 by a Taylor polynomial: degree 7 (the
 * remainder x^8 / 8! is below 2^-48 / 40320 < 1e-19, relative), degree 4
 * for |x| < 2^-12 (x^5 / 5! < 2^-60 / 120 < 1e-20) and degree 2 for
 * |x| < 2^-20 (x^3 / 3! < 2^-60 / 6 < 2e-19); each evaluated to about
 * one rounding.  The small steps of the cut solves (chord steps ~1e-7,
 * Newton steps from last year's equilibrium ~1e-3), where a call of exp
 * would cost several times as much. */
#define ENT_TRADE_EXP_P2(x) (1.0 + (x) * (1.0 + (x) * (1.0 / 2.0)))
#define ENT_TRADE_EXP_P4(x)                                                 \
  (1.0 +                                                                    \
   (x) * (1.0 + (x) * (1.0 / 2.0 + (x) * (1.0 / 6.0 + (x) * (1.0 / 24.0)))))
#define ENT_TRADE_EXP_P7(x)                                                 \
  (1.0 +                                                                    \
   (x) * (1.0 +                                                             \
          (x) * (1.0 / 2.0 +                                                \
                 (x) * (1.0 / 6.0 +                                         \
                        (x) * (1.0 / 24.0 +                                 \
                               (x) * (1.0 / 120.0 +                         \
                                      (x) * (1.0 / 720.0 +                  \
                                             (x) * (1.0 / 5040.0))))))))
/* (The polynomials are macros so that the lanes of trade_lanes_kernel.h
 * evaluate the same expressions on vectors: the same bits.) */
static inline double ent_trade_exp_small(double x) {
  double a = fabs(x);
  if (a < 0x1p-20) return ENT_TRADE_EXP_P2(x);
  if (a < 0x1p-12) return ENT_TRADE_EXP_P4(x);
  if (!(a < 0x1p-6)) return exp(x);
  return ENT_TRADE_EXP_P7(x);
}

/* A warm start's move to a baseline's numeraire: wm[0..n) (w_hat) times
 * *c = YW / sum_k Y_k wm_k, wm[n..2n) (w_hat^-theta) times *cm = c^-theta.
 * 0 (no move) when some wm is not positive and finite or c is not. */
static inline int ent_trade_warm_factors(size_t n, const double *Y, double YW,
                                         double theta, const double *wm,
                                         double *c, double *cm) {
  double sum = 0.0;
  int ok = 1;
  for (size_t k = 0; k < n; k++) {
    if (!(wm[k] > 0.0) || !isfinite(wm[k]) || !(wm[n + k] > 0.0) ||
        !isfinite(wm[n + k]))
      ok = 0;
    sum += Y[k] * wm[k];
  }
  double f = YW / sum;
  if (!ok || !(f > 0.0) || !isfinite(f)) return 0;
  *c = f;
  *cm = ent_trade_exp_small(-theta * log(f));
  return 1;
}

/* The options' checks of every solve. */
ENT_LOCAL int ent_trade_opts_valid(const ent_trade_opts *o);

#endif
