/*
 * trade_lanes_kernel.h -- the kernel of ent_trade_cut_solve_lanes
 * (trade_lanes.c) for CLW lanes, defined as CL_ENTRY: included by
 * trade_lanes.c (CLW 2), trade_lanes_avx2.c (4) and trade_lanes_avx512.c
 * (8), each compiled for its instruction set.  The lanes are GCC vectors
 * of CLW doubles; every operation of a lane is ent_trade_cut_solve's, in
 * its order (no FMA contraction: -ffp-contract=off), so each lane has
 * the scalar solve's bits.  No include guard: a template.
 */
#if !defined(CLW) || !defined(CL_ENTRY)
#error "define CLW and CL_ENTRY before including trade_lanes_kernel.h"
#endif

enum { CL_N = ENT_TRADE_LANES_NMAX };

#define CL_INLINE static inline __attribute__((always_inline))

#if defined(__SSE2__)
#include <immintrin.h>
#endif

/* The helpers below take and return lane vectors; all are inlined
 * (static, always_inline), so no call passes one by the ABI GCC warns
 * about. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

typedef double V __attribute__((vector_size(8 * CLW), aligned(8)));
typedef long long Mk __attribute__((vector_size(8 * CLW), aligned(8)));

/* A lane vector holds one value of every lane, the cut of that lane; a
 * mask, a comparison's all-ones or zero of every lane. */
struct cl_lanes {
  V pb[CL_N][CL_N]; /* pi_ij b_ij of each lane's cut */
  V J[CL_N][CL_N];  /* Jacobian, then its LU factors */
  V C[CL_N][CL_N];  /* cut_jacobian's pb_kj r_j */
  V wa[CL_N], ma[CL_N]; /* accepted w_hat, w_hat^-theta */
  V W[CL_N], M[CL_N];   /* the point evaluated */
  V Phi[CL_N], Ep[CL_N], q[CL_N], A[CL_N];
  V F[CL_N], r[CL_N], v[CL_N], ck[CL_N];
  V d[CL_N], dz[CL_N], rhs[CL_N];
  V merit, mt, step, prev;
  Mk bad;  /* nonzero: the lane left the usual path */
  int swapped; /* cl_lu_factor swapped rows in some lane */
  Mk live; /* nonzero: still stepping */
  Mk perm[CL_N]; /* LU row permutation */
  Mk nst; /* each lane's work: 2 a Newton step, 1 a chord step */
};
_Static_assert(sizeof(struct cl_lanes) <= ENT_TRADE_LANES_BYTES,
               "trade_work.h: ENT_TRADE_LANES_BYTES too small");

CL_INLINE V v_abs(V x) { return (V)((Mk)x & 0x7fffffffffffffffLL); }
/* m ? a : b, lane by lane */
CL_INLINE V v_sel(Mk m, V a, V b) { return (V)(((Mk)a & m) | ((Mk)b & ~m)); }
CL_INLINE Mk m_sel(Mk m, Mk a, Mk b) { return (a & m) | (b & ~m); }
CL_INLINE V v_set(double x) {
  V v = {0};
  for (int l = 0; l < CLW; l++) v[l] = x;
  return v;
}
CL_INLINE Mk m_set(long long x) {
  Mk v = {0};
  for (int l = 0; l < CLW; l++) v[l] = x;
  return v;
}
/* Some lane of m nonzero: one test instruction where the object is
 * compiled for it (masks here are all ones or zero in every lane). */
CL_INLINE int m_any(Mk m) {
#if CLW == 8 && defined(__AVX512F__)
  return _mm512_test_epi64_mask((__m512i)m, (__m512i)m) != 0;
#elif CLW == 4 && defined(__AVX__)
  return !_mm256_testz_si256((__m256i)m, (__m256i)m);
#elif CLW == 2 && defined(__SSE2__)
  return _mm_movemask_pd((__m128d)m) != 0;
#else
  long long r = 0;
  for (int l = 0; l < CLW; l++) r |= m[l];
  return r != 0;
#endif
}

/* exp_small of every live lane: the polynomials in vectors, each only
 * when a live lane needs it (a chord step's |x| is mostly below 2^-20:
 * the degree 2 alone), exp() for the live lanes whose |x| is 2^-6 or
 * more (NaN included).  A lane not live gets some value, never read. */
