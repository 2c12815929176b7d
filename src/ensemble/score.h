/*
 * score.h -- proper scores of probability forecasts of binary questions
 * (docs/score.md): the Brier score, the logarithmic score, the Brier skill
 * score against a baseline, and the bins of a reliability diagram.
 *
 * Conventions:
 *   Brier  = (1/n) sum (p_i - o_i)^2, in [0, 1], lower is better.
 *   log    = (1/n) sum -ln(q_i), q_i = p_i if o_i = 1 else 1 - p_i, with
 *            p_i first clipped to [ENT_SCORE_CLIP, 1 - ENT_SCORE_CLIP] so
 *            a confident miss costs -ln(0.005) = 5.30 rather than infinity;
 *            in [0.0050, 5.30], lower is better (the log loss; 0.693 for
 *            p = 0.5 everywhere).
 *   skill  = 1 - Brier / Brier_baseline (> 0: better than the baseline);
 *            undefined (NaN, written as null) when the baseline is perfect.
 */
#ifndef ENT_SCORE_H
#define ENT_SCORE_H

#include "base/util.h"

#define ENT_SCORE_CLIP 0.005
#define ENT_SCORE_BINS 10

typedef struct ent_score {
  double brier, log; /* means over the n questions */
  size_t n;
} ent_score;

/* Scores of probabilities p[0..n) against outcomes o[0..n) (0 or 1).  With
 * n = 0 both scores are 0. */
ENT_LOCAL ent_score ent_score_of(size_t n, const double *p, const int *o);

/* 1 - brier / brier_ref; NaN when brier_ref is 0. */
ENT_LOCAL double ent_score_skill(double brier, double brier_ref);

/* One bin of a reliability diagram: the questions whose probability falls
 * in [lo, hi) (the last bin includes 1). */
typedef struct ent_score_bin {
  double lo, hi;
  size_t n;         /* questions in the bin */
  double mean_p;    /* their mean probability (0 when n = 0) */
  double observed;  /* the share of them that happened (0 when n = 0) */
} ent_score_bin;

/* ENT_SCORE_BINS equal-width bins over [0, 1]. */
ENT_LOCAL void ent_score_reliability(size_t n, const double *p, const int *o,
                                     ent_score_bin bins[ENT_SCORE_BINS]);

#endif /* ENT_SCORE_H */
