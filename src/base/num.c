/*
 * num.c -- see num.h.  Exact conversions between doubles and decimal text
 * with 128-bit integers.
 *
 * A positive double is x = m 2^e (m < 2^53).  For a decimal scale k,
 * x 10^k = num/den exactly with num = m 2^max(e,0) 10^max(k,0) and
 * den = 2^max(-e,0) 10^max(-k,0); when both stay below 2^124 the quotient
 * q = floor(num/den) and remainder r are exact, so the correctly rounded
 * decimal (half to even: up when 2r > den, or 2r = den and q odd) is what
 * printf prints.  The same numbers decide whether the decimal D reads back
 * to x: with A = 2^max(e,0) 10^max(k,0) (one unit in the last place of x,
 * times 10^k den) and d = den |D 10^k - x 10^k|, D lies strictly inside
 * x's rounding interval iff 2d < A (4d < A below a power of two, where the
 * next smaller double is half an ulp away), and on its edge iff equal,
 * where ties go to the even mantissa.
 *
 * Reading: digits w (at most 19 significant) times 10^E.  When w < 2^53 and
 * |E| <= 22 one IEEE multiplication or division of two exact doubles is
 * correctly rounded (Clinger's fast path); otherwise w 10^E, or
 * w 2^s / 10^-E with the remainder as a sticky bit, is rounded to 53 bits
 * by hand, half to even.  Anything else is left to strtod.
 *
 * Prefixes: ent_num_.
 */
#include "base/num.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__SIZEOF_INT128__) && defined(__GNUC__) && FLT_RADIX == 2 && \
    DBL_MANT_DIG == 53 && defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define NUM_FAST 1
__extension__ typedef unsigned __int128 u128;
#else
#define NUM_FAST 0
#endif

#if NUM_FAST

#include "base/num_pow10.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NUM_LE 1
#else
#define NUM_LE 0
#endif

static const uint64_t P10[20] = {1ull,
                                 10ull,
                                 100ull,
                                 1000ull,
                                 10000ull,
                                 100000ull,
                                 1000000ull,
                                 10000000ull,
                                 100000000ull,
                                 1000000000ull,
                                 10000000000ull,
                                 100000000000ull,
                                 1000000000000ull,
                                 10000000000000ull,
                                 100000000000000ull,
                                 1000000000000000ull,
                                 10000000000000000ull,
                                 100000000000000000ull,
                                 1000000000000000000ull,
                                 10000000000000000000ull};

/* 10^0 .. 10^22: exact doubles. */
static const double P10D[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                1e18, 1e19, 1e20, 1e21, 1e22};

/* 10^k for 0 <= k <= 38 (10^38 < 2^127). */
static u128 pow10_128(int k) {
  return k <= 19 ? (u128)P10[k] : (u128)P10[19] * P10[k - 19];
}

static int bitlen64(uint64_t v) { return v ? 64 - __builtin_clzll(v) : 0; }

static int bitlen(u128 v) {
  uint64_t hi = (uint64_t)(v >> 64);
  return hi ? 64 + bitlen64(hi) : bitlen64((uint64_t)v);
}

/* x > 0, finite: x = m 2^e. */
static void decompose(double x, uint64_t *m, int *e) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  int be = (int)((bits >> 52) & 0x7ff);
  uint64_t f = bits & ((1ull << 52) - 1);
  if (be == 0) {
    *m = f;
    *e = -1074;
  } else {
    *m = f | (1ull << 52);
    *e = be - 1075;
  }
}

/* x 10^k = (q + r/den) exactly, and A = ulp(x) 10^k den (see the top). */
typedef struct scaled {
  u128 q, r, den, A;
} scaled;

/* Fills s for x = m 2^e and scale k; -1 when a number would reach 2^124. */
static int scale(uint64_t m, int e, int k, scaled *s) {
  if (k > 38 || k < -38 || e > 124 || e < -124) return -1;
  u128 num = m, den = 1, A = 1;
  if (e >= 0) {
    if (bitlen64(m) + e > 124) return -1;
    num <<= e;
    A <<= e;
  } else {
    den <<= -e;
  }
  if (k >= 0) {
    u128 p = pow10_128(k);
    if (bitlen(num) + bitlen(p) > 124) return -1;
    num *= p;
    A *= p; /* A <= num */
  } else {
    u128 p = pow10_128(-k);
    if (bitlen(den) + bitlen(p) > 124) return -1;
    den *= p;
  }
  if (k >= 0 && e < 0) { /* den = 2^-e */
    s->q = num >> -e;
    s->r = num & (den - 1);
  } else {
    s->q = num / den;
    s->r = num % den;
  }
  s->den = den;
  s->A = A;
  return 0;
}

