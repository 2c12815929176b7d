/*
 * scenario_struct.c -- the structural part of a scenario (docs/scenario.md,
 * "The structural part"): time axis, blocs and their growth paths, the
 * base-year trade matrix, scheduled trade-cost shocks, channels, links
 * between the layers and observed history.
 *
 * Everything is validated here, with positions: square non-negative flows
 * with positive domestic flows, known blocs, issues, actors and channels,
 * years inside the time axis.  Links are read by scenario_links.c and
 * the strategic layer's dynamics and shocks by scenario_dyn.c.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/scenario.h"

#define MIN_YEAR 1800
#define MAX_YEAR 2300

/* A list of bloc ids (a sequence, or one scalar) -> indices in the arena. */
size_t *ent_scenario_bloc_list(loader *L, yaml_node_t *n, const char *what,
                         size_t *count) {
  ent_model *m = L->m;
  *count = 0;
  if (!n) return NULL;
  size_t cap = 1;
  if (n->type == YAML_SEQUENCE_NODE)
    cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
  else if (!ent_ydoc_want_scalar(&L->y, n, what))
    return NULL;
  if (cap == 0) {
    ent_ydoc_error(&L->y, n, "%s is empty", what);
    return NULL;
  }
  size_t *out = ent_arena_array(&m->arena, cap, sizeof *out);
  if (!out) return NULL;
  for (size_t k = 0; k < cap; k++) {
    yaml_node_t *e = n->type == YAML_SEQUENCE_NODE
                         ? ent_ydoc_node(&L->y, n->data.sequence.items.start[k])
                         : n;
    const char *id = ent_ydoc_str(&L->y, e, "a bloc id", NULL);
    if (!id) return NULL;
    size_t b = ent_model_find_bloc(m, id);
    if (b == (size_t)-1) {
      ent_ydoc_error(&L->y, e, "unknown bloc '%.40s' in %s", id, what);
      return NULL;
    }
    for (size_t q = 0; q < *count; q++)
      if (out[q] == b) {
        ent_ydoc_error(&L->y, e, "bloc '%s' listed twice in %s", id, what);
        return NULL;
      }
    out[(*count)++] = b;
  }
  return out;
}

/* "A->B" with known blocs. */
int ent_scenario_pair_of(loader *L, yaml_node_t *n, const char *s, size_t *a,
                   size_t *b) {
  const char *arrow = strstr(s, "->");
  if (!arrow) {
    ent_ydoc_error(&L->y, n, "'%.40s' is not a pair of the form A->B", s);
    return -1;
  }
  char left[80], right[80];
  size_t ll = (size_t)(arrow - s);
  if (ll == 0 || ll >= sizeof left || strlen(arrow + 2) == 0 ||
      strlen(arrow + 2) >= sizeof right) {
    ent_ydoc_error(&L->y, n, "'%.40s' is not a pair of the form A->B", s);
    return -1;
  }
  memcpy(left, s, ll);
  left[ll] = '\0';
  strcpy(right, arrow + 2);
  *a = ent_model_find_bloc(L->m, left);
  *b = ent_model_find_bloc(L->m, right);
  if (*a == (size_t)-1 || *b == (size_t)-1) {
    ent_ydoc_error(&L->y, n, "unknown bloc '%s' in '%.40s'",
                   *a == (size_t)-1 ? left : right, s);
    return -1;
  }
  if (*a == *b) {
    ent_ydoc_error(&L->y, n, "'%.40s' names the same bloc twice", s);
    return -1;
  }
  return 0;
}

int ent_scenario_year_of(loader *L, yaml_node_t *n, const char *what, int *out) {
  long v;
  if (ent_ydoc_int(&L->y, n, what, MIN_YEAR, MAX_YEAR, &v)) return -1;
  *out = (int)v;
  return 0;
}

/* A growth rate: a number for every year, or {year: rate} where each year
 * keeps the rate of the latest listed year at or before it (the first
 * listed rate before that). */
