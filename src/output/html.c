/*
 * html.c -- the report of a run or a forecast: charts and report.html
 * (contract in html.h; what the report shows: docs/report.md).  This file
 * holds the renderer's state and what it derives from the result, the
 * charts as files and <figure>s, the page's frame (head, contents, foot)
 * and "how this forecast was made"; the sections are in html_sections.c
 * and html_assumptions.c (html_int.h lists the files).
 *
 * What the report derives, not the result:
 *   - labelled ranges of an issue the result gives none for: each anchor
 *     owns the stretch of the scale nearer to it than to any other
 *     (without anchors, five equal ranges); their shares are estimated
 *     from the outcome's quantiles (the CDF interpolated linearly);
 *   - the relationship map: per ordered pair of actors the mean share of
 *     each class over the issues both take part in (at most 64 actors:
 *     the result's, then the scenario's, then in order of appearance);
 *   - the main pair: the scenario's first report pair, else the first
 *     "A->B" entity of the series.
 *
 * Memory: everything derived lives in one arena; the files in the report.
 */
#include "output/html_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------- strings */

void ent_html_escape(ent_strbuf *b, const char *s) {
  if (!s) return;
  const char *run = s;
  for (; *s; s++) {
    const char *rep = NULL;
    switch (*s) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: break;
    }
    if (rep) {
      ent_strbuf_append(b, run, (size_t)(s - run));
      ent_strbuf_puts(b, rep);
      run = s + 1;
    }
  }
  ent_strbuf_append(b, run, (size_t)(s - run));
}

void ent_html_puts(ent_html *c, const char *s) { ent_strbuf_puts(&c->html, s); }
void ent_html_esc(ent_html *c, const char *s) { ent_html_escape(&c->html, s); }

void ent_html_printf(ent_html *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ent_strbuf_vprintf(&c->html, fmt, ap);
  va_end(ap);
}

void ent_html_fmt_val(char *buf, size_t size, double v) {
  double a = fabs(v);
  int dec = a >= 100.0 ? 0 : a >= 10.0 ? 1 : a >= 1.0 ? 2 : a >= 0.01 ? 3 : 4;
  if (a == 0.0) v = 0.0;
  char raw[64];
  if (a != 0.0 && a < 0.0001) snprintf(raw, sizeof raw, "%.2e", v);
  else snprintf(raw, sizeof raw, "%.*f", dec, v);
  char *dot = strchr(raw, '.');
  if (dot && !strchr(raw, 'e')) {
    char *e = raw + strlen(raw) - 1;
    while (e > dot && *e == '0') *e-- = '\0';
    if (e == dot) *e = '\0';
  }
  if (!strcmp(raw, "-0")) strcpy(raw, "0");
  /* thousands separators */
  const char *digits = raw[0] == '-' ? raw + 1 : raw;
  size_t ilen = strcspn(digits, ".e");
  if (ilen <= 4) {
    snprintf(buf, size, "%s", raw);
    return;
  }
  char out[96];
  size_t o = 0;
  if (raw[0] == '-') out[o++] = '-';
  for (size_t i = 0; i < ilen && o < sizeof out - 2; i++) {
    out[o++] = digits[i];
    size_t left = ilen - i - 1;
    if (left && left % 3 == 0) out[o++] = ',';
  }
  snprintf(out + o, sizeof out - o, "%s", digits + ilen);
  snprintf(buf, size, "%s", out);
}

void ent_html_fmt_pct(char *buf, size_t size, double p) {
  if (p > 0.0 && p < 0.005) snprintf(buf, size, "&lt;1%%");
  else if (p < 1.0 && p > 0.995) snprintf(buf, size, "&gt;99%%");
  else snprintf(buf, size, "%.0f%%", 100.0 * p);
}

double ent_html_unit(const char *unit, char *buf, size_t size) {
  if (unit && !strncmp(unit, "share", 5)) {
    snprintf(buf, size, "%%%s", unit + 5);
    return 100.0;
  }
  snprintf(buf, size, "%s", unit ? unit : "");
  return 1.0;
}

