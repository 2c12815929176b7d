/*
 * test_pow.c -- ent_eum_pow_many (src/strategic/eum_pow.c) against the C
 * library's pow, bit for bit: 10^7 random (x, y) from the expected-utility
 * model's domain (bases d, 0.5 -+ 0.5 d and 0.5 -+ 0.25 (e + d) for d, e
 * in [0, 1]; exponents r = (1 - R/3) / (1 + R/3) in [1/2, 2]), 2 10^6 from
 * a wider domain, the edges of the fast domain, exactly representable
 * results and every special value, in every lane and tail position; and
 * how often the filter calls pow (about one value in eight).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "strategic/eum_pow.h"
#include "testutil.h"

#define BLOCK 4096

typedef struct rng {
  uint64_t s;
} rng;

/* splitmix64 */
static uint64_t next_u64(rng *g) {
  uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double u01(rng *g) { return (double)(next_u64(g) >> 11) * 0x1p-53; }

/* ent_eum_pow_many on n values against pow; returns its pow calls */
static size_t check_block(size_t n, const double *x, const double *y) {
  double out[BLOCK];
  assert_true(n <= BLOCK);
  size_t calls = ent_eum_pow_many(n, x, y, out);
  for (size_t i = 0; i < n; i++) {
    double want = pow(x[i], y[i]);
    if (memcmp(&want, &out[i], sizeof want) != 0)
      fail_msg("pow(%a, %a): %a, glibc %a", x[i], y[i], out[i], want);
  }
  return calls;
}

/* A base of the model: family f of d, e uniform in [0, 1]. */
static double model_base(rng *g, int f) {
  double d = u01(g), e = u01(g);
  switch (f) {
  case 0: return d;
  case 1: return 0.5 - 0.5 * d;
  case 2: return 0.5 + 0.5 * d;
  case 3: return 0.5 - 0.25 * (e + d);
  default: return 0.5 + 0.25 * (e + d);
  }
}

static void test_model_domain(void **state) {
  (void)state;
  rng g = {20261205};
  double x[BLOCK], y[BLOCK];
  size_t total = 0, calls = 0;
  for (int b = 0; b < 2442; b++) { /* 2442 * 4096 > 10^7 */
    for (size_t i = 0; i < BLOCK; i++) {
      x[i] = model_base(&g, (int)(i % 5));
      double R = 2.0 * u01(&g) - 1.0;
      y[i] = (1.0 - R / 3.0) / (1.0 + R / 3.0);
    }
    calls += check_block(BLOCK, x, y);
    total += BLOCK;
  }
  print_message("model domain: %zu values, pow called for %zu (%.2f%%)\n",
                total, calls, 100.0 * (double)calls / (double)total);
  if (ent_eum_pow_fast_available()) {
    /* the filter's window is 1/8 ULP wide of every 1: about 12.5% */
    assert_true(calls > total / 10 && calls < total / 6);
  } else {
    assert_int_equal(calls, total);
  }
}

static void test_wide_domain(void **state) {
  (void)state;
  rng g = {7};
  double x[BLOCK], y[BLOCK];
  size_t total = 0, calls = 0;
  for (int b = 0; b < 489; b++) { /* 2 10^6 */
    for (size_t i = 0; i < BLOCK; i++) {
      x[i] = exp2(120.0 * u01(&g) - 60.0) * (1.0 + u01(&g));
      y[i] = 34.0 * u01(&g) - 17.0;
    }
    calls += check_block(BLOCK, x, y);
    total += BLOCK;
  }
  print_message("wide domain: %zu values, pow called for %zu (%.2f%%)\n",
                total, calls, 100.0 * (double)calls / (double)total);
}

/* x near 1 and near 0, y near 1 and at the ends of the fast domain. */
static void test_edges(void **state) {
  (void)state;
  double x[BLOCK], y[BLOCK];
  size_t n = 0;
  const double ys[] = {0.5, nextafter(1.0, 0.0), nextafter(1.0, 2.0),
                       1.0 - 0x1p-30, 1.0 + 0x1p-30, 2.0, 0x1p-20,
                       nextafter(0x1p-20, 0.0), 16.0, nextafter(16.0, 17.0),
                       -16.0, -0.5, 0x1p-40};
  for (size_t k = 0; k < sizeof ys / sizeof ys[0]; k++)
    for (int s = 1; s <= 40; s++) {
      x[n] = 1.0 - ldexp(1.0, -s); /* below 1 */
      y[n++] = ys[k];
      x[n] = 1.0 + ldexp(1.0, -s); /* above 1 */
      y[n++] = ys[k];
      x[n] = nextafter(1.0, 0.0) - (double)s * 0x1p-53;
      y[n++] = ys[k];
      x[n] = ldexp(1.0, -s) * 1.25; /* towards 0 */
      y[n++] = ys[k];
    }
  /* results near the fast domain's bound 2^-185, the normal range's end
   * and the subnormals */
  for (int s = 0; s < 64; s++) {
    double t = 180.0 + s;
    x[n] = 0.5;
    y[n++] = t;
    x[n] = 0x1p-64;
    y[n++] = t / 64.0;
    x[n] = 0x1p-1000 * (1.0 + s / 64.0);
    y[n++] = 1.0 + s / 64.0;
    x[n] = 0x1.8p-60;
    y[n++] = 15.0 + s / 64.0;
  }
  assert_true(n <= BLOCK);
  check_block(n, x, y);
}

/* Results that are doubles: returned exactly. */
static void test_exact(void **state) {
  (void)state;
  const double c[][3] = {
      {0.25, 0.5, 0.5},          {0.5, 2.0, 0.25},
      {0.5625, 0.5, 0.75},       {0.75, 2.0, 0.5625},
      {0.75, 3.0, 0.421875},     {0.5625, 1.5, 0.421875},
      {2.25, 0.5, 1.5},          {0.0625, 0.25, 0.5},
      {0.5, -1.0, 2.0},          {0.390625, 0.5, 0.625},
      {0.125, 2.0 / 3.0, 0.25},  {1.5, 2.0, 2.25},
      {0.9, 1.0, 0.9},           {0.015625, 0.5, 0.125},
  };
  size_t n = sizeof c / sizeof c[0];
  double x[16], y[16], out[16];
  for (size_t i = 0; i < n; i++) {
    x[i] = c[i][0];
    y[i] = c[i][1];
  }
  check_block(n, x, y);
  ent_eum_pow_many(n, x, y, out);
  for (size_t i = 0; i < n; i++)
    if (pow(x[i], y[i]) == c[i][2]) assert_true(out[i] == c[i][2]);
  assert_true(out[2] == 0.75 && out[4] == 0.421875 && out[6] == 1.5);
}

/* Every special value, in every lane of a vector and of a tail. */
static void test_specials(void **state) {
  (void)state;
  const double v[] = {0.0,      -0.0,    1.0,       -1.0,      0.5,
                      -0.5,     2.0,     INFINITY,  -INFINITY, NAN,
                      -NAN,     0x1p-1074, 0x1p-1022, nextafter(0x1p-1022, 0),
                      DBL_MAX,  1e300,   -2.5,      3.0,       0x1p60,
                      0x1p-60,  1e-300,  0.75};
  size_t nv = sizeof v / sizeof v[0];
  double x[BLOCK], y[BLOCK];
  size_t n = 0;
  for (size_t a = 0; a < nv; a++)
    for (size_t b = 0; b < nv; b++) {
      x[n] = v[a];
      y[n++] = v[b];
    }
  check_block(n, x, y);
  /* each pair at every position of blocks of 1..9 (lanes and tails) */
  for (size_t len = 1; len <= 9; len++)
    for (size_t at = 0; at < len; at++)
      for (size_t p = 0; p < n; p += 7) {
        double bx[9], by[9];
        for (size_t i = 0; i < len; i++) {
          bx[i] = 0.3 + 0.05 * (double)i;
          by[i] = 0.7 + 0.1 * (double)i;
        }
        bx[at] = x[p];
        by[at] = y[p];
        check_block(len, bx, by);
      }
  assert_int_equal(ent_eum_pow_many(0, x, y, NULL), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_model_domain),
      cmocka_unit_test(test_wide_domain),
      cmocka_unit_test(test_edges),
      cmocka_unit_test(test_exact),
      cmocka_unit_test(test_specials),
  };
  return cmocka_run_group_tests_name("pow", tests, NULL, NULL);
}
