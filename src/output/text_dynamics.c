/*
 * text_dynamics.c -- the parts of `entente run`'s text that say how the
 * relationship moves (docs/dynamics.md): the headline that opens the run
 * (where alignment stands and goes, which questions moved and what moved
 * them), the yearly alignment of the report pairs, and the table of what
 * each driver of the strategic layer changed.
 */
#include <math.h>
#include <string.h>

#include "output/render.h"

/* The label of the anchor nearest to v, or NULL. */
static const char *nearest_label(const ent_result_issue *is, double v) {
  const char *best = NULL;
  double bd = INFINITY;
  for (size_t k = 0; k < is->n_anchors; k++) {
    double dd = fabs(is->anchors[k].at - v);
    if (dd < bd) {
      bd = dd;
      best = is->anchors[k].label;
    }
  }
  return best;
}

/* The driver that moved issue i most (|change| at least 2% of the scale),
 * or NULL. */
static const ent_result_driver *main_driver(const ent_result *r, size_t i) {
  const ent_result_issue *is = &r->issues[i];
  const ent_result_driver *best = NULL;
  double bd = 0.02 * (is->hi - is->lo);
  for (size_t k = 0; k < r->n_drivers; k++) {
    const ent_result_driver *dv = &r->drivers[k];
    if (dv->issue_delta && fabs(dv->issue_delta[i]) >= bd) {
      bd = fabs(dv->issue_delta[i]);
      best = dv;
    }
  }
  return best;
}

void ent_text_headline(const ent_result *r, ent_strbuf *b) {
  if (!r->has_dynamics) return;
  int y0 = r->prov.start, y1 = r->prov.end;
  const char *av = ENT_VNAME(ENT_VAR_ALIGNMENT);
  ent_strbuf_puts(b, "\nin brief:\n");
  double a0 = ent_result_value(r, av, r->align_pair, y0);
  double a1 = ent_result_value(r, av, r->align_pair, y1);
  if (isfinite(a0) && isfinite(a1)) {
    const char *way = a1 - a0 > 0.02    ? "closer"
                      : a1 - a0 < -0.02 ? "further apart"
                                        : "about where it was";
    ent_strbuf_printf(b, "  %s alignment (S score, -1 opposed .. 1 the same "
                         "on every question): %.2f in %d, %.2f in %d -- %s\n",
                      r->align_pair, a0, y0, a1, y1, way);
  }
  size_t moved = 0, unsettled = 0;
  for (size_t i = 0; i < r->n_issues; i++) {
    const ent_result_issue *is = &r->issues[i];
    unsettled += (size_t)is->unsettled;
    double f0 = ent_result_value(r, ENT_VNAME(ENT_VAR_ISSUE_FORECAST), is->id, y0);
    double f1 = is->forecast;
    if (!isfinite(f0) || fabs(f1 - f0) < 0.05 * (is->hi - is->lo)) continue;
    moved++;
    char a[32], c[32];
    ent_render_short(a, sizeof a, f0);
    ent_render_short(c, sizeof c, f1);
    const char *l0 = nearest_label(is, f0), *l1 = nearest_label(is, f1);
    ent_strbuf_printf(b, "  %s: %s -> %s", is->id, a, c);
    if (l0 && l1 && strcmp(l0, l1))
      ent_strbuf_printf(b, " (\"%s\" -> \"%s\")", l0, l1);
    else if (l1)
      ent_strbuf_printf(b, " (still \"%s\")", l1);
    const ent_result_driver *dv = main_driver(r, i);
    if (dv) {
      ent_render_short(a, sizeof a, dv->issue_delta[i]);
      ent_strbuf_printf(b, "; moved most by %s '%s' (%s%s)", dv->kind, dv->id,
                        dv->issue_delta[i] > 0 ? "+" : "", a);
    } else {
      ent_strbuf_puts(b, "; by the bargaining itself");
    }
    if (is->unsettled) ent_strbuf_puts(b, "; unsettled");
    ent_strbuf_puts(b, "\n");
  }
  if (!moved)
    ent_strbuf_printf(b, "  no question moved by 5%% of its scale or more "
                         "between %d and %d\n", y0, y1);
  if (unsettled)
    ent_strbuf_printf(b, "  %zu question%s did not settle in %d: %s forecast "
                         "is a summary of a cycle, not a settled outcome "
                         "(below)\n", unsettled, unsettled == 1 ? "" : "s", y1,
                      unsettled == 1 ? "its" : "their");
}

