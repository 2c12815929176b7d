/*
 * json_misc.c -- the JSON documents of a back-test, of a run of the
 * spatial model and of a trade counterfactual.
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

/* ------------------------------------------------------------ smp */

static int json_add_vec(cJSON *arr, const double *v, size_t n, double scale) {
  for (size_t k = 0; k < n; k++) {
    cJSON *x = ent_json_exact(v[k] * scale);
    if (!x) return -1;
    cJSON_AddItemToArray(arr, x);
  }
  return 0;
}

/* One turn: {turn, positions[][], ideals[][] (unless the identity),
 * and its winning probabilities into probs. */
static int smp_turn(const ent_smp_run *r, size_t t, cJSON *turns,
                    cJSON *probs) {
  const ent_smp_problem *pb = r->pb;
  size_t N = pb->n, M = pb->m;
  cJSON *turn = cJSON_CreateObject();
  if (!turn) return -1;
  cJSON_AddItemToArray(turns, turn);
  int bad = !cJSON_AddNumberToObject(turn, "turn", (double)t);
  cJSON *pos = cJSON_AddArrayToObject(turn, "positions");
  cJSON *ide = r->identity_acc ? NULL : cJSON_AddArrayToObject(turn, "ideals");
  if (!pos || (!r->identity_acc && !ide)) bad = 1;
  for (size_t i = 0; i < N && !bad; i++) {
    cJSON *v = cJSON_CreateArray();
    if (!v) return -1;
    cJSON_AddItemToArray(pos, v);
    bad |= json_add_vec(v, r->x + (t * N + i) * M, M, 100.0);
    if (ide && !bad) {
      cJSON *u = cJSON_CreateArray();
      if (!u) return -1;
      cJSON_AddItemToArray(ide, u);
      bad |= json_add_vec(u, r->xi + (t * N + i) * M, M, 100.0);
    }
  }
  cJSON *p = bad ? NULL : cJSON_CreateArray();
  if (!p) return -1;
  cJSON_AddItemToArray(probs, p);
  return json_add_vec(p, r->win_prob + t * N, N, 1.0);
}

/* `entente smp` (one line): model, scenario, description, options,
 * actors[], dimensions[], turns[] {turn, positions[][], ideals[][]},
 * probabilities[][], states, converged, stop_reason, degenerate_turns[];
 * positions on KTAB's 0-100 scale, numbers exact. */
ent_status ent_json_smp(const ent_smp_run *r, FILE *fp) {
  const ent_smp_problem *pb = r->pb;
  size_t N = pb->n, M = pb->m, T = r->n_states;
  char opts[512];
  ent_smp_opts_describe(&r->opts, opts, sizeof opts);
  int bad = 0;
  cJSON *root = cJSON_CreateObject();
  if (!root) return ENT_ENOMEM;
  bad |= !cJSON_AddStringToObject(root, "model", "smp");
  bad |= !cJSON_AddStringToObject(root, "scenario", pb->name);
  bad |= !cJSON_AddStringToObject(root, "description", pb->desc);
  bad |= !cJSON_AddStringToObject(root, "options", opts);
  cJSON *actors = cJSON_AddArrayToObject(root, "actors");
  cJSON *dims = cJSON_AddArrayToObject(root, "dimensions");
  cJSON *turns = cJSON_AddArrayToObject(root, "turns");
  cJSON *probs = cJSON_AddArrayToObject(root, "probabilities");
  if (!actors || !dims || !turns || !probs) bad = 1;
  for (size_t i = 0; i < N && !bad; i++) {
    cJSON *s = cJSON_CreateString(pb->actor[i]);
    if (!s) bad = 1;
    else cJSON_AddItemToArray(actors, s);
  }
  for (size_t k = 0; k < M && !bad; k++) {
    cJSON *s = cJSON_CreateString(pb->dim[k]);
    if (!s) bad = 1;
    else cJSON_AddItemToArray(dims, s);
  }
  for (size_t t = 0; t < T && !bad; t++) bad |= smp_turn(r, t, turns, probs);
  bad |= !cJSON_AddNumberToObject(root, "states", (double)T);
  bad |= !cJSON_AddBoolToObject(root, "converged", r->converged);
  bad |= !cJSON_AddStringToObject(
      root, "stop_reason", r->stop == ENT_SMP_STOP_RATIO ? "ratio" : "max_turns");
  cJSON *deg = cJSON_AddArrayToObject(root, "degenerate_turns");
  if (!deg) bad = 1;
  for (size_t t = 0; t < T && !bad; t++)
    if (r->degenerate[t]) {
      cJSON *v = cJSON_CreateNumber((double)t);
      if (!v) bad = 1;
      else cJSON_AddItemToArray(deg, v);
    }
  char *txt = bad ? NULL : cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  if (!txt) return ENT_ENOMEM;
  int rc = fputs(txt, fp) < 0 || fputc('\n', fp) == EOF;
  cJSON_free(txt);
  return rc || ferror(fp) ? ENT_EIO : ENT_OK;
}

