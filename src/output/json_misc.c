/*
 * json_misc.c -- the JSON documents of a back-test, of a scenario's
 * assumptions (keys in assumptions.h), of a run of the spatial model and
 * of a trade counterfactual (the cJSON version, kept as the reference of
 * json_trade.c).
 *
 * `entente backtest` (docs/backtest.md): scenario, start, end, inputs
 *   ("realised"), variable, entity (the headline series: total trade of
 *   the main pair), years[] {year, actual, model, persistence, trend,
 *   drift, q05..q95 with bands}, mape {model, persistence, trend, drift
 *   (null without)}, bias {same keys}, best, tied, vs {persistence, drift,
 *   trend: win|loss|tie}, persistence_start {year, value, from}, drift_fit
 *   {rate, from, to}, trend_fit {from, to}, coverage {members, band80,
 *   band90: {in, n, share}} (null without bands), series[] {variable,
 *   entity, source, years[], and the same scores} (every compared
 *   series), coverage_all, runs, seed, realised_inputs[], ex_ante {the
 *   same for the ex-ante run}
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "base/cjson_print.h"
#include "output/assumptions.h"
#include "output/json.h"
#include "output/render.h"

static cJSON *mape_json(const ent_result_bt_series *s) {
  cJSON *mape = cJSON_CreateObject();
  cJSON_AddNumberToObject(mape, "model", s->mape_model);
  cJSON_AddNumberToObject(mape, "persistence", s->mape_persist);
  if (s->has_trend) cJSON_AddNumberToObject(mape, "trend", s->mape_trend);
  else cJSON_AddNullToObject(mape, "trend");
  ent_json_num(mape, "drift", s->has_drift ? s->mape_drift : NAN);
  return mape;
}

static cJSON *bias_json(const ent_result_bt_series *s) {
  cJSON *b = cJSON_CreateObject();
  ent_json_num(b, "model", s->bias_model);
  ent_json_num(b, "persistence", s->bias_persist);
  ent_json_num(b, "drift", s->has_drift ? s->bias_drift : NAN);
  ent_json_num(b, "trend", s->has_trend ? s->bias_trend : NAN);
  return b;
}

/* The model against one baseline by MAPE: win, loss or tie (a tie is not
 * a win); null without the baseline. */
static void vs_add(cJSON *o, const char *key, double model, double base,
                   int has) {
  if (!has || !isfinite(base)) {
    cJSON_AddNullToObject(o, key);
    return;
  }
  int tie = fabs(model - base) <= 1e-9 * fmax(fabs(model), fabs(base));
  cJSON_AddStringToObject(o, key, tie ? "tie" : model < base ? "win" : "loss");
}

static cJSON *vs_json(const ent_result_bt_series *s) {
  cJSON *o = cJSON_CreateObject();
  vs_add(o, "persistence", s->mape_model, s->mape_persist, 1);
  vs_add(o, "drift", s->mape_model, s->mape_drift, s->has_drift);
  vs_add(o, "trend", s->mape_model, s->mape_trend, s->has_trend);
  return o;
}

static void tied_add(cJSON *o, const ent_result_bt_series *s) {
  if (!s->tied) {
    cJSON_AddNullToObject(o, "tied");
    return;
  }
  cJSON *a = cJSON_AddArrayToObject(o, "tied");
  const char *p = s->tied;
  while (*p) {
    const char *c = strstr(p, ", ");
    size_t l = c ? (size_t)(c - p) : strlen(p);
    char name[32];
    snprintf(name, sizeof name, "%.*s", (int)l, p);
    cJSON_AddItemToArray(a, cJSON_CreateString(name));
    p += l + (c ? 2 : 0);
  }
}

static cJSON *band_cover(size_t in, size_t n) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "in", (double)in);
  cJSON_AddNumberToObject(o, "n", (double)n);
  ent_json_num(o, "share", n ? (double)in / (double)n : NAN);
  return o;
}

/* One year of s: actual, model, the baselines, the bands. */
static cJSON *bt_year_json(const ent_result_bt_series *s, size_t k) {
  cJSON *y = cJSON_CreateObject();
  cJSON_AddNumberToObject(y, "year", s->years[k]);
  cJSON_AddNumberToObject(y, "actual", s->actual[k]);
  cJSON_AddNumberToObject(y, "model", s->model[k]);
  cJSON_AddNumberToObject(y, "persistence", s->persist[k]);
  if (s->has_trend) cJSON_AddNumberToObject(y, "trend", s->trend[k]);
  if (s->has_drift) cJSON_AddNumberToObject(y, "drift", s->drift[k]);
  if (s->has_bands) {
    ent_json_num(y, "q05", s->q05[k]);
    ent_json_num(y, "q10", s->q10[k]);
    ent_json_num(y, "q50", s->q50[k]);
    ent_json_num(y, "q90", s->q90[k]);
    ent_json_num(y, "q95", s->q95[k]);
  }
  return y;
}

