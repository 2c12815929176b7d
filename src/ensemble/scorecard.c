/*
 * scorecard.c -- forecasts of a ledger's questions, scored against what
 * happened (docs/score.md; public API in entente.h).
 *
 * For each `as_of` scenario of the ledger (in the order the ledger first
 * names them) one forecast ensemble: ex-ante runs (sim.h: only what was
 * known in the scenario's base year) of `runs` members from `seed`.
 * Every question is resolved to one output (variable, entity, year) of
 * that scenario's run before anything runs; an entity "A-B" of a variable
 * kept per ordered pair ("A->B": partner_share, gas_flow, ...) is read as
 * "A->B".  The model's probability of a question is the share of members
 * whose value meets its condition; the baselines are 0.5 (uniform), the
 * share of members whose value in the scenario's first year meets it
 * (persistence), and for issue questions the share whose weighted mean of
 * the starting positions in that year meets it (starting_mean).
 *
 * Scores (ensemble/score.h): Brier, log (clipped at ENT_SCORE_CLIP) and
 * the Brier skill score against each baseline, for all questions, the
 * ones resolving by `fit_until` (where free parameters were fitted) and
 * the later ones; the starting_mean comparison is over issue questions
 * only, with the model scored on the same questions.  Same ledger,
 * options and seed -> the same scores for any thread count.
 *
 * Prefixes: ent_scorecard_, ent_score_opts_ (the options of a scorecard,
 * named after the `entente score` command in entente.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "ensemble/ensemble.h"
#include "ensemble/score.h"
#include "input/ledger_load.h"
#include "input/scenario.h"

struct ent_scorecard {
  ent_result *res;
};

void ent_score_opts_init(ent_score_opts *o) {
  memset(o, 0, sizeof *o);
  o->runs = 1000;
  o->seed = 1;
  o->threads = 1;
  o->fit_until = 2019;
  o->ex_ante = 1;
}

void ent_scorecard_destroy(ent_scorecard *s) {
  if (!s) return;
  ent_result_destroy(s->res);
  ent_free(s);
}

const ent_result *ent_scorecard_result(const ent_scorecard *s) {
  return s ? s->res : NULL;
}

/* The watches of one question: model, persistence, starting mean. */
typedef struct qwatch {
  size_t model, first, start;
  int has_start;
} qwatch;

/* Load the scenario `as_of` (a built-in name, or a .yaml file relative to
 * the ledger's directory); problems at the question's as_of field. */
static ent_status load_as_of(const ent_ledger *l, const ent_ledger_q *q,
                             ent_model **m, ent_diag *d) {
  const char *name = q->as_of;
  size_t nl = strlen(name);
  int is_file = strchr(name, '/') ||
                (nl > 5 && !strcmp(name + nl - 5, ".yaml")) ||
                (nl > 4 && !strcmp(name + nl - 4, ".yml"));
  const ent_ledger_pos *at = &q->at[ENT_LEDGER_COL_AS_OF];
  if (!is_file) {
    if (!ent_builtin_text(name)) {
      ent_diag_error(d, l->file, at->line, at->col,
                     "unknown scenario '%.60s' in as_of (a built-in name, "
                     "or a file ending in .yaml)", name);
      return ENT_EINPUT;
    }
    return ent_builtin_load(name, m, d);
  }
  char path[1200];
  const char *slash = strrchr(l->file, '/');
  if (name[0] != '/' && slash)
    snprintf(path, sizeof path, "%.*s/%s", (int)(slash - l->file), l->file,
             name);
  else
    snprintf(path, sizeof path, "%s", name);
  ent_diag *tmp = ent_diag_create();
  if (!tmp) return ENT_ENOMEM;
  ent_status st = ent_scenario_load_file(path, m, tmp);
  if (st == ENT_EIO) {
    ent_diag_error(d, l->file, at->line, at->col,
                   "cannot read the as_of scenario '%.200s'", path);
  } else if (st != ENT_OK) {
    for (size_t k = 0; k < ent_diag_count(tmp); k++) {
      const ent_diag_item *it = ent_diag_get(tmp, k);
      ent_diag_add(d, it->severity, it->code, it->file, it->line, it->col,
                   "%s", it->msg);
    }
    ent_diag_error(d, l->file, at->line, at->col,
                   "the as_of scenario '%.200s' has errors (above)", path);
  }
  ent_diag_destroy(tmp);
  return st;
}

