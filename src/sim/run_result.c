/*
 * run_result.c -- the result tree of one run (run_result.h).  This file is
 * the one reader of ent_run / ent_issue_run for output: the renderers get
 * everything they print from the tree built here.
 *
 * What it adds to the recorded values: each issue's forecast in the
 * words of its scale (the nearest anchor, or the two it lies between),
 * the relationship class of every ordered pair in the last round, the
 * comparison of the two bargaining models on `both` issues (they disagree
 * beyond ENT_MODEL_DISAGREE of the scale) and whether the forecast is
 * robust (the two variants within 5% of the scale).
 */
#include "sim/run_result.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

ent_class ent_run_region_class(ent_eum_region reg) {
  switch (reg) {
  case ENT_REGION_CONFRONT_I_MOVES:
  case ENT_REGION_CONFRONT_J_MOVES:
    return ENT_CLASS_CONFLICT;
  case ENT_REGION_COMPROMISE_I_MOVES:
  case ENT_REGION_COMPROMISE_J_MOVES:
    return ENT_CLASS_COMPROMISE;
  case ENT_REGION_CAPITULATE_I_MOVES:
  case ENT_REGION_CAPITULATE_J_MOVES:
    return ENT_CLASS_CAPITULATION;
  case ENT_REGION_STALEMATE:
    return ENT_CLASS_STALEMATE;
  case ENT_REGION_SAME_POSITION:
    return ENT_CLASS_AGREEMENT;
  default:
    return ENT_CLASS_NONE;
  }
}

static const char *stop_name(ent_eum_stop_reason s) {
  switch (s) {
  case ENT_EUM_STOPPED_NO_MOVE:
    return "no_move";
  case ENT_EUM_STOPPED_MEDIAN_STABLE:
    return "median_stable";
  case ENT_EUM_STOPPED_CYCLE:
    return "cycle";
  default:
    return "rounds";
  }
}

static const char *model_name(ent_issue_model m) {
  return m == ENT_ISSUE_SMP ? "smp" : m == ENT_ISSUE_BOTH ? "both" : "eum";
}

/* The value v in the words of the issue's scale (empty without anchors). */
static void describe_value(const ent_issue *is, double v, char *buf,
                           size_t size) {
  const char *nearest, *below, *above;
  ent_model_issue_describe(is, v, &nearest, &below, &above);
  if (!nearest) {
    buf[0] = '\0';
    return;
  }
  double lo_at = is->lo, hi_at = is->hi;
  for (size_t k = 0; k < is->n_anchors; k++) {
    if (is->anchors[k].at <= v) lo_at = is->anchors[k].at;
    if (is->anchors[k].at >= v) {
      hi_at = is->anchors[k].at;
      break;
    }
  }
  if (below && above && below != above)
    snprintf(buf, size, "between \"%s\" (%g) and \"%s\" (%g), nearer \"%s\"",
             below, lo_at, above, hi_at, nearest);
  else
    snprintf(buf, size, "\"%s\"", nearest);
}

static double *copy_doubles(ent_result *res, const double *v, size_t n) {
  double *p = ent_result_alloc(res, n, sizeof *p);
  if (p && n) memcpy(p, v, n * sizeof *p);
  return p;
}