/* The p significant digits of x = m 2^e (> 0) rounded half to even: w in
 * [10^(p-1), 10^p) and the decimal exponent X (x ~ w 10^(X-p+1)); *rt as
 * in ent_num_g.  -1 out of range. */
static int g_digits(uint64_t m, int e, int p, uint64_t *w, int *X, int *rt) {
  int b2 = bitlen64(m) - 1 + e; /* floor(log2 x) */
  int x10 = b2 >= 0 ? (b2 * 1233) >> 12 : -((-b2 * 1233 + 4095) >> 12);
  u128 lo = pow10_128(p - 1), hi = pow10_128(p);
  scaled s;
  int found = 0;
  for (int tries = 0; tries < 4 && !found; tries++) {
    if (scale(m, e, p - 1 - x10, &s)) return -1;
    if (s.q >= hi)
      x10++;
    else if (s.q < lo)
      x10--;
    else
      found = 1;
  }
  if (!found) return -1;
  int up = 2 * s.r > s.den || (2 * s.r == s.den && (s.q & 1));
  u128 d = up ? s.den - s.r : s.r;
  if (rt) {
    int lowhalf = m == (1ull << 52) && e > -1074;
    if (d == 0)
      *rt = 1;
    else if (!up && lowhalf)
      *rt = 4 * d <= s.A;
    else
      *rt = 2 * d < s.A || (2 * d == s.A && !(m & 1));
  }
  u128 v = s.q + (u128)up;
  if (v == hi) {
    v = lo;
    x10++;
  }
  *w = (uint64_t)v;
  *X = x10;
  return 0;
}

static const char PAIRS[] = "00010203040506070809101112131415161718192021222324"
                            "25262728293031323334353637383940414243444546474849"
                            "50515253545556575859606162636465666768697071727374"
                            "75767778798081828384858687888990919293949596979899";

/* The 8 digits of v < 10^8 at o. */
static inline __attribute__((always_inline)) void put8(char *o, uint32_t v) {
  uint32_t a = v / 10000, b = v % 10000;
  memcpy(o, PAIRS + 2 * (a / 100), 2);
  memcpy(o + 2, PAIRS + 2 * (a % 100), 2);
  memcpy(o + 4, PAIRS + 2 * (b / 100), 2);
  memcpy(o + 6, PAIRS + 2 * (b % 100), 2);
}

/* Writes "%.*g" of the digits w (p of them) and exponent X into buf
 * (ENT_NUM_BUF bytes: the copies below move fixed-size blocks, which may
 * reach past the text's end). */
static int put_g(char *buf, int neg, uint64_t w, int X, int p) {
  /* w < 10^17 as 17 digits; its p digits are the last p */
  char all[17 + 24];
  all[0] = (char)('0' + (int)(w / 10000000000000000ull));
  put8(all + 1, (uint32_t)(w / 100000000 % 100000000));
  put8(all + 9, (uint32_t)(w % 100000000));
  memset(all + 17, '0', 24);
  const char *dg = all + 17 - p;
  int nd = p;
  while (nd > 1 && dg[nd - 1] == '0') nd--;
  char *o = buf;
  if (neg) *o++ = '-';
  if (X < -4 || X >= p) {
    *o++ = dg[0];
    if (nd > 1) {
      *o++ = '.';
      memcpy(o, dg + 1, 16);
      o += nd - 1;
    }
    *o++ = 'e';
    int ex = X;
    *o++ = ex < 0 ? '-' : '+';
    if (ex < 0) ex = -ex;
    if (ex >= 100) {
      *o++ = (char)('0' + ex / 100);
      ex %= 100;
    }
    memcpy(o, PAIRS + 2 * ex, 2);
    o += 2;
  } else if (X >= 0) {
    /* the integer digits, then the fraction moved one place right */
    memcpy(o, dg, 17);
    if (nd > X + 1) {
      memcpy(o + X + 2, dg + X + 1, 16);
      o[X + 1] = '.';
      o += nd + 1;
    } else {
      o += X + 1;
    }
  } else { /* 0.000ddd: -X - 1 zeros after the point */
    memcpy(o, "0.0000", 6);
    memcpy(o + 1 - X, dg, 17);
    o += 1 - X + nd;
  }
  *o = '\0';
  return (int)(o - buf);
}

