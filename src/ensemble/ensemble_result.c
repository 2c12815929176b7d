/*
 * ensemble_result.c -- the result tree of a forecast and of a comparison
 * of two forecasts (ensemble.h).  The statistics are the ensemble's
 * (ensemble.c reduces the members); this file reads them out: quantiles
 * per cell (stats.h), the share of runs per labelled range, per threshold
 * and year, and per relationship class, the sensitivity indices of the
 * headline outputs (sensitivity.h), and for a comparison the difference
 * of means against its noise.
 *
 * Invariants: only rank 0 holds statistics; a share is 0 when no member
 * succeeded; inputs of a sensitivity output are ranked by decreasing |SRC|
 * or |ST| (ties: declared order).
 */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "ensemble/ensemble_impl.h"
#include "ensemble/uncertain.h"

static void summarise(const ent_ensemble *e, size_t c, double *scratch,
                      ent_result_stats *s) {
  s->n = e->w[c].n;
  s->mean = s->n ? e->w[c].mean : NAN;
  s->sd = s->n ? ent_welford_sd(&e->w[c]) : NAN;
  ent_qacc_quantiles(e->q, c, ent_names_quantile_prob, ENT_NQ, s->q, scratch);
}

static double share(unsigned long k, unsigned long n) {
  return n ? (double)k / (double)n : 0.0;
}

/* Probability that issue i's forecast reached anchor a by year index t
 * (t = n_years - 1 is the last year; strategic scenarios: t = 0). */
static double reached_by(const ent_ensemble *e, size_t i, size_t a, size_t t) {
  size_t span = (size_t)(e->n_years ? e->n_years + 1 : 2);
  const unsigned long *c = e->cross_count + e->cross_off[i] + a * span;
  unsigned long k = 0;
  for (size_t y = 0; y <= t; y++) k += c[y];
  return share(k, e->samples_ok);
}

static double *scratch_for(const ent_ensemble *e) {
  return ent_mallocarray(ent_qacc_scratch(e->q) + 1, sizeof(double));
}

enum { SUMMARY_CHUNK = 32 }; /* cells a thread takes at a time */

/* The statistics of cells [0, n) into st[0..n) on the forecast's threads
 * (each cell's are computed alone from its own accumulators, so the
 * values do not depend on which thread computed them); `scratch` is the
 * calling thread's.  Returns ENT_ENOMEM when a thread's scratch cannot be
 * had (then nothing is filled in). */
static ent_status summarise_cells(const ent_ensemble *e, size_t n,
                                  double *scratch, ent_result_stats *st) {
  int nt = e->n_work;
  if ((size_t)nt > n / SUMMARY_CHUNK) nt = (int)(n / SUMMARY_CHUNK);
#ifdef _OPENMP
  if (nt > 1) {
    atomic_size_t next = 0;
    atomic_int failed = 0;
#pragma omp parallel num_threads(nt)
    {
      double *sc = omp_get_thread_num() == 0 ? scratch : scratch_for(e);
      if (!sc) atomic_store(&failed, 1);
      for (; sc;) {
        size_t c0 = atomic_fetch_add_explicit(&next, SUMMARY_CHUNK,
                                              memory_order_relaxed);
        if (c0 >= n) break;
        size_t c1 = c0 + SUMMARY_CHUNK < n ? c0 + SUMMARY_CHUNK : n;
        for (size_t c = c0; c < c1; c++) summarise(e, c, sc, &st[c]);
      }
      if (sc != scratch) ent_free(sc);
    }
    return atomic_load(&failed) ? ENT_ENOMEM : ENT_OK;
  }
#endif
  for (size_t c = 0; c < n; c++) summarise(e, c, scratch, &st[c]);
  return ENT_OK;
}

/* ------------------------------------------------------------ provenance */

