/*
 * test_num.c -- the exact number conversions of src/base/num.c against the
 * C library: ent_num_g and ent_num_f byte for byte against snprintf,
 * ent_num_parse bit for bit against strtod, and ent_fmt_double /
 * ent_parse_double against their previous implementations (the
 * snprintf/strtod ones, kept as *_ref), on seeded random values of every
 * magnitude and on edge cases (zeros, ties, subnormals, carries, long digit
 * strings).  Where num.c declines (-1) nothing is compared but the
 * fallback's result, which the *_ref comparison covers.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "base/num.h"
#include "testutil.h"

static uint64_t mix(uint64_t *s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static int same_bits(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

/* A random double: random bits (any magnitude), or a value of a table
 * (flows, shares, hats) with few or many digits, or a dyadic tie. */
static double random_value(uint64_t *s) {
  uint64_t u = mix(s);
  double x;
  switch (u % 8) {
  case 0: { /* any finite double */
    uint64_t b = mix(s);
    memcpy(&x, &b, sizeof x);
    if (!isfinite(x)) x = 1.0;
    return x;
  }
  case 1: /* magnitudes 1e-12 .. 1e20 */
    return ldexp((double)(mix(s) >> 11), -53) *
           pow(10.0, (double)((int)(mix(s) % 33) - 12));
  case 2: /* short decimals: k / 10^j */
    return (double)(int64_t)(mix(s) % 2000001 - 1000000) /
           pow(10.0, (double)(mix(s) % 9));
  case 3: /* dyadic: exact ties at some precision */
    return ldexp((double)(mix(s) % 100000), -(int)(mix(s) % 20));
  case 4: /* near 1 (hats) */
    return 1.0 + ((double)(mix(s) >> 11) * 0x1p-53 - 0.5) * 1e-3;
  case 5: /* integers */
    return (double)(mix(s) >> (mix(s) % 64));
  case 6: /* neighbours of powers of ten */
    x = pow(10.0, (double)((int)(mix(s) % 40) - 20));
    return (mix(s) & 1) ? nextafter(x, 0.0) : nextafter(x, INFINITY);
  default: /* flows */
    return (double)(mix(s) >> 11) * 0x1p-53 * 40.0 * (double)(1 + mix(s) % 5000);
  }
}

static void check_g(double x, int p) {
  char a[ENT_NUM_BUF], b[64];
  int rt = -1;
  int len = ent_num_g(a, x, p, &rt);
  if (len < 0) return; /* declined: the callers use snprintf */
  snprintf(b, sizeof b, "%.*g", p, x);
  if (strcmp(a, b) != 0)
    fail_msg("%%.%dg of %a: '%s', snprintf '%s'", p, x, a, b);
  assert_int_equal((size_t)len, strlen(b));
  int back = strtod(b, NULL) == x;
  if (rt != back)
    fail_msg("%%.%dg of %a ('%s'): round trip %d, strtod says %d", p, x, b,
             rt, back);
}

static void check_f(double x, int prec, int plus) {
  char a[ENT_NUM_BUF], b[512];
  int len = ent_num_f(a, x, prec, plus);
  if (len < 0) return;
  snprintf(b, sizeof b, plus ? "%+.*f" : "%.*f", prec, x);
  if (strcmp(a, b) != 0)
    fail_msg("%s%d f of %a: '%s', snprintf '%s'", plus ? "%+." : "%.", prec,
             x, a, b);
  assert_int_equal((size_t)len, strlen(b));
}

static void check_fmt_double(double x) {
  char a[40], b[40], c[ENT_NUM_BUF];
  ent_fmt_double(a, sizeof a, x);
  ent_fmt_double_ref(b, sizeof b, x);
  if (strcmp(a, b) != 0)
    fail_msg("ent_fmt_double(%a): '%s', reference '%s'", x, a, b);
  if (ent_num_shortest(c, x) >= 0 && strcmp(c, b) != 0)
    fail_msg("ent_num_shortest(%a): '%s', reference '%s'", x, c, b);
}