static int rate_path(loader *L, yaml_node_t *n, const char *what,
                     double *out, size_t n_years, ent_utarget_kind kind,
                     size_t bloc, const char *bloc_id) {
  ent_structure *st = L->m->st;
  ent_utarget t = {kind, bloc, 0, 0, n_years, 0};
  char name[160];
  if (n->type == YAML_SCALAR_NODE || ent_scenario_is_dist(L, n)) {
    double r;
    snprintf(name, sizeof name, "economy.blocs.%s.%s", bloc_id, what);
    if (ent_scenario_number(L, n, what, -50.0, 100.0, ENT_NUM_SCALAR_RANGE, &r, &t,
                       name, NULL))
      return -1;
    for (size_t k = 0; k < n_years; k++) out[k] = r;
    return 0;
  }
  if (!ent_ydoc_want_map(&L->y, n, what)) return -1;
  int first = 1, bad = 0, last_year = INT_MIN;
  size_t prev_u = (size_t)-1; /* uncertain rate of the previous entry */
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
       p < n->data.mapping.pairs.top; p++) {
    yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
    yaml_node_t *v = ent_ydoc_node(&L->y, p->value);
    int y, dist = 0;
    double r;
    if (ent_scenario_year_of(L, k, "a year", &y)) {
      bad = 1;
      continue;
    }
    size_t from_k = first ? 0 : (y > st->start ? (size_t)(y - st->start) : 0);
    t.k0 = from_k;
    t.k1 = n_years;
    snprintf(name, sizeof name, "economy.blocs.%s.%s.%d", bloc_id, what, y);
    if (ent_scenario_number(L, v, what, -50.0, 100.0, ENT_NUM_SCALAR_RANGE, &r, &t,
                       name, &dist)) {
      bad = 1;
      continue;
    }
    if (y <= st->start || y > st->end) {
      ent_ydoc_error(&L->y, k, "year %d of %s is outside the simulated years "
                               "%d-%d", y, what, st->start + 1, st->end);
      bad = 1;
      continue;
    }
    if (y <= last_year) {
      ent_ydoc_error(&L->y, k, "years of %s must increase (%d after %d)", what,
                     y, last_year);
      bad = 1;
      continue;
    }
    last_year = y;
    size_t from = first ? 0 : (size_t)(y - st->start);
    for (size_t q = from; q < n_years; q++) out[q] = r;
    first = 0;
    /* an uncertain rate holds until the next listed year */
    if (prev_u != (size_t)-1) L->m->uparams[prev_u].tgt.k1 = from;
    prev_u = dist ? L->m->n_uparams - 1 : (size_t)-1;
  }
  if (first && !bad) {
    ent_ydoc_error(&L->y, n, "%s has no years", what);
    return -1;
  }
  return bad ? -1 : 0;
}

static void parse_time(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"start", "end", NULL};
  if (!ent_ydoc_want_map(&L->y, n, "'time'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'time'");
  yaml_node_t *a = ent_scenario_need(L, n, "start", "'time'");
  yaml_node_t *b = ent_scenario_need(L, n, "end", "'time'");
  int s, e;
  if (!a || !b || ent_scenario_year_of(L, a, "time start", &s) ||
      ent_scenario_year_of(L, b, "time end", &e))
    return;
  if (e <= s || e - s > 200) {
    ent_ydoc_error(&L->y, b, "time end %d must be after start %d and at most "
                             "200 years later", e, s);
    return;
  }
  L->m->st->start = s;
  L->m->st->end = e;
}

/* Reads the `economy` mapping (docs/scenario.md): the trade elasticities,
 * deficits, adjustment and the blocs with their GDP, military spending and
 * growth paths.
 * Long: a key-by-key reading of one mapping in the order of the docs,
 * each key's checks beside it; the blocs' keys depend on the economy's
 * (growth rates drive military spending) and are read in the same pass. */