void ent_html_entity(char *buf, size_t size, const char *e) {
  const char *both = strstr(e, "<->"), *arrow = strstr(e, "->");
  if (both)
    snprintf(buf, size, "%.*s \xE2\x86\x94 %s", (int)(both - e), e, both + 3);
  else if (arrow)
    snprintf(buf, size, "%.*s \xE2\x86\x92 %s", (int)(arrow - e), e, arrow + 2);
  else
    snprintf(buf, size, "%s", e);
}

/* File-name-safe copy of s. */
static void safe_name(char *buf, size_t size, const char *s) {
  size_t o = 0;
  for (; *s && o + 1 < size; s++) {
    char ch = *s;
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    buf[o++] = ok ? ch : '_';
  }
  buf[o] = '\0';
}

void ent_html_td_num(ent_html *c, double v) {
  char b[64];
  ent_html_fmt_val(b, sizeof b, v);
  ent_html_printf(c, "<td class=\"n\">%s</td>", b);
}

void ent_html_td_text(ent_html *c, const char *s) {
  ent_html_puts(c, "<td>");
  ent_html_esc(c, s ? s : "");
  ent_html_puts(c, "</td>");
}

void ent_html_td_why(ent_html *c, const char *s) {
  ent_html_puts(c, "<td class=\"why\">");
  if (s) ent_html_esc(c, s);
  else ent_html_puts(c, "<em>no rationale given</em>");
  ent_html_puts(c, "</td>");
}

const char *ent_html_runs_phrase(const ent_html *c, char *buf, size_t size) {
  if (c->single) snprintf(buf, size, "a single run");
  else if (c->r->prov.has_runs) snprintf(buf, size, "%lu runs", c->r->prov.runs);
  else snprintf(buf, size, "the runs");
  return buf;
}

/* ------------------------------------------------------------ lookups */

const ent_result_series *ent_html_series(const ent_html *c, const char *var,
                                         const char *ent) {
  for (size_t g = 0; g < c->r->n_series; g++)
    if (!strcmp(c->r->series[g].variable, var) && !strcmp(c->r->series[g].entity, ent))
      return &c->r->series[g];
  return NULL;
}

double ent_html_sv(const ent_html *c, const ent_result_series *s, int j,
                   size_t t) {
  const ent_result_cell *cl = &c->r->cells[s->cells[t]];
  return j < ENT_NQ ? cl->st.q[j] : cl->st.mean;
}

int ent_html_is_issue_var(const char *v) {
  return !strcmp(v, ENT_VNAME(ENT_VAR_ISSUE_FORECAST)) ||
         !strcmp(v, ENT_VNAME(ENT_VAR_ISSUE_MEAN));
}

/* ------------------------------------------------------ output files */

static void add_file(ent_html *c, const char *name, const void *data,
                     size_t len) {
  if (c->st) return;
  ent_report *r = c->out;
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 32;
    ent_report_file *f = ent_realloc(r->files, cap * sizeof *f);
    if (!f) {
      c->st = ENT_ENOMEM;
      return;
    }
    r->files = f;
    r->cap = cap;
  }
  ent_report_file *f = &r->files[r->n];
  f->name = ent_strdup(name);
  f->data = ent_malloc(len ? len : 1);
  if (!f->name || !f->data) {
    ent_free(f->name);
    ent_free(f->data);
    c->st = ENT_ENOMEM;
    return;
  }
  if (len) memcpy(f->data, data, len);
  f->len = len;
  r->n++;
}

static int file_exists(const ent_html *c, const char *name) {
  for (size_t i = 0; i < c->out->n; i++)
    if (!strcmp(c->out->files[i].name, name)) return 1;
  return 0;
}

ent_status ent_html_fan_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_fan(s, f, o);
}

