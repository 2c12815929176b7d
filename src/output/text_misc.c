/*
 * text_misc.c -- the text of a back-test (`entente backtest`), of a
 * scenario's assumptions (ent_model_write_assumptions), of a run
 * of the spatial model (`entente smp`) and of a trade counterfactual
 * (`entente gravity`).
 */
#include <math.h>
#include <string.h>

#include "base/num.h"
#include "output/assumptions.h"
#include "output/render.h"

/* A number in a column, or "-" when not finite. */
static void col(ent_strbuf *b, int w, double v) {
  if (isfinite(v)) ent_strbuf_printf(b, " %*.2f", w, v);
  else ent_strbuf_printf(b, " %*s", w, "-");
}

/* A band "lo-hi" in a column of width w. */
static void band(ent_strbuf *b, int w, double lo, double hi) {
  char t[64];
  snprintf(t, sizeof t, "%.2f-%.2f", lo, hi);
  ent_strbuf_printf(b, " %*s", w, t);
}

static void bt_series_text(ent_strbuf *b, const ent_result_bt_series *s) {
  ent_strbuf_printf(b, "\n%s %s (%s)\n", s->variable, s->entity,
                    s->unit ? s->unit : "");
  ent_strbuf_printf(b, "  %4s %10s %10s %8s", "year", "actual", "model", "error");
  if (s->has_bands)
    ent_strbuf_printf(b, " %19s %19s", "80% band", "90% band");
  ent_strbuf_printf(b, " %12s %10s %10s\n", "persistence", "drift", "trend");
  for (size_t q = 0; q < s->n; q++) {
    ent_strbuf_printf(b, "  %4d %10.2f %10.2f %7.1f%%", s->years[q],
                      s->actual[q], s->model[q],
                      100.0 * (s->model[q] - s->actual[q]) / s->actual[q]);
    if (s->has_bands) {
      band(b, 19, s->q10[q], s->q90[q]);
      band(b, 19, s->q05[q], s->q95[q]);
    }
    col(b, 12, s->persist[q]);
    col(b, 10, s->has_drift ? s->drift[q] : NAN);
    col(b, 10, s->has_trend ? s->trend[q] : NAN);
    ent_strbuf_puts(b, "\n");
  }
  ent_strbuf_printf(b, "  MAPE: model %.1f%%, persistence (%d value) %.1f%%",
                    s->mape_model, s->persist_year, s->mape_persist);
  if (s->has_drift)
    ent_strbuf_printf(b, ", drift (%d-%d, %+.1f%%/yr) %.1f%%", s->drift_from,
                      s->drift_to, 100.0 * (exp(s->drift_rate) - 1.0),
                      s->mape_drift);
  if (s->has_trend)
    ent_strbuf_printf(b, ", log-linear trend (%d-%d) %.1f%%", s->trend_from,
                      s->trend_to, s->mape_trend);
  if (s->tied)
    ent_strbuf_printf(b, " -- best: tie (%s)\n", s->tied);
  else
    ent_strbuf_printf(b, " -- best: %s\n", s->best);
  ent_strbuf_printf(b, "  bias (forecast/actual): model %.2f, persistence %.2f",
                    s->bias_model, s->bias_persist);
  if (s->has_drift) ent_strbuf_printf(b, ", drift %.2f", s->bias_drift);
  if (s->has_trend) ent_strbuf_printf(b, ", trend %.2f", s->bias_trend);
  ent_strbuf_puts(b, "\n");
  if (s->has_bands)
    ent_strbuf_printf(b, "  coverage: 80%% band %zu of %zu years, 90%% band "
                         "%zu of %zu (%lu members)\n",
                      s->in80, s->n, s->in90, s->n, s->members);
}

/* One line of the side-by-side summary: MAPE, bias, coverage. */
static void summary_cells(ent_strbuf *b, const ent_result_bt_series *s) {
  if (!s) {
    ent_strbuf_printf(b, " %7s %5s %9s", "-", "-", "-");
    return;
  }
  ent_strbuf_printf(b, " %6.1f%% %5.2f", s->mape_model, s->bias_model);
  if (s->has_bands) {
    char t[32];
    snprintf(t, sizeof t, "%zu/%zu/%zu", s->in80, s->in90, s->n);
    ent_strbuf_printf(b, " %9s", t);
  } else {
    ent_strbuf_printf(b, " %9s", "-");
  }
}