static void prov_part(ent_result *res, const ent_ensemble *e) {
  ent_result_prov *p = &res->prov;
  const ent_model *m = e->m;
  ent_result_model(res, m);
  p->has_seed = 1;
  p->seed = e->o.seed;
  p->has_runs = 1;
  p->runs = e->n_units;
  p->design = e->o.sobol ? "saltelli" : "monte-carlo";
  p->sobol = e->o.sobol;
  p->per_unit = e->per_unit;
  p->has_done = p->has_complete = p->has_samples = p->has_failed = 1;
  p->done = e->units_done;
  p->complete = e->units_done == e->n_units;
  p->samples = e->samples_ok;
  p->failed = e->units_failed;
  if (e->first_failure[0]) p->first_failure = ent_result_str(res, e->first_failure);
  if (ent_qacc_exact(e->q)) {
    p->qmethod = "exact";
  } else {
    p->qmethod = "sketch";
    p->has_sketch = 1;
    p->qk = ent_qacc_k(e->q);
    p->qlevels = ent_qacc_levels(e->q);
    p->qrank_error = ent_qacc_rank_error(e->q);
  }
  if (m->st) {
    p->has_time = 1;
    p->start = e->first_year;
    p->end = e->last_year;
    res->st.present = 1;
    res->st.n_blocs = m->st->n_blocs;
    res->st.n_shocks = m->st->n_shocks;
    res->st.n_channels = m->st->n_channels;
    res->st.n_links = m->st->n_links;
    res->st.theta = m->st->theta;
    res->st.main_a = ent_result_str(res, m->st->blocs[e->main_a].id);
    res->st.main_b = ent_result_str(res, m->st->blocs[e->main_b].id);
  }
  p->inputs = ent_result_alloc(res, e->d, sizeof *p->inputs);
  if (!p->inputs) return;
  for (size_t u = 0; u < e->d; u++) {
    const ent_uparam *up = &m->uparams[u];
    ent_result_input *in = &p->inputs[u];
    char buf[512];
    in->name = ent_result_str(res, up->name);
    in->dist = ent_dist_name(up->dist.kind);
    ent_dist_describe(&up->dist, buf, sizeof buf);
    in->describe = ent_result_str(res, buf);
    in->lo = up->dist.lo;
    in->hi = up->dist.hi;
    in->nominal = up->nominal;
    snprintf(buf, sizeof buf, "%s:%d:%d", up->file, up->at.line, up->at.col);
    in->defined = ent_result_str(res, buf);
  }
  p->n_inputs = e->d;
}

/* ------------------------------------------------------------ issues */

static void ranges_part(ent_result *res, const ent_ensemble *e, size_t i,
                        ent_result_issue *ri) {
  const ent_issue *is = &e->m->issues[i];
  size_t na = is->n_anchors;
  ri->ranges = ent_result_alloc(res, na, sizeof *ri->ranges);
  ri->thresholds = ent_result_alloc(res, na, sizeof *ri->thresholds);
  if (!ri->ranges || !ri->thresholds) return;
  for (size_t a = 0; a < na; a++) {
    ent_result_range *r = &ri->ranges[a];
    r->label = ri->anchors[a].label;
    r->at = is->anchors[a].at;
    r->lo = a ? 0.5 * (is->anchors[a - 1].at + is->anchors[a].at) : is->lo;
    r->hi = a + 1 < na ? 0.5 * (is->anchors[a].at + is->anchors[a + 1].at)
                       : is->hi;
    r->p = share(e->range_count[e->range_off[i] + a], e->samples_ok);
    ent_result_threshold *t = &ri->thresholds[a];
    t->label = ri->anchors[a].label;
    t->at = is->anchors[a].at;
    if (!e->n_years) {
      t->p = reached_by(e, i, a, 0);
      continue;
    }
    size_t ny = (size_t)e->n_years;
    t->p = reached_by(e, i, a, ny - 1);
    t->years = ent_result_alloc(res, ny, sizeof *t->years);
    t->p_by = ent_result_alloc(res, ny, sizeof *t->p_by);
    if (!t->years || !t->p_by) return;
    for (size_t y = 0; y < ny; y++) {
      t->years[y] = e->first_year + (int)y;
      t->p_by[y] = reached_by(e, i, a, y);
    }
    t->n_years = ny;
  }
  ri->n_ranges = ri->n_thresholds = na;
}

