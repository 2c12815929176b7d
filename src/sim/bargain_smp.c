/*
 * bargain_smp.c -- KTAB's Spatial Model of Politics as a bargaining
 * back-end (bargain.h; the model is strategic/smp.c, docs/models/smp.md).
 *
 * A run maps the issue's positions to KTAB's 0-100 scale (and the results
 * back), with this year's saliences shared out over the dimensions as the
 * scenario shares them, and runs the model on the issue's solver.  An
 * issue the model refuses -- fewer than 3 actors, a zero capability or
 * salience, or KTAB's own refusals (e.g. a degenerate state with strict
 * options) -- gets a note in its part, and a warning naming the issue for
 * the refusals, instead of failing the run.
 *
 * Invariant: the solver, its problem and the 0-100 arrays are allocated
 * once per issue (work_alloc); a run allocates nothing.
 */
#include "sim/bargain.h"

#include <string.h>

#include "base/diag.h"
#include "strategic/smp.h"

typedef struct smp_work {
  ent_smp_solver *sv; /* NULL for fewer than 3 actors (never runs) */
  double *pos, *sal;  /* [n * m] this year's input, 0-100 */
  size_t n, m;
} smp_work;

static void work_free(void *work) {
  smp_work *s = work;
  if (!s) return;
  ent_smp_solver_free(s->sv);
  ent_free(s->pos);
  ent_free(s->sal);
  ent_free(s);
}

static void *work_alloc(const ent_issue *is, const char *source) {
  smp_work *s = ent_calloc(1, sizeof *s);
  if (!s) return NULL;
  s->n = is->n_stakes;
  s->m = is->n_dims;
  if (s->n < 3) return s;
  s->pos = ent_mallocarray(s->n * s->m, sizeof *s->pos);
  s->sal = ent_mallocarray(s->n * s->m, sizeof *s->sal);
  /* names as the simulation always gave them: A0, A1, ... */
  ent_smp_spec sp = {.file = source, .n = s->n, .m = s->m};
  s->sv = ent_smp_solver_alloc(&sp, &is->smp);
  if (!s->pos || !s->sal || !s->sv) {
    work_free(s);
    return NULL;
  }
  return s;
}

static size_t work_size(const void *work) {
  const smp_work *s = work;
  return sizeof *s + ent_smp_solver_size(s->sv) +
         (s->sv ? 2 * s->n * s->m * sizeof(double) : 0);
}

static void result_free(void *part) {
  ent_issue_smp *r = part;
  if (!r) return;
  ent_track_free(&r->track);
  ent_free(r->likely);
  ent_free(r->mean);
  ent_free(r->final);
  ent_free(r->win);
  ent_free(r);
}

static void *result_alloc(const ent_issue *is) {
  ent_issue_smp *r = ent_calloc(1, sizeof *r);
  if (!r) return NULL;
  size_t n = is->n_stakes, m = is->n_dims;
  r->n = n;
  r->m = m;
  r->likely = ent_calloc(m, sizeof(double));
  r->mean = ent_calloc(m, sizeof(double));
  r->final = ent_calloc(n * m, sizeof(double));
  r->win = ent_calloc(n ? n : 1, sizeof(double));
  if (!r->likely || !r->mean || !r->final || !r->win ||
      ent_track_init(&r->track, n * m)) {
    result_free(r);
    return NULL;
  }
  return r;
}

static void result_reset(void *part, void *work) {
  (void)work; /* the solver sets all it reads on each run */
  ent_issue_smp *r = part;
  size_t n = r->n, m = r->m;
  memset(r->likely, 0, m * sizeof(double));
  memset(r->mean, 0, m * sizeof(double));
  memset(r->final, 0, n * m * sizeof(double));
  memset(r->win, 0, (n ? n : 1) * sizeof(double));
  r->ran = r->turns = r->converged = 0;
  r->note = NULL;
  r->forecast = 0.0;
  ent_track_reset(&r->track);
}

