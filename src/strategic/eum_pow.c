/*
 * eum_pow.c -- see eum_pow.h.
 *
 * Prefixes: ent_eum_pow_
 *
 * A filter in the sense of Shewchuk's adaptive predicates: compute x^y
 * fast with a proven error bound, and keep the double it rounds to only
 * when every result within that bound and glibc's own rounds to it too.
 *
 *   log x = e ln 2 + log(1/INVC) + log1p(r),  r = z INVC - 1 exact,
 *   where x = 2^e z, z in [1, 2), INVC an 8-bit 1/c for the subinterval
 *   of z's top 7 fraction bits (eum_pow_table.h), log1p(r) by its Taylor
 *   series to r^9 (|r| < 2^-7: remainder < 2^-73), the leading terms
 *   added with their exact rounding errors (double-double): the absolute
 *   error of log x is below 2^-69.
 *   t = y log x as a normalized double-double th + tl.
 *   x^y = 2^m 2^(j/128) exp(r1 + rlo), k = 128 m + j = rne(t 128 / ln 2),
 *   r1 = th - k ln2/128 (hi part; exact in one fused multiply-add),
 *   rlo = tl - k (ln2/128 lo part); exp(r1) - 1 - r1 by its Taylor series
 *   to r1^6 (|r1| < 2^-8.5: remainder < 2^-72), 2^(j/128) = S (1 + SIG).
 *   The result is res + resid, res = fl(s (1 + P)) and resid its exact
 *   remainder.
 *
 * On the fast domain (x normal, positive, not 1; 2^-20 <= |y| <= 16,
 * y != 1; |t| <= 128, so x^y is in [2^-185, 2^185]) the relative error of
 * res + resid is below 2^-64.5 (docs/models/eum.md, "Cost"): 0.0004 ULP of
 * res, counted as 0.002.  glibc 2.36's pow (sysdeps/ieee754/dbl-64/e_pow.c)
 * states a worst case of 0.54 ULP for every input: the value it rounds is
 * within 0.04 ULP of x^y.  If |resid| < (1/2 - 1/16) ULP of res (and res
 * is not a power of two, where the ULP below is half the ULP above), x^y
 * is more than 1/16 - 0.002 > 0.04 ULP away from each midpoint next to
 * res, so glibc's pow rounds to res too: res is returned.  Otherwise (about
 * one value in eight) pow is called, after the vector pass, for the values
 * listed without a branch.
 *
 * Not called by the model: on the forecast's batches (about ten values) it
 * is slower than pow (docs/performance.md, "Sixth round: filtered pow").
 */
#include "strategic/eum_pow.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EUM_POW_X86 1
#include <immintrin.h>
#ifdef ENT_HAVE_X86_PLATFORM_H
#include <sys/platform/x86.h>
#endif
#include "strategic/eum_pow_table.h"
#else
#define EUM_POW_X86 0
#endif

int ent_eum_pow_fast_available(void) {
#if EUM_POW_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  return CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(FMA);
#elif EUM_POW_X86
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 0;
#endif
}

#if EUM_POW_X86

#define EUM_POW_TARGET __attribute__((target("avx2,fma")))

/* s = a + b rounded and its exact error (Knuth's TwoSum: any a, b). */
EUM_POW_TARGET static inline __m256d two_sum(__m256d a, __m256d b,
                                             __m256d *err) {
  __m256d s = _mm256_add_pd(a, b);
  __m256d bb = _mm256_sub_pd(s, a);
  __m256d ea = _mm256_sub_pd(a, _mm256_sub_pd(s, bb));
  *err = _mm256_add_pd(ea, _mm256_sub_pd(b, bb));
  return s;
}

