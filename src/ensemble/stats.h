/*
 * stats.h -- streaming statistics of an ensemble (docs/ensemble.md,
 * "Statistics"): running mean and standard deviation, and quantiles of
 * many cells (one cell = one variable x entity x year) in bounded memory.
 *
 * Quantiles are exact while every value fits in the memory budget (all
 * values kept, the order statistics selected at the end, R's type 7 /
 * GSL's interpolation);
 * beyond, each cell keeps a deterministic compactor sketch (the
 * Munro-Paterson / KLL scheme without randomness): H levels of k values
 * (the levels between the bottom and the top never hold more than k / 2;
 * a cell's levels are packed one after the other, each taking the values
 * it holds, in room for the most they hold at once); a full level is
 * sorted -- level 0 by a bitonic network in vector lanes (AVX-512 or
 * AVX2, stats_sort.h; else a distribution sort), a level above by merging
 * the two sorted runs it receives (the same network's last round) -- and
 * every other value (alternating offset) moves up with twice the weight.
 * Its rank error is at most (H - 1) / k of the
 * number of values, and the state depends only on the order of the values,
 * so feeding members in index order gives the same result on any number of
 * threads or ranks.
 *
 * Either way a cell whose values so far all have the same bits is that
 * value and a count: no store memory, O(1) a value, O(1) quantiles; the
 * first value of other bits gives it its room, filled with the state the
 * copies leave (exact: the copies; sketch: its levels after as many
 * compactions), so every result is as if it had been stored throughout.
 *
 * Invariants: values fed are finite; a cell holds at most n_max values.
 */
#ifndef ENT_STATS_H
#define ENT_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* Running mean and variance (Welford 1962). */
typedef struct ent_welford {
  size_t n;
  double mean, m2;
} ent_welford;

static inline void ent_welford_add(ent_welford *w, double x) {
  w->n++;
  double d = x - w->mean;
  w->mean += d / (double)w->n;
  w->m2 += d * (x - w->mean);
}

/* Rows rows[0..n) (each indexed by cell; NaN: nothing) into w[c] for the
 * cells c of [c0, c1): the same sums, bit for bit, as ent_welford_add row
 * by row and cell by cell. */
ENT_LOCAL void ent_welford_add_block(ent_welford *w, size_t c0, size_t c1,
                                     const double *const *rows, size_t n);
/* The same with the cells in at most `lanes` vector lanes (8, 4, else 2;
 * ent_welford_add_block takes the widest this CPU runs): the same bits. */
ENT_LOCAL void ent_welford_add_block_lanes(ent_welford *w, size_t c0,
                                           size_t c1, const double *const *rows,
                                           size_t n, int lanes);

/* Sample standard deviation (n - 1); 0 for n < 2. */
ENT_LOCAL double ent_welford_sd(const ent_welford *w);

typedef struct ent_qacc ent_qacc;

/* Quantile accumulator for `cells` cells of at most n_max values each,
 * using at most about budget_bytes (exact when cells * n_max doubles fit,
 * else a sketch with the largest k for which cells * H * k doubles fit,
 * at least 64 -- the rule of the stores before the middle levels took
 * k / 2 values, kept so that k, and every result, stay the same; a
 * cell now takes at most (H + 2) k / 2 values, so the store stays below
 * the budget).  NULL when out
 * of memory. */
ENT_LOCAL ent_qacc *ent_qacc_create(size_t cells, size_t n_max,
                                    size_t budget_bytes);
ENT_LOCAL void ent_qacc_destroy(ent_qacc *q);
/* The sketch's sorts in at most `lanes` vector lanes (0: none; stats_sort.h;
 * the default is the widest the CPU runs): the same results either way. */
ENT_LOCAL void ent_qacc_set_lanes(ent_qacc *q, int lanes);
/* 1 if exact; else the sketch's k and levels. */
ENT_LOCAL int ent_qacc_exact(const ent_qacc *q);
ENT_LOCAL size_t ent_qacc_k(const ent_qacc *q);
ENT_LOCAL size_t ent_qacc_levels(const ent_qacc *q);
/* Bound on the rank error as a share of the count (0 when exact). */
ENT_LOCAL double ent_qacc_rank_error(const ent_qacc *q);
/* Add finite x to cell c (ignored once the cell holds n_max values). */
ENT_LOCAL void ent_qacc_add(ent_qacc *q, size_t c, double x);
/* x[c] into cell c for every cell c (NaN: nothing); the same as
 * ent_qacc_add cell by cell, in less memory traffic. */
ENT_LOCAL void ent_qacc_add_row(ent_qacc *q, const double *x);
/* Rows rows[0..n) (each indexed by cell; NaN: nothing) into the cells
 * [c0, c1) only, in row order: for those cells the same as ent_qacc_add_row
 * row by row, and calls on disjoint cell ranges may run at once on
 * different threads.  Rows added by ent_qacc_add_row must have been moved
 * to their cells first (ent_qacc_flush).  tmp holds
 * ent_qacc_block_scratch(q) keys of its own (one per thread). */
ENT_LOCAL void ent_qacc_add_block(ent_qacc *q, size_t c0, size_t c1,
                                  const double *const *rows, size_t n,
                                  uint64_t *tmp);
ENT_LOCAL size_t ent_qacc_block_scratch(const ent_qacc *q);
/* The rows added by ent_qacc_add_row into their cells. */
ENT_LOCAL void ent_qacc_flush(ent_qacc *q);
ENT_LOCAL size_t ent_qacc_count(const ent_qacc *q, size_t c);
/* Quantiles p[0..np) (each in [0, 1]) of cell c into out; NAN when the
 * cell is empty.  `scratch` holds ent_qacc_scratch(q) doubles. */
ENT_LOCAL void ent_qacc_quantiles(const ent_qacc *q, size_t c, const double *p,
                                  size_t np, double *out, double *scratch);
ENT_LOCAL size_t ent_qacc_scratch(const ent_qacc *q);

/* Reorders a[0..n) so that a[r] is, for every r of ranks[0..nr) (any
 * order, repeats allowed; ranks >= n ignored), the value an ascending sort
 * would put at r: an O(n) selection.  A value equal under comparison is
 * bitwise the same value, except -0.0 and +0.0, which sorting leaves in an
 * order of its own: when a holds a -0.0, a is sorted whole with gsl_sort,
 * as before, so the values read at the ranks never depend on the method.
 * Reorders ranks too.  Returns 1 when it sorted, else 0.  a holds no NaN. */
ENT_LOCAL int ent_select_ranks(double *a, size_t n, size_t *ranks, size_t nr);

/* a[0..n) sorted ascending: the same array as qsort by value gives (the
 * bitonic network of stats_sort.h for a power of two of at least 64
 * values where the CPU has the lanes, else a distribution sort by the
 * values' offsets from the least, or their keys' top bits; values equal
 * under comparison are the
 * same bits when no -0.0 is among them, and when one is, qsort sorts).
 * a holds no NaN; tmp holds n keys.  The sketch's level sort. */
ENT_LOCAL void ent_qacc_sort_level(double *a, size_t n, uint64_t *tmp);

/* The sketch's compaction of two sorted runs a[0..m) and b[0..m) (no NaN):
 * the values at positions par, par + 2, ... (par 0 or 1) of the array
 * that qsort by value gives for a then b, into out[0..m); out holds
 * m values, cat 2 m (used when a -0.0 is among them). */
ENT_LOCAL void ent_qacc_merge_half(const double *a, const double *b, size_t m,
                              int par, double *out, double *cat);

#endif /* ENT_STATS_H */