int ent_num_g(char *buf, double x, int p, int *rt) {
  if (!isfinite(x) || p < 1 || p > 17) return -1;
  int neg = signbit(x) != 0;
  if (x == 0.0) {
    if (rt) *rt = 1;
    return put_g(buf, neg, 0, 0, 1);
  }
  uint64_t m, w;
  int e, X;
  decompose(fabs(x), &m, &e);
  if (g_digits(m, e, p, &w, &X, rt)) return -1;
  return put_g(buf, neg, w, X, p);
}

/* ---------------------------------------------- filtered fast paths
 *
 * Both directions first scale by a power of ten with one 64 x 128-bit
 * product against P ~ 10^q 2^-pe (num_pow10.h: P = floor(10^q 2^-pe), in
 * [2^127, 2^128), generated exactly by scripts/gen-pow10), keep the top
 * 128 bits, and bound the error: for a 64-bit M, M 10^q 2^-pe - 2^64 H
 * lies in [0, 2^65) with H = floor(M P / 2^64) (the dropped low word and
 * M (10^q 2^-pe - P) < M are each below 2^64).  A decision whose margin
 * exceeds that bound is the exact path's decision; the rest go to the
 * exact 128-bit code above (or strtod).  This is the filtered-predicate
 * idea (Shewchuk 1997) applied to the truncated-power-of-ten products of
 * Clinger (1990) and Lemire, "Number parsing at a gigabyte per second"
 * (Software: Practice and Experience 51(8), 2021), which reading follows
 * in spirit; the code and its error analysis are this file's own. */

/* floor(M P / 2^64) for the 128-bit P = {hi, lo}: below 2^128. */
static u128 mul_top(uint64_t M, const uint64_t P[2]) {
  return (u128)M * P[0] + (((u128)M * P[1]) >> 64);
}

/* x = m 2^e (m > 0) times 10^k in fixed point: *q = the integer part, *f
 * the next 64 bits of the fraction, truncated, and *A = ulp 10^k 2^64
 * (ulp = 2^e), truncated; the truths lie in [q + f 2^-64, q + (f + 2)
 * 2^-64) and [A, A + 2).  -1 when k is out of the table or the integer
 * part would not leave 65 fraction bits. */
static int fast_scale(uint64_t m, int e, int k, uint64_t *q, uint64_t *f,
                      u128 *A) {
  if (k < NUM_P10_MIN || k > NUM_P10_MAX) return -1;
  int s = __builtin_clzll(m);
  const uint64_t *P = NUM_P10_MANT[k - NUM_P10_MIN];
  int pe = NUM_P10_EXP[k - NUM_P10_MIN];
  /* x 10^k = (m 2^s)(P + theta) 2^(pe + e - s), 0 <= theta < 1 */
  u128 H = mul_top(m << s, P);
  int sh = s - e - pe - 64; /* x 10^k in [H, H + 2) 2^-sh */
  if (sh < 65 || sh > 127) return -1;
  *q = (uint64_t)(H >> sh);
  *f = (uint64_t)(H >> (sh - 64));
  /* ulp 10^k 2^64 = (P + theta) 2^(pe + e + 64) = (P + theta) 2^-(sh - s) */
  *A = (((u128)P[0] << 64) | P[1]) >> (sh - s);
  return 0;
}

/* shortest_digits' result when the truncated scaling decides every
 * rounding and round-trip question beyond its error; -1 otherwise. */
