/*
 * text_run.c -- the text of a run (`entente run`), of the single-issue
 * view (`entente eum`) and of `entente check`, from the result tree.
 *
 * Numbers in sentences and tables use at most 4 decimals without
 * trailing zeros (ent_render_short) unless a column has a fixed width.
 */
#include <math.h>
#include <string.h>

#include "output/render.h"

/* ------------------------------------------------------------ eum view */

static const char *move_phrase(ent_result_move_type t) {
  return t == ENT_RESULT_MOVE_CONFLICT     ? "concedes to"
         : t == ENT_RESULT_MOVE_COMPROMISE ? "compromises with"
                                           : "capitulates to";
}

ent_status ent_text_eum(const ent_result *r, FILE *fp) {
  if (!r || r->n_issues != 1 || !r->issues[0].eum) return ENT_EINVAL;
  const ent_result_issue *is = &r->issues[0];
  const ent_result_eum *h = is->eum;
  const char *const *names = is->actor_names;
  size_t n = h->n;
  ent_strbuf b;
  ent_strbuf_init(&b);
  char v[64];
  ent_strbuf_printf(&b, "expected-utility model: %zu actors, %s\noptions: %s\n\n",
                    n, r->prov.scenario_source ? r->prov.scenario_source : "",
                    is->options);
  int show_pos = n <= 12;
  ent_strbuf_printf(&b, "%5s %10s %10s", "round", "mean", "median");
  if (show_pos)
    for (size_t k = 0; k < n; k++) ent_strbuf_printf(&b, " %10.10s", names[k]);
  ent_strbuf_puts(&b, "\n");
  for (int t = 0; t <= h->n_rounds; t++) {
    ent_strbuf_printf(&b, "%5d %10.4f %10.4f", t, h->mean[t], h->median[t]);
    if (show_pos)
      for (size_t k = 0; k < n; k++)
        ent_strbuf_printf(&b, " %10.4f", h->x[(size_t)t * n + k]);
    ent_strbuf_puts(&b, "\n");
  }
  ent_strbuf_puts(&b, "\nmoves:\n");
  if (h->n_moves == 0) ent_strbuf_puts(&b, "  none\n");
  for (size_t k = 0; k < h->n_moves; k++) {
    const ent_result_move *mv = &h->moves[k];
    ent_render_short(v, sizeof v, mv->to);
    ent_strbuf_printf(&b, "  round %d: %s %s %s -> %s\n", mv->round,
                      names[mv->mover], move_phrase(mv->type), names[mv->toward],
                      v);
  }
  ent_strbuf_printf(&b, "\nforecast after %d round%s: median %.4f, mean %.4f\n",
                    h->n_rounds, h->n_rounds == 1 ? "" : "s",
                    h->median[h->n_rounds], h->mean[h->n_rounds]);
  ent_strbuf_printf(&b, "start: median %.4f, mean %.4f\n", h->median[0],
                    h->mean[0]);
  if (h->converged)
    ent_strbuf_printf(&b, "converged: the median is stable over the last %d "
                          "rounds\n", h->window);
  else
    ent_strbuf_printf(&b,
                      "did not converge: over the last %d rounds the median "
                      "ranges from %.4f to %.4f\n",
                      h->window, h->median_min, h->median_max);
  if (h->cycle_start >= 0)
    ent_strbuf_printf(&b, "cycle: the positions of round %d repeat those of "
                          "round %d (period %d)\n",
                      h->cycle_start + h->cycle_period, h->cycle_start,
                      h->cycle_period);
  return ent_render_flush(&b, fp);
}

/* ------------------------------------------------------------ run view */

/* One table cell: the value of (var, ent, year) times scale, right-aligned
 * in `width` with `prec` decimals, or "-" if the run has no such value. */
static void cell(ent_strbuf *b, const ent_result *r, const char *var,
                 const char *ent, int year, int width, int prec, double scale) {
  double v = ent_result_value(r, var, ent, year);
  if (isfinite(v)) ent_strbuf_printf(b, " %*.*f", width, prec, v * scale);
  else ent_strbuf_printf(b, " %*s", width, "-");
}

