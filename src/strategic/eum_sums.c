/*
 * eum_sums.c -- see eum_sums.h.
 *
 * Prefixes: ent_eum_sums_
 *
 * The global denominator G of an expected-utility round is a chain of n^3
 * additions in the specification's order; every P, every a_ij and b_ij and
 * so every compromise position depends on its exact bits (the reflected
 * BDM 1994 run has a decision that rounding can flip).  Added one after
 * the other it waits on the latency of an addition at every step.  Here it
 * is computed without that wait and with the same bits, from a property
 * of round-to-nearest:
 *
 *   Let s > 0 be a double in the binade [2^(e-1), 2^e), so s is a multiple
 *   of u = 2^(e-53), and let t >= 0.  If s + t < 2^e, the doubles near
 *   s + t are the multiples of u, and fl(s + t) = s + u * rne(t / u), where
 *   rne rounds to the nearest integer -- unless t / u lies exactly half-way
 *   between two integers (a tie, which round-half-even settles by the
 *   parity of s / u, i.e. by the sum so far).
 *
 * Every term |w_k (u_b - u_a)| is >= 0, so the chain only grows.  For a
 * block of terms added from s, compute the integers r_m = rne(t_m / u)
 * (t_m / u is t_m times a power of two: exact) and their sum R in any
 * order (integers below 2^53 add exactly in any order).  If no r_m was a
 * tie and s / u + R < 2^53, every partial sum of the chain stayed in s's
 * binade and the chain ends at exactly s + u R.  Otherwise the block is
 * added again one term after the other.  The chain leaves a binade only
 * about log2(G / first term) times, so almost every block takes the fast
 * way.  Within a voter k's block the terms of (a, b) and (b, a) are equal,
 * so each pair is computed once and counted twice.
 *
 * The vote sums of the pairs are n^2/2 independent chains of n additions
 * each; they are computed four pairs (one vector) by four rows at a time,
 * each still in voter order: the same bits.
 *
 * With AVX (checked at run time) the kernels use 4-wide vectors; without,
 * the same arithmetic one value at a time.  Both give the same bits.
 */
#include "strategic/eum_sums.h"

#include <math.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__GNUC__) || defined(__clang__))
#define EUM_SUMS_X86 1
#include <immintrin.h>
#ifdef ENT_HAVE_X86_PLATFORM_H
#include <sys/platform/x86.h>
#endif
#else
#define EUM_SUMS_X86 0
#endif

/* ------------------------------------------------------------------ G */

double ent_eum_sums_global_serial(size_t n, const double *UT,
                                  const double *wt) {
  double G = 0.0;
  for (size_t k = 0; k < n; k++) {
    const double *u = UT + k * n;
    double wk = wt[k];
    for (size_t a = 0; a < n; a++) {
      double ua = u[a];
      for (size_t b = 0; b < n; b++) G += fabs(wk * (u[b] - ua));
    }
  }
  return G;
}

/* Round to nearest, ties to even, for x >= 0 (x >= 2^52 is an integer
 * already; NaN stays NaN). */
static inline double rne(double x) {
  return x < 0x1p52 ? (x + 0x1p52) - 0x1p52 : x;
}

/* sum_{b < m} rne(|ws (v[b] - va)|) into *sum (added to it); returns
 * nonzero if a term was a tie. */
static int row_ulps_plain(const double *v, size_t m, double va, double ws,
                          double *sum) {
  double s0 = 0.0, s1 = 0.0;
  int tie = 0;
  size_t b = 0;
  for (; b + 2 <= m; b += 2) {
    double x0 = fabs(ws * (v[b] - va)), x1 = fabs(ws * (v[b + 1] - va));
    double y0 = rne(x0), y1 = rne(x1);
    s0 += y0;
    s1 += y1;
    tie |= (fabs(x0 - y0) == 0.5) | (fabs(x1 - y1) == 0.5);
  }
  for (; b < m; b++) {
    double x = fabs(ws * (v[b] - va)), y = rne(x);
    s0 += y;
    tie |= fabs(x - y) == 0.5;
  }
  *sum += s0 + s1;
  return tie;
}

