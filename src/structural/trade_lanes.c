/*
 * trade_lanes.c -- the cut solves of trade.c (ent_trade_cut_solve) made
 * side by side, one cut per vector lane, with the same bits.
 */
#include "structural/trade.h"
#include "structural/trade_work.h"

#include <float.h>
#include <math.h>
#include <string.h>

#pragma GCC optimize("no-trapping-math")
enum { CL_L = ENT_TRADE_LANES, CL_N = ENT_TRADE_LANES_NMAX };

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && \
    defined(ENT_HAVE_X86_PLATFORM_H)
#include <sys/platform/x86.h>
#endif

/* ------------------------------------------- cuts solved side by side */

/* ent_trade_cut_solve_lanes: up to CL_L cuts of the prepared baseline in
 * lock step, one cut per lane.  Every lane gets the operations of
 * ent_trade_cut_solve in the same order (the build has no FMA
 * contraction, -ffp-contract=off; the lanes only run side by side), so
 * a lane's numbers are the scalar solve's bits.  The lanes follow that
 * solve's usual path -- the start's state, one Newton step taken whole,
 * then up to ENT_TRADE_CHORD_MAX chord steps until one predicts
 * convergence -- and a lane that leaves it (a second Newton step, a
 * shortened step, an infeasible point, a singular Jacobian, a residual
 * left too large) is given back to the caller, who solves that cut with
 * ent_trade_cut_solve from the same start.  The loops over lanes are
 * plain C that the compiler turns into vectors; the kernel is compiled
 * three times (SSE2, AVX2 and AVX-512 without FMA), chosen at run time. */


#define CL_INLINE static inline __attribute__((always_inline))

/* exp_small of every lane: the three polynomials in vectors, exp() for
 * the live lanes whose |x| is 2^-6 or more. */
CL_INLINE void cl_exp_small(const double *restrict x, double *restrict y,
                            const long long *restrict live) {
  double a[CL_L];
  int any = 0;
  for (int l = 0; l < CL_L; l++) {
    double t = x[l];
    a[l] = fabs(t);
    double p2 = 1.0 + t * (1.0 + t * (1.0 / 2.0));
    double p4 =
        1.0 + t * (1.0 + t * (1.0 / 2.0 + t * (1.0 / 6.0 + t * (1.0 / 24.0))));
    double p7 =
        1.0 +
        t * (1.0 +
             t * (1.0 / 2.0 +
                  t * (1.0 / 6.0 +
                       t * (1.0 / 24.0 +
                            t * (1.0 / 120.0 +
                                 t * (1.0 / 720.0 + t * (1.0 / 5040.0)))))));
    y[l] = a[l] < 0x1p-20 ? p2 : a[l] < 0x1p-12 ? p4 : p7;
    any |= !(a[l] < 0x1p-6);
  }
  if (any)
    for (int l = 0; l < CL_L; l++)
      if (live[l] && !(a[l] < 0x1p-6)) y[l] = exp(x[l]);
}

/* state_mult (d: with the step g->d, else at the accepted point),
 * state_from_wm and newton_residual of every lane; a lane whose scalar
 * solve would fail there gets bad set.  The merit into g->mt. */