/* Yearly table of the structural layer for the main pair. */
static void structure_text(const ent_result *r, ent_strbuf *b) {
  const ent_result_structure *st = &r->st;
  const char *A = st->main_a, *B = st->main_b;
  const char *trade = ENT_VNAME(ENT_VAR_TRADE_FLOW);
  const char *dep = ENT_VNAME(ENT_VAR_DEPENDENCE);
  char ab[72], ba[72];
  snprintf(ab, sizeof ab, "%s->%s", A, B);
  snprintf(ba, sizeof ba, "%s->%s", B, A);
  /* channel totals on the route A->B, by kind */
  const char *kinds[3] = {ENT_VNAME(ENT_VAR_GAS_FLOW), ENT_VNAME(ENT_VAR_OIL_FLOW),
                          ENT_VNAME(ENT_VAR_ARMS_TRANSFER)};
  const char *const *units = st->main_units;
  int y0 = r->prov.start, y1 = r->prov.end;
  ent_strbuf_printf(b, "\nthe %s-%s relationship, year by year (trade in US$ bn; "
                      "dependence = bilateral trade / GDP, in %%; B share in %%):\n", A, B);
  ent_strbuf_printf(b, "  %4s %9s %9s %9s %9s %9s %9s", "year", "exp A>B",
                    "exp B>A", "dep A>B", "dep B>A", "ratio", "B share");
  for (int k = 0; k < 3; k++)
    if (units[k]) ent_strbuf_printf(b, " %9.9s", k == 0 ? "gas" : k == 1 ? "oil" : "arms");
  ent_strbuf_puts(b, "\n");
  for (int y = y0; y <= y1; y++) {
    ent_strbuf_printf(b, "  %4d", y);
    cell(b, r, trade, ab, y, 9, 1, 1.0);
    cell(b, r, trade, ba, y, 9, 1, 1.0);
    cell(b, r, dep, ab, y, 9, 2, 100.0);
    cell(b, r, dep, ba, y, 9, 2, 100.0);
    double d1 = ent_result_value(r, dep, ab, y), d2 = ent_result_value(r, dep, ba, y);
    if (isfinite(d1) && isfinite(d2) && d2 > 0.0)
      ent_strbuf_printf(b, " %9.1f", d1 / d2);
    else
      ent_strbuf_printf(b, " %9s", "-");
    cell(b, r, ENT_VNAME(ENT_VAR_PARTNER_SHARE), ab, y, 9, 1, 100.0);
    for (int k = 0; k < 3; k++)
      if (units[k]) cell(b, r, kinds[k], ab, y, 9, 1, 1.0);
    ent_strbuf_puts(b, "\n");
  }
  ent_strbuf_printf(b, "  A = %s, B = %s; ratio = A's dependence on B over B's on A; "
                      "B share = B's share of A's trade, %%", A, B);
  for (int k = 0; k < 3; k++)
    if (units[k])
      ent_strbuf_printf(b, "; %s in %s", k == 0 ? "gas" : k == 1 ? "oil" : "arms",
                        units[k]);
  ent_strbuf_puts(b, "\n");
  if (r->n_issues == 0) return;
  ent_strbuf_puts(b, "\nissue forecasts (weighted median after bargaining), year by year:\n");
  ent_strbuf_printf(b, "  %-26s", "issue");
  int step = (y1 - y0) > 8 ? 2 : 1;
  for (int y = y0; y <= y1; y += step) ent_strbuf_printf(b, " %5d", y);
  ent_strbuf_puts(b, "\n");
  for (size_t i = 0; i < r->n_issues; i++) {
    ent_strbuf_printf(b, "  %-26.26s", r->issues[i].id);
    for (int y = y0; y <= y1; y += step)
      cell(b, r, ENT_VNAME(ENT_VAR_ISSUE_FORECAST), r->issues[i].id, y, 5, 0, 1.0);
    ent_strbuf_puts(b, "\n");
  }
}

/* The spatial model's lines of an issue; counts a disagreement. */
static void smp_text(const ent_result_issue *is, ent_strbuf *b,
                     size_t *n_disagree) {
  const ent_result_smp *s = is->smp;
  char a[32];
  if (!s->ran) {
    ent_strbuf_printf(b, "   spatial model (KTAB SMP): not run -- %s\n",
                      s->note ? s->note : "?");
    return;
  }
  ent_strbuf_printf(b, "   spatial model (KTAB SMP), %d turn%s%s: most likely",
                    s->turns, s->turns == 1 ? "" : "s",
                    s->converged ? "" : " (turn limit)");
  for (size_t q = 0; q < s->n_dims; q++) {
    ent_render_short(a, sizeof a, s->likely[q]);
    ent_strbuf_printf(b, "%s %s%s%s", q ? "," : "", s->n_dims > 1 ? s->dims[q] : "",
                      s->n_dims > 1 ? " " : "", a);
  }
  ent_render_short(a, sizeof a, s->mean[0]);
  ent_strbuf_printf(b, "; weighted mean %s%s\n", a, s->n_dims > 1 ? ", ..." : "");
  if (is->has_models && is->models_disagree) {
    ent_render_short(a, sizeof a, is->models_gap);
    ent_strbuf_printf(b, "   models DISAGREE: expected-utility %g vs spatial "
                         "%g (gap %s > margin %g)\n",
                      is->forecast, is->smp_forecast, a, is->models_margin);
    (*n_disagree)++;
  } else if (is->eum) {
    ent_strbuf_printf(b, "   models agree within %g\n", is->models_margin);
  }
}