static int fast_shortest(uint64_t m, int e, uint64_t *w, int *X, int *p) {
  int b2 = 63 - __builtin_clzll(m) + e;
  int x10 = b2 >= 0 ? (b2 * 1233) >> 12 : -((-b2 * 1233 + 4095) >> 12);
  uint64_t q = 0, f = 0;
  u128 A = 0;
  int found = 0;
  for (int tries = 0; tries < 3 && !found; tries++) {
    if (fast_scale(m, e, 16 - x10, &q, &f, &A)) return -1;
    if (q >= P10[17])
      x10++;
    else if (q < P10[16])
      x10--;
    else
      found = 1;
  }
  /* the fraction might reach 1: the floor would be uncertain */
  if (!found || f >= UINT64_MAX - 1) return -1;
  int lowhalf = m == (1ull << 52) && e > -1074;
  if (!lowhalf) {
    /* The loop below without branches on the data: both roundings and
     * their round-trip tests, then one choice (a power of two's lower
     * half-interval takes the loop). */
    uint64_t q15 = q / 100, t15 = q - q15 * 100, q16 = q / 10,
             t16 = q - q16 * 10;
    int fz = f == 0;
    int up15 = (t15 > 50) | ((t15 == 50) & ((int)(q15 & 1) | !fz));
    int up16 = (t16 > 5) | ((t16 == 5) & ((int)(q16 & 1) | !fz));
    int tie = ((t15 == 50) & !(q15 & 1) & fz) | ((t16 == 5) & !(q16 & 1) & fz);
    u128 F = f, Ahi = A + 2;
    /* the distances as in the loop, chosen by masks, not branches */
    u128 k15 = -(u128)(unsigned)up15, k16 = -(u128)(unsigned)up16;
    u128 d15 = ((((u128)(100 - t15) << 64) - F - 2) & k15) |
               ((((u128)t15 << 64) + F) & ~k15);
    u128 d16 = ((((u128)(10 - t16) << 64) - F - 2) & k16) |
               ((((u128)t16 << 64) + F) & ~k16);
    int rt15 = 2 * (d15 + 2) < A, no15 = 2 * d15 > Ahi;
    int rt16 = 2 * (d16 + 2) < A, no16 = 2 * d16 > Ahi;
    int up17 = f > (1ull << 63), mid17 = (f > (1ull << 63) - 2) & (up17 ^ 1);
    /* undecided: a tie of 15 or 16 digits (either may be needed), a
     * round trip too close to call, or 17 digits' half */
    int und15 = (rt15 | no15) ^ 1, und16 = (rt16 | no16) ^ 1;
    if (tie | und15 | (((rt15 | rt16) ^ 1) & (und16 | mid17))) return -1;
    uint64_t s15 = -(uint64_t)rt15, s16 = -(uint64_t)(rt16 & (rt15 ^ 1)),
             s17 = ~(s15 | s16);
    uint64_t v = ((q15 + (uint64_t)up15) & s15) |
                 ((q16 + (uint64_t)up16) & s16) | ((q + (uint64_t)up17) & s17);
    int pp = 17 - 2 * rt15 - (rt16 & (rt15 ^ 1));
    *X = x10;
    if (v == P10[pp]) {
      v = P10[pp - 1];
      (*X)++;
    }
    *w = v;
    *p = pp;
    return 0;
  }
  /* q / 100 and q / 10 by constants (multiplications, not divisions) */
  const uint64_t qps[2] = {q / 100, q / 10};
  for (int pp = 15; pp <= 16; pp++) {
    uint64_t u = pp == 15 ? 100 : 10, qp = qps[pp - 15], t = q - qp * u;
    int up;
    if (t != u / 2)
      up = t > u / 2;
    else if (qp & 1)
      up = 1; /* a tie or above: up either way */
    else if (f)
      up = 1; /* surely above the tie */
    else
      return -1; /* a tie, or just above it */
    /* the distance to x in units of 2^-64: [dlo, dlo + 2] */
    u128 dlo = up ? ((u128)(u - t) << 64) - f - 2 : ((u128)t << 64) + f;
    u128 dhi = dlo + 2, Ahi = A + 2;
    int rt;
    if (!up && lowhalf) { /* 4d <= A */
      if (4 * dhi < A)
        rt = 1;
      else if (4 * dlo > Ahi)
        rt = 0;
      else
        return -1;
    } else { /* 2d < A, or 2d = A with an even mantissa */
      if (2 * dhi < A)
        rt = 1;
      else if (2 * dlo > Ahi)
        rt = 0;
      else
        return -1;
    }
    if (rt) {
      *w = qp + (uint64_t)up;
      *X = x10;
      if (*w == P10[pp]) {
        *w = P10[pp - 1];
        (*X)++;
      }
      *p = pp;
      return 0;
    }
  }
  /* 17 digits: up above one half, down below */
  int up;
  if (f > (1ull << 63))
    up = 1;
  else if (f <= (1ull << 63) - 2)
    up = 0;
  else
    return -1;
  *w = q + (uint64_t)up;
  *X = x10;
  if (*w == P10[17]) {
    *w = P10[16];
    (*X)++;
  }
  *p = 17;
  return 0;
}