#if EUM_SUMS_X86
__attribute__((target("avx"))) static int
row_ulps_avx(const double *v, size_t m, double va, double ws, double *sum) {
  const __m256d sign = _mm256_set1_pd(-0.0), half = _mm256_set1_pd(0.5);
  const __m256d vva = _mm256_set1_pd(va), vws = _mm256_set1_pd(ws);
  __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd();
  __m256d tie = _mm256_setzero_pd();
  size_t b = 0;
  for (; b + 8 <= m; b += 8) {
    __m256d x0 = _mm256_andnot_pd(
        sign, _mm256_mul_pd(vws, _mm256_sub_pd(_mm256_loadu_pd(v + b), vva)));
    __m256d x1 = _mm256_andnot_pd(
        sign,
        _mm256_mul_pd(vws, _mm256_sub_pd(_mm256_loadu_pd(v + b + 4), vva)));
    __m256d y0 = _mm256_round_pd(x0, _MM_FROUND_TO_NEAREST_INT |
                                         _MM_FROUND_NO_EXC);
    __m256d y1 = _mm256_round_pd(x1, _MM_FROUND_TO_NEAREST_INT |
                                         _MM_FROUND_NO_EXC);
    s0 = _mm256_add_pd(s0, y0);
    s1 = _mm256_add_pd(s1, y1);
    __m256d d0 = _mm256_andnot_pd(sign, _mm256_sub_pd(x0, y0));
    __m256d d1 = _mm256_andnot_pd(sign, _mm256_sub_pd(x1, y1));
    tie = _mm256_or_pd(tie, _mm256_cmp_pd(d0, half, _CMP_EQ_OQ));
    tie = _mm256_or_pd(tie, _mm256_cmp_pd(d1, half, _CMP_EQ_OQ));
  }
  for (; b < m; b += 4) {
    /* the last 1..4 terms; lanes past m read nothing and add 0 */
    size_t left = m - b;
    __m256i live = _mm256_set_epi64x(left > 3 ? -1 : 0, left > 2 ? -1 : 0,
                                     left > 1 ? -1 : 0, -1);
    __m256d x0 = _mm256_and_pd(
        _mm256_castsi256_pd(live),
        _mm256_andnot_pd(sign, _mm256_mul_pd(vws, _mm256_sub_pd(
                                   _mm256_maskload_pd(v + b, live), vva))));
    __m256d y0 = _mm256_round_pd(x0, _MM_FROUND_TO_NEAREST_INT |
                                         _MM_FROUND_NO_EXC);
    s0 = _mm256_add_pd(s0, y0);
    __m256d d0 = _mm256_andnot_pd(sign, _mm256_sub_pd(x0, y0));
    tie = _mm256_or_pd(tie, _mm256_cmp_pd(d0, half, _CMP_EQ_OQ));
  }
  double lane[4];
  _mm256_storeu_pd(lane, _mm256_add_pd(s0, s1));
  *sum += (lane[0] + lane[1]) + (lane[2] + lane[3]);
  return _mm256_movemask_pd(tie) != 0;
}
#endif

typedef int (*row_fn)(const double *, size_t, double, double, double *);

/* 1 if the vector kernels can run here (the CPU has AVX and the kernel
 * saves its registers).  glibc's loader has recorded the answer already
 * (<sys/platform/x86.h>); GCC's __builtin_cpu_supports would link libgcc's
 * CPU probe, a constructor that runs a dozen CPUID instructions at every
 * start of every program linking this library (docs/performance.md,
 * "Start-up"). */
static int have_avx(void) {
#if EUM_SUMS_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  return CPU_FEATURE_ACTIVE(AVX) != 0;
#elif EUM_SUMS_X86
  return __builtin_cpu_supports("avx") != 0;
#else
  return 0;
#endif
}