/* The scores of s (mape, bias, best, tied, vs, baselines' fits,
 * coverage) into o. */
static void bt_scores_json(cJSON *o, const ent_result_bt_series *s) {
  cJSON_AddItemToObject(o, "mape", mape_json(s));
  cJSON_AddItemToObject(o, "bias", bias_json(s));
  cJSON_AddStringToObject(o, "best", s->best);
  tied_add(o, s);
  cJSON_AddItemToObject(o, "vs", vs_json(s));
  cJSON *p = cJSON_AddObjectToObject(o, "persistence_start");
  cJSON_AddNumberToObject(p, "year", s->persist_year);
  ent_json_num(p, "value", s->n ? s->persist[0] : NAN);
  cJSON_AddStringToObject(p, "from", s->persist_from);
  if (s->has_drift) {
    cJSON *d = cJSON_AddObjectToObject(o, "drift_fit");
    cJSON_AddNumberToObject(d, "rate", s->drift_rate);
    cJSON_AddNumberToObject(d, "from", s->drift_from);
    cJSON_AddNumberToObject(d, "to", s->drift_to);
  } else {
    cJSON_AddNullToObject(o, "drift_fit");
  }
  if (s->has_trend) {
    cJSON *t = cJSON_AddObjectToObject(o, "trend_fit");
    cJSON_AddNumberToObject(t, "from", s->trend_from);
    cJSON_AddNumberToObject(t, "to", s->trend_to);
  } else {
    cJSON_AddNullToObject(o, "trend_fit");
  }
  if (s->has_bands) {
    cJSON *c = cJSON_AddObjectToObject(o, "coverage");
    cJSON_AddNumberToObject(c, "members", (double)s->members);
    cJSON_AddItemToObject(c, "band80", band_cover(s->in80, s->n));
    cJSON_AddItemToObject(c, "band90", band_cover(s->in90, s->n));
  } else {
    cJSON_AddNullToObject(o, "coverage");
  }
}

static cJSON *bt_series_json(const ent_result_bt_series *s) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "variable", s->variable);
  cJSON_AddStringToObject(o, "entity", s->entity);
  cJSON_AddStringToObject(o, "source", s->source ? s->source : "");
  cJSON *years = cJSON_AddArrayToObject(o, "years");
  for (size_t k = 0; k < s->n; k++)
    cJSON_AddItemToArray(years, bt_year_json(s, k));
  bt_scores_json(o, s);
  return o;
}

/* The tables of one mode into o: the headline series' variable, entity,
 * years and scores, then series[] (every compared series) and the
 * coverage over all of them. */
static void bt_mode_json(cJSON *o, const ent_result_bt_series *bt, size_t n,
                         size_t head) {
  const ent_result_bt_series *h = &bt[head];
  cJSON_AddStringToObject(o, "variable", h->variable);
  cJSON_AddStringToObject(o, "entity", h->entity);
  cJSON *years = cJSON_AddArrayToObject(o, "years");
  for (size_t k = 0; k < h->n; k++)
    cJSON_AddItemToArray(years, bt_year_json(h, k));
  bt_scores_json(o, h);
  cJSON *ser = cJSON_AddArrayToObject(o, "series");
  size_t in80 = 0, in90 = 0, all = 0;
  for (size_t k = 0; k < n; k++) {
    cJSON_AddItemToArray(ser, bt_series_json(&bt[k]));
    in80 += bt[k].in80;
    in90 += bt[k].in90;
    all += bt[k].n;
  }
  if (h->has_bands) {
    cJSON *c = cJSON_AddObjectToObject(o, "coverage_all");
    cJSON_AddItemToObject(c, "band80", band_cover(in80, all));
    cJSON_AddItemToObject(c, "band90", band_cover(in90, all));
  } else {
    cJSON_AddNullToObject(o, "coverage_all");
  }
}