/* log x = hi + lo, |error| < 2^-69, for normal positive x (4 lanes). */
EUM_POW_TARGET static inline __m256d log_dd(__m256d x, __m256d *lo) {
  const __m256d one = _mm256_set1_pd(1.0);
  __m256i ix = _mm256_castpd_si256(x);
  __m256i ie = _mm256_sub_epi64(_mm256_srli_epi64(ix, 52),
                                _mm256_set1_epi64x(1023));
  /* e as a double: 1.5 2^52 + e has e in its low bits (|e| < 2^51) */
  __m256d e = _mm256_sub_pd(
      _mm256_castsi256_pd(_mm256_add_epi64(
          ie, _mm256_castpd_si256(_mm256_set1_pd(0x1.8p52)))),
      _mm256_set1_pd(0x1.8p52));
  __m256i idx =
      _mm256_and_si256(_mm256_srli_epi64(ix, 45), _mm256_set1_epi64x(127));
  __m256d z = _mm256_castsi256_pd(_mm256_or_si256(
      _mm256_and_si256(ix, _mm256_set1_epi64x(0x000fffffffffffffLL)),
      _mm256_castpd_si256(one)));
  /* the four rows {INVC, LOGC_HI, LOGC_LO, 0}, transposed */
  long long ii[4];
  _mm256_storeu_si256((__m256i *)ii, idx);
  __m256d w0 = _mm256_loadu_pd(eum_pow_log_tab[ii[0]]);
  __m256d w1 = _mm256_loadu_pd(eum_pow_log_tab[ii[1]]);
  __m256d w2 = _mm256_loadu_pd(eum_pow_log_tab[ii[2]]);
  __m256d w3 = _mm256_loadu_pd(eum_pow_log_tab[ii[3]]);
  __m256d t0 = _mm256_unpacklo_pd(w0, w1); /* i0 l1: invc, lcl */
  __m256d t1 = _mm256_unpackhi_pd(w0, w1); /* lch, 0 */
  __m256d t2 = _mm256_unpacklo_pd(w2, w3);
  __m256d t3 = _mm256_unpackhi_pd(w2, w3);
  __m256d invc = _mm256_permute2f128_pd(t0, t2, 0x20);
  __m256d lcl = _mm256_permute2f128_pd(t0, t2, 0x31);
  __m256d lch = _mm256_permute2f128_pd(t1, t3, 0x20);
  __m256d r = _mm256_fmsub_pd(z, invc, one); /* exact */
  __m256d e0, e1, e2;
  /* e L2_HI is exact (42 bits times 11) */
  __m256d h = two_sum(_mm256_mul_pd(e, _mm256_set1_pd(EUM_POW_L2_HI)), lch,
                      &e0);
  h = two_sum(h, r, &e1);
  __m256d ar = _mm256_mul_pd(_mm256_set1_pd(-0.5), r); /* exact */
  __m256d ar2 = _mm256_mul_pd(ar, r);
  __m256d ear2 = _mm256_fmsub_pd(ar, r, ar2); /* exact */
  h = two_sum(h, ar2, &e2);
  /* r^3 (1/3 - r/4 + ... + r^6/9) */
  __m256d p = _mm256_set1_pd(1.0 / 9);
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(-1.0 / 8));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 7));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(-1.0 / 6));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 5));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(-1.0 / 4));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0 / 3));
  __m256d r3 = _mm256_mul_pd(_mm256_mul_pd(r, r), r);
  __m256d l = _mm256_fmadd_pd(e, _mm256_set1_pd(EUM_POW_L2_LO), lcl);
  l = _mm256_add_pd(l, _mm256_add_pd(e0, e1));
  l = _mm256_add_pd(l, _mm256_add_pd(e2, ear2));
  *lo = _mm256_fmadd_pd(r3, p, l);
  return h;
}

/* x^y for 4 lanes into *out; returns the mask of lanes (bit i: lane i)
 * the filter could not settle or outside the fast domain. */