static ent_status run(void *work, const ent_bargain_in *in, void *part,
                      ent_diag *d) {
  smp_work *s = work;
  ent_issue_smp *r = part;
  const ent_issue *is = in->issue;
  size_t n = s->n, m = s->m;
  r->ran = 0;
  r->note = NULL;
  if (n < 3) {
    r->note = "the spatial model needs at least 3 actors";
    return ENT_OK;
  }
  for (size_t k = 0; k < n; k++)
    if (!(in->cap[k] > 0.0) || !(in->sal[k] > 0.0)) {
      r->note = "the spatial model needs positive capabilities and "
                "saliences";
      return ENT_OK;
    }
  double span = is->hi - is->lo;
  /* this year's start (x on the issue scale, stake-major) into s->pos */
  ent_track_start(&r->track, in, m, s->pos);
  for (size_t k = 0; k < n; k++) {
    const ent_stake *sk = &is->stakes[k];
    /* this year's salience (links may scale it), shared out over the
     * dimensions as the scenario shares it */
    double scale = sk->salience > 0.0 ? in->sal[k] / sk->salience : 1.0;
    for (size_t q = 0; q < m; q++) {
      double x = s->pos[k * m + q];
      double v = m > 1 ? sk->sal_dims[q] * scale : in->sal[k];
      x = 100.0 * (x - is->lo) / span;
      s->pos[k * m + q] = x < 0.0 ? 0.0 : x > 100.0 ? 100.0 : x;
      s->sal[k * m + q] = 100.0 * (v > 1.0 ? 1.0 : v);
    }
  }
  ent_smp_solver_set_max_turns(s->sv, in->rounds);
  ent_status st = ent_smp_solver_run(s->sv, in->cap, s->pos, s->sal, NULL);
  if (st != ENT_OK) {
    /* KTAB refuses some inputs: report it for this issue rather than fail
     * the run */
    const char *why = ent_smp_solver_note(s->sv);
    r->note = "the spatial model refused this issue's inputs";
    if (why[0])
      ent_diag_add(d, ENT_SEV_WARNING, st, in->source, is->at.line,
                   is->at.col, "issue '%s': smp: %s", is->id, why);
    return ENT_OK;
  }
  size_t best = 0;
  double wsum = 0.0;
  for (size_t q = 0; q < m; q++) r->mean[q] = 0.0;
  for (size_t k = 0; k < n; k++) {
    r->win[k] = ent_smp_solver_win_prob(s->sv, k);
    if (r->win[k] > r->win[best]) best = k;
    double w = in->cap[k] * in->sal[k];
    wsum += w;
    for (size_t q = 0; q < m; q++) {
      double x = is->lo + span * ent_smp_solver_position(s->sv, k, q) / 100.0;
      r->final[k * m + q] = x;
      r->mean[q] += w * x;
    }
  }
  for (size_t q = 0; q < m; q++) {
    r->mean[q] = wsum > 0.0 ? r->mean[q] / wsum : r->final[q];
    r->likely[q] = r->final[best * m + q];
  }
  r->turns = ent_smp_solver_turns(s->sv);
  r->converged = ent_smp_solver_converged(s->sv);
  r->ran = 1;
  memcpy(r->track.end, r->final, n * m * sizeof *r->final);
  r->track.has_end = 1;
  /* one read-out a year: the forecast on the first dimension, settled
   * over the last four years of a run with a time axis */
  if (in->restart) r->track.ring_n = 0;
  ent_track_push(&r->track, &r->likely[0], 1);
  double f = ent_track_settle(&r->track, r->likely[0], 4, 0.01 * span);
  r->forecast = in->rounds > 0 ? f : r->likely[0];
  return ENT_OK;
}

static int outcome(const void *part, size_t q, double *forecast,
                   double *mean) {
  const ent_issue_smp *r = part;
  if (!r || !r->ran || q >= r->m) return -1;
  *forecast = q == 0 ? r->forecast : r->likely[q];
  *mean = r->mean[q];
  return 0;
}

const ent_bargainer ent_bargain_smp = {
    "smp",        work_alloc, work_free, work_size, result_alloc, result_free,
    result_reset, run,       outcome,
};