ent_status ent_json_backtest(const ent_result *r, FILE *fp) {
  if (!r || !r->n_bt) return ENT_EINVAL;
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "scenario", r->prov.scenario_id);
  cJSON_AddNumberToObject(root, "start", r->prov.start);
  cJSON_AddNumberToObject(root, "end", r->prov.end);
  cJSON_AddStringToObject(root, "inputs", "realised");
  bt_mode_json(root, r->bt, r->n_bt, r->bt_head);
  if (r->bt_runs) {
    cJSON_AddNumberToObject(root, "runs", (double)r->bt_runs);
    cJSON_AddNumberToObject(root, "seed", (double)r->bt_seed);
  } else {
    cJSON_AddNullToObject(root, "runs");
  }
  if (r->bt_ex.bt) {
    cJSON *ri = cJSON_AddArrayToObject(root, "realised_inputs");
    for (size_t k = 0; k < r->n_bt_realised; k++)
      cJSON_AddItemToArray(ri, cJSON_CreateString(r->bt_realised[k]));
    cJSON *ex = cJSON_AddObjectToObject(root, "ex_ante");
    cJSON_AddStringToObject(ex, "inputs", "ex-ante");
    bt_mode_json(ex, r->bt_ex.bt, r->bt_ex.n_bt, r->bt_ex.bt_head);
  } else {
    cJSON_AddNullToObject(root, "realised_inputs");
    cJSON_AddNullToObject(root, "ex_ante");
  }
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
  char *txt = bad ? NULL : ent_cjson_text(root, 0);
  cJSON_Delete(root);
  if (!txt) return ENT_ENOMEM;
  int rc = fputs(txt, fp) < 0 || fputc('\n', fp) == EOF;
  ent_free(txt);
  return rc || ferror(fp) ? ENT_EIO : ENT_OK;
}

/* ------------------------------------------------------------ trade */

/* A number in the shortest form that reads back exactly (ref: through
 * ent_fmt_double_ref, for bench_trade). */
static cJSON *add_exact(cJSON *obj, const char *key, double x, int ref) {
  char buf[40];
  (ref ? ent_fmt_double_ref : ent_fmt_double)(buf, sizeof buf, x);
  return cJSON_AddRawToObject(obj, key, buf);
}

/* `entente gravity`: countries[] {country, Y_base, E_base, D_base, w_hat,
 * E_hat, P_hat, welfare_hat, real_wage_hat, OMR_hat, pi_own_new},
 * flows[] {exporter, importer, flow_base, b, flow_new, flow_hat (null for
 * a zero baseline flow)}, converged, iterations, residual; numbers exact. */
static ent_status json_trade(const ent_trade_result *r, FILE *fp, int ref) {
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
        !add_exact(c, "Y_base", r->Y[i], ref) ||
        !add_exact(c, "E_base", r->E[i], ref) ||
        !add_exact(c, "D_base", r->D[i], ref))
      goto out;
    for (int f = 0; f < ENT_TRADE_FIELDS; f++)
      if (!add_exact(c, ent_names_trade_field[f], r->v[f][i], ref)) goto out;
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
          !add_exact(c, "flow_base", r->X[k], ref) ||
          !add_exact(c, "b", r->b[k], ref) ||
          !add_exact(c, "flow_new", r->X_new[k], ref) ||
          !(def ? add_exact(c, "flow_hat", r->X_new[k] / r->X[k], ref)
                : cJSON_AddNullToObject(c, "flow_hat")))
        goto out;
    }
  if (!cJSON_AddBoolToObject(root, "converged", 1) ||
      !cJSON_AddNumberToObject(root, "iterations", r->info.iterations) ||
      !add_exact(root, "residual", r->info.residual, ref))
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

/* The document through a cJSON tree and numbers through snprintf/strtod:
 * the implementation before json_trade.c (ent_json_trade), which must give
 * the same bytes; for the tests and bench_trade. */
ent_status ent_json_trade_ref(const ent_trade_result *r, FILE *fp) {
  return json_trade(r, fp, 1);
}

/* ------------------------------------------------------------ assumptions */

static cJSON *ids(const ent_structure *st, const size_t *ix, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t k = 0; a && k < n; k++)
    cJSON_AddItemToArray(a, cJSON_CreateString(st->blocs[ix[k]].id));
  return a;
}

