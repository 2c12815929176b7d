/*
 * json_run.c -- the JSON documents of a run and of the single-issue view.
 *
 * `entente run` (stable names; other tools rely on them):
 *   scenario {id, title, source}, version, actors[] {id, name, kind},
 *   time {start, end} (structural scenarios),
 *   series[] {variable, entity, year, value, unit},
 *   issues[] {id, question, scale {min, max, anchors[] {at, label}}, model,
 *             options, actors[], initial {median, mean},
 *             forecast {median, mean, converged, median_min, median_max,
 *                       rounds_played, stopped, cycle, label}
 *               (spatial-model issues: {median, mean, converged, source,
 *               label}),
 *             smp {ran, note | dimensions[], likely[], mean[], turns,
 *                  converged, final[] {actor, position[], win_probability}}
 *               (smp and both issues),
 *             models {eum, smp, margin, disagree} (both models ran),
 *             robustness {least_move_median, reflected_median, stable},
 *             rounds[] {round, positions[], mean, median, moves[]},
 *             dyads[] {from, to, relation, region, a, b}}
 * `entente eum`:
 *   actors[], options, range, rounds[] {round, positions[], mean, median,
 *   risk[] (rounds >= 1), moves[] {mover, type, toward, a, b, from, to}},
 *   forecast {median, mean, converged, median_min, median_max,
 *   rounds_played, stopped, cycle}
 */
#include <math.h>
#include <string.h>

#include "output/json.h"
#include "output/render.h"

static cJSON *moves_json(const ent_result_eum *h, int round,
                         const char *const *names) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t k = 0; arr && k < h->n_moves; k++) {
    const ent_result_move *mv = &h->moves[k];
    if (mv->round != round) continue;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "mover", names[mv->mover]);
    cJSON_AddStringToObject(o, "type", mv->type_name);
    cJSON_AddStringToObject(o, "toward", names[mv->toward]);
    cJSON_AddNumberToObject(o, "a", mv->a);
    cJSON_AddNumberToObject(o, "b", mv->b);
    cJSON_AddNumberToObject(o, "from", mv->from);
    cJSON_AddNumberToObject(o, "to", mv->to);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static cJSON *forecast_json(const ent_result_eum *h, double forecast) {
  cJSON *f = cJSON_CreateObject();
  cJSON_AddNumberToObject(f, "median", forecast);
  cJSON_AddNumberToObject(f, "mean", h->mean[h->n_rounds]);
  cJSON_AddBoolToObject(f, "converged", h->converged);
  cJSON_AddNumberToObject(f, "median_min", h->median_min);
  cJSON_AddNumberToObject(f, "median_max", h->median_max);
  cJSON_AddNumberToObject(f, "rounds_played", h->n_rounds);
  cJSON_AddStringToObject(f, "stopped", h->stopped);
  if (h->cycle_start >= 0) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "start", h->cycle_start);
    cJSON_AddNumberToObject(c, "period", h->cycle_period);
    cJSON_AddItemToObject(f, "cycle", c);
  } else {
    cJSON_AddNullToObject(f, "cycle");
  }
  return f;
}

static cJSON *rounds_json(const ent_result_eum *h, const char *const *names,
                          int with_risk) {
  cJSON *rounds = cJSON_CreateArray();
  size_t n = h->n;
  for (int t = 0; rounds && t <= h->n_rounds; t++) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "round", t);
    cJSON_AddItemToObject(r, "positions", ent_json_numbers(h->x + (size_t)t * n, n));
    cJSON_AddNumberToObject(r, "mean", h->mean[t]);
    cJSON_AddNumberToObject(r, "median", h->median[t]);
    if (with_risk && t > 0)
      cJSON_AddItemToObject(r, "risk",
                            ent_json_numbers(h->risk + (size_t)(t - 1) * n, n));
    cJSON_AddItemToObject(r, "moves", moves_json(h, t, names));
    cJSON_AddItemToArray(rounds, r);
  }
  return rounds;
}

ent_status ent_json_eum(const ent_result *r, FILE *fp) {
  if (!r || r->n_issues != 1 || !r->issues[0].eum) return ENT_EINVAL;
  const ent_result_issue *is = &r->issues[0];
  const ent_result_eum *h = is->eum;
  cJSON *root = cJSON_CreateObject();
  cJSON *actors = cJSON_AddArrayToObject(root, "actors");
  for (size_t k = 0; k < h->n; k++)
    cJSON_AddItemToArray(actors, cJSON_CreateString(is->actor_names[k]));
  cJSON_AddStringToObject(root, "options", is->options);
  cJSON_AddNumberToObject(root, "range", h->range);
  cJSON_AddItemToObject(root, "rounds", rounds_json(h, is->actor_names, 1));
  cJSON_AddItemToObject(root, "forecast", forecast_json(h, h->median[h->n_rounds]));
  return ent_json_emit(root, fp);
}

