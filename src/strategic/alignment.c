/*
 * alignment.c -- the salience-weighted S score (alignment.h).  Sums run in
 * item order.
 */
#include "strategic/alignment.h"

#include <math.h>

int ent_alignment_s(size_t n, const ent_align_item *items, double *s) {
  double num = 0.0, den = 0.0;
  for (size_t k = 0; k < n; k++) {
    const ent_align_item *it = &items[k];
    double w = 0.5 * (it->sa + it->sb);
    if (!(w > 0.0) || !(it->d > 0.0)) continue;
    num += w * fabs(it->xa - it->xb) / it->d;
    den += w;
  }
  if (!(den > 0.0)) return -1;
  double v = 1.0 - 2.0 * num / den;
  *s = v < -1.0 ? -1.0 : v > 1.0 ? 1.0 : v;
  return 0;
}