void ent_text_alignment(const ent_result *r, ent_strbuf *b) {
  if (!r->has_dynamics) return;
  const char *av = ENT_VNAME(ENT_VAR_ALIGNMENT);
  int y0 = r->prov.start, y1 = r->prov.end;
  int step = (y1 - y0) > 8 ? 2 : 1;
  /* the report pairs, each unordered pair once, in the actors' order */
  char ents[24][160];
  size_t ne = 0;
  for (size_t p = 0; p < r->n_pairs && ne < 24; p++) {
    size_t a = r->pairs[p][0], c = r->pairs[p][1];
    if (a > c) {
      size_t t = a;
      a = c;
      c = t;
    }
    char e[160];
    snprintf(e, sizeof e, "%s-%s", r->actors[a].id, r->actors[c].id);
    int dup = 0;
    for (size_t q = 0; q < ne; q++) dup |= !strcmp(ents[q], e);
    if (!dup && isfinite(ent_result_value(r, av, e, y0))) strcpy(ents[ne++], e);
  }
  if (ne == 0 && r->align_pair && isfinite(ent_result_value(r, av, r->align_pair, y0)))
    strcpy(ents[ne++], r->align_pair);
  if (ne == 0) return;
  ent_strbuf_puts(b, "\nalignment of the pairs (S score over the questions, "
                     "salience-weighted; -1 opposed .. 1 the same), year by "
                     "year:\n");
  ent_strbuf_printf(b, "  %-26s", "pair");
  for (int y = y0; y <= y1; y += step) ent_strbuf_printf(b, " %5d", y);
  ent_strbuf_puts(b, "\n");
  for (size_t q = 0; q < ne; q++) {
    ent_strbuf_printf(b, "  %-26.26s", ents[q]);
    for (int y = y0; y <= y1; y += step) {
      double v = ent_result_value(r, av, ents[q], y);
      if (isfinite(v)) ent_strbuf_printf(b, " %5.2f", v);
      else ent_strbuf_printf(b, " %5s", "-");
    }
    ent_strbuf_puts(b, "\n");
  }
}

void ent_text_drivers(const ent_result *r, ent_strbuf *b) {
  if (!r->n_drivers) return;
  ent_strbuf_printf(b, "\nwhat the drivers changed in %d (forecast with the "
                       "driver minus without it; '.' less than 1%% of the "
                       "scale):\n", r->prov.end);
  ent_strbuf_printf(b, "  %-34s", "driver");
  for (size_t i = 0; i < r->n_issues; i++) ent_strbuf_printf(b, " %5zu", i + 1);
  ent_strbuf_printf(b, " %9s\n", "alignment");
  for (size_t k = 0; k < r->n_drivers; k++) {
    const ent_result_driver *dv = &r->drivers[k];
    char name[80];
    snprintf(name, sizeof name, "%s %s", dv->kind, dv->id);
    ent_strbuf_printf(b, "  %-34.34s", name);
    for (size_t i = 0; i < r->n_issues; i++) {
      const ent_result_issue *is = &r->issues[i];
      double v = dv->issue_delta ? dv->issue_delta[i] : 0.0;
      if (fabs(v) < 0.01 * (is->hi - is->lo)) ent_strbuf_printf(b, " %5s", ".");
      else ent_strbuf_printf(b, " %+5.0f", v);
    }
    if (dv->has_alignment) ent_strbuf_printf(b, " %+9.3f\n", dv->alignment_delta);
    else ent_strbuf_printf(b, " %9s\n", "-");
  }
  ent_strbuf_puts(b, "  columns: the issues in the order below\n");
}