/* Watch question q's output (with the "A-B" -> "A->B" reading); -1 and a
 * message when the scenario has no such output. */
static int watch_output(ent_ensemble *e, const ent_ledger *l,
                        const ent_ledger_q *q, const char *variable, int year,
                        size_t *index, int report, ent_diag *d) {
  ent_status st = ent_ensemble_watch(e, variable, q->entity, year, q, index);
  if (st == ENT_ENOTFOUND && !strstr(q->entity, "->")) {
    const char *dash = strchr(q->entity, '-');
    char alt[200];
    if (dash && dash != q->entity && dash[1]) {
      snprintf(alt, sizeof alt, "%.*s->%s", (int)(dash - q->entity), q->entity,
               dash + 1);
      st = ent_ensemble_watch(e, variable, alt, year, q, index);
    }
  }
  if (st == ENT_OK) return 0;
  if (st == ENT_ENOMEM) return -2;
  if (report) {
    const ent_ledger_pos *at = &q->at[ENT_LEDGER_COL_ENTITY];
    ent_diag_error(d, l->file, at->line, at->col,
                   "scenario '%s' has no series %s of '%.60s' in %d",
                   q->as_of, variable, q->entity, year);
  }
  return -1;
}

/* Check a question against its scenario before running: a known
 * variable, a year on the axis. */
static int check_question(const ent_ledger *l, const ent_ledger_q *q,
                          const ent_model *m, ent_diag *d) {
  int bad = 0;
  if (!ent_names_var_find(q->variable)) {
    const ent_ledger_pos *at = &q->at[ENT_LEDGER_COL_VARIABLE];
    ent_diag_error(d, l->file, at->line, at->col,
                   "unknown variable '%.60s' (docs/variables.md)", q->variable);
    bad = 1;
  }
  int y0 = m->st ? m->st->start : 0, y1 = m->st ? m->st->end : 0;
  if (!m->st || q->year < y0 || q->year > y1) {
    const ent_ledger_pos *at = &q->at[ENT_LEDGER_COL_YEAR];
    if (m->st)
      ent_diag_error(d, l->file, at->line, at->col,
                     "year %d is outside the years %d-%d of scenario '%s'",
                     q->year, y0, y1, q->as_of);
    else
      ent_diag_error(d, l->file, at->line, at->col,
                     "scenario '%s' has no time axis: its questions cannot "
                     "name a year", q->as_of);
    bad = 1;
  }
  return bad;
}

/* The forecasts of the questions of one as_of (indices idx[0..n)). */
static ent_status run_group(const ent_ledger *l, const size_t *idx, size_t n,
                            const ent_score_opts *o, ent_result *res,
                            ent_diag *d) {
  const ent_ledger_q *q0 = &l->q[idx[0]];
  ent_model *m = NULL;
  ent_status st = load_as_of(l, q0, &m, d);
  if (st != ENT_OK) return st == ENT_EIO ? ENT_EINPUT : st;
  int bad = 0;
  for (size_t k = 0; k < n; k++) bad += check_question(l, &l->q[idx[k]], m, d);
  if (bad) {
    ent_model_destroy(m);
    return ENT_EINPUT;
  }
  ent_run_opts *ro = ent_run_opts_create();
  ent_ensemble_opts eo;
  ent_ensemble_opts_init(&eo);
  eo.runs = o->runs;
  eo.seed = o->seed;
  eo.threads = o->threads;
  ent_ensemble *e = NULL;
  qwatch *w = ent_calloc(n, sizeof *w);
  if (!ro || !w) st = ENT_ENOMEM;
  if (st == ENT_OK) {
    ro->ex_ante = o->ex_ante;
    st = ent_ensemble_create(m, ro, &eo, &e, d);
  }
  if (st == ENT_OK) ent_ensemble_set_cancel(e, o->cancel);
  for (size_t k = 0; st == ENT_OK && k < n; k++) {
    const ent_ledger_q *q = &l->q[idx[k]];
    int r = watch_output(e, l, q, q->variable, q->year, &w[k].model, 1, d);
    if (r == 0)
      r = watch_output(e, l, q, q->variable, m->st->start, &w[k].first, 1, d);
    if (r == 0 && !strcmp(q->variable, ENT_VNAME(ENT_VAR_ISSUE_FORECAST))) {
      int rs = watch_output(e, l, q, ENT_VNAME(ENT_VAR_BASELINE_MEAN), q->year,
                            &w[k].start, 0, d);
      if (rs == -2) r = -2;
      w[k].has_start = rs == 0;
    }
    if (r == -2) st = ENT_ENOMEM;
    else if (r) bad++;
  }
  if (st == ENT_OK && bad) st = ENT_EINPUT;
  if (st == ENT_OK) {
    do st = ent_ensemble_step(e, d);
    while (st == ENT_CONTINUE);
  }
  for (size_t k = 0; st == ENT_OK && k < n; k++) {
    const ent_ledger_q *q = &l->q[idx[k]];
    ent_result_question *rq = &res->score->questions[idx[k]];
    unsigned long hits, cnt, h1, n1;
    ent_ensemble_watched(e, w[k].model, &hits, &cnt);
    ent_ensemble_watched(e, w[k].first, &h1, &n1);
    if (cnt == 0) {
      const ent_ledger_pos *at = &q->at[ENT_LEDGER_COL_ID];
      ent_diag_error(d, l->file, at->line, at->col,
                     "question '%s': no member of the forecast has a value "
                     "(every member failed?)", q->id);
      st = ENT_ENOCONV;
      break;
    }
    rq->members = cnt;
    rq->p = (double)hits / (double)cnt;
    rq->p_uniform = 0.5;
    rq->p_persistence = n1 ? (double)h1 / (double)n1 : 0.5;
    if (w[k].has_start) {
      unsigned long hs, ns;
      ent_ensemble_watched(e, w[k].start, &hs, &ns);
      rq->has_start = ns > 0;
      rq->p_start = ns ? (double)hs / (double)ns : NAN;
    } else {
      rq->p_start = NAN;
    }
  }
  ent_free(w);
  ent_ensemble_destroy(e);
  ent_run_opts_destroy(ro);
  ent_model_destroy(m);
  return st;
}

