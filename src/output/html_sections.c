/*
 * html_sections.c -- the sections of the HTML report that show the result
 * (html_int.h): the forecast in words, the contested questions, the
 * relationship map, what drives the forecast, the year-by-year fans, the
 * questions over time and the back-test.  Every chart comes with the
 * table of the numbers it draws.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/html_int.h"

#define h ent_html_puts
#define esc ent_html_esc
#define hf ent_html_printf
#define fmt_val ent_html_fmt_val
#define fmt_pct ent_html_fmt_pct

/* The range holding x, or NULL. */
static const ent_result_range *range_of(const ent_html_issue *hi, double x) {
  for (size_t k = 0; k < hi->n_ranges; k++)
    if (x >= hi->ranges[k].lo && (x < hi->ranges[k].hi || k + 1 == hi->n_ranges))
      return &hi->ranges[k];
  return NULL;
}

/* ---------------------------------------------------------- headline */

/* "Most likely ..." of a forecast's issue: the likeliest range, the next
 * one up (with the threshold's probability by the last and middle year),
 * the median and the 90% band. */
static void headline_bands(ent_html *c, const ent_html_issue *hi) {
  const ent_result_issue *is = hi->is;
  const ent_result_prov *p = &c->r->prov;
  char b1[64], b2[64], b3[64], b4[64];
  size_t best = 0;
  for (size_t k = 1; k < hi->n_ranges; k++)
    if (hi->ranges[k].p > hi->ranges[best].p) best = k;
  double above = 0.0;
  for (size_t k = best + 1; k < hi->n_ranges; k++) above += hi->ranges[k].p;
  if (hi->n_ranges) {
    fmt_pct(b1, sizeof b1, hi->ranges[best].p);
    h(c, "Most likely \xE2\x80\x9C");
    esc(c, hi->ranges[best].label);
    hf(c, "\xE2\x80\x9D: <span class=\"p\">%s of runs</span>", b1);
    if (best + 1 < hi->n_ranges) {
      const char *next = hi->ranges[best + 1].label;
      const ent_result_threshold *th = NULL;
      for (size_t k = 0; k < is->n_thresholds; k++)
        if (is->thresholds[k].label && !strcmp(is->thresholds[k].label, next))
          th = &is->thresholds[k];
      double pm = 0.0;
      int mid = p->has_time ? p->start + (p->end - p->start + 1) / 2 : 0, has_mid = 0;
      if (th && isfinite(th->p)) {
        for (size_t y = 0; y < th->n_years; y++)
          if (th->years[y] == mid && isfinite(th->p_by[y])) {
            pm = th->p_by[y];
            has_mid = 1;
          }
        fmt_pct(b1, sizeof b1, th->p);
        h(c, "; \xE2\x80\x9C");
        esc(c, next);
        hf(c, "\xE2\x80\x9D or further: <span class=\"p\">%s of runs</span>", b1);
        if (p->has_time) hf(c, " by %d", p->end);
        if (has_mid && mid < p->end) {
          fmt_pct(b1, sizeof b1, pm);
          hf(c, ", <span class=\"p\">%s</span> by %d", b1, mid);
        }
      } else {
        fmt_pct(b1, sizeof b1, above);
        h(c, "; further (\xE2\x80\x9C");
        esc(c, next);
        hf(c, "\xE2\x80\x9D or beyond): <span class=\"p\">%s of runs</span>", b1);
      }
    }
    h(c, ". ");
  }
  fmt_val(b1, sizeof b1, is->outcome.q[2]);
  fmt_val(b2, sizeof b2, is->outcome.q[0]);
  fmt_val(b3, sizeof b3, is->outcome.q[4]);
  hf(c, "Median outcome %s; 90%% of runs between %s and %s", b1, b2, b3);
  if (is->has_base) {
    fmt_val(b4, sizeof b4, is->base_median);
    hf(c, " (the starting positions' weighted median: %s)", b4);
  }
  h(c, ".");
  if (!hi->ranges_given)
    h(c, " <span class=\"note\">Range shares estimated from the quantiles.</span>");
}

