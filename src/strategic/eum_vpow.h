/*
 * eum_vpow.h -- many of glibc's pow at once, with its bits: the expected-
 * utility model's fast path (eum.c) computes a round's powers in batches.
 * Private to src/strategic/eum*.c; docs/performance.md, "Eleventh round".
 */
#ifndef ENT_EUM_VPOW_H
#define ENT_EUM_VPOW_H

#include <stddef.h>

#include "base/util.h"

/* The vector lanes ent_eum_pow_many uses here: 8 where glibc 2.36's pow
 * is linked with its tables (the static `entente`), the CPU runs AVX-512
 * (F, DQ) and glibc picked its FMA variant of pow, whose operations the
 * lanes repeat; else 0 (one call a value).  Checks the tables' layout and
 * a few values against glibc's pow first. */
ENT_LOCAL int ent_eum_vpow_lanes(void);

/* out[k] = pow(x[k * xs], y[k * ys]) for k < n, glibc's bits (a stride 0
 * repeats one value; out may be x when xs is 1).  lanes: ent_eum_vpow_lanes(). */
ENT_LOCAL void ent_eum_pow_many(const double *x, size_t xs, const double *y,
                                size_t ys, double *out, size_t n, int lanes);

#endif /* ENT_EUM_VPOW_H */