CL_INLINE V cl_exp_small(V x, Mk live) {
  V a = v_abs(x);
  V y = ENT_TRADE_EXP_P2(x);
  Mk m4 = ~(a < 0x1p-20) & live;
  if (m_any(m4)) {
    Mk m7 = ~(a < 0x1p-12) & live;
    y = v_sel(m4, ENT_TRADE_EXP_P4(x), y);
    if (m_any(m7)) y = v_sel(m7, ENT_TRADE_EXP_P7(x), y);
  }
  Mk big = ~(a < 0x1p-6) & live;
  if (m_any(big))
    for (int l = 0; l < CLW; l++)
      if (big[l]) y[l] = exp(x[l]);
  return y;
}

/* state_mult (d: with the step g->d, else at the accepted point),
 * state_from_wm and newton_residual of every lane; a lane whose scalar
 * solve would fail there gets bad set.  The merit into g->mt. */
CL_INLINE void cl_state(struct cl_lanes *restrict g, size_t n,
                        const ent_trade_work *restrict w,
                        const ent_trade_opts *o, int d) {
  const double theta = o->theta, YW = w->cut_YW;
  const double *restrict Y = w->Y, *restrict E = w->E, *restrict D = w->D;
  Mk bad = g->bad;
  for (size_t i = 0; i < n; i++) {
    V wi = g->wa[i], mi = g->ma[i];
    if (d) {
      wi = wi * cl_exp_small(g->d[i], g->live);
      mi = mi * cl_exp_small(-theta * g->d[i], g->live);
    }
    g->W[i] = wi;
    g->M[i] = mi;
    bad |= ~(wi > 0.0) | ~(wi < HUGE_VAL) | ~(mi > 0.0) | ~(mi < HUGE_VAL);
  }
  for (size_t j = 0; j < n; j++) {
    V s = (V){0};
    for (size_t k = 0; k < n; k++) s = s + g->pb[k][j] * g->M[k];
    g->Phi[j] = s;
  }
  if (o->deficit == ENT_TRADE_DEFICIT_ADDITIVE) {
    for (size_t j = 0; j < n; j++) g->Ep[j] = g->W[j] * Y[j] + D[j];
  } else {
    V sy = (V){0}, se = (V){0};
    for (size_t j = 0; j < n; j++) {
      sy = sy + g->W[j] * Y[j];
      se = se + g->W[j] * E[j];
    }
    V kappa = sy / se;
    for (size_t j = 0; j < n; j++) g->Ep[j] = kappa * E[j] * g->W[j];
  }
  for (size_t j = 0; j < n; j++) {
    V ep = g->Ep[j], ph = g->Phi[j];
    bad |= ~(ep > 0.0) | ~(ph > 0.0) | ~(v_abs(ep) <= DBL_MAX) |
           ~(v_abs(ph) <= DBL_MAX);
    g->q[j] = ep / ph;
  }
  g->bad = bad;
  /* row_sums: partial sums of j mod 4, the tail in the first */
  size_t n4 = n & ~(size_t)3;
  for (size_t i = 0; i < n; i++) {
    V s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
    const V *restrict p = g->pb[i], *restrict q = g->q;
    size_t j = 0;
    for (; j < n4; j += 4) {
      s0 = s0 + p[j] * q[j];
      s1 = s1 + p[j + 1] * q[j + 1];
      s2 = s2 + p[j + 2] * q[j + 2];
      s3 = s3 + p[j + 3] * q[j + 3];
    }
    for (; j < n; j++) s0 = s0 + p[j] * q[j];
    g->A[i] = (s0 + s1) + (s2 + s3);
  }
  /* newton_residual: max |F_i|, NaN as large */
  V mt = (V){0}, sw = (V){0};
  for (size_t i = 0; i + 1 < n; i++) {
    V f = (g->M[i] * g->A[i] - g->W[i] * Y[i]) / Y[i];
    g->F[i] = f;
    mt = v_sel(~(v_abs(f) <= mt), v_abs(f), mt);
  }
  for (size_t i = 0; i < n; i++) sw = sw + g->W[i] * Y[i];
  V f = (sw - YW) / YW;
  g->F[n - 1] = f;
  g->mt = v_sel(~(v_abs(f) <= mt), v_abs(f), mt);
}