CL_INLINE void cl_state(struct ent_trade_lanes *restrict g, size_t n,
                        const ent_trade_work *restrict w,
                        const ent_trade_opts *o, int d) {
  const double theta = o->theta, YW = w->cut_YW;
  const double *restrict Y = w->Y, *restrict E = w->E, *restrict D = w->D;
  if (d)
    for (size_t i = 0; i < n; i++) {
      double md[CL_L];
      for (int l = 0; l < CL_L; l++) md[l] = -theta * g->d[i][l];
      cl_exp_small(g->d[i], g->e1[i], g->live);
      cl_exp_small(md, g->e2[i], g->live);
    }
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < CL_L; l++) {
      double wi = g->wa[i][l], mi = g->ma[i][l];
      if (d) {
        wi *= g->e1[i][l];
        mi *= g->e2[i][l];
      }
      g->W[i][l] = wi;
      g->M[i][l] = mi;
      g->Phi[i][l] = 0.0;
      g->bad[l] |= !(wi > 0.0) | !(wi < HUGE_VAL) | !(mi > 0.0) |
                   !(mi < HUGE_VAL);
    }
  for (size_t k = 0; k < n; k++)
    for (size_t j = 0; j < n; j++)
      for (int l = 0; l < CL_L; l++)
        g->Phi[j][l] += g->pb[k][j][l] * g->M[k][l];
  if (o->deficit == ENT_TRADE_DEFICIT_ADDITIVE) {
    for (size_t j = 0; j < n; j++)
      for (int l = 0; l < CL_L; l++)
        g->Ep[j][l] = g->W[j][l] * Y[j] + D[j];
  } else {
    for (int l = 0; l < CL_L; l++) g->sy[l] = g->se[l] = 0.0;
    for (size_t j = 0; j < n; j++)
      for (int l = 0; l < CL_L; l++) {
        g->sy[l] += g->W[j][l] * Y[j];
        g->se[l] += g->W[j][l] * E[j];
      }
    for (int l = 0; l < CL_L; l++) g->kappa[l] = g->sy[l] / g->se[l];
    for (size_t j = 0; j < n; j++)
      for (int l = 0; l < CL_L; l++)
        g->Ep[j][l] = g->kappa[l] * E[j] * g->W[j][l];
  }
  for (size_t j = 0; j < n; j++)
    for (int l = 0; l < CL_L; l++) {
      double ep = g->Ep[j][l], ph = g->Phi[j][l];
      g->bad[l] |= !(ep > 0.0) | !(ph > 0.0) | !(fabs(ep) <= DBL_MAX) |
                   !(fabs(ph) <= DBL_MAX);
      g->q[j][l] = ep / ph;
    }
  /* row_sums: partial sums of j mod 4, the tail in the first */
  size_t n4 = n & ~(size_t)3;
  for (size_t i = 0; i < n; i++) {
    double s[4][CL_L];
    for (int c = 0; c < 4; c++)
      for (int l = 0; l < CL_L; l++) s[c][l] = 0.0;
    for (size_t j = 0; j < n; j++) {
      int c = j < n4 ? (int)(j & 3) : 0;
      for (int l = 0; l < CL_L; l++) s[c][l] += g->pb[i][j][l] * g->q[j][l];
    }
    for (int l = 0; l < CL_L; l++)
      g->A[i][l] = (s[0][l] + s[1][l]) + (s[2][l] + s[3][l]);
  }
  /* newton_residual */
  double sw[CL_L];
  for (int l = 0; l < CL_L; l++) g->mt[l] = sw[l] = 0.0;
  for (size_t i = 0; i + 1 < n; i++)
    for (int l = 0; l < CL_L; l++) {
      double f = (g->M[i][l] * g->A[i][l] - g->W[i][l] * Y[i]) / Y[i];
      g->F[i][l] = f;
      g->mt[l] = !(fabs(f) <= g->mt[l]) ? fabs(f) : g->mt[l];
    }
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < CL_L; l++) sw[l] += g->W[i][l] * Y[i];
  for (int l = 0; l < CL_L; l++) {
    double f = (sw[l] - YW) / YW;
    g->F[n - 1][l] = f;
    g->mt[l] = !(fabs(f) <= g->mt[l]) ? fabs(f) : g->mt[l];
  }
}

