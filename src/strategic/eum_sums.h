/*
 * eum_sums.h -- the two O(n^3) sums of an expected-utility round
 * (docs/models/eum.md section 3), computed fast with the bits of the
 * specification's order.  Private to src/strategic/eum*.c.
 */
#ifndef ENT_EUM_SUMS_H
#define ENT_EUM_SUMS_H

#include <stddef.h>

#include "base/util.h"

/* G = sum_k sum_a sum_b |w_k (u_k(x_b) - u_k(x_a))|, with exactly the
 * bits of one addition after the other in that order.  UT voter-major:
 * UT[k*n + a] = u_k(x_a).  Any n. */
ENT_LOCAL double ent_eum_sums_global(size_t n, const double *UT,
                                     const double *wt);

/* The same G added one term after the other (the specification's loop),
 * for tests and bench/. */
ENT_LOCAL double ent_eum_sums_global_serial(size_t n, const double *UT,
                                            const double *wt);

/* The raw vote sums of every pair, each summed over voters k = 0..n-1 in
 * that order (the specification's bits): for i < j, P[i*n + j] = sum_k
 * max(v_k, 0) and P[j*n + i] = sum_k max(-v_k, 0) with v_k = w_k (u_k(x_j)
 * - u_k(x_i)); 0 for both where x_i == x_j; P[i*n + i] = 0. */
ENT_LOCAL void ent_eum_sums_votes(size_t n, const double *x, const double *UT,
                                  const double *wt, double *P);

/* Both sums of one pass: the vote sums into P as ent_eum_sums_votes, and
 * G as ent_eum_sums_global when `global` (else 0 is returned).  Below
 * EUM_SUMS_SMALL actors in one sweep over the voters, each term w_k
 * (u_k(x_j) - u_k(x_i)) computed once for the votes and for G, the vote
 * sums advancing while G's chain of additions waits on its latency (with
 * AVX: every ordered pair of different actors a lane of a 4-lane vector,
 * G's chain without the (a, a) terms); the bits of the two separate
 * sums. */
ENT_LOCAL double ent_eum_sums_pass(size_t n, const double *x,
                                   const double *UT, const double *wt,
                                   int global, double *P);

/* ent_eum_sums_pass, then the probabilities of the pairs at different
 * positions: P[i*n + j] = pos / den and P[j*n + i] = neg / den with den =
 * G (`global`) or pos + neg, both 0 where den is not > 0 (eum.md section
 * 3); below EUM_SUMS_SMALL actors in the same sweep. */
ENT_LOCAL double ent_eum_sums_probs(size_t n, const double *x,
                                    const double *UT, const double *wt,
                                    int global, double *P);

/* The same with the vector kernels (simd = 1, where the CPU has AVX) or
 * the plain ones (simd = 0), at any n: for tests, which check that both
 * give the specification's bits. */
ENT_LOCAL double ent_eum_sums_global_with(size_t n, const double *UT,
                                          const double *wt, int simd);
/* ent_eum_sums_pass with the vector kernels (simd = 1, where the CPU has
 * AVX) or the plain ones (simd = 0): for tests. */
ENT_LOCAL double ent_eum_sums_pass_with(size_t n, const double *x,
                                        const double *UT, const double *wt,
                                        int global, double *P, int simd);
ENT_LOCAL void ent_eum_sums_votes_with(size_t n, const double *x,
                                       const double *UT, const double *wt,
                                       double *P, int simd);

#endif
