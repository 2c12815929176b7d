/*
 * eum_pow.c -- see eum_pow.h.
 *
 * Prefixes: ent_eum_pow_
 *
 * Why the bits are glibc's.  glibc's pow (2.28 and later, Debian 12 has
 * 2.36; sysdeps/ieee754/dbl-64/e_pow.c) documents its worst-case error in
 * round-to-nearest as 0.54 ULP (0.509 ULP of its exp plus 1024 ln2 times
 * the 1.3 2^-68 relative error of its log, in ULPs).  Let z = x^y exactly,
 * D the double nearest z and delta the distance from z to the nearest
 * rounding midpoint, in ULPs of z's binade.  Every double other than D is
 * at least 1/2 + delta from z; so if delta > 0.04, glibc's result, within
 * 0.54 of z, is D.  The vector code below computes a = H + tail, a
 * double-double with |a - z| <= E ULP (E below), and its rounding h = RN(a)
 * with the exact remainder l = a - h.  The lane is kept only if
 * |l| < (1/2 - POW_MARGIN) ULP(h) and h is not a power of two (where the
 * ULP below h is half the ULP above).  Then a lies more than POW_MARGIN
 * from every midpoint, z more than POW_MARGIN - E, and with POW_MARGIN =
 * 0.05 + 2^-12 > 0.04 + E that is more than 0.04 ULP + 0.01 ULP of
 * safety: h = D = glibc's pow.  Every other lane calls pow.
 *
 * The method (x in [2^-100, 2^100], y in [1/4, 4]; else pow):
 *   log x = k ln2 - log c_i + log1p(r),  x = 2^k m, m in [0.707, 1.414),
 *     i = 5 bits of m (32 entries), c_i ~ 1/m (a double), r = m c_i - 1
 *     exactly as a double-double (FMA), |r| < 2^-6.03; log1p(r) = r -
 *     r^2/2 (double-double) + r^3 (1/3 - r/4 + ... - r^9/12) (double; the
 *     Taylor remainder is below |r|^13/13/(1-|r|) < 2^-81).
 *   Y = y log x as a double-double (FMA), log x renormalised first.
 *   exp Y = 2^(kk/16) exp(s), kk = round(Y 16/ln2), s = Y - kk ln2/16 as a
 *     double-double (ln2/16 in two parts, the first of 36 bits so kk C1 is
 *     exact for |kk| < 2^16), renormalised, |s| < 2^-5.5; exp(s) - 1 = s +
 *     s^2/2 (double-double) + s^3 (1/3! + ... + s^6/9!) (double;
 *     remainder < 2^-77); 2^(j/16) as a double-double from the table.
 *   The tables (32 and 16 entries) sit in registers with AVX-512 and are
 *     read by permutes (vpermt2pd); with AVX2 by gathers.
 * Error bound.  The tables are rounded to double-doubles (relative error
 * < 2^-104); every other operation is exact (two-sum, two-product by FMA,
 * Sterbenz) but the additions of the low parts and the two double-
 * precision polynomial tails, |r^3 p(r)| < 2^-19.7 and |s^3 q(s)| <
 * 2^-19.1, whose few roundings (about 2^-72 each) dominate: the error of
 * log x is below 2^-71, of Y (|y| <= 4) below 2^-69, of exp(s) below
 * 2^-70, so |a/z - 1| < 2^-68.4 and E < 2^-15.4 ULP (the largest measured
 * against __float128 powq, 2 10^6 pairs: 2^-68.7); POW_MARGIN allows
 * 2^-12, ten times that.  The unit test (tests/unit/test_eum_pow.c)
 * compares 10^8 seeded random pairs and 4 10^6 constructed ones with
 * glibc's pow bit for bit.
 *
 * The tables below were computed with Python's decimal module at 60
 * digits (docs/performance.md, "Eighth round"): c_i = RN(2 / (lo_i +
 * hi_i)) for the i-th interval of m, pow_lh/pow_ll = -log c_i, pow_eh/
 * pow_el = 2^(j/16), each hi = RN(v), lo = RN(v - hi).
 */
#include "strategic/eum_pow.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define POW_X86 1
#include <immintrin.h>
#ifdef ENT_HAVE_X86_PLATFORM_H
#include <sys/platform/x86.h>
#endif
#else
#define POW_X86 0
#endif