/* cut_jacobian of every lane. */
CL_INLINE void cl_jacobian(struct ent_trade_lanes *restrict g, size_t n,
                           const ent_trade_work *restrict w,
                           const ent_trade_opts *o) {
  const double theta = o->theta, YW = w->cut_YW;
  const double *restrict Y = w->Y, *restrict E = w->E;
  int add = o->deficit == ENT_TRADE_DEFICIT_ADDITIVE;
  for (int l = 0; l < CL_L; l++) g->sy[l] = g->se[l] = 0.0;
  for (size_t j = 0; j < n; j++)
    for (int l = 0; l < CL_L; l++) {
      g->r[j][l] = g->q[j][l] / g->Phi[j][l];
      g->sy[l] += g->W[j][l] * Y[j];
      g->se[l] += g->W[j][l] * E[j];
    }
  for (size_t k = 0; k < n; k++) {
    if (add)
      for (int l = 0; l < CL_L; l++)
        g->v[k][l] = g->q[k][l] * g->W[k][l] * Y[k] / g->Ep[k][l];
    else
      for (int l = 0; l < CL_L; l++) {
        g->v[k][l] = g->q[k][l];
        g->ck[k][l] = g->W[k][l] * Y[k] / g->sy[l] -
                      g->W[k][l] * E[k] / g->se[l];
      }
    for (size_t j = 0; j < n; j++)
      for (int l = 0; l < CL_L; l++)
        g->C[k][j][l] = g->pb[k][j][l] * g->r[j][l];
  }
  for (size_t i = 0; i + 1 < n; i++) {
    double ai[CL_L], bi[CL_L], diag[CL_L];
    for (int l = 0; l < CL_L; l++) {
      double mi = g->M[i][l], Si = mi * g->A[i][l], yi = 1.0 / Y[i];
      ai[l] = mi * yi;
      bi[l] = Si * yi;
      diag[l] = (theta * Si + g->W[i][l] * Y[i]) * yi;
    }
    for (size_t k = 0; k < n; k++) {
      double gk[CL_L];
      if (k < i) {
        for (int l = 0; l < CL_L; l++) gk[l] = g->J[i][k][l];
      } else {
        /* dot2: even j into s0, odd into s1, an odd tail into s0 */
        double s0[CL_L], s1[CL_L];
        for (int l = 0; l < CL_L; l++) s0[l] = s1[l] = 0.0;
        size_t j = 0;
        for (; j + 2 <= n; j += 2)
          for (int l = 0; l < CL_L; l++) {
            s0[l] += g->pb[i][j][l] * g->C[k][j][l];
            s1[l] += g->pb[i][j + 1][l] * g->C[k][j + 1][l];
          }
        if (j < n)
          for (int l = 0; l < CL_L; l++)
            s0[l] += g->pb[i][j][l] * g->C[k][j][l];
        for (int l = 0; l < CL_L; l++) gk[l] = s0[l] + s1[l];
        if (k > i)
          for (int l = 0; l < CL_L; l++) g->J[k][i][l] = gk[l];
      }
      for (int l = 0; l < CL_L; l++) {
        double dd = ai[l] * (theta * g->M[k][l] * gk[l] +
                             g->pb[i][k][l] * g->v[k][l]);
        if (!add) dd += bi[l] * g->ck[k][l];
        if (k == i) dd -= diag[l];
        g->J[i][k][l] = dd;
      }
    }
  }
  for (size_t k = 0; k < n; k++)
    for (int l = 0; l < CL_L; l++)
      g->J[n - 1][k][l] = g->W[k][l] * Y[k] / YW;
}

/* lu_factor of every lane (a lane's row swaps its own). */
CL_INLINE void cl_lu_factor(struct ent_trade_lanes *restrict g, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < CL_L; l++) g->perm[i][l] = (int)i;
  for (int l = 0; l < CL_L; l++) g->scale[l] = 0.0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < n; k++)
      for (int l = 0; l < CL_L; l++) {
        double a = fabs(g->J[i][k][l]);
        g->scale[l] = a > g->scale[l] ? a : g->scale[l];
      }
  for (int l = 0; l < CL_L; l++)
    g->bad[l] |= !(g->scale[l] > 0.0) | !(g->scale[l] <= DBL_MAX);
  for (size_t c = 0; c < n; c++) {
    for (int l = 0; l < CL_L; l++) {
      g->piv[l] = (int)c;
      g->best[l] = fabs(g->J[c][c][l]);
    }
    for (size_t i = c + 1; i < n; i++)
      for (int l = 0; l < CL_L; l++) {
        double a = fabs(g->J[i][c][l]);
        int up = a > g->best[l];
        g->piv[l] = up ? (int)i : g->piv[l];
        g->best[l] = up ? a : g->best[l];
      }
    int swaps = 0;
    for (int l = 0; l < CL_L; l++) {
      g->bad[l] |= !(g->best[l] > 1e-14 * g->scale[l]);
      swaps |= g->piv[l] != (int)c;
    }
    if (swaps)
      for (int l = 0; l < CL_L; l++) {
        size_t p = (size_t)g->piv[l];
        if (p == c) continue;
        for (size_t k = 0; k < n; k++) {
          double t = g->J[c][k][l];
          g->J[c][k][l] = g->J[p][k][l];
          g->J[p][k][l] = t;
        }
        int t = g->perm[c][l];
        g->perm[c][l] = g->perm[p][l];
        g->perm[p][l] = t;
      }
    for (size_t i = c + 1; i < n; i++) {
      double f[CL_L];
      for (int l = 0; l < CL_L; l++) {
        f[l] = g->J[i][c][l] / g->J[c][c][l];
        g->J[i][c][l] = f[l];
      }
      for (size_t k = c + 1; k < n; k++)
        for (int l = 0; l < CL_L; l++) {
          double x = g->J[i][k][l];
          g->J[i][k][l] = f[l] == 0.0 ? x : x - f[l] * g->J[c][k][l];
        }
    }
  }
}