/* Whether the year's forecast settled (a run with a time axis). */
static void settle_text(const ent_result_issue *is, ent_strbuf *b) {
  char a[32], c[32], f[32];
  ent_render_short(a, sizeof a, is->settle_lo);
  ent_render_short(c, sizeof c, is->settle_hi);
  if (!is->unsettled) {
    ent_strbuf_printf(b, "   settled (over the last %d read-outs the forecast "
                         "stays within %s..%s, or moves one way)\n",
                      is->settle_window, a, c);
    return;
  }
  ent_render_short(f, sizeof f, is->raw);
  if (is->period)
    ent_strbuf_printf(b, "   UNSETTLED: a cycle of period %d -- the forecast "
                         "moves between %s and %s (the last state: %s); the "
                         "forecast above is the mean over one cycle, not a "
                         "settled outcome\n", is->period, a, c, f);
  else
    ent_strbuf_printf(b, "   UNSETTLED: over the last %d read-outs the "
                         "forecast swings between %s and %s (the last state: "
                         "%s); the forecast above is their mean, not a "
                         "settled outcome\n", is->settle_window, a, c, f);
}

static void issue_text(const ent_result_issue *is, size_t i, ent_strbuf *b,
                       size_t *n_disagree) {
  const ent_result_eum *h = is->eum;
  double fm = is->forecast;
  char a[32], c[32];
  ent_strbuf_printf(b, "\n%zu. %s [%s]\n", i + 1, is->question, is->id);
  ent_render_short(a, sizeof a, fm);
  ent_strbuf_printf(b, "   forecast: %s on [%g, %g]%s%s%s\n", a, is->lo, is->hi,
                    is->label[0] ? " -- " : "", is->label,
                    h ? "" : " (spatial model, first dimension)");
  ent_render_short(a, sizeof a, is->base_median);
  ent_render_short(c, sizeof c, is->base_mean);
  if (h) {
    char mean[32];
    ent_render_short(mean, sizeof mean, h->mean[h->n_rounds]);
    ent_strbuf_printf(b, "   after %d round%s: weighted mean %s", h->n_rounds,
                      h->n_rounds == 1 ? "" : "s", mean);
    ent_strbuf_printf(b, "; baselines at the start: median %s, mean %s\n", a, c);
    if (is->has_settle) {
      settle_text(is, b);
    } else if (h->converged) {
      ent_strbuf_printf(b, "   converged (median stable over the last %d "
                           "rounds)\n", h->window);
    } else {
      ent_render_short(a, sizeof a, h->median_min);
      ent_render_short(c, sizeof c, h->median_max);
      ent_strbuf_printf(b, "   not converged: median between %s and %s over "
                           "the last %d rounds\n", a, c, h->window);
    }
  } else {
    ent_strbuf_printf(b, "   baselines at the start: median %s, mean %s\n", a, c);
    if (is->has_settle) settle_text(is, b);
  }
  if (is->smp) smp_text(is, b, n_disagree);
  if (is->has_robustness) {
    ent_render_short(a, sizeof a, is->least_move_median);
    ent_render_short(c, sizeof c, is->reflected_median);
    const char *verdict =
        is->robust ? "stable"
        : (is->unsettled || is->robust_unsettled)
            ? "NOT stable: the forecast or a variant does not settle"
            : "depends on the selection rule";
    ent_strbuf_printf(b, "   robustness: least_move %s, reflected axis %s -- "
                         "%s\n", a, c, verdict);
  }
}

/* Relationship table for the report pairs (default: pairs of the first
 * four actors). */