/* The digits of ent_num_shortest from one exact scaling at 17 digits:
 * q = floor(x 10^k) in [10^16, 10^17) and r/den.  Rounding q to p = 15
 * or 16 digits drops the last u = 100 or 10 of it: qp = q / u, t = q % u,
 * up when t + r/den > u/2 (half to even), and the distance to x, in units
 * of 1/(10^k den), is t den + r (down) or (u - t) den - r (up), compared
 * with A as in g_digits.  den < 2^118 keeps 4 u den below 2^128.  -1 out
 * of range. */
static int shortest_digits(uint64_t m, int e, uint64_t *w, int *X, int *p) {
  int b2 = bitlen64(m) - 1 + e;
  int x10 = b2 >= 0 ? (b2 * 1233) >> 12 : -((-b2 * 1233 + 4095) >> 12);
  scaled s;
  int found = 0;
  for (int tries = 0; tries < 4 && !found; tries++) {
    if (scale(m, e, 16 - x10, &s)) return -1;
    if (s.q >= P10[17])
      x10++;
    else if (s.q < P10[16])
      x10--;
    else
      found = 1;
  }
  if (!found || bitlen(s.den) > 118) return -1;
  uint64_t q = (uint64_t)s.q;
  int lowhalf = m == (1ull << 52) && e > -1074;
  for (int pp = 15; pp <= 16; pp++) {
    uint64_t u = pp == 15 ? 100 : 10, qp = q / u, t = q % u;
    int up = t > u / 2 || (t == u / 2 && (s.r != 0 || (qp & 1)));
    u128 d = up ? (u128)(u - t) * s.den - s.r : (u128)t * s.den + s.r;
    int rt;
    if (d == 0)
      rt = 1;
    else if (!up && lowhalf)
      rt = 4 * d <= s.A;
    else
      rt = 2 * d < s.A || (2 * d == s.A && !(m & 1));
    if (rt) {
      *w = qp + (uint64_t)up;
      *X = x10;
      if (*w == P10[pp]) {
        *w = P10[pp - 1];
        (*X)++;
      }
      *p = pp;
      return 0;
    }
  }
  int up = 2 * s.r > s.den || (2 * s.r == s.den && (q & 1));
  *w = q + (uint64_t)up;
  *X = x10;
  if (*w == P10[17]) {
    *w = P10[16];
    (*X)++;
  }
  *p = 17;
  return 0;
}

int ent_num_shortest(char *buf, double x) {
  if (!isfinite(x)) return -1;
  if (x == 0.0) return put_g(buf, 0, 0, 0, 1); /* -0 too */
  double ax = fabs(x);
  if (ax < 1e15 && ax == (double)(uint64_t)ax) {
    /* an integer below 10^15: "%.15g" prints all of its digits */
    uint64_t v = (uint64_t)ax;
    int nd = (bitlen64(v) * 1233) >> 12;
    if (v >= P10[nd]) nd++;
    return put_g(buf, signbit(x) != 0, v * P10[15 - nd], nd - 1, 15);
  }
  uint64_t m, w;
  int e, X, p;
  decompose(ax, &m, &e);
  if (fast_shortest(m, e, &w, &X, &p) && shortest_digits(m, e, &w, &X, &p))
    return -1;
  return put_g(buf, signbit(x) != 0, w, X, p);
}

int ent_num_f(char *buf, double x, int prec, int plus) {
  if (!isfinite(x) || prec < 0 || prec > 9) return -1;
  int neg = signbit(x) != 0;
  uint64_t w = 0;
  if (x != 0.0) {
    uint64_t m;
    int e;
    scaled s;
    decompose(fabs(x), &m, &e);
    if (scale(m, e, prec, &s)) return -1;
    int up = 2 * s.r > s.den || (2 * s.r == s.den && (s.q & 1));
    u128 v = s.q + (u128)up;
    if (v >> 63) return -1;
    w = (uint64_t)v;
  }
  uint64_t ip = w / P10[prec], fp = w % P10[prec];
  char tmp[24];
  int nt = 0;
  do {
    tmp[nt++] = (char)('0' + (int)(ip % 10));
    ip /= 10;
  } while (ip);
  char *o = buf;
  if (neg)
    *o++ = '-';
  else if (plus)
    *o++ = '+';
  while (nt) *o++ = tmp[--nt];
  if (prec > 0) {
    *o++ = '.';
    for (int i = prec - 1; i >= 0; i--) {
      o[i] = (char)('0' + (int)(fp % 10));
      fp /= 10;
    }
    o += prec;
  }
  *o = '\0';
  return (int)(o - buf);
}