/* lu_apply of every lane: rhs = -F, the step into dz and d (t = 1), its
 * size max |d_i| into step. */
CL_INLINE void cl_lu_apply(struct ent_trade_lanes *restrict g, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < CL_L; l++) g->rhs[i][l] = -g->F[i][l];
  for (size_t i = 0; i < n; i++) {
    double s[CL_L];
    for (int l = 0; l < CL_L; l++) s[l] = g->rhs[g->perm[i][l]][l];
    for (size_t k = 0; k < i; k++)
      for (int l = 0; l < CL_L; l++) s[l] -= g->J[i][k][l] * g->dz[k][l];
    for (int l = 0; l < CL_L; l++) g->dz[i][l] = s[l];
  }
  for (size_t i = n; i-- > 0;) {
    double s[CL_L];
    for (int l = 0; l < CL_L; l++) s[l] = g->dz[i][l];
    for (size_t k = i + 1; k < n; k++)
      for (int l = 0; l < CL_L; l++) s[l] -= g->J[i][k][l] * g->dz[k][l];
    for (int l = 0; l < CL_L; l++) g->dz[i][l] = s[l] / g->J[i][i][l];
  }
  for (int l = 0; l < CL_L; l++) g->step[l] = 0.0;
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < CL_L; l++) {
      double t = 1.0 * g->dz[i][l], a = fabs(t);
      g->d[i][l] = t;
      g->step[l] = a > g->step[l] ? a : g->step[l];
    }
}

/* The trial point becomes the accepted point of every lane. */
CL_INLINE void cl_accept(struct ent_trade_lanes *restrict g, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < CL_L; l++) {
      g->wa[i][l] = g->W[i][l];
      g->ma[i][l] = g->M[i][l];
      g->merit[l] = g->mt[l];
    }
}

/* The steps of every lane: on return live[l] == 0 and bad[l] == 0 for a
 * converged lane (its state current, the state of its accepted point),
 * bad[l] != 0 for a lane given back.  A converged lane's results are
 * taken by `finish` before the other lanes step on. */
struct cl_job {
  size_t n, base;          /* base: the first lane's index of the cuts */
  const ent_trade_work *w;
  const ent_trade_opts *o;
  const size_t *ci, *cj;
  double *const *wm;
  double *wel_i, *wel_j;
  unsigned char *solved;
};

/* A converged lane: what ent_trade_cut_solve does after newton(). */
CL_INLINE void cl_finish(const struct ent_trade_lanes *restrict g, int l,
                         const struct cl_job *jb) {
  size_t n = jb->n, k = jb->base + (size_t)l;
  const ent_trade_work *w = jb->w;
  const double theta = jb->o->theta;
  double res = 0.0; /* adding_up */
  for (size_t i = 0; i < n; i++) {
    double e = fabs(g->M[i][l] * g->A[i][l] - g->W[i][l] * w->Y[i]) / w->Y[i];
    if (!(e <= res)) res = e;
  }
  if (!(res < jb->o->residual_tol)) return; /* the scalar solve's */
  double wel[2];
  size_t who[2] = {jb->ci[k], jb->cj[k]};
  for (int c = 0; c < 2; c++) {
    size_t h = who[c];
    double P = exp(-log(g->Phi[h][l]) / theta), Eh = g->Ep[h][l] / w->E[h];
    wel[c] = Eh / P;
    if (!isfinite(P) || !(P > 0.0) || !isfinite(wel[c])) return;
  }
  jb->wel_i[k] = wel[0];
  if (jb->wel_j) jb->wel_j[k] = wel[1];
  double *wm = jb->wm[k];
  for (size_t i = 0; i < n; i++) {
    wm[i] = g->wa[i][l];
    wm[n + i] = g->ma[i][l];
  }
  jb->solved[k] = 1;
}