static void relations_text(const ent_result *r, ent_strbuf *b) {
  size_t np = r->n_pairs;
  const size_t (*pairs)[2] = (const size_t (*)[2])r->pairs;
  size_t defpairs[12][2];
  if (np == 0) {
    for (size_t i = 0; i < r->n_actors && i < 4 && np < 12; i++)
      for (size_t j = 0; j < r->n_actors && j < 4 && np < 12; j++)
        if (i != j) {
          defpairs[np][0] = i;
          defpairs[np][1] = j;
          np++;
        }
    pairs = (const size_t (*)[2])defpairs;
  }
  ent_strbuf_puts(b, "\nrelationships in the final round, pair by pair (row "
                     "actor's view of the column issue):\n");
  ent_strbuf_printf(b, "  %-16s", "pair");
  for (size_t i = 0; i < r->n_issues; i++) ent_strbuf_printf(b, " %2zu", i + 1);
  ent_strbuf_puts(b, "\n");
  for (size_t p = 0; p < np; p++) {
    const char *x = r->actors[pairs[p][0]].id, *y = r->actors[pairs[p][1]].id;
    char pair[64];
    snprintf(pair, sizeof pair, "%s -> %s", x, y);
    ent_strbuf_printf(b, "  %-16s", pair);
    for (size_t i = 0; i < r->n_issues; i++) {
      const ent_result_issue *is = &r->issues[i];
      char ch = '-';
      if (ent_result_issue_actor(is, x) >= 0 && ent_result_issue_actor(is, y) >= 0) {
        const ent_result_relation *rl = ent_result_relation_of(is, x, y);
        ch = is->eum && rl ? ent_names_class_letter[rl->cls] : '~';
      }
      ent_strbuf_printf(b, "  %c", ch);
    }
    ent_strbuf_puts(b, "\n");
  }
  ent_strbuf_puts(b, "  X conflict  C compromise  K capitulation  S stalemate  "
                     "= same position  . none  - not both on the issue  "
                     "~ spatial-model issue (no pair classes)\n");
}

ent_status ent_text_run(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  const ent_result_prov *pv = &r->prov;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_printf(&b, "%s\n", pv->scenario_title ? pv->scenario_title
                                                    : pv->scenario_id);
  ent_strbuf_printf(&b, "scenario %s (%s), %zu actors, %zu issues\n",
                    pv->scenario_id ? pv->scenario_id : "?",
                    pv->scenario_source ? pv->scenario_source : "?",
                    r->n_actors, r->n_issues);
  int any_smp = 0;
  for (size_t i = 0; i < r->n_issues; i++) any_smp |= r->issues[i].smp != NULL;
  ent_strbuf_printf(&b, "models: expected-utility bargaining (Scholz et al. 2011 "
                        "reconstruction of BDM)%s; baselines: weighted mean and "
                        "weighted median of the starting positions\n",
                    any_smp ? ", and KTAB's Spatial Model of Politics where an "
                              "issue asks for it" : "");
  if (r->st.present) {
    ent_strbuf_printf(&b, "structure: %d-%d, %zu blocs, GE structural gravity "
                          "(theta %g), %zu shocks, %zu channels, %zu links\n",
                      pv->start, pv->end, r->st.n_blocs, r->st.theta,
                      r->st.n_shocks, r->st.n_channels, r->st.n_links);
    if (r->has_dynamics)
      ent_strbuf_printf(&b, "dynamics: %d bargaining round%s a year from where "
                            "the last year ended, inertia %g toward the "
                            "ideals (docs/dynamics.md)\n",
                        r->rounds_per_year, r->rounds_per_year == 1 ? "" : "s",
                        r->inertia);
    ent_text_headline(r, &b);
    structure_text(r, &b);
    ent_text_alignment(r, &b);
    ent_text_drivers(r, &b);
    if (r->n_issues) ent_strbuf_printf(&b, "\nthe issues in %d:\n", pv->end);
  }
  size_t n_disagree = 0, n_both = 0;
  for (size_t i = 0; i < r->n_issues; i++) {
    issue_text(&r->issues[i], i, &b, &n_disagree);
    n_both += (size_t)r->issues[i].has_models;
  }
  if (n_both)
    ent_strbuf_printf(&b, "\nmodel uncertainty: the expected-utility and spatial "
                          "models disagree by more than %g%% of the scale on "
                          "%zu of %zu issues run with both\n",
                      100.0 * r->disagree_share, n_disagree, n_both);
  relations_text(r, &b);
  return ent_render_flush(&b, fp);
}

/* ------------------------------------------------------------ check */

ent_status ent_text_summary(const ent_model *m, FILE *fp) {
  if (!m) return ENT_EINVAL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_printf(&b, "%s: ok -- scenario '%s' (%s), %zu actors, %zu issues\n",
                    m->source ? m->source : "?", m->id ? m->id : "?",
                    m->title ? m->title : "", m->n_actors, m->n_issues);
  for (size_t i = 0; i < m->n_issues; i++)
    ent_strbuf_printf(&b, "  issue %-28s %2zu actors, scale [%g, %g]\n",
                      m->issues[i].id, m->issues[i].n_stakes, m->issues[i].lo,
                      m->issues[i].hi);
  return ent_render_flush(&b, fp);
}
