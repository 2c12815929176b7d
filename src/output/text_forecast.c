/*
 * text_forecast.c -- the text of a forecast (`entente forecast`) and of a
 * comparison (`entente compare`), from the result tree.
 *
 * A band is "median [q05-q95]" (only the median when the two ends print
 * the same); a share of runs is a whole percentage, "<1%" and ">99%" at
 * the ends.
 */
#include <math.h>
#include <string.h>

#include "output/render.h"

/* "12.3" with up to `prec` decimals, no trailing zeros; prec < 0: -prec
 * significant digits; "-" when v is not finite. */
static void fmt_num(char *buf, size_t size, double v, int prec) {
  if (!isfinite(v)) {
    snprintf(buf, size, "-");
    return;
  }
  if (v == 0.0) v = 0.0;
  if (prec < 0) {
    snprintf(buf, size, "%.*g", -prec, v);
    return;
  }
  snprintf(buf, size, "%.*f", prec, v);
  char *dot = strchr(buf, '.');
  if (dot) {
    char *z = buf + strlen(buf) - 1;
    while (z > dot && *z == '0') *z-- = '\0';
    if (z == dot) *z = '\0';
  }
  if (!strcmp(buf, "-0")) snprintf(buf, size, "0");
}

static void pct(char *buf, size_t size, double p) {
  if (p > 0.0 && p < 0.005) snprintf(buf, size, "<1%%");
  else if (p < 1.0 && p > 0.995) snprintf(buf, size, ">99%%");
  else snprintf(buf, size, "%.0f%%", 100.0 * p);
}

/* "median [q05-q95]" of s times scale, or "-" without statistics. */
static void band(const ent_result_stats *s, double scale, int prec, char *buf,
                 size_t size) {
  if (!s) {
    snprintf(buf, size, "-");
    return;
  }
  char a[40], b[40], m[40];
  fmt_num(m, sizeof m, s->q[2] * scale, prec);
  fmt_num(a, sizeof a, s->q[0] * scale, prec);
  fmt_num(b, sizeof b, s->q[4] * scale, prec);
  if (!strcmp(a, b)) snprintf(buf, size, "%s", m);
  else snprintf(buf, size, "%.30s [%.30s-%.30s]", m, a, b);
}

static const ent_result_stats *stats_of(const ent_result *r, const char *var,
                                        const char *ent, int year) {
  const ent_result_cell *c = ent_result_find(r, var, ent, year);
  return c ? &c->st : NULL;
}

/* "variable entity year" (or without the year) of a headline output. */
static void output_name(char *buf, size_t size, const char *var,
                        const char *ent, int has_year, int year) {
  if (has_year) snprintf(buf, size, "%s %s %d", var, ent, year);
  else snprintf(buf, size, "%s %s", var, ent);
}

/* ------------------------------------------------------------ forecast */

static void text_structure(const ent_result *r, ent_strbuf *b) {
  const char *A = r->st.main_a, *B = r->st.main_b;
  int y0 = r->prov.start, y1 = r->prov.end;
  char ab[72], ba[72];
  snprintf(ab, sizeof ab, "%s->%s", A, B);
  snprintf(ba, sizeof ba, "%s->%s", B, A);
  struct {
    ent_var_id var;
    const char *ent, *title;
    double scale;
    int prec;
  } col[] = {{ENT_VAR_TRADE_FLOW, ab, "exports A>B", 1, 1},
             {ENT_VAR_TRADE_FLOW, ba, "exports B>A", 1, 1},
             {ENT_VAR_DEPENDENCE, ab, "dep A>B %", 100, 2},
             {ENT_VAR_DEPENDENCE, ba, "dep B>A %", 100, 2},
             {ENT_VAR_GAS_FLOW, ab, "gas", 1, 1},
             {ENT_VAR_OIL_FLOW, ab, "oil", 1, 1},
             {ENT_VAR_ARMS_TRANSFER, ab, "arms", 1, 0}};
  size_t nc = sizeof col / sizeof col[0];
  int show[7];
  for (size_t k = 0; k < nc; k++)
    show[k] = ent_result_find(r, ENT_VNAME(col[k].var), col[k].ent, y1) != NULL;
  ent_strbuf_printf(b, "\nthe %s-%s relationship, median [5%%-95%% of runs] "
                       "(A = %s, B = %s; trade in US$ bn, dependence = "
                       "bilateral trade / GDP):\n  %4s", A, B, A, B, "year");
  for (size_t k = 0; k < nc; k++)
    if (show[k]) ent_strbuf_printf(b, "  %-20s", col[k].title);
  ent_strbuf_puts(b, "\n");
  int step = y1 - y0 > 8 ? 2 : 1;
  for (int y = y0; y <= y1; y += step) {
    if (y + step > y1 && y != y1) y = y1;
    ent_strbuf_printf(b, "  %4d", y);
    for (size_t k = 0; k < nc; k++) {
      if (!show[k]) continue;
      char buf[120];
      band(stats_of(r, ENT_VNAME(col[k].var), col[k].ent, y), col[k].scale,
           col[k].prec, buf, sizeof buf);
      ent_strbuf_printf(b, "  %-20s", buf);
    }
    ent_strbuf_puts(b, "\n");
  }
}