static void parse_economy(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"theta", "theta_foreign", "deficit",
                                     "adjustment", "blocs", "why", NULL};
  static const char *const bkeys[] = {"id",     "name",  "gdp",
                                      "growth", "milex", "milex_growth",
                                      "growth_ex_ante", "why", NULL};
  ent_model *m = L->m;
  ent_structure *st = m->st;
  if (!ent_ydoc_want_map(&L->y, n, "'economy'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'economy'");
  yaml_node_t *v = ent_ydoc_get(&L->y, n, "theta");
  ent_utarget t = {ENT_UT_ECONOMY_THETA, 0, 0, 0, 0, 0};
  char name[160];
  if (v)
    ent_scenario_number(L, v, "theta", 0.01, 50.0, ENT_NUM_SCALAR_RANGE, &st->theta,
                   &t, "economy.theta", NULL);
  st->theta_foreign = st->theta;
  v = ent_ydoc_get(&L->y, n, "theta_foreign");
  if (v) ent_ydoc_num_in(&L->y, v, "theta_foreign", 0.01, 50.0, &st->theta_foreign);
  v = ent_ydoc_get(&L->y, n, "why");
  if (v) ent_scenario_text(L, v, "'why'", 0);
  v = ent_ydoc_get(&L->y, n, "deficit");
  if (v) {
    const char *s = ent_ydoc_str(&L->y, v, "deficit", NULL);
    if (s && !strcmp(s, "multiplicative")) st->multiplicative = 1;
    else if (s && strcmp(s, "additive"))
      ent_ydoc_error(&L->y, v, "deficit must be 'additive' or "
                               "'multiplicative', not '%.40s'", s);
  }
  v = ent_ydoc_get(&L->y, n, "adjustment");
  t.kind = ENT_UT_ECONOMY_ADJUSTMENT;
  if (v &&
      !ent_scenario_number(L, v, "adjustment", 0.0, 1.0,
                      ENT_NUM_SCALAR_RANGE | ENT_NUM_ABOVE_LO, &st->adjustment,
                      &t, "economy.adjustment", NULL) &&
      !(st->adjustment > 0.0))
    ent_ydoc_error(&L->y, v, "adjustment must be in (0, 1], not 0");
  yaml_node_t *bl = ent_scenario_need(L, n, "blocs", "'economy'");
  if (!bl || !ent_ydoc_want_seq(&L->y, bl, "'economy.blocs'")) return;
  size_t count = (size_t)(bl->data.sequence.items.top -
                          bl->data.sequence.items.start);
  if (count < 2) {
    ent_ydoc_error(&L->y, bl, "'economy.blocs' needs at least 2 blocs");
    return;
  }
  if (count > 300) {
    ent_ydoc_error(&L->y, bl, "'economy.blocs' has %zu blocs (at most 300)",
                   count);
    return;
  }
  st->blocs = ent_arena_array(&m->arena, count, sizeof *st->blocs);
  if (!st->blocs) return;
  size_t n_years = (size_t)(st->end - st->start + 1);
  for (yaml_node_item_t *it = bl->data.sequence.items.start;
       it < bl->data.sequence.items.top; it++) {
    yaml_node_t *b = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_map(&L->y, b, "a bloc")) continue;
    ent_ydoc_check_keys(&L->y, b, bkeys, "a bloc");
    size_t before = ent_diag_errors(L->d);
    ent_bloc bb = {0};
    bb.at = ent_scenario_pos(b);
    bb.actor = -1;
    v = ent_scenario_need(L, b, "id", "a bloc");
    if (v) bb.id = ent_scenario_ident(L, v, "bloc id");
    if (bb.id && ent_model_find_bloc(m, bb.id) != (size_t)-1) {
      ent_ydoc_error(&L->y, v, "duplicate bloc id '%s'", bb.id);
      bb.id = NULL;
    }
    if (bb.id) {
      size_t a = ent_model_find_actor(m, bb.id);
      if (a != (size_t)-1) bb.actor = (long)a;
    }
    v = ent_ydoc_get(&L->y, b, "name");
    if (v) bb.name = ent_scenario_text(L, v, "bloc name", 1);
    else if (bb.actor >= 0) bb.name = m->actors[bb.actor].name;
    else if (bb.id) bb.name = bb.id;
    const char *bid = bb.id ? bb.id : "?";
    size_t bi = st->n_blocs;
    v = ent_scenario_need(L, b, "gdp", "a bloc");
    t.kind = ENT_UT_BLOC_GDP;
    t.i = bi;
    snprintf(name, sizeof name, "economy.blocs.%s.gdp", bid);
    if (v &&
        !ent_scenario_number(L, v, "gdp", 0.0, 1e7,
                        ENT_NUM_SCALAR_RANGE | ENT_NUM_ABOVE_LO, &bb.gdp, &t,
                        name, NULL) &&
        !(bb.gdp > 0.0))
      ent_ydoc_error(&L->y, v, "gdp of '%s' must be positive",
                     bb.id ? bb.id : "?");
    v = ent_ydoc_get(&L->y, b, "milex");
    t.kind = ENT_UT_BLOC_MILEX;
    snprintf(name, sizeof name, "economy.blocs.%s.milex", bid);
    if (v)
      ent_scenario_number(L, v, "milex", 0.0, 1e6, ENT_NUM_SCALAR_RANGE, &bb.milex,
                     &t, name, NULL);
    bb.growth = ent_arena_array(&m->arena, n_years, sizeof(double));
    bb.milex_growth = ent_arena_array(&m->arena, n_years, sizeof(double));
    if (!bb.growth || !bb.milex_growth) return;
    size_t u_before = m->n_uparams;
    v = ent_ydoc_get(&L->y, b, "growth");
    if (v)
      rate_path(L, v, "growth", bb.growth, n_years, ENT_UT_BLOC_GROWTH, bi,
                bid);
    v = ent_ydoc_get(&L->y, b, "milex_growth");
    if (v) {
      rate_path(L, v, "milex_growth", bb.milex_growth, n_years,
                ENT_UT_BLOC_MILEX_GROWTH, bi, bid);
    } else {
      memcpy(bb.milex_growth, bb.growth, n_years * sizeof(double));
      /* milex grows like GDP: uncertain growth rates drive both */
      for (size_t u = u_before; u < m->n_uparams; u++)
        if (m->uparams[u].tgt.kind == ENT_UT_BLOC_GROWTH)
          m->uparams[u].tgt.also_milex = 1;
    }
    v = ent_ydoc_get(&L->y, b, "growth_ex_ante");
    if (v) {
      size_t u0 = m->n_uparams;
      bb.growth_ex_ante = ent_arena_array(&m->arena, n_years, sizeof(double));
      if (!bb.growth_ex_ante) return;
      rate_path(L, v, "growth_ex_ante", bb.growth_ex_ante, n_years,
                ENT_UT_BLOC_GROWTH, bi, bid);
      if (m->n_uparams != u0) {
        m->n_uparams = u0;
        ent_ydoc_error(&L->y, v, "growth_ex_ante takes numbers, not "
                                 "distributions: it is what was forecast then");
      }
    }
    v = ent_ydoc_get(&L->y, b, "why");
    if (v) bb.why = ent_scenario_text(L, v, "'why'", 0);
    if (ent_diag_errors(L->d) == before && bb.id) st->blocs[st->n_blocs++] = bb;
  }
}

