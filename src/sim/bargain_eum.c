/*
 * bargain_eum.c -- the expected-utility model as a bargaining back-end
 * (bargain.h; the model is strategic/eum.c, docs/models/eum.md; the years
 * and the carried state are docs/dynamics.md).
 *
 * Each run bargains the year's rounds from the year's start positions (the
 * scenario's positions on a restart, else where last year ended moved
 * `inertia` of the way back to the ideals) with this year's capabilities
 * and saliences, keeps the history in the part (replacing last year's)
 * and carries the end positions to the next year.  The year's forecast is
 * the weighted median after the last round -- unless the medians of the
 * last rounds oscillate (a cycle, or no settling), in a run with a time
 * axis: then it is their mean over one period of the cycle (or over the
 * window), and the part says so.
 *
 * With robustness on, the two variants that eum.md section 7 recommends
 * for the project's own scenarios run beside the main trajectory every
 * year, each carrying its own state: the compromise rule `least_move`,
 * and the axis reflected (x -> lo + hi - x, mapped back).
 *
 * Invariant: the workspace is sized for the issue's stakes; a run
 * allocates nothing once the histories exist: the history a run replaces
 * goes back to the workspace (ent_eum_work_recycle) and is filled by the
 * next run.  A part reset (a restarted sim) hands its history to the
 * workspace's `keep`, which its first run recycles in place of the part's:
 * the two histories of an issue serve every later run.
 */
#include "sim/bargain.h"

#include <math.h>
#include <string.h>

typedef struct eum_work {
  ent_eum_work *w;
  double *x; /* [n_stakes] start positions (reflected for that variant) */
  size_t n;
  ent_eum_hist *keep; /* a reset part's history, recycled by the next run */
} eum_work;

static void work_free(void *work) {
  eum_work *e = work;
  if (!e) return;
  ent_eum_hist_free(e->keep);
  ent_eum_work_free(e->w);
  ent_free(e->x);
  ent_free(e);
}

static void *work_alloc(const ent_issue *is, const char *source) {
  (void)source;
  eum_work *e = ent_calloc(1, sizeof *e);
  if (!e) return NULL;
  e->n = is->n_stakes;
  e->w = ent_eum_work_alloc(e->n);
  e->x = ent_mallocarray(e->n ? e->n : 1, sizeof *e->x);
  if (!e->w || !e->x) {
    work_free(e);
    return NULL;
  }
  return e;
}

static size_t work_size(const void *work) {
  const eum_work *e = work;
  return sizeof *e + ent_eum_work_size(e->w) + e->n * sizeof *e->x;
}

static void result_free(void *part) {
  ent_issue_eum *r = part;
  if (!r) return;
  ent_eum_hist_free(r->hist);
  ent_track_free(&r->track);
  ent_track_free(&r->lm);
  ent_track_free(&r->rf);
  ent_free(r);
}

static void *result_alloc(const ent_issue *is) {
  ent_issue_eum *r = ent_calloc(1, sizeof *r);
  if (!r) return NULL;
  size_t n = is->n_stakes;
  if (ent_track_init(&r->track, n) || ent_track_init(&r->lm, n) ||
      ent_track_init(&r->rf, n)) {
    result_free(r);
    return NULL;
  }
  return r;
}

static void result_reset(void *part, void *work) {
  ent_issue_eum *r = part;
  eum_work *e = work;
  if (e) {
    if (e->keep) ent_eum_work_recycle(e->w, e->keep);
    e->keep = r->hist;
  } else {
    ent_eum_hist_free(r->hist);
  }
  ent_track t = r->track, lm = r->lm, rf = r->rf;
  memset(r, 0, sizeof *r);
  r->track = t;
  r->lm = lm;
  r->rf = rf;
  ent_track_reset(&r->track);
  ent_track_reset(&r->lm);
  ent_track_reset(&r->rf);
}

/* Read-outs looked at to settle a forecast: the options' window, and at
 * least four years of rounds (an oscillation from year to year shows). */
static int settle_window(const ent_eum_opts *eo, int rounds) {
  int w = eo->window;
  if (rounds > 0 && 4 * rounds > w) w = 4 * rounds;
  return w;
}

/* One year of one trajectory t: start, bargain, carry the end; *out gets
 * the history (owned by the caller) and the return value the year's
 * forecast (settled in runs with a time axis). */
