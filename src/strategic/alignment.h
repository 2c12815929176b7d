/*
 * alignment.h -- how aligned two actors are across all contested issues
 * (docs/models/alignment.md).
 *
 * The salience-weighted S score of Signorino & Ritter (1999, "Tau-b or not
 * tau-b", International Studies Quarterly 43(1): 115-144) on the issues'
 * own scales:
 *
 *   S(a, b) = 1 - 2 * sum_k w_k |x_ak - x_bk| / d_k  /  sum_k w_k
 *
 * over the issues k on which both actors hold a position, with d_k the
 * length of issue k's scale (hi - lo, the largest possible distance) and
 * w_k = (s_ak + s_bk) / 2 the pair's mean salience on k (Signorino and
 * Ritter weight each dimension; we weight it by how much it matters to the
 * two actors).  S = 1: the same position on every issue that matters to
 * them; S = -1: opposite ends of every scale; S = 0: half a scale apart
 * on (weighted) average.  Undefined (the function says so) when no issue
 * with positive weight is shared.
 */
#ifndef ENT_ALIGNMENT_H
#define ENT_ALIGNMENT_H

#include <math.h>

#include "base/util.h"

/* One issue as the pair sees it: both positions, both saliences in [0, 1],
 * the scale's length d > 0. */
typedef struct ent_align_item {
  double xa, xb, sa, sb, d;
} ent_align_item;

/* S over items[0..n).  Returns 0 and *s in [-1, 1], or -1 when the total
 * weight is 0 (nothing shared). */
ENT_LOCAL int ent_alignment_s(size_t n, const ent_align_item *items,
                              double *s);

/* S item by item, for a caller that has no array of items: the sums of
 * ent_alignment_s, num and den zeroed, ent_alignment_add on each item in
 * the order ent_alignment_s would take them, then ent_alignment_end --
 * the same operations, so the same bits (ent_alignment_s is written
 * with them). */
typedef struct ent_align_sum {
  double num, den;
} ent_align_sum;

static inline void ent_alignment_add(ent_align_sum *a, double xa, double xb,
                                     double sa, double sb, double d) {
  double w = 0.5 * (sa + sb);
  if (!(w > 0.0) || !(d > 0.0)) return;
  a->num += w * fabs(xa - xb) / d;
  a->den += w;
}

static inline int ent_alignment_end(const ent_align_sum *a, double *s) {
  if (!(a->den > 0.0)) return -1;
  double v = 1.0 - 2.0 * a->num / a->den;
  *s = v < -1.0 ? -1.0 : v > 1.0 ? 1.0 : v;
  return 0;
}

#endif /* ENT_ALIGNMENT_H */