ent_status ent_text_backtest(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  int start = r->prov.start;
  ent_strbuf_printf(&b, "back-test of '%s': model from %d data and the known "
                        "shocks, against observed values\n",
                    r->prov.scenario_id, start);
  ent_strbuf_printf(&b,
                    "baselines: persistence = the last observed value at or "
                    "before %d; drift = random walk with drift estimated on "
                    "the years up to %d; trend = log-linear trend fitted to "
                    "the history up to %d\nbias = mean of forecast/actual (1 "
                    "unbiased); best = lowest MAPE, a tie is nobody's win\n",
                    start, start, start);
  if (r->bt_runs)
    ent_strbuf_printf(&b, "bands: %lu members drawn from the scenario's "
                          "uncertain inputs (seed %llu); 80%% = q10-q90, 90%% "
                          "= q05-q95\n", r->bt_runs, r->bt_seed);
  const ent_result_bt_mode modes[2] = {{r->bt, r->n_bt, r->bt_head}, r->bt_ex};
  for (int md = 0; md < 2; md++) {
    const ent_result_bt_mode *m = &modes[md];
    if (!m->bt) continue;
    if (r->bt_ex.bt) {
      if (md == 0) {
        ent_strbuf_printf(&b, "\n== realised inputs: the scenario as given; "
                              "what the ex-ante run replaces or leaves out:\n");
        for (size_t k = 0; k < r->n_bt_realised; k++)
          ent_strbuf_printf(&b, "   %s\n", r->bt_realised[k]);
      } else {
        ent_strbuf_printf(&b, "\n== ex ante: only what was known at the end "
                              "of %d (growth_ex_ante; shocks and channels "
                              "announced by %d)\n", start, start);
      }
    }
    for (size_t k = 0; k < m->n_bt; k++) bt_series_text(&b, &m->bt[k]);
  }
  if (r->bt_ex.bt) {
    ent_strbuf_printf(&b, "\nsummary: model MAPE, bias (forecast/actual) and "
                          "years in the 80%%/90%% bands of the compared "
                          "years\n  %-34s %-23s %-23s\n", "series",
                      "realised inputs", "ex ante");
    for (size_t k = 0; k < r->n_bt; k++) {
      const ent_result_bt_series *s = &r->bt[k], *x = NULL;
      for (size_t j = 0; j < r->bt_ex.n_bt; j++)
        if (!strcmp(r->bt_ex.bt[j].variable, s->variable) &&
            !strcmp(r->bt_ex.bt[j].entity, s->entity))
          x = &r->bt_ex.bt[j];
      char name[160];
      snprintf(name, sizeof name, "%s %s", s->variable, s->entity);
      ent_strbuf_printf(&b, "  %-34s", name);
      summary_cells(&b, s);
      summary_cells(&b, x);
      ent_strbuf_puts(&b, "\n");
    }
  }
  return ent_render_flush(&b, fp);
}

/* ------------------------------------------------------------ smp */

/* One actors x turns table of dimension k of v (positions or ideals,
 * internal scale), printed on 0-100 with one decimal as KTAB's log does. */
static void turn_table(FILE *fp, const ent_smp_run *r, const char *what,
                       const double *v, size_t k, int wname) {
  const ent_smp_problem *pb = r->pb;
  size_t N = pb->n, M = pb->m, T = r->n_states;
  fprintf(fp, "\n%s on '%s' (0-100) by turn:\n%-*s", what, pb->dim[k], wname,
          "actor");
  for (size_t t = 0; t < T; t++) fprintf(fp, " %5zu", t);
  fputc('\n', fp);
  for (size_t i = 0; i < N; i++) {
    fprintf(fp, "%-*s", wname, pb->actor[i]);
    for (size_t t = 0; t < T; t++)
      fprintf(fp, " %5.1f", v[(t * N + i) * M + k] * 100.0);
    fputc('\n', fp);
  }
}