static row_fn row_kernel(int simd) {
#if EUM_SUMS_X86
  if (simd && have_avx()) return row_ulps_avx;
#endif
  (void)simd;
  return row_ulps_plain;
}

/* The binade of G: *scale = 1/u = 2^(53-e), for G in [2^(e-1), 2^e).
 * Returns 0 where the fast way does not apply (G = 0 at the start, G
 * tiny enough that scaled terms might leave the normal range, inf, NaN). */
static int ulp_scale(double G, double *scale) {
  if (!(G >= 0x1p-900 && G < 0x1p900)) return 0;
  int e;
  frexp(G, &e);
  *scale = ldexp(1.0, 53 - e);
  return 1;
}

/* G after the n terms of row (k, a), from G. */
static double add_row(row_fn row, double G, const double *u, size_t n,
                      double ua, double wk) {
  double scale;
  if (ulp_scale(G, &scale)) {
    double Gs = G * scale, R = 0.0; /* Gs: an integer in [2^52, 2^53) */
    if (!row(u, n, ua, wk * scale, &R) && R < 0x1p53 - Gs)
      return (Gs + R) / scale;
  }
  for (size_t b = 0; b < n; b++) G += fabs(wk * (u[b] - ua));
  return G;
}

/* Below this many actors a round is too small for the fast way to pay. */
#define EUM_SUMS_SMALL 32

/* 1 if UT[0 .. n*n) and wt[0 .. n) are all finite. */
static int all_finite(size_t n, const double *UT, const double *wt) {
  for (size_t k = 0; k < n * n; k++)
    if (!isfinite(UT[k])) return 0;
  for (size_t k = 0; k < n; k++)
    if (!isfinite(wt[k])) return 0;
  return 1;
}

/* The serial chain without the terms b = a: with finite weights and
 * utilities each is |w_k * 0| = +0, and G + 0 == G for G >= +0, so they
 * add nothing -- n^2 of the n^3 additions, on the chain's critical path.
 * (A non-finite value makes those terms NaN: then the whole chain.) */
static double global_small(size_t n, const double *UT, const double *wt) {
  if (!all_finite(n, UT, wt)) return ent_eum_sums_global_serial(n, UT, wt);
  double G = 0.0;
  for (size_t k = 0; k < n; k++) {
    const double *u = UT + k * n;
    double wk = wt[k];
    for (size_t a = 0; a < n; a++) {
      double ua = u[a];
      for (size_t b = 0; b < a; b++) G += fabs(wk * (u[b] - ua));
      for (size_t b = a + 1; b < n; b++) G += fabs(wk * (u[b] - ua));
    }
  }
  return G;
}

double ent_eum_sums_global(size_t n, const double *UT, const double *wt) {
  if (n < EUM_SUMS_SMALL) return global_small(n, UT, wt);
  return ent_eum_sums_global_with(n, UT, wt, 1);
}

double ent_eum_sums_global_with(size_t n, const double *UT, const double *wt,
                                int simd) {
  row_fn row = row_kernel(simd);
  double G = 0.0;
  for (size_t k = 0; k < n; k++) {
    const double *u = UT + k * n;
    double wk = wt[k], scale;
    /* the whole voter at once: sum over a < b, counted twice */
    if (ulp_scale(G, &scale)) {
      double Gs = G * scale, R = 0.0, ws = wk * scale;
      int tie = 0;
      for (size_t a = 0; a + 1 < n && !tie; a++)
        tie = row(u + a + 1, n - a - 1, u[a], ws, &R);
      if (!tie && 2.0 * R < 0x1p53 - Gs) {
        G = (Gs + 2.0 * R) / scale;
        continue;
      }
    }
    /* it leaves G's binade (or ties): row by row */
    for (size_t a = 0; a < n; a++) G = add_row(row, G, u, n, u[a], wk);
  }
  return G;
}

/* ---------------------------------------------------------- vote sums */

