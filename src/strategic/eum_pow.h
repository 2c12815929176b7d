/*
 * eum_pow.h -- pow(x, y) for many arguments at once, with glibc's bits:
 * a vector pow accurate far below one ULP whose result is kept only where
 * it lies well away from a rounding midpoint (there glibc's pow, whose
 * error is below 0.54 ULP, must return the same double); every other
 * lane, and every argument outside the domain the vector code covers,
 * calls pow.  Private to src/strategic/eum*.c and its tests.
 */
#ifndef ENT_EUM_POW_H
#define ENT_EUM_POW_H

#include <stddef.h>

#include "base/util.h"

/* out[k] = pow(x[k], y[k]) for k < m, bit for bit what the C library's
 * pow returns (glibc 2.28 or later: see eum_pow.c).  out may not alias x
 * or y.  `vector` 0 calls pow for every k (the reference); else the
 * widest kernel this CPU runs (AVX-512F 8 lanes, AVX2+FMA 4 lanes) where
 * there is one.  Returns the number of k that called pow. */
ENT_LOCAL size_t ent_eum_pow_n(size_t m, const double *x, const double *y,
                               double *out, int vector);

/* The lanes of the kernel ent_eum_pow_n(..., 1) uses here: 8, 4 or 1
 * (none: every k calls pow). */
ENT_LOCAL int ent_eum_pow_lanes(void);

#endif
