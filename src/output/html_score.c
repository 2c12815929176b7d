/*
 * html_score.c -- the report of a ledger's scores (`entente score
 * --report DIR`, or `entente report --json` of `entente score --format
 * json`): a page of its own, rendered from the result tree of kind
 * ENT_RESULT_SCORE (model/result.h) like every other report (html.c calls
 * ent_html_score_page; docs/report.md and docs/score.md describe it).
 *
 * Sections:
 *   summary      per set of questions (all, fitted, later): the model and
 *                each baseline with Brier, log and the Brier skill score,
 *                and a verdict in the words of the text output ("the model
 *                LOSES to", "TIES ... (a tie is not a win)", "beats")
 *   calibration  the reliability diagram (chart_reliability.c) and the
 *                table of its bins
 *   questions    one row a question: id, as_of, question, the series,
 *                the condition, the probabilities, the outcome, the set
 *   method       the ledger, runs, seed, fit cut-off, clipping, version
 * The renderer computes nothing but formatting: every number is the
 * result's.
 */
#include "output/html_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void pct_cell(ent_html *c, double p) {
  if (!isfinite(p)) {
    ent_html_puts(c, "<td class=\"n\">\xE2\x80\x93</td>");
    return;
  }
  char b[32];
  ent_html_fmt_pct(b, sizeof b, p);
  ent_html_printf(c, "<td class=\"n\">%s</td>", b);
}

static void score_cell(ent_html *c, double v, int dec) {
  if (!isfinite(v)) ent_html_puts(c, "<td class=\"n\">\xE2\x80\x93</td>");
  else ent_html_printf(c, "<td class=\"n\">%.*f</td>", dec, v);
}

/* The verdict of the model against a baseline, as the text output words
 * it (score_render.c). */
static void verdict(ent_html *c, const char *name, double skill) {
  if (!isfinite(skill))
    ent_html_puts(c, "<td>undefined (the baseline is perfect)</td>");
  else if (skill < 0.0)
    ent_html_printf(c, "<td class=\"loses\"><strong>the model LOSES to %s"
                       "</strong> (Brier skill %+.2f)</td>", name, skill);
  else if (skill == 0.0)
    ent_html_printf(c, "<td>the model TIES %s (a tie is not a win)</td>", name);
  else
    ent_html_printf(c, "<td>the model beats %s (Brier skill %+.2f)</td>", name,
                    skill);
}

static void scores_row(ent_html *c, const char *who, const ent_result_scores *s,
                       const char *name, double skill, const char *note) {
  ent_html_puts(c, "<tr><th scope=\"row\">");
  ent_html_esc(c, who);
  if (note) {
    ent_html_puts(c, " <span class=\"note\">");
    ent_html_esc(c, note);
    ent_html_puts(c, "</span>");
  }
  ent_html_printf(c, "</th><td class=\"n\">%zu</td>", s->n);
  score_cell(c, s->brier, 3);
  score_cell(c, s->log, 3);
  if (name) {
    if (isfinite(skill)) ent_html_printf(c, "<td class=\"n\">%+.2f</td>", skill);
    else ent_html_puts(c, "<td class=\"n\">\xE2\x80\x93</td>");
    verdict(c, name, skill);
  } else {
    ent_html_puts(c, "<td></td><td></td>");
  }
  ent_html_puts(c, "</tr>\n");
}

static void set_table(ent_html *c, const ent_result_scoreset *s, int k) {
  const ent_result_score *sc = c->r->score;
  static const char *const ids[3] = {"all", "fitted", "later"};
  char head[128];
  if (k == 1)
    snprintf(head, sizeof head, "Questions resolving by %d (the fit)",
             sc->fit_until);
  else if (k == 2)
    snprintf(head, sizeof head, "Questions resolving after %d (held out)",
             sc->fit_until);
  else
    snprintf(head, sizeof head, "All questions");
  ent_html_printf(c, "<h3>%s: %zu question%s</h3>\n", head, s->model.n,
                  s->model.n == 1 ? "" : "s");
  if (!s->model.n) {
    ent_html_puts(c, "<p class=\"note\">No question in this set.</p>\n");
    return;
  }
  ent_html_printf(c, "<table class=\"scores\" id=\"scores-%s\">\n<thead><tr>"
                     "<th>forecaster</th><th class=\"n\">questions</th>"
                     "<th class=\"n\">Brier</th><th class=\"n\">log</th>"
                     "<th class=\"n\">skill (BSS)</th><th>the model against it"
                     "</th></tr></thead>\n<tbody>\n", ids[k]);
  scores_row(c, "model", &s->model, NULL, NAN, NULL);
  scores_row(c, "uniform (0.5)", &s->uniform, "uniform", s->skill_uniform, NULL);
  scores_row(c, "persistence", &s->persistence, "persistence",
             s->skill_persistence, NULL);
  if (s->start.n) {
    char note[96];
    snprintf(note, sizeof note, "(issue questions only; the model there: Brier "
                                "%.3f, log %.3f)",
             s->model_issues.brier, s->model_issues.log);
    scores_row(c, "starting_mean", &s->start, "starting_mean", s->skill_start,
               note);
  }
  ent_html_puts(c, "</tbody></table>\n");
}

