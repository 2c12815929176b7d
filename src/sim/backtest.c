/*
 * backtest.c -- model against history (docs/backtest.md).
 *
 * For every history series of the scenario whose variable the run records
 * (trade_total "A<->B" is the sum of the two trade_flow directions), the
 * years after the base year with both an actual and a model value are
 * compared.  Baselines, fitted only to what was observed up to the base
 * year (never to the outcome):
 *   persistence  the last observed value at or before the base year (or,
 *                when the history has none, the base-year value of the
 *                scenario's data, which the run starts from);
 *   trend        ln y = a + b year, least squares over the observed years
 *                up to the base year (at least two).
 * MAPE = mean over the compared years of 100 |forecast - actual| / actual.
 *
 * The table goes into a result tree (run_result.h); the renderers write it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "sim/run_result.h"

typedef struct bt_series {
  const ent_history *h;
  int n;              /* compared years */
  int years[256];
  double actual[256], model[256], persist[256], trend[256];
  double mape_model, mape_persist, mape_trend;
  int has_trend;
} bt_series;

static double model_value(const ent_run *r, const ent_history *h, int y) {
  if (!strcmp(h->variable, ENT_VNAME(ENT_VAR_TRADE_TOTAL))) {
    const char *sep = strstr(h->entity, "<->");
    if (!sep) return NAN;
    char a[64], b[64], ab[140], ba[140];
    snprintf(a, sizeof a, "%.*s", (int)(sep - h->entity), h->entity);
    snprintf(b, sizeof b, "%s", sep + 3);
    snprintf(ab, sizeof ab, "%s->%s", a, b);
    snprintf(ba, sizeof ba, "%s->%s", b, a);
    return ent_run_value(r, ENT_VNAME(ENT_VAR_TRADE_FLOW), ab, y) +
           ent_run_value(r, ENT_VNAME(ENT_VAR_TRADE_FLOW), ba, y);
  }
  return ent_run_value(r, h->variable, h->entity, y);
}

