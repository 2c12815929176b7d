/*
 * assumptions.c -- every input of a scenario with its rationale, as one
 * document (the "assumptions" section of the HTML report, docs/report.md,
 * and ent_model_write_assumptions).
 *
 * JSON (stable names):
 *   scenario {id, title, description, source}
 *   actors[] {id, name, kind, capability (null: none), why}
 *   issues[] {id, question, why, scale {min, max, anchors[] {at, label}},
 *             positions[] {actor, position, salience (0-100), capability,
 *                          capability_from_actor, why}}
 *   time {start, end}                       (structural scenarios only)
 *   economy {theta, theta_foreign, deficit, adjustment}
 *   blocs[] {id, name, gdp, milex, growth[] {year, rate}, why}
 *   shocks[] {id, from[], to[], both, start, end, beta | embargo,
 *             phase_in, fade, source, why}
 *   channels[] {id, kind, from, to, unit, capacity, base, ramp, opens,
 *               build_years, driver, conditional, why}
 *   links[] {id, source, target, form, parameter, why}
 *   uncertain[] {name, at {file, line, col}, distribution, nominal}
 *   history[] {variable, entity, unit, source, values[] {year, value}}
 * A `why` the scenario does not give is null.  Order: the scenario's.
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "output/assumptions.h"
#include "output/json.h"

static void add_str(cJSON *o, const char *k, const char *v) {
  if (v) cJSON_AddStringToObject(o, k, v);
  else cJSON_AddNullToObject(o, k);
}

static cJSON *ids(const ent_structure *st, const size_t *ix, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t k = 0; a && k < n; k++)
    cJSON_AddItemToArray(a, cJSON_CreateString(st->blocs[ix[k]].id));
  return a;
}

static const char *channel_kind(ent_channel_kind k) {
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

/* "indicator dependence of RUS->CHN" / "forecast of issue 'x'". */
static void link_source(const ent_model *m, const ent_link *l, ent_strbuf *b) {
  const ent_structure *st = m->st;
  if (l->src == ENT_LINK_FROM_ISSUE)
    ent_strbuf_printf(b, "forecast of issue '%s'", m->issues[l->src_issue].id);
  else
    ent_strbuf_printf(b, "%s of %s->%s", ent_indicator_name(l->indicator),
                      st->blocs[l->ent_a].id, st->blocs[l->ent_b].id);
}