static void issue_part(ent_result *res, const ent_ensemble *e, size_t i,
                       double *scratch, ent_result_issue *ri) {
  const ent_model *m = e->m;
  const ent_issue *is = &m->issues[i];
  size_t n = is->n_stakes;
  ri->id = ent_result_str(res, is->id);
  ri->question = ent_result_str(res, is->question);
  ri->has_scale = 1;
  ri->lo = is->lo;
  ri->hi = is->hi;
  ri->anchors = ent_result_alloc(res, is->n_anchors, sizeof *ri->anchors);
  ri->actors = ent_result_alloc(res, n, sizeof *ri->actors);
  ri->relations = ent_result_alloc(res, n * (n - 1), sizeof *ri->relations);
  if (!ri->anchors || !ri->actors || !ri->relations) return;
  for (size_t k = 0; k < is->n_anchors; k++) {
    ri->anchors[k].at = is->anchors[k].at;
    ri->anchors[k].label = ent_result_str(res, is->anchors[k].label);
  }
  ri->n_anchors = is->n_anchors;
  for (size_t k = 0; k < n; k++)
    ri->actors[k] = ent_result_str(res, m->actors[is->stakes[k].actor].id);
  ri->n_actors = n;
  ri->has_outcome = ri->bands = 1;
  summarise(e, e->S + i, scratch, &ri->outcome);
  if (is->model == ENT_ISSUE_BOTH && is->n_dims == 1) {
    size_t base = e->S + m->n_issues + 2 * i;
    unsigned long tot = e->model_count[0] + e->model_count[1];
    ri->has_model_split = 1;
    for (int k = 0; k < 2; k++) {
      summarise(e, base + (size_t)k, scratch, &ri->model_outcome[k]);
      ri->model_share[k] = share(e->model_count[k], tot);
    }
  }
  /* the baselines in the last year */
  size_t cm = ent_ensemble_find_cell(e, ENT_VNAME(ENT_VAR_BASELINE_MEDIAN),
                                     is->id, e->last_year);
  size_t cn = ent_ensemble_find_cell(e, ENT_VNAME(ENT_VAR_BASELINE_MEAN),
                                     is->id, e->last_year);
  if (cm != (size_t)-1 && cn != (size_t)-1) {
    ri->has_base_stats = 1;
    summarise(e, cm, scratch, &ri->base_median_st);
    summarise(e, cn, scratch, &ri->base_mean_st);
    ri->has_base = 1;
    ri->base_median = ri->base_median_st.q[ENT_Q_MEDIAN];
    ri->base_mean = ri->base_mean_st.mean;
  }
  ranges_part(res, e, i, ri);
  size_t q = e->dyad_off[i];
  for (size_t a = 0; a < n; a++)
    for (size_t b = 0; b < n; b++) {
      if (a == b) continue;
      ent_result_relation *rl = &ri->relations[ri->n_relations++];
      rl->from = ri->actors[a];
      rl->to = ri->actors[b];
      rl->cls = -1;
      for (int c = 0; c < ENT_CLASSES; c++)
        rl->share[c] = share(e->class_count[q * ENT_CLASSES + (size_t)c],
                             e->samples_ok);
      q++;
    }
}

/* ------------------------------------------------------------ sensitivity */

/* Input order by decreasing |key| (ties: declaration order). */
static void rank_inputs(const double *key, size_t d, size_t *order) {
  for (size_t i = 0; i < d; i++) order[i] = i;
  for (size_t i = 1; i < d; i++) {
    size_t v = order[i], j = i;
    double kv = isfinite(key[v]) ? fabs(key[v]) : -1.0;
    while (j > 0) {
      size_t p = order[j - 1];
      double kp = isfinite(key[p]) ? fabs(key[p]) : -1.0;
      if (kp >= kv) break;
      order[j] = p;
      j--;
    }
    order[j] = v;
  }
}

