/*
 * trade_lanes_kernel.h -- the kernel of ent_trade_cut_solve_lanes
 * (trade_lanes.c) for CLW lanes, defined as CL_ENTRY: included by
 * trade_lanes.c (CLW 2), trade_lanes_avx2.c (4) and trade_lanes_avx512.c
 * (8), each compiled for its instruction set.  The lanes are GCC vectors
 * of CLW doubles; every operation of a lane is ent_trade_cut_solve's, in
 * its order (no FMA contraction: -ffp-contract=off), so each lane has
 * the scalar solve's bits.  The steps that go over the n blocs are in
 * trade_lanes_sized.h, out of line, in a copy unrolled for n = 6 (the
 * simulation's blocs) and a looped copy for any other n.  No include
 * guard: a template.
 */
#if !defined(CLW) || !defined(CL_ENTRY)
#error "define CLW and CL_ENTRY before including trade_lanes_kernel.h"
#endif

enum { CL_N = ENT_TRADE_LANES_NMAX };

#define CL_INLINE static inline __attribute__((always_inline))
/* the steps over the n blocs (trade_lanes_sized.h): out of line, once */
#define CL_OUTLINE static __attribute__((noinline))
/* n <= CL_N (checked by ent_trade_cut_solve_lanes), for the compiler */
#define CL_NBOUND(n)                                          \
  do {                                                        \
    if ((n) > CL_N || (n) < 2) __builtin_unreachable();       \
  } while (0)

#if defined(__SSE2__)
#include <immintrin.h>
#endif

/* The helpers that take or return lane vectors are inlined (static,
 * always_inline); the out-of-line ones take pointers, so no call passes
 * a vector by the ABI GCC warns about. */
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

/* Running minimum and maximum of the bits of doubles as signed integers:
 * a double is positive and finite (x > 0 and x <= DBL_MAX, so not NaN)
 * exactly when its bits are 1 .. 0x7fefffffffffffff (the sign bit makes
 * negative values and -0 negative integers; +0 is 0; infinities and NaNs
 * are 0x7ff0000000000000 or more).  So one test of the extremes at the end
 * stands for a test of every value. */
CL_INLINE Mk m_min(Mk a, Mk b) {
#if CLW == 8 && defined(__AVX512F__)
  return (Mk)_mm512_min_epi64((__m512i)a, (__m512i)b);
#else
  return m_sel(a < b, a, b);
#endif
}
CL_INLINE Mk m_max(Mk a, Mk b) {
#if CLW == 8 && defined(__AVX512F__)
  return (Mk)_mm512_max_epi64((__m512i)a, (__m512i)b);
#else
  return m_sel(a > b, a, b);
#endif
}
/* Lanes where some value whose bits had extremes lo, hi was not positive
 * and finite. */
CL_INLINE Mk m_not_posfin(Mk lo, Mk hi) {
  return (lo < 1) | (hi > 0x7fefffffffffffffLL);
}

/* y[i] = exp_small(x[i]) of every live lane, i < m, where y[i] holds the
 * degree 2 polynomial of x[i] and some live lane of some x[i] needs more
 * (cl_state's rarer case: a Newton step). */
CL_OUTLINE void cl_exp_more(V *restrict y, const V *restrict x, size_t m,
                            const Mk *live) {
  for (size_t i = 0; i < m; i++) { /* cl_exp_small's choice, lane by lane */
    V xi = x[i], a = v_abs(xi);
    Mk m4 = ~(a < 0x1p-20) & *live;
    if (!m_any(m4)) continue; /* the degree 2 */
    Mk m7 = ~(a < 0x1p-12) & *live, big = ~(a < 0x1p-6) & *live;
    /* the degree 4 only where no higher one overwrites it */
    if (m_any(m4 & ~m7)) y[i] = v_sel(m4, ENT_TRADE_EXP_P4(xi), y[i]);
    if (m_any(m7)) y[i] = v_sel(m7, ENT_TRADE_EXP_P7(xi), y[i]);
    if (m_any(big))
      for (int l = 0; l < CLW; l++)
        if (big[l]) y[i][l] = exp(xi[l]);
  }
}

/* lu_factor's row swaps at column c: row c with row i in the lanes whose
 * pivot *piv is i. */
