/*
 * backtest.c -- model against history (docs/backtest.md).
 *
 * For every history series of the scenario whose variable the run records
 * (trade_total "A<->B" is the sum of the two trade_flow directions), the
 * years after the base year with both an actual and a model value are
 * compared.  Baselines, fitted only to what was observed up to the base
 * year (never to the outcome):
 *   persistence  the last observed value at or before the base year: the
 *                history's base-year value, else the base-year value of
 *                the scenario's data (which the run starts from, and which
 *                is itself an observation of the base year), else the last
 *                history value before the base year;
 *   drift        a random walk with drift: from the persistence value,
 *                y(t) = y0 exp(g (t - t0)) with g the mean log growth per
 *                year over the observations up to the base year (those of
 *                the history and the persistence value): (ln y_last -
 *                ln y_first) / (t_last - t_first), at least two years;
 *   trend        ln y = a + b year, least squares over the history's
 *                observed years up to the base year (at least two): the
 *                log-linear trend (2000-2013 for the 2013 scenario).
 * MAPE = mean over the compared years of 100 |forecast - actual| / actual;
 * bias = mean of forecast / actual (1 unbiased, below 1 too low).  The
 * best is the lowest MAPE; when two or more share it (within 1e-9 of
 * each other, relative) the best is "tie": a tie is nobody's win.
 *
 * The tables go into a result tree (run_result.h); the renderers write it.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "sim/run_result.h"

#define BT_MAX_YEARS 256

typedef struct bt_series {
  const ent_history *h;
  int n;              /* compared years */
  int years[BT_MAX_YEARS];
  double actual[BT_MAX_YEARS], model[BT_MAX_YEARS], persist[BT_MAX_YEARS],
      drift[BT_MAX_YEARS], trend[BT_MAX_YEARS];
  double mape_model, mape_persist, mape_drift, mape_trend;
  double bias_model, bias_persist, bias_drift, bias_trend;
  int has_trend, has_drift;
  int persist_year, persist_hist, trend_from, trend_to, drift_from, drift_to;
  double drift_rate;
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

/* MAPE (%) and bias of f against s->actual. */
static void score(const bt_series *s, const double *f, double *mape,
                  double *bias) {
  double e = 0.0, q = 0.0;
  for (int k = 0; k < s->n; k++) {
    e += fabs(f[k] - s->actual[k]) / s->actual[k];
    q += f[k] / s->actual[k];
  }
  *mape = 100.0 * e / s->n;
  *bias = q / s->n;
}

/* Fill s for history h; 0 if at least one year could be compared. */
static int compare(const ent_run *r, const ent_history *h, bt_series *s) {
  int start = r->first_year;
  memset(s, 0, sizeof *s);
  s->h = h;
  /* observations up to the base year: the log-linear fit, the first and
   * last of them, the base year's own */
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int nfit = 0, first_y = INT_MAX, last_y = INT_MIN, tmin = INT_MAX,
      tmax = INT_MIN;
  double first_v = NAN, last_v = NAN;
  for (size_t k = 0; k < h->n; k++) {
    int yr = h->years[k];
    if (yr > start || !(h->values[k] > 0.0)) continue;
    if (yr < first_y) first_y = yr, first_v = h->values[k];
    if (yr > last_y) last_y = yr, last_v = h->values[k];
    if (yr < tmin) tmin = yr;
    if (yr > tmax) tmax = yr;
    double x = yr - start, y = log(h->values[k]);
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
    s->trend_from = tmin;
    s->trend_to = tmax;
  }
  /* persistence: the history's base-year value, else the base-year data
   * the run starts from, else the last value before the base year */
  double p0 = NAN;
  int p0_year = 0;
  if (last_y == start) {
    p0 = last_v;
    p0_year = start;
    s->persist_hist = 1;
  } else {
    double b = model_value(r, h, start);
    if (isfinite(b) && b >= 0.0) {
      p0 = b;
      p0_year = start;
    } else if (isfinite(last_v)) {
      p0 = last_v;
      p0_year = last_y;
      s->persist_hist = 1;
    }
  }
  if (!isfinite(p0)) return -1;
  s->persist_year = p0_year;
  /* drift: from the first observation to the persistence value */
  if (isfinite(first_v) && first_y < p0_year && p0 > 0.0) {
    s->has_drift = 1;
    s->drift_from = first_y;
    s->drift_to = p0_year;
    s->drift_rate = (log(p0) - log(first_v)) / (double)(p0_year - first_y);
  }
  for (size_t k = 0; k < h->n && s->n < BT_MAX_YEARS; k++) {
    int y = h->years[k];
    if (y <= start || y > r->last_year || !(h->values[k] > 0.0)) continue;
    double mv = model_value(r, h, y);
    if (!isfinite(mv)) continue;
    s->years[s->n] = y;
    s->actual[s->n] = h->values[k];
    s->model[s->n] = mv;
    s->persist[s->n] = p0;
    s->drift[s->n] = s->has_drift ? p0 * exp(s->drift_rate * (y - p0_year)) : NAN;
    s->trend[s->n] = s->has_trend ? exp(icept + slope * (y - start)) : NAN;
    s->n++;
  }
  if (s->n == 0) return -1;
  score(s, s->model, &s->mape_model, &s->bias_model);
  score(s, s->persist, &s->mape_persist, &s->bias_persist);
  s->mape_drift = s->bias_drift = s->mape_trend = s->bias_trend = NAN;
  if (s->has_drift) score(s, s->drift, &s->mape_drift, &s->bias_drift);
  if (s->has_trend) score(s, s->trend, &s->mape_trend, &s->bias_trend);
  return 0;
}

