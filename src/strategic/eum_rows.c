/*
 * eum_rows.c -- parts of an expected-utility round's rows for eum.c's fast
 * path (eum_rows.h): the decision pass's utilities in one sweep with their
 * powers in one batch, and, for n <= 8 actors where the vector pow runs
 * (AVX-512 F and DQ), in the lanes of one vector: a round's distances,
 * the risk pass's security, the decision pass's pow arguments and a
 * receiver's Us, Uf, a_ij, b_ij and regions -- each value the same
 * operations as eum.c's scalar code, in the same order (this file, as
 * every other, is built with -ffp-contract=off: no fused operation but
 * the explicit ones).
 */
#include "strategic/eum_rows.h"

#include "strategic/eum.h"
#include "strategic/eum_vpow.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define EUM_X86 1
#include <immintrin.h>
#else
#define EUM_X86 0
#endif

/* See eum_rows.h.  The rows of eum.c's utilities_row (with rep), its
 * powers in one batch (eum_vpow.h): the sweep writes the entries that need no call,
 * puts the arguments of each call in bx, by and its entry in slot, and
 * the (entry, source) of each copy in cp; then the batch's values go to
 * their entries and the copies are made.  A copy's source is never a
 * copy (its row or column is a first actor at its position), so every
 * source holds its final value by then: UT as utilities_row makes it. */
void ent_eum_rows_utilities(size_t n, const double *dm, const double *rho,
                            double *UT, const int *rep, double *bx, double *by,
                            uint32_t *slot, uint32_t *cp, int vpow) {
  size_t m = 0, c = 0;
#define UT_POW(e, dd, r)                                                      \
  do {                                                                        \
    bx[m] = (dd);                                                             \
    by[m] = (r);                                                              \
    slot[m++] = (uint32_t)(e);                                                \
  } while (0)
  for (size_t a = 0; a < n; a++) {
    double ra = rho[a];
    if (ra == 1.0 || ra > 0.0)
      UT[a * n + a] = 0.0;
    else
      UT_POW(a * n + a, 0.0, ra);
    int dup_a = (size_t)rep[a] < a;
    for (size_t k = a + 1; k < n; k++) {
      double d = dm[a * n + k], rk = rho[k];
      size_t ek = k * n + a, ea = a * n + k;
      if (d == 0.0 || d == 1.0) {
        if (rk == 1.0 || rk > 0.0)
          UT[ek] = d;
        else
          UT_POW(ek, d, rk);
        if (ra == 1.0 || ra > 0.0)
          UT[ea] = d;
        else
          UT_POW(ea, d, ra);
        continue;
      }
      if (rk == 1.0) {
        UT[ek] = d;
      } else if (dup_a) {
        cp[2 * c] = (uint32_t)ek;
        cp[2 * c++ + 1] = (uint32_t)(k * n + (size_t)rep[a]);
      } else {
        UT_POW(ek, d, rk);
      }
      if (ra == 1.0) {
        UT[ea] = d;
      } else if ((size_t)rep[k] < k) {
        cp[2 * c] = (uint32_t)ea;
        cp[2 * c++ + 1] = (uint32_t)(a * n + (size_t)rep[k]);
      } else {
        UT_POW(ea, d, ra);
      }
    }
  }
#undef UT_POW
  ent_eum_pow_many(bx, 1, by, 1, bx, m, vpow);
  for (size_t q = 0; q < m; q++) UT[slot[q]] = bx[q];
  for (size_t q = 0; q < c; q++) UT[cp[2 * q]] = UT[cp[2 * q + 1]];
}

#if EUM_X86
/* See eum_rows.h: eum.c's loop (ent_eum_round) for n <= 8 with AVX-512 (F, DQ: where
 * w->vpow says 8): row a of the distances in one vector, k < a included
 * -- fabs(x_k - x_a) is fabs(x_a - x_k) exactly, the same division and
 * clamp01 (d >= +0 or NaN: MINPD(1, d) is 1 above 1, d otherwise, NaN
 * included), +0 at k = a -- and rep[a] the first lane equal to x_a. */
