/*
 * html_assumptions.c -- the "assumptions" section of the HTML report:
 * every input of the scenario with the rationale it gives (actors, issue
 * positions, economies, shocks, channels, links, uncertain inputs and the
 * observed history), read from the model itself (html_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "output/assumptions.h"
#include "output/html_int.h"

#define h ent_html_puts
#define esc ent_html_esc
#define hf ent_html_printf

static void actors_table(ent_html *c, const ent_model *m) {
  h(c, "<h3>Actors</h3>\n<table><thead><tr><th>id</th><th>name</th><th>kind</th>"
       "<th class=\"n\">capability</th><th>rationale</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < m->n_actors; i++) {
    const ent_actor *a = &m->actors[i];
    h(c, "<tr>");
    ent_html_td_text(c, a->id);
    ent_html_td_text(c, a->name);
    ent_html_td_text(c, a->kind);
    if (a->has_capability) ent_html_td_num(c, a->capability);
    else h(c, "<td></td>");
    ent_html_td_why(c, a->why);
    h(c, "</tr>\n");
  }
  h(c, "</tbody></table>\n");
}

static void issue_tables(ent_html *c, const ent_model *m) {
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_issue *is = &m->issues[i];
    h(c, "<h3>");
    esc(c, is->question);
    h(c, " <code>");
    esc(c, is->id);
    h(c, "</code></h3>\n");
    if (is->why) {
      h(c, "<p class=\"why\">");
      esc(c, is->why);
      h(c, "</p>\n");
    }
    if (is->n_anchors) {
      h(c, "<p class=\"note\">Scale: ");
      for (size_t k = 0; k < is->n_anchors; k++) {
        char b[64];
        ent_html_fmt_val(b, sizeof b, is->anchors[k].at);
        hf(c, "%s<strong>%s</strong> ", k ? "; " : "", b);
        esc(c, is->anchors[k].label);
      }
      h(c, "</p>\n");
    }
    h(c, "<table><thead><tr><th>actor</th><th class=\"n\">position</th><th "
         "class=\"n\">salience</th><th class=\"n\">capability</th><th>rationale"
         "</th></tr></thead><tbody>\n");
    for (size_t k = 0; k < is->n_stakes; k++) {
      const ent_stake *s = &is->stakes[k];
      h(c, "<tr>");
      ent_html_td_text(c, m->actors[s->actor].id);
      ent_html_td_num(c, s->position);
      ent_html_td_num(c, 100.0 * s->salience);
      ent_html_td_num(c, s->capability);
      ent_html_td_why(c, s->why);
      h(c, "</tr>\n");
    }
    h(c, "</tbody></table>\n");
  }
}

static void economy_table(ent_html *c, const ent_structure *st) {
  char b1[64], b2[64];
  ent_html_fmt_val(b1, sizeof b1, st->theta);
  ent_html_fmt_val(b2, sizeof b2, st->adjustment);
  hf(c, "<h3>The economies</h3>\n<p class=\"note\">Trade elasticity \xCE\xB8 = %s; "
        "trade closes a share %s of the gap to each year's equilibrium.</p>\n",
     b1, b2);
  h(c, "<table><thead><tr><th>bloc</th><th class=\"n\">GDP, US$ bn</th><th "
       "class=\"n\">military spending, US$ bn</th><th>growth, % a year</th>"
       "<th>rationale</th></tr></thead><tbody>\n");
  int ny = st->end - st->start + 1;
  for (size_t i = 0; i < st->n_blocs; i++) {
    const ent_bloc *bl = &st->blocs[i];
    h(c, "<tr>");
    ent_html_td_text(c, bl->id);
    ent_html_td_num(c, bl->gdp);
    ent_html_td_num(c, bl->milex);
    h(c, "<td>");
    int first = 1;
    for (int k = 1; bl->growth && k < ny; k++) {
      /* only the years where the rate changes */
      if (k > 1 && bl->growth[k] == bl->growth[k - 1]) continue;
      char b[64];
      ent_html_fmt_val(b, sizeof b, bl->growth[k]);
      hf(c, "%sfrom %d: %s", first ? "" : "; ", st->start + k, b);
      first = 0;
    }
    h(c, "</td>");
    ent_html_td_why(c, bl->why);
    h(c, "</tr>\n");
  }
  h(c, "</tbody></table>\n");
}

static void bloc_ids(ent_html *c, const ent_structure *st, const size_t *ix,
                     size_t n) {
  for (size_t k = 0; k < n; k++) {
    h(c, k ? ", " : "");
    esc(c, st->blocs[ix[k]].id);
  }
}

static void shocks_table(ent_html *c, const ent_structure *st) {
  h(c, "<h3>Shocks (trade costs)</h3>\n<table><thead><tr><th>shock</th><th>"
       "exporters \xE2\x86\x92 importers</th><th>years</th><th class=\"n\">"
       "\xCE\xB2</th><th>source and rationale</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < st->n_shocks; i++) {
    const ent_shock *s = &st->shocks[i];
    h(c, "<tr>");
    ent_html_td_text(c, s->id);
    h(c, "<td>");
    bloc_ids(c, st, s->from, s->n_from);
    h(c, s->both ? " \xE2\x86\x94 " : " \xE2\x86\x92 ");
    bloc_ids(c, st, s->to, s->n_to);
    h(c, "</td>");
    if (s->end) hf(c, "<td>%d\xE2\x80\x93%d</td>", s->start, s->end - 1);
    else hf(c, "<td>from %d</td>", s->start);
    if (s->embargo) h(c, "<td class=\"n\">embargo</td>");
    else ent_html_td_num(c, s->beta);
    h(c, "<td class=\"why\">");
    esc(c, s->source);
    if (s->why) {
      h(c, "<br>");
      esc(c, s->why);
    }
    h(c, "</td></tr>\n");
  }
  h(c, "</tbody></table>\n");
}