/* see the header comment: 0.04 ULP + 0.01 ULP + 2^-12 */
#define POW_MARGIN (0.05 + 0x1p-12)
/* m's intervals start at 0x1.6ap-1 ~ 0.707 */
#define POW_OFF 0x3fe6a00000000000ull
/* calls collected before one ent_eum_pow_n */
#define EUM_POW_BATCH 1536
#define POW_LN2_HI 0x1.62e42fefa3800p-1
#define POW_LN2_LO 0x1.ef35793c76730p-45
#define POW_C1 0x1.62e42fefa0000p-5
#define POW_C2 0x1.cf79abc9e3b3ap-44
#define POW_INV 0x1.71547652b82fep+4
static const double pow_c[32] = {
  0x1.661ec6a5122f9p+0, 0x1.5e75bb8d015e8p+0, 0x1.571ed3c506b3ap+0,
  0x1.5015015015015p+0, 0x1.49539e3b2d067p+0, 0x1.42d6625d51f87p+0,
  0x1.3c995a47babe8p+0, 0x1.3698df3de0748p+0, 0x1.30d190130d190p+0,
  0x1.2b404ad012b41p+0, 0x1.25e22708092f1p+0, 0x1.20b470c67c0d9p+0,
  0x1.1bb4a4046ed29p+0, 0x1.16e0689427379p+0, 0x1.12358e75d3034p+0,
  0x1.0db20a88f4696p+0, 0x1.0953f39010954p+0, 0x1.05197f7d73404p+0,
  0x1.0080402010081p+0, 0x1.f44659e4a4272p-1, 0x1.e573ac901e575p-1,
  0x1.d77b654b82c34p-1, 0x1.ca4b3055ee192p-1, 0x1.bdd2b899406f8p-1,
  0x1.b2036406c80dap-1, 0x1.a6d01a6d01a6ep-1, 0x1.9c2d14ee4a102p-1,
  0x1.920fb49d0e229p-1, 0x1.886e5f0abb04ap-1, 0x1.7f405fd017f41p-1,
  0x1.767dce434a9b2p-1, 0x1.6e1f76b4337c7p-1,
};
static const double pow_lh[32] = {
  -0x1.57bf753c8d1fbp-2, -0x1.419b423d5e8c9p-2, -0x1.2bef07cdc9355p-2,
  -0x1.16b5ccbacfb73p-2, -0x1.01eae5626c691p-2, -0x1.db13db0d48941p-3,
  -0x1.b31d8575bce41p-3, -0x1.8beafeb38fe8fp-3, -0x1.6574ebe8c1339p-3,
  -0x1.3fb45a59928d0p-3, -0x1.1aa2b7e23f729p-3, -0x1.ec739830a1126p-4,
  -0x1.a4e7640b1bc38p-4, -0x1.5e95a4d9791cdp-4, -0x1.1973bd1465570p-4,
  -0x1.aaef2d0fb1108p-5, -0x1.252f32f8d1840p-5, -0x1.432a925980cbcp-6,
  -0x1.0040155d58a1dp-9, 0x1.7b91b07d5b105p-6, 0x1.b42dd711971a8p-5,
  0x1.51b073f06183cp-4, 0x1.c5e548f5bc73ap-4, 0x1.1b72ad52f679dp-3,
  0x1.526e5e3a1b433p-3, 0x1.87fa06520c90cp-3, 0x1.bc286742d8cd4p-3,
  0x1.ef0adcbdc5935p-3, 0x1.1058bf9ae4ad4p-2, 0x1.2895a13de86a2p-2,
  0x1.404308686a7e1p-2, 0x1.5767717455a6cp-2,
};
static const double pow_ll[32] = {
  0x1.2908d15f88b63p-57, -0x1.b7648704e71c1p-62, 0x1.22dad7fd86088p-56,
  -0x1.56fbd28b40935p-56, -0x1.d9f5bd0b5b348p-57, 0x1.8af715b0349a4p-57,
  -0x1.9cac54c7956adp-57, 0x1.54aae92cd0b87p-59, -0x1.c5961e173bc82p-57,
  -0x1.878195cab2fa4p-57, -0x1.6e44389934420p-57, -0x1.eea033743f95bp-58,
  0x1.9b5ca203e4259p-58, 0x1.4c78ba3a3baf6p-58, 0x1.baac1b3d35684p-58,
  -0x1.68d4eed0b82aep-59, -0x1.ae021b67a9ba8p-61, 0x1.8cdaf39004193p-60,
  0x1.8f98e1113fcf7p-65, 0x1.493faa638b5fdp-61, 0x1.8a34531f67dd3p-59,
  -0x1.5b61c65e5741ap-58, 0x1.aeb0bf7c0b0ecp-59, -0x1.6f9fb971a650ep-59,
  -0x1.a37fc523869a1p-60, -0x1.feffb7f411b29p-58, 0x1.cfce744870f57p-58,
  0x1.e8637950dc20dp-57, 0x1.3f415699663ecp-63, -0x1.352db3ec0fbf0p-56,
  0x1.43049f7d31965p-60, -0x1.fb2a49af933e8p-57,
};
static const double pow_eh[16] = {
  0x1.0000000000000p+0, 0x1.0b5586cf9890fp+0, 0x1.172b83c7d517bp+0,
  0x1.2387a6e756238p+0, 0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0,
  0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0, 0x1.6a09e667f3bcdp+0,
  0x1.7a11473eb0187p+0, 0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f090p+0,
  0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0, 0x1.d5818dcfba487p+0,
  0x1.ea4afa2a490dap+0,
};
static const double pow_el[16] = {
  0x0.0p+0, 0x1.8a62e4adc610bp-54, -0x1.19041b9d78a76p-55,
  0x1.9b07eb6c70573p-54, 0x1.6f46ad23182e4p-55, 0x1.ada0911f09ebcp-55,
  0x1.d4397afec42e2p-56, 0x1.6324c054647adp-54, -0x1.bdd3413b26456p-54,
  -0x1.41577ee04992fp-55, 0x1.6e9f156864b27p-54, 0x1.c7c46b071f2bep-56,
  0x1.7a1cd345dcc81p-54, 0x1.11065895048ddp-55, 0x1.2ed02d75b3707p-55,
  -0x1.e9c23179c2893p-54,
};