EUM_POW_TARGET static inline int pow4(__m256d x, __m256d y, __m256d *out) {
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256d absmask =
      _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
  __m256i ix = _mm256_castpd_si256(x);
  /* x normal, positive, finite (signed compares of the bits), x != 1 */
  __m256i xok = _mm256_and_si256(
      _mm256_cmpgt_epi64(ix, _mm256_set1_epi64x(0x000fffffffffffffLL)),
      _mm256_cmpgt_epi64(_mm256_set1_epi64x(0x7ff0000000000000LL), ix));
  __m256d ay = _mm256_and_pd(y, absmask);
  __m256d ok = _mm256_and_pd(_mm256_castsi256_pd(xok),
                             _mm256_cmp_pd(x, one, _CMP_NEQ_OQ));
  ok = _mm256_and_pd(ok, _mm256_cmp_pd(ay, _mm256_set1_pd(16.0), _CMP_LE_OQ));
  ok = _mm256_and_pd(ok,
                     _mm256_cmp_pd(ay, _mm256_set1_pd(0x1p-20), _CMP_GE_OQ));
  ok = _mm256_and_pd(ok, _mm256_cmp_pd(y, one, _CMP_NEQ_OQ));
  /* other lanes compute on x = 2, y = 1/2 (values discarded) */
  x = _mm256_blendv_pd(_mm256_set1_pd(2.0), x, ok);
  y = _mm256_blendv_pd(_mm256_set1_pd(0.5), y, ok);

  __m256d llo;
  __m256d lhi = log_dd(x, &llo);
  __m256d thi = _mm256_mul_pd(y, lhi);
  __m256d tlo = _mm256_fmadd_pd(y, llo, _mm256_fmsub_pd(y, lhi, thi));
  __m256d tl;
  __m256d th = two_sum(thi, tlo, &tl);
  ok = _mm256_and_pd(ok, _mm256_cmp_pd(_mm256_and_pd(th, absmask),
                                       _mm256_set1_pd(128.0), _CMP_LE_OQ));

  const __m256d shift = _mm256_set1_pd(0x1.8p52);
  __m256d ks = _mm256_fmadd_pd(th, _mm256_set1_pd(EUM_POW_INV_L2N), shift);
  __m256d kd = _mm256_sub_pd(ks, shift);
  __m256i ki = _mm256_sub_epi64(_mm256_castpd_si256(ks),
                                _mm256_castpd_si256(shift));
  __m256d r1 = _mm256_fnmadd_pd(kd, _mm256_set1_pd(EUM_POW_L2N_HI), th);
  __m256d rlo = _mm256_fnmadd_pd(kd, _mm256_set1_pd(EUM_POW_L2N_LO), tl);
  __m256i j = _mm256_and_si256(ki, _mm256_set1_epi64x(127));
  long long jj[4];
  _mm256_storeu_si256((__m256i *)jj, j);
  __m256d e01 = _mm256_insertf128_pd(
      _mm256_castpd128_pd256(_mm_loadu_pd(eum_pow_exp_tab[jj[0]])),
      _mm_loadu_pd(eum_pow_exp_tab[jj[2]]), 1);
  __m256d e23 = _mm256_insertf128_pd(
      _mm256_castpd128_pd256(_mm_loadu_pd(eum_pow_exp_tab[jj[1]])),
      _mm_loadu_pd(eum_pow_exp_tab[jj[3]]), 1);
  __m256d S = _mm256_unpacklo_pd(e01, e23);
  __m256d sig = _mm256_unpackhi_pd(e01, e23);
  /* s = 2^m S: (k - j) << 45 = m << 52 */
  __m256d s = _mm256_castsi256_pd(
      _mm256_add_epi64(_mm256_castpd_si256(S),
                       _mm256_slli_epi64(_mm256_sub_epi64(ki, j), 45)));
  /* q = exp(r1) - 1 - r1 */
  __m256d p = _mm256_set1_pd(1.0 / 720);
  p = _mm256_fmadd_pd(p, r1, _mm256_set1_pd(1.0 / 120));
  p = _mm256_fmadd_pd(p, r1, _mm256_set1_pd(1.0 / 24));
  p = _mm256_fmadd_pd(p, r1, _mm256_set1_pd(1.0 / 6));
  p = _mm256_fmadd_pd(p, r1, _mm256_set1_pd(0.5));
  __m256d q = _mm256_mul_pd(_mm256_mul_pd(r1, r1), p);
  /* (1 + SIG) exp(r1) exp(rlo) - 1 = r1 + u */
  __m256d rs = _mm256_add_pd(rlo, sig);
  __m256d u = _mm256_add_pd(_mm256_fmadd_pd(rs, _mm256_add_pd(r1, q), rs), q);
  __m256d eP;
  __m256d P = two_sum(r1, u, &eP);
  __m256d res = _mm256_fmadd_pd(s, P, s);
  __m256d resid = _mm256_fmadd_pd(
      s, eP, _mm256_fmadd_pd(s, P, _mm256_sub_pd(s, res)));

  /* the filter: |resid| < 7/16 ULP of res, res not a power of two */
  __m256i rb = _mm256_castpd_si256(res);
  __m256d pw = _mm256_castsi256_pd(
      _mm256_and_si256(rb, _mm256_set1_epi64x(0x7ff0000000000000LL)));
  __m256d lim = _mm256_mul_pd(pw, _mm256_set1_pd(0x1.cp-54)); /* 7/16 2^-52 */
  ok = _mm256_and_pd(ok, _mm256_cmp_pd(_mm256_and_pd(resid, absmask), lim,
                                       _CMP_LT_OQ));
  __m256i frac =
      _mm256_and_si256(rb, _mm256_set1_epi64x(0x000fffffffffffffLL));
  ok = _mm256_andnot_pd(
      _mm256_castsi256_pd(_mm256_cmpeq_epi64(frac, _mm256_setzero_si256())),
      ok);
  *out = res;
  return ~_mm256_movemask_pd(ok) & 15;
}

