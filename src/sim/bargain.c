/*
 * bargain.c -- the table of bargaining back-ends (see bargain.h) and the
 * rule that picks them for an issue.
 *
 * Invariant: row k of the table is the back-end of ent_bargain_id k.
 *
 * Prefixes: ent_bargain_ (the table), ent_track_ (the per-issue track of
 * positions every back-end fills; bargain.h declares both).
 */
#include "sim/bargain.h"

#include <math.h>
#include <string.h>

static const ent_bargainer *const table[] = {
    [ENT_BARGAIN_EUM] = &ent_bargain_eum,
    [ENT_BARGAIN_SMP] = &ent_bargain_smp,
};

_Static_assert(sizeof table / sizeof table[0] == ENT_BARGAIN_COUNT,
               "one row per ent_bargain_id");

const ent_bargainer *ent_bargain_get(ent_bargain_id id) {
  return (unsigned)id < ENT_BARGAIN_COUNT ? table[id] : NULL;
}

void ent_bargain_pick(ent_issue_model model, int beside_on, int *decider,
                      int *beside) {
  *decider = model == ENT_ISSUE_SMP ? ENT_BARGAIN_SMP : ENT_BARGAIN_EUM;
  *beside = model == ENT_ISSUE_BOTH && beside_on ? ENT_BARGAIN_SMP : -1;
}

const ent_track *ent_bargain_track(const void *part, int bargain_id) {
  if (!part) return NULL;
  if (bargain_id == ENT_BARGAIN_EUM) return &((const ent_issue_eum *)part)->track;
  if (bargain_id == ENT_BARGAIN_SMP) return &((const ent_issue_smp *)part)->track;
  return NULL;
}

/* ------------------------------------------------------------ tracks */

ent_status ent_track_init(ent_track *t, size_t nv) {
  memset(t, 0, sizeof *t);
  t->nv = nv;
  t->end = ent_calloc(nv ? nv : 1, sizeof *t->end);
  return t->end ? ENT_OK : ENT_ENOMEM;
}

void ent_track_reset(ent_track *t) {
  double *end = t->end;
  size_t nv = t->nv;
  memset(t, 0, sizeof *t);
  t->nv = nv;
  t->end = end;
  memset(end, 0, (nv ? nv : 1) * sizeof *end);
}

void ent_track_free(ent_track *t) {
  if (!t) return;
  ent_free(t->end);
  t->end = NULL;
}

void ent_track_start(const ent_track *t, const ent_bargain_in *in,
                     size_t n_dims, double *x) {
  size_t nv = t->nv;
  /* the scenario's positions are where the actors stood when the run
   * begins, like last year's end positions later */
  const double *from = in->restart || !t->has_end ? in->pos : t->end;
  for (size_t v = 0; v < nv; v++) {
    size_t k = v / n_dims;
    double e = from[v], id = in->ideal ? in->ideal[v] : e;
    x[v] = in->forced && in->forced[k] ? id : e + in->inertia * (id - e);
  }
}

void ent_track_push(ent_track *t, const double *v, size_t n) {
  for (size_t k = 0; k < n; k++) {
    if (t->ring_n == ENT_TRACK_RING) {
      memmove(t->ring, t->ring + 1, (ENT_TRACK_RING - 1) * sizeof *t->ring);
      t->ring_n--;
    }
    t->ring[t->ring_n++] = v[k];
  }
}

double ent_track_settle(ent_track *t, double raw, int window, double tol) {
  t->raw = raw;
  t->unsettled = 0;
  t->period = 0;
  if (window > ENT_TRACK_RING) window = ENT_TRACK_RING;
  if (window > t->ring_n) window = t->ring_n;
  t->window = window;
  t->lo = t->hi = raw;
  if (window < 3) return raw;
  const double *r = t->ring + t->ring_n - window;
  double lo = r[0], hi = r[0];
  int turns = 0, last_sign = 0;
  for (int k = 1; k < window; k++) {
    if (r[k] < lo) lo = r[k];
    if (r[k] > hi) hi = r[k];
    double dv = r[k] - r[k - 1];
    int sign = dv > tol ? 1 : dv < -tol ? -1 : 0;
    if (sign && last_sign && sign != last_sign) turns++;
    if (sign) last_sign = sign;
  }
  t->lo = lo;
  t->hi = hi;
  if (!(hi - lo > tol) || turns < 2) return raw;
  t->unsettled = 1;
  /* the shortest period p <= window / 2 with r[k] == r[k - p] (within tol)
   * over the window */
  for (int p = 1; p <= window / 2 && !t->period; p++) {
    int ok = 1;
    for (int k = p; k < window && ok; k++)
      if (fabs(r[k] - r[k - p]) > tol) ok = 0;
    if (ok) t->period = p;
  }
  int m = t->period ? t->period : window;
  double sum = 0.0;
  for (int k = window - m; k < window; k++) sum += r[k];
  return sum / m;
}