/* cut_jacobian of every lane. */
CL_INLINE void cl_jacobian(struct cl_lanes *restrict g, size_t n,
                           const ent_trade_work *restrict w,
                           const ent_trade_opts *o) {
  const double theta = o->theta, YW = w->cut_YW;
  const double *restrict Y = w->Y, *restrict E = w->E;
  int add = o->deficit == ENT_TRADE_DEFICIT_ADDITIVE;
  V sy = (V){0}, se = (V){0};
  for (size_t j = 0; j < n; j++) {
    g->r[j] = g->q[j] / g->Phi[j];
    sy = sy + g->W[j] * Y[j];
    se = se + g->W[j] * E[j];
  }
  for (size_t k = 0; k < n; k++) {
    if (add) {
      g->v[k] = g->q[k] * g->W[k] * Y[k] / g->Ep[k];
    } else {
      g->v[k] = g->q[k];
      g->ck[k] = g->W[k] * Y[k] / sy - g->W[k] * E[k] / se;
    }
    for (size_t j = 0; j < n; j++) g->C[k][j] = g->pb[k][j] * g->r[j];
  }
  for (size_t i = 0; i + 1 < n; i++) {
    V mi = g->M[i], Si = mi * g->A[i];
    double yi = 1.0 / Y[i];
    V ai = mi * yi, bi = Si * yi;
    V diag = (theta * Si + g->W[i] * Y[i]) * yi;
    for (size_t k = 0; k < n; k++) {
      V gk;
      if (k < i) {
        gk = g->J[i][k];
      } else { /* dot2: even j into s0, odd into s1, an odd tail in s0 */
        V s0 = (V){0}, s1 = (V){0};
        size_t j = 0;
        for (; j + 2 <= n; j += 2) {
          s0 = s0 + g->pb[i][j] * g->C[k][j];
          s1 = s1 + g->pb[i][j + 1] * g->C[k][j + 1];
        }
        if (j < n) s0 = s0 + g->pb[i][j] * g->C[k][j];
        gk = s0 + s1;
        if (k > i) g->J[k][i] = gk;
      }
      V dd = ai * (theta * g->M[k] * gk + g->pb[i][k] * g->v[k]);
      if (!add) dd = dd + bi * g->ck[k];
      if (k == i) dd = dd - diag;
      g->J[i][k] = dd;
    }
  }
  for (size_t k = 0; k < n; k++) g->J[n - 1][k] = g->W[k] * Y[k] / YW;
}

/* lu_factor of every lane (each lane's pivots its own, rows swapped by
 * masks). */
CL_INLINE void cl_lu_factor(struct cl_lanes *restrict g, size_t n) {
  V scale = (V){0};
  for (size_t i = 0; i < n; i++) {
    g->perm[i] = m_set((long long)i);
    for (size_t k = 0; k < n; k++) {
      V a = v_abs(g->J[i][k]);
      scale = v_sel(a > scale, a, scale);
    }
  }
  Mk bad = g->bad | ~(scale > 0.0) | ~(scale <= DBL_MAX);
  g->swapped = 0;
  for (size_t c = 0; c < n; c++) {
    Mk piv = m_set((long long)c);
    V best = v_abs(g->J[c][c]);
    for (size_t i = c + 1; i < n; i++) {
      V a = v_abs(g->J[i][c]);
      Mk up = a > best;
      piv = m_sel(up, m_set((long long)i), piv);
      best = v_sel(up, a, best);
    }
    bad |= ~(best > 1e-14 * scale);
    if (m_any(piv != (long long)c)) {
      g->swapped = 1;
      for (size_t i = c + 1; i < n; i++) {
        Mk m = piv == (long long)i;
        if (!m_any(m)) continue;
        for (size_t k = 0; k < n; k++) {
          V t = g->J[c][k];
          g->J[c][k] = v_sel(m, g->J[i][k], t);
          g->J[i][k] = v_sel(m, t, g->J[i][k]);
        }
        Mk t = g->perm[c];
        g->perm[c] = m_sel(m, g->perm[i], t);
        g->perm[i] = m_sel(m, t, g->perm[i]);
      }
    }
    V pv = g->J[c][c];
    for (size_t i = c + 1; i < n; i++) {
      V f = g->J[i][c] / pv;
      g->J[i][c] = f;
      Mk z = f == 0.0; /* lu_factor skips the row */
      for (size_t k = c + 1; k < n; k++) {
        V x = g->J[i][k];
        g->J[i][k] = v_sel(z, x, x - f * g->J[c][k]);
      }
    }
  }
  g->bad = bad;
}