/* Scores of one set of questions (filter: -1 all, 1 fitted, 0 later). */
static void score_set(ent_result_score *sc, int filter, const char *name,
                      double *p, double *pu, double *pp, double *pm2,
                      double *ps, int *o, int *o2) {
  ent_result_scoreset *set = &sc->sets[filter < 0 ? 0 : filter ? 1 : 2];
  size_t n = 0, n2 = 0;
  for (size_t k = 0; k < sc->n_questions; k++) {
    const ent_result_question *q = &sc->questions[k];
    if (filter >= 0 && q->fitted != filter) continue;
    p[n] = q->p;
    pu[n] = q->p_uniform;
    pp[n] = q->p_persistence;
    o[n++] = q->outcome;
    if (q->has_start) {
      pm2[n2] = q->p;
      ps[n2] = q->p_start;
      o2[n2++] = q->outcome;
    }
  }
  ent_score s;
  set->name = name;
  s = ent_score_of(n, p, o);
  set->model = (ent_result_scores){s.n, s.brier, s.log};
  s = ent_score_of(n, pu, o);
  set->uniform = (ent_result_scores){s.n, s.brier, s.log};
  s = ent_score_of(n, pp, o);
  set->persistence = (ent_result_scores){s.n, s.brier, s.log};
  s = ent_score_of(n2, pm2, o2);
  set->model_issues = (ent_result_scores){s.n, s.brier, s.log};
  s = ent_score_of(n2, ps, o2);
  set->start = (ent_result_scores){s.n, s.brier, s.log};
  set->skill_uniform = n ? ent_score_skill(set->model.brier, set->uniform.brier) : NAN;
  set->skill_persistence =
      n ? ent_score_skill(set->model.brier, set->persistence.brier) : NAN;
  set->skill_start =
      n2 ? ent_score_skill(set->model_issues.brier, set->start.brier) : NAN;
}

