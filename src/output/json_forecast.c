/*
 * json_forecast.c -- the JSON documents of a forecast and of a comparison.
 *
 * `entente forecast` (docs/ensemble.md):
 *   scenario {id, title, source}, version, runs, seed, design, done,
 *   complete, samples, failed, first_failure (if any),
 *   quantiles {method, k, levels, rank_error (sketch only)},
 *   time {start, end} (structural scenarios),
 *   uncertain[] {name, dist, describe, min, max, nominal, defined},
 *   series[] {variable, entity, year, unit, n, mean, sd, q05..q95},
 *   issues[] {id, question, outcome {n, mean, sd, q05..q95},
 *             models {eum, smp: {share, n, mean, sd, q05..q95}} (`both`
 *               issues: the outcome where each model decided),
 *             baselines {median, mean: {n, mean, sd, q05..q95}} (the
 *               weighted median and mean of the starting positions in
 *               the last year),
 *             ranges[] {label, at, from, to, probability},
 *             thresholds[] {label, at, probability, by_year[] {year,
 *                           probability} (structural scenarios)},
 *             relations[] {from, to, conflict, compromise, capitulation,
 *                          stalemate, agreement, none}},
 *   sensitivity {method, about, note (too few runs), outputs[] {variable,
 *                entity, year, r2 (src), inputs[] {rank, input, src |
 *                first_order, total}}}
 * `entente compare`:
 *   a {id, source, samples}, b {...}, runs, seed, rule,
 *   headline[] {variable, entity, year, a {n, mean, sd, q05..q95}, b {...},
 *               diff, se, marked},
 *   series[] {variable, entity, year, mean_a, mean_b, diff, se, marked},
 *   compared, marked
 * A statistic that is not finite (no member had the value) is null.
 */
#include <math.h>
#include <string.h>

#include "output/json.h"
#include "output/render.h"

static cJSON *inputs_json(const ent_result_prov *p) {
  cJSON *arr = cJSON_CreateArray();
  for (size_t u = 0; arr && u < p->n_inputs; u++) {
    const ent_result_input *in = &p->inputs[u];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", in->name);
    cJSON_AddStringToObject(o, "dist", in->dist);
    cJSON_AddStringToObject(o, "describe", in->describe);
    ent_json_num(o, "min", in->lo);
    ent_json_num(o, "max", in->hi);
    ent_json_num(o, "nominal", in->nominal);
    cJSON_AddStringToObject(o, "defined", in->defined);
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

static cJSON *sensitivity_json(const ent_result_sens *s, int sobol) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "method", s->method);
  cJSON_AddStringToObject(root, "about", s->about);
  if (s->note) cJSON_AddStringToObject(root, "note", s->note);
  cJSON *outs = cJSON_AddArrayToObject(root, "outputs");
  for (size_t o = 0; o < s->n_outputs; o++) {
    const ent_result_sens_output *so = &s->outputs[o];
    cJSON *jo = cJSON_CreateObject();
    cJSON_AddStringToObject(jo, "variable", so->variable);
    cJSON_AddStringToObject(jo, "entity", so->entity);
    if (so->has_year) cJSON_AddNumberToObject(jo, "year", so->year);
    if (so->has_r2) ent_json_num(jo, "r2", so->r2);
    cJSON *ins = cJSON_AddArrayToObject(jo, "inputs");
    for (size_t k = 0; k < so->n; k++) {
      size_t i = so->order[k];
      cJSON *ji = cJSON_CreateObject();
      cJSON_AddNumberToObject(ji, "rank", (double)(k + 1));
      cJSON_AddStringToObject(ji, "input", so->inputs[i]);
      if (sobol) {
        ent_json_num(ji, "first_order", so->index[i]);
        ent_json_num(ji, "total", so->total[i]);
      } else {
        ent_json_num(ji, "src", so->index[i]);
      }
      cJSON_AddItemToArray(ins, ji);
    }
    cJSON_AddItemToArray(outs, jo);
  }
  return root;
}