/* Output o: SRC (a, R^2) or Sobol' (a = S1, b = ST).  A fit on d inputs
 * needs more than d + 1 runs. */
static ent_status sens_of(const ent_ensemble *e, size_t o, double *a,
                          double *b, double *r2) {
  if (e->o.sobol) {
    ent_sobol_compute(e->sob, o, a, b);
    *r2 = NAN;
    return ENT_OK;
  }
  if (ent_src_count(e->src) <= e->d + 1) return ENT_EINVAL;
  return ent_src_compute(e->src, o, a, r2);
}

static void sens_part(ent_result *res, const ent_ensemble *e) {
  ent_result_sens *s = &res->sens;
  size_t d = e->d;
  s->present = 1;
  s->method = e->o.sobol ? "sobol" : "src";
  s->about = e->o.sobol ? "Sobol' indices from Saltelli's design: first-order "
                          "(Saltelli et al. 2010) and total (Jansen 1999)"
                        : "standardised regression coefficients of a linear fit "
                          "on all uncertain inputs; r2 is the share of the "
                          "output's variance the fit explains";
  if (!e->o.sobol && ent_src_count(e->src) <= d + 1)
    s->note = "too few runs for a regression on every uncertain input (needs "
              "more than inputs + 1)";
  s->outputs = ent_result_alloc(res, e->h, sizeof *s->outputs);
  double *a = ent_calloc(d + 1, sizeof *a), *b = ent_calloc(d + 1, sizeof *b);
  if (!s->outputs || !a || !b) {
    res->arena.failed = 1;
    d = 0;
  }
  for (size_t o = 0; d && o < e->h; o++) {
    double r2;
    if (sens_of(e, o, a, b, &r2) != ENT_OK) continue;
    ent_result_sens_output *so = &s->outputs[s->n_outputs++];
    so->variable = ent_result_str(res, e->head[o].variable);
    so->entity = ent_result_str(res, e->head[o].entity);
    so->has_year = e->n_years > 0;
    so->year = e->head[o].year;
    so->has_r2 = !e->o.sobol;
    so->r2 = r2;
    so->n = d;
    so->inputs = ent_result_alloc(res, d, sizeof *so->inputs);
    so->index = ent_result_alloc(res, d, sizeof *so->index);
    so->total = e->o.sobol ? ent_result_alloc(res, d, sizeof *so->total) : NULL;
    so->order = ent_result_alloc(res, d, sizeof *so->order);
    if (!so->inputs || !so->index || !so->order || (e->o.sobol && !so->total))
      break;
    for (size_t i = 0; i < d; i++) {
      so->inputs[i] = res->prov.inputs ? res->prov.inputs[i].name : NULL;
      so->index[i] = a[i];
      if (so->total) so->total[i] = b[i];
    }
    rank_inputs(e->o.sobol ? b : a, d, so->order);
  }
  ent_free(a);
  ent_free(b);
}

/* ------------------------------------------------------------ forecast */

static ent_status finish(ent_result *res, ent_status st, ent_result **out) {
  if (st == ENT_OK && ent_result_failed(res)) st = ENT_ENOMEM;
  if (st == ENT_OK) st = ent_result_index(res, NULL);
  if (st != ENT_OK) {
    ent_result_destroy(res);
    return st;
  }
  *out = res;
  return ENT_OK;
}