/* time, economy and blocs of a structural scenario. */
static void structure_json(cJSON *root, const ent_structure *st) {
  cJSON *tm = cJSON_AddObjectToObject(root, "time");
  cJSON_AddNumberToObject(tm, "start", st->start);
  cJSON_AddNumberToObject(tm, "end", st->end);
  cJSON *ec = cJSON_AddObjectToObject(root, "economy");
  cJSON_AddNumberToObject(ec, "theta", st->theta);
  cJSON_AddNumberToObject(ec, "theta_foreign", st->theta_foreign);
  cJSON_AddStringToObject(ec, "deficit",
                          st->multiplicative ? "multiplicative" : "additive");
  cJSON_AddNumberToObject(ec, "adjustment", st->adjustment);

  cJSON *blocs = cJSON_AddArrayToObject(root, "blocs");
  int ny = st->end - st->start + 1;
  for (size_t i = 0; i < st->n_blocs; i++) {
    const ent_bloc *bl = &st->blocs[i];
    cJSON *o = cJSON_CreateObject();
    ent_json_str(o, "id", bl->id);
    ent_json_str(o, "name", bl->name);
    cJSON_AddNumberToObject(o, "gdp", bl->gdp);
    cJSON_AddNumberToObject(o, "milex", bl->milex);
    cJSON *g = cJSON_AddArrayToObject(o, "growth");
    for (int k = 1; bl->growth && k < ny; k++) {
      /* only the years where the rate changes */
      if (k > 1 && bl->growth[k] == bl->growth[k - 1]) continue;
      cJSON *y = cJSON_CreateObject();
      cJSON_AddNumberToObject(y, "year", st->start + k);
      cJSON_AddNumberToObject(y, "rate", bl->growth[k]);
      cJSON_AddItemToArray(g, y);
    }
    ent_json_str(o, "why", bl->why);
    cJSON_AddItemToArray(blocs, o);
  }
}

/* Shocks, channels and links of a structural scenario. */
static void channels_json(cJSON *root, const ent_model *m) {
  const ent_structure *st = m->st;
  cJSON *shocks = cJSON_AddArrayToObject(root, "shocks");
  for (size_t i = 0; i < st->n_shocks; i++) {
    const ent_shock *s = &st->shocks[i];
    cJSON *o = cJSON_CreateObject();
    ent_json_str(o, "id", s->id);
    cJSON_AddItemToObject(o, "from", ids(st, s->from, s->n_from));
    cJSON_AddItemToObject(o, "to", ids(st, s->to, s->n_to));
    cJSON_AddBoolToObject(o, "both", s->both);
    cJSON_AddNumberToObject(o, "start", s->start);
    if (s->end) cJSON_AddNumberToObject(o, "end", s->end);
    else cJSON_AddNullToObject(o, "end");
    if (s->embargo) cJSON_AddBoolToObject(o, "embargo", 1);
    else cJSON_AddNumberToObject(o, "beta", s->beta);
    cJSON_AddNumberToObject(o, "phase_in", s->phase_in);
    cJSON_AddNumberToObject(o, "fade", s->fade);
    ent_json_str(o, "source", s->source);
    ent_json_str(o, "why", s->why);
    cJSON_AddItemToArray(shocks, o);
  }

  cJSON *chs = cJSON_AddArrayToObject(root, "channels");
  for (size_t i = 0; i < st->n_channels; i++) {
    const ent_channel *c = &st->channels[i];
    cJSON *o = cJSON_CreateObject();
    ent_json_str(o, "id", c->id);
    cJSON_AddStringToObject(o, "kind", ent_assumptions_channel_kind(c->kind));
    cJSON_AddStringToObject(o, "from", st->blocs[c->from].id);
    cJSON_AddStringToObject(o, "to", st->blocs[c->to].id);
    ent_json_str(o, "unit", c->unit);
    cJSON_AddNumberToObject(o, "capacity", c->capacity);
    cJSON_AddNumberToObject(o, "base", c->base);
    cJSON_AddNumberToObject(o, "ramp", c->ramp);
    if (c->opens != INT_MIN) cJSON_AddNumberToObject(o, "opens", c->opens);
    else cJSON_AddNullToObject(o, "opens");
    cJSON_AddNumberToObject(o, "build_years", c->build_years);
    cJSON_AddStringToObject(o, "driver", c->driver_trade ? "trade" : "none");
    cJSON_AddBoolToObject(o, "conditional", c->conditional);
    ent_json_str(o, "why", c->why);
    cJSON_AddItemToArray(chs, o);
  }

  cJSON *links = cJSON_AddArrayToObject(root, "links");
  for (size_t i = 0; i < st->n_links; i++) {
    const ent_link *l = &st->links[i];
    cJSON *o = cJSON_CreateObject();
    ent_strbuf b;
    char p[96];
    ent_json_str(o, "id", l->id);
    ent_strbuf_init(&b);
    ent_assumptions_link_source(m, l, &b);
    ent_json_str(o, "source", b.failed ? NULL : b.data);
    ent_strbuf_free(&b);
    ent_strbuf_init(&b);
    ent_assumptions_link_target(m, l, &b);
    ent_json_str(o, "target", b.failed ? NULL : b.data);
    ent_strbuf_free(&b);
    cJSON_AddStringToObject(o, "form", ent_assumptions_form_name(l->form));
    ent_assumptions_link_param(l, p, sizeof p);
    cJSON_AddStringToObject(o, "parameter", p);
    ent_json_str(o, "why", l->why);
    cJSON_AddItemToArray(links, o);
  }
}

