/*
 * assumptions.c -- a scenario's inputs in words, for the documents that
 * list them (assumptions.h): the JSON and text of `entente run
 * --assumptions` (json_misc.c, text_misc.c) and the "assumptions" section
 * of the HTML report (html_assumptions.c).
 */
#include <stdio.h>
#include <string.h>

#include "output/assumptions.h"

const char *ent_assumptions_channel_kind(ent_channel_kind k) {
  switch (k) {
  case ENT_CHANNEL_GAS: return "gas";
  case ENT_CHANNEL_OIL: return "oil";
  case ENT_CHANNEL_ARMS: return "arms";
  default: return "other";
  }
}

static void bloc_list(ent_strbuf *b, const ent_structure *st,
                      const size_t *ix, size_t n) {
  for (size_t k = 0; k < n; k++)
    ent_strbuf_printf(b, "%s%s", k ? "," : "", st->blocs[ix[k]].id);
}

void ent_assumptions_link_source(const ent_model *m, const ent_link *l,
                                 ent_strbuf *b) {
  const ent_structure *st = m->st;
  if (l->src == ENT_LINK_FROM_ISSUE)
    ent_strbuf_printf(b, "forecast of issue '%s'", m->issues[l->src_issue].id);
  else
    ent_strbuf_printf(b, "%s of %s->%s", ent_model_indicator_name(l->indicator),
                      st->blocs[l->ent_a].id, st->blocs[l->ent_b].id);
}

void ent_assumptions_link_target(const ent_model *m, const ent_link *l,
                                 ent_strbuf *b) {
  const ent_structure *st = m->st;
  switch (l->tgt) {
  case ENT_LINK_TO_STAKE:
    ent_strbuf_printf(b, "%s's %s on ", m->actors[l->actor].id,
                      l->field == ENT_FIELD_CAPABILITY ? "capability" : "salience");
    for (size_t k = 0; k < l->n_issues; k++)
      ent_strbuf_printf(b, "%s'%s'", k ? ", " : "", m->issues[l->issues[k]].id);
    break;
  case ENT_LINK_TO_TRADE:
    ent_strbuf_puts(b, "trade cost ");
    bloc_list(b, st, l->from, l->n_from);
    ent_strbuf_puts(b, l->both ? " <-> " : " -> ");
    bloc_list(b, st, l->to, l->n_to);
    break;
  default:
    ent_strbuf_printf(b, "channel '%s'", st->channels[l->channel].id);
  }
}

void ent_assumptions_link_param(const ent_link *l, char *buf, size_t size) {
  switch (l->form) {
  case ENT_FORM_ELASTICITY:
    snprintf(buf, size, "elasticity %g", l->elasticity);
    break;
  case ENT_FORM_BETA:
    snprintf(buf, size, "beta at max %g", l->beta_at_max);
    break;
  case ENT_FORM_THRESHOLD:
    snprintf(buf, size, "opens at >= %g", l->above);
    break;
  default:
    snprintf(buf, size, "flow scales with the source");
  }
}

const char *ent_assumptions_form_name(ent_link_form f) {
  switch (f) {
  case ENT_FORM_ELASTICITY: return "elasticity";
  case ENT_FORM_BETA: return "beta";
  case ENT_FORM_THRESHOLD: return "threshold";
  default: return "scale";
  }
}

void ent_assumptions_dist(const ent_dist *d, char *buf, size_t size) {
  switch (d->kind) {
  case ENT_DIST_NORMAL:
    snprintf(buf, size, "normal(mean %g, sd %g) in [%g, %g]", d->a, d->b,
             d->lo, d->hi);
    break;
  case ENT_DIST_UNIFORM:
    snprintf(buf, size, "uniform on [%g, %g]", d->lo, d->hi);
    break;
  case ENT_DIST_TRIANGULAR:
    snprintf(buf, size, "triangular(%g, mode %g, %g)", d->lo, d->a, d->hi);
    break;
  case ENT_DIST_PERT:
    snprintf(buf, size, "PERT(%g, mode %g, %g)", d->lo, d->a, d->hi);
    break;
  default: {
    size_t at = (size_t)snprintf(buf, size, "one of");
    double prev = 0.0;
    for (size_t k = 0; k < d->n && at < size; k++) {
      at += (size_t)snprintf(buf + at, size - at, "%s %g (p %g)", k ? "," : "",
                             d->values[k], d->cum[k] - prev);
      prev = d->cum[k];
    }
  }
  }
}