static void text_issue(const ent_result *r, size_t i, ent_strbuf *b) {
  const ent_result_issue *is = &r->issues[i];
  const ent_result_stats *s = &is->outcome;
  int ny = r->prov.has_time ? r->prov.end - r->prov.start + 1 : 0;
  char m5[32], q5[32], q95[32], mn[32];
  fmt_num(m5, sizeof m5, s->q[2], 1);
  fmt_num(q5, sizeof q5, s->q[0], 1);
  fmt_num(q95, sizeof q95, s->q[4], 1);
  fmt_num(mn, sizeof mn, s->mean, 1);
  ent_strbuf_printf(b, "\n%zu. %s [%s]\n", i + 1, is->question, is->id);
  ent_strbuf_printf(b, "   outcome: median %s, 90%% of runs in [%s, %s], mean %s "
                       "(scale %g-%g)\n", m5, q5, q95, mn, is->lo, is->hi);
  if (is->has_model_split) {
    ent_strbuf_puts(b, "   by model:");
    static const char *const names[2] = {"expected-utility", "spatial"};
    for (int k = 0; k < 2; k++) {
      char ps[16], md[32];
      pct(ps, sizeof ps, is->model_share[k]);
      if (!is->model_outcome[k].n) continue;
      fmt_num(md, sizeof md, is->model_outcome[k].q[2], 1);
      ent_strbuf_printf(b, "%s %s (%s of runs) median %s", k ? ";" : "",
                        names[k], ps, md);
    }
    ent_strbuf_puts(b, "\n");
  }
  if (is->has_base_stats) {
    char bm[32], bn[32];
    fmt_num(bm, sizeof bm, is->base_median_st.q[2], 1);
    fmt_num(bn, sizeof bn, is->base_mean_st.q[2], 1);
    ent_strbuf_printf(b, "   baselines (no bargaining): weighted median %s, "
                         "weighted mean %s of the starting positions\n", bm, bn);
  }
  if (!is->n_anchors || !r->prov.samples) return;
  ent_strbuf_puts(b, "   nearest label:");
  int first = 1;
  for (size_t a = 0; a < is->n_ranges; a++) {
    double p = is->ranges[a].p;
    if (p <= 0.0) continue;
    char ps[16];
    pct(ps, sizeof ps, p);
    ent_strbuf_printf(b, "%s \"%s\" %s", first ? "" : ";", is->ranges[a].label, ps);
    first = 0;
  }
  ent_strbuf_puts(b, "\n");
  /* labels above the median that some runs reach, in words */
  int mid = ny ? (ny - 1) / 2 : 0;
  for (size_t a = 0; a < is->n_thresholds; a++) {
    const ent_result_threshold *t = &is->thresholds[a];
    if (!(t->at > s->q[2])) continue;
    double plast = t->p;
    if (!(plast > 0.0)) {
      ent_strbuf_printf(b, "   \"%s\" (>= %g): no run reaches it\n", t->label, t->at);
      break; /* nor any label above it */
    }
    char ps[16], pm[16];
    pct(ps, sizeof ps, plast);
    if (ny) {
      pct(pm, sizeof pm, t->p_by[mid]);
      ent_strbuf_printf(b, "   \"%s\" (>= %g) reached by %d: %s of runs; by %d: "
                           "%s\n", t->label, t->at, r->prov.start + mid, pm,
                        r->prov.end, ps);
    } else {
      ent_strbuf_printf(b, "   \"%s\" (>= %g): %s of runs\n", t->label, t->at, ps);
    }
  }
}