static int same(double a, double b) {
  return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* The best of model and baselines by MAPE, or "tie" (the tied names in
 * tied) when the lowest is shared. */
static const char *winner(const bt_series *s, char *tied, size_t cap) {
  const char *name[4] = {"model", "persistence", "drift", "trend"};
  double v[4] = {s->mape_model, s->mape_persist,
                 s->has_drift ? s->mape_drift : NAN,
                 s->has_trend ? s->mape_trend : NAN};
  double best = v[0];
  for (int k = 1; k < 4; k++)
    if (isfinite(v[k]) && v[k] < best) best = v[k];
  int n = 0, w = 0;
  tied[0] = '\0';
  for (int k = 0; k < 4; k++)
    if (isfinite(v[k]) && same(v[k], best)) {
      size_t l = strlen(tied);
      snprintf(tied + l, cap - l, "%s%s", n ? ", " : "", name[k]);
      w = k;
      n++;
    }
  return n > 1 ? "tie" : name[w];
}

static double *copy_doubles(ent_result *res, const double *v, size_t n) {
  double *p = ent_result_alloc(res, n ? n : 1, sizeof *p);
  if (p && n) memcpy(p, v, n * sizeof *p);
  return p;
}

/* Series s into the table of res. */
static void table_row(ent_result *res, const bt_series *s,
                      ent_result_bt_series *o) {
  size_t n = (size_t)s->n;
  char tied[64];
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
  o->drift = copy_doubles(res, s->drift, n);
  o->has_trend = s->has_trend;
  o->has_drift = s->has_drift;
  o->mape_model = s->mape_model;
  o->mape_persist = s->mape_persist;
  o->mape_trend = s->mape_trend;
  o->mape_drift = s->mape_drift;
  o->bias_model = s->bias_model;
  o->bias_persist = s->bias_persist;
  o->bias_drift = s->bias_drift;
  o->bias_trend = s->bias_trend;
  o->persist_year = s->persist_year;
  o->persist_from = s->persist_hist ? "history" : "base-year data";
  o->trend_from = s->trend_from;
  o->trend_to = s->trend_to;
  o->drift_rate = s->drift_rate;
  o->drift_from = s->drift_from;
  o->drift_to = s->drift_to;
  o->best = winner(s, tied, sizeof tied);
  o->tied = !strcmp(o->best, "tie") ? ent_result_str(res, tied) : NULL;
}

/* The tables of run r into mode (arena of res); ENT_EINVAL (message in
 * d) when nothing can be compared. */
static ent_status build_mode(const ent_run *r, ent_result *res,
                             ent_result_bt_mode *mode, ent_diag *d) {
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
  mode->bt = ent_result_alloc(res, n, sizeof *mode->bt);
  for (size_t k = 0; mode->bt && k < n; k++) table_row(res, &all[k], &mode->bt[k]);
  mode->n_bt = mode->bt ? n : 0;
  mode->bt_head = head;
  ent_free(all);
  return ent_result_failed(res) ? ENT_ENOMEM : ENT_OK;
}

/* The inputs of the scenario that a run with realised inputs uses and an
 * ex-ante run does not (or, marked, uses in both). */
static void realised_inputs(const ent_model *m, ent_result *res) {
  const ent_structure *st = m->st;
  size_t cap = st->n_blocs + st->n_shocks + st->n_sshocks + st->n_channels;
  const char **v = ent_result_alloc(res, cap + 1, sizeof *v);
  if (!v) return;
  size_t n = 0;
  char buf[400];
  for (size_t i = 0; i < st->n_blocs; i++) {
    const ent_bloc *b = &st->blocs[i];
    if (b->growth_ex_ante)
      snprintf(buf, sizeof buf, "growth of %s: the scenario's path; ex ante "
                                "growth_ex_ante", b->id);
    else
      snprintf(buf, sizeof buf, "growth of %s: the scenario's path in both "
                                "runs (it has no growth_ex_ante)", b->id);
    v[n++] = ent_result_str(res, buf);
  }
  for (size_t i = 0; i < st->n_shocks; i++)
    if (st->shocks[i].announced > st->start) {
      snprintf(buf, sizeof buf, "shock %s (announced %d; not ex ante)", st->shocks[i].id,
               st->shocks[i].announced);
      v[n++] = ent_result_str(res, buf);
    }
  for (size_t i = 0; i < st->n_sshocks; i++)
    if (st->sshocks[i].announced > st->start) {
      snprintf(buf, sizeof buf, "strategic shock %s (announced %d; not ex ante)",
               st->sshocks[i].id, st->sshocks[i].announced);
      v[n++] = ent_result_str(res, buf);
    }
  for (size_t i = 0; i < st->n_channels; i++)
    if (st->channels[i].announced != INT_MIN &&
        st->channels[i].announced > st->start) {
      snprintf(buf, sizeof buf, "channel %s (announced %d; not ex ante)",
               st->channels[i].id, st->channels[i].announced);
      v[n++] = ent_result_str(res, buf);
    }
  v[n] = NULL;
  res->bt_realised = v;
  res->n_bt_realised = n;
}

ent_status ent_backtest_result2(const ent_run *r, const ent_run *r_ex,
                                ent_result **out, ent_diag *d) {
  *out = NULL;
  if (!r || !r->m->st || (r_ex && !r_ex->m->st)) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_EINVAL, r ? r->m->source : NULL, 0, 0,
                 "a back-test needs a scenario with a structural part");
    return ENT_EINVAL;
  }
  ent_result *res = ent_result_create(ENT_RESULT_BACKTEST);
  if (!res) return ENT_ENOMEM;
  res->prov.scenario_id = ent_result_str(res, r->m->id);
  res->prov.scenario_source = ent_result_str(res, r->m->source);
  res->prov.version = ENT_VERSION;
  res->prov.has_time = 1;
  res->prov.start = r->first_year;
  res->prov.end = r->last_year;
  ent_result_bt_mode real = {0};
  ent_status st = build_mode(r, res, &real, d);
  if (st == ENT_OK) {
    res->bt = real.bt;
    res->n_bt = real.n_bt;
    res->bt_head = real.bt_head;
  }
  if (st == ENT_OK && r_ex) {
    st = build_mode(r_ex, res, &res->bt_ex, d);
    if (st == ENT_OK) realised_inputs(r->m, res);
  }
  if (st == ENT_OK && ent_result_failed(res)) st = ENT_ENOMEM;
  if (st != ENT_OK) {
    ent_result_destroy(res);
    return st;
  }
  *out = res;
  return ENT_OK;
}

ent_status ent_backtest_result(const ent_run *r, ent_result **out,
                               ent_diag *d) {
  return ent_backtest_result2(r, NULL, out, d);
}
