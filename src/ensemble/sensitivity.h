/*
 * sensitivity.h -- which uncertain inputs move an output (docs/
 * ensemble.md, "Sensitivity").  Both estimators are streaming (bounded
 * memory, one pass in member order, so the result does not depend on how
 * members were spread over threads or ranks):
 *
 *   SRC    standardised regression coefficients (Saltelli et al. 2008,
 *          s1.2.5): the least-squares fit of the output on the inputs,
 *          each coefficient times sd(input) / sd(output), with the R^2 of
 *          the fit saying how much of the variance a linear model explains.
 *          From any Monte Carlo sample; accumulated as co-moments.
 *   Sobol' first-order (Saltelli et al. 2010, estimator (b) of table 2)
 *          and total indices (Jansen 1999) from Saltelli's design: per
 *          base row two independent input vectors A and B and, for every
 *          input i, A with column i taken from B.
 *
 * Invariants: inputs and outputs fed are finite.
 */
#ifndef ENT_SENSITIVITY_H
#define ENT_SENSITIVITY_H

#include <stddef.h>

#include "base/util.h"

typedef struct ent_src ent_src;

/* d inputs, h outputs.  NULL when out of memory. */
ENT_LOCAL ent_src *ent_src_create(size_t d, size_t h);
ENT_LOCAL void ent_src_destroy(ent_src *s);
/* One sample: x[d] inputs, y[h] outputs. */
ENT_LOCAL void ent_src_add(ent_src *s, const double *x, const double *y);
ENT_LOCAL size_t ent_src_count(const ent_src *s);
/* Coefficients of output o into src[d] (0 for inputs without variance)
 * and the fit's R^2 (NAN when the output has no variance).  ENT_ENOMEM
 * or ENT_EINVAL (fewer than 2 samples). */
ENT_LOCAL ent_status ent_src_compute(const ent_src *s, size_t o, double *src,
                                     double *r2);

typedef struct ent_sobol ent_sobol;

ENT_LOCAL ent_sobol *ent_sobol_create(size_t d, size_t h);
ENT_LOCAL void ent_sobol_destroy(ent_sobol *s);
/* One base row: fA[h], fB[h], fAB[d * h] (row i: A with column i of B). */
ENT_LOCAL void ent_sobol_add(ent_sobol *s, const double *fA, const double *fB,
                             const double *fAB);
ENT_LOCAL size_t ent_sobol_count(const ent_sobol *s);
/* First-order S1[d] and total ST[d] indices of output o; NAN when the
 * output has no variance. */
ENT_LOCAL void ent_sobol_compute(const ent_sobol *s, size_t o, double *S1,
                                 double *ST);

#endif /* ENT_SENSITIVITY_H */
