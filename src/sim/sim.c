/*
 * sim.c -- one run of a model, step by step (see sim.h; the structural
 * rules are in docs/scenario.md and docs/variables.md).
 *
 * Structural year t (start < t <= end):
 *   economy   gdp_i(t) = gdp_i(t-1) (1 + g_i(t)/100), milex likewise
 *   baseline  X0_ij(t) = X_ij(start) G_i G_j / G_W   (G: output relative
 *             to the base year; frictionless gravity growth)
 *   shocks    b_ij(t) = exp(beta_ij(t) - beta_ij(start)) x embargo ratio:
 *             the base-year flows already contain the shocks in force
 *             then, so only changes since the base year act
 *   GE        X*(t) = trade equilibrium of X0(t) under b(t)
 *   adjust    X(t) = Xg + lambda (X* - Xg), Xg = X(t-1) grown like X0
 *   indicators on X(t) with G = gdp(t)
 *   links     indicator -> stakes; bargain every issue in dependency order
 *             through the bargainer table (bargain.h: the deciding model
 *             every year, the one beside it in the last; issue -> stake
 *             links act at once); issue -> trade links act next year,
 *             issue -> channel links this year
 *   channels  flows from capacity, ramp, opening, driver and links
 *   record    every series of docs/variables.md for year t
 * The base year itself is recorded from the data (X = X(start)).
 *
 * Invariants: every recorded value is finite; flows stay >= 0; the run
 * allocates its state once in ent_sim_start -- each issue's inputs,
 * bargaining workspaces and result parts included -- and a step allocates
 * only the expected-utility histories it keeps (and series records);
 * ent_sim_restart puts all of it back as a start leaves it, for the next
 * run of the same model (an ensemble member), without allocating.
 */
#include "sim/sim_impl.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "model/names.h"
#include "sim/run_result.h"

static void shocks_at(const ent_sim *s, int t, double *beta, double *emb);

/* ------------------------------------------------------------ the sim
 * (its state: sim_impl.h; the record of a year: sim_record.c) */

