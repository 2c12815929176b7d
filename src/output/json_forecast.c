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

#include "base/cjson_print.h"
#include "output/json.h"
#include "output/render.h"

/* The forecast document is written straight to text (base/cjson_print.h,
 * ent_cjson_w), with the bytes of the cJSON tree it used to build: members in
 * the same order, a string member left out where cJSON_AddStringToObject
 * would have been given NULL. */

static void add_str(ent_cjson_w *w, const char *k, const char *s) {
  if (s) ent_cjson_w_string(w, k, s);
}

/* ent_json_num's number: null when not finite, -0 as 0. */
static void add_num(ent_cjson_w *w, const char *k, double v) {
  if (isfinite(v)) ent_cjson_w_number(w, k, v == 0.0 ? 0.0 : v);
  else ent_cjson_w_null(w, k);
}

/* ent_json_stats's members. */
static void add_stats(ent_cjson_w *w, const ent_result_stats *s) {
  ent_cjson_w_number(w, "n", (double)s->n);
  add_num(w, "mean", s->mean);
  add_num(w, "sd", s->sd);
  for (int k = 0; k < ENT_NQ; k++) add_num(w, ent_names_quantile[k], s->q[k]);
}

static void stats_object(ent_cjson_w *w, const char *k,
                         const ent_result_stats *s) {
  ent_cjson_w_object(w, k);
  add_stats(w, s);
  ent_cjson_w_end(w);
}

static void inputs_json(ent_cjson_w *w, const ent_result_prov *p) {
  ent_cjson_w_array(w, "uncertain");
  for (size_t u = 0; u < p->n_inputs; u++) {
    const ent_result_input *in = &p->inputs[u];
    ent_cjson_w_object(w, NULL);
    add_str(w, "name", in->name);
    add_str(w, "dist", in->dist);
    add_str(w, "describe", in->describe);
    add_num(w, "min", in->lo);
    add_num(w, "max", in->hi);
    add_num(w, "nominal", in->nominal);
    add_str(w, "defined", in->defined);
    ent_cjson_w_end(w);
  }
  ent_cjson_w_end(w);
}

static void sensitivity_json(ent_cjson_w *w, const ent_result_sens *s,
                             int sobol) {
  ent_cjson_w_object(w, "sensitivity");
  add_str(w, "method", s->method);
  add_str(w, "about", s->about);
  if (s->note) ent_cjson_w_string(w, "note", s->note);
  ent_cjson_w_array(w, "outputs");
  for (size_t o = 0; o < s->n_outputs; o++) {
    const ent_result_sens_output *so = &s->outputs[o];
    ent_cjson_w_object(w, NULL);
    add_str(w, "variable", so->variable);
    add_str(w, "entity", so->entity);
    if (so->has_year) ent_cjson_w_number(w, "year", so->year);
    if (so->has_r2) add_num(w, "r2", so->r2);
    ent_cjson_w_array(w, "inputs");
    for (size_t k = 0; k < so->n; k++) {
      size_t i = so->order[k];
      ent_cjson_w_object(w, NULL);
      ent_cjson_w_number(w, "rank", (double)(k + 1));
      add_str(w, "input", so->inputs[i]);
      if (sobol) {
        add_num(w, "first_order", so->index[i]);
        add_num(w, "total", so->total[i]);
      } else {
        add_num(w, "src", so->index[i]);
      }
      ent_cjson_w_end(w);
    }
    ent_cjson_w_end(w);
    ent_cjson_w_end(w);
  }
  ent_cjson_w_end(w);
  ent_cjson_w_end(w);
}

