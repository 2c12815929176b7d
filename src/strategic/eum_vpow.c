/*
 * eum_vpow.c -- glibc's pow, eight at a time, with its bits (eum_vpow.h).
 *
 * The fast path of the expected-utility model calls pow some 5,800 times
 * a member of the built-in forecast: a tenth of its time, one scalar call
 * after the other.  glibc's pow (2.28 and later; Szabolcs Nagy's
 * algorithm, also in Arm's optimized-routines) is straight-line code on
 * its usual path: log(x) in double-double from a 128-entry table
 * (invc, logc, logctail) and a degree-7 polynomial, y log(x) as hi + lo,
 * then exp from a 128-entry table of 2^(i/128) and a degree-5
 * polynomial, rounded once at the end (scale + scale tmp).  Other inputs
 * (x <= 0, subnormal, infinite or NaN; |y| below 2^-65 or above 2^63;
 * |y log x| below 2^-54 or at least 512) leave that path.
 *
 * The kernel below repeats that path in the lanes of AVX-512 vectors,
 * operation for operation as the x86-64 FMA variant glibc 2.36 runs
 * (__ieee754_pow_fma, compiled from e_pow.c with FMA contraction: which
 * products are fused was read from its machine code), on glibc's own
 * tables and coefficients (__pow_log_data, __exp_data: linked from libm.a
 * in the static `entente`, as eum_pow.h's __ieee754_pow; nothing of them is
 * copied here).  Every lane is the scalar call's double.  A lane whose
 * inputs or y log x leave the usual path is given to the scalar call.
 * This file is built with -ffp-contract=off, so the fused operations are
 * exactly the explicit ones.
 *
 * Where it cannot be the same (another glibc, a dynamic link that cannot
 * see the tables, a CPU without AVX-512 or FMA on which glibc picks
 * another variant), ent_eum_vpow_lanes says 0 and every value is one call.
 * Before saying 8 it checks the tables' layout (known constants at known
 * places) and compares a spread of values with the scalar call.
 */
#include "strategic/eum_vpow.h"

#include <stdint.h>
#include <string.h>

#include "strategic/eum_pow.h"

#if defined(__GLIBC__) && __GLIBC__ == 2 && __GLIBC_MINOR__ == 36 && \
    defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(ENT_HAVE_X86_PLATFORM_H)
#define VPOW_X86 1
#include <immintrin.h>
#include <sys/platform/x86.h>

/* glibc 2.36's tables (sysdeps/ieee754/dbl-64/math_config.h): the layout,
 * checked at run time against the constants it holds. */
struct vpow_log_data {
  double ln2hi, ln2lo;
  double poly[7]; /* A[0..6]; the first coefficient, 1, is implicit */
  struct {
    double invc, pad, logc, logctail;
  } tab[128];
};
struct vpow_exp_data {
  double invln2N, negln2hiN, negln2loN;
  double poly[4]; /* C2..C5 */
  double shift, exp2_shift;
  double exp2_poly[5];
  uint64_t tab[256]; /* per i: tail, then sbits less i << 45 */
};
extern const struct vpow_log_data __pow_log_data
    __attribute__((weak, visibility("hidden")));
extern const struct vpow_exp_data __exp_data
    __attribute__((weak, visibility("hidden")));
#else
#define VPOW_X86 0
#endif

#if VPOW_X86
#define VPOW_TARGET __attribute__((target("avx512f,avx512dq,fma,avx2")))

/* The table values of the lanes' indices (each in [0, 128)): the values
 * a gather of each column would give, loaded as the tables lay them out --
 * a log row {invc, pad, logc, logctail} is 32 bytes and an exp pair
 * {tail, sbits} 16 -- a row or pair a lane, then put in columns by
 * shuffles: 8 loads and 7 shuffles for the log's three columns, 8 loads
 * and 8 shuffles for the exp's two, where the gathers were 24 and 16
 * element loads (some 40 % of the kernel's time on the EPYC it was
 * measured on). */