static void parse_trade(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"unit", "blocs", "flows", "why", NULL};
  ent_model *m = L->m;
  ent_structure *st = m->st;
  size_t nb = st->n_blocs;
  if (!ent_ydoc_want_map(&L->y, n, "'trade'")) return;
  ent_ydoc_check_keys(&L->y, n, keys, "'trade'");
  yaml_node_t *order = ent_scenario_need(L, n, "blocs", "'trade'");
  size_t n_order = 0;
  size_t *idx = order ? ent_scenario_bloc_list(L, order, "'trade.blocs'", &n_order) : NULL;
  if (!idx) return;
  if (n_order != nb) {
    ent_ydoc_error(&L->y, order, "'trade.blocs' lists %zu blocs, 'economy' "
                                 "has %zu: the matrix must be square over "
                                 "all blocs", n_order, nb);
    return;
  }
  yaml_node_t *fl = ent_scenario_need(L, n, "flows", "'trade'");
  if (!fl || !ent_ydoc_want_map(&L->y, fl, "'trade.flows'")) return;
  st->flows = ent_arena_array(&m->arena, nb * nb, sizeof(double));
  unsigned char *seen = ent_arena_alloc(&m->arena, nb);
  if (!st->flows || !seen) return;
  for (yaml_node_pair_t *p = fl->data.mapping.pairs.start;
       p < fl->data.mapping.pairs.top; p++) {
    yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
    yaml_node_t *v = ent_ydoc_node(&L->y, p->value);
    const char *id = ent_ydoc_str(&L->y, k, "an exporter", NULL);
    if (!id) continue;
    size_t i = ent_model_find_bloc(m, id);
    if (i == (size_t)-1) {
      ent_ydoc_error(&L->y, k, "unknown bloc '%.40s' in 'trade.flows'", id);
      continue;
    }
    if (seen[i]) {
      ent_ydoc_error(&L->y, k, "row '%s' appears twice in 'trade.flows'", id);
      continue;
    }
    seen[i] = 1;
    if (!ent_ydoc_want_seq(&L->y, v, "a row of flows")) continue;
    size_t len = (size_t)(v->data.sequence.items.top -
                          v->data.sequence.items.start);
    if (len != nb) {
      ent_ydoc_error(&L->y, v, "row '%s' has %zu flows, expected %zu (one per "
                               "bloc of 'trade.blocs'): the matrix must be "
                               "square", id, len, nb);
      continue;
    }
    for (size_t c = 0; c < nb; c++) {
      yaml_node_t *e = ent_ydoc_node(&L->y, v->data.sequence.items.start[c]);
      double x;
      size_t j = idx[c];
      char name[200];
      snprintf(name, sizeof name, "trade.flows.%s->%s", id, st->blocs[j].id);
      ent_utarget t = {ENT_UT_TRADE_FLOW, i, j, 0, 0, 0};
      if (ent_scenario_number(L, e, "a flow", 0.0, 1e9,
                         ENT_NUM_SCALAR_RANGE | (i == j ? ENT_NUM_ABOVE_LO : 0),
                         &x, &t, name, NULL))
        continue;
      if (i == j && !(x > 0.0)) {
        ent_ydoc_error(&L->y, e, "domestic flow of '%s' must be positive "
                                 "(the gravity model needs it)", id);
        continue;
      }
      st->flows[i * nb + j] = x;
    }
  }
  for (size_t i = 0; i < nb; i++)
    if (!seen[i])
      ent_ydoc_error(&L->y, fl, "'trade.flows' has no row for '%s'",
                     st->blocs[i].id);
  yaml_node_t *why = ent_ydoc_get(&L->y, n, "why");
  if (why && ent_ydoc_want_map(&L->y, why, "'trade.why'"))
    for (yaml_node_pair_t *p = why->data.mapping.pairs.start;
         p < why->data.mapping.pairs.top; p++) {
      yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
      const char *s = ent_ydoc_str(&L->y, k, "a pair", NULL);
      size_t a, b;
      if (s) ent_scenario_pair_of(L, k, s, &a, &b);
      ent_ydoc_str(&L->y, ent_ydoc_node(&L->y, p->value), "a rationale", NULL);
    }
}

