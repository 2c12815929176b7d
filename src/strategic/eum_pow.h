/*
 * eum_pow.h -- glibc's pow without its errno wrapper, for the fast path of
 * the expected-utility model (eum.c).  Private to src/strategic/eum*.c.
 *
 * glibc's `pow` (2.28 and later on x86-64: math/w_pow_template.c) is a
 * wrapper: it calls `__ieee754_pow` -- an ifunc that picks
 * __ieee754_pow_fma, _fma4 or _sse2 for the CPU -- and then only looks at
 * the result to set errno (ERANGE on overflow or underflow, EDOM for a
 * NaN from non-NaN arguments); the value it returns is __ieee754_pow's,
 * untouched.  The wrapper is a stack spill, a second call and two or three
 * compares a call: about a sixth of what `pow` costs the model
 * (docs/performance.md, "Tenth round").  The model reads no errno, and its
 * arguments (bases in [0, 1], exponents in [1/2, 2]) never raise one.
 *
 * The static `entente` links libm.a, which defines `__ieee754_pow` (the
 * very symbol the wrapper calls: the same ifunc, so the same variant and
 * the same bits); the weak reference below binds to it.  libm.so.6 does
 * not export it, so in a dynamic link (entente-dynamic, libentente.so, the
 * tests and benches) the reference stays NULL -- hidden, so it is never
 * bound at run time to anything else -- and `pow` is called.  Outside
 * glibc, plain `pow`.
 */
#ifndef ENT_EUM_POW_H
#define ENT_EUM_POW_H

#include <math.h>

#if defined(__GLIBC__) && (defined(__GNUC__) || defined(__clang__))
extern double __ieee754_pow(double, double)
    __attribute__((weak, visibility("hidden")));

/* x^y with glibc's bits: __ieee754_pow where linked, else pow. */
static inline double ent_eum_pow(double x, double y) {
  return __ieee754_pow ? __ieee754_pow(x, y) : pow(x, y);
}
/* The function ent_eum_pow calls, for loops that call it many times. */
static inline double (*ent_eum_pow_fn(void))(double, double) {
  return __ieee754_pow ? __ieee754_pow : pow;
}
#else
static inline double ent_eum_pow(double x, double y) { return pow(x, y); }
static inline double (*ent_eum_pow_fn(void))(double, double) { return pow; }
#endif

#endif /* ENT_EUM_POW_H */