/* The sums of one pair (i, j), voter by voter. */
static void pair_votes(size_t n, const double *UT, const double *wt,
                       size_t i, size_t j, double *pos, double *neg) {
  double p = 0.0, q = 0.0;
  for (size_t k = 0; k < n; k++) {
    double v = wt[k] * (UT[k * n + j] - UT[k * n + i]);
    p += v > 0.0 ? v : 0.0;
    q += v < 0.0 ? -v : 0.0;
  }
  *pos = p;
  *neg = q;
}

/* Pairs (i, j) for i in [i0, i0 + 4) and j in [j0, j0 + 4), j0 >= i0 + 4:
 * the sixteen sums side by side, each in voter order. */
#if EUM_SUMS_X86
__attribute__((target("avx"))) static void
tile_votes_avx(size_t n, const double *UT, const double *wt, size_t i0,
               size_t j0, double *P) {
  const __m256d zero = _mm256_setzero_pd(), sign = _mm256_set1_pd(-0.0);
  __m256d p0 = zero, p1 = zero, p2 = zero, p3 = zero;
  __m256d q0 = zero, q1 = zero, q2 = zero, q3 = zero;
  for (size_t k = 0; k < n; k++) {
    const double *row = UT + k * n;
    __m256d w = _mm256_broadcast_sd(wt + k);
    __m256d u = _mm256_loadu_pd(row + j0);
/* max(v, +0) is v > 0 ? v : +0 (MAXPD gives its second operand for
 * equal zeros and for NaN), and max(-v, +0) is v < 0 ? -v : +0 */
#define EUM_SUMS_LANE(pp, qq, ii)                                            \
  do {                                                                     \
    __m256d v = _mm256_mul_pd(                                             \
        w, _mm256_sub_pd(u, _mm256_broadcast_sd(row + i0 + (ii))));         \
    pp = _mm256_add_pd(pp, _mm256_max_pd(v, zero));                        \
    qq = _mm256_add_pd(qq, _mm256_max_pd(_mm256_xor_pd(v, sign), zero));   \
  } while (0)
    EUM_SUMS_LANE(p0, q0, 0);
    EUM_SUMS_LANE(p1, q1, 1);
    EUM_SUMS_LANE(p2, q2, 2);
    EUM_SUMS_LANE(p3, q3, 3);
#undef EUM_SUMS_LANE
  }
  double *o = P + i0 * n + j0;
  _mm256_storeu_pd(o, p0);
  _mm256_storeu_pd(o + n, p1);
  _mm256_storeu_pd(o + 2 * n, p2);
  _mm256_storeu_pd(o + 3 * n, p3);
  /* neg sums go to P[j*n + i]: transpose the 4x4 block */
  double t[4][4];
  _mm256_storeu_pd(t[0], q0);
  _mm256_storeu_pd(t[1], q1);
  _mm256_storeu_pd(t[2], q2);
  _mm256_storeu_pd(t[3], q3);
  for (size_t a = 0; a < 4; a++)
    for (size_t b = 0; b < 4; b++) P[(j0 + b) * n + i0 + a] = t[a][b];
}
#endif

static void tile_votes_plain(size_t n, const double *UT, const double *wt,
                             size_t i0, size_t j0, double *P) {
  double p[4][4] = {{0.0}}, q[4][4] = {{0.0}};
  for (size_t k = 0; k < n; k++) {
    const double *row = UT + k * n;
    double w = wt[k];
    for (size_t a = 0; a < 4; a++) {
      double ui = row[i0 + a];
      for (size_t b = 0; b < 4; b++) {
        double v = w * (row[j0 + b] - ui);
        p[a][b] += v > 0.0 ? v : 0.0;
        q[a][b] += v < 0.0 ? -v : 0.0;
      }
    }
  }
  for (size_t a = 0; a < 4; a++)
    for (size_t b = 0; b < 4; b++) {
      P[(i0 + a) * n + j0 + b] = p[a][b];
      P[(j0 + b) * n + i0 + a] = q[a][b];
    }
}

void ent_eum_sums_votes(size_t n, const double *x, const double *UT,
                        const double *wt, double *P) {
  ent_eum_sums_votes_with(n, x, UT, wt, P, 1);
}