ent_status ent_ensemble_result(const ent_ensemble *e, ent_result **out) {
  *out = NULL;
  if (!e || e->rank != 0) return ENT_EINVAL;
  double *scratch = scratch_for(e);
  ent_result *res = ent_result_create(ENT_RESULT_FORECAST);
  if (!scratch || !res) {
    ent_free(scratch);
    ent_result_destroy(res);
    return ENT_ENOMEM;
  }
  const ent_model *m = e->m;
  prov_part(res, e);
  res->cells = ent_result_alloc(res, e->S, sizeof *res->cells);
  /* the cells' statistics first (on the threads), then the tree */
  ent_result_stats *cs = ent_mallocarray(e->S + 1, sizeof *cs);
  if (!cs || summarise_cells(e, e->S, scratch, cs) != ENT_OK) {
    ent_free(cs);
    ent_free(scratch);
    ent_result_destroy(res);
    return ENT_ENOMEM;
  }
  for (size_t c = 0; res->cells && c < e->S; c++) {
    ent_result_cell *o = &res->cells[c];
    o->variable = ent_result_str(res, e->cells[c].variable);
    o->entity = ent_result_str(res, e->cells[c].entity);
    o->unit = ent_result_str(res, e->cells[c].unit);
    o->year = e->cells[c].year;
    o->bands = 1;
    o->st = cs[c];
    o->value = o->st.q[ENT_Q_MEDIAN];
  }
  ent_free(cs);
  if (res->cells) res->n_cells = e->S;
  res->issues = ent_result_alloc(res, m->n_issues, sizeof *res->issues);
  for (size_t i = 0; res->issues && i < m->n_issues; i++)
    issue_part(res, e, i, scratch, &res->issues[i]);
  if (res->issues) res->n_issues = m->n_issues;
  sens_part(res, e);
  ent_free(scratch);
  return finish(res, ENT_OK, out);
}

/* ------------------------------------------------------------ compare */

/* Difference of means b - a, its standard error (Welch) and whether it is
 * larger than its noise: |diff| > 2 se (se 0: any difference). */
static ent_result_diff diff_of(const ent_result_stats *a,
                               const ent_result_stats *b) {
  ent_result_diff r;
  r.diff = b->mean - a->mean;
  double va = a->n > 0 ? a->sd * a->sd / (double)a->n : 0.0;
  double vb = b->n > 0 ? b->sd * b->sd / (double)b->n : 0.0;
  r.se = sqrt(va + vb);
  double scale = fabs(a->mean) + fabs(b->mean);
  r.marked = isfinite(r.diff) &&
             (r.se > 0.0 ? fabs(r.diff) > 2.0 * r.se
                         : fabs(r.diff) > 1e-12 * (scale > 1.0 ? scale : 1.0));
  return r;
}

static void cmp_headlines(ent_result *res, const ent_ensemble *a,
                          const ent_ensemble *b, double *scratch) {
  ent_result_cmp *c = res->cmp;
  c->heads = ent_result_alloc(res, a->h, sizeof *c->heads);
  if (!c->heads) return;
  for (size_t k = 0; k < a->h; k++) {
    const headline *hd = &a->head[k];
    size_t ca = hd->at - a->d, cb = (size_t)-1;
    for (size_t q = 0; q < b->h; q++)
      if (!strcmp(b->head[q].variable, hd->variable) &&
          !strcmp(b->head[q].entity, hd->entity) && b->head[q].year == hd->year)
        cb = b->head[q].at - b->d;
    if (cb == (size_t)-1) continue;
    ent_result_cmp_headline *o = &c->heads[c->n_heads++];
    o->variable = ent_result_str(res, hd->variable);
    o->entity = ent_result_str(res, hd->entity);
    o->has_year = a->n_years > 0;
    o->year = hd->year;
    summarise(a, ca, scratch, &o->a);
    summarise(b, cb, scratch, &o->b);
    o->d = diff_of(&o->a, &o->b);
  }
}

