/*
 * eum_pow.h -- pow(x, y) for the expected-utility model's utilities, many
 * at a time, with exactly the bits of the C library's pow (glibc).
 * Private to src/strategic/ (tests and bench/); not used by the model yet:
 * docs/performance.md, "Sixth round: filtered pow".
 */
#ifndef ENT_EUM_POW_H
#define ENT_EUM_POW_H

#include <stddef.h>

#include "base/util.h"

/* out[i] = pow(x[i], y[i]) for i < n, every value bit for bit the C
 * library's pow (docs/models/eum.md, "Cost"): where a CPU with AVX2 and FMA
 * runs it, a fast evaluation with a proven error bound, four at a time,
 * whose rounding is kept when no pow within glibc's documented error
 * could round differently; every other value by pow itself.  Returns how
 * many values were computed by pow (for tests and bench/).  out may not
 * alias x or y. */
ENT_LOCAL size_t ent_eum_pow_many(size_t n, const double *x, const double *y,
                                  double *out);

/* 1 if ent_eum_pow_many runs its fast evaluation on this CPU. */
ENT_LOCAL int ent_eum_pow_fast_available(void);

#endif