/* The spatial model's results on an issue (positions on its scale). */
static cJSON *smp_json(const ent_result_issue *is) {
  const ent_result_smp *s = is->smp;
  size_t m = s->n_dims;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddBoolToObject(o, "ran", s->ran);
  if (!s->ran) {
    cJSON_AddStringToObject(o, "note", s->note ? s->note : "not run");
    return o;
  }
  cJSON *dims = cJSON_AddArrayToObject(o, "dimensions");
  for (size_t q = 0; q < m; q++)
    cJSON_AddItemToArray(dims, cJSON_CreateString(s->dims[q]));
  cJSON_AddItemToObject(o, "likely", ent_json_numbers(s->likely, m));
  cJSON_AddItemToObject(o, "mean", ent_json_numbers(s->mean, m));
  cJSON_AddNumberToObject(o, "turns", s->turns);
  cJSON_AddBoolToObject(o, "converged", s->converged);
  cJSON *fin = cJSON_AddArrayToObject(o, "final");
  for (size_t k = 0; k < is->n_actors; k++) {
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "actor", is->actors[k]);
    cJSON_AddItemToObject(a, "position", ent_json_numbers(s->final + k * m, m));
    cJSON_AddNumberToObject(a, "win_probability", s->win[k]);
    cJSON_AddItemToArray(fin, a);
  }
  return o;
}

static cJSON *issue_json(const ent_result_issue *is) {
  const ent_result_eum *h = is->eum;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", is->id);
  cJSON_AddStringToObject(o, "question", is->question);
  cJSON *scale = ent_json_scale(is->lo, is->hi);
  for (size_t k = 0; k < is->n_anchors; k++)
    ent_json_anchor(scale, is->anchors[k].at, is->anchors[k].label);
  cJSON_AddItemToObject(o, "scale", scale);
  cJSON_AddStringToObject(o, "model", is->model);
  cJSON_AddStringToObject(o, "options", is->options);
  cJSON *actors = cJSON_AddArrayToObject(o, "actors");
  for (size_t k = 0; k < is->n_actors; k++)
    cJSON_AddItemToArray(actors, cJSON_CreateString(is->actors[k]));
  cJSON *init = cJSON_AddObjectToObject(o, "initial");
  cJSON_AddNumberToObject(init, "median", is->base_median);
  cJSON_AddNumberToObject(init, "mean", is->base_mean);
  cJSON *fc;
  if (h) {
    fc = forecast_json(h, is->forecast);
  } else {
    fc = cJSON_CreateObject();
    cJSON_AddNumberToObject(fc, "median", is->forecast);
    cJSON_AddNumberToObject(fc, "mean", is->final_mean);
    cJSON_AddBoolToObject(fc, "converged", is->smp && is->smp->ran &&
                                               is->smp->converged);
    cJSON_AddStringToObject(fc, "source", "smp");
  }
  cJSON_AddStringToObject(fc, "label", is->label);
  if (is->has_settle) {
    cJSON *st = cJSON_AddObjectToObject(fc, "settle");
    cJSON_AddBoolToObject(st, "settled", !is->unsettled);
    cJSON_AddNumberToObject(st, "period", is->period);
    cJSON_AddNumberToObject(st, "window", is->settle_window);
    cJSON_AddNumberToObject(st, "min", is->settle_lo);
    cJSON_AddNumberToObject(st, "max", is->settle_hi);
    cJSON_AddNumberToObject(st, "last_state", is->raw);
  }
  cJSON_AddItemToObject(o, "forecast", fc);
  if (is->smp) {
    cJSON_AddItemToObject(o, "smp", smp_json(is));
    if (is->has_models) {
      cJSON *cmp = cJSON_AddObjectToObject(o, "models");
      cJSON_AddNumberToObject(cmp, "eum", is->forecast);
      cJSON_AddNumberToObject(cmp, "smp", is->smp_forecast);
      cJSON_AddNumberToObject(cmp, "margin", is->models_margin);
      cJSON_AddBoolToObject(cmp, "disagree", is->models_disagree);
    }
  }
  if (is->has_robustness) {
    cJSON *rb = cJSON_AddObjectToObject(o, "robustness");
    cJSON_AddNumberToObject(rb, "least_move_median", is->least_move_median);
    cJSON_AddNumberToObject(rb, "reflected_median", is->reflected_median);
    cJSON_AddBoolToObject(rb, "stable", is->robust);
    if (is->has_settle)
      cJSON_AddBoolToObject(rb, "variants_settled", !is->robust_unsettled);
  }
  cJSON_AddItemToObject(o, "rounds", h ? rounds_json(h, is->actors, 0)
                                       : cJSON_CreateArray());
  cJSON *dyads = cJSON_AddArrayToObject(o, "dyads");
  for (size_t k = 0; h && k < is->n_relations; k++) {
    const ent_result_relation *rl = &is->relations[k];
    cJSON *dy = cJSON_CreateObject();
    cJSON_AddStringToObject(dy, "from", rl->from);
    cJSON_AddStringToObject(dy, "to", rl->to);
    cJSON_AddStringToObject(dy, "relation", ent_names_class[rl->cls]);
    cJSON_AddStringToObject(dy, "region", rl->region);
    cJSON_AddNumberToObject(dy, "a", rl->a);
    cJSON_AddNumberToObject(dy, "b", rl->b);
    cJSON_AddItemToArray(dyads, dy);
  }
  return o;
}

