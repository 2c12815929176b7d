/*
 * json_misc.c -- the JSON documents of a back-test.
 *
 * `entente backtest`: scenario, start, end, variable, entity (the headline
 *   series: total trade of the main pair), years[] {year, actual, model},
 *   mape {model, persistence, trend (null without a trend)}, best,
 *   series[] {variable, entity, source, years[] {year, actual, model,
 *   persistence, trend}, mape {...}} (every compared series)
 */
#include <math.h>
#include <string.h>

#include "output/json.h"
#include "output/render.h"

static cJSON *mape_json(const ent_result_bt_series *s) {
  cJSON *mape = cJSON_CreateObject();
  cJSON_AddNumberToObject(mape, "model", s->mape_model);
  cJSON_AddNumberToObject(mape, "persistence", s->mape_persist);
  if (s->has_trend) cJSON_AddNumberToObject(mape, "trend", s->mape_trend);
  else cJSON_AddNullToObject(mape, "trend");
  return mape;
}

static cJSON *bt_series_json(const ent_result_bt_series *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "variable", s->variable);
  cJSON_AddStringToObject(o, "entity", s->entity);
  cJSON_AddStringToObject(o, "source", s->source ? s->source : "");
  cJSON *years = cJSON_AddArrayToObject(o, "years");
  for (size_t k = 0; k < s->n; k++) {
    cJSON *y = cJSON_CreateObject();
    cJSON_AddNumberToObject(y, "year", s->years[k]);
    cJSON_AddNumberToObject(y, "actual", s->actual[k]);
    cJSON_AddNumberToObject(y, "model", s->model[k]);
    cJSON_AddNumberToObject(y, "persistence", s->persist[k]);
    if (s->has_trend) cJSON_AddNumberToObject(y, "trend", s->trend[k]);
    cJSON_AddItemToArray(years, y);
  }
  cJSON_AddItemToObject(o, "mape", mape_json(s));
  return o;
}

ent_status ent_json_backtest(const ent_result *r, FILE *fp) {
  if (!r || !r->n_bt) return ENT_EINVAL;
  const ent_result_bt_series *h = &r->bt[r->bt_head];
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "scenario", r->prov.scenario_id);
  cJSON_AddNumberToObject(root, "start", r->prov.start);
  cJSON_AddNumberToObject(root, "end", r->prov.end);
  cJSON_AddStringToObject(root, "variable", h->variable);
  cJSON_AddStringToObject(root, "entity", h->entity);
  cJSON *years = cJSON_AddArrayToObject(root, "years");
  for (size_t k = 0; k < h->n; k++) {
    cJSON *y = cJSON_CreateObject();
    cJSON_AddNumberToObject(y, "year", h->years[k]);
    cJSON_AddNumberToObject(y, "actual", h->actual[k]);
    cJSON_AddNumberToObject(y, "model", h->model[k]);
    cJSON_AddItemToArray(years, y);
  }
  cJSON_AddItemToObject(root, "mape", mape_json(h));
  cJSON_AddStringToObject(root, "best", h->best);
  cJSON *ser = cJSON_AddArrayToObject(root, "series");
  for (size_t k = 0; k < r->n_bt; k++)
    cJSON_AddItemToArray(ser, bt_series_json(&r->bt[k]));
  return ent_json_emit(root, fp);
}
