/*
 * backtest_bands.c -- a back-test with its realised and ex-ante runs side
 * by side and, with runs > 0, the model's 80% and 90% bands from an
 * ensemble of the scenario's uncertain inputs and their empirical
 * coverage of the observed values (docs/backtest.md; public API in
 * entente.h).
 *
 * The ensemble is the forecast's (ensemble.c): members drawn from their
 * own random streams (seed, member index), reduced in index order, so the
 * bands are the same bytes for any thread count.  For every compared
 * (series, year) the member values are kept and the order statistics the
 * bands read are selected (ent_select_ranks); the bands are
 * their type-7 quantiles (as the forecast's exact quantiles): 80% =
 * [q10, q90], 90% = [q05, q95].  Coverage is the number of compared years
 * whose observed value lies inside a band, bounds included.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "base/diag.h"
#include "ensemble/ensemble_impl.h"
#include "sim/run_result.h"

void ent_backtest_opts_init(ent_backtest_opts *o) {
  memset(o, 0, sizeof *o);
  o->runs = 0;
  o->seed = 1;
  o->threads = 1;
  o->ex_ante = 1;
}

/* The record's value of cell c (NAN when c is -1). */
static double rec_value(const ent_ensemble *e, const unsigned char *rec,
                        size_t c) {
  double v = NAN;
  if (c != (size_t)-1)
    memcpy(&v, rec + ENT_ENS_REC_HEAD + (e->d + c) * sizeof(double), sizeof v);
  return v;
}

/* One compared (series, year): its cells (two for trade_total "A<->B"). */
typedef struct bpoint {
  size_t c1, c2;
  size_t n;
  double *v; /* [runs] */
} bpoint;

/* Cells of series s in year y into p; -1 if the ensemble lacks them. */
static int point_cells(const ent_ensemble *e, const ent_result_bt_series *s,
                       int y, bpoint *p) {
  p->c2 = (size_t)-1;
  if (!strcmp(s->variable, ENT_VNAME(ENT_VAR_TRADE_TOTAL))) {
    const char *sep = strstr(s->entity, "<->");
    if (!sep) return -1;
    char ab[140], ba[140];
    snprintf(ab, sizeof ab, "%.*s->%s", (int)(sep - s->entity), s->entity, sep + 3);
    snprintf(ba, sizeof ba, "%s->%.*s", sep + 3, (int)(sep - s->entity), s->entity);
    p->c1 = ent_ensemble_find_cell(e, ENT_VNAME(ENT_VAR_TRADE_FLOW), ab, y);
    p->c2 = ent_ensemble_find_cell(e, ENT_VNAME(ENT_VAR_TRADE_FLOW), ba, y);
    return p->c1 == (size_t)-1 || p->c2 == (size_t)-1 ? -1 : 0;
  }
  p->c1 = ent_ensemble_find_cell(e, s->variable, s->entity, y);
  return p->c1 == (size_t)-1 ? -1 : 0;
}

static double q(const double *v, size_t n, double p) {
  return n ? gsl_stats_quantile_from_sorted_data(v, 1, n, p) : NAN;
}

/* The bands of every series of mode: an ensemble of m run with
 * ex_ante. */