static const double EDGE[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, 0.125, 0.375, 2.5, 3.5, 0.25, 1.5, 1e15, 1e16,
    1e17, 9.5, 99.5, 999.5, 0.05, 0.15, 0.45, 1e-5, 1e-4, 9.9999e-5,
    123456789012345678.0, 9007199254740992.0, 9007199254740993.0,
    4503599627370496.0, 1e22, 1e23, 1e300, 1e308, DBL_MAX, DBL_MIN,
    4.9406564584124654e-324, 2.2250738585072009e-308, 1e-320, 0.1, 0.2, 0.3,
    1.0 / 3.0, 2.0 / 3.0, 100.0, 1234.5, 0.0001234, 5e-5, 999999999999999.9,
    9999999999999998.0, 0.9999999999999999, 1.0000000000000002, 0.30000000000000004,
    123.456, 22.0 / 7.0, 0x1p-60, 0x1p60, 0x1p63, 0x1p64, 0x1p100, 0x1.fffffffffffffp+52,
    0x1p52, 0x1p53, 0x1p-1, 0x1p-10, 0x1.8p-3};

static void test_g(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof EDGE / sizeof EDGE[0]; i++)
    for (int p = 1; p <= 17; p++) {
      check_g(EDGE[i], p);
      check_g(-EDGE[i], p);
    }
  uint64_t s = 20261204u;
  for (int it = 0; it < 60000; it++) {
    double x = random_value(&s);
    static const int ps[] = {15, 16, 17, 6, 1, 2, 10};
    for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) check_g(x, ps[k]);
    /* powers of two below a decimal edge: the half-ulp case */
    check_g(ldexp(1.0, (int)(mix(&s) % 200) - 100), 15);
    check_g(ldexp(1.0, (int)(mix(&s) % 200) - 100), 16);
  }
  /* not finite: declined */
  char buf[ENT_NUM_BUF];
  assert_int_equal(ent_num_g(buf, NAN, 15, NULL), -1);
  assert_int_equal(ent_num_g(buf, INFINITY, 15, NULL), -1);
  assert_int_equal(ent_num_g(buf, -INFINITY, 6, NULL), -1);
  /* the common range is handled (this is a speed path, not a no-op) */
  assert_true(ent_num_g(buf, 1234.5678, 17, NULL) > 0);
  assert_true(ent_num_g(buf, 0.000123, 17, NULL) > 0);
  assert_true(ent_num_g(buf, 1e20, 17, NULL) > 0);
}

static void test_f(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof EDGE / sizeof EDGE[0]; i++)
    for (int prec = 0; prec <= 9; prec++)
      for (int plus = 0; plus < 2; plus++) {
        check_f(EDGE[i], prec, plus);
        check_f(-EDGE[i], prec, plus);
      }
  /* ties at 2 and 3 decimals, and values that round to -0.000 */
  check_f(0.125, 2, 0);
  check_f(0.375, 2, 1);
  check_f(-0.0625, 3, 1);
  check_f(-0.0001, 3, 1);
  check_f(2.5, 0, 0);
  check_f(3.5, 0, 0);
  uint64_t s = 7u;
  for (int it = 0; it < 60000; it++) {
    double x = random_value(&s);
    check_f(x, 3, 1);
    check_f(x, 4, 0);
    check_f(x, (int)(mix(&s) % 10), (int)(mix(&s) & 1));
    check_f(100.0 * (x - 1.0), 3, 1);
  }
  char buf[ENT_NUM_BUF];
  assert_int_equal(ent_num_f(buf, NAN, 3, 1), -1);
  assert_true(ent_num_f(buf, -12.3456, 3, 1) > 0);
  assert_string_equal(buf, "-12.346");
  assert_true(ent_num_f(buf, 0.125, 2, 0) > 0);
  assert_string_equal(buf, "0.12"); /* half to even, as printf */
}