static void link_target(const ent_model *m, const ent_link *l, ent_strbuf *b) {
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

static void link_param(const ent_link *l, char *buf, size_t size) {
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

static const char *form_name(ent_link_form f) {
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

cJSON *ent_assumptions_json(const ent_model *m) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON *sc = cJSON_AddObjectToObject(root, "scenario");
  add_str(sc, "id", m->id);
  add_str(sc, "title", m->title);
  add_str(sc, "description", m->description);
  add_str(sc, "source", m->source);

  cJSON *actors = cJSON_AddArrayToObject(root, "actors");
  for (size_t i = 0; i < m->n_actors; i++) {
    const ent_actor *a = &m->actors[i];
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", a->id);
    add_str(o, "name", a->name);
    add_str(o, "kind", a->kind);
    if (a->has_capability) cJSON_AddNumberToObject(o, "capability", a->capability);
    else cJSON_AddNullToObject(o, "capability");
    add_str(o, "why", a->why);
    cJSON_AddItemToArray(actors, o);
  }

  cJSON *issues = cJSON_AddArrayToObject(root, "issues");
  for (size_t i = 0; i < m->n_issues; i++) {
    const ent_issue *is = &m->issues[i];
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", is->id);
    add_str(o, "question", is->question);
    add_str(o, "why", is->why);
    cJSON *scale = ent_json_scale(is->lo, is->hi);
    for (size_t k = 0; k < is->n_anchors; k++)
      ent_json_anchor(scale, is->anchors[k].at, is->anchors[k].label);
    cJSON_AddItemToObject(o, "scale", scale);
    cJSON *pos = cJSON_AddArrayToObject(o, "positions");
    for (size_t k = 0; k < is->n_stakes; k++) {
      const ent_stake *s = &is->stakes[k];
      cJSON *p = cJSON_CreateObject();
      add_str(p, "actor", m->actors[s->actor].id);
      cJSON_AddNumberToObject(p, "position", s->position);
      cJSON_AddNumberToObject(p, "salience", 100.0 * s->salience);
      cJSON_AddNumberToObject(p, "capability", s->capability);
      cJSON_AddBoolToObject(p, "capability_from_actor", s->cap_from_actor);
      add_str(p, "why", s->why);
      cJSON_AddItemToArray(pos, p);
    }
    cJSON_AddItemToArray(issues, o);
  }

  const ent_structure *st = m->st;
  if (st) {
    cJSON *tm = cJSON_AddObjectToObject(root, "time");
    cJSON_AddNumberToObject(tm, "start", st->start);
    cJSON_AddNumberToObject(tm, "end", st->end);
    cJSON *ec = cJSON_AddObjectToObject(root, "economy");
    cJSON_AddNumberToObject(ec, "theta", st->theta);
    cJSON_AddNumberToObject(ec, "theta_foreign", st->theta_foreign);
    cJSON_AddStringToObject(ec, "deficit", st->multiplicative ? "multiplicative" : "additive");
    cJSON_AddNumberToObject(ec, "adjustment", st->adjustment);

    cJSON *blocs = cJSON_AddArrayToObject(root, "blocs");
    int ny = st->end - st->start + 1;
    for (size_t i = 0; i < st->n_blocs; i++) {
      const ent_bloc *bl = &st->blocs[i];
      cJSON *o = cJSON_CreateObject();
      add_str(o, "id", bl->id);
      add_str(o, "name", bl->name);
      cJSON_AddNumberToObject(o, "gdp", bl->gdp);
      cJSON_AddNumberToObject(o, "milex", bl->milex);
      cJSON *g = cJSON_AddArrayToObject(o, "growth");
      for (int k = 1; bl->growth && k < ny; k++) {
        /* only the years where the rate changes */
        if (k > 1 && bl->growth[k] == bl->growth[k - 1]) continue;
        cJSON *y = cJSON_CreateObject();
        cJSON_AddNumberToObject(y, "year", st->start + k);
        cJSON_AddNumberToObject(y, "rate", bl->growth[k]);
        cJSON_AddItemToArray(g, y);
      }
      add_str(o, "why", bl->why);
      cJSON_AddItemToArray(blocs, o);
    }

    cJSON *shocks = cJSON_AddArrayToObject(root, "shocks");
    for (size_t i = 0; i < st->n_shocks; i++) {
      const ent_shock *s = &st->shocks[i];
      cJSON *o = cJSON_CreateObject();
      add_str(o, "id", s->id);
      cJSON_AddItemToObject(o, "from", ids(st, s->from, s->n_from));
      cJSON_AddItemToObject(o, "to", ids(st, s->to, s->n_to));
      cJSON_AddBoolToObject(o, "both", s->both);
      cJSON_AddNumberToObject(o, "start", s->start);
      if (s->end) cJSON_AddNumberToObject(o, "end", s->end);
      else cJSON_AddNullToObject(o, "end");
      if (s->embargo) cJSON_AddBoolToObject(o, "embargo", 1);
      else cJSON_AddNumberToObject(o, "beta", s->beta);
      cJSON_AddNumberToObject(o, "phase_in", s->phase_in);
      cJSON_AddNumberToObject(o, "fade", s->fade);
      add_str(o, "source", s->source);
      add_str(o, "why", s->why);
      cJSON_AddItemToArray(shocks, o);
    }

    cJSON *chs = cJSON_AddArrayToObject(root, "channels");
    for (size_t i = 0; i < st->n_channels; i++) {
      const ent_channel *c = &st->channels[i];
      cJSON *o = cJSON_CreateObject();
      add_str(o, "id", c->id);
      cJSON_AddStringToObject(o, "kind", channel_kind(c->kind));
      cJSON_AddStringToObject(o, "from", st->blocs[c->from].id);
      cJSON_AddStringToObject(o, "to", st->blocs[c->to].id);
      add_str(o, "unit", c->unit);
      cJSON_AddNumberToObject(o, "capacity", c->capacity);
      cJSON_AddNumberToObject(o, "base", c->base);
      cJSON_AddNumberToObject(o, "ramp", c->ramp);
      if (c->opens != INT_MIN) cJSON_AddNumberToObject(o, "opens", c->opens);
      else cJSON_AddNullToObject(o, "opens");
      cJSON_AddNumberToObject(o, "build_years", c->build_years);
      cJSON_AddStringToObject(o, "driver", c->driver_trade ? "trade" : "none");
      cJSON_AddBoolToObject(o, "conditional", c->conditional);
      add_str(o, "why", c->why);
      cJSON_AddItemToArray(chs, o);
    }

    cJSON *links = cJSON_AddArrayToObject(root, "links");
    for (size_t i = 0; i < st->n_links; i++) {
      const ent_link *l = &st->links[i];
      cJSON *o = cJSON_CreateObject();
      ent_strbuf b;
      char p[96];
      add_str(o, "id", l->id);
      ent_strbuf_init(&b);
      link_source(m, l, &b);
      add_str(o, "source", b.failed ? NULL : b.data);
      ent_strbuf_free(&b);
      ent_strbuf_init(&b);
      link_target(m, l, &b);
      add_str(o, "target", b.failed ? NULL : b.data);
      ent_strbuf_free(&b);
      cJSON_AddStringToObject(o, "form", form_name(l->form));
      link_param(l, p, sizeof p);
      cJSON_AddStringToObject(o, "parameter", p);
      add_str(o, "why", l->why);
      cJSON_AddItemToArray(links, o);
    }
  }

  cJSON *unc = cJSON_AddArrayToObject(root, "uncertain");
  for (size_t i = 0; i < m->n_uparams; i++) {
    const ent_uparam *u = &m->uparams[i];
    cJSON *o = cJSON_CreateObject();
    char dist[512];
    add_str(o, "name", u->name);
    cJSON *at = cJSON_AddObjectToObject(o, "at");
    add_str(at, "file", u->file);
    cJSON_AddNumberToObject(at, "line", u->at.line);
    cJSON_AddNumberToObject(at, "col", u->at.col);
    ent_assumptions_dist(&u->dist, dist, sizeof dist);
    cJSON_AddStringToObject(o, "distribution", dist);
    cJSON_AddNumberToObject(o, "nominal", u->nominal);
    cJSON_AddItemToArray(unc, o);
  }

  if (st) {
    cJSON *hist = cJSON_AddArrayToObject(root, "history");
    for (size_t i = 0; i < st->n_history; i++) {
      const ent_history *h = &st->history[i];
      cJSON *o = cJSON_CreateObject();
      add_str(o, "variable", h->variable);
      add_str(o, "entity", h->entity);
      add_str(o, "unit", h->unit);
      add_str(o, "source", h->source);
      cJSON *v = cJSON_AddArrayToObject(o, "values");
      for (size_t k = 0; k < h->n; k++) {
        cJSON *y = cJSON_CreateObject();
        cJSON_AddNumberToObject(y, "year", h->years[k]);
        cJSON_AddNumberToObject(y, "value", h->values[k]);
        cJSON_AddItemToArray(v, y);
      }
      cJSON_AddItemToArray(hist, o);
    }
  }
  return root;
}

/* ------------------------------------------------------------- text */

static const char *str_of(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

static void why_line(ent_strbuf *b, const cJSON *o, const char *indent) {
  const char *w = str_of(o, "why");
  ent_strbuf_printf(b, "%swhy: %s\n", indent, w ? w : "(no rationale given)");
}

static void text_of(const ent_model *m, const cJSON *root, ent_strbuf *b) {
  const cJSON *it;
  ent_strbuf_printf(b, "assumptions of scenario %s (%s): %s\n", m->id ? m->id : "?",
                    m->source ? m->source : "?", m->title ? m->title : "");
  ent_strbuf_puts(b, "\nactors:\n");
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "actors")) {
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "capability");
    ent_strbuf_printf(b, "  %s (%s, %s)", str_of(it, "id"), str_of(it, "name"),
                      str_of(it, "kind"));
    if (cJSON_IsNumber(c)) ent_strbuf_printf(b, ", capability %g", c->valuedouble);
    ent_strbuf_puts(b, "\n");
    why_line(b, it, "    ");
  }
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "issues")) {
    const cJSON *p;
    ent_strbuf_printf(b, "\nissue %s: %s\n", str_of(it, "id"), str_of(it, "question"));
    if (str_of(it, "why")) why_line(b, it, "  ");
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(it, "positions")) {
      ent_strbuf_printf(b, "  %-10s position %g, salience %g, capability %g%s\n",
                        str_of(p, "actor"), num_of(p, "position"),
                        num_of(p, "salience"), num_of(p, "capability"),
                        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "capability_from_actor"))
                            ? " (the actor's)" : "");
      if (str_of(p, "why")) why_line(b, p, "    ");
    }
  }
  static const char *const parts[] = {"blocs", "shocks", "channels", "links"};
  for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, parts[k]);
    if (!cJSON_GetArraySize(arr)) continue;
    ent_strbuf_printf(b, "\n%s:\n", parts[k]);
    cJSON_ArrayForEach(it, arr) {
      ent_strbuf_printf(b, "  %s", str_of(it, "id"));
      if (k == 3)
        ent_strbuf_printf(b, ": %s -> %s, %s", str_of(it, "source"),
                          str_of(it, "target"), str_of(it, "parameter"));
      ent_strbuf_puts(b, "\n");
      if (k == 1 && str_of(it, "source"))
        ent_strbuf_printf(b, "    source: %s\n", str_of(it, "source"));
      why_line(b, it, "    ");
    }
  }
  const cJSON *unc = cJSON_GetObjectItemCaseSensitive(root, "uncertain");
  if (cJSON_GetArraySize(unc)) {
    ent_strbuf_puts(b, "\nuncertain inputs (distribution; the value of a single run):\n");
    cJSON_ArrayForEach(it, unc)
      ent_strbuf_printf(b, "  %s: %s; %g\n", str_of(it, "name"),
                        str_of(it, "distribution"), num_of(it, "nominal"));
  }
}

ent_status ent_model_write_assumptions(const ent_model *m, ent_format f,
                                       FILE *fp) {
  if (!m || !fp || (f != ENT_FORMAT_JSON && f != ENT_FORMAT_TEXT))
    return ENT_EINVAL;
  cJSON *root = ent_assumptions_json(m);
  if (!root) return ENT_ENOMEM;
  char *s = NULL;
  ent_strbuf b;
  ent_strbuf_init(&b);
  if (f == ENT_FORMAT_JSON) s = cJSON_Print(root);
  else text_of(m, root, &b);
  cJSON_Delete(root);
  ent_status st = ENT_OK;
  if (f == ENT_FORMAT_JSON) {
    if (!s) return ENT_ENOMEM;
    if (fputs(s, fp) < 0 || fputc('\n', fp) == EOF) st = ENT_EIO;
    cJSON_free(s);
  } else {
    if (b.failed) st = ENT_ENOMEM;
    else if (b.len && fwrite(b.data, 1, b.len, fp) != b.len) st = ENT_EIO;
    ent_strbuf_free(&b);
  }
  if (st == ENT_OK && fflush(fp)) st = ENT_EIO;
  return st;
}