static void channels_table(ent_html *c, const ent_structure *st) {
  h(c, "<h3>Channels (energy, arms)</h3>\n<table><thead><tr><th>channel</th>"
       "<th>route</th><th class=\"n\">base</th><th class=\"n\">capacity</th>"
       "<th class=\"n\">ramp / year</th><th>unit</th><th>rationale</th></tr>"
       "</thead><tbody>\n");
  for (size_t i = 0; i < st->n_channels; i++) {
    const ent_channel *ch = &st->channels[i];
    h(c, "<tr>");
    ent_html_td_text(c, ch->id);
    h(c, "<td>");
    esc(c, st->blocs[ch->from].id);
    h(c, " \xE2\x86\x92 ");
    esc(c, st->blocs[ch->to].id);
    h(c, "</td>");
    ent_html_td_num(c, ch->base);
    ent_html_td_num(c, ch->capacity);
    ent_html_td_num(c, ch->ramp);
    ent_html_td_text(c, ch->unit);
    ent_html_td_why(c, ch->why);
    h(c, "</tr>\n");
  }
  h(c, "</tbody></table>\n");
}

static void links_table(ent_html *c, const ent_model *m) {
  const ent_structure *st = m->st;
  h(c, "<h3>Links between the layers</h3>\n<table><thead><tr><th>link</th>"
       "<th>from</th><th>to</th><th>form</th><th>rationale</th></tr></thead>"
       "<tbody>\n");
  for (size_t i = 0; i < st->n_links; i++) {
    const ent_link *l = &st->links[i];
    ent_strbuf src, tgt;
    char p[96];
    ent_strbuf_init(&src);
    ent_strbuf_init(&tgt);
    ent_assumptions_link_source(m, l, &src);
    ent_assumptions_link_target(m, l, &tgt);
    ent_assumptions_link_param(l, p, sizeof p);
    h(c, "<tr>");
    ent_html_td_text(c, l->id);
    ent_html_td_text(c, src.failed ? NULL : src.data);
    ent_html_td_text(c, tgt.failed ? NULL : tgt.data);
    ent_html_td_text(c, p);
    ent_html_td_why(c, l->why);
    h(c, "</tr>\n");
    if (src.failed || tgt.failed) c->st = ENT_ENOMEM;
    ent_strbuf_free(&src);
    ent_strbuf_free(&tgt);
  }
  h(c, "</tbody></table>\n");
}

static void uncertain_table(ent_html *c, const ent_model *m) {
  h(c, "<h3>Uncertain inputs</h3>\n<p class=\"note\">Each run draws these from "
       "their distributions; a single run uses the nominal value.</p>\n"
       "<table><thead><tr><th>input</th><th>distribution</th><th class=\"n\">"
       "nominal</th><th>where</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < m->n_uparams; i++) {
    const ent_uparam *u = &m->uparams[i];
    char dist[512];
    ent_assumptions_dist(&u->dist, dist, sizeof dist);
    h(c, "<tr>");
    ent_html_td_text(c, u->name);
    ent_html_td_text(c, dist);
    ent_html_td_num(c, u->nominal);
    h(c, "<td><code>");
    esc(c, u->file);
    hf(c, ":%d</code></td></tr>\n", u->at.line);
  }
  h(c, "</tbody></table>\n");
}

static void history_table(ent_html *c, const ent_structure *st) {
  h(c, "<h3>Observed history (for charts and the back-test, never an input)"
       "</h3>\n<table><thead><tr><th>variable</th><th>entity</th><th>years</th>"
       "<th>source</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < st->n_history; i++) {
    const ent_history *hs = &st->history[i];
    int y0 = hs->n ? hs->years[0] : 0, y1 = hs->n ? hs->years[hs->n - 1] : 0;
    h(c, "<tr>");
    ent_html_td_text(c, hs->variable);
    ent_html_td_text(c, hs->entity);
    hf(c, "<td>%d\xE2\x80\x93%d (%d)</td>", y0, y1, (int)hs->n);
    ent_html_td_why(c, hs->source);
    h(c, "</tr>\n");
  }
  h(c, "</tbody></table>\n");
}

void ent_html_section_assumptions(ent_html *c) {
  const ent_model *m = c->m;
  h(c, "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n");
  if (!m) {
    h(c, "<p class=\"note\">The scenario was not given, so its inputs are not "
         "listed (<code>entente report --scenario SCENARIO</code>).</p>\n"
         "</section>\n");
    return;
  }
  h(c, "<p>Every input of scenario <code>");
  esc(c, m->id);
  h(c, "</code> (");
  esc(c, m->source);
  h(c, ") with the rationale the scenario gives for it.</p>\n");
  if (m->description) {
    h(c, "<p>");
    esc(c, m->description);
    h(c, "</p>\n");
  }
  actors_table(c, m);
  issue_tables(c, m);
  const ent_structure *st = m->st;
  if (st && st->n_blocs) economy_table(c, st);
  if (st && st->n_shocks) shocks_table(c, st);
  if (st && st->n_channels) channels_table(c, st);
  if (st && st->n_links) links_table(c, m);
  if (m->n_uparams) uncertain_table(c, m);
  if (st && st->n_history) history_table(c, st);
  h(c, "</section>\n");
}