void ent_scenario_shock_years(loader *L, yaml_node_t *s, int *start,
                              int *end) {
  yaml_node_t *v = ent_scenario_need(L, s, "start", "a shock");
  if (v && !ent_scenario_year_of(L, v, "shock start", start))
    ent_scenario_year_in_axis(L, v, *start, "shock start");
  v = ent_ydoc_get(&L->y, s, "end");
  if (v && !ent_scenario_year_of(L, v, "shock end", end)) {
    if (*end <= *start)
      ent_ydoc_error(&L->y, v, "shock end %d must be after its start %d", *end,
                     *start);
    else
      ent_scenario_year_in_axis(L, v, *end, "shock end");
  }
}

int ent_scenario_year_in_axis(loader *L, yaml_node_t *n, int y,
                              const char *what) {
  ent_structure *st = L->m->st;
  if (y > st->end) {
    ent_ydoc_error(&L->y, n, "%s %d is after the end of the time axis (%d)",
                   what, y, st->end);
    return -1;
  }
  if (y < st->start - 100) {
    ent_ydoc_error(&L->y, n, "%s %d is more than 100 years before the start "
                             "of the time axis (%d)", what, y, st->start);
    return -1;
  }
  return 0;
}

int ent_scenario_flag(loader *L, yaml_node_t *n, const char *what, int *out) {
  const char *s = ent_ydoc_str(&L->y, n, what, NULL);
  if (!s) return -1;
  if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on")) *out = 1;
  else if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))
    *out = 0;
  else {
    ent_ydoc_error(&L->y, n, "%s must be true or false, not '%.20s'", what, s);
    return -1;
  }
  return 0;
}