static cJSON *issue_json(const ent_result_issue *is) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", is->id);
  cJSON_AddStringToObject(o, "question", is->question);
  cJSON *oc = cJSON_AddObjectToObject(o, "outcome");
  ent_json_stats(oc, &is->outcome);
  if (is->has_model_split) {
    static const char *const names[2] = {"eum", "smp"};
    cJSON *ms = cJSON_AddObjectToObject(o, "models");
    for (int k = 0; k < 2; k++) {
      cJSON *mk = cJSON_AddObjectToObject(ms, names[k]);
      ent_json_num(mk, "share", is->model_share[k]);
      ent_json_stats(mk, &is->model_outcome[k]);
    }
  }
  if (is->has_base_stats) {
    cJSON *bl = cJSON_AddObjectToObject(o, "baselines");
    ent_json_stats(cJSON_AddObjectToObject(bl, "median"), &is->base_median_st);
    ent_json_stats(cJSON_AddObjectToObject(bl, "mean"), &is->base_mean_st);
  }
  cJSON *rg = cJSON_AddArrayToObject(o, "ranges");
  for (size_t a = 0; a < is->n_ranges; a++) {
    const ent_result_range *r = &is->ranges[a];
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "label", r->label);
    ent_json_num(j, "at", r->at);
    ent_json_num(j, "from", r->lo);
    ent_json_num(j, "to", r->hi);
    ent_json_num(j, "probability", r->p);
    cJSON_AddItemToArray(rg, j);
  }
  cJSON *th = cJSON_AddArrayToObject(o, "thresholds");
  for (size_t a = 0; a < is->n_thresholds; a++) {
    const ent_result_threshold *t = &is->thresholds[a];
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "label", t->label);
    ent_json_num(j, "at", t->at);
    ent_json_num(j, "probability", t->p);
    if (t->n_years) {
      cJSON *by = cJSON_AddArrayToObject(j, "by_year");
      for (size_t y = 0; y < t->n_years; y++) {
        cJSON *py = cJSON_CreateObject();
        cJSON_AddNumberToObject(py, "year", t->years[y]);
        ent_json_num(py, "probability", t->p_by[y]);
        cJSON_AddItemToArray(by, py);
      }
    }
    cJSON_AddItemToArray(th, j);
  }
  cJSON *rel = cJSON_AddArrayToObject(o, "relations");
  for (size_t k = 0; k < is->n_relations; k++) {
    const ent_result_relation *rl = &is->relations[k];
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "from", rl->from);
    cJSON_AddStringToObject(j, "to", rl->to);
    for (int c = 0; c < ENT_CLASSES; c++)
      ent_json_num(j, ent_names_class[c], rl->share[c]);
    cJSON_AddItemToArray(rel, j);
  }
  return o;
}

static cJSON *forecast_json(const ent_result *r) {
  const ent_result_prov *p = &r->prov;
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON *sc = cJSON_AddObjectToObject(root, "scenario");
  cJSON_AddStringToObject(sc, "id", p->scenario_id ? p->scenario_id : "");
  cJSON_AddStringToObject(sc, "title", p->scenario_title ? p->scenario_title : "");
  cJSON_AddStringToObject(sc, "source", p->scenario_source ? p->scenario_source : "");
  cJSON_AddStringToObject(root, "version", p->version ? p->version : "");
  cJSON_AddNumberToObject(root, "runs", (double)p->runs);
  cJSON_AddNumberToObject(root, "seed", (double)p->seed);
  cJSON_AddStringToObject(root, "design", p->design ? p->design : "");
  cJSON_AddNumberToObject(root, "done", (double)p->done);
  cJSON_AddBoolToObject(root, "complete", p->complete);
  cJSON_AddNumberToObject(root, "samples", (double)p->samples);
  cJSON_AddNumberToObject(root, "failed", (double)p->failed);
  if (p->first_failure)
    cJSON_AddStringToObject(root, "first_failure", p->first_failure);
  cJSON *qj = cJSON_AddObjectToObject(root, "quantiles");
  cJSON_AddStringToObject(qj, "method", p->qmethod ? p->qmethod : "exact");
  if (p->has_sketch) {
    cJSON_AddNumberToObject(qj, "k", (double)p->qk);
    cJSON_AddNumberToObject(qj, "levels", (double)p->qlevels);
    cJSON_AddNumberToObject(qj, "rank_error", p->qrank_error);
  }
  if (p->has_time) {
    cJSON *tm = cJSON_AddObjectToObject(root, "time");
    cJSON_AddNumberToObject(tm, "start", p->start);
    cJSON_AddNumberToObject(tm, "end", p->end);
  }
  cJSON_AddItemToObject(root, "uncertain", inputs_json(p));
  cJSON *series = cJSON_AddArrayToObject(root, "series");
  for (size_t c = 0; c < r->n_cells; c++) {
    const ent_result_cell *cl = &r->cells[c];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "variable", cl->variable);
    cJSON_AddStringToObject(o, "entity", cl->entity);
    cJSON_AddNumberToObject(o, "year", cl->year);
    cJSON_AddStringToObject(o, "unit", cl->unit);
    ent_json_stats(o, &cl->st);
    cJSON_AddItemToArray(series, o);
  }
  cJSON *issues = cJSON_AddArrayToObject(root, "issues");
  for (size_t i = 0; i < r->n_issues; i++)
    cJSON_AddItemToArray(issues, issue_json(&r->issues[i]));
  cJSON_AddItemToObject(root, "sensitivity", sensitivity_json(&r->sens, p->sobol));
  return root;
}