/* ------------------------------------------------------------ trade */

/* A number in the shortest form that reads back exactly. */
static cJSON *add_exact(cJSON *obj, const char *key, double x) {
  char buf[40];
  ent_fmt_double(buf, sizeof buf, x);
  return cJSON_AddRawToObject(obj, key, buf);
}

/* `entente gravity`: countries[] {country, Y_base, E_base, D_base, w_hat,
 * E_hat, P_hat, welfare_hat, real_wage_hat, OMR_hat, pi_own_new},
 * flows[] {exporter, importer, flow_base, b, flow_new, flow_hat (null for
 * a zero baseline flow)}, converged, iterations, residual; numbers exact. */
ent_status ent_json_trade(const ent_trade_result *r, FILE *fp) {
  size_t n = r->n;
  ent_status st = ENT_ENOMEM;
  cJSON *root = cJSON_CreateObject();
  cJSON *cs = root ? cJSON_AddArrayToObject(root, "countries") : NULL;
  cJSON *fs = root ? cJSON_AddArrayToObject(root, "flows") : NULL;
  if (!cs || !fs) goto out;
  for (size_t i = 0; i < n; i++) {
    cJSON *c = cJSON_CreateObject();
    if (!c || !cJSON_AddItemToArray(cs, c)) {
      cJSON_Delete(c);
      goto out;
    }
    if (!cJSON_AddStringToObject(c, "country", r->names[i]) ||
        !add_exact(c, "Y_base", r->Y[i]) || !add_exact(c, "E_base", r->E[i]) ||
        !add_exact(c, "D_base", r->D[i]))
      goto out;
    for (int f = 0; f < ENT_TRADE_FIELDS; f++)
      if (!add_exact(c, ent_trade_field_name[f], r->v[f][i])) goto out;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      size_t k = i * n + j;
      cJSON *c = cJSON_CreateObject();
      if (!c || !cJSON_AddItemToArray(fs, c)) {
        cJSON_Delete(c);
        goto out;
      }
      int def = r->X[k] > 0.0;
      if (!cJSON_AddStringToObject(c, "exporter", r->names[i]) ||
          !cJSON_AddStringToObject(c, "importer", r->names[j]) ||
          !add_exact(c, "flow_base", r->X[k]) || !add_exact(c, "b", r->b[k]) ||
          !add_exact(c, "flow_new", r->X_new[k]) ||
          !(def ? add_exact(c, "flow_hat", r->X_new[k] / r->X[k])
                : cJSON_AddNullToObject(c, "flow_hat")))
        goto out;
    }
  if (!cJSON_AddBoolToObject(root, "converged", 1) ||
      !cJSON_AddNumberToObject(root, "iterations", r->info.iterations) ||
      !add_exact(root, "residual", r->info.residual))
    goto out;
  char *text = cJSON_Print(root);
  if (!text) goto out;
  fputs(text, fp);
  fputc('\n', fp);
  cJSON_free(text);
  st = ENT_OK;
out:
  cJSON_Delete(root);
  return st;
}
