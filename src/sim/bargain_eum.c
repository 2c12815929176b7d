/*
 * bargain_eum.c -- the expected-utility model as a bargaining back-end
 * (bargain.h; the model is strategic/eum.c, docs/models/eum.md).
 *
 * A run bargains from the issue's starting positions with this year's
 * capabilities and saliences and keeps the history in the part (replacing
 * last year's).  In the last year it also runs the two robustness variants
 * that eum.md section 7 recommends for the project's own scenarios: the
 * compromise rule `least_move`, and the axis reflected (x -> lo + hi - x,
 * mapped back).
 *
 * Invariant: the workspace is sized for the issue's stakes; a run
 * allocates only the histories (ent_eum_run_work).
 */
#include "sim/bargain.h"

typedef struct eum_work {
  ent_eum_work *w;
  double *x; /* [n_stakes] reflected positions */
  size_t n;
} eum_work;

static void work_free(void *work) {
  eum_work *e = work;
  if (!e) return;
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

static void *result_alloc(const ent_issue *is) {
  (void)is;
  return ent_calloc(1, sizeof(ent_issue_eum));
}

static void result_free(void *part) {
  ent_issue_eum *r = part;
  if (!r) return;
  ent_eum_hist_free(r->hist);
  ent_free(r);
}

static ent_status run(void *work, const ent_bargain_in *in, void *part,
                      ent_diag *d) {
  (void)d;
  eum_work *e = work;
  ent_issue_eum *r = part;
  const ent_issue *is = in->issue;
  size_t n = is->n_stakes;
  ent_eum_problem pb = {n, in->cap, in->sal};
  const ent_eum_opts *eo = in->eum;
  ent_eum_hist *h = NULL;
  ent_status st = ent_eum_run_work(&pb, eo, in->pos, e->w, &h);
  if (st != ENT_OK) return st;
  ent_eum_hist_free(r->hist);
  r->hist = h;
  if (!in->last || !in->robustness) return ENT_OK;
  ent_eum_opts alt = *eo;
  alt.least_move = !eo->least_move;
  st = ent_eum_run_work(&pb, &alt, in->pos, e->w, &h);
  if (st != ENT_OK) return st;
  r->least_move_median = h->median[h->n_rounds];
  ent_eum_hist_free(h);
  for (size_t k = 0; k < n; k++) e->x[k] = is->lo + is->hi - in->pos[k];
  st = ent_eum_run_work(&pb, eo, e->x, e->w, &h);
  if (st != ENT_OK) return st;
  r->reflected_median = is->lo + is->hi - h->median[h->n_rounds];
  ent_eum_hist_free(h);
  r->has_robustness = 1;
  return ENT_OK;
}

static int outcome(const void *part, size_t q, double *forecast,
                   double *mean) {
  const ent_issue_eum *r = part;
  if (!r || !r->hist || q != 0) return -1;
  *forecast = r->hist->median[r->hist->n_rounds];
  *mean = r->hist->mean[r->hist->n_rounds];
  return 0;
}

const ent_bargainer ent_bargain_eum = {
    "eum", work_alloc, work_free, work_size, result_alloc, result_free, run,
    outcome,
};