__attribute__((target("avx512f,avx512dq"))) void
ent_eum_rows_dist(size_t n, const double *x, double range, double *dm,
                  int *rep) {
  const __mmask8 all = (__mmask8)((1u << n) - 1);
  const __m512d vx = _mm512_maskz_loadu_pd(all, x), vr = _mm512_set1_pd(range);
  const __m512d one = _mm512_set1_pd(1.0), sign = _mm512_set1_pd(-0.0);
  for (size_t a = 0; a < n; a++) {
    __m512d xa = _mm512_set1_pd(x[a]);
    __m512d d = _mm512_div_pd(_mm512_andnot_pd(sign, _mm512_sub_pd(vx, xa)), vr);
    d = _mm512_maskz_mov_pd((__mmask8)~(1u << a), _mm512_min_pd(one, d));
    _mm512_mask_storeu_pd(dm + a * n, all, d);
    unsigned eq = _mm512_cmp_pd_mask(vx, xa, _CMP_EQ_OQ);
    rep[a] = __builtin_ctz((eq & ((1u << a) - 1)) | 1u << a);
  }
}
#else
void ent_eum_rows_dist(size_t n, const double *x, double range, double *dm,
                       int *rep) {
  (void)n, (void)x, (void)range, (void)dm, (void)rep; /* w->vpow is 0 */
}
#endif


#if EUM_X86
/* See eum_rows.h: eum.c's decide_row_fast's row i for n <= 8 with AVX-512 (w->vpow says 8, so the
 * batch pv is there), Q >= 1 and b_exponent=receiver, every j a lane:
 * Us, Uf of each j at another position whose first actor it is -- the
 * batch's next values for those that call pow, in j order (decide_pows),
 * else eu_success_failure's -- then of j's first actor rep[j]; a_ij =
 * EU(i -> j) and b_ij = EU(j -> i) as eu_from's first line, s (P Us + (1 -
 * P) Uf) + (1 - s) Us - Q Uq with s = sal_j, P = P(i,j) for a and s =
 * sal_i, P = P(j,i) for b, Uq of i: the same operations in the same order
 * (no fused ones).  Lanes j = i and j at x_i are not used. */