#if POW_X86
typedef double pw_vd4 __attribute__((vector_size(32)));
typedef long long pw_vi4 __attribute__((vector_size(32)));
typedef unsigned long long pw_vu4 __attribute__((vector_size(32)));
typedef double pw_vd8 __attribute__((vector_size(64)));
typedef long long pw_vi8 __attribute__((vector_size(64)));
typedef unsigned long long pw_vu8 __attribute__((vector_size(64)));

#define PL_NAME pow_lanes4
#define PL_BLOCK pow_block4
#define PL_W 4
#define PL_ATTR __attribute__((target("avx2,fma")))
#define PL_VD pw_vd4
#define PL_VI pw_vi4
#define PL_VU pw_vu4
#define PL_FMA(a, b, c) \
  ((pw_vd4)_mm256_fmadd_pd((__m256d)(a), (__m256d)(b), (__m256d)(c)))
#define PL_B(c) ((pw_vd4){0} + (c))
#define PL_LOOK16(t, i) ((pw_vd4)_mm256_i64gather_pd((t), (__m256i)(i), 8))
#define PL_LOOK32(t, i) PL_LOOK16(t, i)
#define PL_MASK(v) ((unsigned)_mm256_movemask_pd((__m256d)(v)))
#include "strategic/eum_pow_lanes.h"

#define PL_NAME pow_lanes8
#define PL_BLOCK pow_block8
#define PL_W 8
#define PL_ATTR __attribute__((target("avx512f")))
#define PL_VD pw_vd8
#define PL_VI pw_vi8
#define PL_VU pw_vu8
#define PL_FMA(a, b, c) \
  ((pw_vd8)_mm512_fmadd_pd((__m512d)(a), (__m512d)(b), (__m512d)(c)))
#define PL_B(c) ((pw_vd8){0} + (c))
#define PL_LOOK16(t, i) \
  ((pw_vd8)_mm512_permutex2var_pd(_mm512_loadu_pd(t), (__m512i)(i), \
                                  _mm512_loadu_pd((t) + 8)))
#define PL_LOOK32(t, i) \
  ((pw_vd8)_mm512_mask_blend_pd( \
      _mm512_test_epi64_mask((__m512i)(i), _mm512_set1_epi64(16)), \
      (__m512d)PL_LOOK16(t, i), (__m512d)PL_LOOK16((t) + 16, i)))
#define PL_MASK(v) ((unsigned)_mm512_test_epi64_mask((__m512i)(v), (__m512i)(v)))
#include "strategic/eum_pow_lanes.h"
#endif

int ent_eum_pow_lanes(void) {
#if POW_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  if (CPU_FEATURE_ACTIVE(AVX512F)) return 8;
  if (CPU_FEATURE_ACTIVE(AVX2) && CPU_FEATURE_ACTIVE(FMA)) return 4;
#elif POW_X86
  if (__builtin_cpu_supports("avx512f")) return 8;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return 4;
#endif
  return 1;
}

typedef size_t (*pow_kernel)(size_t, const double *, const double *,
                             double *, unsigned *);