static ent_status mode_bands(ent_result *res, ent_result_bt_mode *mode,
                             const ent_model *m, int ex_ante,
                             const ent_backtest_opts *o, ent_diag *d) {
  ent_run_opts *ro = ent_run_opts_create();
  if (!ro) return ENT_ENOMEM;
  ro->ex_ante = ex_ante;
  ent_ensemble_opts eo;
  ent_ensemble_opts_init(&eo);
  eo.runs = o->runs;
  eo.seed = o->seed;
  eo.threads = o->threads;
  ent_ensemble *e = NULL;
  ent_status st = ent_ensemble_create(m, ro, &eo, &e, d);
  ent_run_opts_destroy(ro);
  if (st != ENT_OK) return st;
  size_t np = 0;
  for (size_t k = 0; k < mode->n_bt; k++) np += mode->bt[k].n;
  bpoint *pt = ent_calloc(np ? np : 1, sizeof *pt);
  double *store = ent_calloc((np ? np : 1) * o->runs, sizeof *store);
  if (!pt || !store) st = ENT_ENOMEM;
  size_t at = 0;
  for (size_t k = 0; st == ENT_OK && k < mode->n_bt; k++)
    for (size_t y = 0; y < mode->bt[k].n; y++, at++) {
      pt[at].v = store + at * o->runs;
      if (point_cells(e, &mode->bt[k], mode->bt[k].years[y], &pt[at])) {
        ent_diag_add(d, ENT_SEV_ERROR, ENT_EINTERNAL, m->source, 0, 0,
                     "the forecast has no output %s %s in %d",
                     mode->bt[k].variable, mode->bt[k].entity,
                     mode->bt[k].years[y]);
        st = ENT_EINTERNAL;
        break;
      }
    }
  /* the members in index order */
  while (st == ENT_OK) {
    ent_status s2 = ent_ensemble_step(e, d);
    if (s2 != ENT_OK && s2 != ENT_CONTINUE) {
      st = s2;
      break;
    }
    unsigned long first, count;
    const unsigned char *b = ent_ensemble_batch(e, &first, &count);
    for (unsigned long r = 0; b && r < count; r++) {
      const unsigned char *rec = b + r * e->rec_bytes;
      if (ent_ensemble_record_status(rec) != ENT_OK) continue;
      for (size_t p = 0; p < np; p++) {
        double v = rec_value(e, rec, pt[p].c1);
        if (pt[p].c2 != (size_t)-1) v += rec_value(e, rec, pt[p].c2);
        if (!isnan(v) && pt[p].n < o->runs) pt[p].v[pt[p].n++] = v;
      }
    }
    if (s2 == ENT_OK) break;
  }
  at = 0;
  for (size_t k = 0; st == ENT_OK && k < mode->n_bt; k++) {
    ent_result_bt_series *s = &mode->bt[k];
    size_t n = s->n;
    double *qq[5];
    for (int j = 0; j < 5; j++) qq[j] = ent_result_alloc(res, n ? n : 1, sizeof(double));
    if (!qq[0] || !qq[1] || !qq[2] || !qq[3] || !qq[4]) {
      st = ENT_ENOMEM;
      break;
    }
    s->q05 = qq[0], s->q10 = qq[1], s->q50 = qq[2], s->q90 = qq[3], s->q95 = qq[4];
    s->members = n ? pt[at].n : 0;
    s->in80 = s->in90 = 0;
    for (size_t y = 0; y < n; y++, at++) {
      bpoint *p = &pt[at];
      /* the order statistics gsl_stats_quantile_from_sorted_data reads
       * (index (n - 1) f and the next), selected instead of sorted */
      static const double fs[5] = {0.05, 0.10, 0.50, 0.90, 0.95};
      size_t ranks[10], nr = 0;
      for (int j = 0; p->n && j < 5; j++) {
        size_t lhs = (size_t)(fs[j] * (double)(p->n - 1));
        ranks[nr++] = lhs;
        if (lhs + 1 < p->n) ranks[nr++] = lhs + 1;
      }
      ent_select_ranks(p->v, p->n, ranks, nr);
      s->q05[y] = q(p->v, p->n, 0.05);
      s->q10[y] = q(p->v, p->n, 0.10);
      s->q50[y] = q(p->v, p->n, 0.50);
      s->q90[y] = q(p->v, p->n, 0.90);
      s->q95[y] = q(p->v, p->n, 0.95);
      if (p->n < s->members) s->members = p->n;
      double a = s->actual[y];
      s->in80 += a >= s->q10[y] && a <= s->q90[y];
      s->in90 += a >= s->q05[y] && a <= s->q95[y];
    }
    s->has_bands = 1;
  }
  ent_free(store);
  ent_free(pt);
  ent_ensemble_destroy(e);
  return st;
}

ent_status ent_backtest_create(const ent_model *m, const ent_backtest_opts *o,
                               ent_result **out, ent_diag *d) {
  *out = NULL;
  if (!m || !o || o->threads < 1) return ENT_EINVAL;
  if (!m->st) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINVAL, m->source, 0, 0,
                 "a back-test needs a scenario with a structural part");
    return ENT_EINVAL;
  }
  if (o->runs > 0 && ent_model_uncertain_count(m) == 0) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINVAL, m->source, 0, 0,
                 "scenario '%s' has no uncertain inputs: its bands would be a "
                 "single line; back-test a variant with ranges (e.g. "
                 "russia-china-2013-uncertain; docs/backtest.md)", m->id);
    return ENT_EINVAL;
  }
  ent_run *r = NULL, *rx = NULL;
  ent_run_opts *ro = o->ex_ante ? ent_run_opts_create() : NULL;
  ent_status st = o->ex_ante && !ro ? ENT_ENOMEM : ENT_OK;
  if (st == ENT_OK) st = ent_run_create(m, NULL, &r, d);
  if (st == ENT_OK && ro) {
    ro->ex_ante = 1;
    st = ent_run_create(m, ro, &rx, d);
  }
  ent_result *res = NULL;
  if (st == ENT_OK) st = ent_backtest_result2(r, rx, &res, d);
  ent_run_destroy(r);
  ent_run_destroy(rx);
  ent_run_opts_destroy(ro);
  if (st == ENT_OK && o->runs > 0) {
    ent_result_bt_mode real = {res->bt, res->n_bt, res->bt_head};
    res->bt_runs = o->runs;
    res->bt_seed = o->seed;
    st = mode_bands(res, &real, m, 0, o, d);
    if (st == ENT_OK && res->bt_ex.bt)
      st = mode_bands(res, &res->bt_ex, m, 1, o, d);
  }
  if (st == ENT_OK && ent_result_failed(res)) st = ENT_ENOMEM;
  if (st != ENT_OK) {
    ent_result_destroy(res);
    return st;
  }
  *out = res;
  return ENT_OK;
}