/* Appends i + l to list for every bit l of bad, without a branch (the
 * lanes the filter hands to pow are irregular: a branch on each would be
 * mispredicted often). */
static inline size_t note_lanes(int bad, size_t i, size_t *list,
                                size_t nb) {
  for (size_t l = 0; l < 4; l++) {
    list[nb] = i + l;
    nb += (size_t)(bad >> l) & 1;
  }
  return nb;
}

/* Up to EUM_POW_CHUNK values: the fast path four at a time, then pow for
 * the values it could not settle. */
#define EUM_POW_CHUNK 256
EUM_POW_TARGET static size_t pow_chunk(size_t n, const double *x,
                                       const double *y, double *out) {
  size_t list[EUM_POW_CHUNK + 4], nb = 0, i = 0;
  __m256d res;
  for (; i + 4 <= n; i += 4) {
    int bad = pow4(_mm256_loadu_pd(x + i), _mm256_loadu_pd(y + i), &res);
    _mm256_storeu_pd(out + i, res);
    nb = note_lanes(bad, i, list, nb);
  }
  if (i < n) { /* the last 1-3 values: the other lanes load 0, store none */
    __m256i m = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)(n - i)),
                                   _mm256_setr_epi64x(0, 1, 2, 3));
    int bad = pow4(_mm256_maskload_pd(x + i, m), _mm256_maskload_pd(y + i, m),
                   &res);
    _mm256_maskstore_pd(out + i, m, res);
    nb = note_lanes(bad & ((1 << (n - i)) - 1), i, list, nb);
  }
  for (size_t k = 0; k < nb; k++) out[list[k]] = pow(x[list[k]], y[list[k]]);
  return nb;
}

static size_t pow_fast(size_t n, const double *x, const double *y,
                       double *out) {
  size_t calls = 0;
  for (size_t i = 0; i < n; i += EUM_POW_CHUNK) {
    size_t m = n - i < EUM_POW_CHUNK ? n - i : EUM_POW_CHUNK;
    calls += pow_chunk(m, x + i, y + i, out + i);
  }
  return calls;
}
#endif

size_t ent_eum_pow_many(size_t n, const double *x, const double *y,
                        double *out) {
#if EUM_POW_X86
  if (ent_eum_pow_fast_available()) return pow_fast(n, x, y, out);
#endif
  for (size_t i = 0; i < n; i++) out[i] = pow(x[i], y[i]);
  return n;
}