/* The main pair's trade and dependence in the last year. */
static void headline_pair(ent_html *c) {
  static const ent_var_id HV[] = {ENT_VAR_TRADE_FLOW, ENT_VAR_DEPENDENCE};
  char b1[64], b2[64], b3[64], b4[64];
  for (int v = 0; v < 2 && c->main_a[0]; v++)
    for (int dir = 0; dir < 2; dir++) {
      char ent[160], lab[200], unit[64];
      snprintf(ent, sizeof ent, "%s->%s", dir ? c->main_b : c->main_a,
               dir ? c->main_a : c->main_b);
      const ent_result_series *s = ent_html_series(c, ENT_VNAME(HV[v]), ent);
      if (!s || !s->n) continue;
      size_t t = s->n - 1;
      double f = ent_html_unit(s->unit, unit, sizeof unit);
      ent_html_entity(lab, sizeof lab, ent);
      h(c, "<li><span class=\"q\">");
      esc(c, ent_names_var(HV[v])->title);
      hf(c, " in %d</span>", s->years[t]);
      esc(c, lab);
      fmt_val(b1, sizeof b1, f * ent_html_sv(c, s, 2, t));
      hf(c, ": %s<span class=\"p\">%s ", s->bands ? "median " : "", b1);
      esc(c, unit);
      h(c, "</span>");
      if (s->bands) {
        fmt_val(b2, sizeof b2, f * ent_html_sv(c, s, 0, t));
        fmt_val(b3, sizeof b3, f * ent_html_sv(c, s, 4, t));
        hf(c, "; 90%% of runs between %s and %s", b2, b3);
      }
      fmt_val(b4, sizeof b4, f * ent_html_sv(c, s, 2, 0));
      hf(c, " (%d: %s).</li>\n", s->years[0], b4);
    }
}

void ent_html_section_headline(ent_html *c) {
  const ent_result_prov *p = &c->r->prov;
  char b1[64], b2[64], b3[64];
  h(c, "<section id=\"headline\">\n<h2>The forecast in words</h2>\n");
  if (c->n_issues == 0 && c->r->n_series == 0) {
    h(c, "<p class=\"note\">The document holds no issues and no series.</p>\n"
         "</section>\n");
    return;
  }
  hf(c, "<p class=\"note\">From %s", ent_html_runs_phrase(c, b1, sizeof b1));
  if (p->has_time)
    hf(c, ", %d to %d; issue outcomes are those of %d", p->start, p->end, p->end);
  h(c, ".</p>\n<ul class=\"headline\">\n");
  for (size_t i = 0; i < c->n_issues; i++) {
    const ent_html_issue *hi = &c->issues[i];
    const ent_result_issue *is = hi->is;
    if (!is->has_outcome) continue;
    h(c, "<li><span class=\"q\">");
    esc(c, is->question);
    h(c, "</span>");
    if (c->single || !is->bands) {
      const ent_result_range *r = range_of(hi, is->outcome.q[2]);
      fmt_val(b1, sizeof b1, is->outcome.q[2]);
      h(c, "Forecast: ");
      if (r && r->label[0]) {
        h(c, "<span class=\"p\">\xE2\x80\x9C");
        esc(c, r->label);
        h(c, "\xE2\x80\x9D</span> ");
      }
      hf(c, "(%s on the scale", b1);
      fmt_val(b2, sizeof b2, is->lo);
      fmt_val(b3, sizeof b3, is->hi);
      hf(c, " %s\xE2\x80\x93%s; a single run, no uncertainty shown).", b2, b3);
    } else {
      headline_bands(c, hi);
    }
    h(c, "</li>\n");
  }
  headline_pair(c);
  h(c, "</ul>\n</section>\n");
}

/* ---------------------------------------------------------- issues */

static ent_status hist_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_histogram(s, f, o);
}

/* The table of an issue's ranges and outcome. */
static void issue_tables(ent_html *c, const ent_html_issue *hi) {
  const ent_result_issue *is = hi->is;
  char b[64];
  h(c, "<details open><summary>Table</summary><table><thead><tr><th>range</th>"
       "<th class=\"n\">from</th><th class=\"n\">to</th><th class=\"n\">share of "
       "runs</th></tr></thead><tbody>\n");
  for (size_t k = 0; k < hi->n_ranges; k++) {
    h(c, "<tr>");
    ent_html_td_text(c, hi->ranges[k].label);
    ent_html_td_num(c, hi->ranges[k].lo);
    ent_html_td_num(c, hi->ranges[k].hi);
    fmt_pct(b, sizeof b, hi->ranges[k].p);
    hf(c, "<td class=\"n\">%s</td></tr>\n", b);
  }
  h(c, "</tbody></table><table><thead><tr>");
  if (is->bands)
    h(c, "<th class=\"n\">5%</th><th class=\"n\">25%</th><th class=\"n\">median</th>"
         "<th class=\"n\">75%</th><th class=\"n\">95%</th><th class=\"n\">mean</th>");
  else
    h(c, "<th class=\"n\">forecast (median)</th><th class=\"n\">mean</th>");
  if (is->has_base)
    h(c, "<th class=\"n\">baseline median</th><th class=\"n\">baseline mean</th>");
  h(c, "</tr></thead><tbody><tr>");
  if (is->bands)
    for (int j = 0; j < ENT_NQ; j++) ent_html_td_num(c, is->outcome.q[j]);
  else
    ent_html_td_num(c, is->outcome.q[2]);
  ent_html_td_num(c, is->outcome.mean);
  if (is->has_base) {
    ent_html_td_num(c, is->base_median);
    ent_html_td_num(c, is->base_mean);
  }
  h(c, "</tr></tbody></table></details>\n");
}