/* `entente smp`: a table per dimension (actors x states, 0-100 scale, one
 * decimal as KTAB's log prints them), the winning probabilities, the
 * final positions at full precision. */
ent_status ent_text_smp(const ent_smp_run *r, FILE *fp) {
  const ent_smp_problem *pb = r->pb;
  size_t N = pb->n, M = pb->m, T = r->n_states;
  int wname = 5;
  for (size_t i = 0; i < N; i++) {
    int l = (int)strlen(pb->actor[i]);
    if (l > wname) wname = l;
  }
  char opts[512];
  ent_smp_opts_describe(&r->opts, opts, sizeof opts);
  fprintf(fp, "SMP (KTAB Spatial Model of Politics): %s\n", pb->name);
  if (pb->desc[0]) fprintf(fp, "%s\n", pb->desc);
  fprintf(fp, "%zu actors, %zu dimension%s\noptions: %s\n", N, M,
          M == 1 ? "" : "s", opts);
  fprintf(fp, "%zu states (turns 0-%zu): %s\n", T, T - 1,
          r->converged ? "converged (stopping ratio reached)"
                       : "stopped at the turn limit");
  for (size_t t = 0; t < T; t++)
    if (r->degenerate[t])
      fprintf(fp, "warning: state %zu is degenerate (no risk attitudes; "
                  "everyone held)\n", t);
  for (size_t k = 0; k < M; k++) {
    turn_table(fp, r, "Positions", r->x, k, wname);
    if (!r->identity_acc) turn_table(fp, r, "Ideals", r->xi, k, wname);
  }
  fprintf(fp, "\nWinning probabilities by turn:\n%-*s", wname, "actor");
  for (size_t t = 0; t < T; t++) fprintf(fp, " %6zu", t);
  fputc('\n', fp);
  for (size_t i = 0; i < N; i++) {
    fprintf(fp, "%-*s", wname, pb->actor[i]);
    for (size_t t = 0; t < T; t++)
      fprintf(fp, " %6.4f", r->win_prob[t * N + i]);
    fputc('\n', fp);
  }
  fprintf(fp, "\nFinal positions (turn %zu):\n%-*s", T - 1, wname, "actor");
  for (size_t k = 0; k < M; k++) fprintf(fp, " %14.14s", pb->dim[k]);
  fprintf(fp, " %8s\n", "win_prob");
  for (size_t i = 0; i < N; i++) {
    fprintf(fp, "%-*s", wname, pb->actor[i]);
    for (size_t k = 0; k < M; k++)
      fprintf(fp, " %14.10g", r->x[((T - 1) * N + i) * M + k] * 100.0);
    fprintf(fp, " %8.4f\n", r->win_prob[(T - 1) * N + i]);
  }
  return ferror(fp) ? ENT_EIO : ENT_OK;
}

/* ------------------------------------------------------------ trade */

/* x as "%<width>.6g" (g) or "%+<width>.3f" (!g) appended to b: the bytes
 * of printf, through base/num.c when it can. */
static void text_num(ent_strbuf *b, double x, int g, int width) {
  char t[ENT_NUM_BUF + 320];
  int len = g ? ent_num_g(t, x, 6, NULL) : ent_num_f(t, x, 3, 1);
  if (len < 0)
    len = g ? snprintf(t, sizeof t, "%.6g", x) : snprintf(t, sizeof t, "%+.3f", x);
  if (len < 0 || (size_t)len >= sizeof t) { /* cannot happen: %f of 1e308 fits */
    b->failed = 1;
    return;
  }
  for (int k = len; k < width; k++) ent_strbuf_append(b, " ", 1);
  ent_strbuf_append(b, t, (size_t)len);
}

/* The flow table's rows: "%-*.*s %-*.*s %14.6g %14.6g " and "%+10.3f\n"
 * or "%10s\n" "-", built in a buffer written in pieces of about 64 kB.
 * Each name is padded (or cut) to wid bytes once. */