/* The expected-utility history and the last round's pair relations. */
static void eum_part(ent_result *res, const ent_eum_hist *h, int window,
                     ent_result_issue *ri) {
  size_t n = h->n, nr = (size_t)h->n_rounds;
  ent_result_eum *e = ent_result_alloc(res, 1, sizeof *e);
  if (!e) return;
  ri->eum = e;
  e->n = n;
  e->n_rounds = h->n_rounds;
  e->range = h->range;
  e->x = copy_doubles(res, h->x, (nr + 1) * n);
  e->risk = copy_doubles(res, h->r, nr * n);
  e->mean = copy_doubles(res, h->mean, nr + 1);
  e->median = copy_doubles(res, h->median, nr + 1);
  e->moves = ent_result_alloc(res, h->n_moves, sizeof *e->moves);
  if (!e->moves) return;
  for (size_t k = 0; k < h->n_moves; k++) {
    const ent_eum_move *mv = &h->moves[k];
    ent_result_move *o = &e->moves[k];
    o->round = mv->round;
    o->mover = (size_t)mv->mover;
    o->toward = (size_t)mv->toward;
    o->type = mv->type == ENT_MOVE_CONFLICT     ? ENT_RESULT_MOVE_CONFLICT
              : mv->type == ENT_MOVE_COMPROMISE ? ENT_RESULT_MOVE_COMPROMISE
                                                : ENT_RESULT_MOVE_CAPITULATION;
    o->type_name = ent_eum_move_name(mv->type);
    o->a = mv->a;
    o->b = mv->b;
    o->from = mv->from;
    o->to = mv->to;
  }
  e->n_moves = h->n_moves;
  e->converged = h->converged;
  e->median_min = h->median_min;
  e->median_max = h->median_max;
  e->window = window;
  e->stopped = stop_name(h->stopped);
  e->cycle_start = h->cycle_start;
  e->cycle_period = h->cycle_period;
  /* every ordered pair in the last round played (none before any) */
  ri->relations = ent_result_alloc(res, n * (n - 1), sizeof *ri->relations);
  if (!ri->relations) return;
  size_t q = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      if (i == j) continue;
      ent_eum_region reg = h->n_rounds == 0
                               ? ENT_REGION_NONE
                               : ent_eum_hist_region(h, h->n_rounds, i, j);
      ent_result_relation *rl = &ri->relations[q++];
      rl->from = ri->actors[i];
      rl->to = ri->actors[j];
      rl->cls = ent_run_region_class(reg);
      rl->share[rl->cls] = 1.0;
      rl->region = ent_eum_region_name(reg);
      rl->a = h->last_a[i * n + j];
      rl->b = h->last_b[i * n + j];
    }
  ri->n_relations = q;
}

/* The spatial model's part of an issue run. */
static void smp_part(ent_result *res, const ent_issue_run *ir,
                     ent_result_issue *ri) {
  const ent_issue *is = ir->issue;
  size_t n = is->n_stakes, m = is->n_dims;
  const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
  ent_result_smp *s = ent_result_alloc(res, 1, sizeof *s);
  if (!s) return;
  ri->smp = s;
  s->ran = sp != NULL;
  if (!sp) {
    const ent_issue_smp *ns = ent_issue_run_smp(ir);
    s->note = ent_result_str(res, ns ? ns->note : NULL);
    return;
  }
  s->n_dims = m;
  s->dims = ent_result_alloc(res, m, sizeof *s->dims);
  if (!s->dims) return;
  for (size_t q = 0; q < m; q++) s->dims[q] = ent_result_str(res, is->dims[q]);
  s->likely = copy_doubles(res, sp->likely, m);
  s->mean = copy_doubles(res, sp->mean, m);
  s->turns = sp->turns;
  s->converged = sp->converged;
  s->final = copy_doubles(res, sp->final, n * m);
  s->win = copy_doubles(res, sp->win, n);
}