/* N 2^s2 rounded to a double, half to even; `sticky`: the exact value is
 * a little above N 2^s2 (N has at least 54 bits then). */
static double round_bits(u128 N, int sticky, int s2) {
  int L = bitlen(N);
  if (L <= 53) return ldexp((double)(uint64_t)N, s2); /* exact */
  int t = L - 53;
  uint64_t mant = (uint64_t)(N >> t);
  u128 rest = N & (((u128)1 << t) - 1), half = (u128)1 << (t - 1);
  int up = rest > half || (rest == half && (sticky || (mant & 1)));
  return ldexp((double)(mant + (uint64_t)up), t + s2);
}

/* The value of eight decimal digits, one a byte, the first in the lowest
 * byte (little-endian text): pairs, then quads, then the eight. */
static uint64_t digits8(uint64_t c) {
  c = (c * 10 + (c >> 8)) & 0x00FF00FF00FF00FFull;
  c = (c * 100 + (c >> 16)) & 0x0000FFFF0000FFFFull;
  return (c * 10000 + (c >> 32)) & 0xFFFFFFFFull;
}

/* The digits: w (at most 19 significant) and the power of ten; -1 when
 * a nonzero digit would be dropped or the text is not plain decimal. */
static int read_digits(const char *s, size_t n, int *neg, uint64_t *w,
                       long *dexp) {
  size_t i = 0;
  int nd = 0, any = 0;
  long de = 0;
  uint64_t v = 0;
  *neg = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) *neg = s[i++] == '-';
  for (int frac = 0; frac < 2; frac++) {
    if (frac) {
      if (i >= n || s[i] != '.') break;
      i++;
    }
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
      if (NUM_LE && nd > 0 && nd <= 11 && n - i >= 8) {
        /* eight digits at once (SWAR): bytes 0x30..0x39 only */
        uint64_t c;
        memcpy(&c, s + i, 8);
        if ((c & 0xF0F0F0F0F0F0F0F0ull) == 0x3030303030303030ull &&
            ((c + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) ==
                0x3030303030303030ull) {
          v = v * 100000000 + digits8(c - 0x3030303030303030ull);
          nd += 8;
          if (frac) de -= 8;
          i += 7;
          continue;
        }
      }
      int d = s[i] - '0';
      any = 1;
      if (nd == 0 && d == 0) {
        if (frac) de--;
        continue;
      }
      if (nd < 19) {
        v = v * 10 + (uint64_t)d;
        nd++;
        if (frac) de--;
      } else if (d) {
        return -1;
      } else if (!frac) {
        de++;
      }
    }
  }
  if (!any) return -1;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int eneg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    long ev = 0;
    int ed = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, ed++)
      if (ev < 100000) ev = ev * 10 + (s[i] - '0');
    if (!ed) return -1;
    de += eneg ? -ev : ev;
  }
  if (i != n) return -1;
  *w = v;
  *dexp = de;
  return 0;
}

/* w 10^q (w > 0) correctly rounded to a normal double when the
 * truncated product decides the rounding (fast_scale's bound: the truth
 * lies in [H, H + 2) units of H's last bit); -1 otherwise. */