static void issue_chart(ent_html *c, const ent_html_issue *hi) {
  const ent_result_issue *is = hi->is;
  const ent_result_prov *p = &c->r->prov;
  char b[64], b2[64], b3[128];
  double *blo = ent_arena_array(&c->A, hi->n_ranges, sizeof(double));
  double *bhi = ent_arena_array(&c->A, hi->n_ranges, sizeof(double));
  double *sh = ent_arena_array(&c->A, hi->n_ranges, sizeof(double));
  if (!blo || !bhi || !sh) {
    c->st = ENT_ENOMEM;
    return;
  }
  for (size_t k = 0; k < hi->n_ranges; k++) {
    blo[k] = hi->ranges[k].lo;
    bhi[k] = hi->ranges[k].hi;
    sh[k] = hi->ranges[k].p;
  }
  ent_chart_mark mk[3];
  size_t nm = 0;
  mk[nm].at = is->outcome.q[2];
  mk[nm++].label = c->single ? "forecast (the run)" : "median of the runs";
  if (is->has_base) {
    mk[nm].at = is->base_median;
    mk[nm++].label = "baseline: weighted median of the starting positions";
    mk[nm].at = is->base_mean;
    mk[nm++].label = "baseline: weighted mean";
  }
  char xl[240];
  fmt_val(b, sizeof b, is->lo);
  fmt_val(b2, sizeof b2, is->hi);
  if (p->has_time)
    snprintf(xl, sizeof xl, "outcome on the question's scale (%s to %s), %d", b, b2,
             p->end);
  else
    snprintf(xl, sizeof xl, "outcome on the question's scale (%s to %s)", b, b2);
  ent_chart_hist_spec hs = {is->question, xl, is->lo, is->hi, blo, bhi, sh,
                            hi->n_ranges, hi->anchors, is->n_anchors, mk, nm};
  int w, hh;
  ent_chart_histogram_size(&hs, &w, &hh);
  char base[120];
  snprintf(base, sizeof base, "hist-%s", is->id);
  ent_strbuf cap;
  ent_strbuf_init(&cap);
  ent_strbuf_printf(&cap, "Share of %s in each labelled range of ",
                    ent_html_runs_phrase(c, b3, sizeof b3));
  ent_strbuf_puts(&cap, "<code>");
  ent_html_escape(&cap, is->id);
  ent_strbuf_puts(&cap, "</code>");
  if (!hi->ranges_given && !c->single)
    ent_strbuf_puts(&cap, " (estimated from the outcome's quantiles: the "
                          "document gives no ranges)");
  ent_strbuf_puts(&cap, ".");
  ent_html_chart(c, base, hist_fn, &hs, w, hh, is->question,
                 cap.failed ? "" : cap.data);
  ent_strbuf_free(&cap);
}

void ent_html_section_issues(ent_html *c) {
  if (!c->n_issues) return;
  h(c, "<section id=\"issues\">\n<h2>Contested questions</h2>\n<p class=\"note\">"
       "Each chart shows how the runs' outcomes fall on the question's labelled "
       "scale; vertical lines mark the median of the runs and the baselines "
       "(weighted median and mean of the starting positions).</p>\n");
  for (size_t i = 0; i < c->n_issues && !c->st; i++) {
    const ent_html_issue *hi = &c->issues[i];
    const ent_result_issue *is = hi->is;
    hf(c, "<h3 id=\"issue-%zu\">", i + 1);
    esc(c, is->question);
    h(c, " <code>");
    esc(c, is->id);
    h(c, "</code></h3>\n");
    if (!is->has_outcome || !hi->n_ranges) {
      h(c, "<p class=\"note\">No outcome in the document.</p>\n");
      continue;
    }
    issue_chart(c, hi);
    issue_tables(c, hi);
  }
  h(c, "</section>\n");
}

/* ---------------------------------------------------------- relations */

static ent_status heat_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_heatmap(s, f, o);
}