static void text_relations(const ent_result *r, ent_strbuf *b) {
  if (!r->n_pairs || !r->n_issues) return;
  ent_strbuf_puts(b, "\nrelationships in the final round: the most common class "
                     "and its share of runs (row actor's view of the column "
                     "issue):\n");
  ent_strbuf_printf(b, "  %-16s", "pair");
  for (size_t i = 0; i < r->n_issues; i++) ent_strbuf_printf(b, " %6zu", i + 1);
  ent_strbuf_puts(b, "\n");
  for (size_t p = 0; p < r->n_pairs; p++) {
    const char *x = r->actors[r->pairs[p][0]].id, *y = r->actors[r->pairs[p][1]].id;
    char pair[64];
    snprintf(pair, sizeof pair, "%s -> %s", x, y);
    ent_strbuf_printf(b, "  %-16s", pair);
    for (size_t i = 0; i < r->n_issues; i++) {
      const ent_result_issue *is = &r->issues[i];
      long si = ent_result_issue_actor(is, x), sj = ent_result_issue_actor(is, y);
      if (si < 0 || sj < 0 || !r->prov.samples) {
        ent_strbuf_printf(b, " %6s", "-");
        continue;
      }
      size_t n = is->n_actors;
      const ent_result_relation *rl =
          &is->relations[(size_t)si * (n - 1) + (size_t)(sj > si ? sj - 1 : sj)];
      int best = 0;
      for (int c = 1; c < ENT_CLASSES; c++)
        if (rl->share[c] > rl->share[best]) best = c;
      ent_strbuf_printf(b, " %c%4.0f%%", ent_names_class_letter[best],
                        100.0 * rl->share[best]);
    }
    ent_strbuf_puts(b, "\n");
  }
  ent_strbuf_puts(b, "  X conflict  C compromise  K capitulation  S stalemate  "
                     "= same position  . none  - not both on the issue\n");
}

static void text_sensitivity(const ent_result *r, ent_strbuf *b) {
  const ent_result_sens *s = &r->sens;
  size_t d = r->prov.n_inputs;
  int sobol = r->prov.sobol;
  if (!d || r->prov.samples < 2) return;
  if (s->note) {
    ent_strbuf_printf(b, "\nwhat drives the forecast: too few runs for a "
                         "regression on %zu inputs (more than %zu needed)\n",
                      d, d + 1);
    return;
  }
  ent_strbuf_printf(b, "\nwhat drives the forecast (%s; the 5 inputs that "
                       "matter most per output):\n",
                    sobol ? "Sobol' indices: first-order S1 and total "
                            "ST, share of the output's variance"
                          : "standardised regression coefficients; R^2 "
                            "= share of the output's variance a linear "
                            "fit on the inputs explains");
  for (size_t o = 0; o < s->n_outputs; o++) {
    const ent_result_sens_output *so = &s->outputs[o];
    char name[200];
    output_name(name, sizeof name, so->variable, so->entity, so->has_year, so->year);
    if (!sobol && !isfinite(so->r2)) {
      ent_strbuf_printf(b, "  %s: the same in every run\n", name);
      continue;
    }
    if (sobol) ent_strbuf_printf(b, "  %s\n", name);
    else ent_strbuf_printf(b, "  %s (R^2 %.2f)\n", name, so->r2);
    for (size_t k = 0; k < so->n && k < 5; k++) {
      size_t i = so->order[k];
      double key = sobol ? so->total[i] : so->index[i];
      if (!(fabs(key) >= 0.005)) break; /* the rest is noise */
      if (sobol)
        ent_strbuf_printf(b, "    %zu. %-56s S1 %5.2f  ST %5.2f\n", k + 1,
                          so->inputs[i], so->index[i], so->total[i]);
      else
        ent_strbuf_printf(b, "    %zu. %-56s %+.2f\n", k + 1, so->inputs[i],
                          so->index[i]);
    }
  }
}