void ent_html_chart(ent_html *c, const char *base, ent_html_chart_fn fn,
                    const void *spec, int w, int h, const char *alt,
                    const char *caption) {
  if (c->st) return;
  char name[160], stem[140];
  safe_name(stem, sizeof stem, base);
  snprintf(name, sizeof name, "%s.svg", stem);
  for (int k = 2; file_exists(c, name) && k < 1000; k++) {
    char tmp[140];
    snprintf(tmp, sizeof tmp, "%.120s-%d", stem, k);
    snprintf(stem, sizeof stem, "%s", tmp);
    snprintf(name, sizeof name, "%s.svg", stem);
  }
  ent_strbuf svg, png;
  ent_strbuf_init(&svg);
  ent_strbuf_init(&png);
  ent_status st = fn(spec, ENT_CHART_SVG, &svg);
  if (st == ENT_OK) st = fn(spec, ENT_CHART_PNG, &png);
  if (st != ENT_OK) {
    c->st = st == ENT_EINVAL ? ENT_EINTERNAL : st; /* specs are built here */
  } else {
    add_file(c, name, svg.data, svg.len);
    snprintf(name, sizeof name, "%s.png", stem);
    add_file(c, name, png.data, png.len);
    ent_strbuf *b = &c->html;
    ent_strbuf_printf(b, "<figure class=\"chart\" id=\"fig-%s\" data-chart=\"%s\">\n"
                         "<img width=\"%d\" height=\"%d\" alt=\"", stem, stem, w, h);
    ent_html_escape(b, alt);
    ent_strbuf_puts(b, "\" src=\"data:image/svg+xml;base64,");
    ent_base64_append(b, (const unsigned char *)svg.data, svg.len);
    ent_strbuf_puts(b, "\">\n<figcaption>");
    ent_strbuf_puts(b, caption ? caption : "");
    ent_strbuf_printf(b, " <span class=\"files\">Files: <code>%s.svg</code>, "
                         "<code>%s.png</code></span></figcaption>\n</figure>\n",
                      stem, stem);
    c->n_charts++;
  }
  ent_strbuf_free(&svg);
  ent_strbuf_free(&png);
}

/* ------------------------------------------------------ derived parts */

/* Probability that an outcome lies below x when all we know are the
 * quantiles: the CDF interpolated linearly between (lo, 0), the quantiles
 * and (hi, 1). */
static double cdf_interp(const ent_result_issue *is, double x) {
  static const double P[7] = {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0};
  const double *q = is->outcome.q;
  double X[7] = {is->lo, q[0], q[1], q[2], q[3], q[4], is->hi};
  if (x <= X[0]) return 0.0;
  if (x >= X[6]) return 1.0;
  for (int k = 1; k < 7; k++)
    if (x <= X[k]) {
      double w = X[k] - X[k - 1];
      return w > 0.0 ? P[k - 1] + (P[k] - P[k - 1]) * (x - X[k - 1]) / w : P[k];
    }
  return 1.0;
}

/* Ranges from the anchors (see the top of this file). */
static void derive_ranges(ent_html *c, ent_html_issue *hi) {
  const ent_result_issue *is = hi->is;
  size_t n = is->n_anchors ? is->n_anchors : 5;
  ent_result_range *rg = ent_arena_array(&c->A, n, sizeof *rg);
  if (!rg) {
    c->st = ENT_ENOMEM;
    return;
  }
  for (size_t k = 0; k < n; k++) {
    ent_result_range *r = &rg[k];
    if (is->n_anchors) {
      r->lo = k == 0 ? is->lo : 0.5 * (is->anchors[k - 1].at + is->anchors[k].at);
      r->hi = k + 1 == n ? is->hi : 0.5 * (is->anchors[k].at + is->anchors[k + 1].at);
      r->label = is->anchors[k].label;
    } else {
      r->lo = is->lo + (is->hi - is->lo) * (double)k / 5.0;
      r->hi = is->lo + (is->hi - is->lo) * (double)(k + 1) / 5.0;
      char buf[80], a[32], b[32];
      ent_html_fmt_val(a, sizeof a, r->lo);
      ent_html_fmt_val(b, sizeof b, r->hi);
      snprintf(buf, sizeof buf, "%s to %s", a, b);
      r->label = ent_arena_strdup(&c->A, buf);
    }
    double med = is->outcome.q[ENT_Q_MEDIAN];
    if (!is->has_outcome) r->p = 0.0;
    else if (!is->bands)
      r->p = (med >= r->lo && (med < r->hi || k + 1 == n)) ? 1.0 : 0.0;
    else
      r->p = cdf_interp(is, r->hi) - cdf_interp(is, r->lo);
  }
  hi->ranges = rg;
  hi->n_ranges = n;
}