static void issue_json(ent_cjson_w *w, const ent_result_issue *is) {
  ent_cjson_w_object(w, NULL);
  add_str(w, "id", is->id);
  add_str(w, "question", is->question);
  stats_object(w, "outcome", &is->outcome);
  if (is->has_model_split) {
    static const char *const names[2] = {"eum", "smp"};
    ent_cjson_w_object(w, "models");
    for (int k = 0; k < 2; k++) {
      ent_cjson_w_object(w, names[k]);
      add_num(w, "share", is->model_share[k]);
      add_stats(w, &is->model_outcome[k]);
      ent_cjson_w_end(w);
    }
    ent_cjson_w_end(w);
  }
  if (is->has_base_stats) {
    ent_cjson_w_object(w, "baselines");
    stats_object(w, "median", &is->base_median_st);
    stats_object(w, "mean", &is->base_mean_st);
    ent_cjson_w_end(w);
  }
  ent_cjson_w_array(w, "ranges");
  for (size_t a = 0; a < is->n_ranges; a++) {
    const ent_result_range *r = &is->ranges[a];
    ent_cjson_w_object(w, NULL);
    add_str(w, "label", r->label);
    add_num(w, "at", r->at);
    add_num(w, "from", r->lo);
    add_num(w, "to", r->hi);
    add_num(w, "probability", r->p);
    ent_cjson_w_end(w);
  }
  ent_cjson_w_end(w);
  ent_cjson_w_array(w, "thresholds");
  for (size_t a = 0; a < is->n_thresholds; a++) {
    const ent_result_threshold *t = &is->thresholds[a];
    ent_cjson_w_object(w, NULL);
    add_str(w, "label", t->label);
    add_num(w, "at", t->at);
    add_num(w, "probability", t->p);
    if (t->n_years) {
      ent_cjson_w_array(w, "by_year");
      for (size_t y = 0; y < t->n_years; y++) {
        ent_cjson_w_object(w, NULL);
        ent_cjson_w_number(w, "year", t->years[y]);
        add_num(w, "probability", t->p_by[y]);
        ent_cjson_w_end(w);
      }
      ent_cjson_w_end(w);
    }
    ent_cjson_w_end(w);
  }
  ent_cjson_w_end(w);
  ent_cjson_w_array(w, "relations");
  for (size_t k = 0; k < is->n_relations; k++) {
    const ent_result_relation *rl = &is->relations[k];
    ent_cjson_w_object(w, NULL);
    add_str(w, "from", rl->from);
    add_str(w, "to", rl->to);
    for (int c = 0; c < ENT_CLASSES; c++)
      add_num(w, ent_names_class[c], rl->share[c]);
    ent_cjson_w_end(w);
  }
  ent_cjson_w_end(w);
  ent_cjson_w_end(w);
}

/* The document and a newline into b; -1 when memory ran out. */
static int forecast_json(const ent_result *r, ent_strbuf *b) {
  const ent_result_prov *p = &r->prov;
  ent_cjson_w jw, *w = &jw;
  ent_cjson_w_init(w, b, 1);
  ent_cjson_w_object(w, NULL);
  ent_cjson_w_object(w, "scenario");
  ent_cjson_w_string(w, "id", p->scenario_id ? p->scenario_id : "");
  ent_cjson_w_string(w, "title", p->scenario_title ? p->scenario_title : "");
  ent_cjson_w_string(w, "source", p->scenario_source ? p->scenario_source : "");
  ent_cjson_w_end(w);
  ent_cjson_w_string(w, "version", p->version ? p->version : "");
  ent_cjson_w_number(w, "runs", (double)p->runs);
  ent_cjson_w_number(w, "seed", (double)p->seed);
  ent_cjson_w_string(w, "design", p->design ? p->design : "");
  ent_cjson_w_number(w, "done", (double)p->done);
  ent_cjson_w_bool(w, "complete", p->complete);
  ent_cjson_w_number(w, "samples", (double)p->samples);
  ent_cjson_w_number(w, "failed", (double)p->failed);
  if (p->first_failure)
    ent_cjson_w_string(w, "first_failure", p->first_failure);
  ent_cjson_w_object(w, "quantiles");
  ent_cjson_w_string(w, "method", p->qmethod ? p->qmethod : "exact");
  if (p->has_sketch) {
    ent_cjson_w_number(w, "k", (double)p->qk);
    ent_cjson_w_number(w, "levels", (double)p->qlevels);
    ent_cjson_w_number(w, "rank_error", p->qrank_error);
  }
  ent_cjson_w_end(w);
  if (p->has_time) {
    ent_cjson_w_object(w, "time");
    ent_cjson_w_number(w, "start", p->start);
    ent_cjson_w_number(w, "end", p->end);
    ent_cjson_w_end(w);
  }
  inputs_json(w, p);
  ent_cjson_w_array(w, "series");
  for (size_t c = 0; c < r->n_cells; c++) {
    const ent_result_cell *cl = &r->cells[c];
    ent_cjson_w_object(w, NULL);
    add_str(w, "variable", cl->variable);
    add_str(w, "entity", cl->entity);
    ent_cjson_w_number(w, "year", cl->year);
    add_str(w, "unit", cl->unit);
    add_stats(w, &cl->st);
    ent_cjson_w_end(w);
  }
  ent_cjson_w_end(w);
  ent_cjson_w_array(w, "issues");
  for (size_t i = 0; i < r->n_issues; i++) issue_json(w, &r->issues[i]);
  ent_cjson_w_end(w);
  sensitivity_json(w, &r->sens, p->sobol);
  ent_cjson_w_end(w);
  int bad = ent_cjson_w_finish(w);
  ent_strbuf_append(b, "\n", 1);
  return bad || b->failed ? -1 : 0;
}

ent_status ent_json_forecast(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (forecast_json(r, &b)) {
    ent_strbuf_free(&b);
    return ENT_ENOMEM;
  }
  return ent_json_emit_text(&b, fp);
}

char *ent_json_forecast_text(const ent_result *r) {
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (forecast_json(r, &b)) {
    ent_strbuf_free(&b);
    return NULL;
  }
  return ent_strbuf_take(&b);
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