static void test_fmt_double(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof EDGE / sizeof EDGE[0]; i++) {
    check_fmt_double(EDGE[i]);
    check_fmt_double(-EDGE[i]);
  }
  check_fmt_double(NAN);
  check_fmt_double(INFINITY);
  check_fmt_double(-INFINITY);
  uint64_t s = 99u;
  for (int it = 0; it < 200000; it++) check_fmt_double(random_value(&s));
  char buf[40];
  ent_fmt_double(buf, sizeof buf, -0.0);
  assert_string_equal(buf, "0");
  ent_fmt_double(buf, sizeof buf, 0.1);
  assert_string_equal(buf, "0.1");
  ent_fmt_double(buf, sizeof buf, 1.0 / 3.0);
  assert_string_equal(buf, "0.3333333333333333");
  ent_fmt_double(buf, sizeof buf, 1e22);
  assert_string_equal(buf, "1e+22");
  /* the common range is handled without snprintf */
  char c[ENT_NUM_BUF];
  assert_true(ent_num_shortest(c, 53622.640137675917) > 0);
  assert_string_equal(c, "53622.64013767592");
  assert_true(ent_num_shortest(c, -0.0) > 0);
  assert_string_equal(c, "0");
}

/* ent_num_parse against strtod (when it accepts), and ent_parse_double
 * against its strtod-only reference (always: result, value, message). */
static void check_parse(const char *t) {
  size_t n = strlen(t);
  double a = 0.0, b = 0.0;
  if (ent_num_parse(t, n, &a) == 0) {
    double c = strtod(t, NULL);
    if (!same_bits(a, c))
      fail_msg("'%s': fast %a, strtod %a", t, a, c);
  }
  const char *wa = NULL, *wb = NULL;
  a = b = 12345.0;
  int ra = ent_parse_double(t, n, &a, &wa);
  int rb = ent_parse_double_ref(t, n, &b, &wb);
  if (ra != rb || !same_bits(a, b) || (ra && strcmp(wa, wb) != 0))
    fail_msg("'%s': ent_parse_double %d %a (%s), reference %d %a (%s)", t, ra,
             a, ra ? wa : "", rb, b, rb ? wb : "");
}

static const char *const PARSE_EDGE[] = {
    "0", "-0", "+0", "0.0", "-0.0", "00012", "-00012.50", "+7", ".5", "5.",
    "-.5", "1e308", "1.7976931348623157e308", "1.8e308", "1e-320", "-1e-320",
    "4.9e-324", "2.2250738585072014e-308", "2.2250738585072011e-308", "1e-400",
    "1e22", "1e23", "9007199254740993", "9007199254740992", "9007199254740995",
    "18446744073709551615", "18446744073709551616", "1234567890123456789",
    "12345678901234567890", "1234567890123456789000", "0.1234567890123456789",
    "0.12345678901234567891", "1.00000000000000000000000000000000001",
    "0.000000000000000000000000000000000000001", "100000000000000000000000",
    "1E5", "1e+05", "1e-05", "  42  ", "\t-3.25\t", "1.5e", "1.5e+", "abc", "",
    "1,5", "nan", "inf", "0x1p3", "--1", "1e99999999999", "1e-99999999999",
    "0.30000000000000004", "0.3", "2.5e-1", "123456789012345678901234567890",
    "0.000123", "53622.640137675917", "2.675", "1e-22", "1e-23", "3e-21",
    "9.999999999999999e22", "8.98846567431158e307", "0e999", "-0e-999",
    "00000000000000000000000000001", "1.000000000000000000000000000000",
    "0.00000000000000000000000000000000000000000000000001e50"};