static double clamp(double v, double lo, double hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* Is something announced in year `announced` part of this run?  Always,
 * except in an ex-ante run when it became known after the base year. */
static int known(const ent_sim *s, int announced) {
  return !(s->o && s->o->ex_ante) || announced <= s->m->st->start;
}

void ent_sim_destroy(ent_sim *s) {
  if (!s) return;
  for (size_t i = 0; i < s->m->n_issues; i++) {
    if (s->cap) ent_free(s->cap[i]);
    if (s->sal) ent_free(s->sal[i]);
    for (int b = 0; s->ws && b < ENT_BARGAIN_COUNT; b++) {
      if (s->ws[i].work[b])
        ent_bargain_get((ent_bargain_id)b)->work_free(s->ws[i].work[b]);
      if (s->ws[i].spare[b])
        ent_bargain_get((ent_bargain_id)b)->result_free(s->ws[i].spare[b]);
    }
    if (s->ws) {
      ent_free(s->ws[i].pos);
      ent_free(s->ws[i].ideal);
      ent_free(s->ws[i].cur);
      ent_free(s->ws[i].forced);
      ent_free(s->ws[i].item_sal);
    }
  }
  ent_free(s->cap);
  ent_free(s->sal);
  ent_free(s->ws);
  ent_eum_work_free(s->ew);
  ent_free(s->align);
  ent_free(s->stake_of);
  ent_free(s->ew_x);
  ent_free(s->iopts);
  ent_free(s->fc);
  ent_free(s->fc_base);
  ent_free(s->gdp);
  ent_free(s->milex);
  ent_free(s->gdp_prev);
  ent_free(s->X);
  ent_free(s->X0);
  ent_free(s->Xg);
  ent_free(s->Xstar);
  ent_free(s->b);
  ent_free(s->beta_link);
  ent_free(s->beta_link_base);
  ent_free(s->beta_link_next);
  ent_free(s->beta0);
  ent_free(s->emb0);
  ent_free(s->vul_w);
  ent_free(s->vul_have);
  ent_free(s->tot);
  ent_sim_names_free(&s->nm);
  ent_free(s->w_hat);
  ent_free(s->welfare);
  ent_free(s->pressure);
  ent_free(s->link_v0);
  ent_free(s->decided);
  ent_free(s->chan_base_trade);
  ent_trade_work_free(s->tw);
  ent_trade_nested_work_free(s->nw);
  ent_indicators_work_free(s->iw);
  ent_run_destroy(s->run);
  ent_free(s);
}

int ent_sim_year(const ent_sim *s) {
  return s && s->m->st && s->year >= s->m->st->start ? s->year : 0;
}

/* p (n elements, n > 0) zeroed: allocated on a start, cleared on a
 * restart.  NULL when out of memory. */
#define ENT_SIM_ZERO(p, n)                                                  \
  ((p) ? memset((p), 0, (n) * sizeof *(p)) : ((p) = ent_calloc((n), sizeof *(p))))
/* p (n elements) allocated once, its values left to the run. */
#define ENT_SIM_ONCE(p, n) ((p) ? (p) : ((p) = ent_mallocarray((n), sizeof *(p))))

/* Issue i's inputs, run and workspaces: the model(s) it uses (the run
 * option overrides the issue; the expected-utility model bargains on one
 * dimension only), one workspace and one result part per model that will
 * run.  On a restart the buffers, workspaces and parts are kept and put
 * back as a start leaves them; a part of a model the issue no longer uses
 * waits in `spare`.  ENT_ENOMEM or ENT_OK. */
static ent_status issue_start(ent_sim *s, size_t i) {
  const ent_issue *is = &s->m->issues[i];
  ent_issue_run *ir = &s->run->issues[i];
  issue_ws *q = &s->ws[i];
  size_t n = is->n_stakes;
  ir->issue = is;
  ir->opts = s->iopts[i];
  ir->model = s->o && s->o->models >= 0 ? (ent_issue_model)s->o->models
                                        : is->model;
  /* an ensemble member's drawn model decides the `both` issues alone */
  if (is->model == ENT_ISSUE_BOTH && s->o && s->o->models < 0 &&
      s->o->both_as >= 0)
    ir->model = (ent_issue_model)s->o->both_as;
  if (is->n_dims > 1) ir->model = ENT_ISSUE_SMP;
  ent_bargain_pick(ir->model, s->o ? s->o->smp_beside : 1, &q->decider,
                   &q->beside);
  ir->forecast = ir->initial_median = ir->initial_mean = 0.0;
  q->bargained = 0;
  size_t m = is->n_dims;
  q->nv = n * m;
  if (!ENT_SIM_ONCE(s->cap[i], n) || !ENT_SIM_ONCE(s->sal[i], n) ||
      !ENT_SIM_ZERO(ir->cap, n ? n : 1) || !ENT_SIM_ZERO(ir->sal, n ? n : 1) ||
      !ENT_SIM_ONCE(q->pos, q->nv) || !ENT_SIM_ONCE(q->ideal, q->nv) ||
      !ENT_SIM_ONCE(q->cur, q->nv) || !ENT_SIM_ZERO(q->forced, n ? n : 1) ||
      !ENT_SIM_ONCE(q->item_sal, q->nv ? q->nv : 1))
    return ENT_ENOMEM;
  for (size_t k = 0; k < n; k++)
    for (size_t d = 0; d < m; d++)
      q->pos[k * m + d] =
          m > 1 ? is->stakes[k].pos_dims[d] : is->stakes[k].position;
  memcpy(q->cur, q->pos, q->nv * sizeof(double));
  for (int b = 0; b < ENT_BARGAIN_COUNT; b++) {
    const ent_bargainer *bg = ent_bargain_get((ent_bargain_id)b);
    if (!ir->part[b]) ir->part[b] = q->spare[b], q->spare[b] = NULL;
    if (b != q->decider && b != q->beside) {
      q->spare[b] = ir->part[b]; /* its workspace stays */
      ir->part[b] = NULL;
    } else if (ir->part[b]) {
      bg->result_reset(ir->part[b], q->work[b]);
    } else {
      if (!q->work[b]) q->work[b] = bg->work_alloc(is, s->m->source);
      ir->part[b] = bg->result_alloc(is);
      if (!q->work[b] || !ir->part[b]) return ENT_ENOMEM;
    }
  }
  return ENT_OK;
}

/* t [n_issues * n_actors]: the (last) stake of actor a in issue i, or -1. */
static void stakes_of_actors(const ent_model *m, long *t) {
  size_t ni = m->n_issues, na = m->n_actors;
  for (size_t i = 0; i < ni; i++) {
    for (size_t a = 0; a < na; a++) t[i * na + a] = -1;
    for (size_t k = 0; k < m->issues[i].n_stakes; k++)
      if (m->issues[i].stakes[k].actor < na)
        t[i * na + m->issues[i].stakes[k].actor] = (long)k;
  }
}

/* Long: the state of a run before its first step, in s (zeroed by a
 * start; a restart's buffers kept) -- what is allocated once per run,
 * allocated if missing, every value set as a start sets it.  ENT_OK or
 * ENT_ENOMEM. */
static ent_status sim_setup(ent_sim *s, const ent_run_opts *o) {
  const ent_model *m = s->m;
  s->o = o;
  size_t ni = m->n_issues, n1 = ni ? ni : 1;
  s->year = 0;
  s->done = 0;
  s->have_w_hat = 0;
  if (!s->run && (!(s->run = ent_calloc(1, sizeof *s->run)) ||
                  !(s->run->issues = ent_calloc(n1, sizeof *s->run->issues)) ||
                  !(s->ws = ent_calloc(n1, sizeof *s->ws)) ||
                  !(s->cap = ent_calloc(n1, sizeof *s->cap)) ||
                  !(s->sal = ent_calloc(n1, sizeof *s->sal))))
    return ENT_ENOMEM;
  if (!ENT_SIM_ZERO(s->iopts, n1) || !ENT_SIM_ZERO(s->fc, n1) ||
      !ENT_SIM_ZERO(s->fc_base, n1))
    return ENT_ENOMEM;
  s->run->m = m;
  s->run->n_issues = ni;
  s->run->n_series = 0; /* a restart's points are the run's again */
  s->run->first_year = s->run->last_year = 0;
  s->run->sink = NULL;
  s->run->sink_ctx = NULL;
  s->run->slots = NULL;
  s->run->keep = 0;
  size_t max_stakes = 1;
  for (size_t i = 0; i < ni; i++) {
    const ent_issue *is = &m->issues[i];
    s->iopts[i] = is->eum;
    /* with a time axis a bargaining is a year: its rounds (docs/dynamics.md);
     * the command line may still set them */
    if (m->st) s->iopts[i].rounds = m->dyn.rounds_per_year;
    ent_run_opts_apply(o, &s->iopts[i]);
    if (issue_start(s, i) != ENT_OK) return ENT_ENOMEM;
    if (is->n_stakes > max_stakes) max_stakes = is->n_stakes;
  }
  s->n_align = 0;
  for (size_t i = 0; i < ni; i++) s->n_align += m->issues[i].n_dims;
  size_t nsa = ni * m->n_actors;
  if (!ENT_SIM_ZERO(s->align, s->n_align ? s->n_align : 1) ||
      !(s->ew || (s->ew = ent_eum_work_alloc(max_stakes))) ||
      !ENT_SIM_ONCE(s->ew_x, max_stakes) ||
      !ENT_SIM_ONCE(s->stake_of, nsa ? nsa : 1))
    return ENT_ENOMEM;
  stakes_of_actors(m, s->stake_of);
  const ent_structure *st = m->st;
  if (st) {
    size_t nb = st->n_blocs, nn = nb * nb, nc = st->n_channels;
    s->nb = nb;
    s->year = st->start - 1;
    s->run->first_year = st->start;
    s->run->last_year = st->end;
    double **vec[] = {&s->gdp,   &s->milex,   &s->gdp_prev,
                      &s->w_hat, &s->welfare, &s->pressure};
    for (size_t k = 0; k < sizeof vec / sizeof vec[0]; k++)
      if (!ENT_SIM_ZERO(*vec[k], nb)) return ENT_ENOMEM;
    double **mat[] = {&s->X,         &s->X0,        &s->Xg,
                      &s->Xstar,     &s->b,         &s->beta_link,
                      &s->beta_link_base, &s->beta_link_next,
                      &s->beta0,     &s->emb0};
    for (size_t k = 0; k < sizeof mat / sizeof mat[0]; k++)
      if (!ENT_SIM_ZERO(*mat[k], nn)) return ENT_ENOMEM;
    if (!ENT_SIM_ONCE(s->decided, nc ? nc : 1) ||
        !ENT_SIM_ZERO(s->chan_base_trade, nc ? nc : 1) ||
        !(s->tw || (s->tw = ent_trade_work_alloc(nb))) ||
        !(s->iw || (s->iw = ent_indicators_work_alloc(nb))) ||
        !ENT_SIM_ONCE(s->tot, nb) ||
        !ENT_SIM_ZERO(s->link_v0, st->n_links ? st->n_links : 1))
      return ENT_ENOMEM;
    if (st->theta_foreign == st->theta) { /* theta may be a member's draw */
      ent_trade_nested_work_free(s->nw);
      s->nw = NULL;
    } else if (!s->nw && !(s->nw = ent_trade_nested_work_alloc(nb))) {
      return ENT_ENOMEM;
    }
    for (size_t c = 0; c < nc; c++) s->decided[c] = INT_MAX;
    shocks_at(s, st->start, s->beta0, s->emb0);
    s->reference = o && o->reference;
    if (nb <= ENT_SIM_WARM_MAX && !s->reference) {
      if (!ENT_SIM_ONCE(s->vul_w, nn * 2 * nb) || !ENT_SIM_ZERO(s->vul_have, nn))
        return ENT_ENOMEM;
    } else if (!s->reference && !ENT_SIM_ONCE(s->vul_w, 2 * nb)) {
      return ENT_ENOMEM;
    }
    ent_trade_opts_init(&s->topts);
    s->topts.theta = st->theta;
    s->topts.deficit = st->multiplicative ? ENT_TRADE_DEFICIT_MULTIPLICATIVE
                                          : ENT_TRADE_DEFICIT_ADDITIVE;
    s->vopts = s->topts;
    s->vopts.tol = ENT_SIM_VUL_TOL;
    s->vopts.newton_predict = 1;
    s->vopts.newton_chord = 1;
  }
  if (!s->named && ent_sim_names_make(&s->nm, m) != ENT_OK) return ENT_ENOMEM;
  s->named = 1;
  return ENT_OK;
}

ent_status ent_sim_start(const ent_model *m, const ent_run_opts *o,
                         ent_sim **out, ent_diag *d) {
  (void)d;
  *out = NULL;
  if (!m) return ENT_EINVAL;
  ent_sim *s = ent_calloc(1, sizeof *s);
  if (!s) return ENT_ENOMEM;
  s->m = m;
  if (sim_setup(s, o) != ENT_OK) {
    ent_sim_destroy(s);
    return ENT_ENOMEM;
  }
  *out = s;
  return ENT_OK;
}

int ent_sim_name_fixed(const ent_sim *s, const char *p) {
  return s && s->named && ent_sim_names_hold(&s->nm, s->m, p);
}

ent_status ent_sim_restart(ent_sim *s, const ent_run_opts *o) {
  if (!s || !s->run || (s->m->st && s->reference != (o && o->reference)))
    return ENT_EINVAL;
  return sim_setup(s, o);
}

/* ------------------------------------------------------------ bargaining */

/* Bargain issue i with this year's inputs through the bargainer table:
 * the deciding model, and the one beside it (`both` issues) -- every
 * year with a time axis, where each carries its own state from the year
 * before (docs/dynamics.md), else once.  The results replace last year's
 * in the issue run; the decider's end positions become the issue's
 * current positions. */
static ent_status bargain(ent_sim *s, size_t i, int first, int last,
                          ent_diag *d) {
  const ent_issue *is = &s->m->issues[i];
  ent_issue_run *ir = &s->run->issues[i];
  issue_ws *q = &s->ws[i];
  size_t n = is->n_stakes;
  int dynamic = s->m->st != NULL;
  memcpy(ir->cap, s->cap[i], n * sizeof(double));
  memcpy(ir->sal, s->sal[i], n * sizeof(double));
  /* the baselines describe the scenario's own starting positions under
   * this year's weights */
  ent_eum_problem pb = {n, s->cap[i], s->sal[i]};
  if (is->n_dims == 1) {
    ir->initial_median = ent_eum_weighted_median(&pb, q->pos, s->ew);
    ir->initial_mean = ent_eum_weighted_mean(&pb, q->pos);
  } else { /* on the first dimension */
    for (size_t k = 0; k < n; k++) s->ew_x[k] = q->pos[k * is->n_dims];
    ir->initial_median = ent_eum_weighted_median(&pb, s->ew_x, s->ew);
    ir->initial_mean = ent_eum_weighted_mean(&pb, s->ew_x);
  }
  ent_bargain_in in = {is,
                       s->m->source,
                       q->pos,
                       q->ideal,
                       q->forced,
                       dynamic ? s->m->dyn.inertia : 0.0,
                       dynamic ? s->iopts[i].rounds : 0,
                       !dynamic || first,
                       s->cap[i],
                       s->sal[i],
                       &s->iopts[i],
                       &is->smp,
                       last,
                       s->o ? s->o->robustness : 1,
                       s->o && s->o->reference,
                       s->o ? s->o->threads : 1};
  int use[2] = {q->decider, dynamic || last ? q->beside : -1};
  for (int u = 0; u < 2; u++) {
    if (use[u] < 0) continue;
    ent_status st = ent_bargain_get((ent_bargain_id)use[u])
                        ->run(q->work[use[u]], &in, ir->part[use[u]], d);
    if (st != ENT_OK) return st;
  }
  double fc, mean;
  const ent_bargainer *b = ent_bargain_get((ent_bargain_id)q->decider);
  /* a model with nothing to forecast leaves the starting median */
  ir->forecast = b->outcome(ir->part[q->decider], 0, &fc, &mean) == 0
                     ? fc
                     : ir->initial_median;
  const ent_track *tr = ent_bargain_track(ir->part[q->decider], q->decider);
  if (tr && tr->has_end) memcpy(q->cur, tr->end, q->nv * sizeof(double));
  s->fc[i] = ir->forecast;
  q->bargained = 1;
  return ENT_OK;
}

/* A value in [1, 2] that grows with an issue's forecast, for ratios that
 * must stay defined when the forecast sits at the bottom of its scale. */
static double issue_level(const ent_issue *is, double v) {
  return 1.0 + (v - is->lo) / (is->hi - is->lo);
}

/* ------------------------------------------------------------ structure */

/* Phase factor g(t) of a shock (docs/scenario.md). */
static double shock_phase(const ent_shock *sh, int t) {
  if (t < sh->start) return 0.0;
  int in_force_end = sh->end ? sh->end : INT_MAX;
  int y = t < in_force_end ? t : in_force_end - 1;
  double g = sh->phase_in > 0 ? (double)(y - sh->start + 1) / sh->phase_in : 1.0;
  if (g > 1.0) g = 1.0;
  if (t < in_force_end) return g;
  if (sh->fade <= 0) return 0.0;
  double f = 1.0 - (double)(t - in_force_end + 1) / sh->fade;
  return f > 0.0 ? g * f : 0.0;
}

/* Log-shock and embargo factor of every pair at year t into beta[], emb[]
 * (emb may be NULL: then embargo factors multiply into a separate pass). */
static void shocks_at(const ent_sim *s, int t, double *beta, double *emb) {
  const ent_structure *st = s->m->st;
  size_t nb = st->n_blocs;
  for (size_t k = 0; k < nb * nb; k++) {
    beta[k] = 0.0;
    emb[k] = 1.0;
  }
  for (size_t q = 0; q < st->n_shocks; q++) {
    const ent_shock *sh = &st->shocks[q];
    if (!known(s, sh->announced)) continue;
    double g = shock_phase(sh, t);
    if (g == 0.0) continue;
    for (int dir = 0; dir <= sh->both; dir++)
      for (size_t a = 0; a < sh->n_from; a++)
        for (size_t c = 0; c < sh->n_to; c++) {
          size_t i = dir ? sh->to[c] : sh->from[a];
          size_t j = dir ? sh->from[a] : sh->to[c];
          if (sh->embargo) emb[i * nb + j] *= 1.0 - g;
          else beta[i * nb + j] += sh->beta * g;
        }
  }
}

/* Link-driven betas from the issue forecasts in fc (form beta): a link
 * with `ref` acts on the level, beta_at_max (x - ref) / (hi - lo); one
 * without acts on the change since the base year (beta_at_max x, minus
 * its base-year value, which only_changes = 1 computes). */
static void link_betas(const ent_model *m, const double *fc, double *beta,
                       int only_changes) {
  const ent_structure *st = m->st;
  size_t nb = st->n_blocs;
  memset(beta, 0, nb * nb * sizeof *beta);
  for (size_t l = 0; l < st->n_links; l++) {
    const ent_link *lk = &st->links[l];
    if (lk->form != ENT_FORM_BETA || (only_changes && lk->has_ref)) continue;
    const ent_issue *is = &m->issues[lk->src_issue];
    double x = clamp((fc[lk->src_issue] - is->lo) / (is->hi - is->lo), 0.0, 1.0);
    if (lk->has_ref) x -= (lk->ref - is->lo) / (is->hi - is->lo);
    for (int dir = 0; dir <= lk->both; dir++)
      for (size_t a = 0; a < lk->n_from; a++)
        for (size_t c = 0; c < lk->n_to; c++) {
          size_t i = dir ? lk->to[c] : lk->from[a];
          size_t j = dir ? lk->from[a] : lk->to[c];
          beta[i * nb + j] += lk->beta_at_max * x;
        }
  }
}

/* Output growth factor G_i (relative to the base year) and world G_W. */
static double world_factor(const ent_sim *s, const double *gdp) {
  const ent_structure *st = s->m->st;
  double now = 0.0, base = 0.0;
  for (size_t i = 0; i < s->nb; i++) {
    now += gdp[i];
    base += st->blocs[i].gdp;
  }
  return now / base;
}

/* Indicator `id` for the ordered pair (a, b) of the current flows. */
static int indicator_value(ent_sim *s, int id, size_t a, size_t b,
                           double *out) {
  const ent_structure *st = s->m->st;
  size_t nb = s->nb;
  if (id == ENT_IND_TRADE_FLOW) {
    *out = s->X[a * nb + b];
    return 0;
  }
  ent_indicators_dyad dy;
  int ge = id == ENT_IND_VULNERABILITY_GE || id == ENT_IND_VULNERABILITY_ASYMMETRY;
  /* without a GE solve, the core's columns alone: the same values and
   * failures (indicators.h); the PE vulnerability only when it is read */
  if ((ge ? ent_indicators_dyad_compute(nb, s->X, s->gdp, a, b, &s->topts,
                                        s->iw, &dy)
          : id == ENT_IND_VULNERABILITY_PE
              ? ent_indicators_dyad_core_of(nb, s->X, s->gdp, a, b,
                                            s->topts.theta, &dy)
              : ent_indicators_dyad_shares_of(nb, s->X, s->gdp, a, b,
                                              s->topts.theta, &dy)) != ENT_OK)
    return -1;
  switch (id) {
  case ENT_IND_DEPENDENCE: *out = dy.trade_dependence_ab; break;
  case ENT_IND_DEPENDENCE_ASYMMETRY: *out = dy.dependence_asymmetry; break;
  case ENT_IND_PARTNER_SHARE: *out = dy.trade_share_ab; break;
  case ENT_IND_IMPORT_SHARE: *out = dy.import_share_b_in_a_imports; break;
  case ENT_IND_EXPORT_SHARE: *out = dy.export_share_b_in_a_exports; break;
  case ENT_IND_SENSITIVITY: *out = dy.sensitivity_import_ab; break;
  case ENT_IND_VULNERABILITY_PE: *out = dy.vulnerability_pe_ab; break;
  case ENT_IND_VULNERABILITY_GE: *out = dy.vulnerability_ge_ab; break;
  case ENT_IND_VULNERABILITY_ASYMMETRY: *out = dy.vulnerability_asymmetry; break;
  default: return -1;
  }
  (void)st;
  return isfinite(*out) ? 0 : -1;
}

/* The trade equilibrium and flows of year t (t > start). */
static ent_status trade_step(ent_sim *s, int t, ent_diag *d) {
  const ent_structure *st = s->m->st;
  size_t nb = s->nb, nn = nb * nb;
  double GW = world_factor(s, s->gdp), GWp = world_factor(s, s->gdp_prev);
  /* baseline of year t, and last year's flows grown the same way */
  for (size_t i = 0; i < nb; i++) {
    double Gi = s->gdp[i] / st->blocs[i].gdp;
    double gi = s->gdp[i] / s->gdp_prev[i];
    for (size_t j = 0; j < nb; j++) {
      double Gj = s->gdp[j] / st->blocs[j].gdp;
      double gj = s->gdp[j] / s->gdp_prev[j];
      s->X0[i * nb + j] = st->flows[i * nb + j] * Gi * Gj / GW;
      s->Xg[i * nb + j] = s->X[i * nb + j] * gi * gj / (GW / GWp);
    }
  }
  /* b(t) = exp(beta_t - beta_0 + link_t - link_0) * emb_t / emb_0: only
   * changes since the base year act.  Xstar serves as scratch for beta_t
   * until the solve fills it. */
  double *beta = s->Xstar, *emb = s->b;
  shocks_at(s, t, beta, emb);
  for (size_t k = 0; k < nn; k++) {
    if (k % (nb + 1) == 0) { /* domestic flows: never shocked */
      s->b[k] = 1.0;
      continue;
    }
    double e = s->emb0[k] > 0.0 ? emb[k] / s->emb0[k] : 1.0;
    double lb = s->beta_link[k] - s->beta_link_base[k];
    double x = beta[k] - s->beta0[k] + lb;
    s->b[k] = (x == 0.0 ? 1.0 : exp(x)) * e; /* exp(+-0) is 1 exactly */
  }
  ent_trade_info info;
  ent_trade_out out = {0};
  out.w_hat = s->w_hat;
  out.welfare = s->welfare;
  out.X_new = s->Xstar;
  ent_status rc =
      s->nw && s->reference
          ? ent_trade_nested_solve(nb, s->X0, s->b, st->theta,
                                   st->theta_foreign, &s->topts, s->nw,
                                   s->Xstar, s->w_hat, s->welfare, &info)
      /* Newton from last year's equilibrium */
      : s->nw ? ent_trade_nested_solve_newton(
                    nb, s->X0, s->b, st->theta, st->theta_foreign, &s->topts,
                    s->have_w_hat ? s->w_hat : NULL, s->nw, s->Xstar,
                    s->w_hat, s->welfare, &info)
      : s->reference
            ? ent_trade_ge_solve(nb, s->X0, s->b, &s->topts, NULL, s->tw, &out,
                                 &info)
            /* Newton from last year's equilibrium (the shocks and the
             * baseline move a little from year to year) */
            : ent_trade_ge_solve_newton(nb, s->X0, s->b, &s->topts,
                                        s->have_w_hat ? s->w_hat : NULL,
                                        s->tw, &out, &info);
  if (rc != ENT_OK) {
    ent_diag_add(d, ENT_SEV_ERROR, ENT_ENOCONV, s->m->source, 0, 0,
                 "trade equilibrium of year %d not found: %s (%d iterations, "
                 "residual %.3g)", t, ent_trade_fail_str(info.fail),
                 info.iterations, info.residual);
    return rc == ENT_EINVAL ? ENT_EINPUT : ENT_ENOCONV;
  }
  s->have_w_hat = !s->nw || !s->reference;
  double lam = st->adjustment;
  for (size_t k = 0; k < nn; k++) {
    double x = s->Xg[k] + lam * (s->Xstar[k] - s->Xg[k]);
    s->X[k] = x > 0.0 ? x : 0.0;
  }
  return ENT_OK;
}

/* The value of a link's source this year (an indicator of the current
 * flows, the sanctions pressure of a bloc, or an issue's forecast), and
 * its reference: `ref` if the link has one (a level), else the base-year
 * value (a change).  -1 when there is none (yet). */
static int link_source(ent_sim *s, size_t l, int base_year, double *v,
                       double *ref) {
  const ent_link *lk = &s->m->st->links[l];
  if (lk->src == ENT_LINK_FROM_ISSUE) {
    *v = s->fc[lk->src_issue];
    if (lk->has_ref) *ref = lk->ref;
    else if (base_year) return -1;
    else *ref = s->fc_base[lk->src_issue];
    return 0;
  }
  if (lk->indicator == ENT_IND_SANCTIONS_PRESSURE) *v = s->pressure[lk->ent_a];
  else if (indicator_value(s, lk->indicator, lk->ent_a, lk->ent_b, v))
    return -1;
  if (lk->has_ref) *ref = lk->ref;
  else if (base_year) return -1;
  else *ref = s->link_v0[l];
  return isfinite(*v) && isfinite(*ref) ? 0 : -1;
}

/* One stake link on stake k of issue i (docs/dynamics.md, "Links"). */
static void apply_link(ent_sim *s, size_t l, size_t i, size_t k, double v,
                       double ref) {
  const ent_link *lk = &s->m->st->links[l];
  const ent_issue *is = &s->m->issues[i];
  issue_ws *q = &s->ws[i];
  double *cap = &s->cap[i][k], *sal = &s->sal[i][k];
  double *ideal = &q->ideal[k * is->n_dims];
  switch (lk->form) {
  case ENT_FORM_ELASTICITY: {
    double ratio;
    if (lk->src == ENT_LINK_FROM_ISSUE) {
      const ent_issue *src = &s->m->issues[lk->src_issue];
      ratio = issue_level(src, v) / issue_level(src, ref);
    } else {
      if (!(v > 0.0) || !(ref > 0.0)) return;
      ratio = v / ref;
    }
    double f = pow(ratio, lk->elasticity);
    if (!isfinite(f)) return;
    if (lk->field == ENT_FIELD_CAPABILITY) *cap = clamp(*cap * f, 0.0, 1e12);
    else *sal = clamp(*sal * f, 0.0, 1.0);
    return;
  }
  case ENT_FORM_SHIFT: {
    double dv = lk->slope * (v - ref);
    if (!isfinite(dv)) return;
    if (lk->field == ENT_FIELD_CAPABILITY) *cap = clamp(*cap + dv, 0.0, 1e12);
    else if (lk->field == ENT_FIELD_SALIENCE)
      *sal = clamp(*sal + dv / 100.0, 0.0, 1.0);
    else
      for (size_t d = 0; d < is->n_dims; d++)
        ideal[d] = clamp(ideal[d] + dv, is->lo, is->hi);
    return;
  }
  case ENT_FORM_PULL: {
    double w = clamp(lk->rate * (v - ref), 0.0, lk->max);
    size_t t = (size_t)-1;
    for (size_t q2 = 0; q2 < is->n_stakes; q2++)
      if (is->stakes[q2].actor == lk->toward) t = q2;
    if (t == (size_t)-1 || !(w > 0.0)) return;
    for (size_t d = 0; d < is->n_dims; d++) {
      double target = q->cur[t * is->n_dims + d];
      ideal[d] = clamp(ideal[d] + w * (target - ideal[d]), is->lo, is->hi);
    }
    return;
  }
  default:
    return;
  }
}

/* Stake inputs of year t: the scenario's values, the strategic shocks in
 * force, then the stake links in declaration order. */
static ent_status stake_inputs(ent_sim *s, size_t i, int t, int base_year) {
  const ent_model *m = s->m;
  const ent_issue *is = &m->issues[i];
  issue_ws *q = &s->ws[i];
  size_t nd = is->n_dims;
  for (size_t k = 0; k < is->n_stakes; k++) {
    const ent_stake *sk = &is->stakes[k];
    s->cap[i][k] = sk->capability;
    s->sal[i][k] = sk->salience;
    for (size_t d = 0; d < nd; d++)
      q->ideal[k * nd + d] = nd > 1 ? sk->pos_dims[d] : sk->ideal;
    q->forced[k] = 0;
  }
  const ent_structure *st = m->st;
  if (!st) return ENT_OK;
  for (size_t h = 0; h < st->n_sshocks; h++) {
    const ent_sshock *sh = &st->sshocks[h];
    if (sh->issue != i || t < sh->start || (sh->end && t >= sh->end) ||
        !known(s, sh->announced))
      continue;
    size_t k = sh->stake;
    if (sh->set_capability) s->cap[i][k] = sh->capability;
    if (sh->set_salience) s->sal[i][k] = sh->salience;
    if (sh->set_position) {
      q->ideal[k * nd] = sh->position;
      if (t == sh->start) q->forced[k] = 1; /* the actor moves at once */
    }
  }
  for (size_t l = 0; l < st->n_links; l++) {
    const ent_link *lk = &st->links[l];
    if (lk->tgt != ENT_LINK_TO_STAKE) continue;
    int hits = 0;
    for (size_t q2 = 0; q2 < lk->n_issues; q2++) hits |= lk->issues[q2] == i;
    if (!hits) continue;
    double v, ref;
    if (link_source(s, l, base_year, &v, &ref)) continue;
    for (size_t k = 0; k < is->n_stakes; k++)
      if (is->stakes[k].actor == lk->actor) apply_link(s, l, i, k, v, ref);
  }
  return ENT_OK;
}

/* The sanctions pressure on every bloc in year t: the phase of each trade
 * shock in force against it, times the shock's weight (docs/dynamics.md). */
static void pressure_at(ent_sim *s, int t) {
  const ent_structure *st = s->m->st;
  for (size_t b = 0; b < s->nb; b++) s->pressure[b] = 0.0;
  for (size_t q = 0; q < st->n_shocks; q++) {
    const ent_shock *sh = &st->shocks[q];
    double g = known(s, sh->announced) ? shock_phase(sh, t) : 0.0;
    for (size_t a = 0; g > 0.0 && a < sh->n_against; a++)
      s->pressure[sh->against[a]] += g * sh->weight;
  }
}

/* The base-year value of every link's indicator source (for links on
 * changes), once the base year is recorded. */
static void link_base_values(ent_sim *s) {
  const ent_structure *st = s->m->st;
  for (size_t l = 0; l < st->n_links; l++) {
    const ent_link *lk = &st->links[l];
    double v = NAN;
    if (lk->src != ENT_LINK_FROM_INDICATOR) continue;
    if (lk->indicator == ENT_IND_SANCTIONS_PRESSURE) v = s->pressure[lk->ent_a];
    else if (indicator_value(s, lk->indicator, lk->ent_a, lk->ent_b, &v))
      v = NAN;
    s->link_v0[l] = v;
  }
}

/* Whether a channel's flow reads a base-year point back from the run
 * (ent_run_value in ent_sim_channel_flow): a link scaling a channel by
 * an indicator. */
static int reads_base_year(const ent_model *m) {
  const ent_structure *st = m->st;
  for (size_t l = 0; st && l < st->n_links; l++) {
    const ent_link *lk = &st->links[l];
    if (lk->tgt == ENT_LINK_TO_CHANNEL && lk->form == ENT_FORM_SCALE &&
        lk->src != ENT_LINK_FROM_ISSUE)
      return 1;
  }
  return 0;
}

/* Channel flow in year t. */
double ent_sim_channel_flow(ent_sim *s, size_t c, int t) {
  const ent_structure *st = s->m->st;
  const ent_channel *ch = &st->channels[c];
  if (!known(s, ch->announced)) return 0.0; /* not yet agreed (ex ante) */
  int open = ch->conditional ? (s->decided[c] == INT_MAX
                                    ? INT_MAX
                                    : s->decided[c] + ch->build_years)
                             : ch->opens;
  if (t < open) return 0.0;
  double f;
  if (open <= st->start) {
    f = ch->base + ch->ramp * (t - st->start);
  } else {
    f = ch->ramp > 0.0 ? ch->ramp * (t - open + 1) : ch->capacity;
  }
  if (ch->driver_trade && s->chan_base_trade[c] > 0.0)
    f *= s->X[ch->from * s->nb + ch->to] / s->chan_base_trade[c];
  for (size_t l = 0; l < st->n_links; l++) {
    const ent_link *lk = &st->links[l];
    if (lk->tgt != ENT_LINK_TO_CHANNEL || lk->channel != c ||
        lk->form != ENT_FORM_SCALE)
      continue;
    if (lk->src == ENT_LINK_FROM_ISSUE) {
      const ent_issue *is = &s->m->issues[lk->src_issue];
      f *= issue_level(is, s->fc[lk->src_issue]) /
           issue_level(is, lk->has_ref ? lk->ref : s->fc_base[lk->src_issue]);
    } else {
      double v, v0;
      char ent[72];
      ent_sim_name_pair(ent, sizeof ent, st, lk->ent_a, lk->ent_b);
      v0 = ent_run_value(s->run, ent_model_indicator_name(lk->indicator), ent,
                         st->start);
      if (!indicator_value(s, lk->indicator, lk->ent_a, lk->ent_b, &v) &&
          v > 0.0 && v0 > 0.0)
        f *= v / v0;
    }
  }
  return clamp(f, 0.0, ch->capacity);
}

/* Bargain all issues for year t (dependency order with a structure). */
static ent_status bargain_all(ent_sim *s, int t, int base_year, int last,
                              ent_diag *d) {
  const ent_model *m = s->m;
  for (size_t k = 0; k < m->n_issues; k++) {
    size_t i = m->st ? m->st->issue_order[k] : k;
    ent_status st = stake_inputs(s, i, t, base_year);
    if (st == ENT_OK) st = bargain(s, i, base_year, last, d);
    if (st != ENT_OK) return st;
    if (base_year) s->fc_base[i] = s->fc[i];
  }
  return ENT_OK;
}

ent_status ent_sim_step(ent_sim *s, ent_diag *d) {
  if (!s) return ENT_EINVAL;
  if (s->done) return ENT_OK;
  const ent_model *m = s->m;
  const ent_structure *st = m->st;
  ent_status rc;
  if (!st) { /* strategic only: one step */
    rc = bargain_all(s, 0, 1, 1, d);
    if (rc == ENT_OK) s->done = 1;
    return rc;
  }
  int t = s->year + 1;
  int base_year = t == st->start, last = t == st->end;
  size_t nb = s->nb;
  if (base_year) {
    for (size_t i = 0; i < nb; i++) {
      s->gdp[i] = s->gdp_prev[i] = st->blocs[i].gdp;
      s->milex[i] = st->blocs[i].milex;
      s->welfare[i] = 1.0;
    }
    memcpy(s->X, st->flows, nb * nb * sizeof *s->X);
    for (size_t c = 0; c < st->n_channels; c++)
      s->chan_base_trade[c] = st->flows[st->channels[c].from * nb +
                                        st->channels[c].to];
  } else {
    size_t k = (size_t)(t - st->start);
    for (size_t i = 0; i < nb; i++) {
      s->gdp_prev[i] = s->gdp[i];
      const ent_bloc *bl = &st->blocs[i];
      if (s->o && s->o->ex_ante && bl->growth_ex_ante) {
        s->gdp[i] *= 1.0 + bl->growth_ex_ante[k] / 100.0;
        s->milex[i] *= 1.0 + bl->growth_ex_ante[k] / 100.0;
      } else {
        s->gdp[i] *= 1.0 + bl->growth[k] / 100.0;
        s->milex[i] *= 1.0 + bl->milex_growth[k] / 100.0;
      }
      if (!(s->gdp[i] > 0.0)) {
        ent_diag_add(d, ENT_SEV_ERROR, ENT_EINPUT, m->source, st->blocs[i].at.line,
                     st->blocs[i].at.col,
                     "GDP of '%s' falls to zero or below in %d", st->blocs[i].id, t);
        return ENT_EINPUT;
      }
    }
    memcpy(s->beta_link, s->beta_link_next, nb * nb * sizeof(double));
    rc = trade_step(s, t, d);
    if (rc != ENT_OK) return rc;
  }
  /* links on changes compare with the base year's indicator values;
   * links on levels (a `ref`) act from the base year on */
  pressure_at(s, t);
  if (base_year) link_base_values(s);
  rc = bargain_all(s, t, base_year, last, d);
  if (rc != ENT_OK) return rc;
  /* links back: trade costs for next year, channel decisions */
  link_betas(m, s->fc, s->beta_link_next, 0);
  if (base_year) {
    /* only links on changes subtract their base-year value */
    link_betas(m, s->fc, s->beta_link_base, 1);
    memcpy(s->beta_link, s->beta_link_next, nb * nb * sizeof(double));
  }
  for (size_t l = 0; l < st->n_links; l++) {
    const ent_link *lk = &st->links[l];
    if (lk->form == ENT_FORM_THRESHOLD && s->decided[lk->channel] == INT_MAX &&
        s->fc[lk->src_issue] >= lk->above)
      s->decided[lk->channel] = t;
  }
  rc = ent_sim_record_year(s, t, base_year);
  s->run->keep = 0; /* the base year's points, if kept (ent_sim_set_sink) */
  if (rc != ENT_OK) return rc;
  s->year = t;
  if (last) {
    s->done = 1;
    return ENT_OK;
  }
  return ENT_CONTINUE;
}

void ent_sim_set_sink(ent_sim *s, ent_run_sink fn, void *ctx,
                      ent_run_slots *slots) {
  ent_run *r = s->run;
  for (size_t k = 0; k < r->n_series; k++) {
    const ent_series_point *p = &r->series[k];
    fn(ctx, p->variable, p->entity, p->year, p->value);
  }
  r->sink = fn;
  r->sink_ctx = ctx;
  r->slots = slots;
  /* before the first step: its points stay in the series too, if a
   * channel's flow reads them back */
  r->keep = !s->done && (!s->m->st || s->year < s->m->st->start) &&
            reads_base_year(s->m);
}

ent_status ent_sim_result(ent_sim *s, const ent_run **out) {
  *out = NULL;
  if (!s || !s->run) return ENT_EINVAL;
  /* an issue never bargained (stopped before the first step): such a run
   * is not usable */
  for (size_t i = 0; i < s->run->n_issues; i++)
    if (!s->ws[i].bargained) return ENT_EINVAL;
  if (s->m->st) s->run->last_year = s->year;
  *out = s->run;
  return ENT_OK;
}

ent_status ent_sim_finish(ent_sim *s, ent_run **out) {
  *out = NULL;
  const ent_run *r = NULL;
  ent_status st = ent_sim_result(s, &r);
  if (st == ENT_OK) {
    *out = s->run;
    s->run = NULL;
  }
  ent_sim_destroy(s);
  return st;
}
