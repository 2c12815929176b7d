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
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "sim/sim.h"

typedef struct bt_series {
  const ent_history *h;
  int n;              /* compared years */
  int years[256];
  double actual[256], model[256], persist[256], trend[256];
  double mape_model, mape_persist, mape_trend;
  int has_trend;
} bt_series;

static double model_value(const ent_run *r, const ent_history *h, int y) {
  if (!strcmp(h->variable, "trade_total")) {
    const char *sep = strstr(h->entity, "<->");
    if (!sep) return NAN;
    char a[64], b[64], ab[140], ba[140];
    snprintf(a, sizeof a, "%.*s", (int)(sep - h->entity), h->entity);
    snprintf(b, sizeof b, "%s", sep + 3);
    snprintf(ab, sizeof ab, "%s->%s", a, b);
    snprintf(ba, sizeof ba, "%s->%s", b, a);
    return ent_run_value(r, "trade_flow", ab, y) +
           ent_run_value(r, "trade_flow", ba, y);
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

static cJSON *series_json(const bt_series *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "variable", s->h->variable);
  cJSON_AddStringToObject(o, "entity", s->h->entity);
  cJSON_AddStringToObject(o, "source", s->h->source ? s->h->source : "");
  cJSON *years = cJSON_AddArrayToObject(o, "years");
  for (int k = 0; k < s->n; k++) {
    cJSON *y = cJSON_CreateObject();
    cJSON_AddNumberToObject(y, "year", s->years[k]);
    cJSON_AddNumberToObject(y, "actual", s->actual[k]);
    cJSON_AddNumberToObject(y, "model", s->model[k]);
    cJSON_AddNumberToObject(y, "persistence", s->persist[k]);
    if (s->has_trend) cJSON_AddNumberToObject(y, "trend", s->trend[k]);
    cJSON_AddItemToArray(years, y);
  }
  cJSON *mape = cJSON_AddObjectToObject(o, "mape");
  cJSON_AddNumberToObject(mape, "model", s->mape_model);
  cJSON_AddNumberToObject(mape, "persistence", s->mape_persist);
  if (s->has_trend) cJSON_AddNumberToObject(mape, "trend", s->mape_trend);
  else cJSON_AddNullToObject(mape, "trend");
  return o;
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

ent_status ent_run_write_backtest(const ent_run *r, ent_format f, FILE *fp,
                                  ent_diag *d) {
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
      if (!have_head && !strcmp(all[n].h->variable, "trade_total")) {
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
  ent_status rc = ENT_OK;
  const bt_series *h = &all[head];
  if (f == ENT_FORMAT_JSON) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scenario", r->m->id);
    cJSON_AddNumberToObject(root, "start", r->first_year);
    cJSON_AddNumberToObject(root, "end", r->last_year);
    cJSON_AddStringToObject(root, "variable", h->h->variable);
    cJSON_AddStringToObject(root, "entity", h->h->entity);
    cJSON *years = cJSON_AddArrayToObject(root, "years");
    for (int k = 0; k < h->n; k++) {
      cJSON *y = cJSON_CreateObject();
      cJSON_AddNumberToObject(y, "year", h->years[k]);
      cJSON_AddNumberToObject(y, "actual", h->actual[k]);
      cJSON_AddNumberToObject(y, "model", h->model[k]);
      cJSON_AddItemToArray(years, y);
    }
    cJSON *mape = cJSON_AddObjectToObject(root, "mape");
    cJSON_AddNumberToObject(mape, "model", h->mape_model);
    cJSON_AddNumberToObject(mape, "persistence", h->mape_persist);
    if (h->has_trend) cJSON_AddNumberToObject(mape, "trend", h->mape_trend);
    else cJSON_AddNullToObject(mape, "trend");
    cJSON_AddStringToObject(root, "best", winner(h));
    cJSON *ser = cJSON_AddArrayToObject(root, "series");
    for (size_t k = 0; k < n; k++) cJSON_AddItemToArray(ser, series_json(&all[k]));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) rc = ENT_ENOMEM;
    else {
      if (fputs(text, fp) < 0 || fputc('\n', fp) == EOF) rc = ENT_EIO;
      cJSON_free(text);
    }
  } else {
    ent_strbuf b;
    ent_strbuf_init(&b);
    ent_strbuf_printf(&b, "back-test of '%s': model from %d data and the known "
                          "shocks, against observed values\n",
                      r->m->id, r->first_year);
    for (size_t k = 0; k < n; k++) {
      const bt_series *s = &all[k];
      ent_strbuf_printf(&b, "\n%s %s (%s)\n", s->h->variable, s->h->entity,
                        s->h->unit ? s->h->unit : "");
      ent_strbuf_printf(&b, "  %4s %10s %10s %8s %12s %10s\n", "year", "actual",
                        "model", "error", "persistence", "trend");
      for (int q = 0; q < s->n; q++) {
        ent_strbuf_printf(&b, "  %4d %10.2f %10.2f %7.1f%% %12.2f", s->years[q],
                          s->actual[q], s->model[q],
                          100.0 * (s->model[q] - s->actual[q]) / s->actual[q],
                          s->persist[q]);
        if (s->has_trend) ent_strbuf_printf(&b, " %10.2f\n", s->trend[q]);
        else ent_strbuf_puts(&b, " -\n");
      }
      ent_strbuf_printf(&b, "  MAPE: model %.1f%%, persistence %.1f%%", s->mape_model,
                        s->mape_persist);
      if (s->has_trend) ent_strbuf_printf(&b, ", trend %.1f%%", s->mape_trend);
      ent_strbuf_printf(&b, " -- best: %s\n", winner(s));
    }
    if (b.failed) rc = ENT_ENOMEM;
    else if (fwrite(b.data, 1, b.len, fp) != b.len) rc = ENT_EIO;
    ent_strbuf_free(&b);
  }
  ent_free(all);
  if (rc == ENT_OK && fflush(fp)) rc = ENT_EIO;
  return rc;
}