static ent_status text_trade_flows(const ent_trade_result *r, size_t wid,
                                   FILE *fp) {
  size_t n = r->n;
  char *pad = ent_mallocarray(n, wid);
  if (!pad) return ENT_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(r->names[i]);
    if (len > wid) len = wid;
    memcpy(pad + i * wid, r->names[i], len);
    memset(pad + i * wid + len, ' ', wid - len);
  }
  ent_strbuf b;
  ent_strbuf_init(&b);
  int bad = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      size_t k = i * n + j;
      ent_strbuf_append(&b, pad + i * wid, wid);
      ent_strbuf_append(&b, " ", 1);
      ent_strbuf_append(&b, pad + j * wid, wid);
      ent_strbuf_append(&b, " ", 1);
      text_num(&b, r->X[k], 1, 14);
      ent_strbuf_append(&b, " ", 1);
      text_num(&b, r->X_new[k], 1, 14);
      ent_strbuf_append(&b, " ", 1);
      if (r->X[k] > 0.0)
        text_num(&b, 100.0 * (r->X_new[k] / r->X[k] - 1.0), 0, 10);
      else
        ent_strbuf_puts(&b, "         -");
      ent_strbuf_append(&b, "\n", 1);
      if (b.len >= 65536 && !b.failed) {
        if (fwrite(b.data, 1, b.len, fp) != b.len) bad = 1;
        b.len = 0;
        b.data[0] = '\0';
      }
    }
  ent_free(pad);
  ent_status st = ent_render_flush(&b, fp);
  return bad && st == ENT_OK ? ENT_EIO : st;
}

/* `entente gravity`: the country table and the flow table, aligned.
 * ref: the flow table through fprintf (the implementation before
 * text_trade_flows; for bench_trade). */
static ent_status text_trade(const ent_trade_result *r, FILE *fp, int ref) {
  size_t n = r->n, wid = 7;
  for (size_t i = 0; i < n; i++)
    if (strlen(r->names[i]) > wid) wid = strlen(r->names[i]);
  if (wid > 30) wid = 30;
  fprintf(fp,
          "GE structural gravity counterfactual: theta %g, %s deficits, "
          "%d iterations, residual %.2g\n\n",
          r->opts.theta,
          r->opts.deficit == ENT_TRADE_DEFICIT_ADDITIVE ? "additive"
                                                        : "multiplicative",
          r->info.iterations, r->info.residual);
  fprintf(fp, "%-*s %10s %10s %10s %10s %10s %10s\n", (int)wid, "country",
          "wage %", "price %", "welfare %", "real wage %", "OMR %",
          "own share");
  for (size_t i = 0; i < n; i++)
    fprintf(fp, "%-*.*s %+10.3f %+10.3f %+10.3f %+10.3f %+10.3f %10.4f\n",
            (int)wid, (int)wid, r->names[i],
            100.0 * (r->v[ENT_TRADE_W_HAT][i] - 1.0),
            100.0 * (r->v[ENT_TRADE_P_HAT][i] - 1.0),
            100.0 * (r->v[ENT_TRADE_WELFARE_HAT][i] - 1.0),
            100.0 * (r->v[ENT_TRADE_REAL_WAGE_HAT][i] - 1.0),
            100.0 * (r->v[ENT_TRADE_OMR_HAT][i] - 1.0),
            r->v[ENT_TRADE_PI_OWN_NEW][i]);
  fprintf(fp, "\n%-*s %-*s %14s %14s %10s\n", (int)wid, "exporter", (int)wid,
          "importer", "flow base", "flow new", "change %");
  if (!ref) return text_trade_flows(r, wid, fp);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      size_t k = i * n + j;
      fprintf(fp, "%-*.*s %-*.*s %14.6g %14.6g ", (int)wid, (int)wid,
              r->names[i], (int)wid, (int)wid, r->names[j], r->X[k],
              r->X_new[k]);
      if (r->X[k] > 0.0)
        fprintf(fp, "%+10.3f\n", 100.0 * (r->X_new[k] / r->X[k] - 1.0));
      else
        fprintf(fp, "%10s\n", "-");
    }
  return ENT_OK;
}

ent_status ent_text_trade(const ent_trade_result *r, FILE *fp) {
  return text_trade(r, fp, 0);
}