static void derive_issues(ent_html *c) {
  c->n_issues = c->r->n_issues;
  c->issues = ent_arena_array(&c->A, c->n_issues ? c->n_issues : 1, sizeof *c->issues);
  if (!c->issues) {
    c->st = ENT_ENOMEM;
    return;
  }
  for (size_t i = 0; i < c->n_issues && !c->st; i++) {
    ent_html_issue *hi = &c->issues[i];
    const ent_result_issue *is = hi->is = &c->r->issues[i];
    hi->anchors = ent_arena_array(&c->A, is->n_anchors ? is->n_anchors : 1,
                                  sizeof *hi->anchors);
    if (!hi->anchors) {
      c->st = ENT_ENOMEM;
      return;
    }
    for (size_t k = 0; k < is->n_anchors; k++) {
      hi->anchors[k].at = is->anchors[k].at;
      hi->anchors[k].label = is->anchors[k].label;
    }
    if (is->n_ranges) {
      hi->ranges = is->ranges;
      hi->n_ranges = is->n_ranges;
      hi->ranges_given = 1;
    } else {
      derive_ranges(c, hi);
    }
  }
}

static size_t actor_index(ent_html *c, const char *id, int add) {
  for (size_t i = 0; i < c->n_actors; i++)
    if (!strcmp(c->actors[i], id)) return i;
  if (!add || c->n_actors >= c->cap_actors) return (size_t)-1;
  c->actors[c->n_actors] = id;
  return c->n_actors++;
}

/* The relationship map over the issues (see the top of this file). */
static void derive_relations(ent_html *c) {
  const ent_result *r = c->r;
  size_t cap = r->n_actors + (c->m ? c->m->n_actors : 0);
  for (size_t i = 0; i < r->n_issues; i++) cap += 2 * r->issues[i].n_relations;
  if (cap > 64) cap = 64; /* the heat map's limit */
  if (cap < 2) cap = 2;
  c->cap_actors = cap;
  c->actors = ent_arena_array(&c->A, cap, sizeof *c->actors);
  c->rel = ent_arena_array(&c->A, cap * cap * ENT_HTML_NCLS, sizeof *c->rel);
  c->rel_n = ent_arena_array(&c->A, cap * cap, sizeof *c->rel_n);
  if (!c->actors || !c->rel || !c->rel_n) {
    c->st = ENT_ENOMEM;
    return;
  }
  for (size_t i = 0; i < r->n_actors; i++) actor_index(c, r->actors[i].id, 1);
  for (size_t i = 0; c->m && i < c->m->n_actors; i++)
    actor_index(c, c->m->actors[i].id, 1);
  for (size_t i = 0; i < r->n_issues; i++)
    for (size_t k = 0; k < r->issues[i].n_relations; k++) {
      const ent_result_relation *rl = &r->issues[i].relations[k];
      if (rl->cls == ENT_CLASS_NONE) continue; /* no round played */
      size_t a = actor_index(c, rl->from, 1), b = actor_index(c, rl->to, 1);
      if (a == (size_t)-1 || b == (size_t)-1 || a == b) continue;
      for (int q = 0; q < ENT_HTML_NCLS; q++)
        c->rel[(a * cap + b) * ENT_HTML_NCLS + q] += rl->share[q];
      c->rel_n[a * cap + b]++;
    }
}

