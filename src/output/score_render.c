/*
 * score_render.c -- the renderers of a ledger's scores (`entente score`;
 * docs/score.md): text, JSON and CSV from the result tree.
 *
 * Prefixes: ent_text_, ent_json_, ent_csv_ (this renderer in each format).
 *
 * JSON (stable names):
 *   ledger, version, runs, seed, ex_ante, fit_until, log_clip,
 *   questions[] {id, as_of, question, variable, entity, year, op,
 *                threshold, threshold2, outcome, probability, members,
 *                fitted, baselines {uniform, persistence, starting_mean}},
 *   scores   {brier, log, n, baselines {uniform, persistence,
 *             starting_mean: {brier, log, n, skill}}}   -- all questions
 *   fitted   {the same, questions resolving by fit_until},
 *   later    {the same, the later questions},
 *   reliability[] {from, to, n, mean_probability, observed}
 * starting_mean is scored on issue questions only; its `skill` compares
 * the model on the same questions (`model_brier`, `model_log`).  `skill`
 * is the Brier skill score 1 - Brier_model / Brier_baseline (null when the
 * baseline is perfect).
 */
#include <math.h>
#include <string.h>

#include "base/csv.h"
#include "output/json.h"
#include "output/render.h"

/* ------------------------------------------------------------ JSON */

static cJSON *scores_json(const ent_result_scoreset *s) {
  cJSON *o = cJSON_CreateObject();
  ent_json_num(o, "brier", s->model.brier);
  ent_json_num(o, "log", s->model.log);
  cJSON_AddNumberToObject(o, "n", (double)s->model.n);
  cJSON *b = cJSON_AddObjectToObject(o, "baselines");
  const ent_result_scores *bs[2] = {&s->uniform, &s->persistence};
  const char *names[2] = {"uniform", "persistence"};
  double skill[2] = {s->skill_uniform, s->skill_persistence};
  for (int k = 0; k < 2; k++) {
    cJSON *x = cJSON_AddObjectToObject(b, names[k]);
    ent_json_num(x, "brier", bs[k]->brier);
    ent_json_num(x, "log", bs[k]->log);
    cJSON_AddNumberToObject(x, "n", (double)bs[k]->n);
    ent_json_num(x, "skill", skill[k]);
  }
  cJSON *x = cJSON_AddObjectToObject(b, "starting_mean");
  ent_json_num(x, "brier", s->start.brier);
  ent_json_num(x, "log", s->start.log);
  cJSON_AddNumberToObject(x, "n", (double)s->start.n);
  ent_json_num(x, "skill", s->skill_start);
  ent_json_num(x, "model_brier", s->model_issues.brier);
  ent_json_num(x, "model_log", s->model_issues.log);
  return o;
}

static cJSON *score_json(const ent_result *r) {
  const ent_result_score *sc = r->score;
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddStringToObject(root, "ledger", sc->ledger ? sc->ledger : "");
  cJSON_AddStringToObject(root, "version", r->prov.version ? r->prov.version : "");
  cJSON_AddNumberToObject(root, "runs", (double)r->prov.runs);
  cJSON_AddNumberToObject(root, "seed", (double)r->prov.seed);
  cJSON_AddBoolToObject(root, "ex_ante", sc->ex_ante);
  cJSON_AddNumberToObject(root, "fit_until", sc->fit_until);
  ent_json_num(root, "log_clip", sc->clip);
  cJSON *qs = cJSON_AddArrayToObject(root, "questions");
  for (size_t k = 0; k < sc->n_questions; k++) {
    const ent_result_question *q = &sc->questions[k];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", q->id);
    cJSON_AddStringToObject(o, "as_of", q->as_of);
    cJSON_AddStringToObject(o, "question", q->question);
    cJSON_AddStringToObject(o, "variable", q->variable);
    cJSON_AddStringToObject(o, "entity", q->entity);
    cJSON_AddNumberToObject(o, "year", q->year);
    cJSON_AddStringToObject(o, "op", q->op);
    ent_json_num(o, "threshold", q->threshold);
    ent_json_num(o, "threshold2", q->threshold2);
    cJSON_AddNumberToObject(o, "outcome", q->outcome);
    ent_json_num(o, "probability", q->p);
    cJSON_AddNumberToObject(o, "members", (double)q->members);
    cJSON_AddBoolToObject(o, "fitted", q->fitted);
    cJSON *b = cJSON_AddObjectToObject(o, "baselines");
    ent_json_num(b, "uniform", q->p_uniform);
    ent_json_num(b, "persistence", q->p_persistence);
    ent_json_num(b, "starting_mean", q->has_start ? q->p_start : NAN);
    cJSON_AddItemToArray(qs, o);
  }
  cJSON_AddItemToObject(root, "scores", scores_json(&sc->sets[0]));
  cJSON_AddItemToObject(root, "fitted", scores_json(&sc->sets[1]));
  cJSON_AddItemToObject(root, "later", scores_json(&sc->sets[2]));
  cJSON *rel = cJSON_AddArrayToObject(root, "reliability");
  for (int k = 0; k < 10; k++) {
    const ent_result_bin *b = &sc->bins[k];
    cJSON *o = cJSON_CreateObject();
    ent_json_num(o, "from", b->lo);
    ent_json_num(o, "to", b->hi);
    cJSON_AddNumberToObject(o, "n", (double)b->n);
    ent_json_num(o, "mean_probability", b->n ? b->mean_p : NAN);
    ent_json_num(o, "observed", b->n ? b->observed : NAN);
    cJSON_AddItemToArray(rel, o);
  }
  return root;
}