static void section_summary(ent_html *c) {
  const ent_result_score *sc = c->r->score;
  ent_html_printf(c, "<section id=\"summary\">\n<h2>Scores</h2>\n<p class=\"note\">"
                     "Brier score: the mean squared difference between the "
                     "probability and the outcome (0 or 1), lower is better; "
                     "log score: the mean of &minus;ln of the probability given "
                     "to what happened, probabilities clipped to [%g, %g], "
                     "lower is better. The Brier skill score (BSS) is 1 "
                     "&minus; Brier<sub>model</sub> / Brier<sub>baseline</sub>: "
                     "above 0 the model beats the baseline, below 0 it loses "
                     "to it, and a tie is not a win. Baselines: uniform (0.5 "
                     "for every question), persistence (the condition on the "
                     "scenario's first-year value) and, for questions on "
                     "issues, starting_mean (the condition on the weighted "
                     "mean of the starting positions).</p>\n",
                  sc->clip, 1.0 - sc->clip);
  for (int k = 0; k < 3 && !c->st; k++) set_table(c, &sc->sets[k], k);
  ent_html_puts(c, "</section>\n");
}

static ent_status rel_fn(const void *s, ent_chart_format f, ent_strbuf *o) {
  return ent_chart_reliability(s, f, o);
}

static void section_calibration(ent_html *c) {
  const ent_result_score *sc = c->r->score;
  enum { NB = sizeof sc->bins / sizeof sc->bins[0] };
  double lo[NB], hi[NB], mp[NB], ob[NB];
  size_t cnt[NB], total = 0;
  for (int k = 0; k < NB; k++) {
    const ent_result_bin *b = &sc->bins[k];
    lo[k] = b->lo;
    hi[k] = b->hi;
    cnt[k] = b->n;
    mp[k] = b->n ? b->mean_p : 0.0;
    ob[k] = b->n ? b->observed : 0.0;
    total += b->n;
  }
  ent_html_puts(c, "<section id=\"calibration\">\n<h2>Calibration</h2>\n"
                   "<p class=\"note\">A reliability diagram: the questions "
                   "grouped by the probability the model gave them (ten bins "
                   "of 10 points); each point is a bin at its mean "
                   "probability (x) and the share of its questions that "
                   "happened (y), its area by the bin's question count. "
                   "Points on the dashed diagonal are perfectly calibrated; "
                   "below it the model was over-confident that things would "
                   "happen, above it under-confident.</p>\n");
  if (!total) {
    ent_html_puts(c, "<p class=\"note\">No question was scored: no chart.</p>\n"
                     "</section>\n");
    return;
  }
  char title[160], alt[200];
  snprintf(title, sizeof title, "Calibration of the model (%zu questions)", total);
  snprintf(alt, sizeof alt, "Reliability diagram: forecast probability against "
                            "the share that happened, %zu questions in ten bins",
           total);
  ent_chart_reliability_spec spec = {title, lo, hi, cnt, mp, ob, NB, "model"};
  int w, h;
  ent_chart_reliability_size(&spec, &w, &h);
  ent_html_chart(c, "calibration", rel_fn, &spec, w, h, alt,
                 "The model's calibration over every question of the ledger; "
                 "the table below gives the same bins.");
  ent_html_puts(c, "<table id=\"calibration-bins\">\n<thead><tr><th>forecast "
                   "probability</th><th class=\"n\">questions</th><th class=\"n\">"
                   "mean probability</th><th class=\"n\">share that happened"
                   "</th></tr></thead>\n<tbody>\n");
  for (int k = 0; k < NB; k++) {
    const ent_result_bin *b = &sc->bins[k];
    ent_html_printf(c, "<tr><td>%.0f%% to %.0f%%%s</td><td class=\"n\">%zu</td>",
                    100.0 * b->lo, 100.0 * b->hi, k == NB - 1 ? " (inclusive)" : "",
                    b->n);
    if (b->n) {
      ent_html_printf(c, "<td class=\"n\">%.3f</td><td class=\"n\">%.3f</td></tr>\n",
                      b->mean_p, b->observed);
    } else {
      ent_html_puts(c, "<td class=\"n\">\xE2\x80\x93</td><td class=\"n\">"
                       "\xE2\x80\x93</td></tr>\n");
    }
  }
  ent_html_puts(c, "</tbody></table>\n</section>\n");
}