VPOW_TARGET static inline __attribute__((always_inline)) void
log_rows(const struct vpow_log_data *L, __m512i ti, __m512d *invc,
         __m512d *logc, __m512d *logctail) {
  uint64_t t[8] __attribute__((aligned(64)));
  _mm512_store_si512((void *)t, ti);
  const double *b = &L->tab[0].invc;
  /* zk: rows t[k] and t[k + 4], each {invc, pad, logc, logctail} */
  __m512d z0 = _mm512_insertf64x4(
      _mm512_castpd256_pd512(_mm256_loadu_pd(b + 4 * t[0])),
      _mm256_loadu_pd(b + 4 * t[4]), 1);
  __m512d z1 = _mm512_insertf64x4(
      _mm512_castpd256_pd512(_mm256_loadu_pd(b + 4 * t[1])),
      _mm256_loadu_pd(b + 4 * t[5]), 1);
  __m512d z2 = _mm512_insertf64x4(
      _mm512_castpd256_pd512(_mm256_loadu_pd(b + 4 * t[2])),
      _mm256_loadu_pd(b + 4 * t[6]), 1);
  __m512d z3 = _mm512_insertf64x4(
      _mm512_castpd256_pd512(_mm256_loadu_pd(b + 4 * t[3])),
      _mm256_loadu_pd(b + 4 * t[7]), 1);
  /* lo01: invc 0 1, logc 0 1, invc 4 5, logc 4 5; hi01: pad, logctail */
  __m512d lo01 = _mm512_unpacklo_pd(z0, z1), lo23 = _mm512_unpacklo_pd(z2, z3);
  __m512d hi01 = _mm512_unpackhi_pd(z0, z1), hi23 = _mm512_unpackhi_pd(z2, z3);
  const __m512i even = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
  const __m512i odd = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
  *invc = _mm512_permutex2var_pd(lo01, even, lo23);
  *logc = _mm512_permutex2var_pd(lo01, odd, lo23);
  *logctail = _mm512_permutex2var_pd(hi01, odd, hi23);
}

VPOW_TARGET static inline __attribute__((always_inline)) void
exp_pairs(const struct vpow_exp_data *E, __m512i ei, __m512i *tail,
          __m512i *sb) {
  uint64_t t[8] __attribute__((aligned(64)));
  _mm512_store_si512((void *)t, ei);
  const uint64_t *b = &E->tab[0];
#define VPOW_PAIR(k) _mm_loadu_si128((const __m128i *)(b + 2 * t[k]))
  __m512i a = _mm512_inserti64x4(
      _mm512_castsi256_si512(_mm256_inserti128_si256(
          _mm256_castsi128_si256(VPOW_PAIR(0)), VPOW_PAIR(1), 1)),
      _mm256_inserti128_si256(_mm256_castsi128_si256(VPOW_PAIR(2)),
                              VPOW_PAIR(3), 1),
      1);
  __m512i c = _mm512_inserti64x4(
      _mm512_castsi256_si512(_mm256_inserti128_si256(
          _mm256_castsi128_si256(VPOW_PAIR(4)), VPOW_PAIR(5), 1)),
      _mm256_inserti128_si256(_mm256_castsi128_si256(VPOW_PAIR(6)),
                              VPOW_PAIR(7), 1),
      1);
#undef VPOW_PAIR
  *tail = _mm512_permutex2var_epi64(
      a, _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0), c);
  *sb = _mm512_permutex2var_epi64(
      a, _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1), c);
}

/* pow of lanes `live` of (x, y) into out; the lanes that leave glibc's
 * usual path are left to the caller: returns them. */