ent_status ent_text_trade_ref(const ent_trade_result *r, FILE *fp) {
  return text_trade(r, fp, 1);
}

/* ------------------------------------------------------------ assumptions */

static void why_line(ent_strbuf *b, const char *why, const char *indent) {
  ent_strbuf_printf(b, "%swhy: %s\n", indent, why ? why : "(no rationale given)");
}

/* The blocs, shocks, channels and links of a structural scenario. */
static void structure_assumptions(const ent_model *m, ent_strbuf *b) {
  const ent_structure *st = m->st;
  if (st->n_blocs) ent_strbuf_puts(b, "\nblocs:\n");
  for (size_t i = 0; i < st->n_blocs; i++) {
    ent_strbuf_printf(b, "  %s\n", st->blocs[i].id);
    why_line(b, st->blocs[i].why, "    ");
  }
  if (st->n_shocks) ent_strbuf_puts(b, "\nshocks:\n");
  for (size_t i = 0; i < st->n_shocks; i++) {
    const ent_shock *s = &st->shocks[i];
    ent_strbuf_printf(b, "  %s\n", s->id);
    if (s->source) ent_strbuf_printf(b, "    source: %s\n", s->source);
    why_line(b, s->why, "    ");
  }
  if (st->n_channels) ent_strbuf_puts(b, "\nchannels:\n");
  for (size_t i = 0; i < st->n_channels; i++) {
    ent_strbuf_printf(b, "  %s\n", st->channels[i].id);
    why_line(b, st->channels[i].why, "    ");
  }
  if (st->n_links) ent_strbuf_puts(b, "\nlinks:\n");
  for (size_t i = 0; i < st->n_links; i++) {
    const ent_link *l = &st->links[i];
    char p[96];
    ent_assumptions_link_param(l, p, sizeof p);
    ent_strbuf_printf(b, "  %s: ", l->id);
    ent_assumptions_link_source(m, l, b);
    ent_strbuf_puts(b, " -> ");
    ent_assumptions_link_target(m, l, b);
    ent_strbuf_printf(b, ", %s\n", p);
    why_line(b, l->why, "    ");
  }
}

/* ent_model_write_assumptions: every input with its rationale. */
ent_status ent_text_assumptions(const ent_model *m, FILE *fp) {
  if (!m) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_printf(&b, "assumptions of scenario %s (%s): %s\n", m->id ? m->id : "?",
                    m->source ? m->source : "?", m->title ? m->title : "");
  ent_strbuf_puts(&b, "\nactors:\n");
  for (size_t i = 0; i < m->n_actors; i++) {
    const ent_actor *a = &m->actors[i];
    ent_strbuf_printf(&b, "  %s (%s, %s)", a->id, a->name, a->kind);
    if (a->has_capability) ent_strbuf_printf(&b, ", capability %g", a->capability);
    ent_strbuf_puts(&b, "\n");
    why_line(&b, a->why, "    ");
  }
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_issue *is = &m->issues[i];
    ent_strbuf_printf(&b, "\nissue %s: %s\n", is->id, is->question);
    if (is->why) why_line(&b, is->why, "  ");
    for (size_t k = 0; k < is->n_stakes; k++) {
      const ent_stake *s = &is->stakes[k];
      ent_strbuf_printf(&b, "  %-10s position %g, salience %g, capability %g%s\n",
                        m->actors[s->actor].id, s->position, 100.0 * s->salience,
                        s->capability, s->cap_from_actor ? " (the actor's)" : "");
      if (s->why) why_line(&b, s->why, "    ");
    }
  }
  if (m->st) structure_assumptions(m, &b);
  if (m->n_uparams)
    ent_strbuf_puts(&b, "\nuncertain inputs (distribution; the value of a single run):\n");
  for (size_t i = 0; i < m->n_uparams; i++) {
    const ent_uparam *u = &m->uparams[i];
    char dist[512];
    ent_assumptions_dist(&u->dist, dist, sizeof dist);
    ent_strbuf_printf(&b, "  %s: %s; %g\n", u->name, dist, u->nominal);
  }
  return ent_render_flush(&b, fp);
}
