/*
 * test_vpow.c -- ent_eum_pow_many (src/strategic/eum_vpow.c) against
 * glibc's pow, bit for bit.  Linked statically (tests/meson.build), as the
 * static `entente` is, so that glibc's pow tables are linked and the vector
 * lanes run where the CPU has them; a plain program (no cmocka archive to
 * link statically): exit status 1 and a message on the first difference.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strategic/eum_vpow.h"

#if defined(__x86_64__) && defined(ENT_HAVE_X86_PLATFORM_H)
#include <sys/platform/x86.h>
#endif

static int failures;

static uint64_t bits(double v) {
  uint64_t b;
  memcpy(&b, &v, sizeof b);
  return b;
}

static double from_bits(uint64_t b) {
  double v;
  memcpy(&v, &b, sizeof v);
  return v;
}

static uint64_t next(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static double unit(uint64_t *s) { return (double)(next(s) >> 11) * 0x1p-53; }

/* n values through ent_eum_pow_many (strides xs, ys) against pow. */
static void check(const char *what, const double *x, size_t xs,
                  const double *y, size_t ys, size_t n, int lanes) {
  double *out = malloc((n ? n : 1) * sizeof *out);
  if (!out) abort();
  ent_eum_pow_many(x, xs, y, ys, out, n, lanes);
  for (size_t k = 0; k < n; k++) {
    double xv = x[k * xs], yv = y[k * ys], want = pow(xv, yv);
    if (bits(out[k]) != bits(want)) {
      if (failures++ < 10)
        printf("FAIL %s: pow(%a, %a) = %a, lanes give %a (value %zu, %d lanes)\n",
               what, xv, yv, want, out[k], k, lanes);
    }
  }
  free(out);
}

/* The lanes the static link must give on this CPU (eum_vpow.h). */
static int lanes_expected(void) {
#if defined(__x86_64__) && defined(ENT_HAVE_X86_PLATFORM_H) && \
    defined(__GLIBC__) && __GLIBC__ == 2 && __GLIBC_MINOR__ == 36 && \
    !defined(__clang__)
  return CPU_FEATURE_ACTIVE(AVX512F) && CPU_FEATURE_ACTIVE(AVX512DQ) &&
                 CPU_FEATURE_ACTIVE(FMA) && CPU_FEATURE_ACTIVE(AVX2)
             ? 8
             : 0;
#else
  return 0;
#endif
}

enum { N = 1 << 21 };

int main(void) {
  int lanes = ent_eum_vpow_lanes(), want = lanes_expected();
  printf("vector lanes: %d (expected %d)\n", lanes, want);
  if (lanes != want) {
    printf("FAIL: the vector lanes are %d, this CPU and link give %d\n", lanes,
           want);
    return 1;
  }
  double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  if (!x || !y) return 1;
  uint64_t s = 20261205;

  /* the model's arguments: bases in (0, 1), exponents in [1/2, 2] */
  for (size_t k = 0; k < N; k++) {
    x[k] = unit(&s);
    y[k] = 0.5 + 1.5 * unit(&s);
  }
  check("bases in (0,1)", x, 1, y, 1, N, lanes);
  /* bases near 1 and near 1/2 (0.5 - d/2, 0.5 + d/2 for small d) */
  for (size_t k = 0; k < N; k++) {
    double e = ldexp(unit(&s), -(int)(next(&s) % 60));
    x[k] = k & 1 ? 1.0 - e : 0.5 + (k & 2 ? e : -e) / 2.0;
    y[k] = 0.5 + 1.5 * unit(&s);
  }
  check("bases near 1 and 1/2", x, 1, y, 1, N, lanes);
  /* any positive finite base, exponents in [-8, 8] and wider: overflow,
   * underflow, subnormal results, |y log x| past 512 and below 2^-54 */
  for (size_t k = 0; k < N; k++) {
    x[k] = from_bits(next(&s) >> 1); /* any sign-clear bits */
    if (isnan(x[k])) x[k] = 2.0;
    y[k] = k & 1 ? 16.0 * unit(&s) - 8.0 : ldexp(unit(&s) - 0.5, (int)(next(&s) % 140) - 70);
  }
  check("any base", x, 1, y, 1, N, lanes);
  /* special values, every pair */
  const double sp[] = {0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, INFINITY,
                       -INFINITY, NAN, 0x1p-1074, 0x1p-1022, 0x1.fffffffffffffp-1023,
                       0x1.fffffffffffffp1023, 0x1p-65, 0x1p-66, 0x1p63, 0x1p64,
                       3.0, -3.0, 1e300, -1e300, 1e-300, 0x1.0000000000001p0,
                       0x1.fffffffffffffp-1, 0.25, 1.5, 0.9375, 0x1p-54, 512.0,
                       -512.0, 1024.0, -1075.0};
  size_t ns = sizeof sp / sizeof sp[0], m = 0;
  for (size_t a = 0; a < ns; a++)
    for (size_t b = 0; b < ns; b++, m++) {
      x[m] = sp[a];
      y[m] = sp[b];
    }
  check("special values", x, 1, y, 1, m, lanes);
  /* strides: one base or exponent for all, every third and second value */
  for (size_t k = 0; k < 3 * 1000; k++) {
    x[k] = unit(&s);
    y[k] = 0.5 + 1.5 * unit(&s);
  }
  const double half = 0.5, r = 0.8125;
  check("x stride 0", &half, 0, y, 1, 1000, lanes);
  check("y stride 0", x, 1, &r, 0, 1000, lanes);
  check("strides 3 and 2", x, 3, y, 2, 1000, lanes);
  /* every length up to 17 (the last vector's lanes), and out == x */
  for (size_t n = 0; n <= 17; n++) check("short", x, 1, y, 1, n, lanes);
  double inplace[17], copy[17];
  for (size_t k = 0; k < 17; k++) inplace[k] = copy[k] = x[k];
  ent_eum_pow_many(inplace, 1, y, 1, inplace, 17, lanes);
  for (size_t k = 0; k < 17; k++)
    if (bits(inplace[k]) != bits(pow(copy[k], y[k])) && failures++ < 10)
      printf("FAIL in place: value %zu\n", k);
  /* the one-call path gives the same too */
  check("one call a value", x, 1, y, 1, 1000, 0);
  free(x);
  free(y);
  printf("%s: %d difference(s)\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
