/*
 * test_eum_pow.c -- src/strategic/eum_pow.c: the vector pow gives the C
 * library's pow bit for bit.  Every value is checked against pow itself,
 * called here one argument at a time (the reference is the library, not
 * this program): 10^8 seeded random pairs in the expected-utility model's
 * domain (bases in (0, 1], exponents in [1/2, 2]), then constructed ones
 * -- exact powers, results exactly on a rounding midpoint and next to
 * one, bases near 0 and 1, exponents near 1/2, 1 and 2, special values.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strategic/eum_pow.h"

enum { BLOCK = 4096 };

/* splitmix64: the same stream on every run */
static uint64_t next_u64(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static double unit(uint64_t *s) { /* (0, 1] */
  return (double)((next_u64(s) >> 11) + 1) * 0x1p-53;
}

typedef struct check {
  size_t n, calls, bad;
} check;

/* ent_eum_pow_n on m pairs against pow one by one; bits must be equal. */
static void compare(check *c, size_t m, const double *x, const double *y) {
  static double out[BLOCK];
  assert_true(m <= BLOCK);
  c->calls += ent_eum_pow_n(m, x, y, out, 1);
  for (size_t k = 0; k < m; k++) {
    double r = pow(x[k], y[k]);
    if (memcmp(&r, &out[k], sizeof r) != 0) {
      if (c->bad < 10)
        print_error("pow(%a, %a): %a, the library %a\n", x[k], y[k], out[k],
                    r);
      c->bad++;
    }
  }
  c->n += m;
}

static void test_random_domain(void **state) {
  (void)state;
  static double x[BLOCK], y[BLOCK];
  uint64_t s = 20261205;
  check c = {0, 0, 0};
  for (size_t it = 0; it < 100000000 / BLOCK + 1; it++) {
    for (size_t k = 0; k < BLOCK; k++) {
      double u = unit(&s);
      switch (next_u64(&s) & 3) { /* the model's bases: d, 1/2 -+ d/2 */
      case 0: x[k] = u; break;
      case 1: x[k] = 0.5 - 0.5 * u; break;
      case 2: x[k] = 0.5 + 0.5 * u; break;
      default: x[k] = ldexp(u, -(int)(next_u64(&s) % 40)); break;
      }
      y[k] = 0.5 + 1.5 * unit(&s);
    }
    compare(&c, BLOCK, x, y);
  }
  print_message("%zu pairs, %zu (%.2f %%) called pow, %d lanes\n", c.n,
                c.calls, 100.0 * (double)c.calls / (double)c.n,
                ent_eum_pow_lanes());
  assert_int_equal(c.bad, 0);
  assert_true(c.n >= 100000000);
  /* with lanes, the far larger part is the vector code's (about 10 %
   * lie within the margin of a midpoint) */
  if (ent_eum_pow_lanes() > 1) assert_true(c.calls < c.n / 5);
}

/* Pairs added to a block, compared when it is full (and at the end). */
typedef struct feed {
  double x[BLOCK], y[BLOCK];
  size_t m;
  check c;
} feed;

static void add(feed *f, double x, double y) {
  f->x[f->m] = x;
  f->y[f->m++] = y;
  if (f->m == BLOCK) {
    compare(&f->c, f->m, f->x, f->y);
    f->m = 0;
  }
}

static void test_constructed(void **state) {
  (void)state;
  static feed f;
  memset(&f, 0, sizeof f);
  uint64_t s = 7;
  for (int t = 0; t < 200000; t++) {
    /* x^2 with x of 27 bits: 54 bits, exactly half-way between doubles;
     * of 26 bits: exact; and the neighbours of both */
    double odd = (double)((next_u64(&s) >> 37) | 1 | (1ull << 26));
    double x27 = ldexp(odd, -27 - (int)(next_u64(&s) % 3));
    double x26 = ldexp(floor(odd / 2), -26);
    add(&f, x27, 2.0);
    add(&f, x26, 2.0);
    add(&f, nextafter(x27, 0.0), 2.0);
    add(&f, nextafter(x27, 1.0), 2.0);
    /* t^3 with t of 18 bits: 54 bits, a midpoint, as x^3 and (t^2)^1.5 */
    double t18 = ldexp((double)((next_u64(&s) >> 46) | 1 | (1ull << 17)), -18);
    add(&f, t18, 3.0);
    add(&f, t18 * t18, 1.5);
    add(&f, t18 * t18, nextafter(1.5, 2.0));
    /* exact square roots: (a/2^e)^2 ^ 1/2 */
    double a = ldexp((double)(next_u64(&s) >> 38), -26);
    add(&f, a * a, 0.5);
    add(&f, nextafter(a * a, 1.0), 0.5);
    /* exponents next to 1/2, 1, 2 */
    double u = unit(&s);
    int k = (int)(next_u64(&s) % 8) + 1;
    add(&f, u, 0.5 + k * 0x1p-53);
    add(&f, u, 1.0 - k * 0x1p-53);
    add(&f, u, 1.0);
    add(&f, u, 1.0 + k * 0x1p-52);
    add(&f, u, 2.0 - k * 0x1p-52);
    /* bases next to 1 and next to 0 (also out of the vector domain) */
    add(&f, 1.0 - k * 0x1p-53 * (double)(t % 1000 + 1), 0.5 + 1.5 * u);
    add(&f, 1.0 - ldexp(u, -(t % 60)), 0.5 + 1.5 * unit(&s));
    add(&f, ldexp(u, -(t % 1100)), 0.25 + 3.75 * unit(&s));
    /* powers of two and their neighbours */
    double p2 = ldexp(1.0, -(t % 70));
    add(&f, p2, 2.0);
    add(&f, p2, 0.5);
    add(&f, nextafter(p2, 0.0), 0.5 + 1.5 * u);
  }
  /* special values, and exponents outside the vector domain */
  static const double sx[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 1e300, -0.5,
                              INFINITY, -INFINITY, NAN, 0x1p-1074,
                              0x1p-1022, 0x1p-101, 0x1p-100, 0x1p100,
                              0x1p101, 0.999999999999, 1.000000000001};
  static const double sy[] = {0.0, 1.0, 0.5, 2.0, 0.25, 4.0, 0.2499999, 4.0001,
                              -1.0, -0.5, 3.0, 1e10, -1e10, INFINITY,
                              -INFINITY, NAN, 0x1p-60};
  for (size_t i = 0; i < sizeof sx / sizeof sx[0]; i++)
    for (size_t j = 0; j < sizeof sy / sizeof sy[0]; j++) add(&f, sx[i], sy[j]);
  compare(&f.c, f.m, f.x, f.y);
  print_message("%zu constructed pairs, %zu called pow\n", f.c.n, f.c.calls);
  assert_int_equal(f.c.bad, 0);
}

/* Lengths 0 .. 40 (the tail of a vector), and the scalar way. */
static void test_lengths(void **state) {
  (void)state;
  double x[40], y[40], out[40];
  uint64_t s = 3;
  for (size_t m = 0; m <= 40; m++) {
    for (size_t k = 0; k < m; k++) {
      x[k] = unit(&s);
      y[k] = 0.5 + 1.5 * unit(&s);
    }
    for (int v = 0; v <= 1; v++) {
      for (size_t k = 0; k < 40; k++) out[k] = -1.0;
      size_t calls = ent_eum_pow_n(m, x, y, out, v);
      if (!v) assert_int_equal(calls, m);
      for (size_t k = 0; k < m; k++) {
        double r = pow(x[k], y[k]);
        assert_memory_equal(&r, &out[k], sizeof r);
      }
      for (size_t k = m; k < 40; k++) assert_true(out[k] == -1.0);
    }
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lengths),
      cmocka_unit_test(test_constructed),
      cmocka_unit_test(test_random_domain),
  };
  return cmocka_run_group_tests_name("eum_pow", tests, NULL, NULL);
}