static void issue_part(ent_result *res, const ent_model *m,
                       const ent_issue_run *ir, ent_result_issue *ri) {
  int dynamic = m->st != NULL;
  const ent_issue *is = ir->issue;
  const ent_eum_hist *h = ent_issue_run_hist(ir);
  const ent_issue_eum *eu = ent_issue_run_eum(ir);
  const ent_issue_smp *sp = ent_issue_run_smp_ran(ir);
  size_t n = is->n_stakes;
  ri->id = ent_result_str(res, is->id);
  ri->question = ent_result_str(res, is->question);
  ri->has_scale = 1;
  ri->lo = is->lo;
  ri->hi = is->hi;
  ri->anchors = ent_result_alloc(res, is->n_anchors, sizeof *ri->anchors);
  ri->actors = ent_result_alloc(res, n, sizeof *ri->actors);
  ri->actor_names = ent_result_alloc(res, n, sizeof *ri->actor_names);
  if (!ri->anchors || !ri->actors || !ri->actor_names) return;
  for (size_t k = 0; k < is->n_anchors; k++) {
    ri->anchors[k].at = is->anchors[k].at;
    ri->anchors[k].label = ent_result_str(res, is->anchors[k].label);
  }
  ri->n_anchors = is->n_anchors;
  for (size_t k = 0; k < n; k++) {
    ri->actors[k] = ent_result_str(res, m->actors[is->stakes[k].actor].id);
    ri->actor_names[k] = ent_result_str(res, m->actors[is->stakes[k].actor].name);
  }
  ri->n_actors = n;
  char buf[512];
  ri->model = model_name(ir->model);
  ent_eum_opts_describe(&ir->opts, buf, sizeof buf);
  ri->options = ent_result_str(res, buf);
  ri->forecast = ir->forecast;
  ri->final_mean = h ? h->mean[h->n_rounds] : sp ? sp->mean[0] : ir->forecast;
  describe_value(is, ir->forecast, buf, sizeof buf);
  ri->label = ent_result_str(res, buf);
  ri->has_base = 1;
  ri->base_median = ir->initial_median;
  ri->base_mean = ir->initial_mean;
  ri->has_outcome = 1;
  ri->outcome.n = 1;
  ri->outcome.mean = ri->final_mean;
  ri->outcome.sd = 0.0;
  for (int k = 0; k < ENT_NQ; k++) ri->outcome.q[k] = ir->forecast;
  if (h) eum_part(res, h, ir->opts.window, ri);
  if (ir->model != ENT_ISSUE_EUM) smp_part(res, ir, ri);
  if (h && sp) {
    ri->has_models = 1;
    ri->models_margin = ENT_MODEL_DISAGREE * (is->hi - is->lo);
    ri->models_gap = fabs(sp->forecast - ir->forecast);
    ri->smp_forecast = sp->forecast;
    ri->models_disagree = ri->models_gap > ri->models_margin;
  }
  /* the deciding model's settling, in a run with a time axis */
  const ent_track *tr = ir->model == ENT_ISSUE_SMP ? (sp ? &sp->track : NULL)
                        : eu ? &eu->track : NULL;
  if (dynamic && tr && tr->has_end) {
    ri->has_settle = 1;
    ri->unsettled = tr->unsettled;
    ri->period = tr->period;
    ri->settle_window = tr->window;
    ri->settle_lo = tr->lo;
    ri->settle_hi = tr->hi;
    ri->raw = tr->raw;
  }
  if (eu && eu->has_robustness && h) {
    double tol = 0.05 * (is->hi - is->lo), fm = eu->forecast;
    ri->has_robustness = 1;
    ri->least_move_median = eu->least_move_median;
    ri->reflected_median = eu->reflected_median;
    ri->robust_unsettled = eu->robust_unsettled;
    ri->robust = fabs(eu->least_move_median - fm) <= tol &&
                 fabs(eu->reflected_median - fm) <= tol &&
                 !eu->robust_unsettled && !(dynamic && eu->track.unsettled);
  }
}

/* The main pair of the yearly table: the first report pair whose actors
 * are both blocs, else the first two actor blocs, else blocs 0 and 1. */
static void main_dyad(const ent_model *m, size_t *a, size_t *b) {
  const ent_structure *st = m->st;
  for (size_t p = 0; p < m->n_pairs; p++) {
    size_t x = ent_model_find_bloc(m, m->actors[m->pairs[p][0]].id);
    size_t y = ent_model_find_bloc(m, m->actors[m->pairs[p][1]].id);
    if (x != (size_t)-1 && y != (size_t)-1) {
      *a = x;
      *b = y;
      return;
    }
  }
  size_t found = 0;
  for (size_t i = 0; i < st->n_blocs && found < 2; i++)
    if (st->blocs[i].actor >= 0) {
      if (found == 0) *a = i;
      else *b = i;
      found++;
    }
  if (found == 2) return;
  *a = 0;
  *b = 1;
}