static ent_status year(eum_work *e, const ent_bargain_in *in,
                       const ent_eum_opts *base, int reflect, ent_track *t,
                       ent_eum_hist **out, double *forecast) {
  const ent_issue *is = in->issue;
  size_t n = is->n_stakes;
  ent_eum_problem pb = {n, in->cap, in->sal};
  ent_eum_opts eo = *base;
  ent_eum_work_set_reference(e->w, in->reference);
  ent_eum_work_set_threads(e->w, in->threads);
  if (in->rounds > 0) { /* a year is exactly its rounds */
    eo.rounds = in->rounds;
    eo.stop = ENT_EUM_STOP_FIXED;
  }
  ent_track_start(t, in, 1, e->x);
  if (reflect)
    for (size_t k = 0; k < n; k++) e->x[k] = is->lo + is->hi - e->x[k];
  ent_eum_hist *h = NULL;
  ent_status st = ent_eum_run_work(&pb, &eo, e->x, e->w, &h);
  if (st != ENT_OK) return st;
  const double *xe = h->x + (size_t)h->n_rounds * n;
  for (size_t k = 0; k < n; k++)
    t->end[k] = reflect ? is->lo + is->hi - xe[k] : xe[k];
  t->has_end = 1;
  /* the medians after each round (and of the start, on a restart: a new
   * year's start is not a bargaining result) */
  double med[ENT_TRACK_RING];
  int q0 = in->restart ? 0 : 1, nm = 0;
  if (h->n_rounds - q0 + 1 > ENT_TRACK_RING) q0 = h->n_rounds - ENT_TRACK_RING + 1;
  for (int q = q0; q <= h->n_rounds; q++)
    med[nm++] = reflect ? is->lo + is->hi - h->median[q] : h->median[q];
  if (in->restart) t->ring_n = 0;
  if (nm == 0) med[nm++] = reflect ? is->lo + is->hi - h->median[h->n_rounds]
                                   : h->median[h->n_rounds];
  ent_track_push(t, med, (size_t)nm);
  double raw = med[nm - 1];
  double s = ent_track_settle(t, raw, settle_window(base, in->rounds),
                              0.01 * (is->hi - is->lo));
  /* a single bargaining (no time axis) keeps the model's own read-out */
  *forecast = in->rounds > 0 ? s : raw;
  *out = h;
  return ENT_OK;
}

static ent_status run(void *work, const ent_bargain_in *in, void *part,
                      ent_diag *d) {
  (void)d;
  eum_work *e = work;
  ent_issue_eum *r = part;
  const ent_eum_opts *eo = in->eum;
  ent_eum_hist *h = NULL;
  ent_status st = year(e, in, eo, 0, &r->track, &h, &r->forecast);
  if (st != ENT_OK) return st;
  /* last year's history is filled again next time: no allocation (the
   * first run after a reset: the history the reset kept) */
  if (!r->hist) r->hist = e->keep, e->keep = NULL;
  ent_eum_work_recycle(e->w, r->hist);
  r->hist = h;
  if (!in->robustness) return ENT_OK;
  /* the variants: every year with a time axis (each carries its state),
   * only the last bargaining without one */
  if (in->rounds == 0 && !in->last) return ENT_OK;
  ent_eum_opts alt = *eo;
  alt.least_move = !eo->least_move;
  st = year(e, in, &alt, 0, &r->lm, &h, &r->least_move_median);
  if (st != ENT_OK) return st;
  ent_eum_work_recycle(e->w, h);
  st = year(e, in, eo, 1, &r->rf, &h, &r->reflected_median);
  if (st != ENT_OK) return st;
  ent_eum_work_recycle(e->w, h);
  r->robust_unsettled = in->rounds > 0 && (r->lm.unsettled || r->rf.unsettled);
  r->has_robustness = in->last;
  return ENT_OK;
}

static int outcome(const void *part, size_t q, double *forecast,
                   double *mean) {
  const ent_issue_eum *r = part;
  if (!r || !r->hist || q != 0) return -1;
  *forecast = r->forecast;
  *mean = r->hist->mean[r->hist->n_rounds];
  return 0;
}

const ent_bargainer ent_bargain_eum = {
    "eum",        work_alloc, work_free, work_size, result_alloc, result_free,
    result_reset, run,       outcome,
};