VPOW_TARGET static __mmask8 pow8(__m512d vx, __m512d vy, __mmask8 live,
                                 double *out) {
  const struct vpow_log_data *L = &__pow_log_data;
  const struct vpow_exp_data *E = &__exp_data;
  __m512i ix = _mm512_castpd_si512(vx), iy = _mm512_castpd_si512(vy);
  __m512i c127 = _mm512_set1_epi64(127);
  /* the usual path: 0x001 <= top12(x) < 0x7ff (x positive, normal,
   * finite), 0x3be <= top12(y) & 0x7ff < 0x43e */
  __m512i topx = _mm512_srli_epi64(ix, 52);
  __mmask8 ok = _mm512_mask_cmplt_epu64_mask(
      live, _mm512_sub_epi64(topx, _mm512_set1_epi64(1)),
      _mm512_set1_epi64(0x7fe));
  __m512i topy = _mm512_and_si512(_mm512_srli_epi64(iy, 52),
                                  _mm512_set1_epi64(0x7ff));
  ok = _mm512_mask_cmplt_epu64_mask(
      ok, _mm512_sub_epi64(topy, _mm512_set1_epi64(0x3be)),
      _mm512_set1_epi64(0x80));
  if (!ok) return live;

  /* log_inline: x = 2^k z, z near the table's c */
  __m512i tmp = _mm512_sub_epi64(ix, _mm512_set1_epi64(0x3fe6955500000000));
  __m512i ti = _mm512_and_si512(_mm512_srli_epi64(tmp, 45), c127);
  __m512i k = _mm512_srai_epi64(tmp, 52);
  __m512i iz = _mm512_sub_epi64(
      ix, _mm512_and_si512(tmp, _mm512_set1_epi64((long long)0xfff0000000000000ull)));
  __m512d z = _mm512_castsi512_pd(iz);
  __m512d kd = _mm512_cvtepi64_pd(k);
  __m512d invc, logc, logctail;
  log_rows(L, ti, &invc, &logc, &logctail);
  __m512d r = _mm512_fmadd_pd(z, invc, _mm512_set1_pd(-1.0));
  __m512d t1 = _mm512_fmadd_pd(kd, _mm512_set1_pd(L->ln2hi), logc);
  __m512d lo1 = _mm512_fmadd_pd(kd, _mm512_set1_pd(L->ln2lo), logctail);
  __m512d ar = _mm512_mul_pd(r, _mm512_set1_pd(L->poly[0]));
  __m512d q1 = _mm512_fmadd_pd(r, _mm512_set1_pd(L->poly[2]),
                               _mm512_set1_pd(L->poly[1]));
  __m512d q3 = _mm512_fmadd_pd(r, _mm512_set1_pd(L->poly[4]),
                               _mm512_set1_pd(L->poly[3]));
  __m512d q5 = _mm512_fmadd_pd(r, _mm512_set1_pd(L->poly[6]),
                               _mm512_set1_pd(L->poly[5]));
  __m512d t2 = _mm512_add_pd(t1, r);
  __m512d ar2 = _mm512_mul_pd(r, ar);
  __m512d ar3 = _mm512_mul_pd(r, ar2);
  __m512d lo2 = _mm512_add_pd(_mm512_sub_pd(t1, t2), r);
  __m512d lo3 = _mm512_fmsub_pd(ar, r, ar2);
  __m512d hi = _mm512_add_pd(t2, ar2);
  __m512d lo4 = _mm512_add_pd(_mm512_sub_pd(t2, hi), ar2);
  __m512d p = _mm512_fmadd_pd(ar2, _mm512_fmadd_pd(q5, ar2, q3), q1);
  __m512d s = _mm512_add_pd(_mm512_add_pd(_mm512_add_pd(lo1, lo2), lo3), lo4);
  __m512d lo = _mm512_fmadd_pd(ar3, p, s);
  __m512d lhi = _mm512_add_pd(hi, lo);
  __m512d ltail = _mm512_add_pd(_mm512_sub_pd(hi, lhi), lo);
  /* y log x as ehi + elo */
  __m512d ehi = _mm512_mul_pd(vy, lhi);
  __m512d elo = _mm512_fmadd_pd(vy, ltail, _mm512_fmsub_pd(lhi, vy, ehi));

  /* exp_inline: the usual path 2^-54 <= |ehi| < 512 */
  __m512i abstop = _mm512_and_si512(
      _mm512_srli_epi64(_mm512_castpd_si512(ehi), 52), _mm512_set1_epi64(0x7ff));
  ok = _mm512_mask_cmplt_epu64_mask(
      ok, _mm512_sub_epi64(abstop, _mm512_set1_epi64(0x3c9)),
      _mm512_set1_epi64(0x3f));
  __m512d shift = _mm512_set1_pd(E->shift);
  __m512d kz = _mm512_fmadd_pd(ehi, _mm512_set1_pd(E->invln2N), shift);
  __m512i ki = _mm512_castpd_si512(kz);
  kz = _mm512_sub_pd(kz, shift);
  __m512d er = _mm512_fmadd_pd(kz, _mm512_set1_pd(E->negln2hiN), ehi);
  er = _mm512_fmadd_pd(kz, _mm512_set1_pd(E->negln2loN), er);
  er = _mm512_add_pd(elo, er);
  __m512i tail, sb;
  exp_pairs(E, _mm512_and_si512(ki, c127), &tail, &sb);
  sb = _mm512_add_epi64(sb, _mm512_slli_epi64(ki, 45));
  __m512d c23 = _mm512_fmadd_pd(er, _mm512_set1_pd(E->poly[1]),
                                _mm512_set1_pd(E->poly[0]));
  __m512d c45 = _mm512_fmadd_pd(er, _mm512_set1_pd(E->poly[3]),
                                _mm512_set1_pd(E->poly[2]));
  __m512d tr = _mm512_add_pd(er, _mm512_castsi512_pd(tail));
  __m512d r2 = _mm512_mul_pd(er, er);
  __m512d u = _mm512_fmadd_pd(c23, r2, tr);
  __m512d t = _mm512_fmadd_pd(c45, _mm512_mul_pd(r2, r2), u);
  __m512d scale = _mm512_castsi512_pd(sb);
  _mm512_mask_storeu_pd(out, ok, _mm512_fmadd_pd(t, scale, scale));
  return (__mmask8)(live & ~ok);
}