static void derive(ent_html *c) {
  const ent_result *r = c->r;
  const ent_result_prov *p = &r->prov;
  c->sc_id = p->scenario_id;
  c->sc_title = p->scenario_title;
  c->made = p->created    ? p->created
            : p->finished ? p->finished
            : p->started  ? p->started
            : p->store_started && p->store_started[0] ? p->store_started
                                                     : NULL;
  if (p->seed_text) snprintf(c->seed, sizeof c->seed, "%s", p->seed_text);
  else if (p->has_seed) snprintf(c->seed, sizeof c->seed, "%llu", p->seed);
  int bands = 0;
  if (r->n_series) {
    for (size_t k = 0; k < r->n_cells; k++) bands |= r->cells[k].bands;
    c->single = !bands;
  } else if (r->n_issues) {
    for (size_t i = 0; i < r->n_issues; i++) bands |= r->issues[i].bands;
    c->single = !bands;
  } else {
    c->single = !p->has_runs;
  }
  derive_issues(c);
  if (!c->st) derive_relations(c);
  for (size_t k = 0; k < r->sens.n_outputs && c->n_sens < ENT_HTML_MAX_SENS; k++)
    if (r->sens.outputs[k].n) c->sens[c->n_sens++] = &r->sens.outputs[k];
  /* the main pair */
  if (c->m && c->m->n_pairs) {
    snprintf(c->main_a, sizeof c->main_a, "%s", c->m->actors[c->m->pairs[0][0]].id);
    snprintf(c->main_b, sizeof c->main_b, "%s", c->m->actors[c->m->pairs[0][1]].id);
    return;
  }
  for (size_t g = 0; g < r->n_series; g++) {
    const char *e = r->series[g].entity, *arrow = strstr(e, "->");
    if (arrow) {
      snprintf(c->main_a, sizeof c->main_a, "%.*s", (int)(arrow - e), e);
      snprintf(c->main_b, sizeof c->main_b, "%s", arrow + 2);
      return;
    }
  }
}

/* ------------------------------------------------------------- frame */

static void method_num(ent_html *c, const char *key, double v) {
  char b[64];
  ent_html_fmt_val(b, sizeof b, v);
  ent_html_puts(c, "<tr><th>");
  ent_html_esc(c, key);
  ent_html_printf(c, "</th><td>%s</td></tr>\n", b);
}

static void method_str(ent_html *c, const char *key, const char *v) {
  if (!v) return;
  ent_html_puts(c, "<tr><th>");
  ent_html_esc(c, key);
  ent_html_puts(c, "</th><td>");
  ent_html_esc(c, v);
  ent_html_puts(c, "</td></tr>\n");
}

/* The forecast's own records, in the order of its document. */
static void method_records(ent_html *c) {
  const ent_result_prov *p = &c->r->prov;
  method_str(c, "design", p->design);
  if (p->has_done) method_num(c, "done", (double)p->done);
  if (p->has_complete) method_str(c, "complete", p->complete ? "true" : "false");
  if (p->has_samples) method_num(c, "samples", (double)p->samples);
  if (p->has_failed) method_num(c, "failed", (double)p->failed);
  method_str(c, "first_failure", p->first_failure);
  method_str(c, "quantiles.method", p->qmethod);
  if (p->has_sketch) {
    method_num(c, "quantiles.k", (double)p->qk);
    method_num(c, "quantiles.levels", (double)p->qlevels);
    method_num(c, "quantiles.rank_error", p->qrank_error);
  }
  if (c->r->sens.present) {
    method_str(c, "sensitivity.method", c->r->sens.method);
    method_str(c, "sensitivity.about", c->r->sens.about);
    method_str(c, "sensitivity.note", c->r->sens.note);
  }
}

