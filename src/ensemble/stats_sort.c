/*
 * stats_sort.c -- the sketch's level sort and the compaction's merge in
 * vector lanes (stats.h, ent_qacc_sort_lanes): a bitonic sorting network
 * of min/max (stats_sort_kernel.h), compiled for 4 lanes (AVX2) and 8
 * (AVX-512F) and chosen at run time; other compilers and CPUs get none
 * (lanes 0) and stats.c sorts and merges as before.
 *
 * Bits: min and max of two doubles without NaN give one operand back, and
 * without -0.0 two values equal under comparison are the same bits, so
 * any correct sort of such an array gives the one array qsort gives; the
 * callers hand over arrays without NaN and send those holding -0.0 to
 * qsort.
 *
 * Prefixes: ent_qacc_ (the quantile accumulators' sorts, stats.c).
 */
#include "ensemble/stats_sort.h"

#include <stdint.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define SS_X86 1
#include <immintrin.h>
#if defined(ENT_HAVE_X86_PLATFORM_H)
#include <sys/platform/x86.h>
#endif
#else
#define SS_X86 0
#endif

#if SS_X86
#define SW 4
#define SK ss4_
#include "ensemble/stats_sort_kernel.h"
#undef SW
#undef SK
#define SW 8
#define SK ss8_
#include "ensemble/stats_sort_kernel.h"
#undef SW
#undef SK
#endif

int ent_qacc_sort_lanes(void) {
#if SS_X86 && defined(ENT_HAVE_X86_PLATFORM_H)
  if (CPU_FEATURE_ACTIVE(AVX512F)) return 8;
  if (CPU_FEATURE_ACTIVE(AVX2)) return 4;
#elif SS_X86
  if (__builtin_cpu_supports("avx512f")) return 8;
  if (__builtin_cpu_supports("avx2")) return 4;
#endif
  return 0;
}

#if SS_X86
static int pow2(size_t n) { return n && !(n & (n - 1)); }
#endif

int ent_qacc_bitonic_sort(double *a, size_t n, int lanes) {
#if SS_X86
  if (!pow2(n) || n < 64) return 0;
  if (lanes >= 8) return ss8_sort(a, n) ? 1 : -1;
  if (lanes >= 4) return ss4_sort(a, n) ? 1 : -1;
#else
  (void)a;
  (void)n;
#endif
  (void)lanes;
  return 0;
}

int ent_qacc_bitonic_merge_half(const double *a, const double *b, size_t m,
                                int par, double *out, double *cat, int lanes) {
#if SS_X86
  if (!pow2(m) || m < 16) return 0;
  if (lanes >= 8) return ss8_merge_half(a, b, m, par, out, cat) ? 1 : -1;
  if (lanes >= 4) return ss4_merge_half(a, b, m, par, out, cat) ? 1 : -1;
#else
  (void)a;
  (void)b;
  (void)par;
  (void)out;
  (void)cat;
#endif
  (void)lanes;
  return 0;
}

void ent_qacc_take_half(const double *c, size_t m, int par, double *out,
                        int lanes) {
#if SS_X86
  if (lanes >= 8 && m % 8 == 0) {
    ss8_take_half(c, m, par & 1, out);
    return;
  }
  if (lanes >= 4 && m % 4 == 0) {
    ss4_take_half(c, m, par & 1, out);
    return;
  }
#endif
  (void)lanes;
  for (size_t i = 0; i < m; i++) out[i] = c[2 * i + (size_t)(par & 1)];
}