static int fast_parse(uint64_t w, long q, double *out) {
  if (q < NUM_P10_MIN || q > NUM_P10_MAX) return -1;
  int s = __builtin_clzll(w);
  const uint64_t *P = NUM_P10_MANT[q - NUM_P10_MIN];
  int pe = NUM_P10_EXP[q - NUM_P10_MIN];
  u128 H = mul_top(w << s, P); /* w 10^q in [H, H + 2) 2^(pe + 64 - s) */
  int t = (int)(H >> 127) + 74;  /* H has 53 + t bits */
  uint64_t mant = (uint64_t)(H >> t);
  u128 rest = H & (((u128)1 << t) - 1), half = (u128)1 << (t - 1);
  int up;
  if (rest + 2 <= half)
    up = 0; /* surely below one half */
  else if (rest > half)
    up = 1; /* surely above (a carry into mant rounds the same) */
  else
    return -1;
  mant += (uint64_t)up;
  int ef = pe + 64 - s + t + 1075; /* the biased exponent of mant 2^... */
  if (mant == (1ull << 53)) {
    mant >>= 1;
    ef++;
  }
  /* normal results only (at the bottom, one binade of margin) */
  if (ef < 2 || ef > 2046) return -1;
  uint64_t bits = ((uint64_t)ef << 52) | (mant & ((1ull << 52) - 1));
  memcpy(out, &bits, sizeof bits);
  return 0;
}

int ent_num_parse(const char *s, size_t n, double *out) {
  int neg;
  uint64_t w;
  long de;
  if (read_digits(s, n, &neg, &w, &de)) return -1;
  double v;
  if (w == 0) {
    v = 0.0;
  } else if (w <= (1ull << 53) && de >= -22 && de <= 22) {
    v = (double)w; /* exact */
    v = de >= 0 ? v * P10D[de] : v / P10D[-de];
  } else if (fast_parse(w, de, &v) == 0) {
    /* decided by the truncated product */
  } else if (de >= 0) {
    if (de > 38) return -1;
    u128 p = pow10_128((int)de);
    if (bitlen64(w) + bitlen(p) > 127) return -1;
    v = round_bits((u128)w * p, 0, 0);
  } else {
    if (de < -38) return -1;
    u128 den = pow10_128((int)-de);
    int sh = 127 - bitlen64(w);
    u128 num = (u128)w << sh;
    u128 q = num / den;
    if (bitlen(q) < 54) return -1;
    v = round_bits(q, num % den != 0, -sh);
  }
  if (v != 0.0 && !(fabs(v) >= DBL_MIN && fabs(v) <= DBL_MAX)) return -1;
  *out = neg ? -v : v;
  return 0;
}

#else /* no 128-bit integers: always the C library */

int ent_num_g(char *buf, double x, int p, int *rt) {
  (void)buf, (void)x, (void)p, (void)rt;
  return -1;
}

int ent_num_shortest(char *buf, double x) {
  (void)buf, (void)x;
  return -1;
}

int ent_num_f(char *buf, double x, int prec, int plus) {
  (void)buf, (void)x, (void)prec, (void)plus;
  return -1;
}

/* w 10^q (w > 0) correctly rounded to a normal double when the
 * truncated product decides the rounding (fast_scale's bound: the truth
 * lies in [H, H + 2) units of H's last bit); -1 otherwise. */
static int fast_parse(uint64_t w, long q, double *out) {
  if (q < NUM_P10_MIN || q > NUM_P10_MAX) return -1;
  int s = __builtin_clzll(w);
  const uint64_t *P = NUM_P10_MANT[q - NUM_P10_MIN];
  int pe = NUM_P10_EXP[q - NUM_P10_MIN];
  u128 H = mul_top(w << s, P); /* w 10^q in [H, H + 2) 2^(pe + 64 - s) */
  int t = (int)(H >> 127) + 74;  /* H has 53 + t bits */
  uint64_t mant = (uint64_t)(H >> t);
  u128 rest = H & (((u128)1 << t) - 1), half = (u128)1 << (t - 1);
  int up;
  if (rest + 2 <= half)
    up = 0; /* surely below one half */
  else if (rest > half)
    up = 1; /* surely above (a carry into mant rounds the same) */
  else
    return -1;
  mant += (uint64_t)up;
  int ef = pe + 64 - s + t + 1075; /* the biased exponent of mant 2^... */
  if (mant == (1ull << 53)) {
    mant >>= 1;
    ef++;
  }
  /* normal results only (at the bottom, one binade of margin) */
  if (ef < 2 || ef > 2046) return -1;
  uint64_t bits = ((uint64_t)ef << 52) | (mant & ((1ull << 52) - 1));
  memcpy(out, &bits, sizeof bits);
  return 0;
}

int ent_num_parse(const char *s, size_t n, double *out) {
  (void)s, (void)n, (void)out;
  return -1;
}

#endif