static void structure_part(ent_result *res, const ent_run *r) {
  const ent_model *m = r->m;
  const ent_structure *st = m->st;
  ent_result_structure *o = &res->st;
  o->present = 1;
  o->n_blocs = st->n_blocs;
  o->n_shocks = st->n_shocks;
  o->n_channels = st->n_channels;
  o->n_links = st->n_links;
  o->theta = st->theta;
  size_t a = 0, c = 1;
  main_dyad(m, &a, &c);
  o->main_a = ent_result_str(res, st->blocs[a].id);
  o->main_b = ent_result_str(res, st->blocs[c].id);
  for (size_t q = 0; q < st->n_channels; q++) {
    const ent_channel *ch = &st->channels[q];
    if (ch->from == a && ch->to == c && ch->kind <= ENT_CHANNEL_ARMS &&
        !o->main_units[ch->kind])
      o->main_units[ch->kind] = ent_result_str(res, ch->unit);
  }
}

ent_status ent_run_result(const ent_run *r, ent_result **out) {
  *out = NULL;
  if (!r) return ENT_EINVAL;
  const ent_model *m = r->m;
  ent_result *res = ent_result_create(ENT_RESULT_RUN);
  if (!res) return ENT_ENOMEM;
  ent_result_model(res, m);
  if (m->st) {
    res->prov.has_time = 1;
    res->prov.start = r->first_year;
    res->prov.end = r->last_year;
    structure_part(res, r);
  }
  res->cells = ent_result_alloc(res, r->n_series, sizeof *res->cells);
  for (size_t k = 0; res->cells && k < r->n_series; k++) {
    const ent_series_point *p = &r->series[k];
    ent_result_cell *c = &res->cells[k];
    c->variable = ent_result_str(res, p->variable);
    c->entity = ent_result_str(res, p->entity);
    c->unit = ent_result_str(res, p->unit);
    c->year = p->year;
    c->value = p->value;
    c->st.n = 1;
    c->st.mean = p->value;
    for (int q = 0; q < ENT_NQ; q++) c->st.q[q] = p->value;
  }
  if (res->cells) res->n_cells = r->n_series;
  res->issues = ent_result_alloc(res, r->n_issues, sizeof *res->issues);
  for (size_t i = 0; res->issues && i < r->n_issues; i++)
    issue_part(res, m, &r->issues[i], &res->issues[i]);
  if (res->issues) res->n_issues = r->n_issues;
  res->disagree_share = ENT_MODEL_DISAGREE;
  if (m->st) {
    char pair[160];
    res->has_dynamics = 1;
    res->rounds_per_year = r->n_issues ? r->issues[0].opts.rounds
                                       : m->dyn.rounds_per_year;
    res->inertia = m->dyn.inertia;
    ent_run_align_pair(m, pair, sizeof pair);
    res->align_pair = ent_result_str(res, pair);
  }
  res->drivers = ent_result_alloc(res, r->n_drivers, sizeof *res->drivers);
  for (size_t k = 0; res->drivers && k < r->n_drivers; k++) {
    const ent_run_driver *dv = &r->drivers[k];
    ent_result_driver *o = &res->drivers[k];
    o->id = ent_result_str(res, dv->id);
    o->kind = ent_result_str(res, dv->kind);
    o->why = ent_result_str(res, dv->why);
    o->issue_delta = copy_doubles(res, dv->issue_delta, r->n_issues);
    o->alignment_delta = dv->alignment_delta;
    o->has_alignment = dv->has_alignment;
  }
  if (res->drivers) res->n_drivers = r->n_drivers;
  ent_status st = ent_result_failed(res) ? ENT_ENOMEM : ent_result_index(res, NULL);
  if (st == ENT_OK && ent_result_failed(res)) st = ENT_ENOMEM;
  if (st != ENT_OK) {
    ent_result_destroy(res);
    return st;
  }
  *out = res;
  return ENT_OK;
}