void ent_html_section_relations(ent_html *c) {
  size_t n = c->n_actors, cap = c->cap_actors, with = 0;
  for (size_t i = 0; i < n * n && n; i++)
    if (c->rel_n[(i / n) * cap + i % n]) with++;
  if (n < 2 || !with) return;
  double *share = ent_arena_array(&c->A, n * n * ENT_HTML_NCLS, sizeof(double));
  if (!share) {
    c->st = ENT_ENOMEM;
    return;
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int cnt = c->rel_n[i * cap + j];
      for (int k = 0; k < ENT_HTML_NCLS; k++)
        share[(i * n + j) * ENT_HTML_NCLS + k] =
            cnt ? fmin(1.0, c->rel[(i * cap + j) * ENT_HTML_NCLS + k] / cnt) : 0.0;
    }
  h(c, "<section id=\"relations\">\n<h2>Relationships pair by pair</h2>\n"
       "<p class=\"note\">How each actor (row) stands toward each other actor "
       "(column) in the last bargaining round, over all the questions both take "
       "part in");
  if (!c->single) h(c, " and over all runs");
  h(c, ": conflict (one side expects to gain by confronting the other), "
       "compromise, capitulation, stalemate, or agreement (the same position).</p>\n");
  ent_chart_heat_spec hs = {"Relationships pair by pair (row actor toward column actor)",
                            c->actors, n, ent_names_class, ENT_HTML_NCLS, share};
  int w, hh;
  ent_chart_heatmap_size(&hs, &w, &hh);
  ent_html_chart(c, "relations", heat_fn, &hs, w, hh, "Relationship map",
                 "Share of each relationship class per ordered pair of actors; "
                 "grey: the two never meet on a question.");
  h(c, "<details open><summary>Table</summary><table><thead><tr><th>from</th>"
       "<th>to</th>");
  for (int k = 0; k < ENT_HTML_NCLS; k++)
    hf(c, "<th class=\"n\">%s</th>", ent_names_class[k]);
  h(c, "<th class=\"n\">observations</th></tr></thead><tbody>\n");
  char b[64];
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      int cnt = c->rel_n[i * cap + j];
      if (i == j || !cnt) continue;
      h(c, "<tr>");
      ent_html_td_text(c, c->actors[i]);
      ent_html_td_text(c, c->actors[j]);
      for (int k = 0; k < ENT_HTML_NCLS; k++) {
        fmt_pct(b, sizeof b, share[(i * n + j) * ENT_HTML_NCLS + k]);
        hf(c, "<td class=\"n\">%s</td>", b);
      }
      hf(c, "<td class=\"n\">%d</td></tr>\n", cnt);
    }
  h(c, "</tbody></table></details>\n</section>\n");
}

/* ---------------------------------------------------------- sensitivity */

static ent_status torn_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_tornado(s, f, o);
}

/* "the outcome of X in Y", "V E in Y" or "V E". */
static void output_name(const ent_result_sens_output *so, char *buf,
                        size_t size) {
  const char *v = so->variable ? so->variable : "";
  const char *e = so->entity ? so->entity : "";
  if (!strcmp(v, ENT_VNAME(ENT_VAR_ISSUE_FORECAST)) && so->has_year)
    snprintf(buf, size, "the outcome of %s in %d", e, so->year);
  else if (so->has_year) snprintf(buf, size, "%s %s in %d", v, e, so->year);
  else snprintf(buf, size, "%s %s", v, e);
}