static void cmp_cells(ent_result *res, const ent_ensemble *a,
                      const ent_ensemble *b, double *scratch) {
  ent_result_cmp *c = res->cmp;
  c->cells = ent_result_alloc(res, a->S, sizeof *c->cells);
  if (!c->cells) return;
  for (size_t k = 0; k < a->S; k++) {
    const cell *cl = &a->cells[k];
    size_t cb = ent_ensemble_find_cell(b, cl->variable, cl->entity, cl->year);
    if (cb == (size_t)-1) continue;
    ent_result_stats sa, sb;
    summarise(a, k, scratch, &sa);
    summarise(b, cb, scratch, &sb);
    ent_result_cmp_cell *o = &c->cells[c->n_cells++];
    o->variable = ent_result_str(res, cl->variable);
    o->entity = ent_result_str(res, cl->entity);
    o->year = cl->year;
    o->mean_a = sa.mean;
    o->mean_b = sb.mean;
    o->d = diff_of(&sa, &sb);
    c->n_marked += (size_t)o->d.marked;
  }
}

/* Share of runs nearest each label, A against B, for the issues of A that
 * B has with as many labels. */
static void cmp_issues(ent_result *res, const ent_ensemble *a,
                       const ent_ensemble *b) {
  ent_result_cmp *c = res->cmp;
  c->issues = ent_result_alloc(res, a->m->n_issues, sizeof *c->issues);
  if (!c->issues) return;
  for (size_t i = 0; i < a->m->n_issues; i++) {
    const ent_issue *is = &a->m->issues[i];
    size_t j = ent_model_find_issue(b->m, is->id);
    if (j == (size_t)-1 || is->n_anchors != b->m->issues[j].n_anchors) continue;
    ent_result_cmp_issue *o = &c->issues[c->n_issues++];
    o->id = ent_result_str(res, is->id);
    o->labels = ent_result_alloc(res, is->n_anchors, sizeof *o->labels);
    if (!o->labels) return;
    for (size_t k = 0; k < is->n_anchors; k++) {
      double pa = share(a->range_count[a->range_off[i] + k], a->samples_ok);
      double pb = share(b->range_count[b->range_off[j] + k], b->samples_ok);
      double se = sqrt(pa * (1 - pa) / (double)(a->samples_ok ? a->samples_ok : 1) +
                       pb * (1 - pb) / (double)(b->samples_ok ? b->samples_ok : 1));
      ent_result_cmp_label *l = &o->labels[k];
      l->label = ent_result_str(res, is->anchors[k].label);
      l->pa = pa;
      l->pb = pb;
      l->marked = se > 0.0 ? fabs(pb - pa) > 2.0 * se : pa != pb;
    }
    o->n_labels = is->n_anchors;
  }
}

ent_status ent_ensemble_compare_result(const ent_ensemble *a,
                                       const ent_ensemble *b,
                                       ent_result **out) {
  *out = NULL;
  if (!a || !b || a->rank != 0) return ENT_EINVAL;
  double *sa = scratch_for(a), *sb = scratch_for(b);
  double *scratch = sa && sb ? (ent_qacc_scratch(a->q) >= ent_qacc_scratch(b->q)
                                    ? sa : sb)
                             : NULL;
  ent_result *res = scratch ? ent_result_create(ENT_RESULT_COMPARE) : NULL;
  if (res) res->cmp = ent_result_alloc(res, 1, sizeof *res->cmp);
  if (!res || !res->cmp) {
    ent_free(sa);
    ent_free(sb);
    ent_result_destroy(res);
    return ENT_ENOMEM;
  }
  ent_result_cmp *c = res->cmp;
  c->a_id = ent_result_str(res, a->m->id);
  c->a_source = ent_result_str(res, a->m->source);
  c->a_samples = a->samples_ok;
  c->b_id = ent_result_str(res, b->m->id);
  c->b_source = ent_result_str(res, b->m->source);
  c->b_samples = b->samples_ok;
  res->prov.version = ENT_VERSION;
  res->prov.has_runs = res->prov.has_seed = 1;
  res->prov.runs = a->n_units;
  res->prov.seed = a->o.seed;
  res->prov.has_time = a->n_years > 0;
  cmp_headlines(res, a, b, scratch);
  cmp_cells(res, a, b, scratch);
  cmp_issues(res, a, b);
  ent_free(sa);
  ent_free(sb);
  return finish(res, ENT_OK, out);
}