/* lu_apply of every lane: rhs = -F, the step into dz and d (t = 1), its
 * size max |d_i| into step. */
CL_INLINE void cl_lu_apply(struct cl_lanes *restrict g, size_t n) {
  for (size_t i = 0; i < n; i++) g->rhs[i] = -g->F[i];
  for (size_t i = 0; i < n; i++) {
    V s = g->rhs[i]; /* the permutation: none unless rows were swapped */
    if (g->swapped)
      for (int l = 0; l < CLW; l++) s[l] = g->rhs[g->perm[i][l]][l];
    for (size_t k = 0; k < i; k++) s = s - g->J[i][k] * g->dz[k];
    g->dz[i] = s;
  }
  for (size_t i = n; i-- > 0;) {
    V s = g->dz[i];
    for (size_t k = i + 1; k < n; k++) s = s - g->J[i][k] * g->dz[k];
    g->dz[i] = s / g->J[i][i];
  }
  V step = (V){0};
  for (size_t i = 0; i < n; i++) {
    V t = 1.0 * g->dz[i], a = v_abs(t);
    g->d[i] = t;
    step = v_sel(a > step, a, step);
  }
  g->step = step;
}

/* The trial point becomes the accepted point of the live lanes. */
CL_INLINE void cl_accept(struct cl_lanes *restrict g, size_t n) {
  Mk m = g->live;
  for (size_t i = 0; i < n; i++) {
    g->wa[i] = v_sel(m, g->W[i], g->wa[i]);
    g->ma[i] = v_sel(m, g->M[i], g->ma[i]);
  }
  g->merit = v_sel(m, g->mt, g->merit);
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
CL_INLINE void cl_finish(const struct cl_lanes *restrict g, int l,
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

/* A lane leaves the lock step: converged (its results taken now, while
 * the state is its own) or given back to the scalar solve. */
CL_INLINE void cl_done(struct cl_lanes *restrict g, int l,
                       const struct cl_job *jb) {
  g->live[l] = 0;
  cl_finish(g, l, jb);
}
CL_INLINE void cl_give_back(struct cl_lanes *restrict g, int l) {
  g->live[l] = 0;
  g->bad[l] = -1;
}

/* newton() with flat_ok and chord(), lane by lane.  Lanes step together:
 * a Newton step (Jacobian, factors, a full step) for every live lane,
 * then chord steps until each live lane converged or needs a fresh
 * Jacobian (those wait, their accepted point kept, and take the next
 * Newton step together).  A shortened step, a failure or the iteration
 * limit gives the lane back. */
CL_INLINE void cl_steps(struct cl_lanes *restrict g, size_t n,
                        const struct cl_job *jb) {
  const ent_trade_work *w = jb->w;
  const ent_trade_opts *o = jb->o;
  const double tol = o->tol;
  V pnew = {0}; /* newton()'s prev: the last full Newton step, or 0 */
  /* the state of the start */
  cl_state(g, n, w, o, 0);
  g->merit = g->mt;
  for (int l = 0; l < CLW; l++)
    if (g->live[l] && g->bad[l]) cl_give_back(g, l);
  for (int it = 0; it < o->newton_max_iter; it++) {
    int any = 0;
    for (int l = 0; l < CLW; l++) {
      if (g->live[l] && g->merit[l] == 0.0) cl_done(g, l, jb);
      any |= g->live[l] != 0;
    }
    if (!any) return;
    /* a Newton step, whole (else the scalar solve's line search) */
    g->nst = g->nst + (g->live & 2);
    cl_jacobian(g, n, w, o);
    cl_lu_factor(g, n);
    cl_lu_apply(g, n);
    cl_state(g, n, w, o, 1);
    for (int l = 0; l < CLW; l++) {
      if (!g->live[l]) continue;
      double mt = g->mt[l], st = g->step[l], me = g->merit[l];
      if (g->bad[l] || !(mt < me || (st < tol && mt <= 2.0 * me)))
        cl_give_back(g, l);
    }
    cl_accept(g, n);
    any = 0;
    for (int l = 0; l < CLW; l++) {
      if (!g->live[l]) continue;
      double st = g->step[l], pv = pnew[l];
      if (st < tol ||
          (o->newton_predict && pv > 0.0 && st < pv &&
           st * st * st < 0.01 * tol * pv * pv)) {
        cl_done(g, l, jb);
        continue;
      }
      pnew[l] = st;
      any = 1;
    }
    if (!any) return;
    if (!o->newton_chord) continue;
    /* chord steps with its factors */
    V cprev = g->step;
    Mk again = {0}, chorded = {0};
    for (int k = 0; k < ENT_TRADE_CHORD_MAX && any; k++) {
      for (int l = 0; l < CLW; l++)
        if (g->live[l] && g->merit[l] == 0.0) cl_done(g, l, jb);
      g->nst = g->nst + (g->live & 1);
      cl_lu_apply(g, n);
      Mk bad0 = g->bad;
      cl_state(g, n, w, o, 1);
      Mk fresh = g->bad & ~bad0; /* trial points that failed */
      g->bad = bad0;
      V rho = g->step / cprev;
      for (int l = 0; l < CLW; l++) {
        if (!g->live[l]) continue;
        double mt = g->mt[l], st = g->step[l], me = g->merit[l];
        if (!(rho[l] <= ENT_TRADE_CHORD_RATE) || fresh[l] ||
            !(mt < me || (st < tol && mt <= 2.0 * me))) {
          again[l] = -1; /* chord() returns 1 */
          g->live[l] = 0;
        }
      }
      cl_accept(g, n);
      any = 0;
      for (int l = 0; l < CLW; l++) {
        if (!g->live[l]) continue;
        double st = g->step[l];
        chorded[l] = -1;
        if (rho[l] * st < 0.001 * tol * (1.0 - rho[l])) {
          cl_done(g, l, jb);
          continue;
        }
        cprev[l] = st;
        any = 1;
      }
    }
    /* a fresh Jacobian next for these: the state of the accepted point
     * again (at_point), and no quadratic prediction after chord steps */
    g->live = again | g->live;
    if (!m_any(g->live)) return;
    cl_state(g, n, w, o, 0);
    g->merit = v_sel(g->live, g->mt, g->merit);
    pnew = v_sel(chorded, (V){0}, pnew);
  }
  for (int l = 0; l < CLW; l++) /* the iteration limit */
    if (g->live[l]) cl_give_back(g, l);
}

size_t CL_ENTRY(ENT_TRADE_LANES_ARGS) {
  struct cl_lanes *restrict g = w->lanes;
  const double theta = o->theta, YW = w->cut_YW;
  size_t done = 0;
  for (size_t base = 0; base < count; base += CLW) {
    size_t cnt = count - base < CLW ? count - base : CLW;
    for (size_t r = 0; r < n; r++)
      for (size_t c = 0; c < n; c++)
        g->pb[r][c] = v_set(w->pb0[r * n + c]);
    g->nst = m_set(0);
    for (int l = 0; l < CLW; l++) {
      g->live[l] = (size_t)l < cnt ? -1 : 0;
      g->bad[l] = 0;
      for (size_t k = 0; k < n; k++) g->wa[k][l] = g->ma[k][l] = 1.0;
      if (!g->live[l]) continue;
      size_t k = base + (size_t)l, i = ci[k], j = cj[k];
      if (cut_ij) g->pb[i][j][l] = 0.0;
      if (cut_ji) g->pb[j][i][l] = 0.0;
      if (!warm[k]) continue;
      /* the start of ent_trade_cut_solve */
      const double *s = wm[k];
      double c, cm;
      if (ent_trade_warm_factors(n, w->Y, YW, theta, s, &c, &cm)) {
        for (size_t h = 0; h < n; h++) {
          g->wa[h][l] = s[h] * c;
          g->ma[h][l] = s[n + h] * cm;
        }
      }
    }
    struct cl_job jb = {n, base, w, o, ci, cj, wm, welfare_i, welfare_j,
                        solved};
    cl_steps(g, n, &jb);
    for (size_t l = 0; l < cnt; l++) {
      done += solved[base + l];
      if (steps && solved[base + l])
        steps[base + l] = g->nst[l] < 254 ? (unsigned char)g->nst[l] : 254;
    }
  }
  return done;
}