static void condition(ent_html *c, const ent_result_question *q) {
  char a[64], b[64];
  ent_html_fmt_val(a, sizeof a, q->threshold);
  ent_html_puts(c, "<td>");
  if (q->op && !strcmp(q->op, "between") && isfinite(q->threshold2)) {
    ent_html_fmt_val(b, sizeof b, q->threshold2);
    ent_html_printf(c, "between %s and %s", a, b);
  } else {
    ent_html_esc(c, q->op ? q->op : "?");
    ent_html_printf(c, " %s", a);
  }
  ent_html_puts(c, "</td>");
}

static void section_questions(ent_html *c) {
  const ent_result_score *sc = c->r->score;
  ent_html_printf(c, "<section id=\"questions\">\n<h2>The questions</h2>\n"
                     "<p class=\"note\">%zu resolved questions; the probability "
                     "is the share of the forecast's members in which the "
                     "condition holds; persistence and starting_mean are the "
                     "baselines' probabilities (starting_mean only for "
                     "questions on issues); outcome 1: the condition held.</p>\n",
                  sc->n_questions);
  ent_html_puts(c, "<div class=\"wide\"><table id=\"questions-table\">\n<thead><tr>"
                   "<th>id</th><th>as of</th><th>question</th><th>series</th>"
                   "<th>condition</th><th class=\"n\">probability</th>"
                   "<th class=\"n\">persistence</th><th class=\"n\">starting_mean"
                   "</th><th class=\"n\">outcome</th><th>set</th></tr></thead>\n"
                   "<tbody>\n");
  for (size_t k = 0; k < sc->n_questions && !c->st; k++) {
    const ent_result_question *q = &sc->questions[k];
    ent_html_puts(c, "<tr><td><code>");
    ent_html_esc(c, q->id ? q->id : "");
    ent_html_puts(c, "</code></td>");
    ent_html_td_text(c, q->as_of);
    ent_html_td_text(c, q->question);
    ent_html_puts(c, "<td><code>");
    ent_html_esc(c, q->variable ? q->variable : "");
    ent_html_puts(c, "</code> ");
    char ent[96];
    ent_html_entity(ent, sizeof ent, q->entity ? q->entity : "");
    ent_html_esc(c, ent);
    ent_html_printf(c, " %d</td>", q->year);
    condition(c, q);
    pct_cell(c, q->p);
    pct_cell(c, q->p_persistence);
    pct_cell(c, q->has_start ? q->p_start : NAN);
    ent_html_printf(c, "<td class=\"n\">%d</td><td>%s</td></tr>\n", q->outcome,
                    q->fitted ? "fitted" : "later");
  }
  ent_html_puts(c, "</tbody></table></div>\n</section>\n");
}

static void method_row(ent_html *c, const char *k, const char *v) {
  ent_html_puts(c, "<tr><th>");
  ent_html_esc(c, k);
  ent_html_puts(c, "</th><td>");
  ent_html_esc(c, v);
  ent_html_puts(c, "</td></tr>\n");
}