__attribute__((target("avx512f,avx512dq"))) void
ent_eum_rows_eu(size_t n, size_t i, const double *x, const double *dm,
                double ri, const double *sal, const double *P, const int *rep,
                double Q, double uq, const double **pv, double *av,
                double *bv) {
  const __mmask8 all = (__mmask8)((1u << n) - 1);
  const __m512d one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0);
  const __m512d four = _mm512_set1_pd(4.0), half = _mm512_set1_pd(0.5);
  const __m512i iota = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  __m512i rj = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(
      _mm512_maskz_loadu_epi32((__mmask16)all, rep)));
  __m512d d = _mm512_maskz_loadu_pd(all, dm);
  __m512d Us, Uf;
  if (ri == 1.0) {
    Us = _mm512_sub_pd(two, _mm512_mul_pd(four, _mm512_sub_pd(half, _mm512_mul_pd(half, d))));
    Uf = _mm512_sub_pd(two, _mm512_mul_pd(four, _mm512_add_pd(half, _mm512_mul_pd(half, d))));
  } else {
    __mmask8 live = _mm512_mask_cmp_pd_mask(
        all, _mm512_maskz_loadu_pd(all, x), _mm512_set1_pd(x[i]), _CMP_NEQ_UQ);
    live &= (__mmask8)~(1u << i);
    live = _mm512_mask_cmpeq_epi64_mask(live, rj, iota);
    if (ri > 0.0) /* d = 1: no call (eu_success_failure) */
      live = _mm512_mask_cmp_pd_mask(live, d, one, _CMP_NEQ_UQ);
    unsigned cnt = (unsigned)__builtin_popcount(live);
    const double *v = *pv;
    __m512d lo = _mm512_maskz_loadu_pd(
        (__mmask8)(cnt >= 4 ? 0xff : (1u << 2 * cnt) - 1), v);
    __m512d hi = _mm512_maskz_loadu_pd(
        (__mmask8)(cnt <= 4 ? 0 : (1u << 2 * (cnt - 4)) - 1), v + 8);
    *pv = v + 2 * cnt;
    __m512d bs = _mm512_permutex2var_pd(
        lo, _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0), hi);
    __m512d bf = _mm512_permutex2var_pd(
        lo, _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1), hi);
    Us = _mm512_mask_expand_pd(two, live, _mm512_sub_pd(two, _mm512_mul_pd(four, bs)));
    Uf = _mm512_mask_expand_pd(_mm512_set1_pd(-2.0), live,
                               _mm512_sub_pd(two, _mm512_mul_pd(four, bf)));
  }
  Us = _mm512_permutexvar_pd(rj, Us);
  Uf = _mm512_permutexvar_pd(rj, Uf);
  __m512d qu = _mm512_mul_pd(_mm512_set1_pd(Q), _mm512_set1_pd(uq));
  /* a: s = sal_j, P = P(i, j) */
  __m512d s = _mm512_maskz_loadu_pd(all, sal);
  __m512d p = _mm512_maskz_loadu_pd(all, P + i * n);
  __m512d e = _mm512_mul_pd(
      s, _mm512_add_pd(_mm512_mul_pd(p, Us),
                       _mm512_mul_pd(_mm512_sub_pd(one, p), Uf)));
  e = _mm512_add_pd(e, _mm512_mul_pd(_mm512_sub_pd(one, s), Us));
  _mm512_storeu_pd(av, _mm512_sub_pd(e, qu));
  /* b: s = sal_i, P = P(j, i) */
  s = _mm512_set1_pd(sal[i]);
  __m512i col = _mm512_add_epi64(
      _mm512_mullo_epi64(iota, _mm512_set1_epi64((long long)n)),
      _mm512_set1_epi64((long long)i));
  p = _mm512_mask_i64gather_pd(_mm512_setzero_pd(), all, col, P, 8);
  e = _mm512_mul_pd(
      s, _mm512_add_pd(_mm512_mul_pd(p, Us),
                       _mm512_mul_pd(_mm512_sub_pd(one, p), Uf)));
  e = _mm512_add_pd(e, _mm512_mul_pd(_mm512_sub_pd(one, s), Us));
  _mm512_storeu_pd(bv, _mm512_sub_pd(e, qu));
}
#else
void ent_eum_rows_eu(size_t n, size_t i, const double *x, const double *dm,
                     double ri, const double *sal, const double *P,
                     const int *rep, double Q, double uq, const double **pv,
                     double *av, double *bv) {
  (void)n, (void)i, (void)x, (void)dm, (void)ri, (void)sal, (void)P;
  (void)rep, (void)Q, (void)uq, (void)pv, (void)av, (void)bv; /* no vpow */
}
#endif

#if EUM_X86
/* See eum_rows.h: eum.c's security_linear of every i, i a lane, j in
 * order: dm is symmetric (d_ij and d_ji are one value) and so is read
 * along row j, as P(j, i); lane i skips j = i. */
__attribute__((target("avx512f,avx512dq"))) void
ent_eum_rows_security(size_t n, const double *sal, const double *P,
                      const double *dm, double *D) {
  const __mmask8 all = (__mmask8)((1u << n) - 1);
  const __m512d one = _mm512_set1_pd(1.0), two = _mm512_set1_pd(2.0);
  const __m512d four = _mm512_set1_pd(4.0), half = _mm512_set1_pd(0.5);
  const __m512d s = _mm512_maskz_loadu_pd(all, sal), s1 = _mm512_sub_pd(one, s);
  __m512d acc = _mm512_setzero_pd();
  for (size_t j = 0; j < n; j++) {
    __m512d d = _mm512_maskz_loadu_pd(all, dm + j * n);
    __m512d hd = _mm512_mul_pd(half, d);
    __m512d us = _mm512_sub_pd(two, _mm512_mul_pd(four, _mm512_sub_pd(half, hd)));
    __m512d uf = _mm512_sub_pd(two, _mm512_mul_pd(four, _mm512_add_pd(half, hd)));
    __m512d p = _mm512_maskz_loadu_pd(all, P + j * n);
    __m512d t = _mm512_mul_pd(
        s, _mm512_add_pd(_mm512_mul_pd(p, us),
                         _mm512_mul_pd(_mm512_sub_pd(one, p), uf)));
    t = _mm512_add_pd(t, _mm512_mul_pd(s1, us));
    acc = _mm512_mask_add_pd(acc, (__mmask8)(all & ~(1u << j)), acc, t);
  }
  _mm512_mask_storeu_pd(D, all, acc);
}
#else
void ent_eum_rows_security(size_t n, const double *sal, const double *P,
                           const double *dm, double *D) {
  (void)n, (void)sal, (void)P, (void)dm, (void)D; /* no vpow */
}
#endif