ent_status ent_json_score(const ent_result *r, FILE *fp) {
  if (!r || !r->score) return ENT_EINVAL;
  return ent_json_emit(score_json(r), fp);
}

/* ------------------------------------------------------------ text */

static void pct(char *buf, size_t size, double p) {
  if (!isfinite(p)) snprintf(buf, size, "-");
  else snprintf(buf, size, "%.0f%%", 100.0 * p);
}

static void skill_text(char *buf, size_t size, double s) {
  if (!isfinite(s)) snprintf(buf, size, "-");
  else snprintf(buf, size, "%+.2f", s);
}

static void set_text(const ent_result_scoreset *s, int fit_until,
                     ent_strbuf *b) {
  const char *what = !strcmp(s->name, "fitted") ? "fitted"
                     : !strcmp(s->name, "later") ? "later"
                                                 : "all";
  char head[80];
  if (!strcmp(what, "fitted"))
    snprintf(head, sizeof head, "resolving by %d (the fit)", fit_until);
  else if (!strcmp(what, "later"))
    snprintf(head, sizeof head, "resolving after %d (held out)", fit_until);
  else
    snprintf(head, sizeof head, "all questions");
  ent_strbuf_printf(b, "\n%s: %zu question%s\n", head, s->model.n,
                    s->model.n == 1 ? "" : "s");
  if (!s->model.n) return;
  ent_strbuf_printf(b, "  %-22s %7s %7s %12s\n", "forecaster", "Brier", "log",
                    "skill (BSS)");
  char sk[16];
  ent_strbuf_printf(b, "  %-22s %7.3f %7.3f %12s\n", "model", s->model.brier,
                    s->model.log, "");
  skill_text(sk, sizeof sk, s->skill_uniform);
  ent_strbuf_printf(b, "  %-22s %7.3f %7.3f %12s\n", "uniform (0.5)",
                    s->uniform.brier, s->uniform.log, sk);
  skill_text(sk, sizeof sk, s->skill_persistence);
  ent_strbuf_printf(b, "  %-22s %7.3f %7.3f %12s\n", "persistence",
                    s->persistence.brier, s->persistence.log, sk);
  if (s->start.n) {
    skill_text(sk, sizeof sk, s->skill_start);
    ent_strbuf_printf(b, "  %-22s %7.3f %7.3f %12s   (issue questions only, "
                         "n %zu; model there: Brier %.3f)\n",
                      "starting_mean", s->start.brier, s->start.log, sk,
                      s->start.n, s->model_issues.brier);
  }
  /* where the model loses, plainly */
  const char *names[3] = {"uniform", "persistence", "starting_mean"};
  double skill[3] = {s->skill_uniform, s->skill_persistence, s->skill_start};
  for (int k = 0; k < 3; k++) {
    if (!isfinite(skill[k])) continue;
    if (skill[k] < 0.0)
      ent_strbuf_printf(b, "  the model LOSES to %s (Brier skill %+.2f)\n",
                        names[k], skill[k]);
    else if (skill[k] == 0.0)
      ent_strbuf_printf(b, "  the model TIES %s (a tie is not a win)\n",
                        names[k]);
  }
}