static ent_status summarise(ent_result_score *sc) {
  size_t n = sc->n_questions;
  double *buf = ent_calloc(5 * (n ? n : 1), sizeof(double));
  int *o = ent_calloc(2 * (n ? n : 1), sizeof(int));
  if (!buf || !o) {
    ent_free(buf);
    ent_free(o);
    return ENT_ENOMEM;
  }
  double *p = buf, *pu = buf + n, *pp = buf + 2 * n, *pm2 = buf + 3 * n,
         *ps = buf + 4 * n;
  score_set(sc, -1, "all", p, pu, pp, pm2, ps, o, o + n);
  score_set(sc, 1, "fitted", p, pu, pp, pm2, ps, o, o + n);
  score_set(sc, 0, "later", p, pu, pp, pm2, ps, o, o + n);
  for (size_t k = 0; k < n; k++) {
    p[k] = sc->questions[k].p;
    o[k] = sc->questions[k].outcome;
  }
  ent_score_bin bins[ENT_SCORE_BINS];
  ent_score_reliability(n, p, o, bins);
  for (int k = 0; k < ENT_SCORE_BINS; k++)
    sc->bins[k] = (ent_result_bin){bins[k].lo, bins[k].hi, bins[k].n,
                                   bins[k].mean_p, bins[k].observed};
  sc->clip = ENT_SCORE_CLIP;
  ent_free(buf);
  ent_free(o);
  return ENT_OK;
}

ent_status ent_scorecard_create(const char *ledger_path,
                                const ent_score_opts *o, ent_scorecard **out,
                                ent_diag *d) {
  *out = NULL;
  if (!ledger_path || !o || o->runs < 1 || o->threads < 1) return ENT_EINVAL;
  ent_ledger *l = NULL;
  ent_status st = ent_ledger_load_file(ledger_path, &l, d);
  if (st != ENT_OK) return st;
  ent_scorecard *sc = ent_calloc(1, sizeof *sc);
  ent_result *res = ent_result_create(ENT_RESULT_SCORE);
  size_t *idx = ent_calloc(l->n, sizeof *idx);
  unsigned char *done = ent_calloc(l->n, 1);
  if (!sc || !res || !idx || !done) st = ENT_ENOMEM;
  ent_result_score *score = NULL;
  if (st == ENT_OK) {
    sc->res = res;
    res->score = score = ent_result_alloc(res, 1, sizeof *score);
    if (score) score->questions = ent_result_alloc(res, l->n, sizeof *score->questions);
    if (!score || !score->questions) st = ENT_ENOMEM;
  }
  if (st == ENT_OK) {
    score->ledger = ent_result_str(res, ledger_path);
    score->fit_until = o->fit_until;
    score->ex_ante = o->ex_ante;
    score->n_questions = l->n;
    res->prov.has_seed = res->prov.has_runs = 1;
    res->prov.seed = o->seed;
    res->prov.runs = o->runs;
    res->prov.version = ENT_VERSION;
    for (size_t k = 0; k < l->n; k++) {
      const ent_ledger_q *q = &l->q[k];
      ent_result_question *rq = &score->questions[k];
      rq->id = ent_result_str(res, q->id);
      rq->as_of = ent_result_str(res, q->as_of);
      rq->question = ent_result_str(res, q->question);
      rq->variable = ent_result_str(res, q->variable);
      rq->entity = ent_result_str(res, q->entity);
      rq->op = ent_ledger_op_name(q->op);
      rq->source = ent_result_str(res, q->source);
      rq->year = q->year;
      rq->threshold = q->threshold;
      rq->threshold2 = q->op == ENT_LEDGER_BETWEEN ? q->threshold2 : NAN;
      rq->outcome = q->outcome;
      rq->fitted = q->year <= o->fit_until;
    }
    if (ent_result_failed(res)) st = ENT_ENOMEM;
  }
  /* one forecast per as_of, in the order the ledger first names them; a
   * group with bad questions is reported and the others still checked */
  int input_errors = 0;
  for (size_t k = 0; st == ENT_OK && k < l->n; k++) {
    if (done[k]) continue;
    size_t n = 0;
    for (size_t j = k; j < l->n; j++)
      if (!done[j] && !strcmp(l->q[j].as_of, l->q[k].as_of)) {
        idx[n++] = j;
        done[j] = 1;
      }
    ent_status gs = run_group(l, idx, n, o, res, d);
    if (gs == ENT_EINPUT) input_errors = 1;
    else st = gs;
  }
  if (st == ENT_OK && input_errors) st = ENT_EINPUT;
  if (st == ENT_OK) st = summarise(score);
  if (st == ENT_OK && ent_result_failed(res)) st = ENT_ENOMEM;
  ent_free(idx);
  ent_free(done);
  ent_ledger_free(l);
  if (st != ENT_OK) {
    if (sc) sc->res = NULL;
    ent_result_destroy(res);
    ent_free(sc);
    return st;
  }
  *out = sc;
  return ENT_OK;
}