#if EUM_X86
/* See eum_rows.h: eum.c's decide_pows loop, row i's counterparts j
 * lanes: those whose Us, Uf call pow (another position, its first actor,
 * row_pow), compressed in j order, their two bases 0.5 -+ 0.5 d
 * interleaved. */
__attribute__((target("avx512f,avx512dq"))) size_t
ent_eum_rows_pows(size_t n, const double *x, const double *dm,
                  const double *r, const int *rep, double *bx, double *by) {
  const __mmask8 all = (__mmask8)((1u << n) - 1);
  const __m512d half = _mm512_set1_pd(0.5), one = _mm512_set1_pd(1.0);
  const __m512i iota = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i lo_idx = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
  const __m512i hi_idx = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
  const __m512d vx = _mm512_maskz_loadu_pd(all, x);
  __m512i rj = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(
      _mm512_maskz_loadu_epi32((__mmask16)all, rep)));
  __mmask8 first = _mm512_mask_cmpeq_epi64_mask(all, rj, iota);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    double ri = r[i];
    if (ri == 1.0) continue; /* row_pow: no call */
    __m512d d = _mm512_maskz_loadu_pd(all, dm + i * n);
    __mmask8 live = _mm512_mask_cmp_pd_mask(
        first, vx, _mm512_set1_pd(x[i]), _CMP_NEQ_UQ);
    live &= (__mmask8)~(1u << i);
    if (ri > 0.0) live = _mm512_mask_cmp_pd_mask(live, d, one, _CMP_NEQ_UQ);
    unsigned cnt = (unsigned)__builtin_popcount(live);
    if (!cnt) continue;
    __m512d hd = _mm512_mul_pd(half, d);
    __m512d lo = _mm512_maskz_compress_pd(live, _mm512_sub_pd(half, hd));
    __m512d hi = _mm512_maskz_compress_pd(live, _mm512_add_pd(half, hd));
    __mmask8 m0 = (__mmask8)(cnt >= 4 ? 0xff : (1u << 2 * cnt) - 1);
    __mmask8 m1 = (__mmask8)(cnt <= 4 ? 0 : (1u << 2 * (cnt - 4)) - 1);
    __m512d vr = _mm512_set1_pd(ri);
    _mm512_mask_storeu_pd(bx + m, m0, _mm512_permutex2var_pd(lo, lo_idx, hi));
    _mm512_mask_storeu_pd(bx + m + 8, m1, _mm512_permutex2var_pd(lo, hi_idx, hi));
    _mm512_mask_storeu_pd(by + m, m0, vr);
    _mm512_mask_storeu_pd(by + m + 8, m1, vr);
    m += 2 * cnt;
  }
  return m;
}
#else
size_t ent_eum_rows_pows(size_t n, const double *x, const double *dm,
                         const double *r, const int *rep, double *bx,
                         double *by) {
  (void)n, (void)x, (void)dm, (void)r, (void)rep, (void)bx, (void)by;
  return 0; /* no vpow */
}
#endif

#if EUM_X86
/* See eum_rows.h: classify (eum.c) of every lane -- its four sign cases
 * are disjoint, each a mask; NaN compares false: ENT_REGION_NONE -- then
 * NONE at j = i and SAME_POSITION at x_j == x_i, as decide_row_fast
 * writes them, and a and b there or +0. */