CL_INLINE void cl_steps(struct ent_trade_lanes *restrict g, size_t n,
                        const struct cl_job *jb) {
  const ent_trade_work *w = jb->w;
  const ent_trade_opts *o = jb->o;
  const double tol = o->tol;
  /* newton(): the state of the start */
  cl_state(g, n, w, o, 0);
  int any = 0;
  for (int l = 0; l < CL_L; l++) {
    g->merit[l] = g->mt[l];
    if (!g->live[l]) continue;
    if (g->bad[l] || o->newton_max_iter < 1) {
      g->bad[l] = 1;
      g->live[l] = 0;
    } else if (g->merit[l] == 0.0) {
      g->live[l] = 0;
      cl_finish(g, l, jb);
    }
    any |= g->live[l] != 0;
  }
  if (!any) return;
  /* one Newton step, taken whole */
  cl_jacobian(g, n, w, o);
  cl_lu_factor(g, n);
  cl_lu_apply(g, n);
  cl_state(g, n, w, o, 1);
  any = 0;
  for (int l = 0; l < CL_L; l++) {
    if (!g->live[l]) continue;
    double mt = g->mt[l], s = g->step[l];
    if (g->bad[l] || !(mt < g->merit[l] || (s < tol && mt <= 2.0 * g->merit[l]))) {
      g->bad[l] = 1;
      g->live[l] = 0;
    }
  }
  cl_accept(g, n);
  for (int l = 0; l < CL_L; l++) {
    if (!g->live[l]) continue;
    if (g->step[l] < tol) { /* converged */
      g->live[l] = 0;
      cl_finish(g, l, jb);
    } else if (!o->newton_chord) {
      g->bad[l] = 1; /* a second Newton step: the scalar solve's */
      g->live[l] = 0;
    }
    g->prev[l] = g->step[l];
    any |= g->live[l] != 0;
  }
  /* chord steps with its factors */
  for (int k = 0; k < ENT_TRADE_CHORD_MAX && any; k++) {
    for (int l = 0; l < CL_L; l++)
      if (g->live[l] && g->merit[l] == 0.0) {
        g->live[l] = 0;
        cl_finish(g, l, jb);
      }
    cl_lu_apply(g, n);
    cl_state(g, n, w, o, 1);
    any = 0;
    for (int l = 0; l < CL_L; l++) {
      if (!g->live[l]) continue;
      double s = g->step[l], rho = s / g->prev[l], mt = g->mt[l];
      if (!(rho <= ENT_TRADE_CHORD_RATE) || g->bad[l] ||
          !(mt < g->merit[l] || (s < tol && mt <= 2.0 * g->merit[l]))) {
        g->bad[l] = 1;
        g->live[l] = 0;
        continue;
      }
      g->prev[l] = rho; /* kept for the test below */
    }
    cl_accept(g, n);
    for (int l = 0; l < CL_L; l++) {
      if (!g->live[l]) continue;
      double s = g->step[l], rho = g->prev[l];
      if (rho * s < 0.001 * tol * (1.0 - rho)) {
        g->live[l] = 0;
        cl_finish(g, l, jb);
        continue;
      }
      g->prev[l] = s;
      any = 1;
    }
  }
  /* past ENT_TRADE_CHORD_MAX chord steps: a fresh Jacobian, scalar */
  for (int l = 0; l < CL_L; l++)
    if (g->live[l]) {
      g->bad[l] = 1;
      g->live[l] = 0;
    }
}