size_t ent_eum_pow_n(size_t m, const double *x, const double *y, double *out,
                     int vector) {
  int W = vector ? ent_eum_pow_lanes() : 1;
#if POW_X86
  if (W > 1) {
    pow_kernel f = W == 8 ? pow_lanes8 : pow_lanes4;
    unsigned list[EUM_POW_BATCH];
    size_t calls = 0;
    for (size_t k = 0; k < m; k += EUM_POW_BATCH) {
      size_t c = m - k < EUM_POW_BATCH ? m - k : EUM_POW_BATCH;
      size_t nbad = f(c, x + k, y + k, out + k, list);
      for (size_t q = 0; q < nbad; q++)
        out[k + list[q]] = pow(x[k + list[q]], y[k + list[q]]);
      calls += nbad;
    }
    return calls;
  }
#endif
  (void)W;
  for (size_t k = 0; k < m; k++) out[k] = pow(x[k], y[k]);
  return m;
}

/* ------------------------------------------- the model's calls, batched */

static double clamp01(double d) { return d < 0.0 ? 0.0 : d > 1.0 ? 1.0 : d; }

/* Arguments of pending calls and where each result goes (from index aff0
 * on as 2 - 4 pow, the utilities of success and failure; before, as
 * pow). */
typedef struct pw_batch {
  size_t m, aff0;
  double x[EUM_POW_BATCH], y[EUM_POW_BATCH], o[EUM_POW_BATCH];
  double *dst[EUM_POW_BATCH];
} pw_batch;

static void batch_flush(pw_batch *b) {
  ent_eum_pow_n(b->m, b->x, b->y, b->o, 1);
  size_t q = 0;
  for (; q < b->aff0 && q < b->m; q++) *b->dst[q] = b->o[q];
  for (; q < b->m; q++) *b->dst[q] = 2.0 - 4.0 * b->o[q];
  b->m = 0;
}

/* pow(x, y) into *dst: now (b NULL) or at the batch's flush */
static inline void batch_pow(pw_batch *b, double x, double y, double *dst) {
  if (!b) {
    *dst = pow(x, y);
    return;
  }
  b->x[b->m] = x;
  b->y[b->m] = y;
  b->dst[b->m++] = dst;
}

/* Row a of the fast path's utilities: u_a(x_a) and, for k > a, u_k(x_a)
 * and u_a(x_k), into UT only (the fast path reads nothing else).  With
 * `rep` (rep[b]: first actor at x_b; rows in order, one thread) the
 * utility of a position an earlier actor holds is copied: u_k(x_rep[a])
 * from row rep[a] < a, u_a(x_rep[k]) from this row or row rep[k] < a
 * (rep[k] = a is d = 0): the same distance (fabs: +0, -0 alike).  The
 * calls to pow go to batch `b` (NULL: at once).  A copied utility is read from an entry written with a call of
 * an earlier row or earlier in this row, so only with b NULL or with
 * `copy`: the second sweep of a row whose calls have been flushed
 * (`copy` set, b NULL: no call, only the copies). */
static void utilities_row(size_t n, const double *x, double range,
                          const double *rho, double *UT, size_t a,
                          const int *rep, pw_batch *b, int copy) {
  if (!copy) {
    if (rho[a] == 1.0 || rho[a] > 0.0)
      UT[a * n + a] = 0.0;
    else
      batch_pow(b, 0.0, rho[a], UT + a * n + a);
  }
  int dup_a = rep && (size_t)rep[a] < a;
  for (size_t k = a + 1; k < n; k++) {
    double d = clamp01(fabs(x[k] - x[a]) / range);
    double *uk = UT + k * n + a, *ua = UT + a * n + k;
    if (d == 0.0 || d == 1.0) {
      if (copy) continue;
      if (rho[k] == 1.0 || rho[k] > 0.0)
        *uk = d;
      else
        batch_pow(b, d, rho[k], uk);
      if (rho[a] == 1.0 || rho[a] > 0.0)
        *ua = d;
      else
        batch_pow(b, d, rho[a], ua);
      continue;
    }
    if (rho[k] == 1.0) {
      if (!copy) *uk = d;
    } else if (dup_a) {
      if (copy || !b) *uk = UT[k * n + (size_t)rep[a]];
    } else if (!copy) {
      batch_pow(b, d, rho[k], uk);
    }
    if (rho[a] == 1.0) {
      if (!copy) *ua = d;
    } else if (rep && (size_t)rep[k] < k) {
      if (copy || !b) *ua = UT[a * n + (size_t)rep[k]];
    } else if (!copy) {
      batch_pow(b, d, rho[a], ua);
    }
  }
}

void ent_eum_pow_utilities_row(size_t n, const double *x, double range,
                               const double *rho, double *UT, size_t a,
                               const int *rep) {
  utilities_row(n, x, range, rho, UT, a, rep, NULL, 0);
}