static void section_method(ent_html *c) {
  const ent_result_score *sc = c->r->score;
  const ent_result_prov *p = &c->r->prov;
  char b[160];
  ent_html_puts(c, "<section id=\"method\">\n<h2>How these scores were made</h2>\n"
                   "<table><tbody>\n");
  method_row(c, "ledger", sc->ledger ? sc->ledger : "?");
  method_row(c, "result", c->name);
  snprintf(b, sizeof b, "%zu", sc->n_questions);
  method_row(c, "questions", b);
  if (p->has_runs) {
    snprintf(b, sizeof b, "%lu per as_of scenario", p->runs);
    method_row(c, "runs (members)", b);
  }
  if (c->seed[0]) method_row(c, "seed", c->seed);
  method_row(c, "scenarios run", sc->ex_ante ? "ex ante (only what was known at "
                                               "the base year)"
                                             : "with realised inputs");
  snprintf(b, sizeof b, "questions resolving by %d were the fit (free "
                        "parameters fitted on them); later ones held out",
           sc->fit_until);
  method_row(c, "fit cut-off", b);
  snprintf(b, sizeof b, "[%g, %g]", sc->clip, 1.0 - sc->clip);
  method_row(c, "log score clipping", b);
  method_row(c, "entente version", p->version ? p->version : "not recorded");
  ent_html_printf(c, "<tr><th>report made by</th><td>entente %s</td></tr>\n",
                  ENT_VERSION);
  ent_html_puts(c, "</tbody></table>\n<p class=\"note\">The scores, the baselines "
                   "and the ledger's format: docs/score.md. The same result as "
                   "JSON: <code>entente score LEDGER --format json</code>; one "
                   "row a question: <code>--format csv</code>.</p>\n"
                   "</section>\n");
}

static void head(ent_html *c) {
  const ent_result_score *sc = c->r->score;
  const ent_result_prov *p = &c->r->prov;
  ent_html_puts(c, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "img-src data:; style-src 'unsafe-inline'\">\n"
                   "<meta name=\"generator\" content=\"entente " ENT_VERSION "\">\n"
                   "<link rel=\"icon\" href=\"data:,\">\n<title>Forecasts scored: ");
  ent_html_esc(c, sc->ledger ? sc->ledger : "ledger");
  ent_html_puts(c, " \xE2\x80\x94 entente score report</title>\n<style>\n");
  ent_html_puts(c, ent_html_css);
  ent_html_puts(c, ".wide{overflow-x:auto}\ntd.loses{color:#D55E00}\nth .note{font-weight:normal}\n"
                   "</style>\n</head>\n<body>\n<header>\n<p class=\"kicker\">"
                   "entente \xC2\xB7 score</p>\n<h1>Forecasts scored on resolved "
                   "questions</h1>\n<p class=\"meta\">Ledger <code>");
  ent_html_esc(c, sc->ledger ? sc->ledger : "?");
  ent_html_printf(c, "</code> \xC2\xB7 %zu questions", sc->n_questions);
  if (p->has_runs) ent_html_printf(c, " \xC2\xB7 %lu runs per scenario", p->runs);
  if (c->seed[0]) {
    ent_html_puts(c, " \xC2\xB7 seed ");
    ent_html_esc(c, c->seed);
  }
  ent_html_puts(c, sc->ex_ante ? " \xC2\xB7 ex ante" : " \xC2\xB7 realised inputs");
  if (p->version) {
    ent_html_puts(c, " \xC2\xB7 entente ");
    ent_html_esc(c, p->version);
  }
  ent_html_puts(c, "</p>\n</header>\n<nav aria-label=\"contents\"><ol>\n"
                   "<li><a href=\"#summary\">Scores</a></li>\n"
                   "<li><a href=\"#calibration\">Calibration</a></li>\n"
                   "<li><a href=\"#questions\">The questions</a></li>\n"
                   "<li><a href=\"#method\">How these scores were made</a></li>\n"
                   "</ol></nav>\n<main>\n");
}

void ent_html_score_page(ent_html *c) {
  const ent_result_prov *p = &c->r->prov;
  if (p->seed_text) snprintf(c->seed, sizeof c->seed, "%s", p->seed_text);
  else if (p->has_seed) snprintf(c->seed, sizeof c->seed, "%llu", p->seed);
  head(c);
  if (!c->st) section_summary(c);
  if (!c->st) section_calibration(c);
  if (!c->st) section_questions(c);
  if (!c->st) section_method(c);
  if (c->st) return;
  ent_html_printf(c, "</main>\n<footer><p>Made by entente %s from <code>",
                  ENT_VERSION);
  ent_html_esc(c, c->name);
  ent_html_printf(c, "</code>. %zu chart%s; every chart is also in the report's "
                     "folder as SVG and PNG.</p></footer>\n</body>\n</html>\n",
                  c->n_charts, c->n_charts == 1 ? "" : "s");
}
