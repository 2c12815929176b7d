/*
 * num.h -- exact decimal conversions of doubles without printf or strtod
 * for the numbers that fit 128-bit integer arithmetic (the common case),
 * so that large tables (`entente gravity`) are read and written fast.
 *
 * Most conversions are decided by a filtered fast path (a truncated
 * 64 x 128-bit product with an error bound, num.c), the rest by exact
 * 128-bit arithmetic.
 *
 * Every function here gives exactly the result of the C library's correctly
 * rounded conversion (glibc's printf rounds the exact binary value, half to
 * even on exact ties, in the default rounding mode; strtod rounds to
 * nearest, ties to even) or says it cannot (returns -1), and the caller
 * then uses printf/strtod.  tests/unit/test_num.c checks both against the
 * C library bit for bit and byte for byte.
 */
#ifndef ENT_NUM_H
#define ENT_NUM_H

#include <stddef.h>

#include "base/util.h"

/* Buffer size that holds every output of the functions below. */
#define ENT_NUM_BUF 48

/* "%.*g" of x with precision p (1..17) into buf (>= ENT_NUM_BUF bytes);
 * returns the length, or -1 when x is not finite or out of the fast range.
 * If rt != NULL, *rt is set to 1 when strtod of the text gives back x
 * exactly, else 0. */
ENT_LOCAL int ent_num_g(char *buf, double x, int p, int *rt);

/* ent_fmt_double's text: the first of "%.15g", "%.16g", "%.17g" that
 * strtod reads back to x, with -0 printed as 0; the length, or -1 (not
 * finite, out of the fast range). */
ENT_LOCAL int ent_num_shortest(char *buf, double x);

/* "%.*f" of x with prec (0..9) decimals, with a '+' before a non-negative
 * value if plus ("%+.*f"); returns the length or -1 (not finite, too
 * large). */
ENT_LOCAL int ent_num_f(char *buf, double x, int prec, int plus);

/* strtod of s[0..n), which the caller has checked is plain decimal syntax
 * ([+-]digits[.digits][(e|E)[+-]digits], at least one digit before the
 * exponent): 0 with the correctly rounded value in *out, or -1 when the
 * text is out of the fast range (more than 19 significant digits, a large
 * exponent, a result that is not a normal double). */
ENT_LOCAL int ent_num_parse(const char *s, size_t n, double *out);

#endif /* ENT_NUM_H */
