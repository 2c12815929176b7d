/*
 * stats_sort.h -- the quantile sketch's sorts in vector lanes
 * (stats_sort.c): a bitonic network of min/max, 4 lanes (AVX2) or 8
 * (AVX-512F), chosen at run time.  Used by stats.c; the arrays hold no
 * NaN, and those holding -0.0 are found and declined (stats.c sends them
 * to qsort), so the result is bit for bit the array qsort by value gives.
 */
#ifndef ENT_STATS_SORT_H
#define ENT_STATS_SORT_H

#include <stddef.h>

#include "base/util.h"

/* The widest lanes this CPU runs the sorts in: 8, 4, or 0 (none). */
ENT_LOCAL int ent_qacc_sort_lanes(void);

/* a[0..n) (no NaN) sorted ascending in `lanes` lanes (4 or 8; at most
 * ent_qacc_sort_lanes()) when n is a power of two of at least 64: returns
 * 1; -1 when a holds a -0.0 (for qsort, whose order of -0.0 and +0.0
 * depends on where they lie: a untouched); else 0 with a untouched. */
ENT_LOCAL int ent_qacc_bitonic_sort(double *a, size_t n, int lanes);

/* ent_qacc_merge_half (stats.h) in `lanes` lanes when m is a power of two
 * of at least 16 (cat holds 2 m values): returns 1; -1 with nothing
 * written to out when a run holds a -0.0; else 0 with nothing written.
 * a and b hold no NaN. */
ENT_LOCAL int ent_qacc_bitonic_merge_half(const double *a, const double *b,
                                          size_t m, int par, double *out,
                                          double *cat, int lanes);

/* out[0..m) = c[par], c[par + 2], ..., c[par + 2 (m - 1)] (par 0 or 1),
 * in `lanes` lanes where m is a multiple of them. */
ENT_LOCAL void ent_qacc_take_half(const double *c, size_t m, int par,
                                  double *out, int lanes);

#endif /* ENT_STATS_SORT_H */