static void parse_shocks(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"id",       "from",     "to",
                                     "both",     "start",    "end",
                                     "beta",     "embargo",  "phase_in",
                                     "fade",     "against",  "weight",
                                     "announced", "source",  "why",
                                     NULL};
  ent_model *m = L->m;
  ent_structure *st = m->st;
  if (!ent_ydoc_want_seq(&L->y, n, "'shocks'")) return;
  size_t count = (size_t)(n->data.sequence.items.top -
                          n->data.sequence.items.start);
  st->shocks = ent_arena_array(&m->arena, count ? count : 1, sizeof *st->shocks);
  st->sshocks = ent_arena_array(&m->arena, count ? count : 1,
                                sizeof *st->sshocks);
  if (!st->shocks || !st->sshocks) return;
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *s = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_map(&L->y, s, "a shock")) continue;
    if (ent_ydoc_get(&L->y, s, "issue")) { /* on the strategic layer */
      ent_scenario_parse_sshock(L, s);
      continue;
    }
    ent_ydoc_check_keys(&L->y, s, keys, "a shock");
    size_t before = ent_diag_errors(L->d);
    ent_shock sh = {0};
    sh.at = ent_scenario_pos(s);
    yaml_node_t *v = ent_scenario_need(L, s, "id", "a shock");
    if (v) sh.id = ent_scenario_ident(L, v, "shock id");
    for (size_t q = 0; sh.id && q < st->n_shocks; q++)
      if (st->shocks[q].id && !strcmp(st->shocks[q].id, sh.id))
        ent_ydoc_error(&L->y, v, "duplicate shock id '%s'", sh.id);
    for (size_t q = 0; sh.id && q < st->n_sshocks; q++)
      if (st->sshocks[q].id && !strcmp(st->sshocks[q].id, sh.id))
        ent_ydoc_error(&L->y, v, "duplicate shock id '%s'", sh.id);
    v = ent_scenario_need(L, s, "from", "a shock");
    if (v) sh.from = ent_scenario_bloc_list(L, v, "shock 'from'", &sh.n_from);
    v = ent_scenario_need(L, s, "to", "a shock");
    if (v) sh.to = ent_scenario_bloc_list(L, v, "shock 'to'", &sh.n_to);
    for (size_t a = 0; a < sh.n_from; a++)
      for (size_t b = 0; b < sh.n_to; b++)
        if (sh.from[a] == sh.to[b])
          ent_ydoc_error(&L->y, v, "shock '%s' hits the domestic flow of '%s'",
                         sh.id ? sh.id : "?", st->blocs[sh.from[a]].id);
    v = ent_ydoc_get(&L->y, s, "both");
    if (v) ent_scenario_flag(L, v, "both", &sh.both);
    ent_scenario_shock_years(L, s, &sh.start, &sh.end);
    yaml_node_t *vb = ent_ydoc_get(&L->y, s, "beta");
    yaml_node_t *ve = ent_ydoc_get(&L->y, s, "embargo");
    if (ve) ent_scenario_flag(L, ve, "embargo", &sh.embargo);
    if (vb) {
      char name[160];
      snprintf(name, sizeof name, "shocks.%s.beta", sh.id ? sh.id : "?");
      ent_utarget t = {ENT_UT_SHOCK_BETA, st->n_shocks, 0, 0, 0, 0};
      ent_scenario_number(L, vb, "beta", -20.0, 5.0, ENT_NUM_SCALAR_RANGE, &sh.beta,
                     &t, name, NULL);
    }
    if (!vb && !sh.embargo)
      ent_ydoc_error(&L->y, s, "shock '%s' needs 'beta' or 'embargo: true'",
                     sh.id ? sh.id : "?");
    if (vb && sh.embargo)
      ent_ydoc_error(&L->y, vb, "shock '%s' has both 'beta' and an embargo",
                     sh.id ? sh.id : "?");
    v = ent_ydoc_get(&L->y, s, "against");
    if (v) sh.against = ent_scenario_bloc_list(L, v, "shock 'against'",
                                               &sh.n_against);
    sh.weight = 1.0;
    v = ent_ydoc_get(&L->y, s, "weight");
    if (v) ent_ydoc_num_in(&L->y, v, "weight", 0.0, 100.0, &sh.weight);
    sh.announced = sh.start;
    v = ent_ydoc_get(&L->y, s, "announced");
    if (v && !ent_scenario_year_of(L, v, "announced", &sh.announced) &&
        sh.announced > sh.start)
      ent_ydoc_error(&L->y, v, "shock '%s' is announced (%d) after it starts "
                               "(%d)", sh.id ? sh.id : "?", sh.announced,
                     sh.start);
    long k;
    v = ent_ydoc_get(&L->y, s, "phase_in");
    if (v && !ent_ydoc_int(&L->y, v, "phase_in", 0, 50, &k)) sh.phase_in = (int)k;
    v = ent_ydoc_get(&L->y, s, "fade");
    if (v && !ent_ydoc_int(&L->y, v, "fade", 0, 50, &k)) sh.fade = (int)k;
    v = ent_scenario_need(L, s, "source", "a shock");
    if (v) sh.source = ent_scenario_text(L, v, "shock source", 1);
    v = ent_ydoc_get(&L->y, s, "why");
    if (v) sh.why = ent_scenario_text(L, v, "'why'", 0);
    if (ent_diag_errors(L->d) == before) st->shocks[st->n_shocks++] = sh;
  }
}