ent_status ent_text_forecast(const ent_result *r, FILE *fp) {
  if (!r) return ENT_EINVAL;
  const ent_result_prov *p = &r->prov;
  size_t d = p->n_inputs;
  ent_strbuf b;
  ent_strbuf_init(&b);
  ent_strbuf_printf(&b, "%s -- forecast\n",
                    p->scenario_title ? p->scenario_title : p->scenario_id);
  ent_strbuf_printf(&b, "scenario %s (%s), %zu uncertain input%s; %lu run%s "
                        "(seed %llu)",
                    p->scenario_id ? p->scenario_id : "?",
                    p->scenario_source ? p->scenario_source : "?", d,
                    d == 1 ? "" : "s", p->runs, p->runs == 1 ? "" : "s", p->seed);
  if (p->sobol)
    ent_strbuf_printf(&b, " x %zu evaluations (Saltelli's design)", p->per_unit);
  ent_strbuf_puts(&b, "\n");
  if (p->done < p->runs)
    ent_strbuf_printf(&b, "INTERRUPTED: %lu of %lu runs done; the statistics "
                          "below use those\n", p->done, p->runs);
  if (p->failed)
    ent_strbuf_printf(&b, "%lu run%s failed and %s left out (first: %s)\n",
                      p->failed, p->failed == 1 ? "" : "s",
                      p->failed == 1 ? "is" : "are",
                      p->first_failure ? p->first_failure : "");
  if (!p->has_sketch)
    ent_strbuf_puts(&b, "quantiles: exact\n");
  else
    ent_strbuf_printf(&b, "quantiles: streaming sketch (k %zu, rank error at most "
                          "%.2g%%)\n", p->qk, 100.0 * p->qrank_error);
  if (!p->samples) {
    ent_strbuf_puts(&b, "no completed runs\n");
    return ent_render_flush(&b, fp);
  }
  if (r->st.present) text_structure(r, &b);
  if (r->n_issues && p->has_time)
    ent_strbuf_printf(&b, "\nissue outcomes in %d:\n", p->end);
  else if (r->n_issues)
    ent_strbuf_puts(&b, "\nissue outcomes:\n");
  for (size_t i = 0; i < r->n_issues; i++) text_issue(r, i, &b);
  text_relations(r, &b);
  text_sensitivity(r, &b);
  return ent_render_flush(&b, fp);
}

/* ------------------------------------------------------------ compare */

ent_status ent_text_compare(const ent_result *r, FILE *fp) {
  if (!r || !r->cmp) return ENT_EINVAL;
  const ent_result_cmp *c = r->cmp;
  ent_strbuf out;
  ent_strbuf_init(&out);
  ent_strbuf_printf(&out, "comparing A = %s (%s) with B = %s (%s): %lu runs "
                          "each, seed %llu\n",
                    c->a_id ? c->a_id : "?", c->a_source ? c->a_source : "?",
                    c->b_id ? c->b_id : "?", c->b_source ? c->b_source : "?",
                    r->prov.runs, r->prov.seed);
  ent_strbuf_puts(&out, "* = the difference of means is more than twice its "
                        "standard error (Welch)\n\n");
  ent_strbuf_printf(&out, "  %-44s %-24s %-24s %10s\n", "output", "A median [5-95%]",
                    "B median [5-95%]", "B - A");
  for (size_t k = 0; k < c->n_heads; k++) {
    const ent_result_cmp_headline *hd = &c->heads[k];
    char name[200], ba[120], bb[120], dd[40];
    output_name(name, sizeof name, hd->variable, hd->entity, hd->year != 0,
                hd->year);
    band(&hd->a, 1.0, -4, ba, sizeof ba);
    band(&hd->b, 1.0, -4, bb, sizeof bb);
    fmt_num(dd, sizeof dd, hd->d.diff, -3);
    ent_strbuf_printf(&out, "  %-44.44s %-24s %-24s %10s%s\n", name, ba, bb, dd,
                      hd->d.marked ? " *" : "");
  }
  ent_strbuf_printf(&out, "\nall series: %zu of %zu compared values differ by "
                          "more than their noise\n", c->n_marked, c->n_cells);
  /* issue labels side by side */
  for (size_t i = 0; i < c->n_issues; i++) {
    const ent_result_cmp_issue *is = &c->issues[i];
    ent_strbuf_printf(&out, "\n%s: share of runs nearest each label (A -> B)\n",
                      is->id);
    for (size_t k = 0; k < is->n_labels; k++) {
      const ent_result_cmp_label *l = &is->labels[k];
      if (l->pa == 0.0 && l->pb == 0.0) continue;
      char s1[16], s2[16];
      pct(s1, sizeof s1, l->pa);
      pct(s2, sizeof s2, l->pb);
      ent_strbuf_printf(&out, "  %-50.50s %5s -> %5s%s\n", l->label, s1, s2,
                        l->marked ? " *" : "");
    }
  }
  return ent_render_flush(&out, fp);
}
