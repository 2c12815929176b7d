/*
 * score.c -- Brier and log scores, skill scores and reliability bins
 * (score.h; docs/score.md).  Sums run in question order, so the scores are
 * the same bytes for any thread count.
 */
#include "ensemble/score.h"

#include <math.h>

ent_score ent_score_of(size_t n, const double *p, const int *o) {
  ent_score s = {0.0, 0.0, n};
  if (n == 0) return s;
  double b = 0.0, l = 0.0;
  for (size_t i = 0; i < n; i++) {
    double e = p[i] - (o[i] ? 1.0 : 0.0);
    b += e * e;
    double c = p[i] < ENT_SCORE_CLIP ? ENT_SCORE_CLIP
               : p[i] > 1.0 - ENT_SCORE_CLIP ? 1.0 - ENT_SCORE_CLIP
                                             : p[i];
    l -= log(o[i] ? c : 1.0 - c);
  }
  s.brier = b / (double)n;
  s.log = l / (double)n;
  return s;
}

double ent_score_skill(double brier, double brier_ref) {
  return brier_ref > 0.0 ? 1.0 - brier / brier_ref : NAN;
}

void ent_score_reliability(size_t n, const double *p, const int *o,
                           ent_score_bin bins[ENT_SCORE_BINS]) {
  double sum_p[ENT_SCORE_BINS] = {0}, sum_o[ENT_SCORE_BINS] = {0};
  for (int k = 0; k < ENT_SCORE_BINS; k++) {
    bins[k].lo = (double)k / ENT_SCORE_BINS;
    bins[k].hi = (double)(k + 1) / ENT_SCORE_BINS;
    bins[k].n = 0;
  }
  for (size_t i = 0; i < n; i++) {
    int k = (int)(p[i] * ENT_SCORE_BINS);
    if (k < 0) k = 0;
    if (k >= ENT_SCORE_BINS) k = ENT_SCORE_BINS - 1;
    bins[k].n++;
    sum_p[k] += p[i];
    sum_o[k] += o[i] ? 1.0 : 0.0;
  }
  for (int k = 0; k < ENT_SCORE_BINS; k++) {
    bins[k].mean_p = bins[k].n ? sum_p[k] / (double)bins[k].n : 0.0;
    bins[k].observed = bins[k].n ? sum_o[k] / (double)bins[k].n : 0.0;
  }
}