static void parse_channels(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"id", "kind", "from", "to", "unit",
                                     "capacity", "base", "ramp", "opens",
                                     "build_years", "driver", "announced",
                                     "why", NULL};
  static const char *const kinds[] = {"gas", "oil", "arms", "other"};
  ent_model *m = L->m;
  ent_structure *st = m->st;
  if (!ent_ydoc_want_seq(&L->y, n, "'channels'")) return;
  size_t count = (size_t)(n->data.sequence.items.top -
                          n->data.sequence.items.start);
  st->channels = ent_arena_array(&m->arena, count ? count : 1,
                                 sizeof *st->channels);
  if (!st->channels) return;
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *c = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_map(&L->y, c, "a channel")) continue;
    ent_ydoc_check_keys(&L->y, c, keys, "a channel");
    size_t before = ent_diag_errors(L->d);
    ent_channel ch = {0};
    ch.at = ent_scenario_pos(c);
    ch.opens = INT_MIN;
    yaml_node_t *v = ent_scenario_need(L, c, "id", "a channel");
    if (v) ch.id = ent_scenario_ident(L, v, "channel id");
    for (size_t q = 0; ch.id && q < st->n_channels; q++)
      if (!strcmp(st->channels[q].id, ch.id))
        ent_ydoc_error(&L->y, v, "duplicate channel id '%s'", ch.id);
    v = ent_scenario_need(L, c, "kind", "a channel");
    const char *ks = v ? ent_ydoc_str(&L->y, v, "channel kind", NULL) : NULL;
    if (ks) {
      int found = 0;
      for (int q = 0; q < 4; q++)
        if (!strcmp(ks, kinds[q])) {
          ch.kind = (ent_channel_kind)q;
          found = 1;
        }
      if (!found)
        ent_ydoc_error(&L->y, v, "unknown channel kind '%.20s' (gas, oil, "
                                 "arms, other)", ks);
    }
    size_t cnt;
    size_t *f = NULL, *t = NULL;
    v = ent_scenario_need(L, c, "from", "a channel");
    if (v) f = ent_scenario_bloc_list(L, v, "channel 'from'", &cnt);
    if (f && cnt != 1) ent_ydoc_error(&L->y, v, "a channel has one 'from' bloc");
    v = ent_scenario_need(L, c, "to", "a channel");
    if (v) t = ent_scenario_bloc_list(L, v, "channel 'to'", &cnt);
    if (t && cnt != 1) ent_ydoc_error(&L->y, v, "a channel has one 'to' bloc");
    if (f && t) {
      ch.from = f[0];
      ch.to = t[0];
      if (ch.from == ch.to)
        ent_ydoc_error(&L->y, v, "channel '%s' goes from a bloc to itself",
                       ch.id ? ch.id : "?");
    }
    v = ent_scenario_need(L, c, "unit", "a channel");
    if (v) ch.unit = ent_scenario_text(L, v, "channel unit", 1);
    const char *cid = ch.id ? ch.id : "?";
    char name[160];
    ent_utarget ut = {ENT_UT_CHANNEL_CAPACITY, st->n_channels, 0, 0, 0, 0};
    snprintf(name, sizeof name, "channels.%s.capacity", cid);
    v = ent_scenario_need(L, c, "capacity", "a channel");
    if (v &&
        !ent_scenario_number(L, v, "capacity", 0.0, 1e9,
                        ENT_NUM_SCALAR_RANGE | ENT_NUM_ABOVE_LO, &ch.capacity,
                        &ut, name, NULL) &&
        !(ch.capacity > 0.0))
      ent_ydoc_error(&L->y, v, "capacity must be positive");
    ut.kind = ENT_UT_CHANNEL_BASE;
    snprintf(name, sizeof name, "channels.%s.base", cid);
    v = ent_ydoc_get(&L->y, c, "base");
    if (v &&
        !ent_scenario_number(L, v, "base", 0.0, 1e9, ENT_NUM_SCALAR_RANGE, &ch.base,
                        &ut, name, NULL) &&
        ch.base > ch.capacity && ch.capacity > 0.0)
      ent_ydoc_error(&L->y, v, "base flow %g exceeds the capacity %g", ch.base,
                     ch.capacity);
    ut.kind = ENT_UT_CHANNEL_RAMP;
    snprintf(name, sizeof name, "channels.%s.ramp", cid);
    v = ent_ydoc_get(&L->y, c, "ramp");
    if (v)
      ent_scenario_number(L, v, "ramp", 0.0, 1e9, ENT_NUM_SCALAR_RANGE, &ch.ramp, &ut,
                     name, NULL);
    ch.announced = INT_MIN;
    v = ent_ydoc_get(&L->y, c, "announced");
    if (v) ent_scenario_year_of(L, v, "announced", &ch.announced);
    v = ent_ydoc_get(&L->y, c, "opens");
    if (v && !ent_scenario_year_of(L, v, "opens", &ch.opens))
      ent_scenario_year_in_axis(L, v, ch.opens, "opening year");
    long k;
    v = ent_ydoc_get(&L->y, c, "build_years");
    if (v && !ent_ydoc_int(&L->y, v, "build_years", 0, 50, &k))
      ch.build_years = (int)k;
    v = ent_ydoc_get(&L->y, c, "driver");
    if (v) {
      const char *s = ent_ydoc_str(&L->y, v, "driver", NULL);
      if (s && !strcmp(s, "trade")) ch.driver_trade = 1;
      else if (s && strcmp(s, "none"))
        ent_ydoc_error(&L->y, v, "driver must be 'none' or 'trade', not "
                                 "'%.20s'", s);
    }
    v = ent_ydoc_get(&L->y, c, "why");
    if (v) ch.why = ent_scenario_text(L, v, "'why'", 0);
    if (ent_diag_errors(L->d) == before) st->channels[st->n_channels++] = ch;
  }
}