static void test_parse(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof PARSE_EDGE / sizeof PARSE_EDGE[0]; i++)
    check_parse(PARSE_EDGE[i]);
  uint64_t s = 31337u;
  char t[512];
  for (int it = 0; it < 40000; it++) {
    double x = random_value(&s);
    /* the ways numbers get printed */
    for (int k = 0; k < 9; k++) {
      switch (k) {
      case 0: snprintf(t, sizeof t, "%.17g", x); break;
      case 1: snprintf(t, sizeof t, "%.6f", x); break;
      case 2: snprintf(t, sizeof t, "%e", x); break;
      case 3: snprintf(t, sizeof t, "%.15g", x); break;
      case 4: snprintf(t, sizeof t, "%.3f", x); break;
      case 5: snprintf(t, sizeof t, "%.16g", x); break;
      case 6: snprintf(t, sizeof t, "%.20e", x); break;
      case 7: snprintf(t, sizeof t, "%g", x); break;
      default: snprintf(t, sizeof t, "%.12E", x); break;
      }
      check_parse(t);
    }
    /* random digit strings: up to 25 digits, a point, an exponent */
    size_t n = 0;
    if (mix(&s) & 1) t[n++] = (mix(&s) & 1) ? '-' : '+';
    int nd = 1 + (int)(mix(&s) % 25), point = (int)(mix(&s) % (nd + 1));
    for (int d = 0; d < nd; d++) {
      if (d == point && d) t[n++] = '.';
      t[n++] = (char)('0' + (int)(mix(&s) % 10));
    }
    if (mix(&s) % 3 == 0)
      n += (size_t)snprintf(t + n, sizeof t - n, "e%d",
                            (int)(mix(&s) % 81) - 40);
    t[n] = '\0';
    check_parse(t);
    /* integers */
    snprintf(t, sizeof t, "%llu", (unsigned long long)(mix(&s) >> (mix(&s) % 64)));
    check_parse(t);
  }
  /* the common range is handled by num.c */
  double v;
  assert_int_equal(ent_num_parse("53622.640137675917", 18, &v), 0);
  assert_int_equal(ent_num_parse("0.25", 4, &v), 0);
  assert_true(v == 0.25);
  assert_int_equal(ent_num_parse("1e-320", 6, &v), -1); /* subnormal */
}

/* ------------------------------------------ the filtered fast paths
 *
 * num.c decides most conversions with a truncated 64 x 128-bit product
 * and an error bound, and hands the undecided ones to its exact 128-bit
 * code: millions of values of every binade, exact ties and powers of ten
 * against the C library. */

/* A double of random bits with its exponent field uniform over all
 * binades (subnormals included), finite. */
