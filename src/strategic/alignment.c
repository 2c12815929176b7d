/*
 * alignment.c -- the salience-weighted S score (alignment.h).  Sums run in
 * item order.
 */
#include "strategic/alignment.h"

int ent_alignment_s(size_t n, const ent_align_item *items, double *s) {
  ent_align_sum a = {0.0, 0.0};
  for (size_t k = 0; k < n; k++)
    ent_alignment_add(&a, items[k].xa, items[k].xb, items[k].sa, items[k].sb,
                      items[k].d);
  return ent_alignment_end(&a, s);
}