static void section_method(ent_html *c) {
  const ent_result_prov *p = &c->r->prov;
  ent_html_puts(c, "<section id=\"method\">\n<h2>How this forecast was made</h2>\n"
                   "<table><tbody>\n");
  ent_html_puts(c, "<tr><th>scenario</th><td><code>");
  ent_html_esc(c, c->sc_id ? c->sc_id : "?");
  ent_html_puts(c, "</code>");
  if (p->scenario_source) {
    ent_html_puts(c, " (");
    ent_html_esc(c, p->scenario_source);
    ent_html_puts(c, ")");
  }
  ent_html_puts(c, "</td></tr>\n<tr><th>result document</th><td><code>");
  ent_html_esc(c, c->name);
  ent_html_puts(c, "</code></td></tr>\n");
  if (p->has_store) {
    ent_html_printf(c, "<tr><th>run store</th><td>run %lld", p->store_id);
    if (p->store_status) {
      ent_html_puts(c, " (");
      ent_html_esc(c, p->store_status);
      ent_html_puts(c, ")");
    }
    ent_html_puts(c, "</td></tr>\n");
  }
  ent_html_printf(c, "<tr><th>kind</th><td>%s</td></tr>\n",
                  c->single ? "a single deterministic run (entente run)"
                            : "a Monte Carlo ensemble (entente forecast)");
  if (p->has_runs)
    ent_html_printf(c, "<tr><th>runs (members)</th><td>%lu</td></tr>\n", p->runs);
  if (c->seed[0]) {
    ent_html_puts(c, "<tr><th>seed</th><td>");
    ent_html_esc(c, c->seed);
    ent_html_puts(c, "</td></tr>\n");
  }
  ent_html_puts(c, "<tr><th>entente version</th><td>");
  ent_html_esc(c, p->version ? p->version : "not recorded");
  ent_html_puts(c, "</td></tr>\n<tr><th>made</th><td>");
  ent_html_esc(c, c->made ? c->made : "not recorded in the document");
  ent_html_puts(c, "</td></tr>\n");
  if (p->has_time)
    ent_html_printf(c, "<tr><th>years</th><td>%d\xE2\x80\x93%d</td></tr>\n",
                    p->start, p->end);
  method_records(c);
  ent_html_printf(c, "<tr><th>report made by</th><td>entente %s (<code>entente "
                     "report</code>)</td></tr>\n", ENT_VERSION);
  ent_html_puts(c, "</tbody></table>\n<p class=\"note\">Models: expected-utility "
                   "bargaining (Bueno de Mesquita; Scholz et al. 2011), GE "
                   "structural gravity for trade, indicators of dependence "
                   "(docs/models/). The tidy CSV of the same result (<code>"
                   "--format csv</code>) loads with <code>read.csv</code> and "
                   "<code>pandas.read_csv</code> (docs/r-and-python.md).</p>\n"
                   "</section>\n");
}

/* The sections the contents list (those the report will have). */
static void contents(ent_html *c) {
  const ent_result *r = c->r;
  ent_html_puts(c, "</p>\n</header>\n<nav aria-label=\"contents\"><ol>\n"
                   "<li><a href=\"#headline\">The forecast in words</a></li>\n");
  if (c->n_issues)
    ent_html_puts(c, "<li><a href=\"#issues\">Contested questions</a></li>\n");
  int rel = 0;
  for (size_t i = 0; c->rel_n && i < c->cap_actors * c->cap_actors; i++)
    rel |= c->rel_n[i] > 0;
  if (rel)
    ent_html_puts(c, "<li><a href=\"#relations\">Relationships pair by pair</a></li>\n");
  if (c->n_sens)
    ent_html_puts(c, "<li><a href=\"#sensitivity\">What drives the forecast</a></li>\n");
  int ser = 0, iser = 0;
  for (size_t g = 0; g < r->n_series; g++) {
    if (!ent_html_is_issue_var(r->series[g].variable)) ser = 1;
    else if (!strcmp(r->series[g].variable, ENT_VNAME(ENT_VAR_ISSUE_FORECAST)) &&
             r->series[g].n > 1)
      iser = 1;
  }
  if (ser) ent_html_puts(c, "<li><a href=\"#series\">Year by year</a></li>\n");
  if (iser)
    ent_html_puts(c, "<li><a href=\"#issues-over-time\">The questions year by "
                     "year</a></li>\n");
  ent_html_puts(c, "<li><a href=\"#backtest\">Back-test</a></li>\n"
                   "<li><a href=\"#assumptions\">Assumptions</a></li>\n"
                   "<li><a href=\"#method\">How this forecast was made</a></li>\n"
                   "</ol></nav>\n<main>\n");
}