void ent_eum_pow_utilities(size_t n, const double *x, double range,
                           const double *rho, double *UT, const int *rep) {
  pw_batch b;
  b.m = 0;
  b.aff0 = EUM_POW_BATCH; /* no result as 2 - 4 pow */
  size_t a0 = 0;
  while (a0 < n) {
    /* rows a0 .. a1-1: at most 2 (n - a) calls each, together <= the
     * batch (a row too long for it alone: calls at once) */
    size_t a1 = a0, calls = 0;
    while (a1 < n && calls + 2 * (n - a1) <= EUM_POW_BATCH)
      calls += 2 * (n - a1++);
    if (a1 == a0) {
      utilities_row(n, x, range, rho, UT, a0++, rep, NULL, 0);
      continue;
    }
    for (size_t a = a0; a < a1; a++)
      utilities_row(n, x, range, rho, UT, a, rep, &b, 0);
    batch_flush(&b);
    for (size_t a = a0; a < a1; a++)
      utilities_row(n, x, range, rho, UT, a, rep, NULL, 1);
    a0 = a1;
  }
}

/* eum.c's eu_success_failure(d, rho, ...) of the fast path (exact = 0). */
static void success_failure(pw_batch *b, double d, double rho, double *Us,
                            double *Uf) {
  if (rho == 1.0) {
    *Us = 2.0 - 4.0 * (0.5 - 0.5 * d);
    *Uf = 2.0 - 4.0 * (0.5 + 0.5 * d);
  } else if (d == 1.0 && rho > 0.0) {
    *Us = 2.0 - 4.0 * 0.0;
    *Uf = 2.0 - 4.0 * 1.0;
  } else {
    batch_pow(b, 0.5 - 0.5 * d, rho, Us);
    batch_pow(b, 0.5 + 0.5 * d, rho, Uf);
  }
}

/* The calls of receiver i's Us, Uf (ent_eum_pow_row_sf) into b; the
 * copies after its flush (`copy`). */
static void row_sf(pw_batch *b, int copy, size_t n, size_t i,
                   const double *x, double range, const double *r, int b_own,
                   const int *rep, double *us, double *uf, double *bus,
                   double *buf) {
  double ri = r[i];
  for (size_t j = 0; j < n; j++) {
    if (j == i || x[i] == x[j]) continue;
    if (copy) {
      if ((size_t)rep[j] < j) { /* x_rep[j] == x_j != x_i: computed */
        us[j] = us[rep[j]];
        uf[j] = uf[rep[j]];
      }
      continue;
    }
    double d = clamp01(fabs(x[i] - x[j]) / range);
    if ((size_t)rep[j] >= j) success_failure(b, d, ri, us + j, uf + j);
    if (b_own && r[j] != ri) success_failure(b, d, r[j], bus + j, buf + j);
  }
}

void ent_eum_pow_row_sf(size_t n, size_t i, const double *x, double range,
                        const double *r, int b_own, const int *rep,
                        double *us, double *uf, double *bus, double *buf) {
  pw_batch b; /* at most 4 (n - 1) calls: n <= EUM_POW_BATCH / 4 */
  b.m = b.aff0 = 0;
  row_sf(&b, 0, n, i, x, range, r, b_own, rep, us, uf, bus, buf);
  batch_flush(&b);
  row_sf(&b, 1, n, i, x, range, r, b_own, rep, us, uf, bus, buf);
}

void ent_eum_pow_decision(size_t n, const double *x, double range,
                          const double *rho, const double *r, int b_own,
                          const int *rep, double *UT, double *sf) {
  pw_batch b;
  b.m = b.aff0 = 0;
  for (size_t a = 0; a < n; a++)
    utilities_row(n, x, range, rho, UT, a, rep, &b, 0);
  b.aff0 = b.m;
  size_t nn = n * n;
  for (size_t i = 0; i < n; i++) /* n (n + 1) + 4 n (n - 1) calls */
    row_sf(&b, 0, n, i, x, range, r, b_own, rep, sf + i * n, sf + nn + i * n,
           sf + 2 * nn + i * n, sf + 3 * nn + i * n);
  batch_flush(&b);
  for (size_t a = 0; a < n; a++)
    utilities_row(n, x, range, rho, UT, a, rep, NULL, 1);
  for (size_t i = 0; i < n; i++)
    row_sf(&b, 1, n, i, x, range, r, b_own, rep, sf + i * n, sf + nn + i * n,
           sf + 2 * nn + i * n, sf + 3 * nn + i * n);
}