static void cl_run_plain(struct ent_trade_lanes *g, const struct cl_job *jb) {
  cl_steps(g, jb->n, jb);
}

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define CL_X86 1
__attribute__((target("avx2"))) static void
cl_run_avx2(struct ent_trade_lanes *g, const struct cl_job *jb) {
  cl_steps(g, jb->n, jb);
}
__attribute__((target("avx512f"))) static void
cl_run_avx512(struct ent_trade_lanes *g, const struct cl_job *jb) {
  cl_steps(g, jb->n, jb);
}
#else
#define CL_X86 0
#endif

typedef void (*cl_run_fn)(struct ent_trade_lanes *, const struct cl_job *);

/* The widest kernel this CPU runs (glibc's record of its features where
 * there is one, as src/strategic/eum_sums.c). */
static cl_run_fn cl_kernel(int simd) {
#if CL_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  if (simd && CPU_FEATURE_ACTIVE(AVX512F)) return cl_run_avx512;
  if (simd && CPU_FEATURE_ACTIVE(AVX2)) return cl_run_avx2;
#elif CL_X86
  if (simd && __builtin_cpu_supports("avx512f")) return cl_run_avx512;
  if (simd && __builtin_cpu_supports("avx2")) return cl_run_avx2;
#endif
  (void)simd;
  return cl_run_plain;
}

size_t ent_trade_cut_solve_lanes(size_t n, size_t count, const size_t *ci,
                                 const size_t *cj, int cut_ij, int cut_ji,
                                 const ent_trade_opts *o, ent_trade_work *w,
                                 double *const *wm, const int *warm,
                                 double *welfare_i, double *welfare_j,
                                 unsigned char *solved, int simd) {
  if (!solved) return 0;
  for (size_t k = 0; k < count; k++) solved[k] = 0;
  if (!w || !w->lanes || !o || !ci || !cj || !wm || !warm || !welfare_i ||
      n < 2 || n > CL_N || n != w->cut_n || !ent_trade_opts_valid(o) || !o->newton)
    return 0;
  for (size_t k = 0; k < count; k++)
    if (ci[k] >= n || cj[k] >= n || ci[k] == cj[k] || !wm[k]) return 0;
  struct ent_trade_lanes *restrict g = w->lanes;
  const double theta = o->theta, YW = w->cut_YW;
  cl_run_fn run = cl_kernel(simd);
  size_t done = 0;
  for (size_t base = 0; base < count; base += CL_L) {
    size_t cnt = count - base < CL_L ? count - base : CL_L;
    for (size_t r = 0; r < n; r++)
      for (size_t c = 0; c < n; c++)
        for (int l = 0; l < CL_L; l++) g->pb[r][c][l] = w->pb0[r * n + c];
    for (int l = 0; l < CL_L; l++) {
      g->live[l] = (size_t)l < cnt;
      g->bad[l] = 0;
      for (size_t k = 0; k < n; k++) g->wa[k][l] = g->ma[k][l] = 1.0;
      if (!g->live[l]) continue;
      size_t k = base + (size_t)l, i = ci[k], j = cj[k];
      if (cut_ij) g->pb[i][j][l] = 0.0;
      if (cut_ji) g->pb[j][i][l] = 0.0;
      if (!warm[k]) continue;
      /* the start of ent_trade_cut_solve */
      const double *s = wm[k];
      double sum = 0.0;
      int ok = 1;
      for (size_t h = 0; h < n; h++) {
        if (!(s[h] > 0.0) || !isfinite(s[h]) || !(s[n + h] > 0.0) ||
            !isfinite(s[n + h]))
          ok = 0;
        sum += w->Y[h] * s[h];
      }
      double c = YW / sum;
      if (ok && c > 0.0 && isfinite(c)) {
        double cm = ent_trade_exp_small(-theta * log(c));
        for (size_t h = 0; h < n; h++) {
          g->wa[h][l] = s[h] * c;
          g->ma[h][l] = s[n + h] * cm;
        }
      }
    }
    struct cl_job jb = {n, base, w, o, ci, cj, wm, welfare_i, welfare_j,
                        solved};
    run(g, &jb);
    for (size_t l = 0; l < cnt; l++) done += solved[base + l];
  }
  return done;
}