static void parse_history(loader *L, yaml_node_t *n) {
  static const char *const keys[] = {"variable", "entity", "unit", "source",
                                     "values", NULL};
  ent_model *m = L->m;
  ent_structure *st = m->st;
  if (!ent_ydoc_want_seq(&L->y, n, "'history'")) return;
  size_t count = (size_t)(n->data.sequence.items.top -
                          n->data.sequence.items.start);
  st->history = ent_arena_array(&m->arena, count ? count : 1,
                                sizeof *st->history);
  if (!st->history) return;
  for (yaml_node_item_t *it = n->data.sequence.items.start;
       it < n->data.sequence.items.top; it++) {
    yaml_node_t *h = ent_ydoc_node(&L->y, *it);
    if (!ent_ydoc_want_map(&L->y, h, "a history entry")) continue;
    ent_ydoc_check_keys(&L->y, h, keys, "a history entry");
    size_t before = ent_diag_errors(L->d);
    ent_history hi = {0};
    yaml_node_t *v = ent_scenario_need(L, h, "variable", "a history entry");
    if (v) hi.variable = ent_scenario_ident(L, v, "variable");
    v = ent_scenario_need(L, h, "entity", "a history entry");
    if (v) hi.entity = ent_scenario_text(L, v, "entity", 1);
    v = ent_ydoc_get(&L->y, h, "unit");
    if (v) hi.unit = ent_scenario_text(L, v, "unit", 0);
    v = ent_scenario_need(L, h, "source", "a history entry");
    if (v) hi.source = ent_scenario_text(L, v, "source", 1);
    v = ent_scenario_need(L, h, "values", "a history entry");
    if (v && ent_ydoc_want_map(&L->y, v, "history 'values'")) {
      size_t nv = (size_t)(v->data.mapping.pairs.top -
                           v->data.mapping.pairs.start);
      hi.years = ent_arena_array(&m->arena, nv ? nv : 1, sizeof(int));
      hi.values = ent_arena_array(&m->arena, nv ? nv : 1, sizeof(double));
      if (!hi.years || !hi.values) return;
      for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
           p < v->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ent_ydoc_node(&L->y, p->key);
        int y;
        double x;
        if (ent_scenario_year_of(L, k, "a year", &y) ||
            ent_ydoc_num(&L->y, ent_ydoc_node(&L->y, p->value), "a value", &x))
          continue;
        if (hi.n && y <= hi.years[hi.n - 1]) {
          ent_ydoc_error(&L->y, k, "history years must increase (%d after %d)",
                         y, hi.years[hi.n - 1]);
          continue;
        }
        hi.years[hi.n] = y;
        hi.values[hi.n] = x;
        hi.n++;
      }
    }
    if (ent_diag_errors(L->d) == before) st->history[st->n_history++] = hi;
  }
}

void ent_scenario_parse_structure(loader *L, yaml_node_t *root) {
  static const char *const parts[] = {"economy", "trade", "shocks",
                                      "channels", "links", "history"};
  ent_model *m = L->m;
  yaml_node_t *time = ent_ydoc_get(&L->y, root, "time");
  if (!time) {
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
      yaml_node_t *v = ent_ydoc_get(&L->y, root, parts[k]);
      if (v)
        ent_ydoc_error(&L->y, v, "'%s' needs a 'time' section (start and end "
                                 "years)", parts[k]);
    }
    return;
  }
  m->st = ent_arena_alloc(&m->arena, sizeof *m->st);
  if (!m->st) return;
  ent_structure *st = m->st;
  st->theta = 4.0;
  st->adjustment = 1.0;
  size_t before = ent_diag_errors(L->d);
  parse_time(L, time);
  if (ent_diag_errors(L->d) != before) return; /* nothing else can be checked */
  yaml_node_t *v = ent_scenario_need(L, root, "economy", "the scenario file");
  if (v) parse_economy(L, v);
  v = ent_scenario_need(L, root, "trade", "the scenario file");
  if (v && st->n_blocs >= 2) parse_trade(L, v);
  if (ent_diag_errors(L->d) != before) return;
  v = ent_ydoc_get(&L->y, root, "shocks");
  if (v) parse_shocks(L, v);
  v = ent_ydoc_get(&L->y, root, "channels");
  if (v) parse_channels(L, v);
  yaml_node_t *links = ent_ydoc_get(&L->y, root, "links");
  if (links && ent_diag_errors(L->d) == before)
    ent_scenario_parse_links(L, links);
  if (ent_diag_errors(L->d) == before) ent_scenario_order_issues(L, links);
  v = ent_ydoc_get(&L->y, root, "history");
  if (v) parse_history(L, v);
}