CL_OUTLINE void cl_swap_rows(struct cl_lanes *restrict g, size_t n, size_t c,
                             const Mk *piv) {
  g->swapped = 1;
  for (size_t i = c + 1; i < n; i++) {
    Mk m = *piv == (long long)i;
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

/* lu_apply's permutation of rhs, where rows were swapped in some lane. */
CL_OUTLINE void cl_permute_rhs(struct cl_lanes *restrict g, size_t n) {
  V p[CL_N];
  for (size_t i = 0; i < n; i++)
    for (int l = 0; l < CLW; l++) p[i][l] = g->rhs[g->perm[i][l]][l];
  for (size_t i = 0; i < n; i++) g->rhs[i] = p[i];
}

/* A group of cuts to start (cl_start). */
struct cl_group {
  size_t n, base, cnt; /* cnt lanes from the cut base */
  const ent_trade_work *w;
  const ent_trade_opts *o;
  const size_t *ci, *cj;
  int cut_ij, cut_ji;
  double *const *wm;
  const int *warm;
};

/* The start of an idle or cold lane (never used). */
_Static_assert(CL_N == 8, "cl_ones: one 1 for each of 2 * CL_N values");
static const double cl_ones[2 * CL_N] = {1, 1, 1, 1, 1, 1, 1, 1,
                                         1, 1, 1, 1, 1, 1, 1, 1};

/* The steps over the n blocs: a copy for n = 6 (name_6, unrolled) and one
 * for any n (name_n); CL_SIZED picks the copy at a call. */
#define CL_NFIX 6
#define CL_FN(name) name##_6
#define CL_U _Pragma("GCC unroll 8")
#include "structural/trade_lanes_sized.h"
#undef CL_NFIX
#undef CL_FN
#undef CL_U
#define CL_NFIX 0
#define CL_FN(name) name##_n
#define CL_U
#include "structural/trade_lanes_sized.h"
#undef CL_NFIX
#undef CL_FN
#undef CL_U
#define CL_SIZED(n, f, ...) \
  ((n) == 6 ? f##_6(__VA_ARGS__) : f##_n(__VA_ARGS__))

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
CL_OUTLINE void cl_finish(const struct cl_lanes *restrict g, int l,
                         const struct cl_job *jb) {
  size_t n = jb->n, k = jb->base + (size_t)l;
  const ent_trade_work *w = jb->w;
  const double theta = jb->o->theta;
  /* adding_up: |m_i A_i - w_i Y_i| / Y_i; for i < n - 1 that is |F_i|
   * of the state (the same operations, Y_i > 0), the last one anew */
  double res = 0.0;
  for (size_t i = 0; i + 1 < n; i++) {
    double e = fabs(g->F[i][l]);
    if (!(e <= res)) res = e;
  }
  size_t z = n - 1;
  double e = fabs(g->M[z][l] * g->A[z][l] - g->W[z][l] * w->Y[z]) / w->Y[z];
  if (!(e <= res)) res = e;
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
/* The same for the lanes of mask m. */
CL_INLINE void cl_done_lanes(struct cl_lanes *restrict g, Mk m,
                             const struct cl_job *jb) {
  if (m_any(m))
    for (int l = 0; l < CLW; l++)
      if (m[l]) cl_done(g, l, jb);
}
CL_INLINE void cl_give_back_lanes(struct cl_lanes *restrict g, Mk m) {
  g->live &= ~m;
  g->bad |= m;
}

/* newton() with flat_ok and chord() of every lane, each rule of theirs
 * tested on all lanes at once (masks).  Lanes step together:
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
  CL_SIZED(n, cl_state, g, n, w, o, 0);
  g->merit = g->mt;
  cl_give_back_lanes(g, g->live & g->bad);
  for (int it = 0; it < o->newton_max_iter; it++) {
    cl_done_lanes(g, g->live & (g->merit == 0.0), jb);
    if (!m_any(g->live)) return;
    /* a Newton step, whole (else the scalar solve's line search) */
    g->nst = g->nst + (g->live & 2);
    CL_SIZED(n, cl_jacobian, g, n, w, o);
    CL_SIZED(n, cl_lu_factor, g, n);
    CL_SIZED(n, cl_lu_apply, g, n);
    CL_SIZED(n, cl_state, g, n, w, o, 1);
    V mt = g->mt, st = g->step, me = g->merit;
    Mk better = (mt < me) | ((st < tol) & (mt <= 2.0 * me));
    cl_give_back_lanes(g, g->live & (g->bad | ~better));
    cl_accept(g, n);
    Mk conv = st < tol;
    if (o->newton_predict)
      conv |= (pnew > 0.0) & (st < pnew) &
              (st * st * st < 0.01 * tol * pnew * pnew);
    cl_done_lanes(g, g->live & conv, jb);
    pnew = v_sel(g->live, st, pnew);
    if (!m_any(g->live)) return;
    if (!o->newton_chord) continue;
    /* chord steps with its factors */
    V cprev = g->step;
    Mk again = {0}, chorded = {0};
    for (int k = 0; k < ENT_TRADE_CHORD_MAX && m_any(g->live); k++) {
      cl_done_lanes(g, g->live & (g->merit == 0.0), jb);
      g->nst = g->nst + (g->live & 1);
      CL_SIZED(n, cl_lu_apply, g, n);
      Mk bad0 = g->bad;
      CL_SIZED(n, cl_state, g, n, w, o, 1);
      Mk fresh = g->bad & ~bad0; /* trial points that failed */
      g->bad = bad0;
      V rho = g->step / cprev;
      mt = g->mt, st = g->step, me = g->merit;
      better = (mt < me) | ((st < tol) & (mt <= 2.0 * me));
      /* chord() returns 1 */
      Mk fail = g->live & ~((rho <= ENT_TRADE_CHORD_RATE) & ~fresh & better);
      again |= fail;
      g->live &= ~fail;
      cl_accept(g, n);
      chorded |= g->live;
      cl_done_lanes(g, g->live & (rho * st < 0.001 * tol * (1.0 - rho)), jb);
      cprev = v_sel(g->live, st, cprev);
    }
    /* a fresh Jacobian next for these: the state of the accepted point
     * again (at_point), and no quadratic prediction after chord steps */
    g->live = again | g->live;
    if (!m_any(g->live)) return;
    CL_SIZED(n, cl_state, g, n, w, o, 0);
    g->merit = v_sel(g->live, g->mt, g->merit);
    pnew = v_sel(chorded, (V){0}, pnew);
  }
  cl_give_back_lanes(g, g->live); /* the iteration limit */
}

size_t CL_ENTRY(ENT_TRADE_LANES_ARGS) {
  struct cl_lanes *restrict g = w->lanes;
  size_t done = 0;
  for (size_t base = 0; base < count; base += CLW) {
    size_t cnt = count - base < CLW ? count - base : CLW;
    struct cl_group gr = {n,  base,   cnt,    w,  o,   ci,
                          cj, cut_ij, cut_ji, wm, warm};
    CL_SIZED(n, cl_start, g, &gr);
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