ent_status ent_json_forecast(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  return ent_json_emit(forecast_json(r), fp);
}

char *ent_json_forecast_text(const ent_result *r) {
  return ent_json_text(forecast_json(r));
}

ent_status ent_json_compare(const ent_result *r, FILE *fp) {
  if (!r || !r->cmp) return ENT_EINVAL;
  const ent_result_cmp *c = r->cmp;
  cJSON *root = cJSON_CreateObject();
  if (!root) return ENT_ENOMEM;
  cJSON *ja = cJSON_AddObjectToObject(root, "a");
  cJSON_AddStringToObject(ja, "id", c->a_id ? c->a_id : "");
  cJSON_AddStringToObject(ja, "source", c->a_source ? c->a_source : "");
  cJSON_AddNumberToObject(ja, "samples", (double)c->a_samples);
  cJSON *jb = cJSON_AddObjectToObject(root, "b");
  cJSON_AddStringToObject(jb, "id", c->b_id ? c->b_id : "");
  cJSON_AddStringToObject(jb, "source", c->b_source ? c->b_source : "");
  cJSON_AddNumberToObject(jb, "samples", (double)c->b_samples);
  cJSON_AddNumberToObject(root, "runs", (double)r->prov.runs);
  cJSON_AddNumberToObject(root, "seed", (double)r->prov.seed);
  cJSON_AddStringToObject(root, "rule", "marked: |mean_b - mean_a| > 2 se, "
                                        "se = sqrt(sd_a^2/n_a + sd_b^2/n_b)");
  cJSON *heads = cJSON_AddArrayToObject(root, "headline");
  for (size_t k = 0; k < c->n_heads; k++) {
    const ent_result_cmp_headline *hd = &c->heads[k];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "variable", hd->variable);
    cJSON_AddStringToObject(o, "entity", hd->entity);
    if (hd->has_year) cJSON_AddNumberToObject(o, "year", hd->year);
    ent_json_stats(cJSON_AddObjectToObject(o, "a"), &hd->a);
    ent_json_stats(cJSON_AddObjectToObject(o, "b"), &hd->b);
    ent_json_num(o, "diff", hd->d.diff);
    ent_json_num(o, "se", hd->d.se);
    cJSON_AddBoolToObject(o, "marked", hd->d.marked);
    cJSON_AddItemToArray(heads, o);
  }
  cJSON *series = cJSON_AddArrayToObject(root, "series");
  for (size_t k = 0; k < c->n_cells; k++) {
    const ent_result_cmp_cell *cl = &c->cells[k];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "variable", cl->variable);
    cJSON_AddStringToObject(o, "entity", cl->entity);
    cJSON_AddNumberToObject(o, "year", cl->year);
    ent_json_num(o, "mean_a", cl->mean_a);
    ent_json_num(o, "mean_b", cl->mean_b);
    ent_json_num(o, "diff", cl->d.diff);
    ent_json_num(o, "se", cl->d.se);
    cJSON_AddBoolToObject(o, "marked", cl->d.marked);
    cJSON_AddItemToArray(series, o);
  }
  cJSON_AddNumberToObject(root, "compared", (double)c->n_cells);
  cJSON_AddNumberToObject(root, "marked", (double)c->n_marked);
  return ent_json_emit(root, fp);
}