static void html_head(ent_html *c) {
  const ent_result_prov *p = &c->r->prov;
  char b[64];
  ent_html_puts(c, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "img-src data:; style-src 'unsafe-inline'\">\n"
                   "<meta name=\"generator\" content=\"entente " ENT_VERSION "\">\n"
                   "<link rel=\"icon\" href=\"data:,\">\n<title>");
  ent_html_esc(c, c->sc_title ? c->sc_title : c->sc_id ? c->sc_id : "entente report");
  ent_html_puts(c, " \xE2\x80\x94 entente report</title>\n<style>\n");
  ent_html_puts(c, ent_html_css);
  ent_html_puts(c, "</style>\n</head>\n<body>\n<header>\n<p class=\"kicker\">");
  ent_html_puts(c, c->single ? "entente \xC2\xB7 one run" : "entente \xC2\xB7 forecast");
  ent_html_puts(c, "</p>\n<h1>");
  ent_html_esc(c, c->sc_title ? c->sc_title : c->sc_id ? c->sc_id : "Forecast");
  ent_html_puts(c, "</h1>\n<p class=\"meta\">Scenario <code>");
  ent_html_esc(c, c->sc_id ? c->sc_id : "?");
  ent_html_printf(c, "</code> \xC2\xB7 %s", ent_html_runs_phrase(c, b, sizeof b));
  if (c->seed[0]) {
    ent_html_puts(c, " \xC2\xB7 seed ");
    ent_html_esc(c, c->seed);
  }
  if (p->has_time)
    ent_html_printf(c, " \xC2\xB7 %d\xE2\x80\x93%d", p->start, p->end);
  if (p->version) {
    ent_html_puts(c, " \xC2\xB7 entente ");
    ent_html_esc(c, p->version);
  }
  if (c->made) {
    ent_html_puts(c, " \xC2\xB7 ");
    ent_html_esc(c, c->made);
  }
  contents(c);
}

static void html_foot(ent_html *c) {
  ent_html_printf(c, "</main>\n<footer><p>Made by entente %s from <code>", ENT_VERSION);
  ent_html_esc(c, c->name);
  ent_html_printf(c, "</code>. %zu charts; every chart is also in the report's "
                     "folder as SVG and PNG.</p></footer>\n</body>\n</html>\n",
                  c->n_charts);
}

/* ------------------------------------------------------------ render */

/* The page of a run or a forecast. */
static void page(ent_html *c) {
  if (!c->st) derive(c);
  if (!c->st) html_head(c);
  if (!c->st) ent_html_section_headline(c);
  if (!c->st) ent_html_section_issues(c);
  if (!c->st) ent_html_section_relations(c);
  if (!c->st) ent_html_section_sensitivity(c);
  if (!c->st) ent_html_section_series(c);
  if (!c->st) ent_html_section_issue_time(c);
  if (!c->st) ent_html_section_backtest(c);
  if (!c->st) ent_html_section_assumptions(c);
  if (!c->st) section_method(c);
  if (!c->st) html_foot(c);
}

ent_status ent_html_render(const ent_result *r, const ent_model *m,
                           const ent_result *bt, const char *name,
                           ent_report **out) {
  *out = NULL;
  if (!r) return ENT_EINVAL;
  ent_html *c = ent_calloc(1, sizeof *c);
  if (!c) return ENT_ENOMEM;
  ent_arena_init(&c->A);
  ent_strbuf_init(&c->html);
  c->r = r;
  c->m = m;
  c->bt = bt;
  c->name = name ? name : "<forecast>";
  c->out = ent_calloc(1, sizeof *c->out);
  if (!c->out) c->st = ENT_ENOMEM;
  if (r->kind == ENT_RESULT_SCORE && r->score) {
    if (!c->st) ent_html_score_page(c); /* a page of its own */
  } else {
    page(c);
  }
  if (!c->st && (c->html.failed || c->A.failed)) c->st = ENT_ENOMEM;
  if (!c->st) add_file(c, "report.html", c->html.data, c->html.len);
  ent_status st = c->st;
  if (st == ENT_OK) {
    *out = c->out;
    c->out = NULL;
  }
  if (c->out) {
    for (size_t i = 0; i < c->out->n; i++) {
      ent_free(c->out->files[i].name);
      ent_free(c->out->files[i].data);
    }
    ent_free(c->out->files);
    ent_free(c->out);
  }
  ent_strbuf_free(&c->html);
  ent_arena_free(&c->A);
  ent_free(c);
  return st;
}
