/*
 * eum_rows.h -- parts of the expected-utility model's round (eum.c's fast
 * path) in their own file: the decision pass's utilities with their powers
 * in one batch, and at n <= 8 a round's rows in AVX-512 lanes.  Private to
 * src/strategic/eum*.c; docs/performance.md, "Eleventh round: the EUM
 * round's rows in vector lanes".
 */
#ifndef ENT_EUM_ROWS_H
#define ENT_EUM_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* eum.c's utilities_row for every row a (with rep: one thread), UT[k*n +
 * a] = u_k(x_a), with the powers in one batch of ent_eum_pow_many (lanes
 * vpow).  Scratch: bx, by [n^2], slot [n^2], cp [2 n^2]. */
ENT_LOCAL void ent_eum_rows_utilities(size_t n, const double *dm,
                                      const double *rho, double *UT,
                                      const int *rep, double *bx, double *by,
                                      uint32_t *slot, uint32_t *cp, int vpow);

/* For n <= 8, only where ent_eum_vpow_lanes() says 8 (AVX-512 F, DQ):
 * dm[a*n + k] = clamp01(|x_k - x_a| / range), +0 at k = a, and rep[a] the
 * first actor at x_a, as ent_eum_round's loop makes them. */
ENT_LOCAL void ent_eum_rows_dist(size_t n, const double *x, double range,
                                 double *dm, int *rep);

/* For n <= 8, only where ent_eum_vpow_lanes() says 8, Q >= 1 and
 * b_exponent=receiver: decide_row_fast's a_ij into av[j] and b_ij into
 * bv[j] for receiver i (exponent ri, Uq uq), taking the row's powers from
 * the batch at *pv (advanced past them); dm is row i of the distances. */
ENT_LOCAL void ent_eum_rows_eu(size_t n, size_t i, const double *x,
                               const double *dm, double ri, const double *sal,
                               const double *P, const int *rep, double Q,
                               double uq, const double **pv, double *av,
                               double *bv);

/* For n <= 8, only where ent_eum_vpow_lanes() says 8: D[i] as eum.c's
 * security_linear (the risk pass's P, Q = 1) for every i. */
ENT_LOCAL void ent_eum_rows_security(size_t n, const double *sal,
                                     const double *P, const double *dm,
                                     double *D);

/* For n <= 8, only where ent_eum_vpow_lanes() says 8: the decision pass's
 * pow arguments after the status quo's, as eum.c's decide_pows puts them
 * in bx, by (row by row, each counterpart's two bases); returns their
 * count. */
ENT_LOCAL size_t ent_eum_rows_pows(size_t n, const double *x, const double *dm,
                                   const double *r, const int *rep,
                                   double *bx, double *by);

/* For n <= 8, only where ent_eum_vpow_lanes() says 8: the regions of
 * receiver i's row from a_ij = av[j], b_ij = bv[j] (eum.c's classify; NONE
 * at j = i, SAME_POSITION at x_j == x_i) into rg[0..n) and, where not
 * NULL, row i of the trace's region, a and b (+0 at those j); returns the
 * mask of the j whose region is an offer to i (confront, compromise, and
 * capitulate when `capitulation`). */
ENT_LOCAL unsigned ent_eum_rows_regions(size_t n, size_t i, const double *x,
                                        const double *av, const double *bv,
                                        int capitulation, uint8_t *rg,
                                        uint8_t *treg, double *ta, double *tb);

#endif /* ENT_EUM_ROWS_H */