void ent_eum_sums_votes_with(size_t n, const double *x, const double *UT,
                             const double *wt, double *P, int simd) {
  void (*tile)(size_t, const double *, const double *, size_t, size_t,
               double *) = tile_votes_plain;
#if EUM_SUMS_X86
  if (simd && have_avx()) tile = tile_votes_avx;
#endif
  for (size_t i = 0; i < n; i++) P[i * n + i] = 0.0;
  size_t i0 = 0;
  for (; i0 + 8 <= n; i0 += 4) {
    /* the triangle inside the row block, then whole tiles, then the
     * columns past the last tile */
    for (size_t i = i0; i < i0 + 4; i++)
      for (size_t j = i + 1; j < i0 + 4; j++)
        pair_votes(n, UT, wt, i, j, P + i * n + j, P + j * n + i);
    size_t j0 = i0 + 4;
    for (; j0 + 4 <= n; j0 += 4) tile(n, UT, wt, i0, j0, P);
    for (size_t i = i0; i < i0 + 4; i++)
      for (size_t j = j0; j < n; j++)
        pair_votes(n, UT, wt, i, j, P + i * n + j, P + j * n + i);
  }
  for (size_t i = i0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      pair_votes(n, UT, wt, i, j, P + i * n + j, P + j * n + i);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (x[i] == x[j]) P[i * n + j] = P[j * n + i] = 0.0;
}

/* ---------------------------------------------------------- one pass */

/* Small n: voter by voter, the terms v(a, b) = w_k (u_k(x_b) - u_k(x_a))
 * of the pairs a < b are computed once; each advances the two vote sums
 * of (a, b) -- in voter order, as pair_votes -- and |v(a, b)| is kept for
 * G, whose chain then adds the voter's terms in the specification's
 * order (a, then b != a): the term of (a, b) with b < a is |w_k (u_b -
 * u_a)| = |-(w_k (u_a - u_b))| = |v(b, a)| exactly, and the terms b = a
 * are +0 (see global_small).  With a non-finite weight or utility: the
 * two sums apart. */
static double pass_small(size_t n, const double *x, const double *UT,
                         const double *wt, int global, double *P) {
  if (global && !all_finite(n, UT, wt)) {
    ent_eum_sums_votes(n, x, UT, wt, P);
    return ent_eum_sums_global_serial(n, UT, wt);
  }
  double t[EUM_SUMS_SMALL * EUM_SUMS_SMALL];
  for (size_t k = 0; k < n * n; k++) P[k] = 0.0;
  double G = 0.0;
  for (size_t k = 0; k < n; k++) {
    const double *u = UT + k * n;
    double wk = wt[k];
    for (size_t a = 0; a < n; a++) {
      double ua = u[a];
      double *pa = P + a * n, *ta = t + a * n;
      for (size_t b = a + 1; b < n; b++) {
        double v = wk * (u[b] - ua);
        pa[b] += v > 0.0 ? v : 0.0;
        P[b * n + a] += v < 0.0 ? -v : 0.0;
        ta[b] = fabs(v);
      }
    }
    if (!global) continue;
    for (size_t a = 0; a < n; a++) {
      for (size_t b = 0; b < a; b++) G += t[b * n + a];
      for (size_t b = a + 1; b < n; b++) G += t[a * n + b];
    }
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (x[i] == x[j]) P[i * n + j] = P[j * n + i] = 0.0;
  return G;
}

#if EUM_SUMS_X86
/* mask ? lo : hi lane by lane (the mask's sign bits), one BLENDVPD: GCC
 * 12 turns _mm256_blendv_pd into a branch per lane here. */
__attribute__((target("avx"))) static inline __m256d
select_pd(__m256d mask, __m256d lo, __m256d hi) {
  __m256d r;
  __asm__("vblendvpd %3, %2, %1, %0" : "=x"(r) : "x"(hi), "x"(lo), "x"(mask));
  return r;
}

/* One voter's rows of pass_lanes_avx with nv vectors a row (a constant
 * where it is inlined, so that the loop over them unrolls): the vote sums
 * into acc (rows of 4 nv lanes), |v| into t (rows of m = n - 1 lanes,
 * contiguous: a row's lanes past m are overwritten by the next row). */
__attribute__((target("avx"), always_inline)) static inline void
lanes_rows(size_t n, size_t nv, const double *u, __m256d w,
           const __m256d *sel, double *acc, double *t) {
  const __m256d zero = _mm256_setzero_pd(), sign = _mm256_set1_pd(-0.0);
  for (size_t a = 0; a < n; a++) {
    const __m256d ua = _mm256_broadcast_sd(u + a);
    double *pa = acc + a * 4 * nv, *ta = t + a * (n - 1);
    for (size_t q = 0; q < nv; q++) {
      __m256d ub = select_pd(sel[a * nv + q], _mm256_loadu_pd(u + 4 * q),
                             _mm256_loadu_pd(u + 4 * q + 1));
      __m256d v = _mm256_mul_pd(w, _mm256_sub_pd(ub, ua));
      _mm256_storeu_pd(pa + 4 * q, _mm256_add_pd(_mm256_loadu_pd(pa + 4 * q),
                                                 _mm256_max_pd(v, zero)));
      _mm256_storeu_pd(ta + 4 * q, _mm256_andnot_pd(sign, v));
    }
  }
}

/* lanes_rows at nv = 2 (5 to 9 actors: every issue of the built-in
 * scenarios), the voter's utilities in registers. */
__attribute__((target("avx"))) static void
lanes_rows2(size_t n, const double *u, __m256d w, const __m256d *sel,
            double *acc, double *t) {
  const __m256d zero = _mm256_setzero_pd(), sign = _mm256_set1_pd(-0.0);
  const __m256d lo0 = _mm256_loadu_pd(u), hi0 = _mm256_loadu_pd(u + 1);
  const __m256d lo1 = _mm256_loadu_pd(u + 4), hi1 = _mm256_loadu_pd(u + 5);
  for (size_t a = 0; a < n; a++) {
    const __m256d ua = _mm256_broadcast_sd(u + a);
    __m256d v0 = _mm256_mul_pd(w, _mm256_sub_pd(select_pd(sel[2 * a], lo0, hi0), ua));
    __m256d v1 = _mm256_mul_pd(w, _mm256_sub_pd(select_pd(sel[2 * a + 1], lo1, hi1), ua));
    double *pa = acc + a * 8, *ta = t + a * (n - 1);
    _mm256_storeu_pd(pa, _mm256_add_pd(_mm256_loadu_pd(pa), _mm256_max_pd(v0, zero)));
    _mm256_storeu_pd(pa + 4, _mm256_add_pd(_mm256_loadu_pd(pa + 4),
                                           _mm256_max_pd(v1, zero)));
    _mm256_storeu_pd(ta, _mm256_andnot_pd(sign, v0));
    _mm256_storeu_pd(ta + 4, _mm256_andnot_pd(sign, v1));
  }
}

/* 1 if AVX-512 F runs here (probs_rows8). */
static int have_avx512(void) {
#if EUM_SUMS_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  return CPU_FEATURE_ACTIVE(AVX512F) != 0;
#else
  return 0;
#endif
}

/* pass_lanes_avx's probabilities for n <= 8 and den = G: row a of P from
 * lane row a of the sums (lane j: b = j for j < a, j + 1 for j >= a) in
 * one vector -- each lane's pos / G or neg / G, the same divisions as the
 * pair by pair loop, then a +0 put in at b = a and at every b with x_b ==
 * x_a, all +0 where G is not > 0. */
__attribute__((target("avx512f"))) static void
probs_rows8(size_t n, const double *x, const double *acc, size_t mp,
            double G, double *P) {
  const __mmask8 all = (__mmask8)((1u << n) - 1), lanes = all >> 1;
  const __m512d vx = _mm512_maskz_loadu_pd(all, x), vg = _mm512_set1_pd(G);
  const int pos = G > 0.0;
  for (size_t a = 0; a < n; a++) {
    __m512d q = _mm512_setzero_pd();
    if (pos) q = _mm512_div_pd(_mm512_maskz_loadu_pd(lanes, acc + a * mp), vg);
    __mmask8 other = (__mmask8)(all & ~(1u << a));
    __mmask8 same = _mm512_cmp_pd_mask(vx, _mm512_set1_pd(x[a]), _CMP_EQ_OQ);
    q = _mm512_maskz_expand_pd(other, q);
    _mm512_mask_storeu_pd(P + a * n, all,
                          _mm512_maskz_mov_pd((__mmask8)~same, q));
  }
}

/* pass_small with 4-lane vectors (AVX, checked at run time), the same
 * bits.  Row a has a lane for every other actor b, in order: lane j is
 * b = j for j < a and b = j + 1 for j >= a (no lane for b = a); its vote
 * sum is P[a*n + b] = sum_k max(v_k(a, b), +0) in voter order, with
 * v_k(a, b) = w_k (u_k(x_b) - u_k(x_a)) -- pass_small's positive sum of
 * (a, b) for a < b, and for a > b its negative sum of (b, a): v_k(a, b) =
 * -v_k(b, a) exactly (IEEE subtraction and multiplication are symmetric
 * in sign), so max(v_k(a, b), +0) (MAXPD: its second operand for equal
 * zeros and for a NaN) is pass_small's (v < 0 ? -v : +0) for (b, a).
 * The first n - 1 lanes of |v_k(a, .)|, row after row, are the voter's
 * block of G's chain without the terms b = a: added one after the other
 * as pass_small adds them.  Those terms are |w_k (u - u)| = +0 for finite
 * values, and G + 0 == G for G >= +0, so they are left out -- n of the
 * chain's n^2 terms a voter, on its critical path.  A non-finite weight
 * or utility makes some other term (n >= 2) NaN or inf, and so G; the
 * caller then recomputes with pass_small, which keeps the specification's
 * bits for those.  Lanes past n - 1 read zeros or the next row's
 * utilities; their sums and terms are never used.  With `probs`, P gets
 * the pairs' probabilities (as divide() makes them from the sums) instead
 * of the raw sums.  Returns G (0 unless `global`). */
__attribute__((target("avx"))) static double
pass_lanes_avx(size_t n, const double *x, const double *UT, const double *wt,
               int global, double *P, int probs) {
  enum { MAXP = EUM_SUMS_SMALL };
  size_t m = n - 1, nv = (m + 3) / 4, mp = 4 * nv; /* lanes of a row */
  double u[MAXP + 8], acc[MAXP * MAXP], t[MAXP * MAXP + 4];
  /* sel[a*nv + q]: the lanes j = 4q + l < a, which read u[j] (the others
   * u[j + 1]) */
  __m256d sel[MAXP * (MAXP / 4)];
  __m256d idx = _mm256_set_pd(3.0, 2.0, 1.0, 0.0);
  for (size_t q = 0; q < nv; q++) {
    for (size_t a = 0; a < n; a++)
      sel[a * nv + q] = _mm256_cmp_pd(idx, _mm256_set1_pd((double)a),
                                      _CMP_LT_OQ);
    idx = _mm256_add_pd(idx, _mm256_set1_pd(4.0));
  }
  for (size_t k = 0; k < n * mp; k++) acc[k] = 0.0;
  /* a voter's utilities are read in place, up to 3 values past its row
   * (the next row's: lanes whose sums and terms are never used) -- but
   * the last row's (and at n = 2 both) from a copy, zeros past n */
  double G = 0.0;
  for (size_t k = 0; k < n; k++) {
    const double *uk = UT + k * n;
    if (k * n + n + 3 > n * n) {
      for (size_t b = 0; b < n + 3; b++) u[b] = b < n ? uk[b] : 0.0;
      uk = u;
    }
    const __m256d w = _mm256_broadcast_sd(wt + k);
    if (nv == 2)
      lanes_rows2(n, uk, w, sel, acc, t);
    else if (nv == 1)
      lanes_rows(n, 1, uk, w, sel, acc, t);
    else
      lanes_rows(n, nv, uk, w, sel, acc, t);
    if (!global) continue;
    size_t q = 0, nm = n * m;
    for (; q + 4 <= nm; q += 4) {
      G += t[q];
      G += t[q + 1];
      G += t[q + 2];
      G += t[q + 3];
    }
    for (; q < nm; q++) G += t[q];
  }
  if (probs && global && n <= 8 && have_avx512()) {
    probs_rows8(n, x, acc, mp, G, P);
    return G;
  }
  for (size_t a = 0; a < n; a++) P[a * n + a] = 0.0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      /* lane j - 1 of row i, lane i of row j */
      double pos = acc[i * mp + j - 1], neg = acc[j * mp + i];
      if (x[i] == x[j]) {
        pos = neg = 0.0;
      } else if (probs) { /* as divide() */
        double den = global ? G : pos + neg;
        if (den > 0.0) {
          pos = pos / den;
          neg = neg / den;
        } else {
          pos = neg = 0.0;
        }
      }
      P[i * n + j] = pos;
      P[j * n + i] = neg;
    }
  return G;
}
#endif

/* Both sums below EUM_SUMS_SMALL actors: pass_lanes_avx where it runs and
 * its sums are finite, else pass_small (see pass_lanes_avx); with
 * `probs`, P(i, j) as divide() makes them. */
static double pass_below(size_t n, const double *x, const double *UT,
                         const double *wt, int global, double *P, int simd,
                         int probs);

/* P(i, j) from the raw sums: pos / den and neg / den for the pairs at
 * different positions, den = G, or pos + neg when not `global`; 0 where
 * den is not > 0. */
static void divide(size_t n, const double *x, int global, double G,
                   double *P) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      if (x[i] == x[j]) continue; /* 0 already */
      double pos = P[i * n + j], neg = P[j * n + i];
      double den = global ? G : pos + neg;
      if (den > 0.0) {
        P[i * n + j] = pos / den;
        P[j * n + i] = neg / den;
      } else {
        P[i * n + j] = P[j * n + i] = 0.0;
      }
    }
}