/* The live lanes of p[0], p[s], ..., p[7 s] (stride 0: p[0] in all), pad
 * in the others. */
VPOW_TARGET static inline __m512d load8(const double *p, size_t s,
                                        __mmask8 live, __m512i step,
                                        double pad) {
  if (s == 1) return _mm512_mask_loadu_pd(_mm512_set1_pd(pad), live, p);
  if (s == 0) return _mm512_set1_pd(p[0]);
  return _mm512_mask_i64gather_pd(
      _mm512_set1_pd(pad), live,
      _mm512_mullo_epi64(step, _mm512_set1_epi64((long long)s)), p, 8);
}

VPOW_TARGET static void pow_many8(const double *x, size_t xs, const double *y,
                                  size_t ys, double *out, size_t n) {
  double (*pw)(double, double) = ent_eum_pow_fn();
  __m512i step = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  for (size_t k = 0; k < n; k += 8) {
    size_t m = n - k < 8 ? n - k : 8;
    __mmask8 live = (__mmask8)((1u << m) - 1);
    __m512d vx = load8(x + k * xs, xs, live, step, 0.5);
    __m512d vy = load8(y + k * ys, ys, live, step, 1.5);
    unsigned rest = pow8(vx, vy, live, out + k);
    while (rest) {
      unsigned b = (unsigned)__builtin_ctz(rest);
      rest &= rest - 1;
      out[k + b] = pw(x[(k + b) * xs], y[(k + b) * ys]);
    }
  }
}

/* The tables hold what glibc 2.36 puts where this file reads it. */
static int tables_known(void) {
  if (!&__pow_log_data || !&__exp_data || !__ieee754_pow) return 0;
  const struct vpow_log_data *L = &__pow_log_data;
  const struct vpow_exp_data *E = &__exp_data;
  uint64_t one;
  double d1 = 1.0;
  memcpy(&one, &d1, sizeof one);
  return L->ln2hi == 0x1.62e42fefa3800p-1 && L->poly[0] == -0.5 &&
         L->tab[0].invc == 0x1.6a00000000000p+0 && L->tab[0].pad == 0.0 &&
         L->tab[127].pad == 0.0 && E->invln2N == 0x1.71547652b82fep+7 &&
         E->shift == 0x1.8p52 && E->exp2_shift == 0x1.8p45 &&
         E->negln2hiN == -0x1.62e42fefa0000p-8 && E->tab[1] == one;
}
#endif

int ent_eum_vpow_lanes(void) {
#if VPOW_X86
  if (!(CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512DQ) &&
        CPU_FEATURE_ACTIVE(FMA) && CPU_FEATURE_ACTIVE(AVX2)))
    return 0;
  if (!tables_known()) return 0;
  /* a spread of the model's arguments (bases in (0, 1], exponents about
   * 1), every table index, against the scalar call */
  double x[128], y[128], v[128];
  for (int k = 0; k < 128; k++) {
    x[k] = 0.5 + (double)k / 255.0 + (double)k * 0x1p-40;
    x[k] = k & 1 ? x[k] * 0x1p-3 : x[k];
    y[k] = 0.5 + (double)(k % 17) * 0.09375 + (double)k * 0x1p-35;
  }
  pow_many8(x, 1, y, 1, v, 128);
  for (int k = 0; k < 128; k++)
    if (memcmp(&v[k], &(double){__ieee754_pow(x[k], y[k])}, sizeof v[k]))
      return 0;
  return 8;
#else
  return 0;
#endif
}

void ent_eum_pow_many(const double *x, size_t xs, const double *y, size_t ys,
                      double *out, size_t n, int lanes) {
#if VPOW_X86
  if (lanes >= 8) {
    pow_many8(x, xs, y, ys, out, n);
    return;
  }
#endif
  (void)lanes;
  double (*pw)(double, double) = ent_eum_pow_fn();
  for (size_t k = 0; k < n; k++) out[k] = pw(x[k * xs], y[k * ys]);
}