void ent_html_section_sensitivity(ent_html *c) {
  if (!c->n_sens) return;
  const char *method = c->r->sens.method;
  int sobol = method && !strcmp(method, "sobol");
  h(c, "<section id=\"sensitivity\">\n<h2>What drives the forecast</h2>\n"
       "<p class=\"note\">Inputs ranked by how strongly the uncertain input "
       "moves each output (the 20 strongest are drawn).</p>\n");
  for (size_t k = 0; k < c->n_sens && !c->st; k++) {
    const ent_result_sens_output *s = c->sens[k];
    char out[200], ttl[260], xl[160], base[64], b[64];
    output_name(s, out, sizeof out);
    snprintf(ttl, sizeof ttl, "What moves %s", out);
    const char *mn = method ? method : "";
    if (!strcmp(mn, "src"))
      snprintf(xl, sizeof xl, "standardised regression coefficient (SRC)");
    else if (sobol)
      snprintf(xl, sizeof xl, "Sobol' total index");
    else
      snprintf(xl, sizeof xl, "sensitivity index%s%s", mn[0] ? ": " : "", mn);
    h(c, "<h3>");
    esc(c, ttl);
    h(c, "</h3>\n");
    const char **names = ent_arena_array(&c->A, s->n, sizeof *names);
    double *index = ent_arena_array(&c->A, s->n, sizeof *index);
    if (!names || !index) {
      c->st = ENT_ENOMEM;
      return;
    }
    for (size_t i = 0; i < s->n; i++) {
      names[i] = s->inputs[s->order[i]];
      index[i] = sobol ? s->total[s->order[i]] : s->index[s->order[i]];
    }
    ent_chart_tornado_spec ts = {ttl, xl, names, index, s->n};
    int w, hh;
    ent_chart_tornado_size(&ts, &w, &hh);
    snprintf(base, sizeof base, "tornado-%zu", k + 1);
    ent_strbuf cap;
    ent_strbuf_init(&cap);
    ent_strbuf_puts(&cap, "Sensitivity of ");
    ent_html_escape(&cap, out);
    if (method) {
      ent_strbuf_puts(&cap, " (");
      ent_html_escape(&cap, method);
      ent_strbuf_puts(&cap, ")");
    }
    if (s->has_r2) {
      fmt_val(b, sizeof b, s->r2);
      ent_strbuf_printf(&cap, "; R\xC2\xB2 of the linear fit %s", b);
    }
    ent_strbuf_puts(&cap, ".");
    ent_html_chart(c, base, torn_fn, &ts, w, hh, ttl, cap.failed ? "" : cap.data);
    ent_strbuf_free(&cap);
    h(c, "<details open><summary>Table</summary><table><thead><tr><th>input</th>"
         "<th class=\"n\">index</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < s->n; i++) {
      h(c, "<tr>");
      ent_html_td_text(c, names[i]);
      ent_html_td_num(c, index[i]);
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table></details>\n");
  }
  h(c, "</section>\n");
}

/* ---------------------------------------------------------- series */

/* Observed history of (variable, entity) in the scenario, or NULL. */
static const ent_history *history_of(const ent_model *m, const char *var,
                                     const char *ent) {
  if (!m || !m->st) return NULL;
  for (size_t k = 0; k < m->st->n_history; k++) {
    const ent_history *hh = &m->st->history[k];
    if (!strcmp(hh->variable, var) && !strcmp(hh->entity, ent)) return hh;
  }
  return NULL;
}

/* The table under a fan chart: per year each line's median and bands,
 * and the observed value. */
static void fan_table(ent_html *c, const ent_result_series *s0,
                      const ent_chart_fan_line *lines, size_t nl,
                      char (*labels)[160]) {
  char b[64];
  h(c, "<details open><summary>Table</summary><table><thead><tr><th>year</th>");
  for (size_t i = 0; i < nl; i++) {
    h(c, "<th class=\"n\">");
    esc(c, labels[i]);
    if (c->single)
      h(c, "</th>");
    else
      h(c, " median</th><th class=\"n\">50% band</th><th class=\"n\">90% band</th>");
    if (lines[i].n_obs) h(c, "<th class=\"n\">observed</th>");
  }
  h(c, "</tr></thead><tbody>\n");
  for (size_t t = 0; t < s0->n; t++) {
    hf(c, "<tr><td>%d</td>", s0->years[t]);
    for (size_t i = 0; i < nl; i++) {
      ent_html_td_num(c, lines[i].q[2][t]);
      if (!c->single) {
        char lo[64], hi2[64];
        if (lines[i].q[0]) {
          fmt_val(lo, sizeof lo, lines[i].q[1][t]);
          fmt_val(hi2, sizeof hi2, lines[i].q[3][t]);
          hf(c, "<td class=\"n\">%s \xE2\x80\x93 %s</td>", lo, hi2);
          fmt_val(lo, sizeof lo, lines[i].q[0][t]);
          fmt_val(hi2, sizeof hi2, lines[i].q[4][t]);
          hf(c, "<td class=\"n\">%s \xE2\x80\x93 %s</td>", lo, hi2);
        } else {
          h(c, "<td class=\"n\">\xE2\x80\x94</td><td class=\"n\">\xE2\x80\x94</td>");
        }
      }
      if (lines[i].n_obs) {
        size_t k = 0;
        while (k < lines[i].n_obs && lines[i].obs_years[k] != s0->years[t]) k++;
        if (k < lines[i].n_obs) {
          fmt_val(b, sizeof b, lines[i].obs_values[k]);
          hf(c, "<td class=\"n\">%s</td>", b);
        } else {
          h(c, "<td class=\"n\"></td>");
        }
      }
    }
    h(c, "</tr>\n");
  }
  h(c, "</tbody></table></details>\n");
}

/* One fan chart line of series s (times f), with the observed history. */
static int fan_line(ent_html *c, const ent_result_series *s, double f,
                    ent_chart_fan_line *l) {
  size_t ny = s->n;
  for (int j = 0; j < ENT_NQ; j++) {
    if (!s->bands && j != 2) continue;
    double *q = ent_arena_array(&c->A, ny, sizeof(double));
    if (!q) return -1;
    for (size_t t = 0; t < ny; t++) q[t] = f * ent_html_sv(c, s, j, t);
    l->q[j] = q;
  }
  const ent_history *hh = history_of(c->m, s->variable, s->entity);
  if (hh && hh->n) {
    double *ov = ent_arena_array(&c->A, hh->n, sizeof(double));
    if (!ov) return -1;
    for (size_t k = 0; k < hh->n; k++) ov[k] = f * hh->values[k];
    l->obs_years = hh->years;
    l->obs_values = ov;
    l->n_obs = hh->n;
  }
  return 0;
}

/* One fan chart of up to four series of the same variable (equal years). */
static void fan_chart(ent_html *c, const char *base, const char *ttl,
                      const ent_result_series *const *ss, size_t n) {
  ent_chart_fan_line lines[ENT_CHART_MAX_LINES];
  char labels[ENT_CHART_MAX_LINES][160], unit[64], yl[160];
  double f = ent_html_unit(ss[0]->unit, unit, sizeof unit);
  size_t ny = ss[0]->n, nl = 0;
  const ent_var_info *vi = ent_names_var_find(ss[0]->variable);
  int issue = !strcmp(ss[0]->variable, ENT_VNAME(ENT_VAR_ISSUE_FORECAST));
  double yr[2] = {0.0, 100.0};
  const ent_result_issue *is = NULL;
  for (size_t i = 0; issue && i < c->n_issues; i++)
    if (!strcmp(c->issues[i].is->id, ss[0]->entity)) is = c->issues[i].is;
  if (is) {
    yr[0] = is->lo;
    yr[1] = is->hi;
  }
  if (issue)
    snprintf(yl, sizeof yl, "forecast on the question's scale");
  else
    snprintf(yl, sizeof yl, "%s%s%s", vi ? vi->axis : ss[0]->variable,
             unit[0] ? ", " : "", unit);
  for (size_t i = 0; i < n && nl < ENT_CHART_MAX_LINES; i++) {
    const ent_result_series *s = ss[i];
    if (s->n != ny || memcmp(s->years, ss[0]->years, ny * sizeof(int))) continue;
    ent_chart_fan_line *l = &lines[nl];
    memset(l, 0, sizeof *l);
    ent_html_entity(labels[nl], sizeof labels[nl], s->entity);
    l->label = labels[nl];
    if (fan_line(c, s, f, l)) {
      c->st = ENT_ENOMEM;
      return;
    }
    nl++;
  }
  char note[64] = "";
  if (!c->single && c->r->prov.has_runs)
    snprintf(note, sizeof note, "bands from %lu runs", c->r->prov.runs);
  ent_chart_fan_spec fs = {ttl, yl, ss[0]->years, ny, lines, nl, note,
                           issue && is ? yr : NULL};
  int w, hh;
  ent_chart_fan_size(&fs, &w, &hh);
  ent_strbuf cap;
  ent_strbuf_init(&cap);
  ent_strbuf_puts(&cap, "<code>");
  ent_html_escape(&cap, ss[0]->variable);
  ent_strbuf_puts(&cap, "</code>");
  for (size_t i = 0; i < nl; i++) {
    ent_strbuf_puts(&cap, i ? ", " : " of ");
    ent_html_escape(&cap, labels[i]);
  }
  if (unit[0]) {
    ent_strbuf_puts(&cap, ", in ");
    ent_html_escape(&cap, unit);
  }
  ent_strbuf_puts(&cap, c->single ? "; one run." : "; line: median of the runs, "
                                                   "bands: 50% and 90% of the runs.");
  int any_obs = 0;
  for (size_t i = 0; i < nl; i++) any_obs |= lines[i].n_obs > 0;
  if (any_obs) ent_strbuf_puts(&cap, " Points: observed values the scenario records.");
  ent_html_chart(c, base, ent_html_fan_fn, &fs, w, hh, ttl, cap.failed ? "" : cap.data);
  ent_strbuf_free(&cap);
  fan_table(c, ss[0], lines, nl, labels);
}

/* Entities to draw for a variable: all if at most four, else those of
 * the main pair, else the first two. */
static size_t pick_entities(ent_html *c, const char *var,
                            const ent_result_series **out) {
  const ent_result *r = c->r;
  size_t all = 0;
  for (size_t g = 0; g < r->n_series; g++)
    if (!strcmp(r->series[g].variable, var)) all++;
  size_t n = 0;
  if (all <= ENT_CHART_MAX_LINES) {
    for (size_t g = 0; g < r->n_series; g++)
      if (!strcmp(r->series[g].variable, var)) out[n++] = &r->series[g];
    return n;
  }
  if (c->main_a[0]) {
    char want[4][160];
    snprintf(want[0], sizeof want[0], "%s->%s", c->main_a, c->main_b);
    snprintf(want[1], sizeof want[1], "%s->%s", c->main_b, c->main_a);
    snprintf(want[2], sizeof want[2], "%s", c->main_a);
    snprintf(want[3], sizeof want[3], "%s", c->main_b);
    for (int k = 0; k < 4; k++) {
      const ent_result_series *s = ent_html_series(c, var, want[k]);
      if (s) out[n++] = s;
    }
    if (n) return n;
  }
  for (size_t g = 0; g < r->n_series && n < 2; g++)
    if (!strcmp(r->series[g].variable, var)) out[n++] = &r->series[g];
  return n;
}

void ent_html_section_series(ent_html *c) {
  const ent_result *r = c->r;
  size_t nvar = 0;
  for (size_t g = 0; g < r->n_series; g++)
    if (!ent_html_is_issue_var(r->series[g].variable)) nvar++;
  if (!nvar) return;
  h(c, "<section id=\"series\">\n<h2>Year by year</h2>\n<p class=\"note\">");
  if (c->single) h(c, "The run's value of each variable, year by year");
  else h(c, "Fan charts: the median of the runs (line) and the bands that hold "
            "50% and 90% of them");
  h(c, "; points are observed values the scenario records (docs/variables.md "
       "defines every variable).");
  if (c->main_a[0]) {
    h(c, " Variables with many entities are shown for the main pair, ");
    esc(c, c->main_a);
    h(c, " and ");
    esc(c, c->main_b);
    h(c, "; every value is in the CSV output.");
  }
  h(c, "</p>\n");
  for (int grp = 0; grp < ENT_VGROUPS && !c->st; grp++) {
    int opened = 0;
    for (size_t g = 0; g < r->n_series && !c->st; g++) {
      const ent_result_series *s = &r->series[g];
      const ent_var_info *vi = ent_names_var_find(s->variable);
      int sg = vi ? (int)vi->group : ENT_VGROUP_OTHER;
      if (sg != grp || ent_html_is_issue_var(s->variable)) continue;
      /* first appearance of this variable */
      int seen = 0;
      for (size_t k = 0; k < g; k++)
        if (!strcmp(r->series[k].variable, s->variable)) seen = 1;
      if (seen) continue;
      if (!opened) {
        hf(c, "<h3>%s</h3>\n", ent_names_vgroup_title[grp]);
        opened = 1;
      }
      const ent_result_series *ss[ENT_CHART_MAX_LINES];
      size_t n = pick_entities(c, s->variable, ss);
      if (!n) continue;
      char base[120];
      snprintf(base, sizeof base, "fan-%s", s->variable);
      fan_chart(c, base, vi ? vi->title : s->variable, ss, n);
    }
  }
  h(c, "</section>\n");
}

void ent_html_section_issue_time(ent_html *c) {
  const ent_result *r = c->r;
  const char *fc = ENT_VNAME(ENT_VAR_ISSUE_FORECAST);
  size_t n = 0;
  for (size_t g = 0; g < r->n_series; g++)
    if (!strcmp(r->series[g].variable, fc) && r->series[g].n > 1) n++;
  if (!n) return;
  h(c, "<section id=\"issues-over-time\">\n<h2>The questions year by year</h2>\n"
       "<p class=\"note\">The forecast of each question (the weighted median "
       "after that year's bargaining) as the structure moves.</p>\n");
  for (size_t g = 0; g < r->n_series && !c->st; g++) {
    const ent_result_series *s = &r->series[g];
    if (strcmp(s->variable, fc) || s->n < 2) continue;
    const char *ttl = s->entity;
    for (size_t i = 0; i < c->n_issues; i++)
      if (!strcmp(c->issues[i].is->id, s->entity)) ttl = c->issues[i].is->question;
    char base[120];
    snprintf(base, sizeof base, "fan-issue-%s", s->entity);
    const ent_result_series *ss[1] = {s};
    fan_chart(c, base, ttl, ss, 1);
  }
  h(c, "</section>\n");
}

/* ---------------------------------------------------------- back-test */

/* The chart and table of one back-test series (the k-th, 1-based). */
static void backtest_series(ent_html *c, const ent_result_bt_series *s, int k) {
  size_t t = s->n;
  int *years = ent_arena_array(&c->A, t, sizeof(int));
  double *col[4]; /* model, persistence, trend, actual */
  for (int j = 0; j < 4; j++) col[j] = ent_arena_array(&c->A, t, sizeof(double));
  if (!years || !col[0] || !col[1] || !col[2] || !col[3]) {
    c->st = ENT_ENOMEM;
    return;
  }
  char unit[64], ttl[200], lab[160], yl[160], base[64];
  double f = ent_html_unit(s->unit, unit, sizeof unit);
  int has_trend = s->has_trend;
  for (size_t q = 0; q < t; q++) {
    years[q] = s->years[q];
    col[0][q] = f * s->model[q];
    col[1][q] = f * s->persist[q];
    col[2][q] = has_trend ? f * s->trend[q] : 0.0;
    col[3][q] = f * s->actual[q];
  }
  ent_html_entity(lab, sizeof lab, s->entity);
  const ent_var_info *vi = ent_names_var_find(s->variable);
  snprintf(ttl, sizeof ttl, "Back-test: %s, %s", vi ? vi->title : s->variable, lab);
  snprintf(yl, sizeof yl, "%s%s%s", vi ? vi->axis : s->variable, unit[0] ? ", " : "",
           unit);
  /* an exploding trend must not flatten the rest: clip it */
  double top = 0.0, ttop = 0.0;
  for (size_t q = 0; q < t; q++) {
    top = fmax(top, fmax(col[0][q], fmax(col[1][q], col[3][q])));
    if (has_trend) ttop = fmax(ttop, col[2][q]);
  }
  double unit_step = top > 0.0 ? 0.5 * pow(10.0, floor(log10(1.5 * top))) : 1.0;
  double yr[2] = {0.0, ceil(1.5 * top / unit_step) * unit_step};
  int clip = has_trend && top > 0.0 && ttop > yr[1];
  ent_chart_fan_line lines[3];
  memset(lines, 0, sizeof lines);
  lines[0].label = "model";
  lines[0].q[2] = col[0];
  lines[0].obs_years = years;
  lines[0].obs_values = col[3];
  lines[0].n_obs = t;
  lines[0].obs_label = "actual (observed)";
  lines[1].label = "persistence";
  lines[1].q[2] = col[1];
  lines[2].label = "trend";
  lines[2].q[2] = col[2];
  ent_chart_fan_spec fs = {ttl, yl, years, t, lines, has_trend ? 3u : 2u, NULL,
                           clip ? yr : NULL};
  int w, hgt;
  ent_chart_fan_size(&fs, &w, &hgt);
  snprintf(base, sizeof base, "backtest-%d", k);
  h(c, "<h3>");
  esc(c, ttl);
  h(c, "</h3>\n");
  char m1[64], m2[64], m3[64] = "\xE2\x80\x94";
  fmt_val(m1, sizeof m1, s->mape_model);
  fmt_val(m2, sizeof m2, s->mape_persist);
  if (has_trend) fmt_val(m3, sizeof m3, s->mape_trend);
  char m4[64] = "\xE2\x80\x94";
  if (s->has_drift) fmt_val(m4, sizeof m4, s->mape_drift);
  char cap[480];
  snprintf(cap, sizeof cap, "Model against the observed values; MAPE: model %s%%, "
                            "persistence %s%%, random walk with drift %s%%, "
                            "trend %s%%; bias (model/actual) %.2f.%s", m1, m2,
           m4, m3, s->bias_model,
           clip ? " The trend leaves the chart at the top." : "");
  ent_html_chart(c, base, ent_html_fan_fn, &fs, w, hgt, ttl, cap);
  h(c, "<details open><summary>Table</summary><table><thead><tr><th>year</th>"
       "<th class=\"n\">actual</th><th class=\"n\">model</th><th class=\"n\">"
       "error</th><th class=\"n\">persistence</th><th class=\"n\">drift</th>"
       "<th class=\"n\">trend</th></tr></thead><tbody>\n");
  for (size_t q = 0; q < t; q++) {
    hf(c, "<tr><td>%d</td>", years[q]);
    ent_html_td_num(c, col[3][q]);
    ent_html_td_num(c, col[0][q]);
    double e = col[3][q] != 0.0 ? 100.0 * (col[0][q] - col[3][q]) / col[3][q] : 0.0;
    hf(c, "<td class=\"n\">%+.1f%%</td>", e);
    ent_html_td_num(c, col[1][q]);
    if (s->has_drift) ent_html_td_num(c, f * s->drift[q]);
    else h(c, "<td class=\"n\">\xE2\x80\x94</td>");
    if (has_trend) ent_html_td_num(c, col[2][q]);
    else h(c, "<td class=\"n\">\xE2\x80\x94</td>");
    h(c, "</tr>\n");
  }
  hf(c, "<tr><th>MAPE</th><td></td><td class=\"n\">%s%%</td><td></td>"
        "<td class=\"n\">%s%%</td><td class=\"n\">%s%%</td><td class=\"n\">"
        "%s%%</td></tr>\n", m1, m2, m4, m3);
  h(c, "</tbody></table></details>\n");
  h(c, "<p class=\"note\">Observed: ");
  esc(c, s->source ? s->source : "");
  h(c, "</p>\n");
}

void ent_html_section_backtest(ent_html *c) {
  h(c, "<section id=\"backtest\">\n<h2>Back-test</h2>\n");
  if (!c->bt) {
    h(c, "<p class=\"note\">No back-test in this report (docs/backtest.md; "
         "<code>entente backtest</code>).</p>\n</section>\n");
    return;
  }
  h(c, "<p class=\"note\">The model run from the base-year data of scenario <code>");
  esc(c, c->bt->prov.scenario_id);
  hf(c, "</code> (%d) with only the shocks known then, against what was observed; "
        "MAPE is the mean absolute percentage error, beside three naive "
        "forecasts: persistence (the last observed value at or before the base "
        "year), a random walk with drift and the log-linear trend, both "
        "estimated on the years up to the base year (docs/backtest.md).</p>\n",
     c->bt->prov.start);
  int k = 0;
  for (size_t i = 0; i < c->bt->n_bt && !c->st && k < 6; i++) {
    if (!c->bt->bt[i].n) continue;
    backtest_series(c, &c->bt->bt[i], ++k);
  }
  h(c, "</section>\n");
}