static ent_status score_text(const ent_result *r, FILE *fp) {
  const ent_result_score *sc = r->score;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_printf(&b, "forecasts scored on resolved questions: %s\n",
                    sc->ledger ? sc->ledger : "?");
  ent_strbuf_printf(&b, "%zu questions; %lu runs per scenario (seed %llu); "
                        "scenarios run %s; log score clipped to [%g, %g]\n",
                    sc->n_questions, r->prov.runs, r->prov.seed,
                    sc->ex_ante ? "ex ante (only what was known at the base "
                                  "year)"
                                : "with realised inputs",
                    sc->clip, 1.0 - sc->clip);
  ent_strbuf_printf(&b, "\n  %-24s %-18s %5s %6s %6s %6s %4s %s\n", "question",
                    "as of", "year", "model", "persist", "start", "out",
                    "set");
  for (size_t k = 0; k < sc->n_questions; k++) {
    const ent_result_question *q = &sc->questions[k];
    char p[16], pp[16], ps[16];
    pct(p, sizeof p, q->p);
    pct(pp, sizeof pp, q->p_persistence);
    pct(ps, sizeof ps, q->has_start ? q->p_start : NAN);
    ent_strbuf_printf(&b, "  %-24.24s %-18.18s %5d %6s %6s %6s %4d %s\n", q->id,
                      q->as_of, q->year, p, pp, ps, q->outcome,
                      q->fitted ? "fitted" : "later");
  }
  for (int k = 0; k < 3; k++) set_text(&sc->sets[k], sc->fit_until, &b);
  ent_strbuf_puts(&b, "\nreliability of the model (all questions): bin, "
                      "questions, mean probability, share that happened\n");
  for (int k = 0; k < 10; k++) {
    const ent_result_bin *bn = &sc->bins[k];
    if (!bn->n) continue;
    ent_strbuf_printf(&b, "  [%.1f, %.1f%s %3zu  %5.2f  %5.2f\n", bn->lo, bn->hi,
                      k == 9 ? "]" : ")", bn->n, bn->mean_p, bn->observed);
  }
  return ent_render_flush(&b, fp);
}

ent_status ent_text_score(const ent_result *r, FILE *fp) {
  if (!r || !r->score) return ENT_EINVAL;
  return score_text(r, fp);
}

/* ------------------------------------------------------------ CSV */

ent_status ent_csv_render_score(const ent_result *r, FILE *fp) {
  if (!r || !r->score) return ENT_EINVAL;
  const ent_result_score *sc = r->score;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_puts(&b, "id,as_of,variable,entity,year,op,threshold,threshold2,"
                      "outcome,probability,uniform,persistence,starting_mean,"
                      "fitted\n");
  for (size_t k = 0; k < sc->n_questions; k++) {
    const ent_result_question *q = &sc->questions[k];
    char t1[32], t2[32], p[32], pp[32], ps[32];
    ent_fmt_double(t1, sizeof t1, q->threshold);
    ent_fmt_double(p, sizeof p, q->p);
    ent_fmt_double(pp, sizeof pp, q->p_persistence);
    if (isfinite(q->threshold2)) ent_fmt_double(t2, sizeof t2, q->threshold2);
    else t2[0] = '\0';
    if (q->has_start) ent_fmt_double(ps, sizeof ps, q->p_start);
    else ps[0] = '\0';
    ent_csv_write_field(&b, q->id, 1);
    ent_strbuf_puts(&b, ",");
    ent_csv_write_field(&b, q->as_of, 1);
    ent_strbuf_puts(&b, ",");
    ent_csv_write_field(&b, q->variable, 1);
    ent_strbuf_puts(&b, ",");
    ent_csv_write_field(&b, q->entity, 1);
    ent_strbuf_printf(&b, ",%d,%s,%s,%s,%d,%s,0.5,%s,%s,%d\n", q->year, q->op, t1,
                      t2, q->outcome, p, pp, ps, q->fitted);
  }
  return ent_render_flush(&b, fp);
}
