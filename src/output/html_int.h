/*
 * html_int.h -- the private half of the HTML report, shared by its files:
 *   html.c              the renderer's state, what it derives from the
 *                       result (labelled ranges, the relationship matrix,
 *                       the main pair), charts as files and <figure>s, the
 *                       page's head, foot and "how it was made" section
 *   html_sections.c     the forecast in words, questions, relationships,
 *                       sensitivity, year-by-year fans, back-test
 *   html_assumptions.c  the scenario's inputs with their rationale
 *   html_score.c        the page of a ledger's scores (a result of kind
 *                       ENT_RESULT_SCORE): scores, calibration, questions
 *   html_style.c        the style sheet
 * Nothing outside src/output/html*.c includes it.
 */
#ifndef ENT_HTML_INT_H
#define ENT_HTML_INT_H

#include "output/chart.h"
#include "output/html.h"

/* An issue as the report shows it: the result's, with its labelled ranges
 * (the result's, or derived from the anchors and quantiles). */
typedef struct ent_html_issue {
  const ent_result_issue *is;
  ent_chart_mark *anchors;
  const ent_result_range *ranges;
  size_t n_ranges;
  int ranges_given; /* by the result (else derived here) */
} ent_html_issue;

#define ENT_HTML_MAX_SENS 64 /* sensitivity outputs drawn */
#define ENT_HTML_NCLS 5      /* relationship classes drawn (not "none") */

typedef struct ent_html {
  ent_arena A;          /* everything derived here */
  ent_status st;        /* sticky failure while rendering */
  const ent_result *r;  /* the run or forecast */
  const ent_model *m;   /* the scenario, or NULL */
  const ent_result *bt; /* the back-test, or NULL */
  const char *name;     /* of the result document */
  /* derived */
  int single;           /* one run: no bands */
  const char *sc_id, *sc_title, *made;
  char seed[64];
  ent_html_issue *issues;
  size_t n_issues;
  const char **actors;  /* rows and columns of the relationship map */
  size_t n_actors, cap_actors;
  double *rel;          /* [cap^2 * NCLS] sums of shares */
  int *rel_n;           /* [cap^2] number of (issue) observations */
  const ent_result_sens_output *sens[ENT_HTML_MAX_SENS];
  size_t n_sens;
  char main_a[72], main_b[72];
  /* output */
  ent_report *out;
  ent_strbuf html;
  size_t n_charts;
} ent_html;

/* ---- html.c: writing ---- */
ENT_LOCAL void ent_html_puts(ent_html *c, const char *s);
ENT_LOCAL void ent_html_esc(ent_html *c, const char *s);
ENT_LOCAL void ent_html_printf(ent_html *c, const char *fmt, ...)
    ENT_PRINTF(2, 3);
ENT_LOCAL void ent_html_td_num(ent_html *c, double v);
ENT_LOCAL void ent_html_td_text(ent_html *c, const char *s);
ENT_LOCAL void ent_html_td_why(ent_html *c, const char *s);
/* A value for tables and sentences: 3-4 significant digits, thousands
 * separators, no trailing zeros. */
ENT_LOCAL void ent_html_fmt_val(char *buf, size_t size, double v);
ENT_LOCAL void ent_html_fmt_pct(char *buf, size_t size, double p);
/* Units given as a share are shown in percent ("share of GDP" -> "% of
 * GDP"); returns the factor to apply. */
ENT_LOCAL double ent_html_unit(const char *unit, char *buf, size_t size);
/* "RUS->CHN" as "RUS → CHN". */
ENT_LOCAL void ent_html_entity(char *buf, size_t size, const char *e);
ENT_LOCAL const char *ent_html_runs_phrase(const ent_html *c, char *buf,
                                           size_t size);

/* A chart: drawn as SVG and PNG, both added as files, the SVG embedded in
 * a <figure>; `base` is made unique, caption is HTML. */
typedef ent_status (*ent_html_chart_fn)(const void *spec, ent_chart_format f,
                                        ent_strbuf *out);
ENT_LOCAL void ent_html_chart(ent_html *c, const char *base,
                              ent_html_chart_fn fn, const void *spec, int w,
                              int h, const char *alt, const char *caption);
ENT_LOCAL ent_status ent_html_fan_fn(const void *s, ent_chart_format f,
                                     ent_strbuf *o);

/* Lookups in the result. */
ENT_LOCAL const ent_result_series *ent_html_series(const ent_html *c,
                                                   const char *var,
                                                   const char *ent);
/* Statistic j (0-4: q05..q95, 5: mean) of year t of series s. */
ENT_LOCAL double ent_html_sv(const ent_html *c, const ent_result_series *s,
                             int j, size_t t);
ENT_LOCAL int ent_html_is_issue_var(const char *v);

/* ---- html_sections.c ---- */
ENT_LOCAL void ent_html_section_headline(ent_html *c);
ENT_LOCAL void ent_html_section_issues(ent_html *c);
ENT_LOCAL void ent_html_section_relations(ent_html *c);
ENT_LOCAL void ent_html_section_sensitivity(ent_html *c);
ENT_LOCAL void ent_html_section_series(ent_html *c);
ENT_LOCAL void ent_html_section_issue_time(ent_html *c);
ENT_LOCAL void ent_html_section_backtest(ent_html *c);

/* ---- html_assumptions.c ---- */
ENT_LOCAL void ent_html_section_assumptions(ent_html *c);

/* ---- html_score.c: the whole page of a score result ---- */
ENT_LOCAL void ent_html_score_page(ent_html *c);

/* ---- html_style.c ---- */
ENT_LOCAL extern const char ent_html_css[];

#endif /* ENT_HTML_INT_H */