static double any_binade(uint64_t *s) {
  uint64_t mant = mix(s) & ((1ull << 52) - 1), ex = mix(s) % 2047;
  uint64_t b = (ex << 52) | mant | (mix(s) & (1ull << 63));
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

/* ent_num_shortest, when it answers, against ent_fmt_double_ref
 * (snprintf "%.15g", "%.16g", "%.17g" and strtod's round trip). */
static void check_shortest(double x) {
  char a[ENT_NUM_BUF], b[40];
  ent_fmt_double_ref(b, sizeof b, x);
  int len = ent_num_shortest(a, x);
  if (len < 0) return;
  if (strcmp(a, b) != 0)
    fail_msg("ent_num_shortest(%a): '%s', snprintf/strtod '%s'", x, a, b);
  assert_int_equal((size_t)len, strlen(b));
}

/* 10^15 <= c 5^j < 10^(15 + extra) with c odd below 2^53: x = c 2^-j is a
 * double whose decimal expansion (c 5^j 10^-j) has 16 (extra = 1) or 17
 * (extra = 2) significant digits ending in 5 -- an exact tie of "%.15g"
 * or "%.16g". */
static double tie_value(uint64_t *s, int extra) {
  for (;;) {
    int j = 1 + (int)(mix(s) % 22);
    double p5 = pow(5.0, (double)j);
    double lo = (extra == 1 ? 1e15 : 1e16) / p5, hi = 10.0 * lo;
    if (hi > 9007199254740991.0) hi = 9007199254740991.0;
    if (lo < 1.0) lo = 1.0;
    if (lo >= hi) continue;
    uint64_t c = (uint64_t)(lo + (hi - lo) * ((double)(mix(s) >> 11) * 0x1p-53));
    c |= 1;
    if ((double)c < lo || (double)c >= hi) continue;
    return ldexp((double)c, -j) * ((mix(s) & 1) ? 1.0 : -1.0);
  }
}

static void test_shortest_many(void **state) {
  (void)state;
  uint64_t s = 20261205u;
  /* every binade, subnormals included */
  for (int it = 0; it < 1000000; it++) check_shortest(any_binade(&s));
  /* the magnitudes of tables, and the other shapes of random_value */
  for (int it = 0; it < 500000; it++) check_shortest(random_value(&s));
  /* exact ties of "%.15g" and "%.16g" (the fast path must not decide
   * them), and integers ending in 5 */
  for (int it = 0; it < 100000; it++) {
    double x = tie_value(&s, 1 + (int)(it & 1));
    char b[64];
    snprintf(b, sizeof b, "%.25g", fabs(x)); /* the exact expansion */
    check_shortest(x);
    check_shortest(nextafter(x, 0.0));
    check_shortest(nextafter(x, INFINITY));
    check_shortest((double)(1000000000000000ull +
                            10 * (mix(&s) % 800000000000000ull) + 5));
  }
  /* powers of ten and their neighbours, powers of two */
  char t[32];
  for (int k = -323; k <= 308; k++) {
    snprintf(t, sizeof t, "1e%d", k);
    double x = strtod(t, NULL);
    check_shortest(x);
    check_shortest(nextafter(x, 0.0));
    check_shortest(nextafter(x, INFINITY));
  }
  for (int k = -1074; k <= 1023; k++) check_shortest(ldexp(1.0, k));
  /* each binade's largest double and its neighbour below (the decimal
   * exponent comes from the binade and one comparison) */
  for (int k = -1073; k <= 1024; k++) {
    double top = nextafter(ldexp(1.0, k), 0.0);
    check_shortest(top);
    check_shortest(nextafter(top, 0.0));
  }
  /* every layout of the text: 1..17 significant digits (inner zeros, the
   * last one not 0) at every decimal exponent of the fixed notation and
   * past its edges (-5..16), shortest and in "%.15g", "%.16g", "%.17g" */
  for (int it = 0; it < 20 * 17 * 27; it++) {
    int nd = 1 + it % 17, ex = -7 + (it / 17) % 27;
    char d[40];
    size_t n = 0;
    for (int i = 0; i < nd; i++)
      d[n++] = (char)(i == 0 || i == nd - 1 ? '1' + (int)(mix(&s) % 9)
                                            : '0' + (int)(mix(&s) % 10));
    snprintf(d + n, sizeof d - n, "e%d", ex - nd + 1);
    double x = strtod(d, NULL);
    check_shortest(x);
    check_shortest(-x);
    for (int p = 15; p <= 17; p++) check_g(x, p);
  }
  /* the fast path answers the common cases */
  char c[ENT_NUM_BUF];
  assert_int_equal(ent_num_shortest(c, 0x1.fffffffffffffp+1023), 23);
  assert_string_equal(c, "1.7976931348623157e+308");
  /* subnormals: 15 digits read back (glibc's printf and strtod) */
  assert_true(ent_num_shortest(c, 4.9406564584124654e-324) > 0);
  assert_string_equal(c, "4.94065645841247e-324");
  assert_true(ent_num_shortest(c, 3e-310) > 0);
  assert_string_equal(c, "2.99999999999999e-310");
  assert_true(ent_num_shortest(c, 1e-300) > 0);
  assert_string_equal(c, "1e-300");
}

/* A decimal string of 1..19 significant digits and an exponent in
 * -330..310 (as written: the value's exponent also counts the point). */
static void random_decimal(uint64_t *s, char *t, size_t size) {
  size_t n = 0;
  if (mix(s) % 4 == 0) t[n++] = '-';
  int nd = 1 + (int)(mix(s) % 19), point = (int)(mix(s) % (nd + 1));
  for (int d = 0; d < nd; d++) {
    if (d == point && d) t[n++] = '.';
    int digit = (int)(mix(s) % 10);
    if (d == 0 && digit == 0) digit = 1 + (int)(mix(s) % 9);
    t[n++] = (char)('0' + digit);
  }
  snprintf(t + n, size - n, "e%d", (int)(mix(s) % 641) - 330);
}

static void test_parse_many(void **state) {
  (void)state;
  uint64_t s = 4242u;
  char t[64];
  for (int it = 0; it < 1500000; it++) {
    random_decimal(&s, t, sizeof t);
    double a = 0.0;
    if (ent_num_parse(t, strlen(t), &a) == 0) {
      double c = strtod(t, NULL);
      if (!same_bits(a, c)) fail_msg("'%s': fast %a, strtod %a", t, a, c);
    }
  }
  /* 17 significant digits, as "%.17g" writes them, of every binade */
  for (int it = 0; it < 500000; it++) {
    double x = any_binade(&s), a = 0.0;
    snprintf(t, sizeof t, (it & 1) ? "%.17g" : "%.16e", x);
    if (ent_num_parse(t, strlen(t), &a) == 0 && !same_bits(a, x))
      fail_msg("'%s': fast %a, strtod %a", t, a, x);
  }
  /* decimal halfway points between neighbouring doubles (19 digits
   * cannot hold most of them: then the nearest 19-digit strings) */
  for (int it = 0; it < 200000; it++) {
    double x = fabs(random_value(&s));
    if (!(x > 0.0) || !isfinite(x)) continue;
    double y = nextafter(x, INFINITY);
    snprintf(t, sizeof t, "%.18e", x + (y - x) / 2);
    check_parse(t);
  }
  double v;
  assert_int_equal(ent_num_parse("145.08687139236787", 18, &v), 0);
  assert_true(v == 145.08687139236787);
  assert_int_equal(ent_num_parse("9.999999999999999e-300", 22, &v), 0);
  assert_true(v == 9.999999999999999e-300);
}

/* The digit runs read eight bytes at a time: every length, leading and
 * inner zeros, the bytes next to '0'..'9' ('/', ':', 0x80 and up) right
 * after a run, and a field inside a longer text (nothing past n may be
 * read as a digit).  Up to 15 significant digits and |exponent| <= 22
 * are exact conversions: always accepted, and equal to strtod. */
static void test_parse_runs(void **state) {
  (void)state;
  static const char after[] = {'/', ':', ',', '\n', ' ', 'e', '.', (char)0x80,
                               (char)0xB9, (char)0xFF, '5'};
  uint64_t s = 777u;
  char t[96], u[96];
  for (int it = 0; it < 300000; it++) {
    size_t n = 0;
    if (mix(&s) % 4 == 0) t[n++] = '-';
    int lz = (int)(mix(&s) % 4), ni = (int)(mix(&s) % 16), nf = (int)(mix(&s) % 16);
    for (int k = 0; k < lz; k++) t[n++] = '0';
    int sig = 0;
    for (int k = 0; k < ni; k++) {
      int d = (int)(mix(&s) % 10);
      if (mix(&s) % 3 == 0) d = 0;
      t[n++] = (char)('0' + d);
    }
    if (nf || !ni) {
      t[n++] = '.';
      for (int k = 0; k < nf; k++) {
        int d = (int)(mix(&s) % 10);
        if (mix(&s) % 3 == 0) d = 0;
        t[n++] = (char)('0' + d);
      }
    }
    if (!ni && !nf) t[n++] = '7';
    t[n] = '\0';
    /* significant digits: from the first nonzero one */
    for (size_t k = 0, on = 0; k < n; k++) {
      if (t[k] >= '1' && t[k] <= '9') on = 1;
      if (on && t[k] >= '0' && t[k] <= '9') sig++;
    }
    int frac_digits = 0;
    const char *dot = strchr(t, '.');
    if (dot) frac_digits = (int)strlen(dot + 1);
    double a = -1.0;
    int ok = ent_num_parse(t, n, &a) == 0;
    double c = strtod(t, NULL);
    if (ok && !same_bits(a, c)) fail_msg("'%s': fast %a, strtod %a", t, a, c);
    if (!ok && sig <= 15 && frac_digits <= 22)
      fail_msg("'%s' (%d significant digits) refused", t, sig);
    /* the same field followed by other bytes, or inside digits */
    memcpy(u, t, n);
    u[n] = after[mix(&s) % sizeof after];
    memset(u + n + 1, '0' + (int)(mix(&s) % 10), 16);
    u[n + 17] = '\0';
    double b = -2.0;
    int okb = ent_num_parse(u, n, &b) == 0;
    if (okb != ok || (ok && !same_bits(a, b)))
      fail_msg("'%s' read inside '%s': %d %a, alone %d %a", t, u, okb, b, ok, a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_g),
      cmocka_unit_test(test_f),
      cmocka_unit_test(test_fmt_double),
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_shortest_many),
      cmocka_unit_test(test_parse_many),
      cmocka_unit_test(test_parse_runs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