/* The observed history of a structural scenario. */
static void history_json(cJSON *root, const ent_structure *st) {
  cJSON *hist = cJSON_AddArrayToObject(root, "history");
  for (size_t i = 0; i < st->n_history; i++) {
    const ent_history *h = &st->history[i];
    cJSON *o = cJSON_CreateObject();
    ent_json_str(o, "variable", h->variable);
    ent_json_str(o, "entity", h->entity);
    ent_json_str(o, "unit", h->unit);
    ent_json_str(o, "source", h->source);
    cJSON *v = cJSON_AddArrayToObject(o, "values");
    for (size_t k = 0; k < h->n; k++) {
      cJSON *y = cJSON_CreateObject();
      cJSON_AddNumberToObject(y, "year", h->years[k]);
      cJSON_AddNumberToObject(y, "value", h->values[k]);
      cJSON_AddItemToArray(v, y);
    }
    cJSON_AddItemToArray(hist, o);
  }
}

static cJSON *assumptions_json(const ent_model *m) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON *sc = cJSON_AddObjectToObject(root, "scenario");
  ent_json_str(sc, "id", m->id);
  ent_json_str(sc, "title", m->title);
  ent_json_str(sc, "description", m->description);
  ent_json_str(sc, "source", m->source);

  cJSON *actors = cJSON_AddArrayToObject(root, "actors");
  for (size_t i = 0; i < m->n_actors; i++) {
    const ent_actor *a = &m->actors[i];
    cJSON *o = cJSON_CreateObject();
    ent_json_str(o, "id", a->id);
    ent_json_str(o, "name", a->name);
    ent_json_str(o, "kind", a->kind);
    if (a->has_capability) cJSON_AddNumberToObject(o, "capability", a->capability);
    else cJSON_AddNullToObject(o, "capability");
    ent_json_str(o, "why", a->why);
    cJSON_AddItemToArray(actors, o);
  }

  cJSON *issues = cJSON_AddArrayToObject(root, "issues");
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_issue *is = &m->issues[i];
    cJSON *o = cJSON_CreateObject();
    ent_json_str(o, "id", is->id);
    ent_json_str(o, "question", is->question);
    ent_json_str(o, "why", is->why);
    cJSON *scale = ent_json_scale(is->lo, is->hi);
    for (size_t k = 0; k < is->n_anchors; k++)
      ent_json_anchor(scale, is->anchors[k].at, is->anchors[k].label);
    cJSON_AddItemToObject(o, "scale", scale);
    cJSON *pos = cJSON_AddArrayToObject(o, "positions");
    for (size_t k = 0; k < is->n_stakes; k++) {
      const ent_stake *s = &is->stakes[k];
      cJSON *p = cJSON_CreateObject();
      ent_json_str(p, "actor", m->actors[s->actor].id);
      cJSON_AddNumberToObject(p, "position", s->position);
      cJSON_AddNumberToObject(p, "salience", 100.0 * s->salience);
      cJSON_AddNumberToObject(p, "capability", s->capability);
      cJSON_AddBoolToObject(p, "capability_from_actor", s->cap_from_actor);
      ent_json_str(p, "why", s->why);
      cJSON_AddItemToArray(pos, p);
    }
    cJSON_AddItemToArray(issues, o);
  }

  const ent_structure *st = m->st;
  if (st) {
    structure_json(root, st);
    channels_json(root, m);
  }
  cJSON *unc = cJSON_AddArrayToObject(root, "uncertain");
  for (size_t i = 0; i < m->n_uparams; i++) {
    const ent_uparam *u = &m->uparams[i];
    cJSON *o = cJSON_CreateObject();
    char dist[512];
    ent_json_str(o, "name", u->name);
    cJSON *at = cJSON_AddObjectToObject(o, "at");
    ent_json_str(at, "file", u->file);
    cJSON_AddNumberToObject(at, "line", u->at.line);
    cJSON_AddNumberToObject(at, "col", u->at.col);
    ent_assumptions_dist(&u->dist, dist, sizeof dist);
    cJSON_AddStringToObject(o, "distribution", dist);
    cJSON_AddNumberToObject(o, "nominal", u->nominal);
    cJSON_AddItemToArray(unc, o);
  }

  if (st) history_json(root, st);
  return root;
}

ent_status ent_json_assumptions(const ent_model *m, FILE *fp) {
  if (!m) return ENT_EINVAL;
  return ent_json_emit(assumptions_json(m), fp);
}