static double pass_below(size_t n, const double *x, const double *UT,
                         const double *wt, int global, double *P, int simd,
                         int probs) {
#if EUM_SUMS_X86
  if (simd && n >= 2 && have_avx()) {
    double G = pass_lanes_avx(n, x, UT, wt, global, P, probs);
    if (!global || isfinite(G)) return G;
  }
#endif
  (void)simd;
  double G = pass_small(n, x, UT, wt, global, P);
  if (probs) divide(n, x, global, G, P);
  return G;
}

double ent_eum_sums_pass_with(size_t n, const double *x, const double *UT,
                              const double *wt, int global, double *P,
                              int simd) {
  if (n < EUM_SUMS_SMALL)
    return pass_below(n, x, UT, wt, global, P, simd, 0);
  double G = global ? ent_eum_sums_global_with(n, UT, wt, simd) : 0.0;
  ent_eum_sums_votes_with(n, x, UT, wt, P, simd);
  return G;
}

double ent_eum_sums_pass(size_t n, const double *x, const double *UT,
                         const double *wt, int global, double *P) {
  if (n < EUM_SUMS_SMALL) return pass_below(n, x, UT, wt, global, P, 1, 0);
  double G = global ? ent_eum_sums_global(n, UT, wt) : 0.0;
  ent_eum_sums_votes(n, x, UT, wt, P);
  return G;
}

double ent_eum_sums_probs(size_t n, const double *x, const double *UT,
                          const double *wt, int global, double *P) {
  if (n < EUM_SUMS_SMALL) return pass_below(n, x, UT, wt, global, P, 1, 1);
  double G = ent_eum_sums_pass(n, x, UT, wt, global, P);
  divide(n, x, global, G, P);
  return G;
}
