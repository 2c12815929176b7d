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

/* The expected-utility model's fast path (eum.c) with its calls to pow
 * batched: the same doubles as eum.c's scalar code wrote.
 *
 * Utilities u_k(x_a) into UT as eum.c's utilities_row for every row a
 * (one thread; rep as there), and that function for one row with every
 * call made at once (the threaded path, rep NULL). */
ENT_LOCAL void ent_eum_pow_utilities(size_t n, const double *x, double range,
                                     const double *rho, double *UT,
                                     const int *rep);
ENT_LOCAL void ent_eum_pow_utilities_row(size_t n, const double *x,
                                         double range, const double *rho,
                                         double *UT, size_t a,
                                         const int *rep);

/* Receiver i's utilities of success and failure against every j with
 * x_j != x_i (eum.c's eu_success_failure of the fast path): at exponent
 * r_i into us[j], uf[j] (copied from j's position's first actor rep[j]
 * where rep[j] < j), and where b_own and r_j != r_i at exponent r_j into
 * bus[j], buf[j].  Other entries untouched. */
ENT_LOCAL void ent_eum_pow_row_sf(size_t n, size_t i, const double *x,
                                  double range, const double *r, int b_own,
                                  const int *rep, double *us, double *uf,
                                  double *bus, double *buf);

/* The decision pass's calls in one batch, for n <= ENT_EUM_POW_WHOLE
 * actors (one thread, rep as eum.c's): the utilities into UT as
 * ent_eum_pow_utilities with exponents rho, and every receiver i's Us,
 * Uf, bUs, bUf as ent_eum_pow_row_sf into sf[i*n + j], sf[n*n + i*n + j],
 * sf[2*n*n + ...], sf[3*n*n + ...]. */
#define ENT_EUM_POW_WHOLE 16
ENT_LOCAL void ent_eum_pow_decision(size_t n, const double *x, double range,
                                    const double *rho, const double *r,
                                    int b_own, const int *rep, double *UT,
                                    double *sf);

#endif