/* Fill s for history h; 0 if at least one year could be compared. */
static int compare(const ent_run *r, const ent_history *h, bt_series *s) {
  int start = r->first_year;
  memset(s, 0, sizeof *s);
  s->h = h;
  double last = NAN, sx = 0, sy = 0, sxx = 0, sxy = 0;
  int nfit = 0;
  for (size_t k = 0; k < h->n; k++) {
    if (h->years[k] > start || !(h->values[k] > 0.0)) continue;
    last = h->values[k];
    double x = h->years[k] - start, y = log(h->values[k]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    nfit++;
  }
  double slope = 0.0, icept = 0.0;
  if (nfit >= 2 && nfit * sxx - sx * sx > 0.0) {
    slope = (nfit * sxy - sx * sy) / (nfit * sxx - sx * sx);
    icept = (sy - slope * sx) / nfit;
    s->has_trend = 1;
  }
  for (size_t k = 0; k < h->n && s->n < 256; k++) {
    int y = h->years[k];
    if (y <= start || y > r->last_year || !(h->values[k] > 0.0)) continue;
    double mv = model_value(r, h, y);
    if (!isfinite(mv)) continue;
    s->years[s->n] = y;
    s->actual[s->n] = h->values[k];
    s->model[s->n] = mv;
    s->persist[s->n] = last;
    s->trend[s->n] = s->has_trend ? exp(icept + slope * (y - start)) : NAN;
    s->n++;
  }
  /* no observation up to the base year: persist the base-year data the
   * run starts from (the scenario's own base-year value) */
  if (!isfinite(last)) last = model_value(r, h, start);
  for (int k = 0; k < s->n; k++) s->persist[k] = last;
  if (s->n == 0 || !isfinite(last)) return -1;
  for (int k = 0; k < s->n; k++) {
    s->mape_model += fabs(s->model[k] - s->actual[k]) / s->actual[k];
    s->mape_persist += fabs(s->persist[k] - s->actual[k]) / s->actual[k];
    if (s->has_trend) s->mape_trend += fabs(s->trend[k] - s->actual[k]) / s->actual[k];
  }
  s->mape_model *= 100.0 / s->n;
  s->mape_persist *= 100.0 / s->n;
  s->mape_trend = s->has_trend ? s->mape_trend * 100.0 / s->n : NAN;
  return 0;
}

static const char *winner(const bt_series *s) {
  double best = s->mape_model;
  const char *w = "model";
  if (s->mape_persist < best) {
    best = s->mape_persist;
    w = "persistence";
  }
  if (s->has_trend && s->mape_trend < best) w = "trend";
  return w;
}

static double *copy_doubles(ent_result *res, const double *v, size_t n) {
  double *p = ent_result_alloc(res, n, sizeof *p);
  if (p && n) memcpy(p, v, n * sizeof *p);
  return p;
}

/* Series s into the table of res. */
static void table_row(ent_result *res, const bt_series *s,
                      ent_result_bt_series *o) {
  size_t n = (size_t)s->n;
  o->variable = ent_result_str(res, s->h->variable);
  o->entity = ent_result_str(res, s->h->entity);
  o->unit = ent_result_str(res, s->h->unit);
  o->source = ent_result_str(res, s->h->source);
  o->n = n;
  o->years = ent_result_alloc(res, n, sizeof *o->years);
  if (o->years && n) memcpy(o->years, s->years, n * sizeof *o->years);
  o->actual = copy_doubles(res, s->actual, n);
  o->model = copy_doubles(res, s->model, n);
  o->persist = copy_doubles(res, s->persist, n);
  o->trend = copy_doubles(res, s->trend, n);
  o->has_trend = s->has_trend;
  o->mape_model = s->mape_model;
  o->mape_persist = s->mape_persist;
  o->mape_trend = s->mape_trend;
  o->best = winner(s);
}

ent_status ent_backtest_result(const ent_run *r, ent_result **out,
                               ent_diag *d) {
  *out = NULL;
  if (!r || !r->m->st) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINVAL, r ? r->m->source : NULL, 0, 0,
                 "a back-test needs a scenario with a structural part");
    return ENT_EINVAL;
  }
  const ent_structure *st = r->m->st;
  bt_series *all = ent_calloc(st->n_history ? st->n_history : 1, sizeof *all);
  if (!all) return ENT_ENOMEM;
  size_t n = 0, head = 0;
  int have_head = 0;
  for (size_t k = 0; k < st->n_history; k++)
    if (compare(r, &st->history[k], &all[n]) == 0) {
      if (!have_head &&
          !strcmp(all[n].h->variable, ENT_VNAME(ENT_VAR_TRADE_TOTAL))) {
        head = n;
        have_head = 1;
      }
      n++;
    }
  if (n == 0) {
    ent_free(all);
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINVAL, r->m->source, 0, 0,
                 "scenario '%s' has no history after its base year %d that the "
                 "model can be compared with", r->m->id, r->first_year);
    return ENT_EINVAL;
  }
  ent_result *res = ent_result_create(ENT_RESULT_BACKTEST);
  if (res) {
    res->prov.scenario_id = ent_result_str(res, r->m->id);
    res->prov.scenario_source = ent_result_str(res, r->m->source);
    res->prov.version = ENT_VERSION;
    res->prov.has_time = 1;
    res->prov.start = r->first_year;
    res->prov.end = r->last_year;
    res->bt = ent_result_alloc(res, n, sizeof *res->bt);
    for (size_t k = 0; res->bt && k < n; k++) table_row(res, &all[k], &res->bt[k]);
    res->n_bt = n;
    res->bt_head = head;
  }
  ent_free(all);
  if (!res || ent_result_failed(res)) {
    ent_result_destroy(res);
    return ENT_ENOMEM;
  }
  *out = res;
  return ENT_OK;
}