static cJSON *run_json(const ent_result *r) {
  const ent_result_prov *pv = &r->prov;
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON *sc = cJSON_AddObjectToObject(root, "scenario");
  cJSON_AddStringToObject(sc, "id", pv->scenario_id ? pv->scenario_id : "");
  cJSON_AddStringToObject(sc, "title", pv->scenario_title ? pv->scenario_title : "");
  cJSON_AddStringToObject(sc, "source", pv->scenario_source ? pv->scenario_source : "");
  cJSON_AddStringToObject(root, "version", pv->version ? pv->version : "");
  cJSON *actors = cJSON_AddArrayToObject(root, "actors");
  for (size_t i = 0; i < r->n_actors; i++) {
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "id", r->actors[i].id);
    cJSON_AddStringToObject(a, "name", r->actors[i].name);
    cJSON_AddStringToObject(a, "kind", r->actors[i].kind);
    cJSON_AddItemToArray(actors, a);
  }
  if (pv->has_time) {
    cJSON *tm = cJSON_AddObjectToObject(root, "time");
    cJSON_AddNumberToObject(tm, "start", pv->start);
    cJSON_AddNumberToObject(tm, "end", pv->end);
  }
  cJSON *series = cJSON_AddArrayToObject(root, "series");
  for (size_t k = 0; k < r->n_cells; k++) {
    const ent_result_cell *p = &r->cells[k];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "variable", p->variable);
    cJSON_AddStringToObject(o, "entity", p->entity);
    cJSON_AddNumberToObject(o, "year", p->year);
    cJSON_AddNumberToObject(o, "value", p->value);
    cJSON_AddStringToObject(o, "unit", p->unit);
    cJSON_AddItemToArray(series, o);
  }
  cJSON *issues = cJSON_AddArrayToObject(root, "issues");
  for (size_t i = 0; i < r->n_issues; i++)
    cJSON_AddItemToArray(issues, issue_json(&r->issues[i]));
  if (r->has_dynamics) {
    cJSON *dy = cJSON_AddObjectToObject(root, "dynamics");
    cJSON_AddNumberToObject(dy, "rounds_per_year", r->rounds_per_year);
    cJSON_AddNumberToObject(dy, "inertia", r->inertia);
    cJSON_AddStringToObject(dy, "alignment_pair", r->align_pair ? r->align_pair : "");
    ent_strbuf hb;
    ent_strbuf_init(&hb);
    ent_text_headline(r, &hb);
    if (!hb.failed && hb.data) cJSON_AddStringToObject(dy, "headline", hb.data);
    ent_strbuf_free(&hb);
    cJSON *drv = cJSON_AddArrayToObject(dy, "drivers");
    for (size_t k = 0; k < r->n_drivers; k++) {
      const ent_result_driver *dv = &r->drivers[k];
      cJSON *d = cJSON_CreateObject();
      cJSON_AddStringToObject(d, "id", dv->id);
      cJSON_AddStringToObject(d, "kind", dv->kind);
      cJSON *ch = cJSON_AddObjectToObject(d, "issues");
      for (size_t i = 0; dv->issue_delta && i < r->n_issues; i++)
        cJSON_AddNumberToObject(ch, r->issues[i].id, dv->issue_delta[i]);
      if (dv->has_alignment)
        cJSON_AddNumberToObject(d, "alignment", dv->alignment_delta);
      cJSON_AddItemToArray(drv, d);
    }
  }
  return root;
}

ent_status ent_json_run(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  return ent_json_emit(run_json(r), fp);
}

char *ent_json_document(const ent_result *r) {
  if (!r) return NULL;
  if (r->kind == ENT_RESULT_RUN) return ent_json_text(run_json(r));
  if (r->kind == ENT_RESULT_FORECAST) return ent_json_forecast_text(r);
  return NULL;
}