__attribute__((target("avx512f,avx512dq"))) unsigned
ent_eum_rows_regions(size_t n, size_t i, const double *x, const double *av,
                     const double *bv, int capitulation, uint8_t *rg,
                     uint8_t *treg, double *ta, double *tb) {
  const __mmask8 all = (__mmask8)((1u << n) - 1);
  const __m512d zero = _mm512_setzero_pd(), sign = _mm512_set1_pd(-0.0);
  __m512d a = _mm512_maskz_loadu_pd(all, av), b = _mm512_maskz_loadu_pd(all, bv);
  __m512d na = _mm512_xor_pd(a, sign), nb = _mm512_xor_pd(b, sign);
  __mmask8 apos = _mm512_cmp_pd_mask(a, zero, _CMP_GT_OQ);
  __mmask8 aneg = _mm512_cmp_pd_mask(a, zero, _CMP_LT_OQ);
  __mmask8 bpos = _mm512_cmp_pd_mask(b, zero, _CMP_GT_OQ);
  __mmask8 bneg = _mm512_cmp_pd_mask(b, zero, _CMP_LT_OQ);
  __mmask8 b_gt_a = _mm512_cmp_pd_mask(b, a, _CMP_GT_OQ);
  __mmask8 b_gt_na = _mm512_cmp_pd_mask(b, na, _CMP_GT_OQ);
  __mmask8 na_gt_b = _mm512_cmp_pd_mask(na, b, _CMP_GT_OQ);
  __mmask8 a_gt_nb = _mm512_cmp_pd_mask(a, nb, _CMP_GT_OQ);
  __mmask8 conf = apos & bpos, low = aneg & bpos, high = bneg & apos;
#define REG(v) _mm512_set1_epi64((long long)(v))
  __m512i reg = REG(ENT_REGION_NONE);
  reg = _mm512_mask_mov_epi64(reg, conf & b_gt_a, REG(ENT_REGION_CONFRONT_I_MOVES));
  reg = _mm512_mask_mov_epi64(reg, conf & (__mmask8)~b_gt_a,
                              REG(ENT_REGION_CONFRONT_J_MOVES));
  reg = _mm512_mask_mov_epi64(reg, low & b_gt_na, REG(ENT_REGION_COMPROMISE_I_MOVES));
  reg = _mm512_mask_mov_epi64(reg, low & (__mmask8)~b_gt_na & na_gt_b,
                              REG(ENT_REGION_CAPITULATE_I_MOVES));
  reg = _mm512_mask_mov_epi64(reg, high & a_gt_nb, REG(ENT_REGION_COMPROMISE_J_MOVES));
  reg = _mm512_mask_mov_epi64(reg, high & (__mmask8)~a_gt_nb,
                              REG(ENT_REGION_CAPITULATE_J_MOVES));
  reg = _mm512_mask_mov_epi64(reg, aneg & bneg, REG(ENT_REGION_STALEMATE));
  __mmask8 same = _mm512_mask_cmp_pd_mask(
      all, _mm512_maskz_loadu_pd(all, x), _mm512_set1_pd(x[i]), _CMP_EQ_OQ);
  same &= (__mmask8)~(1u << i);
  __mmask8 kept = (__mmask8)(all & ~same & ~(1u << i));
  reg = _mm512_mask_mov_epi64(reg, same, REG(ENT_REGION_SAME_POSITION));
  reg = _mm512_mask_mov_epi64(reg, (__mmask8)(1u << i), REG(ENT_REGION_NONE));
  __mmask8 offers =
      _mm512_mask_cmpeq_epi64_mask(kept, reg, REG(ENT_REGION_CONFRONT_I_MOVES)) |
      _mm512_mask_cmpeq_epi64_mask(kept, reg, REG(ENT_REGION_COMPROMISE_I_MOVES));
  if (capitulation)
    offers |= _mm512_mask_cmpeq_epi64_mask(kept, reg,
                                           REG(ENT_REGION_CAPITULATE_I_MOVES));
#undef REG
  _mm512_mask_cvtepi64_storeu_epi8(rg, all, reg);
  if (treg) _mm512_mask_cvtepi64_storeu_epi8(treg + i * n, all, reg);
  if (ta) _mm512_mask_storeu_pd(ta + i * n, all, _mm512_maskz_mov_pd(kept, a));
  if (tb) _mm512_mask_storeu_pd(tb + i * n, all, _mm512_maskz_mov_pd(kept, b));
  return offers;
}
#else
unsigned ent_eum_rows_regions(size_t n, size_t i, const double *x,
                              const double *av, const double *bv,
                              int capitulation, uint8_t *rg, uint8_t *treg,
                              double *ta, double *tb) {
  (void)n, (void)i, (void)x, (void)av, (void)bv, (void)capitulation;
  (void)rg, (void)treg, (void)ta, (void)tb;
  return 0; /* no vpow */
}
#endif
